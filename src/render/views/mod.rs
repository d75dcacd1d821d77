//! View models: for each page kind, the data its template shows, already
//! formatted the Vietnamese way. Site-wide lists (periods, tags, related
//! articles, articles by unit) are computed once in [`Base`], not per page.
//! `docs/mau-trang.md` lists what each template receives.

mod articles;
mod bulletin;
mod home;
mod plans;
mod statistics;
mod units;

use std::collections::{BTreeMap, HashMap};

use chrono::Datelike;
use serde::Serialize;
use tera::Context;

use super::{Options, PageOutput, SiteResolver};
use crate::model::{Article, Plan, Site};
use crate::pages::{self, Page, PageKind};
use crate::stats::{Period, PeriodStats, Quarter, Ratio, Stats};
use crate::vi;

pub use statistics::data_files;

/// Used when neither site.yaml nor `--base-url` gives one.
const FALLBACK_BASE_URL: &str = "https://example.invalid/";

/// Site-wide facts every page may need, computed once per build.
pub struct Base<'s> {
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

pub struct Tag {
    pub name: String,
    pub articles: Vec<usize>,
}

impl<'s> Base<'s> {
    pub fn new(site: &'s Site, stats: &Stats<'s>, options: &Options) -> Self {
        use rayon::prelude::*;
        let config = site.config.as_ref();
        let facts: Vec<ArticleFacts> = site.articles.par_iter().map(ArticleFacts::of).collect();
        let published = pages::published_articles(site, options.drafts);
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
        Base {
            site,
            site_title: config.map_or_else(String::new, |c| c.title.value.clone()),
            organization: config
                .map_or_else(|| "Đảng bộ".to_owned(), |c| c.organization.value.clone()),
            description: config
                .and_then(|c| c.description.as_ref())
                .map_or_else(String::new, |d| d.value.clone()),
            data_notice: config
                .and_then(|c| c.data_notice.as_ref())
                .map(|d| d.value.clone()),
            base_url: options
                .base_url
                .clone()
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
}

#[derive(Serialize, Clone)]
pub struct Link {
    pub label: String,
    pub href: String,
}

#[derive(Serialize)]
struct NavItem {
    label: &'static str,
    href: String,
    current: bool,
}

/// What the base layout shows on every page.
#[derive(Serialize)]
pub struct Layout {
    lang: &'static str,
    site_title: String,
    organization: String,
    description: String,
    data_notice: Option<String>,
    /// The page's heading.
    title: String,
    canonical: String,
    og_type: &'static str,
    og_description: String,
    og_image: Option<String>,
    home_url: String,
    css_url: String,
    script_url: String,
    feed_url: String,
    search_url: String,
    tags_url: String,
    nav: Vec<NavItem>,
    /// Links above the page, from the home page down; the page itself is not in it.
    breadcrumbs: Vec<Link>,
}

/// Links from the page being rendered.
pub struct Here<'p> {
    pub url: &'p str,
    /// Links start from this path instead of being relative (the 404 page,
    /// which a server returns for any missing path).
    pub root: Option<String>,
}

impl Here<'_> {
    pub fn href(&self, to: &str) -> String {
        match &self.root {
            Some(root) => format!("{root}{}", pages::file_of(to)),
            None => pages::relative(self.url, to),
        }
    }
    pub fn link(&self, label: impl Into<String>, to: &str) -> Link {
        Link {
            label: label.into(),
            href: self.href(to),
        }
    }
    /// Breadcrumbs: the home page, then `trail` (label, URL).
    pub fn crumbs(&self, trail: &[(&str, String)]) -> Vec<Link> {
        let mut out = vec![self.link("Trang chủ", &pages::home())];
        out.extend(trail.iter().map(|(label, url)| self.link(*label, url)));
        out
    }
}

/// The start of a page's context: the layout, filled in by [`PageBuilder::finish`].
pub struct PageBuilder<'b, 'h> {
    base: &'b Base<'b>,
    here: &'b Here<'h>,
    title: String,
    section: Option<String>,
    crumbs: Vec<Link>,
    og_type: &'static str,
    og_description: Option<String>,
    og_image: Option<String>,
}

impl<'b, 'h> PageBuilder<'b, 'h> {
    pub fn new(base: &'b Base<'b>, here: &'b Here<'h>, title: impl Into<String>) -> Self {
        PageBuilder {
            base,
            here,
            title: title.into(),
            section: None,
            crumbs: Vec::new(),
            og_type: "website",
            og_description: None,
            og_image: None,
        }
    }

    /// The navigation item to mark as current (its URL).
    pub fn section(mut self, url: String) -> Self {
        self.section = Some(url);
        self
    }

