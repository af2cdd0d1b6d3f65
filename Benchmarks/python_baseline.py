#!/usr/bin/env python3
"""The Python baseline for the benchmark: parse every line of an NDJSON file with orjson (or the
json module) and nothing else. Prints seconds, MB/s and lines/s as one JSON object."""
import json
import sys
import time

try:
    import orjson
    loads, name = orjson.loads, "orjson " + orjson.__version__
except ImportError:  # pragma: no cover
    loads, name = json.loads, "json"


def main(path):
    t0 = time.perf_counter()
    n = 0
    size = 0
    with open(path, "rb") as f:
        for line in f:
            size += len(line)
            if line.strip():
                loads(line)
                n += 1
    dt = time.perf_counter() - t0
    print(json.dumps({"parser": name, "seconds": dt, "mb_per_s": size / dt / 1e6, "lines_per_s": n / dt, "lines": n, "bytes": size}))


if __name__ == "__main__":
    main(sys.argv[1])
