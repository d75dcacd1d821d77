//! The one orchestrator: load → check → plan pages → render into a
//! [`Sink`]. The sink is opened only when the checks found no error; making
//! the new site the published one (`Staging::commit`) is the caller's last
//! step, and only when rendering found no error either.

use std::path::Path;

use crate::diagnostic::{self, Diagnostic};
use crate::load::LoadCache;
use crate::model::Site;
use crate::pages::Page;
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

/// Prints how long each step took when `BANTIN_TIMINGS` is set (for
/// profiling; see bench/README.md).
struct Timer {
    on: bool,
    last: std::time::Instant,
}

impl Timer {
    fn new() -> Self {
        Timer {
            on: std::env::var_os("BANTIN_TIMINGS").is_some(),
            last: std::time::Instant::now(),
        }
    }

    fn step(&mut self, name: &str) {
        if self.on {
            eprintln!(
                "bantin: {name:<8} {:>7.3} s",
                self.last.elapsed().as_secs_f64()
            );
        }
        self.last = std::time::Instant::now();
    }
}

/// A site loaded and checked: what rendering needs.
pub struct Checked<'a> {
    pub site: &'a Site,
    pub stats: &'a Stats<'a>,
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
    timer.step("load");
    progress.phase("Kiểm tra", None);
    diagnostics.extend(check::check(&site));
    timer.step("check");
    let stats = Stats::new(&site);
    let (pages, page_problems) = pages::plan_pages(&site, &stats, options.drafts);
    diagnostics.extend(page_problems);
    timer.step("pages");

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
    timer.step("engine");
    if engine.is_none() {
        // Still report broken links.
        diagnostics.extend(render::check_markdown(&site, &pages));
    }
    then(Checked {
        site: &site,
        stats: &stats,
        pages: &pages,
        engine: engine.as_ref(),
        diagnostics,
    })
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
        let rendered = render::render_site(site, stats, pages, engine, options, sink, progress);
        timer.step("render");
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
