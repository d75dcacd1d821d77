//! A sheet read as a results table: which row holds the headers, which
//! column holds what, and each data row turned into one unit's figures.
//!
//! Tables as units send them have a title block above the headers, often a
//! second header row under a "Trong đó" (of whom) heading, sometimes a row
//! numbering the columns (1), (2), ..., group headings ("Khối huyện"), a
//! totals row ("Tổng cộng") and signatures below. All of that is read past;
//! every figure is checked, and every problem points at its cell.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::header::{self, Column};
use super::limits::MAX_HINT_CHARS;
use super::sheet::{Cell, Grid, cell_name};
use super::{HEADER_SEARCH_ROWS, Problems, cells};
use crate::diagnostic::{Code, did_you_mean};
use crate::model::{Field, Unit};
use crate::stats::Quarter;
use crate::vi;

/// Where the headers are and what each column holds.
#[derive(Clone, Debug, PartialEq)]
pub struct Layout {
    pub header_row: u32,
    /// The first row that can hold data (after a second header row or a
    /// row of column numbers).
    pub first_data_row: u32,
    pub unit_col: u32,
    /// Figure columns: column, figure, header as written.
    pub figures: Vec<(u32, Field, String)>,
}

/// A header cell that was recognised.
struct Heading {
    col: u32,
    column: Column,
    text: String,
}

fn headings(grid: &Grid, row: u32) -> (Vec<Heading>, Vec<(u32, String)>) {
    let mut known = Vec::new();
    let mut unknown = Vec::new();
    for (&col, cell) in grid.row(row).into_iter().flatten() {
        let text = match cell {
            Cell::Text(t) => t.trim(),
            _ => continue,
        };
        // No header is that long: it is text, and folding it for each try
        // of the header row would cost its length each time.
        let column = if text.chars().nth(MAX_HINT_CHARS).is_some() {
            None
        } else {
            header::classify(text)
        };
        let text = text.to_owned();
        match column {
            Some(column) => known.push(Heading { col, column, text }),
            None if !text.is_empty() => unknown.push((col, text)),
            None => {}
        }
    }
    (known, unknown)
}

/// How well `row` reads as a header row: a unit column weighs more than
/// any number of figure columns, so the "of whom" row under a two-row
/// header never wins over the row naming the unit.
fn row_score(grid: &Grid, row: u32) -> usize {
    let (known, _) = headings(grid, row);
    let has_unit = known.iter().any(|h| h.column == Column::Unit);
    let figures = known
        .iter()
        .filter(|h| matches!(h.column, Column::Figure(_)))
        .count();
    usize::from(has_unit) * 1000 + figures
}

/// The best header row among the first rows, with its score.
fn best_header_row(grid: &Grid) -> Option<(u32, usize)> {
    let mut best: Option<(u32, usize)> = None;
    for (row, _) in grid.rows().take_while(|(r, _)| *r < HEADER_SEARCH_ROWS) {
        let s = row_score(grid, row);
        if s >= 2 && best.is_none_or(|(_, b)| s > b) {
            best = Some((row, s));
        }
    }
    best
}

/// How recognisable the sheet's header row is; 0 when there is none. Used to
/// choose the sheet and the CSV delimiter.
pub fn score(grid: &Grid) -> usize {
    best_header_row(grid).map_or(0, |(_, s)| s)
}

/// A sheet whose header row names the unit and at least one figure.
pub fn recognisable(grid: &Grid) -> bool {
    score(grid) > 1000
}

