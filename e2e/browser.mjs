// End-to-end browser test of the built sample site, with Debian's Chromium
// driven by playwright-core (no bundled browser, no test runner).
//
// Origins: file://…/site/ (opened from a disk) and http://127.0.0.1:PORT under
// a sub-path (/luu-tru/ban-tin/), plus a short smoke test at the server root.
// Writes artefacts/browser.json ({passed, failed, axe}) for run.sh's summary.
//
// Usage: node browser.mjs   (after run.sh has built artefacts/site and site-paged)
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from './server.mjs';
import { ARTEFACTS, SITE, SITE_PAGED, pageKinds } from './pages.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const AXE = path.join(HERE, 'node_modules/axe-core/axe.min.js');
const SHOTS = path.join(ARTEFACTS, 'screenshots');
const PDF = path.join(ARTEFACTS, 'ban-tin.pdf');
const SUB = '/luu-tru/ban-tin/';
const SUB_PAGED = '/luu-tru/phan-trang/';
const TIMEOUT = 15_000;

// ---------------------------------------------------------------- bookkeeping
const results = { passed: 0, failed: 0, failures: [], axe: { serious: 0, pages: 0, details: [] } };

async function check(name, fn) {
  const t0 = Date.now();
  try {
    await fn();
    results.passed++;
    console.log(`  ok   ${name} (${Date.now() - t0} ms)`);
  } catch (err) {
    results.failed++;
    const msg = (err && err.message ? err.message : String(err)).split('\n').slice(0, 12).join('\n         ');
    results.failures.push({ name, message: msg });
    console.log(`  FAIL ${name}\n         ${msg}`);
  }
}

