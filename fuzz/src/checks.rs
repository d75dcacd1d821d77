//! The properties bantin promises for any input, as functions that panic
//! with a message when one does not hold.
//!
//! Shared word for word by the cargo-fuzz targets (`fuzz/fuzz_targets/*.rs`,
//! through the `bantin_fuzz` library) and by the property tests
//! (`tests/properties.rs`, through `#[path]`), so the quick `cargo test` run
//! and the long fuzzing run check the same things.
//!
//! Only crates that both have may be used here: bantin, chrono, regex,
//! roxmltree, scraper, serde_json, tempfile, zip.

#![allow(dead_code)]

use std::fs;
use std::path::{Component, Path, PathBuf};
use std::sync::{LazyLock, Mutex};

use bantin::diagnostic::{Code, Diagnostic, acts_on_terminal};
use bantin::load::{self, source, yaml};
use bantin::markdown::{self, Context, Resolver};
use bantin::vi::{self, DocSymbol};
use chrono::NaiveDate;
use regex::Regex;

// ---------------------------------------------------------------- slugs

static SLUG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new("^[a-z0-9]+(-[a-z0-9]+)*$").unwrap_or_else(|e| panic!("slug regex: {e}"))
});

/// `^[a-z0-9]+(-[a-z0-9]+)*$` and at most `vi::MAX_SLUG_LEN` bytes.
pub fn is_slug(s: &str) -> bool {
    s.len() <= vi::MAX_SLUG_LEN && SLUG.is_match(s)
}

/// `^[a-z0-9-]+$`, at most 64 bytes: a unit's id.
pub fn is_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// `slugify` gives a slug or nothing, is idempotent and ignores the
/// Unicode form of its input.
pub fn slug(s: &str) {
    let out = vi::slugify(s);
    assert!(
        out.is_empty() || is_slug(&out),
        "slugify({s:?}) = {out:?}: not a slug (or longer than {} bytes)",
        vi::MAX_SLUG_LEN
    );
    assert_eq!(vi::slugify(&out), out, "slugify not idempotent on {s:?}");
    assert_eq!(
        vi::slugify(&vi::nfc(s)),
        out,
        "slugify depends on the Unicode form of {s:?}"
    );
    // The slug of a tag that shares its plain slug with another.
    let marked = vi::slugify_marked(s);
    assert!(
        marked.is_empty() || is_slug(&marked),
        "slugify_marked({s:?}) = {marked:?}: not a slug"
    );
    assert_eq!(marked.is_empty(), out.is_empty(), "slugify_marked({s:?})");
    // Whatever `id_problem` accepts is an id (`[a-z0-9-]+`, SPEC §2.2) and
    // a publishable segment.
    if load::id_problem(s).is_none() {
        assert!(is_id(s), "id_problem accepts {s:?}, not an id");
        assert!(
            bantin::publish::path_problem(s).is_none(),
            "id_problem accepts {s:?}, publish refuses it"
        );
    }
}

// ---------------------------------------------------------------- folding

/// `fold`, `normalize_tone`, `tag_key` and `nfc` are idempotent and agree
/// with each other.
pub fn fold(s: &str) {
    let f = vi::fold(s);
    assert_eq!(vi::fold(&f), f, "fold not idempotent on {s:?}");
    let t = vi::normalize_tone(s);
    assert_eq!(
        vi::normalize_tone(&t),
        t,
        "normalize_tone not idempotent on {s:?}"
    );
    assert_eq!(vi::nfc(&t), t, "normalize_tone({s:?}) is not NFC");
    assert_eq!(
        vi::fold(&t),
        f,
        "normalize_tone changed the letters of {s:?}"
    );
    let k = vi::tag_key(s);
    assert_eq!(vi::tag_key(&k), k, "tag_key not idempotent on {s:?}");
    let n = vi::nfc(s);
    assert_eq!(vi::nfc(&n), n, "nfc not idempotent on {s:?}");
    assert_eq!(vi::fold(&n), f, "fold depends on the Unicode form of {s:?}");
    assert_eq!(
        vi::tag_key(&n),
        k,
        "tag_key depends on the Unicode form of {s:?}"
    );
    // Search terms: the folded text cut at what is not a letter or digit,
    // whatever the Unicode form.
    let expected: Vec<&str> = f
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty() && t.chars().count() <= 40)
        .collect();
    for text in [s, &n] {
        let mut terms: Vec<String> = Vec::new();
        vi::for_each_word(text, 40, |key, variant| {
            // The variant is the key with its diacritics.
            let (base, _) = variant.split_once('|').unwrap_or_default();
            let base = if base.is_empty() { key } else { base };
            assert_eq!(vi::fold(base), key, "variant {variant:?} of {key:?}");
            terms.push(key.to_owned());
        });
        assert_eq!(terms, expected, "search terms of {text:?}");
    }
}

// ---------------------------------------------------------------- symbols

