"""Pitfalls (PIT-*): what the window refuses. Each marks the points it threatens and says why.

Education scenarios use a full-time 大专 (2011-09..2014-07) followed by a non-full-time 本科, so a
refused 本科 (90) falls back to the 大专 (50). The applicant's hukou province is 江苏.
"""

from __future__ import annotations

import pytest
from builders import (
    BASE_TOTAL,
    EMPLOYER_USCC,
    OTHER_SH_USCC,
    applicant_on,
    assert_blocker,
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
    with_path,
)

JC = degree("junior_college", start="2011-09", end="2014-07", study_city="南京")


def part_time_bachelor(city: str, mode: str = "self_study", start: str = "2015-03", end: str = "2017-12",
                       other_si: list | None = None, hukou: str = "江苏") -> dict:
    doc = base_applicant(education=[JC, degree("bachelor", mode=mode, start=start, end=end, study_city=city)])
    doc["person"]["hukou_province"] = hukou
    doc["other_social_insurance"] = other_si or []
    return doc


# ---------------------------------------------------------------- PIT-THREE-PLACES

def test_PIT_THREE_PLACES_case_a_studied_in_shanghai():
    """PIT-THREE-PLACES: (a) a self-study 本科 studied in Shanghai counts: 90, case a."""
    r = run(part_time_bachelor("上海"))
    ln = assert_line(r, "PTS-EDU", 90)
    assert ln.facts["three_places_case"] == "a"
    assert findings(r, "PIT-THREE-PLACES") == []


def test_PIT_THREE_PLACES_case_b_hukou_province_without_other_si():
    """PIT-THREE-PLACES: (b) studied in 南京 (hukou 江苏), no social insurance anywhere during study: 90."""
    r = run(part_time_bachelor("南京"))
    ln = assert_line(r, "PTS-EDU", 90)
    assert ln.facts["three_places_case"] == "b"
    assert findings(r, "PIT-THREE-PLACES") == []


def test_PIT_THREE_PLACES_case_b_fails_with_si_elsewhere_during_study():
    """PIT-THREE-PLACES: studied in 南京 (hukou 江苏) while insured in 杭州: neither b nor c → the 本科
    is not counted and the 大专 (50) counts instead."""
    other = [{"from": "2015-01", "to": "2018-06", "city": "杭州"}]
    r = run(part_time_bachelor("南京", other_si=other))
    f = finding(r, "PIT-THREE-PLACES")
    assert f.severity == "warning"
    assert "education[1]" in f.evidence
    assert "南京" in f.message
    ln = assert_line(r, "PTS-EDU", 50)
    assert ln.facts["education_index"] == 0
    assert r.score.total == BASE_TOTAL - 40


def test_PIT_THREE_PLACES_case_b_fails_with_shanghai_si_during_study():
    """PIT-THREE-PLACES: studied in 南京 (hukou 江苏) while insured in Shanghai (2015-04..2018-06):
    Shanghai insurance is social insurance elsewhere too → fails (50 from the 大专)."""
    doc = part_time_bachelor("南京")
    doc["social_insurance"] = [si_row("2015-04..2018-06", payer=None), si_row("2023-01..2026-11")]
    r = run(doc)
    assert finding(r, "PIT-THREE-PLACES").severity == "warning"
    assert_line(r, "PTS-EDU", 50)


def test_PIT_THREE_PLACES_case_c_work_city_si_covering_study():
    """PIT-THREE-PLACES: (c) studied in 杭州 with 杭州 social insurance for the whole study period: 90."""
    other = [{"from": "2014-09", "to": "2018-06", "city": "杭州"}]
    r = run(part_time_bachelor("杭州", other_si=other))
    ln = assert_line(r, "PTS-EDU", 90)
    assert ln.facts["three_places_case"] == "c"
    assert findings(r, "PIT-THREE-PLACES") == []


def test_PIT_THREE_PLACES_case_c_fails_when_si_covers_part_of_study():
    """PIT-THREE-PLACES: 杭州 social insurance only from 2016-01 (study 2015-03..2017-12) → fails."""
    other = [{"from": "2016-01", "to": "2018-06", "city": "杭州"}]
    r = run(part_time_bachelor("杭州", other_si=other))
    f = finding(r, "PIT-THREE-PLACES")
    assert "2015-03" in f.message  # the study period is quoted
    assert_line(r, "PTS-EDU", 50)


def test_PIT_THREE_PLACES_fails_elsewhere_without_si():
    """PIT-THREE-PLACES: studied in 杭州, hukou 江苏, no 杭州 insurance → the 大专 50 counts."""
    r = run(part_time_bachelor("杭州", mode="online"))
    assert finding(r, "PIT-THREE-PLACES").severity == "warning"
    assert_line(r, "PTS-EDU", 50)
    assert r.verdict == "eligible"  # 30 + 50 + 9 + 50 = 139


