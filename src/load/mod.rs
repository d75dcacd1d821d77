//! `content/` (and the site's `templates/` and `static/`) → the typed model.
//!
//! Lists the files, decides what each one is from its path, then reads them
//! in parallel. Loading never stops at a problem: it returns the model of
//! whatever could be read together with every diagnostic found.

pub mod active;
mod articles;
mod plans;
mod read;
mod results;
pub mod source;
pub(crate) mod units;
pub mod walk;
pub mod yaml;

pub use articles::split_front_matter;
pub use read::{MAX_COUNT, id_problem, is_reserved_name, shown};
pub use units::DEFAULT_ARTICLES_PER_PAGE;

use std::path::Path;

use rayon::prelude::*;

use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::{
    Article, Asset, Editorial, FileId, Files, Loc, Plan, QuarterReport, Section, Site, SiteConfig,
    Unit,
};
use read::Reader;
use walk::Found;

/// What a file is, from where it sits.
#[derive(Debug, Clone, PartialEq)]
enum Kind {
    SiteConfig,
    Units,
    Plan {
        year: Option<i32>,
    },
    Report {
        year: i32,
        quarter: u8,
    },
    Editorial {
        year: i32,
        quarter: u8,
    },
    Article,
    Media,
    Static,
    Template,
    /// Sits where content goes but is not content: an error, with why.
    Misplaced(String),
    /// Not read; a warning says so.
    Ignored(String),
}

fn classify(rel: &str) -> Kind {
    let (top, rest) = rel.split_once('/').unwrap_or((rel, ""));
    match top {
        "static" => return Kind::Static,
        "templates" => return Kind::Template,
        _ => {}
    }
    let parts: Vec<&str> = rest.split('/').collect();
    match parts.as_slice() {
        ["site.yaml"] => Kind::SiteConfig,
        ["units.yaml"] => Kind::Units,
        ["plans", name] => classify_plan(name),
        ["plans", ..] => {
            Kind::Misplaced("kế hoạch phải nằm ngay trong plans/, không trong thư mục con".into())
        }
        ["results", year, name] => classify_result(year, name),
        ["results", ..] => Kind::Misplaced(
            "số liệu phải nằm trong results/<năm>/q<quý>.yaml, ví dụ results/2023/q1.yaml".into(),
        ),
        ["articles", .., name] if name.ends_with(".md") => Kind::Article,
        ["articles", ..] => Kind::Ignored(
            "chỉ tệp .md trong articles/ là bài viết; ảnh phải nằm trong content/media/".into(),
        ),
        ["media", ..] => Kind::Media,
        [name] if name.ends_with(".yml") => Kind::Misplaced(format!(
            "bantin đọc tệp đuôi .yaml; đổi tên thành {}",
            name.trim_end_matches(".yml").to_owned() + ".yaml"
        )),
        _ => Kind::Ignored("tệp không thuộc bố cục nội dung (xem README), bị bỏ qua".into()),
    }
}

/// The section a file belongs to, from its path (misplaced files included:
/// a misnamed `results/2023/quy1.yaml` leaves the results incomplete).
fn section_of(rel: &str) -> Option<Section> {
    let rest = rel.strip_prefix("content/")?;
    Some(match rest.split('/').next()? {
        "site.yaml" => Section::Config,
        "units.yaml" => Section::Units,
        "plans" => Section::Plans,
        "results" if rest.ends_with(".md") => Section::Editorials,
        "results" => Section::Reports,
        "articles" => Section::Articles,
        _ => return None,
    })
}

fn classify_plan(name: &str) -> Kind {
    let Some(stem) = name.strip_suffix(".yaml") else {
        return Kind::Misplaced("tệp kế hoạch phải có đuôi .yaml".into());
    };
    let year = stem
        .split_once('-')
        .map_or(stem, |(y, _)| y)
        .parse::<i32>()
        .ok()
        .filter(|_| stem.len() > 5 && stem.as_bytes().get(4) == Some(&b'-'));
    match year {
        Some(y) => Kind::Plan { year: Some(y) },
        None => Kind::Misplaced(
            "tên tệp kế hoạch phải có dạng <năm>-<tên>.yaml, ví dụ 2023-kh-366.yaml".into(),
        ),
    }
}

