// The search at a national archive's size, in Chromium from file:// and over
// HTTP: what a query loads, whole syllables, a word only in an article's
// text, pages of results; and what the index weighs in the output.
//
// Usage: node search.mjs OUTPUT_DIR CONTENT_DIR   (search.sh builds both
// from the national preset of ../shared/bench/gen_site.py)
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from './server.mjs';

const [OUT, CONTENT] = process.argv.slice(2).map((p) => path.resolve(p));
assert.ok(OUT && fs.existsSync(path.join(OUT, 'tim-kiem/index.html')), 'usage: node search.mjs OUTPUT_DIR CONTENT_DIR');
assert.ok(CONTENT && fs.existsSync(path.join(CONTENT, 'articles')), `${CONTENT}/articles is missing`);
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const TIMEOUT = 30_000;
/** What a two-syllable query may load: the page and everything it asks for. */
const QUERY_BUDGET = 300 * 1024;
const BIG_FILE = 1024 * 1024;

let passed = 0;
let failed = 0;
async function check(name, fn) {
  const t0 = Date.now();
  try {
    await fn();
    passed++;
    console.log(`  ok   ${name} (${Date.now() - t0} ms)`);
  } catch (e) {
    failed++;
    console.log(`  FAIL ${name}\n       ${String(e && e.stack || e).split('\n').slice(0, 6).join('\n       ')}`);
  }
}

// ---------------------------------------------------------------- the output
function walk(dir, rel = '', out = []) {
  for (const d of fs.readdirSync(dir, { withFileTypes: true })) {
    const r = rel ? `${rel}/${d.name}` : d.name;
    if (d.isDirectory()) walk(path.join(dir, d.name), r, out);
    else out.push({ rel: r, size: fs.statSync(path.join(dir, d.name)).size });
  }
  return out;
}

