//! The quarter's report as a Word document (SPEC §4, "The report
//! document"): beside every bulletin when site.yaml has `report:`, in the
//! Party's format, with the bulletin's text and the statistics table, the
//! same bytes from two builds. The document is read from its XML here;
//! `.ci/run` also converts every report of the sample to PDF with
//! LibreOffice and opens it with python-docx (e2e/report.sh).

use std::collections::BTreeMap;
use std::fs;
use std::io::Read;
use std::path::Path;

use crate::common::{self, Built, site_with};

/// A report as read from its XML: every paragraph's text in order (table
/// cells included), and the rows of its tables.
struct Report {
    parts: BTreeMap<String, String>,
    paragraphs: Vec<String>,
    tables: Vec<Vec<Vec<String>>>,
    /// Rows marked to repeat at the top of every page, per table.
    header_rows: Vec<usize>,
}

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

fn text_in(node: roxmltree::Node) -> String {
    node.descendants()
        .filter(|n| n.has_tag_name((W, "t")))
        .filter_map(|n| n.text())
        .collect()
}

fn read_report(bytes: &[u8]) -> Report {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .unwrap_or_else(|e| panic!("not a zip: {e}"));
    let mut parts = BTreeMap::new();
    for k in 0..zip.len() {
        let mut f = zip.by_index(k).unwrap_or_else(|e| panic!("{e}"));
        let name = f
            .name()
            .unwrap_or_else(|e| panic!("entry {k}: {e}"))
            .into_owned();
        let mut text = String::new();
        f.read_to_string(&mut text)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        // Every part is well-formed XML.
        roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        parts.insert(name, text);
    }
    let document = parts
        .get("word/document.xml")
        .unwrap_or_else(|| panic!("no word/document.xml"))
        .clone();
    let doc = roxmltree::Document::parse(&document).unwrap_or_else(|e| panic!("{e}"));
    let paragraphs = doc
        .descendants()
        .filter(|n| n.has_tag_name((W, "p")))
        .map(text_in)
        .collect();
    let mut tables = Vec::new();
    let mut header_rows = Vec::new();
    for tbl in doc.descendants().filter(|n| n.has_tag_name((W, "tbl"))) {
        let rows: Vec<roxmltree::Node> = tbl
            .children()
            .filter(|n| n.has_tag_name((W, "tr")))
            .collect();
        header_rows.push(
            rows.iter()
                .filter(|r| r.descendants().any(|n| n.has_tag_name((W, "tblHeader"))))
                .count(),
        );
        tables.push(
            rows.iter()
                .map(|r| {
                    r.children()
                        .filter(|n| n.has_tag_name((W, "tc")))
                        .map(text_in)
                        .collect()
                })
                .collect(),
        );
    }
    Report {
        parts,
        paragraphs,
        tables,
        header_rows,
    }
}

impl Report {
    fn has(&self, paragraph: &str) -> bool {
        self.paragraphs.iter().any(|p| p == paragraph)
    }

    fn assert_has(&self, paragraph: &str, what: &str) {
        assert!(
            self.has(paragraph),
            "{what}: no paragraph «{paragraph}» among\n{}",
            self.paragraphs.join("\n")
        );
    }
}

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The rows of the first statistics table of a page: (name, figures).
fn statistics_rows(html: &str) -> Vec<(String, Vec<String>)> {
    let doc = scraper::Html::parse_document(html);
    let sel = |s: &str| scraper::Selector::parse(s).unwrap_or_else(|e| panic!("{e:?}"));
    let table = doc
        .select(&sel("table.data"))
        .next()
        .unwrap_or_else(|| panic!("no table"));
    let clean = |t: String| t.split_whitespace().collect::<Vec<_>>().join(" ");
    table
        .select(&sel("tbody > tr, tfoot > tr"))
        .map(|row| {
            let name = row
                .select(&sel("th > a"))
                .next()
                .or_else(|| row.select(&sel("th")).next())
                .map(|a| clean(a.text().collect()))
                .unwrap_or_default();
            let cells = row
                .select(&sel("td"))
                .map(|c| clean(c.text().collect()))
                .collect();
            (name, cells)
        })
        .collect()
}

