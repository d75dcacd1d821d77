//! Atomic publishing, proven: a build killed with SIGKILL at any point
//! leaves the output folder either the previous site or the new one, whole;
//! a full disk or a folder without write permission fails cleanly and keeps
//! the previous site.
//!
//! The killed builds are of a province-sized site made by the benchmark's
//! generator, `../shared/bench/gen_site.py` beside the repository: that test
//! is ignored by `cargo test`, run by `.ci/run`, and skipped with a message
//! when the generator is not there.

use std::collections::BTreeMap;
use std::fs;
use std::hash::{DefaultHasher, Hasher};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{self, bantin, site_with, stderr};

/// One digest per file: comparing two trees of thousands of files this
/// way is fast, and any changed byte changes it.
fn digest(dir: &Path) -> BTreeMap<PathBuf, (u64, u64)> {
    let mut out = BTreeMap::new();
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, (u64, u64)>) {
        for e in fs::read_dir(dir).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                let bytes = fs::read(&p).unwrap_or_default();
                let mut h = DefaultHasher::new();
                h.write(&bytes);
                out.insert(
                    p.strip_prefix(root).unwrap_or(&p).to_path_buf(),
                    (bytes.len() as u64, h.finish()),
                );
            }
        }
    }
    walk(dir, dir, &mut out);
    out
}

/// When a kill is sent.
#[derive(Debug)]
enum Moment {
    /// After this fraction of a full build's time.
    After(f64),
    /// This long after the staging folder appears.
    Writing(Duration),
    /// As soon as the output folder shows the new version.
    AfterSwap,
}

/// The staging folders of a build in progress.
fn staging(site: &Path) -> Vec<String> {
    leftovers(site)
        .into_iter()
        .filter(|n| n.contains("-tmp-"))
        .collect()
}

/// Hidden folders an interrupted build leaves beside the output folder.
fn leftovers(site: &Path) -> Vec<String> {
    fs::read_dir(site)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".output.bantin-"))
        .collect()
}

fn set_title(site: &Path, title: &str) {
    let path = site.join("content/site.yaml");
    let text = fs::read_to_string(&path).unwrap_or_default();
    let rest: Vec<&str> = text.lines().filter(|l| !l.starts_with("title:")).collect();
    fs::write(&path, format!("title: {title}\n{}\n", rest.join("\n")))
        .unwrap_or_else(|e| panic!("{e}"));
}

/// Only against a hang: a kill is sent once a state is seen, or when the
/// build ends by itself, however slow the machine.
const HANG: Duration = Duration::from_secs(1200);

/// Waits until `done` holds or `child` has ended.
fn wait_until(child: &mut Child, done: impl Fn() -> bool) {
    let started = Instant::now();
    while !done() && child.try_wait().ok().flatten().is_none() && started.elapsed() < HANG {
        std::thread::sleep(Duration::from_millis(2));
    }
}

#[test]
#[ignore = "a large build: run by .ci/run with `cargo test --release -- --ignored`"]
fn killed_builds_leave_the_previous_or_the_new_site_whole() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let Some(site) = common::province_preset(tmp.path()) else {
        return;
    };

    // The two versions a build can publish, and how long a build takes.
    let versions = ["Bản A", "Bản B"];
    let mut expected = Vec::new();
    let mut full = Duration::ZERO;
    for (k, title) in versions.iter().enumerate() {
        set_title(&site, title);
        let out = tmp.path().join(format!("expected-{k}"));
        let started = Instant::now();
        let run = bantin(
            &site,
            &["build", "--quiet", "--output", &out.to_string_lossy()],
        );
        full = full.max(started.elapsed());
        assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
        expected.push(digest(&out));
    }
    let output = site.join("output");
    set_title(&site, versions[0]);
    assert_eq!(bantin(&site, &["build", "--quiet"]).status.code(), Some(0));

    // Kill at moments spread over a build, alternating the version asked for:
    // while loading and rendering (by elapsed time), while files are being
    // written (once the staging folder exists), and right after the swap
    // (while the old site is being removed).
    let moments = [
        Moment::After(0.1),
        Moment::After(0.3),
        Moment::After(0.5),
        Moment::After(0.7),
        Moment::Writing(Duration::ZERO),
        Moment::Writing(Duration::from_millis(30)),
        Moment::Writing(Duration::from_millis(100)),
        Moment::Writing(Duration::from_millis(250)),
        Moment::Writing(Duration::from_millis(500)),
        Moment::AfterSwap,
        Moment::After(0.9),
        Moment::AfterSwap,
    ];
    let mut survived = 0;
    let (mut kept_old, mut got_new) = (0, 0);
    for (step, moment) in moments.iter().enumerate() {
        let now = digest(&output);
        let current = expected
            .iter()
            .position(|e| *e == now)
            .unwrap_or_else(|| panic!("step {step}: output is neither version"));
        let next = 1 - current;
        set_title(&site, versions[next]);
        let mut child = Command::new(env!("CARGO_BIN_EXE_bantin"))
            .args(["build", "--quiet"])
            .current_dir(&site)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("{e}"));
        match moment {
            Moment::After(f) => std::thread::sleep(full.mul_f64(*f)),
            Moment::Writing(d) => {
                wait_until(&mut child, || !staging(&site).is_empty());
                std::thread::sleep(*d);
            }
            Moment::AfterSwap => {
                let title = versions[next];
                wait_until(&mut child, || {
                    fs::read_to_string(output.join("index.html")).is_ok_and(|t| t.contains(title))
                });
            }
        }
        let _ = child.kill();
        let _ = child.wait();
        let after = digest(&output);
        let which = expected.iter().position(|e| *e == after);
        assert!(
            which == Some(current) || which == Some(next),
            "step {step} ({moment:?}): output is a mix of versions or incomplete"
        );
        survived += 1;
        if which == Some(current) {
            kept_old += 1;
        } else {
            got_new += 1;
        }
    }
    // Both cases happened: kills landed before the swap and after it.
    assert!(
        kept_old > 0 && got_new > 0,
        "kept the old site {kept_old} times, the new {got_new} times"
    );
    // The next build removes what killed builds left beside the output folder.
    set_title(&site, versions[1]);
    assert_eq!(bantin(&site, &["build", "--quiet"]).status.code(), Some(0));
    assert_eq!(digest(&output), expected[1]);
    assert!(
        leftovers(&site).is_empty(),
        "left behind: {:?}",
        leftovers(&site)
    );
    crate::common::record_count("kills survived", survived);
}

