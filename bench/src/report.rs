// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The results as a terminal table and as `BENCHMARKS.md`.

use std::fmt::Write as _;
use std::process::Command;
use std::time::Duration;

use crate::cells::{Lib, Op};
use crate::sizes::Size;
use crate::values::Case;

/// The measurements of one operation of one library on one case.
pub struct Result {
    /// The library.
    pub lib: Lib,
    /// The case.
    pub case: Case,
    /// Decode or encode.
    pub op: Op,
    /// The encoded size of the case.
    pub encoded_len: usize,
    /// Median nanoseconds per operation.
    pub ns: f64,
    /// Instructions per operation, when callgrind ran.
    pub instructions: Option<f64>,
}

/// The rendered report.
pub struct Report {
    /// The table for the terminal.
    pub table: String,
    /// The whole of `BENCHMARKS.md`.
    pub markdown: String,
}

fn find(results: &[Result], lib: Lib, case: Case, op: Op) -> Option<&Result> {
    results
        .iter()
        .find(|r| r.lib == lib && r.case == case && r.op == op)
}

/// Formats `n` with thousands separators.
fn thousands(n: f64) -> String {
    let n = n.round() as i64;
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 {
        out.insert(0, '-');
    }
    out
}

fn ns(value: f64) -> String {
    if value < 10.0 {
        format!("{value:.1} ns")
    } else {
        format!("{} ns", thousands(value))
    }
}

/// The text of one table cell.
fn cell(results: &[Result], lib: Lib, case: Case, op: Op) -> String {
    let Some(r) = find(results, lib, case, op) else {
        return "n/a".to_owned();
    };
    let ratio = find(results, Lib::Prost, case, op)
        .map(|p| format!(" ({:.2}x)", r.ns / p.ns))
        .unwrap_or_default();
    let instructions = r
        .instructions
        .map(|i| format!(", {} instr", thousands(i)))
        .unwrap_or_default();
    format!("{}{ratio}{instructions}", ns(r.ns))
}

fn command_output(program: &str, args: &[&str]) -> String {
    Command::new(program)
        .args(args)
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_else(|| "unknown".to_owned())
}

fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|text| {
            text.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown".to_owned())
}

fn met(ok: bool) -> &'static str {
    if ok {
        "met"
    } else {
        "**missed**"
    }
}

/// The lines of the targets section, each computed from the table.
fn targets(results: &[Result], libs: &[Lib]) -> String {
    let mut out = String::new();
    let instr = |lib, case, op| find(results, lib, case, op).and_then(|r| r.instructions);
    for op in Op::ALL {
        let mut all = true;
        let mut parts = Vec::new();
        for case in Case::ALL {
            match (instr(Lib::LkmPb, case, op), instr(Lib::Micropb, case, op)) {
                (Some(l), Some(m)) => {
                    all &= l < m;
                    parts.push(format!(
                        "{} {} vs {}",
                        case.name(),
                        thousands(l),
                        thousands(m)
                    ));
                }
                _ => all = false,
            }
        }
        let _ = writeln!(
            out,
            "- {}: fewer instructions than micropb on every case: {} ({}).",
            capitalized(op.name()),
            met(all && !parts.is_empty()),
            parts.join("; ")
        );
        if op == Op::Decode {
            if let (Some(l), Some(p)) = (
                find(results, Lib::LkmPb, Case::Message, op),
                find(results, Lib::Prost, Case::Message, op),
            ) {
                let ratio = l.ns / p.ns;
                let _ = writeln!(
                    out,
                    "- Decode `Message` in at most half of prost's time: {} ({:.2}x: {} vs {}; \
                     instructions {} vs {}).",
                    met(ratio <= 0.5),
                    ratio,
                    ns(l.ns),
                    ns(p.ns),
                    l.instructions.map(thousands).unwrap_or_default(),
                    p.instructions.map(thousands).unwrap_or_default(),
                );
            }
        }
    }
    if let (Some(l), Some(m)) = (
        find(results, Lib::LkmPb, Case::Fixed32s, Op::Decode),
        find(results, Lib::Memcpy, Case::Fixed32s, Op::Decode),
    ) {
        let bytes = l.encoded_len as f64;
        let time = l.ns / m.ns;
        let instructions = match (l.instructions, m.instructions) {
            (Some(li), Some(mi)) => format!(
                "; instructions {:.2} vs {:.2} per byte, {:.2}x",
                li / bytes,
                mi / bytes,
                li / mi
            ),
            _ => String::new(),
        };
        let _ = writeln!(
            out,
            "- Packed `fixed32` decode within 2x of memcpy per byte (`Fixed32s`, {} bytes): {} \
             (time {:.3} vs {:.3} ns per byte, {:.2}x{instructions}).",
            l.encoded_len,
            met(time <= 2.0),
            l.ns / bytes,
            m.ns / bytes,
            time
        );
    }
    let mut standing = Vec::new();
    for case in Case::ALL {
        for op in Op::ALL {
            let best = libs
                .iter()
                .filter(|&&lib| lib != Lib::Memcpy)
                .filter_map(|&lib| Some((lib, instr(lib, case, op)?)))
                .min_by(|a, b| a.1.total_cmp(&b.1));
            if let Some((lib, _)) = best {
                standing.push(format!("{} {}: {}", case.name(), op.name(), lib.name()));
            }
        }
    }
    if !standing.is_empty() {
        let _ = writeln!(
            out,
            "- Fewest instructions per case, memcpy aside: {}.",
            standing.join("; ")
        );
    }
    out
}

