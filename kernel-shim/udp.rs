// SPDX-License-Identifier: GPL-2.0

//! The Rust side of the UDP flavour: the server handle and the datagram callback.
//!
//! `lkm_shim.c` owns the socket and the kernel thread. The thread receives each datagram
//! into a buffer and calls [`lkmpb_udp_datagram`], which hands the bytes, an arena buffer
//! and a reply buffer to `crate::process_datagram` (generated for the module's message
//! type) and returns the length of the reply to send back to the sender. The reply holds
//! at most one UDP datagram's payload for the socket's family (65,507 bytes over IPv4,
//! 65,527 over IPv6); the thread then reports with [`lkmpb_udp_reply_sent`] whether the
//! socket sent it.
//!
//! The counters mean, for this flavour: `received` datagrams, `decoded` frames, frames
//! that were truncated, oversized or failed to decode (`decode_errors`; a datagram larger
//! than 65535 bytes counts as one), messages passed to the handler (`accepted`), reply
//! messages that did not fit the reply buffer and reply datagrams the socket refused
//! (`dropped`), and reply datagrams sent (`replies`).

use core::ffi::c_int;

use kernel::prelude::*;

use crate::shim::COUNTERS;

unsafe extern "C" {
    fn lkmpb_udp_start() -> c_int;
    fn lkmpb_udp_stop();
}

/// The socket and the kernel thread receiving on it; stopped when dropped.
pub(crate) struct UdpServer(());

impl UdpServer {
    /// Binds the socket to the `addr` and `port` parameters, and starts the thread.
    ///
    /// Does not wait for any traffic.
    pub(crate) fn start() -> Result<Self> {
        // SAFETY: `lkmpb_udp_start` takes no arguments and only touches state of the C shim;
        // it is called once, from module init, before any `stop`.
        let ret = unsafe { lkmpb_udp_start() };
        if ret < 0 {
            return Err(Error::from_errno(ret));
        }
        Ok(Self(()))
    }

    /// Shuts the socket down, stops the thread and releases the socket; idempotent.
    pub(crate) fn stop(&mut self) {
        // SAFETY: the server was started by `UdpServer::start`; `lkmpb_udp_stop` does
        // nothing when called again.
        unsafe { lkmpb_udp_stop() };
    }
}

impl Drop for UdpServer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Handles one datagram for the receive thread of `lkm_shim.c`; returns the reply length.
///
/// # Safety
///
/// `data` must be valid for reads of `len` bytes, `arena` and `reply` for writes of
/// `arena_cap` and `reply_cap` bytes, and none of the three may overlap or be used by
/// anything else during the call.
#[unsafe(no_mangle)]
pub(crate) unsafe extern "C" fn lkmpb_udp_datagram(
    data: *const u8,
    len: usize,
    truncated: bool,
    arena: *mut u8,
    arena_cap: usize,
    reply: *mut u8,
    reply_cap: usize,
) -> usize {
    COUNTERS.received.inc();
    if truncated || data.is_null() || arena.is_null() || reply.is_null() {
        COUNTERS.decode_errors.inc();
        return 0;
    }
    // SAFETY: the caller guarantees that `data` is valid for `len` reads and not written
    // during the call.
    let datagram = unsafe { core::slice::from_raw_parts(data, len) };
    // SAFETY: the caller guarantees that `arena` is valid for `arena_cap` writes and used by
    // nothing else during the call.
    let arena = unsafe { core::slice::from_raw_parts_mut(arena, arena_cap) };
    // SAFETY: as for `arena`, with `reply` and `reply_cap`.
    let reply = unsafe { core::slice::from_raw_parts_mut(reply, reply_cap) };
    crate::process_datagram(datagram, arena, reply)
}

/// Counts the reply to one datagram: sent, or refused by the socket (a full send buffer,
/// an unreachable peer), which loses its messages and counts as one `dropped`.
#[unsafe(no_mangle)]
pub(crate) extern "C" fn lkmpb_udp_reply_sent(sent: bool) {
    if sent {
        COUNTERS.replies.inc();
    } else {
        COUNTERS.dropped.inc();
    }
}
