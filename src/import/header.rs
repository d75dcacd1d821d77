//! Column headers: which figure a column holds, from its Vietnamese (or
//! English) header text, and which row of the sheet is the header row.
//!
//! Headers are compared on folded text ([`vi::fold`]: no diacritics, no
//! case, `đ` = `d`), with punctuation read as spaces, so "Kết nạp mới",
//! "KẾT NẠP" and "ket nap" are the same column. Forms seen in real reports
//! are accepted: "Trong đó: Nữ", "Số đảng viên kết nạp", "Đoàn viên
//! TNCS" ... A header is tried against exact names first, then against key
//! words in a fixed order, so a header naming two things ("Kết nạp đảng
//! viên nữ") always gives the same answer.

use crate::model::Field;
use crate::vi;

/// What a column holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Column {
    /// Đơn vị — the unit, by id or name.
    Unit,
    /// One of the figures of a results row.
    Figure(Field),
    /// Known not to be data (STT, Ghi chú): skipped without a warning.
    Skip,
}

impl Column {
    /// The header to write for this column in messages and hints.
    pub fn label(self) -> &'static str {
        match self {
            Column::Unit => "Đơn vị",
            Column::Skip => "",
            Column::Figure(f) => figure_label(f),
        }
    }
}

/// The usual Vietnamese header of each figure, for messages and hints.
pub fn figure_label(field: Field) -> &'static str {
    match field {
        Field::Admitted => "Kết nạp",
        Field::Women => "Nữ",
        Field::EthnicMinority => "Dân tộc thiểu số",
        Field::Religious => "Tôn giáo",
        Field::YouthUnion => "Đoàn viên",
        Field::Students => "Học sinh sinh viên",
        Field::PrivateSector => "Kinh tế tư nhân",
        Field::Members => "Tổng số đảng viên",
        Field::Recognized => "Công nhận chính thức",
        Field::Removed => "Đưa ra khỏi Đảng",
        Field::ClassesHeld => "Số lớp",
        Field::Trainees => "Số học viên",
    }
}

