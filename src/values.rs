//! One validator per kind of value a user gives bantin, shared by the
//! command line and the site's files: a base URL, a year, a quarter or a
//! plan's symbol accepted in one place is accepted, and written, the same
//! in the other.
//!
//! Each validator returns the value in its normal form, or an [`Invalid`]
//! saying in Vietnamese what is wrong with it. Callers only frame that
//! message: the command line as a usage error naming the option
//! (`giá trị '5' của --quarter <QUÝ> không dùng được: …`, exit status 2),
//! the loader as a diagnostic at the value
//! (`content/site.yaml:3:11: error[E208]: giá trị '…' của 'base_url' không
//! dùng được: …`).

use std::path::Path;

use crate::vi::{self, DocSymbol, SymbolError, SymbolForm};

/// Why a value cannot be used: what is wrong, and what to write instead.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Invalid {
    pub(crate) message: String,
    pub(crate) hint: Option<String>,
}

impl Invalid {
    fn new(message: impl Into<String>) -> Invalid {
        Invalid {
            message: message.into(),
            hint: None,
        }
    }

    fn hint(mut self, hint: impl Into<String>) -> Invalid {
        self.hint = Some(hint.into());
        self
    }
}

/// The first year figures can be about: the Party's founding.
pub(crate) const FIRST_YEAR: i32 = 1930;

/// A year of figures: of a plan, of a results file, of an import.
pub(crate) fn year(year: i64) -> Result<i32, Invalid> {
    i32::try_from(year)
        .ok()
        .filter(|y| (FIRST_YEAR..=vi::MAX_YEAR).contains(y))
        .ok_or_else(|| Invalid::new(format!("năm phải từ {FIRST_YEAR} đến {}", vi::MAX_YEAR)))
}

/// A quarter of a year, 1 to 4.
pub(crate) fn quarter(quarter: i64) -> Result<u8, Invalid> {
    match quarter {
        1..=4 => Ok(quarter as u8),
        _ => Err(not_a_quarter()),
    }
}

/// What [`quarter`] says, also of a quarter that is not even a number.
pub(crate) fn not_a_quarter() -> Invalid {
    Invalid::new("quý phải là 1, 2, 3 hoặc 4")
}

/// A port of 127.0.0.1; 0 lets the system choose a free one.
pub(crate) fn port(port: i64) -> Result<u16, Invalid> {
    u16::try_from(port)
        .map_err(|_| Invalid::new("cổng phải từ 0 đến 65535 (0: để máy chọn cổng trống)"))
}

/// A whole number typed as text (on the command line): digits, maybe a
/// sign. `kind` and `example` name it in the message (`năm`, `2024`).
pub(crate) fn whole_number(text: &str, kind: &str, example: &str) -> Result<i64, Invalid> {
    text.parse::<i64>()
        .map_err(|_| Invalid::new(format!("{kind} phải viết bằng chữ số, ví dụ {example}")))
}

/// The address the site is published at: an absolute http(s) URL with a
/// host, no query or fragment (every page's address is made by adding its
/// path), only characters that need no escaping in HTML or XML. Its normal
/// form ends in `/`.
pub(crate) fn base_url(url: &str) -> Result<String, Invalid> {
    const EXAMPLE: &str = "ví dụ https://bantochuc.example.vn/";
    let Some(rest) = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
    else {
        return Err(
            Invalid::new("địa chỉ gốc phải là địa chỉ đầy đủ bắt đầu bằng https://").hint(EXAMPLE),
        );
    };
    if let Some(c) = url
        .chars()
        .find(|&c| !c.is_ascii_graphic() || matches!(c, '"' | '\'' | '<' | '>' | '\\' | '`'))
    {
        return Err(Invalid::new(format!(
            "địa chỉ gốc có ký tự không dùng được U+{:04X}",
            c as u32
        ))
        .hint("khoảng trắng, chữ có dấu và dấu ngoặc trong địa chỉ phải viết dạng %XX"));
    }
    if let Some(at) = url.find(['?', '#']) {
        return Err(Invalid::new(
            "địa chỉ gốc không được có phần '?…' hay '#…': địa chỉ mỗi trang là địa chỉ gốc nối thêm đường dẫn của trang",
        )
        .hint(format!("bỏ phần từ '{}' trở đi: {}", &url[at..=at], &url[..at])));
    }
    let host = rest.split('/').next().unwrap_or_default();
    let host_ok = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
    if !host_ok {
        return Err(
            Invalid::new("địa chỉ gốc thiếu tên máy chủ hợp lệ sau https://").hint(EXAMPLE),
        );
    }
    Ok(if url.ends_with('/') {
        url.to_owned()
    } else {
        format!("{url}/")
    })
}

