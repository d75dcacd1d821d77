//! CSV and tab-separated text as spreadsheet programs save it: the bytes
//! decoded whatever their encoding, the delimiter found from the header
//! row, and rows numbered as a spreadsheet program shows them.
//!
//! Encodings, in the order they are recognised:
//! - a byte-order mark: UTF-8, UTF-16 LE or BE ("Unicode text" in Excel,
//!   usually TAB-separated);
//! - valid UTF-8 without a mark;
//! - UTF-16 without a mark, when every other byte is zero;
//! - otherwise Windows-1258 ("Vietnamese (Windows)"), whose tone marks are
//!   combining characters: the text is NFC-normalised after decoding.
//!
//! TCVN3 (ABC) and VNI cannot be told apart from Windows-1258 by their
//! bytes; their headers then match nothing and the message says to save the
//! file as UTF-8.

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1258};

use super::limits::{MAX_CELL_BYTES, size_text};
use super::sheet::{Cell, Grid, ReadError, TABLE_HINT, cell_name};
use super::{MAX_COLUMNS, MAX_ROWS};
use crate::vi;

/// How the bytes of a text file were read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextEncoding {
    Utf8,
    Utf8Bom,
    Utf16Le,
    Utf16Be,
    Windows1258,
}

impl TextEncoding {
    pub fn name(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "UTF-8",
            TextEncoding::Utf8Bom => "UTF-8 có BOM",
            TextEncoding::Utf16Le => "UTF-16 LE",
            TextEncoding::Utf16Be => "UTF-16 BE",
            TextEncoding::Windows1258 => "Windows-1258",
        }
    }
}

/// The text of `bytes` in NFC, and the encoding it was found to be in.
/// The bytes are dropped once decoded, and the text is normalised in place
/// of a copy when it is already NFC: a file of the largest size allowed
/// holds at most two copies of its text at once.
pub fn decode(bytes: Vec<u8>) -> (String, TextEncoding) {
    let (text, encoding) = decode_bytes(bytes);
    let normalised = match vi::nfc(&text) {
        std::borrow::Cow::Owned(n) => Some(n),
        std::borrow::Cow::Borrowed(_) => None,
    };
    (normalised.unwrap_or(text), encoding)
}

/// The text of `bytes`, which are dropped on return.
fn decode_bytes(bytes: Vec<u8>) -> (String, TextEncoding) {
    if let Some((enc, bom)) = Encoding::for_bom(&bytes) {
        let kind = if enc == UTF_8 {
            TextEncoding::Utf8Bom
        } else if enc == UTF_16LE {
            TextEncoding::Utf16Le
        } else {
            TextEncoding::Utf16Be
        };
        let rest = bytes.get(bom..).unwrap_or_default();
        (enc.decode_without_bom_handling(rest).0.into_owned(), kind)
    } else if let Some(enc) = utf16_without_bom(&bytes) {
        // Checked before UTF-8: UTF-16 of ASCII text is valid UTF-8, with NULs.
        let kind = if enc == UTF_16LE {
            TextEncoding::Utf16Le
        } else {
            TextEncoding::Utf16Be
        };
        (enc.decode_without_bom_handling(&bytes).0.into_owned(), kind)
    } else {
        match String::from_utf8(bytes) {
            Ok(text) => (text, TextEncoding::Utf8),
            Err(e) => (
                WINDOWS_1258
                    .decode_without_bom_handling(e.as_bytes())
                    .0
                    .into_owned(),
                TextEncoding::Windows1258,
            ),
        }
    }
}

