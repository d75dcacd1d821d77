//! `site.yaml` and `units.yaml`.

use super::read::Reader;
use super::yaml::{Node, Value};
use crate::diagnostic::Code;
use crate::model::{ReportConfig, SiteConfig, Sp, Successor, Term, Unit, Within};
use crate::values;

const SITE_KEYS: &[&str] = &[
    "title",
    "organization",
    "base_url",
    "description",
    "language",
    "data_notice",
    "articles_per_page",
    "terms",
    "logo",
    "report",
];
const REPORT_KEYS: &[&str] = &[
    "superior",
    "issuer",
    "symbol_suffix",
    "place",
    "signer",
    "signer_title",
    "recipients",
];
const TERM_KEYS: &[&str] = &["name", "from", "until", "resolution", "target"];
const TERM_TARGET_KEYS: &[&str] = &["admissions", "admissions_per_year", "admission_rate"];

/// Most terms a site may list: a century of five-year terms.
pub const MAX_TERMS: usize = 20;

/// Articles per list page when `articles_per_page` is not given.
pub const DEFAULT_ARTICLES_PER_PAGE: u64 = 20;

pub fn site_config(r: &mut Reader, root: &Node) -> Option<SiteConfig> {
    let what = "site.yaml";
    let t = r.table(root, what, SITE_KEYS)?;
    let title = r.req_text(&t, "title", what);
    let organization = r.req_text(&t, "organization", what);
    let base_url = r.require(&t, "base_url", what).and_then(|n| base_url(r, n));
    let description = r.opt_text(&t, "description");
    let language = match t.get("language") {
        Some(n) => r.text(n, "language").and_then(|l| {
            if l.value == "vi" {
                Some(l)
            } else {
                r.report(
                    Code::BadValue,
                    n,
                    format!(
                        "ngôn ngữ '{}' chưa được hỗ trợ; bantin viết trang tiếng Việt",
                        l.value
                    ),
                )
                .with_hint("language: vi");
                None
            }
        }),
        None => Some(Sp::new("vi".to_owned(), r.loc(root))),
    };
    let data_notice = r.opt_text(&t, "data_notice");
    let per_page = match t.get("articles_per_page") {
        Some(n) => r
            .int(n, "articles_per_page", 1..=500)
            .map(|v| v.map(|v| v as u64)),
        None => Some(Sp::new(DEFAULT_ARTICLES_PER_PAGE, r.loc(root))),
    };
    let terms = terms(r, t.get("terms"));
    let logo = t
        .get("logo")
        .and_then(|n| super::articles::media_path(r, n, "logo"));
    let report = t.get("report").and_then(|n| report(r, n));
    Some(SiteConfig {
        title: title?,
        organization: organization?,
        base_url: base_url?,
        description,
        language: language?,
        data_notice,
        articles_per_page: per_page?,
        terms,
        logo,
        report,
    })
}

/// Most recipients a report lists, and lines above the signer's name.
const MAX_RECIPIENTS: usize = 50;
const MAX_TITLE_LINES: usize = 4;

/// `report:` (SPEC §4, "The report document").
fn report(r: &mut Reader, node: &Node) -> Option<ReportConfig> {
    let what = "'report'";
    let t = r.table(node, what, REPORT_KEYS)?;
    let superior = r.opt_text(&t, "superior");
    let issuer = r.req_text(&t, "issuer", what);
    let suffix = r
        .require(&t, "symbol_suffix", what)
        .and_then(|n| report_suffix(r, n));
    let place = r.req_text(&t, "place", what);
    let signer = r.req_text(&t, "signer", what);
    let signer_title = r.require(&t, "signer_title", what).map(|n| match &n.value {
        // One line, or several: `K/T TRƯỞNG BAN` then `PHÓ TRƯỞNG BAN`.
        Value::Seq(_) => r.text_list(&t, "signer_title"),
        _ => r.text(n, "signer_title").map_or_else(Vec::new, |s| {
            s.value
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(|l| Sp::new(l.to_owned(), s.loc))
                .collect()
        }),
    });
    let recipients = r.text_list(&t, "recipients");
    for (key, count, max) in [
        ("recipients", recipients.len(), MAX_RECIPIENTS),
        (
            "signer_title",
            signer_title.as_ref().map_or(0, Vec::len),
            MAX_TITLE_LINES,
        ),
    ] {
        if count > max
            && let Some(n) = t.get(key)
        {
            r.report(
                Code::TooLarge,
                n,
                format!("'{key}' có {count} dòng, vượt giới hạn {max} dòng"),
            );
            return None;
        }
    }
    Some(ReportConfig {
        superior,
        issuer: issuer?,
        symbol_suffix: suffix?,
        place: place?,
        signer: signer?,
        signer_title: signer_title.filter(|l| !l.is_empty())?,
        recipients,
    })
}

