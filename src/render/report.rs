//! The quarter's report (báo cáo) as a Word document (SPEC §4, "The report
//! document"): `templates/report.xml` writes the document's body in
//! WordprocessingML, and this module packs it with fixed parts (styles,
//! settings, the page-number header) into a `.docx`.
//!
//! The layout is a template, so editors override it as any other; the text
//! is the bulletin's, from `bulletin_text.html`: the filter
//! [`WordParagraphs`] turns its HTML (and the editors' Markdown) into
//! paragraphs of the document. The package is the same bytes for the same
//! input: entries in a fixed order, every one dated 1980-01-01 (the zip
//! format's first day), the document's dates the day the results were
//! reported.

use std::io::Write;

use tera::{Kwargs, State, TeraResult, Value};
use zip::write::SimpleFileOptions;

use super::{Engine, PageOutput, template_error};
use crate::diagnostic::Diagnostic;
use crate::library::Library;
use crate::pages::{self, Page, PageKind};
use crate::publish::{Content, OutFile};

/// The template that writes the document's body (`word/document.xml`).
pub const TEMPLATE: &str = "report.xml";

/// The fixed parts of the package, in the order they are written. The
/// document's relationships name the page-number header `rIdHeader`: the
/// template's section properties refer to it
/// (`<w:headerReference w:type="default" r:id="rIdHeader"/>`).
const PARTS: &[(&str, &str)] = &[
    ("_rels/.rels", include_str!("report/rels.xml")),
    (
        "word/_rels/document.xml.rels",
        include_str!("report/document.xml.rels"),
    ),
    ("word/styles.xml", include_str!("report/styles.xml")),
    ("word/settings.xml", include_str!("report/settings.xml")),
    ("word/header1.xml", include_str!("report/header1.xml")),
    ("docProps/app.xml", include_str!("report/app.xml")),
];
/// `[Content_Types].xml`, the package's first entry.
const CONTENT_TYPES: &str = include_str!("report/content_types.xml");

/// The report of every quarter with a bulletin, when the site has
/// `report:`; a report whose template fails is left out, with its problem.
pub fn reports(
    lib: &Library,
    pages: &[Page],
    engine: &Engine,
    resolver: &super::SiteResolver,
) -> (Vec<OutFile>, Vec<Diagnostic>) {
    use rayon::prelude::*;
    let site = lib.site;
    if site
        .config
        .as_ref()
        .and_then(|c| c.report.as_ref())
        .is_none()
    {
        return (Vec::new(), Vec::new());
    }
    let made: Vec<Result<OutFile, Diagnostic>> = pages
        .par_iter()
        .filter_map(|page| match page.kind {
            PageKind::Bulletin(q) => Some((page, q)),
            _ => None,
        })
        .filter_map(|(page, q)| {
            // The editors' links were checked on the bulletin page: the
            // problems met again here are not reported twice.
            let mut out = PageOutput::new(site, page);
            let here = super::views::Here {
                url: &page.url,
                root: None,
            };
            let context = super::views::report(lib, &here, q, resolver, &mut out)?;
            let date = lib.reported(q);
            Some(
                document(engine, &context)
                    .map_err(|p| p.diagnostic(site, engine))
                    .and_then(|body| {
                        package(&body, date).map_err(|e| {
                            Problem::Output(format!("không tạo được tệp .docx: {e}"))
                                .diagnostic(site, engine)
                        })
                    })
                    .map(|bytes| OutFile {
                        path: pages::file_of(&pages::report(q)),
                        content: Content::Bytes(bytes),
                    }),
            )
        })
        .collect();
    let mut files = Vec::new();
    let mut problems: Vec<Diagnostic> = Vec::new();
    for m in made {
        match m {
            Ok(f) => files.push(f),
            // One broken template gives the same problem for every quarter.
            Err(d) if !problems.contains(&d) => problems.push(d),
            Err(_) => {}
        }
    }
    (files, problems)
}

enum Problem {
    Template(tera::Error),
    /// What the template wrote is not a document: why, in Vietnamese.
    Output(String),
}

