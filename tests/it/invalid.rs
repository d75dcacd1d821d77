//! Every folder of tests/fixtures/invalid/ is the base site with one defect
//! and has a test of its own, named after it (`invalid::fixture::yaml_tab`
//! for `yaml-tab/`). Built in this process, the site is refused with
//! exactly the diagnostics listed in the folder's `expected` file
//! (FILE:LINE:COL: error[CODE]) — what `bantin` prints is their Display —
//! nothing is written into the site folder, the check agrees, and nothing
//! printed is English or a Rust debug form.
//!
//! A few of them also go through the binary, for what the command line
//! adds: exit status 1, the same diagnostics on stderr and their count, an
//! existing output folder left byte-identical, nothing left beside it.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use crate::common::{self, bantin, fixtures, previous_output, site_with, stderr, stdout, tree};

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

fn folder(name: &str) -> PathBuf {
    fixtures().join("invalid").join(name)
}

/// The error heads a fixture's `expected` file lists.
fn expected(case: &Path) -> BTreeSet<String> {
    let name = case.display();
    let expected: BTreeSet<String> = fs::read_to_string(case.join("expected"))
        .unwrap_or_else(|e| panic!("{name}/expected: {e}"))
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_owned)
        .collect();
    assert!(!expected.is_empty(), "{name}: empty expected");
    expected
}

/// The test of one fixture, in this process.
fn refused(name: &str) {
    let case = folder(name);
    let expected = expected(&case);
    let site = site_with(Some(&case));
    // Everything in the site folder, to prove nothing is written anywhere.
    let before = tree(site.path());

    let built = common::build(site.path(), false);
    let text = built.text();
    assert!(
        before == tree(site.path()),
        "{name}: the build wrote into the site folder"
    );
    if let Some(word) = FOREIGN.iter().find(|w| text.contains(*w)) {
        panic!("{name}: {word:?} in what the user sees:\n{text}");
    }
    assert!(
        built.has_errors && built.pages.is_none() && built.failed.is_none(),
        "{name}: not refused (pages {:?}, failed {:?}):\n{text}",
        built.pages,
        built.failed
    );
    assert_eq!(error_heads(&text), expected, "{name}:\n{text}");

    let checked = common::check(site.path());
    assert!(
        checked.has_errors && error_heads(&checked.text()) == expected,
        "{name}: check disagrees with build:\n{}",
        checked.text()
    );
}

/// One test per folder of tests/fixtures/invalid/, named after it with
/// `_` for `-`; [`every_invalid_folder_has_its_test`] keeps the list whole.
macro_rules! fixtures {
    ($($name:ident)*) => {
        /// The folders the tests below are for.
        const FOLDERS: &[&str] = &[$(stringify!($name)),*];

        mod fixture {
            $(
                #[test]
                fn $name() {
                    super::refused(&stringify!($name).replace('_', "-"));
                }
            )*
        }
    };
}

fixtures! {
    alias_bomb
    article_without_date
    article_without_title
    bad_article_date
    bad_base_url
    bad_date
    body_control_char
    body_noncharacter
    count_exponent
    count_hexadecimal
    count_infinite
    count_leading_zero
    count_not_a_number
    count_too_many_digits
    deep_nesting
    duplicate_article_slug
    duplicate_key
    duplicate_plan
    duplicate_quota
    duplicate_row
    duplicate_unit_id
    editorial_control_char
    empty_title
    folder_differs_only_in_case
    foreign_image
    fractional_count
    front_matter_missing
    front_matter_unclosed
    id_too_long
    id_with_nul
    image_written_as_url
    link_path_escape
    link_to_missing_page
    link_with_unencoded_hash
    malformed_symbol
    media_path_absolute
    media_path_escape
    media_reserved_name
    misnamed_results_file
    missing_admitted
    missing_image
    missing_image_in_body
    missing_key
    missing_site_yaml
    name_differs_only_in_case
    name_with_control
    negative_count
    not_utf8
    of_whom_above_admitted
    orphan_editorial
    parent_cycle
    pasted_from_word
    path_like_id
    plan_of_another_year
    plan_symbol_in_state_form
    plan_year_mismatch
    quarter_mismatch
    quarter_out_of_range
    quota_unit_not_yet_active
    quota_unknown_unit
    raw_html_broken_links
    report_bad_symbol
    report_missing_signer
    slug_absolute
    slug_collides_with_pagination
    slug_reserved
    slug_with_dots
    static_file_where_a_folder_is
    static_in_search_index
    static_over_article_list
    static_over_feed
    static_over_home
    successor_inactive
    symlink_outside
    tag_windows_name
    tags_collide
    template_circular_extends
    template_circular_include
    template_component_twice
    template_division_by_zero
    template_error
    template_missing_argument
    template_missing_parent
    template_range_too_large
    template_recursion
    template_self_include
    terms_overlap
    template_theme_component
    template_type_error
    template_unclosed
    template_undefined_variable
    template_unknown_block
    template_unknown_filter
    template_unknown_function
    template_unknown_template
    template_wrong_argument
    title_windows_name
    titles_collide_after_slug
    unit_inactive
    unit_written_by_name
    unknown_key
    unknown_plan
    unknown_unit
    windows_reserved_id
    wrong_type_map_for_list
    wrong_type_quoted_number
    yaml_multiple_documents
    yaml_syntax
    yaml_tab
    yaml_tag_bool
    year_mismatch
}

