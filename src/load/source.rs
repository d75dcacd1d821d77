//! Turning a file's bytes into text: UTF-8 only, a byte-order mark and CRLF
//! line ends accepted, a size bound so no file can exhaust memory.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use crate::diagnostic::{Code, Diagnostic};

/// Text files larger than this are refused (README, "Giới hạn").
pub const MAX_TEXT_BYTES: u64 = 32 * 1024 * 1024;

/// A problem reading a file, before anything is parsed.
#[derive(Debug, PartialEq, Eq)]
pub struct SourceError {
    pub code: Code,
    pub line: u32,
    pub col: u32,
    pub message: String,
}

/// Reads `path` as text (see [`decode`]); refuses files over [`MAX_TEXT_BYTES`].
pub fn read_text(path: &Path) -> Result<String, SourceError> {
    let io_error = |e: std::io::Error| SourceError {
        code: Code::Io,
        line: 0,
        col: 0,
        message: format!("không đọc được tệp: {}", crate::os_error::describe(&e)),
    };
    let file = File::open(path).map_err(io_error)?;
    let size = file.metadata().map_err(io_error)?.len();
    if size > MAX_TEXT_BYTES {
        return Err(SourceError {
            code: Code::TooLarge,
            line: 0,
            col: 0,
            message: format!(
                "tệp lớn {} MB, vượt giới hạn {} MB cho một tệp văn bản",
                size / (1024 * 1024),
                MAX_TEXT_BYTES / (1024 * 1024)
            ),
        });
    }
    let mut bytes = Vec::with_capacity(size as usize);
    // `take` also bounds a file that grows while it is read.
    file.take(MAX_TEXT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io_error)?;
    decode(bytes)
}

/// UTF-8 bytes → text with `\n` line ends and no byte-order mark.
/// Invalid UTF-8 is reported at the line and column of the first bad byte.
pub fn decode(mut bytes: Vec<u8>) -> Result<String, SourceError> {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let bytes = e.as_bytes();
            let good = e.utf8_error().valid_up_to();
            let before = String::from_utf8_lossy(&bytes[..good]);
            let line = before.matches('\n').count() as u32 + 1;
            let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u32 + 1;
            let hint = if looks_like_utf16(bytes) {
                "; tệp có vẻ là UTF-16 — hãy lưu lại với bảng mã UTF-8"
            } else {
                "; hãy lưu lại tệp với bảng mã UTF-8 (không dùng TCVN3, VNI hay Windows-1258)"
            };
            return Err(SourceError {
                code: Code::NotUtf8,
                line,
                col,
                message: format!(
                    "tệp không phải văn bản UTF-8 (byte 0x{:02X} ở vị trí {}){hint}",
                    bytes.get(good).copied().unwrap_or(0),
                    good
                ),
            });
        }
    };
    Ok(if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text
    })
}

fn looks_like_utf16(bytes: &[u8]) -> bool {
    bytes.starts_with(b"\xFF\xFE")
        || bytes.starts_with(b"\xFE\xFF")
        || bytes.iter().take(64).filter(|&&b| b == 0).count() > 8
}

/// 1-based line and column (in characters) of byte `offset` in `text`.
pub fn position(text: &str, offset: usize) -> (u32, u32) {
    let offset = offset.min(text.len());
    let mut cut = offset;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let before = &text[..cut];
    let line = before.matches('\n').count() as u32 + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u32 + 1;
    (line, col)
}

/// Characters that look like others (or like nothing) and come with text
/// pasted from Word or a web page: what to call each, and how to fix it.
fn lookalike(c: char) -> Option<(&'static str, &'static str)> {
    Some(match c {
        '\u{00A0}' | '\u{202F}' | '\u{2007}' => (
            "dấu cách không ngắt",
            "xóa nó rồi gõ lại một dấu cách thường",
        ),
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' => (
            "ký tự vô hình",
            "xóa nó (đưa con trỏ tới cột đó, xóa một ký tự)",
        ),
        '\u{201C}' | '\u{201D}' | '\u{201E}' => (
            "dấu ngoặc kép cong kiểu Word",
            "YAML chỉ hiểu dấu ngoặc kép thẳng: thay bằng \"",
        ),
        '\u{2018}' | '\u{2019}' => (
            "dấu nháy cong kiểu Word",
            "YAML chỉ hiểu dấu nháy thẳng: thay bằng ' (hoặc đặt cả giá trị trong \"...\")",
        ),
        _ => return None,
    })
}

