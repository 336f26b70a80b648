"""Basic indicators: PTS-AGE, PTS-EDU, PTS-TITLE, PTS-EDU-OR-TITLE, PTS-SI-YEARS.

"Fires" for a points rule means a score line with that rule ID and the expected points and status.
The base applicant scores PTS-AGE 30 + PTS-EDU 90 + PTS-SI-YEARS 9 + BON-SI-BASE 50 = 179.
"""

from __future__ import annotations

import datetime as dt

import pytest
from builders import (
    BASE_TOTAL,
    assert_line,
    base_applicant,
    degree,
    findings,
    id_for_birth,
    line,
    qualification,
    run,
    si_row,
    with_path,
)

# ---------------------------------------------------------------- PTS-AGE

def aged(age: int) -> dict:
    """An applicant who is `age` full years old on 2026-11-18 (born 1 June)."""
    birth = dt.date(2026 - age, 6, 1)
    doc = with_path(base_applicant(), "person.id_number", id_for_birth(birth))
    return with_path(doc, "person.birth_date", birth.isoformat())


@pytest.mark.parametrize("age, points", [
    (18, 30), (30, 30), (43, 30), (44, 29), (45, 27), (46, 25), (50, 17), (55, 7), (56, 5), (58, 5), (60, 5),
])
def test_PTS_AGE_table(age, points):
    """PTS-AGE: ≤43: 30, 44: 29 (not the blog's 28), 45: 27, …, 55: 7, 56–60: 5."""
    r = run(aged(age))
    ln = assert_line(r, "PTS-AGE", points)
    assert f"{age} 周岁" in ln.detail
    assert r.score.total == BASE_TOTAL - 30 + points


def test_PTS_AGE_counts_full_years_on_application_date():
    """PTS-AGE: born 1982-11-19 is still 43 on 2026-11-18 (44 the next day)."""
    birth = dt.date(1982, 11, 19)
    doc = with_path(base_applicant(), "person.id_number", id_for_birth(birth))
    doc = with_path(doc, "person.birth_date", birth.isoformat())
    assert_line(run(doc), "PTS-AGE", 30)
    assert_line(run(with_path(doc, "as_of", "2026-11-19")), "PTS-AGE", 29)


def test_PTS_AGE_does_not_fire_over_60():
    """PTS-AGE: over 60 scores 0 (no line); PRE-AGE blocks."""
    r = run(aged(61))
    assert line(r, "PTS-AGE") is None
    assert findings(r, "PRE-AGE")[0].severity == "blocker"


# ---------------------------------------------------------------- PTS-EDU

@pytest.mark.parametrize("entry, points", [
    (degree("junior_college"), 50),
    (degree("bachelor", degree=False), 60),
    (degree("bachelor"), 90),
    (degree("master"), 100),
    (degree("doctor"), 110),
], ids=["大专50", "本科无学位60", "本科学位90", "硕士双证100", "博士双证110"])
def test_PTS_EDU_tiers(entry, points):
    """PTS-EDU: 大专 50, 本科 without degree 60, 本科+学位 90, 硕士 both 100, 博士 both 110."""
    r = run(base_applicant(education=[entry]))
    assert_line(r, "PTS-EDU", points)
    assert r.score.total == BASE_TOTAL - 90 + points


@pytest.mark.parametrize("papers", [{"diploma": True, "degree": False}, {"diploma": False, "degree": True}],
                         ids=["学历证书only", "学位证书only"])
def test_PTS_EDU_master_with_one_certificate_falls_to_90(papers):
    """PTS-EDU: a 硕士 with only one of the two certificates: the next tier the papers support, 90."""
    r = run(base_applicant(education=[degree("master", **papers)]))
    assert_line(r, "PTS-EDU", 90)


def test_PTS_EDU_doctor_with_one_certificate_falls_to_100():
    """PTS-EDU: a 博士 with only the 学位证书 counts as 100."""
    r = run(base_applicant(education=[degree("doctor", diploma=False, degree=True)]))
    assert_line(r, "PTS-EDU", 100)


