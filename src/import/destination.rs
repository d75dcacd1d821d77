//! Where `bantin import` may write: the site's own results file of the
//! quarter, or a file outside `content/`, never another file of the site.
//! `--force` replaces a results file only: an existing file that is not
//! one (units.yaml, an article, the spreadsheet itself) is never replaced.
//!
//! Paths are compared as the file system resolves them: relative or
//! absolute, with `.` and `..`, through symbolic links to folders. The last
//! name is not followed: the rename that writes the file replaces a
//! symbolic link there, not what it points to (and a link is not replaced).

use std::io::Read;
use std::path::{Component, Path, PathBuf};

use super::{Request, UsageError};
use crate::load::yaml;

/// The most of an existing file read to see whether it is a results file.
const MAX_PEEK_BYTES: u64 = 1024 * 1024;

/// Checks `output` (the path asked for, or the default one) against the
/// site; `Ok(true)` when it is the site's results file of the quarter.
pub(super) fn check(
    req: &Request,
    output: &Path,
    default_output: &Path,
) -> Result<bool, UsageError> {
    let shown = |p: &Path| super::sheet::printable(&p.display().to_string());
    let (year, q) = (req.period.year, req.period.q);
    let expected = crate::pages::results_file(req.period);
    let target = resolve(output).ok_or_else(|| {
        UsageError(format!(
            "--output {} không phải đường dẫn tệp; ghi đường dẫn tệp .yaml, ví dụ {expected}",
            shown(output)
        ))
    })?;
    let results_file = resolve(default_output);
    let in_site = results_file.as_ref() == Some(&target);
    let content = std::fs::canonicalize(req.site.join("content"))
        .unwrap_or_else(|_| req.site.join("content"));
    if !in_site && is_inside(&target, &content) {
        return Err(UsageError(format!(
            "--output {} nằm trong content/ của trang nhưng không phải tệp số liệu quý {q}/{year}; chỉ ghi được {expected} (bỏ --output) hoặc một tệp ngoài content/",
            shown(output),
        )));
    }
    let Ok(meta) = std::fs::symlink_metadata(output) else {
        return Ok(in_site);
    };
    if meta.is_dir() {
        return Err(UsageError(format!(
            "{} là một thư mục; --output phải là đường dẫn tệp .yaml",
            shown(output)
        )));
    }
    if !req.force {
        return Err(UsageError(format!(
            "tệp {} đã có; thêm --force để ghi đè bằng số liệu từ {}",
            shown(output),
            shown(&req.file)
        )));
    }
    if meta.file_type().is_symlink() {
        return Err(UsageError(format!(
            "{} là một liên kết tượng trưng; bantin import không ghi đè nó, kể cả với --force",
            shown(output)
        )));
    }
    if !in_site && !is_results_file(output) {
        return Err(UsageError(format!(
            "tệp {} đã có và không phải tệp số liệu quý (year, quarter, rows); --force chỉ ghi đè tệp số liệu, không ghi đè tệp khác",
            shown(output)
        )));
    }
    Ok(in_site)
}

/// `path` made absolute with its folder resolved by the file system
/// (symbolic links, `..`), as far as the folder exists; the part that does
/// not exist yet is resolved as writing the file will create it. The last
/// name is kept as it is. `None` when the path names no file (`..`, `/`).
fn resolve(path: &Path) -> Option<PathBuf> {
    let name = path.file_name()?;
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().ok()?.join(path)
    };
    let folder = absolute.parent()?;
    // The longest existing ancestor, resolved; the rest applied by name.
    let mut existing = folder;
    let mut rest: Vec<Component> = Vec::new();
    let base = loop {
        if let Ok(real) = std::fs::canonicalize(existing) {
            break real;
        }
        let last = existing.components().next_back()?;
        rest.push(last);
        existing = existing.parent()?;
    };
    let mut out = base;
    for c in rest.into_iter().rev() {
        match c {
            Component::Normal(n) => out.push(n),
            Component::ParentDir => {
                out.pop();
            }
            _ => {}
        }
    }
    out.push(name);
    Some(out)
}

/// `path` is `folder` or inside it; compared also without regard to ASCII
/// case, as the disks of Windows and macOS compare names.
fn is_inside(path: &Path, folder: &Path) -> bool {
    if path.starts_with(folder) {
        return true;
    }
    let lower = |p: &Path| PathBuf::from(p.to_string_lossy().to_ascii_lowercase());
    lower(path).starts_with(lower(folder))
}

/// A results file: YAML whose top level has `year`, `quarter` and `rows`.
fn is_results_file(path: &Path) -> bool {
    let mut bytes = Vec::new();
    let read =
        std::fs::File::open(path).and_then(|f| f.take(MAX_PEEK_BYTES + 1).read_to_end(&mut bytes));
    if read.is_err() || bytes.len() as u64 > MAX_PEEK_BYTES {
        return false;
    }
    let Ok(text) = std::str::from_utf8(&bytes) else {
        return false;
    };
    let Ok(root) = yaml::parse(text.trim_start_matches('\u{feff}'), 0) else {
        return false;
    };
    let yaml::Value::Map(entries) = &root.value else {
        return false;
    };
    let has = |key: &str| {
        entries
            .iter()
            .any(|(k, _)| matches!(&k.value, yaml::Value::Str(s) if s == key))
    };
    has("year") && has("quarter") && has("rows")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_resolved_as_the_file_system_resolves_them() {
        let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let root = std::fs::canonicalize(tmp.path()).unwrap_or_else(|e| panic!("{e}"));
        std::fs::create_dir_all(root.join("site/content")).unwrap_or_else(|e| panic!("{e}"));
        std::os::unix::fs::symlink(root.join("site/content"), root.join("link"))
            .unwrap_or_else(|e| panic!("{e}"));
        let want = Some(root.join("site/content/units.yaml"));
        assert_eq!(resolve(&root.join("site/content/units.yaml")), want);
        assert_eq!(resolve(&root.join("site/content/./units.yaml")), want);
        assert_eq!(resolve(&root.join("site/x/../content/units.yaml")), want);
        assert_eq!(resolve(&root.join("link/units.yaml")), want);
        // Folders that do not exist yet, and `..` through them.
        assert_eq!(
            resolve(&root.join("site/content/results/9999/../../units.yaml")),
            want
        );
        assert_eq!(resolve(&root.join("site/content/..")), None);
        assert!(is_inside(
            &root.join("site/content/a.yaml"),
            &root.join("site/content")
        ));
        assert!(is_inside(
            &root.join("site/Content/a.yaml"),
            &root.join("site/content")
        ));
        assert!(!is_inside(
            &root.join("site/contents/a.yaml"),
            &root.join("site/content")
        ));
    }

    #[test]
    fn results_files_are_told_by_their_keys() {
        let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let write = |name: &str, text: &str| {
            let p = tmp.path().join(name);
            std::fs::write(&p, text).unwrap_or_else(|e| panic!("{e}"));
            p
        };
        assert!(is_results_file(&write(
            "q3.yaml",
            "year: 2024\nquarter: 3\nplan: 12-KH/TU\nrows: []\n"
        )));
        assert!(!is_results_file(&write(
            "units.yaml",
            "units:\n  - id: a\n"
        )));
        assert!(!is_results_file(&write("bang.csv", "Đơn vị,Kết nạp\n")));
        assert!(!is_results_file(&write("x.bin", "\u{0}\u{1}")));
    }
}