/// Finds the header row and the columns; reports unknown, duplicate and
/// missing columns. `None` when the table cannot be read at all.
pub fn layout(grid: &Grid, p: &mut Problems) -> Option<Layout> {
    let Some((header_row, _)) = best_header_row(grid) else {
        p.file(
            Code::MissingKey,
            format!(
                "không tìm thấy hàng tiêu đề có cột 'Đơn vị' và 'Kết nạp' trong {HEADER_SEARCH_ROWS} hàng đầu{}",
                grid.sheet
                    .as_ref()
                    .map(|s| format!(" của trang tính '{}'", crate::load::shown(s)))
                    .unwrap_or_default()
            ),
        )
        .with_hint(
            "hàng tiêu đề ghi tên cột: Đơn vị, Kết nạp, Nữ, Dân tộc thiểu số, ...; tệp CSV dùng bảng mã TCVN3 hay VNI thì hãy lưu lại bằng UTF-8",
        );
        return None;
    };
    let (mut known, mut unknown) = headings(grid, header_row);
    let mut first_data_row = header_row + 1;

    // A second header row: figures under a "Trong đó" heading, or under
    // merged cells (whose value sits in the first cell only).
    let (sub_known, sub_unknown) = headings(grid, header_row + 1);
    let sub_has_numbers = grid
        .row(header_row + 1)
        .into_iter()
        .flat_map(|cells| cells.values())
        .any(|c| cells::count(c).is_ok_and(|v| v.is_some()));
    if sub_known
        .iter()
        .any(|h| matches!(h.column, Column::Figure(_)))
        && !sub_known.iter().any(|h| h.column == Column::Unit)
        && !sub_has_numbers
    {
        first_data_row = header_row + 2;
        for sub in sub_known {
            let above = known.iter().position(|h| h.col == sub.col);
            match above {
                // "Kết nạp" over "Tổng số": the upper header says what it is.
                Some(i) if known.get(i).is_some_and(|h| h.column != Column::Skip) => {}
                Some(i) => {
                    known.remove(i);
                    known.push(sub);
                }
                None => {
                    unknown.retain(|(c, _)| *c != sub.col);
                    known.push(sub);
                }
            }
        }
        for (col, text) in sub_unknown {
            if !known.iter().any(|h| h.col == col) {
                unknown.push((col, text));
            }
        }
        known.sort_by_key(|h| h.col);
    }
    unknown.retain(|(_, text)| !header::is_group_heading(text));
    unknown.retain(|(col, _)| !known.iter().any(|h| h.col == *col));
    unknown.sort();

    let labels: Vec<&str> = std::iter::once("Đơn vị")
        .chain(Field::ALL.iter().map(|f| header::figure_label(*f)))
        .collect();
    for (col, text) in &unknown {
        let row = header_row_of(grid, header_row, *col);
        let d = p.at(
            Code::UnknownColumn,
            row,
            *col,
            format!("cột '{}' không nhận ra, bỏ qua", crate::load::shown(text)),
        );
        if text.chars().count() <= MAX_HINT_CHARS
            && let Some(h) = did_you_mean(text, labels.iter().copied())
        {
            d.with_hint(h);
        }
    }

    let mut unit_col = None;
    let mut figures: Vec<(u32, Field, String)> = Vec::new();
    let mut seen: HashMap<Column, u32> = HashMap::new();
    for h in known {
        if h.column == Column::Skip {
            continue;
        }
        let row = header_row_of(grid, header_row, h.col);
        if let Some(&first) = seen.get(&h.column) {
            let first_row = header_row_of(grid, header_row, first);
            p.at(
                Code::DuplicateKey,
                row,
                h.col,
                format!(
                    "cột '{}' trùng nội dung với cột {} ('{}')",
                    crate::load::shown(&h.text),
                    cell_name(first_row, first),
                    h.column.label()
                ),
            )
            .with_hint("xóa một trong hai cột, hoặc sửa tiêu đề cho đúng");
            continue;
        }
        seen.insert(h.column, h.col);
        match h.column {
            Column::Unit => unit_col = Some(h.col),
            Column::Figure(f) => figures.push((h.col, f, h.text)),
            Column::Skip => {}
        }
    }

    let first_col = grid
        .row(header_row)
        .and_then(|cells| cells.keys().next().copied())
        .unwrap_or(0);
    if unit_col.is_none() {
        p.at(
            Code::MissingKey,
            header_row,
            first_col,
            "hàng tiêu đề không có cột 'Đơn vị'",
        )
        .with_hint("thêm cột 'Đơn vị' ghi mã hoặc tên đơn vị như trong units.yaml");
    }
    let has_admitted = figures.iter().any(|(_, f, _)| *f == Field::Admitted);
    if !has_admitted {
        p.at(
            Code::MissingKey,
            header_row,
            first_col,
            "hàng tiêu đề không có cột 'Kết nạp' (số đảng viên kết nạp mới)",
        )
        .with_hint("đặt tiêu đề 'Kết nạp' cho cột số đảng viên mới kết nạp trong quý");
    }
    let unit_col = unit_col.filter(|_| has_admitted)?;
    Some(Layout {
        header_row,
        first_data_row,
        unit_col,
        figures,
    })
}

