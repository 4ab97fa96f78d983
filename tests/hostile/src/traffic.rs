// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The hostile traffic: a seeded mix of valid and broken datagrams for the modules
//! generated from `hostile.proto`.
//!
//! Valid messages are written field by field with [`crate::wire`], in random order, with
//! packed and unpacked repeated fields, repeated singular fields, unknown fields and
//! groups, so that they are valid without being what an encoder would write. The other
//! categories break them or replace them; whether a broken datagram still decodes (a
//! mutation can land in a blob) is for [`crate::model`] to say, not for the generator.

use crate::rng::Rng;
use crate::wire::{self, EGROUP, I32, I64, LEN, SGROUP, VARINT};

/// The kinds of datagram the traffic mixes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Category {
    /// One to four frames of valid messages, nesting at most [`VALID_DEPTH`] levels.
    Valid,
    /// Random bytes, from empty to the largest datagram.
    RandomBytes,
    /// Frames with correct length prefixes around random bodies.
    RandomFrames,
    /// Valid frames with a few random bytes flipped, inserted, deleted or cut.
    Mutated,
    /// Valid messages behind length prefixes that are too short, too long or huge, or
    /// behind a truncated prefix.
    LyingPrefix,
    /// Messages nested from a few levels below the depth limit to thousands of levels
    /// above it, through sub-messages and through unknown groups.
    Deep,
    /// Valid messages with invalid UTF-8 in a string field, a map key or a oneof string.
    BadUtf8,
    /// Wire-format edge cases: overlong varints, field number 0, reserved wire types,
    /// unbalanced groups, lengths past the end, packed fixed-width fields of the wrong
    /// length.
    WireEdge,
    /// Datagrams of the largest size the address family allows.
    MaxSize,
}

impl Category {
    /// Every category, in a fixed order.
    pub const ALL: [Category; 9] = [
        Category::Valid,
        Category::RandomBytes,
        Category::RandomFrames,
        Category::Mutated,
        Category::LyingPrefix,
        Category::Deep,
        Category::BadUtf8,
        Category::WireEdge,
        Category::MaxSize,
    ];

    /// The category's name in reports.
    pub fn name(self) -> &'static str {
        match self {
            Category::Valid => "valid",
            Category::RandomBytes => "random-bytes",
            Category::RandomFrames => "random-frames",
            Category::Mutated => "mutated",
            Category::LyingPrefix => "lying-prefix",
            Category::Deep => "deep",
            Category::BadUtf8 => "bad-utf8",
            Category::WireEdge => "wire-edge",
            Category::MaxSize => "max-size",
        }
    }

    /// The category's share of the traffic, in percent (the shares add up to 100).
    fn weight(self) -> usize {
        match self {
            Category::Valid => 34,
            Category::RandomBytes => 8,
            Category::RandomFrames => 8,
            Category::Mutated => 16,
            Category::LyingPrefix => 10,
            Category::Deep => 8,
            Category::BadUtf8 => 5,
            Category::WireEdge => 9,
            Category::MaxSize => 2,
        }
    }
}

/// The deepest nesting of the valid category: top-level message at depth 0, so one level
/// below the modules' depth limit of 8.
pub const VALID_DEPTH: u32 = 7;

/// The largest UDP payload over IPv4 (65,535 minus the IPv4 and UDP headers).
pub const MAX_DATAGRAM_V4: usize = 65_507;
/// The largest UDP payload over IPv6 without jumbograms (65,535 minus the UDP header).
pub const MAX_DATAGRAM_V6: usize = 65_527;

/// Field numbers of `hostile.Node`.
mod field {
    pub(super) const ID: u32 = 1;
    pub(super) const NAME: u32 = 2;
    pub(super) const BLOB: u32 = 3;
    pub(super) const CHILDREN: u32 = 4;
    pub(super) const SAMPLES: u32 = 5;
    pub(super) const WORDS: u32 = 6;
    pub(super) const LABELS: u32 = 7;
    pub(super) const NEXT: u32 = 8;
    pub(super) const WEIGHT: u32 = 9;
    pub(super) const NOTE: u32 = 10;
    pub(super) const KIND: u32 = 11;
    pub(super) const STAMP: u32 = 12;
    pub(super) const TAGS: u32 = 13;
}

