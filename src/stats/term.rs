//! A term of office so far (SPEC §2.4a): what was admitted from the
//! term's first quarter, the yearly average and the average rate, each
//! against the congress's target, in total and per unit.
//!
//! The rules, for editors in docs/huong-dan.md §4.3 ("Nhiệm kỳ"):
//! - a quarter belongs to the term its last day falls in: a term that
//!   begins mid-quarter counts from that quarter, and the term before it
//!   ends with the quarter before (figures are reported by quarter and
//!   cannot be split);
//! - the yearly average is what was admitted divided by the years its
//!   reported quarters make (quarters ÷ 4);
//! - the average rate is the mean, over those years, of each calendar
//!   year's admissions against the members at 31/12 of the year before: the
//!   sum of the years' rates divided by the years elapsed, so a year the
//!   term covers in part weighs by its quarters;
//! - averages need a year of figures (four quarters): before that, and for
//!   a unit active less than a year of the term, there are none.

use std::cmp::Ordering;

use chrono::{Datelike, NaiveDate};

use super::{Period, PeriodStats, Quarter, Ratio, Stats};
use crate::model::{Term, Unit};

impl Quarter {
    /// The quarter day `d` falls in.
    pub fn of(d: NaiveDate) -> Quarter {
        Quarter {
            year: d.year(),
            q: (d.month0() / 3 + 1) as u8,
        }
    }
}

/// The term's first quarter and its last (`None` while it has no end):
/// the quarters whose last day falls within it. `None` when there is no
/// such quarter.
pub fn term_quarters(term: &Term) -> Option<(Quarter, Option<Quarter>)> {
    let first = Quarter::of(term.from.value);
    let Some(until) = term.until.as_ref().map(|u| u.value) else {
        return Some((first, None));
    };
    let mut last = Quarter::of(until);
    if last.bounds().1 != until {
        last = last.previous();
    }
    (first <= last).then_some((first, Some(last)))
}

/// One calendar year of a term so far.
#[derive(Clone, Debug)]
pub struct TermYear {
    pub year: i32,
    /// Its quarters in the term that have results.
    pub reported: Vec<Quarter>,
    pub admitted: u64,
    /// Members at 31/12 of the year before (the year's plan).
    pub members_base: Option<u64>,
    /// `admitted` / `members_base`.
    pub rate: Option<Ratio>,
}

/// What was admitted over a term so far, by the whole organisation or one
/// unit, and its averages.
#[derive(Clone, Debug, Default)]
pub struct TermFigures {
    pub admitted: u64,
    /// Reported quarters counted (a unit's: those it was active in).
    pub quarters: usize,
    /// Admitted in a year, on average: `admitted` × 4 / `quarters`; `None`
    /// under four quarters (as `rate`).
    pub per_year: Option<Ratio>,
    /// The yearly admission rate, on average (module comment); `None`
    /// when a year's members at its start are not known.
    pub rate: Option<Ratio>,
    /// `admitted` / the term's target (the organisation's only).
    pub share_of_target: Option<Ratio>,
    /// `per_year` / the target per year.
    pub per_year_of_target: Option<Ratio>,
    /// `per_year` as printed (a whole number) against the target per year.
    pub per_year_vs_target: Option<Ordering>,
    /// `rate` as printed (one decimal) against the target rate: a verdict
    /// never contradicts the figures beside it ("3,5%, chưa đạt 3,5%").
    pub rate_vs_target: Option<Ordering>,
}

impl TermFigures {
    /// From each year's (admitted, rate when known) over `quarters`.
    fn of(years: &[(u64, Option<Ratio>)], quarters: usize) -> Self {
        let admitted = years.iter().map(|(a, _)| a).sum::<u64>();
        let rates: Option<Vec<Ratio>> = years.iter().map(|(_, r)| *r).collect();
        let q = quarters as i64;
        // Less than a year of figures says little about a year.
        let averaged = quarters >= 4;
        TermFigures {
            admitted,
            quarters,
            per_year: Ratio::new(admitted as i64 * 4, q).filter(|_| averaged),
            rate: rates
                .filter(|_| averaged)
                .and_then(|r| Ratio::sum(&r))
                .and_then(|sum| Ratio::scaled(sum, 4, q)),
            ..TermFigures::default()
        }
    }

