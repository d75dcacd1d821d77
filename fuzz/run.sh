#!/usr/bin/env bash
# Builds bantin's fuzz targets (cargo-fuzz, libFuzzer) and runs each one for
# a bounded time. Exits non-zero if any target found a crash, a hang, an
# out-of-memory or a broken property, and prints the input that did it.
#
#   fuzz/run.sh                      every target, 60 s each
#   FUZZ_SECONDS=300 fuzz/run.sh     longer
#   fuzz/run.sh markdown site        some targets only
#
# Works on the stable toolchain: no sanitizer (`--sanitizer none`; libFuzzer
# still gets coverage from -Cpasses=sancov-module), RUSTC_BOOTSTRAP=1 only
# in case a cargo-fuzz version passes a -Z flag. Debug assertions and
# overflow checks are on (cargo-fuzz's default without -O).
#
# Corpus: fuzz/corpus/<target>/ (kept between runs, not committed), seeded
# on every run from content/ and tests/fixtures/. Crashes:
# fuzz/artifacts/<target>/. Known bugs: fuzz/regressions/<target>/.
set -uo pipefail
cd "$(dirname "$0")"
FUZZ=$(pwd)
ROOT=$(cd .. && pwd)
SECONDS_EACH=${FUZZ_SECONDS:-60}
ALL=(slug fold symbols numbers front_matter yaml markdown load site names active template import)
if [ $# -gt 0 ]; then TARGETS=("$@"); else TARGETS=("${ALL[@]}"); fi

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "== installing cargo-fuzz"
    cargo install cargo-fuzz --locked || exit 2
fi

echo "== building fuzz targets"
if ! RUSTC_BOOTSTRAP=1 cargo fuzz build --sanitizer none >build.log 2>&1; then
    tail -40 build.log
    echo "fuzz build failed (fuzz/build.log)" >&2
    exit 2
fi
HOST=$(rustc -vV | sed -n 's/^host: //p')
BIN=$FUZZ/target/$HOST/release

# ---- seeds: every text file of the sample site and the fixtures; for the
# loading targets, prefixed by the byte that says which file it replaces
# (see fuzz/src/checks.rs, KINDS).
SEEDS=$(mktemp -d)
trap 'rm -rf "$SEEDS"' EXIT
mkdir -p "$SEEDS/text" "$SEEDS/kinds" "$SEEDS/html"
n=0
while IFS= read -r -d '' f; do
    n=$((n + 1))
    cp "$f" "$SEEDS/text/$n"
    rel=${f#"$ROOT"/}
    case "$rel" in
        */site.yaml) kind=0 ;;
        */units.yaml) kind=1 ;;
        */plans/*.yaml) kind=2 ;;
        */results/*.yaml) kind=3 ;;
        */articles/*.md) kind=4 ;;
        */results/*.md) kind=5 ;;
        *) continue ;;
    esac
    { printf "\\x0$kind"; cat "$f"; } > "$SEEDS/kinds/$n"
done < <(find "$ROOT/content" "$ROOT/tests/fixtures" -type f \( -name '*.yaml' -o -name '*.md' -o -name '*.yml' \) -size -64k -print0)
# Templates: the theme's and the fixtures' own.
while IFS= read -r -d '' f; do
    n=$((n + 1))
    cp "$f" "$SEEDS/html/$n"
done < <(find "$ROOT/templates" "$ROOT/tests/fixtures" -type f -name '*.html' -size -64k -print0)
for s in "366-KH/TU" "155/QĐ-BGDĐT" "30/2020/NĐ-CP ngày 05/3/2020" "Năm 2023, phát triển Đảng" \
    "Thanh Hoá, Khánh Hoà, Tỉnh uỷ" "2021-10-19T09:31:00+07:00" "19/10/2021 09:31" \
    "tin-tuc/bai/index.html" "[x](javascript:alert(1)) <img src=x onerror=alert(1)>"; do
    n=$((n + 1))
    printf '%s' "$s" > "$SEEDS/text/$n"
done

# ---- seeds for import: a byte saying how the rest is given (see
# fuzz/src/checks.rs, import_file), then a table as CSV, sheet XML, .ods
# content or BIFF records.
mkdir -p "$SEEDS/import"
printf '\x00Đơn vị;Kết nạp;Nữ\nan-thinh;9;3\nBắc Sơn;30;12\nTổng cộng;39;15\n' > "$SEEDS/import/csv"
printf '\x00\xff\xfeD\x00o\x00n\x00 \x00v\x00i\x00\t\x00K\x00e\x00t\x00 \x00n\x00a\x00p\x00\n\x00' > "$SEEDS/import/utf16"
printf '\x02<worksheet><sheetData><row r="3"><c r="B3" t="inlineStr"><is><t>Đơn vị</t></is></c><c r="C3" t="s"><v>0</v></c></row><row r="4"><c r="B4" t="str"><v>an-thinh</v></c><c r="C4" s="1"><v>45000</v></c></row></sheetData></worksheet>\x00<sst><si><r><t>Kết </t></r><r><t>nạp</t></r></si></sst>' > "$SEEDS/import/xlsx"
printf '\x82<worksheet><sheetData><row><c t="inlineStr"><is><t>Đơn vị</t></is></c><c t="inlineStr"><is><t>Kết nạp</t></is></c></row><row><c t="inlineStr"><is><t>Ân Thịnh</t></is></c><c><v>1e308</v></c></row></sheetData></worksheet>' > "$SEEDS/import/xlsx-deflated"
printf '\x03<office:document-content><office:body><office:spreadsheet><table:table table:name="A"><table:table-row><table:table-cell office:value-type="string"><text:p>Đơn vị</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>Kết<text:s text:c="2"/>nạp</text:p></table:table-cell></table:table-row><table:table-row table:number-rows-repeated="2"><table:table-cell office:value-type="string" office:string-value="an-thinh" table:number-columns-repeated="1"/><table:table-cell office:value-type="float" office:value="3"/></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>' > "$SEEDS/import/ods"
printf '\x04\x09\x08\x10\x00\x00\x06\x05\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x85\x00\x0a\x00\x26\x00\x00\x00\x00\x00\x02\x00S1\x0a\x00\x00\x00\x09\x08\x10\x00\x00\x06\x10\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x04\x02\x0f\x00\x00\x00\x00\x00\x00\x00\x06\x00\x00Don vi\x04\x02\x10\x00\x00\x00\x01\x00\x00\x00\x07\x00\x00Ket nap\x04\x02\x11\x00\x01\x00\x00\x00\x00\x00\x08\x00\x00an-thinh\x03\x02\x0e\x00\x01\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x22\x40\x0a\x00\x00\x00' > "$SEEDS/import/xls"

failed=()
for t in "${TARGETS[@]}"; do
    case "$t" in
        load | site) seeds=$SEEDS/kinds; max_len=65536 ;;
        template) seeds=$SEEDS/html; max_len=65536 ;;
        import) seeds=$SEEDS/import; max_len=65536 ;;
        yaml | front_matter | markdown | active) seeds=$SEEDS/text; max_len=65536 ;;
        *) seeds=$SEEDS/text; max_len=4096 ;;
    esac
    mkdir -p "corpus/$t" "artifacts/$t"
    echo "== $t: ${SECONDS_EACH}s"
    log=artifacts/$t/last-run.log
    "$BIN/$t" "corpus/$t" "$seeds" \
        -max_total_time="$SECONDS_EACH" -rss_limit_mb=2048 -malloc_limit_mb=2048 -timeout=10 \
        -max_len="$max_len" -dict="$FUZZ/dict/bantin.dict" -artifact_prefix="artifacts/$t/" \
        -print_final_stats=1 -close_fd_mask=1 >"$log" 2>&1
    rc=$?
    grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|Done )' "$log" | tr '\n' ' '
    echo
    if [ $rc != 0 ]; then
        failed+=("$t")
        echo "!! $t failed (exit $rc); log: fuzz/$log"
        grep -E "panicked at|==ERROR|ERROR: libFuzzer|SUMMARY" "$log" | head -5
        grep -o "Test unit written to .*" "$log" | sed "s|Test unit written to |   input: fuzz/|"
    fi
done

if [ ${#failed[@]} -gt 0 ]; then
    echo "FUZZ: failures in ${failed[*]}"
    exit 1
fi
echo "FUZZ: no failures in ${TARGETS[*]}"
