//! View models: for each page kind, the data its template shows, already
//! formatted the Vietnamese way. Site-wide lists (periods, tags, articles by
//! unit) are computed once in [`Base`], not per page.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;
use tera::Context;

use super::{Options, PageOutput, SiteResolver};
use crate::model::{Article, Site};
use crate::pages::{self, Page, PageKind};
use crate::stats::{Period, PeriodStats, Quarter, Ratio, Stats, UnitFigures};
use crate::vi;

/// Used when neither site.yaml nor `--base-url` gives one.
const FALLBACK_BASE_URL: &str = "https://example.invalid/";

/// Site-wide facts every page may need, computed once per build.
pub struct Base<'s> {
    pub site_title: String,
    pub organization: String,
    pub description: String,
    pub data_notice: Option<String>,
    pub base_url: String,
    /// Article indices in publishing order (newest first).
    pub published: Vec<usize>,
    pub per_page: usize,
    /// slug → (display name, article indices newest first)
    pub tags: BTreeMap<String, (String, Vec<usize>)>,
    pub articles_by_unit: HashMap<&'s str, Vec<usize>>,
    pub periods: BTreeMap<Period, PeriodStats<'s>>,
}

impl<'s> Base<'s> {
    pub fn new(site: &'s Site, stats: &Stats<'s>, options: &Options) -> Self {
        let config = site.config.as_ref();
        let published = pages::published_articles(site, options.drafts);
        let names = pages::tags_of(site, &published);
        let mut tags: BTreeMap<String, (String, Vec<usize>)> = names
            .into_iter()
            .map(|(slug, name)| (slug, (name, Vec::new())))
            .collect();
        let mut articles_by_unit: HashMap<&str, Vec<usize>> = HashMap::new();
        for &i in &published {
            let a = &site.articles[i];
            let mut seen = Vec::new();
            for t in &a.tags {
                let slug = vi::slugify(&t.value);
                if !seen.contains(&slug)
                    && let Some((_, list)) = tags.get_mut(&slug)
                {
                    list.push(i);
                    seen.push(slug);
                }
            }
            for u in &a.units {
                articles_by_unit.entry(u.as_str()).or_default().push(i);
            }
        }
        let periods = stats
            .periods()
            .into_iter()
            .map(|p| (p, stats.period(p)))
            .collect();
        Base {
            site_title: config.map_or_else(String::new, |c| c.title.value.clone()),
            organization: config.map_or_else(String::new, |c| c.organization.value.clone()),
            description: config
                .and_then(|c| c.description.as_ref())
                .map_or_else(String::new, |d| d.value.clone()),
            data_notice: config
                .and_then(|c| c.data_notice.as_ref())
                .map(|d| d.value.clone()),
            base_url: options
                .base_url
                .clone()
                .or_else(|| config.map(|c| c.base_url.value.clone()))
                .unwrap_or_else(|| FALLBACK_BASE_URL.to_owned()),
            published,
            per_page: config
                .map_or(crate::load::DEFAULT_ARTICLES_PER_PAGE, |c| {
                    c.articles_per_page.value
                })
                .max(1) as usize,
            tags,
            articles_by_unit,
            periods,
        }
    }

    /// The year so far: cumulative to its latest reported quarter.
    fn year_to_date(&self, year: i32) -> Option<&PeriodStats<'s>> {
        let last = self
            .periods
            .keys()
            .filter(|p| p.year == year && p.is_single_quarter())
            .map(|p| p.last)
            .max()?;
        self.periods.get(&Period::cumulative(year, last))
    }
}

#[derive(Serialize)]
struct Link {
    label: String,
    href: String,
}

#[derive(Serialize)]
struct NavItem {
    label: &'static str,
    href: String,
    current: bool,
}

/// What the base layout shows on every page.
#[derive(Serialize)]
struct Layout {
    lang: &'static str,
    site_title: String,
    organization: String,
    description: String,
    data_notice: Option<String>,
    title: String,
    canonical: String,
    home: String,
    css: String,
    nav: Vec<NavItem>,
    breadcrumbs: Vec<Link>,
}

