//! Terms of office (nhiệm kỳ, SPEC §2.4a): the term's page, and the facts
//! of the term so far that bulletins and the home page put in a sentence
//! (`term_sentence` in `templates/bulletin_text.html`).

use serde::Serialize;

use super::{DocName, Here, Link, PageBuilder, PageName, count, pct, verdict};
use crate::library::Library;
use crate::model::Term;
use crate::pages;
use crate::stats::{Quarter, Ratio, TermFigures, TermStats, TermUnit};
use crate::vi;

/// The term so far, formatted.
#[derive(Serialize)]
pub struct TermFacts {
    /// `2020–2025`
    name: String,
    href: String,
    /// Who "toàn ..." refers to.
    organization: String,
    /// `quý IV/2020`, and the quarter it is seen from.
    first: String,
    last: String,
    /// The term's last quarter is reached.
    ended: bool,
    /// Years and months the counted quarters make: 4 and 9 for 19 quarters.
    years: u64,
    months: u64,
    /// Quarters of the term so far without results.
    missing: usize,
    admitted: String,
    target_admissions: Option<String>,
    share_of_target: Option<String>,
    /// `above`, `equal`, `below` the term's target.
    share_verdict: Option<&'static str>,
    /// Admitted in a year, on average, rounded to a whole number.
    per_year: Option<String>,
    target_per_year: Option<String>,
    per_year_of_target: Option<String>,
    /// `above`, `equal`, `below` the target per year.
    per_year_verdict: Option<&'static str>,
    /// `2,6%`: the yearly rate on average.
    rate: Option<String>,
    /// `2,5%`
    target_rate: Option<String>,
    rate_verdict: Option<&'static str>,
}

/// `per_year` rounded to a whole number of members, half up.
fn whole(r: Ratio) -> String {
    vi::decimal(r.num, r.den, 0).unwrap_or_default()
}

pub fn facts(lib: &Library, here: &Here, t: &TermStats) -> TermFacts {
    let term = t.term;
    let total = &t.total;
    let months = total.quarters as u64 * 3;
    TermFacts {
        name: term.name.value.clone(),
        href: here.href(&pages::term(&term.slug)),
        organization: lib.organization.clone(),
        first: t.quarters.first().map(|q| q.label()).unwrap_or_default(),
        last: t.quarters.last().map(|q| q.label()).unwrap_or_default(),
        ended: t.ended,
        years: months / 12,
        months: months % 12,
        missing: t.missing().count(),
        admitted: count(total.admitted),
        target_admissions: term.target_admissions.as_ref().map(|v| count(v.value)),
        share_of_target: total.share_of_target.map(Ratio::percent),
        share_verdict: term
            .target_admissions
            .as_ref()
            .map(|v| verdict(total.admitted.cmp(&v.value), "equal")),
        per_year: total.per_year.map(whole),
        target_per_year: term.target_per_year.as_ref().map(|v| count(v.value)),
        per_year_of_target: total.per_year_of_target.map(Ratio::percent),
        per_year_verdict: total.per_year_vs_target.map(|o| verdict(o, "equal")),
        rate: total.rate.map(Ratio::percent),
        target_rate: term
            .target_rate
            .as_ref()
            .map(|v| format!("{}%", vi::number_f64(v.value))),
        rate_verdict: total.rate_vs_target.map(|o| verdict(o, "equal")),
    }
}

/// A row of the table of units.
#[derive(Serialize)]
struct UnitRow {
    name: String,
    href: String,
    /// `quý IV/2020 – quý II/2025`
    first: String,
    last: String,
    admitted: String,
    /// Averages only over a year or more of figures.
    per_year: String,
    rate: String,
    /// Its sub-units' rows, in `units.yaml` order.
    children: Vec<UnitRow>,
}

#[derive(Serialize)]
struct YearRow {
    year: i32,
    /// `quý IV`, or `cả năm`...: the quarters counted, as labels.
    quarters: Vec<String>,
    whole_year: bool,
    admitted: String,
    members_base: String,
    rate: String,
}

#[derive(Serialize)]
struct TermPage {
    name: String,
    /// `ngày 15/10/2020`
    from: String,
    until: Option<String>,
    resolution: Option<DocName>,
    target_admissions: Option<String>,
    target_per_year: Option<String>,
    target_rate: Option<String>,
    facts: Option<TermFacts>,
    /// Runs of quarters without results: `{first, last}` labels (`last`
    /// only for a run of more than one).
    missing: Vec<Run>,
    years: Vec<YearRow>,
    total_rate: String,
    units: Vec<UnitRow>,
    /// Every term, in date order.
    terms: Vec<TermLink>,
}

