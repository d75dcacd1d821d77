//! Bulletins (bản tin): a news article written from the statistics. This
//! module gathers the facts, formatted; the sentences are in
//! `templates/bulletin_text.html`, so editors can reword them.

use crate::library::Library;
use serde::Serialize;

use super::{
    DocName, Here, Link, PageBuilder, PageName, count, pace_chart, pct, shares_chart, target_text,
    verdict,
};
use crate::model::Field;
use crate::pages;
use crate::render::charts;
use crate::render::{PageOutput, SiteResolver};
use crate::stats::{PeriodStats, Quarter, Ratio, UnitFigures};
use crate::vi;

/// Everything the bulletin's sentences need about one period.
#[derive(Serialize, Clone)]
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
    /// Its amendments in force on the period's last day, cited without
    /// their issuer (the plan's).
    amendments: Vec<DocName>,
    growth: Option<Growth>,
    /// Shares of the new members: women, ethnic minority, youth union.
    shares: Vec<Share>,
    /// Other groups, as counts, only those with someone in them.
    counts: Vec<Share>,
    /// The units at the top by share of quota, active at the period's end,
    /// in groups of equal share (at least three units when there are).
    leaders: Vec<Group>,
    /// The units furthest behind their quota, active at the end, lowest
    /// first, in groups of equal share; none that reached it.
    behind: Vec<Group>,
    /// Units with a quota active at the end that reached it, and how many
    /// such units there are: `7` of `11`.
    reached: Option<Reached>,
    /// Units directly under the organisation active at the period's end.
    units_count: usize,
    /// Units active at the end that admitted no one in the period, in name
    /// order (a dissolved unit is left out).
    no_admission: Vec<Named>,
    all_admitted: bool,
    /// `above`, `equal` or `below` the year's quota.
    share_verdict: Option<&'static str>,
    /// Admissions still needed to reach the year's quota, and the pace each
    /// quarter left needs (none when the year is over).
    remaining: Option<String>,
    pace: Option<String>,
    quarters_left: u8,
    /// Classes held / classes planned for the year.
    classes_share: Option<String>,
    /// Classes held against the year's plan: `above`, `equal`, `below`.
    classes_verdict: Option<&'static str>,
    /// The rate against the target range, as printed: `above`, `within`,
    /// `below`.
    rate_verdict: Option<&'static str>,
    /// Units dissolved in the period, by day, and where their members went.
    dissolutions: Vec<Dissolution>,
    /// Units created in the period, by day and kind.
    creations: Vec<Creation>,
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
}

#[derive(Serialize, Clone)]
struct Growth {
    /// `up`, `down` or `same`.
    direction: &'static str,
    /// `12,3%` (no sign; the direction says it).
    amount: String,
    previous_year: i32,
    previous_admitted: String,
}

#[derive(Serialize, Clone)]
struct Share {
    /// The group: `women`, `ethnic_minority`... (`Field::key`).
    key: &'static str,
    share: String,
    count: String,
}

#[derive(Serialize, Clone)]
struct Leader {
    name: String,
    href: String,
    admitted: String,
    quota: String,
}

/// Units of equal share of quota.
#[derive(Serialize, Clone)]
struct Group {
    share_of_quota: String,
    units: Vec<Leader>,
}

#[derive(Serialize, Clone)]
struct Reached {
    count: usize,
    of: usize,
}

/// A unit's kind (`xa`, `phuong`: `kind` in units.yaml) and how many.
#[derive(Serialize, Clone)]
struct KindCount {
    kind: String,
    count: usize,
}

/// Units dissolved on one day.
#[derive(Serialize, Clone)]
struct Dissolution {
    /// `ngày 30/06/2025`
    date: String,
    units: Vec<Named>,
    kinds: Vec<KindCount>,
    /// The units their members went to (`successors`), in `units.yaml` order.
    successors: Vec<Named>,
    successor_kinds: Vec<KindCount>,
    /// `ngày 01/07/2025`, when every successor began on that day, in the
    /// period (it is then not listed again among the units created).
    successors_from: Option<String>,
    /// Members moved, when every transfer gives its number.
    members: Option<String>,
}

/// Units created on one day.
#[derive(Serialize, Clone)]
struct Creation {
    /// `ngày 01/07/2025`
    date: String,
    units: Vec<Named>,
    kinds: Vec<KindCount>,
}

