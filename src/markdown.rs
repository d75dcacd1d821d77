//! Markdown → HTML for articles, editorials and plan tasks. No IO.
//!
//! CommonMark with GFM tables, footnotes and strikethrough. On the way:
//! - headings get ids (`vi::slugify` of their text);
//! - an image with a title alone in a paragraph becomes a figure with caption;
//! - site paths (`/don-vi/ngan-son/`, `media/2023/a.png`) are checked and
//!   rewritten as relative links, so the page opens from a disk;
//! - a document symbol in the text (`Kế hoạch số 366-KH/TU`) links to that
//!   plan's page when the site has it;
//! - only http, https, mailto and tel links are kept; images from other hosts
//!   are refused (a page may use no resource from another host);
//! - raw HTML is sanitised by ammonia's allow-list.
//!
//! Link problems are returned with their byte offset in the source, so the
//! caller can point at the line.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use chrono::NaiveDate;
use pulldown_cmark::{CowStr, Event, LinkType, Options, Parser, Tag, TagEnd};
use regex::Regex;

use crate::diagnostic::Code;
use crate::html::escape;
use crate::pages;
use crate::vi::{self, DocSymbol};

/// What rendering needs to know about the site.
pub trait Resolver {
    /// Whether a site path (`/don-vi/a/`, `/media/x.png`, decoded: a file
    /// `c#1.png` is `/media/c#1.png`) is produced.
    fn exists(&self, site_path: &str) -> bool;
    /// Whether a site path names a file (or lies in a folder) that was
    /// found but refused, and so was reported already.
    fn refused(&self, _site_path: &str) -> bool {
        false
    }
    /// The page of the plan with this symbol; `issued` disambiguates plans
    /// that share a symbol (party numbers restart with each term), `year`
    /// is the year the text is about.
    fn plan_url(
        &self,
        symbol: &DocSymbol,
        issued: Option<NaiveDate>,
        year: Option<i32>,
    ) -> Option<String>;
}

/// A link that could not be kept as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkProblem {
    /// Byte offset in the Markdown source.
    pub offset: usize,
    pub code: Code,
    pub message: String,
    pub hint: Option<String>,
}

#[derive(Debug, Default)]
pub struct Rendered {
    pub html: String,
    pub problems: Vec<LinkProblem>,
}

/// Rendering settings for one piece of Markdown.
pub struct Context<'a> {
    /// The URL of the page the HTML goes into (links are relative to it).
    pub page_url: &'a str,
    pub resolver: &'a dyn Resolver,
    /// The year the text is about, to choose between plans sharing a symbol.
    pub year: Option<i32>,
    /// Heading ids already used on the page.
    pub used_ids: HashSet<String>,
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
}

pub fn render(markdown: &str, cx: &mut Context) -> Rendered {
    let mut problems = Vec::new();
    let mut has_raw_html = false;
    let events: Vec<(Event, std::ops::Range<usize>)> = Parser::new_ext(markdown, options())
        .into_offset_iter()
        .collect();
    let mut out: Vec<Event> = Vec::with_capacity(events.len() + 16);
    let notes = Footnotes::new(&events, &mut cx.used_ids);
    // Depth of links we kept, and whether each open link/image was dropped.
    let mut link_depth = 0usize;
    let mut dropped: Vec<bool> = Vec::new();
    let mut in_code = false;
    let mut i = 0;
    while i < events.len() {
        let (event, range) = &events[i];
        match event {
            Event::Start(Tag::Heading {
                level,
                id: _,
                classes,
                attrs,
            }) => {
                let text = heading_text(&events[i + 1..]);
                let id = unique_id(&vi::slugify(&text), &mut cx.used_ids);
                out.push(Event::Start(Tag::Heading {
                    level: *level,
                    id: Some(CowStr::from(id)),
                    classes: classes.clone(),
                    attrs: attrs.clone(),
                }));
            }
            Event::Start(Tag::Paragraph) if is_lone_titled_image(&events[i..]) => {
                // Paragraph, Image, alt text..., End(Image), End(Paragraph)
                let (caption, end) = figure_parts(&events[i..]);
                match figure(&events[i + 1], &caption, cx, range.start, &mut problems) {
                    Some(html) => out.push(Event::Html(CowStr::from(html))),
                    None => out.push(Event::Text(CowStr::from(caption))),
                }
                i += end + 1;
                continue;
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                // An email autolink (`<a@b.vn>`) carries the bare address.
                let dest = if *link_type == LinkType::Email && scheme(dest_url).is_none() {
                    CowStr::from(format!("mailto:{dest_url}"))
                } else {
                    dest_url.clone()
                };
                let target = check_link(&dest, false, cx, range.start, &mut problems);
                match target {
                    Some(url) => {
                        link_depth += 1;
                        dropped.push(false);
                        out.push(Event::Start(Tag::Link {
                            // The writer would add `mailto:` to an Email link again.
                            link_type: if *link_type == LinkType::Email {
                                LinkType::Inline
                            } else {
                                *link_type
                            },
                            dest_url: CowStr::from(url),
                            title: title.clone(),
                            id: id.clone(),
                        }));
                    }
                    None => dropped.push(true),
                }
            }
            Event::End(TagEnd::Link) => {
                if dropped.pop() == Some(false) {
                    link_depth = link_depth.saturating_sub(1);
                    out.push(event.clone());
                }
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => match check_link(dest_url, true, cx, range.start, &mut problems) {
                Some(url) => {
                    dropped.push(false);
                    out.push(Event::Start(Tag::Image {
                        link_type: *link_type,
                        dest_url: CowStr::from(url),
                        title: title.clone(),
                        id: id.clone(),
                    }));
                }
                None => dropped.push(true),
            },
            Event::End(TagEnd::Image) => {
                if dropped.pop() == Some(false) {
                    out.push(event.clone());
                }
            }
            Event::Start(Tag::CodeBlock(_)) => {
                in_code = true;
                out.push(event.clone());
            }
            Event::End(TagEnd::CodeBlock) => {
                in_code = false;
                out.push(event.clone());
            }
            Event::Text(text) if link_depth == 0 && !in_code && !inside_image(&dropped) => {
                link_symbols(text, cx, &mut out);
            }
            Event::Html(raw) | Event::InlineHtml(raw) => {
                has_raw_html = true;
                check_raw_links(raw, cx, range.start, &mut problems);
                out.push(event.clone());
            }
            Event::FootnoteReference(label) => {
                out.push(Event::InlineHtml(CowStr::from(notes.reference(i, label))));
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                out.push(Event::Html(CowStr::from(notes.definition(i, label))));
            }
            _ => out.push(event.clone()),
        }
        i += 1;
    }
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, out.into_iter());
    if has_raw_html {
        html = sanitize(&html, cx.page_url);
    }
    Rendered { html, problems }
}

