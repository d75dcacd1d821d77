//! Statistics pages (`/thong-ke/`): one table row per unit in `units.yaml`
//! order, totals, ranking and charts; the same figures as `so-lieu.csv` and
//! `so-lieu.json` beside each page.

use crate::library::{Library, ListNames};
use serde::Serialize;

use super::{
    DocLink, Here, Link, Note, PageBuilder, PageName, count, opt_count, pace_chart, pct,
    shares_chart,
};
use crate::model::{Field, Unit};
use crate::pages;
use crate::publish::{Content, OutFile};
use crate::render::Words;
use crate::render::charts;
use crate::stats::{Counts, PeriodStats, Quarter, Ratio, UnitFigures};
use crate::vi;

/// One row's figures, unformatted: the page, CSV and JSON all show these.
#[derive(Default)]
struct RowData<'s> {
    /// `None` for the totals row.
    unit: Option<&'s Unit>,
    /// The row of the unit above, for the data files.
    parent: Option<&'s Unit>,
    note: Option<Note>,
    quota: Option<u64>,
    /// In the page's own period; `None` when the unit was not active in it.
    counts: Option<Counts>,
    /// From January to the end of the period.
    cumulative: Option<u64>,
    share_of_quota: Option<Ratio>,
    admission_rate: Option<Ratio>,
    members: Option<u64>,
    /// Its sub-units' rows (SPEC §2.2: its figures include theirs).
    children: Vec<RowData<'s>>,
}

const COMPOSITION: [Field; 6] = Field::OF_WHOM;
const ACTIVITY: [Field; 4] = [
    Field::Recognized,
    Field::Removed,
    Field::ClassesHeld,
    Field::Trainees,
];

/// Rows for a period's table: the units `among` (indices into
/// `year_so_far.units`: every unit active since January, so the rows add up
/// to the totals), each with its sub-units nested, figures of `period`.
fn rows<'s>(
    period: &PeriodStats<'s>,
    year_so_far: &PeriodStats<'s>,
    among: &[usize],
) -> Vec<RowData<'s>> {
    among
        .iter()
        .filter_map(|&i| year_so_far.units.get(i))
        .map(|ytd| row_of(period, year_so_far, ytd, 0))
        .collect()
}

/// Deeper levels than this are not nested further in a table.
const MAX_NESTING: usize = 16;

fn row_of<'s>(
    period: &PeriodStats<'s>,
    year_so_far: &PeriodStats<'s>,
    ytd: &UnitFigures<'s>,
    depth: usize,
) -> RowData<'s> {
    let end = period.period.bounds().1;
    let own: Option<&UnitFigures> = period.unit(&ytd.unit.id);
    let note = match ytd.unit.dissolved() {
        Some(d) if d < end => Some(Note::new("dissolved", Some(d))),
        _ => match ytd.unit.began() {
            Some(f) if period.period.bounds().0 < f && f <= end => {
                Some(Note::new("created", Some(f)))
            }
            _ => None,
        },
    };
    RowData {
        unit: Some(ytd.unit),
        parent: ytd
            .parent
            .and_then(|p| year_so_far.units.get(p))
            .map(|p| p.unit),
        note,
        quota: ytd.quota.map(|q| q.admissions),
        counts: own.map(|u| u.counts),
        cumulative: Some(ytd.counts.admitted()),
        share_of_quota: ytd.share_of_quota,
        admission_rate: ytd.admission_rate,
        members: own.and_then(|u| u.members),
        children: if depth < MAX_NESTING {
            year_so_far
                .children_of(ytd)
                .map(|c| row_of(period, year_so_far, c, depth + 1))
                .collect()
        } else {
            Vec::new()
        },
    }
}

/// The totals row of the organisation.
fn total_row<'s>(period: &PeriodStats<'s>, year_so_far: &PeriodStats<'s>) -> RowData<'s> {
    RowData {
        quota: year_so_far.total.quota,
        counts: Some(period.total.counts),
        cumulative: Some(year_so_far.total.counts.admitted()),
        share_of_quota: year_so_far.total.share_of_quota,
        admission_rate: year_so_far.total.admission_rate,
        members: period.total.members,
        ..RowData::default()
    }
}

/// Rows in the order the data files list them: each unit, then its
/// sub-units.
fn flatten<'a, 's>(rows: &'a [RowData<'s>], out: &mut Vec<&'a RowData<'s>>) {
    for r in rows {
        out.push(r);
        flatten(&r.children, out);
    }
}

