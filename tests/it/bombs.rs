//! Resource bombs: huge, deep or numerous inputs get a clear error or a
//! success within the bounds README states — never a hang, an abort or an
//! out-of-memory kill. Inputs are generated here, not committed.

use std::fs;
use std::path::Path;
use std::time::Duration;

use crate::common::{Run, run_measured, site_with};

fn check(dir: &Path) -> Run {
    run_measured(dir, &["check"], Duration::from_secs(120))
}

fn build(dir: &Path) -> Run {
    run_measured(dir, &["build", "--quiet"], Duration::from_secs(120))
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
fn a_50_mb_file_is_refused_quickly() {
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
    assert!(
        r.seconds < 10.0 && r.peak_mb < 200,
        "{:.1} s, {} MB",
        r.seconds,
        r.peak_mb
    );
}

#[test]
fn a_1_mb_line_and_10000_levels_of_markdown_build() {
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
    assert!(
        r.seconds < 60.0 && r.peak_mb < 500,
        "{:.1} s, {} MB",
        r.seconds,
        r.peak_mb
    );
}

#[test]
fn deep_yaml_and_alias_bombs_are_refused() {
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
    assert!(
        r.seconds < 10.0 && r.peak_mb < 200,
        "{:.1} s, {} MB",
        r.seconds,
        r.peak_mb
    );
}

#[test]
fn a_hundred_thousand_units_or_tags_get_a_clear_error() {
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
    assert!(
        r.seconds < 30.0 && r.peak_mb < 1024,
        "{:.1} s, {} MB",
        r.seconds,
        r.peak_mb
    );
}
