//! The home page: the latest bulletin's key figures, the latest articles,
//! and a way into every period.

use crate::library::Library;
use serde::Serialize;

use super::bulletin::{Facts, facts};
use super::{
    ArticleItem, DocLink, Here, Link, PageBuilder, PageName, article_items, count, pace_chart, pct,
};
use crate::pages;
use crate::render::charts;
use crate::vi;

/// Articles on the home page.
const LATEST: usize = 8;

#[derive(Serialize)]
struct Latest {
    facts: Facts,
    cumulative: Option<Facts>,
    /// The year so far: `cumulative`, or the quarter itself in quarter I.
    year: Facts,
    /// The term of office so far, when the quarter is in one.
    term: Option<super::terms::TermFacts>,
    /// The quarter's lead photo.
    photo: Option<super::Photo>,
    bulletin: String,
    statistics: String,
    chart_pace: Option<charts::PaceChart>,
}

#[derive(Serialize)]
struct YearLinks {
    year: i32,
    label: String,
    admitted: String,
    share_of_quota: String,
    statistics: String,
    bulletins: Vec<Link>,
}

#[derive(Serialize)]
struct Home {
    latest: Option<Latest>,
    articles: Vec<ArticleItem>,
    more_articles: String,
    years: Vec<YearLinks>,
    plans: Vec<DocLink>,
    /// Every term of office, in date order.
    terms: Vec<super::terms::TermLink>,
}

pub fn home(lib: &Library, here: &Here) -> Option<(&'static str, tera::Context)> {
    let latest = lib.quarters.last().and_then(|q| {
        let s = lib.quarter(*q)?;
        let cumulative = (q.q > 1).then(|| lib.cumulative(*q)).flatten();
        // `cumulative` is the year so far from quarter II: computed once.
        let year = facts(lib, here, cumulative.unwrap_or(s));
        Some(Latest {
            facts: facts(lib, here, s),
            cumulative: cumulative.map(|_| year.clone()),
            year,
            term: lib.term_at(*q).map(|t| super::terms::facts(lib, here, t)),
            photo: super::Photo::of(lib, here, *q),
            bulletin: here.href(&pages::bulletin(*q)),
            statistics: here.href(&pages::statistics(*q)),
            chart_pace: pace_chart(lib, q.year),
        })
    });
    let mut years: Vec<i32> = lib.quarters.iter().map(|q| q.year).collect();
    years.dedup();
    let years = years
        .into_iter()
        .rev()
        .filter_map(|year| {
            let ytd = lib.year_to_date(year)?;
            Some(YearLinks {
                year,
                label: vi::capitalize_first(&ytd.period.label()),
                admitted: count(ytd.total.counts.admitted()),
                share_of_quota: pct(ytd.total.share_of_quota),
                statistics: here.href(&pages::statistics_year(year)),
                bulletins: lib
                    .quarters
                    .iter()
                    .filter(|q| q.year == year)
                    .map(|q| here.link(vi::capitalize_first(&q.label()), &pages::bulletin(*q)))
                    .collect(),
            })
        })
        .collect();
    let view = Home {
        latest,
        articles: article_items(
            lib,
            here,
            lib.published
                .get(..LATEST.min(lib.published.len()))
                .unwrap_or(&[]),
        ),
        more_articles: here.href(&pages::articles(1)),
        years,
        plans: lib
            .site
            .plans
            .iter()
            .rev()
            .map(|p| DocLink::plan(here, p))
            .collect(),
        terms: super::terms::links(lib, here, lib.current_term),
    };
    PageBuilder::new(lib, here, PageName::named("home", lib.site_title.clone()))
        .finish("home.html", view)
}
