//! What a build prints: a summary line, no colour or bar outside a
//! terminal, nothing with --quiet.

use crate::common::{bantin_with, copy_tree, fixtures, stderr, stdout};

#[test]
fn a_build_in_a_log_prints_plain_text_and_quiet_prints_nothing() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    copy_tree(&fixtures().join("base"), tmp.path());
    // Colour is decided by the terminal, not by NO_COLOR alone.
    let out = bantin_with(tmp.path(), &["build"], &[("NO_COLOR", "")]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out) + &stderr(&out);
    assert!(stdout(&out).starts_with("Đã tạo "), "{text}");
    assert!(
        !text.contains('\x1b'),
        "no escape codes outside a terminal: {text:?}"
    );
    assert!(
        !text.contains('\r'),
        "no bar redrawing outside a terminal: {text:?}"
    );

    let quiet = bantin_with(tmp.path(), &["build", "--quiet"], &[]);
    assert_eq!(quiet.status.code(), Some(0));
    assert_eq!(stdout(&quiet), "");
    assert_eq!(stderr(&quiet), "");
}
