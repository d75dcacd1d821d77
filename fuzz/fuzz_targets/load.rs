#![no_main]
//! `load::load` on the base site with one file replaced by the input; the
//! first byte chooses which (site.yaml, units.yaml, a plan, a report, an
//! article, an editorial).
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&kind, rest)) = data.split_first() else {
        return;
    };
    bantin_fuzz::checks::load_site(&bantin_fuzz::SITE, usize::from(kind), rest);
});
