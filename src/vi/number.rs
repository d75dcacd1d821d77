//! Vietnamese number formatting: dot as thousands separator, comma as
//! decimal separator (`1.234.567`, `27,5%`).
//!
//! Ratios are computed with exact integer arithmetic (i128) so that values
//! sitting exactly on a rounding boundary (27,45 → 27,5) round the way a
//! person doing the sum by hand would, which binary floats cannot promise.

use std::fmt::Write as _;

/// Largest number of decimals [`decimal`] will print; larger requests are
/// clamped so the scaled value always fits comfortably in an `i128`.
pub const MAX_DIGITS: u32 = 6;

/// Formats an integer with dot grouping: `1234567` → `"1.234.567"`.
pub fn int(n: i64) -> String {
    // unsigned_abs keeps i64::MIN representable.
    let mut out = String::new();
    if n < 0 {
        out.push('-');
    }
    push_grouped(&mut out, u128::from(n.unsigned_abs()));
    out
}

/// The exact rational `num/den` rounded half away from zero to `digits`
/// decimals (at most [`MAX_DIGITS`]; larger values are clamped), e.g.
/// `decimal(12345678, 1000, 1)` → `"12.345,7"`. `None` when `den == 0`.
///
/// A result that rounds to zero is printed without a sign (`"0,0"`, never
/// `"-0,0"`).
pub fn decimal(num: i64, den: i64, digits: u32) -> Option<String> {
    ratio(i128::from(num), i128::from(den), digits.min(MAX_DIGITS))
}

/// Percentage (tỷ lệ phần trăm) `100·num/den` with one decimal, rounded half
/// away from zero, followed by `%`: `percent(412, 1498)` → `"27,5%"`.
pub fn percent(num: i64, den: i64) -> Option<String> {
    let mut s = percent_value(num, den)?;
    s.push('%');
    Some(s)
}

/// The number [`percent`] prints, without the `%` sign (for table cells
/// whose header already says "%").
pub fn percent_value(num: i64, den: i64) -> Option<String> {
    // |num|·100 < 2^70, far inside i128.
    ratio(i128::from(num) * 100, i128::from(den), 1)
}

/// Formats a value typed by a user (e.g. a target in YAML): at most two
/// decimals, trailing zeros dropped, `3.0` → `"3"`, `1234.5` → `"1.234,5"`.
/// Non-finite values give `"—"`.
///
/// Rounding works on the shortest decimal text of the float (what the user
/// typed), half away from zero, so `2.675` gives `"2,68"` even though the
/// binary value is slightly below 2.675.
pub fn number_f64(x: f64) -> String {
    if !x.is_finite() {
        return "—".to_string();
    }
    // Display for f64 is the shortest round-trip text and never uses
    // exponent notation, so it is a plain `digits[.digits]` string.
    let text = format!("{}", x.abs());
    let (int_text, frac_text) = match text.split_once('.') {
        Some((i, f)) => (i, f),
        None => (text.as_str(), ""),
    };
    let mut frac_digits = frac_text.bytes().map(|b| b.wrapping_sub(b'0'));
    let f1 = frac_digits.next().unwrap_or(0);
    let f2 = frac_digits.next().unwrap_or(0);
    let round_up = frac_digits.next().unwrap_or(0) >= 5;

    // Digits of the value scaled by 100, most significant first.
    let mut digits: Vec<u8> = int_text.bytes().map(|b| b.wrapping_sub(b'0')).collect();
    digits.push(f1);
    digits.push(f2);
    if round_up {
        let mut carry = true;
        for d in digits.iter_mut().rev() {
            if !carry {
                break;
            }
            if *d == 9 {
                *d = 0;
            } else {
                *d += 1;
                carry = false;
            }
        }
        if carry {
            digits.insert(0, 1);
        }
    }
    let split = digits.len().saturating_sub(2);
    let (int_digits, frac) = digits.split_at(split);
    let int_str: String = int_digits
        .iter()
        .map(|d| char::from(b'0' + d % 10))
        .collect();
    let int_str = int_str.trim_start_matches('0');
    let mut frac_str: String = frac.iter().map(|d| char::from(b'0' + d % 10)).collect();
    while frac_str.ends_with('0') {
        frac_str.pop();
    }

    let mut out = String::new();
    if x < 0.0 && !(int_str.is_empty() && frac_str.is_empty()) {
        out.push('-');
    }
    if int_str.is_empty() {
        out.push('0');
    } else {
        push_grouped_digits(&mut out, int_str);
    }
    if !frac_str.is_empty() {
        out.push(',');
        out.push_str(&frac_str);
    }
    out
}

