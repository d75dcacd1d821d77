//! YAML text → a tree of [`Node`]s, each with its line and column.
//!
//! serde-saphyr parses (and rejects duplicate keys, alias bombs and deep
//! nesting); we keep a generic tree instead of deserializing straight into the
//! model, so that every problem of a file can be reported, in Vietnamese, not
//! only the first one serde would stop at.

use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::granit_parser::ErrorKind;
use serde_saphyr::{Error, ExternalMessageSource, Spanned};

use crate::diagnostic::Code;

/// One YAML value and where it starts (1-based line, column in characters).
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub value: Value,
    pub line: u32,
    pub col: u32,
    /// How a scalar was written: messages about a count written `030` or
    /// `"30"` differ.
    pub style: Style,
    /// Byte offset in the text, to find how the scalar was written (files
    /// are far below 4 GB; `u32::MAX` when unknown).
    offset: u32,
}

/// How a scalar was written, where that tells more than its value.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Style {
    /// A collection, an alias, or not known.
    #[default]
    Other,
    /// As typed, without quotes: `30`, `030`, `1_000`, `.nan`.
    Plain,
    /// In double quotes: `"30"`.
    DoubleQuoted,
    /// In single quotes: `'30'`.
    SingleQuoted,
    /// A block scalar after `|` or `>`.
    Block,
    /// With an explicit tag: `!!str 30`.
    Tagged,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i128),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

impl Value {
    /// What a user would call this kind of value, for messages.
    pub fn kind_vi(&self) -> &'static str {
        match self {
            Value::Null => "giá trị rỗng",
            Value::Bool(_) => "giá trị đúng/sai",
            Value::Int(_) => "số nguyên",
            Value::Float(_) => "số thập phân",
            Value::Str(_) => "chuỗi chữ",
            Value::Seq(_) => "danh sách",
            Value::Map(_) => "bảng khóa–giá trị",
        }
    }
}

/// A file that is not valid YAML, or that the safety limits refuse.
#[derive(Debug, PartialEq, Eq)]
pub struct YamlError {
    pub code: Code,
    pub line: u32,
    pub col: u32,
    pub message: String,
    pub hint: Option<String>,
}

/// Parses one YAML document. `line_offset` is added to every line (front
/// matter starts below the `---` of its `.md` file).
pub fn parse(text: &str, line_offset: u32) -> Result<Node, YamlError> {
    let mut options = serde_saphyr::options! {
        strict_booleans: true,
        leading_zero_numbers_as_strings: true,
        underscored_numbers_as_strings: true,
        // `.nan` and `.inf` reach the reader, which names the key they are
        // the value of (see `written_as_typed`).
        non_finite_float_policy: serde_saphyr::NonFiniteFloatPolicy::PassThrough,
        budget: serde_saphyr::budget! {
            // Our schemas nest 4 levels; 32 leaves room and keeps recursion shallow.
            max_depth: 32,
            max_documents: 1,
            // 100,000 units of 8 keys each is ~1.7 million nodes.
            max_nodes: 5_000_000,
            max_events: 20_000_000,
            // Content files repeat little; an anchor reused a few hundred
            // times is plenty, and a bomb stops within milliseconds.
            max_recorded_anchor_events: 100_000,
        },
    };
    options.alias_limits.max_total_replayed_events = 100_000;
    match serde_saphyr::from_str_with_options::<Spanned<Node>>(text, options) {
        Ok(spanned) => {
            let mut node = spanned.value;
            place(&mut node, &spanned.referenced);
            written_as_typed(&mut node, text);
            if line_offset > 0 {
                shift(&mut node, line_offset);
            }
            Ok(node)
        }
        Err(e) => {
            let mut err = translate(&e);
            if err.code == Code::YamlTab {
                point_at_tab(text, &mut err);
            }
            err.line += line_offset;
            Err(err)
        }
    }
}

