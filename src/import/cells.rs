//! Count cells: a whole number ≥ 0, whatever form the spreadsheet keeps it
//! in (a number, a float such as `35.0`, or text such as `"35"`, `"3.290"`).
//!
//! Text is read the Vietnamese way: `.` (or a space) groups thousands
//! (`3.290` = 3290), `,` is the decimal comma. A lone dash (`-`, `–`) is how
//! paper reports write "none" and counts as an empty cell.

use crate::diagnostic::Code;
use crate::load::MAX_COUNT;
use crate::vi;

/// Why a cell is not a count: code, message and hint, all in Vietnamese.
#[derive(Clone, Debug, PartialEq)]
pub struct CellError {
    pub code: Code,
    pub message: String,
    pub hint: Option<String>,
}

impl CellError {
    fn new(code: Code, message: String) -> CellError {
        CellError {
            code,
            message,
            hint: None,
        }
    }

    fn hint(mut self, hint: impl Into<String>) -> CellError {
        self.hint = Some(hint.into());
        self
    }
}

/// The count in a cell: `Ok(None)` for an empty cell. A value a message
/// repeats is shown as the cell shows it: text as written, a number as a
/// spreadsheet's General format writes it (`35,5`, `1E+308`).
pub fn count(cell: &super::sheet::Cell) -> Result<Option<u64>, CellError> {
    use super::sheet::Cell;
    match cell {
        Cell::Empty => Ok(None),
        Cell::Int(i) => whole(i128::from(*i), &vi::int(*i)).map(Some),
        Cell::Float(f) => float(*f).map(Some),
        Cell::Text(s) => text(s),
        Cell::Bool(b) => Err(CellError::new(
            Code::WrongType,
            format!(
                "ô chứa giá trị đúng/sai ({}), không phải số",
                if *b { "TRUE" } else { "FALSE" }
            ),
        )),
        Cell::Date(serial) => Err(CellError::new(
            Code::WrongType,
            format!(
                "ô được định dạng ngày tháng (giá trị {}), không phải số",
                general_number(*serial)
            ),
        )
        .hint("định dạng lại ô thành kiểu Số (Number) hoặc Chung (General)")),
        Cell::Error(e) => Err(CellError::new(
            Code::WrongType,
            format!("ô báo lỗi công thức {}", crate::load::shown(e)),
        )
        .hint("sửa công thức, hoặc dán giá trị (Paste Values) thay cho công thức")),
    }
}

/// A whole number `n`, shown in messages as `shown`.
fn whole(n: i128, shown: &str) -> Result<u64, CellError> {
    if n < 0 {
        return Err(CellError::new(
            Code::NegativeCount,
            format!("là số âm ({shown}); số đếm phải từ 0 trở lên"),
        ));
    }
    match u64::try_from(n) {
        Ok(v) if v <= MAX_COUNT => Ok(v),
        _ => Err(CellError::new(
            Code::BadValue,
            format!(
                "có số {shown} quá lớn; số đếm lớn nhất là {}",
                vi::int(MAX_COUNT as i64)
            ),
        )),
    }
}

fn float(f: f64) -> Result<u64, CellError> {
    if f.is_nan() {
        return Err(CellError::new(
            Code::WrongType,
            "ô chứa giá trị không phải số (NaN)".into(),
        ));
    }
    if f.is_infinite() {
        return Err(CellError::new(
            Code::WrongType,
            format!(
                "ô chứa giá trị vô hạn ({}), không phải số",
                general_number(f)
            ),
        ));
    }
    let shown = general_number(f);
    // Formulas leave 35.000000000001 behind; that is still 35. The margin
    // is relative for small counts and never more than a millionth, so
    // 500000000,4 is not taken for a whole number.
    let rounded = f.round();
    let margin = (1e-9 * rounded.abs().max(1.0)).min(1e-6);
    if (f - rounded).abs() > margin {
        return Err(if f < 0.0 {
            CellError::new(
                Code::NegativeCount,
                format!("là số âm ({shown}); số đếm phải từ 0 trở lên"),
            )
        } else {
            CellError::new(
                Code::FractionalCount,
                format!("phải là số nguyên, không phải số thập phân {shown}"),
            )
        });
    }
    // Beyond i128 as well: the sign and the size are all that matter.
    let n = if rounded < 0.0 {
        -1
    } else if rounded > MAX_COUNT as f64 {
        i128::from(MAX_COUNT) + 1
    } else {
        rounded as i128
    };
    whole(n, &shown)
}

