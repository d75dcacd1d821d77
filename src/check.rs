//! Cross-file validation of a loaded [`Site`]: references between files,
//! periods, duplicates and history. Returns every problem; reads no file.
//!
//! Shape problems inside one file (types, keys, counts) were already
//! reported by `load`; links inside Markdown are checked when pages are
//! rendered, since only rendering knows them.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{Days, NaiveDate};

use crate::diagnostic::{Code, Diagnostic, Diagnostics, did_you_mean};
use crate::model::{Field, Loc, Section, Site, Unit};
use crate::stats::Quarter;
use crate::vi;

/// `tags` is the site's [`TagSlugs`](crate::pages::TagSlugs).
pub fn check(site: &Site, tags: &crate::pages::TagSlugs) -> Vec<Diagnostic> {
    let mut d = Diagnostics::new(&site.files);
    let units = UnitIndex::new(site);
    check_units(site, &units, &mut d);
    check_plans(site, &units, &mut d);
    check_reports(site, &units, &mut d);
    check_editorials(site, &mut d);
    check_articles(site, &units, tags, &mut d);
    check_media_refs(site, &mut d);
    check_terms(site, &mut d);
    d.into_vec()
}

/// Terms of office (SPEC §2.4a): no two overlap, since each quarter counts
/// in one term; a term that began before the first results is worth a
/// warning, since its figures leave those quarters out.
fn check_terms(site: &Site, d: &mut Diagnostics) {
    let mut terms: Vec<&crate::model::Term> = site.terms().iter().collect();
    terms.sort_by_key(|t| t.from.value);
    for pair in terms.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        let a_until = a.until.as_ref().map_or(NaiveDate::MAX, |u| u.value);
        if b.from.value <= a_until {
            d.report(
                Code::TermOverlap,
                b.from.loc,
                format!(
                    "nhiệm kỳ {} bắt đầu ngày {}, khi nhiệm kỳ {} chưa kết thúc (đến {})",
                    b.name.value,
                    vi::date_short(b.from.value),
                    a.name.value,
                    vi::date_short(a_until),
                ),
            )
            .with_hint(format!(
                "mỗi quý chỉ tính vào một nhiệm kỳ: sửa until của nhiệm kỳ {} thành ngày trước ngày {} (hoặc bỏ until để tự tính)",
                a.name.value,
                vi::date_short(b.from.value)
            ));
        }
    }
    let Some(first_reported) = site
        .reports
        .iter()
        .filter_map(|r| Quarter::new(r.year.value, r.quarter.value))
        .min()
    else {
        return;
    };
    for t in site.terms() {
        let Some((first, last)) = crate::stats::term_quarters(t) else {
            continue;
        };
        let reaches_results = last.is_none_or(|l| l >= first_reported);
        if first < first_reported && reaches_results {
            d.report(
                Code::TermUncovered,
                t.from.loc,
                format!(
                    "nhiệm kỳ {} bắt đầu từ {} nhưng kết quả có từ {}: số liệu nhiệm kỳ không tính các quý trước đó",
                    t.name.value,
                    first.label(),
                    first_reported.label()
                ),
            )
            .with_hint(format!(
                "thêm tệp kết quả các quý từ {} (results/{}/q{}.yaml...), hoặc bỏ qua nếu không còn số liệu",
                first.label(),
                first.year,
                first.q
            ));
        }
    }
}

/// Two units whose names are one without marks: a warning, since they may
/// be one unit declared twice, worded so that editors of two real units
/// (the commune of 2025 and the district of the same name before it, xã
/// Sơn Hà and xã Sơn Hạ) know they may leave it.
fn namesakes(u: &Unit, prev: &Unit, units: &UnitIndex, d: &mut Diagnostics) {
    if u.name.value != prev.name.value {
        d.report(
            Code::Suspicious,
            u.name.loc,
            format!(
                "tên '{}' bỏ dấu thì giống tên '{}' của đơn vị '{}' (dòng {})",
                u.name.value, prev.name.value, prev.id.value, prev.name.loc.line
            ),
        )
        .with_hint(
            "nếu đúng là hai đơn vị khác nhau thì bỏ qua cảnh báo này; nếu là một đơn vị thì chỉ khai báo một lần, với một mã",
        );
        return;
    }
    let diag = d.report(
        Code::Suspicious,
        u.name.loc,
        format!(
            "đơn vị '{}' và đơn vị '{}' (dòng {}) là hai đơn vị khác nhau cùng tên '{}'",
            u.id.value, prev.id.value, prev.name.loc.line, u.name.value
        ),
    );
    // Pages tell namesakes apart as `library::Names` does: by the name of
    // their parent, or by their dates.
    let parent_name = |x: &Unit| {
        x.parent
            .as_ref()
            .and_then(|p| units.get(&p.value))
            .map(|p| p.name.value.as_str())
    };
    let told_apart = parent_name(u) != parent_name(prev)
        || (u.began(), u.dissolved()) != (prev.began(), prev.dissolved());
    if told_apart {
        diag.with_hint(
            "các trang ghi kèm cấp trên hoặc thời gian hoạt động để phân biệt, như \"Đảng bộ xã Hưng Đạo (huyện Bảo Lạc, đến 30/06/2025)\"; nếu đúng là hai đơn vị thì bỏ qua cảnh báo này, nếu là một đơn vị thì chỉ khai báo một lần",
        );
    } else {
        diag.with_hint(
            "hai đơn vị cùng cấp trên, cùng thời gian hoạt động nên các trang không phân biệt được: đặt cho mỗi đơn vị một tên riêng; nếu là một đơn vị thì chỉ khai báo một lần",
        );
    }
}

