//! The list of pages to produce and the one place that knows each page's URL.
//! No IO.
//!
//! URLs are site paths (`/ban-tin/2023/quy-1/`); a directory URL is written
//! as `<dir>/index.html`. Every path segment comes from a validated id, a slug
//! made by `vi::slugify`, or a number, so no URL can leave the output folder
//! (`publish` checks again before writing).

use std::collections::BTreeMap;

use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::{Loc, Site};
use crate::stats::{Period, Quarter, Stats};
use crate::vi;

/// What a page shows; indices point into the [`Site`]'s lists.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum PageKind {
    Home,
    Bulletins,
    Bulletin(Quarter),
    StatisticsIndex,
    /// One quarter's table.
    Statistics(Quarter),
    /// The year so far: cumulative to the latest reported quarter.
    StatisticsYear(i32),
    Plans,
    Plan(usize),
    Units,
    Unit(usize),
    /// `/tin-tuc/` is page 1.
    Articles {
        page: usize,
    },
    Article(usize),
    Tags,
    /// `/chu-de/<slug>/` is page 1.
    Tag {
        slug: String,
        page: usize,
    },
    Search,
    NotFound,
}

#[derive(Clone, Debug)]
pub struct Page {
    pub url: String,
    pub kind: PageKind,
    /// Where the page comes from, for duplicate-path diagnostics.
    pub source: Option<Loc>,
}

impl Page {
    /// The file the page is written to: `ban-tin/2023/quy-1/index.html`.
    pub fn file(&self) -> String {
        file_of(&self.url)
    }
}

/// `/a/b/` → `a/b/index.html`; `/404.html` → `404.html`.
pub fn file_of(url: &str) -> String {
    let path = url.trim_start_matches('/');
    if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_owned()
    }
}

pub fn home() -> String {
    "/".to_owned()
}
pub fn bulletins() -> String {
    "/ban-tin/".to_owned()
}
pub fn bulletin(q: Quarter) -> String {
    format!("/ban-tin/{}/quy-{}/", q.year, q.q)
}
pub fn statistics_index() -> String {
    "/thong-ke/".to_owned()
}
pub fn statistics(q: Quarter) -> String {
    format!("/thong-ke/{}/quy-{}/", q.year, q.q)
}
/// The year so far.
pub fn statistics_year(year: i32) -> String {
    format!("/thong-ke/{year}/")
}
/// The statistics page that shows `p`: a quarter's, or its year's.
pub fn statistics_of(p: Period) -> String {
    match Quarter::new(p.year, p.first) {
        Some(q) if p.is_single_quarter() => statistics(q),
        _ => statistics_year(p.year),
    }
}
pub fn plans() -> String {
    "/ke-hoach/".to_owned()
}
pub fn plan(symbol: &vi::DocSymbol, year: i32) -> String {
    format!("/ke-hoach/{}-{year}/", symbol.slug())
}
pub fn units() -> String {
    "/don-vi/".to_owned()
}
pub fn unit(id: &str) -> String {
    format!("/don-vi/{id}/")
}
pub fn articles(page: usize) -> String {
    if page <= 1 {
        "/tin-tuc/".to_owned()
    } else {
        format!("/tin-tuc/trang-{page}/")
    }
}
pub fn article(slug: &str) -> String {
    format!("/tin-tuc/{slug}/")
}
pub fn tags() -> String {
    "/chu-de/".to_owned()
}
pub fn tag(slug: &str, page: usize) -> String {
    if page <= 1 {
        format!("/chu-de/{slug}/")
    } else {
        format!("/chu-de/{slug}/trang-{page}/")
    }
}
pub fn search() -> String {
    "/tim-kiem/".to_owned()
}
pub fn not_found() -> String {
    "/404.html".to_owned()
}
pub fn feed() -> String {
    "/feed.xml".to_owned()
}
pub fn sitemap() -> String {
    "/sitemap.xml".to_owned()
}
/// The search index for programs.
pub fn search_index() -> String {
    "/search-index.json".to_owned()
}
/// The search index as a script, so the search page works from `file://`.
pub fn search_index_script() -> String {
    "/tim-kiem/search-index.js".to_owned()
}

/// The data files beside every statistics page.
pub const CSV: &str = "so-lieu.csv";
pub const JSON: &str = "so-lieu.json";

/// Articles per list page.
pub fn articles_per_page(site: &Site) -> usize {
    site.config
        .as_ref()
        .map_or(crate::load::DEFAULT_ARTICLES_PER_PAGE, |c| {
            c.articles_per_page.value
        })
        .max(1) as usize
}
pub fn media(rel: &str) -> String {
    format!("/{rel}")
}

