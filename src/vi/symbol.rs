//! Document symbols (số, ký hiệu văn bản): parsing, canonical printing, slugs
//! and discovery in running text.
//!
//! Two families are recognised:
//!
//! - party documents (văn bản của Đảng, Hướng dẫn 36-HD/VPTW):
//!   `<số>-<loại>/<cơ quan>`, e.g. `366-KH/TU`, `05-QĐi/TW`, `17-CV/BTCĐUK`;
//! - state documents (văn bản nhà nước, Nghị định 30/2020/NĐ-CP):
//!   `<số>/<loại>-<cơ quan>` or `<số>/<năm>/<loại>-<cơ quan>`, e.g.
//!   `155/QĐ-BGDĐT`, `30/2020/NĐ-CP`, and laws `<số>/<năm>/QH<khóa>`, e.g.
//!   `45/2019/QH14`.
//!
//! Decisions:
//!
//! - The number is 1–6 ASCII digits, kept as text so leading zeros (`05`)
//!   survive. Letter suffixes (`12a`) are not accepted: neither regulation
//!   provides for them and they are not seen in the data we publish.
//! - Symbols are case-sensitive as printed. Lower-case input, or a known
//!   type in the wrong case (`CTR` for `CTr`), is rejected with a suggestion
//!   ([`SymbolError::WrongCase`]).
//! - Issuers are upper-case letters (with `Đ`) and digits, hyphen-joined
//!   parts only in the state form (`UBND-VX`). The one mixed-case issuer in
//!   national use, `TTg` (Thủ tướng Chính phủ, as in `16/CT-TTg`), is
//!   accepted as an exception.
//! - A law `45/2019/QH14` is stored with `kind = "QH"`, `issuer = "QH14"`,
//!   and [`DocSymbol::type_name`] gives "Luật". Resolutions of the National
//!   Assembly share this form (`Nghị quyết số 30/2021/QH15`); callers that
//!   know the surrounding words should prefer them.
//! - A state công văn written `123/UBND-VX` (no type) parses as type `UBND`,
//!   issuer `VX`; it prints back unchanged, only [`DocSymbol::type_name`] is
//!   `None`.
//! - The same abbreviation can mean different things in the two families:
//!   `TT` is Thông tri in party documents but Thông tư in state documents.
//!   The free function [`type_name`] gives the state meaning; the method
//!   uses the symbol's form.

use std::fmt;
use std::ops::Range;

use super::fold::nfc;
use super::slug::slugify;

/// Longest accepted symbol, in characters.
pub const MAX_SYMBOL_LEN: usize = 40;
/// Longest number part, in digits.
pub const MAX_NUMBER_LEN: usize = 6;
/// Longest type abbreviation, in characters.
pub const MAX_KIND_LEN: usize = 8;
/// Longest issuer abbreviation, in characters (hyphens included).
pub const MAX_ISSUER_LEN: usize = 20;

/// Which family a symbol belongs to (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SymbolForm {
    /// `<số>-<loại>/<cơ quan>`, văn bản của Đảng.
    Party,
    /// `<số>/[<năm>/]<loại>-<cơ quan>` and laws `<số>/<năm>/QH<n>`.
    State,
}

/// A parsed document symbol. [`fmt::Display`] prints the canonical text.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DocSymbol {
    /// Số văn bản, ASCII digits as written (`"05"`).
    pub number: String,
    /// Năm ban hành, present only in state symbols such as `30/2020/NĐ-CP`.
    pub year: Option<u16>,
    /// Type abbreviation (`"KH"`, `"QĐi"`); `"QH"` for laws.
    pub kind: String,
    /// Issuer abbreviation (`"TU"`, `"BGDĐT"`, `"UBND-VX"`, `"QH14"`).
    pub issuer: String,
    /// Party or state family.
    pub form: SymbolForm,
}

