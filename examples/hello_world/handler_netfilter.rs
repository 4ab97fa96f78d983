// SPDX-License-Identifier: GPL-2.0

//! The hello_world netfilter module's handler: drops messages with `bar >= 20`.
//!
//! Copy this file to `handler.rs` in the module generated with `--flavour netfilter`. It
//! runs in the netfilter hook, so it only compares and counts: no logging per packet.

use crate::netfilter::Verdict;
use crate::proto::hello_world::Foo;

/// The smallest `bar` that is dropped.
const DROP_FROM: i32 = 20;

/// Accepts messages with `bar` below 20 and drops the others.
pub(crate) fn handle(message: &Foo) -> Verdict {
    if message.bar >= DROP_FROM {
        Verdict::Drop
    } else {
        Verdict::Accept
    }
}
