//! The checks a zip workbook (.xlsx, .xlsm, .ods) passes before calamine
//! opens it: what its central directory may list, then every part inflated
//! once through a counting reader, and the XML of each part calamine will
//! read checked for what that reader would hold in memory.
//!
//! calamine reads parts by role: the relationships, the workbook, the shared
//! strings, the styles and the sheets of an .xlsx (found through the
//! relationships, as calamine finds them), `content.xml` and a few small
//! parts of an .ods. Each role has its own bounds ([`super::limits`]): a
//! sheet is streamed, so only the text of one cell counts; the shared
//! strings and the styles are held whole, so they are counted; `content.xml`
//! is laid out by calamine as dense tables with every repeated row and
//! column written out, so that layout is counted as calamine would make it.
//! Parts calamine never reads (pictures, printer settings) are only
//! inflated and counted, which bounds the time spent on them.

use std::collections::HashMap;
use std::io::{BufReader, Read, Seek, SeekFrom};

use super::limits::{
    MAX_CELL_BYTES, MAX_DIRECTORY_BYTES, MAX_ODS_CELLS, MAX_ODS_TEXT_BYTES, MAX_PACKAGE_BYTES,
    MAX_PART_BYTES, MAX_PARTS, MAX_SHARED_STRINGS, MAX_SMALL_PART_BYTES, MAX_SMALL_PART_ELEMENTS,
    MAX_STYLE_MEMORY, MAX_STYLE_RECORDS, MAX_STYLES_BYTES, count_text, size_text,
};
use super::sheet::ReadError;
use super::xml::{self, Breach, Scanner, Watch, attribute, local, unescape};

/// The kind of a zip workbook, from its content.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Package {
    Xlsx,
    Ods,
}

const MIMETYPE_ODS: &[u8] = b"application/vnd.oasis.opendocument.spreadsheet";

/// Checks the zip workbook `file` (from its start) and tells which kind it
/// is. `Err` when a bound is passed or the package cannot be read.
pub fn check<R: Read + Seek>(file: &mut R) -> Result<Package, ReadError> {
    check_directory(file)?;
    file.seek(SeekFrom::Start(0)).map_err(|e| damaged(&e))?;
    let zip = zip::ZipArchive::new(BufReader::new(&mut *file)).map_err(|e| damaged(&e))?;
    if zip.len() > MAX_PARTS {
        return Err(too_large(
            format!(
                "bảng tính có {} phần (tệp bên trong), giới hạn là {}",
                count_text(zip.len() as u64),
                count_text(MAX_PARTS as u64)
            ),
            None,
        ));
    }
    let names: Vec<String> = (0..zip.len())
        .map(|i| {
            zip.name_for_index(i)
                .and_then(Result::ok)
                .map(std::borrow::Cow::into_owned)
                .unwrap_or_default()
        })
        .collect();
    let parts = names.len();
    let mut index: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, name) in names.iter().enumerate() {
        index.entry(name.clone()).or_default().push(i);
        let key = name.replace('\\', "/").to_ascii_lowercase();
        if key != *name {
            index.entry(key).or_default().push(i);
        }
    }
    let mut scan = PackageScan {
        zip,
        names,
        index,
        total: 0,
        done: vec![None; parts],
        sizes: vec![0; parts],
    };
    let kind = if is_ods(&mut scan) {
        Package::Ods
    } else {
        Package::Xlsx
    };
    let (roles, sheets) = match kind {
        Package::Xlsx => xlsx_roles(&mut scan)?,
        Package::Ods => (ods_roles(&scan), SheetRefs::default()),
    };
    for (i, role) in roles.into_iter().enumerate() {
        if scan.done[i] != Some(role) {
            scan.part(i, role)?;
        }
    }
    // calamine inflates a sheet's part each time a sheet is read: many
    // sheets naming one large part would inflate it over and over.
    if sheets.bytes(&scan.sizes) > MAX_PACKAGE_BYTES {
        return Err(too_large(
            format!(
                "các trang tính của bảng tính giải nén ra hơn {} khi đọc (nhiều trang tính dùng lại một phần); giới hạn là {}",
                size_text(MAX_PACKAGE_BYTES),
                size_text(MAX_PACKAGE_BYTES)
            ),
            None,
        ));
    }
    Ok(kind)
}

/// What calamine reads a part as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
struct Roles {
    small: bool,
    shared_strings: bool,
    styles: bool,
    sheet: bool,
    ods_content: bool,
}

impl Roles {
    fn is_read(self) -> bool {
        self != Roles::default()
    }

    /// The most bytes the part may inflate to.
    fn limit(self) -> u64 {
        let mut limit = MAX_PART_BYTES;
        if self.small {
            limit = limit.min(MAX_SMALL_PART_BYTES);
        }
        if self.styles {
            limit = limit.min(MAX_STYLES_BYTES);
        }
        limit
    }
}

struct PackageScan<R: Read + Seek> {
    zip: zip::ZipArchive<R>,
    names: Vec<String>,
    /// Each name, and each name in lower case with `\` as `/`, → its parts.
    index: HashMap<String, Vec<usize>>,
    /// Bytes inflated so far.
    total: u64,
    /// The roles each part was checked with.
    done: Vec<Option<Roles>>,
    /// The inflated size of each part checked.
    sizes: Vec<u64>,
}

impl<R: Read + Seek> PackageScan<R> {
    /// The parts calamine finds for `path`: its own name, or a name equal
    /// to it in ASCII case with `\` read as `/` (calamine's lookup).
    fn find(&self, path: &str) -> Vec<usize> {
        let exact = self.index.get(path).into_iter().flatten();
        let folded = self
            .index
            .get(&path.to_ascii_lowercase())
            .into_iter()
            .flatten();
        let mut found: Vec<usize> = exact
            .chain(folded)
            .copied()
            .filter(|&i| {
                self.names
                    .get(i)
                    .is_some_and(|n| n == path || n.replace('\\', "/").eq_ignore_ascii_case(path))
            })
            .collect();
        found.sort_unstable();
        found.dedup();
        found
    }

