// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Generates the testee's message code from the conformance protos of a protobuf source
//! tree.
//!
//! `LKM_PB_CONFORMANCE_PROTOS` names the root of an unpacked protobuf source (Debian's
//! `protobuf` source package; `ci/conformance` fetches it). From it, `protoc` reads
//! `conformance/conformance.proto` and `src/google/protobuf/test_messages_proto{2,3}.proto`
//! with their well-known-type imports, and lkm-codegen generates one file per package
//! into `OUT_DIR`, keeping unknown fields. The build then sets the cfg
//! `lkm_conformance_protos`, under which `main.rs` mounts the generated code.
//!
//! Without the variable nothing is generated and the binary is a stub that refuses to
//! run, so that the workspace builds, lints and tests on machines without the source.

use std::env;
use std::fs;
use std::path::PathBuf;
use std::process::Command;

use prost::Message as _;
use prost_types::FileDescriptorSet;

/// The environment variable that names the protobuf source tree.
const PROTOS_VAR: &str = "LKM_PB_CONFORMANCE_PROTOS";

/// The cfg set when the message code was generated.
const CFG: &str = "lkm_conformance_protos";

/// The files the testee needs, relative to their include directory.
const PROTOS: &[&str] = &[
    "conformance.proto",
    "google/protobuf/test_messages_proto2.proto",
    "google/protobuf/test_messages_proto3.proto",
];

fn main() {
    println!("cargo::rerun-if-env-changed={PROTOS_VAR}");
    println!("cargo::rerun-if-env-changed=PROTOC");
    println!("cargo::rustc-check-cfg=cfg({CFG})");
    let Some(root) = env::var_os(PROTOS_VAR).filter(|v| !v.is_empty()) else {
        return;
    };
    let root = PathBuf::from(root);
    let includes = [root.join("conformance"), root.join("src")];
    for include in &includes {
        assert!(
            include.is_dir(),
            "{PROTOS_VAR}={}: {} is not a directory (expected an unpacked protobuf source)",
            root.display(),
            include.display()
        );
        println!("cargo::rerun-if-changed={}", include.display());
    }

    let out = PathBuf::from(env::var_os("OUT_DIR").expect("OUT_DIR is set by Cargo"));
    let desc_path = out.join("conformance.desc");
    let protoc = env::var("PROTOC").unwrap_or_else(|_| "protoc".to_owned());
    let mut command = Command::new(&protoc);
    for include in &includes {
        command.arg("-I").arg(include);
    }
    let status = command
        .arg("--include_imports")
        .arg("--include_source_info")
        .arg("--descriptor_set_out")
        .arg(&desc_path)
        .args(PROTOS)
        .status()
        .unwrap_or_else(|e| panic!("cannot run {protoc}: {e}"));
    assert!(
        status.success(),
        "{protoc} failed on the conformance protos"
    );

    let bytes = fs::read(&desc_path).expect("read the descriptor set");
    let set = FileDescriptorSet::decode(bytes.as_slice()).expect("decode the descriptor set");
    let all_files: Vec<String> = set.file.iter().map(|f| f.name().to_owned()).collect();
    let generated = lkm_codegen::Config::new()
        .keep_unknown_fields(true)
        .generate_from_descriptors(&set.file, &all_files)
        .unwrap_or_else(|e| panic!("lkm-codegen failed on the conformance protos: {e}"));
    for file in generated {
        fs::write(out.join(&file.name), file.content)
            .unwrap_or_else(|e| panic!("write {}: {e}", file.name));
    }
    println!("cargo::rustc-cfg={CFG}");
}
