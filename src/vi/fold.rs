//! Unicode normalisation and matching keys for Vietnamese text.
//!
//! Vietnamese reaches us in several encodings of the same word: precomposed
//! (NFC) or decomposed (NFD, common from macOS and some input methods), and
//! with the tone mark of `oa`, `oe`, `uy` placed in the old style (`hòa`,
//! `thủy`) or the new style (`hoà`, `thuỷ`). These helpers make such
//! variants compare equal where they should:
//!
//! - [`nfc`] — canonical composition, the form everything is stored in;
//! - [`fold`] — the loosest key (no diacritics, lowercase) for search and
//!   "did you mean" hints;
//! - [`normalize_tone`] — one tone placement, old style, as canonical text;
//! - [`tag_key`] — the identity of a tag (keeps diacritics, so `hòa` and
//!   `hóa` stay different tags).

use std::borrow::Cow;

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// Canonical composition (NFC). Borrows when the input is already NFC.
pub fn nfc(s: &str) -> Cow<'_, str> {
    if s.chars().all(is_composed_starter) {
        return Cow::Borrowed(s);
    }
    match is_nfc_quick(s.chars()) {
        IsNormalized::Yes => Cow::Borrowed(s),
        IsNormalized::No | IsNormalized::Maybe => {
            let composed: String = s.nfc().collect();
            if composed == s {
                Cow::Borrowed(s)
            } else {
                Cow::Owned(composed)
            }
        }
    }
}

/// Characters that never change under NFC, whatever surrounds them: the
/// blocks almost all Vietnamese text is made of (ASCII, Latin-1 and Latin
/// Extended letters, the precomposed Vietnamese letters of U+1E00–U+1EFF,
/// dashes, quotes and other punctuation). A text of only these is NFC
/// without the full check, which looks each character up in several tables.
/// All are starters (combining class 0) with NFC_QC=Yes, so a run of them
/// passes the quick check; the test `composed_starters_are_stable_under_nfc`
/// proves it for every one.
fn is_composed_starter(c: char) -> bool {
    matches!(c, '\0'..='\u{2FF}' | '\u{1E00}'..='\u{1EFF}' | '\u{2010}'..='\u{2027}' | '\u{2030}'..='\u{205E}')
}

/// The loosest matching key: every diacritic removed (tones and the vowel
/// marks of ă â ê ô ơ ư), `đ` → `d`, lowercase, whitespace runs collapsed to
/// one space and trimmed. `fold("Đảng viên") == fold("dang vien")`.
///
/// Idempotent: `fold(fold(s)) == fold(s)`.
pub fn fold(s: &str) -> String {
    // Lowercase before decomposing: a few lowercase mappings introduce
    // combining marks (İ → i̇), which must be stripped too.
    let letters = s
        .chars()
        .flat_map(char::to_lowercase)
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .map(|c| if c == 'đ' { 'd' } else { c });
    collapse_whitespace(letters)
}

/// The words of a text for the search index, each as a key and a variant.
///
/// The key is the word folded ([`fold`]) and cut at every character that
/// is not a letter, a digit or a combining mark, so a Vietnamese text gives
/// its syllables (`Kế hoạch 366-KH/TU` → `ke`, `hoach`, `366`, `kh`, `tu`).
/// Keys longer than `max_chars` (a link, a code) are skipped.
///
/// The variant tells apart the words of one key by their diacritics,
/// wherever the tone mark was placed: the word lowercase without its tone
/// (`hoa`, `đang`, `triên`; empty when that is the key itself), `|`, and
/// the digits of its tone marks in ascending order — 1 sắc, 2 huyền, 3 hỏi,
/// 4 ngã, 5 nặng. `Hoà` and `hòa` are `("hoa", "|2")`, `hóa` is
/// `("hoa", "|1")`, `hoạch` is `("hoach", "|5")`, `Đảng` is
/// `("dang", "đang|3")`. A search typed without diacritics matches every
/// variant of its key; with diacritics, only its own.
///
/// The search page cuts a query the same way (`tim-kiem.js`, `words`). The
/// key equals splitting [`fold`] of the text at the same characters: both
/// work character by character (lowercase, decompose, drop the marks); here
/// each character's pieces come from a table for the blocks below U+2000.
pub fn for_each_word(text: &str, max_chars: usize, mut f: impl FnMut(&str, &str)) {
    let mut word = Word::default();
    let classes: &[Class] = &CLASSES;
    for c in text.chars() {
        let computed;
        let class = match classes.get(c as usize) {
            Some(class) => class,
            None => {
                computed = class_of(c);
                &computed
            }
        };
        match class {
            Class::Separator => word.end(max_chars, &mut f),
            Class::Simple {
                key,
                base,
                tone,
                compose,
            } => {
                word.key.push(*key);
                word.base.push(*base);
                if let Some(tone) = tone {
                    word.tones.push(*tone);
                }
                word.letters += 1;
                word.compose |= compose;
            }
            Class::Other => {
                for (d, piece) in pieces_of(c) {
                    if !word.add(d, piece) {
                        word.end(max_chars, &mut f);
                    }
                }
            }
        }
    }
    word.end(max_chars, &mut f);
}