    fn against(mut self, term: &Term) -> Self {
        self.share_of_target = term
            .target_admissions
            .as_ref()
            .and_then(|t| Ratio::new(self.admitted as i64, t.value as i64));
        self.per_year_of_target = term.target_per_year.as_ref().and_then(|t| {
            Ratio::new(
                self.admitted as i64 * 4,
                self.quarters as i64 * t.value as i64,
            )
        });
        self.per_year_vs_target = term.target_per_year.as_ref().and_then(|t| {
            let per_year = self.per_year?;
            let shown =
                crate::vi::round_half_up(i128::from(per_year.num), i128::from(per_year.den), 0)?;
            Some(shown.cmp(&i128::from(t.value)))
        });
        self.rate_vs_target = term.target_rate.as_ref().and_then(|t| {
            Some(
                self.rate?
                    .percent_tenths()?
                    .cmp(&super::tenths_of_percent(t.value)),
            )
        });
        self
    }
}

/// One unit over a term so far.
#[derive(Clone, Debug)]
pub struct TermUnit<'s> {
    pub unit: &'s Unit,
    /// Index in [`TermStats::units`] of its parent, when it counts too.
    pub parent: Option<usize>,
    /// Indices of its sub-units, in `units.yaml` order.
    pub children: Vec<usize>,
    pub figures: TermFigures,
    /// The first and last reported quarter it was active in.
    pub first: Option<Quarter>,
    pub last: Option<Quarter>,
}

/// A term seen from one quarter: the figures from its first quarter to
/// that one.
#[derive(Clone, Debug)]
pub struct TermStats<'s> {
    pub term: &'s Term,
    /// The term's quarters up to the one it is seen from.
    pub quarters: Vec<Quarter>,
    /// Those of them with results.
    pub reported: Vec<Quarter>,
    /// Seen from its last quarter.
    pub ended: bool,
    pub years: Vec<TermYear>,
    pub total: TermFigures,
    /// Units with figures in the term so far, every level, `units.yaml` order.
    pub units: Vec<TermUnit<'s>>,
    /// Indices into `units` of those directly under the organisation.
    pub top: Vec<usize>,
}

impl<'s> TermStats<'s> {
    /// The quarters of the term so far without results.
    pub fn missing(&self) -> impl Iterator<Item = Quarter> + '_ {
        self.quarters
            .iter()
            .copied()
            .filter(|q| !self.reported.contains(q))
    }

    pub fn top_units(&self) -> impl Iterator<Item = &TermUnit<'s>> {
        self.top.iter().filter_map(|&i| self.units.get(i))
    }

    pub fn children_of(&self, u: &TermUnit) -> impl Iterator<Item = &TermUnit<'s>> {
        u.children.iter().filter_map(|&i| self.units.get(i))
    }
}

/// One unit's figures as the years of a term are read.
#[derive(Clone, Default)]
struct Tally {
    /// Each year's admissions and rate.
    years: Vec<(u64, Option<Ratio>)>,
    /// Reported quarters it was active in, the first and the last.
    quarters: usize,
    first: Option<Quarter>,
    last: Option<Quarter>,
}

