// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Generates both sides of the differential tests from the corpus in `../corpus`.
//!
//! - `OUT_DIR/lkm/`: the lkm-pb message code, one file per package, from `lkm_codegen`.
//! - `OUT_DIR/prost/`: the prost message code for the same files, from `prost_build`.
//! - `OUT_DIR/corpus.desc`: the `FileDescriptorSet` of the corpus with its imports, written
//!   by `protoc`; the tests read it to generate random encodings from the schema.
//! - `OUT_DIR/mods.rs`: mounts both sets of package files as nested modules `lkm::...` and
//!   `prost::...`.
//! - `OUT_DIR/dispatch.rs`: the `corpus_messages!` macro, which lists every message of the
//!   corpus (nested messages included, map entries excluded) with the paths of both Rust
//!   types, and the `MESSAGES` table made with it.

use std::collections::BTreeMap;
use std::env;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use heck::{ToSnakeCase, ToUpperCamelCase};
use prost::Message as _;
use prost_types::{DescriptorProto, FileDescriptorSet};

fn main() {
    let manifest = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    let corpus = manifest.join("../corpus");
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("OUT_DIR"));
    println!("cargo:rerun-if-changed={}", corpus.display());

    let mut protos = Vec::new();
    collect_protos(&corpus, &corpus, &mut protos);
    protos.sort();
    for proto in &protos {
        println!("cargo:rerun-if-changed={}", corpus.join(proto).display());
    }
    let proto_paths: Vec<PathBuf> = protos.iter().map(|p| corpus.join(p)).collect();

    // The descriptors, as protoc sees them.
    let desc_path = out.join("corpus.desc");
    let status = Command::new(env::var("PROTOC").unwrap_or_else(|_| "protoc".to_owned()))
        .arg("-I")
        .arg(&corpus)
        .arg("--include_imports")
        .arg("--include_source_info")
        .arg("--descriptor_set_out")
        .arg(&desc_path)
        .args(&protos)
        .status()
        .expect("run protoc");
    assert!(status.success(), "protoc failed on the corpus");
    let set = FileDescriptorSet::decode(fs::read(&desc_path).expect("read descriptors").as_slice())
        .expect("decode descriptors");

    // lkm-pb side, from protoc's descriptors (the plugin path): the built-in parser does not
    // take every corpus file (see `parser_results` below).
    // Imports such as the well-known types are generated too, as `compile` does.
    let all_files: Vec<String> = set.file.iter().map(|f| f.name().to_owned()).collect();
    let lkm_dir = out.join("lkm");
    let _ = fs::remove_dir_all(&lkm_dir);
    fs::create_dir_all(&lkm_dir).expect("create lkm dir");
    let generated = lkm_codegen::Config::new()
        .generate_from_descriptors(&set.file, &all_files)
        .unwrap_or_else(|e| panic!("lkm_codegen failed: {e}"));
    for file in generated {
        fs::write(lkm_dir.join(&file.name), file.content).expect("write lkm file");
    }

    // The built-in parser, file by file, with `Config::compile`; the tests check which files
    // it takes.
    let parser_dir = out.join("lkm-parser");
    let mut parser_results =
        String::from("/// Each corpus file and what `Config::compile` said.\n");
    parser_results.push_str("pub static PARSER_RESULTS: &[(&str, Result<(), &str>)] = &[\n");
    for proto in &protos {
        let result = lkm_codegen::Config::new()
            .include(&corpus)
            .out_dir(&parser_dir)
            .compile(&[corpus.join(proto)]);
        let result = match result {
            Ok(()) => "Ok(())".to_owned(),
            Err(e) => format!("Err({:?})", e.to_string()),
        };
        writeln!(parser_results, "    ({proto:?}, {result}),").unwrap();
    }
    parser_results.push_str("];\n");
    fs::write(out.join("parser_results.rs"), parser_results).expect("write parser_results.rs");

    // prost side.
    let prost_dir = out.join("prost");
    let _ = fs::remove_dir_all(&prost_dir);
    fs::create_dir_all(&prost_dir).expect("create prost dir");
    prost_build::Config::new()
        .btree_map(["."])
        .out_dir(&prost_dir)
        .compile_protos(&proto_paths, &[&corpus])
        .expect("prost_build failed");

    let mut mods = String::new();
    mods.push_str(&mount("lkm", &lkm_dir, lkm_package_module, LKM_ATTRS));
    mods.push_str(&mount("prost", &prost_dir, prost_file_module, PROST_ATTRS));
    fs::write(out.join("mods.rs"), mods).expect("write mods.rs");

    let generated: Vec<&str> = protos.iter().map(String::as_str).collect();
    fs::write(out.join("dispatch.rs"), dispatch(&set, &generated)).expect("write dispatch.rs");
}