/// Builds the base fixture once, then changes its title so that a second
/// build would publish something different.
fn site_with_previous_output() -> (tempfile::TempDir, BTreeMap<PathBuf, (u64, u64)>) {
    let site = site_with(None);
    assert_eq!(
        bantin(site.path(), &["build", "--quiet"]).status.code(),
        Some(0)
    );
    let before = digest(&site.path().join("output"));
    set_title(site.path(), "Tiêu đề mới");
    (site, before)
}

#[test]
fn a_full_disk_fails_cleanly_and_keeps_the_previous_site() {
    let (site, before) = site_with_previous_output();
    // A file-size limit makes writes fail as on a full disk (EFBIG instead of
    // ENOSPC), with no special file system needed.
    let mut command = Command::new(env!("CARGO_BIN_EXE_bantin"));
    command
        .args(["build", "--quiet"])
        .current_dir(site.path())
        .env("NO_COLOR", "1");
    // SAFETY: only async-signal-safe libc calls between fork and exec.
    unsafe {
        command.pre_exec(|| {
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            let limit = libc::rlimit {
                rlim_cur: 4096,
                rlim_max: 4096,
            };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let run = command.output().unwrap_or_else(|e| panic!("{e}"));
    let err = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{err}");
    assert!(
        err.contains("lỗi: không ghi được") && err.contains("giữ nguyên"),
        "{err}"
    );
    assert_previous_site_kept(site.path(), &before);
}

#[test]
fn no_write_permission_fails_cleanly_and_keeps_the_previous_site() {
    let (site, before) = site_with_previous_output();
    // Readable by everyone, writable by its owner only.
    for p in std::iter::once(site.path().to_path_buf()).chain(walk_dirs(site.path())) {
        let _ = Command::new("chmod").arg("755").arg(&p).status();
    }
    let root = unsafe { libc::geteuid() } == 0;
    let mut command = if root {
        // root ignores permissions: run as `nobody` instead.
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(env!("CARGO_BIN_EXE_bantin"));
        c
    } else {
        let _ = Command::new("chmod").arg("555").arg(site.path()).status();
        Command::new(env!("CARGO_BIN_EXE_bantin"))
    };
    let run = command
        .args(["build", "--quiet"])
        .current_dir(site.path())
        .env("NO_COLOR", "1")
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let err = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{err}");
    assert!(err.contains("lỗi:") && err.contains("giữ nguyên"), "{err}");
    let _ = Command::new("chmod").arg("755").arg(site.path()).status();
    assert_previous_site_kept(site.path(), &before);
}

/// The output folder is byte-identical to `before` and nothing is left beside it.
fn assert_previous_site_kept(site: &Path, before: &BTreeMap<PathBuf, (u64, u64)>) {
    assert_eq!(
        &digest(&site.join("output")),
        before,
        "the previous site changed"
    );
    assert!(
        leftovers(site).is_empty(),
        "left behind: {:?}",
        leftovers(site)
    );
}

fn walk_dirs(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk_dirs(&p));
            out.push(p);
        }
    }
    out
}
