"""Dates that time cures, and messages a Shanghai HR officer can read as they are."""

from __future__ import annotations

from builders import base_applicant, degree, finding, findings, line, run, si_row


def test_PRE_SCORE_names_the_earliest_date() -> None:
    """PRE-SCORE: 大专 50 + 30 + 6 = 86 today; the remedy and deadline name the date time cures it."""
    r = run(base_applicant(education=[degree("junior_college")], social_insurance=[si_row("2024-01..2026-11")]))
    f = finding(r, "PRE-SCORE")
    assert r.earliest_eligible and f.deadline == r.earliest_eligible
    assert r.earliest_eligible in f.remedy


def test_deduction_expiry_gives_an_exact_earliest_date() -> None:
    """DED-CRIME: a conviction on 2022-03-15 (−150, 179 → 29) leaves the 5-year window on 2027-03-16."""
    doc = base_applicant(records={"general_crimes": ["2022-03-15"]})
    r = run(doc)
    assert line(r, "DED-CRIME").points == -150
    assert r.verdict == "not_eligible" and r.earliest_eligible == "2027-03-16"


def test_serious_false_material_bar_ends_on_a_named_date() -> None:
    """DED-FALSE-MATERIAL: a serious case on 2024-03-01 bars applying until 2027-03-02."""
    r = run(base_applicant(records={"false_materials": ["2024-03-01"], "false_materials_serious": True}))
    f = next(x for x in findings(r, "DED-FALSE-MATERIAL") if x.severity == "blocker")
    assert f.deadline == "2027-03-02" and "2027-03-02" in f.remedy


def test_months_per_band_shown_when_no_band_is_reached() -> None:
    """BON-SI-BASE: 23 of 24 months at 3× in the last 36 and no longer history: no band, no line,
    but an info finding lists the months per band."""
    # Spec update (issue 7): the ceiling is 3 × 12577 = 37731 from 2026-07.
    doc = base_applicant(social_insurance=[si_row("2024-12..2026-06", base=37302), si_row("2026-07..2026-11", base=37731)],
                         income_tax=[{"month": "2024-12..2026-10", "income": 40000,
                                      "withholder_uscc": base_applicant()["employer"]["uscc"]}])
    r = run(doc)
    f = finding(r, "BON-SI-BASE")
    assert f.severity == "info" and "近36个月≥3倍 23 个月（需 24）" in f.message
    assert line(r, "BON-SI-BASE") is None
    assert findings(run(base_applicant()), "BON-SI-BASE") == []  # a band is reached: the line says it


def test_three_places_message_names_where_insurance_was_paid() -> None:
    """PIT-THREE-PLACES: online 本科 studied in 杭州 while paying in Shanghai: the message says so."""
    doc = base_applicant(education=[degree("junior_college"),
                                    degree(mode="online", study_city="杭州", start="2023-03", end="2025-07")])
    f = finding(run(doc), "PIT-THREE-PLACES")
    assert "学习期间社保缴纳地：上海" in f.message and "2023-03–2025-07" in f.message


def test_near_threshold_at_exactly_the_pass_mark() -> None:
    """PIT-NEAR-THRESHOLD at 120 says it equals the pass mark (not "0 分 above").
    30 + 本科 90 + no SI years (11 months) = 120."""
    r = run(base_applicant(social_insurance=[si_row("2026-01..2026-11")]))
    assert r.score.total == 120
    assert "恰好等于标准分值" in finding(r, "PIT-NEAR-THRESHOLD").message


def test_PIT_EMPLOYER_UNREGISTERED_warns_before_anyone_applies() -> None:
    """PIT-EMPLOYER-UNREGISTERED: the employer must register first; the checklist carries its papers."""
    doc = base_applicant()
    doc["employer"]["points_system_registered"] = False
    r = run(doc)
    f = finding(r, "PIT-EMPLOYER-UNREGISTERED")
    assert f.severity == "warning" and "须先完成单位登记" in f.message and f.remedy
    assert "DOC-EMPLOYER-REGISTRATION" in {d.id for d in r.checklist}
    for registered in (True, None):
        doc["employer"]["points_system_registered"] = registered
        assert findings(run(doc), "PIT-EMPLOYER-UNREGISTERED") == []
