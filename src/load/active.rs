//! Finding what could run as script in a file published as it is: an SVG,
//! HTML or XML file in `media/` or `static/`, opened directly, runs its
//! script on the portal's own site, with the rights of every page there.
//!
//! No full parse: a case-insensitive scan of at most [`MAX_SCAN`] bytes
//! for the things browsers run — script and plug-in elements, event
//! attributes, `javascript:` URLs (also written with character
//! references), XSLT. It looks for the first one only, to say where it is;
//! a word in a comment counts too, since telling comments apart is where
//! parsers and browsers disagree.

use std::io::Read;
use std::path::Path;

/// Bytes read (after inflating a `.svgz`); a longer file is reported as
/// not checked to its end.
pub const MAX_SCAN: u64 = 16 * 1024 * 1024;

/// Extensions a browser or server treats as a document that can run
/// script (compared without case).
const ACTIVE_EXTENSIONS: [&str; 10] = [
    "svg", "svgz", "html", "htm", "xhtml", "xht", "shtml", "xml", "xsl", "xslt",
];

/// Elements that run script or embed another document; compared on the
/// local name, so `<svg:script>` counts.
const ACTIVE_ELEMENTS: [&str; 9] = [
    "script",
    "foreignobject",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "handler",
];

/// What was found, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Active {
    /// In Vietnamese: `thẻ <script>`, `thuộc tính sự kiện 'onload'`...
    pub what: String,
    /// 1-based.
    pub line: u32,
    pub col: u32,
}

/// What scanning a file gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scan {
    Inert,
    Active(Active),
    /// Nothing in the first [`MAX_SCAN`] bytes, but there are more.
    TooLong,
}

/// Whether a file of this name may be a document that runs script.
pub fn may_be_active(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    name.rsplit_once('.').is_some_and(|(_, ext)| {
        ACTIVE_EXTENSIONS
            .iter()
            .any(|a| a.eq_ignore_ascii_case(ext))
    })
}

/// Reads at most [`MAX_SCAN`] bytes of `path` (inflated when the name ends
/// in `.svgz`) and scans them. A `.svgz` that does not inflate is inert:
/// no browser shows it either.
pub fn scan_file(path: &Path, rel: &str) -> std::io::Result<Scan> {
    scan_file_within(path, rel, MAX_SCAN)
}

/// [`scan_file`] reading at most `limit` bytes.
fn scan_file_within(path: &Path, rel: &str, limit: u64) -> std::io::Result<Scan> {
    let file = std::fs::File::open(path)?;
    let compressed = rel
        .rsplit_once('.')
        .is_some_and(|(_, e)| e.eq_ignore_ascii_case("svgz"));
    let mut bytes = Vec::new();
    let reader: Box<dyn Read> = if compressed {
        Box::new(flate2::read::MultiGzDecoder::new(file))
    } else {
        Box::new(file)
    };
    let mut limited = reader.take(limit.saturating_add(1));
    if let Err(e) = limited.read_to_end(&mut bytes) {
        if compressed {
            return Ok(scan_bytes(&bytes));
        }
        return Err(e);
    }
    let longer = bytes.len() as u64 > limit;
    bytes.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    match scan_bytes(&bytes) {
        Scan::Inert if longer => Ok(Scan::TooLong),
        found => Ok(found),
    }
}

/// Scans a document's bytes: UTF-16 when it starts with its byte-order
/// mark, otherwise any ASCII-compatible encoding.
pub fn scan_bytes(bytes: &[u8]) -> Scan {
    let utf16 = match bytes {
        [0xFF, 0xFE, ..] => Some(encoding_rs::UTF_16LE),
        [0xFE, 0xFF, ..] => Some(encoding_rs::UTF_16BE),
        _ => None,
    };
    let decoded;
    let text: &[u8] = match utf16 {
        Some(encoding) => {
            decoded = encoding.decode_with_bom_removal(bytes).0.into_owned();
            decoded.as_bytes()
        }
        None => bytes,
    };
    match find_active(text) {
        Some((offset, what)) => {
            let (line, col) = position(text, offset);
            Scan::Active(Active { what, line, col })
        }
        None => Scan::Inert,
    }
}

