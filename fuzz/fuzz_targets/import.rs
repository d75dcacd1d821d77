#![no_main]
//! `bantin import`'s reading of a spreadsheet (CSV, .xlsx, .ods, .xls) up to
//! the rows of figures; the first byte says how the rest is given (see
//! `checks::import_file`): as a file, or as the parts of a well-formed
//! container built around it.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    bantin_fuzz::checks::import(&bantin_fuzz::SITE, data);
});
