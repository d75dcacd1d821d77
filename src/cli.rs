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

use crate::diagnostic::{Diagnostic, complain, say};
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
            value_name = "CỔNG",
            value_parser = parse_port,
            allow_negative_numbers = true
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
        #[arg(long, value_name = "NĂM", value_parser = parse_year, allow_negative_numbers = true)]
        year: i32,
        /// Quý, từ 1 đến 4
        #[arg(long, value_name = "QUÝ", value_parser = parse_quarter, allow_negative_numbers = true)]
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
            use clap::error::ErrorKind as K;
            return match e.kind() {
                K::DisplayHelp | K::DisplayVersion => {
                    let _ = e.print();
                    ExitCode::SUCCESS
                }
                // `bantin` alone: the help, as a usage error.
                K::DisplayHelpOnMissingArgumentOrSubcommand => {
                    let _ = e.print();
                    ExitCode::from(2)
                }
                _ => {
                    // The command typed, for its usage when clap gives none.
                    let typed = std::env::args_os()
                        .skip(1)
                        .find(|a| !a.to_string_lossy().starts_with('-'));
                    let typed = typed.as_ref().map(|a| a.to_string_lossy());
                    for line in usage_error(&e, typed.as_deref()).lines() {
                        complain!("{line}");
                    }
                    ExitCode::from(2)
                }
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
                for line in crate::scaffold::summary(&dir).lines() {
                    say!("{line}");
                }
                ExitCode::SUCCESS
            }
            Err(e) => {
                complain!("lỗi: {e}");
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

/// A year of figures; the Party's first year to the last a date may have.
fn parse_year(s: &str) -> Result<i32, String> {
    match s.trim().parse::<i64>() {
        Ok(y) if (1930..=i64::from(vi::MAX_YEAR)).contains(&y) => Ok(y as i32),
        Ok(_) => Err(format!("năm phải từ 1930 đến {}", vi::MAX_YEAR)),
        Err(_) => Err("năm phải viết bằng chữ số, ví dụ 2024".to_owned()),
    }
}

fn parse_quarter(s: &str) -> Result<u8, String> {
    match s.trim() {
        "1" => Ok(1),
        "2" => Ok(2),
        "3" => Ok(3),
        "4" => Ok(4),
        _ => Err("quý phải là 1, 2, 3 hoặc 4".to_owned()),
    }
}

fn parse_port(s: &str) -> Result<u16, String> {
    match s.trim().parse::<i64>() {
        Ok(p) => u16::try_from(p)
            .map_err(|_| "cổng phải từ 0 đến 65535 (0: để máy chọn cổng trống)".to_owned()),
        Err(_) => Err("cổng phải viết bằng chữ số, ví dụ 8090".to_owned()),
    }
}

/// A wrong command line, said in Vietnamese from what clap found: the
/// problem, a hint when clap has a suggestion, the usage of the command,
/// and where the help is. clap's own text is English; only the facts it
/// found are used.
fn usage_error(e: &clap::Error, typed: Option<&str>) -> String {
    use clap::error::{ContextKind as C, ContextValue as V, ErrorKind as K};
    let text = |kind: C| -> Option<String> {
        match e.get(kind)? {
            V::String(s) => Some(s.clone()),
            V::Strings(list) => Some(list.join(", ")),
            V::StyledStr(s) => Some(s.to_string()),
            V::StyledStrs(list) => Some(
                list.iter()
                    .map(|s| s.to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
            V::Number(n) => Some(n.to_string()),
            _ => None,
        }
    };
    let arg = text(C::InvalidArg).unwrap_or_default();
    let value = text(C::InvalidValue).unwrap_or_default();
    let mut hints: Vec<String> = Vec::new();
    let message = match e.kind() {
        K::InvalidValue if value.is_empty() => format!("{arg} cần một giá trị"),
        K::InvalidValue => {
            if let Some(valid) = text(C::ValidValue) {
                hints.push(format!("các giá trị dùng được: {valid}"));
            }
            format!("giá trị '{value}' của {arg} không dùng được")
        }
        K::ValueValidation => {
            let why = std::error::Error::source(e)
                .map(|s| s.to_string())
                .filter(|s| !s.is_empty());
            match why {
                Some(why) => format!("giá trị '{value}' của {arg} không dùng được: {why}"),
                None => format!("giá trị '{value}' của {arg} không dùng được"),
            }
        }
        K::UnknownArgument if arg.starts_with('-') => {
            if let Some(suggested) = text(C::SuggestedArg) {
                hints.push(format!("có phải {suggested}?"));
            }
            if text(C::TrailingArg).is_some() || arg.parse::<f64>().is_ok() {
                hints.push(format!("nếu '{arg}' là một giá trị, viết -- {arg}"));
            }
            format!("không có tùy chọn '{arg}'")
        }
        K::UnknownArgument => format!("thừa tham số '{arg}'"),
        K::InvalidSubcommand => {
            let wrong = text(C::InvalidSubcommand).unwrap_or_default();
            if let Some(suggested) = text(C::SuggestedSubcommand) {
                hints.push(format!("có phải 'bantin {suggested}'?"));
            }
            hints.push("các lệnh: build, check, serve, new, import".to_owned());
            format!("không có lệnh '{wrong}'")
        }
        K::MissingSubcommand => "thiếu lệnh".to_owned(),
        K::MissingRequiredArgument => format!("thiếu {arg}"),
        K::NoEquals => format!("{arg} cần dấu '=' trước giá trị"),
        K::ArgumentConflict => match text(C::PriorArg) {
            Some(prior) => format!("{arg} không dùng cùng {prior}"),
            None => format!("{arg} không dùng cùng tùy chọn trước nó"),
        },
        K::TooManyValues => format!("thừa giá trị '{value}' cho {arg}"),
        K::TooFewValues | K::WrongNumberOfValues => format!("{arg}: số giá trị không đúng"),
        K::InvalidUtf8 => "một tham số không phải văn bản UTF-8".to_owned(),
        _ => "dòng lệnh không hợp lệ".to_owned(),
    };
    let usage = text(C::Usage)
        .or_else(|| {
            use clap::CommandFactory;
            let mut cli = Cli::command();
            let sub = cli.find_subcommand_mut(typed?)?;
            Some(sub.render_usage().to_string())
        })
        .map(|u| {
            u.strip_prefix("Usage:")
                .map_or(u.as_str(), str::trim_start)
                .to_owned()
        });
    // The help of the command the usage is of: `bantin import --help`.
    let command: String = usage
        .as_deref()
        .unwrap_or("bantin")
        .split_whitespace()
        .take(2)
        .take_while(|w| w.chars().all(|c| c.is_ascii_lowercase()))
        .collect::<Vec<_>>()
        .join(" ");
    let mut out = format!("lỗi: {message}");
    for hint in hints {
        out.push_str(&format!("\n  gợi ý: {hint}"));
    }
    if let Some(usage) = usage {
        out.push_str(&format!("\nCách dùng: {usage}"));
    }
    out.push_str(&format!("\nXem thêm: {command} --help"));
    out
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
        complain!("lỗi: {e}");
    }
    if outcome.has_errors() {
        ExitCode::from(1)
    } else {
        complain!("Nội dung hợp lệ.");
        ExitCode::SUCCESS
    }
}

fn import(request: crate::import::Request) -> ExitCode {
    let outcome = match crate::import::run(&request) {
        Ok(outcome) => outcome,
        Err(e) => {
            complain!("lỗi: {e}");
            return ExitCode::from(2);
        }
    };
    print_problems(&outcome.problems, crate::import::Problem::is_error);
    if let Some(e) = &outcome.failed {
        complain!("lỗi: {e}");
        return ExitCode::from(1);
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
            ExitCode::SUCCESS
        }
        None => {
            complain!("Chưa ghi tệp nào vì bảng tính có lỗi.");
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
        complain!("lỗi: {message}");
        return ExitCode::from(2);
    }
    let base_url = match base_url.map(|u| normalize_base_url(&u)).transpose() {
        Ok(u) => u,
        Err(message) => {
            complain!("lỗi: {message}");
            return ExitCode::from(2);
        }
    };
    let options = Options { drafts, base_url };
    let staging = match publish::Staging::new(&output) {
        Ok(s) => s,
        Err(e) => {
            complain!("lỗi: {e}");
            return ExitCode::from(2);
        }
    };
    let shown = Shown::new(quiet);
    let outcome = pipeline::build(&root, &options, &staging, &shown);
    shown.finish();
    print_diagnostics(&outcome.diagnostics);
    if let Some(e) = &outcome.failed {
        print_publish_error(e, &output);
        return ExitCode::from(1);
    }
    let Some(pages) = outcome.pages else {
        complain!(
            "Chưa tạo trang vì nội dung có lỗi; thư mục {} giữ nguyên.",
            output.display()
        );
        return ExitCode::from(1);
    };
    let publishing = Instant::now();
    let published = staging.commit();
    if std::env::var_os("BANTIN_TIMINGS").is_some() {
        complain!(
            "bantin: publish  {:>7.3} s",
            publishing.elapsed().as_secs_f64()
        );
    }
    match published {
        Ok(report) => {
            if !quiet {
                say!(
                    "Đã tạo {} trang, {} tệp, {} trong {} giây → {}{}",
                    vi::int(pages as i64),
                    vi::int(report.files as i64),
                    size(report.bytes),
                    vi::decimal(started.elapsed().as_millis() as i64, 1000, 2).unwrap_or_default(),
                    output.display(),
                    if report.flushed {
                        " (đã ghi hết xuống ổ đĩa, có thể tháo ổ ra)"
                    } else {
                        ""
                    }
                );
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            print_publish_error(&e, &output);
            ExitCode::from(1)
        }
    }
}

/// Why the new site is not published, and what became of the output folder.
fn print_publish_error(e: &publish::PublishError, output: &Path) {
    if e.kept {
        complain!("lỗi: {e}; {} giữ nguyên.", output.display());
    } else {
        complain!("lỗi: {e}.");
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
