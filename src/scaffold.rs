//! `bantin new DIR`: a new site with a small sample, written whole or not
//! at all.
//!
//! The sample is a set of real files under `scaffold/` in the repository,
//! so that editors can read them there; they are compiled into the binary
//! with `include_str!`, listed by hand in [`FILES`] (a unit test checks the
//! list against the folder). The sample is a complete site: `bantin check`
//! finds nothing to report in it.
//!
//! Writing: the target must be missing or an empty folder. The sample is
//! written into a hidden folder beside it, `.<name>.bantin-new-<pid>-<n>`,
//! which is then renamed onto the target; on any failure that folder and
//! every folder created on the way are removed again, so a failed `new`
//! leaves the disk as it found it. This module prints nothing: the
//! command line prints [`summary`] or the error.

use std::fmt;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

/// One file of the sample site.
#[derive(Debug, Clone, Copy)]
pub struct SampleFile {
    /// Relative to the new site's folder, `/`-separated.
    pub path: &'static str,
    pub text: &'static str,
    /// What it is, in the words of the summary printed after `new`.
    pub about: &'static str,
}

macro_rules! sample {
    ($path:literal, $about:literal) => {
        SampleFile {
            path: $path,
            text: include_str!(concat!("../scaffold/", $path)),
            about: $about,
        }
    };
}

/// Every file of the sample, in the order the summary lists them.
pub const FILES: &[SampleFile] = &[
    sample!(
        "README.txt",
        "các thư mục của trang và các lệnh thường dùng"
    ),
    sample!(
        "content/site.yaml",
        "thông tin chung: tên trang, địa chỉ, ghi chú số liệu"
    ),
    sample!(
        "content/units.yaml",
        "3 đơn vị trực thuộc, cách ghi đơn vị giải thể, sáp nhập"
    ),
    sample!(
        "content/plans/2026-kh-15.yaml",
        "kế hoạch kết nạp đảng viên năm 2026, chỉ tiêu từng đơn vị"
    ),
    sample!("content/results/2026/q1.yaml", "kết quả quý I/2026"),
    sample!(
        "content/results/2026/q1.md",
        "nhận định của Ban Biên tập cho bản tin quý I/2026"
    ),
    sample!("content/results/2026/q2.yaml", "kết quả quý II/2026"),
    sample!(
        "content/articles/2026/tinh-uy-giao-chi-tieu-ket-nap-135-dang-vien-nam-2026.md",
        "bài viết mẫu"
    ),
    sample!(
        "content/articles/2026/xa-tan-lap-ket-nap-12-dang-vien-moi-trong-quy-ii.md",
        "bài viết mẫu gắn với một đơn vị"
    ),
];

/// The guides, shipped in the program and written into every new site's
/// `huong-dan/` folder, so that whoever has only the program has them:
/// (file name, title, text).
pub const GUIDES: &[(&str, &str, &str)] = &[
    (
        "huong-dan.md",
        "Hướng dẫn sử dụng cho biên tập viên",
        include_str!("../docs/huong-dan.md"),
    ),
    (
        "mau-trang.md",
        "Mẫu trang (templates)",
        include_str!("../docs/mau-trang.md"),
    ),
    (
        "ma-loi.md",
        "Các mã lỗi, cảnh báo",
        include_str!("../docs/ma-loi.md"),
    ),
    (
        "chi-muc-tim-kiem.md",
        "Tìm kiếm và chỉ mục tìm kiếm",
        include_str!("../docs/chi-muc-tim-kiem.md"),
    ),
];

/// The folder of a new site the guides are written into.
pub const GUIDE_DIR: &str = "huong-dan";

/// Folders created empty, for the editors to fill (git keeps no empty
/// folder, so they are not under `scaffold/`).
pub const EMPTY_DIRS: &[(&str, &str)] = &[
    ("content/media", "ảnh, tệp đính kèm dùng trong bài"),
    ("static", "tệp chép nguyên vào trang tạo ra"),
    (
        "templates",
        "mẫu trang thay cho mẫu có sẵn (xem huong-dan/mau-trang.md)",
    ),
];

