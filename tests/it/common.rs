//! Building sites in this process through the library, running the binary
//! for what only the command line does, and handling fixture folders.

use std::collections::BTreeMap;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// What the library made of a site in this process: the pipeline of `bantin
/// build` with an in-memory sink instead of the output folder (or, for
/// `check`, a sink that drops every file).
pub struct Built {
    /// Every problem as `bantin` prints it: the Display of a diagnostic.
    pub printed: Vec<String>,
    pub has_errors: bool,
    /// The pages rendered, when nothing was in error.
    pub pages: Option<usize>,
    /// Why the sink refused the site, if it did.
    pub failed: Option<String>,
    /// Every file the sink took, by its path in the output folder (none
    /// for a check). When `pages` is `None` they are what was rendered
    /// before the error, which `bantin build` would never publish.
    pub files: BTreeMap<String, Vec<u8>>,
}

impl Built {
    /// The diagnostics, one a line, for messages and `contains`.
    pub fn text(&self) -> String {
        self.printed.join("\n")
    }

    /// The printed lines of one kind (`error`, `warning`).
    fn of_kind(&self, kind: &str) -> Vec<&str> {
        let tag = format!(": {kind}[");
        self.printed
            .iter()
            .map(String::as_str)
            .filter(|l| l.contains(&tag))
            .collect()
    }

    pub fn errors(&self) -> Vec<&str> {
        self.of_kind("error")
    }

    pub fn warnings(&self) -> Vec<&str> {
        self.of_kind("warning")
    }

    /// Panics, listing what was found, unless the site was built.
    pub fn assert_built(&self) {
        assert!(
            !self.has_errors && self.pages.is_some() && self.failed.is_none(),
            "not built ({:?}):\n{}",
            self.failed,
            self.text()
        );
    }

    /// The bytes of one output file.
    pub fn bytes(&self, path: &str) -> &[u8] {
        self.files.get(path).unwrap_or_else(|| {
            panic!(
                "no {path} among the {} files written:\n{}",
                self.files.len(),
                self.files.keys().cloned().collect::<Vec<_>>().join("\n")
            )
        })
    }

    /// The text of one output file.
    pub fn read(&self, path: &str) -> String {
        String::from_utf8(self.bytes(path).to_vec()).unwrap_or_else(|e| panic!("{path}: {e}"))
    }
}

/// Builds the site in `root` in this process; drafts when `drafts`.
pub fn build(root: &Path, drafts: bool) -> Built {
    let memory = bantin::publish::Memory::default();
    let mut built = run_pipeline(root, drafts, &memory);
    built.files = memory
        .into_files()
        .into_iter()
        .map(|f| {
            let bytes = match f.content {
                bantin::publish::Content::Bytes(b) => b,
                bantin::publish::Content::Copy(from) => {
                    fs::read(&from).unwrap_or_else(|e| panic!("{}: {e}", from.display()))
                }
            };
            (f.path, bytes)
        })
        .collect();
    built
}

/// Checks the site in `root` in this process, as `bantin check` does:
/// every page rendered, nothing kept.
pub fn check(root: &Path) -> Built {
    run_pipeline(root, false, &bantin::publish::Discard::default())
}

fn run_pipeline(root: &Path, drafts: bool, sink: &dyn bantin::publish::Sink) -> Built {
    let options = bantin::render::Options {
        drafts,
        base_url: None,
    };
    let outcome = bantin::pipeline::build(root, &options, sink, &bantin::progress::Silent);
    Built {
        printed: outcome
            .diagnostics
            .iter()
            .map(ToString::to_string)
            .collect(),
        has_errors: outcome.has_errors(),
        pages: outcome.pages,
        failed: outcome.failed.map(|e| e.to_string()),
        files: BTreeMap::new(),
    }
}

/// Runs `bantin ARGS` in `dir`.
pub fn bantin(dir: &Path, args: &[&str]) -> Output {
    bantin_with(dir, args, &[])
}

/// Runs `bantin ARGS` in `dir` with extra environment variables.
pub fn bantin_with(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_bantin"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .envs(env.iter().copied())
        .output()
        .unwrap_or_else(|e| panic!("cannot run bantin: {e}"))
}

