// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Generates the message code for `address_book.proto` into `OUT_DIR`.

fn main() {
    if let Err(error) = lkm_codegen::compile("address_book.proto") {
        eprintln!("{error}");
        std::process::exit(1);
    }
}
