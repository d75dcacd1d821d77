//! The published site: figures equal hand-computed values, every link and
//! resource resolves, every page is reachable and parses without errors,
//! templates can be overridden, one bulletin is kept as a snapshot. Every
//! site here is built in this process, into memory.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::fs;
use std::path::Path;

use scraper::{Html, Selector};

use crate::common::{self, Built, copy_tree, fixtures, site_with, text_of};

/// Builds the base fixture.
fn built_base() -> Built {
    let site = site_with(None);
    let built = common::build(site.path(), false);
    built.assert_built();
    built
}

#[test]
fn bulletin_figures_equal_hand_computed_values() {
    let out = built_base();
    let q2 = text_of(&out.read("ban-tin/2024/quy-2/index.html"), ".bulletin-text");
    for expected in [
        // Q2: 9 + 50 = 59; Q2/2023: 40 + 12 = 52 → +13,46% → 13,5%. H1: 33
        // + 59 = 92 of 160 = 57,5%.
        "Quý II/2024, toàn Đảng bộ tỉnh kết nạp 59 đảng viên mới, tăng 13,5% so với cùng kỳ năm 2023; \
         tính chung 6 tháng đầu năm 2024 kết nạp 92 đảng viên, đạt 57,5% chỉ tiêu năm (160 đảng viên) \
         theo Kế hoạch số 12-KH/TU, ngày 20/01/2024 của Ban Thường vụ Tỉnh ủy.",
        // 160 − 92 = 68, over the two quarters left: 34 each.
        "Còn 68 đảng viên nữa để hoàn thành chỉ tiêu năm, bình quân mỗi quý còn lại cần kết nạp 34 đảng viên.",
        // 92 / (3.100 + 1.030) = 2,23% → 2,2%
        "Tỷ lệ kết nạp từ đầu năm đạt 2,2% so với tổng số đảng viên đầu năm (mục tiêu cả năm: 3–4%).",
        // Bắc Sơn 20 + 50 = 70 / 110 = 63,64% → 63,6%; Ân Thịnh 8 + 9 = 17 / 40 = 42,5%
        "Từ đầu năm, dẫn đầu về tỷ lệ đạt chỉ tiêu là Đảng bộ xã Bắc Sơn (70/110 đảng viên, đạt 63,6%), \
         tiếp đến là Đảng bộ xã Ân Thịnh (17/40 đảng viên, đạt 42,5%); cả hai đơn vị đều kết nạp được đảng viên mới.",
        // women (14 + 3 + 25) = 42 of 92 = 45,65% → 45,7%
        "Trong số 92 đảng viên mới kết nạp từ đầu năm, nữ chiếm 45,7%",
        // classes 2 + 1 of 1 + 2 + 3 planned: 3/6 = 50,0%
        "Từ đầu năm, các cấp ủy mở được 3/6 lớp bồi dưỡng nhận thức về Đảng, đạt 50,0% kế hoạch năm",
        "Tính đến ngày 30/06/2024, toàn Đảng bộ tỉnh có 4.203 đảng viên.",
    ] {
        let expected = expected.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(q2.contains(&expected), "missing «{expected}» in:\n{q2}");
    }
    // Each fact once: the members at the end are said once.
    assert_eq!(q2.matches("4.203").count(), 1, "{q2}");
    // No previous year: no growth sentence. One unit admitted no one.
    let q1_2023 = text_of(&out.read("ban-tin/2023/quy-1/index.html"), ".bulletin-text");
    assert!(!q1_2023.contains("cùng kỳ"), "{q1_2023}");
    assert!(
        q1_2023.contains("còn 1 đơn vị chưa kết nạp được đảng viên nào: Đảng bộ xã Ân Thịnh."),
        "{q1_2023}"
    );
    // A unit dissolved mid-quarter, and its successor, told once.
    let q1_2024 = text_of(&out.read("ban-tin/2024/quy-1/index.html"), ".bulletin-text");
    assert!(
        q1_2024.contains("Về tổ chức, ngày 31/01/2024, Đảng bộ huyện Ngân Sơn kết thúc hoạt động; đảng viên chuyển về Đảng bộ xã Bắc Sơn, thành lập từ ngày 01/02/2024."),
        "{q1_2024}"
    );
    // Members at 31/03/2024 count only units active then: 1.035 + 3.118.
    assert!(q1_2024.contains("có 4.153 đảng viên"), "{q1_2024}");
    // The whole year 2023: 162 / 160 = 101,25% → 101,3%, above the quota;
    // 162 / (3.000 + 1.000) = 4,05% → 4,1%, above 3–4%. Ngân Sơn 125/120
    // reached its quota, Ân Thịnh 37/40 not.
    let q4 = text_of(&out.read("ban-tin/2023/quy-4/index.html"), ".bulletin-text");
    for expected in [
        "tính chung cả năm 2023 kết nạp 162 đảng viên, đạt 101,3% chỉ tiêu năm (160 đảng viên)",
        "của Ban Thường vụ Tỉnh ủy, vượt chỉ tiêu đề ra.",
        "Tỷ lệ kết nạp cả năm đạt 4,1% so với tổng số đảng viên đầu năm, vượt mục tiêu 3–4%.",
        "Cả năm có 1/2 đơn vị hoàn thành chỉ tiêu năm.",
    ] {
        assert!(q4.contains(expected), "missing «{expected}» in:\n{q4}");
    }
}