def test_PIT_THREE_PLACES_part_time_master_treated_alike():
    """PIT-THREE-PLACES: a part-time master's studied in 杭州 without 杭州 insurance falls to the 本科 90."""
    edu = [degree("bachelor", start="2010-09", end="2014-07", study_city="南京"),
           degree("master", mode="part_time_postgraduate", start="2019-09", end="2022-06", study_city="杭州")]
    r = run(base_applicant(education=edu))
    assert finding(r, "PIT-THREE-PLACES").evidence[0] == "education[1]"
    ln = assert_line(r, "PTS-EDU", 90)
    assert ln.facts["education_index"] == 0


def test_PIT_THREE_PLACES_unknown_study_city_is_at_risk():
    """PIT-THREE-PLACES: no study_city on a non-full-time degree: at risk, not refused outright."""
    doc = part_time_bachelor("上海")
    del doc["education"][1]["study_city"]
    r = run(doc)
    assert finding(r, "PIT-THREE-PLACES").severity == "warning"
    # The at-risk 本科 90 loses to nothing better counted: the best line is the counted 大专 50.
    assert_line(r, "PTS-EDU", 50)


def test_PIT_THREE_PLACES_does_not_apply_to_full_time():
    """PIT-THREE-PLACES: a full-time degree studied anywhere is not subject to 三地一致."""
    r = run(base_applicant(education=[degree("bachelor", study_city="杭州")]))
    assert findings(r, "PIT-THREE-PLACES") == []
    assert_line(r, "PTS-EDU", 90)


# ---------------------------------------------------------------- PIT-PRIOR-DEGREE

def test_PIT_PRIOR_DEGREE_non_fulltime_bachelor_without_junior_college():
    """PIT-PRIOR-DEGREE: a self-study 本科 (in Shanghai) with no prior 大专 is not counted."""
    r = run(base_applicant(education=[degree("bachelor", mode="self_study", start="2015-03", end="2017-12")]))
    f = finding(r, "PIT-PRIOR-DEGREE")
    assert f.severity == "warning"
    assert "education[0]" in f.evidence
    assert_line(r, "PTS-EDU", 90, "not_counted", "PIT-PRIOR-DEGREE")
    assert r.score.total == BASE_TOTAL - 90


def test_PIT_PRIOR_DEGREE_prior_junior_college_not_verifiable():
    """PIT-PRIOR-DEGREE: the prior 大专 of a self-study 本科 is not verifiable on 学信网: the 本科 is refused."""
    edu = [degree("junior_college", start="2011-09", end="2014-07", chsi_verifiable=False),
           degree("bachelor", mode="self_study", start="2015-03", end="2017-12")]
    r = run(base_applicant(education=edu))
    assert "education[1]" in finding(r, "PIT-PRIOR-DEGREE").evidence
    assert_line(r, "PTS-EDU", 90, "not_counted", "PIT-PRIOR-DEGREE")


def test_PIT_PRIOR_DEGREE_gap_under_18_months():
    """PIT-PRIOR-DEGREE: 大专 graduated 2016-07, self-study 本科 graduated 2017-12 (17 months): 专本套读
    → the 本科 is refused, the 大专 50 counts."""
    edu = [degree("junior_college", start="2013-09", end="2016-07"),
           degree("bachelor", mode="self_study", start="2016-09", end="2017-12")]
    r = run(base_applicant(education=edu))
    f = finding(r, "PIT-PRIOR-DEGREE")
    assert "18" in f.message
    assert "education[1]" in f.evidence
    assert_line(r, "PTS-EDU", 50)


def test_PIT_PRIOR_DEGREE_gap_of_18_months_passes():
    """PIT-PRIOR-DEGREE: graduations 2016-07 and 2018-01 are 18 months apart: not 套读, 90."""
    edu = [degree("junior_college", start="2013-09", end="2016-07"),
           degree("bachelor", mode="self_study", start="2016-09", end="2018-01")]
    r = run(base_applicant(education=edu))
    assert findings(r, "PIT-PRIOR-DEGREE") == []
    assert_line(r, "PTS-EDU", 90)


def test_PIT_PRIOR_DEGREE_no_high_school_record_is_at_risk():
    """PIT-PRIOR-DEGREE: an adult-education 大专 with no high-school record before it: at risk (warning)."""
    r = run(base_applicant(education=[degree("junior_college", mode="adult", start="2015-09", end="2018-07")]))
    f = finding(r, "PIT-PRIOR-DEGREE")
    assert f.severity == "warning"
    assert_line(r, "PTS-EDU", 50, "at_risk", "PIT-PRIOR-DEGREE")
    assert (r.score.total, r.score.at_risk) == (89, 50)
    assert r.verdict == "needs_review"