#[derive(Serialize)]
struct View<T: Serialize> {
    #[serde(flatten)]
    layout: Layout,
    #[serde(flatten)]
    body: T,
}

/// Links from the page being rendered.
struct Here<'p> {
    url: &'p str,
}

impl Here<'_> {
    fn href(&self, to: &str) -> String {
        pages::relative(self.url, to)
    }
    fn link(&self, label: impl Into<String>, to: &str) -> Link {
        Link {
            label: label.into(),
            href: self.href(to),
        }
    }
}

fn layout(
    base: &Base,
    here: &Here,
    title: String,
    section: Option<&str>,
    crumbs: Vec<Link>,
) -> Layout {
    let items: [(&'static str, String); 6] = [
        ("Bản tin", pages::bulletins()),
        ("Thống kê", pages::statistics_index()),
        ("Kế hoạch", pages::plans()),
        ("Đơn vị", pages::units()),
        ("Tin tức", pages::articles(1)),
        ("Tìm kiếm", pages::search()),
    ];
    Layout {
        lang: "vi",
        site_title: base.site_title.clone(),
        organization: base.organization.clone(),
        description: base.description.clone(),
        data_notice: base.data_notice.clone(),
        title,
        canonical: format!("{}{}", base.base_url, here.url.trim_start_matches('/')),
        home: here.href("/"),
        css: here.href("/assets/bantin.css"),
        nav: items
            .into_iter()
            .map(|(label, url)| NavItem {
                label,
                current: section == Some(url.as_str()),
                href: here.href(&url),
            })
            .collect(),
        breadcrumbs: crumbs,
    }
}

fn count(n: u64) -> String {
    vi::int(n.min(i64::MAX as u64) as i64)
}

fn pct(r: Option<Ratio>) -> String {
    r.map_or_else(|| "—".to_owned(), Ratio::percent)
}

fn context<T: Serialize>(layout: Layout, body: T) -> Option<Context> {
    Context::from_serialize(&View { layout, body }).ok()
}

/// The template and context of `page`, or `None` when the page has nothing
/// to show (its data failed to load).
pub fn page_view<'s>(
    site: &'s Site,
    stats: &Stats<'s>,
    page: &Page,
    base: &Base<'s>,
    resolver: &SiteResolver,
    out: &mut PageOutput,
) -> Option<(&'static str, Context)> {
    let here = Here { url: &page.url };
    let _ = stats;
    match &page.kind {
        PageKind::Home => home(site, base, &here),
        PageKind::Bulletins => bulletins(base, &here),
        PageKind::Bulletin(q) => bulletin(site, base, &here, *q, resolver, out),
        PageKind::StatisticsIndex => statistics_index(base, &here),
        PageKind::Statistics(q) => statistics(base, &here, base.periods.get(&Period::quarter(*q))?),
        PageKind::StatisticsYear(year) => statistics(base, &here, base.year_to_date(*year)?),
        PageKind::Plans => plans(site, base, &here),
        PageKind::Plan(i) => plan(site, base, &here, *i, resolver, out),
        PageKind::Units => units(site, base, &here),
        PageKind::Unit(i) => unit(site, base, &here, *i),
        PageKind::Articles { page: n } => article_list(site, base, &here, *n),
        PageKind::Article(i) => article(site, base, &here, *i, resolver, out),
        PageKind::Tags => tags(base, &here),
        PageKind::Tag(slug) => tag(site, base, &here, slug),
        PageKind::Search => simple(base, &here, "search.html", "Tìm kiếm"),
        PageKind::NotFound => simple(base, &here, "404.html", "Không tìm thấy trang"),
    }
}

/// Renders the Markdown a page holds, only for its link problems.
pub fn markdown_only(site: &Site, page: &Page, resolver: &SiteResolver, out: &mut PageOutput) {
    match &page.kind {
        PageKind::Article(i) => {
            if let Some(a) = site.articles.get(*i) {
                out.markdown(
                    &a.body,
                    a.file,
                    a.body_line,
                    Some(article_year(a)),
                    resolver,
                );
            }
        }
        PageKind::Bulletin(q) => {
            for e in site
                .editorials
                .iter()
                .filter(|e| e.year == q.year && e.quarter == q.q)
            {
                out.markdown(&e.body, e.file, 1, Some(e.year), resolver);
            }
        }
        PageKind::Plan(i) => {
            if let Some(p) = site.plans.get(*i) {
                for t in &p.tasks {
                    out.markdown(&t.value, p.file, t.loc.line, Some(p.year.value), resolver);
                }
            }
        }
        _ => {}
    }
}

