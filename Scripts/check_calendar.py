#!/usr/bin/env python3
"""Check rules/calendars/england-and-wales.rules against an independent source: the PyPI
`holidays` package (UK, subdivision England). Test tooling only, never a runtime dependency.

    pip install holidays && python3 Scripts/check_calendar.py

The rules file lists bank holidays as GOV.UK does: weekdays only, with substitute days. `holidays`
also lists the weekend date a holiday falls on, so those are left out of the comparison. Exits 1
on any difference, a date outside `covers`, or a date listed twice.
"""
import datetime
import pathlib
import re
import sys

import holidays

ROOT = pathlib.Path(__file__).resolve().parent.parent
RULES = ROOT / "rules" / "calendars" / "england-and-wales.rules"


def read_calendar(path):
    text = path.read_text(encoding="utf-8")
    covers = re.search(r"^\s+covers (\d{4}-\d{2}-\d{2}) to (\d{4}-\d{2}-\d{2})\s*$", text, re.M)
    dates = [
        (datetime.date.fromisoformat(d), name)
        for d, name in re.findall(r'^\s+holiday (\d{4}-\d{2}-\d{2}) "([^"]*)"\s*$', text, re.M)
    ]
    return (datetime.date.fromisoformat(covers.group(1)), datetime.date.fromisoformat(covers.group(2))), dates


def main():
    (first, last), listed = read_calendar(RULES)
    problems = []
    seen = set()
    for d, name in listed:
        if d in seen:
            problems.append(f"{d} is listed twice")
        seen.add(d)
        if not first <= d <= last:
            problems.append(f"{d} ({name}) is outside covers {first} to {last}")
        if d.weekday() >= 5:
            problems.append(f"{d} ({name}) falls on a weekend; list the substitute day instead")
    reference = holidays.UK(subdiv="ENG", years=range(first.year, last.year + 1))
    expected = {d for d in reference if d.weekday() < 5 and first <= d <= last}
    for d in sorted(expected - seen):
        problems.append(f"missing: {d} ({reference[d]})")
    for d in sorted(seen - expected):
        problems.append(f"not a bank holiday according to `holidays`: {d}")
    if problems:
        print("\n".join(problems))
        return 1
    print(f"england-and-wales: {len(seen)} bank holidays {first} to {last} agree with holidays {holidays.__version__}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
