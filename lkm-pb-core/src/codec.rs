// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! One codec type per protobuf field type.
//!
//! Generated code names the protobuf type of each field through a zero-sized codec type
//! ([`Int32`], [`SInt64`], [`Str`], [`Msg`], ...). The [`FieldCodec`] trait gives each one its
//! Rust value type, wire type, decoder and encoder, so that one generic helper serves every
//! field of that type and everything is resolved at compile time: no per-field dispatch.

use core::marker::PhantomData;
use core::mem::take;

use super::decode::{DecodeContext, Reader};
use super::encode::Writer;
use super::error::{DecodeError, EncodeError};
use super::float::{F32, F64};
use super::message::{Enumeration, Message};
use super::repeated::RepeatedBuilder;
use super::wire::{self, WireType};

/// How values of one protobuf type are decoded, sized and encoded.
pub trait FieldCodec<'a> {
    /// The Rust type that holds a value.
    type Value: Copy + Default;
    /// The wire type of a single value.
    const WIRE_TYPE: WireType;
    /// The encoded size of every value, for types whose values all have one size.
    const FIXED_SIZE: Option<usize> = None;

    /// Reads one value and merges it into `value` (scalars are replaced, messages merged).
    fn merge(
        value: &mut Self::Value,
        r: &mut Reader<'a>,
        ctx: &mut DecodeContext<'a, '_>,
    ) -> Result<(), DecodeError>;

    /// Decodes the body of a packed field and appends its values to `out`.
    fn decode_packed(
        body: &'a [u8],
        out: &mut RepeatedBuilder<'a, Self::Value>,
        ctx: &mut DecodeContext<'a, '_>,
    ) -> Result<(), DecodeError> {
        let mut r = Reader::new(body);
        while !r.is_empty() {
            let mut value = Self::Value::default();
            Self::merge(&mut value, &mut r, ctx)?;
            out.push(ctx.arena, value)?;
        }
        Ok(())
    }

    /// Returns the encoded size of `value`, without a key.
    fn encoded_len(value: &Self::Value) -> usize;

    /// Writes the values of a packed field one after the other, without key or length.
    fn encode_packed_values(values: &[Self::Value], w: &mut Writer<'_>) -> Result<(), EncodeError> {
        values.iter().try_for_each(|value| Self::encode(value, w))
    }

    /// Writes `value`, without a key.
    fn encode(value: &Self::Value, w: &mut Writer<'_>) -> Result<(), EncodeError>;

    /// Returns `true` for the type's default value, which proto3 does not emit.
    fn is_default(value: &Self::Value) -> bool;
}

/// Appends the varints of a packed body to `out`, converting each with `convert`.
#[inline]
fn decode_packed_varints<'a, T: Copy>(
    body: &'a [u8],
    out: &mut RepeatedBuilder<'a, T>,
    ctx: &mut DecodeContext<'a, '_>,
    convert: impl Fn(u64) -> T,
) -> Result<(), DecodeError> {
    // Every varint ends with the one byte that has its top bit clear, so counting those
    // bytes counts the values and lets the storage grow once.
    // A fold with a wrapping add rather than `count()`: the latter sums with an
    // overflow-checked addition, a panic path in kernel builds.
    let count = body
        .iter()
        .fold(0usize, |n, &b| n.wrapping_add(usize::from(b < 0x80)));
    if body.last().is_some_and(|&b| b >= 0x80) {
        return Err(DecodeError::Truncated);
    }
    out.reserve(ctx.arena, count)?;
    let mut r = Reader::new(body);
    while !r.is_empty() {
        out.push(ctx.arena, convert(r.read_varint()?))?;
    }
    Ok(())
}

