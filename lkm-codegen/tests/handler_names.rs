// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The generated `handler.rs` and crate root name the message type by its own name,
//! imported with a `use` item, unless the name is one the file itself needs.

use std::env;
use std::fs;
use std::path::PathBuf;

use lkm_codegen::{Config, Flavour};

/// Writes `source` as `name` into a fresh directory and returns the file's path.
fn write_proto(name: &str, source: &str) -> PathBuf {
    let dir = env::temp_dir().join(format!(
        "lkm-codegen-handler-names-{}-{name}",
        std::process::id()
    ));
    fs::create_dir_all(&dir).expect("create the temporary directory");
    let path = dir.join(name);
    fs::write(&path, source).expect("write the proto");
    path
}

/// Returns the file `name` generated for `message` of `proto` in `flavour`.
fn file(proto: &PathBuf, flavour: Flavour, message: &str, name: &str) -> String {
    let files = Config::new()
        .flavour(flavour)
        .message(message)
        .generate(&[proto])
        .expect("generate");
    files
        .into_iter()
        .find(|f| f.name == name)
        .expect("the file")
        .content
}

/// Returns the handler generated for `message` of `proto` in `flavour`.
fn handler(proto: &PathBuf, flavour: Flavour, message: &str) -> String {
    file(proto, flavour, message, "handler.rs")
}

#[test]
fn handlers_import_the_message_type() {
    let proto = write_proto(
        "names.proto",
        "syntax = \"proto3\";\n\
         package a.b;\n\
         message Outer { message Inner { string s = 1; } Inner inner = 1; }\n\
         message Ordering { int32 x = 1; }\n\
         message Verdict { string y = 1; }\n\
         message Option { int32 z = 1; }\n",
    );
    let inner = handler(&proto, Flavour::Udp, "a.b.Outer.Inner");
    assert!(
        inner.contains("use crate::proto::a::b::outer::Inner;\n"),
        "{inner}"
    );
    assert!(inner.contains("pub(crate) fn handle<'a>(message: &Inner<'a>) -> Option<Inner<'a>>"));

    let ordering = handler(&proto, Flavour::Udp, "a.b.Ordering");
    assert!(ordering.contains("use crate::proto::a::b::Ordering as OrderingMessage;\n"));
    assert!(ordering
        .contains("pub(crate) fn handle(message: &OrderingMessage) -> Option<OrderingMessage>"));

    let verdict = handler(&proto, Flavour::Netfilter, "a.b.Verdict");
    assert!(verdict.contains("use crate::proto::a::b::Verdict as VerdictMessage;\n"));
    assert!(verdict.contains("pub(crate) fn handle(message: &VerdictMessage<'_>) -> Verdict"));

    let option = handler(&proto, Flavour::Udp, "a.b.Option");
    assert!(option.contains("use crate::proto::a::b::Option as OptionMessage;\n"));
}

#[test]
fn crate_roots_import_the_message_type() {
    let proto = write_proto(
        "roots.proto",
        "syntax = \"proto3\";\n\
         package r;\n\
         message Plain { int32 x = 1; }\n\
         message Message { int32 x = 1; }\n\
         message Result { int32 x = 1; }\n",
    );
    let plain = file(&proto, Flavour::Udp, "r.Plain", "r_main.rs");
    assert!(plain.contains("use crate::proto::r::Plain;\n"), "{plain}");
    assert!(plain.contains("Plain::decode_with(body, &mut arena, DECODE_OPTIONS)"));
    let message = file(&proto, Flavour::Netfilter, "r.Message", "r_main.rs");
    assert!(message.contains("use crate::proto::r::Message as MessageMessage;\n"));
    assert!(message.contains("MessageMessage::decode_with(body, &mut arena, DECODE_OPTIONS)"));
    let result = file(&proto, Flavour::Udp, "r.Result", "r_main.rs");
    assert!(result.contains("use crate::proto::r::Result as ResultMessage;\n"));
}
