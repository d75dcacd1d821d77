//! Vietnamese dates and times: the short form `31/01/2023`, the running form
//! `ngày 31/01/2023`, the long form of party and state documents
//! `ngày 31 tháng 01 năm 2023`, and lenient-but-strict parsing of what
//! users type in front matter.
//!
//! Everything shown to readers is in Vietnam time (UTC+07:00); the country
//! has a single time zone without daylight saving, so a fixed offset is exact.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use chrono::{Offset, Timelike, Utc};

/// Earliest year accepted by the parsers; anything before is a typo.
pub const MIN_YEAR: i32 = 1900;
/// Latest year accepted by the parsers.
pub const MAX_YEAR: i32 = 2200;

const VIETNAM_OFFSET_SECS: i32 = 7 * 3600;

/// UTC+07:00, giờ Việt Nam.
pub fn vietnam_offset() -> FixedOffset {
    // 25 200 s is well inside the ±24 h range, so the fallback is unreachable.
    FixedOffset::east_opt(VIETNAM_OFFSET_SECS).unwrap_or_else(|| Utc.fix())
}

/// The day a moment falls on in Vietnam.
pub fn day_in_vietnam(t: DateTime<FixedOffset>) -> NaiveDate {
    t.with_timezone(&vietnam_offset()).date_naive()
}

/// `31/01/2023`: day and month always two digits.
pub fn date_short(d: NaiveDate) -> String {
    format!("{:02}/{:02}/{}", d.day(), d.month(), d.year())
}

/// `ngày 31/01/2023`, for use inside a sentence.
pub fn date_running(d: NaiveDate) -> String {
    format!("ngày {}", date_short(d))
}

/// `ngày 31 tháng 01 năm 2023`, the long form used in party and state
/// documents (Hướng dẫn 36-HD/VPTW, Nghị định 30/2020/NĐ-CP): days below 10
/// and the months 1 and 2 are zero-padded — so that "tháng 1" cannot be
/// altered into "tháng 11" or "tháng 12" by hand — other months are not.
pub fn date_long(d: NaiveDate) -> String {
    let month = d.month();
    let month_text = if month <= 2 {
        format!("{month:02}")
    } else {
        month.to_string()
    };
    format!("ngày {:02} tháng {} năm {}", d.day(), month_text, d.year())
}

/// `09:31, 19/10/2021`, always shown in Vietnam time whatever offset `t`
/// carries.
pub fn datetime(t: DateTime<FixedOffset>) -> String {
    let local = t.with_timezone(&vietnam_offset());
    format!(
        "{:02}:{:02}, {}",
        local.hour(),
        local.minute(),
        date_short(local.date_naive())
    )
}

/// Parses a date as users write it: ISO `YYYY-MM-DD`, or the Vietnamese
/// `D/M/YYYY` / `DD/MM/YYYY`. Surrounding whitespace is ignored. Impossible
/// dates (2023-02-30) and years outside [`MIN_YEAR`]..=[`MAX_YEAR`] give `None`.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let (year, month, day) = date_parts(s.trim())?;
    make_date(year, month, day)
}

/// The year, month and day a date is written with, `YYYY-MM-DD` or
/// `D/M/YYYY`, before the calendar judges them.
fn date_parts(s: &str) -> Option<(u32, u32, u32)> {
    let b = s.as_bytes();
    if b.len() == 10 && b.get(4) == Some(&b'-') && b.get(7) == Some(&b'-') {
        return Some((
            digits(s.get(0..4)?, 4, 4)?,
            digits(s.get(5..7)?, 2, 2)?,
            digits(s.get(8..10)?, 2, 2)?,
        ));
    }
    let mut parts = s.split('/');
    let day = digits(parts.next()?, 1, 2)?;
    let month = digits(parts.next()?, 1, 2)?;
    let year = digits(parts.next()?, 4, 4)?;
    if parts.next().is_some() {
        return None;
    }
    Some((year, month, day))
}

