//! What a site offers other programs and sharing: the Atom and RSS 2.0
//! feeds with the articles' text, a feed per topic, `lastmod` in the
//! sitemap, and on every page the tags a shared link shows (Open Graph,
//! Twitter card) and, on articles and bulletins, `NewsArticle` data.

use std::collections::BTreeMap;
use std::path::Path;

use crate::common::{self, Built};

const BASE: &str = "https://bantochuc.vanlinh.example.vn/";

fn sample() -> Built {
    let built = common::build(Path::new(env!("CARGO_MANIFEST_DIR")), false);
    built.assert_built();
    built
}

fn children<'a, 'i>(n: roxmltree::Node<'a, 'i>, name: &str) -> Vec<roxmltree::Node<'a, 'i>> {
    n.children()
        .filter(|c| c.tag_name().name() == name)
        .collect()
}

fn text_of<'a>(n: roxmltree::Node<'a, '_>, name: &str) -> Option<&'a str> {
    n.children()
        .find(|c| c.tag_name().name() == name)
        .and_then(|c| c.text())
}

#[test]
fn the_feeds_carry_the_articles_text_and_each_topic_has_its_own() {
    let built = sample();
    // RSS 2.0: the same entries as the Atom feed, newest first.
    let rss_text = built.read("rss.xml");
    let rss = roxmltree::Document::parse(&rss_text).unwrap_or_else(|e| panic!("rss.xml: {e}"));
    assert_eq!(rss.root_element().attribute("version"), Some("2.0"));
    let channel = children(rss.root_element(), "channel")[0];
    let items = children(channel, "item");
    let atom_text = built.read("feed.xml");
    let atom = roxmltree::Document::parse(&atom_text).unwrap_or_else(|e| panic!("feed.xml: {e}"));
    let entries = children(atom.root_element(), "entry");
    assert_eq!(items.len(), entries.len());
    assert!(!items.is_empty());
    let mut previous: Option<chrono::DateTime<chrono::FixedOffset>> = None;
    for (item, entry) in items.iter().zip(&entries) {
        let link = text_of(*item, "link").unwrap_or_default();
        assert!(link.starts_with(BASE), "{link}");
        assert_eq!(Some(link), text_of(*entry, "id"));
        let date = text_of(*item, "pubDate").unwrap_or_default();
        let date = chrono::DateTime::parse_from_rfc2822(date)
            .unwrap_or_else(|e| panic!("pubDate {date}: {e}"));
        assert!(previous.is_none_or(|p| p >= date), "newest first");
        previous = Some(date);
        // An article carries its text, its links absolute.
        if link.contains("/tin-tuc/") {
            let content = item
                .children()
                .find(|c| c.tag_name().name() == "encoded")
                .and_then(|c| c.text())
                .unwrap_or_else(|| panic!("{link}: no content:encoded"));
            assert!(content.contains("<p>"), "{link}");
            assert!(
                !content.contains("href=\"../"),
                "{link}: relative link in {content}"
            );
            let atom_content = text_of(*entry, "content").unwrap_or_default();
            assert_eq!(atom_content, content, "{link}: the same text in both feeds");
        }
    }
    // A topic's feed: its articles only, every one of them up to 20.
    let tag_page =
        regex::Regex::new(r"^chu-de/([^/]+)/index\.html$").unwrap_or_else(|e| panic!("{e}"));
    let mut topics = 0;
    for path in built.files.keys().filter(|p| tag_page.is_match(p)) {
        topics += 1;
        let dir = path.trim_end_matches("index.html");
        let page = built.read(path);
        assert!(
            page.contains(r#"type="application/atom+xml" title="#),
            "{path}"
        );
        let feed = built.read(&format!("{dir}feed.xml"));
        let doc = roxmltree::Document::parse(&feed).unwrap_or_else(|e| panic!("{dir}: {e}"));
        let linked: Vec<String> = children(doc.root_element(), "entry")
            .iter()
            .filter_map(|e| text_of(*e, "id"))
            .map(|id| format!("{}index.html", id.trim_start_matches(BASE)))
            .collect();
        let count = page.matches("class=\"article-item\"").count();
        assert_eq!(linked.len(), count.min(20), "{dir}feed.xml: {linked:?}");
        for l in &linked {
            let article = built.read(l);
            assert!(
                article.contains(&format!("../../{dir}index.html\"")),
                "{l} is not in {dir}"
            );
        }
    }
    assert!(topics > 5, "{topics} topics");
}

#[test]
fn the_sitemap_dates_each_page_by_its_content() {
    let built = sample();
    let text = built.read("sitemap.xml");
    let doc = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{e}"));
    let dates: BTreeMap<String, String> = children(doc.root_element(), "url")
        .iter()
        .map(|u| {
            (
                text_of(*u, "loc")
                    .unwrap_or_default()
                    .trim_start_matches(BASE)
                    .to_owned(),
                text_of(*u, "lastmod")
                    .unwrap_or_else(|| panic!("no lastmod"))
                    .to_owned(),
            )
        })
        .collect();
    // By hand: the article of 14/07/2026 10:40; quý II/2025 reported on
    // 08/07/2025 (results/2025/q2.yaml); the home page, the newest date of
    // the site: quý III/2026 reported on 07/10/2026.
    assert_eq!(
        dates["tin-tuc/6-thang-dau-nam-2026-toan-tinh-ket-nap-632-dang-vien-moi/"],
        "2026-07-14"
    );
    assert_eq!(dates["ban-tin/2025/quy-2/"], "2025-07-08");
    assert_eq!(dates["thong-ke/2025/quy-2/"], "2025-07-08");
    assert_eq!(
        dates["thong-ke/2025/"], "2026-01-12",
        "the year's last report"
    );
    assert_eq!(dates[""], "2026-10-07");
}

#[test]
fn every_page_shares_with_a_picture_and_news_pages_say_what_they_are() {
    let built = sample();
    let og = regex::Regex::new(r#"<meta property="og:image" content="([^"]+)">"#)
        .unwrap_or_else(|e| panic!("{e}"));
    let ld = regex::Regex::new(r#"(?s)<script type="application/ld\+json">(.*?)</script>"#)
        .unwrap_or_else(|e| panic!("{e}"));
    let bulletin =
        regex::Regex::new(r"^ban-tin/\d{4}/quy-\d/index\.html$").unwrap_or_else(|e| panic!("{e}"));
    let mut news = 0;
    for (path, _) in built.files.iter().filter(|(p, _)| p.ends_with(".html")) {
        let html = built.read(path);
        let image = og
            .captures(&html)
            .map(|c| c[1].to_owned())
            .unwrap_or_else(|| panic!("{path}: no og:image"));
        let file = image
            .strip_prefix(BASE)
            .unwrap_or_else(|| panic!("{path}: {image} is not on the site"));
        assert!(
            built.files.contains_key(file),
            "{path}: {file} is not published"
        );
        assert!(
            !file.ends_with(".svg"),
            "{path}: social networks show no SVG"
        );
        assert!(html.contains(r#"<meta name="twitter:card" content="summary_large_image">"#));
        let is_news = path.starts_with("tin-tuc/")
            && !path.contains("trang-")
            && path != "tin-tuc/index.html"
            || bulletin.is_match(path);
        match ld.captures(&html) {
            Some(c) => {
                assert!(is_news, "{path}: structured data on a page that is no news");
                news += 1;
                let data: serde_json::Value =
                    serde_json::from_str(&c[1]).unwrap_or_else(|e| panic!("{path}: {e}"));
                assert_eq!(data["@type"], "NewsArticle");
                let h1 = common::text_of(&html, "h1.page-title");
                assert_eq!(data["headline"], h1.as_str(), "{path}");
                assert_eq!(data["image"][0], image.as_str());
                assert!(
                    data["datePublished"]
                        .as_str()
                        .is_some_and(|d| chrono::DateTime::parse_from_rfc3339(d).is_ok())
                );
                // Shared by plain links: Facebook, Zalo, the address itself.
                let page = data["mainEntityOfPage"].as_str().unwrap_or_default();
                let encoded = page.replace(':', "%3A").replace('/', "%2F");
                for link in [
                    format!("https://www.facebook.com/sharer/sharer.php?u={encoded}\""),
                    format!("https://sp.zalo.me/share_inline?url={encoded}\""),
                    format!("href=\"{page}\" class=\"copy-link\""),
                ] {
                    assert!(html.contains(&link), "{path}: no {link}");
                }
            }
            None => assert!(!is_news, "{path}: no structured data"),
        }
    }
    assert_eq!(news, 27 + 16, "27 bulletins and 16 articles");
}
