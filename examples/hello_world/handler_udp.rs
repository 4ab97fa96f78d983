// SPDX-License-Identifier: GPL-2.0

//! The hello_world UDP module's handler: logs `bar` and replies with `bar + 1`.
//!
//! Copy this file to `handler.rs` in the module generated with `--flavour udp`.

use kernel::prelude::*;

use crate::proto::hello_world::Foo;

/// Logs the message and replies with `bar + 1`.
pub(crate) fn handle(message: &Foo) -> Option<Foo> {
    pr_info!("handler got bar={}\n", message.bar);
    Some(Foo {
        bar: message.bar.wrapping_add(1),
    })
}