/// Parses a date-time:
/// - RFC 3339 with an offset: `2021-10-19T09:31:00+07:00`, `…Z`;
/// - without an offset, taken as Vietnam time: `2021-10-19T09:31:00`,
///   `2021-10-19T09:31`, `2021-10-19 09:31`, `19/10/2021 09:31`;
/// - a bare date (any form [`parse_date`] accepts), meaning midnight
///   Vietnam time.
///
/// Seconds may carry a fraction of up to 9 digits; leap seconds are refused.
pub fn parse_datetime(s: &str) -> Option<DateTime<FixedOffset>> {
    let s = s.trim();
    if let Some(d) = parse_date(s) {
        return at_offset(d.and_time(NaiveTime::MIN), vietnam_offset());
    }
    let sep = s.find(['T', 't', ' '])?;
    let date = parse_date(s.get(..sep)?)?;
    // The separator is one ASCII byte.
    let rest = s.get(sep + 1..)?;
    let (time_text, offset) = split_offset(rest)?;
    let time = parse_time(time_text)?;
    at_offset(date.and_time(time), offset.unwrap_or_else(vietnam_offset))
}

fn at_offset(local: NaiveDateTime, offset: FixedOffset) -> Option<DateTime<FixedOffset>> {
    offset.from_local_datetime(&local).single()
}

/// Splits `09:31:00+07:00` into the time text and its offset, if any.
fn split_offset(s: &str) -> Option<(&str, Option<FixedOffset>)> {
    if let Some(time) = s.strip_suffix(['Z', 'z']) {
        return Some((time, Some(Utc.fix())));
    }
    // An offset is exactly `±HH:MM` at the end.
    let n = s.len();
    if n >= 6 {
        let tail = s.get(n - 6..)?;
        let sign = match tail.as_bytes().first() {
            Some(b'+') => 1,
            Some(b'-') => -1,
            _ => return Some((s, None)),
        };
        if tail.as_bytes().get(3) != Some(&b':') {
            return None;
        }
        let hours = digits(tail.get(1..3)?, 2, 2)?;
        let minutes = digits(tail.get(4..6)?, 2, 2)?;
        if hours > 23 || minutes > 59 {
            return None;
        }
        let secs = i32::try_from(hours * 3600 + minutes * 60).ok()?;
        let offset = FixedOffset::east_opt(sign * secs)?;
        return Some((s.get(..n - 6)?, Some(offset)));
    }
    Some((s, None))
}

/// `HH:MM`, `HH:MM:SS` or `HH:MM:SS.fffffffff`.
fn parse_time(s: &str) -> Option<NaiveTime> {
    let mut parts = s.split(':');
    let hour = digits(parts.next()?, 2, 2)?;
    let minute = digits(parts.next()?, 2, 2)?;
    let (second, nano) = match parts.next() {
        None => (0, 0),
        Some(sec_text) => {
            let (whole, frac) = match sec_text.split_once(['.', ',']) {
                Some((w, f)) => (w, Some(f)),
                None => (sec_text, None),
            };
            let second = digits(whole, 2, 2)?;
            let nano = match frac {
                None => 0,
                Some(f) => {
                    let value = digits(f, 1, 9)?;
                    let missing = 9 - u32::try_from(f.len()).ok()?;
                    value * 10u32.pow(missing)
                }
            };
            (second, nano)
        }
    };
    if parts.next().is_some() || second > 59 {
        return None;
    }
    NaiveTime::from_hms_nano_opt(hour, minute, second, nano)
}

/// An all-ASCII-digit string of `min..=max` characters as a number.
/// Why a text shaped like a date (`2026-04-31`, `31/04/2026`, with or
/// without a time after it) names no day of the calendar, in Vietnamese:
/// `tháng 4 năm 2026 chỉ có 30 ngày`. None when the text is not shaped like
/// a date (its format is then the problem) or is a valid date.
pub fn impossible_date(s: &str) -> Option<String> {
    let s = s.trim();
    let date = s.split(['T', 't', ' ']).next().unwrap_or(s);
    let (year, month, day) = date_parts(date)?;
    let y = i32::try_from(year).ok()?;
    if !(MIN_YEAR..=MAX_YEAR).contains(&y) {
        return Some(format!("năm {year} nằm ngoài khoảng {MIN_YEAR}–{MAX_YEAR}"));
    }
    if !(1..=12).contains(&month) {
        return Some(format!("không có tháng {month}; tháng từ 1 đến 12"));
    }
    if make_date(year, month, day).is_some() {
        return None;
    }
    let last = (28..=31)
        .rev()
        .find(|d| NaiveDate::from_ymd_opt(y, month, *d).is_some())?;
    Some(if day == 0 {
        "không có ngày 0".to_owned()
    } else {
        format!("tháng {month} năm {year} chỉ có {last} ngày")
    })
}