def test_PIT_PRIOR_DEGREE_high_school_record_present():
    """PIT-PRIOR-DEGREE: the same 大专 with a high-school record: counted, no finding."""
    edu = [degree("high_school", degree=False, start="2012-09", end="2015-06"),
           degree("junior_college", mode="adult", start="2015-09", end="2018-07")]
    r = run(base_applicant(education=edu))
    assert findings(r, "PIT-PRIOR-DEGREE") == []
    assert_line(r, "PTS-EDU", 50)


def test_PIT_PRIOR_DEGREE_does_not_fire_for_fulltime_bachelor():
    """PIT-PRIOR-DEGREE: a full-time 本科 needs no prior 大专."""
    assert findings(run(base_applicant()), "PIT-PRIOR-DEGREE") == []


# ---------------------------------------------------------------- PIT-DEGREE-UNVERIFIABLE

def test_PIT_DEGREE_UNVERIFIABLE_not_on_chsi():
    """PIT-DEGREE-UNVERIFIABLE: a degree not verifiable on 学信网 is not counted."""
    r = run(base_applicant(education=[degree("bachelor", chsi_verifiable=False)]))
    f = finding(r, "PIT-DEGREE-UNVERIFIABLE")
    assert "学信网" in f.message
    assert f.evidence == ["education[0]"]
    assert_line(r, "PTS-EDU", 90, "not_counted", "PIT-DEGREE-UNVERIFIABLE")


def test_PIT_DEGREE_UNVERIFIABLE_foreign_without_cscse():
    """PIT-DEGREE-UNVERIFIABLE: a foreign master's without the 留服 certificate: not counted, 本科 90 instead."""
    edu = [degree("bachelor", end="2018-07"),
           degree("master", start="2018-09", end="2019-12", foreign=True, cscse_certified=False, study_city="伦敦")]
    r = run(base_applicant(education=edu))
    assert "留学服务中心" in finding(r, "PIT-DEGREE-UNVERIFIABLE").message
    ln = assert_line(r, "PTS-EDU", 90)
    assert ln.facts["education_index"] == 0


def test_PIT_DEGREE_UNVERIFIABLE_foreign_with_cscse_counts():
    """PIT-DEGREE-UNVERIFIABLE: the same foreign master's with the 留服 certificate counts: 100."""
    edu = [degree("bachelor", end="2018-07"),
           degree("master", start="2018-09", end="2019-12", foreign=True, cscse_certified=True, study_city="伦敦")]
    r = run(base_applicant(education=edu))
    assert findings(r, "PIT-DEGREE-UNVERIFIABLE") == []
    assert_line(r, "PTS-EDU", 100)


# ---------------------------------------------------------------- PIT-TITLE-MATCH

@pytest.mark.parametrize("bad", [{"matches_position": False}, {"appointed": False}])
def test_PIT_TITLE_MATCH_declared_mismatch_not_counted(bad):
    """PIT-TITLE-MATCH: specialty does not match the position, or no appointment: title not counted."""
    r = run(base_applicant(qualifications=[qualification("professional_title", "senior", **bad)]))
    f = finding(r, "PIT-TITLE-MATCH")
    assert f.severity == "warning"
    assert "qualifications[0]" in f.evidence
    assert_line(r, "PTS-TITLE", 140, "not_counted", "PIT-TITLE-MATCH")
    assert_line(r, "PTS-EDU", 90)


def test_PIT_TITLE_MATCH_unknown_is_at_risk():
    """PIT-TITLE-MATCH: match unknown: the title is at risk (no education to fall back on → needs_review)."""
    q = qualification("professional_title", "intermediate", matches_position="unknown")
    r = run(base_applicant(education=[], qualifications=[q]))
    assert finding(r, "PIT-TITLE-MATCH").severity == "warning"
    assert_line(r, "PTS-TITLE", 100, "at_risk", "PIT-TITLE-MATCH")
    assert (r.score.total, r.score.at_risk) == (89, 100)
    assert r.verdict == "needs_review"


def test_PIT_TITLE_MATCH_does_not_fire_when_matched_and_appointed():
    """PIT-TITLE-MATCH: matches and appointed: counted."""
    r = run(base_applicant(qualifications=[qualification("professional_title", "senior")]))
    assert findings(r, "PIT-TITLE-MATCH") == []
    assert_line(r, "PTS-TITLE", 140)


# ---------------------------------------------------------------- PIT-TITLE-WHERE

def test_PIT_TITLE_WHERE_review_title_from_another_city():
    """PIT-TITLE-WHERE: a senior title obtained by review in 杭州: not counted."""
    q = qualification("professional_title", "senior", obtained_by="review", obtained_city="杭州")
    r = run(base_applicant(qualifications=[q]))
    f = finding(r, "PIT-TITLE-WHERE")
    assert "杭州" in f.message
    assert_line(r, "PTS-TITLE", 140, "not_counted", "PIT-TITLE-WHERE")


