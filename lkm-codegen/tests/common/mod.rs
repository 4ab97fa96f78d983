// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Helpers shared by the front-end tests: the corpus, `protoc`, and temporary directories.

#![allow(dead_code, unreachable_pub)]

use std::env;
use std::fs;
use std::path::Path;
use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::AtomicUsize;
use std::sync::atomic::Ordering;

use prost::Message as _;
use prost_types::FileDescriptorSet;

/// Returns the corpus directory, `tests/corpus` at the workspace root.
pub fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/corpus")
        .canonicalize()
        .expect("tests/corpus exists at the workspace root")
}

/// Returns the `.proto` files of the corpus, sorted by name.
pub fn corpus() -> Vec<PathBuf> {
    let mut protos: Vec<PathBuf> = fs::read_dir(corpus_dir())
        .expect("corpus directory is readable")
        .map(|entry| entry.expect("corpus entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "proto"))
        .collect();
    protos.sort();
    assert!(!protos.is_empty(), "the corpus has no .proto file");
    protos
}

/// Corpus files the built-in parser rejects, with the error it gives: `protobuf-parse`
/// cannot represent them. They work through `protoc` and the plugin.
pub const UNSUPPORTED: &[(&str, &str)] = &[(
    "groups.proto",
    "a group inside a group is not supported by the built-in parser",
)];

/// Returns the error the built-in parser gives for `proto` if it is in [`UNSUPPORTED`].
pub fn unsupported(proto: &Path) -> Option<&'static str> {
    let name = proto.file_name()?.to_str()?;
    UNSUPPORTED
        .iter()
        .find(|(file, _)| *file == name)
        .map(|(_, error)| *error)
}

/// Returns a fresh empty directory, unique within the test process.
pub fn temp_dir(name: &str) -> PathBuf {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let dir = env::temp_dir().join(format!("lkm-codegen-{name}-{}-{n}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("temporary directory");
    dir
}

/// Fails the test, with what to install, when `protoc` cannot run.
pub fn require_protoc() {
    let found = Command::new("protoc").arg("--version").output();
    assert!(
        found.is_ok_and(|o| o.status.success()),
        "protoc is needed by this test and was not found: install it \
         (`apt-get install -y protobuf-compiler libprotobuf-dev`)"
    );
}

/// Runs `protoc` on `proto` with source information and returns the descriptor set of the
/// file and its imports.
pub fn protoc_descriptors(include: &Path, proto: &Path) -> FileDescriptorSet {
    require_protoc();
    let out = temp_dir("protoc-set").join("set.pb");
    let output = Command::new("protoc")
        .arg("-I")
        .arg(include)
        .arg("--include_source_info")
        .arg("--include_imports")
        .arg(format!("--descriptor_set_out={}", out.display()))
        .arg(proto)
        .output()
        .expect("protoc runs");
    assert!(
        output.status.success(),
        "protoc failed on {}: {}",
        proto.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    let bytes = fs::read(&out).expect("descriptor set written");
    FileDescriptorSet::decode(bytes.as_slice()).expect("descriptor set decodes")
}
