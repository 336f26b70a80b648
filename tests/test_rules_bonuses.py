"""Bonus indicators (BON-*) and deductions (DED-*).

For each bonus: claimed and valid → a counted line; claimed and invalid → a not_counted line
(reason: the rule itself); not claimed → no line. Deductions are negative counted lines.

BON-SI-BASE windows for an application on 2026-11-18: the 48-month window is 2022-11..2026-10 and
the 36-month window 2023-11..2026-10 (both end with the month before the application month).
Average wage in force: 2022-07..2023-06 11396, 2023-07..2024-06 12183, 2024-07..2025-06 12307,
2025-07.. 12434 (the last one provisional from 2026-07).
"""

from __future__ import annotations

import pytest
from builders import (
    BASE_TOTAL,
    OTHER_SH_USCC,
    applicant_on,
    assert_blocker,
    assert_line,
    base_applicant,
    degree,
    finding,
    findings,
    line,
    run,
    si_row,
    tax_row,
    with_path,
)

BASE_NO_BONUS = BASE_TOTAL - 50  # the base applicant without its BON-SI-BASE 50


def ceiling_rows(first_3x: str) -> list[dict]:
    """15000 until the month before `first_3x`, then each year's ceiling (exactly 3× the wage)."""
    y, m = map(int, first_3x.split("-"))
    prev = f"{y:04d}-{m - 1:02d}" if m > 1 else f"{y - 1:04d}-12"
    rows = [si_row(f"2022-01..{prev}")]
    # 2026-07 on: the 12577 wage (unverified, published 2026-08-18) is in force: ceiling 37731.
    spans = [("2023-07", "2024-06", 36549), ("2024-07", "2025-06", 36921), ("2025-07", "2026-06", 37302),
             ("2026-07", "2026-11", 37731)]
    for lo, hi, base in spans:
        lo = max(lo, first_3x)
        if lo <= hi:
            rows.append(si_row(f"{lo}..{hi}", base=base))
    return rows


HIGH_TAX = [tax_row("2022-01..2026-10", income=40000)]


# ---------------------------------------------------------------- BON-SI-BASE

def test_BON_SI_BASE_base_applicant_band_50():
    """BON-SI-BASE: 15000 is ≥ 1× (but < 2×) every wage in force; 46 months in the 48-month window → 50."""
    ln = assert_line(run(base_applicant()), "BON-SI-BASE", 50)
    assert "46 个月" in ln.detail
    assert ln.facts["base_window"] == "2022-11–2026-10"


def test_BON_SI_BASE_120_with_36_months_at_ceiling():
    """BON-SI-BASE: every month 2023-07..2026-11 at that year's ceiling (3×): 120."""
    r = run(base_applicant(social_insurance=ceiling_rows("2023-07"), income_tax=HIGH_TAX))
    ln = assert_line(r, "BON-SI-BASE", 120)
    assert "近36个月≥3倍 36 个月" in ln.detail
    assert findings(r, "DATA-SI-MONTH") == []


def test_BON_SI_BASE_120_with_exactly_24_of_36():
    """BON-SI-BASE: 2024-11..2026-10 at 3× is exactly 24 months of the 36-month window: 120."""
    r = run(base_applicant(social_insurance=ceiling_rows("2024-11"), income_tax=HIGH_TAX))
    assert_line(r, "BON-SI-BASE", 120)


def test_BON_SI_BASE_23_of_36_at_3x_falls_to_lower_band():
    """BON-SI-BASE: 23 months at 3× (2024-12..2026-10) is not enough for 120; 23 < 36 at 2× either,
    but all 48 months are ≥ 1× (a higher multiple also counts toward the lower bands) → 50."""
    r = run(base_applicant(social_insurance=ceiling_rows("2024-12"), income_tax=HIGH_TAX))
    ln = assert_line(r, "BON-SI-BASE", 50)
    assert "近36个月≥3倍 23 个月" in ln.detail
    assert "近48个月≥1倍 48 个月" in ln.detail