def test_PIT_TITLE_WHERE_exam_title_not_restricted():
    """PIT-TITLE-WHERE: a title obtained by exam in 杭州 is not restricted: counted."""
    q = qualification("professional_title", "senior", obtained_by="exam", obtained_city="杭州")
    r = run(base_applicant(qualifications=[q]))
    assert findings(r, "PIT-TITLE-WHERE") == []
    assert_line(r, "PTS-TITLE", 140)


def test_PIT_TITLE_WHERE_review_title_in_shanghai():
    """PIT-TITLE-WHERE: a title obtained by review in Shanghai counts."""
    q = qualification("professional_title", "senior", obtained_by="review", obtained_city="上海")
    r = run(base_applicant(qualifications=[q]))
    assert findings(r, "PIT-TITLE-WHERE") == []
    assert_line(r, "PTS-TITLE", 140)


def test_PIT_TITLE_WHERE_out_of_town_skill_unverified():
    """PIT-TITLE-WHERE: a level-1 skill certificate from 杭州 without Shanghai 复评/核验: not counted."""
    q = qualification("skill_level", 1, obtained_city="杭州", shanghai_verified=False)
    r = run(base_applicant(qualifications=[q]))
    assert finding(r, "PIT-TITLE-WHERE").severity == "warning"
    assert_line(r, "PTS-TITLE", 140, "not_counted", "PIT-TITLE-WHERE")


def test_PIT_TITLE_WHERE_out_of_town_skill_verified_counts():
    """PIT-TITLE-WHERE: the same level-1 certificate after Shanghai verification counts: 140."""
    q = qualification("skill_level", 1, obtained_city="杭州", shanghai_verified=True)
    r = run(base_applicant(qualifications=[q]))
    assert findings(r, "PIT-TITLE-WHERE") == []
    assert_line(r, "PTS-TITLE", 140)


def test_PIT_TITLE_WHERE_level_4_skill_cannot_be_verified():
    """PIT-TITLE-WHERE: only level 3 and above can be verified: an out-of-town level-4 stays refused."""
    q = qualification("skill_level", 4, obtained_city="杭州", shanghai_verified=True)
    r = run(base_applicant(education=[], qualifications=[q]))
    assert finding(r, "PIT-TITLE-WHERE").severity == "warning"
    assert_line(r, "PTS-TITLE", 30, "not_counted", "PIT-TITLE-WHERE")


def test_PIT_TITLE_WHERE_unknown_city_is_at_risk():
    """PIT-TITLE-WHERE: a review title with no obtained_city: at risk (no education → needs_review)."""
    q = qualification("professional_title", "senior", obtained_by="review", obtained_city=None)
    r = run(base_applicant(education=[], qualifications=[q]))
    assert "未填写" in finding(r, "PIT-TITLE-WHERE").message
    assert_line(r, "PTS-TITLE", 140, "at_risk", "PIT-TITLE-WHERE")
    assert r.verdict == "needs_review"


# ---------------------------------------------------------------- PIT-TITLE-SI-BASE

def title_with_base_months(high_months: str | None) -> dict:
    """Intermediate title; base 12000 (< 1 × 12434) except `high_months` at 15000."""
    rows = [si_row("2023-01..2026-11", base=12000)]
    if high_months:
        lo, hi = high_months.split("..")
        rows = [si_row(f"2023-01..{_prev(lo)}", base=12000), si_row(high_months, base=15000)]
        if hi != "2026-11":
            rows.append(si_row(f"{_next(hi)}..2026-11", base=12000))
    return base_applicant(social_insurance=rows, qualifications=[qualification("professional_title", "intermediate")])


def _prev(m: str) -> str:
    y, mm = map(int, m.split("-"))
    return f"{y:04d}-{mm - 1:02d}" if mm > 1 else f"{y - 1:04d}-12"


def _next(m: str) -> str:
    y, mm = map(int, m.split("-"))
    return f"{y:04d}-{mm + 1:02d}" if mm < 12 else f"{y + 1:04d}-01"


def test_PIT_TITLE_SI_BASE_fires_with_base_below_average():
    """PIT-TITLE-SI-BASE: no month of 2025-11..2026-10 at ≥ 1× the average: the title is not counted,
    the 本科 90 still counts."""
    r = run(title_with_base_months(None))
    f = finding(r, "PIT-TITLE-SI-BASE")
    assert "2025-11–2026-10" in f.message
    assert_line(r, "PTS-TITLE", 100, "not_counted", "PIT-TITLE-SI-BASE")
    assert_line(r, "PTS-EDU", 90)


