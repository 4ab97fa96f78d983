// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! `protoc-gen-lkm`: the lkm-pb generator as a `protoc` plugin and as a command line.
//!
//! Run without arguments, as `protoc` runs its plugins, it reads a `CodeGeneratorRequest` on
//! standard input and answers a `CodeGeneratorResponse` on standard output ([`plugin`]).
//! With the `generate` subcommand it parses the `.proto` files itself, with no `protoc`
//! needed, and writes the files ([`cli`]). Both hand the descriptors to the same
//! [`lkm_codegen::Config::generate_from_descriptors`], so they give the same files.

mod cli;
mod plugin;

use std::io::IsTerminal as _;
use std::process::ExitCode;

fn main() -> ExitCode {
    if std::env::args_os().len() <= 1 {
        if std::io::stdin().is_terminal() {
            eprintln!(
                "protoc-gen-lkm: expected a CodeGeneratorRequest from protoc on standard input; \
                 see `protoc-gen-lkm --help` for the command line"
            );
            return ExitCode::from(2);
        }
        return plugin::run();
    }
    cli::run()
}
