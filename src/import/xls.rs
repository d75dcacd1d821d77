//! Old Excel workbooks (.xls: BIFF8 records in an OLE compound file), read
//! here rather than by calamine, whose reader trusts the file: it follows
//! sector chains without noticing a loop (a few kilobytes asking for
//! gigabytes), reserves room for the dimensions a sheet declares, lays every
//! sheet out as a dense table at once (a cell at A1 and one at IV65536 make
//! 16 million cells) and parses every formula.
//!
//! Here every chain is walked once with a mark per sector, every length is
//! checked against the bytes that are there, the workbook stream is at most
//! the file's size, the shared strings are bounded ([`MAX_SHARED_STRINGS`],
//! [`MAX_SHARED_TEXT_BYTES`]), and each sheet is read on its own, sparsely,
//! into a [`Grid`], from the values the cells hold (a formula's last
//! result, not the formula).
//!
//! Only BIFF8 (Excel 97 and later, the only .xls written for two decades)
//! is read; older files and files with a password are refused with what to
//! do instead.

use std::collections::HashMap;
use std::io::{Read, Seek, SeekFrom};

use super::limits::{
    MAX_SHARED_STRINGS, MAX_SHARED_TEXT_BYTES, MAX_STYLE_RECORDS, count_text, size_text,
};
use super::sheet::{self, Cell, Grid, ReadError, TABLE_HINT};
use super::{MAX_COLUMNS, MAX_ROWS};

const END_OF_CHAIN: u32 = 0xFFFF_FFFE;
/// Sector numbers from here up are markers, not sectors.
const MAX_REGULAR_SECTOR: u32 = 0xFFFF_FFFA;

const SAVE_AS: &str = "hãy mở tệp bằng Excel hoặc LibreOffice và lưu lại dạng .xlsx";

fn damaged(why: &str) -> ReadError {
    ReadError::Unreadable(format!("tệp .xls bị hỏng ({why}); {SAVE_AS}"))
}

/// Reads the workbook (see [`sheet::read_workbook`]).
pub fn read<R: Read + Seek>(
    file: &mut R,
    mut wanted: impl FnMut(&Grid) -> bool,
) -> Result<Grid, ReadError> {
    let stream = workbook_stream(file)?;
    let globals = Globals::read(&stream)?;
    let names = sheet::sheet_order(
        globals
            .sheets
            .iter()
            .map(|s| (s.name.clone(), s.hidden))
            .collect::<Vec<_>>()
            .into_iter(),
    )?;
    let by_name: HashMap<&str, &SheetEntry> = globals
        .sheets
        .iter()
        .map(|s| (s.name.as_str(), s))
        .collect();
    // Sheets are disjoint runs of records: reading all of them (and the
    // first one again) walks the stream about once. Sheets pointing into
    // one another would make it many times.
    let walked = std::cell::Cell::new(0_u64);
    let budget = 2 * stream.len() as u64 + 64 * 1024;
    let read_one = |name: &str| match by_name.get(name) {
        Some(entry) => read_sheet(&stream, &globals, entry, &walked, budget),
        None => Err(damaged("thiếu trang tính")),
    };
    let mut first: Option<&str> = None;
    let mut last_error = None;
    for name in &names {
        match read_one(name) {
            Ok(grid) if wanted(&grid) => return Ok(grid),
            Ok(_) => {
                first.get_or_insert(name);
            }
            Err(e) => last_error = Some(e),
        }
    }
    match (first, last_error) {
        (Some(name), _) => read_one(name),
        (None, Some(e)) => Err(e),
        (None, None) => Err(ReadError::Unreadable(
            "bảng tính không có trang tính nào".into(),
        )),
    }
}

// ---- the compound file ----------------------------------------------------

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

fn u64_at(b: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(b.get(at..at + 8)?.try_into().ok()?))
}

/// The sectors of a compound file, read on demand.
struct Sectors<'f, R> {
    file: &'f mut R,
    size: usize,
    /// Sectors the file holds.
    count: u32,
}

