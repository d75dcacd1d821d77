//! News (`/tin-tuc/`), tags (`/chu-de/`) and the search page.

use crate::library::Library;
use serde::Serialize;

use super::{
    ArticleItem, Here, Image, Link, PageBuilder, PageName, Pagination, article_items, article_year,
    pagination,
};
use crate::pages;
use crate::render::{PageOutput, SiteResolver};
use crate::vi;

/// Related articles shown under an article.
const RELATED: usize = 5;

pub fn list(lib: &Library, here: &Here, n: usize) -> Option<(&'static str, tera::Context)> {
    #[derive(Serialize)]
    struct List {
        articles: Vec<ArticleItem>,
        pagination: Pagination,
        tags: String,
    }
    let pages_count = lib.published.len().div_ceil(lib.per_page).max(1);
    let start = (n.max(1) - 1) * lib.per_page;
    let end = (start + lib.per_page).min(lib.published.len());
    let view = List {
        articles: article_items(lib, here, lib.published.get(start..end).unwrap_or(&[])),
        pagination: pagination(here, n, pages_count, pages::articles),
        tags: here.href(&pages::tags()),
    };
    let crumbs = if n > 1 {
        vec![(PageName::of("articles"), pages::articles(1))]
    } else {
        Vec::new()
    };
    PageBuilder::new(lib, here, PageName::of("articles").page(n))
        .section("articles")
        .crumbs(crumbs)
        .finish("articles.html", view)
}

#[derive(Serialize)]
struct ArticleView {
    /// `09:31, 19/10/2021`
    date: String,
    datetime: String,
    author: Option<String>,
    source: Option<String>,
    summary: String,
    /// The sapo was written in front matter (else it is the first paragraph,
    /// already in the body, and the template need not repeat it).
    summary_given: bool,
    image: Option<Image>,
    body: String,
    tags: Vec<Link>,
    units: Vec<Link>,
    related: Vec<ArticleItem>,
    draft: bool,
}

pub fn article(
    lib: &Library,
    here: &Here,
    i: usize,
    resolver: &SiteResolver,
    out: &mut PageOutput,
) -> Option<(&'static str, tera::Context)> {
    let site = lib.site;
    let a = site.articles.get(i)?;
    let image = a.image.as_ref().map(|m| Image {
        src: here.href(&pages::media(&m.value)),
        alt: a
            .image_caption
            .as_ref()
            .map_or_else(|| a.title.value.clone(), |c| c.value.clone()),
        caption: a.image_caption.as_ref().map(|c| c.value.clone()),
    });
    let facts = lib.facts.get(i);
    let summary = facts.map(|f| f.summary.clone()).unwrap_or_default();
    let view = ArticleView {
        date: facts.map(|f| f.date.clone()).unwrap_or_default(),
        datetime: facts.map(|f| f.datetime.clone()).unwrap_or_default(),
        author: a.author.as_ref().map(|s| s.value.clone()),
        source: a.source.as_ref().map(|s| s.value.clone()),
        summary_given: a.summary.is_some(),
        summary,
        image,
        body: out.markdown(
            &a.body,
            a.file,
            a.body_line,
            Some(article_year(a)),
            resolver,
        ),
        tags: lib
            .facts
            .get(i)
            .map(|f| f.tag_slugs.as_slice())
            .unwrap_or_default()
            .iter()
            .filter_map(|slug| {
                let tag = lib.tags.get(slug)?;
                Some(here.link(tag.name.clone(), &pages::tag(slug, 1)))
            })
            .collect(),
        units: a
            .units
            .iter()
            .filter_map(|u| site.units.iter().find(|x| x.id.value == u.value))
            .map(|u| here.link(lib.name(u), &pages::unit(&u.id)))
            .collect(),
        related: article_items(lib, here, &lib.related(i, RELATED)),
        draft: a.draft,
    };
    let og_image = a
        .image
        .as_ref()
        .map(|m| lib.absolute(&pages::media(&m.value)));
    PageBuilder::new(lib, here, PageName::named("article", a.title.value.clone()))
        .section("articles")
        .crumbs(vec![(PageName::of("articles"), pages::articles(1))])
        .article(facts.map(|f| f.teaser.clone()), og_image)
        .news(
            a.date.value.to_rfc3339(),
            a.author.as_ref().map(|x| x.value.clone()),
        )
        .finish("article.html", view)
}

pub fn tags(lib: &Library, here: &Here) -> Option<(&'static str, tera::Context)> {
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
    let mut list: Vec<Tag> = lib
        .tags
        .iter()
        .map(|(slug, tag)| Tag {
            name: tag.name.clone(),
            href: here.href(&pages::tag(slug, 1)),
            count: tag.articles.len(),
        })
        .collect();
    list.sort_by(|a, b| vi::compare(&a.name, &b.name));
    PageBuilder::new(lib, here, PageName::of("tags"))
        .section("articles")
        .crumbs(vec![(PageName::of("articles"), pages::articles(1))])
        .finish("tags.html", Tags { tags: list })
}

pub fn tag(
    lib: &Library,
    here: &Here,
    slug: &str,
    n: usize,
) -> Option<(&'static str, tera::Context)> {
    #[derive(Serialize)]
    struct TagView {
        name: String,
        count: usize,
        articles: Vec<ArticleItem>,
        pagination: Pagination,
    }
    let tag = lib.tags.get(slug)?;
    let pages_count = tag.articles.len().div_ceil(lib.per_page).max(1);
    let start = (n.max(1) - 1) * lib.per_page;
    let end = (start + lib.per_page).min(tag.articles.len());
    let view = TagView {
        name: tag.name.clone(),
        count: tag.articles.len(),
        articles: article_items(lib, here, tag.articles.get(start..end).unwrap_or(&[])),
        pagination: pagination(here, n, pages_count, |k| pages::tag(slug, k)),
    };
    PageBuilder::new(lib, here, PageName::named("tag", tag.name.clone()).page(n))
        .section("articles")
        .crumbs(vec![
            (PageName::of("articles"), pages::articles(1)),
            (PageName::of("tags"), pages::tags()),
        ])
        .topic_feed(pages::tag_feed(slug))
        .finish("tag.html", view)
}

pub fn search(lib: &Library, here: &Here) -> Option<(&'static str, tera::Context)> {
    #[derive(Serialize)]
    struct Search {
        /// The search index's manifest (a script, so the search works
        /// from `file://` too); the index's other files are beside it.
        index_manifest: String,
        search_script: String,
        tags: String,
        articles: String,
    }
    let view = Search {
        index_manifest: here.href(&pages::search_manifest()),
        search_script: here.href(crate::render::SEARCH_SCRIPT),
        tags: here.href(&pages::tags()),
        articles: here.href(&pages::articles(1)),
    };
    PageBuilder::new(lib, here, PageName::of("search"))
        .section("search")
        .crumbs(Vec::new())
        .finish("search.html", view)
}