def test_BON_SI_BASE_100_at_2x():
    """BON-SI-BASE: 25000 ≥ 2× every wage in force (max 24868): 48 of 48 months → 100."""
    r = run(base_applicant(social_insurance=[si_row("2022-01..2026-11", base=25000)], income_tax=HIGH_TAX))
    assert_line(r, "BON-SI-BASE", 100)


def test_BON_SI_BASE_each_month_compared_with_wage_in_force_that_month():
    """BON-SI-BASE: 24614 = 2 × 12307. It is ≥ 2× for 2022-11..2025-06 (wages 11396/12183/12307,
    32 months) but < 2 × 12434 from 2025-07 (16 months): 32 < 36 → not 100, falls to 50."""
    r = run(base_applicant(social_insurance=[si_row("2022-01..2026-11", base=24614)], income_tax=HIGH_TAX))
    ln = assert_line(r, "BON-SI-BASE", 50)
    assert "近48个月≥2倍 32 个月" in ln.detail


def test_BON_SI_BASE_25_at_0_8x():
    """BON-SI-BASE: 10000 is ≥ 0.8× but < 1× every wage in force (0.8 × 12434 = 9947.2): 25."""
    r = run(base_applicant(social_insurance=[si_row("2022-01..2026-11", base=10000)]))
    assert_line(r, "BON-SI-BASE", 25)


def test_BON_SI_BASE_does_not_fire_below_0_8x_of_later_wages():
    """BON-SI-BASE: 9900 ≥ 0.8× only until 2025-06 (32 months); below 0.8 × 12434 after: no line."""
    r = run(base_applicant(social_insurance=[si_row("2022-01..2026-11", base=9900)]))
    assert line(r, "BON-SI-BASE") is None


def exact_36_at_2x() -> list[dict]:
    return [si_row("2021-01..2022-10", base=15000), si_row("2022-11..2025-10", base=25000),
            si_row("2025-11..2026-11", base=15000)]


def test_BON_SI_BASE_window_ends_month_before_application_month():
    """BON-SI-BASE: 2022-11..2025-10 at 2× is 36 months inside the window 2022-11..2026-10 → 100."""
    r = run(base_applicant(social_insurance=exact_36_at_2x(), income_tax=HIGH_TAX))
    assert_line(r, "BON-SI-BASE", 100)


def test_BON_SI_BASE_month_before_window_does_not_count():
    """BON-SI-BASE: 2022-10..2025-09 at 2×: 2022-10 falls outside the 48-month window → 35 → 50."""
    rows = [si_row("2021-01..2022-09"), si_row("2022-10..2025-09", base=25000), si_row("2025-10..2026-11")]
    r = run(base_applicant(social_insurance=rows, income_tax=HIGH_TAX))
    ln = assert_line(r, "BON-SI-BASE", 50)
    assert "近48个月≥2倍 35 个月" in ln.detail


def test_BON_SI_BASE_application_month_does_not_count():
    """BON-SI-BASE: 35 months at 2× in the window plus the application month 2026-11 at 2× → still 35 → 50."""
    rows = [si_row("2021-01..2022-11"), si_row("2022-12..2025-10", base=25000), si_row("2025-11..2026-10"),
            si_row("2026-11", base=25000)]
    r = run(base_applicant(social_insurance=rows, income_tax=HIGH_TAX))
    ln = assert_line(r, "BON-SI-BASE", 50)
    assert "近48个月≥2倍 35 个月" in ln.detail


def thirty_six_at_1x() -> list[dict]:
    # 2023-11..2026-11: exactly 36 months (2023-11..2026-10) in the 48-month window at ≥ 1×.
    return [si_row("2023-11..2026-11")]


def test_BON_SI_BASE_exactly_36_months_at_1x():
    """BON-SI-BASE: exactly 36 months at ≥ 1× → 50."""
    assert_line(run(base_applicant(social_insurance=thirty_six_at_1x())), "BON-SI-BASE", 50)


