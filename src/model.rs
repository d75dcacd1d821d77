//! The typed content model: what `load` produces and everything later reads.
//!
//! Every value a user wrote keeps its source location ([`Sp`]), so any later
//! stage can point at its line. The model holds what the files say, already
//! shape-checked; cross-file rules (unknown units, periods, duplicates) are
//! the job of `check`.

use std::ops::Deref;
use std::path::PathBuf;

use chrono::{DateTime, FixedOffset, NaiveDate};

use crate::vi::DocSymbol;

/// Index of a file in [`Files`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct FileId(pub u32);

/// The site's source files, as paths relative to the site folder with `/`
/// separators (`content/units.yaml`), in a fixed (sorted) order.
#[derive(Clone, Debug, Default)]
pub struct Files {
    paths: Vec<String>,
}

impl Files {
    pub fn new(paths: Vec<String>) -> Self {
        Files { paths }
    }

    pub fn add(&mut self, path: String) -> FileId {
        self.paths.push(path);
        FileId((self.paths.len() - 1) as u32)
    }

    /// The path of `id`; ids only come from this table, so a miss is a bug
    /// and shows as `?` instead of stopping the program.
    pub fn path(&self, id: FileId) -> &str {
        self.paths.get(id.0 as usize).map_or("?", String::as_str)
    }
}

/// Where a value was written: file, 1-based line and column (in characters).
/// Line 0 means "the whole file".
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Loc {
    pub file: FileId,
    pub line: u32,
    pub col: u32,
}

impl Loc {
    pub fn new(file: FileId, line: u32, col: u32) -> Self {
        Loc { file, line, col }
    }

    /// The whole file.
    pub fn file(file: FileId) -> Self {
        Loc {
            file,
            line: 0,
            col: 0,
        }
    }
}

/// A value with the place it was written.
#[derive(Clone, Debug, PartialEq)]
pub struct Sp<T> {
    pub value: T,
    pub loc: Loc,
}

impl<T> Sp<T> {
    pub fn new(value: T, loc: Loc) -> Self {
        Sp { value, loc }
    }

    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Sp<U> {
        Sp {
            value: f(self.value),
            loc: self.loc,
        }
    }
}

impl<T> Deref for Sp<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

/// The kinds of content, for saying which ones did not load whole.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Section {
    Config,
    Units,
    Plans,
    Reports,
    Editorials,
    Articles,
    Templates,
}

/// Everything a site folder holds, loaded.
#[derive(Debug, Default)]
pub struct Site {
    /// The site folder (the one holding `content/`).
    pub root: PathBuf,
    pub files: Files,
    pub config: Option<SiteConfig>,
    /// In `units.yaml` order, which is the official order of statistics tables.
    pub units: Vec<Unit>,
    /// Sorted by year, then symbol.
    pub plans: Vec<Plan>,
    /// Sorted by year, then quarter.
    pub reports: Vec<QuarterReport>,
    /// Sorted by year, then quarter.
    pub editorials: Vec<Editorial>,
    /// Sorted by source path.
    pub articles: Vec<Article>,
    /// Files under `content/media/`, sorted; copied to `output/media/`.
    pub media: Vec<Asset>,
    /// Files under the site's `static/`, sorted; copied to the output root.
    pub statics: Vec<Asset>,
    /// Files under the site's `templates/`, sorted, with their text; they
    /// override embedded ones.
    pub templates: Vec<Template>,
    /// Sections with a file that did not load whole. References into them
    /// are not checked: one broken file must not bring a flood of
    /// follow-on errors.
    pub incomplete: std::collections::BTreeSet<Section>,
    /// Files and folders found but refused (a name that cannot be
    /// published, a link out of the site, a folder that cannot be read),
    /// relative to the site folder in NFC: `content/media/a?b.png`. Already
    /// reported; a reference to one of them is not reported again.
    pub refused: std::collections::BTreeSet<String>,
}

