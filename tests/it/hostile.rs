//! A site whose every text field carries script-injection payloads (site
//! title, unit names, plan titles, tasks and bases, editorial Markdown, raw
//! HTML in bodies, article titles, authors, sources, tags, captions, link
//! URLs) builds, and no payload survives live in any output: HTML, SVG,
//! feed, sitemap, JSON, the search index. CSV cells cannot become formulas.
//! File names: every name a disk holds is published and linked so that it
//! opens; names a disk refuses, or that would act on a terminal, are named
//! in diagnostics, escaped. Sites are built in this process, into memory;
//! what reaches a terminal is checked on the binary's own stderr.

use std::fs;
use std::path::{Path, PathBuf};

use bantin::diagnostic::acts_on_terminal;
use scraper::{Html, Selector};

use crate::common::{self, bantin, fixtures, site_with, stderr, tree};

/// Scripts a page may load: the theme's own, nothing inline.
const OUR_SCRIPTS: [&str; 3] = [
    "assets/bantin.js",
    "assets/tim-kiem.js",
    "tim-kiem/chi-muc/muc-luc.js",
];
/// Elements that have no business in a published page.
const FORBIDDEN: [&str; 9] = [
    "iframe",
    "object",
    "embed",
    "frame",
    "applet",
    "base",
    "style",
    "math",
    "foreignobject",
];
const URL_ATTRIBUTES: [&str; 7] = [
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "poster",
    "srcset",
];

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, out);
        } else {
            out.push(p);
        }
    }
}

fn bad_url(value: &str) -> bool {
    let squashed: String = value
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    squashed.starts_with("javascript:")
        || squashed.starts_with("data:")
        || squashed.starts_with("vbscript:")
}

/// Every problem of one HTML document (a page, or an inline SVG).
fn live_markup(doc: &Html, where_: &str, problems: &mut Vec<String>) {
    let all = Selector::parse("*").unwrap_or_else(|e| panic!("{e:?}"));
    for el in doc.select(&all) {
        let v = el.value();
        let name = v.name().to_ascii_lowercase();
        if FORBIDDEN.contains(&name.as_str()) {
            problems.push(format!("{where_}: <{name}> element"));
        }
        if name == "script" {
            let src = v.attr("src").unwrap_or("");
            let ours = OUR_SCRIPTS.iter().any(|s| src.ends_with(s)) && !src.contains("://");
            // Structured data (JSON-LD) is data, not a program: it must be
            // one JSON value, which no payload can turn into code.
            let data = v.attr("type") == Some("application/ld+json")
                && src.is_empty()
                && serde_json::from_str::<serde_json::Value>(&el.text().collect::<String>())
                    .is_ok();
            if !data && (!ours || el.text().any(|t| !t.trim().is_empty())) {
                problems.push(format!("{where_}: script {src:?}"));
            }
        }
        if name == "meta" && v.attr("http-equiv").is_some() {
            problems.push(format!("{where_}: <meta http-equiv>"));
        }
        for (attr, value) in v.attrs() {
            let attr = attr.to_ascii_lowercase();
            if attr.starts_with("on") {
                problems.push(format!("{where_}: <{name} {attr}>"));
            }
            // Markdown tables align columns with this style, and only this.
            let alignment = matches!(
                value,
                "text-align: left" | "text-align: center" | "text-align: right"
            );
            if attr == "style" && !alignment {
                problems.push(format!("{where_}: <{name} style={value:?}>"));
            }
            if URL_ATTRIBUTES.contains(&attr.as_str()) && bad_url(value) {
                problems.push(format!("{where_}: <{name} {attr}={value:?}>"));
            }
            if name == "img" && attr == "src" && (value.contains("://") || value.starts_with("//"))
            {
                problems.push(format!("{where_}: image from another host {value:?}"));
            }
        }
    }
}

/// Splits one CSV line into cells (RFC 4180 quoting).
fn csv_cells(line: &str) -> Vec<String> {
    let mut cells = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                cell.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => cells.push(std::mem::take(&mut cell)),
            (c, _) => cell.push(c),
        }
    }
    cells.push(cell);
    cells
}

