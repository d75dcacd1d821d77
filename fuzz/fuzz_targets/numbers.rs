#![no_main]
//! `vi::{int, decimal, percent, parse_date, parse_datetime}`: the first 17
//! bytes are two i64 and a digit count, the rest is date text.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut head = [0u8; 17];
    let n = data.len().min(17);
    head[..n].copy_from_slice(&data[..n]);
    let a = i64::from_le_bytes(head[0..8].try_into().unwrap_or_default());
    let b = i64::from_le_bytes(head[8..16].try_into().unwrap_or_default());
    let digits = u32::from(head[16] % 10);
    bantin_fuzz::checks::numbers(a, b, digits, &bantin_fuzz::text(data));
    bantin_fuzz::checks::path(&bantin_fuzz::text(data));
});
