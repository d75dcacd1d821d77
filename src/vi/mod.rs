//! Vietnamese text handling for bantin — the one place where the project
//! formats and compares Vietnamese. Every function is pure, total (never
//! panics, whatever the input) and roughly linear in its input.
//!
//! Conventions, following state and party document practice:
//!
//! - Numbers: `.` groups thousands, `,` separates decimals (`1.234,5`);
//!   ratios are rounded half away from zero with exact integer arithmetic
//!   ([`number`]).
//! - Dates: `31/01/2023` in running text, `ngày 31 tháng 01 năm 2023` in the
//!   long form; times are always shown in Vietnam time, UTC+07:00 ([`date`]).
//! - Periods: quarters in Roman numerals, `quý I/2023`; cumulative periods
//!   `6 tháng đầu năm 2023` ([`period`]).
//! - Document symbols: `366-KH/TU` (party), `155/QĐ-BGDĐT`, `30/2020/NĐ-CP`
//!   (state) ([`symbol`]).
//! - Text is stored in NFC; tone marks of `oa`, `oe`, `uy` use the old
//!   placement (`hòa`, `thủy`) when normalised ([`fold`]).
//! - Slugs are ASCII `a-z0-9` words joined by `-`, at most [`MAX_SLUG_LEN`] bytes ([`slug`]).
//! - Sorting follows the Vietnamese alphabet, a ă â b c d đ e ê … ([`collate`]).

pub mod collate;
pub mod date;
pub mod fold;
pub mod number;
pub mod period;
pub mod slug;
pub mod symbol;

pub use collate::*;
pub use date::*;
pub use fold::*;
pub use number::*;
pub use period::*;
pub use slug::*;
pub use symbol::*;

/// At most `max` characters of `s`, and `…` when some were cut.
pub fn clip(s: &str, max: usize) -> String {
    let mut out: String = s.chars().take(max).collect();
    if out.len() < s.len() {
        out.push('…');
    }
    out
}

