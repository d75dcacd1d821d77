#!/usr/bin/env python3
"""Full builds of the benchmark presets with bantin and with Hugo, side by side.

    python3 bench/run.py [--presets province,national] [--runs 3] [--work DIR]
                         [--media memory,disk] [--memory DIR] [--no-floor]
                         [--no-hugo] [--json FILE]

For each preset: generate the site with ../shared/bench/gen_site.py (once;
kept in --work), convert it for Hugo with ../shared/bench/peers/hugo/to_hugo.py,
then build it --runs times with each tool, alternating the order (bantin first
on odd runs, Hugo first on even ones), each run a full build into a folder of
its own that did not exist before, timed by GNU time. Prints the median wall
time, CPU time (user+sys), peak RSS, pages and output bytes of each tool, and
the bantin/Hugo ratios. Each output medium is measured on its own: memory
(a tmpfs, --memory) and disk (--work/out); on each, after the builds, `cp -r`
of bantin's last output beside it is timed: the floor any program pays to
write those bytes and files there.

Why a new folder per run, deleted only at the end: on some file systems
(ext4 without a journal, as on our test machine) creating files right after
deleting a large tree is several times slower, and the faster tool pays it
more; see bench/README.md.

With --serve (province preset): starts `bantin serve`, edits one article and
then one results file, and times each from the write to the rebuilt page
served over HTTP.

Installs what it needs when missing (Debian's `hugo` and `time` packages, by
apt-get, as root) and builds bantin in release mode. Standard library only.
"""
import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(os.path.dirname(ROOT), "shared", "bench")
GEN_SITE = os.path.join(SHARED, "gen_site.py")
TO_HUGO = os.path.join(SHARED, "peers", "hugo", "to_hugo.py")
BANTIN = os.path.join(ROOT, "target", "release", "bantin")


def need(tool, package):
    if shutil.which(tool):
        return
    print(f"bench: installing {package} (apt-get)", flush=True)
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(["apt-get", "install", "-y", "-qq", package], check=True, env=env)
    if not shutil.which(tool):
        sys.exit(f"bench: {tool} is still missing after installing {package}")


def timed(cmd, cwd=None):
    """Runs cmd under GNU time; returns (wall s, cpu s, peak RSS MiB)."""
    with tempfile.NamedTemporaryFile(suffix=".time", delete=False) as tf:
        path = tf.name
    try:
        done = subprocess.run(["/usr/bin/time", "-v", "-o", path] + cmd, cwd=cwd,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        text = open(path, encoding="utf-8", errors="replace").read()
    finally:
        os.unlink(path)
    if done.returncode != 0:
        sys.exit(f"bench: {' '.join(cmd)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    m = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)", text)
    wall = 0.0
    for part in m.group(1).split(":"):
        wall = wall * 60 + float(part)
    user = float(re.search(r"User time \(seconds\): ([\d.]+)", text).group(1))
    sys_ = float(re.search(r"System time \(seconds\): ([\d.]+)", text).group(1))
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1))
    return wall, user + sys_, rss / 1024


def tree(d):
    pages = files = size = 0
    for dp, _, fs in os.walk(d):
        for f in fs:
            files += 1
            size += os.path.getsize(os.path.join(dp, f))
            pages += f.endswith(".html")
    return pages, files, size


