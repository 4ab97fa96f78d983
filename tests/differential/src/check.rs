// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The differential check of one encoding: prost and lkm decode it, and what each accepts the
//! other must read back to the same value.
//!
//! # Accepted disagreements
//!
//! prost rejects and lkm accepts, and nothing else:
//! - A known field number with a wire type that does not match the field's type (for
//!   example a varint under the number of a `string` field, or a map entry key with the wrong
//!   wire type). lkm treats such a field as an unknown field and skips it, as Google's C++
//!   and Java runtimes do; prost fails with "invalid wire type: X (expected Y)". The check
//!   recognises this case by prost's error text.
//! - A ten-byte varint whose last byte is above 1, i.e. carries bits beyond bit 63. lkm
//!   keeps the low 64 bits and goes on (the runtime only rejects varints longer than ten
//!   bytes, `VarintTooLong`); prost fails with "invalid varint". A varint cut off by the end
//!   of the input is rejected by both, so when lkm accepts and prost says "invalid varint",
//!   this is the case.
//!
//! # The one structural difference in canonical encodings
//!
//! prost leaves a key or value equal to its default out of a map entry; lkm writes both
//! (as Google's C++, Java and Go runtimes do). The byte-for-byte check first compares with
//! prost's canonical encoding as it is, then, only if that differs, with the same bytes after
//! [`complete_map_entries`](crate::gen::complete_map_entries), which changes nothing but
//! those entries. Such cases are counted as [`Outcome::AgreedWithCompletedMapEntries`].

use core::fmt::Debug;

use lkm_pb_core::{DecodeError, DecodeOptions, EncodeError, Message};

/// What the lkm side produced from one encoding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Roundtrip {
    /// The bytes `encode` wrote.
    pub encoded: Vec<u8>,
    /// What `encoded_len` returned before encoding.
    pub encoded_len: usize,
    /// Arena bytes the decode used.
    pub arena_used: usize,
    /// Whether encoding into a buffer one byte too small failed with `BufferTooSmall`
    /// (`true` for empty encodings, where there is no smaller buffer).
    pub short_buffer_rejected: bool,
}

/// The result of the differential check on one encoding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Both accepted, and every comparison held.
    Agreed,
    /// Both accepted and every comparison held, once prost's canonical encoding had its map
    /// entries completed with the default keys and values it leaves out (see
    /// [`complete_map_entries`](crate::gen::complete_map_entries)).
    AgreedWithCompletedMapEntries,
    /// Both rejected the encoding.
    BothRejected {
        /// prost's error text.
        prost: String,
        /// lkm's error.
        lkm: DecodeError,
    },
    /// prost rejected, lkm accepted, for a reason listed in the module documentation.
    Documented {
        /// prost's error text.
        prost: String,
    },
    /// A check failed; the text says which and shows the bytes.
    Failed(String),
}

/// Encodes a decoded lkm message and records what happened.
pub fn roundtrip<'a, M: Message<'a>>(message: &M, arena_used: usize) -> Roundtrip {
    let encoded_len = message.encoded_len();
    let mut out = vec![0u8; encoded_len.saturating_add(16)];
    let written = match message.encode(&mut out) {
        Ok(n) => n,
        Err(e) => panic!("encode into a buffer of encoded_len + 16 bytes failed: {e}"),
    };
    out.truncate(written);
    let short_buffer_rejected = match encoded_len.checked_sub(1) {
        None => true,
        Some(short) => {
            let mut small = vec![0u8; short];
            matches!(
                message.encode(&mut small),
                Err(EncodeError::BufferTooSmall { needed, available })
                    if needed == encoded_len && available == short
            )
        }
    };
    Roundtrip {
        encoded: out,
        encoded_len,
        arena_used,
        short_buffer_rejected,
    }
}

/// Decodes with prost and encodes again.
pub fn prost_roundtrip<P: prost::Message + Default>(bytes: &[u8]) -> Result<Vec<u8>, String> {
    P::decode(bytes)
        .map(|p| p.encode_to_vec())
        .map_err(|e| e.to_string())
}

