//! The sample site in content/ and the base fixture build and check clean.

use std::path::Path;

use crate::common::{bantin, bantin_with, copy_tree, fixtures, site_with, stderr, stdout, tree};

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn the_sample_checks_clean() {
    let out = bantin(repo(), &["check"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(!err.contains("error["), "{err}");
}

#[test]
fn the_sample_builds_every_page_kind() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    copy_tree(&repo().join("content"), &tmp.path().join("content"));
    let out = bantin(tmp.path(), &["build"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("Đã tạo"), "{}", stdout(&out));
    let site = tmp.path().join("output");
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
        assert!(site.join(page).is_file(), "missing {page}");
    }
}

#[test]
fn the_base_fixture_builds_and_two_builds_are_identical() {
    let site = site_with(None);
    let first = bantin(site.path(), &["build", "--quiet"]);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    let a = tree(&site.path().join("output"));
    // The second build on one thread: output must not depend on scheduling.
    let second = bantin_with(
        site.path(),
        &["build", "--quiet"],
        &[("RAYON_NUM_THREADS", "1")],
    );
    assert_eq!(second.status.code(), Some(0), "{}", stderr(&second));
    let b = tree(&site.path().join("output"));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    assert!(a == b, "two builds differ");
    let fixtures_dir = fixtures();
    assert!(fixtures_dir.join("base/content/site.yaml").exists());
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
    for site in [&plain, &messy] {
        let out = bantin(site.path(), &["build", "--quiet"]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    }
    let a = tree(&plain.path().join("output"));
    let b = tree(&messy.path().join("output"));
    let differing: Vec<_> = a
        .iter()
        .filter(|(k, v)| b.get(*k) != Some(v))
        .map(|(k, _)| k)
        .collect();
    assert!(
        differing.is_empty() && a.len() == b.len(),
        "differ: {differing:?}"
    );
}
