// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The binary as users run it: the `generate` command line, and the plugin under `protoc`.
//!
//! Mistakes must come out as one located line and a status (1 for a mistake in the files,
//! 2 for a bad argument), never as a panic. The plugin under the real `protoc` must write the
//! same bytes as the command line for every corpus file.

#[path = "../../lkm-codegen/tests/common/mod.rs"]
mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::path::PathBuf;
use std::process::Command;
use std::process::Output;

const BINARY: &str = env!("CARGO_BIN_EXE_protoc-gen-lkm");

/// Writes `files` (name, text) into a fresh directory and returns it.
fn protos(test: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = common::temp_dir(test);
    for (name, text) in files {
        fs::write(dir.join(name), text).unwrap();
    }
    dir
}

/// Runs `protoc-gen-lkm` with `args` in `dir`.
fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(BINARY)
        .args(args)
        .current_dir(dir)
        .output()
        .expect("protoc-gen-lkm runs")
}

/// Checks that `output` failed with `status` and that stderr contains every one of
/// `expected`, without a panic.
fn assert_fails(output: &Output, status: i32, expected: &[&str]) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(status), "stderr: {stderr}");
    for text in expected {
        assert!(stderr.contains(text), "`{text}` missing from: {stderr}");
    }
    assert!(!stderr.contains("panicked"), "panic: {stderr}");
    assert!(!stderr.contains("RUST_BACKTRACE"), "panic: {stderr}");
}

#[test]
fn syntax_error_names_file_and_line() {
    let dir = protos(
        "syntax",
        &[(
            "bad.proto",
            "syntax = \"proto3\";\nmessage A {\n  int32 x = 1\n}\n",
        )],
    );
    let output = run(&dir, &["generate", "-o", "out", "bad.proto"]);
    assert_fails(&output, 1, &["protoc-gen-lkm: bad.proto:4: syntax error"]);
}

#[test]
fn unresolved_type_names_the_field() {
    let text =
        "syntax = \"proto3\";\npackage p;\nmessage A {\n  int32 x = 1;\n  Missing m = 2;\n}\n";
    let dir = protos("unresolved", &[("a.proto", text)]);
    let output = run(&dir, &["generate", "-o", "out", "a.proto"]);
    assert_fails(
        &output,
        1,
        &["a.proto:5: field p.A.m: type `Missing` is not defined"],
    );
}

#[test]
fn missing_import_names_the_import() {
    let text = "syntax = \"proto3\";\n\nimport \"nowhere.proto\";\n";
    let dir = protos("missing", &[("a.proto", text)]);
    let output = run(&dir, &["generate", "-o", "out", "a.proto"]);
    assert_fails(
        &output,
        1,
        &["a.proto:3: import \"nowhere.proto\": file not found in the include path"],
    );
}

#[test]
fn import_cycle_is_an_error() {
    let dir = protos(
        "cycle",
        &[
            ("a.proto", "syntax = \"proto3\";\nimport \"b.proto\";\n"),
            ("b.proto", "syntax = \"proto3\";\nimport \"a.proto\";\n"),
        ],
    );
    let output = run(&dir, &["generate", "-o", "out", "a.proto"]);
    assert_fails(
        &output,
        1,
        &["b.proto:2: import \"a.proto\": import cycle: a.proto -> b.proto -> a.proto"],
    );
}

#[test]
fn duplicates_name_both_lines() {
    let text = "syntax = \"proto3\";\nmessage A {\n  int32 x = 1;\n  int32 y = 1;\n}\n";
    let dir = protos("duplicate-number", &[("a.proto", text)]);
    let output = run(&dir, &["generate", "-o", "out", "a.proto"]);
    assert_fails(
        &output,
        1,
        &["a.proto:4: field A.y: field number 1 is already used on line 3"],
    );
    let text = "syntax = \"proto3\";\nmessage A {}\nenum A { Z = 0; }\n";
    let dir = protos("duplicate-type", &[("a.proto", text)]);
    let output = run(&dir, &["generate", "-o", "out", "a.proto"]);
    assert_fails(
        &output,
        1,
        &["a.proto:3: A: `A` is already defined on line 2"],
    );
}

#[test]
fn editions_are_refused() {
    let dir = protos(
        "edition",
        &[("e.proto", "// New style.\nedition = \"2023\";\n")],
    );
    let output = run(&dir, &["generate", "-o", "out", "e.proto"]);
    assert_fails(
        &output,
        1,
        &[
            "e.proto:2: edition \"2023\": editions are not supported yet; use syntax = \"proto2\" \
           or \"proto3\"",
        ],
    );
}

#[test]
fn missing_file_is_an_error() {
    let dir = common::temp_dir("nofile");
    let output = run(&dir, &["generate", "-o", "out", "absent.proto"]);
    assert_fails(
        &output,
        1,
        &["protoc-gen-lkm: absent.proto: file not found"],
    );
}

#[test]
fn bad_arguments_exit_with_usage() {
    let dir = common::temp_dir("args");
    let output = run(
        &dir,
        &["generate", "--colour", "red", "-o", "out", "a.proto"],
    );
    assert_fails(&output, 2, &["--colour", "Usage:"]);
    let output = run(
        &dir,
        &["generate", "--flavour", "tcp", "-o", "out", "a.proto"],
    );
    assert_fails(&output, 2, &["unknown flavour `tcp`"]);
    let output = run(&dir, &["frobnicate"]);
    assert_fails(&output, 2, &["frobnicate"]);
}

