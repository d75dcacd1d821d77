//! The command line: arguments → settings → the pipeline; printing and exit
//! codes live here and nowhere else.
//!
//! Exit status: 0 done; 1 the content has errors or the output could not be
//! written (the previous output is untouched); 2 wrong arguments.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use clap::{Parser, Subcommand};

use crate::diagnostic::Diagnostic;
use crate::pipeline;
use crate::publish;
use crate::render::Options;
use crate::vi;

const HELP_TEMPLATE: &str = "\
{before-help}{name} {version} — {about}

Cách dùng: {usage}

{all-args}{after-help}";

const SUBCOMMAND_TEMPLATE: &str = "\
{about}

Cách dùng: {usage}

{all-args}{after-help}";

const EXAMPLES: &str = "\
Ví dụ:
  bantin build                      tạo trang từ content/ vào output/
  bantin build ../trang-tinh --output /tmp/ban-tin
  bantin check                      kiểm tra nội dung, không ghi gì
  bantin serve                      xem trước tại http://127.0.0.1:8080/, tự tải lại khi sửa tệp
  bantin new trang-moi              tạo trang mới có nội dung mẫu
  bantin import bang.xlsx --year 2024 --quarter 3 --plan 12-KH/TU
                                    số liệu quý III/2024 từ bảng tính

Tài liệu: README.md và docs/ trong thư mục của bantin.";