fn classify_result(year: &str, name: &str) -> Kind {
    let year = match year.parse::<i32>() {
        Ok(y) if year.len() == 4 => y,
        _ => {
            return Kind::Misplaced(format!(
                "thư mục số liệu phải mang tên năm (4 chữ số), không phải '{year}'"
            ));
        }
    };
    let (stem, editorial) = if let Some(s) = name.strip_suffix(".yaml") {
        (s, false)
    } else if let Some(s) = name.strip_suffix(".md") {
        (s, true)
    } else {
        return Kind::Misplaced(
            "tệp số liệu phải có đuôi .yaml (hoặc .md cho văn bản biên tập)".into(),
        );
    };
    let quarter = stem
        .strip_prefix('q')
        .or_else(|| stem.strip_prefix('Q'))
        .and_then(|q| q.parse::<u8>().ok());
    match quarter {
        Some(q @ 1..=4) if editorial => Kind::Editorial { year, quarter: q },
        Some(q @ 1..=4) => Kind::Report { year, quarter: q },
        Some(q) => Kind::Misplaced(format!("quý {q} không có; tên tệp phải là q1 đến q4")),
        None => {
            Kind::Misplaced("tên tệp số liệu phải là q1.yaml, q2.yaml, q3.yaml hoặc q4.yaml".into())
        }
    }
}

/// What reading one file gave.
#[derive(Clone)]
enum Loaded {
    SiteConfig(Option<SiteConfig>),
    Units(Vec<Unit>),
    Plan(Option<Plan>),
    Report(Option<QuarterReport>),
    Editorial(Editorial),
    Article(Option<Article>),
    Media(Asset),
    Static(Asset),
    Template(crate::model::Template),
    Nothing,
}

/// Loads the site in `root`: the model and every problem found.
pub fn load(root: &Path) -> (Site, Vec<Diagnostic>) {
    load_with(root, None)
}

/// What each file gave at an earlier load, kept by `serve` so that a
/// rebuild reads again only the files that changed (same size and
/// modification time: not read again). Any file added or removed empties
/// it, since the model refers to files by their place in the list.
#[derive(Default)]
pub struct LoadCache {
    list: Vec<String>,
    entries: Vec<Option<Cached>>,
}

#[derive(Clone)]
struct Cached {
    size: u64,
    modified: std::time::SystemTime,
    loaded: Loaded,
    diagnostics: Vec<Diagnostic>,
}

impl Cached {
    /// Whether `f` is unchanged since this was read.
    fn is_of(&self, f: &Found) -> bool {
        Some(self.modified) == f.modified && self.size == f.size
    }
}

impl LoadCache {
    /// The cached result for the `i`-th file, if it is unchanged.
    fn get(&self, i: usize, f: &Found) -> Option<&Cached> {
        self.entries.get(i)?.as_ref().filter(|c| c.is_of(f))
    }
}