/// Runs the lkm side with an arena that grows until the decode no longer runs out of room.
pub fn lkm_generous(lkm: crate::LkmFn, bytes: &[u8]) -> Result<Roundtrip, DecodeError> {
    let mut size = 64 * 1024;
    loop {
        let mut arena = vec![0u8; size];
        match lkm(bytes, &mut arena, DecodeOptions::new()) {
            Err(DecodeError::ArenaExhausted) if size < 256 << 20 => size *= 4,
            other => return other,
        }
    }
}

/// Returns `true` when prost's error is one of the accepted disagreements.
pub fn documented_rejection(prost_error: &str) -> bool {
    (prost_error.contains("invalid wire type") && prost_error.contains("(expected"))
        || prost_error.ends_with("invalid varint")
}

/// Formats bytes as hex for failure messages.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Runs the differential check of `bytes` with prost type `P` and the lkm side `lkm`.
pub fn differential<P>(name: &str, bytes: &[u8], lkm: crate::LkmFn) -> Outcome
where
    P: prost::Message + Default + PartialEq + Debug,
{
    let fail = |what: String| Outcome::Failed(format!("{what}\n  input: {}", hex(bytes)));
    let lkm_result = lkm_generous(lkm, bytes);
    let decoded = match (P::decode(bytes), lkm_result) {
        (Ok(p), Ok(l)) => (p, l),
        (Ok(p), Err(e)) => return fail(format!("prost accepted ({p:?}), lkm rejected: {e:?}")),
        (Err(pe), Err(le)) => {
            return Outcome::BothRejected {
                prost: pe.to_string(),
                lkm: le,
            }
        }
        (Err(pe), Ok(l)) => {
            let pe = pe.to_string();
            if documented_rejection(&pe) {
                return Outcome::Documented { prost: pe };
            }
            return fail(format!(
                "prost rejected ({pe}), lkm accepted and re-encoded {}",
                hex(&l.encoded)
            ));
        }
    };
    let (p, l) = decoded;
    if let Some(problem) = check_roundtrip(&l) {
        return fail(problem);
    }

    // Equal values, through prost: lkm's re-encoding must decode to what prost decoded.
    let q = match P::decode(l.encoded.as_slice()) {
        Ok(q) => q,
        Err(e) => {
            return fail(format!(
                "prost rejects lkm's encoding {}: {e}",
                hex(&l.encoded)
            ))
        }
    };
    let canonical = p.encode_to_vec();
    // NaN is not equal to itself; then the canonical encodings decide, which prost writes
    // from the same bits.
    if q != p && q.encode_to_vec() != canonical {
        return fail(format!(
            "values differ\n  prost:      {p:?}\n  via lkm:    {q:?}\n  lkm bytes:  {}",
            hex(&l.encoded)
        ));
    }

    // prost -> lkm: lkm must write prost's canonical encoding byte for byte.
    let l2 = match lkm_generous(lkm, &canonical) {
        Ok(l2) => l2,
        Err(e) => {
            return fail(format!(
                "lkm rejects prost's canonical encoding {}: {e:?}",
                hex(&canonical)
            ))
        }
    };
    if let Some(problem) = check_roundtrip(&l2) {
        return fail(problem);
    }
    if l2.encoded != canonical {
        // The one structural difference, see `gen::complete_map_entries`.
        let schema = crate::gen::Schema::corpus_cached();
        let completed = crate::gen::complete_map_entries(schema, name, &canonical);
        if completed.as_deref() == Some(l2.encoded.as_slice()) {
            return Outcome::AgreedWithCompletedMapEntries;
        }
    }
    if l2.encoded != canonical {
        return fail(format!(
            "lkm does not reproduce the canonical encoding\n  prost: {}\n  lkm:   {}\n  value: {p:?}",
            hex(&canonical),
            hex(&l2.encoded)
        ));
    }
    Outcome::Agreed
}

/// Checks what the lkm side reports about its own encoding.
fn check_roundtrip(l: &Roundtrip) -> Option<String> {
    if l.encoded_len != l.encoded.len() {
        return Some(format!(
            "encoded_len {} but encode wrote {} bytes",
            l.encoded_len,
            l.encoded.len()
        ));
    }
    if !l.short_buffer_rejected {
        return Some("encode into a buffer one byte short did not fail".to_owned());
    }
    None
}
