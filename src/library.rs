//! The site index: what every page may need about the whole site, computed
//! once per build between the model and rendering — the published articles
//! and their derived facts, tags, articles by unit, related articles, the
//! quarters with results and the figures of every period. Rendering reads
//! it and computes nothing site-wide itself. No IO.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, FixedOffset, NaiveTime, TimeZone};

use crate::model::{Article, Site};
use crate::pages;
use crate::stats::{Period, PeriodStats, Quarter, Stats};
use crate::vi;

/// Used when neither site.yaml nor `--base-url` gives one.
const FALLBACK_BASE_URL: &str = "https://example.invalid/";

/// Site-wide facts every page may need, computed once per build.
pub struct Library<'s> {
    pub site: &'s Site,
    pub site_title: String,
    pub organization: String,
    pub description: String,
    pub data_notice: Option<String>,
    /// Absolute, ends with `/`.
    pub base_url: String,
    /// Article indices in publishing order (newest first).
    pub published: Vec<usize>,
    pub per_page: usize,
    /// slug → tag (display name and its articles, newest first)
    pub tags: BTreeMap<String, Tag>,
    pub articles_by_unit: HashMap<&'s str, Vec<usize>>,
    pub periods: BTreeMap<Period, PeriodStats<'s>>,
    /// Quarters with results, oldest first.
    pub quarters: Vec<Quarter>,
    /// For each article: (tag slug, position in that tag's list).
    article_tags: HashMap<usize, Vec<(String, usize)>>,
    /// What lists show of each article, by index in `site.articles`.
    pub facts: Vec<ArticleFacts>,
}

/// An article's derived facts, computed once per build (an article appears
/// in many lists: news pages, tags, units, related, the feed, the index).
pub struct ArticleFacts {
    /// The sapo: `summary`, or the first paragraph of the body.
    pub summary: String,
    /// Distinct tag slugs, in the order written.
    pub tag_slugs: Vec<String>,
    /// `09:31, 19/10/2021`
    pub date: String,
    /// RFC 3339, for `<time datetime>`.
    pub datetime: String,
}

impl ArticleFacts {
    fn of(a: &Article) -> Self {
        ArticleFacts {
            summary: a.summary.as_ref().map_or_else(
                || crate::markdown::first_paragraph_text(&a.body),
                |s| s.value.clone(),
            ),
            tag_slugs: pages::tag_slugs(a),
            date: vi::datetime(a.date.value),
            datetime: a.date.value.to_rfc3339(),
        }
    }
}

/// A year's admissions so far, quarter by quarter, and its quota.
pub struct YearPace {
    /// (quarter, admissions from January to its end), reported quarters only.
    pub points: Vec<(u8, u64)>,
    pub quota: Option<u64>,
}

pub struct Tag {
    pub name: String,
    pub articles: Vec<usize>,
}

impl<'s> Library<'s> {
    /// `base_url` from the command line overrides site.yaml's.
    pub fn new(site: &'s Site, stats: &Stats<'s>, drafts: bool, base_url: Option<&str>) -> Self {
        use rayon::prelude::*;
        let config = site.config.as_ref();
        let facts: Vec<ArticleFacts> = site.articles.par_iter().map(ArticleFacts::of).collect();
        let published = pages::published_articles(site, drafts);
        let names = pages::tags_of(site, &published);
        let mut tags: BTreeMap<String, Tag> = names
            .into_iter()
            .map(|(slug, name)| {
                (
                    slug,
                    Tag {
                        name,
                        articles: Vec::new(),
                    },
                )
            })
            .collect();
        let mut articles_by_unit: HashMap<&str, Vec<usize>> = HashMap::new();
        let mut article_tags: HashMap<usize, Vec<(String, usize)>> = HashMap::new();
        for &i in &published {
            let a = &site.articles[i];
            for slug in &facts[i].tag_slugs {
                if let Some(tag) = tags.get_mut(slug) {
                    article_tags
                        .entry(i)
                        .or_default()
                        .push((slug.clone(), tag.articles.len()));
                    tag.articles.push(i);
                }
            }
            let mut seen = std::collections::HashSet::new();
            for u in &a.units {
                if seen.insert(u.as_str()) {
                    articles_by_unit.entry(u.as_str()).or_default().push(i);
                }
            }
        }
        let periods = stats
            .periods()
            .into_iter()
            .map(|p| (p, stats.period(p)))
            .collect();
        Library {
            site,
            site_title: config.map_or_else(String::new, |c| c.title.value.clone()),
            organization: config.map_or_else(String::new, |c| c.organization.value.clone()),
            description: config
                .and_then(|c| c.description.as_ref())
                .map_or_else(String::new, |d| d.value.clone()),
            data_notice: config
                .and_then(|c| c.data_notice.as_ref())
                .map(|d| d.value.clone()),
            base_url: base_url
                .map(str::to_owned)
                .or_else(|| config.map(|c| c.base_url.value.clone()))
                .unwrap_or_else(|| FALLBACK_BASE_URL.to_owned()),
            published,
            per_page: pages::articles_per_page(site),
            tags,
            articles_by_unit,
            periods,
            quarters: stats.quarters().collect(),
            article_tags,
            facts,
        }
    }

