//! Files for other programs: the Atom feed and the sitemap (written by the
//! templates `feed.xml` and `sitemap.xml`). Absolute links come from
//! `base_url`.

use serde::Serialize;
use tera::Context;

use super::Engine;
use super::views::{self, Here};
use crate::library::Library;
use crate::pages::{self, Page, PageKind};
use crate::publish::{Content, OutFile};
use crate::vi;

/// Entries in the site's feeds.
const FEED_ENTRIES: usize = 50;
/// Entries in a topic's feed: a topic's latest articles, with their text.
const TOPIC_FEED_ENTRIES: usize = 20;
/// URLs per sitemap file (the protocol's limit).
const SITEMAP_URLS: usize = 50_000;
/// About the most bytes of one sitemap file: the protocol allows 50 MB, but
/// no file of a site but its media should be over 1 MB (a slow line, a
/// program reading it whole).
const SITEMAP_BYTES: usize = 900_000;
/// What one `<url>` adds to a sitemap besides its address.
const SITEMAP_ENTRY_BYTES: usize = 55;

/// One entry of a feed: an article, or a quarter's bulletin.
#[derive(Serialize, Clone)]
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
    /// RFC 3339 (Atom).
    published: String,
    /// RFC 2822 (RSS).
    pub_date: String,
    author: Option<String>,
    summary: Option<String>,
    /// An article's text as HTML, its links absolute.
    content: Option<String>,
    /// An article's topics.
    topics: Vec<String>,
    #[serde(skip)]
    date: chrono::DateTime<chrono::FixedOffset>,
}

#[derive(Serialize)]
struct Feed<'a> {
    site_title: &'a str,
    organization: &'a str,
    description: &'a str,
    base_url: &'a str,
    /// The page the feed follows: the home page, or a topic's page.
    home_url: String,
    self_url: String,
    /// A topic's feed: the topic's name.
    topic: Option<&'a str>,
    /// RFC 3339 and RFC 2822: the newest entry's date.
    updated: String,
    updated_rfc2822: String,
    entries: &'a [Entry],
}

/// Links in an article's HTML, relative to its page, made absolute: a
/// feed reader shows the text away from the page.
fn absolute_links(html: &str, page_url: &str) -> String {
    static ATTR: std::sync::LazyLock<Option<regex::Regex>> =
        std::sync::LazyLock::new(|| regex::Regex::new(r#"(href|src)="([^"]*)""#).ok());
    let (Some(re), Ok(base)) = (ATTR.as_ref(), ammonia::Url::parse(page_url)) else {
        return html.to_owned();
    };
    re.replace_all(html, |c: &regex::Captures| {
        let url = c.get(2).map_or("", |m| m.as_str());
        let joined = base
            .join(&crate::html::unescape(url))
            .map_or_else(|_| url.to_owned(), |u| crate::html::escape(u.as_str()));
        format!("{}=\"{joined}\"", &c[1])
    })
    .into_owned()
}

/// A feed of `entries`, found at `self_url`, following the page at
/// `home_url`.
fn feed<'a>(
    lib: &'a Library,
    self_url: &str,
    home_url: &str,
    topic: Option<&'a str>,
    entries: &'a [Entry],
) -> Feed<'a> {
    let newest = entries.first();
    Feed {
        site_title: &lib.site_title,
        organization: &lib.organization,
        description: &lib.description,
        base_url: &lib.base_url,
        home_url: lib.absolute(home_url),
        self_url: lib.absolute(self_url),
        topic,
        updated: newest.map_or_else(
            || "2000-01-01T00:00:00+07:00".to_owned(),
            |e| e.published.clone(),
        ),
        updated_rfc2822: newest.map_or_else(
            || "Sat, 01 Jan 2000 00:00:00 +0700".to_owned(),
            |e| e.pub_date.clone(),
        ),
        entries,
    }
}