/// Inside an image, text is its alt text and is not linked.
fn inside_image(dropped: &[bool]) -> bool {
    // Images and links share the stack; alt text only occurs inside images,
    // which never nest links, so any open entry means "inside".
    !dropped.is_empty()
}

fn heading_text(rest: &[(Event, std::ops::Range<usize>)]) -> String {
    let mut text = String::new();
    for (e, _) in rest {
        match e {
            Event::End(TagEnd::Heading(_)) => break,
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            // A heading over two lines (setext) has words on both sides.
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    text
}

fn unique_id(base: &str, used: &mut HashSet<String>) -> String {
    let base = if base.is_empty() { "muc" } else { base };
    let mut id = base.to_owned();
    let mut n = 2;
    while !used.insert(id.clone()) {
        id = format!("{base}-{n}");
        n += 1;
    }
    id
}

/// Footnotes with ids of their own: `fn-LABEL` for a note, `fnref-LABEL`
/// for a reference to it, each unique on the page (a bare label such as
/// `[^noi-dung]` would repeat the id of the page's main content, the
/// skip link's target). A note links back to its first reference.
struct Footnotes {
    /// Label → number shown, the note's id, its first reference's id.
    notes: HashMap<String, (usize, String, Option<String>)>,
    /// Index of each reference's event → its id.
    references: HashMap<usize, String>,
    /// Index of a second definition of a label → its own id (the first
    /// definition has the note's).
    repeated: HashMap<usize, String>,
}

impl Footnotes {
    fn new(events: &[(Event, std::ops::Range<usize>)], used: &mut HashSet<String>) -> Self {
        let mut notes: HashMap<String, (usize, String, Option<String>)> = HashMap::new();
        let mut references = HashMap::new();
        let mut repeated = HashMap::new();
        let mut defined = HashSet::new();
        for (at, (event, _)) in events.iter().enumerate() {
            let (label, is_reference) = match event {
                Event::FootnoteReference(label) => (label, true),
                Event::Start(Tag::FootnoteDefinition(label)) => (label, false),
                _ => continue,
            };
            let count = notes.len();
            let slug = vi::slugify(label);
            let base = if slug.is_empty() {
                (count + 1).to_string()
            } else {
                slug
            };
            let note = notes
                .entry(label.to_string())
                .or_insert_with(|| (count + 1, unique_id(&format!("fn-{base}"), used), None));
            if is_reference {
                let id = unique_id(&format!("fnref-{base}"), used);
                note.2.get_or_insert_with(|| id.clone());
                references.insert(at, id);
            } else if !defined.insert(label.to_string()) {
                repeated.insert(at, unique_id(&format!("fn-{base}"), used));
            }
        }
        Footnotes {
            notes,
            references,
            repeated,
        }
    }

    /// The reference of event `at`.
    fn reference(&self, at: usize, label: &str) -> String {
        match (self.notes.get(label), self.references.get(&at)) {
            (Some((number, note, _)), Some(id)) => format!(
                "<sup class=\"footnote-reference\" id=\"{id}\"><a href=\"#{note}\">{number}</a></sup>"
            ),
            _ => String::new(),
        }
    }

    /// The opening of the note of event `at`, its number linking back to
    /// the first reference.
    fn definition(&self, at: usize, label: &str) -> String {
        let Some((number, id, reference)) = self.notes.get(label) else {
            return String::new();
        };
        let id = self.repeated.get(&at).unwrap_or(id);
        let number = match reference {
            Some(r) => format!("<a href=\"#{r}\">{number}</a>"),
            None => number.to_string(),
        };
        format!(
            "\n<div class=\"footnote-definition\" id=\"{id}\"><sup class=\"footnote-definition-label\">{number}</sup>"
        )
    }
}

fn is_lone_titled_image(events: &[(Event, std::ops::Range<usize>)]) -> bool {
    let Some((Event::Start(Tag::Image { title, .. }), _)) = events.get(1) else {
        return false;
    };
    if title.is_empty() {
        return false;
    }
    let mut depth = 0;
    for (k, (e, _)) in events.iter().enumerate().skip(1) {
        match e {
            Event::Start(Tag::Image { .. }) => depth += 1,
            Event::End(TagEnd::Image) => {
                depth -= 1;
                if depth == 0 {
                    return matches!(events.get(k + 1), Some((Event::End(TagEnd::Paragraph), _)));
                }
            }
            _ if depth == 0 => return false,
            _ => {}
        }
    }
    false
}

/// The image's alt text and the index of the closing paragraph.
/// The image's alt text (images inside it count by their own alt text) and
/// the index of the closing paragraph.
fn figure_parts(events: &[(Event, std::ops::Range<usize>)]) -> (String, usize) {
    let mut alt = String::new();
    let mut depth = 1;
    for (k, (e, _)) in events.iter().enumerate().skip(2) {
        match e {
            Event::Start(Tag::Image { .. }) => depth += 1,
            Event::End(TagEnd::Image) => {
                depth -= 1;
                if depth == 0 {
                    return (alt, k + 1);
                }
            }
            Event::Text(t) | Event::Code(t) => alt.push_str(t),
            _ => {}
        }
    }
    (alt, events.len().saturating_sub(1))
}

fn figure(
    image: &(Event, std::ops::Range<usize>),
    alt: &str,
    cx: &Context,
    offset: usize,
    problems: &mut Vec<LinkProblem>,
) -> Option<String> {
    let (
        Event::Start(Tag::Image {
            dest_url, title, ..
        }),
        _,
    ) = image
    else {
        return None;
    };
    let src = check_link(dest_url, true, cx, offset, problems)?;
    Some(format!(
        "<figure><img src=\"{}\" alt=\"{}\" loading=\"lazy\"><figcaption>{}</figcaption></figure>\n",
        escape(&src),
        escape(alt),
        escape(title)
    ))
}

/// Schemes a link may use; anything else (javascript:, data:, file:...) is dropped.
const SAFE_SCHEMES: [&str; 4] = ["http", "https", "mailto", "tel"];

fn scheme(url: &str) -> Option<String> {
    let colon = url.find(':')?;
    let candidate = &url[..colon];
    let mut chars = candidate.chars();
    let first = chars.next()?;
    (first.is_ascii_alphabetic()
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
    .then(|| candidate.to_ascii_lowercase())
}

/// The URL to write for a link or image, or `None` to drop it.
fn check_link(
    dest: &str,
    image: bool,
    cx: &Context,
    offset: usize,
    problems: &mut Vec<LinkProblem>,
) -> Option<String> {
    // Browsers drop tabs and line breaks anywhere in a URL, and spaces and
    // control characters at its ends: so do we, before looking at the
    // scheme. A space inside stays: it is part of a file name (`%20`).
    let url: String = dest
        .trim_matches(|c: char| c == ' ' || c.is_control())
        .chars()
        .filter(|c| !c.is_control())
        .collect();
    let mut problem = |code, message: String, hint: Option<&str>| {
        problems.push(LinkProblem {
            offset,
            code,
            message,
            hint: hint.map(str::to_owned),
        })
    };
    if url.is_empty() {
        problem(Code::MissingPage, "liên kết rỗng".to_owned(), None);
        return None;
    }
    if url.starts_with('#') {
        return Some(url);
    }
    if url.starts_with("//") {
        if image {
            problem(
                Code::BadValue,
                "ảnh lấy từ máy chủ khác; trang không được dùng tài nguyên bên ngoài".to_owned(),
                Some("tải ảnh về content/media/ và ghi /media/ten-anh.jpg"),
            );
            return None;
        }
        return Some(format!("https:{url}"));
    }
    if let Some(s) = scheme(&url) {
        if !SAFE_SCHEMES.contains(&s.as_str()) {
            problem(
                Code::Suspicious,
                format!("liên kết dùng giao thức '{s}:' không an toàn, đã bị bỏ"),
                None,
            );
            return None;
        }
        if image {
            problem(
                Code::BadValue,
                "ảnh lấy từ máy chủ khác; trang không được dùng tài nguyên bên ngoài".to_owned(),
                Some("tải ảnh về content/media/ và ghi /media/ten-anh.jpg"),
            );
            return None;
        }
        return Some(url);
    }
    let site_path = if url.starts_with('/') {
        url.clone()
    } else if url.starts_with("media/") {
        format!("/{url}")
    } else {
        problem(
            Code::MissingPage,
            format!("không hiểu đường dẫn tương đối '{}'", clip(&url)),
            Some(
                "viết đường dẫn của trang bắt đầu bằng '/', ví dụ /don-vi/ngan-son/ hoặc /media/2023/anh.jpg",
            ),
        );
        return None;
    };
    // A link is a URL: `#` or `?` ends its path, `%XX` stands for a byte.
    // A file named `c#1.png` is linked as `c%231.png`.
    let (path, fragment) = match site_path.find(['#', '?']) {
        Some(i) => (&site_path[..i], &site_path[i..]),
        None => (site_path.as_str(), ""),
    };
    let path = vi::nfc(&pages::path_of_url(path)).into_owned();
    if path.split('/').any(|p| p == ".." || p == ".") {
        problem(
            Code::MissingPage,
            format!("đường dẫn '{}' có '..' hoặc '.'", clip(&url)),
            Some("viết đường dẫn đầy đủ từ gốc trang, ví dụ /tin-tuc/ten-bai/"),
        );
        return None;
    }
    let Some(found) = normalize_site_path(&path, cx.resolver) else {
        // The whole link read as a file name: `media/c#1.png` for the file
        // `c#1.png`, `media/a?b.png` for a file refused for its `?`.
        let whole = vi::nfc(&pages::path_of_url(&site_path)).into_owned();
        if cx.resolver.refused(&path) || cx.resolver.refused(&whole) {
            // Its name was reported already: one defect, one diagnostic.
            return None;
        }
        let code = if path.starts_with("/media/") {
            Code::MissingMedia
        } else {
            Code::MissingPage
        };
        let what = if code == Code::MissingMedia {
            "tệp"
        } else {
            "trang"
        };
        let hint = encoding_hint(&site_path, &path, &whole, cx.resolver);
        problem(
            code,
            format!("liên kết tới {what} không có: {}", clip(&url)),
            hint.as_deref(),
        );
        return None;
    };
    Some(pages::relative(
        cx.page_url,
        &format!("{}{fragment}", pages::url_of_path(&found)),
    ))
}

/// How to write a link to a file whose name has `#`, `?` or `%`, when the
/// link as written missed it only for that.
fn encoding_hint(
    written: &str,
    path: &str,
    whole: &str,
    resolver: &dyn Resolver,
) -> Option<String> {
    let target = if whole != path && resolver.exists(whole) {
        whole.to_owned()
    } else {
        // `%` written as itself: the file is `d%23e.png`, not `d#e.png`.
        let raw = vi::nfc(written).into_owned();
        if raw == path || !resolver.exists(&raw) {
            return None;
        }
        raw
    };
    let name = target.rsplit('/').next().unwrap_or(&target);
    let chars: Vec<String> = ['#', '?', '%']
        .into_iter()
        .filter(|c| name.contains(*c))
        .map(|c| format!("'{c}'"))
        .collect();
    Some(format!(
        "tên tệp có {}, mà trong liên kết {} có nghĩa riêng: viết {}",
        chars.join(", "),
        if chars.len() > 1 {
            "các ký tự này"
        } else {
            "ký tự này"
        },
        clip(&pages::url_of_path(&target))
    ))
}

/// `/a/b`, `/a/b/` and `/a/b/index.html` all name the page `/a/b/`.
fn normalize_site_path(path: &str, resolver: &dyn Resolver) -> Option<String> {
    if resolver.exists(path) {
        return Some(path.to_owned());
    }
    if let Some(dir) = path.strip_suffix("index.html")
        && resolver.exists(dir)
    {
        return Some(dir.to_owned());
    }
    let with_slash = format!("{path}/");
    resolver.exists(&with_slash).then_some(with_slash)
}

/// ", ngày 31/01/2023" right after a symbol tells which plan it is.
static ISSUED_AFTER: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"^\s*,?\s*(?:ngày\s+)?(\d{1,2})/(\d{1,2})/(\d{4})").ok());

fn link_symbols<'a>(text: &CowStr<'a>, cx: &Context, out: &mut Vec<Event<'a>>) {
    let found = vi::find_symbols(text);
    if found.is_empty() {
        out.push(Event::Text(text.clone()));
        return;
    }
    let mut last = 0;
    for (range, symbol) in found {
        let after = &text[range.end..];
        let issued = ISSUED_AFTER
            .as_ref()
            .and_then(|re| re.captures(after))
            .and_then(|c| {
                let n = |i: usize| c.get(i).and_then(|m| m.as_str().parse::<u32>().ok());
                NaiveDate::from_ymd_opt(n(3)? as i32, n(2)?, n(1)?)
            });
        let Some(url) = cx.resolver.plan_url(&symbol, issued, cx.year) else {
            continue;
        };
        if url == cx.page_url {
            continue;
        }
        if range.start > last {
            out.push(Event::Text(CowStr::from(
                text[last..range.start].to_owned(),
            )));
        }
        out.push(Event::Start(Tag::Link {
            link_type: LinkType::Inline,
            dest_url: CowStr::from(pages::relative(cx.page_url, &url)),
            title: CowStr::from(""),
            id: CowStr::from(""),
        }));
        out.push(Event::Text(CowStr::from(text[range.clone()].to_owned())));
        out.push(Event::End(TagEnd::Link));
        last = range.end;
    }
    if last < text.len() {
        out.push(Event::Text(CowStr::from(text[last..].to_owned())));
    }
}

