//! The only writer: builds the new site where it cannot be seen, then puts
//! it in place, so the previous site survives any error, crash or kill.
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
//! - A mount point (a USB stick at `/media/usb`) cannot be renamed. Then the
//!   site is *filled in place* ([`move_in`]): written into
//!   `<name>/.bantin-new-*/`, flushed to the disk, and its top-level entries
//!   moved into place one rename each, after a journal ([`JOURNAL`]) that
//!   lets the next build finish a move cut short. Not detected as a mount
//!   point but refused with `EBUSY`/`EXDEV`, the staged site is copied in
//!   first and moved the same way. ARCHITECTURE.md states the guarantee.

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};

use crate::os_error;

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

/// Why publishing failed.
#[derive(Debug)]
pub struct PublishError {
    pub message: String,
    /// The output folder still holds the previous site, untouched. False
    /// only when a move into a mount point stopped half way: the next build
    /// finishes it.
    pub kept: bool,
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
        kept: true,
    }
}

/// `what` failed with `e`, in Vietnamese.
fn failed(what: impl std::fmt::Display, e: &io::Error) -> PublishError {
    fail(format!("{what}: {}", os_error::describe(e)))
}

#[derive(Debug, Default, Clone, Copy)]
pub struct Report {
    pub files: usize,
    pub bytes: u64,
    /// Filled in place (a mount point) and flushed: the disk may be removed.
    pub flushed: bool,
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

/// A new site being written where it cannot be seen; [`Staging::commit`]
/// puts it in place. Dropped without a commit, it removes what it wrote.
pub struct Staging {
    output: PathBuf,
    parent: PathBuf,
    name: String,
    /// Where the new site is written: beside `output`, or inside it when
    /// `in_place`.
    dir: PathBuf,
    /// `output` is a mount point: filled in place instead of swapped.
    in_place: bool,
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
        let in_place =
            fs::symlink_metadata(output).is_ok_and(|m| m.is_dir()) && is_mount_point(output);
        Staging::with_mode(output, in_place)
    }

    fn with_mode(output: &Path, in_place: bool) -> Result<Staging, PublishError> {
        let (parent, name) = split_output(output)?;
        let dir = if in_place {
            inside_dir(output, NEW)
        } else {
            staging_dir(&parent, &name, "tmp")
        };
        Ok(Staging {
            output: output.to_path_buf(),
            parent,
            name,
            dir,
            in_place,
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
                Err(e) => return Err(failed(format_args!("không tạo được thư mục {f}"), &e)),
            }
        }
        let mut dirs = self.dirs.lock().unwrap_or_else(PoisonError::into_inner);
        dirs.extend(missing.into_iter().map(str::to_owned));
        Ok(())
    }

    /// Puts the new site in place of the old one, then deletes the old one.
    pub fn commit(mut self) -> Result<Report, PublishError> {
        self.open()?;
        fs::write(self.dir.join(MARKER), b"bantin\n")
            .map_err(|e| failed(format_args!("không ghi được {MARKER}"), &e))?;
        let flushed = if self.in_place {
            // Cut short after the journal, what is left of the new site is
            // what the next build finishes the move with: keep it.
            let filled = fill_in_place(&self.output, &self.dir);
            self.committed = filled.as_ref().map_or_else(|e| !e.kept, |()| true);
            filled?;
            true
        } else {
            match swap(&self.dir, &self.output, &self.parent, &self.name) {
                Ok(()) => {
                    self.committed = true;
                    false
                }
                // A mount point not recognised as one. The staged folder
                // beside goes with `self`.
                Err(Swap::Refused(e)) if cannot_be_renamed(&e) => {
                    fill_from_beside(&self.output, &self.dir)?;
                    true
                }
                Err(Swap::Refused(e)) => {
                    return Err(failed(
                        format_args!("không thay được {}", self.output.display()),
                        &e,
                    ));
                }
                Err(Swap::Failed(e)) => return Err(e),
            }
        };
        Ok(Report {
            files: self.files.load(Ordering::Relaxed),
            bytes: self.bytes.load(Ordering::Relaxed),
            flushed,
        })
    }
}