/// `site.yaml`.
#[derive(Clone, Debug)]
pub struct SiteConfig {
    pub title: Sp<String>,
    /// Who "toàn ..." refers to: `Đảng bộ tỉnh`.
    pub organization: Sp<String>,
    /// Absolute, ends with `/`; used only for feeds, sitemap and canonical links.
    pub base_url: Sp<String>,
    pub description: Option<Sp<String>>,
    pub language: Sp<String>,
    /// A notice about the figures (e.g. "số liệu minh họa"), shown on the home page.
    pub data_notice: Option<Sp<String>>,
    /// Articles per page of `/tin-tuc/`.
    pub articles_per_page: Sp<u64>,
    /// Terms of office, in the order written (`check` refuses overlaps).
    pub terms: Vec<Term>,
    /// The site's logo, a file under `content/media/`: in the header and
    /// as the browser's icon.
    pub logo: Option<Sp<String>>,
    /// What the quarter's report document needs that only the site knows
    /// (SPEC §4 "The report document"); no document without it.
    pub report: Option<ReportConfig>,
}

/// `report:` of site.yaml: the issuing body, place and signature of the
/// quarter's report (báo cáo) in the Party's document format.
#[derive(Clone, Debug)]
pub struct ReportConfig {
    /// The superior body, first line top left: `TỈNH ỦY VÂN LĨNH`.
    pub superior: Option<Sp<String>>,
    /// The issuing body, in bold below it: `BAN TỔ CHỨC`.
    pub issuer: Sp<String>,
    /// What follows the number: `BC/BTCTU` in `Số    -BC/BTCTU`.
    pub symbol_suffix: Sp<String>,
    /// The place of the date line: `Vân Lĩnh`.
    pub place: Sp<String>,
    /// The signer's name.
    pub signer: Sp<String>,
    /// The lines above the name, as written: `T/M BAN THƯỜNG VỤ`,
    /// `PHÓ BÍ THƯ`, or `TRƯỞNG BAN`.
    pub signer_title: Vec<Sp<String>>,
    /// `Nơi nhận`, in order; `Lưu VT` closes the list when not written.
    pub recipients: Vec<Sp<String>>,
}

/// A term of office (nhiệm kỳ): from one congress to the next, with the
/// targets its congress set (SPEC §2.4a).
#[derive(Clone, Debug)]
pub struct Term {
    /// `2020–2025`.
    pub name: Sp<String>,
    /// Its page's slug: `2020-2025`.
    pub slug: String,
    /// The day of the congress.
    pub from: Sp<NaiveDate>,
    /// Its last day; when not written, the day before the next term
    /// begins (`load` fills it in), or none while no next term is known.
    pub until: Option<Sp<NaiveDate>>,
    /// The congress resolution (nghị quyết đại hội).
    pub resolution: Option<Sp<DocSymbol>>,
    /// Admissions over the whole term.
    pub target_admissions: Option<Sp<u64>>,
    /// Admissions in a year, on average.
    pub target_per_year: Option<Sp<u64>>,
    /// The yearly admission rate on average, % of the members at 31/12 of
    /// the year before.
    pub target_rate: Option<Sp<f64>>,
    /// The list item in `site.yaml`.
    pub loc: Loc,
}

/// An identifier of a unit: `[a-z0-9-]+`, unique, never reused.
pub type UnitId = String;

/// A party organisation: directly under the organisation (đơn vị trực
/// thuộc), or a sub-unit of another unit (`parent`).
#[derive(Clone, Debug)]
pub struct Unit {
    pub id: Sp<UnitId>,
    /// Full name as printed: `Đảng bộ huyện Ngân Sơn`.
    pub name: Sp<String>,
    /// For tables and charts: `Ngân Sơn`; the name when omitted.
    pub short_name: Option<Sp<String>>,
    pub kind: Option<Sp<String>>,
    pub parent: Option<Sp<UnitId>>,
    pub active_from: Option<Sp<NaiveDate>>,
    /// Last active day: dissolved after it.
    pub active_until: Option<Sp<NaiveDate>>,
    /// Where its members went.
    pub successors: Vec<Successor>,
    /// The days it is active within: its own dates narrowed to its
    /// parent's, since a sub-unit is active only while its parent is
    /// (`load` sets it; a date it does not give is its parent's).
    pub within: Within,
    /// The list item in `units.yaml`.
    pub loc: Loc,
}