def test_PTS_EDU_highest_valid_degree_counts_once():
    """PTS-EDU: 本科 90 and 硕士 100: one line, 100 (degrees are not added)."""
    edu = [degree("bachelor", end="2018-07"), degree("master", start="2018-09", end="2021-06")]
    r = run(base_applicant(education=edu))
    ln = assert_line(r, "PTS-EDU", 100)
    assert ln.facts["education_index"] == 1
    assert [x.rule for x in r.score.lines].count("PTS-EDU") == 1


def test_PTS_EDU_does_not_fire_without_education():
    """PTS-EDU: no education entry, or only high school: no line."""
    assert line(run(base_applicant(education=[])), "PTS-EDU") is None
    r = run(base_applicant(education=[degree("high_school", degree=False)]))
    assert line(r, "PTS-EDU") is None
    assert r.score.total == BASE_TOTAL - 90


# Issue 7 bug 5: this test encoded the bug (the 本科 vanished without a line or a reason).
def test_PTS_EDU_does_not_count_bachelor_without_diploma():
    """PTS-EDU: a 本科 with neither certificate scores nothing: a not_counted line saying 60 with the diploma."""
    r = run(base_applicant(education=[degree("bachelor", diploma=False, degree=False)]))
    ln = assert_line(r, "PTS-EDU", 60, "not_counted", "PTS-EDU")
    assert "没有学历证书" in ln.detail
    assert r.score.total == BASE_TOTAL - 90


# ---------------------------------------------------------------- PTS-TITLE

@pytest.mark.parametrize("kind, level, points", [
    ("skill_level", 5, 15), ("skill_level", 4, 30), ("skill_level", 3, 60), ("skill_level", 2, 100),
    ("skill_level", 1, 140), ("professional_title", "intermediate", 100), ("professional_title", "senior", 140),
    ("vocational_qualification", "intermediate", 100),
])
def test_PTS_TITLE_tiers(kind, level, points):
    """PTS-TITLE: skill 5: 15, 4: 30, 3: 60; skill 2 / intermediate title / 职业资格: 100; skill 1 / senior: 140."""
    r = run(base_applicant(education=[], qualifications=[qualification(kind, level)]))
    assert_line(r, "PTS-TITLE", points)


# Issue 7 bug 4: this test encoded the bug (a claimed junior title vanished from the result).
def test_PTS_TITLE_does_not_count_junior_title():
    """PTS-TITLE: a junior (初级) title scores 0: a not_counted line with the reason."""
    r = run(base_applicant(qualifications=[qualification("professional_title", "junior")]))
    assert_line(r, "PTS-TITLE", 0, "not_counted", "PTS-TITLE")
    assert_line(r, "PTS-EDU", 90)


def test_PTS_TITLE_does_not_fire_without_qualifications():
    """PTS-TITLE: the base applicant declares no qualification."""
    assert line(run(base_applicant()), "PTS-TITLE") is None


# ---------------------------------------------------------------- PTS-EDU-OR-TITLE

def test_PTS_EDU_OR_TITLE_title_100_beats_bachelor_90():
    """PTS-EDU-OR-TITLE: intermediate title 100 counts; the 本科 90 shows as not_counted with this reason."""
    r = run(base_applicant(qualifications=[qualification("professional_title", "intermediate")]))
    assert_line(r, "PTS-TITLE", 100)
    edu = assert_line(r, "PTS-EDU", 90, "not_counted", "PTS-EDU-OR-TITLE")
    assert "PTS-TITLE" in edu.detail
    assert r.score.total == BASE_TOTAL - 90 + 100


def test_PTS_EDU_OR_TITLE_bachelor_90_beats_skill_60():
    """PTS-EDU-OR-TITLE: skill level 3 (60) loses to 本科 90 and shows as not_counted with this reason."""
    r = run(base_applicant(qualifications=[qualification("skill_level", 3)]))
    assert_line(r, "PTS-EDU", 90)
    assert_line(r, "PTS-TITLE", 60, "not_counted", "PTS-EDU-OR-TITLE")
    assert r.score.total == BASE_TOTAL


