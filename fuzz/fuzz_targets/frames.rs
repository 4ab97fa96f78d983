// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The frame iterator over arbitrary bytes with a length limit from the header, and a
//! decode of each frame with the header's arena size; every decoded frame is written as a
//! frame again and must read back to the same value.

#![no_main]

use libfuzzer_sys::fuzz_target;
use lkm_pb_fuzz::{message, Input};

fuzz_target!(|data: &[u8]| {
    if let Some(input) = Input::parse(data) {
        let (_, typed) = message(input.message);
        if let Err(text) = (typed.frames)(input.payload, input.frame_limit(), input.arena) {
            panic!("{}: {text}", typed.name);
        }
    }
});
