#![no_main]
//! `load::split_front_matter` and the YAML of the front matter; also
//! `load::source::decode` on the raw bytes.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    bantin_fuzz::checks::decode(data);
    bantin_fuzz::checks::front_matter(&bantin_fuzz::checks::source_text(data));
});
