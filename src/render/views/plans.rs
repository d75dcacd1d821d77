//! Plans (`/ke-hoach/`): the document as issued, and its progress so far.

use crate::library::Library;
use serde::Serialize;

use super::{
    DocLink, DocName, Here, Note, PageBuilder, PageName, count, opt_count, pace_chart, pct,
    target_text,
};
use crate::model::Plan;
use crate::pages;
use crate::render::charts;
use crate::render::{PageOutput, SiteResolver};
use crate::stats::Ratio;
use crate::vi;

#[derive(Serialize)]
struct Basis {
    /// `Chương trình số 30-CTr/TU, ngày 15/11/2022 của ... thực hiện ...`
    doc: DocName,
    /// The basis's page, when the site has that plan.
    href: Option<String>,
}

#[derive(Serialize)]
struct QuotaRow {
    name: String,
    href: String,
    admissions: String,
    members_base: String,
    /// admissions / members_base
    rate: String,
    classes: String,
    note: Option<Note>,
}

#[derive(Serialize)]
struct Progress {
    label: String,
    href: String,
    admitted: String,
    cumulative: String,
    share_of_quota: String,
}

/// One version of a plan: the plan as first issued, or an amendment and
/// the day it takes effect.
#[derive(Serialize)]
struct Version {
    link: DocLink,
    effective: Option<String>,
    /// The page's own plan.
    current: bool,
}

#[derive(Serialize)]
struct PlanView {
    symbol: String,
    kind_name: String,
    /// `về kết nạp đảng viên năm 2023`
    subject: String,
    issuer: String,
    /// `ngày 31 tháng 01 năm 2023`
    issued_long: String,
    issued: String,
    year: i32,
    /// Members are counted at 31/12 of this year.
    previous_year: i32,
    doc: DocName,
    bases: Vec<Basis>,
    /// The plan as first issued and its amendments, when it has any.
    versions: Vec<Version>,
    /// The plan as first issued, when this one amends it.
    amends: Option<DocLink>,
    /// `01/07/2025`: when this amendment takes effect.
    effective: Option<String>,
    target: Option<String>,
    /// `2.200`: the organisation's own target count.
    target_admissions: Option<String>,
    /// Rendered Markdown, each starting with `(1)`, `(2)`...
    tasks: Vec<String>,
    quotas: Vec<QuotaRow>,
    quota_total: Option<QuotaRow>,
    progress: Vec<Progress>,
    chart_pace: Option<charts::PaceChart>,
    statistics_year: Option<String>,
}