#[derive(Serialize, Clone)]
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
    let (_, to) = s.period.bounds();
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
    let named = |u: &crate::model::Unit, date: Option<chrono::NaiveDate>| Named {
        name: names.name(u).to_owned(),
        href: unit_link(u),
        date: date.map(vi::date_running),
    };
    let leader = |u: &UnitFigures| Leader {
        name: names.name(u.unit).to_owned(),
        href: unit_link(u.unit),
        admitted: count(u.counts.admitted()),
        quota: u.quota.map(|q| count(q.admissions)).unwrap_or_default(),
    };
    // Among the units directly under the organisation (one level, never a
    // mix, SPEC §2.2) still active at the period's end (`stats::Standing`).
    let standing = &s.standing;
    let listed = |list: &[usize]| groups(list.iter().filter_map(|&i| s.units.get(i)), &leader);
    let no_admission: Vec<Named> = standing
        .no_admission
        .iter()
        .filter_map(|&i| s.units.get(i))
        .map(|u| named(u.unit, None))
        .collect();
    let (dissolutions, creations) = reorganisation(lib, s, &named);
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
        amendments: s
            .amendments
            .iter()
            .map(|p| DocName {
                issuer: None,
                subject: None,
                ..DocName::of_plan(p)
            })
            .collect(),
        growth,
        shares,
        counts: extra_counts,
        leaders: listed(&standing.leaders),
        behind: listed(&standing.behind),
        reached: standing.reached.map(|(count, of)| Reached { count, of }),
        units_count: standing.active.len(),
        all_admitted: s.top.len() > 1 && no_admission.is_empty(),
        no_admission,
        share_verdict: standing.vs_quota.map(|o| verdict(o, "equal")),
        remaining: standing.remaining.map(count),
        pace: standing.pace.map(count),
        quarters_left: standing.quarters_left,
        classes_share: standing.classes_share.map(Ratio::percent),
        classes_verdict: standing.classes_vs_plan.map(|o| verdict(o, "equal")),
        rate_verdict: standing.rate_vs_target.map(|o| verdict(o, "within")),
        dissolutions,
        creations,
        recognized: nonzero(counts.get(Field::Recognized)),
        removed: nonzero(counts.get(Field::Removed)),
        classes_held: nonzero(counts.get(Field::ClassesHeld)),
        trainees: nonzero(counts.get(Field::Trainees)),
        classes_planned: total.classes_planned.filter(|c| *c > 0).map(count),
        members: total.members.map(count),
        members_date: vi::date_running(end),
        admission_rate: total.admission_rate.map(Ratio::percent),
        target: s.plan.and_then(target_text),
    }
}

/// `units` (best first, or worst first) in groups of equal share.
fn groups<'a, 's: 'a>(
    units: impl Iterator<Item = &'a UnitFigures<'s>>,
    leader: &impl Fn(&UnitFigures) -> Leader,
) -> Vec<Group> {
    let mut out: Vec<(Ratio, Vec<Leader>)> = Vec::new();
    for u in units {
        let Some(share) = u.share_of_quota else {
            continue;
        };
        match out.last_mut() {
            Some((last, list)) if last.cmp_exact(share) == std::cmp::Ordering::Equal => {
                list.push(leader(u));
            }
            _ => out.push((share, vec![leader(u)])),
        }
    }
    out.into_iter()
        .map(|(share, units)| Group {
            share_of_quota: share.percent(),
            units,
        })
        .collect()
}

