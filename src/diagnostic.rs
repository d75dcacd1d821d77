//! Content problems as values: `FILE:LINE:COL: error[CODE]: message`.
//!
//! Every check in the program produces a [`Diagnostic`] instead of failing:
//! loading and checking return all of them, the command line prints them and
//! decides the exit status. Messages and hints are Vietnamese; the codes are
//! stable, and `docs/ma-loi.md` explains each one.

use std::borrow::Cow;
use std::fmt;

use crate::model::{Files, Loc};
use crate::vi;

/// How bad a problem is: errors stop the build, warnings do not.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// Stable codes, one per kind of problem. The letter says the severity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Code {
    // E1xx — reading files
    /// Tệp không đọc được.
    Io,
    /// Tệp không phải UTF-8.
    NotUtf8,
    /// Cú pháp YAML sai.
    YamlSyntax,
    /// Dùng ký tự tab để thụt lề.
    YamlTab,
    /// Khóa bị lặp trong cùng một bảng.
    DuplicateKey,
    /// Tệp vượt giới hạn an toàn (kích thước, bí danh, độ lồng).
    TooLarge,
    /// Liên kết tượng trưng trỏ ra ngoài thư mục trang.
    SymlinkOutside,
    /// Tên tệp không hợp lệ (ký tự điều khiển, tên dành riêng, quá dài...).
    BadFileName,
    /// Thiếu phần đầu (front matter) của bài viết.
    FrontMatter,
    /// Hai tên tệp chỉ khác chữ hoa, chữ thường hay cách mã hóa dấu: trùng
    /// nhau trên Windows, macOS, ổ USB.
    NameCollision,

    // E2xx — shape of a value
    /// Khóa không được hỗ trợ (có thể viết sai).
    UnknownKey,
    /// Thiếu khóa bắt buộc.
    MissingKey,
    /// Sai kiểu giá trị.
    WrongType,
    /// Số âm ở chỗ chỉ nhận số không âm.
    NegativeCount,
    /// Số thập phân ở chỗ chỉ nhận số nguyên.
    FractionalCount,
    /// Ngày tháng không hợp lệ.
    BadDate,
    /// Mã định danh (id) không hợp lệ.
    BadId,
    /// Giá trị không hợp lệ.
    BadValue,
    /// Số hiệu văn bản sai dạng.
    BadSymbol,
    /// Nội dung rỗng ở chỗ cần có chữ.
    EmptyText,

    // E3xx — references and identity
    /// Đơn vị không có trong units.yaml.
    UnknownUnit,
    /// Đơn vị không hoạt động trong kỳ.
    UnitInactive,
    /// Một đơn vị có hai dòng trong cùng một quý.
    DuplicateRow,
    /// Kế hoạch không có trong plans/.
    UnknownPlan,
    /// Trùng mã định danh.
    DuplicateId,
    /// Trùng đường dẫn trang (slug).
    DuplicatePath,
    /// Liên kết tới trang không có.
    MissingPage,
    /// Liên kết tới tệp media không có.
    MissingMedia,
    /// Sơ đồ tổ chức sai (vòng lặp cấp trên, đơn vị kế thừa không hoạt động...).
    BadHistory,

    // E4xx — figures
    /// Số "trong đó" lớn hơn số kết nạp.
    OfWhomAboveAdmitted,
    /// Quý ngoài khoảng 1–4.
    QuarterOutOfRange,
    /// Năm/quý trong tệp khác với đường dẫn tệp.
    PeriodMismatch,
    /// Hai kế hoạch, hai chỉ tiêu hay hai tệp cho cùng một thứ.
    DuplicateEntry,
    /// Văn bản biên tập cho một quý không có số liệu.
    OrphanEditorial,

    // E6xx — templates
    /// Lỗi trong mẫu trang (template).
    Template,

    // Wxxx — warnings
    /// Số đảng viên giảm mà số đưa ra khỏi Đảng không giải thích được.
    MembersFall,
    /// Thiếu một quý giữa hai quý đã báo cáo.
    MissingQuarter,
    /// Chỉ tiêu giao cho đơn vị đã giải thể.
    QuotaForDissolved,
    /// Đơn vị hoạt động trong quý nhưng không có dòng số liệu.
    MissingRow,
    /// Giá trị đáng ngờ (không chặn việc tạo trang).
    Suspicious,
    /// Tệp không thuộc bố cục nội dung, bị bỏ qua.
    UnexpectedFile,
    /// Cột của bảng tính không nhận ra, bị bỏ qua (`bantin import`).
    UnknownColumn,
    /// Tệp chép nguyên (SVG, HTML...) chứa mã chạy được.
    ActiveContent,
    /// Các đơn vị trực thuộc cộng lại nhiều hơn dòng của đơn vị cấp trên.
    SubUnitsExceed,
    /// Số đảng viên chuyển cho các đơn vị kế thừa nhiều hơn số đảng viên
    /// của đơn vị ở báo cáo cuối.
    TransferExceeds,
    /// Hai nhiệm kỳ chồng lên nhau.
    TermOverlap,
    /// Nhiệm kỳ bắt đầu trước quý đầu tiên có kết quả.
    TermUncovered,
}