/// A link from the page at `from` to `to`, both site paths, relative so the
/// output opens from a disk: directories end in `index.html`.
pub fn relative(from: &str, to: &str) -> String {
    let (to_path, fragment) = match to.find(['#', '?']) {
        Some(i) => (&to[..i], &to[i..]),
        None => (to, ""),
    };
    let from_dir = match from.rfind('/') {
        Some(i) => &from[..=i],
        None => "/",
    };
    let depth = from_dir
        .trim_matches('/')
        .split('/')
        .filter(|s| !s.is_empty())
        .count();
    let target = file_of(to_path);
    let mut out = "../".repeat(depth);
    out.push_str(&target);
    if out.is_empty() {
        out.push_str("index.html");
    }
    // A first segment with ':' would read as a scheme (`javascript:…`).
    if out
        .split('/')
        .next()
        .is_some_and(|first| first.contains(':'))
    {
        out.insert_str(0, "./");
    }
    out.push_str(fragment);
    out
}

/// The site's articles in publishing order: newest first, then by path.
/// Drafts only when asked for.
pub fn published_articles(site: &Site, drafts: bool) -> Vec<usize> {
    let mut list: Vec<usize> = (0..site.articles.len())
        .filter(|&i| drafts || !site.articles[i].draft)
        .collect();
    list.sort_by(|&a, &b| {
        let (x, y) = (&site.articles[a], &site.articles[b]);
        y.date.value.cmp(&x.date.value).then(x.file.cmp(&y.file))
    });
    list
}

/// An article's distinct tag slugs, in the order written.
pub fn tag_slugs(a: &crate::model::Article) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    a.tags
        .iter()
        .map(|t| tag_slug(&t.value))
        .filter(|slug| !slug.is_empty() && seen.insert(slug.clone()))
        .collect()
}

/// `vi::slugify` of a tag. A site writes a few dozen tags on thousands of
/// articles, so each thread remembers the slugs it made (up to a bound, so
/// that a site of a hundred thousand distinct tags costs no more memory).
pub fn tag_slug(tag: &str) -> String {
    thread_local! {
        static SLUGS: Memo = Memo::default();
    }
    SLUGS.with(|m| m.get(tag, vi::slugify))
}

/// `vi::tag_key` of a tag, remembered like [`tag_slug`].
pub fn tag_key(tag: &str) -> String {
    thread_local! {
        static KEYS: Memo = Memo::default();
    }
    KEYS.with(|m| m.get(tag, vi::tag_key))
}

#[derive(Default)]
struct Memo(std::cell::RefCell<std::collections::HashMap<String, String>>);

impl Memo {
    const MAX: usize = 4096;

    fn get(&self, tag: &str, make: fn(&str) -> String) -> String {
        if let Some(v) = self.0.borrow().get(tag) {
            return v.clone();
        }
        let v = make(tag);
        let mut memo = self.0.borrow_mut();
        if memo.len() < Self::MAX {
            memo.insert(tag.to_owned(), v.clone());
        }
        v
    }
}

/// Every tag by slug: (slug, display form). The display form is the
/// spelling used most, ties broken by first use.
pub fn tags_of(site: &Site, articles: &[usize]) -> BTreeMap<String, String> {
    let mut spellings: BTreeMap<String, BTreeMap<&str, (usize, usize)>> = BTreeMap::new();
    for (order, &i) in articles.iter().enumerate() {
        for tag in &site.articles[i].tags {
            let slug = tag_slug(&tag.value);
            if slug.is_empty() {
                continue;
            }
            let entry = spellings
                .entry(slug)
                .or_default()
                .entry(tag.as_str())
                .or_insert((0, order));
            entry.0 += 1;
        }
    }
    spellings
        .into_iter()
        .filter_map(|(slug, forms)| {
            let best = forms
                .into_iter()
                .max_by(|a, b| a.1.0.cmp(&b.1.0).then(b.1.1.cmp(&a.1.1)))?;
            Some((slug, best.0.to_owned()))
        })
        .collect()
}

/// Every page of the site, in a fixed order, and a diagnostic for each URL
/// two sources would both produce.
pub fn plan_pages(site: &Site, stats: &Stats, drafts: bool) -> (Vec<Page>, Vec<Diagnostic>) {
    let mut pages = Vec::new();
    let mut add =
        |url: String, kind: PageKind, source: Option<Loc>| pages.push(Page { url, kind, source });

    add(home(), PageKind::Home, None);
    add(bulletins(), PageKind::Bulletins, None);
    for q in stats.quarters() {
        let loc = stats.report(q).map(|r| Loc::file(r.file));
        add(bulletin(q), PageKind::Bulletin(q), loc);
    }
    add(statistics_index(), PageKind::StatisticsIndex, None);
    let mut years: Vec<i32> = stats.quarters().map(|q| q.year).collect();
    years.dedup();
    for &year in &years {
        for q in stats.quarters().filter(|q| q.year == year) {
            let loc = stats.report(q).map(|r| Loc::file(r.file));
            add(statistics(q), PageKind::Statistics(q), loc);
        }
        add(statistics_year(year), PageKind::StatisticsYear(year), None);
    }
    add(plans(), PageKind::Plans, None);
    for (i, p) in site.plans.iter().enumerate() {
        add(
            plan(&p.symbol, p.year.value),
            PageKind::Plan(i),
            Some(p.symbol.loc),
        );
    }
    add(units(), PageKind::Units, None);
    for (i, u) in site.units.iter().enumerate() {
        add(unit(&u.id), PageKind::Unit(i), Some(u.id.loc));
    }
    let listed = published_articles(site, drafts);
    let per_page = site
        .config
        .as_ref()
        .map_or(crate::load::DEFAULT_ARTICLES_PER_PAGE, |c| {
            c.articles_per_page.value
        })
        .max(1) as usize;
    let page_count = listed.len().div_ceil(per_page).max(1);
    for page in 1..=page_count {
        add(articles(page), PageKind::Articles { page }, None);
    }
    for &i in &listed {
        let a = &site.articles[i];
        add(article(&a.slug), PageKind::Article(i), Some(a.slug.loc));
    }
    add(tags(), PageKind::Tags, None);
    let mut tag_counts: BTreeMap<String, usize> = BTreeMap::new();
    for &i in &listed {
        for slug in tag_slugs(&site.articles[i]) {
            *tag_counts.entry(slug).or_insert(0) += 1;
        }
    }
    for (slug, n) in tag_counts {
        for page in 1..=n.div_ceil(per_page).max(1) {
            add(
                tag(&slug, page),
                PageKind::Tag {
                    slug: slug.clone(),
                    page,
                },
                None,
            );
        }
    }
    add(search(), PageKind::Search, None);
    add(not_found(), PageKind::NotFound, None);

    let diagnostics = duplicate_urls(site, &pages);
    (pages, diagnostics)
}