/// `DocSymbol::parse` round-trips and gives slugs; `find_symbols` gives
/// ordered, disjoint ranges on char boundaries whose text is the symbol.
pub fn symbols(s: &str) {
    match DocSymbol::parse(s) {
        Ok(sym) => {
            let printed = sym.to_string();
            assert_eq!(
                DocSymbol::parse(&printed),
                Ok(sym.clone()),
                "{s:?} parsed as {sym:?}, printed {printed:?}, which does not parse back"
            );
            assert!(
                is_slug(&sym.slug()),
                "{s:?}: slug {:?} is not a slug",
                sym.slug()
            );
            assert!(
                printed.chars().count() <= vi::MAX_SYMBOL_LEN,
                "{s:?}: printed form {printed:?} longer than the limit"
            );
        }
        Err(vi::SymbolError::WrongCase { suggestion }) => {
            assert!(
                DocSymbol::parse(&suggestion).is_ok(),
                "{s:?}: suggested {suggestion:?} does not parse"
            );
        }
        Err(e) => {
            assert!(!e.message_vi().is_empty());
        }
    }
    let mut last_end = 0;
    for (range, sym) in vi::find_symbols(s) {
        assert!(
            s.is_char_boundary(range.start) && s.is_char_boundary(range.end),
            "{s:?}: range {range:?} not on char boundaries"
        );
        assert!(
            range.start >= last_end && range.start < range.end,
            "{s:?}: range {range:?} out of order (previous ended at {last_end})"
        );
        last_end = range.end;
        let text = &s[range.clone()];
        assert_eq!(
            text,
            sym.to_string(),
            "{s:?}: text at {range:?} is not the symbol found"
        );
        assert_eq!(DocSymbol::parse(text).as_ref(), Ok(&sym));
    }
}

// ---------------------------------------------------------------- numbers and dates

static GROUPED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^-?(0|[1-9][0-9]{0,2}(\.[0-9]{3})*)(,[0-9]+)?$")
        .unwrap_or_else(|e| panic!("number regex: {e}"))
});

/// Formatted numbers have Vietnamese grouping, read back exactly, and never
/// print `-0`; parsed dates print and parse back to themselves.
pub fn numbers(a: i64, b: i64, digits: u32, text: &str) {
    let s = vi::int(a);
    assert!(GROUPED.is_match(&s), "int({a}) = {s:?}");
    assert_eq!(
        s.replace('.', "").parse::<i128>().ok(),
        Some(i128::from(a)),
        "int({a}) = {s:?} does not read back"
    );

    let d = vi::decimal(a, b, digits);
    assert_eq!(d.is_none(), b == 0, "decimal({a}, {b}, {digits}) = {d:?}");
    if let Some(d) = d {
        assert!(GROUPED.is_match(&d), "decimal({a}, {b}, {digits}) = {d:?}");
        let want = digits.min(vi::MAX_DIGITS) as usize;
        let frac = d.split_once(',').map_or(0, |(_, f)| f.len());
        assert_eq!(frac, want, "decimal({a}, {b}, {digits}) = {d:?}");
        assert!(
            !(d.starts_with('-') && d.bytes().all(|c| matches!(c, b'-' | b'0' | b',' | b'.'))),
            "decimal({a}, {b}, {digits}) = {d:?}: negative zero"
        );
        // Exact: the printed value is within half a unit of the last place.
        let printed: i128 = d.replace(['.', ','], "").parse().unwrap_or(i128::MAX);
        let scale = 10i128.pow(want as u32);
        let (num, den) = (i128::from(a) * scale, i128::from(b));
        let err = (printed * den - num).abs();
        assert!(
            2 * err <= den.abs(),
            "decimal({a}, {b}, {digits}) = {d:?} is not the rounded ratio"
        );
    }
    let p = vi::percent(a, b);
    assert_eq!(p.is_none(), b == 0, "percent({a}, {b}) = {p:?}");
    if let Some(p) = p {
        let body = p.strip_suffix('%');
        assert!(
            body.is_some_and(|n| GROUPED.is_match(n) && n.contains(',')),
            "percent({a}, {b}) = {p:?}"
        );
    }

    if let Some(date) = vi::parse_date(text) {
        let year = chrono::Datelike::year(&date);
        assert!(
            (vi::MIN_YEAR..=vi::MAX_YEAR).contains(&year),
            "parse_date({text:?}) = {date}"
        );
        assert_eq!(vi::parse_date(&vi::date_short(date)), Some(date));
        assert_eq!(vi::parse_date(&date.to_string()), Some(date));
        assert_eq!(
            vi::parse_datetime(text).map(|t| t.date_naive()),
            Some(date),
            "parse_datetime({text:?}) disagrees with parse_date"
        );
    }
    if let Some(t) = vi::parse_datetime(text) {
        let again = vi::parse_datetime(&t.to_rfc3339());
        assert_eq!(
            again,
            Some(t),
            "parse_datetime({text:?}) = {t} does not round-trip"
        );
        let _ = vi::datetime(t);
    }
}

// ---------------------------------------------------------------- output paths

/// A path `publish::path_problem` accepts stays inside the output folder.
pub fn path(p: &str) {
    if bantin::publish::path_problem(p).is_some() {
        return;
    }
    assert!(!p.is_empty());
    let path = Path::new(p);
    assert!(
        path.components().all(|c| matches!(c, Component::Normal(_))),
        "path_problem accepts {p:?}, which is not a plain relative path"
    );
    assert!(
        !p.chars().any(|c| c.is_control() || c == '\\' || c == ':'),
        "path_problem accepts {p:?} with a forbidden character"
    );
    let joined = Path::new("/out").join(path);
    assert!(joined.starts_with("/out/") && joined != Path::new("/out"));
}