/// A document's symbol (số hiệu), such as `366-KH/TU`: a plan's own, the
/// plan of a results file, the `--plan` of an import.
pub(crate) fn document_symbol(text: &str) -> Result<DocSymbol, Invalid> {
    DocSymbol::parse(text).map_err(|e| match e {
        SymbolError::WrongCase { suggestion } => {
            Invalid::new("số hiệu phân biệt chữ hoa, chữ thường")
                .hint(format!("có phải {suggestion}?"))
        }
        e => Invalid::new(e.message_vi())
            .hint("số hiệu văn bản đảng có dạng <số>-<loại>/<cơ quan>, ví dụ 366-KH/TU"),
    })
}

/// The symbol of a plan: a committee's plan is a Party document, so its
/// symbol has the Party form `<số>-<loại>/<cơ quan>` (Hướng dẫn
/// 36-HD/VPTW). The State form `28/KH-TU` is refused with the Party
/// spelling of the same symbol as the hint.
pub(crate) fn plan_symbol(text: &str) -> Result<DocSymbol, Invalid> {
    let symbol = document_symbol(text)?;
    if symbol.form == SymbolForm::Party {
        return Ok(symbol);
    }
    Err(Invalid::new(
        "kế hoạch của cấp ủy là văn bản của Đảng; số hiệu viết <số>-<loại>/<cơ quan>, không theo dạng <số>/<loại>-<cơ quan> của văn bản nhà nước",
    )
    .hint(format!(
        "viết {}-{}/{}",
        symbol.number, symbol.kind, symbol.issuer
    )))
}

/// The folder of a site: one that holds `content/`. How to name another
/// one depends on the command, so the caller gives the hint.
pub(crate) fn site_folder(root: &Path) -> Result<(), Invalid> {
    if root.join("content").is_dir() {
        return Ok(());
    }
    let message = if root.is_dir() {
        format!("không thấy thư mục content/ trong {}", root.display())
    } else {
        format!("{} không phải thư mục của một trang", root.display())
    };
    Err(Invalid::new(message))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_end_in_a_slash_and_have_a_host() {
        assert_eq!(base_url("https://a.vn").as_deref(), Ok("https://a.vn/"));
        assert_eq!(
            base_url("http://127.0.0.1:8080/luu-tru").as_deref(),
            Ok("http://127.0.0.1:8080/luu-tru/")
        );
        assert_eq!(
            base_url("https://a.vn/ban-tin/").as_deref(),
            Ok("https://a.vn/ban-tin/")
        );
        for refused in [
            "javascript:alert(1)",
            "a.vn",
            "https://",
            "https:///x",
            "https://a b.vn/",
            "https://a.vn/\"><script>",
            "https://bản-tin.vn/",
            "https://user@a.vn/",
        ] {
            assert!(base_url(refused).is_err(), "{refused}");
        }
    }

    #[test]
    fn a_base_url_with_a_query_is_refused_with_the_way_out() {
        let refused = base_url("https://a.vn/?x=1");
        assert_eq!(
            refused.map_err(|e| e.hint),
            Err(Some("bỏ phần từ '?' trở đi: https://a.vn/".to_owned()))
        );
        assert!(base_url("https://a.vn/#tin").is_err());
    }

    #[test]
    fn years_quarters_and_ports_have_their_ranges() {
        assert_eq!(year(1930), Ok(1930));
        assert_eq!(year(2200), Ok(2200));
        for y in [0, -1, 1929, 2201, i64::MAX] {
            assert_eq!(
                year(y).map_err(|e| e.message),
                Err("năm phải từ 1930 đến 2200".to_owned())
            );
        }
        assert_eq!(quarter(1), Ok(1));
        assert_eq!(quarter(4), Ok(4));
        for q in [0, 5, -1, 256 + 1] {
            assert_eq!(quarter(q), Err(not_a_quarter()), "{q}");
        }
        assert_eq!(port(0), Ok(0));
        assert_eq!(port(65535), Ok(65535));
        assert!(port(65536).is_err());
        assert!(port(-5).is_err());
    }

    #[test]
    fn a_symbol_in_the_wrong_case_is_answered_with_the_right_one() {
        assert!(document_symbol("12-KH/TU").is_ok());
        assert_eq!(
            document_symbol("12-kh/tu").map_err(|e| e.hint),
            Err(Some("có phải 12-KH/TU?".to_owned()))
        );
        let shape = document_symbol("12KH/TU").map_err(|e| e.hint.unwrap_or_default());
        assert!(shape.is_err_and(|h| h.contains("366-KH/TU")));
    }
}
