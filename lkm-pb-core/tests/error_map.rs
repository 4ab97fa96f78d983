// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Tests of the error types and of `Map`.

use std::collections::HashSet;

use lkm_pb_core::error::{errno, DecodeError, EncodeError, FrameError};
use lkm_pb_core::Map;

const DECODE_ERRORS: [DecodeError; 10] = [
    DecodeError::Truncated,
    DecodeError::VarintTooLong,
    DecodeError::InvalidFieldNumber,
    DecodeError::InvalidWireType,
    DecodeError::LengthOutOfBounds,
    DecodeError::DepthLimitExceeded,
    DecodeError::ArenaExhausted,
    DecodeError::InvalidUtf8,
    DecodeError::InvalidPackedLength,
    DecodeError::GroupMismatch,
];

#[test]
fn decode_errors() {
    let texts: HashSet<String> = DECODE_ERRORS.iter().map(|e| e.to_string()).collect();
    assert_eq!(texts.len(), DECODE_ERRORS.len(), "every text is distinct");
    for e in DECODE_ERRORS {
        assert!(!e.as_str().is_empty());
        assert_eq!(e.to_string(), e.as_str());
        assert!(e.errno() > 0);
    }
    assert_eq!(DecodeError::ArenaExhausted.errno(), errno::ENOMEM);
    assert_eq!(DecodeError::DepthLimitExceeded.errno(), errno::ELOOP);
    assert_eq!(DecodeError::InvalidUtf8.errno(), errno::EILSEQ);
    assert_eq!(DecodeError::VarintTooLong.errno(), errno::EOVERFLOW);
    assert_eq!(DecodeError::Truncated.errno(), errno::EBADMSG);
    assert_eq!(DecodeError::GroupMismatch.errno(), errno::EBADMSG);
    // The kernel's numbers.
    assert_eq!(
        [errno::ENOMEM, errno::EINVAL, errno::ELOOP, errno::EBADMSG],
        [12, 22, 40, 74]
    );
    assert_eq!(
        [
            errno::EOVERFLOW,
            errno::EILSEQ,
            errno::EMSGSIZE,
            errno::ENOBUFS
        ],
        [75, 84, 90, 105]
    );
}

#[test]
fn encode_and_frame_errors() {
    let small = EncodeError::BufferTooSmall {
        needed: 10,
        available: 3,
    };
    assert_eq!(
        small.to_string(),
        "output buffer too small: need 10 bytes, have 3"
    );
    assert_eq!(small.errno(), errno::ENOBUFS);
    assert_eq!(EncodeError::MessageTooLarge.errno(), errno::EMSGSIZE);
    assert!(!EncodeError::MessageTooLarge.to_string().is_empty());
    assert_ne!(small.to_string(), EncodeError::MessageTooLarge.to_string());
    let frames = [
        FrameError::TruncatedHeader,
        FrameError::TruncatedBody {
            announced: 1,
            available: 0,
        },
        FrameError::TooLarge {
            announced: 2,
            limit: 1,
        },
    ];
    let texts: HashSet<String> = frames.iter().map(|e| e.to_string()).collect();
    assert_eq!(texts.len(), 3);
    assert!(texts.iter().all(|t| !t.is_empty()));
}

#[test]
fn map_lookups() {
    let entries = [("a", 1), ("b", 2), ("a", 3)];
    let map = Map::new(&entries);
    assert_eq!(map.get("a"), Some(&3), "the last duplicate wins");
    assert_eq!(map.get(&"b"), Some(&2));
    assert_eq!(map.get("c"), None);
    assert!(map.contains_key("b"));
    assert!(!map.contains_key(""));
    assert_eq!(map.len(), 3);
    assert!(!map.is_empty());
    assert_eq!(map.entries(), &entries);
    let order: Vec<_> = map.iter().collect();
    assert_eq!(order, [(&"a", &1), (&"b", &2), (&"a", &3)]);
    assert_eq!(format!("{map:?}"), r#"{"a": 1, "b": 2, "a": 3}"#);

    // String keys looked up with `&str`.
    let owned = [(String::from("x"), 1u8)];
    let map = Map::from(&owned[..]);
    assert_eq!(map.get("x"), Some(&1));

    let ints = [(1u32, "one"), (2, "two"), (1, "uno")];
    let map = Map::new(&ints);
    assert_eq!(map.get(&1), Some(&"uno"));
    assert_eq!(map.get(&3), None);

    let empty: Map<'_, u32, u32> = Map::default();
    assert!(empty.is_empty());
    assert_eq!(empty.get(&0), None);
    assert_eq!(format!("{empty:?}"), "{}");
    assert_eq!(empty, Map::new(&[]));
}