/// The units directly under the organisation dissolved and created in the
/// period, grouped by day, with where the members went.
fn reorganisation(
    lib: &Library,
    s: &PeriodStats,
    named: &impl Fn(&crate::model::Unit, Option<chrono::NaiveDate>) -> Named,
) -> (Vec<Dissolution>, Vec<Creation>) {
    use std::collections::BTreeMap;
    let (from, to) = s.period.bounds();
    let kinds = |units: &[&crate::model::Unit]| -> Vec<KindCount> {
        let mut by_kind: Vec<KindCount> = Vec::new();
        for u in units {
            let kind = u.kind.as_ref().map_or("", |k| k.value.as_str());
            match by_kind.iter_mut().find(|k| k.kind == kind) {
                Some(k) => k.count += 1,
                None => by_kind.push(KindCount {
                    kind: kind.to_owned(),
                    count: 1,
                }),
            }
        }
        // The most numerous kind first.
        by_kind.sort_by_key(|k| std::cmp::Reverse(k.count));
        by_kind
    };
    let mut dissolved: BTreeMap<chrono::NaiveDate, Vec<&crate::model::Unit>> = BTreeMap::new();
    let mut created: BTreeMap<chrono::NaiveDate, Vec<&crate::model::Unit>> = BTreeMap::new();
    for u in s.top_units().map(|u| u.unit) {
        if let Some(d) = u.dissolved().filter(|d| from <= *d && *d <= to) {
            dissolved.entry(d).or_default().push(u);
        }
        if let Some(f) = u.began().filter(|f| from <= *f && *f <= to) {
            created.entry(f).or_default().push(u);
        }
    }
    let site = lib.site;
    let mut told: std::collections::HashSet<String> = std::collections::HashSet::new();
    let dissolutions: Vec<Dissolution> = dissolved
        .into_iter()
        .map(|(date, units)| {
            // Each unit once, in units.yaml order (`check` refuses two
            // units with one id).
            let successors: Vec<&crate::model::Unit> = site
                .units
                .iter()
                .filter(|x| {
                    units
                        .iter()
                        .any(|u| u.successors.iter().any(|t| t.unit.value == x.id.value))
                })
                .collect();
            let transfers: Vec<&crate::model::Successor> =
                units.iter().flat_map(|u| u.successors.iter()).collect();
            let members = (!transfers.is_empty())
                .then(|| {
                    transfers
                        .iter()
                        .map(|t| t.members.as_ref().map(|m| m.value))
                        .sum::<Option<u64>>()
                })
                .flatten()
                .map(count);
            let began = |u: &crate::model::Unit| u.began().filter(|f| from <= *f && *f <= to);
            let first_day = successors.first().and_then(|u| began(u));
            let all_new_on = first_day.filter(|d| successors.iter().all(|u| began(u) == Some(*d)));
            told.extend(
                successors
                    .iter()
                    .filter(|u| began(u).is_some())
                    .map(|u| u.id.value.clone()),
            );
            Dissolution {
                date: vi::date_running(date),
                kinds: kinds(&units),
                units: units.iter().map(|u| named(u, None)).collect(),
                successor_kinds: kinds(&successors),
                successors: successors
                    .iter()
                    .map(|u| named(u, began(u).filter(|_| all_new_on.is_none())))
                    .collect(),
                successors_from: all_new_on.map(vi::date_running),
                members,
            }
        })
        .collect();
    // A unit created in the period and named as a successor is told once.
    let creations = created
        .into_iter()
        .map(|(date, units)| {
            let units: Vec<&crate::model::Unit> = units
                .into_iter()
                .filter(|u| !told.contains(&u.id.value))
                .collect();
            (date, units)
        })
        .filter(|(_, units)| !units.is_empty())
        .map(|(date, units)| Creation {
            date: vi::date_running(date),
            kinds: kinds(&units),
            units: units.iter().map(|u| named(u, None)).collect(),
        })
        .collect();
    (dissolutions, creations)
}

#[derive(Serialize)]
struct BulletinView {
    quarter: Facts,
    /// From January to this quarter (quarters II–IV).
    cumulative: Option<Facts>,
    /// The year so far: `cumulative`, or the quarter itself in quarter I.
    year: Facts,
    /// The term of office so far, when the quarter is in one.
    term: Option<super::terms::TermFacts>,
    editorial: Option<String>,
    /// The quarter's lead photo.
    photo: Option<super::Photo>,
    /// Date of the report: `ngày 05/04/2023`.
    reported: Option<String>,
    chart_shares: Option<charts::SharesChart>,
    chart_pace: Option<charts::PaceChart>,
    statistics: String,
    statistics_year: String,
    csv: String,
    json: String,
    /// The quarter's report document, when the site has `report:`.
    report: Option<String>,
    previous: Option<Link>,
    next: Option<Link>,
}

