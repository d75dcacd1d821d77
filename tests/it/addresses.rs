//! Addresses made from what editors write. Tag pages: tags that are
//! different words keep different pages even when they differ only in their
//! marks (`Sơn Hà`, `Sơn Hạ`), and one word written with its tone mark in
//! either place is one page (`hoà bình`, `hòa bình`) — the tags fixture.
//! Unit pages: any id of `[a-z0-9-]+` (`xa--hung-dao`). Every site here is
//! built in this process, into memory.

use std::fs;

use scraper::{Html, Selector};

use crate::common::{self, Built, fixtures, site_with};

fn built(drafts: bool) -> Built {
    let site = site_with(Some(&fixtures().join("tags")));
    let built = common::build(site.path(), drafts);
    built.assert_built();
    built
}

/// (href, text) of every link `selector` finds.
fn links(html: &str, selector: &str) -> Vec<(String, String)> {
    let doc = Html::parse_document(html);
    let sel = Selector::parse(selector).unwrap_or_else(|e| panic!("{e:?}"));
    doc.select(&sel)
        .map(|a| {
            let href = a.value().attr("href").unwrap_or_default().to_owned();
            let text: String = a.text().collect();
            (href, text.trim().to_owned())
        })
        .collect()
}

fn heading(html: &str) -> String {
    let doc = Html::parse_document(html);
    let sel = Selector::parse("h1").unwrap_or_else(|e| panic!("{e:?}"));
    doc.select(&sel)
        .map(|h| h.text().collect::<String>().trim().to_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The titles a tag page lists, in order.
fn listed(built: &Built, slug: &str) -> Vec<String> {
    let html = built.read(&format!("chu-de/{slug}/index.html"));
    links(&html, ".article-item-title a")
        .into_iter()
        .map(|(_, title)| title)
        .collect()
}

fn pair(href: &str, text: &str) -> (String, String) {
    (href.to_owned(), text.to_owned())
}

const BOTH: &str = "Hai xã Sơn Hà và Sơn Hạ trao đổi kinh nghiệm";
const SON_HA: &str = "Xã Sơn Hà kết nạp 12 đảng viên";
const SON_HA_NANG: &str = "Xã Sơn Hạ tổng kết công tác tạo nguồn";

#[test]
fn names_differing_only_in_their_marks_have_a_page_each() {
    let built = built(false);
    // Newest first: 4, 3 and 2 May 2024.
    assert_eq!(listed(&built, "son7-ha2"), [BOTH, SON_HA]);
    assert_eq!(listed(&built, "son7-ha5"), [BOTH, SON_HA_NANG]);
    assert_eq!(
        heading(&built.read("chu-de/son7-ha2/index.html")),
        "Chủ đề: Sơn Hà"
    );
    assert_eq!(
        heading(&built.read("chu-de/son7-ha5/index.html")),
        "Chủ đề: Sơn Hạ"
    );
    assert!(!built.files.contains_key("chu-de/son-ha/index.html"));

    // The article with both tags links to both pages, each to its own.
    let both = built.read("tin-tuc/hai-xa-son-ha-va-son-ha-trao-doi-kinh-nghiem/index.html");
    assert_eq!(
        links(&both, "ul.tags a"),
        [
            pair("../../chu-de/son7-ha2/index.html", "Sơn Hà"),
            pair("../../chu-de/son7-ha5/index.html", "Sơn Hạ"),
        ]
    );
    let one = built.read("tin-tuc/xa-son-ha-tong-ket-cong-tac-tao-nguon/index.html");
    assert_eq!(
        links(&one, "ul.tags a"),
        [
            pair("../../chu-de/son7-ha5/index.html", "Sơn Hạ"),
            pair("../../chu-de/hoa-binh/index.html", "hòa bình"),
        ]
    );

    // The list of tags names each page once, with its count, in
    // Vietnamese order (the base fixture's tags among them).
    let index = built.read("chu-de/index.html");
    assert_eq!(
        links(&index, "ul.tags a"),
        [
            pair("../chu-de/cam63-giang/index.html", "Cẩm Giang (1)"),
            pair("../chu-de/hoa-binh/index.html", "hòa bình (2)"),
            pair(
                "../chu-de/ket-nap-dang-vien/index.html",
                "kết nạp đảng viên (1)"
            ),
            pair("../chu-de/ngan-son/index.html", "Ngân Sơn (1)"),
            pair(
                "../chu-de/phat-trien-dang-vien/index.html",
                "phát triển Đảng viên (2)"
            ),
            pair("../chu-de/son7-ha2/index.html", "Sơn Hà (2)"),
            pair("../chu-de/son7-ha5/index.html", "Sơn Hạ (2)"),
        ]
    );
}

#[test]
fn one_word_with_its_tone_mark_in_either_place_is_one_page() {
    let built = built(false);
    assert_eq!(listed(&built, "hoa-binh"), [SON_HA_NANG, SON_HA]);
    // The spelling shown is the one used most; on a tie, the newest
    // article's (`hòa bình`, 3 May, over `hoà bình`, 2 May).
    assert_eq!(
        heading(&built.read("chu-de/hoa-binh/index.html")),
        "Chủ đề: hòa bình"
    );
    let pages: Vec<&String> = built
        .files
        .keys()
        .filter(|p| p.starts_with("chu-de/hoa"))
        .collect();
    assert_eq!(
        pages,
        ["chu-de/hoa-binh/feed.xml", "chu-de/hoa-binh/index.html"]
    );
}

#[test]
fn a_tags_page_does_not_depend_on_drafts() {
    // `Cẩm Giàng` is written only by a draft, and still makes `Cẩm Giang`
    // a marked slug, with or without drafts.
    let published = built(false);
    assert_eq!(
        listed(&published, "cam63-giang"),
        ["Cẩm Giang sơ kết quý I"]
    );
    for gone in [
        "chu-de/cam-giang/index.html",
        "chu-de/cam63-giang2/index.html",
    ] {
        assert!(!published.files.contains_key(gone), "{gone}");
    }
    let with_drafts = built(true);
    assert_eq!(
        listed(&with_drafts, "cam63-giang"),
        ["Cẩm Giang sơ kết quý I"]
    );
    assert_eq!(
        listed(&with_drafts, "cam63-giang2"),
        ["Cẩm Giàng chuẩn bị đại hội"]
    );
}

#[test]
fn a_unit_id_with_a_double_hyphen_has_its_page() {
    let site = site_with(None);
    let units = site.path().join("content/units.yaml");
    let mut text = fs::read_to_string(&units).unwrap_or_else(|e| panic!("{e}"));
    text.push_str(
        "  - id: xa--hung-dao\n    name: Đảng bộ xã Hưng Đạo\n    short_name: Hưng Đạo\n    kind: xa\n    parent: null\n",
    );
    fs::write(&units, text).unwrap_or_else(|e| panic!("{e}"));
    let article = site
        .path()
        .join("content/articles/2024/xa-bac-son-ket-nap-dang-vien-moi.md");
    let text = fs::read_to_string(&article).unwrap_or_else(|e| panic!("{e}"));
    assert!(text.contains("units: [xa-bac-son]\n"), "{text}");
    let text = text.replace(
        "units: [xa-bac-son]\n",
        "units: [xa-bac-son, xa--hung-dao]\n",
    );
    fs::write(&article, text).unwrap_or_else(|e| panic!("{e}"));

    let built = common::build(site.path(), false);
    built.assert_built();
    let page = built.read("don-vi/xa--hung-dao/index.html");
    assert_eq!(heading(&page), "Đảng bộ xã Hưng Đạo");
    // Its article is on its page, and links to it.
    let listed: Vec<String> = links(&page, ".article-item-title a")
        .into_iter()
        .map(|(_, title)| title)
        .collect();
    assert_eq!(listed, ["Xã Bắc Sơn kết nạp đảng viên mới"]);
    let from = built.read("tin-tuc/xa-bac-son-ket-nap-dang-vien-moi/index.html");
    assert!(
        links(&from, "a")
            .iter()
            .any(|(href, _)| href == "../../don-vi/xa--hung-dao/index.html"),
        "no link to the unit"
    );
}