#[test]
fn depth_limit_above_the_kernel_bound_is_an_error() {
    let dir = protos(
        "depth",
        &[("a.proto", "syntax = \"proto3\";\nmessage A { A a = 1; }\n")],
    );
    let generate = |depth: &str| {
        let args = [
            "generate",
            "--flavour",
            "udp",
            "--depth-limit",
            depth,
            "-o",
            "out",
            "a.proto",
        ];
        run(&dir, &args)
    };
    assert_fails(
        &generate("64"),
        1,
        &["protoc-gen-lkm: depth limit 64 is above 32"],
    );
    let output = generate("4");
    assert!(output.status.success(), "{output:?}");
    let root = fs::read_to_string(dir.join("out/a_main.rs")).unwrap();
    assert!(root.contains("with_depth_limit(4)"), "{root}");
}

#[test]
fn help_and_version() {
    let dir = common::temp_dir("help");
    for flag in ["--help", "-h"] {
        let output = run(&dir, &[flag]);
        assert!(output.status.success());
        assert!(String::from_utf8_lossy(&output.stdout).contains("generate"));
    }
    let output = run(&dir, &["generate", "--help"]);
    assert!(String::from_utf8_lossy(&output.stdout).contains("--flavour"));
    let output = run(&dir, &["--version"]);
    assert!(output.status.success());
    assert!(String::from_utf8_lossy(&output.stdout).starts_with("protoc-gen-lkm "));
}

/// Runs `protoc` with the plugin; returns its output.
fn protoc_with_plugin(include: &Path, out: &Path, options: &str, proto: &Path) -> Output {
    common::require_protoc();
    fs::create_dir_all(out).unwrap();
    let mut command = Command::new("protoc");
    command
        .arg(format!("--plugin=protoc-gen-lkm={BINARY}"))
        .arg(format!("--lkm_out={}", out.display()))
        .arg("-I")
        .arg(include);
    if !options.is_empty() {
        command.arg(format!("--lkm_opt={options}"));
    }
    command.arg(proto).output().expect("protoc runs")
}

#[test]
fn plugin_errors_reach_protoc() {
    let dir = protos(
        "plugin-errors",
        &[("a.proto", "syntax = \"proto3\";\nmessage A {}\n")],
    );
    let out = dir.join("out");
    let output = protoc_with_plugin(&dir, &out, "colour=red", &dir.join("a.proto"));
    assert_fails(&output, 1, &["unknown option `colour`"]);
    let output = protoc_with_plugin(&dir, &out, "flavour=tcp", &dir.join("a.proto"));
    assert_fails(&output, 1, &["unknown flavour `tcp`"]);
}

/// Returns every file under `dir` with its bytes, by path relative to `dir`.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, files: &mut BTreeMap<String, Vec<u8>>) {
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, files);
            } else {
                let name = path.strip_prefix(root).unwrap().display().to_string();
                files.insert(name, fs::read(&path).unwrap());
            }
        }
    }
    let mut files = BTreeMap::new();
    walk(dir, dir, &mut files);
    files
}

#[test]
fn plugin_and_command_line_write_the_same_files() {
    common::require_protoc();
    let include = common::corpus_dir();
    let mut report = String::new();
    for proto in common::corpus() {
        if common::unsupported(&proto).is_some() {
            continue;
        }
        let name = proto.file_name().unwrap().to_string_lossy().into_owned();
        let work = common::temp_dir("same");
        let (by_plugin, by_cli) = (work.join("plugin"), work.join("cli"));
        let output = protoc_with_plugin(&include, &by_plugin, "", &proto);
        if !output.status.success() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            report.push_str(&format!(
                "{name}: protoc with the plugin failed: {stderr}\n"
            ));
            continue;
        }
        let include_arg = include.display().to_string();
        let out_arg = by_cli.display().to_string();
        let proto_arg = proto.display().to_string();
        let output = run(
            &work,
            &["generate", "-I", &include_arg, "-o", &out_arg, &proto_arg],
        );
        if !output.status.success() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            report.push_str(&format!("{name}: the command line failed: {stderr}\n"));
            continue;
        }
        let (plugin_files, cli_files) = (tree(&by_plugin), tree(&by_cli));
        let names = |t: &BTreeMap<String, Vec<u8>>| t.keys().cloned().collect::<Vec<_>>();
        if names(&plugin_files) != names(&cli_files) {
            report.push_str(&format!(
                "{name}: plugin wrote {:?}, command line wrote {:?}\n",
                names(&plugin_files),
                names(&cli_files)
            ));
        }
        for (file, bytes) in &plugin_files {
            if cli_files.get(file).is_some_and(|other| other != bytes) {
                report.push_str(&format!("{name}: {file} differs\n"));
            }
        }
        let _ = fs::remove_dir_all(&work);
    }
    assert!(
        report.is_empty(),
        "plugin and command line differ:\n{report}"
    );
}