fn article_year(a: &Article) -> i32 {
    use chrono::Datelike;
    a.date.value.with_timezone(&vi::vietnam_offset()).year()
}

#[derive(Serialize)]
struct ArticleItem {
    title: String,
    href: String,
    date: String,
    summary: String,
}

fn article_item(site: &Site, here: &Here, i: usize) -> ArticleItem {
    let a = &site.articles[i];
    ArticleItem {
        title: a.title.value.clone(),
        href: here.href(&pages::article(&a.slug)),
        date: vi::datetime(a.date.value),
        summary: a.summary.as_ref().map_or_else(
            || crate::markdown::first_paragraph_text(&a.body),
            |s| s.value.clone(),
        ),
    }
}

#[derive(Serialize)]
struct Headline {
    period: String,
    admitted: String,
    share_of_quota: String,
    href: String,
}

fn headline(here: &Here, s: &PeriodStats) -> Headline {
    Headline {
        period: s.period.label(),
        admitted: count(s.total.counts.admitted()),
        share_of_quota: pct(s.total.share_of_quota),
        href: s
            .period
            .quarters()
            .last()
            .map_or_else(String::new, |q| here.href(&pages::bulletin(q))),
    }
}

fn home(site: &Site, base: &Base, here: &Here) -> Option<(&'static str, Context)> {
    #[derive(Serialize)]
    struct Home {
        latest: Option<Headline>,
        bulletins: Vec<Link>,
        articles: Vec<ArticleItem>,
    }
    let latest = base
        .periods
        .iter()
        .rev()
        .find(|(p, _)| p.is_single_quarter())
        .map(|(_, s)| headline(here, s));
    let body = Home {
        latest,
        bulletins: bulletin_links(base, here),
        articles: base
            .published
            .iter()
            .take(10)
            .map(|&i| article_item(site, here, i))
            .collect(),
    };
    let title = base.site_title.clone();
    Some((
        "home.html",
        context(layout(base, here, title, None, vec![]), body)?,
    ))
}

fn bulletin_links(base: &Base, here: &Here) -> Vec<Link> {
    base.periods
        .keys()
        .rev()
        .filter(|p| p.is_single_quarter())
        .filter_map(|p| Quarter::new(p.year, p.first))
        .map(|q| here.link(vi::capitalize_first(&q.label()), &pages::bulletin(q)))
        .collect()
}

fn bulletins(base: &Base, here: &Here) -> Option<(&'static str, Context)> {
    #[derive(Serialize)]
    struct Bulletins {
        bulletins: Vec<Link>,
    }
    let crumbs = vec![here.link("Trang chủ", "/")];
    let l = layout(
        base,
        here,
        "Bản tin".into(),
        Some(&pages::bulletins()),
        crumbs,
    );
    Some((
        "bulletins.html",
        context(
            l,
            Bulletins {
                bulletins: bulletin_links(base, here),
            },
        )?,
    ))
}