/// The row of a column's header: the second header row when the first one
/// is empty there.
fn header_row_of(grid: &Grid, header_row: u32, col: u32) -> u32 {
    if grid.get(header_row, col).is_empty() && !grid.get(header_row + 1, col).is_empty() {
        header_row + 1
    } else {
        header_row
    }
}

/// The row under the headers that numbers the columns: `A B 1 2 3` or
/// `(1) (2) (3)`.
fn is_numbering_row(grid: &Grid, row: u32) -> bool {
    let Some(cells) = grid.row(row) else {
        return false;
    };
    let labels: Vec<String> = cells
        .values()
        .map(|c| {
            c.text()
                .trim_matches(|ch: char| ch == '(' || ch == ')' || ch.is_whitespace())
                .to_owned()
        })
        .collect();
    let short = labels
        .iter()
        .all(|l| !l.is_empty() && l.chars().count() <= 3 && l.chars().all(char::is_alphanumeric));
    let numbers: Vec<u64> = labels.iter().filter_map(|l| l.parse().ok()).collect();
    short && numbers.len() >= 2 && numbers.windows(2).all(|w| w[1] == w[0] + 1)
}

/// The site's units, found by id or by name.
pub struct Units<'s> {
    units: &'s [Unit],
    by_key: HashMap<String, Vec<usize>>,
    /// Every id, name and short name: folded, its length in characters,
    /// as written, and its unit. Folded once, not once per unknown row.
    names: Vec<(String, usize, &'s str, usize)>,
    from: NaiveDate,
    to: NaiveDate,
    /// `quý III/2024`.
    label: String,
}

/// What a unit cell (or a unit written by name in a site's file) names.
pub(crate) enum Found {
    One(usize),
    Several(Vec<usize>),
    None,
}

/// Words that begin a unit's full name and are often left out.
const NAME_PREFIXES: &[&str] = &["dang bo ", "chi bo ", "dang uy "];

fn name_keys(text: &str) -> Vec<String> {
    let folded = vi::fold(text);
    let mut keys = vec![folded.clone()];
    for prefix in NAME_PREFIXES {
        if let Some(rest) = folded.strip_prefix(prefix) {
            keys.push(rest.to_owned());
        }
    }
    keys
}

impl<'s> Units<'s> {
    /// When two units share a name, the one active in `quarter` is meant.
    pub fn new(units: &'s [Unit], quarter: Quarter) -> Units<'s> {
        let (from, to) = quarter.bounds();
        let mut by_key: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, u) in units.iter().enumerate() {
            let mut keys = vec![u.id.value.clone()];
            keys.extend(name_keys(&u.name));
            if let Some(s) = &u.short_name {
                keys.extend(name_keys(s));
            }
            for k in keys {
                let entry = by_key.entry(k).or_default();
                if !entry.contains(&i) {
                    entry.push(i);
                }
            }
        }
        let mut names = Vec::new();
        for (i, u) in units.iter().enumerate() {
            let written = [
                Some(u.id.as_str()),
                Some(u.name.as_str()),
                u.short_name.as_ref().map(|s| s.as_str()),
            ];
            for name in written.into_iter().flatten() {
                let folded = vi::fold(name);
                names.push((folded.clone(), folded.chars().count(), name, i));
            }
        }
        Units {
            units,
            by_key,
            names,
            from,
            to,
            label: quarter.label(),
        }
    }

    pub(crate) fn find(&self, text: &str) -> Found {
        let mut found: Vec<usize> = Vec::new();
        let exact = text.trim();
        for key in std::iter::once(exact.to_owned()).chain(name_keys(exact)) {
            for &i in self.by_key.get(&key).map(Vec::as_slice).unwrap_or_default() {
                if !found.contains(&i) {
                    found.push(i);
                }
            }
        }
        if found.len() > 1 {
            let active: Vec<usize> = found
                .iter()
                .copied()
                .filter(|&i| {
                    self.units
                        .get(i)
                        .is_some_and(|u| u.active_during(self.from, self.to))
                })
                .collect();
            if active.len() == 1 {
                return Found::One(active[0]);
            }
        }
        match found.as_slice() {
            [] => Found::None,
            [one] => Found::One(*one),
            _ => Found::Several(found),
        }
    }

