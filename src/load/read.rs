//! Reading typed values out of a YAML [`Node`] tree, reporting every problem
//! (unknown keys with a "có phải" hint, missing keys, wrong types, negative or
//! fractional counts, bad dates, ids and symbols) and going on with the rest.

use chrono::{DateTime, FixedOffset, NaiveDate};

use super::yaml::{Node, Style, Value};
use crate::diagnostic::{Code, Diagnostic, Diagnostics, did_you_mean};
use crate::model::{FileId, Loc, Sp};
use crate::values;
use crate::vi::{self, DocSymbol};

/// A mapping whose keys have been checked against the schema.
pub struct Table<'n> {
    pub node: &'n Node,
    entries: Vec<(&'n str, &'n Node)>,
}

impl<'n> Table<'n> {
    /// The value of `key`; an explicit `null` counts as absent.
    pub fn get(&self, key: &str) -> Option<&'n Node> {
        self.entries
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| *v)
            .filter(|v| v.value != Value::Null)
    }
}

/// Reads one file's nodes, collecting its diagnostics.
pub struct Reader<'d, 'f> {
    pub diags: &'d mut Diagnostics<'f>,
    pub file: FileId,
}

impl<'d, 'f> Reader<'d, 'f> {
    pub fn new(diags: &'d mut Diagnostics<'f>, file: FileId) -> Self {
        Reader { diags, file }
    }

    pub fn loc(&self, node: &Node) -> Loc {
        Loc::new(self.file, node.line, node.col)
    }

    pub fn report(
        &mut self,
        code: Code,
        node: &Node,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        let loc = self.loc(node);
        self.diags.report(code, loc, message)
    }

