//! The results file: YAML text in the layout of SPEC §2.4, the spreadsheet
//! cell behind each line, and writing it atomically.

use std::fs;
use std::io::{self, Write};
use std::path::Path;

use chrono::NaiveDate;

use super::table::UnitRow;
use crate::model::Field;
use crate::vi::DocSymbol;

/// The text of `results/<year>/q<N>.yaml`, and for each line (0-based) the
/// cell it came from, so that what the loader says about a line can point
/// at the spreadsheet.
pub(super) struct Rendered {
    pub(super) text: String,
    pub(super) cells: Vec<Option<(u32, u32)>>,
}

/// What the file says it was imported from.
pub(super) struct Origin<'a> {
    pub(super) file_name: &'a str,
    pub(super) sheet: Option<&'a str>,
}

pub(super) fn render(
    origin: &Origin,
    year: i32,
    quarter: u8,
    plan: &DocSymbol,
    reported: NaiveDate,
    rows: &[UnitRow],
) -> Rendered {
    let mut out = Rendered {
        text: String::new(),
        cells: Vec::new(),
    };
    let mut line = |text: String, cell: Option<(u32, u32)>| {
        out.text.push_str(&text);
        out.text.push('\n');
        out.cells.push(cell);
    };
    let from = match origin.sheet {
        Some(sheet) => format!(
            "{}, trang tính \"{}\",",
            comment_text(origin.file_name),
            comment_text(sheet)
        ),
        None => comment_text(origin.file_name),
    };
    line(
        format!("# Nhập từ tệp {from} bằng lệnh bantin import."),
        None,
    );
    line(
        "# Sửa bảng tính rồi nhập lại (--force), hoặc sửa trực tiếp tệp này.".into(),
        None,
    );
    line(format!("year: {year}"), None);
    line(format!("quarter: {quarter}"), None);
    line(format!("plan: {}", scalar(&plan.to_string())), None);
    line(format!("reported: {}", reported.format("%Y-%m-%d")), None);
    line("rows:".into(), None);
    for row in rows {
        line(format!("  - unit: {}", scalar(&row.id)), Some(row.at));
        for field in Field::ALL {
            if let Some((value, at)) = row.values[field.index()] {
                line(format!("    {}: {value}", field.key()), Some(at));
            }
        }
    }
    out
}

/// A comment stays on its line: line breaks and other controls become spaces.
fn comment_text(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// A YAML scalar that reads back as exactly `s`, as a string: plain when
/// that is unambiguous (`ngan-son`, `366-KH/TU`), double-quoted otherwise.
fn scalar(s: &str) -> String {
    // Starting with a digit, only text with a `/` (a document symbol) is
    // surely not read as a number (`1e5`, `0x1f`) or a date.
    let start_ok = s.chars().next().is_some_and(|c| {
        c.is_alphabetic() || (c.is_ascii_digit() && s.contains('/') && !s.ends_with('/'))
    });
    let plain = start_ok
        && s.chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '/' | '.'))
        && s.chars().any(char::is_alphabetic)
        && !matches!(
            s.to_ascii_lowercase().as_str(),
            "null" | "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n" | "nan" | "inf"
        );
    if plain {
        return s.to_owned();
    }
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Writes `text` to `path` through a temporary file in the same folder, so
/// the file is never seen half-written. Without `replace`, an existing file
/// is never overwritten, even one that appeared after it was checked for:
/// the rename itself refuses (`renameat2(RENAME_NOREPLACE)`, or a hard
/// link where the system lacks it), and fails with `AlreadyExists`.
pub(super) fn write_atomically(path: &Path, text: &str, replace: bool) -> io::Result<()> {
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    fs::create_dir_all(folder)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    // Hidden, so a build running meanwhile skips it.
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".bantin-tmp");
    #[cfg(unix)]
    {
        // A results file is read like any other file of the site (by a web
        // server's account, a colleague): `rw-r--r--` under the usual
        // umask, as `fs::write` makes it, not a temporary file's
        // owner-only mode.
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(fs::Permissions::from_mode(0o666));
    }
    let mut temp = builder.tempfile_in(folder)?;
    temp.write_all(text.as_bytes())?;
    temp.as_file().sync_all()?;
    // On an error the temporary file is removed as it is dropped.
    if replace {
        temp.persist(path).map_err(|e| e.error)?;
    } else {
        temp.persist_noclobber(path).map_err(|e| e.error)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_read_back_as_strings() {
        for (s, want) in [
            ("ngan-son", "ngan-son"),
            ("366-KH/TU", "366-KH/TU"),
            ("26-KH/BCSĐ", "26-KH/BCSĐ"),
            ("2023", "\"2023\""),
            ("1-2", "\"1-2\""),
            ("1e5", "\"1e5\""),
            ("2023-01-31", "\"2023-01-31\""),
            ("null", "\"null\""),
            ("No", "\"No\""),
            ("a: b", "\"a: b\""),
            ("-x", "\"-x\""),
            ("", "\"\""),
            ("say \"hi\"\n", "\"say \\\"hi\\\"\\n\""),
        ] {
            assert_eq!(scalar(s), want, "{s:?}");
        }
    }

    #[test]
    fn no_overwrite_without_replace() {
        let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = tmp.path().join("a/b/q1.yaml");
        write_atomically(&path, "one\n", false).unwrap_or_else(|e| panic!("{e}"));
        let again = write_atomically(&path, "two\n", false);
        assert_eq!(
            again.map_err(|e| e.kind()),
            Err(io::ErrorKind::AlreadyExists)
        );
        assert_eq!(fs::read_to_string(&path).ok().as_deref(), Some("one\n"));
        write_atomically(&path, "two\n", true).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(fs::read_to_string(&path).ok().as_deref(), Some("two\n"));
        let left: Vec<_> = fs::read_dir(path.parent().unwrap_or(tmp.path()))
            .map(|d| d.flatten().map(|e| e.file_name()).collect())
            .unwrap_or_default();
        assert_eq!(left.len(), 1, "{left:?}");
    }

    /// Readable by others as a file the editor saved, whatever mode
    /// temporary files are made with.
    #[cfg(unix)]
    #[test]
    fn the_file_has_the_mode_of_an_ordinary_file() {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let written = tmp.path().join("q1.yaml");
        let plain = tmp.path().join("plain.yaml");
        write_atomically(&written, "one\n", false).unwrap_or_else(|e| panic!("{e}"));
        fs::write(&plain, "one\n").unwrap_or_else(|e| panic!("{e}"));
        let mode = |p: &Path| {
            fs::metadata(p)
                .map(|m| m.permissions().mode() & 0o777)
                .unwrap_or_else(|e| panic!("{e}"))
        };
        assert_eq!(mode(&written), mode(&plain));
    }
}
