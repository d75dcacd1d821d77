//! Tera's errors as diagnostics: the site's own template file when the site
//! overrides it, the line and column wherever Tera gives or implies one, and
//! a Vietnamese message for every kind of error.
//!
//! Tera reports in three shapes: a `SyntaxError`/`RenderingError` with a
//! span (and, for a component, the places it was called from, only in its
//! printed report); a `Msg` that joins several printed reports (unknown
//! filters, functions, templates, blocks found when the templates are
//! added); and kinds without a place (circular `extends`/`include`, a
//! missing parent, recursion too deep). The last are placed here by finding
//! the tag in the template text. Tera's messages are English sentences;
//! each known sentence is matched and said again in Vietnamese, and an
//! unknown one becomes a general Vietnamese message that quotes the
//! template line, never the English text or a Rust debug form.

use std::error::Error as _;

use crate::diagnostic::{Code, Diagnostic};
use crate::load::source::position;
use crate::model::{FileId, Files};

/// One template as the engine has it: the theme's, or the site's own file
/// that replaces it (or adds to it).
pub struct TemplateSource {
    pub name: String,
    pub text: String,
    /// The site's file; `None` for the built-in theme.
    pub file: Option<FileId>,
}

/// A place in a template: 1-based line and column in characters; line 0
/// when only the template is known.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Place {
    template: String,
    line: u32,
    col: u32,
    /// Byte range of the offending text, when Tera gave one.
    range: Option<std::ops::Range<usize>>,
}

/// One problem found in Tera's error, before its place is chosen.
#[derive(Debug)]
struct Problem {
    /// Where Tera says, then the templates that called it, innermost first.
    places: Vec<Place>,
    /// Tera's message (English), or `None` when the kind says it all.
    english: Option<String>,
    /// A Vietnamese message already made from the kind.
    vietnamese: Option<(String, Option<String>)>,
    syntax: bool,
    /// The places after the first are the templates that called it (not
    /// other candidates for the same place).
    callers: bool,
}

/// Every problem in `e` as a diagnostic. `rendering` is the template a page
/// was being rendered with, if any: the place of last resort.
pub fn diagnostics(
    files: &Files,
    sources: &[TemplateSource],
    e: &tera::Error,
    rendering: Option<&str>,
) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    collect(e, sources, &mut problems);
    problems
        .into_iter()
        .map(|p| diagnostic(files, sources, p, rendering))
        .collect()
}

/// A problem with what template `template` wrote (not with its syntax
/// or a value): at the site's own copy of the template, when it has one.
pub fn output_problem(
    files: &Files,
    sources: &[TemplateSource],
    template: &str,
    message: String,
    hint: Option<String>,
) -> Diagnostic {
    let p = Problem {
        places: Vec::new(),
        english: None,
        vietnamese: Some((message, hint)),
        syntax: false,
        callers: false,
    };
    diagnostic(files, sources, p, Some(template))
}

fn collect(e: &tera::Error, sources: &[TemplateSource], out: &mut Vec<Problem>) {
    use tera::ErrorKind as K;
    let simple = |vietnamese: (String, Option<String>), places: Vec<Place>| Problem {
        places,
        english: None,
        vietnamese: Some(vietnamese),
        syntax: false,
        callers: false,
    };
    match e.kind() {
        K::SyntaxError(r) | K::RenderingError(r) => {
            let mut places = vec![report_place(r)];
            places.extend(called_from(&e.to_string()));
            out.push(Problem {
                places,
                english: Some(r.message().to_owned()),
                vietnamese: None,
                syntax: matches!(e.kind(), K::SyntaxError(_)),
                callers: true,
            });
        }
        K::Msg(message) => {
            let reports = printed_reports(message);
            if !reports.is_empty() {
                out.extend(reports);
            } else if let Some(inner) = e.source().and_then(|s| s.downcast_ref::<tera::Error>()) {
                collect(inner, sources, out);
            } else {
                let places = if message.starts_with("Maximum render recursion depth") {
                    recursive_call(sources).into_iter().collect()
                } else {
                    component_defined_twice(message, sources)
                        .into_iter()
                        .collect()
                };
                out.push(Problem {
                    places,
                    english: Some(message.clone()),
                    vietnamese: None,
                    syntax: false,
                    callers: false,
                });
            }
        }
        K::CircularExtend {
            tpl,
            inheritance_chain,
        } => {
            // `tpl` extends the first of the chain, each the next; the last
            // closes the loop, which starts at its first appearance.
            let mut chain = vec![tpl.clone()];
            chain.extend(inheritance_chain.iter().cloned());
            if let Some(last) = chain.last()
                && let Some(first) = chain.iter().position(|t| t == last)
            {
                chain.drain(..first);
            }
            let places = closing_tag(&chain, "extends", sources);
            out.push(simple(
                (
                    format!(
                        "các mẫu kế thừa nhau thành vòng tròn: {}",
                        chain.join(" → ")
                    ),
                    Some("bỏ {% extends %} ở một mẫu trong vòng".to_owned()),
                ),
                places,
            ));
        }
        K::CircularInclude { include_chain, .. } => {
            let places = closing_tag(include_chain, "include", sources);
            let message = match include_chain.as_slice() {
                [a, b] if a == b => format!("mẫu '{a}' tự chèn (include) chính nó"),
                chain => format!(
                    "các mẫu chèn (include) nhau thành vòng tròn: {}",
                    chain.join(" → ")
                ),
            };
            out.push(simple(
                (
                    message,
                    Some("bỏ {% include %} này hoặc chèn một mẫu khác".to_owned()),
                ),
                places,
            ));
        }
        K::MissingParent { current, parent } => {
            let places = vec![
                tag_place(current, "extends", parent, sources).unwrap_or(Place {
                    template: current.clone(),
                    line: 0,
                    col: 0,
                    range: None,
                }),
            ];
            out.push(simple(
                (
                    format!("mẫu '{parent}' mà '{current}' kế thừa (extends) không có"),
                    known_template(parent, sources),
                ),
                places,
            ));
        }
        K::TemplateNotFound(name) => out.push(simple(
            (
                format!("không có mẫu '{name}'"),
                known_template(name, sources),
            ),
            // Tera says which name, not where: the tag that asks for it.
            naming_tag(name, sources).into_iter().collect(),
        )),
        K::ComponentNotFound(name) => out.push(simple(
            (format!("không có thành phần (component) '{name}'"), None),
            Vec::new(),
        )),
        K::Io(_) => out.push(simple(
            ("không ghi được trang đang dựng".to_owned(), None),
            Vec::new(),
        )),
        K::Utf8Conversion => out.push(simple(
            ("mẫu tạo ra văn bản không phải UTF-8".to_owned(), None),
            Vec::new(),
        )),
        // Argument kinds reach a page through a filter or function, as a
        // RenderingError; alone they still have a message of their own.
        _ => out.push(Problem {
            places: Vec::new(),
            english: Some(e.kind().to_string()),
            vietnamese: None,
            syntax: false,
            callers: false,
        }),
    }
}

