//! Pages → bytes: Tera templates over view models, Markdown, no IO.
//!
//! Templates are embedded in the binary; a site's own `templates/` folder
//! overrides them file by file. Figures reach templates already formatted by
//! `vi` from `stats` values: templates never compute.

mod charts;
mod feeds;
mod report;
mod resolve;
mod search;
mod template_error;
mod views;

pub use resolve::SiteResolver;

use crate::library::Library;
use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Tera};

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::load::source::position;
use crate::markdown::{self, LinkProblem, Rendered};
use crate::model::{FileId, Loc, Site};
use crate::pages::Page;
use crate::publish::{Content, OutFile, PublishError, Sink};
use template_error::TemplateSource;

/// The default theme, built into the binary: (name, source).
pub const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    (
        "components.html",
        include_str!("../../templates/components.html"),
    ),
    ("labels.html", include_str!("../../templates/labels.html")),
    ("charts.html", include_str!("../../templates/charts.html")),
    ("feed.xml", include_str!("../../templates/feed.xml")),
    ("rss.xml", include_str!("../../templates/rss.xml")),
    ("sitemap.xml", include_str!("../../templates/sitemap.xml")),
    ("home.html", include_str!("../../templates/home.html")),
    (
        "bulletins.html",
        include_str!("../../templates/bulletins.html"),
    ),
    (
        "bulletin.html",
        include_str!("../../templates/bulletin.html"),
    ),
    (
        "bulletin_text.html",
        include_str!("../../templates/bulletin_text.html"),
    ),
    (
        "statistics_index.html",
        include_str!("../../templates/statistics_index.html"),
    ),
    (
        "statistics.html",
        include_str!("../../templates/statistics.html"),
    ),
    ("plans.html", include_str!("../../templates/plans.html")),
    ("plan.html", include_str!("../../templates/plan.html")),
    ("term.html", include_str!("../../templates/term.html")),
    ("units.html", include_str!("../../templates/units.html")),
    ("unit.html", include_str!("../../templates/unit.html")),
    (
        "articles.html",
        include_str!("../../templates/articles.html"),
    ),
    ("article.html", include_str!("../../templates/article.html")),
    ("tags.html", include_str!("../../templates/tags.html")),
    ("tag.html", include_str!("../../templates/tag.html")),
    ("search.html", include_str!("../../templates/search.html")),
    ("404.html", include_str!("../../templates/404.html")),
    (report::TEMPLATE, include_str!("../../templates/report.xml")),
];

/// The theme's style sheet, script (text size, contrast) and search script.
pub const CSS: &str = "/assets/bantin.css";
pub const SCRIPT: &str = "/assets/bantin.js";
/// The browser's icon of a site without a `logo:`.
pub const ICON: &str = "/assets/bantin-icon.svg";
pub const SEARCH_SCRIPT: &str = "/assets/tim-kiem.js";
/// The picture shared with a page that has none of its own and a site
/// without a raster logo (1200×630, what social networks show).
pub const SHARE_IMAGE: &str = "/assets/bantin-chia-se.png";

/// Files of the theme copied as they are: (site path, bytes). A site's
/// `static/` folder may replace any of them.
pub const ASSETS: &[(&str, &[u8])] = &[
    (CSS, include_bytes!("../../templates/assets/bantin.css")),
    (SCRIPT, include_bytes!("../../templates/assets/bantin.js")),
    (
        ICON,
        include_bytes!("../../templates/assets/bantin-icon.svg"),
    ),
    (
        SEARCH_SCRIPT,
        include_bytes!("../../templates/assets/tim-kiem.js"),
    ),
    (SHARE_IMAGE, include_bytes!("assets/bantin-chia-se.png")),
];

/// The `json` filter: a text as a JSON string, for structured data in a
/// `<script type="application/ld+json">` (`</` is written `<\/`, so the
/// text cannot close the script). HTML entities of an escaped text are
/// undone first.
struct JsonString;

impl tera::Filter<&str, tera::TeraResult<tera::Value>> for JsonString {
    fn call(&self, text: &str, _: tera::Kwargs, _: &tera::State) -> tera::TeraResult<tera::Value> {
        // The page's title and description come escaped for HTML; a
        // script's text is not read for entities, so they are undone.
        let plain = crate::html::unescape(text);
        let json = serde_json::to_string(&plain).unwrap_or_else(|_| "\"\"".to_owned());
        Ok(tera::Value::safe_string(&json.replace("</", "<\\/")))
    }

    fn is_safe(&self) -> bool {
        true
    }
}

/// Options a build may set.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Include draft articles.
    pub drafts: bool,
    /// Overrides `base_url` of site.yaml.
    pub base_url: Option<String>,
}

