// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Sends `floats.Reading` messages (sensor 1, 2, ... in order) as length-prefixed frames
//! over TCP (or UDP), for the netfilter module:
//! `floats-tcp [--udp] [--together] [ADDR:PORT] VALUE...` (default address 127.0.0.1:60001).
//!
//! Each message goes in a connection (or datagram) of its own, so that a message the module
//! drops does not hold up the others; `--together` sends all of them in one write instead.

use std::process::ExitCode;

use example_support::{frame, parse};
use floats::floats::Reading;
use lkm_pb_core::F32;

fn main() -> ExitCode {
    example_support::client("floats-tcp", |values| {
        (1u32..)
            .zip(values)
            .map(|(sensor, value)| {
                frame(&Reading {
                    sensor,
                    value: F32::from_native(parse(value)?),
                })
            })
            .collect()
    })
}
