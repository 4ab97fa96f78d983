// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Generates the message code of every library under test from the same two schemas.
//!
//! - `OUT_DIR/lkm/`: lkm-pb, from `lkm_codegen`.
//! - `OUT_DIR/prost/`: prost, from `prost_build` (maps as `BTreeMap`, so that values compare
//!   and print in one order).
//! - `OUT_DIR/micropb.rs`: micropb with `heapless` containers, from `micropb_gen`.
//! - `OUT_DIR/quick/`: quick-protobuf, from `pb-rs`.
//! - `OUT_DIR/nanopb/`: nanopb's C structs and field tables, from Debian's `nanopb`
//!   generator, compiled with `c/nanopb_glue.c` and linked with `libprotobuf-nanopb.a`.
//!   Only when the generator and the library are installed (and `LKM_BENCH_NO_NANOPB` is
//!   not set); otherwise the build goes on without the nanopb column and says so
//!   (`ci/bench` installs both).
//!
//! The capacities of micropb's containers match those in `c/nanopb.options`.

use std::env;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Where Debian's `libnanopb-dev` puts the static library and its headers.
const NANOPB_LIB_DIR: &str = "/usr/lib/x86_64-linux-gnu";
const NANOPB_LIB: &str = "libprotobuf-nanopb.a";
const NANOPB_HEADER: &str = "/usr/include/pb.h";

fn main() {
    let manifest = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("OUT_DIR"));
    let corpus = manifest.join("../tests/corpus");
    let local = manifest.join("proto");
    let protos = [corpus.join("benchmark.proto"), local.join("cases.proto")];
    for path in protos.iter().chain([&manifest.join("c")]) {
        println!("cargo:rerun-if-changed={}", path.display());
    }
    println!("cargo::rustc-check-cfg=cfg(has_nanopb)");
    println!("cargo:rerun-if-env-changed=LKM_BENCH_NO_NANOPB");

    let lkm_dir = fresh_dir(&out.join("lkm"));
    lkm_codegen::Config::new()
        .include(&corpus)
        .include(&local)
        .out_dir(&lkm_dir)
        .compile(&protos)
        .unwrap_or_else(|e| panic!("lkm_codegen failed: {e}"));

    let prost_dir = fresh_dir(&out.join("prost"));
    prost_build::Config::new()
        .btree_map(["."])
        .out_dir(&prost_dir)
        .compile_protos(&protos, &[&corpus, &local])
        .expect("prost_build failed");

    micropb(&protos, &corpus, &local, &out.join("micropb.rs"));
    quick_protobuf(&protos, &corpus, &local, &fresh_dir(&out.join("quick")));
    nanopb(&manifest, &protos, &corpus, &local, &out);
}

/// Removes and recreates `dir`.
fn fresh_dir(dir: &Path) -> PathBuf {
    let _ = fs::remove_dir_all(dir);
    fs::create_dir_all(dir).expect("create output dir");
    dir.to_owned()
}

fn micropb(protos: &[PathBuf], corpus: &Path, local: &Path, out_file: &Path) {
    use micropb_gen::{Config, Generator};
    let mut generator = Generator::new();
    generator
        .use_container_heapless()
        .add_protoc_arg(format!("-I{}", corpus.display()))
        .add_protoc_arg(format!("-I{}", local.display()))
        .configure(".", Config::new().max_len(8).max_bytes(128))
        .configure(".cases.Packed", Config::new().max_len(256))
        .configure(".cases.Packed.counts", Config::new().max_len(32))
        .configure(".cases.Fixed32s", Config::new().max_len(1024));
    generator
        .compile_protos(protos, out_file)
        .unwrap_or_else(|e| panic!("micropb-gen failed: {e}"));
}

fn quick_protobuf(protos: &[PathBuf], corpus: &Path, local: &Path, out_dir: &Path) {
    use pb_rs::types::FileDescriptor;
    use pb_rs::ConfigBuilder;
    let includes = [corpus.to_owned(), local.to_owned()];
    let configs = ConfigBuilder::new(protos, None, Some(&out_dir.to_owned()), &includes)
        .unwrap_or_else(|e| panic!("pb-rs config failed: {e}"))
        .build();
    FileDescriptor::run(&configs).unwrap_or_else(|e| panic!("pb-rs failed: {e}"));
}

/// Finds Debian's nanopb generator, or says why the nanopb column is left out.
fn nanopb_generator() -> Result<PathBuf, String> {
    if env::var_os("LKM_BENCH_NO_NANOPB").is_some() {
        return Err("LKM_BENCH_NO_NANOPB is set".to_owned());
    }
    if !Path::new(NANOPB_HEADER).exists() || !Path::new(NANOPB_LIB_DIR).join(NANOPB_LIB).exists() {
        return Err(format!(
            "{NANOPB_HEADER} or {NANOPB_LIB} is missing (libnanopb-dev)"
        ));
    }
    for candidate in ["/usr/bin/nanopb_generator.py", "/usr/bin/nanopb_generator"] {
        if Path::new(candidate).exists() {
            return Ok(candidate.into());
        }
    }
    Err("the nanopb generator is missing (package nanopb)".to_owned())
}

fn nanopb(manifest: &Path, protos: &[PathBuf], corpus: &Path, local: &Path, out: &Path) {
    let generator = match nanopb_generator() {
        Ok(generator) => generator,
        Err(why) => {
            println!(
                "cargo:warning=nanopb column left out: {why}; `ci/bench` installs nanopb and \
                 libnanopb-dev"
            );
            return;
        }
    };
    let dir = fresh_dir(&out.join("nanopb"));
    let status = Command::new(&generator)
        .arg("-q")
        .arg("-D")
        .arg(&dir)
        .arg("-f")
        .arg(manifest.join("c/nanopb.options"))
        .arg("-I")
        .arg(corpus)
        .arg("-I")
        .arg(local)
        .args(
            protos
                .iter()
                .map(|p| p.file_name().expect("proto file name")),
        )
        .status()
        .expect("run the nanopb generator");
    assert!(status.success(), "the nanopb generator failed");

    cc::Build::new()
        .file(dir.join("benchmark.pb.c"))
        .file(dir.join("cases.pb.c"))
        .file(manifest.join("c/nanopb_glue.c"))
        .include(&dir)
        .opt_level(2)
        .warnings(true)
        .compile("nanopb_bench");
    println!("cargo:rustc-link-search=native={NANOPB_LIB_DIR}");
    println!("cargo:rustc-link-lib=static=protobuf-nanopb");
    println!("cargo:rustc-cfg=has_nanopb");
}
