//! `bantin serve`: a real server on 127.0.0.1, real edits on disk. Every
//! wait is for a state (a page showing an edit, a count of rebuild lines),
//! however long the machine takes; only a hang ([`HANG`]) ends one.

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{copy_tree, fixtures, stderr};

/// The server, stopped when dropped.
struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(site: &Path) -> Server {
    start_in(site, &[], Stdio::piped(), Stdio::null())
}

/// `bantin serve ARGS --port 0` run in `cwd`, its output going to `stdout`
/// and `stderr`; the address read from the first line.
fn start_in(cwd: &Path, args: &[&str], stdout: Stdio, stderr: Stdio) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_bantin"))
        .arg("serve")
        .args(args)
        .args(["--port", "0"])
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .stdout(stdout)
        .stderr(stderr)
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run bantin: {e}"));
    let Some(stdout) = child.stdout.take() else {
        return Server { child, port: 0 };
    };
    let mut lines = BufReader::new(stdout).lines();
    let first = lines
        .next()
        .and_then(Result::ok)
        .unwrap_or_else(|| panic!("serve printed nothing"));
    let port = first
        .split("127.0.0.1:")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no address in {first:?}"));
    // Keep reading so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    Server { child, port }
}

/// `bantin serve ARGS > site/serve.log 2>&1` run in `cwd`, as an editor
/// may keep a log. Also returns the log file, sharing serve's offset so
/// that lines the test writes never overwrite serve's.
fn start_logged(cwd: &Path, args: &[&str], log: &Path) -> (Server, fs::File) {
    let file = fs::File::create(log).unwrap_or_else(|e| panic!("{e}"));
    let clone = || file.try_clone().unwrap_or_else(|e| panic!("{e}"));
    let mut server = start_in(cwd, args, Stdio::from(clone()), Stdio::from(clone()));
    let start = Instant::now();
    while server.port == 0 && start.elapsed() < HANG {
        let text = fs::read_to_string(log).unwrap_or_default();
        if let Some(first) = text.lines().next().filter(|_| text.contains('\n')) {
            server.port = first
                .split("127.0.0.1:")
                .nth(1)
                .and_then(|rest| rest.split('/').next())
                .and_then(|p| p.parse().ok())
                .unwrap_or_else(|| panic!("no address in {first:?}"));
        } else {
            std::thread::sleep(Duration::from_millis(20));
        }
    }
    assert_ne!(server.port, 0, "serve printed no address");
    (server, file)
}

/// The lines serve printed after each build.
fn builds(log: &Path) -> Vec<String> {
    fs::read_to_string(log)
        .unwrap_or_default()
        .lines()
        .filter(|l| l.starts_with("Đã dựng lại"))
        .map(str::to_owned)
        .collect()
}

/// GET `path`: (status, headers, body).
fn get(port: u16, path: &str) -> (u16, String, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap_or_else(|e| panic!("{e}"));
    stream
        .set_read_timeout(Some(HANG))
        .unwrap_or_else(|e| panic!("{e}"));
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let mut raw = Vec::new();
    stream
        .read_to_end(&mut raw)
        .unwrap_or_else(|e| panic!("{e}"));
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, head.to_owned(), body.to_owned())
}

/// Long enough for any machine, however loaded: only a hung server
/// reaches it, and no test asserts how fast serve is.
const HANG: Duration = Duration::from_secs(600);