impl Problem {
    fn diagnostic(self, site: &crate::model::Site, engine: &Engine) -> Diagnostic {
        match self {
            Problem::Template(e) => {
                template_error::diagnostics(&site.files, &engine.sources, &e, Some(TEMPLATE))
                    .into_iter()
                    .next()
                    .unwrap_or_else(|| {
                        template_error::output_problem(
                            &site.files,
                            &engine.sources,
                            TEMPLATE,
                            "mẫu báo cáo không viết được tài liệu".to_owned(),
                            None,
                        )
                    })
            }
            Problem::Output(message) => template_error::output_problem(
                &site.files,
                &engine.sources,
                TEMPLATE,
                message,
                Some(
                    "mẫu report.xml viết phần thân word/document.xml theo WordprocessingML; \
                     xem docs/mau-trang.md, mục Báo cáo"
                        .to_owned(),
                ),
            ),
        }
    }
}

/// `word/document.xml`: the template's output, checked to be XML.
fn document(engine: &Engine, context: &tera::Context) -> Result<String, Problem> {
    let bytes = engine
        .render(TEMPLATE, context)
        .map_err(Problem::Template)?;
    let text = String::from_utf8(bytes)
        .map_err(|_| Problem::Output("mẫu báo cáo viết ra dữ liệu không phải UTF-8".to_owned()))?;
    // Characters XML 1.0 cannot hold would make Word refuse the file.
    let text: String = text.chars().filter(|&c| xml_char(c)).collect();
    well_formed(&text).map_err(Problem::Output)?;
    Ok(text)
}

/// A character XML 1.0 allows.
fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Whether `text` is one well-formed XML element; why not, in Vietnamese.
fn well_formed(text: &str) -> Result<(), String> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(text);
    let mut depth = 0usize;
    let mut roots = 0usize;
    loop {
        let at = reader.buffer_position();
        let event = reader.read_event();
        let problem = match &event {
            Ok(Event::Start(e) | Event::Empty(e)) => e.attributes().find_map(|a| match a {
                Ok(a) => a.normalized_value(quick_xml::XmlVersion::Implicit1_0).err(),
                Err(e) => Some(e.into()),
            }),
            Ok(Event::GeneralRef(r)) => {
                let known = matches!(&**r, "amp" | "lt" | "gt" | "quot" | "apos");
                match r.resolve_char_ref() {
                    Ok(Some(_)) => None,
                    _ if known => None,
                    _ => Some(quick_xml::Error::Escape(
                        quick_xml::escape::EscapeError::UnrecognizedEntity(0..0, r.to_string()),
                    )),
                }
            }
            Ok(_) => None,
            Err(e) => Some(e.clone()),
        };
        match (event, problem) {
            (_, Some(e)) | (Err(e), None) => {
                let line = text
                    .get(..usize::try_from(at).unwrap_or(usize::MAX).min(text.len()))
                    .map_or(0, |t| t.matches('\n').count() + 1);
                return Err(format!(
                    "tài liệu báo cáo không phải XML hợp lệ ở dòng {line} của phần đã viết ra ({})",
                    xml_error_vi(&e)
                ));
            }
            (Ok(Event::Start(_)), None) => {
                if depth == 0 {
                    roots += 1;
                }
                depth += 1;
            }
            (Ok(Event::Empty(_)), None) if depth == 0 => roots += 1,
            (Ok(Event::End(_)), None) => depth = depth.saturating_sub(1),
            (Ok(Event::Eof), None) => break,
            (Ok(_), None) => {}
        }
    }
    if roots == 1 {
        Ok(())
    } else {
        Err("tài liệu báo cáo phải có đúng một phần tử gốc <w:document>".to_owned())
    }
}

fn xml_error_vi(e: &quick_xml::Error) -> &'static str {
    use quick_xml::errors::{Error as E, IllFormedError as I, SyntaxError as S};
    match e {
        E::IllFormed(I::MismatchedEndTag { .. }) => "thẻ đóng không khớp thẻ mở",
        E::IllFormed(I::UnmatchedEndTag(_)) => "thẻ đóng không có thẻ mở",
        E::IllFormed(I::MissingEndTag(_)) => "thiếu thẻ đóng",
        E::Syntax(S::UnclosedTag) => "thẻ chưa đóng dấu '>'",
        E::Syntax(_) => "sai cú pháp XML",
        E::Escape(_) => "ký tự '&' không phải một thực thể XML; hãy viết &amp;",
        _ => "sai cấu trúc XML",
    }
}

