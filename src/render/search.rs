//! The search index: small script files that the search page loads as a
//! query needs them, so that it answers from a disk (`file://`, where a
//! page cannot `fetch`) as well as from a server, and a query loads a few
//! tens of kilobytes whatever the size of the archive.
//! `docs/chi-muc-tim-kiem.md` describes the format for other programs.
//!
//! - Documents — the pages a search finds — are numbered in the order
//!   results are shown when nothing else tells them apart: bulletins, plans,
//!   terms of office and units (the pages a query naming a quarter, a plan
//!   or a unit is looking for), then articles, newest first. Their titles,
//!   addresses and summaries go, [`DOCS_PER_FILE`] at a time, into
//!   `bai-<n>.js`.
//! - Terms are folded syllables ([`vi::for_each_term`]): `Hoà`, `hòa` and
//!   `HOA` are the term `hoa`, and `hoạch` is another term, `hoach`. Each
//!   term lists the documents that hold it anywhere and those that hold it
//!   in their title. Terms are sorted and cut into files of about
//!   [`SHARD_BYTES`], `tu-<n>.js`; the first term of each file is in the
//!   manifest, so a query loads the file of each of its terms and nothing
//!   else.
//! - The manifest `muc-luc.js`, which the search page loads with itself.
//!
//! Every file is JavaScript that hands its JSON to the search page
//! (`BANTIN_CHI_MUC_NAP(...)`): a page opened from a disk can load a script
//! from the disk, not read a file.

use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;
use serde::Serialize;

use super::Words;
use super::views;
use crate::library::Library;
use crate::pages;
use crate::publish::{Content, OutFile};
use crate::vi;

/// Documents per `bai-<n>.js`: a page of results loads the files its
/// documents are in, so few documents per file keeps a page of scattered
/// results light.
pub const DOCS_PER_FILE: usize = 10;
/// About how large a file of terms grows before the next one starts. A term
/// larger on its own (a syllable in most articles) has a file to itself.
pub const SHARD_BYTES: usize = 32 * 1024;
/// Longer "words" (a link, a code) are not indexed.
pub const MAX_TERM_CHARS: usize = 40;
/// Characters of a summary kept to show under a result.
const SNIPPET: usize = 160;
/// Documents whose terms one task gathers.
const DOCS_PER_TASK: usize = 512;

/// Where a document's words come from, besides its title.
enum Text {
    /// Written here (an issuer, a unit's short name).
    Plain(String),
    /// An article's topics, summary and body, by index in `site.articles`.
    Article(usize),
}

/// A page the search finds.
struct Doc {
    title: String,
    /// Relative to the site root: `tin-tuc/x/index.html`.
    url: String,
    /// `bulletin`, `article`, `plan`, `term`, `unit`: the search page's
    /// template names each.
    kind: &'static str,
    /// `19/10/2021`, or empty.
    date: String,
    /// The start of the summary, or empty.
    snippet: String,
    text: Text,
}

/// The documents, in the order of their numbers.
fn documents(lib: &Library, words: &Words) -> Result<Vec<Doc>, tera::Error> {
    let site = lib.site;
    let mut docs: Vec<Doc> = Vec::new();
    for q in lib.quarters.iter().rev() {
        docs.push(Doc {
            title: words.bulletin_name(&q.label())?,
            url: pages::file_of(&pages::bulletin(*q)),
            kind: "bulletin",
            date: vi::date_short(vi::day_in_vietnam(lib.bulletin_date(*q))),
            snippet: String::new(),
            text: Text::Plain(String::new()),
        });
    }
    let mut plans: Vec<&crate::model::Plan> = site.plans.iter().collect();
    plans.sort_by_key(|p| std::cmp::Reverse(p.issued.value));
    for p in plans {
        docs.push(Doc {
            title: words.document_title(&views::DocName::of_plan(p))?,
            url: pages::file_of(&pages::plan(&p.symbol, p.year.value)),
            kind: "plan",
            date: vi::date_short(p.issued.value),
            snippet: String::new(),
            text: Text::Plain(p.issuer.value.clone()),
        });
    }
    let mut terms: Vec<_> = site.terms().iter().collect();
    terms.sort_by_key(|t| std::cmp::Reverse(t.from.value));
    for t in terms {
        docs.push(Doc {
            title: words.page_title(&views::PageName::named("term", t.name.value.clone()))?,
            url: pages::file_of(&pages::term(&t.slug)),
            kind: "term",
            date: vi::date_short(t.from.value),
            snippet: String::new(),
            text: Text::Plain(String::new()),
        });
    }
    for u in &site.units {
        docs.push(Doc {
            title: lib.name(u).to_owned(),
            url: pages::file_of(&pages::unit(&u.id)),
            kind: "unit",
            date: String::new(),
            snippet: String::new(),
            text: Text::Plain(format!("{} {}", u.name.value, u.short())),
        });
    }
    // Newest first already.
    for &i in &lib.published {
        let (Some(a), Some(facts)) = (site.articles.get(i), lib.facts.get(i)) else {
            continue;
        };
        docs.push(Doc {
            title: a.title.value.clone(),
            url: pages::file_of(&pages::article(&a.slug)),
            kind: "article",
            date: vi::date_short(vi::day_in_vietnam(a.date.value)),
            snippet: vi::clip(&facts.summary, SNIPPET),
            text: Text::Article(i),
        });
    }
    Ok(docs)
}

