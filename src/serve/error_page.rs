//! The page `serve` shows while the content has errors: each problem with
//! its file, line, message and hint, so an editor can fix it without the
//! terminal. Self-contained (inline style), since the site's own assets may
//! be what is broken.

use std::fmt::Write;

use super::Build;
use crate::diagnostic::Diagnostic;
use crate::html::escape;
use crate::vi;

const STYLE: &str = "\
body{font-family:\"Segoe UI\",Roboto,\"Noto Sans\",Arial,sans-serif;margin:0;color:#1a1a1a;background:#fff;line-height:1.5}\
header{background:#8b1a1a;color:#fff;padding:1rem 1.5rem}\
h1{margin:0;font-size:1.4rem}\
main{max-width:60rem;margin:0 auto;padding:1rem 1.5rem}\
ol{padding-left:1.5rem}\
li{margin:0 0 1rem;padding:.5rem .75rem;border-left:4px solid #8b1a1a;background:#f6f3ee}\
li.warning{border-left-color:#7a5c00}\
.where{font-family:ui-monospace,Consolas,monospace;font-weight:bold}\
.code{font-family:ui-monospace,Consolas,monospace;color:#595959}\
.hint{margin:.25rem 0 0;color:#1a3d1a}";

/// The whole page.
pub(super) fn html(build: &Build) -> String {
    let errors: Vec<&Diagnostic> = build.diagnostics.iter().filter(|d| d.is_error()).collect();
    let warnings: Vec<&Diagnostic> = build.diagnostics.iter().filter(|d| !d.is_error()).collect();
    let mut out = String::with_capacity(4096);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"vi\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>Nội dung có lỗi — bantin</title>\n<style>{STYLE}</style>\n</head>\n<body>\n\
         <header><h1>Chưa tạo được trang: nội dung có {} lỗi</h1></header>\n<main>\n\
         <p>Sửa các lỗi dưới đây rồi lưu tệp; trang này tự tải lại khi nội dung hợp lệ.</p>\n",
        vi::int(errors.len() as i64)
    );
    list(&mut out, &errors, "error");
    if !warnings.is_empty() {
        let _ = writeln!(
            out,
            "<h2>Cảnh báo ({})</h2>",
            vi::int(warnings.len() as i64)
        );
        list(&mut out, &warnings, "warning");
    }
    out.push_str(
        "<p>Ý nghĩa từng mã lỗi: <a href=\"/__bantin/huong-dan/ma-loi.md\">các mã lỗi</a>; \
         <a href=\"/__bantin/huong-dan/\">hướng dẫn sử dụng</a>.</p>\n</main>\n</body>\n</html>\n",
    );
    out
}

fn list(out: &mut String, items: &[&Diagnostic], class: &str) {
    out.push_str("<ol>\n");
    for d in items {
        let place = match (d.line, d.col) {
            (0, _) => d.file.clone(),
            (l, 0) => format!("{}:{l}", d.file),
            (l, c) => format!("{}:{l}:{c}", d.file),
        };
        let _ = write!(
            out,
            "<li class=\"{class}\"><span class=\"where\">{}</span> <span class=\"code\">[{}]</span><br>{}",
            escape(&place),
            d.code.as_str(),
            escape(&d.message)
        );
        if let Some(h) = &d.hint {
            let _ = write!(out, "<p class=\"hint\">Gợi ý: {}</p>", escape(h));
        }
        out.push_str("</li>\n");
    }
    out.push_str("</ol>\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Code;

    #[test]
    fn lists_each_problem_escaped() {
        let build = Build {
            version: "1".into(),
            diagnostics: vec![Diagnostic {
                code: Code::BadValue,
                file: "content/results/2023/q1.yaml".into(),
                line: 7,
                col: 15,
                message: "'admitted' phải là số <script>".into(),
                hint: Some("ví dụ admitted: 35".into()),
            }],
            took: std::time::Duration::ZERO,
        };
        let page = html(&build);
        assert!(page.contains("content/results/2023/q1.yaml:7:15"));
        assert!(page.contains("số &lt;script&gt;"));
        assert!(page.contains("Gợi ý: ví dụ admitted: 35"));
        assert!(page.contains("có 1 lỗi"));
    }
}