/// Why a text is not a document symbol. [`SymbolError::message_vi`] explains
/// it to the user in Vietnamese.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SymbolError {
    /// Nothing but whitespace.
    Empty,
    /// Longer than [`MAX_SYMBOL_LEN`] characters.
    TooLong,
    /// A character that never occurs in a symbol (space, punctuation,
    /// accented letter other than `Đ`, control character).
    BadCharacter(char),
    /// Does not start with the document number.
    NoNumber,
    /// More than [`MAX_NUMBER_LEN`] digits.
    NumberTooLong,
    /// The number is not followed by `-` (party) or `/` (state).
    MissingSeparator,
    /// Party form without the `/` before the issuer (`366-KH`).
    MissingSlash,
    /// State form without the `-` between type and issuer (`155/QĐBGDĐT`).
    MissingHyphen,
    /// The type abbreviation is empty (`366-/TU`).
    EmptyType,
    /// The type abbreviation has characters other than letters or starts
    /// with something other than a letter.
    BadType(String),
    /// Type abbreviation longer than [`MAX_KIND_LEN`].
    TypeTooLong,
    /// The issuer abbreviation is empty (`366-KH/`).
    EmptyIssuer,
    /// The issuer is not upper-case letters and digits (or has an empty
    /// hyphen-joined part, or a hyphen in the party form).
    BadIssuer(String),
    /// Issuer abbreviation longer than [`MAX_ISSUER_LEN`].
    IssuerTooLong,
    /// The year of a state symbol is not four digits in 1900..=2200.
    BadYear,
    /// Extra text after an otherwise complete symbol (`366-KH/TU/x`).
    ExtraText(String),
    /// Letters in the wrong case; carries the corrected symbol.
    WrongCase {
        /// The symbol with canonical capitalisation.
        suggestion: String,
    },
}

impl SymbolError {
    /// A Vietnamese explanation for the user.
    pub fn message_vi(&self) -> String {
        const SHAPE: &str = "số hiệu phải có dạng <số>-<loại>/<cơ quan> (văn bản Đảng, \
                             ví dụ 366-KH/TU) hoặc <số>/<loại>-<cơ quan> \
                             (văn bản nhà nước, ví dụ 155/QĐ-BGDĐT)";
        match self {
            Self::Empty => "số hiệu văn bản đang để trống".to_string(),
            Self::TooLong => {
                format!("số hiệu văn bản quá dài (tối đa {MAX_SYMBOL_LEN} ký tự)")
            }
            Self::BadCharacter(c) => format!(
                "số hiệu có ký tự không hợp lệ {c:?}; chỉ dùng chữ cái không dấu, \
                 chữ Đ, chữ số và các dấu '-', '/'"
            ),
            Self::NoNumber => format!("số hiệu phải bắt đầu bằng số văn bản; {SHAPE}"),
            Self::NumberTooLong => {
                format!("số văn bản có tối đa {MAX_NUMBER_LEN} chữ số")
            }
            Self::MissingSeparator => SHAPE.to_string(),
            Self::MissingSlash => "thiếu dấu '/' trước cơ quan ban hành; số hiệu văn bản \
                                   Đảng phải có dạng <số>-<loại>/<cơ quan>, ví dụ 366-KH/TU"
                .to_string(),
            Self::MissingHyphen => "thiếu dấu '-' giữa loại văn bản và cơ quan ban hành; \
                                    số hiệu văn bản nhà nước phải có dạng \
                                    <số>/<loại>-<cơ quan>, ví dụ 155/QĐ-BGDĐT"
                .to_string(),
            Self::EmptyType => "thiếu chữ viết tắt loại văn bản (ví dụ KH, NQ, QĐ)".to_string(),
            Self::BadType(t) => format!(
                "chữ viết tắt loại văn bản «{t}» không hợp lệ: chỉ gồm chữ cái, \
                 bắt đầu bằng chữ in hoa (ví dụ KH, CTr, QĐi)"
            ),
            Self::TypeTooLong => {
                format!("chữ viết tắt loại văn bản dài quá {MAX_KIND_LEN} ký tự")
            }
            Self::EmptyIssuer => {
                "thiếu chữ viết tắt cơ quan ban hành (ví dụ TU, TW, CP)".to_string()
            }
            Self::BadIssuer(i) => format!(
                "chữ viết tắt cơ quan ban hành «{i}» không hợp lệ: chỉ gồm chữ in hoa \
                 và chữ số (văn bản nhà nước được nối bằng '-', ví dụ UBND-VX)"
            ),
            Self::IssuerTooLong => {
                format!("chữ viết tắt cơ quan ban hành dài quá {MAX_ISSUER_LEN} ký tự")
            }
            Self::BadYear => "năm ban hành trong số hiệu phải có 4 chữ số, từ 1900 đến 2200 \
                 (ví dụ 30/2020/NĐ-CP)"
                .to_string(),
            Self::ExtraText(rest) => format!("số hiệu có phần thừa ở cuối «{rest}»"),
            Self::WrongCase { suggestion } => {
                format!("số hiệu phân biệt chữ hoa, chữ thường; có phải là {suggestion}?")
            }
        }
    }
}

impl fmt::Display for SymbolError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message_vi())
    }
}

impl std::error::Error for SymbolError {}

