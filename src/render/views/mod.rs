//! View models: for each page kind, the data its template shows, already
//! formatted the Vietnamese way. Site-wide lists (periods, tags, related
//! articles, articles by unit) come from the site index,
//! [`crate::library::Library`], computed once per build.
//! `docs/mau-trang.md` lists what each template receives.

mod articles;
mod bulletin;
mod home;
mod plans;
mod statistics;
mod terms;
mod units;

use crate::library::Library;
use chrono::Datelike;
use serde::Serialize;
use tera::Context;

use super::{PageOutput, SiteResolver, charts};
use crate::model::{Article, Plan, Site};
use crate::pages::{self, Page, PageKind};
use crate::stats::{PeriodStats, Ratio};
use crate::vi;

pub use bulletin::{Facts, facts, report};
pub use statistics::data_files;

/// An image with its text alternative and caption.
#[derive(Serialize)]
pub struct Image {
    pub src: String,
    pub alt: String,
    pub caption: Option<String>,
}

/// A quarter's lead photo (`Library::lead_photo`), and the article it
/// comes from.
#[derive(Serialize)]
pub struct Photo {
    pub image: Image,
    pub article: Option<Link>,
}

impl Photo {
    pub fn of(lib: &Library, here: &Here, q: crate::stats::Quarter) -> Option<Photo> {
        let p = lib.lead_photo(q)?;
        let article = p.article.and_then(|i| lib.site.articles.get(i));
        Some(Photo {
            image: Image {
                src: here.href(&pages::media(p.image)),
                alt: p
                    .caption
                    .map(str::to_owned)
                    .or_else(|| article.map(|a| a.title.value.clone()))
                    .unwrap_or_default(),
                caption: p.caption.map(str::to_owned),
            },
            article: article.map(|a| here.link(a.title.value.clone(), &pages::article(&a.slug))),
        })
    }
}

#[derive(Serialize, Clone)]
pub struct Link {
    pub label: String,
    pub href: String,
}

/// What a page is, for its title (`page_title` in `templates/labels.html`)
/// and for the breadcrumbs of the pages below it.
#[derive(Serialize, Clone, Default)]
pub struct PageName {
    /// `home`, `bulletins`, `bulletin`, `statistics_index`, `statistics`,
    /// `statistics_year`, `plans`, `plan`, `units`, `unit`, `articles`,
    /// `article`, `tags`, `tag`, `search`, `not_found`.
    pub kind: &'static str,
    /// `quý I/2023`, `9 tháng đầu năm 2023`.
    pub period: Option<String>,
    pub year: Option<i32>,
    /// The site's, a unit's, an article's or a tag's name.
    pub name: Option<String>,
    /// A plan.
    pub doc: Option<DocName>,
    /// The page of a list, from 2 (none for the first).
    pub number: Option<usize>,
}

impl PageName {
    pub fn of(kind: &'static str) -> Self {
        PageName {
            kind,
            ..PageName::default()
        }
    }
    pub fn named(kind: &'static str, name: impl Into<String>) -> Self {
        PageName {
            name: Some(name.into()),
            ..PageName::of(kind)
        }
    }
    pub fn period(kind: &'static str, period: String) -> Self {
        PageName {
            period: Some(period),
            ..PageName::of(kind)
        }
    }
    /// Page `n` of a list.
    pub fn page(mut self, n: usize) -> Self {
        self.number = (n > 1).then_some(n);
        self
    }
}

/// A document as `citation` and `document_title` in `templates/labels.html`
/// write it.
#[derive(Serialize, Clone, Default)]
pub struct DocName {
    /// `Kế hoạch`; none for a basis whose kind is unknown.
    pub kind_name: Option<String>,
    /// `366-KH/TU`
    pub symbol: String,
    /// `ngày 31/01/2023`
    pub issued: Option<String>,
    pub issuer: Option<String>,
    /// `về kết nạp đảng viên năm 2023`
    pub subject: Option<String>,
}

impl DocName {
    pub fn of_plan(p: &Plan) -> Self {
        DocName {
            kind_name: Some(p.kind_name.value.clone()),
            symbol: p.symbol.value.to_string(),
            issued: Some(vi::date_running(p.issued.value)),
            issuer: Some(p.issuer.value.clone()),
            subject: Some(p.title.value.clone()),
        }
    }
}

/// A note on a unit in a table of one period: when it ended or began,
/// worded by `unit_note` in `templates/labels.html`.
#[derive(Serialize, Clone)]
pub struct Note {
    /// `dissolved`, `created` (in the period), `dissolved_before` (the
    /// plan's year), `until`, `from`.
    kind: &'static str,
    /// `30/06/2025`
    date: Option<String>,
}

impl Note {
    pub fn new(kind: &'static str, date: Option<chrono::NaiveDate>) -> Self {
        Note {
            kind,
            date: date.map(vi::date_short),
        }
    }
}

/// A link to a plan's page, named by `document_title` in
/// `templates/labels.html`.
#[derive(Serialize)]
pub struct DocLink {
    pub doc: DocName,
    pub href: String,
}

