// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! `hostile-client`: sends hostile traffic to a module generated from `hostile.proto` and
//! checks, after every datagram, that the module's counters and replies are the model's.
//!
//! ```text
//! hostile-client run udp|netfilter --port P --stats FILE [--packets N] [--seed S]
//! hostile-client flood udp|netfilter --port P [--seconds T] [--seed S]
//! hostile-client probe udp|netfilter --port P
//! hostile-client headers netfilter --port P --stats FILE [--packets N] [--seed S]
//!                [--accept-undecodable 0|1]
//! ```
//!
//! `run` works in lock step: it sends one datagram, waits for the reply the model expects
//! (UDP) or for the packet to arrive when the model accepts it (netfilter), then waits
//! until the stats file shows the model's counters. The first difference stops the run
//! with the datagram, its category and both sets of counters. `flood` sends the same mix
//! without checking anything, for load and unload cycles under traffic; `probe` checks
//! that a freshly loaded module answers (UDP) or filters (netfilter) one valid message.
//! `headers` sends hand-built IPv4 and IPv6 packets through raw sockets (see
//! [`lkm_pb_hostile::raw`]) to the netfilter module, in lock step like `run`: every
//! packet's counters, and the arrival of every UDP datagram the hook must let through,
//! are checked; `--accept-undecodable` must be the module's parameter.

use std::collections::BTreeMap;
use std::io::ErrorKind;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, UdpSocket};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use lkm_pb_hostile::model::{Counters, Model, Verdict};
use lkm_pb_hostile::raw::{Family, HookView, RawTraffic, Shape};
use lkm_pb_hostile::traffic::{Category, Traffic, MAX_DATAGRAM_V4, MAX_DATAGRAM_V6};

/// How long the module may take to answer or to update its counters.
const PATIENCE: Duration = Duration::from_secs(5);

/// Ids of the netfilter probe, outside the range the traffic uses.
const PROBE_ACCEPT_ID: i32 = 2_000_000_000;
const PROBE_DROP_ID: i32 = 2_000_000_001;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Flavour {
    Udp,
    Netfilter,
}

struct Options {
    flavour: Flavour,
    port: u16,
    stats: Option<String>,
    packets: u64,
    seed: u64,
    seconds: u64,
    accept_undecodable: bool,
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (command, options) = match parse(&args) {
        Ok(parsed) => parsed,
        Err(message) => {
            eprintln!("hostile-client: {message}");
            eprintln!(
                "usage: hostile-client run|flood|probe|headers udp|netfilter --port P \
                 [--stats FILE] [--packets N] [--seed S] [--seconds T] \
                 [--accept-undecodable 0|1]"
            );
            return ExitCode::from(2);
        }
    };
    let result = match command.as_str() {
        "run" => run(&options),
        "flood" => flood(&options),
        "headers" => headers(&options),
        _ => probe(&options),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("hostile-client: {message}");
            ExitCode::FAILURE
        }
    }
}

fn parse(args: &[String]) -> Result<(String, Options), String> {
    let command = args.first().ok_or("no command")?.clone();
    if !["run", "flood", "probe", "headers"].contains(&command.as_str()) {
        return Err(format!("unknown command `{command}`"));
    }
    let flavour = match args.get(1).map(String::as_str) {
        Some("udp") => Flavour::Udp,
        Some("netfilter") => Flavour::Netfilter,
        other => return Err(format!("unknown flavour {other:?}")),
    };
    let mut options = Options {
        flavour,
        port: 0,
        stats: None,
        packets: 100_000,
        seed: 1,
        seconds: 3600,
        accept_undecodable: false,
    };
    let mut rest = args[2..].iter();
    while let Some(flag) = rest.next() {
        let value = rest.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let number = || {
            value
                .parse::<u64>()
                .map_err(|e| format!("{flag} {value}: {e}"))
        };
        match flag.as_str() {
            "--port" => options.port = value.parse().map_err(|e| format!("--port {value}: {e}"))?,
            "--stats" => options.stats = Some(value.clone()),
            "--packets" => options.packets = number()?,
            "--seed" => options.seed = number()?,
            "--seconds" => options.seconds = number()?,
            "--accept-undecodable" => options.accept_undecodable = number()? != 0,
            _ => return Err(format!("unknown option {flag}")),
        }
    }
    if options.port == 0 {
        return Err("--port is required".into());
    }
    if (command == "run" || command == "headers") && options.stats.is_none() {
        return Err(format!("{command} needs --stats"));
    }
    if command == "headers" && flavour != Flavour::Netfilter {
        return Err("headers is for the netfilter flavour".into());
    }
    Ok((command, options))
}

