//! `bantin new`: a sample site that checks clean and builds (in this
//! process), refusals that leave everything as it was, and sample files
//! that explain themselves.

use std::fs;
use std::path::Path;

use crate::common::{bantin, stderr, stdout, tree};

fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn a_new_site_checks_clean_and_builds() {
    let t = tmp();
    let o = bantin(t.path(), &["new", "tinh/trang-moi"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("content/site.yaml"), "{out}");
    assert!(out.contains("cd tinh/trang-moi"), "{out}");
    assert!(
        out.contains("bantin serve") && out.contains("bantin build"),
        "{out}"
    );
    // The guides come with the site: whoever has only the program has them.
    let site = t.path().join("tinh/trang-moi");
    for guide in [
        "huong-dan.md",
        "mau-trang.md",
        "ma-loi.md",
        "chi-muc-tim-kiem.md",
    ] {
        let copy = fs::read_to_string(site.join("huong-dan").join(guide))
            .unwrap_or_else(|e| panic!("{guide}: {e}"));
        let source = fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("docs")
                .join(guide),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(copy, source, "{guide}");
    }
    assert!(out.contains("huong-dan/huong-dan.md"), "{out}");
    assert!(
        !out.contains("docs/"),
        "no pointer to a folder the user lacks: {out}"
    );

    let site = t.path().join("tinh/trang-moi");
    // Nothing left beside it.
    let beside: Vec<String> = fs::read_dir(t.path().join("tinh"))
        .unwrap_or_else(|e| panic!("{e}"))
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(beside, ["trang-moi"]);

    // Checked and built in this process: no problem at all.
    let checked = crate::common::check(&site);
    assert!(checked.printed.is_empty(), "{}", checked.text());
    let built = crate::common::build(&site, false);
    built.assert_built();
    assert!(built.printed.is_empty(), "{}", built.text());
    let home = built.read("index.html");
    assert!(
        home.contains("số liệu minh họa"),
        "the home page says the figures are illustrative"
    );
    for page in [
        "ban-tin/2026/quy-1/index.html",
        "ban-tin/2026/quy-2/index.html",
    ] {
        assert!(built.read(page).contains("Kế hoạch số 15-KH/TU"), "{page}");
    }
    let q1 = built.read("ban-tin/2026/quy-1/index.html");
    assert!(
        q1.contains("Nhận định của Ban Biên tập"),
        "the editorial is in the bulletin"
    );
}

#[test]
fn an_occupied_folder_is_refused_and_left_as_it_was() {
    let t = tmp();
    let dir = t.path().join("cua-toi");
    fs::create_dir_all(dir.join("content")).unwrap_or_else(|e| panic!("{e}"));
    fs::write(dir.join("content/site.yaml"), "title: của tôi\n").unwrap_or_else(|e| panic!("{e}"));
    fs::write(dir.join("ghi-chu.txt"), "đừng xóa").unwrap_or_else(|e| panic!("{e}"));
    let before = tree(t.path());

    let o = bantin(t.path(), &["new", "cua-toi"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("đã có tệp"), "{}", stderr(&o));
    assert!(stdout(&o).is_empty());
    assert_eq!(tree(t.path()), before);

    // A file is not a folder.
    let o = bantin(t.path(), &["new", "cua-toi/ghi-chu.txt"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("không phải thư mục"), "{}", stderr(&o));
    assert_eq!(tree(t.path()), before);
}

#[test]
fn an_empty_folder_is_accepted() {
    let t = tmp();
    let o = bantin(t.path(), &["new", "."]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(t.path().join("content/units.yaml").is_file());
    assert!(t.path().join("templates").is_dir() && t.path().join("static").is_dir());
}

/// A line that sets a key: `key: value`, `- key: value` or `key:`.
fn key_line(line: &str) -> bool {
    let s = line.trim_start();
    let s = s.strip_prefix("- ").unwrap_or(s);
    let key: String = s
        .chars()
        .take_while(|c| c.is_ascii_lowercase() || *c == '_')
        .collect();
    !key.is_empty() && s[key.len()..].starts_with(':')
}

/// Share of key lines explained by a comment at the end of the line or on
/// the line above.
fn commented_share(text: &str) -> (usize, usize) {
    let mut keys = 0;
    let mut commented = 0;
    let mut previous_is_comment = false;
    for line in text.lines() {
        let is_comment = line.trim_start().starts_with('#');
        if !is_comment && key_line(line) {
            keys += 1;
            if line.contains(" #") || previous_is_comment {
                commented += 1;
            }
        }
        previous_is_comment = is_comment;
    }
    (commented, keys)
}

fn yaml_of(path: &Path, text: &str) -> Option<String> {
    match path.extension().and_then(|e| e.to_str()) {
        Some("yaml") => Some(text.to_owned()),
        // An article's front matter is YAML too.
        Some("md") if text.starts_with("---") => text
            .get(3..)
            .and_then(|rest| rest.split_once("\n---"))
            .map(|(front, _)| front.to_owned()),
        _ => None,
    }
}

#[test]
fn every_yaml_file_explains_its_keys() {
    let t = tmp();
    let o = bantin(t.path(), &["new", "trang"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut seen = 0;
    for (rel, bytes) in tree(&t.path().join("trang")) {
        let text = String::from_utf8(bytes).unwrap_or_else(|e| panic!("{}: {e}", rel.display()));
        let Some(yaml) = yaml_of(&rel, &text) else {
            continue;
        };
        seen += 1;
        let first = yaml.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
        assert!(
            first.starts_with('#'),
            "{}: opens with a comment saying what the file is",
            rel.display()
        );
        let (commented, keys) = commented_share(&yaml);
        assert!(keys > 0, "{}", rel.display());
        assert!(
            commented * 10 >= keys * 9,
            "{}: {commented} of {keys} key lines have a comment",
            rel.display()
        );
    }
    // site, units, a plan, two quarters, two articles.
    assert_eq!(seen, 7);
}

#[test]
fn the_key_line_counter_counts() {
    assert_eq!(
        commented_share("a: 1\nb: 2 # hai\n# ba\nc: 3\n  - unit: x\n"),
        (2, 4)
    );
    assert!(!key_line("# title: x"));
    assert!(!key_line("Text: không phải khóa"));
}
