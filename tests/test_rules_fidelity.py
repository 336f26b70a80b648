"""Issue 7 (policy fidelity, round 2): the bugs found by differential testing and the spec updates.

Each test here failed before its fix. Boundary tests put a value exactly on each threshold.
"""

from __future__ import annotations

import json
import random

import pytest
from builders import (
    BASE_TOTAL,
    applicant_on,
    assert_line,
    base_applicant,
    degree,
    finding,
    findings,
    line,
    qualification,
    run,
    si_row,
    tax_row,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import run_cli

# ---------------------------------------------------------------- 1. 专本套读 and a full-time 本科


def test_full_time_bachelor_with_parallel_self_study_college_is_not_taodu():
    """PIT-PRIOR-DEGREE: a full-time 本科 (高考) with a 自考大专 alongside keeps its 90."""
    doc = base_applicant(education=[
        degree("bachelor", start="2014-09", end="2018-07"),
        degree("junior_college", mode="self_study", start="2015-03", end="2017-12", study_city="上海")])
    r = run(doc)
    assert_line(r, "PTS-EDU", 90)
    assert findings(r, "PIT-PRIOR-DEGREE") == []
    assert r.score.total == BASE_TOTAL


def test_part_time_bachelor_over_a_college_is_still_taodu():
    """PIT-PRIOR-DEGREE: the 18-month rule still applies to a non-full-time 本科 built on a 大专."""
    doc = base_applicant(education=[
        degree("junior_college", start="2011-09", end="2014-07"),
        degree("bachelor", mode="self_study", start="2013-03", end="2015-06", study_city="上海")])
    r = run(doc)
    assert_line(r, "PTS-EDU", 50)
    assert "套读" in finding(r, "PIT-PRIOR-DEGREE").message


# ---------------------------------------------------------------- 2. order of the education list

JC_EARLY = degree("junior_college", start="2008-09", end="2011-07")
JC_LATE = degree("junior_college", mode="self_study", start="2013-01", end="2016-06")
BA_SELF = degree("bachelor", mode="self_study", start="2012-03", end="2014-12")


@pytest.mark.parametrize("order", [(0, 1, 2), (1, 0, 2), (2, 1, 0), (2, 0, 1)])
def test_prior_college_is_the_one_completed_before_the_bachelor_started(order):
    """PIT-PRIOR-DEGREE: the 本科 builds on the 大专 completed before it started (2011-07, a gap of
    41 months), whatever the order of the list: 90 every time (was 50 in one order, 90 in another)."""
    entries = [JC_EARLY, JC_LATE, BA_SELF]
    r = run(base_applicant(education=[entries[i] for i in order]))
    assert_line(r, "PTS-EDU", 90)
    assert [f for f in findings(r, "PIT-PRIOR-DEGREE") if "套读" in f.message] == []


def _shape(result) -> dict:
    """What must not depend on list order: verdict, totals, lines, findings (without list indices)."""
    return {
        "verdict": result.verdict, "total": result.score.total, "at_risk": result.score.at_risk,
        "lines": sorted((x.rule, x.points, x.status, x.reason or "") for x in result.score.lines),
        "findings": sorted((f.rule, f.severity) for f in result.findings),
        "earliest": result.earliest_eligible,
    }


def _rich_applicant() -> dict:
    """An applicant with several entries in every list (degrees, titles, SI/tax rows, other cities, family, records)."""
    doc = base_applicant(
        education=[JC_EARLY, JC_LATE, BA_SELF, degree("high_school", start="2005-09", end="2008-07")],
        qualifications=[qualification(level="junior"), qualification("skill_level", level=3),
                        qualification(level="intermediate", matches_position="unknown")],
        social_insurance=[si_row("2025-01..2026-11"), si_row("2023-01..2023-12", base=9000),
                          si_row("2024-01..2024-12", base=26000), si_row("2022-05", back_payment=True)],
        income_tax=[tax_row("2025-01..2026-10"), tax_row("2023-01..2023-12", income=9500),
                    tax_row("2024-01..2024-12", income=30000)],
        other_social_insurance=[{"from": "2015-01", "to": "2016-12", "city": "苏州"},
                                {"from": "2024-03", "to": "2024-04", "city": "杭州"}],
    )
    doc["records"]["administrative_detentions"] = ["2024-01-05", "2023-06-01"]
    doc["bonuses"] = {"awards": [
        {"level": "municipal_special", "awarded_on": "2024-05-01", "while_in_shanghai": True, "on_official_list": True},
        {"level": "provincial_or_higher", "awarded_on": "2025-05-01", "while_in_shanghai": True,
         "on_official_list": False}]}
    doc["family"] = {"marital_status": "married", "marriage_date": "2018-10-01",
                     "spouse": {"name": "李红", "shanghai_hukou": True, "shares_benefits": True},
                     "children": [{"name": "甲", "birth_date": "2019-06-01", "shares_benefits": True},
                                  {"name": "乙", "birth_date": "2008-06-01", "shares_benefits": True}]}
    return doc


def _shuffled(doc: dict, rnd: random.Random) -> dict:
    out = json.loads(json.dumps(doc))

    def walk(node):
        if isinstance(node, dict):
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            rnd.shuffle(node)
            for v in node:
                walk(v)

    walk(out)
    return out


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_result_does_not_depend_on_the_order_of_any_list(seed):
    """Property: shuffling every list in the applicant gives the same verdict, score and findings."""
    doc = _rich_applicant()
    expected = _shape(run(doc))
    assert _shape(run(_shuffled(doc, random.Random(seed)))) == expected


# ---------------------------------------------------------------- 3. exact thresholds

def _flat(base: float, income: float) -> dict:
    return base_applicant(social_insurance=[si_row("2023-01..2026-11", base=base)],
                          income_tax=[tax_row("2023-01..2026-10", income=income)])


def test_income_exactly_90_percent_of_the_base_matches():
    """PIT-SI-TAX-MISMATCH: 11251.8 is exactly 0.9 × 12502 (11251.800000000001 in floats): it matches."""
    r = run(_flat(12502, 11251.8))
    assert findings(r, "PIT-SI-TAX-MISMATCH") == []
    assert_line(r, "BON-SI-BASE", 50)
    below = run(_flat(12502, 11251.79))
    assert finding(below, "PIT-SI-TAX-MISMATCH")
    assert line(below, "BON-SI-BASE") is None


WAGES = [("2022-07", "2023-06", 11396), ("2023-07", "2024-06", 12183), ("2024-07", "2025-06", 12307),
         ("2025-07", "2026-06", 12434), ("2026-07", "2026-11", 12577)]


def _at_multiple(multiple: str, delta: str = "0") -> dict:
    """Every month 2022-07..2026-11 at exactly `multiple` × that month's wage (+ delta yuan)."""
    from decimal import Decimal
    rows = [si_row(f"{lo}..{hi}", base=float(Decimal(multiple) * wage + Decimal(delta))) for lo, hi, wage in WAGES]
    return base_applicant(social_insurance=rows, income_tax=[tax_row("2022-07..2026-10", income=60000)])


@pytest.mark.parametrize("multiple, points", [("0.8", 25), ("1", 50), ("2", 100), ("3", 120)])
def test_base_exactly_at_each_band_multiple_reaches_the_band(multiple, points):
    """BON-SI-BASE: a base exactly at 0.8/1/2/3 × the wage reaches that band; a fen less does not."""
    assert_line(run(_at_multiple(multiple)), "BON-SI-BASE", points)
    below = line(run(_at_multiple(multiple, "-0.01")), "BON-SI-BASE")
    assert below is None or below.points < points


def test_title_base_exactly_one_times_the_wage_counts():
    """PIT-TITLE-SI-BASE: a base exactly 1 × the wage in every month of the last 12 counts."""
    ok = _at_multiple("1")
    ok["qualifications"] = [qualification(level="senior")]
    assert findings(run(ok), "PIT-TITLE-SI-BASE") == []
    short = _at_multiple("1", "-0.01")
    short["qualifications"] = [qualification(level="senior")]
    assert finding(run(short), "PIT-TITLE-SI-BASE")


def _bounds_case(base: float) -> list[str]:
    doc = base_applicant(social_insurance=[si_row("2023-01..2023-06", base=base), si_row("2023-07..2026-11")])
    return [f.message for f in run(doc).findings if f.rule == "DATA-SI-MONTH"]


@pytest.mark.parametrize("base, warned", [(34188, False), (34188.01, True), (6520, False), (6519.99, True)])
def test_floor_and_ceiling_are_exact(base, warned):
    """DATA-SI-MONTH: 2023-01..06 floor 6520 and ceiling 34188 (3 × 11396) are inclusive and exact
    (a ceiling tolerance of half a yuan let 34188.01 through)."""
    assert bool(_bounds_case(base)) is warned


# ---------------------------------------------------------------- 4. a level that does not fit the kind

@pytest.mark.parametrize("kind, level", [("professional_title", 2), ("vocational_qualification", 1),
                                         ("skill_level", "senior")])
def test_level_of_the_wrong_kind_is_a_data_error(kind, level):
    """DATA-FORMAT: a title with a numeric level or a skill with a title level names qualifications[i].level."""
    r = run(base_applicant(qualifications=[qualification(kind, level=level)]))
    assert r.verdict == "invalid_input"
    f = finding(r, "DATA-FORMAT")
    assert f.evidence == ["qualifications[0].level"] and "等级应为" in f.message


def test_junior_title_is_listed_as_not_counted():
    """PTS-TITLE: a claimed junior title scores 0 but still yields a not_counted line with the reason."""
    r = run(base_applicant(qualifications=[qualification(level="junior")]))
    ln = assert_line(r, "PTS-TITLE", 0, "not_counted", "PTS-TITLE")
    assert "初级" in ln.detail
    assert r.score.total == BASE_TOTAL


# ---------------------------------------------------------------- 5. no 学历证书

def test_bachelor_without_diploma_is_a_not_counted_line_saying_what_it_would_give():
    """PTS-EDU: a 本科 with degree but no 学历证书: not_counted, and 90 with the diploma."""
    r = run(base_applicant(education=[degree("bachelor", diploma=False, degree=True)]))
    ln = assert_line(r, "PTS-EDU", 90, "not_counted", "PTS-EDU")
    assert "没有学历证书" in ln.detail and "90" in ln.detail


def test_college_without_diploma_next_to_a_counted_degree_is_named():
    """PTS-EDU: a diploma-less 本科 (would be 60) beside a counted 大专 50: the line names it."""
    r = run(base_applicant(education=[degree("junior_college", start="2010-09", end="2013-07"),
                                      degree("bachelor", diploma=False, degree=False, start="2014-09")]))
    ln = assert_line(r, "PTS-EDU", 50)
    assert "另有 60 分" in ln.detail and "没有学历证书" in ln.detail


# ---------------------------------------------------------------- 6. transferred-in months

def test_transferred_in_months_are_not_a_double_contribution():
    """PIT-DOUBLE-CITY: months transferred in from 苏州, listed as 苏州 insurance, are not a second payer."""
    doc = base_applicant(social_insurance=[si_row("2020-01..2022-12", transferred_in=True), si_row("2023-01..2026-11")],
                         other_social_insurance=[{"from": "2020-01", "to": "2022-12", "city": "苏州"}])
    r = run(doc)
    assert findings(r, "PIT-DOUBLE-CITY") == []
    assert r.score.total == BASE_TOTAL


def test_paid_months_overlapping_another_city_still_warn():
    """PIT-DOUBLE-CITY: the same months paid in Shanghai (not transferred) and 苏州 still warn."""
    doc = base_applicant(other_social_insurance=[{"from": "2023-01", "to": "2023-03", "city": "苏州"}])
    assert "2023-01–2023-03" in finding(run(doc), "PIT-DOUBLE-CITY").message


# ---------------------------------------------------------------- 7. "obtained in 上海" while insured elsewhere

def _skill_in_shanghai(other: list[dict], si_from: str = "2023-01") -> dict:
    doc = base_applicant(qualifications=[qualification("skill_level", level=2, obtained_on="2021-06-01")],
                         other_social_insurance=other)
    doc["social_insurance"] = [si_row(f"{si_from}..2026-11")]
    doc["income_tax"] = [tax_row(f"{si_from}..2026-10")]
    return doc


def test_skill_obtained_in_shanghai_without_shanghai_insurance_is_at_risk():
    """PIT-TITLE-WHERE: 上海 certificate dated 2021-06 while insured only in 苏州: at_risk, months listed."""
    r = run(_skill_in_shanghai([{"from": "2019-01", "to": "2022-12", "city": "苏州"}]))
    f = finding(r, "PIT-TITLE-WHERE")
    assert "2021-03–2021-09" in f.message and "苏州 2021-03–2021-09" in f.message and "上海 无" in f.message
    title = line(r, "PTS-TITLE")
    assert title is not None and title.points == 100
    assert title.status == "not_counted" and title.reason == "PTS-EDU-OR-TITLE"  # 90 counted beats 100 at risk
    assert "有风险" in title.detail


def test_skill_obtained_in_shanghai_with_shanghai_insurance_counts():
    """PIT-TITLE-WHERE: the same certificate with Shanghai insurance around 2021-06: no finding."""
    r = run(_skill_in_shanghai([], si_from="2021-01"))
    assert findings(r, "PIT-TITLE-WHERE") == []


# ---------------------------------------------------------------- spec updates

def test_no_high_school_warning_for_a_self_study_college():
    """PIT-PRIOR-DEGREE: 自考大专 is the accepted exception to the high-school-record warning; 成人大专 is not."""
    self_study = run(base_applicant(education=[degree("junior_college", mode="self_study", study_city="上海")]))
    assert findings(self_study, "PIT-PRIOR-DEGREE") == []
    adult = run(base_applicant(education=[degree("junior_college", mode="adult", study_city="上海")]))
    assert "高中" in finding(adult, "PIT-PRIOR-DEGREE").message


def _in_2019(base: float) -> dict:
    doc = applicant_on("2023-03-15", renewed_on="2022-12-01")
    doc["social_insurance"] = [si_row("2019-03..2023-03", base=base)]
    doc["income_tax"] = [tax_row("2019-03..2023-02", income=base + 1000)]
    return doc


def test_2019_05_to_10_compared_with_7832_in_points_reviews():
    """BON-SI-BASE: 8000 is ≥ 7832 (the practice reference for 2019-04..10) but < 8211: in the window
    2019-03..2023-02, 2019-03 (7132), 2019-04 (7832) and 2019-05..10 (7832, practice) reach 1×."""
    r = run(_in_2019(8000))
    bands, practice = sorted(findings(r, "BON-SI-BASE"), key=lambda f: "7832" in f.message)
    assert "近48个月≥1倍 8 个月" in bands.message
    # policy.md: compare 2019-05..2019-10 with 7832 "and mark it practice" (its own info finding).
    assert practice.confidence == "practice" and "2019-05–2019-10" in practice.message and "8211" in practice.message


def test_2019_04_floor_is_4699():
    """DATA-SI-MONTH: April 2019 was declared on 7832: floor 4699 (was 4927 for the whole year)."""
    doc = _in_2019(8000)
    doc["social_insurance"] = [si_row("2019-04", base=4699), si_row("2019-05..2023-03", base=8000)]
    assert findings(run(doc), "DATA-SI-MONTH") == []


def test_unverified_2026_07_wage_is_used_and_named():
    """PIT-PARAM-PROVISIONAL: 2026-07..10 are compared with 12577, and the result says it is unverified."""
    r = run(base_applicant())
    msgs = [f.message for f in findings(r, "PIT-PARAM-PROVISIONAL")]
    assert len(msgs) == 1 and "12577" in msgs[0] and "未经核实" in msgs[0] and "尚未公布" not in msgs[0]


def test_wage_not_yet_published_on_the_as_of_date_is_provisional():
    """PIT-PARAM-PROVISIONAL: on 2026-08-17 the 12577 value was not published: 2026-07 uses 12434, provisionally."""
    doc = applicant_on("2026-08-17", renewed_on="2026-05-06")
    msgs = [f.message for f in findings(run(doc), "PIT-PARAM-PROVISIONAL")]
    assert len(msgs) == 1 and "尚未公布" in msgs[0] and "12434" in msgs[0]


def test_edu_or_title_says_what_the_other_option_would_give():
    """PTS-EDU-OR-TITLE: the option not claimed says what claiming it would give."""
    r = run(base_applicant(qualifications=[qualification(level="senior")]))
    edu = assert_line(r, "PTS-EDU", 90, "not_counted", "PTS-EDU-OR-TITLE")
    assert "如改报本项可计 90 分" in edu.detail and "179" in edu.detail
    assert edu.facts["alternative_total"] == BASE_TOTAL


def test_rules_json_includes_notes():
    """`rules --format json` carries each rule's note (the choices made where the spec is silent)."""
    listed = {r["id"]: r for r in json.loads(run_cli("rules", "--format", "json").stdout)}
    assert all("note" in r for r in listed.values())
    assert "全日制本科" in listed["PIT-PRIOR-DEGREE"]["note"]
    assert "2024-08-21" in listed["BON-REMOTE-AREA"]["note"]
