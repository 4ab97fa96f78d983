// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Sends one `address_book.AddressBook` with two people, as a length-prefixed frame over
//! UDP, to the address_book module: `address-book-send [ADDR:PORT]` (default
//! 127.0.0.1:60003).

use std::process::ExitCode;

use address_book::address_book::person::{PhoneNumber, PhoneType};
use address_book::address_book::{AddressBook, Person};
use example_support::{frame, send_to, udp_socket};

fn main() -> ExitCode {
    let target = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:60003".to_owned());
    match run(&target) {
        Ok(len) => {
            println!("sent an address book of {len} bytes to {target}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("address-book-send: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(target: &str) -> Result<usize, String> {
    let ada_phones = [
        PhoneNumber {
            number: "+44 20 7946 0018",
            r#type: PhoneType::PHONE_TYPE_HOME,
        },
        PhoneNumber {
            number: "+44 7700 900123",
            r#type: PhoneType::PHONE_TYPE_MOBILE,
        },
    ];
    let people = [
        Person {
            name: "Ada Lovelace",
            id: 1815,
            email: "ada@example.org",
            phones: &ada_phones,
        },
        Person {
            name: "Grace Hopper",
            id: 1906,
            email: "",
            phones: &[],
        },
    ];
    let book = AddressBook { people: &people };
    let frame = frame(&book)?;
    send_to(&udp_socket(target)?, target, &frame)?;
    Ok(frame.len())
}