fn bulletin(
    site: &Site,
    base: &Base,
    here: &Here,
    q: Quarter,
    resolver: &SiteResolver,
    out: &mut PageOutput,
) -> Option<(&'static str, Context)> {
    #[derive(Serialize)]
    struct Bulletin {
        quarter: Headline,
        cumulative: Option<Headline>,
        plan: Option<String>,
        editorial: Option<String>,
        statistics: String,
    }
    let s = base.periods.get(&Period::quarter(q))?;
    let cumulative = (q.q > 1)
        .then(|| base.periods.get(&Period::cumulative(q.year, q.q)))
        .flatten()
        .map(|c| headline(here, c));
    let editorial = site
        .editorials
        .iter()
        .find(|e| e.year == q.year && e.quarter == q.q)
        .map(|e| out.markdown(&e.body, e.file, 1, Some(e.year), resolver));
    let body = Bulletin {
        quarter: headline(here, s),
        cumulative,
        plan: s.plan.map(|p| {
            format!(
                "{} số {}, {} của {}",
                p.kind_name.value,
                p.symbol.value,
                vi::date_running(p.issued.value),
                p.issuer.value
            )
        }),
        editorial,
        statistics: here.href(&pages::statistics(q)),
    };
    let title = format!("Bản tin công tác phát triển đảng viên {}", q.label());
    let crumbs = vec![
        here.link("Trang chủ", "/"),
        here.link("Bản tin", &pages::bulletins()),
    ];
    let l = layout(base, here, title, Some(&pages::bulletins()), crumbs);
    Some(("bulletin.html", context(l, body)?))
}

fn statistics_index(base: &Base, here: &Here) -> Option<(&'static str, Context)> {
    #[derive(Serialize)]
    struct Year {
        year: i32,
        href: String,
        quarters: Vec<Link>,
    }
    #[derive(Serialize)]
    struct Index {
        years: Vec<Year>,
    }
    let mut years: BTreeMap<i32, Vec<Link>> = BTreeMap::new();
    for p in base.periods.keys().filter(|p| p.is_single_quarter()) {
        if let Some(q) = Quarter::new(p.year, p.first) {
            years
                .entry(p.year)
                .or_default()
                .push(here.link(vi::capitalize_first(&q.label()), &pages::statistics(q)));
        }
    }
    let body = Index {
        years: years
            .into_iter()
            .rev()
            .map(|(year, quarters)| Year {
                year,
                href: here.href(&pages::statistics_year(year)),
                quarters,
            })
            .collect(),
    };
    let crumbs = vec![here.link("Trang chủ", "/")];
    let l = layout(
        base,
        here,
        "Thống kê".into(),
        Some(&pages::statistics_index()),
        crumbs,
    );
    Some(("statistics_index.html", context(l, body)?))
}

#[derive(Serialize)]
struct TableRow {
    name: String,
    href: String,
    note: String,
    quota: String,
    admitted: String,
    share_of_quota: String,
    admission_rate: String,
    women: String,
    ethnic_minority: String,
    members: String,
}

fn table_row(here: &Here, u: &UnitFigures) -> TableRow {
    use crate::model::Field;
    TableRow {
        name: u.unit.short().to_owned(),
        href: here.href(&pages::unit(&u.unit.id)),
        note: match u.unit.dissolved() {
            Some(d) if !u.active_at_end => format!("giải thể {}", vi::date_short(d)),
            _ => String::new(),
        },
        quota: u
            .quota
            .map_or_else(|| "—".to_owned(), |q| count(q.admissions.value)),
        admitted: count(u.counts.admitted()),
        share_of_quota: pct(u.share_of_quota),
        admission_rate: pct(u.admission_rate),
        women: pct(u.counts.share_of_admitted(Field::Women)),
        ethnic_minority: pct(u.counts.share_of_admitted(Field::EthnicMinority)),
        members: u.members.map_or_else(|| "—".to_owned(), count),
    }
}

fn statistics(base: &Base, here: &Here, s: &PeriodStats) -> Option<(&'static str, Context)> {
    #[derive(Serialize)]
    struct Table {
        period: String,
        rows: Vec<TableRow>,
        total: TableRow,
        complete: bool,
    }
    use crate::model::Field;
    let total = TableRow {
        name: "Toàn đảng bộ".into(),
        href: String::new(),
        note: String::new(),
        quota: s.total.quota.map_or_else(|| "—".to_owned(), count),
        admitted: count(s.total.counts.admitted()),
        share_of_quota: pct(s.total.share_of_quota),
        admission_rate: pct(s.total.admission_rate),
        women: pct(s.total.counts.share_of_admitted(Field::Women)),
        ethnic_minority: pct(s.total.counts.share_of_admitted(Field::EthnicMinority)),
        members: s.total.members.map_or_else(|| "—".to_owned(), count),
    };
    let body = Table {
        period: s.period.label(),
        rows: s.units.iter().map(|u| table_row(here, u)).collect(),
        total,
        complete: s.complete,
    };
    let title = format!("Thống kê kết quả kết nạp đảng viên {}", s.period.label());
    let crumbs = vec![
        here.link("Trang chủ", "/"),
        here.link("Thống kê", &pages::statistics_index()),
    ];
    let l = layout(base, here, title, Some(&pages::statistics_index()), crumbs);
    Some(("statistics.html", context(l, body)?))
}

