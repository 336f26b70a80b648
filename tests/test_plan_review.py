"""Routes for a needs-review applicant who reaches 120 only with points at risk (QA D4): there is no
PRE-SCORE finding then, yet a route that needs no risky item exists and must be shown (formats.md:
`routes` is non-empty where a route exists, for not_eligible and needs_review)."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from builders import base_applicant

from jifen_check.judge import judge

USCC = "91310115MA1K3P7Q01"
APPLICANT: dict[str, Any] = {
    "format": "jifen-check/applicant@1",
    "as_of": "2026-11-18",
    "person": {"name": "测试", "id_number": "320102199003071239", "hukou_province": "江苏", "personnel_archive": "ok"},
    "residence_permit": {"status": "valid", "valid_until": "2027-09-30", "issued_or_renewed_on": "2026-09-20"},
    "employer": {"name": "上海示例科技有限公司", "uscc": USCC, "kind": "enterprise"},
    "contract": {"employer_uscc": USCC, "start": "2022-01-01", "end": None, "position": "软件工程师"},
    "social_insurance": [{"month": "2024-01..2026-11", "base": 9000, "payer_uscc": USCC}],
    "income_tax": [{"month": "2024-01..2026-10", "income": 9500, "withholder_uscc": USCC}],
    "education": [{"level": "junior_college", "mode": "full_time", "diploma": True, "degree": False, "school": "示例大学",
                   "major": "软件工程", "start": "2009-09", "end": "2012-07", "study_city": "上海",
                   "chsi_verifiable": True, "foreign": False}],
    "bonuses": {"talent": "startup"},  # 120 at risk: reaches the mark, counts only once confirmed
}


def first_steps(r: Any) -> set[str]:
    return {s.id for s in r.routes[0].steps if s.id}


def test_at_risk_claim_keeps_the_route_a_counted_score_needs() -> None:
    r = judge(copy.deepcopy(APPLICANT), with_routes=True)
    assert r.verdict == "needs_review" and r.score.total == 86
    assert not any(f.rule == "PRE-SCORE" for f in r.findings)
    assert r.routes, "a route exists (the same applicant without the claim gets one)"
    assert "ACT-BASE-RAISE" in first_steps(r)
    for route in r.routes:  # each shown route is eligible on its date without the risky claim confirmed
        again = judge(route._projected.model_dump(mode="json", by_alias=True),
                      as_of=dt.date.fromisoformat(route.eligible_on))
        assert again.verdict == "eligible" and route.verified.verdict == "eligible"

    without = copy.deepcopy(APPLICANT)
    del without["bonuses"]
    plain = judge(without, with_routes=True)
    assert plain.verdict == "not_eligible"
    assert plain.routes[0].eligible_on == r.routes[0].eligible_on


def test_review_with_enough_counted_points_gets_no_base_raise() -> None:
    # 嘉定新城 needs review (BON-REMOTE-AREA), but the counted points already pass: nothing to raise.
    doc = base_applicant(bonuses={"remote_area": {"area": "嘉定新城", "full_years": 6, "works_and_lives": True}})
    r = judge(doc, with_routes=True)
    assert r.verdict == "needs_review" and r.score.total >= r.score.pass_mark
    assert not any("ACT-BASE-RAISE" in {s.id for s in route.steps} for route in r.routes)