/// A unit that received members of a dissolved unit (SPEC §2.2).
#[derive(Debug, Clone)]
pub struct Successor {
    pub unit: Sp<UnitId>,
    /// How many members it received, when written.
    pub members: Option<Sp<u64>>,
}

/// First and last active day, when bounded.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Within {
    pub from: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
}

impl Site {
    /// The terms of office of site.yaml, in the order written (none when
    /// site.yaml did not load).
    pub fn terms(&self) -> &[Term] {
        self.config.as_ref().map_or(&[], |c| c.terms.as_slice())
    }
}

impl Unit {
    pub fn short(&self) -> &str {
        self.short_name
            .as_ref()
            .map_or(&self.name.value, |s| &s.value)
    }

    /// Active on day `d`.
    pub fn active_on(&self, d: NaiveDate) -> bool {
        self.within.from.is_none_or(|f| f <= d) && self.within.until.is_none_or(|u| d <= u)
    }

    /// Active on at least one day of `from..=to`.
    pub fn active_during(&self, from: NaiveDate, to: NaiveDate) -> bool {
        self.within.from.is_none_or(|f| f <= to) && self.within.until.is_none_or(|u| from <= u)
    }

    /// Its last active day, its own or its parent's.
    pub fn dissolved(&self) -> Option<NaiveDate> {
        self.within.until
    }

    /// Its first active day, its own or its parent's.
    pub fn began(&self) -> Option<NaiveDate> {
        self.within.from
    }
}

/// A plan (kế hoạch) with targets and quotas for one year.
#[derive(Clone, Debug)]
pub struct Plan {
    pub symbol: Sp<DocSymbol>,
    /// `Kế hoạch`; from the symbol's type abbreviation when not written.
    pub kind_name: Sp<String>,
    /// `về kết nạp đảng viên năm 2023`.
    pub title: Sp<String>,
    pub issuer: Sp<String>,
    pub issued: Sp<NaiveDate>,
    /// The year the targets apply to.
    pub year: Sp<i32>,
    /// Căn cứ: documents this plan implements.
    pub bases: Vec<Basis>,
    /// Target admission rate, % of members at 31/12 of the previous year.
    pub target: Option<Sp<RateRange>>,
    /// The organisation's own target count (`phấn đấu kết nạp 2.200 đảng
    /// viên`): its share of quota is measured against it when written.
    pub target_admissions: Option<Sp<u64>>,
    /// Nhiệm vụ, giải pháp (Markdown).
    pub tasks: Vec<Sp<String>>,
    /// Chỉ tiêu giao cho từng đơn vị.
    pub quotas: Vec<Quota>,
    /// The plan of the same year this one amends (kế hoạch điều chỉnh);
    /// it inherits what it does not restate (SPEC §2.3).
    pub amends: Option<Sp<DocSymbol>>,
    /// The day an amendment takes effect (its `issued` when not written).
    pub effective: Option<Sp<NaiveDate>>,
    pub file: FileId,
}

impl Plan {
    pub fn quota(&self, unit: &str) -> Option<&Quota> {
        self.quotas.iter().find(|q| q.unit.value == unit)
    }

    /// The day it takes effect: `effective`, else the day it was issued.
    pub fn in_force_from(&self) -> NaiveDate {
        self.effective
            .as_ref()
            .map_or(self.issued.value, |e| e.value)
    }

    /// The order amendments take effect in: by day, then as issued.
    pub fn effect_order(&self) -> (NaiveDate, NaiveDate, String) {
        (
            self.in_force_from(),
            self.issued.value,
            self.symbol.to_string(),
        )
    }

