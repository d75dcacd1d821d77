#![no_main]
//! `vi::fold`, `normalize_tone`, `tag_key`, `nfc`.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    bantin_fuzz::checks::fold(&bantin_fuzz::text(data));
});
