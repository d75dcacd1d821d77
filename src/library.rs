//! The site index: what every page may need about the whole site, computed
//! once per build between the model and rendering — the published articles
//! and their derived facts, tags, articles by unit, related articles, the
//! quarters with results and the figures of every period. Rendering reads
//! it and computes nothing site-wide itself. No IO.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use chrono::{DateTime, FixedOffset, NaiveTime, TimeZone};

use crate::model::{Article, Site};
use crate::pages;
use crate::stats::{Period, PeriodStats, Quarter, Stats, TermStats};
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
    /// Units as lists name them (set by the renderer, whose template words
    /// tell two units of the same name apart).
    pub names: Names,
    /// What lists show of each article, by index in `site.articles`.
    pub facts: Vec<ArticleFacts>,
    /// Each plan's quota of admissions for the organisation, by index in
    /// `site.plans`.
    pub plan_quotas: Vec<u64>,
    /// For each plan, by index in `site.plans`, the index of the plan as
    /// first issued that it amends (itself when it amends nothing).
    pub plan_roots: Vec<usize>,
    /// Each term of office (by index in site.yaml's `terms`) seen from the
    /// latest reported quarter; `None` before it has a quarter.
    pub terms: Vec<Option<TermStats<'s>>>,
    /// Each reported quarter of a term: the term so far, seen from it.
    term_at: BTreeMap<Quarter, TermStats<'s>>,
    /// Index of the term the navigation and the home page show: the one the
    /// latest reported quarter is in, else the last to begin.
    pub current_term: Option<usize>,
}

/// An article's derived facts, computed once per build (an article appears
/// in many lists: news pages, tags, units, related, the feed, the index).
pub struct ArticleFacts {
    /// The sapo: `summary`, or the first paragraph of the body.
    pub summary: String,
    /// The sapo cut to [`TEASER`] characters at a word: what lists of
    /// articles show and the page's description (`<meta>`, sharing).
    pub teaser: String,
    /// Distinct tag slugs, in the order written.
    pub tag_slugs: Vec<String>,
    /// `09:31, 19/10/2021`
    pub date: String,
    /// RFC 3339, for `<time datetime>`.
    pub datetime: String,
}

/// Characters of an article's sapo in lists and descriptions: about what
/// search engines show, two or three lines of a list.
pub const TEASER: usize = 200;

impl ArticleFacts {
    fn of(a: &Article, tags: &pages::TagSlugs) -> Self {
        let summary = a.summary.as_ref().map_or_else(
            || crate::markdown::first_paragraph_text(&a.body),
            |s| s.value.clone(),
        );
        ArticleFacts {
            teaser: vi::clip_words(&summary, TEASER),
            summary,
            tag_slugs: tags.of_article(a),
            date: if a.date_only {
                vi::date_short(vi::day_in_vietnam(a.date.value))
            } else {
                vi::datetime(a.date.value)
            },
            datetime: if a.date_only {
                a.date.value.format("%Y-%m-%d").to_string()
            } else {
                a.date.value.to_rfc3339()
            },
        }
    }
}

/// How a unit is named on every list, table, ranking and history line: two
/// units with the same name are told apart by their parent or their dates
/// (SPEC §2.2), as `unit_name` in `templates/labels.html` writes it.
#[derive(Default)]
pub struct Names {
    /// Unit id → full name, when it must be told apart from another.
    full: HashMap<String, String>,
    /// Unit id → short name, likewise.
    short: HashMap<String, String>,
}

/// What tells a unit apart from others of the same name.
#[derive(serde::Serialize)]
pub struct Qualifier {
    /// The full name, when short names collide but full names differ
    /// (`huyện Cốc Sơn`, `xã Cốc Sơn`): it tells them apart by itself.
    pub full: Option<String>,
    /// Its parent's name, when units of the same name have other parents.
    pub parent: Option<String>,
    /// `30/06/2025`: its last day, when they differ in their dates.
    pub until: Option<String>,
    /// `01/07/2025`: its first day, likewise (when it is not dissolved).
    pub from: Option<String>,
}