def prepare(preset, work, hugo_too=True):
    site = os.path.join(work, preset)
    marker = os.path.join(site, ".preset")
    if not (os.path.exists(marker) and open(marker).read() == preset):
        shutil.rmtree(site, ignore_errors=True)
        print(f"bench: generating the {preset} preset", flush=True)
        subprocess.run([sys.executable, GEN_SITE, site, "--preset", preset], check=True)
        open(marker, "w").write(preset)
    hugo = os.path.join(work, f"{preset}-hugo")
    if hugo_too and not os.path.exists(os.path.join(hugo, "hugo.toml")):
        shutil.rmtree(hugo, ignore_errors=True)
        subprocess.run([sys.executable, TO_HUGO, site, hugo], check=True, stdout=subprocess.DEVNULL)
    return site, hugo


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--presets", default="province,national")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--work", default=os.path.join(ROOT, "target", "bench"))
    ap.add_argument("--no-hugo", action="store_true", help="bantin only")
    ap.add_argument("--json", help="append one JSON line per preset, medium and tool")
    ap.add_argument("--serve", action="store_true", help="also time rebuilds in `bantin serve`")
    ap.add_argument("--media", default="memory,disk",
                    help="where the outputs are written: memory (--memory, a tmpfs), disk (--work/out)")
    ap.add_argument("--memory", default="/dev/shm/bantin-bench", help="an output folder in memory (tmpfs)")
    ap.add_argument("--no-floor", dest="floor", action="store_false",
                    help="without timing `cp -r` of bantin's output")
    a = ap.parse_args()
    for path in (GEN_SITE, TO_HUGO):
        if not os.path.exists(path):
            sys.exit(f"bench: {path} is missing (../shared beside the repository)")
    need("/usr/bin/time", "time")
    if not a.no_hugo:
        need("hugo", "hugo")
    print("bench: building bantin (release)", flush=True)
    subprocess.run(["cargo", "build", "--release", "--locked", "--quiet"], cwd=ROOT, check=True)
    os.makedirs(a.work, exist_ok=True)

    cpu = "?"
    try:
        cpu = next(l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    hugo_version = "" if a.no_hugo else subprocess.run(["hugo", "version"], capture_output=True, text=True).stdout.split()[1]
    print(f"bench: {time.strftime('%Y-%m-%d')}, {os.cpu_count()} CPUs ({cpu}), {platform.platform()}"
          + (f", Hugo {hugo_version}" if hugo_version else ""), flush=True)

    media = {}
    for medium in [m for m in a.media.split(",") if m]:
        if medium == "memory":
            media[medium] = a.memory
        elif medium == "disk":
            media[medium] = os.path.join(a.work, "out")
        else:
            sys.exit(f"bench: unknown medium {medium!r} (memory, disk)")
        os.makedirs(media[medium], exist_ok=True)

    summary = []
    leftovers = []
    for preset in [p for p in a.presets.split(",") if p]:
        # Converted for Hugo only when Hugo runs (the conversion writes a
        # copy of every article).
        site, hugo_dir = prepare(preset, a.work, hugo_too=not a.no_hugo)
        for medium, base in media.items():
            summary.extend(bench_preset(a, preset, medium, base, site, hugo_dir, leftovers))
    # Deleted only now: creating files right after deleting a large tree
    # is slower on some file systems (see the module's docstring).
    for out in leftovers:
        shutil.rmtree(out, ignore_errors=True)
    rebuilds = serve_rebuilds(a.work) if a.serve else []

    print("\n| preset | output on | tool | wall (median) | CPU | peak RSS | pages | files | output |")
    print("|---|---|---|---:|---:|---:|---:|---:|---:|")
    for r in summary:
        print(f"| {r['preset']} | {r['medium']} | {r['tool']} | {r['wall']:.2f} s | {r['cpu']:.2f} s "
              f"| {r['rss_mib']:.0f} MiB | {r['pages']:,} | {r['files']:,} | {r['bytes'] / 1e6:,.0f} MB |")
    for preset in dict.fromkeys(r["preset"] for r in summary):
        for medium in media:
            row = {r["tool"]: r for r in summary if r["preset"] == preset and r["medium"] == medium}
            b, h, cp = row.get("bantin"), row.get("hugo"), row.get("cp -r")
            if b and h:
                print(f"{preset}, {medium}: bantin {h['wall'] / b['wall']:.1f}× faster than Hugo in wall time, "
                      f"{h['cpu'] / b['cpu']:.1f}× in CPU; peak RSS {b['rss_mib'] / h['rss_mib']:.2f} of Hugo's")
            if b and cp:
                print(f"{preset}, {medium}: bantin takes {b['wall'] / cp['wall']:.2f}× the wall time of "
                      f"`cp -r` of its own output")
    for what, ms in rebuilds:
        print(f"serve, province: {what}: {statistics.median(ms):.0f} ms median "
              f"(from the write to the page served; runs: {', '.join(f'{m:.0f}' for m in ms)})")


def bench_preset(a, preset, medium, base, site, hugo_dir, leftovers):
    """--runs builds of `preset` by each tool, alternating, into `base`;
    then `cp -r` of bantin's last output beside it (the floor for writing
    those bytes and files there). Returns one summary row per tool; the
    folders written are added to `leftovers`."""
    tools = {"bantin": lambda out: [BANTIN, "build", site, "--quiet", "--output", out]}
    if not a.no_hugo:
        tools["hugo"] = lambda out: ["hugo", "--source", hugo_dir, "--destination", out, "--quiet"]
    results = {name: [] for name in tools}
    for run in range(a.runs):
        order = list(tools) if run % 2 == 0 else list(reversed(list(tools)))
        for name in order:
            out_run = os.path.join(base, f"{preset}-{name}-{run + 1}")
            shutil.rmtree(out_run, ignore_errors=True)
            subprocess.run(["sync"])
            wall, cpu_s, rss = timed(tools[name](out_run))
            results[name].append((wall, cpu_s, rss))
            leftovers.append(out_run)
            print(f"  {preset} on {medium}, {name} run {run + 1}: {wall:.2f} s wall, {cpu_s:.2f} s CPU, {rss:.0f} MiB",
                  flush=True)
    rows = []
    for name, runs in results.items():
        pages, files, size = tree(os.path.join(base, f"{preset}-{name}-{a.runs}"))
        rows.append(dict(preset=preset, medium=medium, tool=name, runs=len(runs),
                         wall=statistics.median(r[0] for r in runs), cpu=statistics.median(r[1] for r in runs),
                         rss_mib=statistics.median(r[2] for r in runs), pages=pages, files=files, bytes=size))
    if a.floor:
        source = os.path.join(base, f"{preset}-bantin-{a.runs}")
        copy = os.path.join(base, f"{preset}-cp")
        shutil.rmtree(copy, ignore_errors=True)
        subprocess.run(["sync"])
        wall, cpu_s, rss = timed(["cp", "-r", source, copy])
        leftovers.append(copy)
        print(f"  {preset} on {medium}, cp -r of bantin's output: {wall:.2f} s wall, {cpu_s:.2f} s CPU", flush=True)
        pages, files, size = tree(copy)
        rows.append(dict(preset=preset, medium=medium, tool="cp -r", runs=1, wall=wall, cpu=cpu_s,
                         rss_mib=rss, pages=pages, files=files, bytes=size))
    if a.json:
        with open(a.json, "a", encoding="utf-8") as f:
            for row in rows:
                f.write(json.dumps(row) + "\n")
    return rows


def get(port, path):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as r:
        return r.read().decode("utf-8", "replace")


def serve_rebuilds(work, runs=5):
    """Edit → page served, with `bantin serve` on the province preset."""
    site, _ = prepare("province", work)
    proc = subprocess.Popen([BANTIN, "serve", site, "--port", "0"], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True, bufsize=1)
    try:
        first = proc.stdout.readline()
        port = int(re.search(r"127\.0\.0\.1:(\d+)", first).group(1))
        while "Đã dựng lại" not in proc.stdout.readline():
            pass
        article = sorted(
            os.path.join(dp, f) for dp, _, fs in os.walk(os.path.join(site, "content", "articles")) for f in fs
            if f.endswith(".md"))[0]
        results_dir = os.path.join(site, "content", "results")
        year = sorted(os.listdir(results_dir))[-1]
        results = os.path.join(results_dir, year, "q1.yaml")
        get(port, "/")
        out = []
        for what, path, page in (("one article edited", article, None),
                                 ("one results file edited", results, f"/thong-ke/{year}/quy-1/")):
            original = open(path, encoding="utf-8").read()
            times = []
            try:
                for i in range(runs):
                    text = original + f"\n<!-- {i} -->\n" if path.endswith(".md") else original + f"# {i}\n"
                    t0 = time.monotonic()
                    with open(path, "w", encoding="utf-8") as f:
                        f.write(text)
                    while "Đã dựng lại" not in proc.stdout.readline():
                        pass
                    get(port, page or "/tin-tuc/")
                    times.append((time.monotonic() - t0) * 1000)
                    time.sleep(0.3)
            finally:
                with open(path, "w", encoding="utf-8") as f:
                    f.write(original)
                while "Đã dựng lại" not in proc.stdout.readline():
                    pass
            out.append((what, times))
        return out
    finally:
        proc.terminate()
        proc.wait()


if __name__ == "__main__":
    main()