/// Characters the random strings are made of: ASCII and two-, three- and four-byte UTF-8.
const CHARS: [char; 12] = ['a', 'z', 'Q', '0', ' ', '_', 'é', 'ß', '€', '中', '𝄞', '😀'];

/// One datagram of the traffic.
#[derive(Clone, Debug)]
pub struct Packet {
    /// What the datagram was made as.
    pub category: Category,
    /// The datagram's payload.
    pub bytes: Vec<u8>,
}

/// The traffic generator.
#[derive(Clone, Debug)]
pub struct Traffic {
    rng: Rng,
}

impl Traffic {
    /// A generator seeded with `seed`.
    pub fn new(seed: u64) -> Self {
        Self {
            rng: Rng::new(seed),
        }
    }

    /// The next datagram, of at most `max_len` bytes.
    pub fn next_packet(&mut self, max_len: usize) -> Packet {
        let mut roll = self.rng.below(100);
        let mut category = Category::Valid;
        for c in Category::ALL {
            if roll < c.weight() {
                category = c;
                break;
            }
            roll -= c.weight();
        }
        self.packet(category, max_len)
    }

    /// A datagram of `category`, of at most `max_len` bytes.
    pub fn packet(&mut self, category: Category, max_len: usize) -> Packet {
        let mut bytes = match category {
            Category::Valid => self.valid_datagram(),
            Category::RandomBytes => self.random_bytes(max_len),
            Category::RandomFrames => self.random_frames(),
            Category::Mutated => self.mutated(),
            Category::LyingPrefix => self.lying_prefix(),
            Category::Deep => self.deep(max_len),
            Category::BadUtf8 => self.bad_utf8(),
            Category::WireEdge => self.wire_edge(),
            Category::MaxSize => self.max_size(max_len),
        };
        bytes.truncate(max_len);
        Packet { category, bytes }
    }

    /// One valid message with the given id, encoded as one frame.
    pub fn valid_frame_with_id(&mut self, id: i32) -> Vec<u8> {
        let mut body = self.node(VALID_DEPTH);
        // A later occurrence of a singular field wins, so appending the id sets it.
        wire::varint_field(&mut body, field::ID, id as i64 as u64);
        let mut out = Vec::new();
        wire::frame(&mut out, &body);
        out
    }

    fn valid_datagram(&mut self) -> Vec<u8> {
        let mut out = Vec::new();
        for _ in 0..self.rng.range(1, 4) {
            let depth = self.rng.below(VALID_DEPTH as usize + 1) as u32;
            let body = self.node(depth);
            wire::frame(&mut out, &body);
        }
        out
    }