/// Attributes on the `lkm` module: the kernel's lints and the runtime's panic-freedom rules.
const LKM_ATTRS: &str = "#[deny(missing_docs, unreachable_pub)]\n\
#[deny(clippy::indexing_slicing, clippy::unwrap_used, clippy::expect_used, clippy::panic, \
clippy::arithmetic_side_effects)]\n";

/// Attributes on the `prost` module, whose code is not under test.
const PROST_ATTRS: &str =
    "#[allow(missing_docs, unreachable_pub, clippy::all, clippy::pedantic)]\n";

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

/// A tree of modules, each with the package files it includes.
#[derive(Default)]
struct ModTree {
    files: Vec<PathBuf>,
    children: BTreeMap<String, ModTree>,
}

impl ModTree {
    fn render(&self, out: &mut String, indent: usize) {
        let pad = " ".repeat(indent);
        for file in &self.files {
            writeln!(out, "{pad}include!({:?});", file.display().to_string()).unwrap();
        }
        for (name, child) in &self.children {
            writeln!(out, "{pad}/// Package module `{name}`.").unwrap();
            writeln!(out, "{pad}pub mod {name} {{").unwrap();
            child.render(out, indent + 4);
            writeln!(out, "{pad}}}").unwrap();
        }
    }
}

/// Returns a module `name` that includes every generated `pkg.rs` file of `dir` at the module
/// path `module_of(pkg)`.
fn mount(name: &str, dir: &Path, module_of: fn(&str) -> Vec<String>, attrs: &str) -> String {
    let mut tree = ModTree::default();
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .expect("read generated dir")
        .map(|e| e.expect("generated entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    files.sort();
    for file in files {
        let stem = file
            .file_stem()
            .expect("stem")
            .to_string_lossy()
            .into_owned();
        let package = if stem == "_" { String::new() } else { stem };
        let mut node = &mut tree;
        for segment in module_of(&package) {
            node = node.children.entry(segment).or_default();
        }
        node.files.push(file);
    }
    let mut out = String::new();
    out.push_str(attrs);
    writeln!(out, "/// Code generated by {name} for the corpus.").unwrap();
    writeln!(out, "pub mod {name} {{").unwrap();
    tree.render(&mut out, 4);
    out.push_str("}\n");
    out
}

// ---------------------------------------------------------------------------------------
// Rust paths of the generated types, by lkm-codegen's own naming rules.

fn lkm_package_module(package: &str) -> Vec<String> {
    package
        .split('.')
        .filter(|s| !s.is_empty())
        .map(lkm_codegen::naming::module_name)
        .collect()
}

fn lkm_nested_module(message: &str) -> String {
    lkm_codegen::naming::module_name(message)
}

fn lkm_type(message: &str) -> String {
    lkm_codegen::naming::type_name(message)
}

// ---------------------------------------------------------------------------------------
// Naming rules of prost-build (prost-build/src/ident.rs): heck's conversions, then keyword
// escaping, as prost-build 0.14 does it.

fn prost_sanitize(ident: String) -> String {
    match ident.as_str() {
        "as" | "break" | "const" | "continue" | "else" | "enum" | "false" | "fn" | "for" | "if"
        | "impl" | "in" | "let" | "loop" | "match" | "mod" | "move" | "mut" | "pub" | "ref"
        | "return" | "static" | "struct" | "trait" | "true" | "type" | "unsafe" | "use"
        | "where" | "while" | "dyn" | "abstract" | "become" | "box" | "do" | "final" | "macro"
        | "override" | "priv" | "typeof" | "unsized" | "virtual" | "yield" | "async" | "await"
        | "try" | "gen" => format!("r#{ident}"),
        "_" | "super" | "self" | "Self" | "extern" | "crate" => format!("{ident}_"),
        s if s.starts_with(|c: char| c.is_numeric()) => format!("_{ident}"),
        _ => ident,
    }
}

fn prost_snake(name: &str) -> String {
    prost_sanitize(name.to_snake_case())
}

fn prost_upper_camel(name: &str) -> String {
    prost_sanitize(name.to_upper_camel_case())
}

/// prost-build names its files after the module path it computed, `a.r#type.rs`.
fn prost_file_module(stem: &str) -> Vec<String> {
    stem.split('.')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

fn prost_package_module(package: &str) -> Vec<String> {
    package
        .split('.')
        .filter(|s| !s.is_empty())
        .map(prost_snake)
        .collect()
}

// ---------------------------------------------------------------------------------------
// The dispatch table.

struct Entry {
    full_name: String,
    lkm_path: String,
    prost_path: String,
}

fn collect_messages(
    message: &DescriptorProto,
    prefix: &str,
    lkm_module: &[String],
    prost_module: &[String],
    out: &mut Vec<Entry>,
) {
    if message.options.as_ref().is_some_and(|o| o.map_entry()) {
        return;
    }
    let full_name = format!("{prefix}{}", message.name());
    let join = |module: &[String], name: String| {
        let mut parts = module.to_vec();
        parts.push(name);
        parts.join("::")
    };
    out.push(Entry {
        full_name: full_name.clone(),
        lkm_path: join(lkm_module, lkm_type(message.name())),
        prost_path: join(prost_module, prost_upper_camel(message.name())),
    });
    let mut lkm_nested = lkm_module.to_vec();
    lkm_nested.push(lkm_nested_module(message.name()));
    let mut prost_nested = prost_module.to_vec();
    prost_nested.push(prost_snake(message.name()));
    for nested in &message.nested_type {
        collect_messages(
            nested,
            &format!("{full_name}."),
            &lkm_nested,
            &prost_nested,
            out,
        );
    }
}

fn dispatch(set: &FileDescriptorSet, generated: &[&str]) -> String {
    let mut entries = Vec::new();
    for file in set.file.iter().filter(|f| generated.contains(&f.name())) {
        let package = file.package();
        let prefix = if package.is_empty() {
            String::new()
        } else {
            format!("{package}.")
        };
        let mut lkm_module = vec!["crate".to_owned(), "lkm".to_owned()];
        lkm_module.extend(lkm_package_module(package));
        let mut prost_module = vec!["crate".to_owned(), "prost".to_owned()];
        prost_module.extend(prost_package_module(package));
        for message in &file.message_type {
            collect_messages(message, &prefix, &lkm_module, &prost_module, &mut entries);
        }
    }
    let mut out = String::new();
    out.push_str(
        "/// Expands to an array with `$each!(NAME, LKM_TYPE, PROST_TYPE)` for every message of the
/// corpus (nested messages included, map entries excluded), in a fixed order, so that crates
/// built on this one can make their own tables of the same messages.
#[macro_export]
macro_rules! corpus_messages {
    ($each:ident) => {
        [
",
    );
    for e in &entries {
        let lkm = e.lkm_path.replacen("crate::", "$crate::", 1);
        let prost = e.prost_path.replacen("crate::", "$crate::", 1);
        let name = &e.full_name;
        writeln!(out, "            $each!({name:?}, {lkm}, {prost}),").unwrap();
    }
    out.push_str(
        "        ]
    };
}

/// Every message of the corpus: its full name and its differential checks.
pub static MESSAGES: &[crate::Entry] = &corpus_messages!(entry);
",
    );
    out
}