impl Names {
    /// `qualified(name, qualifier)` writes a name told apart.
    pub fn new(
        units: &[crate::model::Unit],
        mut qualified: impl FnMut(&str, &Qualifier) -> String,
    ) -> Self {
        let by_id: HashMap<&str, &crate::model::Unit> =
            units.iter().map(|u| (u.id.as_str(), u)).collect();
        let parent_name = |u: &crate::model::Unit| {
            u.parent
                .as_ref()
                .and_then(|p| by_id.get(p.as_str()))
                .map(|p| p.name.value.clone())
        };
        let mut names = Names::default();
        for short in [false, true] {
            let name = |u: &crate::model::Unit| -> String {
                if short {
                    u.short().to_owned()
                } else {
                    u.name.value.clone()
                }
            };
            let mut groups: BTreeMap<String, Vec<&crate::model::Unit>> = BTreeMap::new();
            for u in units {
                groups.entry(name(u)).or_default().push(u);
            }
            for (written, group) in groups.into_iter().filter(|(_, g)| g.len() > 1) {
                let fulls: BTreeSet<&str> = group.iter().map(|u| u.name.value.as_str()).collect();
                if short && fulls.len() == group.len() {
                    for u in &group {
                        let qualifier = Qualifier {
                            full: Some(u.name.value.clone()),
                            parent: None,
                            until: None,
                            from: None,
                        };
                        // A short name starts a table cell or a label.
                        let label = vi::capitalize_first(&qualified(&written, &qualifier));
                        names.short.insert(u.id.value.clone(), label);
                    }
                    continue;
                }
                let parents: Vec<Option<String>> = group.iter().map(|u| parent_name(u)).collect();
                let parents_differ = parents.iter().any(|p| *p != parents[0]);
                let dates: Vec<(Option<chrono::NaiveDate>, Option<chrono::NaiveDate>)> =
                    group.iter().map(|u| (u.began(), u.dissolved())).collect();
                let dates_differ = dates.iter().any(|d| *d != dates[0]);
                for (u, parent) in group.iter().zip(parents) {
                    let qualifier = Qualifier {
                        full: None,
                        parent: parent.filter(|_| parents_differ),
                        until: u.dissolved().filter(|_| dates_differ).map(vi::date_short),
                        from: u
                            .began()
                            .filter(|_| dates_differ && u.dissolved().is_none())
                            .map(vi::date_short),
                    };
                    if qualifier.parent.is_none()
                        && qualifier.until.is_none()
                        && qualifier.from.is_none()
                    {
                        // Alike in parent and dates too (W505 says so):
                        // nothing here tells them apart.
                        continue;
                    }
                    let map = if short {
                        &mut names.short
                    } else {
                        &mut names.full
                    };
                    map.insert(u.id.value.clone(), qualified(&written, &qualifier));
                }
            }
        }
        names
    }
}

/// Names on one list (see [`Library::names_among`]).
pub struct ListNames<'a> {
    lib: &'a Library<'a>,
    /// Full names, and short names, that more than one unit of the list has.
    full: HashSet<&'a str>,
    short: HashSet<&'a str>,
}

impl<'a> ListNames<'a> {
    /// `u`'s full name on this list.
    pub fn name(&self, u: &'a crate::model::Unit) -> &'a str {
        if self.full.contains(u.name.value.as_str()) {
            self.lib.name(u)
        } else {
            &u.name.value
        }
    }

    /// `u`'s short name on this list.
    pub fn short(&self, u: &'a crate::model::Unit) -> &'a str {
        if self.short.contains(u.short()) {
            self.lib.short(u)
        } else {
            u.short()
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

/// A quarter's lead photo: a file under `content/media/` (`media/...`).
pub struct Photo<'s> {
    pub image: &'s str,
    pub caption: Option<&'s str>,
    /// The article it comes from, by index in `site.articles`.
    pub article: Option<usize>,
}

impl<'s> Library<'s> {
    /// `base_url` from the command line overrides site.yaml's.
    /// `tags` is the site's [`pages::TagSlugs`].
    pub fn new(
        site: &'s Site,
        stats: &Stats<'s>,
        tags: &pages::TagSlugs,
        drafts: bool,
        base_url: Option<&str>,
    ) -> Self {
        use rayon::prelude::*;
        let config = site.config.as_ref();
        let facts: Vec<ArticleFacts> = site
            .articles
            .par_iter()
            .map(|a| ArticleFacts::of(a, tags))
            .collect();
        let published = pages::published_articles(site, drafts);
        let names = pages::tags_of(site, tags, &published);
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
        let periods: BTreeMap<Period, PeriodStats<'s>> = stats
            .periods()
            .into_iter()
            .map(|p| (p, stats.period(p)))
            .collect();
        let quarters: Vec<Quarter> = stats.quarters().collect();
        let site_terms = site.terms();
        let known = |p: Period| periods.get(&p);
        let latest = quarters.last().copied();
        let terms: Vec<Option<TermStats>> = site_terms
            .iter()
            .map(|t| latest.and_then(|q| stats.term(t, q, known)))
            .collect();
        let mut term_at = BTreeMap::new();
        for &q in &quarters {
            let within = site_terms.iter().find(|t| {
                crate::stats::term_quarters(t)
                    .is_some_and(|(first, last)| first <= q && last.is_none_or(|l| q <= l))
            });
            if let Some(t) = within.and_then(|t| stats.term(t, q, known)) {
                term_at.insert(q, t);
            }
        }
        let current_term = latest
            .and_then(|q| term_at.get(&q))
            .and_then(|t| site_terms.iter().position(|x| std::ptr::eq(x, t.term)))
            .or_else(|| {
                site_terms
                    .iter()
                    .enumerate()
                    .max_by_key(|(_, t)| t.from.value)
                    .map(|(i, _)| i)
            });
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
            quarters,
            terms,
            term_at,
            current_term,
            article_tags,
            facts,
            names: Names::default(),
            plan_quotas: site.plans.iter().map(|p| stats.plan_quota(p)).collect(),
            plan_roots: site
                .plans
                .iter()
                .map(|p| {
                    let root = stats.root_of(p);
                    site.plans
                        .iter()
                        .position(|x| std::ptr::eq(x, root))
                        .unwrap_or_default()
                })
                .collect(),
        }
    }

    /// `u`'s full name as lists show it (told apart from a namesake).
    pub fn name<'a>(&'a self, u: &'a crate::model::Unit) -> &'a str {
        self.names
            .full
            .get(u.id.as_str())
            .map_or(&u.name.value, String::as_str)
    }

    /// `u`'s short name as tables and charts show it.
    pub fn short<'a>(&'a self, u: &'a crate::model::Unit) -> &'a str {
        self.names
            .short
            .get(u.id.as_str())
            .map_or(u.short(), String::as_str)
    }

    /// Names as one list of `units` shows them: a unit is told apart only
    /// from a namesake on the same list (a table of 2023 names the old
    /// district plainly; one of 2025 that also has the new commune of the
    /// same name tells them apart).
    pub fn names_among<'a>(
        &'a self,
        units: impl IntoIterator<Item = &'a crate::model::Unit>,
    ) -> ListNames<'a> {
        let mut full: HashMap<&str, usize> = HashMap::new();
        let mut short: HashMap<&str, usize> = HashMap::new();
        for u in units {
            if self.names.full.contains_key(u.id.as_str()) {
                *full.entry(u.name.value.as_str()).or_default() += 1;
            }
            if self.names.short.contains_key(u.id.as_str()) {
                *short.entry(u.short()).or_default() += 1;
            }
        }
        let twice = |counts: HashMap<&'a str, usize>| {
            counts
                .into_iter()
                .filter(|(_, n)| *n > 1)
                .map(|(name, _)| name)
                .collect()
        };
        ListNames {
            lib: self,
            full: twice(full),
            short: twice(short),
        }
    }

