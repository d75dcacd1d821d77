//! Files for other programs: the Atom feed and the sitemap (written by the
//! templates `feed.xml` and `sitemap.xml`), and the search index. Absolute
//! links come from `base_url`.

use serde::Serialize;
use tera::Context;

use super::views::{self, Here};
use super::{Engine, Words};
use crate::library::Library;
use crate::pages::{self, Page, PageKind};
use crate::publish::{Content, OutFile};
use crate::vi;

/// Entries in the feed.
const FEED_ENTRIES: usize = 50;
/// URLs per sitemap file (the protocol's limit).
const SITEMAP_URLS: usize = 50_000;
/// Characters of a summary kept in the search index.
const SNIPPET: usize = 200;

/// One entry of the feed: an article, or a quarter's bulletin.
#[derive(Serialize)]
struct Entry {
    /// An article's title; none for a bulletin.
    title: Option<String>,
    /// A bulletin's quarter, `quý I/2023`.
    period: Option<String>,
    /// A bulletin's facts: its summary is its first sentence.
    facts: Option<views::Facts>,
    /// A bulletin's year so far (its quarter's facts in quarter I).
    year: Option<views::Facts>,
    url: String,
    /// RFC 3339.
    published: String,
    author: Option<String>,
    summary: Option<String>,
    #[serde(skip)]
    date: chrono::DateTime<chrono::FixedOffset>,
}

#[derive(Serialize)]
struct Feed {
    site_title: String,
    organization: String,
    description: String,
    base_url: String,
    self_url: String,
    updated: String,
    entries: Vec<Entry>,
}

pub fn feed(lib: &Library, engine: &Engine) -> Result<OutFile, tera::Error> {
    let mut entries: Vec<Entry> = lib
        .published
        .iter()
        .take(FEED_ENTRIES)
        .filter_map(|&i| Some((lib.site.articles.get(i)?, lib.facts.get(i)?)))
        .map(|(a, facts)| Entry {
            title: Some(a.title.value.clone()),
            period: None,
            facts: None,
            year: None,
            url: lib.absolute(&pages::article(&a.slug)),
            published: a.date.value.to_rfc3339(),
            author: a.author.as_ref().map(|x| x.value.clone()),
            summary: Some(facts.summary.clone()),
            date: a.date.value,
        })
        .collect();
    let feed_url = pages::feed();
    let here = Here {
        url: &feed_url,
        root: None,
    };
    for q in lib.quarters.iter().rev().take(FEED_ENTRIES) {
        let Some(s) = lib.quarter(*q) else { continue };
        let date = lib.bulletin_date(*q);
        entries.push(Entry {
            title: None,
            period: Some(q.label()),
            facts: Some(views::facts(lib, &here, s)),
            year: Some(views::facts(
                lib,
                &here,
                // Quarter I's "year so far" is the quarter itself.
                lib.cumulative(*q).unwrap_or(s),
            )),
            url: lib.absolute(&pages::bulletin(*q)),
            published: date.to_rfc3339(),
            author: None,
            summary: None,
            date,
        });
    }
    entries.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.url.cmp(&b.url)));
    entries.truncate(FEED_ENTRIES);
    let feed = Feed {
        site_title: lib.site_title.clone(),
        organization: lib.organization.clone(),
        description: lib.description.clone(),
        base_url: lib.base_url.clone(),
        self_url: lib.absolute(&feed_url),
        updated: entries.first().map_or_else(
            || "2000-01-01T00:00:00+07:00".to_owned(),
            |e| e.published.clone(),
        ),
        entries,
    };
    let context = Context::from_serialize(&feed)?;
    Ok(OutFile {
        path: pages::file_of(&feed_url),
        content: Content::Bytes(engine.render("feed.xml", &context)?),
    })
}

#[derive(Serialize)]
struct Sitemap<'a> {
    /// The page URLs of this file; empty in an index.
    urls: &'a [String],
    /// The parts' URLs, when this file is an index of parts.
    parts: Vec<String>,
}

