// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The checks behind the fuzz targets, over every message of `tests/corpus`.
//!
//! The message code is the differential crate's: `lkm_pb_differential::MESSAGES` gives the
//! untyped lkm and prost sides of each message, and the table [`TYPED`] built here gives the
//! checks that need the lkm type itself (value equality, frame encoding). Both tables come
//! from the differential crate's `corpus_messages!`, so they list the same messages in the
//! same order.
//!
//! Every target reads the same [`Input`]: a four-byte header that picks the message, the
//! arena size and one target-specific knob, then the bytes under test. One seed corpus,
//! `seeds/messages`, serves the decode, round-trip and differential targets.

use std::fmt::Debug;

use lkm_pb_core::frame::frame_len;
use lkm_pb_core::{encode_frame, DecodeError, DecodeOptions, EncodeError, FrameError, Frames};
use lkm_pb_core::{Message, FRAME_HEADER_LEN};
use lkm_pb_differential::check::documented_rejection;
use lkm_pb_differential::{Entry, Outcome, MESSAGES};

/// Bytes of the header in front of every input.
pub const HEADER_LEN: usize = 4;

/// prost's nesting limit (`prost::encoding::RECURSION_LIMIT`).
pub const PROST_DEPTH_LIMIT: u32 = 100;

/// One fuzz input, split into its header fields and the bytes under test.
#[derive(Clone, Copy, Debug)]
pub struct Input<'a> {
    /// Index of the message, already reduced modulo the number of messages.
    pub message: usize,
    /// Arena size in bytes, 0 to 65535 (too small ones included on purpose).
    pub arena: usize,
    /// Byte 3 of the header; each target says what it means.
    pub knob: u8,
    /// The bytes under test.
    pub payload: &'a [u8],
}

impl<'a> Input<'a> {
    /// Splits `data`; `None` when it is shorter than the header.
    pub fn parse(data: &'a [u8]) -> Option<Self> {
        let (header, payload) = data.split_first_chunk::<HEADER_LEN>()?;
        Some(Self {
            message: usize::from(header[0]) % MESSAGES.len(),
            arena: usize::from(u16::from_le_bytes([header[1], header[2]])),
            knob: header[3],
            payload,
        })
    }

    /// The depth limit the knob selects: 0 to 63, or the default for 64 and above.
    pub fn depth_limit(&self) -> u32 {
        match self.knob {
            k @ 0..=63 => u32::from(k),
            _ => lkm_pb_core::decode::DEFAULT_DEPTH_LIMIT,
        }
    }

    /// The frame length limit the knob selects: 255 means none, else four times the knob.
    pub fn frame_limit(&self) -> u32 {
        match self.knob {
            255 => u32::MAX,
            k => u32::from(k) * 4,
        }
    }
}

/// The checks of one message that need its lkm type.
pub struct Typed {
    /// The full protobuf name, without a leading dot.
    pub name: &'static str,
    /// Decode, encode, decode again: equal values and identical encodings.
    pub roundtrip: fn(&[u8]) -> Result<(), String>,
    /// Iterates over the frames of a buffer with a length limit, decodes each frame with an
    /// arena of the given size and writes every decoded message as a frame again.
    pub frames: fn(&[u8], u32, usize) -> Result<(), String>,
}

/// Builds the [`Typed`] entry of message `$name` from the path of its lkm type (the prost
/// type is not needed here).
#[macro_export]
macro_rules! typed {
    ($name:expr, $lkm:path, $prost:path) => {{
        fn roundtrip(bytes: &[u8]) -> Result<(), String> {
            $crate::grow(|buf1| {
                let mut arena1 = ::lkm_pb_core::Arena::new(buf1);
                let v1 = match <$lkm as ::lkm_pb_core::Message<'_>>::decode(bytes, &mut arena1) {
                    Err(::lkm_pb_core::DecodeError::ArenaExhausted) => return None,
                    Err(_) => return Some(Ok(())),
                    Ok(v) => v,
                };
                let e1 = match $crate::encode(&v1) {
                    Ok(e) => e,
                    Err(text) => return Some(Err(text)),
                };
                Some($crate::grow(|buf2| {
                    let mut arena2 = ::lkm_pb_core::Arena::new(buf2);
                    match <$lkm as ::lkm_pb_core::Message<'_>>::decode(&e1, &mut arena2) {
                        Err(::lkm_pb_core::DecodeError::ArenaExhausted) => None,
                        Err(e) => Some(Err(format!("re-decoding {} failed: {e:?}", $crate::hex(&e1)))),
                        Ok(v2) => Some($crate::same(&v1, &v2, &e1)),
                    }
                }))
            })
        }
        fn frames(buf: &[u8], limit: u32, arena_size: usize) -> Result<(), String> {
            $crate::check_frames(buf, limit, |body| {
                let mut arena_buf = vec![0u8; arena_size];
                let mut arena = ::lkm_pb_core::Arena::new(&mut arena_buf);
                match <$lkm as ::lkm_pb_core::Message<'_>>::decode(body, &mut arena) {
                    Err(_) => Ok(()),
                    Ok(v) => {
                        let framed = $crate::frame(&v)?;
                        let inner = $crate::single_frame(&framed)?;
                        $crate::grow(|buf2| {
                            let mut arena2 = ::lkm_pb_core::Arena::new(buf2);
                            match <$lkm as ::lkm_pb_core::Message<'_>>::decode(inner, &mut arena2) {
                                Err(::lkm_pb_core::DecodeError::ArenaExhausted) => None,
                                Err(e) => Some(Err(format!("re-decoding a frame failed: {e:?}"))),
                                Ok(v2) => Some($crate::same(&v, &v2, inner)),
                            }
                        })
                    }
                }
            })
        }
        $crate::Typed {
            name: $name,
            roundtrip,
            frames,
        }
    }};
}