// Everything a page does that is not allowed: console errors, uncaught
// exceptions, failed or >= 400 requests, and any request off the two origins.
// Two things are the browser's, not the site's: its own request for
// /favicon.ico at the server root (the site, served from a sub-path, declares
// no icon), and requests it aborts because we navigated on (lazy images):
// those must still name a file that exists.
let localFile = () => null; // URL → path on disk, set in main()
function guard(page, allowed) {
  const problems = [];
  const aborted = new Set();
  const favicon = (u) => { try { return new URL(u).pathname === '/favicon.ico'; } catch { return false; } };
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    if (/^Failed to load resource/.test(m.text()) && favicon(m.location().url)) return;
    problems.push(`console error: ${m.text()} (${m.location().url || page.url()})`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('request', (r) => {
    if (!allowed(r.url())) problems.push(`request to another host: ${r.url()}`);
  });
  page.on('requestfailed', (r) => {
    if (r.failure()?.errorText === 'net::ERR_ABORTED') { aborted.add(r.url()); return; }
    problems.push(`request failed: ${r.url()} (${r.failure()?.errorText})`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400 && !favicon(r.url())) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  page.problems = problems;
  page.aborted = aborted;
  return page;
}
function assertClean(page, what) {
  for (const u of page.aborted) {
    const f = localFile(u);
    if (!f || !fs.existsSync(f)) page.problems.push(`aborted request for a missing file: ${u}`);
  }
  assert.deepEqual(page.problems, [], `${what}: unexpected console errors or requests`);
}

// ------------------------------------------------------------------ helpers
async function h1Text(page) {
  const h1 = page.locator('main h1');
  await h1.first().waitFor({ state: 'attached', timeout: TIMEOUT });
  assert.equal(await h1.count(), 1, `exactly one <h1> in <main> on ${page.url()}`);
  const text = (await h1.textContent()).replace(/\s+/g, ' ').trim();
  assert.ok(text.length > 0, `<h1> is empty on ${page.url()}`);
  return text;
}

// Click a real link and wait for the page it leads to.
async function follow(page, link, expect, label) {
  await link.waitFor({ state: 'visible', timeout: TIMEOUT });
  const href = await link.evaluate((a) => a.href);
  const before = page.url();
  assert.match(href, expect, `${label}: link target ${href}`);
  await Promise.all([page.waitForURL(href, { timeout: TIMEOUT }), link.click()]);
  await page.waitForLoadState('load');
  assert.notEqual(page.url(), before, `${label}: URL did not change`);
  assert.match(page.url(), expect, `${label}: landed on ${page.url()}`);
  return h1Text(page);
}

// Does a same-site link resolve to a file (file://) or a 200 (http)?
async function resolves(context, href) {
  const u = new URL(href);
  if (u.protocol === 'file:') {
    let p = fileURLToPath(u);
    if (p.endsWith('/')) p += 'index.html';
    return fs.existsSync(p) && fs.statSync(p).isFile();
  }
  const r = await context.request.get(href, { maxRedirects: 0 });
  return r.status() === 200;
}

const cssPx = (page, sel, prop) =>
  page.$eval(sel, (el, p) => parseFloat(getComputedStyle(el)[p]), prop);

// ------------------------------------------------------------------ origins
async function testOrigin(browser, o) {
  console.log(`\n== ${o.name}: ${o.base}`);
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(TIMEOUT);
  const newPage = async () => guard(await context.newPage(), o.allowed);

  await check(`${o.name}: walk home → bulletin → statistics → unit → home → article`, async () => {
    const page = await newPage();
    await page.goto(o.home);
    const homeUrl = page.url();
    await h1Text(page);
    const bulletinTitle = await follow(page, page.getByRole('link', { name: 'Đọc bản tin', exact: true }),
      /\/ban-tin\/\d{4}\/quy-[1-4]\/index\.html$/, 'home → bulletin');
    assert.match(bulletinTitle, /quý/i);
    assert.ok((await page.locator('.bulletin-text').innerText()).length > 200, 'bulletin text is there');
    await follow(page, page.locator('.downloads a', { hasText: 'bảng thống kê' }),
      /\/thong-ke\/\d{4}\/quy-[1-4]\/index\.html$/, 'bulletin → statistics');
    const unitLink = page.locator('table.data tbody th[scope="row"] a').first();
    // The row shows the short name ("Phường Vân Lĩnh"), the page the full one
    // ("Đảng bộ phường Vân Lĩnh"): every word of the one is in the other.
    const unitName = await unitLink.textContent();
    const unitTitle = await follow(page, unitLink, /\/don-vi\/[a-z0-9-]+\/index\.html$/, 'statistics → unit');
    const titleWords = unitTitle.toLowerCase().split(/\s+/);
    assert.ok(unitName.trim().toLowerCase().split(/\s+/).every((w) => titleWords.includes(w)),
      `unit page h1 "${unitTitle}" names "${unitName}"`);
    await follow(page, page.locator('a.brand'), /\/index\.html$/, 'unit → home');
    assert.equal(page.url(), homeUrl.endsWith('/') ? homeUrl + 'index.html' : homeUrl, 'back on the home page');
    const news = page.locator('section[aria-labelledby="tin-moi"] .article-item-title a').first();
    const newsTitle = (await news.textContent()).trim();
    const articleTitle = await follow(page, news, /\/tin-tuc\/[a-z0-9-]+\/index\.html$/, 'home → article');
    assert.ok(articleTitle.startsWith(newsTitle), `article h1 "${articleTitle}" is "${newsTitle}"`);
    // every image on the article is really there
    const broken = await page.$$eval('img', (imgs) => imgs.filter((i) => !(i.complete && i.naturalWidth > 0)).map((i) => i.src));
    assert.deepEqual(broken, [], 'images that did not load');
    assertClean(page, 'walk');
    await page.close();
  });

  await check(`${o.name}: search (query string, typing, whole syllables, pages, result links)`, async () => {
    const page = await newPage();
    await page.goto(o.url('tim-kiem/index.html?q=dang%20vien'));
    await page.waitForSelector('.search-results li a');
    assert.equal(await page.inputValue('#q'), 'dang vien', 'query string fills the box');
    const titles = await page.locator('.search-results li > a').allTextContents();
    assert.ok(titles.some((t) => t.toLowerCase().includes('đảng viên')),
      `a result title contains "đảng viên": ${titles.slice(0, 5).join(' | ')}`);
    const status = await page.locator('.search-status').textContent();
    const m = /^Tìm thấy ([\d.]+) kết quả cho “dang vien”; trang 1\/(\d+)\.$/.exec(status);
    assert.ok(m, `status names the count and the pages: ${status}`);
    assert.equal(titles.length, 10, '10 results a page');

    // Pages: plain links with the query and the page number.
    const firstPage = titles.join('|');
    await Promise.all([page.waitForURL(/trang=2/), page.locator('.search-pages a[rel=next]').click()]);
    await page.waitForSelector('.search-results li a');
    assert.equal(await page.locator('.search-pages [aria-current=page]').textContent(), '2');
    assert.match(await page.locator('.search-status').textContent(), /; trang 2\//);
    assert.notEqual((await page.locator('.search-results li > a').allTextContents()).join('|'), firstPage);

    // A word being typed matches longer words (hoà → hoàn, Hoàng); the
    // query once sent is whole syllables: the sample has no word "hoà".
    await page.fill('#q', '');
    await page.waitForFunction(() => !document.querySelector('.search-results li'));
    await page.locator('#q').pressSequentially('hoà', { delay: 40 });
    await page.waitForFunction(() => /“hoà”/.test(document.querySelector('.search-status').textContent));
    const hrefs = await page.$$eval('.search-results li > a', (as) => as.map((a) => a.href));
    assert.ok(hrefs.length > 0, 'typing "hoà" gives results (hoàn, Hoàng)');
    for (const href of hrefs) {
      assert.ok(href.startsWith(o.siteRoot), `result link stays on the site: ${href}`);
      assert.ok(await resolves(context, href), `result link resolves: ${href}`);
    }
    await page.locator('#q').press('Enter');
    await page.waitForFunction(() => /^Không tìm thấy kết quả nào cho “hoà”/.test(document.querySelector('.search-status').textContent));
    assert.equal(await page.locator('.search-results li').count(), 0, '"hoà" sent: no hoàn, no hoạch');

    await page.fill('#q', 'ke hoach');
    await page.locator('#q').press('Enter');
    await page.waitForFunction(() => /“ke hoach”/.test(document.querySelector('.search-status').textContent));
    const first = page.locator('.search-results li > a').first();
    const firstTitle = (await first.textContent()).trim();
    const firstHref = await first.evaluate((a) => a.href);
    await Promise.all([page.waitForURL(firstHref), first.click()]);
    const h1 = await h1Text(page);
    assert.ok(h1.length > 0 && firstTitle.length > 0);
    assertClean(page, 'search');
    await page.close();
  });

  await check(`${o.name}: text size and high contrast persist`, async () => {
    const page = await newPage();
    await page.goto(o.url(o.pages.bulletin));
    await page.waitForSelector('html.js .a11y-tools');
    const size0 = await cssPx(page, 'html', 'fontSize');
    const larger = page.getByRole('button', { name: 'Tăng cỡ chữ' });
    await larger.click();
    await larger.click();
    const size2 = await cssPx(page, 'html', 'fontSize');
    assert.ok(size2 > size0, `font size grew: ${size0}px → ${size2}px`);
    const contrast = page.getByRole('button', { name: 'Tương phản cao' });
    await contrast.click();
    assert.equal(await contrast.getAttribute('aria-pressed'), 'true');
    assert.ok(await page.evaluate(() => document.documentElement.classList.contains('high-contrast')));
    const bg = await page.$eval('body', (b) => getComputedStyle(b).backgroundColor);

    await page.reload();
    await page.waitForSelector('html.js .a11y-tools');
    assert.equal(await cssPx(page, 'html', 'fontSize'), size2, 'text size persisted');
    assert.ok(await page.evaluate(() => document.documentElement.classList.contains('high-contrast')), 'contrast persisted');
    assert.equal(await contrast.getAttribute('aria-pressed'), 'true');
    assert.equal(await page.$eval('body', (b) => getComputedStyle(b).backgroundColor), bg);
    assert.deepEqual(await page.evaluate(() => [localStorage.getItem('bantin.textSize'), localStorage.getItem('bantin.contrast')]), ['125', '1']);

    await page.getByRole('button', { name: 'Cỡ chữ mặc định' }).click();
    await contrast.click();
    assert.equal(await cssPx(page, 'html', 'fontSize'), size0, 'text size reset');
    assert.equal(await contrast.getAttribute('aria-pressed'), 'false');
    assert.ok(!(await page.evaluate(() => document.documentElement.classList.contains('high-contrast'))));
    assert.deepEqual(await page.evaluate(() => [localStorage.getItem('bantin.textSize'), localStorage.getItem('bantin.contrast')]), [null, null]);
    assertClean(page, 'a11y tools');
    await page.close();
  });

  await check(`${o.name}: print — A4 PDF and no site navigation`, async () => {
    const page = await newPage();
    await page.goto(o.url(o.pages.bulletin));
    await page.waitForLoadState('load');
    assert.notEqual(await page.$eval('.site-nav', (n) => getComputedStyle(n).display), 'none', 'nav shown on screen');
    await page.emulateMedia({ media: 'print' });
    for (const sel of ['.site-nav', '.a11y-tools', '.breadcrumbs']) {
      assert.equal(await page.$eval(sel, (n) => getComputedStyle(n).display), 'none', `${sel} hidden in print`);
    }
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    assert.ok(pdf.length > 10 * 1024, `PDF is ${pdf.length} bytes`);
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
    if (o.savePdf) {
      fs.writeFileSync(PDF, pdf);
      assert.ok(fs.statSync(PDF).size > 10 * 1024, `${PDF} > 10 KB`);
    }
    await page.emulateMedia({ media: 'screen' });
    assertClean(page, 'print');
    await page.close();
  });

  await check(`${o.name}: print — "In" button, the report link, articles without related news, one totals row`, async () => {
    const page = await newPage();
    await page.goto(o.url(o.pages.bulletin));
    await page.waitForLoadState('load');
    assert.ok(await page.locator('.print-button').isVisible(), '"In" shows with the script');
    const report = page.locator('a[href$="bao-cao.docx"]');
    assert.equal(await report.count(), 1, 'the bulletin links its report');
    assert.ok(await resolves(context, await report.evaluate((a) => a.href)), 'the report link resolves');
    await page.evaluate(() => { window.__printed = 0; window.print = () => { window.__printed += 1; }; });
    await page.locator('.print-button').click();
    assert.equal(await page.evaluate(() => window.__printed), 1, '"In" prints');
    await page.goto(o.url(o.pages.article));
    await page.waitForLoadState('load');
    await page.emulateMedia({ media: 'print' });
    for (const sel of ['.related', '.news-article .tags', '.print-action']) {
      if (await page.locator(sel).count()) {
        assert.equal(await page.$eval(sel, (n) => getComputedStyle(n).display), 'none', `${sel} hidden when an article prints`);
      }
    }
    await page.goto(o.url(o.pages['statistics-quarter']));
    await page.waitForLoadState('load');
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.$eval('table.data tfoot', (n) => getComputedStyle(n).display), 'table-row-group',
      'the totals row prints once, at the end of the table');
    await page.emulateMedia({ media: 'screen' });
    assertClean(page, 'print buttons');
    await page.close();
  });
  await context.close();

  await check(`${o.name}: on a phone (375 px) nothing moves once the page has loaded`, async () => {
    const ctx = await browser.newContext({ viewport: { width: 375, height: 812 } });
    ctx.setDefaultTimeout(TIMEOUT);
    const page = guard(await ctx.newPage(), o.allowed);
    for (const rel of [o.pages.home, o.pages.bulletin, o.pages.article, o.pages['statistics-quarter'], o.pages.search]) {
      await page.goto(o.url(rel));
      await page.waitForLoadState('load');
      await page.waitForTimeout(300);
      // Cumulative layout shift since navigation (buffered entries).
      const cls = await page.evaluate(() => new Promise((resolve) => {
        let sum = 0;
        new PerformanceObserver((list) => {
          for (const e of list.getEntries()) { if (!e.hadRecentInput) sum += e.value; }
        }).observe({ type: 'layout-shift', buffered: true });
        setTimeout(() => resolve(sum), 100);
      }));
      assert.ok(cls < 0.01, `${rel}: layout shift ${cls.toFixed(3)} (under 0,01 wanted)`);
    }
    // Chart labels keep a readable size; the statistics table hides no column.
    await page.goto(o.url(o.pages.bulletin));
    await page.waitForLoadState('load');
    const smallest = await page.$$eval('svg.chart text', (ts) => Math.min(...ts.map((t) => t.getBoundingClientRect().height)));
    assert.ok(smallest >= 10, `chart labels ${smallest.toFixed(1)} px high at 375 px (10 wanted)`);
    await page.goto(o.url(o.pages['statistics-quarter']));
    await page.waitForLoadState('load');
    const columns = await page.$eval('table.data', (t) => [...t.querySelectorAll(':scope > thead th')].filter((th) => getComputedStyle(th).display !== 'none').length);
    assert.equal(columns, 18, 'every column of the statistics table at 375 px');
    assertClean(page, 'layout shift');
    await ctx.close();
  });

  await check(`${o.name}: without JavaScript`, async () => {
    const ctx = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
    ctx.setDefaultTimeout(TIMEOUT);
    const page = guard(await ctx.newPage(), o.allowed);
    await page.goto(o.home);
    await h1Text(page);
    assert.ok(await page.locator('main .key-figures').isVisible(), 'home key figures visible');
    assert.ok((await page.locator('main .bulletin-text').innerText()).length > 100, 'home bulletin summary');
    assert.ok(await page.locator('.a11y-tools').isHidden(), 'no dead text-size buttons without JS');
    assert.ok(await page.evaluate(() => document.documentElement.classList.contains('no-js')));

    await page.goto(o.url(o.pages.bulletin));
    assert.match(await h1Text(page), /quý/i);
    assert.ok(await page.locator('main h1').isVisible());
    const text = await page.locator('main .bulletin-text').innerText();
    assert.ok(text.length > 200 && /đảng viên/.test(text), 'bulletin text visible');
    assert.ok(await page.locator('main figure.chart svg').first().isVisible(), 'charts are plain SVG');

    await page.goto(o.url('tim-kiem/index.html'));
    await h1Text(page);
    const notice = page.locator('main .notice', { hasText: 'JavaScript' });
    assert.ok(await notice.isVisible(), 'search page shows its <noscript> notice');
    assert.ok(await page.locator('.search-form').isHidden(), 'no dead search form without JS');
    assertClean(page, 'no-JS');
    await ctx.close();
  });
}

// ----------------------------------------------------------- axe + screenshots
function printAxe(kind, url, violations) {
  for (const v of violations) {
    console.log(`         [${v.impact}] ${v.id}: ${v.help} (${kind}: ${url})\n           ${v.helpUrl}`);
    for (const n of v.nodes.slice(0, 5)) {
      console.log(`           - ${n.target.join(' ')}: ${(n.failureSummary || '').replace(/\s+/g, ' ').slice(0, 240)}`);
    }
    if (v.nodes.length > 5) console.log(`           … and ${v.nodes.length - 5} more`);
  }
}

async function axeScan(page, kind) {
  await page.addScriptTag({ path: AXE });
  const res = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target.map(String), failureSummary: n.failureSummary })),
    }));
  });
  const serious = res.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const minor = res.filter((v) => !serious.includes(v));
  results.axe.pages++;
  results.axe.serious += serious.length; // axe's unit: one rule broken on one page
  results.axe.details.push({ kind, url: page.url(), serious, other: minor.map((v) => `${v.impact} ${v.id}`) });
  if (minor.length) console.log(`         (${kind}: minor/moderate, not counted: ${minor.map((v) => `${v.id}×${v.nodes.length}`).join(', ')})`);
  printAxe(kind, page.url(), serious);
  assert.equal(serious.length, 0, `${kind}: ${serious.length} serious/critical axe rule(s) violated: ${serious.map((v) => v.id).join(', ')}`);
}