#[test]
fn no_payload_survives_live_in_any_output() {
    let site = site_with(Some(&fixtures().join("hostile")));
    let sources_before = tree(&site.path().join("content"));
    let built = common::build(site.path(), false);
    built.assert_built();
    assert_eq!(
        sources_before,
        tree(&site.path().join("content")),
        "the build changed its sources"
    );
    let mut problems = Vec::new();
    let (mut pages, mut csvs, mut jsons, mut xmls) = (0, 0, 0, 0);
    for (rel, bytes) in &built.files {
        let text = || String::from_utf8_lossy(bytes).into_owned();
        let ext = Path::new(rel)
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("");
        match ext {
            "html" => {
                pages += 1;
                let html = text();
                let doc = Html::parse_document(&html);
                live_markup(&doc, rel, &mut problems);
                // Template syntax in content is text, never evaluated.
                if html.contains("{{ 7*7 }}") && html.contains(">49<") {
                    problems.push(format!("{rel}: template syntax evaluated"));
                }
            }
            "xml" => {
                xmls += 1;
                let text = text();
                match roxmltree::Document::parse(&text) {
                    Ok(doc) => {
                        for n in doc.descendants().filter(|n| n.is_element()) {
                            let name = n.tag_name().name();
                            if !matches!(
                                name,
                                "feed"
                                    | "title"
                                    | "subtitle"
                                    | "link"
                                    | "id"
                                    | "updated"
                                    | "author"
                                    | "name"
                                    | "entry"
                                    | "published"
                                    | "summary"
                                    | "urlset"
                                    | "url"
                                    | "loc"
                                    | "lastmod"
                                    | "sitemapindex"
                                    | "sitemap"
                                    | "category"
                                    | "content"
                                    | "rss"
                                    | "channel"
                                    | "description"
                                    | "language"
                                    | "lastBuildDate"
                                    | "item"
                                    | "guid"
                                    | "pubDate"
                                    | "creator"
                                    | "encoded"
                            ) {
                                problems.push(format!("{rel}: unexpected XML element <{name}>"));
                            }
                            // An article's text in a feed is HTML a reader shows.
                            if matches!(name, "content" | "encoded") {
                                // Its links are absolute, to the site itself.
                                let text = n
                                    .text()
                                    .unwrap_or("")
                                    .replace("https://vi-du.example.vn/", "/");
                                let html = Html::parse_fragment(&text);
                                live_markup(&html, &format!("{rel} <{name}>"), &mut problems);
                            }
                        }
                    }
                    Err(e) => problems.push(format!("{rel}: not well-formed XML: {e}")),
                }
            }
            "json" => {
                jsons += 1;
                let text = text();
                if serde_json::from_str::<serde_json::Value>(&text).is_err() {
                    problems.push(format!("{rel}: not JSON"));
                }
            }
            // The search index: one call around JSON, which holds the
            // payloads as strings (docs/chi-muc-tim-kiem.md).
            "js" if rel.starts_with("tim-kiem/chi-muc/") => {
                let text = text();
                let json = text
                    .strip_prefix("window.BANTIN_CHI_MUC = ")
                    .and_then(|t| t.strip_suffix(";\n"))
                    .or_else(|| {
                        let call = text.strip_prefix("BANTIN_CHI_MUC_NAP(")?;
                        let (_, rest) = call.split_once(',')?;
                        let (_, rest) = rest.split_once(',')?;
                        let (_, rest) = rest.split_once(',')?;
                        rest.strip_suffix(");\n")
                    });
                if json.is_none_or(|j| serde_json::from_str::<serde_json::Value>(j).is_err()) {
                    problems.push(format!("{rel}: not one call around JSON"));
                }
            }
            "csv" => {
                csvs += 1;
                let text = text();
                for (n, line) in text.lines().enumerate().skip(1) {
                    for cell in csv_cells(line) {
                        let numeric = cell.parse::<f64>().is_ok();
                        if !numeric && cell.starts_with(['=', '+', '-', '@']) {
                            problems.push(format!("{rel}:{}: formula cell {cell:?}", n + 1));
                        }
                    }
                }
            }
            _ => {}
        }
    }
    assert!(
        pages > 30 && csvs > 5 && jsons > 5 && xmls >= 2,
        "{pages} pages, {csvs} csv, {jsons} json, {xmls} xml"
    );
    assert!(
        problems.is_empty(),
        "{} live payloads:\n{}",
        problems.len(),
        problems.join("\n")
    );
    // The payloads are shown, as text, where they were written.
    let home = built.read("index.html");
    assert!(
        home.contains("&lt;script&gt;alert(&quot;xss-1&quot;)&lt;/script&gt;"),
        "the site title is shown escaped"
    );
    assert!(
        home.contains("{{ 7*7 }}"),
        "template syntax in content is shown as written"
    );
    let csv = built.read("thong-ke/2023/quy-1/so-lieu.csv");
    assert!(
        csv.contains("\"'=HYPERLINK(\"\"https://evil.example\"\",\"\"bấm\"\")\""),
        "{csv}"
    );
    assert!(
        csv.contains(",'-Bắc Sơn ") || !csv.contains("Bắc Sơn"),
        "a leading '-' is neutralised"
    );
    crate::common::record_count("payloads tried", payloads_tried());
}