fn plans(site: &Site, base: &Base, here: &Here) -> Option<(&'static str, Context)> {
    #[derive(Serialize)]
    struct Plans {
        plans: Vec<Link>,
    }
    let body = Plans {
        plans: site
            .plans
            .iter()
            .rev()
            .map(|p| {
                here.link(
                    format!(
                        "{} số {} {}",
                        p.kind_name.value, p.symbol.value, p.title.value
                    ),
                    &pages::plan(&p.symbol, p.year.value),
                )
            })
            .collect(),
    };
    let crumbs = vec![here.link("Trang chủ", "/")];
    let l = layout(base, here, "Kế hoạch".into(), Some(&pages::plans()), crumbs);
    Some(("plans.html", context(l, body)?))
}

fn plan(
    site: &Site,
    base: &Base,
    here: &Here,
    i: usize,
    resolver: &SiteResolver,
    out: &mut PageOutput,
) -> Option<(&'static str, Context)> {
    #[derive(Serialize)]
    struct Quota {
        unit: String,
        href: String,
        admissions: String,
        members_base: String,
        classes: String,
    }
    #[derive(Serialize)]
    struct PlanView {
        symbol: String,
        kind_name: String,
        title_text: String,
        issuer: String,
        issued: String,
        year: i32,
        bases: Vec<String>,
        target: Option<String>,
        tasks: Vec<String>,
        quotas: Vec<Quota>,
    }
    let p = site.plans.get(i)?;
    let unit_name = |id: &str| {
        site.units
            .iter()
            .find(|u| u.id.value == id)
            .map_or_else(|| id.to_owned(), |u| u.short().to_owned())
    };
    let body = PlanView {
        symbol: p.symbol.to_string(),
        kind_name: p.kind_name.value.clone(),
        title_text: p.title.value.clone(),
        issuer: p.issuer.value.clone(),
        issued: vi::date_long(p.issued.value),
        year: p.year.value,
        bases: p
            .bases
            .iter()
            .map(|b| {
                let mut text = format!(
                    "{} số {}",
                    b.kind_name.as_deref().unwrap_or("Văn bản"),
                    b.symbol.value
                );
                if let Some(d) = &b.issued {
                    text.push_str(&format!(", {}", vi::date_running(d.value)));
                }
                if let Some(who) = &b.issuer {
                    text.push_str(&format!(" của {}", who.value));
                }
                if let Some(t) = &b.title {
                    text.push_str(&format!(" {}", t.value));
                }
                text
            })
            .collect(),
        target: p.target.as_ref().map(|t| {
            format!(
                "Phấn đấu kết nạp từ {} đến {}% so với tổng số đảng viên đầu năm",
                vi::number_f64(t.value.min),
                vi::number_f64(t.value.max)
            )
        }),
        tasks: p
            .tasks
            .iter()
            .map(|t| out.markdown(&t.value, p.file, t.loc.line, Some(p.year.value), resolver))
            .collect(),
        quotas: p
            .quotas
            .iter()
            .map(|q| Quota {
                unit: unit_name(&q.unit),
                href: here.href(&pages::unit(&q.unit)),
                admissions: count(q.admissions.value),
                members_base: q
                    .members_base
                    .as_ref()
                    .map_or_else(|| "—".to_owned(), |b| count(b.value)),
                classes: q
                    .classes
                    .as_ref()
                    .map_or_else(|| "—".to_owned(), |c| count(c.value)),
            })
            .collect(),
    };
    let title = format!(
        "{} số {} {}",
        p.kind_name.value, p.symbol.value, p.title.value
    );
    let crumbs = vec![
        here.link("Trang chủ", "/"),
        here.link("Kế hoạch", &pages::plans()),
    ];
    let l = layout(base, here, title, Some(&pages::plans()), crumbs);
    Some(("plan.html", context(l, body)?))
}