fn duplicate_urls(site: &Site, pages: &[Page]) -> Vec<Diagnostic> {
    let mut d = Diagnostics::new(&site.files);
    let mut seen: BTreeMap<&str, &Page> = BTreeMap::new();
    for page in pages {
        let Some(first) = seen.insert(page.url.as_str(), page) else {
            continue;
        };
        seen.insert(first.url.as_str(), first);
        if same_thing_twice(site, first, page) {
            // Reported by `check` with a more precise message.
            continue;
        }
        let loc = page.source.or(first.source).unwrap_or_default();
        let other = match first.source {
            Some(l) if first.source != page.source => {
                format!(" (trùng với {}:{})", site.files.path(l.file), l.line)
            }
            _ => String::new(),
        };
        let hint = match page.kind {
            PageKind::Article(_) => "đổi tiêu đề, hoặc thêm khóa slug: để đặt đường dẫn khác",
            PageKind::Unit(_) => "đổi mã (id) của một trong hai đơn vị",
            PageKind::Plan(_) => {
                "hai số hiệu khác nhau cho cùng một đường dẫn; kiểm tra lại số hiệu"
            }
            _ => "đổi mã, tiêu đề hoặc slug để mỗi trang có đường dẫn riêng",
        };
        d.report(
            Code::DuplicatePath,
            loc,
            format!("hai trang cùng đường dẫn {}{other}", page.url),
        )
        .with_hint(hint);
    }
    d.into_vec()
}

/// Two units with one id, or two plans with one symbol and year: `check`
/// reports those as duplicates already.
fn same_thing_twice(site: &Site, a: &Page, b: &Page) -> bool {
    match (&a.kind, &b.kind) {
        (PageKind::Unit(i), PageKind::Unit(j)) => {
            site.units.get(*i).map(|u| &u.id.value) == site.units.get(*j).map(|u| &u.id.value)
        }
        (PageKind::Plan(i), PageKind::Plan(j)) => {
            let key = |k: usize| {
                site.plans
                    .get(k)
                    .map(|p| (p.symbol.to_string(), p.year.value))
            };
            key(*i) == key(*j)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_and_files() {
        let q = Quarter { year: 2023, q: 1 };
        assert_eq!(bulletin(q), "/ban-tin/2023/quy-1/");
        assert_eq!(statistics(q), "/thong-ke/2023/quy-1/");
        assert_eq!(
            statistics_of(Period::cumulative(2023, 3)),
            "/thong-ke/2023/"
        );
        assert_eq!(statistics_of(Period::quarter(q)), "/thong-ke/2023/quy-1/");
        assert_eq!(articles(1), "/tin-tuc/");
        assert_eq!(articles(3), "/tin-tuc/trang-3/");
        assert_eq!(file_of("/"), "index.html");
        assert_eq!(file_of("/tin-tuc/x/"), "tin-tuc/x/index.html");
        assert_eq!(file_of("/404.html"), "404.html");
    }

    #[test]
    fn relative_links_open_from_a_disk() {
        assert_eq!(relative("/", "/tin-tuc/x/"), "tin-tuc/x/index.html");
        assert_eq!(relative("/", "/"), "index.html");
        assert_eq!(relative("/tin-tuc/x/", "/"), "../../index.html");
        assert_eq!(
            relative("/ban-tin/2023/quy-1/", "/don-vi/a/#lich-su"),
            "../../../don-vi/a/index.html#lich-su"
        );
        assert_eq!(relative("/404.html", "/media/a.png"), "media/a.png");
        assert_eq!(
            relative("/tin-tuc/x/", "/media/2023/a b.png"),
            "../../media/2023/a b.png"
        );
    }
}
