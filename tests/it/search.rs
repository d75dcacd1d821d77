//! The search index (`tim-kiem/chi-muc/`, docs/chi-muc-tim-kiem.md) read
//! back as the format says, and queried with its rules: whole syllables,
//! diacritics respected when typed, every word in the title first, then
//! data pages before articles, newest first. The search page's script is
//! checked against the same rules in the browser (e2e/search.mjs).

use std::collections::BTreeMap;
use std::fs;

use serde_json::Value;

use crate::common::{self, Built};

/// The index of a built site, read from its files.
pub struct Index {
    /// key → `[variant, all, title, variant, all, title, ...]`
    terms: BTreeMap<String, Vec<String>>,
    /// `[title, address, kind, date, summary]` by document number.
    pub docs: Vec<Vec<String>>,
}

/// The JSON inside `BANTIN_CHI_MUC_NAP("v","kind",n,JSON);`, checking the
/// version, kind and number.
fn payload(text: &str, version: &str, kind: &str, n: usize) -> Value {
    let head = format!("BANTIN_CHI_MUC_NAP(\"{version}\",\"{kind}\",{n},");
    let json = text
        .strip_prefix(&head)
        .and_then(|t| t.strip_suffix(");\n"))
        .unwrap_or_else(|| panic!("{kind}-{n}.js: not {head}...);"));
    serde_json::from_str(json).unwrap_or_else(|e| panic!("{kind}-{n}.js: {e}"))
}

/// A JSON array of strings.
fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap_or_else(|| panic!("not an array: {v}"))
        .iter()
        .map(|x| {
            x.as_str()
                .unwrap_or_else(|| panic!("not a string: {x}"))
                .to_owned()
        })
        .collect()
}

/// Document numbers from a list as the format writes it.
fn decode(list: &str) -> Vec<u32> {
    const DIGITS: &str = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
    let value = |c: char| DIGITS.find(c).unwrap_or_else(|| panic!("{c:?} in {list}")) as u32;
    let mut out = Vec::new();
    if let Some(bits) = list.strip_prefix('~') {
        for (i, c) in bits.chars().enumerate() {
            for bit in 0..6 {
                if value(c) & (1 << bit) != 0 {
                    out.push(i as u32 * 6 + bit);
                }
            }
        }
        return out;
    }
    let (mut next, mut gap, mut shift) = (0u32, 0u32, 0u32);
    for c in list.chars() {
        let v = value(c);
        gap += (v & 31) << shift;
        if v & 32 != 0 {
            shift += 5;
            continue;
        }
        out.push(next + gap);
        next += gap + 1;
        gap = 0;
        shift = 0;
    }
    out
}