/// The header text as words: folded, punctuation as spaces.
fn words(header: &str) -> String {
    let folded = vi::fold(header);
    let spaced: String = folded
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    spaced.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whole headers (as [`words`]) and what they mean; tried before key words.
const EXACT: &[(&str, Column)] = &[
    ("unit", Column::Unit),
    ("don vi", Column::Unit),
    ("ten don vi", Column::Unit),
    ("ma don vi", Column::Unit),
    ("dang bo", Column::Unit),
    ("dang bo truc thuoc", Column::Unit),
    ("ten dang bo", Column::Unit),
    ("to chuc dang", Column::Unit),
    ("stt", Column::Skip),
    ("tt", Column::Skip),
    ("so tt", Column::Skip),
    ("so thu tu", Column::Skip),
    ("ghi chu", Column::Skip),
    ("nu", Column::Figure(Field::Women)),
    ("dtts", Column::Figure(Field::EthnicMinority)),
    ("dvtn", Column::Figure(Field::YouthUnion)),
    ("hssv", Column::Figure(Field::Students)),
    ("tong so", Column::Figure(Field::Members)),
    ("dang vien", Column::Figure(Field::Members)),
    ("so lop", Column::Figure(Field::ClassesHeld)),
];

/// Key words (between spaces, so only whole words match), in the order they
/// are tried: the first one found anywhere in the header decides. Words naming something bantin does not import
/// (quotas, rates, cumulative figures) come first, so "Chỉ tiêu kết nạp"
/// is not taken for the admissions of the quarter.
const KEY_WORDS: &[(&str, Option<Column>)] = &[
    (" chi tieu ", None),
    (" ty le ", None),
    (" luy ke ", None),
    (" ke hoach ", None),
    (" so voi ", None),
    (" cung ky ", None),
    (" don vi ", Some(Column::Unit)),
    (" ket nap ", Some(Column::Figure(Field::Admitted))),
    (" dang vien moi ", Some(Column::Figure(Field::Admitted))),
    (" chinh thuc ", Some(Column::Figure(Field::Recognized))),
    (" ra khoi dang ", Some(Column::Figure(Field::Removed))),
    (" khai tru ", Some(Column::Figure(Field::Removed))),
    (" xoa ten ", Some(Column::Figure(Field::Removed))),
    (" dan toc ", Some(Column::Figure(Field::EthnicMinority))),
    (" ton giao ", Some(Column::Figure(Field::Religious))),
    (" co dao ", Some(Column::Figure(Field::Religious))),
    (" doan vien ", Some(Column::Figure(Field::YouthUnion))),
    (" hoc sinh ", Some(Column::Figure(Field::Students))),
    (" sinh vien ", Some(Column::Figure(Field::Students))),
    (" tu nhan ", Some(Column::Figure(Field::PrivateSector))),
    (
        " ngoai nha nuoc ",
        Some(Column::Figure(Field::PrivateSector)),
    ),
    (" doanh nghiep ", Some(Column::Figure(Field::PrivateSector))),
    (" hoc vien ", Some(Column::Figure(Field::Trainees))),
    (" quan chung uu tu ", Some(Column::Figure(Field::Trainees))),
    (" lop ", Some(Column::Figure(Field::ClassesHeld))),
    (" nu ", Some(Column::Figure(Field::Women))),
    (" tong so dang vien ", Some(Column::Figure(Field::Members))),
    (" so dang vien ", Some(Column::Figure(Field::Members))),
];

/// What the column headed `header` holds; `None` when it is not recognised.
pub fn classify(header: &str) -> Option<Column> {
    let mut w = words(header);
    // The English keys of the YAML format are headers too.
    if let Some(field) = Field::ALL
        .into_iter()
        .find(|f| w == f.key().replace('_', " "))
    {
        return Some(Column::Figure(field));
    }
    // "Trong đó: Nữ" is "Nữ" under the group heading of the "of whom" counts.
    for prefix in ["trong do ", "so luong "] {
        if let Some(rest) = w.strip_prefix(prefix) {
            w = rest.to_owned();
        }
    }
    // "(người)", "(đ/c)": the unit of measure says nothing about the column.
    for suffix in [" nguoi", " d c", " dong chi", " dc"] {
        if let Some(rest) = w.strip_suffix(suffix) {
            w = rest.to_owned();
        }
    }
    if w.is_empty() {
        return None;
    }
    if let Some((_, column)) = EXACT.iter().find(|(name, _)| *name == w) {
        return Some(*column);
    }
    let padded = format!(" {w} ");
    KEY_WORDS
        .iter()
        .find(|(key, _)| padded.contains(key))
        .and_then(|(_, column)| *column)
}

/// Is this header a group heading over the "of whom" columns ("Trong đó")?
pub fn is_group_heading(header: &str) -> bool {
    matches!(words(header).as_str(), "trong do" | "chia ra" | "gom")
}

/// Is this text in the unit column the label of a totals row?
pub fn is_totals_label(text: &str) -> bool {
    let w = words(text);
    matches!(
        w.as_str(),
        "tong cong" | "cong" | "tong" | "tong so" | "toan tinh" | "toan dang bo" | "total"
    ) || w.starts_with("tong cong ")
        || w.starts_with("toan tinh ")
        || w.starts_with("cong toan ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figure(header: &str) -> Option<Field> {
        match classify(header) {
            Some(Column::Figure(f)) => Some(f),
            _ => None,
        }
    }

    #[test]
    fn accents_and_case_do_not_matter() {
        for h in [
            "Kết nạp",
            "KẾT NẠP",
            "ket nap",
            "Kết nạp mới",
            "kết nạp đảng viên mới",
            "Số đảng viên kết nạp",
            "Ke\u{302}\u{301}t na\u{323}p",
            "admitted",
            "Tổng số kết nạp",
        ] {
            assert_eq!(figure(h), Some(Field::Admitted), "{h}");
        }
        for h in [
            "Đơn vị",
            "ĐƠN VỊ",
            "don vi",
            "Tên đơn vị",
            "unit",
            "Đảng bộ",
        ] {
            assert_eq!(classify(h), Some(Column::Unit), "{h}");
        }
    }

    #[test]
    fn every_figure_has_its_vietnamese_header_and_its_key() {
        for field in Field::ALL {
            assert_eq!(figure(figure_label(field)), Some(field), "{field:?}");
            assert_eq!(figure(field.key()), Some(field), "{field:?}");
            assert_eq!(
                figure(&field.key().to_uppercase()),
                Some(field),
                "{field:?}"
            );
        }
    }

    #[test]
    fn synonyms_seen_in_reports() {
        let cases = [
            ("Trong đó: Nữ", Field::Women),
            ("Đảng viên nữ", Field::Women),
            ("Người dân tộc thiểu số", Field::EthnicMinority),
            ("DTTS", Field::EthnicMinority),
            ("Người có đạo", Field::Religious),
            ("Tôn giáo (người)", Field::Religious),
            ("Đoàn viên thanh niên", Field::YouthUnion),
            ("Học sinh, sinh viên", Field::Students),
            ("Trong doanh nghiệp ngoài nhà nước", Field::PrivateSector),
            ("Kinh tế tư nhân", Field::PrivateSector),
            ("Tổng số đảng viên cuối quý", Field::Members),
            ("Tổng số", Field::Members),
            ("Công nhận đảng viên chính thức", Field::Recognized),
            ("Đưa ra khỏi Đảng", Field::Removed),
            ("Khai trừ, xóa tên", Field::Removed),
            ("Số lớp bồi dưỡng", Field::ClassesHeld),
            ("Số học viên", Field::Trainees),
            ("Quần chúng ưu tú dự lớp", Field::Trainees),
            ("classes held", Field::ClassesHeld),
        ];
        for (h, f) in cases {
            assert_eq!(figure(h), Some(f), "{h}");
        }
    }

    #[test]
    fn other_columns_are_not_taken_for_figures() {
        for h in [
            "Chỉ tiêu kết nạp",
            "Tỷ lệ % so với chỉ tiêu",
            "Lũy kế kết nạp",
            "So với cùng kỳ",
            "Ghi chú chung x",
            "",
            "   ",
            "123",
        ] {
            assert!(
                matches!(classify(h), None | Some(Column::Skip)),
                "{h}: {:?}",
                classify(h)
            );
        }
        assert_eq!(classify("STT"), Some(Column::Skip));
        assert_eq!(classify("Ghi chú"), Some(Column::Skip));
    }

    #[test]
    fn totals_and_group_headings() {
        for t in [
            "Tổng cộng",
            "CỘNG",
            "Toàn tỉnh",
            "Tổng cộng toàn tỉnh",
            "tong",
        ] {
            assert!(is_totals_label(t), "{t}");
        }
        for t in ["Công an tỉnh", "Đảng bộ Công ty Than", "Ngân Sơn", ""] {
            assert!(!is_totals_label(t), "{t}");
        }
        assert!(is_group_heading("Trong đó:"));
        assert!(!is_group_heading("Trong đó: Nữ"));
    }
}