/// The first active thing in `text`: its byte offset and description.
fn find_active(text: &[u8]) -> Option<(usize, String)> {
    let mut i = 0;
    while i < text.len() {
        let b = text[i];
        if b == b'<' {
            if let Some(found) = active_tag(text, i) {
                return Some((i, found));
            }
        } else if matches!(b, b'o' | b'O')
            && (i == 0
                || matches!(
                    text[i - 1],
                    b' ' | b'\t' | b'\n' | b'\r' | b'\x0C' | b'/' | b'"' | b'\''
                ))
        {
            if let Some(name) = event_attribute(text, i) {
                return Some((i, format!("thuộc tính sự kiện '{name}'")));
            }
        } else if matches!(b, b'j' | b'J' | b'v' | b'V' | b'&') {
            for scheme in ["javascript:", "vbscript:"] {
                if matches_obfuscated(text, i, scheme) {
                    return Some((i, format!("địa chỉ {scheme}")));
                }
            }
        }
        i += 1;
    }
    None
}

/// `<script`, `<svg:foreignObject`, `<?xml-stylesheet`... at `at`.
fn active_tag(text: &[u8], at: usize) -> Option<String> {
    let rest = &text[at + 1..];
    if starts_with_ignore_case(rest, b"?xml-stylesheet") {
        return Some("chỉ thị <?xml-stylesheet?> (XSLT chạy được mã)".to_owned());
    }
    let len = rest
        .iter()
        .take(64)
        .take_while(|&&c| c.is_ascii_alphanumeric() || matches!(c, b':' | b'-' | b'_' | b'.'))
        .count();
    let name = std::str::from_utf8(&rest[..len]).ok()?;
    let local = name.rsplit(':').next().unwrap_or(name).to_ascii_lowercase();
    ACTIVE_ELEMENTS
        .contains(&local.as_str())
        .then(|| format!("thẻ <{}>", name.to_ascii_lowercase()))
}

/// `onload =` at `at`: the attribute's name.
fn event_attribute(text: &[u8], at: usize) -> Option<String> {
    let rest = &text[at..];
    let len = rest
        .iter()
        .take(40)
        .take_while(|c| c.is_ascii_alphabetic())
        .count();
    // The shortest event names have five letters (`oncut`, `onend`).
    if len < 5 || len == 40 || !rest[..2].eq_ignore_ascii_case(b"on") {
        return None;
    }
    let after = rest[len..].iter().find(|c| !c.is_ascii_whitespace())?;
    (*after == b'=').then(|| String::from_utf8_lossy(&rest[..len]).to_ascii_lowercase())
}

/// Whether `word` (lowercase ASCII) starts at `at`, each letter written
/// as itself in any case or as a character reference (`&#x73;`, `&#115;`),
/// with tabs and line breaks, which browsers drop from URLs, between them.
fn matches_obfuscated(text: &[u8], at: usize, word: &str) -> bool {
    let mut i = at;
    for (k, want) in word.bytes().enumerate() {
        if k > 0 {
            i = skip_dropped(text, i);
        }
        match text.get(i) {
            Some(&c) if c.eq_ignore_ascii_case(&want) => i += 1,
            Some(b'&') => match reference(text, i) {
                Some((c, end)) if c.eq_ignore_ascii_case(&want) => i = end,
                _ => return false,
            },
            _ => return false,
        }
    }
    true
}

/// Past the tabs and line breaks at `i`, written or as references.
fn skip_dropped(text: &[u8], mut i: usize) -> usize {
    loop {
        match text.get(i) {
            Some(b'\t' | b'\n' | b'\r') => i += 1,
            Some(b'&') => match reference(text, i) {
                Some((b'\t' | b'\n' | b'\r', end)) => i = end,
                _ => return i,
            },
            _ => return i,
        }
    }
}