impl Doc {
    /// The words besides the title, appended to `out`.
    fn text(&self, lib: &Library, out: &mut String) {
        match &self.text {
            Text::Plain(s) => out.push_str(s),
            Text::Article(i) => {
                let (Some(a), Some(facts)) = (lib.site.articles.get(*i), lib.facts.get(*i)) else {
                    return;
                };
                for slug in &facts.tag_slugs {
                    if let Some(t) = lib.tags.get(slug) {
                        out.push_str(&t.name);
                        out.push(' ');
                    }
                }
                if a.summary.is_some() {
                    out.push_str(&facts.summary);
                    out.push(' ');
                }
                crate::markdown::plain_text(&a.body, out);
            }
        }
    }
}

/// The documents that hold a term, by number, ascending.
#[derive(Default, Debug, PartialEq)]
struct Postings {
    /// Anywhere (title or text).
    all: Vec<u32>,
    /// In the title.
    title: Vec<u32>,
}

impl Postings {
    fn add(&mut self, doc: u32, in_title: bool) {
        if self.all.last() != Some(&doc) {
            self.all.push(doc);
        }
        if in_title && self.title.last() != Some(&doc) {
            self.title.push(doc);
        }
    }
}

/// Every word with its documents: keys sorted as JavaScript compares
/// strings (by UTF-16 code units), so that the search page's binary search
/// over the manifest agrees with the order of the files; each key's
/// variants sorted the same way.
fn postings(lib: &Library, docs: &[Doc]) -> Vec<(String, Variants)> {
    let parts: Vec<HashMap<String, Variants>> = docs
        .par_chunks(DOCS_PER_TASK)
        .enumerate()
        .map(|(k, chunk)| {
            let mut map: HashMap<String, Variants> = HashMap::default();
            let mut add = |key: &str, variant: &str, doc: u32, in_title: bool| {
                let variants = match map.get_mut(key) {
                    Some(v) => v,
                    None => map.entry(key.to_owned()).or_default(),
                };
                variants.add(variant, doc, in_title);
            };
            let mut text = String::new();
            for (j, doc) in chunk.iter().enumerate() {
                let n = u32::try_from(k * DOCS_PER_TASK + j).unwrap_or(u32::MAX);
                vi::for_each_word(&doc.title, MAX_TERM_CHARS, |key, v| add(key, v, n, true));
                text.clear();
                doc.text(lib, &mut text);
                vi::for_each_word(&text, MAX_TERM_CHARS, |key, v| add(key, v, n, false));
            }
            map
        })
        .collect();
    // Parts in document order: appending keeps each list ascending.
    let mut merged: HashMap<String, Variants> = HashMap::default();
    for part in parts {
        for (key, variants) in part {
            merged.entry(key).or_default().append(variants);
        }
    }
    let utf16 = |s: &str| s.encode_utf16().collect::<Vec<u16>>();
    let mut keys: Vec<(String, Variants)> = merged.into_iter().collect();
    keys.par_sort_by_cached_key(|(key, _)| utf16(key));
    for (_, variants) in &mut keys {
        variants.0.sort_by_cached_key(|(v, _)| utf16(v));
    }
    keys
}

/// The variants of one key met so far, each with its documents: few (a
/// syllable has at most a dozen), so a list.
#[derive(Default)]
struct Variants(Vec<(String, Postings)>);

impl Variants {
    fn add(&mut self, variant: &str, doc: u32, in_title: bool) {
        match self.0.iter_mut().find(|(v, _)| v == variant) {
            Some((_, p)) => p.add(doc, in_title),
            None => {
                let mut p = Postings::default();
                p.add(doc, in_title);
                self.0.push((variant.to_owned(), p));
            }
        }
    }

