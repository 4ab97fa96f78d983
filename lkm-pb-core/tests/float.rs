// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Tests of `F32`/`F64`, checked against the native types and against exact decimal
//! references computed from Rust's float formatting and parsing (both correctly rounded).

use core::cmp::Ordering;

use lkm_pb_core::float::MAX_DECIMALS;
use lkm_pb_core::{F32, F64};
use proptest::prelude::*;

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: if cfg!(miri) { 4 } else { 4096 },
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// The decimals the boundary tests try: all of them, or a few under Miri, which is slow at
/// formatting the long exact expansions.
fn decimals() -> Vec<u32> {
    if cfg!(miri) {
        vec![0, 1, 6, MAX_DECIMALS]
    } else {
        (0..=MAX_DECIMALS).collect()
    }
}

/// Returns `true` when the exact expansion of a float with biased exponent `biased` is short
/// enough to format under Miri, which takes minutes for the thousand digits of tiny doubles.
fn cheap_to_expand(biased: u64, bias_and_mantissa: u64) -> bool {
    !cfg!(miri) || bias_and_mantissa.saturating_sub(biased.max(1)) <= 64
}

/// The exact value of `scaled / 10^decimals`, correctly rounded by Rust's parser.
fn reference_from_scaled_f32(scaled: i64, decimals: u32) -> f32 {
    format!("{scaled}e-{decimals}").parse().unwrap()
}

fn reference_from_scaled_f64(scaled: i64, decimals: u32) -> f64 {
    format!("{scaled}e-{decimals}").parse().unwrap()
}

/// Returns `exact * 10^decimals` rounded half away from zero, from the exact decimal expansion
/// `digits` of a finite float (as printed by `{:.N}` with enough digits), or `None` when it
/// does not fit `i64`.
fn reference_to_scaled(digits: &str, decimals: u32) -> Option<i64> {
    let (negative, digits) = match digits.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, digits),
    };
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let decimals = decimals as usize;
    // The expansion is exact, so any digits past its end are zeros.
    let frac = format!("{frac:0<width$}", width = decimals + 1);
    let whole = format!("{int}{}", &frac[..decimals]);
    let whole = whole.trim_start_matches('0');
    if whole.len() > 20 {
        return None;
    }
    let mut magnitude: u128 = if whole.is_empty() {
        0
    } else {
        whole.parse().unwrap()
    };
    if frac.as_bytes()[decimals] >= b'5' {
        magnitude += 1;
    }
    if negative {
        if magnitude <= 1u128 << 63 {
            Some((magnitude as i128).wrapping_neg() as i64)
        } else {
            None
        }
    } else {
        i64::try_from(magnitude).ok()
    }
}

/// The exact decimal expansion of `x`: `m * 2^-k` has exactly `k` fractional digits.
fn exact_f32(x: f32) -> String {
    let biased = ((x.to_bits() >> 23) & 0xff).max(1) as usize;
    let digits = (127 + 23usize).saturating_sub(biased);
    format!("{x:.digits$}")
}

/// The exact decimal expansion of `x`: `m * 2^-k` has exactly `k` fractional digits.
fn exact_f64(x: f64) -> String {
    let biased = ((x.to_bits() >> 52) & 0x7ff).max(1) as usize;
    let digits = (1023 + 52usize).saturating_sub(biased);
    format!("{x:.digits$}")
}

#[test]
fn doc_examples() {
    assert_eq!(F32::from_native(10.1).to_scaled(1), Some(101));
    assert_eq!(F32::from_scaled(101, 1), Some(F32::from_native(10.1)));
    const LIMIT: F32 = F32::from_scaled_or_zero(101, 1);
    assert_eq!(LIMIT, F32::from_native(10.1));
    assert_eq!(F32::from_scaled_or_zero(1, MAX_DECIMALS + 1), F32::ZERO);
    assert_eq!(F32::from_scaled(1, MAX_DECIMALS + 1), None);
    assert_eq!(F64::from_scaled(1, u32::MAX), None);
    assert_eq!(F32::from_native(1.0).to_scaled(MAX_DECIMALS + 1), None);
    assert_eq!(
        F64::from_native(1.0).to_scaled(MAX_DECIMALS),
        Some(1_000_000_000_000_000_000)
    );
}

