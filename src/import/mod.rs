//! `bantin import`: one quarter's results from a spreadsheet with Vietnamese
//! column headers (.xlsx, .xls, .ods or .csv) → `results/<year>/q<N>.yaml`.
//!
//! The steps: read the file into a [`sheet::Grid`] ([`sheet`] for
//! workbooks, [`delimited`] for CSV in any of the encodings spreadsheet
//! programs save), find the header row and what each column holds
//! ([`header`], [`table`]), turn each data row into a unit's figures
//! ([`table`], [`cells`]), render the YAML ([`write`]), and read that text
//! back with the real loader and checker before writing it atomically.
//!
//! Like the rest of bantin, every problem is a value, all of them are
//! reported in one run, and nothing is written when there is an error.
//! What a file may inflate to or hold is bounded ([`limits`]): a hostile
//! spreadsheet is refused with E106 naming the part and the limit.
//! Problems point at spreadsheet cells: `bang.xlsx:Sheet1!C7` for a
//! workbook, `bang.csv:C7` for a CSV file (rows counted as a spreadsheet
//! program shows them).

mod cells;
mod delimited;
mod destination;
mod header;
pub mod limits;
mod package;
mod sheet;
pub(crate) mod table;
mod write;
mod xls;
mod xml;

use std::fmt;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Code, Diagnostic, Severity, nearest};
use crate::load;
use crate::model::{Section, Unit};
use crate::pages;
use crate::stats::Quarter;
use crate::vi::{self, DocSymbol};

/// Rows and columns a results table may use; cells beyond are an error.
pub const MAX_ROWS: u32 = 20_000;
pub const MAX_COLUMNS: u32 = 200;
/// The header row is looked for in this many first rows.
pub const HEADER_SEARCH_ROWS: u32 = 20;

/// What `bantin import` was asked to do, every value validated.
#[derive(Clone, Debug)]
pub(crate) struct Request {
    /// The spreadsheet.
    pub(crate) file: PathBuf,
    /// The quarter of the figures.
    pub(crate) period: Quarter,
    /// The symbol of the plan they count towards.
    pub(crate) plan: DocSymbol,
    /// The site folder (holding `content/`).
    pub(crate) site: PathBuf,
    /// Where to write; `SITE/content/results/<year>/q<N>.yaml` when `None`.
    pub(crate) output: Option<PathBuf>,
    /// Replace an existing file.
    pub(crate) force: bool,
}

/// Arguments that cannot work (exit status 2), in Vietnamese.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UsageError(pub String);

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One problem, at a spreadsheet cell or in a whole file:
/// `bang.xlsx:Sheet1!C7: error[E203]: message — hint`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub code: Code,
    /// `bang.xlsx:Sheet1!C7`, `bang.csv:C7`, or a file alone.
    pub place: String,
    pub message: String,
    pub hint: Option<String>,
    /// Row and column + 1, 0 for a whole file: the printing order.
    order: (u32, u32),
}

impl Problem {
    pub fn is_error(&self) -> bool {
        self.code.severity() == Severity::Error
    }

    pub fn with_hint(&mut self, hint: impl Into<String>) -> &mut Self {
        self.hint = Some(hint.into());
        self
    }

    /// A problem of the site itself (units.yaml that does not load...).
    fn from_diagnostic(d: Diagnostic) -> Problem {
        Problem {
            code: d.code,
            place: format!("{}:{}:{}", d.file, d.line.max(1), d.col.max(1)),
            message: d.message,
            hint: d.hint,
            order: (0, 0),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        crate::diagnostic::write_line(
            f,
            &self.place,
            self.code,
            &self.message,
            self.hint.as_deref(),
        )
    }
}

/// Collects the problems of one input file, naming its cells. All are
/// counted; the first [`limits::MAX_PROBLEMS`] are kept (a sheet of 200.000
/// wrong cells would otherwise hold its messages by the hundred megabytes)
/// and one last problem says how many more there were.
#[derive(Debug)]
pub struct Problems {
    /// The file as the user named it.
    file: String,
    sheet: Option<String>,
    list: Vec<Problem>,
    /// Errors found, kept or not.
    errors: usize,
    /// Errors and warnings found past the limit.
    dropped: (usize, usize),
    /// Where a problem past the limit is put, for its caller to finish.
    spare: Option<Problem>,
}

impl Problems {
    fn new(file: String) -> Problems {
        Problems {
            file,
            sheet: None,
            list: Vec::new(),
            errors: 0,
            dropped: (0, 0),
            spare: None,
        }
    }