    /// The documents of a later part of the documents added after these.
    fn append(&mut self, later: Variants) {
        for (variant, p) in later.0 {
            match self.0.iter_mut().find(|(v, _)| *v == variant) {
                Some((_, q)) => {
                    q.all.extend(p.all);
                    q.title.extend(p.title);
                }
                None => self.0.push((variant, p)),
            }
        }
    }
}

/// The 64 characters of the encodings: none needs escaping in JSON.
const DIGITS: &[u8; 64] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";

/// A list of document numbers (ascending, distinct) as a string, in the
/// shorter of two forms:
/// - gaps: each number less the previous one less one (the first: the
///   number itself), written in base 32, least significant digit first,
///   each digit a character of [`DIGITS`] plus 32 when more digits follow;
/// - a bitmap, `~` then 6 documents per character (bit `k` of the
///   character's value at position `i` is document `6i + k`), up to the
///   last document of the list.
///
/// `[0, 10, 20]` → `"099"`; `[5, 40]` → `"5Y1"` (gaps 5 and 34 = 2 + 32·1,
/// digits 2+32 and 1); `[0, 1, 2]` → `"~7"` (bits 0, 1, 2), shorter than
/// its gaps `"000"`.
fn encode(docs: &[u32]) -> String {
    let Some(&last) = docs.last() else {
        return String::new();
    };
    let mut gaps = Vec::new();
    let mut next = 0u32;
    for &d in docs {
        let mut gap = d - next;
        next = d + 1;
        loop {
            let digit = (gap & 31) as usize;
            gap >>= 5;
            if gap == 0 {
                gaps.push(DIGITS[digit]);
                break;
            }
            gaps.push(DIGITS[digit | 32]);
        }
    }
    let bitmap_len = 1 + last as usize / 6 + 1;
    if gaps.len() <= bitmap_len {
        return String::from_utf8_lossy(&gaps).into_owned();
    }
    let mut bits = vec![0u8; bitmap_len - 1];
    for &d in docs {
        if let Some(b) = bits.get_mut(d as usize / 6) {
            *b |= 1 << (d % 6);
        }
    }
    let mut out = String::with_capacity(bitmap_len);
    out.push('~');
    out.extend(bits.iter().map(|&b| DIGITS[b as usize] as char));
    out
}

/// JSON as JavaScript source: U+2028 and U+2029 are line ends to older
/// JavaScript engines, even inside a string.
fn js(json: String) -> String {
    if json.contains(['\u{2028}', '\u{2029}']) {
        json.replace('\u{2028}', "\\u2028")
            .replace('\u{2029}', "\\u2029")
    } else {
        json
    }
}

/// What `muc-luc.js` holds.
#[derive(Serialize)]
struct Manifest {
    /// The index's version: every file carries it, so the page notices
    /// files of two builds (a cache, a copy in progress).
    v: String,
    /// Number of documents.
    docs: usize,
    /// Documents per `bai-<n>.js`.
    docs_per_file: usize,
    /// Terms longer than this many characters are not indexed.
    max_term: usize,
    /// File names, `{n}` for the number, relative to the manifest.
    term_file: String,
    doc_file: String,
    /// The first term of each term file, in order.
    first_terms: Vec<String>,
    /// The size of each term file in bytes.
    sizes: Vec<usize>,
}

