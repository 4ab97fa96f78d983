// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! `float` and `double` values as IEEE-754 bits, with integer-only helpers.
//!
//! Kernel code must not touch the FPU outside `kernel_fpu_begin()`, and `f32`/`f64`
//! arithmetic does not even link in a module. Decoded `float` and `double` fields are
//! therefore [`F32`] and [`F64`]: the raw bits, plus helpers written with integer arithmetic
//! only: IEEE comparison, total ordering, conversion to and from scaled integers
//! (`10.1` is `F32::from_scaled(101, 1)`), and a `Debug` that prints decimals.

use core::cmp::Ordering;
use core::fmt;

/// The most decimals the scaled conversions accept (10^18 fits comfortably in 64 bits).
pub const MAX_DECIMALS: u32 = 18;

/// Returns 10^`decimals`, or `None` past [`MAX_DECIMALS`].
const fn pow10(decimals: u32) -> Option<u128> {
    if decimals > MAX_DECIMALS {
        return None;
    }
    let mut i = 0;
    let mut value = 1u128;
    while i < decimals {
        value = value.wrapping_mul(10);
        i = i.wrapping_add(1);
    }
    Some(value)
}

/// Returns `numerator / divisor` and the remainder, by binary long division.
///
/// Written out because a 128-bit `/` calls `__udivti3`, which the kernel does not provide.
/// `divisor` must not be zero; the callers divide by powers of ten.
const fn div_rem(numerator: u128, divisor: u128) -> (u128, u128) {
    let mut quotient = 0u128;
    let mut remainder = 0u128;
    let mut bit = bit_len(numerator);
    while bit > 0 {
        bit = bit.wrapping_sub(1);
        remainder = remainder.wrapping_shl(1) | (numerator.wrapping_shr(bit) & 1);
        if remainder >= divisor {
            remainder = remainder.wrapping_sub(divisor);
            quotient |= 1u128.wrapping_shl(bit);
        }
    }
    (quotient, remainder)
}

/// Returns the number of significant bits of `value`.
const fn bit_len(value: u128) -> u32 {
    128u32.wrapping_sub(value.leading_zeros())
}