/// The arguments of `bantin import FILE` for quarter `quarter` of 2024
/// under plan `plan` (the fixture site's plan of 2024 is `12-KH/TU`).
pub fn import_args<'a>(file: &'a str, quarter: &'a str, plan: &'a str) -> Vec<&'a str> {
    vec![
        "import",
        file,
        "--year",
        "2024",
        "--quarter",
        quarter,
        "--plan",
        plan,
    ]
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Copies a tree, recreating symbolic links as links (never following them).
pub fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap_or_else(|e| panic!("{}: {e}", to.display()));
    let entries = fs::read_dir(from).unwrap_or_else(|e| panic!("{}: {e}", from.display()));
    for entry in entries.flatten() {
        let src = entry.path();
        let dst = to.join(entry.file_name());
        let meta = fs::symlink_metadata(&src).unwrap_or_else(|e| panic!("{e}"));
        if meta.file_type().is_symlink() {
            let target = fs::read_link(&src).unwrap_or_else(|e| panic!("{e}"));
            let _ = fs::remove_file(&dst);
            std::os::unix::fs::symlink(target, &dst).unwrap_or_else(|e| panic!("{e}"));
        } else if meta.is_dir() {
            copy_tree(&src, &dst);
        } else {
            fs::copy(&src, &dst).unwrap_or_else(|e| panic!("{}: {e}", src.display()));
        }
    }
}

/// Every file under `dir` with its bytes (symbolic links as their target).
pub fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let p = entry.path();
            let rel = p.strip_prefix(root).unwrap_or(&p).to_path_buf();
            let meta = fs::symlink_metadata(&p).unwrap_or_else(|e| panic!("{e}"));
            if meta.is_dir() {
                out.insert(rel.join(""), Vec::new());
                walk(root, &p, out);
            } else if meta.file_type().is_symlink() {
                let t = fs::read_link(&p).unwrap_or_default();
                out.insert(rel, t.to_string_lossy().as_bytes().to_vec());
            } else {
                out.insert(rel, fs::read(&p).unwrap_or_default());
            }
        }
    }
    walk(dir, dir, &mut out);
    out
}

/// A site made of the base fixture with `overlay`'s files on top; files
/// named in `overlay/remove` are deleted from the result.
pub fn site_with(overlay: Option<&Path>) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    copy_tree(&fixtures().join("base"), tmp.path());
    if let Some(overlay) = overlay {
        for part in ["content", "templates", "static"] {
            if overlay.join(part).exists() {
                copy_tree(&overlay.join(part), &tmp.path().join(part));
            }
        }
        if let Ok(list) = fs::read_to_string(overlay.join("remove")) {
            for line in list.lines().filter(|l| !l.trim().is_empty()) {
                let p = tmp.path().join(line.trim());
                fs::remove_file(&p).unwrap_or_else(|e| panic!("remove {}: {e}", p.display()));
            }
        }
    }
    tmp
}

/// A previous build to protect: files bantin would replace.
pub fn previous_output(site: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let out = site.join("output");
    fs::create_dir_all(out.join("tin-tuc/cu")).unwrap_or_else(|e| panic!("{e}"));
    fs::write(out.join(".bantin-output"), "bantin\n").unwrap_or_else(|e| panic!("{e}"));
    fs::write(out.join("index.html"), "<p>bản cũ</p>").unwrap_or_else(|e| panic!("{e}"));
    fs::write(out.join("tin-tuc/cu/index.html"), "<p>tin cũ</p>").unwrap_or_else(|e| panic!("{e}"));
    tree(&out)
}

/// Records a figure for the CI summary (`.ci/run` prints every recorded
/// line at the end): `target/tmp/counts/<label>.txt`.
pub fn record_count(label: &str, n: usize) {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("counts");
    let _ = fs::create_dir_all(&dir);
    let file: String = label
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let _ = fs::write(dir.join(format!("{file}.txt")), format!("{label}: {n}\n"));
}

/// What one run of the binary cost.
pub struct Run {
    pub code: Option<i32>,
    pub stderr: String,
    pub seconds: f64,
    pub peak_mb: u64,
}