    /// `node` as a mapping with only the `allowed` keys. `what` names the
    /// thing for messages ("một đơn vị", "site.yaml").
    pub fn table<'n>(&mut self, node: &'n Node, what: &str, allowed: &[&str]) -> Option<Table<'n>> {
        let Value::Map(pairs) = &node.value else {
            let found = node.value.kind_vi();
            self.report(
                Code::WrongType,
                node,
                format!("{what} phải là một bảng 'khóa: giá trị', không phải {found}"),
            );
            return None;
        };
        let mut entries = Vec::with_capacity(pairs.len());
        for (key, value) in pairs {
            let Value::Str(name) = &key.value else {
                self.report(Code::WrongType, key, "khóa phải là một từ (ví dụ 'title')");
                continue;
            };
            if allowed.contains(&name.as_str()) {
                entries.push((name.as_str(), value));
            } else {
                let hint = did_you_mean(name, allowed.iter().copied());
                let d = self.report(
                    Code::UnknownKey,
                    key,
                    format!("khóa '{}' không được hỗ trợ trong {what}", shown(name)),
                );
                match hint {
                    Some(h) => d.with_hint(h),
                    None => d.with_hint(format!("các khóa được dùng: {}", allowed.join(", "))),
                };
            }
        }
        Some(Table { node, entries })
    }

    /// The value of a required key; reports it missing at the table's place.
    pub fn require<'n>(&mut self, table: &Table<'n>, key: &str, what: &str) -> Option<&'n Node> {
        let found = table.get(key);
        if found.is_none() {
            self.report(
                Code::MissingKey,
                table.node,
                format!("{what} thiếu khóa bắt buộc '{key}'"),
            );
        }
        found
    }

    /// The items of a list; `null` is an empty list.
    pub fn items<'n>(&mut self, node: Option<&'n Node>, key: &str) -> &'n [Node] {
        match node.map(|n| (n, &n.value)) {
            None | Some((_, Value::Null)) => &[],
            Some((_, Value::Seq(items))) => items,
            Some((n, other)) => {
                let found = other.kind_vi();
                self.report(
                    Code::WrongType,
                    n,
                    format!("'{key}' phải là một danh sách, không phải {found}"),
                )
                .with_hint(
                    "viết mỗi mục trên một dòng bắt đầu bằng '- ', hoặc [a, b] trên một dòng",
                );
                &[]
            }
        }
    }

    /// Text, normalised to NFC. A whole number is taken as its digits.
    pub fn text(&mut self, node: &Node, key: &str) -> Option<Sp<String>> {
        let text = match &node.value {
            Value::Str(s) => vi::nfc(s).into_owned(),
            Value::Int(i) => i.to_string(),
            other => {
                let found = other.kind_vi();
                self.report(
                    Code::WrongType,
                    node,
                    format!("'{key}' phải là chữ, không phải {found}"),
                )
                .with_hint("đặt giá trị trong dấu ngoặc kép");
                return None;
            }
        };
        if let Some(c) = text.chars().find(|&c| is_forbidden_char(c)) {
            self.report(
                Code::BadValue,
                node,
                format!("'{key}' chứa ký tự không dùng được U+{:04X}", c as u32),
            );
            return None;
        }
        if text.trim().is_empty() {
            self.report(
                Code::EmptyText,
                node,
                format!("'{key}' không được để trống"),
            );
            return None;
        }
        Some(Sp::new(text, self.loc(node)))
    }

    /// A whole number ≥ 0 (a count of people, classes...).
    pub fn count(&mut self, node: &Node, key: &str) -> Option<Sp<u64>> {
        match &node.value {
            Value::Int(i) if *i < 0 => {
                self.report(
                    Code::NegativeCount,
                    node,
                    format!("'{key}' là số âm ({i}); số đếm phải từ 0 trở lên"),
                );
                None
            }
            Value::Int(i) => match u64::try_from(*i) {
                Ok(v) if v <= MAX_COUNT => Some(Sp::new(v, self.loc(node))),
                _ => {
                    self.too_large(node, key, &i.to_string());
                    None
                }
            },
            Value::Float(f) if !f.is_finite() => {
                self.not_a_number(node, key, &float_text(*f));
                None
            }
            Value::Float(f) => {
                let d = self.report(
                    Code::FractionalCount,
                    node,
                    format!(
                        "'{key}' phải là số nguyên, không phải số thập phân {}",
                        float_text(*f)
                    ),
                );
                if let Some(grouped) = thousands_reading(*f) {
                    d.with_hint(format!(
                        "nếu đây là số {grouped} viết theo kiểu Việt Nam, hãy viết {} (không có dấu chấm)",
                        grouped.replace('.', "")
                    ));
                } else if f.fract() == 0.0 && (0.0..1000.0).contains(f) {
                    // `3.000` reads as 3.0: it may be three, or three thousand.
                    let n = *f as i64;
                    d.with_hint(format!(
                        "viết {n}; nếu đây là số {} viết theo kiểu Việt Nam, viết {}",
                        vi::int(n * 1000),
                        n * 1000
                    ));
                } else if f.fract() == 0.0 && (0.0..=MAX_COUNT as f64).contains(f) {
                    d.with_hint(format!("viết {}", *f as u64));
                }
                None
            }
            Value::Str(s) if node.style == Style::Plain && odd_number(s).is_some() => {
                self.odd_count(node, key, s);
                None
            }
            Value::Str(s) if s.trim().parse::<u64>().is_ok() => {
                let typed = s.trim().parse::<u64>().unwrap_or_default();
                let hint = match node.style {
                    Style::DoubleQuoted => format!("bỏ dấu ngoặc kép quanh số: viết {typed}"),
                    Style::SingleQuoted => format!("bỏ dấu nháy đơn quanh số: viết {typed}"),
                    Style::Block => format!(
                        "viết {typed} ngay sau '{key}:' trên cùng một dòng, không dùng | hay >"
                    ),
                    Style::Tagged => format!("bỏ thẻ (!!str) trước số: viết {typed}"),
                    Style::Plain | Style::Other => format!("viết {typed}"),
                };
                self.report(
                    Code::WrongType,
                    node,
                    format!(
                        "'{key}' phải là số, không phải chuỗi chữ \"{}\"",
                        shown(s.trim())
                    ),
                )
                .with_hint(hint);
                None
            }
            Value::Str(s) if is_grouped_number(s) => {
                self.report(
                    Code::WrongType,
                    node,
                    format!(
                        "'{key}' phải là số nguyên viết liền, không phải \"{}\"",
                        shown(s)
                    ),
                )
                .with_hint(format!("viết {}", s.replace(['.', ',', ' '], "")));
                None
            }
            other => {
                let found = other.kind_vi();
                self.report(
                    Code::WrongType,
                    node,
                    format!("'{key}' phải là số nguyên không âm, không phải {found}"),
                );
                None
            }
        }
    }

    fn too_large(&mut self, node: &Node, key: &str, typed: &str) {
        self.report(
            Code::BadValue,
            node,
            format!("'{key}' quá lớn ({})", shown(typed)),
        )
        .with_hint(format!(
            "số đếm không quá {}; kiểm tra lại số liệu",
            vi::int(MAX_COUNT as i64)
        ));
    }

    /// `.nan`, `.inf`: YAML's words for what is not a number.
    fn not_a_number(&mut self, node: &Node, key: &str, typed: &str) {
        let meaning = if typed.to_ascii_lowercase().contains("nan") {
            "không phải số"
        } else {
            "vô cực"
        };
        self.report(
            Code::WrongType,
            node,
            format!(
                "'{key}' phải là một số, không phải {} (trong YAML nghĩa là '{meaning}')",
                shown(typed)
            ),
        )
        .with_hint("ghi số bằng chữ số, ví dụ 30");
    }

    /// A count written as a number YAML does not read as a count: `030`,
    /// `1_000`, `0x1F`, `1e3`, `.nan`, or too many digits.
    fn odd_count(&mut self, node: &Node, key: &str, typed: &str) {
        let shown_typed = shown(typed);
        match odd_number(typed) {
            Some(OddNumber::LeadingZero {
                negative: true,
                digits,
            }) if digits != "0" => {
                self.report(
                    Code::NegativeCount,
                    node,
                    format!("'{key}' là số âm ({shown_typed}); số đếm phải từ 0 trở lên"),
                );
            }
            Some(OddNumber::LeadingZero { digits, .. }) => {
                self.report(
                    Code::WrongType,
                    node,
                    format!("'{key}' viết {shown_typed}: số bắt đầu bằng 0 không được đọc là số"),
                )
                .with_hint(format!("số không được bắt đầu bằng 0: viết {digits}"));
            }
            Some(OddNumber::Underscore { digits }) => {
                self.report(
                    Code::WrongType,
                    node,
                    format!("'{key}' viết {shown_typed}: số không được có dấu gạch dưới"),
                )
                .with_hint(format!("viết liền các chữ số: {digits}"));
            }
            Some(OddNumber::Radix { value: Some(v), .. }) if v < 0 => {
                self.report(
                    Code::NegativeCount,
                    node,
                    format!("'{key}' là số âm ({shown_typed}); số đếm phải từ 0 trở lên"),
                );
            }
            Some(OddNumber::Radix { value, base }) => {
                let d = self.report(
                    Code::WrongType,
                    node,
                    format!(
                        "'{key}' phải viết bằng chữ số thập phân, không phải {shown_typed} (cách viết số hệ {base})"
                    ),
                );
                match value {
                    Some(v) => d.with_hint(format!("nếu ý là {v}, viết {v}")),
                    None => d.with_hint("viết số bằng các chữ số 0–9"),
                };
            }
            Some(OddNumber::Exponent { value }) if value < 0.0 => {
                self.report(
                    Code::NegativeCount,
                    node,
                    format!("'{key}' là số âm ({shown_typed}); số đếm phải từ 0 trở lên"),
                );
            }
            Some(OddNumber::Exponent { value }) if value > MAX_COUNT as f64 => {
                self.too_large(node, key, typed);
            }
            Some(OddNumber::Exponent { value }) if value.fract() != 0.0 => {
                self.report(
                    Code::FractionalCount,
                    node,
                    format!("'{key}' phải là số nguyên, không phải {shown_typed}"),
                );
            }
            Some(OddNumber::Exponent { value }) => {
                self.report(
                    Code::WrongType,
                    node,
                    format!(
                        "'{key}' phải viết đủ các chữ số, không phải dạng lũy thừa {shown_typed}"
                    ),
                )
                .with_hint(format!("viết {}", value as u64));
            }
            Some(OddNumber::Huge) => self.too_large(node, key, typed),
            Some(OddNumber::NotANumber) | None => self.not_a_number(node, key, typed),
        }
    }

    /// A number written in a form no reader but a count's explains: one
    /// message for `int` and `number`. Returns whether it reported.
    fn odd_number_report(&mut self, node: &Node, key: &str) -> bool {
        let (Value::Str(typed), Style::Plain) = (&node.value, node.style) else {
            return false;
        };
        let Some(odd) = odd_number(typed) else {
            return false;
        };
        let shown_typed = shown(typed);
        let (message, hint) = match odd {
            OddNumber::LeadingZero { negative, digits } => (
                format!("'{key}' viết {shown_typed}: số bắt đầu bằng 0 không được đọc là số"),
                format!(
                    "số không được bắt đầu bằng 0: viết {}{digits}",
                    if negative { "-" } else { "" }
                ),
            ),
            OddNumber::Underscore { digits } => (
                format!("'{key}' viết {shown_typed}: số không được có dấu gạch dưới"),
                format!("viết liền các chữ số: {digits}"),
            ),
            OddNumber::Radix { value, base } => (
                format!(
                    "'{key}' phải viết bằng chữ số thập phân, không phải {shown_typed} (cách viết số hệ {base})"
                ),
                value.map_or_else(
                    || "viết số bằng các chữ số 0–9".to_owned(),
                    |v| format!("nếu ý là {v}, viết {v}"),
                ),
            ),
            OddNumber::Exponent { value } => (
                format!("'{key}' phải viết đủ các chữ số, không phải dạng lũy thừa {shown_typed}"),
                if value.fract() == 0.0 && value.abs() < 1e15 {
                    format!("viết {}", value as i64)
                } else {
                    format!("viết {value}")
                },
            ),
            OddNumber::Huge => (
                format!("'{key}' quá lớn ({shown_typed})"),
                "kiểm tra lại số liệu".to_owned(),
            ),
            OddNumber::NotANumber => {
                self.not_a_number(node, key, typed);
                return true;
            }
        };
        self.report(Code::WrongType, node, message).with_hint(hint);
        true
    }

    /// A whole number within `range`.
    pub fn int(
        &mut self,
        node: &Node,
        key: &str,
        range: std::ops::RangeInclusive<i64>,
    ) -> Option<Sp<i64>> {
        let value = match &node.value {
            Value::Int(i) => i64::try_from(*i).ok(),
            Value::Float(f) if !f.is_finite() => {
                self.not_a_number(node, key, &float_text(*f));
                return None;
            }
            Value::Float(f) => {
                self.report(
                    Code::FractionalCount,
                    node,
                    format!("'{key}' phải là số nguyên, không phải {}", float_text(*f)),
                );
                return None;
            }
            _ if self.odd_number_report(node, key) => return None,
            other => {
                let found = other.kind_vi();
                self.report(
                    Code::WrongType,
                    node,
                    format!("'{key}' phải là số nguyên, không phải {found}"),
                );
                return None;
            }
        };
        match value {
            Some(v) if range.contains(&v) => Some(Sp::new(v, self.loc(node))),
            _ => {
                self.report(
                    Code::BadValue,
                    node,
                    format!(
                        "'{key}' phải nằm trong khoảng {}–{}",
                        range.start(),
                        range.end()
                    ),
                );
                None
            }
        }
    }

    /// A number (whole or decimal) within `range`.
    pub fn number(
        &mut self,
        node: &Node,
        key: &str,
        range: std::ops::RangeInclusive<f64>,
    ) -> Option<Sp<f64>> {
        let value = match &node.value {
            Value::Int(i) => *i as f64,
            Value::Float(f) if !f.is_finite() => {
                self.not_a_number(node, key, &float_text(*f));
                return None;
            }
            Value::Float(f) => *f,
            _ if self.odd_number_report(node, key) => return None,
            other => {
                let found = other.kind_vi();
                self.report(
                    Code::WrongType,
                    node,
                    format!("'{key}' phải là một số, không phải {found}"),
                )
                .with_hint("số thập phân trong YAML viết bằng dấu chấm: 3.5");
                return None;
            }
        };
        if value.is_finite() && range.contains(&value) {
            Some(Sp::new(value, self.loc(node)))
        } else {
            self.report(
                Code::BadValue,
                node,
                format!(
                    "'{key}' phải nằm trong khoảng {}–{}",
                    vi::number_f64(*range.start()),
                    vi::number_f64(*range.end())
                ),
            );
            None
        }
    }

    pub fn boolean(&mut self, node: &Node, key: &str) -> Option<Sp<bool>> {
        match &node.value {
            Value::Bool(b) => Some(Sp::new(*b, self.loc(node))),
            other => {
                let found = other.kind_vi();
                self.report(
                    Code::WrongType,
                    node,
                    format!("'{key}' phải là true hoặc false, không phải {found}"),
                );
                None
            }
        }
    }

    pub fn date(&mut self, node: &Node, key: &str) -> Option<Sp<NaiveDate>> {
        let parsed = match &node.value {
            Value::Str(s) => vi::parse_date(s),
            _ => None,
        };
        if parsed.is_none() {
            self.bad_date(
                node,
                key,
                "ngày",
                "viết ngày dạng năm-tháng-ngày, ví dụ 2023-01-31",
            );
        }
        parsed.map(|d| Sp::new(d, self.loc(node)))
    }

    pub fn datetime(&mut self, node: &Node, key: &str) -> Option<Sp<DateTime<FixedOffset>>> {
        let parsed = match &node.value {
            Value::Str(s) => vi::parse_datetime(s),
            _ => None,
        };
        if parsed.is_none() {
            self.bad_date(
                node,
                key,
                "thời điểm",
                "viết dạng 2023-03-03T09:31:00+07:00 hoặc 2023-03-03 09:31",
            );
        }
        parsed.map(|d| Sp::new(d, self.loc(node)))
    }

    /// A date (or time) that did not parse: a day the calendar does not
    /// have (`2026-04-31`: April has 30 days) is said so, rather than
    /// blamed on the format.
    fn bad_date(&mut self, node: &Node, key: &str, what: &str, format_hint: &str) {
        let impossible = match &node.value {
            Value::Str(s) => vi::impossible_date(s),
            _ => None,
        };
        match impossible {
            Some(why) => {
                self.report(
                    Code::BadDate,
                    node,
                    format!(
                        "'{key}' không phải {what} có thật: {} ({why})",
                        node_text(node)
                    ),
                )
                .with_hint("kiểm tra lại ngày, tháng trên văn bản gốc");
            }
            None => {
                self.report(
                    Code::BadDate,
                    node,
                    format!("'{key}' không phải {what} hợp lệ: {}", node_text(node)),
                )
                .with_hint(format_hint);
            }
        }
    }

    /// An identifier used in paths: `[a-z0-9]` words joined by `-`.
    pub fn id(&mut self, node: &Node, key: &str) -> Option<Sp<String>> {
        let text = self.text(node, key)?;
        match id_problem(&text) {
            None => Some(text),
            Some(problem) => {
                let suggestion = vi::slugify(&text);
                let d = self.report(
                    Code::BadId,
                    node,
                    format!("mã '{}' không dùng được: {problem}", shown(&text)),
                );
                if suggestion != text.value
                    && !suggestion.is_empty()
                    && id_problem(&suggestion).is_none()
                {
                    d.with_hint(format!("có thể dùng '{suggestion}'"));
                }
                None
            }
        }
    }

    /// A reference to a unit (`unit:` of a results row or a quota): its
    /// id, or, when it is not written as an id, the text as written (a
    /// unit's name, say), which `check` looks up among the units' names to
    /// name the id to write.
    pub fn unit_ref(&mut self, node: &Node, key: &str) -> Option<Sp<String>> {
        self.text(node, key)
    }

    /// A document symbol such as `366-KH/TU`.
    pub fn symbol(&mut self, node: &Node, key: &str) -> Option<Sp<DocSymbol>> {
        let text = self.text(node, key)?;
        self.valid(node, key, Code::BadSymbol, values::document_symbol(&text))
    }

    /// A year of figures (see [`values::year`]).
    pub fn year(&mut self, node: &Node, key: &str) -> Option<Sp<i32>> {
        let n = self.whole(node, key)?;
        self.valid(node, key, Code::BadValue, values::year(n))
    }

    /// A quarter, 1 to 4 (see [`values::quarter`]).
    pub fn quarter(&mut self, node: &Node, key: &str) -> Option<Sp<u8>> {
        let n = self.whole(node, key)?;
        self.valid(node, key, Code::QuarterOutOfRange, values::quarter(n))
    }

    /// A whole number for a validator to judge; one beyond 64 bits is
    /// taken as the nearest that fits, which every validator refuses.
    fn whole(&mut self, node: &Node, key: &str) -> Option<i64> {
        match &node.value {
            Value::Int(i) => {
                Some(i64::try_from(*i).unwrap_or(if *i < 0 { i64::MIN } else { i64::MAX }))
            }
            _ => self.int(node, key, i64::MIN..=i64::MAX).map(|n| n.value),
        }
    }

    /// The value `node` holds once its kind's validator in [`values`] has
    /// checked it; what that validator refuses is reported with its words,
    /// framed as on the command line: `giá trị X của 'key' không dùng
    /// được: …`.
    pub fn valid<T>(
        &mut self,
        node: &Node,
        key: &str,
        code: Code,
        checked: Result<T, values::Invalid>,
    ) -> Option<Sp<T>> {
        match checked {
            Ok(value) => Some(Sp::new(value, self.loc(node))),
            Err(invalid) => {
                let d = self.report(
                    code,
                    node,
                    format!(
                        "giá trị {} của '{key}' không dùng được: {}",
                        node_text(node),
                        invalid.message
                    ),
                );
                if let Some(hint) = invalid.hint {
                    d.with_hint(hint);
                }
                None
            }
        }
    }

    /// Optional value helpers: absent (or null) gives `None` without a report.
    pub fn opt_text(&mut self, t: &Table, key: &str) -> Option<Sp<String>> {
        t.get(key).and_then(|n| self.text(n, key))
    }
    pub fn opt_count(&mut self, t: &Table, key: &str) -> Option<Sp<u64>> {
        t.get(key).and_then(|n| self.count(n, key))
    }
    pub fn opt_date(&mut self, t: &Table, key: &str) -> Option<Sp<NaiveDate>> {
        t.get(key).and_then(|n| self.date(n, key))
    }
    pub fn opt_id(&mut self, t: &Table, key: &str) -> Option<Sp<String>> {
        t.get(key).and_then(|n| self.id(n, key))
    }

    /// Required value helpers: absent gives a [`Code::MissingKey`] report.
    pub fn req_text(&mut self, t: &Table, key: &str, what: &str) -> Option<Sp<String>> {
        self.require(t, key, what).and_then(|n| self.text(n, key))
    }
    pub fn req_count(&mut self, t: &Table, key: &str, what: &str) -> Option<Sp<u64>> {
        self.require(t, key, what).and_then(|n| self.count(n, key))
    }
    pub fn req_date(&mut self, t: &Table, key: &str, what: &str) -> Option<Sp<NaiveDate>> {
        self.require(t, key, what).and_then(|n| self.date(n, key))
    }
    pub fn req_id(&mut self, t: &Table, key: &str, what: &str) -> Option<Sp<String>> {
        self.require(t, key, what).and_then(|n| self.id(n, key))
    }
    pub fn req_symbol(&mut self, t: &Table, key: &str, what: &str) -> Option<Sp<DocSymbol>> {
        self.require(t, key, what).and_then(|n| self.symbol(n, key))
    }

    /// The symbol of a plan (see [`values::plan_symbol`]): its own, the
    /// one it amends, the plan of a results file.
    pub fn plan_symbol(&mut self, node: &Node, key: &str) -> Option<Sp<DocSymbol>> {
        let text = self.text(node, key)?;
        self.valid(node, key, Code::BadSymbol, values::plan_symbol(&text))
    }

    /// A list of ids (`successors`, `units`); a lone id is refused with a hint.
    pub fn id_list(&mut self, t: &Table, key: &str) -> Vec<Sp<String>> {
        self.list(t, key, Self::id)
    }

    /// A list of texts (`tags`, `tasks`); a lone text is refused with a hint.
    pub fn text_list(&mut self, t: &Table, key: &str) -> Vec<Sp<String>> {
        self.list(t, key, Self::text)
    }

    /// The items of the list under `key`, each read with `item`. A single
    /// text where a list belongs is refused with the list spelling as hint
    /// (`tags: a, b` would otherwise become one tag "a, b").
    pub(crate) fn list<T>(
        &mut self,
        t: &Table,
        key: &str,
        item: fn(&mut Self, &Node, &str) -> Option<T>,
    ) -> Vec<T> {
        let node = t.get(key);
        if let Some(
            n @ Node {
                value: Value::Str(s),
                ..
            },
        ) = node
        {
            self.report(Code::WrongType, n, format!("'{key}' phải là một danh sách"))
                .with_hint(format!("viết {key}: [{}]", shown(s)));
            return Vec::new();
        }
        let items = self.items(node, key);
        items.iter().filter_map(|n| item(self, n, key)).collect()
    }
}

