//! Levels (SPEC §2.2): a site with districts over communes until
//! 30/06/2025 (one reporting its own row, one whose figure is its communes'
//! sum), a Khối over a department over two grassroots units, and communes
//! directly under the province from 01/07/2025. Every figure below is
//! computed by hand from tests/fixtures/levels.

use crate::common::{self, Built, fixtures, text_of};

fn built() -> Built {
    let built = common::build(&fixtures().join("levels"), false);
    built.assert_built();
    built
}

/// The CSV's rows as cells, the header first.
pub(crate) fn csv_rows(built: &Built, path: &str) -> Vec<Vec<String>> {
    let text = built.read(path);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.trim_start_matches('\u{FEFF}').as_bytes());
    reader
        .records()
        .map(|r| {
            r.unwrap_or_else(|e| panic!("{path}: {e}"))
                .iter()
                .map(str::to_owned)
                .collect()
        })
        .collect()
}

/// The row of unit `id` (or the totals row for ""): (parent, name, quota,
/// admitted, cumulative, share, rate, members).
pub(crate) fn row(rows: &[Vec<String>], id: &str) -> [String; 8] {
    let header = &rows[0];
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name} in {header:?}"))
    };
    let r = rows[1..]
        .iter()
        .find(|r| r[0] == id)
        .unwrap_or_else(|| panic!("no row {id}"));
    [
        "Mã đơn vị cấp trên",
        "Đơn vị",
        "Chỉ tiêu năm",
        "Kết nạp trong kỳ",
        "Lũy kế từ đầu năm",
        "Đạt % chỉ tiêu năm",
        "Tỷ lệ kết nạp (% đảng viên đầu năm)",
        "Đảng viên cuối kỳ",
    ]
    .map(|name| r[col(name)].clone())
}

/// Checks [`row`] of each unit: `(id, cells)`.
pub(crate) fn assert_rows(rows: &[Vec<String>], expected: &[(&str, [&str; 8])]) {
    for (id, cells) in expected {
        assert_eq!(row(rows, id), cells.map(str::to_owned), "row {id:?}");
    }
}

#[test]
fn the_levels_fixture_checks_clean_but_for_the_namesakes() {
    let checked = common::check(&fixtures().join("levels"));
    assert!(checked.errors().is_empty(), "{}", checked.text());
    let warnings = checked.warnings();
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(
        warnings.iter().all(|w| w.contains("[W505]")),
        "{warnings:?}"
    );
}

