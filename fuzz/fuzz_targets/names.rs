#![no_main]
//! `pages::media` and `pages::relative` on any file name: fully encoded,
//! decodes back, stays a relative path under the site root.
use bantin_fuzz::checks::media_url;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    media_url(&bantin_fuzz::text(data));
});