/// UTF-16 written without a byte-order mark: most of the first bytes at
/// odd (LE) or even (BE) positions are zero, as ASCII text gives.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = bytes.get(..bytes.len().min(512))?;
    let pairs = head.len() / 2;
    if pairs < 2 {
        return None;
    }
    let zeros_at = |parity: usize| {
        head.iter()
            .enumerate()
            .filter(|(i, b)| i % 2 == parity && **b == 0)
            .count()
    };
    let (even, odd) = (zeros_at(0), zeros_at(1));
    if odd * 10 >= pairs * 6 && even * 10 <= pairs {
        Some(UTF_16LE)
    } else if even * 10 >= pairs * 6 && odd * 10 <= pairs {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// The delimiters tried, in order of preference when they score the same.
const DELIMITERS: [u8; 3] = [b',', b';', b'\t'];

/// Splits `text` into a grid. The delimiter is the one of `, ; TAB` under
/// which `score` (how well a header row is recognised) is highest; Excel's
/// `sep=;` first line, when present, decides instead.
pub fn read(text: &str, score: impl Fn(&Grid) -> usize) -> Result<(Grid, u8), ReadError> {
    if let Some((delimiter, rest)) = sep_line(text) {
        return parse(rest, delimiter, None).map(|g| (g, delimiter));
    }
    let first_line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let mut candidates = DELIMITERS;
    // More of a delimiter in the first line first, so a tie goes to it.
    candidates.sort_by_key(|d| std::cmp::Reverse(first_line.bytes().filter(|b| b == d).count()));
    let mut best: Option<(usize, u8)> = None;
    for delimiter in candidates {
        let Ok(head) = parse(text, delimiter, Some(super::HEADER_SEARCH_ROWS)) else {
            continue;
        };
        let s = score(&head);
        if best.is_none_or(|(b, _)| s > b) {
            best = Some((s, delimiter));
        }
    }
    let delimiter = best.map_or(b',', |(_, d)| d);
    parse(text, delimiter, None).map(|g| (g, delimiter))
}

/// `sep=;` as the first line, which Excel reads as the delimiter and hides.
fn sep_line(text: &str) -> Option<(u8, &str)> {
    let (first, rest) = text.split_once('\n')?;
    let value = first.trim_end_matches('\r').strip_prefix("sep=")?;
    match value.as_bytes() {
        [d] if DELIMITERS.contains(d) || *d == b'|' => Some((*d, rest)),
        _ => None,
    }
}

/// Parses `text` with `delimiter`; rows are numbered as a spreadsheet
/// program shows them (blank lines count, line breaks inside a quoted cell
/// do not). `limit` stops after that many rows.
fn parse(text: &str, delimiter: u8, limit: Option<u32>) -> Result<Grid, ReadError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut grid = Grid::new(None);
    let mut record = csv::StringRecord::new();
    let bytes = text.as_bytes();
    // Lines before the current record, counted up to `scanned`.
    let (mut scanned, mut lines_before) = (0_usize, 0_u64);
    let mut breaks_in_cells: u64 = 0;
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                return Err(ReadError::Unreadable(format!(
                    "không đọc được tệp CSV ({e})"
                )));
            }
        }
        // The reader's position is where the previous record ended; blank
        // lines it skipped come after that.
        let mut start = record
            .position()
            .and_then(|p| usize::try_from(p.byte()).ok())
            .unwrap_or(scanned)
            .max(scanned);
        while bytes.get(start).is_some_and(|b| matches!(b, b'\r' | b'\n')) {
            start += 1;
        }
        lines_before += bytes
            .get(scanned..start)
            .map_or(0, |s| s.iter().filter(|b| **b == b'\n').count() as u64);
        scanned = start;
        let row = lines_before.saturating_sub(breaks_in_cells);
        if limit.is_some_and(|l| row >= u64::from(l)) {
            break;
        }
        let row = match u32::try_from(row) {
            Ok(r) if r < MAX_ROWS => r,
            _ => return Err(too_large()),
        };
        for (col, field) in record.iter().enumerate() {
            breaks_in_cells += field.matches('\n').count() as u64;
            if field.trim().is_empty() {
                continue;
            }
            let col = match u32::try_from(col) {
                Ok(c) if c < MAX_COLUMNS => c,
                _ => return Err(too_large()),
            };
            if field.len() as u64 > MAX_CELL_BYTES {
                return Err(ReadError::TooLarge(
                    format!(
                        "ô {} dài hơn {}; giới hạn là {} một ô",
                        cell_name(row, col),
                        size_text(MAX_CELL_BYTES),
                        size_text(MAX_CELL_BYTES)
                    ),
                    "một ô của bảng số liệu chỉ ghi tên đơn vị hoặc một con số; kiểm tra dấu ngoặc kép \" bị thiếu, làm cả phần sau thành một ô".to_owned(),
                ));
            }
            grid.set(row, col, Cell::Text(field.to_owned()))?;
        }
    }
    Ok(grid)
}

