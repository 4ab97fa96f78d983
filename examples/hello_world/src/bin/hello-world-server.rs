// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Receives `hello_world.Foo` frames over TCP and UDP on one port and prints each message
//! that arrives: `hello-world-server [ADDR:PORT]` (default `[::]:60001`, IPv4 and IPv6).
//!
//! The other end of `hello-world-tcp` for the netfilter module: a message the module drops
//! never shows up here.

use std::io::Read;
use std::net::{TcpListener, TcpStream, UdpSocket};
use std::process::ExitCode;
use std::thread;
use std::time::Duration;

use hello_world::hello_world::Foo;
use lkm_pb_core::{Arena, Frames, Message};

/// How long a connection may stay silent before the server gives up on it.
const READ_TIMEOUT: Duration = Duration::from_secs(5);

fn main() -> ExitCode {
    let address = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "[::]:60001".to_owned());
    let (listener, socket) = match TcpListener::bind(&address)
        .and_then(|listener| Ok((listener, UdpSocket::bind(&address)?)))
    {
        Ok(pair) => pair,
        Err(e) => {
            eprintln!("hello-world-server: bind {address}: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!("listening on {address} (tcp and udp)");
    thread::spawn(move || receive_datagrams(&socket));
    for stream in listener.incoming() {
        match stream {
            Ok(stream) => {
                thread::spawn(move || receive_stream(stream));
            }
            Err(e) => eprintln!("hello-world-server: accept: {e}"),
        }
    }
    ExitCode::SUCCESS
}

/// Prints the messages of every datagram.
fn receive_datagrams(socket: &UdpSocket) {
    let mut buf = vec![0u8; 65536];
    loop {
        match socket.recv(&mut buf) {
            Ok(n) => print_frames("udp", buf.get(..n).unwrap_or_default()),
            Err(e) => eprintln!("hello-world-server: recv: {e}"),
        }
    }
}

/// Reads one connection to its end and prints its messages.
fn receive_stream(mut stream: TcpStream) {
    let mut bytes = Vec::new();
    if let Err(e) = stream
        .set_read_timeout(Some(READ_TIMEOUT))
        .and_then(|()| stream.read_to_end(&mut bytes))
    {
        eprintln!("hello-world-server: read: {e}");
    }
    print_frames("tcp", &bytes);
}

/// Prints one line per message in `bytes`, and one per bad frame.
fn print_frames(transport: &str, bytes: &[u8]) {
    for frame in Frames::new(bytes) {
        let decoded = frame.map_err(|e| e.to_string()).and_then(|body| {
            let mut memory = [0u8; 0];
            Foo::decode(body, &mut Arena::new(&mut memory)).map_err(|e| e.to_string())
        });
        match decoded {
            Ok(message) => println!("arrived {transport} bar={}", message.bar),
            Err(e) => println!("arrived {transport} bad frame: {e}"),
        }
    }
}