    /// `có phải 'an-thinh' (Đảng bộ xã Ân Thịnh)?` for the closest unit.
    pub(crate) fn hint(&self, text: &str) -> Option<String> {
        if text.chars().count() > MAX_HINT_CHARS {
            return None;
        }
        let i = self
            .closest(text)
            .or_else(|| self.closest(&name_keys(text).pop()?))?;
        let u = self.units.get(i)?;
        Some(format!("có phải '{}' ({})?", u.id.value, u.name.value))
    }

    /// The unit whose id or name is closest to `text`, as
    /// [`crate::diagnostic::nearest`] chooses: folded text, at most a third
    /// of its letters apart (1 to 4), the nearest and then the first in
    /// order.
    fn closest(&self, text: &str) -> Option<usize> {
        let wanted = vi::fold(text);
        if wanted.is_empty() {
            return None;
        }
        let length = wanted.chars().count();
        let limit = (length / 3).clamp(1, 4);
        let mut best: Option<(usize, &str, usize)> = None;
        for (folded, chars, written, i) in &self.names {
            // The distance is at least the difference of the lengths.
            if chars.abs_diff(length) > limit {
                continue;
            }
            let distance = strsim::levenshtein(&wanted, folded);
            if distance <= limit && best.is_none_or(|(d, w, _)| (distance, *written) < (d, w)) {
                best = Some((distance, written, *i));
            }
        }
        best.map(|(_, _, i)| i)
    }
}

/// A row's figures by [`Field::index`], each with the cell it came from.
pub type Figures = [Option<(u64, (u32, u32))>; 12];

/// One unit's figures, with the cells they came from.
#[derive(Clone, Debug)]
pub struct UnitRow {
    /// Index in units.yaml, which is the order rows are written in.
    pub unit: usize,
    pub id: String,
    /// The unit cell.
    pub at: (u32, u32),
    pub values: Figures,
}