/// A link or image address in raw HTML: `<a href="...">`, `<img src="...">`.
static RAW_LINK: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r#"(?is)<(a|img)\b[^>]*?\s(href|src)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))"#)
        .ok()
});

/// Links and images written in raw HTML are checked as Markdown ones are:
/// a page or file that does not exist, an image from another host, a
/// relative path the site cannot resolve. (Sanitising writes them as it
/// can; the check says what would publish broken, at its line.)
fn check_raw_links(raw: &str, cx: &Context, offset: usize, problems: &mut Vec<LinkProblem>) {
    let Some(re) = RAW_LINK.as_ref() else { return };
    for c in re.captures_iter(raw) {
        let tag = c.get(1).map_or("", |m| m.as_str()).to_ascii_lowercase();
        let attr = c.get(2).map_or("", |m| m.as_str()).to_ascii_lowercase();
        if (tag == "a") != (attr == "href") {
            continue;
        }
        let Some(value) = c.get(3).or_else(|| c.get(4)).or_else(|| c.get(5)) else {
            continue;
        };
        // As a browser reads it: `jav&#x61;script:` is `javascript:`.
        let url = crate::html::unescape(value.as_str());
        let at = offset + c.get(0).map_or(0, |m| m.start());
        check_link(&url, tag == "img", cx, at, problems);
    }
}

