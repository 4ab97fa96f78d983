// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The traits generated code implements: [`Message`] for messages, [`Enumeration`] for
//! enums.

use super::arena::Arena;
use super::decode::{DecodeContext, DecodeOptions, Reader};
use super::encode::Writer;
use super::error::{DecodeError, EncodeError};

/// A protobuf message whose decoded form borrows the input and an arena for `'a`.
///
/// Generated messages are plain `Copy` structs: scalars by value, strings and bytes as
/// slices of the input, sub-messages and repeated fields in the arena. Nothing needs to be
/// dropped, and a decoded message can be copied freely while its buffers live.
pub trait Message<'a>: Copy + Default {
    /// Reads fields from `r` and merges them into `self` following the protobuf merge rules:
    /// a singular scalar takes the last value, repeated fields append, sub-messages merge.
    ///
    /// Reads to the end of `r` when `end_group` is 0, or up to the end-group key of field
    /// `end_group` when decoding the body of a group.
    fn merge_from(
        &mut self,
        r: &mut Reader<'a>,
        ctx: &mut DecodeContext<'a, '_>,
        end_group: u32,
    ) -> Result<(), DecodeError>;

    /// Returns the exact number of bytes [`encode`](Self::encode) writes.
    fn encoded_len(&self) -> usize;

    /// Writes the fields of `self`, without a length prefix.
    fn encode_raw(&self, w: &mut Writer<'_>) -> Result<(), EncodeError>;

    /// Decodes a message from `bytes`, placing sub-messages and repeated fields in `arena`,
    /// with the default [`DecodeOptions`].
    fn decode(bytes: &'a [u8], arena: &mut Arena<'a>) -> Result<Self, DecodeError> {
        Self::decode_with(bytes, arena, DecodeOptions::new())
    }

    /// Decodes a message from `bytes` with the given options.
    fn decode_with(
        bytes: &'a [u8],
        arena: &mut Arena<'a>,
        options: DecodeOptions,
    ) -> Result<Self, DecodeError> {
        let mut message = Self::default();
        message.merge_with(bytes, arena, options)?;
        Ok(message)
    }

    /// Decodes `bytes` and merges the result into `self`.
    fn merge_with(
        &mut self,
        bytes: &'a [u8],
        arena: &mut Arena<'a>,
        options: DecodeOptions,
    ) -> Result<(), DecodeError> {
        let mut ctx = DecodeContext::new(arena, options);
        self.merge_from(&mut Reader::new(bytes), &mut ctx, 0)
    }

    /// Encodes `self` at the start of `out` and returns the number of bytes written.
    ///
    /// Fails, writing nothing useful, when `out` is shorter than
    /// [`encoded_len`](Self::encoded_len).
    fn encode(&self, out: &mut [u8]) -> Result<usize, EncodeError> {
        let needed = self.encoded_len();
        if needed > out.len() {
            return Err(EncodeError::BufferTooSmall {
                needed,
                available: out.len(),
            });
        }
        let mut w = Writer::new(out);
        self.encode_raw(&mut w)?;
        Ok(w.written())
    }
}

/// A protobuf enum. Enums are open: a number without a name is kept as it is.
pub trait Enumeration: Copy + Default + PartialEq {
    /// Returns the enum value for `number`, named or not.
    fn from_i32(number: i32) -> Self;

    /// Returns the number of this value.
    fn to_i32(self) -> i32;

    /// Returns the name of this value as written in the `.proto` file, if it has one.
    fn name(self) -> Option<&'static str>;
}
