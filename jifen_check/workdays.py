"""Working days, for the 3-working-day wait after a permit is issued or renewed (PRE-PERMIT-SYNC).

A working day is Monday–Friday, minus the public holidays, plus the weekend days declared
working days (调休上班), from `rulesets/reference/holidays.yaml`. A year not in that file is
counted as plain Monday–Friday; `calendar_covers` tells callers so they can say it in the result.

Counting convention (the whole module uses it):
- The issue/renewal day itself never counts: counting starts the day after.
- `add_working_days(issued, n)` is the n-th working day strictly after `issued`. At the end of
  that day n full working days have passed.
- `first_usable_date(issued, n)` is that same day: "at least 3 working days have passed" holds
  on the 3rd working day after issue (the days strictly after the issue day, up to and including
  the application day, are counted). It is always a working day, so the date a result names is
  one on which the window is open.

Example: renewed on Fri 2026-09-18 (plain Mon–Fri would give Mon 21, Tue 22, Wed 23). 2026 has a
make-up working day on Sun 2026-09-20, so the three working days are Sun 20, Mon 21, Tue 22 and
the first usable date is Tue 2026-09-22.
"""

from __future__ import annotations

import datetime as dt

from jifen_check.reference import load_holidays

_ONE_DAY = dt.timedelta(days=1)


def calendar_covers(d: dt.date) -> bool:
    """Whether the holiday calendar has d's year. Uncovered years are plain Monday–Friday."""
    return d.year in load_holidays()


def is_working_day(d: dt.date) -> bool:
    year = load_holidays().get(d.year)
    if year is not None:
        if d in year.holidays:
            return False
        if d in year.make_up_workdays:
            return True
    return d.weekday() < 5


def add_working_days(start: dt.date, n: int) -> dt.date:
    """The n-th working day strictly after `start` (n = 0: `start` itself).

    At the end of the returned day, n full working days have passed since `start`.
    """
    if n < 0:
        raise ValueError(f"n 应为非负整数，实际为 {n}")
    day, counted = start, 0
    while counted < n:
        day += _ONE_DAY
        counted += is_working_day(day)
    return day


def first_usable_date(issued: dt.date, n: int = 3) -> dt.date:
    """The n-th working day following `issued`: the first date the account works."""
    return add_working_days(issued, n)


def working_days_between(a: dt.date, b: dt.date) -> int:
    """Working days strictly after a, up to and including b (0 when b <= a)."""
    span = (b - a).days
    return sum(is_working_day(a + dt.timedelta(days=i)) for i in range(1, span + 1))


def uncovered_years(a: dt.date, b: dt.date) -> list[int]:
    """Years in [a, b] the calendar lacks: a result that counted across them should say so."""
    first, last = min(a, b), max(a, b)
    return [y for y in range(first.year, last.year + 1) if y not in load_holidays()]
