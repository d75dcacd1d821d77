//! Escaping text for HTML and XML (pages, SVG charts, the feed, the sitemap).

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
}