    /// A valid `hostile.Node` with at most `depth` levels of messages below it.
    fn node(&mut self, depth: u32) -> Vec<u8> {
        let mut parts: Vec<Vec<u8>> = Vec::new();
        let mut part = Vec::new();
        if self.rng.chance(90) {
            wire::varint_field(&mut part, field::ID, self.id() as i64 as u64);
            parts.push(std::mem::take(&mut part));
        }
        if self.rng.chance(60) {
            let name = self.string(24);
            wire::bytes_field(&mut part, field::NAME, name.as_bytes());
            parts.push(std::mem::take(&mut part));
        }
        if self.rng.chance(30) {
            let mut blob = Vec::new();
            let len = if self.rng.chance(5) {
                self.rng.below(4000)
            } else {
                self.rng.below(40)
            };
            self.rng.fill(&mut blob, len);
            wire::bytes_field(&mut part, field::BLOB, &blob);
            parts.push(std::mem::take(&mut part));
        }
        if depth > 0 && self.rng.chance(40) {
            // Few children near the top, so that trees stay small.
            for _ in 0..self.rng.range(1, 3) {
                let child_depth = self.rng.below(depth as usize) as u32;
                let child = self.node(child_depth);
                wire::bytes_field(&mut part, field::CHILDREN, &child);
                parts.push(std::mem::take(&mut part));
            }
        }
        if self.rng.chance(30) {
            let count = self.rng.below(12);
            let samples: Vec<i64> = (0..count).map(|_| self.signed()).collect();
            if self.rng.chance(70) {
                let mut packed = Vec::new();
                for s in &samples {
                    wire::varint(&mut packed, wire::zigzag(*s));
                }
                wire::bytes_field(&mut part, field::SAMPLES, &packed);
            } else {
                for s in &samples {
                    wire::varint_field(&mut part, field::SAMPLES, wire::zigzag(*s));
                }
            }
            parts.push(std::mem::take(&mut part));
        }
        if self.rng.chance(30) {
            let count = self.rng.below(10);
            let words: Vec<u32> = (0..count).map(|_| self.rng.next_u64() as u32).collect();
            if self.rng.chance(70) {
                let packed: Vec<u8> = words.iter().flat_map(|w| w.to_le_bytes()).collect();
                wire::bytes_field(&mut part, field::WORDS, &packed);
            } else {
                for w in &words {
                    wire::key(&mut part, field::WORDS, I32);
                    part.extend_from_slice(&w.to_le_bytes());
                }
            }
            parts.push(std::mem::take(&mut part));
        }
        if self.rng.chance(25) {
            for _ in 0..self.rng.range(1, 4) {
                let mut entry = Vec::new();
                if self.rng.chance(90) {
                    let k = self.string(8);
                    wire::bytes_field(&mut entry, 1, k.as_bytes());
                }
                if self.rng.chance(90) {
                    wire::varint_field(&mut entry, 2, self.signed() as u64);
                }
                wire::bytes_field(&mut part, field::LABELS, &entry);
                parts.push(std::mem::take(&mut part));
            }
        }
        if self.rng.chance(40) {
            match self.rng.below(3) {
                0 if depth > 0 => {
                    let next = self.node(depth - 1);
                    wire::bytes_field(&mut part, field::NEXT, &next);
                }
                1 => {
                    wire::key(&mut part, field::WEIGHT, I64);
                    part.extend_from_slice(&self.rng.next_u64().to_le_bytes());
                }
                _ => {
                    let note = self.string(16);
                    wire::bytes_field(&mut part, field::NOTE, note.as_bytes());
                }
            }
            parts.push(std::mem::take(&mut part));
        }
        if self.rng.chance(30) {
            let kind = if self.rng.chance(80) {
                self.rng.below(3) as i64
            } else {
                self.signed()
            };
            wire::varint_field(&mut part, field::KIND, kind as u64);
            parts.push(std::mem::take(&mut part));
        }
        if self.rng.chance(20) {
            wire::varint_field(&mut part, field::STAMP, self.rng.next_u64());
            parts.push(std::mem::take(&mut part));
        }
        if self.rng.chance(20) {
            for _ in 0..self.rng.range(1, 4) {
                let tag = self.string(10);
                wire::bytes_field(&mut part, field::TAGS, tag.as_bytes());
            }
            parts.push(std::mem::take(&mut part));
        }
        if self.rng.chance(15) {
            // A group nests one level; keep the whole message within VALID_DEPTH.
            let groups = if depth > 0 {
                Some((depth - 1).min(2))
            } else {
                None
            };
            self.unknown_field(&mut part, groups);
            parts.push(std::mem::take(&mut part));
        }
        if self.rng.chance(30) {
            // Fields may come in any order.
            for i in (1..parts.len()).rev() {
                parts.swap(i, self.rng.below(i + 1));
            }
        }
        parts.concat()
    }