/// The ASCII character a reference at `at` stands for (`&#x6A;`, `&#106;`,
/// `&Tab;`, `&NewLine;`, `&colon;`) and where it ends. The `;` may be
/// missing after a number, as HTML allows.
fn reference(text: &[u8], at: usize) -> Option<(u8, usize)> {
    let rest = text.get(at + 1..)?;
    for (name, c) in [
        (&b"Tab;"[..], b'\t'),
        (b"NewLine;", b'\n'),
        (b"colon;", b':'),
    ] {
        if rest.starts_with(name) {
            return Some((c, at + 1 + name.len()));
        }
    }
    let rest = rest.strip_prefix(b"#")?;
    let (hex, digits) = match rest.first() {
        Some(b'x' | b'X') => (true, &rest[1..]),
        _ => (false, rest),
    };
    let len = digits
        .iter()
        .take_while(|c| {
            if hex {
                c.is_ascii_hexdigit()
            } else {
                c.is_ascii_digit()
            }
        })
        .count();
    if len == 0 {
        return None;
    }
    // Leading zeros are allowed in any number; a value past ASCII is
    // no letter of a scheme.
    let mut value: u32 = 0;
    for &d in &digits[..len] {
        let digit = (d as char).to_digit(if hex { 16 } else { 10 })?;
        value = value
            .saturating_mul(if hex { 16 } else { 10 })
            .saturating_add(digit);
    }
    let mut end = at + 1 + 1 + usize::from(hex) + len;
    if text.get(end) == Some(&b';') {
        end += 1;
    }
    u8::try_from(value)
        .ok()
        .filter(u8::is_ascii)
        .map(|c| (c, end))
}

fn starts_with_ignore_case(text: &[u8], prefix: &[u8]) -> bool {
    text.len() >= prefix.len() && text[..prefix.len()].eq_ignore_ascii_case(prefix)
}