/// `symbol_suffix`: the symbol of the report without its number,
/// `BC/BTCTU`, a Party symbol of type BC (Hướng dẫn 36-HD/VPTW).
fn report_suffix(r: &mut Reader, node: &Node) -> Option<Sp<String>> {
    let text = r.text(node, "symbol_suffix")?;
    let value = text.value.trim();
    let parsed = crate::vi::symbol::DocSymbol::parse(&format!("1-{value}"));
    let problem = match &parsed {
        Ok(s) if s.form == crate::vi::symbol::SymbolForm::Party && s.kind == "BC" => None,
        Ok(s) if s.form == crate::vi::symbol::SymbolForm::Party => {
            Some(format!("loại văn bản '{}' không phải báo cáo (BC)", s.kind))
        }
        _ => Some("không đúng dạng <loại>/<cơ quan ban hành> của văn bản Đảng".to_owned()),
    };
    match problem {
        None => Some(Sp::new(value.to_owned(), text.loc)),
        Some(p) => {
            r.report(
                Code::BadSymbol,
                node,
                format!(
                    "ký hiệu báo cáo '{}': {p}",
                    super::read::shown(&text.value)
                ),
            )
            .with_hint("viết phần sau số của báo cáo, ví dụ symbol_suffix: BC/BTCTU (số để trống, văn thư điền khi phát hành)");
            None
        }
    }
}

/// `terms:` (SPEC §2.4a). A term without `until` lasts until the day
/// before the next one written begins.
fn terms(r: &mut Reader, node: Option<&Node>) -> Vec<Term> {
    let items = r.items(node, "terms");
    if items.len() > MAX_TERMS {
        if let Some(n) = node {
            r.report(
                Code::TooLarge,
                n,
                format!(
                    "site.yaml có {} nhiệm kỳ, vượt giới hạn {MAX_TERMS} nhiệm kỳ",
                    items.len()
                ),
            );
        }
        return Vec::new();
    }
    let mut list: Vec<Term> = items.iter().filter_map(|n| term(r, n)).collect();
    let starts: Vec<chrono::NaiveDate> = list.iter().map(|t| t.from.value).collect();
    for t in &mut list {
        if t.until.is_none() {
            t.until = starts
                .iter()
                .filter(|s| **s > t.from.value)
                .min()
                .and_then(|s| s.pred_opt())
                .map(|d| Sp::new(d, t.loc));
        }
    }
    list
}

fn term(r: &mut Reader, node: &Node) -> Option<Term> {
    let what = "một nhiệm kỳ";
    let t = r.table(node, what, TERM_KEYS)?;
    let name = r.req_text(&t, "name", what);
    let from = r.req_date(&t, "from", what);
    let until = r.opt_date(&t, "until");
    let resolution = t.get("resolution").and_then(|n| r.symbol(n, "resolution"));
    let (mut admissions, mut per_year, mut rate) = (None, None, None);
    if let Some(n) = t.get("target")
        && let Some(target) = r.table(n, "'target'", TERM_TARGET_KEYS)
    {
        admissions = r.opt_count(&target, "admissions");
        per_year = r.opt_count(&target, "admissions_per_year");
        rate = target
            .get("admission_rate")
            .and_then(|n| r.number(n, "admission_rate", 0.0..=100.0));
    }
    let name = name?;
    let slug = crate::vi::slugify(&name.value);
    let problem = if slug.is_empty() {
        Some("không còn chữ hay số nào để làm đường dẫn")
    } else {
        super::read::slug_problem(&slug)
    };
    if let Some(p) = problem {
        let at = t.get("name").unwrap_or(node);
        r.report(
            Code::BadId,
            at,
            format!(
                "tên nhiệm kỳ '{}' không tạo được đường dẫn: {p}",
                super::read::shown(&name.value)
            ),
        )
        .with_hint("đặt tên theo các năm của nhiệm kỳ, ví dụ name: 2020–2025");
        return None;
    }
    let (from, until) = (from?, until);
    if let Some(u) = &until
        && u.value < from.value
    {
        let at = t.get("until").unwrap_or(node);
        r.report(
            Code::BadValue,
            at,
            format!(
                "nhiệm kỳ kết thúc ngày {} trước ngày bắt đầu {}",
                crate::vi::date_short(u.value),
                crate::vi::date_short(from.value)
            ),
        )
        .with_hint("from: ngày Đại hội; until: ngày cuối cùng của nhiệm kỳ");
        return None;
    }
    Some(Term {
        name,
        slug,
        from,
        until,
        resolution,
        target_admissions: admissions,
        target_per_year: per_year,
        target_rate: rate,
        loc: r.loc(node),
    })
}

