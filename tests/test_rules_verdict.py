"""The total (AGG-TOTAL), the pass mark (PRE-SCORE), PIT-NEAR-THRESHOLD, the verdict rules
(VERDICT-ELIGIBLE, VERDICT-NEEDS-REVIEW, VERDICT-NOT-ELIGIBLE) and earliest_eligible.

"The verdict rule decided the verdict" is checked on the engine's firing record (judge_full).
"""

from __future__ import annotations

from builders import (
    BASE_TOTAL,
    NONLOCAL_USCC,
    applicant_on,
    assert_blocker,
    assert_line,
    base_applicant,
    degree,
    finding,
    findings,
    fired,
    line,
    run,
    si_row,
    verdict_of,
    with_employer,
    with_path,
)

VERDICT_RULES = {"VERDICT-ELIGIBLE", "VERDICT-NEEDS-REVIEW", "VERDICT-NOT-ELIGIBLE"}


def verdict_rules(doc: dict) -> list[str]:
    return [x for x in fired(doc) if x in VERDICT_RULES]


# ---------------------------------------------------------------- the base applicant

def test_base_applicant_exact_verdict_and_total():
    """VERDICT-ELIGIBLE / AGG-TOTAL: the base applicant is eligible with 179 counted, nothing at risk,
    and no blocker, review or warning (only the PIT-PARAM-PROVISIONAL info)."""
    r = run(base_applicant())
    assert r.verdict == "eligible"
    assert (r.score.total, r.score.at_risk, r.score.pass_mark) == (BASE_TOTAL, 0, 120) == (179, 0, 120)
    assert [(x.rule, x.points, x.status) for x in r.score.lines] == [
        ("PTS-AGE", 30, "counted"), ("PTS-EDU", 90, "counted"), ("PTS-SI-YEARS", 9, "counted"),
        ("BON-SI-BASE", 50, "counted"),
    ]
    assert [(f.rule, f.severity) for f in r.findings] == [("PIT-PARAM-PROVISIONAL", "info")]
    assert r.earliest_eligible is None
    assert r.as_of == "2026-11-18"


# ---------------------------------------------------------------- AGG-TOTAL

def test_AGG_TOTAL_sums_counted_lines_only():
    """AGG-TOTAL: counted lines are summed; at_risk points are reported apart; not_counted ignored."""
    doc = base_applicant(bonuses={"talent": "startup", "public_service_years": 3,
                                  "awards": [{"level": "municipal_special"}]})
    r = run(doc)
    assert "AGG-TOTAL" in fired(doc)
    counted = sum(x.points for x in r.score.lines if x.status == "counted")
    at_risk = sum(x.points for x in r.score.lines if x.status == "at_risk")
    assert (counted, at_risk) == (BASE_TOTAL + 30, 120)
    assert (r.score.total, r.score.at_risk) == (counted, at_risk)
    assert line(r, "BON-PUBLIC-SERVICE").status == "not_counted"


def test_AGG_TOTAL_deductions_subtract_and_floor_at_zero():
    """AGG-TOTAL: total = max(0, counted basic + counted bonus − deductions)."""
    r = run(with_path(base_applicant(), "records.administrative_detentions", ["2024-01-01"]))
    assert r.score.total == BASE_TOTAL - 50
    r = run(with_path(base_applicant(), "records.general_crimes", ["2022-01-01", "2024-01-01"]))
    assert_line(r, "DED-CRIME", -300)
    assert r.score.total == 0


def test_AGG_TOTAL_does_not_run_for_invalid_input():
    """AGG-TOTAL: an invalid input is never scored: no lines, total 0, no rule fired."""
    doc = with_path(base_applicant(), "employer.kind", "startup")
    r = run(doc)
    assert r.verdict == "invalid_input"
    assert (r.score.total, r.score.lines) == (0, [])
    assert fired(doc) == []


# ---------------------------------------------------------------- PRE-SCORE

def test_PRE_SCORE_fires_below_pass_mark():
    """PRE-SCORE: no education: 30 + 9 + 50 = 89 < 120 → blocker naming the total."""
    r = run(base_applicant(education=[]))
    f = assert_blocker(r, "PRE-SCORE")
    assert "89" in f.message and "120" in f.message
    assert r.score.total == 89


def test_PRE_SCORE_does_not_fire_when_at_risk_reaches_pass_mark():
    """PRE-SCORE: counted 89 + at-risk 50 = 139 ≥ 120: no PRE-SCORE blocker (needs_review instead)."""
    edu = [degree("junior_college", mode="adult", start="2015-09", end="2018-07")]  # no high school: at risk
    r = run(base_applicant(education=edu))
    assert (r.score.total, r.score.at_risk) == (89, 50)
    assert findings(r, "PRE-SCORE") == []
    assert r.verdict == "needs_review"