impl<'s> Stats<'s> {
    /// `term` seen from quarter `as_of` (its last quarter when `as_of` is
    /// later); `None` when `as_of` is before the term. `known` gives the
    /// figures of a period already computed.
    pub fn term<'k>(
        &self,
        term: &'s Term,
        as_of: Quarter,
        known: impl Fn(Period) -> Option<&'k PeriodStats<'s>>,
    ) -> Option<TermStats<'s>>
    where
        's: 'k,
    {
        let (first, last) = term_quarters(term)?;
        let end = last.map_or(as_of, |l| l.min(as_of));
        if end < first {
            return None;
        }
        let mut quarters = Vec::new();
        let mut q = first;
        while q <= end {
            quarters.push(q);
            q = q.next();
        }
        let reported: Vec<Quarter> = quarters
            .iter()
            .copied()
            .filter(|q| self.is_reported(*q))
            .collect();

        // Per unit, by index in `site.units`.
        let site_units = &self.site.units;
        let mut per_unit: Vec<Tally> = vec![Tally::default(); site_units.len()];
        let mut years = Vec::new();
        let mut year = first.year;
        while year <= end.year {
            let in_year: Vec<Quarter> = quarters
                .iter()
                .copied()
                .filter(|q| q.year == year)
                .collect();
            // A year without results adds nothing, not even to the mean of
            // the years' rates.
            let (Some(a), Some(b), true) = (
                in_year.first(),
                in_year.last(),
                in_year.iter().any(|q| self.is_reported(*q)),
            ) else {
                year += 1;
                continue;
            };
            let period = Period {
                year,
                first: a.q,
                last: b.q,
            };
            let computed;
            let seg = match known(period) {
                Some(s) => s,
                None => {
                    computed = self.period(period);
                    &computed
                }
            };
            let admitted = seg.total.counts.admitted();
            let members_base = seg.total.members_base;
            years.push(TermYear {
                year,
                reported: seg.reported.clone(),
                admitted,
                members_base,
                rate: members_base.and_then(|b| Ratio::new(admitted as i64, b as i64)),
            });
            for (i, unit) in site_units.iter().enumerate() {
                let Some(u) = seg.unit(&unit.id) else {
                    continue;
                };
                let active: Vec<Quarter> = seg
                    .reported
                    .iter()
                    .copied()
                    .filter(|q| {
                        let (from, to) = q.bounds();
                        unit.active_during(from, to)
                    })
                    .collect();
                if active.is_empty() && u.counts.admitted() == 0 {
                    continue;
                }
                let entry = &mut per_unit[i];
                let admitted = u.counts.admitted();
                let rate = u
                    .quota
                    .and_then(|q| q.members_base)
                    .and_then(|b| Ratio::new(admitted as i64, b as i64));
                entry.years.push((admitted, rate));
                entry.quarters += active.len();
                entry.first = entry.first.or(active.first().copied());
                entry.last = active.last().copied().or(entry.last);
            }
            year += 1;
        }
        let total = TermFigures::of(
            &years
                .iter()
                .map(|y| (y.admitted, y.rate))
                .collect::<Vec<_>>(),
            reported.len(),
        )
        .against(term);

        let mut units: Vec<TermUnit<'s>> = Vec::new();
        for (unit, tally) in site_units.iter().zip(per_unit) {
            if tally.years.is_empty() {
                continue;
            }
            units.push(TermUnit {
                unit,
                parent: None,
                children: Vec::new(),
                figures: TermFigures::of(&tally.years, tally.quarters),
                first: tally.first,
                last: tally.last,
            });
        }
        let (parents, top) = self.levels(units.iter().map(|u| u.unit));
        for (i, parent) in parents.into_iter().enumerate() {
            units[i].parent = parent;
            if let Some(p) = parent {
                units[p].children.push(i);
            }
        }
        Some(TermStats {
            term,
            ended: last == Some(end),
            quarters,
            reported,
            years,
            total,
            units,
            top,
        })
    }
}