// ---------------------------------------------------------------- file names in URLs

/// A media file's URL holds only unreserved characters and `%XX`, decodes
/// back to the file's path, and every relative link to it from a page is
/// a path (no scheme, no host) that climbs no higher than the site root.
pub fn media_url(name: &str) {
    // Names come from a folder listing: no empty, `.` or `..` segments.
    if name.split('/').any(|p| matches!(p, "" | "." | "..")) {
        return;
    }
    let rel = format!("media/{name}");
    let url = bantin::pages::media(&rel);
    assert!(
        url.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~/%".contains(&b)),
        "media({rel:?}) = {url:?}: not fully encoded"
    );
    assert_eq!(
        bantin::pages::path_of_url(&url),
        format!("/{rel}"),
        "{url:?} does not decode back"
    );
    for page in PAGE_URLS {
        let link = bantin::pages::relative(page, &url);
        assert!(
            url_scheme(&link).is_none() && !link.starts_with('/'),
            "link {link:?} from {page} to {rel:?} is not relative"
        );
        let depth = page
            .trim_matches('/')
            .split('/')
            .filter(|s| !s.is_empty())
            .count();
        let path = link.split(['#', '?']).next().unwrap_or("");
        let ups = path.split('/').take_while(|s| *s == "..").count();
        let later = path.split('/').skip(ups).any(|s| s == ".." || s == ".");
        assert!(
            ups <= depth && !later,
            "link {link:?} from {page} climbs above the root"
        );
    }
}

// ---------------------------------------------------------------- active content

/// Scanning for script never panics, gives a place inside the text, and
/// finds something whenever the plainest forms are there.
pub fn active_scan(bytes: &[u8]) {
    use bantin::load::active::{Scan, scan_bytes};
    let scan = scan_bytes(bytes);
    assert_eq!(scan, scan_bytes(bytes), "scan not deterministic");
    let lower = bytes.to_ascii_lowercase();
    // The needle, not followed by more of a name (`<scriptx` is another element).
    let has = |needle: &[u8]| {
        lower.windows(needle.len()).enumerate().any(|(i, w)| {
            w == needle
                && !lower
                    .get(i + needle.len())
                    .is_some_and(|&b| b.is_ascii_alphanumeric() || b"-_.:".contains(&b))
        })
    };
    let utf16 = bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]);
    match scan {
        Scan::Active(a) => {
            let lines = bytes.iter().filter(|&&b| b == b'\n').count() + 1;
            assert!(
                a.line >= 1 && a.col >= 1 && (utf16 || a.line as usize <= lines),
                "place {}:{} outside the text",
                a.line,
                a.col
            );
            no_controls(&a.what, "active content description");
        }
        Scan::Inert if !utf16 => {
            for needle in [&b"<script"[..], b"javascript:", b" onload=", b"<iframe"] {
                assert!(
                    !has(needle),
                    "{:?} found nothing",
                    String::from_utf8_lossy(needle)
                );
            }
        }
        Scan::Inert | Scan::TooLong => {}
    }
}

// ---------------------------------------------------------------- printing

/// A diagnostic prints as one line, whatever its file name, message and
/// hint hold: nothing in it can break the line, move a terminal's cursor,
/// set its title or reorder the line.
pub fn printed(d: &Diagnostic) {
    let line = d.to_string();
    assert!(
        !line.chars().any(acts_on_terminal),
        "a diagnostic prints {line:?}"
    );
    assert!(
        line.contains(&format!(
            ": {}[{}]: ",
            match d.severity() {
                bantin::diagnostic::Severity::Error => "error",
                bantin::diagnostic::Severity::Warning => "warning",
            },
            d.code.as_str()
        )),
        "{line:?} lost its shape"
    );
}

/// [`printed`] for a diagnostic made of any text.
pub fn printed_text(file: &str, message: &str, hint: &str) {
    for code in [Code::BadFileName, Code::UnexpectedFile] {
        printed(&Diagnostic {
            code,
            file: file.to_owned(),
            line: 1,
            col: 1,
            message: message.to_owned(),
            hint: (!hint.is_empty()).then(|| hint.to_owned()),
        });
    }
}

// ---------------------------------------------------------------- source text

/// `source::decode` gives text without BOM or CR, or an error with a place.
pub fn decode(bytes: &[u8]) {
    match source::decode(bytes.to_vec()) {
        Ok(text) => {
            assert!(!text.contains('\r'), "decode left a CR");
            assert!(
                !text.starts_with('\u{feff}') || bytes.starts_with(b"\xEF\xBB\xBF\xEF\xBB\xBF")
            );
        }
        Err(e) => {
            assert!(
                e.line >= 1 && e.col >= 1,
                "decode error without a place: {e:?}"
            );
            no_controls(&e.message, "decode error");
        }
    }
}

fn no_controls(s: &str, what: &str) {
    assert!(
        !s.chars().any(|c| c.is_control() && c != '\n'),
        "{what} echoes a control character: {s:?}"
    );
}