/// A percentage as a number with one decimal, for machine-readable files
/// (JSON): `percent_number(412, 1498)` → `Some(27.5)`, rounded exactly as
/// [`percent`] prints it.
pub fn percent_number(num: i64, den: i64) -> Option<f64> {
    let (q, negative) = rounded_parts(i128::from(num) * 100, i128::from(den), 1)?;
    let v = q as f64 / 10.0;
    Some(if negative && q != 0 { -v } else { v })
}

/// The magnitude of `num/den · 10^digits` rounded half away from zero, and
/// whether the ratio is negative. Callers guarantee `|num|·10^digits` fits.
fn rounded_parts(num: i128, den: i128, digits: u32) -> Option<(u128, bool)> {
    if den == 0 {
        return None;
    }
    let negative = (num < 0) != (den < 0);
    let scale = 10u128.pow(digits);
    let a = num.unsigned_abs() * scale;
    let b = den.unsigned_abs();
    let mut q = a / b;
    let r = a % b;
    // r < b ≤ 2^63, so doubling cannot overflow.
    if r * 2 >= b {
        q += 1;
    }
    Some((q, negative))
}

/// `num/den` rounded half away from zero to `digits` decimals, as
/// [`decimal`] prints it, scaled by 10^`digits`: `(2449, 1000, 1)` → `24`
/// (2,4). For comparing a printed figure with a target.
pub fn round_half_up(num: i128, den: i128, digits: u32) -> Option<i128> {
    let (q, negative) = rounded_parts(num, den, digits.min(MAX_DIGITS))?;
    let q = i128::try_from(q).ok()?;
    Some(if negative { -q } else { q })
}

/// Core of [`decimal`] and [`percent`]: `num/den` rounded half away from
/// zero to `digits` decimals.
fn ratio(num: i128, den: i128, digits: u32) -> Option<String> {
    let (q, negative) = rounded_parts(num, den, digits)?;
    let scale = 10u128.pow(digits);
    let mut out = String::new();
    if negative && q != 0 {
        out.push('-');
    }
    push_grouped(&mut out, q / scale);
    if digits > 0 {
        out.push(',');
        let frac = q % scale;
        let width = digits as usize;
        // Writing to a String cannot fail.
        let _ = write!(out, "{frac:0width$}");
    }
    Some(out)
}

fn push_grouped(out: &mut String, v: u128) {
    push_grouped_digits(out, &v.to_string());
}

