//! A streaming check of one XML part of a workbook, fed the inflated bytes
//! chunk by chunk, before calamine reads the part.
//!
//! It cuts the bytes into tokens exactly where quick-xml (calamine's XML
//! reader) does — tags end at the first `>` outside quotes, comments at
//! `-->`, CDATA at `]]>`, processing instructions at `?>` — so that what it
//! measures is what quick-xml will hold in memory: every tag, comment and
//! run of text is at most [`MAX_XML_TOKEN_BYTES`], elements open inside one
//! another at most [`MAX_XML_DEPTH`], and every element is closed by an end
//! tag of the same name (calamine's loops look for those end tags; a
//! missing one made some of them loop for ever). A DOCTYPE is refused:
//! workbooks never have one.
//!
//! What a part holds is judged by a [`Watch`] that sees each element and
//! how much text lies inside it: the cells of a sheet, the strings of a
//! shared-string table, the repeated rows of an .ods ([`super::package`]).

use super::limits::{MAX_XML_DEPTH, MAX_XML_NAME_BYTES, MAX_XML_TOKEN_BYTES};

/// Why a part is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Breach {
    /// A tag, comment or run of text longer than the limit (bytes).
    Token(u64),
    /// Elements nested deeper than the limit.
    Depth(u64),
    /// The text of one cell or string longer than the limit (bytes).
    Cell(u64),
    /// More of something than the limit: what, in Vietnamese, and the limit.
    Count(&'static str, u64),
    /// More bytes (of text, of memory) than the limit: what, and the limit.
    Bytes(&'static str, u64),
    /// Not XML that calamine can read safely: why, in Vietnamese.
    Malformed(&'static str),
}

/// Sees the elements of a part as the scanner finds them.
pub trait Watch {
    /// A start tag (also the start of an empty `<x/>` element): its name and
    /// the bytes after the name, where the attributes are.
    fn start(&mut self, name: &[u8], attributes: &[u8]) -> Result<(), Breach>;
    /// An end tag (also the end of an empty element).
    fn end(&mut self, name: &[u8]) -> Result<(), Breach>;
    /// `bytes` of character data: text, references, CDATA content.
    fn text(&mut self, bytes: u64) -> Result<(), Breach>;
    /// A whole token (tag, comment, text run...) of `bytes`, for watches
    /// that count what a reader accumulates.
    fn token(&mut self, _bytes: u64) -> Result<(), Breach> {
        Ok(())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    /// Between markup, in a run of text.
    Text,
    /// Just after `<`.
    Open,
    /// Inside `<...>` (start tag) or `</...>` (end tag), with the quote
    /// that is open, if any.
    Tag(Option<u8>),
    /// Just after `<!`.
    Bang,
    Comment,
    CData,
    /// Inside `<?...?>`.
    Pi,
}

/// The scanner of one part.
pub struct Scanner {
    state: State,
    /// Bytes of the current token (markup from its `<`, or text run).
    len: usize,
    /// The current tag, without its `<` and `>`; only kept for tags.
    tag: Vec<u8>,
    /// The last two bytes of the current markup, to find `-->`, `]]>`, `?>`.
    last: [u8; 2],
    /// Names of the open elements.
    open: Vec<Vec<u8>>,
}

impl Default for Scanner {
    fn default() -> Self {
        Scanner::new()
    }
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

impl Scanner {
    pub fn new() -> Scanner {
        Scanner {
            state: State::Text,
            len: 0,
            tag: Vec::new(),
            last: [0, 0],
            open: Vec::new(),
        }
    }

    fn grow(&mut self, n: usize) -> Result<(), Breach> {
        self.len = self.len.saturating_add(n);
        if self.len > MAX_XML_TOKEN_BYTES {
            return Err(Breach::Token(MAX_XML_TOKEN_BYTES as u64));
        }
        Ok(())
    }

    fn push_last(&mut self, b: u8) {
        self.last = [self.last[1], b];
    }

    /// Scans the next bytes of the part.
    pub fn feed(&mut self, mut bytes: &[u8], watch: &mut impl Watch) -> Result<(), Breach> {
        while !bytes.is_empty() {
            match self.state {
                State::Text => {
                    let run = bytes.iter().position(|&b| b == b'<').unwrap_or(bytes.len());
                    if run > 0 {
                        // The text first: inside a cell, the cell's limit
                        // is the one to name.
                        watch.text(run as u64)?;
                        self.grow(run)?;
                        watch.token(run as u64)?;
                    }
                    bytes = &bytes[run..];
                    if !bytes.is_empty() {
                        // The '<' starts markup: the text run is over.
                        self.state = State::Open;
                        self.len = 1;
                        self.last = [0, b'<'];
                        bytes = &bytes[1..];
                    }
                }
                State::Tag(mut quote) => {
                    // Up to the '>' outside quotes, as quick-xml's element
                    // parser (for end tags too).
                    let mut end = None;
                    for (i, &b) in bytes.iter().enumerate() {
                        match (quote, b) {
                            (None, b'>') => {
                                end = Some(i);
                                break;
                            }
                            (None, b'"' | b'\'') => quote = Some(b),
                            (Some(q), b) if b == q => quote = None,
                            _ => {}
                        }
                    }
                    let take = end.unwrap_or(bytes.len());
                    self.grow(take + usize::from(end.is_some()))?;
                    self.tag.extend_from_slice(&bytes[..take]);
                    match end {
                        Some(i) => {
                            bytes = &bytes[i + 1..];
                            self.close_tag(watch)?;
                        }
                        None => {
                            self.state = State::Tag(quote);
                            bytes = &[];
                        }
                    }
                }
                _ => {
                    let b = bytes[0];
                    bytes = &bytes[1..];
                    self.grow(1)?;
                    self.markup_byte(b, watch)?;
                }
            }
        }
        Ok(())
    }

    /// One byte of markup other than a tag's.
    fn markup_byte(&mut self, b: u8, watch: &mut impl Watch) -> Result<(), Breach> {
        match self.state {
            State::Open => {
                self.state = match b {
                    b'!' => State::Bang,
                    b'?' => State::Pi,
                    _ => {
                        self.tag.clear();
                        self.tag.push(b);
                        State::Tag(match b {
                            b'"' | b'\'' => Some(b),
                            _ => None,
                        })
                    }
                };
                if b == b'>' {
                    // `<>`: an (empty-named) start tag, ended at once.
                    self.tag.clear();
                    self.close_tag(watch)?;
                }
            }
            State::Bang => {
                self.state = match b {
                    b'-' => State::Comment,
                    b'[' => State::CData,
                    b'D' | b'd' => return Err(Breach::Malformed("có khai báo DOCTYPE")),
                    _ => return Err(Breach::Malformed("có thẻ <! không hợp lệ")),
                };
                // Kept from here: what opens a comment or CDATA section.
                self.tag.clear();
                self.tag.push(b);
            }
            State::Comment => {
                if self.tag.len() < 2 {
                    self.tag.push(b);
                    if self.tag.len() == 2 && self.tag != b"--" {
                        return Err(Breach::Malformed("có chú thích XML không hợp lệ"));
                    }
                }
                // quick-xml: the first '>' after "--", at least 6 bytes in.
                if b == b'>' && self.len > 6 && self.last == *b"--" {
                    self.end_markup(watch)?;
                    return Ok(());
                }
            }
            State::CData => {
                if self.tag.len() < 7 {
                    self.tag.push(b);
                    if self.tag.len() == 7 && self.tag != b"[CDATA[" {
                        return Err(Breach::Malformed("có đoạn CDATA không hợp lệ"));
                    }
                }
                if b == b'>' && self.len > 4 && self.last == *b"]]" {
                    if self.tag.len() < 7 {
                        return Err(Breach::Malformed("có đoạn CDATA không hợp lệ"));
                    }
                    // The content, without `<![CDATA[` and `]]>`.
                    let content = self.len.saturating_sub(12) as u64;
                    watch.text(content)?;
                    self.end_markup(watch)?;
                    return Ok(());
                }
            }
            State::Pi => {
                if b == b'>' && self.last[1] == b'?' {
                    self.end_markup(watch)?;
                    return Ok(());
                }
            }
            State::Text | State::Tag(_) => {}
        }
        self.push_last(b);
        Ok(())
    }

    fn end_markup(&mut self, watch: &mut impl Watch) -> Result<(), Breach> {
        watch.token(self.len as u64)?;
        self.state = State::Text;
        self.len = 0;
        self.tag.clear();
        self.last = [0, 0];
        Ok(())
    }

    /// A tag ended at its '>': `self.tag` holds what is between `<` and `>`.
    fn close_tag(&mut self, watch: &mut impl Watch) -> Result<(), Breach> {
        let tag = std::mem::take(&mut self.tag);
        let result = self.element(&tag, watch);
        self.tag = tag;
        result?;
        self.end_markup(watch)
    }

    fn element(&mut self, tag: &[u8], watch: &mut impl Watch) -> Result<(), Breach> {
        if let Some(name) = tag.strip_prefix(b"/") {
            // quick-xml: the name of an end tag is all of it, less the
            // spaces at its end.
            let trimmed = name.len() - name.iter().rev().take_while(|&&b| is_space(b)).count();
            let name = &name[..trimmed];
            match self.open.pop() {
                Some(open) if open == name => {}
                Some(_) => return Err(Breach::Malformed("có thẻ đóng không khớp thẻ mở")),
                None => return Err(Breach::Malformed("có thẻ đóng thừa")),
            }
            return watch.end(name);
        }
        let (content, empty) = match tag.strip_suffix(b"/") {
            Some(c) => (c, true),
            None => (tag, false),
        };
        let name_len = content
            .iter()
            .position(|&b| is_space(b))
            .unwrap_or(content.len());
        let (name, attributes) = content.split_at(name_len);
        if name.len() > MAX_XML_NAME_BYTES {
            return Err(Breach::Malformed("có tên thẻ XML quá dài"));
        }
        if self.open.len() >= MAX_XML_DEPTH {
            return Err(Breach::Depth(MAX_XML_DEPTH as u64));
        }
        watch.start(name, attributes)?;
        if empty {
            watch.end(name)
        } else {
            self.open.push(name.to_vec());
            Ok(())
        }
    }

    /// The end of the part: nothing may be left open.
    pub fn finish(&mut self, _watch: &mut impl Watch) -> Result<(), Breach> {
        if self.state != State::Text {
            return Err(Breach::Malformed("kết thúc giữa một thẻ"));
        }
        if !self.open.is_empty() {
            return Err(Breach::Malformed("có thẻ mở không được đóng"));
        }
        Ok(())
    }
}

/// The part of a qualified name after the first `:` (quick-xml's local
/// name): `c` for `x:c`.
pub fn local(name: &[u8]) -> &[u8] {
    match name.iter().position(|&b| b == b':') {
        Some(i) => &name[i + 1..],
        None => name,
    }
}

/// The raw value of attribute `key` in `attributes`, found as calamine finds
/// it: the first `key="..."` (or `'...'`), keys compared exactly; `None`
/// when absent or when a malformed attribute comes first (calamine then
/// stops with an error).
pub fn attribute<'a>(attributes: &'a [u8], key: &[u8]) -> Option<&'a [u8]> {
    Attributes(attributes)
        .flatten()
        .find(|(k, _)| *k == key)
        .map(|(_, v)| v)
}

/// Every `key="value"` of a tag, in order; `Err` for a malformed one (no
/// `=`, no quote), after which nothing more is given.
pub struct Attributes<'a>(pub &'a [u8]);

impl<'a> Iterator for Attributes<'a> {
    type Item = Result<(&'a [u8], &'a [u8]), ()>;

    fn next(&mut self) -> Option<Self::Item> {
        let rest = self.0;
        let start = rest.iter().position(|&b| !b.is_ascii_whitespace())?;
        let rest = &rest[start..];
        let Some(eq) = rest.iter().position(|&b| b == b'=') else {
            self.0 = &[];
            return Some(Err(()));
        };
        let key = rest[..eq].trim_ascii_end();
        let after = rest[eq + 1..].trim_ascii_start();
        let quote = match after.first() {
            Some(&q @ (b'"' | b'\'')) => q,
            _ => {
                self.0 = &[];
                return Some(Err(()));
            }
        };
        let value_and_rest = &after[1..];
        let close = value_and_rest
            .iter()
            .position(|&b| b == quote)
            .unwrap_or(value_and_rest.len());
        let value = &value_and_rest[..close];
        self.0 = value_and_rest.get(close + 1..).unwrap_or_default();
        Some(Ok((key, value)))
    }
}

/// An attribute's text with the XML references of digits and the five
/// named entities decoded (`&#53;` is `5`), as calamine decodes some
/// attributes before reading a number from them; `None` for a reference
/// it would refuse.
pub fn unescape(value: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(value).ok()?;
    if !text.contains('&') {
        return Some(text.to_owned());
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let end = after.find(';')?;
        let entity = &after[..end];
        let c = match entity {
            "lt" => '<',
            "gt" => '>',
            "amp" => '&',
            "apos" => '\'',
            "quot" => '"',
            _ => {
                let code = match entity.strip_prefix("#x") {
                    Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                    None => entity.strip_prefix('#')?.parse().ok()?,
                };
                char::from_u32(code)?
            }
        };
        out.push(c);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Records what the scanner saw.
    #[derive(Default)]
    struct Log {
        events: Vec<String>,
        text: u64,
    }

    impl Watch for Log {
        fn start(&mut self, name: &[u8], attributes: &[u8]) -> Result<(), Breach> {
            self.events.push(format!(
                "<{}|{}>",
                String::from_utf8_lossy(name),
                String::from_utf8_lossy(attributes)
            ));
            Ok(())
        }
        fn end(&mut self, name: &[u8]) -> Result<(), Breach> {
            self.events
                .push(format!("</{}>", String::from_utf8_lossy(name)));
            Ok(())
        }
        fn text(&mut self, bytes: u64) -> Result<(), Breach> {
            self.text += bytes;
            Ok(())
        }
    }

    /// Scans `xml` fed in pieces of `chunk` bytes.
    fn scan(xml: &[u8], chunk: usize) -> (Result<(), Breach>, Log) {
        let mut log = Log::default();
        let mut s = Scanner::new();
        let mut result = Ok(());
        for piece in xml.chunks(chunk.max(1)) {
            result = s.feed(piece, &mut log);
            if result.is_err() {
                return (result, log);
            }
        }
        if result.is_ok() {
            result = s.finish(&mut log);
        }
        (result, log)
    }

    #[test]
    fn tokens_are_cut_where_quick_xml_cuts_them() {
        let xml = br#"<?xml version="1.0"?><a x='1>2' y="3"><!-- a > b --><b/>t&amp;u<![CDATA[<c>]]></a  >"#;
        for chunk in [1, 2, 3, 7, xml.len()] {
            let (r, log) = scan(xml, chunk);
            assert_eq!(r, Ok(()), "chunk {chunk}");
            assert_eq!(
                log.events,
                ["<a| x='1>2' y=\"3\">", "<b|>", "</b>", "</a>",],
                "chunk {chunk}"
            );
            // "t&amp;u" and the CDATA content "<c>".
            assert_eq!(log.text, 7 + 3, "chunk {chunk}");
        }
    }

    #[test]
    fn unbalanced_deep_long_and_doctype_are_refused() {
        assert!(matches!(
            scan(b"<a><b></a>", 3).0,
            Err(Breach::Malformed(_))
        ));
        assert!(matches!(scan(b"<a>", 3).0, Err(Breach::Malformed(_))));
        assert!(matches!(scan(b"</a>", 3).0, Err(Breach::Malformed(_))));
        assert!(matches!(scan(b"<a x=\"", 3).0, Err(Breach::Malformed(_))));
        assert!(matches!(
            scan(b"<!DOCTYPE x [<!ENTITY a 'b'>]><x/>", 5).0,
            Err(Breach::Malformed(_))
        ));
        let deep = "<a>".repeat(MAX_XML_DEPTH + 1);
        assert_eq!(
            scan(deep.as_bytes(), 64).0,
            Err(Breach::Depth(MAX_XML_DEPTH as u64))
        );
        let fine = format!(
            "{}{}",
            "<a>".repeat(MAX_XML_DEPTH),
            "</a>".repeat(MAX_XML_DEPTH)
        );
        assert_eq!(scan(fine.as_bytes(), 64).0, Ok(()));
        let long_text = format!("<a>{}</a>", " ".repeat(MAX_XML_TOKEN_BYTES + 1));
        assert_eq!(
            scan(long_text.as_bytes(), 4096).0,
            Err(Breach::Token(MAX_XML_TOKEN_BYTES as u64))
        );
        let long_tag = format!("<a x=\"{}\"/>", "y".repeat(MAX_XML_TOKEN_BYTES));
        assert_eq!(
            scan(long_tag.as_bytes(), 4096).0,
            Err(Breach::Token(MAX_XML_TOKEN_BYTES as u64))
        );
        let long_comment = format!("<a><!--{}--></a>", "-".repeat(MAX_XML_TOKEN_BYTES));
        assert_eq!(
            scan(long_comment.as_bytes(), 4096).0,
            Err(Breach::Token(MAX_XML_TOKEN_BYTES as u64))
        );
    }

    #[test]
    fn comments_end_as_quick_xml_ends_them() {
        // "<!-->" and "<!--->" do not end the comment; "<!---->" does.
        let (r, log) = scan(b"<a><!-->--><!--->--><!----></a>", 1);
        assert_eq!(r, Ok(()));
        assert_eq!(log.events, ["<a|>", "</a>"]);
        assert!(matches!(
            scan(b"<a><!-x--></a>", 1).0,
            Err(Breach::Malformed(_))
        ));
        assert!(matches!(
            scan(b"<a><![CDAT x]]></a>", 1).0,
            Err(Breach::Malformed(_))
        ));
    }

    #[test]
    fn attributes_as_calamine_reads_them() {
        let a = br#" r="A1" t = 's' x:y="1" r="B2""#;
        assert_eq!(attribute(a, b"r"), Some(&b"A1"[..]));
        assert_eq!(attribute(a, b"t"), Some(&b"s"[..]));
        assert_eq!(attribute(a, b"x:y"), Some(&b"1"[..]));
        assert_eq!(attribute(a, b"y"), None);
        assert_eq!(attribute(b" bad r=\"1\"", b"r"), None);
        assert_eq!(local(b"x:c"), b"c");
        assert_eq!(local(b"c"), b"c");
        assert_eq!(unescape(b"&#53;&#x30;&amp;").as_deref(), Some("50&"));
        assert_eq!(unescape(b"&nope;"), None);
    }
}
