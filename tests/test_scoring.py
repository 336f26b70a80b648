"""Scoring on its own (engine/scoring.py): ledgers built by hand, no durable-rules run."""

from __future__ import annotations

import datetime as dt

from jifen_check.engine.ledger import Ledger, LineCandidate
from jifen_check.engine.scoring import choose_best, total
from jifen_check.facts import Observation

EDU, TITLE, SI, DED = "PTS-EDU", "PTS-TITLE", "PTS-SI-YEARS", "DED-CRIME"
ORDER = [SI, EDU, TITLE, DED]
CHOOSER = "PTS-EDU-OR-TITLE"


def ledger(*cands: LineCandidate, findings: tuple[str, ...] = ()) -> Ledger:
    obs = Observation(dt.date(2026, 11, 18), profile={}, degrees=[], quals=[])
    led = Ledger(obs, {"pass_mark": 120}, rule_order=ORDER)
    for c in cands:
        led.add_candidate(c)
    led.findings = [{"severity": s} for s in findings]
    return led


def line(rule: str, points: int, status: str = "counted", idx: int = 0) -> LineCandidate:
    return LineCandidate(rule, idx, points, status, [] if status == "counted" else ["PIT-X"], "", {})


def test_the_only_claim_that_can_reach_the_mark_is_chosen_even_at_risk() -> None:
    led = ledger(line(SI, 50), line(EDU, 60), line(TITLE, 100, "at_risk"))
    choose_best(led, [EDU, TITLE], CHOOSER)
    assert list(led.lines) == [SI, EDU, TITLE]  # ruleset order
    assert led.lines[TITLE].status == "at_risk" and led.lines[TITLE].points == 100
    edu = led.lines[EDU]
    assert edu.status == "not_counted" and edu.reasons == [CHOOSER]
    assert edu.facts == {"alternative_points": 60, "alternative_status": "counted", "alternative_total": 110}
    assert edu.detail == "学历与职称不叠加，按 PTS-TITLE 计；如改报本项可计 60 分，已计总分将为 110 分（未达到标准分值 120 分）"
    assert total(led, "AGG-TOTAL") == {"t": "total", "counted": 50, "at_risk": 100, "reach": 150, "above": -70,
                                       "blockers": 0, "reviews": 0}


def test_a_counted_claim_that_passes_beats_a_bigger_one_at_risk() -> None:
    led = ledger(line(SI, 40), line(EDU, 90), line(TITLE, 100, "at_risk"), findings=("review", "warning"))
    choose_best(led, [EDU, TITLE], CHOOSER)
    assert led.lines[EDU].status == "counted"
    assert led.lines[TITLE].status == "not_counted"
    assert led.lines[TITLE].detail.endswith("如改报本项可计 100 分（有风险），已计总分将为 40 分（未达到标准分值 120 分）")
    assert total(led, "AGG-TOTAL") == {"t": "total", "counted": 130, "at_risk": 0, "reach": 130, "above": 10,
                                       "blockers": 0, "reviews": 1}


def test_a_tie_goes_to_the_first_candidate_and_nothing_claimable_chooses_nothing() -> None:
    led = ledger(line(EDU, 60), line(TITLE, 60))
    choose_best(led, [EDU, TITLE], CHOOSER)
    assert led.lines[EDU].status == "counted" and led.lines[TITLE].status == "not_counted"

    # No claim can count (both not counted): no winner, so nothing is passed over; each keeps its own reason.
    led = ledger(line(EDU, 60, "not_counted"), line(TITLE, 100, "not_counted"))
    choose_best(led, [EDU, TITLE], CHOOSER)
    assert [(x.status, x.reasons) for x in led.lines.values()] == [("not_counted", ["PIT-X"])] * 2
    assert all("学历与职称不叠加" not in x.detail for x in led.lines.values())


def test_a_higher_claim_of_the_same_indicator_that_failed_is_named() -> None:
    led = ledger(line(EDU, 110, "not_counted", idx=1), line(EDU, 60, idx=0))
    choose_best(led, [EDU], CHOOSER)
    assert led.lines[EDU].points == 60
    assert led.lines[EDU].detail == "；另有 110 分的认定因 PIT-X 未计"


def test_the_total_settles_the_lines_itself_and_never_goes_below_zero() -> None:
    led = ledger(line(SI, 20), line(DED, -150), findings=("blocker",))
    assert not led.lines
    assert total(led, "AGG-TOTAL") == {"t": "total", "counted": 0, "at_risk": 0, "reach": 0, "above": -120,
                                       "blockers": 1, "reviews": 0}
    assert list(led.lines) == [SI, DED]