impl Code {
    /// Every code, in documentation order.
    pub const ALL: &'static [Code] = &[
        Code::Io,
        Code::NotUtf8,
        Code::YamlSyntax,
        Code::YamlTab,
        Code::DuplicateKey,
        Code::TooLarge,
        Code::SymlinkOutside,
        Code::BadFileName,
        Code::FrontMatter,
        Code::NameCollision,
        Code::UnknownKey,
        Code::MissingKey,
        Code::WrongType,
        Code::NegativeCount,
        Code::FractionalCount,
        Code::BadDate,
        Code::BadId,
        Code::BadValue,
        Code::BadSymbol,
        Code::EmptyText,
        Code::UnknownUnit,
        Code::UnitInactive,
        Code::DuplicateRow,
        Code::UnknownPlan,
        Code::DuplicateId,
        Code::DuplicatePath,
        Code::MissingPage,
        Code::MissingMedia,
        Code::BadHistory,
        Code::OfWhomAboveAdmitted,
        Code::QuarterOutOfRange,
        Code::PeriodMismatch,
        Code::DuplicateEntry,
        Code::OrphanEditorial,
        Code::TermOverlap,
        Code::Template,
        Code::MembersFall,
        Code::MissingQuarter,
        Code::QuotaForDissolved,
        Code::MissingRow,
        Code::Suspicious,
        Code::UnexpectedFile,
        Code::UnknownColumn,
        Code::ActiveContent,
        Code::SubUnitsExceed,
        Code::TransferExceeds,
        Code::TermUncovered,
    ];

    /// The printed code, such as `E301`.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Io => "E101",
            Code::NotUtf8 => "E102",
            Code::YamlSyntax => "E103",
            Code::YamlTab => "E104",
            Code::DuplicateKey => "E105",
            Code::TooLarge => "E106",
            Code::SymlinkOutside => "E107",
            Code::UnexpectedFile => "W506",
            Code::BadFileName => "E108",
            Code::FrontMatter => "E109",
            Code::NameCollision => "E110",
            Code::UnknownKey => "E201",
            Code::MissingKey => "E202",
            Code::WrongType => "E203",
            Code::NegativeCount => "E204",
            Code::FractionalCount => "E205",
            Code::BadDate => "E206",
            Code::BadId => "E207",
            Code::BadValue => "E208",
            Code::BadSymbol => "E209",
            Code::EmptyText => "E210",
            Code::UnknownUnit => "E301",
            Code::UnitInactive => "E302",
            Code::DuplicateRow => "E303",
            Code::UnknownPlan => "E304",
            Code::DuplicateId => "E305",
            Code::DuplicatePath => "E306",
            Code::MissingPage => "E307",
            Code::MissingMedia => "E308",
            Code::BadHistory => "E309",
            Code::OfWhomAboveAdmitted => "E401",
            Code::QuarterOutOfRange => "E402",
            Code::PeriodMismatch => "E403",
            Code::DuplicateEntry => "E404",
            Code::OrphanEditorial => "E405",
            Code::TermOverlap => "E406",
            Code::Template => "E601",
            Code::MembersFall => "W501",
            Code::MissingQuarter => "W502",
            Code::QuotaForDissolved => "W503",
            Code::MissingRow => "W504",
            Code::Suspicious => "W505",
            Code::UnknownColumn => "W507",
            Code::ActiveContent => "W508",
            Code::SubUnitsExceed => "W509",
            Code::TransferExceeds => "W510",
            Code::TermUncovered => "W511",
        }
    }

    pub fn severity(self) -> Severity {
        if self.as_str().starts_with('W') {
            Severity::Warning
        } else {
            Severity::Error
        }
    }
}

