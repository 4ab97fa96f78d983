// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Wire-format primitives: wire types, field keys, varint lengths and zigzag coding.
//!
//! A field key ("tag") is the varint `field_number << 3 | wire_type`. Generated code matches
//! on the whole key, so a field that arrives with an unexpected wire type falls through to
//! the unknown-field path, as in Google's implementation.

/// The largest field number the format allows (2^29 - 1).
pub const MAX_FIELD_NUMBER: u32 = (1 << 29) - 1;

/// The longest varint: ten bytes carry 64 bits.
pub const MAX_VARINT_LEN: usize = 10;

/// How a field's value is laid out on the wire.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum WireType {
    /// A varint: int32, int64, uint32, uint64, sint32, sint64, bool, enum.
    Varint = 0,
    /// Eight little-endian bytes: fixed64, sfixed64, double.
    Fixed64 = 1,
    /// A varint length, then that many bytes: string, bytes, messages, packed fields.
    Len = 2,
    /// The start of a proto2 group.
    StartGroup = 3,
    /// The end of a proto2 group.
    EndGroup = 4,
    /// Four little-endian bytes: fixed32, sfixed32, float.
    Fixed32 = 5,
}

impl WireType {
    /// Returns the wire type in the low three bits of `key`, or `None` for 6 and 7.
    #[inline]
    pub const fn from_key(key: u32) -> Option<Self> {
        match key & 7 {
            0 => Some(Self::Varint),
            1 => Some(Self::Fixed64),
            2 => Some(Self::Len),
            3 => Some(Self::StartGroup),
            4 => Some(Self::EndGroup),
            5 => Some(Self::Fixed32),
            _ => None,
        }
    }
}

/// Returns the key of field `number` with wire type `wire`.
///
/// `number` must not exceed [`MAX_FIELD_NUMBER`]; larger numbers lose their top bits.
#[inline]
pub const fn key(number: u32, wire: WireType) -> u32 {
    (number << 3) | wire as u32
}

/// Returns the field number of `key`.
#[inline]
pub const fn key_field_number(key: u32) -> u32 {
    key >> 3
}

/// Returns the number of bytes `value` takes as a varint (1 to 10).
#[inline]
pub const fn varint_len(value: u64) -> usize {
    // Each byte carries seven bits, so the length is ceil(bits / 7), computed here without a
    // division by seven; `| 1` makes zero take one byte. The products stay below 9 * 64 + 64.
    let bits = 64usize.wrapping_sub((value | 1).leading_zeros() as usize);
    bits.wrapping_mul(9).wrapping_add(64) / 64
}

/// Returns the number of bytes of a length-delimited value of `len` bytes with its prefix.
#[inline]
pub const fn len_delimited_len(len: usize) -> usize {
    varint_len(len as u64).saturating_add(len)
}

/// Zigzag-encodes a `sint32` so that small negative numbers get short varints.
#[inline]
pub const fn zigzag_encode32(value: i32) -> u32 {
    (value.wrapping_shl(1) ^ value.wrapping_shr(31)) as u32
}

/// Reverses [`zigzag_encode32`].
#[inline]
pub const fn zigzag_decode32(value: u32) -> i32 {
    ((value >> 1) as i32) ^ ((value & 1) as i32).wrapping_neg()
}

/// Zigzag-encodes a `sint64` so that small negative numbers get short varints.
#[inline]
pub const fn zigzag_encode64(value: i64) -> u64 {
    (value.wrapping_shl(1) ^ value.wrapping_shr(63)) as u64
}

/// Reverses [`zigzag_encode64`].
#[inline]
pub const fn zigzag_decode64(value: u64) -> i64 {
    ((value >> 1) as i64) ^ ((value & 1) as i64).wrapping_neg()
}