// ------------------------------------------------------------- words of a text
const nfc = (s) => s.normalize('NFC').toLowerCase();
/** The page's readable text, from its file on disk. */
function pageText(rel) {
  const html = fs.readFileSync(path.join(OUT, rel), 'utf8');
  const main = /<main[\s\S]*<\/main>/.exec(html);
  return nfc((main ? main[0] : html).replace(/<[^>]*>/g, ' ').replace(/&[a-z]+;|&#\d+;/g, ' '));
}
/** Whole words: letters, digits and marks. */
const wordsOf = (text) => nfc(text).match(/[\p{Alphabetic}\p{N}\p{M}]+/gu) || [];
/** Old and new tone placement are one word: hoà = hòa. */
const oneSpelling = (w) => w.replace(/oà/g, 'òa').replace(/oá/g, 'óa').replace(/oả/g, 'ỏa').replace(/oã/g, 'õa').replace(/oạ/g, 'ọa')
  .replace(/uỳ/g, 'ùy').replace(/uý/g, 'úy').replace(/uỷ/g, 'ủy').replace(/uỹ/g, 'ũy').replace(/uỵ/g, 'ụy');

/** An article and four words of its text that are not in its title, the
    rarest (among the first 400 articles) it has: a query for them must find
    it, by its text alone. */
function bodyOnlyWords() {
  const files = [];
  for (const y of fs.readdirSync(path.join(CONTENT, 'articles')).sort()) {
    for (const f of fs.readdirSync(path.join(CONTENT, 'articles', y)).sort()) files.push(path.join(CONTENT, 'articles', y, f));
    if (files.length >= 400) break;
  }
  const docs = files.slice(0, 400).map((f) => {
    const text = fs.readFileSync(f, 'utf8');
    const [, front, body] = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(text);
    const title = /^title: (.*)$/m.exec(front)[1].replace(/^["']|["']$/g, '');
    return { title, body: new Set(wordsOf(body.replace(/\]\([^)]*\)/g, ']'))) };
  });
  const count = new Map();
  for (const d of docs) for (const w of d.body) count.set(w, (count.get(w) || 0) + 1);
  let best = null;
  for (const d of docs) {
    const inTitle = new Set(wordsOf(d.title));
    const rare = [...d.body].filter((w) => !inTitle.has(w) && w.length >= 3 && !/\d/.test(w))
      .sort((a, b) => count.get(a) - count.get(b) || (a < b ? -1 : 1)).slice(0, 4);
    const score = rare.length === 4 ? count.get(rare[3]) : Infinity;
    if (!best || score < best.score) best = { score, title: d.title, query: rare.join(' ') };
  }
  return best;
}

// -------------------------------------------------------------------- browser
async function testOrigin(browser, name, base, localFile) {
  console.log(`\n== ${name}: ${base}`);
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(TIMEOUT);
  const url = (q, page) => `${base}tim-kiem/index.html?q=${encodeURIComponent(q)}${page ? `&trang=${page}` : ''}`;

  /** Opens a query in a fresh page; returns the page, its status line,
      its results and the bytes of every file it loaded. */
  async function open(q, pageNo) {
    const page = await context.newPage();
    const loaded = new Set();
    page.on('requestfinished', (r) => loaded.add(r.url()));
    page.on('requestfailed', (r) => loaded.add(`FAILED ${r.url()}`));
    await page.goto(url(q, pageNo));
    await page.waitForFunction(() => /^(Tìm thấy|Không tìm thấy)/.test(document.querySelector('.search-status').textContent), null, { timeout: TIMEOUT });
    await page.waitForLoadState('load');
    const status = (await page.locator('.search-status').textContent()).trim();
    const results = await page.$$eval('.search-results li > a', (as) => as.map((a) => ({ title: a.textContent, href: a.href })));
    let bytes = 0;
    const files = [];
    for (const u of loaded) {
      assert.ok(!u.startsWith('FAILED'), `${u}`);
      const f = localFile(u);
      assert.ok(f, `loaded from elsewhere: ${u}`);
      bytes += fs.statSync(f).size;
      files.push(path.relative(OUT, f));
    }
    return { page, status, results, bytes, files };
  }
  const rel = (href) => {
    const f = localFile(href);
    return path.relative(OUT, f);
  };

  for (const q of ['phát triển', 'kết nạp', 'Ngân Sơn', 'đồng bào']) {
    await check(`${name}: "${q}" loads under ${QUERY_BUDGET / 1024} KB and every result has both syllables`, async () => {
      const r = await open(q);
      assert.match(r.status, /^Tìm thấy [\d.]+ kết quả/, r.status);
      assert.ok(r.results.length > 0 && r.results.length <= 10, `${r.results.length} results`);
      assert.ok(r.files.some((f) => f.startsWith('tim-kiem/chi-muc/tu-')), 'a term file was loaded');
      assert.ok(r.bytes < QUERY_BUDGET, `${r.bytes} bytes loaded: ${r.files.join(', ')}`);
      const want = wordsOf(q).map(oneSpelling);
      for (const res of r.results) {
        const have = new Set(wordsOf(pageText(rel(res.href))).map(oneSpelling));
        for (const w of want) assert.ok(have.has(w), `"${w}" is not a word of ${rel(res.href)}`);
      }
      console.log(`       ${r.status} ${(r.bytes / 1024).toFixed(1)} KB in ${r.files.length} files`);
      await r.page.close();
    });
  }

  await check(`${name}: "hoà" finds only hoà and hòa, over three pages`, async () => {
    let shown = 0;
    for (const n of [1, 2, 3]) {
      const r = await open('hoà', n);
      assert.match(r.status, /^Tìm thấy [\d.]+ kết quả/, r.status);
      for (const res of r.results) {
        const words = new Set(wordsOf(pageText(rel(res.href))).map(oneSpelling));
        assert.ok(words.has('hòa'), `${rel(res.href)} has no word hoà/hòa`);
        shown++;
      }
      await r.page.close();
    }
    assert.ok(shown > 10, `${shown} results checked`);
  });

  await check(`${name}: words only in an article's text find it`, async () => {
    const { title, query } = bodyOnlyWords();
    let found = 0;
    let status = '';
    for (let n = 1; n <= 20 && !found; n++) {
      const r = await open(query, n);
      status = r.status;
      if (r.results.some((x) => x.title === title)) found = n;
      const last = /trang (\d+)\/(\d+)/.exec(r.status);
      await r.page.close();
      if (!last || last[1] === last[2]) break;
    }
    assert.ok(found, `"${query}" (${status}): "${title}" not in the first 20 pages`);
    console.log(`       "${query}" → ${status} "${title}" on page ${found}`);
  });

  await check(`${name}: pages of results (next, a number, the last)`, async () => {
    const r = await open('đảng viên');
    const m = /^Tìm thấy ([\d.]+) kết quả cho “đảng viên”; trang 1\/([\d.]+)\.$/.exec(r.status);
    assert.ok(m, r.status);
    const total = Number(m[1].replace(/\./g, ''));
    const pages = Number(m[2].replace(/\./g, ''));
    assert.equal(pages, Math.ceil(total / 10));
    const page = r.page;
    const first = r.results.map((x) => x.href).join('|');
    await Promise.all([page.waitForURL(/trang=2/), page.locator('.search-pages a[rel=next]').click()]);
    await page.waitForFunction(() => /trang 2\//.test(document.querySelector('.search-status').textContent));
    const second = await page.$$eval('.search-results li > a', (as) => as.map((a) => a.href).join('|'));
    assert.notEqual(second, first);
    assert.equal(await page.locator('.search-pages [aria-current=page]').textContent(), '2');
    const last = page.locator('.search-pages ol a').last();
    assert.equal((await last.textContent()).replace(/\./g, ''), String(pages));
    await Promise.all([page.waitForURL(new RegExp(`trang=${pages}$`)), last.click()]);
    await page.waitForFunction((p) => document.querySelector('.search-status').textContent.includes(`trang ${p}/${p}`), m[2]);
    const onLast = await page.locator('.search-results li').count();
    assert.equal(onLast, total - (pages - 1) * 10, 'the last page holds the rest');
    assert.equal(await page.locator('.search-pages a[rel=next]').count(), 0);
    await page.close();
  });
  await context.close();
}

async function main() {
  const files = walk(OUT);
  const total = files.reduce((s, f) => s + f.size, 0);
  const index = files.filter((f) => f.rel.startsWith('tim-kiem/chi-muc/'));
  const indexBytes = index.reduce((s, f) => s + f.size, 0);
  console.log(`output: ${files.length} files, ${(total / 1e6).toFixed(1)} MB; search index: ${index.length} files, ${(indexBytes / 1e6).toFixed(1)} MB (${(100 * indexBytes / (total - indexBytes)).toFixed(1)} % added)`);
  await check('the search index adds under 10 % to the output', async () => {
    assert.ok(indexBytes < 0.1 * (total - indexBytes), `${indexBytes} of ${total}`);
  });
  // Media, and the data files for programs (so-lieu.json, .csv: a row for
  // each of thousands of units, self-describing), may be larger.
  const exempt = (rel) => rel.startsWith('media/') || /(^|\/)so-lieu\.(json|csv)$/.test(rel);
  const largest = files.filter((f) => !exempt(f.rel)).sort((a, b) => b.size - a.size)[0];
  console.log(`largest file but media and data: ${largest.rel}, ${largest.size} bytes`);
  await check('no file but media and data files is over 1 MiB', async () => {
    const big = files.filter((f) => f.size > BIG_FILE && !exempt(f.rel)).map((f) => `${f.rel} (${f.size} bytes)`);
    assert.deepEqual(big, []);
  });

  const srv = await startServer([{ prefix: '/luu-tru/', root: OUT }]);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bantin-search-'));
  process.env.TMPDIR = scratch;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    await testOrigin(browser, 'file://', pathToFileURL(OUT).href + '/', (u) => {
      const x = new URL(u);
      return x.protocol === 'file:' ? fileURLToPath(x) : null;
    });
    await testOrigin(browser, 'http', `${srv.origin}/luu-tru/`, (u) => {
      const x = new URL(u);
      if (x.origin !== srv.origin || !x.pathname.startsWith('/luu-tru/')) return null;
      const p = decodeURIComponent(x.pathname.slice('/luu-tru/'.length));
      return path.join(OUT, p.endsWith('/') || p === '' ? `${p}index.html` : p);
    });
  } finally {
    await browser.close();
    srv.server.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  console.log(`\nsearch: ${passed} passed, ${failed} failed`);
  process.exitCode = failed ? 1 : 0;
}

main().catch((e) => { console.error(e); process.exit(1); });