/// The feeds: `/feed.xml` (Atom) and `/rss.xml` (RSS 2.0) with the latest
/// articles and bulletins, and the Atom feed of every topic.
pub fn feeds(
    lib: &Library,
    pages_list: &[Page],
    engine: &Engine,
    article_html: &dyn Fn(usize) -> Option<String>,
) -> Result<Vec<OutFile>, tera::Error> {
    let site = lib.site;
    let tag_names: std::collections::HashMap<&str, &str> = lib
        .tags
        .iter()
        .map(|(slug, t)| (slug.as_str(), t.name.as_str()))
        .collect();
    // Every article that a feed shows, once, with its text.
    let mut wanted: std::collections::BTreeSet<usize> =
        lib.published.iter().take(FEED_ENTRIES).copied().collect();
    for t in lib.tags.values() {
        wanted.extend(t.articles.iter().take(TOPIC_FEED_ENTRIES));
    }
    let article_entries: std::collections::HashMap<usize, Entry> = wanted
        .into_iter()
        .filter_map(|i| {
            let (a, facts) = (site.articles.get(i)?, lib.facts.get(i)?);
            let url = lib.absolute(&pages::article(&a.slug));
            Some((
                i,
                Entry {
                    title: Some(a.title.value.clone()),
                    period: None,
                    facts: None,
                    year: None,
                    content: article_html(i).map(|h| absolute_links(&h, &url)),
                    url,
                    published: a.date.value.to_rfc3339(),
                    pub_date: a.date.value.to_rfc2822(),
                    author: a.author.as_ref().map(|x| x.value.clone()),
                    summary: Some(facts.summary.clone()),
                    topics: facts
                        .tag_slugs
                        .iter()
                        .filter_map(|t| tag_names.get(t.as_str()).map(|n| (*n).to_owned()))
                        .collect(),
                    date: a.date.value,
                },
            ))
        })
        .collect();
    let feed_url = pages::feed();
    let here = Here {
        url: &feed_url,
        root: None,
    };
    let mut entries: Vec<Entry> = lib
        .published
        .iter()
        .take(FEED_ENTRIES)
        .filter_map(|i| article_entries.get(i).cloned())
        .collect();
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
            pub_date: date.to_rfc2822(),
            author: None,
            summary: None,
            content: None,
            topics: Vec::new(),
            date,
        });
    }
    entries.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.url.cmp(&b.url)));
    entries.truncate(FEED_ENTRIES);

    let render = |template: &str, url: &str, f: &Feed| -> Result<OutFile, tera::Error> {
        Ok(OutFile {
            path: pages::file_of(url),
            content: Content::Bytes(engine.render(template, &Context::from_serialize(f)?)?),
        })
    };
    let mut out = vec![
        render(
            "feed.xml",
            &feed_url,
            &feed(lib, &feed_url, &pages::home(), None, &entries),
        )?,
        render(
            "rss.xml",
            &pages::rss(),
            &feed(lib, &pages::rss(), &pages::home(), None, &entries),
        )?,
    ];
    for p in pages_list {
        let PageKind::Tag { slug, page: 1 } = &p.kind else {
            continue;
        };
        let Some(tag) = lib.tags.get(slug) else {
            continue;
        };
        let entries: Vec<Entry> = tag
            .articles
            .iter()
            .take(TOPIC_FEED_ENTRIES)
            .filter_map(|i| article_entries.get(i).cloned())
            .collect();
        let url = pages::tag_feed(slug);
        out.push(render(
            "feed.xml",
            &url,
            &feed(lib, &url, &p.url, Some(&tag.name), &entries),
        )?);
    }
    Ok(out)
}

#[derive(Serialize)]
struct Sitemap<'a> {
    /// The pages of this file; empty in an index.
    urls: &'a [SitemapUrl],
    /// The parts' URLs, when this file is an index of parts.
    parts: Vec<String>,
}

/// One page of the sitemap: its address and the day its content last
/// changed, as the content dates it (never the day of the build).
#[derive(Serialize)]
struct SitemapUrl {
    loc: String,
    /// `2026-10-07`.
    lastmod: Option<String>,
}

