#!/usr/bin/env python3
"""Instructions per snapshot, counted by valgrind (callgrind): the measure of the engine's own work
that does not move with the machine's load (wall-clock timings on a shared machine vary twofold
from one hour to the next; instruction counts repeat to within a fraction of a per cent).

Beside them, the atomic reference counts per snapshot: how many times the Swift runtime changed
an object's reference count with an atomic (`lock`-prefixed) instruction, counted exactly from the
same run. Instructions alone hide them: each is one instruction, but costs some twenty cycles, and
in a profile by time (`perf record`) retain and release were 29% of the run when they were 11% of
its instructions.

And the instructions of memory management per snapshot (`MEMORY`): counting references, copying
and destroying values, allocating and freeing. They are what stands between the engine and the
work of reading and judging itself: the snapshot's values (`Value`: text, lists and records held
by reference) are made, counted and freed one by one.

    python3 Benchmarks/instructions.py              # 2,000 generated snapshots
    python3 Benchmarks/instructions.py --cases 500  # quicker
    python3 Benchmarks/instructions.py --binary /tmp/old/.build/release/bottomline  # another build

Needs a release build (it runs `swift build -c release` first), valgrind, and objdump (binutils)
for the atomic counts. Runs `check` once per kind of output (counts only, actionable findings, all
findings) on one thread, subtracts the cost of a run on a single snapshot (start-up: loading the
program, reading and checking the rules), and prints a Markdown table per snapshot.

Runs with `SWIFT_DETERMINISTIC_HASHING=1`: the standard library seeds its hashing afresh in every
process, and sets and dictionaries then take a different number of probes from one run to the next
(about 150,000 instructions in 118 million on 2,000 snapshots, more than some changes measured);
with it, a build's count repeats to within a hundred instructions.
"""
import argparse
import os
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


# Functions whose instructions are memory management: reference counting (retain, release and
# their slow paths), copying and destroying values through the compiler's outlined and witness
# functions (`…Owxx`, `…OWOe`, `…OWOy`, `…OWOh`, `…Vwxx`, `…Vwcp`, `…VWOh`), arrays' storage
# freed and its elements destroyed, objects allocated and freed, and the C allocator under them.
MEMORY = re.compile(
    r"swift_(nonatomic_)?(retain|release|bridgeObjectRetain|bridgeObjectRelease|allocObject|deallocObject|"
    r"deallocClassInstance|slowAlloc|slowDealloc|arrayDestroy|arrayInitWith|isUniquelyReferenced)"
    r"|_swift_release_dealloc|doDecrementSlow|doIncrementSlow|_ContiguousArrayStorageCfD"
    r"|(O|V)(wxx|wcp|WOe|WOy|WOh|WOs|WOc)(Tm)?('\d+)?$"
    r"|^(malloc|free|cfree|_int_malloc|_int_free|malloc_consolidate|unlink_chunk|tcache_\w+|malloc_usable_size)('\d+)?$")


def memory_management(out_file):
    """Instructions run in memory management (`MEMORY`), from a callgrind file made with
    --dump-instr=yes --compress-pos=no: each function's own instructions, not those it calls."""
    names, fn, total, after_call = {}, None, 0, False
    for line in open(out_file, errors="replace"):
        if line.startswith(("fn=", "cfn=")):
            m = re.match(r"(c?fn)=\((\d+)\)(?: (.*))?", line.strip())
            if m and m.group(3):
                names[m.group(2)] = m.group(3)
            if m and m.group(1) == "fn":
                name = names.get(m.group(2), "")
                fn = name if MEMORY.search(name) else None
        elif line.startswith("calls="):
            after_call = True  # the next line is the call's cost, not an instruction's
        elif line.startswith("0x"):
            if after_call:
                after_call = False
            elif fn is not None:
                parts = line.split()  # address, line, instructions
                if len(parts) >= 3:
                    total += int(parts[2])
    return total


def instructions(binary, show, path):
    """Instructions executed by `check` on `path` (callgrind's total), atomic reference counts, and
    instructions of memory management."""
    with tempfile.TemporaryDirectory() as d:
        p = subprocess.run(
            ["valgrind", "--tool=callgrind", "--dump-instr=yes", "--compress-pos=no", f"--callgrind-out-file={d}/out",
             str(binary), "check", "--as-of", AS_OF, "--format", "ndjson", "--show", show, "--threads", "1", str(path)],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=ROOT,
            env={**os.environ, "SWIFT_DETERMINISTIC_HASHING": "1"})
        m = re.search(r"Collected : (\d+)", p.stderr)
        if p.returncode != 0 or not m:
            sys.exit(f"valgrind run failed ({show}):\n{p.stderr[-2000:]}")
        return int(m.group(1)), atomics(f"{d}/out"), memory_management(f"{d}/out")


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
    print("| run | instructions in all | start-up (1 snapshot) | per snapshot | per byte of input | atomic reference counts per snapshot "
          "| memory management per snapshot |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for show in ("counts", "actionable", "all"):
        (total, total_atomic, total_memory), (start, start_atomic, start_memory) = instructions(binary, show, cases), instructions(binary, show, one)
        per = (total - start) / (a.cases - 1)
        atomic = f"{(total_atomic - start_atomic) / (a.cases - 1):,.0f}" if total_atomic is not None and start_atomic is not None else "?"
        memory = (total_memory - start_memory) / (a.cases - 1)
        print(f"| check --show {show} | {total:,} | {start:,} | {per:,.0f} | {per * a.cases / size:,.1f} | {atomic} "
              f"| {memory:,.0f} ({memory / per:.0%}) |")

if __name__ == "__main__":
    main()
