//! Inline SVG charts, with `<title>` and `<desc>` as their text alternative.
//! No script, no external resource; coordinates are rounded so output is
//! the same bytes on every run. Colours come from classes the theme's CSS
//! may restyle (high contrast, print), with plain attributes as fallback.

use std::fmt::Write;

use super::views::Base;
use crate::html::escape;
use crate::stats::{Period, PeriodStats, Quarter, Ratio};
use crate::vi;

/// More bars than this make the chart unreadable; the table has them all.
const MAX_BARS: usize = 40;

/// The opening of a chart: its size, and its title and description as the
/// text alternative (`role="img"` with `aria-labelledby`).
fn open_svg(kind: &str, width: f64, height: f64, id: &str, title: &str, desc: &str) -> String {
    format!(
        r##"<svg class="chart {kind}" viewBox="0 0 {width:.0} {height:.0}" width="{width:.0}" height="{height:.0}" role="img" aria-labelledby="{id}-t {id}-d" xmlns="http://www.w3.org/2000/svg" font-family="sans-serif" font-size="12"><title id="{id}-t">{}</title><desc id="{id}-d">{}</desc>"##,
        escape(title),
        escape(desc)
    )
}

fn id_for(prefix: &str, period: Period) -> String {
    format!("{prefix}-{}-{}-{}", period.year, period.first, period.last)
}

/// Horizontal bars: each unit's share of its year's quota in `s`, highest
/// first, with a mark at the even pace for the period and at 100%.
pub fn share_of_quota(s: &PeriodStats) -> String {
    let ranked: Vec<_> = s.ranked().collect();
    if ranked.is_empty() {
        return String::new();
    }
    let shown = &ranked[..ranked.len().min(MAX_BARS)];
    let pace = Ratio {
        num: i64::from(s.period.last),
        den: 4,
    };
    let max = shown
        .iter()
        .filter_map(|u| u.share_of_quota)
        .map(Ratio::as_f64)
        .fold(1.0_f64, f64::max)
        .min(2.0);
    let (label_w, bar_w, row_h, top) = (190.0, 420.0, 22.0, 28.0);
    let width = label_w + bar_w + 70.0;
    let height = top + row_h * shown.len() as f64 + 16.0;
    let x_of = |v: f64| label_w + bar_w * (v.min(max) / max);
    let id = id_for("bieu-do-chi-tieu", s.period);
    let title = format!(
        "Tỷ lệ đạt chỉ tiêu năm của các đơn vị, {}",
        s.period.label()
    );
    let mut desc = String::new();
    if ranked.len() > shown.len() {
        let _ = write!(
            desc,
            "{} đơn vị có tỷ lệ cao nhất trong {} đơn vị. ",
            shown.len(),
            ranked.len()
        );
    }
    let listed: Vec<String> = shown
        .iter()
        .take(10)
        .map(|u| {
            format!(
                "{} {}",
                u.unit.short(),
                u.share_of_quota.map(Ratio::percent).unwrap_or_default()
            )
        })
        .collect();
    let _ = write!(
        desc,
        "{}{}.",
        listed.join("; "),
        if shown.len() > 10 { "; ..." } else { "" }
    );

    let mut svg = open_svg("chart-bars", width, height, &id, &title, &desc);
    for (mark, label, class) in [
        (
            pace.as_f64(),
            format!("tiến độ đều {}", pace.percent()),
            "pace",
        ),
        (1.0, "100%".to_owned(), "full"),
    ] {
        if mark > max || (mark - 1.0).abs() < f64::EPSILON && class == "pace" {
            continue;
        }
        let x = x_of(mark);
        let _ = write!(
            svg,
            r##"<line class="mark {class}" x1="{x:.1}" y1="{:.1}" x2="{x:.1}" y2="{:.1}" stroke="#555" stroke-dasharray="4 3"/><text class="mark-label" x="{x:.1}" y="14" text-anchor="middle" fill="#333">{}</text>"##,
            top - 6.0,
            height - 12.0,
            escape(&label)
        );
    }
    for (k, u) in shown.iter().enumerate() {
        let y = top + row_h * k as f64;
        let value = u.share_of_quota.map_or(0.0, Ratio::as_f64);
        let w = (x_of(value) - label_w).max(0.0);
        let met = value >= pace.as_f64();
        // Below pace: light fill with a dark outline, so the two kinds differ in
        // greyscale print too, not by hue alone.
        let (class, fill, stroke) = if met {
            ("bar met", "#1f5f99", "#1f5f99")
        } else {
            ("bar", "#f4d3ce", "#a33a2f")
        };
        let _ = write!(
            svg,
            r##"<text x="{:.1}" y="{:.1}" text-anchor="end" fill="#1a1a1a">{}</text><rect class="{class}" x="{label_w:.1}" y="{:.1}" width="{w:.1}" height="{:.1}" fill="{fill}" stroke="{stroke}"/><text class="value" x="{:.1}" y="{:.1}" fill="#1a1a1a">{}</text>"##,
            label_w - 6.0,
            y + 14.0,
            escape(u.unit.short()),
            y + 3.0,
            row_h - 6.0,
            label_w + w + 4.0,
            y + 14.0,
            escape(&u.share_of_quota.map(Ratio::percent).unwrap_or_default())
        );
    }
    svg.push_str("</svg>");
    svg
}

