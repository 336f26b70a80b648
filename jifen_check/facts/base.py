"""What every topic of the measurements shares: the applicant's months by source, small date
helpers, and the measurer's state (`MeasurerBase`): the parameters in force, the profile being
filled, the details messages quote and their English."""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Generic, TypeVar, overload

from jifen_check import labels
from jifen_check import months as mo
from jifen_check.applicant import Applicant
from jifen_check.rulebook import Rulebook
from jifen_check.wages import wages_for

OPEN_ENDED = 9999  # months: an open-ended contract never runs out
EDU_RANK = {"high_school": 1, "secondary_vocational": 1, "junior_college": 2, "bachelor": 3, "master": 4, "doctor": 5}
EDU_ZH = labels.EDU_LEVEL_ZH
ARCHIVE_ZH = {**labels.ARCHIVE_ZH, "unstated": labels.UNSTATED_ZH}
PERMIT_ZH = labels.PERMIT_ZH
MODE_ZH = labels.EDU_MODE_ZH
# The same in English (--lang en): what messages quote, beside the Chinese (labels.py).
EDU_EN, ARCHIVE_EN, PERMIT_EN, MODE_EN = labels.EDU_LEVEL_EN, labels.ARCHIVE_EN, labels.PERMIT_EN, labels.EDU_MODE_EN
TALENT = labels.TALENT
T = TypeVar("T")


@dataclass(slots=True)  # ~50 made per judgement: slots make them a fifth cheaper
class SiMonth:
    base: float
    payer: str | None
    back_payment: bool
    transferred: bool
    row: int


def expand_si(app: Applicant) -> dict[int, SiMonth]:
    """Shanghai social insurance by month. Duplicates are reported by validation; first row wins."""
    out: dict[int, SiMonth] = {}
    bounds = mo.spec_bounds
    for i, row in enumerate(app.social_insurance):
        first, last = bounds(row.month)
        if first == last:  # most rows are single months: no range
            if first not in out:
                out[first] = SiMonth(row.base, row.payer_uscc, row.back_payment, row.transferred_in, i)
            continue
        rec = SiMonth(row.base, row.payer_uscc, row.back_payment, row.transferred_in, i)
        for m in range(first, last + 1):
            out.setdefault(m, rec)
    return out


def expand_tax(app: Applicant) -> dict[int, tuple[float, str | None, int]]:
    """Income tax by month: (income, withholder, row). Duplicates are reported by validation; first row wins."""
    out: dict[int, tuple[float, str | None, int]] = {}
    bounds = mo.spec_bounds
    for i, row in enumerate(app.income_tax):
        first, last = bounds(row.month)
        if first == last:  # most tax rows are single months: no range and no second tuple
            if first not in out:
                out[first] = (row.income, row.withholder_uscc, i)
            continue
        value = (row.income, row.withholder_uscc, i)
        for m in range(first, last + 1):
            out.setdefault(m, value)
    return out


def other_city_months(app: Applicant) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for row in app.other_social_insurance:
        first, _ = mo.spec_bounds(row.from_)
        _, last = mo.spec_bounds(row.to)
        for m in range(first, last + 1):
            out.setdefault(m, []).append(row.city)
    return out


@lru_cache(maxsize=4096)  # a few a judgement, of the few as-of dates of a batch
def years_before(day: dt.date, years: int) -> dt.date:
    """The same calendar date `years` earlier (29 Feb → 28 Feb)."""
    return day.replace(year=day.year - years, day=28 if (day.month, day.day) == (2, 29) else day.day)


def expiry(record: dt.date, years: int) -> dt.date:
    """The first date on which a record dated `record` is older than a `years`-year window."""
    return years_before(record, -years) + dt.timedelta(days=1)


def age_on(birth: dt.date, day: dt.date) -> int:
    return mo.full_years_between(birth, day)


def table_points(table: list[list[int]], value: int) -> int:
    for lo, hi, pts in table:
        if lo <= value <= hi:
            return pts
    return 0


class once(Generic[T]):  # noqa: N801  (used as a decorator, like functools.cached_property)
    """functools.cached_property without the lock Python 3.11 takes at each first use (a measurer is
    used by one thread; ~10 of them each judgement): computed at first use, then kept on the instance."""

    def __init__(self, func: Callable[[Any], T]) -> None:
        self.func, self.__doc__ = func, func.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, obj: None, objtype: type | None = None) -> once[T]: ...
    @overload
    def __get__(self, obj: object, objtype: type | None = None) -> T: ...

    def __get__(self, obj: object | None, objtype: type | None = None) -> T | once[T]:
        if obj is None:
            return self
        value = obj.__dict__[self.name] = self.func(obj)
        return value


class MeasurerBase:
    """The state the topic measurers share (they are mixed into `facts.Measurer`)."""

    def __init__(self, book: Rulebook, app: Applicant, as_of: dt.date) -> None:
        self.book = book
        self.app = app
        self.as_of = as_of
        self.p = book.snapshot(as_of)
        self.wages = wages_for(book, as_of)
        self.app_month = mo.of_date(as_of)
        self.si = expand_si(app)
        self.si_months = sorted(self.si)  # for counting the Shanghai months of a period quickly
        self.tax = expand_tax(app)
        self.others = other_city_months(app)
        self.contract_uscc = app.contract.employer_uscc or app.employer.uscc
        c = app.contract
        self.contract_months = (mo.of_date(c.start), mo.of_date(c.end) if c.end else 1 << 30)
        self.details: dict[str, Any] = {"as_of": as_of.isoformat(), "app_month": mo.fmt(self.app_month)}
        self.en: dict[str, Any] = {}
        self.degree_en: list[dict[str, Any]] = []
        self.qual_en: list[dict[str, Any]] = []
        self.profile: dict[str, Any] = {"t": "profile"}

    def set(self, **values: Any) -> None:
        self.profile.update(values)

    def note(self, **values: Any) -> None:
        self.details.update(values)

    def note_en(self, **values: Any) -> None:
        """English for details whose Chinese text is more than dates, numbers and user data."""
        self.en.update(values)

    def _si_cities(self, first: int, last: int) -> list[str]:
        """Where social insurance was paid during a study period: Shanghai and other cities."""
        cities = ["上海"] if self._sh_months_in(first, last) else []
        for m in sorted(m for m in self.others if first <= m <= last):
            cities += [c for c in self.others[m] if c not in cities]
        return cities

    def _sh_months_in(self, first: int, last: int) -> int:
        """How many months from `first` to `last` have a Shanghai social insurance record."""
        return max(0, bisect.bisect_right(self.si_months, last) - bisect.bisect_left(self.si_months, first))


def _tri(v: bool | str | None) -> str:
    if v is True:
        return "yes"
    if v is False:
        return "no"
    return "unknown"


def _ym(day: dt.date | None) -> str:
    return f"{day.year:04d}-{day.month:02d}" if day else "?"


def _city_key(city: str) -> str:
    return city.strip().removesuffix("市")