/// Bytes as the loader sees them after `source::decode`: BOM dropped, line
/// ends `\n` (invalid UTF-8 replaced instead of refused, so every input is
/// parsed).
pub fn source_text(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = String::from_utf8_lossy(bytes);
    if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text.into_owned()
    }
}

// ---------------------------------------------------------------- YAML and front matter

fn line_count(text: &str) -> u32 {
    u32::try_from(text.split('\n').count()).unwrap_or(u32::MAX)
}

fn walk_nodes(node: &yaml::Node, f: &mut dyn FnMut(&yaml::Node)) {
    f(node);
    match &node.value {
        yaml::Value::Seq(items) => items.iter().for_each(|n| walk_nodes(n, f)),
        yaml::Value::Map(entries) => entries.iter().for_each(|(k, v)| {
            walk_nodes(k, f);
            walk_nodes(v, f);
        }),
        _ => {}
    }
}

/// `yaml::parse` never panics, and every node (or the error) points at a
/// line of the text, shifted by `offset`.
pub fn yaml(text: &str, offset: u32) {
    let lines = line_count(text);
    match yaml::parse(text, offset) {
        Ok(root) => walk_nodes(&root, &mut |n| {
            assert!(
                n.line > offset && n.line <= offset + lines,
                "node {:?} at line {} outside lines {}..={} of {text:?}",
                n.value,
                n.line,
                offset + 1,
                offset + lines
            );
        }),
        Err(e) => {
            assert!(
                e.line <= offset + lines,
                "YAML error at line {} past the end (line {}) of {text:?}: {e:?}",
                e.line,
                offset + lines
            );
            assert!(!e.message.is_empty());
        }
    }
}

/// `split_front_matter` cuts the text into pieces of itself, and the body
/// line is where the body starts.
pub fn front_matter(text: &str) {
    let Ok(parts) = load::split_front_matter(text) else {
        return;
    };
    let base = text.as_ptr() as usize;
    let front_at = parts.front.as_ptr() as usize - base;
    let body_at = parts.body.as_ptr() as usize - base;
    assert!(front_at + parts.front.len() <= body_at && body_at + parts.body.len() == text.len());
    assert_eq!(
        text.get(front_at..front_at + parts.front.len()),
        Some(parts.front)
    );
    assert!(text.starts_with("---"));
    if !parts.body.is_empty() {
        let line = line_count(&text[..body_at]);
        assert_eq!(
            parts.body_line, line,
            "body of {text:?} said to start at line {}, starts at line {line}",
            parts.body_line
        );
    }
    yaml(parts.front, parts.front_line_offset);
}

// ---------------------------------------------------------------- loading a site

/// What a fuzzed file is, and where it goes in the base site.
pub const KINDS: &[&str] = &[
    "content/site.yaml",
    "content/units.yaml",
    "content/plans/2023-kh-366.yaml",
    "content/results/2023/q1.yaml",
    "content/articles/2023/ngan-son-chu-trong-phat-trien-dang-vien.md",
    "content/results/2024/q1.md",
];

/// A copy of `tests/fixtures/base` in a temporary folder; one of its files
/// at a time is replaced by a fuzzed one and put back afterwards.
pub struct Site {
    dir: tempfile::TempDir,
    originals: Vec<Vec<u8>>,
    /// One swap at a time (the property tests run on several threads).
    busy: Mutex<()>,
    /// The base site's units, loaded once.
    units: std::sync::OnceLock<Vec<bantin::model::Unit>>,
}

impl Site {
    pub fn new(fixtures: &Path) -> Site {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
        copy_tree(&fixtures.join("base"), dir.path());
        let originals = KINDS
            .iter()
            .map(|k| fs::read(dir.path().join(k)).unwrap_or_else(|e| panic!("{k}: {e}")))
            .collect();
        Site {
            dir,
            originals,
            busy: Mutex::new(()),
            units: std::sync::OnceLock::new(),
        }
    }