/// Every message of the corpus with its typed checks, in the order of `MESSAGES`.
pub static TYPED: &[Typed] = &lkm_pb_differential::corpus_messages!(typed);

/// Returns both table entries of message `index` (already reduced by [`Input::parse`]).
pub fn message(index: usize) -> (&'static Entry, &'static Typed) {
    (&MESSAGES[index], &TYPED[index])
}

/// Runs `attempt` with arenas of growing size until it no longer returns `None` (its way of
/// saying the arena ran out), from 64 KiB to 256 MiB.
pub fn grow<R>(mut attempt: impl FnMut(&mut [u8]) -> Option<R>) -> R {
    let mut size = 64 << 10;
    loop {
        let mut buf = vec![0u8; size];
        if let Some(result) = attempt(&mut buf) {
            return result;
        }
        assert!(size < 256 << 20, "a 256 MiB arena ran out");
        size *= 4;
    }
}

/// Formats bytes as hex for failure messages.
pub fn hex(bytes: &[u8]) -> String {
    lkm_pb_differential::check::hex(bytes)
}

/// Encodes `message` into a buffer of exactly `encoded_len` bytes, checking that the length
/// is exact and that one byte less is refused.
pub fn encode<'a, M: Message<'a> + Debug>(message: &M) -> Result<Vec<u8>, String> {
    let len = message.encoded_len();
    let mut out = vec![0u8; len];
    match message.encode(&mut out) {
        Ok(n) if n == len => {}
        other => return Err(format!("encode into encoded_len {len} bytes: {other:?}")),
    }
    if let Some(short) = len.checked_sub(1) {
        let mut small = vec![0u8; short];
        let result = message.encode(&mut small);
        if result
            != Err(EncodeError::BufferTooSmall {
                needed: len,
                available: short,
            })
        {
            return Err(format!("encode into {short} bytes: {result:?}"));
        }
    }
    Ok(out)
}

/// Checks that a decoded value and its re-decoded encoding are equal and encode the same.
pub fn same<'a, M: Message<'a> + PartialEq + Debug>(
    first: &M,
    second: &M,
    first_encoding: &[u8],
) -> Result<(), String> {
    if first != second {
        return Err(format!(
            "values differ after a round trip\n  first:  {first:?}\n  second: {second:?}\n  \
             encoding: {}",
            hex(first_encoding)
        ));
    }
    let again = encode(second)?;
    if again != first_encoding {
        return Err(format!(
            "re-encoding differs\n  first:  {}\n  second: {}",
            hex(first_encoding),
            hex(&again)
        ));
    }
    Ok(())
}

/// Writes `message` as one frame into a buffer of exactly `frame_len` bytes.
pub fn frame<'a, M: Message<'a> + Debug>(message: &M) -> Result<Vec<u8>, String> {
    let len = frame_len(message);
    let mut out = vec![0u8; len];
    match encode_frame(message, &mut out) {
        Ok(n) if n == len => Ok(out),
        other => Err(format!("encode_frame into frame_len {len} bytes: {other:?}")),
    }
}

/// Returns the body of the one frame `framed` must hold.
pub fn single_frame(framed: &[u8]) -> Result<&[u8], String> {
    let mut frames = Frames::new(framed);
    match (frames.next(), frames.next()) {
        (Some(Ok(body)), None) if body.len() + FRAME_HEADER_LEN == framed.len() => Ok(body),
        other => Err(format!("a written frame reads back as {other:?}")),
    }
}