def test_PRE_SCORE_does_not_fire_at_exactly_120():
    """PRE-SCORE: counted exactly 120 passes."""
    r = run(base_applicant(social_insurance=[si_row("2026-01..2026-11")]))
    assert r.score.total == 120
    assert findings(r, "PRE-SCORE") == []
    assert r.verdict == "eligible"


# ---------------------------------------------------------------- PIT-NEAR-THRESHOLD

def test_PIT_NEAR_THRESHOLD_fires_at_120():
    """PIT-NEAR-THRESHOLD: 30 + 90 = 120 counted (11 months of SI: no years, no base bonus): warning."""
    r = run(base_applicant(social_insurance=[si_row("2026-01..2026-11")]))
    f = finding(r, "PIT-NEAR-THRESHOLD")
    assert f.severity == "warning"
    assert "120" in f.message
    assert r.verdict == "eligible"


def test_PIT_NEAR_THRESHOLD_fires_at_129():
    """PIT-NEAR-THRESHOLD: 30 + 90 + 9 (37 months at base 9000, below 0.8×: no base bonus) = 129."""
    r = run(base_applicant(social_insurance=[si_row("2023-11..2026-11", base=9000)]))
    assert r.score.total == 129
    assert "9 分" in finding(r, "PIT-NEAR-THRESHOLD").message


def test_PIT_NEAR_THRESHOLD_fires_at_130():
    """PIT-NEAR-THRESHOLD: "within 10 points" of 120 includes 130.
    30 + 90 + 6 (24 months at 9000) + 4 (Shanghai-hukou spouse, 1 year) = 130."""
    doc = base_applicant(social_insurance=[si_row("2024-12..2026-11", base=9000)],
                         family={"marital_status": "married", "marriage_date": "2025-11-01",
                                 "spouse": {"shanghai_hukou": True}})
    r = run(doc)
    assert r.score.total == 130
    assert finding(r, "PIT-NEAR-THRESHOLD").severity == "warning"


def test_PIT_NEAR_THRESHOLD_does_not_fire_at_134():
    """PIT-NEAR-THRESHOLD: 30 + 90 + 6 + 8 (Shanghai-hukou spouse, 2 years) = 134, 14 above: no warning."""
    doc = base_applicant(social_insurance=[si_row("2024-12..2026-11", base=9000)],
                         family={"marital_status": "married", "marriage_date": "2024-11-01",
                                 "spouse": {"shanghai_hukou": True}})
    r = run(doc)
    assert r.score.total == 134
    assert findings(r, "PIT-NEAR-THRESHOLD") == []


def test_PIT_NEAR_THRESHOLD_does_not_fire_below_pass_mark():
    """PIT-NEAR-THRESHOLD: at 89 the applicant is below the mark (PRE-SCORE), not near it."""
    r = run(base_applicant(education=[]))
    assert findings(r, "PIT-NEAR-THRESHOLD") == []


# ---------------------------------------------------------------- VERDICT-*

def test_VERDICT_ELIGIBLE_fires_for_base():
    """VERDICT-ELIGIBLE: no blocker, no review finding, counted ≥ 120: this rule alone decides."""
    assert verdict_rules(base_applicant()) == ["VERDICT-ELIGIBLE"]
    assert verdict_of(base_applicant()) == "eligible"


def test_VERDICT_ELIGIBLE_does_not_fire_with_review_finding():
    """VERDICT-ELIGIBLE: a review finding (individual business) stops it; VERDICT-NEEDS-REVIEW decides."""
    doc = with_path(base_applicant(), "employer.kind", "individual_business")
    assert verdict_rules(doc) == ["VERDICT-NEEDS-REVIEW"]


def test_VERDICT_NEEDS_REVIEW_fires_on_review_finding():
    """VERDICT-NEEDS-REVIEW: no blocker, counted 179 ≥ 120, one review finding → needs_review."""
    doc = with_path(base_applicant(), "records.family_planning_violation", True)
    assert verdict_rules(doc) == ["VERDICT-NEEDS-REVIEW"]
    assert verdict_of(doc) == "needs_review"


def test_VERDICT_NEEDS_REVIEW_fires_when_at_risk_decides():
    """VERDICT-NEEDS-REVIEW: counted 89 < 120 ≤ 89 + 120 at risk (BON-TALENT)."""
    doc = base_applicant(education=[], bonuses={"talent": "startup"})
    assert verdict_rules(doc) == ["VERDICT-NEEDS-REVIEW"]


