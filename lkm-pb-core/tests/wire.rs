// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Boundary tests of the wire primitives: varints, zigzag, fixed-width values, keys, groups,
//! length-delimited values, and a byte-for-byte cross-check of the writer against prost.

use lkm_pb_core::decode::{DecodeContext, DecodeOptions, Reader};
use lkm_pb_core::encode::{key_len, Writer};
use lkm_pb_core::error::DecodeError;
use lkm_pb_core::wire::{
    self, key, key_field_number, len_delimited_len, varint_len, zigzag_decode32, zigzag_decode64,
    zigzag_encode32, zigzag_encode64, WireType, MAX_FIELD_NUMBER, MAX_VARINT_LEN,
};
use lkm_pb_core::Arena;
use proptest::prelude::*;

/// Returns the proptest configuration: few cases under Miri, the default otherwise.
fn config() -> ProptestConfig {
    if cfg!(miri) {
        ProptestConfig {
            cases: 4,
            failure_persistence: None,
            ..ProptestConfig::default()
        }
    } else {
        ProptestConfig {
            cases: 2048,
            ..ProptestConfig::default()
        }
    }
}

/// Encodes `value` as a varint with the crate's writer.
fn varint_bytes(value: u64) -> Vec<u8> {
    let mut buf = [0u8; 16];
    let mut w = Writer::new(&mut buf);
    w.write_varint(value).unwrap();
    let n = w.written();
    buf[..n].to_vec()
}

/// A reference varint encoder written independently of the crate.
fn reference_varint(mut value: u64) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let byte = (value & 0x7f) as u8;
        value >>= 7;
        if value == 0 {
            out.push(byte);
            return out;
        }
        out.push(byte | 0x80);
    }
}

/// Every 7-bit boundary: 0, 1, 2^7 - 1, 2^7, 2^14 - 1, 2^14, ..., 2^63, u64::MAX.
fn boundary_values() -> Vec<(u64, usize)> {
    let mut values = vec![(0, 1), (1, 1)];
    for bytes in 1..=9u32 {
        let top = 1u64 << (7 * bytes);
        values.push((top - 1, bytes as usize));
        values.push((top, bytes as usize + 1));
    }
    values.push(((1 << 63) - 1, 9));
    values.push((1 << 63, 10));
    values.push((u64::MAX - 1, 10));
    values.push((u64::MAX, 10));
    values
}

/// Runs `f` over `bytes` with a fresh decode context (empty arena, default options).
fn with_ctx<'a, R>(
    bytes: &'a [u8],
    f: impl FnOnce(&'a [u8], &mut DecodeContext<'a, '_>) -> R,
) -> R {
    let mut arena = Arena::new(&mut []);
    let mut ctx = DecodeContext::new(&mut arena, DecodeOptions::new());
    f(bytes, &mut ctx)
}

#[test]
fn varint_boundaries_round_trip() {
    for (value, len) in boundary_values() {
        assert_eq!(varint_len(value), len, "varint_len({value:#x})");
        let bytes = varint_bytes(value);
        assert_eq!(bytes, reference_varint(value), "encoding of {value:#x}");
        assert_eq!(bytes.len(), len, "written length of {value:#x}");
        let mut r = Reader::new(&bytes);
        assert_eq!(r.read_varint(), Ok(value), "decoding {value:#x}");
        assert!(r.is_empty());
    }
}

#[test]
fn varint_len_matches_reference_for_every_bit_width() {
    for shift in 0..64 {
        for value in [1u64 << shift, (1u64 << shift) - 1, (1u64 << shift) | 1] {
            assert_eq!(
                varint_len(value),
                reference_varint(value).len(),
                "{value:#x}"
            );
        }
    }
    assert_eq!(MAX_VARINT_LEN, 10);
}