/// A word being read by [`for_each_word`].
#[derive(Default)]
struct Word {
    key: String,
    /// Lowercase, without the tone marks; composed unless `compose`.
    base: String,
    tones: Vec<char>,
    letters: usize,
    /// `base` may need composing (it holds a lone mark, or a character
    /// that composes with the one before).
    compose: bool,
    variant: String,
}

impl Word {
    /// Adds one piece of a character; false for a piece that is not in a
    /// word.
    fn add(&mut self, d: char, piece: Piece) -> bool {
        match piece {
            Piece::Letter => {
                self.key.push(if d == 'đ' { 'd' } else { d });
                self.base.push(d);
                self.letters += 1;
                self.compose = true;
            }
            Piece::Tone(digit) => self.tones.push(digit),
            Piece::Mark => {
                self.base.push(d);
                self.compose = true;
            }
            Piece::Other => return false,
        }
        true
    }

    fn end(&mut self, max_chars: usize, f: &mut impl FnMut(&str, &str)) {
        let kept = !self.key.is_empty() && self.letters <= max_chars;
        if kept && self.tones.is_empty() && !self.compose && self.base == self.key {
            // No diacritics: the most common case.
            f(&self.key, "|");
        } else if kept {
            self.variant.clear();
            let base = if self.compose {
                nfc(&self.base)
            } else {
                Cow::Borrowed(self.base.as_str())
            };
            if base != self.key {
                self.variant.push_str(&base);
            }
            self.variant.push('|');
            self.tones.sort_unstable();
            self.variant.extend(self.tones.iter());
            f(&self.key, &self.variant);
        }
        self.key.clear();
        self.base.clear();
        self.tones.clear();
        self.letters = 0;
        self.compose = false;
    }
}

/// What a character is to [`for_each_word`].
enum Class {
    /// Not a letter, a digit or a combining mark: ends a word.
    Separator,
    /// Adds a letter to the word: `ồ` adds `o` to the key, `ô` to the
    /// base, tone 2.
    Simple {
        key: char,
        /// Composed.
        base: char,
        tone: Option<char>,
        /// `base` may compose with what comes before.
        compose: bool,
    },
    /// Anything else that is in a word (a lone mark, a letter that
    /// lowercases to two, one with two tones): read piece by piece.
    Other,
}

fn class_of(c: char) -> Class {
    if !(c.is_alphanumeric() || is_combining_mark(c)) {
        return Class::Separator;
    }
    let mut word = Word::default();
    for (d, piece) in pieces_of(c) {
        if !word.add(d, piece) {
            return Class::Other;
        }
    }
    let base = nfc(&word.base);
    let (mut keys, mut bases, mut tones) = (word.key.chars(), base.chars(), word.tones.iter());
    match (
        (keys.next(), keys.next()),
        (bases.next(), bases.next()),
        (tones.next(), tones.next()),
    ) {
        ((Some(key), None), (Some(base), None), (tone, None)) if !is_combining_mark(base) => {
            Class::Simple {
                key,
                base,
                tone: tone.copied(),
                compose: is_nfc_quick(std::iter::once(base)) != IsNormalized::Yes,
            }
        }
        _ => Class::Other,
    }
}

/// What a character becomes in a search word, after lowercasing and
/// decomposing.
#[derive(Clone, Copy)]
enum Piece {
    /// A letter or digit: in the key and the variant.
    Letter,
    /// A Vietnamese tone mark, with its digit.
    Tone(char),
    /// Another combining mark (ˆ ˘ ̛ and the marks of other languages):
    /// in the variant only.
    Mark,
    /// Anything else: ends the word.
    Other,
}

fn pieces_of(c: char) -> Vec<(char, Piece)> {
    c.to_lowercase()
        .nfd()
        .flat_map(char::to_lowercase)
        .map(|d| {
            let piece = match d {
                '\u{301}' => Piece::Tone('1'),
                '\u{300}' => Piece::Tone('2'),
                '\u{309}' => Piece::Tone('3'),
                '\u{303}' => Piece::Tone('4'),
                '\u{323}' => Piece::Tone('5'),
                d if is_combining_mark(d) => Piece::Mark,
                d if d.is_alphanumeric() => Piece::Letter,
                _ => Piece::Other,
            };
            (d, piece)
        })
        .collect()
}

