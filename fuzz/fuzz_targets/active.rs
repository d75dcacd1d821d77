#![no_main]
//! The scan for script in published SVG, HTML and XML files.
use bantin_fuzz::checks::active_scan;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    active_scan(data);
});
