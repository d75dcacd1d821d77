//! Units (`/don-vi/`): the index in Vietnamese alphabetical order, and each
//! unit's figures over every period it was active, its history and articles.

use crate::library::Library;
use serde::Serialize;

use super::statistics::{self, SubUnitTable};
use super::{ArticleItem, Here, Link, PageBuilder, PageName, article_items, count, opt_count, pct};
use crate::model::Unit;
use crate::pages;
use crate::vi;

#[derive(Serialize)]
struct QuarterRow {
    label: String,
    href: String,
    bulletin: String,
    admitted: String,
    cumulative: String,
    share_of_quota: String,
    members: String,
}

#[derive(Serialize)]
struct YearBlock {
    year: i32,
    quota: String,
    members_base: String,
    admitted: String,
    share_of_quota: String,
    admission_rate: String,
    href: String,
    quarters: Vec<QuarterRow>,
    /// Its sub-units' table for the year so far, then for each quarter.
    sub_units: Option<SubUnitTable>,
    sub_units_by_quarter: Vec<SubUnitTable>,
}

/// A unit that members moved to or from: `{label, href, members}`.
#[derive(Serialize)]
struct Transfer {
    #[serde(flatten)]
    link: Link,
    /// `320`: members moved, when written in `successors`.
    members: Option<String>,
}

#[derive(Serialize)]
struct UnitView {
    name: String,
    short_name: String,
    kind: Option<String>,
    active_from: Option<String>,
    active_until: Option<String>,
    former: bool,
    parent: Option<Link>,
    children: Vec<Link>,
    successors: Vec<Transfer>,
    predecessors: Vec<Transfer>,
    years: Vec<YearBlock>,
    /// The element id of its sub-units' table (the latest year's).
    sub_units_anchor: &'static str,
    articles: Vec<ArticleItem>,
}

pub fn unit(lib: &Library, here: &Here, i: usize) -> Option<(&'static str, tera::Context)> {
    let site = lib.site;
    let u = site.units.get(i)?;
    let id = u.id.as_str();
    let find = |id: &str| site.units.iter().find(|x| x.id.value == id);
    let link = |x: &Unit| here.link(lib.name(x), &pages::unit(&x.id));
    // A unit its members went to or came from, with how many when written.
    let transfer = |x: &Unit, members: Option<&crate::model::Sp<u64>>| Transfer {
        link: link(x),
        members: members.map(|m| count(m.value)),
    };
    let mut years: Vec<YearBlock> = Vec::new();
    for q in lib.quarters.iter().rev() {
        let Some(f) = lib.quarter(*q).and_then(|s| s.unit(id)) else {
            continue;
        };
        let ytd = lib.cumulative(*q).and_then(|s| s.unit(id));
        let row = QuarterRow {
            label: vi::capitalize_first(&q.label()),
            href: here.href(&pages::statistics(*q)),
            bulletin: here.href(&pages::bulletin(*q)),
            admitted: count(f.counts.admitted()),
            cumulative: ytd.map_or_else(
                || count(f.counts.admitted()),
                |y| count(y.counts.admitted()),
            ),
            share_of_quota: pct(ytd.map_or(f.share_of_quota, |y| y.share_of_quota)),
            members: opt_count(f.members),
        };
        match years.last_mut() {
            Some(y) if y.year == q.year => y.quarters.push(row),
            _ => {
                let year_stats = lib.year_to_date(q.year);
                let year = year_stats.and_then(|s| s.unit(id));
                years.push(YearBlock {
                    year: q.year,
                    quota: opt_count(year.and_then(|y| y.quota).map(|q| q.admissions)),
                    members_base: opt_count(
                        year.and_then(|y| y.quota).and_then(|q| q.members_base),
                    ),
                    admitted: year.map_or_else(String::new, |y| count(y.counts.admitted())),
                    share_of_quota: pct(year.and_then(|y| y.share_of_quota)),
                    admission_rate: pct(year.and_then(|y| y.admission_rate)),
                    href: here.href(&pages::statistics_year(q.year)),
                    quarters: vec![row],
                    sub_units: year_stats
                        .and_then(|s| statistics::sub_unit_table(lib, here, s, s, id)),
                    sub_units_by_quarter: Vec::new(),
                });
            }
        }
        if let (Some(y), Some(s)) = (years.last_mut(), lib.quarter(*q)) {
            let ytd = lib.cumulative(*q).unwrap_or(s);
            y.sub_units_by_quarter
                .extend(statistics::sub_unit_table(lib, here, s, ytd, id));
        }
    }
    let view = UnitView {
        name: u.name.value.clone(),
        short_name: u.short().to_owned(),
        kind: u.kind.as_ref().map(|k| k.value.clone()),
        active_from: u.began().map(vi::date_running),
        active_until: u.dissolved().map(vi::date_running),
        former: u.dissolved().is_some(),
        parent: u.parent.as_ref().and_then(|p| find(&p.value)).map(link),
        children: site
            .units
            .iter()
            .filter(|c| c.parent.as_ref().is_some_and(|p| p.value == id))
            .map(link)
            .collect(),
        successors: u
            .successors
            .iter()
            .filter_map(|s| Some(transfer(find(&s.unit.value)?, s.members.as_ref())))
            .collect(),
        predecessors: site
            .units
            .iter()
            .filter_map(|p| {
                let s = p.successors.iter().find(|s| s.unit.value == id)?;
                Some(transfer(p, s.members.as_ref()))
            })
            .collect(),
        years,
        sub_units_anchor: pages::SUB_UNITS,
        articles: lib
            .articles_by_unit
            .get(id)
            .map(|list| article_items(lib, here, list))
            .unwrap_or_default(),
    };
    PageBuilder::new(lib, here, PageName::named("unit", u.name.value.clone()))
        .section("units")
        .crumbs(vec![(PageName::of("units"), pages::units())])
        .finish("unit.html", view)
}

pub fn index(lib: &Library, here: &Here) -> Option<(&'static str, tera::Context)> {
    #[derive(Serialize)]
    struct Entry {
        name: String,
        href: String,
        kind: Option<String>,
        /// `ngày 30/06/2025`: when a former unit was dissolved.
        dissolved: Option<String>,
    }
    #[derive(Serialize)]
    struct Index {
        units: Vec<Entry>,
        current_count: usize,
        former_count: usize,
    }
    let mut list: Vec<&Unit> = lib.site.units.iter().collect();
    list.sort_by(|a, b| {
        vi::compare_natural(&a.name, &b.name).then_with(|| a.id.value.cmp(&b.id.value))
    });
    let former_count = list.iter().filter(|u| u.dissolved().is_some()).count();
    let view = Index {
        current_count: list.len() - former_count,
        former_count,
        units: list
            .into_iter()
            .map(|u| Entry {
                name: lib.name(u).to_owned(),
                href: here.href(&pages::unit(&u.id)),
                kind: u.kind.as_ref().map(|k| k.value.clone()),
                dissolved: u.dissolved().map(vi::date_running),
            })
            .collect(),
    };
    PageBuilder::new(lib, here, PageName::of("units"))
        .section("units")
        .crumbs(Vec::new())
        .finish("units.html", view)
}