/// [`class_of`] each character below U+2000 (Latin, Vietnamese, Greek,
/// Cyrillic and the other alphabets of that range), computed once.
static CLASSES: std::sync::LazyLock<Vec<Class>> = std::sync::LazyLock::new(|| {
    (0..0x2000u32)
        .map(|n| char::from_u32(n).map_or(Class::Separator, class_of))
        .collect()
});

/// Rewrites the tone mark of a syllable ending in `oa`, `oe` or `uy` to the
/// old (traditional) placement on the first vowel: `hoà` → `hòa`,
/// `khoẻ` → `khỏe`, `thuỷ` → `thủy`, `Uỷ` → `Ủy`, `HOÀ` → `HÒA`. The output is
/// NFC; case, other diacritics and other letters are unchanged.
///
/// Only syllables where both placements are in real use are touched: the
/// pair must end the word, carry no vowel mark (ă, ê, ơ …) and follow a
/// Vietnamese initial consonant (or nothing). So `quý`, `quỳnh` (the `u`
/// belongs to `qu`), `giá`, `hoàng`, `thuyết`, `khoảng`, `khuỷu`, `ngoáy` are
/// left alone, as are foreign words such as `José`.
///
/// Idempotent.
pub fn normalize_tone(s: &str) -> String {
    let chars: Vec<char> = s.nfd().collect();
    let mut out: Vec<char> = Vec::with_capacity(chars.len());
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        if !is_word_char(c) {
            out.push(c);
            i += 1;
            continue;
        }
        let start = i;
        while chars.get(i).is_some_and(|&c| is_word_char(c)) {
            i += 1;
        }
        let word = chars.get(start..i).unwrap_or_default();
        match retone_word(word) {
            Some(fixed) => out.extend(fixed),
            None => out.extend_from_slice(word),
        }
    }
    out.into_iter().nfc().collect()
}

/// Identity of a tag: [`normalize_tone`], lowercase, whitespace collapsed
/// and trimmed. `tag_key("Phát triển Đảng viên") == tag_key("phát triển
/// đảng viên")`, `tag_key("hoà") == tag_key("hòa")`, but `hòa` ≠ `hóa`.
pub fn tag_key(s: &str) -> String {
    // Lowercase first: a few mappings (İ → i̇) leave text that is no longer
    // NFC, and normalize_tone recomposes.
    let lower = s.to_lowercase();
    collapse_whitespace(normalize_tone(&lower).chars())
}

/// Joins the characters, turning each whitespace run into one space and
/// dropping leading and trailing whitespace.
fn collapse_whitespace(chars: impl Iterator<Item = char>) -> String {
    let mut out = String::new();
    let mut pending_space = false;
    for c in chars {
        if c.is_whitespace() {
            pending_space = true;
        } else {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.push(c);
        }
    }
    out
}

fn is_word_char(c: char) -> bool {
    c.is_alphabetic() || is_combining_mark(c)
}

/// Vietnamese tone marks as they appear in NFD.
fn is_tone_mark(c: char) -> bool {
    matches!(
        c,
        '\u{300}' // huyền
            | '\u{301}' // sắc
            | '\u{303}' // ngã
            | '\u{309}' // hỏi
            | '\u{323}' // nặng
    )
}

/// Initial consonants (phụ âm đầu) that can precede `oa`, `oe`, `uy` as a
/// whole rhyme. `qu` and `gi` are deliberately absent: there the `u`/`i`
/// belongs to the initial and the tone already sits on the last vowel.
const ONSETS: &[&str] = &[
    "", "b", "c", "ch", "d", "đ", "g", "gh", "h", "k", "kh", "l", "m", "n", "ng", "ngh", "nh", "p",
    "ph", "r", "s", "t", "th", "tr", "v", "x",
];

/// One NFD letter: a base character and the combining marks after it.
struct Letter<'a> {
    base: char,
    marks: &'a [char],
}

