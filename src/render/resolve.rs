//! What Markdown links may point at: every page, media and static file, and
//! the plans by symbol.

use std::collections::HashSet;

use chrono::NaiveDate;

use crate::markdown::Resolver;
use crate::model::Site;
use crate::pages::{self, Page};
use crate::vi::DocSymbol;

pub struct SiteResolver {
    paths: HashSet<String>,
    plans: Vec<PlanRef>,
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
        paths.extend(site.media.iter().map(|m| pages::media(&m.rel)));
        paths.extend(site.statics.iter().map(|s| format!("/{}", s.rel)));
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
        SiteResolver { paths, plans }
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
        self.paths.contains(site_path)
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
