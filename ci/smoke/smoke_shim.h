/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The C functions of the smoke module that smoke_main.rs calls. The Rust side
 * declares the same signatures in an `extern "C"` block.
 */
#ifndef LKMPB_SMOKE_SHIM_H
#define LKMPB_SMOKE_SHIM_H

int lkmpb_smoke_add(int a, int b);
void lkmpb_smoke_warn(void);
int lkmpb_smoke_null_deref(void);

#endif /* LKMPB_SMOKE_SHIM_H */
