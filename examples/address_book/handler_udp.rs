// SPDX-License-Identifier: GPL-2.0

//! The address_book UDP module's handler: logs the people of every address book it
//! receives.
//!
//! Copy this file to `handler.rs` in the module generated with `--flavour udp`. It runs in
//! the module's receive thread; an example logs at info level, a real module would log
//! less.

use kernel::prelude::*;

use crate::proto::address_book::AddressBook;

/// Logs each person with their phone numbers; sends no reply.
pub(crate) fn handle<'a>(message: &AddressBook<'a>) -> Option<AddressBook<'a>> {
    pr_info!("address book with {} people\n", message.people.len());
    for person in message.people {
        pr_info!(
            "person id={} name=\"{}\" email=\"{}\" phones={}\n",
            person.id,
            person.name,
            person.email,
            person.phones.len()
        );
        for phone in person.phones {
            pr_info!("  phone {} {:?}\n", phone.number, phone.r#type);
        }
    }
    None
}
