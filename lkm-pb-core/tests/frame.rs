// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Tests of the length-prefixed framing.

mod common;

use common::Foo;
use lkm_pb_core::error::{EncodeError, FrameError};
use lkm_pb_core::frame::frame_len;
use lkm_pb_core::{encode_frame, Arena, Frames, Message, FRAME_HEADER_LEN};

/// Returns `body` with its 4-byte big-endian length prefix.
fn frame(body: &[u8]) -> Vec<u8> {
    let mut out = (body.len() as u32).to_be_bytes().to_vec();
    out.extend_from_slice(body);
    out
}

#[test]
fn no_frames() {
    assert_eq!(Frames::new(&[]).next(), None);
    assert_eq!(Frames::new(&[]).remaining(), &[] as &[u8]);
}

#[test]
fn one_and_several_frames() {
    let buf = frame(b"hello");
    let mut frames = Frames::new(&buf);
    assert_eq!(frames.next(), Some(Ok(&b"hello"[..])));
    assert_eq!(frames.next(), None);
    assert_eq!(frames.next(), None);

    let buf = [frame(b"a"), frame(b""), frame(&[0xff; 300]), frame(b"z")].concat();
    let got: Vec<_> = Frames::new(&buf).collect();
    assert_eq!(
        got,
        [
            Ok(&b"a"[..]),
            Ok(&b""[..]),
            Ok(&[0xff; 300][..]),
            Ok(&b"z"[..])
        ]
    );
    // Frames borrow the buffer.
    let mut frames = Frames::new(&buf);
    let first = frames.next().unwrap().unwrap();
    assert_eq!(first.as_ptr(), buf[4..].as_ptr());
    assert_eq!(frames.remaining(), &buf[5..]);
}

#[test]
fn empty_frames_only() {
    let buf = [0u8; 12];
    let got: Vec<_> = Frames::new(&buf).collect();
    assert_eq!(got, [Ok(&[][..]); 3]);
    // An empty frame is within any limit, even zero.
    let got: Vec<_> = Frames::with_limit(&buf, 0).collect();
    assert_eq!(got.len(), 3);
}

#[test]
fn truncated_header() {
    for len in 1..FRAME_HEADER_LEN {
        let buf = vec![0u8; len];
        let mut frames = Frames::new(&buf);
        assert_eq!(
            frames.next(),
            Some(Err(FrameError::TruncatedHeader)),
            "{len}"
        );
        assert_eq!(frames.next(), None, "iteration stops after an error");
        // After a good frame.
        let buf = [frame(b"ok"), vec![0u8; len]].concat();
        let got: Vec<_> = Frames::new(&buf).collect();
        assert_eq!(got, [Ok(&b"ok"[..]), Err(FrameError::TruncatedHeader)]);
    }
}

#[test]
fn truncated_body() {
    let full = frame(b"abcdef");
    for cut in FRAME_HEADER_LEN..full.len() {
        let mut frames = Frames::new(&full[..cut]);
        assert_eq!(
            frames.next(),
            Some(Err(FrameError::TruncatedBody {
                announced: 6,
                available: cut - FRAME_HEADER_LEN
            }))
        );
        assert_eq!(frames.next(), None);
    }
    let huge = [0xff, 0xff, 0xff, 0xff, 1, 2, 3];
    assert_eq!(
        Frames::new(&huge).collect::<Vec<_>>(),
        [Err(FrameError::TruncatedBody {
            announced: u32::MAX,
            available: 3
        })]
    );
}

#[test]
fn limit() {
    let buf = [frame(&[1; 10]), frame(&[2; 11]), frame(&[3; 1])].concat();
    let got: Vec<_> = Frames::with_limit(&buf, 10).collect();
    assert_eq!(
        got,
        [
            Ok(&[1u8; 10][..]),
            Err(FrameError::TooLarge {
                announced: 11,
                limit: 10
            })
        ]
    );
    // The limit is checked before the body, so an oversize prefix alone is `TooLarge`.
    let huge = [0x00, 0x10, 0x00, 0x00];
    assert_eq!(
        Frames::with_limit(&huge, 4096).next(),
        Some(Err(FrameError::TooLarge {
            announced: 0x10_0000,
            limit: 4096
        }))
    );
    assert_eq!(
        Frames::with_limit(&frame(&[0; 4096]), 4096).count(),
        1,
        "a frame of exactly the limit is fine"
    );
}

#[test]
fn frame_errors() {
    let errors = [
        FrameError::TruncatedHeader,
        FrameError::TruncatedBody {
            announced: 5,
            available: 2,
        },
        FrameError::TooLarge {
            announced: 9,
            limit: 8,
        },
    ];
    let texts: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
    assert_eq!(texts[0], "truncated frame header");
    assert_eq!(texts[1], "frame announces 5 bytes, 2 remain");
    assert_eq!(texts[2], "frame of 9 bytes exceeds the limit of 8");
    assert_eq!(errors.map(FrameError::errno), [74, 74, 90]);
}

#[test]
fn encode_frames() {
    let foo = Foo {
        bar: 150,
        ..Foo::default()
    };
    assert_eq!(foo.encoded_len(), 3);
    assert_eq!(frame_len(&foo), 7);
    let mut buf = [0u8; 16];
    assert_eq!(encode_frame(&foo, &mut buf), Ok(7));
    assert_eq!(&buf[..7], [0, 0, 0, 3, 0x08, 0x96, 0x01]);

    // An empty message is a frame of four zero bytes.
    let mut buf = [0xffu8; 4];
    assert_eq!(encode_frame(&Foo::default(), &mut buf), Ok(4));
    assert_eq!(buf, [0; 4]);
    assert_eq!(frame_len(&Foo::default()), 4);

    // Too small, in the header and in the body.
    for len in 0..7 {
        let mut buf = vec![0u8; len];
        assert_eq!(
            encode_frame(&foo, &mut buf),
            Err(EncodeError::BufferTooSmall {
                needed: 7,
                available: len
            }),
            "{len}"
        );
    }
}

#[test]
fn frames_round_trip_messages() {
    let names = ["", "a", "hello", "\u{2603}"];
    let mut buf = [0u8; 256];
    let mut at = 0;
    for (i, name) in names.iter().enumerate() {
        let foo = Foo {
            bar: i as i32 - 1,
            name,
            ..Foo::default()
        };
        at += encode_frame(&foo, &mut buf[at..]).unwrap();
    }
    let mut arena_buf = [0u8; 64];
    let mut arena = Arena::new(&mut arena_buf);
    let decoded: Vec<Foo<'_>> = Frames::new(&buf[..at])
        .map(|f| Foo::decode(f.unwrap(), &mut arena).unwrap())
        .collect();
    assert_eq!(decoded.len(), 4);
    for (i, foo) in decoded.iter().enumerate() {
        assert_eq!(foo.bar, i as i32 - 1);
        assert_eq!(foo.name, names[i]);
    }
}

#[test]
fn message_encode_checks_the_buffer() {
    let foo = Foo {
        name: "abc",
        ..Foo::default()
    };
    let mut buf = [0u8; 4];
    assert_eq!(
        foo.encode(&mut buf),
        Err(EncodeError::BufferTooSmall {
            needed: 5,
            available: 4
        })
    );
    let mut buf = [0u8; 5];
    assert_eq!(foo.encode(&mut buf), Ok(5));
    assert_eq!(buf, [0x12, 3, b'a', b'b', b'c']);
}
