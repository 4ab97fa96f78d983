// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The `address_book` messages, generated at build time by `lkm_codegen::compile` from
//! `address_book.proto`: the same code the kernel module uses.

/// The `address_book` protobuf package.
pub mod address_book {
    include!(concat!(env!("OUT_DIR"), "/address_book.rs"));
}

#[cfg(test)]
mod tests {
    use lkm_pb_core::{Arena, Message};

    use super::address_book::person::{PhoneNumber, PhoneType};
    use super::address_book::{AddressBook, Person};

    #[test]
    fn nested_round_trip() {
        let phones = [PhoneNumber {
            number: "+44 7700 900123",
            r#type: PhoneType::PHONE_TYPE_MOBILE,
        }];
        let people = [
            Person {
                name: "Ada Lovelace",
                id: 1815,
                email: "ada@example.org",
                phones: &phones,
            },
            Person {
                name: "Grace Hopper",
                id: 1906,
                email: "",
                phones: &[],
            },
        ];
        let book = AddressBook { people: &people };
        let mut out = [0u8; 256];
        let len = book.encode(&mut out).unwrap();
        let mut memory = [0u8; 1024];
        let decoded = AddressBook::decode(&out[..len], &mut Arena::new(&mut memory)).unwrap();
        assert_eq!(decoded, book);
    }
}