fn report_place(r: &tera::ReportError) -> Place {
    let span = r.span();
    Place {
        template: r.filename().to_owned(),
        line: u32::try_from(span.start_line).unwrap_or(u32::MAX),
        col: u32::try_from(span.start_col.saturating_add(1)).unwrap_or(u32::MAX),
        range: Some(span.range.clone()),
    }
}

/// `NAME:LINE:COL` as Tera prints it after `-->` or `called from`.
fn printed_place(s: &str) -> Option<Place> {
    let mut parts = s.trim().rsplitn(3, ':');
    let col = parts.next()?.parse().ok()?;
    let line = parts.next()?.parse().ok()?;
    let template = parts.next()?.to_owned();
    Some(Place {
        template,
        line,
        col,
        range: None,
    })
}

/// The templates a component's error was called from, from Tera's printed
/// report (`note: called from home.html:3:5`).
fn called_from(report: &str) -> Vec<Place> {
    report
        .lines()
        .filter_map(|l| l.strip_prefix("note: called from "))
        .filter_map(printed_place)
        .collect()
}

/// The reports Tera joins into one message when templates are added:
/// `error: MESSAGE` then ` --> NAME:LINE:COL` each.
fn printed_reports(message: &str) -> Vec<Problem> {
    let mut out = Vec::new();
    let mut lines = message.lines().peekable();
    while let Some(line) = lines.next() {
        let Some(first) = line.strip_prefix("error: ") else {
            continue;
        };
        // The message goes on to the place line: a name quoted in it may
        // hold a line break.
        let mut english = first.to_owned();
        while let Some(next) = lines.peek() {
            if next.trim_start().starts_with("--> ") || next.starts_with("error: ") {
                break;
            }
            english.push('\n');
            english.push_str(next);
            lines.next();
        }
        let place = lines
            .peek()
            .and_then(|l| l.trim_start().strip_prefix("--> "))
            .and_then(printed_place);
        if let Some(place) = place {
            out.push(Problem {
                places: vec![place],
                english: Some(english),
                vietnamese: None,
                syntax: true,
                callers: false,
            });
        }
    }
    out
}

fn source<'a>(sources: &'a [TemplateSource], name: &str) -> Option<&'a TemplateSource> {
    sources.iter().find(|s| s.name == name)
}

/// Where `{% KEYWORD "name" %}` is written in `template`: the quoted name.
fn tag_place(
    template: &str,
    keyword: &str,
    name: &str,
    sources: &[TemplateSource],
) -> Option<Place> {
    let text = &source(sources, template)?.text;
    for (at, _) in text.match_indices(keyword) {
        let after = &text[at + keyword.len()..];
        let rest = after.trim_start();
        let quote_at = at + keyword.len() + (after.len() - rest.len());
        for quote in ['"', '\''] {
            if rest.starts_with(quote)
                && rest[1..].starts_with(name)
                && rest[1 + name.len()..].starts_with(quote)
            {
                let (line, col) = position(text, quote_at);
                return Some(Place {
                    template: template.to_owned(),
                    line,
                    col,
                    range: Some(quote_at..quote_at + name.len() + 2),
                });
            }
        }
    }
    None
}

/// The tag that closes a loop of templates: the last but one of `chain`
/// names the last with `keyword`; every link of the loop is a candidate,
/// the closing one first.
fn closing_tag(chain: &[String], keyword: &str, sources: &[TemplateSource]) -> Vec<Place> {
    let mut places: Vec<Place> = chain
        .windows(2)
        .rev()
        .filter_map(|w| tag_place(&w[0], keyword, &w[1], sources))
        .collect();
    if places.is_empty()
        && let Some(first) = chain.first()
    {
        places.push(Place {
            template: first.clone(),
            line: 0,
            col: 0,
            range: None,
        });
    }
    places
}

/// A component that calls itself, in the site's templates first: where
/// Tera's "recursion too deep" most likely comes from.
fn recursive_call(sources: &[TemplateSource]) -> Option<Place> {
    let site_first = sources
        .iter()
        .filter(|s| s.file.is_some())
        .chain(sources.iter().filter(|s| s.file.is_none()));
    for s in site_first {
        let text = &s.text;
        for (start, _) in text.match_indices("component") {
            // A definition: `{%` (or `{%-`) and spaces before the word.
            let before = text[..start].trim_end();
            let after = &text[start + "component".len()..];
            if !(before.ends_with("{%") || before.ends_with("{%-"))
                || !after.starts_with(char::is_whitespace)
            {
                continue;
            }
            let name: String = after
                .trim_start()
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if name.is_empty() {
                continue;
            }
            let body_start = start + "component".len();
            let body_end = text[body_start..]
                .find("endcomponent")
                .map_or(text.len(), |i| body_start + i);
            let body = &text[body_start..body_end];
            let call = format!("<{name}");
            for (at, _) in body.match_indices(&call) {
                let next = body[at + call.len()..].chars().next();
                if next.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                    continue;
                }
                let offset = body_start + at;
                let (line, col) = position(text, offset);
                return Some(Place {
                    template: s.name.clone(),
                    line,
                    col,
                    range: Some(offset..offset + call.len()),
                });
            }
        }
    }
    None
}

/// "Component `x` is defined in both `a` and `b`": the definition in the
/// site's template of the two.
fn component_defined_twice(message: &str, sources: &[TemplateSource]) -> Option<Place> {
    let caps = captures("Component `{}` is defined in both `{}` and `{}`", message)?;
    let (name, a, b) = (caps[0], caps[1], caps[2]);
    let mut both = [a, b];
    both.sort_by_key(|t| source(sources, t).is_none_or(|s| s.file.is_none()));
    both.iter().find_map(|t| {
        let text = &source(sources, t)?.text;
        let needle = format!("component {name}");
        let at = text.find(&needle)?;
        let (line, col) = position(text, at);
        Some(Place {
            template: (*t).to_owned(),
            line,
            col,
            range: Some(at..at + needle.len()),
        })
    })
}

