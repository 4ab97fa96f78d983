// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! What the modules generated from `hostile.proto` must do with a datagram, computed in
//! user space with the same generated code and the same limits.
//!
//! The model follows the generated modules' contract: a datagram (UDP flavour) or payload
//! (netfilter flavour) is a sequence of frames of at most [`MAX_FRAME`] bytes; each frame
//! is decoded with an arena of [`ARENA_SIZE`] bytes and a depth limit of [`DEPTH_LIMIT`].
//! A frame header that is truncated, too large or longer than the rest ends the datagram
//! with one decode error; a frame that does not decode is one decode error and the next
//! frame is still read. The UDP module answers each decoded message through its handler
//! (`handler_udp.rs`) and sends the answers as one datagram of at most [`REPLY_CAP`] bytes;
//! an answer that does not fit is counted as dropped. The netfilter module drops a payload
//! at the first message its handler (`handler_netfilter.rs`) drops, drops undecodable
//! payloads unless `accept_undecodable` is set, and does not look at empty payloads.
//! Both handlers are the modules' own files, compiled into this crate.

use lkm_pb_core::{encode_frame, Arena, DecodeOptions, Frames, Message};

use crate::handler_netfilter;
use crate::handler_udp;
use crate::hostile::Node;
pub use crate::netfilter::Verdict;

/// The longest frame the modules accept.
pub const MAX_FRAME: u32 = 65535;
/// The arena of one datagram's messages in the modules.
pub const ARENA_SIZE: usize = 64 * 1024;
/// The largest reply of the UDP module listening on IPv4: the largest UDP payload over
/// IPv4 (65,535 bytes less the IPv4 and UDP headers).
pub const REPLY_CAP: usize = 65_507;
/// The depth limit the modules decode with.
pub const DEPTH_LIMIT: u32 = 8;

/// The counters of a module, in the order of its stats file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counters {
    /// Datagrams (UDP) or non-empty payloads (netfilter) seen.
    pub received: u64,
    /// Messages decoded.
    pub decoded: u64,
    /// Frames or messages that could not be decoded.
    pub decode_errors: u64,
    /// UDP: messages decoded; netfilter: packets accepted.
    pub accepted: u64,
    /// UDP: answers that did not fit the reply; netfilter: packets dropped.
    pub dropped: u64,
    /// UDP: reply datagrams sent.
    pub replies: u64,
}

impl Counters {
    /// The names of the counters, as the stats file spells them.
    pub const NAMES: [&'static str; 6] = [
        "received",
        "decoded",
        "decode_errors",
        "accepted",
        "dropped",
        "replies",
    ];

    /// Reads the counters from the text of a module's stats file (`name value` lines);
    /// `None` when one is missing or not a number.
    pub fn parse(text: &str) -> Option<Self> {
        let mut values = [None; 6];
        for line in text.lines() {
            let mut words = line.split_whitespace();
            let (Some(name), Some(value)) = (words.next(), words.next()) else {
                continue;
            };
            if let Some(slot) = Self::NAMES.iter().position(|n| *n == name) {
                values[slot] = Some(value.parse::<u64>().ok()?);
            }
        }
        let [received, decoded, decode_errors, accepted, dropped, replies] = values;
        Some(Self {
            received: received?,
            decoded: decoded?,
            decode_errors: decode_errors?,
            accepted: accepted?,
            dropped: dropped?,
            replies: replies?,
        })
    }

    /// Adds `other` to these counters.
    pub fn add(&mut self, other: &Self) {
        self.received += other.received;
        self.decoded += other.decoded;
        self.decode_errors += other.decode_errors;
        self.accepted += other.accepted;
        self.dropped += other.dropped;
        self.replies += other.replies;
    }
}

impl std::fmt::Display for Counters {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "received {} decoded {} decode_errors {} accepted {} dropped {} replies {}",
            self.received,
            self.decoded,
            self.decode_errors,
            self.accepted,
            self.dropped,
            self.replies
        )
    }
}