/// The word (NFD, letters and marks only) with its tone moved to the old
/// position, or `None` when the word is not an `oa`/`oe`/`uy` syllable with
/// a new-style tone.
fn retone_word(word: &[char]) -> Option<Vec<char>> {
    let mut letters: Vec<Letter<'_>> = Vec::new();
    let mut i = 0;
    while let Some(&base) = word.get(i) {
        if is_combining_mark(base) {
            // A mark with no base letter: not a Vietnamese syllable.
            return None;
        }
        let mut j = i + 1;
        while word.get(j).is_some_and(|&c| is_combining_mark(c)) {
            j += 1;
        }
        letters.push(Letter {
            base,
            marks: word.get(i + 1..j)?,
        });
        i = j;
    }
    let n = letters.len();
    let (onset, nucleus) = letters.split_at_checked(n.checked_sub(2)?)?;
    let [first, second] = nucleus else {
        return None;
    };
    let pair = (lower(first.base), lower(second.base));
    if !matches!(pair, ('o', 'a') | ('o', 'e') | ('u', 'y')) {
        return None;
    }
    let [tone] = second.marks else {
        return None;
    };
    if !first.marks.is_empty() || !is_tone_mark(*tone) {
        return None;
    }
    if onset.iter().any(|l| !l.marks.is_empty()) {
        return None;
    }
    let onset_text: String = onset.iter().map(|l| lower(l.base)).collect();
    if !ONSETS.contains(&onset_text.as_str()) {
        return None;
    }
    let mut out: Vec<char> = onset.iter().map(|l| l.base).collect();
    out.push(first.base);
    out.push(*tone);
    out.push(second.base);
    Some(out)
}

