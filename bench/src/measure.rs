// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The two measurements: median wall-clock time per operation, and instructions per
//! operation counted by callgrind.
//!
//! For the instruction counts the benchmark runs itself under
//! `valgrind --tool=callgrind --collect-atstart=no --toggle-collect=lkm_bench_measured_loop
//! --dump-after=lkm_bench_measured_loop`: only instructions executed inside
//! [`lkm_bench_measured_loop`] (and everything it calls) are counted, and each call of it
//! writes one dump file, so each cell's loop gets its own total. The first loop runs an
//! empty operation; its count per iteration (the loop and the indirect call) is subtracted
//! from every cell.

use std::hint::black_box;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::cells::{Cell, Op, Run};

/// Runs `op` `iterations` times; the only code callgrind counts.
#[no_mangle]
#[inline(never)]
pub fn lkm_bench_measured_loop(op: &mut dyn FnMut(), iterations: u64) {
    for _ in 0..black_box(iterations) {
        op();
    }
}

/// Returns the operation `op` of `cell`.
pub fn run_of(cell: &mut Cell, op: Op) -> &mut Run {
    match op {
        Op::Decode => &mut cell.decode,
        Op::Encode => &mut cell.encode,
    }
}

/// Settings of the timing.
#[derive(Clone, Copy, Debug)]
pub struct Timing {
    /// How long one sample runs at least.
    pub sample: Duration,
    /// How many samples the median is taken of.
    pub samples: usize,
}

/// Returns the median time of one run of each operation in `ops`, in nanoseconds.
///
/// Each operation first gets the iteration count that fills one sample (warming it up on
/// the way). The samples are then taken round-robin, one of each operation per round, so
/// that load from other work on the machine spreads over all operations alike instead of
/// falling on whichever ran at the time; this keeps the ratios between libraries steadier
/// than the absolute times.
pub fn median_ns(ops: &mut [&mut dyn FnMut()], timing: Timing) -> Vec<f64> {
    let counts: Vec<u64> = ops
        .iter_mut()
        .map(|op| {
            let mut iterations = 1u64;
            loop {
                let start = Instant::now();
                lkm_bench_measured_loop(*op, iterations);
                if start.elapsed() >= timing.sample || iterations >= 1 << 30 {
                    break iterations;
                }
                iterations *= 2;
            }
        })
        .collect();
    let mut per_op: Vec<Vec<f64>> = vec![Vec::with_capacity(timing.samples); ops.len()];
    for _ in 0..timing.samples {
        for ((op, &iterations), samples) in ops.iter_mut().zip(&counts).zip(&mut per_op) {
            let start = Instant::now();
            lkm_bench_measured_loop(*op, iterations);
            samples.push(start.elapsed().as_nanos() as f64 / iterations as f64);
        }
    }
    per_op
        .into_iter()
        .map(|mut samples| {
            samples.sort_by(f64::total_cmp);
            samples[samples.len() / 2]
        })
        .collect()
}

/// The inner side of the callgrind run: an empty loop, then every operation of every cell
/// in order, each warmed up outside the counted loop first.
///
/// With `LKM_BENCH_PROFILE=lib/case/op` (for example `lkm-pb/Message/decode`) only that
/// operation runs, for a look with `callgrind_annotate`.
pub fn callgrind_inner(cells: &mut [Cell], iterations: u64) {
    let only = std::env::var("LKM_BENCH_PROFILE").ok();
    let mut empty = || {};
    lkm_bench_measured_loop(&mut empty, iterations);
    for cell in cells.iter_mut() {
        for op in Op::ALL {
            let name = format!("{}/{}/{}", cell.lib.name(), cell.case.name(), op.name());
            if only.as_ref().is_some_and(|only| *only != name) {
                continue;
            }
            let run = run_of(cell, op);
            for _ in 0..3 {
                run();
            }
            lkm_bench_measured_loop(run.as_mut(), iterations);
        }
    }
}

/// Runs this program under callgrind and returns the instructions per operation of every
/// cell, in the order [`callgrind_inner`] runs them (cell by cell, decode then encode).
pub fn callgrind_outer(
    program: &Path,
    extra_args: &[String],
    iterations: u64,
    expected: usize,
) -> Result<Vec<f64>, String> {
    let dir = std::env::temp_dir().join(format!("lkm-pb-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| format!("create {}: {e}", dir.display()))?;
    let out_file = dir.join("callgrind.out");
    let status = Command::new("valgrind")
        .arg("--tool=callgrind")
        .arg("--collect-atstart=no")
        .arg("--toggle-collect=lkm_bench_measured_loop")
        .arg("--dump-after=lkm_bench_measured_loop")
        .arg(format!("--callgrind-out-file={}", out_file.display()))
        .arg("--quiet")
        .arg(program)
        .arg("--callgrind-inner")
        .arg(iterations.to_string())
        .args(extra_args)
        .status()
        .map_err(|e| format!("cannot run valgrind: {e}"))?;
    if !status.success() {
        return Err(format!("valgrind failed: {status}"));
    }
    let mut totals = Vec::new();
    for part in 1.. {
        let path = dir.join(format!("callgrind.out.{part}"));
        let Ok(text) = std::fs::read_to_string(&path) else {
            break;
        };
        let total = text
            .lines()
            .find_map(|line| {
                line.strip_prefix("totals: ")
                    .or_else(|| line.strip_prefix("summary: "))
            })
            .and_then(|v| v.split_whitespace().next()?.parse::<u64>().ok())
            .ok_or_else(|| format!("no total in {}", path.display()))?;
        totals.push(total);
    }
    let _ = std::fs::remove_dir_all(&dir);
    if totals.len() != expected + 1 {
        return Err(format!(
            "callgrind wrote {} dumps, expected {}",
            totals.len(),
            expected + 1
        ));
    }
    let overhead = totals[0] as f64 / iterations as f64;
    Ok(totals[1..]
        .iter()
        .map(|&t| t as f64 / iterations as f64 - overhead)
        .collect())
}