#[test]
fn varint_leaves_following_bytes() {
    let mut r = Reader::new(&[0xac, 0x02, 0x7f, 0x80, 0x01]);
    assert_eq!(r.read_varint(), Ok(300));
    assert_eq!(r.remaining(), &[0x7f, 0x80, 0x01]);
    assert_eq!(r.read_varint(), Ok(0x7f));
    assert_eq!(r.read_varint(), Ok(0x80));
    assert!(r.is_empty());
    assert_eq!(r.read_varint(), Err(DecodeError::Truncated));
}

#[test]
fn ten_byte_varints() {
    let max = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01];
    assert_eq!(Reader::new(&max).read_varint(), Ok(u64::MAX));
    // -1 as int32 is sign-extended to ten bytes.
    assert_eq!(varint_bytes(-1i64 as u64), max);
    let mut zero_padded = [0x80u8; 10];
    zero_padded[9] = 0x00;
    let mut r = Reader::new(&zero_padded);
    assert_eq!(r.read_varint(), Ok(0));
    assert!(r.is_empty());
}

#[test]
fn eleven_byte_varint_is_too_long() {
    let mut bytes = [0x80u8; 11];
    bytes[10] = 0x00;
    assert_eq!(
        Reader::new(&bytes).read_varint(),
        Err(DecodeError::VarintTooLong)
    );
    // Ten continuation bytes are too long even when nothing follows.
    assert_eq!(
        Reader::new(&[0xffu8; 10]).read_varint(),
        Err(DecodeError::VarintTooLong)
    );
    assert_eq!(
        Reader::new(&[0xffu8; 32]).read_varint(),
        Err(DecodeError::VarintTooLong)
    );
}

#[test]
fn truncated_varint_at_every_length() {
    for len in 0..MAX_VARINT_LEN {
        let bytes = vec![0x80u8; len];
        let mut r = Reader::new(&bytes);
        assert_eq!(r.read_varint(), Err(DecodeError::Truncated), "length {len}");
    }
    // A truncated encoding of each boundary value.
    for (value, _) in boundary_values() {
        let bytes = varint_bytes(value);
        for cut in 0..bytes.len() {
            assert_eq!(
                Reader::new(&bytes[..cut]).read_varint(),
                Err(DecodeError::Truncated),
                "{value:#x} cut at {cut}"
            );
        }
    }
}

#[test]
fn overlong_varints_are_accepted() {
    let cases: &[(&[u8], u64)] = &[
        (&[0x80, 0x00], 0),
        (&[0x81, 0x00], 1),
        (&[0xff, 0x80, 0x00], 0x7f),
        (&[0x80, 0x80, 0x80, 0x80, 0x00], 0),
        (
            &[0x81, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00],
            1,
        ),
    ];
    for &(bytes, value) in cases {
        let mut r = Reader::new(bytes);
        assert_eq!(r.read_varint(), Ok(value), "{bytes:x?}");
        assert!(r.is_empty());
    }
}

#[test]
fn tenth_byte_high_bits_are_ignored() {
    // Documented behaviour: bits past the 64th are dropped, as Google's parsers do.
    let mut bytes = [0xffu8; 10];
    for last in [0x01u8, 0x02, 0x03, 0x7e, 0x7f] {
        bytes[9] = last;
        let expected = u64::MAX >> 1 | u64::from(last & 1) << 63;
        let mut r = Reader::new(&bytes);
        assert_eq!(r.read_varint(), Ok(expected), "last byte {last:#x}");
        assert!(r.is_empty());
    }
}

#[test]
fn zigzag_boundaries() {
    let cases32: &[(i32, u32)] = &[
        (0, 0),
        (-1, 1),
        (1, 2),
        (-2, 3),
        (i32::MAX, u32::MAX - 1),
        (i32::MIN, u32::MAX),
    ];
    for &(value, coded) in cases32 {
        assert_eq!(zigzag_encode32(value), coded, "{value}");
        assert_eq!(zigzag_decode32(coded), value, "{coded}");
    }
    let cases64: &[(i64, u64)] = &[
        (0, 0),
        (-1, 1),
        (1, 2),
        (-2, 3),
        (i64::MAX, u64::MAX - 1),
        (i64::MIN, u64::MAX),
    ];
    for &(value, coded) in cases64 {
        assert_eq!(zigzag_encode64(value), coded, "{value}");
        assert_eq!(zigzag_decode64(coded), value, "{coded}");
    }
}

