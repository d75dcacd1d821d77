//! `plans/<year>-<slug>.yaml`.

use super::read::{Reader, Table};
use super::yaml::Node;
use crate::diagnostic::Code;
use crate::model::{Basis, FileId, Plan, Quota, RateRange, Sp};

const PLAN_KEYS: &[&str] = &[
    "symbol",
    "type",
    "title",
    "issuer",
    "issued",
    "year",
    "bases",
    "target",
    "tasks",
    "quotas",
    "amends",
    "effective",
];
const BASIS_KEYS: &[&str] = &["symbol", "type", "issued", "issuer", "title"];
const QUOTA_KEYS: &[&str] = &["unit", "admissions", "members_base", "classes"];

/// `file_year` is the year the file name starts with, if it does.
pub fn plan(r: &mut Reader, root: &Node, file: FileId, file_year: Option<i32>) -> Option<Plan> {
    let what = "kế hoạch";
    let t = r.table(root, what, PLAN_KEYS)?;
    let symbol = r
        .require(&t, "symbol", what)
        .and_then(|n| r.plan_symbol(n, "symbol"));
    let kind_name = kind_name(r, &t, symbol.as_ref().map(|s| &s.value));
    let title = r.req_text(&t, "title", what);
    // An amending plan inherits its issuer (SPEC §2.3): `load` fills it in.
    let amends = t.get("amends").and_then(|n| r.plan_symbol(n, "amends"));
    let effective = r.opt_date(&t, "effective");
    let issuer = if amends.is_some() {
        Some(
            r.opt_text(&t, "issuer")
                .unwrap_or_else(|| Sp::new(String::new(), r.loc(root))),
        )
    } else {
        r.req_text(&t, "issuer", what)
    };
    let issued = r.req_date(&t, "issued", what);
    let year = r.require(&t, "year", what).and_then(|n| r.year(n, "year"));
    if let (Some(y), Some(fy), Some(n)) = (&year, file_year, t.get("year"))
        && y.value != fy
    {
        r.report(
            Code::PeriodMismatch,
            n,
            format!(
                "kế hoạch cho năm {} nhưng tên tệp bắt đầu bằng {fy}",
                y.value
            ),
        )
        .with_hint(format!("đổi tên tệp thành plans/{}-....yaml", y.value));
    }
    let bases = r
        .items(t.get("bases"), "bases")
        .iter()
        .filter_map(|n| basis(r, n))
        .collect();
    let (target, target_admissions) = t.get("target").map_or((None, None), |n| target(r, n));
    let tasks = r.text_list(&t, "tasks");
    let quotas = r
        .items(t.get("quotas"), "quotas")
        .iter()
        .filter_map(|n| quota(r, n))
        .collect();
    Some(Plan {
        symbol: symbol?,
        kind_name: kind_name?,
        title: title?,
        issuer: issuer?,
        issued: issued?,
        year: year?,
        bases,
        target,
        target_admissions,
        tasks,
        quotas,
        amends,
        effective,
        file,
    })
}

/// The type name written, or the one the symbol's abbreviation stands for.
fn kind_name(
    r: &mut Reader,
    t: &Table,
    symbol: Option<&crate::vi::DocSymbol>,
) -> Option<Sp<String>> {
    let written = r.opt_text(t, "type");
    let derived = symbol.and_then(|s| s.type_name());
    match (written, symbol) {
        (Some(w), Some(s)) => {
            if let (Some(d), Some(n)) = (derived, t.get("type"))
                && crate::vi::fold(d) != crate::vi::fold(&w.value)
            {
                r.report(
                    Code::Suspicious,
                    n,
                    format!(
                        "loại văn bản '{}' khác với ký hiệu {} ({d})",
                        w.value, s.kind
                    ),
                );
            }
            Some(w)
        }
        (Some(w), None) => Some(w),
        (None, Some(s)) => match derived {
            Some(d) => Some(Sp::new(d.to_owned(), r.loc(t.node))),
            None => {
                let node = t.get("symbol").unwrap_or(t.node);
                r.report(
                    Code::BadSymbol,
                    node,
                    format!("không biết loại văn bản của ký hiệu '{}'", s.kind),
                )
                .with_hint("ghi rõ loại văn bản, ví dụ type: Kế hoạch");
                None
            }
        },
        (None, None) => None,
    }
}

fn basis(r: &mut Reader, node: &Node) -> Option<Basis> {
    let what = "một văn bản căn cứ";
    let t = r.table(node, what, BASIS_KEYS)?;
    let symbol = r.req_symbol(&t, "symbol", what)?;
    let kind_name = r
        .opt_text(&t, "type")
        .map(|s| s.value)
        .or_else(|| symbol.type_name().map(str::to_owned));
    Some(Basis {
        kind_name,
        issued: r.opt_date(&t, "issued"),
        issuer: r.opt_text(&t, "issuer"),
        title: r.opt_text(&t, "title"),
        symbol,
        loc: r.loc(node),
    })
}

/// `target:`: the admission rate (`admission_rate: {min, max}`) and the
/// organisation's own count (`admissions`), each optional.
fn target(r: &mut Reader, node: &Node) -> (Option<Sp<RateRange>>, Option<Sp<u64>>) {
    let Some(t) = r.table(node, "'target'", &["admissions", "admission_rate"]) else {
        return (None, None);
    };
    let admissions = r.opt_count(&t, "admissions");
    (t.get("admission_rate").and_then(|n| rate(r, n)), admissions)
}

fn rate(r: &mut Reader, rate: &Node) -> Option<Sp<RateRange>> {
    let rt = r.table(rate, "'admission_rate'", &["min", "max"])?;
    let min = r
        .require(&rt, "min", "'admission_rate'")
        .and_then(|n| r.number(n, "min", 0.0..=100.0));
    let max = r
        .require(&rt, "max", "'admission_rate'")
        .and_then(|n| r.number(n, "max", 0.0..=100.0));
    let (min, max) = (min?, max?);
    if max.value < min.value {
        r.report(Code::BadValue, rate, "'max' nhỏ hơn 'min'");
        return None;
    }
    Some(Sp::new(
        RateRange {
            min: min.value,
            max: max.value,
        },
        r.loc(rate),
    ))
}

fn quota(r: &mut Reader, node: &Node) -> Option<Quota> {
    let what = "một chỉ tiêu";
    let t = r.table(node, what, QUOTA_KEYS)?;
    let unit = r
        .require(&t, "unit", what)
        .and_then(|n| r.unit_ref(n, "unit"));
    let admissions = r.req_count(&t, "admissions", what);
    let members_base = r.opt_count(&t, "members_base");
    let classes = r.opt_count(&t, "classes");
    Some(Quota {
        unit: unit?,
        admissions: admissions?,
        members_base,
        classes,
        loc: r.loc(node),
    })
}
