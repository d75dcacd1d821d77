//! Listing a site's files: `content/`, `templates/` and `static/`, in sorted
//! order, never following a symbolic link out of the site folder, and
//! refusing file names that cannot be published everywhere.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use super::read::is_reserved_name;
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
                    });
                    continue;
                }
            };
            if !entry.file_type().is_file() {
                continue;
            }
            let rel = relative(root, entry.path());
            if let Some(message) = name_problem(entry.path(), root) {
                problems.push(WalkProblem {
                    rel,
                    code: Code::BadFileName,
                    message,
                });
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

/// Why a file's path cannot be published, if it cannot.
fn name_problem(path: &Path, root: &Path) -> Option<String> {
    let rel = path.strip_prefix(root).unwrap_or(path);
    for part in rel.components() {
        let os = part.as_os_str();
        let Some(name) = os.to_str() else {
            return Some(format!(
                "tên '{}' không phải UTF-8; hãy đổi tên tệp",
                os.to_string_lossy()
            ));
        };
        if name.chars().any(char::is_control) {
            return Some("tên tệp chứa ký tự điều khiển; hãy đổi tên tệp".to_owned());
        }
        if name.len() > MAX_NAME_BYTES {
            return Some(format!(
                "tên tệp dài quá {MAX_NAME_BYTES} byte; hãy đặt tên ngắn hơn"
            ));
        }
        if is_reserved_name(name) {
            return Some(format!(
                "'{name}' là tên dành riêng của Windows; bản sao của trang sẽ không mở được trên Windows"
            ));
        }
        if name.ends_with('.') || name.ends_with(' ') {
            return Some("tên tệp không được kết thúc bằng dấu chấm hay dấu cách".to_owned());
        }
        if name.contains(['<', '>', ':', '"', '\\', '|', '?', '*']) {
            return Some(
                "tên tệp chứa ký tự không dùng được trên mọi máy (< > : \" \\ | ? *)".to_owned(),
            );
        }
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
        for bad in ["con.png", "aux", "a\u{1}b.png", "x.", "a:b.png"] {
            let p = PathBuf::from("/s/content/media").join(bad);
            assert!(name_problem(&p, root).is_some(), "{bad:?}");
        }
        let long = PathBuf::from("/s/content/media").join("a".repeat(201));
        assert!(name_problem(&long, root).is_some());
    }
}
