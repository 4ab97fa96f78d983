// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Decode, encode, decode again: whatever lkm-pb accepts must come back as an equal value
//! with a byte-identical encoding. The header's arena and knob bytes are not used.

#![no_main]

use libfuzzer_sys::fuzz_target;
use lkm_pb_fuzz::{message, Input};

fuzz_target!(|data: &[u8]| {
    if let Some(input) = Input::parse(data) {
        let (_, typed) = message(input.message);
        if let Err(text) = (typed.roundtrip)(input.payload) {
            panic!("{}: {text}", typed.name);
        }
    }
});