/// The compiled templates.
pub struct Engine {
    tera: Tera,
    /// Every template's text and, for the site's own, its file: where an
    /// error Tera reports by template name is placed.
    sources: Vec<TemplateSource>,
    /// The ids the templates write (`noi-dung`, the skip link's target):
    /// ids made for headings and footnotes of a page must differ from them.
    page_ids: HashSet<String>,
}

impl Engine {
    /// The embedded theme with the site's overrides; template syntax errors
    /// become diagnostics pointing into the template file.
    pub fn new(site: &Site) -> Result<Engine, Vec<Diagnostic>> {
        let mut tera = Tera::new();
        tera.autoescape_on([".html", ".xml"]);
        tera.register_filter("word_paragraphs", report::WordParagraphs);
        tera.register_filter("json", JsonString);
        let mut sources: Vec<TemplateSource> = TEMPLATES
            .iter()
            .map(|(name, text)| TemplateSource {
                name: (*name).to_owned(),
                text: (*text).to_owned(),
                file: None,
            })
            .collect();
        for t in &site.templates {
            let own = TemplateSource {
                name: t.rel.clone(),
                text: t.text.clone(),
                file: Some(t.file),
            };
            match sources.iter_mut().find(|s| s.name == t.rel) {
                Some(slot) => *slot = own,
                None => sources.push(own),
            }
        }
        let mut problems = Vec::new();
        if let Err(e) =
            tera.add_raw_templates(sources.iter().map(|s| (s.name.as_str(), s.text.as_str())))
        {
            problems.extend(template_error::diagnostics(&site.files, &sources, &e, None));
        }
        if problems.is_empty() {
            let page_ids = sources
                .iter()
                .flat_map(|s| markdown::ids_in(&s.text).into_keys())
                .collect();
            Ok(Engine {
                tera,
                sources,
                page_ids,
            })
        } else {
            Err(problems)
        }
    }

    /// The page's bytes; rendering into our own buffer spares re-checking
    /// the whole page as UTF-8 (every piece written already is).
    pub(crate) fn render(&self, name: &str, context: &Context) -> Result<Vec<u8>, tera::Error> {
        let mut out = Vec::with_capacity(16 * 1024);
        self.tera.render_to(name, context, &mut out)?;
        Ok(out)
    }
}

/// Words from the templates for files that are not pages (CSV headers and
/// notes, the search index): components of `labels.html` rendered as plain
/// text on one line, so that a word changed there changes everywhere.
pub struct Words<'e> {
    engine: &'e Engine,
}

impl Words<'_> {
    /// `label(key)`: a figure's name.
    pub fn label(&self, key: &str) -> Result<String, tera::Error> {
        self.text("label", &std::collections::BTreeMap::from([("key", key)]))
    }

    /// `unit_note(note)`.
    pub fn note(&self, note: &views::Note) -> Result<String, tera::Error> {
        #[derive(Serialize)]
        struct Args<'a> {
            note: &'a views::Note,
        }
        self.text("unit_note", &Args { note })
    }

    /// `document_title(doc)`.
    pub fn document_title(&self, doc: &views::DocName) -> Result<String, tera::Error> {
        #[derive(Serialize)]
        struct Args<'a> {
            doc: &'a views::DocName,
        }
        self.text("document_title", &Args { doc })
    }

    /// `unit_name(name, q)`: a name told apart from a namesake.
    pub fn unit_name(
        &self,
        name: &str,
        q: &crate::library::Qualifier,
    ) -> Result<String, tera::Error> {
        #[derive(Serialize)]
        struct Args<'a> {
            name: &'a str,
            q: &'a crate::library::Qualifier,
        }
        self.text("unit_name", &Args { name, q })
    }

    /// `page_title(page)`: a page's title.
    pub fn page_title(&self, page: &views::PageName) -> Result<String, tera::Error> {
        #[derive(Serialize)]
        struct Args<'a> {
            page: &'a views::PageName,
        }
        self.text("page_title", &Args { page })
    }

    /// `bulletin_name(period)`.
    pub fn bulletin_name(&self, period: &str) -> Result<String, tera::Error> {
        self.text(
            "bulletin_name",
            &std::collections::BTreeMap::from([("period", period)]),
        )
    }

    fn text(&self, component: &str, args: &impl Serialize) -> Result<String, tera::Error> {
        let context = Context::from_serialize(args)?;
        let text = self
            .engine
            .tera
            .render_component(component, &context, None, false)?;
        Ok(text.split_whitespace().collect::<Vec<_>>().join(" "))
    }
}