fn bind(addr: SocketAddr) -> Result<UdpSocket, String> {
    let socket = UdpSocket::bind(addr).map_err(|e| format!("bind {addr}: {e}"))?;
    socket
        .set_read_timeout(Some(PATIENCE))
        .map_err(|e| format!("read timeout: {e}"))?;
    Ok(socket)
}

fn loopback_v4(port: u16) -> SocketAddr {
    SocketAddr::from((Ipv4Addr::LOCALHOST, port))
}

fn loopback_v6(port: u16) -> SocketAddr {
    SocketAddr::from((Ipv6Addr::LOCALHOST, port))
}

fn read_stats(path: &str) -> Result<Counters, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    Counters::parse(&text).ok_or_else(|| format!("{path}: unreadable counters:\n{text}"))
}

/// Waits until the stats file shows `expected`; fails at once when a counter overshoots.
fn wait_for_counters(path: &str, expected: &Counters) -> Result<(), String> {
    let start = Instant::now();
    let mut polls = 0u32;
    loop {
        let actual = read_stats(path)?;
        if actual == *expected {
            return Ok(());
        }
        let over = Counters::NAMES
            .iter()
            .zip(fields(&actual).iter().zip(fields(expected)))
            .any(|(_, (a, e))| a > &e);
        if over || start.elapsed() > PATIENCE {
            return Err(format!(
                "counters differ:\n  module {actual}\n  model  {expected}"
            ));
        }
        polls += 1;
        if polls < 20 {
            std::thread::yield_now();
        } else {
            std::thread::sleep(Duration::from_micros(200));
        }
    }
}

fn fields(c: &Counters) -> [u64; 6] {
    [
        c.received,
        c.decoded,
        c.decode_errors,
        c.accepted,
        c.dropped,
        c.replies,
    ]
}

/// What one category of the traffic did, for the report.
#[derive(Default)]
struct Tally {
    packets: u64,
    bytes: u64,
    counters: Counters,
    answered: u64,
}

fn hex_head(bytes: &[u8]) -> String {
    let head: String = bytes.iter().take(48).map(|b| format!("{b:02x}")).collect();
    if bytes.len() > 48 {
        format!("{head}... ({} bytes)", bytes.len())
    } else {
        format!("{head} ({} bytes)", bytes.len())
    }
}

fn run(options: &Options) -> Result<(), String> {
    let stats = options.stats.as_deref().unwrap_or_default();
    let mut expected = read_stats(stats)?;
    let start_counters = expected;
    let mut traffic = Traffic::new(options.seed);
    let mut model = Model::new();
    let mut tallies: BTreeMap<Category, Tally> = BTreeMap::new();
    let v4 = bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))?;
    let v6 = bind(SocketAddr::from((Ipv6Addr::LOCALHOST, 0)))?;
    // The netfilter module's packets arrive here when it accepts them (both families).
    let listener = match options.flavour {
        Flavour::Netfilter => Some(bind(SocketAddr::from((
            Ipv6Addr::UNSPECIFIED,
            options.port,
        )))?),
        Flavour::Udp => None,
    };
    let mut reply = vec![0u8; 70_000];
    let started = Instant::now();
    for index in 0..options.packets {
        // The UDP module listens on IPv4; the netfilter module sees one packet in four
        // over IPv6.
        let ipv6 = options.flavour == Flavour::Netfilter && index % 4 == 3;
        let max = if ipv6 {
            MAX_DATAGRAM_V6
        } else {
            MAX_DATAGRAM_V4
        };
        let packet = traffic.next_packet(max);
        let tally = tallies.entry(packet.category).or_default();
        tally.packets += 1;
        tally.bytes += packet.bytes.len() as u64;
        let context = |what: String| {
            format!(
                "datagram {index} ({}, seed {}): {what}\n  bytes {}",
                packet.category.name(),
                options.seed,
                hex_head(&packet.bytes)
            )
        };
        let (socket, target) = if ipv6 {
            (&v6, loopback_v6(options.port))
        } else {
            (&v4, loopback_v4(options.port))
        };
        match options.flavour {
            Flavour::Udp => {
                let outcome = model.udp(&packet.bytes);
                if packet.category == Category::Valid && outcome.counters.decode_errors > 0 {
                    return Err(context("the model rejects a valid datagram".into()));
                }
                expected.add(&outcome.counters);
                tally.counters.add(&outcome.counters);
                socket
                    .send_to(&packet.bytes, target)
                    .map_err(|e| context(format!("send: {e}")))?;
                if !outcome.reply.is_empty() {
                    tally.answered += 1;
                    let n = socket
                        .recv(&mut reply)
                        .map_err(|e| context(format!("no reply: {e}")))?;
                    if reply[..n] != outcome.reply[..] {
                        return Err(context(format!(
                            "wrong reply\n  module {}\n  model  {}",
                            hex_head(&reply[..n]),
                            hex_head(&outcome.reply)
                        )));
                    }
                }
            }
            Flavour::Netfilter => {
                let outcome = model.netfilter(&packet.bytes, false);
                if packet.category == Category::Valid && outcome.counters.decode_errors > 0 {
                    return Err(context("the model rejects a valid payload".into()));
                }
                expected.add(&outcome.counters);
                tally.counters.add(&outcome.counters);
                socket
                    .send_to(&packet.bytes, target)
                    .map_err(|e| context(format!("send: {e}")))?;
                if outcome.verdict == Verdict::Accept {
                    tally.answered += 1;
                    let listener = listener.as_ref().ok_or("no listener")?;
                    let n = listener
                        .recv(&mut reply)
                        .map_err(|e| context(format!("accepted packet did not arrive: {e}")))?;
                    if reply[..n] != packet.bytes[..] {
                        return Err(context(format!(
                            "a packet the model drops arrived: {}",
                            hex_head(&reply[..n])
                        )));
                    }
                }
            }
        }
        wait_for_counters(stats, &expected).map_err(context)?;
    }
    if let Some(listener) = &listener {
        // Nothing the model drops may arrive late.
        std::thread::sleep(Duration::from_millis(300));
        listener.set_nonblocking(true).map_err(|e| e.to_string())?;
        match listener.recv(&mut reply) {
            Err(e) if e.kind() == ErrorKind::WouldBlock => {}
            Ok(n) => {
                return Err(format!(
                    "a dropped packet arrived late: {}",
                    hex_head(&reply[..n])
                ))
            }
            Err(e) => return Err(format!("listener: {e}")),
        }
    }
    report(
        options,
        &tallies,
        &start_counters,
        &read_stats(stats)?,
        started.elapsed(),
    );
    Ok(())
}

