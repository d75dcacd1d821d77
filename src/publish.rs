//! The only writer: builds the new site in a folder beside the output folder,
//! then swaps it in, so the previous site survives any error, crash or kill.
//!
//! - Files are written into `<parent>/.<name>.bantin-tmp-<pid>-<n>/`.
//! - On Linux the two folders are exchanged with `renameat2(RENAME_EXCHANGE)`:
//!   at every instant `<name>/` is either the old site or the new one, whole.
//!   Elsewhere the old folder is renamed away first, then the new one in
//!   (a short window without `<name>/`, repaired at the next build).
//! - The old site is deleted last; a kill before that leaves only a hidden
//!   leftover, which the next build removes.
//! - A folder is replaced only if bantin made it (it holds [`MARKER`]) or it
//!   is empty, so `--output ~/Documents` cannot wipe a user's files.

use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

use rayon::prelude::*;

/// Written at the root of every output folder: "bantin made this".
pub const MARKER: &str = ".bantin-output";

/// One file of the new site.
#[derive(Debug, Clone)]
pub struct OutFile {
    /// Relative, `/`-separated: `ban-tin/2023/quy-1/index.html`.
    pub path: String,
    pub content: Content,
}

#[derive(Debug, Clone)]
pub enum Content {
    Bytes(Vec<u8>),
    /// Copy this source file (media, static files).
    Copy(PathBuf),
}

impl Content {
    pub fn len(&self) -> u64 {
        match self {
            Content::Bytes(b) => b.len() as u64,
            Content::Copy(p) => fs::metadata(p).map(|m| m.len()).unwrap_or(0),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Why publishing failed; the previous output is intact in every case.
#[derive(Debug)]
pub struct PublishError {
    pub message: String,
}

impl std::fmt::Display for PublishError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for PublishError {}

fn fail(message: impl Into<String>) -> PublishError {
    PublishError {
        message: message.into(),
    }
}

#[derive(Debug, Default, Clone, Copy)]
pub struct Report {
    pub files: usize,
    pub bytes: u64,
}

/// Why `path` may not be written into an output folder, if it may not.
pub fn path_problem(path: &str) -> Option<&'static str> {
    if path.is_empty() {
        return Some("đường dẫn rỗng");
    }
    for part in path.split('/') {
        if part.is_empty() || part == "." || part == ".." {
            return Some("đường dẫn có phần rỗng, '.' hoặc '..'");
        }
        if part.contains(['\\', '\0', ':']) || part.chars().any(char::is_control) {
            return Some("đường dẫn có ký tự không được phép");
        }
    }
    None
}

/// Writes `files` as the new content of `output`, atomically.
pub fn publish(output: &Path, files: &[OutFile]) -> Result<Report, PublishError> {
    let mut seen = BTreeSet::new();
    for f in files {
        if let Some(problem) = path_problem(&f.path) {
            return Err(fail(format!("không ghi tệp '{}': {problem}", f.path)));
        }
        if !seen.insert(f.path.as_str()) {
            return Err(fail(format!("hai tệp cùng ghi vào '{}'", f.path)));
        }
    }
    let (parent, name) = split_output(output)?;
    check_replaceable(output)?;
    fs::create_dir_all(&parent)
        .map_err(|e| fail(format!("không tạo được thư mục {}: {e}", parent.display())))?;
    remove_leftovers(&parent, &name);

    let staging = staging_dir(&parent, &name, "tmp");
    let result = write_all(&staging, files).and_then(|report| {
        swap(&staging, output, &parent, &name)?;
        Ok(report)
    });
    if result.is_err() {
        let _ = fs::remove_dir_all(&staging);
    }
    result
}

fn split_output(output: &Path) -> Result<(PathBuf, String), PublishError> {
    let name = output
        .file_name()
        .and_then(|n| n.to_str())
        .filter(|n| !n.is_empty() && *n != "." && *n != "..")
        .ok_or_else(|| {
            fail(format!(
                "thư mục đầu ra '{}' không hợp lệ",
                output.display()
            ))
        })?
        .to_owned();
    let parent = match output.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    Ok((parent, name))
}

/// An existing output folder may be replaced only if bantin made it or it is empty.
fn check_replaceable(output: &Path) -> Result<(), PublishError> {
    let meta = match fs::symlink_metadata(output) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(fail(format!("không đọc được {}: {e}", output.display()))),
    };
    if !meta.is_dir() {
        return Err(fail(format!(
            "{} đã có và không phải thư mục; bantin không ghi đè nó",
            output.display()
        )));
    }
    if output.join(MARKER).exists() {
        return Ok(());
    }
    let empty = fs::read_dir(output)
        .map_err(|e| fail(format!("không đọc được {}: {e}", output.display())))?
        .next()
        .is_none();
    if empty {
        Ok(())
    } else {
        Err(fail(format!(
            "{} đã có tệp không phải do bantin tạo; chọn thư mục khác (--output) hoặc xóa nó trước",
            output.display()
        )))
    }
}

fn staging_dir(parent: &Path, name: &str, what: &str) -> PathBuf {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    parent.join(format!(".{name}.bantin-{what}-{}-{n}", std::process::id()))
}

/// Removes what an earlier, killed build left beside the output folder.
/// Only folders of processes that no longer run are touched.
fn remove_leftovers(parent: &Path, name: &str) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    let prefix = format!(".{name}.bantin-");
    let output = parent.join(name);
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(rest) = file_name.to_str().and_then(|n| n.strip_prefix(&prefix)) else {
            continue;
        };
        let mut parts = rest.split('-');
        let (Some(kind), Some(pid)) = (
            parts.next(),
            parts.next().and_then(|p| p.parse::<u32>().ok()),
        ) else {
            continue;
        };
        if process_alive(pid) {
            continue;
        }
        // A swap cut short between its two renames: the old site is all there is.
        if kind == "old" && !output.exists() {
            let _ = fs::rename(entry.path(), &output);
            continue;
        }
        let _ = fs::remove_dir_all(entry.path());
    }
}

