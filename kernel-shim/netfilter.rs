// SPDX-License-Identifier: GPL-2.0

//! The Rust side of the netfilter flavour: the verdict type, the hook handle and the packet
//! callback.
//!
//! `lkm_shim.c` owns the hooks (IPv4 and IPv6, at the point the `hook` parameter names) and
//! the per-CPU buffers. For each TCP or UDP packet to the filtered port that carries a
//! payload, the hook calls [`lkmpb_nf_packet`] with the payload and this CPU's arena buffer;
//! `crate::process_packet` (generated for the module's message type) splits the payload into
//! frames, decodes them and asks the handler for a [`Verdict`].
//!
//! A TCP segment is looked at on its own: TCP messages split across segments are not
//! reassembled, so such a segment counts as a decode error and gets the verdict for
//! undecodable payloads. Payloads without bytes (the TCP handshake, ACKs) never reach Rust.
//!
//! The counters mean, for this flavour: `received` packets with a payload to the port,
//! `decoded` messages, `decode_errors` (truncated, oversized or undecodable frames, and
//! payloads longer than 65535 bytes), and the packets `accepted` and `dropped`: every
//! received packet is counted in exactly one of the two.

use core::ffi::c_int;

use kernel::prelude::*;

use crate::shim::COUNTERS;

/// What happens to a packet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// Let the packet through.
    Accept,
    /// Discard the packet.
    Drop,
}

unsafe extern "C" {
    fn lkmpb_param_accept_undecodable() -> bool;
    fn lkmpb_nf_start() -> c_int;
    fn lkmpb_nf_stop();
}

/// Returns the verdict for a payload that does not decode: the module's `accept_undecodable`
/// parameter, declared in `lkm_shim.c`.
pub(crate) fn undecodable_verdict() -> Verdict {
    // SAFETY: `lkmpb_param_accept_undecodable` takes no arguments and reads a read-only
    // parameter that the kernel set before module init.
    if unsafe { lkmpb_param_accept_undecodable() } {
        Verdict::Accept
    } else {
        Verdict::Drop
    }
}

/// The registered netfilter hooks; unregistered when dropped.
pub(crate) struct NetfilterHook(());

impl NetfilterHook {
    /// Registers the hooks for TCP and UDP to the `port` parameter, at the point the `hook`
    /// parameter names.
    pub(crate) fn register() -> Result<Self> {
        // SAFETY: `lkmpb_nf_start` takes no arguments and only touches state of the C shim;
        // it is called once, from module init, before any `unregister`.
        let ret = unsafe { lkmpb_nf_start() };
        if ret < 0 {
            return Err(Error::from_errno(ret));
        }
        Ok(Self(()))
    }

    /// Unregisters the hooks, waits for packets still inside them and frees the buffers;
    /// idempotent.
    pub(crate) fn unregister(&mut self) {
        // SAFETY: the hooks were registered by `NetfilterHook::register`; `lkmpb_nf_stop`
        // does nothing when called again.
        unsafe { lkmpb_nf_stop() };
    }
}

impl Drop for NetfilterHook {
    fn drop(&mut self) {
        self.unregister();
    }
}

/// Decides on one packet payload for the hook of `lkm_shim.c`; returns `true` to accept.
///
/// `unreadable` (or a null `data`) means that the payload could not be read whole (larger
/// than the buffers, the first fragment of a datagram that is not reassembled, or a UDP
/// datagram whose length field is shorter than its header or longer than the packet); it
/// then counts as a decode error.
///
/// # Safety
///
/// Unless null, `data` must be valid for reads of `len` bytes and `arena` for writes of
/// `arena_cap` bytes, the two must not overlap, and nothing else may use `arena` during the
/// call.
#[unsafe(no_mangle)]
pub(crate) unsafe extern "C" fn lkmpb_nf_packet(
    data: *const u8,
    len: usize,
    unreadable: bool,
    arena: *mut u8,
    arena_cap: usize,
) -> bool {
    COUNTERS.received.inc();
    let verdict = if unreadable || data.is_null() || arena.is_null() {
        COUNTERS.decode_errors.inc();
        undecodable_verdict()
    } else {
        // SAFETY: the caller guarantees that `data` is valid for `len` reads and not written
        // during the call.
        let payload = unsafe { core::slice::from_raw_parts(data, len) };
        // SAFETY: the caller guarantees that `arena` is valid for `arena_cap` writes and
        // used by nothing else during the call.
        let arena = unsafe { core::slice::from_raw_parts_mut(arena, arena_cap) };
        crate::process_packet(payload, arena)
    };
    match verdict {
        Verdict::Accept => COUNTERS.accepted.inc(),
        Verdict::Drop => COUNTERS.dropped.inc(),
    }
    verdict == Verdict::Accept
}
