"""The average wage each contribution month is compared with, as known on an as-of date.

A measurement shared by the data checks (floor and ceiling, validate.py) and the facts (bands,
title base, facts/social_insurance.py): it reads the dated parameters average_wage, average_wage_points_reference,
contribution_floor and contribution_ceiling_multiple.
"""

from __future__ import annotations

import bisect
import datetime as dt
from decimal import Decimal

from jifen_check import months as mo
from jifen_check.money import dec
from jifen_check.rulebook import Rulebook


class Wages:
    """The average wage that each month's base is compared with, as known on an as-of date.

    A value with `published_on` after the as-of date is not known yet: its months reuse the previous
    value, provisionally (a value is in force for 12 months from its date). Points comparisons use
    the review practice's reference where it differs from the declared wage (2019-05..2019-10 were
    compared with 7832); the floor and ceiling always follow the declared wage.
    One per (rulebook, what is known) (`wages_for`), caching per month.
    """

    def __init__(self, book: Rulebook, known: list[int]) -> None:
        param = book.parameters["average_wage"]
        self.param = param
        self.reference = book.parameters["average_wage_points_reference"]
        self.floor = book.parameters["contribution_floor"]
        self.ceiling_multiple = book.parameters["contribution_ceiling_multiple"]
        self.dates = [param.dates[i] for i in known]
        self.values = [param.values[i] for i in known]
        self.confidence = [param.confidences[i] for i in known]
        self.sources = [param.sources[i] for i in known]
        self.sources_en = [param.sources_en[i] for i in known]
        self.published_until = mo.of_date(self.dates[-1]) + 11
        self.first_month = mo.of_date(max(self.dates[0], self.floor.dates[0]))
        self._wage: dict[int, int] = {}
        self._bounds: dict[int, tuple[int, Decimal]] = {}
        self._indexes: dict[int, int] = {}
        self._thresholds: dict[tuple[int, tuple[float, ...]], tuple[Decimal, ...]] = {}

    def _index(self, mi: int) -> int:
        # Months older than the table (before 2015-04) never fall in a scoring window; the
        # earliest value keeps the arithmetic defined for them.
        i = self._indexes.get(mi)
        if i is None:
            i = self._indexes[mi] = max(0, bisect.bisect_right(self.dates, mo.first_day(mi)) - 1)
        return i

    def declared(self, mi: int) -> int:
        return self.values[self._index(mi)]

    def at(self, mi: int) -> int:
        """The wage a points review compares month `mi`'s base with."""
        v = self._wage.get(mi)
        if v is None:
            day = mo.first_day(mi)
            ref = self.reference.at(day) if day >= self.reference.dates[0] else None
            v = self._wage[mi] = ref if ref is not None else self.declared(mi)
        return v

    def thresholds(self, mi: int, multiples: tuple[float, ...]) -> tuple[Decimal, ...]:
        """Each multiple of month `mi`'s wage, exactly (the band thresholds a base is compared with)."""
        key = (mi, multiples)
        t = self._thresholds.get(key)
        if t is None:
            wage = dec(self.at(mi))
            t = self._thresholds[key] = tuple(dec(x) * wage for x in multiples)
        return t

    def practice_reference(self, mi: int) -> bool:
        return self.at(mi) != self.declared(mi)

    def covers(self, mi: int) -> bool:
        return mi >= self.first_month

    def provisional(self, mi: int) -> bool:
        """No value for this month is known yet: the latest known value stands in."""
        return mi > self.published_until

    def unverified(self, mi: int) -> bool:
        """The value in force for this month is known but not verified (a single source)."""
        return not self.provisional(mi) and self.confidence[self._index(mi)] == "unverified"

    def before_unverified(self, mi: int) -> Decimal | None:
        """For a month compared with an unverified value: the declared value in force before it (the
        comparison had the unverified value been wrong); None for any other month."""
        if not self.unverified(mi) or self.practice_reference(mi):
            return None
        i = self._index(mi)
        return dec(self.values[i - 1]) if i > 0 else None

    def source(self, mi: int) -> str:
        return self.sources[self._index(mi)]

    def source_en(self, mi: int) -> str:
        return self.sources_en[self._index(mi)]

    def bounds(self, mi: int) -> tuple[int, Decimal]:
        b = self._bounds.get(mi)
        if b is None:
            day = mo.first_day(mi)
            b = self._bounds[mi] = (self.floor.at(day), dec(self.ceiling_multiple.at(day)) * self.declared(mi))
        return b


_wages: dict[tuple[int, tuple[int, ...]], Wages] = {}
_wages_on: dict[tuple[int, dt.date | None], Wages] = {}  # bounded by the distinct as-of dates seen


def wages_for(book: Rulebook, as_of: dt.date | None = None) -> Wages:
    """The wages known on `as_of` (all of them when None): values published later are left out."""
    w = _wages_on.get((id(book), as_of))
    if w is None:
        w = _wages_on[(id(book), as_of)] = _wages_known(book, as_of)
    return w


def _wages_known(book: Rulebook, as_of: dt.date | None) -> Wages:
    param = book.parameters["average_wage"]
    known = tuple(i for i, pub in enumerate(param.published) if pub is None or as_of is None or pub <= as_of)
    key = (id(book), known)
    w = _wages.get(key)
    if w is None:
        w = _wages[key] = Wages(book, list(known))
    return w