    fn push(&mut self, problem: Problem) -> &mut Problem {
        let error = problem.is_error();
        self.errors += usize::from(error);
        if self.list.len() >= limits::MAX_PROBLEMS {
            if error {
                self.dropped.0 += 1;
            } else {
                self.dropped.1 += 1;
            }
            return self.spare.insert(problem);
        }
        self.list.push(problem);
        let last = self.list.len() - 1;
        &mut self.list[last]
    }

    /// A problem at the cell of 0-based `row` and `col`.
    fn at(&mut self, code: Code, row: u32, col: u32, message: impl Into<String>) -> &mut Problem {
        let cell = sheet::cell_name(row, col);
        let place = match &self.sheet {
            Some(s) => format!("{}:{}!{cell}", self.file, sheet::sheet_ref(s)),
            None => format!("{}:{cell}", self.file),
        };
        self.push(Problem {
            code,
            place,
            message: message.into(),
            hint: None,
            order: (row.saturating_add(1), col.saturating_add(1)),
        })
    }

    /// A problem of the whole input file.
    fn file(&mut self, code: Code, message: impl Into<String>) -> &mut Problem {
        let place = self.file.clone();
        self.push(Problem {
            code,
            place,
            message: message.into(),
            hint: None,
            order: (0, 0),
        })
    }

    fn error_count(&self) -> usize {
        self.errors
    }

    fn into_sorted(mut self) -> Vec<Problem> {
        self.list.sort_by_key(|a| (a.order, a.code));
        self.list.dedup();
        let (errors, warnings) = self.dropped;
        if errors + warnings > 0 {
            self.list.push(Problem {
                code: if errors > 0 {
                    Code::TooLarge
                } else {
                    Code::Suspicious
                },
                place: self.file.clone(),
                message: format!(
                    "còn {} lỗi và {} cảnh báo nữa không in ra; chỉ in {} vấn đề đầu",
                    vi::int(errors as i64),
                    vi::int(warnings as i64),
                    vi::int(limits::MAX_PROBLEMS as i64)
                ),
                hint: Some(
                    "sửa các lỗi trên rồi nhập lại; nhiều ô sai như vậy thường là nhầm tệp hoặc nhầm trang tính".into(),
                ),
                order: (u32::MAX, u32::MAX),
            });
        }
        self.list
    }

    #[cfg(test)]
    fn for_test() -> Problems {
        let mut p = Problems::new("bang.xlsx".into());
        p.sheet = Some("Sheet1".into());
        p
    }

