// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Differential tests of the lkm-pb generated code against prost, over the corpus in
//! `tests/corpus`.
//!
//! The build script generates both sides from the same `.proto` files and a table with one
//! [`Entry`] per message. [`gen`] writes random encodings from the schema, [`check`] runs
//! one encoding through both decoders and compares what comes out.

pub mod check;
pub mod gen;

include!(concat!(env!("OUT_DIR"), "/mods.rs"));

pub use check::{Outcome, Roundtrip};

/// The encoded `FileDescriptorSet` of the corpus and its imports, as `protoc` wrote it.
pub static DESCRIPTORS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/corpus.desc"));

/// Decodes `bytes` with the lkm type of an entry into an arena over `arena`, then encodes the
/// result again.
pub type LkmFn = fn(
    bytes: &[u8],
    arena: &mut [u8],
    options: lkm_pb_core::DecodeOptions,
) -> Result<Roundtrip, lkm_pb_core::DecodeError>;

/// One message of the corpus with the checks that run on it.
pub struct Entry {
    /// The full protobuf name, without a leading dot.
    pub name: &'static str,
    /// Runs the differential check on an encoding of this message.
    pub check: fn(&[u8]) -> Outcome,
    /// The lkm side alone.
    pub lkm: LkmFn,
    /// Decodes with prost and encodes again; `Err` holds prost's error text.
    pub prost: fn(&[u8]) -> Result<Vec<u8>, String>,
}

/// Builds the [`Entry`] of message `$name` from the paths of its lkm and prost types.
#[macro_export]
macro_rules! entry {
    ($name:expr, $lkm:path, $prost:path) => {{
        fn lkm(
            bytes: &[u8],
            arena: &mut [u8],
            options: ::lkm_pb_core::DecodeOptions,
        ) -> Result<$crate::Roundtrip, ::lkm_pb_core::DecodeError> {
            let mut arena = ::lkm_pb_core::Arena::new(arena);
            let message =
                <$lkm as ::lkm_pb_core::Message<'_>>::decode_with(bytes, &mut arena, options)?;
            Ok($crate::check::roundtrip(&message, arena.used()))
        }
        fn check(bytes: &[u8]) -> $crate::Outcome {
            $crate::check::differential::<$prost>($name, bytes, lkm)
        }
        fn prost(bytes: &[u8]) -> Result<Vec<u8>, String> {
            $crate::check::prost_roundtrip::<$prost>(bytes)
        }
        $crate::Entry {
            name: $name,
            check,
            lkm,
            prost,
        }
    }};
}

include!(concat!(env!("OUT_DIR"), "/dispatch.rs"));

/// Returns the entry of message `name`.
pub fn entry(name: &str) -> &'static Entry {
    MESSAGES
        .iter()
        .find(|e| e.name == name)
        .unwrap_or_else(|| panic!("no message {name} in the corpus"))
}

include!(concat!(env!("OUT_DIR"), "/parser_results.rs"));
