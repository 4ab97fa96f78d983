// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Decoding: the [`Reader`] over encoded bytes and the [`DecodeContext`] of one decode.
//!
//! The reader consumes a borrowed slice from the front. Strings and bytes are returned as
//! sub-slices of the input, so decoding copies no payload. Every read checks the remaining
//! length first and reports [`DecodeError`] instead of reading past the end.

use super::arena::Arena;
use super::codec::FieldCodec;
use super::error::DecodeError;
use super::message::Message;
use super::repeated::RepeatedBuilder;
use super::wire::{self, WireType, MAX_VARINT_LEN};

/// The nesting depth a decode accepts unless told otherwise.
///
/// Every level of sub-message or group costs one generated `merge_from` stack frame; the
/// default keeps the worst case well inside a 16 KiB kernel stack.
pub const DEFAULT_DEPTH_LIMIT: u32 = 32;

/// Settings of one decode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DecodeOptions {
    /// How deeply sub-messages and groups may nest; deeper input is
    /// [`DecodeError::DepthLimitExceeded`].
    pub depth_limit: u32,
}

impl DecodeOptions {
    /// Returns the default options.
    pub const fn new() -> Self {
        Self {
            depth_limit: DEFAULT_DEPTH_LIMIT,
        }
    }

    /// Returns these options with another depth limit.
    pub const fn with_depth_limit(mut self, depth_limit: u32) -> Self {
        self.depth_limit = depth_limit;
        self
    }
}

impl Default for DecodeOptions {
    fn default() -> Self {
        Self::new()
    }
}

/// The state shared by all levels of one decode: the arena and the remaining depth.
pub struct DecodeContext<'a, 'r> {
    /// The arena that receives sub-messages, repeated fields and map entries.
    pub arena: &'r mut Arena<'a>,
    depth_left: u32,
}

impl<'a, 'r> DecodeContext<'a, 'r> {
    /// Creates a context over `arena` with the given options.
    pub fn new(arena: &'r mut Arena<'a>, options: DecodeOptions) -> Self {
        Self {
            arena,
            depth_left: options.depth_limit,
        }
    }

    /// Enters one level of nesting, failing when the depth limit is reached.
    #[inline]
    pub fn enter(&mut self) -> Result<(), DecodeError> {
        self.depth_left = self
            .depth_left
            .checked_sub(1)
            .ok_or(DecodeError::DepthLimitExceeded)?;
        Ok(())
    }

    /// Leaves one level of nesting entered with [`enter`](Self::enter).
    #[inline]
    pub fn leave(&mut self) {
        self.depth_left = self.depth_left.saturating_add(1);
    }
}

/// Returns `true` when the wire type of `key` is 0, 1, 2, 3 or 5: a value follows the key
/// (so not an end-group, 4) and the type is known (not 6 or 7).
#[inline]
const fn plain_wire_type(key: u32) -> bool {
    // Bit `n` of the mask is set for each wire type `n` in the list above.
    (0b10_1111u32 >> (key & 7)) & 1 != 0
}

/// A cursor over encoded protobuf bytes.
#[derive(Clone, Copy, Debug)]
pub struct Reader<'a> {
    buf: &'a [u8],
}

impl<'a> Reader<'a> {
    /// Creates a reader over `buf`.
    #[inline]
    pub const fn new(buf: &'a [u8]) -> Self {
        Self { buf }
    }

