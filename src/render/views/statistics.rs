//! Statistics pages (`/thong-ke/`): one table row per unit in `units.yaml`
//! order, totals, ranking and charts; the same figures as `so-lieu.csv` and
//! `so-lieu.json` beside each page.

use crate::library::Library;
use serde::Serialize;
use serde_json::{Value, json};

use super::{Here, Link, PageBuilder, count, opt_count, pace_chart, pct, plan_citation, shares_chart};
use crate::model::{Field, Unit};
use crate::pages;
use crate::publish::{Content, OutFile};
use crate::render::charts;
use crate::stats::{Counts, PeriodStats, Quarter, Ratio, UnitFigures};
use crate::vi;

/// One row's figures, unformatted: the page, CSV and JSON all show these.
struct RowData<'s> {
    unit: Option<&'s Unit>,
    label: String,
    note: String,
    quota: Option<u64>,
    /// In the page's own period; `None` when the unit was not active in it.
    counts: Option<Counts>,
    /// From January to the end of the period.
    cumulative: Option<u64>,
    share_of_quota: Option<Ratio>,
    admission_rate: Option<Ratio>,
    members: Option<u64>,
}

const COMPOSITION: [Field; 6] = Field::OF_WHOM;
const ACTIVITY: [Field; 4] = [
    Field::Recognized,
    Field::Removed,
    Field::ClassesHeld,
    Field::Trainees,
];

/// Rows for a period's page: the units of `year_so_far` (every unit active
/// since January, so the rows add up to the totals), figures of `period`.
fn rows<'s>(
    period: &PeriodStats<'s>,
    year_so_far: &PeriodStats<'s>,
) -> (Vec<RowData<'s>>, RowData<'s>) {
    let end = period.period.bounds().1;
    let mut rows = Vec::with_capacity(year_so_far.units.len());
    for ytd in &year_so_far.units {
        let own: Option<&UnitFigures> = period.unit(&ytd.unit.id);
        let note = match ytd.unit.dissolved() {
            Some(d) if d < end => format!("giải thể {}", vi::date_short(d)),
            _ => match ytd.unit.active_from.as_ref().map(|f| f.value) {
                Some(f) if period.period.bounds().0 < f && f <= end => {
                    format!("thành lập {}", vi::date_short(f))
                }
                _ => String::new(),
            },
        };
        rows.push(RowData {
            unit: Some(ytd.unit),
            label: ytd.unit.short().to_owned(),
            note,
            quota: ytd.quota.map(|q| q.admissions.value),
            counts: own.map(|u| u.counts),
            cumulative: Some(ytd.counts.admitted()),
            share_of_quota: ytd.share_of_quota,
            admission_rate: ytd.admission_rate,
            members: own.and_then(|u| u.members),
        });
    }
    let total = RowData {
        unit: None,
        label: "Toàn đảng bộ".to_owned(),
        note: String::new(),
        quota: year_so_far.total.quota,
        counts: Some(period.total.counts),
        cumulative: Some(year_so_far.total.counts.admitted()),
        share_of_quota: year_so_far.total.share_of_quota,
        admission_rate: year_so_far.total.admission_rate,
        members: period.total.members,
    };
    (rows, total)
}

#[derive(Serialize)]
struct Row {
    index: usize,
    id: String,
    name: String,
    full_name: String,
    href: String,
    note: String,
    quota: String,
    admitted: String,
    cumulative: String,
    share_of_quota: String,
    admission_rate: String,
    women: String,
    ethnic_minority: String,
    religious: String,
    youth_union: String,
    students: String,
    private_sector: String,
    recognized: String,
    removed: String,
    classes_held: String,
    trainees: String,
    members: String,
}

