//! `bantin import` on hostile spreadsheets: zip bombs, cells of a
//! gigabyte, millions of repeated rows, loops in an .xls, thousands of
//! sheets. Every file is built here, part by part (zip containers, deflate
//! streams and OLE compound files written by hand, so that a part can
//! inflate to gigabytes from a file of a megabyte). Each bomb must be
//! refused with E106 naming the part and the limit, within 100 MB of peak
//! memory (the child's own, through wait4); time is not asserted, only
//! bounded by a generous kill against a hang.

use std::fs;
use std::path::Path;
use std::time::Duration;

use crate::common::{Run, alone, import_args, record_count, run_measured, site_with};

/// Peak memory every refusal must stay under.
const PEAK_MB: u64 = 100;

// ---- zip containers ---------------------------------------------------------

/// CRC-32 (IEEE 802.3), as zip stores it.
pub fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFF_u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A part's bytes as stored in the zip.
pub enum Body {
    /// Stored as is.
    Stored(Vec<u8>),
    /// A raw deflate stream, the size it inflates to and a CRC (0 when the
    /// part is a bomb nobody reads to its end).
    Deflated { data: Vec<u8>, size: u64, crc: u32 },
}

/// Writes a zip file of `parts`, by hand: local headers, data, central
/// directory, end record.
pub fn zip(parts: &[(&str, Body)]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    let u16le = |v: &mut Vec<u8>, x: u16| v.extend(x.to_le_bytes());
    let u32le = |v: &mut Vec<u8>, x: u32| v.extend(x.to_le_bytes());
    for (name, body) in parts {
        let (method, data, size, crc): (u16, &[u8], u64, u32) = match body {
            Body::Stored(b) => (0, b, b.len() as u64, crc32(b)),
            Body::Deflated { data, size, crc } => (8, data, *size, *crc),
        };
        let size = u32::try_from(size).unwrap_or_else(|_| panic!("{name}: over 4 GB"));
        let offset = u32::try_from(out.len()).unwrap_or_else(|_| panic!("zip over 4 GB"));
        let name = name.as_bytes();
        // Local header.
        out.extend(b"PK\x03\x04");
        u16le(&mut out, 20);
        u16le(&mut out, 0x0800); // UTF-8 names
        u16le(&mut out, method);
        u16le(&mut out, 0);
        u16le(&mut out, 0x21);
        u32le(&mut out, crc);
        u32le(&mut out, data.len() as u32);
        u32le(&mut out, size);
        u16le(&mut out, name.len() as u16);
        u16le(&mut out, 0);
        out.extend(name);
        out.extend(data);
        // Central header.
        central.extend(b"PK\x01\x02");
        u16le(&mut central, 20);
        u16le(&mut central, 20);
        u16le(&mut central, 0x0800);
        u16le(&mut central, method);
        u16le(&mut central, 0);
        u16le(&mut central, 0x21);
        u32le(&mut central, crc);
        u32le(&mut central, data.len() as u32);
        u32le(&mut central, size);
        u16le(&mut central, name.len() as u16);
        u16le(&mut central, 0);
        u16le(&mut central, 0);
        u16le(&mut central, 0);
        u16le(&mut central, 0);
        u32le(&mut central, 0);
        u32le(&mut central, offset);
        central.extend(name);
    }
    let cd_offset = out.len() as u32;
    let cd_size = central.len() as u32;
    out.extend(&central);
    out.extend(b"PK\x05\x06");
    u16le(&mut out, 0);
    u16le(&mut out, 0);
    u16le(&mut out, parts.len() as u16);
    u16le(&mut out, parts.len() as u16);
    u32le(&mut out, cd_size);
    u32le(&mut out, cd_offset);
    u16le(&mut out, 0);
    out
}

/// Deflate bits, least significant first.
struct Bits {
    out: Vec<u8>,
    acc: u64,
    n: u32,
}

impl Bits {
    fn new() -> Bits {
        Bits {
            out: Vec::new(),
            acc: 0,
            n: 0,
        }
    }

    fn put(&mut self, value: u64, bits: u32) {
        self.acc |= value << self.n;
        self.n += bits;
        while self.n >= 8 {
            self.out.push(self.acc as u8);
            self.acc >>= 8;
            self.n -= 8;
        }
    }

    /// A Huffman code: its bits go most significant first.
    fn code(&mut self, code: u64, bits: u32) {
        let mut reversed = 0;
        for i in 0..bits {
            reversed |= ((code >> i) & 1) << (bits - 1 - i);
        }
        self.put(reversed, bits);
    }

    fn align(&mut self) {
        if self.n > 0 {
            self.put(0, 8 - self.n);
        }
    }