#[test]
fn from_scaled_boundaries() {
    let values = [
        0i64,
        1,
        -1,
        5,
        15,
        25,
        101,
        16_777_217,
        -16_777_217,
        9_007_199_254_740_993,
        i64::MAX,
        i64::MIN,
        i64::MIN + 1,
        1 << 62,
        (1 << 53) + 1,
        999_999_999_999_999_999,
    ];
    for &n in &values {
        for d in decimals() {
            let ours = F32::from_scaled(n, d).unwrap();
            let theirs = reference_from_scaled_f32(n, d);
            assert_eq!(ours.to_bits(), theirs.to_bits(), "F32 {n}e-{d}");
            let ours = F64::from_scaled(n, d).unwrap();
            let theirs = reference_from_scaled_f64(n, d);
            assert_eq!(ours.to_bits(), theirs.to_bits(), "F64 {n}e-{d}");
        }
    }
    // Zero is positive zero, whatever the decimals.
    assert_eq!(F32::from_scaled(0, 5), Some(F32::ZERO));
    assert_eq!(F64::from_scaled(0, 0), Some(F64::ZERO));
}

#[test]
fn from_scaled_ties_round_to_even() {
    // 2^24 + 1 lies halfway between two f32 values; ties go to the even mantissa.
    let tie = (1i64 << 24) + 1;
    assert_eq!(F32::from_scaled(tie, 0).unwrap().to_native(), 16_777_216.0);
    let tie = (1i64 << 24) + 3;
    assert_eq!(F32::from_scaled(tie, 0).unwrap().to_native(), 16_777_220.0);
    // Just above a tie rounds up: the sticky bit from the division counts.
    let above = ((1i64 << 24) + 1) * 10 + 1;
    assert_eq!(
        F32::from_scaled(above, 1).unwrap().to_native(),
        16_777_218.0
    );
}

#[test]
fn to_scaled_boundaries() {
    let f32s = [
        0.0f32,
        -0.0,
        0.5,
        -0.5,
        1.5,
        2.5,
        -2.5,
        0.05,
        0.15,
        1e-7,
        f32::MIN_POSITIVE,
        f32::from_bits(1),
        -f32::from_bits(1),
        9.223372e18,
        -9.223372e18,
        9.2233715e18,
        f32::MAX,
        f32::MIN,
        16_777_216.0,
    ];
    for &x in &f32s {
        if !cheap_to_expand(u64::from(x.to_bits() >> 23 & 0xff), 150) {
            continue;
        }
        let exact = exact_f32(x);
        for d in decimals() {
            assert_eq!(
                F32::from_native(x).to_scaled(d),
                reference_to_scaled(&exact, d),
                "{x:e} * 10^{d}"
            );
        }
    }
    let f64s = [
        0.0f64,
        0.5,
        -0.5,
        0.1,
        0.125,
        -0.125,
        4503599627370496.5,
        9.223372036854775e18,
        9.223372036854776e18,
        -9.223372036854776e18,
        f64::MAX,
        f64::MIN_POSITIVE,
        f64::from_bits(1),
        1e-18,
        5e-19,
    ];
    for &x in &f64s {
        if !cheap_to_expand(x.to_bits() >> 52 & 0x7ff, 1075) {
            continue;
        }
        let exact = exact_f64(x);
        for d in decimals() {
            assert_eq!(
                F64::from_native(x).to_scaled(d),
                reference_to_scaled(&exact, d),
                "{x:e} * 10^{d}"
            );
        }
    }
}

#[test]
fn to_scaled_reaches_i64_min() {
    // -2^63 is an `i64`, so it converts; +2^63 and -2^64 do not.
    let min = i64::MIN as f64;
    assert_eq!(F64::from_native(min).to_scaled(0), Some(i64::MIN));
    assert_eq!(F32::from_native(min as f32).to_scaled(0), Some(i64::MIN));
    assert_eq!(F64::from_native(-min).to_scaled(0), None);
    assert_eq!(F64::from_native(min * 2.0).to_scaled(0), None);
    // Smaller negative powers of two convert exactly too.
    assert_eq!(F64::from_native(min / 8.0).to_scaled(0), Some(i64::MIN / 8));
}

#[test]
fn to_scaled_rejects_nan_and_infinity() {
    for bits in [
        0x7f80_0000u32,
        0xff80_0000,
        0x7fc0_0000,
        0xffc0_0000,
        0x7f80_0001,
    ] {
        assert_eq!(F32::from_bits(bits).to_scaled(0), None, "{bits:#x}");
    }
    for x in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        assert_eq!(F64::from_native(x).to_scaled(3), None);
    }
}