    /// The plans of `plans` this one amends, nearest first, up the chain
    /// within its year. A chain that comes back to this plan yields it;
    /// at most `plans.len()` steps, so a loop elsewhere ends too.
    pub fn amended<'a>(&'a self, plans: &'a [Plan]) -> impl Iterator<Item = &'a Plan> + 'a {
        let mut at = self;
        let mut steps = 0;
        std::iter::from_fn(move || {
            if steps >= plans.len() {
                return None;
            }
            steps += 1;
            let amends = at.amends.as_ref()?;
            let next = plans
                .iter()
                .find(|p| p.year.value == at.year.value && p.symbol.value == amends.value)?;
            at = next;
            Some(next)
        })
    }

    /// The plan as first issued that this one amends (itself when it
    /// amends nothing; the last plan reached when the chain breaks or
    /// comes back to it).
    pub fn root<'a>(&'a self, plans: &'a [Plan]) -> &'a Plan {
        self.amended(plans)
            .take_while(|p| !std::ptr::eq(*p, self))
            .last()
            .unwrap_or(self)
    }
}

/// A document a plan is based on.
#[derive(Clone, Debug)]
pub struct Basis {
    pub symbol: Sp<DocSymbol>,
    pub kind_name: Option<String>,
    pub issued: Option<Sp<NaiveDate>>,
    pub issuer: Option<Sp<String>>,
    pub title: Option<Sp<String>>,
    pub loc: Loc,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RateRange {
    pub min: f64,
    pub max: f64,
}

/// The quota of one unit in a plan.
#[derive(Clone, Debug)]
pub struct Quota {
    pub unit: Sp<UnitId>,
    /// New members to admit in the plan's year.
    pub admissions: Sp<u64>,
    /// Members at 31/12 of the previous year.
    pub members_base: Option<Sp<u64>>,
    /// Classes (lớp bồi dưỡng nhận thức về Đảng) planned.
    pub classes: Option<Sp<u64>>,
    pub loc: Loc,
}

/// The figures of a results row, in the order of the YAML schema.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    /// Kết nạp đảng viên mới.
    Admitted,
    /// Trong đó: nữ.
    Women,
    /// Trong đó: người dân tộc thiểu số.
    EthnicMinority,
    /// Trong đó: người có đạo.
    Religious,
    /// Trong đó: đoàn viên thanh niên.
    YouthUnion,
    /// Trong đó: học sinh, sinh viên.
    Students,
    /// Trong đó: trong doanh nghiệp ngoài nhà nước.
    PrivateSector,
    /// Tổng số đảng viên at the end of the quarter (a stock).
    Members,
    /// Công nhận đảng viên chính thức.
    Recognized,
    /// Đưa ra khỏi Đảng.
    Removed,
    /// Lớp bồi dưỡng nhận thức về Đảng held.
    ClassesHeld,
    /// Quần chúng ưu tú who attended.
    Trainees,
}

impl Field {
    pub const ALL: [Field; 12] = [
        Field::Admitted,
        Field::Women,
        Field::EthnicMinority,
        Field::Religious,
        Field::YouthUnion,
        Field::Students,
        Field::PrivateSector,
        Field::Members,
        Field::Recognized,
        Field::Removed,
        Field::ClassesHeld,
        Field::Trainees,
    ];

    /// The "of whom" counts (trong đó), each at most `admitted`.
    pub const OF_WHOM: [Field; 6] = [
        Field::Women,
        Field::EthnicMinority,
        Field::Religious,
        Field::YouthUnion,
        Field::Students,
        Field::PrivateSector,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Field::Admitted => "admitted",
            Field::Women => "women",
            Field::EthnicMinority => "ethnic_minority",
            Field::Religious => "religious",
            Field::YouthUnion => "youth_union",
            Field::Students => "students",
            Field::PrivateSector => "private_sector",
            Field::Members => "members",
            Field::Recognized => "recognized",
            Field::Removed => "removed",
            Field::ClassesHeld => "classes_held",
            Field::Trainees => "trainees",
        }
    }

    /// Vietnamese label for messages and table headers.
    pub fn label_vi(self) -> &'static str {
        match self {
            Field::Admitted => "kết nạp",
            Field::Women => "nữ",
            Field::EthnicMinority => "người dân tộc thiểu số",
            Field::Religious => "người có đạo",
            Field::YouthUnion => "đoàn viên thanh niên",
            Field::Students => "học sinh, sinh viên",
            Field::PrivateSector => "trong doanh nghiệp ngoài nhà nước",
            Field::Members => "tổng số đảng viên",
            Field::Recognized => "công nhận chính thức",
            Field::Removed => "đưa ra khỏi Đảng",
            Field::ClassesHeld => "số lớp bồi dưỡng",
            Field::Trainees => "số học viên",
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }
}

