#!/usr/bin/env bash
# The search at a national archive's size: builds the national preset of
# ../shared/bench/gen_site.py (100.000 articles, 3.000 units) and runs
# e2e/search.mjs on it in Chromium, from file:// and over HTTP.
# Usage: bash e2e/search.sh   (after e2e/run.sh has installed the tools;
# SEARCH_WORK=DIR puts the 2,6 GB of site and output elsewhere than memory)
set -euo pipefail
E2E="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$E2E")"
GEN="$ROOT/../shared/bench/gen_site.py"
test -f "$GEN" || { echo "$GEN is missing" >&2; exit 1; }
START=$SECONDS

# In memory when there is room (creating 134.000 files on a disk is most of
# the build), else under target/.
if [ -z "${SEARCH_WORK:-}" ]; then
  free_kb=$(df -Pk /dev/shm 2>/dev/null | awk 'NR == 2 { print $4 }')
  if [ "${free_kb:-0}" -gt 6000000 ]; then SEARCH_WORK=/dev/shm/bantin-search; else SEARCH_WORK="$ROOT/target/tmp/search"; fi
fi
rm -rf "$SEARCH_WORK"
mkdir -p "$SEARCH_WORK"
trap 'rm -rf "$SEARCH_WORK"' EXIT

echo "== search: the national preset ($SEARCH_WORK)"
python3 "$GEN" "$SEARCH_WORK/site" --preset national
if [ "${E2E_NO_CARGO_BUILD:-0}" != 1 ] || [ ! -x "$ROOT/target/release/bantin" ]; then
  (cd "$ROOT" && cargo build --release --locked --quiet)
fi
TIMEFORMAT='build: %R s, %U s user, %S s system'
time "$ROOT/target/release/bantin" build "$SEARCH_WORK/site" --output "$SEARCH_WORK/out" --quiet

echo "== search: Chromium, file:// and http"
(cd "$E2E" && node search.mjs "$SEARCH_WORK/out" "$SEARCH_WORK/site/content")
echo "== search: done in $((SECONDS - START)) s"
