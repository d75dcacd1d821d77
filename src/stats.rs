//! Periods, totals, shares, rankings: pure functions over the model, no IO.
//!
//! Figures are exact: counts are integers and every share is a [`Ratio`]
//! rounded only when printed (by `vi`), so `27,45%` never turns into `27,4%`.
//!
//! The rules (SPEC §2.4):
//! - a unit counts in a period when it is active on at least one of its days;
//! - flows (admitted, the "of whom" counts, recognized, removed, classes,
//!   trainees) sum every row of the period's quarters;
//! - stocks count only units active on the stock's date: `members` those
//!   active on the last day of the period, `members_base` those active on
//!   1 January of the plan's year;
//! - growth compares with the same period of the previous year, when that
//!   period was fully reported;
//! - levels (SPEC §2.2): a unit's figures — flows, stocks, quotas — are its
//!   own row (or quota) when it has one, else the sum of its sub-units'
//!   (recursively); the organisation's totals are the sums over the units
//!   directly under it, so no figure is counted twice; rankings and lists
//!   are among the units of one level.

use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDate;

use crate::model::{Field, Plan, QuarterReport, Quota, Row, Site, Unit};
use crate::vi;

mod term;
pub use term::{TermFigures, TermStats, TermUnit, TermYear, term_quarters};

/// A quarter of a year (quý).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quarter {
    pub year: i32,
    pub q: u8,
}

impl Quarter {
    pub fn new(year: i32, q: u8) -> Option<Quarter> {
        ((1..=4).contains(&q) && NaiveDate::from_ymd_opt(year, 1, 1).is_some())
            .then_some(Quarter { year, q })
    }

    /// First and last day.
    pub fn bounds(self) -> (NaiveDate, NaiveDate) {
        let month = u32::from(self.q) * 3 - 2;
        let first = NaiveDate::from_ymd_opt(self.year, month, 1).unwrap_or(NaiveDate::MIN);
        let last = match self.q {
            4 => NaiveDate::from_ymd_opt(self.year, 12, 31),
            _ => NaiveDate::from_ymd_opt(self.year, month + 3, 1).and_then(|d| d.pred_opt()),
        };
        (first, last.unwrap_or(NaiveDate::MAX))
    }

    pub fn next(self) -> Quarter {
        if self.q >= 4 {
            Quarter {
                year: self.year + 1,
                q: 1,
            }
        } else {
            Quarter {
                year: self.year,
                q: self.q + 1,
            }
        }
    }

    pub fn previous(self) -> Quarter {
        if self.q <= 1 {
            Quarter {
                year: self.year - 1,
                q: 4,
            }
        } else {
            Quarter {
                year: self.year,
                q: self.q - 1,
            }
        }
    }

    /// `quý I/2023`.
    pub fn label(self) -> String {
        vi::quarter_label(self.year, self.q)
    }
}

/// A span of quarters of one year: a single quarter, or the year from its
/// first quarter (6 tháng, 9 tháng, cả năm).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Period {
    pub year: i32,
    pub first: u8,
    pub last: u8,
}

impl Period {
    pub fn quarter(q: Quarter) -> Period {
        Period {
            year: q.year,
            first: q.q,
            last: q.q,
        }
    }

    /// Quarters 1 to `last` of `year`.
    pub fn cumulative(year: i32, last: u8) -> Period {
        Period {
            year,
            first: 1,
            last: last.clamp(1, 4),
        }
    }

    pub fn is_single_quarter(self) -> bool {
        self.first == self.last
    }

    pub fn quarters(self) -> impl Iterator<Item = Quarter> {
        (self.first..=self.last).filter_map(move |q| Quarter::new(self.year, q))
    }

    pub fn bounds(self) -> (NaiveDate, NaiveDate) {
        let first = Quarter::new(self.year, self.first).map_or(NaiveDate::MIN, |q| q.bounds().0);
        let last = Quarter::new(self.year, self.last).map_or(NaiveDate::MAX, |q| q.bounds().1);
        (first, last)
    }

    /// The same period a year earlier.
    pub fn previous_year(self) -> Period {
        Period {
            year: self.year - 1,
            ..self
        }
    }

    /// `quý I/2023`, `6 tháng đầu năm 2023`, `9 tháng đầu năm 2023`, `năm 2023`.
    pub fn label(self) -> String {
        if self.is_single_quarter() {
            vi::quarter_label(self.year, self.first)
        } else {
            vi::cumulative_label(self.year, self.last)
        }
    }
}

/// A percentage as written in a target (`3.5`), in tenths of a point.
pub fn tenths_of_percent(percent: f64) -> i128 {
    (percent * 10.0).round() as i128
}

/// An exact fraction. Shares and rates are ratios of counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ratio {
    pub num: i64,
    pub den: i64,
}

impl Ratio {
    /// The percentage as a number with one decimal (for JSON), rounded as printed.
    pub fn percent_number(self) -> Option<f64> {
        vi::percent_number(self.num, self.den)
    }

    /// `None` when `den` is 0: a share of nothing is not 0%.
    pub fn new(num: i64, den: i64) -> Option<Ratio> {
        (den != 0).then_some(Ratio { num, den })
    }

    fn of(num: u64, den: u64) -> Option<Ratio> {
        Ratio::new(num as i64, den as i64)
    }

    /// Change from `before` to `after`: (after − before) / before.
    pub fn growth(after: u64, before: u64) -> Option<Ratio> {
        Ratio::new(after as i64 - before as i64, before as i64)
    }

    /// `27,5%`.
    pub fn percent(self) -> String {
        vi::percent(self.num, self.den).unwrap_or_default()
    }

    /// The percentage as printed (one decimal), in tenths of a point:
    /// `27,45%` → 275. A verdict compares this with a target as written
    /// ([`tenths_of_percent`]), so it never contradicts the figure beside it.
    pub fn percent_tenths(self) -> Option<i128> {
        vi::round_half_up(i128::from(self.num) * 100, i128::from(self.den), 1)
    }

    /// For charts only; comparisons use [`Ratio::cmp_exact`].
    pub fn as_f64(self) -> f64 {
        self.num as f64 / self.den as f64
    }

    pub fn cmp_exact(self, other: Ratio) -> Ordering {
        let sign = |r: Ratio| if r.den < 0 { -1i128 } else { 1 };
        let a = i128::from(self.num) * i128::from(other.den) * sign(self) * sign(other);
        let b = i128::from(other.num) * i128::from(self.den) * sign(self) * sign(other);
        a.cmp(&b)
    }
}

/// Flows summed over rows. Indexed by [`Field`]; `Members` stays 0 (a stock
/// is never summed over time).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts([u64; 12]);

impl Counts {
    pub fn add_row(&mut self, row: &Row) {
        for field in Field::ALL {
            if field != Field::Members {
                self.0[field.index()] += row.count(field);
            }
        }
    }

    pub fn add(&mut self, other: &Counts) {
        for (a, b) in self.0.iter_mut().zip(other.0) {
            *a += b;
        }
    }

    pub fn get(&self, field: Field) -> u64 {
        self.0[field.index()]
    }

    pub fn admitted(&self) -> u64 {
        self.get(Field::Admitted)
    }

    /// Share of the new members who are women, ethnic minority, ...
    pub fn share_of_admitted(&self, field: Field) -> Option<Ratio> {
        Ratio::of(self.get(field), self.admitted())
    }
}

/// A unit's quota for a plan's year: its own when the plan gives one, else
/// the sum of its sub-units' (those active in the year).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QuotaFigures {
    /// New members to admit in the year.
    pub admissions: u64,
    /// Members at 31/12 of the previous year (of the sub-units active on
    /// 1 January); `None` when one of them did not give it.
    pub members_base: Option<u64>,
    /// Classes planned; `None` when one of them did not give it.
    pub classes: Option<u64>,
    /// Given by an amending plan: only the admissions from this day count
    /// against it (of the quarters that end on or after it).
    pub from: Option<NaiveDate>,
}