/// Appends the `N`-byte little-endian values of a packed body to `out`.
///
/// The values go in through [`RepeatedBuilder::extend_exact`], whose store loop has no
/// capacity check: for the integer types the conversion is a plain load, and the whole body
/// becomes a block copy.
#[inline]
fn decode_packed_fixed<'a, T: Copy, const N: usize>(
    body: &'a [u8],
    out: &mut RepeatedBuilder<'a, T>,
    ctx: &mut DecodeContext<'a, '_>,
    convert: impl Fn([u8; N]) -> T,
) -> Result<(), DecodeError> {
    if body.len().checked_rem(N) != Some(0) {
        return Err(DecodeError::InvalidPackedLength);
    }
    out.extend_exact(ctx.arena, FixedChunks::<N> { rest: body }.map(convert))
}

/// The `N`-byte chunks of a packed fixed-width body whose length is a multiple of `N`.
///
/// Used instead of `chunks_exact`, whose indexing and length computations instantiate
/// overflow and division checks (panic paths) when compiled with the kernel's flags.
struct FixedChunks<'a, const N: usize> {
    rest: &'a [u8],
}

impl<const N: usize> Iterator for FixedChunks<'_, N> {
    type Item = [u8; N];

    #[inline]
    fn next(&mut self) -> Option<[u8; N]> {
        let (head, tail) = self.rest.split_first_chunk::<N>()?;
        self.rest = tail;
        Some(*head)
    }

    #[inline]
    fn size_hint(&self) -> (usize, Option<usize>) {
        let len = self.rest.len().checked_div(N).unwrap_or(0);
        (len, Some(len))
    }
}

impl<const N: usize> ExactSizeIterator for FixedChunks<'_, N> {}

macro_rules! varint_codec {
    ($(#[$doc:meta])* $name:ident, $ty:ty, |$d:ident| $decode:expr, |$e:ident| $encode:expr) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, Default)]
        pub struct $name;

        impl<'a> FieldCodec<'a> for $name {
            type Value = $ty;
            const WIRE_TYPE: WireType = WireType::Varint;

            #[inline]
            fn merge(
                value: &mut $ty,
                r: &mut Reader<'a>,
                _ctx: &mut DecodeContext<'a, '_>,
            ) -> Result<(), DecodeError> {
                let $d = r.read_varint()?;
                *value = $decode;
                Ok(())
            }

            #[inline]
            fn decode_packed(
                body: &'a [u8],
                out: &mut RepeatedBuilder<'a, $ty>,
                ctx: &mut DecodeContext<'a, '_>,
            ) -> Result<(), DecodeError> {
                decode_packed_varints(body, out, ctx, |$d| $decode)
            }

            #[inline]
            fn encoded_len(value: &$ty) -> usize {
                let $e = *value;
                wire::varint_len($encode)
            }

            #[inline]
            fn encode(value: &$ty, w: &mut Writer<'_>) -> Result<(), EncodeError> {
                let $e = *value;
                w.write_varint($encode)
            }

            #[inline]
            fn is_default(value: &$ty) -> bool {
                *value == <$ty>::default()
            }
        }
    };
}

varint_codec!(
    /// `int32`: a varint; negative values take ten bytes, as the format requires.
    Int32, i32, |v| v as i32, |v| v as i64 as u64
);
varint_codec!(
    /// `int64`: a varint; negative values take ten bytes.
    Int64, i64, |v| v as i64, |v| v as u64
);
varint_codec!(
    /// `uint32`: a varint.
    UInt32, u32, |v| v as u32, |v| u64::from(v)
);
varint_codec!(
    /// `uint64`: a varint.
    UInt64, u64, |v| v, |v| v
);
varint_codec!(
    /// `sint32`: a zigzag-coded varint.
    SInt32, i32, |v| wire::zigzag_decode32(v as u32), |v| u64::from(wire::zigzag_encode32(v))
);
varint_codec!(
    /// `sint64`: a zigzag-coded varint.
    SInt64, i64, |v| wire::zigzag_decode64(v), |v| wire::zigzag_encode64(v)
);
varint_codec!(
    /// `bool`: a varint; any non-zero value reads as `true`.
    Bool, bool, |v| v != 0, |v| u64::from(v)
);

macro_rules! fixed_codec {
    ($(#[$doc:meta])* $name:ident, $ty:ty, $raw:ty, $n:literal, $wire:ident, $read:ident,
     $write:ident, |$d:ident| $decode:expr, |$e:ident| $encode:expr) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, Default)]
        pub struct $name;

        impl<'a> FieldCodec<'a> for $name {
            type Value = $ty;
            const WIRE_TYPE: WireType = WireType::$wire;
            const FIXED_SIZE: Option<usize> = Some($n);

            #[inline]
            fn merge(
                value: &mut $ty,
                r: &mut Reader<'a>,
                _ctx: &mut DecodeContext<'a, '_>,
            ) -> Result<(), DecodeError> {
                let $d: $raw = r.$read()?;
                *value = $decode;
                Ok(())
            }

            #[inline]
            fn decode_packed(
                body: &'a [u8],
                out: &mut RepeatedBuilder<'a, $ty>,
                ctx: &mut DecodeContext<'a, '_>,
            ) -> Result<(), DecodeError> {
                decode_packed_fixed::<$ty, $n>(body, out, ctx, |bytes| {
                    let $d: $raw = FromLe::from_le(bytes);
                    $decode
                })
            }

            #[inline]
            fn encoded_len(_value: &$ty) -> usize {
                $n
            }

            #[inline]
            fn encode_packed_values(values: &[$ty], w: &mut Writer<'_>) -> Result<(), EncodeError> {
                // One length check for the whole run; the loop then only converts and stores,
                // which the compiler can turn into a block copy.
                let mut out = w.take(values.len().saturating_mul($n))?;
                for value in values {
                    let Some((chunk, rest)) = take(&mut out).split_first_chunk_mut::<$n>() else {
                        break;
                    };
                    let $e = *value;
                    *chunk = $encode.to_le_bytes();
                    out = rest;
                }
                Ok(())
            }

            #[inline]
            fn encode(value: &$ty, w: &mut Writer<'_>) -> Result<(), EncodeError> {
                let $e = *value;
                w.$write($encode)
            }

            #[inline]
            fn is_default(value: &$ty) -> bool {
                let $e = *value;
                $encode == 0
            }
        }
    };
}