/// Simple lowercase of one character (multi-character mappings are not
/// letters we care about here, so they map to themselves).
fn lower(c: char) -> char {
    let mut it = c.to_lowercase();
    match (it.next(), it.next()) {
        (Some(l), None) => l,
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(s: &str) -> Vec<String> {
        words(s).into_iter().map(|(k, _)| k).collect()
    }

    fn words(s: &str) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for_each_word(s, 12, |k, v| out.push((k.to_owned(), v.to_owned())));
        out
    }

    #[test]
    fn terms_are_folded_syllables() {
        assert_eq!(
            terms("Kế hoạch 366-KH/TU"),
            ["ke", "hoach", "366", "kh", "tu"]
        );
        assert_eq!(terms("Hoà bình, HÒA BÌNH"), ["hoa", "binh", "hoa", "binh"]);
        assert_eq!(terms("Ủy ban “Đảng” (đảng)"), ["uy", "ban", "dang", "dang"]);
        // Decomposed input, as macOS writes it.
        assert_eq!(terms("Đa\u{300}ng"), ["dang"]);
        // Too long to be a word: skipped, the rest kept.
        assert_eq!(
            terms("https://vanlinh.example.vn/a"),
            ["https", "vanlinh", "example", "vn", "a"]
        );
        assert_eq!(terms("abcdefghijklmn ok"), ["ok"]);
        assert!(terms(" .,;-– ").is_empty());
    }

    #[test]
    fn variants_keep_the_diacritics_wherever_the_tone_sits() {
        let v = |s: &str| words(s).into_iter().map(|(_, v)| v).collect::<Vec<_>>();
        assert_eq!(
            v("hoa Hoà hòa HOÀ hóa hoạch"),
            ["|", "|2", "|2", "|2", "|1", "|5"]
        );
        assert_eq!(v("Đảng đang dang"), ["đang|3", "đang|", "|"]);
        assert_eq!(v("triển Thuỷ thủy Ủy"), ["triên|3", "|3", "|3", "|3"]);
        // Decomposed, marks in any order: one variant.
        assert_eq!(
            v("\u{1ec7} e\u{302}\u{323} e\u{323}\u{302}"),
            ["ê|5", "ê|5", "ê|5"]
        );
        assert_eq!(
            words("Hồ Chí Minh")[0],
            ("ho".to_owned(), "hô|2".to_owned())
        );
    }

    #[test]
    fn terms_equal_fold_then_split() {
        let samples = [
            "Nghị quyết số 21-NQ/TW ngày 16/6/2022 của Bộ Chính trị",
            "ǅemal İstanbul ΣΊΣΥΦΟΣ Straße ﬁnance Ⅻ ½ ١٢٣",
            "Khuỷu tay, thuở ấy; quý Ⅲ — 36.283 đảng viên",
            "a\u{0301}\u{0323}b c\u{0308}d \u{1e9e} \u{0130}",
            "中国共产党 Đảng Cộng sản Việt Nam ພາສາລາວ",
        ];
        for s in samples {
            let expected: Vec<String> = fold(s)
                .split(|c: char| !c.is_alphanumeric())
                .filter(|t| !t.is_empty() && t.chars().count() <= 12)
                .map(str::to_owned)
                .collect();
            assert_eq!(terms(s), expected, "{s}");
        }
    }

    #[test]
    fn composed_starters_are_stable_under_nfc() {
        use unicode_normalization::char::canonical_combining_class;
        for c in (0..=0x2100u32).filter_map(char::from_u32) {
            if !is_composed_starter(c) {
                continue;
            }
            let one = c.to_string();
            assert_eq!(canonical_combining_class(c), 0, "U+{:04X}", c as u32);
            assert_eq!(
                is_nfc_quick(one.chars()),
                IsNormalized::Yes,
                "U+{:04X}",
                c as u32
            );
            assert_eq!(one.nfc().collect::<String>(), one, "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn nfc_borrows_when_already_composed() {
        assert!(matches!(nfc("Đảng viên"), Cow::Borrowed(_)));
        assert!(matches!(nfc(""), Cow::Borrowed(_)));
        let decomposed = "Đa\u{309}ng";
        let composed = nfc(decomposed);
        assert!(matches!(composed, Cow::Owned(_)));
        assert_eq!(composed, "Đảng");
        // Lone combining mark: stays as is, no panic.
        assert_eq!(nfc("\u{301}"), "\u{301}");
    }

    #[test]
    fn fold_examples() {
        assert_eq!(fold("Đảng viên"), fold("dang vien"));
        assert_eq!(fold("Đảng viên"), "dang vien");
        assert_eq!(fold("hoà"), fold("hòa"));
        assert_eq!(fold("THỦY"), "thuy");
        assert_eq!(fold("ă â ê ô ơ ư"), "a a e o o u");
        assert_eq!(fold("Ă Â Ê Ô Ơ Ư Đ"), "a a e o o u d");
        assert_eq!(fold("  Phát \t triển\n\nĐảng  "), "phat trien dang");
        assert_eq!(fold("Đa\u{309}ng"), "dang");
        assert_eq!(fold(""), "");
        assert_eq!(fold("\u{301}\u{323}"), "");
        assert_eq!(fold("İ"), "i");
        assert_eq!(fold("Quý I/2023"), "quy i/2023");
    }

    #[test]
    fn normalize_tone_examples() {
        assert_eq!(normalize_tone("hoà"), "hòa");
        assert_eq!(normalize_tone("hòa"), "hòa");
        assert_eq!(normalize_tone("hoè"), "hòe");
        assert_eq!(normalize_tone("khoẻ"), "khỏe");
        assert_eq!(normalize_tone("thuỷ"), "thủy");
        assert_eq!(normalize_tone("uỷ ban"), "ủy ban");
        assert_eq!(normalize_tone("Uỷ ban"), "Ủy ban");
        assert_eq!(normalize_tone("HOÀ"), "HÒA");
        assert_eq!(normalize_tone("HoÀ"), "HòA");
        assert_eq!(normalize_tone("oà"), "òa");
        assert_eq!(normalize_tone("nguỵ"), "ngụy");
        assert_eq!(
            normalize_tone("Thanh Hoá, Khánh Hoà"),
            "Thanh Hóa, Khánh Hòa"
        );
        assert_eq!(
            normalize_tone("Ban Thường vụ Tỉnh uỷ"),
            "Ban Thường vụ Tỉnh ủy"
        );
        // Decomposed input gives NFC output.
        assert_eq!(normalize_tone("hoa\u{300}"), "hòa");
        assert_eq!(normalize_tone("Đảng viên"), "Đảng viên");
    }

    #[test]
    fn normalize_tone_leaves_other_syllables() {
        for w in [
            "quý", "Quý", "quỳnh", "QUÝ", "giá", "hoàng", "thuyết", "khoảng", "khuỷu", "ngoáy",
            "hoài", "toàn", "huấn", "thuế", "José", "Noël", "hóa", "hoa", "thuy", "hoă", "tòà",
            "chloé",
        ] {
            assert_eq!(normalize_tone(w), w, "{w}");
        }
        assert_eq!(normalize_tone(""), "");
        assert_eq!(normalize_tone("\u{301}"), "\u{301}");
        assert_eq!(normalize_tone("a\0hoà\u{7}"), "a\0hòa\u{7}");
    }

    #[test]
    fn tag_keys() {
        assert_eq!(
            tag_key("Phát triển Đảng viên"),
            tag_key("phát triển đảng viên")
        );
        assert_eq!(tag_key("hoà"), tag_key("hòa"));
        assert_ne!(tag_key("hòa"), tag_key("hóa"));
        assert_eq!(tag_key("  Công tác   Đảng "), "công tác đảng");
        assert_eq!(tag_key("Tỉnh Uỷ"), "tỉnh ủy");
        assert_eq!(tag_key("Đa\u{309}ng"), tag_key("đảng"));
    }
}