    /// Inflates part `i`, counting its bytes and checking its XML with the
    /// watches of `roles`; `rels` collects the relationships it holds.
    fn part_with(&mut self, i: usize, roles: Roles, collect: Collect) -> Result<(), ReadError> {
        let name = self.names.get(i).cloned().unwrap_or_default();
        let limit = roles.limit();
        let mut entry = match self.zip.by_index(i) {
            Ok(e) => e,
            // A part calamine never reads may be anything (even encrypted).
            Err(_) if !roles.is_read() => return Ok(()),
            Err(e) => return Err(damaged_part(&name, &e)),
        };
        let mut watch = Watches::new(roles, collect);
        let mut scanner = Scanner::new();
        let mut buf = vec![0_u8; 64 * 1024];
        let mut part: u64 = 0;
        loop {
            let n = match entry.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(_) if !roles.is_read() => return Ok(()),
                Err(e) => return Err(damaged_part(&name, &e)),
            };
            part += n as u64;
            self.total += n as u64;
            if part > limit {
                return Err(too_large(
                    format!(
                        "phần '{}' của bảng tính giải nén ra hơn {}; giới hạn là {} một phần",
                        shown(&name),
                        size_text(limit),
                        size_text(limit)
                    ),
                    None,
                ));
            }
            if self.total > MAX_PACKAGE_BYTES {
                return Err(too_large(
                    format!(
                        "các phần của bảng tính giải nén ra hơn {} (tới phần '{}'); giới hạn là {}",
                        size_text(MAX_PACKAGE_BYTES),
                        shown(&name),
                        size_text(MAX_PACKAGE_BYTES)
                    ),
                    None,
                ));
            }
            if roles.is_read() {
                scanner
                    .feed(&buf[..n], &mut watch)
                    .map_err(|b| breach(&name, b))?;
            }
        }
        if roles.is_read() {
            scanner.finish(&mut watch).map_err(|b| breach(&name, b))?;
            watch.finish().map_err(|b| breach(&name, b))?;
        }
        if let Some(done) = self.done.get_mut(i) {
            *done = Some(roles);
        }
        if let Some(size) = self.sizes.get_mut(i) {
            *size = part;
        }
        Ok(())
    }

    fn part(&mut self, i: usize, roles: Roles) -> Result<(), ReadError> {
        self.part_with(i, roles, Collect::default())
    }

    /// Checks part `i` as a part calamine holds whole, and gives the
    /// relationships it lists.
    fn relationships(&mut self, i: usize) -> Result<Vec<Relationship>, ReadError> {
        let mut rels = Vec::new();
        let small = Roles {
            small: true,
            ..Roles::default()
        };
        let collect = Collect {
            rels: Some(&mut rels),
            sheets: None,
        };
        self.part_with(i, small, collect)?;
        Ok(rels)
    }
}

/// An .ods has a `mimetype` part naming it (calamine checks the same).
fn is_ods<R: Read + Seek>(scan: &mut PackageScan<R>) -> bool {
    let Ok(mut entry) = scan.zip.by_name("mimetype") else {
        return false;
    };
    let mut head = Vec::new();
    let _ = entry
        .by_ref()
        .take(MIMETYPE_ODS.len() as u64)
        .read_to_end(&mut head);
    head == MIMETYPE_ODS
}

/// The parts of an .ods calamine reads: `content.xml` (the sheets),
/// `META-INF/manifest.xml` and `meta.xml`, by their exact names.
fn ods_roles<R: Read + Seek>(scan: &PackageScan<R>) -> Vec<Roles> {
    scan.names
        .iter()
        .map(|n| match n.as_str() {
            "content.xml" => Roles {
                ods_content: true,
                ..Roles::default()
            },
            "META-INF/manifest.xml" | "meta.xml" => Roles {
                small: true,
                ..Roles::default()
            },
            _ => Roles::default(),
        })
        .collect()
}

/// One `<Relationship>` of a relationships part: its id, type and target,
/// raw.
#[derive(Clone, Debug)]
struct Relationship {
    id: Vec<u8>,
    kind: Vec<u8>,
    target: Vec<u8>,
}

/// What a scan gathers from a part besides checking it: relationships,
/// and the relationship ids of a workbook's `<sheet>` elements.
#[derive(Default)]
struct Collect<'a> {
    rels: Option<&'a mut Vec<Relationship>>,
    sheets: Option<&'a mut Vec<Vec<Vec<u8>>>>,
}