/// The fixture folders on disk.
fn folders_on_disk() -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(fixtures().join("invalid"))
        .unwrap_or_else(|e| panic!("{e}"))
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn every_invalid_folder_has_its_test() {
    let listed: BTreeSet<String> = FOLDERS.iter().map(|n| n.replace('_', "-")).collect();
    let on_disk: BTreeSet<String> = folders_on_disk().into_iter().collect();
    let untested: Vec<_> = on_disk.difference(&listed).collect();
    assert!(
        untested.is_empty(),
        "fixtures without a test: {untested:?}; add each to `fixtures!` in tests/it/invalid.rs,          named with '_' for '-'"
    );
    let gone: Vec<_> = listed.difference(&on_disk).collect();
    assert!(gone.is_empty(), "tests without a fixture folder: {gone:?}");
}

/// Every error code a content problem can have is exercised by some
/// fixture (each fixture's test proves its `expected` is what is found).
#[test]
fn every_error_code_has_an_invalid_fixture() {
    let folders = folders_on_disk();
    assert!(
        folders.len() >= 30,
        "only {} invalid fixtures",
        folders.len()
    );
    let mut codes = BTreeSet::new();
    for name in &folders {
        for e in expected(&folder(name)) {
            if let Some(code) = e.split("error[").nth(1) {
                codes.insert(code.trim_end_matches(']').to_owned());
            }
        }
    }
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
    common::record_count("invalid inputs tried", folders.len());
}
/// Fixtures refused at each step of a build: while loading, by the checks,
/// for a static file in a page's place, while compiling the templates, and
/// while rendering (after the new site began to be written beside the
/// output folder).
const THROUGH_THE_BINARY: &[&str] = &[
    "yaml-syntax",
    "unknown-unit",
    "static-over-home",
    "template-unclosed",
    "template-division-by-zero",
    "link-to-missing-page",
];

#[test]
fn the_binary_exits_1_prints_the_diagnostics_and_keeps_the_output_byte_identical() {
    for name in THROUGH_THE_BINARY {
        let case = folder(name);
        let expected = expected(&case);
        let site = site_with(Some(&case));
        let output = previous_output(site.path());
        let before = tree(site.path());

        let built = bantin(site.path(), &["build"]);
        let err = stderr(&built);
        assert_eq!(built.status.code(), Some(1), "{name}:\n{err}");
        assert!(!err.contains("panicked"), "{name}:\n{err}");
        assert_eq!(error_heads(&err), expected, "{name}:\n{err}");
        if let Some(word) = FOREIGN.iter().find(|w| err.contains(*w)) {
            panic!("{name}: {word:?} in what the user sees:\n{err}");
        }
        // Printed as the library has them, then counted.
        let in_process = common::check(site.path());
        for line in &in_process.printed {
            assert!(
                err.lines().any(|l| l == line),
                "{name}: {line:?} not printed:\n{err}"
            );
        }
        let counted = format!(
            "{} lỗi, {} cảnh báo.",
            in_process.errors().len(),
            in_process.warnings().len()
        );
        assert!(
            err.lines().any(|l| l == counted),
            "{name}: no {counted:?} in:\n{err}"
        );
        assert!(
            err.contains("Chưa tạo trang vì nội dung có lỗi; thư mục ")
                && err.contains(" giữ nguyên."),
            "{name}:\n{err}"
        );
        assert_eq!(stdout(&built), "", "{name}");
        // The previous site, and everything else in the site folder, as it
        // was: no staging folder left beside it.
        assert!(
            output == tree(&site.path().join("output")),
            "{name}: the output folder changed"
        );
        assert!(
            before == tree(site.path()),
            "{name}: the site folder changed"
        );

        let checked = bantin(site.path(), &["check"]);
        let err = stderr(&checked);
        assert_eq!(checked.status.code(), Some(1), "{name}: check:\n{err}");
        assert_eq!(error_heads(&err), expected, "{name}: check:\n{err}");
    }
}

/// A unit written by its name gets the id to write, not a made-up one.
#[test]
fn a_unit_written_by_name_is_told_its_id() {
    let site = site_with(Some(&folder("unit-written-by-name")));
    let text = common::check(site.path()).text();
    assert!(
        text.contains(
            "'Đảng bộ huyện Ngân Sơn' là tên đơn vị; ở đây ghi mã (id) của đơn vị — unit: ngan-son"
        ),
        "{text}"
    );
    assert!(!text.contains("dang-bo-huyen"), "{text}");
}

/// Word's curly quotes are named, with the fix, where the parser would
/// only ask for quotes the line seems to have.
#[test]
fn curly_quotes_pasted_from_word_are_named() {
    let site = site_with(Some(&folder("pasted-from-word")));
    let text = common::check(site.path()).text();
    assert!(
        text.contains("dòng 2 có dấu ngoặc kép cong kiểu Word (U+201C, thường lẫn vào khi chép từ Word hay trang web) ở cột 8: YAML chỉ hiểu dấu ngoặc kép thẳng"),
        "{text}"
    );
}
