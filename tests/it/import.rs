//! `bantin import`: spreadsheets and CSV files as units send them, imported
//! into a copy of the base site; the file written must pass `bantin check`.

use std::fs;
use std::path::Path;

use rust_xlsxwriter::{Format, Workbook};

use crate::common::{bantin, import_args, site_with, stderr, stdout};

/// A cell of a test spreadsheet.
enum V<'a> {
    S(&'a str),
    N(f64),
    E,
}
use V::{E, N, S};

/// Writes `rows` to the first sheet of a new .xlsx; `merges` are
/// `(row, first col, last col, text)` merged header cells.
fn xlsx(path: &Path, sheet: &str, rows: &[&[V]], merges: &[(u32, u16, u16, &str)]) {
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name(sheet).unwrap_or_else(|e| panic!("{e}"));
    for (r, cells) in rows.iter().enumerate() {
        for (c, v) in cells.iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            match v {
                S(s) => ws.write_string(r, c, *s).map(|_| ()),
                N(n) => ws.write_number(r, c, *n).map(|_| ()),
                E => Ok(()),
            }
            .unwrap_or_else(|e| panic!("{e}"));
        }
    }
    for (r, first, last, text) in merges {
        ws.merge_range(*r, *first, *r, *last, text, &Format::new())
            .unwrap_or_else(|e| panic!("{e}"));
    }
    book.save(path).unwrap_or_else(|e| panic!("{e}"));
}

/// The fixture site's plan of 2024.
const PLAN: &str = "12-KH/TU";

/// Runs `bantin import FILE` for quarter III/2024 with `extra` arguments.
fn import(site: &Path, file: &str, extra: &[&str]) -> std::process::Output {
    let mut args = import_args(file, "3", PLAN);
    args.extend_from_slice(extra);
    bantin(site, &args)
}

const Q3: &str = "content/results/2024/q3.yaml";

/// Imports `file` with `extra` arguments and checks that it succeeded;
/// returns its report.
fn imported(site: &Path, file: &str, extra: &[&str]) -> String {
    let out = import(site, file, extra);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    stdout(&out)
}

/// Imports `file` with `extra` arguments and checks the refusal: exit
/// `code`, every one of `lines` in the messages, no crash, no quarter's
/// file written. Returns the messages.
fn refused(site: &Path, file: &str, extra: &[&str], code: i32, lines: &[&str]) -> String {
    let out = import(site, file, extra);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(code), "{err}");
    for line in lines {
        assert!(err.contains(line), "missing {line:?} in\n{err}");
    }
    assert!(!err.contains("panicked"), "{err}");
    assert!(!site.join(Q3).exists(), "a file was written\n{err}");
    err
}

/// The quarter's file as imported, without its `reported:` line.
fn written(site: &Path) -> String {
    let text = fs::read_to_string(site.join(Q3)).unwrap_or_else(|e| panic!("{e}"));
    without_reported(&text)
}

/// The file without its `reported:` line (today's date), which is checked
/// to be a date of these days.
fn without_reported(text: &str) -> String {
    let reported = text
        .lines()
        .find_map(|l| l.strip_prefix("reported: "))
        .unwrap_or_else(|| panic!("no reported line:\n{text}"));
    let date = chrono::NaiveDate::parse_from_str(reported, "%Y-%m-%d")
        .unwrap_or_else(|e| panic!("{reported}: {e}"));
    let today = chrono::Utc::now().date_naive();
    assert!((date - today).num_days().abs() <= 1, "{date} vs {today}");
    text.lines()
        .filter(|l| !l.starts_with("reported: "))
        .map(|l| format!("{l}\n"))
        .collect()
}

/// The site with the imported file checks clean (in this process).
fn assert_checks(site: &Path) {
    let checked = crate::common::check(site);
    assert!(!checked.has_errors, "{}", checked.text());
}

