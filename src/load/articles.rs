//! `articles/**/*.md`: YAML front matter between `---` lines, then Markdown.

use super::read::{Reader, shown, slug_problem};
use super::yaml::{self, Node};
use crate::diagnostic::Code;
use crate::model::{Article, FileId, Loc, Sp};
use crate::vi;

const ARTICLE_KEYS: &[&str] = &[
    "title",
    "date",
    "author",
    "source",
    "summary",
    "image",
    "image_caption",
    "tags",
    "units",
    "draft",
    "slug",
];

/// Most tags an article may have (each tag is a page listing it).
pub const MAX_TAGS: usize = 50;

/// Longest slug accepted from `slug:` (titles are cut by `vi::slugify`).
const MAX_SLUG_LEN: usize = vi::MAX_SLUG_LEN;

/// A Markdown file cut into its front matter and body.
pub struct Parts<'t> {
    pub front: &'t str,
    /// Lines before the front matter text (the opening `---`).
    pub front_line_offset: u32,
    pub body: &'t str,
    /// 1-based line where the body starts.
    pub body_line: u32,
}

/// Splits `text` at its `---` lines; `Err` says what is wrong, at which line.
pub fn split_front_matter(text: &str) -> Result<Parts<'_>, (u32, &'static str)> {
    let Some(rest) = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("--- \n"))
    else {
        return Err((
            1,
            "bài viết phải mở đầu bằng phần thông tin (front matter) đặt giữa hai dòng '---'",
        ));
    };
    let mut offset = 0;
    for (i, line) in rest.split_inclusive('\n').enumerate() {
        let bare = line.trim_end();
        if bare == "---" || bare == "..." {
            let body_start = offset + line.len();
            return Ok(Parts {
                front: &rest[..offset],
                front_line_offset: 1,
                body: &rest[body_start..],
                body_line: i as u32 + 3,
            });
        }
        offset += line.len();
    }
    Err((
        1,
        "thiếu dòng '---' đóng phần thông tin (front matter) của bài viết",
    ))
}

const EDITORIAL_KEYS: &[&str] = &["image", "image_caption"];

/// A Markdown file's front matter, cut off and parsed; every problem is
/// reported (`hint` says where the front matter belongs).
fn front_matter<'t>(
    r: &mut Reader,
    text: &'t str,
    file: FileId,
    hint: &str,
) -> Option<(Parts<'t>, Node)> {
    let parts = match split_front_matter(text) {
        Ok(p) => p,
        Err((line, message)) => {
            r.diags
                .report(Code::FrontMatter, Loc::new(file, line, 1), message)
                .with_hint(hint);
            return None;
        }
    };
    match yaml::parse(parts.front, parts.front_line_offset) {
        Ok(root) => Some((parts, root)),
        Err(e) => {
            let d = r
                .diags
                .report(e.code, Loc::new(file, e.line, e.col), e.message);
            if let Some(h) = e.hint {
                d.with_hint(h);
            }
            None
        }
    }
}

/// An editorial's parts: its optional front matter, its Markdown.
pub struct EditorialParts<'t> {
    pub image: Option<Sp<String>>,
    pub image_caption: Option<Sp<String>>,
    pub body: &'t str,
    /// 1-based line where the body starts.
    pub body_line: u32,
}

/// An editorial (`results/<year>/q<N>.md`): Markdown, after an optional
/// front matter naming the quarter's lead photo (`image`, `image_caption`).
pub fn editorial<'t>(r: &mut Reader, text: &'t str, file: FileId) -> Option<EditorialParts<'t>> {
    let starts_with_fence = text.lines().next().is_some_and(|l| l.trim_end() == "---");
    if !starts_with_fence {
        return Some(EditorialParts {
            image: None,
            image_caption: None,
            body: text,
            body_line: 1,
        });
    }
    let (parts, root) = front_matter(
        r,
        text,
        file,
        "phần thông tin (ảnh của quý) nằm giữa hai dòng '---' ở đầu tệp",
    )?;
    let (mut image, mut caption) = (None, None);
    if root.value != yaml::Value::Null {
        let t = r.table(&root, "phần thông tin của nhận định", EDITORIAL_KEYS)?;
        image = t.get("image").and_then(|n| media_path(r, n, "image"));
        caption = r.opt_text(&t, "image_caption");
    }
    Some(EditorialParts {
        image,
        image_caption: caption,
        body: parts.body,
        body_line: parts.body_line,
    })
}

