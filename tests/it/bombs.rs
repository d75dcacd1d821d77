//! Resource bombs: huge, deep or numerous inputs get a clear error or a
//! success within a bound of peak memory — never a hang, an abort or an
//! out-of-memory kill. Inputs are generated here, not committed. Each runs
//! in a process of its own ([`alone`]), so that the peak read through wait4
//! is bantin's alone; time is only bounded by a kill against a hang (their
//! timings are in `bench/`).

use std::fs;
use std::path::Path;
use std::time::Duration;

use crate::common::{Run, alone, run_measured, site_with};

/// Only against a hang: on one busy core these take a minute or two.
const HANG: Duration = Duration::from_secs(1200);

fn check(dir: &Path) -> Run {
    run_measured(dir, &["check"], HANG)
}

fn build(dir: &Path) -> Run {
    run_measured(dir, &["build", "--quiet"], HANG)
}

fn write(path: &Path, bytes: &[u8]) {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{e}"));
    }
    fs::write(path, bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

fn article(title: &str, extra_front: &str, body: &str) -> Vec<u8> {
    format!("---\ntitle: {title}\ndate: 2024-05-01T08:00:00+07:00\n{extra_front}---\n{body}")
        .into_bytes()
}

#[test]
fn a_50_mb_file_is_refused_unread() {
    let _ = alone(
        "bombs::a_50_mb_file_is_refused_unread",
        a_50_mb_file_is_refused_unread_alone,
    );
}

fn a_50_mb_file_is_refused_unread_alone() {
    let site = site_with(None);
    let mut big = article("Tệp lớn", "", "");
    big.resize(50 * 1024 * 1024, b'a');
    write(&site.path().join("content/articles/2024/lon.md"), &big);
    let r = check(site.path());
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(
        r.stderr
            .contains("content/articles/2024/lon.md:1:1: error[E106]"),
        "{}",
        r.stderr
    );
    assert!(r.peak_mb < 200, "{} MB ({:.1} s)", r.peak_mb, r.seconds);
}

#[test]
fn a_1_mb_line_and_10000_levels_of_markdown_build() {
    let _ = alone(
        "bombs::a_1_mb_line_and_10000_levels_of_markdown_build",
        a_1_mb_line_and_10000_levels_of_markdown_build_alone,
    );
}

fn a_1_mb_line_and_10000_levels_of_markdown_build_alone() {
    let site = site_with(None);
    let line = "Đảng viên ".repeat(100_000);
    write(
        &site.path().join("content/articles/2024/dong-dai.md"),
        &article("Dòng rất dài", "", &format!("{line}\n")),
    );
    let deep = format!(
        "{}x\n\n{}\n{}x{}\n\n{}x{}\n\n{}x{}\n",
        "> ".repeat(10_000),
        (0..3000)
            .map(|i| format!("{}- a\n", "  ".repeat(i)))
            .collect::<String>(),
        "[".repeat(10_000),
        "]".repeat(10_000),
        "*".repeat(10_000),
        "*".repeat(10_000),
        "<div>".repeat(10_000),
        "</div>".repeat(10_000),
    );
    write(
        &site.path().join("content/articles/2024/long-sau.md"),
        &article("Lồng sâu", "", &deep),
    );
    let r = build(site.path());
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(
        site.path()
            .join("output/tin-tuc/dong-rat-dai/index.html")
            .is_file()
    );
    assert!(
        site.path()
            .join("output/tin-tuc/long-sau/index.html")
            .is_file()
    );
    assert!(r.peak_mb < 500, "{} MB ({:.1} s)", r.peak_mb, r.seconds);
}

#[test]
fn deep_yaml_and_alias_bombs_are_refused() {
    let _ = alone(
        "bombs::deep_yaml_and_alias_bombs_are_refused",
        deep_yaml_and_alias_bombs_are_refused_alone,
    );
}

fn deep_yaml_and_alias_bombs_are_refused_alone() {
    let site = site_with(None);
    let mut bomb = String::from("a: &a [x,x,x,x,x,x,x,x,x,x]\n");
    for (i, c) in ('b'..='z').enumerate() {
        let prev = (b'a' + i as u8) as char;
        bomb.push_str(&format!(
            "{c}: &{c} [{}]\n",
            vec![format!("*{prev}"); 10].join(",")
        ));
    }
    write(
        &site.path().join("content/plans/2024-kh-99.yaml"),
        bomb.as_bytes(),
    );
    let nested = format!("units: {}{}\n", "[".repeat(10_000), "]".repeat(10_000));
    write(&site.path().join("content/units.yaml"), nested.as_bytes());
    let r = check(site.path());
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(
        r.stderr.contains("content/plans/2024-kh-99.yaml:") && r.stderr.contains("error[E106]"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("content/units.yaml:1:"), "{}", r.stderr);
    assert!(r.peak_mb < 200, "{} MB ({:.1} s)", r.peak_mb, r.seconds);
}

#[test]
fn a_hundred_thousand_units_or_tags_get_a_clear_error() {
    let _ = alone(
        "bombs::a_hundred_thousand_units_or_tags_get_a_clear_error",
        a_hundred_thousand_units_or_tags_get_a_clear_error_alone,
    );
}

fn a_hundred_thousand_units_or_tags_get_a_clear_error_alone() {
    let site = site_with(None);
    let mut units = String::from("units:\n");
    for i in 0..100_000 {
        units.push_str(&format!(
            "  - id: don-vi-{i}\n    name: Đảng bộ xã số {i}\n"
        ));
    }
    write(&site.path().join("content/units.yaml"), units.as_bytes());
    let tags: Vec<String> = (0..100_000).map(|i| format!("chủ đề {i}")).collect();
    write(
        &site.path().join("content/articles/2024/nhieu-chu-de.md"),
        &article(
            "Nhiều chủ đề",
            &format!("tags: [{}]\n", tags.join(", ")),
            "Nội dung.\n",
        ),
    );
    let r = check(site.path());
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(
        r.stderr
            .contains("content/units.yaml:2:3: error[E106]: units.yaml có 100.000 đơn vị"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("content/articles/2024/nhieu-chu-de.md:4:7: error[E106]"),
        "{}",
        r.stderr
    );
    assert!(r.peak_mb < 1024, "{} MB ({:.1} s)", r.peak_mb, r.seconds);
}
