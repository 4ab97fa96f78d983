// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Sends `hello_world.Foo` messages as length-prefixed frames over UDP and prints the
//! replies: `hello-world [ADDR:PORT] BAR...` (default address 127.0.0.1:60001).

use std::net::UdpSocket;
use std::process::ExitCode;
use std::time::Duration;

use hello_world::hello_world::Foo;
use lkm_pb_core::{encode_frame, Arena, Frames, Message};

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let target = match args.first() {
        Some(first) if first.contains(':') => args.remove(0),
        _ => "127.0.0.1:60001".to_owned(),
    };
    match run(&target, &args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("hello-world: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(target: &str, values: &[String]) -> Result<(), String> {
    let bind = if target.starts_with('[') {
        "[::]:0"
    } else {
        "0.0.0.0:0"
    };
    let socket = UdpSocket::bind(bind).map_err(|e| format!("bind: {e}"))?;
    socket
        .set_read_timeout(Some(Duration::from_secs(2)))
        .map_err(|e| format!("timeout: {e}"))?;
    for value in values {
        let bar: i32 = value.parse().map_err(|e| format!("`{value}`: {e}"))?;
        let mut frame = [0u8; 32];
        let len = encode_frame(&Foo { bar }, &mut frame).map_err(|e| e.to_string())?;
        socket
            .send_to(&frame[..len], target)
            .map_err(|e| format!("send to {target}: {e}"))?;
        println!("sent bar={bar}");
        let mut reply = [0u8; 2048];
        match socket.recv(&mut reply) {
            Ok(n) => {
                for body in Frames::new(&reply[..n]) {
                    let body = body.map_err(|e| format!("bad reply frame: {e}"))?;
                    let mut memory = [0u8; 0];
                    let reply = Foo::decode(body, &mut Arena::new(&mut memory))
                        .map_err(|e| format!("bad reply: {e}"))?;
                    println!("reply bar={}", reply.bar);
                }
            }
            Err(e) => println!("no reply: {e}"),
        }
    }
    Ok(())
}