fn process_alive(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    if cfg!(target_os = "linux") {
        Path::new(&format!("/proc/{pid}")).exists()
    } else {
        // Without a cheap check, leave it alone.
        true
    }
}

fn write_all(staging: &Path, files: &[OutFile]) -> Result<Report, PublishError> {
    fs::create_dir(staging)
        .map_err(|e| fail(format!("không tạo được {}: {e}", staging.display())))?;
    let mut dirs: BTreeSet<&str> = BTreeSet::new();
    for f in files {
        let mut path = f.path.as_str();
        while let Some(i) = path.rfind('/') {
            path = &path[..i];
            if !dirs.insert(path) {
                break;
            }
        }
    }
    // BTreeSet order puts every folder after its parent.
    for dir in &dirs {
        let p = staging.join(dir);
        fs::create_dir(&p)
            .or_else(|e| if p.is_dir() { Ok(()) } else { Err(e) })
            .map_err(|e| fail(format!("không tạo được thư mục {dir}: {e}")))?;
    }
    let bytes: Result<Vec<u64>, PublishError> = files
        .par_iter()
        .map(|f| {
            let target = staging.join(&f.path);
            let written = match &f.content {
                Content::Bytes(b) => fs::write(&target, b).map(|_| b.len() as u64),
                Content::Copy(src) => fs::copy(src, &target),
            };
            written.map_err(|e| fail(format!("không ghi được {}: {e}", f.path)))
        })
        .collect();
    let bytes: u64 = bytes?.iter().sum();
    fs::write(staging.join(MARKER), b"bantin\n")
        .map_err(|e| fail(format!("không ghi được {MARKER}: {e}")))?;
    Ok(Report {
        files: files.len(),
        bytes,
    })
}

fn swap(staging: &Path, output: &Path, parent: &Path, name: &str) -> Result<(), PublishError> {
    if fs::symlink_metadata(output).is_err() {
        return fs::rename(staging, output).map_err(|e| {
            fail(format!(
                "không đổi tên được thư mục tạm thành {}: {e}",
                output.display()
            ))
        });
    }
    if exchange(staging, output).is_ok() {
        // `staging` now holds the previous site.
        let _ = fs::remove_dir_all(staging);
        return Ok(());
    }
    let old = staging_dir(parent, name, "old");
    fs::rename(output, &old)
        .map_err(|e| fail(format!("không thay được {}: {e}", output.display())))?;
    if let Err(e) = fs::rename(staging, output) {
        let _ = fs::rename(&old, output);
        return Err(fail(format!("không thay được {}: {e}", output.display())));
    }
    let _ = fs::remove_dir_all(&old);
    Ok(())
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> OutFile {
        OutFile {
            path: path.into(),
            content: Content::Bytes(text.as_bytes().to_vec()),
        }
    }

    #[test]
    fn publishes_then_replaces_whole() {
        let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let out = tmp.path().join("output");
        let r = publish(
            &out,
            &[file("index.html", "a"), file("x/y/index.html", "b")],
        );
        assert_eq!(r.map(|r| r.files).ok(), Some(2));
        assert_eq!(
            fs::read_to_string(out.join("x/y/index.html"))
                .ok()
                .as_deref(),
            Some("b")
        );
        let r = publish(&out, &[file("index.html", "c")]);
        assert!(r.is_ok());
        assert!(!out.join("x").exists(), "old files are gone");
        assert_eq!(
            fs::read_to_string(out.join("index.html")).ok().as_deref(),
            Some("c")
        );
        let leftovers: Vec<_> = fs::read_dir(tmp.path())
            .map(|d| d.flatten().map(|e| e.file_name()).collect())
            .unwrap_or_default();
        assert_eq!(leftovers, vec![std::ffi::OsString::from("output")]);
    }

    #[test]
    fn refuses_unsafe_paths_and_foreign_folders() {
        let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let out = tmp.path().join("output");
        for bad in ["../x", "/etc/passwd", "a//b", "a/./b", "a\\b", ""] {
            assert!(publish(&out, &[file(bad, "x")]).is_err(), "{bad:?}");
        }
        assert!(!out.exists());
        let mine = tmp.path().join("documents");
        fs::create_dir(&mine).ok();
        fs::write(mine.join("thu.txt"), "giữ lại").ok();
        assert!(publish(&mine, &[file("index.html", "x")]).is_err());
        assert!(mine.join("thu.txt").exists());
    }
}