#[test]
fn a_quarter_rolls_up_each_level_once() {
    let out = built();
    let rows = csv_rows(&out, "thong-ke/2025/quy-1/so-lieu.csv");
    assert_rows(
        &rows,
        &[
            // Top: An Hà's own row 10; Bảo Lạc has none: 2 + 0; the Khối's
            // own row 5 (its department's 2 + 1 is detail). 10 + 2 + 5 = 17.
            // Quota: 40 + (10 + 10) + 20 + 8 + 6 (the new communes' quotas
            // are in the January plan) = 94; 17/94 = 18,1%. Base on 1
            // January: 2000 + (500 + 500) + 1000 = 4000; 17/4000 = 0,425%
            // → 0,4.
            (
                "",
                ["", "Toàn đảng bộ", "94", "17", "17", "18.1", "0.4", "4017"],
            ),
            (
                "huyen-an-ha",
                ["", "An Hà", "40", "10", "10", "25.0", "0.5", "2010"],
            ),
            // Bảo Lạc is its communes' sum: 2 + 0 admitted, 502 + 500
            // members, quota 10 + 10; 2/20 = 10,0%, 2/1000 = 0,2%.
            (
                "huyen-bao-lac",
                ["", "Bảo Lạc", "20", "2", "2", "10.0", "0.2", "1002"],
            ),
            (
                "xa-coc-pang",
                [
                    "huyen-bao-lac",
                    "Cốc Pàng",
                    "10",
                    "0",
                    "0",
                    "0.0",
                    "0.0",
                    "500",
                ],
            ),
            // Three levels: the department is its two units' sum (2 + 1,
            // 300 + 200, quota 6 + 4, base 300 + 200): 3/10 = 30,0%, 3/500
            // = 0,6%.
            (
                "so-y-te",
                ["khoi", "Sở Y tế", "10", "3", "3", "30.0", "0.6", "500"],
            ),
        ],
    );
    assert_eq!(row(&rows, "benh-vien")[0], "so-y-te");
    // Every unit once, each after its parent, in units.yaml order.
    let ids: Vec<&str> = rows[1..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(
        ids,
        [
            "huyen-an-ha",
            "xa-hung-dao-an-ha",
            "xa-tan-lap",
            "huyen-bao-lac",
            "xa-hung-dao-bao-lac",
            "xa-coc-pang",
            "khoi",
            "so-y-te",
            "benh-vien",
            "trung-tam-y-te",
            ""
        ]
    );
    let json: serde_json::Value =
        serde_json::from_str(&out.read("thong-ke/2025/quy-1/so-lieu.json"))
            .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(json["total"]["admitted"], 17);
    assert_eq!(json["units"][0].get("parent"), None);
    assert_eq!(json["units"][1]["parent"], "huyen-an-ha");
}

#[test]
fn the_year_so_far_counts_the_dissolved_districts_and_the_new_communes() {
    let out = built();
    let rows = csv_rows(&out, "thong-ke/2025/quy-3/so-lieu.csv");
    assert_rows(
        &rows,
        &[
            // Q1 17, Q2 12 + (4 + 3) + 7 = 26, Q3 3 + 4 + 5 = 12: 55; 55/94
            // = 58,5%; 55/4000 = 1,375% → 1,4. Members on 30/09: 1100 +
            // 2100 + 1015.
            (
                "",
                ["", "Toàn đảng bộ", "94", "12", "55", "58.5", "1.4", "4215"],
            ),
            // An Hà, dissolved: 10 + 12 = 22 of 40; its short name is
            // shared with the new commune, so each is named by its kind.
            (
                "huyen-an-ha",
                ["", "Huyện An Hà", "40", "", "22", "55.0", "1.1", ""],
            ),
            // Bảo Lạc: (2 + 0) + (4 + 3) = 9 of 20.
            (
                "huyen-bao-lac",
                ["", "Bảo Lạc", "20", "", "9", "45.0", "0.9", ""],
            ),
            // The department: (3 + 4 + 2) = 9 of 10; members 303 + 203.
            (
                "so-y-te",
                ["khoi", "Sở Y tế", "10", "2", "9", "90.0", "1.8", "506"],
            ),
        ],
    );
    assert_eq!(row(&rows, "xa-an-ha")[1], "Xã An Hà");
    // Three communes named Hưng Đạo: told apart by parent and dates.
    assert_eq!(
        row(&rows, "xa-hung-dao-an-ha")[1],
        "Hưng Đạo (huyện An Hà, đến 30/06/2025)"
    );
    assert_eq!(
        row(&rows, "xa-hung-dao-bao-lac")[1],
        "Hưng Đạo (huyện Bảo Lạc, đến 30/06/2025)"
    );
    assert_eq!(row(&rows, "xa-hung-dao")[1], "Hưng Đạo (từ 01/07/2025)");
}

#[test]
fn the_statistics_page_lists_one_level_and_opens_into_the_next() {
    let out = built();
    let page = out.read("thong-ke/2025/quy-3/index.html");
    let doc = scraper::Html::parse_document(&page);
    let select = |s: &str| scraper::Selector::parse(s).unwrap_or_else(|e| panic!("{e:?}"));
    // The first table: the five units directly under the province.
    let first = doc
        .select(&select("table.data"))
        .next()
        .unwrap_or_else(|| panic!("no table"));
    let names: Vec<String> = first
        .select(&select("tbody th a:not(.sub-link)"))
        .map(|a| a.text().collect())
        .collect();
    assert_eq!(
        names,
        [
            "Huyện An Hà",
            "Bảo Lạc",
            "Khối Cơ quan",
            "Xã An Hà",
            // Beside the two old communes of the name, active this year.
            "Hưng Đạo (từ 01/07/2025)"
        ]
    );
    // Each unit with sub-units opens into them, without script, nested.
    let ids: Vec<&str> = doc
        .select(&select("details.sub-units > div[id]"))
        .filter_map(|d| d.value().attr("id"))
        .collect();
    assert_eq!(
        ids,
        [
            "dv-huyen-an-ha",
            "dv-huyen-bao-lac",
            "dv-khoi",
            "dv-so-y-te"
        ]
    );
    let nested = doc.select(&select("#dv-khoi details #dv-so-y-te")).count();
    assert_eq!(nested, 1);
    let department = text_of(&page, "#dv-so-y-te tbody");
    assert!(department.contains("Bệnh viện tỉnh"), "{department}");
    // The ranking is among the five: Khối 17/20, An Hà 22/40, the two new
    // communes 4/8 and 3/6 (tied, by name), Bảo Lạc 9/20.
    let ranking: Vec<String> = doc
        .select(&select("table.ranking tbody tr"))
        .map(|tr| {
            tr.children()
                .filter_map(scraper::ElementRef::wrap)
                .map(|cell| cell.text().collect::<String>())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    assert_eq!(
        ranking,
        [
            "1 Khối Cơ quan 17 20 85,0%",
            "2 Huyện An Hà 22 40 55,0%",
            "3 Xã An Hà 4 8 50,0%",
            "4 Hưng Đạo (từ 01/07/2025) 3 6 50,0%",
            "5 Bảo Lạc 9 20 45,0%"
        ]
    );
}

#[test]
fn a_units_page_has_its_sub_units_table_for_every_period() {
    let out = built();
    let page = out.read("don-vi/khoi/index.html");
    assert!(page.contains("id=\"truc-thuoc\""));
    // The year so far (women: 1 + 1 + 0 and 0 + 1 + 1; nobody removed, no
    // trainees reported), then each quarter
    // in its own closed section.
    let year = text_of(&page, "[aria-labelledby=nam-2025] > h3 + .table-wrap tbody");
    assert_eq!(
        year,
        "1 Sở Y tế 2 đơn vị trực thuộc 10 9 90,0% 1,8% 4 0 0 0 0 0 0 0 0 0 506"
    );
    let whole = text_of(&page, "[aria-labelledby=nam-2025] > h3 + .table-wrap tfoot");
    assert!(whole.starts_with("Cả đơn vị 20 17 85,0%"), "{whole}");
    let quarters = text_of(
        &page,
        "[aria-labelledby=nam-2025] details.sub-units summary",
    );
    assert_eq!(quarters, "Quý III/2025 Quý II/2025 Quý I/2025");
    // The department's own page lists its two units.
    let department = out.read("don-vi/so-y-te/index.html");
    let units = text_of(&department, "#truc-thuoc + .table-wrap tbody th");
    assert_eq!(units, "Bệnh viện tỉnh Trung tâm Y tế");
}

#[test]
fn the_bulletin_speaks_of_one_level() {
    let out = built();
    let q1 = text_of(&out.read("ban-tin/2025/quy-1/index.html"), ".bulletin-text");
    assert!(
        q1.starts_with(
            "Quý I/2025, toàn Đảng bộ tỉnh kết nạp 17 đảng viên mới, đạt 18,1% chỉ tiêu năm"
        ),
        "{q1}"
    );
    // Leaders among the three units under the province, a tie as one; a
    // commune that admitted no one is not named beside them.
    assert!(
        q1.contains(
            "Trong quý I/2025, dẫn đầu về tỷ lệ đạt chỉ tiêu là Đảng bộ huyện An Hà và Đảng bộ Khối các cơ quan tỉnh, cùng đạt 25,0%, tiếp đến là Đảng bộ huyện Bảo Lạc (2/20 đảng viên, đạt 10,0%); tất cả 3 đơn vị đều kết nạp được đảng viên mới."
        ),
        "{q1}"
    );
    assert!(!q1.contains("Cốc Pàng"), "{q1}");
    assert!(q1.contains("toàn Đảng bộ tỉnh có 4.017 đảng viên"), "{q1}");
    let q3 = text_of(&out.read("ban-tin/2025/quy-3/index.html"), ".bulletin-text");
    assert!(
        q3.contains("tính chung 9 tháng đầu năm 2025 kết nạp 55 đảng viên, đạt 58,5% chỉ tiêu năm"),
        "{q3}"
    );
    assert!(q3.contains("Tỷ lệ kết nạp từ đầu năm đạt 1,4%"), "{q3}");
}

#[test]
fn a_dissolved_units_successor_of_the_same_name_does_not_read_as_itself() {
    let out = built();
    let old = out.read("don-vi/huyen-bao-lac/index.html");
    let moved = text_of(&old, "dl.history dt + dd");
    for name in [
        "Đảng bộ xã Hưng Đạo (từ 01/07/2025)",
        "Đảng bộ xã Hưng Đạo (huyện Bảo Lạc, đến 30/06/2025)",
    ] {
        assert!(moved.contains(name), "{name} in {moved}");
    }
    let old_commune = out.read("don-vi/xa-hung-dao-bao-lac/index.html");
    let title = text_of(&old_commune, "h1");
    assert!(title.starts_with("Đảng bộ xã Hưng Đạo"), "{title}");
    let index = text_of(&out.read("don-vi/index.html"), "main");
    for name in [
        "Đảng bộ xã Hưng Đạo (huyện An Hà, đến 30/06/2025)",
        "Đảng bộ xã Hưng Đạo (huyện Bảo Lạc, đến 30/06/2025)",
        "Đảng bộ xã Hưng Đạo (từ 01/07/2025)",
    ] {
        assert!(index.contains(name), "{name} in {index}");
    }
}

#[test]
fn a_silent_sub_unit_is_missing_only_from_a_sum() {
    // The department's figure is the sum of its two units: without the
    // centre's row it would be short, so the centre is reported missing.
    // The communes of Q1 and Q2 under An Hà, whose own row is its total,
    // are not, nor is anything when a whole branch is silent under a
    // parent with its own row.
    let site = common::fixture_edited("levels", "content/results/2025/q3.yaml", |t| {
        t.replace(
            "  - {unit: trung-tam-y-te, admitted: 1, women: 1, members: 203}\n",
            "",
        )
    });
    let checked = common::check(site.path());
    let missing: Vec<&str> = checked
        .warnings()
        .into_iter()
        .filter(|w| w.contains("[W504]"))
        .collect();
    assert_eq!(missing.len(), 1, "{missing:?}");
    assert!(missing[0].contains("'trung-tam-y-te'"), "{missing:?}");
}

#[test]
fn members_moved_to_successors_show_on_both_pages_and_may_not_exceed_the_last_report() {
    let out = built();
    let old = text_of(&out.read("don-vi/huyen-an-ha/index.html"), "dl.history");
    assert!(old.contains("Đảng bộ xã An Hà (2.020 đảng viên)"), "{old}");
    let new = text_of(&out.read("don-vi/xa-an-ha/index.html"), "dl.history");
    assert!(
        new.contains("Đảng bộ huyện An Hà (2.020 đảng viên chuyển đến)"),
        "{new}"
    );
    // Bảo Lạc had 505 + 503 = 1.008 members in Q2, its last report:
    // handing 1.009 to its successor is more than it had.
    let site = common::fixture_edited("levels", "content/units.yaml", |t| {
        t.replace("members: 1002}", "members: 1009}")
    });
    let checked = common::check(site.path());
    let over: Vec<&str> = checked
        .warnings()
        .into_iter()
        .filter(|w| w.contains("[W510]"))
        .collect();
    assert_eq!(over.len(), 1, "{}", checked.text());
    assert!(
        over[0].contains("nhận tổng cộng 1.009 đảng viên, nhiều hơn 1.008 đảng viên của 'huyen-bao-lac' theo báo cáo quý II/2025"),
        "{over:?}"
    );
    assert!(over[0].starts_with("content/units.yaml:32:47:"), "{over:?}");
}

#[test]
fn the_organisations_own_target_count_measures_its_share() {
    let site = common::fixture_edited("levels", "content/plans/2025-kh-100.yaml", |t| {
        t.replace("target:\n", "target:\n  admissions: 100\n")
    });
    let out = common::build(site.path(), false);
    out.assert_built();
    // The organisation: 17/100 in Q1, 55/100 after nine months; the units
    // keep their own quotas (An Hà 10/40).
    let q1 = csv_rows(&out, "thong-ke/2025/quy-1/so-lieu.csv");
    assert_rows(
        &q1,
        &[(
            "",
            ["", "Toàn đảng bộ", "100", "17", "17", "17.0", "0.4", "4017"],
        )],
    );
    assert_eq!(row(&q1, "huyen-an-ha")[5], "25.0");
    let q3 = csv_rows(&out, "thong-ke/2025/quy-3/so-lieu.csv");
    assert_eq!(row(&q3, "")[5], "55.0");
    let bulletin = text_of(&out.read("ban-tin/2025/quy-1/index.html"), ".bulletin-text");
    assert!(
        bulletin.contains("kết nạp 17 đảng viên mới, đạt 17,0% chỉ tiêu năm"),
        "{bulletin}"
    );
    // The plan page says the target; its quota table still adds up the
    // units' quotas: 40 + 20 + 20 + 8 + 6 = 94.
    let page = out.read("ke-hoach/100-kh-tu-2025/index.html");
    let target = text_of(&page, "#muc-tieu + p");
    assert_eq!(
        target,
        "Phấn đấu trong năm 2025 kết nạp 100 đảng viên mới, đạt tỷ lệ từ 2–3% so với tổng số đảng viên của đảng bộ tại thời điểm 31/12/2024."
    );
    let total = text_of(&page, "tfoot tr.total td");
    assert!(total.starts_with("94"), "{total}");
    let index = text_of(&out.read("ke-hoach/index.html"), "main");
    assert!(
        index.contains(
            "chỉ tiêu năm 2025: 100 đảng viên · 9 tháng đầu năm 2025: 55 đảng viên, đạt 55,0%"
        ),
        "{index}"
    );
}