    pub fn quarter(&self, q: Quarter) -> Option<&PeriodStats<'s>> {
        self.periods.get(&Period::quarter(q))
    }

    /// From the start of `q`'s year to the end of `q`.
    pub fn cumulative(&self, q: Quarter) -> Option<&PeriodStats<'s>> {
        self.periods.get(&Period::cumulative(q.year, q.q))
    }

    /// The year so far: cumulative to its latest reported quarter.
    pub fn year_to_date(&self, year: i32) -> Option<&PeriodStats<'s>> {
        let last = self.quarters.iter().filter(|q| q.year == year).max()?;
        self.cumulative(*last)
    }

    /// Cumulative admissions of `year` at the end of each reported quarter,
    /// and the year's quota; `None` when the year has no results.
    pub fn year_pace(&self, year: i32) -> Option<YearPace> {
        let last = self.year_to_date(year)?;
        let points = (1..=4u8)
            .filter_map(|q| {
                let quarter = Quarter::new(year, q)?;
                if !self.quarters.contains(&quarter) {
                    return None;
                }
                self.cumulative(quarter)
                    .map(|s| (q, s.total.counts.admitted()))
            })
            .collect();
        Some(YearPace {
            points,
            quota: last.total.quota,
        })
    }

    /// The path part of `base_url` (`/` or `/luu-tru/`).
    pub fn root_path(&self) -> String {
        let after_scheme = self
            .base_url
            .split_once("://")
            .map_or(self.base_url.as_str(), |(_, r)| r);
        match after_scheme.find('/') {
            Some(i) => after_scheme[i..].to_owned(),
            None => "/".to_owned(),
        }
    }

    pub fn absolute(&self, url: &str) -> String {
        format!("{}{}", self.base_url, url.trim_start_matches('/'))
    }

    /// Up to `n` articles close to article `i`: sharing tags or units, near
    /// it in time. Cheap for any number of articles: only the neighbours of
    /// `i` in each of its lists are considered.
    pub fn related(&self, i: usize, n: usize) -> Vec<usize> {
        const REACH: usize = 4;
        let mut score: BTreeMap<usize, usize> = BTreeMap::new();
        let mut consider = |list: &[usize], pos: usize| {
            let from = pos.saturating_sub(REACH);
            let to = (pos + REACH + 1).min(list.len());
            for &j in &list[from..to] {
                if j != i {
                    *score.entry(j).or_insert(0) += 1;
                }
            }
        };
        for (slug, pos) in self.article_tags.get(&i).into_iter().flatten() {
            if let Some(tag) = self.tags.get(slug) {
                consider(&tag.articles, *pos);
            }
        }
        if let Some(a) = self.site.articles.get(i) {
            for u in &a.units {
                if let Some(list) = self.articles_by_unit.get(u.as_str())
                    && let Some(pos) = list.iter().position(|&j| j == i)
                {
                    consider(list, pos);
                }
            }
        }
        let date = |k: usize| {
            self.site
                .articles
                .get(k)
                .map(|a| a.date.value.timestamp())
                .unwrap_or(0)
        };
        let own = date(i);
        let mut ranked: Vec<(usize, usize)> = score.into_iter().collect();
        ranked.sort_by_key(|&(j, s)| (std::cmp::Reverse(s), (date(j) - own).abs(), j));
        ranked.into_iter().take(n).map(|(j, _)| j).collect()
    }

    /// When the bulletin of `q` counts as published: its report date, else
    /// the day after its quarter ends (midnight, Vietnam time).
    pub fn bulletin_date(&self, q: Quarter) -> DateTime<FixedOffset> {
        let reported = self
            .site
            .reports
            .iter()
            .find(|r| r.year.value == q.year && r.quarter.value == q.q)
            .and_then(|r| r.reported.as_ref())
            .map(|d| d.value);
        let day = reported.unwrap_or_else(|| q.bounds().1.succ_opt().unwrap_or(q.bounds().1));
        let naive = day.and_time(NaiveTime::MIN);
        vi::vietnam_offset()
            .from_local_datetime(&naive)
            .single()
            .unwrap_or_else(|| DateTime::from_naive_utc_and_offset(naive, vi::vietnam_offset()))
    }
}