/// Raw HTML from Markdown through ammonia's allow-list, keeping what the
/// Markdown renderer itself produces (heading ids, footnotes, figures,
/// table alignment). Site paths written in raw HTML (`/don-vi/a/`) become
/// relative to `page_url`, like Markdown links, so the page opens from a disk.
fn sanitize(html: &str, page_url: &str) -> String {
    let page = page_url.to_owned();
    let mut b = ammonia::Builder::default();
    b.add_tags(["figure", "figcaption", "input"]);
    b.add_generic_attributes(["id"]);
    b.add_tag_attributes("div", ["class"]);
    b.add_tag_attributes("sup", ["class"]);
    b.add_tag_attributes("img", ["loading"]);
    b.add_tag_attributes("input", ["type", "checked", "disabled"]);
    b.add_tag_attributes("th", ["style"]);
    b.add_tag_attributes("td", ["style"]);
    b.attribute_filter(|element, attribute, value| match (element, attribute) {
        ("th" | "td", "style") => matches!(
            value,
            "text-align: left" | "text-align: center" | "text-align: right"
        )
        .then(|| value.into()),
        ("input", "type") => (value == "checkbox").then(|| value.into()),
        ("div" | "sup", "class") => value.starts_with("footnote-").then(|| value.into()),
        // A page loads nothing from another host: raw HTML images must
        // be the site's own files.
        ("img", "src") => {
            (scheme(value).is_none() && !value.trim_start().starts_with("//")).then(|| value.into())
        }
        _ => Some(value.into()),
    });
    b.url_schemes(SAFE_SCHEMES.into_iter().collect());
    b.url_relative(ammonia::UrlRelative::Custom(Box::new(SitePaths { page })));
    b.id_prefix(None);
    b.clean(html).to_string()
}