    #[cfg(test)]
    fn list(&self) -> &[Problem] {
        &self.list
    }
}

/// The file that was written.
#[derive(Clone, Debug)]
pub struct Written {
    pub path: PathBuf,
    /// Units in it.
    pub rows: usize,
    /// An existing file was replaced (`--force`).
    pub replaced: bool,
    /// `bang.xlsx, trang tính Sheet1` or `bang.csv (UTF-16 LE, TAB)`.
    pub source: String,
    /// `quý III/2024`.
    pub period: String,
    /// The report's date as the sheet writes it, and its cell (`A3`);
    /// none when the file is dated today.
    pub reported: Option<(chrono::NaiveDate, String)>,
}

/// What an import did: every problem, and the file written when there was
/// no error.
#[derive(Debug, Default)]
pub struct Outcome {
    pub problems: Vec<Problem>,
    pub written: Option<Written>,
    /// Writing failed (the data were fine).
    pub failed: Option<String>,
}

impl Outcome {
    pub fn has_errors(&self) -> bool {
        self.problems.iter().any(Problem::is_error)
    }
}

/// The lower-case extension of `path`.
pub(crate) fn extension(path: &Path) -> Option<String> {
    path.extension().map(|e| e.to_string_lossy().to_lowercase())
}

enum Format {
    Workbook,
    Text,
}

/// Runs `bantin import`. `Err` when the arguments cannot work.
pub(crate) fn run(req: &Request) -> Result<Outcome, UsageError> {
    let (quarter, plan) = (req.period, &req.plan);
    let (year, q) = (quarter.year, quarter.q);
    let format = match extension(&req.file).as_deref() {
        Some("xlsx" | "xlsm" | "xls" | "ods") => Format::Workbook,
        Some("csv" | "tsv" | "txt") => Format::Text,
        Some("xlsb") => {
            return Err(UsageError(format!(
                "không đọc được {}: bảng tính nhị phân .xlsb không được hỗ trợ; hãy mở bằng Excel và lưu lại dạng .xlsx",
                sheet::printable(&req.file.display().to_string())
            )));
        }
        _ => {
            return Err(UsageError(format!(
                "không đọc được {}: chỉ nhận bảng tính .xlsx, .xls, .ods hoặc tệp .csv",
                sheet::printable(&req.file.display().to_string())
            )));
        }
    };
    let default_output = req.site.join(pages::results_file(req.period));
    let output = req.output.clone().unwrap_or_else(|| default_output.clone());
    let in_site = destination::check(req, &output, &default_output)?;

    let (mut site, site_diagnostics) = load::load(&req.site);
    if site.incomplete.contains(&Section::Units) {
        let mut problems: Vec<Problem> = site_diagnostics
            .into_iter()
            .filter(Diagnostic::is_error)
            .map(Problem::from_diagnostic)
            .collect();
        problems.sort_by(|a, b| a.place.cmp(&b.place));
        return Ok(Outcome {
            problems,
            ..Outcome::default()
        });
    }

    let mut p = Problems::new(sheet::printable(&req.file.display().to_string()));
    let Some((grid, source)) = read_grid(&req.file, format, &mut p) else {
        return Ok(finish(p));
    };
    p.sheet = grid.sheet.clone();
    let Some(layout) = table::layout(&grid, &mut p) else {
        return Ok(finish(p));
    };
    let units = table::Units::new(&site.units, quarter);
    let rows = table::rows(&grid, &layout, &units, &mut p);
    check_plan(&site, plan, year, &mut p);
    if rows.is_empty() && p.error_count() == 0 {
        p.file(
            Code::MissingKey,
            "bảng không có dòng số liệu nào của đơn vị",
        )
        .with_hint("mỗi đơn vị một dòng, dưới hàng tiêu đề");
    }
    if p.error_count() > 0 {
        return Ok(finish(p));
    }

    let file_name = req
        .file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| req.file.display().to_string());
    let origin = write::Origin {
        file_name: &file_name,
        sheet: grid.sheet.as_deref(),
    };
    // The sheet's own date line, else today.
    let dated = table::report_date(&grid, quarter);
    let reported = dated.map_or_else(
        || {
            chrono::Utc::now()
                .with_timezone(&vi::vietnam_offset())
                .date_naive()
        },
        |(d, _)| d,
    );
    let rendered = write::render(&origin, year, q, plan, reported, &rows);

    // Read the text back as `bantin check` will, before writing it.
    let rel = if in_site {
        pages::results_file(req.period)
    } else {
        output.display().to_string()
    };
    let id = site.files.add(rel.clone());
    let (report, diagnostics) =
        load::report_from_text(&site.files, id, &rendered.text, Some((year, q)));
    for d in diagnostics {
        translate(d, &rendered, &mut p);
    }
    if in_site && let Some(report) = report {
        site.reports.retain(|r| {
            !(r.year.value == year && r.quarter.value == q && site.files.path(r.file) == rel)
        });
        site.reports.push(report);
        site.reports
            .sort_by_key(|r| (r.year.value, r.quarter.value, r.file));
        for d in crate::check::check(&site, &crate::pages::TagSlugs::new(&site)) {
            // Reported above, in the spreadsheet's terms.
            let repeated = matches!(
                d.code,
                Code::UnknownPlan | Code::UnitInactive | Code::MissingRow
            );
            if d.file == rel && !repeated {
                translate(d, &rendered, &mut p);
            }
        }
    }
    if p.error_count() > 0 {
        return Ok(finish(p));
    }

    let replaced = output.exists();
    let mut outcome = finish(p);
    match write::write_atomically(&output, &rendered.text, req.force) {
        Ok(()) => {
            outcome.written = Some(Written {
                path: output,
                rows: rows.len(),
                replaced,
                source,
                period: quarter.label(),
                reported: dated.map(|(d, (row, col))| (d, sheet::cell_name(row, col))),
            });
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            outcome.failed = Some(format!(
                "tệp {} vừa được tạo trong lúc nhập; thêm --force để ghi đè",
                sheet::printable(&output.display().to_string())
            ));
        }
        Err(e) => {
            outcome.failed = Some(format!(
                "không ghi được {}: {e}",
                sheet::printable(&output.display().to_string())
            ));
        }
    }
    Ok(outcome)
}

fn finish(p: Problems) -> Outcome {
    Outcome {
        problems: p.into_sorted(),
        ..Outcome::default()
    }
}