/// How many payload placements the hostile fixture carries.
fn payloads_tried() -> usize {
    let mut all = Vec::new();
    files(&fixtures().join("hostile"), &mut all);
    let markers = [
        "<script",
        "onerror",
        "onmouseover",
        "onclick",
        "onload",
        "javascript:",
        "JaVaScRiPt:",
        "data:",
        "vbscript:",
        "<iframe",
        "<style",
        "{{",
        "=HYPERLINK",
        "]]>",
        "<svg",
        "<object",
        "<embed",
        "<math",
        "http-equiv",
    ];
    all.iter()
        .map(|p| {
            let text = fs::read_to_string(p).unwrap_or_default();
            markers
                .iter()
                .map(|m| text.matches(m).count())
                .sum::<usize>()
        })
        .sum::<usize>()
        + PUBLISHED_NAMES.len()
        + REFUSED_NAMES.len()
        + COLLIDING_NAMES.len()
        + ACTIVE_FILES.len()
}

/// File names that every disk holds (Windows, macOS, Linux, FAT and exFAT):
/// each must be published and linked so that the link opens it. Pairs of
/// (name on disk, name published): a decomposed Vietnamese name (NFD, as
/// older Macs store it) is published composed (NFC), as every text is.
const PUBLISHED_NAMES: &[(&str, &str)] = &[
    ("co dau cach.png", "co dau cach.png"),
    ("c#1.png", "c#1.png"),
    ("d%23e.png", "d%23e.png"),
    ("100%.png", "100%.png"),
    ("a&b.png", "a&b.png"),
    ("a&amp;b.png", "a&amp;b.png"),
    ("a+b.png", "a+b.png"),
    ("a;b.png", "a;b.png"),
    ("a=b.png", "a=b.png"),
    ("a,b.png", "a,b.png"),
    ("it's.png", "it's.png"),
    ("anh (1).png", "anh (1).png"),
    ("anh[2].png", "anh[2].png"),
    ("anh{3}.png", "anh{3}.png"),
    ("~a~b.png", "~a~b.png"),
    ("a!.png", "a!.png"),
    ("a@b.png", "a@b.png"),
    ("a$b.png", "a$b.png"),
    ("a^b.png", "a^b.png"),
    ("a`b.png", "a`b.png"),
    ("-a_b.c.png", "-a_b.c.png"),
    ("ảnh đẹp.png", "ảnh đẹp.png"),
    // h, o + U+0302 + U+0323, i, space, n, g, h, i + U+0323: NFD
    ("ho\u{302}\u{323}i nghi\u{323}.png", "hội nghị.png"),
    ("ĐẢNG.png", "ĐẢNG.png"),
    ("😀.png", "😀.png"),
    ("👨\u{200D}👩\u{200D}👧.png", "👨\u{200D}👩\u{200D}👧.png"),
    ("日本語.png", "日本語.png"),
    ("thư mục #1/ảnh.png", "thư mục #1/ảnh.png"),
];