def test_PIT_TITLE_SI_BASE_fires_with_5_of_12():
    """PIT-TITLE-SI-BASE: 2026-06..2026-10 at ≥ 1× is only 5 of the last 12 months."""
    r = run(title_with_base_months("2026-06..2026-11"))
    assert finding(r, "PIT-TITLE-SI-BASE").severity == "warning"
    assert_line(r, "PTS-TITLE", 100, "not_counted", "PIT-TITLE-SI-BASE")


def test_PIT_TITLE_SI_BASE_does_not_fire_with_6_of_12():
    """PIT-TITLE-SI-BASE: 2026-05..2026-10 at ≥ 1× is 6 of 12: the title counts (100 over 本科 90)."""
    r = run(title_with_base_months("2026-05..2026-11"))
    assert findings(r, "PIT-TITLE-SI-BASE") == []
    assert_line(r, "PTS-TITLE", 100)
    assert_line(r, "PTS-EDU", 90, "not_counted", "PTS-EDU-OR-TITLE")


def test_PIT_TITLE_SI_BASE_not_for_skill_level_3():
    """PIT-TITLE-SI-BASE: applies to intermediate/senior titles and skill levels 2 and 1 only."""
    doc = title_with_base_months(None)
    doc["qualifications"] = [qualification("skill_level", 3)]
    r = run(doc)
    assert findings(r, "PIT-TITLE-SI-BASE") == []


# ---------------------------------------------------------------- PIT-TITLE-REGISTERED

def vq(**kw) -> dict:
    return base_applicant(qualifications=[qualification("vocational_qualification", "senior", **kw)])


def test_PIT_TITLE_REGISTERED_unregistered():
    """PIT-TITLE-REGISTERED: a 职业资格 that needs registration but is not registered: not counted."""
    r = run(vq(registration_required=True, registered=False))
    assert "注册" in finding(r, "PIT-TITLE-REGISTERED").message
    assert_line(r, "PTS-TITLE", 140, "not_counted", "PIT-TITLE-REGISTERED")


def test_PIT_TITLE_REGISTERED_registered_counts():
    """PIT-TITLE-REGISTERED: registered and on the Shanghai catalogue: counted."""
    r = run(vq(registration_required=True, registered=True))
    assert findings(r, "PIT-TITLE-REGISTERED") == []
    assert_line(r, "PTS-TITLE", 140)


def test_PIT_TITLE_REGISTERED_not_on_catalogue():
    """PIT-TITLE-REGISTERED: not on the Shanghai catalogue: not counted."""
    r = run(vq(on_shanghai_catalogue=False))
    assert "目录" in finding(r, "PIT-TITLE-REGISTERED").message
    assert_line(r, "PTS-TITLE", 140, "not_counted", "PIT-TITLE-REGISTERED")


def test_PIT_TITLE_REGISTERED_catalogue_unknown_is_at_risk():
    """PIT-TITLE-REGISTERED: catalogue membership not stated: at risk (no education → needs_review)."""
    q = qualification("vocational_qualification", "senior", on_shanghai_catalogue=None)
    r = run(base_applicant(education=[], qualifications=[q]))
    assert finding(r, "PIT-TITLE-REGISTERED").severity == "warning"
    assert_line(r, "PTS-TITLE", 140, "at_risk", "PIT-TITLE-REGISTERED")
    assert r.verdict == "needs_review"


# ---------------------------------------------------------------- PIT-TITLE-EDU

def test_PIT_TITLE_EDU_intermediate_title_with_only_high_school():
    """PIT-TITLE-EDU: an intermediate title with only high-school education: at risk."""
    edu = [degree("high_school", degree=False, start="2010-09", end="2013-06")]
    r = run(base_applicant(education=edu, qualifications=[qualification("professional_title", "intermediate")]))
    f = finding(r, "PIT-TITLE-EDU")
    assert f.severity == "warning"
    assert_line(r, "PTS-TITLE", 100, "at_risk", "PIT-TITLE-EDU")
    assert (r.score.total, r.score.at_risk) == (89, 100)
    assert r.verdict == "needs_review"


def test_PIT_TITLE_EDU_not_with_bachelor():
    """PIT-TITLE-EDU: the same title with a 本科: no finding, counted."""
    r = run(base_applicant(qualifications=[qualification("professional_title", "intermediate")]))
    assert findings(r, "PIT-TITLE-EDU") == []
    assert_line(r, "PTS-TITLE", 100)


def test_PIT_TITLE_EDU_not_for_low_skill_level():
    """PIT-TITLE-EDU: a level-4 skill with high school only is not an intermediate title: counted."""
    edu = [degree("high_school", degree=False, start="2010-09", end="2013-06")]
    r = run(base_applicant(education=edu, qualifications=[qualification("skill_level", 4)]))
    assert findings(r, "PIT-TITLE-EDU") == []
    assert_line(r, "PTS-TITLE", 30)


