// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Encoding: the [`Writer`] into a caller's buffer and the helpers generated code uses to
//! size and write each kind of field.
//!
//! Sizes are computed with saturating arithmetic: a size that saturates cannot fit in any
//! buffer, so the encode fails with [`EncodeError::BufferTooSmall`] instead of overflowing.

use core::mem::take;

use super::codec::{FieldCodec, Msg};
use super::error::EncodeError;
use super::map::Map;
use super::message::Message;
use super::wire::{self, WireType};

/// A cursor that writes into a borrowed byte buffer.
#[derive(Debug)]
pub struct Writer<'b> {
    buf: &'b mut [u8],
    written: usize,
}

impl<'b> Writer<'b> {
    /// Creates a writer that fills `buf` from the start.
    #[inline]
    pub fn new(buf: &'b mut [u8]) -> Self {
        Self { buf, written: 0 }
    }

    /// Returns the number of bytes written so far.
    #[inline]
    pub fn written(&self) -> usize {
        self.written
    }

    /// Returns the number of bytes that can still be written.
    #[inline]
    pub fn remaining(&self) -> usize {
        self.buf.len()
    }

    #[cold]
    fn too_small(&self, needed: usize) -> EncodeError {
        EncodeError::BufferTooSmall {
            needed: self.written.saturating_add(needed),
            available: self.written.saturating_add(self.buf.len()),
        }
    }

    /// Returns the next `n` bytes of the buffer and moves past them.
    #[inline]
    pub(super) fn take(&mut self, n: usize) -> Result<&'b mut [u8], EncodeError> {
        if n > self.buf.len() {
            return Err(self.too_small(n));
        }
        let (head, tail) = take(&mut self.buf).split_at_mut(n);
        self.buf = tail;
        self.written = self.written.wrapping_add(n);
        Ok(head)
    }

    /// Writes `value` as a varint.
    #[inline]
    pub fn write_varint(&mut self, mut value: u64) -> Result<(), EncodeError> {
        let len = wire::varint_len(value);
        let out = self.take(len)?;
        let (last, body) = out.split_last_mut().ok_or(EncodeError::MessageTooLarge)?;
        for byte in body {
            *byte = (value as u8) | 0x80;
            value >>= 7;
        }
        *last = value as u8;
        Ok(())
    }

    /// Writes a field key.
    #[inline]
    pub fn write_key(&mut self, key: u32) -> Result<(), EncodeError> {
        if key < 0x80 {
            let out = self.take(1)?;
            out.fill(key as u8);
            Ok(())
        } else {
            self.write_varint(u64::from(key))
        }
    }

    /// Writes four little-endian bytes.
    #[inline]
    pub fn write_fixed32(&mut self, value: u32) -> Result<(), EncodeError> {
        self.write_raw(&value.to_le_bytes())
    }

    /// Writes eight little-endian bytes.
    #[inline]
    pub fn write_fixed64(&mut self, value: u64) -> Result<(), EncodeError> {
        self.write_raw(&value.to_le_bytes())
    }

    /// Writes `bytes` as they are.
    #[inline]
    pub fn write_raw(&mut self, bytes: &[u8]) -> Result<(), EncodeError> {
        self.take(bytes.len())?.copy_from_slice(bytes);
        Ok(())
    }

    /// Writes the length of `bytes` as a varint, then `bytes`.
    #[inline]
    pub fn write_len_delimited(&mut self, bytes: &[u8]) -> Result<(), EncodeError> {
        self.write_varint(bytes.len() as u64)?;
        self.write_raw(bytes)
    }
}

/// Returns the size of a key for field `number`.
#[inline]
pub const fn key_len(number: u32) -> usize {
    wire::varint_len(wire::key(number, WireType::Varint) as u64)
}

/// Returns the size of a singular field: `key_len` bytes of key, then the value.
#[inline]
pub fn field_len<'a, C: FieldCodec<'a>>(key_len: usize, value: &C::Value) -> usize {
    key_len.saturating_add(C::encoded_len(value))
}

/// Writes a singular field with key `key`.
#[inline]
pub fn encode_field<'a, C: FieldCodec<'a>>(
    key: u32,
    value: &C::Value,
    w: &mut Writer<'_>,
) -> Result<(), EncodeError> {
    w.write_key(key)?;
    C::encode(value, w)
}

/// Returns the size of an unpacked repeated field: one key per value.
#[inline]
pub fn repeated_len<'a, C: FieldCodec<'a>>(key_len: usize, values: &[C::Value]) -> usize {
    values.iter().fold(0usize, |len, value| {
        len.saturating_add(field_len::<C>(key_len, value))
    })
}

/// Writes an unpacked repeated field with key `key` before each value.
#[inline]
pub fn encode_repeated<'a, C: FieldCodec<'a>>(
    key: u32,
    values: &[C::Value],
    w: &mut Writer<'_>,
) -> Result<(), EncodeError> {
    values
        .iter()
        .try_for_each(|value| encode_field::<C>(key, value, w))
}

/// Returns the size of a singular sub-message field: [`field_len`] for [`Msg<M>`], with the
/// message type inferred.
#[inline]
pub fn message_len<'a, M: Message<'a>>(key_len: usize, message: &M) -> usize {
    field_len::<Msg<M>>(key_len, message)
}