/// The parts of an .xlsx calamine reads, found as calamine finds them:
/// `_rels/.rels` names the workbook (by default `xl/workbook.xml`); beside
/// it are `sharedStrings.xml`, `styles.xml`, `theme/theme1.xml` and the
/// workbook's relationships, whose targets are the sheets. Every candidate
/// is taken, so the roles found are a superset of calamine's.
/// Also gives the parts calamine may read for each `<sheet>`.
fn xlsx_roles<R: Read + Seek>(
    scan: &mut PackageScan<R>,
) -> Result<(Vec<Roles>, SheetRefs), ReadError> {
    let mut roles = vec![Roles::default(); scan.names.len()];
    let small = Roles {
        small: true,
        ..Roles::default()
    };
    let mut documents: Vec<String> = Vec::new();
    let mut refs = SheetRefs::default();
    for i in scan.find("_rels/.rels") {
        roles[i].small = true;
        for r in scan.relationships(i)? {
            if r.kind.ends_with(b"/relationships/officeDocument")
                && let Some(target) = unescape(&r.target)
            {
                documents.push(target);
            }
        }
    }
    if documents.is_empty() {
        documents.push("xl/workbook.xml".to_owned());
    }
    documents.sort();
    documents.dedup();
    for document in documents {
        let (dir, name) = match document.rfind('/') {
            Some(i) => document.split_at(i + 1),
            None => ("", document.as_str()),
        };
        let dir = dir.strip_prefix('/').unwrap_or(dir);
        let name = if name.is_empty() {
            "workbook.xml"
        } else {
            name
        };
        for i in scan.find(&format!("{dir}sharedStrings.xml")) {
            roles[i].shared_strings = true;
        }
        for i in scan.find(&format!("{dir}styles.xml")) {
            roles[i].styles = true;
        }
        for i in scan.find(&format!("{dir}theme/theme1.xml")) {
            roles[i].small = true;
        }
        for i in scan.find(&format!("{dir}{name}")) {
            let collect = Collect {
                rels: None,
                sheets: Some(&mut refs.sheets),
            };
            scan.part_with(i, small, collect)?;
            roles[i].small = true;
        }
        for i in scan.find(&format!("{dir}_rels/{name}.rels")) {
            roles[i].small = true;
            for r in scan.relationships(i)? {
                let target = String::from_utf8_lossy(&r.target);
                let path = match target.strip_prefix('/') {
                    Some(absolute) => absolute.to_owned(),
                    None => format!("{dir}{target}"),
                };
                if !refs.paths.contains_key(&path) {
                    let parts = scan.find(&path);
                    for &j in &parts {
                        roles[j].sheet = true;
                    }
                    refs.paths.insert(path.clone(), parts);
                }
                refs.ids.entry(r.id).or_default().push(path);
            }
        }
    }
    Ok((roles, refs))
}

/// What the `<sheet>` elements of a workbook lead calamine to read: the
/// relationship ids of each sheet, the paths of each id, the parts of each
/// path. Kept apart so that counting stays linear however many sheets
/// share an id or a part.
#[derive(Default)]
struct SheetRefs {
    sheets: Vec<Vec<Vec<u8>>>,
    ids: HashMap<Vec<u8>, Vec<String>>,
    paths: HashMap<String, Vec<usize>>,
}

impl SheetRefs {
    /// The bytes calamine inflates reading every sheet once: for each
    /// sheet, its largest candidate part.
    fn bytes(&self, sizes: &[u64]) -> u64 {
        let by_path: HashMap<&str, u64> = self
            .paths
            .iter()
            .map(|(path, parts)| {
                let largest = parts.iter().filter_map(|&i| sizes.get(i)).max();
                (path.as_str(), largest.copied().unwrap_or(0))
            })
            .collect();
        let by_id: HashMap<&[u8], u64> = self
            .ids
            .iter()
            .map(|(id, paths)| {
                let largest = paths.iter().filter_map(|p| by_path.get(p.as_str())).max();
                (id.as_slice(), largest.copied().unwrap_or(0))
            })
            .collect();
        self.sheets.iter().fold(0_u64, |sum, ids| {
            let largest = ids.iter().filter_map(|id| by_id.get(id.as_slice())).max();
            sum.saturating_add(largest.copied().unwrap_or(0))
        })
    }
}

/// The watches of a part's roles, all fed the same scan.
struct Watches<'a> {
    small: Option<Small<'a>>,
    sheet: Option<Cells>,
    shared: Option<SharedStrings>,
    styles: Option<Styles>,
    ods: Option<OdsContent>,
}

impl<'a> Watches<'a> {
    fn new(roles: Roles, collect: Collect<'a>) -> Watches<'a> {
        Watches {
            small: roles.small.then_some(Small {
                elements: 0,
                collect,
            }),
            sheet: roles.sheet.then(|| Cells::new(b"c")),
            shared: roles.shared_strings.then(|| SharedStrings {
                count: 0,
                item: Cells::new(b"si"),
            }),
            styles: roles.styles.then(Styles::default),
            ods: roles.ods_content.then(OdsContent::default),
        }
    }

    /// Feeds one event to every present watch, always in the same order,
    /// so that the first breach found is the same on every run.
    fn each(
        &mut self,
        mut event: impl FnMut(&mut dyn Watch) -> Result<(), Breach>,
    ) -> Result<(), Breach> {
        let watches: [Option<&mut dyn Watch>; 5] = [
            self.small.as_mut().map(|w| w as &mut dyn Watch),
            self.sheet.as_mut().map(|w| w as &mut dyn Watch),
            self.shared.as_mut().map(|w| w as &mut dyn Watch),
            self.styles.as_mut().map(|w| w as &mut dyn Watch),
            self.ods.as_mut().map(|w| w as &mut dyn Watch),
        ];
        watches.into_iter().flatten().try_for_each(&mut event)
    }

    fn finish(&mut self) -> Result<(), Breach> {
        if let Some(s) = &self.styles {
            s.check()?;
        }
        Ok(())
    }
}

impl Watch for Watches<'_> {
    fn start(&mut self, name: &[u8], attributes: &[u8]) -> Result<(), Breach> {
        self.each(|w| w.start(name, attributes))
    }

    fn end(&mut self, name: &[u8]) -> Result<(), Breach> {
        self.each(|w| w.end(name))
    }

    fn text(&mut self, bytes: u64) -> Result<(), Breach> {
        self.each(|w| w.text(bytes))
    }

    fn token(&mut self, bytes: u64) -> Result<(), Breach> {
        self.each(|w| w.token(bytes))
    }
}

