// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The pure-Rust front end against `protoc`.
//!
//! For every corpus file, [`lkm_codegen::Config::parse`] must give the descriptors `protoc`
//! gives: names, numbers, labels, types, type names, oneofs, proto3 `optional`, defaults,
//! `packed`, and for every location the front end records, the same span and comments.
//! `protoc`'s well-known types are also scanned, as a larger body of real comments.

mod common;

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;

use lkm_codegen::Config;
use prost_types::source_code_info::Location;
use prost_types::DescriptorProto;
use prost_types::EnumDescriptorProto;
use prost_types::FieldDescriptorProto;
use prost_types::FileDescriptorProto;

/// Collects differences as readable lines.
#[derive(Default)]
struct Diff(String);

impl Diff {
    fn check<T: PartialEq + std::fmt::Debug>(&mut self, at: &str, what: &str, ours: T, theirs: T) {
        if ours != theirs {
            let _ = writeln!(self.0, "{at}: {what}: ours {ours:?}, protoc {theirs:?}");
        }
    }
}

fn compare_field(
    diff: &mut Diff,
    at: &str,
    ours: &FieldDescriptorProto,
    theirs: &FieldDescriptorProto,
) {
    let at = format!("{at}.{}", theirs.name());
    diff.check(&at, "name", ours.name(), theirs.name());
    diff.check(&at, "number", ours.number, theirs.number);
    diff.check(&at, "label", ours.label, theirs.label);
    diff.check(&at, "type", ours.r#type, theirs.r#type);
    diff.check(&at, "type_name", &ours.type_name, &theirs.type_name);
    diff.check(&at, "extendee", &ours.extendee, &theirs.extendee);
    diff.check(&at, "oneof_index", ours.oneof_index, theirs.oneof_index);
    diff.check(
        &at,
        "proto3_optional",
        ours.proto3_optional,
        theirs.proto3_optional,
    );
    diff.check(
        &at,
        "default_value",
        &ours.default_value,
        &theirs.default_value,
    );
    let packed = |f: &FieldDescriptorProto| f.options.as_ref().and_then(|o| o.packed);
    diff.check(&at, "packed", packed(ours), packed(theirs));
    let deprecated = |f: &FieldDescriptorProto| f.options.as_ref().and_then(|o| o.deprecated);
    diff.check(&at, "deprecated", deprecated(ours), deprecated(theirs));
}

fn compare_enum(
    diff: &mut Diff,
    at: &str,
    ours: &EnumDescriptorProto,
    theirs: &EnumDescriptorProto,
) {
    let at = format!("{at}.{}", theirs.name());
    diff.check(&at, "name", ours.name(), theirs.name());
    let values = |e: &EnumDescriptorProto| -> Vec<(String, i32)> {
        e.value
            .iter()
            .map(|v| (v.name().to_owned(), v.number()))
            .collect()
    };
    diff.check(&at, "values", values(ours), values(theirs));
}

fn compare_fields(
    diff: &mut Diff,
    at: &str,
    what: &str,
    ours: &[FieldDescriptorProto],
    theirs: &[FieldDescriptorProto],
) {
    diff.check(at, &format!("{what} count"), ours.len(), theirs.len());
    for (o, t) in ours.iter().zip(theirs) {
        compare_field(diff, at, o, t);
    }
}

fn compare_message(diff: &mut Diff, at: &str, ours: &DescriptorProto, theirs: &DescriptorProto) {
    let at = format!("{at}.{}", theirs.name());
    diff.check(&at, "name", ours.name(), theirs.name());
    compare_fields(diff, &at, "field", &ours.field, &theirs.field);
    compare_fields(diff, &at, "extension", &ours.extension, &theirs.extension);
    let oneofs = |m: &DescriptorProto| -> Vec<String> {
        m.oneof_decl.iter().map(|o| o.name().to_owned()).collect()
    };
    diff.check(&at, "oneofs", oneofs(ours), oneofs(theirs));
    let map_entry = |m: &DescriptorProto| m.options.as_ref().and_then(|o| o.map_entry);
    diff.check(&at, "map_entry", map_entry(ours), map_entry(theirs));
    let ranges = |m: &DescriptorProto| -> Vec<(i32, i32)> {
        m.extension_range
            .iter()
            .map(|r| (r.start(), r.end()))
            .collect()
    };
    diff.check(&at, "extension ranges", ranges(ours), ranges(theirs));
    diff.check(
        &at,
        "nested count",
        ours.nested_type.len(),
        theirs.nested_type.len(),
    );
    for (o, t) in ours.nested_type.iter().zip(&theirs.nested_type) {
        compare_message(diff, &at, o, t);
    }
    diff.check(
        &at,
        "enum count",
        ours.enum_type.len(),
        theirs.enum_type.len(),
    );
    for (o, t) in ours.enum_type.iter().zip(&theirs.enum_type) {
        compare_enum(diff, &at, o, t);
    }
}

/// Compares the locations the front end records with `protoc`'s at the same paths.
fn compare_locations(diff: &mut Diff, ours: &FileDescriptorProto, theirs: &FileDescriptorProto) {
    let name = theirs.name();
    let Some(ours) = ours.source_code_info.as_ref() else {
        let _ = writeln!(diff.0, "{name}: no source_code_info");
        return;
    };
    let theirs: HashMap<&[i32], &Location> = theirs
        .source_code_info
        .as_ref()
        .map(|info| {
            info.location
                .iter()
                .map(|l| (l.path.as_slice(), l))
                .collect()
        })
        .unwrap_or_default();
    for location in &ours.location {
        let at = format!("{name} {:?}", location.path);
        let Some(other) = theirs.get(location.path.as_slice()) else {
            let _ = writeln!(diff.0, "{at}: protoc has no such location");
            continue;
        };
        diff.check(&at, "span", &location.span, &other.span);
        diff.check(
            &at,
            "leading",
            &location.leading_comments,
            &other.leading_comments,
        );
        diff.check(
            &at,
            "trailing",
            &location.trailing_comments,
            &other.trailing_comments,
        );
        diff.check(
            &at,
            "detached",
            &location.leading_detached_comments,
            &other.leading_detached_comments,
        );
    }
}

/// Returns `protoc`'s declaration paths of a file that the front end must also record.
fn declaration_paths(file: &FileDescriptorProto) -> Vec<Vec<i32>> {
    fn message(path: Vec<i32>, m: &DescriptorProto, out: &mut Vec<Vec<i32>>) {
        let child = |tag: i32, i: usize| {
            let mut p = path.clone();
            p.extend([tag, i32::try_from(i).unwrap()]);
            p
        };
        let is_map = m.options.as_ref().and_then(|o| o.map_entry) == Some(true);
        if is_map {
            return;
        }
        out.push(path.clone());
        for i in 0..m.field.len() {
            out.push(child(2, i));
        }
        for (i, nested) in m.nested_type.iter().enumerate() {
            message(child(3, i), nested, out);
        }
        for (i, e) in m.enum_type.iter().enumerate() {
            enumeration(child(4, i), e, out);
        }
        for i in 0..m.extension.len() {
            out.push(child(6, i));
        }
    }
    fn enumeration(path: Vec<i32>, e: &EnumDescriptorProto, out: &mut Vec<Vec<i32>>) {
        for i in 0..e.value.len() {
            let mut p = path.clone();
            p.extend([2, i32::try_from(i).unwrap()]);
            out.push(p);
        }
        out.push(path);
    }
    let mut out = Vec::new();
    for (i, m) in file.message_type.iter().enumerate() {
        message(vec![4, i32::try_from(i).unwrap()], m, &mut out);
    }
    for (i, e) in file.enum_type.iter().enumerate() {
        enumeration(vec![5, i32::try_from(i).unwrap()], e, &mut out);
    }
    for i in 0..file.extension.len() {
        out.push(vec![7, i32::try_from(i).unwrap()]);
    }
    out
}

/// Compares `Config::parse` with `protoc` on `proto`, found under `include`.
fn compare_with_protoc(include: &Path, proto: &Path) -> String {
    let mut diff = Diff::default();
    let theirs = common::protoc_descriptors(include, proto);
    let (ours, to_generate) = match Config::new().include(include).parse(&[proto]) {
        Ok(parsed) => parsed,
        Err(e) => return format!("{}: front end failed: {e}\n", proto.display()),
    };
    let names = |files: &[FileDescriptorProto]| -> Vec<String> {
        files.iter().map(|f| f.name().to_owned()).collect()
    };
    diff.check("files", "names in order", names(&ours), names(&theirs.file));
    let Some(theirs) = theirs.file.last() else {
        return "protoc gave no file\n".to_owned();
    };
    diff.check(
        "to_generate",
        "names",
        to_generate.clone(),
        vec![theirs.name().to_owned()],
    );
    let Some(ours) = ours.iter().find(|f| f.name() == theirs.name()) else {
        return format!("{}: missing from the front end's files\n", theirs.name());
    };
    let at = theirs.name();
    diff.check(at, "package", &ours.package, &theirs.package);
    diff.check(at, "syntax", ours.syntax(), theirs.syntax());
    diff.check(at, "dependency", &ours.dependency, &theirs.dependency);
    diff.check(
        at,
        "public_dependency",
        &ours.public_dependency,
        &theirs.public_dependency,
    );
    diff.check(
        at,
        "message count",
        ours.message_type.len(),
        theirs.message_type.len(),
    );
    for (o, t) in ours.message_type.iter().zip(&theirs.message_type) {
        compare_message(&mut diff, at, o, t);
    }
    diff.check(
        at,
        "enum count",
        ours.enum_type.len(),
        theirs.enum_type.len(),
    );
    for (o, t) in ours.enum_type.iter().zip(&theirs.enum_type) {
        compare_enum(&mut diff, at, o, t);
    }
    compare_fields(
        &mut diff,
        at,
        "extension",
        &ours.extension,
        &theirs.extension,
    );
    compare_locations(&mut diff, ours, theirs);
    let recorded: Vec<&[i32]> = ours
        .source_code_info
        .iter()
        .flat_map(|info| info.location.iter().map(|l| l.path.as_slice()))
        .collect();
    for path in declaration_paths(theirs) {
        if !recorded.contains(&path.as_slice()) {
            let _ = writeln!(diff.0, "{at} {path:?}: declaration without a location");
        }
    }
    diff.0
}

#[test]
fn corpus_matches_protoc() {
    let include = common::corpus_dir();
    let mut report = String::new();
    for proto in common::corpus() {
        if let Some(expected) = common::unsupported(&proto) {
            let error = Config::new()
                .include(&include)
                .parse(&[&proto])
                .unwrap_err();
            assert!(
                error.to_string().contains(expected),
                "{}: {error}",
                proto.display()
            );
            continue;
        }
        report.push_str(&compare_with_protoc(&include, &proto));
    }
    assert!(report.is_empty(), "differences from protoc:\n{report}");
}

#[test]
fn well_known_types_match_protoc() {
    common::require_protoc();
    let include = Path::new("/usr/include");
    let dir = include.join("google/protobuf");
    assert!(
        dir.join("descriptor.proto").is_file(),
        "protoc's well-known types were not found in {}: install libprotobuf-dev",
        dir.display()
    );
    let mut report = String::new();
    for name in [
        "any",
        "api",
        "descriptor",
        "duration",
        "empty",
        "field_mask",
        "source_context",
        "struct",
        "timestamp",
        "type",
        "wrappers",
    ] {
        report.push_str(&compare_with_protoc(
            include,
            &dir.join(format!("{name}.proto")),
        ));
    }
    assert!(report.is_empty(), "differences from protoc:\n{report}");
}
