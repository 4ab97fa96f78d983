// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Code size of each library's generated code for `benchmark.proto`, and of its runtime.
//!
//! Rust: the sizes of the function symbols in this benchmark's own executable, read with
//! `nm --print-size --demangle`. A function counts as generated code for the schema when
//! its name mentions a type of the generated `benchmark` module (monomorphized runtime
//! generics included, such as `Reader::merge_message<benchmark::SubMessage>`); the other
//! functions of the library's crate count as its runtime. Code the compiler inlined into the
//! benchmark's own closures is in neither.
//!
//! nanopb: the sections of the object compiled from `benchmark.pb.c` (no code, only field
//! tables in `.rodata`) and the `.text` of Debian's `libprotobuf-nanopb.a`.

use std::path::Path;
use std::process::Command;

/// One row of the size table.
pub struct Size {
    /// The library.
    pub lib: &'static str,
    /// Bytes of code for the schema.
    pub generated_text: Option<u64>,
    /// Bytes of read-only tables for the schema, where the library has them.
    pub generated_tables: Option<u64>,
    /// Bytes of runtime code.
    pub runtime_text: Option<u64>,
}

/// Function symbols of the running executable: demangled name and size.
fn symbols() -> Vec<(String, u64)> {
    let Ok(exe) = std::env::current_exe() else {
        return Vec::new();
    };
    let Ok(output) = Command::new("nm")
        .arg("--print-size")
        .arg("--demangle")
        .arg(&exe)
        .output()
    else {
        return Vec::new();
    };
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| {
            let mut parts = line.splitn(4, ' ');
            let _address = parts.next()?;
            let size = u64::from_str_radix(parts.next()?, 16).ok()?;
            let kind = parts.next()?;
            let name = parts.next()?;
            matches!(kind, "t" | "T").then(|| (name.to_owned(), size))
        })
        .collect()
}

/// Sums the sizes of the symbols for which `pick` is true.
fn sum(symbols: &[(String, u64)], pick: impl Fn(&str) -> bool) -> Option<u64> {
    let total: u64 = symbols
        .iter()
        .filter(|(name, _)| pick(name))
        .map(|(_, size)| size)
        .sum();
    (total > 0).then_some(total)
}

/// The sizes of the named sections of an object or archive, summed over its members.
fn sections(path: &Path) -> Option<(u64, u64)> {
    let output = Command::new("size").arg("-A").arg(path).output().ok()?;
    if !output.status.success() {
        return None;
    }
    let (mut text, mut rodata) = (0, 0);
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let mut parts = line.split_whitespace();
        let (Some(name), Some(size)) = (parts.next(), parts.next()) else {
            continue;
        };
        let Ok(size) = size.parse::<u64>() else {
            continue;
        };
        if name.starts_with(".text") {
            text += size;
        } else if name.starts_with(".rodata") || name.starts_with(".data.rel.ro") {
            rodata += size;
        }
    }
    Some((text, rodata))
}

/// The compiled `benchmark.pb.c`, found in the build's output directory.
fn nanopb_object() -> Option<std::path::PathBuf> {
    std::fs::read_dir(env!("OUT_DIR"))
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.ends_with("-benchmark.pb.o"))
        })
}

/// Measures every library's sizes.
pub fn measure() -> Vec<Size> {
    let symbols = symbols();
    let rust = |lib: &'static str, module: &str, runtime: &[&str]| {
        let generated = format!("generated::{module}::");
        Size {
            lib,
            generated_text: sum(&symbols, |n| n.contains(&generated)),
            generated_tables: None,
            runtime_text: sum(&symbols, |n| {
                !n.contains("generated::")
                    && runtime.iter().any(|r| {
                        n.starts_with(&format!("{r}::")) || n.starts_with(&format!("<{r}::"))
                    })
            }),
        }
    };
    let mut sizes = vec![
        rust("lkm-pb", "lkm::benchmark", &["lkm_pb_core"]),
        rust("prost 0.14", "prost::benchmark", &["prost"]),
        rust("micropb 0.7", "micropb::benchmark_", &["micropb"]),
        rust(
            "quick-protobuf 0.8",
            "quick::benchmark",
            &["quick_protobuf"],
        ),
    ];
    if crate::nanopb::AVAILABLE {
        let generated = nanopb_object().and_then(|o| sections(&o));
        let runtime = sections(Path::new("/usr/lib/x86_64-linux-gnu/libprotobuf-nanopb.a"));
        sizes.push(Size {
            lib: "nanopb",
            generated_text: generated.map(|(text, _)| text),
            generated_tables: generated.map(|(_, rodata)| rodata),
            runtime_text: runtime.map(|(text, _)| text),
        });
    }
    sizes
}