impl DocLink {
    pub fn plan(here: &Here, p: &Plan) -> Self {
        DocLink {
            doc: DocName::of_plan(p),
            href: here.href(&pages::plan(&p.symbol, p.year.value)),
        }
    }
}

/// A link above the page (breadcrumbs), named by `crumb` in
/// `templates/labels.html`.
#[derive(Serialize)]
pub struct Crumb {
    page: PageName,
    href: String,
}

/// Where the site's sections are, for the navigation.
#[derive(Serialize)]
struct Sections {
    bulletins: String,
    statistics: String,
    plans: String,
    units: String,
    articles: String,
    search: String,
    /// The current term of office, when the site has terms.
    term: Option<String>,
}

/// What the base layout shows on every page.
#[derive(Serialize)]
pub struct Layout {
    lang: &'static str,
    site_title: String,
    organization: String,
    description: String,
    data_notice: Option<String>,
    /// What the page is; its title is `page_title` of it.
    page: PageName,
    canonical: String,
    og_type: &'static str,
    og_description: String,
    /// Absolute: the page's own image (an article's, a bulletin's photo),
    /// else the site's logo when it is a picture social networks show
    /// (PNG, JPEG, GIF, WebP), else bantin's sharing card.
    og_image: String,
    /// An article or a bulletin: when and by whom, for its structured
    /// data (JSON-LD `NewsArticle`).
    news: Option<News>,
    /// News pages: links to share them.
    share: Option<pages::ShareLinks>,
    home_url: String,
    css_url: String,
    script_url: String,
    /// The browser's icon: the site's logo, else bantin's.
    icon_url: String,
    /// The site's logo (`logo:` in site.yaml), in the header.
    logo_url: Option<String>,
    feed_url: String,
    rss_url: String,
    /// A topic's page: its own feed.
    topic_feed_url: Option<String>,
    search_url: String,
    tags_url: String,
    sections: Sections,
    /// The navigation item of the page's section: a key of `sections`.
    section: Option<&'static str>,
    /// Links above the page, from the home page down; the page itself is not in it.
    breadcrumbs: Vec<Crumb>,
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
    /// Breadcrumbs: the home page, then `trail` (page, URL).
    pub fn crumbs(&self, trail: Vec<(PageName, String)>) -> Vec<Crumb> {
        std::iter::once((PageName::of("home"), pages::home()))
            .chain(trail)
            .map(|(page, url)| Crumb {
                page,
                href: self.href(&url),
            })
            .collect()
    }
}

/// The start of a page's context: the layout, filled in by [`PageBuilder::finish`].
pub struct PageBuilder<'b, 'h> {
    lib: &'b Library<'b>,
    here: &'b Here<'h>,
    page: PageName,
    section: Option<&'static str>,
    crumbs: Vec<Crumb>,
    og_type: &'static str,
    og_description: Option<String>,
    og_image: Option<String>,
    news: Option<News>,
    topic_feed: Option<String>,
}

/// What the structured data of an article or a bulletin says besides its
/// title, description, image and address.
#[derive(Serialize)]
pub struct News {
    /// RFC 3339.
    pub published: String,
    pub author: Option<String>,
}

impl<'b, 'h> PageBuilder<'b, 'h> {
    pub fn new(lib: &'b Library<'b>, here: &'b Here<'h>, page: PageName) -> Self {
        PageBuilder {
            lib,
            here,
            page,
            section: None,
            crumbs: Vec::new(),
            og_type: "website",
            og_description: None,
            og_image: None,
            news: None,
            topic_feed: None,
        }
    }

    /// An article or a bulletin, published at `published`.
    pub fn news(mut self, published: String, author: Option<String>) -> Self {
        self.news = Some(News { published, author });
        self
    }

    /// A topic's page: its feed is announced.
    pub fn topic_feed(mut self, url: String) -> Self {
        self.topic_feed = Some(url);
        self
    }

    /// The navigation item to mark as current (a key of [`Sections`]).
    pub fn section(mut self, key: &'static str) -> Self {
        self.section = Some(key);
        self
    }

    pub fn crumbs(mut self, trail: Vec<(PageName, String)>) -> Self {
        self.crumbs = self.here.crumbs(trail);
        self
    }

    /// An article's page; without `description`, the page's template
    /// writes it (block `description`).
    pub fn article(mut self, description: Option<String>, image: Option<String>) -> Self {
        self.og_type = "article";
        self.og_description = description;
        self.og_image = image;
        self
    }