/// Where one of the site's own templates includes or extends `template`.
fn referring_tag(template: &str, sources: &[TemplateSource]) -> Option<Place> {
    sources
        .iter()
        .filter(|s| s.file.is_some() && s.name != template)
        .find_map(|s| {
            tag_place(&s.name, "include", template, sources)
                .or_else(|| tag_place(&s.name, "extends", template, sources))
        })
}

/// Where a template includes or extends `name`, the site's own first.
fn naming_tag(name: &str, sources: &[TemplateSource]) -> Option<Place> {
    let mut ordered: Vec<&TemplateSource> = sources.iter().collect();
    ordered.sort_by_key(|s| s.file.is_none());
    ordered.into_iter().find_map(|s| {
        tag_place(&s.name, "include", name, sources)
            .or_else(|| tag_place(&s.name, "extends", name, sources))
    })
}

fn known_template(wanted: &str, sources: &[TemplateSource]) -> Option<String> {
    crate::diagnostic::did_you_mean(wanted, sources.iter().map(|s| s.name.as_str()))
}

/// Chooses where to point: the first place in one of the site's own
/// templates (an error inside a theme component called from the site's
/// template points at the call), else where Tera says, else the template
/// being rendered.
fn diagnostic(
    files: &Files,
    sources: &[TemplateSource],
    p: Problem,
    rendering: Option<&str>,
) -> Diagnostic {
    let site_owned = |name: &str| source(sources, name).and_then(|s| s.file);
    let mut places = p.places.clone();
    let mut callers = p.callers;
    // An error inside a theme template that the site's own template
    // brought in (`include`, `extends`) without a call Tera records: the
    // site's tag that brought it.
    if !places.iter().any(|pl| site_owned(&pl.template).is_some())
        && let Some(inner) = places.first()
        && let Some(tag) = referring_tag(&inner.template, sources)
    {
        places.push(tag);
        callers = true;
    }
    let chosen = places
        .iter()
        .position(|pl| site_owned(&pl.template).is_some())
        .unwrap_or(0);
    let place = places.get(chosen).cloned().or_else(|| {
        rendering.map(|t| Place {
            template: t.to_owned(),
            line: 0,
            col: 0,
            range: None,
        })
    });
    let (mut message, mut hint) = match (&p.vietnamese, &p.english) {
        (Some(v), _) => v.clone(),
        (None, Some(english)) => {
            let thrown = p
                .places
                .first()
                .and_then(|pl| Some((source(sources, &pl.template)?, pl.range.clone()?)))
                .and_then(|(s, r)| s.text.get(r))
                .is_some_and(|t| t.trim_start().starts_with("throw"));
            if thrown {
                // The template's own words, from `throw(message=…)`.
                (format!("mẫu báo lỗi: {english}"), None)
            } else {
                translate(english).unwrap_or_else(|| unknown(p.syntax, &p.places, sources))
            }
        }
        (None, None) => (String::from("lỗi mẫu trang"), None),
    };
    if chosen > 0
        && callers
        && let Some(inner) = places.first()
    {
        let inside = format!(
            "lỗi nằm trong mẫu có sẵn {}:{}:{}, được dùng từ đây",
            inner.template, inner.line, inner.col
        );
        hint = Some(match hint {
            Some(h) => format!("{h}; {inside}"),
            None => inside,
        });
    }
    message = format!("lỗi mẫu trang: {message}");
    let (file, line, col) = match &place {
        Some(pl) => (
            match site_owned(&pl.template) {
                Some(id) => files.path(id).to_owned(),
                None => format!("(mẫu có sẵn) templates/{}", pl.template),
            },
            pl.line,
            pl.col,
        ),
        None => ("(mẫu có sẵn) templates".to_owned(), 0, 0),
    };
    Diagnostic {
        code: Code::Template,
        file,
        line,
        col,
        message,
        hint,
    }
}

/// A message for an English sentence no rule knows: general, with the
/// template line quoted so the writer can see what is meant.
fn unknown(syntax: bool, places: &[Place], sources: &[TemplateSource]) -> (String, Option<String>) {
    let message = if syntax {
        "cú pháp mẫu sai ở đây"
    } else {
        "mẫu không dựng được trang ở chỗ này"
    };
    let quoted = places.first().and_then(|pl| {
        let text = &source(sources, &pl.template)?.text;
        let line = text.lines().nth(pl.line.checked_sub(1)? as usize)?.trim();
        (!line.is_empty()).then(|| format!("xem dòng: {}", clip(line)))
    });
    (message.to_owned(), quoted)
}

fn clip(s: &str) -> String {
    crate::vi::clip(s, 80)
}

// ---------------------------------------------------------------- messages

type Said = (String, Option<String>);

/// Matches `text` against `pattern`, where each `{}` captures some text
/// (as little as lets the rest match) and a final `{*}` allows any tail.
fn captures<'t>(pattern: &str, text: &'t str) -> Option<Vec<&'t str>> {
    let (pattern, open_end) = match pattern.strip_suffix("{*}") {
        Some(p) => (p, true),
        None => (pattern, false),
    };
    let mut pieces = pattern.split("{}");
    let mut rest = text.strip_prefix(pieces.next().unwrap_or(""))?;
    let pieces: Vec<&str> = pieces.collect();
    let mut caps = Vec::with_capacity(pieces.len());
    for (i, piece) in pieces.iter().enumerate() {
        let last = i + 1 == pieces.len();
        if last && !open_end {
            caps.push(rest.strip_suffix(piece)?);
            rest = "";
        } else if piece.is_empty() {
            caps.push(rest);
            rest = "";
        } else {
            let at = rest.find(piece)?;
            caps.push(&rest[..at]);
            rest = &rest[at + piece.len()..];
        }
    }
    (open_end || rest.is_empty()).then_some(caps)
}