/// A number as a spreadsheet's General format shows it, the Vietnamese
/// way: at most 15 significant digits, `.` grouping thousands, `,` before
/// decimals (`1.234.567,5`, `0,001`), and `1E+308`, `1,5E-10` for very
/// large or very small values. `-0` is `0`.
pub fn general_number(f: f64) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f < 0.0 { "-∞" } else { "∞" }.into();
    }
    if f == 0.0 {
        return "0".into();
    }
    let sign = if f < 0.0 { "-" } else { "" };
    // d.dddddddddddddde±x: 15 significant digits, rounded.
    let sci = format!("{:.14e}", f.abs());
    let (mantissa, exponent) = sci.split_once('e').unwrap_or((sci.as_str(), "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let all: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let digits = all.trim_end_matches('0');
    let digits = if digits.is_empty() { "0" } else { digits };
    if !(-6..15).contains(&exponent) {
        let (first, rest) = digits.split_at(1);
        let mantissa = if rest.is_empty() {
            first.to_owned()
        } else {
            format!("{first},{rest}")
        };
        let e_sign = if exponent < 0 { '-' } else { '+' };
        return format!("{sign}{mantissa}E{e_sign}{:02}", exponent.unsigned_abs());
    }
    if exponent < 0 {
        let zeros = "0".repeat(exponent.unsigned_abs() as usize - 1);
        return format!("{sign}0,{zeros}{digits}");
    }
    let int_len = exponent as usize + 1;
    let (int, frac) = if digits.len() > int_len {
        digits.split_at(int_len)
    } else {
        (digits, "")
    };
    let int = format!("{int}{}", "0".repeat(int_len - int.len()));
    let grouped = vi::int(int.parse::<i64>().unwrap_or(i64::MAX));
    if frac.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped},{frac}")
    }
}

fn text(s: &str) -> Result<Option<u64>, CellError> {
    let t = s.trim();
    if t.is_empty() || matches!(t, "-" | "–" | "—") {
        return Ok(None);
    }
    let shown = crate::load::shown(t);
    let (negative, digits) = match t.strip_prefix(['-', '−']) {
        Some(rest) => (true, rest.trim_start()),
        None => (false, t),
    };
    let Some(value) = number_text(digits) else {
        let err = CellError::new(
            Code::WrongType,
            format!("phải là số nguyên không âm, không phải chữ \"{shown}\""),
        );
        return Err(if t.chars().any(char::is_alphabetic) {
            err.hint("ghi số bằng chữ số, ví dụ 30; ô không có số liệu thì để trống")
        } else {
            err
        });
    };
    match value {
        // The text as written: "-3.290", not -3290.
        TextNumber::Whole(n) if negative => whole(-i128::from(n), &shown).map(Some),
        TextNumber::Whole(n) => whole(i128::from(n), &shown).map(Some),
        TextNumber::Decimal(decimal) => Err(if negative {
            CellError::new(
                Code::NegativeCount,
                format!("là số âm (-{decimal}); số đếm phải từ 0 trở lên"),
            )
        } else {
            CellError::new(
                Code::FractionalCount,
                format!("phải là số nguyên, không phải số thập phân {decimal}"),
            )
            .hint("nếu dấu phẩy ở đây ngăn cách hàng nghìn, hãy viết liền: 1234")
        }),
    }
}

enum TextNumber {
    Whole(u64),
    /// A number with a fractional part, as written.
    Decimal(String),
}