#[derive(Serialize)]
struct Row {
    index: usize,
    id: String,
    name: String,
    full_name: String,
    href: String,
    note: Option<Note>,
    quota: String,
    admitted: String,
    cumulative: String,
    share_of_quota: String,
    admission_rate: String,
    #[serde(flatten)]
    breakdown: Breakdown<String>,
    members: String,
    /// The element id of its sub-units' table on this page.
    anchor: String,
    /// Where its sub-units' table is: on this page, or on its own.
    sub_href: String,
    /// Its sub-units' rows, numbered from 1.
    children: Vec<Row>,
}

/// A row's figures besides the admissions, one `T` each, named as the
/// page's variables and the JSON's keys are, in the order of the data files.
#[derive(Serialize)]
struct Breakdown<T> {
    #[serde(flatten)]
    of_whom: OfWhom<T>,
    recognized: T,
    removed: T,
    classes_held: T,
    trainees: T,
}

impl<T> Breakdown<T> {
    /// Each figure as `figure` makes it from its field.
    fn of(mut figure: impl FnMut(Field) -> T) -> Breakdown<T> {
        Breakdown {
            of_whom: OfWhom::of(&mut figure),
            recognized: figure(Field::Recognized),
            removed: figure(Field::Removed),
            classes_held: figure(Field::ClassesHeld),
            trainees: figure(Field::Trainees),
        }
    }
}

/// Something about each group of the new members ("trong đó": women,
/// ethnic minorities...), in the order of [`Field::OF_WHOM`].
#[derive(Serialize)]
struct OfWhom<T> {
    women: T,
    ethnic_minority: T,
    religious: T,
    youth_union: T,
    students: T,
    private_sector: T,
}

impl<T> OfWhom<T> {
    /// Each group's `T` as `figure` makes it from its field.
    fn of(mut figure: impl FnMut(Field) -> T) -> OfWhom<T> {
        OfWhom {
            women: figure(Field::Women),
            ethnic_minority: figure(Field::EthnicMinority),
            religious: figure(Field::Religious),
            youth_union: figure(Field::YouthUnion),
            students: figure(Field::Students),
            private_sector: figure(Field::PrivateSector),
        }
    }
}

/// Where a row's sub-units are shown.
#[derive(Clone, Copy, PartialEq)]
enum SubUnits {
    /// Below the table, on the same page (a statistics page).
    Here,
    /// On the unit's own page.
    OwnPage,
}

fn display(names: &ListNames, here: &Here, index: usize, r: &RowData, sub: SubUnits) -> Row {
    let anchor = r
        .unit
        .map_or_else(String::new, |u| pages::sub_units_anchor(&u.id));
    let sub_href = match (sub, r.unit) {
        (SubUnits::Here, Some(_)) => format!("#{anchor}"),
        (SubUnits::OwnPage, Some(u)) => {
            format!("{}#{}", here.href(&pages::unit(&u.id)), pages::SUB_UNITS)
        }
        (_, None) => String::new(),
    };
    let get = |f: Field| r.counts.map_or_else(|| "—".to_owned(), |c| count(c.get(f)));
    Row {
        index,
        id: r.unit.map_or_else(String::new, |u| u.id.value.clone()),
        name: r
            .unit
            .map_or_else(String::new, |u| names.short(u).to_owned()),
        full_name: r
            .unit
            .map_or_else(String::new, |u| names.name(u).to_owned()),
        href: r
            .unit
            .map_or_else(String::new, |u| here.href(&pages::unit(&u.id))),
        note: r.note.clone(),
        quota: opt_count(r.quota),
        admitted: get(Field::Admitted),
        cumulative: opt_count(r.cumulative),
        share_of_quota: pct(r.share_of_quota),
        admission_rate: pct(r.admission_rate),
        breakdown: Breakdown::of(get),
        members: opt_count(r.members),
        anchor,
        sub_href,
        children: r
            .children
            .iter()
            .enumerate()
            .map(|(k, c)| display(names, here, k + 1, c, sub))
            .collect(),
    }
}

/// The units a long ranking leaves out: ranks `from` to `to`.
#[derive(Serialize)]
struct RankingGap {
    count: String,
    from: String,
    to: String,
}