/// A type as Tera names it, in Vietnamese.
fn type_vi(t: &str) -> String {
    let t = t.trim_matches('`');
    match t {
        "string" | "&str" | "String" | "str" => "chuỗi chữ".to_owned(),
        "i8" | "i16" | "i32" | "i64" | "i128" | "u8" | "u16" | "u32" | "u64" | "u128" | "usize"
        | "isize" | "integer" | "int" => "số nguyên".to_owned(),
        "f32" | "f64" | "float" => "số thập phân".to_owned(),
        "Number" | "number" => "số".to_owned(),
        "bool" => "giá trị đúng/sai".to_owned(),
        "array" | "Vec<Value>" | "&[Value]" => "danh sách".to_owned(),
        "map/struct" | "Map" | "map" => "bảng khóa–giá trị".to_owned(),
        "none" => "giá trị rỗng (none)".to_owned(),
        "undefined" => "giá trị chưa có".to_owned(),
        "bytes" => "chuỗi byte".to_owned(),
        other => format!("kiểu '{other}'"),
    }
}

/// A token or an expected item of a syntax message, in Vietnamese.
fn token_vi(t: &str) -> String {
    let t = t.trim();
    let t = t
        .strip_prefix("an ")
        .or_else(|| t.strip_prefix("a "))
        .unwrap_or(t);
    match t {
        "identifier" | "ident" => "một tên".to_owned(),
        "attribute name" => "tên trường".to_owned(),
        "string" => "một chuỗi".to_owned(),
        "integer" => "một số nguyên".to_owned(),
        "float" => "một số thập phân".to_owned(),
        "bool" => "true/false".to_owned(),
        "content" => "chữ thường".to_owned(),
        "raw content" => "nội dung raw".to_owned(),
        "comment" => "chú thích".to_owned(),
        t if t.starts_with('`') => t.to_owned(),
        t => format!("`{t}`"),
    }
}

/// `one of: a, b or c` / `` `/` or `>` `` → the items in Vietnamese.
fn expected_vi(list: &str) -> String {
    let list = list.trim().trim_end_matches('.');
    let list = list.strip_prefix("one of:").unwrap_or(list);
    let mut items: Vec<String> = Vec::new();
    for part in list.split(", ") {
        for item in part.split(" or ") {
            if !item.trim().is_empty() {
                items.push(token_vi(item));
            }
        }
    }
    match items.len() {
        0 => String::from("thứ khác"),
        1 => items.remove(0),
        n => {
            let last = items.remove(n - 1);
            format!("{} hoặc {last}", items.join(", "))
        }
    }
}

fn say(message: String) -> Option<Said> {
    Some((message, None))
}

fn say_hint(message: String, hint: impl Into<String>) -> Option<Said> {
    Some((message, Some(hint.into())))
}

/// What was available, as Tera lists it after a sentence: a hint, the
/// likely one when `wanted` is a near miss.
fn available(tail: &str, what: &str, wanted: &str) -> Option<String> {
    let list = tail.trim().trim_end_matches('.');
    if list.is_empty() {
        return None;
    }
    let names = list.split(',').map(|n| n.trim().trim_matches('`'));
    Some(
        crate::diagnostic::did_you_mean(wanted, names)
            .unwrap_or_else(|| format!("{what}: {}", crate::vi::clip(list, 400))),
    )
}