fn display(here: &Here, index: usize, r: &RowData) -> Row {
    let get = |f: Field| r.counts.map_or_else(|| "—".to_owned(), |c| count(c.get(f)));
    Row {
        index,
        id: r.unit.map_or_else(String::new, |u| u.id.value.clone()),
        name: r.label.clone(),
        full_name: r
            .unit
            .map_or_else(|| r.label.clone(), |u| u.name.value.clone()),
        href: r
            .unit
            .map_or_else(String::new, |u| here.href(&pages::unit(&u.id))),
        note: r.note.clone(),
        quota: opt_count(r.quota),
        admitted: get(Field::Admitted),
        cumulative: opt_count(r.cumulative),
        share_of_quota: pct(r.share_of_quota),
        admission_rate: pct(r.admission_rate),
        women: get(Field::Women),
        ethnic_minority: get(Field::EthnicMinority),
        religious: get(Field::Religious),
        youth_union: get(Field::YouthUnion),
        students: get(Field::Students),
        private_sector: get(Field::PrivateSector),
        recognized: get(Field::Recognized),
        removed: get(Field::Removed),
        classes_held: get(Field::ClassesHeld),
        trainees: get(Field::Trainees),
        members: opt_count(r.members),
    }
}

#[derive(Serialize)]
struct Ranked {
    rank: usize,
    name: String,
    href: String,
    admitted: String,
    quota: String,
    share_of_quota: String,
}

#[derive(Serialize)]
struct TableView {
    /// `quý I/2023` or `9 tháng đầu năm 2023`.
    period: String,
    period_cap: String,
    year: i32,
    /// A quarter's page (else the year so far).
    is_quarter: bool,
    /// Label of the cumulative column (`lũy kế 6 tháng`).
    cumulative_label: String,
    complete: bool,
    missing: Vec<String>,
    plan: Option<Link>,
    rows: Vec<Row>,
    total: Row,
    /// Shares of the new members for the totals row.
    total_shares: Vec<(String, String)>,
    ranking: Vec<Ranked>,
    chart_shares: Option<charts::SharesChart>,
    chart_pace: Option<charts::PaceChart>,
    csv: String,
    json: String,
    bulletin: Option<String>,
    quarters: Vec<QuarterLink>,
    year_page: String,
}

#[derive(Serialize)]
struct QuarterLink {
    label: String,
    href: String,
    current: bool,
}

fn table(lib: &Library, here: &Here, period: &PeriodStats, year_so_far: &PeriodStats) -> TableView {
    let (rows, total) = rows(period, year_so_far);
    let ranking = year_so_far
        .ranked()
        .enumerate()
        .map(|(k, u)| Ranked {
            rank: k + 1,
            name: u.unit.short().to_owned(),
            href: here.href(&pages::unit(&u.unit.id)),
            admitted: count(u.counts.admitted()),
            quota: opt_count(u.quota.map(|q| q.admissions.value)),
            share_of_quota: pct(u.share_of_quota),
        })
        .collect();
    let is_quarter = period.period.is_single_quarter();
    let counts = period.total.counts;
    let total_shares = [
        (Field::Women, "Nữ"),
        (Field::EthnicMinority, "Người dân tộc thiểu số"),
        (Field::Religious, "Người có đạo"),
        (Field::YouthUnion, "Đoàn viên thanh niên"),
        (Field::Students, "Học sinh, sinh viên"),
        (Field::PrivateSector, "Doanh nghiệp ngoài nhà nước"),
    ]
    .into_iter()
    .map(|(f, label)| (label.to_owned(), pct(counts.share_of_admitted(f))))
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
        cumulative_label: format!("Lũy kế {}", year_so_far.period.label()),
        complete: period.complete,
        missing,
        plan: period
            .plan
            .map(|p| here.link(plan_citation(p), &pages::plan(&p.symbol, p.year.value))),
        rows: rows
            .iter()
            .enumerate()
            .map(|(k, r)| display(here, k + 1, r))
            .collect(),
        total: display(here, 0, &total),
        total_shares,
        ranking,
        chart_shares: shares_chart(year_so_far),
        chart_pace: pace_chart(lib, year),
        csv: here.href(&format!("{url}{}", pages::CSV)),
        json: here.href(&format!("{url}{}", pages::JSON)),
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
    PageBuilder::new(
        lib,
        here,
        format!("Thống kê kết nạp đảng viên {}", q.label()),
    )
    .section(pages::statistics_index())
    .crumbs(&[
        ("Thống kê", pages::statistics_index()),
        (&format!("Năm {}", q.year), pages::statistics_year(q.year)),
    ])
    .finish("statistics.html", view)
}