/// Explains an error on a line that holds a look-alike character (a
/// non-breaking space, a zero-width space, Word's curly quotes): the
/// parser's own words would blame the shape of the line, when the cause
/// is a character the editor cannot see. The hint names it, its code and
/// column, and the fix.
pub fn explain_lookalikes(diagnostics: &mut [Diagnostic], text: &str) {
    for d in diagnostics
        .iter_mut()
        .filter(|d| d.is_error() && d.line > 0)
    {
        let Some(line) = text.lines().nth(d.line as usize - 1) else {
            continue;
        };
        let Some((col, c, (name, fix))) = line
            .chars()
            .enumerate()
            .find_map(|(k, c)| lookalike(c).map(|l| (k + 1, c, l)))
        else {
            continue;
        };
        d.hint = Some(format!(
            "dòng {} có {name} (U+{:04X}, thường lẫn vào khi chép từ Word hay trang web) ở cột {col}: {fix}",
            d.line, c as u32
        ));
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_pasted_character_on_an_error_line_is_named_with_its_column() {
        let files = crate::model::Files::new(vec!["content/a.yaml".to_owned()]);
        let mut d = crate::diagnostic::Diagnostics::new(&files);
        let id = crate::model::FileId(0);
        let text = "year: 2023\nadmitted: 30\u{a0}\nname: \u{200b}x\n";
        d.report(
            Code::BadValue,
            crate::model::Loc::new(id, 2, 11),
            "phải là số",
        )
        .with_hint("viết 30");
        d.report(Code::BadValue, crate::model::Loc::new(id, 1, 7), "sai")
            .with_hint("giữ");
        d.report(Code::BadValue, crate::model::Loc::new(id, 3, 7), "sai");
        explain_lookalikes(d.since_mut(0), text);
        let list = d.into_vec();
        assert_eq!(
            list[0].hint.as_deref(),
            Some(
                "dòng 2 có dấu cách không ngắt (U+00A0, thường lẫn vào khi chép từ Word hay trang web) ở cột 13: xóa nó rồi gõ lại một dấu cách thường"
            )
        );
        assert_eq!(list[1].hint.as_deref(), Some("giữ"), "a line without one");
        assert!(
            list[2]
                .hint
                .as_deref()
                .is_some_and(|h| h.contains("ký tự vô hình (U+200B"))
        );
    }

    use super::*;

    #[test]
    fn bom_and_crlf_are_accepted() {
        let text = decode(b"\xEF\xBB\xBFa: 1\r\nb: 2\r\n".to_vec());
        assert_eq!(text, Ok("a: 1\nb: 2\n".to_owned()));
    }

    #[test]
    fn invalid_utf8_points_at_the_first_bad_byte() {
        // "title: Ng\xE2n" is Latin-1, as some old editors save it.
        let err = decode(b"a: 1\ntitle: Ng\xE2n\n".to_vec()).unwrap_err();
        assert_eq!((err.code, err.line, err.col), (Code::NotUtf8, 2, 10));
    }

    #[test]
    fn utf16_gets_its_own_hint() {
        let err = decode(b"\xFF\xFEa\x00:\x00".to_vec()).unwrap_err();
        assert!(err.message.contains("UTF-16"), "{}", err.message);
    }

    #[test]
    fn position_counts_characters() {
        let text = "đơn vị: x\nĐảng: y";
        assert_eq!(position(text, 0), (1, 1));
        assert_eq!(position(text, text.find("x").unwrap_or(0)), (1, 9));
        assert_eq!(position(text, text.find("y").unwrap_or(0)), (2, 7));
        assert_eq!(position(text, 10_000), (2, 8));
    }
}