/// Type abbreviations and their names. The first block is common to both
/// families (or used by one only); conflicts are resolved by [`name_for`].
const TYPES: &[(&str, &str)] = &[
    ("KH", "Kế hoạch"),
    ("NQ", "Nghị quyết"),
    ("CTr", "Chương trình"),
    ("CT", "Chỉ thị"),
    ("QĐ", "Quyết định"),
    ("HD", "Hướng dẫn"),
    ("BC", "Báo cáo"),
    ("ĐA", "Đề án"),
    ("KL", "Kết luận"),
    ("TB", "Thông báo"),
    ("CV", "Công văn"),
    ("QC", "Quy chế"),
    ("QĐi", "Quy định"),
    ("TTr", "Tờ trình"),
    ("NĐ", "Nghị định"),
    ("TT", "Thông tư"),
    ("TTLT", "Thông tư liên tịch"),
    ("QH", "Luật"),
    // Further abbreviations from Nghị định 30/2020/NĐ-CP, Phụ lục III.
    ("QyĐ", "Quy định"),
    ("TC", "Thông cáo"),
    ("PA", "Phương án"),
    ("DA", "Dự án"),
    ("BB", "Biên bản"),
    ("HĐ", "Hợp đồng"),
    ("CĐ", "Công điện"),
    ("GM", "Giấy mời"),
];

/// Issuer parts that are legitimately mixed-case.
const MIXED_CASE_ISSUER_PARTS: &[&str] = &["TTg"];

/// Name of a document type from its abbreviation, in the state meaning where
/// the families differ (`TT` → Thông tư): `type_name("KH")` → `"Kế hoạch"`.
/// Case-sensitive, like the symbols themselves.
pub fn type_name(abbr: &str) -> Option<&'static str> {
    TYPES
        .iter()
        .find(|(a, _)| *a == abbr)
        .map(|(_, name)| *name)
}

fn name_for(kind: &str, form: SymbolForm) -> Option<&'static str> {
    match (form, kind) {
        // Hướng dẫn 36-HD/VPTW: TT is Thông tri in party documents.
        (SymbolForm::Party, "TT") => Some("Thông tri"),
        (SymbolForm::Party, "QH") => None,
        _ => type_name(kind),
    }
}

impl DocSymbol {
    /// Parses a whole string as one symbol. Surrounding whitespace is
    /// trimmed and the text is put in NFC first; anything else around the
    /// symbol is an error.
    ///
    /// # Errors
    ///
    /// A [`SymbolError`] naming the first problem found; its
    /// [`SymbolError::message_vi`] is meant to be shown to the user.
    pub fn parse(s: &str) -> Result<DocSymbol, SymbolError> {
        let trimmed = s.trim();
        if trimmed.is_empty() {
            return Err(SymbolError::Empty);
        }
        // Cheap bound before normalising: more than 4 bytes per allowed
        // character cannot fit.
        if trimmed.len() > MAX_SYMBOL_LEN * 4 {
            return Err(SymbolError::TooLong);
        }
        let text = nfc(trimmed);
        if text.chars().count() > MAX_SYMBOL_LEN {
            return Err(SymbolError::TooLong);
        }
        if let Some(c) = text.chars().find(|&c| !is_symbol_char(c)) {
            return Err(SymbolError::BadCharacter(c));
        }
        let raw = parse_structure(&text)?;
        raw.check_case()?;
        Ok(raw)
    }

    /// Name of the document type (`"Kế hoạch"` for `KH`), taking the family
    /// into account (`TT` is Thông tri for the party, Thông tư for the state).
    pub fn type_name(&self) -> Option<&'static str> {
        name_for(&self.kind, self.form)
    }

    /// URL slug: `366-kh-tu`, `155-qd-bgddt`, `30-2020-nd-cp`, `05-qdi-tw`.
    pub fn slug(&self) -> String {
        slugify(&self.to_string())
    }

    fn is_law(&self) -> bool {
        self.form == SymbolForm::State
            && self.kind == "QH"
            && self.year.is_some()
            && is_law_issuer(&self.issuer)
    }

    /// Rejects wrong capitalisation, suggesting the canonical spelling.
    fn check_case(&self) -> Result<(), SymbolError> {
        let kind = canonical_kind(&self.kind);
        let issuer = canonical_issuer(&self.issuer);
        if kind == self.kind && issuer == self.issuer {
            return Ok(());
        }
        let fixed = DocSymbol {
            kind,
            issuer,
            ..self.clone()
        };
        Err(SymbolError::WrongCase {
            suggestion: fixed.to_string(),
        })
    }
}

impl fmt::Display for DocSymbol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.form {
            SymbolForm::Party => write!(f, "{}-{}/{}", self.number, self.kind, self.issuer),
            SymbolForm::State => {
                write!(f, "{}/", self.number)?;
                if let Some(y) = self.year {
                    write!(f, "{y}/")?;
                }
                if self.is_law() {
                    f.write_str(&self.issuer)
                } else {
                    write!(f, "{}-{}", self.kind, self.issuer)
                }
            }
        }
    }
}