/// Runs `bantin ARGS` in `dir`, killing it after `limit`; measures its
/// wall time and peak resident memory (its own, via wait4).
// The child is reaped by wait4 below, which std's Child cannot see.
#[allow(clippy::zombie_processes)]
pub fn run_measured(dir: &Path, args: &[&str], limit: Duration) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_bantin"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run bantin: {e}"));
    let mut pipe = child.stderr.take().unwrap_or_else(|| panic!("no stderr"));
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = pipe.read_to_string(&mut s);
        s
    });
    let pid = child.id() as libc::pid_t;
    let started = Instant::now();
    let mut status = 0;
    // SAFETY: plain libc calls on our own child's pid with valid pointers.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        let r = unsafe { libc::wait4(pid, &mut status, libc::WNOHANG, &mut usage) };
        if r == pid {
            break;
        }
        if started.elapsed() > limit {
            unsafe { libc::kill(pid, libc::SIGKILL) };
            panic!("bantin {args:?} ran over {limit:?}: a hang");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let seconds = started.elapsed().as_secs_f64();
    let code = libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status));
    assert!(
        !libc::WIFSIGNALED(status),
        "bantin {args:?} was killed by signal {}",
        libc::WTERMSIG(status)
    );
    Run {
        code,
        stderr: reader.join().unwrap_or_default(),
        seconds,
        peak_mb: usage.ru_maxrss as u64 / 1024,
    }
}

/// Set in the copy of the test binary that [`alone`] starts.
const ALONE: &str = "BANTIN_TEST_ALONE";

/// Runs `body` in a fresh copy of this test binary that runs only the test
/// `test` (its path, `bombs::deep_yaml`), and checks that it passed; returns
/// `true` there, in the test process, and `false` inside the copy (after
/// running `body`).
///
/// For peak memory read through wait4: the kernel counts in a child's peak
/// the peak of the process that started it (the memory they shared until
/// the child ran bantin). This process runs many tests at once and may hold
/// hundreds of megabytes; the copy, running one test, holds a few.
pub fn alone(test: &str, body: impl FnOnce()) -> bool {
    if std::env::var_os(ALONE).is_some() {
        body();
        return false;
    }
    let exe = std::env::current_exe().unwrap_or_else(|e| panic!("{e}"));
    let out = Command::new(exe)
        .args(["--exact", test, "--test-threads=1", "--nocapture"])
        .env(ALONE, "1")
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains("1 passed"),
        "{test} alone:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    true
}

/// The visible text of an HTML fragment, whitespace collapsed.
pub fn text_of(html: &str, selector: &str) -> String {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse(selector).unwrap_or_else(|e| panic!("{e:?}"));
    // Table cells apart, as a reader sees them, however the markup is laid out.
    let text: Vec<String> = doc
        .select(&sel)
        .map(|e| {
            let mut text = String::new();
            for node in e.descendants() {
                match node.value() {
                    scraper::Node::Text(t) => text.push_str(t),
                    scraper::Node::Element(el) if matches!(el.name(), "td" | "th" | "tr") => {
                        text.push(' ');
                    }
                    _ => {}
                }
            }
            text
        })
        .collect();
    text.join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// A copy of fixture `name` with the site's file `file` rewritten by
/// `edit`, which must change it.
pub fn fixture_edited(
    name: &str,
    file: &str,
    edit: impl FnOnce(&str) -> String,
) -> tempfile::TempDir {
    let site = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    copy_tree(&fixtures().join(name), site.path());
    let path = site.path().join(file);
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let changed = edit(&text);
    assert_ne!(changed, text, "{file} unchanged");
    fs::write(&path, changed).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    site
}

/// The province preset of `../shared/bench/gen_site.py` (the benchmark's
/// site generator, in the folder shared/ beside the repository), written
/// into `dir/site`; `None`, said on stderr, when the generator is not there.
pub fn province_preset(dir: &Path) -> Option<PathBuf> {
    let gen_site = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/bench/gen_site.py");
    if !gen_site.is_file() {
        eprintln!(
            "skipped: needs {} (the benchmark's site generator, in the folder shared/ \
             beside the repository)",
            gen_site.display()
        );
        return None;
    }
    let site = dir.join("site");
    let generated = Command::new("python3")
        .arg(&gen_site)
        .arg(&site)
        .args(["--preset", "province"])
        .output()
        .unwrap_or_else(|e| panic!("python3: {e}"));
    assert!(
        generated.status.success(),
        "{}",
        String::from_utf8_lossy(&generated.stderr)
    );
    Some(site)
}
