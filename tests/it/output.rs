//! What a build prints and where it writes: a summary line, no colour or
//! bar outside a terminal, nothing with --quiet; the files the library
//! makes, byte for byte, where --output says; mounted disks filled in
//! place. Static files that would take the place of what bantin writes are
//! refused with their names (checked in this process).

use std::fs;
use std::path::{Path, PathBuf};

use crate::common::{self, bantin, bantin_with, copy_tree, fixtures, site_with, stderr, stdout};

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

/// `bantin build SITE --output DIR --drafts`, run from elsewhere, writes
/// exactly the files the library builds with drafts, and its marker.
#[test]
fn the_binary_writes_what_the_library_builds_where_output_says() {
    let site = site_with(Some(&fixtures().join("override")));
    let elsewhere = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let target = elsewhere.path().join("ban-in");
    let out = bantin(
        elsewhere.path(),
        &[
            "build",
            &site.path().to_string_lossy(),
            "--output",
            "ban-in",
            "--drafts",
            "--quiet",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!site.path().join("output").exists(), "written elsewhere");
    let built = common::build(site.path(), true);
    built.assert_built();
    assert!(
        built
            .files
            .contains_key("tin-tuc/ban-nhap-chua-dang/index.html")
    );
    let mut want: std::collections::BTreeMap<PathBuf, Vec<u8>> = built
        .files
        .iter()
        .map(|(path, bytes)| (PathBuf::from(path), bytes.clone()))
        .collect();
    // Folders, as `tree` lists them, and the marker.
    for path in built.files.keys() {
        let mut dir = Path::new(path).parent();
        while let Some(d) = dir.filter(|d| !d.as_os_str().is_empty()) {
            want.insert(d.join(""), Vec::new());
            dir = d.parent();
        }
    }
    want.insert(PathBuf::from(".bantin-output"), b"bantin\n".to_vec());
    let got = common::tree(&target);
    let differing: Vec<_> = want
        .keys()
        .chain(got.keys())
        .filter(|k| want.get(*k) != got.get(*k))
        .collect();
    assert!(differing.is_empty(), "differ: {differing:?}");
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

#[test]
fn a_static_file_in_the_place_of_a_page_or_the_feed_is_named_with_what_it_collides_with() {
    let cases = [
        ("static/index.html", "với trang chủ (/)"),
        ("static/feed.xml", "với nguồn tin Atom do bantin tạo"),
        ("static/rss.xml", "với nguồn tin RSS do bantin tạo"),
        ("static/tin-tuc/index.html", "với trang /tin-tuc/"),
    ];
    for (rel, other) in cases {
        let site = site_with(None);
        write(site.path(), rel, "<p>trang tự viết</p>");
        // Found by the check, before anything is rendered.
        for (command, found) in [
            ("check", common::check(site.path())),
            ("build", common::build(site.path(), false)),
        ] {
            let err = found.text();
            assert!(found.has_errors, "{command} {rel}: {err}");
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
            assert!(found.failed.is_none() && found.files.is_empty(), "{err}");
        }
    }

    // All at once: every one named, not only the first.
    let site = site_with(None);
    for (rel, _) in cases {
        write(site.path(), rel, "x");
    }
    let checked = common::check(site.path());
    let err = checked.text();
    assert_eq!(checked.errors().len(), cases.len(), "{err}");
    assert!(
        checked.errors().iter().all(|l| l.contains("error[E306]")),
        "{err}"
    );
    assert!(checked.warnings().is_empty(), "{err}");
}

#[test]
fn a_static_file_where_bantin_needs_a_folder_is_named_and_a_theme_asset_may_be_replaced() {
    let site = site_with(None);
    // A file named like the folder of the articles, a file inside the
    // folder the feed would need, a theme style sheet of the site's own.
    write(site.path(), "static/tin-tuc", "x");
    write(site.path(), "static/feed.xml/ghi-chu.txt", "x");
    write(site.path(), "static/assets/bantin.css", "body{}");
    let checked = common::check(site.path());
    let err = checked.text();
    assert!(checked.has_errors, "{err}");
    let line = line_starting(&err, "static/tin-tuc:1:1: error[E306]: ");
    assert!(
        line.contains("trùng tên với thư mục 'tin-tuc/', nơi bantin ghi trang /tin-tuc/"),
        "{line}"
    );
    let line = line_starting(&err, "static/feed.xml/ghi-chu.txt:1:1: error[E306]: ");
    assert!(
        line.contains("nằm trong thư mục 'feed.xml/', nhưng 'feed.xml' là nguồn tin Atom"),
        "{line}"
    );
    assert!(!err.contains("static/assets"), "{err}");
    assert_eq!(checked.errors().len(), 2, "{err}");
    assert!(checked.warnings().is_empty(), "{err}");

    fs::remove_file(site.path().join("static/tin-tuc")).unwrap_or_else(|e| panic!("{e}"));
    fs::remove_dir_all(site.path().join("static/feed.xml")).unwrap_or_else(|e| panic!("{e}"));
    let built = common::build(site.path(), false);
    built.assert_built();
    assert_eq!(built.bytes("assets/bantin.css"), b"body{}");
}

/// A tmpfs mounted for a test, unmounted when dropped.
struct Mounted(std::path::PathBuf);

impl Drop for Mounted {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg("-l")
            .arg(&self.0)
            .status();
    }
}

/// Mounts a small tmpfs at `at` (made if missing), or says why the test
/// is skipped: mounting needs root.
fn mount_tmpfs(at: &Path, options: &str) -> Option<Mounted> {
    fs::create_dir_all(at).unwrap_or_else(|e| panic!("{e}"));
    let mounted = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", options, "tmpfs"])
        .arg(at)
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if mounted {
        Some(Mounted(at.to_path_buf()))
    } else {
        eprintln!("skipped: mounting a tmpfs is not permitted here (needs root)");
        None
    }
}

fn device(path: &Path) -> u64 {
    use std::os::unix::fs::MetadataExt;
    fs::metadata(path)
        .map(|m| m.dev())
        .unwrap_or_else(|e| panic!("{e}"))
}

/// `bantin build --output /media/usb` onto an empty mounted disk: filled in
/// place, replaced in place by the next build, what the disk's file system
/// keeps at its root left alone, and the same files as any other build.
#[test]
fn an_empty_mounted_disk_is_filled_in_place() {
    let site = site_with(None);
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let usb = tmp.path().join("usb");
    let Some(_mounted) = mount_tmpfs(&usb, "size=64m") else {
        return;
    };
    assert_ne!(device(&usb), device(tmp.path()), "a mount point");
    fs::create_dir(usb.join("lost+found")).unwrap_or_else(|e| panic!("{e}"));
    let usb_arg = usb.to_string_lossy().into_owned();

    for title in ["Bản một", "Bản hai"] {
        let config = site.path().join("content/site.yaml");
        let text = fs::read_to_string(&config).unwrap_or_else(|e| panic!("{e}"));
        let rest: Vec<&str> = text.lines().filter(|l| !l.starts_with("title:")).collect();
        fs::write(&config, format!("title: {title}\n{}\n", rest.join("\n")))
            .unwrap_or_else(|e| panic!("{e}"));

        let out = bantin(site.path(), &["build", "--output", &usb_arg]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(0), "{err}");
        assert!(
            stdout(&out).contains("(đã ghi hết xuống ổ đĩa, có thể tháo ổ ra)"),
            "{}",
            stdout(&out)
        );
        // The same files as a build into an ordinary folder.
        let reference = tmp.path().join("tham-chieu");
        let out = bantin(
            site.path(),
            &["build", "--quiet", "--output", &reference.to_string_lossy()],
        );
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let mut want = crate::common::tree(&reference);
        want.insert(Path::new("lost+found").join(""), Vec::new());
        assert_eq!(crate::common::tree(&usb), want, "{title}");
        let index = fs::read_to_string(usb.join("index.html")).unwrap_or_default();
        assert!(index.contains(title), "{title}");
    }
    assert_ne!(device(&usb), device(tmp.path()), "still mounted");
}

/// A mounted disk with someone's files is refused as any folder is; a
/// read-only one is named so, in Vietnamese.
#[test]
fn a_mounted_disk_with_files_or_read_only_is_refused_in_vietnamese() {
    let site = site_with(None);
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let usb = tmp.path().join("usb");
    let Some(_mounted) = mount_tmpfs(&usb, "size=16m") else {
        return;
    };
    fs::write(usb.join("bao-cao.docx"), "của người khác").unwrap_or_else(|e| panic!("{e}"));
    let out = bantin(site.path(), &["build", "--output", &usb.to_string_lossy()]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("đã có tệp không phải do bantin tạo"), "{err}");
    assert_eq!(
        crate::common::tree(&usb).into_keys().collect::<Vec<_>>(),
        vec![Path::new("bao-cao.docx").to_path_buf()]
    );

    let read_only = tmp.path().join("chi-doc");
    let Some(_mounted) = mount_tmpfs(&read_only, "size=16m,ro") else {
        return;
    };
    let out = bantin(
        site.path(),
        &["build", "--output", &read_only.to_string_lossy()],
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("ổ đĩa chỉ cho đọc"), "{err}");
    assert!(err.contains("giữ nguyên"), "{err}");
    assert!(!err.contains("os error"), "{err}");
    assert!(!err.contains("Read-only"), "{err}");
}

fn set_title(site: &Path, title: &str) {
    let config = site.join("content/site.yaml");
    let text = fs::read_to_string(&config).unwrap_or_else(|e| panic!("{e}"));
    let rest: Vec<&str> = text.lines().filter(|l| !l.starts_with("title:")).collect();
    fs::write(&config, format!("title: {title}\n{}\n", rest.join("\n")))
        .unwrap_or_else(|e| panic!("{e}"));
}

/// bantin's working names inside a disk filled in place.
fn is_working_name(path: &Path) -> bool {
    path.components().next().is_some_and(|c| {
        let name = c.as_os_str().to_string_lossy();
        name.starts_with(".bantin-new-")
            || name.starts_with(".bantin-old-")
            || name.starts_with(".bantin-swap")
    })
}

/// A build into a mounted disk killed at moments spread over its writing
/// and moving: what is visible is the old site or the new one, whole, or —
/// when the kill fell among the moves and the journal remains — made only
/// of whole files of either; the next build finishes, leaving the new site
/// and nothing of bantin's own.
#[test]
fn a_build_into_a_mounted_disk_killed_at_any_moment_is_kept_or_finished() {
    let site = site_with(None);
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let usb = tmp.path().join("usb");
    let Some(_mounted) = mount_tmpfs(&usb, "size=64m") else {
        return;
    };
    let usb_arg = usb.to_string_lossy().into_owned();
    let versions = ["Bản A", "Bản B"];
    let mut expected = Vec::new();
    for (k, title) in versions.iter().enumerate() {
        set_title(site.path(), title);
        let reference = tmp.path().join(format!("tham-chieu-{k}"));
        let out = bantin(
            site.path(),
            &["build", "--quiet", "--output", &reference.to_string_lossy()],
        );
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        expected.push(crate::common::tree(&reference));
    }
    set_title(site.path(), versions[0]);
    let out = bantin(site.path(), &["build", "--quiet", "--output", &usb_arg]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));

    let mut current = 0;
    let mut mid_move = 0;
    // Milliseconds after the new folder appears; None: as soon as the
    // journal appears, when the moves begin.
    let moments = [
        Some(0u64),
        Some(2),
        Some(10),
        Some(40),
        Some(80),
        Some(160),
        None,
        None,
        None,
        None,
        None,
        None,
    ];
    for (step, moment) in moments.into_iter().enumerate() {
        let next = 1 - current;
        set_title(site.path(), versions[next]);
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_bantin"))
            .args(["build", "--quiet", "--output", &usb_arg])
            .current_dir(site.path())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("{e}"));
        // From the moment the new site starts being written inside.
        let staging = || {
            fs::read_dir(&usb)
                .into_iter()
                .flatten()
                .flatten()
                .any(|e| e.file_name().to_string_lossy().starts_with(".bantin-new-"))
        };
        let running = |child: &mut std::process::Child| child.try_wait().ok().flatten().is_none();
        match moment {
            Some(delay) => {
                while !staging() && running(&mut child) {
                    std::thread::sleep(std::time::Duration::from_millis(1));
                }
                std::thread::sleep(std::time::Duration::from_millis(delay));
            }
            None => {
                let journal = usb.join(".bantin-swap");
                // Busy, the moves taking well under a millisecond, but
                // yielding, so that on one core bantin still gets to run.
                // The deadline only guards against a hang.
                let started = std::time::Instant::now();
                while !journal.exists()
                    && running(&mut child)
                    && started.elapsed() < std::time::Duration::from_secs(600)
                {
                    std::thread::yield_now();
                }
            }
        }
        let _ = child.kill();
        let _ = child.wait();

        let visible: std::collections::BTreeMap<_, _> = crate::common::tree(&usb)
            .into_iter()
            .filter(|(p, _)| !is_working_name(p))
            .collect();
        if usb.join(".bantin-swap").exists() {
            mid_move += 1;
            for (path, bytes) in &visible {
                assert!(
                    expected[current].get(path) == Some(bytes)
                        || expected[next].get(path) == Some(bytes),
                    "step {step}: {} is neither version",
                    path.display()
                );
            }
        } else {
            assert!(
                visible == expected[current] || visible == expected[next],
                "step {step} ({moment:?}): the disk holds neither version whole"
            );
        }
        let out = bantin(site.path(), &["build", "--quiet", "--output", &usb_arg]);
        assert_eq!(out.status.code(), Some(0), "step {step}: {}", stderr(&out));
        assert_eq!(
            crate::common::tree(&usb),
            expected[next],
            "step {step}: the next build leaves the new site and nothing else"
        );
        current = next;
    }
    eprintln!("kills among the moves: {mid_move} of 12");
}