/// Every data row of the table as a unit's figures; problems reported.
/// Rows with a problem are left out of the result.
pub fn rows(grid: &Grid, layout: &Layout, units: &Units, p: &mut Problems) -> Vec<UnitRow> {
    let mut out: Vec<UnitRow> = Vec::new();
    let mut first_row_of: HashMap<usize, (u32, u32)> = HashMap::new();
    let mut totals: Option<u32> = None;
    let errors_before = p.error_count();
    for (row, cells) in grid.rows() {
        if row < layout.first_data_row {
            continue;
        }
        let unit_at = (row, layout.unit_col);
        let unit_text = grid.get(row, layout.unit_col).text();
        let has_figure = layout
            .figures
            .iter()
            .any(|(col, _, _)| cells.get(col).is_some_and(|c| !c.is_empty()));
        let has_number = layout.figures.iter().any(|(col, _, _)| {
            cells.get(col).is_some_and(|c| {
                !matches!(c, Cell::Text(_)) || cells::count(c).is_ok_and(|v| v.is_some())
            })
        });
        if row == layout.first_data_row
            && is_numbering_row(grid, row)
            && matches!(units.find(&unit_text), Found::None)
        {
            continue;
        }
        if is_signature_row(cells) && matches!(units.find(&unit_text), Found::None) {
            // "NGƯỜI LẬP BIỂU", "T/M BAN THƯỜNG VỤ", names: the table is over.
            break;
        }
        if unit_text.is_empty() {
            if has_number {
                p.at(
                    Code::MissingKey,
                    row,
                    layout.unit_col,
                    "dòng có số liệu nhưng ô 'Đơn vị' trống",
                )
                .with_hint("ghi mã hoặc tên đơn vị, hoặc xóa dòng");
            }
            // Otherwise notes or signatures under the table.
            continue;
        }
        let unit = match units.find(&unit_text) {
            Found::One(i) => Some(i),
            Found::None if header::is_totals_label(&unit_text) => {
                totals.get_or_insert(row);
                continue;
            }
            Found::None if !has_figure => {
                p.at(
                    Code::Suspicious,
                    row,
                    layout.unit_col,
                    format!(
                        "bỏ qua dòng '{}': không phải đơn vị trong units.yaml và không có số liệu",
                        crate::load::shown(&unit_text)
                    ),
                );
                continue;
            }
            Found::None => {
                let d = p.at(
                    Code::UnknownUnit,
                    row,
                    layout.unit_col,
                    format!(
                        "đơn vị '{}' không có trong units.yaml",
                        crate::load::shown(&unit_text)
                    ),
                );
                match units.hint(&unit_text) {
                    Some(h) => d.with_hint(h),
                    None => d.with_hint("ghi mã (id) hoặc tên đơn vị như trong units.yaml"),
                };
                None
            }
            Found::Several(list) => {
                let ids: Vec<&str> = list
                    .iter()
                    .filter_map(|&i| units.units.get(i))
                    .map(|u| u.id.as_str())
                    .collect();
                p.at(
                    Code::UnknownUnit,
                    row,
                    layout.unit_col,
                    format!(
                        "'{}' là tên của nhiều đơn vị: {}",
                        crate::load::shown(&unit_text),
                        ids.join(", ")
                    ),
                )
                .with_hint("ghi mã (id) của đơn vị thay cho tên");
                None
            }
        };
        let unit = unit.and_then(|i| {
            let u = units.units.get(i)?;
            if let Some(&(first_row, first_col)) = first_row_of.get(&i) {
                p.at(
                    Code::DuplicateRow,
                    row,
                    layout.unit_col,
                    format!(
                        "đơn vị '{}' đã có dòng số liệu ở ô {}",
                        u.id.value,
                        cell_name(first_row, first_col)
                    ),
                )
                .with_hint("mỗi đơn vị chỉ có một dòng trong một quý; cộng hai dòng lại làm một");
                return None;
            }
            first_row_of.insert(i, unit_at);
            if !u.active_during(units.from, units.to) {
                let why = match (u.began(), u.dissolved()) {
                    (Some(f), _) if f > units.to => format!("thành lập {}", vi::date_running(f)),
                    (_, Some(until)) => format!("đã giải thể sau {}", vi::date_running(until)),
                    _ => String::new(),
                };
                p.at(
                    Code::UnitInactive,
                    row,
                    layout.unit_col,
                    format!(
                        "đơn vị '{}' không hoạt động trong {} ({why})",
                        u.id.value, units.label
                    ),
                )
                .with_hint("xóa dòng này, hoặc sửa ngày hoạt động của đơn vị trong units.yaml");
                return None;
            }
            Some((i, u))
        });
        // Every row's cells are checked, even when its unit is wrong, so
        // that one run tells every problem.
        let values = figures(grid, row, layout, p);
        if let (Some((i, u)), Some(values)) = (unit, values) {
            out.push(UnitRow {
                unit: i,
                id: u.id.value.clone(),
                at: unit_at,
                values,
            });
        }
    }
    // A unit whose row has a problem is not "missing"; say nothing then.
    let clean = p.error_count() == errors_before;
    for (i, u) in units.units.iter().enumerate() {
        if clean && u.active_during(units.from, units.to) && !first_row_of.contains_key(&i) {
            p.file(
                Code::MissingRow,
                format!(
                    "đơn vị '{}' ({}) hoạt động trong {} nhưng bảng không có dòng của đơn vị này; coi như không kết nạp",
                    u.id.value,
                    u.short(),
                    units.label
                ),
            );
        }
    }
    if let Some(row) = totals
        && clean
    {
        check_totals(grid, row, layout, &out, p);
    }
    out.sort_by_key(|r| r.unit);
    out
}

