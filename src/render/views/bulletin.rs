//! Bulletins (bản tin): a news article written from the statistics. This
//! module gathers the facts, formatted; the sentences are in
//! `templates/bulletin_text.html`, so editors can reword them.

use crate::library::Library;
use serde::Serialize;

use super::{
    DocName, Here, Link, PageBuilder, PageName, count, pace_chart, pct, shares_chart, target_text,
};
use crate::model::Field;
use crate::pages;
use crate::render::charts;
use crate::render::{PageOutput, SiteResolver};
use crate::stats::{PeriodStats, Quarter, Ratio};
use crate::vi;

/// Everything the bulletin's sentences need about one period.
#[derive(Serialize)]
pub struct Facts {
    /// `quý I/2023`, `6 tháng đầu năm 2023`, `năm 2023`.
    label: String,
    /// The same, capitalised to open a sentence.
    label_cap: String,
    /// A single quarter (else cumulative from January).
    is_quarter: bool,
    /// The whole year (cumulative to the fourth quarter).
    is_year: bool,
    /// Every quarter of the period has results.
    complete: bool,
    year: i32,
    /// Who "toàn ..." refers to (`organization` in site.yaml).
    organization: String,
    admitted: String,
    admitted_none: bool,
    quota: Option<String>,
    share_of_quota: Option<String>,
    /// The plan, cited as `citation` in labels.html writes it.
    plan: Option<DocName>,
    plan_href: Option<String>,
    growth: Option<Growth>,
    /// Shares of the new members: women, ethnic minority, youth union.
    shares: Vec<Share>,
    /// Other groups, as counts, only those with someone in them.
    counts: Vec<Share>,
    /// The first units by share of quota (at most three).
    leaders: Vec<Leader>,
    units_count: usize,
    /// Units that admitted no one, in name order.
    no_admission: Vec<Named>,
    all_admitted: bool,
    recognized: Option<String>,
    removed: Option<String>,
    classes_held: Option<String>,
    trainees: Option<String>,
    classes_planned: Option<String>,
    members: Option<String>,
    /// `ngày 31/03/2023`: the date `members` is counted on.
    members_date: String,
    /// Admitted / members at 31/12 of the previous year.
    admission_rate: Option<String>,
    /// The plan's target for the year, `3–4%`.
    target: Option<String>,
    /// Units that ended or began during the period.
    dissolved: Vec<Named>,
    created: Vec<Named>,
}

#[derive(Serialize)]
struct Growth {
    /// `up`, `down` or `same`.
    direction: &'static str,
    /// `12,3%` (no sign; the direction says it).
    amount: String,
    previous_year: i32,
    previous_admitted: String,
}

#[derive(Serialize)]
struct Share {
    /// The group: `women`, `ethnic_minority`... (`Field::key`).
    key: &'static str,
    share: String,
    count: String,
}

#[derive(Serialize)]
struct Leader {
    name: String,
    href: String,
    admitted: String,
    share_of_quota: String,
}

#[derive(Serialize)]
struct Named {
    name: String,
    href: String,
    /// `ngày 31/01/2025` for units that ended or began in the period.
    date: Option<String>,
}

