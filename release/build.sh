#!/usr/bin/env bash
# The programs an editor runs without Rust: a static Linux binary (musl) and
# a Windows .exe (cross-compiled with Debian's mingw-w64), each in a
# versioned archive with the guides, in release/dist/:
#   bantin-<version>-linux-x86_64.tar.gz
#   bantin-<version>-windows-x86_64.zip
# Usage: bash release/build.sh [--check]
#   --check: build the sample site (content/) with each program, the .exe
#            under Debian's wine, and compare the two outputs.
# Needs: rustup (targets are added), apt-get for musl-tools and
# gcc-mingw-w64-x86-64 (and wine with --check), python3. Archives are the
# same bytes for the same sources: entries sorted, dated 1980-01-01, owner
# root.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIST="$ROOT/release/dist"
CHECK=0
[ "${1:-}" = "--check" ] && CHECK=1
cd "$ROOT"
VERSION="$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)"
LINUX=x86_64-unknown-linux-musl
WINDOWS=x86_64-pc-windows-gnu

echo "== release $VERSION: tools"
rustup target add "$LINUX" "$WINDOWS"
need=()
# C compilers for the allocator (mimalloc, in C) of each target.
command -v musl-gcc >/dev/null || need+=(musl-tools)
command -v x86_64-w64-mingw32-gcc >/dev/null || need+=(gcc-mingw-w64-x86-64)
if [ "$CHECK" = 1 ]; then command -v wine >/dev/null || need+=(wine wine64); fi
if [ "${#need[@]}" -gt 0 ]; then
  echo "installing with apt-get: ${need[*]}"
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${need[@]}"
fi

echo "== release: build"
# What is shipped has its symbols stripped (release builds carry no debug
# information anyway).
export CARGO_PROFILE_RELEASE_STRIP=symbols
export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER=x86_64-w64-mingw32-gcc
export CC_x86_64_unknown_linux_musl=musl-gcc CC_x86_64_pc_windows_gnu=x86_64-w64-mingw32-gcc
# Static: musl's C library is linked in, as are the C runtime objects.
export CARGO_TARGET_X86_64_UNKNOWN_LINUX_MUSL_RUSTFLAGS="-C target-feature=+crt-static"
cargo build --release --locked --target "$LINUX"
cargo build --release --locked --target "$WINDOWS"

echo "== release: archives"
rm -rf "$DIST"
mkdir -p "$DIST"
python3 - "$ROOT" "$DIST" "$VERSION" "$LINUX" "$WINDOWS" <<'PY'
import gzip, io, os, sys, tarfile, zipfile
root, dist, version, linux, windows = sys.argv[1:]
guides = sorted(os.listdir(os.path.join(root, "docs")))
readme = os.path.join(root, "release", "DOC-TRUOC.txt")

def files(program, name):
    """(path in the archive, bytes, executable) for one archive."""
    top = f"bantin-{version}-{name}"
    out = [(f"{top}/{os.path.basename(program)}", open(program, "rb").read(), True),
           (f"{top}/DOC-TRUOC.txt", open(readme, "rb").read(), False)]
    for g in guides:
        out.append((f"{top}/huong-dan/{g}", open(os.path.join(root, "docs", g), "rb").read(), False))
    return top, sorted(out)

top, entries = files(os.path.join(root, "target", linux, "release", "bantin"), "linux-x86_64")
# The gzip header carries no date (mtime=0) and no file name.
with open(os.path.join(dist, f"{top}.tar.gz"), "wb") as raw, \
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as gz, \
        tarfile.open(fileobj=gz, mode="w", format=tarfile.PAX_FORMAT) as tar:
    for path, data, exe in entries:
        info = tarfile.TarInfo(path)
        info.size, info.mtime, info.mode = len(data), 315532800, 0o755 if exe else 0o644
        info.uid = info.gid = 0
        info.uname = info.gname = "root"
        tar.addfile(info, io.BytesIO(data))

top, entries = files(os.path.join(root, "target", windows, "release", "bantin.exe"), "windows-x86_64")
with zipfile.ZipFile(os.path.join(dist, f"{top}.zip"), "w", zipfile.ZIP_DEFLATED) as z:
    for path, data, exe in entries:
        info = zipfile.ZipInfo(path, (1980, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = (0o755 if exe else 0o644) << 16
        z.writestr(info, data)
PY
(cd "$DIST" && sha256sum ./*.tar.gz ./*.zip > SHA256SUMS && ls -l && cat SHA256SUMS)

if [ "$CHECK" = 1 ]; then
  echo "== release: check — the sample site built with each program"
  WORK="$(mktemp -d)"
  trap 'rm -rf "$WORK"' EXIT
  tar -xzf "$DIST/bantin-$VERSION-linux-x86_64.tar.gz" -C "$WORK"
  (cd "$WORK" && python3 -m zipfile -e "$DIST/bantin-$VERSION-windows-x86_64.zip" .)
  mkdir -p "$WORK/site"
  cp -r content "$WORK/site/content"
  [ -d templates ] && cp -r templates "$WORK/site/templates"
  [ -d static ] && cp -r static "$WORK/site/static"
  file "$WORK/bantin-$VERSION-linux-x86_64/bantin" 2>/dev/null || true
  "$WORK/bantin-$VERSION-linux-x86_64/bantin" build "$WORK/site" --output "$WORK/out-linux" --quiet
  # Debian's Wine 8 lacks bcryptprimitives.dll (every Windows since 10 has
  # it): a stand-in beside the .exe, in the check's folder only.
  x86_64-w64-mingw32-gcc -shared -O2 -o "$WORK/bantin-$VERSION-windows-x86_64/bcryptprimitives.dll" \
    release/wine-bcryptprimitives.c -ladvapi32
  export WINEDEBUG=-all WINEPREFIX="$WORK/wine"
  wine "$WORK/bantin-$VERSION-windows-x86_64/bantin.exe" build "$(winepath -w "$WORK/site")" --output "$(winepath -w "$WORK/out-windows")" --quiet
  # Wine's server outlives the program: stopped before the folder goes.
  wineserver -k || true
  test -f "$WORK/out-windows/index.html" || { echo "the .exe built nothing" >&2; exit 1; }
  if diff -r "$WORK/out-linux" "$WORK/out-windows" > "$WORK/diff.txt"; then
    echo "the .exe under wine and the Linux program built the same $(find "$WORK/out-linux" -type f | wc -l) files"
  else
    echo "the two outputs differ:" >&2
    head -n 40 "$WORK/diff.txt" >&2
    exit 1
  fi
fi
echo "== release: done ($DIST)"
