// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Code generator of lkm-pb.
//!
//! Reads `.proto` files (with its own pure-Rust parser front end, no `protoc` needed) or the
//! descriptors `protoc` hands to a plugin, and writes Rust message code for the
//! [`lkm-pb-core`] runtime and, on request, a complete Linux kernel module around it.
//!
//! In a `build.rs`:
//!
//! ```no_run
//! lkm_codegen::compile("proto/hello.proto").unwrap();
//! ```
//!
//! then in the crate: `include!(concat!(env!("OUT_DIR"), "/hello.rs"));` (one file per
//! package; see [`Config`] for the options).
//!
//! [`lkm-pb-core`]: https://docs.rs/lkm-pb-core

mod config;
mod error;
mod module;
mod parse;
mod rust;
mod source_info;

pub use config::{Config, Flavour, GeneratedFile, MAX_MODULE_DEPTH_LIMIT, MODULE_DEPTH_LIMIT};
pub use error::Error;
pub use rust::naming;

/// Generates user-space Rust for `proto` and its imports into `OUT_DIR`, for `build.rs`.
///
/// The include path is the directory of `proto`. Use [`Config`] for anything else.
pub fn compile(proto: impl AsRef<std::path::Path>) -> Result<(), Error> {
    Config::new().compile(&[proto])
}