def test_BON_SI_BASE_excludes_back_paid_month():
    """BON-SI-BASE: of those 36 months, 2025-03 back-paid → 35 → no line."""
    rows = [si_row("2023-11..2025-02"), si_row("2025-03", back_payment=True), si_row("2025-04..2026-11")]
    r = run(base_applicant(social_insurance=rows))
    assert line(r, "BON-SI-BASE") is None
    assert "2025-03" in finding(r, "PIT-BACKPAY").message


def test_BON_SI_BASE_excludes_inconsistent_employer_month():
    """BON-SI-BASE: 2025-03 tax withheld by another unit → that month excluded → 35 → no line."""
    tax = [tax_row("2023-01..2025-02"), tax_row("2025-03", withholder=OTHER_SH_USCC), tax_row("2025-04..2026-10")]
    r = run(base_applicant(social_insurance=thirty_six_at_1x(), income_tax=tax))
    assert line(r, "BON-SI-BASE") is None
    assert finding(r, "PIT-EMPLOYER-CONSISTENT").severity == "warning"


def test_BON_SI_BASE_excludes_tax_mismatch_month():
    """BON-SI-BASE: 2025-03 taxable income 13000 < 90% of the 15000 base → excluded → 35 → no line."""
    tax = [tax_row("2023-01..2025-02"), tax_row("2025-03", income=13000), tax_row("2025-04..2026-10")]
    r = run(base_applicant(social_insurance=thirty_six_at_1x(), income_tax=tax))
    assert line(r, "BON-SI-BASE") is None
    assert "2025-03" in finding(r, "PIT-SI-TAX-MISMATCH").message


def test_BON_SI_BASE_does_not_fire_below_0_8x():
    """BON-SI-BASE: a base of 8000 (< 0.8 × every wage in force) scores nothing."""
    r = run(with_path(base_applicant(), "social_insurance[0].base", 8000))
    assert line(r, "BON-SI-BASE") is None
    assert r.score.total == BASE_NO_BONUS


def test_BON_SI_BASE_does_not_fire_with_short_history():
    """BON-SI-BASE: 2026-01..2026-11 is only 10 months in the window: no line."""
    r = run(base_applicant(social_insurance=[si_row("2026-01..2026-11")]))
    assert line(r, "BON-SI-BASE") is None


# ---------------------------------------------------------------- BON-SHORTAGE-MAJOR

SHORTAGE = {"major": "集成电路技术", "major_code": "510401", "on_catalogue": True, "job_matches": True}
FT_JC = degree("junior_college", major="集成电路技术", major_code="510401", start="2015-09", end="2018-07")


def test_BON_SHORTAGE_MAJOR_counted_for_fulltime_junior_college():
    """BON-SHORTAGE-MAJOR: a full-time 大专 major on the catalogue, job matches: 30 counted."""
    r = run(base_applicant(education=[FT_JC], bonuses={"shortage_major": SHORTAGE}))
    ln = assert_line(r, "BON-SHORTAGE-MAJOR", 30)
    assert "集成电路技术" in ln.detail
    assert r.score.total == 30 + 50 + 9 + 50 + 30


def test_BON_SHORTAGE_MAJOR_at_risk_without_fulltime_junior_college():
    """BON-SHORTAGE-MAJOR: in practice only full-time 大专 majors: with a 本科 only, the 30 are at risk."""
    r = run(base_applicant(bonuses={"shortage_major": SHORTAGE}))
    assert_line(r, "BON-SHORTAGE-MAJOR", 30, "at_risk", "BON-SHORTAGE-MAJOR")
    assert r.score.total == BASE_TOTAL
    assert r.score.at_risk == 30


@pytest.mark.parametrize("field", ["on_catalogue", "job_matches"])
def test_BON_SHORTAGE_MAJOR_not_counted_when_invalid(field):
    """BON-SHORTAGE-MAJOR: not on the catalogue, or the job does not match: not_counted."""
    claim = dict(SHORTAGE, **{field: False})
    r = run(base_applicant(education=[FT_JC], bonuses={"shortage_major": claim}))
    assert_line(r, "BON-SHORTAGE-MAJOR", 30, "not_counted", "BON-SHORTAGE-MAJOR")
    assert r.score.total == 30 + 50 + 9 + 50