/// Characters no text of a page may hold: control characters other than tab
/// and newline (NUL is not even HTML), and Unicode noncharacters (U+FDD0 to
/// U+FDEF, U+xFFFE, U+xFFFF), which HTML parsers report as errors.
pub fn is_forbidden_char(c: char) -> bool {
    let n = c as u32;
    (c.is_control() && c != '\n' && c != '\t')
        || (0xFDD0..=0xFDEF).contains(&n)
        || n & 0xFFFE == 0xFFFE
}

/// Counts above this are typing mistakes, not data (and keep sums far from overflow).
pub const MAX_COUNT: u64 = 1_000_000_000;

/// Longest id accepted: ids become folder names.
pub const MAX_ID_LEN: usize = 64;

/// Why `id` cannot be used as a unit's id, if it cannot. An id is
/// `[a-z0-9-]+` (SPEC §2.2), so `-` may be anywhere and repeated:
/// `xa--hung-dao` is an id, though no slug is written so.
pub fn id_problem(id: &str) -> Option<&'static str> {
    if id.len() > MAX_ID_LEN {
        return Some("dài quá 64 ký tự");
    }
    if id.is_empty() {
        return Some("mã trống");
    }
    letters_problem(id).or_else(|| reserved_problem(id))
}

/// Why `slug` cannot be a path segment, if it cannot (no length rule:
/// `vi::slugify` and the callers bound it): words of `[a-z0-9]` joined by
/// one `-`, as `vi::slugify` writes them.
pub fn slug_problem(id: &str) -> Option<&'static str> {
    if let Some(problem) = letters_problem(id) {
        return Some(problem);
    }
    if id.is_empty() || id.starts_with('-') || id.ends_with('-') || id.contains("--") {
        return Some("dấu '-' chỉ được nằm giữa hai chữ");
    }
    reserved_problem(id)
}

