//! The home page: the latest bulletin's key figures, the latest articles,
//! and a way into every period.

use serde::Serialize;

use super::bulletin::{Facts, facts};
use super::{ArticleItem, Base, Here, Link, PageBuilder, article_items, count, pct};
use crate::pages;
use crate::render::charts;
use crate::vi;

/// Articles on the home page.
const LATEST: usize = 8;

#[derive(Serialize)]
struct Latest {
    facts: Facts,
    cumulative: Option<Facts>,
    bulletin: String,
    statistics: String,
    chart_pace: String,
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
    plans: Vec<Link>,
}

pub fn home(base: &Base, here: &Here) -> Option<(&'static str, tera::Context)> {
    let latest = base.quarters.last().and_then(|q| {
        let s = base.quarter(*q)?;
        Some(Latest {
            facts: facts(base, here, s),
            cumulative: (q.q > 1)
                .then(|| base.cumulative(*q))
                .flatten()
                .map(|c| facts(base, here, c)),
            bulletin: here.href(&pages::bulletin(*q)),
            statistics: here.href(&pages::statistics(*q)),
            chart_pace: charts::pace(base, q.year),
        })
    });
    let mut years: Vec<i32> = base.quarters.iter().map(|q| q.year).collect();
    years.dedup();
    let years = years
        .into_iter()
        .rev()
        .filter_map(|year| {
            let ytd = base.year_to_date(year)?;
            Some(YearLinks {
                year,
                label: vi::capitalize_first(&ytd.period.label()),
                admitted: count(ytd.total.counts.admitted()),
                share_of_quota: pct(ytd.total.share_of_quota),
                statistics: here.href(&pages::statistics_year(year)),
                bulletins: base
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
            base,
            here,
            base.published
                .get(..LATEST.min(base.published.len()))
                .unwrap_or(&[]),
        ),
        more_articles: here.href(&pages::articles(1)),
        years,
        plans: base
            .site
            .plans
            .iter()
            .rev()
            .map(|p| {
                here.link(
                    format!(
                        "{} số {} {}",
                        p.kind_name.value, p.symbol.value, p.title.value
                    ),
                    &pages::plan(&p.symbol, p.year.value),
                )
            })
            .collect(),
    };
    let title = base.site_title.clone();
    PageBuilder::new(base, here, title).finish("home.html", view)
}