/// Digits, optionally grouped by `.` or spaces in threes, optionally with a
/// decimal part after `,` (or after a `.` that is not a thousands group).
fn number_text(s: &str) -> Option<TextNumber> {
    let s: String = s
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}'))
        .collect();
    if s.is_empty()
        || !s
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
    {
        return None;
    }
    let parse = |d: &str| d.parse::<u64>().ok();
    if s.chars().all(|c| c.is_ascii_digit()) {
        // Too many digits for a u64 is "too large", not "not a number".
        return Some(TextNumber::Whole(parse(&s).unwrap_or(u64::MAX)));
    }
    // 3.290 and 1.234.567: thousands groups.
    let groups: Vec<&str> = s.split('.').collect();
    if !s.contains(',')
        && groups.len() > 1
        && groups.first().is_some_and(|g| (1..=3).contains(&g.len()))
        && groups.iter().skip(1).all(|g| g.len() == 3)
    {
        return parse(&s.replace('.', "")).map(TextNumber::Whole);
    }
    // 35.0 (from programs that write floats), 35,0: whole when the
    // fractional part is only zeros; otherwise a decimal.
    let (int, frac) = match (s.split_once(','), s.split_once('.')) {
        (Some(parts), None) | (None, Some(parts)) => parts,
        _ => return None,
    };
    if int.is_empty()
        || frac.is_empty()
        || !int.chars().all(|c| c.is_ascii_digit())
        || !frac.chars().all(|c| c.is_ascii_digit())
    {
        return None;
    }
    if frac.chars().all(|c| c == '0') {
        return parse(int).map(TextNumber::Whole);
    }
    Some(TextNumber::Decimal(format!("{int},{frac}")))
}

#[cfg(test)]
mod tests {
    use super::super::sheet::Cell;
    use super::*;

    fn ok(cell: Cell) -> Option<u64> {
        count(&cell).unwrap_or_else(|e| panic!("{cell:?}: {e:?}"))
    }

    fn code(cell: Cell) -> Code {
        match count(&cell) {
            Err(e) => e.code,
            Ok(v) => panic!("{cell:?} gave {v:?}"),
        }
    }

    fn text_cell(s: &str) -> Cell {
        Cell::Text(s.to_owned())
    }

    #[test]
    fn numbers() {
        assert_eq!(ok(Cell::Int(35)), Some(35));
        assert_eq!(ok(Cell::Int(0)), Some(0));
        assert_eq!(ok(Cell::Float(35.0)), Some(35));
        assert_eq!(ok(Cell::Float(34.999_999_999_999_99)), Some(35));
        assert_eq!(ok(Cell::Empty), None);
        assert_eq!(code(Cell::Float(35.5)), Code::FractionalCount);
        assert_eq!(code(Cell::Float(-2.0)), Code::NegativeCount);
        assert_eq!(code(Cell::Float(-2.5)), Code::NegativeCount);
        assert_eq!(code(Cell::Int(-1)), Code::NegativeCount);
        assert_eq!(code(Cell::Float(f64::NAN)), Code::WrongType);
        assert_eq!(code(Cell::Float(1e300)), Code::BadValue);
        assert_eq!(ok(Cell::Float(-0.0)), Some(0));
        assert_eq!(code(Cell::Float(f64::INFINITY)), Code::WrongType);
        assert_eq!(code(Cell::Float(500_000_000.4)), Code::FractionalCount);
        assert_eq!(ok(Cell::Float(999_999_999.000_000_1)), Some(999_999_999));
        assert_eq!(code(Cell::Int(i64::MAX)), Code::BadValue);
        assert_eq!(code(Cell::Int(i64::MIN)), Code::NegativeCount);
        assert_eq!(code(Cell::Bool(true)), Code::WrongType);
        assert_eq!(code(Cell::Date(45_000.0)), Code::WrongType);
        assert_eq!(code(Cell::Error("#DIV/0!".into())), Code::WrongType);
    }