/// Line and column (in characters, 1-based) of a byte offset.
fn position(text: &[u8], offset: usize) -> (u32, u32) {
    let before = &text[..offset.min(text.len())];
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let col = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    (
        u32::try_from(line).unwrap_or(u32::MAX),
        u32::try_from(col).unwrap_or(u32::MAX),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Option<(String, u32, u32)> {
        match scan_bytes(text.as_bytes()) {
            Scan::Active(a) => Some((a.what, a.line, a.col)),
            _ => None,
        }
    }

    #[test]
    fn extensions_that_can_run_script() {
        for rel in [
            "media/a.svg",
            "media/A.SVG",
            "x.svgz",
            "a/b.html",
            "c.HTM",
            "d.xhtml",
            "e.xml",
        ] {
            assert!(may_be_active(rel), "{rel}");
        }
        for rel in [
            "media/a.png",
            "a.pdf",
            "svg",
            "media/svg/a.jpg",
            "a.js",
            "a.css",
        ] {
            assert!(!may_be_active(rel), "{rel}");
        }
    }

    #[test]
    fn plain_drawings_are_inert() {
        let svg = "<?xml version=\"1.0\"?>\n<!-- Generator: Adobe Illustrator -->\n<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\">\n  <style>.a{fill:#c00}</style>\n  <a href=\"https://example.vn/\"><path class=\"a\" d=\"M0 0h10v10z\"/></a>\n  <text x=\"1\" y=\"5\">Hội nghị, one = 1</text>\n</svg>\n";
        assert_eq!(scan_bytes(svg.as_bytes()), Scan::Inert);
    }

    #[test]
    fn script_elements_events_and_urls_are_found_with_their_place() {
        assert_eq!(
            found("<svg>\n  <script>alert(1)</script></svg>"),
            Some(("thẻ <script>".into(), 2, 3))
        );
        assert_eq!(
            found("<svg>\n<g>\n <svg:SCRIPT xlink:href=\"x.js\"/>"),
            Some(("thẻ <svg:script>".into(), 3, 2))
        );
        assert_eq!(
            found("<svg onload=\"alert(1)\">"),
            Some(("thuộc tính sự kiện 'onload'".into(), 1, 6))
        );
        assert_eq!(
            found("<svg><rect\nONMOUSEOVER = 'x()'/>"),
            Some(("thuộc tính sự kiện 'onmouseover'".into(), 2, 1))
        );
        assert_eq!(
            found("<a href=\"JaVaScRiPt:alert(1)\">"),
            Some(("địa chỉ javascript:".into(), 1, 10))
        );
        for obfuscated in [
            "<a href=\"&#106;avascript:x\">",
            "<a href=\"&#x6A;&#x61;vascript&#x3A;x\">",
            "<a href=\"java&#9;script:x\">",
            "<a href=\"java\nscript:x\">",
            "<a href=\"java&Tab;script&colon;x\">",
            "<a href=\"&#0000106avascript:x\">",
        ] {
            assert_eq!(
                found(obfuscated).map(|f| f.0),
                Some("địa chỉ javascript:".to_owned()),
                "{obfuscated}"
            );
        }
        for (text, what) in [
            ("<svg><foreignObject>", "thẻ <foreignobject>"),
            ("<html><iframe src=x>", "thẻ <iframe>"),
            ("<object data=x>", "thẻ <object>"),
            ("<embed src=x>", "thẻ <embed>"),
            (
                "<svg><handler type=\"application/ecmascript\">",
                "thẻ <handler>",
            ),
            (
                "<?xml-stylesheet type=\"text/xsl\" href=\"a.xsl\"?>",
                "chỉ thị <?xml-stylesheet?> (XSLT chạy được mã)",
            ),
        ] {
            assert_eq!(found(text).map(|f| f.0), Some(what.to_owned()), "{text}");
        }
    }

    #[test]
    fn look_alikes_are_not_reported() {
        for text in [
            "<svg><scripture/></svg>",
            "<svg><text>javascript is a language</text></svg>",
            "<svg data-online=\"1\" one=\"2\"><text>on = off</text></svg>",
            "<svg><a href=\"&#106;ava\">x</a>",
            "<svg><a href=\"&#1130;avascript:\">",
        ] {
            assert_eq!(scan_bytes(text.as_bytes()), Scan::Inert, "{text}");
        }
    }

    #[test]
    fn utf16_documents_are_decoded_first() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "<svg>\n<script>x</script>".encode_utf16() {
            bytes.extend(u.to_le_bytes());
        }
        assert!(matches!(scan_bytes(&bytes), Scan::Active(a) if a.line == 2 && a.col == 1));
    }

    #[test]
    fn compressed_svg_is_inflated_within_the_bound() {
        use std::io::Write;
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("a.svgz");
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        let _ = gz.write_all(b"<svg onload=\"alert(1)\"/>");
        let bytes = gz.finish().unwrap_or_default();
        std::fs::write(&path, bytes).unwrap_or_else(|e| panic!("{e}"));
        assert!(matches!(
            scan_file(&path, "media/a.svgz"),
            Ok(Scan::Active(_))
        ));
        // A bomb, against a bound of 1 MB: 2 MB of spaces from a few
        // kilobytes, then a script.
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        let _ = gz.write_all(&vec![b' '; 2 << 20]);
        let _ = gz.write_all(b"<script>");
        let bytes = gz.finish().unwrap_or_default();
        assert!(bytes.len() < 10_000, "{}", bytes.len());
        std::fs::write(&path, bytes).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            scan_file_within(&path, "media/a.svgz", 1 << 20).ok(),
            Some(Scan::TooLong)
        );
        assert!(matches!(
            scan_file_within(&path, "media/a.svgz", 3 << 20),
            Ok(Scan::Active(a)) if a.line == 1 && a.col == (2 << 20) + 1
        ));
        // Not gzip at all: no browser shows it.
        std::fs::write(&path, b"<svg onload=x>").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(scan_file(&path, "media/a.svgz").ok(), Some(Scan::Inert));
    }
}