/// One problem, ready to print: where, what, and how to fix it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: Code,
    /// Path relative to the site folder, with `/` separators.
    pub file: String,
    /// 1-based; 0 when the problem concerns the whole file.
    pub line: u32,
    /// 1-based, in characters.
    pub col: u32,
    pub message: String,
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn severity(&self) -> Severity {
        self.code.severity()
    }

    pub fn is_error(&self) -> bool {
        self.severity() == Severity::Error
    }

    /// The order diagnostics are printed in: by file, then position.
    fn sort_key(&self) -> (&str, u32, u32, Code, &str) {
        (&self.file, self.line, self.col, self.code, &self.message)
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let place = format!("{}:{}:{}", self.file, self.line.max(1), self.col.max(1));
        write_line(f, &place, self.code, &self.message, self.hint.as_deref())
    }
}

/// One problem as printed: `PLACE: error[CODE]: message — hint`. Shared by
/// diagnostics (PLACE is `FILE:LINE:COL`) and `import` (a spreadsheet cell).
pub fn write_line(
    f: &mut fmt::Formatter<'_>,
    place: &str,
    code: Code,
    message: &str,
    hint: Option<&str>,
) -> fmt::Result {
    let kind = match code.severity() {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    write!(
        f,
        "{}: {kind}[{}]: {}",
        printable(place),
        code.as_str(),
        printable(message)
    )?;
    if let Some(hint) = hint {
        write!(f, " — {}", printable(hint))?;
    }
    Ok(())
}

/// `text` as it may be shown on a terminal, in a log or on one line of a
/// page: every character that would act instead of show — control
/// characters (C0, DEL, C1: a line break, `ESC ]0;…` setting a terminal's
/// title, `ESC [2K` erasing a line), line and paragraph separators, and the
/// bidirectional marks and overrides that reorder a line (U+202A–U+202E,
/// U+2066–U+2069, U+200E, U+200F, U+061C) — written as a visible escape
/// (`\n`, `\t`, `\u{1b}`). Everything printed goes through it: file names
/// and cell text come from folders and spreadsheets received from others.
pub fn printable(text: &str) -> Cow<'_, str> {
    if !text.chars().any(acts_on_terminal) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if acts_on_terminal(c) => out.extend(c.escape_unicode()),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Whether a character would act on a terminal rather than show: control
/// characters, the line and paragraph separators, and the bidirectional
/// marks and overrides that reorder a line. [`printable`] escapes exactly
/// these; checks of printed output look for them.
pub fn acts_on_terminal(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{202A}'..='\u{202E}'
                | '\u{2066}'..='\u{2069}'
                | '\u{200E}'
                | '\u{200F}'
                | '\u{061C}'
                | '\u{2028}'
                | '\u{2029}'
        )
}

/// Collects diagnostics for one pass; resolves file ids to paths.
pub struct Diagnostics<'f> {
    files: &'f Files,
    list: Vec<Diagnostic>,
}

impl<'f> Diagnostics<'f> {
    pub fn new(files: &'f Files) -> Self {
        Diagnostics {
            files,
            list: Vec::new(),
        }
    }

    /// Reports a problem at `loc`; returns it so a hint can be attached.
    pub fn report(&mut self, code: Code, loc: Loc, message: impl Into<String>) -> &mut Diagnostic {
        self.list.push(Diagnostic {
            code,
            file: self.files.path(loc.file).to_owned(),
            line: loc.line,
            col: loc.col,
            message: message.into(),
            hint: None,
        });
        let last = self.list.len() - 1;
        &mut self.list[last]
    }

    /// How many problems were reported so far.
    pub fn len(&self) -> usize {
        self.list.len()
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The problems reported from the `start`-th on, to refine.
    pub fn since_mut(&mut self, start: usize) -> &mut [Diagnostic] {
        let start = start.min(self.list.len());
        &mut self.list[start..]
    }

    pub fn extend(&mut self, more: impl IntoIterator<Item = Diagnostic>) {
        self.list.extend(more);
    }

    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.list
    }
}

impl Diagnostic {
    pub fn with_hint(&mut self, hint: impl Into<String>) -> &mut Self {
        self.hint = Some(hint.into());
        self
    }
}

/// Sorts for printing and drops exact repeats, so output is the same on every run.
pub fn finish(mut list: Vec<Diagnostic>) -> Vec<Diagnostic> {
    list.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    list.dedup();
    list
}

