// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The `address_book` messages, generated at build time by `lkm_codegen::compile` from
//! `address_book.proto`: the same code the kernel module uses.

/// The `address_book` protobuf package.
pub mod address_book {
    include!(concat!(env!("OUT_DIR"), "/address_book.rs"));
}