impl Ratio {
    /// The exact sum of `ratios` (`None` for none); when the exact
    /// denominator would not fit, the sum to within 10⁻¹².
    pub fn sum(ratios: &[Ratio]) -> Option<Ratio> {
        let (first, rest) = ratios.split_first()?;
        let (mut num, mut den) = (i128::from(first.num), i128::from(first.den));
        let mut approx = None;
        for r in rest {
            let (n, d) = (i128::from(r.num), i128::from(r.den));
            let exact = num
                .checked_mul(d)
                .and_then(|a| n.checked_mul(den).and_then(|b| a.checked_add(b)))
                .zip(den.checked_mul(d));
            match exact {
                Some((a, b)) => {
                    let g = gcd(a, b);
                    (num, den) = (a / g, b / g);
                }
                None => {
                    approx = Some(ratios.iter().map(|r| r.as_f64()).sum::<f64>());
                    break;
                }
            }
        }
        match (approx, i64::try_from(num), i64::try_from(den)) {
            (None, Ok(num), Ok(den)) => Ratio::new(num, den),
            (Some(x), ..) => Ratio::approx(x),
            (None, ..) => Ratio::approx(num as f64 / den as f64),
        }
    }

    /// `self` × `mul` / `div`, exactly when it fits.
    pub fn scaled(self, mul: i64, div: i64) -> Option<Ratio> {
        let num = i128::from(self.num) * i128::from(mul);
        let den = i128::from(self.den) * i128::from(div);
        if den == 0 {
            return None;
        }
        let g = gcd(num, den);
        match (i64::try_from(num / g), i64::try_from(den / g)) {
            (Ok(n), Ok(d)) => Ratio::new(n, d),
            _ => Ratio::approx(num as f64 / den as f64),
        }
    }

    fn approx(x: f64) -> Option<Ratio> {
        const DEN: i64 = 1_000_000_000_000;
        x.is_finite()
            .then(|| Ratio::new((x * DEN as f64).round() as i64, DEN))
            .flatten()
    }
}

fn gcd(a: i128, b: i128) -> i128 {
    let (mut a, mut b) = (a.abs(), b.abs());
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_of_ratios_are_exact() {
        let s = Ratio::sum(&[Ratio { num: 1, den: 3 }, Ratio { num: 1, den: 6 }]);
        assert_eq!(s, Some(Ratio { num: 1, den: 2 }));
        // 2,45% exactly stays on the boundary and prints as 2,5%.
        let r = Ratio::sum(&[Ratio { num: 49, den: 2000 }, Ratio { num: 0, den: 7 }]);
        assert_eq!(r.map(Ratio::percent).as_deref(), Some("2,5%"));
        assert_eq!(Ratio::sum(&[]), None);
    }

    #[test]
    fn scaling_reduces() {
        let r = Ratio { num: 3, den: 10 }.scaled(4, 6);
        assert_eq!(r, Some(Ratio { num: 1, den: 5 }));
        assert_eq!(Ratio { num: 3, den: 10 }.scaled(4, 0), None);
    }

    #[test]
    fn a_quarter_counts_in_the_term_its_last_day_falls_in() {
        use crate::model::{Loc, Sp};
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or(NaiveDate::MIN);
        let term = |from: &str, until: Option<&str>| Term {
            name: Sp::new("x".into(), Loc::default()),
            slug: "x".into(),
            from: Sp::new(d(from), Loc::default()),
            until: until.map(|u| Sp::new(d(u), Loc::default())),
            resolution: None,
            target_admissions: None,
            target_per_year: None,
            target_rate: None,
            loc: Loc::default(),
        };
        let q = |year, q| Quarter { year, q };
        // Congress on 15/10/2020, the next on 10/10/2025.
        assert_eq!(
            term_quarters(&term("2020-10-15", Some("2025-10-09"))),
            Some((q(2020, 4), Some(q(2025, 3))))
        );
        assert_eq!(
            term_quarters(&term("2020-10-01", Some("2025-09-30"))),
            Some((q(2020, 4), Some(q(2025, 3))))
        );
        assert_eq!(
            term_quarters(&term("2025-10-10", None)),
            Some((q(2025, 4), None))
        );
        // Within one quarter, not to its end: no quarter of its own.
        assert_eq!(term_quarters(&term("2025-10-10", Some("2025-11-30"))), None);
    }
}
