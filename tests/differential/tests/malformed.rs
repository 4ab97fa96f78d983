// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Malformed input: one table row per kind of damage, each with the `DecodeError` lkm must
//! return, plus truncations, depth limits and arena sizes swept exhaustively.

use lkm_pb_core::{DecodeError, DecodeOptions};
use lkm_pb_differential::check::lkm_generous;
use lkm_pb_differential::gen::{key, len_field, varint, Generator, Schema};
use lkm_pb_differential::{entry, Outcome};

/// Runs the lkm side of message `name` with a generous arena.
fn lkm(name: &str, bytes: &[u8]) -> Result<Vec<u8>, DecodeError> {
    lkm_generous(entry(name).lkm, bytes).map(|r| r.encoded)
}

struct Row {
    what: &'static str,
    message: &'static str,
    bytes: Vec<u8>,
    expected: DecodeError,
}

fn rows() -> Vec<Row> {
    let scalars = "corpus.scalars3.Scalars";
    let packed = "corpus.scalars3.PackedScalars";
    let mut rows = Vec::new();
    let mut row = |what, message, bytes: Vec<u8>, expected| {
        rows.push(Row {
            what,
            message,
            bytes,
            expected,
        })
    };
    let mut overlong = vec![0x18];
    overlong.extend_from_slice(&[0xFF; 10]);
    overlong.push(0x01);
    row(
        "11-byte varint value",
        scalars,
        overlong,
        DecodeError::VarintTooLong,
    );
    let mut overlong_key = vec![0x80; 10];
    overlong_key.push(0x01);
    row(
        "11-byte varint key",
        scalars,
        overlong_key,
        DecodeError::VarintTooLong,
    );
    row(
        "wire type 6",
        scalars,
        vec![0x1E, 0x00],
        DecodeError::InvalidWireType,
    );
    row(
        "wire type 7",
        scalars,
        vec![0x1F, 0x00],
        DecodeError::InvalidWireType,
    );
    row(
        "wire type 7, unknown field",
        scalars,
        vec![0xFF, 0x01, 0x00],
        DecodeError::InvalidWireType,
    );
    row(
        "field number 0",
        scalars,
        vec![0x00, 0x01],
        DecodeError::InvalidFieldNumber,
    );
    row(
        "field number 0, len",
        scalars,
        vec![0x02, 0x00],
        DecodeError::InvalidFieldNumber,
    );
    row(
        "field number 2^29",
        scalars,
        vec![0x80, 0x80, 0x80, 0x80, 0x10, 0x00],
        DecodeError::InvalidFieldNumber,
    );
    row(
        "string length past the end",
        scalars,
        vec![0x72, 0x05, b'a'],
        DecodeError::LengthOutOfBounds,
    );
    row(
        "bytes length past the end",
        scalars,
        vec![0x7A, 0x7F],
        DecodeError::LengthOutOfBounds,
    );
    row(
        "huge length",
        scalars,
        vec![0x7A, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F],
        DecodeError::LengthOutOfBounds,
    );
    row(
        "unknown len past the end",
        scalars,
        vec![0xA2, 0x06, 0x03, 0x00],
        DecodeError::LengthOutOfBounds,
    );
    row(
        "truncated fixed64",
        scalars,
        vec![0x51, 1, 2, 3],
        DecodeError::Truncated,
    );
    row(
        "truncated fixed32",
        scalars,
        vec![0x4D, 1, 2],
        DecodeError::Truncated,
    );
    row(
        "truncated varint",
        scalars,
        vec![0x18, 0x80],
        DecodeError::Truncated,
    );
    row("truncated key", scalars, vec![0x80], DecodeError::Truncated);
    row(
        "invalid UTF-8",
        scalars,
        vec![0x72, 0x02, 0xC3, 0x28],
        DecodeError::InvalidUtf8,
    );
    row(
        "UTF-8 surrogate",
        scalars,
        vec![0x72, 0x03, 0xED, 0xA0, 0x80],
        DecodeError::InvalidUtf8,
    );
    row(
        "UTF-8 overlong",
        scalars,
        vec![0x72, 0x02, 0xC0, 0x80],
        DecodeError::InvalidUtf8,
    );
    row(
        "invalid UTF-8 repeated",
        packed,
        vec![0x72, 0x01, 0xFF],
        DecodeError::InvalidUtf8,
    );
    row(
        "packed fixed32 of 5 bytes",
        packed,
        vec![0x4A, 0x05, 1, 2, 3, 4, 5],
        DecodeError::InvalidPackedLength,
    );
    row(
        "packed float of 3 bytes",
        packed,
        vec![0x12, 0x03, 1, 2, 3],
        DecodeError::InvalidPackedLength,
    );
    row(
        "packed fixed64 of 12 bytes",
        packed,
        [vec![0x52, 0x0C], vec![0; 12]].concat(),
        DecodeError::InvalidPackedLength,
    );
    row(
        "packed double of 7 bytes",
        packed,
        [vec![0x0A, 0x07], vec![0; 7]].concat(),
        DecodeError::InvalidPackedLength,
    );
    row(
        "packed sfixed64 of 9 bytes",
        packed,
        [vec![0x62, 0x09], vec![0; 9]].concat(),
        DecodeError::InvalidPackedLength,
    );
    row(
        "packed varint cut",
        packed,
        vec![0x1A, 0x02, 0x01, 0x80],
        DecodeError::Truncated,
    );
    row(
        "sub-message length past the end",
        "corpus.recursion.Tree",
        vec![0x12, 0x02, 0x08],
        DecodeError::LengthOutOfBounds,
    );
    row(
        "sub-message body cut in a value",
        "corpus.recursion.Tree",
        vec![0x12, 0x01, 0x08],
        DecodeError::Truncated,
    );
    row(
        "end group without start",
        "corpus.groups.WithGroups",
        vec![0x14],
        DecodeError::GroupMismatch,
    );
    row(
        "group closed by another number",
        "corpus.groups.WithGroups",
        vec![0x13, 0x1C],
        DecodeError::GroupMismatch,
    );
    row(
        "group never closed",
        "corpus.groups.WithGroups",
        vec![0x13, 0x18, 0x01],
        DecodeError::Truncated,
    );
    row(
        "unknown group never closed",
        scalars,
        vec![0xA3, 0x06, 0x08, 0x01],
        DecodeError::Truncated,
    );
    rows
}

