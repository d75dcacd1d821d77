// HTML validation of the built site with the Nu HTML Checker (vnu.jar from
// npm, run with the machine's Java), plus well-formedness of the XML and JSON
// files. Every HTML page of the sample site is checked (so every page kind),
// and the paginated pages of the articles_per_page: 5 variant.
// Writes artefacts/validate.json ({pages, errors, failed}) for run.sh's summary.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ARTEFACTS, SITE, SITE_PAGED, allHtml, pageKinds } from './pages.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const VNU = path.join(HERE, 'node_modules/vnu-jar/build/dist/vnu.jar');
const JAVA = process.env.JAVA || 'java';
const summary = { pages: 0, errors: 0, xml: 0, json: 0, failed: 0, problems: [] };
const fail = (msg) => { summary.failed++; summary.problems.push(msg); console.log(`  FAIL ${msg}`); };

// --- HTML (+ the stylesheet) -------------------------------------------------
const mainPages = allHtml(SITE).map((r) => path.join(SITE, r));
const pagedPages = allHtml(SITE_PAGED).filter((r) => /(^|\/)trang-\d+\//.test(r)).map((r) => path.join(SITE_PAGED, r));
const files = [...mainPages, ...pagedPages];
const kinds = pageKinds();
for (const k of kinds) {
  const f = path.join(k.site === 'paged' ? SITE_PAGED : SITE, k.rel);
  if (!files.includes(f)) fail(`page kind ${k.kind} (${k.rel}) is not among the validated files`);
}
assert.ok(files.length > 0, 'no HTML page found: was the site built?');
console.log(`vnu: ${files.length} HTML pages (${kinds.length} page kinds) + assets/bantin.css`);

const t0 = Date.now();
const vnu = spawnSync(JAVA, ['-Xss8m', '-jar', VNU, '--errors-only', '--format', 'json', '--also-check-css',
  ...files, path.join(SITE, 'assets/bantin.css')], { encoding: 'utf8', maxBuffer: 64 << 20 });
if (vnu.error) throw vnu.error;
let messages = [];
try {
  messages = JSON.parse(vnu.stderr || vnu.stdout || '{"messages":[]}').messages;
} catch (e) {
  fail(`could not read vnu's output (exit ${vnu.status}): ${(vnu.stderr || '').slice(0, 500)}`);
}
const errors = messages.filter((m) => m.type === 'error' || m.type === 'non-document-error');
summary.pages = files.length;
summary.errors = errors.length;
for (const m of errors) {
  const where = m.url ? fileURLToPath(m.url).replace(ARTEFACTS + path.sep, '') : '?';
  console.log(`  ${where}:${m.lastLine ?? '?'}:${m.firstColumn ?? m.lastColumn ?? '?'}: ${m.type}: ${m.message}`);
  if (m.extract) console.log(`      ${m.extract.replace(/\s+/g, ' ').slice(0, 160)}`);
}
if (errors.length) fail(`vnu: ${errors.length} error(s)`);
else if (vnu.status !== 0) fail(`vnu exited ${vnu.status}: ${vnu.stderr.slice(0, 500)}`);
console.log(`vnu: ${errors.length} error(s) in ${files.length} pages (${((Date.now() - t0) / 1000).toFixed(1)} s)`);

// --- XML: feed and sitemap(s) ---------------------------------------------------
const ATOM = 'http://www.w3.org/2005/Atom';
const SM = 'http://www.sitemaps.org/schemas/sitemap/0.9';
const xml = [`${path.join(SITE, 'feed.xml')}=${ATOM}#feed`];
for (const f of fs.readdirSync(SITE).filter((n) => /^sitemap(-\d+)?\.xml$/.test(n))) {
  xml.push(`${path.join(SITE, f)}=${SM}#${f === 'sitemap.xml' && fs.readFileSync(path.join(SITE, f), 'utf8').includes('<sitemapindex') ? 'sitemapindex' : 'urlset'}`);
}
if (!xml.some((x) => x.includes('sitemap.xml'))) fail('sitemap.xml is missing');
const x = spawnSync(JAVA, [path.join(HERE, 'XmlWellFormed.java'), ...xml], { encoding: 'utf8' });
process.stdout.write(x.stdout.replaceAll(ARTEFACTS + path.sep, '').replace(/^/gm, '  '));
if (x.status !== 0) fail(`XML check: ${x.stderr.trim() || 'not well-formed'}`);
summary.xml = xml.length;

// --- JSON: statistics data; the search index's script files ---------------------
const jsonFiles = fs.readdirSync(SITE, { recursive: true }).filter((r) => r.endsWith('.json')).sort();
for (const r of jsonFiles) {
  try { JSON.parse(fs.readFileSync(path.join(SITE, r), 'utf8')); summary.json++; } catch (e) { fail(`${r}: ${e.message}`); }
}
// every file of the search index is one call around JSON (docs/chi-muc-tim-kiem.md)
try {
  const dir = path.join(SITE, 'tim-kiem/chi-muc');
  const m = /^window\.BANTIN_CHI_MUC = (\{.*\});\n$/s.exec(fs.readFileSync(path.join(dir, 'muc-luc.js'), 'utf8'));
  assert.ok(m, 'tim-kiem/chi-muc/muc-luc.js is "window.BANTIN_CHI_MUC = {...};"');
  const manifest = JSON.parse(m[1]);
  const names = fs.readdirSync(dir).filter((n) => n !== 'muc-luc.js');
  const terms = names.filter((n) => n.startsWith('tu-')).length;
  const docs = names.filter((n) => n.startsWith('bai-')).length;
  assert.equal(terms, manifest.first_terms.length, 'one term file per first term in the manifest');
  assert.equal(docs, Math.ceil(manifest.docs / manifest.docs_per_file), 'document files for every document');
  assert.equal(names.length, terms + docs, 'no other file in tim-kiem/chi-muc/');
  for (const n of names) {
    const text = fs.readFileSync(path.join(dir, n), 'utf8');
    const call = /^BANTIN_CHI_MUC_NAP\("([0-9a-f]{8})","(tu|bai)",(\d+),(.*)\);\n$/s.exec(text);
    assert.ok(call, `${n} is BANTIN_CHI_MUC_NAP(version, kind, n, json);`);
    assert.equal(call[1], manifest.v, `${n} carries the manifest's version`);
    assert.equal(`${call[2]}-${call[3]}.js`, n, `${n} names itself`);
    JSON.parse(call[4]);
    summary.json++;
  }
} catch (e) { fail(e.message.split('\n')[0]); }
console.log(`xml: ${summary.xml} file(s) well-formed check; json: ${summary.json} file(s) parsed`);

fs.writeFileSync(path.join(ARTEFACTS, 'validate.json'), JSON.stringify(summary, null, 2));
console.log(`validate: ${summary.pages} pages, ${summary.errors} vnu error(s), ${summary.failed} failed check(s)`);
process.exitCode = summary.failed ? 1 : 0;