    /// A valid field `hostile.Node` does not declare, of any wire type; `groups` is how
    /// deep groups may nest inside a group, `None` for no group at all.
    fn unknown_field(&mut self, out: &mut Vec<u8>, groups: Option<u32>) {
        let number = if self.rng.chance(80) {
            self.rng.range(14, 2000) as u32
        } else {
            (1 << 29) - 1
        };
        let kinds = if groups.is_some() { 5 } else { 4 };
        match self.rng.below(kinds) {
            0 => wire::varint_field(out, number, self.rng.next_u64()),
            1 => {
                wire::key(out, number, I64);
                out.extend_from_slice(&self.rng.next_u64().to_le_bytes());
            }
            2 => {
                let mut value = Vec::new();
                let len = self.rng.below(30);
                self.rng.fill(&mut value, len);
                wire::bytes_field(out, number, &value);
            }
            3 => {
                wire::key(out, number, I32);
                out.extend_from_slice(&(self.rng.next_u64() as u32).to_le_bytes());
            }
            _ => {
                wire::key(out, number, SGROUP);
                let inner = groups.and_then(|g| g.checked_sub(1));
                for _ in 0..self.rng.below(3) {
                    self.unknown_field(out, inner);
                }
                wire::key(out, number, EGROUP);
            }
        }
    }

    fn id(&mut self) -> i32 {
        match self.rng.below(20) {
            0 => *self.rng.pick(&[i32::MIN, i32::MAX, -1, 0]),
            1..=4 => -(self.rng.below(1000) as i32),
            _ => self.rng.below(1_000_000) as i32,
        }
    }

    fn signed(&mut self) -> i64 {
        match self.rng.below(8) {
            0 => *self.rng.pick(&[i64::MIN, i64::MAX, -1, 0, 1]),
            1 => self.rng.next_u64() as i64,
            _ => self.rng.below(2000) as i64 - 1000,
        }
    }

    fn string(&mut self, max_chars: usize) -> String {
        let len = self.rng.below(max_chars + 1);
        (0..len).map(|_| *self.rng.pick(&CHARS)).collect()
    }

    fn random_bytes(&mut self, max_len: usize) -> Vec<u8> {
        let len = match self.rng.below(20) {
            0 => self.rng.below(max_len + 1),
            1 => 0,
            2..=5 => self.rng.below(8),
            _ => self.rng.below(1500),
        };
        let mut out = Vec::new();
        self.rng.fill(&mut out, len);
        out
    }

    fn random_frames(&mut self) -> Vec<u8> {
        let mut out = Vec::new();
        for _ in 0..self.rng.range(1, 5) {
            let mut body = Vec::new();
            let len = if self.rng.chance(20) {
                self.rng.below(4)
            } else {
                self.rng.below(300)
            };
            self.rng.fill(&mut body, len);
            wire::frame(&mut out, &body);
        }
        out
    }

    fn mutated(&mut self) -> Vec<u8> {
        let mut out = self.valid_datagram();
        for _ in 0..self.rng.range(1, 8) {
            if out.is_empty() {
                break;
            }
            let at = self.rng.below(out.len());
            match self.rng.below(6) {
                0 => out[at] ^= 1 << self.rng.below(8),
                1 => out[at] = self.rng.byte(),
                2 => out.insert(at, self.rng.byte()),
                3 => {
                    out.remove(at);
                }
                4 => {
                    let end = (at + self.rng.range(1, 16)).min(out.len());
                    let copy = out[at..end].to_vec();
                    let to = self.rng.below(out.len() + 1);
                    out.splice(to..to, copy);
                }
                _ => out.truncate(at),
            }
        }
        out
    }

