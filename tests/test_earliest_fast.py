"""The faster definitions in earliest.py give exactly what the plain ones they replaced gave.

The references below are the previous code, kept here verbatim: `candidates` with an age for every
date (now a bisection over the dates, the age limit being for good), the base-band and title parts
of `gain_bound` reading `wages.at` month by month (now a remembered span of wages), and the age part
making two dates a month (now the age on a month's first day in integers). Compared on the random
applicants of test_earliest_bound.py, from today and from later as-of dates, every month ahead.
"""

from __future__ import annotations

import datetime as dt
from itertools import accumulate
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jifen_check import earliest
from jifen_check import months as mo
from jifen_check.facts import age_on, expand_si, expand_tax, expiry, table_points, wages_for
from jifen_check.identifiers import id_birth_date
from jifen_check.judge import judge_full
from jifen_check.rulebook import load
from tests.test_earliest_bound import AS_OF, applicants


def reference_candidates(book: Any, app: Any, result: Any, as_of: dt.date) -> list[dt.date]:
    days = {mo.first_day(mo.of_date(as_of) + k) for k in range(1, earliest.HORIZON_MONTHS + 1)}
    for f in result.findings:
        if f.rule == "PRE-PERMIT-SYNC" and f.deadline:
            days.add(dt.date.fromisoformat(f.deadline))
    windows = book.snapshot(as_of)["deductions"]
    r = app.records
    for dates, key in ((r.false_materials, "false_material"), (r.administrative_detentions, "detention"),
                       (r.general_crimes, "crime")):
        days.update(expiry(d, windows[key]["years"]) for d in dates)
    start = earliest.lower_bound(result, as_of)
    end = mo.first_day(mo.of_date(as_of) + earliest.HORIZON_MONTHS)
    birth = app.person.birth_date or id_birth_date(app.person.id_number)
    oldest = book.snapshot(as_of)["age_limits"]["max"]
    return sorted(d for d in days if start <= d <= end and not (birth is not None and age_on(birth, d) > oldest))


def reference_band_gain(p: dict[str, Any], si: dict[int, Any], tax: dict[int, Any], wages: Any, start: int,
                        now: int, horizon: int) -> Any:
    bands = p["si_base_bands"]
    widest = max(b["window_months"] for b in bands)
    min_ratio = p["tax_match"]["min_ratio"]
    first = start - widest
    ratios = []
    for m in range(first, start + horizon + 1):
        rec, t = si.get(m), tax.get(m)
        ok = rec is not None and not rec.back_payment and not rec.transferred and t is not None \
            and t[0] >= min_ratio * rec.base
        ratios.append(rec.base / wages.at(m) if ok else 0.0)
    running = [(b["window_months"], b["min_months"], b["points"],
                list(accumulate([r >= b["multiple"] - 1e-9 for r in ratios], initial=0))) for b in bands]

    def gain(ahead: int) -> int:
        end = start + ahead - first
        best = 0
        for window, need, points, counts in running:
            if points > best and counts[end] - counts[max(end - window, 0)] >= need:
                best = points
        return max(0, best - now)

    return gain


def reference_age_gain(p: dict[str, Any], app: Any, as_of: dt.date, now: int) -> Any:
    birth = app.person.birth_date or id_birth_date(app.person.id_number)
    if birth is None:
        return lambda ahead: 0
    start = mo.of_date(as_of)
    table = p["age_points"]

    def gain(ahead: int) -> int:
        first = as_of if ahead == 0 else mo.first_day(start + ahead)
        young, old = age_on(birth, first), age_on(birth, mo.first_day(start + ahead + 1))
        if young == old:
            return table_points(table, young) - now
        return max(table_points(table, a) for a in range(young, old + 1)) - now

    return gain


