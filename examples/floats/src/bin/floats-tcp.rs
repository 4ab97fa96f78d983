// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Sends `floats.Reading` messages (sensor 1, 2, ... in order) as length-prefixed frames over TCP (or UDP), for the
//! netfilter module: `floats-tcp [--udp] [--together] [ADDR:PORT] VALUE...` (default
//! address 127.0.0.1:60001).
//!
//! Each message goes in a connection (or datagram) of its own, so that a message the module
//! drops does not hold up the others; `--together` sends all of them in one write instead.

use std::io::Write;
use std::net::{TcpStream, ToSocketAddrs, UdpSocket};
use std::process::ExitCode;
use std::time::Duration;

use floats::floats::Reading;
use lkm_pb_core::{encode_frame, F32};

fn main() -> ExitCode {
    let mut udp = false;
    let mut together = false;
    let mut target = "127.0.0.1:60001".to_owned();
    let mut values = Vec::new();
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--udp" => udp = true,
            "--together" => together = true,
            _ if arg.contains(':') => target = arg,
            _ => values.push(arg),
        }
    }
    match run(&target, &values, udp, together) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("floats-tcp: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(target: &str, values: &[String], udp: bool, together: bool) -> Result<(), String> {
    let mut frames = Vec::new();
    for (sensor, value) in (1u32..).zip(values) {
        let parsed: f32 = value.parse().map_err(|e| format!("`{value}`: {e}"))?;
        let reading = Reading {
            sensor,
            value: F32::from_native(parsed),
        };
        let mut frame = [0u8; 32];
        let len = encode_frame(&reading, &mut frame).map_err(|e| e.to_string())?;
        frames.push(frame.get(..len).unwrap_or_default().to_vec());
    }
    let batches: Vec<Vec<u8>> = if together {
        vec![frames.concat()]
    } else {
        frames
    };
    for batch in &batches {
        if udp {
            send_datagram(target, batch)?;
        } else {
            send_stream(target, batch)?;
        }
    }
    println!(
        "sent {} ({})",
        values.join(" "),
        if udp { "udp" } else { "tcp" }
    );
    Ok(())
}

/// Sends `bytes` on a connection of their own and closes it without waiting for the peer.
fn send_stream(target: &str, bytes: &[u8]) -> Result<(), String> {
    let address = target
        .to_socket_addrs()
        .map_err(|e| format!("{target}: {e}"))?
        .next()
        .ok_or_else(|| format!("{target}: no address"))?;
    let mut stream = TcpStream::connect_timeout(&address, Duration::from_secs(2))
        .map_err(|e| format!("connect to {target}: {e}"))?;
    stream
        .set_nodelay(true)
        .map_err(|e| format!("nodelay: {e}"))?;
    stream
        .write_all(bytes)
        .map_err(|e| format!("send to {target}: {e}"))
}

/// Sends `bytes` as one datagram.
fn send_datagram(target: &str, bytes: &[u8]) -> Result<(), String> {
    let bind = if target.starts_with('[') {
        "[::]:0"
    } else {
        "0.0.0.0:0"
    };
    let socket = UdpSocket::bind(bind).map_err(|e| format!("bind: {e}"))?;
    socket
        .send_to(bytes, target)
        .map(drop)
        .map_err(|e| format!("send to {target}: {e}"))
}