/// The `.docx` package around `body` (`word/document.xml`).
fn package(body: &str, reported: Option<chrono::NaiveDate>) -> zip::result::ZipResult<Vec<u8>> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::with_capacity(32 * 1024)));
    // Fixed dates, permissions and system of origin: the same input gives
    // the same bytes, whichever system bantin runs on (the zip writer
    // otherwise names Windows as the origin in the .exe); a zero "external
    // attributes" field makes Word for Mac ask to repair.
    let options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default())
        .system(zip::System::Unix)
        .unix_permissions(0o644);
    let date = reported.map_or_else(
        || "1980-01-01T00:00:00Z".to_owned(),
        |d| format!("{}T00:00:00Z", d.format("%Y-%m-%d")),
    );
    let core = include_str!("report/core.xml").replace("{date}", &date);
    zip.start_file("[Content_Types].xml", options)?;
    zip.write_all(CONTENT_TYPES.as_bytes())?;
    for (name, text) in PARTS {
        zip.start_file(*name, options)?;
        zip.write_all(text.as_bytes())?;
    }
    zip.start_file("docProps/core.xml", options)?;
    zip.write_all(core.as_bytes())?;
    zip.start_file("word/document.xml", options)?;
    zip.write_all(body.as_bytes())?;
    Ok(zip.finish()?.into_inner())
}

// ---- HTML → WordprocessingML paragraphs

/// The `word_paragraphs` filter of the templates: HTML (the bulletin's
/// sentences, the editors' Markdown) → `<w:p>` paragraphs of style
/// `style` (default `Body`). Headings become paragraphs of style
/// `heading_style` (default `Heading`); list items open with "- " (or
/// their number); links keep their text; bold, italic and underline are
/// kept; images and anything else not text are left out.
pub struct WordParagraphs;

impl tera::Filter<&str, TeraResult<Value>> for WordParagraphs {
    fn call(&self, html: &str, kwargs: Kwargs, _: &State) -> TeraResult<Value> {
        let style = kwargs.get::<&str>("style")?.unwrap_or("Body");
        let heading = kwargs.get::<&str>("heading_style")?.unwrap_or("Heading");
        Ok(Value::safe_string(&word_paragraphs(html, style, heading)))
    }

    fn is_safe(&self) -> bool {
        true
    }
}

/// Tags inside a paragraph whose text the document keeps; with
/// [`BLOCKS`], every tag kept. Others are dropped with their text (script,
/// style) or unwrapped (everything else).
const INLINE: &[&str] = &[
    "a",
    "span",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "br",
    "sup",
    "sub",
    "code",
    "th",
    "td",
    "figcaption",
    "abbr",
    "small",
    "mark",
    "dt",
];

#[derive(Clone, Copy, Default)]
struct Format {
    bold: bool,
    italic: bool,
    underline: bool,
}

struct Run {
    text: String,
    format: Format,
    /// A line break (`<br>`) instead of text.
    line_break: bool,
}

struct Builder<'a> {
    style: &'a str,
    heading: &'a str,
    out: String,
    runs: Vec<Run>,
    /// The style of the paragraph being gathered.
    current: &'a str,
    /// The format inside each open element.
    formats: Vec<Format>,
    /// Open lists: none for `ul`, the last item's number for `ol`.
    lists: Vec<Option<usize>>,
}

/// Elements that are paragraphs (or hold them).
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "blockquote",
    "li",
    "tr",
    "dd",
    "figure",
    "table",
    "thead",
    "tbody",
    "tfoot",
    "dl",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
];

fn word_paragraphs(html: &str, style: &str, heading: &str) -> String {
    // ammonia parses the HTML as a browser would and writes it back with
    // the kept tags only, without attributes, every element closed but
    // `br`: a text simple enough to read tag by tag.
    let clean = ammonia::Builder::empty()
        .add_tags(BLOCKS.iter().chain(INLINE))
        .clean_content_tags(["script", "style"].into_iter().collect())
        .clean(html)
        .to_string();
    let mut b = Builder {
        style,
        heading,
        out: String::new(),
        runs: Vec::new(),
        current: style,
        formats: Vec::new(),
        lists: Vec::new(),
    };
    let mut rest = clean.as_str();
    while !rest.is_empty() {
        match rest.find('<') {
            Some(0) => {
                let close = rest.find('>').unwrap_or(rest.len());
                let tag = rest.get(1..close).unwrap_or("");
                rest = rest.get(close + 1..).unwrap_or("");
                match tag.strip_prefix('/') {
                    Some(name) => b.end(name),
                    None => b.start(tag),
                }
            }
            Some(k) => {
                let (text, after) = rest.split_at(k);
                b.text(&crate::html::unescape(text));
                rest = after;
            }
            None => {
                b.text(&crate::html::unescape(rest));
                rest = "";
            }
        }
    }
    b.flush();
    b.out
}

