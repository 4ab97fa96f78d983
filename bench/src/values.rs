// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The values every library encodes and decodes, built as prost messages.
//!
//! prost is the reference: its encoding of these values is the input of every decoder,
//! and every other library's result is converted to these types and compared.

use std::collections::BTreeMap;

use crate::generated::prost::{benchmark, cases};

/// The benchmark cases, in table order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Case {
    /// `benchmark.Message` with `Message1` in its oneof.
    Message,
    /// `benchmark.Message3` with five sub-messages.
    Message3,
    /// `cases.Foo`: one `int32`.
    Foo,
    /// `cases.Packed`: packed `int32`, `sint64`, `fixed32` and a map.
    Packed,
    /// `cases.Fixed32s`: 1,024 packed `fixed32` values.
    Fixed32s,
}

impl Case {
    /// Every case, in table order.
    pub const ALL: [Case; 5] = [
        Case::Message,
        Case::Message3,
        Case::Foo,
        Case::Packed,
        Case::Fixed32s,
    ];

    /// Returns the name used on the command line and in the table.
    pub fn name(self) -> &'static str {
        match self {
            Case::Message => "Message",
            Case::Message3 => "Message3",
            Case::Foo => "Foo",
            Case::Packed => "Packed",
            Case::Fixed32s => "Fixed32s",
        }
    }
}

/// Returns `len` bytes of text that cycle through a short sentence, starting at `seed`.
fn text(seed: usize, len: usize) -> String {
    const SOURCE: &str = "the quick brown fox jumps over the lazy dog, ";
    SOURCE.chars().cycle().skip(seed).take(len).collect()
}

/// The `SubMessage` inside `Message1`.
pub fn sub_message() -> benchmark::SubMessage {
    benchmark::SubMessage {
        field1: 1,
        field2: 12_345,
        field3: -7,
        field15: text(0, 48),
        field12: (0u8..64).collect(),
        field13: 1_234_567_890_123,
        field14: -42,
        field21: 0x0123_4567_89ab_cdef,
        field22: 77,
        field206: true,
        field203: 0xdead_beef,
        field204: 300,
        field205: text(7, 40),
        field207: u64::MAX / 3,
        field300: benchmark::Enum::E3 as i32,
    }
}

/// `benchmark.Message` with every field of `Message1` set.
pub fn message() -> benchmark::Message {
    let message1 = benchmark::Message1 {
        field80: true,
        field81: true,
        field2: 2,
        field3: 3,
        field280: 280_000,
        field6: 6,
        field22: -22_222_222_222,
        field4: (0..4).map(|i| text(i * 5, 44)).collect(),
        field59: true,
        field16: 16,
        field150: 150,
        field23: 23,
        field24: true,
        field25: 25,
        field15: Some(sub_message()),
        field78: true,
        field67: 67,
        field68: 68,
        field128: 128,
        field129: text(11, 80),
        field131: 131,
    };
    benchmark::Message {
        oneof: Some(benchmark::message::Oneof::Message1(message1)),
    }
}

/// `benchmark.Message3` with five sub-messages.
pub fn message3() -> benchmark::Message3 {
    let field13 = (0..5)
        .map(|i| benchmark::message3::SubMessage {
            field28: 28 + i,
            field2: 1_000 * i64::from(i + 1),
            field12: 12,
            field19: text(i as usize * 3, 8),
            field11: 11 * i,
        })
        .collect();
    benchmark::Message3 { field13 }
}

/// `cases.Foo`.
pub fn foo() -> cases::Foo {
    cases::Foo { bar: 1234 }
}

/// `cases.Packed`: 256 values of each packed field and a map of 16 entries.
pub fn packed() -> cases::Packed {
    cases::Packed {
        ints: (0..256).map(|i: i32| (i * 7919) % 100_000).collect(),
        sints: (0..256i64).map(|i| (i - 128) * 1_000_003).collect(),
        fixeds: (0..256u32).map(|i| i.wrapping_mul(2_654_435_761)).collect(),
        // No entry with key and value both 0: micropb 0.7 drops such an entry (prost writes
        // it as an empty entry), and the case is about speed, not about that difference.
        counts: (1..=16)
            .map(|i: i32| (i * 3, i * i))
            .collect::<BTreeMap<_, _>>(),
    }
}

/// `cases.Fixed32s`: 1,024 values.
pub fn fixed32s() -> cases::Fixed32s {
    cases::Fixed32s {
        values: (0..1024u32)
            .map(|i| i.wrapping_mul(2_246_822_519))
            .collect(),
    }
}