impl QuotaFigures {
    fn of(q: &Quota, from: Option<NaiveDate>) -> Self {
        QuotaFigures {
            admissions: q.admissions.value,
            members_base: q.members_base.as_ref().map(|b| b.value),
            classes: q.classes.as_ref().map(|c| c.value),
            from,
        }
    }
}

/// The quotas of the units directly under the organisation, each with its
/// sub-units'.
type TopQuotas<'s> = Vec<(&'s Unit, QuotaFigures)>;

/// A plan as in force on one day (SPEC §2.3): the plan as first issued and
/// the amendments in effect by then, in the order they took effect.
#[derive(Clone, Debug)]
pub struct Version<'s> {
    pub root: &'s Plan,
    pub amendments: Vec<&'s Plan>,
    /// Plans of the same year for other units (before a merger, each
    /// former organisation had its own), each as in force that day.
    pub others: Vec<Version<'s>>,
}

impl<'s> Version<'s> {
    /// The plan as first issued, without amendments.
    pub fn original(root: &'s Plan) -> Self {
        Version {
            root,
            amendments: Vec::new(),
            others: Vec::new(),
        }
    }

    /// This plan and the plans of the same year for other units.
    pub fn families(&self) -> impl Iterator<Item = &Version<'s>> {
        std::iter::once(self).chain(&self.others)
    }

    /// `unit`'s own quota, and the day it counts from when an amendment
    /// gave it. A unit dissolved before an amendment took effect keeps the
    /// quota it had.
    fn quota(&self, unit: &Unit) -> Option<(&'s Quota, Option<NaiveDate>)> {
        self.amendments
            .iter()
            .rev()
            .filter(|a| unit.dissolved().is_none_or(|d| d >= a.in_force_from()))
            .find_map(|a| Some((a.quota(&unit.id)?, Some(a.in_force_from()))))
            .or_else(|| self.root.quota(&unit.id).map(|q| (q, None)))
            .or_else(|| self.others.iter().find_map(|o| o.quota(unit)))
    }

    /// Every unit given a quota by this plan or an amendment of it.
    fn units(&self) -> impl Iterator<Item = &'s str> + '_ {
        std::iter::once(self.root)
            .chain(self.amendments.iter().copied())
            .flat_map(|p| p.quotas.iter().map(|q| q.unit.as_str()))
    }

    /// The organisation's own target count, as last set.
    pub fn target_admissions(&self) -> Option<u64> {
        self.amendments
            .iter()
            .rev()
            .chain(std::iter::once(&self.root))
            .find_map(|p| p.target_admissions.as_ref().map(|t| t.value))
    }
}

/// One unit's figures for one period.
#[derive(Clone, Debug)]
pub struct UnitFigures<'s> {
    pub unit: &'s Unit,
    /// Index in [`PeriodStats::units`] of its parent, when the parent counts
    /// in the period too.
    pub parent: Option<usize>,
    /// Indices in [`PeriodStats::units`] of its sub-units that count in the
    /// period, in `units.yaml` order.
    pub children: Vec<usize>,
    pub counts: Counts,
    /// Quarters of the period it has figures for: its own row, or a row of
    /// one of its sub-units (0: active, but nothing reported).
    pub rows: usize,
    /// Active on the last day of the period's last reported quarter.
    pub active_at_end: bool,
    /// Members at the end of the period, when active then and reported.
    pub members: Option<u64>,
    pub quota: Option<QuotaFigures>,
    /// Admitted in the period / the year's quota.
    pub share_of_quota: Option<Ratio>,
    /// Admitted in the period / members at 31/12 of the previous year.
    pub admission_rate: Option<Ratio>,
    /// Admitted in the same period of the previous year, when comparable.
    pub previous_admitted: Option<u64>,
    pub growth: Option<Ratio>,
}

/// The whole organisation's figures for one period.
#[derive(Clone, Debug, Default)]
pub struct Totals {
    pub counts: Counts,
    /// Members of the units active at the end; `None` if one of them did not report it.
    pub members: Option<u64>,
    /// Sum of the quotas of units active in the plan's year.
    pub quota: Option<u64>,
    /// Members at 31/12 of the previous year of units active on 1 January.
    pub members_base: Option<u64>,
    pub classes_planned: Option<u64>,
    pub share_of_quota: Option<Ratio>,
    pub admission_rate: Option<Ratio>,
    pub previous_admitted: Option<u64>,
    pub growth: Option<Ratio>,
}

/// Everything the pages say about one period.
#[derive(Clone, Debug)]
pub struct PeriodStats<'s> {
    pub period: Period,
    /// The plan as first issued (the citation of its figures).
    pub plan: Option<&'s Plan>,
    /// Its amendments in force on the period's last day, in order.
    pub amendments: Vec<&'s Plan>,
    /// Quarters of the period that have results.
    pub reported: Vec<Quarter>,
    /// Every quarter of the period has results.
    pub complete: bool,
    /// Units active during the period (or with figures in it), every level,
    /// in `units.yaml` order.
    pub units: Vec<UnitFigures<'s>>,
    /// Indices into `units` of those directly under the organisation.
    pub top: Vec<usize>,
    pub total: Totals,
    /// Indices into `units` of those directly under the organisation: by
    /// share of quota, highest first, then by name.
    pub ranking: Vec<usize>,
    /// Indices into `units` of those directly under the organisation that
    /// admitted no one, in name order.
    pub no_admission: Vec<usize>,
    /// How the period stands against the year's plan.
    pub standing: Standing,
    by_id: HashMap<&'s str, usize>,
}

/// How a period stands against the year's plan: what a bulletin's verdict
/// says (SPEC §4). Lists are of the units directly under the organisation
/// still active at the period's end (a dissolved unit is not named in a
/// list that looks forward), as indices into [`PeriodStats::units`].
#[derive(Clone, Debug, Default)]
pub struct Standing {
    /// Units active at the end, by share of quota as `ranking`.
    pub active: Vec<usize>,
    /// The first by share of quota that admitted someone: three, and
    /// any tied with the third.
    pub leaders: Vec<usize>,
    /// The last, lowest first, below their quota and not among the
    /// leaders nor among those that admitted no one: three, and ties.
    pub behind: Vec<usize>,
    /// Units active at the end that admitted no one, in name order.
    pub no_admission: Vec<usize>,
    /// How many units active at the end with a quota reached it, of how
    /// many.
    pub reached: Option<(usize, usize)>,
    /// Admitted against the year's quota.
    pub vs_quota: Option<Ordering>,
    /// Admissions still needed to reach the year's quota.
    pub remaining: Option<u64>,
    /// Quarters of the year after the period.
    pub quarters_left: u8,
    /// `remaining` over `quarters_left`, rounded up.
    pub pace: Option<u64>,
    /// Classes held / classes planned for the year.
    pub classes_share: Option<Ratio>,
    /// Classes held against those planned for the year (more, as many,
    /// fewer).
    pub classes_vs_plan: Option<Ordering>,
    /// The rate as printed (one decimal) against the target range: below
    /// its bottom (`Less`), within it (`Equal`), above its top (`Greater`).
    pub rate_vs_target: Option<Ordering>,
}

/// How many a list names: three, and any tied with the third.
const LISTED: usize = 3;