#[test]
fn xlsx_with_a_title_block_shuffled_headers_and_names() {
    let site = site_with(None);
    let file = site.path().join("bang.xlsx");
    xlsx(
        &file,
        "Quý III",
        &[
            &[S("ĐẢNG BỘ TỈNH VÂN LĨNH")],
            &[S("KẾT QUẢ KẾT NẠP ĐẢNG VIÊN QUÝ III/2024")],
            &[],
            &[
                S("STT"),
                S("Tổng số đảng viên"),
                S("ĐƠN VỊ"),
                S("Trong đó"),
                E,
                E,
                E,
                E,
                E,
                S("Kết nạp mới"),
                S("Công nhận chính thức"),
                S("Đưa ra khỏi Đảng"),
                S("Số lớp"),
                S("Số học viên"),
                S("Chỉ tiêu năm"),
            ],
            &[
                E,
                E,
                E,
                S("Nữ"),
                S("Dân tộc thiểu số"),
                S("Tôn giáo"),
                S("Đoàn viên"),
                S("Học sinh sinh viên"),
                S("Kinh tế tư nhân"),
            ],
            &[
                S("(1)"),
                S("(2)"),
                S("(3)"),
                S("(4)"),
                S("(5)"),
                S("(6)"),
                S("(7)"),
                S("(8)"),
                S("(9)"),
                S("(10)"),
            ],
            &[
                N(1.0),
                N(3200.0),
                S("Bắc Sơn"),
                N(12.0),
                N(20.0),
                N(1.0),
                N(25.0),
                E,
                N(2.0),
                N(30.0),
                N(15.0),
                N(2.0),
                N(1.0),
                N(45.0),
                N(110.0),
            ],
            &[
                N(2.0),
                N(1050.0),
                S("Đảng bộ xã Ân Thịnh"),
                N(3.0),
                N(7.0),
                N(0.0),
                N(8.0),
                N(1.0),
                N(0.0),
                N(9.0),
                N(8.0),
                N(1.0),
                E,
                E,
                N(40.0),
            ],
            &[
                E,
                E,
                S("Tổng cộng"),
                N(15.0),
                N(27.0),
                N(1.0),
                N(33.0),
                N(1.0),
                N(2.0),
                N(39.0),
            ],
        ],
        &[(3, 3, 8, "Trong đó")],
    );
    let out = import(site.path(), "bang.xlsx", &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(stdout(&out).contains("2 đơn vị"), "{}", stdout(&out));
    // The quota column is named and left out; nothing else is said.
    assert!(
        err.contains("bang.xlsx:'Quý III'!O4: warning[W507]: cột 'Chỉ tiêu năm'"),
        "{err}"
    );
    assert_eq!(err.matches("warning[").count(), 1, "{err}");
    let expected = "\
# Nhập từ tệp bang.xlsx, trang tính \"Quý III\", bằng lệnh bantin import.
# Sửa bảng tính rồi nhập lại (--force), hoặc sửa trực tiếp tệp này.
year: 2024
quarter: 3
plan: 12-KH/TU
rows:
  - unit: an-thinh
    admitted: 9
    women: 3
    ethnic_minority: 7
    religious: 0
    youth_union: 8
    students: 1
    private_sector: 0
    members: 1050
    recognized: 8
    removed: 1
  - unit: xa-bac-son
    admitted: 30
    women: 12
    ethnic_minority: 20
    religious: 1
    youth_union: 25
    private_sector: 2
    members: 3200
    recognized: 15
    removed: 2
    classes_held: 1
    trainees: 45
";
    assert_eq!(written(site.path()), expected);
    assert_checks(site.path());
}

#[test]
fn a_bad_cell_is_named_and_nothing_is_written() {
    let site = site_with(None);
    xlsx(
        &site.path().join("bang.xlsx"),
        "Sheet1",
        &[
            &[S("BÁO CÁO")],
            &[],
            &[],
            &[],
            &[S("STT"), S("Đơn vị"), S("Kết nạp"), S("Nữ")],
            &[N(1.0), S("an-thinh"), N(9.0), N(3.0)],
            &[N(2.0), S("xa-bac-son"), S("ba mươi"), N(12.0)],
            &[N(3.0), S("Ân Thạnh"), N(35.5), N(-1.0)],
        ],
        &[],
    );
    refused(
        site.path(),
        "bang.xlsx",
        &[],
        1,
        &[
            "bang.xlsx:Sheet1!C7: error[E203]: ô 'Kết nạp' phải là số nguyên không âm, không phải chữ \"ba mươi\"",
            "bang.xlsx:Sheet1!B8: error[E301]: đơn vị 'Ân Thạnh' không có trong units.yaml — có phải 'an-thinh' (Đảng bộ xã Ân Thịnh)?",
            "bang.xlsx:Sheet1!C8: error[E205]: ô 'Kết nạp' phải là số nguyên, không phải số thập phân 35,5",
            "bang.xlsx:Sheet1!D8: error[E204]: ô 'Nữ' là số âm (-1)",
            "4 lỗi",
        ],
    );
}

#[test]
fn csv_utf8_with_bom_and_semicolons() {
    let site = site_with(None);
    let text = "\u{feff}Đơn vị;KẾT NẠP;nu;Đoàn viên thanh niên;members\n\
                an-thinh;9;3;8;1050\n\
                Bắc Sơn;30;12;25;3.200\n\
                Toàn tỉnh;39;15;33;4250\n";
    fs::write(site.path().join("q3.csv"), text).unwrap_or_else(|e| panic!("{e}"));
    let report = imported(site.path(), "q3.csv", &[]);
    assert!(report.contains("UTF-8"), "{report}");
    let written = written(site.path());
    assert!(
        written.ends_with(
            "rows:\n  - unit: an-thinh\n    admitted: 9\n    women: 3\n    youth_union: 8\n    members: 1050\n  \
             - unit: xa-bac-son\n    admitted: 30\n    women: 12\n    youth_union: 25\n    members: 3200\n"
        ),
        "{written}"
    );
    assert_checks(site.path());
}

/// The two units of 2024 in a TAB-separated table, as text.
const TABLE: &str = "Đơn vị\tKết nạp\tNữ\r\nĐảng bộ xã Ân Thịnh\t9\t3\r\nBắc Sơn\t30\t12\r\n";

/// Imports `file` with `extra` arguments: it succeeds, its report says
/// `says`, and the quarter's file holds the rows of [`TABLE`] and checks
/// clean.
fn imports_table(site: &Path, file: &str, extra: &[&str], says: &str) {
    let report = imported(site, file, extra);
    assert!(report.contains(says), "{report}");
    let written = written(site);
    assert!(
        written.ends_with(
            "rows:\n  - unit: an-thinh\n    admitted: 9\n    women: 3\n  \
             - unit: xa-bac-son\n    admitted: 30\n    women: 12\n"
        ),
        "{written}"
    );
    assert_checks(site);
}

#[test]
fn csv_in_utf16_little_endian() {
    let site = site_with(None);
    let mut bytes = vec![0xFF, 0xFE];
    for unit in TABLE.encode_utf16() {
        bytes.extend(unit.to_le_bytes());
    }
    fs::write(site.path().join("q3.txt"), bytes).unwrap_or_else(|e| panic!("{e}"));
    imports_table(site.path(), "q3.txt", &[], "UTF-16 LE, phân cách TAB");
}

#[test]
fn csv_in_windows_1258() {
    let site = site_with(None);
    // Windows-1258 writes tones as combining marks: "Đơn vị" is Đ ơ n
    // space v i + dot below (F2).
    let mut bytes: Vec<u8> = Vec::new();
    bytes.extend(b"\xD0\xF5n vi\xF2,K\xEA\xECt na\xF2p,N\xFD\xDE\r\n");
    bytes.extend(b"\xD0a\xD2ng b\xF4\xF2 xa\xDE \xC2n Thi\xF2nh,9,3\r\n");
    bytes.extend(b"B\xE3\xECc S\xF5n,30,12\r\n");
    fs::write(site.path().join("q3.csv"), bytes).unwrap_or_else(|e| panic!("{e}"));
    imports_table(site.path(), "q3.csv", &[], "Windows-1258");
}

#[test]
fn an_unknown_unit_gets_the_nearest_one() {
    let site = site_with(None);
    fs::write(
        site.path().join("q3.csv"),
        "Đơn vị,Kết nạp\nxa-bac-sonn,3\nan-thinh,1\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    refused(
        site.path(),
        "q3.csv",
        &[],
        1,
        &[
            "q3.csv:A2: error[E301]: đơn vị 'xa-bac-sonn' không có trong units.yaml — có phải 'xa-bac-son' (Đảng bộ xã Bắc Sơn)?",
        ],
    );
}

#[test]
fn an_existing_file_is_replaced_only_with_force() {
    let site = site_with(None);
    let q2 = site.path().join("content/results/2024/q2.yaml");
    let before = fs::read(&q2).unwrap_or_else(|e| panic!("{e}"));
    fs::write(site.path().join("q2.csv"), TABLE.replace("\t", ","))
        .unwrap_or_else(|e| panic!("{e}"));
    let args = import_args("q2.csv", "2", PLAN);
    let refused = bantin(site.path(), &args);
    let err = stderr(&refused);
    assert_eq!(refused.status.code(), Some(2), "{err}");
    assert!(err.contains("đã có; thêm --force để ghi đè"), "{err}");
    assert_eq!(fs::read(&q2).ok(), Some(before.clone()));

    let forced = bantin(site.path(), &[&args[..], &["--force"]].concat());
    assert_eq!(forced.status.code(), Some(0), "{}", stderr(&forced));
    assert!(stdout(&forced).contains("Đã ghi đè"), "{}", stdout(&forced));
    let after = fs::read_to_string(&q2).unwrap_or_else(|e| panic!("{e}"));
    assert_ne!(after.as_bytes(), &before[..]);
    assert!(after.contains("quarter: 2\n") && after.contains("admitted: 30\n"));
    assert_checks(site.path());
    // No temporary file is left beside it.
    let names: Vec<String> = fs::read_dir(site.path().join("content/results/2024"))
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    assert!(names.iter().all(|n| !n.starts_with('.')), "{names:?}");
}

#[test]
fn wrong_arguments_exit_2() {
    let site = site_with(None);
    fs::write(site.path().join("q3.csv"), TABLE).unwrap_or_else(|e| panic!("{e}"));
    for args in [
        import_args("q3.csv", "5", PLAN),
        import_args("q3.csv", "3", "12KH/TU"),
        import_args("q3.pdf", "3", PLAN),
        vec!["import", "q3.csv", "--year", "2024", "--quarter", "3"],
        [import_args("q3.csv", "3", PLAN), vec!["--site", "khong-co"]].concat(),
    ] {
        let out = bantin(site.path(), &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(!stderr(&out).is_empty());
        assert!(!site.path().join(Q3).exists());
    }
    let lower = bantin(site.path(), &import_args("q3.csv", "3", "12-kh/tu"));
    assert!(
        stderr(&lower).contains("có phải 12-KH/TU?"),
        "{}",
        stderr(&lower)
    );
}

#[test]
fn the_first_sheet_with_a_header_row_is_read() {
    let site = site_with(None);
    let mut book = Workbook::new();
    // A hidden template with headers comes after the visible sheets.
    let template = book.add_worksheet();
    template
        .set_name("Mẫu")
        .and_then(|ws| ws.write_string(0, 0, "Đơn vị"))
        .and_then(|ws| ws.write_string(0, 1, "Kết nạp"))
        .and_then(|ws| ws.write_string(1, 0, "Tên đơn vị"))
        .unwrap_or_else(|e| panic!("{e}"));
    template.set_hidden(true);
    let notes = book.add_worksheet();
    notes
        .set_name("Hướng dẫn")
        .and_then(|ws| ws.write_string(0, 0, "Ghi số liệu vào trang tính sau."))
        .unwrap_or_else(|e| panic!("{e}"));
    notes.set_active(true);
    let table = book.add_worksheet();
    table.set_name("Số liệu").unwrap_or_else(|e| panic!("{e}"));
    for (r, row) in [
        ["Đơn vị", "Kết nạp", "Nữ"],
        ["an-thinh", "9", "3"],
        ["xa-bac-son", "30", "12"],
    ]
    .iter()
    .enumerate()
    {
        for (c, text) in row.iter().enumerate() {
            // Numbers stored as text, as pasted from other programs.
            table
                .write_string(r as u32, c as u16, *text)
                .unwrap_or_else(|e| panic!("{e}"));
        }
    }
    book.save(site.path().join("bang.xlsx"))
        .unwrap_or_else(|e| panic!("{e}"));
    imports_table(site.path(), "bang.xlsx", &[], "trang tính Số liệu");
}

#[test]
fn a_far_away_cell_is_refused_not_allocated() {
    let site = site_with(None);
    // One cell at XFD1048576: a dense reading would need 17 billion cells.
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.write_string(0, 0, "Đơn vị")
        .and_then(|ws| ws.write_string(0, 1, "Kết nạp"))
        .and_then(|ws| ws.write_number(1_048_575, 16_383, 1.0))
        .unwrap_or_else(|e| panic!("{e}"));
    book.save(site.path().join("xa.xlsx"))
        .unwrap_or_else(|e| panic!("{e}"));
    refused(site.path(), "xa.xlsx", &[], 1, &["xa.xlsx: error[E106]"]);
}

/// Adds `n` communes `don-vi-001`... to the site's units.yaml.
fn add_units(site: &Path, n: usize) {
    let path = site.join("content/units.yaml");
    let mut units = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
    for i in 1..=n {
        units.push_str(&format!(
            "  - id: don-vi-{i:03}\n    name: Đảng bộ xã Số {i}\n    kind: xa\n    parent: null\n"
        ));
    }
    fs::write(&path, units).unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn a_real_workbook_with_several_sheets_and_styles_imports() {
    // What a province sends: a guide sheet, a hidden template, the table
    // of 300 communes with a merged title, styled headers, number formats,
    // frozen panes, a filter, a totals row, and a sheet of notes.
    let site = site_with(None);
    add_units(site.path(), 300);
    let mut book = Workbook::new();
    let bold = Format::new()
        .set_bold()
        .set_border(rust_xlsxwriter::FormatBorder::Thin)
        .set_background_color(rust_xlsxwriter::Color::RGB(0xDDEBF7))
        .set_text_wrap();
    let count = Format::new()
        .set_num_format("#,##0")
        .set_border(rust_xlsxwriter::FormatBorder::Thin);
    let guide = book.add_worksheet();
    guide
        .set_name("Hướng dẫn")
        .and_then(|ws| ws.write_string(0, 0, "Ghi số liệu vào trang tính Quý III."))
        .and_then(|ws| ws.set_column_width(0, 60))
        .unwrap_or_else(|e| panic!("{e}"));
    let template = book.add_worksheet();
    template
        .set_name("Mẫu")
        .and_then(|ws| ws.write_string(0, 0, "Đơn vị"))
        .and_then(|ws| ws.write_string(0, 1, "Kết nạp"))
        .unwrap_or_else(|e| panic!("{e}"));
    template.set_hidden(true);
    let table = book.add_worksheet();
    table.set_name("Quý III").unwrap_or_else(|e| panic!("{e}"));
    table
        .merge_range(0, 0, 0, 4, "KẾT QUẢ KẾT NẠP ĐẢNG VIÊN QUÝ III/2024", &bold)
        .unwrap_or_else(|e| panic!("{e}"));
    for (c, h) in ["STT", "Đơn vị", "Kết nạp mới", "Nữ", "Ghi chú"]
        .iter()
        .enumerate()
    {
        table
            .write_string_with_format(2, c as u16, *h, &bold)
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let (mut admitted, mut women) = (0.0, 0.0);
    for i in 1..=300_u32 {
        let r = 2 + i;
        let (a, w) = (f64::from(i % 7), f64::from(i % 3));
        admitted += a;
        women += w.min(a);
        table
            .write_number_with_format(r, 0, f64::from(i), &count)
            .and_then(|ws| ws.write_string(r, 1, format!("Đảng bộ xã Số {i}")))
            .and_then(|ws| ws.write_number_with_format(r, 2, a, &count))
            .and_then(|ws| ws.write_number_with_format(r, 3, w.min(a), &count))
            .unwrap_or_else(|e| panic!("{e}"));
    }
    table
        .write_string_with_format(303, 1, "Tổng cộng", &bold)
        .and_then(|ws| ws.write_number_with_format(303, 2, admitted, &count))
        .and_then(|ws| ws.write_number_with_format(303, 3, women, &count))
        .and_then(|ws| ws.set_freeze_panes(3, 2))
        .and_then(|ws| ws.autofilter(2, 0, 302, 4))
        .and_then(|ws| ws.set_column_width(1, 30))
        .unwrap_or_else(|e| panic!("{e}"));
    table.set_active(true);
    let notes = book.add_worksheet();
    notes
        .set_name("Ghi chú")
        .and_then(|ws| ws.write_string(0, 0, "Số liệu do các đảng bộ xã báo cáo."))
        .unwrap_or_else(|e| panic!("{e}"));
    book.save(site.path().join("bang.xlsx"))
        .unwrap_or_else(|e| panic!("{e}"));
    let out = import(site.path(), "bang.xlsx", &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(!err.contains("error["), "{err}");
    // 300 communes and none of the base site's units (Ân Thịnh and Bắc Sơn
    // are reported missing: a warning each).
    let report = stdout(&out);
    assert!(report.contains("trang tính Quý III"), "{report}");
    assert!(report.contains("300 đơn vị"), "{report}");
    let written = written(site.path());
    assert!(
        written.contains("  - unit: don-vi-007\n    admitted: 0\n    women: 0\n"),
        "{written}"
    );
    assert!(
        written.contains("  - unit: don-vi-299\n    admitted: 5\n    women: 2\n"),
        "{written}"
    );
    assert_checks(site.path());
}

#[test]
fn an_ods_as_libreoffice_saves_it() {
    use crate::import_bombs::ods;
    let site = site_with(None);
    let text = |s: &str| {
        format!(
            r#"<table:table-cell office:value-type="string" calcext:value-type="string"><text:p>{s}</text:p></table:table-cell>"#
        )
    };
    let number = |n: u32| {
        format!(
            r#"<table:table-cell office:value-type="float" office:value="{n}" calcext:value-type="float"><text:p>{n}</text:p></table:table-cell>"#
        )
    };
    let rows = format!(
        "<table:table-row>{}{}{}<table:table-cell table:number-columns-repeated=\"1021\"/></table:table-row>\
         <table:table-row>{}{}{}<table:table-cell table:number-columns-repeated=\"1021\"/></table:table-row>\
         <table:table-row table:number-rows-repeated=\"2\"><table:table-cell table:number-columns-repeated=\"1024\"/></table:table-row>\
         <table:table-row>{}{}{}<table:table-cell table:number-columns-repeated=\"1021\"/></table:table-row>\
         <table:table-row table:number-rows-repeated=\"1048571\"><table:table-cell table:number-columns-repeated=\"1024\"/></table:table-row>",
        text("Đơn vị"),
        text("Kết nạp"),
        text("Nữ"),
        text("Đảng bộ xã Ân Thịnh"),
        number(9),
        number(3),
        text("Bắc Sơn"),
        number(30),
        number(12),
    );
    fs::write(site.path().join("q3.ods"), ods(&rows)).unwrap_or_else(|e| panic!("{e}"));
    imports_table(site.path(), "q3.ods", &[], "trang tính Sheet1");
}

/// An .xls (BIFF8) of the two units of 2024, a hidden template first:
/// shared strings, a plain label, a number, RK and MULRK numbers and a
/// formula's last result.
fn xls_table() -> Vec<u8> {
    use crate::import_bombs::{Biff, compound_file, workbook};
    let mut globals = Biff::new();
    globals
        .xf(0)
        .xf(14)
        .sst(&["Đơn vị", "Kết nạp", "Nữ", "Bắc Sơn"]);
    let mut template = Biff::new();
    template.label_sst(0, 0, 0).label_sst(0, 1, 1);
    let mut table = Biff::new();
    table
        .label_sst(0, 0, 0)
        .label_sst(0, 1, 1)
        .label_sst(0, 2, 2)
        .label(1, 0, "Đảng bộ xã Ân Thịnh")
        .rk(1, 1, 9)
        .formula(1, 2, 3.0)
        .label_sst(2, 0, 3)
        .mul_rk(2, 1, &[30, 12]);
    let stream = workbook(
        &globals.0,
        &[("Mẫu", true, template.0), ("Số liệu", false, table.0)],
    );
    compound_file(&stream, false)
}

#[test]
fn an_xls_is_read_by_its_records() {
    let site = site_with(None);
    fs::write(site.path().join("q3.xls"), xls_table()).unwrap_or_else(|e| panic!("{e}"));
    imports_table(site.path(), "q3.xls", &[], "trang tính Số liệu");
}

#[test]
fn a_workbook_is_known_by_its_content_not_its_name() {
    // An .xls renamed .xlsx, as editors do.
    let site = site_with(None);
    fs::write(site.path().join("q3.xlsx"), xls_table()).unwrap_or_else(|e| panic!("{e}"));
    imports_table(site.path(), "q3.xlsx", &[], "trang tính Số liệu");
    // A text file named .xlsx is not a workbook.
    let site = site_with(None);
    fs::write(site.path().join("q3.xlsx"), TABLE).unwrap_or_else(|e| panic!("{e}"));
    refused(
        site.path(),
        "q3.xlsx",
        &[],
        1,
        &["q3.xlsx: error[E101]: tệp không phải bảng tính"],
    );
}

#[test]
fn an_xls_date_cell_is_named_as_a_date() {
    use crate::import_bombs::{Biff, compound_file, workbook};
    let site = site_with(None);
    let mut globals = Biff::new();
    globals.xf(0).xf(14);
    let mut table = Biff::new();
    table
        .label(0, 0, "Đơn vị")
        .label(0, 1, "Kết nạp")
        .label(1, 0, "an-thinh")
        .number(1, 1, 1, 45_500.0);
    let stream = workbook(&globals.0, &[("Sheet1", false, table.0)]);
    fs::write(site.path().join("q3.xls"), compound_file(&stream, false))
        .unwrap_or_else(|e| panic!("{e}"));
    refused(
        site.path(),
        "q3.xls",
        &[],
        1,
        &[
            "q3.xls:Sheet1!B2: error[E203]: ô 'Kết nạp' ô được định dạng ngày tháng (giá trị 45.500)",
        ],
    );
}

#[test]
fn an_xlsb_is_refused_with_what_to_do() {
    let site = site_with(None);
    fs::write(site.path().join("q3.xlsb"), b"PK\x03\x04").unwrap_or_else(|e| panic!("{e}"));
    refused(
        site.path(),
        "q3.xlsb",
        &[],
        2,
        &[".xlsb không được hỗ trợ; hãy mở bằng Excel và lưu lại dạng .xlsx"],
    );
}

#[test]
fn a_huge_number_is_shown_as_written() {
    let site = site_with(None);
    xlsx(
        &site.path().join("bang.xlsx"),
        "Sheet1",
        &[
            &[S("Đơn vị"), S("Kết nạp"), S("Nữ")],
            &[S("an-thinh"), N(1e308), N(-0.0)],
            &[S("xa-bac-son"), N(35.001), N(1.5e19)],
        ],
        &[],
    );
    let err = refused(
        site.path(),
        "bang.xlsx",
        &[],
        1,
        &[
            "bang.xlsx:Sheet1!B2: error[E208]: ô 'Kết nạp' có số 1E+308 quá lớn; số đếm lớn nhất là 1.000.000.000",
            "bang.xlsx:Sheet1!B3: error[E205]: ô 'Kết nạp' phải là số nguyên, không phải số thập phân 35,001",
            "bang.xlsx:Sheet1!C3: error[E208]: ô 'Nữ' có số 1,5E+19 quá lớn; số đếm lớn nhất là 1.000.000.000",
        ],
    );
    // -0 is a count of 0: no problem in C2.
    assert!(!err.contains("Sheet1!C2"), "{err}");
}

#[test]
fn a_long_text_in_the_unit_column_gets_no_costly_hint() {
    let site = site_with(None);
    let long = "Đảng bộ xã Ân Thịnh ".repeat(5_000);
    fs::write(
        site.path().join("q3.csv"),
        format!("Đơn vị,Kết nạp\n{long},3\nan-thinh,1\n"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let err = refused(site.path(), "q3.csv", &[], 1, &[]);
    let line = err
        .lines()
        .find(|l| l.starts_with("q3.csv:A2: error[E301]"))
        .unwrap_or_else(|| panic!("{err}"));
    assert!(line.contains("…' không có trong units.yaml"), "{line}");
    assert!(
        line.ends_with("— ghi mã (id) hoặc tên đơn vị như trong units.yaml"),
        "{line}"
    );
}

#[test]
fn output_naming_another_file_of_the_site_is_refused_even_with_force() {
    let site = site_with(None);
    let before = crate::common::tree(&site.path().join("content"));
    std::os::unix::fs::symlink(site.path().join("content"), site.path().join("noi-dung"))
        .unwrap_or_else(|e| panic!("{e}"));
    let absolute = site.path().join("content/units.yaml");
    fs::write(site.path().join("q3.csv"), TABLE).unwrap_or_else(|e| panic!("{e}"));
    for output in [
        "content/units.yaml",
        "./content/../content/units.yaml",
        absolute.to_str().unwrap_or_default(),
        "noi-dung/units.yaml",
        "content/results/2024/q2.yaml",
        "content/results/2025/../2024/q1.yaml",
        "content/bang.yaml",
        "content/results/2024/q3.yml",
    ] {
        refused(
            site.path(),
            "q3.csv",
            &["--output", output, "--force"],
            2,
            &[
                "nằm trong content/ của trang nhưng không phải tệp số liệu quý 3/2024; chỉ ghi được content/results/2024/q3.yaml",
            ],
        );
    }
    assert_eq!(crate::common::tree(&site.path().join("content")), before);
    // The quarter's own file, however it is written, is fine.
    imports_table(
        site.path(),
        "q3.csv",
        &["--output", "./content/results/2024/../2024/q3.yaml"],
        "phân cách TAB",
    );
}

#[test]
fn force_replaces_a_results_file_outside_the_site_and_nothing_else() {
    let site = site_with(None);
    let out_dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let target = out_dir.path().join("q3.yaml");
    let target_arg = target.to_str().unwrap_or_default().to_owned();
    fs::write(site.path().join("q3.csv"), TABLE).unwrap_or_else(|e| panic!("{e}"));
    // New: written.
    imported(site.path(), "q3.csv", &["--output", &target_arg]);
    let first = fs::read_to_string(&target).unwrap_or_else(|e| panic!("{e}"));
    assert!(first.contains("quarter: 3\n"), "{first}");
    // A results file: replaced with --force.
    fs::write(&target, "year: 2023\nquarter: 1\nrows: []\n").unwrap_or_else(|e| panic!("{e}"));
    imported(site.path(), "q3.csv", &["--output", &target_arg, "--force"]);
    assert_eq!(fs::read_to_string(&target).ok(), Some(first.clone()));
    // Anything else: never, even with --force.
    let notes = out_dir.path().join("ghi-chu.yaml");
    fs::write(&notes, "nguoi_lien_he: Nguyễn Văn A\n").unwrap_or_else(|e| panic!("{e}"));
    let spreadsheet = site.path().join("q3.csv");
    for (path, kind) in [
        (&notes, "not a results file"),
        (&spreadsheet, "the input itself"),
    ] {
        let before = fs::read(path).unwrap_or_else(|e| panic!("{e}"));
        let arg = path.to_str().unwrap_or_default();
        refused(
            site.path(),
            "q3.csv",
            &["--output", arg, "--force"],
            2,
            &[
                "đã có và không phải tệp số liệu quý (year, quarter, rows); --force chỉ ghi đè tệp số liệu",
            ],
        );
        assert_eq!(fs::read(path).ok(), Some(before), "{kind}");
    }
    // A symbolic link is not replaced, whatever it points to.
    let link = out_dir.path().join("lien-ket.yaml");
    std::os::unix::fs::symlink(&target, &link).unwrap_or_else(|e| panic!("{e}"));
    refused(
        site.path(),
        "q3.csv",
        &["--output", link.to_str().unwrap_or_default(), "--force"],
        2,
        &["là một liên kết tượng trưng"],
    );
    assert_eq!(fs::read_to_string(&target).ok(), Some(first));
}

#[test]
fn a_real_report_with_its_date_line_and_signature_block_imports() {
    let site = site_with(None);
    let file = site.path().join("bao-cao.xlsx");
    xlsx(
        &file,
        "Sheet1",
        &[
            &[
                S("ĐẢNG BỘ TỈNH VÂN LĨNH"),
                E,
                E,
                S("ĐẢNG CỘNG SẢN VIỆT NAM"),
            ],
            &[
                S("BAN TỔ CHỨC"),
                E,
                E,
                S("Vân Lĩnh, ngày 05 tháng 10 năm 2024"),
            ],
            &[S(
                "KẾT QUẢ KẾT NẠP ĐẢNG VIÊN QUÝ III/2024 (số liệu đến ngày 30/9/2024)",
            )],
            &[S("STT"), S("Đơn vị"), S("Kết nạp"), S("Nữ")],
            &[N(1.0), S("Bắc Sơn"), N(30.0), N(12.0)],
            &[N(2.0), S("Ân Thịnh"), N(9.0), N(3.0)],
            &[E, S("Tổng cộng"), N(39.0), N(15.0)],
            &[],
            // Under the unit column and the figures, as offices lay it out.
            &[E, S("NGƯỜI LẬP BIỂU"), E, S("T/M BAN THƯỜNG VỤ")],
            &[E, E, E, S("PHÓ BÍ THƯ")],
            &[E, S("(Ký, ghi rõ họ tên)"), E, S("(Ký tên, đóng dấu)")],
            &[E, S("Lò Thị Mai"), E, S("Nguyễn Văn An")],
        ],
        &[],
    );
    let out = import(site.path(), "bao-cao.xlsx", &[]);
    let (err, said) = (stderr(&out), stdout(&out));
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(!err.contains("error["), "{err}");
    assert!(said.contains("2 đơn vị"), "{said}");
    // The report's own date, not today's nor the data's "đến ngày 30/9".
    let text = fs::read_to_string(site.path().join(Q3)).unwrap_or_else(|e| panic!("{e}"));
    assert!(text.contains("reported: 2024-10-05\n"), "{text}");
    assert!(
        said.contains("Ngày báo cáo (reported): 05/10/2024, theo dòng ngày tháng ở ô D2"),
        "{said}"
    );
    assert_checks(site.path());
}

#[test]
fn a_sheet_without_a_date_line_is_dated_today_and_says_so() {
    let site = site_with(None);
    let file = site.path().join("bang.xlsx");
    xlsx(
        &file,
        "Sheet1",
        &[
            &[S("Đơn vị"), S("Kết nạp")],
            &[S("Bắc Sơn"), N(30.0)],
            &[S("Ân Thịnh"), N(9.0)],
        ],
        &[],
    );
    let said = imported(site.path(), "bang.xlsx", &[]);
    assert!(said.contains("Ngày báo cáo (reported): hôm nay"), "{said}");
    written(site.path());
}
