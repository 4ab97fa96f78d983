// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! nanopb through the C glue in `c/nanopb_glue.c`.
//!
//! The message structs stay opaque: a [`Nanopb`] owns storage as large as the largest of
//! them, and the glue decodes into it and encodes from it with the field table of one case.

use crate::values::Case;

/// Whether nanopb was found when the crate was built.
pub const AVAILABLE: bool = cfg!(has_nanopb);

#[cfg(has_nanopb)]
mod ffi {
    use std::ffi::{c_int, c_long, c_uint, c_void};

    /// nanopb's `pb_msgdesc_t`, only ever behind a pointer.
    #[repr(C)]
    pub(super) struct MsgDesc {
        _private: [u8; 0],
    }

    extern "C" {
        pub(super) fn nb_storage_size() -> usize;
        pub(super) fn nb_table(which: c_uint) -> *const MsgDesc;
        pub(super) fn nb_decode(
            table: *const MsgDesc,
            buf: *const u8,
            len: usize,
            msg: *mut c_void,
        ) -> c_int;
        pub(super) fn nb_encode(
            table: *const MsgDesc,
            msg: *const c_void,
            out: *mut u8,
            cap: usize,
        ) -> c_long;
    }
}

/// Storage for one nanopb message of one case.
pub struct Nanopb {
    #[cfg(has_nanopb)]
    table: *const ffi::MsgDesc,
    storage: Vec<u64>,
}

impl Nanopb {
    /// Returns storage for the message of `case`, or `None` without nanopb.
    #[cfg(has_nanopb)]
    pub fn new(case: Case) -> Option<Self> {
        let which = match case {
            Case::Message => 0,
            Case::Message3 => 1,
            Case::Foo => 2,
            Case::Packed => 3,
            Case::Fixed32s => 4,
        };
        // SAFETY: both functions only read static data.
        let (table, size) = unsafe { (ffi::nb_table(which), ffi::nb_storage_size()) };
        if table.is_null() {
            return None;
        }
        Some(Self {
            table,
            storage: vec![0; size.div_ceil(8)],
        })
    }

    /// Returns `None`: nanopb was not built in.
    #[cfg(not(has_nanopb))]
    pub fn new(_case: Case) -> Option<Self> {
        None
    }

    /// Decodes `bytes` into the storage; returns `true` on success.
    #[cfg(has_nanopb)]
    pub fn decode(&mut self, bytes: &[u8]) -> bool {
        // SAFETY: the storage is as large as every message struct and 8-byte aligned; the
        // table belongs to one of them and `bytes` is valid for its length.
        unsafe {
            ffi::nb_decode(
                self.table,
                bytes.as_ptr(),
                bytes.len(),
                self.storage.as_mut_ptr().cast(),
            ) == 1
        }
    }

    /// Encodes the storage into `out`; returns the number of bytes written.
    #[cfg(has_nanopb)]
    pub fn encode(&self, out: &mut [u8]) -> Option<usize> {
        // SAFETY: as in `decode`; the storage holds a message decoded with the same table
        // (or zeroes, an empty message), and `out` is valid for writes of its length.
        let written = unsafe {
            ffi::nb_encode(
                self.table,
                self.storage.as_ptr().cast(),
                out.as_mut_ptr(),
                out.len(),
            )
        };
        usize::try_from(written).ok()
    }

    /// Returns `false`: nanopb was not built in.
    #[cfg(not(has_nanopb))]
    pub fn decode(&mut self, _bytes: &[u8]) -> bool {
        let _ = &self.storage;
        false
    }

    /// Returns `None`: nanopb was not built in.
    #[cfg(not(has_nanopb))]
    pub fn encode(&self, _out: &mut [u8]) -> Option<usize> {
        None
    }
}