fn report(
    options: &Options,
    tallies: &BTreeMap<Category, Tally>,
    start: &Counters,
    end: &Counters,
    elapsed: Duration,
) {
    let flavour = match options.flavour {
        Flavour::Udp => "udp",
        Flavour::Netfilter => "netfilter",
    };
    let answered = match options.flavour {
        Flavour::Udp => "replies",
        Flavour::Netfilter => "arrived",
    };
    println!(
        "hostile {flavour}: {:>13} {:>8} {:>11} {:>8} {:>7} {:>8} {:>8}",
        "category", "packets", "bytes", "decoded", "errors", "dropped", answered
    );
    let row = |name: &str, t: &Tally| {
        println!(
            "hostile {flavour}: {name:>13} {:>8} {:>11} {:>8} {:>7} {:>8} {:>8}",
            t.packets,
            t.bytes,
            t.counters.decoded,
            t.counters.decode_errors,
            t.counters.dropped,
            t.answered
        );
    };
    let mut total = Tally::default();
    for (category, t) in tallies {
        row(category.name(), t);
        total.packets += t.packets;
        total.bytes += t.bytes;
        total.counters.add(&t.counters);
        total.answered += t.answered;
    }
    row("total", &total);
    println!("hostile {flavour}: counters before: {start}");
    println!("hostile {flavour}: counters after:  {end}");
    println!(
        "hostile {flavour}: {} datagrams (seed {}) in {:.1} s; every reply, verdict and \
         counter matched the model",
        total.packets,
        options.seed,
        elapsed.as_secs_f64()
    );
}