/// Units by id (the first one declared wins when an id repeats).
pub struct UnitIndex<'s> {
    by_id: HashMap<&'s str, &'s Unit>,
    ids: Vec<&'s str>,
    /// Every unit, to find one written by its name.
    all: &'s [Unit],
    /// units.yaml did not load whole: an unknown id may be one of the
    /// units that failed, so it is not reported.
    incomplete: bool,
}

impl<'s> UnitIndex<'s> {
    pub fn new(site: &'s Site) -> Self {
        let mut by_id = HashMap::with_capacity(site.units.len());
        for u in &site.units {
            by_id.entry(u.id.as_str()).or_insert(u);
        }
        UnitIndex {
            by_id,
            all: &site.units,
            ids: site.units.iter().map(|u| u.id.as_str()).collect(),
            incomplete: site.incomplete.contains(&Section::Units),
        }
    }

    pub fn get(&self, id: &str) -> Option<&'s Unit> {
        self.by_id.get(id).copied()
    }

    /// Reports an unknown id at `loc`, with the nearest known id as a hint.
    fn unknown(&self, d: &mut Diagnostics, loc: Loc, id: &str) {
        self.unknown_in(d, loc, id, None);
    }

    /// [`Self::unknown`] for a reference that may be written as a unit's
    /// name (`unit:` of a results row, of a quota), in a quarter: a name
    /// gets the id to write, found as `bantin import` finds units by name
    /// (the one active in `when` when two share it).
    fn unknown_in(&self, d: &mut Diagnostics, loc: Loc, id: &str, when: Option<Quarter>) {
        if self.incomplete {
            return;
        }
        if let Some(when) = when.filter(|_| crate::load::id_problem(id).is_some()) {
            use crate::import::table::{Found, Units};
            let shown = crate::load::shown(id);
            let units = Units::new(self.all, when);
            match units.find(id) {
                Found::One(i) => {
                    let real = self.all.get(i).map_or("", |u| u.id.as_str());
                    d.report(
                        Code::BadId,
                        loc,
                        format!("'{shown}' là tên đơn vị; ở đây ghi mã (id) của đơn vị"),
                    )
                    .with_hint(format!("unit: {real}"));
                }
                Found::Several(several) => {
                    let ids: Vec<&str> = several
                        .iter()
                        .filter_map(|&i| self.all.get(i))
                        .map(|u| u.id.as_str())
                        .collect();
                    d.report(
                        Code::BadId,
                        loc,
                        format!("'{shown}' là tên của nhiều đơn vị; ở đây ghi mã (id) của đơn vị"),
                    )
                    .with_hint(format!("một trong các mã: {}", ids.join(", ")));
                }
                Found::None => {
                    let diag = d.report(
                        Code::UnknownUnit,
                        loc,
                        format!("đơn vị '{shown}' không có trong units.yaml; ở đây ghi mã (id) của đơn vị"),
                    );
                    diag.with_hint(units.hint(id).unwrap_or_else(|| {
                        "mã đơn vị ở cột id của units.yaml, ví dụ unit: xa-tan-lap".to_owned()
                    }));
                }
            }
            return;
        }
        let diag = d.report(
            Code::UnknownUnit,
            loc,
            format!("đơn vị '{id}' không có trong units.yaml"),
        );
        if let Some(h) = did_you_mean(id, self.ids.iter().copied()) {
            diag.with_hint(h);
        }
    }
}