def test_BON_SHORTAGE_MAJOR_absent_when_not_claimed():
    """BON-SHORTAGE-MAJOR: not claimed → no line."""
    assert line(run(base_applicant(education=[FT_JC])), "BON-SHORTAGE-MAJOR") is None


# ---------------------------------------------------------------- BON-INVEST

@pytest.mark.parametrize("claim, points", [
    ({"avg_annual_tax_personal_share": 250000}, 20),
    ({"avg_annual_hukou_hires": 23}, 20),
    ({"avg_annual_tax_personal_share": 350000, "avg_annual_hukou_hires": 15}, 30),
    ({"avg_annual_tax_personal_share": 120000, "avg_annual_hukou_hires": 41}, 40),
    ({"avg_annual_tax_personal_share": 2000000}, 120),
], ids=["tax-250k", "hires-23", "better-route-tax", "better-route-hires", "capped-120"])
def test_BON_INVEST_counted(claim, points):
    """BON-INVEST: 10 per full ¥100,000 tax or per full 10 hires; the better route, not both; max 120."""
    r = run(base_applicant(bonuses={"investment": claim}))
    assert_line(r, "BON-INVEST", points)
    assert r.score.total == BASE_TOTAL + points


def test_BON_INVEST_not_counted_below_one_step():
    """BON-INVEST: ¥90,000 tax and 9 hires reach no full step: not_counted."""
    r = run(base_applicant(bonuses={"investment": {"avg_annual_tax_personal_share": 90000,
                                                   "avg_annual_hukou_hires": 9}}))
    assert_line(r, "BON-INVEST", 0, "not_counted", "BON-INVEST")
    assert r.score.total == BASE_TOTAL


def test_BON_INVEST_not_counted_under_3_consecutive_years():
    """BON-INVEST: only 2 consecutive years of investment: not_counted."""
    r = run(base_applicant(bonuses={"investment": {"avg_annual_tax_personal_share": 250000,
                                                   "consecutive_years": 2}}))
    assert_line(r, "BON-INVEST", 20, "not_counted", "BON-INVEST")
    assert r.score.total == BASE_TOTAL


def test_BON_INVEST_absent_when_not_claimed():
    """BON-INVEST: not claimed → no line."""
    assert line(run(base_applicant()), "BON-INVEST") is None


# ---------------------------------------------------------------- BON-PUBLIC-SERVICE

@pytest.mark.parametrize("years, points", [(5, 20), (8, 32)])
def test_BON_PUBLIC_SERVICE_counted_from_5_years(years, points):
    """BON-PUBLIC-SERVICE: from 5 full years, 4 × years."""
    r = run(base_applicant(bonuses={"public_service_years": years}))
    assert_line(r, "BON-PUBLIC-SERVICE", points)
    assert r.score.total == BASE_TOTAL + points


def test_BON_PUBLIC_SERVICE_not_counted_under_5_years():
    """BON-PUBLIC-SERVICE: 4 years: nothing counts yet (not_counted)."""
    r = run(base_applicant(bonuses={"public_service_years": 4}))
    ln = line(r, "BON-PUBLIC-SERVICE")
    assert ln is not None and ln.status == "not_counted" and ln.reason == "BON-PUBLIC-SERVICE"
    assert r.score.total == BASE_TOTAL


def test_BON_PUBLIC_SERVICE_absent_when_not_claimed():
    """BON-PUBLIC-SERVICE: 0 years → no line."""
    assert line(run(base_applicant(bonuses={"public_service_years": 0})), "BON-PUBLIC-SERVICE") is None


# ---------------------------------------------------------------- BON-REMOTE-AREA

def remote(area: str = "临港", years: int = 6, both: bool = True, as_of: str | None = None) -> dict:
    doc = applicant_on(as_of, renewed_on="2024-05-06") if as_of else base_applicant()
    doc["bonuses"] = {"remote_area": {"area": area, "full_years": years, "works_and_lives": both}}
    return doc