fn flood(options: &Options) -> Result<(), String> {
    let socket = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)).map_err(|e| format!("bind: {e}"))?;
    let target = loopback_v4(options.port);
    let mut traffic = Traffic::new(options.seed);
    let deadline = Instant::now() + Duration::from_secs(options.seconds);
    let mut sent = 0u64;
    while Instant::now() < deadline {
        // Bursts of eight, so that the guest keeps time for loading and unloading.
        for _ in 0..8 {
            let packet = traffic.next_packet(MAX_DATAGRAM_V4);
            // Errors (no module loaded, full buffers) are part of the weather here.
            let _ = socket.send_to(&packet.bytes, target);
            sent += 1;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    println!("hostile flood: {sent} datagrams");
    Ok(())
}

fn probe(options: &Options) -> Result<(), String> {
    let mut traffic = Traffic::new(options.seed);
    let mut model = Model::new();
    let mut buf = vec![0u8; 70_000];
    match options.flavour {
        Flavour::Udp => {
            let frame = traffic.valid_frame_with_id(7);
            let expected = model.udp(&frame).reply;
            let socket = bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))?;
            socket
                .set_read_timeout(Some(Duration::from_secs(1)))
                .map_err(|e| e.to_string())?;
            for _ in 0..10 {
                socket
                    .send_to(&frame, loopback_v4(options.port))
                    .map_err(|e| e.to_string())?;
                if let Ok(n) = socket.recv(&mut buf) {
                    if buf[..n] == expected[..] {
                        return Ok(());
                    }
                    return Err(format!("probe: wrong reply {}", hex_head(&buf[..n])));
                }
            }
            Err("probe: no reply in 10 tries".into())
        }
        Flavour::Netfilter => {
            let accept = traffic.valid_frame_with_id(PROBE_ACCEPT_ID);
            let drop = traffic.valid_frame_with_id(PROBE_DROP_ID);
            if model.netfilter(&accept, false).verdict != Verdict::Accept
                || model.netfilter(&drop, false).verdict != Verdict::Drop
            {
                return Err("probe: the model disagrees with the probe's ids".into());
            }
            let listener = bind(SocketAddr::from((Ipv6Addr::UNSPECIFIED, options.port)))?;
            listener
                .set_read_timeout(Some(Duration::from_secs(1)))
                .map_err(|e| e.to_string())?;
            let socket = bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))?;
            for _ in 0..10 {
                for frame in [&drop, &accept] {
                    socket
                        .send_to(frame, loopback_v4(options.port))
                        .map_err(|e| e.to_string())?;
                }
                // Other traffic may arrive too; only the probe's own packets count.
                while let Ok(n) = listener.recv(&mut buf) {
                    if buf[..n] == drop[..] {
                        return Err("probe: the packet to drop arrived".into());
                    }
                    if buf[..n] == accept[..] {
                        return Ok(());
                    }
                }
            }
            Err("probe: the packet to accept never arrived in 10 tries".into())
        }
    }
}

/// A raw socket of `family` that sends whole IP packets, headers included.
fn raw_socket(family: Family) -> Result<OwnedFd, String> {
    let domain = match family {
        Family::V4 => libc::AF_INET,
        Family::V6 => libc::AF_INET6,
    };
    // SAFETY: socket() takes no pointers; the result is checked before use.
    let fd = unsafe { libc::socket(domain, libc::SOCK_RAW, libc::IPPROTO_RAW) };
    if fd < 0 {
        return Err(format!("raw socket: {}", std::io::Error::last_os_error()));
    }
    // SAFETY: `fd` is a socket this function just opened and owns alone. IPPROTO_RAW
    // implies IP_HDRINCL and IPV6_HDRINCL: the packets carry their own headers.
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}

/// Sends one whole IP `packet` to the loopback address of `family`.
fn send_raw(socket: &OwnedFd, family: Family, packet: &[u8]) -> std::io::Result<()> {
    // SAFETY: all-zero bytes are a valid sockaddr_in and sockaddr_in6.
    let mut v4: libc::sockaddr_in = unsafe { std::mem::zeroed() };
    v4.sin_family = libc::AF_INET as libc::sa_family_t;
    v4.sin_addr.s_addr = u32::from(Ipv4Addr::LOCALHOST).to_be();
    // SAFETY: as above.
    let mut v6: libc::sockaddr_in6 = unsafe { std::mem::zeroed() };
    v6.sin6_family = libc::AF_INET6 as libc::sa_family_t;
    v6.sin6_addr.s6_addr = Ipv6Addr::LOCALHOST.octets();
    let (addr, len) = match family {
        Family::V4 => (
            (&v4 as *const libc::sockaddr_in).cast::<libc::sockaddr>(),
            std::mem::size_of::<libc::sockaddr_in>(),
        ),
        Family::V6 => (
            (&v6 as *const libc::sockaddr_in6).cast::<libc::sockaddr>(),
            std::mem::size_of::<libc::sockaddr_in6>(),
        ),
    };
    // SAFETY: `packet` is valid for `packet.len()` reads and `addr` points to a live
    // address of `len` bytes of the socket's family.
    let sent = unsafe {
        libc::sendto(
            socket.as_raw_fd(),
            packet.as_ptr().cast(),
            packet.len(),
            0,
            addr,
            len as libc::socklen_t,
        )
    };
    match usize::try_from(sent) {
        Ok(n) if n == packet.len() => Ok(()),
        Ok(n) => Err(std::io::Error::other(format!(
            "sent {n} of {} bytes",
            packet.len()
        ))),
        Err(_) => Err(std::io::Error::last_os_error()),
    }
}