/// The file as a grid, and how it was read (for the summary line).
fn read_grid(path: &Path, format: Format, p: &mut Problems) -> Option<(sheet::Grid, String)> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let size = match std::fs::metadata(path) {
        Ok(m) if m.is_file() => m.len(),
        Ok(_) => {
            p.file(Code::Io, "không phải một tệp");
            return None;
        }
        Err(e) => {
            p.file(Code::Io, format!("không đọc được tệp: {e}"));
            return None;
        }
    };
    if too_big(size, &format, p) {
        return None;
    }
    match format {
        Format::Workbook => {
            let read = sheet::read_workbook(path, table::recognisable);
            workbook_grid(read, name, p)
        }
        Format::Text => {
            let mut bytes = Vec::new();
            let read = File::open(path).and_then(|f| {
                f.take(limits::MAX_TEXT_FILE_BYTES + 1)
                    .read_to_end(&mut bytes)
            });
            if let Err(e) = read {
                p.file(Code::Io, format!("không đọc được tệp: {e}"));
                return None;
            }
            text_grid(bytes, name, p)
        }
    }
}

/// Reports a file larger than its format allows.
fn too_big(size: u64, format: &Format, p: &mut Problems) -> bool {
    let (limit, kind) = match format {
        Format::Workbook => (limits::MAX_WORKBOOK_FILE_BYTES, "bảng tính"),
        Format::Text => (limits::MAX_TEXT_FILE_BYTES, "CSV"),
    };
    if size <= limit {
        return false;
    }
    p.file(
        Code::TooLarge,
        format!(
            "tệp lớn {}, vượt giới hạn {} của tệp {kind}",
            limits::size_text(size),
            limits::size_text(limit)
        ),
    )
    .with_hint(sheet::TABLE_HINT);
    true
}

fn read_error(p: &mut Problems, e: sheet::ReadError) {
    match e {
        sheet::ReadError::Unreadable(m) => {
            p.file(Code::Io, m);
        }
        sheet::ReadError::TooLarge(m, hint) => {
            p.file(Code::TooLarge, m).with_hint(hint);
        }
    }
}

fn workbook_grid(
    read: Result<sheet::Grid, sheet::ReadError>,
    name: String,
    p: &mut Problems,
) -> Option<(sheet::Grid, String)> {
    let name = sheet::printable(&name);
    match read {
        Ok(grid) => {
            let source = match &grid.sheet {
                Some(s) => format!("{name}, trang tính {}", load::shown(s)),
                None => name,
            };
            Some((grid, source))
        }
        Err(e) => {
            read_error(p, e);
            None
        }
    }
}

fn text_grid(bytes: Vec<u8>, name: String, p: &mut Problems) -> Option<(sheet::Grid, String)> {
    let name = sheet::printable(&name);
    let (text, encoding) = delimited::decode(bytes);
    match delimited::read(&text, table::score) {
        Ok((grid, delimiter)) => {
            let delimiter = match delimiter {
                b'\t' => "TAB".to_owned(),
                d => format!("'{}'", char::from(d)),
            };
            let source = format!("{name} ({}, phân cách {delimiter})", encoding.name());
            Some((grid, source))
        }
        Err(e) => {
            read_error(p, e);
            None
        }
    }
}

/// The reading steps of `bantin import` on the bytes of a file named
/// `name` (CSV text by its extension .csv, .tsv or .txt, otherwise a
/// workbook, whatever its content): the sheet read, the header row found,
/// every row read as figures of `units` in `quarter`. Returns every
/// problem, sorted, as `bantin import` prints them. For the fuzz target and
/// the property tests: whatever the bytes, bounded as the command is.
pub fn read_bytes(name: &str, bytes: &[u8], units: &[Unit], quarter: Quarter) -> Vec<Problem> {
    let mut p = Problems::new(sheet::printable(name));
    let format = match extension(Path::new(name)).as_deref() {
        Some("csv" | "tsv" | "txt") => Format::Text,
        _ => Format::Workbook,
    };
    if too_big(bytes.len() as u64, &format, &mut p) {
        return p.into_sorted();
    }
    let grid = match format {
        Format::Workbook => {
            let read = sheet::read_workbook_from(std::io::Cursor::new(bytes), table::recognisable);
            workbook_grid(read, name.to_owned(), &mut p)
        }
        Format::Text => text_grid(bytes.to_vec(), name.to_owned(), &mut p),
    };
    let Some((grid, _)) = grid else {
        return p.into_sorted();
    };
    p.sheet = grid.sheet.clone();
    if let Some(layout) = table::layout(&grid, &mut p) {
        table::rows(&grid, &layout, &table::Units::new(units, quarter), &mut p);
    }
    p.into_sorted()
}

