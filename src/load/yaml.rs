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
        Error::ExternalMessage { source, msg, .. } => {
            if let ExternalMessageSource::Parser(scan) = source.as_ref() {
                let (code, message) = scan_message(scan.kind(), msg);
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
                out.message = format!("cú pháp YAML sai: {}", clip(msg));
            }
        }
        other => {
            let english = other.to_string();
            out.message = format!("cú pháp YAML sai: {}", clip(strip_location(&english)));
        }
    }
    out
}

fn innermost(e: &Error) -> &Error {
    match e {
        Error::WithSnippet { error, .. } => innermost(error),
        Error::AliasError { error, .. } => innermost(error),
        other => other,
    }
}

fn scan_message(kind: &ErrorKind, english: &str) -> (Code, String) {
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
        K::InvalidIndentation | K::InvalidFlowScalarIndent | K::InvalidQuotedScalarIndent => {
            syntax("thụt lề không đúng")
        }
        K::UnclosedFlowCollection { .. }
        | K::UnexpectedEofFlowSequence
        | K::UnexpectedEofFlowMapping
        | K::UnexpectedEofImplicitFlowMapping => syntax("thiếu dấu ']' hoặc '}' đóng"),
        K::MisplacedFlowCollectionEnd | K::MismatchedFlowCollectionEnd { .. } => {
            syntax("dấu ']' hoặc '}' không khớp với dấu mở")
        }
        K::ExpectedBlockMappingKey => {
            syntax("cần một khóa 'tên: giá trị' ở đây (kiểm tra thụt lề)")
        }
        K::ExpectedBlockSequenceEntry => {
            syntax("cần một mục danh sách '- ...' ở đây (kiểm tra thụt lề)")
        }
        K::ExpectedFlowSequenceSeparator | K::ExpectedFlowMappingSeparator => {
            syntax("thiếu dấu ',' giữa các phần tử")
        }
        K::UnexpectedEof | K::UnexpectedEofBlockSequence | K::UnexpectedEofBlockMapping => {
            syntax("tệp kết thúc giữa chừng")
        }
        K::UnknownAnchor => syntax("bí danh (*alias) chưa được định nghĩa bằng &anchor"),
        K::RecursionLimitExceeded => (Code::TooLarge, "tệp YAML lồng quá sâu".to_owned()),
        K::UnknownQuotedScalarEscape | K::InvalidQuotedScalarHexEscape => {
            syntax("ký tự thoát '\\' không hợp lệ trong chuỗi ngoặc kép")
        }
        K::BomInsideDocument => syntax("dấu BOM nằm giữa tệp"),
        K::MultipleDocumentsUnsupported => syntax("tệp có nhiều hơn một tài liệu YAML"),
        _ => (
            Code::YamlSyntax,
            format!("cú pháp YAML sai ({})", clip(english)),
        ),
    }
}

/// English messages start with "line L column C: "; the location is printed separately.
fn strip_location(s: &str) -> &str {
    let s = s.strip_prefix("error: ").unwrap_or(s);
    let first = s.lines().next().unwrap_or(s);
    match first.find(": ") {
        Some(i) if first.starts_with("line ") => &first[i + 2..],
        _ => first,
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

    #[test]
    fn every_node_has_its_position() {
        let root = parse("a: 1\nb:\n  - x: ngày\n", 0).ok();
        let Some(Node {
            value: Value::Map(entries),
            ..
        }) = root
        else {
            panic!("not a map")
        };
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
        let n = parse("title: x\n", 1).ok();
        let Some(Node {
            value: Value::Map(e),
            ..
        }) = n
        else {
            panic!()
        };
        assert_eq!(e[0].1.line, 2);
        assert_eq!(parse("a: [1\n", 1).err().map(|e| e.line), Some(2));
    }

    #[test]
    fn scalars_keep_yaml_12_meaning() {
        let n = parse(
            "a: yes\nb: 0755\nc: 1_000\nd: 3.5\ne: 2023-01-31\nf: ~\n",
            0,
        )
        .ok();
        let Some(Node {
            value: Value::Map(e),
            ..
        }) = n
        else {
            panic!()
        };
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
}
