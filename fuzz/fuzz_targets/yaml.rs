#![no_main]
//! `load::yaml::parse` alone (fast), at a line offset from the first byte.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let offset = u32::from(data.first().copied().unwrap_or(0) % 4);
    bantin_fuzz::checks::yaml(&bantin_fuzz::checks::source_text(data), offset);
});
