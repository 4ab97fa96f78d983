// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Hand-built IPv4 and IPv6 packets for the netfilter module's header run.
//!
//! The netfilter hook finds the payload it decodes by parsing the IP, TCP and UDP headers
//! itself, in C. The datagrams of [`crate::traffic`] come from ordinary sockets, so their
//! headers are always right; the packets made here are sent through raw sockets and get
//! their headers wrong or unusual on purpose: UDP length fields that are shorter or longer
//! than the datagram, bytes after the UDP length, IPv4 options, IPv6 extension headers,
//! fragments in any order and fragments whose other parts never come, TCP options and TCP
//! data offsets that are too short or too long, and other ports. Each [`RawCase`] says what
//! the hook must make of its packets ([`HookView`]) and what a UDP socket on the port must
//! receive when the hook accepts them, as the kernel's IP, UDP and TCP layers would treat
//! them. Checksums are correct wherever the length fields allow it, so that a packet the
//! hook accepts is delivered.

use crate::rng::Rng;
use crate::traffic::Traffic;

/// The IP protocol number of TCP.
const TCP: u8 = 6;
/// The IP protocol number of UDP.
const UDP: u8 = 17;
/// The IPv6 next-header value of hop-by-hop options.
const HOP_BY_HOP: u8 = 0;
/// The IPv6 next-header value of a fragment header.
const FRAGMENT: u8 = 44;
/// The IPv6 next-header value of destination options.
const DEST_OPTS: u8 = 60;
/// The IPv4 "more fragments" flag in the fragment field.
const IP_MF: u16 = 0x2000;
/// The length of an IPv4 header without options.
const IPV4_HEADER: usize = 20;
/// The length of an IPv6 header.
const IPV6_HEADER: usize = 40;
/// The length of a UDP header.
const UDP_HEADER: usize = 8;
/// The length of a TCP header without options.
const TCP_HEADER: usize = 20;
/// The largest payload the header run puts in one packet; fragments need a few of them
/// in one 65,535-byte datagram, and the header run is about headers.
pub const MAX_PAYLOAD: usize = 1400;

/// An IP version.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    /// IPv4, from and to 127.0.0.1.
    V4,
    /// IPv6, from and to ::1.
    V6,
}

/// The kinds of packet the header run mixes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Shape {
    /// A UDP datagram with correct headers.
    Udp,
    /// A UDP datagram followed by bytes that its length field leaves out (and, over IPv6,
    /// bytes that the IPv6 payload length leaves out): the UDP layer trims them.
    UdpTrailing,
    /// A UDP length field longer than the packet: the UDP layer discards it.
    UdpLongLength,
    /// A UDP length field shorter than the UDP header: the UDP layer discards it.
    UdpShortLength,
    /// IPv4 options or IPv6 hop-by-hop and destination options before the UDP header.
    UdpIpOptions,
    /// A UDP datagram in two to four fragments, sent in a random order.
    UdpFragments,
    /// The first or the last fragment of a datagram whose other fragments never come.
    LoneFragment,
    /// A UDP datagram to another port.
    OtherPort,
    /// A TCP segment, with TCP options or without.
    Tcp,
    /// A TCP data offset below the TCP header or beyond the packet: the TCP layer
    /// discards the segment.
    TcpBadOffset,
}

impl Shape {
    /// Every shape, in a fixed order.
    pub const ALL: [Shape; 10] = [
        Shape::Udp,
        Shape::UdpTrailing,
        Shape::UdpLongLength,
        Shape::UdpShortLength,
        Shape::UdpIpOptions,
        Shape::UdpFragments,
        Shape::LoneFragment,
        Shape::OtherPort,
        Shape::Tcp,
        Shape::TcpBadOffset,
    ];