/// File names some disk refuses, or that hide what they are: each is
/// refused with E108 once (no second "không có tệp" for links to it), the
/// message naming the character, the hint saying what to do.
const REFUSED_NAMES: &[(&str, &str, &str)] = &[
    // (name, in the message, in the hint)
    ("a?b.png", "'?'", "thay '?' bằng '-'"),
    ("a*b.png", "'*'", "thay '*' bằng '-'"),
    ("a<b.png", "'<'", "thay '<' bằng '-'"),
    ("a>b.png", "'>'", "thay '>' bằng '-'"),
    ("a:b.png", "':'", "thay ':' bằng '-'"),
    ("a\"b.png", "'\"'", "thay '\"' bằng '-'"),
    ("a|b.png", "'|'", "thay '|' bằng '-'"),
    ("a\\b.png", "'\\'", "thay '\\' bằng '-'"),
    ("hỏi?.png", "'?'", "thay '?' bằng '-'"),
    ("a.png.", "dấu chấm", "bỏ dấu chấm ở cuối tên"),
    ("a.png ", "dấu cách", "bỏ dấu cách ở cuối tên"),
    ("con.png", "tên dành riêng của Windows", "đổi tên tệp"),
    ("LPT1.png", "tên dành riêng của Windows", "đổi tên tệp"),
    ("anh\u{202E}gnp.exe", "U+202E", "gõ lại tên bằng tay"),
    ("a\u{200B}b.png", "U+200B", "gõ lại tên bằng tay"),
    ("a\u{1B}b.png", "U+001B", "bỏ ký tự đó"),
];

/// Pairs of published names that are one name on a disk that ignores case
/// or normalisation.
const COLLIDING_NAMES: &[(&str, &str)] = &[
    ("media/2024/Anh.png", "media/2024/anh.png"),
    ("media/2024/ĐẢNG.png", "media/2024/đảng.png"),
    // ả composed (U+1EA3), and a + U+0309
    ("media/2024/\u{1EA3}nh.png", "media/2024/a\u{309}nh.png"),
    ("media/Nam2025/a.png", "media/nam2025/b.png"),
];

/// Drawings and pages copied as they are, and what W508 must name in them.
const ACTIVE_FILES: &[(&str, &str, &str)] = &[
    (
        "media/2024/a.svg",
        "<svg><script>alert(1)</script></svg>",
        "thẻ <script>",
    ),
    ("media/2024/b.svg", "<svg onload=\"alert(1)\"/>", "'onload'"),
    (
        "media/2024/c.svg",
        "<svg><a xlink:href=\"java&#x73;cript:alert(1)\"><text>x</text></a></svg>",
        "javascript:",
    ),
    (
        "media/2024/d.svg",
        "<svg><foreignObject><iframe src=\"x\"/></foreignObject></svg>",
        "thẻ <foreignobject>",
    ),
    (
        "media/2024/e.SVG",
        "<svg>\n<x:script xmlns:x=\"http://www.w3.org/2000/svg\">1</x:script>",
        "thẻ <x:script>",
    ),
    (
        "media/2024/f.html",
        "<p>x</p><img src=x onerror=alert(1)>",
        "'onerror'",
    ),
    (
        "media/2024/g.xml",
        "<?xml-stylesheet type=\"text/xsl\" href=\"x.xsl\"?><a/>",
        "xml-stylesheet",
    ),
    (
        "media/2024/h.xhtml",
        "<html><object data=\"x.swf\"/></html>",
        "thẻ <object>",
    ),
    ("media/2024/i.htm", "<embed src=\"x\">", "thẻ <embed>"),
    (
        "media/2024/j.svg",
        "<svg><animate attributeName=\"href\" to=\"&#106;avascript:alert(1)\"/></svg>",
        "javascript:",
    ),
];