    /// The base site's units (read while no file is swapped).
    pub fn units(&self) -> &[bantin::model::Unit] {
        self.units.get_or_init(|| {
            let _busy = self.busy.lock().unwrap_or_else(|e| e.into_inner());
            load::load(self.root()).0.units
        })
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// The base site's file of kind `kind % KINDS.len()`.
    pub fn original(&self, kind: usize) -> &[u8] {
        &self.originals[kind % KINDS.len()]
    }

    /// Runs `f` with `bytes` as the file of kind `kind % KINDS.len()`.
    pub fn with_file<T>(&self, kind: usize, bytes: &[u8], f: impl FnOnce(&Path) -> T) -> T {
        let _busy = self.busy.lock().unwrap_or_else(|e| e.into_inner());
        let i = kind % KINDS.len();
        let path = self.root().join(KINDS[i]);
        fs::write(&path, bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let out = f(self.root());
        fs::write(&path, &self.originals[i]).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        out
    }
}

impl Site {
    /// Runs `f` with `bytes` as the site's own `templates/home.html`.
    pub fn with_template<T>(&self, bytes: &[u8], f: impl FnOnce(&Path) -> T) -> T {
        let _busy = self.busy.lock().unwrap_or_else(|e| e.into_inner());
        let dir = self.root().join("templates");
        fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        fs::write(dir.join("home.html"), bytes).unwrap_or_else(|e| panic!("home.html: {e}"));
        let out = f(self.root());
        fs::remove_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        out
    }
}

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap_or_else(|e| panic!("{}: {e}", to.display()));
    let entries = fs::read_dir(from).unwrap_or_else(|e| panic!("{}: {e}", from.display()));
    for entry in entries.flatten() {
        let (src, dst): (PathBuf, PathBuf) = (entry.path(), to.join(entry.file_name()));
        if src.is_dir() {
            copy_tree(&src, &dst);
        } else {
            fs::copy(&src, &dst).unwrap_or_else(|e| panic!("{}: {e}", src.display()));
        }
    }
}

/// Loading never panics; every diagnostic points into a file that exists,
/// at a line it has, and echoes no control character.
pub fn load_site(site: &Site, kind: usize, bytes: &[u8]) {
    let text = source_text(bytes);
    if kind % KINDS.len() == 4 {
        front_matter(&text);
    } else if kind % KINDS.len() != 5 {
        yaml(&text, 0);
    }
    site.with_file(kind, bytes, |root| {
        let diagnostics = load::load(root).1;
        check_diagnostics(root, &diagnostics);
    });
}

/// Checks `diagnostics` against the files in `root` as they are now.
pub fn check_diagnostics(root: &Path, diagnostics: &[Diagnostic]) {
    for d in diagnostics {
        printed(d);
        no_controls(&d.message, "diagnostic message");
        if let Some(h) = &d.hint {
            no_controls(h, "diagnostic hint");
        }
        let Ok(bytes) = fs::read(root.join(&d.file)) else {
            continue;
        };
        let lines = line_count(&source_text(&bytes));
        assert!(
            d.line <= lines,
            "{}:{}:{} past the last line ({lines}): {}",
            d.file,
            d.line,
            d.col,
            d.message
        );
    }
}

// ---------------------------------------------------------------- Markdown

/// A small site: a few pages, and a plan page for every symbol.
pub struct FakeSite;

impl Resolver for FakeSite {
    fn exists(&self, p: &str) -> bool {
        matches!(
            p,
            "/" | "/don-vi/ngan-son/"
                | "/tin-tuc/bai/"
                | "/media/2023/anh.png"
                | "/ban-tin/2023/quy-1/"
        )
    }

