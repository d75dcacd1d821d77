//! The one orchestrator: load → check → plan pages → render into a
//! [`Sink`]. The sink is opened only when the checks found no error; making
//! the new site the published one (`Staging::commit`) is the caller's last
//! step, and only when rendering found no error either.

use std::collections::BTreeMap;
use std::path::Path;

use crate::diagnostic::{self, Code, Diagnostic};
use crate::library::Library;
use crate::load::LoadCache;
use crate::model::{Loc, Site};
use crate::pages::{Page, PageKind};
use crate::progress::Progress;
use crate::publish::{PublishError, Sink};
use crate::render::{self, Engine, Options};
use crate::stats::Stats;
use crate::{check, load, pages};

/// What a build found and made.
pub struct Outcome {
    pub diagnostics: Vec<Diagnostic>,
    /// Pages rendered into the sink, when there was no error.
    pub pages: Option<usize>,
    /// Why the sink could not take the site (a full disk, say).
    pub failed: Option<PublishError>,
}

impl Outcome {
    pub fn has_errors(&self) -> bool {
        self.failed.is_some() || self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// How long each step took, told to [`Progress::took`] (the command line
/// prints it for profiling; see bench/README.md).
struct Timer {
    last: std::time::Instant,
}

impl Timer {
    fn new() -> Self {
        Timer {
            last: std::time::Instant::now(),
        }
    }

    fn step(&mut self, name: &str, progress: &dyn Progress) {
        progress.took(name, self.last.elapsed());
        self.last = std::time::Instant::now();
    }
}

/// A site loaded and checked: what rendering needs.
pub struct Checked<'a> {
    pub site: &'a Site,
    pub stats: &'a Stats<'a>,
    /// The slug of every tag.
    pub tags: &'a pages::TagSlugs,
    pub pages: &'a [Page],
    /// The templates, when the content has no error and they compile.
    pub engine: Option<&'a Engine>,
    /// Every problem found so far (all Markdown link problems included
    /// when there is no engine, since no rendering will find them).
    pub diagnostics: Vec<Diagnostic>,
}

/// Loads and checks the site in `root` (reusing `cache` when given), then
/// hands it to `then`.
pub fn with_checked<R>(
    root: &Path,
    options: &Options,
    cache: Option<&mut LoadCache>,
    progress: &dyn Progress,
    then: impl FnOnce(Checked<'_>) -> R,
) -> R {
    let mut timer = Timer::new();
    progress.phase("Đọc nội dung", None);
    let (site, mut diagnostics) = load::load_with(root, cache);
    timer.step("load", progress);
    progress.phase("Kiểm tra", None);
    let tags = pages::TagSlugs::new(&site);
    diagnostics.extend(check::check(&site, &tags));
    timer.step("check", progress);
    let stats = Stats::new(&site);
    let (pages, page_problems) = pages::plan_pages(&site, &stats, &tags, options.drafts);
    diagnostics.extend(page_problems);
    diagnostics.extend(check_static_paths(&site, &pages));
    timer.step("pages", progress);

    let engine = if has_errors(&diagnostics) || site.config.is_none() {
        // Rendering needs a consistent model.
        None
    } else {
        match Engine::new(&site) {
            Ok(engine) => Some(engine),
            Err(problems) => {
                diagnostics.extend(problems);
                None
            }
        }
    };
    timer.step("engine", progress);
    if engine.is_none() {
        // Still report broken links.
        diagnostics.extend(render::check_markdown(&site, &pages));
    }
    then(Checked {
        site: &site,
        stats: &stats,
        tags: &tags,
        pages: &pages,
        engine: engine.as_ref(),
        diagnostics,
    })
}

/// What bantin itself writes at an output path, for the static file that
/// would take its place.
enum Produced<'a> {
    Page(&'a Page),
    Media(&'a str),
    /// A file computed from the whole site: the feed, the sitemap...
    Generated(String),
    /// A theme asset, which a static file of the same path replaces.
    Asset,
}

/// Every path bantin writes besides the static files, with what it is.
/// Mirrors what `render` produces, from the URLs `pages` knows; a test
/// below builds a site and checks that nothing it writes is missing here.
fn produced<'a>(site: &'a Site, pages: &'a [Page]) -> BTreeMap<String, Produced<'a>> {
    let mut out = BTreeMap::new();
    for (url, what) in pages::site_files() {
        out.insert(pages::file_of(&url), Produced::Generated(what.to_owned()));
    }
    for (url, _) in render::ASSETS {
        out.insert(pages::file_of(url), Produced::Asset);
    }
    for m in &site.media {
        out.insert(m.rel.clone(), Produced::Media(&m.rel));
    }
    for page in pages {
        let file = page.file();
        for url in pages::beside(page, site) {
            let what = match page.kind {
                PageKind::Bulletin(_) => "báo cáo (.docx) của trang",
                PageKind::Tag { .. } => "nguồn tin của chủ đề",
                _ => "bảng số liệu của trang",
            };
            out.insert(
                pages::file_of(&url),
                Produced::Generated(format!("{what} {}", page.url)),
            );
        }
        out.insert(file, Produced::Page(page));
    }
    out
}

/// A static file may not take the place of anything bantin writes — a
/// page, a media file, the feed — nor be a file where bantin needs a
/// folder, or the other way round. Found here, before anything is written,
/// naming the static file and what it collides with.
fn check_static_paths(site: &Site, pages: &[Page]) -> Vec<Diagnostic> {
    if site.statics.is_empty() {
        return Vec::new();
    }
    let produced = produced(site, pages);
    let mut d = diagnostic::Diagnostics::new(&site.files);
    let what = |p: &Produced| match p {
        Produced::Page(page) if page.kind == PageKind::Home => "trang chủ (/)".to_owned(),
        Produced::Page(page) => match page.source {
            Some(loc) => format!("trang {} (từ {})", page.url, site.files.path(loc.file)),
            None => format!("trang {}", page.url),
        },
        Produced::Media(rel) => format!("tệp content/{rel}"),
        Produced::Generated(what) => what.clone(),
        Produced::Asset => "tệp giao diện có sẵn".to_owned(),
    };
    for s in &site.statics {
        let path = s.rel.as_str();
        let exact = produced.get(path);
        // bantin writes below `path/`: `path` must be a folder.
        let below = produced
            .range(format!("{path}/")..)
            .next()
            .filter(|(p, _)| p.starts_with(path) && p.as_bytes().get(path.len()) == Some(&b'/'));
        // bantin writes a file at a folder of `path`.
        let above = path
            .match_indices('/')
            .find_map(|(i, _)| produced.get_key_value(&path[..i]));
        let (message, hint) = if let Some(p) = exact {
            match p {
                Produced::Asset => continue,
                Produced::Page(_) => (
                    format!("tệp tĩnh trùng đường dẫn '{path}' với {}", what(p)),
                    "đổi tên hoặc chuyển tệp này trong static/; muốn đổi trang do bantin tạo thì sửa mẫu trong templates/",
                ),
                Produced::Media(_) => (
                    format!("tệp tĩnh trùng đường dẫn '{path}' với {}", what(p)),
                    "giữ một trong hai tệp: xóa tệp này hoặc tệp trong content/media/",
                ),
                Produced::Generated(_) => (
                    format!(
                        "tệp tĩnh trùng đường dẫn '{path}' với {} do bantin tạo",
                        what(p)
                    ),
                    "đổi tên hoặc chuyển tệp này trong static/",
                ),
            }
        } else if pages::is_sitemap_part(path) {
            (
                format!(
                    "tên '{path}' dành cho các phần của sơ đồ trang khi trang có rất nhiều đường dẫn"
                ),
                "đổi tên tệp này trong static/",
            )
        } else if pages::is_search_index_file(path) {
            (
                format!(
                    "thư mục '{}' dành cho các tệp của chỉ mục tìm kiếm",
                    pages::search_folder().trim_start_matches('/')
                ),
                "chuyển tệp này sang thư mục khác trong static/",
            )
        } else if let Some((_, kind)) = below {
            (
                format!(
                    "tệp tĩnh '{path}' trùng tên với thư mục '{path}/', nơi bantin ghi {}",
                    what(kind)
                ),
                "đổi tên tệp này trong static/",
            )
        } else if let Some((p, kind)) = above {
            (
                format!(
                    "tệp tĩnh nằm trong thư mục '{p}/', nhưng '{p}' là {}",
                    what(kind)
                ),
                "chuyển tệp này sang thư mục khác trong static/",
            )
        } else {
            continue;
        };
        d.report(Code::DuplicatePath, Loc::file(s.file), message)
            .with_hint(hint);
    }
    d.into_vec()
}

fn has_errors(d: &[Diagnostic]) -> bool {
    d.iter().any(Diagnostic::is_error)
}

/// Loads, checks and renders the site in `root` into `sink`.
pub fn build(root: &Path, options: &Options, sink: &dyn Sink, progress: &dyn Progress) -> Outcome {
    with_checked(root, options, None, progress, |c| {
        let Checked {
            site,
            stats,
            tags,
            pages,
            engine,
            mut diagnostics,
        } = c;
        let Some(engine) = engine else {
            return finish(diagnostics, None, None);
        };
        if let Err(e) = sink.open() {
            return finish(diagnostics, None, Some(e));
        }
        let mut timer = Timer::new();
        progress.phase("Tạo trang", Some(pages.len() as u64));
        let lib = Library::new(
            site,
            stats,
            tags,
            options.drafts,
            options.base_url.as_deref(),
        );
        timer.step("index", progress);
        let rendered = render::render_site(lib, pages, engine, sink, progress);
        timer.step("render", progress);
        match rendered {
            Ok(problems) => {
                diagnostics.extend(problems);
                let built = (!has_errors(&diagnostics)).then_some(pages.len());
                finish(diagnostics, built, None)
            }
            Err(e) => finish(diagnostics, None, Some(e)),
        }
    })
}

fn finish(
    diagnostics: Vec<Diagnostic>,
    pages: Option<usize>,
    failed: Option<PublishError>,
) -> Outcome {
    Outcome {
        diagnostics: diagnostic::finish(diagnostics),
        pages,
        failed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Everything a build writes, besides static files, is known to
    /// [`produced`], so no static file can take its place unnoticed.
    #[test]
    fn every_file_a_build_writes_is_known_before_rendering() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/base");
        for drafts in [false, true] {
            let options = Options {
                drafts,
                base_url: None,
            };
            let memory = crate::publish::Memory::default();
            let outcome = build(&root, &options, &memory, &crate::progress::Silent);
            assert!(!outcome.has_errors(), "{:?}", outcome.diagnostics);
            let (site, _) = load::load_with(&root, None);
            let stats = Stats::new(&site);
            let tags = pages::TagSlugs::new(&site);
            let (pages, _) = pages::plan_pages(&site, &stats, &tags, drafts);
            let known = produced(&site, &pages);
            let files = memory.into_files();
            assert!(files.len() > 50, "{}", files.len());
            for f in &files {
                assert!(
                    known.contains_key(&f.path)
                        || pages::is_sitemap_part(&f.path)
                        || pages::is_search_index_file(&f.path),
                    "{} is written but not known",
                    f.path
                );
            }
        }
    }
}