/// Little-endian conversion of a fixed-width wire value.
trait FromLe<const N: usize> {
    fn from_le(bytes: [u8; N]) -> Self;
}

impl FromLe<4> for u32 {
    #[inline]
    fn from_le(bytes: [u8; 4]) -> Self {
        u32::from_le_bytes(bytes)
    }
}

impl FromLe<8> for u64 {
    #[inline]
    fn from_le(bytes: [u8; 8]) -> Self {
        u64::from_le_bytes(bytes)
    }
}

fixed_codec!(
    /// `fixed32`: four little-endian bytes.
    Fixed32, u32, u32, 4, Fixed32, read_fixed32, write_fixed32, |v| v, |v| v
);
fixed_codec!(
    /// `fixed64`: eight little-endian bytes.
    Fixed64, u64, u64, 8, Fixed64, read_fixed64, write_fixed64, |v| v, |v| v
);
fixed_codec!(
    /// `sfixed32`: four little-endian bytes, two's complement.
    SFixed32, i32, u32, 4, Fixed32, read_fixed32, write_fixed32, |v| v as i32, |v| v as u32
);
fixed_codec!(
    /// `sfixed64`: eight little-endian bytes, two's complement.
    SFixed64, i64, u64, 8, Fixed64, read_fixed64, write_fixed64, |v| v as i64, |v| v as u64
);
fixed_codec!(
    /// `float`: the four bytes of an IEEE-754 single, kept as bits in an [`F32`].
    Float, F32, u32, 4, Fixed32, read_fixed32, write_fixed32, |v| F32::from_bits(v), |v| v.to_bits()
);
fixed_codec!(
    /// `double`: the eight bytes of an IEEE-754 double, kept as bits in an [`F64`].
    Double, F64, u64, 8, Fixed64, read_fixed64, write_fixed64, |v| F64::from_bits(v), |v| v.to_bits()
);

/// `string`: length-delimited UTF-8, borrowed from the input.
#[derive(Clone, Copy, Debug, Default)]
pub struct Str;

