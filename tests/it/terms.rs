//! Terms of office (SPEC §2.4a): tests/fixtures/terms has two huyện, An
//! and Bình, Bình dissolved on 30/06/2022 into xã Bình (from 01/07/2022),
//! results from quý III/2020 to quý III/2022, and the term 2020–2025 from
//! its congress on 15/10/2020 with all three targets: 100 admissions, 30 a
//! year, 2,5% a year. Every figure is computed by hand.
//!
//! Admissions: 2020 Q3 An 9, Bình 4 (before the term); Q4 An 6, Bình 4.
//! 2021 An 5, 6, 7, 6 = 24; Bình 2, 3, 3, 3 = 11. 2022 An 5, 6, 7 = 18;
//! Bình 2, 3 = 5; xã Bình 4 in Q3. Members at 31/12 of the year before:
//! An 1000, 1010, 1020; Bình 500, 505, 510; the organisation 1500, 1515,
//! 1530 (xã Bình was not active on 1 January 2022).

use crate::common::{self, Built, fixtures, text_of};

/// Each row of the tables `selector` picks (`tr` elements), its cells'
/// text joined by " | ".
fn rows(html: &str, selector: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(html);
    let rows = scraper::Selector::parse(selector).unwrap_or_else(|e| panic!("{e:?}"));
    let cells = scraper::Selector::parse("th, td").unwrap_or_else(|e| panic!("{e:?}"));
    doc.select(&rows)
        .map(|tr| {
            tr.select(&cells)
                .map(|c| {
                    c.text()
                        .collect::<String>()
                        .split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .collect::<Vec<_>>()
                .join(" | ")
        })
        .collect()
}

fn built() -> Built {
    let built = common::build(&fixtures().join("terms"), false);
    built.assert_built();
    built
}

#[test]
fn the_term_page_measures_the_term_so_far_against_its_three_targets() {
    let out = built();
    let page = out.read("nhiem-ky/2020-2025/index.html");
    let lede = text_of(&page, ".lede");
    // The congress on 15/10/2020 opens the term with quý IV/2020 (its last
    // day is in the term); quý III/2020 is not counted.
    // Admitted: 10 + 35 + 27 = 72 of 100 → 72,0%. Eight quarters, two
    // years: 72 / 2 = 36 a year, above 30. Rates: 10/1500 + 35/1515 +
    // 27/1530 = 0,66667% + 2,31023% + 1,76471% = 4,74160%, over 2 years
    // 2,3708% → 2,4%, below 2,5%.
    assert_eq!(
        lede,
        "Từ đầu nhiệm kỳ 2020–2025 đến hết quý III/2022 (2 năm), toàn Đảng bộ tỉnh đã kết nạp \
         72 đảng viên mới, đạt 72,0% chỉ tiêu cả nhiệm kỳ (100 đảng viên); bình quân mỗi năm \
         kết nạp 36 đảng viên, vượt mục tiêu 30 đảng viên/năm; tỷ lệ kết nạp bình quân 2,4%/năm, \
         chưa đạt mục tiêu 2,5%/năm."
    );
    // By year: what the averages are made of.
    assert_eq!(
        rows(&page, "#theo-nam ~ .table-wrap tbody tr"),
        [
            "2020 | quý IV | 10 | 1.500 | 0,7%",
            "2021 | cả năm | 35 | 1.515 | 2,3%",
            "2022 | quý I, II, III | 27 | 1.530 | 1,8%",
        ]
    );
    // By unit. An: 6 + 24 + 18 = 48 over 8 quarters → 24 a year; 6/1000 +
    // 24/1010 + 18/1020 = 4,7409% / 2 = 2,37% → 2,4%. Bình, active 7
    // quarters of the term: 4 + 11 + 5 = 20, × 4 / 7 = 11,43 → 11; 4/500 +
    // 11/505 + 5/510 = 3,9586% × 4/7 = 2,26% → 2,3%. Xã Bình: one quarter,
    // too short for an average.
    assert_eq!(
        rows(&page, "#theo-don-vi ~ .table-wrap tr"),
        [
            "Đơn vị | Thời gian có số liệu | Kết nạp | Bình quân mỗi năm | Tỷ lệ kết nạp bình quân/năm",
            "Đảng bộ huyện An | quý IV/2020 – quý III/2022 | 48 | 24 | 2,4%",
            "Đảng bộ huyện Bình | quý IV/2020 – quý II/2022 | 20 | 11 | 2,3%",
            "Đảng bộ xã Bình | quý III/2022 | 4 | — | —",
            "Toàn đảng bộ | quý IV/2020 – quý III/2022 | 72 | 36 | 2,4%",
        ]
    );
    let targets = text_of(&page, "#muc-tieu + ul");
    assert!(
        targets.contains("Kết nạp 100 đảng viên mới trong cả nhiệm kỳ."),
        "{targets}"
    );
    assert!(text_of(&page, ".meta").contains("Nghị quyết số 01-NQ/ĐH"));
}

#[test]
fn each_bulletin_of_the_term_says_the_term_so_far() {
    let out = built();
    let term_line = |q: &str| {
        let html = out.read(&format!("ban-tin/{q}/index.html"));
        text_of(&html, ".bulletin-text p")
            .split(". ")
            .filter(|s| s.contains("nhiệm kỳ"))
            .collect::<Vec<_>>()
            .join(". ")
    };
    // Before the congress: no sentence on the term.
    assert_eq!(term_line("2020/quy-3"), "");
    // Three quarters in: 10 + 5 + 2 + 6 + 3 = 26, no average yet.
    assert_eq!(
        term_line("2021/quy-2"),
        "Từ đầu nhiệm kỳ 2020–2025 đến hết quý II/2021 (9 tháng), toàn Đảng bộ tỉnh đã kết nạp \
         26 đảng viên mới, đạt 26,0% chỉ tiêu cả nhiệm kỳ (100 đảng viên)."
    );
    // A year in: 36, a year's average of 36; 10/1500 + 26/1515 = 2,38% → 2,4%.
    assert!(
        term_line("2021/quy-3").contains(
            "đã kết nạp 36 đảng viên mới, đạt 36,0% chỉ tiêu cả nhiệm kỳ (100 đảng viên); \
             bình quân mỗi năm kết nạp 36 đảng viên, vượt mục tiêu 30 đảng viên/năm; \
             tỷ lệ kết nạp bình quân 2,4%/năm, chưa đạt mục tiêu 2,5%/năm"
        ),
        "{}",
        term_line("2021/quy-3")
    );
    // The name links to the term's page.
    let html = out.read("ban-tin/2021/quy-2/index.html");
    assert!(html.contains(r#"<a href="../../../nhiem-ky/2020-2025/index.html">2020–2025</a>"#));
}

#[test]
fn the_navigation_and_the_home_page_lead_to_the_terms() {
    let out = built();
    let home = out.read("index.html");
    // The term of the latest quarter, though written second in site.yaml.
    let nav = text_of(&home, ".site-nav");
    assert!(nav.contains("Nhiệm kỳ"), "{nav}");
    assert!(home.contains(r#"<li><a href="nhiem-ky/2020-2025/index.html">Nhiệm kỳ</a></li>"#));
    let side = text_of(&home, ".col-side");
    assert!(
        side.contains("Nhiệm kỳ 2020–2025 (hiện tại)Nhiệm kỳ 2025–2030"),
        "{side}"
    );
    // A term with no quarter yet has its page, saying so.
    let next = out.read("nhiem-ky/2025-2030/index.html");
    assert!(text_of(&next, "main").contains("Chưa có kết quả quý nào của nhiệm kỳ này."));
    assert!(out.read("sitemap.xml").contains("nhiem-ky/2025-2030/"));
    // Found by search, named as a term.
    let index = crate::search::Index::read(&out);
    let found = index.find("nhiệm kỳ 2020");
    assert_eq!(
        found.first().map(|d| &d[..3]),
        Some(
            &[
                "Nhiệm kỳ 2020–2025".to_owned(),
                "nhiem-ky/2020-2025/index.html".to_owned(),
                "term".to_owned()
            ][..]
        ),
        "{found:?}"
    );
    assert!(
        out.read("tim-kiem/index.html")
            .contains(r#"data-kind-term="Nhiệm kỳ""#)
    );
}

#[test]
fn a_site_without_terms_has_no_term_anywhere() {
    let out = common::build(&fixtures().join("base"), false);
    out.assert_built();
    assert!(!out.read("index.html").contains("Nhiệm kỳ"));
    assert!(
        !out.read("ban-tin/2023/quy-2/index.html")
            .contains("nhiệm kỳ")
    );
}

#[test]
fn a_term_that_begins_before_the_first_results_is_a_warning() {
    // From 15/10/2019: quý IV/2019 to quý II/2020 have no results, and
    // 2019 none at all.
    let site = common::fixture_edited("terms", "content/site.yaml", |s| {
        s.replace("from: 2020-10-15", "from: 2019-10-15")
    });
    let out = common::build(site.path(), false);
    out.assert_built();
    let warnings = out.warnings();
    assert!(
        warnings
            .iter()
            .any(|w| w.starts_with("content/site.yaml:10:11: warning[W511]")
                && w.contains("quý IV/2019")
                && w.contains("quý III/2020")),
        "{warnings:?}"
    );
    let page = out.read("nhiem-ky/2020-2025/index.html");
    assert!(text_of(&page, ".notice").contains("Chưa có số liệu từ quý IV/2019 đến quý II/2020:"));
    // The averages count the quarters with results only: 9 + 4 + 72 = 85
    // over 9 quarters, 37,8 → 38 a year. A year without results adds
    // nothing to the mean of the rates: (23/1500 + 35/1515 + 27/1530) × 4/9
    // = 2,4926% → 2,5%, which reads as meeting the target of 2,5% (the
    // verdict goes by the figure printed beside it).
    let lede = text_of(&page, ".lede");
    assert!(
        lede.contains(
            "kết nạp 85 đảng viên mới, đạt 85,0% chỉ tiêu cả nhiệm kỳ (100 đảng viên); \
             bình quân mỗi năm kết nạp 38 đảng viên, vượt mục tiêu 30 đảng viên/năm; \
             tỷ lệ kết nạp bình quân 2,5%/năm, đạt mục tiêu 2,5%/năm. \
             Số liệu còn thiếu 3 quý của nhiệm kỳ."
        ),
        "{lede}"
    );
    assert_eq!(
        rows(&page, "#theo-nam ~ .table-wrap tbody tr")[0],
        "2020 | quý III, IV | 23 | 1.500 | 1,5%"
    );
}
