#![no_main]
//! `vi::DocSymbol::parse` and `vi::find_symbols`.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    bantin_fuzz::checks::symbols(&bantin_fuzz::text(data));
});