#[derive(Serialize)]
struct Run {
    first: String,
    last: Option<String>,
}

/// Consecutive quarters as runs.
fn runs(quarters: impl Iterator<Item = Quarter>) -> Vec<Run> {
    let mut spans: Vec<(Quarter, Quarter)> = Vec::new();
    for q in quarters {
        match spans.last_mut() {
            Some((_, last)) if last.next() == q => *last = q,
            _ => spans.push((q, q)),
        }
    }
    spans
        .into_iter()
        .map(|(a, b)| Run {
            first: a.label(),
            last: (a != b).then(|| b.label()),
        })
        .collect()
}

#[derive(Serialize)]
pub struct TermLink {
    name: String,
    href: String,
    current: bool,
}

/// Terms in date order, as links.
pub fn links(lib: &Library, here: &Here, current: Option<usize>) -> Vec<TermLink> {
    let terms = lib.site.terms();
    let mut order: Vec<usize> = (0..terms.len()).collect();
    order.sort_by_key(|&i| terms[i].from.value);
    order
        .into_iter()
        .map(|i| TermLink {
            name: terms[i].name.value.clone(),
            href: here.href(&pages::term(&terms[i].slug)),
            current: Some(i) == current,
        })
        .collect()
}

fn unit_row(
    here: &Here,
    names: &crate::library::ListNames,
    t: &TermStats,
    u: &TermUnit,
    depth: usize,
) -> UnitRow {
    let f: &TermFigures = &u.figures;
    let label = |q: Option<Quarter>| q.map(|q| q.label()).unwrap_or_default();
    UnitRow {
        name: names.name(u.unit).to_owned(),
        href: here.href(&pages::unit(&u.unit.id)),
        first: label(u.first),
        last: label(u.last),
        admitted: count(f.admitted),
        per_year: f.per_year.map_or_else(|| "—".to_owned(), whole),
        rate: pct(f.rate),
        children: if depth < 16 {
            t.children_of(u)
                .map(|c| unit_row(here, names, t, c, depth + 1))
                .collect()
        } else {
            Vec::new()
        },
    }
}

pub fn term(lib: &Library, here: &Here, i: usize) -> Option<(&'static str, tera::Context)> {
    let term: &Term = lib.site.terms().get(i)?;
    let t = lib.terms.get(i).and_then(Option::as_ref);
    let names = lib.names_among(t.iter().flat_map(|t| t.units.iter().map(|u| u.unit)));
    let years = t.map_or_else(Vec::new, |t| {
        t.years
            .iter()
            .map(|y| YearRow {
                year: y.year,
                quarters: y
                    .reported
                    .iter()
                    .filter_map(|q| vi::roman(q.q))
                    .map(str::to_owned)
                    .collect(),
                whole_year: y.reported.len() == 4,
                admitted: count(y.admitted),
                members_base: y.members_base.map_or_else(|| "—".to_owned(), count),
                rate: pct(y.rate),
            })
            .collect()
    });
    let view = TermPage {
        name: term.name.value.clone(),
        from: vi::date_running(term.from.value),
        until: term.until.as_ref().map(|u| vi::date_running(u.value)),
        resolution: term.resolution.as_ref().map(|r| DocName {
            kind_name: r.value.type_name().map(str::to_owned),
            symbol: r.value.to_string(),
            ..DocName::default()
        }),
        target_admissions: term.target_admissions.as_ref().map(|v| count(v.value)),
        target_per_year: term.target_per_year.as_ref().map(|v| count(v.value)),
        target_rate: term
            .target_rate
            .as_ref()
            .map(|v| format!("{}%", vi::number_f64(v.value))),
        facts: t.map(|t| facts(lib, here, t)),
        missing: t.map_or_else(Vec::new, |t| runs(t.missing())),
        years,
        total_rate: pct(t.and_then(|t| t.total.rate)),
        units: t.map_or_else(Vec::new, |t| {
            t.top_units()
                .map(|u| unit_row(here, &names, t, u, 0))
                .collect()
        }),
        terms: links(lib, here, Some(i)),
    };
    PageBuilder::new(lib, here, PageName::named("term", term.name.value.clone()))
        .section("term")
        .crumbs(Vec::new())
        .finish("term.html", view)
}

/// The current term's link for the navigation.
pub fn current(lib: &Library, here: &Here) -> Option<Link> {
    let i = lib.current_term?;
    let t = lib.site.terms().get(i)?;
    Some(here.link(t.name.value.clone(), &pages::term(&t.slug)))
}
