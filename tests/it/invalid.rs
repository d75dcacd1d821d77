//! Every folder of tests/fixtures/invalid/ is the base site with one defect.
//! `bantin build` must exit 1 (never crash), print exactly the diagnostics
//! listed in the folder's `expected` file (FILE:LINE:COL: error[CODE]), and
//! leave an existing output folder byte-identical. `bantin check` agrees.
//! Nothing printed is English or a Rust debug form.

use std::collections::BTreeSet;
use std::fs;

use crate::common::{bantin, fixtures, previous_output, site_with, stderr, tree};

/// Rust debug forms and English sentences of the libraries bantin uses
/// (Tera, serde-saphyr) that must never reach a user; and the built-in
/// theme named as the culprit, when every template fixture is the site's.
const FOREIGN: &[&str] = &[
    "Msg(",
    "{ tpl",
    "Error {",
    "Some(",
    "(mẫu có sẵn)",
    " is not defined",
    "Unknown ",
    "Found ",
    " expected ",
    "Cannot ",
    "Invalid ",
    "Missing ",
    "rejected by",
    " at line ",
    "invalid ",
    "unexpected ",
    "not allowed",
];

/// The `FILE:LINE:COL: error[CODE]` part of every error line.
fn error_heads(text: &str) -> BTreeSet<String> {
    text.lines()
        .filter_map(|l| {
            let end = l.find("]: ")?;
            let head = &l[..=end];
            head.contains(": error[").then(|| head.to_owned())
        })
        .collect()
}

#[test]
fn every_invalid_site_is_refused_with_its_diagnostic() {
    let dir = fixtures().join("invalid");
    let mut cases: Vec<_> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{e}"))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(cases.len() >= 30, "only {} invalid fixtures", cases.len());
    let mut failures = Vec::new();
    let mut codes = BTreeSet::new();
    for case in &cases {
        let name = case
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let expected: BTreeSet<String> = fs::read_to_string(case.join("expected"))
            .unwrap_or_else(|e| panic!("{name}/expected: {e}"))
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(str::to_owned)
            .collect();
        assert!(!expected.is_empty(), "{name}: empty expected");
        let site = site_with(Some(case));
        let before = previous_output(site.path());
        // Everything in the site folder, to prove nothing is written anywhere.
        let whole_before = tree(site.path());

        let built = bantin(site.path(), &["build"]);
        let err = stderr(&built);
        let got = error_heads(&err);
        let after = tree(&site.path().join("output"));
        if whole_before != tree(site.path()) {
            failures.push(format!("{name}: the build wrote into the site folder"));
            continue;
        }
        if let Some(word) = FOREIGN.iter().find(|w| err.contains(*w)) {
            failures.push(format!("{name}: {word:?} in what the user sees:\n{err}"));
            continue;
        }
        if built.status.code() != Some(1)
            || got != expected
            || before != after
            || err.contains("panicked")
        {
            failures.push(format!(
                "{name}: exit {:?}, output {}, expected {expected:?}, got {got:?}\n{err}",
                built.status.code(),
                if before == after { "kept" } else { "CHANGED" }
            ));
            continue;
        }
        let checked = bantin(site.path(), &["check"]);
        if checked.status.code() != Some(1) || error_heads(&stderr(&checked)) != expected {
            failures.push(format!(
                "{name}: check disagrees with build:\n{}",
                stderr(&checked)
            ));
        }
        for e in &expected {
            if let Some(code) = e.split("error[").nth(1) {
                codes.insert(code.trim_end_matches(']').to_owned());
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} fixtures failed:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
    // Every error code a content problem can have is exercised by some fixture.
    let all: BTreeSet<String> = bantin::diagnostic::Code::ALL
        .iter()
        .filter(|c| c.severity() == bantin::diagnostic::Severity::Error)
        .map(|c| c.as_str().to_owned())
        .collect();
    let missing: Vec<_> = all.difference(&codes).collect();
    assert!(
        missing.is_empty(),
        "error codes without a fixture: {missing:?}"
    );
    crate::common::record_count("invalid inputs tried", cases.len());
}
