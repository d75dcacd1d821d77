//! Vietnamese alphabetical order (thứ tự chữ cái tiếng Việt) for lists of
//! units, places and names: a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t
//! u ư v x y, with tones as a secondary difference (`An` < `Án` < `Ăn`).
//!
//! Backed by ICU4X's collator with the CLDR `vi` tailoring and compiled-in
//! data, built once per process. `CollatorBorrowed<'static>` only holds
//! `&'static` references to baked data, so it is `Send + Sync` and one
//! shared instance serves all threads (checked by a test below).

use std::cmp::Ordering;
use std::sync::LazyLock;

use icu_collator::options::CollatorOptions;
use icu_collator::{Collator, CollatorBorrowed};
use icu_locale::locale;

static COLLATOR: LazyLock<Option<CollatorBorrowed<'static>>> = LazyLock::new(|| {
    // Compiled data always contains `vi`; `None` would only mean a broken
    // build, and we then degrade to the folded comparison below.
    Collator::try_new(locale!("vi").into(), CollatorOptions::default()).ok()
});

/// Compares two strings in Vietnamese alphabetical order.
///
/// The order is total and deterministic: strings the collator considers
/// equal (e.g. NFC and NFD spellings of one word) are ordered by their bytes.
pub fn compare(a: &str, b: &str) -> Ordering {
    collate(a, b).then_with(|| a.as_bytes().cmp(b.as_bytes()))
}

/// The collator's order alone: equal for spellings it does not tell apart.
fn collate(a: &str, b: &str) -> Ordering {
    match COLLATOR.as_ref() {
        Some(c) => c.compare(a, b),
        None => super::fold::fold(a).cmp(&super::fold::fold(b)),
    }
}

/// Compares two names in Vietnamese alphabetical order with their numbers
/// read as numbers: `Phường 2` < `Phường 10` < `Phường An Lạc`.
///
/// Names are cut into runs of ASCII digits and the text between them; runs
/// are compared in turn: two texts as [`compare`] orders them, two numbers
/// by value (any length; then the shorter first, `7` < `07`), a number
/// before a text (as digits come before letters). The order is total and
/// deterministic, and names without digits keep the order of [`compare`].
pub fn compare_natural(a: &str, b: &str) -> Ordering {
    let (mut xs, mut ys) = (runs(a), runs(b));
    loop {
        let order = match (xs.next(), ys.next()) {
            (None, None) => return a.as_bytes().cmp(b.as_bytes()),
            (None, Some(_)) => Ordering::Less,
            (Some(_), None) => Ordering::Greater,
            (Some(x), Some(y)) => match (is_number(x), is_number(y)) {
                (true, true) => compare_numbers(x, y),
                (true, false) => Ordering::Less,
                (false, true) => Ordering::Greater,
                (false, false) => collate(x, y),
            },
        };
        if order != Ordering::Equal {
            return order;
        }
    }
}

/// `s` cut into runs of ASCII digits and runs of anything else.
fn runs(s: &str) -> impl Iterator<Item = &str> {
    let mut rest = s;
    std::iter::from_fn(move || {
        let digits = rest.as_bytes().first()?.is_ascii_digit();
        let end = rest
            .bytes()
            .position(|b| b.is_ascii_digit() != digits)
            .unwrap_or(rest.len());
        // Cut at an ASCII byte or at the end: a char boundary.
        let (run, after) = rest.split_at(end);
        rest = after;
        Some(run)
    })
}

fn is_number(run: &str) -> bool {
    run.bytes().next().is_some_and(|b| b.is_ascii_digit())
}