pub fn year(lib: &Library, here: &Here, year: i32) -> Option<(&'static str, tera::Context)> {
    let ytd = lib.year_to_date(year)?;
    let view = table(lib, here, ytd, ytd);
    PageBuilder::new(
        lib,
        here,
        format!("Thống kê kết nạp đảng viên {}", ytd.period.label()),
    )
    .section(pages::statistics_index())
    .crumbs(&[("Thống kê", pages::statistics_index())])
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
    PageBuilder::new(lib, here, "Thống kê")
        .section(pages::statistics_index())
        .crumbs(&[])
        .finish("statistics_index.html", view)
}

/// `so-lieu.csv` and `so-lieu.json` for every statistics page.
pub fn data_files(lib: &Library) -> Vec<OutFile> {
    let mut out = Vec::new();
    let mut years: Vec<i32> = lib.quarters.iter().map(|q| q.year).collect();
    years.dedup();
    for q in &lib.quarters {
        if let (Some(p), Some(ytd)) = (
            lib.quarter(*q),
            lib.cumulative(*q).or_else(|| lib.quarter(*q)),
        ) {
            push_data(&mut out, &pages::statistics(*q), p, ytd);
        }
    }
    for year in years {
        if let Some(ytd) = lib.year_to_date(year) {
            push_data(&mut out, &pages::statistics_year(year), ytd, ytd);
        }
    }
    out
}

fn push_data(out: &mut Vec<OutFile>, url: &str, period: &PeriodStats, ytd: &PeriodStats) {
    let (rows, total) = rows(period, ytd);
    let dir = pages::file_of(url);
    let dir = dir.trim_end_matches("index.html");
    out.push(OutFile {
        path: format!("{dir}{}", pages::CSV),
        content: Content::Bytes(csv(&rows, &total)),
    });
    out.push(OutFile {
        path: format!("{dir}{}", pages::JSON),
        content: Content::Bytes(json_file(period, ytd, &rows, &total)),
    });
}

const CSV_HEADER: [&str; 20] = [
    "Mã đơn vị",
    "Đơn vị",
    "Ghi chú",
    "Chỉ tiêu năm",
    "Kết nạp trong kỳ",
    "Lũy kế từ đầu năm",
    "Đạt % chỉ tiêu năm",
    "Tỷ lệ kết nạp (% đảng viên đầu năm)",
    "Nữ",
    "Dân tộc thiểu số",
    "Tôn giáo",
    "Đoàn viên thanh niên",
    "Học sinh, sinh viên",
    "Doanh nghiệp ngoài nhà nước",
    "Công nhận chính thức",
    "Đưa ra khỏi Đảng",
    "Số lớp bồi dưỡng",
    "Số học viên",
    "Tổng số đảng viên cuối kỳ",
    "Tên đầy đủ",
];

