// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! lkm-pb against prost on arbitrary bytes: each accepts what the other accepts and both
//! read the same value, apart from the documented disagreements. The header's arena and
//! knob bytes are not used.

#![no_main]

use libfuzzer_sys::fuzz_target;
use lkm_pb_fuzz::{differential, Input};

fuzz_target!(|data: &[u8]| {
    if let Some(input) = Input::parse(data) {
        if let Err(text) = differential(input.message, input.payload) {
            panic!("{text}");
        }
    }
});
