"""Reads every report converted by e2e/report.sh: python-docx opens the
.docx; the PDF's text (pdftotext) has the header lines, the title, the date
line, the lead sentence's figures and every row of the appendix's table,
as the document itself holds them."""

import pathlib
import re
import sys

import docx

out = pathlib.Path(sys.argv[1])
HEADER = [
    "BAN TỔ CHỨC",
    "ĐẢNG CỘNG SẢN VIỆT NAM",
    "-BC/BTCTU",
    "BÁO CÁO",
    "kết quả công tác phát triển đảng viên quý",
    "Nơi nhận:",
    "- Lưu VT.",
    "Phụ lục",
]


def flat(text):
    return " ".join(text.split())


failures = []
checked = 0
for path in sorted((out / "docx").glob("*.docx")):
    document = docx.Document(str(path))
    pdf_text = flat((out / "pdf" / (path.stem + ".txt")).read_text(encoding="utf-8"))
    paragraphs = [flat(p.text) for p in document.paragraphs if p.text.strip()]
    cells = [flat(c.text) for t in document.tables for r in t.rows for c in r.cells]
    everything = paragraphs + cells
    wanted = list(HEADER)
    wanted += [p for p in cells if re.match(r"^Vân Lĩnh, ngày \d{2} tháng \d{1,2} năm \d{4}$", p)]
    if not any(re.match(r"^Vân Lĩnh, ngày ", p) for p in everything):
        failures.append(f"{path.name}: no date line in the document")
    lead = next((p for p in paragraphs if p.startswith("Quý ")), None)
    if lead is None:
        failures.append(f"{path.name}: no lead sentence")
    else:
        # Every figure of the lead sentence is printed.
        wanted += re.findall(r"\d[\d.]*(?:,\d+)?%?", lead.split(".")[0])
    table = document.tables[-1]
    for row in table.rows[1:]:
        texts = [flat(c.text) for c in row.cells]
        wanted.append(texts[1].split(" (")[0])
        wanted += [t for t in texts[2:] if t]
    for w in wanted:
        if w not in pdf_text:
            failures.append(f"{path.name}: the PDF has no «{w}»")
    checked += 1

if failures:
    print("\n".join(failures[:40]), file=sys.stderr)
    print(f"{len(failures)} problems in {checked} reports", file=sys.stderr)
    sys.exit(1)
print(f"python-docx opened and the PDF text matched: {checked} reports")