#[derive(Parser, Debug)]
#[command(
    name = "bantin",
    version,
    about = "tạo trang bản tin công tác phát triển đảng viên",
    help_template = HELP_TEMPLATE,
    after_help = EXAMPLES,
    disable_help_subcommand = true,
    disable_help_flag = true,
    disable_version_flag = true,
    subcommand_help_heading = "Lệnh",
    subcommand_value_name = "LỆNH"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// In hướng dẫn này
    #[arg(short, long, action = clap::ArgAction::Help, global = true, help_heading = "Tùy chọn")]
    help: Option<bool>,
    /// In số phiên bản
    #[arg(short = 'V', long, action = clap::ArgAction::Version, help_heading = "Tùy chọn")]
    version: Option<bool>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Tạo trang: đọc content/ và ghi toàn bộ trang vào output/
    #[command(
        help_template = SUBCOMMAND_TEMPLATE,
        next_help_heading = "Tùy chọn",
        override_usage = "bantin build [SITE] [--output THƯ-MỤC] [--base-url URL] [--drafts] [--quiet]"
    )]
    Build {
        /// Thư mục của trang (chứa content/); mặc định là thư mục hiện tại
        site: Option<PathBuf>,
        /// Thư mục ghi kết quả; mặc định SITE/output
        #[arg(long, value_name = "THƯ-MỤC")]
        output: Option<PathBuf>,
        /// Địa chỉ gốc của trang (thay cho base_url trong site.yaml)
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
        /// Tạo cả các bài viết nháp (draft: true)
        #[arg(long)]
        drafts: bool,
        /// Chỉ in lỗi và cảnh báo
        #[arg(long, short)]
        quiet: bool,
    },
    /// Kiểm tra toàn bộ nội dung, không ghi tệp nào
    #[command(
        help_template = SUBCOMMAND_TEMPLATE,
        next_help_heading = "Tùy chọn",
        override_usage = "bantin check [SITE] [--drafts]"
    )]
    Check {
        /// Thư mục của trang (chứa content/); mặc định là thư mục hiện tại
        site: Option<PathBuf>,
        /// Kiểm tra cả các bài viết nháp như khi tạo với --drafts
        #[arg(long)]
        drafts: bool,
    },
    /// Xem trước: phục vụ trang tại 127.0.0.1, tạo lại và tải lại trang khi tệp thay đổi
    #[command(
        help_template = SUBCOMMAND_TEMPLATE,
        next_help_heading = "Tùy chọn",
        override_usage = "bantin serve [SITE] [--port CỔNG] [--drafts]",
        after_help = "Ví dụ:\n  bantin serve                 mở http://127.0.0.1:8080/ trong trình duyệt\n  bantin serve ../trang-tinh --port 8090\n\nKhi nội dung có lỗi, trình duyệt hiện danh sách lỗi (tệp, dòng, gợi ý) thay cho trang."
    )]
    Serve {
        /// Thư mục của trang (chứa content/); mặc định là thư mục hiện tại
        site: Option<PathBuf>,
        /// Cổng trên 127.0.0.1 (mặc định 8080; 0: để máy chọn cổng trống)
        #[arg(
            long,
            short,
            default_value_t = 8080,
            hide_default_value = true,
            value_name = "CỔNG"
        )]
        port: u16,
        /// Hiện cả các bài viết nháp (draft: true)
        #[arg(long)]
        drafts: bool,
    },
    /// Tạo một trang mới có nội dung mẫu (số liệu minh họa) để bắt đầu
    #[command(
        help_template = SUBCOMMAND_TEMPLATE,
        next_help_heading = "Tùy chọn",
        override_usage = "bantin new THƯ-MỤC"
    )]
    New {
        /// Thư mục của trang mới: chưa có (được tạo, kể cả thư mục cha) hoặc đang trống
        #[arg(value_name = "THƯ-MỤC")]
        dir: PathBuf,
    },
    /// Nhập số liệu một quý từ bảng tính có tiêu đề cột tiếng Việt (.xlsx, .xls, .ods, .csv)
    #[command(
        help_template = SUBCOMMAND_TEMPLATE,
        next_help_heading = "Tùy chọn",
        override_usage = "bantin import TỆP --year NĂM --quarter QUÝ --plan SỐ-HIỆU [--site SITE] [--output TỆP] [--force]"
    )]
    Import {
        /// Bảng tính số liệu: .xlsx, .xls, .ods hoặc .csv
        #[arg(value_name = "TỆP")]
        file: PathBuf,
        /// Năm của số liệu
        #[arg(long, value_name = "NĂM", value_parser = clap::value_parser!(i32).range(1930..=2200))]
        year: i32,
        /// Quý, từ 1 đến 4
        #[arg(long, value_name = "QUÝ", value_parser = clap::value_parser!(u8).range(1..=4))]
        quarter: u8,
        /// Số hiệu kế hoạch của năm đó, ví dụ 366-KH/TU
        #[arg(long, value_name = "SỐ-HIỆU")]
        plan: String,
        /// Thư mục của trang (chứa content/); mặc định là thư mục hiện tại
        #[arg(long, value_name = "SITE")]
        site: Option<PathBuf>,
        /// Tệp ghi ra; mặc định SITE/content/results/NĂM/qQUÝ.yaml
        #[arg(long, value_name = "TỆP")]
        output: Option<PathBuf>,
        /// Ghi đè tệp đã có
        #[arg(long)]
        force: bool,
    },
}

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return match e.kind() {
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => {
                    ExitCode::SUCCESS
                }
                _ => ExitCode::from(2),
            };
        }
    };
    match cli.command {
        Command::Build {
            site,
            output,
            base_url,
            drafts,
            quiet,
        } => build(site, output, base_url, drafts, quiet),
        Command::Check { site, drafts } => check(site, drafts),
        Command::Serve { site, port, drafts } => crate::serve::serve(
            site_dir(site),
            port,
            Options {
                drafts,
                base_url: None,
            },
            print_diagnostics,
        ),
        Command::New { dir } => match crate::scaffold::create(&dir) {
            Ok(_) => {
                print!("{}", crate::scaffold::summary(&dir));
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("lỗi: {e}");
                ExitCode::from(e.exit_status())
            }
        },
        Command::Import {
            file,
            year,
            quarter,
            plan,
            site,
            output,
            force,
        } => import(crate::import::Request {
            file,
            year,
            quarter,
            plan,
            site: site_dir(site),
            output,
            force,
        }),
    }
}