#[test]
fn every_bulletin_of_the_sample_has_its_report_in_the_party_format() {
    let built = common::build(repo(), false);
    built.assert_built();
    let bulletin = regex::Regex::new(r"^ban-tin/(\d{4})/quy-([1-4])/index\.html$")
        .unwrap_or_else(|e| panic!("{e}"));
    let mut read = 0;
    for path in built.files.keys().filter(|p| bulletin.is_match(p)) {
        read += 1;
        let dir = path.trim_end_matches("index.html");
        let html = built.read(path);
        assert!(
            html.contains(&format!("{dir}bao-cao.docx\"")) && html.contains("Tải báo cáo (.docx)"),
            "{path}: no link to the report"
        );
        let report = read_report(built.bytes(&format!("{dir}bao-cao.docx")));
        let caps = bulletin.captures(path).unwrap_or_else(|| panic!("{path}"));
        let roman = ["I", "II", "III", "IV"][caps[2].parse::<usize>().unwrap_or(1) - 1];
        let label = format!("quý {roman}/{}", &caps[1]);
        for (line, what) in [
            ("TỈNH ỦY VÂN LĨNH", "the superior body"),
            ("BAN TỔ CHỨC", "the issuer"),
            ("*", "the star under the issuer"),
            ("ĐẢNG CỘNG SẢN VIỆT NAM", "the Party's name"),
            (
                "Số        -BC/BTCTU",
                "the number line, blank for the office",
            ),
            ("BÁO CÁO", "the title"),
            ("Nơi nhận:", "the recipients"),
            ("- Ban Tổ chức Trung ương,", "the first recipient"),
            ("- Lưu VT.", "the office's copy, last"),
            ("TRƯỞNG BAN", "the signer's title"),
            ("Nguyễn Văn An", "the signer"),
            ("Phụ lục", "the appendix"),
        ] {
            report.assert_has(line, &format!("{path}: {what}"));
        }
        report.assert_has(
            &format!("kết quả công tác phát triển đảng viên {label}"),
            &format!("{path}: the subject"),
        );
        assert!(
            report
                .paragraphs
                .iter()
                .any(|p| p.starts_with("Vân Lĩnh, ngày ")),
            "{path}: no date line"
        );
        // The text is the bulletin's, paragraph by paragraph.
        let doc = scraper::Html::parse_document(&html);
        let p = scraper::Selector::parse(".bulletin-text p").unwrap_or_else(|e| panic!("{e:?}"));
        for para in doc.select(&p) {
            let text = para
                .text()
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            report.assert_has(&text, &format!("{path}: the bulletin's text"));
        }
        // The appendix: the statistics table's rows, its header on every page.
        let stats_path = path.replace("ban-tin/", "thong-ke/");
        let rows = statistics_rows(&built.read(&stats_path));
        let table = report
            .tables
            .last()
            .unwrap_or_else(|| panic!("{path}: no table"));
        assert_eq!(report.header_rows.last(), Some(&1), "{path}");
        assert_eq!(table.len(), rows.len() + 1, "{path}: rows");
        for ((name, cells), row) in rows.iter().zip(&table[1..]) {
            assert!(
                row[1].starts_with(name.as_str()),
                "{path}: {row:?} for {name}"
            );
            let figures: Vec<&String> = row
                .iter()
                .enumerate()
                .filter(|(k, _)| *k != 1)
                .map(|(_, c)| c)
                .collect();
            let expected: Vec<&String> = cells.iter().collect();
            assert_eq!(figures, expected, "{path}: the row of {name}");
        }
    }
    assert_eq!(read, 27, "the sample's bulletins");
}

