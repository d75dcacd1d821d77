#![no_main]
//! `vi::slugify` and `load::id_problem`.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    bantin_fuzz::checks::slug(&bantin_fuzz::text(data));
});