impl<R: Read + Seek> Sectors<'_, R> {
    fn read(&mut self, id: u32) -> Result<Vec<u8>, ReadError> {
        if id >= self.count {
            return Err(damaged("số hiệu vùng ngoài tệp"));
        }
        let offset = (u64::from(id) + 1) * self.size as u64;
        let mut buf = vec![0_u8; self.size];
        self.file
            .seek(SeekFrom::Start(offset))
            .and_then(|_| read_up_to(self.file, &mut buf))
            .map_err(|_| damaged("không đọc được"))?;
        Ok(buf)
    }

    /// The sectors of the chain starting at `start`, each visited once.
    fn chain(&self, start: u32, fat: &[u32]) -> Result<Vec<u32>, ReadError> {
        chain(start, fat, self.count)
    }

    /// The bytes of a chain, cut to `len`.
    fn stream(&mut self, start: u32, fat: &[u32], len: u64) -> Result<Vec<u8>, ReadError> {
        let chain = self.chain(start, fat)?;
        let have = chain.len() as u64 * self.size as u64;
        let len = usize::try_from(len.min(have)).map_err(|_| damaged("luồng quá lớn"))?;
        let mut out = Vec::with_capacity(len);
        for id in chain {
            if out.len() >= len {
                break;
            }
            out.extend_from_slice(&self.read(id)?);
        }
        out.truncate(len);
        Ok(out)
    }
}

/// The sectors of the chain starting at `start` through `fat`, each
/// visited once, all below `count`.
fn chain(start: u32, fat: &[u32], count: u32) -> Result<Vec<u32>, ReadError> {
    let mut seen = vec![false; fat.len()];
    let mut out = Vec::new();
    let mut id = start;
    while id != END_OF_CHAIN {
        let index = id as usize;
        if id >= count || index >= fat.len() {
            return Err(damaged("chuỗi vùng trỏ ra ngoài"));
        }
        if seen[index] {
            return Err(damaged("chuỗi vùng lặp vòng"));
        }
        seen[index] = true;
        out.push(id);
        id = fat[index];
    }
    Ok(out)
}

/// Fills `buf` from `r` as far as the file goes (a last sector may be short).
fn read_up_to(r: &mut impl Read, buf: &mut [u8]) -> std::io::Result<()> {
    let mut filled = 0;
    while filled < buf.len() {
        match r.read(&mut buf[filled..])? {
            0 => break,
            n => filled += n,
        }
    }
    Ok(())
}

/// One directory entry: a stream's name, first sector and size.
struct Entry {
    name: String,
    kind: u8,
    start: u32,
    size: u64,
}