#[derive(Serialize)]
struct Ranked {
    /// `1`, `2.980`
    rank: String,
    name: String,
    href: String,
    admitted: String,
    quota: String,
    share_of_quota: String,
}

#[derive(Serialize)]
pub(super) struct TableView {
    /// `quý I/2023` or `9 tháng đầu năm 2023`.
    period: String,
    period_cap: String,
    year: i32,
    /// A quarter's page (else the year so far).
    is_quarter: bool,
    /// The period of the cumulative column: `6 tháng đầu năm 2023`.
    cumulative_period: String,
    complete: bool,
    missing: Vec<String>,
    plan: Option<DocLink>,
    /// The plan's amendments in force on the period's last day.
    amendments: Vec<Amendment>,
    rows: Vec<Row>,
    /// Some row has sub-units.
    has_sub_units: bool,
    total: Row,
    /// Shares of the new members for the totals row.
    total_shares: Vec<GroupShare>,
    /// The ranking; above [`RANKING_ALL`] units, its first and last
    /// [`RANKING_ENDS`] with the units left out between.
    ranking: Vec<Ranked>,
    ranking_gap: Option<RankingGap>,
    ranking_tail: Vec<Ranked>,
    chart_shares: Option<charts::SharesChart>,
    chart_pace: Option<charts::PaceChart>,
    csv: String,
    json: String,
    bulletin: Option<String>,
    quarters: Vec<QuarterLink>,
    year_page: String,
}

/// An amending plan and the day it takes effect (`01/07/2025`).
#[derive(Serialize)]
struct Amendment {
    link: DocLink,
    effective: String,
}

/// A group's share of the new members: `women`, `46,1%`.
#[derive(Serialize)]
struct GroupShare {
    key: &'static str,
    share: String,
}

#[derive(Serialize)]
struct QuarterLink {
    label: String,
    href: String,
    current: bool,
}

/// The table of a unit's sub-units for one period, on the unit's own page
/// (SPEC §2.2): the same columns as the statistics pages, the unit's own
/// figures as the last row, and the chart of their shares of quota.
#[derive(Serialize)]
pub struct SubUnitTable {
    /// `Quý I/2025`, `9 tháng đầu năm 2025`.
    label: String,
    period: String,
    is_quarter: bool,
    cumulative_period: String,
    rows: Vec<Row>,
    total: Row,
    chart: Option<charts::SharesChart>,
}

/// The table of unit `id`'s sub-units in `period` (`year_so_far`: from
/// January to its end), if it has sub-units that count in it.
pub fn sub_unit_table(
    lib: &Library,
    here: &Here,
    period: &PeriodStats,
    year_so_far: &PeriodStats,
    id: &str,
) -> Option<SubUnitTable> {
    let u = year_so_far.unit(id)?;
    if u.children.is_empty() {
        return None;
    }
    let names = lib.names_among(year_so_far.units.iter().map(|u| u.unit));
    let rows = rows(period, year_so_far, &u.children);
    let whole = row_of(period, year_so_far, u, MAX_NESTING);
    let label = period.period.label();
    Some(SubUnitTable {
        label: vi::capitalize_first(&label),
        period: label,
        is_quarter: period.period.is_single_quarter(),
        cumulative_period: year_so_far.period.label(),
        rows: rows
            .iter()
            .enumerate()
            .map(|(k, r)| display(&names, here, k + 1, r, SubUnits::OwnPage))
            .collect(),
        total: display(&names, here, 0, &whole, SubUnits::OwnPage),
        chart: shares_chart(&names, year_so_far, &year_so_far.rank(&u.children)),
    })
}

/// Units ranked in full on a statistics page; a longer ranking (a country's
/// thousands of units) shows its ends, and every unit's share is in the
/// results table and the data files.
const RANKING_ALL: usize = 100;
/// Units shown at each end of a longer ranking.
const RANKING_ENDS: usize = 20;

/// The head, the units left out and the tail.
fn ranking_ends(mut ranking: Vec<Ranked>) -> (Vec<Ranked>, Option<RankingGap>, Vec<Ranked>) {
    if ranking.len() <= RANKING_ALL {
        return (ranking, None, Vec::new());
    }
    let tail = ranking.split_off(ranking.len() - RANKING_ENDS);
    let skipped = ranking.len() - RANKING_ENDS;
    ranking.truncate(RANKING_ENDS);
    let gap = RankingGap {
        count: count(skipped as u64),
        from: count((RANKING_ENDS + 1) as u64),
        to: count((RANKING_ENDS + skipped) as u64),
    };
    (ranking, Some(gap), tail)
}