    /// A stored block of `data` (at most 65535 bytes).
    fn stored(&mut self, data: &[u8], last: bool) {
        for (i, chunk) in data.chunks(65_535).enumerate() {
            let final_chunk = last && (i + 1) * 65_535 >= data.len();
            self.put(u64::from(final_chunk), 1);
            self.put(0, 2);
            self.align();
            let len = chunk.len() as u16;
            self.out.extend(len.to_le_bytes());
            self.out.extend((!len).to_le_bytes());
            self.out.extend(chunk);
        }
        if data.is_empty() {
            self.put(u64::from(last), 1);
            self.put(0, 2);
            self.align();
            self.out.extend([0, 0, 0xFF, 0xFF]);
        }
    }

    fn finish(mut self) -> Vec<u8> {
        self.align();
        self.out
    }
}

const DIST_BASE: [u64; 30] = [
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
    2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
];
const DIST_EXTRA: [u32; 30] = [
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13,
    13,
];

/// Zeros in a code-length sequence, with the code-length codes 0, 17, 18
/// (all two bits long: 0 → 00, 1 → 01, 17 → 10, 18 → 11).
fn zeros(bits: &mut Bits, mut n: u64) {
    while n >= 11 {
        let run = n.min(138);
        bits.code(0b11, 2);
        bits.put(run - 11, 7);
        n -= run;
    }
    if n >= 3 {
        bits.code(0b10, 2);
        bits.put(n - 3, 3);
        n = 0;
    }
    for _ in 0..n {
        bits.code(0b00, 2);
    }
}

/// A raw deflate stream inflating to `prefix`, then `unit` repeated over
/// `len` bytes (`len - unit.len()` a multiple of 258, and of the unit's
/// length for whole units), then `suffix`: the repeats cost two bits and
/// the distance's extra bits per 258 bytes, as in the zip bombs seen.
pub fn deflate_bomb(prefix: &[u8], unit: &[u8], len: u64, suffix: &[u8]) -> Body {
    assert!(!unit.is_empty() && unit.len() <= 258);
    let repeats = (len - unit.len() as u64) / 258;
    assert_eq!(repeats * 258 + unit.len() as u64, len, "length");
    let mut bits = Bits::new();
    let mut head = prefix.to_vec();
    head.extend(unit);
    bits.stored(&head, false);
    // A dynamic block: literal/length codes 256 (end) and 285 (length 258),
    // one bit each; distance codes d and its neighbour, one bit each.
    let distance = unit.len() as u64;
    let d = DIST_BASE.iter().rposition(|&b| b <= distance).unwrap_or(0);
    let (first, second) = if d == 29 { (28, 29) } else { (d, d + 1) };
    bits.put(0, 1); // not the last block
    bits.put(0b10, 2); // dynamic Huffman
    bits.put(29, 5); // 286 literal/length codes
    bits.put(second as u64, 5); // second + 1 distance codes
    bits.put(14, 4); // 18 code-length codes
    // Code-length code lengths, in their order 16 17 18 0 8 7 9 6 10 5 11
    // 4 12 3 13 2 14 1: two bits for 17, 18, 0 and 1, none for the rest.
    for len in [0, 2, 2, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2] {
        bits.put(len, 3);
    }
    // Literal/length lengths: 256 and 285 have one bit.
    zeros(&mut bits, 256);
    bits.code(0b01, 2);
    zeros(&mut bits, 28);
    bits.code(0b01, 2);
    // Distance lengths.
    zeros(&mut bits, first as u64);
    bits.code(0b01, 2);
    bits.code(0b01, 2);
    // Codes, by symbol order: 256 → 0, 285 → 1; distance first → 0.
    let extra = DIST_EXTRA[d];
    let extra_value = distance - DIST_BASE[d];
    let uses_first = d == first;
    for _ in 0..repeats {
        bits.code(1, 1);
        bits.code(u64::from(!uses_first), 1);
        if extra > 0 {
            bits.put(extra_value, extra);
        }
    }
    bits.code(0, 1); // end of block
    bits.stored(suffix, true);
    Body::Deflated {
        data: bits.finish(),
        size: prefix.len() as u64 + len + suffix.len() as u64,
        crc: 0,
    }
}

fn stored(text: &str) -> Body {
    Body::Stored(text.as_bytes().to_vec())
}

pub const PACKAGE_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;

/// `xl/workbook.xml` listing `sheets` (names), each with relationship
/// `rId<n>`.
pub fn workbook_xml(sheets: &[&str]) -> String {
    let list: String = sheets
        .iter()
        .enumerate()
        .map(|(i, n)| {
            format!(
                r#"<sheet name="{n}" sheetId="{}" r:id="rId{}"/>"#,
                i + 1,
                i + 1
            )
        })
        .collect();
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>{list}</sheets></workbook>"#
    )
}

