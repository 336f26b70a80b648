"""Routes, property-tested: every proposed route is eligible on its date when judged afresh; none for
eligible applicants; and the date search misses nothing a brute force finds (issue 10)."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from builders import AS_OF, OTHER_SH_USCC, base_applicant, degree, si_row, tax_row
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jifen_check import months as mo
from jifen_check import plan, rulebook
from jifen_check.judge import judge, judge_full, route_verifier, verify
from jifen_check.workdays import first_usable_date

TODAY = dt.date.fromisoformat(AS_OF)
NOW = mo.of_date(TODAY)


@st.composite
def applicants(draw: Any) -> dict[str, Any]:
    """Small applicants near the pass mark, with the problems routes address."""
    start = NOW - draw(st.integers(4, 44))
    base = draw(st.sampled_from([8000, 10000, 13000, 26000, 38000]))
    doc = base_applicant(social_insurance=[si_row(f"{mo.fmt(start)}..{mo.fmt(NOW)}", base)],
                         income_tax=[tax_row(f"{mo.fmt(start)}..{mo.fmt(NOW - 1)}", base * 1.05)],
                         education=[degree(draw(st.sampled_from(["junior_college", "bachelor", "master"])))])
    if draw(st.booleans()):  # two months declared under 90 % of the base
        a = draw(st.integers(start, NOW - 3))
        doc["income_tax"] = [tax_row(f"{mo.fmt(start)}..{mo.fmt(NOW - 1)}", base * 1.05)]
        doc["income_tax"][0]["month"] = f"{mo.fmt(a + 2)}..{mo.fmt(NOW - 1)}"
        doc["income_tax"].append(tax_row(f"{mo.fmt(a)}..{mo.fmt(a + 1)}", base * 0.5))
        if a > start:
            doc["income_tax"].append(tax_row(f"{mo.fmt(start)}..{mo.fmt(a - 1)}", base * 1.05))
    if draw(st.booleans()):
        doc["qualifications"] = [{"kind": "professional_title", "level": "intermediate", "name": "工程师",
                                  "obtained_on": "2024-05-01", "obtained_by": "exam", "matches_position": "unknown"}]
    if draw(st.integers(0, 4)) == 0:
        doc["residence_permit"] = {"status": "expired", "valid_until": "2026-10-31", "issued_or_renewed_on": "2025-10-20"}
    if draw(st.integers(0, 4)) == 0:
        doc["person"]["personnel_archive"] = "lost"
    return doc


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(applicants())
def test_every_route_is_eligible_on_its_date(doc: dict[str, Any]) -> None:
    r = judge_full(doc, with_routes=True).result
    if r.verdict in ("eligible", "invalid_input"):
        assert r.routes == []
        return
    for route in r.routes:
        again = judge(route._projected.model_dump(mode="json", by_alias=True),
                      as_of=dt.date.fromisoformat(route.eligible_on))
        assert again.verdict == "eligible" and again.score.total == route.points_then
        for step in route.steps:  # no step is dated before it can take effect, nor after the route
            assert AS_OF <= step.effective_on <= route.eligible_on


def brute_force(doc: dict[str, Any]) -> dt.date | None:
    """Every step combination × the 1st of every month (and each combination's own first dates)."""
    j = judge_full(doc, with_routes=False)
    book = rulebook.load()
    ctx = plan.Context(book, plan.plan_data(), j.applicant, TODAY, j.result, book.id, route_verifier())
    steps = plan.candidate_steps(ctx)
    must = [s for s in steps if s.action.always]
    optional = [s for s in steps if not s.action.always]
    end = mo.first_day(NOW + plan.plan_data().value("search", TODAY)["horizon_months"])
    best: dt.date | None = None
    for k in range(len(optional) + 1):
        for combo in itertools.combinations(optional, k):
            chosen = must + list(combo)
            if len(chosen) > 4 or sum(s.raise_to is not None for s in chosen) > 1:
                continue
            app = plan.apply_steps(j.applicant, chosen)
            d0 = max([TODAY, *(s.effective for s in chosen)])
            raise_to = next((s.raise_to for s in chosen if s.raise_to), None)
            days = {d0} | {mo.first_day(m) for m in range(mo.of_date(d0) + 1, mo.of_date(end) + 1)}
            issued = app.residence_permit.issued_or_renewed_on
            if issued:
                days.add(first_usable_date(issued))
            for day in sorted(d for d in days if d0 <= d <= end and (best is None or d < best)):
                res = verify(plan.projected(app, TODAY, day, raise_to), day, book.id).result
                if res.verdict == "eligible":
                    best = day
                    break
    return best


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(applicants())
def test_search_finds_nothing_later_than_brute_force(doc: dict[str, Any]) -> None:
    j = judge_full(doc, with_routes=False)
    if j.result.verdict not in ("not_eligible", "needs_review"):
        return
    found = plan.all_routes(rulebook.load(), j.applicant, TODAY, j.result, exhaustive=True, verify=route_verifier())
    mine = min((dt.date.fromisoformat(r.eligible_on) for r in found), default=None)
    brute = brute_force(doc)
    assert (mine is None) == (brute is None), (mine, brute)
    if brute is not None:
        assert mine <= brute


def _shown(routes: list[Any]) -> list[tuple[str, int, list[str]]]:
    return [(r.eligible_on, r.points_then, [s.action for s in r.steps]) for r in routes]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(applicants())
def test_skipping_lower_base_raises_changes_no_route(doc: dict[str, Any]) -> None:
    """plan._outdone skips a lower raise where a higher one found nothing: the routes shown are the
    same as with every raise searched."""
    j = judge_full(doc, with_routes=False)
    book = rulebook.load()
    pruned = plan.plan_routes(book, j.applicant, TODAY, j.result, verify=route_verifier())
    full = plan.plan_routes(book, j.applicant, TODAY, j.result, prune=False, verify=route_verifier())
    assert _shown(pruned) == _shown(full)


def _every(routes: list[Any]) -> list[tuple[str, int, list[str]]]:
    return sorted(_shown(routes))


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(applicants())
def test_deciding_without_the_judge_changes_no_step_sets_date(doc: dict[str, Any]) -> None:
    """plan._hopeless rules a step set out before judging it: in the exhaustive search (every step
    set's first date, none hidden by another) it changes no date, no points, no step."""
    j = judge_full(doc, with_routes=False)
    if j.result.verdict not in ("not_eligible", "needs_review"):
        return
    book = rulebook.load()
    for longer in (False, True):
        with_check = plan.all_routes(book, j.applicant, TODAY, j.result, exhaustive=True, longer=longer,
                                     verify=route_verifier())
        without = plan.all_routes(book, j.applicant, TODAY, j.result, exhaustive=True, longer=longer,
                                  prune=False, verify=route_verifier())
        assert _every(with_check) == _every(without)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(applicants(), st.sampled_from([0.3, 0.89, 0.9, 1.2]), st.booleans(), st.integers(0, 40))
def test_tax_rows_change_no_line_but_the_base_bonus(doc: dict[str, Any], ratio: float, other_withholder: bool,
                                                    months: int) -> None:
    """What plan._hopeless assumes of tax-only steps (ACT-TAX-CORRECT, ACT-WITHHOLDER-FIX): other tax
    rows (income, withholder, months declared) change no score line but BON-SI-BASE, and of the
    education-or-title pair only which line is chosen, never the lines and their points."""
    j = judge_full(doc, with_routes=False)
    if j.result.verdict == "invalid_input":
        return
    base = doc["social_insurance"][0]["base"]
    changed = dict(doc, income_tax=[tax_row(f"{mo.fmt(NOW - 1 - months)}..{mo.fmt(NOW - 1)}", base * ratio)])
    if other_withholder:
        changed["income_tax"][0]["withholder_uscc"] = OTHER_SH_USCC
    k = judge_full(changed, with_routes=False)
    if k.result.verdict == "invalid_input":
        return

    def lines(r: Any) -> tuple[dict[str, Any], set[tuple[str, int]]]:
        pair = {(x.rule, x.points) for x in r.score.lines if x.rule in ("PTS-EDU", "PTS-TITLE")}
        rest = {x.rule: (x.points, x.status, x.at_risk_points, x.reason) for x in r.score.lines
                if x.rule not in ("PTS-EDU", "PTS-TITLE", "BON-SI-BASE")}
        return rest, pair

    assert lines(j.result) == lines(k.result)


def _on_d0(res: Any, bands: list[int]) -> tuple[Any, ...]:
    """What plan.first_eligible reads of the judge's result on d0 (plan._opening)."""
    lines = [(x.rule, x.points, x.status, x.at_risk_points, x.reason, x.detail) for x in res.score.lines]
    findings = [(f.rule, f.severity, f.deadline) for f in res.findings if f.severity != "warning"]
    return (res.verdict, res.score.total, res.score.at_risk, res.score.pass_mark, lines, findings, bands)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(applicants(), st.integers(3000, 45000), st.integers(3000, 45000), st.integers(0, 27), st.booleans())
def test_raises_judged_in_their_first_month_agree(doc: dict[str, Any], one: int, two: int, day: int,
                                                  with_tax_steps: bool) -> None:
    """What plan._opening assumes: on a day of a raise's first month, two raises (any bases, with the
    same other steps) give the judge the same verdict, lines, band months, blockers and reviews."""
    j = judge_full(doc, with_routes=False)
    if j.result.verdict == "invalid_input":
        return
    book = rulebook.load()
    ctx = plan.Context(book, plan.plan_data(), j.applicant, TODAY, j.result, book.id, route_verifier())
    others = [s for s in plan.candidate_steps(ctx) if with_tax_steps and s.action.apply in plan.TAX_ONLY]
    app = plan.apply_steps(j.applicant, others)
    month = plan.plan_data().value("base_reset", TODAY)["month"]
    start = next(m for m in range(NOW + 1, NOW + 13) if m % 12 + 1 == month)
    d0 = mo.first_day(start) + dt.timedelta(days=day)
    assert plan._opening(frozenset(), d0, (start, 1.0, 1.0)) is not None
    seen = []
    for base in (one, two):
        k = verify(plan.projected(app, TODAY, d0, (start, float(base), float(base))), d0, book.id)
        seen.append(_on_d0(k.result, k.ledger.obs.details.get("band_months", []) if k.ledger else []))
    assert seen[0] == seen[1]