/// What one shape of the header run did, for the report.
#[derive(Default)]
struct ShapeTally {
    cases: u64,
    ipv6: u64,
    packets: u64,
    counters: Counters,
    arrived: u64,
}

fn headers(options: &Options) -> Result<(), String> {
    let stats = options.stats.as_deref().unwrap_or_default();
    let mut expected = read_stats(stats)?;
    let start_counters = expected;
    let mut traffic = RawTraffic::new(options.seed, options.port);
    let mut model = Model::new();
    let mut tallies: BTreeMap<Shape, ShapeTally> = BTreeMap::new();
    let v4 = raw_socket(Family::V4)?;
    let v6 = raw_socket(Family::V6)?;
    let listener = bind(SocketAddr::from((Ipv6Addr::UNSPECIFIED, options.port)))?;
    let mut buf = vec![0u8; 70_000];
    let started = Instant::now();
    for index in 0..options.packets {
        let case = traffic.next_case();
        let tally = tallies.entry(case.shape).or_default();
        tally.cases += 1;
        tally.ipv6 += u64::from(case.family == Family::V6);
        tally.packets += case.packets.len() as u64;
        let context = |what: String| {
            let packets: Vec<String> = case.packets.iter().map(|p| hex_head(p)).collect();
            format!(
                "case {index} ({} over {:?}, seed {}): {what}\n  packets {}",
                case.shape.name(),
                case.family,
                options.seed,
                packets.join("\n          ")
            )
        };
        let outcome = match &case.hook {
            HookView::Ignored => None,
            HookView::Payload(payload) => {
                Some(model.netfilter(payload, options.accept_undecodable))
            }
            HookView::Unreadable => Some(model.netfilter_unreadable(options.accept_undecodable)),
        };
        let accepted = outcome
            .as_ref()
            .is_none_or(|o| o.verdict == Verdict::Accept);
        if let Some(outcome) = &outcome {
            expected.add(&outcome.counters);
            tally.counters.add(&outcome.counters);
        }
        let socket = match case.family {
            Family::V4 => &v4,
            Family::V6 => &v6,
        };
        for packet in &case.packets {
            send_raw(socket, case.family, packet).map_err(|e| context(format!("send: {e}")))?;
        }
        if let (true, Some(payload)) = (accepted, &case.delivered) {
            tally.arrived += 1;
            let n = listener
                .recv(&mut buf)
                .map_err(|e| context(format!("accepted datagram did not arrive: {e}")))?;
            if buf[..n] != payload[..] {
                return Err(context(format!(
                    "another datagram arrived: {}\n  expected {}",
                    hex_head(&buf[..n]),
                    hex_head(payload)
                )));
            }
        }
        wait_for_counters(stats, &expected).map_err(context)?;
    }
    // Nothing the hook drops or the kernel discards may arrive late.
    std::thread::sleep(Duration::from_millis(300));
    listener.set_nonblocking(true).map_err(|e| e.to_string())?;
    match listener.recv(&mut buf) {
        Err(e) if e.kind() == ErrorKind::WouldBlock => {}
        Ok(n) => return Err(format!("a datagram arrived late: {}", hex_head(&buf[..n]))),
        Err(e) => return Err(format!("listener: {e}")),
    }
    println!(
        "hostile headers: {:>13} {:>6} {:>5} {:>7} {:>8} {:>7} {:>8} {:>7}",
        "shape", "cases", "ipv6", "packets", "decoded", "errors", "dropped", "arrived"
    );
    let row = |name: &str, t: &ShapeTally| {
        println!(
            "hostile headers: {name:>13} {:>6} {:>5} {:>7} {:>8} {:>7} {:>8} {:>7}",
            t.cases,
            t.ipv6,
            t.packets,
            t.counters.decoded,
            t.counters.decode_errors,
            t.counters.dropped,
            t.arrived
        );
    };
    let mut total = ShapeTally::default();
    for (shape, t) in &tallies {
        row(shape.name(), t);
        total.cases += t.cases;
        total.ipv6 += t.ipv6;
        total.packets += t.packets;
        total.counters.add(&t.counters);
        total.arrived += t.arrived;
    }
    row("total", &total);
    println!("hostile headers: counters before: {start_counters}");
    println!("hostile headers: counters after:  {}", read_stats(stats)?);
    println!(
        "hostile headers: {} cases (seed {}, accept_undecodable={}) in {:.1} s; every \
         counter and arrival matched the model",
        total.cases,
        options.seed,
        u8::from(options.accept_undecodable),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
