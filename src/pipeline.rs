//! The one orchestrator: load → check → plan pages → render into a
//! [`Sink`]. The sink is opened only when the checks found no error; making
//! the new site the published one (`Staging::commit`) is the caller's last
//! step, and only when rendering found no error either.

use std::path::Path;

use crate::diagnostic::{self, Diagnostic};
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

/// Loads, checks and renders the site in `root` into `sink`.
pub fn build(root: &Path, options: &Options, sink: &dyn Sink) -> Outcome {
    let mut timer = Timer::new();
    let (site, mut diagnostics) = load::load(root);
    timer.step("load");
    diagnostics.extend(check::check(&site));
    timer.step("check");
    let stats = Stats::new(&site);
    let (pages, page_problems) = pages::plan_pages(&site, &stats, options.drafts);
    diagnostics.extend(page_problems);
    timer.step("pages");

    let has_errors = |d: &[Diagnostic]| d.iter().any(Diagnostic::is_error);
    if has_errors(&diagnostics) || site.config.is_none() {
        // Rendering needs a consistent model; still report broken links.
        diagnostics.extend(render::check_markdown(&site, &pages));
        return finish(diagnostics, None, None);
    }
    let engine = match Engine::new(&site) {
        Ok(engine) => engine,
        Err(problems) => {
            diagnostics.extend(problems);
            diagnostics.extend(render::check_markdown(&site, &pages));
            return finish(diagnostics, None, None);
        }
    };
    timer.step("engine");
    if let Err(e) = sink.open() {
        return finish(diagnostics, None, Some(e));
    }
    let rendered = render::render_site(&site, &stats, &pages, &engine, options, sink);
    timer.step("render");
    match rendered {
        Ok(problems) => {
            diagnostics.extend(problems);
            let built = (!has_errors(&diagnostics)).then_some(pages.len());
            finish(diagnostics, built, None)
        }
        Err(e) => finish(diagnostics, None, Some(e)),
    }
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
