//! What Markdown links may point at: every page, media and static file, and
//! the plans by symbol. Paths are kept decoded (`/media/c#1.png`), as the
//! files are named; `markdown` decodes each link before asking.

use std::collections::HashSet;

use chrono::NaiveDate;

use crate::markdown::Resolver;
use crate::model::{Section, Site};
use crate::pages::{self, Page};
use crate::vi::DocSymbol;

pub struct SiteResolver {
    paths: HashSet<String>,
    /// Site paths of files and folders refused by name or as links out of
    /// the site (`/media/a?b.png`).
    refused: HashSet<String>,
    plans: Vec<PlanRef>,
    /// URL prefixes of sections that did not load whole: links into them
    /// cannot be checked, so they are taken as they are.
    unverified: Vec<String>,
}

struct PlanRef {
    symbol: String,
    year: i32,
    issued: NaiveDate,
    url: String,
}

impl SiteResolver {
    pub fn new(site: &Site, pages: &[Page]) -> Self {
        let mut paths: HashSet<String> = pages.iter().map(|p| p.url.clone()).collect();
        for p in pages {
            paths.extend(pages::beside(p, site));
        }
        paths.extend(pages::site_files().into_iter().map(|(url, _)| url));
        paths.extend(super::ASSETS.iter().map(|(path, _)| (*path).to_owned()));
        paths.extend(
            site.media
                .iter()
                .filter_map(|m| pages::published_path(&format!("content/{}", m.rel))),
        );
        paths.extend(
            site.statics
                .iter()
                .filter_map(|s| pages::published_path(&format!("static/{}", s.rel))),
        );
        let refused = site
            .refused
            .iter()
            .filter_map(|rel| pages::published_path(rel))
            .collect();
        let plans = site
            .plans
            .iter()
            .map(|p| PlanRef {
                symbol: p.symbol.to_string(),
                year: p.year.value,
                issued: p.issued.value,
                url: pages::plan(&p.symbol, p.year.value),
            })
            .collect();
        let unverified = site
            .incomplete
            .iter()
            .flat_map(|section| match section {
                Section::Units => vec![pages::units()],
                Section::Plans => vec![pages::plans()],
                Section::Reports => vec![pages::bulletins(), pages::statistics_index()],
                Section::Articles => vec![pages::articles(1), pages::tags()],
                _ => Vec::new(),
            })
            .collect();
        SiteResolver {
            paths,
            refused,
            plans,
            unverified,
        }
    }

    /// The plan page for a symbol (see [`Resolver::plan_url`]).
    pub fn plan(
        &self,
        symbol: &DocSymbol,
        issued: Option<NaiveDate>,
        year: Option<i32>,
    ) -> Option<String> {
        let text = symbol.to_string();
        let candidates: Vec<&PlanRef> = self.plans.iter().filter(|p| p.symbol == text).collect();
        if let Some(date) = issued {
            return candidates
                .iter()
                .find(|p| p.issued == date)
                .map(|p| p.url.clone());
        }
        match candidates.as_slice() {
            [] => None,
            [only] => Some(only.url.clone()),
            many => {
                let year = year?;
                many.iter()
                    .filter(|p| p.year <= year)
                    .max_by_key(|p| p.year)
                    .map(|p| p.url.clone())
            }
        }
    }
}

impl Resolver for SiteResolver {
    fn exists(&self, site_path: &str) -> bool {
        self.paths.contains(site_path) || self.unverified.iter().any(|p| site_path.starts_with(p))
    }

    fn refused(&self, site_path: &str) -> bool {
        // The path itself or any folder above it.
        let mut at = site_path.trim_end_matches('/');
        loop {
            if self.refused.contains(at) {
                return true;
            }
            match at.rfind('/') {
                Some(i) => at = &at[..i],
                None => return false,
            }
        }
    }

    fn plan_url(
        &self,
        symbol: &DocSymbol,
        issued: Option<NaiveDate>,
        year: Option<i32>,
    ) -> Option<String> {
        self.plan(symbol, issued, year)
    }
}
