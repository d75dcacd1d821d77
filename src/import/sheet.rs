//! A sheet of cells, and reading workbooks into sheets: .xlsx and .ods
//! with calamine once [`super::package`] has checked them, .xls with
//! [`super::xls`].
//!
//! The kind of a workbook is read from its first bytes, not from its name:
//! an .xls renamed .xlsx (as editors often do) is still read.
//!
//! Cells are kept sparse, by absolute position, so a workbook whose only
//! far-away cell is at `XFD1048576` costs one entry, not a billion, and a
//! sheet keeps at most [`MAX_CELLS`] cells and [`MAX_SHEET_TEXT_BYTES`] of
//! text. `.xlsx` sheets are streamed cell by cell; calamine lays out the
//! sheets of an .ods as dense tables, whose size the package check bounds.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use calamine::{Data, DataRef, Ods, Reader, Xlsx};

use super::limits::{MAX_CELLS, MAX_SHEET_TEXT_BYTES, MAX_SHEETS, count_text, size_text};
use super::package::{self, Package};
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
            // `-0.0` is 0; `{:.0}` would write "-0".
            Cell::Float(f) if *f == 0.0 => "0".to_owned(),
            Cell::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
            Cell::Float(f) => f.to_string(),
            Cell::Text(s) => s.trim().to_owned(),
        }
    }

    /// Bytes of text the cell holds.
    fn text_bytes(&self) -> usize {
        match self {
            Cell::Text(s) | Cell::Error(s) => s.len(),
            _ => 0,
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
    cells: usize,
    text_bytes: usize,
}

/// A sheet holds more than a results table can: the message says what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Full(pub String);

impl Grid {
    pub fn new(sheet: Option<String>) -> Grid {
        Grid {
            sheet,
            ..Grid::default()
        }
    }

    /// Sets a cell; empty cells are not stored. `Err` when the sheet would
    /// hold more than [`MAX_CELLS`] cells or [`MAX_SHEET_TEXT_BYTES`] of text.
    pub fn set(&mut self, row: u32, col: u32, cell: Cell) -> Result<(), Full> {
        if cell.is_empty() {
            return Ok(());
        }
        let bytes = cell.text_bytes();
        let old = self.rows.get(&row).and_then(|r| r.get(&col));
        let (old_cells, old_bytes) = old.map_or((0, 0), |c| (1, c.text_bytes()));
        let cells = self.cells - old_cells + 1;
        let text_bytes = self.text_bytes - old_bytes + bytes;
        let what = match &self.sheet {
            Some(s) => format!("trang tính '{}'", crate::load::shown(s)),
            None => "tệp".to_owned(),
        };
        if cells > MAX_CELLS {
            return Err(Full(format!(
                "{what} có hơn {} ô có dữ liệu; giới hạn là {}",
                count_text(MAX_CELLS as u64),
                count_text(MAX_CELLS as u64)
            )));
        }
        if text_bytes > MAX_SHEET_TEXT_BYTES {
            return Err(Full(format!(
                "chữ trong các ô của {what} dài hơn {}; giới hạn là {}",
                size_text(MAX_SHEET_TEXT_BYTES as u64),
                size_text(MAX_SHEET_TEXT_BYTES as u64)
            )));
        }
        self.cells = cells;
        self.text_bytes = text_bytes;
        self.rows.entry(row).or_default().insert(col, cell);
        Ok(())
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
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    /// Not a workbook that can be read, or a damaged one.
    Unreadable(String),
    /// Larger than a results table can be: the message and a hint.
    TooLarge(String, String),
}

impl From<Full> for ReadError {
    fn from(f: Full) -> ReadError {
        ReadError::TooLarge(f.0, TABLE_HINT.to_owned())
    }
}

/// The hint of a sheet larger than a results table.
pub const TABLE_HINT: &str = "bảng số liệu một quý không lớn như vậy; hãy chép riêng bảng số liệu sang một tệp mới rồi nhập tệp đó";

const OLE: &[u8; 8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

/// Reads the sheets of the workbook at `path` one at a time, in the
/// workbook's order (hidden sheets last), until `wanted` accepts one;
/// returns that sheet, or the first one readable when none is accepted (so
/// its problems can be told).
pub fn read_workbook(path: &Path, wanted: impl FnMut(&Grid) -> bool) -> Result<Grid, ReadError> {
    let file =
        File::open(path).map_err(|e| ReadError::Unreadable(format!("không đọc được tệp: {e}")))?;
    read_workbook_from(file, wanted)
}

/// [`read_workbook`] on the bytes of `reader`.
pub fn read_workbook_from<R: Read + Seek>(
    mut reader: R,
    wanted: impl FnMut(&Grid) -> bool,
) -> Result<Grid, ReadError> {
    let io = |e: std::io::Error| ReadError::Unreadable(format!("không đọc được tệp: {e}"));
    let mut head = Vec::with_capacity(8);
    (&mut reader).take(8).read_to_end(&mut head).map_err(io)?;
    if head.as_slice() == OLE {
        return super::xls::read(&mut reader, wanted);
    }
    if !(head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06")) {
        return Err(ReadError::Unreadable(
            "tệp không phải bảng tính .xlsx, .xls hay .ods (nội dung không đúng dạng); hãy mở tệp bằng Excel hoặc LibreOffice và lưu lại dạng .xlsx".into(),
        ));
    }
    let kind = package::check(&mut reader)?;
    reader.seek(SeekFrom::Start(0)).map_err(io)?;
    let reader = BufReader::new(reader);
    match kind {
        Package::Xlsx => {
            let mut book: Xlsx<BufReader<R>> =
                guarded(move || Xlsx::new(reader).map_err(|e| unreadable(&e)))?;
            read_sheets(&mut book, wanted, xlsx_sheet)
        }
        Package::Ods => {
            let mut book: Ods<BufReader<R>> =
                guarded(move || Ods::new(reader).map_err(|e| unreadable(&e)))?;
            read_sheets(&mut book, wanted, |book, name| {
                let range = book.worksheet_range(name).map_err(|e| unreadable(&e))?;
                dense_sheet(name, &range)
            })
        }
    }
}

fn unreadable(e: &dyn std::fmt::Display) -> ReadError {
    ReadError::Unreadable(format!(
        "không mở được bảng tính ({}); hãy mở tệp bằng Excel hoặc LibreOffice và lưu lại dạng .xlsx",
        crate::load::shown(&e.to_string())
    ))
}

/// Runs a call into calamine, turning a panic (a damaged file calamine did
/// not expect) into an error, without its English message on the terminal.
fn guarded<T>(f: impl FnOnce() -> Result<T, ReadError>) -> Result<T, ReadError> {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    std::panic::set_hook(previous);
    result.unwrap_or_else(|_| {
        Err(ReadError::Unreadable(
            "bảng tính bị hỏng, không đọc được; hãy mở tệp bằng Excel hoặc LibreOffice và lưu lại dạng .xlsx".into(),
        ))
    })
}

/// The sheets of an opened workbook, tried in order (see [`read_workbook`]).
fn read_sheets<RS: Read + Seek, B: Reader<RS>>(
    book: &mut B,
    mut wanted: impl FnMut(&Grid) -> bool,
    mut sheet: impl FnMut(&mut B, &str) -> Result<Grid, ReadError>,
) -> Result<Grid, ReadError> {
    let names = visible_first(book.sheets_metadata())?;
    let mut first: Option<&str> = None;
    let mut last_error = None;
    for name in &names {
        match guarded(|| sheet(book, name)) {
            Ok(grid) if wanted(&grid) => return Ok(grid),
            Ok(_) => {
                first.get_or_insert(name);
            }
            Err(e) => last_error = Some(e),
        }
    }
    match (first, last_error) {
        // Read again rather than kept: one sheet in memory at a time.
        (Some(name), _) => guarded(|| sheet(book, name)),
        (None, Some(e)) => Err(e),
        (None, None) => Err(ReadError::Unreadable(
            "bảng tính không có trang tính nào".into(),
        )),
    }
}

/// Sheet names in workbook order, hidden sheets (often templates or lookup
/// lists) after the visible ones.
pub(super) fn visible_first(sheets: &[calamine::Sheet]) -> Result<Vec<String>, ReadError> {
    sheet_order(
        sheets
            .iter()
            .map(|s| (s.name.clone(), s.visible != calamine::SheetVisible::Visible)),
    )
}

/// `(name, hidden)` in workbook order → names, visible first; at most
/// [`MAX_SHEETS`].
pub(super) fn sheet_order(
    sheets: impl ExactSizeIterator<Item = (String, bool)>,
) -> Result<Vec<String>, ReadError> {
    if sheets.len() > MAX_SHEETS {
        return Err(ReadError::TooLarge(
            format!(
                "bảng tính có {} trang tính; giới hạn là {}",
                count_text(sheets.len() as u64),
                count_text(MAX_SHEETS as u64)
            ),
            TABLE_HINT.to_owned(),
        ));
    }
    let mut names: Vec<(bool, String)> = sheets.map(|(name, hidden)| (hidden, name)).collect();
    names.sort_by_key(|(hidden, _)| *hidden);
    Ok(names.into_iter().map(|(_, name)| name).collect())
}

/// A cell beyond the rows and columns a results table may use.
pub(super) fn too_large(sheet: &str) -> ReadError {
    ReadError::TooLarge(
        format!(
            "trang tính '{}' có ô ngoài {} hàng, {} cột đầu",
            crate::load::shown(sheet),
            count_text(u64::from(MAX_ROWS)),
            MAX_COLUMNS
        ),
        TABLE_HINT.to_owned(),
    )
}

/// One .xlsx sheet, streamed: memory follows the cells written, not the
/// sheet's declared dimensions.
fn xlsx_sheet<RS: Read + Seek>(book: &mut Xlsx<RS>, name: &str) -> Result<Grid, ReadError> {
    let shown = crate::load::shown(name);
    let mut cells = book.worksheet_cells_reader(name).map_err(|e| {
        ReadError::Unreadable(format!(
            "không đọc được trang tính '{shown}' ({})",
            crate::load::shown(&e.to_string())
        ))
    })?;
    let mut grid = Grid::new(Some(name.to_owned()));
    loop {
        let cell = match cells.next_cell() {
            Ok(Some(c)) => c,
            Ok(None) => break,
            Err(e) => {
                return Err(ReadError::Unreadable(format!(
                    "trang tính '{shown}' bị hỏng ({})",
                    crate::load::shown(&e.to_string())
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
        grid.set(row, col, Cell::from(value))?;
    }
    Ok(grid)
}

fn dense_sheet(name: &str, range: &calamine::Range<Data>) -> Result<Grid, ReadError> {
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
        grid.set(row, col, Cell::from(value.clone()))?;
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
/// `'Quý III'` when it holds anything but letters, digits and `_`. Control
/// characters (a name comes from the file) are shown as `�`.
pub fn sheet_ref(name: &str) -> String {
    let name = printable(name);
    if !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_') {
        name
    } else {
        format!("'{}'", name.replace('\'', "''"))
    }
}

/// `s` with its control characters (line breaks, escape sequences) shown
/// as `�`, whole: for names that reach the terminal.
pub fn printable(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { '�' } else { c })
        .collect()
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
        assert_eq!(sheet_ref("a\u{1b}]0;x\u{7}"), "'a�]0;x�'");
    }

    #[test]
    fn dense_ranges_keep_absolute_positions() {
        // A range that starts at B3, as calamine gives for a sheet whose
        // first cell is B3.
        let range = calamine::Range::from_sparse(vec![
            calamine::Cell::new((2, 1), Data::String("Đơn vị".into())),
            calamine::Cell::new((3, 2), Data::Float(35.0)),
        ]);
        let grid = dense_sheet("Sheet1", &range).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(grid.get(2, 1), &Cell::Text("Đơn vị".into()));
        assert_eq!(grid.get(3, 2), &Cell::Float(35.0));
        assert_eq!(grid.rows().count(), 2);
    }

    #[test]
    fn grids_are_sparse() {
        let mut g = Grid::new(None);
        assert_eq!(g.set(1_000_000, 16_000, Cell::Int(1)), Ok(()));
        assert_eq!(g.set(0, 0, Cell::Text("  ".into())), Ok(()));
        assert_eq!(g.get(1_000_000, 16_000), &Cell::Int(1));
        assert_eq!(g.get(0, 0), &Cell::Empty);
        assert_eq!(g.rows().count(), 1);
    }
}