#[test]
fn fixed_round_trip_and_truncation() {
    for value in [0u32, 1, 0x1234_5678, u32::MAX] {
        let mut buf = [0u8; 4];
        let mut w = Writer::new(&mut buf);
        w.write_fixed32(value).unwrap();
        assert_eq!(w.written(), 4);
        assert_eq!(buf, value.to_le_bytes());
        assert_eq!(Reader::new(&buf).read_fixed32(), Ok(value));
        for cut in 0..4 {
            let mut r = Reader::new(&buf[..cut]);
            assert_eq!(r.read_fixed32(), Err(DecodeError::Truncated));
            assert_eq!(r.remaining().len(), cut, "failed read must consume nothing");
        }
    }
    for value in [0u64, 1, 0x0123_4567_89ab_cdef, u64::MAX] {
        let mut buf = [0u8; 8];
        let mut w = Writer::new(&mut buf);
        w.write_fixed64(value).unwrap();
        assert_eq!(buf, value.to_le_bytes());
        assert_eq!(Reader::new(&buf).read_fixed64(), Ok(value));
        for cut in 0..8 {
            let mut r = Reader::new(&buf[..cut]);
            assert_eq!(r.read_fixed64(), Err(DecodeError::Truncated));
            assert_eq!(r.remaining().len(), cut, "failed read must consume nothing");
        }
    }
}

#[test]
fn writer_reports_buffer_too_small() {
    use lkm_pb_core::error::EncodeError;
    let mut buf = [0u8; 3];
    let mut w = Writer::new(&mut buf);
    w.write_raw(&[1]).unwrap();
    assert_eq!(
        w.write_fixed32(7),
        Err(EncodeError::BufferTooSmall {
            needed: 5,
            available: 3
        })
    );
    assert_eq!(
        w.write_varint(1 << 14),
        Err(EncodeError::BufferTooSmall {
            needed: 4,
            available: 3
        })
    );
    assert_eq!(w.written(), 1);
    assert_eq!(w.remaining(), 2);
    w.write_varint(300).unwrap();
    assert_eq!(w.remaining(), 0);
    assert!(w.write_key(8).is_err());
    assert_eq!(buf, [1, 0xac, 0x02]);
}

/// Encodes a key for `number`/`wire` as a varint.
fn key_bytes(number: u32, wire: WireType) -> Vec<u8> {
    let mut buf = [0u8; 8];
    let mut w = Writer::new(&mut buf);
    w.write_key(key(number, wire)).unwrap();
    let n = w.written();
    buf[..n].to_vec()
}

#[test]
fn keys_at_field_number_boundaries() {
    let wires = [
        WireType::Varint,
        WireType::Fixed64,
        WireType::Len,
        WireType::StartGroup,
        WireType::Fixed32,
    ];
    let numbers: &[(u32, usize)] = &[
        (1, 1),
        (15, 1),
        (16, 2),
        (2047, 2),
        (2048, 3),
        (262_143, 3),
        (262_144, 4),
        (33_554_431, 4),
        (33_554_432, 5),
        (MAX_FIELD_NUMBER, 5),
    ];
    for &(number, len) in numbers {
        assert_eq!(key_len(number), len, "key_len({number})");
        for wire in wires {
            let bytes = key_bytes(number, wire);
            assert_eq!(bytes.len(), len, "key of {number}/{wire:?}");
            assert_eq!(
                bytes,
                reference_varint(u64::from(number) << 3 | wire as u64)
            );
            let mut r = Reader::new(&bytes);
            let read = r.read_key(0).unwrap().unwrap();
            assert_eq!(read, key(number, wire));
            assert_eq!(key_field_number(read), number);
            assert_eq!(WireType::from_key(read), Some(wire));
            assert!(r.is_empty());
        }
    }
}

