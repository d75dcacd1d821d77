//! A sheet of cells, and reading workbooks (.xlsx, .xls, .xlsb, .ods) into
//! sheets with calamine.
//!
//! Cells are kept sparse, by absolute position, so a workbook whose only
//! far-away cell is at `XFD1048576` costs one entry, not a billion. `.xlsx`
//! is streamed cell by cell for the same reason; the other formats go
//! through calamine's dense ranges and are bounded by the file size.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use calamine::{Data, DataRef, Reader, Sheets, Xlsx};

use super::{MAX_COLUMNS, MAX_ROWS};

/// One cell's value as the file holds it.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Empty,
    Int(i64),
    Float(f64),
    Text(String),
    Bool(bool),
    /// A number shown as a date or time (its serial number).
    Date(f64),
    /// A formula error such as `#DIV/0!`.
    Error(String),
}

static EMPTY: Cell = Cell::Empty;

impl Cell {
    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }

    /// The cell as text, for headers and unit names; numbers as digits.
    pub fn text(&self) -> String {
        match self {
            Cell::Empty | Cell::Bool(_) | Cell::Date(_) | Cell::Error(_) => String::new(),
            Cell::Int(i) => i.to_string(),
            Cell::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
            Cell::Float(f) => f.to_string(),
            Cell::Text(s) => s.trim().to_owned(),
        }
    }
}

impl From<Data> for Cell {
    fn from(d: Data) -> Cell {
        match d {
            Data::Empty => Cell::Empty,
            Data::Int(i) => Cell::Int(i),
            Data::Float(f) => Cell::Float(f),
            Data::String(s) => Cell::Text(crate::vi::nfc(&s).into_owned()),
            Data::Bool(b) => Cell::Bool(b),
            Data::DateTime(d) => Cell::Date(d.as_f64()),
            Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Text(s),
            Data::Error(e) => Cell::Error(e.to_string()),
        }
    }
}

/// The cells of one sheet (or of a CSV file), by 0-based row and column.
#[derive(Clone, Debug, Default)]
pub struct Grid {
    /// The sheet's name; `None` for a CSV file.
    pub sheet: Option<String>,
    rows: BTreeMap<u32, BTreeMap<u32, Cell>>,
}

impl Grid {
    pub fn new(sheet: Option<String>) -> Grid {
        Grid {
            sheet,
            rows: BTreeMap::new(),
        }
    }

    /// Sets a cell; empty cells are not stored.
    pub fn set(&mut self, row: u32, col: u32, cell: Cell) {
        if !cell.is_empty() {
            self.rows.entry(row).or_default().insert(col, cell);
        }
    }

    pub fn get(&self, row: u32, col: u32) -> &Cell {
        self.rows
            .get(&row)
            .and_then(|r| r.get(&col))
            .unwrap_or(&EMPTY)
    }

    /// The non-empty cells of `row`, by column.
    pub fn row(&self, row: u32) -> Option<&BTreeMap<u32, Cell>> {
        self.rows.get(&row)
    }

    /// The rows that have a non-empty cell, in order, with their cells.
    pub fn rows(&self) -> impl Iterator<Item = (u32, &BTreeMap<u32, Cell>)> {
        self.rows.iter().map(|(r, cells)| (*r, cells))
    }
}

/// Why a workbook could not be read, in Vietnamese.
#[derive(Debug)]
pub enum ReadError {
    /// Not a workbook calamine can open, or a damaged one.
    Unreadable(String),
    /// More rows or columns than a results table can have.
    TooLarge(String),
}

/// Reads the sheets of the workbook at `path` one at a time, in the
/// workbook's order, until `wanted` accepts one; returns that sheet, or the
/// first one readable when none is accepted (so its problems can be told).
pub fn read_workbook(
    path: &Path,
    mut wanted: impl FnMut(&Grid) -> bool,
) -> Result<Grid, ReadError> {
    let unreadable = |e: &dyn std::fmt::Display| {
        ReadError::Unreadable(format!(
            "không mở được bảng tính ({e}); hãy mở tệp bằng Excel hoặc LibreOffice và lưu lại dạng .xlsx"
        ))
    };
    let is_xlsx = matches!(
        super::extension(path).as_deref(),
        Some("xlsx" | "xlsm" | "xlam")
    );
    let mut first: Option<Grid> = None;
    let mut last_error = None;
    if is_xlsx {
        let mut book: Xlsx<BufReader<File>> =
            calamine::open_workbook(path).map_err(|e| unreadable(&e))?;
        for name in visible_first(book.sheets_metadata()) {
            match xlsx_sheet(&mut book, &name) {
                Ok(grid) if wanted(&grid) => return Ok(grid),
                Ok(grid) => {
                    first.get_or_insert(grid);
                }
                Err(e) => last_error = Some(e),
            }
        }
    } else {
        let mut book: Sheets<BufReader<File>> =
            calamine::open_workbook_auto(path).map_err(|e| unreadable(&e))?;
        for name in visible_first(book.sheets_metadata()) {
            let range = match book.worksheet_range(&name) {
                Ok(r) => r,
                Err(e) => {
                    last_error = Some(unreadable(&e));
                    continue;
                }
            };
            match dense_sheet(&name, range) {
                Ok(grid) if wanted(&grid) => return Ok(grid),
                Ok(grid) => {
                    first.get_or_insert(grid);
                }
                Err(e) => last_error = Some(e),
            }
        }
    }
    match (first, last_error) {
        (Some(grid), _) => Ok(grid),
        (None, Some(e)) => Err(e),
        (None, None) => Err(ReadError::Unreadable(
            "bảng tính không có trang tính nào".into(),
        )),
    }
}