/// [`load`], reusing what `cache` holds of unchanged files and filling it.
pub fn load_with(root: &Path, mut cache: Option<&mut LoadCache>) -> (Site, Vec<Diagnostic>) {
    if let Err(invalid) = crate::values::site_folder(root) {
        if let Some(c) = cache {
            *c = LoadCache::default();
        }
        return no_site(root, invalid.message);
    }
    let (found, walk_problems) = walk::walk(root);
    if let Some(c) = cache.as_deref_mut()
        && (c.list.len() != found.len() || c.list.iter().zip(&found).any(|(a, f)| *a != f.rel))
    {
        *c = LoadCache {
            list: found.iter().map(|f| f.rel.clone()).collect(),
            entries: vec![None; found.len()],
        };
    }
    let mut files = Files::new(found.iter().map(|f| f.rel.clone()).collect());
    let problem_ids: Vec<FileId> = walk_problems
        .iter()
        .map(|p| files.add(p.rel.clone()))
        .collect();
    let required = ["content/site.yaml", "content/units.yaml"];
    let missing: Vec<(FileId, &str)> = required
        .iter()
        .filter(|r| !found.iter().any(|f| f.rel == **r))
        .map(|r| (files.add((*r).to_owned()), *r))
        .collect();

    let results: Vec<(Loaded, Vec<Diagnostic>, Option<Section>)> = found
        .par_iter()
        .enumerate()
        .map(|(i, f)| {
            let section = if f.rel.starts_with("templates/") {
                Some(Section::Templates)
            } else {
                section_of(&f.rel)
            };
            if let Some(c) = cache.as_deref().and_then(|c| c.get(i, f)) {
                return (c.loaded.clone(), c.diagnostics.clone(), section);
            }
            let mut diags = Diagnostics::new(&files);
            let kind = classify(&f.rel);
            let loaded = load_one(f, kind, FileId(i as u32), &mut diags);
            (loaded, diags.into_vec(), section)
        })
        .collect();
    if let Some(c) = cache {
        for ((f, (loaded, diagnostics, _)), slot) in found.iter().zip(&results).zip(&mut c.entries)
        {
            if let Some(modified) = f.modified
                && !slot.as_ref().is_some_and(|c| c.is_of(f))
            {
                *slot = Some(Cached {
                    size: f.size,
                    modified,
                    loaded: loaded.clone(),
                    diagnostics: diagnostics.clone(),
                });
            }
        }
    }

    let mut diags = Diagnostics::new(&files);
    for (p, id) in walk_problems.iter().zip(problem_ids) {
        let d = diags.report(p.code, Loc::file(id), p.message.clone());
        if let Some(h) = &p.hint {
            d.with_hint(h.clone());
        }
    }
    for &(id, rel) in &missing {
        diags.report(Code::Io, Loc::file(id), format!("thiếu tệp {rel}"));
    }

    let mut site = Site {
        root: root.to_path_buf(),
        refused: walk_problems
            .iter()
            .map(|p| crate::vi::nfc(&p.rel).into_owned())
            .collect(),
        ..Site::default()
    };
    for &(_, rel) in &missing {
        site.incomplete.insert(if rel.ends_with("site.yaml") {
            Section::Config
        } else {
            Section::Units
        });
    }
    for (loaded, problems, section) in results {
        if let Some(section) = section
            && problems.iter().any(Diagnostic::is_error)
        {
            site.incomplete.insert(section);
        }
        diags.extend(problems);
        match loaded {
            Loaded::SiteConfig(c) => site.config = c,
            Loaded::Units(u) => site.units = u,
            Loaded::Plan(p) => site.plans.extend(p),
            Loaded::Report(r) => site.reports.extend(r),
            Loaded::Editorial(e) => site.editorials.push(e),
            Loaded::Article(a) => site.articles.extend(a),
            Loaded::Media(a) => site.media.push(a),
            Loaded::Static(a) => site.statics.push(a),
            Loaded::Template(a) => site.templates.push(a),
            Loaded::Nothing => {}
        }
    }
    site.plans.sort_by(|a, b| {
        (a.year.value, a.symbol.to_string()).cmp(&(b.year.value, b.symbol.to_string()))
    });
    inherit_issuers(&mut site.plans);
    site.reports
        .sort_by_key(|r| (r.year.value, r.quarter.value, r.file));
    site.editorials.sort_by_key(|e| (e.year, e.quarter));
    let diagnostics = diags.into_vec();
    site.files = files;
    (site, diagnostics)
}

/// An amending plan that does not name its issuer has the issuer of the
/// plan it amends (up the chain; `check` reports a plan it cannot find).
fn inherit_issuers(plans: &mut [crate::model::Plan]) {
    let inherited: Vec<Option<String>> = plans
        .iter()
        .map(|p| {
            p.issuer
                .value
                .is_empty()
                .then(|| p.amended(plans).find(|a| !a.issuer.value.is_empty()))
                .flatten()
                .map(|a| a.issuer.value.clone())
        })
        .collect();
    for (p, issuer) in plans.iter_mut().zip(inherited) {
        if let Some(issuer) = issuer {
            p.issuer.value = issuer;
        }
    }
}