#[test]
fn key_end_of_input() {
    assert_eq!(Reader::new(&[]).read_key(0), Ok(None));
    // Inside a group, the input must not end before the end-group key.
    assert_eq!(Reader::new(&[]).read_key(3), Err(DecodeError::Truncated));
    // A key cut inside its varint.
    assert_eq!(
        Reader::new(&[0x80]).read_key(0),
        Err(DecodeError::Truncated)
    );
    assert_eq!(
        Reader::new(&[0x80, 0x80]).read_key(0),
        Err(DecodeError::Truncated)
    );
}

#[test]
fn invalid_field_numbers() {
    // Field number 0 with every wire type, in short and overlong encodings.
    for wire in 0..8u8 {
        let expected = DecodeError::InvalidFieldNumber;
        assert_eq!(Reader::new(&[wire]).read_key(0), Err(expected), "{wire}");
        assert_eq!(
            Reader::new(&[wire | 0x80, 0x00]).read_key(0),
            Err(expected),
            "overlong {wire}"
        );
    }
    // Field number 2^29 does not fit the 32-bit key.
    let too_big = reference_varint(1u64 << 32);
    assert_eq!(
        Reader::new(&too_big).read_key(0),
        Err(DecodeError::InvalidFieldNumber)
    );
    let huge = reference_varint(u64::MAX);
    assert_eq!(
        Reader::new(&huge).read_key(0),
        Err(DecodeError::InvalidFieldNumber)
    );
    // The largest valid field number still works with a wire type in its low bits.
    let max = reference_varint(u64::from(MAX_FIELD_NUMBER) << 3 | 5);
    assert_eq!(
        Reader::new(&max).read_key(0),
        Ok(Some(key(MAX_FIELD_NUMBER, WireType::Fixed32)))
    );
}

#[test]
fn invalid_wire_types() {
    for number in [1u32, 15, 16, 2048, MAX_FIELD_NUMBER] {
        for wire in [6u64, 7] {
            let bytes = reference_varint(u64::from(number) << 3 | wire);
            assert_eq!(
                Reader::new(&bytes).read_key(0),
                Err(DecodeError::InvalidWireType),
                "{number}/{wire}"
            );
        }
    }
    assert_eq!(WireType::from_key(6), None);
    assert_eq!(WireType::from_key(7), None);
    with_ctx(&[0, 0, 0, 0, 0, 0, 0, 0], |bytes, ctx| {
        let mut r = Reader::new(bytes);
        assert_eq!(r.skip_field(14, ctx), Err(DecodeError::InvalidWireType));
        assert_eq!(r.skip_field(15, ctx), Err(DecodeError::InvalidWireType));
    });
}

#[test]
fn end_group_without_group() {
    for number in [1u32, 15, 16, 2048] {
        let bytes = key_bytes(number, WireType::EndGroup);
        assert_eq!(
            Reader::new(&bytes).read_key(0),
            Err(DecodeError::GroupMismatch),
            "{number}"
        );
        // Closing another field's group.
        assert_eq!(
            Reader::new(&bytes).read_key(number + 1),
            Err(DecodeError::GroupMismatch)
        );
        // Closing the right group.
        let mut r = Reader::new(&bytes);
        assert_eq!(r.read_key(number), Ok(None));
        assert!(r.is_empty());
    }
    with_ctx(&[], |bytes, ctx| {
        let mut r = Reader::new(bytes);
        assert_eq!(
            r.skip_field(key(1, WireType::EndGroup), ctx),
            Err(DecodeError::GroupMismatch)
        );
    });
}

/// Builds the bytes of a field `number` with wire type `wire` and the given value bytes.
fn field(number: u32, wire: WireType, value: &[u8]) -> Vec<u8> {
    let mut out = key_bytes(number, wire);
    out.extend_from_slice(value);
    out
}