fn check_units(site: &Site, units: &UnitIndex, d: &mut Diagnostics) {
    let mut first: HashMap<&str, &Unit> = HashMap::new();
    let mut names: HashMap<String, &Unit> = HashMap::new();
    for u in &site.units {
        if let Some(prev) = first.insert(u.id.as_str(), u) {
            d.report(
                Code::DuplicateId,
                u.id.loc,
                format!(
                    "mã đơn vị '{}' đã được dùng ở dòng {}",
                    u.id.value, prev.id.loc.line
                ),
            )
            .with_hint("mỗi đơn vị một mã riêng, kể cả đơn vị đã giải thể; mã không được dùng lại");
            first.insert(u.id.as_str(), prev);
        }
        if let Some(prev) = names.insert(vi::fold(&u.name), u)
            && prev.id.value != u.id.value
        {
            namesakes(u, prev, units, d);
        }
        if let Some(parent) = &u.parent {
            if parent.value == u.id.value {
                d.report(
                    Code::BadHistory,
                    parent.loc,
                    "đơn vị không thể là cấp trên của chính nó",
                );
            } else if let Some(p) = units.get(&parent.value) {
                check_within_parent(u, p, d);
            } else {
                units.unknown(d, parent.loc, &parent.value);
            }
        }
        for s in u.successors.iter().map(|s| &s.unit) {
            let Some(successor) = units.get(&s.value) else {
                units.unknown(d, s.loc, &s.value);
                continue;
            };
            if s.value == u.id.value {
                d.report(Code::BadHistory, s.loc, "đơn vị không thể kế thừa chính nó");
                continue;
            }
            let Some(until) = u.dissolved() else {
                d.report(
                    Code::Suspicious,
                    s.loc,
                    "đơn vị có 'successors' nhưng không có 'active_until' (ngày giải thể)",
                );
                continue;
            };
            if let Some(next) = until.checked_add_days(Days::new(1))
                && !successor.active_on(next)
            {
                d.report(
                    Code::BadHistory,
                    s.loc,
                    format!(
                        "đơn vị kế thừa '{}' không hoạt động vào {}, ngày sau khi '{}' giải thể",
                        s.value,
                        vi::date_running(next),
                        u.id.value
                    ),
                )
                .with_hint("kiểm tra 'active_from'/'active_until' của đơn vị kế thừa");
            }
        }
    }
    // Parent chains must end. A cycle is reported once, at its member
    // that comes first in units.yaml.
    let position: HashMap<&str, usize> = site
        .units
        .iter()
        .enumerate()
        .map(|(i, u)| (u.id.as_str(), i))
        .rev()
        .collect();
    for (index, u) in site.units.iter().enumerate() {
        let mut members = vec![index];
        let mut seen = BTreeSet::new();
        let mut at = u;
        while let Some(parent) = at.parent.as_ref().and_then(|p| units.get(&p.value)) {
            if parent.id.value == u.id.value {
                let first = members.iter().all(|&m| m >= index);
                if let (true, Some(p)) = (first, &u.parent) {
                    d.report(
                        Code::BadHistory,
                        p.loc,
                        format!(
                            "vòng lặp cấp trên: '{}' là cấp trên của chính nó qua các đơn vị khác",
                            u.id.value
                        ),
                    );
                }
                break;
            }
            if !seen.insert(parent.id.value.as_str()) {
                break;
            }
            members.push(
                position
                    .get(parent.id.as_str())
                    .copied()
                    .unwrap_or(usize::MAX),
            );
            at = parent;
        }
    }
}

/// A sub-unit is active only while its parent is: dates written outside
/// the parent's are an error (a date not written is the parent's).
fn check_within_parent(u: &Unit, parent: &Unit, d: &mut Diagnostics) {
    if let (Some(own), Some(until)) = (&u.active_until, parent.dissolved())
        && own.value > until
    {
        d.report(
            Code::BadHistory,
            own.loc,
            format!(
                "đơn vị trực thuộc '{}' hoạt động đến {}, sau khi đơn vị cấp trên '{}' giải thể {}",
                u.id.value,
                vi::date_running(own.value),
                parent.id.value,
                vi::date_running(until)
            ),
        )
        .with_hint(format!(
            "ghi active_until: {until}, hoặc bỏ dòng này để lấy theo đơn vị cấp trên; đơn vị chuyển sang cấp trên khác là một đơn vị mới (successors)"
        ));
    }
    if let (Some(own), Some(from)) = (&u.active_from, parent.began())
        && own.value < from
    {
        d.report(
            Code::BadHistory,
            own.loc,
            format!(
                "đơn vị trực thuộc '{}' hoạt động từ {}, trước khi đơn vị cấp trên '{}' thành lập {}",
                u.id.value,
                vi::date_running(own.value),
                parent.id.value,
                vi::date_running(from)
            ),
        )
        .with_hint(format!(
            "ghi active_from: {from}, hoặc bỏ dòng này để lấy theo đơn vị cấp trên"
        ));
    }
}