impl<'a> FieldCodec<'a> for Str {
    type Value = &'a str;
    const WIRE_TYPE: WireType = WireType::Len;

    #[inline]
    fn merge(
        value: &mut &'a str,
        r: &mut Reader<'a>,
        _ctx: &mut DecodeContext<'a, '_>,
    ) -> Result<(), DecodeError> {
        *value = r.read_str()?;
        Ok(())
    }

    #[inline]
    fn encoded_len(value: &&'a str) -> usize {
        wire::len_delimited_len(value.len())
    }

    #[inline]
    fn encode(value: &&'a str, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        w.write_len_delimited(value.as_bytes())
    }

    #[inline]
    fn is_default(value: &&'a str) -> bool {
        value.is_empty()
    }
}

/// `bytes`: length-delimited bytes, borrowed from the input.
#[derive(Clone, Copy, Debug, Default)]
pub struct Bytes;

impl<'a> FieldCodec<'a> for Bytes {
    type Value = &'a [u8];
    const WIRE_TYPE: WireType = WireType::Len;

    #[inline]
    fn merge(
        value: &mut &'a [u8],
        r: &mut Reader<'a>,
        _ctx: &mut DecodeContext<'a, '_>,
    ) -> Result<(), DecodeError> {
        *value = r.read_len_delimited()?;
        Ok(())
    }

    #[inline]
    fn encoded_len(value: &&'a [u8]) -> usize {
        wire::len_delimited_len(value.len())
    }

    #[inline]
    fn encode(value: &&'a [u8], w: &mut Writer<'_>) -> Result<(), EncodeError> {
        w.write_len_delimited(value)
    }

    #[inline]
    fn is_default(value: &&'a [u8]) -> bool {
        value.is_empty()
    }
}

/// An enum field of type `E`: an `int32` varint; unknown numbers are kept.
pub struct Enum<E>(PhantomData<E>);

impl<'a, E: Enumeration> FieldCodec<'a> for Enum<E> {
    type Value = E;
    const WIRE_TYPE: WireType = WireType::Varint;

    #[inline]
    fn merge(
        value: &mut E,
        r: &mut Reader<'a>,
        _ctx: &mut DecodeContext<'a, '_>,
    ) -> Result<(), DecodeError> {
        *value = E::from_i32(r.read_varint()? as i32);
        Ok(())
    }

    #[inline]
    fn decode_packed(
        body: &'a [u8],
        out: &mut RepeatedBuilder<'a, E>,
        ctx: &mut DecodeContext<'a, '_>,
    ) -> Result<(), DecodeError> {
        decode_packed_varints(body, out, ctx, |v| E::from_i32(v as i32))
    }

    #[inline]
    fn encoded_len(value: &E) -> usize {
        wire::varint_len(value.to_i32() as i64 as u64)
    }

    #[inline]
    fn encode(value: &E, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        w.write_varint(value.to_i32() as i64 as u64)
    }

    #[inline]
    fn is_default(value: &E) -> bool {
        value.to_i32() == 0
    }
}

/// A message field of type `M`, length-delimited, held inline (in repeated fields and map
/// values; singular message fields are references, see
/// [`Reader::read_message_field`](super::decode::Reader::read_message_field)).
pub struct Msg<M>(PhantomData<M>);

impl<'a, M: Message<'a>> FieldCodec<'a> for Msg<M> {
    type Value = M;
    const WIRE_TYPE: WireType = WireType::Len;

    #[inline]
    fn merge(
        value: &mut M,
        r: &mut Reader<'a>,
        ctx: &mut DecodeContext<'a, '_>,
    ) -> Result<(), DecodeError> {
        r.merge_message(value, ctx)
    }

    #[inline]
    fn encoded_len(value: &M) -> usize {
        wire::len_delimited_len(value.encoded_len())
    }

    #[inline]
    fn encode(value: &M, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        w.write_varint(value.encoded_len() as u64)?;
        value.encode_raw(w)
    }

    #[inline]
    fn is_default(_value: &M) -> bool {
        false
    }
}
