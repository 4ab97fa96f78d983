// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Sends `hello_world.Foo` messages as length-prefixed frames over UDP and prints the
//! replies: `hello-world [ADDR:PORT] BAR...` (default address 127.0.0.1:60001).

use std::process::ExitCode;
use std::time::Duration;

use example_support::{frame, parse, send_to, udp_socket};
use hello_world::hello_world::Foo;
use lkm_pb_core::{Arena, Frames, Message};

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
    let socket = udp_socket(target)?;
    socket
        .set_read_timeout(Some(Duration::from_secs(2)))
        .map_err(|e| format!("timeout: {e}"))?;
    for value in values {
        let bar: i32 = parse(value)?;
        send_to(&socket, target, &frame(&Foo { bar })?)?;
        println!("sent bar={bar}");
        let mut reply = [0u8; 2048];
        match socket.recv(&mut reply) {
            Ok(n) => {
                for body in Frames::new(&reply[..n]) {
                    let body = body.map_err(|e| format!("bad reply frame: {e}"))?;
                    let reply = Foo::decode(body, &mut Arena::new(&mut []))
                        .map_err(|e| format!("bad reply: {e}"))?;
                    println!("reply bar={}", reply.bar);
                }
            }
            Err(e) => println!("no reply: {e}"),
        }
    }
    Ok(())
}
