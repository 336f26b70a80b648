"""The earliest-date search never misses a date (issue 13): on random applicants, the pruned search
(`earliest.gain_bound` skipping hopeless dates) finds the same `earliest_eligible` as an unpruned
month-by-month search that runs the engine on every candidate date up to the horizon (HORIZON_MONTHS).

The applicants vary what time changes: social-insurance gaps and raises (6-of-12, SI years, base
bands), income tax that lags or does not match the base, titles whose base months are filling up,
age near 18 and past 43, years married to a Shanghai spouse, deductions that expire, and permit
renewals days before the application.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jifen_check import earliest
from jifen_check import months as mo
from jifen_check.facts import expiry, measure, table_points
from jifen_check.identifiers import make_id_number, make_uscc
from jifen_check.judge import engine_for_process, judge_full
from jifen_check.rulebook import load

AS_OF = dt.date(2026, 11, 18)
EMPLOYER = make_uscc("91310115MA1K3P7Q0")
WAGE = 12434  # average wage in force from 2025-07; earlier months' wages are a little lower


def _month(i: int) -> str:
    """i months before the application month 2026-11 (0 = 2026-11)."""
    y, m = divmod(2026 * 12 + 10 - i, 12)
    return f"{y:04d}-{m + 1:02d}"


@st.composite
def history(draw: Any) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """SI and tax rows for the last up to 48 months, in segments of different bases, with gaps."""
    si, tax = [], []
    i = draw(st.integers(0, 47))  # months before today of the oldest row
    lag = draw(st.sampled_from([1, 1, 1, 2, 4]))  # tax rows stop this many months before today
    tax_ratio = draw(st.sampled_from([1.1, 1.1, 1.1, 0.5]))
    while i >= 0:
        length = draw(st.integers(1, 24))
        factor = draw(st.sampled_from([0.5, 0.7, 0.8, 0.9, 1.0, 1.05, 1.5, 2.0, 2.1, 3.0, 3.1]))
        gap = draw(st.sampled_from([0, 0, 0, 3, 8]))
        back = draw(st.booleans()) and draw(st.booleans()) and draw(st.booleans())
        for k in range(length):
            j = i - k
            if j < 0:
                break
            if k < gap:
                continue
            base = round(WAGE * factor)
            si.append({"month": _month(j), "base": base, "payer_uscc": EMPLOYER, "back_payment": back})
            if j >= lag:
                tax.append({"month": _month(j), "income": round(base * tax_ratio), "withholder_uscc": EMPLOYER})
        i -= length
    return si, tax


@st.composite
def applicants(draw: Any) -> dict[str, Any]:
    age = draw(st.sampled_from([17, 18, 25, 35, 43, 44, 47, 52, 58, 60]))
    birth = dt.date(2026 - age, draw(st.integers(1, 12)), draw(st.integers(1, 28)))
    si, tax = draw(history())
    level = draw(st.sampled_from(["junior_college", "bachelor", "master", None]))
    education = [] if level is None else [{
        "level": level, "mode": "full_time", "diploma": True, "degree": draw(st.booleans()),
        "school": "示例大学", "major": "软件工程", "start": "2008-09", "end": "2012-07", "study_city": "上海",
        "chsi_verifiable": True}]
    quals = draw(st.sampled_from([[], [], [
        {"kind": "professional_title", "level": "intermediate", "obtained_by": "exam", "obtained_city": "上海",
         "matches_position": True, "appointed": True}], [
        {"kind": "skill_level", "level": 2, "obtained_by": "exam", "obtained_city": "上海",
         "matches_position": True, "appointed": True}], [
        # at risk for good (PIT-TITLE-MATCH: the match is not stated), which the counted bound relies on
        {"kind": "professional_title", "level": "intermediate", "obtained_by": "exam", "obtained_city": "上海",
         "matches_position": "unknown", "appointed": True}]]))
    issued = AS_OF - dt.timedelta(days=draw(st.sampled_from([0, 1, 2, 60])))
    doc: dict[str, Any] = {
        "format": "jifen-check/applicant@1", "as_of": AS_OF.isoformat(),
        "person": {"name": "测试", "id_number": make_id_number("320102", birth, "123"),
                   "hukou_province": "江苏", "personnel_archive": "ok"},
        "residence_permit": {"status": "valid", "valid_until": "2027-09-30", "issued_or_renewed_on": issued.isoformat()},
        "employer": {"name": "上海示例科技有限公司", "uscc": EMPLOYER, "kind": "enterprise",
                     "points_system_registered": True},
        "contract": {"employer_uscc": EMPLOYER, "start": "2020-01-01", "end": None, "position": "工程师"},
        "social_insurance": si, "income_tax": tax, "education": education, "qualifications": quals,
        "records": {"serious_crime": False},
    }
    if draw(st.booleans()):
        married = AS_OF - dt.timedelta(days=draw(st.integers(100, 365 * 12)))
        doc["family"] = {"marital_status": "married", "marriage_date": married.isoformat(),
                         "spouse": {"name": "配偶", "shanghai_hukou": True}}
    if draw(st.booleans()):
        when = AS_OF - dt.timedelta(days=draw(st.integers(30, 365 * 5)))
        doc["records"][draw(st.sampled_from(["administrative_detentions", "false_materials"]))] = [when.isoformat()]
    return doc


def unpruned_search(app: Any, result: Any) -> str | None:
    """Every 1st of the month up to the horizon, every date a finding names, every record's expiry: the
    engine judges each in order, nothing skipped."""
    book = load()
    days = {mo.first_day(mo.of_date(AS_OF) + k) for k in range(1, earliest.HORIZON_MONTHS + 1)}
    for f in result.findings:
        if f.deadline and len(f.deadline) == 10 and f.deadline[:1].isdigit():
            days.add(dt.date.fromisoformat(f.deadline))
    windows = book.snapshot(AS_OF)["deductions"]
    r = app.records
    for dates, key in ((r.false_materials, "false_material"), (r.administrative_detentions, "detention"),
                       (r.general_crimes, "crime")):
        days.update(expiry(d, windows[key]["years"]) for d in dates)
    end = mo.first_day(mo.of_date(AS_OF) + earliest.HORIZON_MONTHS)
    engine = engine_for_process()
    for day in sorted(d for d in days if AS_OF < d <= end):
        ledger = engine.run(measure(book, earliest.project(app, AS_OF, day), day))
        if ledger.verdicts[0] != "not_eligible":
            return day.isoformat()
    return None


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(applicants())
def test_pruned_search_finds_the_same_date_as_the_unpruned_search(doc: dict[str, Any]) -> None:
    judged = judge_full(doc)
    result = judged.result
    if result.verdict != "not_eligible" or not earliest.curable(load(), result):
        return
    assert result.earliest_eligible == unpruned_search(judged.applicant, result)


def test_the_generator_reaches_curable_and_incurable_applicants() -> None:
    """The property above is only worth something if both kinds of not-eligible applicants occur."""
    found: dict[str, int] = {"dated": 0, "undated": 0}

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(applicants())
    def collect(doc: dict[str, Any]) -> None:
        result = judge_full(doc).result
        if result.verdict == "not_eligible" and earliest.curable(load(), result):
            found["dated" if result.earliest_eligible else "undated"] += 1

    collect()
    assert found["dated"] >= 5 and found["undated"] >= 5, found


def _plain_doc(si: list[dict[str, Any]], tax: list[dict[str, Any]], *, birth: dt.date = dt.date(1996, 3, 7),
               education: list[dict[str, Any]] | None = None,
               qualifications: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """An applicant with nothing else to say: valid permit, open-ended contract, these records."""
    return {"format": "jifen-check/applicant@1", "as_of": AS_OF.isoformat(),
            "person": {"name": "测试", "id_number": make_id_number("320102", birth, "123"),
                       "hukou_province": "江苏", "personnel_archive": "ok"},
            "residence_permit": {"status": "valid", "valid_until": "2027-09-30", "issued_or_renewed_on": "2026-09-20"},
            "employer": {"name": "上海示例科技有限公司", "uscc": EMPLOYER, "kind": "enterprise"},
            "contract": {"employer_uscc": EMPLOYER, "start": "2020-01-01", "end": None, "position": "工程师"},
            "social_insurance": si, "income_tax": tax, "education": education or [],
            "qualifications": qualifications or []}


@pytest.mark.parametrize("ahead", [0, 1, 11, 12, 13, 36])
def test_si_years_bound_steps_only_when_a_block_completes(ahead: int) -> None:
    """47 counted months: one more month completes the 4th block (+3), the 5th needs 13 more."""
    si = [{"month": _month(j), "base": WAGE, "payer_uscc": EMPLOYER} for j in range(46, -1, -1)]
    tax = [{"month": _month(j), "income": WAGE, "withholder_uscc": EMPLOYER} for j in range(46, 0, -1)]
    judged = judge_full(_plain_doc(si, tax))
    app = judged.applicant
    years = earliest._si_years_gain(load().snapshot(AS_OF), app, mo.of_date(AS_OF), 9)
    assert years(ahead) == {0: 0, 1: 3, 11: 3, 12: 3, 13: 6, 36: 9}[ahead]


def _counted(result: Any) -> int:
    return result.score.total


def _reach(result: Any) -> int:
    return result.score.total + result.score.at_risk


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(applicants(), st.sampled_from([0, 1, 2]))
def test_bound_holds_on_every_date(doc: dict[str, Any], offset: int) -> None:
    """Directly, date by date: what time adds to the points in reach, and to the counted points
    (plan's eligible dates), never exceeds `gain_bound`. The bound may be negative where points
    surely fall (age past 43), so a skipped date is one that truly cannot reach the mark.

    Every third month (offset 0–2) and mid-month dates keep the engine runs per example few."""
    judged = judge_full(doc)
    result, app = judged.result, judged.applicant
    if result.verdict == "invalid_input":
        return
    book = load()
    bands = judged.ledger.obs.details.get("band_months", [])
    reach_bound = earliest.gain_bound(book, app, AS_OF, result, bands)
    counted_bound = earliest.gain_bound(book, app, AS_OF, result, bands, counted=True)
    engine = engine_for_process()
    for ahead in range(offset, earliest.HORIZON_MONTHS + 1, 3):
        day = mo.first_day(mo.of_date(AS_OF) + ahead) + dt.timedelta(days=14 * (ahead % 2))
        if day <= AS_OF:
            continue
        then = _result_of(book, engine, app, day)
        assert _reach(then) - _reach(result) <= reach_bound(ahead), (day, _reach(then), _reach(result))
        assert _counted(then) - _counted(result) <= counted_bound(ahead), (day, _counted(then), _counted(result))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(applicants(), st.integers(-2, earliest.HORIZON_MONTHS + 2), st.sampled_from([0, 1, 2]),
       st.booleans())
def test_ahead_months_are_the_projection_expanded(doc: dict[str, Any], ahead: int, later: int,
                                                  back_paid: bool) -> None:
    """gain_bound's months without building the projected applicant (`_ahead_months`) are those of
    `project`'s applicant, month for month and row number for row number: from today and from a
    later date, with a back-paid row after the last paid one (project continues the paid rows)."""
    from jifen_check.applicant import SocialInsuranceRow
    from jifen_check.facts import expand_si, expand_tax
    from jifen_check.validate import to_applicant

    app, problems = to_applicant(doc)
    assert app is not None, problems
    if back_paid:
        app = app.model_copy(update={"social_insurance": [
            *app.social_insurance, SocialInsuranceRow(month="2026-12..2027-01", base=WAGE, back_payment=True)]})
    as_of = mo.first_day(mo.of_date(AS_OF) + later) if later else AS_OF
    day = mo.first_day(mo.of_date(as_of) + ahead)
    projected = earliest.project(app, as_of, day)
    assert earliest._ahead_months(app, as_of, day) == (expand_si(projected), expand_tax(projected))


def _result_of(book: Any, engine: Any, app: Any, day: dt.date) -> Any:
    from jifen_check.judge import _result
    from jifen_check.result import ApplicantRef

    ledger = engine.run(measure(book, earliest.project(app, AS_OF, day), day))
    return _result(book, app, day, ApplicantRef(), ledger, [], with_checklist=False)


def test_the_counted_bound_is_tighter_where_a_title_stays_at_risk() -> None:
    """A title at risk for good (match not stated) adds nothing to the counted bound; in reach it
    is already there. The education it replaces may still count."""
    # 1x the wage for the last 12 months only (the title's 6 of 12), 0.7x before: no base band, so
    # the education alone stays below 120 and the title is claimed.
    def base(j: int) -> int:
        return WAGE if j < 12 else round(WAGE * 0.7)

    si = [{"month": _month(j), "base": base(j), "payer_uscc": EMPLOYER} for j in range(47, -1, -1)]
    tax = [{"month": _month(j), "income": base(j), "withholder_uscc": EMPLOYER} for j in range(47, 0, -1)]
    judged = judge_full(_plain_doc(
        si, tax,
        education=[{"level": "junior_college", "mode": "full_time", "diploma": True, "degree": False,
                    "school": "示例大学", "major": "软件工程", "start": "2014-09", "end": "2017-07",
                    "study_city": "上海", "chsi_verifiable": True}],
        qualifications=[{"kind": "professional_title", "level": "intermediate", "obtained_by": "exam",
                         "obtained_city": "上海", "matches_position": "unknown", "appointed": True}]))
    result = judged.result
    title = next(x for x in result.score.lines if x.rule == "PTS-TITLE")
    assert (result.verdict, title.status, title.reason) == ("needs_review", "at_risk", "PIT-TITLE-MATCH")
    bands = judged.ledger.obs.details.get("band_months", [])
    counted = earliest.gain_bound(load(), judged.applicant, AS_OF, result, bands, counted=True)
    reach = earliest.gain_bound(load(), judged.applicant, AS_OF, result, bands)
    edu = next(x for x in result.score.lines if x.rule == "PTS-EDU").points
    assert counted(0) == edu  # only the education can become counted today
    assert reach(0) == 0  # the title's 100 are in reach already


def test_the_age_bound_falls_after_43() -> None:
    """Age points fall past 43: the bound says so, so a falling score does not look curable."""
    p = load().snapshot(AS_OF)
    si = [{"month": _month(j), "base": WAGE, "payer_uscc": EMPLOYER} for j in range(11, -1, -1)]
    app = judge_full(_plain_doc(si, [], birth=dt.date(1981, 1, 10))).applicant
    now = table_points(p["age_points"], 45)
    age = earliest._age_gain(p, app, AS_OF, now)
    assert table_points(p["age_points"], 46) < now
    assert age(0) == 0 and age(1) == 0  # 45 until 2027-01-10
    assert age(2) == 0  # January 2027 holds days at 45 and at 46: the better counts
    assert age(3) == table_points(p["age_points"], 46) - now  # 46 all February


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(applicants(), st.integers(0, 14), st.integers(0, 27), st.booleans(), st.sampled_from([0, 60, 100]))
def test_the_bound_from_today_is_the_same_from_a_projection(doc: dict[str, Any], months: int, day: int,
                                                              back_paid: bool, new_title: int) -> None:
    """plan._hopeless bounds a route without a raise from the changed applicant itself, not from its
    projection to the route's first date d0 (`project(app, today, d0)`): from today, gain_bound
    reads the same months with the same bases and incomes from both, ahead by ahead. With a back-paid
    row after the last paid one too (project continues the paid rows)."""
    from jifen_check.applicant import SocialInsuranceRow

    judged = judge_full(doc)
    result, app = judged.result, judged.applicant
    if app is None or result.verdict == "invalid_input":
        return
    if back_paid:
        app = app.model_copy(update={"social_insurance": [
            *app.social_insurance, SocialInsuranceRow(month="2026-12..2027-01", base=WAGE, back_payment=True)]})
    book = load()
    d0 = max(AS_OF, mo.first_day(mo.of_date(AS_OF) + months) + dt.timedelta(days=day))
    horizon = mo.of_date(d0) - mo.of_date(AS_OF) + earliest.HORIZON_MONTHS
    kw: dict[str, Any] = {"counted": True, "horizon": horizon, "new_title": new_title}
    direct = earliest.gain_bound(book, app, AS_OF, result, [], **kw)
    projected = earliest.gain_bound(book, earliest.project(app, AS_OF, d0), AS_OF, result, [], **kw)
    assert [direct(a) for a in range(horizon + 1)] == [projected(a) for a in range(horizon + 1)]