/// The `Workbook` stream of the compound file.
fn workbook_stream<R: Read + Seek>(file: &mut R) -> Result<Vec<u8>, ReadError> {
    let len = file
        .seek(SeekFrom::End(0))
        .map_err(|_| damaged("không đọc được"))?;
    let mut header = [0_u8; 512];
    file.seek(SeekFrom::Start(0))
        .and_then(|_| file.read_exact(&mut header))
        .map_err(|_| damaged("tệp quá ngắn"))?;
    let size = match u16_at(&header, 30) {
        Some(9) => 512,
        Some(12) => 4096,
        _ => return Err(damaged("cỡ vùng không hợp lệ")),
    };
    if u16_at(&header, 32) != Some(6) {
        return Err(damaged("cỡ vùng nhỏ không hợp lệ"));
    }
    // Sectors after the header's, the last one perhaps cut short.
    let count = u32::try_from(len.div_ceil(size as u64).saturating_sub(1)).unwrap_or(u32::MAX);
    let mut sectors = Sectors { file, size, count };
    let per_sector = size / 4;

    // The FAT's sectors: 109 in the header, then DIFAT sectors.
    let mut fat_sectors: Vec<u32> = (0..109)
        .filter_map(|i| u32_at(&header, 76 + 4 * i))
        .filter(|&id| id < MAX_REGULAR_SECTOR)
        .collect();
    let mut difat = u32_at(&header, 68).unwrap_or(END_OF_CHAIN);
    let mut difat_seen = 0_u32;
    while difat < MAX_REGULAR_SECTOR {
        difat_seen += 1;
        if difat_seen > count {
            return Err(damaged("chuỗi DIFAT lặp vòng"));
        }
        let sector = sectors.read(difat)?;
        fat_sectors.extend(
            (0..per_sector - 1)
                .filter_map(|i| u32_at(&sector, 4 * i))
                .filter(|&id| id < MAX_REGULAR_SECTOR),
        );
        difat = u32_at(&sector, 4 * (per_sector - 1)).unwrap_or(END_OF_CHAIN);
    }
    if fat_sectors.len() as u64 > u64::from(count) {
        return Err(damaged("bảng FAT lớn hơn tệp"));
    }
    let mut fat: Vec<u32> = Vec::with_capacity(fat_sectors.len() * per_sector);
    for id in fat_sectors {
        let sector = sectors.read(id)?;
        fat.extend((0..per_sector).filter_map(|i| u32_at(&sector, 4 * i)));
    }

    // The directory.
    let dir_start = u32_at(&header, 48).unwrap_or(END_OF_CHAIN);
    let directory = sectors.stream(dir_start, &fat, u64::MAX)?;
    let entries: Vec<Entry> = directory
        .chunks_exact(128)
        .map(|e| {
            let name_len = usize::from(u16_at(e, 64).unwrap_or(0)).min(64);
            let units: Vec<u16> = e[..name_len]
                .chunks_exact(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]))
                .take_while(|&u| u != 0)
                .collect();
            Entry {
                name: String::from_utf16_lossy(&units),
                kind: e[66],
                start: u32_at(e, 116).unwrap_or(END_OF_CHAIN),
                size: if size == 512 {
                    u64::from(u32_at(e, 120).unwrap_or(0))
                } else {
                    u64_at(e, 120).unwrap_or(0)
                },
            }
        })
        .collect();
    let named = |wanted: &str| {
        entries
            .iter()
            .find(|e| e.kind == 2 && e.name.eq_ignore_ascii_case(wanted))
    };
    if named("EncryptedPackage").is_some() {
        return Err(ReadError::Unreadable(
            "bảng tính được đặt mật khẩu; hãy mở bằng Excel, bỏ mật khẩu (Tệp › Thông tin › Bảo vệ sổ làm việc) rồi lưu lại".into(),
        ));
    }
    let Some(workbook) = named("Workbook") else {
        if named("Book").is_some() {
            return Err(ReadError::Unreadable(format!(
                "tệp .xls theo định dạng Excel 5.0/95, quá cũ; {SAVE_AS}"
            )));
        }
        return Err(ReadError::Unreadable(format!(
            "tệp không phải bảng tính Excel (không có luồng Workbook); {SAVE_AS}"
        )));
    };
    let cutoff = u64::from(u32_at(&header, 56).unwrap_or(4096));
    if workbook.size >= cutoff {
        return sectors.stream(workbook.start, &fat, workbook.size);
    }
    // A small stream lives in the mini stream (the root entry's chain), in
    // 64-byte sectors chained by the mini FAT.
    let root = entries
        .first()
        .filter(|e| e.kind == 5)
        .ok_or_else(|| damaged("thiếu thư mục gốc"))?;
    let mini_stream = sectors.stream(root.start, &fat, root.size)?;
    let mini_fat_bytes =
        sectors.stream(u32_at(&header, 60).unwrap_or(END_OF_CHAIN), &fat, u64::MAX)?;
    let mini_fat: Vec<u32> = mini_fat_bytes
        .chunks_exact(4)
        .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect();
    let mini_count = u32::try_from(mini_stream.len() / 64).unwrap_or(u32::MAX);
    let chain = chain(workbook.start, &mini_fat, mini_count)?;
    let mut out = Vec::new();
    for id in chain {
        let at = id as usize * 64;
        out.extend_from_slice(mini_stream.get(at..at + 64).unwrap_or_default());
    }
    out.truncate(usize::try_from(workbook.size).unwrap_or(usize::MAX));
    Ok(out)
}

