#!/usr/bin/env python3
"""Write Tests/Fixtures/oracle/working-days-england-and-wales.json: working-day arithmetic
computed independently of BottomLine, with numpy's business-day functions and the bank holidays
of the PyPI `holidays` package (UK, England). `WorkingDayOracleTests` replays every case.

    pip install holidays numpy && python3 Scripts/make_working_day_oracle.py

Deterministic: a fixed seed, so the file only changes when numpy or `holidays` disagree with it.

Semantics pinned (Grammar.md): for n >= 1, D + n working days is the n-th working day strictly
after D. numpy.busday_offset(D, n, roll='backward') rolls a non-working D back to the previous
working day P and then steps n working days: the n-th working day after P is the n-th after D,
since no working day lies between P and D. For n < 0 the mirror is roll='forward': stepping back
from a backward-rolled P would count P itself, which is strictly before D, one time too few.
"working days from A to B" counts (A, B], which is numpy.busday_count(A + 1, B + 1); for B < A it
is minus the count of (B, A].
"""
import datetime
import json
import pathlib
import random

import holidays
import numpy as np

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "Tests" / "Fixtures" / "oracle" / "working-days-england-and-wales.json"
FIRST, LAST = datetime.date(2012, 1, 1), datetime.date(2030, 12, 31)


def main():
    rng = random.Random(20190304)
    hols = sorted(d for d in holidays.UK(subdiv="ENG", years=range(2012, 2031)) if d.weekday() < 5)
    H = np.array([np.datetime64(d) for d in hols])
    span = (LAST - FIRST).days

    def anchor():
        r = rng.random()
        if r < 0.1:
            return rng.choice(hols)
        d = FIRST + datetime.timedelta(days=rng.randrange(span + 1))
        if r < 0.2:  # a weekend day
            d += datetime.timedelta(days=(5 - d.weekday()) % 7 + rng.randrange(2))
        return d

    adds = []
    while len(adds) < 3000:
        d = anchor()
        n = rng.choice([0, 1, 1, 15, 20, 45, -1, -15, rng.randint(-60, 60), rng.randint(-60, 60)])
        if not FIRST + datetime.timedelta(days=100) <= d <= LAST - datetime.timedelta(days=100):
            continue
        roll = "backward" if n >= 0 else "forward"
        got = np.busday_offset(np.datetime64(d), n, roll=roll, holidays=H) if n != 0 else np.datetime64(d)
        adds.append({"date": d.isoformat(), "n": n, "expected": str(got)})

    betweens = []
    while len(betweens) < 600:
        a = anchor()
        b = a + datetime.timedelta(days=rng.randint(-120, 120))
        if not (FIRST <= a <= LAST and FIRST <= b <= LAST):
            continue
        one = datetime.timedelta(days=1)
        if b >= a:
            count = int(np.busday_count(np.datetime64(a + one), np.datetime64(b + one), holidays=H))
        else:
            count = -int(np.busday_count(np.datetime64(b + one), np.datetime64(a + one), holidays=H))
        betweens.append({"from": a.isoformat(), "to": b.isoformat(), "expected": count})

    lines = ['{', f'"calendar": "england-and-wales", "generated_by": "Scripts/make_working_day_oracle.py",',
             f'"covers": ["{FIRST}", "{LAST}"],', '"holidays": ' + json.dumps([d.isoformat() for d in hols]) + ',',
             '"add": [']
    lines += [json.dumps(c) + ("," if i < len(adds) - 1 else "") for i, c in enumerate(adds)]
    lines += ['],', '"between": [']
    lines += [json.dumps(c) + ("," if i < len(betweens) - 1 else "") for i, c in enumerate(betweens)]
    lines += [']', '}']
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}: {len(adds)} add cases, {len(betweens)} between cases")


if __name__ == "__main__":
    main()