/// Why `new` wrote nothing.
#[derive(Debug)]
pub enum NewError {
    /// The folder exists and holds something.
    NotEmpty(PathBuf),
    /// The path names a file (or something else that is not a folder).
    NotAFolder(PathBuf),
    /// The disk refused: permissions, space, a file where a parent folder
    /// should be.
    Io { path: PathBuf, source: io::Error },
}

impl fmt::Display for NewError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NewError::NotEmpty(p) => write!(
                f,
                "thư mục {} đã có tệp; bantin new chỉ tạo trang trong thư mục chưa có hoặc thư mục trống, \
                 để không ghi đè lên tệp nào — chọn tên khác, ví dụ: bantin new trang-moi",
                p.display()
            ),
            NewError::NotAFolder(p) => write!(
                f,
                "{} là một tệp, không phải thư mục; chọn tên khác cho thư mục của trang mới",
                p.display()
            ),
            NewError::Io { path, source } => write!(
                f,
                "không tạo được {}: {source}; không có tệp nào được ghi",
                path.display()
            ),
        }
    }
}

impl std::error::Error for NewError {}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> NewError + '_ {
    move |source| NewError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Creates the sample site in `dir` (and any missing parent folders).
/// Returns the site's folder, resolved.
pub fn create(dir: &Path) -> Result<PathBuf, NewError> {
    create_with(dir, write_sample)
}

/// [`create`] with the filling step given, so tests can make it fail.
fn create_with(
    dir: &Path,
    fill: impl FnOnce(&Path) -> Result<(), NewError>,
) -> Result<PathBuf, NewError> {
    refuse_occupied(dir)?;
    let made = make_folders(dir)?;
    let result = fs::canonicalize(dir)
        .map_err(io_error(dir))
        .and_then(|target| fill_beside(&target, fill).map(|()| target));
    if result.is_err() {
        // Innermost first; remove_dir only removes empty folders.
        for folder in made.iter().rev() {
            let _ = fs::remove_dir(folder);
        }
    }
    result
}

/// A missing path or an empty folder is fine; anything else is refused.
fn refuse_occupied(dir: &Path) -> Result<(), NewError> {
    match fs::metadata(dir) {
        Ok(meta) if meta.is_dir() => {
            let mut entries = fs::read_dir(dir).map_err(io_error(dir))?;
            if entries.next().is_some() {
                return Err(NewError::NotEmpty(dir.to_path_buf()));
            }
            Ok(())
        }
        Ok(_) => Err(NewError::NotAFolder(dir.to_path_buf())),
        // A symbolic link to nothing is something: not a folder to fill.
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            if fs::symlink_metadata(dir).is_ok() {
                Err(NewError::NotAFolder(dir.to_path_buf()))
            } else {
                Ok(())
            }
        }
        Err(e) => Err(NewError::Io {
            path: dir.to_path_buf(),
            source: e,
        }),
    }
}

/// Creates `dir` and its missing parents; returns the folders it created,
/// outermost first (only those named by a plain component, so that a
/// clean-up never reaches a `..`).
fn make_folders(dir: &Path) -> Result<Vec<PathBuf>, NewError> {
    let mut missing: Vec<PathBuf> = dir
        .ancestors()
        .take_while(|p| !p.as_os_str().is_empty() && fs::symlink_metadata(p).is_err())
        .filter(|p| matches!(p.components().next_back(), Some(Component::Normal(_))))
        .map(Path::to_path_buf)
        .collect();
    missing.reverse();
    if let Err(e) = fs::create_dir_all(dir) {
        for folder in missing.iter().rev() {
            let _ = fs::remove_dir(folder);
        }
        return Err(NewError::Io {
            path: dir.to_path_buf(),
            source: e,
        });
    }
    Ok(missing)
}

/// Fills a hidden folder beside the empty `target`, then renames it onto
/// `target`. The hidden folder never outlives a failure.
fn fill_beside(
    target: &Path,
    fill: impl FnOnce(&Path) -> Result<(), NewError>,
) -> Result<(), NewError> {
    let (Some(parent), Some(name)) = (target.parent(), target.file_name()) else {
        return Err(NewError::NotEmpty(target.to_path_buf()));
    };
    let staging = staging_folder(parent, &name.to_string_lossy())?;
    let result = fill(&staging).and_then(|()| swap_in(&staging, target));
    if result.is_err() {
        let _ = fs::remove_dir_all(&staging);
    }
    result
}