fn units(site: &Site, base: &Base, here: &Here) -> Option<(&'static str, Context)> {
    #[derive(Serialize)]
    struct Entry {
        name: String,
        href: String,
        former: Option<String>,
    }
    #[derive(Serialize)]
    struct Units {
        units: Vec<Entry>,
    }
    let mut list: Vec<&crate::model::Unit> = site.units.iter().collect();
    list.sort_by(|a, b| vi::compare(&a.name, &b.name).then_with(|| a.id.value.cmp(&b.id.value)));
    let body = Units {
        units: list
            .into_iter()
            .map(|u| Entry {
                name: u.name.value.clone(),
                href: here.href(&pages::unit(&u.id)),
                former: u
                    .dissolved()
                    .map(|d| format!("giải thể {}", vi::date_running(d))),
            })
            .collect(),
    };
    let crumbs = vec![here.link("Trang chủ", "/")];
    let l = layout(base, here, "Đơn vị".into(), Some(&pages::units()), crumbs);
    Some(("units.html", context(l, body)?))
}

fn unit(site: &Site, base: &Base, here: &Here, i: usize) -> Option<(&'static str, Context)> {
    #[derive(Serialize)]
    struct Figures {
        period: String,
        href: String,
        row: TableRow,
    }
    #[derive(Serialize)]
    struct UnitView {
        name: String,
        history: Vec<String>,
        successors: Vec<Link>,
        predecessors: Vec<Link>,
        figures: Vec<Figures>,
        articles: Vec<ArticleItem>,
    }
    let u = site.units.get(i)?;
    let id = u.id.as_str();
    let figures = base
        .periods
        .iter()
        .rev()
        .filter_map(|(p, s)| {
            let f = s.units.iter().find(|f| f.unit.id.value == id)?;
            Some(Figures {
                period: vi::capitalize_first(&p.label()),
                href: here.href(&pages::statistics_of(*p)),
                row: table_row(here, f),
            })
        })
        .collect();
    let mut history = Vec::new();
    if let Some(from) = &u.active_from {
        history.push(format!("Hoạt động từ {}", vi::date_running(from.value)));
    }
    if let Some(until) = &u.active_until {
        history.push(format!("Giải thể sau {}", vi::date_running(until.value)));
    }
    let name_of = |id: &str| site.units.iter().find(|x| x.id.value == id);
    let body = UnitView {
        name: u.name.value.clone(),
        history,
        successors: u
            .successors
            .iter()
            .filter_map(|s| name_of(s))
            .map(|s| here.link(s.name.value.clone(), &pages::unit(&s.id)))
            .collect(),
        predecessors: site
            .units
            .iter()
            .filter(|p| p.successors.iter().any(|s| s.value == id))
            .map(|p| here.link(p.name.value.clone(), &pages::unit(&p.id)))
            .collect(),
        figures,
        articles: base
            .articles_by_unit
            .get(id)
            .map(|list| list.iter().map(|&a| article_item(site, here, a)).collect())
            .unwrap_or_default(),
    };
    let crumbs = vec![
        here.link("Trang chủ", "/"),
        here.link("Đơn vị", &pages::units()),
    ];
    let l = layout(
        base,
        here,
        u.name.value.clone(),
        Some(&pages::units()),
        crumbs,
    );
    Some(("unit.html", context(l, body)?))
}

