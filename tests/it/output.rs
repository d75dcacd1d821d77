//! What a build prints and where it writes: a summary line, no colour or
//! bar outside a terminal, nothing with --quiet; static files that would
//! take the place of what bantin writes, refused with their names.

use std::fs;
use std::path::Path;

use crate::common::{bantin, bantin_with, copy_tree, fixtures, site_with, stderr, stdout};

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

/// The line of `err` that starts with `prefix`.
fn line_starting<'a>(err: &'a str, prefix: &str) -> &'a str {
    err.lines()
        .find(|l| l.starts_with(prefix))
        .unwrap_or_else(|| panic!("no line starting with {prefix:?} in:\n{err}"))
}

fn write(site: &Path, rel: &str, text: &str) {
    let path = site.join(rel);
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).unwrap_or_else(|e| panic!("{e}"));
    }
    fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
}

/// Nothing written: no output folder, no staging folder beside it.
fn assert_nothing_written(site: &Path) {
    let names: Vec<String> = fs::read_dir(site)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        !names.iter().any(|n| n.contains("output")),
        "written: {names:?}"
    );
}

#[test]
fn a_static_file_in_the_place_of_a_page_or_the_feed_is_named_with_what_it_collides_with() {
    let cases = [
        ("static/index.html", "với trang chủ (/)"),
        ("static/feed.xml", "với nguồn tin RSS do bantin tạo"),
        ("static/tin-tuc/index.html", "với trang /tin-tuc/"),
    ];
    for (rel, other) in cases {
        let site = site_with(None);
        write(site.path(), rel, "<p>trang tự viết</p>");
        // Found by the check, before anything is written.
        for command in ["check", "build"] {
            let out = bantin(site.path(), &[command]);
            let err = stderr(&out);
            assert_eq!(out.status.code(), Some(1), "{command} {rel}: {err}");
            let line = line_starting(&err, &format!("{rel}:1:1: error[E306]: "));
            let path = rel.trim_start_matches("static/");
            assert!(
                line.contains(&format!("trùng đường dẫn '{path}' {other}")),
                "{line}"
            );
            let hint = line.split_once(" — ").map_or("", |(_, h)| h);
            assert!(
                hint.contains("đổi tên hoặc chuyển tệp này trong static/"),
                "{line}"
            );
            assert!(!err.contains("hai tệp cùng ghi"), "{err}");
            assert_nothing_written(site.path());
        }
    }

    // All at once: every one named, not only the first.
    let site = site_with(None);
    for (rel, _) in cases {
        write(site.path(), rel, "x");
    }
    let out = bantin(site.path(), &["check"]);
    let err = stderr(&out);
    assert_eq!(
        err.lines().filter(|l| l.contains("error[E306]")).count(),
        3,
        "{err}"
    );
    assert!(err.contains("3 lỗi, 0 cảnh báo."), "{err}");
}

#[test]
fn a_static_file_where_bantin_needs_a_folder_is_named_and_a_theme_asset_may_be_replaced() {
    let site = site_with(None);
    // A file named like the folder of the articles, a file inside the
    // folder the feed would need, a theme style sheet of the site's own.
    write(site.path(), "static/tin-tuc", "x");
    write(site.path(), "static/feed.xml/ghi-chu.txt", "x");
    write(site.path(), "static/assets/bantin.css", "body{}");
    let out = bantin(site.path(), &["check"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    let line = line_starting(&err, "static/tin-tuc:1:1: error[E306]: ");
    assert!(
        line.contains("trùng tên với thư mục 'tin-tuc/', nơi bantin ghi trang /tin-tuc/"),
        "{line}"
    );
    let line = line_starting(&err, "static/feed.xml/ghi-chu.txt:1:1: error[E306]: ");
    assert!(
        line.contains("nằm trong thư mục 'feed.xml/', nhưng 'feed.xml' là nguồn tin RSS"),
        "{line}"
    );
    assert!(!err.contains("static/assets"), "{err}");
    assert!(err.contains("2 lỗi, 0 cảnh báo."), "{err}");

    fs::remove_file(site.path().join("static/tin-tuc")).unwrap_or_else(|e| panic!("{e}"));
    fs::remove_dir_all(site.path().join("static/feed.xml")).unwrap_or_else(|e| panic!("{e}"));
    let out = bantin(site.path(), &["build", "--quiet"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        fs::read_to_string(site.path().join("output/assets/bantin.css"))
            .ok()
            .as_deref(),
        Some("body{}")
    );
}