impl Builder<'_> {
    fn format(&self) -> Format {
        self.formats.last().copied().unwrap_or_default()
    }

    fn start(&mut self, tag: &str) {
        let format = self.format();
        if tag == "br" {
            self.runs.push(Run {
                text: String::new(),
                format,
                line_break: true,
            });
            return;
        }
        if BLOCKS.contains(&tag) {
            self.flush();
        }
        let format = match tag {
            "strong" | "b" | "th" | "dt" => Format {
                bold: true,
                ..format
            },
            "em" | "i" | "figcaption" => Format {
                italic: true,
                ..format
            },
            "u" => Format {
                underline: true,
                ..format
            },
            _ => format,
        };
        match tag {
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => self.current = self.heading,
            "ul" => self.lists.push(None),
            "ol" => self.lists.push(Some(0)),
            "li" => {
                let mark = match self.lists.last_mut() {
                    Some(Some(k)) => {
                        *k += 1;
                        format!("{k}. ")
                    }
                    _ => "- ".to_owned(),
                };
                self.runs.push(Run {
                    text: mark,
                    format,
                    line_break: false,
                });
            }
            "td" if !self.runs.is_empty() => self.push_text("; ", format),
            _ => {}
        }
        self.formats.push(format);
    }

    fn end(&mut self, tag: &str) {
        self.formats.pop();
        if BLOCKS.contains(&tag) {
            self.flush();
        }
        if tag == "ul" || tag == "ol" {
            self.lists.pop();
        }
    }

    /// Text with HTML's white space: runs of it are one space.
    fn text(&mut self, text: &str) {
        let format = self.format();
        self.push_text(text, format);
    }

    fn push_text(&mut self, text: &str, format: Format) {
        let mut collapsed = String::with_capacity(text.len());
        let mut space = self
            .runs
            .last()
            .is_none_or(|r| r.line_break || r.text.ends_with(' '));
        for c in text.chars() {
            if c.is_whitespace() && c != '\u{a0}' {
                if !space {
                    collapsed.push(' ');
                    space = true;
                }
            } else {
                collapsed.push(c);
                space = false;
            }
        }
        if collapsed.is_empty() {
            return;
        }
        match self.runs.last_mut() {
            Some(last) if !last.line_break && same(last.format, format) => {
                last.text.push_str(&collapsed);
            }
            _ => self.runs.push(Run {
                text: collapsed,
                format,
                line_break: false,
            }),
        }
    }

    /// Writes the gathered runs as one paragraph, if they hold text.
    fn flush(&mut self) {
        let mut runs = std::mem::take(&mut self.runs);
        let style = std::mem::replace(&mut self.current, self.style);
        if let Some(last) = runs.iter_mut().rev().find(|r| !r.line_break) {
            let trimmed = last.text.trim_end().len();
            last.text.truncate(trimmed);
        }
        while runs
            .last()
            .is_some_and(|r| r.line_break || r.text.is_empty())
        {
            runs.pop();
        }
        if runs.iter().all(|r| r.text.trim().is_empty()) {
            return;
        }
        let out = &mut self.out;
        out.push_str("<w:p><w:pPr><w:pStyle w:val=\"");
        escape_into(out, style);
        out.push_str("\"/></w:pPr>");
        for r in &runs {
            out.push_str("<w:r>");
            let f = r.format;
            if f.bold || f.italic || f.underline {
                out.push_str("<w:rPr>");
                if f.bold {
                    out.push_str("<w:b/><w:bCs/>");
                }
                if f.italic {
                    out.push_str("<w:i/><w:iCs/>");
                }
                if f.underline {
                    out.push_str("<w:u w:val=\"single\"/>");
                }
                out.push_str("</w:rPr>");
            }
            if r.line_break {
                out.push_str("<w:br/>");
            } else {
                out.push_str("<w:t xml:space=\"preserve\">");
                escape_into(out, &r.text);
                out.push_str("</w:t>");
            }
            out.push_str("</w:r>");
        }
        out.push_str("</w:p>");
    }
}

fn same(a: Format, b: Format) -> bool {
    a.bold == b.bold && a.italic == b.italic && a.underline == b.underline
}

