//! Listing a site's files: `content/`, `templates/` and `static/`, in sorted
//! order, never following a symbolic link out of the site folder, and
//! refusing file names that cannot be published everywhere.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use super::read::{is_reserved_name, shown};
use crate::diagnostic::Code;

/// A file found in the site folder.
#[derive(Debug, Clone)]
pub struct Found {
    /// Relative to the site folder, `/`-separated: `content/units.yaml`.
    pub rel: String,
    /// Where to read it (may be a symbolic link inside the site).
    pub path: PathBuf,
    pub size: u64,
    /// When it last changed, if the system says (for `serve`'s cache).
    pub modified: Option<std::time::SystemTime>,
}

/// A problem found while listing, before any file is read.
#[derive(Debug, Clone)]
pub struct WalkProblem {
    pub rel: String,
    pub code: Code,
    pub message: String,
    pub hint: Option<String>,
}

/// The folders of a site that bantin reads.
pub const SOURCE_DIRS: [&str; 3] = ["content", "templates", "static"];

/// Every file under the site's source folders, sorted by relative path.
pub fn walk(root: &Path) -> (Vec<Found>, Vec<WalkProblem>) {
    let mut found = Vec::new();
    let mut problems = Vec::new();
    let canonical_root = match root.canonicalize() {
        Ok(p) => p,
        Err(e) => {
            problems.push(WalkProblem {
                rel: ".".into(),
                code: Code::Io,
                message: format!("không mở được thư mục trang {}: {e}", root.display()),
                hint: None,
            });
            return (found, problems);
        }
    };
    for dir in SOURCE_DIRS {
        let start = root.join(dir);
        if !start.exists() {
            continue;
        }
        let mut outside = Vec::new();
        let walker = WalkDir::new(&start)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                if e.depth() > 0 && is_hidden(e.file_name()) {
                    return false;
                }
                if e.path_is_symlink() {
                    let inside = e
                        .path()
                        .canonicalize()
                        .map(|t| t.starts_with(&canonical_root))
                        .unwrap_or(false);
                    if !inside {
                        outside.push(e.path().to_path_buf());
                        return false;
                    }
                }
                true
            });
        for entry in walker {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    let rel = e
                        .path()
                        .map_or_else(|| dir.to_owned(), |p| relative(root, p));
                    let message = if e.loop_ancestor().is_some() {
                        "liên kết tượng trưng tạo thành vòng lặp thư mục".to_owned()
                    } else {
                        format!("không đọc được: {e}")
                    };
                    problems.push(WalkProblem {
                        rel,
                        code: Code::Io,
                        message,
                        hint: None,
                    });
                    continue;
                }
            };
            if !entry.file_type().is_file() {
                continue;
            }
            let rel = relative(root, entry.path());
            if let Some((depth, message, hint)) = name_problem(entry.path(), root) {
                // A folder's name is one problem, however many files it holds.
                let named: Vec<&str> = rel.split('/').take(depth).collect();
                let named = named.join("/");
                if problems.last().is_none_or(|p| p.rel != named) {
                    problems.push(WalkProblem {
                        rel: named,
                        code: Code::BadFileName,
                        message,
                        hint: Some(hint),
                    });
                }
                continue;
            }
            let meta = entry.metadata().ok();
            found.push(Found {
                rel,
                path: entry.path().to_path_buf(),
                size: meta.as_ref().map_or(0, |m| m.len()),
                modified: meta.and_then(|m| m.modified().ok()),
            });
        }
        for path in outside {
            problems.push(WalkProblem {
                rel: relative(root, &path),
                code: Code::SymlinkOutside,
                message: "liên kết tượng trưng trỏ ra ngoài thư mục trang; bantin không đọc nó"
                    .to_owned(),
                hint: None,
            });
        }
    }
    found.sort_by(|a, b| a.rel.cmp(&b.rel));
    (found, problems)
}

/// Hidden files and editors' leftovers are not content.
pub(crate) fn is_hidden(name: &std::ffi::OsStr) -> bool {
    let name = name.to_string_lossy();
    name.starts_with('.') || name.ends_with('~') || name == "Thumbs.db" || name == "desktop.ini"
}

fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// Longest file or folder name accepted (bytes), well under every file system's limit.
const MAX_NAME_BYTES: usize = 200;

/// Characters Windows, and the FAT and exFAT of USB sticks, refuse in a
/// name (`/` separates names everywhere). A site is copied to such disks.
const NOT_ON_WINDOWS: [char; 8] = ['<', '>', ':', '"', '\\', '|', '?', '*'];

/// Invisible characters that change how a name reads without being seen:
/// the bidirectional controls (U+202E shows `gpj.exe` as `exe.jpg`), the
/// zero-width space and the byte-order mark. Joiners stay allowed: emoji
/// sequences need them.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{061C}' | '\u{200B}' | '\u{200E}' | '\u{200F}' | '\u{202A}'
            ..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}'
    )
}