    /// Returns the bytes not read yet.
    #[inline]
    pub const fn remaining(&self) -> &'a [u8] {
        self.buf
    }

    /// Returns `true` when all bytes were read.
    #[inline]
    pub const fn is_empty(&self) -> bool {
        self.buf.is_empty()
    }

    /// Drops the first `n` bytes, failing when fewer remain.
    #[inline]
    fn advance(&mut self, n: usize) -> Result<&'a [u8], DecodeError> {
        let (head, tail) = self.buf.split_at_checked(n).ok_or(DecodeError::Truncated)?;
        self.buf = tail;
        Ok(head)
    }

    /// Reads a varint of up to ten bytes.
    ///
    /// Bits beyond the 64th in a ten-byte varint are ignored, as Google's parsers do.
    ///
    /// One- and two-byte varints (values below 2^14: most lengths, enums and small
    /// integers) are read inline; longer ones go through [`read_varint_long`].
    ///
    /// [`read_varint_long`]: Self::read_varint_long
    #[inline]
    pub fn read_varint(&mut self) -> Result<u64, DecodeError> {
        match *self.buf {
            [byte, ref rest @ ..] if byte < 0x80 => {
                self.buf = rest;
                Ok(u64::from(byte))
            }
            [low, high, ref rest @ ..] if high < 0x80 => {
                self.buf = rest;
                Ok(u64::from(low & 0x7f) | u64::from(high) << 7)
            }
            _ => self.read_varint_long(),
        }
    }

    /// Reads a varint that does not end in its first two bytes.
    ///
    /// With ten or more bytes left the bytes are read from a fixed-size window, a loop the
    /// compiler unrolls without bounds checks; near the end of the input each byte is
    /// checked against the length.
    #[inline(never)]
    fn read_varint_long(&mut self) -> Result<u64, DecodeError> {
        let Some(window) = self.buf.first_chunk::<MAX_VARINT_LEN>() else {
            return self.read_varint_short_input();
        };
        let mut value = 0u64;
        for (i, &byte) in window.iter().enumerate() {
            // `i < 10`, so the shift stays below 64; bits shifted out are dropped.
            value |= u64::from(byte & 0x7f).wrapping_shl((i as u32).wrapping_mul(7));
            if byte < 0x80 {
                self.buf = self.buf.get(i.wrapping_add(1)..).unwrap_or_default();
                return Ok(value);
            }
        }
        Err(DecodeError::VarintTooLong)
    }

    /// Reads a varint when fewer than ten bytes are left.
    #[cold]
    fn read_varint_short_input(&mut self) -> Result<u64, DecodeError> {
        // No `enumerate()` here: its counter is an overflow-checked addition, which kernel
        // builds turn into a panic path. Fewer than ten bytes remain, so the shift stays
        // below 64.
        let mut value = 0u64;
        let mut shift = 0u32;
        let mut rest = self.buf;
        while let Some((&byte, tail)) = rest.split_first() {
            value |= u64::from(byte & 0x7f).wrapping_shl(shift);
            rest = tail;
            if byte < 0x80 {
                self.buf = rest;
                return Ok(value);
            }
            shift = shift.wrapping_add(7);
        }
        Err(DecodeError::Truncated)
    }

    /// Reads four little-endian bytes.
    #[inline]
    pub fn read_fixed32(&mut self) -> Result<u32, DecodeError> {
        match *self.advance(4)? {
            [a, b, c, d] => Ok(u32::from_le_bytes([a, b, c, d])),
            _ => Err(DecodeError::Truncated),
        }
    }

    /// Reads eight little-endian bytes.
    #[inline]
    pub fn read_fixed64(&mut self) -> Result<u64, DecodeError> {
        match *self.advance(8)? {
            [a, b, c, d, e, f, g, h] => Ok(u64::from_le_bytes([a, b, c, d, e, f, g, h])),
            _ => Err(DecodeError::Truncated),
        }
    }

    /// Reads a varint length and returns that many bytes.
    #[inline]
    pub fn read_len_delimited(&mut self) -> Result<&'a [u8], DecodeError> {
        let len = self.read_varint()?;
        let len = usize::try_from(len).map_err(|_| DecodeError::LengthOutOfBounds)?;
        let (head, tail) = self
            .buf
            .split_at_checked(len)
            .ok_or(DecodeError::LengthOutOfBounds)?;
        self.buf = tail;
        Ok(head)
    }

    /// Reads a length-delimited UTF-8 string.
    #[inline]
    pub fn read_str(&mut self) -> Result<&'a str, DecodeError> {
        let bytes = self.read_len_delimited()?;
        core::str::from_utf8(bytes).map_err(|_| DecodeError::InvalidUtf8)
    }

    /// Reads the next field key.
    ///
    /// Returns `None` at the end of the input when `group` is 0, or at the end-group key of
    /// field `group` when reading the body of a group. Keys with field number 0, a field
    /// number above 2^29 - 1, wire type 6 or 7, or an unexpected end-group are errors.
    ///
    /// One- and two-byte keys (fields 1 to 2047) with wire types 0, 1, 2, 3 or 5 are read
    /// inline; everything else, end-group keys included, goes through the checks of
    /// `read_key_slow`.
    #[inline]
    pub fn read_key(&mut self, group: u32) -> Result<Option<u32>, DecodeError> {
        match *self.buf {
            [byte, ref rest @ ..] if byte < 0x80 => {
                let key = u32::from(byte);
                if key >= 8 && plain_wire_type(key) {
                    self.buf = rest;
                    return Ok(Some(key));
                }
            }
            [low, high, ref rest @ ..] if high < 0x80 => {
                let key = u32::from(low & 0x7f) | u32::from(high) << 7;
                if key >= 8 && plain_wire_type(key) {
                    self.buf = rest;
                    return Ok(Some(key));
                }
            }
            [] if group == 0 => return Ok(None),
            _ => {}
        }
        self.read_key_slow(group)
    }

    #[cold]
    fn read_key_slow(&mut self, group: u32) -> Result<Option<u32>, DecodeError> {
        if self.buf.is_empty() {
            return Err(DecodeError::Truncated);
        }
        let key = self.read_varint()?;
        let key = u32::try_from(key).map_err(|_| DecodeError::InvalidFieldNumber)?;
        if wire::key_field_number(key) == 0 {
            return Err(DecodeError::InvalidFieldNumber);
        }
        match WireType::from_key(key) {
            None => Err(DecodeError::InvalidWireType),
            Some(WireType::EndGroup) if group != 0 && wire::key_field_number(key) == group => {
                Ok(None)
            }
            Some(WireType::EndGroup) => Err(DecodeError::GroupMismatch),
            Some(_) => Ok(Some(key)),
        }
    }

    /// Skips the value of a field whose key `key` was just read.
    ///
    /// Groups are skipped with their nested fields; each level counts against the depth
    /// limit of `ctx`.
    pub fn skip_field(
        &mut self,
        key: u32,
        ctx: &mut DecodeContext<'a, '_>,
    ) -> Result<(), DecodeError> {
        match WireType::from_key(key) {
            Some(WireType::Varint) => self.read_varint().map(drop),
            Some(WireType::Fixed64) => self.advance(8).map(drop),
            Some(WireType::Len) => self.read_len_delimited().map(drop),
            Some(WireType::Fixed32) => self.advance(4).map(drop),
            Some(WireType::StartGroup) => {
                ctx.enter()?;
                let number = wire::key_field_number(key);
                while let Some(inner) = self.read_key(number)? {
                    self.skip_field(inner, ctx)?;
                }
                ctx.leave();
                Ok(())
            }
            Some(WireType::EndGroup) => Err(DecodeError::GroupMismatch),
            None => Err(DecodeError::InvalidWireType),
        }
    }

    /// Skips the value of a field whose key was just read and returns the raw bytes of the
    /// whole field, key included, given `field_start`, the input as it was before the key.
    pub fn skip_field_raw(
        &mut self,
        key: u32,
        field_start: &'a [u8],
        ctx: &mut DecodeContext<'a, '_>,
    ) -> Result<&'a [u8], DecodeError> {
        self.skip_field(key, ctx)?;
        let consumed = field_start.len().saturating_sub(self.buf.len());
        Ok(field_start.get(..consumed).unwrap_or_default())
    }

    /// Reads one value with codec `C` and merges it into `value`: scalars, strings and bytes
    /// are replaced, messages merged.
    #[inline]
    pub fn merge_field<C: FieldCodec<'a>>(
        &mut self,
        value: &mut C::Value,
        ctx: &mut DecodeContext<'a, '_>,
    ) -> Result<(), DecodeError> {
        C::merge(value, self, ctx)
    }

    /// Reads a length-delimited sub-message and merges it into `message`.
    #[inline]
    pub fn merge_message<M: Message<'a>>(
        &mut self,
        message: &mut M,
        ctx: &mut DecodeContext<'a, '_>,
    ) -> Result<(), DecodeError> {
        let body = self.read_len_delimited()?;
        ctx.enter()?;
        message.merge_from(&mut Reader::new(body), ctx, 0)?;
        ctx.leave();
        Ok(())
    }

    /// Reads the body of group field `number` (its start key was just read) and merges it
    /// into `message`.
    #[inline]
    pub fn merge_group<M: Message<'a>>(
        &mut self,
        message: &mut M,
        number: u32,
        ctx: &mut DecodeContext<'a, '_>,
    ) -> Result<(), DecodeError> {
        ctx.enter()?;
        message.merge_from(self, ctx, number)?;
        ctx.leave();
        Ok(())
    }

    /// Reads a singular sub-message field, merging it into the value it already has, and
    /// stores the result in the arena.
    #[inline]
    pub fn read_message_field<M: Message<'a>>(
        &mut self,
        existing: Option<&'a M>,
        ctx: &mut DecodeContext<'a, '_>,
    ) -> Result<&'a M, DecodeError> {
        let slot = ctx.arena.alloc(existing.copied().unwrap_or_default())?;
        self.merge_message(slot, ctx)?;
        Ok(slot)
    }

    /// Reads a singular group field, merging it into the value it already has, and stores
    /// the result in the arena.
    #[inline]
    pub fn read_group_field<M: Message<'a>>(
        &mut self,
        existing: Option<&'a M>,
        number: u32,
        ctx: &mut DecodeContext<'a, '_>,
    ) -> Result<&'a M, DecodeError> {
        let slot = ctx.arena.alloc(existing.copied().unwrap_or_default())?;
        self.merge_group(slot, number, ctx)?;
        Ok(slot)
    }

    /// Reads a packed run of values of codec `C` and appends them to `out`.
    #[inline]
    pub fn read_packed<C: FieldCodec<'a>>(
        &mut self,
        out: &mut RepeatedBuilder<'a, C::Value>,
        ctx: &mut DecodeContext<'a, '_>,
    ) -> Result<(), DecodeError> {
        let body = self.read_len_delimited()?;
        C::decode_packed(body, out, ctx)
    }

    /// Reads one map entry with key codec `K` and value codec `V`.
    ///
    /// A missing key or value takes its default; unknown fields inside the entry are
    /// skipped.
    pub fn read_map_entry<K: FieldCodec<'a>, V: FieldCodec<'a>>(
        &mut self,
        ctx: &mut DecodeContext<'a, '_>,
    ) -> Result<(K::Value, V::Value), DecodeError> {
        let body = self.read_len_delimited()?;
        ctx.enter()?;
        let mut entry = Reader::new(body);
        let mut key = K::Value::default();
        let mut value = V::Value::default();
        let key_tag = wire::key(1, K::WIRE_TYPE);
        let value_tag = wire::key(2, V::WIRE_TYPE);
        while let Some(tag) = entry.read_key(0)? {
            if tag == key_tag {
                K::merge(&mut key, &mut entry, ctx)?;
            } else if tag == value_tag {
                V::merge(&mut value, &mut entry, ctx)?;
            } else {
                entry.skip_field(tag, ctx)?;
            }
        }
        ctx.leave();
        Ok((key, value))
    }
}