/// The ranking of `ranked` (indices into `s.units`), for a table.
fn ranking(names: &ListNames, here: &Here, s: &PeriodStats, ranked: &[usize]) -> Vec<Ranked> {
    ranked
        .iter()
        .filter_map(|&i| s.units.get(i))
        .enumerate()
        .map(|(k, u)| Ranked {
            rank: count((k + 1) as u64),
            name: names.short(u.unit).to_owned(),
            href: here.href(&pages::unit(&u.unit.id)),
            admitted: count(u.counts.admitted()),
            quota: opt_count(u.quota.map(|q| q.admissions)),
            share_of_quota: pct(u.share_of_quota),
        })
        .collect()
}

pub(super) fn table(
    lib: &Library,
    here: &Here,
    period: &PeriodStats,
    year_so_far: &PeriodStats,
) -> TableView {
    let rows = rows(period, year_so_far, &year_so_far.top);
    let total = total_row(period, year_so_far);
    let names = lib.names_among(year_so_far.units.iter().map(|u| u.unit));
    let (ranking, ranking_gap, ranking_tail) =
        ranking_ends(ranking(&names, here, year_so_far, &year_so_far.ranking));
    let is_quarter = period.period.is_single_quarter();
    let counts = period.total.counts;
    let total_shares = COMPOSITION
        .into_iter()
        .map(|f| GroupShare {
            key: f.key(),
            share: pct(counts.share_of_admitted(f)),
        })
        .collect();
    let missing = period
        .period
        .quarters()
        .filter(|q| !period.reported.contains(q))
        .map(Quarter::label)
        .collect();
    let url = if is_quarter {
        Quarter::new(period.period.year, period.period.first).map(pages::statistics)
    } else {
        None
    }
    .unwrap_or_else(|| pages::statistics_year(period.period.year));
    let year = period.period.year;
    TableView {
        period: period.period.label(),
        period_cap: vi::capitalize_first(&period.period.label()),
        year,
        is_quarter,
        cumulative_period: year_so_far.period.label(),
        complete: period.complete,
        missing,
        plan: period.plan.map(|p| DocLink::plan(here, p)),
        amendments: year_so_far
            .amendments
            .iter()
            .map(|a| Amendment {
                link: DocLink::plan(here, a),
                effective: vi::date_short(a.in_force_from()),
            })
            .collect(),
        rows: rows
            .iter()
            .enumerate()
            .map(|(k, r)| display(&names, here, k + 1, r, SubUnits::Here))
            .collect(),
        has_sub_units: rows.iter().any(|r| !r.children.is_empty()),
        total: display(&names, here, 0, &total, SubUnits::Here),
        total_shares,
        ranking,
        ranking_gap,
        ranking_tail,
        chart_shares: shares_chart(&names, year_so_far, &year_so_far.ranking),
        chart_pace: pace_chart(lib, year),
        csv: here.href(&pages::data(&url, pages::CSV)),
        json: here.href(&pages::data(&url, pages::JSON)),
        bulletin: is_quarter
            .then(|| Quarter::new(year, period.period.first))
            .flatten()
            .map(|q| here.href(&pages::bulletin(q))),
        quarters: lib
            .quarters
            .iter()
            .filter(|q| q.year == year)
            .map(|q| QuarterLink {
                label: vi::capitalize_first(&q.label()),
                href: here.href(&pages::statistics(*q)),
                current: is_quarter && q.q == period.period.first,
            })
            .collect(),
        year_page: here.href(&pages::statistics_year(year)),
    }
}

pub fn quarter(lib: &Library, here: &Here, q: Quarter) -> Option<(&'static str, tera::Context)> {
    let period = lib.quarter(q)?;
    let ytd = lib.cumulative(q).unwrap_or(period);
    let view = table(lib, here, period, ytd);
    let year_page = PageName {
        year: Some(q.year),
        ..PageName::of("statistics_year")
    };
    PageBuilder::new(lib, here, PageName::period("statistics", q.label()))
        .section("statistics")
        .crumbs(vec![
            (PageName::of("statistics_index"), pages::statistics_index()),
            (year_page, pages::statistics_year(q.year)),
        ])
        .finish("statistics.html", view)
}