/// `xl/_rels/workbook.xml.rels`: `rId<n>` → `targets[n-1]`.
pub fn workbook_rels(targets: &[&str]) -> String {
    let list: String = targets
        .iter()
        .enumerate()
        .map(|(i, t)| {
            format!(
                r#"<Relationship Id="rId{}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="{t}"/>"#,
                i + 1
            )
        })
        .collect();
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{list}</Relationships>"#
    )
}

pub const SHEET_START: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#;
pub const SHEET_END: &str = "</sheetData></worksheet>";

/// An .xlsx with one sheet, `xl/worksheets/sheet1.xml` = `sheet`, and the
/// `extra` parts.
fn xlsx_with(sheet: Body, extra: Vec<(&str, Body)>) -> Vec<u8> {
    xlsx_of_sheets(1, sheet, extra)
}

/// An .xlsx of `sheets` sheets `S1`, `S2`... (`Sheet1` when there is one)
/// that all read the one part `xl/worksheets/sheet1.xml` = `sheet`, and
/// the `extra` parts.
fn xlsx_of_sheets(sheets: usize, sheet: Body, extra: Vec<(&str, Body)>) -> Vec<u8> {
    let names: Vec<String> = match sheets {
        1 => vec!["Sheet1".to_owned()],
        n => (1..=n).map(|i| format!("S{i}")).collect(),
    };
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let targets = vec!["worksheets/sheet1.xml"; sheets];
    let mut parts = vec![
        ("_rels/.rels", stored(PACKAGE_RELS)),
        ("xl/workbook.xml", stored(&workbook_xml(&names))),
        (
            "xl/_rels/workbook.xml.rels",
            stored(&workbook_rels(&targets)),
        ),
        ("xl/worksheets/sheet1.xml", sheet),
    ];
    parts.extend(extra);
    zip(&parts)
}

/// A header row and one data row, as sheet XML rows.
const ROWS: &str = r#"<row r="1"><c r="A1" t="inlineStr"><is><t>Đơn vị</t></is></c><c r="B1" t="inlineStr"><is><t>Kết nạp</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>an-thinh</t></is></c><c r="B2"><v>9</v></c></row>"#;

/// A sheet of [`ROWS`], stored.
fn rows_sheet() -> Body {
    stored(&format!("{SHEET_START}{ROWS}{SHEET_END}"))
}

// ---- running ------------------------------------------------------------------

/// Runs `bantin import FILE` for quarter III/2024 in `site`.
fn import(site: &Path, file: &str) -> Run {
    run_measured(
        site,
        &import_args(file, "3", "12-KH/TU"),
        // Only against a hang; a refusal takes a fraction of a second.
        Duration::from_secs(600),
    )
}

/// Writes the bytes `build` gives as `name` in a fresh site, imports it,
/// and checks the refusal: exit 1, an `error[CODE]` line for the file
/// holding every one of `says`, nothing written, and the peak memory,
/// measured from a copy of this binary running only test `test` (see
/// [`alone`]).
fn refused(test: &str, name: &str, build: impl FnOnce() -> Vec<u8>, code: &str, says: &[&str]) {
    let test = format!("import_bombs::{test}");
    if alone(&test, || refuse(&test, name, build, code, says)) {
        let mut refused = BOMBS
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        *refused += 1;
        record_count("spreadsheet bombs refused", *refused);
    }
}

fn refuse(test: &str, name: &str, build: impl FnOnce() -> Vec<u8>, code: &str, says: &[&str]) {
    let site = site_with(None);
    fs::write(site.path().join(name), build()).unwrap_or_else(|e| panic!("{e}"));
    let run = import(site.path(), name);
    let line = run
        .stderr
        .lines()
        .find(|l| l.starts_with(&format!("{name}: error[{code}]")))
        .unwrap_or_else(|| panic!("no {name}: error[{code}] in\n{}", run.stderr))
        .to_owned();
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    for s in says {
        assert!(line.contains(s), "{s:?} missing in {line}");
    }
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert!(
        !site.path().join("content/results/2024/q3.yaml").exists(),
        "a file was written"
    );
    assert!(
        run.peak_mb < PEAK_MB,
        "{name}: {} MB of peak memory\n{}",
        run.peak_mb,
        run.stderr
    );
    eprintln!(
        "{test}: refused, {} MB of peak memory, {:.2} s",
        run.peak_mb, run.seconds
    );
}

