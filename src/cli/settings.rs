//! From the arguments as typed to what each command runs with: every value
//! goes through its kind's validator in [`crate::values`] (the ones the
//! site's files go through too), every problem is collected, and a command
//! starts only with settings that are all valid.

use std::path::{Path, PathBuf};

use super::args::{Command, Problem, Wrong};
use crate::import;
use crate::render::Options;
use crate::stats::Quarter;
use crate::values::{self, Invalid};

/// One command with its validated settings.
pub(super) enum Settings {
    Build(Build),
    Check(Check),
    Serve(Serve),
    New { dir: PathBuf },
    Import(import::Request),
}

pub(super) struct Build {
    pub(super) site: PathBuf,
    /// Neither the site folder nor inside its sources.
    pub(super) output: PathBuf,
    /// `base_url` in its normal form, when given.
    pub(super) options: Options,
    pub(super) quiet: bool,
}

pub(super) struct Check {
    pub(super) site: PathBuf,
    pub(super) options: Options,
}

pub(super) struct Serve {
    /// Holds `content/`.
    pub(super) site: PathBuf,
    pub(super) port: u16,
    pub(super) options: Options,
}

/// Port of `bantin serve` without `--port`.
const DEFAULT_PORT: u16 = 8080;

/// The settings of `command`, or everything wrong with its values.
pub(super) fn of(command: Command) -> Result<Settings, Wrong> {
    let name = command.name();
    let mut problems = Vec::new();
    let settings = match command {
        Command::Build {
            site,
            output,
            base_url,
            drafts,
            quiet,
        } => {
            let site = site_dir(site);
            let output = output.unwrap_or_else(|| site.join("output"));
            if let Err(message) = check_output(&site, &output) {
                problems.push(Problem {
                    message,
                    hints: Vec::new(),
                });
            }
            let base_url = base_url.and_then(|typed| {
                let typed = typed.trim();
                valid(
                    &mut problems,
                    "--base-url <URL>",
                    typed,
                    values::base_url(typed),
                )
            });
            Some(Settings::Build(Build {
                site,
                output,
                options: Options { drafts, base_url },
                quiet,
            }))
        }
        Command::Check { site, drafts } => Some(Settings::Check(Check {
            site: site_dir(site),
            options: Options {
                drafts,
                base_url: None,
            },
        })),
        Command::Serve { site, port, drafts } => {
            let site = site_dir(site);
            if let Err(why) = values::site_folder(&site) {
                problems.push(site_problem(why, "đường dẫn: bantin serve ĐƯỜNG-DẪN"));
            }
            let port = match port {
                None => Some(DEFAULT_PORT),
                Some(typed) => {
                    let typed = typed.trim();
                    let port = values::whole_number(typed, "cổng", "8090").and_then(values::port);
                    valid(&mut problems, "--port <CỔNG>", typed, port)
                }
            };
            port.map(|port| {
                Settings::Serve(Serve {
                    site,
                    port,
                    options: Options {
                        drafts,
                        base_url: None,
                    },
                })
            })
        }
        Command::New { dir } => Some(Settings::New { dir }),
        Command::Import {
            file,
            year,
            quarter,
            plan,
            site,
            output,
            force,
        } => {
            let year = {
                let typed = year.trim();
                let year = values::whole_number(typed, "năm", "2024").and_then(values::year);
                valid(&mut problems, "--year <NĂM>", typed, year)
            };
            let quarter = {
                let typed = quarter.trim();
                let quarter = typed
                    .parse::<i64>()
                    .map_or_else(|_| Err(values::not_a_quarter()), values::quarter);
                valid(&mut problems, "--quarter <QUÝ>", typed, quarter)
            };
            let plan = {
                let typed = plan.trim();
                valid(
                    &mut problems,
                    "--plan <SỐ-HIỆU>",
                    typed,
                    values::plan_symbol(typed),
                )
            };
            let site = site_dir(site);
            if let Err(why) = values::site_folder(&site) {
                problems.push(site_problem(why, "--site ĐƯỜNG-DẪN"));
            }
            // Any year and quarter the validators accept make a quarter.
            let period = year.zip(quarter).and_then(|(y, q)| Quarter::new(y, q));
            period.zip(plan).map(|(period, plan)| {
                Settings::Import(import::Request {
                    file,
                    period,
                    plan,
                    site,
                    output,
                    force,
                })
            })
        }
    };
    match settings {
        Some(settings) if problems.is_empty() => Ok(settings),
        _ => Err(Wrong::of_command(name, problems)),
    }
}

/// The value a validator accepted; what it refused, said of `arg`, joins
/// `problems`.
fn valid<T>(
    problems: &mut Vec<Problem>,
    arg: &str,
    typed: &str,
    checked: Result<T, Invalid>,
) -> Option<T> {
    checked
        .map_err(|why| problems.push(Problem::value(arg, typed, why)))
        .ok()
}

/// A folder that holds no site, and how to name the right one.
fn site_problem(why: Invalid, how: &str) -> Problem {
    Problem {
        message: why.message,
        hints: vec![format!(
            "chạy lệnh trong thư mục của trang (thư mục chứa content/), hoặc ghi {how}"
        )],
    }
}

