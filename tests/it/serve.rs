//! `bantin serve`: a real server on 127.0.0.1, real edits on disk.

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
    let mut child = Command::new(env!("CARGO_BIN_EXE_bantin"))
        .args(["serve", "--port", "0"])
        .current_dir(site)
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run bantin: {e}"));
    let stdout = child.stdout.take().unwrap_or_else(|| panic!("no stdout"));
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

/// GET `path`: (status, headers, body).
fn get(port: u16, path: &str) -> (u16, String, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap_or_else(|e| panic!("{e}"));
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
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

/// Polls `path` until `ok` holds (true) or `within` passes (false).
fn wait_for(port: u16, path: &str, within: Duration, ok: impl Fn(u16, &str) -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < within {
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

    // An edited figure shows within 2 s.
    let results = tmp.path().join("content/results/2023/q1.yaml");
    let original = fs::read_to_string(&results).unwrap_or_else(|e| panic!("{e}"));
    let edited = original.replacen("admitted: 30", "admitted: 1234", 1);
    assert_ne!(edited, original);
    fs::write(&results, &edited).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        wait_for(port, stats, Duration::from_secs(2), |s, b| s == 200
            && b.contains("1.234")),
        "the new figure did not appear within 2 s"
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
        wait_for(port, stats, Duration::from_secs(2), |s, b| s == 500
            && b.contains(&place)),
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
        wait_for(port, stats, Duration::from_secs(2), |s, b| s == 200
            && b.contains("1.235")),
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
        wait_for(port, "/ghi-chu.txt", Duration::from_secs(2), |s, b| s
            == 200
            && b == "bản một"),
        "a file in a new static/ folder is served"
    );
    // Changes inside the new folder are seen too.
    std::thread::sleep(Duration::from_millis(100));
    fs::write(tmp.path().join("static/ghi-chu.txt"), "bản hai").unwrap_or_else(|e| panic!("{e}"));
    assert!(
        wait_for(port, "/ghi-chu.txt", Duration::from_secs(2), |s, b| s
            == 200
            && b == "bản hai"),
        "an edit inside the new folder is seen"
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
