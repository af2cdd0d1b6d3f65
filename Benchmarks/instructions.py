#!/usr/bin/env python3
"""Instructions per snapshot, counted by valgrind (callgrind): the measure of the engine's own work
that does not move with the machine's load (wall-clock timings on a shared machine vary twofold
from one hour to the next; instruction counts repeat to within a fraction of a per cent).

    python3 Benchmarks/instructions.py              # 2,000 generated snapshots
    python3 Benchmarks/instructions.py --cases 500  # quicker
    python3 Benchmarks/instructions.py --binary /tmp/old/.build/release/bottomline  # another build

Needs a release build (it runs `swift build -c release` first) and valgrind. Runs `check` once per
kind of output (counts only, actionable findings, all findings) on one thread, subtracts the cost of
a run on a single snapshot (start-up: loading the program, reading and checking the rules), and
prints a Markdown table of instructions per snapshot.
"""
import argparse
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

from run import AS_OF, BIN, DATA, ROOT  # the same build, data folder and as-of date as the timed benchmark


def instructions(binary, show, path):
    """Instructions executed by `check` on `path` (callgrind's total)."""
    with tempfile.TemporaryDirectory() as d:
        p = subprocess.run(
            ["valgrind", "--tool=callgrind", f"--callgrind-out-file={d}/out", str(binary), "check", "--as-of", AS_OF,
             "--format", "ndjson", "--show", show, "--threads", "1", str(path)],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=ROOT)
        m = re.search(r"Collected : (\d+)", p.stderr)
        if p.returncode != 0 or not m:
            sys.exit(f"valgrind run failed ({show}):\n{p.stderr[-2000:]}")
        return int(m.group(1))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=2000)
    ap.add_argument("--binary", help="a bottomline binary to measure instead of this checkout's release build")
    a = ap.parse_args()
    if shutil.which("valgrind") is None:
        sys.exit("valgrind is not installed: install it (apt install valgrind) to count instructions")
    binary = pathlib.Path(a.binary) if a.binary else BIN
    if not a.binary:
        subprocess.run(["swift", "build", "-c", "release"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    DATA.mkdir(exist_ok=True)
    cases = DATA / f"cases-{a.cases}.ndjson"
    if not cases.exists():
        subprocess.run([sys.executable, str(ROOT / "Benchmarks" / "generate.py"), "--cases", str(a.cases), "--out", str(cases)], check=True)
    one = DATA / "cases-1.ndjson"
    one.write_text(cases.read_text().split("\n", 1)[0] + "\n")
    size = cases.stat().st_size
    print(f"\n### Instructions per snapshot ({a.cases:,} snapshots, {size / a.cases:,.0f} bytes each, as of {AS_OF}, 1 thread)\n")
    print("| run | instructions in all | start-up (1 snapshot) | per snapshot | per byte of input |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for show in ("counts", "actionable", "all"):
        total, start = instructions(binary, show, cases), instructions(binary, show, one)
        per = (total - start) / (a.cases - 1)
        print(f"| check --show {show} | {total:,} | {start:,} | {per:,.0f} | {per * a.cases / size:,.1f} |")


if __name__ == "__main__":
    main()