/// The scanner reports a tab where the value it breaks starts, sometimes a
/// line earlier; point at the tab itself.
fn point_at_tab(text: &str, err: &mut YamlError) {
    let from = err.line.saturating_sub(1) as usize;
    for (i, line) in text.lines().enumerate().skip(from).take(3) {
        let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
        if let Some(col) = line[..indent].find('\t') {
            err.line = i as u32 + 1;
            err.col = col as u32 + 1;
            return;
        }
    }
}

fn place(node: &mut Node, loc: &serde_saphyr::Location) {
    node.line = loc.line() as u32;
    node.col = loc.column() as u32;
    node.offset = loc
        .span()
        .byte_offset()
        .and_then(|o| u32::try_from(o).ok())
        .unwrap_or(u32::MAX);
}

/// Records how each scalar was written, and keeps as text a plain number
/// written in a form no editor means by a count: hexadecimal, octal or
/// binary (`0x1F`), an exponent (`1e3`), digits beyond what a number holds,
/// `.nan`, `.inf`. YAML reads them as numbers; the reader reports them
/// with what was typed instead of a value the writer never saw.
fn written_as_typed(node: &mut Node, text: &str) {
    match &mut node.value {
        Value::Seq(items) => items.iter_mut().for_each(|n| written_as_typed(n, text)),
        Value::Map(entries) => entries.iter_mut().for_each(|(k, v)| {
            written_as_typed(k, text);
            written_as_typed(v, text);
        }),
        _ => {
            let at = node.offset as usize;
            let Some(rest) = text.get(at..) else {
                return;
            };
            // The span starts at the scalar's text; a tag or a block
            // indicator is the word before it.
            let before = text[..at]
                .trim_end()
                .rsplit([' ', '\t', '\n', '[', '{', ','])
                .next()
                .unwrap_or("");
            node.style = match rest.chars().next() {
                Some('"') => Style::DoubleQuoted,
                Some('\'') => Style::SingleQuoted,
                Some('|' | '>') => Style::Block,
                Some('!') => Style::Tagged,
                Some('*' | '&') | None => Style::Other,
                Some(_) if before.starts_with('!') => Style::Tagged,
                Some(_) if before.starts_with(['|', '>']) => Style::Block,
                Some(_) => Style::Plain,
            };
            if node.style != Style::Plain {
                return;
            }
            let token: String = rest
                .chars()
                .take_while(|c| !c.is_whitespace() && !matches!(c, ',' | ']' | '}' | '#'))
                .collect();
            let keep = match &node.value {
                Value::Int(_) => is_decimal_integer(&token),
                Value::Float(f) => f.is_finite() && is_decimal_fraction(&token),
                _ => true,
            };
            if !keep && !token.is_empty() {
                node.value = Value::Str(token);
            }
        }
    }
}

/// `30`, `-5`, `+5`.
fn is_decimal_integer(s: &str) -> bool {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

/// `3.5`, `5.`, `.5`, `-0.5`: digits and one point, no exponent.
fn is_decimal_fraction(s: &str) -> bool {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    body.bytes().filter(|b| *b == b'.').count() == 1
        && body.bytes().any(|b| b.is_ascii_digit())
        && body.bytes().all(|b| b.is_ascii_digit() || b == b'.')
}

fn shift(node: &mut Node, by: u32) {
    node.line += by;
    match &mut node.value {
        Value::Seq(items) => items.iter_mut().for_each(|n| shift(n, by)),
        Value::Map(entries) => entries.iter_mut().for_each(|(k, v)| {
            shift(k, by);
            shift(v, by);
        }),
        _ => {}
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NodeVisitor)
    }
}

/// Builds a node; its position is filled in by the `Spanned` around it.
struct NodeVisitor;

fn node(value: Value) -> Node {
    Node {
        value,
        line: 0,
        col: 0,
        style: Style::Other,
        offset: u32::MAX,
    }
}