#[test]
fn classification() {
    let f32s = [
        0.0f32,
        -0.0,
        1.0,
        -1.0,
        f32::NAN,
        -f32::NAN,
        f32::INFINITY,
        f32::NEG_INFINITY,
        f32::from_bits(1),
        f32::MAX,
    ];
    for x in f32s {
        let f = F32::from_native(x);
        assert_eq!(f.is_nan(), x.is_nan(), "{x}");
        assert_eq!(f.is_infinite(), x.is_infinite(), "{x}");
        assert_eq!(f.is_sign_negative(), x.is_sign_negative(), "{x}");
        assert_eq!(f.is_zero(), x == 0.0, "{x}");
        assert_eq!(f.to_native().to_bits(), x.to_bits());
        assert_eq!(F32::from(x), f);
    }
    assert_eq!(F64::from(-0.0f64).to_bits(), 1 << 63);
    assert!(F64::from_native(f64::NAN).is_nan());
}

#[test]
fn debug_output() {
    let f32s: &[(f32, &str)] = &[
        (10.1, "10.1"),
        (0.0, "0.0"),
        (-0.0, "-0.0"),
        (1.0, "1.0"),
        (-1.5, "-1.5"),
        (0.1, "0.1"),
        (123.456, "123.456001"),
        (1e-7, "0.0"),
        (0.000_001, "0.000001"),
        (-0.000_001_5, "-0.000002"),
        (f32::NAN, "NaN"),
        (f32::INFINITY, "inf"),
        (f32::NEG_INFINITY, "-inf"),
        (1e20, "F32(0x60ad78ec)"),
        (f32::MAX, "F32(0x7f7fffff)"),
    ];
    for &(x, text) in f32s {
        assert_eq!(format!("{:?}", F32::from_native(x)), text, "{x:e}");
    }
    let f64s: &[(f64, &str)] = &[
        (10.1, "10.1"),
        (0.0, "0.0"),
        (-2.25, "-2.25"),
        (1e12, "1000000000000.0"),
        (f64::NAN, "NaN"),
        (f64::NEG_INFINITY, "-inf"),
        (1e300, "F64(0x7e37e43c8800759c)"),
    ];
    for &(x, text) in f64s {
        assert_eq!(format!("{:?}", F64::from_native(x)), text, "{x:e}");
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn from_scaled_is_correctly_rounded(n: i64, d in 0..=MAX_DECIMALS) {
        let ours = F32::from_scaled(n, d).unwrap();
        prop_assert_eq!(ours.to_bits(), reference_from_scaled_f32(n, d).to_bits(), "F32 {}e-{}", n, d);
        let ours = F64::from_scaled(n, d).unwrap();
        prop_assert_eq!(ours.to_bits(), reference_from_scaled_f64(n, d).to_bits(), "F64 {}e-{}", n, d);
    }

    #[test]
    fn from_scaled_small_numbers(n in -100_000i64..100_000, d in 0..=MAX_DECIMALS) {
        let ours = F32::from_scaled(n, d).unwrap();
        prop_assert_eq!(ours.to_bits(), reference_from_scaled_f32(n, d).to_bits());
        let ours = F64::from_scaled(n, d).unwrap();
        prop_assert_eq!(ours.to_bits(), reference_from_scaled_f64(n, d).to_bits());
    }

    #[test]
    fn to_scaled_is_exact_f32(bits: u32, d in 0..=MAX_DECIMALS) {
        let x = f32::from_bits(bits);
        prop_assume!(cheap_to_expand(u64::from(bits >> 23 & 0xff), 150));
        let expected = if x.is_finite() { reference_to_scaled(&exact_f32(x), d) } else { None };
        prop_assert_eq!(F32::from_bits(bits).to_scaled(d), expected, "{:e} * 10^{}", x, d);
    }

    #[test]
    fn to_scaled_is_exact_f32_in_range(x in -1e12f32..1e12, d in 0..=6u32) {
        prop_assert_eq!(F32::from_native(x).to_scaled(d), reference_to_scaled(&exact_f32(x), d));
    }

    #[test]
    fn to_scaled_is_exact_f64(x in -1e15f64..1e15, d in 0..=MAX_DECIMALS) {
        prop_assert_eq!(F64::from_native(x).to_scaled(d), reference_to_scaled(&exact_f64(x), d));
    }

    #[test]
    fn to_scaled_is_exact_f64_bits(bits: u64, d in 0..=MAX_DECIMALS) {
        let x = f64::from_bits(bits);
        prop_assume!(cheap_to_expand(bits >> 52 & 0x7ff, 1075));
        let expected = if x.is_finite() { reference_to_scaled(&exact_f64(x), d) } else { None };
        prop_assert_eq!(F64::from_bits(bits).to_scaled(d), expected);
    }

    #[test]
    fn scaled_round_trip(n in -(1i64 << 24)..(1 << 24), d in 0..=6u32) {
        // Values with at most 24 significant bits survive f32 exactly only for d == 0, but
        // the nearest float always converts back to the same scaled integer for small d.
        let f = F64::from_scaled(n, d).unwrap();
        prop_assert_eq!(f.to_scaled(d), Some(n));
    }

    #[test]
    fn orderings_match_native_f32(a: u32, b: u32) {
        let (x, y) = (f32::from_bits(a), f32::from_bits(b));
        let (fx, fy) = (F32::from_bits(a), F32::from_bits(b));
        prop_assert_eq!(fx.total_cmp(fy), x.total_cmp(&y));
        prop_assert_eq!(fx.compare(fy), x.partial_cmp(&y));
        prop_assert_eq!(fx.greater_than(fy), x > y);
        prop_assert_eq!(fx.less_than(fy), x < y);
        prop_assert_eq!(fx.numeric_eq(fy), x == y);
        prop_assert_eq!(fx.is_nan(), x.is_nan());
        prop_assert_eq!(fx.is_infinite(), x.is_infinite());
    }

    #[test]
    fn orderings_match_native_f64(a: u64, b: u64) {
        let (x, y) = (f64::from_bits(a), f64::from_bits(b));
        let (fx, fy) = (F64::from_bits(a), F64::from_bits(b));
        prop_assert_eq!(fx.total_cmp(fy), x.total_cmp(&y));
        prop_assert_eq!(fx.compare(fy), x.partial_cmp(&y));
        prop_assert_eq!(fx.greater_than(fy), x > y);
        prop_assert_eq!(fx.less_than(fy), x < y);
        prop_assert_eq!(fx.numeric_eq(fy), x == y);
    }

    #[test]
    fn orderings_of_nearby_values(x: f32, ulps in -3i32..=3) {
        let y = f32::from_bits(x.to_bits().wrapping_add_signed(ulps));
        let (fx, fy) = (F32::from_native(x), F32::from_native(y));
        prop_assert_eq!(fx.compare(fy), x.partial_cmp(&y));
        prop_assert_eq!(fx.total_cmp(fy), x.total_cmp(&y));
    }

    #[test]
    fn debug_is_the_rounded_decimal(x in -1e9f64..1e9) {
        let f = F64::from_native(x);
        let scaled = f.to_scaled(6).unwrap();
        let text = format!("{f:?}");
        let parsed: f64 = text.parse().unwrap();
        prop_assert_eq!((parsed * 1e6).round() as i64, scaled, "{}", text);
        prop_assert!(text.contains('.'));
    }
}

#[test]
fn special_comparisons() {
    let zero = F32::ZERO;
    let neg_zero = F32::from_native(-0.0);
    let nan = F32::from_native(f32::NAN);
    let neg_nan = F32::from_bits(0xffc0_0000);
    let inf = F32::from_native(f32::INFINITY);
    assert_eq!(zero.compare(neg_zero), Some(Ordering::Equal));
    assert!(zero.numeric_eq(neg_zero));
    assert_eq!(neg_zero.total_cmp(zero), Ordering::Less);
    assert_eq!(nan.compare(nan), None);
    assert!(!nan.numeric_eq(nan));
    assert!(!nan.greater_than(zero) && !nan.less_than(zero));
    assert_eq!(
        neg_nan.total_cmp(F32::from_native(f32::NEG_INFINITY)),
        Ordering::Less
    );
    assert_eq!(nan.total_cmp(inf), Ordering::Greater);
    assert!(inf.greater_than(F32::from_native(f32::MAX)));
    let tiny = F32::from_bits(1);
    assert!(tiny.greater_than(zero) && tiny.greater_than(neg_zero));
    assert!(F32::from_bits(0x8000_0001).less_than(neg_zero));
}
