// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The traffic generator and the model, checked in user space before they are trusted
//! with a kernel module.

use std::collections::BTreeMap;

use lkm_pb_core::{encode_frame, Arena, Message};
use lkm_pb_hostile::hostile::Node;
use lkm_pb_hostile::model::{Counters, Model, Verdict, DEPTH_LIMIT};
use lkm_pb_hostile::traffic::{Category, Traffic, MAX_DATAGRAM_V4, MAX_DATAGRAM_V6};
use lkm_pb_hostile::wire;

#[test]
fn the_same_seed_gives_the_same_traffic() {
    let mut a = Traffic::new(42);
    let mut b = Traffic::new(42);
    let mut c = Traffic::new(43);
    let mut differs = false;
    for _ in 0..1000 {
        let (pa, pb, pc) = (
            a.next_packet(1000),
            b.next_packet(1000),
            c.next_packet(1000),
        );
        assert_eq!(pa.bytes, pb.bytes);
        assert_eq!(pa.category, pb.category);
        differs |= pa.bytes != pc.bytes;
    }
    assert!(differs);
}

#[test]
fn valid_datagrams_decode_completely() {
    let mut traffic = Traffic::new(7);
    let mut model = Model::new();
    for _ in 0..20_000 {
        let packet = traffic.packet(Category::Valid, MAX_DATAGRAM_V4);
        let udp = model.udp(&packet.bytes);
        assert_eq!(udp.counters.decode_errors, 0, "{:02x?}", packet.bytes);
        assert!(udp.counters.decoded >= 1);
        let nf = model.netfilter(&packet.bytes, false);
        assert_eq!(nf.counters.decode_errors, 0);
    }
}

/// Every category but `valid` must produce undecodable datagrams, and the mix must contain
/// every category, replies and both verdicts.
#[test]
fn the_mix_is_hostile() {
    let mut traffic = Traffic::new(1);
    let mut model = Model::new();
    let mut seen: BTreeMap<Category, (u64, u64)> = BTreeMap::new();
    let (mut replies, mut accepted, mut dropped) = (0, 0, 0);
    for i in 0..20_000 {
        let max = if i % 4 == 3 {
            MAX_DATAGRAM_V6
        } else {
            MAX_DATAGRAM_V4
        };
        let packet = traffic.next_packet(max);
        assert!(packet.bytes.len() <= max);
        let udp = model.udp(&packet.bytes);
        let entry = seen.entry(packet.category).or_default();
        entry.0 += 1;
        entry.1 += u64::from(udp.counters.decode_errors > 0);
        replies += udp.counters.replies;
        match model.netfilter(&packet.bytes, false).verdict {
            Verdict::Accept => accepted += 1,
            Verdict::Drop => dropped += 1,
        }
    }
    assert_eq!(seen.len(), Category::ALL.len(), "{seen:?}");
    for (category, (packets, rejected)) in &seen {
        if *category != Category::Valid {
            assert!(
                *rejected > 0,
                "{category:?}: {packets} packets, none rejected"
            );
        }
    }
    let rejected: u64 = seen.values().map(|(_, r)| r).sum();
    assert!(rejected > 20_000 / 4, "{seen:?}");
    assert!(replies > 1000 && accepted > 1000 && dropped > 1000);
}

/// Some maximum-size datagrams ask for more answers than one reply holds: the answers that
/// do not fit are counted as dropped.
#[test]
fn answers_can_outgrow_the_reply() {
    let mut traffic = Traffic::new(3);
    let mut model = Model::new();
    let mut overflowing = 0;
    for _ in 0..200 {
        let packet = traffic.packet(Category::MaxSize, MAX_DATAGRAM_V4);
        let outcome = model.udp(&packet.bytes);
        if outcome.counters.dropped > 0 {
            overflowing += 1;
            assert!(outcome.reply.len() > 65_000, "{}", outcome.reply.len());
        }
    }
    assert!(overflowing > 10, "{overflowing}");
}

#[test]
fn nesting_past_the_depth_limit_is_an_error() {
    let mut model = Model::new();
    for levels in 0..DEPTH_LIMIT + 4 {
        let mut body = Vec::new();
        wire::varint_field(&mut body, 1, 1);
        for _ in 0..levels {
            let mut outer = Vec::new();
            wire::bytes_field(&mut outer, 8, &body);
            body = outer;
        }
        let mut datagram = Vec::new();
        wire::frame(&mut datagram, &body);
        let outcome = model.udp(&datagram);
        let expected = u64::from(levels > DEPTH_LIMIT);
        assert_eq!(outcome.counters.decode_errors, expected, "{levels} levels");
    }
}

#[test]
fn udp_replies_follow_the_handler() {
    let mut model = Model::new();
    let mut datagram = [0u8; 64];
    let mut written = 0;
    for id in [4, 6, 8] {
        let node = Node {
            id,
            name: "x",
            ..Node::default()
        };
        written += encode_frame(&node, &mut datagram[written..]).unwrap();
    }
    let outcome = model.udp(&datagram[..written]);
    assert_eq!(
        outcome.counters,
        Counters {
            received: 1,
            decoded: 3,
            accepted: 3,
            replies: 1,
            ..Counters::default()
        }
    );
    // Ids 4 and 8 are answered (6 is a multiple of 3): two frames in one reply.
    let mut frames = lkm_pb_core::Frames::new(&outcome.reply);
    for id in [5, 9] {
        let body = frames.next().unwrap().unwrap();
        let mut memory = [0u8; 256];
        let reply = Node::decode(body, &mut Arena::new(&mut memory)).unwrap();
        assert_eq!((reply.id, reply.name, reply.stamp), (id, "x", Some(1)));
    }
    assert!(frames.next().is_none());
}

#[test]
fn netfilter_verdicts_follow_the_handler() {
    let mut model = Model::new();
    let frame = |id| {
        let mut out = vec![0u8; 32];
        let len = encode_frame(
            &Node {
                id,
                ..Node::default()
            },
            &mut out,
        )
        .unwrap();
        out.truncate(len);
        out
    };
    assert_eq!(model.netfilter(&frame(2), false).verdict, Verdict::Accept);
    assert_eq!(model.netfilter(&frame(3), false).verdict, Verdict::Drop);
    // The first dropped message decides; the frames after it are not decoded.
    let both = [frame(3), frame(2)].concat();
    let outcome = model.netfilter(&both, false);
    assert_eq!(
        (outcome.verdict, outcome.counters.decoded),
        (Verdict::Drop, 1)
    );
    // Undecodable payloads are dropped unless accept_undecodable is set; empty ones are
    // not looked at.
    assert_eq!(
        model.netfilter(&[0, 0, 0, 9, 1], false).verdict,
        Verdict::Drop
    );
    assert_eq!(
        model.netfilter(&[0, 0, 0, 9, 1], true).verdict,
        Verdict::Accept
    );
    assert_eq!(model.netfilter(&[], false).counters, Counters::default());
}

#[test]
fn counters_parse_the_stats_file() {
    let text = "received 5\ndecoded 4\ndecode_errors 1\naccepted 4\ndropped 0\nreplies 3\n";
    let c = Counters::parse(text).unwrap();
    assert_eq!(c.to_string(), text.trim_end().replace('\n', " "));
    assert!(Counters::parse("received 5\n").is_none());
    assert!(Counters::parse(&text.replace('5', "x")).is_none());
}
