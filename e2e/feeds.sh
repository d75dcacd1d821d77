#!/usr/bin/env bash
# The feeds of the built sample site as news aggregators read them: every
# feed parsed by feedparser (Debian's python3-feedparser) without an error,
# /rss.xml as RSS 2.0, /feed.xml and every /chu-de/<slug>/feed.xml as Atom,
# each with entries, the articles' entries with their text.
# Usage: bash e2e/feeds.sh [SITE_OUTPUT]  (default: e2e/artefacts/site)
set -euo pipefail
E2E="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SITE="${1:-$E2E/artefacts/site}"
[ -f "$SITE/rss.xml" ] || { echo "no $SITE/rss.xml: build the sample first (e2e/run.sh)" >&2; exit 1; }
if ! /usr/bin/python3 -c 'import feedparser' 2>/dev/null; then
  echo "installing with apt-get: python3-feedparser"
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python3-feedparser
fi
/usr/bin/python3 - "$SITE" <<'PY'
import glob, sys
import feedparser
site = sys.argv[1]
feeds = [(f"{site}/rss.xml", "rss20"), (f"{site}/feed.xml", "atom10")]
feeds += [(f, "atom10") for f in sorted(glob.glob(f"{site}/chu-de/*/feed.xml"))]
problems = []
for path, version in feeds:
    d = feedparser.parse(path)
    if d.bozo:
        problems.append(f"{path}: {d.bozo_exception}")
    if d.version != version:
        problems.append(f"{path}: {d.version or 'không rõ'} thay vì {version}")
    if not d.entries:
        problems.append(f"{path}: không có mục nào")
    for e in d.entries:
        if "/tin-tuc/" in e.link and not e.get("content"):
            problems.append(f"{path}: {e.link} không kèm nội dung bài")
if problems:
    print("\n".join(problems), file=sys.stderr)
    sys.exit(1)
print(f"feeds parsed by feedparser without error: {len(feeds)}")
PY
