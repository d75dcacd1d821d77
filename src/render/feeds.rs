//! Files for other programs: the Atom feed, the sitemap and the search
//! index. Absolute links come from `base_url`; everything is escaped.

use crate::library::Library;
use chrono::{DateTime, FixedOffset};
use serde::Serialize;

use crate::html::escape;
use crate::pages::{self, Page, PageKind};
use crate::publish::{Content, OutFile};
use crate::vi;

/// Entries in the feed.
const FEED_ENTRIES: usize = 50;
/// URLs per sitemap file (the protocol's limit).
const SITEMAP_URLS: usize = 50_000;
/// Characters of a summary kept in the search index.
const SNIPPET: usize = 200;

struct Entry {
    title: String,
    url: String,
    date: DateTime<FixedOffset>,
    author: Option<String>,
    summary: String,
}

pub fn feed(lib: &Library) -> OutFile {
    let mut entries: Vec<Entry> = lib
        .published
        .iter()
        .take(FEED_ENTRIES)
        .filter_map(|&i| Some((lib.site.articles.get(i)?, lib.facts.get(i)?)))
        .map(|(a, facts)| Entry {
            title: a.title.value.clone(),
            url: lib.absolute(&pages::article(&a.slug)),
            date: a.date.value,
            author: a.author.as_ref().map(|x| x.value.clone()),
            summary: facts.summary.clone(),
        })
        .collect();
    for q in lib.quarters.iter().rev().take(FEED_ENTRIES) {
        let Some(s) = lib.quarter(*q) else { continue };
        entries.push(Entry {
            title: format!("Bản tin công tác phát triển đảng viên {}", q.label()),
            url: lib.absolute(&pages::bulletin(*q)),
            date: lib.bulletin_date(*q),
            author: None,
            summary: format!(
                "{}, toàn {} kết nạp {} đảng viên mới{}.",
                vi::capitalize_first(&q.label()),
                lib.organization,
                vi::int(s.total.counts.admitted() as i64),
                s.total
                    .share_of_quota
                    .map(|r| format!(", đạt {} chỉ tiêu năm", r.percent()))
                    .unwrap_or_default()
            ),
        });
    }
    entries.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.url.cmp(&b.url)));
    entries.truncate(FEED_ENTRIES);
    let updated = entries.first().map_or_else(
        || "2000-01-01T00:00:00+07:00".to_owned(),
        |e| e.date.to_rfc3339(),
    );
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    xml.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"vi\">\n");
    xml.push_str(&format!("  <title>{}</title>\n", escape(&lib.site_title)));
    if !lib.description.is_empty() {
        xml.push_str(&format!(
            "  <subtitle>{}</subtitle>\n",
            escape(&lib.description)
        ));
    }
    xml.push_str(&format!(
        "  <link href=\"{}\" rel=\"self\" type=\"application/atom+xml\"/>\n",
        escape(&lib.absolute(&pages::feed()))
    ));
    xml.push_str(&format!(
        "  <link href=\"{}\" rel=\"alternate\" type=\"text/html\"/>\n",
        escape(&lib.base_url)
    ));
    xml.push_str(&format!("  <id>{}</id>\n", escape(&lib.base_url)));
    xml.push_str(&format!("  <updated>{updated}</updated>\n"));
    xml.push_str(&format!(
        "  <author><name>{}</name></author>\n",
        escape(if lib.site_title.is_empty() {
            &lib.organization
        } else {
            &lib.site_title
        })
    ));
    for e in &entries {
        xml.push_str("  <entry>\n");
        xml.push_str(&format!("    <title>{}</title>\n", escape(&e.title)));
        xml.push_str(&format!(
            "    <link href=\"{}\" rel=\"alternate\" type=\"text/html\"/>\n",
            escape(&e.url)
        ));
        xml.push_str(&format!("    <id>{}</id>\n", escape(&e.url)));
        xml.push_str(&format!(
            "    <published>{}</published>\n",
            e.date.to_rfc3339()
        ));
        xml.push_str(&format!("    <updated>{}</updated>\n", e.date.to_rfc3339()));
        if let Some(a) = &e.author {
            xml.push_str(&format!(
                "    <author><name>{}</name></author>\n",
                escape(a)
            ));
        }
        xml.push_str(&format!("    <summary>{}</summary>\n", escape(&e.summary)));
        xml.push_str("  </entry>\n");
    }
    xml.push_str("</feed>\n");
    OutFile {
        path: pages::file_of(&pages::feed()),
        content: Content::Bytes(xml.into_bytes()),
    }
}

