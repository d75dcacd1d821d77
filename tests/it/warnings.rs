//! Warnings are printed but do not stop the build.

use crate::common::{bantin, fixtures, site_with, stderr};

#[test]
fn warnings_are_printed_and_the_site_is_built() {
    let site = site_with(Some(&fixtures().join("warnings")));
    let out = bantin(site.path(), &["build"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    for expected in [
        // members 3.020 → 2.900 with 1 removal
        "content/results/2023/q2.yaml:14:14: warning[W501]",
        // Q3/2023 missing between Q2 and Q4
        "content/results/2023/q4.yaml:1:1: warning[W502]",
        // a quota for a unit dissolved at the end of 2022
        "content/plans/2024-kh-12.yaml:28:11: warning[W503]",
    ] {
        assert!(
            err.lines().any(|l| l.starts_with(expected)),
            "no {expected} in:\n{err}"
        );
    }
    assert!(!err.contains("error["), "{err}");
    assert!(site.path().join("output/index.html").is_file());
}
