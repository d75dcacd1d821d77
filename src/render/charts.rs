//! Chart geometry: where each bar, line, point and label of the inline SVG
//! charts goes, computed from plain figures. The SVG markup and every word
//! of a chart (title, description, legend) are in `templates/charts.html`;
//! coordinates are formatted here, rounded to one decimal, so output is the
//! same bytes on every run.

use serde::Serialize;

use crate::stats::{Period, Ratio};
use crate::vi;

/// More bars than this make the chart unreadable; the table has them all.
const MAX_BARS: usize = 40;
/// Units named in a chart's text alternative.
const LISTED: usize = 10;

/// One decimal, as SVG coordinates are written.
fn at(v: f64) -> String {
    format!("{v:.1}")
}

/// `bieu-do-chi-tieu-2023-1-2`: unique on a page, stable across builds.
fn id_for(prefix: &str, period: Period) -> String {
    format!("{prefix}-{}-{}-{}", period.year, period.first, period.last)
}

/// A unit's share of its year's quota, as the bar chart takes it.
pub struct Share<'a> {
    pub name: &'a str,
    pub share: Option<Ratio>,
}

/// Horizontal bars: each unit's share of its year's quota, highest first,
/// with marks at the even pace of the period and at 100%.
#[derive(Serialize)]
pub struct SharesChart {
    id: String,
    width: String,
    height: String,
    /// `6 tháng đầu năm 2023`
    period: String,
    /// Units ranked, and how many of them have a bar.
    total: usize,
    shown: usize,
    /// The first units, for the text alternative.
    listed: Vec<Listed>,
    more_listed: bool,
    marks: Vec<Mark>,
    bars: Vec<Bar>,
}

#[derive(Serialize)]
struct Listed {
    name: String,
    share: String,
}

#[derive(Serialize)]
struct Mark {
    /// `pace` (the even pace of the period) or `full` (100%).
    kind: &'static str,
    x: String,
    y1: String,
    y2: String,
    /// The mark's value, `50,0%`.
    value: String,
}

#[derive(Serialize)]
struct Bar {
    name: String,
    name_x: String,
    text_y: String,
    x: String,
    y: String,
    width: String,
    height: String,
    /// At or above the even pace.
    met: bool,
    value_x: String,
    value: String,
}

/// The bar chart of `ranked` (highest share first) for `period`; `None`
/// without units.
pub fn shares(period: Period, ranked: &[Share]) -> Option<SharesChart> {
    if ranked.is_empty() {
        return None;
    }
    let shown = &ranked[..ranked.len().min(MAX_BARS)];
    let pace = Ratio {
        num: i64::from(period.last),
        den: 4,
    };
    let max = shown
        .iter()
        .filter_map(|u| u.share)
        .map(Ratio::as_f64)
        .fold(1.0_f64, f64::max)
        .min(2.0);
    let (label_w, bar_w, row_h, top) = (190.0, 420.0, 22.0, 28.0);
    let width = label_w + bar_w + 70.0;
    let height = top + row_h * shown.len() as f64 + 16.0;
    let x_of = |v: f64| label_w + bar_w * (v.min(max) / max);
    let mut marks = Vec::new();
    for (mark, kind) in [(pace.as_f64(), "pace"), (1.0, "full")] {
        // At the year's end the pace is 100%: one mark.
        if mark > max || (kind == "pace" && (mark - 1.0).abs() < f64::EPSILON) {
            continue;
        }
        let x = at(x_of(mark));
        marks.push(Mark {
            kind,
            x,
            y1: at(top - 6.0),
            y2: at(height - 12.0),
            value: if kind == "pace" {
                pace.percent()
            } else {
                "100%".to_owned()
            },
        });
    }
    let bars = shown
        .iter()
        .enumerate()
        .map(|(k, u)| {
            let y = top + row_h * k as f64;
            let value = u.share.map_or(0.0, Ratio::as_f64);
            let w = (x_of(value) - label_w).max(0.0);
            Bar {
                name: u.name.to_owned(),
                name_x: at(label_w - 6.0),
                text_y: at(y + 14.0),
                x: at(label_w),
                y: at(y + 3.0),
                width: at(w),
                height: at(row_h - 6.0),
                met: value >= pace.as_f64(),
                value_x: at(label_w + w + 4.0),
                value: u.share.map(Ratio::percent).unwrap_or_default(),
            }
        })
        .collect();
    Some(SharesChart {
        id: id_for("bieu-do-chi-tieu", period),
        width: format!("{width:.0}"),
        height: format!("{height:.0}"),
        period: period.label(),
        total: ranked.len(),
        shown: shown.len(),
        listed: shown
            .iter()
            .take(LISTED)
            .map(|u| Listed {
                name: u.name.to_owned(),
                share: u.share.map(Ratio::percent).unwrap_or_default(),
            })
            .collect(),
        more_listed: shown.len() > LISTED,
        marks,
        bars,
    })
}

