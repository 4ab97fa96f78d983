// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Writes the seed corpora `seeds/messages` and `seeds/frames` from the schema: for every
//! corpus message, a short valid encoding made by the differential crate's generator, behind
//! the fuzz input header. Run once after the corpus changes:
//! `cargo +nightly run --manifest-path fuzz/Cargo.toml --example make_seeds`.

use std::fs;
use std::path::Path;

use lkm_pb_differential::gen::{Generator, Schema};
use lkm_pb_differential::MESSAGES;

/// Longest encoding kept as a seed, so that the corpora stay a few kilobytes.
const MAX_SEED: usize = 48;

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    let messages = dir.join("messages");
    let frames = dir.join("frames");
    for d in [&messages, &frames] {
        let _ = fs::remove_dir_all(d);
        fs::create_dir_all(d).expect("create seed dir");
    }
    let schema = Schema::corpus();
    let (mut count, mut bytes) = (0usize, 0usize);
    for (index, entry) in MESSAGES.iter().enumerate() {
        let index = u8::try_from(index).expect("at most 256 messages");
        let mut generator = Generator::new(&schema, 0xf022_0000 + u64::from(index));
        // The shortest non-empty encoding of a few tries; recursive messages can make even
        // that one longer than MAX_SEED, and it is kept whole so that every seed is valid.
        let mut tries: Vec<Vec<u8>> = (0..16).map(|_| generator.encoding(entry.name)).collect();
        tries.retain(|e| !e.is_empty());
        tries.sort_by_key(|e| e.len());
        let Some(shortest) = tries.first() else {
            continue;
        };
        let encoding = shortest.as_slice();
        // Header: message, 16 KiB arena, default depth.
        let mut seed = vec![index, 0x00, 0x40, 0xff];
        seed.extend_from_slice(encoding);
        bytes += seed.len();
        count += 1;
        fs::write(messages.join(format!("{index:03}")), seed).expect("write seed");

        // Every fourth message also gets a buffer of two frames, the second one cut short.
        if index % 4 == 0 && tries.len() >= 2 && tries[1].len() <= MAX_SEED {
            let second = tries[1].as_slice();
            let mut seed = vec![index, 0x00, 0x40, 0xff];
            for body in [encoding, second] {
                seed.extend_from_slice(&(body.len() as u32).to_be_bytes());
                seed.extend_from_slice(body);
            }
            seed.truncate(seed.len() - 1);
            bytes += seed.len();
            count += 1;
            fs::write(frames.join(format!("{index:03}")), seed).expect("write seed");
        }
    }
    println!("{count} seeds, {bytes} bytes");
}