#[test]
fn the_figures_and_dates_of_one_report_read_as_computed_by_hand() {
    let built = common::build(repo(), false);
    built.assert_built();
    // Quý III/2025, reported on 10/10/2025: 269 admitted in the quarter,
    // 863 since January, 36.283 members at 30/09/2025 (the editors' text
    // says the same figures).
    let r = read_report(built.bytes("ban-tin/2025/quy-3/bao-cao.docx"));
    r.assert_has("Vân Lĩnh, ngày 10 tháng 10 năm 2025", "the date line");
    r.assert_has(
        "kết quả công tác phát triển đảng viên quý III/2025",
        "the subject",
    );
    r.assert_has(
        "(Kèm theo Báo cáo số        -BC/BTCTU, ngày 10/10/2025)",
        "the appendix's reference",
    );
    r.assert_has(
        "KẾT QUẢ KẾT NẠP ĐẢNG VIÊN QUÝ III/2025 THEO ĐƠN VỊ",
        "the appendix's title",
    );
    assert!(
        r.paragraphs.iter().any(|p| p
            .starts_with("Quý III/2025, toàn Đảng bộ tỉnh kết nạp 269 đảng viên mới")
            && p.contains("tính chung 9 tháng đầu năm 2025 kết nạp 863 đảng viên")),
        "the lead sentence"
    );
    let total = r
        .tables
        .last()
        .and_then(|t| t.last())
        .unwrap_or_else(|| panic!("no totals row"));
    assert_eq!(total[1], "Toàn đảng bộ");
    assert_eq!((&total[3][..], &total[4][..]), ("269", "863"));
    assert_eq!(total.last().map(String::as_str), Some("36.283"));
    // The editors' text follows the bulletin's, its heading a paragraph.
    r.assert_has("Quý đầu tiên vận hành mô hình mới", "the editors' heading");
    r.assert_has(
        "- ưu tiên xét kết nạp học viên các lớp bồi dưỡng vừa hoàn thành;",
        "a list item of the editors' text",
    );
    // Long dates: day and months 1–2 zero-padded (SPEC §4).
    let q4 = read_report(built.bytes("ban-tin/2024/quy-4/bao-cao.docx"));
    q4.assert_has(
        "Vân Lĩnh, ngày 09 tháng 01 năm 2025",
        "the date line of quý IV/2024",
    );
    let q1 = read_report(built.bytes("ban-tin/2020/quy-1/bao-cao.docx"));
    q1.assert_has(
        "Vân Lĩnh, ngày 07 tháng 4 năm 2020",
        "the date line of quý I/2020",
    );
    // The package: A4, Times New Roman, dated the day of the report.
    let doc = &r.parts["word/document.xml"];
    assert!(
        doc.contains(r#"<w:pgSz w:w="11906" w:h="16838"/>"#),
        "A4 portrait"
    );
    assert!(
        doc.contains(r#"<w:pgSz w:w="16838" w:h="11906" w:orient="landscape"/>"#),
        "A4 landscape appendix"
    );
    assert!(r.parts["word/styles.xml"].contains(r#"w:ascii="Times New Roman""#));
    assert!(
        r.parts["word/styles.xml"].contains(r#"<w:sz w:val="28"/>"#),
        "14 pt"
    );
    assert!(r.parts["docProps/core.xml"].contains("2025-10-10T00:00:00Z"));
    assert!(r.parts["[Content_Types].xml"].contains("/word/document.xml"));
}

#[test]
fn two_builds_give_the_same_report_bytes() {
    let first = common::build(repo(), false);
    let second = common::build(repo(), false);
    let reports = |b: &Built| -> BTreeMap<String, Vec<u8>> {
        b.files
            .iter()
            .filter(|(p, _)| p.ends_with("/bao-cao.docx"))
            .map(|(p, b)| (p.clone(), b.clone()))
            .collect()
    };
    let (a, b) = (reports(&first), reports(&second));
    assert_eq!(a.len(), 27);
    assert!(a == b, "the reports differ between two builds");
}

#[test]
fn no_report_without_report_settings() {
    let site = site_with(None);
    let built = common::build(site.path(), false);
    built.assert_built();
    assert!(!built.files.keys().any(|p| p.ends_with(".docx")));
    assert!(
        !built
            .read("ban-tin/2023/quy-1/index.html")
            .contains("bao-cao.docx")
    );
}

const REPORT: &str = "
report:
  issuer: BAN TỔ CHỨC
  symbol_suffix: BC/BTCTU
  place: Vân Lĩnh
  signer: Trần Thị Bình
  signer_title: [K/T TRƯỞNG BAN, PHÓ TRƯỞNG BAN]
  recipients: [Thường trực Tỉnh ủy, Lưu VT.]
";

/// The base fixture with `report:` and the given files of the site.
fn base_with_report(files: &[(&str, &str)]) -> tempfile::TempDir {
    let site = site_with(None);
    let yaml = site.path().join("content/site.yaml");
    let mut text = fs::read_to_string(&yaml).unwrap_or_else(|e| panic!("{e}"));
    text.push_str(REPORT);
    fs::write(&yaml, text).unwrap_or_else(|e| panic!("{e}"));
    for (path, text) in files {
        let p = site.path().join(path);
        fs::create_dir_all(p.parent().unwrap_or(site.path())).unwrap_or_else(|e| panic!("{e}"));
        fs::write(p, text).unwrap_or_else(|e| panic!("{e}"));
    }
    site
}

#[test]
fn the_signature_has_its_lines_and_the_office_copy_is_listed_once() {
    let site = base_with_report(&[]);
    let built = common::build(site.path(), false);
    built.assert_built();
    let r = read_report(built.bytes("ban-tin/2023/quy-2/bao-cao.docx"));
    let at = |line: &str| {
        r.paragraphs
            .iter()
            .position(|p| p == line)
            .unwrap_or_else(|| panic!("no «{line}» in\n{}", r.paragraphs.join("\n")))
    };
    assert!(at("K/T TRƯỞNG BAN") < at("PHÓ TRƯỞNG BAN"));
    assert!(at("PHÓ TRƯỞNG BAN") < at("Trần Thị Bình"));
    assert!(at("- Thường trực Tỉnh ủy,") < at("- Lưu VT."));
    assert_eq!(
        r.paragraphs.iter().filter(|p| p.contains("Lưu VT")).count(),
        1
    );
    // No superior body: the issuer opens the document.
    assert_eq!(
        r.paragraphs.first().map(String::as_str),
        Some("BAN TỔ CHỨC")
    );
    r.assert_has("Vân Lĩnh, ngày 05 tháng 7 năm 2023", "the date line");
}

#[test]
fn editors_change_the_report_as_any_other_template() {
    let own = fs::read_to_string(repo().join("templates/report.xml"))
        .unwrap_or_else(|e| panic!("{e}"))
        .replace("<w:t>BÁO CÁO</w:t>", "<w:t>BÁO CÁO NHANH</w:t>");
    let site = base_with_report(&[("templates/report.xml", &own)]);
    let built = common::build(site.path(), false);
    built.assert_built();
    let r = read_report(built.bytes("ban-tin/2023/quy-1/bao-cao.docx"));
    r.assert_has("BÁO CÁO NHANH", "the site's own title");
}

#[test]
fn a_report_template_that_writes_no_xml_is_an_error_at_its_file() {
    let site = base_with_report(&[(
        "templates/report.xml",
        "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\n<w:body><w:p></w:body>\n</w:document>",
    )]);
    let built = common::build(site.path(), false);
    assert!(built.has_errors);
    let errors = built.errors();
    assert_eq!(
        errors.len(),
        1,
        "one problem, not one per quarter:\n{}",
        built.text()
    );
    assert!(
        errors[0].starts_with("templates/report.xml:") && errors[0].contains("error[E601]"),
        "{}",
        built.text()
    );
    assert!(
        errors[0].contains("không phải XML hợp lệ ở dòng 2"),
        "{}",
        built.text()
    );
}