/// Rewrites site paths in raw HTML into links relative to the page.
struct SitePaths {
    page: String,
}

impl<'a> ammonia::UrlRelativeEvaluate<'a> for SitePaths {
    fn evaluate<'url>(&self, url: &'url str) -> Option<std::borrow::Cow<'url, str>> {
        let site_path = if url.starts_with('/') && !url.starts_with("//") {
            Some(url.to_owned())
        } else {
            url.starts_with("media/").then(|| format!("/{url}"))
        };
        match site_path {
            // A path that climbs or uses backslashes is not a site path: drop it.
            Some(p)
                if p.contains('\\') || p.split(['/', '?', '#']).any(|s| s == "." || s == "..") =>
            {
                None
            }
            Some(p) => Some(std::borrow::Cow::Owned(pages::relative(&self.page, &p))),
            None => Some(std::borrow::Cow::Borrowed(url)),
        }
    }
}

/// A link echoed in a message.
fn clip(s: &str) -> String {
    vi::clip(s, 60)
}

/// The first paragraph's text, for a sapo when an article has none.
pub fn first_paragraph_text(markdown: &str) -> String {
    // The parser's first pass reads the whole document even if we stop at
    // the first paragraph: look at the start first, cut at a blank line.
    const HEAD: usize = 4096;
    if markdown.len() > HEAD {
        let mut cut = HEAD;
        while !markdown.is_char_boundary(cut) {
            cut -= 1;
        }
        if let Some(blank) = markdown[..cut].rfind("\n\n") {
            let found = first_paragraph_in(&markdown[..blank]);
            if !found.is_empty() {
                return found;
            }
        }
    }
    first_paragraph_in(markdown)
}

