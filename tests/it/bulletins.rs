//! Bulletins read as an editor reads them (SPEC §4): in every bulletin of
//! a site, no sentence twice, a verdict against the year's quota, lists
//! that say their period, and no dissolved unit among the leaders of a
//! period after its dissolution.

use std::path::Path;

use crate::common::{self, Built, fixtures, text_of};

/// The last day of the quarter of `ban-tin/<year>/quy-<N>/index.html`, as
/// (year, month, day).
fn quarter_end(path: &str) -> (i32, u32, u32) {
    let parts: Vec<&str> = path.split('/').collect();
    let year: i32 = parts[1].parse().unwrap_or_else(|e| panic!("{path}: {e}"));
    let q: u32 = parts[2]
        .trim_start_matches("quy-")
        .parse()
        .unwrap_or_else(|e| panic!("{path}: {e}"));
    let (month, day) = [(3, 31), (6, 30), (9, 30), (12, 31)][(q - 1) as usize];
    (year, month, day)
}

/// `ngày 30/06/2025` on a unit's page, after "Kết thúc hoạt động".
fn dissolved_on(built: &Built, id: &str) -> Option<(i32, u32, u32)> {
    let page = built.read(&format!("don-vi/{id}/index.html"));
    let at = page.find("Kết thúc hoạt động</dt><dd>")?;
    let date = regex::Regex::new(r"(\d{2})/(\d{2})/(\d{4})")
        .unwrap_or_else(|e| panic!("{e}"))
        .captures(&page[at..])?;
    let n = |i: usize| date[i].parse::<u32>().unwrap_or_else(|e| panic!("{e}"));
    Some((n(3) as i32, n(2), n(1)))
}