    fn plan_url(
        &self,
        symbol: &DocSymbol,
        issued: Option<NaiveDate>,
        year: Option<i32>,
    ) -> Option<String> {
        let year = issued.map_or(year.unwrap_or(2023), |d| chrono::Datelike::year(&d));
        (!symbol.number.ends_with('9')).then(|| bantin::pages::plan(symbol, year))
    }
}

/// Pages the rendered Markdown may go into, the site root last (where a
/// relative link has no `../` in front: `regression_markdown_site_path_scheme_at_root`).
pub const PAGE_URLS: &[&str] = &[
    "/tin-tuc/bai/",
    "/ban-tin/2023/quy-1/",
    "/ke-hoach/366-kh-tu-2023/",
    "/",
];

/// Index of the site root in [`PAGE_URLS`].
pub const ROOT_PAGE: usize = 3;

pub fn render(text: &str, page: usize) -> markdown::Rendered {
    let mut cx = Context {
        page_url: PAGE_URLS[page % PAGE_URLS.len()],
        resolver: &FakeSite,
        year: Some(2023),
        used_ids: Default::default(),
    };
    markdown::render(text, &mut cx)
}

/// Rendering never panics, is deterministic, reports problems inside the
/// text, and the HTML has no live script, event handler or unsafe URL (and
/// is well-formed, see [`markdown_well_formed`]).
pub fn markdown(text: &str, page: usize) {
    let first = render(text, page);
    let second = render(text, page);
    assert_eq!(
        first.html, second.html,
        "rendering {text:?} is not deterministic"
    );
    assert_eq!(
        first.problems, second.problems,
        "problems for {text:?} differ between runs"
    );
    for p in &first.problems {
        assert!(
            p.offset <= text.len(),
            "problem offset {} past the end: {p:?}",
            p.offset
        );
        no_controls(&p.message, "link problem message");
    }
    if let Some(why) = unsafe_html(&first.html, false) {
        panic!(
            "Markdown {text:?} renders unsafe HTML ({why}):\n{}",
            first.html
        );
    }
    markdown_well_formed(text, page);
    let _ = markdown::first_paragraph_text(text);
}

/// Markdown without raw HTML renders HTML that parses without a single
/// html5ever error (what the integration tests demand of whole pages), so
/// no stray end tag closes the theme's elements. (Raw HTML is the writer's
/// own; ammonia's output of broken raw HTML need not re-parse cleanly.)
/// NUL is left out: the loader refuses it, and pulldown-cmark 0.13 keeps it.
pub fn markdown_well_formed(text: &str, page: usize) {
    if text.contains('<') {
        return;
    }
    let text = text.replace('\0', "");
    let html = render(&text, page).html;
    let parsed = scraper::Html::parse_fragment(&html);
    assert!(
        parsed.errors.is_empty(),
        "Markdown {text:?} renders HTML with parse errors {:?}:\n{html}",
        parsed.errors
    );
    // Ids made for headings and footnotes are unique, and every footnote
    // link (to the note, back to the reference) has its target.
    let ids = markdown::ids_in(&html);
    assert!(
        ids.values().all(|n| *n == 1),
        "Markdown {text:?} renders an id twice: {ids:?}\n{html}"
    );
    if let Ok(links) =
        scraper::Selector::parse("sup.footnote-reference a, sup.footnote-definition-label a")
    {
        for a in parsed.select(&links) {
            let target = a.value().attr("href").unwrap_or("").trim_start_matches('#');
            assert!(
                ids.contains_key(target),
                "Markdown {text:?}: footnote link #{target} has no target\n{html}"
            );
        }
    }
}

/// The scheme a browser sees in a URL attribute, lower-cased: as the WHATWG
/// URL parser does, leading and trailing C0 controls and spaces are
/// dropped and tabs and newlines removed everywhere (other controls inside,
/// as in `jav\u{16}script:`, end the scheme: such a URL is relative). A
/// NUL was already turned into U+FFFD by the HTML parser.
fn url_scheme(value: &str) -> Option<String> {
    let cleaned: String = value
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect::<String>()
        .to_ascii_lowercase();
    let colon = cleaned.find(':')?;
    let scheme = &cleaned[..colon];
    let mut chars = scheme.chars();
    let first = chars.next()?;
    (first.is_ascii_alphabetic()
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
    .then(|| scheme.to_owned())
}

const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "poster",
    "data",
    "background",
    "cite",
    "srcset",
    "ping",
];

/// Why `html` can run script, if it can: a `<script>` (one with a local
/// `src` allowed when `scripts_with_src`), an element that loads active
/// content, an `on…` attribute, or a URL attribute with a scheme other than
/// http, https, mailto, tel.
pub fn unsafe_html(html: &str, scripts_with_src: bool) -> Option<String> {
    let doc = scraper::Html::parse_document(html);
    for node in doc.tree.nodes() {
        let Some(el) = node.value().as_element() else {
            continue;
        };
        let name = el.name();
        if matches!(
            name,
            "iframe" | "frame" | "frameset" | "object" | "embed" | "applet" | "base"
        ) {
            return Some(format!("<{name}> element"));
        }
        if name == "script" {
            let local_src = el
                .attr("src")
                .is_some_and(|s| url_scheme(s).is_none() && !s.trim_start().starts_with("//"));
            let empty = node.children().next().is_none();
            // Structured data (JSON-LD) of a page: one JSON value, no code.
            let data = scripts_with_src
                && el.attr("type") == Some("application/ld+json")
                && el.attr("src").is_none()
                && node
                    .first_child()
                    .and_then(|c| c.value().as_text())
                    .is_some_and(|t| serde_json::from_str::<serde_json::Value>(t).is_ok());
            let ours = scripts_with_src && local_src && empty;
            if !(data || ours) {
                return Some("<script> element".to_owned());
            }
        }
        if name == "meta" && el.attr("http-equiv").is_some() {
            return Some("<meta http-equiv>".to_owned());
        }
        for (attr, value) in el.attrs() {
            let attr = attr.to_ascii_lowercase();
            if attr.starts_with("on") {
                return Some(format!(
                    "event handler attribute {attr}={value:?} on <{name}>"
                ));
            }
            if URL_ATTRIBUTES.contains(&attr.as_str()) {
                let candidates: Vec<&str> = if attr == "srcset" {
                    value.split(',').collect()
                } else {
                    vec![value]
                };
                for candidate in candidates {
                    if let Some(s) = url_scheme(candidate)
                        && !matches!(s.as_str(), "http" | "https" | "mailto" | "tel")
                    {
                        return Some(format!("{attr}={value:?} with scheme {s}: on <{name}>"));
                    }
                }
            }
            if attr == "style" && value.to_ascii_lowercase().contains("url(") {
                return Some(format!("style with url(): {value:?}"));
            }
        }
    }
    None
}

// ---------------------------------------------------------------- the whole build

/// The whole build in memory (load, check, pages, render) with one fuzzed
/// file: never panics; every output path is publishable and no segment is
/// a Windows device name (`con`, `aux`, `nul`, `com1`...); no output holds
/// a NUL; every page is free of live script other than the theme's own
/// local `<script src>`; feeds and sitemap are well-formed XML, JSON files
/// parse, and the search index script is one JSON value.
pub fn build_site(site: &Site, kind: usize, bytes: &[u8]) {
    let options = bantin::render::Options {
        drafts: true,
        base_url: None,
    };
    let sink = bantin::publish::Memory::default();
    let outcome = site.with_file(kind, bytes, |root| {
        bantin::pipeline::build(root, &options, &sink, &bantin::progress::Silent)
    });
    if let Some(e) = &outcome.failed {
        panic!("the rendered site was refused: {e}");
    }
    outcome.diagnostics.iter().for_each(printed);
    if outcome.pages.is_none() {
        return;
    }
    for f in &sink.into_files() {
        assert!(
            !f.path.split('/').any(load::is_reserved_name),
            "output path {:?} has a Windows device name",
            f.path
        );
        assert!(
            bantin::publish::path_problem(&f.path).is_none(),
            "output path {:?} refused by publish",
            f.path
        );
        path(&f.path);
        let bantin::publish::Content::Bytes(bytes) = &f.content else {
            continue;
        };
        if f.path.ends_with(".png") {
            // A picture of the theme: bytes, not text.
            continue;
        }
        let text = String::from_utf8_lossy(bytes);
        assert!(!text.contains('\0'), "{} holds a NUL character", f.path);
        if f.path.ends_with(".html") {
            if let Some(why) = unsafe_html(&text, true) {
                panic!("{} has unsafe HTML ({why})", f.path);
            }
        } else if f.path.ends_with(".xml") {
            if let Err(e) = roxmltree::Document::parse(&text) {
                panic!("{} is not well-formed XML: {e}", f.path);
            }
        } else if f.path.ends_with(".json") {
            assert!(
                serde_json::from_str::<serde_json::Value>(&text).is_ok(),
                "{} is not JSON",
                f.path
            );
        } else if f.path.ends_with(".js") && text.starts_with("window.") {
            let json = text
                .split_once(" = ")
                .and_then(|(_, j)| j.trim_end().strip_suffix(';'));
            assert!(
                json.is_some_and(|j| serde_json::from_str::<serde_json::Value>(j).is_ok()),
                "{} is not one JSON value assigned",
                f.path
            );
        }
    }
}

// ---------------------------------------------------------------- templates

/// The theme's home page template: the seed a site's own is mutated from.
pub fn home_template() -> &'static str {
    bantin::render::TEMPLATES
        .iter()
        .find(|(name, _)| *name == "home.html")
        .map_or("", |(_, text)| text)
}

