//! Warnings are printed but do not stop the build: the warnings fixture,
//! built in this process, gives each warning at its place and every file;
//! the binary prints them, exits 0 and publishes the site.

use crate::common::{self, bantin, fixtures, site_with, stderr};

#[test]
fn warnings_are_printed_and_the_site_is_built() {
    let site = site_with(Some(&fixtures().join("warnings")));
    let built = common::build(site.path(), false);
    let text = built.text();
    built.assert_built();
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
            built.warnings().iter().any(|l| l.starts_with(expected)),
            "no {expected} in:\n{text}"
        );
    }
    assert!(built.errors().is_empty(), "{text}");
    // A drawing without script is not warned about; both are published.
    assert!(!text.contains("hinh-ve.svg"), "{text}");
    for file in [
        "media/2023/hinh-ve.svg",
        "media/2023/so-do.svg",
        "index.html",
        "trang-cu.html",
    ] {
        assert!(built.files.contains_key(file), "{file} is not published");
    }
}

#[test]
fn the_binary_prints_the_warnings_and_exits_0() {
    let site = site_with(Some(&fixtures().join("warnings")));
    let in_process = common::check(site.path());
    let out = bantin(site.path(), &["build"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    let printed: Vec<&str> = err.lines().filter(|l| l.contains(": warning[")).collect();
    assert_eq!(printed, in_process.warnings(), "{err}");
    let counted = format!("0 lỗi, {} cảnh báo.", printed.len());
    assert!(
        err.lines().any(|l| l == counted),
        "no {counted:?} in:\n{err}"
    );
    assert!(site.path().join("output/index.html").is_file());
    assert!(site.path().join("output/media/2023/so-do.svg").is_file());
}

/// W505 for namesakes says they are two units, and whether the pages tell
/// them apart: by parent or dates, or not at all.
#[test]
fn namesakes_are_two_units_told_apart_by_parent_or_dates() {
    let site = site_with(None);
    let units = site.path().join("content/units.yaml");
    let mut text = std::fs::read_to_string(&units).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(text.lines().count(), 20, "{text}");
    // From line 21.
    text.push_str(concat!(
        "  - id: hung-dao\n",
        "    name: Đảng bộ xã Hưng Đạo\n",
        "    parent: ngan-son\n",
        "  - id: xa-hung-dao\n",
        "    name: Đảng bộ xã Hưng Đạo\n",
        "    active_from: 2024-02-01\n",
        "  - id: hung-dao-2\n",
        "    name: Đảng bộ xã Hưng Đạo\n",
        "    active_from: 2024-02-01\n",
        "  - id: son-ha\n",
        "    name: Đảng bộ xã Sơn Hà\n",
        "  - id: son-ha-2\n",
        "    name: Đảng bộ xã Sơn Hạ\n",
    ));
    std::fs::write(&units, text).unwrap_or_else(|e| panic!("{e}"));
    let built = common::check(site.path());
    let text = built.text();
    let w505: Vec<&str> = built
        .warnings()
        .into_iter()
        .filter(|l| l.contains("[W505]"))
        .collect();
    assert_eq!(
        w505,
        [
            "content/units.yaml:25:11: warning[W505]: đơn vị 'xa-hung-dao' và đơn vị 'hung-dao' (dòng 22) \
             là hai đơn vị khác nhau cùng tên 'Đảng bộ xã Hưng Đạo' — các trang ghi kèm cấp trên hoặc \
             thời gian hoạt động để phân biệt, như \"Đảng bộ xã Hưng Đạo (huyện Bảo Lạc, đến 30/06/2025)\"; \
             nếu đúng là hai đơn vị thì bỏ qua cảnh báo này, nếu là một đơn vị thì chỉ khai báo một lần",
            "content/units.yaml:28:11: warning[W505]: đơn vị 'hung-dao-2' và đơn vị 'xa-hung-dao' (dòng 25) \
             là hai đơn vị khác nhau cùng tên 'Đảng bộ xã Hưng Đạo' — hai đơn vị cùng cấp trên, cùng thời \
             gian hoạt động nên các trang không phân biệt được: đặt cho mỗi đơn vị một tên riêng; nếu là \
             một đơn vị thì chỉ khai báo một lần",
            "content/units.yaml:33:11: warning[W505]: tên 'Đảng bộ xã Sơn Hạ' bỏ dấu thì giống tên \
             'Đảng bộ xã Sơn Hà' của đơn vị 'son-ha' (dòng 31) — nếu đúng là hai đơn vị khác nhau thì bỏ \
             qua cảnh báo này; nếu là một đơn vị thì chỉ khai báo một lần, với một mã",
        ],
        "{text}"
    );
    assert!(!text.contains("trùng"), "{text}");
}