/// A part calamine holds whole: its elements are counted, and the
/// relationships it lists are collected when asked.
struct Small<'a> {
    elements: u64,
    collect: Collect<'a>,
}

impl Watch for Small<'_> {
    fn start(&mut self, name: &[u8], attributes: &[u8]) -> Result<(), Breach> {
        self.elements += 1;
        if self.elements > MAX_SMALL_PART_ELEMENTS {
            return Err(Breach::Count("thẻ XML", MAX_SMALL_PART_ELEMENTS));
        }
        if let Some(rels) = &mut self.collect.rels
            && local(name) == b"Relationship"
        {
            rels.push(Relationship {
                id: attribute(attributes, b"Id").unwrap_or_default().to_vec(),
                kind: attribute(attributes, b"Type").unwrap_or_default().to_vec(),
                target: attribute(attributes, b"Target")
                    .unwrap_or_default()
                    .to_vec(),
            });
        }
        if let Some(sheets) = &mut self.collect.sheets
            && local(name) == b"sheet"
        {
            // calamine takes the attribute named `id` in any namespace.
            sheets.push(
                xml::Attributes(attributes)
                    .map_while(Result::ok)
                    .filter(|(k, _)| *k == b"id" || k.ends_with(b":id"))
                    .map(|(_, v)| v.to_vec())
                    .collect(),
            );
        }
        Ok(())
    }

    fn end(&mut self, _name: &[u8]) -> Result<(), Breach> {
        Ok(())
    }

    fn text(&mut self, _bytes: u64) -> Result<(), Breach> {
        Ok(())
    }
}

/// The text inside each element named `item` (a sheet's `<c>`, a shared
/// string's `<si>`): what calamine gathers into one value.
struct Cells {
    item: &'static [u8],
    /// Bytes of text in the open item.
    open: Option<u64>,
}

impl Cells {
    fn new(item: &'static [u8]) -> Cells {
        Cells { item, open: None }
    }
}

impl Watch for Cells {
    fn start(&mut self, name: &[u8], _attributes: &[u8]) -> Result<(), Breach> {
        if local(name) == self.item {
            self.open = Some(0);
        }
        Ok(())
    }

    fn end(&mut self, name: &[u8]) -> Result<(), Breach> {
        if local(name) == self.item {
            self.open = None;
        }
        Ok(())
    }

    fn text(&mut self, bytes: u64) -> Result<(), Breach> {
        if let Some(open) = &mut self.open {
            *open = open.saturating_add(bytes);
            if *open > MAX_CELL_BYTES {
                return Err(Breach::Cell(MAX_CELL_BYTES));
            }
        }
        Ok(())
    }
}

/// The shared strings: each one bounded like a cell, and their number
/// (calamine keeps them all, and reserves room for as many as the part
/// declares in `uniqueCount`).
struct SharedStrings {
    count: u64,
    item: Cells,
}

impl Watch for SharedStrings {
    fn start(&mut self, name: &[u8], attributes: &[u8]) -> Result<(), Breach> {
        match local(name) {
            b"sst" => {
                if let Some(declared) = attribute(attributes, b"uniqueCount")
                    && leading_number(declared) > MAX_SHARED_STRINGS
                {
                    return Err(Breach::Count(
                        "chuỗi văn bản dùng chung",
                        MAX_SHARED_STRINGS,
                    ));
                }
            }
            b"si" => {
                self.count += 1;
                if self.count > MAX_SHARED_STRINGS {
                    return Err(Breach::Count(
                        "chuỗi văn bản dùng chung",
                        MAX_SHARED_STRINGS,
                    ));
                }
            }
            _ => {}
        }
        self.item.start(name, attributes)
    }

    fn end(&mut self, name: &[u8]) -> Result<(), Breach> {
        self.item.end(name)
    }

    fn text(&mut self, bytes: u64) -> Result<(), Breach> {
        self.item.text(bytes)
    }
}

/// The number a text starts with (after a sign), saturating: what a
/// lenient number reader could make of it.
fn leading_number(text: &[u8]) -> u64 {
    let digits = text
        .strip_prefix(b"+")
        .or_else(|| text.strip_prefix(b"-"))
        .unwrap_or(text);
    digits
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .fold(0_u64, |n, &d| {
            n.saturating_mul(10).saturating_add(u64::from(d - b'0'))
        })
}

/// The styles: calamine builds one style per cell format (`<xf>`), each
/// with a copy of its font (and the font's name) and of its number format's
/// code, besides the lists of fonts, fills, borders and number formats.
#[derive(Default)]
struct Styles {
    formats: u64,
    fonts: u64,
    fills: u64,
    borders: u64,
    number_formats: u64,
    /// Longest attributes of a `<name>` (a font's name) and of a `<numFmt>`.
    longest_name: u64,
    longest_code: u64,
}

impl Styles {
    /// What calamine will hold, estimated from above.
    fn memory(&self) -> u64 {
        let string = 32; // a String and its allocation's header
        let style = std::mem::size_of::<calamine::Style>() as u64;
        let font = std::mem::size_of::<calamine::Font>() as u64;
        let fill = std::mem::size_of::<calamine::Fill>() as u64;
        let borders = std::mem::size_of::<calamine::Borders>() as u64;
        let per_format = style + string + self.longest_name + string + self.longest_code;
        self.formats
            .saturating_mul(per_format)
            .saturating_add(self.fonts.saturating_mul(font + string + self.longest_name))
            .saturating_add(self.fills.saturating_mul(fill))
            .saturating_add(self.borders.saturating_mul(borders))
            .saturating_add(
                self.number_formats
                    .saturating_mul(2 * (string + self.longest_code)),
            )
    }