// ---- BIFF8 records ----------------------------------------------------------

/// One record: its type and data.
struct Record<'a> {
    kind: u16,
    data: &'a [u8],
    /// Where the next record starts.
    next: usize,
}

fn record_at(stream: &[u8], at: usize) -> Option<Record<'_>> {
    let kind = u16_at(stream, at)?;
    let len = usize::from(u16_at(stream, at + 2)?);
    let data = stream.get(at + 4..at + 4 + len)?;
    Some(Record {
        kind,
        data,
        next: at + 4 + len,
    })
}

const BOF: u16 = 0x0809;
const EOF: u16 = 0x000A;
const CONTINUE: u16 = 0x003C;

/// A sheet listed in the workbook globals.
struct SheetEntry {
    name: String,
    hidden: bool,
    /// Where its records start in the stream.
    at: usize,
}

/// What the workbook globals say: the sheets, the shared strings, and
/// which cell formats show dates.
struct Globals {
    sheets: Vec<SheetEntry>,
    strings: Vec<String>,
    /// For each cell format (XF), whether it shows a date or time.
    date_formats: Vec<bool>,
}

impl Globals {
    fn read(stream: &[u8]) -> Result<Globals, ReadError> {
        let first = record_at(stream, 0).ok_or_else(|| damaged("luồng Workbook rỗng"))?;
        if first.kind != BOF {
            return Err(ReadError::Unreadable(format!(
                "tệp .xls theo định dạng Excel 4.0 trở về trước, quá cũ; {SAVE_AS}"
            )));
        }
        if u16_at(first.data, 0) != Some(0x0600) {
            return Err(ReadError::Unreadable(format!(
                "tệp .xls theo định dạng Excel 5.0/95, quá cũ; {SAVE_AS}"
            )));
        }
        let mut globals = Globals {
            sheets: Vec::new(),
            strings: Vec::new(),
            date_formats: Vec::new(),
        };
        let mut custom_formats: HashMap<u16, bool> = HashMap::new();
        let mut format_ids: Vec<u16> = Vec::new();
        let mut at = first.next;
        while let Some(r) = record_at(stream, at) {
            at = r.next;
            match r.kind {
                EOF => break,
                // FILEPASS: the workbook is encrypted.
                0x002F => {
                    return Err(ReadError::Unreadable(
                        "bảng tính được đặt mật khẩu; hãy mở bằng Excel, bỏ mật khẩu rồi lưu lại"
                            .into(),
                    ));
                }
                // FORMAT: a number format's id and code.
                0x041E => {
                    if let (Some(id), Some(code)) = (u16_at(r.data, 0), unicode_string(r.data, 2)) {
                        custom_formats.insert(id, is_date_format(&code));
                    }
                }
                // XF: a cell format and its number format.
                0x00E0 => {
                    if format_ids.len() as u64 >= MAX_STYLE_RECORDS {
                        return Err(ReadError::TooLarge(
                            format!(
                                "tệp .xls có hơn {} định dạng ô; giới hạn là {}",
                                count_text(MAX_STYLE_RECORDS),
                                count_text(MAX_STYLE_RECORDS)
                            ),
                            TABLE_HINT.to_owned(),
                        ));
                    }
                    format_ids.push(u16_at(r.data, 2).unwrap_or(0));
                }
                // BOUNDSHEET8: a sheet's position, state, type and name.
                0x0085 => {
                    let (Some(pos), Some(&state), Some(&kind)) =
                        (u32_at(r.data, 0), r.data.get(4), r.data.get(5))
                    else {
                        continue;
                    };
                    // Worksheets only (not charts, macros, modules).
                    if kind != 0 {
                        continue;
                    }
                    let name = short_string(r.data, 6).unwrap_or_default();
                    globals.sheets.push(SheetEntry {
                        name,
                        hidden: state & 0x03 != 0,
                        at: pos as usize,
                    });
                    if globals.sheets.len() > super::limits::MAX_SHEETS {
                        // sheet_order says so, with the limit.
                        break;
                    }
                }
                // SST: the shared strings, continued in CONTINUE records.
                0x00FC => {
                    let mut pieces = vec![r.data];
                    let mut next = r.next;
                    while let Some(c) = record_at(stream, next).filter(|c| c.kind == CONTINUE) {
                        pieces.push(c.data);
                        next = c.next;
                    }
                    at = next;
                    globals.strings = shared_strings(&pieces)?;
                }
                _ => {}
            }
        }
        globals.date_formats = format_ids
            .into_iter()
            .map(|id| {
                custom_formats
                    .get(&id)
                    .copied()
                    .unwrap_or_else(|| is_builtin_date(id))
            })
            .collect();
        Ok(globals)
    }
}