    fn lying_prefix(&mut self) -> Vec<u8> {
        let body = self.node(3);
        let mut out = Vec::new();
        if self.rng.chance(30) {
            // A valid frame first, so that the lie is not always at the start.
            let first = self.node(2);
            wire::frame(&mut out, &first);
        }
        let len = body.len() as u64;
        let announced: u64 = match self.rng.below(8) {
            0 => len + self.rng.range(1, 100) as u64,
            1 => len.saturating_sub(self.rng.range(1, 100) as u64),
            2 => 0,
            3 => u64::from(u32::MAX),
            4 => 0x7fff_ffff,
            5 => 65_536,
            6 => 65_535,
            _ => {
                // A truncated header: one to three bytes of a prefix and nothing else.
                let cut = self.rng.range(1, 3);
                out.extend_from_slice(&(len as u32).to_be_bytes()[..cut]);
                return out;
            }
        };
        out.extend_from_slice(&(announced as u32).to_be_bytes());
        out.extend_from_slice(&body);
        out
    }

    fn deep(&mut self, max_len: usize) -> Vec<u8> {
        let levels = match self.rng.below(10) {
            0..=5 => self.rng.range(6, 12),
            6 | 7 => self.rng.range(13, 200),
            _ => self.rng.range(200, 30_000),
        };
        let mut body = if self.rng.chance(50) {
            self.node(0)
        } else {
            Vec::new()
        };
        match self.rng.below(4) {
            // Nested through `next` or `children`, innermost first.
            0 | 1 => {
                for _ in 0..levels {
                    let number = if self.rng.chance(50) {
                        field::NEXT
                    } else {
                        field::CHILDREN
                    };
                    let mut outer = Vec::new();
                    if self.rng.chance(30) {
                        wire::varint_field(&mut outer, field::ID, self.id() as i64 as u64);
                    }
                    wire::bytes_field(&mut outer, number, &body);
                    if outer.len() + 4 > max_len {
                        break;
                    }
                    body = outer;
                }
            }
            // Nested unknown groups, balanced or not.
            2 => {
                let mut out = Vec::new();
                let levels = levels.min(max_len / 4);
                for _ in 0..levels {
                    wire::key(&mut out, 500, SGROUP);
                }
                if self.rng.chance(60) {
                    for _ in 0..levels {
                        wire::key(&mut out, 500, EGROUP);
                    }
                }
                body = out;
            }
            // A chain of length prefixes only: each level claims the rest of the message.
            _ => {
                let mut out = Vec::new();
                let levels = levels.min(max_len / 8);
                for i in 0..levels {
                    wire::key(&mut out, field::NEXT, LEN);
                    wire::varint(&mut out, (levels - i - 1) as u64 * 2);
                }
                body = out;
            }
        }
        let mut out = Vec::new();
        wire::frame(&mut out, &body);
        out
    }

    fn bad_utf8(&mut self) -> Vec<u8> {
        const BAD: [&[u8]; 7] = [
            b"\xff",
            b"\xc0\x80",
            b"\xed\xa0\x80",
            b"\xe2\x82",
            b"\xf4\x90\x80\x80",
            b"\x80abc",
            b"ok\xf0\x9f\x98",
        ];
        let mut text = self.string(6).into_bytes();
        let bad = self.rng.pick(&BAD);
        let at = self.rng.below(2) * text.len();
        text.splice(at..at, bad.iter().copied());
        let mut body = self.node(2);
        match self.rng.below(4) {
            0 => wire::bytes_field(&mut body, field::NAME, &text),
            1 => wire::bytes_field(&mut body, field::TAGS, &text),
            2 => wire::bytes_field(&mut body, field::NOTE, &text),
            _ => {
                let mut entry = Vec::new();
                wire::bytes_field(&mut entry, 1, &text);
                wire::bytes_field(&mut body, field::LABELS, &entry);
            }
        }
        let mut out = Vec::new();
        wire::frame(&mut out, &body);
        out
    }

