// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Runtime of lkm-pb: Protocol Buffers for Linux kernel modules and user space.
//!
//! The crate has no dependencies, never allocates on its own and never panics, so that the
//! very same source files compile as this crate in user space and, copied verbatim into a
//! generated kernel module, as a submodule of a Rust-for-Linux crate. For that reason the
//! files refer to each other only through `super::` paths.
//!
//! The parts:
//! - [`wire`]: wire types, tags, varints and zigzag coding.
//! - [`decode`]: the [`Reader`](decode::Reader) over encoded bytes and the decode context.
//! - [`encode`]: the [`Writer`](encode::Writer) into a caller's buffer and size helpers.
//! - [`codec`]: one codec type per protobuf field type, used by generated code.
//! - [`arena`]: the bump [`Arena`] that holds sub-messages and repeated fields.
//! - [`repeated`]: the growable builder behind repeated fields, and [`Map`](map::Map).
//! - [`message`]: the [`Message`] trait every generated message implements.
//! - [`frame`]: the length-prefixed framing used between user space and modules.
//! - [`float`]: [`F32`]/[`F64`], IEEE-754 bits with integer-only helpers.
//! - [`error`]: the error types and their kernel errno values.

#![no_std]
#![deny(unsafe_op_in_unsafe_fn)]
#![deny(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects,
    clippy::undocumented_unsafe_blocks
)]

pub mod arena;
pub mod codec;
pub mod decode;
pub mod encode;
pub mod error;
pub mod float;
pub mod frame;
pub mod map;
pub mod message;
pub mod repeated;

pub mod wire;

pub use arena::Arena;
pub use decode::{DecodeContext, DecodeOptions, Reader};
pub use encode::Writer;
pub use error::{DecodeError, EncodeError, FrameError};
pub use float::{F32, F64};
pub use frame::{encode_frame, frame_len, Frames, FRAME_HEADER_LEN};
pub use map::Map;
pub use message::{Enumeration, Message};
pub use repeated::RepeatedBuilder;
pub use wire::WireType;
