#![no_main]
//! `markdown::render`: sanitising, well-formedness, determinism, problem
//! offsets. The first byte chooses the page the HTML goes into.
use bantin_fuzz::checks::{PAGE_URLS, markdown};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let page = usize::from(data.first().copied().unwrap_or(0)) % PAGE_URLS.len();
    markdown(&bantin_fuzz::text(data), page);
});
