//! URL slugs (đường dẫn) from Vietnamese titles: diacritics removed,
//! `đ` → `d`, ASCII lowercase words joined by `-`, at most [`MAX_SLUG_LEN`]
//! bytes. `"Năm 2023, phát triển Đảng"` → `"nam-2023-phat-trien-dang"`.
//!
//! Dropping diacritics makes different words one slug (`Sơn Hà`, `Sơn Hạ`);
//! [`slugify_marked`] keeps them apart by writing each word's marks as the
//! VNI input method types them: `son7-ha2`, `son7-ha5`.

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
    cut(&mut out);
    out
}

/// Cuts an ASCII slug longer than [`MAX_SLUG_LEN`] at the last word
/// boundary at or before the limit, or hard at the limit when the first
/// word alone is longer.
fn cut(out: &mut String) {
    if out.len() > MAX_SLUG_LEN {
        let at = out
            .get(..=MAX_SLUG_LEN)
            .and_then(|head| head.rfind('-'))
            .unwrap_or(MAX_SLUG_LEN);
        // `out` is ASCII, so every index is a char boundary.
        out.truncate(at);
    }
}

/// The slug of [`slugify`] with the marks of every word written after it in
/// VNI digits, so that words differing only in their marks keep different
/// slugs: `"Sơn Hạ"` → `"son7-ha5"`, `"Cẩm Giàng"` → `"cam63-giang2"`,
/// `"Đồng"` → `"dong962"`.
///
/// A word's digits are its letters' marks in order — `6` circumflex
/// (â ê ô), `7` horn (ơ ư; one `7` for the pair `ươ`, as typed), `8` breve
/// (ă), `9` đ — then its tone: `1` sắc, `2` huyền, `3` hỏi, `4` ngã, `5`
/// nặng. Where the tone sits does not matter (`hoà` and `hòa` are both
/// `hoa2`). When no word has a mark, each word with a letter gets `0` (VNI's
/// "no mark"), so the result never equals the plain slug of a text with a
/// letter. Words of digits only carry nothing. Same limit and cut as
/// [`slugify`].
pub fn slugify_marked(s: &str) -> String {
    struct Word {
        text: String,
        marks: String,
        tones: String,
        has_letter: bool,
    }
    let mut words: Vec<Word> = Vec::new();
    let mut open = false;
    let mut length = 0;
    for c in s.nfd() {
        if is_combining_mark(c) {
            // A mark belongs to the letter before it; one after a break or
            // after a digit marks nothing a slug shows.
            if let Some(w) = words.last_mut().filter(|w| open && w.has_letter) {
                if let Some(tone) = tone_digit(c) {
                    w.tones.push(tone);
                } else if let Some(mark) = letter_mark_digit(c)
                    && !w.marks.ends_with(mark)
                {
                    w.marks.push(mark);
                }
            }
            continue;
        }
        let (letter, mark) = match c {
            'đ' | 'Đ' => ('d', Some('9')),
            c if c.is_ascii_alphanumeric() => (c.to_ascii_lowercase(), None),
            _ => {
                open = false;
                continue;
            }
        };
        if !open {
            // Enough words for the limit, even with their digits: stop.
            if length > MAX_SLUG_LEN {
                break;
            }
            words.push(Word {
                text: String::new(),
                marks: String::new(),
                tones: String::new(),
                has_letter: false,
            });
            open = true;
        }
        if let Some(w) = words.last_mut() {
            w.text.push(letter);
            w.has_letter |= letter.is_ascii_alphabetic();
            w.marks.extend(mark);
            length += 1;
        }
    }
    let unmarked = words
        .iter()
        .all(|w| w.marks.is_empty() && w.tones.is_empty());
    let mut out = String::new();
    for w in &words {
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(&w.text);
        if w.has_letter {
            out.push_str(&w.marks);
            out.push_str(&w.tones);
            if unmarked {
                out.push('0');
            }
        }
        if out.len() > MAX_SLUG_LEN {
            break;
        }
    }
    cut(&mut out);
    out
}

/// VNI's digit for a tone mark (NFD).
fn tone_digit(mark: char) -> Option<char> {
    match mark {
        '\u{301}' => Some('1'), // sắc
        '\u{300}' => Some('2'), // huyền
        '\u{309}' => Some('3'), // hỏi
        '\u{303}' => Some('4'), // ngã
        '\u{323}' => Some('5'), // nặng
        _ => None,
    }
}

