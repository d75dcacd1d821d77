//! The command line, in three stages as ripgrep has them: the arguments as
//! typed ([`args`], clap), the settings of each command with every value
//! validated ([`settings`]), then the command run over the library. This is
//! the only module that prints ([`report`] draws progress, serve's events
//! and lists of problems) or chooses an exit status.
//!
//! Exit status: 0 done; 1 the content has errors or the output could not be
//! written (the previous output is untouched); 2 wrong arguments.

mod args;
mod report;
mod settings;

use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use self::args::NotRun;
use self::settings::Settings;
use crate::vi;
use crate::{import, pipeline, publish, scaffold};

/// `println!` for anything that may hold a name or text from outside: the
/// line goes through [`crate::diagnostic::printable`].
macro_rules! say {
    ($($arg:tt)*) => {
        println!("{}", $crate::diagnostic::printable(&format!($($arg)*)))
    };
}
use say;

/// `eprintln!` through [`crate::diagnostic::printable`], as [`say!`].
macro_rules! complain {
    ($($arg:tt)*) => {
        eprintln!("{}", $crate::diagnostic::printable(&format!($($arg)*)))
    };
}
use complain;

/// Exit status of a wrong command line.
const USAGE: u8 = 2;
/// Exit status of content with errors, or of an output that could not be
/// written.
const FAILED: u8 = 1;

/// Runs the command of this process's arguments.
pub fn main() -> ExitCode {
    let args = match args::parse() {
        Ok(args) => args,
        Err(NotRun::Shown(e)) => {
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        Err(NotRun::HelpInstead(e)) => {
            let _ = e.print();
            return ExitCode::from(USAGE);
        }
        Err(NotRun::Wrong(wrong)) => return wrong_command_line(&wrong),
    };
    match settings::of(args.command) {
        Ok(Settings::Build(s)) => build(s),
        Ok(Settings::Check(s)) => check(s),
        Ok(Settings::Serve(s)) => serve(s),
        Ok(Settings::New { dir }) => new(&dir),
        Ok(Settings::Import(request)) => import(&request),
        Err(wrong) => wrong_command_line(&wrong),
    }
}

fn wrong_command_line(wrong: &args::Wrong) -> ExitCode {
    for line in wrong.text().lines() {
        complain!("{line}");
    }
    ExitCode::from(USAGE)
}

fn check(s: settings::Check) -> ExitCode {
    // No progress is drawn; only the times of `BANTIN_TIMINGS`.
    let quiet = report::Shown::new(true);
    let outcome = pipeline::build(&s.site, &s.options, &publish::Discard::default(), &quiet);
    report::diagnostics(&outcome.diagnostics);
    if let Some(e) = &outcome.failed {
        complain!("lỗi: {e}");
    }
    if outcome.has_errors() {
        ExitCode::from(FAILED)
    } else {
        complain!("Nội dung hợp lệ.");
        ExitCode::SUCCESS
    }
}

fn serve(s: settings::Serve) -> ExitCode {
    match crate::serve::serve(&s.site, s.port, s.options, Arc::new(report::Serving)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            complain!("lỗi: {}", report::serve_error(&e));
            ExitCode::from(match e {
                crate::serve::Error::Stopped(_) => FAILED,
                _ => USAGE,
            })
        }
    }
}

fn new(dir: &Path) -> ExitCode {
    match scaffold::create(dir) {
        Ok(_) => {
            for line in scaffold::summary(dir).lines() {
                say!("{line}");
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            complain!("lỗi: {e}");
            ExitCode::from(match e {
                scaffold::NewError::NotEmpty(_) | scaffold::NewError::NotAFolder(_) => USAGE,
                scaffold::NewError::Io { .. } => FAILED,
            })
        }
    }
}

fn import(request: &import::Request) -> ExitCode {
    let outcome = match import::run(request) {
        Ok(outcome) => outcome,
        Err(e) => {
            complain!("lỗi: {e}");
            return ExitCode::from(USAGE);
        }
    };
    report::problems(&outcome.problems, import::Problem::is_error);
    if let Some(e) = &outcome.failed {
        complain!("lỗi: {e}");
        return ExitCode::from(FAILED);
    }
    match &outcome.written {
        Some(w) => {
            say!(
                "Đã {} {} ({} đơn vị, {}) từ {}.",
                if w.replaced { "ghi đè" } else { "ghi" },
                w.path.display(),
                vi::int(w.rows as i64),
                w.period,
                w.source
            );
            match &w.reported {
                Some((d, cell)) => say!(
                    "Ngày báo cáo (reported): {}, theo dòng ngày tháng ở ô {cell} của bảng tính.",
                    vi::date_short(*d)
                ),
                None => say!(
                    "Ngày báo cáo (reported): hôm nay, vì bảng tính không có dòng \"…, ngày … tháng … năm …\"; sửa trong tệp nếu cần."
                ),
            }
            ExitCode::SUCCESS
        }
        None => {
            complain!("Chưa ghi tệp nào vì bảng tính có lỗi.");
            ExitCode::from(FAILED)
        }
    }
}

fn build(s: settings::Build) -> ExitCode {
    let started = Instant::now();
    let staging = match publish::Staging::new(&s.output) {
        Ok(staging) => staging,
        Err(e) => {
            complain!("lỗi: {e}");
            return ExitCode::from(USAGE);
        }
    };
    let shown = report::Shown::new(s.quiet);
    let outcome = pipeline::build(&s.site, &s.options, &staging, &shown);
    shown.finish();
    report::diagnostics(&outcome.diagnostics);
    if let Some(e) = &outcome.failed {
        publish_error(e, &s.output);
        return ExitCode::from(FAILED);
    }
    let Some(pages) = outcome.pages else {
        complain!(
            "Chưa tạo trang vì nội dung có lỗi; thư mục {} giữ nguyên.",
            s.output.display()
        );
        return ExitCode::from(FAILED);
    };
    let publishing = Instant::now();
    let published = staging.commit();
    if report::timings_asked() {
        report::timing("publish", publishing.elapsed());
    }
    match published {
        Ok(done) => {
            if !s.quiet {
                say!(
                    "Đã tạo {} trang, {} tệp, {} trong {} giây → {}{}",
                    vi::int(pages as i64),
                    vi::int(done.files as i64),
                    report::size(done.bytes),
                    vi::decimal(started.elapsed().as_millis() as i64, 1000, 2).unwrap_or_default(),
                    s.output.display(),
                    if done.flushed {
                        " (đã ghi hết xuống ổ đĩa, có thể tháo ổ ra)"
                    } else {
                        ""
                    }
                );
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            publish_error(&e, &s.output);
            ExitCode::from(FAILED)
        }
    }
}

/// Why the new site is not published, and what became of the output folder.
fn publish_error(e: &publish::PublishError, output: &Path) {
    if e.kept {
        complain!("lỗi: {e}; {} giữ nguyên.", output.display());
    } else {
        complain!("lỗi: {e}.");
    }
}