pub fn year(lib: &Library, here: &Here, year: i32) -> Option<(&'static str, tera::Context)> {
    let ytd = lib.year_to_date(year)?;
    let view = table(lib, here, ytd, ytd);
    let page = PageName {
        year: Some(year),
        ..PageName::period("statistics_year", ytd.period.label())
    };
    PageBuilder::new(lib, here, page)
        .section("statistics")
        .crumbs(vec![(
            PageName::of("statistics_index"),
            pages::statistics_index(),
        )])
        .finish("statistics.html", view)
}

pub fn index(lib: &Library, here: &Here) -> Option<(&'static str, tera::Context)> {
    #[derive(Serialize)]
    struct Year {
        year: i32,
        label: String,
        href: String,
        admitted: String,
        share_of_quota: String,
        quarters: Vec<Link>,
    }
    #[derive(Serialize)]
    struct Index {
        years: Vec<Year>,
    }
    let mut years: Vec<i32> = lib.quarters.iter().map(|q| q.year).collect();
    years.dedup();
    let view = Index {
        years: years
            .into_iter()
            .rev()
            .filter_map(|year| {
                let ytd = lib.year_to_date(year)?;
                Some(Year {
                    year,
                    label: vi::capitalize_first(&ytd.period.label()),
                    href: here.href(&pages::statistics_year(year)),
                    admitted: count(ytd.total.counts.admitted()),
                    share_of_quota: pct(ytd.total.share_of_quota),
                    quarters: lib
                        .quarters
                        .iter()
                        .filter(|q| q.year == year)
                        .map(|q| {
                            here.link(vi::capitalize_first(&q.label()), &pages::statistics(*q))
                        })
                        .collect(),
                })
            })
            .collect(),
    };
    PageBuilder::new(lib, here, PageName::of("statistics_index"))
        .section("statistics")
        .crumbs(Vec::new())
        .finish("statistics_index.html", view)
}

/// `so-lieu.csv` and `so-lieu.json` for every statistics page; their words
/// (column names, notes, the totals row) come from `templates/labels.html`.
pub fn data_files(lib: &Library, words: &Words) -> Result<Vec<OutFile>, tera::Error> {
    let header = CSV_COLUMNS
        .iter()
        .map(|key| words.label(key))
        .collect::<Result<Vec<String>, _>>()?;
    let total_name = words.label("total")?;
    let parent_header = words.label("parent")?;
    let mut out = Vec::new();
    let mut years: Vec<i32> = lib.quarters.iter().map(|q| q.year).collect();
    years.dedup();
    let mut pages_with_data: Vec<(String, &PeriodStats, &PeriodStats)> = Vec::new();
    for q in &lib.quarters {
        if let (Some(p), Some(ytd)) = (
            lib.quarter(*q),
            lib.cumulative(*q).or_else(|| lib.quarter(*q)),
        ) {
            pages_with_data.push((pages::statistics(*q), p, ytd));
        }
    }
    for year in years {
        if let Some(ytd) = lib.year_to_date(year) {
            pages_with_data.push((pages::statistics_year(year), ytd, ytd));
        }
    }
    for (url, period, ytd) in pages_with_data {
        let tree = rows(period, ytd, &ytd.top);
        let total = total_row(period, ytd);
        let mut rows = Vec::new();
        flatten(&tree, &mut rows);
        let list = lib.names_among(ytd.units.iter().map(|u| u.unit));
        let named = |r: &RowData| -> Result<Named, tera::Error> {
            Ok(Named {
                short: r
                    .unit
                    .map_or_else(|| total_name.clone(), |u| list.short(u).to_owned()),
                full: r
                    .unit
                    .map_or_else(|| total_name.clone(), |u| list.name(u).to_owned()),
                note: r.note.as_ref().map(|n| words.note(n)).transpose()?,
            })
        };
        let names = rows
            .iter()
            .copied()
            .chain(std::iter::once(&total))
            .map(named)
            .collect::<Result<Vec<Named>, _>>()?;
        out.push(OutFile {
            path: pages::data_file(&url, pages::CSV),
            content: Content::Bytes(csv(&header, &parent_header, &rows, &total, &names)),
        });
        out.push(OutFile {
            path: pages::data_file(&url, pages::JSON),
            content: Content::Bytes(json_file(period, ytd, &rows, &total, &names)),
        });
    }
    Ok(out)
}