fn digits(s: &str, min: usize, max: usize) -> Option<u32> {
    if s.len() < min || s.len() > max || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn make_date(year: u32, month: u32, day: u32) -> Option<NaiveDate> {
    let year = i32::try_from(year).ok()?;
    if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
        return None;
    }
    NaiveDate::from_ymd_opt(year, month, day)
}

#[cfg(test)]
mod tests {

    #[test]
    fn an_impossible_date_says_why() {
        assert_eq!(
            impossible_date("2026-04-31").as_deref(),
            Some("tháng 4 năm 2026 chỉ có 30 ngày")
        );
        assert_eq!(
            impossible_date("29/02/2023 09:00").as_deref(),
            Some("tháng 2 năm 2023 chỉ có 28 ngày")
        );
        assert_eq!(impossible_date("2024-02-29"), None, "a leap day");
        assert_eq!(
            impossible_date("2026-13-01").as_deref(),
            Some("không có tháng 13; tháng từ 1 đến 12")
        );
        assert_eq!(
            impossible_date("2026-04-00").as_deref(),
            Some("không có ngày 0")
        );
        assert_eq!(
            impossible_date("31-04-2026"),
            None,
            "a format problem, said elsewhere"
        );
    }
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    #[test]
    fn short_and_running() {
        assert_eq!(date_short(d(2023, 1, 31)), "31/01/2023");
        assert_eq!(date_short(d(2023, 3, 5)), "05/03/2023");
        assert_eq!(date_short(d(2023, 12, 1)), "01/12/2023");
        assert_eq!(date_running(d(2023, 1, 31)), "ngày 31/01/2023");
    }

    #[test]
    fn long_form() {
        assert_eq!(date_long(d(2023, 1, 31)), "ngày 31 tháng 01 năm 2023");
        assert_eq!(date_long(d(2018, 4, 3)), "ngày 03 tháng 4 năm 2018");
        assert_eq!(date_long(d(2022, 6, 16)), "ngày 16 tháng 6 năm 2022");
        assert_eq!(date_long(d(2022, 11, 15)), "ngày 15 tháng 11 năm 2022");
        assert_eq!(date_long(d(2020, 2, 9)), "ngày 09 tháng 02 năm 2020");
        assert_eq!(date_long(d(2021, 3, 1)), "ngày 01 tháng 3 năm 2021");
        assert_eq!(date_long(d(2021, 10, 9)), "ngày 09 tháng 10 năm 2021");
        assert_eq!(date_long(d(2021, 12, 10)), "ngày 10 tháng 12 năm 2021");
    }

    #[test]
    fn datetime_in_vietnam_time() {
        let t = parse_datetime("2021-10-19T09:31:00+07:00");
        assert_eq!(t.map(datetime).as_deref(), Some("09:31, 19/10/2021"));
        let t = parse_datetime("2021-10-19T02:31:00Z");
        assert_eq!(t.map(datetime).as_deref(), Some("09:31, 19/10/2021"));
        // Crossing midnight when converting.
        let t = parse_datetime("2021-12-31T20:05:00Z");
        assert_eq!(t.map(datetime).as_deref(), Some("03:05, 01/01/2022"));
        let t = parse_datetime("2021-10-19T09:31:00-05:00");
        assert_eq!(t.map(datetime).as_deref(), Some("21:31, 19/10/2021"));
    }