/// Why a file's path cannot be published, if it cannot: how many of its
/// names (from the site folder) lead to the wrong one, the message, and a
/// hint naming what to change. Every other character (space, `#`, `%`,
/// `&`, `+`, Vietnamese letters, emoji...) is published, its URLs
/// percent-encoded by `pages`.
fn name_problem(path: &Path, root: &Path) -> Option<(usize, String, String)> {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .enumerate()
        .find_map(|(i, part)| component_problem(part.as_os_str()).map(|(m, h)| (i + 1, m, h)))
}

/// Why one file or folder name cannot be published, if it cannot.
fn component_problem(os: &std::ffi::OsStr) -> Option<(String, String)> {
    let rename = "đổi tên tệp hoặc thư mục".to_owned();
    let Some(name) = os.to_str() else {
        return Some((
            format!(
                "tên '{}' không phải chữ Unicode (UTF-8)",
                shown(&os.to_string_lossy())
            ),
            format!("{rename}, gõ lại tên cho đúng"),
        ));
    };
    if let Some(c) = name.chars().find(|c| c.is_control()) {
        return Some((
            format!(
                "tên '{}' chứa ký tự điều khiển U+{:04X}",
                shown(name),
                c as u32
            ),
            format!("{rename}, bỏ ký tự đó"),
        ));
    }
    if let Some(c) = name.chars().find(|&c| is_invisible(c)) {
        return Some((
            format!(
                "tên '{}' chứa ký tự vô hình U+{:04X}, làm tên hiện ra khác với thật",
                shown(name),
                c as u32
            ),
            format!("{rename}, gõ lại tên bằng tay"),
        ));
    }
    if name.len() > MAX_NAME_BYTES {
        return Some((
            format!("tên '{}' dài quá {MAX_NAME_BYTES} byte", shown(name)),
            "đặt tên ngắn hơn".to_owned(),
        ));
    }
    if is_reserved_name(name) {
        return Some((
            format!(
                "'{name}' là tên dành riêng của Windows; bản sao của trang sẽ không mở được trên Windows"
            ),
            format!("{rename}, ví dụ thêm một chữ vào trước dấu chấm"),
        ));
    }
    if let Some(last @ ('.' | ' ')) = name.chars().last() {
        let what = if last == '.' {
            "dấu chấm"
        } else {
            "dấu cách"
        };
        return Some((
            format!(
                "tên '{}' kết thúc bằng {what}; Windows bỏ ký tự đó đi nên tên sẽ khác",
                shown(name)
            ),
            format!("{rename}, bỏ {what} ở cuối tên"),
        ));
    }
    if let Some(c) = name.chars().find(|c| NOT_ON_WINDOWS.contains(c)) {
        return Some((
            format!(
                "tên '{}' chứa ký tự '{c}', không dùng được trong tên tệp trên Windows và ổ USB (FAT, exFAT)",
                shown(name)
            ),
            format!(
                "{rename}, thay '{c}' bằng '-' (các ký tự < > : \" \\ | ? * đều không dùng được)"
            ),
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_cannot_travel_are_refused() {
        let root = Path::new("/s");
        assert!(name_problem(Path::new("/s/content/media/anh.png"), root).is_none());
        assert!(name_problem(Path::new("/s/content/media/ảnh đẹp.png"), root).is_none());
        for bad in ["con.png", "aux", "a\u{1}b.png", "x.", "x ", "a:b.png"] {
            let p = PathBuf::from("/s/content/media").join(bad);
            assert!(name_problem(&p, root).is_some(), "{bad:?}");
        }
        for good in [
            "c#1.png",
            "d%23e.png",
            "a+b&c=d;e,f'g(h)[i]{j}~k!l@m$n^o`p.png",
            "😀.png",
        ] {
            let p = PathBuf::from("/s/content/media").join(good);
            assert!(name_problem(&p, root).is_none(), "{good:?}");
        }
        let long = PathBuf::from("/s/content/media").join("a".repeat(201));
        assert!(name_problem(&long, root).is_some());
    }

    #[test]
    fn the_hint_names_the_character() {
        let root = Path::new("/s");
        for c in NOT_ON_WINDOWS {
            let p = PathBuf::from(format!("/s/content/media/a{c}b.png"));
            let Some((_, message, hint)) = name_problem(&p, root) else {
                panic!("{c:?} accepted");
            };
            assert!(message.contains(&format!("'{c}'")), "{message}");
            assert!(hint.contains(&format!("thay '{c}'")), "{hint}");
        }
        let p = PathBuf::from("/s/content/media/anh\u{202E}gnp.exe");
        let Some((_, message, _)) = name_problem(&p, root) else {
            panic!("a right-to-left override accepted");
        };
        assert!(message.contains("U+202E"), "{message}");
        let p = PathBuf::from("/s/content/Me?dia/a.png");
        assert!(
            name_problem(&p, root).is_some_and(|(depth, m, _)| depth == 2 && m.contains("Me?dia"))
        );
    }
}
