//! URL slugs (đường dẫn) from Vietnamese titles: diacritics removed,
//! `đ` → `d`, ASCII lowercase words joined by `-`, at most [`MAX_SLUG_LEN`]
//! bytes. `"Năm 2023, phát triển Đảng"` → `"nam-2023-phat-trien-dang"`.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Longest slug produced, in bytes (slugs are ASCII, so also characters).
/// Long enough for real headlines (distinct titles must keep distinct
/// URLs), short enough for every file system and for Windows paths.
pub const MAX_SLUG_LEN: usize = 160;

/// Turns a title into a slug matching `^[a-z0-9]+(-[a-z0-9]+)*$`, or `""`
/// when nothing usable is left (empty or only punctuation, emoji, marks);
/// callers report that case.
///
/// Long results are cut at the last word boundary at or before
/// [`MAX_SLUG_LEN`] bytes, or hard-cut at that length when the first word
/// alone is longer.
pub fn slugify(s: &str) -> String {
    let mut out = String::new();
    let mut pending_dash = false;
    for c in s.nfd() {
        // Marks are dropped without separating: "Đa\u{309}ng" is one word.
        if is_combining_mark(c) {
            continue;
        }
        let mapped = match c {
            'đ' | 'Đ' => 'd',
            c if c.is_ascii_alphanumeric() => c.to_ascii_lowercase(),
            _ => {
                pending_dash = true;
                continue;
            }
        };
        if pending_dash && !out.is_empty() {
            out.push('-');
        }
        pending_dash = false;
        out.push(mapped);
        // One byte past the limit is enough to know whether the cut at the
        // limit falls on a word boundary.
        if out.len() > MAX_SLUG_LEN {
            break;
        }
    }
    if out.len() > MAX_SLUG_LEN {
        let cut = out
            .get(..=MAX_SLUG_LEN)
            .and_then(|head| head.rfind('-'))
            .unwrap_or(MAX_SLUG_LEN);
        // `out` is ASCII, so every index is a char boundary.
        out.truncate(cut);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn is_valid_slug(s: &str) -> bool {
        s.is_empty()
            || (s.len() <= MAX_SLUG_LEN
                && !s.starts_with('-')
                && !s.ends_with('-')
                && !s.contains("--")
                && s.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'))
    }

    #[test]
    fn examples() {
        assert_eq!(
            slugify("Năm 2023, phát triển Đảng"),
            "nam-2023-phat-trien-dang"
        );
        assert_eq!(
            slugify("Ngân Sơn chú trọng công tác phát triển đảng viên"),
            "ngan-son-chu-trong-cong-tac-phat-trien-dang-vien"
        );
        assert_eq!(slugify("Quý I/2023"), "quy-i-2023");
        assert_eq!(slugify("Đắk Lắk – ĐỒNG THÁP"), "dak-lak-dong-thap");
        assert_eq!(slugify("Ăn ẩn ơn ưu"), "an-an-on-uu");
        assert_eq!(slugify("Kế hoạch 366-KH/TU"), "ke-hoach-366-kh-tu");
    }

    #[test]
    fn decomposed_input_matches_composed() {
        assert_eq!(slugify("Đa\u{309}ng vie\u{302}\u{300}n"), "dang-vien");
    }

    #[test]
    fn hostile_characters() {
        assert_eq!(slugify(""), "");
        assert_eq!(slugify("!!! ... ---"), "");
        assert_eq!(slugify("🎉🇻🇳"), "");
        assert_eq!(slugify("Chào 🎉 mừng"), "chao-mung");
        assert_eq!(slugify("a\0b"), "a-b");
        assert_eq!(slugify("\u{7}\u{1b}[31mđỏ\u{1b}[0m"), "31mdo-0m");
        assert_eq!(slugify("\u{301}\u{323}\u{309}"), "");
        assert_eq!(slugify("  --Đảng--  "), "dang");
        assert_eq!(slugify("ａｂｃ"), "");
    }

    #[test]
    fn length_cut_at_word_boundary() {
        let title = "phát triển đảng viên ".repeat(20);
        let slug = slugify(&title);
        assert!(slug.len() <= MAX_SLUG_LEN, "{slug}");
        assert!(is_valid_slug(&slug));
        assert!(slug.ends_with("vien") || slug.ends_with("dang") || slug.ends_with("trien"));
        let (w39, w38) = ("a".repeat(79), "a".repeat(78));
        // Exactly MAX_SLUG_LEN bytes: kept whole.
        let s = format!("{w39} {w38} b");
        assert_eq!(slugify(&s), format!("{w39}-{w38}-b"));
        // MAX_SLUG_LEN bytes followed by a boundary: cut there.
        let s = format!("{w39} {w38} b cd");
        assert_eq!(slugify(&s), format!("{w39}-{w38}-b"));
        // A word straddling the limit is dropped whole.
        let s = format!("{w39} {w38} bc");
        assert_eq!(slugify(&s), format!("{w39}-{w38}"));
        // One huge word: hard cut.
        let long = "x".repeat(400);
        assert_eq!(slugify(&long), "x".repeat(MAX_SLUG_LEN));
    }

    #[test]
    fn huge_input_is_fast_and_bounded() {
        let big = "Đảng ".repeat(200_000);
        let slug = slugify(&big);
        assert!(is_valid_slug(&slug));
        assert_eq!(slug.len(), 159, "32 words of 4 letters and 31 dashes");
        let junk = "\u{301}".repeat(1 << 20);
        assert_eq!(slugify(&junk), "");
    }
}