/// Returns a group field `number` around `body`.
fn group(number: u32, body: &[u8]) -> Vec<u8> {
    let mut out = key_bytes(number, WireType::StartGroup);
    out.extend_from_slice(body);
    out.extend_from_slice(&key_bytes(number, WireType::EndGroup));
    out
}

/// Returns `[field][0xaa]`: the field followed by a marker byte that must not be consumed.
fn with_marker(field: &[u8]) -> Vec<u8> {
    let mut out = field.to_vec();
    out.push(0x7a);
    out
}

#[test]
fn skip_every_wire_type() {
    let fields = [
        field(1, WireType::Varint, &[0x96, 0x01]),
        field(
            1,
            WireType::Varint,
            &[0xff; 9].iter().copied().chain([1]).collect::<Vec<_>>(),
        ),
        field(2, WireType::Fixed64, &[1, 2, 3, 4, 5, 6, 7, 8]),
        field(3, WireType::Len, &[3, b'a', b'b', b'c']),
        field(3, WireType::Len, &[0]),
        field(4, WireType::Fixed32, &[1, 2, 3, 4]),
        group(5, &[]),
        group(5, &field(1, WireType::Varint, &[1])),
        group(
            2048,
            &[
                field(1, WireType::Fixed32, &[0; 4]),
                group(6, &group(7, &field(9, WireType::Len, &[1, 0]))),
                field(2, WireType::Fixed64, &[0; 8]),
            ]
            .concat(),
        ),
    ];
    for f in &fields {
        let bytes = with_marker(f);
        with_ctx(&bytes, |bytes, ctx| {
            let mut r = Reader::new(bytes);
            let k = r.read_key(0).unwrap().unwrap();
            r.skip_field(k, ctx).unwrap();
            assert_eq!(r.remaining(), &[0x7a], "skipping {f:x?}");

            let mut r = Reader::new(bytes);
            let start = r.remaining();
            let k = r.read_key(0).unwrap().unwrap();
            let raw = r.skip_field_raw(k, start, ctx).unwrap();
            assert_eq!(raw, &f[..], "raw bytes of {f:x?}");
            assert_eq!(r.remaining(), &[0x7a]);
        });
    }
}

#[test]
fn skip_truncated_fields() {
    let fields = [
        field(1, WireType::Varint, &[0x96, 0x01]),
        field(2, WireType::Fixed64, &[1, 2, 3, 4, 5, 6, 7, 8]),
        field(3, WireType::Len, &[3, b'a', b'b', b'c']),
        field(4, WireType::Fixed32, &[1, 2, 3, 4]),
        group(5, &field(1, WireType::Varint, &[1])),
        group(6, &group(7, &[])),
    ];
    for f in &fields {
        let key_end = if f[0] < 0x80 { 1 } else { 2 };
        for cut in key_end..f.len() {
            with_ctx(&f[..cut], |bytes, ctx| {
                let mut r = Reader::new(bytes);
                let k = r.read_key(0).unwrap().unwrap();
                let err = r.skip_field(k, ctx).unwrap_err();
                let expected = if WireType::from_key(k) == Some(WireType::Len) && cut > key_end {
                    DecodeError::LengthOutOfBounds
                } else {
                    DecodeError::Truncated
                };
                assert_eq!(err, expected, "{f:x?} cut at {cut}");
            });
        }
    }
}