impl<'s> PeriodStats<'s> {
    /// The first `LISTED` of `order` and those tied with the last of them.
    fn first_with_ties(&self, order: impl Iterator<Item = usize>) -> Vec<usize> {
        let mut out: Vec<usize> = Vec::new();
        for i in order {
            let Some(share) = self.units.get(i).and_then(|u| u.share_of_quota) else {
                continue;
            };
            let tied = out
                .last()
                .and_then(|&l| self.units[l].share_of_quota)
                .is_some_and(|last| last.cmp_exact(share) == Ordering::Equal);
            if out.len() >= LISTED && !tied {
                break;
            }
            out.push(i);
        }
        out
    }

    fn standing(&self, plan: Option<&Plan>) -> Standing {
        let active: Vec<usize> = self
            .ranking
            .iter()
            .copied()
            .filter(|&i| self.units[i].active_at_end)
            .collect();
        let several = self.top.len() > 1;
        let one = Ratio { num: 1, den: 1 };
        let below = |i: usize| {
            self.units[i]
                .share_of_quota
                .is_some_and(|r| r.cmp_exact(one) == Ordering::Less)
        };
        let admitted_some = |i: usize| self.units[i].counts.admitted() > 0;
        let leaders = if several {
            self.first_with_ties(active.iter().copied().filter(|&i| admitted_some(i)))
        } else {
            Vec::new()
        };
        let behind = if several {
            self.first_with_ties(
                active
                    .iter()
                    .rev()
                    .copied()
                    .filter(|i| !leaders.contains(i))
                    .filter(|&i| below(i) && admitted_some(i)),
            )
        } else {
            Vec::new()
        };
        let with_quota = active
            .iter()
            .filter(|&&i| self.units[i].share_of_quota.is_some())
            .count();
        let total = &self.total;
        let admitted = total.counts.admitted();
        let quota = total.quota.filter(|q| *q > 0);
        let remaining = quota.map(|q| q.saturating_sub(admitted)).filter(|r| *r > 0);
        let quarters_left = 4u8.saturating_sub(self.period.last);
        Standing {
            no_admission: self
                .no_admission
                .iter()
                .copied()
                .filter(|&i| self.units[i].active_at_end)
                .collect(),
            reached: (several && with_quota > 0).then(|| {
                (
                    with_quota - active.iter().filter(|&&i| below(i)).count(),
                    with_quota,
                )
            }),
            vs_quota: quota.map(|q| admitted.cmp(&q)),
            remaining,
            quarters_left,
            pace: remaining
                .filter(|_| quarters_left > 0)
                .map(|r| r.div_ceil(u64::from(quarters_left))),
            classes_share: total
                .classes_planned
                .and_then(|p| Ratio::of(total.counts.get(Field::ClassesHeld), p)),
            classes_vs_plan: total
                .classes_planned
                .filter(|p| *p > 0)
                .map(|p| total.counts.get(Field::ClassesHeld).cmp(&p)),
            rate_vs_target: total
                .admission_rate
                .zip(plan.and_then(|p| p.target.as_ref()))
                .and_then(|(r, t)| {
                    let shown = r.percent_tenths()?;
                    Some(if shown > tenths_of_percent(t.value.max) {
                        Ordering::Greater
                    } else if shown >= tenths_of_percent(t.value.min) {
                        Ordering::Equal
                    } else {
                        Ordering::Less
                    })
                }),
            active,
            leaders,
            behind,
        }
    }
}

impl<'s> PeriodStats<'s> {
    /// The figures of unit `id`, if it counts in this period.
    pub fn unit(&self, id: &str) -> Option<&UnitFigures<'s>> {
        self.by_id.get(id).and_then(|&i| self.units.get(i))
    }

    pub fn ranked(&self) -> impl Iterator<Item = &UnitFigures<'s>> {
        self.ranking.iter().filter_map(|&i| self.units.get(i))
    }

    pub fn without_admission(&self) -> impl Iterator<Item = &UnitFigures<'s>> {
        self.no_admission.iter().filter_map(|&i| self.units.get(i))
    }

    /// The units directly under the organisation, in `units.yaml` order.
    pub fn top_units(&self) -> impl Iterator<Item = &UnitFigures<'s>> {
        self.top.iter().filter_map(|&i| self.units.get(i))
    }

    /// The sub-units of `u` that count in the period, in `units.yaml` order.
    pub fn children_of(&self, u: &UnitFigures) -> impl Iterator<Item = &UnitFigures<'s>> {
        u.children.iter().filter_map(|&i| self.units.get(i))
    }

    /// Indices of `among` by share of quota, highest first, then by name;
    /// those without a quota left out.
    pub fn rank(&self, among: &[usize]) -> Vec<usize> {
        let units = &self.units;
        let mut ranking: Vec<usize> = among
            .iter()
            .copied()
            .filter(|&i| units.get(i).is_some_and(|u| u.share_of_quota.is_some()))
            .collect();
        ranking.sort_by(|&a, &b| {
            let (ua, ub) = (&units[a], &units[b]);
            let by_share = match (ua.share_of_quota, ub.share_of_quota) {
                (Some(x), Some(y)) => y.cmp_exact(x),
                _ => Ordering::Equal,
            };
            by_share.then_with(|| vi::compare(&ua.unit.name, &ub.unit.name))
        });
        ranking
    }

    /// Indices of `among` that admitted no one, in name order.
    pub fn without_admission_among(&self, among: &[usize]) -> Vec<usize> {
        let units = &self.units;
        let mut out: Vec<usize> = among
            .iter()
            .copied()
            .filter(|&i| units.get(i).is_some_and(|u| u.counts.admitted() == 0))
            .collect();
        out.sort_by(|&a, &b| vi::compare(&units[a].unit.name, &units[b].unit.name));
        out
    }
}

/// Deeper than this, a chain of parents is taken as broken (`check` reports
/// loops); no recursion here can go further.
const MAX_DEPTH: usize = 64;

/// Indexes a site's results once; answers for any period.
pub struct Stats<'s> {
    site: &'s Site,
    reports: BTreeMap<Quarter, &'s QuarterReport>,
    rows: HashMap<(&'s str, Quarter), &'s Row>,
    units: HashMap<&'s str, &'s Unit>,
    /// Parent id → its sub-units, in `units.yaml` order.
    children: HashMap<&'s str, Vec<&'s Unit>>,
}

impl<'s> Stats<'s> {
    pub fn new(site: &'s Site) -> Self {
        let mut reports = BTreeMap::new();
        let mut rows = HashMap::new();
        for report in &site.reports {
            let Some(q) = Quarter::new(report.year.value, report.quarter.value) else {
                continue;
            };
            reports.entry(q).or_insert(report);
        }
        for (&q, report) in &reports {
            for row in &report.rows {
                rows.entry((row.unit.as_str(), q)).or_insert(row);
            }
        }
        let mut units = HashMap::with_capacity(site.units.len());
        for u in &site.units {
            units.entry(u.id.as_str()).or_insert(u);
        }
        let mut children: HashMap<&str, Vec<&Unit>> = HashMap::new();
        for u in &site.units {
            if let Some(p) = &u.parent
                && p.value != u.id.value
            {
                children.entry(p.as_str()).or_default().push(u);
            }
        }
        Stats {
            site,
            reports,
            rows,
            units,
            children,
        }
    }

    fn children(&self, id: &str) -> &[&'s Unit] {
        self.children.get(id).map_or(&[], Vec::as_slice)
    }