# ---------------------------------------------------------------- PIT-EMPLOYER-CONSISTENT

def test_PIT_EMPLOYER_CONSISTENT_past_months_warning():
    """PIT-EMPLOYER-CONSISTENT: 2024-01..2024-06 tax withheld by another unit: warning, months excluded."""
    tax = [tax_row("2023-01..2023-12"), tax_row("2024-01..2024-06", withholder=OTHER_SH_USCC),
           tax_row("2024-07..2026-10")]
    r = run(base_applicant(income_tax=tax))
    f = finding(r, "PIT-EMPLOYER-CONSISTENT")
    assert f.severity == "warning"
    assert "2024-01–2024-06" in f.message
    assert "social_insurance[0]" in f.evidence and "contract.employer_uscc" in f.evidence
    assert_line(r, "BON-SI-BASE", 50)  # 40 months left ≥ 36
    assert r.verdict == "eligible"


def test_PIT_EMPLOYER_CONSISTENT_payer_differs_in_past_months():
    """PIT-EMPLOYER-CONSISTENT: SI paid by another unit 2025-01..2025-12 inside the contract period:
    warning; those 12 months are excluded and BON-SI-BASE drops to nothing (34 < 36)."""
    rows = [si_row("2023-01..2024-12"), si_row("2025-01..2025-12", payer=OTHER_SH_USCC), si_row("2026-01..2026-11")]
    r = run(base_applicant(social_insurance=rows))
    f = finding(r, "PIT-EMPLOYER-CONSISTENT")
    assert f.severity == "warning"
    assert "social_insurance[1]" in f.evidence
    assert line(r, "BON-SI-BASE") is None


def test_PIT_EMPLOYER_CONSISTENT_application_month_payer_differs_is_blocker():
    """PIT-EMPLOYER-CONSISTENT: the application month 2026-11 is paid by another unit: blocker."""
    rows = [si_row("2023-01..2026-10"), si_row("2026-11", payer=OTHER_SH_USCC)]
    r = run(base_applicant(social_insurance=rows))
    got = findings(r, "PIT-EMPLOYER-CONSISTENT")
    blockers = [f for f in got if f.severity == "blocker"]
    assert len(blockers) == 1
    assert "2026-11" in blockers[0].message
    assert blockers[0].remedy
    assert r.verdict == "not_eligible"


def test_PIT_EMPLOYER_CONSISTENT_does_not_fire_for_base():
    """PIT-EMPLOYER-CONSISTENT: contract, SI payer and tax withholder are all the same unit."""
    assert findings(run(base_applicant()), "PIT-EMPLOYER-CONSISTENT") == []


def test_PIT_EMPLOYER_CONSISTENT_previous_job_before_contract_is_fine():
    """PIT-EMPLOYER-CONSISTENT: before this contract (2021) another unit paid SI and withheld tax:
    consistent for those months, no finding."""
    rows = [si_row("2021-01..2021-12", payer=OTHER_SH_USCC), si_row("2022-01..2026-11")]
    tax = [tax_row("2021-01..2021-12", withholder=OTHER_SH_USCC), tax_row("2022-01..2026-10")]
    r = run(base_applicant(social_insurance=rows, income_tax=tax))
    assert findings(r, "PIT-EMPLOYER-CONSISTENT") == []


# ---------------------------------------------------------------- PIT-SI-TAX-MISMATCH

def test_PIT_SI_TAX_MISMATCH_income_below_90_percent():
    """PIT-SI-TAX-MISMATCH: taxable income 13000 < 90% of the 15000 base in 2025-01..2025-03: warning,
    months listed."""
    tax = [tax_row("2023-01..2024-12"), tax_row("2025-01..2025-03", income=13000), tax_row("2025-04..2026-10")]
    r = run(base_applicant(income_tax=tax))
    f = finding(r, "PIT-SI-TAX-MISMATCH")
    assert f.severity == "warning"
    assert "2025-01–2025-03" in f.message
    assert "income_tax" in f.evidence and "social_insurance[0]" in f.evidence
    assert_line(r, "BON-SI-BASE", 50)  # 43 months left


def test_PIT_SI_TAX_MISMATCH_income_at_90_percent_is_fine():
    """PIT-SI-TAX-MISMATCH: 13500 is exactly 90% of 15000: a reasonable match."""
    r = run(base_applicant(income_tax=[tax_row("2023-01..2026-10", income=13500)]))
    assert findings(r, "PIT-SI-TAX-MISMATCH") == []
    assert_line(r, "BON-SI-BASE", 50)