/// Row cells of the statistics table, by unit name.
fn table_rows(html: &str) -> BTreeMap<String, Vec<String>> {
    let doc = Html::parse_document(html);
    let row_sel =
        Selector::parse("table.data:not(.ranking) tr").unwrap_or_else(|e| panic!("{e:?}"));
    let th = Selector::parse("th").unwrap_or_else(|e| panic!("{e:?}"));
    let td = Selector::parse("td").unwrap_or_else(|e| panic!("{e:?}"));
    let mut out = BTreeMap::new();
    for row in doc.select(&row_sel) {
        let Some(head) = row.select(&th).next() else {
            continue;
        };
        let name = head
            .text()
            .collect::<String>()
            .split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ");
        let cells = row
            .select(&td)
            .map(|c| c.text().collect::<String>().trim().to_owned())
            .collect();
        out.insert(name, cells);
    }
    out
}

#[test]
fn statistics_table_csv_and_json_agree_with_hand_computed_values() {
    let out = built_base();
    let page = out.read("thong-ke/2024/quy-2/index.html");
    // The table has every figure the CSV has, the removed and the trainees
    // too: STT, name, then the 16 figures of a quarter.
    let doc = scraper::Html::parse_document(&page);
    let th = scraper::Selector::parse("table.data:not(.ranking) > thead th")
        .unwrap_or_else(|e| panic!("{e:?}"));
    let headings: Vec<String> = doc
        .select(&th)
        .map(|h| {
            h.text()
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    assert_eq!(headings.len(), 18, "{headings:?}");
    for label in [
        "Đưa ra khỏi Đảng",
        "Số học viên",
        "Số lớp bồi dưỡng",
        "Đảng viên cuối kỳ",
    ] {
        assert!(
            headings.iter().any(|h| h == label),
            "no column {label:?} in {headings:?}"
        );
    }
    let rows = table_rows(&page);
    // Columns: STT, quota, quarter, cumulative, share, rate, women, ...
    let an_thinh = &rows["Ân Thịnh"];
    assert_eq!(
        &an_thinh[1..6],
        ["40", "9", "17", "42,5%", "1,7%"],
        "{an_thinh:?}"
    );
    let ngan_son = rows
        .iter()
        .find(|(k, _)| k.starts_with("Ngân Sơn"))
        .map(|(_, v)| v);
    // Dissolved in January: no quarter figures, its January in the cumulative.
    assert_eq!(
        ngan_son.map(|r| r[1..6].to_vec()),
        Some(vec![
            "10".into(),
            "—".into(),
            "5".into(),
            "50,0%".into(),
            "0,2%".into()
        ])
    );
    let total = &rows["Toàn đảng bộ"];
    assert_eq!(
        &total[1..7],
        ["160", "59", "92", "57,5%", "2,2%", "28"],
        "{total:?}"
    );
    assert_eq!(total.last().map(String::as_str), Some("4.203"));

    let csv = out.bytes("thong-ke/2024/quy-2/so-lieu.csv").to_vec();
    assert!(
        csv.starts_with(b"\xEF\xBB\xBF"),
        "CSV starts with a byte-order mark"
    );
    let csv = String::from_utf8(csv).unwrap_or_default();
    let line = csv
        .lines()
        .find(|l| l.starts_with("an-thinh,"))
        .unwrap_or_default()
        .to_owned();
    assert!(
        line.starts_with("an-thinh,Ân Thịnh,,40,9,17,42.5,1.7,3,"),
        "{line}"
    );
    let total_line = csv
        .lines()
        .find(|l| l.starts_with(",Toàn đảng bộ,"))
        .unwrap_or_default()
        .to_owned();
    assert!(
        total_line.starts_with(",Toàn đảng bộ,,160,59,92,57.5,2.2,28,"),
        "{total_line}"
    );

    let json: serde_json::Value =
        serde_json::from_str(&out.read("thong-ke/2024/quy-2/so-lieu.json")).unwrap_or_default();
    let t = &json["total"];
    assert_eq!(t["admitted"], 59);
    assert_eq!(t["cumulative_admitted"], 92);
    assert_eq!(t["quota"], 160);
    assert_eq!(t["share_of_quota_percent"], 57.5);
    assert_eq!(t["growth_percent"], 13.5);
    assert_eq!(t["members"], 4203);
    assert_eq!(t["members_base"], 4130);
    assert_eq!(json["period"]["label"], "quý II/2024");
    assert_eq!(json["plan"]["symbol"], "12-KH/TU");
    let bac_son = json["units"]
        .as_array()
        .and_then(|u| u.iter().find(|x| x["id"] == "xa-bac-son"))
        .cloned();
    assert_eq!(
        bac_son.map(|b| b["share_of_quota_percent"].clone()),
        Some(serde_json::json!(63.6))
    );

    // The year page: cumulative only, the ranking by share.
    let year = out.read("thong-ke/2024/index.html");
    let ranking = text_of(&year, "table.ranking tbody td, table.ranking tbody th");
    assert!(
        ranking.starts_with("1 Bắc Sơn 70 110 63,6% 2 Ngân Sơn 5 10 50,0% 3 Ân Thịnh 17 40 42,5%"),
        "{ranking}"
    );
}

/// Every `href`/`src` of a page: the local targets as written, and the
/// resources loaded from other hosts.
fn targets(html: &str) -> (Vec<String>, Vec<String>) {
    let doc = Html::parse_document(html);
    let sel = Selector::parse("[href], [src]").unwrap_or_else(|e| panic!("{e:?}"));
    let mut local = Vec::new();
    let mut foreign = Vec::new();
    for el in doc.select(&sel) {
        let v = el.value();
        let is_resource =
            v.attr("src").is_some() || (v.name() == "link" && v.attr("rel") == Some("stylesheet"));
        let Some(target) = v.attr("href").or(v.attr("src")) else {
            continue;
        };
        if target.starts_with('#') {
            continue;
        }
        if target.contains("://") || target.starts_with("//") || target.starts_with("mailto:") {
            let rel = v.attr("rel").unwrap_or("");
            if is_resource && !matches!(rel, "canonical" | "alternate") {
                foreign.push(target.to_owned());
            }
            continue;
        }
        let path = target.split(['#', '?']).next().unwrap_or(target);
        local.push(path.to_owned());
    }
    (local, foreign)
}

/// `target`, written in the page at `page` (a path of the output folder),
/// as a path of the output folder; `None` when it leaves the folder or
/// starts from the root of the server (a site opened from disk has none).
fn resolve(page: &str, target: &str) -> Option<String> {
    if target.starts_with('/') {
        return None;
    }
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    for part in target.split('/') {
        match part {
            "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

#[test]
fn resolving_a_link_follows_the_folders() {
    assert_eq!(
        resolve("tin-tuc/a/index.html", "../b/index.html").as_deref(),
        Some("tin-tuc/b/index.html")
    );
    assert_eq!(
        resolve("index.html", "./tin-tuc/index.html").as_deref(),
        Some("tin-tuc/index.html")
    );
    // A folder is not a file; nothing is above the output folder.
    assert_eq!(
        resolve("index.html", "tin-tuc/").as_deref(),
        Some("tin-tuc/")
    );
    assert_eq!(resolve("tin-tuc/index.html", "../../x.html"), None);
    assert_eq!(resolve("index.html", "/tin-tuc/index.html"), None);
}

#[test]
fn the_sample_links_resolve_pages_parse_and_all_are_reachable_from_home() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("content"),
        &tmp.path().join("content"),
    );
    let built = common::build(tmp.path(), false);
    built.assert_built();
    let pages: Vec<&String> = built
        .files
        .keys()
        .filter(|p| p.ends_with(".html"))
        .collect();
    assert!(pages.len() > 80, "{} pages", pages.len());
    let mut links: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let mut broken = Vec::new();
    let mut foreign = Vec::new();
    let mut parse_errors = Vec::new();
    for page in &pages {
        // The 404 page's links start from the site's root path (a server
        // returns it for any missing URL); it is checked in the browser test.
        if page.as_str() == "404.html" {
            continue;
        }
        let html = built.read(page);
        let doc = Html::parse_document(&html);
        if !doc.errors.is_empty() {
            parse_errors.push(format!("{page}: {:?}", doc.errors));
        }
        let (local, external) = targets(&html);
        foreign.extend(external.into_iter().map(|f| format!("{page}: {f}")));
        for target in local {
            match resolve(page, &target) {
                Some(t) if built.files.contains_key(&t) => {
                    links.entry(page.as_str()).or_default().push(t);
                }
                _ => broken.push(format!("{page} → {target}")),
            }
        }
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
    assert!(
        foreign.is_empty(),
        "resources from other hosts:\n{}",
        foreign.join("\n")
    );
    assert!(
        parse_errors.is_empty(),
        "HTML parse errors:\n{}",
        parse_errors.join("\n")
    );
    // Everything but the 404 page is reachable by clicking from index.html.
    let mut seen = BTreeSet::new();
    let mut queue = VecDeque::from(["index.html".to_owned()]);
    while let Some(p) = queue.pop_front() {
        if !seen.insert(p.clone()) {
            continue;
        }
        for t in links.get(p.as_str()).into_iter().flatten() {
            if t.ends_with(".html") && !seen.contains(t) {
                queue.push_back(t.clone());
            }
        }
    }
    let unreached: Vec<_> = pages
        .iter()
        .filter(|p| !seen.contains(p.as_str()) && p.as_str() != "404.html")
        .collect();
    assert!(
        unreached.is_empty(),
        "not reachable from the home page: {unreached:?}"
    );
    // Feeds and sitemaps are well-formed XML with absolute links.
    for xml in ["feed.xml", "sitemap.xml"] {
        let text = built.read(xml);
        let doc = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{xml}: {e}"));
        let locs: Vec<&str> = doc
            .descendants()
            .filter_map(|n| match n.tag_name().name() {
                "loc" | "id" => n.text(),
                "link" => n.attribute("href"),
                _ => None,
            })
            .collect();
        assert!(
            !locs.is_empty()
                && locs
                    .iter()
                    .all(|l| l.starts_with("https://bantochuc.vanlinh.example.vn/")),
            "{xml}: {locs:?}"
        );
    }
    // Every chart is well-formed SVG with a title and a description.
    let bulletin = built.read("ban-tin/2025/quy-3/index.html");
    let doc = Html::parse_document(&bulletin);
    let svg = Selector::parse("svg").unwrap_or_else(|e| panic!("{e:?}"));
    let charts: Vec<_> = doc.select(&svg).collect();
    assert_eq!(charts.len(), 2);
    for c in charts {
        let xml = c.html();
        let parsed = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{e}: {xml}"));
        let names: BTreeSet<&str> = parsed
            .root_element()
            .children()
            .map(|n| n.tag_name().name())
            .collect();
        assert!(
            names.contains("title") && names.contains("desc"),
            "{names:?}"
        );
    }
}

#[test]
fn a_site_template_overrides_the_embedded_one() {
    let site = site_with(Some(&fixtures().join("override")));
    let built = common::build(site.path(), false);
    built.assert_built();
    let article = built.read("tin-tuc/xa-bac-son-ket-nap-dang-vien-moi/index.html");
    assert!(
        article.contains(
            "<p class=\"ghi-de\">Mẫu riêng của trang: Xã Bắc Sơn kết nạp đảng viên mới</p>"
        ),
        "{article}"
    );
    // The other templates are still the embedded ones.
    let home = built.read("index.html");
    assert!(home.contains("class=\"site-header\""));
}

#[test]
fn drafts_are_published_only_when_asked() {
    let site = site_with(Some(&fixtures().join("override")));
    let draft = "tin-tuc/ban-nhap-chua-dang/index.html";
    let built = common::build(site.path(), false);
    built.assert_built();
    assert!(!built.files.contains_key(draft));
    let with_drafts = common::build(site.path(), true);
    with_drafts.assert_built();
    assert!(with_drafts.files.contains_key(draft));
}

#[test]
fn one_bulletin_as_a_whole_page() {
    let html = built_base().read("ban-tin/2024/quy-1/index.html");
    insta::assert_snapshot!("bulletin_2024_q1", html);
}

/// Footnotes labelled like the page's own ids (`noi-dung` is the skip
/// link's target), and a heading written like them, get ids of their own:
/// every id on the article page is unique, every `#` link has its target,
/// and each note links back to its first reference.
#[test]
fn footnote_ids_never_repeat_the_pages_own() {
    let site = site_with(None);
    let article = site
        .path()
        .join("content/articles/2024/xa-bac-son-ket-nap-dang-vien-moi.md");
    let mut text = fs::read_to_string(&article).unwrap_or_else(|e| panic!("{e}"));
    text.push_str(
        "\nTheo báo cáo[^noi-dung], quý I[^tin-lien-quan] đạt kế hoạch[^noi-dung].\n\n\
         ## Nội dung\n\n\
         [^noi-dung]: Báo cáo của Ban Tổ chức.\n\
         [^tin-lien-quan]: Số liệu sơ bộ.\n",
    );
    fs::write(&article, text).unwrap_or_else(|e| panic!("{e}"));
    let built = common::build(site.path(), false);
    built.assert_built();
    let html = built.read("tin-tuc/xa-bac-son-ket-nap-dang-vien-moi/index.html");
    let doc = Html::parse_document(&html);
    let with_id = Selector::parse("[id]").unwrap_or_else(|e| panic!("{e:?}"));
    let mut ids: BTreeMap<String, usize> = BTreeMap::new();
    for el in doc.select(&with_id) {
        if let Some(id) = el.value().attr("id") {
            *ids.entry(id.to_owned()).or_default() += 1;
        }
    }
    let repeated: Vec<_> = ids.iter().filter(|(_, n)| **n > 1).collect();
    assert!(repeated.is_empty(), "ids used twice: {repeated:?}");
    for id in [
        "noi-dung",
        "noi-dung-2",
        "fn-noi-dung",
        "fnref-noi-dung",
        "fnref-noi-dung-2",
        "fn-tin-lien-quan",
        "fnref-tin-lien-quan",
    ] {
        assert!(ids.contains_key(id), "no id {id:?} in {ids:?}");
    }
    let anchors = Selector::parse("a[href^='#']").unwrap_or_else(|e| panic!("{e:?}"));
    let mut links = BTreeSet::new();
    for a in doc.select(&anchors) {
        let target = a
            .value()
            .attr("href")
            .unwrap_or("#")
            .trim_start_matches('#');
        assert!(ids.contains_key(target), "#{target} has no target");
        links.insert(target.to_owned());
    }
    for expected in [
        "fn-noi-dung",
        "fnref-noi-dung",
        "fn-tin-lien-quan",
        "fnref-tin-lien-quan",
    ] {
        assert!(
            links.contains(expected),
            "no link to #{expected}: {links:?}"
        );
    }
    // The article's own note [^1] comes first: this one is number 2, as
    // its first reference, and links back to it; so does the second
    // reference, with an id of its own.
    assert!(
        html.contains(
            "<sup class=\"footnote-reference\" id=\"fnref-noi-dung\"><a href=\"#fn-noi-dung\">2</a></sup>"
        ) && html.contains(
            "<sup class=\"footnote-reference\" id=\"fnref-noi-dung-2\"><a href=\"#fn-noi-dung\">2</a></sup>"
        ) && html.contains(
            "<div class=\"footnote-definition\" id=\"fn-noi-dung\"><sup class=\"footnote-definition-label\"><a href=\"#fnref-noi-dung\">2</a></sup>"
        ),
        "{html}"
    );
}

#[test]
fn an_article_dated_without_a_time_shows_the_date_alone() {
    let site = common::fixture_edited(
        "base",
        "content/articles/2024/xa-bac-son-ket-nap-dang-vien-moi.md",
        |t| t.replace("date: 2024-04-03T08:00:00+07:00", "date: 2024-04-03"),
    );
    let built = common::build(site.path(), false);
    built.assert_built();
    let page = built.read("tin-tuc/xa-bac-son-ket-nap-dang-vien-moi/index.html");
    assert!(
        page.contains(r#"<time datetime="2024-04-03">03/04/2024</time>"#),
        "{}",
        common::text_of(&page, ".meta")
    );
    assert!(!page.contains("00:00, 03/04/2024"));
    // The other article keeps its time.
    let other = built.read("tin-tuc/ngan-son-chu-trong-phat-trien-dang-vien/index.html");
    assert!(other.contains("09:31, 19/05/2023"));
}