    /// The shape's name in reports.
    pub fn name(self) -> &'static str {
        match self {
            Shape::Udp => "udp",
            Shape::UdpTrailing => "udp-trailing",
            Shape::UdpLongLength => "udp-long-len",
            Shape::UdpShortLength => "udp-short-len",
            Shape::UdpIpOptions => "udp-ip-opts",
            Shape::UdpFragments => "udp-fragments",
            Shape::LoneFragment => "lone-fragment",
            Shape::OtherPort => "other-port",
            Shape::Tcp => "tcp",
            Shape::TcpBadOffset => "tcp-bad-off",
        }
    }

    /// The shape's share of the header run, in percent (the shares add up to 100).
    fn weight(self) -> usize {
        match self {
            Shape::Udp => 14,
            Shape::UdpTrailing => 12,
            Shape::UdpLongLength => 8,
            Shape::UdpShortLength => 6,
            Shape::UdpIpOptions => 12,
            Shape::UdpFragments => 12,
            Shape::LoneFragment => 3,
            Shape::OtherPort => 5,
            Shape::Tcp => 20,
            Shape::TcpBadOffset => 8,
        }
    }
}

/// What the netfilter hook must make of a case's packets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HookView {
    /// The hook does not look at them and counts nothing.
    Ignored,
    /// The hook decodes this payload (an empty one it lets pass without counting).
    Payload(Vec<u8>),
    /// The hook counts one undecodable packet.
    Unreadable,
}

/// One case of the header run: packets to send and what must come of them.
#[derive(Clone, Debug)]
pub struct RawCase {
    /// The kind of packet.
    pub shape: Shape,
    /// The IP version of the packets.
    pub family: Family,
    /// Whole IP packets, headers included, to be sent in this order.
    pub packets: Vec<Vec<u8>>,
    /// What the hook must make of them.
    pub hook: HookView,
    /// What a UDP socket on the port receives when the hook accepts the packets; `None`
    /// when the kernel discards them or they are not UDP to the port.
    pub delivered: Option<Vec<u8>>,
}

/// The generator of the header run: payloads from [`Traffic`], headers made here.
#[derive(Clone, Debug)]
pub struct RawTraffic {
    rng: Rng,
    payloads: Traffic,
    port: u16,
    fragmented: u32,
}

impl RawTraffic {
    /// A generator for packets to `port`, seeded with `seed`.
    pub fn new(seed: u64, port: u16) -> Self {
        Self {
            rng: Rng::new(seed ^ 0x05ee_d4ea_de25_u64),
            payloads: Traffic::new(seed),
            port,
            fragmented: 0,
        }
    }

    /// The next case.
    pub fn next_case(&mut self) -> RawCase {
        let mut roll = self.rng.below(100);
        let mut shape = Shape::Udp;
        for s in Shape::ALL {
            if roll < s.weight() {
                shape = s;
                break;
            }
            roll -= s.weight();
        }
        let family = if self.rng.chance(50) {
            Family::V4
        } else {
            Family::V6
        };
        self.case(shape, family)
    }