fn article_list(
    site: &Site,
    base: &Base,
    here: &Here,
    n: usize,
) -> Option<(&'static str, Context)> {
    #[derive(Serialize)]
    struct List {
        articles: Vec<ArticleItem>,
        page: usize,
        pages: usize,
        previous: Option<String>,
        next: Option<String>,
    }
    let total = base.published.len().div_ceil(base.per_page).max(1);
    let start = (n - 1) * base.per_page;
    let body = List {
        articles: base
            .published
            .iter()
            .skip(start)
            .take(base.per_page)
            .map(|&i| article_item(site, here, i))
            .collect(),
        page: n,
        pages: total,
        previous: (n > 1).then(|| here.href(&pages::articles(n - 1))),
        next: (n < total).then(|| here.href(&pages::articles(n + 1))),
    };
    let title = if n > 1 {
        format!("Tin tức — trang {n}")
    } else {
        "Tin tức".into()
    };
    let crumbs = vec![here.link("Trang chủ", "/")];
    let l = layout(base, here, title, Some(&pages::articles(1)), crumbs);
    Some(("articles.html", context(l, body)?))
}

fn article(
    site: &Site,
    base: &Base,
    here: &Here,
    i: usize,
    resolver: &SiteResolver,
    out: &mut PageOutput,
) -> Option<(&'static str, Context)> {
    #[derive(Serialize)]
    struct ArticleView {
        date: String,
        author: Option<String>,
        source: Option<String>,
        summary: Option<String>,
        image: Option<String>,
        image_caption: Option<String>,
        body: String,
        tags: Vec<Link>,
        draft: bool,
    }
    let a = site.articles.get(i)?;
    let body = ArticleView {
        date: vi::datetime(a.date.value),
        author: a.author.as_ref().map(|s| s.value.clone()),
        source: a.source.as_ref().map(|s| s.value.clone()),
        summary: a.summary.as_ref().map(|s| s.value.clone()),
        image: a.image.as_ref().map(|m| here.href(&pages::media(&m.value))),
        image_caption: a.image_caption.as_ref().map(|s| s.value.clone()),
        body: out.markdown(
            &a.body,
            a.file,
            a.body_line,
            Some(article_year(a)),
            resolver,
        ),
        tags: a
            .tags
            .iter()
            .map(|t| here.link(t.value.clone(), &pages::tag(&vi::slugify(&t.value))))
            .collect(),
        draft: a.draft,
    };
    let crumbs = vec![
        here.link("Trang chủ", "/"),
        here.link("Tin tức", &pages::articles(1)),
    ];
    let l = layout(
        base,
        here,
        a.title.value.clone(),
        Some(&pages::articles(1)),
        crumbs,
    );
    Some(("article.html", context(l, body)?))
}

fn tags(base: &Base, here: &Here) -> Option<(&'static str, Context)> {
    #[derive(Serialize)]
    struct Tag {
        name: String,
        href: String,
        count: usize,
    }
    #[derive(Serialize)]
    struct Tags {
        tags: Vec<Tag>,
    }
    let mut list: Vec<Tag> = base
        .tags
        .iter()
        .map(|(slug, (name, articles))| Tag {
            name: name.clone(),
            href: here.href(&pages::tag(slug)),
            count: articles.len(),
        })
        .collect();
    list.sort_by(|a, b| vi::compare(&a.name, &b.name));
    let crumbs = vec![here.link("Trang chủ", "/")];
    let l = layout(base, here, "Chủ đề".into(), None, crumbs);
    Some(("tags.html", context(l, Tags { tags: list })?))
}

fn tag(site: &Site, base: &Base, here: &Here, slug: &str) -> Option<(&'static str, Context)> {
    #[derive(Serialize)]
    struct TagView {
        articles: Vec<ArticleItem>,
    }
    let (name, list) = base.tags.get(slug)?;
    let body = TagView {
        articles: list.iter().map(|&i| article_item(site, here, i)).collect(),
    };
    let crumbs = vec![
        here.link("Trang chủ", "/"),
        here.link("Chủ đề", &pages::tags()),
    ];
    let l = layout(base, here, format!("Chủ đề: {name}"), None, crumbs);
    Some(("tag.html", context(l, body)?))
}

fn simple(
    base: &Base,
    here: &Here,
    template: &'static str,
    title: &str,
) -> Option<(&'static str, Context)> {
    #[derive(Serialize)]
    struct Empty {}
    let crumbs = vec![here.link("Trang chủ", "/")];
    let section = (template == "search.html").then(pages::search);
    let l = layout(base, here, title.to_owned(), section.as_deref(), crumbs);
    Some((template, context(l, Empty {})?))
}