/// What the UDP module does with one datagram.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UdpOutcome {
    /// How the counters move.
    pub counters: Counters,
    /// The reply datagram; empty when the module sends none.
    pub reply: Vec<u8>,
}

/// What the netfilter module does with one packet's payload.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NetfilterOutcome {
    /// How the counters move.
    pub counters: Counters,
    /// The verdict.
    pub verdict: Verdict,
}

/// The model, with the arena and reply buffers the modules allocate once.
pub struct Model {
    arena: Vec<u8>,
    reply: Vec<u8>,
}

impl Default for Model {
    fn default() -> Self {
        Self::new()
    }
}

impl Model {
    /// A model with buffers of the modules' sizes.
    pub fn new() -> Self {
        Self {
            arena: vec![0; ARENA_SIZE],
            reply: vec![0; REPLY_CAP],
        }
    }

    /// What the UDP module does with `datagram`.
    pub fn udp(&mut self, datagram: &[u8]) -> UdpOutcome {
        let mut counters = Counters {
            received: 1,
            ..Counters::default()
        };
        let mut written = 0;
        for frame in Frames::with_limit(datagram, MAX_FRAME) {
            let Ok(body) = frame else {
                counters.decode_errors += 1;
                break;
            };
            let mut arena = Arena::new(&mut self.arena);
            let Ok(node) = Node::decode_with(body, &mut arena, options()) else {
                counters.decode_errors += 1;
                continue;
            };
            counters.decoded += 1;
            counters.accepted += 1;
            let Some(answer) = handler_udp::handle(&node) else {
                continue;
            };
            match encode_frame(&answer, &mut self.reply[written..]) {
                Ok(len) => written += len,
                Err(_) => counters.dropped += 1,
            }
        }
        if written > 0 {
            counters.replies = 1;
        }
        UdpOutcome {
            counters,
            reply: self.reply[..written].to_vec(),
        }
    }

    /// What the netfilter module does with a packet carrying `payload`.
    pub fn netfilter(&mut self, payload: &[u8], accept_undecodable: bool) -> NetfilterOutcome {
        let mut counters = Counters::default();
        if payload.is_empty() {
            return NetfilterOutcome {
                counters,
                verdict: Verdict::Accept,
            };
        }
        counters.received = 1;
        let mut verdict = Verdict::Accept;
        let mut undecodable = false;
        for frame in Frames::with_limit(payload, MAX_FRAME) {
            let Ok(body) = frame else {
                counters.decode_errors += 1;
                undecodable = true;
                break;
            };
            let mut arena = Arena::new(&mut self.arena);
            let Ok(node) = Node::decode_with(body, &mut arena, options()) else {
                counters.decode_errors += 1;
                undecodable = true;
                continue;
            };
            counters.decoded += 1;
            if handler_netfilter::handle(&node) == Verdict::Drop {
                verdict = Verdict::Drop;
                break;
            }
        }
        if verdict == Verdict::Accept && undecodable && !accept_undecodable {
            verdict = Verdict::Drop;
        }
        match verdict {
            Verdict::Accept => counters.accepted = 1,
            Verdict::Drop => counters.dropped = 1,
        }
        NetfilterOutcome { counters, verdict }
    }

    /// What the netfilter module does with a packet whose payload it cannot read whole (a
    /// fragment, a UDP length field that lies): one decode error and the undecodable
    /// verdict.
    pub fn netfilter_unreadable(&self, accept_undecodable: bool) -> NetfilterOutcome {
        let mut counters = Counters {
            received: 1,
            decode_errors: 1,
            ..Counters::default()
        };
        let verdict = if accept_undecodable {
            counters.accepted = 1;
            Verdict::Accept
        } else {
            counters.dropped = 1;
            Verdict::Drop
        };
        NetfilterOutcome { counters, verdict }
    }
}

/// The modules' decode options.
pub fn options() -> DecodeOptions {
    DecodeOptions::new().with_depth_limit(DEPTH_LIMIT)
}