impl std::str::FromStr for DocSymbol {
    type Err = SymbolError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        DocSymbol::parse(s)
    }
}

fn is_symbol_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '/' | 'Đ' | 'đ')
}

fn is_letter(c: char) -> bool {
    c.is_ascii_alphabetic() || c == 'Đ' || c == 'đ'
}

fn is_lower(c: char) -> bool {
    c.is_ascii_lowercase() || c == 'đ'
}

fn to_upper(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c == 'đ' {
                'Đ'
            } else {
                c.to_ascii_uppercase()
            }
        })
        .collect()
}

fn is_law_issuer(issuer: &str) -> bool {
    issuer
        .strip_prefix("QH")
        .is_some_and(|n| (1..=2).contains(&n.len()) && n.bytes().all(|b| b.is_ascii_digit()))
}

/// The known spelling of a type abbreviation matching `kind` ignoring case,
/// or `kind` upper-cased when its first letter is lower-case, or `kind`.
fn canonical_kind(kind: &str) -> String {
    let upper = to_upper(kind);
    if let Some((known, _)) = TYPES.iter().find(|(a, _)| to_upper(a) == upper) {
        return (*known).to_string();
    }
    match kind.chars().next() {
        Some(c) if is_lower(c) => upper,
        _ => kind.to_string(),
    }
}

/// The issuer upper-cased, except the known mixed-case parts (`TTg`).
fn canonical_issuer(issuer: &str) -> String {
    issuer
        .split('-')
        .map(|part| {
            let upper = to_upper(part);
            MIXED_CASE_ISSUER_PARTS
                .iter()
                .find(|known| to_upper(known) == upper)
                .map_or(upper, |known| (*known).to_string())
        })
        .collect::<Vec<_>>()
        .join("-")
}

/// Splits `text` (already checked to hold only symbol characters) into its
/// parts. Capitalisation is checked separately so the error can carry a
/// corrected suggestion.
fn parse_structure(text: &str) -> Result<DocSymbol, SymbolError> {
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return Err(SymbolError::NoNumber);
    }
    if digits > MAX_NUMBER_LEN {
        return Err(SymbolError::NumberTooLong);
    }
    // The number is ASCII, so `digits` is a char boundary.
    let (number, rest) = text.split_at_checked(digits).ok_or(SymbolError::NoNumber)?;
    let number = number.to_string();
    if let Some(rest) = rest.strip_prefix('-') {
        parse_party(number, rest)
    } else if let Some(rest) = rest.strip_prefix('/') {
        parse_state(number, rest)
    } else {
        Err(SymbolError::MissingSeparator)
    }
}

/// `<loại>/<cơ quan>` after `<số>-`.
fn parse_party(number: String, rest: &str) -> Result<DocSymbol, SymbolError> {
    let Some((kind, issuer)) = rest.split_once('/') else {
        return Err(if rest.is_empty() {
            SymbolError::EmptyType
        } else {
            SymbolError::MissingSlash
        });
    };
    check_kind(kind)?;
    if let Some((issuer, extra)) = issuer.split_once('/') {
        check_issuer(issuer, false)?;
        return Err(SymbolError::ExtraText(format!("/{extra}")));
    }
    check_issuer(issuer, false)?;
    Ok(DocSymbol {
        number,
        year: None,
        kind: kind.to_string(),
        issuer: issuer.to_string(),
        form: SymbolForm::Party,
    })
}

/// `[<năm>/]<loại>-<cơ quan>` or `<năm>/QH<n>` after `<số>/`.
fn parse_state(number: String, rest: &str) -> Result<DocSymbol, SymbolError> {
    let (year, body) = match rest.split_once('/') {
        Some((first, body)) if !first.is_empty() && first.bytes().all(|b| b.is_ascii_digit()) => {
            (Some(parse_year(first)?), body)
        }
        Some((body, extra)) => {
            check_type_issuer(body)?;
            return Err(SymbolError::ExtraText(format!("/{extra}")));
        }
        None => (None, rest),
    };
    if let Some((body, extra)) = body.split_once('/') {
        check_type_issuer(body)?;
        return Err(SymbolError::ExtraText(format!("/{extra}")));
    }
    if year.is_some() && is_law_issuer(&to_upper(body)) {
        return Ok(DocSymbol {
            number,
            year,
            kind: "QH".to_string(),
            issuer: body.to_string(),
            form: SymbolForm::State,
        });
    }
    let (kind, issuer) = check_type_issuer(body)?;
    Ok(DocSymbol {
        number,
        year,
        kind: kind.to_string(),
        issuer: issuer.to_string(),
        form: SymbolForm::State,
    })
}

