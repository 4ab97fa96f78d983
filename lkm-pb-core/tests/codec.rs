// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Tests of every field codec and of the field helpers in `encode`: round trips at boundary
//! values, sizes, defaults, packed decoding and hand-computed encodings.

mod common;

use core::fmt::Debug;

use common::Foo;
use lkm_pb_core::codec::{
    Bool, Bytes, Double, Enum, FieldCodec, Fixed32, Fixed64, Float, Int32, Int64, Msg, SFixed32,
    SFixed64, SInt32, SInt64, Str, UInt32, UInt64,
};
use lkm_pb_core::decode::{DecodeContext, DecodeOptions, Reader};
use lkm_pb_core::encode::{
    encode_field, encode_map, encode_packed, encode_raw_fields, encode_repeated, field_len,
    map_len, packed_len, raw_fields_len, repeated_len, Writer,
};
use lkm_pb_core::error::{DecodeError, EncodeError};
use lkm_pb_core::wire::{key, WireType};
use lkm_pb_core::{Arena, Enumeration, Map, RepeatedBuilder, F32, F64};
use proptest::prelude::*;

/// Returns the proptest configuration: few cases under Miri.
fn config() -> ProptestConfig {
    ProptestConfig {
        cases: if cfg!(miri) { 4 } else { 1024 },
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Encodes `value` with codec `C` into `buf`, checks the size against `encoded_len`, decodes
/// it back and returns the decoded value and the encoding.
fn round_trip<'a, C>(value: C::Value, buf: &'a mut [u8]) -> (C::Value, &'a [u8])
where
    C: FieldCodec<'a>,
    C::Value: PartialEq + Debug,
{
    let mut w = Writer::new(buf);
    C::encode(&value, &mut w).unwrap();
    let n = w.written();
    assert_eq!(n, C::encoded_len(&value), "encoded_len of {value:?}");
    let buf: &'a [u8] = buf;
    let bytes = &buf[..n];
    // The encoding does not fit one byte less.
    let mut small = vec![0u8; n - 1];
    assert!(
        matches!(
            C::encode(&value, &mut Writer::new(&mut small)),
            Err(EncodeError::BufferTooSmall { needed, available }) if needed == n && available == n - 1
        ),
        "encoding {value:?} into {} bytes",
        n - 1
    );

    let mut arena = Arena::new(&mut []);
    let mut ctx = DecodeContext::new(&mut arena, DecodeOptions::new());
    let mut r = Reader::new(bytes);
    let mut decoded = C::Value::default();
    C::merge(&mut decoded, &mut r, &mut ctx).unwrap();
    assert!(r.is_empty(), "decoding {value:?} left bytes");
    assert_eq!(decoded, value);
    // A truncated encoding is an error, never a panic.
    for cut in 0..n {
        let mut r = Reader::new(&bytes[..cut]);
        let mut v = C::Value::default();
        let err = C::merge(&mut v, &mut r, &mut ctx).unwrap_err();
        assert!(
            matches!(err, DecodeError::Truncated | DecodeError::LengthOutOfBounds),
            "{value:?} cut at {cut}: {err:?}"
        );
    }
    (decoded, bytes)
}

/// Checks a list of `(value, encoded length, is_default)` for codec `C`.
fn check<C, T>(cases: &[(T, usize, bool)])
where
    C: for<'a> FieldCodec<'a, Value = T>,
    T: Copy + Default + PartialEq + Debug,
{
    for &(value, len, default) in cases {
        let mut buf = [0u8; 16];
        let (_, bytes) = round_trip::<C>(value, &mut buf);
        assert_eq!(bytes.len(), len, "length of {value:?}");
        assert_eq!(C::is_default(&value), default, "is_default({value:?})");
    }
    assert!(C::is_default(&T::default()));
}

#[test]
fn int32() {
    check::<Int32, _>(&[
        (0, 1, true),
        (1, 1, false),
        (127, 1, false),
        (128, 2, false),
        (-1, 10, false),
        (i32::MIN, 10, false),
        (i32::MAX, 5, false),
    ]);
    assert_eq!(<Int32 as FieldCodec<'_>>::WIRE_TYPE, WireType::Varint);
    // Older encoders wrote negative int32 as five bytes; the low 32 bits are the value.
    let mut v = 0;
    let mut arena = Arena::new(&mut []);
    let mut ctx = DecodeContext::new(&mut arena, DecodeOptions::new());
    Int32::merge(
        &mut v,
        &mut Reader::new(&[0xff, 0xff, 0xff, 0xff, 0x0f]),
        &mut ctx,
    )
    .unwrap();
    assert_eq!(v, -1);
    // An int64-sized value is truncated to its low 32 bits.
    let mut buf = [0u8; 10];
    let mut w = Writer::new(&mut buf);
    w.write_varint(0x1_0000_0005).unwrap();
    let n = w.written();
    Int32::merge(&mut v, &mut Reader::new(&buf[..n]), &mut ctx).unwrap();
    assert_eq!(v, 5);
}

#[test]
fn int64() {
    check::<Int64, _>(&[
        (0, 1, true),
        (-1, 10, false),
        (i64::MIN, 10, false),
        (i64::MAX, 9, false),
        (1 << 35, 6, false),
    ]);
}

#[test]
fn uint32() {
    check::<UInt32, _>(&[(0, 1, true), (300, 2, false), (u32::MAX, 5, false)]);
    // A uint32 written as a wider varint keeps its low 32 bits.
    let mut v = 0;
    let mut arena = Arena::new(&mut []);
    let mut ctx = DecodeContext::new(&mut arena, DecodeOptions::new());
    let max = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01];
    UInt32::merge(&mut v, &mut Reader::new(&max), &mut ctx).unwrap();
    assert_eq!(v, u32::MAX);
}

#[test]
fn uint64() {
    check::<UInt64, _>(&[(0, 1, true), (1 << 63, 10, false), (u64::MAX, 10, false)]);
}

#[test]
fn sint32() {
    check::<SInt32, _>(&[
        (0, 1, true),
        (-1, 1, false),
        (1, 1, false),
        (-64, 1, false),
        (64, 2, false),
        (i32::MIN, 5, false),
        (i32::MAX, 5, false),
    ]);
}

#[test]
fn sint64() {
    check::<SInt64, _>(&[
        (0, 1, true),
        (-1, 1, false),
        (i64::MIN, 10, false),
        (i64::MAX, 10, false),
    ]);
}

#[test]
fn fixed_width() {
    check::<Fixed32, _>(&[(0, 4, true), (1, 4, false), (u32::MAX, 4, false)]);
    check::<Fixed64, _>(&[(0, 8, true), (u64::MAX, 8, false)]);
    check::<SFixed32, _>(&[
        (0, 4, true),
        (-1, 4, false),
        (i32::MIN, 4, false),
        (i32::MAX, 4, false),
    ]);
    check::<SFixed64, _>(&[
        (0, 8, true),
        (-1, 8, false),
        (i64::MIN, 8, false),
        (i64::MAX, 8, false),
    ]);
    assert_eq!(<Fixed32 as FieldCodec<'_>>::WIRE_TYPE, WireType::Fixed32);
    assert_eq!(<SFixed64 as FieldCodec<'_>>::WIRE_TYPE, WireType::Fixed64);
    let mut buf = [0u8; 8];
    let (_, bytes) = round_trip::<SFixed32>(-2, &mut buf);
    assert_eq!(bytes, [0xfe, 0xff, 0xff, 0xff]);
}

#[test]
fn bool_codec() {
    check::<Bool, _>(&[(false, 1, true), (true, 1, false)]);
    // Any non-zero varint is true, however long.
    let mut arena = Arena::new(&mut []);
    let mut ctx = DecodeContext::new(&mut arena, DecodeOptions::new());
    for bytes in [&[2u8][..], &[0x80, 0x01], &[0x80, 0x80, 0x80, 0x80, 0x10]] {
        let mut v = false;
        Bool::merge(&mut v, &mut Reader::new(bytes), &mut ctx).unwrap();
        assert!(v, "{bytes:x?}");
    }
    let mut v = true;
    Bool::merge(&mut v, &mut Reader::new(&[0x80, 0x00]), &mut ctx).unwrap();
    assert!(!v);
}

#[test]
fn float_and_double() {
    check::<Float, _>(&[
        (F32::ZERO, 4, true),
        (F32::from_native(-0.0), 4, false),
        (F32::from_native(1.5), 4, false),
        (F32::from_native(f32::INFINITY), 4, false),
        (F32::from_bits(0x7fc0_0001), 4, false),
        (F32::from_bits(1), 4, false),
    ]);
    check::<Double, _>(&[
        (F64::ZERO, 8, true),
        (F64::from_native(-0.0), 8, false),
        (F64::from_native(f64::MAX), 8, false),
        (F64::from_bits(u64::MAX), 8, false),
    ]);
    let mut buf = [0u8; 8];
    let (_, bytes) = round_trip::<Float>(F32::from_native(1.0), &mut buf);
    assert_eq!(bytes, 1.0f32.to_le_bytes());
}

#[test]
fn strings_and_bytes() {
    let mut buf = [0u8; 300];
    let (v, bytes) = round_trip::<Str>("", &mut buf);
    assert_eq!((v, bytes), ("", &[0u8][..]));
    let mut buf = [0u8; 300];
    let (_, bytes) = round_trip::<Str>("h\u{e9}", &mut buf);
    assert_eq!(bytes, [3, b'h', 0xc3, 0xa9]);
    let long = "x".repeat(200);
    let mut buf = [0u8; 300];
    let (v, bytes) = round_trip::<Str>(&long, &mut buf);
    assert_eq!(v, long);
    assert_eq!(&bytes[..2], [0xc8, 0x01]);
    assert_eq!(bytes.len(), 202);
    assert!(Str::is_default(&""));
    assert!(!Str::is_default(&"a"));

    let mut buf = [0u8; 300];
    let (v, bytes) = round_trip::<Bytes>(&[0xff, 0x00][..], &mut buf);
    assert_eq!((v, bytes), (&[0xff, 0x00][..], &[2, 0xff, 0x00][..]));
    assert!(Bytes::is_default(&&[][..]));
    assert!(!Bytes::is_default(&&[0][..]));
    assert_eq!(<Bytes as FieldCodec<'_>>::WIRE_TYPE, WireType::Len);

    // Decoded strings and bytes borrow the input.
    let input = [3u8, b'a', b'b', b'c'];
    let mut arena = Arena::new(&mut []);
    let mut ctx = DecodeContext::new(&mut arena, DecodeOptions::new());
    let mut s = "";
    Str::merge(&mut s, &mut Reader::new(&input), &mut ctx).unwrap();
    assert_eq!(s.as_ptr(), input[1..].as_ptr());
    let mut b: &[u8] = &[];
    Bytes::merge(&mut b, &mut Reader::new(&input), &mut ctx).unwrap();
    assert_eq!(b.as_ptr(), input[1..].as_ptr());
    // Invalid UTF-8 is rejected by `Str` but fine for `Bytes`.
    let bad = [1u8, 0xff];
    assert_eq!(
        Str::merge(&mut s, &mut Reader::new(&bad), &mut ctx),
        Err(DecodeError::InvalidUtf8)
    );
    Bytes::merge(&mut b, &mut Reader::new(&bad), &mut ctx).unwrap();
    assert_eq!(b, [0xff]);
}

/// An open enum as generated code would write it.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct Color(i32);

impl Enumeration for Color {
    fn from_i32(number: i32) -> Self {
        Self(number)
    }

    fn to_i32(self) -> i32 {
        self.0
    }

    fn name(self) -> Option<&'static str> {
        match self.0 {
            0 => Some("RED"),
            1 => Some("GREEN"),
            _ => None,
        }
    }
}

#[test]
fn enums() {
    check::<Enum<Color>, _>(&[
        (Color(0), 1, true),
        (Color(1), 1, false),
        (Color(-1), 10, false),
        (Color(i32::MAX), 5, false),
    ]);
    let mut arena_buf = [0u8; 64];
    let mut arena = Arena::new(&mut arena_buf);
    let mut ctx = DecodeContext::new(&mut arena, DecodeOptions::new());
    let mut out = RepeatedBuilder::new(&[]);
    let body = [4u8, 0, 1, 0x7f, 0x02];
    Reader::new(&body)
        .read_packed::<Enum<Color>>(&mut out, &mut ctx)
        .unwrap();
    assert_eq!(
        out.finish(ctx.arena),
        [Color(0), Color(1), Color(127), Color(2)]
    );
}

#[test]
fn message_codec() {
    let inner = Foo {
        bar: 150,
        ..Foo::default()
    };
    let mut buf = [0u8; 16];
    let mut w = Writer::new(&mut buf);
    Msg::<Foo<'_>>::encode(&inner, &mut w).unwrap();
    let n = w.written();
    assert_eq!(&buf[..n], [3, 0x08, 0x96, 0x01]);
    assert_eq!(Msg::<Foo<'_>>::encoded_len(&inner), 4);
    assert!(!Msg::<Foo<'_>>::is_default(&Foo::default()));

    let mut arena = Arena::new(&mut []);
    let mut ctx = DecodeContext::new(&mut arena, DecodeOptions::new());
    let mut decoded = Foo {
        name: "kept",
        ..Foo::default()
    };
    Msg::<Foo<'_>>::merge(&mut decoded, &mut Reader::new(&buf[..n]), &mut ctx).unwrap();
    assert_eq!(decoded.bar, 150);
    assert_eq!(
        decoded.name, "kept",
        "a message merges into the value it has"
    );
}

/// Decodes packed body `body` with codec `C` after `existing`, with an arena of `arena_len`.
fn packed<C, T>(existing: &[T], body: &[u8]) -> Result<Vec<T>, DecodeError>
where
    C: for<'a> FieldCodec<'a, Value = T>,
    T: Copy,
{
    let mut arena_buf = [0u8; 256];
    let mut arena = Arena::new(&mut arena_buf);
    let mut ctx = DecodeContext::new(&mut arena, DecodeOptions::new());
    let mut framed = Vec::new();
    prost::encoding::encode_varint(body.len() as u64, &mut framed);
    framed.extend_from_slice(body);
    let mut out = RepeatedBuilder::new(existing);
    let mut r = Reader::new(&framed);
    r.read_packed::<C>(&mut out, &mut ctx)?;
    assert!(r.is_empty());
    Ok(out.finish(ctx.arena).to_vec())
}

#[test]
fn packed_varints() {
    assert_eq!(packed::<Int32, _>(&[], &[]), Ok(vec![]));
    assert_eq!(
        packed::<Int32, _>(&[], &[3, 0x8e, 0x02, 0x9e, 0xa7, 0x05]),
        Ok(vec![3, 270, 86942])
    );
    assert_eq!(
        packed::<Int32, _>(
            &[7, 8],
            &[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 1]
        ),
        Ok(vec![7, 8, -1, 1])
    );
    assert_eq!(packed::<SInt64, _>(&[], &[1, 2, 3]), Ok(vec![-1, 1, -2]));
    assert_eq!(
        packed::<Bool, _>(&[], &[0, 1, 2]),
        Ok(vec![false, true, true])
    );
    assert_eq!(packed::<UInt64, _>(&[], &[0x80, 0x01]), Ok(vec![128]));
    // A truncated last varint.
    assert_eq!(
        packed::<Int32, _>(&[], &[1, 0x80]),
        Err(DecodeError::Truncated)
    );
    assert_eq!(
        packed::<UInt32, _>(&[], &[0xff]),
        Err(DecodeError::Truncated)
    );
    assert_eq!(
        packed::<SInt32, _>(&[], &[5, 0x80, 0x80]),
        Err(DecodeError::Truncated)
    );
    // An over-long varint inside the body.
    let mut body = vec![0x80u8; 10];
    body.push(0);
    assert_eq!(
        packed::<UInt64, _>(&[], &body),
        Err(DecodeError::VarintTooLong)
    );
}

#[test]
fn packed_fixed() {
    assert_eq!(packed::<Fixed32, _>(&[], &[]), Ok(vec![]));
    assert_eq!(
        packed::<Fixed32, _>(&[9], &[1, 0, 0, 0, 2, 0, 0, 0]),
        Ok(vec![9, 1, 2])
    );
    assert_eq!(packed::<SFixed64, _>(&[], &[0xff; 16]), Ok(vec![-1, -1]));
    assert_eq!(
        packed::<Float, _>(&[], &1.5f32.to_le_bytes()),
        Ok(vec![F32::from_native(1.5)])
    );
    assert_eq!(
        packed::<Double, _>(&[], &2.5f64.to_le_bytes()),
        Ok(vec![F64::from_native(2.5)])
    );
    for len in [1usize, 2, 3, 5, 7, 9] {
        assert_eq!(
            packed::<Fixed32, _>(&[], &vec![0; len]),
            Err(DecodeError::InvalidPackedLength),
            "fixed32 body of {len}"
        );
        assert_eq!(
            packed::<SFixed32, _>(&[], &vec![0; len]),
            Err(DecodeError::InvalidPackedLength)
        );
        assert_eq!(
            packed::<Float, _>(&[], &vec![0; len]),
            Err(DecodeError::InvalidPackedLength)
        );
    }
    for len in [1usize, 4, 7, 9, 12, 15] {
        assert_eq!(
            packed::<Fixed64, _>(&[], &vec![0; len]),
            Err(DecodeError::InvalidPackedLength),
            "fixed64 body of {len}"
        );
        assert_eq!(
            packed::<Double, _>(&[], &vec![0; len]),
            Err(DecodeError::InvalidPackedLength)
        );
    }
}

#[test]
fn packed_length_past_end() {
    let mut arena_buf = [0u8; 64];
    let mut arena = Arena::new(&mut arena_buf);
    let mut ctx = DecodeContext::new(&mut arena, DecodeOptions::new());
    let mut out = RepeatedBuilder::new(&[]);
    assert_eq!(
        Reader::new(&[5, 1, 2]).read_packed::<Int32>(&mut out, &mut ctx),
        Err(DecodeError::LengthOutOfBounds)
    );
    assert!(out.is_empty());
}

#[test]
fn packed_runs_out_of_arena() {
    let mut arena_buf = [0u8; 12];
    let mut arena = Arena::new(&mut arena_buf);
    let mut ctx = DecodeContext::new(&mut arena, DecodeOptions::new());
    let mut out = RepeatedBuilder::<u32>::new(&[]);
    let body = [16u8, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0];
    assert_eq!(
        Reader::new(&body).read_packed::<Fixed32>(&mut out, &mut ctx),
        Err(DecodeError::ArenaExhausted)
    );
    let body = [16u8, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16];
    let mut out = RepeatedBuilder::<u32>::new(&[]);
    assert_eq!(
        Reader::new(&body).read_packed::<UInt32>(&mut out, &mut ctx),
        Err(DecodeError::ArenaExhausted)
    );
}

#[test]
fn packed_helpers() {
    // The example from the encoding guide: field 4, packed [3, 270, 86942].
    let values = [3, 270, 86942];
    let mut buf = [0u8; 16];
    let mut w = Writer::new(&mut buf);
    encode_packed::<Int32>(key(4, WireType::Len), &values, &mut w).unwrap();
    let n = w.written();
    assert_eq!(&buf[..n], [0x22, 0x06, 0x03, 0x8e, 0x02, 0x9e, 0xa7, 0x05]);
    assert_eq!(packed_len::<Int32>(1, &values), n);
    // Empty fields are not written.
    let mut w = Writer::new(&mut buf);
    encode_packed::<Int32>(key(4, WireType::Len), &[], &mut w).unwrap();
    assert_eq!(w.written(), 0);
    assert_eq!(packed_len::<Int32>(1, &[]), 0);
    // Fixed-width bodies.
    let mut w = Writer::new(&mut buf);
    encode_packed::<Fixed32>(key(1, WireType::Len), &[1, 2], &mut w).unwrap();
    let n = w.written();
    assert_eq!(&buf[..n], [0x0a, 8, 1, 0, 0, 0, 2, 0, 0, 0]);
    assert_eq!(packed_len::<Fixed32>(1, &[1, 2]), n);
    // A body of 128 bytes takes a two-byte length and a two-byte key for field 16.
    let many = [1u32; 128];
    let mut big = [0u8; 256];
    let mut w = Writer::new(&mut big);
    encode_packed::<UInt32>(key(16, WireType::Len), &many, &mut w).unwrap();
    assert_eq!(w.written(), 132);
    assert_eq!(packed_len::<UInt32>(2, &many), 132);
    assert_eq!(&big[..4], [0x82, 0x01, 0x80, 0x01]);
    // A buffer that is too small.
    let mut small = [0u8; 5];
    let mut w = Writer::new(&mut small);
    assert!(matches!(
        encode_packed::<Int32>(key(4, WireType::Len), &values, &mut w),
        Err(EncodeError::BufferTooSmall { .. })
    ));
}

#[test]
fn repeated_helpers() {
    let values = [1u32, 150];
    let mut buf = [0u8; 16];
    let mut w = Writer::new(&mut buf);
    encode_repeated::<UInt32>(key(1, WireType::Varint), &values, &mut w).unwrap();
    let n = w.written();
    assert_eq!(&buf[..n], [0x08, 0x01, 0x08, 0x96, 0x01]);
    assert_eq!(repeated_len::<UInt32>(1, &values), n);
    assert_eq!(repeated_len::<UInt32>(1, &[]), 0);
    // Unpacked repeated fields write default values too.
    let mut w = Writer::new(&mut buf);
    encode_repeated::<Str>(key(2, WireType::Len), &["", "ab"], &mut w).unwrap();
    let n = w.written();
    assert_eq!(&buf[..n], [0x12, 0x00, 0x12, 0x02, b'a', b'b']);
    assert_eq!(repeated_len::<Str>(1, &["", "ab"]), n);

    let mut w = Writer::new(&mut buf);
    encode_field::<SInt32>(key(3, WireType::Varint), &-2, &mut w).unwrap();
    let n = w.written();
    assert_eq!(&buf[..n], [0x18, 0x03]);
    assert_eq!(field_len::<SInt32>(1, &-2), 2);

    let fields: [&[u8]; 2] = [&[0x08, 0x01], &[0x15, 1, 2, 3, 4]];
    let mut w = Writer::new(&mut buf);
    encode_raw_fields(&fields, &mut w).unwrap();
    assert_eq!(w.written(), 7);
    assert_eq!(raw_fields_len(&fields), 7);
}

#[test]
fn map_helpers() {
    let entries = [("a", 1), ("bc", -1)];
    let map = Map::new(&entries);
    let mut buf = [0u8; 64];
    let mut w = Writer::new(&mut buf);
    encode_map::<Str, Int32>(key(3, WireType::Len), &map, &mut w).unwrap();
    let n = w.written();
    let mut expected = vec![0x1a, 5, 0x0a, 1, b'a', 0x10, 1];
    expected.extend([0x1a, 15, 0x0a, 2, b'b', b'c', 0x10]);
    expected.extend([0xff; 9]);
    expected.push(0x01);
    assert_eq!(&buf[..n], &expected[..]);
    assert_eq!(map_len::<Str, Int32>(1, &map), n);
    // Default keys and values are still written inside the entry.
    let entries = [(0u32, F32::ZERO)];
    let map = Map::new(&entries);
    let mut w = Writer::new(&mut buf);
    encode_map::<UInt32, Float>(key(16, WireType::Len), &map, &mut w).unwrap();
    let n = w.written();
    assert_eq!(&buf[..n], [0x82, 0x01, 7, 0x08, 0, 0x15, 0, 0, 0, 0]);
    assert_eq!(map_len::<UInt32, Float>(2, &map), n);
    assert_eq!(map_len::<UInt32, Float>(2, &Map::default()), 0);

    // Reading the entries back.
    let mut arena = Arena::new(&mut []);
    let mut ctx = DecodeContext::new(&mut arena, DecodeOptions::new());
    let mut r = Reader::new(&expected);
    let mut pairs = Vec::new();
    while let Some(k) = r.read_key(0).unwrap() {
        assert_eq!(k, key(3, WireType::Len));
        pairs.push(r.read_map_entry::<Str, Int32>(&mut ctx).unwrap());
    }
    assert_eq!(pairs, [("a", 1), ("bc", -1)]);
}

#[test]
fn map_entry_decoding() {
    let mut arena = Arena::new(&mut []);
    let mut ctx = DecodeContext::new(&mut arena, DecodeOptions::new());
    // Missing key and value take their defaults.
    assert_eq!(
        Reader::new(&[0]).read_map_entry::<Str, Int32>(&mut ctx),
        Ok(("", 0))
    );
    // Value before key, an unknown field, and a repeated key (last wins).
    let entry = [10u8, 0x10, 7, 0x18, 9, 0x0a, 1, b'x', 0x0a, 1, b'y'];
    assert_eq!(
        Reader::new(&entry).read_map_entry::<Str, Int32>(&mut ctx),
        Ok(("y", 7))
    );
    // A key with the wrong wire type is skipped as unknown.
    let entry = [4u8, 0x08, 5, 0x10, 6];
    assert_eq!(
        Reader::new(&entry).read_map_entry::<Str, Int32>(&mut ctx),
        Ok(("", 6))
    );
    // Errors inside the entry.
    assert_eq!(
        Reader::new(&[2, 0x0a, 5]).read_map_entry::<Str, Int32>(&mut ctx),
        Err(DecodeError::LengthOutOfBounds)
    );
    assert_eq!(
        Reader::new(&[3, 0x0a, 1, 0xff]).read_map_entry::<Str, Int32>(&mut ctx),
        Err(DecodeError::InvalidUtf8)
    );
    assert_eq!(
        Reader::new(&[2, 0x0c, 0]).read_map_entry::<Str, Int32>(&mut ctx),
        Err(DecodeError::GroupMismatch)
    );
    // The entry counts as one level of nesting.
    let mut arena = Arena::new(&mut []);
    let mut ctx = DecodeContext::new(&mut arena, DecodeOptions::new().with_depth_limit(0));
    assert_eq!(
        Reader::new(&[0]).read_map_entry::<Str, Int32>(&mut ctx),
        Err(DecodeError::DepthLimitExceeded)
    );
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn scalars_match_prost(a: i32, b: i64, c: u32, d: u64, e: i32, f: i64, g: bool) {
        let mut buf = [0u8; 128];
        let mut w = Writer::new(&mut buf);
        encode_field::<Int32>(key(1, WireType::Varint), &a, &mut w).unwrap();
        encode_field::<Int64>(key(2, WireType::Varint), &b, &mut w).unwrap();
        encode_field::<UInt32>(key(3, WireType::Varint), &c, &mut w).unwrap();
        encode_field::<UInt64>(key(4, WireType::Varint), &d, &mut w).unwrap();
        encode_field::<SInt32>(key(5, WireType::Varint), &e, &mut w).unwrap();
        encode_field::<SInt64>(key(6, WireType::Varint), &f, &mut w).unwrap();
        encode_field::<Bool>(key(7, WireType::Varint), &g, &mut w).unwrap();
        let n = w.written();
        let mut theirs = Vec::new();
        prost::encoding::int32::encode(1, &a, &mut theirs);
        prost::encoding::int64::encode(2, &b, &mut theirs);
        prost::encoding::uint32::encode(3, &c, &mut theirs);
        prost::encoding::uint64::encode(4, &d, &mut theirs);
        prost::encoding::sint32::encode(5, &e, &mut theirs);
        prost::encoding::sint64::encode(6, &f, &mut theirs);
        prost::encoding::bool::encode(7, &g, &mut theirs);
        prop_assert_eq!(&buf[..n], &theirs[..]);
        let expected_len = prost::encoding::int32::encoded_len(1, &a)
            + prost::encoding::int64::encoded_len(2, &b)
            + prost::encoding::uint32::encoded_len(3, &c)
            + prost::encoding::uint64::encoded_len(4, &d)
            + prost::encoding::sint32::encoded_len(5, &e)
            + prost::encoding::sint64::encoded_len(6, &f)
            + prost::encoding::bool::encoded_len(7, &g);
        let ours_len = field_len::<Int32>(1, &a)
            + field_len::<Int64>(1, &b)
            + field_len::<UInt32>(1, &c)
            + field_len::<UInt64>(1, &d)
            + field_len::<SInt32>(1, &e)
            + field_len::<SInt64>(1, &f)
            + field_len::<Bool>(1, &g);
        prop_assert_eq!(ours_len, expected_len);
    }

    #[test]
    fn packed_matches_prost(
        a in proptest::collection::vec(any::<i32>(), 0..20),
        b in proptest::collection::vec(any::<u64>(), 0..20),
        c in proptest::collection::vec(any::<i64>(), 0..20),
        d in proptest::collection::vec(any::<f32>(), 0..20),
    ) {
        let mut buf = vec![0u8; 1024];
        let mut w = Writer::new(&mut buf);
        encode_packed::<Int32>(key(1, WireType::Len), &a, &mut w).unwrap();
        encode_packed::<UInt64>(key(2, WireType::Len), &b, &mut w).unwrap();
        encode_packed::<SInt64>(key(3, WireType::Len), &c, &mut w).unwrap();
        let floats: Vec<F32> = d.iter().copied().map(F32::from_native).collect();
        encode_packed::<Float>(key(4, WireType::Len), &floats, &mut w).unwrap();
        let n = w.written();
        let mut theirs = Vec::new();
        prost::encoding::int32::encode_packed(1, &a, &mut theirs);
        prost::encoding::uint64::encode_packed(2, &b, &mut theirs);
        prost::encoding::sint64::encode_packed(3, &c, &mut theirs);
        prost::encoding::float::encode_packed(4, &d, &mut theirs);
        prop_assert_eq!(&buf[..n], &theirs[..]);
        prop_assert_eq!(
            packed_len::<Int32>(1, &a) + packed_len::<UInt64>(1, &b)
                + packed_len::<SInt64>(1, &c) + packed_len::<Float>(1, &floats),
            n
        );

        // And back, in a tight arena.
        let mut arena_buf = vec![0u8; 8 * 20 * 4 + 64];
        let mut arena = Arena::new(&mut arena_buf);
        let mut ctx = DecodeContext::new(&mut arena, DecodeOptions::new());
        let mut r = Reader::new(&buf[..n]);
        let mut oa = RepeatedBuilder::new(&[]);
        let mut ob = RepeatedBuilder::new(&[]);
        let mut oc = RepeatedBuilder::new(&[]);
        let mut od = RepeatedBuilder::new(&[]);
        while let Some(k) = r.read_key(0).unwrap() {
            match k >> 3 {
                1 => r.read_packed::<Int32>(&mut oa, &mut ctx).unwrap(),
                2 => r.read_packed::<UInt64>(&mut ob, &mut ctx).unwrap(),
                3 => r.read_packed::<SInt64>(&mut oc, &mut ctx).unwrap(),
                _ => r.read_packed::<Float>(&mut od, &mut ctx).unwrap(),
            }
        }
        prop_assert_eq!(oa.finish(ctx.arena), &a[..]);
        prop_assert_eq!(ob.finish(ctx.arena), &b[..]);
        prop_assert_eq!(oc.finish(ctx.arena), &c[..]);
        prop_assert_eq!(od.finish(ctx.arena), &floats[..]);
    }
}
