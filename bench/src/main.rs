// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Benchmarks lkm-pb against prost, micropb, quick-protobuf, nanopb and a plain copy of
//! the same bytes, and writes the table to `BENCHMARKS.md`.
//!
//! ```text
//! lkm-pb-bench [--markdown FILE] [--quick] [--no-callgrind] [--check]
//! ```
//!
//! - `--check`: only build and check every cell (equal values everywhere), then exit.
//! - `--quick`: shorter timing (for trying things out; the table says so).
//! - `--no-callgrind`: leave out the instruction counts.
//! - `--markdown FILE`: write the report there as well as printing the table.
//!
//! `--callgrind-inner N` is the program's own entry point under valgrind.

mod cells;
mod convert;
mod generated;
mod measure;
mod nanopb;
mod report;
mod sizes;
mod values;

use std::process::ExitCode;
use std::time::{Duration, Instant};

use cells::{Lib, Op};
use measure::Timing;

/// Loop iterations per cell under callgrind.
const CALLGRIND_ITERATIONS: u64 = 1000;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("lkm-pb-bench: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let started = Instant::now();
    let libs = cells::available_libs();

    if let Some(position) = args.iter().position(|a| a == "--callgrind-inner") {
        let iterations = args
            .get(position + 1)
            .and_then(|n| n.parse().ok())
            .ok_or("--callgrind-inner needs a count")?;
        let mut cells = cells::all_cells(&libs)?;
        measure::callgrind_inner(&mut cells, iterations);
        return Ok(());
    }

    let mut markdown = None;
    let mut quick = false;
    let mut callgrind = true;
    let mut check_only = false;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--markdown" => markdown = Some(rest.next().ok_or("--markdown needs a file")?),
            "--quick" => quick = true,
            "--no-callgrind" => callgrind = false,
            "--check" => check_only = true,
            other => return Err(format!("unknown argument {other:?}")),
        }
    }

    if !libs.contains(&Lib::Nanopb) {
        eprintln!(
            "lkm-pb-bench: nanopb was not found at build time; its column is left out \
             (ci/bench installs nanopb and libnanopb-dev)"
        );
    }
    let mut cells = cells::all_cells(&libs)?;
    eprintln!(
        "lkm-pb-bench: checked {} libraries on {} cases: every decoder and encoder agrees with \
         prost",
        libs.len(),
        values::Case::ALL.len()
    );
    if check_only {
        return Ok(());
    }

    let timing = if quick {
        Timing {
            sample: Duration::from_micros(500),
            samples: 7,
        }
    } else {
        Timing {
            sample: Duration::from_millis(2),
            samples: 41,
        }
    };
    let mut results = Vec::new();
    for cell in &cells {
        for op in Op::ALL {
            results.push(report::Result {
                lib: cell.lib,
                case: cell.case,
                op,
                encoded_len: cell.encoded_len,
                ns: 0.0,
                instructions: None,
            });
        }
    }
    let mut ops: Vec<&mut dyn FnMut()> = Vec::new();
    for cell in &mut cells {
        ops.push(cell.decode.as_mut());
        ops.push(cell.encode.as_mut());
    }
    for (result, ns) in results.iter_mut().zip(measure::median_ns(&mut ops, timing)) {
        result.ns = ns;
    }
    drop(ops);
    drop(cells);

    if callgrind {
        let program = std::env::current_exe().map_err(|e| format!("current_exe: {e}"))?;
        let counts = measure::callgrind_outer(&program, &[], CALLGRIND_ITERATIONS, results.len())?;
        for (result, count) in results.iter_mut().zip(counts) {
            result.instructions = Some(count);
        }
    }

    let sizes = sizes::measure();
    let report = report::render(&results, &libs, &sizes, quick, started.elapsed());
    println!("{}", report.table);
    if let Some(path) = markdown {
        std::fs::write(path, &report.markdown).map_err(|e| format!("write {path}: {e}"))?;
        eprintln!("lkm-pb-bench: wrote {path}");
    }
    Ok(())
}