fn check_plans(site: &Site, units: &UnitIndex, d: &mut Diagnostics) {
    let mut seen: BTreeMap<(String, i32), Loc> = BTreeMap::new();
    for plan in &site.plans {
        let key = (plan.symbol.to_string(), plan.year.value);
        if let Some(prev) = seen.insert(key, plan.symbol.loc) {
            d.report(
                Code::DuplicateEntry,
                plan.symbol.loc,
                format!(
                    "kế hoạch {} năm {} đã có trong {}",
                    plan.symbol.value,
                    plan.year.value,
                    site.files.path(prev.file)
                ),
            );
        }
        let (jan1, dec31) = year_bounds(plan.year.value);
        check_amends(site, plan, d);
        let mut quota_seen: HashMap<&str, Loc> = HashMap::new();
        for q in &plan.quotas {
            if let Some(prev) = quota_seen.insert(q.unit.as_str(), q.unit.loc) {
                d.report(
                    Code::DuplicateEntry,
                    q.unit.loc,
                    format!(
                        "đơn vị '{}' đã có chỉ tiêu ở dòng {}",
                        q.unit.value, prev.line
                    ),
                );
                continue;
            }
            let Some(unit) = units.get(&q.unit.value) else {
                units.unknown_in(
                    d,
                    q.unit.loc,
                    &q.unit.value,
                    Quarter::new(plan.year.value, 1),
                );
                continue;
            };
            if unit.active_during(jan1, dec31) {
                continue;
            }
            match unit.dissolved() {
                Some(until) if until < jan1 => {
                    d.report(
                        Code::QuotaForDissolved,
                        q.unit.loc,
                        format!(
                            "chỉ tiêu giao cho '{}', đơn vị đã giải thể {}; chỉ tiêu này không được tính vào tổng",
                            q.unit.value,
                            vi::date_running(until)
                        ),
                    );
                }
                _ => {
                    d.report(
                        Code::UnitInactive,
                        q.unit.loc,
                        format!(
                            "đơn vị '{}' không hoạt động trong năm {}",
                            q.unit.value, plan.year.value
                        ),
                    );
                }
            }
        }
    }
}

/// An amending plan names a plan of its own year, not itself through a
/// chain, and takes effect within that year.
fn check_amends(site: &Site, plan: &crate::model::Plan, d: &mut Diagnostics) {
    let Some(amends) = &plan.amends else {
        if let Some(e) = &plan.effective {
            d.report(
                Code::BadValue,
                e.loc,
                "'effective' chỉ dùng cho kế hoạch điều chỉnh (có 'amends')",
            )
            .with_hint("thêm amends: <số hiệu kế hoạch được điều chỉnh>, hoặc bỏ dòng này");
        }
        return;
    };
    let year = plan.year.value;
    let find = |symbol: &crate::vi::DocSymbol| {
        site.plans
            .iter()
            .find(|p| p.year.value == year && p.symbol.value == *symbol)
    };
    if find(&amends.value).is_none() {
        let same_year: Vec<String> = site
            .plans
            .iter()
            .filter(|p| p.year.value == year && !std::ptr::eq(*p, plan))
            .map(|p| p.symbol.to_string())
            .collect();
        let diag = d.report(
            Code::UnknownPlan,
            amends.loc,
            format!(
                "không có kế hoạch {} năm {year} để điều chỉnh",
                amends.value
            ),
        );
        if let Some(h) = did_you_mean(
            &amends.value.to_string(),
            same_year.iter().map(String::as_str),
        ) {
            diag.with_hint(h);
        } else {
            diag.with_hint(format!(
                "kế hoạch điều chỉnh và kế hoạch được điều chỉnh phải cùng năm {year}"
            ));
        }
        return;
    }
    // The chain must end at a plan that amends nothing.
    if plan.amended(&site.plans).any(|p| std::ptr::eq(p, plan)) {
        d.report(
            Code::BadHistory,
            amends.loc,
            format!(
                "kế hoạch {} điều chỉnh chính nó qua các kế hoạch khác",
                plan.symbol.value
            ),
        );
        return;
    }
    let (jan1, dec31) = year_bounds(year);
    let from = plan.in_force_from();
    if from < jan1 || from > dec31 {
        let loc = plan.effective.as_ref().map_or(plan.issued.loc, |e| e.loc);
        d.report(
            Code::BadDate,
            loc,
            format!(
                "kế hoạch điều chỉnh có hiệu lực từ {}, ngoài năm {year}",
                vi::date_running(from)
            ),
        )
        .with_hint(format!("ghi effective: là một ngày của năm {year}"));
    }
}

fn year_bounds(year: i32) -> (NaiveDate, NaiveDate) {
    let first = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(NaiveDate::MIN);
    let last = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(NaiveDate::MAX);
    (first, last)
}