/// Cumulative admissions of a year, quarter by quarter, against the even
/// pace of its quota (a quarter of it each quarter).
#[derive(Serialize)]
pub struct PaceChart {
    id: String,
    year: i32,
    /// Cumulative admissions at the end of each reported quarter.
    points: Vec<Point>,
    /// The year's quota, `2.180`; none without one.
    quota: Option<String>,
    grid: Vec<Grid>,
    /// Quarter names under the axis.
    quarters: Vec<AxisLabel>,
    /// The line from zero through every point.
    path: String,
    /// The even pace, from zero to the quota at the year's end.
    pace: Option<Segment>,
    legend_line: Segment,
    legend_pace: Segment,
    legend_text_x: String,
    legend_pace_text_x: String,
    legend_y: String,
}

#[derive(Serialize)]
struct Point {
    /// `6 tháng đầu năm 2023`
    label: String,
    value: String,
    x: String,
    y: String,
    value_x: String,
    value_y: String,
}

#[derive(Serialize)]
struct Grid {
    x1: String,
    x2: String,
    y: String,
    text_x: String,
    text_y: String,
    value: String,
}

#[derive(Serialize)]
struct AxisLabel {
    /// `II`
    roman: &'static str,
    x: String,
    y: String,
}

#[derive(Serialize)]
struct Segment {
    x1: String,
    y1: String,
    x2: String,
    y2: String,
}

/// The pace chart of `year` from `points` (quarter, cumulative admissions,
/// reported quarters only) and the year's `quota`; `None` without points.
pub fn pace(year: i32, points: &[(u8, u64)], quota: Option<u64>) -> Option<PaceChart> {
    if points.is_empty() {
        return None;
    }
    let quota = quota.unwrap_or(0);
    let top_value = points
        .iter()
        .map(|p| p.1)
        .max()
        .unwrap_or(0)
        .max(quota)
        .max(1) as f64;
    let (left, right, top, bottom) = (64.0, 20.0, 20.0, 56.0);
    let (width, height) = (560.0, 280.0);
    let plot_w = width - left - right;
    let plot_h = height - top - bottom;
    let x_of = |q: f64| left + plot_w * q / 4.0;
    let y_of = |v: f64| top + plot_h * (1.0 - v / top_value);
    let grid = (0..=4)
        .map(|k| {
            let v = top_value * f64::from(k) / 4.0;
            let y = y_of(v);
            Grid {
                x1: at(left),
                x2: at(width - right),
                y: at(y),
                text_x: at(left - 6.0),
                text_y: at(y + 4.0),
                value: vi::int(v.round() as i64),
            }
        })
        .collect();
    let quarters = (1..=4u8)
        .map(|q| AxisLabel {
            roman: vi::roman(q).unwrap_or(""),
            x: at(x_of(f64::from(q)) - plot_w / 8.0),
            y: at(height - 32.0),
        })
        .collect();
    let legend_y = height - 10.0;
    let mut path = format!("M{:.1} {:.1}", x_of(0.0), y_of(0.0));
    for (q, v) in points {
        path.push_str(&format!(
            " L{:.1} {:.1}",
            x_of(f64::from(*q)),
            y_of(*v as f64)
        ));
    }
    Some(PaceChart {
        id: format!("bieu-do-tien-do-{year}"),
        year,
        points: points
            .iter()
            .map(|(q, v)| {
                let (x, y) = (x_of(f64::from(*q)), y_of(*v as f64));
                Point {
                    label: vi::cumulative_label(year, *q),
                    value: vi::int(*v as i64),
                    x: at(x),
                    y: at(y),
                    value_x: at(x - 6.0),
                    value_y: at(y - 8.0),
                }
            })
            .collect(),
        quota: (quota > 0).then(|| vi::int(quota as i64)),
        grid,
        quarters,
        path,
        pace: (quota > 0).then(|| Segment {
            x1: at(x_of(0.0)),
            y1: at(y_of(0.0)),
            x2: at(x_of(4.0)),
            y2: at(y_of(quota as f64)),
        }),
        legend_line: Segment {
            x1: at(left),
            y1: at(legend_y - 4.0),
            x2: at(left + 24.0),
            y2: at(legend_y - 4.0),
        },
        legend_pace: Segment {
            x1: at(left + 150.0),
            y1: at(legend_y - 4.0),
            x2: at(left + 174.0),
            y2: at(legend_y - 4.0),
        },
        legend_text_x: at(left + 30.0),
        legend_pace_text_x: at(left + 180.0),
        legend_y: at(legend_y),
    })
}
