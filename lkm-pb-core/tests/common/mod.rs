// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! A message written by hand the way generated code writes it, shared by the tests.
//!
//! ```proto
//! message Foo {
//!   int32 bar = 1;
//!   string name = 2;
//!   repeated int32 values = 3;  // packed
//!   Foo child = 4;
//!   Foo group_child = 5;        // read and written as a group
//! }
//! ```

#![allow(dead_code)]

use lkm_pb_core::codec::{FieldCodec, Int32, Str};
use lkm_pb_core::decode::{DecodeContext, Reader};
use lkm_pb_core::encode::{encode_group, encode_packed, group_len, packed_len, Writer};
use lkm_pb_core::error::{DecodeError, EncodeError};
use lkm_pb_core::wire::{key, len_delimited_len, WireType};
use lkm_pb_core::{Message, RepeatedBuilder};

/// The hand-written message.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) struct Foo<'a> {
    pub(crate) bar: i32,
    pub(crate) name: &'a str,
    pub(crate) values: &'a [i32],
    pub(crate) child: Option<&'a Foo<'a>>,
    pub(crate) group_child: Option<&'a Foo<'a>>,
}

pub(crate) const BAR: u32 = key(1, WireType::Varint);
pub(crate) const NAME: u32 = key(2, WireType::Len);
pub(crate) const VALUES_UNPACKED: u32 = key(3, WireType::Varint);
pub(crate) const VALUES: u32 = key(3, WireType::Len);
pub(crate) const CHILD: u32 = key(4, WireType::Len);
pub(crate) const GROUP_CHILD: u32 = key(5, WireType::StartGroup);

impl<'a> Message<'a> for Foo<'a> {
    fn merge_from(
        &mut self,
        r: &mut Reader<'a>,
        ctx: &mut DecodeContext<'a, '_>,
        end_group: u32,
    ) -> Result<(), DecodeError> {
        let mut values = RepeatedBuilder::new(self.values);
        while let Some(k) = r.read_key(end_group)? {
            match k {
                BAR => Int32::merge(&mut self.bar, r, ctx)?,
                NAME => Str::merge(&mut self.name, r, ctx)?,
                VALUES_UNPACKED => {
                    let mut value = 0;
                    Int32::merge(&mut value, r, ctx)?;
                    values.push(ctx.arena, value)?;
                }
                VALUES => r.read_packed::<Int32>(&mut values, ctx)?,
                CHILD => self.child = Some(r.read_message_field(self.child, ctx)?),
                GROUP_CHILD => {
                    self.group_child = Some(r.read_group_field(self.group_child, 5, ctx)?)
                }
                _ => r.skip_field(k, ctx)?,
            }
        }
        self.values = values.finish(ctx.arena);
        Ok(())
    }

    fn encoded_len(&self) -> usize {
        let mut len = 0;
        if !Int32::is_default(&self.bar) {
            len += 1 + Int32::encoded_len(&self.bar);
        }
        if !Str::is_default(&self.name) {
            len += 1 + Str::encoded_len(&self.name);
        }
        len += packed_len::<Int32>(1, self.values);
        if let Some(child) = self.child {
            len += 1 + len_delimited_len(child.encoded_len());
        }
        if let Some(child) = self.group_child {
            len += group_len(1, child);
        }
        len
    }

    fn encode_raw(&self, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        if !Int32::is_default(&self.bar) {
            w.write_key(BAR)?;
            Int32::encode(&self.bar, w)?;
        }
        if !Str::is_default(&self.name) {
            w.write_key(NAME)?;
            Str::encode(&self.name, w)?;
        }
        encode_packed::<Int32>(VALUES, self.values, w)?;
        if let Some(child) = self.child {
            w.write_key(CHILD)?;
            w.write_varint(child.encoded_len() as u64)?;
            child.encode_raw(w)?;
        }
        if let Some(child) = self.group_child {
            encode_group(5, child, w)?;
        }
        Ok(())
    }
}
