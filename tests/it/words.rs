//! Every word a reader sees comes from one template: a site that rewords
//! a template sees the new words everywhere they appear (pages, their
//! descriptions, the feed, the CSV files), and the old words nowhere.

use std::fs;
use std::path::Path;

use crate::common::{build, site_with};

const BULLETIN_TEXT: &str = include_str!("../../templates/bulletin_text.html");
const LABELS: &str = include_str!("../../templates/labels.html");

/// The theme's `name` with `from` replaced by `to` (exactly once), as the
/// site's own template.
fn override_template(site: &Path, name: &str, theme: &str, from: &str, to: &str) {
    assert_eq!(theme.matches(from).count(), 1, "{from:?} in {name}");
    let dir = site.join("templates");
    fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    fs::write(dir.join(name), theme.replace(from, to)).unwrap_or_else(|e| panic!("{e}"));
}

/// The `content` of `<meta name="description" …>` of a page.
fn description(html: &str) -> &str {
    let start = html
        .find(r#"<meta name="description" content=""#)
        .unwrap_or_else(|| panic!("no description in the page"))
        + r#"<meta name="description" content=""#.len();
    let end = html[start..].find('"').unwrap_or(0) + start;
    &html[start..end]
}

#[test]
fn a_reworded_bulletin_sentence_shows_in_the_page_its_description_and_the_feed() {
    let site = site_with(None);
    override_template(
        site.path(),
        "bulletin_text.html",
        BULLETIN_TEXT,
        "kết nạp {{ q.admitted }} đảng viên mới",
        "kết nạp thêm {{ q.admitted }} quần chúng ưu tú vào Đảng",
    );
    let built = build(site.path(), false);
    built.assert_built();
    // The base fixture's quý I/2024: 5 + 8 + 20 = 33 admitted (its q1.yaml).
    let page = built.read("ban-tin/2024/quy-1/index.html");
    let new = "Quý I/2024, toàn Đảng bộ tỉnh kết nạp thêm 33 quần chúng ưu tú vào Đảng";
    assert!(page.contains(new), "the bulletin page");
    assert!(
        description(&page).starts_with(new),
        "the description: {}",
        description(&page)
    );
    assert!(!description(&page).contains("<a"), "{}", description(&page));
    let feed = built.read("feed.xml");
    assert!(
        feed.contains(&format!("<summary>{new}")),
        "the feed entry of the bulletin"
    );
    for text in [&page, &feed] {
        assert!(!text.contains("kết nạp 33 đảng viên mới"), "the old words");
    }
}

#[test]
fn a_renamed_figure_changes_the_table_header_and_the_csv_header_together() {
    let site = site_with(None);
    override_template(
        site.path(),
        "labels.html",
        LABELS,
        r#"{%- elif key == "religious" %}Tôn giáo"#,
        r#"{%- elif key == "religious" %}Người theo tôn giáo"#,
    );
    let built = build(site.path(), false);
    built.assert_built();
    let page = built.read("thong-ke/2024/quy-1/index.html");
    assert!(page.contains(r#"<th scope="col">Người theo tôn giáo</th>"#));
    let csv = built.read("thong-ke/2024/quy-1/so-lieu.csv");
    let header = csv.lines().next().unwrap_or_default();
    assert!(
        header.contains(",Người theo tôn giáo,"),
        "the CSV header: {header}"
    );
    for text in [&page, header] {
        assert!(!text.contains(">Tôn giáo<") && !text.contains(",Tôn giáo,"));
    }
}

/// A long first paragraph is the sapo of an article without `summary`:
/// the page keeps it whole in its text, and its description and the news
/// list show its first words, up to 200 characters, with an ellipsis.
#[test]
fn a_long_sapo_is_cut_at_a_word_in_the_description_and_the_list() {
    let site = site_with(None);
    // 30 times "Chi bộ thôn kết nạp " (20 characters): 600 characters.
    let paragraph = "Chi bộ thôn kết nạp ".repeat(30);
    let paragraph = paragraph.trim_end();
    fs::write(
        site.path().join("content/articles/2024/sapo-dai.md"),
        format!("---\ntitle: Sapo dài\ndate: 2024-06-01T08:00:00+07:00\n---\n{paragraph}\n"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let built = build(site.path(), false);
    built.assert_built();
    let page = built.read("tin-tuc/sapo-dai/index.html");
    // The first 200 characters are 10 times the phrase, the last one a
    // space: the cut keeps them without it.
    let teaser = format!("{}…", "Chi bộ thôn kết nạp ".repeat(10).trim_end());
    assert_eq!(description(&page), teaser);
    assert!(page.contains(&format!(
        r#"<meta property="og:description" content="{teaser}">"#
    )));
    assert!(
        page.contains(&format!("<p>{paragraph}</p>")),
        "the text, whole"
    );
    let list = built.read("tin-tuc/index.html");
    assert!(
        list.contains(&format!(r#"<p class="article-item-summary">{teaser}</p>"#)),
        "the news list"
    );
    assert!(!list.contains(paragraph), "the list has no whole sapo");
}