/// The figures of one row; `None` when one of them has a problem.
fn figures(grid: &Grid, row: u32, layout: &Layout, p: &mut Problems) -> Option<Figures> {
    let mut values: Figures = Default::default();
    let mut ok = true;
    for (col, field, header) in &layout.figures {
        match cells::count(grid.get(row, *col)) {
            Ok(Some(v)) => values[field.index()] = Some((v, (row, *col))),
            Ok(None) => {}
            Err(e) => {
                ok = false;
                let d = p.at(
                    e.code,
                    row,
                    *col,
                    format!("ô '{}' {}", crate::load::shown(header), e.message),
                );
                if let Some(h) = e.hint {
                    d.with_hint(h);
                }
            }
        }
    }
    let admitted_col = layout
        .figures
        .iter()
        .find(|(_, f, _)| *f == Field::Admitted)
        .map(|(c, _, _)| *c);
    let admitted = values[Field::Admitted.index()].map(|(v, _)| v);
    match admitted {
        Some(admitted) => {
            for (col, field, header) in &layout.figures {
                if let Some((v, _)) = values[field.index()]
                    && Field::OF_WHOM.contains(field)
                    && v > admitted
                {
                    ok = false;
                    p.at(
                        Code::OfWhomAboveAdmitted,
                        row,
                        *col,
                        format!(
                            "'{}' ({v}) lớn hơn số kết nạp ({admitted})",
                            crate::load::shown(header)
                        ),
                    )
                    .with_hint(format!(
                        "số {} là một phần của số đảng viên mới kết nạp",
                        field.label_vi()
                    ));
                }
            }
        }
        // A cell that is not a number was reported above.
        None => {
            if let Some(col) = admitted_col
                && grid.get(row, col).is_empty()
            {
                ok = false;
                p.at(Code::MissingKey, row, col, "ô 'Kết nạp' trống")
                    .with_hint("ghi 0 nếu đơn vị chưa kết nạp được đảng viên nào");
            }
        }
    }
    ok.then_some(values)
}

/// A date line: `Vân Lĩnh, ngày 05 tháng 10 năm 2026`, `ngày 05/10/2026`,
/// on folded text (no diacritics, lower case).
static DATE_LINE: std::sync::LazyLock<Option<regex::Regex>> = std::sync::LazyLock::new(|| {
    regex::Regex::new(
        r"ngay\s*(\d{1,2})\s*(?:thang\s*(\d{1,2})\s*nam\s*|/\s*(\d{1,2})\s*/\s*)(\d{4})",
    )
    .ok()
});

/// The dates written in a text, as in [`DATE_LINE`].
fn dates_in(text: &str) -> Vec<NaiveDate> {
    let Some(re) = DATE_LINE.as_ref() else {
        return Vec::new();
    };
    re.captures_iter(&vi::fold(text))
        .filter_map(|c| {
            let n = |i: usize| c.get(i).and_then(|m| m.as_str().parse::<u32>().ok());
            let year = i32::try_from(n(4)?).ok()?;
            NaiveDate::from_ymd_opt(year, n(2).or_else(|| n(3))?, n(1)?)
        })
        .collect()
}

/// What opens the signature block under a table, on folded text: the
/// preparer ("Người lập biểu"), a signature on behalf of someone ("T/M",
/// "K/T"), the recipients, "(Ký, ghi rõ họ tên)".
const SIGNATURE_OPENINGS: &[&str] = &[
    "nguoi lap",
    "t/m ",
    "tm. ",
    "k/t ",
    "kt. ",
    "q. ",
    "noi nhan",
    "xac nhan cua",
];
const SIGNATURE_WORDS: &[&str] = &["(ky", "ky ten", "ky, ghi ro", "dong dau"];

/// A row of the signature block: the table has ended above it. A date line
/// with its place (`Vân Lĩnh, ngày 05 tháng 10 năm 2026`) opens it too.
fn is_signature_row(cells: &std::collections::BTreeMap<u32, Cell>) -> bool {
    cells.values().any(|c| {
        let Cell::Text(t) = c else { return false };
        let folded = vi::fold(t);
        SIGNATURE_OPENINGS.iter().any(|o| folded.starts_with(o))
            || SIGNATURE_WORDS.iter().any(|w| folded.contains(w))
            || (folded.contains(", ngay") && !dates_in(t).is_empty())
    })
}

/// The report's own date: the first date line of the sheet dated after the
/// quarter ends and within a year of it (`…, ngày 05 tháng 10 năm 2026` in
/// the title rows or above the signatures; "số liệu đến ngày 30/9" is not
/// one), with its cell.
pub fn report_date(grid: &Grid, quarter: Quarter) -> Option<(NaiveDate, (u32, u32))> {
    let end = quarter.bounds().1;
    grid.rows().find_map(|(row, cells)| {
        cells.iter().find_map(|(col, c)| {
            let Cell::Text(t) = c else { return None };
            dates_in(t)
                .into_iter()
                .find(|d| *d > end && (*d - end).num_days() <= 366)
                .map(|d| (d, (row, *col)))
        })
    })
}