    #[test]
    fn offset_is_plus_seven() {
        assert_eq!(vietnam_offset().local_minus_utc(), 25_200);
    }

    #[test]
    fn parse_date_forms() {
        assert_eq!(parse_date("2023-01-31"), Some(d(2023, 1, 31)));
        assert_eq!(parse_date(" 2023-01-31\n"), Some(d(2023, 1, 31)));
        assert_eq!(parse_date("31/01/2023"), Some(d(2023, 1, 31)));
        assert_eq!(parse_date("3/4/2018"), Some(d(2018, 4, 3)));
        assert_eq!(parse_date("03/4/2018"), Some(d(2018, 4, 3)));
        assert_eq!(parse_date("2024-02-29"), Some(d(2024, 2, 29)));
        assert_eq!(parse_date("1900-01-01"), Some(d(1900, 1, 1)));
        assert_eq!(parse_date("2200-12-31"), Some(d(2200, 12, 31)));
    }

    #[test]
    fn parse_date_rejects() {
        for s in [
            "",
            "2023-02-30",
            "2023-13-01",
            "2023-00-10",
            "2023-1-31",
            "23-01-31",
            "2023/01/31",
            "1899-12-31",
            "2201-01-01",
            "31/01/23",
            "32/01/2023",
            "29/02/2023",
            "31/01/2023/1",
            "1/2",
            "+2023-01-31",
            "２０２３-01-31",
            "2023-01-3١",
            "2023-01-31T00:00",
            "\0",
            "ngày 31/01/2023",
        ] {
            assert_eq!(parse_date(s), None, "{s:?}");
        }
    }

    #[test]
    fn parse_datetime_forms() {
        let vn = vietnam_offset();
        let expect = vn.with_ymd_and_hms(2021, 10, 19, 9, 31, 0).single();
        assert!(expect.is_some());
        for s in [
            "2021-10-19T09:31:00+07:00",
            "2021-10-19T02:31:00Z",
            "2021-10-19T02:31:00z",
            "2021-10-19T09:31:00",
            "2021-10-19 09:31",
            "2021-10-19T09:31",
            "19/10/2021 09:31",
            "2021-10-19T09:31:00.000",
        ] {
            assert_eq!(parse_datetime(s), expect, "{s:?}");
        }
        let midnight = vn.with_ymd_and_hms(2021, 10, 19, 0, 0, 0).single();
        assert_eq!(parse_datetime("2021-10-19"), midnight);
        assert_eq!(parse_datetime("19/10/2021"), midnight);
        let t = parse_datetime("2021-10-19T09:31:00+07:00");
        assert_eq!(t.map(|t| t.offset().local_minus_utc()), Some(25_200));
        let frac = parse_datetime("2021-10-19T09:31:05.25+07:00");
        assert_eq!(frac.map(|t| t.nanosecond()), Some(250_000_000));
    }

    #[test]
    fn parse_datetime_rejects() {
        for s in [
            "",
            "T",
            "2021-10-19T",
            "2021-10-19T9:31",
            "2021-10-19T09:31:60",
            "2021-10-19T24:00",
            "2021-10-19T09:31:00+7:00",
            "2021-10-19T09:31:00+24:00",
            "2021-10-19T09:31:00+07",
            "2021-10-19T09:31:00.",
            "2021-10-19T09:31:00.1234567890",
            "2021-10-19  09:31",
            "2021-02-30T09:31",
            "1899-12-31T23:59:59Z",
            "2201-01-01T00:00Z",
            "2021-10-19T09:31:00+07:00 extra",
            "hôm nay",
        ] {
            assert_eq!(parse_datetime(s), None, "{s:?}");
        }
    }

    #[test]
    fn hostile_inputs_do_not_panic() {
        let big = "9".repeat(1 << 20);
        assert_eq!(parse_date(&big), None);
        assert_eq!(parse_datetime(&big), None);
        for s in [
            "é",
            "2021-10-19Té",
            "2021-10-19 ééééééé",
            "ế/ế/ế",
            "\u{301}",
        ] {
            let _ = parse_date(s);
            let _ = parse_datetime(s);
        }
    }
}