fn first_paragraph_in(markdown: &str) -> String {
    let mut text = String::new();
    let mut in_paragraph = false;
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Start(Tag::Paragraph) => in_paragraph = true,
            Event::End(TagEnd::Paragraph) if !text.trim().is_empty() => break,
            Event::End(TagEnd::Paragraph) => in_paragraph = false,
            Event::Text(t) | Event::Code(t) if in_paragraph => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak if in_paragraph => text.push(' '),
            _ => {}
        }
    }
    text.trim().to_owned()
}

/// The words of a text as a reader sees them, for the search index:
/// paragraphs, headings, list items, table cells, image descriptions and
/// code, separated by spaces at every block; link targets, and the tags of
/// raw HTML, are left out (the text inside raw HTML is kept). Appended to
/// `out`.
pub fn plain_text(markdown: &str, out: &mut String) {
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::Html(t) | Event::InlineHtml(t) => text_of_html(&t, out),
            // Inline marks may fall inside a word (`Đả**ng**`).
            Event::Start(
                Tag::Emphasis
                | Tag::Strong
                | Tag::Strikethrough
                | Tag::Superscript
                | Tag::Subscript
                | Tag::Link { .. },
            )
            | Event::End(
                TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Superscript
                | TagEnd::Subscript
                | TagEnd::Link,
            ) => {}
            // Between blocks, and between cells and items: a word never
            // runs on into the next one.
            Event::Start(_)
            | Event::End(_)
            | Event::SoftBreak
            | Event::HardBreak
            | Event::Rule
            | Event::FootnoteReference(_)
            | Event::TaskListMarker(_)
            | Event::InlineMath(_)
            | Event::DisplayMath(_) => out.push(' '),
        }
    }
}

/// The text of raw HTML without its tags: what is between `>` and `<`,
/// its character references read (`&amp;` is `&`, not the word "amp"). A
/// tag cut off at the end of a piece (HTML split over several events) is
/// skipped to the end of that piece.
fn text_of_html(html: &str, out: &mut String) {
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        out.push_str(&crate::html::unescape(&rest[..open]));
        out.push(' ');
        match rest[open..].find('>') {
            Some(close) => rest = &rest[open + close + 1..],
            None => return,
        }
    }
    out.push_str(&crate::html::unescape(rest));
}