    /// A case of `shape` over `family`.
    pub fn case(&mut self, shape: Shape, family: Family) -> RawCase {
        let mut payload = self.payloads.next_packet(MAX_PAYLOAD).bytes;
        if matches!(shape, Shape::UdpFragments | Shape::LoneFragment) && payload.len() < 8 {
            // Two fragments need at least 16 bytes of UDP header and payload.
            let missing = 8 - payload.len();
            self.rng.fill(&mut payload, missing);
        }
        let port = self.port;
        let source = self.source_port();
        let mut hook = HookView::Payload(payload.clone());
        let mut delivered = Some(payload.clone());
        let packets = match shape {
            Shape::Udp => vec![ip(family, UDP, &udp(family, source, port, &payload))],
            Shape::UdpTrailing => {
                let mut datagram = udp(family, source, port, &payload);
                let extra = self.rng.range(1, 64);
                self.rng.fill(&mut datagram, extra);
                let mut packet = ip(family, UDP, &datagram);
                if family == Family::V6 {
                    // Bytes past the IPv6 payload length: the IPv6 layer trims them.
                    let extra = self.rng.range(1, 64);
                    self.rng.fill(&mut packet, extra);
                }
                vec![packet]
            }
            Shape::UdpLongLength => {
                let mut datagram = udp(family, source, port, &payload);
                // At most MAX_PAYLOAD + 108 bytes: the field holds it.
                let claimed = datagram.len() + self.rng.range(1, 100);
                set_u16(&mut datagram, 4, claimed as u16);
                hook = HookView::Unreadable;
                delivered = None;
                vec![ip(family, UDP, &datagram)]
            }
            Shape::UdpShortLength => {
                let mut datagram = udp(family, source, port, &payload);
                // 0 means "the rest of the packet" to the hook; 1 to 7 are too short.
                set_u16(&mut datagram, 4, self.rng.range(1, UDP_HEADER - 1) as u16);
                hook = HookView::Unreadable;
                delivered = None;
                vec![ip(family, UDP, &datagram)]
            }
            Shape::UdpIpOptions => {
                let datagram = udp(family, source, port, &payload);
                match family {
                    Family::V4 => vec![ipv4_with_options(UDP, &datagram, self.rng.range(1, 10))],
                    Family::V6 => vec![ipv6_with_options(UDP, &datagram, self.rng.range(1, 3))],
                }
            }
            Shape::UdpFragments => {
                let datagram = udp(family, source, port, &payload);
                let id = self.fragment_id(false);
                let mut fragments = self.fragments(family, id, &datagram);
                // Any order reassembles.
                for i in (1..fragments.len()).rev() {
                    fragments.swap(i, self.rng.below(i + 1));
                }
                fragments
            }
            Shape::LoneFragment => {
                let datagram = udp(family, source, port, &payload);
                let id = self.fragment_id(true);
                let mut fragments = self.fragments(family, id, &datagram);
                let keep = if self.rng.chance(50) {
                    fragments.swap_remove(0)
                } else {
                    fragments.pop().unwrap_or_default()
                };
                // The reassembly queue keeps the fragment until it times out; the hook
                // never sees it.
                hook = HookView::Ignored;
                delivered = None;
                vec![keep]
            }
            Shape::OtherPort => {
                let other = if port == u16::MAX { port - 1 } else { port + 1 };
                hook = HookView::Ignored;
                delivered = None;
                vec![ip(family, UDP, &udp(family, source, other, &payload))]
            }
            Shape::Tcp => {
                let options = self.rng.below(11);
                delivered = None;
                vec![ip(
                    family,
                    TCP,
                    &tcp(family, source, port, options, None, &payload),
                )]
            }
            Shape::TcpBadOffset => {
                let (offset, payload) = if self.rng.chance(50) {
                    (self.rng.below(5) as u8, payload.as_slice())
                } else {
                    // 60 header bytes claimed; header and payload are fewer.
                    (15, payload.get(..payload.len().min(39)).unwrap_or_default())
                };
                hook = HookView::Ignored;
                delivered = None;
                vec![ip(
                    family,
                    TCP,
                    &tcp(family, source, port, 0, Some(offset), payload),
                )]
            }
        };
        RawCase {
            shape,
            family,
            packets,
            hook,
            delivered,
        }
    }

    /// A source port from the ephemeral range.
    fn source_port(&mut self) -> u16 {
        self.rng.range(32768, 60999) as u16
    }

    /// A fragment identification for a datagram that is sent whole (`lone` false) or of
    /// which one fragment is sent.
    ///
    /// A lone fragment stays in the kernel's reassembly queue until it times out (30 s for
    /// IPv4, 60 s for IPv6); a later datagram with its identification would join that
    /// queue and be lost. So the two kinds never share an identification: bit 15 says
    /// which kind it is, in the 16 bits of IPv4 as in the 32 of IPv6. Below it, a count of
    /// the datagrams fragmented so far (15 bits, never 0) and, from bit 16 on, its
    /// overflow: unique over 32,767 datagrams for IPv4, over the whole run for IPv6. Runs
    /// with the same seed send the same lone fragments under the same identifications.
    fn fragment_id(&mut self, lone: bool) -> u32 {
        self.fragmented = self.fragmented.wrapping_add(1);
        let low = self.fragmented % 0x7fff + 1;
        let high = self.fragmented / 0x7fff;
        (high << 16) | (u32::from(lone) << 15) | low
    }

