#!/usr/bin/env python3
"""Deterministic generator of realistic synthetic case snapshots, as NDJSON, in the standard shape
of rules/schema.rules. Same seed and count, same bytes.

    python3 Benchmarks/generate.py --cases 400000 --seed 1 --out bench-data/cases-400k.ndjson

The mix: most cases are children in need (a referral, usually an assessment); about a fifth have a
section 47 enquiry; about one in ten a child protection plan; about one in twelve are looked after;
0–60 visits; monthly supervisions and quarterly summaries with gaps; dates spread over 2018–2026;
a few per cent of dates late or missing.
"""
import argparse
import datetime
import json
import random

START = datetime.date(2018, 1, 1).toordinal()
END = datetime.date(2026, 6, 1).toordinal()


def iso(o):
    return datetime.date.fromordinal(o).isoformat()


def late(rng, on_time, late_by, p=0.03):
    """A gap: usually within `on_time` (lo, hi), occasionally (p) late by `late_by` (lo, hi)."""
    if rng.random() < p:
        return on_time[1] + rng.randint(*late_by)
    return rng.randint(*on_time)


def series(rng, start, stop, first, then, limit=200):
    """Event dates from `start` until `stop`: the first gap from `first`, later gaps from `then`."""
    out, d, gap = [], start, first
    while len(out) < limit:
        d += gap(rng)
        if d > stop:
            break
        out.append(d)
        gap = then
    return out


def gen_case(i, rng):
    is_open = rng.random() < 0.35
    if is_open:
        ref = rng.randint(END - 2 * 365, END - 20)
        closure = None
        stop = END
    else:
        ref = rng.randint(START, END - 60)
        closure = min(END, ref + rng.randint(20, 700))
        stop = closure
    child = f"CH-{rng.randint(1, 360000):06d}"
    worker = rng.randint(1, 24000)
    case = {
        "case_id": f"C-{i:07d}",
        "child": {"id": child, "birth_date": iso(ref - rng.randint(0, 17 * 365))},
        "worker": {"id": f"SW-{worker:05d}", "team": f"Team {worker // 12:04d}"},
        "referral": {"date": iso(ref), "decision_date": iso(ref + late(rng, (0, 1), (1, 3))) if rng.random() > 0.01 else None},
        "closure_date": iso(closure) if closure else None,
    }
    if rng.random() < 0.85:
        start = ref + rng.randint(0, 5)
        done = start + late(rng, (10, 55), (5, 30))
        case["assessments"] = [{"start": iso(start), "authorised": iso(done) if done <= stop and rng.random() > 0.01 else None,
                                "child_seen_alone": rng.random() < 0.8}]
    if rng.random() < 0.2:
        sd = ref + rng.randint(0, 10)
        case["section47"] = [{"strategy_discussion": iso(sd) if rng.random() > 0.01 else None, "icpc_required": rng.random() < 0.5,
                              "icpc": iso(sd + late(rng, (8, 19), (3, 10)))}]
    on_plan = rng.random() < 0.1
    if on_plan:
        ps = ref + rng.randint(15, 40)
        pend = min(stop, ps + rng.randint(100, 700)) if rng.random() < 0.5 else None
        pstop = pend or stop
        reviews = series(rng, ps, pstop, lambda r: late(r, (70, 88), (5, 20)), lambda r: late(r, (150, 178), (5, 30)))
        visits = series(rng, ps, pstop, lambda r: late(r, (2, 12), (1, 5)), lambda r: late(r, (4, 12), (1, 6)), limit=60)
        case["cp_plans"] = [{"start": iso(ps), "end": iso(pend) if pend else None,
                             "reviews": [iso(d) for d in reviews], "core_groups": [iso(ps + late(rng, (3, 12), (3, 8)))]}]
    else:
        visits = series(rng, ref, stop, lambda r: r.randint(3, 20), lambda r: r.randint(10, 40), limit=25)
    if rng.random() < 0.08:
        ls = ref + rng.randint(5, 100)
        lend = min(stop, ls + rng.randint(200, 1500)) if rng.random() < 0.4 else None
        lstop = lend or stop
        reviews = series(rng, ls, lstop, lambda r: late(r, (10, 26), (3, 10)), lambda r: late(r, (60, 88), (5, 20)))
        reviews = reviews[:2] + series(rng, reviews[1], lstop, lambda r: late(r, (150, 178), (5, 30)), lambda r: late(r, (150, 178), (5, 30))) if len(reviews) > 1 else reviews
        has = series(rng, ls, lstop, lambda r: r.randint(5, 25), lambda r: late(r, (150, 178), (5, 30)))
        case["looked_after"] = {"start": iso(ls), "end": iso(lend) if lend else None,
                                "placements": [{"start": iso(ls), "end": None, "long_term": rng.random() < 0.3}],
                                "reviews": [iso(d) for d in reviews], "health_assessments": [iso(d) for d in has]}
        visits = sorted(set(visits) | set(series(rng, ls, lstop, lambda r: late(r, (2, 6), (1, 5)), lambda r: late(r, (25, 40), (3, 10)), limit=30)))
    if visits:
        case["visits"] = [{"date": iso(d), "seen_alone": rng.random() < (0.9 if on_plan else 0.7), "worker": case["worker"]["id"]} for d in visits]
    case["supervisions"] = [iso(d) for d in series(rng, ref, stop, lambda r: late(r, (20, 30), (2, 15)), lambda r: late(r, (24, 28), (2, 15)), limit=40)]
    case["case_summaries"] = [iso(d) for d in series(rng, ref, stop, lambda r: late(r, (60, 88), (3, 20)), lambda r: late(r, (75, 88), (3, 20)), limit=15)]
    return case


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=100000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    with open(a.out, "w", encoding="utf-8") as f:
        for i in range(a.cases):
            f.write(json.dumps(gen_case(i, rng), separators=(", ", ": ")) + "\n")


if __name__ == "__main__":
    main()
