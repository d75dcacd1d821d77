//! The command line speaks Vietnamese: every wrong argument is answered
//! with `lỗi: …`, the usage and where the help is, exit status 2; the help
//! and the version have Vietnamese headings, exit status 0.

use crate::common::{bantin, stderr, stdout};

/// Words of clap's own English messages and headings.
const ENGLISH: &[&str] = &[
    "error:",
    "invalid value",
    "Usage",
    "For more information",
    "unexpected argument",
    "required",
    "tip:",
    "found",
    "is not in",
    "invalid digit",
    "Options",
    "Commands",
    "Arguments",
    "Print help",
    "Print version",
    "[default",
    "[possible",
];

fn no_english(what: &str, text: &str) {
    for word in ENGLISH {
        assert!(!text.contains(word), "{what}: English {word:?} in:\n{text}");
    }
}

#[test]
fn wrong_arguments_are_answered_in_vietnamese_with_status_2() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let import = ["import", "bang.csv", "--plan", "366-KH/TU"];
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            [&import[..], &["--year", "0", "--quarter", "1"]].concat(),
            "giá trị '0' của --year <NĂM> không dùng được: năm phải từ 1930 đến 2200",
        ),
        (
            [&import[..], &["--year", "-1", "--quarter", "1"]].concat(),
            "giá trị '-1' của --year <NĂM> không dùng được: năm phải từ 1930 đến 2200",
        ),
        (
            [&import[..], &["--year", "hai nghìn", "--quarter", "1"]].concat(),
            "năm phải viết bằng chữ số",
        ),
        (
            [&import[..], &["--year", "2024", "--quarter", "5"]].concat(),
            "giá trị '5' của --quarter <QUÝ> không dùng được: quý phải là 1, 2, 3 hoặc 4",
        ),
        (
            [&import[..], &["--year", "2024", "--quarter", "-1"]].concat(),
            "quý phải là 1, 2, 3 hoặc 4",
        ),
        (
            vec!["serve", "--port", "65536"],
            "giá trị '65536' của --port <CỔNG> không dùng được: cổng phải từ 0 đến 65535",
        ),
        (vec!["serve", "--port", "abc"], "cổng phải viết bằng chữ số"),
        (vec!["serve", "--port", "-5"], "cổng phải từ 0 đến 65535"),
        (vec!["serve", "-p"], "--port <CỔNG> cần một giá trị"),
        (
            vec!["build", "--output"],
            "--output <THƯ-MỤC> cần một giá trị",
        ),
        (vec!["build", "--nope"], "không có tùy chọn '--nope'"),
        (vec!["build", "--outpt", "x"], "gợi ý: có phải --output?"),
        (
            vec!["build", "-5"],
            "gợi ý: nếu '-5' là một giá trị, viết -- -5",
        ),
        (vec!["build", "a", "b"], "thừa tham số 'b'"),
        (vec!["--nope"], "không có tùy chọn '--nope'"),
        (vec!["nope"], "không có lệnh 'nope'"),
        (vec!["buid"], "gợi ý: có phải 'bantin build'?"),
        (vec!["help"], "không có lệnh 'help'"),
        (vec!["new"], "thiếu <THƯ-MỤC>"),
        (
            vec!["import", "bang.csv", "--year", "2024"],
            "thiếu --quarter <QUÝ>, --plan <SỐ-HIỆU>",
        ),
    ];
    for (args, expected) in &cases {
        let out = bantin(dir.path(), args);
        let err = stderr(&out);
        let what = args.join(" ");
        assert_eq!(out.status.code(), Some(2), "bantin {what}:\n{err}");
        assert!(err.starts_with("lỗi: "), "bantin {what}:\n{err}");
        assert!(
            err.contains(expected),
            "bantin {what}: no {expected:?} in:\n{err}"
        );
        assert!(err.contains("Xem thêm: bantin"), "bantin {what}:\n{err}");
        no_english(&format!("bantin {what}"), &err);
        assert!(stdout(&out).is_empty(), "bantin {what} wrote on stdout");
    }
    // The usage and the help named are the command's own.
    let out = bantin(dir.path(), &["serve", "--port", "65536"]);
    let err = stderr(&out);
    assert!(
        err.contains("Cách dùng: bantin serve [SITE] [--port CỔNG] [--drafts]")
            && err.contains("Xem thêm: bantin serve --help"),
        "{err}"
    );
    crate::common::record_count("wrong command lines tried", cases.len());
}

#[test]
fn help_and_version_have_vietnamese_headings() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    for args in [vec!["--help"], vec!["-h"]] {
        let out = bantin(dir.path(), &args);
        let text = stdout(&out);
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        for heading in ["Cách dùng:", "Lệnh:", "Tùy chọn:", "Ví dụ:"] {
            assert!(
                text.contains(heading),
                "{args:?}: no {heading:?} in:\n{text}"
            );
        }
        no_english(&format!("{args:?}"), &text);
    }
    for command in ["build", "check", "serve", "new", "import"] {
        for flag in ["--help", "-h"] {
            let out = bantin(dir.path(), &[command, flag]);
            let text = stdout(&out);
            assert_eq!(out.status.code(), Some(0), "{command} {flag}");
            for heading in ["Cách dùng: bantin", "Tùy chọn:"] {
                assert!(
                    text.contains(heading),
                    "{command} {flag}: no {heading:?} in:\n{text}"
                );
            }
            no_english(&format!("{command} {flag}"), &text);
        }
    }
    for flag in ["--version", "-V"] {
        let out = bantin(dir.path(), &[flag]);
        assert_eq!(out.status.code(), Some(0), "{flag}");
        assert!(stdout(&out).starts_with("bantin "), "{flag}");
    }
    // No command at all: the help, as a usage error.
    let out = bantin(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(2));
    let text = format!("{}{}", stdout(&out), stderr(&out));
    assert!(
        text.contains("Cách dùng:") && text.contains("Lệnh:"),
        "{text}"
    );
    no_english("bantin", &text);
}