/// The editors' text of quarter `q`, as HTML.
fn editorial(
    lib: &Library,
    q: Quarter,
    resolver: &SiteResolver,
    out: &mut PageOutput,
) -> Option<String> {
    lib.site
        .editorials
        .iter()
        .find(|e| e.year == q.year && e.quarter == q.q)
        .map(|e| out.markdown(&e.body, e.file, e.body_line, Some(e.year), resolver))
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
    let editorial = editorial(lib, q, resolver, out);
    let position = lib.quarters.iter().position(|x| *x == q);
    let neighbour = |k: Option<usize>| {
        k.and_then(|k| lib.quarters.get(k))
            .map(|p| here.link(vi::capitalize_first(&p.label()), &pages::bulletin(*p)))
    };
    let year_stats = cumulative.unwrap_or(s);
    // `cumulative` is the year so far from quarter II: computed once.
    let year = facts(lib, here, year_stats);
    let stats_url = pages::statistics(q);
    let view = BulletinView {
        quarter: facts(lib, here, s),
        cumulative: cumulative.map(|_| year.clone()),
        year,
        term: lib.term_at(q).map(|t| super::terms::facts(lib, here, t)),
        editorial,
        photo: super::Photo::of(lib, here, q),
        reported: lib.reported(q).map(vi::date_running),
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
        report: site
            .config
            .as_ref()
            .and_then(|c| c.report.as_ref())
            .map(|_| here.href(&pages::report(q))),
        previous: neighbour(position.and_then(|k| k.checked_sub(1))),
        next: neighbour(position.map(|k| k + 1)),
    };
    // The description is the bulletin's first sentence (bulletin.html).
    PageBuilder::new(lib, here, PageName::period("bulletin", q.label()))
        .section("bulletins")
        .crumbs(vec![(PageName::of("bulletins"), pages::bulletins())])
        .article(
            None,
            lib.lead_photo(q)
                .map(|p| lib.absolute(&pages::media(p.image))),
        )
        .news(lib.bulletin_date(q).to_rfc3339(), None)
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

/// What the quarter's report document shows (SPEC §4, "The report
/// document"): the bulletin's facts for its text, the statistics table,
/// and the issuer, date and signature of `report:`.
#[derive(Serialize)]
struct ReportView {
    quarter: Facts,
    year: Facts,
    term: Option<super::terms::TermFacts>,
    /// The editors' text, as HTML.
    editorial: Option<String>,
    /// The date line's date: `ngày 05 tháng 10 năm 2025`; none when the
    /// results give no `reported:` (the office fills it in).
    date_long: Option<String>,
    /// `05/10/2025`.
    date_short: Option<String>,
    superior: Option<String>,
    issuer: String,
    symbol_suffix: String,
    place: String,
    signer: String,
    signer_title: Vec<String>,
    /// `Nơi nhận`, ending with `Lưu VT`.
    recipients: Vec<String>,
    table: super::statistics::TableView,
}

/// The report of quarter `q` (SPEC §4, "The report document"), none
/// without `report:` in site.yaml or results for the quarter.
pub fn report(
    lib: &Library,
    here: &Here,
    q: Quarter,
    resolver: &SiteResolver,
    out: &mut PageOutput,
) -> Option<tera::Context> {
    let config = lib.site.config.as_ref()?.report.as_ref()?;
    let s = lib.quarter(q)?;
    let ytd = (q.q > 1).then(|| lib.cumulative(q)).flatten().unwrap_or(s);
    // "- A," on every line and "- Lưu VT." last: the template adds the
    // punctuation.
    let mut recipients: Vec<String> = config
        .recipients
        .iter()
        .map(|r| r.value.trim_end_matches(['.', ',', ';']).to_owned())
        .collect();
    // The office's own copy closes the list (Hướng dẫn 36-HD/VPTW).
    if !recipients
        .iter()
        .any(|r| vi::fold(r).replace(' ', "").starts_with("luuvt"))
    {
        recipients.push("Lưu VT".to_owned());
    }
    let date = lib.reported(q);
    let view = ReportView {
        quarter: facts(lib, here, s),
        year: facts(lib, here, ytd),
        term: lib.term_at(q).map(|t| super::terms::facts(lib, here, t)),
        editorial: editorial(lib, q, resolver, out),
        date_long: date.map(vi::date_long),
        date_short: date.map(vi::date_short),
        superior: config.superior.as_ref().map(|v| v.value.clone()),
        issuer: config.issuer.value.clone(),
        symbol_suffix: config.symbol_suffix.value.clone(),
        place: config.place.value.clone(),
        signer: config.signer.value.clone(),
        signer_title: config
            .signer_title
            .iter()
            .map(|l| l.value.clone())
            .collect(),
        recipients,
        table: super::statistics::table(lib, here, s, ytd),
    };
    tera::Context::from_serialize(&view).ok()
}