/// `s` whole when it has at most `max` characters; else its words that fit
/// in `max` characters, with `…` (a word longer than `max` is cut).
pub fn clip_words(s: &str, max: usize) -> String {
    let Some((end, _)) = s.char_indices().nth(max) else {
        return s.to_owned();
    };
    let head = &s[..end];
    // Cut before the word the limit falls in, unless the limit falls
    // just after a word.
    let fits = if s[end..].starts_with(char::is_whitespace) {
        head
    } else {
        head.rfind(char::is_whitespace).map_or(head, |i| &head[..i])
    };
    let kept = fits.trim_end_matches(|c: char| c.is_whitespace() || ",;:".contains(c));
    let mut out = String::with_capacity(kept.len() + 3);
    out.push_str(if kept.is_empty() { head } else { kept });
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    //! Property-style checks over generated hostile strings.

    use super::*;
    use std::cmp::Ordering;

    #[test]
    fn clip_cuts_at_characters_and_says_so() {
        assert_eq!(clip("Đảng viên", 4), "Đảng…");
        assert_eq!(clip("Đảng", 4), "Đảng");
        assert_eq!(clip("", 0), "");
    }

    #[test]
    fn clip_words_keeps_whole_words() {
        assert_eq!(clip_words("Đảng viên mới", 13), "Đảng viên mới");
        // The limit inside "mới": the word goes.
        assert_eq!(clip_words("Đảng viên mới", 11), "Đảng viên…");
        // The limit just after "viên".
        assert_eq!(clip_words("Đảng viên mới", 9), "Đảng viên…");
        // No comma before the ellipsis.
        assert_eq!(clip_words("Đảng viên, mới", 11), "Đảng viên…");
        // One word longer than the limit is cut.
        assert_eq!(clip_words("Đảngviênmới", 4), "Đảng…");
    }

    /// Building blocks: Vietnamese letters (composed and decomposed),
    /// bare combining marks, symbol characters, punctuation, whitespace,
    /// control characters, emoji and a few Unicode oddities.
    const POOL: &[&str] = &[
        "a",
        "ă",
        "â",
        "e",
        "ê",
        "o",
        "ô",
        "ơ",
        "u",
        "ư",
        "y",
        "i",
        "đ",
        "Đ",
        "h",
        "q",
        "g",
        "n",
        "t",
        "k",
        "A",
        "O",
        "U",
        "Y",
        "hoà",
        "HOÀ",
        "thuỷ",
        "Uỷ",
        "quý",
        "giá",
        "khoẻ",
        "oa",
        "oe",
        "uy",
        "o\u{300}a",
        "oa\u{300}",
        "u\u{309}y",
        "uy\u{309}",
        "\u{300}",
        "\u{301}",
        "\u{303}",
        "\u{309}",
        "\u{323}",
        "\u{302}",
        "\u{306}",
        "\u{31b}",
        "0",
        "1",
        "9",
        "366",
        "-",
        "/",
        "KH",
        "TU",
        "QĐ",
        "CTr",
        "2023",
        ".",
        ",",
        ";",
        ":",
        "(",
        ")",
        "“",
        "”",
        "–",
        "?",
        "=",
        "_",
        "%",
        " ",
        "  ",
        "\t",
        "\n",
        "\r",
        "\u{a0}",
        "\u{3000}",
        "\0",
        "\u{7}",
        "\u{1b}",
        "\u{7f}",
        "\u{200b}",
        "\u{200d}",
        "🎉",
        "🇻🇳",
        "İ",
        "ß",
        "ﬁ",
        "Ω",
        "K",
        "Å",
        "\u{345}",
        "ǅ",
        "ａ",
        "١",
        "²",
        "\u{fffd}",
    ];

    struct Lcg(u64);

    impl Lcg {
        fn next(&mut self) -> usize {
            // Knuth's MMIX constants; the high bits are the good ones.
            self.0 = self
                .0
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            usize::try_from(self.0 >> 33).unwrap_or(0)
        }

        fn string(&mut self, max_pieces: usize) -> String {
            let n = self.next() % (max_pieces + 1);
            (0..n)
                .filter_map(|_| POOL.get(self.next() % POOL.len()).copied())
                .collect()
        }
    }

    fn is_slug(s: &str) -> bool {
        static RE: std::sync::LazyLock<Option<regex::Regex>> =
            std::sync::LazyLock::new(|| regex::Regex::new("^[a-z0-9]+(-[a-z0-9]+)*$").ok());
        match RE.as_ref() {
            Some(re) => re.is_match(s),
            None => false,
        }
    }

    #[test]
    fn generated_strings() {
        let mut rng = Lcg(0x5eed_2023);
        let mut previous = String::new();
        for round in 0..4000 {
            let max = if round % 100 == 0 { 400 } else { 24 };
            let s = rng.string(max);

            let slug = slugify(&s);
            assert!(slug.is_empty() || is_slug(&slug), "{s:?} → {slug:?}");
            assert!(slug.len() <= MAX_SLUG_LEN, "{s:?}");

            let f = fold(&s);
            assert_eq!(fold(&f), f, "fold not idempotent on {s:?}");

            let t = normalize_tone(&s);
            assert_eq!(
                normalize_tone(&t),
                t,
                "normalize_tone not idempotent on {s:?}"
            );
            assert_eq!(
                fold(&t),
                fold(&s),
                "normalize_tone changed letters of {s:?}"
            );

            let k = tag_key(&s);
            assert_eq!(tag_key(&k), k, "tag_key not idempotent on {s:?}");
            // A tag's page is the slug of its key: the slug of its text.
            assert_eq!(slugify(&k), slug, "{s:?}");
            let marked = slugify_marked(&k);
            assert!(marked.is_empty() || is_slug(&marked), "{s:?} → {marked:?}");
            assert_eq!(marked.is_empty(), slug.is_empty(), "{s:?}");

            assert_eq!(nfc(&s), nfc(&nfc(&s)));
            let _ = capitalize_first(&s);
            let _ = parse_date(&s);
            let _ = parse_datetime(&s);
            if let Ok(sym) = DocSymbol::parse(&s) {
                assert_eq!(DocSymbol::parse(&sym.to_string()), Ok(sym.clone()));
                assert!(is_slug(&sym.slug()));
            }
            for (range, sym) in find_symbols(&s) {
                let text = s.get(range.clone());
                assert!(text.is_some(), "bad range {range:?} in {s:?}");
                assert_eq!(text.map(str::to_string), Some(sym.to_string()));
            }

            let ord = compare(&s, &previous);
            assert_eq!(ord.reverse(), compare(&previous, &s));
            assert_eq!(compare(&s, &s), Ordering::Equal);
            previous = s;
        }
    }

    /// Slots of a symbol, each with valid and broken alternatives.
    const SYMBOL_SLOTS: &[&[&str]] = &[
        &["", "", " ", "số ", "a", "(", "x/", "=", "\u{301}"],
        &["366", "05", "3", "123456", "1234567", "", "a1"],
        &["-", "/", "/", "", "--", "\0"],
        &["", "", "2020/", "20/", "1800/", "/"],
        &[
            "KH",
            "kh",
            "QĐ",
            "Qđ",
            "CTr",
            "CTR",
            "QĐi",
            "NĐ",
            "",
            "K2",
            "ABCDEFGHI",
        ],
        &["/", "-", "", "/", "-"],
        &[
            "TU", "tu", "CP", "BGDĐT", "UBND-VX", "TTg", "ttg", "", "1TU", "QH14",
        ],
        &["", "", "", ".", ",", "/x", " ", ".pdf", "ấn", "\u{301}"],
    ];

    #[test]
    fn generated_symbols() {
        let mut rng = Lcg(0x0366_4b48);
        let (mut parsed, mut found, mut wrong_case) = (0, 0, 0);
        for _ in 0..20_000 {
            let s: String = SYMBOL_SLOTS
                .iter()
                .filter_map(|slot| slot.get(rng.next() % slot.len().max(1)).copied())
                .collect();
            match DocSymbol::parse(&s) {
                Ok(sym) => {
                    parsed += 1;
                    // Valid symbols print back exactly as written.
                    assert_eq!(sym.to_string(), s.trim(), "{s:?}");
                    assert!(is_slug(&sym.slug()), "{s:?}");
                }
                Err(SymbolError::WrongCase { suggestion }) => {
                    wrong_case += 1;
                    assert!(
                        DocSymbol::parse(&suggestion).is_ok(),
                        "{s:?} → {suggestion:?}"
                    );
                }
                Err(e) => assert!(!e.message_vi().is_empty()),
            }
            for (range, sym) in find_symbols(&s) {
                found += 1;
                assert_eq!(s.get(range), Some(sym.to_string().as_str()), "{s:?}");
            }
        }
        assert!(
            parsed > 20 && found > 100 && wrong_case > 20,
            "parsed {parsed}, found {found}, wrong case {wrong_case}"
        );
    }

    #[test]
    fn megabyte_inputs() {
        let big: String = "Đảng viên hoà \u{301}\0🎉 366-KH/TU, ".repeat(30_000);
        assert!(big.len() > 1_000_000);
        assert!(slugify(&big).len() <= MAX_SLUG_LEN);
        assert_eq!(fold(&fold(&big)), fold(&big));
        assert!(normalize_tone(&big).contains("hòa"));
        assert_eq!(find_symbols(&big).len(), 30_000);
        assert!(DocSymbol::parse(&big).is_err());
        assert_eq!(parse_date(&big), None);
        assert_eq!(parse_datetime(&big), None);
        let _ = compare(&big, &big[..]);
        let _ = tag_key(&big);
        let _ = capitalize_first(&big);
    }
}
