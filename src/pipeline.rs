//! The one orchestrator: load → check → plan pages → render, all in memory.
//! Publishing is the caller's last step, and only when no error was found.

use std::path::Path;

use crate::diagnostic::{self, Diagnostic};
use crate::publish::OutFile;
use crate::render::{self, Engine, Options};
use crate::stats::Stats;
use crate::{check, load, pages};

/// A site rendered in memory.
pub struct Built {
    pub files: Vec<OutFile>,
    pub pages: usize,
}

/// Every diagnostic, and the rendered site when there was no error.
pub struct Outcome {
    pub diagnostics: Vec<Diagnostic>,
    pub built: Option<Built>,
}

impl Outcome {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
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

/// Loads, checks and renders the site in `root`. Never writes.
pub fn build(root: &Path, options: &Options) -> Outcome {
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
        return finish(diagnostics, None);
    }
    let engine = match Engine::new(&site) {
        Ok(engine) => engine,
        Err(problems) => {
            diagnostics.extend(problems);
            diagnostics.extend(render::check_markdown(&site, &pages));
            return finish(diagnostics, None);
        }
    };
    timer.step("engine");
    let (files, render_problems) = render::render_site(&site, &stats, &pages, &engine, options);
    diagnostics.extend(render_problems);
    timer.step("render");
    let built = (!has_errors(&diagnostics)).then_some(Built {
        files,
        pages: pages.len(),
    });
    finish(diagnostics, built)
}

fn finish(diagnostics: Vec<Diagnostic>, built: Option<Built>) -> Outcome {
    Outcome {
        diagnostics: diagnostic::finish(diagnostics),
        built,
    }
}
