#!/usr/bin/env bash
# The quarter's reports (bao-cao.docx) of the sample site as their users open
# them: every one converted to PDF by LibreOffice (Debian's
# libreoffice-writer-nogui, headless) and opened by python-docx; the PDF's
# text holds the header lines, the title, the date line, the lead sentence's
# figures and every row of the appendix (e2e/report_check.py).
# Usage: bash e2e/report.sh [SITE_OUTPUT]  (default: e2e/artefacts/site, as
# e2e/run.sh builds it; needs root for apt-get on a fresh machine)
set -euo pipefail
E2E="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$E2E")"
SITE="${1:-$E2E/artefacts/site}"
OUT="$E2E/artefacts/reports"
START=$SECONDS

echo "== reports: tools"
need=()
command -v soffice >/dev/null || need+=(libreoffice-writer-nogui)
command -v pdftotext >/dev/null || need+=(poppler-utils)
/usr/bin/python3 -c 'import docx' 2>/dev/null || need+=(python3-docx)
if [ "${#need[@]}" -gt 0 ]; then
  echo "installing with apt-get: ${need[*]}"
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${need[@]}"
fi
soffice --version

if [ ! -f "$SITE/index.html" ]; then
  (cd "$ROOT" && cargo build --release --locked --quiet && target/release/bantin build --output "$SITE" --quiet)
fi

echo "== reports: LibreOffice converts every report to PDF"
rm -rf "$OUT"
mkdir -p "$OUT/docx" "$OUT/pdf"
count=0
while IFS= read -r f; do
  rel="${f#"$SITE"/ban-tin/}"
  name="$(echo "$rel" | tr '/' '-' )"
  cp "$f" "$OUT/docx/$name"
  count=$((count + 1))
done < <(find "$SITE/ban-tin" -name bao-cao.docx | sort)
[ "$count" -gt 0 ] || { echo "no bao-cao.docx in $SITE" >&2; exit 1; }
# One LibreOffice for every file; its own profile, so a desktop session is untouched.
HOME="$OUT/home" soffice --headless -env:UserInstallation="file://$OUT/profile" \
  --convert-to pdf --outdir "$OUT/pdf" "$OUT"/docx/*.docx > "$OUT/soffice.log" 2>&1 || {
  cat "$OUT/soffice.log" >&2; echo "LibreOffice failed" >&2; exit 1; }
for f in "$OUT"/docx/*.docx; do
  pdf="$OUT/pdf/$(basename "${f%.docx}").pdf"
  [ -s "$pdf" ] || { cat "$OUT/soffice.log" >&2; echo "no PDF for $f" >&2; exit 1; }
  pdftotext "$pdf" "${pdf%.pdf}.txt"
done
# Page 1 and the first appendix page of one report, as pictures, for a person.
first="$(ls "$OUT"/pdf/*.pdf | tail -n 1)"
pdftoppm -r 70 -png -f 1 -l 1 "$first" "$OUT/trang-1"
pages="$(pdfinfo "$first" | awk '/^Pages:/ {print $2}')"
pdftoppm -r 70 -png -f "$pages" -l "$pages" "$first" "$OUT/trang-cuoi"

echo "== reports: python-docx opens them; the PDF text has what the report must say"
/usr/bin/python3 "$E2E/report_check.py" "$OUT"
echo "reports converted and read: $count ($((SECONDS - START)) s)"
