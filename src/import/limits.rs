//! What `bantin import` reads at most, whatever a file claims or inflates
//! to: the bounds that keep a hostile spreadsheet (a "zip bomb", a cell of a
//! gigabyte, millions of repeated rows) to a few tens of megabytes of
//! memory and a second or two, while a real report (a few hundred rows,
//! several sheets, styles, a logo) stays far below every one of them.
//!
//! Workbooks (.xlsx, .ods) are zip packages: every part is inflated once
//! through a counting reader and its XML checked (see [`super::package`])
//! before calamine opens the file, so calamine never inflates past these
//! bounds. Old binary workbooks (.xls) are read by [`super::xls`], which
//! checks every length it reads. Cells kept in memory are bounded by
//! [`super::sheet::Grid`].

/// A spreadsheet file (.xlsx, .xls, .ods) larger than this is refused before
/// it is read.
pub const MAX_WORKBOOK_FILE_BYTES: u64 = 32 * MIB;
/// A CSV or text file larger than this is refused before it is read: it is
/// decoded whole (up to three bytes of UTF-8 for one byte of Windows-1258).
pub const MAX_TEXT_FILE_BYTES: u64 = 8 * MIB;

/// Parts (files) in a workbook package.
pub const MAX_PARTS: usize = 1_000;
/// Bytes the central directory of a package may claim to hold.
pub const MAX_DIRECTORY_BYTES: u64 = MIB;
/// Inflated bytes of one sheet, of the shared strings, of an .ods
/// `content.xml`, or of a part calamine does not read (pictures...).
pub const MAX_PART_BYTES: u64 = 16 * MIB;
/// Inflated bytes of the small parts calamine reads whole into memory
/// (relationships, workbook.xml, theme, manifest, meta.xml).
pub const MAX_SMALL_PART_BYTES: u64 = 4 * MIB;
/// Inflated bytes of a styles part (styles.xml).
pub const MAX_STYLES_BYTES: u64 = 8 * MIB;
/// Inflated bytes of all the parts of a package together.
pub const MAX_PACKAGE_BYTES: u64 = 64 * MIB;

/// One XML tag, comment or run of text between two tags: the most an XML
/// reader ever holds at once.
pub const MAX_XML_TOKEN_BYTES: usize = 256 * KIB;
/// The text of one cell or shared string, as stored (Excel itself allows
/// 32.767 characters, at most about 200 KB of escaped UTF-8).
pub const MAX_CELL_BYTES: u64 = 256 * KIB as u64;
/// Elements open inside one another.
pub const MAX_XML_DEPTH: usize = 256;
/// Length of an element's name.
pub const MAX_XML_NAME_BYTES: usize = 256;
/// Elements of a small part.
pub const MAX_SMALL_PART_ELEMENTS: u64 = 50_000;
/// Strings of a shared-string table (.xlsx, .xls).
pub const MAX_SHARED_STRINGS: u64 = 200_000;
/// Bytes of text of a shared-string table of an .xls (an .xlsx one is bounded
/// by [`MAX_PART_BYTES`]).
pub const MAX_SHARED_TEXT_BYTES: u64 = 16 * MIB;
/// Cell formats, fonts, fills, borders or number formats of a styles part
/// (Excel itself allows about 64.000 cell formats).
pub const MAX_STYLE_RECORDS: u64 = 65_536;
/// Memory calamine needs for the styles it builds (estimated from the
/// styles part; see `package::Styles`).
pub const MAX_STYLE_MEMORY: u64 = 16 * MIB;
/// Cells calamine lays out for the sheets of an .ods, repeated rows and
/// columns (`table:number-rows-repeated`...) counted as many times as they
/// repeat.
pub const MAX_ODS_CELLS: u64 = 400_000;
/// Bytes of text those cells hold, repeats counted.
pub const MAX_ODS_TEXT_BYTES: u64 = 8 * MIB;

/// Sheets of a workbook.
pub const MAX_SHEETS: usize = 256;
/// Non-empty cells of one sheet kept in memory.
pub const MAX_CELLS: usize = 200_000;
/// Bytes of text of the cells of one sheet kept in memory.
pub const MAX_SHEET_TEXT_BYTES: usize = 8 * MIB as usize;

/// Problems printed for one file; the others are counted in a last line.
pub const MAX_PROBLEMS: usize = 10_000;

/// Characters of a cell compared with the site's unit names for a "có
/// phải ...?" hint: the edit distance costs the product of the two lengths,
/// and a longer text is no misspelt unit name anyway.
pub const MAX_HINT_CHARS: usize = 200;

pub const KIB: usize = 1024;
pub const MIB: u64 = 1024 * 1024;

/// `16 MB`, `256 KB`, `9,2 MB`: a size as the messages write it.
pub fn size_text(bytes: u64) -> String {
    let kib = KIB as u64;
    if bytes >= MIB && bytes.is_multiple_of(MIB) {
        format!("{} MB", count_text(bytes / MIB))
    } else if bytes >= MIB {
        // Tenths of a megabyte, rounded half up.
        let tenths = (bytes * 10 + MIB / 2) / MIB;
        format!("{},{} MB", count_text(tenths / 10), tenths % 10)
    } else if bytes >= kib {
        format!("{} KB", count_text((bytes + kib / 2) / kib))
    } else {
        format!("{} byte", count_text(bytes))
    }
}

/// `200.000`: a count as the messages write it.
pub fn count_text(n: u64) -> String {
    crate::vi::int(i64::try_from(n).unwrap_or(i64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_and_counts_in_vietnamese() {
        assert_eq!(size_text(16 * MIB), "16 MB");
        assert_eq!(size_text(256 * 1024), "256 KB");
        assert_eq!(size_text(1536 * 1024), "1,5 MB");
        assert_eq!(size_text(9 * MIB + 1), "9,0 MB");
        assert_eq!(size_text(1000), "1.000 byte");
        assert_eq!(size_text(10), "10 byte");
        assert_eq!(count_text(200_000), "200.000");
    }
}