/// Polls `path` until `ok` holds (true) or the server looks hung (false).
fn wait_for(port: u16, path: &str, ok: impl Fn(u16, &str) -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < HANG {
        let (status, _, body) = get(port, path);
        if ok(status, &body) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

#[test]
fn serve_rebuilds_on_edit_and_shows_errors_in_the_browser() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    copy_tree(&fixtures().join("base"), tmp.path());
    let server = start(tmp.path());
    let port = server.port;
    let stats = "/thong-ke/2023/quy-1/";

    let (status, head, body) = get(port, stats);
    assert_eq!(status, 200, "{body}");
    assert!(head.contains("text/html"));
    assert!(body.contains("/__bantin/reload.js"), "reload script");
    assert!(!body.contains("1.234"));
    let (status, _, script) = get(port, "/__bantin/reload.js");
    assert_eq!(status, 200);
    assert!(script.contains("EventSource"));
    let (status, head, _) = get(port, "/assets/bantin.css");
    assert_eq!(status, 200);
    assert!(head.contains("text/css"));
    let (status, _, _) = get(port, "/khong-co-trang-nay/");
    assert_eq!(status, 404);

    // An edited figure shows.
    let results = tmp.path().join("content/results/2023/q1.yaml");
    let original = fs::read_to_string(&results).unwrap_or_else(|e| panic!("{e}"));
    let edited = original.replacen("admitted: 30", "admitted: 1234", 1);
    assert_ne!(edited, original);
    fs::write(&results, &edited).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        wait_for(port, stats, |s, b| s == 200 && b.contains("1.234")),
        "the new figure did not appear"
    );

    // A broken file: the page lists the problem with its file and line.
    let broken = edited.replacen("admitted: 1234", "admitted: ba mươi", 1);
    fs::write(&results, &broken).unwrap_or_else(|e| panic!("{e}"));
    let line = broken
        .lines()
        .position(|l| l.contains("ba mươi"))
        .map_or(0, |i| i + 1);
    let place = format!("content/results/2023/q1.yaml:{line}");
    assert!(
        wait_for(port, stats, |s, b| s == 500 && b.contains(&place)),
        "no error page naming {place}"
    );
    let (_, _, page) = get(port, "/");
    assert!(page.contains(&place), "every page shows the errors");
    assert!(
        page.contains("/__bantin/reload.js"),
        "and reloads when fixed"
    );

    // Fixed: the page is back.
    fs::write(
        &results,
        edited.replacen("admitted: 1234", "admitted: 1235", 1),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        wait_for(port, stats, |s, b| s == 200 && b.contains("1.235")),
        "the page did not come back after the fix"
    );
}

#[test]
fn a_folder_made_while_serving_is_watched() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    copy_tree(&fixtures().join("base"), tmp.path());
    assert!(!tmp.path().join("static").exists());
    let server = start(tmp.path());
    let port = server.port;
    assert_eq!(get(port, "/ghi-chu.txt").0, 404);

    fs::create_dir(tmp.path().join("static")).unwrap_or_else(|e| panic!("{e}"));
    fs::write(tmp.path().join("static/ghi-chu.txt"), "bản một").unwrap_or_else(|e| panic!("{e}"));
    assert!(
        wait_for(port, "/ghi-chu.txt", |s, b| s == 200 && b == "bản một"),
        "a file in a new static/ folder is served"
    );
    // Changes inside the new folder are seen too: an edit, and a new file,
    // which only a rebuild serves (the list of files is made per build).
    fs::write(tmp.path().join("static/ghi-chu.txt"), "bản hai").unwrap_or_else(|e| panic!("{e}"));
    assert!(
        wait_for(port, "/ghi-chu.txt", |s, b| s == 200 && b == "bản hai"),
        "an edit inside the new folder is seen"
    );
    fs::write(tmp.path().join("static/moi.txt"), "tệp mới").unwrap_or_else(|e| panic!("{e}"));
    assert!(
        wait_for(port, "/moi.txt", |s, b| s == 200 && b == "tệp mới"),
        "a file added to the new folder is served after a rebuild"
    );
}

#[test]
fn a_port_in_use_gets_a_clear_message() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    copy_tree(&fixtures().join("base"), tmp.path());
    let taken = std::net::TcpListener::bind(("127.0.0.1", 0)).unwrap_or_else(|e| panic!("{e}"));
    let port = taken
        .local_addr()
        .unwrap_or_else(|e| panic!("{e}"))
        .port()
        .to_string();
    let out = crate::common::bantin(tmp.path(), &["serve", "--port", &port]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains(&format!("cổng {port}")), "{err}");
    assert!(err.contains("--port"), "a suggestion: {err}");
}