fn too_large() -> ReadError {
    ReadError::TooLarge(
        format!(
            "tệp có ô ngoài {} hàng, {} cột đầu",
            vi::int(i64::from(MAX_ROWS)),
            MAX_COLUMNS
        ),
        TABLE_HINT.to_owned(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16le(s: &str, bom: bool) -> Vec<u8> {
        let mut out = if bom { vec![0xFF, 0xFE] } else { Vec::new() };
        for u in s.encode_utf16() {
            out.extend(u.to_le_bytes());
        }
        out
    }

    #[test]
    fn utf8_with_and_without_bom() {
        let (t, e) = decode("Đơn vị;Kết nạp".as_bytes().to_vec());
        assert_eq!((t.as_str(), e), ("Đơn vị;Kết nạp", TextEncoding::Utf8));
        let (t, e) = decode(b"\xEF\xBB\xBF\xC4\x90\xC6\xA1n v\xE1\xBB\x8B".to_vec());
        assert_eq!((t.as_str(), e), ("Đơn vị", TextEncoding::Utf8Bom));
    }

    #[test]
    fn utf16_little_and_big_endian() {
        let (t, e) = decode(utf16le("Đơn vị\tKết nạp\r\n", true));
        assert_eq!(
            (t.as_str(), e),
            ("Đơn vị\tKết nạp\r\n", TextEncoding::Utf16Le)
        );
        let mut be = vec![0xFE, 0xFF];
        for u in "Nữ".encode_utf16() {
            be.extend(u.to_be_bytes());
        }
        assert_eq!(decode(be), ("Nữ".to_owned(), TextEncoding::Utf16Be));
        // No mark, as some programs write it.
        let (t, e) = decode(utf16le("Don vi,Ket nap\n", false));
        assert_eq!((t.as_str(), e), ("Don vi,Ket nap\n", TextEncoding::Utf16Le));
    }

    #[test]
    fn windows_1258_tones_become_nfc() {
        // "Đơn vị" in Windows-1258: Đ=D0, ơ=F5, the dot below is the
        // combining mark F2 after the i.
        let bytes = b"\xD0\xF5n vi\xF2;K\xEAt na\xF2p";
        let (t, e) = decode(bytes.to_vec());
        assert_eq!(e, TextEncoding::Windows1258);
        assert_eq!(t, "Đơn vị;Kêt nạp");
        assert_eq!(t, vi::nfc(&t));
        // "Kết": ê then the combining acute (EC).
        let (t, _) = decode(b"K\xEA\xECt n\xE2\xF2p\xFF".to_vec());
        assert!(t.starts_with("Kết"), "{t}");
    }

    fn cells(g: &Grid, row: u32) -> Vec<String> {
        (0..4).map(|c| g.get(row, c).text()).collect()
    }

    #[test]
    fn the_delimiter_is_the_one_that_finds_headers() {
        let score = |g: &Grid| {
            (0..3)
                .map(|r| (0..4).filter(|&c| g.get(r, c).text().contains("K")).count())
                .sum()
        };
        let (g, d) =
            read("Đơn vị;Kết nạp;Nữ\nAn,1;2;3\n", score).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(d, b';');
        assert_eq!(cells(&g, 1), ["An,1", "2", "3", ""]);
        let (_, d) = read("a\tK1\tK2\n", score).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(d, b'\t');
        let (g, d) = read("sep=;\nK;b\n", score).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!((d, g.get(0, 0).text()), (b';', "K".to_owned()));
    }

    #[test]
    fn rows_are_numbered_like_a_spreadsheet() {
        let text = "a,b\r\n\r\n\"x\ny\",1\n\nlast,2\n";
        let (g, _) = read(text, |_| 0).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(g.get(0, 0).text(), "a");
        assert_eq!(g.get(2, 1).text(), "1");
        assert_eq!(g.get(4, 0).text(), "last");
    }
}