async function testAxe(browser, o, kinds) {
  console.log(`\n== axe-core (serious + critical) and screenshots, ${o.name}`);
  fs.mkdirSync(SHOTS, { recursive: true });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(TIMEOUT);
  for (const k of kinds) {
    await check(`axe ${k.kind} (${k.rel})`, async () => {
      const page = guard(await context.newPage(), o.allowed);
      await page.goto(k.site === 'paged' ? o.pagedUrl(k.rel) : o.url(k.rel));
      await page.waitForLoadState('load');
      await h1Text(page);
      // load lazy images now (a full-page screenshot does not scroll) and check them all
      const broken = await page.evaluate(() => Promise.all([...document.images].map((img) => {
        img.loading = 'eager';
        return (img.complete ? Promise.resolve() : new Promise((r) => { img.onload = img.onerror = r; }))
          .then(() => (img.naturalWidth > 0 ? null : img.currentSrc || img.src));
      })).then((list) => list.filter(Boolean)));
      assert.deepEqual(broken, [], `${k.kind}: images that did not load`);
      assertClean(page, k.kind);
      await page.screenshot({ path: path.join(SHOTS, `${k.kind}.png`), fullPage: true });
      await axeScan(page, k.kind);
      await page.close();
    });
  }
  await check('axe bulletin in high-contrast mode', async () => {
    const page = guard(await context.newPage(), o.allowed);
    const k = kinds.find((x) => x.kind === 'bulletin');
    await page.goto(o.url(k.rel));
    await page.getByRole('button', { name: 'Tương phản cao' }).click();
    await page.waitForFunction(() => document.documentElement.classList.contains('high-contrast'));
    await page.screenshot({ path: path.join(SHOTS, 'bulletin-high-contrast.png'), fullPage: true });
    await axeScan(page, 'bulletin (high contrast)');
    await page.getByRole('button', { name: 'Tương phản cao' }).click();
    assertClean(page, 'high contrast');
    await page.close();
  });
  await context.close();
}