/// The whole build with `bytes` as the site's own `templates/home.html`:
/// never panics, and every template problem names that file — the site's,
/// never the theme's — at one of its lines, in Vietnamese, never in a Rust
/// debug form (`Msg(…)`, `CircularInclude { tpl: … }`).
pub fn build_with_template(site: &Site, bytes: &[u8]) {
    let options = bantin::render::Options {
        drafts: true,
        base_url: None,
    };
    let sink = bantin::publish::Memory::default();
    let outcome = site.with_template(bytes, |root| {
        bantin::pipeline::build(root, &options, &sink, &bantin::progress::Silent)
    });
    let lines = line_count(&source_text(bytes));
    for d in &outcome.diagnostics {
        printed(d);
        if d.code != Code::Template {
            continue;
        }
        assert_eq!(
            d.file, "templates/home.html",
            "a problem of the site's home.html blamed elsewhere: {d}"
        );
        assert!(d.line <= lines, "{d}: past the last line ({lines})");
        assert!(d.message.starts_with("lỗi mẫu trang: "), "{d}");
        for debug in ["Msg(", "{ tpl", "Error {", "_chain", "Some(\"", "Kind"] {
            assert!(!d.message.contains(debug), "{debug:?} in {d}");
        }
    }
}

// ---------------------------------------------------------------- import

/// What a fuzz input becomes for `bantin import`, from its first byte:
/// 0 CSV text; 1 a workbook file as it is; 2 an .xlsx package whose parts
/// (sheet, shared strings, styles, workbook, relationships) are the rest cut
/// at NUL bytes, the missing or empty ones filled in (deflated when the
/// byte's high bit is set); 3 an .ods whose `content.xml`
/// is the rest; 4 an .xls whose workbook stream is the rest. So the
/// fuzzer reaches the XML and record readers inside well-formed containers
/// as well as the containers themselves.
pub fn import_file(data: &[u8]) -> (&'static str, Vec<u8>) {
    let Some((&mode, rest)) = data.split_first() else {
        return ("bang.csv", Vec::new());
    };
    match (mode & 0x7F) % 5 {
        0 => ("bang.csv", rest.to_vec()),
        1 => ("bang.xlsx", rest.to_vec()),
        2 => ("bang.xlsx", xlsx_package(rest, mode & 0x80 != 0)),
        3 => ("bang.ods", ods_package(rest)),
        _ => ("bang.xls", compound_file(rest)),
    }
}

const XLSX_PARTS: [(&str, &str); 6] = [
    (
        "xl/worksheets/sheet1.xml",
        r#"<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>Kết nạp</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>an-thinh</t></is></c><c r="B2"><v>3</v></c></row></sheetData></worksheet>"#,
    ),
    (
        "xl/sharedStrings.xml",
        r#"<sst count="1" uniqueCount="1"><si><t>Đơn vị</t></si></sst>"#,
    ),
    (
        "xl/styles.xml",
        r#"<styleSheet><numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts><fonts count="1"><font><name val="Times New Roman"/></font></fonts><cellXfs count="2"><xf numFmtId="0" fontId="0"/><xf numFmtId="164" fontId="0"/></cellXfs></styleSheet>"#,
    ),
    (
        "xl/workbook.xml",
        r#"<workbook xmlns:r="r"><sheets><sheet name="Quý III" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
    ),
    (
        "xl/_rels/workbook.xml.rels",
        r#"<Relationships><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#,
    ),
    (
        "_rels/.rels",
        r#"<Relationships><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
    ),
];