/// Iterates over the frames of `buf` with `limit`, checking what the iterator reports
/// against the bytes, and runs `each` on every frame body.
pub fn check_frames(
    buf: &[u8],
    limit: u32,
    mut each: impl FnMut(&[u8]) -> Result<(), String>,
) -> Result<(), String> {
    let mut frames = Frames::with_limit(buf, limit);
    let mut offset = 0usize;
    loop {
        let rest = &buf[offset..];
        if frames.remaining() != rest {
            return Err(format!("remaining() is off at offset {offset}"));
        }
        let Some(item) = frames.next() else {
            if !rest.is_empty() {
                return Err(format!("iterator ended with {} bytes left", rest.len()));
            }
            return Ok(());
        };
        let expected = expected_frame(rest, limit);
        match (item, expected) {
            (Ok(body), Ok(len)) => {
                let start = offset + FRAME_HEADER_LEN;
                if body.as_ptr() != buf[start..].as_ptr() || body.len() != len {
                    return Err(format!("frame at offset {offset} has the wrong bounds"));
                }
                offset = start + len;
                each(body)?;
            }
            (Err(got), Err(want)) if got == want => {
                if frames.next().is_some() {
                    return Err("the iterator went on after an error".to_owned());
                }
                return Ok(());
            }
            (got, want) => {
                return Err(format!("frame at offset {offset}: got {got:?}, want {want:?}"));
            }
        }
    }
}

/// What the frame at the start of the non-empty `rest` must be: its body length or the error.
fn expected_frame(rest: &[u8], limit: u32) -> Result<usize, FrameError> {
    if rest.len() < FRAME_HEADER_LEN {
        return Err(FrameError::TruncatedHeader);
    }
    let announced = u32::from_be_bytes([rest[0], rest[1], rest[2], rest[3]]);
    if announced > limit {
        return Err(FrameError::TooLarge { announced, limit });
    }
    let available = rest.len() - FRAME_HEADER_LEN;
    if announced as usize > available {
        return Err(FrameError::TruncatedBody {
            announced,
            available,
        });
    }
    Ok(announced as usize)
}

/// Decodes `input` with its arena size and depth limit; any result but a panic is fine, and
/// what a successful decode reports must be consistent.
pub fn decode_any(input: &Input<'_>) -> Result<(), String> {
    thread_local! {
        static ARENA: std::cell::RefCell<Vec<u8>> = std::cell::RefCell::new(vec![0; 1 << 16]);
    }
    let (entry, _) = message(input.message);
    let options = DecodeOptions::new().with_depth_limit(input.depth_limit());
    ARENA.with_borrow_mut(|arena| {
        // Stale bytes from the previous run stay in the buffer: the arena must not care.
        let arena = &mut arena[..input.arena];
        match (entry.lkm)(input.payload, arena, options) {
            Ok(r) if r.arena_used > input.arena => Err(format!(
                "arena_used {} above the arena size {}",
                r.arena_used, input.arena
            )),
            Ok(r) if r.encoded_len != r.encoded.len() || !r.short_buffer_rejected => {
                Err(format!("inconsistent encoding: {r:?}"))
            }
            Ok(_) => Ok(()),
            Err(e) if e.errno() <= 0 => Err(format!("{e:?} has errno {}", e.errno())),
            Err(_) => Ok(()),
        }
    })
}

/// The differential check of `payload` as message `index`; see
/// `lkm_pb_differential::check` for the accepted disagreements. One more is handled here:
/// prost nests up to [`PROST_DEPTH_LIMIT`] levels, lkm up to 32 by default, so an input that
/// lkm refuses as too deep is compared again with lkm at prost's limit.
pub fn differential(index: usize, payload: &[u8]) -> Result<(), String> {
    let (entry, _) = message(index);
    let text = match (entry.check)(payload) {
        Outcome::Failed(text) => text,
        _ => return Ok(()),
    };
    let deep = DecodeOptions::new().with_depth_limit(PROST_DEPTH_LIMIT);
    let too_deep = grow(|buf| {
        match (entry.lkm)(payload, buf, DecodeOptions::new()) {
            Err(DecodeError::ArenaExhausted) => None,
            other => Some(other.err() == Some(DecodeError::DepthLimitExceeded)),
        }
    });
    if !too_deep {
        return Err(format!("{}: {text}", entry.name));
    }
    let lkm = grow(|buf| match (entry.lkm)(payload, buf, deep) {
        Err(DecodeError::ArenaExhausted) => None,
        other => Some(other),
    });
    match ((entry.prost)(payload), lkm) {
        (Ok(canonical), Ok(l)) => match (entry.prost)(&l.encoded) {
            Ok(again) if again == canonical => Ok(()),
            other => Err(format!(
                "{} at depth {PROST_DEPTH_LIMIT}: prost reads lkm's encoding {} as {other:?}, \
                 not {}",
                entry.name,
                hex(&l.encoded),
                hex(&canonical)
            )),
        },
        (Err(_), Err(_)) => Ok(()),
        (Err(pe), Ok(_)) if documented_rejection(&pe) => Ok(()),
        (p, l) => Err(format!(
            "{} at depth {PROST_DEPTH_LIMIT}: prost {p:?}, lkm {l:?}\n  input: {}",
            entry.name,
            hex(payload)
        )),
    }
}