    fn wire_edge(&mut self) -> Vec<u8> {
        let mut body = if self.rng.chance(50) {
            self.node(2)
        } else {
            Vec::new()
        };
        match self.rng.below(12) {
            // A varint of eleven bytes.
            0 => {
                wire::key(&mut body, field::ID, VARINT);
                body.extend_from_slice(&[0xff; 10]);
                body.push(0x01);
            }
            // A ten-byte varint whose last byte carries bits past the 64th.
            1 => {
                wire::key(&mut body, field::STAMP, VARINT);
                body.extend_from_slice(&[0xff; 9]);
                body.push(0x7f);
            }
            // Field number 0.
            2 => body.extend_from_slice(&[0x00, 0x01]),
            // Wire types 6 and 7.
            3 => wire::key(
                &mut body,
                self.rng.range(1, 20) as u32,
                self.rng.range(6, 7) as u32,
            ),
            // An end-group key without a start.
            4 => wire::key(&mut body, 77, EGROUP),
            // A group that is never closed, or closed with the wrong number.
            5 => {
                wire::key(&mut body, 77, SGROUP);
                wire::varint_field(&mut body, 1, 5);
                if self.rng.chance(50) {
                    wire::key(&mut body, 78, EGROUP);
                }
            }
            // A length past the end of the message.
            6 => {
                wire::key(&mut body, field::NAME, LEN);
                wire::varint(&mut body, self.rng.range(1, 1 << 20) as u64);
                body.extend_from_slice(b"abc");
            }
            // A length of 2^63 and of 2^64 - 1.
            7 => {
                wire::key(&mut body, field::BLOB, LEN);
                wire::varint(&mut body, *self.rng.pick(&[1u64 << 63, u64::MAX]));
            }
            // Packed fixed32 whose length is not a multiple of four.
            8 => {
                wire::key(&mut body, field::WORDS, LEN);
                let len = 4 * self.rng.below(4) + self.rng.range(1, 3);
                wire::varint(&mut body, len as u64);
                self.rng.fill(&mut body, len);
            }
            // A packed varint list that ends inside a varint.
            9 => {
                wire::bytes_field(&mut body, field::SAMPLES, &[0x02, 0x80]);
            }
            // A sub-message that is longer than its parent.
            10 => {
                let mut inner = Vec::new();
                wire::key(&mut inner, field::NEXT, LEN);
                wire::varint(&mut inner, 50);
                inner.extend_from_slice(&[0x08, 0x01]);
                wire::bytes_field(&mut body, field::CHILDREN, &inner);
            }
            // A field number past 2^29 - 1.
            _ => wire::varint_field(&mut body, 1 << 29, 1),
        }
        let mut out = Vec::new();
        wire::frame(&mut out, &body);
        out
    }

    fn max_size(&mut self, max_len: usize) -> Vec<u8> {
        let mut out = Vec::new();
        match self.rng.below(5) {
            // One frame: a message whose blob fills the datagram.
            0 => {
                let mut head = Vec::new();
                wire::varint_field(&mut head, field::ID, self.id() as i64 as u64);
                // Frame header, blob key (1 byte), blob length (3 bytes below 2^21).
                let blob_len = max_len - 4 - head.len() - 1 - 3;
                let mut body = head;
                wire::key(&mut body, field::BLOB, LEN);
                wire::varint(&mut body, blob_len as u64);
                self.rng.fill(&mut body, blob_len);
                wire::frame(&mut out, &body);
            }
            // Many small valid frames.
            1 => {
                while out.len() < max_len {
                    let body = self.node(1);
                    wire::frame(&mut out, &body);
                }
            }
            // The smallest answered message over and over: its answer (`id + 1` and the
            // tree size) is two bytes longer, so the answers outgrow the UDP reply buffer.
            2 => {
                let mut body = Vec::new();
                wire::varint_field(&mut body, field::ID, 1);
                while out.len() + 4 + body.len() <= max_len {
                    wire::frame(&mut out, &body);
                }
            }
            // A prefix announcing the largest frame the modules accept, and less data.
            3 => {
                out.extend_from_slice(&65_535u32.to_be_bytes());
                self.rng.fill(&mut out, max_len - 4);
            }
            _ => self.rng.fill(&mut out, max_len),
        }
        out.truncate(max_len);
        out
    }
}
