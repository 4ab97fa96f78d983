// SPDX-License-Identifier: GPL-2.0

//! Smoke test module for the lkm-pb test kernel.
//!
//! The crate root registers the module, reads one integer parameter, calls the
//! C half (`smoke_shim.c`, linked into the same `.ko`), formats text into a
//! fixed stack buffer with `write!` and logs the results. The `crash` parameter
//! makes it fail on purpose so that the test runner can prove it notices:
//! 1 is a Rust panic, 2 a `WARN_ON` in C, 3 a NULL dereference in C.

use core::fmt::Write;
use kernel::prelude::*;

module! {
    type: Smoke,
    name: "smoke",
    authors: ["lkm-pb"],
    description: "lkm-pb test kernel smoke module (Rust and C in one .ko)",
    license: "GPL",
    params: {
        crash: u32 {
            default: 0,
            description: "Fail on purpose: 0 no, 1 Rust panic, 2 C WARN_ON, 3 C NULL dereference",
        },
    },
}

// The C half, in smoke_shim.c.
unsafe extern "C" {
    fn lkmpb_smoke_add(a: i32, b: i32) -> i32;
    fn lkmpb_smoke_warn();
    fn lkmpb_smoke_null_deref() -> i32;
}

/// Helpers that nothing calls, to see whether the kernel's lints flag them.
pub mod helpers {
    /// Does nothing; only here to check the dead-code and `unreachable_pub` lints.
    pub fn unused() {}
}

/// A fixed-size text buffer that `write!` can fill without allocating.
struct FixedBuf {
    bytes: [u8; 64],
    len: usize,
}

impl FixedBuf {
    fn new() -> Self {
        Self {
            bytes: [0; 64],
            len: 0,
        }
    }

    fn as_str(&self) -> &str {
        let used = self.bytes.get(..self.len).unwrap_or(&[]);
        core::str::from_utf8(used).unwrap_or("<invalid utf-8>")
    }
}

impl Write for FixedBuf {
    fn write_str(&mut self, s: &str) -> core::fmt::Result {
        let end = self.len.checked_add(s.len()).ok_or(core::fmt::Error)?;
        let dest = self.bytes.get_mut(self.len..end).ok_or(core::fmt::Error)?;
        dest.copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

struct Smoke;

impl kernel::Module for Smoke {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let crash = module_parameters::crash.value();
        pr_info!("Rust init, crash={}\n", crash);

        // SAFETY: `lkmpb_smoke_add` only reads its two integer arguments.
        let sum = unsafe { lkmpb_smoke_add(2, 40) };
        pr_info!("Rust got {} from C\n", sum);

        let mut buf = FixedBuf::new();
        if write!(buf, "2+40={} ({:#x})", sum, sum).is_err() {
            return Err(EINVAL);
        }
        pr_info!("formatted: {}\n", buf.as_str());

        match crash {
            1 => panic!("smoke: panic on purpose (crash=1)"),
            // SAFETY: `lkmpb_smoke_warn` takes no arguments; it only warns.
            2 => unsafe { lkmpb_smoke_warn() },
            3 => {
                // SAFETY: not sound on purpose: this oopses to test the runner.
                let v = unsafe { lkmpb_smoke_null_deref() };
                pr_info!("NULL read gave {}\n", v);
            }
            _ => {}
        }
        Ok(Smoke)
    }
}

impl Drop for Smoke {
    fn drop(&mut self) {
        pr_info!("Rust exit\n");
    }
}
