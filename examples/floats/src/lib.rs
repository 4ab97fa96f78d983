// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The `floats` messages, generated at build time by `lkm_codegen::compile` from
//! `floats.proto`: the same code the kernel module uses.

/// The `floats` protobuf package.
pub mod floats {
    include!(concat!(env!("OUT_DIR"), "/floats.rs"));
}
