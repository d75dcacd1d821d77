//! Escaping text for HTML and XML (pages, SVG charts, the feed, the sitemap),
//! and reading escaped text back.

/// Text safe in HTML/XML content and in quoted attributes. Control
/// characters (invalid in XML 1.0) become spaces.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' => out.push(c),
            c if c.is_control() => out.push(' '),
            // Noncharacters make XML ill-formed and HTML parsers complain;
            // loading refuses them, and this keeps any that slip through inert.
            c if (0xFDD0..=0xFDEF).contains(&(c as u32)) || c as u32 & 0xFFFE == 0xFFFE => {
                out.push('\u{FFFD}')
            }
            c => out.push(c),
        }
    }
    out
}

/// Escaped text (or an attribute value) as a browser reads it: character
/// references (`&#x61;`, `&#97;`) and the named ones HTML writers use
/// (`&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;`, `&nbsp;`) decoded, each
/// once; any other `&` is kept as it is. The inverse of [`escape`].
pub fn unescape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| {
            let name = &rest[1..e];
            let c = if let Some(hex) = name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
                u32::from_str_radix(hex, 16).ok().and_then(char::from_u32)
            } else if let Some(dec) = name.strip_prefix('#') {
                dec.parse::<u32>().ok().and_then(char::from_u32)
            } else {
                match name {
                    "amp" => Some('&'),
                    "lt" => Some('<'),
                    "gt" => Some('>'),
                    "quot" => Some('"'),
                    "apos" => Some('\''),
                    "nbsp" => Some('\u{a0}'),
                    _ => None,
                }
            };
            c.map(|c| (c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_and_quotes_are_escaped() {
        assert_eq!(
            escape("<script>\"a\" & 'b'"),
            "&lt;script&gt;&quot;a&quot; &amp; &#39;b&#39;"
        );
        assert_eq!(escape("a\u{1}b\u{0}"), "a b ");
        assert_eq!(escape("Đảng\nviên"), "Đảng\nviên");
        assert_eq!(escape("a\u{fffe}b\u{fdd0}"), "a\u{fffd}b\u{fffd}");
    }

    #[test]
    fn escaped_text_reads_back_once() {
        let text = "<script>\"a\" & 'b'\u{a0}";
        assert_eq!(unescape(&escape(text)), text);
        assert_eq!(unescape("jav&#x61;script:&#97;"), "javascript:a");
        assert_eq!(unescape("&amp;lt; &nbsp; &x; a&b"), "&lt; \u{a0} &x; a&b");
    }
}