/// `sitemap.xml`; above [`SITEMAP_URLS`] pages, an index of numbered files.
pub fn sitemap(
    lib: &Library,
    pages_list: &[Page],
    engine: &Engine,
) -> Result<Vec<OutFile>, tera::Error> {
    let urls: Vec<String> = pages_list
        .iter()
        .filter(|p| p.kind != PageKind::NotFound)
        .map(|p| lib.absolute(&p.url))
        .collect();
    let render = |map: &Sitemap| -> Result<Vec<u8>, tera::Error> {
        engine.render("sitemap.xml", &Context::from_serialize(map)?)
    };
    if urls.len() <= SITEMAP_URLS {
        return Ok(vec![OutFile {
            path: pages::file_of(&pages::sitemap()),
            content: Content::Bytes(render(&Sitemap {
                urls: &urls,
                parts: Vec::new(),
            })?),
        }]);
    }
    let mut out = Vec::new();
    let mut parts = Vec::new();
    for (k, chunk) in urls.chunks(SITEMAP_URLS).enumerate() {
        let part = pages::sitemap_part(k + 1);
        parts.push(lib.absolute(&part));
        out.push(OutFile {
            path: pages::file_of(&part),
            content: Content::Bytes(render(&Sitemap {
                urls: chunk,
                parts: Vec::new(),
            })?),
        });
    }
    out.push(OutFile {
        path: pages::file_of(&pages::sitemap()),
        content: Content::Bytes(render(&Sitemap { urls: &[], parts })?),
    });
    Ok(out)
}

/// One entry of the search index.
#[derive(Serialize)]
struct SearchEntry {
    /// Title.
    t: String,
    /// URL relative to the site root (`tin-tuc/x/index.html`).
    u: String,
    /// Kind: `bulletin`, `article`, `plan`, `unit`; the search page names
    /// them.
    k: &'static str,
    /// Date, `19/10/2021`, or empty.
    d: String,
    /// Start of the summary.
    s: String,
    /// What is searched: title, tags and summary folded with `vi::fold`
    /// (no diacritics, no case, `đ` = `d`); the query is folded the same way.
    f: String,
}

fn snippet(s: &str) -> String {
    let mut out: String = s.chars().take(SNIPPET).collect();
    if s.chars().count() > SNIPPET {
        out.push('…');
    }
    out
}

/// `search-index.json` for programs and `tim-kiem/search-index.js` for the
/// search page (a script loads from `file://`, where fetching JSON cannot).
pub fn search_index(lib: &Library, words: &Words) -> Result<Vec<OutFile>, tera::Error> {
    let site = lib.site;
    let mut entries: Vec<SearchEntry> = Vec::new();
    for q in lib.quarters.iter().rev() {
        let title = words.bulletin_name(&q.label())?;
        entries.push(SearchEntry {
            f: vi::fold(&title),
            t: title,
            u: pages::file_of(&pages::bulletin(*q)),
            k: "bulletin",
            d: vi::date_short(lib.bulletin_date(*q).date_naive()),
            s: String::new(),
        });
    }
    for &i in &lib.published {
        let (Some(a), Some(facts)) = (site.articles.get(i), lib.facts.get(i)) else {
            continue;
        };
        let summary = snippet(&facts.summary);
        let tags: Vec<String> = facts
            .tag_slugs
            .iter()
            .filter_map(|slug| lib.tags.get(slug).map(|t| t.name.clone()))
            .collect();
        entries.push(SearchEntry {
            f: vi::fold(&format!("{} {} {}", a.title.value, tags.join(" "), summary)),
            t: a.title.value.clone(),
            u: pages::file_of(&pages::article(&a.slug)),
            k: "article",
            d: vi::date_short(
                a.date
                    .value
                    .with_timezone(&vi::vietnam_offset())
                    .date_naive(),
            ),
            s: summary,
        });
    }
    for p in site.plans.iter().rev() {
        let title = words.document_title(&views::DocName::of_plan(p))?;
        entries.push(SearchEntry {
            f: vi::fold(&format!("{title} {}", p.issuer.value)),
            t: title,
            u: pages::file_of(&pages::plan(&p.symbol, p.year.value)),
            k: "plan",
            d: vi::date_short(p.issued.value),
            s: String::new(),
        });
    }
    for t in lib.site.terms() {
        let title = words.page_title(&views::PageName::named("term", t.name.value.clone()))?;
        entries.push(SearchEntry {
            f: vi::fold(&title),
            t: title,
            u: pages::file_of(&pages::term(&t.slug)),
            k: "term",
            d: vi::date_short(t.from.value),
            s: String::new(),
        });
    }
    for u in &site.units {
        entries.push(SearchEntry {
            f: vi::fold(&format!("{} {}", u.name.value, u.short())),
            t: lib.name(u).to_owned(),
            u: pages::file_of(&pages::unit(&u.id)),
            k: "unit",
            d: String::new(),
            s: String::new(),
        });
    }
    let json = serde_json::to_string(&entries).unwrap_or_else(|_| "[]".to_owned());
    let script = format!("window.BANTIN_SEARCH_INDEX = {json};\n");
    Ok(vec![
        OutFile {
            path: pages::file_of(&pages::search_index()),
            content: Content::Bytes(format!("{json}\n").into_bytes()),
        },
        OutFile {
            path: pages::file_of(&pages::search_index_script()),
            content: Content::Bytes(script.into_bytes()),
        },
    ])
}