#[test]
fn malformed_table() {
    let mut failures = Vec::new();
    for row in rows() {
        let got = lkm(row.message, &row.bytes);
        if got != Err(row.expected) {
            failures.push(format!(
                "{}: expected {:?}, got {got:?}",
                row.what, row.expected
            ));
        }
        // prost rejects each of these too.
        if let Ok(re) = (entry(row.message).prost)(&row.bytes) {
            failures.push(format!(
                "{}: prost accepted, re-encoded {re:02x?}",
                row.what
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A known field number with the wrong wire type: the documented disagreement. lkm skips it
/// as an unknown field; prost fails.
#[test]
fn wrong_wire_type_is_an_unknown_field() {
    let scalars = "corpus.scalars3.Scalars";
    // f_string (14) as a varint, f_int32 (3) as fixed32, then f_int32 = 5.
    let bytes = vec![0x70, 0x01, 0x1D, 1, 2, 3, 4, 0x18, 0x05];
    assert_eq!(lkm(scalars, &bytes), Ok(vec![0x18, 0x05]));
    match (entry(scalars).check)(&bytes) {
        Outcome::Documented { .. } => {}
        other => panic!("{other:?}"),
    }
}

/// Every prefix of valid encodings: lkm fails with `Truncated`/`LengthOutOfBounds` exactly
/// where prost fails, and where the prefix ends on a field boundary both decode the same.
#[test]
fn every_truncation_point() {
    let schema = Schema::corpus();
    let messages = [
        "corpus.scalars3.Scalars",
        "corpus.scalars3.PackedScalars",
        "corpus.scalars2.Required2",
        "corpus.maps.Maps",
        "corpus.oneofs.Choice",
        "corpus.groups.WithGroups",
        "corpus.recursion.Tree",
        "benchmark.Message",
    ];
    let mut prefixes = 0;
    for (i, name) in messages.iter().enumerate() {
        let mut generator = Generator::new(&schema, 0x7_0000 + i as u64);
        for _ in 0..8 {
            let bytes = generator.encoding(name);
            for cut in 0..=bytes.len() {
                let prefix = &bytes[..cut];
                prefixes += 1;
                let prost = (entry(name).prost)(prefix);
                match (prost, lkm(name, prefix)) {
                    (Ok(_), Ok(_)) => {
                        let outcome = (entry(name).check)(prefix);
                        assert!(
                            matches!(
                                outcome,
                                Outcome::Agreed | Outcome::AgreedWithCompletedMapEntries
                            ),
                            "{name} cut at {cut}: {outcome:?}"
                        );
                    }
                    (Err(_), Err(e)) => assert!(
                        matches!(
                            e,
                            DecodeError::Truncated
                                | DecodeError::LengthOutOfBounds
                                | DecodeError::InvalidPackedLength
                        ),
                        "{name} cut at {cut}: {e:?}"
                    ),
                    (p, l) => panic!("{name} cut at {cut}: prost {p:?}, lkm {l:?}"),
                }
            }
        }
    }
    eprintln!("{prefixes} prefixes");
}

/// `Tree` nested `levels` deep through `left`.
fn nested_tree(levels: usize) -> Vec<u8> {
    let mut bytes = vec![0x08, 0x01];
    for _ in 0..levels {
        let mut outer = vec![0x08, 0x02];
        len_field(&mut outer, 2, &bytes);
        bytes = outer;
    }
    bytes
}

#[test]
fn depth_limit() {
    let tree = entry("corpus.recursion.Tree");
    let mut arena = vec![0u8; 1 << 20];
    let options = DecodeOptions::new().with_depth_limit(32);
    assert!((tree.lkm)(&nested_tree(32), &mut arena, options).is_ok());
    assert_eq!(
        (tree.lkm)(&nested_tree(33), &mut arena, options),
        Err(DecodeError::DepthLimitExceeded)
    );
    assert_eq!(
        (tree.lkm)(&nested_tree(40), &mut arena, options),
        Err(DecodeError::DepthLimitExceeded)
    );
    // The default limit is 32 as well.
    assert_eq!(
        (tree.lkm)(&nested_tree(40), &mut arena, DecodeOptions::new()),
        Err(DecodeError::DepthLimitExceeded)
    );
    // Groups count too: unknown groups nested 40 deep.
    let mut groups = Vec::new();
    for _ in 0..40 {
        key(&mut groups, 100, 3);
    }
    for _ in 0..40 {
        key(&mut groups, 100, 4);
    }
    assert_eq!(
        (tree.lkm)(&groups, &mut arena, options),
        Err(DecodeError::DepthLimitExceeded)
    );
    let mut varint_check = Vec::new();
    varint(&mut varint_check, 300);
    assert_eq!(varint_check, [0xAC, 0x02]);
}

/// Every arena size from 0 up to the size a generous decode used, and a little beyond:
/// never a panic, only `Ok` with the same result or `ArenaExhausted`; `ArenaExhausted` below
/// the first size that fits, and `Ok` from the used size on.
#[test]
fn arena_sizes() {
    arena_sweep();
}

fn arena_sweep() {
    let schema = Schema::corpus();
    for (i, name) in [
        "corpus.recursion.Tree",
        "corpus.maps.Maps",
        "corpus.scalars3.PackedScalars",
        "corpus.groups.WithGroups",
    ]
    .iter()
    .enumerate()
    {
        let mut generator = Generator::new(&schema, 0xA_0000 + i as u64);
        let e = entry(name);
        for _ in 0..3 {
            let bytes = generator.encoding(name);
            let full = lkm_generous(e.lkm, &bytes).expect("valid encoding");
            let mut fitted = None;
            for size in 0..=full.arena_used + 64 {
                // A u128 buffer keeps the start 16-byte aligned, as the generous one was.
                let mut words = vec![0u128; size.div_ceil(16)];
                let buffer: &mut [u8] = bytemuck_bytes(&mut words);
                let result = (e.lkm)(&bytes, &mut buffer[..size], DecodeOptions::new());
                match result {
                    Ok(r) => {
                        assert_eq!(r.encoded, full.encoded, "{name} at arena size {size}");
                        fitted.get_or_insert(size);
                    }
                    Err(DecodeError::ArenaExhausted) => {
                        assert!(
                            size < full.arena_used,
                            "{name}: exhausted at {size}, used {}",
                            full.arena_used
                        );
                    }
                    Err(other) => panic!("{name} at arena size {size}: {other:?}"),
                }
            }
            let fitted = fitted.unwrap_or_else(|| panic!("{name} never fits"));
            assert!(
                fitted <= full.arena_used,
                "{name}: fits at {fitted}, used {}",
                full.arena_used
            );
        }
    }
}

/// Views a `u128` buffer as bytes.
fn bytemuck_bytes(words: &mut [u128]) -> &mut [u8] {
    let len = std::mem::size_of_val(words);
    // SAFETY: u128 has no padding and any byte pattern is valid for u8; the length covers
    // exactly the words, which stay borrowed for the returned lifetime.
    unsafe { std::slice::from_raw_parts_mut(words.as_mut_ptr().cast::<u8>(), len) }
}