pub fn article(r: &mut Reader, text: &str, file: FileId) -> Option<Article> {
    let (parts, root) = front_matter(
        r,
        text,
        file,
        "mở đầu tệp bằng dòng '---', rồi các dòng title: ..., date: ..., rồi một dòng '---'",
    )?;
    if root.value == yaml::Value::Null {
        r.diags.report(
            Code::MissingKey,
            Loc::new(file, 1, 1),
            "phần thông tin của bài viết trống; cần ít nhất 'title' và 'date'",
        );
        return None;
    }
    let what = "phần thông tin của bài viết";
    let t = r.table(&root, what, ARTICLE_KEYS)?;
    let title = r.req_text(&t, "title", what);
    let date = r
        .require(&t, "date", what)
        .and_then(|n| r.datetime(n, "date"));
    let date_only = matches!(
        t.get("date").map(|n| &n.value),
        Some(yaml::Value::Str(s)) if vi::parse_date(s).is_some()
    );
    let author = r.opt_text(&t, "author");
    let source = r.opt_text(&t, "source");
    let summary = r.opt_text(&t, "summary");
    let image = t.get("image").and_then(|n| media_path(r, n, "image"));
    let image_caption = r.opt_text(&t, "image_caption");
    let tags = r.text_list(&t, "tags");
    if tags.len() > MAX_TAGS {
        let n = t.get("tags").unwrap_or(t.node);
        r.report(
            Code::TooLarge,
            n,
            format!(
                "bài viết có {} chủ đề, vượt giới hạn {MAX_TAGS}",
                vi::int(tags.len() as i64)
            ),
        );
        return None;
    }
    let units = r.id_list(&t, "units");
    let draft = t
        .get("draft")
        .and_then(|n| r.boolean(n, "draft"))
        .is_some_and(|b| b.value);
    let slug = match t.get("slug") {
        Some(n) => given_slug(r, n),
        None => title.as_ref().and_then(|title| title_slug(r, &t, title)),
    };
    if let Some(problem) = control_character(parts.body) {
        let (line, col) = super::source::position(parts.body, problem.0);
        r.diags
            .report(
                Code::BadValue,
                Loc::new(file, parts.body_line + line - 1, col),
                format!(
                    "nội dung bài viết chứa ký tự không dùng được U+{:04X}",
                    problem.1 as u32
                ),
            )
            .with_hint("xóa ký tự này (thường lẫn vào khi sao chép từ tệp khác)");
        return None;
    }
    Some(Article {
        file,
        title: title?,
        date: date?,
        date_only,
        author,
        source,
        summary,
        image,
        image_caption,
        tags,
        units,
        draft,
        slug: slug?,
        body: vi::nfc(parts.body).into_owned(),
        body_line: parts.body_line,
    })
}

fn given_slug(r: &mut Reader, node: &Node) -> Option<Sp<String>> {
    let slug = r.text(node, "slug")?;
    let problem = if slug.value.len() > MAX_SLUG_LEN {
        Some("dài quá 160 ký tự")
    } else {
        slug_problem(&slug.value)
    };
    match problem {
        None => Some(slug),
        Some(p) => {
            let suggestion = vi::slugify(&slug.value);
            let d = r.report(
                Code::BadId,
                node,
                format!("đường dẫn '{}' không dùng được: {p}", shown(&slug.value)),
            );
            if suggestion != slug.value
                && !suggestion.is_empty()
                && slug_problem(&suggestion).is_none()
            {
                d.with_hint(format!("có thể dùng '{suggestion}'"));
            }
            None
        }
    }
}

/// The first character of `text` that has no place in a page, with its
/// byte offset (see [`super::read::is_forbidden_char`]).
pub fn control_character(text: &str) -> Option<(usize, char)> {
    text.char_indices()
        .find(|(_, c)| super::read::is_forbidden_char(*c))
}

fn title_slug(r: &mut Reader, t: &super::read::Table, title: &Sp<String>) -> Option<Sp<String>> {
    let slug = vi::slugify(&title.value);
    if super::read::is_reserved_name(&slug) {
        let node = t.get("title").unwrap_or(t.node);
        r.report(
            Code::BadId,
            node,
            format!(
                "tiêu đề tạo đường dẫn {}, mà '{slug}' là tên thiết bị dành riêng của Windows",
                crate::pages::article(&slug)
            ),
        )
        .with_hint(format!("thêm khóa slug:, ví dụ slug: {slug}-1"));
        return None;
    }
    if slug.is_empty() {
        let node = t.get("title").unwrap_or(t.node);
        r.report(
            Code::BadId,
            node,
            "tiêu đề không tạo được đường dẫn cho bài viết",
        )
        .with_hint("thêm khóa slug: ten-bai-viet");
        return None;
    }
    Some(Sp::new(slug, title.loc))
}

/// A path to a file under `content/media/`, written `media/...` (or `/media/...`).
pub fn media_path(r: &mut Reader, node: &Node, key: &str) -> Option<Sp<String>> {
    let mut path = r.text(node, key)?;
    let written = path.value.clone();
    if path.value.contains("://") || path.value.starts_with("//") || path.value.starts_with("data:")
    {
        r.report(
            Code::BadValue,
            node,
            format!("'{key}' trỏ tới máy chủ khác; trang không được dùng tài nguyên bên ngoài"),
        )
        .with_hint("tải ảnh về, đặt vào content/media/ và ghi media/ten-anh.jpg");
        return None;
    }
    if let Some(stripped) = path.value.strip_prefix('/') {
        path.value = stripped.to_owned();
    }
    // A `\` is left to `check`: it names a file refused for its name
    // (reported once, there), or is a Windows separator (the hint says so).
    let bad = !path.value.starts_with("media/")
        || path
            .value
            .split(['/', '\\'])
            .any(|part| part.is_empty() || part == "." || part == "..");
    if bad {
        r.report(
            Code::BadValue,
            node,
            format!(
                "'{key}' phải là đường dẫn tới một tệp trong content/media/, không phải '{}'",
                shown(&written)
            ),
        )
        .with_hint("ví dụ image: media/2023/anh.jpg");
        return None;
    }
    Some(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_keeps_line_numbers() {
        let text = "---\ntitle: A\ndate: 2023-01-01\n---\nBody\n";
        let Ok(p) = split_front_matter(text) else {
            panic!()
        };
        assert_eq!(p.front, "title: A\ndate: 2023-01-01\n");
        assert_eq!(p.body, "Body\n");
        assert_eq!(p.body_line, 5);
    }

    #[test]
    fn missing_delimiters_are_reported() {
        assert!(split_front_matter("title: A\n").is_err());
        assert!(split_front_matter("---\ntitle: A\n").is_err());
        let Ok(p) = split_front_matter("---\n---\n") else {
            panic!()
        };
        assert_eq!((p.front, p.body), ("", ""));
    }
}
