// SPDX-License-Identifier: GPL-2.0

//! The hostile-traffic netfilter module's handler: accepts messages with an even `id` and
//! drops the others. The client's model (`src/model.rs`) compiles this file too and
//! decides with it in user space.
//!
//! Copy this file to `handler.rs` in the module generated from `hostile.proto` with
//! `--flavour netfilter`.

use crate::netfilter::Verdict;
use crate::proto::hostile::Node;

/// Accepts a message whose `id` is even and drops one whose `id` is odd.
pub(crate) fn handle(message: &Node<'_>) -> Verdict {
    if message.id % 2 == 0 {
        Verdict::Accept
    } else {
        Verdict::Drop
    }
}