/// The candidate closest to `wanted`, compared on folded text (no diacritics,
/// no case, `đ` = `d`), when it is close enough to be a likely typo.
pub fn nearest<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let wanted = vi::fold(wanted);
    if wanted.is_empty() {
        return None;
    }
    let limit = (wanted.chars().count() / 3).clamp(1, 4);
    let mut best: Option<(usize, &str)> = None;
    let length = wanted.chars().count();
    for candidate in candidates {
        let folded = vi::fold(candidate);
        // The distance is at least the difference of the lengths; skipping
        // those keeps a long text from costing length × length.
        if folded.chars().count().abs_diff(length) > limit {
            continue;
        }
        let distance = strsim::levenshtein(&wanted, &folded);
        if distance <= limit && best.is_none_or(|(d, c)| (distance, candidate) < (d, c)) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, c)| c)
}

/// A hint of the form `có phải 'ngan-son'?` when a close candidate exists.
pub fn did_you_mean<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    nearest(wanted, candidates).map(|c| format!("có phải '{c}'?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_well_formed() {
        let mut seen = std::collections::BTreeSet::new();
        for code in Code::ALL {
            let s = code.as_str();
            assert!(seen.insert(s), "{s} twice");
            assert_eq!(s.len(), 4);
            assert!(s.starts_with('E') || s.starts_with('W'));
        }
    }

    #[test]
    fn every_code_is_documented_for_editors() {
        let guide = include_str!("../docs/ma-loi.md");
        for code in Code::ALL {
            assert!(
                guide.contains(&format!("| {} |", code.as_str())),
                "{} is missing from docs/ma-loi.md",
                code.as_str()
            );
        }
    }

    #[test]
    fn nearest_compares_folded_text() {
        let ids = ["ngan-son", "bach-thong", "cho-moi"];
        assert_eq!(nearest("ngan-sonn", ids), Some("ngan-son"));
        assert_eq!(
            nearest("Ngân Sơn", ["Ngan Son", "Bach Thong"]),
            Some("Ngan Son")
        );
        assert_eq!(nearest("hoà bình", ["Hòa Bình"]), Some("Hòa Bình"));
        assert_eq!(nearest("quang-ninh", ids), None);
        assert_eq!(nearest("", ids), None);
    }

    #[test]
    fn what_acts_on_a_terminal_is_shown_escaped() {
        assert!(matches!(printable("tệp ảnh.png"), Cow::Borrowed(_)));
        assert_eq!(printable("a\nb\tc\rd"), "a\\nb\\tc\\rd");
        assert_eq!(
            printable("t\u{1b}]0;x\u{7}\u{1b}[2K"),
            "t\\u{1b}]0;x\\u{7}\\u{1b}[2K"
        );
        assert_eq!(printable("\u{7f}\u{85}\u{9b}"), "\\u{7f}\\u{85}\\u{9b}");
        assert_eq!(
            printable("anh\u{202e}gnp.exe \u{2066}x\u{2069}"),
            "anh\\u{202e}gnp.exe \\u{2066}x\\u{2069}"
        );
        assert_eq!(printable("a\u{2028}b"), "a\\u{2028}b");
    }

    #[test]
    fn a_diagnostic_prints_on_one_line_whatever_its_text() {
        let d = Diagnostic {
            code: Code::BadFileName,
            file: "content/media/a\nb\u{1b}[2K.png".into(),
            line: 0,
            col: 0,
            message: "tên \u{202e}x".into(),
            hint: Some("đổi\r\ntên".into()),
        };
        let printed = d.to_string();
        assert_eq!(
            printed,
            "content/media/a\\nb\\u{1b}[2K.png:1:1: error[E108]: tên \\u{202e}x — đổi\\r\\ntên"
        );
        assert!(!printed.chars().any(acts_on_terminal));
    }

    #[test]
    fn display_has_the_documented_shape() {
        let d = Diagnostic {
            code: Code::UnknownUnit,
            file: "content/results/2023/q1.yaml".into(),
            line: 7,
            col: 11,
            message: "đơn vị 'ngan-sonn' không có trong units.yaml".into(),
            hint: Some("có phải 'ngan-son'?".into()),
        };
        assert_eq!(
            d.to_string(),
            "content/results/2023/q1.yaml:7:11: error[E301]: đơn vị 'ngan-sonn' không có trong units.yaml — có phải 'ngan-son'?"
        );
    }
}