/// The search index: the manifest, the term files and the document files.
pub fn index(lib: &Library, words: &Words) -> Result<Vec<OutFile>, tera::Error> {
    let docs = documents(lib, words)?;
    let terms = postings(lib, &docs);
    // Entries `"key":["variant","all","title",...]`, grouped into files.
    let entries: Vec<(String, String)> = terms
        .par_iter()
        .map(|(key, variants)| {
            let mut list: Vec<String> = Vec::with_capacity(3 * variants.0.len());
            for (variant, p) in &variants.0 {
                list.extend([variant.clone(), encode(&p.all), encode(&p.title)]);
            }
            let key_json = serde_json::to_string(key).unwrap_or_default();
            let list_json = serde_json::to_string(&list).unwrap_or_default();
            (key.clone(), js(format!("{key_json}:{list_json}")))
        })
        .collect();
    let mut shards: Vec<(String, Vec<&str>, usize)> = Vec::new();
    for (term, entry) in &entries {
        match shards.last_mut() {
            Some((_, members, size)) if *size + entry.len() < SHARD_BYTES => {
                members.push(entry);
                *size += entry.len() + 1;
            }
            _ => shards.push((term.clone(), vec![entry], entry.len() + 1)),
        }
    }
    let doc_files: Vec<String> = docs
        .par_chunks(DOCS_PER_FILE)
        .map(|chunk| {
            let rows: Vec<[&str; 5]> = chunk
                .iter()
                .map(|d| [&d.title, &d.url, d.kind, &d.date, &d.snippet])
                .collect();
            js(serde_json::to_string(&rows).unwrap_or_else(|_| "[]".to_owned()))
        })
        .collect();
    let mut crc = crc32fast::Hasher::new();
    for (_, members, _) in &shards {
        members.iter().for_each(|m| crc.update(m.as_bytes()));
    }
    doc_files.iter().for_each(|d| crc.update(d.as_bytes()));
    let v = format!("{:08x}", crc.finalize());
    let load = |kind: &str, n: usize, json: &str| {
        format!("BANTIN_CHI_MUC_NAP(\"{v}\",\"{kind}\",{n},{json});\n").into_bytes()
    };
    let mut files: Vec<OutFile> = Vec::with_capacity(shards.len() + doc_files.len() + 1);
    let mut sizes = Vec::with_capacity(shards.len());
    let mut first_terms = Vec::with_capacity(shards.len());
    for (n, (first, members, _)) in shards.into_iter().enumerate() {
        let bytes = load("tu", n, &format!("{{{}}}", members.join(",")));
        sizes.push(bytes.len());
        first_terms.push(first);
        files.push(OutFile {
            path: pages::file_of(&pages::search_terms(&n.to_string())),
            content: Content::Bytes(bytes),
        });
    }
    for (n, json) in doc_files.iter().enumerate() {
        files.push(OutFile {
            path: pages::file_of(&pages::search_docs(&n.to_string())),
            content: Content::Bytes(load("bai", n, json)),
        });
    }
    let manifest = Manifest {
        v,
        docs: docs.len(),
        docs_per_file: DOCS_PER_FILE,
        max_term: MAX_TERM_CHARS,
        term_file: pages::search_file_name(&pages::search_terms("{n}")),
        doc_file: pages::search_file_name(&pages::search_docs("{n}")),
        first_terms,
        sizes,
    };
    let json = js(serde_json::to_string(&manifest).unwrap_or_else(|_| "{}".to_owned()));
    files.push(OutFile {
        path: pages::file_of(&pages::search_manifest()),
        content: Content::Bytes(format!("window.BANTIN_CHI_MUC = {json};\n").into_bytes()),
    });
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings_by_hand() {
        assert_eq!(encode(&[]), "");
        // Gaps 0, 9, 9; the bitmap would take 5 characters.
        assert_eq!(encode(&[0, 10, 20]), "099");
        // Bits 0, 1, 2 = 7: two characters, the gaps three.
        assert_eq!(encode(&[0, 1, 2]), "~7");
        // Gap 5; gap 34 = 2 + 32 × 1 → digit 2 with "more" (2 + 32 = 34,
        // 'Y'), then 1.
        assert_eq!(encode(&[5, 40]), "5Y1");
        // Dense: 12 documents of the first 13 → bitmap of 3 characters
        // (bits 0–5: 63 '_', 6–11: 62 '-' without 6, 12: 1) after '~'.
        let dense = [0, 1, 2, 3, 4, 5, 7, 8, 9, 10, 11, 12];
        assert_eq!(encode(&dense), "~_-1");
    }

    #[test]
    fn bitmap_only_when_shorter() {
        // Three documents far apart: gaps are shorter than a bitmap.
        assert!(!encode(&[0, 500, 1000]).starts_with('~'));
        // Every document: one character per 6.
        let all: Vec<u32> = (0..600).collect();
        let e = encode(&all);
        assert_eq!(e.len(), 101);
        assert!(e.starts_with('~') && e[1..].bytes().all(|b| b == b'_'));
    }

    #[test]
    fn postings_add_once_per_document() {
        let mut p = Postings::default();
        p.add(3, true);
        p.add(3, false);
        p.add(3, true);
        p.add(7, false);
        assert_eq!(
            p,
            Postings {
                all: vec![3, 7],
                title: vec![3]
            }
        );
    }

    #[test]
    fn js_escapes_line_separators() {
        assert_eq!(js("[\"a\u{2028}b\"]".to_owned()), "[\"a\\u2028b\"]");
        assert_eq!(js("[\"ab\"]".to_owned()), "[\"ab\"]");
    }
}