/// Tera's English sentence in Vietnamese, with a hint where one helps.
fn translate(english: &str) -> Option<Said> {
    let e = english.trim();
    let c = |pattern: &str| captures(pattern, e);

    // Names that do not exist.
    if let Some(v) = c("Variable `{}` is not defined.{*}") {
        let rest = e.split_once("Available variables:").map(|(_, r)| r);
        let hint = rest
            .and_then(|r| available(r, "các biến có trong trang này", v[0]))
            .unwrap_or_else(|| "trang này không có biến nào".to_owned());
        return say_hint(format!("biến '{}' không có trong trang này", v[0]), hint);
    }
    if let Some(v) = c("Variable `{}` exists but its value is undefined") {
        return say_hint(
            format!("biến '{}' có nhưng chưa có giá trị", v[0]),
            format!("kiểm tra trước: {{% if {} is defined %}}", v[0]),
        );
    }
    if let Some(v) = c("Field `{}` is not defined{*}") {
        let hint = e
            .split_once("Available fields:")
            .and_then(|(_, r)| available(r, "các trường có", v[0]));
        return Some((format!("trường '{}' không có", v[0]), hint));
    }
    if let Some(v) = c("Unknown filter `{}`") {
        return say(format!("không có bộ lọc (filter) '{}'", v[0]));
    }
    if let Some(v) = c("Unknown test `{}`") {
        return say(format!("không có phép thử (test) '{}'", v[0]));
    }
    if let Some(v) = c("Unknown function `{}`") {
        return say(format!("không có hàm '{}'", v[0]));
    }
    if let Some(v) = c("Unknown component `{}`") {
        return say(format!("không có thành phần (component) '{}'", v[0]));
    }
    if let Some(v) = c("Unknown template `{}`") {
        return say(format!("không có mẫu '{}'", v[0]));
    }
    if let Some(v) = c("Template '{}' not found") {
        return say(format!("không có mẫu '{}'", v[0]));
    }
    if let Some(v) = c("Component '{}' not found") {
        return say(format!("không có thành phần (component) '{}'", v[0]));
    }
    if let Some(v) = c("Block `{}` is not defined in any parent template") {
        return say_hint(
            format!("khối (block) '{}' không có trong mẫu cha", v[0]),
            "mẫu con chỉ thay được các khối mẫu cha đã có; xem tên khối trong base.html",
        );
    }
    if let Some(v) = c("Block '{}' has no block lineage in template '{}'.{*}") {
        return say(format!(
            "khối (block) '{}' của mẫu '{}' không dựng được",
            v[0], v[1]
        ));
    }
    if let Some(v) = c("Component `{}` is defined in both `{}` and `{}`") {
        return say_hint(
            format!(
                "thành phần (component) '{}' được định nghĩa hai lần, trong '{}' và '{}'",
                v[0], v[1], v[2]
            ),
            "giữ một định nghĩa, xóa định nghĩa kia",
        );
    }
    if let Some(v) =
        c("Template '{}' is inheriting from '{}', which doesn't exist or isn't loaded.")
    {
        return say(format!(
            "mẫu '{}' mà '{}' kế thừa (extends) không có",
            v[1], v[0]
        ));
    }
    if let Some(v) = c("Circular extend detected for template '{}'.{*}") {
        return say(format!("mẫu '{}' kế thừa (extends) vòng tròn", v[0]));
    }
    if let Some(v) = c("Circular include detected for template '{}'.{*}") {
        return say(format!("mẫu '{}' chèn (include) vòng tròn", v[0]));
    }

    // Undefined values.
    if e == "Tried to render a variable that is undefined"
        || e == "Tried to escape an undefined value"
    {
        return say_hint(
            "giá trị này chưa có, không in ra được".to_owned(),
            "dùng {% if ... is defined %} hoặc bộ lọc default",
        );
    }
    if e == "Cannot index into an undefined value" {
        return say("lấy phần tử từ một giá trị chưa có".to_owned());
    }
    if e == "Index expression is undefined" {
        return say("chỉ số trong [ ] chưa có giá trị".to_owned());
    }
    if e == "Cannot slice an undefined value" {
        return say("cắt (slice) một giá trị chưa có".to_owned());
    }
    if let Some(v) = c("Slice {} is undefined") {
        return say(format!(
            "giới hạn {} của phép cắt chưa có giá trị",
            part_vi(v[0])
        ));
    }
    if let Some(v) = c("Slice {} must be an integer, got `{}`") {
        return say(format!(
            "giới hạn {} của phép cắt phải là số nguyên, không phải {}",
            part_vi(v[0]),
            type_vi(v[1])
        ));
    }
    if e == "Slicing step cannot be 0" {
        return say("bước của phép cắt không được bằng 0".to_owned());
    }
    if let Some(v) = c("Slicing can only be used on arrays or strings, not on `{}`.") {
        return say(format!(
            "chỉ cắt (slice) được danh sách hoặc chuỗi, không cắt được {}",
            type_vi(v[0])
        ));
    }

    // Types.
    if let Some(v) = c("Cannot compare `{}` with `{}`") {
        return say(format!(
            "không so sánh được {} với {}",
            type_vi(v[0]),
            type_vi(v[1])
        ));
    }
    if let Some(v) = c("`+` requires both operands to be numbers, found `{}` and `{}`") {
        return say_hint(
            format!(
                "phép '+' cần hai số, ở đây là {} và {}",
                type_vi(v[0]),
                type_vi(v[1])
            ),
            "nối chuỗi chữ bằng dấu ~",
        );
    }
    if let Some(v) = c("Math operations can only be done on numbers, found `{}`") {
        return say(format!(
            "phép tính chỉ làm trên số, ở đây là {}",
            type_vi(v[0])
        ));
    }
    if let Some(v) = c("Only numbers can be used in arithmetic. This is a `{}`") {
        return say(format!(
            "phép tính chỉ làm trên số, ở đây là {}",
            type_vi(v[0])
        ));
    }
    if let Some(v) = c("Only numbers can be negated. This is a `{}`") {
        return say(format!("chỉ đổi dấu được số, ở đây là {}", type_vi(v[0])));
    }
    if e == "Cannot divide by 0" {
        return say("chia cho 0".to_owned());
    }
    if c("Unable to perform {*}").is_some()
        || c("Cannot negate {}: result would overflow i128").is_some()
        || c("Operand `{}` is out of range for integer arithmetic{*}").is_some()
        || c("Exponent {} is out of range for integer **{*}").is_some()
        || c("Number `{}` is out of range for i128").is_some()
    {
        return say("phép tính tràn số (kết quả quá lớn)".to_owned());
    }
    if let Some(v) = c("Iteration not possible on type `{}`") {
        return say(format!("không lặp (for) được trên {}", type_vi(v[0])));
    }
    if let Some(v) = c("Spread operator requires a map, found `{}`") {
        return say(format!(
            "dấu ... ở đây cần một bảng, không phải {}",
            type_vi(v[0])
        ));
    }
    if let Some(v) = c("Spread operator requires an array, found `{}`") {
        return say(format!(
            "dấu ... ở đây cần một danh sách, không phải {}",
            type_vi(v[0])
        ));
    }
    if let Some(v) = c("Invalid type for the value, expected `{}` but got `{}`") {
        return say(format!(
            "sai kiểu giá trị: cần {}, nhận được {}",
            type_vi(v[0]),
            type_vi(v[1])
        ));
    }
    if let Some(v) = c("Missing keyword argument `{}`") {
        return say(format!("thiếu tham số '{}'", v[0]));
    }
    if let Some(v) = c("Value `{}` is out of range for `{}`") {
        return say(format!(
            "giá trị {} vượt quá khoảng của {}",
            clip(v[0]),
            type_vi(v[1])
        ));
    }
    // "Array index…", "String index…": the same rule for both.
    if let Some(v) = c("{} index must be an integer, got `{}`.") {
        return say(format!(
            "chỉ số phải là số nguyên, không phải {}",
            type_vi(v[1])
        ));
    }
    if e == "Not a valid key type" {
        return say("giá trị này không dùng làm khóa được".to_owned());
    }
    if let Some(v) = c("Map keys must be strings, integers, or bools, got `{}`.") {
        return say(format!(
            "khóa của bảng phải là chuỗi, số nguyên hoặc true/false, không phải {}",
            type_vi(v[0])
        ));
    }
    if let Some(v) = c("`in` cannot be used on a container of type `{}`.{*}") {
        return say(format!(
            "'in' chỉ dùng với danh sách, chuỗi hoặc bảng, không dùng với {}",
            type_vi(v[0])
        ));
    }
    if let Some(v) = c("Value of type {} cannot be reversed") {
        return say(format!("không đảo ngược được {}", type_vi(v[0])));
    }

    // Filters, tests and functions.
    if let Some(v) = c("Function `range` would produce {} elements, which exceeds the limit of {}")
    {
        return say_hint(
            format!(
                "range() sẽ tạo {} phần tử, quá giới hạn {}",
                clip(v[0]),
                v[1]
            ),
            "thu hẹp khoảng start–end",
        );
    }
    if c("Function `range` was called with a `start` argument greater than the `end` one").is_some()
    {
        return say("range(): start lớn hơn end".to_owned());
    }
    if c("Function `range` was called with a `step_by` argument of 0").is_some() {
        return say("range(): step_by bằng 0".to_owned());
    }
    if c("Function `range` was called with arguments that overflow i128").is_some() {
        return say("range(): tham số quá lớn".to_owned());
    }
    if let Some(v) = c("The float {} cannot be converted to an int{*}") {
        return say(format!("không đổi được số {} thành số nguyên", clip(v[0])));
    }
    if let Some(v) = c("The string `{}` cannot be converted to an int in base {}") {
        return say(format!(
            "không đổi được chuỗi '{}' thành số nguyên",
            clip(v[0])
        ));
    }
    if let Some(v) = c("Value of type {} cannot be converted to an int") {
        return say(format!("không đổi được {} thành số nguyên", type_vi(v[0])));
    }
    if let Some(v) = c("The string `{}` cannot be converted to a float") {
        return say(format!("không đổi được chuỗi '{}' thành số", clip(v[0])));
    }
    if let Some(v) = c("Value of type {} cannot be converted to a float") {
        return say(format!("không đổi được {} thành số", type_vi(v[0])));
    }
    if let Some(v) = c("int filter `base` must be between 2 and 36, got {}") {
        return say(format!(
            "bộ lọc int: base phải từ 2 đến 36, không phải {}",
            v[0]
        ));
    }
    if let Some(v) = c("Value of type {} has no length") {
        return say(format!("{} không có độ dài", type_vi(v[0])));
    }
    if c("Errored while getting absolute value{*}").is_some() {
        return say("không lấy được giá trị tuyệt đối (tràn số)".to_owned());
    }
    if let Some(v) = c("This filter can only be used on a number, received `{}`.") {
        return say(format!(
            "bộ lọc này chỉ dùng cho số, ở đây là {}",
            type_vi(v[0])
        ));
    }
    if let Some(v) = c("Invalid argument for `method`: {}.{*}") {
        return say_hint(
            format!("method '{}' không dùng được", clip(v[0])),
            "chỉ có ceil hoặc floor; bỏ trống để làm tròn thường",
        );
    }
    if let Some(v) = c("pluralize filter requires an integer, got `{}`") {
        return say(format!(
            "bộ lọc pluralize cần số nguyên, không phải {}",
            type_vi(v[0])
        ));
    }
    if c("The `indentation` argument must contain exactly one character").is_some() {
        return say("tham số indentation phải là đúng một ký tự".to_owned());
    }
    if let Some(v) = c("Cannot sort: `{}` and `{}` are not comparable") {
        return say(format!(
            "không sắp xếp được: {} và {} không so sánh được với nhau",
            type_vi(v[0]),
            type_vi(v[1])
        ));
    }
    if let Some(v) = c("Value at index {} (a {}) does not have an attribute at path: {}") {
        return say(format!(
            "phần tử thứ {} ({}) không có trường '{}'",
            v[0],
            type_vi(v[1]),
            clip(v[2])
        ));
    }
    if let Some(v) = c("Map does not have a key {} and no default values were defined") {
        return say(format!(
            "bảng không có khóa {} và không có giá trị mặc định",
            clip(v[0])
        ));
    }
    if let Some(v) = c("Value `{}` is a float; cannot {*}") {
        return say(format!(
            "phép thử này cần số nguyên, không phải số thập phân {}",
            clip(v[0])
        ));
    }
    if let Some(v) = c("Value `{}` is not a container; cannot check for containment") {
        return say(format!(
            "'{}' không phải danh sách, chuỗi hay bảng",
            clip(v[0])
        ));
    }
    if e == "Maximum render recursion depth for components exceeded." {
        return say_hint(
            "thành phần (component) gọi lại chính nó không dừng (đệ quy quá sâu)".to_owned(),
            "thêm điều kiện dừng hoặc bỏ lời gọi lại",
        );
    }
    if e == "Tried to use super() in the top level block" {
        return say("super() chỉ dùng được trong khối (block) của mẫu con".to_owned());
    }

    // Component calls.
    if let Some(v) = c("Unknown argument(s) {} in component call.{*}") {
        let hint = e
            .split_once("Possible argument(s) are:")
            .and_then(|(_, r)| available(r, "các tham số có", v[0].trim_matches('`')));
        return Some((
            format!("thành phần (component) không có tham số {}", v[0]),
            hint,
        ));
    }
    if let Some(v) = c("Component argument `{}` (type: `{}`) does not match expected type: `{}`") {
        return say(format!(
            "tham số '{}' của thành phần phải là {}, không phải {}",
            v[0],
            type_vi(v[2]),
            type_vi(v[1])
        ));
    }
    if let Some(v) = c("Implicit argument `{}`{*}") {
        return say(format!(
            "thành phần cần tham số '{}', không được truyền vào và trang cũng không có",
            v[0]
        ));
    }
    if let Some(v) = c("Argument `{}`{*}")
        && e.ends_with("missing.")
    {
        return say(format!(
            "thiếu tham số '{}' của thành phần (component)",
            v[0]
        ));
    }

    // Syntax.
    if e == "Unexpected end of input" {
        return say_hint(
            "mẫu kết thúc giữa chừng".to_owned(),
            "thiếu dấu đóng }} hoặc %}, hoặc thiếu thẻ đóng như {% endif %}",
        );
    }
    if e == "Unknown tag" {
        return say_hint(
            "thẻ {% %} không biết hoặc không đúng chỗ".to_owned(),
            "nếu tên thẻ đúng, một thẻ phía trên chưa đóng ({% endif %}, {% endfor %}…); các thẻ có: if, elif, else, for, break, continue, set, set_global, include, extends, block, component, filter, raw và các thẻ end… của chúng",
        );
    }
    if c("Found `<` but expected identifier after it{*}").is_some() {
        return say_hint(
            "sau '<' cần tên một thành phần (component)".to_owned(),
            "dùng < để so sánh thì đặt trong {% if %}",
        );
    }
    if let Some(v) = c("Found invalid field of `loop`: {}.{*}") {
        return say_hint(
            format!("loop không có trường '{}'", v[0]),
            "các trường có: index, index0, first, last, length",
        );
    }
    if let Some(v) = c("Found {} but was expecting {}") {
        return say(format!(
            "gặp {} ở chỗ cần {}",
            token_vi(v[0]),
            expected_vi(v[1])
        ));
    }
    if let Some(v) = c("Found {} but expected {}") {
        return say(format!(
            "gặp {} ở chỗ cần {}",
            token_vi(v[0]),
            expected_vi(v[1])
        ));
    }
    if e == "Invalid float" || e == "Invalid Integer" {
        return say("số viết sai hoặc quá lớn".to_owned());
    }
    if let Some(v) = c("String opened with `{}` is missing its closing `{}`") {
        return say(format!("chuỗi mở bằng {} chưa có dấu {} đóng", v[0], v[1]));
    }
    if e == "unexpected end of string" {
        return say("chuỗi chưa đóng".to_owned());
    }
    if e == "unexpected escape character" {
        return say_hint(
            "ký tự thoát '\\' không hợp lệ trong chuỗi".to_owned(),
            "chỉ dùng \\\", \\', \\\\, \\/, \\n, \\t",
        );
    }
    if e == "unexpected end of raw block" {
        return say("thiếu {% endraw %}".to_owned());
    }
    if let Some(v) = c("Closing comment tag `{}` not found") {
        return say(format!("chú thích chưa đóng bằng {}", v[0]));
    }
    if e == "Unexpected character" {
        return say("ký tự không dùng được ở đây".to_owned());
    }
    if let Some(v) = c("Identifiers can only have up to {} nested brackets.") {
        return say(format!("tên lồng quá {} tầng ngoặc [ ]", v[0]));
    }
    if c("Function calls are only allowed at the first element of a chain").is_some() {
        return say("chỉ gọi hàm được ở đầu một chuỗi a.b.c".to_owned());
    }
    if let Some(v) = c("Keyword argument `{}` is defined more than once") {
        return say(format!("tham số '{}' được ghi hai lần", v[0]));
    }
    if let Some(v) = c("Component argument `{}` is defined more than once") {
        return say(format!(
            "tham số '{}' của thành phần được ghi hai lần",
            v[0]
        ));
    }
    if let Some(v) = c("Arrays can have a maximum of {} dimensions.") {
        return say(format!("danh sách lồng quá {} tầng", v[0]));
    }
    if e == "The expression is too complex" || e == "The template nesting is too deep" {
        return say("biểu thức hoặc các thẻ lồng nhau quá sâu".to_owned());
    }
    if let Some(v) = c("`{}` is not allowed after `~`") {
        return say(format!("'{}' không được đứng sau dấu ~", v[0]));
    }
    if c("Components with body content must use tag syntax{*}").is_some() {
        return say(
            "thành phần có nội dung bên trong phải viết dạng {% <ten()> %}…{% </ten> %}".to_owned(),
        );
    }
    if let Some(v) = c("Unclosed component '{}'") {
        return say(format!("thành phần '{}' chưa có thẻ đóng", v[0]));
    }
    if let Some(v) = c("Closing tag '{}' doesn't match opening tag '{}'") {
        return say(format!("thẻ đóng '{}' không khớp thẻ mở '{}'", v[0], v[1]));
    }
    if let Some(v) = c("{} was named `{}` in the opening tag, found `{}` as name in the end tag") {
        return say(format!(
            "{} mở tên '{}' nhưng đóng bằng tên '{}'",
            context_vi(v[0]),
            v[1],
            v[2]
        ));
    }
    if c("List comprehensions support only a single `for` clause.").is_some() {
        return say("chỉ dùng được một 'for' trong [ … for … ]".to_owned());
    }
    if c("Invalid {}: this map should only contain literal values.").is_some()
        || c("Invalid default argument: this array should only contain literal values.").is_some()
    {
        return say("chỗ này chỉ nhận giá trị viết sẵn, không nhận biến hay biểu thức".to_owned());
    }
    if e == "Component definitions cannot be written in another tag." {
        return say("không định nghĩa thành phần (component) bên trong một thẻ khác".to_owned());
    }
    if let Some(v) = c("Template already contains a component named `{}`") {
        return say(format!("mẫu đã có thành phần tên '{}'", v[0]));
    }
    if let Some(v) = c("Template already contains a block named `{}`") {
        return say(format!("mẫu đã có khối (block) tên '{}'", v[0]));
    }
    if e == "The name `body` is reserved for component body content." {
        return say("tên 'body' dành cho nội dung bên trong thành phần".to_owned());
    }
    if c("Rest parameter `{}` conflicts with an existing parameter.").is_some()
        || e == "Rest parameter must be the last parameter in component definition."
    {
        return say("tham số ...còn-lại phải đứng cuối và không trùng tên tham số khác".to_owned());
    }
    if let Some(v) = c("Default value for `{}` has type `{}` but the argument has type `{}`") {
        return say(format!(
            "giá trị mặc định của '{}' là {}, trong khi tham số là {}",
            v[0],
            type_vi(v[1]),
            type_vi(v[2])
        ));
    }
    if let Some(v) = c("{} is a reserved keyword of Tera, it cannot be assigned to.") {
        return say(format!(
            "'{}' là từ dành riêng, không gán giá trị được",
            v[0]
        ));
    }
    if c("Invalid syntax for `set`{*}").is_some() {
        return say_hint(
            "thẻ set viết sai".to_owned(),
            "viết {% set ten = giá_trị %}",
        );
    }
    if let Some(v) = c("Template is already extending `{}`") {
        return say(format!(
            "mẫu đã kế thừa (extends) '{}'; chỉ được một extends",
            v[0]
        ));
    }
    if let Some(v) = c("Blocks cannot be written inside a {}.") {
        return say(format!(
            "không đặt khối (block) bên trong {}",
            context_vi(v[0])
        ));
    }
    if let Some(v) = c("`{}` cannot be used inside a {}") {
        return say(format!(
            "không dùng '{}' bên trong {}",
            v[0],
            context_vi(v[1])
        ));
    }
    if let Some(v) = c("{} can only be used in a for loop") {
        return say(format!("'{}' chỉ dùng được trong vòng lặp for", v[0]));
    }
    if c("This content would be ignored{*}").is_some() {
        return say_hint(
            "phần này của mẫu con sẽ bị bỏ qua".to_owned(),
            "mẫu có {% extends %} chỉ chứa các khối {% block %} và thành phần ở ngoài cùng",
        );
    }
    None
}