    fn layout(self) -> Layout {
        let (lib, here) = (self.lib, self.here);
        let logo = lib
            .site
            .config
            .as_ref()
            .and_then(|c| c.logo.as_ref())
            .map(|l| pages::media(&l.value));
        Layout {
            lang: "vi",
            site_title: lib.site_title.clone(),
            organization: lib.organization.clone(),
            description: lib.description.clone(),
            data_notice: lib.data_notice.clone(),
            og_description: self
                .og_description
                .unwrap_or_else(|| lib.description.clone()),
            page: self.page,
            canonical: lib.absolute(here.url),
            og_type: self.og_type,
            og_image: self.og_image.unwrap_or_else(|| {
                let shown = logo.as_ref().filter(|l| {
                    let l = l.to_ascii_lowercase();
                    [".png", ".jpg", ".jpeg", ".gif", ".webp"]
                        .iter()
                        .any(|e| l.ends_with(e))
                });
                lib.absolute(shown.map_or(super::SHARE_IMAGE, String::as_str))
            }),
            share: self
                .news
                .as_ref()
                .map(|_| pages::share_links(&lib.absolute(here.url))),
            news: self.news,
            home_url: here.href(&pages::home()),
            css_url: here.href(super::CSS),
            script_url: here.href(super::SCRIPT),
            icon_url: here.href(&logo.clone().unwrap_or_else(|| super::ICON.to_owned())),
            logo_url: logo.map(|l| here.href(&l)),
            feed_url: here.href(&pages::feed()),
            rss_url: here.href(&pages::rss()),
            topic_feed_url: self.topic_feed.map(|u| here.href(&u)),
            search_url: here.href(&pages::search()),
            tags_url: here.href(&pages::tags()),
            sections: Sections {
                bulletins: here.href(&pages::bulletins()),
                statistics: here.href(&pages::statistics_index()),
                plans: here.href(&pages::plans()),
                units: here.href(&pages::units()),
                articles: here.href(&pages::articles(1)),
                search: here.href(&pages::search()),
                term: terms::current(lib, here).map(|l| l.href),
            },
            section: self.section,
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

/// The bar chart of the shares of quota in `s` of the units `ranked`
/// (indices into `s.units`, highest first).
pub fn shares_chart(
    names: &crate::library::ListNames,
    s: &PeriodStats,
    ranked: &[usize],
) -> Option<charts::SharesChart> {
    let ranked: Vec<charts::Share> = ranked
        .iter()
        .filter_map(|&i| s.units.get(i))
        .map(|u| charts::Share {
            name: names.short(u.unit),
            share: u.share_of_quota,
        })
        .collect();
    charts::shares(s.period, &ranked)
}

/// The pace chart of `year`.
pub fn pace_chart(lib: &Library, year: i32) -> Option<charts::PaceChart> {
    let pace = lib.year_pace(year)?;
    charts::pace(year, &pace.points, pace.quota)
}

/// A comparison with a target as a template reads it: `above`, `below`,
/// or `equal` — named `equal` for a count, `within` for a range.
pub fn verdict(o: std::cmp::Ordering, equal: &'static str) -> &'static str {
    match o {
        std::cmp::Ordering::Greater => "above",
        std::cmp::Ordering::Equal => equal,
        std::cmp::Ordering::Less => "below",
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
    vi::day_in_vietnam(a.date.value).year()
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

pub fn article_item(lib: &Library, here: &Here, i: usize) -> Option<ArticleItem> {
    let a = lib.site.articles.get(i)?;
    let facts = lib.facts.get(i)?;
    Some(ArticleItem {
        title: a.title.value.clone(),
        href: here.href(&pages::article(&a.slug)),
        date: facts.date.clone(),
        datetime: facts.datetime.clone(),
        summary: facts.teaser.clone(),
        image: a.image.as_ref().map(|m| here.href(&pages::media(&m.value))),
        image_alt: a
            .image_caption
            .as_ref()
            .map_or_else(|| a.title.value.clone(), |c| c.value.clone()),
    })
}

pub fn article_items(lib: &Library, here: &Here, list: &[usize]) -> Vec<ArticleItem> {
    list.iter()
        .filter_map(|&i| article_item(lib, here, i))
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
    lib: &Library,
    resolver: &SiteResolver,
    out: &mut PageOutput,
) -> Option<(&'static str, Context)> {
    let root = (page.kind == PageKind::NotFound).then(|| lib.root_path());
    let here = Here {
        url: &page.url,
        root,
    };
    let site = lib.site;
    match &page.kind {
        PageKind::Home => home::home(lib, &here),
        PageKind::Bulletins => bulletin::index(lib, &here),
        PageKind::Bulletin(q) => bulletin::bulletin(lib, &here, *q, resolver, out),
        PageKind::StatisticsIndex => statistics::index(lib, &here),
        PageKind::Statistics(q) => statistics::quarter(lib, &here, *q),
        PageKind::StatisticsYear(year) => statistics::year(lib, &here, *year),
        PageKind::Plans => plans::index(lib, &here),
        PageKind::Plan(i) => plans::plan(lib, &here, site.plans.get(*i)?, resolver, out),
        PageKind::Term(i) => terms::term(lib, &here, *i),
        PageKind::Units => units::index(lib, &here),
        PageKind::Unit(i) => units::unit(lib, &here, *i),
        PageKind::Articles { page: n } => articles::list(lib, &here, *n),
        PageKind::Article(i) => articles::article(lib, &here, *i, resolver, out),
        PageKind::Tags => articles::tags(lib, &here),
        PageKind::Tag { slug, page: n } => articles::tag(lib, &here, slug, *n),
        PageKind::Search => articles::search(lib, &here),
        PageKind::NotFound => {
            #[derive(Serialize)]
            struct Empty {}
            PageBuilder::new(lib, &here, PageName::of("not_found")).finish("404.html", Empty {})
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
