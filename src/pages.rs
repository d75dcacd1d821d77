//! The list of pages to produce and the one place that knows each page's URL.
//! No IO.
//!
//! URLs are site paths (`/ban-tin/2023/quy-1/`); a directory URL is written
//! as `<dir>/index.html`. Every path segment comes from a validated id, a slug
//! made by `vi::slugify` (or `vi::slugify_marked`, for tags), a number, or
//! the name of a media or static file that passed the file-name checks, so
//! no URL can leave the output folder (`publish` checks again before
//! writing).
//!
//! Every segment of every URL is percent-encoded here, by [`segment`], and
//! nowhere else: a file named `c#1.png` is written `c%231.png`, which a
//! browser asks for as `c#1.png`, not as `c` with a fragment. Page segments
//! are `[a-z0-9-]` and come out unchanged.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};

use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::{Loc, Site};
use crate::stats::{Quarter, Stats};
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
    /// A term of office, by index in site.yaml's `terms`.
    Term(usize),
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
    let mut out = String::with_capacity(url.len() + 10);
    push_file_of(&mut out, url);
    out
}

/// [`file_of`] appended to `out`.
fn push_file_of(out: &mut String, url: &str) {
    let path = url.trim_start_matches('/');
    out.push_str(path);
    if path.is_empty() || path.ends_with('/') {
        out.push_str("index.html");
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
pub fn plans() -> String {
    "/ke-hoach/".to_owned()
}
pub fn plan(symbol: &vi::DocSymbol, year: i32) -> String {
    format!("/ke-hoach/{}-{year}/", segment(&symbol.slug()))
}
/// A term of office: `/nhiem-ky/2020-2025/`.
pub fn term(slug: &str) -> String {
    format!("/nhiem-ky/{}/", segment(slug))
}
pub fn units() -> String {
    "/don-vi/".to_owned()
}
pub fn unit(id: &str) -> String {
    format!("/don-vi/{}/", segment(id))
}
/// The element id of unit `id`'s sub-units on a statistics page.
pub fn sub_units_anchor(id: &str) -> String {
    format!("dv-{id}")
}
/// The element id of a unit's sub-units on its own page.
pub const SUB_UNITS: &str = "truc-thuoc";
pub fn articles(page: usize) -> String {
    if page <= 1 {
        "/tin-tuc/".to_owned()
    } else {
        format!("/tin-tuc/trang-{page}/")
    }
}
pub fn article(slug: &str) -> String {
    format!("/tin-tuc/{}/", segment(slug))
}
pub fn tags() -> String {
    "/chu-de/".to_owned()
}
pub fn tag(slug: &str, page: usize) -> String {
    let slug = segment(slug);
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
/// Links that share a page on the social networks Vietnamese readers use,
/// as plain links (no script from those hosts): `url` is the page's
/// absolute address.
#[derive(serde::Serialize)]
pub struct ShareLinks {
    pub facebook: String,
    pub zalo: String,
    /// The page's address itself, to copy.
    pub url: String,
}

/// A URL as the value of another URL's query: all but the unreserved
/// characters of RFC 3986 encoded.
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

pub fn share_links(url: &str) -> ShareLinks {
    let encoded = utf8_percent_encode(url, QUERY_VALUE).to_string();
    ShareLinks {
        facebook: format!("https://www.facebook.com/sharer/sharer.php?u={encoded}"),
        zalo: format!("https://sp.zalo.me/share_inline?url={encoded}"),
        url: url.to_owned(),
    }
}

/// The RSS 2.0 feed, beside the Atom one (news aggregators read RSS).
pub fn rss() -> String {
    "/rss.xml".to_owned()
}
/// The Atom feed of one topic, beside its first page.
pub fn tag_feed(slug: &str) -> String {
    format!("/chu-de/{}/feed.xml", segment(slug))
}
pub fn sitemap() -> String {
    "/sitemap.xml".to_owned()
}
/// Part `k` (from 1) of a sitemap too long for one file.
pub fn sitemap_part(k: usize) -> String {
    format!("/sitemap-{k}.xml")
}
/// `sitemap-3.xml`: an output path of [`sitemap_part`].
pub fn is_sitemap_part(path: &str) -> bool {
    path.strip_prefix("sitemap-")
        .and_then(|rest| rest.strip_suffix(".xml"))
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}
/// The folder of the search index (`render::search`): the manifest, the
/// term files and the document files.
pub fn search_folder() -> String {
    "/tim-kiem/chi-muc/".to_owned()
}
/// The search index's manifest, which the search page loads with itself.
pub fn search_manifest() -> String {
    format!("{}muc-luc.js", search_folder())
}
/// Term file `n` of the search index.
pub fn search_terms(n: &str) -> String {
    format!("{}tu-{n}.js", search_folder())
}
/// Document file `n` of the search index.
pub fn search_docs(n: &str) -> String {
    format!("{}bai-{n}.js", search_folder())
}
/// A file of the search index named relative to its folder (`tu-3.js`),
/// as the manifest names them.
pub fn search_file_name(url: &str) -> String {
    url.strip_prefix(&search_folder()).unwrap_or(url).to_owned()
}
/// `tim-kiem/chi-muc/tu-3.js`: an output path in the search index's
/// folder, whose files are as many as the index needs.
pub fn is_search_index_file(path: &str) -> bool {
    path.strip_prefix(search_folder().trim_start_matches('/'))
        .is_some_and(|name| !name.is_empty() && !name.contains('/'))
}

/// The output file a request for `url_path` asks for (`bantin serve`):
/// `/tin-tuc/` → `tin-tuc/index.html`; `/a%20b.png` → `a b.png`, decoded
/// as every URL bantin reads is ([`path_of_url`]). None for
/// what could leave the site (`..`).
pub fn file_of_request(url_path: &str) -> Option<String> {
    let decoded = path_of_url(url_path);
    let mut path = decoded.trim_start_matches('/').to_owned();
    if path.is_empty() || path.ends_with('/') {
        path.push_str("index.html");
    } else if !path
        .rsplit('/')
        .next()
        .is_some_and(|last| last.contains('.'))
    {
        // `/tin-tuc` as typed by hand: the folder's page.
        path.push_str("/index.html");
    }
    crate::publish::path_problem(&path)
        .is_none()
        .then_some(path)
}

/// The site path (decoded) where a file of the site folder is published:
/// `content/media/a.png` → `/media/a.png`, `static/a/b.css` → `/a/b.css`;
/// the folders themselves: `/media`, and the empty path (everything) for
/// `static`. None for files that are not published as they are.
pub fn published_path(rel: &str) -> Option<String> {
    rel.strip_prefix("content/media/")
        .map(|r| format!("/media/{r}"))
        .or_else(|| rel.strip_prefix("static/").map(|r| format!("/{r}")))
        .or_else(|| match rel {
            "content/media" => Some("/media".to_owned()),
            "static" => Some(String::new()),
            _ => None,
        })
}

/// The data files beside every statistics page.
pub const CSV: &str = "so-lieu.csv";
pub const JSON: &str = "so-lieu.json";

/// The URL of data file `name` ([`CSV`], [`JSON`]) beside the statistics
/// page at `page_url`.
pub fn data(page_url: &str, name: &str) -> String {
    format!("{page_url}{name}")
}

/// The output path of data file `name` beside the statistics page at
/// `page_url`.
pub fn data_file(page_url: &str, name: &str) -> String {
    file_of(&data(page_url, name))
}

/// The quarter's report document, beside its bulletin (SPEC §3).
pub const REPORT: &str = "bao-cao.docx";

/// The URL of the report of quarter `q`: `/ban-tin/2023/quy-1/bao-cao.docx`.
pub fn report(q: Quarter) -> String {
    data(&bulletin(q), REPORT)
}

/// The URLs of the files written beside `page`: the data files of a
/// statistics page, the report beside a bulletin when the site has
/// `report:`, a topic's feed beside its first page.
pub fn beside(page: &Page, site: &Site) -> Vec<String> {
    match &page.kind {
        PageKind::Statistics(_) | PageKind::StatisticsYear(_) => {
            vec![data(&page.url, CSV), data(&page.url, JSON)]
        }
        PageKind::Bulletin(q) if site.config.as_ref().is_some_and(|c| c.report.is_some()) => {
            vec![report(*q)]
        }
        PageKind::Tag { slug, page: 1 } => vec![tag_feed(slug)],
        _ => Vec::new(),
    }
}

/// The files computed from the whole site, with what each is (in the
/// words of a collision's message): feeds, sitemap, search index.
pub fn site_files() -> [(String, &'static str); 4] {
    [
        (feed(), "nguồn tin Atom"),
        (rss(), "nguồn tin RSS"),
        (sitemap(), "sơ đồ trang (sitemap)"),
        (search_manifest(), "chỉ mục tìm kiếm"),
    ]
}

// ---- The content folder: paths of the site's own files, relative to the
// site folder. `load` reads this layout; `import` writes into it.

/// `content/results/2023/q1.yaml`: the results of a quarter.
pub fn results_file(q: Quarter) -> String {
    format!("content/results/{}/q{}.yaml", q.year, q.q)
}

/// Articles per list page.
pub fn articles_per_page(site: &Site) -> usize {
    site.config
        .as_ref()
        .map_or(crate::load::DEFAULT_ARTICLES_PER_PAGE, |c| {
            c.articles_per_page.value
        })
        .max(1) as usize
}
/// The URL of a media file from its path relative to `content/`
/// (`media/2024/c#1.png` → `/media/2024/c%231.png`).
pub fn media(rel: &str) -> String {
    url_of_path(&format!("/{rel}"))
}

/// What a URL path segment keeps as it is: RFC 3986's unreserved
/// characters. Everything else is percent-encoded, reserved characters
/// included: `#` and `?` would cut the path, `%` would be decoded, `+` is
/// a space to some servers, `&` and `'` need escaping in HTML, and every
/// non-ASCII byte is encoded as UTF-8, the form servers and `file://` use.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// One path segment as a URL writes it: the one encoder of the program.
pub fn segment(s: &str) -> impl std::fmt::Display + '_ {
    utf8_percent_encode(s, SEGMENT)
}

/// A `/`-separated site path (the path of a file in the output folder,
/// with a leading `/`) as a URL path: each segment through [`segment`].
pub fn url_of_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len() + 8);
    for (i, part) in path.split('/').enumerate() {
        if i > 0 {
            out.push('/');
        }
        let _ = write!(out, "{}", segment(part));
    }
    out
}

/// The site path a URL path names: `%XX` decoded (`/media/c%231.png` →
/// `/media/c#1.png`). Bytes that are not UTF-8 become U+FFFD, so such a
/// path names no file.
pub fn path_of_url(url: &str) -> String {
    percent_decode_str(url).decode_utf8_lossy().into_owned()
}

/// A link from the page at `from` to `to`, both URLs made by this module
/// (encoded, so a `#` or `?` in `to` starts its fragment or query), relative
/// so the output opens from a disk: directories end in `index.html`.
pub fn relative(from: &str, to: &str) -> String {
    let (to_path, fragment) = match to.find(['#', '?']) {
        Some(i) => (&to[..i], &to[i..]),
        None => (to, ""),
    };
    let from_dir = match from.rfind('/') {
        Some(i) => &from[..=i],
        None => "/",
    };
    let depth = from_dir.split('/').filter(|s| !s.is_empty()).count();
    // One allocation: this runs for every link of every page.
    let mut out = String::with_capacity(3 * depth + 2 + to_path.len() + 10 + fragment.len());
    for _ in 0..depth {
        out.push_str("../");
    }
    // A first segment with ':' would read as a scheme (`javascript:…`).
    if depth == 0
        && to_path
            .trim_start_matches('/')
            .split('/')
            .next()
            .is_some_and(|first| first.contains(':'))
    {
        out.push_str("./");
    }
    push_file_of(&mut out, to_path);
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

/// The page of every tag the site writes, `/chu-de/<slug>/`: built once
/// from every article's tags, drafts included, so that a tag's URL does not
/// depend on `--drafts`.
///
/// A tag is its identity, `vi::tag_key` (case, spacing and where the tone
/// mark sits do not matter: `Hoà bình`, `hòa bình`), and its slug is
/// `vi::slugify` of it. Dropping the marks makes different words one slug,
/// and real names differ only in their marks (`Sơn Hà`, `Sơn Hạ`; `Cẩm
/// Giang`, `Cẩm Giàng`): when several tags share a plain slug, each gets
/// `vi::slugify_marked` of its identity instead (`son7-ha2`, `son7-ha5`).
/// A tag alone on its plain slug keeps it, so a site whose tags are all
/// distinct without their marks keeps the URLs it always had. Tags whose
/// slugs are still one (`A-B`, `A B`) are refused by `check` (E306).
///
/// Looked up by the text as written: a site writes a few dozen tags on
/// thousands of articles, so each distinct text is keyed and slugged once.
pub struct TagSlugs {
    /// Text as written → index into `tags`.
    by_text: HashMap<String, usize>,
    /// Each distinct tag: (identity, slug).
    tags: Vec<(String, String)>,
}

impl TagSlugs {
    pub fn new(site: &Site) -> Self {
        Self::of_tags(
            site.articles
                .iter()
                .flat_map(|a| &a.tags)
                .map(|t| t.as_str()),
        )
    }

    /// The slugs of the tags written `written`, in any order.
    fn of_tags<'a>(written: impl Iterator<Item = &'a str>) -> Self {
        let mut by_text: HashMap<String, usize> = HashMap::new();
        let mut by_key: HashMap<String, usize> = HashMap::new();
        // (identity, plain slug) until every tag is known.
        let mut tags: Vec<(String, String)> = Vec::new();
        for text in written {
            if by_text.contains_key(text) {
                continue;
            }
            let next = tags.len();
            let i = *by_key.entry(vi::tag_key(text)).or_insert_with_key(|key| {
                tags.push((key.clone(), vi::slugify(key)));
                next
            });
            by_text.insert(text.to_owned(), i);
        }
        let mut sharing: HashMap<&str, usize> = HashMap::new();
        for (_, plain) in &tags {
            *sharing.entry(plain).or_insert(0) += 1;
        }
        let marked: Vec<Option<String>> = tags
            .iter()
            .map(|(key, plain)| {
                (!plain.is_empty() && sharing.get(plain.as_str()).is_some_and(|&n| n > 1))
                    .then(|| vi::slugify_marked(key))
            })
            .collect();
        for ((_, slug), marked) in tags.iter_mut().zip(marked) {
            if let Some(marked) = marked {
                *slug = marked;
            }
        }
        TagSlugs { by_text, tags }
    }

    /// The slug of the tag written `tag`: empty when it has no letter or
    /// digit to make one of, or when the site does not write it.
    pub fn slug(&self, tag: &str) -> &str {
        self.by_text
            .get(tag)
            .and_then(|&i| self.tags.get(i))
            .map_or("", |(_, slug)| slug)
    }

    /// The identity (`vi::tag_key`) of the tag written `tag`; empty when
    /// the site does not write it.
    pub fn key(&self, tag: &str) -> &str {
        self.by_text
            .get(tag)
            .and_then(|&i| self.tags.get(i))
            .map_or("", |(key, _)| key)
    }

    /// An article's distinct tag slugs, in the order written.
    pub fn of_article(&self, a: &crate::model::Article) -> Vec<String> {
        let mut seen = HashSet::new();
        a.tags
            .iter()
            .map(|t| self.slug(&t.value))
            .filter(|slug| !slug.is_empty() && seen.insert(*slug))
            .map(str::to_owned)
            .collect()
    }
}

/// Every tag by slug: (slug, display form). The display form is the
/// spelling used most, ties broken by first use.
pub fn tags_of(site: &Site, slugs: &TagSlugs, articles: &[usize]) -> BTreeMap<String, String> {
    let mut spellings: BTreeMap<&str, BTreeMap<&str, (usize, usize)>> = BTreeMap::new();
    for (order, &i) in articles.iter().enumerate() {
        for tag in &site.articles[i].tags {
            let slug = slugs.slug(&tag.value);
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
            Some((slug.to_owned(), best.0.to_owned()))
        })
        .collect()
}

/// Every page of the site, in a fixed order, and a diagnostic for each URL
/// two sources would both produce.
pub fn plan_pages(
    site: &Site,
    stats: &Stats,
    slugs: &TagSlugs,
    drafts: bool,
) -> (Vec<Page>, Vec<Diagnostic>) {
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
    for (i, t) in site.terms().iter().enumerate() {
        add(term(&t.slug), PageKind::Term(i), Some(t.name.loc));
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
        for slug in slugs.of_article(&site.articles[i]) {
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

    let mut diagnostics = duplicate_urls(site, &pages);
    diagnostics.extend(name_collisions(site, &pages));
    (pages, diagnostics)
}

/// Where a published path comes from, for saying which two collide.
#[derive(Clone, Copy)]
enum Origin {
    /// A media or static file: its root in the site folder.
    File(crate::model::FileId, &'static str),
    /// A page or file bantin writes itself.
    Generated,
}

/// The key under which two names are one on a disk that ignores case
/// (Windows, macOS, FAT and exFAT) or normalisation (macOS), and on every
/// disk once published, since published names are NFC.
fn name_key(name: &str) -> std::borrow::Cow<'_, str> {
    if name
        .bytes()
        .all(|b| b.is_ascii() && !b.is_ascii_uppercase())
    {
        return std::borrow::Cow::Borrowed(name);
    }
    let lower: String = vi::nfc(name).chars().flat_map(char::to_lowercase).collect();
    std::borrow::Cow::Owned(vi::nfc(&lower).into_owned())
}

/// Published files and folders whose names differ but are one name on a
/// disk that ignores case or normalisation: `Anh.png` and `anh.png`,
/// `Media/` and `media/`, `ả` composed and decomposed. One overwrites the
/// other, or two folders merge, when the site is copied to Windows, a Mac
/// or a USB stick. Names equal byte for byte are another problem (the
/// same file written twice), reported where files are written.
fn name_collisions(site: &Site, pages: &[Page]) -> Vec<Diagnostic> {
    let mut published: Vec<(String, Origin)> = Vec::new();
    for p in pages {
        published.push((p.file(), Origin::Generated));
        for url in beside(p, site) {
            published.push((file_of(&url), Origin::Generated));
        }
    }
    for (url, _) in site_files() {
        published.push((file_of(&url), Origin::Generated));
    }
    for (url, _) in crate::render::ASSETS {
        published.push((file_of(url), Origin::Generated));
    }
    for (assets, root) in [(&site.media, "content/"), (&site.statics, "static/")] {
        for a in assets {
            // The name as it is on disk, before NFC.
            let on_disk = site.files.path(a.file);
            let rel = on_disk.strip_prefix(root).unwrap_or(on_disk);
            published.push((rel.to_owned(), Origin::File(a.file, root)));
        }
    }

    let mut d = Diagnostics::new(&site.files);
    // key → the first spelling of a path, whether it is a folder, and where
    // it comes from
    let mut seen: HashMap<String, (String, bool, Origin)> =
        HashMap::with_capacity(published.len() * 2);
    let mut reported = HashSet::new();
    for (path, origin) in &published {
        let parts = path.split('/').count();
        let mut end = 0;
        for (depth, part) in path.split('/').enumerate() {
            end += part.len() + usize::from(depth > 0);
            let prefix = &path[..end];
            let is_folder = depth + 1 < parts;
            let key = name_key(prefix);
            let Some((first, first_is_folder, first_origin)) = seen.get(key.as_ref()) else {
                seen.insert(key.into_owned(), (prefix.to_owned(), is_folder, *origin));
                continue;
            };
            if first == prefix {
                continue;
            }
            // Pages and bantin's own files are lowercase ASCII: the later
            // of two spellings is always a media or static file.
            let Origin::File(file, root) = *origin else {
                break;
            };
            if reported.insert((key.into_owned(), prefix.to_owned())) {
                let shown = |root: &str, name: &str, folder: bool| {
                    format!("'{root}{name}{}'", if folder { "/" } else { "" })
                };
                let other = match *first_origin {
                    Origin::File(_, other_root) => shown(other_root, first, *first_is_folder),
                    Origin::Generated if *first_is_folder => {
                        format!("{} (thư mục do bantin tạo ra)", shown("", first, true))
                    }
                    Origin::Generated => {
                        format!("{} (tệp do bantin tạo ra)", shown("", first, false))
                    }
                };
                let (why, what) = if vi::nfc(first) == vi::nfc(prefix) {
                    (
                        "là một tên nhưng dấu được mã hóa khác nhau (Unicode NFC, NFD)",
                        "khi xuất bản, cái này ghi đè cái kia",
                    )
                } else if is_folder && *first_is_folder {
                    (
                        "chỉ khác nhau ở chữ hoa, chữ thường",
                        "trên Windows, macOS và ổ USB (FAT, exFAT), hai thư mục nhập làm một và liên kết tới một trong hai sẽ hỏng khi chép sang máy khác",
                    )
                } else {
                    (
                        "chỉ khác nhau ở chữ hoa, chữ thường",
                        "trên Windows, macOS và ổ USB (FAT, exFAT), cái này ghi đè cái kia",
                    )
                };
                d.report(
                    Code::NameCollision,
                    Loc::file(file),
                    format!(
                        "{} và {other} {why}: {what}",
                        shown(root, prefix, is_folder)
                    ),
                )
                .with_hint("đổi tên một trong hai (nên đặt tên tệp, thư mục bằng chữ thường)");
            }
            break;
        }
    }
    d.into_vec()
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
            PageKind::Term(_) => "đặt tên khác cho một trong hai nhiệm kỳ",
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
    fn share_links_carry_the_page_address_as_a_query_value() {
        let s = share_links("https://a.vn/tin-tuc/bài-1/?x=1&y=2");
        assert_eq!(
            s.facebook,
            "https://www.facebook.com/sharer/sharer.php?u=https%3A%2F%2Fa.vn%2Ftin-tuc%2Fb%C3%A0i-1%2F%3Fx%3D1%26y%3D2"
        );
        assert!(
            s.zalo
                .starts_with("https://sp.zalo.me/share_inline?url=https%3A%2F%2Fa.vn%2F")
        );
    }

    #[test]
    fn urls_become_output_paths() {
        assert_eq!(file_of_request("/").as_deref(), Some("index.html"));
        assert_eq!(
            file_of_request("/tin-tuc/").as_deref(),
            Some("tin-tuc/index.html")
        );
        assert_eq!(
            file_of_request("/tin-tuc").as_deref(),
            Some("tin-tuc/index.html")
        );
        assert_eq!(
            file_of_request("/assets/bantin.css").as_deref(),
            Some("assets/bantin.css")
        );
        assert_eq!(
            file_of_request("/media/%E1%BA%A3nh.jpg").as_deref(),
            Some("media/ảnh.jpg")
        );
        assert_eq!(file_of_request("/../etc/passwd"), None);
        assert_eq!(file_of_request("/a/%2e%2e/b.html"), None);
        // Not UTF-8: a name no file of the site has.
        assert_eq!(
            file_of_request("/%ff.html").as_deref(),
            Some("\u{FFFD}.html")
        );
        assert_eq!(file_of_request("/a%2Fb%00.html"), None);
    }

    fn slugs_of(written: &[&str]) -> TagSlugs {
        TagSlugs::of_tags(written.iter().copied())
    }

    #[test]
    fn a_tag_alone_on_its_plain_slug_keeps_it() {
        let t = slugs_of(&["Phát triển Đảng viên", "Ngân Sơn", "hoà bình", "Hòa Bình"]);
        assert_eq!(t.slug("Phát triển Đảng viên"), "phat-trien-dang-vien");
        assert_eq!(t.slug("Ngân Sơn"), "ngan-son");
        // One word, two places for its tone mark, two cases: one tag.
        assert_eq!(t.slug("hoà bình"), "hoa-binh");
        assert_eq!(t.slug("Hòa Bình"), "hoa-binh");
        assert_eq!(t.key("hoà bình"), t.key("Hòa Bình"));
        assert_eq!(t.key("Hòa Bình"), "hòa bình");
    }

    #[test]
    fn words_differing_in_their_marks_get_marked_slugs() {
        let t = slugs_of(&[
            "Sơn Hà",
            "Ngân Sơn",
            "Sơn Hạ",
            "Cẩm Giang",
            "cẩm  giàng",
            "Cẩm Giàng",
            "hoà nhập",
            "hòa nhập",
            "hóa nhập",
        ]);
        assert_eq!(t.slug("Sơn Hà"), "son7-ha2");
        assert_eq!(t.slug("Sơn Hạ"), "son7-ha5");
        assert_eq!(t.slug("Cẩm Giang"), "cam63-giang");
        assert_eq!(t.slug("Cẩm Giàng"), "cam63-giang2");
        assert_eq!(t.slug("cẩm  giàng"), "cam63-giang2");
        assert_eq!(t.slug("hoà nhập"), "hoa2-nhap65");
        assert_eq!(t.slug("hòa nhập"), "hoa2-nhap65");
        assert_eq!(t.slug("hóa nhập"), "hoa1-nhap65");
        // Others keep theirs.
        assert_eq!(t.slug("Ngân Sơn"), "ngan-son");
        // A tag with no marks among marked ones: 0 for each word.
        let t = slugs_of(&["Son Ha", "Sơn Hà"]);
        assert_eq!(t.slug("Son Ha"), "son0-ha0");
        assert_eq!(t.slug("Sơn Hà"), "son7-ha2");
    }

    #[test]
    fn the_order_tags_are_met_in_changes_no_slug() {
        let written = [
            "Sơn Hạ",
            "hòa bình",
            "Sơn Hà",
            "Ngân Sơn",
            "A-B",
            "a b",
            "hoà bình",
        ];
        let forward = slugs_of(&written);
        let mut reversed = written;
        reversed.reverse();
        let backward = slugs_of(&reversed);
        for w in written {
            assert_eq!(forward.slug(w), backward.slug(w), "{w}");
            assert_eq!(forward.key(w), backward.key(w), "{w}");
        }
    }

    #[test]
    fn tags_that_still_share_a_slug_are_left_for_check() {
        // Punctuation is no mark: two tags, one slug, refused by check.
        let t = slugs_of(&["A-B", "a b", "Sơn Hà"]);
        assert_eq!(t.slug("A-B"), "a0-b0");
        assert_eq!(t.slug("a b"), "a0-b0");
        assert_ne!(t.key("A-B"), t.key("a b"));
        assert_eq!(t.slug("Sơn Hà"), "son-ha");
        // No letter, no slug; and none for a text the site does not write.
        let t = slugs_of(&["!!!", "🎉", "2024"]);
        assert_eq!(t.slug("!!!"), "");
        assert_eq!(t.slug("🎉"), "");
        assert_eq!(t.slug("2024"), "2024");
        assert_eq!(t.slug("Sơn Hà"), "");
        assert_eq!(t.key("Sơn Hà"), "");
    }

    #[test]
    fn sitemap_parts() {
        assert!(is_sitemap_part(&file_of(&sitemap_part(1))));
        assert!(is_sitemap_part("sitemap-12.xml"));
        assert!(!is_sitemap_part("sitemap-.xml"));
        assert!(!is_sitemap_part("sitemap-a.xml"));
        assert!(!is_sitemap_part("a/sitemap-1.xml"));
        assert!(is_search_index_file(&file_of(&search_terms("12"))));
        assert!(is_search_index_file(&file_of(&search_manifest())));
        assert!(!is_search_index_file("tim-kiem/chi-muc/"));
        assert!(!is_search_index_file("tim-kiem/index.html"));
        assert_eq!(search_file_name(&search_docs("{n}")), "bai-{n}.js");
    }

    #[test]
    fn urls_and_files() {
        let q = Quarter { year: 2023, q: 1 };
        assert_eq!(bulletin(q), "/ban-tin/2023/quy-1/");
        assert_eq!(statistics(q), "/thong-ke/2023/quy-1/");
        assert_eq!(statistics_year(2023), "/thong-ke/2023/");
        assert_eq!(
            data_file(&statistics(q), CSV),
            "thong-ke/2023/quy-1/so-lieu.csv"
        );
        assert_eq!(results_file(q), "content/results/2023/q1.yaml");
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
            relative("/tin-tuc/x/", &media("media/2023/a b.png")),
            "../../media/2023/a%20b.png"
        );
    }

    #[test]
    fn every_segment_is_percent_encoded_and_decodes_back() {
        assert_eq!(media("media/2024/c#1.png"), "/media/2024/c%231.png");
        assert_eq!(media("media/2024/d%23e.png"), "/media/2024/d%2523e.png");
        assert_eq!(media("media/a?b&c+d.png"), "/media/a%3Fb%26c%2Bd.png");
        // ả is U+1EA3: E1 BA A3 in UTF-8.
        assert_eq!(media("media/ảnh.png"), "/media/%E1%BA%A3nh.png");
        assert_eq!(media("media/a-b_c.d~e.png"), "/media/a-b_c.d~e.png");
        for name in [
            "c#1.png",
            "d%23e.png",
            "a b;c=d,e'f(g)h[i]j{k}l~m!n@o$p^q`r.png",
            "ảnh.png",
            "a\u{301}.png",
            "😀.png",
        ] {
            let rel = format!("media/{name}");
            let url = media(&rel);
            assert!(
                url.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-._~/%".contains(&b)),
                "{url}"
            );
            assert_eq!(path_of_url(&url), format!("/{rel}"));
        }
        // Page URLs are made of unreserved characters: encoding keeps them.
        assert_eq!(unit("ngan-son"), "/don-vi/ngan-son/");
        assert_eq!(tag("dang-vien", 2), "/chu-de/dang-vien/trang-2/");
        assert_eq!(article("bai-1"), "/tin-tuc/bai-1/");
    }
}