def test_VERDICT_NEEDS_REVIEW_does_not_fire_with_blocker():
    """VERDICT-NEEDS-REVIEW: a review finding plus a blocker is not_eligible."""
    doc = with_path(base_applicant(), "records.family_planning_violation", True)
    doc = with_path(doc, "records.serious_crime", True)
    assert verdict_rules(doc) == ["VERDICT-NOT-ELIGIBLE"]
    assert verdict_of(doc) == "not_eligible"


def test_VERDICT_NOT_ELIGIBLE_fires_on_blocker_despite_high_score():
    """VERDICT-NOT-ELIGIBLE: a blocker (archive lost) with 179 counted."""
    doc = with_path(base_applicant(), "person.personnel_archive", "lost")
    assert verdict_rules(doc) == ["VERDICT-NOT-ELIGIBLE"]
    assert run(doc).score.total == BASE_TOTAL


def test_VERDICT_NOT_ELIGIBLE_fires_when_reach_below_pass_mark():
    """VERDICT-NOT-ELIGIBLE: counted + at risk = 89 + 0 < 120."""
    doc = base_applicant(education=[])
    assert verdict_rules(doc) == ["VERDICT-NOT-ELIGIBLE"]


def test_VERDICT_NOT_ELIGIBLE_does_not_fire_for_warnings_only():
    """VERDICT-NOT-ELIGIBLE: warnings (contract ending, permit expiring) do not make a blocker."""
    doc = with_path(base_applicant(), "contract.end", "2027-03-31")
    doc = with_path(doc, "residence_permit.valid_until", "2027-01-10")
    r = run(doc)
    assert {f.severity for f in r.findings} == {"warning", "info"}
    assert verdict_rules(doc) == ["VERDICT-ELIGIBLE"]


# ---------------------------------------------------------------- earliest_eligible

def test_earliest_eligible_six_of_twelve_is_first_of_next_month():
    """PRE-SI-6OF12: 5 of 12 → earliest_eligible is the first day of next month, 2026-12-01."""
    r = run(base_applicant(social_insurance=[si_row("2023-01..2025-05"), si_row("2026-06..2026-11")]))
    assert [f.rule for f in r.blockers()] == ["PRE-SI-6OF12"]
    assert r.earliest_eligible == "2026-12-01"


def test_earliest_eligible_six_of_twelve_needs_two_more_months():
    """PRE-SI-6OF12: 4 of 12 (2026-07..2026-10) → 2 more months: window 2026-01..2026-12 on 2027-01-01."""
    r = run(base_applicant(social_insurance=[si_row("2023-01..2025-05"), si_row("2026-07..2026-11")]))
    f = assert_blocker(r, "PRE-SI-6OF12")
    assert "4 个月" in f.message
    assert r.earliest_eligible == "2027-01-01"


def test_earliest_eligible_permit_sync_only_is_sync_date():
    """PRE-PERMIT-SYNC: only the 3-working-day wait blocks → earliest_eligible is the sync date."""
    r = run(applicant_on("2026-10-09", renewed_on="2026-09-30"))
    assert [f.rule for f in r.blockers()] == ["PRE-PERMIT-SYNC"]
    assert r.earliest_eligible == "2026-10-10"


def test_earliest_eligible_score_cured_by_time():
    """PRE-SCORE: 大专 50 + age 30 + SI years 6 (35 months) = 86. Paying on at 15000, on 2027-01-01 there
    are 37 months (9) and 36 in the base window 2023-01..2026-12 (50): 139 → earliest 2027-01-01."""
    r = run(base_applicant(education=[degree("junior_college")], social_insurance=[si_row("2024-01..2026-11")]))
    assert [f.rule for f in r.blockers()] == ["PRE-SCORE"]
    assert r.score.total == 86
    assert r.earliest_eligible == "2027-01-01"


def test_earliest_eligible_none_for_permanent_blocker():
    """PRE-EMPLOYER-SH: a non-Shanghai employer is not cured by time → earliest_eligible is None."""
    r = run(with_employer(base_applicant(), NONLOCAL_USCC))
    assert r.verdict == "not_eligible"
    assert r.earliest_eligible is None


def test_earliest_eligible_none_when_time_cure_mixed_with_permanent_blocker():
    """PRE-SI-6OF12 + VETO-SERIOUS-CRIME: one blocker time cannot cure → None."""
    doc = base_applicant(social_insurance=[si_row("2023-01..2025-05"), si_row("2026-06..2026-11")])
    doc = with_path(doc, "records.serious_crime", True)
    r = run(doc)
    assert {f.rule for f in r.blockers()} == {"PRE-SI-6OF12", "VETO-SERIOUS-CRIME"}
    assert r.earliest_eligible is None


def test_earliest_eligible_absent_when_eligible():
    """earliest_eligible: an eligible applicant has no earliest date."""
    assert run(base_applicant()).earliest_eligible is None
