"""Calendar months as integers (year*12 + month-1): cheap to compare, count and range over."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from jifen_check.dates import month_range


def month_index(year: int, month: int) -> int:
    return year * 12 + month - 1


def of_date(d: dt.date) -> int:
    return month_index(d.year, d.month)


@lru_cache(maxsize=1 << 12)  # ~20 a judgement, of a few hundred months; formatting is ten times a lookup
def fmt(mi: int) -> str:
    return f"{mi // 12:04d}-{mi % 12 + 1:02d}"


def first_day(mi: int) -> dt.date:
    return dt.date(mi // 12, mi % 12 + 1, 1)


@lru_cache(maxsize=1 << 16)  # bounded: memory stays flat over long batches
def spec_bounds(spec: str) -> tuple[int, int]:
    """A validated `YYYY-MM` or `YYYY-MM..YYYY-MM` as an inclusive (first, last) index pair."""
    (y1, m1), (y2, m2) = month_range(spec)
    return month_index(y1, m1), month_index(y2, m2)


def spans(months: list[int]) -> str:
    """Compact Chinese-readable list of months: 2024-01–2024-06、2025-02."""
    if not months:
        return "无"
    return _spans(tuple(months))


@lru_cache(maxsize=1 << 12)  # ~10 lists a judgement; the same lists recur across a batch's people and projections
def _spans(months: tuple[int, ...]) -> str:
    parts: list[str] = []
    ordered = sorted(set(months))
    start = prev = ordered[0]
    for m in ordered[1:] + [None]:  # type: ignore[list-item]
        if m is not None and m == prev + 1:
            prev = m
            continue
        parts.append(fmt(start) if start == prev else f"{fmt(start)}–{fmt(prev)}")
        if m is not None:
            start = prev = m
    return "、".join(parts)


def full_years_between(start: dt.date, end: dt.date) -> int:
    years = end.year - start.year
    if (end.month, end.day) < (start.month, start.day):
        years -= 1
    return years


def full_months_between(start: dt.date, end: dt.date) -> int:
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day:
        months -= 1
    return months
