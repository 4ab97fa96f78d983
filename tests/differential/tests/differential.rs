// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Random encodings of every corpus message, generated from the schema, through prost and
//! lkm; see `lkm_pb_differential::check` for what is compared and which disagreements are
//! accepted.

use lkm_pb_differential::gen::{Generator, Rng, Schema};
use lkm_pb_differential::{Outcome, MESSAGES, PARSER_RESULTS};

/// Encodings per message; `LKM_DIFF_CASES` overrides it.
fn cases() -> u64 {
    std::env::var("LKM_DIFF_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if cfg!(debug_assertions) { 500 } else { 5000 })
}

/// Fails with every failure report, at most a few per message.
fn report(failures: &[String]) {
    if !failures.is_empty() {
        panic!(
            "{} failures:\n{}",
            failures.len(),
            failures
                .iter()
                .take(12)
                .cloned()
                .collect::<Vec<_>>()
                .join("\n\n")
        );
    }
}

#[test]
fn table_covers_the_corpus() {
    assert!(MESSAGES.len() >= 60, "only {} messages", MESSAGES.len());
    let schema = Schema::corpus();
    for entry in MESSAGES {
        // Every entry names a message of the descriptors.
        let _ = schema.message(entry.name);
        // And an empty encoding round-trips on both sides.
        assert_eq!((entry.check)(&[]), Outcome::Agreed, "{}", entry.name);
    }
}

#[test]
fn schema_generated_encodings_agree() {
    let schema = Schema::corpus();
    let n = cases();
    let mut failures = Vec::new();
    let mut total = 0u64;
    let mut completed = 0u64;
    for (index, entry) in MESSAGES.iter().enumerate() {
        let mut generator = Generator::new(&schema, 0x5eed_0000 + index as u64);
        let mut failed_here = 0;
        for case in 0..n {
            let bytes = generator.encoding(entry.name);
            total += 1;
            match (entry.check)(&bytes) {
                Outcome::Agreed => {}
                Outcome::AgreedWithCompletedMapEntries => completed += 1,
                other => {
                    failed_here += 1;
                    if failed_here <= 2 {
                        let text = format!("{other:?}");
                        let short: String = text.chars().take(700).collect();
                        failures.push(format!("{} case {case}: {short}", entry.name));
                    }
                }
            }
        }
    }
    eprintln!(
        "{total} encodings over {} messages; {completed} needed completed map entries",
        MESSAGES.len()
    );
    report(&failures);
}

/// Valid encodings with one random mutation (truncation, a flipped byte, an inserted or
/// removed byte): lkm must accept what prost accepts, with equal values, and reject what prost
/// rejects unless the disagreement is a documented one.
#[test]
fn mutated_encodings_agree() {
    let schema = Schema::corpus();
    let n = cases();
    let mut failures = Vec::new();
    let (mut agreed, mut rejected, mut documented) = (0u64, 0u64, 0u64);
    for (index, entry) in MESSAGES.iter().enumerate() {
        let mut generator = Generator::new(&schema, 0xbad_0000 + index as u64);
        let mut rng = Rng::new(0x3_0000 + index as u64);
        let mut failed_here = 0;
        for case in 0..n {
            let mut bytes = generator.encoding(entry.name);
            mutate(&mut rng, &mut bytes);
            match (entry.check)(&bytes) {
                Outcome::Agreed | Outcome::AgreedWithCompletedMapEntries => agreed += 1,
                Outcome::BothRejected { .. } => rejected += 1,
                Outcome::Documented { .. } => documented += 1,
                Outcome::Failed(text) => {
                    failed_here += 1;
                    if failed_here <= 2 {
                        let short: String = text.chars().take(700).collect();
                        failures.push(format!("{} case {case}: {short}", entry.name));
                    }
                }
            }
        }
    }
    eprintln!("mutated: {agreed} agreed, {rejected} both rejected, {documented} documented");
    report(&failures);
}

fn mutate(rng: &mut Rng, bytes: &mut Vec<u8>) {
    if bytes.is_empty() {
        bytes.push(rng.next_u64() as u8);
        return;
    }
    let at = rng.below(bytes.len() as u64) as usize;
    match rng.below(5) {
        0 => bytes.truncate(at),
        1 => bytes[at] ^= 1 << rng.below(8),
        2 => bytes[at] = rng.next_u64() as u8,
        3 => bytes.insert(at, rng.next_u64() as u8),
        _ => {
            bytes.remove(at);
        }
    }
}

/// The built-in parser takes every corpus file but the one with groups nested in groups,
/// which it reports by name.
#[test]
fn parser_takes_the_corpus() {
    for (file, result) in PARSER_RESULTS {
        match (*file, result) {
            ("groups.proto", Err(e)) => assert!(e.contains("group inside a group"), "{e}"),
            (_, Ok(())) => {}
            (file, Err(e)) => panic!("{file}: {e}"),
        }
    }
}