/// Built-in number formats that show a date or a time.
fn is_builtin_date(id: u16) -> bool {
    matches!(id, 14..=22 | 27..=36 | 45..=47 | 50..=58)
}

/// A number format code shows a date or time when it has d, m, y, h or s
/// outside quoted text, `[...]` (colours, conditions; but `[h]` elapsed
/// hours count) and escaped characters.
pub(super) fn is_date_format(code: &str) -> bool {
    let mut chars = code.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                for q in chars.by_ref() {
                    if q == '"' {
                        break;
                    }
                }
            }
            '\\' | '_' | '*' => {
                chars.next();
            }
            '[' => {
                let inside: String = chars.by_ref().take_while(|&b| b != ']').collect();
                let lower = inside.to_ascii_lowercase();
                if !lower.is_empty() && lower.chars().all(|c| matches!(c, 'h' | 'm' | 's')) {
                    return true;
                }
            }
            c if matches!(c.to_ascii_lowercase(), 'd' | 'm' | 'y' | 'h' | 's') => return true,
            _ => {}
        }
    }
    false
}

/// Characters read from BIFF8 string data: one byte each (code points
/// U+0000..U+00FF) or UTF-16 code units.
fn chars(bytes: &[u8], wide: bool, out: &mut Vec<u16>) {
    if wide {
        out.extend(
            bytes
                .chunks_exact(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]])),
        );
    } else {
        out.extend(bytes.iter().map(|&b| u16::from(b)));
    }
}

fn text_of(units: &[u16]) -> String {
    crate::vi::nfc(&String::from_utf16_lossy(units)).into_owned()
}

/// An XLUnicodeString at `at`: a 16-bit count, a flags byte, characters.
fn unicode_string(data: &[u8], at: usize) -> Option<String> {
    let count = usize::from(u16_at(data, at)?);
    string_body(data, at + 2, count)
}

/// A ShortXLUnicodeString at `at`: an 8-bit count, a flags byte, characters.
fn short_string(data: &[u8], at: usize) -> Option<String> {
    let count = usize::from(*data.get(at)?);
    string_body(data, at + 1, count)
}

fn string_body(data: &[u8], at: usize, count: usize) -> Option<String> {
    let wide = data.get(at)? & 1 != 0;
    let width = if wide { 2 } else { 1 };
    let end = (at + 1 + count * width).min(data.len());
    let mut units = Vec::with_capacity(count.min(data.len()));
    chars(data.get(at + 1..end)?, wide, &mut units);
    Some(text_of(&units))
}

/// A reader over a record and its CONTINUE records, as one run of bytes
/// in which a string's characters carry a fresh flags byte at the start of
/// each continuation.
struct Pieces<'a> {
    pieces: &'a [&'a [u8]],
    piece: usize,
    at: usize,
}

