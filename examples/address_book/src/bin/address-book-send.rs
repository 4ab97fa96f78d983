// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Sends one `address_book.AddressBook` with two people, as a length-prefixed frame over
//! UDP, to the address_book module: `address-book-send [ADDR:PORT]` (default
//! 127.0.0.1:60003).

use std::net::UdpSocket;
use std::process::ExitCode;

use address_book::address_book::person::{PhoneNumber, PhoneType};
use address_book::address_book::{AddressBook, Person};
use lkm_pb_core::encode_frame;

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
    let mut frame = [0u8; 512];
    let len = encode_frame(&book, &mut frame).map_err(|e| e.to_string())?;
    let bind = if target.starts_with('[') {
        "[::]:0"
    } else {
        "0.0.0.0:0"
    };
    let socket = UdpSocket::bind(bind).map_err(|e| format!("bind: {e}"))?;
    socket
        .send_to(frame.get(..len).unwrap_or_default(), target)
        .map_err(|e| format!("send to {target}: {e}"))?;
    Ok(len)
}