fn check_reports(site: &Site, units: &UnitIndex, d: &mut Diagnostics) {
    let tree = Tree::new(site);
    let mut by_period: BTreeMap<Quarter, &crate::model::QuarterReport> = BTreeMap::new();
    for report in &site.reports {
        let Some(quarter) = Quarter::new(report.year.value, report.quarter.value) else {
            continue;
        };
        if let Some(prev) = by_period.insert(quarter, report) {
            d.report(
                Code::DuplicateEntry,
                Loc::file(report.file),
                format!(
                    "số liệu {} đã có trong {}",
                    quarter.label(),
                    site.files.path(prev.file)
                ),
            );
            by_period.insert(quarter, prev);
        }
        check_report_plan(site, report, d);
        let (from, to) = quarter.bounds();
        let mut rows_seen: HashMap<&str, u32> = HashMap::new();
        for row in &report.rows {
            let id = row.unit.as_str();
            if let Some(line) = rows_seen.insert(id, row.unit.loc.line) {
                d.report(
                    Code::DuplicateRow,
                    row.unit.loc,
                    format!("đơn vị '{id}' đã có dòng số liệu trong quý này (dòng {line})"),
                )
                .with_hint("mỗi đơn vị chỉ có một dòng trong một quý; cộng hai dòng lại làm một");
                rows_seen.insert(id, line);
                continue;
            }
            let Some(unit) = units.get(id) else {
                units.unknown_in(d, row.unit.loc, id, Some(quarter));
                continue;
            };
            if !unit.active_during(from, to) {
                let why = match (unit.began(), unit.dissolved()) {
                    (Some(f), _) if f > to => format!("thành lập {}", vi::date_running(f)),
                    (_, Some(u)) => format!("đã giải thể sau {}", vi::date_running(u)),
                    _ => String::new(),
                };
                d.report(
                    Code::UnitInactive,
                    row.unit.loc,
                    format!(
                        "đơn vị '{id}' không hoạt động trong {} ({why})",
                        quarter.label()
                    ),
                )
                .with_hint("xóa dòng này, hoặc sửa ngày hoạt động của đơn vị trong units.yaml");
            }
        }
        check_sub_units(report, &tree, d);
        for unit in site.units.iter().filter(|_| !units.incomplete) {
            // Figures of a sub-unit may be in its parent's row, and a
            // parent's may be its sub-units' rows (SPEC §2.2).
            if unit.active_during(from, to) && !tree.covered(unit, &rows_seen) {
                let diag = d.report(
                    Code::MissingRow,
                    Loc::file(report.file),
                    format!(
                        "đơn vị '{}' hoạt động trong {} nhưng không có dòng số liệu; coi như không kết nạp",
                        unit.id.value,
                        quarter.label()
                    ),
                );
                if let Some(parent) = unit.parent.as_ref().map(|p| p.as_str()) {
                    diag.with_hint(format!(
                        "'{parent}' không có dòng riêng nên số của nó là tổng các đơn vị trực thuộc: thêm dòng của '{}', hoặc một dòng riêng cho '{parent}'",
                        unit.id.value
                    ));
                }
            }
        }
    }
    if !site.incomplete.contains(&Section::Reports) {
        check_gaps(&by_period, d);
    }
    check_members(site, &by_period, d);
    check_transfers(site, &tree, &by_period, d);
    check_plans_of_a_year(site, &by_period, d);
}

/// The quarters of one year may cite plans that do not amend one another
/// only when those plans give quotas to different units (SPEC §2.3): else
/// the year would be measured against two targets at once.
fn check_plans_of_a_year(
    site: &Site,
    by_period: &BTreeMap<Quarter, &crate::model::QuarterReport>,
    d: &mut Diagnostics,
) {
    // (year, root symbol) → the reports citing that plan or its amendments.
    let mut cited: BTreeMap<i32, Vec<(&crate::model::Plan, &crate::model::QuarterReport)>> =
        BTreeMap::new();
    for (quarter, report) in by_period {
        let Some(plan) = site
            .plans
            .iter()
            .find(|p| p.year.value == quarter.year && p.symbol.value == report.plan.value)
        else {
            continue;
        };
        let root = plan.root(&site.plans);
        if root.amends.is_some() {
            // A chain that does not end at a plan: reported on its `amends`.
            continue;
        }
        cited.entry(quarter.year).or_default().push((root, report));
    }
    let units_of = |root: &crate::model::Plan| -> BTreeSet<&str> {
        site.plans
            .iter()
            .filter(|p| std::ptr::eq(p.root(&site.plans), root))
            .flat_map(|p| p.quotas.iter().map(|q| q.unit.as_str()))
            .collect()
    };
    for (year, list) in cited {
        let mut roots: Vec<&crate::model::Plan> = Vec::new();
        for (root, _) in &list {
            if !roots.iter().any(|r| std::ptr::eq(*r, *root)) {
                roots.push(root);
            }
        }
        for (i, a) in roots.iter().enumerate() {
            for b in &roots[i + 1..] {
                let (ua, ub) = (units_of(a), units_of(b));
                let Some(shared) = ua.intersection(&ub).next() else {
                    continue;
                };
                for (root, report) in &list {
                    if !std::ptr::eq(*root, *a) && !std::ptr::eq(*root, *b) {
                        continue;
                    }
                    d.report(
                        Code::UnknownPlan,
                        report.plan.loc,
                        format!(
                            "các quý năm {year} ghi hai kế hoạch không điều chỉnh nhau, {} và {}, cùng giao chỉ tiêu cho đơn vị '{shared}'",
                            a.symbol.value, b.symbol.value
                        ),
                    )
                    .with_hint(format!(
                        "nếu {} điều chỉnh {}, thêm vào kế hoạch đó amends: {}; nếu không, mọi quý năm {year} ghi cùng một kế hoạch",
                        b.symbol.value, a.symbol.value, a.symbol.value
                    ));
                }
            }
        }
    }
}