    /// `datagram` (a UDP header and its payload) cut into two to four fragments at
    /// multiples of 8 bytes, in order; one unfragmented packet when it is too short.
    fn fragments(&mut self, family: Family, id: u32, datagram: &[u8]) -> Vec<Vec<u8>> {
        let units = datagram.len() / 8;
        if units < 2 {
            return vec![ip(family, UDP, datagram)];
        }
        let pieces = self.rng.range(2, 4.min(units));
        let mut cuts: Vec<usize> = (0..pieces - 1)
            .map(|_| self.rng.range(1, units - 1) * 8)
            .collect();
        cuts.push(0);
        cuts.push(datagram.len());
        cuts.sort_unstable();
        cuts.dedup();
        cuts.windows(2)
            .map(|w| {
                let more = w[1] < datagram.len();
                fragment(family, id, w[0], more, &datagram[w[0]..w[1]])
            })
            .collect()
    }
}

/// The one's-complement sum of `bytes` as 16-bit big-endian words, added to `sum`.
fn sum_words(mut sum: u32, bytes: &[u8]) -> u32 {
    let mut chunks = bytes.chunks_exact(2);
    for pair in &mut chunks {
        sum += u32::from(u16::from_be_bytes([pair[0], pair[1]]));
    }
    if let [last] = chunks.remainder() {
        sum += u32::from(*last) << 8;
    }
    sum
}

/// The Internet checksum (RFC 1071) of a running sum.
fn fold(mut sum: u32) -> u16 {
    while sum > 0xffff {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    !(sum as u16)
}

/// The checksum of a TCP or UDP `segment` of protocol `protocol` over `family`, with the
/// pseudo-header length `length`.
pub fn transport_checksum(family: Family, protocol: u8, length: usize, segment: &[u8]) -> u16 {
    let mut sum = match family {
        Family::V4 => sum_words(0, &[127, 0, 0, 1, 127, 0, 0, 1]),
        Family::V6 => sum_words(0, &LOOPBACK_V6) * 2,
    };
    sum += u32::from(protocol) + length as u32;
    fold(sum_words(sum, segment))
}

/// `::1`.
const LOOPBACK_V6: [u8; 16] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];

/// Writes `value` big-endian at `at`.
fn set_u16(bytes: &mut [u8], at: usize, value: u16) {
    bytes[at..at + 2].copy_from_slice(&value.to_be_bytes());
}

/// A UDP header and `payload`, from `source` to `port`, with a correct length and checksum.
pub fn udp(family: Family, source: u16, port: u16, payload: &[u8]) -> Vec<u8> {
    let len = UDP_HEADER + payload.len();
    let mut out = Vec::with_capacity(len);
    out.extend_from_slice(&source.to_be_bytes());
    out.extend_from_slice(&port.to_be_bytes());
    out.extend_from_slice(&(len as u16).to_be_bytes());
    out.extend_from_slice(&[0, 0]);
    out.extend_from_slice(payload);
    let sum = match transport_checksum(family, UDP, len, &out) {
        // 0 means "no checksum" in UDP over IPv4 and is invalid over IPv6.
        0 => 0xffff,
        sum => sum,
    };
    set_u16(&mut out, 6, sum);
    out
}

/// A TCP segment (ACK and PSH) from `source` to `port` with `options` 4-byte words of NOP
/// options, and a correct checksum; `offset` overrides the data offset.
pub fn tcp(
    family: Family,
    source: u16,
    port: u16,
    options: usize,
    offset: Option<u8>,
    payload: &[u8],
) -> Vec<u8> {
    let header = TCP_HEADER + 4 * options;
    let mut out = Vec::with_capacity(header + payload.len());
    out.extend_from_slice(&source.to_be_bytes());
    out.extend_from_slice(&port.to_be_bytes());
    out.extend_from_slice(&0x1000_0000u32.to_be_bytes());
    out.extend_from_slice(&0x2000_0000u32.to_be_bytes());
    let doff = offset.unwrap_or((header / 4) as u8);
    out.push(doff << 4);
    out.push(0x18);
    out.extend_from_slice(&0xffffu16.to_be_bytes());
    out.extend_from_slice(&[0, 0, 0, 0]);
    out.resize(header, 1);
    out.extend_from_slice(payload);
    let sum = transport_checksum(family, TCP, out.len(), &out);
    set_u16(&mut out, 16, sum);
    out
}