/// A URL path as RFC 3986 writes it: every byte but the unreserved ones
/// as `%XX` (the test's own encoder, to check bantin's).
fn encode(path: &str) -> String {
    let mut out = String::new();
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `%XX` back to bytes; `None` if that is not UTF-8.
fn decode(url: &str) -> Option<String> {
    let bytes = url.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = url.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The output file a relative link from `page` (a path of the output
/// folder) names; `None` when it leaves the folder.
fn target_of(page: &str, href: &str) -> Option<String> {
    let path = href.split(['#', '?']).next()?;
    let decoded = decode(path)?;
    let mut at: Vec<&str> = page.split('/').collect();
    at.pop();
    for part in decoded.split('/') {
        match part {
            ".." => {
                at.pop()?;
            }
            "." | "" => {}
            p => at.push(p),
        }
    }
    Some(at.join("/"))
}

fn write_file(path: &Path, bytes: &[u8]) {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{e}"));
    }
    fs::write(path, bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

/// An article that uses `media_path` as its image (when given) and links
/// to it in its body with each of `links`.
fn article_using(title: &str, slug: &str, image: Option<&str>, links: &[String]) -> String {
    let mut text = format!("---\ntitle: {title}\ndate: 2024-05-01T08:00:00+07:00\nslug: {slug}\n");
    if let Some(path) = image {
        // YAML double quotes: `\` and `"` escaped.
        let quoted = path.replace('\\', "\\\\").replace('"', "\\\"");
        text.push_str(&format!("image: \"{quoted}\"\n"));
    }
    text.push_str("---\nẢnh và tệp đính kèm.\n\n");
    for (i, link) in links.iter().enumerate() {
        text.push_str(&format!("![Ảnh {i}]({link}) [Tải tệp {i}]({link})\n\n"));
    }
    text
}

#[test]
fn every_publishable_file_name_is_linked_so_that_it_opens() {
    let site = site_with(None);
    let png = fs::read(fixtures().join("base/content/media/2023/lop-boi-duong.png"))
        .unwrap_or_else(|e| panic!("{e}"));
    for (i, (on_disk, _)) in PUBLISHED_NAMES.iter().enumerate() {
        let rel = format!("media/2024/{on_disk}");
        write_file(&site.path().join("content").join(&rel), &png);
        // In YAML the file's path as it is; in Markdown a URL: encoded,
        // and also as written inside <...> when nothing in the name has
        // a meaning in a URL.
        let mut links = vec![format!("/{}", encode(&rel))];
        if !on_disk.contains(['#', '%', '&']) {
            links.push(format!("<{rel}>"));
        }
        write_file(
            &site
                .path()
                .join(format!("content/articles/2024/ten-tep-{i}.md")),
            article_using(
                &format!("Tên tệp {i}"),
                &format!("ten-tep-{i}"),
                Some(&rel),
                &links,
            )
            .as_bytes(),
        );
    }
    let built = common::build(site.path(), false);
    built.assert_built();
    assert!(built.printed.is_empty(), "{}", built.text());

    let urls = Selector::parse("img[src], a[href], meta[property='og:image']")
        .unwrap_or_else(|e| panic!("{e:?}"));
    let mut problems = Vec::new();
    for (i, (on_disk, published)) in PUBLISHED_NAMES.iter().enumerate() {
        let file = format!("media/2024/{published}");
        if built.files.get(&file) != Some(&png) {
            problems.push(format!("{on_disk:?}: not published as {file}"));
        }
        if on_disk != published && built.files.contains_key(&format!("media/2024/{on_disk}")) {
            problems.push(format!("{on_disk:?}: also published under its NFD name"));
        }
        let page = format!("tin-tuc/ten-tep-{i}/index.html");
        let doc = Html::parse_document(&built.read(&page));
        let mut opened = 0;
        for el in doc.select(&urls) {
            let v = el.value();
            let url = v
                .attr("src")
                .or(v.attr("href"))
                .or(v.attr("content"))
                .unwrap_or("");
            let target = match url.strip_prefix("https://vi-du.example.vn/") {
                Some(absolute) => decode(absolute.split('#').next().unwrap_or("")),
                None if url.contains("://") || url.starts_with('#') => continue,
                None => target_of(&page, url),
            };
            if !url.contains("media/") {
                continue;
            }
            // Only the unreserved characters and %XX: nothing a browser or
            // a server would read another way.
            if url
                .bytes()
                .any(|b| !(b.is_ascii_alphanumeric() || b"-._~/%:".contains(&b)))
            {
                problems.push(format!("{on_disk:?}: {url:?} is not fully encoded"));
            }
            match target {
                Some(t) if t == file => opened += 1,
                _ => problems.push(format!("{on_disk:?}: {url:?} does not open {file}")),
            }
        }
        // The lead image, og:image, and two links per Markdown form.
        let forms = if on_disk.contains(['#', '%', '&']) {
            1
        } else {
            2
        };
        if opened != 2 + 2 * forms {
            problems.push(format!(
                "{on_disk:?}: {opened} links open it, {} expected",
                2 + 2 * forms
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn names_that_cannot_be_published_are_refused_once_naming_the_character() {
    let site = site_with(None);
    for (i, (name, _, _)) in REFUSED_NAMES.iter().enumerate() {
        let rel = format!("media/2024/{name}");
        write_file(&site.path().join("content").join(&rel), b"\x89PNG");
        // A control character cannot be written in a YAML value at all.
        let image = (!name.contains('\u{1B}')).then_some(rel.as_str());
        let links = [format!("/{}", encode(&rel)), format!("/{rel}")];
        write_file(
            &site
                .path()
                .join(format!("content/articles/2024/tu-choi-{i}.md")),
            article_using(
                &format!("Từ chối {i}"),
                &format!("tu-choi-{i}"),
                image,
                &links[..1],
            )
            .as_bytes(),
        );
    }
    // A folder's name is one problem, however many files it holds.
    for name in ["a.png", "b.png"] {
        write_file(
            &site
                .path()
                .join(format!("content/media/2024/bad?dir/{name}")),
            b"\x89PNG",
        );
    }
    write_file(
        &site.path().join("content/articles/2024/thu-muc.md"),
        article_using(
            "Thư mục",
            "thu-muc",
            Some("media/2024/bad?dir/a.png"),
            &["/media/2024/bad%3Fdir/b.png".to_owned()],
        )
        .as_bytes(),
    );
    // The bare `?` form too, where it can be written in Markdown.
    write_file(
        &site.path().join("content/articles/2024/dau-hoi.md"),
        article_using(
            "Dấu hỏi",
            "dau-hoi",
            None,
            &[
                "/media/2024/a?b.png".to_owned(),
                "media/2024/hỏi?.png".to_owned(),
            ],
        )
        .as_bytes(),
    );
    let before = tree(&site.path().join("content"));
    let checked = common::check(site.path());
    let err = checked.text();
    assert!(checked.has_errors, "{err}");
    assert_eq!(before, tree(&site.path().join("content")));
    let errors = checked.errors();
    assert!(
        errors.iter().all(|l| l.contains(": error[E108]: ")),
        "only the names are wrong:\n{err}"
    );
    assert_eq!(
        errors.len(),
        REFUSED_NAMES.len() + 1,
        "one diagnostic per name:\n{err}"
    );
    assert!(
        errors
            .iter()
            .any(|l| l.starts_with("content/media/2024/bad?dir:1:1: error[E108]: tên 'bad?dir'")),
        "{err}"
    );
    for (name, in_message, in_hint) in REFUSED_NAMES {
        let line = errors.iter().find(|l| {
            l.starts_with(&format!(
                "content/media/2024/{}:1:1: error[E108]: ",
                escaped(name)
            ))
        });
        let Some(line) = line else {
            panic!("no E108 for {name:?}:\n{err}");
        };
        let (message, hint) = line.split_once(" — ").unwrap_or((line, ""));
        assert!(message.contains(in_message), "{name:?}: {line}");
        assert!(hint.contains(in_hint), "{name:?}: {line}");
    }
}

#[test]
fn names_one_on_a_disk_that_ignores_case_are_refused_naming_both() {
    let site = site_with(None);
    for (a, b) in COLLIDING_NAMES {
        write_file(&site.path().join("content").join(a), b"\x89PNG a");
        write_file(&site.path().join("content").join(b), b"\x89PNG b");
    }
    let built = common::build(site.path(), false);
    let err = built.text();
    assert!(built.has_errors && built.pages.is_none(), "{err}");
    // Found before rendering: nothing was made to be written.
    assert!(built.files.is_empty(), "nothing is written");
    let errors = built.errors();
    assert_eq!(errors.len(), COLLIDING_NAMES.len(), "{err}");
    for (a, b) in COLLIDING_NAMES {
        // Listed in byte order, the later one is reported, naming the first.
        let (first, later) = if a < b { (a, b) } else { (b, a) };
        let (first, later) = match (
            first.strip_prefix("media/Nam2025/"),
            later.strip_prefix("media/nam2025/"),
        ) {
            (Some(_), Some(_)) => ("media/Nam2025/".to_owned(), "media/nam2025/".to_owned()),
            _ => (first.to_string(), later.to_string()),
        };
        let found = errors.iter().any(|l| {
            l.contains(": error[E110]: ")
                && l.contains(&format!("'content/{later}' và 'content/{first}'"))
        });
        assert!(found, "{later} and {first}:\n{err}");
    }
}

#[test]
fn active_drawings_and_pages_are_published_with_a_warning_naming_what_runs() {
    let site = site_with(None);
    for (rel, text, _) in ACTIVE_FILES {
        write_file(&site.path().join("content").join(rel), text.as_bytes());
    }
    write_file(
        &site.path().join("static/bieu-do.svg"),
        b"<svg><script>1</script></svg>",
    );
    let built = common::build(site.path(), false);
    built.assert_built();
    let err = built.text();
    let warnings: Vec<&str> = built
        .warnings()
        .into_iter()
        .filter(|l| l.contains(": warning[W508]: "))
        .collect();
    assert_eq!(warnings.len(), ACTIVE_FILES.len() + 1, "{err}");
    for (rel, _, what) in ACTIVE_FILES {
        assert!(
            warnings
                .iter()
                .any(|l| l.starts_with(&format!("content/{rel}:")) && l.contains(what)),
            "{rel}: {what}\n{err}"
        );
        assert!(built.files.contains_key(*rel), "{rel} is published");
    }
    assert!(
        warnings
            .iter()
            .any(|l| l.starts_with("static/bieu-do.svg:1:6: ")),
        "{err}"
    );
}

/// `name` as printed: what would act on a terminal shown as an escape.
fn escaped(name: &str) -> String {
    name.chars()
        .map(|c| match c {
            '\n' => "\\n".to_owned(),
            '\t' => "\\t".to_owned(),
            '\r' => "\\r".to_owned(),
            c if acts_on_terminal(c) => c.escape_unicode().to_string(),
            c => c.to_string(),
        })
        .collect()
}

/// A received site folder whose file names hold a newline, terminal escape
/// sequences (set the title, erase the line, a C1 control sequence
/// introducer) and bidirectional overrides: every diagnostic naming them is
/// one line, with the characters shown as escapes, never sent raw.
#[test]
fn names_that_would_act_on_a_terminal_are_printed_escaped() {
    let site = site_with(None);
    let media = site.path().join("content/media/2024");
    fs::create_dir_all(&media).unwrap_or_else(|e| panic!("{e}"));
    let names = [
        "dong\nmoi.png",
        "tieu-de\u{1b}]0;bi chiem\u{7}\u{1b}[2K.png",
        "csi\u{9b}31m.png",
        "xoa\u{7f}.png",
        "tab\there.png",
    ];
    for name in names {
        fs::write(media.join(name), b"x").unwrap_or_else(|e| panic!("{name:?}: {e}"));
    }
    // A name that reorders a terminal line: refused, and named escaped.
    fs::write(site.path().join("content/anh\u{202e}gnp.exe"), b"x")
        .unwrap_or_else(|e| panic!("{e}"));
    // A link to a missing file whose path holds bidirectional overrides.
    let article = site
        .path()
        .join("content/articles/2023/ngan-son-chu-trong-phat-trien-dang-vien.md");
    let mut text = fs::read_to_string(&article).unwrap_or_else(|e| panic!("{e}"));
    text.push_str("\n![ảnh](/media/2023/x\u{2066}y\u{202e}z.png)\n");
    fs::write(&article, text).unwrap_or_else(|e| panic!("{e}"));

    for command in ["check", "build"] {
        let out = bantin(site.path(), &[command]);
        assert_eq!(out.status.code(), Some(1), "{command}");
        let err = stderr(&out);
        let lines: Vec<&str> = err.lines().collect();
        for line in &lines {
            assert!(
                !line.chars().any(acts_on_terminal),
                "{command}: a raw control or bidi character reached the terminal: {line:?}"
            );
        }
        // Every diagnostic is one line that starts with its place.
        let problems: Vec<&str> = lines
            .iter()
            .copied()
            .filter(|l| l.contains(": error[") || l.contains(": warning["))
            .collect();
        assert_eq!(
            lines.iter().filter(|l| l.starts_with("content/")).count(),
            problems.len(),
            "{command}: a line that is not a whole diagnostic:\n{err}"
        );
        for expected in [
            "content/media/2024/dong\\nmoi.png:1:1: error[E108]",
            "content/media/2024/tieu-de\\u{1b}]0;bi chiem\\u{7}\\u{1b}[2K.png:1:1: error[E108]",
            "content/media/2024/csi\\u{9b}31m.png:1:1: error[E108]",
            "content/media/2024/xoa\\u{7f}.png:1:1: error[E108]",
            "content/media/2024/tab\\there.png:1:1: error[E108]",
            "content/anh\\u{202e}gnp.exe:1:1: error[E108]",
        ] {
            assert!(
                problems.iter().any(|l| l.starts_with(expected)),
                "{command}: no line starting {expected:?} in:\n{err}"
            );
        }
        assert!(
            problems
                .iter()
                .any(|l| l.contains("error[E308]") && l.contains("x\\u{2066}y\\u{202e}z.png")),
            "{command}: the missing file's name is not shown escaped:\n{err}"
        );
    }
}