/// `cd SITE && bantin serve > serve.log`: serve's own log, a build's
/// output folder and staging folder, a note in the site folder never make
/// it rebuild, however the site folder is named; a change to content/
/// makes exactly one rebuild. Counted in builds, not in time: each round
/// ends with a content change, and a build's line is printed before its
/// page is served, so when the new figure shows, every earlier write has
/// been seen by the watcher.
#[test]
fn serve_never_rebuilds_for_what_it_or_a_build_writes() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let site = tmp.path().join("trang");
    copy_tree(&fixtures().join("base"), &site);
    let beside = tmp.path().join("ben-canh");
    fs::create_dir(&beside).unwrap_or_else(|e| panic!("{e}"));
    std::os::unix::fs::symlink(&site, tmp.path().join("lien-ket"))
        .unwrap_or_else(|e| panic!("{e}"));
    let results = site.join("content/results/2023/q1.yaml");
    let original = fs::read_to_string(&results).unwrap_or_else(|e| panic!("{e}"));
    let ways: [(&Path, &[&str]); 5] = [
        (&site, &[]),
        (&site, &["."]),
        (&site, &["./"]),
        (&beside, &["../trang"]),
        (tmp.path(), &["lien-ket"]),
    ];
    let mut figure = 2000;
    for (cwd, args) in ways {
        let log = site.join("serve.log");
        let (server, mut log_file) = start_logged(cwd, args, &log);
        let port = server.port;
        // The first build done: the edits below come after it.
        let start = Instant::now();
        while builds(&log).is_empty() && start.elapsed() < HANG {
            std::thread::sleep(Duration::from_millis(20));
        }
        assert_eq!(builds(&log).len(), 1, "{args:?}: the first build");
        for round in 1..=3 {
            // What serve and a build write into the site folder.
            for k in 0..20 {
                writeln!(log_file, "dòng nhật ký {k}").unwrap_or_else(|e| panic!("{e}"));
            }
            let output = site.join("output/tin-tuc");
            fs::create_dir_all(&output).unwrap_or_else(|e| panic!("{e}"));
            fs::write(output.join("index.html"), format!("{round}"))
                .unwrap_or_else(|e| panic!("{e}"));
            let staging = site.join(format!(".output.bantin-tmp-99-{round}"));
            fs::create_dir_all(&staging).unwrap_or_else(|e| panic!("{e}"));
            fs::write(staging.join("index.html"), "x").unwrap_or_else(|e| panic!("{e}"));
            fs::write(site.join("ghi-chu.txt"), format!("{round}"))
                .unwrap_or_else(|e| panic!("{e}"));

            figure += 1;
            let edited = original.replacen("admitted: 30", &format!("admitted: {figure}"), 1);
            // Saved as many editors save, through a hidden file renamed
            // over the old one: one change, whatever the machine's load.
            let saving = results.with_file_name(".q1.yaml.luu");
            fs::write(&saving, &edited).unwrap_or_else(|e| panic!("{e}"));
            fs::rename(&saving, &results).unwrap_or_else(|e| panic!("{e}"));
            let shown = format!("2.{:03}", figure - 2000);
            assert!(
                wait_for(port, "/thong-ke/2023/quy-1/", |s, b| s == 200
                    && b.contains(&shown)),
                "{args:?}: the edit to content/ was not seen"
            );
            let lines = builds(&log);
            assert_eq!(
                lines.len(),
                1 + round,
                "{args:?}, round {round}: {lines:#?}"
            );
            let last = lines.last().map_or("", String::as_str);
            assert!(
                last.contains("(content/results/2023/q1.yaml thay đổi)"),
                "{args:?}: only the content file caused the rebuild: {last}"
            );
        }
        drop(server);
    }
}

#[test]
fn serve_answers_the_report_document_as_a_word_file() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    copy_tree(&fixtures().join("base"), tmp.path());
    let yaml = tmp.path().join("content/site.yaml");
    let mut text = fs::read_to_string(&yaml).unwrap_or_else(|e| panic!("{e}"));
    text.push_str(
        "report:\n  issuer: BAN TỔ CHỨC\n  symbol_suffix: BC/BTCTU\n  place: Vân Lĩnh\n  signer: Nguyễn Văn A\n  signer_title: TRƯỞNG BAN\n",
    );
    fs::write(&yaml, text).unwrap_or_else(|e| panic!("{e}"));
    let server = start(tmp.path());
    let (status, head, body) = get(server.port, "/ban-tin/2023/quy-1/bao-cao.docx");
    assert_eq!(status, 200, "{head}");
    assert!(
        head.contains("application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        "{head}"
    );
    assert!(body.starts_with("PK"), "a zip package");
}

#[test]
fn serve_shows_the_guides_and_the_templates_to_copy() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    copy_tree(&fixtures().join("base"), tmp.path());
    let server = start(tmp.path());
    let (status, head, body) = get(server.port, "/__bantin/huong-dan/");
    assert_eq!(status, 200, "{head}");
    assert!(body.contains("href=\"ma-loi.md\""), "{body}");
    let (status, head, body) = get(server.port, "/__bantin/huong-dan/ma-loi.md");
    assert_eq!(status, 200);
    assert!(head.contains("text/html"));
    assert!(body.contains("E601"));
    let (status, head, body) = get(server.port, "/__bantin/mau/bulletin_text.html");
    assert_eq!(status, 200);
    assert!(head.contains("text/plain"));
    assert!(body.contains("component bulletin_text"));
    let (status, _, _) = get(server.port, "/__bantin/mau/..%2FCargo.toml");
    assert_eq!(status, 404);
}