    fn check(&self) -> Result<(), Breach> {
        if self.memory() > MAX_STYLE_MEMORY {
            return Err(Breach::Bytes(
                "bộ nhớ cần cho các định dạng ô",
                MAX_STYLE_MEMORY,
            ));
        }
        Ok(())
    }
}

impl Watch for Styles {
    fn start(&mut self, name: &[u8], attributes: &[u8]) -> Result<(), Breach> {
        let (count, what) = match local(name) {
            b"xf" => (&mut self.formats, "định dạng ô (xf)"),
            b"font" => (&mut self.fonts, "phông chữ"),
            b"fill" => (&mut self.fills, "kiểu tô nền"),
            b"border" => (&mut self.borders, "kiểu đường viền"),
            b"numFmt" => {
                self.longest_code = self.longest_code.max(attributes.len() as u64);
                (&mut self.number_formats, "định dạng số")
            }
            b"name" => {
                self.longest_name = self.longest_name.max(attributes.len() as u64);
                return Ok(());
            }
            _ => return Ok(()),
        };
        *count += 1;
        if *count > MAX_STYLE_RECORDS {
            return Err(Breach::Count(what, MAX_STYLE_RECORDS));
        }
        self.check()
    }

    fn end(&mut self, _name: &[u8]) -> Result<(), Breach> {
        Ok(())
    }

    fn text(&mut self, _bytes: u64) -> Result<(), Breach> {
        Ok(())
    }
}

/// Where calamine's reading of `content.xml` stands (its loops, mirrored).
#[derive(Clone, Debug, Default, PartialEq)]
enum OdsState {
    /// Outside a named `table:table`.
    #[default]
    Outside,
    /// In a table, between rows.
    Table,
    /// In a row, between cells.
    Row,
    /// In a cell whose text is read (a string cell); `annotation` while in
    /// an `office:annotation`, whose bytes calamine gathers too.
    CellText { annotation: bool },
    /// In a cell calamine skips to its end tag: the tag's name, and how
    /// many elements of the same name are open inside it.
    CellSkip { name: Vec<u8>, depth: u64 },
}

/// One table as calamine lays it out.
#[derive(Debug, Default)]
struct OdsTable {
    /// Rows before the current one, repeats counted.
    rows: u64,
    /// Cells calamine stores while reading (each row up to its last filled
    /// cell, from the first column).
    read: u64,
    /// Repeated rows, first and last rows with a filled cell, and the
    /// columns they span: the dense layout.
    first: Option<u64>,
    end: u64,
    min_col: u64,
    max_col: u64,
    /// Bytes of text copied while reading and while laying out.
    text: u64,
}

impl OdsTable {
    fn area(&self) -> u64 {
        match self.first {
            Some(first) => {
                (self.end - first).saturating_mul(self.max_col.saturating_sub(self.min_col))
            }
            None => 0,
        }
    }
}

#[derive(Debug, Default)]
struct OdsRow {
    repeats: u64,
    /// Columns before the current cell, repeats counted.
    col: u64,
    first_filled: Option<u64>,
    filled_end: u64,
    /// Bytes of text of one copy of the row.
    text: u64,
}

#[derive(Debug, Default)]
struct OdsCell {
    repeats: u64,
    filled: bool,
    /// Bytes calamine copies for one copy of the cell: its text and
    /// formula (every attribute value counted, from above).
    bytes: u64,
}

/// `content.xml` of an .ods, read as calamine reads it: every named
/// table laid out as a dense grid of its filled area, with each repeated
/// row and column copied; all tables are held at once.
#[derive(Debug, Default)]
struct OdsContent {
    state: OdsState,
    table: OdsTable,
    row: OdsRow,
    cell: OdsCell,
    /// Cells of the finished tables.
    cells: u64,
    /// Bytes of text of the finished tables.
    text: u64,
}

/// `table:number-rows-repeated` and the like: a whole number, as Rust's
/// `parse::<usize>` reads it (calamine's reader); 1 when it is not one
/// (calamine then stops with an error).
fn repeats(value: Option<&[u8]>, decode: bool) -> u64 {
    let Some(value) = value else { return 1 };
    let text = if decode {
        unescape(value)
    } else {
        std::str::from_utf8(value).ok().map(str::to_owned)
    };
    text.and_then(|t| t.parse::<u64>().ok()).unwrap_or(1)
}

impl OdsContent {
    fn check(&self) -> Result<(), Breach> {
        let cells = self
            .cells
            .saturating_add(self.table.read)
            .saturating_add(self.table.area());
        if cells > MAX_ODS_CELLS {
            return Err(Breach::Count(
                "ô khi tính cả các hàng, cột lặp lại (number-rows-repeated, number-columns-repeated)",
                MAX_ODS_CELLS,
            ));
        }
        if self.text.saturating_add(self.table.text) > MAX_ODS_TEXT_BYTES {
            return Err(Breach::Bytes(
                "chữ trong các ô, tính cả các hàng, cột lặp lại,",
                MAX_ODS_TEXT_BYTES,
            ));
        }
        Ok(())
    }

    fn cell_bytes(&mut self, bytes: u64) -> Result<(), Breach> {
        self.cell.bytes = self.cell.bytes.saturating_add(bytes);
        if self.cell.bytes > MAX_CELL_BYTES {
            return Err(Breach::Cell(MAX_CELL_BYTES));
        }
        Ok(())
    }