    #[test]
    fn text_cells() {
        assert_eq!(ok(text_cell(" 35 ")), Some(35));
        assert_eq!(ok(text_cell("3.290")), Some(3290));
        assert_eq!(ok(text_cell("1.234.567")), Some(1_234_567));
        assert_eq!(ok(text_cell("3 290")), Some(3290));
        assert_eq!(ok(text_cell("3\u{a0}290")), Some(3290));
        assert_eq!(ok(text_cell("35.0")), Some(35));
        assert_eq!(ok(text_cell("35,00")), Some(35));
        assert_eq!(ok(text_cell("-")), None);
        assert_eq!(ok(text_cell("–")), None);
        assert_eq!(ok(text_cell("  ")), None);
        assert_eq!(code(text_cell("35,5")), Code::FractionalCount);
        assert_eq!(code(text_cell("35.5")), Code::FractionalCount);
        assert_eq!(code(text_cell("1,234")), Code::FractionalCount);
        assert_eq!(code(text_cell("-3")), Code::NegativeCount);
        assert_eq!(code(text_cell("−3")), Code::NegativeCount);
        assert_eq!(code(text_cell("ba mươi")), Code::WrongType);
        assert_eq!(code(text_cell("30 người")), Code::WrongType);
        assert_eq!(code(text_cell("1.2.3")), Code::WrongType);
        assert_eq!(code(text_cell("99999999999999999999999")), Code::BadValue);
        assert_eq!(code(text_cell("2000000000")), Code::BadValue);
        let e = count(&text_cell("ba mươi")).err();
        assert!(
            e.as_ref()
                .is_some_and(|e| e.message.contains("\"ba mươi\"") && e.hint.is_some()),
            "{e:?}"
        );
    }

    fn message(cell: Cell) -> String {
        count(&cell).err().map(|e| e.message).unwrap_or_default()
    }

    #[test]
    fn values_are_shown_as_the_cell_shows_them() {
        for (cell, said) in [
            (
                Cell::Float(1e308),
                "có số 1E+308 quá lớn; số đếm lớn nhất là 1.000.000.000",
            ),
            (
                Cell::Float(1.5e19),
                "có số 1,5E+19 quá lớn; số đếm lớn nhất là 1.000.000.000",
            ),
            // Just above i64: still the value, not a clamped one.
            (
                Cell::Float(9.3e18),
                "có số 9,3E+18 quá lớn; số đếm lớn nhất là 1.000.000.000",
            ),
            (
                Cell::Float(2e9),
                "có số 2.000.000.000 quá lớn; số đếm lớn nhất là 1.000.000.000",
            ),
            (
                Cell::Float(-0.5),
                "là số âm (-0,5); số đếm phải từ 0 trở lên",
            ),
            (
                Cell::Float(35.001),
                "phải là số nguyên, không phải số thập phân 35,001",
            ),
            (
                Cell::Float(-0.001),
                "là số âm (-0,001); số đếm phải từ 0 trở lên",
            ),
            (
                Cell::Int(-1_234_567),
                "là số âm (-1.234.567); số đếm phải từ 0 trở lên",
            ),
            (
                text_cell("99999999999999999999999"),
                "có số 99999999999999999999999 quá lớn; số đếm lớn nhất là 1.000.000.000",
            ),
            (
                text_cell("-3.290"),
                "là số âm (-3.290); số đếm phải từ 0 trở lên",
            ),
            (Cell::Float(f64::NAN), "ô chứa giá trị không phải số (NaN)"),
            (
                Cell::Float(f64::NEG_INFINITY),
                "ô chứa giá trị vô hạn (-∞), không phải số",
            ),
        ] {
            assert_eq!(message(cell.clone()), said, "{cell:?}");
        }
        // Float noise around zero is zero.
        assert_eq!(ok(Cell::Float(-1e-300)), Some(0));
    }

    #[test]
    fn general_numbers() {
        for (f, want) in [
            (0.0, "0"),
            (-0.0, "0"),
            (35.0, "35"),
            (35.5, "35,5"),
            (1234567.5, "1.234.567,5"),
            (0.1 + 0.2, "0,3"),
            (0.001, "0,001"),
            (0.000_001, "0,000001"),
            (1e-7, "1E-07"),
            (1e14, "100.000.000.000.000"),
            (1e15, "1E+15"),
            (123456789012345680.0, "1,23456789012346E+17"),
            (-2.5, "-2,5"),
            (f64::MAX, "1,79769313486232E+308"),
        ] {
            assert_eq!(general_number(f), want, "{f}");
        }
    }
}