// -------------------------------------------------------------------- main
async function main() {
  const t0 = Date.now();
  for (const d of [SITE, SITE_PAGED]) assert.ok(fs.existsSync(path.join(d, 'index.html')), `${d} is built (run run.sh)`);
  const kinds = pageKinds();
  const pages = Object.fromEntries(kinds.map((k) => [k.kind, k.rel]));

  const srv = await startServer([
    { prefix: '/', root: SITE },
    { prefix: SUB, root: SITE },
    { prefix: SUB_PAGED, root: SITE_PAGED },
  ]);
  localFile = (u) => {
    const url = new URL(u);
    if (url.protocol === 'file:') return fileURLToPath(url);
    if (url.origin !== srv.origin) return null;
    const p = decodeURIComponent(url.pathname);
    const [prefix, root] = p.startsWith(SUB_PAGED) ? [SUB_PAGED, SITE_PAGED] : p.startsWith(SUB) ? [SUB, SITE] : ['/', SITE];
    const f = path.join(root, p.slice(prefix.length));
    return p.endsWith('/') ? path.join(f, 'index.html') : f;
  };
  const local = (u) => u.startsWith(srv.origin + '/') || u.startsWith('data:');
  const fileRoot = pathToFileURL(SITE).href + '/';
  const onDisk = (u) => u.startsWith(pathToFileURL(ARTEFACTS).href + '/') || u.startsWith('data:');

  // Playwright refuses '--user-data-dir' in launch() args: it gives every
  // launch() a fresh temporary profile of its own, made under os.tmpdir().
  // Pointing TMPDIR at a new empty folder puts that profile (and Chromium's
  // other scratch files) in a temp dir of ours, removed at the end.
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bantin-e2e-'));
  process.env.TMPDIR = scratch;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
  console.log(`Chromium ${browser.version()} (${CHROMIUM}), server ${srv.origin}`);
  try {
    const origins = [
      {
        name: 'file://', base: fileRoot, siteRoot: fileRoot, home: fileRoot + 'index.html', allowed: onDisk,
        url: (rel) => fileRoot + rel, pagedUrl: (rel) => pathToFileURL(SITE_PAGED).href + '/' + rel, pages, savePdf: true,
      },
      {
        name: `http sub-path ${SUB}`, base: srv.origin + SUB, siteRoot: srv.origin + SUB, home: srv.origin + SUB, allowed: local,
        url: (rel) => srv.origin + SUB + rel, pagedUrl: (rel) => srv.origin + SUB_PAGED + rel, pages,
      },
    ];
    for (const o of origins) await testOrigin(browser, o);

    console.log(`\n== http root ${srv.origin}/ (smoke)`);
    await check('http root: directory URL, bulletin link, 404 page', async () => {
      const ctx = await browser.newContext();
      const page = guard(await ctx.newPage(), local);
      await page.goto(srv.origin + '/');
      await h1Text(page);
      await follow(page, page.getByRole('link', { name: 'Đọc bản tin', exact: true }),
        /\/ban-tin\/\d{4}\/quy-[1-4]\/index\.html$/, 'root home → bulletin');
      assertClean(page, 'root');
      const missing = await page.goto(srv.origin + '/khong-co-trang-nay/');
      assert.equal(missing.status(), 404);
      assert.match(await h1Text(page), /\S/);
      // 404.html uses relative links, so served for a nested missing path its
      // stylesheet and links miss (a limitation of the page, reported, not failed)
      const broken = page.problems.filter((p) => p.startsWith('HTTP 404') && !p.endsWith('/khong-co-trang-nay/'));
      if (broken.length) console.log(`         note: 404.html served at /khong-co-trang-nay/: ${broken.length} sub-resource(s) 404 (relative URLs)`);
      await ctx.close();
    });

    await testAxe(browser, origins[1], kinds);
  } finally {
    await browser.close();
    await new Promise((r) => srv.server.close(r));
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  results.seconds = Math.round((Date.now() - t0) / 100) / 10;
  fs.writeFileSync(path.join(ARTEFACTS, 'browser.json'), JSON.stringify(results, null, 2));
  console.log(`\nbrowser: ${results.passed} passed, ${results.failed} failed; axe: ${results.axe.pages} pages, `
    + `${results.axe.serious} serious/critical violation(s); ${results.seconds} s`);
  if (results.failed) {
    console.log('failures:');
    for (const f of results.failures) console.log(`  - ${f.name}: ${f.message.split('\n')[0]}`);
  }
  process.exitCode = results.failed ? 1 : 0;
}

main().catch((err) => {
  console.error(err);
  try {
    results.failed++;
    results.failures.push({ name: 'harness', message: String(err && err.stack || err) });
    fs.writeFileSync(path.join(ARTEFACTS, 'browser.json'), JSON.stringify(results, null, 2));
  } catch { /* ignore */ }
  process.exit(1);
});