fn staging_folder(parent: &Path, name: &str) -> Result<PathBuf, NewError> {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    loop {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let path = parent.join(format!(".{name}.bantin-new-{}-{n}", std::process::id()));
        match fs::create_dir(&path) {
            Ok(()) => return Ok(path),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && n < 1000 => continue,
            Err(e) => return Err(NewError::Io { path, source: e }),
        }
    }
}

/// Renames the filled folder onto the empty target. POSIX replaces an empty
/// folder in one step; where that is refused, the empty target is removed
/// first. A target that gained an entry meanwhile is never touched.
fn swap_in(staging: &Path, target: &Path) -> Result<(), NewError> {
    if fs::rename(staging, target).is_ok() {
        return Ok(());
    }
    let empty = fs::read_dir(target)
        .map(|mut entries| entries.next().is_none())
        .unwrap_or(false);
    if !empty {
        return Err(NewError::NotEmpty(target.to_path_buf()));
    }
    fs::remove_dir(target).map_err(io_error(target))?;
    fs::rename(staging, target).map_err(io_error(target))
}

/// Writes every sample file and empty folder under `root`.
fn write_sample(root: &Path) -> Result<(), NewError> {
    for file in FILES {
        let path = root.join(file.path);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(io_error(parent))?;
        }
        fs::write(&path, file.text).map_err(io_error(&path))?;
    }
    for (folder, _) in EMPTY_DIRS {
        let path = root.join(folder);
        fs::create_dir_all(&path).map_err(io_error(&path))?;
    }
    let guides = root.join(GUIDE_DIR);
    fs::create_dir_all(&guides).map_err(io_error(&guides))?;
    for (name, _, text) in GUIDES {
        let path = guides.join(name);
        fs::write(&path, text).map_err(io_error(&path))?;
    }
    Ok(())
}

