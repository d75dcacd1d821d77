// One page of every page kind of a built bantin site, found on disk (so the
// list follows the content rather than hard-coding slugs).
import fs from 'node:fs';
import path from 'node:path';

const HERE = path.dirname(new URL(import.meta.url).pathname);
export const ARTEFACTS = path.join(HERE, 'artefacts');
export const SITE = path.join(ARTEFACTS, 'site'); // built from content/ as is
export const SITE_PAGED = path.join(ARTEFACTS, 'site-paged'); // same, articles_per_page: 5

function dirs(root, rel, needIndex = true) {
  const abs = path.join(root, rel);
  if (!fs.existsSync(abs)) return [];
  return fs.readdirSync(abs, { withFileTypes: true })
    .filter((d) => d.isDirectory() && (!needIndex || fs.existsSync(path.join(abs, d.name, 'index.html'))))
    .map((d) => d.name)
    .sort();
}
const num = (s) => Number(String(s).replace(/\D/g, ''));
const latest = (names) => [...names].sort((a, b) => num(a) - num(b)).at(-1);

function latestQuarter(root, section) {
  const years = dirs(root, section, false).filter((y) => /^\d{4}$/.test(y));
  for (const y of [...years].sort().reverse()) {
    const qs = dirs(root, `${section}/${y}`).filter((q) => /^quy-[1-4]$/.test(q));
    if (qs.length) return { year: y, quarter: latest(qs) };
  }
  throw new Error(`no ${section}/<year>/quy-<N>/ page in ${root}`);
}

function must(root, rel) {
  if (!fs.existsSync(path.join(root, rel))) throw new Error(`expected page ${rel} in ${root}`);
  return rel;
}

/** [{ kind, site: 'main'|'paged', rel }] — rel is a path relative to the site root. */
export function pageKinds(root = SITE, pagedRoot = SITE_PAGED) {
  const b = latestQuarter(root, 'ban-tin');
  const s = latestQuarter(root, 'thong-ke');
  const plan = dirs(root, 'ke-hoach')[0];
  const unit = dirs(root, 'don-vi')[0];
  const articles = dirs(root, 'tin-tuc').filter((d) => !/^trang-\d+$/.test(d));
  // prefer an article with a lead image and related articles (the richest layout)
  const article = articles.find((a) => {
    const html = fs.readFileSync(path.join(root, 'tin-tuc', a, 'index.html'), 'utf8');
    return html.includes('lead-image') && html.includes('tin-lien-quan');
  }) || articles[0];
  const tag = dirs(root, 'chu-de').sort((x, y) =>
    fs.statSync(path.join(root, 'chu-de', y, 'index.html')).size -
    fs.statSync(path.join(root, 'chu-de', x, 'index.html')).size)[0];
  const news2 = fs.existsSync(path.join(root, 'tin-tuc/trang-2/index.html'))
    ? { site: 'main', rel: 'tin-tuc/trang-2/index.html' }
    : { site: 'paged', rel: must(pagedRoot, 'tin-tuc/trang-2/index.html') };
  const pagedTag = dirs(pagedRoot, 'chu-de').find((t) =>
    fs.existsSync(path.join(pagedRoot, 'chu-de', t, 'trang-2', 'index.html')));
  const list = [
    { kind: 'home', site: 'main', rel: must(root, 'index.html') },
    { kind: 'bulletins', site: 'main', rel: must(root, 'ban-tin/index.html') },
    { kind: 'bulletin', site: 'main', rel: `ban-tin/${b.year}/${b.quarter}/index.html` },
    { kind: 'statistics-index', site: 'main', rel: must(root, 'thong-ke/index.html') },
    { kind: 'statistics-quarter', site: 'main', rel: `thong-ke/${s.year}/${s.quarter}/index.html` },
    { kind: 'statistics-year', site: 'main', rel: must(root, `thong-ke/${s.year}/index.html`) },
    { kind: 'plans', site: 'main', rel: must(root, 'ke-hoach/index.html') },
    { kind: 'plan', site: 'main', rel: must(root, `ke-hoach/${plan}/index.html`) },
    { kind: 'units', site: 'main', rel: must(root, 'don-vi/index.html') },
    { kind: 'unit', site: 'main', rel: must(root, `don-vi/${unit}/index.html`) },
    { kind: 'news', site: 'main', rel: must(root, 'tin-tuc/index.html') },
    { kind: 'news-page-2', ...news2 },
    { kind: 'article', site: 'main', rel: must(root, `tin-tuc/${article}/index.html`) },
    { kind: 'tags', site: 'main', rel: must(root, 'chu-de/index.html') },
    { kind: 'tag', site: 'main', rel: must(root, `chu-de/${tag}/index.html`) },
    { kind: 'search', site: 'main', rel: must(root, 'tim-kiem/index.html') },
    { kind: '404', site: 'main', rel: must(root, '404.html') },
  ];
  // a term of office, when the site has terms (the sample has two)
  const term = dirs(root, 'nhiem-ky').sort()[0];
  if (term) list.push({ kind: 'term', site: 'main', rel: must(root, `nhiem-ky/${term}/index.html`) });
  if (pagedTag) list.push({ kind: 'tag-page-2', site: 'paged', rel: `chu-de/${pagedTag}/trang-2/index.html` });
  return list;
}

/** Every *.html file under root, relative, sorted. */
export function allHtml(root) {
  const out = [];
  const walk = (rel) => {
    for (const d of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${d.name}` : d.name;
      if (d.isDirectory()) walk(r);
      else if (d.name.endsWith('.html')) out.push(r);
    }
  };
  walk('');
  return out.sort();
}