/// A CSV cell: quoted when needed; text a spreadsheet would take for a
/// formula (`= + - @`, tab, carriage return) gets a leading `'`.
fn cell(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

/// A percentage in a CSV cell: one decimal, a dot (machine-readable).
fn percent_cell(r: Option<Ratio>) -> String {
    r.and_then(Ratio::percent_number)
        .map_or_else(String::new, |v| format!("{v:.1}"))
}

fn csv(rows: &[RowData], total: &RowData) -> Vec<u8> {
    // A byte-order mark, so spreadsheet programs read the file as UTF-8.
    let mut out = String::from("\u{FEFF}");
    out.push_str(&CSV_HEADER.map(cell).join(","));
    out.push_str("\r\n");
    for r in rows.iter().chain(std::iter::once(total)) {
        let num = |v: Option<u64>| v.map_or_else(String::new, |v| v.to_string());
        let get = |f: Field| num(r.counts.map(|c| c.get(f)));
        let mut cells = vec![
            cell(r.unit.map_or("", |u| u.id.as_str())),
            cell(&r.label),
            cell(&r.note),
            num(r.quota),
            get(Field::Admitted),
            num(r.cumulative),
            percent_cell(r.share_of_quota),
            percent_cell(r.admission_rate),
        ];
        cells.extend(COMPOSITION.iter().map(|f| get(*f)));
        cells.extend(ACTIVITY.iter().map(|f| get(*f)));
        cells.push(num(r.members));
        cells.push(cell(r.unit.map_or(r.label.as_str(), |u| u.name.as_str())));
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    out.into_bytes()
}

fn row_json(r: &RowData) -> Value {
    let percent = |v: Option<Ratio>| v.and_then(Ratio::percent_number);
    let mut obj = json!({
        "id": r.unit.map(|u| u.id.value.clone()),
        "name": r.unit.map_or_else(|| r.label.clone(), |u| u.name.value.clone()),
        "short_name": r.label,
        "note": r.note,
        "quota": r.quota,
        "cumulative_admitted": r.cumulative,
        "share_of_quota_percent": percent(r.share_of_quota),
        "admission_rate_percent": percent(r.admission_rate),
        "members": r.members,
    });
    if let Value::Object(map) = &mut obj {
        for f in std::iter::once(Field::Admitted)
            .chain(COMPOSITION)
            .chain(ACTIVITY)
        {
            map.insert(f.key().to_owned(), json!(r.counts.map(|c| c.get(f))));
        }
    }
    obj
}

fn json_file(
    period: &PeriodStats,
    ytd: &PeriodStats,
    rows: &[RowData],
    total: &RowData,
) -> Vec<u8> {
    let percent = |v: Option<Ratio>| v.and_then(Ratio::percent_number);
    let mut total_json = row_json(total);
    if let Value::Object(map) = &mut total_json {
        map.insert("members_base".into(), json!(ytd.total.members_base));
        map.insert("growth_percent".into(), json!(percent(period.total.growth)));
        map.insert(
            "previous_year_admitted".into(),
            json!(period.total.previous_admitted),
        );
        map.insert(
            "shares_percent".into(),
            json!(
                COMPOSITION
                    .iter()
                    .map(|f| (
                        f.key().to_owned(),
                        json!(percent(period.total.counts.share_of_admitted(*f)))
                    ))
                    .collect::<serde_json::Map<String, Value>>()
            ),
        );
    }
    let doc = json!({
        "period": {
            "label": period.period.label(),
            "year": period.period.year,
            "first_quarter": period.period.first,
            "last_quarter": period.period.last,
            "complete": period.complete,
            "quarters_reported": period.reported.iter().map(|q| q.q).collect::<Vec<_>>(),
        },
        "plan": period.plan.map(|p| json!({
            "symbol": p.symbol.to_string(),
            "year": p.year.value,
            "type": p.kind_name.value,
            "title": p.title.value,
            "issuer": p.issuer.value,
            "issued": p.issued.value.to_string(),
        })),
        "units": rows.iter().map(row_json).collect::<Vec<_>>(),
        "total": total_json,
    });
    let mut bytes = serde_json::to_vec_pretty(&doc).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_cannot_become_formulas() {
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(cell("+1"), "'+1");
        assert_eq!(cell("-1"), "'-1");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell("Ngân Sơn"), "Ngân Sơn");
        assert_eq!(cell("a, b"), "\"a, b\"");
    }
}