/// A row's names as the data files write them.
struct Named {
    short: String,
    full: String,
    note: Option<String>,
}

/// The columns of `so-lieu.csv`, as keys of `label` in labels.html.
const CSV_COLUMNS: [&str; 20] = [
    "id",
    "unit",
    "note",
    "quota",
    "admitted",
    "cumulative",
    "share_of_quota",
    "admission_rate",
    "women",
    "ethnic_minority",
    "religious",
    "youth_union",
    "students",
    "private_sector",
    "recognized",
    "removed",
    "classes_held",
    "trainees",
    "members",
    "full_name",
];

/// Text a spreadsheet would take for a formula (`= + - @`, tab, carriage
/// return) gets a leading `'`.
fn guard(text: &str) -> std::borrow::Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}").into()
    } else {
        text.into()
    }
}

/// A percentage in a CSV cell: one decimal, a dot (machine-readable).
fn percent_cell(r: Option<Ratio>) -> String {
    r.and_then(Ratio::percent_number)
        .map_or_else(String::new, |v| format!("{v:.1}"))
}

fn csv(
    header: &[String],
    parent_header: &str,
    rows: &[&RowData],
    total: &RowData,
    names: &[Named],
) -> Vec<u8> {
    // A byte-order mark, so spreadsheet programs read the file as UTF-8.
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer("\u{FEFF}".as_bytes().to_vec());
    let mut write = |record: Vec<String>| {
        // Writing into memory cannot fail.
        let _ = writer.write_record(record.iter().map(|c| guard(c).into_owned()));
    };
    // The level of each row, when the site has levels (SPEC §2.2).
    let levels = rows.iter().any(|r| r.parent.is_some());
    let mut header = header.to_vec();
    if levels {
        header.insert(1, parent_header.to_owned());
    }
    write(header);
    for (r, named) in rows
        .iter()
        .copied()
        .chain(std::iter::once(total))
        .zip(names)
    {
        let num = |v: Option<u64>| v.map_or_else(String::new, |v| v.to_string());
        let get = |f: Field| num(r.counts.map(|c| c.get(f)));
        let mut cells = vec![r.unit.map_or_else(String::new, |u| u.id.value.clone())];
        if levels {
            cells.push(r.parent.map_or_else(String::new, |p| p.id.value.clone()));
        }
        cells.extend([
            named.short.clone(),
            named.note.clone().unwrap_or_default(),
            num(r.quota),
            get(Field::Admitted),
            num(r.cumulative),
            percent_cell(r.share_of_quota),
            percent_cell(r.admission_rate),
        ]);
        cells.extend(COMPOSITION.iter().map(|f| get(*f)));
        cells.extend(ACTIVITY.iter().map(|f| get(*f)));
        cells.push(num(r.members));
        cells.push(named.full.clone());
        write(cells);
    }
    writer.into_inner().unwrap_or_default()
}

/// `so-lieu.json`: the page's period, its plan, one entry per unit and the
/// totals. Percentages are numbers with one decimal; counts are `null`
/// where the unit was not active.
#[derive(Serialize)]
struct DataFile<'a> {
    period: PeriodJson,
    plan: Option<PlanJson<'a>>,
    units: Vec<RowJson>,
    total: TotalJson,
}

#[derive(Serialize)]
struct PeriodJson {
    label: String,
    year: i32,
    first_quarter: u8,
    last_quarter: u8,
    complete: bool,
    quarters_reported: Vec<u8>,
}

#[derive(Serialize)]
struct PlanJson<'a> {
    symbol: String,
    year: i32,
    #[serde(rename = "type")]
    kind: &'a str,
    title: &'a str,
    issuer: &'a str,
    issued: String,
}

#[derive(Serialize)]
struct RowJson {
    id: Option<String>,
    /// The unit above, when there are levels.
    #[serde(skip_serializing_if = "Option::is_none")]
    parent: Option<String>,
    name: String,
    short_name: String,
    note: String,
    quota: Option<u64>,
    admitted: Option<u64>,
    #[serde(flatten)]
    breakdown: Breakdown<Option<u64>>,
    cumulative_admitted: Option<u64>,
    share_of_quota_percent: Option<f64>,
    admission_rate_percent: Option<f64>,
    members: Option<u64>,
}

#[derive(Serialize)]
struct TotalJson {
    #[serde(flatten)]
    row: RowJson,
    members_base: Option<u64>,
    growth_percent: Option<f64>,
    previous_year_admitted: Option<u64>,
    shares_percent: OfWhom<Option<f64>>,
}