def test_PIT_SI_TAX_MISMATCH_no_tax_record():
    """PIT-SI-TAX-MISMATCH: no income-tax records at all: every month is suspect, BON-SI-BASE nothing."""
    r = run(base_applicant(income_tax=[]))
    f = finding(r, "PIT-SI-TAX-MISMATCH")
    assert "2022-11" not in f.message and "2023-01–2026-10" in f.message
    assert line(r, "BON-SI-BASE") is None
    assert r.score.total == BASE_TOTAL - 50


def test_PIT_SI_TAX_MISMATCH_does_not_fire_for_base():
    """PIT-SI-TAX-MISMATCH: income 16000 against base 15000."""
    assert findings(run(base_applicant()), "PIT-SI-TAX-MISMATCH") == []


# ---------------------------------------------------------------- PIT-BACKPAY

def test_PIT_BACKPAY_lists_back_paid_month():
    """PIT-BACKPAY: 2025-02 back-paid (row 1): info, evidence social_insurance[1], excluded from counts."""
    rows = [si_row("2022-12..2025-01"), si_row("2025-02", back_payment=True), si_row("2025-03..2026-11")]
    r = run(base_applicant(social_insurance=rows))
    f = finding(r, "PIT-BACKPAY")
    assert f.severity == "info"
    assert f.evidence == ["social_insurance[1]"]
    assert "2025-02" in f.message
    ln = assert_line(r, "PTS-SI-YEARS", 9)  # 48 months, one back-paid → 47
    assert ln.facts["si_valid_months"] == 47
    assert r.verdict == "eligible"


def test_PIT_BACKPAY_does_not_fire_for_base():
    """PIT-BACKPAY: no back-paid month."""
    assert findings(run(base_applicant()), "PIT-BACKPAY") == []


# ---------------------------------------------------------------- PIT-DOUBLE-CITY

def test_PIT_DOUBLE_CITY_warning():
    """PIT-DOUBLE-CITY: 苏州 social insurance 2026-03..2026-05 alongside Shanghai: warning naming the months."""
    other = [{"from": "2026-03", "to": "2026-05", "city": "苏州"}]
    r = run(base_applicant(other_social_insurance=other))
    f = finding(r, "PIT-DOUBLE-CITY")
    assert f.severity == "warning"
    assert "2026-03–2026-05" in f.message and "苏州" in f.message
    assert "other_social_insurance" in f.evidence and "social_insurance[0]" in f.evidence
    # The points do not depend on those 3 months (47 → 44 months is still 9; 46 → 43 still ≥ 36).
    assert_line(r, "PTS-SI-YEARS", 9)
    assert_line(r, "BON-SI-BASE", 50)


def test_PIT_DOUBLE_CITY_puts_dependent_points_at_risk():
    """PIT-DOUBLE-CITY: 12 double months (2025-01..2025-12). "Those Shanghai months are at risk":
    without them 35 of 47 months remain, so PTS-SI-YEARS keeps 6 safe points and 3 are at risk;
    the base bonus needs 36 months and has no safe part, so all of BON-SI-BASE 50 is at risk."""
    other = [{"from": "2025-01", "to": "2025-12", "city": "苏州"}]
    r = run(base_applicant(other_social_insurance=other))
    assert finding(r, "PIT-DOUBLE-CITY").severity == "warning"
    years = assert_line(r, "PTS-SI-YEARS", 6, "counted", "PIT-DOUBLE-CITY")
    assert years.at_risk_points == 3
    assert_line(r, "BON-SI-BASE", 50, "at_risk", "PIT-DOUBLE-CITY")
    assert (r.score.total, r.score.at_risk) == (126, 53)


def test_PIT_DOUBLE_CITY_does_not_fire_without_overlap():
    """PIT-DOUBLE-CITY: 苏州 insurance 2019-2021, before any Shanghai month: no finding."""
    other = [{"from": "2019-01", "to": "2021-12", "city": "苏州"}]
    assert findings(run(base_applicant(other_social_insurance=other)), "PIT-DOUBLE-CITY") == []


# ---------------------------------------------------------------- PIT-ARCHIVE

@pytest.mark.parametrize("state", ["lost", "none", "unknown"])
def test_PIT_ARCHIVE_blocker(state):
    """PIT-ARCHIVE: archive lost, never created or whereabouts unknown: blocker with the fix."""
    r = run(with_path(base_applicant(), "person.personnel_archive", state))
    f = assert_blocker(r, "PIT-ARCHIVE")
    assert {"lost": "人事档案遗失", "none": "人事档案从未建立", "unknown": "人事档案去向不明"}[state] in f.message
    assert state not in f.message  # Chinese for HR, not the input's enum code
    assert "档案" in f.remedy
    assert r.earliest_eligible is None