/// VNI's digit for the mark that makes a letter of its own (NFD); `đ` is
/// a character of its own and handled by the caller.
fn letter_mark_digit(mark: char) -> Option<char> {
    match mark {
        '\u{302}' => Some('6'), // â ê ô
        '\u{31b}' => Some('7'), // ơ ư
        '\u{306}' => Some('8'), // ă
        _ => None,
    }
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
    fn marked_slugs_write_each_words_marks() {
        assert_eq!(slugify_marked("Sơn Hà"), "son7-ha2");
        assert_eq!(slugify_marked("Sơn Hạ"), "son7-ha5");
        assert_eq!(slugify_marked("Cẩm Giàng"), "cam63-giang2");
        assert_eq!(slugify_marked("Cẩm Giang"), "cam63-giang");
        assert_eq!(slugify_marked("Văn Lang"), "van8-lang");
        assert_eq!(slugify_marked("Vân Lang"), "van6-lang");
        assert_eq!(slugify_marked("Đồng Tâm"), "dong962-tam6");
        assert_eq!(slugify_marked("Đông Tâm"), "dong96-tam6");
        // One 7 for the pair ươ, as VNI types it; đ first, the tone last.
        assert_eq!(slugify_marked("đường"), "duong972");
        assert_eq!(slugify_marked("hưu"), "huu7");
        // Circumflex and tone on one letter, whatever order NFD gives them.
        assert_eq!(slugify_marked("Nghệ"), "nghe65");
        assert_eq!(slugify_marked("nghe\u{302}\u{323}"), "nghe65");
        // Where the tone sits, and the Unicode form, change nothing.
        assert_eq!(slugify_marked("hoà"), slugify_marked("hòa"));
        assert_eq!(slugify_marked("thuỷ"), slugify_marked("thủy"));
        assert_eq!(slugify_marked("Đa\u{309}ng"), slugify_marked("Đảng"));
        assert_eq!(slugify_marked("Uỷ ban"), "uy3-ban");
        // Numbers carry nothing; with no mark anywhere, each word gets 0.
        assert_eq!(slugify_marked("Khu 1975"), "khu0-1975");
        assert_eq!(slugify_marked("Son Ha"), "son0-ha0");
        assert_eq!(slugify_marked("Xã 3A"), "xa4-3a");
        assert_eq!(slugify_marked("2023"), "2023");
        // Punctuation and symbols are word breaks, as in the plain slug.
        assert_eq!(slugify_marked("A-B"), slugify_marked("a b"));
        assert_eq!(slugify_marked("Bắc-Sơn!"), "bac81-son7");
        // A mark with no letter before it marks nothing.
        assert_eq!(slugify_marked("\u{301}a"), "a0");
        assert_eq!(slugify_marked("a \u{301}b"), "a0-b0");
        assert_eq!(slugify_marked("2\u{301} b"), "2-b0");
        assert_eq!(slugify_marked(""), "");
        assert_eq!(slugify_marked("🎉 !!!"), "");
    }

    #[test]
    fn marked_slugs_are_slugs_and_keep_the_plain_words() {
        for s in [
            "Sơn Hạ",
            "Phát triển Đảng viên",
            "Tỉnh uỷ Cao Bằng",
            "ĐỒNG THÁP 2025",
            "Ăn ẩn ơn ưu",
            "x\u{301}\u{301}y",
        ] {
            let marked = slugify_marked(s);
            assert!(is_valid_slug(&marked), "{s:?} → {marked:?}");
            assert_ne!(marked, slugify(s), "{s:?}");
            // Word for word the plain slug, with digits after some words.
            let plain = slugify(s);
            let (words, plain_words): (Vec<&str>, Vec<&str>) =
                (marked.split('-').collect(), plain.split('-').collect());
            assert_eq!(words.len(), plain_words.len(), "{marked} / {plain}");
            for (w, p) in words.iter().zip(&plain_words) {
                let digits = w.strip_prefix(p).unwrap_or_else(|| panic!("{w} / {p}"));
                assert!(digits.bytes().all(|b| b.is_ascii_digit()), "{w} / {p}");
            }
        }
        // A text written like a marked slug has no marks: its words get 0.
        assert_eq!(slugify_marked("son7-ha5"), "son70-ha50");
    }

    #[test]
    fn long_marked_slugs_are_cut_at_a_word() {
        let title = "phát triển đảng viên ".repeat(20);
        let marked = slugify_marked(&title);
        assert!(is_valid_slug(&marked), "{marked}");
        assert!(marked.len() <= MAX_SLUG_LEN && marked.len() > MAX_SLUG_LEN - 12);
        assert!(
            marked.starts_with("phat1-trien63-dang93-vien6-"),
            "{marked}"
        );
        let big = "Đảng ".repeat(200_000);
        assert_eq!(
            slugify_marked(&big).len(),
            160,
            "23 words of 6 and 22 dashes"
        );
        assert_eq!(slugify_marked(&"x".repeat(400)), "x".repeat(MAX_SLUG_LEN));
        assert_eq!(slugify_marked(&"\u{301}".repeat(1 << 20)), "");
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