/// Renders every page and the files beside them into `sink`, each as soon
/// as it is ready; returns every problem found (broken links in Markdown,
/// template errors), or the sink's first failure.
pub fn render_site<'s>(
    lib: Library<'s>,
    pages: &'s [Page],
    engine: &'s Engine,
    sink: &dyn Sink,
    progress: &dyn crate::progress::Progress,
) -> Result<Vec<Diagnostic>, PublishError> {
    let r = Renderer::new(lib, pages, engine);
    let (per_page, rest) = rayon::join(
        || {
            pages
                .par_iter()
                .map(|page| {
                    let (html, diagnostics) = r.render(page);
                    progress.tick();
                    if let Some(html) = html {
                        sink.put(OutFile {
                            path: page.file(),
                            content: Content::Bytes(html),
                        })?;
                    }
                    Ok(diagnostics)
                })
                .collect::<Result<Vec<Vec<Diagnostic>>, PublishError>>()
        },
        || {
            let (files, problems) = r.other_files();
            files
                .into_par_iter()
                .try_for_each(|f| sink.put(f))
                .map(|()| problems)
        },
    );
    let mut problems = rest?;
    problems.extend(per_page?.into_iter().flatten());
    Ok(problems)
}

/// Renders any page of a site on its own: the whole build uses it for
/// every page, `serve` for the page a browser asks for.
pub struct Renderer<'s> {
    site: &'s Site,
    pages: &'s [Page],
    engine: &'s Engine,
    lib: Library<'s>,
    resolver: SiteResolver,
}

impl<'s> Renderer<'s> {
    pub fn new(mut lib: Library<'s>, pages: &'s [Page], engine: &'s Engine) -> Self {
        let site = lib.site;
        let words = Words { engine };
        // A template error here shows on the pages too; names stay plain.
        lib.names = crate::library::Names::new(&site.units, |name, q| {
            words.unit_name(name, q).unwrap_or_else(|_| name.to_owned())
        });
        Renderer {
            site,
            pages,
            engine,
            resolver: SiteResolver::new(site, pages),
            lib,
        }
    }

    /// The page's HTML (none after a template error), and the problems
    /// rendering it found.
    pub fn render(&self, page: &Page) -> (Option<Vec<u8>>, Vec<Diagnostic>) {
        let mut out = PageOutput::new(self.site, page);
        out.used_ids.clone_from(&self.engine.page_ids);
        let html = views::page_view(page, &self.lib, &self.resolver, &mut out).and_then(
            |(template, context)| match self.engine.render(template, &context) {
                Ok(html) => Some(html),
                Err(e) => {
                    out.diagnostics.extend(template_error::diagnostics(
                        &self.site.files,
                        &self.engine.sources,
                        &e,
                        Some(template),
                    ));
                    None
                }
            },
        );
        (html, out.diagnostics)
    }

    /// Data files, feeds, the search index, theme assets, media and static
    /// files; and the template problems met making them.
    pub fn other_files(&self) -> (Vec<OutFile>, Vec<Diagnostic>) {
        let (mut files, problems) = self.generated_files();
        files.extend(self.copied_files());
        (files, problems)
    }

    /// Files computed from the whole site: data files, feeds, sitemap, the
    /// search index; and the template problems met making them (a file
    /// whose template fails is left out).
    pub fn generated_files(&self) -> (Vec<OutFile>, Vec<Diagnostic>) {
        let (lib, engine) = (&self.lib, self.engine);
        let words = Words { engine };
        let article_pages: HashMap<usize, &Page> = self
            .pages
            .iter()
            .filter_map(|p| match p.kind {
                crate::pages::PageKind::Article(i) => Some((i, p)),
                _ => None,
            })
            .collect();
        // An article's text for the feeds; its links were checked on its page.
        let article_html = |i: usize| {
            let (a, page) = (self.site.articles.get(i)?, article_pages.get(&i)?);
            let mut out = PageOutput::new(self.site, page);
            let year = Some(views::article_year(a));
            Some(out.markdown(&a.body, a.file, a.body_line, year, &self.resolver))
        };
        let made: [(&str, Result<Vec<OutFile>, tera::Error>); 4] = [
            ("labels.html", views::data_files(lib, &words)),
            (
                "feed.xml",
                feeds::feeds(lib, self.pages, engine, &article_html),
            ),
            ("sitemap.xml", feeds::sitemap(lib, self.pages, engine)),
            ("labels.html", search::index(lib, &words)),
        ];
        let (mut files, mut problems) = report::reports(lib, self.pages, engine, &self.resolver);
        for (template, result) in made {
            match result {
                Ok(f) => files.extend(f),
                Err(e) => problems.extend(template_error::diagnostics(
                    &self.site.files,
                    &engine.sources,
                    &e,
                    Some(template),
                )),
            }
        }
        (files, problems)
    }

