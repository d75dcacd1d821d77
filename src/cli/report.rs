//! What the terminal shows while a command runs: a build's progress (a bar
//! on a terminal, plain lines in a log), serve's events, lists of problems.

use std::collections::BTreeSet;
use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use super::{complain, say};
use crate::diagnostic::{self, Diagnostic};
use crate::os_error;
use crate::serve::{self, Event, WatchError, WatchReason};
use crate::vi;

/// Prints each problem on stderr (red errors, yellow warnings on a
/// terminal), then the count of each; nothing when there is none.
pub(super) fn problems<P: std::fmt::Display>(problems: &[P], is_error: fn(&P) -> bool) {
    if problems.is_empty() {
        return;
    }
    let stderr = std::io::stderr();
    let color = stderr.is_terminal() && std::env::var_os("NO_COLOR").is_none();
    // Buffered: a line is written in pieces, one system call each otherwise.
    let mut err = std::io::BufWriter::new(stderr.lock());
    for p in problems {
        let _ = if color {
            let code = if is_error(p) { "31" } else { "33" };
            writeln!(err, "\x1b[{code}m{p}\x1b[0m")
        } else {
            writeln!(err, "{p}")
        };
    }
    let errors = problems.iter().filter(|p| is_error(p)).count();
    let _ = writeln!(
        err,
        "{} lỗi, {} cảnh báo.",
        vi::int(errors as i64),
        vi::int((problems.len() - errors) as i64)
    );
}

pub(super) fn diagnostics(list: &[Diagnostic]) {
    problems(list, Diagnostic::is_error);
}

/// `bantin serve`'s events, as lines: where it serves and what it watches
/// on stdout, then each build's problems (stderr) and its line (stdout).
pub(super) struct Serving;

impl serve::Report for Serving {
    fn event(&self, event: Event<'_>) {
        match event {
            Event::Serving { address, watched } => {
                say!("Đang phục vụ trang tại http://{address}/ (Ctrl+C để dừng)");
                say!(
                    "Theo dõi {}: trang tự tải lại khi tệp thay đổi.",
                    watched
                        .iter()
                        .map(|w| format!("{w}/"))
                        .collect::<Vec<_>>()
                        .join(", ")
                );
            }
            Event::Built {
                diagnostics: list,
                took,
                changed,
            } => {
                diagnostics(list);
                let has_errors = list.iter().any(Diagnostic::is_error);
                say!("{}", rebuilt(took, changed, has_errors));
            }
            Event::NotWatched(e) => complain!("cảnh báo: {}", not_watched(e)),
        }
    }
}

/// The line printed after each build: how long it took and, after the
/// first, which change caused it (`content/units.yaml`, or the first of
/// several and their count), so that a rebuild nobody asked for shows.
fn rebuilt(took: Duration, changed: &BTreeSet<String>, has_errors: bool) -> String {
    let mut line = format!("Đã dựng lại sau {} ms", took.as_millis());
    let mut names = changed.iter();
    if let Some(first) = names.next() {
        let first = diagnostic::printable(first);
        match names.len() {
            0 => line.push_str(&format!(" ({first} thay đổi)")),
            n => line.push_str(&format!(
                " ({first} và {} tệp khác thay đổi)",
                vi::int(n as i64)
            )),
        }
    }
    if has_errors {
        line.push_str("; trình duyệt hiện danh sách lỗi cho đến khi sửa xong");
    }
    line.push('.');
    line
}

fn not_watched(e: &WatchError) -> String {
    let reason = match &e.reason {
        WatchReason::Io(io) => os_error::describe(io),
        WatchReason::NoFolder => "không có thư mục này".to_owned(),
        WatchReason::TooManyWatches => {
            "đã đạt giới hạn số thư mục hệ điều hành cho phép theo dõi (tăng fs.inotify.max_user_watches)"
                .to_owned()
        }
        WatchReason::Other => "lỗi của bộ theo dõi tệp".to_owned(),
    };
    match &e.path {
        Some(path) => format!("không theo dõi được {}: {reason}", path.display()),
        None => format!("không theo dõi được thư mục: {reason}"),
    }
}

/// Why serve did not start or stopped.
pub(super) fn serve_error(e: &serve::Error) -> String {
    match e {
        serve::Error::Site { root, error } => format!(
            "không mở được thư mục trang {}: {}",
            root.display(),
            os_error::describe(error)
        ),
        serve::Error::PortInUse { port, free } => {
            let hint = free.map_or_else(
                || "chọn cổng khác bằng --port".to_owned(),
                |p| format!("thử: bantin serve --port {p}"),
            );
            format!(
                "cổng {port} đang được một chương trình khác dùng (có thể là một bantin serve đang chạy); {hint}"
            )
        }
        serve::Error::Port { port, error } => format!(
            "không mở được cổng {port} trên 127.0.0.1: {}",
            os_error::describe(error)
        ),
        serve::Error::Watch(e) => not_watched(e),
        serve::Error::Stopped(error) => {
            format!("máy chủ dừng: {}", os_error::describe(error))
        }
    }
}