# Spec update (issue 7): 临港 has its own dated rule. These tests replace ones that encoded the
# general 5-year rule for 临港.
@pytest.mark.parametrize("years, points", [(1, 2), (4, 8), (6, 12), (12, 20)])
def test_BON_REMOTE_AREA_lingang_counts_from_first_full_year_since_2024_08_21(years, points):
    """BON-REMOTE-AREA: 临港 after the 2024-08-21 talent policy: from the first full year, min(20, 2 × years)."""
    r = run(remote(years=years))
    ln = assert_line(r, "BON-REMOTE-AREA", points)
    assert "2024-08-21" in ln.facts["remote_rule_source"]
    assert findings(r, "BON-REMOTE-AREA") == []
    assert r.verdict == "eligible"


@pytest.mark.parametrize("as_of, years, status", [("2024-08-20", 2, "not_counted"), ("2024-08-20", 3, "counted"),
                                                   ("2024-08-21", 2, "counted")])
def test_BON_REMOTE_AREA_lingang_needed_3_years_before_2024_08_21(as_of, years, status):
    """BON-REMOTE-AREA: before 2024-08-21, 临港 counted after 3 full years; the as-of date decides."""
    r = run(remote(years=years, as_of=as_of))
    assert_line(r, "BON-REMOTE-AREA", 2 * years, status, None if status == "counted" else "BON-REMOTE-AREA")


def test_BON_REMOTE_AREA_not_counted_with_zero_years():
    """BON-REMOTE-AREA: 0 full years in 临港: nothing counts yet."""
    r = run(remote(years=0))
    ln = line(r, "BON-REMOTE-AREA")
    assert ln is not None and ln.status == "not_counted" and ln.reason == "BON-REMOTE-AREA"
    assert r.score.total == BASE_TOTAL


@pytest.mark.parametrize("area", ["嘉定新城", "南北转型", "吴淞"])
def test_BON_REMOTE_AREA_new_towns_are_review_with_the_5_year_rule(area):
    """BON-REMOTE-AREA: 五个新城 / 南北转型: reported with the 5-year rule, review: at risk, not counted under 5."""
    r = run(remote(area=area, years=6))
    assert_line(r, "BON-REMOTE-AREA", 12, "at_risk", "BON-REMOTE-AREA")
    f = finding(r, "BON-REMOTE-AREA")
    assert f.severity == "review" and "5" in f.message and area in f.message
    r4 = run(remote(area=area, years=4))
    assert_line(r4, "BON-REMOTE-AREA", 8, "not_counted", "BON-REMOTE-AREA")
    assert findings(r4, "BON-REMOTE-AREA") == []


def test_BON_REMOTE_AREA_not_counted_without_living_there():
    """BON-REMOTE-AREA: works in 临港 but does not live there: not_counted."""
    r = run(remote(both=False))
    assert_line(r, "BON-REMOTE-AREA", 12, "not_counted", "BON-REMOTE-AREA")


def test_BON_REMOTE_AREA_other_area_is_review():
    """BON-REMOTE-AREA: an area not confirmed (张江): the points are at risk and a review finding → needs_review."""
    r = run(remote(area="张江"))
    assert_line(r, "BON-REMOTE-AREA", 12, "at_risk", "BON-REMOTE-AREA")
    f = finding(r, "BON-REMOTE-AREA")
    assert f.severity == "review"
    assert "张江" in f.message
    assert r.verdict == "needs_review"


def test_BON_REMOTE_AREA_absent_when_not_claimed():
    """BON-REMOTE-AREA: not claimed → no line."""
    assert line(run(base_applicant()), "BON-REMOTE-AREA") is None


# ---------------------------------------------------------------- BON-FRESH-GRAD

def fresh(grad: str) -> dict:
    master = degree("master", start="2023-09", end=grad, study_city="上海")
    return base_applicant(education=[master], bonuses={"fresh_graduate": True})