/// What `new` made and what to do next, for the site created in `shown`
/// (the folder as the user wrote it).
pub fn summary(shown: &Path) -> String {
    let shown = shown.display().to_string();
    let cd = if shown.contains(char::is_whitespace) {
        format!("\"{shown}\"")
    } else {
        shown.clone()
    };
    let mut out = format!("Đã tạo trang mới trong thư mục {shown}:\n");
    for file in FILES {
        out.push_str(&format!("  {} — {}\n", file.path, file.about));
    }
    for (folder, about) in EMPTY_DIRS {
        out.push_str(&format!("  {folder}/ — (trống) {about}\n"));
    }
    out.push_str(&format!(
        "  {GUIDE_DIR}/ — hướng dẫn sử dụng (huong-dan.md), mẫu trang (mau-trang.md), mã lỗi (ma-loi.md)\n"
    ));
    out.push_str(
        "Tên đơn vị, bài viết và số liệu trong trang mẫu là số liệu minh họa: \
         hãy sửa thành nội dung của đơn vị mình.\n\nBước tiếp theo:\n",
    );
    out.push_str(&format!("  cd {cd}\n"));
    out.push_str("  bantin serve      xem thử trên máy; trang tự tải lại khi lưu tệp\n");
    out.push_str("  bantin check      kiểm tra nội dung sau khi sửa\n");
    out.push_str("  bantin build      tạo trang vào output/, mở output/index.html để xem\n");
    out.push_str(&format!(
        "Hướng dẫn cho biên tập viên: {GUIDE_DIR}/huong-dan.md trong thư mục trang; \
         khi chạy bantin serve, đọc cả trên trình duyệt tại /__bantin/huong-dan/.\n"
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline;
    use crate::publish;
    use crate::render::Options;
    use std::collections::BTreeSet;

    fn tmp() -> tempfile::TempDir {
        tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"))
    }

    fn entries(dir: &Path) -> BTreeSet<String> {
        fs::read_dir(dir)
            .map(|rd| {
                rd.flatten()
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default()
    }

    #[test]
    fn the_embedded_list_is_the_scaffold_folder() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("scaffold");
        let on_disk: BTreeSet<String> = walkdir::WalkDir::new(&root)
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let rel = e.path().strip_prefix(&root).unwrap_or(e.path());
                rel.to_string_lossy().replace('\\', "/")
            })
            .collect();
        let listed: BTreeSet<String> = FILES.iter().map(|f| f.path.to_owned()).collect();
        assert_eq!(listed.len(), FILES.len(), "a file is listed twice");
        assert_eq!(on_disk, listed);
    }

    #[test]
    fn the_new_site_checks_clean() {
        let t = tmp();
        let dir = t.path().join("a/b/trang");
        let made = create(&dir).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(made, dir.canonicalize().unwrap_or_else(|e| panic!("{e}")));
        for (folder, _) in EMPTY_DIRS {
            assert!(dir.join(folder).is_dir(), "{folder}");
        }
        let options = Options {
            drafts: false,
            base_url: None,
        };
        let outcome = pipeline::build(
            &dir,
            &options,
            &publish::Discard::default(),
            &crate::progress::Silent,
        );
        let shown: Vec<String> = outcome.diagnostics.iter().map(|d| d.to_string()).collect();
        assert!(shown.is_empty(), "{shown:#?}");
        assert!(outcome.pages.is_some_and(|n| n > 10));
        // Nothing left beside it.
        assert_eq!(
            entries(&t.path().join("a/b")),
            BTreeSet::from(["trang".to_owned()])
        );
    }

    #[test]
    fn an_empty_folder_is_filled() {
        let t = tmp();
        assert!(create(t.path()).is_ok());
        assert!(t.path().join("content/site.yaml").is_file());
    }

    #[test]
    fn occupied_paths_are_refused_untouched() {
        let t = tmp();
        let full = t.path().join("full");
        fs::create_dir(&full).unwrap_or_else(|e| panic!("{e}"));
        fs::write(full.join(".an"), "x").unwrap_or_else(|e| panic!("{e}"));
        let err = create(&full).err();
        assert!(matches!(err, Some(NewError::NotEmpty(_))), "{err:?}");
        assert_eq!(entries(&full), BTreeSet::from([".an".to_owned()]));

        let file = t.path().join("tep.txt");
        fs::write(&file, "giữ nguyên").unwrap_or_else(|e| panic!("{e}"));
        assert!(matches!(create(&file), Err(NewError::NotAFolder(_))));
        assert_eq!(
            fs::read_to_string(&file).ok().as_deref(),
            Some("giữ nguyên")
        );

        // A file where a parent folder should be.
        assert!(matches!(
            create(&file.join("trang")),
            Err(NewError::Io { .. })
        ));
        assert_eq!(
            entries(t.path()),
            BTreeSet::from(["full".to_owned(), "tep.txt".to_owned()])
        );
    }

    #[test]
    fn a_failure_leaves_nothing_behind() {
        let t = tmp();
        let dir = t.path().join("x/y/trang");
        let result = create_with(&dir, |staging| {
            fs::write(staging.join("mot-nua.yaml"), "a: 1").map_err(io_error(staging))?;
            Err(NewError::Io {
                path: staging.to_path_buf(),
                source: io::Error::other("đĩa đầy"),
            })
        });
        assert!(result.is_err());
        assert!(entries(t.path()).is_empty(), "{:?}", entries(t.path()));

        // An existing empty folder stays, empty.
        let empty = t.path().join("trong");
        fs::create_dir(&empty).unwrap_or_else(|e| panic!("{e}"));
        let result = create_with(&empty, |_| {
            Err(NewError::Io {
                path: PathBuf::new(),
                source: io::Error::other("đĩa đầy"),
            })
        });
        assert!(result.is_err());
        assert_eq!(entries(t.path()), BTreeSet::from(["trong".to_owned()]));
        assert!(entries(&empty).is_empty());
    }

    #[test]
    fn the_summary_names_every_file_and_the_next_steps() {
        let text = summary(Path::new("trang mới"));
        for file in FILES {
            assert!(text.contains(file.path), "{}", file.path);
        }
        assert!(text.contains("cd \"trang mới\""));
        assert!(text.contains("bantin serve") && text.contains("bantin build"));
    }
}