/// Sheet names in workbook order, hidden sheets (often templates or lookup
/// lists) after the visible ones.
fn visible_first(sheets: &[calamine::Sheet]) -> Vec<String> {
    let mut names: Vec<(bool, String)> = sheets
        .iter()
        .map(|s| (s.visible != calamine::SheetVisible::Visible, s.name.clone()))
        .collect();
    names.sort_by_key(|(hidden, _)| *hidden);
    names.into_iter().map(|(_, name)| name).collect()
}

fn too_large(sheet: &str) -> ReadError {
    ReadError::TooLarge(format!(
        "trang tính '{sheet}' có ô ngoài {} hàng, {} cột đầu; bảng số liệu một quý không lớn như vậy",
        crate::vi::int(i64::from(MAX_ROWS)),
        MAX_COLUMNS
    ))
}

/// One .xlsx sheet, streamed: memory follows the cells written, not the
/// sheet's declared dimensions.
fn xlsx_sheet(book: &mut Xlsx<BufReader<File>>, name: &str) -> Result<Grid, ReadError> {
    let mut cells = book
        .worksheet_cells_reader(name)
        .map_err(|e| ReadError::Unreadable(format!("không đọc được trang tính '{name}' ({e})")))?;
    let mut grid = Grid::new(Some(name.to_owned()));
    loop {
        let cell = match cells.next_cell() {
            Ok(Some(c)) => c,
            Ok(None) => break,
            Err(e) => {
                return Err(ReadError::Unreadable(format!(
                    "trang tính '{name}' bị hỏng ({e})"
                )));
            }
        };
        let (row, col) = cell.get_position();
        let value: Data = match cell.get_value() {
            DataRef::Empty => continue,
            v => Data::from(v.clone()),
        };
        if row >= MAX_ROWS || col >= MAX_COLUMNS {
            return Err(too_large(name));
        }
        grid.set(row, col, Cell::from(value));
    }
    Ok(grid)
}

fn dense_sheet(name: &str, range: calamine::Range<Data>) -> Result<Grid, ReadError> {
    let mut grid = Grid::new(Some(name.to_owned()));
    // used_cells() counts from the range's start, not from A1.
    let (start_row, start_col) = range.start().unwrap_or((0, 0));
    for (row, col, value) in range.used_cells() {
        let (Ok(row), Ok(col)) = (u32::try_from(row), u32::try_from(col)) else {
            return Err(too_large(name));
        };
        let (row, col) = (row.saturating_add(start_row), col.saturating_add(start_col));
        if row >= MAX_ROWS || col >= MAX_COLUMNS {
            return Err(too_large(name));
        }
        grid.set(row, col, Cell::from(value.clone()));
    }
    Ok(grid)
}

/// `C7` for 0-based row 6, column 2.
pub fn cell_name(row: u32, col: u32) -> String {
    format!("{}{}", column_name(col), u64::from(row) + 1)
}

/// `A`, `B`, ... `Z`, `AA`, ... for 0-based column numbers.
pub fn column_name(col: u32) -> String {
    let mut n = u64::from(col) + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = ((n - 1) % 26) as u8;
        letters.push(char::from(b'A' + rem));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

/// A sheet name as a reference writes it: `Sheet1`, or quoted like
/// `'Quý III'` when it holds anything but letters, digits and `_`.
pub fn sheet_ref(name: &str) -> String {
    if !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_') {
        name.to_owned()
    } else {
        format!("'{}'", name.replace('\'', "''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_names() {
        assert_eq!(cell_name(0, 0), "A1");
        assert_eq!(cell_name(6, 2), "C7");
        assert_eq!(column_name(25), "Z");
        assert_eq!(column_name(26), "AA");
        assert_eq!(column_name(27), "AB");
        assert_eq!(column_name(701), "ZZ");
        assert_eq!(column_name(702), "AAA");
        assert_eq!(column_name(16_383), "XFD");
        assert_eq!(column_name(u32::MAX), "MWLQKWV");
    }

    #[test]
    fn sheet_refs() {
        assert_eq!(sheet_ref("Sheet1"), "Sheet1");
        assert_eq!(sheet_ref("Quý_3"), "Quý_3");
        assert_eq!(sheet_ref("Quý III"), "'Quý III'");
        assert_eq!(sheet_ref("Bác's"), "'Bác''s'");
        assert_eq!(sheet_ref(""), "''");
    }

    #[test]
    fn dense_ranges_keep_absolute_positions() {
        // A range that starts at B3, as calamine gives for a sheet whose
        // first cell is B3.
        let range = calamine::Range::from_sparse(vec![
            calamine::Cell::new((2, 1), Data::String("Đơn vị".into())),
            calamine::Cell::new((3, 2), Data::Float(35.0)),
        ]);
        let grid = dense_sheet("Sheet1", range).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(grid.get(2, 1), &Cell::Text("Đơn vị".into()));
        assert_eq!(grid.get(3, 2), &Cell::Float(35.0));
        assert_eq!(grid.rows().count(), 2);
    }

    #[test]
    fn grids_are_sparse() {
        let mut g = Grid::new(None);
        g.set(1_000_000, 16_000, Cell::Int(1));
        g.set(0, 0, Cell::Text("  ".into()));
        assert_eq!(g.get(1_000_000, 16_000), &Cell::Int(1));
        assert_eq!(g.get(0, 0), &Cell::Empty);
        assert_eq!(g.rows().count(), 1);
    }
}
