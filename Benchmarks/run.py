#!/usr/bin/env python3
"""The benchmark: BottomLine against the floor (reading and splitting lines) and a Python
baseline (orjson parsing every line and nothing else), in one run, on the same files.

    python3 Benchmarks/run.py                 # 100k and 400k snapshots (generated on first use)
    python3 Benchmarks/run.py --cases 20000   # a quick look
    python3 Benchmarks/run.py --against /tmp/old/.build/release/bottomline  # two builds side by side

Needs a release build (it runs `swift build -c release` first), Python 3 with orjson (pip install
orjson), and GNU time (/usr/bin/time) for peak memory. Prints a Markdown table: MB/s, snapshots/s,
findings/s, peak RSS, and the ratio to orjson; then checks 1 and 2 threads give identical output,
and times `bottomline lint` on a generated 10,000-line rule file.
"""
import argparse
import hashlib
import json
import os
import pathlib
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
BIN = ROOT / ".build" / "release" / "bottomline"
DATA = ROOT / "bench-data"
AS_OF = "2026-06-30"


def timed(cmd, stdout=subprocess.DEVNULL):
    """Runs cmd under GNU time; returns (seconds, peak RSS in MB, stderr text + stdout text if captured)."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as t:
        p = subprocess.run(["/usr/bin/time", "-o", t.name, "-f", "%e %M"] + cmd, stdout=stdout, stderr=subprocess.PIPE, text=True, cwd=ROOT)
        if p.returncode not in (0, 1):
            sys.exit(f"failed: {' '.join(cmd)}\n{p.stderr}")
        secs, rss = t.read().split()[-2:]
    return float(secs), int(rss) / 1024, p.stderr + (p.stdout or "")


def last_json(text):
    for line in reversed(text.strip().splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    return {}


def bench(n, repeat, against=None):
    f = DATA / f"cases-{n}.ndjson"
    if not f.exists():
        print(f"generating {f.name} ...", file=sys.stderr)
        subprocess.run([sys.executable, str(ROOT / "Benchmarks" / "generate.py"), "--cases", str(n), "--out", str(f)], check=True)
    size = f.stat().st_size / 1e6
    rows = []

    # Every command once per round, round after round, and the best of each: the machine's load
    # changes from minute to minute, and interleaving gives every command the same chances.
    commands = [("floor: read + split lines (1 core)", [str(BIN), "bench-read", str(f)], None),
                ("orjson", [sys.executable, str(ROOT / "Benchmarks" / "python_baseline.py"), str(f)], subprocess.PIPE)]
    for show, threads in (("counts", 1), ("actionable", 1), ("actionable", 2), ("all", 1), ("all", 2)):
        what = "counts only, no finding written" if show == "counts" else f"{show} findings written"
        commands.append((f"BottomLine check, {what}, {threads} thread{'s' if threads > 1 else ''}",
                         [str(BIN), "check", "--as-of", AS_OF, "--format", "ndjson", "--show", show, "--threads", str(threads), "--stats", str(f)],
                         None))
    if against:
        # Another build in the same rounds: the fair comparison on a machine whose speed moves.
        for threads in (1, 2):
            commands.append((f"another build ({against}), actionable findings written, {threads} thread{'s' if threads > 1 else ''}",
                             [against, "check", "--as-of", AS_OF, "--format", "ndjson", "--show", "actionable", "--threads", str(threads), "--stats", str(f)],
                             None))
    runs = [[] for _ in commands]
    for _ in range(repeat):
        for i, (_, cmd, out) in enumerate(commands):
            runs[i].append(timed(cmd, stdout=out if out else subprocess.DEVNULL))
    best = [min(r, key=lambda x: x[0]) for r in runs]
    s, rss, _ = best[0]
    rows.append((commands[0][0], s, rss, None))
    s, rss, out = best[1]
    orjson_mbs = size / s
    rows.append((f"Python baseline: {last_json(out).get('parser', '?')} parsing every line, nothing else (1 core)", s, rss, None))
    for (name, _, _), (s, rss, err) in zip(commands[2:], best[2:]):
        rows.append((name, s, rss, last_json(err)))
    print(f"\n### {n:,} snapshots, {size:,.0f} MB, as of {AS_OF}\n")
    print("| run | seconds | MB/s | snapshots/s | findings/s | findings written | peak RSS (MB) | × orjson |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, s, rss, stats in rows:
        fps = f"{stats['findings'] / s:,.0f}" if stats else ""
        written = f"{stats['findings_written']:,}" if stats else ""
        print(f"| {name} | {s:.2f} | {size / s:,.0f} | {n / s:,.0f} | {fps} | {written} | {rss:,.0f} | {size / s / orjson_mbs:.2f} |")
    return f


def identical(f):
    digests = []
    for threads in (1, 2):
        p = subprocess.run([str(BIN), "check", "--as-of", AS_OF, "--format", "ndjson", "--show", "all", "--threads", str(threads), str(f)],
                           stdout=subprocess.PIPE, cwd=ROOT, check=False)
        digests.append(hashlib.sha256(p.stdout).hexdigest())
    print(f"\noutput with 1 and 2 threads ({f.name}, all findings): {'byte-identical' if digests[0] == digests[1] else 'DIFFERENT'} (sha256 {digests[0][:16]}…)")
    return digests[0] == digests[1]


def lint_bench():
    path = DATA / "lint-10k-lines.rules"
    src = (ROOT / "rules" / "child-protection.rules").read_text()
    blocks = [b for b in src.split("\n\n") if b.lstrip().startswith(("rule", "#"))]
    lines, i = ["use calendar england-and-wales", ""], 0
    while len(lines) < 10000:
        for b in blocks:
            lines += [l.replace("rule ", "rule ", 1) for l in b.replace("rule ", f"rule bench{i}-", 1).splitlines()] + [""]
            i += 1
    path.write_text("\n".join(lines[:10000]) + "\n")
    s, rss, _ = min((timed([str(BIN), "lint", str(path)]) for _ in range(3)), key=lambda r: r[0])
    print(f"\n`bottomline lint` of a {len(lines[:10000]):,}-line rule file ({i} rules, with rules/ for its schema and calendar): {s * 1000:.0f} ms, peak RSS {rss:.0f} MB")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, nargs="*", default=[100000, 400000])
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--against", help="another build of bottomline, timed in the same rounds (actionable findings, 1 and 2 threads)")
    a = ap.parse_args()
    DATA.mkdir(exist_ok=True)
    subprocess.run(["swift", "build", "-c", "release"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    print(f"machine: {os.cpu_count()} cores, {open('/proc/meminfo').readline().split()[1]} kB memory; {subprocess.run(['swift', '--version'], capture_output=True, text=True).stdout.splitlines()[0]}")
    files = [bench(n, a.repeat, a.against) for n in a.cases]
    identical(files[0])
    lint_bench()


if __name__ == "__main__":
    main()