/// Warns when the totals row disagrees with the sum of the unit rows.
fn check_totals(grid: &Grid, row: u32, layout: &Layout, rows: &[UnitRow], p: &mut Problems) {
    for (col, field, header) in &layout.figures {
        let Ok(Some(written)) = cells::count(grid.get(row, *col)) else {
            continue;
        };
        let sum: u64 = rows
            .iter()
            .filter_map(|r| r.values[field.index()].map(|(v, _)| v))
            .sum();
        if written != sum {
            p.at(
                Code::Suspicious,
                row,
                *col,
                format!(
                    "dòng tổng cộng ghi '{}' là {}, nhưng cộng các đơn vị được {}",
                    crate::load::shown(header),
                    vi::int(written as i64),
                    vi::int(sum as i64)
                ),
            )
            .with_hint("kiểm tra lại số của từng đơn vị hoặc công thức của dòng tổng");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid(rows: &[&[&str]]) -> Grid {
        let mut g = Grid::new(Some("Sheet1".into()));
        for (r, cells) in rows.iter().enumerate() {
            for (c, text) in cells.iter().enumerate() {
                assert_eq!(
                    g.set(r as u32, c as u32, Cell::Text((*text).to_owned())),
                    Ok(())
                );
            }
        }
        g
    }

    #[test]
    fn the_header_row_is_found_under_a_title_block() {
        let g = grid(&[
            &["ĐẢNG BỘ TỈNH VÂN LĨNH"],
            &["BÁO CÁO KẾT QUẢ KẾT NẠP ĐẢNG VIÊN QUÝ III/2024"],
            &[],
            &["STT", "Đơn vị", "Kết nạp mới", "Trong đó", "", "Ghi chú"],
            &["", "", "", "Nữ", "DTTS", ""],
            &["A", "B", "1", "2", "3", "4"],
            &["1", "Ân Thịnh", "9", "3", "7", ""],
        ]);
        let mut p = Problems::for_test();
        let l = layout(&g, &mut p).unwrap_or_else(|| panic!("{p:?}"));
        assert_eq!(p.list(), &[] as &[super::super::Problem]);
        assert_eq!(l.header_row, 3);
        assert_eq!(l.first_data_row, 5);
        assert_eq!(l.unit_col, 1);
        let fields: Vec<(u32, Field)> = l.figures.iter().map(|(c, f, _)| (*c, *f)).collect();
        assert_eq!(
            fields,
            [
                (2, Field::Admitted),
                (3, Field::Women),
                (4, Field::EthnicMinority)
            ]
        );
        assert!(recognisable(&g));
    }

    #[test]
    fn missing_duplicate_and_unknown_columns() {
        let g = grid(&[&["Đơn vị", "Nữ", "Nữ", "Ghi nhận"]]);
        let mut p = Problems::for_test();
        assert_eq!(layout(&g, &mut p), None);
        let got: Vec<String> = p.list().iter().map(ToString::to_string).collect();
        assert!(got.iter().any(|l| l.contains("C1: error[E105]")), "{got:?}");
        assert!(
            got.iter().any(|l| l.contains("D1: warning[W507]")),
            "{got:?}"
        );
        assert!(
            got.iter()
                .any(|l| l.contains("A1: error[E202]") && l.contains("'Kết nạp'")),
            "{got:?}"
        );
        let nothing = grid(&[&["a", "b"], &["1", "2"]]);
        let mut p = Problems::for_test();
        assert_eq!(layout(&nothing, &mut p), None);
        assert!(!recognisable(&nothing));
        assert_eq!(p.list().len(), 1);
    }

    #[test]
    fn column_numbers_rows() {
        let g = grid(&[
            &["(1)", "(2)", "(3)"],
            &["A", "B", "1", "2"],
            &["1", "Ân Thịnh", "9"],
        ]);
        assert!(is_numbering_row(&g, 0));
        assert!(is_numbering_row(&g, 1));
        assert!(!is_numbering_row(&g, 2));
    }
}