impl Pieces<'_> {
    fn current(&mut self) -> Option<&[u8]> {
        while self.at >= self.pieces.get(self.piece)?.len() {
            self.piece += 1;
            self.at = 0;
        }
        self.pieces.get(self.piece).map(|p| &p[self.at..])
    }

    fn bytes(&mut self, mut n: usize, mut out: Option<&mut Vec<u8>>) -> Option<()> {
        while n > 0 {
            let here = self.current()?;
            let take = n.min(here.len());
            if let Some(out) = out.as_deref_mut() {
                out.extend_from_slice(&here[..take]);
            }
            self.at += take;
            n -= take;
        }
        Some(())
    }

    fn u8(&mut self) -> Option<u8> {
        let b = *self.current()?.first()?;
        self.at += 1;
        Some(b)
    }

    fn u16(&mut self) -> Option<u16> {
        Some(u16::from(self.u8()?) | u16::from(self.u8()?) << 8)
    }

    fn u32(&mut self) -> Option<u32> {
        Some(u32::from(self.u16()?) | u32::from(self.u16()?) << 16)
    }

    /// `count` characters, the first of them `wide` or not; a piece ending
    /// before them or inside them is followed by a flags byte for the rest.
    fn characters(&mut self, mut count: usize, mut wide: bool) -> Option<Vec<u16>> {
        let mut units = Vec::with_capacity(count.min(64 * 1024));
        while count > 0 {
            let piece = self.pieces.get(self.piece)?;
            if self.at >= piece.len() {
                // A continuation: its first byte says the width of the rest.
                self.piece += 1;
                wide = *self.pieces.get(self.piece)?.first()? & 1 != 0;
                self.at = 1;
                continue;
            }
            let here = &piece[self.at..];
            let width = if wide { 2 } else { 1 };
            let fit = (here.len() / width).min(count);
            if fit == 0 {
                // Half a character before the end of a piece.
                return None;
            }
            chars(&here[..fit * width], wide, &mut units);
            self.at += fit * width;
            count -= fit;
        }
        Some(units)
    }
}

/// The strings of an SST record and its continuations, bounded.
fn shared_strings(pieces: &[&[u8]]) -> Result<Vec<String>, ReadError> {
    let mut p = Pieces {
        pieces,
        piece: 0,
        at: 8, // total and unique counts
    };
    let mut strings = Vec::new();
    let mut bytes: u64 = 0;
    while p.current().is_some() {
        let Some(s) = rich_string(&mut p) else {
            // A string cut short: the strings read so far are kept.
            break;
        };
        bytes += s.len() as u64;
        strings.push(s);
        if strings.len() as u64 > MAX_SHARED_STRINGS {
            return Err(ReadError::TooLarge(
                format!(
                    "tệp .xls có hơn {} chuỗi văn bản dùng chung; giới hạn là {}",
                    count_text(MAX_SHARED_STRINGS),
                    count_text(MAX_SHARED_STRINGS)
                ),
                TABLE_HINT.to_owned(),
            ));
        }
        if bytes > MAX_SHARED_TEXT_BYTES {
            return Err(ReadError::TooLarge(
                format!(
                    "các chuỗi văn bản dùng chung của tệp .xls dài hơn {}; giới hạn là {}",
                    size_text(MAX_SHARED_TEXT_BYTES),
                    size_text(MAX_SHARED_TEXT_BYTES)
                ),
                TABLE_HINT.to_owned(),
            ));
        }
    }
    Ok(strings)
}

/// An XLUnicodeRichExtendedString: count, flags, [runs], [phonetic size],
/// characters, runs, phonetic data.
fn rich_string(p: &mut Pieces) -> Option<String> {
    let count = usize::from(p.u16()?);
    let flags = p.u8()?;
    let runs = if flags & 0x08 != 0 { p.u16()? } else { 0 };
    let extra = if flags & 0x04 != 0 { p.u32()? } else { 0 };
    let units = p.characters(count, flags & 0x01 != 0)?;
    p.bytes(usize::from(runs) * 4, None)?;
    p.bytes(extra as usize, None)?;
    Some(text_of(&units))
}