/// The facts of one period's statistics.
pub fn facts(lib: &Library, here: &Here, s: &PeriodStats) -> Facts {
    let total = &s.total;
    let counts = &total.counts;
    let admitted = counts.admitted();
    let names = lib.names_among(s.units.iter().map(|u| u.unit));
    let (from, to) = s.period.bounds();
    let end = s.reported.last().map_or(to, |q| q.bounds().1);
    let nonzero = |n: u64| (n > 0).then(|| count(n));
    let growth = total
        .growth
        .zip(total.previous_admitted)
        .map(|(g, before)| Growth {
            direction: match g.num.signum() {
                1 => "up",
                -1 => "down",
                _ => "same",
            },
            amount: Ratio {
                num: g.num.abs(),
                den: g.den,
            }
            .percent(),
            previous_year: s.period.year - 1,
            previous_admitted: count(before),
        });
    let share = |field: Field| Share {
        key: field.key(),
        share: pct(counts.share_of_admitted(field)),
        count: count(counts.get(field)),
    };
    let shares = if admitted > 0 {
        vec![
            share(Field::Women),
            share(Field::EthnicMinority),
            share(Field::YouthUnion),
        ]
    } else {
        Vec::new()
    };
    let extra_counts = [Field::Religious, Field::Students, Field::PrivateSector]
        .into_iter()
        .filter(|f| counts.get(*f) > 0)
        .map(share)
        .collect();
    let unit_link = |u: &crate::model::Unit| here.href(&pages::unit(&u.id));
    // Among the units directly under the organisation: one level, never a
    // mix (SPEC §2.2).
    let leaders = if s.top.len() > 1 {
        s.ranked()
            .filter(|u| u.counts.admitted() > 0)
            .take(3)
            .map(|u| Leader {
                name: names.name(u.unit).to_owned(),
                href: unit_link(u.unit),
                admitted: count(u.counts.admitted()),
                share_of_quota: pct(u.share_of_quota),
            })
            .collect()
    } else {
        Vec::new()
    };
    let no_admission: Vec<Named> = s
        .without_admission()
        .map(|u| Named {
            name: names.name(u.unit).to_owned(),
            href: unit_link(u.unit),
            date: u
                .unit
                .dissolved()
                .filter(|d| *d < end)
                .map(vi::date_running),
        })
        .collect();
    let mut dissolved = Vec::new();
    let mut created = Vec::new();
    for u in s.top_units().map(|u| u.unit) {
        if let Some(d) = u.dissolved().filter(|d| from <= *d && *d <= to) {
            dissolved.push(Named {
                name: names.name(u).to_owned(),
                href: unit_link(u),
                date: Some(vi::date_running(d)),
            });
        }
        if let Some(f) = u.began().filter(|f| from <= *f && *f <= to) {
            created.push(Named {
                name: names.name(u).to_owned(),
                href: unit_link(u),
                date: Some(vi::date_running(f)),
            });
        }
    }
    Facts {
        label: s.period.label(),
        label_cap: vi::capitalize_first(&s.period.label()),
        is_quarter: s.period.is_single_quarter(),
        is_year: !s.period.is_single_quarter() && s.period.last == 4,
        complete: s.complete,
        year: s.period.year,
        organization: lib.organization.clone(),
        admitted: count(admitted),
        admitted_none: admitted == 0,
        quota: total.quota.filter(|q| *q > 0).map(count),
        share_of_quota: total.share_of_quota.map(Ratio::percent),
        plan: s.plan.map(DocName::of_plan),
        plan_href: s
            .plan
            .map(|p| here.href(&pages::plan(&p.symbol, p.year.value))),
        growth,
        shares,
        counts: extra_counts,
        leaders,
        units_count: s.top.len(),
        all_admitted: s.top.len() > 1 && no_admission.is_empty(),
        no_admission,
        recognized: nonzero(counts.get(Field::Recognized)),
        removed: nonzero(counts.get(Field::Removed)),
        classes_held: nonzero(counts.get(Field::ClassesHeld)),
        trainees: nonzero(counts.get(Field::Trainees)),
        classes_planned: total.classes_planned.filter(|c| *c > 0).map(count),
        members: total.members.map(count),
        members_date: vi::date_running(end),
        admission_rate: total.admission_rate.map(Ratio::percent),
        target: s.plan.and_then(target_text),
        dissolved,
        created,
    }
}

