// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Receives `floats.Reading` frames over TCP and UDP on one port and prints each message
//! that arrives: `floats-server [ADDR:PORT]` (default `[::]:60001`, IPv4 and IPv6).
//!
//! The other end of `floats-tcp` for the netfilter module: a message the module drops never
//! shows up here.

use std::process::ExitCode;

use floats::floats::Reading;
use lkm_pb_core::{Arena, Message};

fn main() -> ExitCode {
    example_support::server("floats-server", |body| {
        let reading = Reading::decode(body, &mut Arena::new(&mut [])).map_err(|e| e.to_string())?;
        Ok(format!(
            "sensor={} value={}",
            reading.sensor,
            reading.value.to_native()
        ))
    })
}