def reference_edu_title_gain(p: dict[str, Any], app: Any, lines: list[Any], si: dict[int, Any], wages: Any,
                             start: int, now: int, counted: bool, horizon: int, new_title: int,
                             new_title_waiting: int) -> Any:
    static_risks, static_blocks = earliest._STATIC_RISKS, earliest._STATIC_BLOCKS
    steady = max((ln.points + ln.at_risk_points for ln in lines if ln.rule in ("PTS-EDU", "PTS-TITLE")
                  and (ln.status == "counted"
                       or (ln.status == "at_risk" and not (counted and ln.reason in static_risks))
                       or (ln.status == "not_counted" and ln.reason not in static_blocks | {"PIT-TITLE-SI-BASE"}))),
                 default=0)
    steady = max(steady, new_title)
    waiting = max((ln.points for ln in lines if ln.rule == "PTS-TITLE" and ln.status == "not_counted"
                   and ln.reason == "PIT-TITLE-SI-BASE"), default=0)
    waiting = max(waiting, new_title_waiting)
    tb = p["title_si_base"]
    first = start - tb["window_months"]
    counts = list(accumulate([rec is not None and not rec.back_payment and rec.base >= tb["multiple"] * wages.at(m) - 1e-6
                              for m in range(first, start + horizon + 1) for rec in (si.get(m),)], initial=0))

    def gain(ahead: int) -> int:
        end = start + ahead - first
        best = steady
        if waiting > steady and counts[end] - counts[end - tb["window_months"]] >= tb["min_months"]:
            best = waiting
        return max(0, best - now)

    return gain


def _judged(doc: dict[str, Any]) -> Any:
    judged = judge_full(doc)
    return judged if judged.applicant is not None and judged.result.verdict != "invalid_input" else None


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(applicants(), st.sampled_from([0, 1, 7, 30]), st.integers(1, 60), st.integers(0, 40))
def test_gain_bound_parts_are_the_reference(doc: dict[str, Any], later: int, horizon: int, now: int) -> None:
    judged = _judged(doc)
    if judged is None:
        return
    book, app = load(), judged.applicant
    as_of = mo.first_day(mo.of_date(AS_OF) + later) if later else AS_OF
    p, start, wages = book.snapshot(as_of), mo.of_date(as_of), wages_for(book)
    si, tax = earliest._ahead_months(app, as_of, mo.first_day(start + horizon + 1))
    bands = earliest._band_gain(p, si, tax, wages, start, now, horizon)
    bands_ref = reference_band_gain(p, si, tax, wages, start, now, horizon)
    age, age_ref = earliest._age_gain(p, app, as_of, now), reference_age_gain(p, app, as_of, now)
    for ahead in range(horizon + 1):
        assert bands(ahead) == bands_ref(ahead), ahead
        assert age(ahead) == age_ref(ahead), ahead
    tb = p["title_si_base"]
    first = start - tb["window_months"]
    assert earliest._wages_from(wages, first, start + horizon) == tuple(
        wages.at(m) for m in range(first, start + horizon + 1))
    lines = judged.result.score.lines
    for counted, new, waiting in ((True, 0, 0), (False, 0, 0), (True, 0, 200), (True, 60, 100), (False, 100, 0)):
        gain = earliest._edu_title_gain(p, app, lines, si, wages, start, now, counted, horizon, new, waiting)
        ref = reference_edu_title_gain(p, app, lines, si, wages, start, now, counted, horizon, new, waiting)
        assert [gain(a) for a in range(horizon + 1)] == [ref(a) for a in range(horizon + 1)]



@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(applicants(), st.sampled_from([0, 1, 7, 30, 365 * 20]))
def test_candidates_are_the_reference(doc: dict[str, Any], later_days: int) -> None:
    judged = _judged(doc)
    if judged is None:
        return
    book, app = load(), judged.applicant
    as_of = AS_OF + dt.timedelta(days=later_days)  # 20 years on: past the age limit for many
    assert earliest.candidates(book, app, judged.result, as_of) == reference_candidates(
        book, app, judged.result, as_of)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(applicants(), st.integers(0, 60))
def test_remembered_latest_rows_are_latest(doc: dict[str, Any], ahead: int) -> None:
    """`_latest_of` (remembered per rows list) is `latest` of the list, for the applicant, a projection
    of it (new lists) and a copy sharing its lists."""
    judged = _judged(doc)
    if judged is None:
        return
    app = judged.applicant
    for one in (app, earliest.project(app, AS_OF, mo.first_day(mo.of_date(AS_OF) + ahead)),
                app.model_copy(update={"as_of": AS_OF})):
        for _ in range(2):  # asked twice: the second answer is remembered
            assert earliest._latest_of(one.social_insurance, True) is earliest.latest(
                r for r in one.social_insurance if not r.back_payment)
            assert earliest._latest_of(one.income_tax, False) is earliest.latest(one.income_tax)
    assert expand_si(app) is not None and expand_tax(app) is not None