/// `sitemap.xml`; above [`SITEMAP_URLS`] pages, an index of numbered files.
pub fn sitemap(lib: &Library, pages_list: &[Page]) -> Vec<OutFile> {
    let urls: Vec<String> = pages_list
        .iter()
        .filter(|p| p.kind != PageKind::NotFound)
        .map(|p| lib.absolute(&p.url))
        .collect();
    let urlset = |chunk: &[String]| {
        let mut xml = String::from(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
        );
        for u in chunk {
            xml.push_str(&format!("  <url><loc>{}</loc></url>\n", escape(u)));
        }
        xml.push_str("</urlset>\n");
        xml.into_bytes()
    };
    if urls.len() <= SITEMAP_URLS {
        return vec![OutFile {
            path: pages::file_of(&pages::sitemap()),
            content: Content::Bytes(urlset(&urls)),
        }];
    }
    let mut out = Vec::new();
    let mut index = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (k, chunk) in urls.chunks(SITEMAP_URLS).enumerate() {
        let name = format!("sitemap-{}.xml", k + 1);
        index.push_str(&format!(
            "  <sitemap><loc>{}</loc></sitemap>\n",
            escape(&lib.absolute(&format!("/{name}")))
        ));
        out.push(OutFile {
            path: name,
            content: Content::Bytes(urlset(chunk)),
        });
    }
    index.push_str("</sitemapindex>\n");
    out.push(OutFile {
        path: pages::file_of(&pages::sitemap()),
        content: Content::Bytes(index.into_bytes()),
    });
    out
}

/// One entry of the search index.
#[derive(Serialize)]
struct SearchEntry {
    /// Title.
    t: String,
    /// URL relative to the site root (`tin-tuc/x/index.html`).
    u: String,
    /// Kind: `Tin tức`, `Bản tin`, `Kế hoạch`, `Đơn vị`.
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
pub fn search_index(lib: &Library) -> Vec<OutFile> {
    let site = lib.site;
    let mut entries: Vec<SearchEntry> = Vec::new();
    for q in lib.quarters.iter().rev() {
        let label = format!("Bản tin công tác phát triển đảng viên {}", q.label());
        entries.push(SearchEntry {
            f: vi::fold(&label),
            t: label,
            u: pages::file_of(&pages::bulletin(*q)),
            k: "Bản tin",
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
            k: "Tin tức",
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
        let title = format!(
            "{} số {} {}",
            p.kind_name.value, p.symbol.value, p.title.value
        );
        entries.push(SearchEntry {
            f: vi::fold(&format!("{title} {}", p.issuer.value)),
            t: title,
            u: pages::file_of(&pages::plan(&p.symbol, p.year.value)),
            k: "Kế hoạch",
            d: vi::date_short(p.issued.value),
            s: String::new(),
        });
    }
    for u in &site.units {
        entries.push(SearchEntry {
            f: vi::fold(&format!("{} {}", u.name.value, u.short())),
            t: u.name.value.clone(),
            u: pages::file_of(&pages::unit(&u.id)),
            k: "Đơn vị",
            d: String::new(),
            s: String::new(),
        });
    }
    let json = serde_json::to_string(&entries).unwrap_or_else(|_| "[]".to_owned());
    let script = format!("window.BANTIN_SEARCH_INDEX = {json};\n");
    vec![
        OutFile {
            path: pages::file_of(&pages::search_index()),
            content: Content::Bytes(format!("{json}\n").into_bytes()),
        },
        OutFile {
            path: pages::file_of(&pages::search_index_script()),
            content: Content::Bytes(script.into_bytes()),
        },
    ]
}