/// The address the site is published at, in its normal form (see
/// [`values::base_url`], which `--base-url` goes through too).
fn base_url(r: &mut Reader, node: &Node) -> Option<Sp<String>> {
    let url = r.text(node, "base_url")?;
    r.valid(
        node,
        "base_url",
        Code::BadValue,
        values::base_url(&url.value),
    )
}

const UNIT_KEYS: &[&str] = &[
    "id",
    "name",
    "short_name",
    "kind",
    "parent",
    "active_from",
    "active_until",
    "successors",
];

/// Most units a site may have: a national archive has a few thousand; more
/// is a mistake in the file, and each unit becomes a page.
pub const MAX_UNITS: usize = 10_000;

pub fn units(r: &mut Reader, root: &Node) -> Vec<Unit> {
    let Some(t) = r.table(root, "units.yaml", &["units"]) else {
        return Vec::new();
    };
    let list = r.require(&t, "units", "units.yaml");
    let items = r.items(list, "units");
    if items.len() > MAX_UNITS {
        let at = list.unwrap_or(root);
        r.report(
            Code::TooLarge,
            at,
            format!(
                "units.yaml có {} đơn vị, vượt giới hạn {} đơn vị",
                crate::vi::int(items.len() as i64),
                crate::vi::int(MAX_UNITS as i64)
            ),
        );
        return Vec::new();
    }
    let mut list: Vec<Unit> = items.iter().filter_map(|item| unit(r, item)).collect();
    within_parents(&mut list);
    list
}

/// A sub-unit is active only while its parent is: each unit's dates are
/// narrowed to its parent's, up the chain (`check` reports dates written
/// outside the parent's, and loops).
pub(crate) fn within_parents(units: &mut [Unit]) {
    const MAX_DEPTH: usize = 64;
    let index: std::collections::HashMap<&str, usize> = units
        .iter()
        .enumerate()
        .rev()
        .map(|(i, u)| (u.id.as_str(), i))
        .collect();
    let narrowed: Vec<Within> = (0..units.len())
        .map(|i| {
            let mut within = units[i].within;
            let mut at = i;
            let mut seen = vec![i];
            for _ in 0..MAX_DEPTH {
                let Some(p) = units[at]
                    .parent
                    .as_ref()
                    .and_then(|p| index.get(p.as_str()))
                else {
                    break;
                };
                if seen.contains(p) {
                    // A loop of parents (E309): nothing is inherited.
                    return units[i].within;
                }
                seen.push(*p);
                let own = &units[*p];
                if let Some(f) = own.active_from.as_ref().map(|f| f.value) {
                    within.from = Some(within.from.map_or(f, |w| w.max(f)));
                }
                if let Some(u) = own.active_until.as_ref().map(|u| u.value) {
                    within.until = Some(within.until.map_or(u, |w| w.min(u)));
                }
                at = *p;
            }
            within
        })
        .collect();
    for (u, within) in units.iter_mut().zip(narrowed) {
        u.within = within;
    }
}

fn unit(r: &mut Reader, node: &Node) -> Option<Unit> {
    let what = "một đơn vị";
    let t = r.table(node, what, UNIT_KEYS)?;
    let id = r.req_id(&t, "id", what);
    let name = r.req_text(&t, "name", what);
    let short_name = r.opt_text(&t, "short_name");
    let kind = r.opt_text(&t, "kind");
    let parent = r.opt_id(&t, "parent");
    let active_from = r.opt_date(&t, "active_from");
    let active_until = r.opt_date(&t, "active_until");
    let successors = r.list(&t, "successors", successor);
    if let (Some(from), Some(until), Some(n)) = (&active_from, &active_until, t.get("active_until"))
        && until.value < from.value
    {
        r.report(
            Code::BadDate,
            n,
            "'active_until' (ngày giải thể) ở trước 'active_from' (ngày thành lập)",
        );
    }
    Some(Unit {
        id: id?,
        name: name?,
        short_name,
        kind,
        parent,
        within: Within {
            from: active_from.as_ref().map(|f| f.value),
            until: active_until.as_ref().map(|u| u.value),
        },
        active_from,
        active_until,
        successors,
        loc: r.loc(node),
    })
}

const SUCCESSOR_KEYS: &[&str] = &["unit", "members"];

/// One item of `successors`: a unit's id, or `{unit: <id>, members: <n>}`
/// with the members it received.
fn successor(r: &mut Reader, node: &Node, key: &str) -> Option<Successor> {
    if let Value::Map(_) = node.value {
        let what = "một đơn vị kế thừa";
        let t = r.table(node, what, SUCCESSOR_KEYS)?;
        let unit = r.req_id(&t, "unit", what);
        let members = r.opt_count(&t, "members");
        return Some(Successor {
            unit: unit?,
            members,
        });
    }
    Some(Successor {
        unit: r.id(node, key)?,
        members: None,
    })
}