/// Reads one quarterly results file from its text, exactly as [`load`]
/// reads `content/results/<year>/q<N>.yaml` (`path_period` is the year and
/// quarter its path says). `bantin import` checks what it is about to write
/// with this, before writing it.
pub fn report_from_text(
    files: &Files,
    id: FileId,
    text: &str,
    path_period: Option<(i32, u8)>,
) -> (Option<QuarterReport>, Vec<Diagnostic>) {
    let mut diags = Diagnostics::new(files);
    let report = match yaml::parse(text, 0) {
        Ok(root) => results::report(&mut Reader::new(&mut diags, id), &root, id, path_period),
        Err(e) => {
            let d = diags.report(e.code, Loc::new(id, e.line, e.col), e.message);
            if let Some(h) = e.hint {
                d.with_hint(h);
            }
            None
        }
    };
    source::explain_lookalikes(diags.since_mut(0), text);
    (report, diags.into_vec())
}

/// A folder without `content/`: one diagnostic says so.
fn no_site(root: &Path, what: String) -> (Site, Vec<Diagnostic>) {
    let mut files = Files::default();
    let id = files.add("content".to_owned());
    let mut diags = Diagnostics::new(&files);
    diags
        .report(Code::Io, Loc::file(id), what)
        .with_hint("chạy lệnh trong thư mục của trang (thư mục chứa content/), hoặc ghi đường dẫn: bantin build ĐƯỜNG-DẪN");
    let diagnostics = diags.into_vec();
    let mut site = Site {
        root: root.to_path_buf(),
        files,
        ..Site::default()
    };
    site.incomplete.insert(Section::Config);
    site.incomplete.insert(Section::Units);
    (site, diagnostics)
}

fn load_one(f: &Found, kind: Kind, id: FileId, diags: &mut Diagnostics) -> Loaded {
    let rel = f.rel.split_once('/').map_or(f.rel.as_str(), |(_, r)| r);
    // A published file goes under the NFC form of its name, whatever the
    // disk keeps (NFD on older Macs), as every text is NFC: links match it.
    // A template keeps its name on disk.
    let published = || Asset {
        rel: crate::vi::nfc(rel).into_owned(),
        file: id,
        size: f.size,
    };
    match kind {
        Kind::Media => {
            warn_if_active(f, id, diags);
            return Loaded::Media(published());
        }
        Kind::Static => {
            warn_if_active(f, id, diags);
            return Loaded::Static(published());
        }
        Kind::Template => {
            // Read now, so that rendering does no IO.
            return match source::read_text(&f.path) {
                Ok(text) => Loaded::Template(crate::model::Template {
                    rel: rel.to_owned(),
                    file: id,
                    text,
                }),
                Err(e) => {
                    diags.report(e.code, Loc::new(id, e.line, e.col), e.message);
                    Loaded::Nothing
                }
            };
        }
        Kind::Misplaced(why) => {
            diags.report(Code::BadFileName, Loc::file(id), why);
            return Loaded::Nothing;
        }
        Kind::Ignored(why) => {
            diags.report(Code::UnexpectedFile, Loc::file(id), why);
            return Loaded::Nothing;
        }
        _ => {}
    }
    let text = match source::read_text(&f.path) {
        Ok(t) => t,
        Err(e) => {
            diags.report(e.code, Loc::new(id, e.line, e.col), e.message);
            return Loaded::Nothing;
        }
    };
    let start = diags.len();
    let loaded = load_text(&mut Reader::new(diags, id), kind, &text, id);
    source::explain_lookalikes(diags.since_mut(start), &text);
    loaded
}