@pytest.mark.parametrize("grad", ["2026-06", "2025-06"])
def test_BON_FRESH_GRAD_counted_in_graduation_year_or_next(grad):
    """BON-FRESH-GRAD: a full-time graduate of this year or last year: 10."""
    r = run(fresh(grad))
    assert_line(r, "BON-FRESH-GRAD", 10)
    assert r.score.total == BASE_TOTAL - 90 + 100 + 10


def test_BON_FRESH_GRAD_not_counted_two_years_after():
    """BON-FRESH-GRAD: graduated 2024: no longer a fresh graduate in 2026 → not_counted."""
    r = run(fresh("2024-06"))
    assert_line(r, "BON-FRESH-GRAD", 10, "not_counted", "BON-FRESH-GRAD")
    assert r.score.total == BASE_TOTAL - 90 + 100


def test_BON_FRESH_GRAD_not_counted_for_non_fulltime_graduate():
    """BON-FRESH-GRAD: a self-study 本科 graduate of 2026 is not a full-time graduate → not_counted."""
    edu = [degree("bachelor", mode="self_study", start="2024-03", end="2026-06", study_city="上海"),
           degree("junior_college", start="2018-09", end="2021-07", study_city="上海")]
    r = run(base_applicant(education=edu, bonuses={"fresh_graduate": True}))
    ln = line(r, "BON-FRESH-GRAD")
    assert ln is not None and ln.status == "not_counted"


def test_BON_FRESH_GRAD_absent_when_not_claimed():
    """BON-FRESH-GRAD: not claimed → no line."""
    r = run(base_applicant(education=[degree("master", start="2023-09", end="2026-06")]))
    assert line(r, "BON-FRESH-GRAD") is None


# ---------------------------------------------------------------- BON-AWARD

def award(level: str, **kw) -> dict:
    a = {"level": level, "awarded_on": "2024-05-01", "while_in_shanghai": True, "on_official_list": True}
    a.update(kw)
    return a


@pytest.mark.parametrize("level, points", [("municipal_special", 30), ("municipal_comprehensive", 60),
                                           ("provincial_or_higher", 110)])
def test_BON_AWARD_counted(level, points):
    """BON-AWARD: municipal special 30, municipal comprehensive 60, provincial or higher 110."""
    r = run(base_applicant(bonuses={"awards": [award(level)]}))
    assert_line(r, "BON-AWARD", points)
    assert r.score.total == BASE_TOTAL + points


def test_BON_AWARD_highest_counts_not_sum():
    """BON-AWARD: 30 and 60: only the highest, 60."""
    r = run(base_applicant(bonuses={"awards": [award("municipal_special"), award("municipal_comprehensive")]}))
    assert_line(r, "BON-AWARD", 60)
    assert r.score.total == BASE_TOTAL + 60


def test_BON_AWARD_invalid_award_ignored_for_highest():
    """BON-AWARD: a provincial award not on the official list does not count; the valid 30 does."""
    awards = [award("provincial_or_higher", on_official_list=False), award("municipal_special")]
    assert_line(run(base_applicant(bonuses={"awards": awards})), "BON-AWARD", 30)


@pytest.mark.parametrize("bad", [{"on_official_list": False}, {"while_in_shanghai": False}])
def test_BON_AWARD_not_counted_when_invalid(bad):
    """BON-AWARD: not on the official list, or not while working in Shanghai: not_counted."""
    r = run(base_applicant(bonuses={"awards": [award("provincial_or_higher", **bad)]}))
    ln = line(r, "BON-AWARD")
    assert ln is not None and ln.status == "not_counted" and ln.reason == "BON-AWARD"
    assert r.score.total == BASE_TOTAL


def test_BON_AWARD_absent_when_not_claimed():
    """BON-AWARD: no awards → no line."""
    assert line(run(base_applicant(bonuses={"awards": []})), "BON-AWARD") is None


# ---------------------------------------------------------------- BON-SPOUSE-HUKOU

def married(date: str | None, status: str = "married", hukou: bool = True) -> dict:
    return base_applicant(family={"marital_status": status, "marriage_date": date,
                                  "spouse": {"name": "李红", "shanghai_hukou": hukou}})


