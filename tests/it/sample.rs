//! The sample site in content/ and the base fixture build and check clean,
//! in this process; the output does not depend on scheduling nor on how
//! the source files were saved.

use std::path::Path;

use crate::common::{self, Built, copy_tree, site_with, tree};

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn the_sample_checks_clean() {
    let checked = common::check(repo());
    assert!(!checked.has_errors, "{}", checked.text());
    assert!(checked.errors().is_empty(), "{}", checked.text());
}

#[test]
fn the_sample_builds_every_page_kind() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    copy_tree(&repo().join("content"), &tmp.path().join("content"));
    let built = common::build(tmp.path(), false);
    built.assert_built();
    for page in [
        "index.html",
        "404.html",
        "ban-tin/index.html",
        "ban-tin/2023/quy-1/index.html",
        "thong-ke/index.html",
        "thong-ke/2023/quy-1/index.html",
        "thong-ke/2023/index.html",
        "ke-hoach/index.html",
        "ke-hoach/366-kh-tu-2023/index.html",
        "don-vi/index.html",
        "tin-tuc/index.html",
        "chu-de/index.html",
        "tim-kiem/index.html",
    ] {
        assert!(built.files.contains_key(page), "missing {page}");
    }
}

/// Builds `root` with rendering spread over `threads` threads, however
/// many cores the machine has.
fn build_on(threads: usize, root: &Path) -> Built {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap_or_else(|e| panic!("{e}"))
        .install(|| common::build(root, false))
}

#[test]
fn the_base_fixture_builds_and_two_builds_are_identical() {
    let site = site_with(None);
    // One thread, then four: output must not depend on scheduling.
    let a = build_on(1, site.path());
    a.assert_built();
    let b = build_on(4, site.path());
    b.assert_built();
    assert_eq!(
        a.files.keys().collect::<Vec<_>>(),
        b.files.keys().collect::<Vec<_>>()
    );
    assert!(a.files == b.files, "two builds differ");
    assert!(a.files.len() > 50, "{} files", a.files.len());
}

/// Files saved with a byte-order mark, Windows line ends and decomposed
/// Vietnamese (NFD, as some macOS tools write it) give the same site.
#[test]
fn bom_crlf_and_nfd_give_the_same_bytes() {
    use unicode_normalization::UnicodeNormalization;
    let plain = site_with(None);
    let messy = site_with(None);
    let mut rewritten = 0;
    for (rel, bytes) in tree(&messy.path().join("content")) {
        let is_text = rel.extension().is_some_and(|e| e == "yaml" || e == "md");
        if !is_text {
            continue;
        }
        let text = String::from_utf8(bytes).unwrap_or_else(|e| panic!("{e}"));
        let nfd: String = text.nfd().collect();
        let crlf = nfd.replace('\n', "\r\n");
        let mut out = b"\xEF\xBB\xBF".to_vec();
        out.extend(crlf.as_bytes());
        std::fs::write(messy.path().join("content").join(&rel), out)
            .unwrap_or_else(|e| panic!("{e}"));
        rewritten += 1;
    }
    assert!(rewritten > 10);
    let a = common::build(plain.path(), false);
    let b = common::build(messy.path(), false);
    a.assert_built();
    b.assert_built();
    let differing: Vec<_> = a
        .files
        .iter()
        .filter(|(k, v)| b.files.get(*k) != Some(v))
        .map(|(k, _)| k)
        .collect();
    assert!(
        differing.is_empty() && a.files.len() == b.files.len(),
        "differ: {differing:?}"
    );
}
