#!/usr/bin/env python3
"""Instructions per snapshot, counted by valgrind (callgrind): the measure of the engine's own work
that does not move with the machine's load (wall-clock timings on a shared machine vary twofold
from one hour to the next; instruction counts repeat to within a fraction of a per cent).

Beside them, the atomic reference counts per snapshot: how many times the Swift runtime changed
an object's reference count with an atomic (`lock`-prefixed) instruction, counted exactly from the
same run. Instructions alone hide them: each is one instruction, but costs some twenty cycles, and
in a profile by time (`perf record`) retain and release were 29% of the run when they were 11% of
its instructions.

    python3 Benchmarks/instructions.py              # 2,000 generated snapshots
    python3 Benchmarks/instructions.py --cases 500  # quicker
    python3 Benchmarks/instructions.py --binary /tmp/old/.build/release/bottomline  # another build

Needs a release build (it runs `swift build -c release` first), valgrind, and objdump (binutils)
for the atomic counts. Runs `check` once per kind of output (counts only, actionable findings, all
findings) on one thread, subtracts the cost of a run on a single snapshot (start-up: loading the
program, reading and checking the rules), and prints a Markdown table per snapshot.
"""
import argparse
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

from run import AS_OF, BIN, DATA, ROOT  # the same build, data folder and as-of date as the timed benchmark


def lock_addresses(library):
    """The addresses of the `lock`-prefixed (atomic) instructions in a shared library."""
    try:
        out = subprocess.run(["objdump", "-d", "--no-show-raw-insn", library], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    return {int(line.split(":")[0], 16) for line in out.splitlines() if "\tlock " in line}


def atomics(out_file):
    """Atomic instructions run in libswiftCore (reference counting), from a callgrind file made
    with --dump-instr=yes --compress-pos=no; None when they cannot be told."""
    names, ob, library, total, after_call = {}, None, None, 0, False
    lines = open(out_file, errors="replace").read().splitlines()
    for line in lines:
        if line.startswith(("ob=", "cob=")):
            m = re.match(r"c?ob=\((\d+)\)(?: (.*))?", line)
            if m and m.group(2):
                names[m.group(1)] = m.group(2)
                if "libswiftCore" in m.group(2):
                    library = m.group(2)
    if library is None:
        return None
    locks = lock_addresses(library)
    if locks is None:
        return None
    for line in lines:
        if line.startswith("ob="):
            m = re.match(r"ob=\((\d+)\)", line)
            ob = names.get(m.group(1)) if m else None
        elif line.startswith("calls="):
            after_call = True  # the next line is the call's cost, not an instruction's
        elif line.startswith("0x"):
            if after_call:
                after_call = False
            elif ob == library:
                parts = line.split()
                if len(parts) >= 3 and int(parts[0], 16) in locks:
                    total += int(parts[2])
    return total


def instructions(binary, show, path):
    """Instructions executed by `check` on `path` (callgrind's total), and atomic reference counts."""
    with tempfile.TemporaryDirectory() as d:
        p = subprocess.run(
            ["valgrind", "--tool=callgrind", "--dump-instr=yes", "--compress-pos=no", f"--callgrind-out-file={d}/out",
             str(binary), "check", "--as-of", AS_OF, "--format", "ndjson", "--show", show, "--threads", "1", str(path)],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=ROOT)
        m = re.search(r"Collected : (\d+)", p.stderr)
        if p.returncode != 0 or not m:
            sys.exit(f"valgrind run failed ({show}):\n{p.stderr[-2000:]}")
        return int(m.group(1)), atomics(f"{d}/out")


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
    print("| run | instructions in all | start-up (1 snapshot) | per snapshot | per byte of input | atomic reference counts per snapshot |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for show in ("counts", "actionable", "all"):
        (total, total_atomic), (start, start_atomic) = instructions(binary, show, cases), instructions(binary, show, one)
        per = (total - start) / (a.cases - 1)
        atomic = f"{(total_atomic - start_atomic) / (a.cases - 1):,.0f}" if total_atomic is not None and start_atomic is not None else "?"
        print(f"| check --show {show} | {total:,} | {start:,} | {per:,.0f} | {per * a.cases / size:,.1f} | {atomic} |")

if __name__ == "__main__":
    main()