fn site_dir(site: Option<PathBuf>) -> PathBuf {
    site.unwrap_or_else(|| PathBuf::from("."))
}

fn check(site: Option<PathBuf>, drafts: bool) -> ExitCode {
    let root = site_dir(site);
    let options = Options {
        drafts,
        base_url: None,
    };
    let outcome = pipeline::build(
        &root,
        &options,
        &publish::Discard::default(),
        &crate::progress::Silent,
    );
    print_diagnostics(&outcome.diagnostics);
    if let Some(e) = &outcome.failed {
        eprintln!("lỗi: {e}");
    }
    if outcome.has_errors() {
        ExitCode::from(1)
    } else {
        eprintln!("Nội dung hợp lệ.");
        ExitCode::SUCCESS
    }
}

fn import(request: crate::import::Request) -> ExitCode {
    let outcome = match crate::import::run(&request) {
        Ok(outcome) => outcome,
        Err(e) => {
            eprintln!("lỗi: {e}");
            return ExitCode::from(2);
        }
    };
    print_problems(&outcome.problems, crate::import::Problem::is_error);
    if let Some(e) = &outcome.failed {
        eprintln!("lỗi: {e}");
        return ExitCode::from(1);
    }
    match &outcome.written {
        Some(w) => {
            println!(
                "Đã {} {} ({} đơn vị, {}) từ {}.",
                if w.replaced { "ghi đè" } else { "ghi" },
                w.path.display(),
                vi::int(w.rows as i64),
                w.period,
                w.source
            );
            ExitCode::SUCCESS
        }
        None => {
            eprintln!("Chưa ghi tệp nào vì bảng tính có lỗi.");
            ExitCode::from(1)
        }
    }
}

fn build(
    site: Option<PathBuf>,
    output: Option<PathBuf>,
    base_url: Option<String>,
    drafts: bool,
    quiet: bool,
) -> ExitCode {
    let started = Instant::now();
    let root = site_dir(site);
    let output = output.unwrap_or_else(|| root.join("output"));
    if let Err(message) = check_output(&root, &output) {
        eprintln!("lỗi: {message}");
        return ExitCode::from(2);
    }
    let base_url = match base_url.map(|u| normalize_base_url(&u)).transpose() {
        Ok(u) => u,
        Err(message) => {
            eprintln!("lỗi: {message}");
            return ExitCode::from(2);
        }
    };
    let options = Options { drafts, base_url };
    let staging = match publish::Staging::new(&output) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("lỗi: {e}");
            return ExitCode::from(2);
        }
    };
    let shown = Shown::new(quiet);
    let outcome = pipeline::build(&root, &options, &staging, &shown);
    shown.finish();
    print_diagnostics(&outcome.diagnostics);
    if let Some(e) = &outcome.failed {
        eprintln!("lỗi: {e}; {} giữ nguyên.", output.display());
        return ExitCode::from(1);
    }
    let Some(pages) = outcome.pages else {
        eprintln!(
            "Chưa tạo trang vì nội dung có lỗi; thư mục {} giữ nguyên.",
            output.display()
        );
        return ExitCode::from(1);
    };
    let publishing = Instant::now();
    let published = staging.commit();
    if std::env::var_os("BANTIN_TIMINGS").is_some() {
        eprintln!(
            "bantin: publish  {:>7.3} s",
            publishing.elapsed().as_secs_f64()
        );
    }
    match published {
        Ok(report) => {
            if !quiet {
                println!(
                    "Đã tạo {} trang, {} tệp, {} trong {} giây → {}",
                    vi::int(pages as i64),
                    vi::int(report.files as i64),
                    size(report.bytes),
                    vi::decimal(started.elapsed().as_millis() as i64, 1000, 2).unwrap_or_default(),
                    output.display()
                );
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("lỗi: {e}; {} giữ nguyên.", output.display());
            ExitCode::from(1)
        }
    }
}

