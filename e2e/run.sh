#!/usr/bin/env bash
# End-to-end test of the built sample site: Chromium (Debian's package, driven
# by playwright-core), axe-core, and the Nu HTML Checker (vnu.jar, run by Java).
# Usage: bash e2e/run.sh   (from anywhere; needs root for apt-get on a fresh machine)
set -euo pipefail
E2E="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$E2E")"
ART="$E2E/artefacts"
START=$SECONDS

echo "== e2e: tools"
# Debian's Chromium (never Playwright's own download) and a Java for vnu.jar
need=()
[ -x /usr/bin/chromium ] || need+=(chromium fonts-liberation fonts-dejavu-core)
command -v java >/dev/null || need+=(openjdk-17-jre-headless)
if [ "${#need[@]}" -gt 0 ]; then
  echo "installing with apt-get: ${need[*]}"
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${need[@]}"
fi
node --version
/usr/bin/chromium --version 2>/dev/null | tail -n 1
java -version 2>&1 | head -n 1
# --ignore-scripts: vnu-jar's postinstall downloads a JDK (not needed: we use the machine's java)
(cd "$E2E" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)

echo "== e2e: build the sample site"
rm -rf "$ART"
mkdir -p "$ART"
# E2E_NO_CARGO_BUILD=1 reuses an existing target/release/bantin (e.g. right after CI built it)
if [ "${E2E_NO_CARGO_BUILD:-0}" != 1 ] || [ ! -x "$ROOT/target/release/bantin" ]; then
  (cd "$ROOT" && cargo build --release --locked --quiet)
fi
(cd "$ROOT" && target/release/bantin build --output "$ART/site" --quiet)
# the same site with 5 articles a page, for the paginated pages (news page 2, tag page 2)
mkdir -p "$ART/paged-src"
cp -r "$ROOT/content" "$ART/paged-src/content"
[ -d "$ROOT/templates" ] && cp -r "$ROOT/templates" "$ART/paged-src/templates"
[ -d "$ROOT/static" ] && cp -r "$ROOT/static" "$ART/paged-src/static"
printf '\narticles_per_page: 5\n' >> "$ART/paged-src/content/site.yaml"
"$ROOT/target/release/bantin" build "$ART/paged-src" --output "$ART/site-paged" --quiet
test -f "$ART/site/index.html" && test -f "$ART/site-paged/tin-tuc/trang-2/index.html"

status=0
echo "== e2e: HTML validation (Nu HTML Checker) and XML/JSON well-formedness"
(cd "$E2E" && node validate.mjs) || status=1

echo "== e2e: browser test (Chromium, file:// and http://127.0.0.1 sub-path) and axe-core"
(cd "$E2E" && node browser.mjs) || status=1

echo "== e2e: summary ($((SECONDS - START)) s)"
node --input-type=module - "$ART" <<'JS' || status=1
import fs from 'node:fs';
const dir = process.argv[2];
const read = (f) => { try { return JSON.parse(fs.readFileSync(`${dir}/${f}`, 'utf8')); } catch { return null; } };
const v = read('validate.json');
const b = read('browser.json');
console.log(`pages validated: ${v ? v.pages : 0}${v && v.failed ? ` (${v.errors} vnu errors, ${v.failed} failed checks)` : ''}`);
console.log(`axe violations (serious+critical): ${b ? b.axe.serious : 'not run'}${b ? ` (${b.axe.pages} pages)` : ''}`);
console.log(`browser checks passed: ${b ? b.passed : 0}${b && b.failed ? ` (${b.failed} FAILED)` : ''}`);
const ok = v && !v.failed && b && !b.failed && b.axe.serious === 0;
console.log(`e2e: ${(b ? b.passed : 0) + (v && !v.failed ? 1 : 0)} passed, ${(b ? b.failed : 1) + (v ? (v.failed ? 1 : 0) : 1)} failed`);
process.exit(ok ? 0 : 1);
JS
if [ "$status" -ne 0 ]; then
  echo "e2e: FAILED (artefacts in $ART)" >&2
  exit 1
fi
echo "e2e: all checks passed (artefacts in $ART)"