fn parse_year(s: &str) -> Result<u16, SymbolError> {
    if s.len() != 4 {
        return Err(SymbolError::BadYear);
    }
    match s.parse::<u16>() {
        Ok(y) if (1900..=2200).contains(&y) => Ok(y),
        _ => Err(SymbolError::BadYear),
    }
}

/// `<loại>-<cơ quan>` of the state form.
fn check_type_issuer(body: &str) -> Result<(&str, &str), SymbolError> {
    let Some((kind, issuer)) = body.split_once('-') else {
        return Err(match body.chars().next() {
            None => SymbolError::EmptyType,
            Some(c) if !is_letter(c) => SymbolError::BadType(body.to_string()),
            Some(_) => SymbolError::MissingHyphen,
        });
    };
    check_kind(kind)?;
    // `QH` only exists in the law form `<số>/<năm>/QH<n>`; accepting it here
    // would let `1/2020/QH-QH14` print back as the law `1/2020/QH14`.
    if to_upper(kind) == "QH" {
        return Err(SymbolError::BadType(kind.to_string()));
    }
    check_issuer(issuer, true)?;
    Ok((kind, issuer))
}

fn check_kind(kind: &str) -> Result<(), SymbolError> {
    let mut chars = kind.chars();
    let Some(first) = chars.next() else {
        return Err(SymbolError::EmptyType);
    };
    // Lower-case first letters pass here and are caught by the case check,
    // which can suggest a correction.
    if !is_letter(first) || !chars.all(is_letter) {
        return Err(SymbolError::BadType(kind.to_string()));
    }
    if kind.chars().count() > MAX_KIND_LEN {
        return Err(SymbolError::TypeTooLong);
    }
    Ok(())
}

fn check_issuer(issuer: &str, hyphens_allowed: bool) -> Result<(), SymbolError> {
    if issuer.is_empty() {
        return Err(SymbolError::EmptyIssuer);
    }
    if issuer.chars().count() > MAX_ISSUER_LEN {
        return Err(SymbolError::IssuerTooLong);
    }
    let bad = || SymbolError::BadIssuer(issuer.to_string());
    if !hyphens_allowed && issuer.contains('-') {
        return Err(bad());
    }
    for part in issuer.split('-') {
        let mut chars = part.chars();
        match chars.next() {
            Some(c) if is_letter(c) => {}
            _ => return Err(bad()),
        }
        if !chars.all(|c| is_letter(c) || c.is_ascii_digit()) {
            return Err(bad());
        }
    }
    Ok(())
}

/// Every document symbol in running text, with its byte range, in order.
///
/// A candidate is a maximal run of symbol characters (ASCII letters and
/// digits, `Đ`, `đ`, `-`, `/`) that parses as a whole with
/// [`DocSymbol::parse`]; so dates (`31/01/2023`), fractions (`1/2`) and
/// symbols glued to other path segments (`a/366-KH/TU/b`) never match, and
/// trailing sentence punctuation is never part of a match. In addition the
/// run must stand alone as a word:
///
/// - the character before it must not be a letter, digit or combining mark,
///   nor one of `. _ = & ? # % @ ~ + \` (URL and identifier punctuation);
/// - the character after it must not be a letter, digit, combining mark,
///   `_` or `@`, nor a `.` directly followed by a letter or digit
///   (`366-KH/TU.pdf`).
pub fn find_symbols(text: &str) -> Vec<(Range<usize>, DocSymbol)> {
    let mut found = Vec::new();
    // Every symbol holds a '/': only the runs of symbol characters around
    // each '/' are read (a byte search), not every character of the text.
    let mut from = 0;
    while let Some(offset) = text.get(from..).and_then(|rest| rest.find('/')) {
        let slash = from + offset;
        // Runs are maximal, so the one before ended before `from`.
        let start = text[..slash]
            .char_indices()
            .rev()
            .take_while(|&(_, c)| is_symbol_char(c))
            .last()
            .map_or(slash, |(i, _)| i);
        let end = text[slash..]
            .char_indices()
            .take_while(|&(_, c)| is_symbol_char(c))
            .last()
            .map_or(slash + 1, |(i, c)| slash + i + c.len_utf8());
        from = end;
        let run = &text[start..end];
        let before_ok = text[..start]
            .chars()
            .next_back()
            .is_none_or(|p| !blocks_before(p));
        if !run.starts_with(|c: char| c.is_ascii_digit()) || !before_ok || !after_ok(&text[end..]) {
            continue;
        }
        if let Ok(sym) = DocSymbol::parse(run) {
            found.push((start..end, sym));
        }
    }
    found
}

