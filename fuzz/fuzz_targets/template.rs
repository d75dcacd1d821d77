#![no_main]
//! The whole build with the input as the site's own `templates/home.html`:
//! every template problem names that file, in Vietnamese.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    bantin_fuzz::checks::build_with_template(&bantin_fuzz::SITE, data);
});
