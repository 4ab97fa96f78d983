// SPDX-License-Identifier: GPL-2.0

//! The Rust side of the kernel shim shared by every flavour: the module's counters and the
//! statistics file that shows them.
//!
//! The counters are plain atomics that the receive path bumps; `lkm_shim.c` reads them
//! through [`lkmpb_stats_read`] when someone reads `/sys/kernel/debug/<module>/stats`, and
//! the crate root logs them when the module unloads.

use core::ffi::c_int;
use core::sync::atomic::{
    AtomicU64,
    Ordering, //
};

use kernel::prelude::*;

/// One monotonically increasing event counter.
pub(crate) struct Counter(AtomicU64);

impl Counter {
    /// Returns a counter at zero.
    pub(crate) const fn new() -> Self {
        Self(AtomicU64::new(0))
    }

    /// Adds one; wraps around after 2^64 events instead of panicking.
    pub(crate) fn inc(&self) {
        self.0.fetch_add(1, Ordering::Relaxed);
    }

    /// Returns the current value.
    pub(crate) fn get(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

/// What the module counts, in the order the statistics file lists them.
pub(crate) struct Counters {
    /// Datagrams or packets that reached the module.
    pub(crate) received: Counter,
    /// Messages decoded successfully.
    pub(crate) decoded: Counter,
    /// Frames that were truncated, oversized or did not decode.
    pub(crate) decode_errors: Counter,
    /// Messages the handler accepted.
    pub(crate) accepted: Counter,
    /// Messages or replies dropped.
    pub(crate) dropped: Counter,
    /// Reply datagrams sent.
    pub(crate) replies: Counter,
}

/// The counters of this module.
pub(crate) static COUNTERS: Counters = Counters {
    received: Counter::new(),
    decoded: Counter::new(),
    decode_errors: Counter::new(),
    accepted: Counter::new(),
    dropped: Counter::new(),
    replies: Counter::new(),
};

impl Counters {
    /// Returns the values in the order of the statistics file.
    pub(crate) fn values(&self) -> [u64; 6] {
        [
            self.received.get(),
            self.decoded.get(),
            self.decode_errors.get(),
            self.accepted.get(),
            self.dropped.get(),
            self.replies.get(),
        ]
    }

    /// Logs every counter in one line.
    pub(crate) fn log_summary(&self) {
        let [received, decoded, errors, accepted, dropped, replies] = self.values();
        pr_info!(
            "received {} decoded {} decode_errors {} accepted {} dropped {} replies {}\n",
            received,
            decoded,
            errors,
            accepted,
            dropped,
            replies
        );
    }
}

/// Copies up to `count` counters into `out`; called by `lkm_shim.c`.
///
/// # Safety
///
/// `out` must be valid for writes of `count` values of `u64`.
#[unsafe(no_mangle)]
pub(crate) unsafe extern "C" fn lkmpb_stats_read(out: *mut u64, count: usize) {
    if out.is_null() {
        return;
    }
    // SAFETY: the caller guarantees that `out` is valid for `count` writes, and nothing
    // else refers to that memory during the call.
    let out = unsafe { core::slice::from_raw_parts_mut(out, count) };
    for (slot, value) in out.iter_mut().zip(COUNTERS.values()) {
        *slot = value;
    }
}

unsafe extern "C" {
    fn lkmpb_stats_create() -> c_int;
    fn lkmpb_stats_remove();
}

/// The statistics file `/sys/kernel/debug/<module>/stats`, removed when dropped.
pub(crate) struct StatsFile(());

impl StatsFile {
    /// Creates the statistics file. A kernel without debugfs has none; that is not an error.
    pub(crate) fn create() -> Result<Self> {
        // SAFETY: `lkmpb_stats_create` takes no arguments and only touches state of the
        // C shim; it is called once, from module init.
        let ret = unsafe { lkmpb_stats_create() };
        if ret < 0 {
            return Err(Error::from_errno(ret));
        }
        Ok(Self(()))
    }
}

impl Drop for StatsFile {
    fn drop(&mut self) {
        // SAFETY: the file was created by `StatsFile::create` and is removed only here.
        unsafe { lkmpb_stats_remove() };
    }
}