fn spanned(s: Spanned<Node>) -> Node {
    let mut n = s.value;
    place(&mut n, &s.referenced);
    n
}

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a YAML value")
    }
    fn visit_unit<E>(self) -> Result<Node, E> {
        Ok(node(Value::Null))
    }
    fn visit_none<E>(self) -> Result<Node, E> {
        Ok(node(Value::Null))
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
        Node::deserialize(d)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Node, E> {
        Ok(node(Value::Bool(v)))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Node, E> {
        Ok(node(Value::Int(v.into())))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Node, E> {
        Ok(node(Value::Int(v.into())))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Node, E> {
        Ok(node(Value::Int(v)))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Node, E> {
        // Beyond i128 is beyond any count; keep it as text so it is reported.
        Ok(node(match i128::try_from(v) {
            Ok(v) => Value::Int(v),
            Err(_) => Value::Str(v.to_string()),
        }))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Node, E> {
        Ok(node(Value::Float(v)))
    }
    fn visit_str<E>(self, v: &str) -> Result<Node, E> {
        Ok(node(Value::Str(v.to_owned())))
    }
    fn visit_string<E>(self, v: String) -> Result<Node, E> {
        Ok(node(Value::Str(v)))
    }
    fn visit_bytes<E>(self, v: &[u8]) -> Result<Node, E> {
        Ok(node(Value::Str(String::from_utf8_lossy(v).into_owned())))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        while let Some(item) = seq.next_element::<Spanned<Node>>()? {
            items.push(spanned(item));
        }
        Ok(node(Value::Seq(items)))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0).min(1024));
        while let Some(key) = map.next_key::<Spanned<Node>>()? {
            let value = map.next_value::<Spanned<Node>>()?;
            entries.push((spanned(key), spanned(value)));
        }
        Ok(node(Value::Map(entries)))
    }
}

/// serde-saphyr's error → a Vietnamese message with the right code.
fn translate(e: &Error) -> YamlError {
    let (line, col) = e
        .location()
        .map_or((0, 0), |l| (l.line() as u32, l.column() as u32));
    let mut out = YamlError {
        code: Code::YamlSyntax,
        line,
        col,
        message: String::new(),
        hint: None,
    };
    let inner = innermost(e);
    match inner {
        Error::DuplicateMappingKey { key, .. } => {
            out.code = Code::DuplicateKey;
            out.message = match key {
                Some(k) => format!("khóa '{}' xuất hiện hai lần trong cùng một bảng", clip(k)),
                None => "một khóa xuất hiện hai lần trong cùng một bảng".to_owned(),
            };
            out.hint = Some("giữ một dòng, xóa dòng kia".to_owned());
        }
        Error::Budget { breach, .. } => {
            use serde_saphyr::budget::BudgetBreach as B;
            out.code = Code::TooLarge;
            out.message = match breach {
                B::Documents { .. } => {
                    out.code = Code::YamlSyntax;
                    out.hint =
                        Some("mỗi tệp chỉ chứa một tài liệu; xóa dòng '---' ở giữa tệp".to_owned());
                    "tệp có nhiều hơn một tài liệu YAML (dòng '---' ở giữa tệp)".to_owned()
                }
                B::Depth { .. } => "tệp YAML lồng quá sâu".to_owned(),
                B::Aliases { .. } | B::Anchors { .. } => {
                    out.hint = Some(
                        "viết các giá trị ra trực tiếp thay vì dùng &anchor/*alias".to_owned(),
                    );
                    "tệp YAML dùng quá nhiều bí danh (&anchor/*alias)".to_owned()
                }
                B::Nodes { .. } | B::Events { .. } | B::ScalarBytes { .. } => {
                    "tệp YAML có quá nhiều giá trị; hãy chia nhỏ tệp".to_owned()
                }
                _ => {
                    out.hint = Some(
                        "viết các giá trị ra trực tiếp thay vì dùng &anchor/*alias".to_owned(),
                    );
                    "tệp YAML vượt giới hạn an toàn (bí danh *alias được mở rộng quá nhiều)"
                        .to_owned()
                }
            };
        }
        Error::AliasReplayLimitExceeded { .. }
        | Error::AliasExpansionLimitExceeded { .. }
        | Error::AliasReplayStackDepthExceeded { .. }
        | Error::AliasReplayCounterOverflow { .. } => {
            out.code = Code::TooLarge;
            out.message = "bí danh YAML (*alias) được mở rộng quá nhiều lần".to_owned();
            out.hint = Some("viết các giá trị ra trực tiếp thay vì dùng &anchor/*alias".to_owned());
        }
        Error::MultipleDocuments { .. } => {
            out.message = "tệp có nhiều hơn một tài liệu YAML (dòng '---' ở giữa tệp)".to_owned();
            out.hint = Some("mỗi tệp chỉ chứa một tài liệu; xóa dòng '---'".to_owned());
        }
        Error::Eof { .. } => {
            out.message = "tệp kết thúc giữa chừng".to_owned();
        }
        Error::UnknownAnchor { .. } => {
            out.message = "bí danh (*alias) chưa được định nghĩa bằng &anchor".to_owned();
        }
        Error::ExternalMessage { source, .. } => {
            if let ExternalMessageSource::Parser(scan) = source.as_ref() {
                let (code, message) = scan_message(scan.kind());
                out.code = code;
                out.message = message;
                out.hint = match code {
                    Code::YamlTab => Some("thay ký tự tab bằng dấu cách".to_owned()),
                    Code::YamlSyntax => Some(
                        "nếu dòng này đúng, hãy xem các dòng phía trên: thiếu dấu ] } \" hoặc thụt lề sai"
                            .to_owned(),
                    ),
                    _ => None,
                };
            } else {
                out.message = "cú pháp YAML sai ở đây".to_owned();
            }
        }
        Error::InvalidUtf8Input => {
            out.code = Code::NotUtf8;
            out.message = "tệp không phải văn bản UTF-8".to_owned();
        }
        Error::InvalidBooleanStrict { .. } => {
            out.code = Code::WrongType;
            out.message = "giá trị đúng/sai phải viết true hoặc false".to_owned();
        }
        Error::InvalidScalar { .. } => {
            out.code = Code::WrongType;
            out.message =
                "giá trị không đúng với thẻ (!!int, !!float, !!bool...) ghi trước nó".to_owned();
            out.hint = Some(TAG_HINT.to_owned());
        }
        Error::UnsupportedTag { tag, .. } => {
            out.code = Code::WrongType;
            out.message = format!("thẻ YAML '{}' không dùng được ở đây", clip(tag));
            out.hint = Some(TAG_HINT.to_owned());
        }
        Error::TaggedScalarCannotDeserializeIntoString { .. }
        | Error::TaggedStructFieldName { .. }
        | Error::InvalidBinaryBase64 { .. }
        | Error::BinaryNotUtf8 { .. }
        | Error::BytesNotSupportedMissingBinaryTag { .. } => {
            out.code = Code::WrongType;
            out.message = "thẻ YAML (!!timestamp, !!binary...) không dùng được ở đây".to_owned();
            out.hint = Some(TAG_HINT.to_owned());
        }
        Error::MergeValueNotMapOrSeqOfMaps { .. } | Error::MergeKeyNotAllowed { .. } => {
            out.message = "khóa gộp '<<' phải trỏ tới một bảng 'khóa: giá trị'".to_owned();
            out.hint = Some("viết các khóa ra trực tiếp thay vì dùng '<<: *tên'".to_owned());
        }
        Error::Unexpected { .. }
        | Error::UnexpectedSequenceEnd { .. }
        | Error::UnexpectedMappingEnd { .. }
        | Error::UnexpectedContainerEndWhileSkippingNode { .. }
        | Error::UnexpectedContainerEndWhileReadingKeyNode { .. }
        | Error::ContainerEndMismatch { .. } => {
            out.message = "cấu trúc YAML không khớp (danh sách hoặc bảng đóng sai chỗ)".to_owned();
            out.hint = Some("kiểm tra thụt lề và các dấu [ ] { } quanh dòng này".to_owned());
        }
        Error::CyclicInclude { .. }
        | Error::ResolverError { .. }
        | Error::UnsupportedIncludeForm { .. } => {
            out.message = "tệp YAML không được chèn tệp khác (!include)".to_owned();
            out.hint = Some("viết nội dung ra trực tiếp".to_owned());
        }
        // What remains concerns Rust types bantin does not ask for (serde's
        // messages, `char`, unit structs, enums): a general message, without
        // the library's English.
        _ => {
            out.message = "cú pháp YAML sai ở đây".to_owned();
            out.hint = Some(
                "nếu dòng này đúng, hãy xem các dòng phía trên: thiếu dấu ] } \" hoặc thụt lề sai"
                    .to_owned(),
            );
        }
    }
    out
}

/// Tags are never needed in bantin's files.
const TAG_HINT: &str = "bỏ thẻ bắt đầu bằng '!' trước giá trị; các tệp của bantin không cần thẻ";

fn innermost(e: &Error) -> &Error {
    match e {
        Error::WithSnippet { error, .. } => innermost(error),
        Error::AliasError { error, .. } => innermost(error),
        other => other,
    }
}

fn scan_message(kind: &ErrorKind) -> (Code, String) {
    use ErrorKind as K;
    let syntax = |m: &str| (Code::YamlSyntax, m.to_owned());
    match kind {
        K::TabNotAllowed
        | K::TabInBlockIndentation
        | K::TabInIndentation
        | K::TabAtBlockScalarStart
        | K::TabInPlainScalar => (
            Code::YamlTab,
            "dùng ký tự tab ở chỗ YAML chỉ nhận dấu cách".to_owned(),
        ),
        K::UnclosedQuotedScalar => syntax("thiếu dấu ngoặc kép đóng"),
        K::MappingValueNotAllowed | K::InvalidColonPlacement => syntax(
            "dấu ':' không được đặt ở đây; nếu giá trị có dấu ':', hãy đặt nó trong dấu ngoặc kép",
        ),
        K::InvalidMappingValueWhitespace | K::FlowMappingValueAdjacentCollection => {
            syntax("sau dấu ':' cần một dấu cách")
        }
        K::MappingKeyNotAllowed => syntax(
            "dấu '?' không được đặt ở đây; nếu giá trị bắt đầu bằng '?', hãy đặt nó trong dấu ngoặc kép",
        ),
        K::BlockSequenceEntryNotAllowed | K::BlockEntryInFlowCollection => syntax(
            "mục danh sách '- ' không được đặt ở đây (kiểm tra thụt lề); nếu giá trị bắt đầu bằng '-', hãy đặt nó trong dấu ngoặc kép",
        ),
        K::InvalidBlockEntryWhitespace => syntax("sau dấu '-' của mục danh sách cần một dấu cách"),
        K::InvalidIndentation
        | K::InvalidFlowScalarIndent
        | K::InvalidQuotedScalarIndent
        | K::InvalidBlockScalarIndent => syntax("thụt lề không đúng"),
        K::UnclosedFlowCollection { .. }
        | K::UnexpectedEofFlowSequence
        | K::UnexpectedEofFlowMapping
        | K::UnexpectedEofImplicitFlowMapping => syntax("thiếu dấu ']' hoặc '}' đóng"),
        K::MisplacedFlowCollectionEnd | K::MismatchedFlowCollectionEnd { .. } => {
            syntax("dấu ']' hoặc '}' không khớp với dấu mở")
        }
        K::ExpectedBlockMappingKey | K::SimpleKeyExpected | K::InvalidSimpleKey => {
            syntax("cần một khóa 'tên: giá trị' ở đây (kiểm tra thụt lề)")
        }
        K::ExpectedBlockSequenceEntry => {
            syntax("cần một mục danh sách '- ...' ở đây (kiểm tra thụt lề)")
        }
        K::ExpectedFlowSequenceSeparator | K::ExpectedFlowMappingSeparator => {
            syntax("thiếu dấu ',' giữa các phần tử")
        }
        K::ExpectedNodeContent | K::UnexpectedEndOfPlainScalar => syntax("thiếu giá trị ở đây"),
        K::UnexpectedEof | K::UnexpectedEofBlockSequence | K::UnexpectedEofBlockMapping => {
            syntax("tệp kết thúc giữa chừng")
        }
        K::UnknownAnchor => syntax("bí danh (*alias) chưa được định nghĩa bằng &anchor"),
        K::MissingAnchorOrAliasName | K::AnchorCountOverflow => {
            syntax("sau '&' hoặc '*' cần một tên gồm chữ và số")
        }
        K::RecursionLimitExceeded => (Code::TooLarge, "tệp YAML lồng quá sâu".to_owned()),
        K::UnknownQuotedScalarEscape
        | K::InvalidQuotedScalarHexEscape
        | K::InvalidLowSurrogateHexEscape
        | K::InvalidLowSurrogate
        | K::MissingLowSurrogate
        | K::UnpairedLowSurrogate
        | K::InvalidUnicodeEscape => syntax("ký tự thoát '\\' không hợp lệ trong chuỗi ngoặc kép"),
        K::InvalidTrailingSingleQuotedScalar | K::InvalidTrailingDoubleQuotedScalar => {
            syntax("có chữ ngay sau dấu ngoặc đóng; đặt cả giá trị trong dấu ngoặc kép")
        }
        K::DocumentIndicatorInQuotedScalar => {
            syntax("dòng '---' hoặc '...' nằm trong một chuỗi ngoặc kép chưa đóng")
        }
        K::CommentInterceptedScalar => syntax("chú thích '#' cắt ngang một giá trị nhiều dòng"),
        K::CommentNotSeparated => syntax("trước dấu '#' của chú thích cần một dấu cách"),
        K::ExpectedWhitespace => syntax("thiếu dấu cách ở đây"),
        K::UnexpectedCharacter { .. } | K::PlainScalarStartsWithDashFlowIndicator => {
            syntax("ký tự này không được mở đầu một giá trị; hãy đặt giá trị trong dấu ngoặc kép")
        }
        K::ZeroBlockScalarIndent | K::InvalidBlockScalarHeader => {
            syntax("sau dấu | hoặc > chỉ được có - + hoặc một chữ số từ 1 đến 9")
        }
        K::BomInsideDocument => syntax("dấu BOM nằm giữa tệp"),
        K::MultipleDocumentsUnsupported
        | K::ExpectedDocumentStart
        | K::InvalidDocumentEnd
        | K::MissingDocumentEndBeforeDirective => {
            syntax("tệp chỉ chứa một tài liệu YAML; xóa dòng '---' hoặc '...' ở giữa tệp")
        }
        K::ExpectedTagBang
        | K::ExpectedTagDirectiveBang
        | K::InvalidGlobalTagCharacter
        | K::UndeclaredTagHandle
        | K::InvalidTagTerminator
        | K::MissingTagUri
        | K::UnclosedVerbatimTag
        | K::InvalidTagEscape
        | K::InvalidTagUtf8LeadingByte
        | K::InvalidTagUtf8TrailingByte
        | K::InvalidTagUtf8 => syntax(
            "thẻ YAML bắt đầu bằng '!' viết sai; bỏ thẻ, hoặc đặt giá trị bắt đầu bằng '!' trong dấu ngoặc kép",
        ),
        K::DuplicateVersionDirective
        | K::UnsupportedYamlMajorVersion
        | K::DuplicateTagDirective
        | K::InvalidDirectiveTerminator
        | K::DirectiveDisallowed
        | K::MissingYamlVersionSeparator
        | K::MissingDirectiveName
        | K::InvalidDirectiveName
        | K::DirectiveByteLimitExceeded { .. }
        | K::TooManyReservedDirectiveParams { .. }
        | K::YamlVersionTooLong
        | K::MissingYamlVersion
        | K::InvalidTagDirectiveTerminator => {
            syntax("dòng bắt đầu bằng '%' (chỉ thị YAML) không dùng được; xóa dòng đó")
        }
        K::InputDecoding { .. } => (Code::NotUtf8, "tệp không phải văn bản UTF-8".to_owned()),
        K::InputByteLimitExceeded { .. } => (
            Code::TooLarge,
            "tệp YAML quá lớn; hãy chia nhỏ tệp".to_owned(),
        ),
        _ => syntax("cú pháp YAML sai ở đây"),
    }
}

/// Echoed user text stays short and on one line.
fn clip(s: &str) -> String {
    let one_line: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(80)
        .collect();
    if s.chars().count() > 80 {
        format!("{one_line}…")
    } else {
        one_line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> YamlError {
        match parse(text, 0) {
            Err(e) => e,
            Ok(n) => panic!("expected an error, got {n:?}"),
        }
    }

    /// The entries of a text whose top node is a map.
    fn entries(text: &str, line_offset: u32) -> Vec<(Node, Node)> {
        match parse(text, line_offset) {
            Ok(Node {
                value: Value::Map(entries),
                ..
            }) => entries,
            other => panic!("expected a map, got {other:?}"),
        }
    }

    #[test]
    fn every_node_has_its_position() {
        let entries = entries("a: 1\nb:\n  - x: ngày\n", 0);
        let (_, b) = &entries[1];
        assert_eq!((b.line, b.col), (3, 3));
        let Value::Seq(items) = &b.value else {
            panic!("not a seq")
        };
        let Value::Map(inner) = &items[0].value else {
            panic!("not a map")
        };
        assert_eq!(inner[0].1.value, Value::Str("ngày".into()));
        assert_eq!((inner[0].1.line, inner[0].1.col), (3, 8));
    }

    #[test]
    fn line_offset_applies_to_values_and_errors() {
        let e = entries("title: x\n", 1);
        assert_eq!(e[0].1.line, 2);
        assert_eq!(parse("a: [1\n", 1).err().map(|e| e.line), Some(2));
    }

    #[test]
    fn scalars_keep_yaml_12_meaning() {
        let e = entries(
            "a: yes\nb: 0755\nc: 1_000\nd: 3.5\ne: 2023-01-31\nf: ~\n",
            0,
        );
        let values: Vec<&Value> = e.iter().map(|(_, v)| &v.value).collect();
        assert_eq!(values[0], &Value::Str("yes".into()));
        assert_eq!(values[1], &Value::Str("0755".into()));
        assert_eq!(values[2], &Value::Str("1_000".into()));
        assert_eq!(values[3], &Value::Float(3.5));
        assert_eq!(values[4], &Value::Str("2023-01-31".into()));
        assert_eq!(values[5], &Value::Null);
    }

    #[test]
    fn problems_get_codes_and_places() {
        let e = err("a: 1\na: 2\n");
        assert_eq!((e.code, e.line, e.col), (Code::DuplicateKey, 2, 1));
        let e = err("a:\n\t- 1\n");
        assert_eq!((e.code, e.line, e.col), (Code::YamlTab, 2, 1));
        let e = err("a:\n  b: x y\n\tc: 1\n");
        assert_eq!((e.code, e.line, e.col), (Code::YamlTab, 3, 1));
        let e = err("title: \"abc\n");
        assert_eq!((e.code, e.line), (Code::YamlSyntax, 1));
        assert!(e.message.contains("ngoặc kép"), "{}", e.message);
        let e = err("a: b: c\n");
        assert_eq!(e.code, Code::YamlSyntax);
    }

    #[test]
    fn alias_bombs_and_deep_nesting_are_refused() {
        let mut bomb = String::from("a: &a [x,x,x,x,x,x,x,x,x,x]\n");
        for (i, c) in ('b'..='k').enumerate() {
            let prev = (b'a' + i as u8) as char;
            bomb.push_str(&format!(
                "{c}: &{c} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
            ));
        }
        assert_eq!(err(&bomb).code, Code::TooLarge);
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        assert_eq!(err(&deep).code, Code::TooLarge);
        let mut block = String::new();
        for i in 0..200 {
            block.push_str(&" ".repeat(i * 2));
            block.push_str("k:\n");
        }
        assert_eq!(err(&block).code, Code::TooLarge);
    }

    #[test]
    fn how_a_scalar_was_written_is_kept() {
        let e = entries(
            "a: 30\nb: \"30\"\nc: '30'\nd: |\n  30\ne: !!str 30\nf: [x, \"y\"]\ng: &k 7\nh: *k\n",
            0,
        );
        let styles: Vec<Style> = e.iter().map(|(_, v)| v.style).collect();
        assert_eq!(
            styles,
            [
                Style::Plain,
                Style::DoubleQuoted,
                Style::SingleQuoted,
                Style::Block,
                Style::Tagged,
                Style::Other,
                Style::Plain,
                Style::Other,
            ]
        );
        let Value::Seq(items) = &e[5].1.value else {
            panic!()
        };
        assert_eq!(
            items.iter().map(|n| n.style).collect::<Vec<_>>(),
            [Style::Plain, Style::DoubleQuoted]
        );
    }

    #[test]
    fn numbers_no_count_is_written_as_stay_as_typed() {
        let n = parse(
            "- 0x1F\n- 0o17\n- 0b101\n- 1e3\n- .NaN\n- -.inf\n- 1e400\n- 18446744073709551616\n\
             - 30\n- +5\n- 3.5\n- .5\n- 5.\n- !!int 0x1F\n- \"0x1F\"\n",
            0,
        )
        .ok();
        let Some(Node {
            value: Value::Seq(items),
            ..
        }) = n
        else {
            panic!()
        };
        let values: Vec<&Value> = items.iter().map(|n| &n.value).collect();
        let text = |s: &str| Value::Str(s.to_owned());
        assert_eq!(
            values,
            [
                &text("0x1F"),
                &text("0o17"),
                &text("0b101"),
                &text("1e3"),
                &text(".NaN"),
                &text("-.inf"),
                &text("1e400"),
                &text("18446744073709551616"),
                &Value::Int(30),
                &Value::Int(5),
                &Value::Float(3.5),
                &Value::Float(0.5),
                &Value::Float(5.0),
                // An explicit tag is the writer's choice.
                &Value::Int(31),
                &text("0x1F"),
            ]
        );
    }

    #[test]
    fn no_message_is_the_libraries_english() {
        for text in [
            "a: !!bool yes\n",
            "a: !!int abc\n",
            "a: !!timestamp 2023-01-01\n",
            "a: !!map 3\n",
            "a: !!binary /w==\n",
            "a: ? x\n",
            "a: -\n",
            "a: @x\n",
            "a: \"a\"b\n",
            "a: |0\n  x\n",
            "a: &\n",
            "%YAML 1.2\n%YAML 1.2\n---\na: 1\n",
            "a: !<x\n",
            "a: \"\\ud800\"\n",
            "a: 1 #x\n  b: 2\n",
            "a: [1, 2\n",
            "<<: 3\n",
        ] {
            let e = err(text);
            let said = format!("{} {}", e.message, e.hint.unwrap_or_default()).to_lowercase();
            for english in [
                " the ",
                "expected",
                "found",
                "invalid",
                "unexpected",
                "cannot",
                "while ",
                "not allowed",
                "error",
                "tag `",
                " at line",
            ] {
                assert!(!said.contains(english), "{text:?}: {english:?} in {said:?}");
            }
        }
    }
}
