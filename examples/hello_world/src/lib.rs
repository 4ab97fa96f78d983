// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The `hello_world` messages, generated at build time by `lkm_codegen::compile` from
//! `hello_world.proto`: the same code the kernel module uses.

/// The `hello_world` protobuf package.
pub mod hello_world {
    include!(concat!(env!("OUT_DIR"), "/hello_world.rs"));
}

#[cfg(test)]
mod tests {
    use lkm_pb_core::{encode_frame, Arena, Frames, Message};

    use super::hello_world::Foo;

    #[test]
    fn frame_round_trip() {
        let mut out = [0u8; 16];
        let written = encode_frame(&Foo { bar: 150 }, &mut out).unwrap();
        assert_eq!(&out[..written], &[0, 0, 0, 3, 0x08, 0x96, 0x01]);

        let mut frames = Frames::new(&out[..written]);
        let body = frames.next().unwrap().unwrap();
        let mut memory = [0u8; 0];
        let foo = Foo::decode(body, &mut Arena::new(&mut memory)).unwrap();
        assert_eq!(foo.bar, 150);
        assert!(frames.next().is_none());
    }
}