/// A content file's text read as its kind.
fn load_text(r: &mut Reader, kind: Kind, text: &str, id: FileId) -> Loaded {
    match kind {
        Kind::Editorial { year, quarter } => {
            if let Some((offset, c)) = articles::control_character(text) {
                let (line, col) = source::position(text, offset);
                r.diags
                    .report(
                        Code::BadValue,
                        Loc::new(id, line, col),
                        format!("văn bản chứa ký tự không dùng được U+{:04X}", c as u32),
                    )
                    .with_hint("xóa ký tự này (thường lẫn vào khi sao chép từ tệp khác)");
                return Loaded::Nothing;
            }
            match articles::editorial(r, text, id) {
                Some(parts) => Loaded::Editorial(Editorial {
                    year,
                    quarter,
                    image: parts.image,
                    image_caption: parts.image_caption,
                    body: crate::vi::nfc(parts.body).into_owned(),
                    body_line: parts.body_line,
                    file: id,
                }),
                None => Loaded::Nothing,
            }
        }
        Kind::Article => Loaded::Article(articles::article(r, text, id)),
        _ => {
            let root = match yaml::parse(text, 0) {
                Ok(root) => root,
                Err(e) => {
                    let d = r
                        .diags
                        .report(e.code, Loc::new(id, e.line, e.col), e.message);
                    if let Some(h) = e.hint {
                        d.with_hint(h);
                    }
                    return Loaded::Nothing;
                }
            };
            match kind {
                Kind::SiteConfig => Loaded::SiteConfig(units::site_config(r, &root)),
                Kind::Units => Loaded::Units(units::units(r, &root)),
                Kind::Plan { year } => Loaded::Plan(plans::plan(r, &root, id, year)),
                Kind::Report { year, quarter } => {
                    Loaded::Report(results::report(r, &root, id, Some((year, quarter))))
                }
                _ => Loaded::Nothing,
            }
        }
    }
}

/// W508 for a published SVG, HTML or XML file that can run script.
fn warn_if_active(f: &Found, id: FileId, diags: &mut Diagnostics) {
    if !active::may_be_active(&f.rel) {
        return;
    }
    let hint = "bỏ phần đó khỏi tệp (ảnh SVG: xuất lại không kèm mã), hoặc dùng ảnh PNG, JPG";
    // A file that cannot be read is reported when it is copied.
    match active::scan_file(&f.path, &f.rel) {
        Ok(active::Scan::Active(a)) => {
            diags
                .report(
                    Code::ActiveContent,
                    Loc::new(id, a.line, a.col),
                    format!(
                        "tệp được chép nguyên lên trang nhưng chứa {}: ai mở thẳng tệp này trên trang sẽ chạy mã trong đó, với quyền của trang",
                        a.what
                    ),
                )
                .with_hint(hint);
        }
        Ok(active::Scan::TooLong) => {
            diags
                .report(
                    Code::ActiveContent,
                    Loc::file(id),
                    format!(
                        "tệp lớn hơn {} MB: bantin chỉ kiểm tra phần đầu xem có mã chạy được hay không",
                        active::MAX_SCAN / (1024 * 1024)
                    ),
                )
                .with_hint("nếu là ảnh, dùng PNG hoặc JPG");
        }
        Ok(active::Scan::Inert) | Err(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_decide_the_kind() {
        assert_eq!(classify("content/site.yaml"), Kind::SiteConfig);
        assert_eq!(
            classify("content/plans/2023-kh-366.yaml"),
            Kind::Plan { year: Some(2023) }
        );
        assert!(matches!(
            classify("content/plans/kh-366.yaml"),
            Kind::Misplaced(_)
        ));
        assert_eq!(
            classify(&crate::pages::results_file(crate::stats::Quarter {
                year: 2023,
                q: 1
            })),
            Kind::Report {
                year: 2023,
                quarter: 1
            }
        );
        assert_eq!(
            classify("content/results/2023/q4.md"),
            Kind::Editorial {
                year: 2023,
                quarter: 4
            }
        );
        assert!(matches!(
            classify("content/results/2023/q5.yaml"),
            Kind::Misplaced(_)
        ));
        assert!(matches!(
            classify("content/results/23/q1.yaml"),
            Kind::Misplaced(_)
        ));
        assert_eq!(classify("content/articles/2023/a/b.md"), Kind::Article);
        assert!(matches!(
            classify("content/articles/2023/anh.jpg"),
            Kind::Ignored(_)
        ));
        assert_eq!(classify("content/media/2023/anh.jpg"), Kind::Media);
        assert_eq!(classify("static/favicon.ico"), Kind::Static);
        assert!(matches!(classify("content/notes.txt"), Kind::Ignored(_)));
    }
}
