// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Writes `OUT_DIR/typed.rs`: one `typed!` entry per message of `tests/corpus` with the path
//! of its lkm type in `lkm_pb_differential::lkm`.
//!
//! The generated code itself is the differential crate's; this script only needs the Rust
//! paths of its types, which follow `lkm_codegen::naming` as in that crate's build script.
//! The table lists the same messages: every message of the corpus files, nested ones
//! included, map entries excluded.

use std::env;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use prost::Message as _;
use prost_types::{DescriptorProto, FileDescriptorSet};

fn main() {
    let manifest = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    let corpus = manifest.join("../tests/corpus");
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("OUT_DIR"));
    println!("cargo:rerun-if-changed={}", corpus.display());

    let mut protos = Vec::new();
    collect_protos(&corpus, &corpus, &mut protos);
    protos.sort();
    let desc_path = out.join("corpus.desc");
    let status = Command::new(env::var("PROTOC").unwrap_or_else(|_| "protoc".to_owned()))
        .arg("-I")
        .arg(&corpus)
        .arg("--include_imports")
        .arg("--descriptor_set_out")
        .arg(&desc_path)
        .args(&protos)
        .status()
        .expect("run protoc");
    assert!(status.success(), "protoc failed on the corpus");
    let set = FileDescriptorSet::decode(fs::read(&desc_path).expect("read descriptors").as_slice())
        .expect("decode descriptors");

    let mut table = String::from("/// Every message of the corpus with its typed checks.\n");
    table.push_str("pub static TYPED: &[crate::Typed] = &[\n");
    for file in set.file.iter().filter(|f| protos.iter().any(|p| p == f.name())) {
        let mut module = vec!["lkm_pb_differential".to_owned(), "lkm".to_owned()];
        module.extend(
            file.package()
                .split('.')
                .filter(|s| !s.is_empty())
                .map(lkm_codegen::naming::module_name),
        );
        let prefix = if file.package().is_empty() {
            String::new()
        } else {
            format!("{}.", file.package())
        };
        for message in &file.message_type {
            collect(message, &prefix, &module, &mut table);
        }
    }
    table.push_str("];\n");
    fs::write(out.join("typed.rs"), table).expect("write typed.rs");
}

/// Appends the `.proto` files under `dir` to `out`, as paths relative to `root`.
fn collect_protos(root: &Path, dir: &Path, out: &mut Vec<String>) {
    for entry in fs::read_dir(dir).expect("read corpus dir") {
        let path = entry.expect("corpus entry").path();
        if path.is_dir() {
            collect_protos(root, &path, out);
        } else if path.extension().is_some_and(|e| e == "proto") {
            let rel = path.strip_prefix(root).expect("relative path");
            out.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
}

/// Appends the table rows of `message` and its nested messages.
fn collect(message: &DescriptorProto, prefix: &str, module: &[String], table: &mut String) {
    if message.options.as_ref().is_some_and(|o| o.map_entry()) {
        return;
    }
    let full_name = format!("{prefix}{}", message.name());
    let mut path = module.to_vec();
    path.push(lkm_codegen::naming::type_name(message.name()));
    writeln!(
        table,
        "    crate::typed!({full_name:?}, {}),",
        path.join("::")
    )
    .unwrap();
    let mut nested = module.to_vec();
    nested.push(lkm_codegen::naming::module_name(message.name()));
    for inner in &message.nested_type {
        collect(inner, &format!("{full_name}."), &nested, table);
    }
}