@pytest.mark.parametrize("date, points", [("2018-10-01", 32), ("2025-11-18", 4), ("2010-05-01", 40)])
def test_BON_SPOUSE_HUKOU_counted(date, points):
    """BON-SPOUSE-HUKOU: 4 per full year married, max 40 (8 years → 32; exactly 1 year → 4; 16 years → 40)."""
    r = run(married(date))
    assert_line(r, "BON-SPOUSE-HUKOU", points)
    assert r.score.total == BASE_TOTAL + points


def test_BON_SPOUSE_HUKOU_not_counted_under_one_year():
    """BON-SPOUSE-HUKOU: married 2025-11-19, one day short of a full year → not_counted."""
    r = run(married("2025-11-19"))
    assert_line(r, "BON-SPOUSE-HUKOU", 0, "not_counted", "BON-SPOUSE-HUKOU")
    assert r.score.total == BASE_TOTAL


def test_BON_SPOUSE_HUKOU_not_counted_when_divorced():
    """BON-SPOUSE-HUKOU: divorced from a Shanghai-hukou spouse → not_counted."""
    r = run(married("2018-10-01", status="divorced"))
    ln = line(r, "BON-SPOUSE-HUKOU")
    assert ln is not None and ln.status == "not_counted" and ln.reason == "BON-SPOUSE-HUKOU"
    assert r.score.total == BASE_TOTAL


def test_BON_SPOUSE_HUKOU_absent_without_shanghai_hukou_spouse():
    """BON-SPOUSE-HUKOU: the spouse has no Shanghai 户籍 → no line."""
    assert line(run(married("2018-10-01", hukou=False)), "BON-SPOUSE-HUKOU") is None


# ---------------------------------------------------------------- BON-TALENT

def test_BON_TALENT_always_at_risk():
    """BON-TALENT: declared 创业人才: 120 at risk with a warning to attach the recognition."""
    r = run(base_applicant(bonuses={"talent": "startup"}))
    assert_line(r, "BON-TALENT", 120, "at_risk", "BON-TALENT")
    f = finding(r, "BON-TALENT")
    assert f.severity == "warning"
    assert "认定" in f.remedy
    assert (r.score.total, r.score.at_risk) == (BASE_TOTAL, 120)
    assert r.verdict == "eligible"  # counted 179 ≥ 120 already


def test_BON_TALENT_needs_review_when_only_at_risk_points_reach_pass_mark():
    """BON-TALENT: counted 89 < 120 ≤ 89 + 120 at risk → needs_review (no PRE-SCORE blocker)."""
    r = run(base_applicant(education=[], bonuses={"talent": "intermediary"}))
    assert (r.score.total, r.score.at_risk) == (89, 120)
    assert findings(r, "PRE-SCORE") == []
    assert r.verdict == "needs_review"


def test_BON_TALENT_absent_when_not_claimed():
    """BON-TALENT: not claimed → no line, no finding."""
    r = run(base_applicant(bonuses={"talent": None}))
    assert line(r, "BON-TALENT") is None
    assert findings(r, "BON-TALENT") == []


# ---------------------------------------------------------------- DED-FALSE-MATERIAL

def records(**kw) -> dict:
    rec = {"serious_crime": False, "general_crimes": [], "administrative_detentions": [], "false_materials": [],
           "false_materials_serious": False, "family_planning_violation": False}
    rec.update(kw)
    return base_applicant(records=rec)


def test_DED_FALSE_MATERIAL_within_3_years():
    """DED-FALSE-MATERIAL: false materials on 2025-03-01 (within 3 years): −150; 179 − 150 = 29."""
    r = run(records(false_materials=["2025-03-01"]))
    ln = assert_line(r, "DED-FALSE-MATERIAL", -150)
    assert "2025-03-01" in ln.detail
    assert r.score.total == BASE_TOTAL - 150
    # Not serious: a deduction, not a bar. Its one finding is an info saying when it stops counting.
    (f,) = findings(r, "DED-FALSE-MATERIAL")
    assert f.severity == "info" and "2028-03-02 起全部不再扣分" in f.message
    assert r.verdict == "not_eligible"