#[test]
fn skip_group_with_mismatched_end() {
    // Group 5 closed by the end key of field 6.
    let mut bytes = key_bytes(5, WireType::StartGroup);
    bytes.extend(field(1, WireType::Varint, &[1]));
    bytes.extend(key_bytes(6, WireType::EndGroup));
    with_ctx(&bytes, |bytes, ctx| {
        let mut r = Reader::new(bytes);
        let k = r.read_key(0).unwrap().unwrap();
        assert_eq!(r.skip_field(k, ctx), Err(DecodeError::GroupMismatch));
    });
    // Inner group 6 closed by outer group 5's end key.
    let mut bytes = key_bytes(5, WireType::StartGroup);
    bytes.extend(key_bytes(6, WireType::StartGroup));
    bytes.extend(key_bytes(5, WireType::EndGroup));
    bytes.extend(key_bytes(6, WireType::EndGroup));
    with_ctx(&bytes, |bytes, ctx| {
        let mut r = Reader::new(bytes);
        let k = r.read_key(0).unwrap().unwrap();
        assert_eq!(r.skip_field(k, ctx), Err(DecodeError::GroupMismatch));
    });
    // A group that never ends.
    let bytes = [
        key_bytes(5, WireType::StartGroup),
        field(1, WireType::Varint, &[1]),
    ]
    .concat();
    with_ctx(&bytes, |bytes, ctx| {
        let mut r = Reader::new(bytes);
        let k = r.read_key(0).unwrap().unwrap();
        assert_eq!(r.skip_field(k, ctx), Err(DecodeError::Truncated));
    });
    // A group whose body has an invalid key.
    let bytes = [key_bytes(5, WireType::StartGroup), vec![0x0e, 0]].concat();
    with_ctx(&bytes, |bytes, ctx| {
        let mut r = Reader::new(bytes);
        let k = r.read_key(0).unwrap().unwrap();
        assert_eq!(r.skip_field(k, ctx), Err(DecodeError::InvalidWireType));
    });
}

/// Returns `depth` groups of field 1 nested inside each other.
fn nested_groups(depth: usize) -> Vec<u8> {
    let mut out = Vec::new();
    out.resize(depth, 0x0b);
    out.resize(2 * depth, 0x0c);
    out
}

#[test]
fn group_depth_limit() {
    for limit in [0u32, 1, 2, 5, 32] {
        for depth in 1..=(limit as usize + 2) {
            let bytes = nested_groups(depth);
            let mut buf = [0u8; 0];
            let mut arena = Arena::new(&mut buf);
            let options = DecodeOptions::new().with_depth_limit(limit);
            let mut ctx = DecodeContext::new(&mut arena, options);
            let mut r = Reader::new(&bytes);
            let k = r.read_key(0).unwrap().unwrap();
            let result = r.skip_field(k, &mut ctx);
            if depth <= limit as usize {
                assert_eq!(result, Ok(()), "limit {limit} depth {depth}");
                assert!(r.is_empty());
            } else {
                assert_eq!(
                    result,
                    Err(DecodeError::DepthLimitExceeded),
                    "limit {limit} depth {depth}"
                );
            }
        }
    }
}

#[test]
fn sibling_groups_do_not_use_up_depth() {
    // Skipping a group gives its depth back, so many groups in a row are fine at limit 1.
    let bytes = nested_groups(1).repeat(100);
    let mut buf = [0u8; 0];
    let mut arena = Arena::new(&mut buf);
    let mut ctx = DecodeContext::new(&mut arena, DecodeOptions::new().with_depth_limit(1));
    let mut r = Reader::new(&bytes);
    while let Some(k) = r.read_key(0).unwrap() {
        r.skip_field(k, &mut ctx).unwrap();
    }
}

#[test]
fn length_delimited_bounds() {
    let mut r = Reader::new(&[3, 1, 2, 3, 9]);
    assert_eq!(r.read_len_delimited(), Ok(&[1u8, 2, 3][..]));
    assert_eq!(r.remaining(), &[9]);
    assert_eq!(Reader::new(&[0]).read_len_delimited(), Ok(&[][..]));
    assert_eq!(
        Reader::new(&[4, 1, 2, 3]).read_len_delimited(),
        Err(DecodeError::LengthOutOfBounds)
    );
    assert_eq!(
        Reader::new(&[1]).read_len_delimited(),
        Err(DecodeError::LengthOutOfBounds)
    );
    assert_eq!(
        Reader::new(&[0x80]).read_len_delimited(),
        Err(DecodeError::Truncated)
    );
    for huge in [u64::MAX, u64::MAX >> 1, u64::from(u32::MAX), 1 << 40] {
        let mut bytes = reference_varint(huge);
        bytes.extend_from_slice(&[0; 16]);
        assert_eq!(
            Reader::new(&bytes).read_len_delimited(),
            Err(DecodeError::LengthOutOfBounds),
            "{huge:#x}"
        );
        assert_eq!(
            Reader::new(&bytes).read_str(),
            Err(DecodeError::LengthOutOfBounds)
        );
    }
    assert_eq!(len_delimited_len(0), 1);
    assert_eq!(len_delimited_len(127), 128);
    assert_eq!(len_delimited_len(128), 130);
    assert_eq!(len_delimited_len(usize::MAX), usize::MAX);
}

