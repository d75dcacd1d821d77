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
        // a drawing with a script element, line 3 column 3
        "content/media/2023/so-do.svg:3:3: warning[W508]: tệp được chép nguyên lên trang nhưng chứa thẻ <script>",
        // a static page with an event attribute: `<body onload=`, column 7
        "static/trang-cu.html:3:7: warning[W508]: tệp được chép nguyên lên trang nhưng chứa thuộc tính sự kiện 'onload'",
    ] {
        assert!(
            err.lines().any(|l| l.starts_with(expected)),
            "no {expected} in:\n{err}"
        );
    }
    assert!(!err.contains("error["), "{err}");
    // A drawing without script is not warned about; both are published.
    assert!(!err.contains("hinh-ve.svg"), "{err}");
    assert!(site.path().join("output/media/2023/hinh-ve.svg").is_file());
    assert!(site.path().join("output/media/2023/so-do.svg").is_file());
    assert!(site.path().join("output/index.html").is_file());
}