fn letters_problem(id: &str) -> Option<&'static str> {
    (!id.bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'))
    .then_some("chỉ được dùng chữ thường không dấu a–z, chữ số và dấu '-'")
}

fn reserved_problem(id: &str) -> Option<&'static str> {
    is_reserved_name(id).then_some("đây là tên thiết bị dành riêng của Windows")
}

/// Names Windows reserves for devices; a folder with such a name cannot be
/// copied to a Windows disk.
pub fn is_reserved_name(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or(name).to_ascii_lowercase();
    matches!(stem.as_str(), "con" | "prn" | "aux" | "nul")
        || ((stem.starts_with("com") || stem.starts_with("lpt"))
            && stem.len() == 4
            && stem.as_bytes()[3].is_ascii_digit()
            && stem.as_bytes()[3] != b'0')
}

/// User text echoed in a message: one line, at most 60 characters.
pub fn shown(s: &str) -> String {
    let mut out: String = s
        .chars()
        .map(|c| if c.is_control() { '�' } else { c })
        .take(60)
        .collect();
    if s.chars().count() > 60 {
        out.push('…');
    }
    out
}

fn node_text(node: &Node) -> String {
    match &node.value {
        Value::Str(s) => format!("'{}'", shown(s)),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => float_text(*f),
        other => other.kind_vi().to_owned(),
    }
}