/// The members a dissolved unit hands to its successors may not add up to
/// more than it had at its last report.
fn check_transfers(
    site: &Site,
    tree: &Tree,
    by_period: &BTreeMap<Quarter, &crate::model::QuarterReport>,
    d: &mut Diagnostics,
) {
    for u in &site.units {
        let written: Vec<&crate::model::Sp<u64>> = u
            .successors
            .iter()
            .filter_map(|s| s.members.as_ref())
            .collect();
        let Some(first) = written.first() else {
            continue;
        };
        let moved: u64 = written.iter().map(|m| m.value).sum();
        // Its members at the last quarter that gives them (its own row, or
        // its sub-units' sum).
        let last = by_period.iter().rev().find_map(|(quarter, report)| {
            let rows: HashMap<&str, &crate::model::Row> = report
                .rows
                .iter()
                .filter(|r| r.get(Field::Members).is_some())
                .map(|r| (r.unit.as_str(), r))
                .collect();
            let members = tree.value(&u.id, Field::Members, &rows, 0)?;
            Some((*quarter, report, members))
        });
        if let Some((quarter, report, had)) = last
            && moved > had
        {
            d.report(
                Code::TransferExceeds,
                first.loc,
                format!(
                    "các đơn vị kế thừa nhận tổng cộng {} đảng viên, nhiều hơn {} đảng viên của '{}' theo báo cáo {}",
                    vi::int(moved as i64),
                    vi::int(had as i64),
                    u.id.value,
                    quarter.label()
                ),
            )
            .with_hint(format!(
                "sửa số 'members' trong successors, hoặc dòng members của '{}' trong {}",
                u.id.value,
                site.files.path(report.file)
            ));
        }
    }
}

/// The units by parent, for the rules of levels.
struct Tree<'s> {
    by_id: HashMap<&'s str, &'s Unit>,
    children: HashMap<&'s str, Vec<&'s Unit>>,
}

/// Deeper than this, a chain of parents is a loop (reported elsewhere).
const MAX_DEPTH: usize = 64;

impl<'s> Tree<'s> {
    fn new(site: &'s Site) -> Self {
        let mut by_id = HashMap::new();
        let mut children: HashMap<&str, Vec<&Unit>> = HashMap::new();
        for u in &site.units {
            by_id.entry(u.id.as_str()).or_insert(u);
            if let Some(p) = &u.parent {
                children.entry(p.as_str()).or_default().push(u);
            }
        }
        Tree { by_id, children }
    }

    fn children(&self, id: &str) -> &[&'s Unit] {
        self.children.get(id).map_or(&[], Vec::as_slice)
    }

    /// Whether the quarter's rows speak for `unit`: its own row, or a row
    /// of one of its sub-units (their sum is its figure); or its parent's
    /// own row, which includes it. When its parent's figure is the sum of
    /// sub-units, a silent sub-unit is missing from that sum, unless none
    /// of them reported (then the parent is the one reported missing).
    fn covered(&self, unit: &Unit, rows: &HashMap<&str, u32>) -> bool {
        if rows.contains_key(unit.id.as_str()) || self.any_below(&unit.id, rows, 0) {
            return true;
        }
        match unit
            .parent
            .as_ref()
            .and_then(|p| self.by_id.get(p.as_str()))
        {
            Some(parent) => {
                rows.contains_key(parent.id.as_str()) || !self.any_below(&parent.id, rows, 0)
            }
            None => false,
        }
    }

    fn any_below(&self, id: &str, rows: &HashMap<&str, u32>, depth: usize) -> bool {
        depth < MAX_DEPTH
            && self
                .children(id)
                .iter()
                .any(|c| rows.contains_key(c.id.as_str()) || self.any_below(&c.id, rows, depth + 1))
    }

    /// A unit's value of `field` in a quarter: its own row's, else the sum
    /// of its sub-units' (recursively); `None` when none of them has a row.
    fn value(
        &self,
        id: &str,
        field: Field,
        rows: &HashMap<&str, &crate::model::Row>,
        depth: usize,
    ) -> Option<u64> {
        if let Some(row) = rows.get(id) {
            return Some(row.count(field));
        }
        if depth >= MAX_DEPTH {
            return None;
        }
        self.children(id)
            .iter()
            .filter_map(|c| self.value(&c.id, field, rows, depth + 1))
            .reduce(|a, b| a + b)
    }
}