impl Sink for Staging {
    fn open(&self) -> Result<(), PublishError> {
        if self.opened.load(Ordering::Acquire) {
            return Ok(());
        }
        // A move into this folder cut short by a kill or a removed disk is
        // finished first: until then the folder holds a mix.
        finish_interrupted_move(&self.output)?;
        remove_inside_leftovers(&self.output);
        check_replaceable(&self.output, self.in_place)?;
        if !self.in_place {
            fs::create_dir_all(&self.parent).map_err(|e| {
                failed(
                    format_args!("không tạo được thư mục {}", self.parent.display()),
                    &e,
                )
            })?;
            remove_leftovers(&self.parent, &self.name);
        }
        fs::create_dir(&self.dir).map_err(|e| {
            let folder = if self.in_place {
                &self.output
            } else {
                &self.parent
            };
            failed(
                format_args!("không tạo được thư mục tạm trong {}", folder.display()),
                &e,
            )
        })?;
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
        let n = written.map_err(|e| failed(format_args!("không ghi được {}", file.path), &e))?;
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

/// What file systems keep at the root of a disk; a mount point holding only
/// these counts as empty, and filling it in place leaves them alone.
const DISK_ENTRIES: [&str; 6] = [
    "lost+found",
    "System Volume Information",
    "$RECYCLE.BIN",
    ".Trashes",
    ".Spotlight-V100",
    ".fseventsd",
];

/// An existing output folder may be replaced only if bantin made it or it
/// is empty (a mount point: but for what its file system keeps there).
fn check_replaceable(output: &Path, mount_point: bool) -> Result<(), PublishError> {
    let meta = match fs::symlink_metadata(output) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => {
            return Err(failed(
                format_args!("không đọc được {}", output.display()),
                &e,
            ));
        }
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
    let mut entries = fs::read_dir(output)
        .map_err(|e| failed(format_args!("không đọc được {}", output.display()), &e))?;
    let empty = entries.all(|e| {
        mount_point
            && e.is_ok_and(|e| {
                e.file_name()
                    .to_str()
                    .is_some_and(|n| DISK_ENTRIES.contains(&n))
            })
    });
    if empty {
        Ok(())
    } else {
        Err(fail(format!(
            "{} đã có tệp không phải do bantin tạo; chọn thư mục khác (--output) hoặc xóa nó trước",
            output.display()
        )))
    }
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

fn staging_dir(parent: &Path, name: &str, what: &str) -> PathBuf {
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

/// Why [`swap`] did not swap.
enum Swap {
    /// The output folder could not be renamed away (a mount point: `EBUSY`).
    Refused(io::Error),
    Failed(PublishError),
}

fn swap(staging: &Path, output: &Path, parent: &Path, name: &str) -> Result<(), Swap> {
    if fs::symlink_metadata(output).is_err() {
        return fs::rename(staging, output).map_err(|e| {
            Swap::Failed(failed(
                format_args!("không đổi tên được thư mục tạm thành {}", output.display()),
                &e,
            ))
        });
    }
    if exchange(staging, output).is_ok() {
        // `staging` now holds the previous site.
        let _ = fs::remove_dir_all(staging);
        return Ok(());
    }
    let old = staging_dir(parent, name, "old");
    fs::rename(output, &old).map_err(Swap::Refused)?;
    if let Err(e) = fs::rename(staging, output) {
        let _ = fs::rename(&old, output);
        return Err(Swap::Failed(failed(
            format_args!("không thay được {}", output.display()),
            &e,
        )));
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

/// Renaming the output folder is refused as it is for a mount point.
fn cannot_be_renamed(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ResourceBusy | io::ErrorKind::CrossesDevices
    )
}

/// Whether `path` is where a file system is mounted (a USB stick at
/// `/media/usb`), which no rename can move.
#[cfg(target_os = "linux")]
fn is_mount_point(path: &Path) -> bool {
    use rustix::fs::{AtFlags, CWD, StatxAttributes, StatxFlags, statx};
    if let Ok(st) = statx(
        CWD,
        path,
        AtFlags::SYMLINK_NOFOLLOW,
        StatxFlags::BASIC_STATS,
    ) && st.stx_attributes_mask.contains(StatxAttributes::MOUNT_ROOT)
    {
        return st.stx_attributes.contains(StatxAttributes::MOUNT_ROOT);
    }
    on_another_device(path)
}

#[cfg(all(unix, not(target_os = "linux")))]
fn is_mount_point(path: &Path) -> bool {
    on_another_device(path)
}

#[cfg(not(unix))]
fn is_mount_point(_: &Path) -> bool {
    false
}

/// A folder on another device than its parent is a mount point (a bind
/// mount of the same device is not seen this way; renaming it fails with
/// `EBUSY`, which [`Staging::commit`] answers the same way).
#[cfg(unix)]
fn on_another_device(path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (fs::metadata(path), fs::metadata(path.join(".."))) {
        (Ok(a), Ok(b)) => a.dev() != b.dev(),
        _ => false,
    }
}

// Filling a mount point in place.
//
// Inside the output folder `M`, with `N` the new site's top-level entries:
// 1. the new site is written whole into `M/.bantin-new-<pid>-<n>/` and
//    flushed to the disk, the old site untouched beside it;
// 2. the journal `M/.bantin-swap` is written (through a temporary file,
//    synced, renamed): the new folder, the trash folder, the list `N`;
// 3. every old top-level entry is renamed into `M/.bantin-old-<pid>-<n>/`,
//    then every entry of `N` from the new folder into `M`;
// 4. the journal is removed, the trash deleted, the disk flushed again.
// Each rename is atomic, so each top-level entry is at every instant whole,
// old or new; a cut between 2 and 4 leaves the journal, and the next build
// finishes step 3 (the new site is complete once the journal exists).

/// The journal of a move into a mount point, at its root.
pub const JOURNAL: &str = ".bantin-swap";
const NEW: &str = "new";
const OLD: &str = "old";

/// A hidden folder inside the output folder: `.bantin-new-<pid>-<n>`.
fn inside_dir(output: &Path, what: &str) -> PathBuf {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    output.join(format!(".bantin-{what}-{}-{n}", std::process::id()))
}

/// bantin's own working names inside a folder filled in place.
fn is_internal(name: &str) -> bool {
    [NEW, OLD]
        .iter()
        .any(|w| name.starts_with(&format!(".bantin-{w}-")))
        || name.starts_with(JOURNAL)
}

/// What a move in progress needs to be finished by another process.
#[derive(Debug, PartialEq)]
struct Journal {
    pid: u32,
    /// The folder holding the new site (a name inside the output folder).
    new: String,
    /// Where the old site's entries go.
    old: String,
    /// The new site's top-level entries, the marker last.
    entries: Vec<String>,
}

impl Journal {
    const FIRST_LINE: &'static str = "bantin-swap 1";

    fn text(&self) -> String {
        let mut out = format!(
            "{}\npid {}\nnew {}\nold {}\n",
            Journal::FIRST_LINE,
            self.pid,
            self.new,
            self.old
        );
        for e in &self.entries {
            out.push_str(&format!("entry {e}\n"));
        }
        out
    }

    /// None for anything bantin did not write: then nothing is touched.
    fn parse(text: &str) -> Option<Journal> {
        let mut lines = text.lines();
        if lines.next() != Some(Journal::FIRST_LINE) {
            return None;
        }
        let mut field = |key: &str| {
            lines
                .next()
                .and_then(|l| l.strip_prefix(key))
                .and_then(|l| l.strip_prefix(' '))
                .map(str::to_owned)
        };
        let pid = field("pid")?.parse().ok()?;
        let (new, old) = (field("new")?, field("old")?);
        let one_name = |n: &str| path_problem(n).is_none() && !n.contains('/');
        let valid = one_name(&new)
            && one_name(&old)
            && new.starts_with(&format!(".bantin-{NEW}-"))
            && old.starts_with(&format!(".bantin-{OLD}-"));
        let entries: Option<Vec<String>> = lines
            .map(|l| {
                l.strip_prefix("entry ")
                    .filter(|e| one_name(e) && !is_internal(e))
                    .map(str::to_owned)
            })
            .collect();
        if !valid {
            return None;
        }
        Some(Journal {
            pid,
            new,
            old,
            entries: entries?,
        })
    }

    /// Written whole or not at all, and on the disk before any move.
    fn write(&self, output: &Path) -> io::Result<()> {
        use std::io::Write;
        let tmp = output.join(format!("{JOURNAL}.tmp-{}", std::process::id()));
        let mut f = fs::File::create(&tmp)?;
        f.write_all(self.text().as_bytes())?;
        f.sync_all()?;
        fs::rename(&tmp, output.join(JOURNAL))?;
        sync_dir(output)
    }
}

/// Flushes the new site to the disk, moves it in (see above), flushes again.
fn fill_in_place(output: &Path, new: &Path) -> Result<(), PublishError> {
    flush(output).map_err(|e| {
        failed(
            format_args!("không ghi được trang mới xuống {}", output.display()),
            &e,
        )
    })?;
    move_in(output, new, |from, to| fs::rename(from, to))?;
    flush(output).map_err(|e| PublishError {
        message: format!(
            "trang mới đã ở {} nhưng chưa ghi hết xuống ổ đĩa ({}); đừng tháo ổ ra, chạy lại bantin build",
            output.display(),
            os_error::describe(&e)
        ),
        kept: false,
    })
}

/// Steps 2–4 of a fill in place, renaming with `rename` (a test cuts it
/// short to play a kill).
fn move_in(
    output: &Path,
    new: &Path,
    rename: impl FnMut(&Path, &Path) -> io::Result<()>,
) -> Result<(), PublishError> {
    let name_of = |p: &Path| {
        p.file_name()
            .and_then(|n| n.to_str())
            .map(str::to_owned)
            .unwrap_or_default()
    };
    let trash = inside_dir(output, OLD);
    let cannot = |e: io::Error| {
        failed(
            format_args!(
                "không chuẩn bị được việc chuyển trang mới vào {}",
                output.display()
            ),
            &e,
        )
    };
    let mut entries: Vec<String> = fs::read_dir(new)
        .map_err(cannot)?
        .flatten()
        .filter_map(|e| e.file_name().to_str().map(str::to_owned))
        .collect();
    // The marker last: a folder that shows it is whole.
    entries.sort_by_key(|e| (e == MARKER, e.clone()));
    fs::create_dir(&trash).map_err(cannot)?;
    let journal = Journal {
        pid: std::process::id(),
        new: name_of(new),
        old: name_of(&trash),
        entries,
    };
    if let Err(e) = journal.write(output) {
        let _ = fs::remove_file(output.join(format!("{JOURNAL}.tmp-{}", std::process::id())));
        let _ = fs::remove_dir(&trash);
        return Err(cannot(e));
    }
    roll_forward(output, &journal, rename).map_err(|e| midway(output, &e))
}

fn midway(output: &Path, e: &io::Error) -> PublishError {
    PublishError {
        message: format!(
            "việc chuyển trang mới vào {} dừng giữa chừng ({}); lần chạy bantin build tới sẽ làm nốt",
            output.display(),
            os_error::describe(e)
        ),
        kept: false,
    }
}

/// Step 3 from wherever it stopped, then step 4. An entry of the output
/// folder is the new one when the journal lists it and the new folder no
/// longer has it; any other is old.
fn roll_forward(
    output: &Path,
    journal: &Journal,
    mut rename: impl FnMut(&Path, &Path) -> io::Result<()>,
) -> io::Result<()> {
    let new = output.join(&journal.new);
    let trash = output.join(&journal.old);
    fs::create_dir_all(&trash)?;
    let mut present: Vec<String> = fs::read_dir(output)?
        .flatten()
        .filter_map(|e| e.file_name().to_str().map(str::to_owned))
        .filter(|n| !is_internal(n) && !DISK_ENTRIES.contains(&n.as_str()))
        .collect();
    present.sort();
    for name in present {
        let moved_in =
            journal.entries.contains(&name) && fs::symlink_metadata(new.join(&name)).is_err();
        if !moved_in {
            rename(&output.join(&name), &trash.join(&name))?;
        }
    }
    for name in &journal.entries {
        let from = new.join(name);
        if fs::symlink_metadata(&from).is_ok() {
            rename(&from, &output.join(name))?;
        }
    }
    fs::remove_file(output.join(JOURNAL))?;
    let _ = fs::remove_dir_all(&trash);
    let _ = fs::remove_dir_all(&new);
    Ok(())
}

/// Finishes a move into `output` that a kill or a removed disk cut short.
fn finish_interrupted_move(output: &Path) -> Result<(), PublishError> {
    let path = output.join(JOURNAL);
    let text = match fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e)
            if matches!(
                e.kind(),
                io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
            ) =>
        {
            return Ok(());
        }
        Err(e) => {
            return Err(failed(
                format_args!("không đọc được {}", path.display()),
                &e,
            ));
        }
    };
    let Some(journal) = Journal::parse(&text) else {
        return Err(fail(format!(
            "{} không phải nhật ký bantin ghi ra; bantin không đụng tới {} — xem lại thư mục đó rồi xóa tệp {JOURNAL}",
            path.display(),
            output.display()
        )));
    };
    if journal.pid != std::process::id() && bantin_running(journal.pid) {
        return Err(fail(format!(
            "một lệnh bantin khác (tiến trình {}) đang ghi vào {}; chờ nó xong rồi chạy lại",
            journal.pid,
            output.display()
        )));
    }
    roll_forward(output, &journal, |from, to| fs::rename(from, to))
        .map_err(|e| midway(output, &e))?;
    flush(output).map_err(|e| midway(output, &e))
}

/// Whether process `pid` is a bantin (a pid reused by another program
/// must not block the folder for ever).
fn bantin_running(pid: u32) -> bool {
    if cfg!(target_os = "linux") {
        fs::read_to_string(format!("/proc/{pid}/comm"))
            .is_ok_and(|name| name.trim_end().starts_with("bantin"))
    } else {
        false
    }
}

/// Removes what builds that no longer run left inside `output`.
fn remove_inside_leftovers(output: &Path) {
    let Ok(entries) = fs::read_dir(output) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(name) = file_name.to_str().filter(|n| is_internal(n)) else {
            continue;
        };
        // `.bantin-new-<pid>-<n>`, `.bantin-swap.tmp-<pid>`; not the journal.
        let pid = match name.strip_prefix(&format!("{JOURNAL}.tmp-")) {
            Some(pid) => pid.parse::<u32>().ok(),
            None => name.split('-').nth(2).and_then(|p| p.parse().ok()),
        };
        if pid.is_none_or(process_alive) {
            continue;
        }
        let path = entry.path();
        let _ = if path.is_dir() {
            fs::remove_dir_all(&path)
        } else {
            fs::remove_file(&path)
        };
    }
}

/// A mount point not recognised as one: the site staged beside it is
/// copied into it, then filled in place.
fn fill_from_beside(output: &Path, staged: &Path) -> Result<(), PublishError> {
    let inside = copy_in(output, staged)?;
    fill_in_place(output, &inside).inspect_err(|e| {
        if e.kept {
            let _ = fs::remove_dir_all(&inside);
        }
    })
}

/// Copies the staged site beside into a new folder inside `output`.
fn copy_in(output: &Path, staged: &Path) -> Result<PathBuf, PublishError> {
    fn copy(from: &Path, to: &Path) -> io::Result<()> {
        fs::create_dir(to)?;
        for entry in fs::read_dir(from)? {
            let entry = entry?;
            let target = to.join(entry.file_name());
            if entry.file_type()?.is_dir() {
                copy(&entry.path(), &target)?;
            } else {
                fs::copy(entry.path(), &target)?;
            }
        }
        Ok(())
    }
    let inside = inside_dir(output, NEW);
    copy(staged, &inside).map_err(|e| {
        let _ = fs::remove_dir_all(&inside);
        failed(
            format_args!("không chép được trang mới vào {}", output.display()),
            &e,
        )
    })?;
    Ok(inside)
}

/// Everything written to the file system of `dir` reaches the disk.
#[cfg(target_os = "linux")]
fn flush(dir: &Path) -> io::Result<()> {
    let f = fs::File::open(dir)?;
    rustix::fs::syncfs(&f).map_err(io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn flush(_: &Path) -> io::Result<()> {
    Ok(())
}

/// A rename inside `dir` reaches the disk.
#[cfg(unix)]
fn sync_dir(dir: &Path) -> io::Result<()> {
    fs::File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
fn sync_dir(_: &Path) -> io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes `files` as the new content of `output`, as a build does.
    fn publish(output: &Path, files: Vec<OutFile>) -> Result<Report, PublishError> {
        commit(Staging::new(output)?, files)
    }

    /// [`publish`] as onto a mount point.
    fn publish_in_place(output: &Path, files: Vec<OutFile>) -> Result<Report, PublishError> {
        commit(Staging::with_mode(output, true)?, files)
    }

    fn commit(staging: Staging, files: Vec<OutFile>) -> Result<Report, PublishError> {
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

    /// Every file under `dir`, by relative path, with its text; folders end in `/`.
    fn tree(dir: &Path) -> std::collections::BTreeMap<String, String> {
        fn walk(root: &Path, dir: &Path, out: &mut std::collections::BTreeMap<String, String>) {
            for e in fs::read_dir(dir).into_iter().flatten().flatten() {
                let p = e.path();
                let rel = p
                    .strip_prefix(root)
                    .map(|r| r.to_string_lossy().into_owned())
                    .unwrap_or_default();
                if p.is_dir() {
                    out.insert(format!("{rel}/"), String::new());
                    walk(root, &p, out);
                } else {
                    out.insert(rel, fs::read_to_string(&p).unwrap_or_default());
                }
            }
        }
        let mut out = std::collections::BTreeMap::new();
        walk(dir, dir, &mut out);
        out
    }

    /// The site `files` make, as a tree.
    fn expected(files: &[OutFile]) -> std::collections::BTreeMap<String, String> {
        let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let out = tmp.path().join("ref");
        assert!(publish(&out, files.to_vec()).is_ok());
        tree(&out)
    }

    fn version(tag: &str, only: &str) -> Vec<OutFile> {
        vec![
            file("index.html", tag),
            file("tin-tuc/a/index.html", tag),
            file("tin-tuc/index.html", tag),
            file("assets/bantin.css", tag),
            file(only, tag),
        ]
    }

    #[test]
    fn a_mount_point_is_filled_in_place() {
        let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let out = tmp.path().join("usb");
        // What a freshly formatted disk holds counts as empty, and stays.
        fs::create_dir_all(out.join("lost+found")).unwrap_or_else(|e| panic!("{e}"));
        let old = version("cũ", "cu.html");
        let r = publish_in_place(&out, old.clone()).unwrap_or_else(|e| panic!("{e}"));
        assert!(r.flushed);
        assert_eq!(r.files, 5);
        let mut want = expected(&old);
        want.insert("lost+found/".into(), String::new());
        assert_eq!(tree(&out), want);

        let new = version("mới", "moi.html");
        assert!(publish_in_place(&out, new.clone()).is_ok());
        let mut want = expected(&new);
        want.insert("lost+found/".into(), String::new());
        assert_eq!(tree(&out), want, "old files gone, nothing of bantin's left");
        assert_eq!(
            fs::read_dir(tmp.path()).map(Iterator::count).ok(),
            Some(1),
            "nothing written beside it"
        );

        // A disk holding someone's files is refused, and left alone.
        let theirs = tmp.path().join("usb-khac");
        fs::create_dir(&theirs).unwrap_or_else(|e| panic!("{e}"));
        fs::write(theirs.join("thu.txt"), "giữ lại").unwrap_or_else(|e| panic!("{e}"));
        let refused = publish_in_place(&theirs, new).err();
        assert!(
            refused
                .as_ref()
                .is_some_and(|e| e.kept && e.message.contains("không phải do bantin tạo")),
            "{refused:?}"
        );
        assert_eq!(tree(&theirs).len(), 1);
    }

    #[test]
    fn a_folder_that_cannot_be_renamed_gets_the_site_staged_beside_copied_in() {
        let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let out = tmp.path().join("usb");
        let old = version("cũ", "cu.html");
        assert!(publish(&out, old).is_ok());
        // A new site staged beside, as `commit` has it when the swap is
        // refused with EBUSY or EXDEV.
        let new = version("mới", "moi.html");
        let staged = tmp.path().join("staged");
        assert!(publish(&staged, new.clone()).is_ok());
        assert!(fill_from_beside(&out, &staged).is_ok());
        assert_eq!(tree(&out), expected(&new));
        assert!(cannot_be_renamed(&io::Error::from(
            io::ErrorKind::ResourceBusy
        )));
        assert!(cannot_be_renamed(&io::Error::from(
            io::ErrorKind::CrossesDevices
        )));
        assert!(!cannot_be_renamed(&io::Error::from(
            io::ErrorKind::PermissionDenied
        )));
    }

    /// A kill after any number of renames of a fill in place: each
    /// top-level entry is whole, old or new, and the next build finishes
    /// the move before anything else.
    #[test]
    fn a_move_cut_short_anywhere_is_finished_by_the_next_build() {
        let old = version("cũ", "cu.html");
        let new = version("mới", "moi.html");
        let (old_tree, new_tree) = (expected(&old), expected(&new));
        let mut finished_at = None;
        for cut in 0..20 {
            let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
            let out = tmp.path().join("usb");
            fs::create_dir(&out).unwrap_or_else(|e| panic!("{e}"));
            assert!(publish_in_place(&out, old.clone()).is_ok());
            // The new site staged inside, as step 1 leaves it.
            let mut staging = Staging::with_mode(&out, true).unwrap_or_else(|e| panic!("{e}"));
            staging.open().unwrap_or_else(|e| panic!("{e}"));
            for f in new.clone() {
                staging.put(f).unwrap_or_else(|e| panic!("{e}"));
            }
            fs::write(staging.dir.join(MARKER), "bantin\n").unwrap_or_else(|e| panic!("{e}"));
            let new_dir = staging.dir.clone();
            staging.committed = true;
            drop(staging);
            let mut renames = 0;
            let moved = move_in(&out, &new_dir, |from, to| {
                if renames == cut {
                    return Err(io::Error::from(io::ErrorKind::Interrupted));
                }
                renames += 1;
                fs::rename(from, to)
            });
            if moved.is_ok() {
                assert_eq!(tree(&out), new_tree);
                finished_at = Some(cut);
                break;
            }
            assert!(
                moved.is_err_and(|e| !e.kept && e.message.contains("lần chạy bantin build tới"))
            );
            // Whole entries only: every file is the old or the new version
            // of its top-level entry, never a mix within one.
            let now = tree(&out);
            for (path, text) in &now {
                let top = path.split('/').next().unwrap_or_default();
                if is_internal(top) {
                    continue;
                }
                let from_old = old_tree.get(path) == Some(text);
                let from_new = new_tree.get(path) == Some(text);
                assert!(from_old || from_new, "cut {cut}: {path} is neither");
            }
            // The next build opens the folder: the move is finished first.
            let next = Staging::with_mode(&out, true).unwrap_or_else(|e| panic!("{e}"));
            next.open().unwrap_or_else(|e| panic!("cut {cut}: {e}"));
            drop(next);
            assert_eq!(tree(&out), new_tree, "cut {cut}");
        }
        // Five old top-level entries moved aside, five new ones in (the
        // marker is one of each): cut after 0 to 9 renames, whole at 10.
        assert_eq!(finished_at, Some(10));
    }

    #[test]
    fn a_journal_bantin_did_not_write_is_not_followed() {
        let journal = Journal {
            pid: 7,
            new: ".bantin-new-7-0".into(),
            old: ".bantin-old-7-1".into(),
            entries: vec!["index.html".into(), MARKER.into()],
        };
        assert_eq!(Journal::parse(&journal.text()), Some(journal));
        for bad in [
            "",
            "bantin-swap 1\npid 7\nnew ../x\nold .bantin-old-7-1\n",
            "bantin-swap 1\npid 7\nnew .bantin-new-7-0\nold .bantin-old-7-1\nentry ../../etc\n",
            "bantin-swap 1\npid 7\nnew .bantin-new-7-0\nold .bantin-old-7-1\nentry a/b\n",
            "bantin-swap 1\npid x\nnew .bantin-new-7-0\nold .bantin-old-7-1\n",
            "bantin-swap 1\npid 7\nnew documents\nold .bantin-old-7-1\n",
        ] {
            assert_eq!(Journal::parse(bad), None, "{bad:?}");
        }
        let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        fs::write(tmp.path().join(JOURNAL), "x").unwrap_or_else(|e| panic!("{e}"));
        fs::write(tmp.path().join("thu.txt"), "giữ lại").unwrap_or_else(|e| panic!("{e}"));
        let refused = finish_interrupted_move(tmp.path()).err();
        assert!(refused.is_some_and(|e| e.kept), "refused, nothing touched");
        assert!(tmp.path().join("thu.txt").exists());
    }
}
