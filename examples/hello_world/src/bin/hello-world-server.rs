// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Receives `hello_world.Foo` frames over TCP and UDP on one port and prints each message
//! that arrives: `hello-world-server [ADDR:PORT]` (default `[::]:60001`, IPv4 and IPv6).
//!
//! The other end of `hello-world-tcp` for the netfilter module: a message the module drops
//! never shows up here.

use std::process::ExitCode;

use hello_world::hello_world::Foo;
use lkm_pb_core::{Arena, Message};

fn main() -> ExitCode {
    example_support::server("hello-world-server", |body| {
        let message = Foo::decode(body, &mut Arena::new(&mut [])).map_err(|e| e.to_string())?;
        Ok(format!("bar={}", message.bar))
    })
}
