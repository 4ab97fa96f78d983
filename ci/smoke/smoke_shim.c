// SPDX-License-Identifier: GPL-2.0
/*
 * The C half of the smoke module: functions that the Rust crate root calls.
 *
 * This file is linked into the same .ko as smoke_main.rs, so it has no
 * module_init() and no MODULE_LICENSE(): those come from the Rust module! macro.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bug.h>
#include <linux/printk.h>
#include <linux/types.h>

#include "smoke_shim.h"

/* Returns a + b and logs the call, so the test sees that C ran. */
int lkmpb_smoke_add(int a, int b)
{
	pr_info("C shim: add(%d, %d)\n", a, b);
	return a + b;
}

/* Triggers a WARN_ON on purpose, for the failure-path test of ci/vm-run. */
void lkmpb_smoke_warn(void)
{
	WARN_ON(1);
}

/* Dereferences NULL on purpose, for the failure-path test of ci/vm-run. */
int lkmpb_smoke_null_deref(void)
{
	int *volatile p = NULL;

	return *p;
}