fn site_dir(site: Option<PathBuf>) -> PathBuf {
    site.unwrap_or_else(|| PathBuf::from("."))
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

#[cfg(test)]
mod tests {
    use super::*;

    /// `--base-url` and `base_url:` in site.yaml: the same values accepted,
    /// in the same normal form; the same words for those refused.
    #[test]
    fn a_base_url_is_judged_alike_on_the_command_line_and_in_site_yaml() {
        let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let site = tmp.path().to_path_buf();
        std::fs::create_dir_all(site.join("content")).unwrap_or_else(|e| panic!("{e}"));
        let urls = [
            "https://a.vn",
            "http://127.0.0.1:8080/luu-tru/",
            "https://a.vn/?x=1",
            "https://a.vn/#tin",
            "javascript:alert(1)",
            "https://a b.vn/",
            "https://ảnh.vn/",
            "https://",
        ];
        for url in urls {
            let typed = settings_of_build(&site, url);
            std::fs::write(
                site.join("content/site.yaml"),
                format!("title: T\norganization: Đảng bộ\nbase_url: '{url}'\n"),
            )
            .unwrap_or_else(|e| panic!("{e}"));
            let (loaded, diagnostics) = crate::load::load(&site);
            let in_file: Vec<_> = diagnostics
                .iter()
                .filter(|d| d.file == "content/site.yaml")
                .collect();
            match typed {
                Ok(accepted) => {
                    assert!(in_file.is_empty(), "{url}: {in_file:?}");
                    let written = loaded.config.map(|c| c.base_url.value);
                    assert_eq!(written, accepted, "{url}");
                }
                Err((message, hints)) => {
                    let [d] = in_file.as_slice() else {
                        panic!("{url}: {in_file:?}");
                    };
                    assert_eq!(d.code, crate::diagnostic::Code::BadValue, "{url}");
                    let why =
                        |m: &str| m.split_once("không dùng được: ").map(|(_, w)| w.to_owned());
                    assert!(why(&message).is_some(), "{message}");
                    assert_eq!(why(&d.message), why(&message), "{url}");
                    assert_eq!(d.hint.iter().cloned().collect::<Vec<_>>(), hints, "{url}");
                }
            }
        }
    }

    /// `bantin import --year --quarter --plan` and the same keys of a
    /// results file: the same words for what is refused.
    #[test]
    fn years_quarters_and_plans_are_judged_alike_by_import_and_the_loader() {
        let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        std::fs::create_dir_all(tmp.path().join("content")).unwrap_or_else(|e| panic!("{e}"));
        let cases = [
            ("1800", "1", "12-KH/TU"),
            ("2024", "5", "12-KH/TU"),
            ("2024", "0", "12-kh/tu"),
            ("2201", "3", "12KH/TU"),
        ];
        for (year, quarter, plan) in cases {
            let command = Command::Import {
                file: "bang.csv".into(),
                year: year.into(),
                quarter: quarter.into(),
                plan: plan.into(),
                site: Some(tmp.path().to_path_buf()),
                output: None,
                force: false,
            };
            let Err(wrong) = of(command) else {
                panic!("{year} {quarter} {plan} accepted");
            };
            let mut files = crate::model::Files::default();
            let id = files.add("q.yaml".into());
            let text = format!("year: {year}\nquarter: {quarter}\nplan: {plan}\nrows: []\n");
            let (_, diagnostics) = crate::load::report_from_text(&files, id, &text, None);
            let why = |m: &str| m.split_once("không dùng được: ").map(|(_, w)| w.to_owned());
            let typed: Vec<_> = wrong.problems.iter().map(|p| why(&p.message)).collect();
            let loaded: Vec<_> = diagnostics.iter().map(|d| why(&d.message)).collect();
            assert_eq!(typed, loaded, "{year} {quarter} {plan}");
            assert!(typed.iter().all(Option::is_some), "{year} {quarter} {plan}");
            assert!(!typed.is_empty(), "{year} {quarter} {plan}");
            let hints: Vec<_> = wrong.problems.iter().map(|p| p.hints.first()).collect();
            let loaded: Vec<_> = diagnostics.iter().map(|d| d.hint.as_ref()).collect();
            assert_eq!(hints, loaded, "{year} {quarter} {plan}");
        }
    }

    /// The base URL `bantin build --base-url URL` runs with, or its one
    /// problem.
    fn settings_of_build(site: &Path, url: &str) -> Result<Option<String>, (String, Vec<String>)> {
        let command = Command::Build {
            site: Some(site.to_path_buf()),
            output: None,
            base_url: Some(url.to_owned()),
            drafts: false,
            quiet: false,
        };
        match of(command) {
            Ok(Settings::Build(b)) => Ok(b.options.base_url),
            Ok(_) => panic!("not a build"),
            Err(mut wrong) => {
                assert_eq!(wrong.problems.len(), 1, "{}", wrong.text());
                let p = wrong.problems.remove(0);
                Err((p.message, p.hints))
            }
        }
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