/// Bombs refused in this run, for the CI summary.
static BOMBS: std::sync::Mutex<usize> = std::sync::Mutex::new(0);

const GB: u64 = 1024 * 1024 * 1024;

// ---- .xlsx bombs -------------------------------------------------------------

#[test]
fn an_inline_string_inflating_to_1_5_gb() {
    refused(
        "an_inline_string_inflating_to_1_5_gb",
        "bom.xlsx",
        || {
            // 1,5 GB of 'a' in one inline-string cell, from a file of about 1,5 MB.
            let len = 1 + 258 * (3 * GB / 2 / 258);
            let sheet = deflate_bomb(
                format!(r#"{SHEET_START}{ROWS}<row r="3"><c r="A3" t="inlineStr"><is><t>"#)
                    .as_bytes(),
                b"a",
                len,
                format!("</t></is></c></row>{SHEET_END}").as_bytes(),
            );
            let file = xlsx_with(sheet, vec![]);
            assert!(file.len() < 2_000_000, "{} bytes", file.len());
            file
        },
        "E106",
        &["'xl/worksheets/sheet1.xml'", "một ô", "256 KB"],
    );
}

#[test]
fn a_shared_string_of_a_gigabyte() {
    refused(
        "a_shared_string_of_a_gigabyte",
        "bom.xlsx",
        || {
            let len = 1 + 258 * (GB / 258);
            let strings = deflate_bomb(
            br#"<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>"#,
            b"x",
            len,
            b"</t></si></sst>",
        );
            xlsx_with(
                stored(&format!(
                    r#"{SHEET_START}<row r="1"><c r="A1" t="s"><v>0</v></c></row>{SHEET_END}"#
                )),
                vec![("xl/sharedStrings.xml", strings)],
            )
        },
        "E106",
        &["'xl/sharedStrings.xml'", "256 KB"],
    );
}

#[test]
fn two_gigabytes_of_whitespace_between_two_rows() {
    refused(
        "two_gigabytes_of_whitespace_between_two_rows",
        "bom.xlsx",
        || {
            let len = 1 + 258 * (2 * GB / 258 - 1);
            let sheet = deflate_bomb(
                format!(r#"{SHEET_START}<row r="1"><c r="A1"><v>1</v></c></row>"#).as_bytes(),
                b" ",
                len,
                format!(r#"<row r="2"><c r="A2"><v>2</v></c></row>{SHEET_END}"#).as_bytes(),
            );
            xlsx_with(sheet, vec![])
        },
        "E106",
        &["'xl/worksheets/sheet1.xml'", "đoạn văn bản", "256 KB"],
    );
}

#[test]
fn a_sheet_of_cells_inflating_past_the_part_limit() {
    refused(
        "a_sheet_of_cells_inflating_past_the_part_limit",
        "bom.xlsx",
        || {
            // Small valid cells, repeated to 200 MB: no cell is long, the part is.
            let unit = br#"<row><c><v>1</v></c></row>"#; // 26 bytes
            let k = 26 / 2; // 258·k a multiple of 26
            let len = unit.len() as u64 + 258 * k * (200 * 1024 * 1024 / (258 * k));
            let sheet = deflate_bomb(SHEET_START.as_bytes(), unit, len, SHEET_END.as_bytes());
            xlsx_with(sheet, vec![])
        },
        "E106",
        &["'xl/worksheets/sheet1.xml'", "16 MB"],
    );
}

#[test]
fn many_tiny_shared_strings() {
    refused(
        "many_tiny_shared_strings",
        "bom.xlsx",
        || {
            let unit = b"<si><t>a</t></si>"; // 17 bytes
            let len = 17 + 258 * 17 * 10_000; // 2,5 million strings
            let strings = deflate_bomb(
            br#"<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#,
            unit,
            len,
            b"</sst>",
        );
            xlsx_with(rows_sheet(), vec![("xl/sharedStrings.xml", strings)])
        },
        "E106",
        &["'xl/sharedStrings.xml'", "200.000 chuỗi"],
    );
}

#[test]
fn a_declared_count_of_four_billion_strings() {
    refused(
        "a_declared_count_of_four_billion_strings",
        "bom.xlsx",
        || {
            // calamine reserves room for `uniqueCount` strings before reading one.
            xlsx_with(
                rows_sheet(),
                vec![(
                    "xl/sharedStrings.xml",
                    stored(
                        r#"<?xml version="1.0"?><sst count="1" uniqueCount="4000000000"><si><t>a</t></si></sst>"#,
                    ),
                )],
            )
        },
        "E106",
        &["'xl/sharedStrings.xml'", "200.000"],
    );
}

#[test]
fn deep_nesting() {
    refused(
        "deep_nesting",
        "bom.xlsx",
        || {
            let unit = b"<a>";
            let len = 3 + 258 * 3 * 100; // 25.800 levels
            let sheet = deflate_bomb(SHEET_START.as_bytes(), unit, len, SHEET_END.as_bytes());
            xlsx_with(sheet, vec![])
        },
        "E106",
        &["'xl/worksheets/sheet1.xml'", "256 mức"],
    );
}

#[test]
fn styles_copied_into_every_cell_format() {
    refused(
        "styles_copied_into_every_cell_format",
        "bom.xlsx",
        || {
            // One font with a long name, and 30.000 cell formats that each copy it.
            let name = "N".repeat(4000);
            let styles = format!(
                r#"<?xml version="1.0"?><styleSheet><fonts count="1"><font><name val="{name}"/></font></fonts><cellXfs count="30000">{}</cellXfs></styleSheet>"#,
                r#"<xf numFmtId="0" fontId="0"/>"#.repeat(30_000)
            );
            xlsx_with(rows_sheet(), vec![("xl/styles.xml", stored(&styles))])
        },
        "E106",
        &["'xl/styles.xml'", "16 MB"],
    );
}

#[test]
fn many_sheets() {
    refused(
        "many_sheets",
        "bom.xlsx",
        || xlsx_of_sheets(3000, stored(&format!("{SHEET_START}{SHEET_END}")), vec![]),
        "E106",
        &["3.000 trang tính", "256"],
    );
}

#[test]
fn many_sheets_reading_one_large_part() {
    refused(
        "many_sheets_reading_one_large_part",
        "bom.xlsx",
        || {
            // 200 sheets naming one 10 MB sheet: 2 GB inflated if each were read.
            // Runs of at most 200 KB of spaces between empty rows (each run under
            // the token limit), repeated to 10 MB.
            let block = format!("{}<row/>", " ".repeat(200_000));
            let sheet = format!("{SHEET_START}{}{SHEET_END}", block.repeat(50));
            xlsx_of_sheets(200, stored(&sheet), vec![])
        },
        "E106",
        &["các trang tính", "64 MB"],
    );
}

#[test]
fn parts_inflating_past_the_package_limit() {
    refused(
        "parts_inflating_past_the_package_limit",
        "bom.xlsx",
        || {
            // Five pictures of 15 MB each: none too large alone, 75 MB together.
            let pictures = [
                "xl/media/a.png",
                "xl/media/b.png",
                "xl/media/c.png",
                "xl/media/d.png",
                "xl/media/e.png",
            ]
            .map(|name| (name, deflate_bomb(b"", b"\0", 1 + 258 * 60_000, b"")));
            xlsx_with(rows_sheet(), pictures.into())
        },
        "E106",
        &["64 MB", "xl/media/"],
    );
}

#[test]
fn thousands_of_parts() {
    refused(
        "thousands_of_parts",
        "bom.xlsx",
        || {
            let names: Vec<String> = (0..5000).map(|i| format!("x/{i}")).collect();
            let empty = names
                .iter()
                .map(|n| (n.as_str(), Body::Stored(Vec::new())))
                .collect();
            xlsx_with(rows_sheet(), empty)
        },
        "E106",
        &["1.000 phần"],
    );
}

// ---- .ods bombs ----------------------------------------------------------------

pub const ODS_MIMETYPE: &str = "application/vnd.oasis.opendocument.spreadsheet";

/// An .ods whose first table holds `rows` (table:table-row elements).
pub fn ods(rows: &str) -> Vec<u8> {
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3"><office:body><office:spreadsheet><table:table table:name="Sheet1"><table:table-column table:number-columns-repeated="1024"/>{rows}</table:table></office:spreadsheet></office:body></office:document-content>"#
    );
    zip(&[
        ("mimetype", stored(ODS_MIMETYPE)),
        (
            "META-INF/manifest.xml",
            stored(
                r#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#,
            ),
        ),
        ("content.xml", stored(&content)),
    ])
}

#[test]
fn ods_rows_repeated_a_million_times() {
    refused(
        "ods_rows_repeated_a_million_times",
        "bom.ods",
        || {
            ods(
                r#"<table:table-row table:number-rows-repeated="1000000"><table:table-cell office:value-type="float" office:value="1" table:number-columns-repeated="100"/></table:table-row>"#,
            )
        },
        "E106",
        &["'content.xml'", "400.000 ô", "number-rows-repeated"],
    );
}

#[test]
fn ods_cells_far_apart() {
    refused(
        "ods_cells_far_apart",
        "bom.ods",
        || {
            // A1, and a cell 16.000 columns right on each of 1.000 rows below.
            ods(
                r#"<table:table-row><table:table-cell office:value-type="float" office:value="1"/></table:table-row><table:table-row table:number-rows-repeated="1000"><table:table-cell table:number-columns-repeated="16000"/><table:table-cell office:value-type="float" office:value="1"/></table:table-row>"#,
            )
        },
        "E106",
        &["'content.xml'", "400.000 ô"],
    );
}

#[test]
fn ods_a_billion_spaces() {
    refused(
        "ods_a_billion_spaces",
        "bom.ods",
        || {
            ods(
                r#"<table:table-row><table:table-cell office:value-type="string"><text:p>a<text:s text:c="1000000000"/>b</text:p></table:table-cell></table:table-row>"#,
            )
        },
        "E106",
        &["'content.xml'", "256 KB"],
    );
}

#[test]
fn ods_an_annotation_never_closed() {
    refused(
        "ods_an_annotation_never_closed",
        "bom.ods",
        || {
            // calamine's reader loops for ever on this; it must not reach it.
            ods(
                r#"<table:table-row><table:table-cell office:value-type="string"><office:annotation><text:p>x</text:p>"#,
            )
        },
        "E101",
        &["'content.xml'", "không khớp"],
    );
}

// ---- .xls bombs ----------------------------------------------------------------

/// BIFF8 records.
pub struct Biff(pub Vec<u8>);

impl Biff {
    pub fn new() -> Biff {
        Biff(Vec::new())
    }

    pub fn record(&mut self, kind: u16, data: &[u8]) -> &mut Biff {
        self.0.extend(kind.to_le_bytes());
        self.0.extend((data.len() as u16).to_le_bytes());
        self.0.extend(data);
        self
    }

    pub fn bof(&mut self, globals: bool) -> &mut Biff {
        let kind: u16 = if globals { 0x0005 } else { 0x0010 };
        let mut d = Vec::new();
        d.extend(0x0600_u16.to_le_bytes());
        d.extend(kind.to_le_bytes());
        d.extend([0; 12]);
        self.record(0x0809, &d)
    }

    pub fn eof(&mut self) -> &mut Biff {
        self.record(0x000A, &[])
    }

    /// An XLUnicodeString's bytes (16-bit characters when not Latin-1).
    pub fn string(s: &str) -> Vec<u8> {
        let units: Vec<u16> = s.encode_utf16().collect();
        let mut d = Vec::new();
        d.extend((units.len() as u16).to_le_bytes());
        if units.iter().all(|&u| u < 0x100) {
            d.push(0);
            d.extend(units.iter().map(|&u| u as u8));
        } else {
            d.push(1);
            for u in units {
                d.extend(u.to_le_bytes());
            }
        }
        d
    }

    pub fn number(&mut self, row: u16, col: u16, xf: u16, v: f64) -> &mut Biff {
        let mut d = Vec::new();
        for x in [row, col, xf] {
            d.extend(x.to_le_bytes());
        }
        d.extend(v.to_bits().to_le_bytes());
        self.record(0x0203, &d)
    }

    /// An XF (cell format) whose number format is `format`.
    pub fn xf(&mut self, format: u16) -> &mut Biff {
        let mut d = vec![0; 20];
        d[2..4].copy_from_slice(&format.to_le_bytes());
        self.record(0x00E0, &d)
    }

    /// The shared strings, in one SST record.
    pub fn sst(&mut self, strings: &[&str]) -> &mut Biff {
        let mut d = Vec::new();
        d.extend((strings.len() as u32).to_le_bytes());
        d.extend((strings.len() as u32).to_le_bytes());
        for s in strings {
            d.extend(Biff::string(s));
        }
        self.record(0x00FC, &d)
    }

    pub fn label_sst(&mut self, row: u16, col: u16, index: u32) -> &mut Biff {
        let mut d = Vec::new();
        for x in [row, col, 0] {
            d.extend(x.to_le_bytes());
        }
        d.extend(index.to_le_bytes());
        self.record(0x00FD, &d)
    }

    /// An RK cell holding the whole number `n`.
    pub fn rk(&mut self, row: u16, col: u16, n: i32) -> &mut Biff {
        let mut d = Vec::new();
        for x in [row, col, 0] {
            d.extend(x.to_le_bytes());
        }
        d.extend((((n << 2) | 0x02) as u32).to_le_bytes());
        self.record(0x027E, &d)
    }

    /// A MULRK: whole numbers from column `col` on.
    pub fn mul_rk(&mut self, row: u16, col: u16, ns: &[i32]) -> &mut Biff {
        let mut d = Vec::new();
        d.extend(row.to_le_bytes());
        d.extend(col.to_le_bytes());
        for n in ns {
            d.extend(0_u16.to_le_bytes());
            d.extend((((n << 2) | 0x02) as u32).to_le_bytes());
        }
        d.extend((col + ns.len() as u16 - 1).to_le_bytes());
        self.record(0x00BD, &d)
    }

    /// A formula whose last result is `v` (the formula itself: `=1+2`).
    pub fn formula(&mut self, row: u16, col: u16, v: f64) -> &mut Biff {
        let mut d = Vec::new();
        for x in [row, col, 0] {
            d.extend(x.to_le_bytes());
        }
        d.extend(v.to_bits().to_le_bytes());
        d.extend([0; 6]);
        let rgce = [0x1E, 1, 0, 0x1E, 2, 0, 0x03];
        d.extend((rgce.len() as u16).to_le_bytes());
        d.extend(rgce);
        self.record(0x0006, &d)
    }

    pub fn label(&mut self, row: u16, col: u16, s: &str) -> &mut Biff {
        let mut d = Vec::new();
        for x in [row, col, 0] {
            d.extend(x.to_le_bytes());
        }
        d.extend(Biff::string(s));
        self.record(0x0204, &d)
    }
}

/// A workbook stream of `sheets` (name, hidden, records after their BOF),
/// with `globals` records (XF, SST...) before the sheet list.
pub fn workbook(globals: &[u8], sheets: &[(&str, bool, Vec<u8>)]) -> Vec<u8> {
    let mut head = Biff::new();
    head.bof(true);
    head.0.extend(globals);
    // BOUNDSHEET8 records, their positions patched below.
    let mut patches = Vec::new();
    for (name, hidden, _) in sheets {
        patches.push(head.0.len() + 4);
        let mut d = vec![0; 4];
        d.push(u8::from(*hidden));
        d.push(0);
        // ShortXLUnicodeString: an 8-bit count, then the string's flags
        // and characters.
        let string = Biff::string(name);
        d.push(string[0]);
        d.extend(&string[2..]);
        head.record(0x0085, &d);
    }
    head.eof();
    let mut stream = head.0;
    for ((_, _, body), at) in sheets.iter().zip(patches) {
        let pos = stream.len() as u32;
        stream[at..at + 4].copy_from_slice(&pos.to_le_bytes());
        let mut sheet = Biff::new();
        sheet.bof(false);
        sheet.0.extend(body);
        sheet.eof();
        stream.extend(sheet.0);
    }
    // Over the mini stream's cut-off: stored in regular sectors.
    if stream.len() < 4096 {
        stream.resize(4096, 0);
    }
    stream
}

/// An OLE compound file (version 3, 512-byte sectors) holding `stream` as
/// `Workbook`. `cycle` makes the stream's chain loop back to its start.
pub fn compound_file(stream: &[u8], cycle: bool) -> Vec<u8> {
    const END: u32 = 0xFFFF_FFFE;
    const FREE: u32 = 0xFFFF_FFFF;
    let sectors = stream.len().div_ceil(512);
    let fat_sectors = (sectors + 2).div_ceil(127);
    assert!(fat_sectors <= 109, "stream too large for this writer");
    let first = 1 + fat_sectors; // after the directory and the FAT
    let mut fat = vec![FREE; fat_sectors * 128];
    fat[0] = END; // directory
    for f in 0..fat_sectors {
        fat[1 + f] = 0xFFFF_FFFD;
    }
    for s in 0..sectors {
        fat[first + s] = if s + 1 == sectors {
            if cycle { first as u32 } else { END }
        } else {
            (first + s + 1) as u32
        };
    }
    let mut header = vec![0_u8; 512];
    header[..8].copy_from_slice(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1");
    header[24..26].copy_from_slice(&0x3E_u16.to_le_bytes());
    header[26..28].copy_from_slice(&3_u16.to_le_bytes());
    header[28..30].copy_from_slice(&0xFFFE_u16.to_le_bytes());
    header[30..32].copy_from_slice(&9_u16.to_le_bytes());
    header[32..34].copy_from_slice(&6_u16.to_le_bytes());
    header[44..48].copy_from_slice(&(fat_sectors as u32).to_le_bytes());
    header[48..52].copy_from_slice(&0_u32.to_le_bytes());
    header[56..60].copy_from_slice(&4096_u32.to_le_bytes());
    header[60..64].copy_from_slice(&END.to_le_bytes());
    header[68..72].copy_from_slice(&END.to_le_bytes());
    for i in 0..109 {
        let id = if i < fat_sectors {
            (1 + i) as u32
        } else {
            FREE
        };
        header[76 + 4 * i..80 + 4 * i].copy_from_slice(&id.to_le_bytes());
    }
    let entry = |name: &str, kind: u8, start: u32, size: u32| {
        let mut e = vec![0_u8; 128];
        let units: Vec<u16> = name.encode_utf16().collect();
        for (i, u) in units.iter().enumerate() {
            e[2 * i..2 * i + 2].copy_from_slice(&u.to_le_bytes());
        }
        e[64..66].copy_from_slice(&(((units.len() + 1) * 2) as u16).to_le_bytes());
        e[66] = kind;
        e[67] = 1;
        e[68..80].copy_from_slice(&[0xFF; 12]);
        e[116..120].copy_from_slice(&start.to_le_bytes());
        e[120..124].copy_from_slice(&size.to_le_bytes());
        e
    };
    let mut out = header;
    let mut root = entry("Root Entry", 5, END, 0);
    root[76..80].copy_from_slice(&1_u32.to_le_bytes()); // child: Workbook
    out.extend(root);
    out.extend(entry("Workbook", 2, first as u32, stream.len() as u32));
    out.extend(vec![0_u8; 256]);
    for id in fat {
        out.extend(id.to_le_bytes());
    }
    out.extend(stream);
    out.resize(512 * (1 + first + sectors), 0);
    out
}

#[test]
fn xls_cells_at_a1_and_iv65536() {
    refused(
        "xls_cells_at_a1_and_iv65536",
        "bom.xls",
        || {
            // calamine would lay out 65.536 × 256 = 16 million cells.
            let mut cells = Biff::new();
            cells.label(0, 0, "Đơn vị").number(65_535, 255, 0, 1.0);
            let stream = workbook(&[], &[("Sheet1", false, cells.0)]);
            compound_file(&stream, false)
        },
        "E106",
        &["trang tính 'Sheet1'", "20.000 hàng"],
    );
}

#[test]
fn xls_a_sector_chain_that_loops() {
    refused(
        "xls_a_sector_chain_that_loops",
        "bom.xls",
        || {
            let mut cells = Biff::new();
            cells.label(0, 0, "Đơn vị");
            let stream = workbook(&[], &[("Sheet1", false, cells.0)]);
            compound_file(&stream, true)
        },
        "E101",
        &["lặp vòng"],
    );
}

#[test]
fn xls_shared_strings_past_the_limit() {
    refused(
        "xls_shared_strings_past_the_limit",
        "bom.xls",
        || {
            // 300.000 one-letter strings in an SST and its CONTINUE records.
            let mut sst = Biff::new();
            let mut data = Vec::new();
            data.extend(300_000_u32.to_le_bytes());
            data.extend(300_000_u32.to_le_bytes());
            let one = [1_u8, 0, 0, b'a'];
            let mut first = true;
            for _ in 0..300_000 {
                if data.len() + one.len() > 8224 {
                    sst.record(if first { 0x00FC } else { 0x003C }, &data);
                    first = false;
                    data.clear();
                }
                data.extend(one);
            }
            sst.record(if first { 0x00FC } else { 0x003C }, &data);
            let stream = workbook(&sst.0, &[("Sheet1", false, Vec::new())]);
            compound_file(&stream, false)
        },
        "E106",
        &["200.000 chuỗi"],
    );
}

// ---- CSV -----------------------------------------------------------------------

#[test]
fn csv_larger_than_its_limit() {
    refused(
        "csv_larger_than_its_limit",
        "bang.csv",
        || {
            let mut text = String::from("Đơn vị,Kết nạp\n");
            while text.len() < 9 * 1024 * 1024 {
                text.push_str("an-thinh,1\n");
            }
            text.into_bytes()
        },
        "E106",
        &["8 MB"],
    );
}

#[test]
fn csv_a_cell_of_a_megabyte() {
    refused(
        "csv_a_cell_of_a_megabyte",
        "bang.csv",
        || {
            let text = format!("Đơn vị,Kết nạp\n{},1\n", "x".repeat(1024 * 1024));
            text.into_bytes()
        },
        "E106",
        &["ô A2", "256 KB"],
    );
}

#[test]
fn csv_a_missing_quote_making_one_cell_of_the_rest() {
    refused(
        "csv_a_missing_quote_making_one_cell_of_the_rest",
        "bang.csv",
        || {
            let mut text = String::from("Đơn vị,Kết nạp\n\"an-thinh,1\n");
            for _ in 0..100_000 {
                text.push_str("xa-bac-son,2\n");
            }
            text.into_bytes()
        },
        "E106",
        &["ô A2", "ngoặc kép"],
    );
}
