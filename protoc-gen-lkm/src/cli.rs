// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The command line: `protoc-gen-lkm generate [OPTIONS] -o OUTDIR FILE.proto...`.
//!
//! Arguments are parsed with `clap`; a bad argument prints the usage and exits with 2. A
//! mistake in the `.proto` files prints `protoc-gen-lkm: file.proto:LINE: element: message`
//! and exits with 1.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use clap::Subcommand;
use lkm_codegen::Config;
use lkm_codegen::Flavour;

/// Generates Rust message code and Linux kernel modules from .proto files.
///
/// Run without arguments, it is a protoc plugin:
/// `protoc --plugin=protoc-gen-lkm=PATH --lkm_out=DIR [--lkm_opt=OPTIONS] FILE.proto`, with
/// OPTIONS a comma-separated list of flavour=none|udp|netfilter, message=PKG.MSG,
/// name=MODULE, keep_unknown=true|false, depth_limit=N, runtime=PATH, out_dir=DIR (the
/// --lkm_out directory: an existing handler.rs there is then left alone) and
/// handler=emit|skip.
#[derive(Debug, Parser)]
#[command(name = "protoc-gen-lkm", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Parses .proto files (no protoc needed) and writes the generated files into OUTDIR.
    Generate(GenerateArgs),
}

#[derive(Debug, clap::Args)]
struct GenerateArgs {
    /// The kind of kernel module to generate around the message code.
    #[arg(long, value_name = "none|udp|netfilter", default_value = "none")]
    flavour: Flavour,
    /// The full name of the message the kernel module receives.
    #[arg(long, value_name = "PKG.MSG")]
    message: Option<String>,
    /// The name of the kernel module.
    #[arg(long, value_name = "MODULE")]
    name: Option<String>,
    /// Keep unknown fields when decoding, so that encoding gives them back.
    #[arg(long)]
    keep_unknown_fields: bool,
    /// How deeply the messages a kernel module receives may nest (at most 32).
    #[arg(long, value_name = "N", default_value_t = lkm_codegen::MODULE_DEPTH_LIMIT)]
    depth_limit: u32,
    /// The Rust path of the runtime in generated code.
    #[arg(long, value_name = "PATH")]
    runtime: Option<String>,
    /// A directory where imports are looked up (repeatable); by default the directory of
    /// each file.
    #[arg(short = 'I', long = "include", value_name = "DIR")]
    includes: Vec<PathBuf>,
    /// The directory to write into.
    #[arg(short = 'o', long = "out", value_name = "OUTDIR")]
    out_dir: PathBuf,
    /// The .proto files to generate code for.
    #[arg(value_name = "FILE.proto", required = true)]
    protos: Vec<PathBuf>,
}

/// Runs the command line and returns the exit status.
pub(crate) fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // Prints help and version on stdout with status 0, mistakes on stderr with 2.
            let _ = e.print();
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
        }
    };
    let Command::Generate(args) = cli.command;
    let mut config = Config::new()
        .flavour(args.flavour)
        .keep_unknown_fields(args.keep_unknown_fields)
        .depth_limit(args.depth_limit)
        .out_dir(&args.out_dir);
    for include in &args.includes {
        config = config.include(include);
    }
    if let Some(message) = args.message {
        config = config.message(message);
    }
    if let Some(name) = args.name {
        config = config.module_name(name);
    }
    if let Some(runtime) = args.runtime {
        config = config.runtime_path(runtime);
    }
    match config.compile(&args.protos) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("protoc-gen-lkm: {e}");
            ExitCode::FAILURE
        }
    }
}
