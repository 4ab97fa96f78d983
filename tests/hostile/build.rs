// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Generates the message code for `hostile.proto` into `OUT_DIR`.

fn main() {
    if let Err(error) = lkm_codegen::compile("hostile.proto") {
        eprintln!("{error}");
        std::process::exit(1);
    }
}