/// Checks every bulletin of `built`; returns how many were read.
fn read_as_editor(built: &Built) -> usize {
    let href = regex::Regex::new(r#"href="(?:\.\./)*don-vi/([a-z0-9-]+)/index\.html""#)
        .unwrap_or_else(|e| panic!("{e}"));
    let bulletin = regex::Regex::new(r"^ban-tin/\d{4}/quy-[1-4]/index\.html$")
        .unwrap_or_else(|e| panic!("{e}"));
    let mut read = 0;
    for path in built.files.keys().filter(|p| bulletin.is_match(p)) {
        read += 1;
        let html = built.read(path);
        let text = text_of(&html, ".bulletin-text");
        let is_q4 = path.contains("/quy-4/");

        // Each sentence once.
        let mut seen = std::collections::BTreeSet::new();
        for sentence in text.split(". ").map(str::trim).filter(|s| s.len() > 20) {
            assert!(seen.insert(sentence), "{path}: twice: «{sentence}»\n{text}");
        }

        // A verdict whenever there is a year's quota.
        if text.contains("chỉ tiêu năm") {
            let verdicts: &[&str] = if is_q4 {
                &[
                    "vượt chỉ tiêu đề ra",
                    "hoàn thành chỉ tiêu đề ra",
                    "còn thiếu",
                ]
            } else {
                &[
                    "để hoàn thành chỉ tiêu năm",
                    "vượt chỉ tiêu đề ra",
                    "hoàn thành chỉ tiêu đề ra",
                ]
            };
            assert!(
                verdicts.iter().any(|v| text.contains(v)),
                "{path}: no verdict\n{text}"
            );
        }

        // Every list says its period.
        let doc = scraper::Html::parse_document(&html);
        let p = scraper::Selector::parse(".bulletin-text p").unwrap_or_else(|e| panic!("{e:?}"));
        for para in doc.select(&p) {
            let words: String = para.text().collect::<String>();
            let words = words.split_whitespace().collect::<Vec<_>>().join(" ");
            let listing = [
                "dẫn đầu",
                "chưa kết nạp được đảng viên nào",
                "lớp bồi dưỡng",
            ]
            .iter()
            .any(|w| words.contains(w));
            if listing {
                assert!(
                    ["Trong quý", "Từ đầu năm", "Trong năm"]
                        .iter()
                        .any(|w| words.starts_with(w)),
                    "{path}: a list without its period: «{words}»"
                );
            }
            // No dissolved unit among the leaders after its dissolution.
            let inner = para.inner_html();
            if let Some(start) = inner.find("dẫn đầu") {
                let rest = &inner[start..];
                let end = rest
                    .find("thấp nhất")
                    .or_else(|| rest.find("; "))
                    .unwrap_or(rest.len());
                for id in href.captures_iter(&rest[..end]).map(|c| c[1].to_owned()) {
                    if let Some(day) = dissolved_on(built, &id) {
                        assert!(
                            day >= quarter_end(path),
                            "{path}: {id}, dissolved on {day:?}, leads:\n{words}"
                        );
                    }
                }
            }
        }
    }
    read
}

#[test]
fn the_sample_site_reads_as_a_report() {
    let built = common::build(Path::new(env!("CARGO_MANIFEST_DIR")), false);
    built.assert_built();
    // 2020 to 2026 Q3.
    assert_eq!(read_as_editor(&built), 27);
    // More classes than planned is said as such, not "48/40 … đạt 120,0%":
    // 2023's results hold 48 classes, its plan's quotas 40.
    let text = text_of(
        &built.read("ban-tin/2023/quy-4/index.html"),
        ".bulletin-text",
    );
    assert!(
        text.contains("mở 48 lớp bồi dưỡng nhận thức về Đảng, vượt kế hoạch năm (40 lớp)"),
        "{text}"
    );
}

/// The text of three bulletins of the sample, paragraph by paragraph: a
/// first quarter, the quarter after the 2025 reform, a year's end.
#[test]
fn three_bulletins_of_the_sample_as_an_editor_reads_them() {
    let built = common::build(Path::new(env!("CARGO_MANIFEST_DIR")), false);
    built.assert_built();
    let paragraphs = |path: &str| {
        let doc = scraper::Html::parse_document(&built.read(path));
        let p = scraper::Selector::parse(".bulletin-text p").unwrap_or_else(|e| panic!("{e:?}"));
        doc.select(&p)
            .map(|e| {
                e.text()
                    .collect::<String>()
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect::<Vec<_>>()
            .join("\n\n")
    };
    insta::assert_snapshot!(
        "sample_2026_q1",
        paragraphs("ban-tin/2026/quy-1/index.html")
    );
    insta::assert_snapshot!(
        "sample_2025_q3",
        paragraphs("ban-tin/2025/quy-3/index.html")
    );
    insta::assert_snapshot!(
        "sample_2024_q4",
        paragraphs("ban-tin/2024/quy-4/index.html")
    );
}

#[test]
fn fixtures_with_dissolved_units_and_ties_read_as_a_report() {
    let mut read = 0;
    for name in ["base", "levels", "amended", "terms"] {
        let built = common::build(&fixtures().join(name), false);
        built.assert_built();
        read += read_as_editor(&built);
    }
    assert!(read >= 20, "{read} bulletins");
}

#[test]
#[ignore = "a large build: run by .ci/run with `cargo test --release -- --ignored`"]
fn the_province_preset_reads_as_a_report() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let Some(site) = common::province_preset(tmp.path()) else {
        return;
    };
    let built = common::build(&site, false);
    built.assert_built();
    assert!(read_as_editor(&built) >= 12);
}

/// A quarter's lead photo: the editorial's own, else the latest article
/// of the quarter that has one; on the bulletin, its description for
/// shared links, and the home page.
#[test]
fn a_bulletin_shows_the_quarters_photo() {
    // Quý II/2023 of the base fixture: an article of 19/05/2023 has one.
    let built = common::build(&fixtures().join("base"), false);
    built.assert_built();
    let q2 = built.read("ban-tin/2023/quy-2/index.html");
    assert!(
        q2.contains(
            r#"<figure class="lead-image"><img src="../../../media/2023/lop-boi-duong.png""#
        ),
        "{q2}"
    );
    assert!(text_of(&q2, ".lead-image figcaption").contains("(ảnh trong tin Ngân Sơn chú trọng"));
    assert!(q2.contains(
        r#"<meta property="og:image" content="https://vi-du.example.vn/media/2023/lop-boi-duong.png">"#
    ));
    // Quý III/2023 has no article with a photo: none.
    assert!(
        !built
            .read("ban-tin/2023/quy-3/index.html")
            .contains("lead-image")
    );

    // The editorial names its own, with a caption, before the article's.
    let site = common::fixture_edited("base", "content/results/2024/q1.md", |s| {
        format!(
            "---\nimage: media/2023/lop-boi-duong.png\nimage_caption: Lễ kết nạp đảng viên.\n---\n{s}"
        )
    });
    let built = common::build(site.path(), false);
    built.assert_built();
    let q1 = built.read("ban-tin/2024/quy-1/index.html");
    assert_eq!(
        text_of(&q1, ".lead-image figcaption"),
        "Lễ kết nạp đảng viên."
    );
    assert!(q1.contains(r#"alt="Lễ kết nạp đảng viên.""#));

    // A photo that is not there is an error at its line.
    let site = common::fixture_edited("base", "content/results/2024/q1.md", |s| {
        format!("---\nimage: media/2023/lop-boi-dong.png\n---\n{s}")
    });
    let built = common::build(site.path(), false);
    assert!(
        built.errors().iter().any(|e| e.starts_with(
            "content/results/2024/q1.md:2:8: error[E308]: không có tệp content/media/2023/lop-boi-dong.png"
        )),
        "{}",
        built.text()
    );
}

/// The site's logo in the header and as the browser's icon; without one,
/// bantin's icon, so no browser asks for a missing /favicon.ico.
#[test]
fn the_sites_logo_is_its_icon() {
    let built = common::build(&fixtures().join("base"), false);
    built.assert_built();
    let home = built.read("index.html");
    assert!(home.contains(r#"<link rel="icon" href="assets/bantin-icon.svg">"#));
    assert!(!home.contains("brand-logo"));
    assert!(built.read("assets/bantin-icon.svg").starts_with("<svg"));

    let site = common::fixture_edited("base", "content/site.yaml", |s| {
        format!("{s}logo: media/2023/lop-boi-duong.png\n")
    });
    let built = common::build(site.path(), false);
    built.assert_built();
    let page = built.read("tin-tuc/index.html");
    assert!(page.contains(r#"<link rel="icon" href="../media/2023/lop-boi-duong.png">"#));
    assert!(
        page.contains(r#"<img class="brand-logo" src="../media/2023/lop-boi-duong.png" alt="">"#)
    );
}
