// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The hand-built packets of the header run, read back by an independent parser that
//! follows the kernel's rules, before they are trusted with the netfilter module.

use std::collections::BTreeMap;

use lkm_pb_hostile::raw::{Family, HookView, RawCase, RawTraffic, Shape};

const PORT: u16 = 61002;

/// The one's-complement sum of `bytes`, folded to 16 bits; 0xffff for a correct checksum.
fn ones_sum(parts: &[&[u8]]) -> u16 {
    let mut sum: u64 = 0;
    for part in parts {
        for (i, byte) in part.iter().enumerate() {
            sum += u64::from(*byte) << if i % 2 == 0 { 8 } else { 0 };
        }
    }
    while sum > 0xffff {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    sum as u16
}

fn be16(bytes: &[u8], at: usize) -> usize {
    usize::from(u16::from_be_bytes([bytes[at], bytes[at + 1]]))
}

/// One IP packet taken apart: its transport protocol, the transport bytes, and the
/// fragment it is (identification, byte offset, more fragments), if any.
struct Parsed {
    protocol: u8,
    transport: Vec<u8>,
    fragment: Option<(u32, usize, bool)>,
}

fn parse(family: Family, packet: &[u8]) -> Parsed {
    match family {
        Family::V4 => {
            assert_eq!(packet[0] >> 4, 4);
            let ihl = usize::from(packet[0] & 0xf) * 4;
            assert!(ihl >= 20);
            assert_eq!(ones_sum(&[&packet[..ihl]]), 0xffff, "IPv4 header checksum");
            let total = be16(packet, 2);
            assert_eq!(total, packet.len(), "IPv4 total length");
            let field = be16(packet, 6);
            let (more, offset) = (field & 0x2000 != 0, (field & 0x1fff) * 8);
            let fragment = (more || offset > 0).then(|| (be16(packet, 4) as u32, offset, more));
            Parsed {
                protocol: packet[9],
                transport: packet[ihl..].to_vec(),
                fragment,
            }
        }
        Family::V6 => {
            assert_eq!(packet[0] >> 4, 6);
            let payload_len = be16(packet, 4);
            assert!(40 + payload_len <= packet.len(), "IPv6 payload length");
            // Bytes past the payload length are trimmed by the IPv6 layer.
            let packet = &packet[..40 + payload_len];
            let mut next = packet[6];
            let mut at = 40;
            let mut fragment = None;
            loop {
                match next {
                    0 | 60 => {
                        next = packet[at];
                        at += (usize::from(packet[at + 1]) + 1) * 8;
                    }
                    44 => {
                        let field = be16(packet, at + 2);
                        let id = u32::from_be_bytes(packet[at + 4..at + 8].try_into().unwrap());
                        fragment = Some((id, field & 0xfff8, field & 1 != 0));
                        next = packet[at];
                        at += 8;
                    }
                    _ => break,
                }
            }
            Parsed {
                protocol: next,
                transport: packet[at..].to_vec(),
                fragment,
            }
        }
    }
}

fn pseudo_header(family: Family, protocol: u8, len: usize) -> Vec<u8> {
    let mut out = Vec::new();
    match family {
        Family::V4 => out.extend_from_slice(&[127, 0, 0, 1, 127, 0, 0, 1]),
        Family::V6 => {
            for _ in 0..2 {
                out.extend_from_slice(&[0; 15]);
                out.push(1);
            }
        }
    }
    out.extend_from_slice(&[0, protocol]);
    out.extend_from_slice(&(len as u16).to_be_bytes());
    out
}

/// What the netfilter hook (after defragmentation) and a UDP socket on `PORT` make of a
/// case's packets, worked out from the bytes alone.
fn interpret(case: &RawCase) -> (HookView, Option<Vec<u8>>) {
    let parsed: Vec<Parsed> = case.packets.iter().map(|p| parse(case.family, p)).collect();
    let (protocol, segment) = if parsed.iter().any(|p| p.fragment.is_some()) {
        // Reassembly: every fragment of one identification, from offset 0 to a last one.
        let id = parsed[0].fragment.unwrap().0;
        let mut pieces: BTreeMap<usize, (&[u8], bool)> = BTreeMap::new();
        for p in &parsed {
            let (pid, offset, more) = p.fragment.expect("a fragment among whole packets");
            assert_eq!(pid, id);
            pieces.insert(offset, (&p.transport, more));
        }
        let mut whole = Vec::new();
        let mut complete = false;
        for (offset, (bytes, more)) in &pieces {
            if *offset != whole.len() {
                break;
            }
            whole.extend_from_slice(bytes);
            complete = !more;
        }
        if !complete {
            return (HookView::Ignored, None);
        }
        (parsed[0].protocol, whole)
    } else {
        assert_eq!(parsed.len(), 1);
        (parsed[0].protocol, parsed[0].transport.clone())
    };
    match protocol {
        17 => {
            if be16(&segment, 2) != usize::from(PORT) {
                return (HookView::Ignored, None);
            }
            let len = be16(&segment, 4);
            if len < 8 || len > segment.len() {
                return (HookView::Unreadable, None);
            }
            let datagram = &segment[..len];
            let pseudo = pseudo_header(case.family, 17, len);
            assert_eq!(ones_sum(&[&pseudo, datagram]), 0xffff, "UDP checksum");
            let payload = datagram[8..].to_vec();
            (HookView::Payload(payload.clone()), Some(payload))
        }
        6 => {
            if be16(&segment, 2) != usize::from(PORT) {
                return (HookView::Ignored, None);
            }
            let offset = usize::from(segment[12] >> 4) * 4;
            if offset < 20 || offset > segment.len() {
                return (HookView::Ignored, None);
            }
            let pseudo = pseudo_header(case.family, 6, segment.len());
            assert_eq!(ones_sum(&[&pseudo, &segment]), 0xffff, "TCP checksum");
            (HookView::Payload(segment[offset..].to_vec()), None)
        }
        other => panic!("protocol {other}"),
    }
}

#[test]
fn every_shape_means_what_it_says() {
    let mut traffic = RawTraffic::new(3, PORT);
    for shape in Shape::ALL {
        for family in [Family::V4, Family::V6] {
            for _ in 0..300 {
                let case = traffic.case(shape, family);
                assert_eq!(case.shape, shape);
                assert_eq!(case.family, family);
                let (hook, delivered) = interpret(&case);
                assert_eq!(hook, case.hook, "{shape:?} over {family:?}");
                assert_eq!(delivered, case.delivered, "{shape:?} over {family:?}");
            }
        }
    }
}

#[test]
fn the_mix_covers_every_shape_and_both_families() {
    let mut traffic = RawTraffic::new(1, PORT);
    let mut seen: BTreeMap<(Shape, bool), usize> = BTreeMap::new();
    for _ in 0..5000 {
        let case = traffic.next_case();
        *seen
            .entry((case.shape, case.family == Family::V6))
            .or_default() += 1;
    }
    for shape in Shape::ALL {
        for v6 in [false, true] {
            assert!(
                seen.get(&(shape, v6)).copied().unwrap_or(0) >= 20,
                "{shape:?} {v6}"
            );
        }
    }
}

#[test]
fn fragments_never_share_an_identification_with_a_lone_fragment() {
    let mut traffic = RawTraffic::new(5, PORT);
    let mut whole = Vec::new();
    let mut lone = Vec::new();
    for _ in 0..40_000 {
        let case = traffic.next_case();
        let id = |case: &RawCase| {
            let fragment = parse(case.family, &case.packets[0]).fragment;
            fragment.map(|f| (case.family == Family::V6, f.0))
        };
        match case.shape {
            Shape::UdpFragments => whole.extend(id(&case)),
            Shape::LoneFragment => lone.extend(id(&case)),
            _ => {}
        }
    }
    assert!(whole.len() > 1000 && lone.len() > 100);
    for id in &lone {
        assert!(!whole.contains(id), "identification {id:x?}");
    }
}