/// A build's progress as the user sees it: nothing for a build under about
/// a second or with `--quiet`; then a bar on a terminal, plain lines in a
/// log.
struct Shown {
    started: Instant,
    quiet: bool,
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

    fn new(quiet: bool) -> Self {
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

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl crate::progress::Progress for Shown {
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
                Some(n) => eprintln!("{name}: {} trang…", vi::int(n as i64)),
                None => eprintln!("{name}…"),
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
            eprintln!("  {}/{} trang", vi::int(done as i64), vi::int(total as i64));
        }
    }
}

fn size(bytes: u64) -> String {
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

/// An absolute http(s) URL ending in `/`.
fn normalize_base_url(url: &str) -> Result<String, String> {
    let ok = (url.starts_with("https://") || url.starts_with("http://"))
        && url.len() > 8
        && url
            .chars()
            .all(|c| c.is_ascii_graphic() && !matches!(c, '"' | '\'' | '<' | '>' | '\\' | '`'));
    if !ok {
        return Err(format!(
            "--base-url phải là địa chỉ đầy đủ bắt đầu bằng https://, không phải '{url}'"
        ));
    }
    Ok(if url.ends_with('/') {
        url.to_owned()
    } else {
        format!("{url}/")
    })
}

/// The output folder must not hold the site, nor sit inside its sources:
/// it is replaced whole on every build.
fn check_output(root: &Path, output: &Path) -> Result<(), String> {
    let absolute = |p: &Path| -> PathBuf {
        let p = if p.is_absolute() {
            p.to_path_buf()
        } else {
            std::env::current_dir().unwrap_or_default().join(p)
        };
        // Resolve what exists (symbolic links included); keep the rest as written.
        let mut existing = p.clone();
        let mut rest = Vec::new();
        while !existing.exists() {
            match (
                existing.file_name().map(|n| n.to_owned()),
                existing.parent(),
            ) {
                (Some(name), Some(parent)) => {
                    rest.push(name);
                    existing = parent.to_path_buf();
                }
                _ => break,
            }
        }
        let mut out = existing.canonicalize().unwrap_or(existing);
        for name in rest.into_iter().rev() {
            out.push(name);
        }
        out
    };
    let root = absolute(root);
    let out = absolute(output);
    if root.starts_with(&out) {
        return Err(format!(
            "thư mục đầu ra {} chứa cả trang; bantin thay toàn bộ thư mục đầu ra mỗi lần tạo trang",
            output.display()
        ));
    }
    for source in crate::load::walk::SOURCE_DIRS {
        if out.starts_with(root.join(source)) {
            return Err(format!(
                "thư mục đầu ra {} nằm trong {source}/ của trang",
                output.display()
            ));
        }
    }
    Ok(())
}

fn print_diagnostics(diagnostics: &[Diagnostic]) {
    print_problems(diagnostics, Diagnostic::is_error);
}

/// Prints each problem on stderr (red errors, yellow warnings on a
/// terminal), then the count of each; nothing when there is none.
fn print_problems<P: std::fmt::Display>(problems: &[P], is_error: fn(&P) -> bool) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_is_well_formed() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }

    #[test]
    fn base_urls() {
        assert_eq!(
            normalize_base_url("https://a.vn").ok().as_deref(),
            Some("https://a.vn/")
        );
        assert!(normalize_base_url("javascript:alert(1)").is_err());
        assert!(normalize_base_url("https://a.vn/\"><script>").is_err());
    }

    #[test]
    fn the_output_cannot_swallow_the_site() {
        let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let site = tmp.path().join("trang");
        std::fs::create_dir_all(site.join("content")).ok();
        assert!(check_output(&site, &site.join("output")).is_ok());
        assert!(check_output(&site, &site).is_err());
        assert!(check_output(&site, tmp.path()).is_err());
        assert!(check_output(&site, &site.join("content/out")).is_err());
    }
}
