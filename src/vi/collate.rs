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
    let primary = match COLLATOR.as_ref() {
        Some(c) => c.compare(a, b),
        None => super::fold::fold(a).cmp(&super::fold::fold(b)),
    };
    primary.then_with(|| a.as_bytes().cmp(b.as_bytes()))
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