/// Text as XML character data or attribute value.
fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c if xml_char(c) => out.push(c),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every entry of the package names Unix (3) as its system of origin,
    /// in the high byte of "version made by" of its central directory
    /// record: the .exe writes the same bytes as the Linux program.
    #[test]
    fn the_package_names_one_system_of_origin_on_every_platform() {
        let bytes = package("<w:body/>", None).unwrap_or_else(|e| panic!("{e}"));
        let records: Vec<usize> = bytes
            .windows(4)
            .enumerate()
            .filter(|(_, w)| *w == b"PK\x01\x02")
            .map(|(i, _)| i)
            .collect();
        assert!(records.len() >= 4, "{}", records.len());
        for i in records {
            assert_eq!(bytes.get(i + 5), Some(&3), "record at {i}");
        }
    }

    #[test]
    fn sentences_become_paragraphs_with_their_text() {
        let html = "<p>Quý I/2023, toàn <a href=\"../x/\">Đảng bộ tỉnh</a>\n  kết nạp <strong>412</strong> đảng viên.</p>\n<p>Dòng 2 &amp; &lt;3&gt;</p>";
        let xml = word_paragraphs(html, "Body", "Heading");
        assert_eq!(
            xml,
            "<w:p><w:pPr><w:pStyle w:val=\"Body\"/></w:pPr>\
             <w:r><w:t xml:space=\"preserve\">Quý I/2023, toàn Đảng bộ tỉnh kết nạp </w:t></w:r>\
             <w:r><w:rPr><w:b/><w:bCs/></w:rPr><w:t xml:space=\"preserve\">412</w:t></w:r>\
             <w:r><w:t xml:space=\"preserve\"> đảng viên.</w:t></w:r></w:p>\
             <w:p><w:pPr><w:pStyle w:val=\"Body\"/></w:pPr>\
             <w:r><w:t xml:space=\"preserve\">Dòng 2 &amp; &lt;3&gt;</w:t></w:r></w:p>"
        );
    }

    #[test]
    fn headings_lists_and_breaks() {
        let html = "<h2>Nhận định</h2><ul><li>một;</li><li><em>hai</em>.</li></ul><ol><li>a</li></ol><p>x<br>y</p><p>  </p><img src=\"a.png\"><script>bad()</script>";
        let xml = word_paragraphs(html, "Body", "Heading");
        assert_eq!(xml.matches("<w:p>").count(), 5, "{xml}");
        assert!(xml.starts_with("<w:p><w:pPr><w:pStyle w:val=\"Heading\"/></w:pPr><w:r><w:t xml:space=\"preserve\">Nhận định</w:t>"));
        assert!(xml.contains(
            ">- </w:t></w:r><w:r><w:rPr><w:i/><w:iCs/></w:rPr><w:t xml:space=\"preserve\">hai</w:t>"
        ));
        assert!(xml.contains(">1. a</w:t>"));
        assert!(
            xml.contains(
                ">x</w:t></w:r><w:r><w:br/></w:r><w:r><w:t xml:space=\"preserve\">y</w:t>"
            )
        );
        assert!(!xml.contains("bad"));
    }

    #[test]
    fn characters_xml_cannot_hold_are_dropped() {
        let xml = word_paragraphs("<p>a\u{1}b\u{FFFE}c</p>", "Body", "Heading");
        assert!(xml.contains(">abc</w:t>"), "{xml}");
    }

    #[test]
    fn the_package_is_the_same_bytes_for_the_same_input() {
        let body = "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body/></w:document>";
        let date = chrono::NaiveDate::from_ymd_opt(2025, 10, 5);
        let a = package(body, date).unwrap();
        let b = package(body, date).unwrap();
        assert_eq!(a, b);
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(a)).unwrap();
        let names: Vec<String> = zip.file_names().map(|n| n.unwrap().into_owned()).collect();
        assert_eq!(
            names.first().map(String::as_str),
            Some("[Content_Types].xml")
        );
        assert!(names.contains(&"word/document.xml".to_owned()));
        let mut core = String::new();
        std::io::Read::read_to_string(&mut zip.by_name("docProps/core.xml").unwrap(), &mut core)
            .unwrap();
        assert!(core.contains("2025-10-05T00:00:00Z"), "{core}");
    }

    #[test]
    fn output_that_is_not_xml_is_refused_in_vietnamese() {
        assert!(well_formed("<a><b/></a>").is_ok());
        let e = well_formed("<a>\n<b></a>").unwrap_err();
        assert!(e.contains("dòng 2") && e.contains("thẻ đóng"), "{e}");
        assert!(well_formed("<a/><b/>").is_err());
        assert!(well_formed("<a>&x</a>").is_err());
    }
}
