// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Decoding and encoding a hand-written message the way generated code does it: merging,
//! sub-messages in the arena, groups, depth limits, and a cross-check against prost.

mod common;

use common::Foo;
use lkm_pb_core::decode::DecodeOptions;
use lkm_pb_core::error::DecodeError;
use lkm_pb_core::{Arena, Message};
use proptest::prelude::*;

/// The same message for prost.
#[derive(Clone, PartialEq, prost::Message)]
struct PFoo {
    #[prost(int32, tag = "1")]
    bar: i32,
    #[prost(string, tag = "2")]
    name: String,
    #[prost(int32, repeated, tag = "3")]
    values: Vec<i32>,
    #[prost(message, optional, boxed, tag = "4")]
    child: Option<Box<PFoo>>,
}

/// Compares a decoded `Foo` with a prost message.
fn same(ours: &Foo<'_>, theirs: &PFoo) -> bool {
    ours.bar == theirs.bar
        && ours.name == theirs.name
        && ours.values == &theirs.values[..]
        && ours.group_child.is_none()
        && match (ours.child, &theirs.child) {
            (None, None) => true,
            (Some(a), Some(b)) => same(a, b),
            _ => false,
        }
}

fn pfoo() -> impl Strategy<Value = PFoo> {
    let leaf = (
        any::<i32>(),
        "[a-z\u{e9}\u{2603}]{0,6}",
        proptest::collection::vec(any::<i32>(), 0..6),
    )
        .prop_map(|(bar, name, values)| PFoo {
            bar,
            name,
            values,
            child: None,
        });
    leaf.prop_recursive(3, 8, 1, |inner| {
        (
            any::<i32>(),
            "[a-z]{0,3}",
            proptest::collection::vec(any::<i32>(), 0..4),
            inner,
        )
            .prop_map(|(bar, name, values, child)| PFoo {
                bar,
                name,
                values,
                child: Some(Box::new(child)),
            })
    })
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: if cfg!(miri) { 3 } else { 512 },
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn matches_prost(theirs in pfoo()) {
        let bytes = prost::Message::encode_to_vec(&theirs);
        let mut arena_buf = vec![0u8; 4096];
        let mut arena = Arena::new(&mut arena_buf);
        let ours = Foo::decode(&bytes, &mut arena).unwrap();
        prop_assert!(same(&ours, &theirs), "{ours:?} != {theirs:?}");
        prop_assert_eq!(ours.encoded_len(), bytes.len());
        let mut out = vec![0u8; bytes.len()];
        prop_assert_eq!(ours.encode(&mut out), Ok(bytes.len()));
        prop_assert_eq!(&out, &bytes);
    }

    #[test]
    fn arena_exhaustion_is_an_error(theirs in pfoo(), size in 0usize..256) {
        let bytes = prost::Message::encode_to_vec(&theirs);
        let mut arena_buf = vec![0u8; size];
        let mut arena = Arena::new(&mut arena_buf);
        match Foo::decode(&bytes, &mut arena) {
            Ok(ours) => prop_assert!(same(&ours, &theirs)),
            Err(e) => prop_assert_eq!(e, DecodeError::ArenaExhausted),
        }
    }

    #[test]
    fn garbage_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..48)) {
        let mut arena_buf = vec![0u8; 128];
        let mut arena = Arena::new(&mut arena_buf);
        let _ = Foo::decode(&bytes, &mut arena);
    }
}

#[test]
fn merging_follows_protobuf_rules() {
    // bar=1, name="a", values [1,2] packed, child{bar=5}, then bar=2, values 3 unpacked,
    // child{name="x"}.
    let bytes = [
        0x08, 1, 0x12, 1, b'a', 0x1a, 2, 1, 2, 0x22, 2, 0x08, 5, 0x08, 2, 0x18, 3, 0x22, 3, 0x12,
        1, b'x',
    ];
    let mut arena_buf = [0u8; 256];
    let mut arena = Arena::new(&mut arena_buf);
    let foo = Foo::decode(&bytes, &mut arena).unwrap();
    assert_eq!(foo.bar, 2);
    assert_eq!(foo.name, "a");
    assert_eq!(foo.values, [1, 2, 3]);
    let child = foo.child.unwrap();
    assert_eq!((child.bar, child.name), (5, "x"), "sub-messages merge");

    // Merging a second encoding into a decoded message appends and merges.
    let mut merged = foo;
    merged
        .merge_with(
            &[0x1a, 1, 4, 0x22, 2, 0x08, 6],
            &mut arena,
            DecodeOptions::new(),
        )
        .unwrap();
    assert_eq!(merged.values, [1, 2, 3, 4]);
    assert_eq!(merged.child.unwrap().bar, 6);
    assert_eq!(merged.child.unwrap().name, "x");
    // The first message is untouched.
    assert_eq!(foo.values, [1, 2, 3]);
    assert_eq!(foo.child.unwrap().bar, 5);
}