/// The day the content of `page` last changed: an article's date, the
/// report date of a bulletin's or statistics page's latest quarter, a
/// topic's newest article; for pages that list the whole site, its
/// newest date.
fn lastmod(
    lib: &Library,
    page: &Page,
    newest: Option<chrono::NaiveDate>,
) -> Option<chrono::NaiveDate> {
    let article = |i: &usize| {
        lib.site
            .articles
            .get(*i)
            .map(|a| vi::day_in_vietnam(a.date.value))
    };
    match &page.kind {
        PageKind::Article(i) => article(i),
        PageKind::Bulletin(q) | PageKind::Statistics(q) => {
            Some(vi::day_in_vietnam(lib.bulletin_date(*q)))
        }
        PageKind::StatisticsYear(y) => lib
            .quarters
            .iter()
            .rfind(|q| q.year == *y)
            .map(|q| vi::day_in_vietnam(lib.bulletin_date(*q))),
        // A topic's articles are newest first: its first is its newest
        // (every page of a topic with 20.000 articles used to look at all
        // of them).
        PageKind::Tag { slug, .. } => lib
            .tags
            .get(slug)
            .and_then(|t| t.articles.first())
            .and_then(article),
        _ => newest,
    }
}

/// The URLs cut into sitemap files of at most [`SITEMAP_URLS`] addresses
/// and about [`SITEMAP_BYTES`].
fn sitemap_parts(urls: &[SitemapUrl]) -> Vec<&[SitemapUrl]> {
    let mut parts = Vec::new();
    let (mut start, mut bytes) = (0, 0);
    for (i, u) in urls.iter().enumerate() {
        let size = u.loc.len() + SITEMAP_ENTRY_BYTES;
        if i > start && (i - start == SITEMAP_URLS || bytes + size > SITEMAP_BYTES) {
            parts.push(&urls[start..i]);
            (start, bytes) = (i, 0);
        }
        bytes += size;
    }
    parts.push(&urls[start..]);
    parts
}

/// `sitemap.xml`; above [`SITEMAP_URLS`] pages or about [`SITEMAP_BYTES`],
/// an index of numbered files.
pub fn sitemap(
    lib: &Library,
    pages_list: &[Page],
    engine: &Engine,
) -> Result<Vec<OutFile>, tera::Error> {
    let newest = lib
        .published
        .iter()
        .filter_map(|i| lib.site.articles.get(*i))
        .map(|a| vi::day_in_vietnam(a.date.value))
        .chain(
            lib.quarters
                .iter()
                .map(|q| vi::day_in_vietnam(lib.bulletin_date(*q))),
        )
        .max();
    let urls: Vec<SitemapUrl> = pages_list
        .iter()
        .filter(|p| p.kind != PageKind::NotFound)
        .map(|p| SitemapUrl {
            loc: lib.absolute(&p.url),
            lastmod: lastmod(lib, p, newest).map(|d| d.format("%Y-%m-%d").to_string()),
        })
        .collect();
    let render = |map: &Sitemap| -> Result<Vec<u8>, tera::Error> {
        engine.render("sitemap.xml", &Context::from_serialize(map)?)
    };
    let chunks = sitemap_parts(&urls);
    if chunks.len() == 1 {
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
    for (k, chunk) in chunks.into_iter().enumerate() {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The sizes of the parts of `n` addresses of `len` bytes.
    fn parts(n: usize, len: usize) -> Vec<usize> {
        let urls: Vec<SitemapUrl> = (0..n)
            .map(|_| SitemapUrl {
                loc: "x".repeat(len),
                lastmod: None,
            })
            .collect();
        sitemap_parts(&urls).iter().map(|p| p.len()).collect()
    }

    #[test]
    fn sitemap_parts_stay_under_a_megabyte_and_the_protocols_count() {
        // 145 bytes an entry: 6.206 entries fill 900.000 bytes (6.206 × 145
        // = 899.870), the 6.207th starts the next part.
        assert_eq!(parts(10_000, 90), [6_206, 3_794]);
        // Short addresses: 56 bytes an entry, 16.071 a part (the
        // protocol's 50.000 is never reached).
        assert_eq!(parts(20_000, 1), [16_071, 3_929]);
        assert_eq!(parts(3, 10), [3]);
        assert_eq!(parts(0, 10), [0]);
    }
}