    /// The plan as first issued that `p` amends (`p` itself when it
    /// amends nothing), and its amendments in the order they took effect.
    pub fn plan_family(&self, p: &crate::model::Plan) -> (usize, Vec<&'s crate::model::Plan>) {
        let plans = &self.site.plans;
        let i = plans
            .iter()
            .position(|x| std::ptr::eq(x, p))
            .unwrap_or_default();
        let root = self.plan_roots.get(i).copied().unwrap_or(i);
        let mut amendments: Vec<&crate::model::Plan> = plans
            .iter()
            .zip(&self.plan_roots)
            .enumerate()
            .filter(|(k, (_, r))| **r == root && *k != root)
            .map(|(_, (x, _))| x)
            .collect();
        amendments.sort_by_key(|x| x.effect_order());
        (root, amendments)
    }

    pub fn quarter(&self, q: Quarter) -> Option<&PeriodStats<'s>> {
        self.periods.get(&Period::quarter(q))
    }

    /// From the start of `q`'s year to the end of `q`.
    pub fn cumulative(&self, q: Quarter) -> Option<&PeriodStats<'s>> {
        self.periods.get(&Period::cumulative(q.year, q.q))
    }

    /// Quarter `q`'s lead photo: the one its editorial names, else that of
    /// the latest published article of the quarter that has one.
    pub fn lead_photo(&self, q: Quarter) -> Option<Photo<'s>> {
        let site = self.site;
        if let Some(e) = site
            .editorials
            .iter()
            .find(|e| e.year == q.year && e.quarter == q.q)
            && let Some(image) = &e.image
        {
            return Some(Photo {
                image: &image.value,
                caption: e.image_caption.as_ref().map(|c| c.value.as_str()),
                article: None,
            });
        }
        let (from, to) = q.bounds();
        self.published.iter().copied().find_map(|i| {
            let a = site.articles.get(i)?;
            let day = vi::day_in_vietnam(a.date.value);
            let image = a.image.as_ref().filter(|_| from <= day && day <= to)?;
            Some(Photo {
                image: &image.value,
                caption: a.image_caption.as_ref().map(|c| c.value.as_str()),
                article: Some(i),
            })
        })
    }

    /// The term of office `q` is in, seen from `q`.
    pub fn term_at(&self, q: Quarter) -> Option<&TermStats<'s>> {
        self.term_at.get(&q)
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

    /// The day the results of `q` were reported (`reported:`), if given.
    pub fn reported(&self, q: Quarter) -> Option<chrono::NaiveDate> {
        self.site
            .reports
            .iter()
            .find(|r| r.year.value == q.year && r.quarter.value == q.q)
            .and_then(|r| r.reported.as_ref())
            .map(|d| d.value)
    }

    /// When the bulletin of `q` counts as published: its report date, else
    /// the day after its quarter ends (midnight, Vietnam time).
    pub fn bulletin_date(&self, q: Quarter) -> DateTime<FixedOffset> {
        let day = self
            .reported(q)
            .unwrap_or_else(|| q.bounds().1.succ_opt().unwrap_or(q.bounds().1));
        let naive = day.and_time(NaiveTime::MIN);
        vi::vietnam_offset()
            .from_local_datetime(&naive)
            .single()
            .unwrap_or_else(|| DateTime::from_naive_utc_and_offset(naive, vi::vietnam_offset()))
    }
}
