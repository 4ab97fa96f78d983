// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Sends `hello_world.Foo` messages as length-prefixed frames over TCP (or UDP), for the
//! netfilter module: `hello-world-tcp [--udp] [--together] [ADDR:PORT] BAR...` (default
//! address 127.0.0.1:60001).
//!
//! Each message goes in a connection (or datagram) of its own, so that a message the module
//! drops does not hold up the others; `--together` sends all of them in one write instead.

use std::process::ExitCode;

use example_support::{frame, parse};
use hello_world::hello_world::Foo;

fn main() -> ExitCode {
    example_support::client("hello-world-tcp", |values| {
        values
            .iter()
            .map(|value| frame(&Foo { bar: parse(value)? }))
            .collect()
    })
}
