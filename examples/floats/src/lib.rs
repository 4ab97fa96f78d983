// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The `floats` messages, generated at build time by `lkm_codegen::compile` from
//! `floats.proto`: the same code the kernel module uses.

/// The `floats` protobuf package.
pub mod floats {
    include!(concat!(env!("OUT_DIR"), "/floats.rs"));
}

#[cfg(test)]
mod tests {
    use lkm_pb_core::{encode_frame, Arena, Frames, Message, F32};

    use super::floats::Reading;

    #[test]
    fn the_limit_is_10_1() {
        let limit = F32::from_scaled_or_zero(101, 1);
        assert_eq!(limit, F32::from_native(10.1));
        assert!(F32::from_native(10.100001).greater_than(limit));
        assert!(!F32::from_native(f32::NAN).greater_than(limit));
    }

    #[test]
    fn frame_round_trip() {
        let reading = Reading {
            sensor: 3,
            value: F32::from_native(-5.0),
        };
        let mut out = [0u8; 16];
        let written = encode_frame(&reading, &mut out).unwrap();
        let body = Frames::new(&out[..written]).next().unwrap().unwrap();
        let mut memory = [0u8; 0];
        let decoded = Reading::decode(body, &mut Arena::new(&mut memory)).unwrap();
        assert_eq!(decoded, reading);
    }
}