fn blocks_before(c: char) -> bool {
    c.is_alphanumeric()
        || unicode_normalization::char::is_combining_mark(c)
        || matches!(
            c,
            '.' | '_' | '=' | '&' | '?' | '#' | '%' | '@' | '~' | '+' | '\\'
        )
}

fn after_ok(after: &str) -> bool {
    let mut chars = after.chars();
    match chars.next() {
        None => true,
        Some(c)
            if c.is_alphanumeric()
                || unicode_normalization::char::is_combining_mark(c)
                || c == '_'
                || c == '@' =>
        {
            false
        }
        Some('.') => !chars.next().is_some_and(char::is_alphanumeric),
        Some(_) => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sym(s: &str) -> DocSymbol {
        match DocSymbol::parse(s) {
            Ok(d) => d,
            Err(e) => panic!("{s:?} should parse: {e:?}"),
        }
    }

    fn err(s: &str) -> SymbolError {
        match DocSymbol::parse(s) {
            Ok(d) => panic!("{s:?} should not parse, got {d:?}"),
            Err(e) => e,
        }
    }

    #[test]
    fn party_symbols() {
        let d = sym("366-KH/TU");
        assert_eq!(d.number, "366");
        assert_eq!(d.year, None);
        assert_eq!(d.kind, "KH");
        assert_eq!(d.issuer, "TU");
        assert_eq!(d.form, SymbolForm::Party);
        assert_eq!(d.type_name(), Some("Kế hoạch"));
        for (s, kind, issuer, name) in [
            ("21-NQ/TW", "NQ", "TW", "Nghị quyết"),
            ("30-CTr/TU", "CTr", "TU", "Chương trình"),
            ("26-KH/BCSĐ", "KH", "BCSĐ", "Kế hoạch"),
            ("17-CV/BTCĐUK", "CV", "BTCĐUK", "Công văn"),
            ("05-QĐi/TW", "QĐi", "TW", "Quy định"),
            ("12-HD/BTCTW", "HD", "BTCTW", "Hướng dẫn"),
            ("01-TT/TW", "TT", "TW", "Thông tri"),
        ] {
            let d = sym(s);
            assert_eq!((d.kind.as_str(), d.issuer.as_str()), (kind, issuer), "{s}");
            assert_eq!(d.form, SymbolForm::Party);
            assert_eq!(d.type_name(), Some(name), "{s}");
            assert_eq!(d.to_string(), s);
        }
        assert_eq!(sym("05-QĐi/TW").number, "05");
    }

    #[test]
    fn state_symbols() {
        let d = sym("155/QĐ-BGDĐT");
        assert_eq!(
            d,
            DocSymbol {
                number: "155".into(),
                year: None,
                kind: "QĐ".into(),
                issuer: "BGDĐT".into(),
                form: SymbolForm::State,
            }
        );
        assert_eq!(d.type_name(), Some("Quyết định"));
        let d = sym("30/2020/NĐ-CP");
        assert_eq!(d.year, Some(2020));
        assert_eq!((d.kind.as_str(), d.issuer.as_str()), ("NĐ", "CP"));
        assert_eq!(d.type_name(), Some("Nghị định"));
        let d = sym("01/2021/TT-BNV");
        assert_eq!(d.type_name(), Some("Thông tư"));
        assert_eq!(d.number, "01");
        let d = sym("45/2019/QH14");
        assert_eq!(
            (d.kind.as_str(), d.issuer.as_str(), d.year),
            ("QH", "QH14", Some(2019))
        );
        assert_eq!(d.type_name(), Some("Luật"));
        let d = sym("123/UBND-VX");
        assert_eq!((d.kind.as_str(), d.issuer.as_str()), ("UBND", "VX"));
        assert_eq!(d.type_name(), None);
        let d = sym("12/KH-UBND-VX");
        assert_eq!(d.issuer, "UBND-VX");
        let d = sym("16/CT-TTg");
        assert_eq!(d.issuer, "TTg");
        assert_eq!(d.type_name(), Some("Chỉ thị"));
        let d = sym("03/2018/TTLT-BNV-BTC");
        assert_eq!(d.type_name(), Some("Thông tư liên tịch"));
        for s in [
            "155/QĐ-BGDĐT",
            "30/2020/NĐ-CP",
            "01/2021/TT-BNV",
            "45/2019/QH14",
            "123/UBND-VX",
            "16/CT-TTg",
            "12/TTr-UBND",
        ] {
            assert_eq!(sym(s).to_string(), s);
        }
    }

    #[test]
    fn parse_trims_and_normalises() {
        assert_eq!(sym("  366-KH/TU \n").to_string(), "366-KH/TU");
        // `Đ` has no decomposition, but the NFC step must not disturb it.
        assert_eq!(sym("155/QĐ-BGDĐT").to_string(), "155/QĐ-BGDĐT");
        assert_eq!("366-KH/TU".parse::<DocSymbol>(), Ok(sym("366-KH/TU")));
    }

    #[test]
    fn slugs() {
        assert_eq!(sym("366-KH/TU").slug(), "366-kh-tu");
        assert_eq!(sym("155/QĐ-BGDĐT").slug(), "155-qd-bgddt");
        assert_eq!(sym("30/2020/NĐ-CP").slug(), "30-2020-nd-cp");
        assert_eq!(sym("05-QĐi/TW").slug(), "05-qdi-tw");
        assert_eq!(sym("45/2019/QH14").slug(), "45-2019-qh14");
    }

    #[test]
    fn type_names() {
        assert_eq!(type_name("KH"), Some("Kế hoạch"));
        assert_eq!(type_name("TT"), Some("Thông tư"));
        assert_eq!(type_name("TTLT"), Some("Thông tư liên tịch"));
        assert_eq!(type_name("TTr"), Some("Tờ trình"));
        assert_eq!(type_name("ĐA"), Some("Đề án"));
        assert_eq!(type_name("KL"), Some("Kết luận"));
        assert_eq!(type_name("TB"), Some("Thông báo"));
        assert_eq!(type_name("QC"), Some("Quy chế"));
        assert_eq!(type_name("BC"), Some("Báo cáo"));
        assert_eq!(type_name("kh"), None);
        assert_eq!(type_name(""), None);
        assert_eq!(type_name("XYZ"), None);
    }

    #[test]
    fn rejects_with_reasons() {
        use SymbolError::*;
        assert_eq!(err("366KH/TU"), MissingSeparator);
        assert_eq!(err("366"), MissingSeparator);
        assert_eq!(err("366-KH"), MissingSlash);
        assert_eq!(err("-KH/TU"), NoNumber);
        assert_eq!(err("366-/TU"), EmptyType);
        assert_eq!(err("366-"), EmptyType);
        assert_eq!(err("366-KH/"), EmptyIssuer);
        assert_eq!(err("abc-KH/TU"), NoNumber);
        assert_eq!(
            err("366-kh/tu"),
            WrongCase {
                suggestion: "366-KH/TU".into()
            }
        );
        assert_eq!(
            err("30-ctr/tu"),
            WrongCase {
                suggestion: "30-CTr/TU".into()
            }
        );
        assert_eq!(
            err("05-QĐI/TW"),
            WrongCase {
                suggestion: "05-QĐi/TW".into()
            }
        );
        assert_eq!(
            err("155/qđ-bgdđt"),
            WrongCase {
                suggestion: "155/QĐ-BGDĐT".into()
            }
        );
        assert_eq!(
            err("16/CT-ttg"),
            WrongCase {
                suggestion: "16/CT-TTg".into()
            }
        );
        assert_eq!(
            err("45/2019/qh14"),
            WrongCase {
                suggestion: "45/2019/QH14".into()
            }
        );
        assert_eq!(
            err("9-abc/TU"),
            WrongCase {
                suggestion: "9-ABC/TU".into()
            }
        );
        assert_eq!(err("366-KH/TU/x"), ExtraText("/x".into()));
        assert_eq!(err("155/QĐ-BGDĐT/x"), ExtraText("/x".into()));
        assert_eq!(err("30/2020/NĐ-CP/"), ExtraText("/".into()));
        assert_eq!(err(""), Empty);
        assert_eq!(err(" \t\n"), Empty);
        assert_eq!(err(&"1".repeat(1 << 20)), TooLong);
        assert_eq!(err(&format!("366-KH/{}", "T".repeat(34))), TooLong);
        assert_eq!(err("1234567-KH/TU"), NumberTooLong);
        assert_eq!(err("366-KH/TU,"), BadCharacter(','));
        assert_eq!(err("366 KH/TU"), BadCharacter(' '));
        assert_eq!(err("366-KH/TU\0"), BadCharacter('\0'));
        assert_eq!(err("366-KẾ/TU"), BadCharacter('Ế'));
        assert_eq!(err("366-K2/TU"), BadType("K2".into()));
        assert_eq!(err("366-ABCDEFGHI/TU"), TypeTooLong);
        assert_eq!(err("366-KH/T-U"), BadIssuer("T-U".into()));
        assert_eq!(err("366-KH/1TU"), BadIssuer("1TU".into()));
        assert_eq!(err("12/KH-UBND--VX"), BadIssuer("UBND--VX".into()));
        assert_eq!(err("366-KH/ABCDEFGHIJKLMNOPQRSTU"), IssuerTooLong);
        assert_eq!(err("155/QĐBGDĐT"), MissingHyphen);
        assert_eq!(err("155/"), EmptyType);
        assert_eq!(err("155/-CP"), EmptyType);
        assert_eq!(err("155/QĐ-"), EmptyIssuer);
        assert_eq!(err("31/01/2023"), BadYear);
        assert_eq!(err("30/1800/NĐ-CP"), BadYear);
        assert_eq!(err("30/20201/NĐ-CP"), BadYear);
        assert_eq!(err("1/2"), BadType("2".into()));
        assert_eq!(err("45/QH14"), MissingHyphen);
        assert_eq!(err("1/2020/QH-QH14"), BadType("QH".into()));
        assert_eq!(err("155//QĐ-CP"), EmptyType);
        assert_eq!(err("\u{301}"), BadCharacter('\u{301}'));
    }

    #[test]
    fn messages_are_vietnamese() {
        let shape = SymbolError::MissingSeparator.message_vi();
        assert!(shape.contains("<số>-<loại>/<cơ quan>"));
        assert!(shape.contains("366-KH/TU"));
        let e = SymbolError::WrongCase {
            suggestion: "366-KH/TU".into(),
        };
        assert!(e.message_vi().contains("366-KH/TU"));
        assert!(SymbolError::BadCharacter('\0').message_vi().contains("\\0"));
        assert_eq!(
            SymbolError::Empty.to_string(),
            SymbolError::Empty.message_vi()
        );
    }

    #[test]
    fn finds_symbols_in_text() {
        let text = "Thực hiện Kế hoạch số 366-KH/TU, ngày 31/01/2023 của Ban Thường vụ \
                    Tỉnh ủy và theo Quyết định 155/QĐ-BGDĐT. Tỷ lệ 1/2 đạt.";
        let found = find_symbols(text);
        let texts: Vec<&str> = found
            .iter()
            .filter_map(|(r, _)| text.get(r.clone()))
            .collect();
        assert_eq!(texts, ["366-KH/TU", "155/QĐ-BGDĐT"]);
        let syms: Vec<String> = found.iter().map(|(_, s)| s.to_string()).collect();
        assert_eq!(syms, ["366-KH/TU", "155/QĐ-BGDĐT"]);
        assert_eq!(found.first().map(|(_, s)| s.form), Some(SymbolForm::Party));
        assert_eq!(found.get(1).map(|(_, s)| s.form), Some(SymbolForm::State));
    }

    #[test]
    fn finds_laws_and_decrees() {
        let text = "Căn cứ Luật số 45/2019/QH14; Nghị định 30/2020/NĐ-CP (ngày 05/3/2020) \
                    và Chỉ thị 16/CT-TTg.";
        let syms: Vec<String> = find_symbols(text)
            .into_iter()
            .map(|(_, s)| s.to_string())
            .collect();
        assert_eq!(syms, ["45/2019/QH14", "30/2020/NĐ-CP", "16/CT-TTg"]);
    }

    #[test]
    fn word_boundaries() {
        for text in [
            "a/366-KH/TU/b",
            "x366-KH/TU",
            "366-KH/TUấn",
            "https://tinhuy.vn/?id=366-KH/TU",
            "tinhuy.vn/366-KH/TU",
            "366-KH/TU.pdf",
            "366-KH/TU_v2",
            "ngày 31/01/2023",
            "tỷ lệ 1/2",
            "366-kh/tu",
            "mã 2023-KH",
            "",
            "\u{301}366-KH/TU",
            "366-KH/TU\u{301}",
        ] {
            assert!(find_symbols(text).is_empty(), "{text:?}");
        }
        for (text, want) in [
            ("(366-KH/TU)", "366-KH/TU"),
            ("“366-KH/TU”", "366-KH/TU"),
            ("Số: 366-KH/TU", "366-KH/TU"),
            ("số 366-KH/TU.", "366-KH/TU"),
            ("366-KH/TU", "366-KH/TU"),
            ("các văn bản 21-NQ/TW; 30-CTr/TU", "21-NQ/TW"),
        ] {
            let found = find_symbols(text);
            let first = found.first().and_then(|(r, _)| text.get(r.clone()));
            assert_eq!(first, Some(want), "{text:?}");
        }
        assert_eq!(find_symbols("các văn bản 21-NQ/TW; 30-CTr/TU").len(), 2);
    }

    #[test]
    fn find_symbols_on_hostile_text() {
        let big = "1/".repeat(1 << 19);
        assert!(find_symbols(&big).is_empty());
        let mixed = "366-KH/TU \0 ".repeat(10_000);
        assert_eq!(find_symbols(&mixed).len(), 10_000);
        assert!(find_symbols("\u{301}\u{301}").is_empty());
    }
}