    pub fn crumbs(mut self, trail: &[(&str, String)]) -> Self {
        self.crumbs = self.here.crumbs(trail);
        self
    }

    pub fn article(mut self, description: String, image: Option<String>) -> Self {
        self.og_type = "article";
        self.og_description = Some(description);
        self.og_image = image;
        self
    }

    pub fn description(mut self, description: String) -> Self {
        self.og_description = Some(description);
        self
    }

    fn layout(self) -> Layout {
        let (base, here) = (self.base, self.here);
        let items: [(&'static str, String); 6] = [
            ("Bản tin", pages::bulletins()),
            ("Thống kê", pages::statistics_index()),
            ("Kế hoạch", pages::plans()),
            ("Đơn vị", pages::units()),
            ("Tin tức", pages::articles(1)),
            ("Tìm kiếm", pages::search()),
        ];
        Layout {
            lang: "vi",
            site_title: base.site_title.clone(),
            organization: base.organization.clone(),
            description: base.description.clone(),
            data_notice: base.data_notice.clone(),
            og_description: self
                .og_description
                .unwrap_or_else(|| base.description.clone()),
            title: self.title,
            canonical: base.absolute(here.url),
            og_type: self.og_type,
            og_image: self.og_image,
            home_url: here.href(&pages::home()),
            css_url: here.href(super::CSS),
            script_url: here.href(super::SCRIPT),
            feed_url: here.href(&pages::feed()),
            search_url: here.href(&pages::search()),
            tags_url: here.href(&pages::tags()),
            nav: items
                .into_iter()
                .map(|(label, url)| NavItem {
                    label,
                    current: self.section.as_deref() == Some(url.as_str()),
                    href: here.href(&url),
                })
                .collect(),
            breadcrumbs: self.crumbs,
        }
    }

    /// The template's context: the layout and the page's own data, side by
    /// side at the top level (a page field never shadows a layout field).
    pub fn finish<T: Serialize>(
        self,
        template: &'static str,
        body: T,
    ) -> Option<(&'static str, Context)> {
        let mut context = Context::from_serialize(&self.layout()).ok()?;
        let own = tera::Value::try_from_serializable(&body).ok()?.into_map()?;
        for (key, value) in own {
            let Some(key) = key.as_str() else { continue };
            debug_assert!(
                !context.contains_key(key),
                "{template}: '{key}' shadows a layout field"
            );
            context.insert_value(key.to_owned(), value);
        }
        Some((template, context))
    }
}

pub fn count(n: u64) -> String {
    vi::int(n.min(i64::MAX as u64) as i64)
}

/// A percentage, or a dash where there is none (no quota, no base...).
pub fn pct(r: Option<Ratio>) -> String {
    r.map_or_else(|| "—".to_owned(), Ratio::percent)
}

pub fn opt_count(n: Option<u64>) -> String {
    n.map_or_else(|| "—".to_owned(), count)
}

/// The year an article is about (its date, in Vietnam time).
pub fn article_year(a: &Article) -> i32 {
    a.date.value.with_timezone(&vi::vietnam_offset()).year()
}

/// `Kế hoạch số 366-KH/TU, ngày 31/01/2023 của Ban Thường vụ Tỉnh ủy`.
pub fn plan_citation(p: &Plan) -> String {
    format!(
        "{} số {}, {} của {}",
        p.kind_name.value,
        p.symbol.value,
        vi::date_running(p.issued.value),
        p.issuer.value
    )
}

/// The plan's target, `3–4%`, or `3%` when both ends agree.
pub fn target_text(p: &Plan) -> Option<String> {
    p.target.as_ref().map(|t| {
        if (t.value.max - t.value.min).abs() < f64::EPSILON {
            format!("{}%", vi::number_f64(t.value.min))
        } else {
            format!(
                "{}–{}%",
                vi::number_f64(t.value.min),
                vi::number_f64(t.value.max)
            )
        }
    })
}

#[derive(Serialize)]
pub struct ArticleItem {
    pub title: String,
    pub href: String,
    /// `09:31, 19/10/2021`
    pub date: String,
    /// RFC 3339, for `<time datetime>`.
    pub datetime: String,
    pub summary: String,
    pub image: Option<String>,
    pub image_alt: String,
}

pub fn article_item(base: &Base, here: &Here, i: usize) -> Option<ArticleItem> {
    let a = base.site.articles.get(i)?;
    let facts = base.facts.get(i)?;
    Some(ArticleItem {
        title: a.title.value.clone(),
        href: here.href(&pages::article(&a.slug)),
        date: facts.date.clone(),
        datetime: facts.datetime.clone(),
        summary: facts.summary.clone(),
        image: a.image.as_ref().map(|m| here.href(&pages::media(&m.value))),
        image_alt: a
            .image_caption
            .as_ref()
            .map_or_else(|| a.title.value.clone(), |c| c.value.clone()),
    })
}

pub fn article_items(base: &Base, here: &Here, list: &[usize]) -> Vec<ArticleItem> {
    list.iter()
        .filter_map(|&i| article_item(base, here, i))
        .collect()
}

#[derive(Serialize)]
pub struct PageNumber {
    pub number: usize,
    pub href: String,
    pub current: bool,
}

#[derive(Serialize)]
pub struct Pagination {
    pub page: usize,
    pub pages: usize,
    pub previous: Option<String>,
    pub next: Option<String>,
    pub numbers: Vec<PageNumber>,
}

/// Page `n` of `pages`, numbered links made by `url_of`.
pub fn pagination(
    here: &Here,
    n: usize,
    pages: usize,
    url_of: impl Fn(usize) -> String,
) -> Pagination {
    Pagination {
        page: n,
        pages,
        previous: (n > 1).then(|| here.href(&url_of(n - 1))),
        next: (n < pages).then(|| here.href(&url_of(n + 1))),
        numbers: page_numbers(n, pages)
            .into_iter()
            .map(|k| PageNumber {
                number: k,
                href: here.href(&url_of(k)),
                current: k == n,
            })
            .collect(),
    }
}

/// The page numbers to show: the first, the last, and a window around `n`.
fn page_numbers(n: usize, pages: usize) -> Vec<usize> {
    let mut out: Vec<usize> = (1..=pages)
        .filter(|&k| k == 1 || k == pages || k.abs_diff(n) <= 2)
        .collect();
    out.dedup();
    out
}

/// The template and context of `page`, or `None` when the page has nothing
/// to show (its data failed to load).
pub fn page_view(
    page: &Page,
    base: &Base,
    resolver: &SiteResolver,
    out: &mut PageOutput,
) -> Option<(&'static str, Context)> {
    let root = (page.kind == PageKind::NotFound).then(|| base.root_path());
    let here = Here {
        url: &page.url,
        root,
    };
    let site = base.site;
    match &page.kind {
        PageKind::Home => home::home(base, &here),
        PageKind::Bulletins => bulletin::index(base, &here),
        PageKind::Bulletin(q) => bulletin::bulletin(base, &here, *q, resolver, out),
        PageKind::StatisticsIndex => statistics::index(base, &here),
        PageKind::Statistics(q) => statistics::quarter(base, &here, *q),
        PageKind::StatisticsYear(year) => statistics::year(base, &here, *year),
        PageKind::Plans => plans::index(base, &here),
        PageKind::Plan(i) => plans::plan(base, &here, site.plans.get(*i)?, resolver, out),
        PageKind::Units => units::index(base, &here),
        PageKind::Unit(i) => units::unit(base, &here, *i),
        PageKind::Articles { page: n } => articles::list(base, &here, *n),
        PageKind::Article(i) => articles::article(base, &here, *i, resolver, out),
        PageKind::Tags => articles::tags(base, &here),
        PageKind::Tag { slug, page: n } => articles::tag(base, &here, slug, *n),
        PageKind::Search => articles::search(base, &here),
        PageKind::NotFound => {
            #[derive(Serialize)]
            struct Empty {}
            PageBuilder::new(base, &here, "Không tìm thấy trang").finish("404.html", Empty {})
        }
    }
}

/// A piece of Markdown a page shows: text, file, first line, year.
pub type MarkdownSource<'s> = (&'s str, crate::model::FileId, u32, Option<i32>);

/// The Markdown a page holds, where it was written.
pub fn markdown_sources<'s>(site: &'s Site, page: &Page) -> Vec<MarkdownSource<'s>> {
    match &page.kind {
        PageKind::Article(i) => site
            .articles
            .get(*i)
            .map(|a| (a.body.as_str(), a.file, a.body_line, Some(article_year(a))))
            .into_iter()
            .collect(),
        PageKind::Bulletin(q) => site
            .editorials
            .iter()
            .filter(|e| e.year == q.year && e.quarter == q.q)
            .map(|e| (e.body.as_str(), e.file, 1, Some(e.year)))
            .collect(),
        PageKind::Plan(i) => site
            .plans
            .get(*i)
            .map(|p| {
                p.tasks
                    .iter()
                    .map(|t| (t.value.as_str(), p.file, t.loc.line, Some(p.year.value)))
                    .collect()
            })
            .unwrap_or_default(),
        _ => Vec::new(),
    }
}