def test_DED_FALSE_MATERIAL_boundary_exactly_3_years():
    """DED-FALSE-MATERIAL: 2023-11-18 is exactly 3 years before 2026-11-18: still counted."""
    assert_line(run(records(false_materials=["2023-11-18"])), "DED-FALSE-MATERIAL", -150)


def test_DED_FALSE_MATERIAL_outside_3_years():
    """DED-FALSE-MATERIAL: 2023-11-17 is more than 3 years ago: no deduction."""
    r = run(records(false_materials=["2023-11-17"]))
    assert line(r, "DED-FALSE-MATERIAL") is None
    assert r.score.total == BASE_TOTAL


def test_DED_FALSE_MATERIAL_serious_is_blocker():
    """DED-FALSE-MATERIAL: a serious case in the last 3 years bars applying: blocker finding."""
    r = run(records(false_materials=["2025-03-01"], false_materials_serious=True))
    f = assert_blocker(r, "DED-FALSE-MATERIAL")
    assert "2025-03-01" in f.message
    assert f.evidence == ["records.false_materials"]


def test_DED_FALSE_MATERIAL_serious_but_old_no_bar():
    """DED-FALSE-MATERIAL: the serious case is from 2022: neither deduction nor bar."""
    r = run(records(false_materials=["2022-06-01"], false_materials_serious=True))
    assert findings(r, "DED-FALSE-MATERIAL") == []
    assert line(r, "DED-FALSE-MATERIAL") is None
    assert r.verdict == "eligible"


def test_DED_total_never_below_zero():
    """DED-FALSE-MATERIAL: two deductions (−300) against 179: total = max(0, …) = 0."""
    r = run(records(false_materials=["2024-03-01", "2025-03-01"]))
    assert_line(r, "DED-FALSE-MATERIAL", -300)
    assert r.score.total == 0


# ---------------------------------------------------------------- DED-DETENTION

def test_DED_DETENTION_within_5_years():
    """DED-DETENTION: a detention on 2022-01-01 (within 5 years): −50 → 129."""
    r = run(records(administrative_detentions=["2022-01-01"]))
    assert_line(r, "DED-DETENTION", -50)
    assert r.score.total == BASE_TOTAL - 50
    assert r.verdict == "eligible"


def test_DED_DETENTION_each():
    """DED-DETENTION: two detentions in 5 years: −100."""
    r = run(records(administrative_detentions=["2022-01-01", "2024-06-01"]))
    assert_line(r, "DED-DETENTION", -100)


def test_DED_DETENTION_outside_5_years():
    """DED-DETENTION: 2021-11-17 is more than 5 years before 2026-11-18: no deduction."""
    r = run(records(administrative_detentions=["2021-11-17"]))
    assert line(r, "DED-DETENTION") is None
    assert r.score.total == BASE_TOTAL


# ---------------------------------------------------------------- DED-CRIME

def test_DED_CRIME_within_5_years():
    """DED-CRIME: a general criminal record on 2023-05-01: −150 → 29 → not eligible."""
    r = run(records(general_crimes=["2023-05-01"]))
    assert_line(r, "DED-CRIME", -150)
    assert r.score.total == BASE_TOTAL - 150
    assert findings(r, "PRE-SCORE")[0].severity == "blocker"


def test_DED_CRIME_outside_5_years():
    """DED-CRIME: 2021-01-01 is more than 5 years ago: no deduction."""
    r = run(records(general_crimes=["2021-01-01"]))
    assert line(r, "DED-CRIME") is None
    assert r.score.total == BASE_TOTAL


def test_deductions_absent_for_base():
    """DED-FALSE-MATERIAL, DED-DETENTION, DED-CRIME: a clean record has no deduction line."""
    r = run(base_applicant())
    assert {x.rule for x in r.score.lines}.isdisjoint({"DED-FALSE-MATERIAL", "DED-DETENTION", "DED-CRIME"})
