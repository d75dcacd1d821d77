//! A site whose every text field carries script-injection payloads (site
//! title, unit names, plan titles, tasks and bases, editorial Markdown, raw
//! HTML in bodies, article titles, authors, sources, tags, captions, link
//! URLs) builds, and no payload survives live in any output: HTML, SVG,
//! feed, sitemap, JSON, the search index. CSV cells cannot become formulas.

use std::fs;
use std::path::{Path, PathBuf};

use scraper::{Html, Selector};

use crate::common::{bantin, fixtures, site_with, stderr, tree};

/// Scripts a page may load: the theme's own, nothing inline.
const OUR_SCRIPTS: [&str; 3] = [
    "assets/bantin.js",
    "assets/tim-kiem.js",
    "tim-kiem/search-index.js",
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
            if !ours || el.text().any(|t| !t.trim().is_empty()) {
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
    let out = bantin(site.path(), &["build", "--quiet"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        sources_before,
        tree(&site.path().join("content")),
        "the build changed its sources"
    );
    let output = site.path().join("output");
    let mut all = Vec::new();
    files(&output, &mut all);
    let mut problems = Vec::new();
    let (mut pages, mut csvs, mut jsons, mut xmls) = (0, 0, 0, 0);
    for path in &all {
        let rel = path
            .strip_prefix(&output)
            .unwrap_or(path)
            .display()
            .to_string();
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        match ext {
            "html" => {
                pages += 1;
                let html = fs::read_to_string(path).unwrap_or_default();
                let doc = Html::parse_document(&html);
                live_markup(&doc, &rel, &mut problems);
                // Template syntax in content is text, never evaluated.
                if html.contains("{{ 7*7 }}") && html.contains(">49<") {
                    problems.push(format!("{rel}: template syntax evaluated"));
                }
            }
            "xml" => {
                xmls += 1;
                let text = fs::read_to_string(path).unwrap_or_default();
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
                                    | "sitemapindex"
                                    | "sitemap"
                            ) {
                                problems.push(format!("{rel}: unexpected XML element <{name}>"));
                            }
                        }
                    }
                    Err(e) => problems.push(format!("{rel}: not well-formed XML: {e}")),
                }
            }
            "json" => {
                jsons += 1;
                let text = fs::read_to_string(path).unwrap_or_default();
                if serde_json::from_str::<serde_json::Value>(&text).is_err() {
                    problems.push(format!("{rel}: not JSON"));
                }
            }
            "js" if rel.ends_with("search-index.js") => {
                let text = fs::read_to_string(path).unwrap_or_default();
                let json = text
                    .strip_prefix("window.BANTIN_SEARCH_INDEX = ")
                    .and_then(|t| t.trim_end().strip_suffix(';'));
                match json.map(serde_json::from_str::<serde_json::Value>) {
                    Some(Ok(serde_json::Value::Array(_))) => {}
                    _ => problems.push(format!(
                        "{rel}: the index is not a single JSON array assignment"
                    )),
                }
            }
            "csv" => {
                csvs += 1;
                let text = fs::read_to_string(path).unwrap_or_default();
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
    let home = fs::read_to_string(output.join("index.html")).unwrap_or_default();
    assert!(
        home.contains("&lt;script&gt;alert(&quot;xss-1&quot;)&lt;/script&gt;"),
        "the site title is shown escaped"
    );
    assert!(
        home.contains("{{ 7*7 }}"),
        "template syntax in content is shown as written"
    );
    let csv =
        fs::read_to_string(output.join("thong-ke/2023/quy-1/so-lieu.csv")).unwrap_or_default();
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
        .sum()
}

/// Characters in a name that would act on a terminal instead of showing.
fn acts_on_terminal(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{2028}' | '\u{2029}'
        )
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
    // Accepted as a name, but it reorders a terminal line; a stray file in
    // content/ is named in a warning.
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
            "content/anh\\u{202e}gnp.exe:1:1: warning[W506]",
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