/// Two runs of ASCII digits by value, then the shorter first.
fn compare_numbers(x: &str, y: &str) -> Ordering {
    let (vx, vy) = (x.trim_start_matches('0'), y.trim_start_matches('0'));
    vx.len()
        .cmp(&vy.len())
        .then_with(|| vx.cmp(vy))
        .then_with(|| x.len().cmp(&y.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(items: &[&str]) -> Vec<String> {
        let mut v: Vec<String> = items.iter().map(|s| s.to_string()).collect();
        v.sort_by(|a, b| compare(a, b));
        v
    }

    #[test]
    fn collator_is_shareable() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<CollatorBorrowed<'static>>();
        assert!(COLLATOR.is_some());
    }

    #[test]
    fn place_names() {
        let got = sorted(&["Ea Súp", "Đầm Hà", "Ân", "Dương Minh Châu", "Bắc Sơn", "An"]);
        assert_eq!(
            got,
            ["An", "Ân", "Bắc Sơn", "Dương Minh Châu", "Đầm Hà", "Ea Súp"]
        );
    }

    #[test]
    fn letter_order() {
        use Ordering::Less;
        assert_eq!(compare("An", "Ăn"), Less);
        assert_eq!(compare("Ăn", "Ân"), Less);
        assert_eq!(compare("O", "Ô"), Less);
        assert_eq!(compare("Ô", "Ơ"), Less);
        assert_eq!(compare("Ơ", "P"), Less);
        assert_eq!(compare("U", "Ư"), Less);
        assert_eq!(compare("Ư", "V"), Less);
        assert_eq!(compare("D", "Đ"), Less);
        assert_eq!(compare("Đ", "E"), Less);
        assert_eq!(compare("E", "Ê"), Less);
        // Tones are secondary: the base letters decide first.
        assert_eq!(compare("Án", "Ăn"), Less);
        assert_eq!(compare("Ánh", "Ao"), Less);
        assert_eq!(
            sorted(&["ư", "u", "ơ", "ô", "o", "đ", "d", "ê", "e", "â", "ă", "a"]),
            ["a", "ă", "â", "d", "đ", "e", "ê", "o", "ô", "ơ", "u", "ư"]
        );
    }

    #[test]
    fn total_and_deterministic() {
        let nfc = "Đảng";
        let nfd = "Đa\u{309}ng";
        assert_ne!(compare(nfc, nfd), Ordering::Equal);
        assert_eq!(compare(nfc, nfd), compare(nfd, nfc).reverse());
        assert_eq!(compare("", ""), Ordering::Equal);
        assert_eq!(compare("", "a"), Ordering::Less);
        assert_eq!(compare("x", "x"), Ordering::Equal);
    }

    fn sorted_natural(items: &[&str]) -> Vec<String> {
        let mut v: Vec<String> = items.iter().map(|s| s.to_string()).collect();
        v.sort_by(|a, b| compare_natural(a, b));
        v
    }

    #[test]
    fn numbers_in_names_sort_as_numbers() {
        assert_eq!(
            sorted_natural(&["Phường 10", "Phường 2", "Phường 11", "Phường 1", "Phường 3"]),
            ["Phường 1", "Phường 2", "Phường 3", "Phường 10", "Phường 11"]
        );
        // Plain collation reads digits as letters.
        assert_eq!(
            sorted(&["Phường 10", "Phường 2", "Phường 1"]),
            ["Phường 1", "Phường 10", "Phường 2"]
        );
        // A number before a word at the same place, as digits before letters.
        assert_eq!(
            sorted_natural(&[
                "Phường Đông Sơn",
                "Phường 10",
                "Phường An Lạc",
                "Phường 9",
                "Phường",
                "Phường Ân Thi",
            ]),
            [
                "Phường",
                "Phường 9",
                "Phường 10",
                "Phường An Lạc",
                "Phường Ân Thi",
                "Phường Đông Sơn",
            ]
        );
        // Letters after a number: by the number first, then the letters.
        assert_eq!(
            sorted_natural(&["Xã 3B", "Xã 10", "Xã 3", "Xã 3A", "Xã 2", "Xã 10A"]),
            ["Xã 2", "Xã 3", "Xã 3A", "Xã 3B", "Xã 10", "Xã 10A"]
        );
        // Several numbers: each in turn.
        assert_eq!(
            sorted_natural(&["Tổ 2 khu 10", "Tổ 10 khu 1", "Tổ 2 khu 9", "Tổ 1 khu 12"]),
            ["Tổ 1 khu 12", "Tổ 2 khu 9", "Tổ 2 khu 10", "Tổ 10 khu 1"]
        );
        // Numbers longer than any integer type.
        assert_eq!(
            sorted_natural(&[
                "Khu 100000000000000000000000",
                "Khu 99999999999999999999999"
            ]),
            [
                "Khu 99999999999999999999999",
                "Khu 100000000000000000000000"
            ]
        );
    }

    #[test]
    fn leading_zeros_keep_the_order_total() {
        assert_eq!(
            sorted_natural(&["Tổ 007", "Tổ 8", "Tổ 7", "Tổ 07", "Tổ 06", "Tổ 0", "Tổ 00"]),
            ["Tổ 0", "Tổ 00", "Tổ 06", "Tổ 7", "Tổ 07", "Tổ 007", "Tổ 8"]
        );
        assert_eq!(compare_natural("Tổ 07", "Tổ 7"), Ordering::Greater);
        assert_eq!(compare_natural("Tổ 7", "Tổ 07"), Ordering::Less);
    }

    #[test]
    fn names_without_digits_keep_the_order_of_compare() {
        let names = [
            "Ea Súp",
            "Đầm Hà",
            "Ân",
            "Dương Minh Châu",
            "Bắc Sơn",
            "An",
            "Án",
            "Ăn",
            "Sơn Hà",
            "Sơn Hạ",
            "Đảng",
            "Đa\u{309}ng",
            "Phường",
            "phường",
            "Phường Ân Thi",
            "Khối Cơ quan",
            "",
            "Xã Cẩm Giàng",
            "Xã Cẩm Giang",
        ];
        for a in names {
            for b in names {
                assert_eq!(compare_natural(a, b), compare(a, b), "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn natural_order_is_total() {
        let names = [
            "Phường 1",
            "Phường 01",
            "Phường 10",
            "Phường 2",
            "Phường A",
            "Phường",
            "Phường Á",
            "phường 2",
            "Xã 3A",
            "Xã 3",
            "Xã3",
            "Xã 3 A",
            "3",
            "03",
            "",
            "Đa\u{309}ng 1",
            "Đảng 1",
            "Đảng 01",
            "a1b2",
            "a01b1",
        ];
        for a in names {
            for b in names {
                let ab = compare_natural(a, b);
                assert_eq!(ab, compare_natural(b, a).reverse(), "{a:?} {b:?}");
                assert_eq!(ab == Ordering::Equal, a == b, "{a:?} {b:?}");
                for c in names {
                    if ab != Ordering::Greater && compare_natural(b, c) != Ordering::Greater {
                        assert_ne!(
                            compare_natural(a, c),
                            Ordering::Greater,
                            "{a:?} {b:?} {c:?}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn usable_from_threads() {
        let handles: Vec<_> = (0..4)
            .map(|_| std::thread::spawn(|| compare("Ăn", "Ân")))
            .collect();
        for h in handles {
            assert!(matches!(h.join(), Ok(Ordering::Less)));
        }
    }
}