    /// A cell tag in a row: what calamine makes of its attributes.
    fn open_cell(&mut self, name: &[u8], attributes: &[u8]) -> Result<(), Breach> {
        let mut cell = OdsCell {
            repeats: repeats(
                attribute(attributes, b"table:number-columns-repeated"),
                false,
            ),
            ..OdsCell::default()
        };
        let (mut value_set, mut is_string, mut is_error) = (false, false, false);
        let mut empty_string = false;
        for (key, value) in xml::Attributes(attributes).flatten() {
            cell.bytes = cell.bytes.saturating_add(value.len() as u64);
            match key {
                b"office:value" | b"office:boolean-value" if !value_set => value_set = true,
                b"office:string-value" | b"office:date-value" | b"office:time-value"
                    if !value_set =>
                {
                    value_set = true;
                    empty_string = key == b"office:string-value" && value.is_empty();
                }
                b"office:value-type" if !value_set => is_string = value == b"string",
                b"calcext:value-type" => is_error = value == b"error",
                b"table:formula" if !value.is_empty() => cell.filled = true,
                _ => {}
            }
        }
        if cell.bytes > MAX_CELL_BYTES {
            return Err(Breach::Cell(MAX_CELL_BYTES));
        }
        let text = (!value_set && is_string) || (is_error && empty_string);
        cell.filled |= text || value_set;
        self.cell = cell;
        self.state = if text {
            OdsState::CellText { annotation: false }
        } else {
            OdsState::CellSkip {
                name: name.to_vec(),
                depth: 0,
            }
        };
        Ok(())
    }

    fn close_cell(&mut self) -> Result<(), Breach> {
        let cell = std::mem::take(&mut self.cell);
        let row = &mut self.row;
        if cell.filled {
            row.first_filled.get_or_insert(row.col);
            row.filled_end = row.col.saturating_add(cell.repeats);
            row.text = row
                .text
                .saturating_add(cell.bytes.saturating_mul(cell.repeats));
        }
        row.col = row.col.saturating_add(cell.repeats);
        self.state = OdsState::Row;
        Ok(())
    }

    fn close_row(&mut self) -> Result<(), Breach> {
        let row = std::mem::take(&mut self.row);
        let table = &mut self.table;
        table.read = table.read.saturating_add(row.filled_end);
        table.text = table.text.saturating_add(row.text);
        if let Some(first_col) = row.first_filled {
            if table.first.is_none() {
                table.first = Some(table.rows);
                table.min_col = first_col;
            }
            table.min_col = table.min_col.min(first_col);
            table.max_col = table.max_col.max(row.filled_end);
            table.end = table.rows.saturating_add(row.repeats);
            table.text = table
                .text
                .saturating_add(row.text.saturating_mul(row.repeats));
        }
        table.rows = table.rows.saturating_add(row.repeats);
        self.state = OdsState::Table;
        self.check()
    }

    fn close_table(&mut self) -> Result<(), Breach> {
        let table = std::mem::take(&mut self.table);
        self.cells = self
            .cells
            .saturating_add(table.read)
            .saturating_add(table.area());
        self.text = self.text.saturating_add(table.text);
        self.state = OdsState::Outside;
        self.check()
    }
}

const CELL: &[u8] = b"table:table-cell";
const COVERED_CELL: &[u8] = b"table:covered-table-cell";

impl Watch for OdsContent {
    fn start(&mut self, name: &[u8], attributes: &[u8]) -> Result<(), Breach> {
        match &mut self.state {
            OdsState::Outside => {
                if name == b"table:table" && attribute(attributes, b"table:name").is_some() {
                    self.table = OdsTable::default();
                    self.state = OdsState::Table;
                }
            }
            OdsState::Table => {
                if name == b"table:table-row" {
                    self.row = OdsRow {
                        repeats: repeats(
                            attribute(attributes, b"table:number-rows-repeated"),
                            true,
                        ),
                        ..OdsRow::default()
                    };
                    self.state = OdsState::Row;
                }
            }
            OdsState::Row => {
                if name == CELL || name == COVERED_CELL {
                    self.open_cell(name, attributes)?;
                }
            }
            OdsState::CellText { annotation: true } => {}
            OdsState::CellText { annotation } => match name {
                b"office:annotation" => *annotation = true,
                b"text:p" | b"text:tab" | b"text:line-break" => self.cell_bytes(1)?,
                b"text:s" => {
                    let spaces = attribute(attributes, b"text:c")
                        .and_then(unescape)
                        .and_then(|t| t.parse::<u64>().ok())
                        .unwrap_or(1);
                    self.cell_bytes(spaces)?;
                }
                _ => {}
            },
            OdsState::CellSkip {
                name: skipped,
                depth,
            } => {
                if name == skipped.as_slice() {
                    *depth += 1;
                }
            }
        }
        Ok(())
    }

    fn end(&mut self, name: &[u8]) -> Result<(), Breach> {
        match &mut self.state {
            OdsState::Outside => {}
            OdsState::Table => {
                if name == b"table:table" {
                    self.close_table()?;
                }
            }
            OdsState::Row => {
                if name == b"table:table-row" {
                    self.close_row()?;
                }
            }
            OdsState::CellText { annotation: true } => {
                if name == b"office:annotation" {
                    self.state = OdsState::CellText { annotation: false };
                }
            }
            OdsState::CellText { annotation: false } => {
                if name == CELL || name == COVERED_CELL {
                    self.close_cell()?;
                }
            }
            OdsState::CellSkip {
                name: skipped,
                depth,
            } => {
                if name == skipped.as_slice() {
                    if *depth == 0 {
                        self.close_cell()?;
                    } else {
                        *depth -= 1;
                    }
                }
            }
        }
        Ok(())
    }

    fn text(&mut self, bytes: u64) -> Result<(), Breach> {
        if self.state == (OdsState::CellText { annotation: false }) {
            self.cell_bytes(bytes)?;
        }
        Ok(())
    }

    fn token(&mut self, bytes: u64) -> Result<(), Breach> {
        if self.state == (OdsState::CellText { annotation: true }) {
            self.cell_bytes(bytes)?;
        }
        Ok(())
    }
}

