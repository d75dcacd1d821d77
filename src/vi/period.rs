//! Reporting periods (kỳ báo cáo) as Vietnamese reports name them: quarters
//! in Roman numerals (`quý I/2023`) and cumulative periods from the start of
//! the year (`6 tháng đầu năm 2023`, `9 tháng đầu năm 2023`, `năm 2023`).

/// Roman numeral of a quarter, `1..=4` → `"I"..="IV"`.
pub fn roman(q: u8) -> Option<&'static str> {
    match q {
        1 => Some("I"),
        2 => Some("II"),
        3 => Some("III"),
        4 => Some("IV"),
        _ => None,
    }
}

/// `quý I/2023`. A quarter outside 1..=4 (bad data) is rendered with its
/// number, `quý 5/2023`, so the mistake stays visible instead of aborting.
pub fn quarter_label(year: i32, q: u8) -> String {
    match roman(q) {
        Some(r) => format!("quý {r}/{year}"),
        None => format!("quý {q}/{year}"),
    }
}

/// The cumulative period from quarter I to `last_q`: `quý I/2023`,
/// `6 tháng đầu năm 2023`, `9 tháng đầu năm 2023`, `năm 2023`.
///
/// Out-of-range quarters render as `lũy kế đến quý 5/2023` (same reasoning
/// as [`quarter_label`]).
pub fn cumulative_label(year: i32, last_q: u8) -> String {
    match last_q {
        1 => quarter_label(year, 1),
        2 => format!("6 tháng đầu năm {year}"),
        3 => format!("9 tháng đầu năm {year}"),
        4 => format!("năm {year}"),
        _ => format!("lũy kế đến {}", quarter_label(year, last_q)),
    }
}

/// Upper-cases the first letter so a label can start a sentence:
/// `quý I/2023` → `Quý I/2023`, `đảng` → `Đảng`.
///
/// Leading punctuation and spaces are skipped (`“quý` → `“Quý`), but if the
/// first alphanumeric character is a digit nothing changes: in
/// `6 tháng đầu năm` the sentence already starts with the number.
pub fn capitalize_first(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s.char_indices();
    for (i, c) in rest.by_ref() {
        if c.is_alphabetic() {
            out.extend(c.to_uppercase());
            break;
        }
        out.push(c);
        if c.is_numeric() {
            // Nothing to capitalise; copy the remainder untouched.
            out.push_str(s.get(i + c.len_utf8()..).unwrap_or(""));
            return out;
        }
    }
    out.push_str(rest.as_str());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roman_numerals() {
        assert_eq!(roman(1), Some("I"));
        assert_eq!(roman(2), Some("II"));
        assert_eq!(roman(3), Some("III"));
        assert_eq!(roman(4), Some("IV"));
        assert_eq!(roman(0), None);
        assert_eq!(roman(5), None);
        assert_eq!(roman(255), None);
    }

    #[test]
    fn quarters() {
        assert_eq!(quarter_label(2023, 1), "quý I/2023");
        assert_eq!(quarter_label(2023, 4), "quý IV/2023");
        assert_eq!(quarter_label(2023, 0), "quý 0/2023");
        assert_eq!(quarter_label(2023, 200), "quý 200/2023");
    }

    #[test]
    fn cumulative() {
        assert_eq!(cumulative_label(2023, 1), "quý I/2023");
        assert_eq!(cumulative_label(2023, 2), "6 tháng đầu năm 2023");
        assert_eq!(cumulative_label(2023, 3), "9 tháng đầu năm 2023");
        assert_eq!(cumulative_label(2023, 4), "năm 2023");
        assert_eq!(cumulative_label(2023, 5), "lũy kế đến quý 5/2023");
        assert_eq!(cumulative_label(2023, 0), "lũy kế đến quý 0/2023");
    }

    #[test]
    fn capitalize() {
        assert_eq!(capitalize_first("quý I/2023"), "Quý I/2023");
        assert_eq!(capitalize_first("đảng"), "Đảng");
        assert_eq!(capitalize_first("ủy ban"), "Ủy ban");
        assert_eq!(capitalize_first("năm 2023"), "Năm 2023");
        assert_eq!(capitalize_first("Quý I"), "Quý I");
        assert_eq!(capitalize_first("“quý I”"), "“Quý I”");
        assert_eq!(capitalize_first("  đảng viên"), "  Đảng viên");
        assert_eq!(capitalize_first("6 tháng đầu năm"), "6 tháng đầu năm");
        assert_eq!(capitalize_first(""), "");
        assert_eq!(capitalize_first("..."), "...");
        // Decomposed input: the base letter is upper-cased, the mark kept.
        assert_eq!(capitalize_first("u\u{309}y"), "U\u{309}y");
        assert_eq!(capitalize_first("\u{301}a"), "\u{301}A");
        assert_eq!(capitalize_first("\0a"), "\0A");
    }
}