/// One unit's figures for one quarter (figures for the quarter alone).
#[derive(Clone, Debug)]
pub struct Row {
    pub unit: Sp<UnitId>,
    /// Indexed by [`Field::index`]; `None` where the file leaves it out.
    pub values: [Option<Sp<u64>>; 12],
    pub loc: Loc,
}

impl Row {
    /// The value of a flow; a count left out reads as 0 (a blank cell of a
    /// paper report means "none").
    pub fn count(&self, field: Field) -> u64 {
        self.values[field.index()].as_ref().map_or(0, |v| v.value)
    }

    pub fn get(&self, field: Field) -> Option<&Sp<u64>> {
        self.values[field.index()].as_ref()
    }

    /// Members at the end of the quarter, when reported.
    pub fn members(&self) -> Option<u64> {
        self.get(Field::Members).map(|v| v.value)
    }
}

/// `results/<year>/q<N>.yaml`.
#[derive(Clone, Debug)]
pub struct QuarterReport {
    pub year: Sp<i32>,
    pub quarter: Sp<u8>,
    /// The plan these results are measured against (a plan of the same year).
    pub plan: Sp<DocSymbol>,
    pub reported: Option<Sp<NaiveDate>>,
    pub rows: Vec<Row>,
    pub file: FileId,
    /// Year and quarter as the path says (`results/2023/q1.yaml`).
    pub path_period: Option<(i32, u8)>,
}

/// `results/<year>/q<N>.md`: the editors' text for that quarter's bulletin.
#[derive(Clone, Debug)]
pub struct Editorial {
    pub year: i32,
    pub quarter: u8,
    /// The quarter's lead photo (front matter `image`, `image_caption`).
    pub image: Option<Sp<String>>,
    pub image_caption: Option<Sp<String>>,
    pub body: String,
    /// 1-based line where the body starts (after the front matter).
    pub body_line: u32,
    pub file: FileId,
}

/// A news article (`articles/**/*.md`).
#[derive(Clone, Debug)]
pub struct Article {
    pub file: FileId,
    pub title: Sp<String>,
    pub date: Sp<DateTime<FixedOffset>>,
    /// `date` was written without a time (`2026-09-20`): it is shown
    /// without one (midnight would be a time nobody wrote).
    pub date_only: bool,
    pub author: Option<Sp<String>>,
    pub source: Option<Sp<String>>,
    /// Sapo; the first paragraph when omitted.
    pub summary: Option<Sp<String>>,
    /// Path relative to `content/`: `media/2021/anh.jpg`.
    pub image: Option<Sp<String>>,
    pub image_caption: Option<Sp<String>>,
    pub tags: Vec<Sp<String>>,
    pub units: Vec<Sp<UnitId>>,
    pub draft: bool,
    /// From `slug:` when given, else from the title.
    pub slug: Sp<String>,
    pub body: String,
    /// Line of the `.md` file where the body starts (1-based).
    pub body_line: u32,
}

/// A template of the site's own `templates/` folder.
#[derive(Clone, Debug)]
pub struct Template {
    /// Its name, the path under `templates/` with `/` separators: `home.html`.
    pub rel: String,
    pub file: FileId,
    pub text: String,
}

/// A file copied as it is (media, static files).
#[derive(Clone, Debug)]
pub struct Asset {
    /// Path relative to its root (`content/` for media, `static/`,
    /// `templates/`), with `/` separators: `media/2023/anh.png`. For media
    /// and static files, in NFC: the path it is published at; the name on
    /// disk (NFD on some Macs) is `Site::files.path(file)`.
    pub rel: String,
    pub file: FileId,
    pub size: u64,
}