#[test]
fn read_str_checks_utf8() {
    assert_eq!(Reader::new(&[2, b'h', b'i']).read_str(), Ok("hi"));
    assert_eq!(Reader::new(&[0]).read_str(), Ok(""));
    let snowman = "\u{2603}".as_bytes();
    let bytes = [&[snowman.len() as u8][..], snowman].concat();
    assert_eq!(Reader::new(&bytes).read_str(), Ok("\u{2603}"));
    for bad in [
        &[0xffu8][..],
        &[0xc0, 0x80],
        &[0xe2, 0x98],
        &[0xed, 0xa0, 0x80],
        &[b'a', 0x80],
    ] {
        let bytes = [&[bad.len() as u8][..], bad].concat();
        assert_eq!(
            Reader::new(&bytes).read_str(),
            Err(DecodeError::InvalidUtf8),
            "{bad:x?}"
        );
    }
    // A string cut inside a character is invalid even though the prefix is well-formed.
    let cut = [&[2u8][..], &snowman[..2]].concat();
    assert_eq!(Reader::new(&cut).read_str(), Err(DecodeError::InvalidUtf8));
}

#[test]
fn key_helpers() {
    assert_eq!(key(1, WireType::Varint), 8);
    assert_eq!(key(2, WireType::Len), 0x12);
    assert_eq!(key(MAX_FIELD_NUMBER, WireType::Fixed32), u32::MAX - 2);
    assert_eq!(key_field_number(u32::MAX), MAX_FIELD_NUMBER);
    for k in 0..8u32 {
        assert_eq!(
            WireType::from_key(k).map(|w| w as u32),
            if k < 6 { Some(k) } else { None }
        );
    }
    assert_eq!(wire::MAX_FIELD_NUMBER, (1 << 29) - 1);
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn varint_matches_prost(value: u64) {
        let ours = varint_bytes(value);
        let mut theirs = Vec::new();
        prost::encoding::encode_varint(value, &mut theirs);
        prop_assert_eq!(&ours, &theirs);
        prop_assert_eq!(varint_len(value), prost::encoding::encoded_len_varint(value));
        let mut r = Reader::new(&ours);
        prop_assert_eq!(r.read_varint(), Ok(value));
        prop_assert!(r.is_empty());
    }

    #[test]
    fn varint_of_any_width_matches_prost(width in 0u32..64, low: u64) {
        let value = (1u64 << width) | (low & ((1u64 << width) - 1));
        let mut theirs = Vec::new();
        prost::encoding::encode_varint(value, &mut theirs);
        prop_assert_eq!(varint_bytes(value), theirs);
    }

    #[test]
    fn prost_varints_decode(value: u64, trailing in proptest::collection::vec(any::<u8>(), 0..4)) {
        let mut bytes = Vec::new();
        prost::encoding::encode_varint(value, &mut bytes);
        let n = bytes.len();
        bytes.extend_from_slice(&trailing);
        let mut r = Reader::new(&bytes);
        prop_assert_eq!(r.read_varint(), Ok(value));
        prop_assert_eq!(r.remaining(), &bytes[n..]);
        let mut slice = &bytes[..];
        prop_assert_eq!(prost::encoding::decode_varint(&mut slice).unwrap(), value);
    }

    #[test]
    fn zigzag_matches_prost(a: i32, b: i64) {
        // prost's sint32/sint64 encoders write the zigzag value as a varint.
        let mut theirs = Vec::new();
        prost::encoding::sint32::encode(1, &a, &mut theirs);
        let mut ours = key_bytes(1, WireType::Varint);
        ours.extend(varint_bytes(u64::from(zigzag_encode32(a))));
        prop_assert_eq!(&ours, &theirs);
        prop_assert_eq!(zigzag_decode32(zigzag_encode32(a)), a);

        let mut theirs = Vec::new();
        prost::encoding::sint64::encode(2, &b, &mut theirs);
        let mut ours = key_bytes(2, WireType::Varint);
        ours.extend(varint_bytes(zigzag_encode64(b)));
        prop_assert_eq!(&ours, &theirs);
        prop_assert_eq!(zigzag_decode64(zigzag_encode64(b)), b);
    }

    #[test]
    fn keys_match_prost(number in 1u32..=MAX_FIELD_NUMBER, wire in 0usize..6) {
        let wires = [
            (WireType::Varint, prost::encoding::WireType::Varint),
            (WireType::Fixed64, prost::encoding::WireType::SixtyFourBit),
            (WireType::Len, prost::encoding::WireType::LengthDelimited),
            (WireType::StartGroup, prost::encoding::WireType::StartGroup),
            (WireType::EndGroup, prost::encoding::WireType::EndGroup),
            (WireType::Fixed32, prost::encoding::WireType::ThirtyTwoBit),
        ];
        let (ours_wire, theirs_wire) = wires[wire];
        let mut theirs = Vec::new();
        prost::encoding::encode_key(number, theirs_wire, &mut theirs);
        prop_assert_eq!(key_bytes(number, ours_wire), theirs.clone());
        prop_assert_eq!(key_len(number), prost::encoding::key_len(number));
        let mut r = Reader::new(&theirs);
        if ours_wire == WireType::EndGroup {
            prop_assert_eq!(r.read_key(number), Ok(None));
        } else {
            prop_assert_eq!(r.read_key(0), Ok(Some(key(number, ours_wire))));
        }
        prop_assert!(r.is_empty());
    }

    #[test]
    fn fixed_matches_prost(a: u32, b: u64, c: i32, d: i64) {
        let mut buf = [0u8; 64];
        let mut w = Writer::new(&mut buf);
        w.write_key(key(1, WireType::Fixed32)).unwrap();
        w.write_fixed32(a).unwrap();
        w.write_key(key(2, WireType::Fixed64)).unwrap();
        w.write_fixed64(b).unwrap();
        w.write_key(key(3, WireType::Fixed32)).unwrap();
        w.write_fixed32(c as u32).unwrap();
        w.write_key(key(4, WireType::Fixed64)).unwrap();
        w.write_fixed64(d as u64).unwrap();
        let n = w.written();
        let mut theirs = Vec::new();
        prost::encoding::fixed32::encode(1, &a, &mut theirs);
        prost::encoding::fixed64::encode(2, &b, &mut theirs);
        prost::encoding::sfixed32::encode(3, &c, &mut theirs);
        prost::encoding::sfixed64::encode(4, &d, &mut theirs);
        prop_assert_eq!(&buf[..n], &theirs[..]);
    }

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
        let mut arena_buf = [0u8; 0];
        let mut arena = Arena::new(&mut arena_buf);
        let mut ctx = DecodeContext::new(&mut arena, DecodeOptions::new());
        let mut r = Reader::new(&bytes);
        let mut steps = 0;
        while let Ok(Some(k)) = r.read_key(0) {
            let before = r.remaining().len();
            if r.skip_field(k, &mut ctx).is_err() {
                break;
            }
            prop_assert!(r.remaining().len() <= before);
            steps += 1;
            prop_assert!(steps <= bytes.len());
        }
    }
}