#[derive(Serialize)]
struct BulletinView {
    quarter: Facts,
    /// From January to this quarter (quarters II–IV).
    cumulative: Option<Facts>,
    /// The term of office so far, when the quarter is in one.
    term: Option<super::terms::TermFacts>,
    editorial: Option<String>,
    /// Date of the report: `ngày 05/04/2023`.
    reported: Option<String>,
    chart_shares: Option<charts::SharesChart>,
    chart_pace: Option<charts::PaceChart>,
    statistics: String,
    statistics_year: String,
    csv: String,
    json: String,
    previous: Option<Link>,
    next: Option<Link>,
}

pub fn bulletin(
    lib: &Library,
    here: &Here,
    q: Quarter,
    resolver: &SiteResolver,
    out: &mut PageOutput,
) -> Option<(&'static str, tera::Context)> {
    let s = lib.quarter(q)?;
    let cumulative = (q.q > 1).then(|| lib.cumulative(q)).flatten();
    let site = lib.site;
    let editorial = site
        .editorials
        .iter()
        .find(|e| e.year == q.year && e.quarter == q.q)
        .map(|e| out.markdown(&e.body, e.file, 1, Some(e.year), resolver));
    let position = lib.quarters.iter().position(|x| *x == q);
    let neighbour = |k: Option<usize>| {
        k.and_then(|k| lib.quarters.get(k))
            .map(|p| here.link(vi::capitalize_first(&p.label()), &pages::bulletin(*p)))
    };
    let year_stats = cumulative.unwrap_or(s);
    let stats_url = pages::statistics(q);
    let view = BulletinView {
        quarter: facts(lib, here, s),
        cumulative: cumulative.map(|c| facts(lib, here, c)),
        term: lib.term_at(q).map(|t| super::terms::facts(lib, here, t)),
        editorial,
        reported: site
            .reports
            .iter()
            .find(|r| r.year.value == q.year && r.quarter.value == q.q)
            .and_then(|r| r.reported.as_ref())
            .map(|d| vi::date_running(d.value)),
        chart_shares: shares_chart(
            &lib.names_among(year_stats.units.iter().map(|u| u.unit)),
            year_stats,
            &year_stats.ranking,
        ),
        chart_pace: pace_chart(lib, q.year),
        statistics: here.href(&stats_url),
        statistics_year: here.href(&pages::statistics_year(q.year)),
        csv: here.href(&pages::data(&stats_url, pages::CSV)),
        json: here.href(&pages::data(&stats_url, pages::JSON)),
        previous: neighbour(position.and_then(|k| k.checked_sub(1))),
        next: neighbour(position.map(|k| k + 1)),
    };
    // The description is the bulletin's first sentence (bulletin.html).
    PageBuilder::new(lib, here, PageName::period("bulletin", q.label()))
        .section("bulletins")
        .crumbs(vec![(PageName::of("bulletins"), pages::bulletins())])
        .article(None, None)
        .finish("bulletin.html", view)
}

#[derive(Serialize)]
struct IndexItem {
    label: String,
    href: String,
    admitted: String,
    share_of_quota: String,
}

#[derive(Serialize)]
struct IndexYear {
    year: i32,
    items: Vec<IndexItem>,
}

pub fn index(lib: &Library, here: &Here) -> Option<(&'static str, tera::Context)> {
    #[derive(Serialize)]
    struct Index {
        years: Vec<IndexYear>,
    }
    let mut years: Vec<IndexYear> = Vec::new();
    for q in lib.quarters.iter().rev() {
        let Some(s) = lib.quarter(*q) else { continue };
        let item = IndexItem {
            label: vi::capitalize_first(&q.label()),
            href: here.href(&pages::bulletin(*q)),
            admitted: count(s.total.counts.admitted()),
            share_of_quota: pct(s.total.share_of_quota),
        };
        match years.last_mut() {
            Some(y) if y.year == q.year => y.items.push(item),
            _ => years.push(IndexYear {
                year: q.year,
                items: vec![item],
            }),
        }
    }
    PageBuilder::new(lib, here, PageName::of("bulletins"))
        .section("bulletins")
        .crumbs(Vec::new())
        .finish("bulletins.html", Index { years })
}
