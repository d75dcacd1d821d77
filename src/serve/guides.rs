//! The guides and the theme's templates, read in the browser while
//! `bantin serve` runs: whoever has only the program has them, at
//! `/__bantin/huong-dan/` (the guides of `docs/`, the same text
//! `bantin new` writes into a new site's `huong-dan/` folder) and
//! `/__bantin/mau/<name>` (a template's source, to copy into the site's
//! `templates/` folder).

use std::fmt::Write as _;

use crate::scaffold::GUIDES;

/// Where the guides are served.
pub const GUIDE_ROOT: &str = "/__bantin/huong-dan/";
/// Where the theme's templates are served.
pub const TEMPLATE_ROOT: &str = "/__bantin/mau/";

/// The index page: the guides and the templates.
pub fn index() -> String {
    let mut body = String::from("<h1>Hướng dẫn bantin</h1>\n<ul>\n");
    for (name, title, _) in GUIDES {
        let _ = writeln!(body, "<li><a href=\"{name}\">{title}</a></li>");
    }
    body.push_str(
        "</ul>\n<h2>Các mẫu có sẵn</h2>\n<p>Chép một mẫu vào thư mục templates/ của trang (cùng tên tệp) rồi sửa.</p>\n<ul>\n",
    );
    for (name, _) in crate::render::TEMPLATES {
        let _ = writeln!(
            body,
            "<li><a href=\"{TEMPLATE_ROOT}{name}\">{name}</a></li>"
        );
    }
    body.push_str("</ul>\n");
    page("Hướng dẫn bantin", &body)
}

/// A guide as an HTML page, by its file name (`ma-loi.md`).
pub fn guide(name: &str) -> Option<String> {
    let (_, _, text) = GUIDES.iter().find(|(n, _, _)| *n == name)?;
    let options = pulldown_cmark::Options::ENABLE_TABLES;
    let mut html = String::with_capacity(text.len() * 2);
    pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new_ext(text, options));
    let title = text
        .lines()
        .find_map(|l| l.strip_prefix("# "))
        .unwrap_or(name);
    Some(page(title, &html))
}

/// A template's source, by its name (`bulletin_text.html`).
pub fn template(name: &str) -> Option<&'static str> {
    crate::render::TEMPLATES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, text)| *text)
}

fn page(title: &str, body: &str) -> String {
    let title = title.replace('&', "&amp;").replace('<', "&lt;");
    format!(
        "<!DOCTYPE html>\n<html lang=\"vi\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n<style>body{{font-family:system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;line-height:1.55}}\
         table{{border-collapse:collapse}}td,th{{border:1px solid #999;padding:.2rem .4rem;vertical-align:top}}\
         pre{{background:#f4f4f4;padding:.6rem;overflow:auto}}code{{background:#f4f4f4}}</style>\n</head>\n<body>\n\
         <p><a href=\"{GUIDE_ROOT}\">Hướng dẫn bantin</a></p>\n{body}</body>\n</html>\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_guide_and_template_is_served() {
        for (name, _, _) in GUIDES {
            let html = guide(name).unwrap_or_default();
            assert!(html.contains("<h1>"), "{name}");
        }
        assert!(guide("ma-loi.md").is_some_and(|h| h.contains("E601")));
        assert!(guide("../Cargo.toml").is_none());
        assert!(template("bulletin_text.html").is_some_and(|t| t.contains("bulletin_lead")));
        assert!(index().contains("report.xml"));
    }
}
