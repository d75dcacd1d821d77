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

/// The count in a cell: `Ok(None)` for an empty cell.
pub fn count(cell: &super::sheet::Cell) -> Result<Option<u64>, CellError> {
    use super::sheet::Cell;
    match cell {
        Cell::Empty => Ok(None),
        Cell::Int(i) => whole(i128::from(*i)).map(Some),
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
                vi::number_f64(*serial)
            ),
        )
        .hint("định dạng lại ô thành kiểu Số (Number) hoặc Chung (General)")),
        Cell::Error(e) => Err(
            CellError::new(Code::WrongType, format!("ô báo lỗi công thức {e}"))
                .hint("sửa công thức, hoặc dán giá trị (Paste Values) thay cho công thức"),
        ),
    }
}

fn whole(n: i128) -> Result<u64, CellError> {
    if n < 0 {
        return Err(CellError::new(
            Code::NegativeCount,
            format!("là số âm ({n}); số đếm phải từ 0 trở lên"),
        ));
    }
    match u64::try_from(n) {
        Ok(v) if v <= MAX_COUNT => Ok(v),
        _ => Err(CellError::new(
            Code::BadValue,
            format!(
                "có số {} quá lớn",
                vi::int(i64::try_from(n).unwrap_or(i64::MAX))
            ),
        )),
    }
}

fn float(f: f64) -> Result<u64, CellError> {
    if !f.is_finite() {
        return Err(CellError::new(
            Code::WrongType,
            "ô không chứa số hợp lệ".into(),
        ));
    }
    // Formulas leave 35.000000000001 behind; that is still 35.
    let rounded = f.round();
    if (f - rounded).abs() > 1e-9 * rounded.abs().max(1.0) {
        return Err(if f < 0.0 {
            CellError::new(
                Code::NegativeCount,
                format!("là số âm ({}); số đếm phải từ 0 trở lên", vi::number_f64(f)),
            )
        } else {
            CellError::new(
                Code::FractionalCount,
                format!(
                    "phải là số nguyên, không phải số thập phân {}",
                    vi::number_f64(f)
                ),
            )
        });
    }
    if rounded.abs() > MAX_COUNT as f64 {
        return whole(if rounded < 0.0 {
            -1
        } else {
            i128::from(MAX_COUNT) + 1
        });
    }
    whole(rounded as i128)
}

fn text(s: &str) -> Result<Option<u64>, CellError> {
    let t = s.trim();
    if t.is_empty() || matches!(t, "-" | "–" | "—") {
        return Ok(None);
    }
    let (negative, digits) = match t.strip_prefix(['-', '−']) {
        Some(rest) => (true, rest.trim_start()),
        None => (false, t),
    };
    let Some(value) = number_text(digits) else {
        let shown = crate::load::shown(t);
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
        TextNumber::Whole(n) if negative => whole(-i128::from(n)).map(Some),
        TextNumber::Whole(n) => whole(i128::from(n)).map(Some),
        TextNumber::Decimal(shown) => Err(if negative {
            CellError::new(
                Code::NegativeCount,
                format!("là số âm (-{shown}); số đếm phải từ 0 trở lên"),
            )
        } else {
            CellError::new(
                Code::FractionalCount,
                format!("phải là số nguyên, không phải số thập phân {shown}"),
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
}