/// Warns when the site has no plan `plan` for `year`: `bantin check` will
/// refuse the file until the plan is added.
fn check_plan(site: &crate::model::Site, plan: &DocSymbol, year: i32, p: &mut Problems) {
    if site.incomplete.contains(&Section::Plans) {
        return;
    }
    let symbol = plan.to_string();
    let same_year: Vec<String> = site
        .plans
        .iter()
        .filter(|pl| pl.year.value == year)
        .map(|pl| pl.symbol.to_string())
        .collect();
    if same_year.contains(&symbol) {
        return;
    }
    let d = p.file(
        Code::Suspicious,
        format!(
            "trang chưa có kế hoạch {symbol} cho năm {year} trong plans/; bantin check sẽ báo lỗi E304 cho tới khi có"
        ),
    );
    if let Some(close) = nearest(&symbol, same_year.iter().map(String::as_str)) {
        d.with_hint(format!("có phải --plan {close}?"));
    } else if let [only] = same_year.as_slice() {
        d.with_hint(format!("kế hoạch năm {year} là {only}"));
    }
}

/// A diagnostic about the rendered text, pointed at the cell its line came
/// from (or at the input file).
fn translate(d: Diagnostic, rendered: &write::Rendered, p: &mut Problems) {
    let cell = (d.line as usize)
        .checked_sub(1)
        .and_then(|i| rendered.cells.get(i).copied().flatten());
    let problem = match cell {
        Some((row, col)) => p.at(d.code, row, col, d.message),
        None => p.file(d.code, d.message),
    };
    problem.hint = d.hint;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_past_the_limit_are_counted_in_one_last_line() {
        let mut p = Problems::for_test();
        for row in 0..limits::MAX_PROBLEMS as u32 + 5 {
            p.at(Code::WrongType, row, 1, "sai").with_hint("gợi ý");
        }
        p.at(Code::Suspicious, 0, 9, "cảnh báo");
        assert_eq!(p.error_count(), limits::MAX_PROBLEMS + 5);
        let list = p.into_sorted();
        assert_eq!(list.len(), limits::MAX_PROBLEMS + 1);
        let last = list.last().map(ToString::to_string).unwrap_or_default();
        assert_eq!(
            last,
            "bang.xlsx: error[E106]: còn 5 lỗi và 1 cảnh báo nữa không in ra; chỉ in 10.000 vấn đề đầu — sửa các lỗi trên rồi nhập lại; nhiều ô sai như vậy thường là nhầm tệp hoặc nhầm trang tính"
        );
    }

    /// Hostile bytes through every step before the site: no panic, and
    /// every problem names a cell or the file.
    #[test]
    fn generated_input_never_panics() {
        const PIECES: &[&[u8]] = &[
            "Đơn vị".as_bytes(),
            "Kết nạp".as_bytes(),
            "Nữ".as_bytes(),
            "Trong đó".as_bytes(),
            "Tổng cộng".as_bytes(),
            b"STT",
            b"an-thinh",
            b"35",
            b"3.290",
            b"-1",
            b"35,5",
            b"(1)",
            b"-",
            b",",
            b";",
            b"\t",
            b"\n",
            b"\r\n",
            b"\"",
            b"\"\"",
            b"sep=;\n",
            b"\xEF\xBB\xBF",
            b"\xFF\xFE",
            b"\xFE\xFF",
            b"\x00",
            b"\xD0\xF5n vi\xF2",
            b"\xC3",
            b" ",
        ];
        let mut state: u64 = 0x1234_5678;
        let mut next = || {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            usize::try_from(state >> 33).unwrap_or(0)
        };
        let units = [];
        let quarter = Quarter::new(2024, 3).unwrap_or_else(|| panic!("quarter"));
        for _ in 0..1000 {
            let n = next() % 60;
            let bytes: Vec<u8> = (0..n)
                .flat_map(|_| PIECES[next() % PIECES.len()].iter().copied())
                .collect();
            let (text, _) = delimited::decode(bytes);
            let Ok((grid, _)) = delimited::read(&text, table::score) else {
                continue;
            };
            let mut p = Problems::new("bang.csv".into());
            if let Some(layout) = table::layout(&grid, &mut p) {
                let rows = table::rows(&grid, &layout, &table::Units::new(&units, quarter), &mut p);
                assert!(rows.is_empty());
            }
            for problem in p.into_sorted() {
                assert!(problem.place.starts_with("bang.csv"), "{problem}");
            }
        }
    }
}
