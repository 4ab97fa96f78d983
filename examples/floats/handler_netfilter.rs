// SPDX-License-Identifier: GPL-2.0

//! The floats netfilter module's handler: drops readings above 10.1.
//!
//! Copy this file to `handler.rs` in the module generated with `--flavour netfilter`. The
//! comparison works on the IEEE-754 bits with integers only, so the hook never needs the
//! FPU (`kernel_fpu_begin`). A NaN compares false and is accepted.

use crate::lkm_pb::F32;
use crate::netfilter::Verdict;
use crate::proto::floats::Reading;

/// The largest value accepted: 10.1, written as 101 tenths.
const LIMIT: F32 = F32::from_scaled_or_zero(101, 1);

/// Drops readings whose value is above 10.1.
pub(crate) fn handle(message: &Reading) -> Verdict {
    if message.value.greater_than(LIMIT) {
        Verdict::Drop
    } else {
        Verdict::Accept
    }
}