/// A float as typed in YAML: `30.0` stays `30.0` (not `30`, which would
/// read as a whole number), `.nan` and `.inf` as YAML writes them.
fn float_text(f: f64) -> String {
    if f.is_nan() {
        return ".nan".to_owned();
    }
    if f.is_infinite() {
        return if f > 0.0 { ".inf" } else { "-.inf" }.to_owned();
    }
    let s = format!("{f}");
    if s.len() > 24 {
        format!("{f:e}")
    } else if f.fract() == 0.0 {
        format!("{s}.0")
    } else {
        s
    }
}

/// A number written as a plain YAML scalar in a form that is kept as text
/// (see `yaml::written_as_typed`).
#[derive(Debug, PartialEq)]
enum OddNumber {
    /// `030`, `-07`: `digits` without the zeros in front.
    LeadingZero { negative: bool, digits: String },
    /// `1_000`.
    Underscore { digits: String },
    /// `0x1F`, `0o17`, `0b101`; `value` when it fits.
    Radix { value: Option<i128>, base: u32 },
    /// `1e3`, `2.5E2`.
    Exponent { value: f64 },
    /// More digits than any number holds, or an exponent beyond them.
    Huge,
    /// `.nan`, `.inf`, `-.inf`.
    NotANumber,
}

fn odd_number(typed: &str) -> Option<OddNumber> {
    let (negative, body) = match typed.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, typed.strip_prefix('+').unwrap_or(typed)),
    };
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if all_digits(body) {
        let digits = body.trim_start_matches('0');
        let digits = if digits.is_empty() { "0" } else { digits };
        return Some(if body.len() > 1 && body.starts_with('0') {
            OddNumber::LeadingZero {
                negative,
                digits: digits.to_owned(),
            }
        } else {
            OddNumber::Huge
        });
    }
    let lower = body.to_ascii_lowercase();
    for (prefix, base) in [("0x", 16), ("0o", 8), ("0b", 2)] {
        if let Some(rest) = lower.strip_prefix(prefix)
            && !rest.is_empty()
            && rest.chars().all(|c| c.is_digit(base))
        {
            let value = i128::from_str_radix(rest, base)
                .ok()
                .map(|v| if negative { -v } else { v });
            return Some(OddNumber::Radix { value, base });
        }
    }
    if body.contains('_') {
        let digits: String = body.chars().filter(|c| *c != '_').collect();
        if all_digits(&digits) {
            let digits = digits.trim_start_matches('0');
            let digits = if digits.is_empty() { "0" } else { digits };
            let sign = if negative { "-" } else { "" };
            return Some(OddNumber::Underscore {
                digits: format!("{sign}{digits}"),
            });
        }
    }
    if matches!(lower.as_str(), ".nan" | ".inf") {
        return Some(OddNumber::NotANumber);
    }
    if lower.contains('e')
        && lower
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'+' | b'-'))
        && let Ok(value) = typed.parse::<f64>()
    {
        return Some(if value.is_finite() {
            OddNumber::Exponent { value }
        } else {
            OddNumber::Huge
        });
    }
    None
}

