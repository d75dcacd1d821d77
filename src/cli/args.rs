//! The command line as typed: clap's definition of every command and
//! option, with Vietnamese help, and a wrong command line said in
//! Vietnamese. Values stay text here; [`super::settings`] validates them.

use std::path::PathBuf;

use clap::{CommandFactory, Parser, Subcommand};

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

Hướng dẫn: bantin new chép vào thư mục huong-dan/ của trang mới; khi chạy
bantin serve, đọc trên trình duyệt tại /__bantin/huong-dan/.";

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
pub(super) struct Args {
    #[command(subcommand)]
    pub(super) command: Command,
    /// In hướng dẫn này
    #[arg(short, long, action = clap::ArgAction::Help, global = true, help_heading = "Tùy chọn")]
    help: Option<bool>,
    /// In số phiên bản
    #[arg(short = 'V', long, action = clap::ArgAction::Version, help_heading = "Tùy chọn")]
    version: Option<bool>,
}

#[derive(Subcommand, Debug)]
pub(super) enum Command {
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
        #[arg(long, short, value_name = "CỔNG", allow_negative_numbers = true)]
        port: Option<String>,
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
        #[arg(long, value_name = "NĂM", allow_negative_numbers = true)]
        year: String,
        /// Quý, từ 1 đến 4
        #[arg(long, value_name = "QUÝ", allow_negative_numbers = true)]
        quarter: String,
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

impl Command {
    /// As typed: `import`.
    pub(super) fn name(&self) -> &'static str {
        match self {
            Command::Build { .. } => "build",
            Command::Check { .. } => "check",
            Command::Serve { .. } => "serve",
            Command::New { .. } => "new",
            Command::Import { .. } => "import",
        }
    }
}

/// What parsing the arguments gave when it gave no command to run.
pub(super) enum NotRun {
    /// `--help` or `--version`: shown, and done.
    Shown(clap::Error),
    /// `bantin` alone: the help, as a usage error.
    HelpInstead(clap::Error),
    Wrong(Wrong),
}

/// The arguments of this process.
pub(super) fn parse() -> Result<Args, NotRun> {
    use clap::error::ErrorKind as K;
    Args::try_parse().map_err(|e| match e.kind() {
        K::DisplayHelp | K::DisplayVersion => NotRun::Shown(e),
        K::DisplayHelpOnMissingArgumentOrSubcommand => NotRun::HelpInstead(e),
        _ => {
            // The command typed, for its usage when clap gives none.
            let typed = std::env::args_os()
                .skip(1)
                .find(|a| !a.to_string_lossy().starts_with('-'));
            let typed = typed.as_ref().map(|a| a.to_string_lossy());
            NotRun::Wrong(Wrong::from_clap(&e, typed.as_deref()))
        }
    })
}

/// One thing wrong with a command line, and how to put it right.
pub(super) struct Problem {
    pub(super) message: String,
    pub(super) hints: Vec<String>,
}

impl Problem {
    /// A value given to `arg` (`--year <NĂM>`) that its kind's validator
    /// refused.
    pub(super) fn value(arg: &str, value: &str, why: crate::values::Invalid) -> Problem {
        Problem {
            message: format!(
                "giá trị '{value}' của {arg} không dùng được: {}",
                why.message
            ),
            hints: why.hint.into_iter().collect(),
        }
    }
}

/// A command line that cannot run: every problem found, the usage of the
/// command, and where its help is.
pub(super) struct Wrong {
    pub(super) problems: Vec<Problem>,
    /// The usage line, without its heading.
    usage: Option<String>,
}

impl Wrong {
    /// Problems with the values given to the command `command` (`import`).
    pub(super) fn of_command(command: &str, problems: Vec<Problem>) -> Wrong {
        Wrong {
            problems,
            usage: usage_of(command),
        }
    }

    /// Said in Vietnamese from what clap found: the problem, a hint when
    /// clap has a suggestion, the usage. clap's own text is English; only
    /// the facts it found are used.
    fn from_clap(e: &clap::Error, typed: Option<&str>) -> Wrong {
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
            .map(|u| {
                u.strip_prefix("Usage:")
                    .map_or(u.as_str(), str::trim_start)
                    .to_owned()
            })
            .or_else(|| usage_of(typed?));
        Wrong {
            problems: vec![Problem { message, hints }],
            usage,
        }
    }

    /// The whole text, one line each: `lỗi: …`, `  gợi ý: …`, `Cách dùng: …`,
    /// `Xem thêm: bantin import --help`.
    pub(super) fn text(&self) -> String {
        // The help of the command the usage is of: `bantin import --help`.
        let command: String = self
            .usage
            .as_deref()
            .unwrap_or("bantin")
            .split_whitespace()
            .take(2)
            .take_while(|w| w.chars().all(|c| c.is_ascii_lowercase()))
            .collect::<Vec<_>>()
            .join(" ");
        let mut lines = Vec::new();
        for problem in &self.problems {
            lines.push(format!("lỗi: {}", problem.message));
            for hint in &problem.hints {
                lines.push(format!("  gợi ý: {hint}"));
            }
        }
        if let Some(usage) = &self.usage {
            lines.push(format!("Cách dùng: {usage}"));
        }
        lines.push(format!("Xem thêm: {command} --help"));
        lines.join("\n")
    }
}

/// The usage line of the command `name`, if there is one.
fn usage_of(name: &str) -> Option<String> {
    let mut args = Args::command();
    let command = args.find_subcommand_mut(name)?;
    let usage = command.render_usage().to_string();
    Some(
        usage
            .strip_prefix("Usage:")
            .map_or(usage.as_str(), str::trim_start)
            .to_owned(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_is_well_formed() {
        Args::command().debug_assert();
    }

    #[test]
    fn a_wrong_value_is_said_with_the_usage_of_its_command() {
        let wrong = Wrong::of_command(
            "import",
            vec![
                Problem::value(
                    "--quarter <QUÝ>",
                    "5",
                    crate::values::quarter(5)
                        .err()
                        .unwrap_or_else(|| panic!("5")),
                ),
                Problem::value(
                    "--plan <SỐ-HIỆU>",
                    "12-kh/tu",
                    crate::values::document_symbol("12-kh/tu")
                        .err()
                        .unwrap_or_else(|| panic!("12-kh/tu")),
                ),
            ],
        );
        assert_eq!(
            wrong.text(),
            "lỗi: giá trị '5' của --quarter <QUÝ> không dùng được: quý phải là 1, 2, 3 hoặc 4\n\
             lỗi: giá trị '12-kh/tu' của --plan <SỐ-HIỆU> không dùng được: số hiệu phân biệt chữ hoa, chữ thường\n  \
             gợi ý: có phải 12-KH/TU?\n\
             Cách dùng: bantin import TỆP --year NĂM --quarter QUÝ --plan SỐ-HIỆU [--site SITE] [--output TỆP] [--force]\n\
             Xem thêm: bantin import --help"
        );
    }
}