/// Every heading id must stay unique on a page that joins several texts.
pub fn ids_in(html: &str) -> HashMap<String, usize> {
    static ID: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r#" id="([^"]+)""#).ok());
    let mut out = HashMap::new();
    if let Some(re) = ID.as_ref() {
        for c in re.captures_iter(html) {
            if let Some(m) = c.get(1) {
                *out.entry(m.as_str().to_owned()).or_insert(0) += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(md: &str) -> String {
        let mut out = String::new();
        plain_text(md, &mut out);
        out.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn plain_text_keeps_what_a_reader_sees() {
        assert_eq!(
            plain("# Tiêu đề\n\nĐả**ng** viên [mới](/tin-tuc/a/) `366-KH/TU`"),
            "Tiêu đề Đảng viên mới 366-KH/TU"
        );
        assert_eq!(plain("| a | b |\n|---|---|\n| c | d |"), "a b c d");
        assert_eq!(plain("- một\n- hai\n\n![ảnh lễ](x.png)"), "một hai ảnh lễ");
        assert_eq!(
            plain("<p class=\"x\">kết <b>nạp</b></p>\n\ndòng&nbsp;sau"),
            "kết nạp dòng sau"
        );
        // References in raw HTML are characters, not words.
        assert_eq!(
            plain("<p>Đảng &amp; Nhà nước, Ho&#224;</p>"),
            "Đảng & Nhà nước, Hoà"
        );
    }

    struct Site;
    impl Resolver for Site {
        fn exists(&self, p: &str) -> bool {
            matches!(
                p,
                "/" | "/don-vi/ngan-son/"
                    | "/media/2023/anh.png"
                    | "/ban-tin/2023/quy-1/"
                    | "/media/2024/c#1.png"
                    | "/media/2024/d%23e.png"
                    | "/media/2024/ảnh 1.png"
            )
        }
        fn refused(&self, p: &str) -> bool {
            p == "/media/2024/a?b.png"
        }
        fn plan_url(
            &self,
            s: &DocSymbol,
            issued: Option<NaiveDate>,
            _: Option<i32>,
        ) -> Option<String> {
            (s.to_string() == "366-KH/TU" && issued.is_none_or(|d| d.to_string() == "2023-01-31"))
                .then(|| "/ke-hoach/366-kh-tu-2023/".to_owned())
        }
    }

    fn md(text: &str) -> Rendered {
        let mut cx = Context {
            page_url: "/tin-tuc/bai/",
            resolver: &Site,
            year: Some(2023),
            used_ids: HashSet::new(),
        };
        render(text, &mut cx)
    }

    #[test]
    fn site_paths_become_relative_links() {
        let r = md("[Ngân Sơn](/don-vi/ngan-son) và [bản tin](/ban-tin/2023/quy-1/#tong-quan)");
        assert!(r.problems.is_empty(), "{:?}", r.problems);
        assert!(
            r.html
                .contains(r#"href="../../don-vi/ngan-son/index.html""#),
            "{}",
            r.html
        );
        assert!(
            r.html
                .contains(r#"href="../../ban-tin/2023/quy-1/index.html#tong-quan""#)
        );
    }

    #[test]
    fn missing_pages_and_media_are_reported_at_their_offset() {
        let r = md("Xem [trang](/don-vi/khong-co/).\n\n![a](media/2023/khong.png)");
        let codes: Vec<(Code, usize)> = r.problems.iter().map(|p| (p.code, p.offset)).collect();
        assert_eq!(
            codes,
            vec![(Code::MissingPage, 4), (Code::MissingMedia, 33)]
        );
        assert!(
            !r.html.contains("khong-co"),
            "dropped link keeps only its text"
        );
    }

    #[test]
    fn links_are_urls_and_file_names_are_encoded() {
        let r = md(
            "![a](media/2024/c%231.png) ![b](/media/2024/d%2523e.png) ![c](<media/2024/ảnh 1.png>)",
        );
        assert!(r.problems.is_empty(), "{:?}", r.problems);
        for src in [
            "../../media/2024/c%231.png",
            "../../media/2024/d%2523e.png",
            "../../media/2024/%E1%BA%A3nh%201.png",
        ] {
            assert!(
                r.html.contains(&format!("src=\"{src}\"")),
                "{src}: {}",
                r.html
            );
        }
    }

    #[test]
    fn a_hash_or_percent_left_unencoded_is_one_problem_with_the_fix() {
        let r = md("![a](media/2024/c#1.png)\n\n![b](/media/2024/d%23e.png)");
        let got: Vec<(Code, Option<&str>)> = r
            .problems
            .iter()
            .map(|p| (p.code, p.hint.as_deref()))
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    Code::MissingMedia,
                    Some(
                        "tên tệp có '#', mà trong liên kết ký tự này có nghĩa riêng: viết /media/2024/c%231.png"
                    )
                ),
                (
                    Code::MissingMedia,
                    Some(
                        "tên tệp có '%', mà trong liên kết ký tự này có nghĩa riêng: viết /media/2024/d%2523e.png"
                    )
                ),
            ]
        );
    }

    #[test]
    fn a_link_to_a_refused_file_is_not_reported_twice() {
        let r = md("![a](media/2024/a?b.png) ![b](media/2024/a%3Fb.png)");
        assert!(r.problems.is_empty(), "{:?}", r.problems);
        assert!(!r.html.contains("<img"), "{}", r.html);
    }

    #[test]
    fn unsafe_links_and_foreign_images_are_dropped() {
        let r = md(
            "[x](javascript:alert(1)) [y](JaVa&#x09;ScRiPt:alert(1)) ![z](https://ex.com/a.png) [w](https://ex.com/)",
        );
        assert!(!r.html.to_lowercase().contains("javascript"), "{}", r.html);
        assert!(!r.html.contains("ex.com/a.png"));
        assert!(r.html.contains(r#"href="https://ex.com/""#));
        assert_eq!(r.problems.len(), 3);
    }

    #[test]
    fn raw_html_images_from_other_hosts_lose_their_source() {
        let r = md(
            "<img src=\"https://evil.example/t.gif\"> <img src=\"//evil.example/t.gif\"> <img src=\"/media/2023/anh.png\" alt=\"a\">",
        );
        assert!(!r.html.contains("evil.example"), "{}", r.html);
        assert!(
            r.html.contains("src=\"../../media/2023/anh.png\""),
            "site paths become relative: {}",
            r.html
        );
        // Each foreign image is said, at its offset; the site's own is not.
        let said: Vec<(usize, Code)> = r.problems.iter().map(|p| (p.offset, p.code)).collect();
        assert_eq!(said, vec![(0, Code::BadValue), (39, Code::BadValue)]);
    }

    #[test]
    fn raw_html_links_are_checked_like_markdown_links() {
        let r = md(
            "a <a href=\"/khong-co/\">k</a> <a href='/don-vi/ngan-son/'>n</a> <img src=khong-co.png alt=x>\n\n<p><a href=\"/media/2023/khong.pdf\">t</a> <a href=\"https://example.vn/\">ngoài</a> <a href=\"#muc\">m</a></p>\n",
        );
        let said: Vec<(usize, Code)> = r.problems.iter().map(|p| (p.offset, p.code)).collect();
        assert_eq!(
            said,
            vec![
                (2, Code::MissingPage),
                (63, Code::MissingPage),
                (96, Code::MissingMedia)
            ],
            "{:?}",
            r.problems
        );
    }

    #[test]
    fn a_heading_over_two_lines_keeps_its_words_apart_in_its_id() {
        let r = md("foo bar\nbaz qux\n-------\n");
        assert!(r.html.contains("<h2 id=\"foo-bar-baz-qux\">"), "{}", r.html);
    }

    #[test]
    fn raw_html_is_sanitised() {
        let r = md(
            "<script>alert(1)</script>\n\n<p onclick=\"x()\">a</p> <img src=x onerror=alert(1)>\n\n<a href=\"javascript:x\">b</a>",
        );
        let lower = r.html.to_lowercase();
        for bad in ["<script", "onclick", "onerror", "javascript:"] {
            assert!(!lower.contains(bad), "{bad} in {}", r.html);
        }
    }

    #[test]
    fn symbols_link_to_plans_and_headings_get_ids() {
        let r = md(
            "## Kết quả quý I\n\nThực hiện Kế hoạch số 366-KH/TU, ngày 31/01/2023 của Ban Thường vụ.\n\n## Kết quả quý I\n",
        );
        assert!(r.html.contains(r#"<h2 id="ket-qua-quy-i">"#), "{}", r.html);
        assert!(r.html.contains(r#"<h2 id="ket-qua-quy-i-2">"#));
        assert!(
            r.html.contains(
                r#"<a href="../../ke-hoach/366-kh-tu-2023/index.html">366-KH/TU</a>, ngày"#
            ),
            "{}",
            r.html
        );
    }

    #[test]
    fn a_titled_image_alone_is_a_figure() {
        let r = md("![Lớp bồi dưỡng](/media/2023/anh.png \"Lớp bồi dưỡng tại xã <Ân>\")\n");
        assert!(
            r.html
                .contains("<figure><img src=\"../../media/2023/anh.png\" alt=\"Lớp bồi dưỡng\""),
            "{}",
            r.html
        );
        assert!(
            r.html
                .contains("<figcaption>Lớp bồi dưỡng tại xã &lt;Ân&gt;</figcaption>")
        );
    }

    #[test]
    fn tables_footnotes_and_strikethrough() {
        let r = md("| a | b |\n|---|--:|\n| 1 | 2 |\n\nx[^1] ~~y~~\n\n[^1]: chú thích\n");
        assert!(
            r.html.contains("<table>")
                && r.html.contains("<del>y</del>")
                && r.html.contains("footnote")
        );
    }

    #[test]
    fn footnotes_have_ids_of_their_own_and_link_back() {
        let mut cx = Context {
            page_url: "/tin-tuc/bai/",
            resolver: &Site,
            year: None,
            used_ids: HashSet::from(["noi-dung".to_owned(), "fn-a".to_owned()]),
        };
        let r = render(
            "Một[^noi-dung], hai[^a], ba[^noi-dung], bốn[^!!].\n\n\
             [^a]: A.\n[^noi-dung]: N.\n[^!!]: X.\n[^thua]: không ai dẫn.\n",
            &mut cx,
        );
        let ids = ids_in(&r.html);
        assert!(ids.values().all(|n| *n == 1), "{ids:?}\n{}", r.html);
        assert!(!ids.contains_key("noi-dung"), "{}", r.html);
        for (reference, note, number) in [
            ("fnref-noi-dung", "fn-noi-dung", 1),
            ("fnref-a", "fn-a-2", 2),
            ("fnref-3", "fn-3", 3),
        ] {
            assert!(
                r.html.contains(&format!(
                    "<sup class=\"footnote-reference\" id=\"{reference}\"><a href=\"#{note}\">{number}</a></sup>"
                )),
                "{reference}: {}",
                r.html
            );
            assert!(
                r.html.contains(&format!(
                    "<div class=\"footnote-definition\" id=\"{note}\"><sup class=\"footnote-definition-label\"><a href=\"#{reference}\">{number}</a></sup>"
                )),
                "{note}: {}",
                r.html
            );
        }
        assert!(
            r.html
                .contains("id=\"fnref-noi-dung-2\"><a href=\"#fn-noi-dung\">1</a>")
        );
        // A note nobody refers to has no link back.
        assert!(
            r.html
                .contains("id=\"fn-thua\"><sup class=\"footnote-definition-label\">4</sup>")
        );
        assert!(cx.used_ids.contains("fn-thua"));
    }

    #[test]
    fn email_autolinks_become_mailto() {
        let r = md("Liên hệ <ban.tochuc@tinhuy.vn>.");
        assert!(r.problems.is_empty(), "{:?}", r.problems);
        assert!(
            r.html.contains("href=\"mailto:ban.tochuc@tinhuy.vn\""),
            "{}",
            r.html
        );
    }

    #[test]
    fn an_image_inside_a_figure_caption_keeps_the_html_whole() {
        let r = md("![a ![b](/media/2023/anh.png \"t\") c](/media/2023/anh.png \"u\")\n\nsau\n");
        assert!(r.html.contains("alt=\"a b c\""), "{}", r.html);
        assert_eq!(
            r.html.matches("<p>").count(),
            r.html.matches("</p>").count(),
            "{}",
            r.html
        );
    }

    #[test]
    fn first_paragraph_for_sapo() {
        assert_eq!(
            first_paragraph_text("## Tiêu đề\n\nĐoạn **một**\ndòng hai.\n\nĐoạn hai."),
            "Đoạn một dòng hai."
        );
    }
}