/// A unit's own row is its total: its sub-units' rows may not add up to
/// more (a warning, for each field where they do).
fn check_sub_units(report: &crate::model::QuarterReport, tree: &Tree, d: &mut Diagnostics) {
    let rows: HashMap<&str, &crate::model::Row> =
        report.rows.iter().map(|r| (r.unit.as_str(), r)).collect();
    for row in &report.rows {
        let id = row.unit.as_str();
        let kids = tree.children(id);
        if kids.is_empty() {
            continue;
        }
        let over: Vec<String> = Field::ALL
            .into_iter()
            .filter(|f| *f != Field::Members || row.members().is_some())
            .filter_map(|field| {
                let sum = kids
                    .iter()
                    .filter_map(|c| tree.value(&c.id, field, &rows, 1))
                    .reduce(|a, b| a + b)?;
                let own = row.count(field);
                (sum > own).then(|| {
                    format!(
                        "{} {} (dòng của đơn vị: {})",
                        field.label_vi(),
                        vi::int(sum.min(i64::MAX as u64) as i64),
                        vi::int(own.min(i64::MAX as u64) as i64)
                    )
                })
            })
            .collect();
        if !over.is_empty() {
            d.report(
                Code::SubUnitsExceed,
                row.unit.loc,
                format!(
                    "các đơn vị trực thuộc '{id}' cộng lại nhiều hơn dòng của chính đơn vị: {}",
                    over.join("; ")
                ),
            )
            .with_hint(
                "dòng của đơn vị cấp trên là số của cả đơn vị, gồm các đơn vị trực thuộc; sửa dòng đó hoặc các dòng trực thuộc",
            );
        }
    }
}

fn check_report_plan(site: &Site, report: &crate::model::QuarterReport, d: &mut Diagnostics) {
    let symbol = report.plan.to_string();
    let year = report.year.value;
    if site.incomplete.contains(&Section::Plans)
        || site
            .plans
            .iter()
            .any(|p| p.year.value == year && p.symbol.to_string() == symbol)
    {
        return;
    }
    let diag = d.report(
        Code::UnknownPlan,
        report.plan.loc,
        format!("không có kế hoạch {symbol} cho năm {year} trong plans/"),
    );
    let other_year = site.plans.iter().find(|p| p.symbol.to_string() == symbol);
    if let Some(p) = other_year {
        diag.with_hint(format!(
            "kế hoạch {symbol} là của năm {}; số liệu năm {year} phải đo theo kế hoạch năm {year}",
            p.year.value
        ));
    } else {
        let same_year: Vec<String> = site
            .plans
            .iter()
            .filter(|p| p.year.value == year)
            .map(|p| p.symbol.to_string())
            .collect();
        if let Some(h) = did_you_mean(&symbol, same_year.iter().map(String::as_str)) {
            diag.with_hint(h);
        } else if let [only] = same_year.as_slice() {
            diag.with_hint(format!("kế hoạch năm {year} là {only}"));
        }
    }
}

/// A quarter missing between two reported ones.
fn check_gaps(by_period: &BTreeMap<Quarter, &crate::model::QuarterReport>, d: &mut Diagnostics) {
    let mut previous: Option<Quarter> = None;
    for (&quarter, report) in by_period {
        if let Some(prev) = previous {
            let mut missing = Vec::new();
            let mut q = prev.next();
            while q < quarter && missing.len() < 40 {
                missing.push(q.label());
                q = q.next();
            }
            if !missing.is_empty() {
                d.report(
                    Code::MissingQuarter,
                    Loc::file(report.file),
                    format!(
                        "chưa có số liệu {} (giữa {} và {}); số liệu lũy kế sẽ thiếu",
                        missing.join(", "),
                        prev.label(),
                        quarter.label()
                    ),
                );
            }
        }
        previous = Some(quarter);
    }
}

/// Members falling by more than the removals of the quarter explain.
fn check_members(
    site: &Site,
    by_period: &BTreeMap<Quarter, &crate::model::QuarterReport>,
    d: &mut Diagnostics,
) {
    let _ = site;
    let mut last: HashMap<&str, (Quarter, u64)> = HashMap::new();
    for (&quarter, report) in by_period {
        for row in &report.rows {
            let Some(members) = row.get(Field::Members) else {
                continue;
            };
            let id = row.unit.as_str();
            if let Some(&(prev_q, prev)) = last.get(id)
                && prev_q.next() == quarter
            {
                let removed = row.count(Field::Removed);
                if members.value + removed < prev {
                    d.report(
                        Code::MembersFall,
                        members.loc,
                        format!(
                            "số đảng viên của '{id}' giảm từ {} xuống {} trong {}, nhiều hơn số đưa ra khỏi Đảng ({})",
                            vi::int(prev as i64),
                            vi::int(members.value as i64),
                            quarter.label(),
                            removed
                        ),
                    )
                    .with_hint("kiểm tra lại 'members' và 'removed'; chuyển sinh hoạt đi nơi khác cũng làm giảm");
                }
            }
            last.insert(id, (quarter, members.value));
        }
    }
}