/// Counts what the central directory of the zip file may hold, from every
/// signature in the file (the zip reader tries each end-of-directory record
/// it finds, from the end): refused when the headers of the entries could
/// take more than [`MAX_DIRECTORY_BYTES`] or list more than [`MAX_PARTS`]
/// parts, so that opening the archive stays small.
fn check_directory<R: Read + Seek>(file: &mut R) -> Result<(), ReadError> {
    const HEADER: &[u8; 4] = b"PK\x01\x02";
    const ENDS: [&[u8; 4]; 3] = [b"PK\x05\x06", b"PK\x06\x06", b"PK\x06\x07"];
    // A central header's lengths end 34 bytes after its signature.
    const TAIL: usize = 34;
    file.seek(SeekFrom::Start(0)).map_err(|e| damaged(&e))?;
    let (mut headers, mut header_bytes, mut ends) = (0_u64, 0_u64, 0_u64);
    let mut buf: Vec<u8> = Vec::with_capacity(64 * 1024 + TAIL);
    let mut chunk = vec![0_u8; 64 * 1024];
    loop {
        let n = file.read(&mut chunk).map_err(|e| damaged(&e))?;
        let eof = n == 0;
        buf.extend_from_slice(&chunk[..n]);
        // Signatures starting here are complete with their lengths.
        let usable = if eof {
            buf.len()
        } else {
            buf.len().saturating_sub(TAIL)
        };
        let mut at = 0;
        while let Some(p) = buf[at..usable.max(at)].iter().position(|&b| b == b'P') {
            let p = at + p;
            at = p + 1;
            let sig = buf.get(p..p + 4);
            if sig == Some(HEADER) {
                headers += 1;
                let len = |o: usize| {
                    buf.get(p + o..p + o + 2)
                        .map_or(0, |b| u64::from(u16::from_le_bytes([b[0], b[1]])))
                };
                header_bytes += 46 + len(28) + len(30) + len(32);
            } else if sig.is_some_and(|s| ENDS.iter().any(|e| s == *e)) {
                ends += 1;
            }
        }
        if headers > MAX_PARTS as u64 {
            return Err(too_large(
                format!(
                    "bảng tính có hơn {} phần (tệp bên trong); giới hạn là {}",
                    count_text(MAX_PARTS as u64),
                    count_text(MAX_PARTS as u64)
                ),
                None,
            ));
        }
        if header_bytes > MAX_DIRECTORY_BYTES || ends > 16 {
            return Err(too_large(
                format!(
                    "danh mục các phần của bảng tính lớn hơn {}; giới hạn là {}",
                    size_text(MAX_DIRECTORY_BYTES),
                    size_text(MAX_DIRECTORY_BYTES)
                ),
                None,
            ));
        }
        if eof {
            return Ok(());
        }
        buf.drain(..usable);
    }
}

/// A name from inside the file, safe to print.
fn shown(name: &str) -> String {
    crate::load::shown(name)
}

const HINT: &str = "bảng số liệu một quý không lớn như vậy; hãy mở tệp bằng Excel hoặc LibreOffice, xóa trang tính, hình ảnh và định dạng thừa rồi lưu lại";

fn too_large(message: String, hint: Option<String>) -> ReadError {
    ReadError::TooLarge(message, hint.unwrap_or_else(|| HINT.to_owned()))
}

fn damaged(e: &dyn std::fmt::Display) -> ReadError {
    ReadError::Unreadable(format!(
        "không mở được bảng tính ({}); hãy mở tệp bằng Excel hoặc LibreOffice và lưu lại dạng .xlsx",
        crate::load::shown(&e.to_string())
    ))
}

fn damaged_part(name: &str, e: &dyn std::fmt::Display) -> ReadError {
    ReadError::Unreadable(format!(
        "bảng tính bị hỏng: không giải nén được phần '{}' ({}); hãy mở tệp bằng Excel hoặc LibreOffice và lưu lại dạng .xlsx",
        shown(name),
        crate::load::shown(&e.to_string())
    ))
}