#[test]
fn unknown_fields_are_skipped() {
    let bytes = [
        0x08, 7, 0x35, 1, 2, 3, 4, 0x2b, 0x08, 1, 0x2c, 0x7a, 1, 0, 0x0a, 0,
    ];
    let mut arena_buf = [0u8; 64];
    let mut arena = Arena::new(&mut arena_buf);
    let foo = Foo::decode(&bytes, &mut arena).unwrap();
    assert_eq!(foo.bar, 7);
    // Field 1 with wire type Len is an unknown field, not a bar.
    let foo = Foo::decode(&[0x0a, 1, 9], &mut arena).unwrap();
    assert_eq!(foo.bar, 0);
}

#[test]
fn groups() {
    // group_child = 5 { bar = 3, group_child { name = "g" } }
    let bytes = [0x2b, 0x08, 3, 0x2b, 0x12, 1, b'g', 0x2c, 0x2c];
    let mut arena_buf = [0u8; 256];
    let mut arena = Arena::new(&mut arena_buf);
    let foo = Foo::decode(&bytes, &mut arena).unwrap();
    let g = foo.group_child.unwrap();
    assert_eq!(g.bar, 3);
    assert_eq!(g.group_child.unwrap().name, "g");
    assert_eq!(foo.encoded_len(), bytes.len());
    let mut out = [0u8; 16];
    assert_eq!(foo.encode(&mut out), Ok(bytes.len()));
    assert_eq!(&out[..bytes.len()], bytes);
    // Unterminated and mismatched groups.
    let mut arena_buf = [0u8; 256];
    let mut arena = Arena::new(&mut arena_buf);
    assert_eq!(
        Foo::decode(&bytes[..bytes.len() - 1], &mut arena),
        Err(DecodeError::Truncated)
    );
    assert_eq!(
        Foo::decode(&[0x2b, 0x34], &mut arena),
        Err(DecodeError::GroupMismatch)
    );
    assert_eq!(
        Foo::decode(&[0x2c], &mut arena),
        Err(DecodeError::GroupMismatch)
    );
}

/// Returns `depth` nested `child` fields around an empty message.
fn nested(depth: usize) -> Vec<u8> {
    let mut bytes = Vec::new();
    for _ in 0..depth {
        let mut outer = vec![0x22];
        prost::encoding::encode_varint(bytes.len() as u64, &mut outer);
        outer.extend(bytes);
        bytes = outer;
    }
    bytes
}

#[test]
fn depth_limit() {
    for limit in [0u32, 1, 3, 32] {
        for depth in 0..=(limit as usize + 1) {
            let bytes = nested(depth);
            let mut arena_buf = vec![0u8; 64 * 40];
            let mut arena = Arena::new(&mut arena_buf);
            let options = DecodeOptions::new().with_depth_limit(limit);
            let result = Foo::decode_with(&bytes, &mut arena, options);
            if depth <= limit as usize {
                let mut foo = result.unwrap();
                for _ in 0..depth {
                    foo = *foo.child.unwrap();
                }
                assert!(foo.child.is_none());
            } else {
                assert_eq!(
                    result,
                    Err(DecodeError::DepthLimitExceeded),
                    "{limit} {depth}"
                );
            }
        }
    }
    // The default limit is 32.
    let mut arena_buf = vec![0u8; 64 * 40];
    let mut arena = Arena::new(&mut arena_buf);
    let (ok, deep) = (nested(32), nested(33));
    assert!(Foo::decode(&ok, &mut arena).is_ok());
    let mut arena_buf = vec![0u8; 64 * 40];
    let mut arena = Arena::new(&mut arena_buf);
    assert_eq!(
        Foo::decode(&deep, &mut arena),
        Err(DecodeError::DepthLimitExceeded)
    );
    assert_eq!(DecodeOptions::default(), DecodeOptions::new());
}

#[test]
fn sub_messages_and_repeated_fields_share_the_arena() {
    // values 1, child { values [7, 8] }, values 2, 3, 4, 5: the outer builder's storage is
    // not at the top of the arena any more when the child is done, so it relocates.
    let bytes = [
        0x18, 1, 0x22, 4, 0x1a, 2, 7, 8, 0x18, 2, 0x18, 3, 0x18, 4, 0x18, 5,
    ];
    let mut arena_buf = [0u8; 256];
    let mut arena = Arena::new(&mut arena_buf);
    let foo = Foo::decode(&bytes, &mut arena).unwrap();
    assert_eq!(foo.values, [1, 2, 3, 4, 5]);
    assert_eq!(foo.child.unwrap().values, [7, 8]);
}