    /// Directly under the organisation: no parent, or one `units.yaml`
    /// does not have (`check` reports it).
    /// For a list of units that count in some span: each one's parent
    /// (index in the list, when the parent is in it too) and the indices of
    /// those directly under the organisation. A unit whose parent is not in
    /// the list is neither: it does not count in the organisation's totals
    /// (`check` keeps a sub-unit within its parent's dates).
    fn levels<'u>(
        &self,
        units: impl Iterator<Item = &'u Unit> + Clone,
    ) -> (Vec<Option<usize>>, Vec<usize>) {
        let by_id: HashMap<&str, usize> = units
            .clone()
            .enumerate()
            .map(|(i, u)| (u.id.as_str(), i))
            .collect();
        let mut top = Vec::new();
        let parents = units
            .enumerate()
            .map(|(i, u)| {
                let parent = u
                    .parent
                    .as_ref()
                    .and_then(|p| by_id.get(p.as_str()).copied())
                    .filter(|&p| p != i);
                if parent.is_none() && self.is_top(u) {
                    top.push(i);
                }
                parent
            })
            .collect();
        (parents, top)
    }

    fn is_top(&self, u: &Unit) -> bool {
        u.parent
            .as_ref()
            .is_none_or(|p| !self.units.contains_key(p.as_str()))
    }

    /// A unit's flows in quarter `q`: its own row, else the sum of its
    /// sub-units' (recursively); `None` when neither it nor a sub-unit has
    /// a row.
    fn quarter_flows(&self, id: &str, q: Quarter, depth: usize) -> Option<Counts> {
        if let Some(row) = self.rows.get(&(id, q)) {
            let mut c = Counts::default();
            c.add_row(row);
            return Some(c);
        }
        if depth >= MAX_DEPTH {
            return None;
        }
        let mut sum: Option<Counts> = None;
        for child in self.children(id) {
            if let Some(c) = self.quarter_flows(&child.id, q, depth + 1) {
                sum.get_or_insert_with(Counts::default).add(&c);
            }
        }
        sum
    }

    /// A unit's members at the end of quarter `q`: its own row's, else the
    /// sum over its sub-units active on that day (each must give it).
    fn quarter_members(&self, unit: &Unit, q: Quarter, depth: usize) -> Option<u64> {
        if let Some(row) = self.rows.get(&(unit.id.as_str(), q)) {
            return row.members();
        }
        let end = q.bounds().1;
        let active: Vec<&Unit> = self
            .children(&unit.id)
            .iter()
            .copied()
            .filter(|c| c.active_on(end))
            .collect();
        if depth >= MAX_DEPTH || active.is_empty() {
            return None;
        }
        active
            .iter()
            .map(|c| self.quarter_members(c, q, depth + 1))
            .sum()
    }

    /// `unit`'s quota in `plan`, active in the plan's year: its own, else
    /// the sum of its sub-units' (see [`QuotaFigures`]).
    fn quota_of(&self, plan: &Version<'s>, unit: &Unit, depth: usize) -> Option<QuotaFigures> {
        let (jan1, dec31) = Period::cumulative(plan.root.year.value, 4).bounds();
        if !unit.active_during(jan1, dec31) {
            return None;
        }
        if let Some((q, from)) = plan.quota(unit) {
            return Some(QuotaFigures::of(q, from));
        }
        if depth >= MAX_DEPTH {
            return None;
        }
        let parts: Vec<(&Unit, QuotaFigures)> = self
            .children(&unit.id)
            .iter()
            .filter_map(|c| Some((*c, self.quota_of(plan, c, depth + 1)?)))
            .collect();
        if parts.is_empty() {
            return None;
        }
        // The base is the members on 1 January: of the sub-units active
        // then; none of them, no base (not 0).
        let on_jan1: Vec<Option<u64>> = parts
            .iter()
            .filter(|(c, _)| c.active_on(jan1))
            .map(|(_, q)| q.members_base)
            .collect();
        Some(QuotaFigures {
            admissions: parts.iter().map(|(_, q)| q.admissions).sum(),
            members_base: if on_jan1.is_empty() {
                None
            } else {
                on_jan1.into_iter().sum()
            },
            classes: parts.iter().map(|(_, q)| q.classes).sum(),
            // A sum is measured against all the unit's admissions.
            from: None,
        })
    }

    /// The quotas of `plan` for the units directly under the organisation
    /// (each with its sub-units').
    fn top_quotas(&self, plan: &Version<'s>) -> TopQuotas<'s> {
        self.site
            .units
            .iter()
            .filter(|u| self.is_top(u))
            .filter_map(|u| Some((u, self.quota_of(plan, u, 0)?)))
            .collect()
    }

    /// The organisation's quota of admissions in `plan`: the sum over the
    /// units directly under it, so no quota counts twice.
    pub fn plan_quota(&self, plan: &'s Plan) -> u64 {
        self.top_quotas(&Version::original(plan))
            .iter()
            .map(|(_, q)| q.admissions)
            .sum()
    }

    /// Admitted by unit `id` (with its sub-units) in `period`, if every
    /// quarter of it was reported and has figures for it.
    fn admitted_if_complete(&self, id: &str, period: Period) -> Option<u64> {
        if !self.complete(period) {
            return None;
        }
        period
            .quarters()
            .map(|q| self.quarter_flows(id, q, 0).map(|c| c.admitted()))
            .sum()
    }

    /// Admitted by the whole organisation in `period`, if it was reported
    /// whole: the sum over the units directly under it.
    fn total_admitted_if_complete(&self, period: Period) -> Option<u64> {
        if !self.complete(period) {
            return None;
        }
        Some(
            self.site
                .units
                .iter()
                .filter(|u| self.is_top(u))
                .flat_map(|u| {
                    period
                        .quarters()
                        .filter_map(|q| self.quarter_flows(&u.id, q, 0))
                })
                .map(|c| c.admitted())
                .sum(),
        )
    }

    /// Quarters with results, oldest first.
    pub fn quarters(&self) -> impl Iterator<Item = Quarter> + '_ {
        self.reports.keys().copied()
    }

    pub fn is_reported(&self, q: Quarter) -> bool {
        self.reports.contains_key(&q)
    }

    pub fn report(&self, q: Quarter) -> Option<&'s QuarterReport> {
        self.reports.get(&q).copied()
    }

    /// The plan a period is measured against: the one its latest report
    /// cites (a plan of that year), else the only plan of that year.
    pub fn plan_for(&self, period: Period) -> Option<&'s Plan> {
        let of_year = || {
            self.site
                .plans
                .iter()
                .filter(move |p| p.year.value == period.year)
        };
        let cited = period
            .quarters()
            .filter_map(|q| self.reports.get(&q))
            .last()
            .and_then(|r| of_year().find(|p| p.symbol.value == r.plan.value));
        cited.or_else(|| {
            let mut plans = of_year().filter(|p| p.amends.is_none());
            match (plans.next(), plans.next()) {
                (Some(only), None) => Some(only),
                _ => None,
            }
        })
    }

    /// The plan `plan` amends, up the chain: the plan as first issued.
    pub fn root_of(&self, plan: &'s Plan) -> &'s Plan {
        plan.root(&self.site.plans)
    }

    /// The version of the plan cited for `period` in force on its last
    /// day: the plan as first issued and its amendments in effect by then.
    pub fn version_for(&self, period: Period) -> Option<Version<'s>> {
        let root = self.root_of(self.plan_for(period)?);
        let last_day = period.bounds().1;
        let mut version = self.family_on(root, last_day);
        // The other plans of the year that amend nothing and share no unit
        // with those already in (SPEC §2.3: disjoint sets of units).
        let mut taken: HashSet<&str> = version.units().collect();
        for other in self.site.plans.iter().filter(|p| {
            p.year.value == root.year.value && p.amends.is_none() && !std::ptr::eq(*p, root)
        }) {
            let family = self.family_on(other, last_day);
            if family.units().all(|u| !taken.contains(u)) {
                taken.extend(family.units());
                version.others.push(family);
            }
        }
        Some(version)
    }

    /// The plan `root` with its amendments in effect on `day`.
    fn family_on(&self, root: &'s Plan, day: NaiveDate) -> Version<'s> {
        let last_day = day;
        let mut amendments: Vec<&Plan> = self
            .site
            .plans
            .iter()
            .filter(|p| {
                p.amends.is_some()
                    && p.year.value == root.year.value
                    && !std::ptr::eq(*p, root)
                    && std::ptr::eq(self.root_of(p), root)
                    && p.in_force_from() <= last_day
            })
            .collect();
        amendments.sort_by_key(|p| p.effect_order());
        Version {
            root,
            amendments,
            others: Vec::new(),
        }
    }

    fn complete(&self, period: Period) -> bool {
        period.quarters().all(|q| self.reports.contains_key(&q))
    }

    pub fn period(&self, period: Period) -> PeriodStats<'s> {
        let reported: Vec<Quarter> = period.quarters().filter(|q| self.is_reported(*q)).collect();
        let version = self.version_for(period);
        let plan = version.as_ref().map(|v| v.root);
        let (from, to) = period.bounds();
        let end = reported.last().map_or(to, |q| q.bounds().1);
        let end_quarter = reported.last().copied();
        let (jan1, _) = Period::cumulative(period.year, 4).bounds();
        let previous = period.previous_year();

        let mut units = Vec::new();
        for unit in &self.site.units {
            let id = unit.id.as_str();
            let flows: Vec<(Quarter, Counts)> = reported
                .iter()
                .filter_map(|q| Some((*q, self.quarter_flows(id, *q, 0)?)))
                .collect();
            if flows.is_empty() && !unit.active_during(from, to) {
                continue;
            }
            let mut counts = Counts::default();
            flows.iter().for_each(|(_, c)| counts.add(c));
            let active_at_end = unit.active_on(end);
            let members = match (active_at_end, end_quarter) {
                (true, Some(q)) => self.quarter_members(unit, q, 0),
                _ => None,
            };
            let quota = version.as_ref().and_then(|v| self.quota_of(v, unit, 0));
            // Against a quota an amendment gave, only the admissions of the
            // quarters it covers count.
            let counted: u64 = match quota.and_then(|q| q.from) {
                Some(start) => flows
                    .iter()
                    .filter(|(q, _)| q.bounds().1 >= start)
                    .map(|(_, c)| c.admitted())
                    .sum(),
                None => counts.admitted(),
            };
            let share_of_quota = quota.and_then(|q| Ratio::of(counted, q.admissions));
            let admission_rate = quota
                .and_then(|q| q.members_base)
                .and_then(|base| Ratio::of(counted, base));
            let previous_admitted = self.admitted_if_complete(id, previous);
            let growth =
                previous_admitted.and_then(|before| Ratio::growth(counts.admitted(), before));
            units.push(UnitFigures {
                unit,
                parent: None,
                children: Vec::new(),
                counts,
                rows: flows.len(),
                active_at_end,
                members,
                quota,
                share_of_quota,
                admission_rate,
                previous_admitted,
                growth,
            });
        }
        let (parents, top) = self.levels(units.iter().map(|u| u.unit));
        for (i, parent) in parents.into_iter().enumerate() {
            units[i].parent = parent;
            if let Some(p) = parent {
                units[p].children.push(i);
            }
        }

        let mut counts = Counts::default();
        for &i in &top {
            counts.add(&units[i].counts);
        }
        let members = if end_quarter.is_some() {
            top.iter()
                .map(|&i| &units[i])
                .filter(|u| u.active_at_end)
                .map(|u| u.members)
                .sum::<Option<u64>>()
        } else {
            None
        };
        // The year's quota and base belong to the plan's year, not to the
        // period: a unit dissolved in June still counts in the year's quota
        // seen from September, a commune created in July already counts in
        // it seen from March.
        // As first issued: an amendment does not raise the year's quota
        // unless it sets the organisation's own target.
        // Each plan of the year counts for its own units.
        let by_plan: Vec<(Option<u64>, TopQuotas)> = version
            .as_ref()
            .map(|v| {
                v.families()
                    .map(|f| {
                        (
                            f.target_admissions(),
                            self.top_quotas(&Version::original(f.root)),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        let year_quotas: Vec<(&Unit, QuotaFigures)> = by_plan
            .iter()
            .flat_map(|(_, q)| q.iter().copied())
            .collect();
        // The organisation's own target count when the plan sets one, else
        // the sum over the units directly under it (SPEC §2.3).
        let quota = plan.map(|_| {
            by_plan
                .iter()
                .map(|(target, quotas)| {
                    target.unwrap_or_else(|| quotas.iter().map(|(_, q)| q.admissions).sum::<u64>())
                })
                .sum::<u64>()
        });
        let members_base = plan.and_then(|_| {
            year_quotas
                .iter()
                .filter(|(u, _)| u.active_on(jan1))
                .map(|(_, q)| q.members_base)
                .sum::<Option<u64>>()
        });
        // Classes are planned for the whole year: the new units' classes an
        // amendment gives add to the year's plan.
        let classes_planned = version.as_ref().and_then(|v| {
            v.families()
                .flat_map(|f| self.top_quotas(f))
                .map(|(_, q)| q.classes)
                .sum::<Option<u64>>()
        });
        let previous_admitted = self.total_admitted_if_complete(previous);
        let total = Totals {
            counts,
            members,
            quota,
            members_base,
            classes_planned,
            share_of_quota: quota.and_then(|q| Ratio::of(counts.admitted(), q)),
            admission_rate: members_base.and_then(|b| Ratio::of(counts.admitted(), b)),
            previous_admitted,
            growth: previous_admitted.and_then(|b| Ratio::growth(counts.admitted(), b)),
        };

        let mut stats = PeriodStats {
            period,
            plan,
            amendments: version
                .as_ref()
                .map(|v| {
                    v.families()
                        .flat_map(|f| f.amendments.iter().copied())
                        .collect()
                })
                .unwrap_or_default(),
            complete: reported.len() == period.quarters().count(),
            reported,
            units,
            top,
            total,
            ranking: Vec::new(),
            no_admission: Vec::new(),
            standing: Standing::default(),
            by_id: HashMap::new(),
        };
        stats.ranking = stats.rank(&stats.top);
        stats.no_admission = stats.without_admission_among(&stats.top);
        stats.standing = stats.standing(version.as_ref().map(|v| v.root));
        stats.by_id = stats
            .units
            .iter()
            .enumerate()
            .map(|(i, u)| (u.unit.id.as_str(), i))
            .collect();
        stats
    }

    /// Every period with results: each reported quarter, and for each year
    /// the cumulative periods up to each reported quarter after the first.
    pub fn periods(&self) -> Vec<Period> {
        let mut out = Vec::new();
        for q in self.quarters() {
            out.push(Period::quarter(q));
            if q.q > 1 {
                out.push(Period::cumulative(q.year, q.q));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{FileId, Loc, Sp};
    use crate::vi::DocSymbol;

    fn sp<T>(v: T) -> Sp<T> {
        Sp::new(v, Loc::default())
    }

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or(NaiveDate::MIN)
    }

    fn unit(id: &str, name: &str, from: Option<&str>, until: Option<&str>) -> Unit {
        Unit {
            id: sp(id.into()),
            name: sp(name.into()),
            short_name: None,
            kind: None,
            parent: None,
            active_from: from.map(|d| sp(date(d))),
            active_until: until.map(|d| sp(date(d))),
            within: crate::model::Within {
                from: from.map(date),
                until: until.map(date),
            },
            successors: vec![],
            loc: Loc::default(),
        }
    }

    /// admitted, women, members, removed
    fn row(id: &str, admitted: u64, women: u64, members: Option<u64>, removed: u64) -> Row {
        let mut values: [Option<Sp<u64>>; 12] = Default::default();
        values[Field::Admitted.index()] = Some(sp(admitted));
        values[Field::Women.index()] = Some(sp(women));
        values[Field::Members.index()] = members.map(sp);
        values[Field::Removed.index()] = Some(sp(removed));
        Row {
            unit: sp(id.into()),
            values,
            loc: Loc::default(),
        }
    }

    fn symbol(s: &str) -> Sp<DocSymbol> {
        sp(DocSymbol::parse(s).unwrap_or_else(|e| panic!("{s}: {e:?}")))
    }

    fn report(year: i32, q: u8, plan: &str, rows: Vec<Row>) -> QuarterReport {
        QuarterReport {
            year: sp(year),
            quarter: sp(q),
            plan: symbol(plan),
            reported: None,
            rows,
            file: FileId(0),
            path_period: None,
        }
    }

    fn quota(id: &str, admissions: u64, base: u64) -> Quota {
        Quota {
            unit: sp(id.into()),
            admissions: sp(admissions),
            members_base: Some(sp(base)),
            classes: Some(sp(2)),
            loc: Loc::default(),
        }
    }

    fn plan(year: i32, sym: &str, quotas: Vec<Quota>) -> Plan {
        Plan {
            symbol: symbol(sym),
            kind_name: sp("Kế hoạch".into()),
            title: sp("về kết nạp đảng viên".into()),
            issuer: sp("Ban Thường vụ Tỉnh ủy".into()),
            issued: sp(date(&format!("{year}-01-31"))),
            year: sp(year),
            bases: vec![],
            target: None,
            target_admissions: None,
            amends: None,
            effective: None,
            tasks: vec![],
            quotas,
            file: FileId(0),
        }
    }

    /// Two years; a district dissolved on 31/01/2024 with its members going
    /// to a commune created on 01/02/2024.
    fn site() -> Site {
        Site {
            units: vec![
                unit(
                    "ngan-son",
                    "Đảng bộ huyện Ngân Sơn",
                    None,
                    Some("2024-01-31"),
                ),
                unit("an-thinh", "Đảng bộ xã Ân Thịnh", None, None),
                unit("bac-son", "Đảng bộ xã Bắc Sơn", Some("2024-02-01"), None),
            ],
            plans: vec![
                plan(
                    2023,
                    "366-KH/TU",
                    vec![quota("ngan-son", 120, 3000), quota("an-thinh", 40, 1000)],
                ),
                plan(
                    2024,
                    "12-KH/TU",
                    vec![
                        quota("ngan-son", 10, 3100),
                        quota("an-thinh", 40, 1030),
                        quota("bac-son", 110, 3100),
                    ],
                ),
            ],
            reports: vec![
                report(
                    2023,
                    1,
                    "366-KH/TU",
                    vec![
                        row("ngan-son", 30, 12, Some(3020), 2),
                        row("an-thinh", 0, 0, Some(1000), 0),
                    ],
                ),
                report(
                    2023,
                    2,
                    "366-KH/TU",
                    vec![
                        row("ngan-son", 40, 20, Some(3055), 1),
                        row("an-thinh", 12, 6, Some(1011), 1),
                    ],
                ),
                report(
                    2024,
                    1,
                    "12-KH/TU",
                    vec![
                        row("ngan-son", 5, 1, Some(3100), 0),
                        row("an-thinh", 8, 4, Some(1035), 0),
                        row("bac-son", 20, 9, Some(3118), 1),
                    ],
                ),
                report(
                    2024,
                    2,
                    "12-KH/TU",
                    vec![
                        row("an-thinh", 9, 3, Some(1043), 1),
                        row("bac-son", 50, 25, Some(3160), 2),
                    ],
                ),
            ],
            ..Site::default()
        }
    }

    #[test]
    fn quarter_and_period_labels_and_bounds() {
        let q = Quarter { year: 2023, q: 1 };
        assert_eq!(q.label(), "quý I/2023");
        assert_eq!(q.bounds(), (date("2023-01-01"), date("2023-03-31")));
        assert_eq!(Quarter { year: 2024, q: 4 }.bounds().1, date("2024-12-31"));
        assert_eq!(
            Quarter { year: 2023, q: 4 }.next(),
            Quarter { year: 2024, q: 1 }
        );
        assert_eq!(Period::cumulative(2023, 2).label(), "6 tháng đầu năm 2023");
        assert_eq!(Period::cumulative(2023, 3).label(), "9 tháng đầu năm 2023");
        assert_eq!(Period::cumulative(2023, 4).label(), "năm 2023");
        assert_eq!(Period::quarter(q).label(), "quý I/2023");
        assert_eq!(
            Period::cumulative(2024, 2).bounds(),
            (date("2024-01-01"), date("2024-06-30"))
        );
    }

    #[test]
    fn a_quarter_by_hand() {
        let site = site();
        let stats = Stats::new(&site);
        let s = stats.period(Period::quarter(Quarter { year: 2023, q: 1 }));
        assert_eq!(
            s.plan.map(|p| p.symbol.to_string()),
            Some("366-KH/TU".into())
        );
        assert_eq!(s.units.len(), 2, "bac-son did not exist in 2023");
        assert_eq!(s.total.counts.admitted(), 30);
        assert_eq!(s.total.quota, Some(160));
        // 30 / 160 = 18,75% → 18,8%
        assert_eq!(
            s.total.share_of_quota.map(Ratio::percent),
            Some("18,8%".into())
        );
        // 30 / 4000 = 0,75% → 0,8%
        assert_eq!(
            s.total.admission_rate.map(Ratio::percent),
            Some("0,8%".into())
        );
        assert_eq!(s.total.members, Some(4020));
        assert_eq!(
            s.total
                .counts
                .share_of_admitted(Field::Women)
                .map(Ratio::percent),
            Some("40,0%".into())
        );
        assert_eq!(s.total.growth, None, "2022 has no results");
        let ngan_son = &s.units[0];
        // 30 / 120 = 25%
        assert_eq!(
            ngan_son.share_of_quota.map(Ratio::percent),
            Some("25,0%".into())
        );
        assert_eq!(
            ngan_son.admission_rate.map(Ratio::percent),
            Some("1,0%".into())
        );
        assert_eq!(
            s.ranked().map(|u| u.unit.id.as_str()).collect::<Vec<_>>(),
            ["ngan-son", "an-thinh"]
        );
        assert_eq!(
            s.without_admission()
                .map(|u| u.unit.id.as_str())
                .collect::<Vec<_>>(),
            ["an-thinh"]
        );
    }

    #[test]
    fn a_cumulative_period_sums_flows_and_takes_stocks_at_the_end() {
        let site = site();
        let stats = Stats::new(&site);
        let s = stats.period(Period::cumulative(2023, 2));
        assert!(s.complete);
        assert_eq!(s.total.counts.admitted(), 82);
        assert_eq!(s.total.counts.get(Field::Women), 38);
        assert_eq!(s.total.counts.get(Field::Removed), 4);
        // Members at 30/06, not a sum over quarters.
        assert_eq!(s.total.members, Some(3055 + 1011));
        // 82 / 160 = 51,25% → 51,3%
        assert_eq!(
            s.total.share_of_quota.map(Ratio::percent),
            Some("51,3%".into())
        );
        assert!(s.no_admission.is_empty());
    }

    #[test]
    fn a_unit_dissolved_mid_quarter_is_not_counted_twice() {
        let site = site();
        let stats = Stats::new(&site);
        let s = stats.period(Period::quarter(Quarter { year: 2024, q: 1 }));
        // Flows: every row, including the district's January.
        assert_eq!(s.total.counts.admitted(), 33);
        // Stock at 31/03: the district's members are in the commune now.
        assert_eq!(s.total.members, Some(1035 + 3118));
        let ngan_son = s.units.iter().find(|u| u.unit.id.value == "ngan-son");
        assert_eq!(
            ngan_son.map(|u| (u.active_at_end, u.members)),
            Some((false, None))
        );
        // Base: units active on 01/01/2024 only; the commune's base is its predecessor's.
        assert_eq!(s.total.members_base, Some(3100 + 1030));
        assert_eq!(s.total.quota, Some(160));
        // 33 / 4130 = 0,799...% → 0,8%
        assert_eq!(
            s.total.admission_rate.map(Ratio::percent),
            Some("0,8%".into())
        );
        // Growth on Q1/2023: (33 − 30) / 30 = +10%
        assert_eq!(s.total.growth.map(Ratio::percent), Some("10,0%".into()));
        let an_thinh = s.units.iter().find(|u| u.unit.id.value == "an-thinh");
        assert_eq!(
            an_thinh.and_then(|u| u.growth),
            None,
            "0 admitted a year ago: no growth rate"
        );
        let bac_son = s.units.iter().find(|u| u.unit.id.value == "bac-son");
        assert_eq!(bac_son.and_then(|u| u.previous_admitted), None);
    }

    #[test]
    fn the_years_quota_and_base_do_not_depend_on_the_period() {
        let site = site();
        let stats = Stats::new(&site);
        // Q2/2024: the district is gone, but its January quota and its
        // 01/01 base still belong to the year.
        let s = stats.period(Period::quarter(Quarter { year: 2024, q: 2 }));
        assert_eq!(s.units.len(), 2);
        assert_eq!(s.total.quota, Some(160));
        assert_eq!(s.total.members_base, Some(3100 + 1030));
        assert_eq!(s.total.classes_planned, Some(1 + 2 + 3));
        // 59 / 160 = 36,875% → 36,9%
        assert_eq!(
            s.total.share_of_quota.map(Ratio::percent),
            Some("36,9%".into())
        );
    }

    #[test]
    fn growth_can_be_negative_and_ranking_breaks_ties_by_name() {
        let site = site();
        let stats = Stats::new(&site);
        let s = stats.period(Period::cumulative(2024, 2));
        // 2024 H1: 5 + 8 + 20 + 9 + 50 = 92; 2023 H1: 82 → +12,195% → 12,2%
        assert_eq!(s.total.counts.admitted(), 92);
        assert_eq!(s.total.growth.map(Ratio::percent), Some("12,2%".into()));
        let an_thinh = s.units.iter().find(|u| u.unit.id.value == "an-thinh");
        // 17 vs 12 → 41,7%
        assert_eq!(
            an_thinh.and_then(|u| u.growth).map(Ratio::percent),
            Some("41,7%".into())
        );
        let ngan_son = s.units.iter().find(|u| u.unit.id.value == "ngan-son");
        // 5 vs 70 → −92,9%
        assert_eq!(
            ngan_son.and_then(|u| u.growth).map(Ratio::percent),
            Some("-92,9%".into())
        );
        // Shares: ngan-son 5/10 = 50%, an-thinh 17/40 = 42,5%, bac-son 70/110 = 63,6%
        assert_eq!(
            s.ranked().map(|u| u.unit.id.as_str()).collect::<Vec<_>>(),
            ["bac-son", "ngan-son", "an-thinh"]
        );
    }

    #[test]
    fn equal_shares_rank_in_vietnamese_name_order() {
        let mut site = site();
        site.reports.truncate(1);
        site.reports[0].rows = vec![
            row("ngan-son", 30, 0, None, 0),
            row("an-thinh", 10, 0, None, 0),
        ];
        let stats = Stats::new(&site);
        let s = stats.period(Period::quarter(Quarter { year: 2023, q: 1 }));
        // 30/120 = 10/40 = 25%: "Đảng bộ huyện Ngân Sơn" < "Đảng bộ xã Ân Thịnh" (h < x)
        assert_eq!(
            s.ranked().map(|u| u.unit.id.as_str()).collect::<Vec<_>>(),
            ["ngan-son", "an-thinh"]
        );
        assert_eq!(s.total.members, None, "members not reported");
    }

    #[test]
    fn incomplete_periods_say_so() {
        let mut site = site();
        site.reports.remove(1);
        let stats = Stats::new(&site);
        let s = stats.period(Period::cumulative(2023, 2));
        assert!(!s.complete);
        assert_eq!(s.reported, vec![Quarter { year: 2023, q: 1 }]);
        let h1_2024 = stats.period(Period::cumulative(2024, 2));
        assert_eq!(h1_2024.total.growth, None, "H1/2023 is incomplete");
        assert_eq!(
            stats.periods(),
            vec![
                Period::quarter(Quarter { year: 2023, q: 1 }),
                Period::quarter(Quarter { year: 2024, q: 1 }),
                Period::quarter(Quarter { year: 2024, q: 2 }),
                Period::cumulative(2024, 2),
            ]
        );
    }

    #[test]
    fn ratios_compare_exactly() {
        let a = Ratio { num: 1, den: 3 };
        let b = Ratio {
            num: 333_333,
            den: 1_000_000,
        };
        assert_eq!(a.cmp_exact(b), Ordering::Greater);
        assert_eq!(Ratio::new(1, 0), None);
        assert_eq!(Ratio::growth(0, 0), None);
    }

    // ---- levels (SPEC §2.2), every figure computed by hand ----

    fn sub(id: &str, parent: &str, from: Option<&str>, until: Option<&str>) -> Unit {
        let mut u = unit(id, id, from, until);
        u.parent = Some(sp(parent.into()));
        u
    }

    fn plain_quota(id: &str, admissions: u64, base: u64) -> Quota {
        Quota {
            classes: None,
            ..quota(id, admissions, base)
        }
    }

    /// Three levels: a district with its own rows and its communes' rows as
    /// detail; a Khối without rows of its own, with a grassroots committee
    /// (rows) and another without rows whose two cells (chi bộ) report.
    fn levels() -> Site {
        let mut units = vec![
            unit("huyen-a", "Đảng bộ huyện A", None, None),
            sub("xa-a1", "huyen-a", None, None),
            sub("xa-a2", "huyen-a", None, None),
            unit("khoi", "Đảng bộ Khối", None, None),
            sub("co-so-1", "khoi", None, None),
            sub("co-so-2", "khoi", None, None),
            sub("chi-bo-x", "co-so-2", None, None),
            sub("chi-bo-y", "co-so-2", None, None),
        ];
        crate::load::units::within_parents(&mut units);
        Site {
            units,
            plans: vec![plan(
                2023,
                "366-KH/TU",
                vec![
                    plain_quota("huyen-a", 100, 2000),
                    plain_quota("xa-a1", 30, 500),
                    plain_quota("xa-a2", 40, 600),
                    plain_quota("co-so-1", 20, 300),
                    plain_quota("chi-bo-x", 5, 80),
                    plain_quota("chi-bo-y", 10, 120),
                ],
            )],
            reports: vec![
                report(
                    2023,
                    1,
                    "366-KH/TU",
                    vec![
                        row("huyen-a", 25, 10, Some(2010), 0),
                        row("xa-a1", 8, 3, Some(505), 0),
                        row("xa-a2", 12, 5, Some(604), 0),
                        row("co-so-1", 6, 2, Some(302), 0),
                        row("chi-bo-x", 2, 1, Some(81), 0),
                        row("chi-bo-y", 3, 2, Some(121), 0),
                    ],
                ),
                report(
                    2023,
                    2,
                    "366-KH/TU",
                    vec![
                        row("huyen-a", 30, 12, Some(2035), 1),
                        row("co-so-1", 4, 1, Some(305), 0),
                        row("chi-bo-x", 1, 0, Some(82), 0),
                    ],
                ),
            ],
            ..Site::default()
        }
    }

    #[test]
    fn a_unit_is_its_own_row_else_the_sum_of_its_sub_units() {
        let site = levels();
        let stats = Stats::new(&site);
        let q1 = stats.period(Period::quarter(Quarter { year: 2023, q: 1 }));
        let get = |id: &str| q1.unit(id).unwrap_or_else(|| panic!("{id}"));
        // Its own row: 25, not 25 + 8 + 12.
        let a = get("huyen-a");
        assert_eq!(a.counts.admitted(), 25);
        assert_eq!(a.members, Some(2010));
        assert_eq!(a.quota.map(|q| q.admissions), Some(100));
        assert_eq!(a.share_of_quota, Ratio::new(25, 100));
        // co-so-2: chi bộ x + y = 2 + 3, women 1 + 2, members 81 + 121,
        // quota 5 + 10, base 80 + 120.
        let c2 = get("co-so-2");
        assert_eq!(c2.counts.admitted(), 5);
        assert_eq!(c2.counts.get(Field::Women), 3);
        assert_eq!(c2.members, Some(202));
        assert_eq!(
            c2.quota,
            Some(QuotaFigures {
                admissions: 15,
                members_base: Some(200),
                classes: None,
                from: None,
            })
        );
        // The Khối: 6 + 5 = 11, women 2 + 3, members 302 + 202, quota
        // 20 + 15 = 35, base 300 + 200 = 500: 31,4% of quota, rate 2,2%.
        let k = get("khoi");
        assert_eq!(k.counts.admitted(), 11);
        assert_eq!(k.counts.get(Field::Women), 5);
        assert_eq!(k.members, Some(504));
        assert_eq!(k.share_of_quota, Ratio::new(11, 35));
        assert_eq!(k.admission_rate, Ratio::new(11, 500));
        assert_eq!(
            k.children
                .iter()
                .map(|&i| q1.units[i].unit.id.as_str())
                .collect::<Vec<_>>(),
            ["co-so-1", "co-so-2"]
        );
        // The organisation: the district and the Khối, nothing twice:
        // 25 + 11 = 36 admitted, 10 + 5 women, 2010 + 504 members,
        // quota 100 + 35 = 135, base 2000 + 500 = 2500.
        assert_eq!(q1.total.counts.admitted(), 36);
        assert_eq!(q1.total.counts.get(Field::Women), 15);
        assert_eq!(q1.total.members, Some(2514));
        assert_eq!(q1.total.quota, Some(135));
        assert_eq!(q1.total.members_base, Some(2500));
        assert_eq!(q1.total.share_of_quota, Ratio::new(36, 135));
        assert_eq!(q1.total.admission_rate, Ratio::new(36, 2500));
        // Rankings are among the units directly under the organisation:
        // the Khối (31,4%) before the district (25,0%).
        let ranked: Vec<&str> = q1.ranked().map(|u| u.unit.id.as_str()).collect();
        assert_eq!(ranked, ["khoi", "huyen-a"]);
        // Among the Khối's units: co-so-1 6/20 = 30%, co-so-2 5/15 = 33,3%.
        let khoi_children = &k.children;
        let among: Vec<&str> = q1
            .rank(khoi_children)
            .into_iter()
            .map(|i| q1.units[i].unit.id.as_str())
            .collect();
        assert_eq!(among, ["co-so-2", "co-so-1"]);
    }

    #[test]
    fn cumulative_periods_and_stocks_roll_up_quarter_by_quarter() {
        let site = levels();
        let stats = Stats::new(&site);
        let h1 = stats.period(Period::cumulative(2023, 2));
        let get = |id: &str| h1.unit(id).unwrap_or_else(|| panic!("{id}"));
        // huyen-a: 25 + 30; Khối: Q1 11, Q2 co-so-1 4 + co-so-2 (chi bộ x
        // 1) = 5: 16; the organisation 55 + 16 = 71.
        assert_eq!(get("huyen-a").counts.admitted(), 55);
        assert_eq!(get("khoi").counts.admitted(), 16);
        assert_eq!(h1.total.counts.admitted(), 71);
        assert_eq!(h1.total.counts.get(Field::Removed), 1);
        // Members at 30/06: chi bộ y did not report, so co-so-2, the Khối
        // and the organisation have no count; the district has its own.
        assert_eq!(get("co-so-2").members, None);
        assert_eq!(get("khoi").members, None);
        assert_eq!(get("huyen-a").members, Some(2035));
        assert_eq!(h1.total.members, None);
        // Year to date against the year's quota: 71/135, 16/35.
        assert_eq!(h1.total.share_of_quota, Ratio::new(71, 135));
        assert_eq!(get("khoi").share_of_quota, Ratio::new(16, 35));
    }

    /// The 2025 reform: a district and its communes end on 30/06, a new
    /// commune directly under the province begins on 01/07.
    #[test]
    fn a_level_change_counts_each_admission_once() {
        let mut units = vec![
            unit("huyen-c", "Đảng bộ huyện C", None, Some("2025-06-30")),
            sub("xa-c1", "huyen-c", None, None),
            sub("xa-c2", "huyen-c", None, None),
            unit("xa-moi", "Đảng bộ xã Mới", Some("2025-07-01"), None),
        ];
        crate::load::units::within_parents(&mut units);
        // The communes end with their district.
        assert_eq!(units[1].dissolved(), Some(date("2025-06-30")));
        let site = Site {
            units,
            plans: vec![plan(
                2025,
                "12-KH/TU",
                vec![
                    plain_quota("huyen-c", 50, 1000),
                    plain_quota("xa-moi", 20, 0),
                ],
            )],
            reports: vec![
                report(
                    2025,
                    1,
                    "12-KH/TU",
                    vec![
                        row("xa-c1", 3, 1, Some(400), 0),
                        row("xa-c2", 4, 2, Some(610), 0),
                    ],
                ),
                report(
                    2025,
                    2,
                    "12-KH/TU",
                    vec![
                        row("xa-c1", 5, 2, Some(405), 0),
                        row("xa-c2", 7, 3, Some(617), 0),
                    ],
                ),
                report(
                    2025,
                    3,
                    "12-KH/TU",
                    vec![row("xa-moi", 9, 4, Some(1030), 0)],
                ),
            ],
            ..Site::default()
        };
        let stats = Stats::new(&site);
        let q2 = stats.period(Period::quarter(Quarter { year: 2025, q: 2 }));
        // The district has no row: 5 + 7 from its communes; members
        // 405 + 617 at 30/06.
        let c = q2.unit("huyen-c").unwrap_or_else(|| panic!("huyen-c"));
        assert_eq!(c.counts.admitted(), 12);
        assert_eq!(c.members, Some(1022));
        assert_eq!(q2.total.counts.admitted(), 12);
        assert_eq!(q2.total.members, Some(1022));
        let nine = stats.period(Period::cumulative(2025, 3));
        // 3 + 4 + 5 + 7 + 9 = 28 against 50 + 20 = 70: 40,0%.
        assert_eq!(nine.total.counts.admitted(), 28);
        assert_eq!(nine.total.quota, Some(70));
        assert_eq!(nine.total.share_of_quota, Ratio::new(28, 70));
        // Members at 30/09: only the new commune is active.
        assert_eq!(nine.total.members, Some(1030));
        // The base counts units active on 01/01 only: the district's 1000.
        assert_eq!(nine.total.members_base, Some(1000));
        let q3 = stats.period(Period::quarter(Quarter { year: 2025, q: 3 }));
        assert!(q3.unit("xa-c1").is_none(), "ended with its district");
        assert_eq!(q3.top_units().count(), 1);
    }
}
