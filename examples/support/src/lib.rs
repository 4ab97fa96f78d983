// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The user-space ends the examples' netfilter modules sit between: a client that sends
//! length-prefixed frames over TCP or UDP, and a server that receives them on one port and
//! prints each message that arrives.
//!
//! Each example's binaries are a few lines around [`client`] and [`server`]: they say how
//! to turn the command-line values into messages and how to print a decoded message.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream, ToSocketAddrs, UdpSocket};
use std::process::ExitCode;
use std::thread;
use std::time::Duration;

use lkm_pb_core::{encode_frame, Frames, Message};

/// The address clients send to and servers listen on by default (the modules' default
/// port).
pub const DEFAULT_PORT: u16 = 60001;

/// Decodes one frame body and describes the message for the server's output.
pub type Describe = fn(&[u8]) -> Result<String, String>;

/// How long a connection may stay silent before the server gives up on it.
const READ_TIMEOUT: Duration = Duration::from_secs(5);

/// Runs the client `program`: `program [--udp] [--together] [ADDR:PORT] VALUE...`.
///
/// `frames` turns the values into encoded frames (see [`frame`]). Each frame goes in a TCP
/// connection (or, with `--udp`, a datagram) of its own, so that a message the module drops
/// does not hold up the others; `--together` sends them all in one write instead. The
/// default address is 127.0.0.1 and [`DEFAULT_PORT`]. Prints `sent VALUES (tcp|udp)`.
pub fn client(
    program: &str,
    frames: impl FnOnce(&[String]) -> Result<Vec<Vec<u8>>, String>,
) -> ExitCode {
    let mut udp = false;
    let mut together = false;
    let mut target = format!("127.0.0.1:{DEFAULT_PORT}");
    let mut values = Vec::new();
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--udp" => udp = true,
            "--together" => together = true,
            _ if arg.contains(':') => target = arg,
            _ => values.push(arg),
        }
    }
    let sent = frames(&values).and_then(|frames| {
        let batches = if together {
            vec![frames.concat()]
        } else {
            frames
        };
        batches.iter().try_for_each(|batch| {
            if udp {
                send_datagram(&target, batch)
            } else {
                send_stream(&target, batch)
            }
        })
    });
    match sent {
        Ok(()) => {
            let transport = if udp { "udp" } else { "tcp" };
            println!("sent {} ({transport})", values.join(" "));
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("{program}: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Returns `message` as one length-prefixed frame.
pub fn frame<'a, M: Message<'a>>(message: &M) -> Result<Vec<u8>, String> {
    let mut frame = vec![0u8; lkm_pb_core::frame_len(message)];
    let len = encode_frame(message, &mut frame).map_err(|e| e.to_string())?;
    frame.truncate(len);
    Ok(frame)
}

/// Parses one command-line value, naming it in the error.
pub fn parse<T: std::str::FromStr>(value: &str) -> Result<T, String>
where
    T::Err: std::fmt::Display,
{
    value.parse().map_err(|e| format!("`{value}`: {e}"))
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

/// Returns a UDP socket on an ephemeral port of the address family of `target`
/// (`[IPv6]:PORT` or `IPv4:PORT`).
pub fn udp_socket(target: &str) -> Result<UdpSocket, String> {
    let bind = if target.starts_with('[') {
        "[::]:0"
    } else {
        "0.0.0.0:0"
    };
    UdpSocket::bind(bind).map_err(|e| format!("bind: {e}"))
}

/// Sends `bytes` as one datagram to `target` from `socket`.
pub fn send_to(socket: &UdpSocket, target: &str, bytes: &[u8]) -> Result<(), String> {
    socket
        .send_to(bytes, target)
        .map(drop)
        .map_err(|e| format!("send to {target}: {e}"))
}

/// Sends `bytes` as one datagram.
fn send_datagram(target: &str, bytes: &[u8]) -> Result<(), String> {
    send_to(&udp_socket(target)?, target, bytes)
}

/// Runs the server `program`: `program [ADDR:PORT]` (default `[::]` and [`DEFAULT_PORT`],
/// IPv4 and IPv6) receives frames over TCP and UDP on one port and prints
/// `arrived tcp|udp DESCRIPTION` for each message, where `describe` decodes a frame body
/// and describes the message, or `arrived tcp|udp bad frame: ERROR`.
pub fn server(program: &'static str, describe: Describe) -> ExitCode {
    let address = std::env::args()
        .nth(1)
        .unwrap_or_else(|| format!("[::]:{DEFAULT_PORT}"));
    let (listener, socket) = match TcpListener::bind(&address)
        .and_then(|listener| Ok((listener, UdpSocket::bind(&address)?)))
    {
        Ok(pair) => pair,
        Err(e) => {
            eprintln!("{program}: bind {address}: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!("listening on {address} (tcp and udp)");
    thread::spawn(move || receive_datagrams(program, &socket, describe));
    for stream in listener.incoming() {
        match stream {
            Ok(stream) => {
                thread::spawn(move || receive_stream(program, stream, describe));
            }
            Err(e) => eprintln!("{program}: accept: {e}"),
        }
    }
    ExitCode::SUCCESS
}

/// Prints the messages of every datagram.
fn receive_datagrams(program: &str, socket: &UdpSocket, describe: Describe) {
    let mut buf = vec![0u8; 65536];
    loop {
        match socket.recv(&mut buf) {
            Ok(n) => print_frames("udp", buf.get(..n).unwrap_or_default(), describe),
            Err(e) => eprintln!("{program}: recv: {e}"),
        }
    }
}

/// Reads one connection to its end and prints its messages.
fn receive_stream(program: &str, mut stream: TcpStream, describe: Describe) {
    let mut bytes = Vec::new();
    if let Err(e) = stream
        .set_read_timeout(Some(READ_TIMEOUT))
        .and_then(|()| stream.read_to_end(&mut bytes))
    {
        eprintln!("{program}: read: {e}");
    }
    print_frames("tcp", &bytes, describe);
}

/// Prints one line per message in `bytes`, and one per bad frame.
fn print_frames(transport: &str, bytes: &[u8], describe: Describe) {
    for frame in Frames::new(bytes) {
        match frame.map_err(|e| e.to_string()).and_then(describe) {
            Ok(description) => println!("arrived {transport} {description}"),
            Err(e) => println!("arrived {transport} bad frame: {e}"),
        }
    }
}
