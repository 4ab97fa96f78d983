// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Enum values whose names differ only in case become one constant.
//!
//! Google's `test_messages_proto3.proto` declares `MOO = 2; moo = 2; bAz = 2;` under
//! `allow_alias`; both `MOO` and `moo` turn into the constant `MOO`, which must be emitted
//! once. Two different numbers that would share a constant are an error instead.

use std::env;
use std::fs;
use std::path::PathBuf;

use lkm_codegen::Config;

/// Writes `source` as `name` into a fresh directory and returns the file's path.
fn write_proto(name: &str, source: &str) -> PathBuf {
    let dir = env::temp_dir().join(format!(
        "lkm-codegen-enum-aliases-{}-{name}",
        std::process::id()
    ));
    fs::create_dir_all(&dir).expect("create the temporary directory");
    let path = dir.join(name);
    fs::write(&path, source).expect("write the proto");
    path
}

#[test]
fn aliases_differing_in_case_share_a_constant() {
    let proto = write_proto(
        "aliases.proto",
        "syntax = \"proto3\";\n\
         package aliases;\n\
         enum Aliased {\n\
           option allow_alias = true;\n\
           ALIAS_FOO = 0;\n\
           MOO = 2;\n\
           moo = 2;\n\
           bAz = 2;\n\
         }\n",
    );
    let files = Config::new()
        .generate(&[&proto])
        .expect("aliases that differ in case generate");
    let code = &files
        .iter()
        .find(|f| f.name == "aliases.rs")
        .expect("aliases.rs is generated")
        .content;
    assert_eq!(code.matches("pub const MOO:").count(), 1, "{code}");
    assert_eq!(code.matches("pub const B_AZ:").count(), 1, "{code}");
    fs::remove_dir_all(proto.parent().expect("a parent")).expect("clean up");
}

#[test]
fn different_numbers_for_one_constant_are_an_error() {
    let proto = write_proto(
        "clash.proto",
        "syntax = \"proto3\";\n\
         package clash;\n\
         enum Clash {\n\
           option allow_alias = true;\n\
           ZERO = 0;\n\
           MOO = 1;\n\
           moo = 2;\n\
         }\n",
    );
    let result = Config::new().generate(&[&proto]);
    fs::remove_dir_all(proto.parent().expect("a parent")).expect("clean up");
    let e = result.expect_err("two numbers cannot share the constant MOO");
    assert!(e.to_string().contains("constant MOO"), "{e}");
}
