// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Arbitrary bytes decoded as any corpus message, with an arena of 0 to 65535 bytes and a
//! depth limit of 0 to 63 or the default: every outcome but a panic is fine.

#![no_main]

use libfuzzer_sys::fuzz_target;
use lkm_pb_fuzz::{decode_any, Input};

fuzz_target!(|data: &[u8]| {
    if let Some(input) = Input::parse(data) {
        if let Err(text) = decode_any(&input) {
            panic!("{}: {text}", lkm_pb_fuzz::message(input.message).0.name);
        }
    }
});