pub fn plan(
    lib: &Library,
    here: &Here,
    p: &Plan,
    resolver: &SiteResolver,
    out: &mut PageOutput,
) -> Option<(&'static str, tera::Context)> {
    let site = lib.site;
    let unit = |id: &str| site.units.iter().find(|u| u.id.value == id);
    let bases = p
        .bases
        .iter()
        .map(|b| {
            let doc = DocName {
                kind_name: b.kind_name.clone(),
                symbol: b.symbol.value.to_string(),
                issued: b.issued.as_ref().map(|d| vi::date_running(d.value)),
                issuer: b.issuer.as_ref().map(|w| w.value.clone()),
                subject: b.title.as_ref().map(|t| t.value.clone()),
            };
            let href = resolver
                .plan(
                    &b.symbol.value,
                    b.issued.as_ref().map(|d| d.value),
                    Some(p.year.value),
                )
                .map(|u| here.href(&u));
            Basis { doc, href }
        })
        .collect();
    let tasks = p
        .tasks
        .iter()
        .enumerate()
        .map(|(k, t)| {
            // The number goes inside the first paragraph, as printed plans have it.
            let numbered = format!("({}) {}", k + 1, t.value);
            let line = t.loc.line;
            out.markdown(&numbered, p.file, line, Some(p.year.value), resolver)
        })
        .collect();
    let (jan1, dec31) = crate::stats::Period::cumulative(p.year.value, 4).bounds();
    let names = lib.names_among(p.quotas.iter().filter_map(|q| unit(&q.unit)));
    let quotas: Vec<QuotaRow> = p
        .quotas
        .iter()
        .map(|q| {
            let u = unit(&q.unit);
            let note = match u.and_then(|u| u.dissolved()) {
                Some(d) if d < jan1 => Some(Note::new("dissolved_before", None)),
                Some(d) if d <= dec31 => Some(Note::new("until", Some(d))),
                _ => match u.and_then(|u| u.began()) {
                    Some(f) if jan1 < f && f <= dec31 => Some(Note::new("from", Some(f))),
                    _ => None,
                },
            };
            QuotaRow {
                name: u.map_or_else(|| q.unit.value.clone(), |u| names.short(u).to_owned()),
                href: here.href(&pages::unit(&q.unit)),
                admissions: count(q.admissions.value),
                members_base: opt_count(q.members_base.as_ref().map(|b| b.value)),
                rate: pct(q
                    .members_base
                    .as_ref()
                    .and_then(|b| Ratio::new(q.admissions.value as i64, b.value as i64))),
                classes: opt_count(q.classes.as_ref().map(|c| c.value)),
                note,
            }
        })
        .collect();
    let year = p.year.value;
    // Figures are measured against the plan as first issued with its
    // amendments in force: every version's page shows them.
    let (root, amendments) = lib.plan_family(p);
    let root_plan = lib.site.plans.get(root);
    let of_family = |sp: &Plan| root_plan.is_some_and(|r| std::ptr::eq(sp, r));
    let ytd = lib
        .year_to_date(year)
        .filter(|s| s.plan.is_some_and(of_family));
    // The units' quotas add up to this; the organisation's own target, when
    // the plan sets one, is in `target_admissions`.
    let units_quota = lib
        .site
        .plans
        .iter()
        .position(|x| std::ptr::eq(x, p))
        .and_then(|i| lib.plan_quotas.get(i).copied());
    // An amendment's quotas are a few units': no total of its own.
    let quota_total = ytd.filter(|_| p.amends.is_none()).map(|s| QuotaRow {
        name: String::new(),
        href: String::new(),
        admissions: opt_count(units_quota),
        members_base: opt_count(s.total.members_base),
        rate: pct(s
            .total
            .quota
            .zip(s.total.members_base)
            .and_then(|(q, b)| Ratio::new(q as i64, b as i64))),
        classes: opt_count(s.total.classes_planned),
        note: None,
    });
    let progress = lib
        .quarters
        .iter()
        .filter(|q| q.year == year)
        .filter_map(|q| {
            let quarter = lib.quarter(*q)?;
            let cumulative = lib.cumulative(*q).unwrap_or(quarter);
            if !cumulative.plan.is_some_and(of_family) {
                return None;
            }
            Some(Progress {
                label: vi::capitalize_first(&q.label()),
                href: here.href(&pages::bulletin(*q)),
                admitted: count(quarter.total.counts.admitted()),
                cumulative: count(cumulative.total.counts.admitted()),
                share_of_quota: pct(cumulative.total.share_of_quota),
            })
        })
        .collect::<Vec<_>>();
    let has_progress = !progress.is_empty();
    let view = PlanView {
        symbol: p.symbol.to_string(),
        kind_name: p.kind_name.value.clone(),
        subject: p.title.value.clone(),
        issuer: p.issuer.value.clone(),
        issued_long: vi::date_long(p.issued.value),
        issued: vi::date_short(p.issued.value),
        year,
        previous_year: year - 1,
        doc: DocName::of_plan(p),
        bases,
        versions: root_plan
            .into_iter()
            .chain(amendments.iter().copied())
            .filter(|_| !amendments.is_empty())
            .map(|v| Version {
                link: DocLink::plan(here, v),
                effective: v.amends.as_ref().map(|_| vi::date_short(v.in_force_from())),
                current: std::ptr::eq(v, p),
            })
            .collect(),
        amends: p
            .amends
            .as_ref()
            .and(root_plan)
            .filter(|r| !std::ptr::eq(*r, p))
            .map(|r| DocLink::plan(here, r)),
        effective: p.amends.as_ref().map(|_| vi::date_short(p.in_force_from())),
        target: target_text(p),
        target_admissions: p.target_admissions.as_ref().map(|t| count(t.value)),
        tasks,
        quotas,
        quota_total,
        progress,
        chart_pace: if has_progress {
            pace_chart(lib, year)
        } else {
            None
        },
        statistics_year: has_progress.then(|| here.href(&pages::statistics_year(year))),
    };
    let page = PageName {
        doc: Some(DocName::of_plan(p)),
        ..PageName::of("plan")
    };
    // The description is the plan's citation (plan.html).
    PageBuilder::new(lib, here, page)
        .section("plans")
        .crumbs(vec![(PageName::of("plans"), pages::plans())])
        .finish("plan.html", view)
}

pub fn index(lib: &Library, here: &Here) -> Option<(&'static str, tera::Context)> {
    #[derive(Serialize)]
    struct Item {
        year: i32,
        link: DocLink,
        issued: String,
        quota: String,
        progress: Option<Progress>,
        /// The plan it amends and the day it takes effect, for an
        /// amendment (which has no year's quota of its own).
        amends: Option<DocLink>,
        effective: Option<String>,
    }
    /// The year so far: `9 tháng đầu năm 2023`, admitted, share of quota.
    #[derive(Serialize)]
    struct Progress {
        period: String,
        admitted: String,
        share_of_quota: String,
    }
    #[derive(Serialize)]
    struct Index {
        plans: Vec<Item>,
    }
    let plans = lib
        .site
        .plans
        .iter()
        .zip(&lib.plan_quotas)
        .rev()
        .map(|(p, quota)| {
            let ytd = lib
                .year_to_date(p.year.value)
                .filter(|s| s.plan.is_some_and(|sp| std::ptr::eq(sp, p)));
            Item {
                year: p.year.value,
                link: DocLink::plan(here, p),
                issued: vi::date_short(p.issued.value),
                quota: count(p.target_admissions.as_ref().map_or(*quota, |t| t.value)),
                progress: ytd.map(|s| Progress {
                    period: vi::capitalize_first(&s.period.label()),
                    admitted: count(s.total.counts.admitted()),
                    share_of_quota: pct(s.total.share_of_quota),
                }),
                amends: p
                    .amends
                    .as_ref()
                    .and_then(|_| lib.site.plans.get(lib.plan_family(p).0))
                    .filter(|r| !std::ptr::eq(*r, p))
                    .map(|r| DocLink::plan(here, r)),
                effective: p.amends.as_ref().map(|_| vi::date_short(p.in_force_from())),
            }
        })
        .collect();
    PageBuilder::new(lib, here, PageName::of("plans"))
        .section("plans")
        .crumbs(Vec::new())
        .finish("plans.html", Index { plans })
}