/// Appends an ASCII digit string with a dot every three digits from the right.
fn push_grouped_digits(out: &mut String, digits: &str) {
    let len = digits.len();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (len - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn int_grouping() {
        assert_eq!(int(7894), "7.894");
        assert_eq!(int(1_234_567), "1.234.567");
        assert_eq!(int(12_345), "12.345");
        assert_eq!(int(0), "0");
        assert_eq!(int(-1234), "-1.234");
        assert_eq!(int(999), "999");
        assert_eq!(int(-999), "-999");
        assert_eq!(int(1000), "1.000");
        assert_eq!(int(100_000), "100.000");
        assert_eq!(int(i64::MAX), "9.223.372.036.854.775.807");
        assert_eq!(int(i64::MIN), "-9.223.372.036.854.775.808");
    }

    #[test]
    fn numbers_for_files_round_like_the_pages() {
        assert_eq!(percent_number(412, 1498), Some(27.5));
        assert_eq!(percent_number(549, 2000), Some(27.5));
        assert_eq!(percent_number(3, 400), Some(0.8));
        assert_eq!(percent_number(-1, 2000), Some(-0.1));
        assert_eq!(percent_number(-1, 10_000), Some(0.0));
        assert_eq!(percent_number(1, 0), None);
    }

    #[test]
    fn decimal_examples() {
        assert_eq!(decimal(12_345_678, 1000, 1).as_deref(), Some("12.345,7"));
        assert_eq!(decimal(1, 8, 2).as_deref(), Some("0,13"));
        assert_eq!(decimal(-1, 20, 1).as_deref(), Some("-0,1"));
        assert_eq!(decimal(-1, 100, 1).as_deref(), Some("0,0"));
        assert_eq!(decimal(5, 2, 0).as_deref(), Some("3"));
        assert_eq!(decimal(-5, 2, 0).as_deref(), Some("-3"));
        assert_eq!(decimal(1, 0, 2), None);
        assert_eq!(decimal(7, 1, 2).as_deref(), Some("7,00"));
        assert_eq!(decimal(1, 3, 6).as_deref(), Some("0,333333"));
        assert_eq!(decimal(2, 3, 6).as_deref(), Some("0,666667"));
    }

    #[test]
    fn decimal_signs_and_extremes() {
        assert_eq!(decimal(1, -8, 2).as_deref(), Some("-0,13"));
        assert_eq!(decimal(-1, -8, 2).as_deref(), Some("0,13"));
        assert_eq!(decimal(0, -5, 1).as_deref(), Some("0,0"));
        assert_eq!(
            decimal(i64::MIN, 1, 6).as_deref(),
            Some("-9.223.372.036.854.775.808,000000")
        );
        assert_eq!(
            decimal(i64::MIN, -1, 0).as_deref(),
            Some("9.223.372.036.854.775.808")
        );
        assert_eq!(decimal(i64::MAX, i64::MIN, 2).as_deref(), Some("-1,00"));
        // Clamped to 6 decimals.
        assert_eq!(decimal(1, 3, 50).as_deref(), Some("0,333333"));
    }

    #[test]
    fn decimal_rounds_exact_halves_away_from_zero() {
        assert_eq!(decimal(25, 100, 1).as_deref(), Some("0,3"));
        assert_eq!(decimal(-25, 100, 1).as_deref(), Some("-0,3"));
        assert_eq!(decimal(35, 100, 1).as_deref(), Some("0,4"));
        assert_eq!(decimal(2745, 100, 1).as_deref(), Some("27,5"));
        assert_eq!(decimal(1, 2, 0).as_deref(), Some("1"));
        assert_eq!(decimal(-1, 2, 0).as_deref(), Some("-1"));
        assert_eq!(decimal(9995, 1000, 2).as_deref(), Some("10,00"));
        assert_eq!(decimal(999_950, 1000, 1).as_deref(), Some("1.000,0"));
    }

    #[test]
    fn percent_examples() {
        assert_eq!(percent(412, 1498).as_deref(), Some("27,5%"));
        assert_eq!(percent(3, 400).as_deref(), Some("0,8%"));
        assert_eq!(percent(1, 3).as_deref(), Some("33,3%"));
        assert_eq!(percent(2, 3).as_deref(), Some("66,7%"));
        assert_eq!(percent(0, 5).as_deref(), Some("0,0%"));
        assert_eq!(percent(1, 0), None);
        assert_eq!(percent(12_345, 100).as_deref(), Some("12.345,0%"));
        assert_eq!(percent(5, 5).as_deref(), Some("100,0%"));
        assert_eq!(percent(-1, 3).as_deref(), Some("-33,3%"));
        assert_eq!(percent(-1, 10_000).as_deref(), Some("0,0%"));
        assert!(percent(i64::MIN, 1).is_some());
        assert!(percent(i64::MAX, -1).is_some());
    }

    #[test]
    fn percent_exact_half_rounds_up() {
        // 549/2000 = 27,45 % exactly; as f64 it is 27.449999…, which a
        // float implementation rounds down to 27,4.
        assert_eq!(percent(549, 2000).as_deref(), Some("27,5%"));
        assert_eq!(percent(-549, 2000).as_deref(), Some("-27,5%"));
        assert_eq!(percent(1, 2000).as_deref(), Some("0,1%"));
    }

    #[test]
    fn percent_value_has_no_sign() {
        assert_eq!(percent_value(412, 1498).as_deref(), Some("27,5"));
        assert_eq!(percent_value(1, 0), None);
    }

    #[test]
    fn number_f64_examples() {
        assert_eq!(number_f64(3.0), "3");
        assert_eq!(number_f64(3.5), "3,5");
        assert_eq!(number_f64(0.25), "0,25");
        assert_eq!(number_f64(1234.5), "1.234,5");
        assert_eq!(number_f64(1_234_567.0), "1.234.567");
        assert_eq!(number_f64(0.0), "0");
        assert_eq!(number_f64(-0.0), "0");
        assert_eq!(number_f64(-2.5), "-2,5");
        assert_eq!(number_f64(-0.001), "0");
        assert_eq!(number_f64(0.125), "0,13");
        assert_eq!(number_f64(2.675), "2,68");
        assert_eq!(number_f64(0.999), "1");
        assert_eq!(number_f64(99.996), "100");
        assert_eq!(number_f64(0.1 + 0.2), "0,3");
        assert_eq!(number_f64(1e-300), "0");
        assert_eq!(number_f64(f64::NAN), "—");
        assert_eq!(number_f64(f64::INFINITY), "—");
        assert_eq!(number_f64(f64::NEG_INFINITY), "—");
        assert!(number_f64(f64::MAX).starts_with("179.769.313"));
        assert!(number_f64(f64::MIN).starts_with("-179.769.313"));
    }
}