/// A breach in part `name`, as the message an editor reads.
fn breach(name: &str, b: Breach) -> ReadError {
    let part = shown(name);
    match b {
        Breach::Token(limit) => too_large(
            format!(
                "phần '{part}' có một thẻ hoặc đoạn văn bản XML dài hơn {}; giới hạn là {}",
                size_text(limit),
                size_text(limit)
            ),
            None,
        ),
        Breach::Cell(limit) => too_large(
            format!(
                "phần '{part}' có một ô hoặc chuỗi văn bản dài hơn {}; giới hạn là {} một ô",
                size_text(limit),
                size_text(limit)
            ),
            Some("một ô của bảng số liệu chỉ ghi tên đơn vị hoặc một con số; hãy xóa ô quá dài rồi lưu lại".to_owned()),
        ),
        Breach::Depth(limit) => too_large(
            format!(
                "phần '{part}' lồng các thẻ XML sâu hơn {} mức; giới hạn là {}",
                count_text(limit),
                count_text(limit)
            ),
            None,
        ),
        Breach::Count(what, limit) => too_large(
            format!(
                "phần '{part}' có hơn {} {what}; giới hạn là {}",
                count_text(limit),
                count_text(limit)
            ),
            None,
        ),
        Breach::Bytes(what, limit) => too_large(
            format!(
                "phần '{part}': {what} vượt giới hạn {}",
                size_text(limit)
            ),
            None,
        ),
        Breach::Malformed(why) => ReadError::Unreadable(format!(
            "bảng tính bị hỏng: phần '{part}' {why}; hãy mở tệp bằng Excel hoặc LibreOffice và lưu lại dạng .xlsx"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(watch: &mut impl Watch, xml: &str) -> Result<(), Breach> {
        let mut s = Scanner::new();
        s.feed(xml.as_bytes(), watch)?;
        s.finish(watch)
    }

    fn ods(rows: &str) -> (Result<(), Breach>, OdsContent) {
        let mut w = OdsContent::default();
        let xml = format!(
            "<office:document-content><office:body><office:spreadsheet>\
             <table:table table:name=\"A\">{rows}</table:table>\
             </office:spreadsheet></office:body></office:document-content>"
        );
        let r = scan(&mut w, &xml);
        (r, w)
    }

    #[test]
    fn ods_layout_is_counted_as_calamine_lays_it_out() {
        // Two filled cells (B1, C1) and a string in B3, with an empty row
        // between, and LibreOffice's trailing empty rows and columns.
        let (r, w) = ods(
            "<table:table-row><table:table-cell/><table:table-cell office:value-type=\"float\" office:value=\"1\" table:number-columns-repeated=\"2\"/><table:table-cell table:number-columns-repeated=\"1021\"/></table:table-row>\
             <table:table-row><table:table-cell table:number-columns-repeated=\"1024\"/></table:table-row>\
             <table:table-row><table:table-cell/><table:table-cell office:value-type=\"string\"><text:p>ab<text:s text:c=\"3\"/></text:p></table:table-cell></table:table-row>\
             <table:table-row table:number-rows-repeated=\"1048573\"><table:table-cell table:number-columns-repeated=\"1024\"/></table:table-row>",
        );
        assert_eq!(r, Ok(()));
        // Read: row 1 up to C (3 cells), row 3 up to B (2): 5. Dense: rows
        // 1..3 by columns B..C: 3 × 2 = 6.
        assert_eq!(w.cells, 5 + 6);
        assert_eq!(w.state, OdsState::Outside);
    }

    #[test]
    fn repeated_rows_and_columns_are_refused_before_calamine_expands_them() {
        // One filled cell repeated on a million rows.
        let (r, _) = ods(
            "<table:table-row table:number-rows-repeated=\"1000000\"><table:table-cell office:value-type=\"float\" office:value=\"1\"/></table:table-row>",
        );
        assert!(matches!(r, Err(Breach::Count(_, MAX_ODS_CELLS))), "{r:?}");
        // A1 and a cell 16.000 columns to the right on 100 rows apart.
        let (r, _) = ods(
            "<table:table-row><table:table-cell office:value=\"1\"/></table:table-row>\
             <table:table-row table:number-rows-repeated=\"100\"><table:table-cell table:number-columns-repeated=\"16000\"/><table:table-cell office:value=\"1\"/></table:table-row>",
        );
        assert!(matches!(r, Err(Breach::Count(_, MAX_ODS_CELLS))), "{r:?}");
        // A text:s of a billion spaces.
        let (r, _) = ods(
            "<table:table-row><table:table-cell office:value-type=\"string\"><text:p><text:s text:c=\"1000000000\"/></text:p></table:table-cell></table:table-row>",
        );
        assert_eq!(r, Err(Breach::Cell(MAX_CELL_BYTES)));
        // A 100 KB string repeated on 200 columns.
        let long = "x".repeat(100_000);
        let (r, _) = ods(&format!(
            "<table:table-row><table:table-cell office:value-type=\"string\" office:string-value=\"{long}\" table:number-columns-repeated=\"200\"/></table:table-row>"
        ));
        assert!(
            matches!(r, Err(Breach::Bytes(_, MAX_ODS_TEXT_BYTES))),
            "{r:?}"
        );
    }

    #[test]
    fn shared_strings_and_cells_are_bounded() {
        let mut w = SharedStrings {
            count: 0,
            item: Cells::new(b"si"),
        };
        assert_eq!(
            scan(&mut w, "<sst uniqueCount=\"1000000000\"></sst>"),
            Err(Breach::Count(
                "chuỗi văn bản dùng chung",
                MAX_SHARED_STRINGS
            ))
        );
        let mut w = Cells::new(b"c");
        let rich = "<r><t>aaaa</t></r>".repeat(70_000);
        assert_eq!(
            scan(
                &mut w,
                &format!("<row><c t=\"inlineStr\"><is>{rich}</is></c></row>")
            ),
            Err(Breach::Cell(MAX_CELL_BYTES))
        );
        let mut w = Cells::new(b"c");
        assert_eq!(
            scan(&mut w, "<row><c><v>1</v></c><c><v>2</v></c></row>"),
            Ok(())
        );
    }

    #[test]
    fn styles_are_estimated_from_above() {
        let mut w = Styles::default();
        let name = "N".repeat(1000);
        let xml = format!(
            "<styleSheet><fonts><font><name val=\"{name}\"/></font></fonts><cellXfs>{}</cellXfs></styleSheet>",
            "<xf fontId=\"0\"/>".repeat(20_000)
        );
        assert_eq!(
            scan(&mut w, &xml).and_then(|()| w.check()),
            Err(Breach::Bytes(
                "bộ nhớ cần cho các định dạng ô",
                MAX_STYLE_MEMORY
            ))
        );
        let mut w = Styles::default();
        let xml = format!(
            "<styleSheet><fonts><font><name val=\"Calibri\"/></font></fonts><cellXfs>{}</cellXfs></styleSheet>",
            "<xf fontId=\"0\"/>".repeat(2_000)
        );
        assert_eq!(scan(&mut w, &xml).and_then(|()| w.check()), Ok(()));
    }

    #[test]
    fn leading_numbers() {
        assert_eq!(leading_number(b"123"), 123);
        assert_eq!(leading_number(b"+7x"), 7);
        assert_eq!(leading_number(b"99999999999999999999999"), u64::MAX);
        assert_eq!(leading_number(b"abc"), 0);
    }
}