/// A media file named in a front matter or site.yaml (`image:`, `logo:`)
/// that is not in `content/media/` (E308), with a hint at the spelling.
fn check_media_file(
    site: &Site,
    media: &BTreeSet<&str>,
    path: &crate::model::Sp<String>,
    key: &str,
    d: &mut Diagnostics,
) {
    if media.contains(path.as_str()) || is_refused(site, &format!("content/{}", path.value)) {
        return;
    }
    let diag = d.report(
        Code::MissingMedia,
        path.loc,
        format!("không có tệp content/{}", path.value),
    );
    // `image:` is a file's path, not a URL: `%23` is not `#`.
    let decoded = crate::pages::path_of_url(&path.value);
    let slashes = path.value.replace('\\', "/");
    if decoded != path.value && media.contains(decoded.as_str()) {
        diag.with_hint(format!(
            "'{key}:' ghi đường dẫn của tệp đúng như tên tệp, không mã hóa '%': viết {key}: \"{decoded}\""
        ));
    } else if slashes != path.value && media.contains(slashes.as_str()) {
        diag.with_hint(format!(
            "ngăn các thư mục bằng dấu '/', không dùng '\\': viết {key}: {slashes}"
        ));
    } else if let Some(h) = did_you_mean(&path.value, media.iter().copied()) {
        diag.with_hint(h);
    }
}

/// Every media file a front matter or site.yaml names: an article's or an
/// editorial's `image:`, the site's `logo:`.
fn check_media_refs(site: &Site, d: &mut Diagnostics) {
    let media: BTreeSet<&str> = site.media.iter().map(|m| m.rel.as_str()).collect();
    let images = site
        .articles
        .iter()
        .filter_map(|a| a.image.as_ref())
        .chain(site.editorials.iter().filter_map(|e| e.image.as_ref()))
        .map(|i| (i, "image"));
    let logo = site
        .config
        .as_ref()
        .and_then(|c| c.logo.as_ref())
        .map(|l| (l, "logo"));
    for (path, key) in images.chain(logo) {
        check_media_file(site, &media, path, key, d);
    }
}

fn check_editorials(site: &Site, d: &mut Diagnostics) {
    if site.incomplete.contains(&Section::Reports) {
        return;
    }
    for e in &site.editorials {
        let has_report = site
            .reports
            .iter()
            .any(|r| r.year.value == e.year && r.quarter.value == e.quarter);
        if !has_report {
            d.report(
                Code::OrphanEditorial,
                Loc::file(e.file),
                format!(
                    "có văn bản biên tập nhưng chưa có số liệu quý {}/{} (tệp q{}.yaml)",
                    vi::roman(e.quarter).unwrap_or("?"),
                    e.year,
                    e.quarter
                ),
            );
        }
    }
}

/// Whether `rel` (from the site folder), or a folder above it, was found
/// but refused, and so was reported already.
fn is_refused(site: &Site, rel: &str) -> bool {
    let mut at = rel;
    loop {
        if site.refused.contains(at) {
            return true;
        }
        match at.rfind('/') {
            Some(i) => at = &at[..i],
            None => return false,
        }
    }
}

fn check_articles(
    site: &Site,
    units: &UnitIndex,
    tags: &crate::pages::TagSlugs,
    d: &mut Diagnostics,
) {
    // tag slug → (tag identity, where first written, as written)
    let mut tag_slugs: HashMap<&str, (&str, Loc, &str)> = HashMap::new();
    for a in &site.articles {
        for u in &a.units {
            if units.get(&u.value).is_none() {
                units.unknown(d, u.loc, &u.value);
            }
        }
        for tag in &a.tags {
            let slug = tags.slug(&tag.value);
            if crate::load::is_reserved_name(slug) {
                d.report(
                    Code::BadId,
                    tag.loc,
                    format!(
                        "chủ đề '{}' tạo đường dẫn {}, mà '{slug}' là tên thiết bị dành riêng của Windows",
                        tag.value,
                        crate::pages::tag(slug, 1)
                    ),
                )
                .with_hint("viết chủ đề đầy đủ hơn");
                continue;
            }
            if slug.is_empty() {
                d.report(
                    Code::BadId,
                    tag.loc,
                    format!(
                        "chủ đề '{}' không có chữ cái nào để tạo đường dẫn",
                        tag.value
                    ),
                );
                continue;
            }
            let key = tags.key(&tag.value);
            match tag_slugs.get(slug) {
                Some((other_key, loc, written)) if *other_key != key => {
                    d.report(
                        Code::DuplicatePath,
                        tag.loc,
                        format!(
                            "chủ đề '{}' và '{}' ({}:{}) trùng đường dẫn {}",
                            tag.value,
                            written,
                            site.files.path(loc.file),
                            loc.line,
                            crate::pages::tag(slug, 1)
                        ),
                    )
                    .with_hint(
                        "nếu là một chủ đề, viết hai nơi giống hệt nhau; nếu là hai chủ đề, viết cho khác nhau rõ hơn (chỉ khác nhau ở dấu câu thì vẫn là một đường dẫn)",
                    );
                }
                Some(_) => {}
                None => {
                    tag_slugs.insert(slug, (key, tag.loc, &tag.value));
                }
            }
        }
    }
}