/// An IPv4 header with `options` 4-byte words of options for a payload of `len` bytes of
/// `protocol`; `fragment` holds the identification, the byte offset and the
/// more-fragments flag.
fn ipv4_header(protocol: u8, len: usize, options: usize, fragment: (u16, usize, bool)) -> Vec<u8> {
    let header = IPV4_HEADER + 4 * options;
    let (id, offset, more) = fragment;
    let mut out = Vec::with_capacity(header);
    out.push(0x40 | (header / 4) as u8);
    out.push(0);
    out.extend_from_slice(&((header + len) as u16).to_be_bytes());
    out.extend_from_slice(&id.to_be_bytes());
    let flags = if more { IP_MF } else { 0 };
    out.extend_from_slice(&(flags | (offset / 8) as u16).to_be_bytes());
    out.push(64);
    out.push(protocol);
    out.extend_from_slice(&[0, 0]);
    out.extend_from_slice(&[127, 0, 0, 1, 127, 0, 0, 1]);
    if options > 0 {
        // NOPs, closed by an end-of-options byte.
        out.resize(header - 1, 1);
        out.push(0);
    }
    let sum = fold(sum_words(0, &out));
    set_u16(&mut out, 10, sum);
    out
}

/// An IPv6 header for `len` payload bytes whose first header is `next`.
fn ipv6_header(next: u8, len: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(IPV6_HEADER);
    out.extend_from_slice(&0x6000_0000u32.to_be_bytes());
    out.extend_from_slice(&(len as u16).to_be_bytes());
    out.push(next);
    out.push(64);
    out.extend_from_slice(&LOOPBACK_V6);
    out.extend_from_slice(&LOOPBACK_V6);
    out
}

/// A whole IP packet carrying `segment` of `protocol`.
pub fn ip(family: Family, protocol: u8, segment: &[u8]) -> Vec<u8> {
    let mut out = match family {
        Family::V4 => ipv4_header(protocol, segment.len(), 0, (0, 0, false)),
        Family::V6 => ipv6_header(protocol, segment.len()),
    };
    out.extend_from_slice(segment);
    out
}

/// An IPv4 packet with `words` 4-byte words of options before `segment`.
fn ipv4_with_options(protocol: u8, segment: &[u8], words: usize) -> Vec<u8> {
    let mut out = ipv4_header(protocol, segment.len(), words, (0, 0, false));
    out.extend_from_slice(segment);
    out
}

/// An IPv6 packet with a hop-by-hop options header and `dest` destination options headers
/// (each 8 bytes of padding) before `segment`.
fn ipv6_with_options(protocol: u8, segment: &[u8], dest: usize) -> Vec<u8> {
    let mut chain = Vec::new();
    for i in 0..=dest {
        let next = if i == dest { protocol } else { DEST_OPTS };
        // Next header, length 0 (8 bytes), a PadN option of 4 bytes.
        chain.extend_from_slice(&[next, 0, 1, 4, 0, 0, 0, 0]);
    }
    let mut out = ipv6_header(HOP_BY_HOP, chain.len() + segment.len());
    out.extend_from_slice(&chain);
    out.extend_from_slice(segment);
    out
}

/// One fragment of a UDP datagram: `piece` at byte `offset`, `more` when others follow.
fn fragment(family: Family, id: u32, offset: usize, more: bool, piece: &[u8]) -> Vec<u8> {
    let mut out = match family {
        Family::V4 => ipv4_header(UDP, piece.len(), 0, (id as u16, offset, more)),
        Family::V6 => {
            let mut out = ipv6_header(FRAGMENT, 8 + piece.len());
            out.push(UDP);
            out.push(0);
            // The offset in 8-byte units sits above three bits of flags: for a multiple
            // of 8, that is the byte offset itself.
            let field = (offset as u16) | u16::from(more);
            out.extend_from_slice(&field.to_be_bytes());
            out.extend_from_slice(&id.to_be_bytes());
            out
        }
    };
    out.extend_from_slice(piece);
    out
}
