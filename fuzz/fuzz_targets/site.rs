#![no_main]
//! The whole build in memory (`pipeline::build`) on the base site with one
//! file replaced by the input (first byte chooses which, as in `load`):
//! every page checked for live script.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&kind, rest)) = data.split_first() else {
        return;
    };
    bantin_fuzz::checks::build_site(&bantin_fuzz::SITE, usize::from(kind), rest);
});