/// A build's progress as the user sees it: nothing for a build under about
/// a second or with `--quiet`; then a bar on a terminal, plain lines in a
/// log.
pub(super) struct Shown {
    started: Instant,
    quiet: bool,
    /// `BANTIN_TIMINGS` is set: each step's time on stderr, quiet or not.
    timings: bool,
    /// On a terminal; drawn once the build has run a second.
    bar: Option<indicatif::ProgressBar>,
    visible: AtomicBool,
    done: AtomicU64,
    total: AtomicU64,
    /// For plain lines: the last quarter of the pages reported.
    reported: AtomicU64,
}

impl Shown {
    const AFTER: Duration = Duration::from_secs(1);

    pub(super) fn new(quiet: bool) -> Self {
        let terminal = std::io::stderr().is_terminal();
        let bar = (terminal && !quiet).then(|| {
            let bar = indicatif::ProgressBar::with_draw_target(
                None,
                indicatif::ProgressDrawTarget::hidden(),
            );
            if let Ok(style) =
                indicatif::ProgressStyle::with_template("{msg:14} [{bar:32}] {pos}/{len} {elapsed}")
            {
                bar.set_style(style.progress_chars("=> "));
            }
            bar
        });
        Shown {
            started: Instant::now(),
            quiet,
            timings: timings_asked(),
            bar,
            visible: AtomicBool::new(false),
            done: AtomicU64::new(0),
            total: AtomicU64::new(0),
            reported: AtomicU64::new(0),
        }
    }

    fn late(&self) -> bool {
        self.started.elapsed() >= Self::AFTER
    }

    fn show_bar(&self) {
        if let Some(bar) = &self.bar
            && self.late()
            && !self.visible.swap(true, Ordering::Relaxed)
        {
            bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
        }
    }

    pub(super) fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// Each step's time is printed for profiling (bench/README.md).
pub(super) fn timings_asked() -> bool {
    std::env::var_os("BANTIN_TIMINGS").is_some()
}

/// One step's time, as `BANTIN_TIMINGS` shows it.
pub(super) fn timing(step: &str, took: Duration) {
    complain!("bantin: {step:<8} {:>7.3} s", took.as_secs_f64());
}

impl crate::progress::Progress for Shown {
    fn took(&self, step: &str, time: Duration) {
        if self.timings {
            timing(step, time);
        }
    }

    fn phase(&self, name: &str, total: Option<u64>) {
        if self.quiet {
            return;
        }
        self.done.store(0, Ordering::Relaxed);
        self.total.store(total.unwrap_or(0), Ordering::Relaxed);
        self.reported.store(0, Ordering::Relaxed);
        match &self.bar {
            Some(bar) => {
                bar.set_message(name.to_owned());
                bar.set_length(total.unwrap_or(0));
                bar.set_position(0);
                self.show_bar();
            }
            None if self.late() => match total {
                Some(n) => complain!("{name}: {} trang…", vi::int(n as i64)),
                None => complain!("{name}…"),
            },
            None => {}
        }
    }

    fn tick(&self) {
        if self.quiet {
            return;
        }
        let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        if let Some(bar) = &self.bar {
            bar.inc(1);
            if done.is_multiple_of(256) {
                self.show_bar();
            }
            return;
        }
        // Plain lines: at each quarter of the pages, once late.
        let total = self.total.load(Ordering::Relaxed);
        if total == 0 || !done.is_multiple_of(64) || !self.late() {
            return;
        }
        let quarter = done * 4 / total;
        if quarter > self.reported.load(Ordering::Relaxed)
            && self.reported.swap(quarter, Ordering::Relaxed) < quarter
        {
            complain!("  {}/{} trang", vi::int(done as i64), vi::int(total as i64));
        }
    }
}

/// A size in KB or MB, with one decimal.
pub(super) fn size(bytes: u64) -> String {
    const MB: i64 = 1024 * 1024;
    if bytes >= 1024 * 1024 {
        format!(
            "{} MB",
            vi::decimal(bytes as i64, MB, 1).unwrap_or_default()
        )
    } else {
        format!(
            "{} KB",
            vi::decimal(bytes as i64, 1024, 1).unwrap_or_default()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rebuild_line_names_the_change_printably() {
        let took = Duration::from_millis(12);
        let changed = |names: &[&str]| names.iter().map(|n| (*n).to_owned()).collect();
        assert_eq!(
            rebuilt(took, &BTreeSet::new(), false),
            "Đã dựng lại sau 12 ms."
        );
        assert_eq!(
            rebuilt(took, &changed(&["content/units.yaml"]), false),
            "Đã dựng lại sau 12 ms (content/units.yaml thay đổi)."
        );
        assert_eq!(
            rebuilt(took, &changed(&["content/b.yaml", "content/a.yaml"]), true),
            "Đã dựng lại sau 12 ms (content/a.yaml và 1 tệp khác thay đổi); trình duyệt hiện danh sách lỗi cho đến khi sửa xong."
        );
        assert_eq!(
            rebuilt(took, &changed(&["static/a\x1b]0;x\x07\nb.txt"]), false),
            "Đã dựng lại sau 12 ms (static/a\\u{1b}]0;x\\u{7}\\nb.txt thay đổi)."
        );
    }

    #[test]
    fn a_port_in_use_is_said_with_a_free_one() {
        let e = serve::Error::PortInUse {
            port: 8080,
            free: Some(8081),
        };
        assert_eq!(
            serve_error(&e),
            "cổng 8080 đang được một chương trình khác dùng (có thể là một bantin serve đang chạy); thử: bantin serve --port 8081"
        );
    }
}
