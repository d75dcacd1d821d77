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

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};

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

/// Where rendered files go as soon as each is ready: a staging folder
/// ([`Staging`], for `build`), memory ([`Memory`]) or nowhere ([`Discard`],
/// for `check`). Streaming spares holding a whole site in memory and lets
/// writing overlap rendering.
pub trait Sink: Sync {
    /// Called once, after the content passed every check and before the
    /// first [`Sink::put`].
    fn open(&self) -> Result<(), PublishError> {
        Ok(())
    }

    /// Takes one file of the new site. Two files with one path, or a path
    /// [`path_problem`] refuses, are an error.
    fn put(&self, file: OutFile) -> Result<(), PublishError>;
}

/// Refuses unsafe paths and the second file of one path.
#[derive(Default)]
struct Paths(Mutex<HashSet<String>>);

impl Paths {
    fn claim(&self, path: &str) -> Result<(), PublishError> {
        if let Some(problem) = path_problem(path) {
            return Err(fail(format!("không ghi tệp '{path}': {problem}")));
        }
        let mut seen = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if seen.insert(path.to_owned()) {
            Ok(())
        } else {
            Err(fail(format!("hai tệp cùng ghi vào '{path}'")))
        }
    }
}

/// Keeps every file in memory, for `serve` and for tests.
#[derive(Default)]
pub struct Memory {
    paths: Paths,
    files: Mutex<Vec<OutFile>>,
}

impl Memory {
    /// The files, sorted by path.
    pub fn into_files(self) -> Vec<OutFile> {
        let mut files = self
            .files
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner);
        files.sort_by(|a, b| a.path.cmp(&b.path));
        files
    }
}

impl Sink for Memory {
    fn put(&self, file: OutFile) -> Result<(), PublishError> {
        self.paths.claim(&file.path)?;
        self.files
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(file);
        Ok(())
    }
}

/// Counts and drops every file: `check` renders without writing.
#[derive(Default)]
pub struct Discard {
    paths: Paths,
}

impl Sink for Discard {
    fn put(&self, file: OutFile) -> Result<(), PublishError> {
        self.paths.claim(&file.path)
    }
}

/// A new site being written beside the output folder; [`Staging::commit`]
/// swaps it in. Dropped without a commit, it removes what it wrote.
pub struct Staging {
    output: PathBuf,
    parent: PathBuf,
    name: String,
    dir: PathBuf,
    opened: AtomicBool,
    committed: bool,
    paths: Paths,
    /// Folders already made under `dir`.
    dirs: Mutex<HashSet<String>>,
    files: AtomicUsize,
    bytes: AtomicU64,
}

impl Staging {
    /// Checks that `output` may be replaced; writes nothing yet.
    pub fn new(output: &Path) -> Result<Staging, PublishError> {
        let (parent, name) = split_output(output)?;
        let dir = staging_dir(&parent, &name, "tmp");
        Ok(Staging {
            output: output.to_path_buf(),
            parent,
            name,
            dir,
            opened: AtomicBool::new(false),
            committed: false,
            paths: Paths::default(),
            dirs: Mutex::new(HashSet::new()),
            files: AtomicUsize::new(0),
            bytes: AtomicU64::new(0),
        })
    }

    fn make_parent(&self, path: &str) -> Result<(), PublishError> {
        let Some((folder, _)) = path.rsplit_once('/') else {
            return Ok(());
        };
        let known = |f: &str| {
            self.dirs
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .contains(f)
        };
        if known(folder) {
            return Ok(());
        }
        // Make the missing ancestors from the top; another thread may be
        // making the same ones, which `create_dir` tolerates below.
        let mut missing = vec![folder];
        let mut f = folder;
        while let Some((up, _)) = f.rsplit_once('/') {
            if known(up) {
                break;
            }
            missing.push(up);
            f = up;
        }
        for f in missing.iter().rev() {
            let p = self.dir.join(f);
            match fs::create_dir(&p) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists && p.is_dir() => {}
                Err(e) => return Err(fail(format!("không tạo được thư mục {f}: {e}"))),
            }
        }
        let mut dirs = self.dirs.lock().unwrap_or_else(PoisonError::into_inner);
        dirs.extend(missing.into_iter().map(str::to_owned));
        Ok(())
    }

    /// Swaps the new site in for the old one, then deletes the old one.
    pub fn commit(mut self) -> Result<Report, PublishError> {
        self.open()?;
        fs::write(self.dir.join(MARKER), b"bantin\n")
            .map_err(|e| fail(format!("không ghi được {MARKER}: {e}")))?;
        swap(&self.dir, &self.output, &self.parent, &self.name)?;
        self.committed = true;
        Ok(Report {
            files: self.files.load(Ordering::Relaxed),
            bytes: self.bytes.load(Ordering::Relaxed),
        })
    }
}

impl Sink for Staging {
    fn open(&self) -> Result<(), PublishError> {
        if self.opened.load(Ordering::Acquire) {
            return Ok(());
        }
        check_replaceable(&self.output)?;
        fs::create_dir_all(&self.parent).map_err(|e| {
            fail(format!(
                "không tạo được thư mục {}: {e}",
                self.parent.display()
            ))
        })?;
        remove_leftovers(&self.parent, &self.name);
        fs::create_dir(&self.dir)
            .map_err(|e| fail(format!("không tạo được {}: {e}", self.dir.display())))?;
        self.opened.store(true, Ordering::Release);
        Ok(())
    }

    fn put(&self, file: OutFile) -> Result<(), PublishError> {
        if !self.opened.load(Ordering::Acquire) {
            return Err(fail("thư mục tạm chưa được tạo"));
        }
        self.paths.claim(&file.path)?;
        self.make_parent(&file.path)?;
        let target = self.dir.join(&file.path);
        let written = match &file.content {
            Content::Bytes(b) => fs::write(&target, b).map(|()| b.len() as u64),
            Content::Copy(src) => fs::copy(src, &target),
        };
        let n = written.map_err(|e| fail(format!("không ghi được {}: {e}", file.path)))?;
        self.files.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(n, Ordering::Relaxed);
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed && self.opened.load(Ordering::Acquire) {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
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

    /// Writes `files` as the new content of `output`, as a build does.
    fn publish(output: &Path, files: Vec<OutFile>) -> Result<Report, PublishError> {
        let staging = Staging::new(output)?;
        staging.open()?;
        for f in files {
            staging.put(f)?;
        }
        staging.commit()
    }

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
            vec![file("index.html", "a"), file("x/y/index.html", "b")],
        );
        assert_eq!(r.map(|r| r.files).ok(), Some(2));
        assert_eq!(
            fs::read_to_string(out.join("x/y/index.html"))
                .ok()
                .as_deref(),
            Some("b")
        );
        let r = publish(&out, vec![file("index.html", "c")]);
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
            assert!(publish(&out, vec![file(bad, "x")]).is_err(), "{bad:?}");
        }
        assert!(!out.exists());
        let mine = tmp.path().join("documents");
        fs::create_dir(&mine).ok();
        fs::write(mine.join("thu.txt"), "giữ lại").ok();
        assert!(publish(&mine, vec![file("index.html", "x")]).is_err());
        assert!(mine.join("thu.txt").exists());
    }
}