fn zip_of(parts: &[(&str, &[u8])], deflated: bool) -> Vec<u8> {
    use std::io::Write;
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let method = if deflated {
        zip::CompressionMethod::Deflated
    } else {
        zip::CompressionMethod::Stored
    };
    let options = zip::write::SimpleFileOptions::default().compression_method(method);
    for (name, bytes) in parts {
        out.start_file(*name, options)
            .and_then(|()| out.write_all(bytes).map_err(zip::result::ZipError::from))
            .unwrap_or_else(|e| panic!("zip: {e}"));
    }
    out.finish()
        .unwrap_or_else(|e| panic!("zip: {e}"))
        .into_inner()
}

/// An .xlsx of the parts cut from `rest` (see [`import_file`]).
pub fn xlsx_package(rest: &[u8], deflated: bool) -> Vec<u8> {
    let mut given = rest.split(|&b| b == 0);
    let parts: Vec<(&str, &[u8])> = XLSX_PARTS
        .iter()
        .map(|(name, default)| match given.next() {
            Some(part) if !part.is_empty() => (*name, part),
            _ => (*name, default.as_bytes()),
        })
        .collect();
    zip_of(&parts, deflated)
}

/// An .ods whose `content.xml` is `content`.
pub fn ods_package(content: &[u8]) -> Vec<u8> {
    zip_of(
        &[
            (
                "mimetype",
                b"application/vnd.oasis.opendocument.spreadsheet",
            ),
            ("META-INF/manifest.xml", b"<manifest:manifest/>"),
            ("content.xml", content),
        ],
        false,
    )
}

/// An OLE compound file (512-byte sectors) whose `Workbook` stream is
/// `stream`, padded past the mini stream's cut-off.
pub fn compound_file(stream: &[u8]) -> Vec<u8> {
    const END: u32 = 0xFFFF_FFFE;
    const FREE: u32 = 0xFFFF_FFFF;
    let mut stream = stream.to_vec();
    stream.resize(stream.len().max(4096), 0);
    let sectors = stream.len().div_ceil(512);
    let fat_sectors = (sectors + 2).div_ceil(127);
    let first = 1 + fat_sectors;
    let mut fat = vec![FREE; fat_sectors * 128];
    fat[0] = END;
    for f in 0..fat_sectors {
        fat[1 + f] = 0xFFFF_FFFD;
    }
    for i in 0..sectors {
        fat[first + i] = if i + 1 == sectors {
            END
        } else {
            (first + i + 1) as u32
        };
    }
    let mut out = vec![0_u8; 512];
    out[..8].copy_from_slice(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1");
    out[26..28].copy_from_slice(&3_u16.to_le_bytes());
    out[28..30].copy_from_slice(&0xFFFE_u16.to_le_bytes());
    out[30..32].copy_from_slice(&9_u16.to_le_bytes());
    out[32..34].copy_from_slice(&6_u16.to_le_bytes());
    out[44..48].copy_from_slice(&(fat_sectors as u32).to_le_bytes());
    out[56..60].copy_from_slice(&4096_u32.to_le_bytes());
    out[60..64].copy_from_slice(&END.to_le_bytes());
    out[68..72].copy_from_slice(&END.to_le_bytes());
    for i in 0..109 {
        let id = if i < fat_sectors {
            (1 + i) as u32
        } else {
            FREE
        };
        out[76 + 4 * i..80 + 4 * i].copy_from_slice(&id.to_le_bytes());
    }
    let entry = |name: &str, kind: u8, start: u32, size: u32| {
        let mut e = vec![0_u8; 128];
        for (i, u) in name.encode_utf16().enumerate() {
            e[2 * i..2 * i + 2].copy_from_slice(&u.to_le_bytes());
        }
        e[64..66].copy_from_slice(&(((name.len() + 1) * 2) as u16).to_le_bytes());
        e[66] = kind;
        e[116..120].copy_from_slice(&start.to_le_bytes());
        e[120..124].copy_from_slice(&size.to_le_bytes());
        e
    };
    out.extend(entry("Root Entry", 5, END, 0));
    out.extend(entry("Workbook", 2, first as u32, stream.len() as u32));
    out.extend(vec![0_u8; 256]);
    for id in fat {
        out.extend(id.to_le_bytes());
    }
    out.extend(&stream);
    out.resize(512 * (1 + first + sectors), 0);
    out
}

/// `bantin import`'s reading of a spreadsheet never panics, gives the
/// same problems twice, and every problem names the file, echoes no
/// control character and says E101 (unreadable), E106 (too large) or a
/// problem of a cell or column.
pub fn import(site: &Site, data: &[u8]) {
    let (name, bytes) = import_file(data);
    let quarter =
        bantin::stats::Quarter::new(2024, 3).unwrap_or_else(|| panic!("quarter III/2024"));
    let problems = bantin::import::read_bytes(name, &bytes, site.units(), quarter);
    for p in &problems {
        assert!(p.place.starts_with(name), "{p} does not name {name}");
        no_controls(&p.place, "import problem place");
        no_controls(&p.message, "import problem message");
        if let Some(h) = &p.hint {
            no_controls(h, "import problem hint");
        }
    }
    let again = bantin::import::read_bytes(name, &bytes, site.units(), quarter);
    assert_eq!(problems, again, "reading {name} twice differs");
}