fn part_vi(part: &str) -> &'static str {
    match part {
        "start" => "đầu",
        "end" => "cuối",
        _ => "bước",
    }
}

fn context_vi(context: &str) -> String {
    match context {
        "for loop" => "vòng lặp for".to_owned(),
        "block" => "khối (block)".to_owned(),
        "if statement" => "lệnh if".to_owned(),
        "component definition" => "định nghĩa thành phần".to_owned(),
        "component" => "thành phần".to_owned(),
        other => format!("'{other}'"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_capture_the_shortest_text() {
        assert_eq!(
            captures(
                "Variable `{}` is not defined.{*}",
                "Variable `x` is not defined. A: b"
            ),
            Some(vec!["x"])
        );
        assert_eq!(
            captures(
                "`+` requires both operands to be numbers, found `{}` and `{}`",
                "`+` requires both operands to be numbers, found `string` and `i64`"
            ),
            Some(vec!["string", "i64"])
        );
        assert_eq!(
            captures("Cannot divide by 0", "Cannot divide by 0"),
            Some(vec![])
        );
        assert_eq!(captures("Cannot divide by 0", "Cannot divide by 0!"), None);
        assert_eq!(captures("Unknown tag", "Unknown"), None);
    }

    #[test]
    fn syntax_messages_in_vietnamese() {
        let said = |e: &str| translate(e).map(|(m, _)| m);
        assert_eq!(
            said("Found `}` but expected }}.").as_deref(),
            Some("gặp `}` ở chỗ cần `}}`")
        );
        assert_eq!(
            said("Found identifier but expected }}.").as_deref(),
            Some("gặp một tên ở chỗ cần `}}`")
        );
        assert_eq!(
            said("Found `}}` but expected one of: integer, float, string, bool, ident, `-`, `not`, `<`, `{`, `[` or `(`").as_deref(),
            Some("gặp `}}` ở chỗ cần một số nguyên, một số thập phân, một chuỗi, true/false, một tên, `-`, `not`, `<`, `{`, `[` hoặc `(`")
        );
        assert_eq!(
            said("Found string but expected `...`, a string, an integer or a bool.").as_deref(),
            Some("gặp một chuỗi ở chỗ cần `...`, một chuỗi, một số nguyên hoặc true/false")
        );
    }

    #[test]
    fn types_and_undefined_names_in_vietnamese() {
        let (m, h) = translate("Variable `nosuch` is not defined. Available variables: a, b")
            .unwrap_or_default();
        assert_eq!(m, "biến 'nosuch' không có trong trang này");
        assert_eq!(h.as_deref(), Some("các biến có trong trang này: a, b"));
        let (m, _) = translate("Invalid type for the value, expected `f64` but got `string`")
            .unwrap_or_default();
        assert_eq!(m, "sai kiểu giá trị: cần số thập phân, nhận được chuỗi chữ");
    }

    /// Tera's own errors for broken templates, each said in Vietnamese by
    /// a rule (not the general message), with no English word left.
    #[test]
    fn every_common_tera_error_gets_its_own_vietnamese_message() {
        let cases: &[&str] = &[
            "{{ khong_co }}",
            "{{ so.khong_co }}",
            "{{ chu | khong_co }}",
            "{{ khong_co() }}",
            "{% if chu is khong_co %}x{% endif %}",
            "{{ <khong_co /> }}",
            "{% include \"khong-co.html\" %}",
            "{{ 1 / 0 }}",
            "{{ 1 / zero }}",
            "{{ chu + 1 }}",
            "{{ chu * 2 }}",
            "{{ -chu }}",
            "{% if chu < 3 %}x{% endif %}",
            "{% for x in so %}{{ x }}{% endfor %}",
            "{{ chu | round }}",
            "{{ chu | truncate }}",
            "{{ chu | int }}",
            "{{ chu | float }}",
            "{{ so | length }}",
            "{{ chu | abs }}",
            "{{ so | round(method=\"len\") }}",
            "{% for i in range(end=1000000) %}{% endfor %}",
            "{% for i in range(start=5, end=1) %}{% endfor %}",
            "{% for i in range(end=5, step_by=0) %}{% endfor %}",
            "{{ 170141183460469231731687303715884105727 * 2 }}",
            "{{ so[chu] }}",
            "{{ ds[1:chu] }}",
            "{{ 1.5 is odd }}",
            "{{ 1 in so }}",
            "{{ so | reverse }}",
            "{{ [1, \"a\"] | sort }}",
            "{{ chu }",
            "{{ chu chu }}",
            "{{ chu + }}",
            "{% if chu %}",
            "{% khong_co %}",
            "{{ \"abc }}",
            "{{ loop.khong_co }}",
            "{% for x in ds %}{{ loop.khong_co }}{% endfor %}",
            "{% set %}",
            "{% block a %}{% endblock b %}",
            "{% break %}",
            "{{ f(a=1, a=2) }}",
            "{# chưa đóng",
            "{% set true = 1 %}",
        ];
        let mut failures = Vec::new();
        for case in cases {
            let sources = vec![TemplateSource {
                name: "thu.html".to_owned(),
                text: (*case).to_owned(),
                file: None,
            }];
            let mut tera = tera::Tera::new();
            let error = match tera.add_raw_template("thu.html", case) {
                Err(e) => e,
                Ok(()) => {
                    let mut context = tera::Context::new();
                    context.insert("chu", "chữ");
                    context.insert("so", &5);
                    context.insert("zero", &0);
                    context.insert("ds", &vec![1, 2]);
                    match tera.render("thu.html", &context) {
                        Err(e) => e,
                        Ok(out) => {
                            failures.push(format!("{case:?} rendered: {out:?}"));
                            continue;
                        }
                    }
                }
            };
            let files = Files::new(Vec::new());
            let found = diagnostics(&files, &sources, &error, Some("thu.html"));
            if found.is_empty() {
                failures.push(format!("{case:?}: no diagnostic for {error:?}"));
            }
            for d in found {
                // Template syntax quoted in a hint (`{% if x is defined %}`) is not prose.
                let hint = d.hint.clone().unwrap_or_default();
                let prose: String = hint
                    .split("{%")
                    .map(|part| part.split_once("%}").map_or(part, |(_, after)| after))
                    .collect();
                let said = format!("{} {prose}", d.message);
                if d.message.contains("mẫu không dựng được trang ở chỗ này")
                    || d.message.contains("cú pháp mẫu sai ở đây")
                {
                    failures.push(format!("{case:?}: no rule for {error}"));
                }
                let lower = said.to_lowercase();
                for english in [
                    " the ",
                    " is ",
                    " not ",
                    "expected",
                    "found",
                    "cannot",
                    "invalid",
                    "unknown",
                    "missing",
                    "error",
                    "msg(",
                    "undefined",
                ] {
                    if lower.contains(english) {
                        failures.push(format!("{case:?}: {english:?} in {said:?}"));
                    }
                }
                if d.line == 0 {
                    failures.push(format!("{case:?}: no line for {said:?}"));
                }
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }
}