def test_PTS_EDU_OR_TITLE_prefers_counted_bachelor_to_at_risk_title():
    """PTS-EDU-OR-TITLE: a counted 本科 90 is preferred to a title 100 at risk (match unknown)."""
    q = qualification("professional_title", "intermediate", matches_position="unknown")
    r = run(base_applicant(qualifications=[q]))
    assert_line(r, "PTS-EDU", 90)
    assert_line(r, "PTS-TITLE", 100, "not_counted", "PTS-EDU-OR-TITLE")
    assert r.score.total == BASE_TOTAL
    assert r.score.at_risk == 0
    assert r.verdict == "eligible"


def test_PTS_EDU_OR_TITLE_does_not_fire_when_only_education():
    """PTS-EDU-OR-TITLE: nothing to choose between: PTS-EDU counted, no not_counted line."""
    r = run(base_applicant())
    assert all(x.reason != "PTS-EDU-OR-TITLE" for x in r.score.lines)


def test_PTS_EDU_OR_TITLE_does_not_override_a_pitfall_reason():
    """PTS-EDU-OR-TITLE: a title already not counted (PIT-TITLE-MATCH) keeps its own reason."""
    q = qualification("professional_title", "senior", matches_position=False)
    r = run(base_applicant(qualifications=[q]))
    assert_line(r, "PTS-EDU", 90)
    assert_line(r, "PTS-TITLE", 140, "not_counted", "PIT-TITLE-MATCH")


# ---------------------------------------------------------------- PTS-SI-YEARS

def test_PTS_SI_YEARS_base_47_months():
    """PTS-SI-YEARS: 2023-01..2026-11 is 47 valid months: 3 × 3 = 9."""
    ln = assert_line(run(base_applicant()), "PTS-SI-YEARS", 9)
    assert ln.facts["si_valid_months"] == 47


def test_PTS_SI_YEARS_48_months_gives_12():
    """PTS-SI-YEARS: 2022-12..2026-11 is 48 months: 4 full years, 12."""
    r = run(base_applicant(social_insurance=[si_row("2022-12..2026-11")]))
    assert_line(r, "PTS-SI-YEARS", 12)


def test_PTS_SI_YEARS_gaps_allowed():
    """PTS-SI-YEARS: 2019-01..2019-12 plus 2023-01..2026-11: 59 cumulative months → 12."""
    r = run(base_applicant(social_insurance=[si_row("2019-01..2019-12"), si_row("2023-01..2026-11")]))
    assert_line(r, "PTS-SI-YEARS", 12)


def test_PTS_SI_YEARS_excludes_back_payments():
    """PTS-SI-YEARS: 48 months of which 2022-12 is back-paid: 47 → 9."""
    r = run(base_applicant(social_insurance=[si_row("2022-12", back_payment=True), si_row("2023-01..2026-11")]))
    ln = assert_line(r, "PTS-SI-YEARS", 9)
    assert ln.facts["si_valid_months"] == 47


def test_PTS_SI_YEARS_excludes_transferred_in_months():
    """PTS-SI-YEARS: 24 months transferred in from another city (2021) do not count: 47 → 9."""
    rows = [si_row("2020-12..2022-11", base=9000, payer=None, transferred_in=True), si_row("2022-12", back_payment=True),
            si_row("2023-01..2026-11")]
    r = run(base_applicant(social_insurance=rows))
    ln = assert_line(r, "PTS-SI-YEARS", 9)
    assert ln.facts["si_valid_months"] == 47


def test_PTS_SI_YEARS_no_cap():
    """PTS-SI-YEARS: 2016-11..2026-11 is 121 months: 10 full years → 30 (no cap)."""
    r = run(base_applicant(social_insurance=[si_row("2016-11..2026-11")]))
    assert_line(r, "PTS-SI-YEARS", 30)


def test_PTS_SI_YEARS_12_months_gives_3():
    """PTS-SI-YEARS: 2025-12..2026-11 is 12 months: 3."""
    r = run(base_applicant(social_insurance=[si_row("2025-12..2026-11")]))
    assert_line(r, "PTS-SI-YEARS", 3)


def test_PTS_SI_YEARS_does_not_fire_under_12_months():
    """PTS-SI-YEARS: 2026-01..2026-11 is 11 months: no line."""
    r = run(base_applicant(social_insurance=[si_row("2026-01..2026-11")]))
    assert line(r, "PTS-SI-YEARS") is None