/// Cumulative admissions of `year`, quarter by quarter, against the plan's
/// even pace (a quarter of the year's quota each quarter).
pub fn pace(base: &Base, year: i32) -> String {
    let points: Vec<(u8, u64)> = (1..=4u8)
        .filter_map(|q| {
            let quarter = Quarter::new(year, q)?;
            if !base.quarters.contains(&quarter) {
                return None;
            }
            base.cumulative(quarter)
                .map(|s| (q, s.total.counts.admitted()))
        })
        .collect();
    let Some(last) = base.year_to_date(year) else {
        return String::new();
    };
    let quota = last.total.quota.unwrap_or(0);
    if points.is_empty() {
        return String::new();
    }
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
    let id = format!("bieu-do-tien-do-{year}");
    let title = format!("Số đảng viên kết nạp lũy kế năm {year} so với tiến độ đều của chỉ tiêu");
    let mut desc: Vec<String> = points
        .iter()
        .map(|(q, v)| format!("{}: {}", vi::cumulative_label(year, *q), vi::int(*v as i64)))
        .collect();
    if quota > 0 {
        desc.push(format!("chỉ tiêu năm {}", vi::int(quota as i64)));
    }
    let mut svg = open_svg(
        "chart-pace",
        width,
        height,
        &id,
        &title,
        &format!("{}.", desc.join("; ")),
    );
    // Axes and grid: four horizontal lines with values.
    for k in 0..=4 {
        let v = top_value * f64::from(k) / 4.0;
        let y = y_of(v);
        let _ = write!(
            svg,
            r##"<line class="grid" x1="{left:.1}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" stroke="#ccc"/><text x="{:.1}" y="{:.1}" text-anchor="end" fill="#333">{}</text>"##,
            width - right,
            left - 6.0,
            y + 4.0,
            vi::int(v.round() as i64)
        );
    }
    for q in 1..=4u8 {
        let _ = write!(
            svg,
            r##"<text x="{:.1}" y="{:.1}" text-anchor="middle" fill="#333">Quý {}</text>"##,
            x_of(f64::from(q)) - plot_w / 8.0,
            height - 32.0,
            vi::roman(q).unwrap_or("")
        );
    }
    // Legend: what the lines are, under the axis.
    let legend_y = height - 10.0;
    let _ = write!(
        svg,
        r##"<line class="line" x1="{left:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="#1f5f99" stroke-width="3"/><text x="{:.1}" y="{legend_y:.1}" fill="#333">kết nạp lũy kế</text>"##,
        legend_y - 4.0,
        left + 24.0,
        legend_y - 4.0,
        left + 30.0
    );
    if quota > 0 {
        let _ = write!(
            svg,
            r##"<line class="pace" x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="#555" stroke-width="2" stroke-dasharray="6 4"/><line class="pace" x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="#555" stroke-width="2" stroke-dasharray="6 4"/><text x="{:.1}" y="{legend_y:.1}" fill="#333">tiến độ đều của chỉ tiêu năm ({})</text>"##,
            x_of(0.0),
            y_of(0.0),
            x_of(4.0),
            y_of(quota as f64),
            left + 150.0,
            legend_y - 4.0,
            left + 174.0,
            legend_y - 4.0,
            left + 180.0,
            vi::int(quota as i64)
        );
    }
    let mut path = format!("M{:.1} {:.1}", x_of(0.0), y_of(0.0));
    for (q, v) in &points {
        let _ = write!(path, " L{:.1} {:.1}", x_of(f64::from(*q)), y_of(*v as f64));
    }
    let _ = write!(
        svg,
        r##"<path class="line" d="{path}" fill="none" stroke="#1f5f99" stroke-width="3"/>"##
    );
    for (q, v) in &points {
        let (x, y) = (x_of(f64::from(*q)), y_of(*v as f64));
        let _ = write!(
            svg,
            r##"<circle class="point" cx="{x:.1}" cy="{y:.1}" r="4" fill="#1f5f99"/><text class="value" x="{:.1}" y="{:.1}" text-anchor="end" fill="#1a1a1a">{}</text>"##,
            x - 6.0,
            y - 8.0,
            vi::int(*v as i64)
        );
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            escape("<script>\"a\" & 'b'"),
            "&lt;script&gt;&quot;a&quot; &amp; &#39;b&#39;"
        );
        assert_eq!(escape("a\u{1}b"), "a b");
    }
}
