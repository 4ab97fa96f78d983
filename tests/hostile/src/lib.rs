// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Hostile traffic against the modules generated from `hostile.proto`, and a model of what
//! the modules must count and answer.
//!
//! [`traffic`] produces a seeded, reproducible mix of datagrams: valid messages interleaved
//! with random bytes, random frames, mutated messages, length prefixes that lie, deeply
//! nested messages, invalid UTF-8, wire-format edge cases and maximum-size datagrams.
//! [`raw`] builds IP packets whose IP, UDP and TCP headers are unusual or wrong, with
//! hostile payloads from [`traffic`], for the netfilter module's header parsing.
//! [`model`] decodes each datagram in user space with the same generated code, limits and
//! handler decisions as the modules and says how their counters must move, what the UDP
//! module must reply and what the netfilter module must decide. The `hostile-client`
//! binary sends the traffic from inside the test guest and compares the modules' counters
//! and replies with the model's after every datagram.

pub mod model;
pub mod raw;
pub mod rng;
pub mod traffic;
pub mod wire;

/// The `hostile` protobuf package, generated at build time by `lkm_codegen::compile`.
pub mod hostile {
    include!(concat!(env!("OUT_DIR"), "/hostile.rs"));
}

/// The message types under the path the module handlers use (`crate::proto::hostile`).
pub mod proto {
    pub use crate::hostile;
}

/// The netfilter verdict under the path the netfilter handler uses.
pub mod netfilter {
    /// The netfilter module's decision on a packet, as in the generated module.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum Verdict {
        /// The packet goes on.
        Accept,
        /// The packet is dropped.
        Drop,
    }
}

/// The UDP module's handler, compiled here unchanged: the model answers with it.
#[path = "../handler_udp.rs"]
pub mod handler_udp;

/// The netfilter module's handler, compiled here unchanged: the model decides with it.
#[path = "../handler_netfilter.rs"]
pub mod handler_netfilter;