fn capitalized(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn bytes_or_dash(value: Option<u64>) -> String {
    value
        .map(|v| thousands(v as f64))
        .unwrap_or_else(|| "-".to_owned())
}

/// Renders the terminal table and the markdown report.
pub fn render(
    results: &[Result],
    libs: &[Lib],
    sizes: &[Size],
    quick: bool,
    elapsed: Duration,
) -> Report {
    let mut table = String::new();
    let _ = write!(table, "| case | op | bytes |");
    for lib in libs {
        let _ = write!(table, " {} |", lib.name());
    }
    table.push('\n');
    table.push_str("| --- | --- | ---: |");
    for _ in libs {
        table.push_str(" ---: |");
    }
    table.push('\n');
    for case in Case::ALL {
        for op in Op::ALL {
            let bytes = find(results, Lib::Prost, case, op)
                .map(|r| r.encoded_len)
                .unwrap_or_default();
            let _ = write!(table, "| `{}` | {} | {bytes} |", case.name(), op.name());
            for &lib in libs {
                let _ = write!(table, " {} |", cell(results, lib, case, op));
            }
            table.push('\n');
        }
    }

    let mut size_table = String::from(
        "| library | generated code for `benchmark.proto` (.text) | its tables (.rodata) | \
         runtime (.text) |\n| --- | ---: | ---: | ---: |\n",
    );
    for size in sizes {
        let _ = writeln!(
            size_table,
            "| {} | {} | {} | {} |",
            size.lib,
            bytes_or_dash(size.generated_text),
            bytes_or_dash(size.generated_tables),
            bytes_or_dash(size.runtime_text)
        );
    }

    let has_callgrind = results.iter().any(|r| r.instructions.is_some());
    let mut md = String::new();
    md.push_str("# Benchmarks\n\n");
    md.push_str(
        "lkm-pb against prost, micropb, quick-protobuf and nanopb, on the same bytes and the \
         same values, with a copy of the encoded bytes (`memcpy`) as the floor. This file is \
         written by `ci/bench`; edit the program in `bench/`, not this file.\n\n",
    );
    let _ =
        writeln!(
        md,
        "- Date: {}\n- Machine: {} CPUs (`nproc`), {} (`/proc/cpuinfo`), shared with other work \
         while it ran\n- Compiler: {}; C compiler for nanopb: {}\n- nanopb: {}\n- Command: \
         `ci/bench` (it builds with `cargo build --release -p lkm-pb-bench` and runs \
         `target/release/lkm-pb-bench --markdown BENCHMARKS.md`); run time of the benchmark \
         program {:.0} s, not counting the build{}\n",
        command_output("date", &["-u", "+%Y-%m-%d %H:%M UTC"]),
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        cpu_model(),
        command_output("rustc", &["--version"]),
        command_output("cc", &["--version"])
            .lines()
            .next()
            .unwrap_or("unknown"),
        if libs.contains(&Lib::Nanopb) {
            command_output("dpkg-query", &["-W", "-f", "${Version}", "libnanopb-dev"])
        } else {
            "not installed: column left out".to_owned()
        },
        elapsed.as_secs_f64(),
        if quick { " (`--quick`: short timing)" } else { "" },
    );
    md.push_str("## Results\n\n");
    md.push_str(
        "Each cell: median time per operation, in parentheses the ratio to prost's time in \
         the same run (below 1 is faster than prost)",
    );
    if has_callgrind {
        md.push_str(", then instructions per operation counted by callgrind");
    }
    md.push_str(
        ". `bytes` is the encoded size. Times are noisy on this shared machine; the \
         instruction counts repeat exactly from run to run of the same build.\n\n",
    );
    md.push_str(&table);
    md.push_str("\n## Targets\n\n");
    md.push_str(
        "The targets of lkm-pb, each with the figures from the table above; nothing here is \
         asserted by a test.\n\n",
    );
    md.push_str(&targets(results, libs));
    md.push_str("\n## Code size\n\n");
    md.push_str(&size_table);
    md.push_str(SIZE_METHOD);
    md.push_str(METHOD);
    Report {
        table,
        markdown: md,
    }
}

const SIZE_METHOD: &str = "
Rust libraries: sizes of the function symbols (`nm --print-size --demangle`) in the \
release build of the benchmark program. A function counts as generated code for the schema \
when its name mentions a type of the library's generated `benchmark` module, which includes \
the runtime's generic functions instantiated for those types; the other functions of the \
library's crate count as runtime (for lkm-pb, instantiations for the other cases are runtime \
too). Code that the compiler inlined into the benchmark's own closures is in neither column, \
so these figures are lower bounds. nanopb: the sections of the object compiled from \
`benchmark.pb.c` (nanopb generates field tables, no code) and the `.text` of Debian's \
`libprotobuf-nanopb.a`. The size of the hello_world kernel modules is not measured here yet.
";

const METHOD: &str = "
## Method

- Values: `bench/src/values.rs` builds each case as a prost message; prost's encoding is the \
  input of every decoder. `Message` is `benchmark.Message` with `Message1` in its oneof and \
  every field set (repeated strings, a string, the nested `SubMessage` with strings, bytes, \
  negative and 64-bit integers). `Message3` has five sub-messages. `Foo` is `message Foo \
  { int32 bar = 1; }` with `bar = 1234`. `Packed` has 256 values each of packed `int32`, \
  `sint64` and `fixed32` and a `map<int32, int32>` of 16 entries. `Fixed32s` is 1,024 packed \
  `fixed32` values, the case compared with memcpy. Schemas: `tests/corpus/benchmark.proto` \
  and `bench/proto/cases.proto`. The map has no entry whose key and value are both 0: \
  prost writes such an entry as an empty entry, and micropb 0.7 drops it when decoding, \
  which the check below found.
- Checks before timing (`bench/src/cells.rs`): each Rust library decodes the bytes, its \
  result is converted to prost's types and compared with the reference; it then encodes \
  what it decoded, and prost must decode that output to the reference. nanopb's C structs \
  are not converted: nanopb decodes the bytes, encodes what it decoded, and prost must \
  decode that to the reference. Any difference stops the program.
- Operations: a decode reuses what a caller keeps between messages (lkm-pb's 64 KiB arena \
  buffer) and builds what it builds per message (prost's and quick-protobuf's owned \
  fields, micropb's default message decoded into, nanopb's struct cleared by `pb_decode`). \
  An encode writes the decoded value into a buffer kept between runs (prost: a `Vec` \
  cleared each time); lkm-pb's `encode` computes the size first, as prost's does. \
  `memcpy` copies the encoded bytes into another buffer, in both rows.
- Containers: micropb uses `heapless` with 128-byte strings and bytes, 8 elements per \
  repeated field of `benchmark.proto`, 256 per packed field, 32 map entries, 1,024 \
  `Fixed32s` values; nanopb gets the same capacities as fixed arrays \
  (`bench/c/nanopb.options`), so neither needs callbacks or an allocator.
- Time: each operation runs in a loop of `std::hint::black_box`ed calls; the iteration \
  count is doubled until one loop takes at least 2 ms, then 41 such loops are timed and \
  the median time per operation is reported. The loops run round-robin, one of every \
  operation per round, so that load from other work on the machine falls on all of them \
  alike. Ratios compare with prost's median from the \
  same run.
- Instructions: the program runs itself under `valgrind --tool=callgrind \
  --collect-atstart=no --toggle-collect=lkm_bench_measured_loop \
  --dump-after=lkm_bench_measured_loop`. Each operation runs three times outside the \
  counted function (first-call effects such as symbol binding and allocator warm-up), then \
  1,000 times inside it; each call of the counted function writes its own dump, whose total \
  divided by 1,000 is the count per operation. The count of an empty operation (the loop \
  and the indirect call, measured first) is subtracted from every cell.
- Build: `cargo build --release` (the workspace's release profile, `opt-level = 3`); \
  nanopb's generated C and glue are built by the `cc` crate at `-O2` and linked with \
  Debian's `libprotobuf-nanopb.a`.
";