impl Index {
    pub fn read(out: &Built) -> Self {
        let manifest_text = out.read("tim-kiem/chi-muc/muc-luc.js");
        let manifest: Value = serde_json::from_str(
            manifest_text
                .strip_prefix("window.BANTIN_CHI_MUC = ")
                .and_then(|t| t.strip_suffix(";\n"))
                .unwrap_or_else(|| panic!("muc-luc.js: {manifest_text}")),
        )
        .unwrap_or_else(|e| panic!("muc-luc.js: {e}"));
        let v = manifest["v"].as_str().unwrap_or_default().to_owned();
        let first_terms = manifest["first_terms"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let sizes = manifest["sizes"].as_array().cloned().unwrap_or_default();
        let mut terms = BTreeMap::new();
        for (n, first) in first_terms.iter().enumerate() {
            let path = format!("tim-kiem/chi-muc/tu-{n}.js");
            assert_eq!(
                sizes[n].as_u64(),
                Some(out.bytes(&path).len() as u64),
                "{path}: size in the manifest"
            );
            let Value::Object(map) = payload(&out.read(&path), &v, "tu", n) else {
                panic!("{path}: not an object");
            };
            // The file's terms start with the manifest's first term.
            assert_eq!(map.keys().next().map(String::as_str), first.as_str());
            for (key, entry) in map {
                let list = strings(&entry);
                assert_eq!(list.len() % 3, 0, "{key}: triples");
                terms.insert(key, list);
            }
        }
        let per_file = manifest["docs_per_file"].as_u64().unwrap_or(1) as usize;
        let count = manifest["docs"].as_u64().unwrap_or_default() as usize;
        let mut docs = Vec::new();
        for n in 0..count.div_ceil(per_file) {
            let path = format!("tim-kiem/chi-muc/bai-{n}.js");
            let rows = payload(&out.read(&path), &v, "bai", n);
            for row in rows.as_array().unwrap_or_else(|| panic!("{path}")) {
                let row = strings(row);
                assert_eq!(row.len(), 5, "{path}: {row:?}");
                docs.push(row);
            }
        }
        assert_eq!(docs.len(), count);
        Index { terms, docs }
    }

    /// The documents found for a query sent (whole words), ranked.
    pub fn find(&self, query: &str) -> Vec<&[String]> {
        let mut words: Vec<(String, String)> = Vec::new();
        bantin::vi::for_each_word(query, 40, |k, v| words.push((k.to_owned(), v.to_owned())));
        let n = self.docs.len();
        let (mut all, mut title) = (vec![0usize; n], vec![0usize; n]);
        for (w, (key, variant)) in words.iter().enumerate() {
            let plain = variant == "|";
            let Some(entry) = self.terms.get(key) else {
                return Vec::new();
            };
            for triple in entry.chunks(3) {
                if plain || triple[0] == *variant {
                    for d in decode(&triple[1]) {
                        if all[d as usize] == w {
                            all[d as usize] = w + 1;
                        }
                    }
                    for d in decode(&triple[2]) {
                        if title[d as usize] == w {
                            title[d as usize] = w + 1;
                        }
                    }
                }
            }
        }
        let k = words.len();
        let first = (0..n).filter(|&d| all[d] == k && title[d] == k);
        let then = (0..n).filter(|&d| all[d] == k && title[d] != k);
        first.chain(then).map(|d| self.docs[d].as_slice()).collect()
    }

    /// Titles of [`find`](Self::find).
    pub fn titles(&self, query: &str) -> Vec<&str> {
        self.find(query).iter().map(|d| d[0].as_str()).collect()
    }
}

fn article(title: &str, date: &str, body: &str) -> String {
    format!(
        "---\ntitle: {title}\ndate: {date}\nauthor: Văn Hòa\ntags: [kết nạp đảng viên]\n---\n{body}\n"
    )
}

/// The base fixture with three articles whose words tell the rules apart.
fn site() -> Built {
    let tmp = common::site_with(None);
    let dir = tmp.path().join("content/articles/2024");
    let write = |name: &str, text: String| {
        fs::write(dir.join(name), text).unwrap_or_else(|e| panic!("{name}: {e}"));
    };
    write(
        "hoa-binh.md",
        article(
            "Hoà Bình kết nạp đảng viên mới",
            "2024-05-02T08:00:00+07:00",
            "Lễ kết nạp diễn ra trang trọng (số liệu minh họa).",
        ),
    );
    write(
        "hien-dai-hoa.md",
        article(
            "Hiện đại hóa công tác đảng viên",
            "2024-06-03T08:00:00+07:00",
            "Chi bộ làm tốt việc hòa giải ở cơ sở, theo **kế hoạch** năm.",
        ),
    );
    write(
        "ke-hoach-moi.md",
        article(
            "Kế hoạch mới của chi bộ",
            "2024-07-04T08:00:00+07:00",
            "Hoàn thành chỉ tiêu sớm. Máy bơm xy-lanh đôi được thay; từ *xylanh* chỉ có ở đây.",
        ),
    );
    let out = common::build(tmp.path(), false);
    out.assert_built();
    out
}

#[test]
fn whole_syllables_and_the_diacritics_typed() {
    let out = site();
    let index = Index::read(&out);
    // `hoà` is hoà and hòa wherever the tone sits: not hoàn, hoạch, hóa,
    // nor the author "Văn Hòa" (authors are not indexed). Title first.
    assert_eq!(
        index.titles("hoà"),
        [
            "Hoà Bình kết nạp đảng viên mới",
            "Hiện đại hóa công tác đảng viên"
        ]
    );
    assert_eq!(index.titles("HÒA"), index.titles("hoà"));
    assert_eq!(index.titles("hóa"), ["Hiện đại hóa công tác đảng viên"]);
    // Without diacritics: every variant of the syllable; titles first,
    // newest first among them (June before May), then the "minh họa" body.
    let plain = index.titles("hoa");
    assert_eq!(
        plain[..2],
        [
            "Hiện đại hóa công tác đảng viên",
            "Hoà Bình kết nạp đảng viên mới"
        ]
    );
    assert!(
        plain.len() >= 2 && !plain.contains(&"Kế hoạch mới của chi bộ"),
        "{plain:?}"
    );
    // A word only in a body is found; "xy-lanh" is two syllables.
    assert_eq!(index.titles("xylanh"), ["Kế hoạch mới của chi bộ"]);
    assert!(index.titles("xy lanh").contains(&"Kế hoạch mới của chi bộ"));
    assert_eq!(
        index.titles("hoàn thành chỉ tiêu sớm"),
        ["Kế hoạch mới của chi bộ"]
    );
    // An unknown word finds nothing, even beside known ones.
    assert!(index.find("kết nạp zzzz").is_empty());
}

#[test]
fn ranking_title_then_data_pages_then_newest() {
    let out = site();
    let index = Index::read(&out);
    let found = index.find("kế hoạch");
    let kinds: Vec<&str> = found.iter().map(|d| d[2].as_str()).collect();
    let titles: Vec<&str> = found.iter().map(|d| d[0].as_str()).collect();
    // The two plans ("Kế hoạch số 12-KH/TU ...", newest first), then the
    // article with it in its title, then the one with it in its text.
    assert_eq!(kinds[..2], ["plan", "plan"], "{titles:?}");
    assert!(
        found[0][3].ends_with("2024") && found[1][3].ends_with("2023"),
        "{found:?}"
    );
    assert_eq!(titles[2], "Kế hoạch mới của chi bộ");
    assert_eq!(titles[3], "Hiện đại hóa công tác đảng viên");
    // A unit's page before the article naming it.
    let bac_son = index.find("Bắc Sơn");
    assert_eq!(bac_son[0][2], "unit");
    assert_eq!(bac_son[0][1], "don-vi/xa-bac-son/index.html");
    assert_eq!(bac_son[1][0], "Xã Bắc Sơn kết nạp đảng viên mới");
    // A document as the search page shows it.
    let hoa_binh = index.find("hoà bình")[0];
    assert_eq!(
        hoa_binh[1],
        "tin-tuc/hoa-binh-ket-nap-dang-vien-moi/index.html"
    );
    assert_eq!(hoa_binh[2], "article");
    assert_eq!(hoa_binh[3], "02/05/2024");
    assert_eq!(
        hoa_binh[4],
        "Lễ kết nạp diễn ra trang trọng (số liệu minh họa)."
    );
    assert!(
        out.read(&hoa_binh[1])
            .contains("Hoà Bình kết nạp đảng viên mới")
    );
}

#[test]
fn every_file_is_a_call_of_the_search_page_and_nothing_else_is_indexed() {
    let out = site();
    let index = Index::read(&out);
    // Bulletins, plans, units, articles: each once.
    let mut addresses: Vec<&str> = index.docs.iter().map(|d| d[1].as_str()).collect();
    let count = addresses.len();
    addresses.sort_unstable();
    addresses.dedup();
    assert_eq!(addresses.len(), count);
    for a in &addresses {
        assert!(out.files.contains_key(*a), "{a} is not a page");
    }
    // The search page loads the manifest and the script, nothing more.
    let page = out.read("tim-kiem/index.html");
    assert!(page.contains(r#"<script src="../tim-kiem/chi-muc/muc-luc.js" defer></script>"#));
    assert!(page.contains(r#"data-index="../tim-kiem/chi-muc/muc-luc.js""#));
    assert!(!out.files.contains_key("search-index.json"));
    // Only these files are in the index's folder.
    for path in out
        .files
        .keys()
        .filter(|p| p.starts_with("tim-kiem/chi-muc/"))
    {
        let name = &path["tim-kiem/chi-muc/".len()..];
        assert!(
            name == "muc-luc.js"
                || (name.starts_with("tu-") || name.starts_with("bai-")) && name.ends_with(".js"),
            "{path}"
        );
    }
}