macro_rules! float_type {
    (
        $(#[$doc:meta])* $name:ident, $bits:ty, $native:ty,
        mantissa_bits = $mbits:literal, exponent_bias = $bias:literal, exponent_mask = $emask:literal
    ) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
        #[repr(transparent)]
        pub struct $name(pub $bits);

        impl $name {
            /// Positive zero.
            pub const ZERO: Self = Self(0);
            const SIGN: $bits = 1 << (<$bits>::BITS - 1);
            const MANTISSA_MASK: $bits = (1 << $mbits) - 1;

            /// Wraps raw IEEE-754 bits.
            #[inline]
            pub const fn from_bits(bits: $bits) -> Self {
                Self(bits)
            }

            /// Returns the raw IEEE-754 bits.
            #[inline]
            pub const fn to_bits(self) -> $bits {
                self.0
            }

            /// Converts from the native type (a bit copy; no FPU instruction).
            #[inline]
            pub const fn from_native(value: $native) -> Self {
                Self(value.to_bits())
            }

            /// Converts to the native type (a bit copy; for user space, where floats work).
            #[inline]
            pub const fn to_native(self) -> $native {
                <$native>::from_bits(self.0)
            }

            const fn biased_exponent(self) -> $bits {
                (self.0 >> $mbits) & $emask
            }

            /// Returns `true` for a NaN.
            #[inline]
            pub const fn is_nan(self) -> bool {
                self.biased_exponent() == $emask && self.0 & Self::MANTISSA_MASK != 0
            }

            /// Returns `true` for positive or negative infinity.
            #[inline]
            pub const fn is_infinite(self) -> bool {
                self.biased_exponent() == $emask && self.0 & Self::MANTISSA_MASK == 0
            }

            /// Returns `true` when the sign bit is set (negative numbers, `-0`, some NaNs).
            #[inline]
            pub const fn is_sign_negative(self) -> bool {
                self.0 & Self::SIGN != 0
            }

            /// Returns `true` for `+0` and `-0`.
            #[inline]
            pub const fn is_zero(self) -> bool {
                self.0 & !Self::SIGN == 0
            }

            /// Returns a key whose integer order is the IEEE total order of the values.
            #[inline]
            const fn total_key(self) -> $bits {
                if self.is_sign_negative() {
                    !self.0
                } else {
                    self.0 | Self::SIGN
                }
            }

            /// Compares with IEEE-754 `totalOrder`: `-NaN < -inf < ... < -0 < +0 < ... < +NaN`.
            #[inline]
            pub const fn total_cmp(self, other: Self) -> Ordering {
                let (a, b) = (self.total_key(), other.total_key());
                if a < b {
                    Ordering::Less
                } else if a > b {
                    Ordering::Greater
                } else {
                    Ordering::Equal
                }
            }

            /// Compares as the FPU would: `None` when either is NaN, and `-0 == +0`.
            #[inline]
            pub const fn compare(self, other: Self) -> Option<Ordering> {
                if self.is_nan() || other.is_nan() {
                    None
                } else if self.is_zero() && other.is_zero() {
                    Some(Ordering::Equal)
                } else {
                    Some(self.total_cmp(other))
                }
            }

            /// Returns `self > other` as the FPU would (`false` when either is NaN).
            #[inline]
            pub const fn greater_than(self, other: Self) -> bool {
                matches!(self.compare(other), Some(Ordering::Greater))
            }

            /// Returns `self < other` as the FPU would (`false` when either is NaN).
            #[inline]
            pub const fn less_than(self, other: Self) -> bool {
                matches!(self.compare(other), Some(Ordering::Less))
            }

            /// Returns `self == other` as the FPU would (`-0 == +0`, NaN equals nothing).
            #[inline]
            pub const fn numeric_eq(self, other: Self) -> bool {
                matches!(self.compare(other), Some(Ordering::Equal))
            }

            /// Returns the value as `mantissa * 2^exponent` with a non-negative mantissa.
            /// The caller has excluded NaN and infinity.
            const fn decompose(self) -> (u128, i32) {
                let exponent = self.biased_exponent() as i32;
                let fraction = (self.0 & Self::MANTISSA_MASK) as u128;
                if exponent == 0 {
                    (fraction, 1 - $bias - $mbits)
                } else {
                    (fraction | (1u128 << $mbits), exponent.wrapping_sub($bias + $mbits))
                }
            }

            /// Returns `self * 10^decimals` rounded to the nearest integer (ties away from
            /// zero), or `None` for NaN, infinity, results outside `i64`, or more than
            /// [`MAX_DECIMALS`] decimals.
            ///
            /// `F32::from_native(10.1).to_scaled(1)` is `Some(101)`.
            pub const fn to_scaled(self, decimals: u32) -> Option<i64> {
                if self.is_nan() || self.is_infinite() {
                    return None;
                }
                let Some(scale) = pow10(decimals) else {
                    return None;
                };
                let (mantissa, exponent) = self.decompose();
                // The mantissa has at most 53 bits and the scale at most 60, so the product
                // fits in 128 bits.
                let product = mantissa.wrapping_mul(scale);
                let magnitude = if exponent >= 0 {
                    if bit_len(product).wrapping_add(exponent as u32) > 64 {
                        return None;
                    }
                    product.wrapping_shl(exponent as u32)
                } else {
                    let shift = exponent.unsigned_abs();
                    if shift >= 128 {
                        0
                    } else {
                        // Round to nearest, ties away from zero: add one when the highest
                        // dropped bit is set. Neither step can overflow.
                        let half_bit = product.wrapping_shr(shift.wrapping_sub(1)) & 1;
                        product.wrapping_shr(shift).wrapping_add(half_bit)
                    }
                };
                // A negative result may reach 2^63: `i64::MIN`.
                let limit = (i64::MAX as u128).wrapping_add(self.is_sign_negative() as u128);
                if magnitude > limit {
                    return None;
                }
                // `magnitude as i64` wraps 2^63 to `i64::MIN`, which negates to itself.
                let magnitude = magnitude as i64;
                Some(if self.is_sign_negative() { magnitude.wrapping_neg() } else { magnitude })
            }

            /// Returns the value nearest to `scaled / 10^decimals` (ties to even), or `None`
            /// for more than [`MAX_DECIMALS`] decimals.
            ///
            /// In constants, [`from_scaled_or_zero`] avoids an `unwrap` (which kernel code and
            /// clippy's `unwrap_used` rule out): `const LIMIT: F32 =
            /// F32::from_scaled_or_zero(101, 1);` is 10.1.
            ///
            /// [`from_scaled_or_zero`]: Self::from_scaled_or_zero
            pub const fn from_scaled(scaled: i64, decimals: u32) -> Option<Self> {
                let Some(scale) = pow10(decimals) else {
                    return None;
                };
                let sign: $bits = if scaled < 0 { Self::SIGN } else { 0 };
                let numerator = scaled.unsigned_abs() as u128;
                if numerator == 0 {
                    return Some(Self(sign));
                }
                // Scale the numerator up so that the quotient carries at least three bits
                // more than the mantissa; 63 + 60 + a few bits stay below 128.
                // All quantities below are bounded: the quotient has between `precision + 3`
                // and 64 significant bits, so every shift is in range and nothing overflows.
                let precision: u32 = $mbits + 1;
                let wanted = bit_len(scale).wrapping_add(precision).wrapping_add(3);
                let have = bit_len(numerator);
                let k = wanted.saturating_sub(have);
                let shifted = numerator.wrapping_shl(k);
                let (quotient, remainder) = div_rem(shifted, scale);
                let sticky = remainder != 0;
                let shift = bit_len(quotient).wrapping_sub(precision);
                let mut mantissa = quotient.wrapping_shr(shift);
                let rest = quotient & 1u128.wrapping_shl(shift).wrapping_sub(1);
                let half = 1u128.wrapping_shl(shift.wrapping_sub(1));
                if rest > half || (rest == half && (sticky || mantissa & 1 == 1)) {
                    mantissa = mantissa.wrapping_add(1);
                }
                let mut exponent = (shift as i32).wrapping_sub(k as i32);
                if mantissa.wrapping_shr(precision) != 0 {
                    mantissa = mantissa.wrapping_shr(1);
                    exponent = exponent.wrapping_add(1);
                }
                // Normal range only: |scaled| / 10^decimals lies between 1e-18 and 1e19.
                let biased = exponent.wrapping_add($mbits + $bias) as $bits;
                let fraction = (mantissa as $bits) & Self::MANTISSA_MASK;
                Some(Self(sign | (biased << $mbits) | fraction))
            }

            /// Like [`from_scaled`](Self::from_scaled), but zero when `decimals` is too large;
            /// for constants.
            pub const fn from_scaled_or_zero(scaled: i64, decimals: u32) -> Self {
                match Self::from_scaled(scaled, decimals) {
                    Some(value) => value,
                    None => Self::ZERO,
                }
            }
        }

        impl fmt::Debug for $name {
            /// Prints the value with up to six decimals, computed with integers only; values
            /// beyond `i64` range after scaling print as raw bits.
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                if self.is_nan() {
                    return f.write_str("NaN");
                }
                if self.is_infinite() {
                    let sign = if self.is_sign_negative() { "-" } else { "" };
                    return write!(f, "{sign}inf");
                }
                match self.to_scaled(6) {
                    Some(scaled) => {
                        let sign = if self.is_sign_negative() { "-" } else { "" };
                        let magnitude = scaled.unsigned_abs();
                        let int = magnitude.wrapping_div(1_000_000);
                        // Six fractional digits, trailing zeros dropped but one kept. The
                        // digits are written by hand: a run-time width in `write!` brings in
                        // a panic path for widths beyond `u16`.
                        let mut frac = magnitude.wrapping_rem(1_000_000);
                        let mut digits = [b'0'; 6];
                        for slot in digits.iter_mut().rev() {
                            *slot = b'0'.wrapping_add(frac.wrapping_rem(10) as u8);
                            frac = frac.wrapping_div(10);
                        }
                        let used = digits.iter().rposition(|&d| d != b'0').map_or(1, |last| {
                            last.wrapping_add(1)
                        });
                        let frac = digits
                            .get(..used)
                            .and_then(|d| core::str::from_utf8(d).ok())
                            .unwrap_or("0");
                        write!(f, "{sign}{int}.{frac}")
                    }
                    None => write!(f, "{}({:#x})", stringify!($name), self.0),
                }
            }
        }

        impl From<$native> for $name {
            fn from(value: $native) -> Self {
                Self::from_native(value)
            }
        }
    };
}

float_type!(
    /// A protobuf `float`: the bits of an IEEE-754 single.
    F32, u32, f32, mantissa_bits = 23, exponent_bias = 127, exponent_mask = 0xff
);
float_type!(
    /// A protobuf `double`: the bits of an IEEE-754 double.
    F64, u64, f64, mantissa_bits = 52, exponent_bias = 1023, exponent_mask = 0x7ff
);