/// An RK number: a float's top 30 bits or a 30-bit integer, perhaps / 100.
fn rk(value: u32) -> f64 {
    let n = if value & 0x02 != 0 {
        f64::from((value as i32) >> 2)
    } else {
        f64::from_bits(u64::from(value & 0xFFFF_FFFC) << 32)
    };
    if value & 0x01 != 0 { n / 100.0 } else { n }
}

fn error_name(code: u8) -> &'static str {
    match code {
        0x00 => "#NULL!",
        0x07 => "#DIV/0!",
        0x0F => "#VALUE!",
        0x17 => "#REF!",
        0x1D => "#NAME?",
        0x24 => "#NUM!",
        0x2A => "#N/A",
        _ => "#GETTING_DATA",
    }
}

/// One worksheet's cells.
fn read_sheet(
    stream: &[u8],
    globals: &Globals,
    entry: &SheetEntry,
    walked: &std::cell::Cell<u64>,
    budget: u64,
) -> Result<Grid, ReadError> {
    let name = &entry.name;
    let first = record_at(stream, entry.at)
        .filter(|r| r.kind == BOF)
        .ok_or_else(|| damaged("trang tính không bắt đầu đúng chỗ"))?;
    let mut grid = Grid::new(Some(name.clone()));
    let number = |xf: u16, value: f64| {
        if globals
            .date_formats
            .get(usize::from(xf))
            .copied()
            .unwrap_or(false)
        {
            Cell::Date(value)
        } else {
            Cell::Float(value)
        }
    };
    let set = |grid: &mut Grid, row: u16, col: u16, cell: Cell| -> Result<(), ReadError> {
        if u32::from(row) >= MAX_ROWS || u32::from(col) >= MAX_COLUMNS {
            return Err(sheet::too_large(name));
        }
        grid.set(u32::from(row), u32::from(col), cell)?;
        Ok(())
    };
    // Embedded charts are substreams of their own, BOF to EOF.
    let mut depth = 0_u32;
    let mut string_for: Option<(u16, u16)> = None;
    let mut at = first.next;
    while let Some(r) = record_at(stream, at) {
        walked.set(walked.get() + (r.next - at) as u64);
        if walked.get() > budget {
            return Err(damaged("các trang tính chồng lên nhau"));
        }
        at = r.next;
        let d = r.data;
        let (row, col, xf) = (u16_at(d, 0), u16_at(d, 2), u16_at(d, 4));
        match r.kind {
            BOF => depth += 1,
            EOF if depth == 0 => break,
            EOF => depth -= 1,
            _ if depth > 0 => {}
            // NUMBER
            0x0203 => {
                if let (Some(row), Some(col), Some(xf), Some(v)) =
                    (row, col, xf, u64_at(d, 6).map(f64::from_bits))
                {
                    set(&mut grid, row, col, number(xf, v))?;
                }
            }
            // RK
            0x027E => {
                if let (Some(row), Some(col), Some(xf), Some(v)) = (row, col, xf, u32_at(d, 6)) {
                    set(&mut grid, row, col, number(xf, rk(v)))?;
                }
            }
            // MULRK: several RK cells of one row.
            0x00BD => {
                if let (Some(row), Some(first_col)) = (row, col) {
                    let pairs = d.len().saturating_sub(6) / 6;
                    for i in 0..pairs {
                        let at = 4 + 6 * i;
                        if let (Some(xf), Some(v)) = (u16_at(d, at), u32_at(d, at + 2)) {
                            let col = first_col.saturating_add(i as u16);
                            set(&mut grid, row, col, number(xf, rk(v)))?;
                        }
                    }
                }
            }
            // LABELSST
            0x00FD => {
                if let (Some(row), Some(col), Some(i)) = (row, col, u32_at(d, 6))
                    && let Some(s) = globals.strings.get(i as usize)
                {
                    set(&mut grid, row, col, Cell::Text(s.clone()))?;
                }
            }
            // LABEL, RSTRING
            0x0204 | 0x00D6 => {
                if let (Some(row), Some(col), Some(s)) = (row, col, unicode_string(d, 6)) {
                    set(&mut grid, row, col, Cell::Text(s))?;
                }
            }
            // BOOLERR
            0x0205 => {
                if let (Some(row), Some(col), Some(&v), Some(&is_error)) =
                    (row, col, d.get(6), d.get(7))
                {
                    let cell = if is_error != 0 {
                        Cell::Error(error_name(v).to_owned())
                    } else {
                        Cell::Bool(v != 0)
                    };
                    set(&mut grid, row, col, cell)?;
                }
            }
            // FORMULA: its last result.
            0x0006 => {
                let (Some(row), Some(col), Some(xf), Some(result)) = (row, col, xf, d.get(6..14))
                else {
                    continue;
                };
                string_for = None;
                if result[6..8] == [0xFF, 0xFF] {
                    match result[0] {
                        0 => string_for = Some((row, col)),
                        1 => set(&mut grid, row, col, Cell::Bool(result[2] != 0))?,
                        2 => set(
                            &mut grid,
                            row,
                            col,
                            Cell::Error(error_name(result[2]).into()),
                        )?,
                        _ => {}
                    }
                } else {
                    let v = f64::from_bits(u64_at(result, 0).unwrap_or(0));
                    set(&mut grid, row, col, number(xf, v))?;
                }
            }
            // STRING: the text result of the formula before it.
            0x0207 => {
                if let (Some((row, col)), Some(s)) = (string_for.take(), unicode_string(d, 0)) {
                    set(&mut grid, row, col, Cell::Text(s))?;
                }
            }
            _ => {}
        }
    }
    Ok(grid)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_formats() {
        for code in [
            "dd/mm/yyyy",
            "d-mmm",
            "h:mm",
            "[h]:mm:ss",
            "yyyy",
            "[$-42A]dd/mm/yyyy",
        ] {
            assert!(is_date_format(code), "{code}");
        }
        for code in [
            "General",
            "0",
            "#,##0",
            "0.00%",
            "#,##0\" đơn vị\"",
            "[Red]0",
            "0.0E+00",
            "_(* #,##0_)",
        ] {
            assert!(!is_date_format(code), "{code}");
        }
        assert!(
            is_builtin_date(14)
                && is_builtin_date(22)
                && !is_builtin_date(0)
                && !is_builtin_date(3)
        );
    }

    #[test]
    fn rk_numbers() {
        assert_eq!(rk((35 << 2) | 0x02), 35.0);
        assert_eq!(rk((3550 << 2) | 0x03), 35.5);
        assert_eq!(rk(((-1_i32 << 2) as u32) | 0x02), -1.0);
        let bits = (1.5_f64.to_bits() >> 32) as u32;
        assert_eq!(rk(bits), 1.5);
    }

    #[test]
    fn strings_continued_across_records() {
        // Two strings: "ab" (8-bit) and "Đơn" (16-bit) whose characters are
        // split by a CONTINUE record that switches to 16-bit.
        let mut sst = vec![2, 0, 0, 0, 2, 0, 0, 0];
        sst.extend([2, 0, 0, b'a', b'b']);
        sst.extend([3, 0, 1]);
        sst.extend(0x0110_u16.to_le_bytes());
        let mut cont = vec![1];
        cont.extend(0x01A1_u16.to_le_bytes());
        cont.extend(u16::from(b'n').to_le_bytes());
        let pieces: [&[u8]; 2] = [&sst, &cont];
        assert_eq!(
            shared_strings(&pieces),
            Ok(vec!["ab".to_owned(), "Đơn".to_owned()])
        );
    }
}