    /// Theme assets, media and static files: nothing to compute.
    pub fn copied_files(&self) -> Vec<OutFile> {
        let site = self.site;
        let mut files: Vec<OutFile> = Vec::new();
        for (path, bytes) in ASSETS {
            let path = crate::pages::file_of(path);
            // The site's own static/ file of the same name wins.
            if !site.statics.iter().any(|s| s.rel == path) {
                files.push(OutFile {
                    path,
                    content: Content::Bytes(bytes.to_vec()),
                });
            }
        }
        // Published under their NFC names; read from the names on disk.
        for a in site.media.iter().chain(&site.statics) {
            files.push(OutFile {
                path: a.rel.clone(),
                content: Content::Copy(site.root.join(site.files.path(a.file))),
            });
        }
        files
    }
}

/// Renders only the Markdown of the site, for its link problems; used when
/// other errors already prevent a build.
pub fn check_markdown(site: &Site, pages: &[Page]) -> Vec<Diagnostic> {
    check_markdown_cached(site, pages, &mut MarkdownCache::default())
}

/// The link problems of each page's Markdown, kept by `serve` between
/// builds: a page whose Markdown and whose site's set of pages and plans are
/// unchanged is not rendered again.
#[derive(Default)]
pub struct MarkdownCache {
    /// What links may point to, hashed.
    targets: u64,
    /// (page URL, its Markdown hashed) → problems.
    pages: HashMap<(String, u64), Vec<Diagnostic>>,
}

/// [`check_markdown`], reusing and refilling `cache`.
pub fn check_markdown_cached(
    site: &Site,
    pages: &[Page],
    cache: &mut MarkdownCache,
) -> Vec<Diagnostic> {
    let resolver = SiteResolver::new(site, pages);
    let targets = hash_of(|h| {
        for p in pages {
            p.url.hash(h);
        }
        for p in &site.plans {
            (p.symbol.to_string(), p.year.value).hash(h);
        }
        for m in &site.media {
            m.rel.hash(h);
        }
    });
    if targets != cache.targets {
        *cache = MarkdownCache {
            targets,
            pages: HashMap::new(),
        };
    }
    let results: Vec<((String, u64), Vec<Diagnostic>)> = pages
        .par_iter()
        .filter_map(|page| {
            let sources = views::markdown_sources(site, page);
            if sources.is_empty() {
                return None;
            }
            let key = hash_of(|h| {
                for (text, file, line, year) in &sources {
                    (text, site.files.path(*file), line, year).hash(h);
                }
            });
            let key = (page.url.clone(), key);
            if let Some(d) = cache.pages.get(&key) {
                return Some((key, d.clone()));
            }
            let mut out = PageOutput::new(site, page);
            for (text, file, line, year) in sources {
                out.markdown(text, file, line, year, &resolver);
            }
            Some((key, out.diagnostics))
        })
        .collect();
    cache.pages = results.iter().cloned().collect();
    results.into_iter().flat_map(|(_, d)| d).collect()
}

fn hash_of(f: impl FnOnce(&mut std::collections::hash_map::DefaultHasher)) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    f(&mut h);
    h.finish()
}

/// What rendering one page collects besides its HTML.
pub struct PageOutput<'s> {
    site: &'s Site,
    page: &'s Page,
    used_ids: HashSet<String>,
    pub diagnostics: Vec<Diagnostic>,
}

impl<'s> PageOutput<'s> {
    fn new(site: &'s Site, page: &'s Page) -> Self {
        PageOutput {
            site,
            page,
            used_ids: HashSet::new(),
            diagnostics: Vec::new(),
        }
    }

    /// Renders Markdown written in `file` starting at `line` (1-based),
    /// reporting its link problems there.
    pub fn markdown(
        &mut self,
        text: &str,
        file: FileId,
        line: u32,
        year: Option<i32>,
        resolver: &SiteResolver,
    ) -> String {
        let mut cx = markdown::Context {
            page_url: &self.page.url,
            resolver,
            year,
            used_ids: std::mem::take(&mut self.used_ids),
        };
        let Rendered { html, problems } = markdown::render(text, &mut cx);
        self.used_ids = cx.used_ids;
        for p in problems {
            self.link_problem(text, file, line, &p);
        }
        html
    }

    fn link_problem(&mut self, text: &str, file: FileId, line: u32, p: &LinkProblem) {
        let (l, c) = position(text, p.offset);
        let loc = Loc::new(file, line + l - 1, c);
        let mut d = Diagnostics::new(&self.site.files);
        let diag = d.report(p.code, loc, p.message.clone());
        if let Some(h) = &p.hint {
            diag.with_hint(h.clone());
        }
        // Pages that show the same text (a tag page and the article) would
        // report it twice; `diagnostic::finish` removes exact repeats.
        self.diagnostics.extend(d.into_vec());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Editors learn what each template receives from docs/mau-trang.md.
    #[test]
    fn the_template_guide_names_every_template() {
        let guide = include_str!("../../docs/mau-trang.md");
        for (name, _) in TEMPLATES {
            assert!(
                guide.contains(&format!("`{name}`")),
                "{name} is missing from docs/mau-trang.md"
            );
        }
    }
}