/// Writes a singular sub-message field: [`encode_field`] for [`Msg<M>`], with the message
/// type inferred.
#[inline]
pub fn encode_message<'a, M: Message<'a>>(
    key: u32,
    message: &M,
    w: &mut Writer<'_>,
) -> Result<(), EncodeError> {
    encode_field::<Msg<M>>(key, message, w)
}

/// Returns the size of a repeated sub-message field: [`repeated_len`] for [`Msg<M>`], with
/// the message type inferred.
#[inline]
pub fn messages_len<'a, M: Message<'a>>(key_len: usize, messages: &[M]) -> usize {
    repeated_len::<Msg<M>>(key_len, messages)
}

/// Writes a repeated sub-message field: [`encode_repeated`] for [`Msg<M>`], with the message
/// type inferred.
#[inline]
pub fn encode_messages<'a, M: Message<'a>>(
    key: u32,
    messages: &[M],
    w: &mut Writer<'_>,
) -> Result<(), EncodeError> {
    encode_repeated::<Msg<M>>(key, messages, w)
}

/// Returns the size of the body of a packed field.
#[inline]
fn packed_body_len<'a, C: FieldCodec<'a>>(values: &[C::Value]) -> usize {
    if let Some(size) = C::FIXED_SIZE {
        return values.len().saturating_mul(size);
    }
    values.iter().fold(0usize, |len, value| {
        len.saturating_add(C::encoded_len(value))
    })
}

/// Returns the size of a packed repeated field; an empty field is not written at all.
#[inline]
pub fn packed_len<'a, C: FieldCodec<'a>>(key_len: usize, values: &[C::Value]) -> usize {
    if values.is_empty() {
        return 0;
    }
    key_len.saturating_add(wire::len_delimited_len(packed_body_len::<C>(values)))
}

/// Writes a packed repeated field with key `key` (wire type `Len`); writes nothing when
/// `values` is empty.
#[inline]
pub fn encode_packed<'a, C: FieldCodec<'a>>(
    key: u32,
    values: &[C::Value],
    w: &mut Writer<'_>,
) -> Result<(), EncodeError> {
    if values.is_empty() {
        return Ok(());
    }
    w.write_key(key)?;
    w.write_varint(packed_body_len::<C>(values) as u64)?;
    C::encode_packed_values(values, w)
}

/// Returns the size of a group field: start key, the group's fields, end key.
#[inline]
pub fn group_len<'a, M: Message<'a>>(key_len: usize, message: &M) -> usize {
    key_len
        .saturating_mul(2)
        .saturating_add(message.encoded_len())
}

/// Writes group field `number`: start key, the group's fields, end key.
#[inline]
pub fn encode_group<'a, M: Message<'a>>(
    number: u32,
    message: &M,
    w: &mut Writer<'_>,
) -> Result<(), EncodeError> {
    w.write_key(wire::key(number, WireType::StartGroup))?;
    message.encode_raw(w)?;
    w.write_key(wire::key(number, WireType::EndGroup))
}

/// Returns the size of the body of one map entry.
#[inline]
fn map_entry_body_len<'a, K: FieldCodec<'a>, V: FieldCodec<'a>>(
    key: &K::Value,
    value: &V::Value,
) -> usize {
    field_len::<K>(1, key).saturating_add(field_len::<V>(1, value))
}

/// Returns the size of a map field: one length-delimited entry per pair.
#[inline]
pub fn map_len<'a, K: FieldCodec<'a>, V: FieldCodec<'a>>(
    key_len: usize,
    map: &Map<'_, K::Value, V::Value>,
) -> usize {
    map.iter().fold(0usize, |len, (key, value)| {
        let entry = wire::len_delimited_len(map_entry_body_len::<K, V>(key, value));
        len.saturating_add(key_len).saturating_add(entry)
    })
}

/// Writes a map field with key `key`: each pair as an entry with the key as field 1 and
/// the value as field 2, both always present.
#[inline]
pub fn encode_map<'a, K: FieldCodec<'a>, V: FieldCodec<'a>>(
    key: u32,
    map: &Map<'_, K::Value, V::Value>,
    w: &mut Writer<'_>,
) -> Result<(), EncodeError> {
    map.iter().try_for_each(|(k, v)| {
        w.write_key(key)?;
        w.write_varint(map_entry_body_len::<K, V>(k, v) as u64)?;
        encode_field::<K>(wire::key(1, K::WIRE_TYPE), k, w)?;
        encode_field::<V>(wire::key(2, V::WIRE_TYPE), v, w)
    })
}

/// Returns the size of raw fields kept verbatim (unknown fields).
#[inline]
pub fn raw_fields_len(fields: &[&[u8]]) -> usize {
    fields
        .iter()
        .fold(0usize, |len, field| len.saturating_add(field.len()))
}

/// Writes raw fields kept verbatim (unknown fields).
#[inline]
pub fn encode_raw_fields(fields: &[&[u8]], w: &mut Writer<'_>) -> Result<(), EncodeError> {
    fields.iter().try_for_each(|field| w.write_raw(field))
}