fn percent(v: Option<Ratio>) -> Option<f64> {
    v.and_then(Ratio::percent_number)
}

fn row_json(r: &RowData, named: &Named) -> RowJson {
    let get = |f: Field| r.counts.map(|c| c.get(f));
    RowJson {
        id: r.unit.map(|u| u.id.value.clone()),
        parent: r.parent.map(|p| p.id.value.clone()),
        name: named.full.clone(),
        short_name: named.short.clone(),
        note: named.note.clone().unwrap_or_default(),
        quota: r.quota,
        admitted: get(Field::Admitted),
        breakdown: Breakdown::of(get),
        cumulative_admitted: r.cumulative,
        share_of_quota_percent: percent(r.share_of_quota),
        admission_rate_percent: percent(r.admission_rate),
        members: r.members,
    }
}

fn json_file(
    period: &PeriodStats,
    ytd: &PeriodStats,
    rows: &[&RowData],
    total: &RowData,
    names: &[Named],
) -> Vec<u8> {
    let share = |f: Field| percent(period.total.counts.share_of_admitted(f));
    let total_named = names.last();
    let doc = DataFile {
        period: PeriodJson {
            label: period.period.label(),
            year: period.period.year,
            first_quarter: period.period.first,
            last_quarter: period.period.last,
            complete: period.complete,
            quarters_reported: period.reported.iter().map(|q| q.q).collect(),
        },
        plan: period.plan.map(|p| PlanJson {
            symbol: p.symbol.to_string(),
            year: p.year.value,
            kind: &p.kind_name.value,
            title: &p.title.value,
            issuer: &p.issuer.value,
            issued: p.issued.value.to_string(),
        }),
        units: rows
            .iter()
            .zip(names)
            .map(|(r, n)| row_json(r, n))
            .collect(),
        total: TotalJson {
            row: total_named.map_or_else(
                || {
                    row_json(
                        total,
                        &Named {
                            short: String::new(),
                            full: String::new(),
                            note: None,
                        },
                    )
                },
                |n| row_json(total, n),
            ),
            members_base: ytd.total.members_base,
            growth_percent: percent(period.total.growth),
            previous_year_admitted: period.total.previous_admitted,
            shares_percent: OfWhom::of(share),
        },
    };
    // Compact: a national archive's quarter is 3.000 rows.
    let mut bytes = serde_json::to_vec(&doc).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_ranking_keeps_its_ends() {
        let ranked = |n: usize| -> Vec<Ranked> {
            (1..=n)
                .map(|k| Ranked {
                    rank: k.to_string(),
                    name: String::new(),
                    href: String::new(),
                    admitted: String::new(),
                    quota: String::new(),
                    share_of_quota: String::new(),
                })
                .collect()
        };
        let (head, gap, tail) = ranking_ends(ranked(100));
        assert_eq!((head.len(), gap.is_none(), tail.len()), (100, true, 0));
        // 2.979 units: 1–20, then 2.939 left out (21 to 2.959), then the
        // last 20 (2.960–2.979).
        let (head, gap, tail) = ranking_ends(ranked(2_979));
        let gap = gap.unwrap_or_else(|| panic!("no gap"));
        assert_eq!(
            (gap.count.as_str(), gap.from.as_str(), gap.to.as_str()),
            ("2.939", "21", "2.959")
        );
        assert_eq!((head.len(), head[19].rank.as_str()), (20, "20"));
        assert_eq!((tail.len(), tail[0].rank.as_str()), (20, "2960"));
    }

    fn cells(record: &[&str]) -> String {
        let header: Vec<String> = record.iter().map(|s| (*s).to_owned()).collect();
        let bytes = csv(&header, "", &[], &RowData::default(), &[]);
        String::from_utf8(bytes).unwrap_or_default()
    }

    #[test]
    fn csv_cells_cannot_become_formulas() {
        assert_eq!(
            cells(&[
                "=HYPERLINK(\"x\")",
                "+1",
                "-1",
                "@SUM(A1)",
                "Ngân Sơn",
                "a, b"
            ]),
            "\u{FEFF}\"'=HYPERLINK(\"\"x\"\")\",'+1,'-1,'@SUM(A1),Ngân Sơn,\"a, b\"\r\n"
        );
    }
}
