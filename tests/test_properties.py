"""Property-based tests: no generated input crashes the checker; the verdict follows the findings and total."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jifen_check import rulebook
from jifen_check.identifiers import make_id_number, make_uscc
from jifen_check.judge import judge
from jifen_check.result import Result

AS_OF = dt.date(2026, 11, 18)
SH = make_uscc("91310115MA1K3P7Q0")
OTHER_SH = make_uscc("91310104MA1K3P7Q0")
NONLOCAL = make_uscc("91320506MA1K3P7Q0")
CITIES = ["上海", "杭州", "郑州", "南京", "延边朝鲜族自治州", "昆山", "火星", ""]
PROVINCES = ["江苏", "河南", "浙江", "上海", "吉林", "安徽"]
settings.register_profile("ci", max_examples=150, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.load_profile("ci")


def month(i: int) -> str:
    y, m = divmod(2026 * 12 + 10 - i, 12)
    return f"{y:04d}-{m + 1:02d}"


@st.composite
def si_rows(draw: Any) -> list[dict[str, Any]]:
    """Non-overlapping range rows, newest first; month(0) is the application month."""
    rows, newest = [], draw(st.sampled_from([0, 0, 0, 1, 3]))
    for _ in range(draw(st.integers(1, 4))):
        oldest = newest + draw(st.integers(0, 40))
        rows.append({"month": f"{month(oldest)}..{month(newest)}",
                     "base": draw(st.sampled_from([5000, 9000, 12500, 25000, 37302, 50000])),
                     "payer_uscc": draw(st.sampled_from([SH, SH, SH, OTHER_SH, None])),
                     "back_payment": draw(st.sampled_from([False, False, False, True]))})
        newest = oldest + 1 + draw(st.integers(0, 3))
    return rows


@st.composite
def education(draw: Any) -> dict[str, Any]:
    start = draw(st.integers(2000, 2022))
    return {"level": draw(st.sampled_from(["high_school", "junior_college", "bachelor", "master", "doctor"])),
            "mode": draw(st.sampled_from(["full_time", "self_study", "adult", "online", "part_time_postgraduate"])),
            "diploma": draw(st.booleans()), "degree": draw(st.booleans()),
            "start": f"{start}-09", "end": f"{start + draw(st.integers(1, 4))}-07",
            "study_city": draw(st.sampled_from(CITIES)), "chsi_verifiable": draw(st.booleans()),
            "foreign": draw(st.booleans()), "cscse_certified": draw(st.booleans())}


@st.composite
def qualification(draw: Any) -> dict[str, Any]:
    kind = draw(st.sampled_from(["professional_title", "vocational_qualification", "skill_level"]))
    level = draw(st.sampled_from([1, 2, 3, 4, 5])) if kind == "skill_level" else draw(
        st.sampled_from(["junior", "intermediate", "senior"]))
    return {"kind": kind, "level": level, "obtained_by": draw(st.sampled_from(["exam", "review", None])),
            "obtained_city": draw(st.sampled_from(CITIES)), "shanghai_verified": draw(st.booleans()),
            "on_shanghai_catalogue": draw(st.sampled_from([True, False, None])),
            "registration_required": draw(st.booleans()), "registered": draw(st.booleans()),
            "matches_position": draw(st.sampled_from([True, False, "unknown"])),
            "appointed": draw(st.sampled_from([True, False, None]))}


@st.composite
def applicants(draw: Any) -> dict[str, Any]:
    birth = draw(st.one_of(st.dates(dt.date(1975, 1, 1), dt.date(2000, 1, 1)),
                           st.dates(dt.date(1955, 1, 1), dt.date(2010, 1, 1))))
    employer = draw(st.sampled_from([SH, SH, SH, NONLOCAL]))
    si = draw(si_rows())
    tax = [{"month": r["month"], "income": r["base"] * draw(st.sampled_from([0.5, 1.0, 1.2])),
            "withholder_uscc": draw(st.sampled_from([employer, OTHER_SH]))} for r in si if not r["back_payment"]]
    start = draw(st.dates(dt.date(2015, 1, 1), AS_OF))
    return {
        "format": "jifen-check/applicant@1", "as_of": AS_OF.isoformat(),
        "person": {"name": "测试", "id_number": make_id_number("310101", birth, "123"),
                   "hukou_province": draw(st.sampled_from(PROVINCES)),
                   "personnel_archive": draw(st.sampled_from(["ok", "ok", "ok", "lost", None]))},
        "residence_permit": {"status": draw(st.sampled_from(["valid"] * 4 + ["expired", "temporary", "none"])),
                             "valid_until": draw(st.dates(dt.date(2026, 10, 1), dt.date(2028, 1, 1))).isoformat(),
                             "issued_or_renewed_on": draw(st.dates(dt.date(2025, 1, 1), AS_OF)).isoformat()},
        "employer": {"name": "上海某公司", "uscc": employer,
                     "kind": draw(st.sampled_from(["enterprise"] * 4 + ["labor_dispatch", "individual_business",
                                                                      "branch_of_nonlocal", "public_institution"])),
                     "dispatch_license": draw(st.booleans()), "dispatch_agreements": draw(st.booleans())},
        "contract": {"start": start.isoformat(),
                     "end": draw(st.sampled_from([None, None, "2026-12-31", "2027-06-30", "2030-01-01"])),
                     "position": "工程师"},
        "social_insurance": si, "income_tax": tax,
        "other_social_insurance": draw(st.lists(st.builds(
            lambda a, n, c: {"from": month(a + n), "to": month(a), "city": c},
            st.integers(0, 100), st.integers(0, 30), st.sampled_from(CITIES[:5])), max_size=2)),
        "education": draw(st.lists(education(), max_size=3)),
        "qualifications": draw(st.lists(qualification(), max_size=2)),
        "bonuses": {"fresh_graduate": draw(st.booleans()), "public_service_years": draw(st.integers(0, 8)),
                    "talent": draw(st.sampled_from([None, None, "startup"])),
                    "remote_area": draw(st.sampled_from([None, {"area": "临港", "full_years": 6, "works_and_lives": True},
                                                         {"area": "奉贤", "full_years": 7, "works_and_lives": True}]))},
        "family": draw(st.sampled_from([
            {"marital_status": "single"},
            {"marital_status": "married", "marriage_date": "2015-05-01",
             "spouse": {"name": "配偶", "shanghai_hukou": True, "shares_benefits": True}}])),
        "records": {"serious_crime": draw(st.sampled_from([False] * 9 + [True])),
                    "administrative_detentions": draw(st.sampled_from([[], ["2024-03-01"]])),
                    "false_materials": draw(st.sampled_from([[], ["2025-01-01"]]))},
    }


@st.composite
def clean_applicants(draw: Any) -> dict[str, Any]:
    """A realistic eligible-looking profile with a few random perturbations."""
    birth = draw(st.dates(dt.date(1975, 1, 1), dt.date(2000, 1, 1)))
    base = draw(st.sampled_from([12500, 25000, 37302]))
    months = draw(st.integers(13, 60))
    return {
        "as_of": AS_OF.isoformat(),
        "person": {"name": "测试", "id_number": make_id_number("310101", birth, "123"),
                   "hukou_province": "江苏", "personnel_archive": "ok"},
        "residence_permit": {"status": "valid", "valid_until": "2028-01-31", "issued_or_renewed_on": "2026-05-06"},
        "employer": {"name": "上海某公司", "uscc": SH, "kind": draw(st.sampled_from(["enterprise", "individual_business"]))},
        "contract": {"start": "2020-01-01", "end": None},
        "social_insurance": [{"month": f"{month(months)}..{month(0)}", "base": base, "payer_uscc": SH}],
        "income_tax": [{"month": f"{month(months)}..{month(1)}", "income": base * draw(st.sampled_from([1.0, 0.5])),
                        "withholder_uscc": SH}],
        "education": [{"level": draw(st.sampled_from(["bachelor", "master", "junior_college"])), "mode": "full_time",
                       "diploma": True, "degree": True, "start": "2010-09", "end": "2014-07", "study_city": "上海"}],
        "qualifications": draw(st.lists(qualification(), max_size=1)),
        "bonuses": {"talent": draw(st.sampled_from([None, None, "startup"]))},
    }


def assert_consistent(r: Result) -> None:
    book = rulebook.load()
    sev = {f.severity for f in r.findings}
    assert all(f.rule in book.rules for f in r.findings)
    assert all(f.message and f.confidence for f in r.findings)
    if r.verdict == "invalid_input":
        assert "error" in sev
        return
    assert "error" not in sev
    counted = sum(x.points for x in r.score.lines if x.status == "counted")
    assert r.score.total == max(0, counted)
    assert r.score.at_risk == (sum(x.points for x in r.score.lines if x.status == "at_risk")
                               + sum(x.at_risk_points for x in r.score.lines))
    assert all(x.at_risk_points == 0 or x.status == "counted" for x in r.score.lines)
    reach, mark = r.score.total + r.score.at_risk, r.score.pass_mark
    live = [x for x in r.score.lines if x.rule in ("PTS-EDU", "PTS-TITLE") and x.status != "not_counted" and x.points]
    assert len(live) <= 1, "education and title are never added together"
    assert len({x.rule for x in r.score.lines}) == len(r.score.lines), "one line per indicator"
    if "blocker" in sev:
        assert r.verdict == "not_eligible"
    if r.verdict == "eligible":
        assert sev.isdisjoint({"blocker", "review"}) and r.score.total >= mark
    elif r.verdict == "needs_review":
        assert "blocker" not in sev and reach >= mark and (r.score.total < mark or "review" in sev)
    else:
        assert "blocker" in sev or reach < mark
    if r.earliest_eligible:
        assert r.verdict == "not_eligible" and r.earliest_eligible > r.as_of
    assert r.applicant.id_number and "*" in r.applicant.id_number


@given(st.one_of(applicants(), clean_applicants()))
def test_generated_applicants_never_crash_and_verdict_is_consistent(doc: dict[str, Any]) -> None:
    assert_consistent(judge(doc))


json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
                           max_leaves=8)


@given(applicants(), st.sampled_from(["person", "employer", "contract", "social_insurance", "education", "family",
                                      "residence_permit", "records", "bonuses", "income_tax", "qualifications"]),
       json_values)
def test_junk_in_any_section_is_invalid_input_or_judged(doc: dict[str, Any], key: str, junk: Any) -> None:
    doc[key] = junk
    r = judge(doc)
    assert_consistent(r)
    if r.verdict == "invalid_input":
        assert all(f.evidence for f in r.findings if f.severity == "error")


def test_generator_covers_every_verdict() -> None:
    """Guard against a generator that only ever produces one kind of applicant."""
    seen: set[str] = set()

    @given(st.one_of(applicants(), clean_applicants()))
    @settings(max_examples=300, derandomize=True)
    def collect(doc: dict[str, Any]) -> None:
        seen.add(judge(doc).verdict)

    collect()
    assert seen >= {"eligible", "needs_review", "not_eligible"}