def test_PIT_ARCHIVE_does_not_fire_when_ok_or_unstated():
    """PIT-ARCHIVE: archive ok, or not stated: no finding."""
    assert findings(run(base_applicant()), "PIT-ARCHIVE") == []
    doc = base_applicant()
    del doc["person"]["personnel_archive"]
    assert findings(run(doc), "PIT-ARCHIVE") == []


# ---------------------------------------------------------------- PIT-PERMIT-EXPIRING

def test_PIT_PERMIT_EXPIRING_within_60_days():
    """PIT-PERMIT-EXPIRING: valid until 2027-01-16, 59 days after 2026-11-18: warning."""
    r = run(with_path(base_applicant(), "residence_permit.valid_until", "2027-01-16"))
    f = finding(r, "PIT-PERMIT-EXPIRING")
    assert f.severity == "warning"
    assert "2027-01-16" in f.message and "59" in f.message
    assert r.verdict == "eligible"


def test_PIT_PERMIT_EXPIRING_at_exactly_60_days():
    """PIT-PERMIT-EXPIRING: valid until 2027-01-17, 60 days ahead: "within 60 days" includes it."""
    r = run(with_path(base_applicant(), "residence_permit.valid_until", "2027-01-17"))
    assert finding(r, "PIT-PERMIT-EXPIRING").severity == "warning"


def test_PIT_PERMIT_EXPIRING_not_at_61_days():
    """PIT-PERMIT-EXPIRING: valid until 2027-01-18, 61 days ahead: no warning."""
    r = run(with_path(base_applicant(), "residence_permit.valid_until", "2027-01-18"))
    assert findings(r, "PIT-PERMIT-EXPIRING") == []


# ---------------------------------------------------------------- PIT-CONTRACT-ENDING

def test_PIT_CONTRACT_ENDING_within_6_months():
    """PIT-CONTRACT-ENDING: ending 2027-05-16 leaves 5 full months: warning (not the 2-month blocker)."""
    r = run(with_path(base_applicant(), "contract.end", "2027-05-16"))
    f = finding(r, "PIT-CONTRACT-ENDING")
    assert f.severity == "warning"
    assert "2027-05-16" in f.message
    assert findings(r, "PRE-CONTRACT-REMAINING") == []
    assert r.verdict == "eligible"


def test_PIT_CONTRACT_ENDING_not_at_6_months():
    """PIT-CONTRACT-ENDING: ending 2027-05-17 leaves 6 full months: no warning."""
    assert findings(run(with_path(base_applicant(), "contract.end", "2027-05-17")), "PIT-CONTRACT-ENDING") == []


def test_PIT_CONTRACT_ENDING_not_for_open_ended():
    """PIT-CONTRACT-ENDING: an open-ended contract never ends."""
    assert findings(run(base_applicant()), "PIT-CONTRACT-ENDING") == []


# ---------------------------------------------------------------- PIT-PARAM-PROVISIONAL

# Spec update (issue 7): the 2026-07 wage 12577 is known (unverified, published 2026-08-18); the
# provisional case is now a date before publication or a month with no value at all.
def test_PIT_PARAM_PROVISIONAL_fires_for_months_after_june_2026():
    """PIT-PARAM-PROVISIONAL: 2026-07..2026-10 are compared with the unverified 12577, and it says so: info."""
    r = run(base_applicant())
    f = finding(r, "PIT-PARAM-PROVISIONAL")
    assert f.severity == "info"
    assert "2026-07–2026-10" in f.message and "12577" in f.message and "未经核实" in f.message


def test_PIT_PARAM_PROVISIONAL_fires_for_months_with_no_value():
    """PIT-PARAM-PROVISIONAL: applying 2027-09-15, 2027-07..08 have no value: compared with 12577, provisionally."""
    doc = applicant_on("2027-09-15", renewed_on="2027-05-20")
    doc["residence_permit"]["valid_until"] = "2028-09-30"
    msgs = [f.message for f in findings(run(doc), "PIT-PARAM-PROVISIONAL")]
    assert any("2027-07–2027-08" in m and "尚未公布" in m and "12577" in m for m in msgs)


def test_PIT_PARAM_PROVISIONAL_does_not_fire_before_july_2026():
    """PIT-PARAM-PROVISIONAL: applying 2026-07-15, the window ends 2026-06: every month has a published wage."""
    r = run(applicant_on("2026-07-15", renewed_on="2026-05-20"))
    assert findings(r, "PIT-PARAM-PROVISIONAL") == []
    assert r.verdict == "eligible"
    assert EMPLOYER_USCC == r.employer.uscc


# ---------------------------------------------------------------- PIT-NEAR-THRESHOLD (see also test_rules_verdict)

def test_PIT_NEAR_THRESHOLD_does_not_fire_for_base():
    """PIT-NEAR-THRESHOLD: 179 is far above 120."""
    assert findings(run(base_applicant()), "PIT-NEAR-THRESHOLD") == []