/// `3.290` in YAML is three point two nine, but a Vietnamese editor meant
/// 3.290 = 3290. Returns the grouped reading when the number looks like that.
fn thousands_reading(f: f64) -> Option<String> {
    let scaled = f * 1000.0;
    if !(1000.0..1_000_000.0).contains(&scaled) || (scaled - scaled.round()).abs() > 1e-6 {
        return None;
    }
    let n = scaled.round() as i64;
    (n % 10 != 0 || f.fract() != 0.0).then(|| vi::int(n))
}

/// `1.000`, `1,000`, `1 000 000`: digits grouped by threes with one kind
/// of separator, as a Vietnamese (or English) writer groups a count.
fn is_grouped_number(s: &str) -> bool {
    let s = s.trim();
    let Some(sep) = s.chars().find(|c| matches!(c, '.' | ',' | ' ')) else {
        return false;
    };
    let mut groups = s.split(sep);
    let first = groups.next().unwrap_or("");
    (1..=3).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_digit())
        && groups.all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::yaml::parse;
    use crate::model::Files;

    fn with_reader<T>(text: &str, f: impl FnOnce(&mut Reader, &Node) -> T) -> (T, Vec<Diagnostic>) {
        let files = Files::new(vec!["content/x.yaml".into()]);
        let mut diags = Diagnostics::new(&files);
        let node = parse(text, 0).unwrap_or_else(|e| panic!("{e:?}"));
        let out = {
            let mut r = Reader::new(&mut diags, FileId(0));
            f(&mut r, &node)
        };
        (out, diags.into_vec())
    }

    fn codes(d: &[Diagnostic]) -> Vec<(&str, u32, u32)> {
        d.iter().map(|d| (d.code.as_str(), d.line, d.col)).collect()
    }

    #[test]
    fn unknown_keys_get_a_hint_and_the_rest_is_read() {
        let ((), d) = with_reader("unit: a\nadmited: 3\nwomen: 1\n", |r, n| {
            let t = r.table(n, "một dòng số liệu", &["unit", "admitted", "women"]);
            let t = t.unwrap_or_else(|| panic!());
            assert!(r.req_count(&t, "admitted", "một dòng số liệu").is_none());
            assert_eq!(r.opt_count(&t, "women",).map(|v| v.value), Some(1));
        });
        assert_eq!(codes(&d), vec![("E201", 2, 1), ("E202", 1, 1)]);
        assert_eq!(d[0].hint.as_deref(), Some("có phải 'admitted'?"));
    }

    #[test]
    fn counts_refuse_negative_fractional_and_quoted_numbers() {
        let (_, d) = with_reader("a: -1\nb: 3.5\nc: \"35\"\nd: 3.290\ne: 12\n", |r, n| {
            let t = r
                .table(n, "x", &["a", "b", "c", "d", "e"])
                .unwrap_or_else(|| panic!());
            for k in ["a", "b", "c", "d"] {
                assert!(r.opt_count(&t, k).is_none());
            }
            assert_eq!(r.opt_count(&t, "e").map(|v| v.value), Some(12));
        });
        assert_eq!(
            codes(&d),
            vec![
                ("E204", 1, 4),
                ("E205", 2, 4),
                ("E203", 3, 4),
                ("E205", 4, 4)
            ]
        );
        assert_eq!(d[3].hint.as_deref().map(|h| h.contains("3290")), Some(true));
    }

    /// Every count written in a form YAML does not read as a count, with
    /// the message and hint a writer sees (figures by hand).
    #[test]
    fn counts_written_oddly_get_a_true_hint() {
        let cases: &[(&str, &str, &str, Option<&str>)] = &[
            (
                "030",
                "E203",
                "'a' viết 030: số bắt đầu bằng 0 không được đọc là số",
                Some("số không được bắt đầu bằng 0: viết 30"),
            ),
            (
                "00",
                "E203",
                "'a' viết 00: số bắt đầu bằng 0 không được đọc là số",
                Some("số không được bắt đầu bằng 0: viết 0"),
            ),
            (
                "-030",
                "E204",
                "'a' là số âm (-030); số đếm phải từ 0 trở lên",
                None,
            ),
            (
                "\"30\"",
                "E203",
                "'a' phải là số, không phải chuỗi chữ \"30\"",
                Some("bỏ dấu ngoặc kép quanh số: viết 30"),
            ),
            (
                "'030'",
                "E203",
                "'a' phải là số, không phải chuỗi chữ \"030\"",
                Some("bỏ dấu nháy đơn quanh số: viết 30"),
            ),
            (
                "!!str 30",
                "E203",
                "'a' phải là số, không phải chuỗi chữ \"30\"",
                Some("bỏ thẻ (!!str) trước số: viết 30"),
            ),
            (
                "|\n  30",
                "E203",
                "'a' phải là số, không phải chuỗi chữ \"30\"",
                Some("viết 30 ngay sau 'a:' trên cùng một dòng, không dùng | hay >"),
            ),
            (
                "1_000",
                "E203",
                "'a' viết 1_000: số không được có dấu gạch dưới",
                Some("viết liền các chữ số: 1000"),
            ),
            (
                "0x1F",
                "E203",
                "'a' phải viết bằng chữ số thập phân, không phải 0x1F (cách viết số hệ 16)",
                Some("nếu ý là 31, viết 31"),
            ),
            (
                "0o17",
                "E203",
                "'a' phải viết bằng chữ số thập phân, không phải 0o17 (cách viết số hệ 8)",
                Some("nếu ý là 15, viết 15"),
            ),
            (
                "-0x5",
                "E204",
                "'a' là số âm (-0x5); số đếm phải từ 0 trở lên",
                None,
            ),
            (
                "1e3",
                "E203",
                "'a' phải viết đủ các chữ số, không phải dạng lũy thừa 1e3",
                Some("viết 1000"),
            ),
            (
                "2.5e-1",
                "E205",
                "'a' phải là số nguyên, không phải 2.5e-1",
                None,
            ),
            (
                "1e12",
                "E208",
                "'a' quá lớn (1e12)",
                Some("số đếm không quá 1.000.000.000; kiểm tra lại số liệu"),
            ),
            (
                "1e400",
                "E208",
                "'a' quá lớn (1e400)",
                Some("số đếm không quá 1.000.000.000; kiểm tra lại số liệu"),
            ),
            (
                "18446744073709551616",
                "E208",
                "'a' quá lớn (18446744073709551616)",
                Some("số đếm không quá 1.000.000.000; kiểm tra lại số liệu"),
            ),
            (
                ".nan",
                "E203",
                "'a' phải là một số, không phải .nan (trong YAML nghĩa là 'không phải số')",
                Some("ghi số bằng chữ số, ví dụ 30"),
            ),
            (
                ".inf",
                "E203",
                "'a' phải là một số, không phải .inf (trong YAML nghĩa là 'vô cực')",
                Some("ghi số bằng chữ số, ví dụ 30"),
            ),
            (
                "-.inf",
                "E203",
                "'a' phải là một số, không phải -.inf (trong YAML nghĩa là 'vô cực')",
                Some("ghi số bằng chữ số, ví dụ 30"),
            ),
            (
                "!!float .nan",
                "E203",
                "'a' phải là một số, không phải .nan (trong YAML nghĩa là 'không phải số')",
                Some("ghi số bằng chữ số, ví dụ 30"),
            ),
            (
                "30.0",
                "E205",
                "'a' phải là số nguyên, không phải số thập phân 30.0",
                Some("viết 30; nếu đây là số 30.000 viết theo kiểu Việt Nam, viết 30000"),
            ),
            (
                "1.2.3",
                "E203",
                "'a' phải là số nguyên không âm, không phải chuỗi chữ",
                None,
            ),
            (
                "1.000.000",
                "E203",
                "'a' phải là số nguyên viết liền, không phải \"1.000.000\"",
                Some("viết 1000000"),
            ),
        ];
        for (typed, code, message, hint) in cases {
            let (value, d) = with_reader(&format!("a: {typed}\n"), |r, n| {
                let t = r.table(n, "x", &["a"]).unwrap_or_else(|| panic!());
                r.opt_count(&t, "a")
            });
            assert!(value.is_none(), "{typed}: read as {value:?}");
            assert_eq!(d.len(), 1, "{typed}: {d:?}");
            assert_eq!(
                (
                    d[0].code.as_str(),
                    d[0].message.as_str(),
                    d[0].hint.as_deref()
                ),
                (*code, *message, *hint),
                "{typed}"
            );
        }
        // Written as a count is written: no problem.
        for typed in ["30", "+30", "0", "1000000000"] {
            let (value, d) = with_reader(&format!("a: {typed}\n"), |r, n| {
                let t = r.table(n, "x", &["a"]).unwrap_or_else(|| panic!());
                r.opt_count(&t, "a").map(|v| v.value)
            });
            assert!(value.is_some() && d.is_empty(), "{typed}: {d:?}");
        }
    }

    #[test]
    fn whole_numbers_and_decimals_written_oddly_are_refused_in_vietnamese() {
        let (_, d) = with_reader("y: 0x7E8\nq: 03\nm: .nan\nn: 1e2\nok: 2.5\n", |r, n| {
            let t = r
                .table(n, "x", &["y", "q", "m", "n", "ok"])
                .unwrap_or_else(|| panic!());
            assert!(
                r.int(t.get("y").unwrap_or_else(|| panic!()), "y", 1900..=2200)
                    .is_none()
            );
            assert!(
                r.int(t.get("q").unwrap_or_else(|| panic!()), "q", 1..=4)
                    .is_none()
            );
            assert!(
                r.number(t.get("m").unwrap_or_else(|| panic!()), "m", 0.0..=100.0)
                    .is_none()
            );
            assert!(
                r.number(t.get("n").unwrap_or_else(|| panic!()), "n", 0.0..=100.0)
                    .is_none()
            );
            assert_eq!(
                r.number(t.get("ok").unwrap_or_else(|| panic!()), "ok", 0.0..=100.0)
                    .map(|v| v.value),
                Some(2.5)
            );
        });
        let hints: Vec<_> = d
            .iter()
            .map(|d| (d.code.as_str(), d.hint.as_deref()))
            .collect();
        assert_eq!(
            hints,
            vec![
                ("E203", Some("nếu ý là 2024, viết 2024")),
                ("E203", Some("số không được bắt đầu bằng 0: viết 3")),
                ("E203", Some("ghi số bằng chữ số, ví dụ 30")),
                ("E203", Some("viết 100")),
            ]
        );
    }

    #[test]
    fn forbidden_characters() {
        for c in [
            '\0',
            '\u{1b}',
            '\u{7f}',
            '\u{85}',
            '\u{fdd0}',
            '\u{fffe}',
            '\u{1ffff}',
            '\u{10ffff}',
        ] {
            assert!(is_forbidden_char(c), "{:04X}", c as u32);
        }
        for c in ['\n', '\t', 'a', 'Đ', '\u{fffd}', '\u{fdcf}', '\u{200b}'] {
            assert!(!is_forbidden_char(c), "{:04X}", c as u32);
        }
    }

    #[test]
    fn ids_must_be_safe_path_components() {
        // `[a-z0-9-]+`: a hyphen anywhere, repeated or not.
        for good in [
            "ngan-son",
            "xa-2",
            "xa--hung-dao",
            "-a",
            "a-",
            "-",
            "2025",
            "com0",
        ] {
            assert_eq!(id_problem(good), None, "{good:?}");
        }
        assert_eq!(id_problem(&"a".repeat(64)), None);
        for bad in [
            "", "../x", "a/b", "Ngan", "ngân", "con", "aux", "com1", "a b", "a.b", "a_b", "a\0",
        ] {
            assert!(id_problem(bad).is_some(), "{bad:?}");
        }
        assert!(id_problem(&"a".repeat(65)).is_some());
        assert!(!is_reserved_name("com0"));
        assert!(is_reserved_name("LPT9"));
    }

    #[test]
    fn slugs_are_words_joined_by_one_hyphen() {
        assert_eq!(slug_problem("phat-trien-dang-vien-2024"), None);
        for bad in ["", "-a", "a-", "a--b", "-", "A", "a b", "con"] {
            assert!(slug_problem(bad).is_some(), "{bad:?}");
        }
    }

    #[test]
    fn text_is_nfc_and_refuses_control_characters() {
        let (_, d) = with_reader("a: \"Ngân\"\nb: \"x\\u0000y\"\nc: \"  \"\n", |r, n| {
            let t = r
                .table(n, "x", &["a", "b", "c"])
                .unwrap_or_else(|| panic!());
            // "Ngân" written with a combining circumflex becomes one character.
            assert_eq!(
                r.opt_text(&t, "a").map(|v| v.value),
                Some("Ngân".to_owned())
            );
            assert!(r.opt_text(&t, "b").is_none());
            assert!(r.opt_text(&t, "c").is_none());
        });
        assert_eq!(codes(&d), vec![("E208", 2, 4), ("E210", 3, 4)]);
    }
}
