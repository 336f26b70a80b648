"""Routes to 120 (issue 10): each kind of step proposed where it applies and not elsewhere, every route
verified by the judge, dates no earlier than the steps can take effect, the `plan` command."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace as dc_replace
from functools import partial
from pathlib import Path
from typing import Any

import pytest
import yaml
from builders import AS_OF, base_applicant, degree, si_row, tax_row, tweak
from conftest import ROOT, run_cli

from jifen_check import plan
from jifen_check.judge import judge, judge_full, route_verifier, verify
from jifen_check.result import Result
from jifen_check.workdays import add_working_days

SAMPLES = ROOT / "samples"
TODAY = dt.date.fromisoformat(AS_OF)


def sample(name: str) -> dict[str, Any]:
    return yaml.safe_load(next(SAMPLES.glob(f"{name}*.yaml")).read_text(encoding="utf-8"))


def route_ids(r: Result) -> list[set[str]]:
    return [{s.id for s in route.steps if s.id} for route in r.routes]


def proposed(r: Result, action: str) -> bool:
    return any(action in ids for ids in route_ids(r))


def assert_verified(doc: dict[str, Any]) -> None:
    """Each route's projected applicant, judged afresh on its date, is eligible with its points."""
    j = judge_full(doc, with_routes=True)
    for route in j.result.routes:
        again = judge(route._projected.model_dump(mode="json", by_alias=True), as_of=dt.date.fromisoformat(route.eligible_on))
        assert again.verdict == "eligible", (route.eligible_on, again.verdict)
        assert again.score.total == route.points_then == route.verified.total
        assert route.verified.verdict == "eligible"


# ---------------------------------------------------------------- the acceptance items

def test_sample_10_tax_correction_route_by_december_not_today() -> None:
    r = judge(sample("10"), with_routes=True)
    best = r.routes[0]
    assert [s.id for s in best.steps] == ["ACT-TAX-CORRECT"]
    assert TODAY < dt.date.fromisoformat(best.eligible_on) <= dt.date(2026, 12, 31)
    assert best.points_then == 205 and best.verified.verdict == "eligible"
    assert "2025-01–2025-02" in best.steps[0].action and "实际发放" in best.steps[0].action
    assert any("未核实" in a for a in best.assumptions) and best.confidence == "unverified"
    assert r.earliest_eligible == "2027-04-01"  # as things are: unchanged


def test_sample_11_title_confirmation_reaches_136() -> None:
    r = judge(sample("11"), with_routes=True)
    best = r.routes[0]
    assert [s.id for s in best.steps] == ["ACT-TITLE-CONFIRM"]
    assert best.points_then == 136 and best.verified.total == 136
    assert best.decision_by == ["单位"]


def test_eligible_applicants_get_no_routes() -> None:
    for name in ("01", "03", "05"):
        assert judge(sample(name), with_routes=True).routes == []
    assert judge(base_applicant(), with_routes=True).routes == []


def test_samples_routes_verified_by_the_judge() -> None:
    for name in ("07", "09", "10", "11"):
        assert_verified(sample(name))


# ---------------------------------------------------------------- each kind of step

def test_permit_renewal_proposed_for_expired_permit_and_dated_after_the_wait() -> None:
    doc = tweak(base_applicant(), residence_permit__status="expired", residence_permit__valid_until="2026-10-31")
    r = judge(doc, with_routes=True)
    assert r.verdict == "not_eligible" and proposed(r, "ACT-PERMIT-RENEW")
    renewed = add_working_days(TODAY, 15)
    assert dt.date.fromisoformat(r.routes[0].eligible_on) >= add_working_days(renewed, 3)
    assert_verified(doc)


def test_permit_renewal_not_proposed_for_valid_permit() -> None:
    r = judge(sample("10"), with_routes=True)
    assert not proposed(r, "ACT-PERMIT-RENEW")


def test_contract_extension_proposed_when_contract_has_ended() -> None:
    doc = tweak(base_applicant(), contract__end="2026-10-31")
    r = judge(doc, with_routes=True)
    assert r.verdict == "not_eligible" and proposed(r, "ACT-CONTRACT-EXTEND")
    assert r.routes[0].decision_by == ["单位"]
    assert_verified(doc)
    assert not proposed(judge(sample("10"), with_routes=True), "ACT-CONTRACT-EXTEND")


def test_archive_transfer_proposed_when_archive_is_lost() -> None:
    doc = tweak(base_applicant(), person__personnel_archive="lost")
    r = judge(doc, with_routes=True)
    assert proposed(r, "ACT-ARCHIVE-TRANSFER")
    assert dt.date.fromisoformat(r.routes[0].eligible_on) >= add_working_days(TODAY, 10)
    assert not proposed(judge(sample("10"), with_routes=True), "ACT-ARCHIVE-TRANSFER")


def test_tax_correction_not_proposed_without_a_mismatch() -> None:
    assert not proposed(judge(sample("11"), with_routes=True), "ACT-TAX-CORRECT")


def test_withholder_fix_proposed_only_for_another_withholder() -> None:
    assert proposed(judge(sample("10"), with_routes=True), "ACT-WITHHOLDER-FIX")
    assert not proposed(judge(sample("11"), with_routes=True), "ACT-WITHHOLDER-FIX")


def test_title_confirmation_not_proposed_without_a_title() -> None:
    assert not proposed(judge(sample("10"), with_routes=True), "ACT-TITLE-CONFIRM")


def short_history(base: float, months: str = "2024-07..2026-11") -> dict[str, Any]:
    return base_applicant(social_insurance=[si_row(months, base)], education=[degree("junior_college")],
                          income_tax=[tax_row(months.split("..")[0] + "..2026-10", base * 1.1)])


def test_base_raise_starts_in_july_with_costs_and_salary() -> None:
    doc = short_history(8000)
    r = judge(doc, with_routes=True)
    raises = [s for route in r.routes for s in route.steps if s.id == "ACT-BASE-RAISE"]
    assert r.verdict == "not_eligible" and raises
    for s in raises:
        assert s.effective_on.endswith("-07-01") and s.effective_on >= "2027-07-01"
        assert s.cost.employer_monthly > s.cost.employee_monthly > 0
        assert s.cost.employer_monthly_max >= s.cost.employer_monthly
        assert "个税申报月收入不低于" in s.action
    route = next(x for x in r.routes if any(s.id == "ACT-BASE-RAISE" for s in x.steps))
    assert route.decision_by == ["单位"]
    assert any("2027-12-31" in a for a in route.assumptions)  # past the policy's end: rules unknown
    assert_verified(doc)


def test_lower_raises_are_skipped_only_where_a_higher_one_found_nothing(monkeypatch: Any) -> None:
    """117 points, 3 short until the next 12-month block completes (2027-08): no raise from July 2027
    can fill a band before then, so after the highest raise fails the lower ones are not searched;
    where a raise does work (short_history), every variant of the short search is still searched (the
    long steps' search after it, bounded by the best short route, may skip raises that found nothing)."""
    def searched(doc: dict[str, Any], prune: bool) -> tuple[list[Any], int]:
        calls: list[tuple[bool, Any]] = []
        real, real_all = plan.first_eligible, plan.all_routes
        longer = [False]

        def all_routes(*a: Any, **k: Any) -> Any:
            longer[0] = k.get("longer", False)
            return real_all(*a, **k)

        monkeypatch.setattr(plan, "all_routes", all_routes)
        monkeypatch.setattr(plan, "first_eligible", lambda *a, **k: calls.append((longer[0], a[3])) or real(*a, **k))
        j = judge_full(doc)
        routes = plan.plan_routes(plan.rulebook.load(), j.applicant, TODAY, j.result, prune=prune,
                                  verify=route_verifier())
        monkeypatch.setattr(plan, "first_eligible", real)
        monkeypatch.setattr(plan, "all_routes", real_all)
        return routes, sum(1 for in_long, raise_to in calls if raise_to and not in_long)

    stuck = base_applicant(social_insurance=[si_row("2022-09..2026-11", 11000)], education=[degree("junior_college")],
                           income_tax=[tax_row("2022-09..2026-10", 12100)])
    j = judge_full(stuck)
    assert (j.result.verdict, j.result.score.total, j.result.earliest_eligible) == ("not_eligible", 117, "2027-08-01")
    pruned, n_pruned = searched(stuck, True)
    full, n_full = searched(stuck, False)
    assert [r.eligible_on for r in pruned] == [r.eligible_on for r in full]
    assert 0 < n_pruned < n_full
    helped, n_helped = searched(short_history(8000), True)
    every, n_all = searched(short_history(8000), False)
    assert any(s.id == "ACT-BASE-RAISE" for r in helped for s in r.steps) and n_helped == n_all
    assert [(r.eligible_on, r.points_then) for r in helped] == [(r.eligible_on, r.points_then) for r in every]


def _searched_with_hopeless(monkeypatch: Any, doc: dict[str, Any],
                            prune: bool) -> tuple[list[Any], list[bool], int]:
    """The routes found (date, points, steps), what plan._hopeless decided at each call, and how
    many times the judge ran for routes."""
    decided: list[bool] = []
    days: list[dt.date] = []
    real, judge_route = plan._hopeless, route_verifier()
    monkeypatch.setattr(plan, "_hopeless", lambda *a: decided.append(real(*a)) or decided[-1])
    j = judge_full(doc)
    routes = plan.plan_routes(plan.rulebook.load(), j.applicant, TODAY, j.result, prune=prune,
                              verify=lambda app, day: days.append(day) or judge_route(app, day))
    monkeypatch.setattr(plan, "_hopeless", real)
    return [(r.eligible_on, r.points_then, [s.action for s in r.steps]) for r in routes], decided, len(days)


def test_raises_that_cannot_reach_the_pass_mark_are_decided_without_the_judge(monkeypatch: Any) -> None:
    """plan._hopeless: a raised route whose counted points, bounded from the judge's result before the
    raise begins, cannot reach the pass mark on any date it could be found, is not judged at all; the
    routes are those of the search without it. Where a raise does reach 120 it is judged."""
    searched = partial(_searched_with_hopeless, monkeypatch)

    stuck = base_applicant(social_insurance=[si_row("2022-09..2026-11", 11000)], education=[degree("junior_college")],
                           income_tax=[tax_row("2022-09..2026-10", 12100)])
    pruned, decided, judged = searched(stuck, True)
    full, never, judged_all = searched(stuck, False)
    assert pruned == full and decided[0] is True and never == [] and judged < judged_all  # [0]: the raise
    helped, decided, _ = searched(short_history(8000), True)
    assert helped == searched(short_history(8000), False)[0]
    assert any("提高到" in step for _, _, steps in helped for step in steps) and False in decided


def test_a_tax_correction_before_the_6_of_12_cure_is_decided_without_the_judge(monkeypatch: Any) -> None:
    """238 points, blocked by 6-of-12 until 2027-03 (as things are, eligible 2027-03-01), two months'
    tax under 90 %: the correction (2026-12-18) cannot beat that date, and the blocker it does not
    touch stands until then (earliest.blocked_until), so the judge is not run for it; where the
    correction does reach 120 (sample 10) it is judged and proposed."""
    searched = partial(_searched_with_hopeless, monkeypatch)

    gap = base_applicant(social_insurance=[si_row("2020-01..2025-10", 26000), si_row("2026-09..2026-11", 26000)],
                         income_tax=[tax_row("2020-01..2025-06", 28000), tax_row("2025-07..2025-08", 9000),
                                     tax_row("2025-09..2025-10", 28000), tax_row("2026-09..2026-10", 28000)],
                         education=[degree("bachelor")])
    r = judge(gap)
    assert (r.verdict, r.earliest_eligible) == ("not_eligible", "2027-03-01")
    assert {f.rule for f in r.findings} >= {"PRE-SI-6OF12", "PIT-SI-TAX-MISMATCH"}
    routes, decided, judged = searched(gap, True)
    assert routes == searched(gap, False)[0] and decided == [True] and judged == 0
    routes, decided, judged = searched(sample("10"), True)
    assert any("更正申报" in step for _, _, steps in routes for step in steps)
    assert routes == searched(sample("10"), False)[0] and False in decided and judged > 0


def test_new_qualifications_score_what_the_route_bound_assumes() -> None:
    """plan._hopeless bounds a qualification a route adds (ACT-SKILL-CERT, ACT-TITLE-EXAM) by
    plan._title_points, and holds one of plan.held_back back until its base months fill:
    the judge agrees, with bases under the wage (title held back) and over it."""
    book = plan.rulebook.load()
    assert plan.held_back(book, "professional_title", "intermediate") and plan.held_back(book, "skill_level", 2)
    assert not plan.held_back(book, "professional_title", "junior") and not plan.held_back(book, "skill_level", 3)
    for base in (8000, 14000):
        j = judge_full(short_history(base))
        assert j.result.verdict == "not_eligible"
        ctx = plan.Context(book, plan.plan_data(), j.applicant, TODAY, j.result, book.id, route_verifier())
        steps = [s for s in plan.candidate_steps(ctx, longer=True) if s.action.apply in plan.NEW_QUALIFICATION]
        assert sorted(s.action.apply for s in steps) == sorted(plan.NEW_QUALIFICATION)
        for s in steps:
            (q,) = s.change["qualifications"][len(j.applicant.qualifications):]
            res = verify(plan.projected(plan.apply_steps(j.applicant, [s]), TODAY, s.effective, None), s.effective,
                         book.id).result
            title = next(x for x in res.score.lines if x.rule == "PTS-TITLE")
            assert title.points == plan._title_points(book, q.kind, q.level, s.effective, s.effective) > 0
            held = base < 10000 and plan.held_back(book, q.kind, q.level)
            assert (title.status, title.reason) == (("not_counted", "PIT-TITLE-SI-BASE") if held else ("counted", None))


def test_base_raise_cost_from_contribution_rates() -> None:
    r = judge(short_history(8000), with_routes=True)
    s = next(s for route in r.routes for s in route.steps if s.id == "ACT-BASE-RAISE")
    base = int(s.action.split("提高到 ")[1].split(" 元")[0])
    delta = base - 8000
    assert s.cost.employee_monthly == -(-delta * 105 // 1000)          # 8 + 2 + 0.5 = 10.5 %
    assert s.cost.employer_monthly == -(-delta * 257 // 1000)          # 16 + 9 + 0.5 + 0.2 = 25.7 %


def test_base_raise_not_proposed_when_points_suffice() -> None:
    assert not proposed(judge(sample("11"), with_routes=True), "ACT-BASE-RAISE")


def test_keep_paying_route_for_six_of_twelve_is_as_things_are() -> None:
    r = judge(sample("07"), with_routes=True)
    assert r.earliest_eligible
    assert all(route.eligible_on != r.earliest_eligible or len(route.steps) > 1 for route in r.routes)


def test_urgent_steps_for_eligible_applicant_with_expiring_permit() -> None:
    doc = tweak(base_applicant(), residence_permit__valid_until="2026-12-11")
    r = judge(doc, with_routes=True)
    assert r.verdict == "eligible" and r.routes == []
    urgent = {s.id: s for s in r.urgent}
    assert "ACT-PERMIT-ENDORSE" in urgent and urgent["ACT-PERMIT-ENDORSE"].by == "2026-12-11"
    assert judge(base_applicant(), with_routes=True).urgent == []


def test_urgent_step_for_unregistered_employer_and_ending_contract() -> None:
    doc = tweak(base_applicant(), employer__points_system_registered=False, contract__end="2027-03-31")
    ids = {s.id for s in judge(doc, with_routes=True).urgent}
    assert {"ACT-EMPLOYER-REGISTER", "ACT-CONTRACT-RENEW-SOON"} <= ids


# ---------------------------------------------------------------- data files

def test_malformed_actions_file_names_file_and_key(tmp_path: Path) -> None:
    src = (ROOT / "rulesets/shanghai-2023/routes/actions.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "actions.yaml"
    bad.write_text(src.replace("working_days: 15", "workdays: 15", 1), encoding="utf-8")
    with pytest.raises(plan.PlanDataError) as e:
        plan.load_actions(bad, {"PRE-PERMIT-VALID", "PRE-PERMIT-SYNC"})
    assert str(bad) in str(e.value) and "lead" in str(e.value)
    bad.write_text(src.replace("findings: [PIT-ARCHIVE]", "findings: [PIT-ARCHIVES]"), encoding="utf-8")
    from jifen_check import rulebook

    with pytest.raises(plan.PlanDataError, match=r"actions\[\d+\]\.when\.findings: unknown rule ID PIT-ARCHIVES"):
        plan.load_actions(bad, set(rulebook.load().rules))


@pytest.mark.parametrize(("before", "after", "key"), [
    ("提高到 {base} 元", "提高到 {bse} 元", r"\(ACT-BASE-RAISE\)\.text: unknown placeholder \{bse\}"),
    ("由单位对 {months} 的", "由单位对 {month} 的", r"\(ACT-TAX-CORRECT\)\.text: unknown placeholder \{month\}"),
    ("until {until}", "until {date}", r"\(ACT-KEEP-PAYING\)\.text_en: unknown placeholder \{date\}"),
])
def test_misspelt_placeholder_in_an_action_fails_at_load(tmp_path: Path, before: str, after: str, key: str) -> None:
    """A step text may use only what its kind of step fills (plan.FILLS): a typo fails at load,
    naming the file, the action and the key, instead of a KeyError in the middle of a plan."""
    from jifen_check import rulebook

    src = (ROOT / "rulesets/shanghai-2023/routes/actions.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "actions.yaml"
    assert before in src
    bad.write_text(src.replace(before, after, 1), encoding="utf-8")
    with pytest.raises(plan.PlanDataError, match=key) as e:
        plan.load_actions(bad, set(rulebook.load().rules))
    assert str(bad) in str(e.value)


def test_placeholder_in_a_label_fails_at_load(tmp_path: Path) -> None:
    """Labels and assumptions are shown as written: a placeholder there would print as braces."""
    from jifen_check import rulebook

    src = (ROOT / "rulesets/shanghai-2023/routes/actions.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "actions.yaml"
    bad.write_text(src.replace("label: 居住证签注或申领", "label: 居住证签注或申领{base}", 1), encoding="utf-8")
    with pytest.raises(plan.PlanDataError, match=r"\.label: unknown placeholder \{base\}"):
        plan.load_actions(bad, set(rulebook.load().rules))


def test_the_shipped_actions_use_every_placeholder_their_kind_fills() -> None:
    """FILLS is not wider than the texts: each placeholder a kind fills appears in its Chinese text."""
    import string

    for a in plan.plan_data().actions:
        used = {name for _, name, _, _ in string.Formatter().parse(a.text) if name}
        assert used == plan.FILLS.get(a.apply, frozenset()), a.id


def test_malformed_route_parameters_name_file_and_key(tmp_path: Path) -> None:
    src = (ROOT / "rulesets/shanghai-2023/routes/route_parameters.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "route_parameters.yaml"
    bad.write_text(src.replace("{month: 7}", "{month: July}"), encoding="utf-8")
    with pytest.raises(plan.PlanDataError, match="base_reset.values.2020-07-01.value"):
        plan.load_params(bad)


# ---------------------------------------------------------------- the plan command

def plan_json(*args: str) -> tuple[int, dict[str, Any]]:
    p = run_cli("plan", *args, "--format", "json")
    assert b"Traceback" not in p.stderr, p.stderr.decode()
    return p.returncode, json.loads(p.stdout)


def test_plan_by_date_before_every_route_exits_6_and_names_the_closest() -> None:
    code, doc = plan_json(str(SAMPLES / "10-backpay-and-mismatch.yaml"), "--by", "2026-12-01")
    assert code == 6
    t = doc["target"]
    assert not t["reached"] and t["closest"]["eligible_on"] == "2026-12-18" and t["closest"]["days_late"] == 17
    assert t["as_is_then"]["short"] == 15
    p = run_cli("plan", str(SAMPLES / "10-backpay-and-mismatch.yaml"), "--by", "2026-12-01")
    assert p.returncode == 6 and "比目标晚 17 天" in p.stdout.decode()


def test_plan_by_date_after_a_route_exits_with_the_verdict() -> None:
    code, doc = plan_json(str(SAMPLES / "10-backpay-and-mismatch.yaml"), "--by", "2027-01-19")
    assert code == 4 and doc["target"]["reached"]


def test_plan_by_named_milestone() -> None:
    code, doc = plan_json(str(SAMPLES / "10-backpay-and-mismatch.yaml"), "--by", "中考2027")
    assert code == 4 and doc["target"]["date"] == "2027-01-19" and "2027-05-06" in doc["target"]["note"]
    p = run_cli("plan", str(SAMPLES / "10-backpay-and-mismatch.yaml"), "--by", "小升初2030")
    assert p.returncode == 2 and "中考2027" in p.stderr.decode()


def test_plan_write_applicant_rechecks_eligible(tmp_path: Path) -> None:
    out = tmp_path / "route1.yaml"
    p = run_cli("plan", str(SAMPLES / "10-backpay-and-mismatch.yaml"), "--write-applicant", "1", str(out))
    assert p.returncode == 4, p.stderr.decode()
    again = run_cli("check", str(out), "--format", "json")
    assert again.returncode == 0
    doc = json.loads(again.stdout)
    assert doc["as_of"] == "2026-12-18" and doc["score"]["total"] == 205


def test_plan_text_explain_and_assumptions() -> None:
    p = run_cli("plan", str(SAMPLES / "11-needs-review-title-appointment.yaml"), "--explain")
    text = p.stdout.decode()
    assert p.returncode == 3 and "达标途径" in text and "途径 1 的核验" in text and "136" in text
    a = run_cli("plan", "--assumptions").stdout.decode()
    for key in ("contribution_rates", "base_reset", "policy_end", "ACT-TAX-CORRECT", "未核实"):
        assert key in a
    # Plain Chinese (issue 11): confidence in words, values not as Python dicts, no bare {placeholders}.
    for raw in ("unverified", "official ", "{'", "datetime", "{until}", "{months}"):
        assert raw not in a, raw
    assert "取值：单位：养老 16%" in a and "至 达标日" in a


def test_check_text_has_routes_section_after_verdict() -> None:
    p = run_cli("check", str(SAMPLES / "10-backpay-and-mismatch.yaml"))
    text = p.stdout.decode()
    assert text.index("结论") < text.index("达标途径") < text.index("积分明细")
    assert "途径 1：2026-12-18" in text


def test_result_schema_documents_routes() -> None:
    p = run_cli("schema", "--result")
    doc = json.loads(p.stdout)
    assert p.returncode == 0 and doc["$id"] == "jifen-check/result@1"
    assert "routes" in doc["properties"] and "urgent" in doc["properties"]
    route = doc["$defs"]["Route"]
    for key in ("eligible_on", "points_then", "steps", "assumptions", "confidence", "verified"):
        assert key in route["properties"]
    step = doc["$defs"]["RouteStep"]["properties"]
    assert {"action", "actor", "effective_on", "cost", "because", "confidence"} <= set(step)


def test_degree_certification_proposed_for_uncertified_foreign_degree() -> None:
    doc = base_applicant(education=[degree("master", foreign=True, cscse_certified=False, chsi_verifiable=False,
                                           study_city="伦敦")])
    r = judge(doc, with_routes=True)
    assert r.verdict != "eligible" and proposed(r, "ACT-DEGREE-CERTIFY")
    assert dt.date.fromisoformat(r.routes[0].eligible_on) >= add_working_days(TODAY, 20)
    assert_verified(doc)
    assert not proposed(judge(sample("10"), with_routes=True), "ACT-DEGREE-CERTIFY")


def test_title_registration_proposed_for_unregistered_qualification() -> None:
    doc = base_applicant(education=[], qualifications=[{
        "kind": "vocational_qualification", "level": "intermediate", "name": "注册安全工程师",
        "obtained_on": "2024-05-01", "obtained_by": "exam", "registration_required": True, "registered": False,
        "on_shanghai_catalogue": True, "matches_position": True, "appointed": True}])
    r = judge(doc, with_routes=True)
    assert r.verdict != "eligible" and proposed(r, "ACT-TITLE-REGISTER"), [f.rule for f in r.findings]
    assert_verified(doc)
    assert not proposed(judge(sample("11"), with_routes=True), "ACT-TITLE-REGISTER")


def test_employer_registration_is_a_step_of_every_route() -> None:
    doc = tweak(sample("11"), employer__points_system_registered=False)
    r = judge(doc, with_routes=True)
    assert r.routes and all("ACT-EMPLOYER-REGISTER" in ids for ids in route_ids(r))
    assert not proposed(judge(sample("11"), with_routes=True), "ACT-EMPLOYER-REGISTER")


def test_keep_paying_step_only_when_the_route_waits() -> None:
    r = judge(short_history(8000), with_routes=True)
    assert all(route.steps[-1].id == "ACT-KEEP-PAYING" for route in r.routes)
    # Sample 11's title confirmation works today: no waiting step. (Its second route, claiming the
    # education by 2027-09 once the base months fill, does wait, and says so.)
    routes = judge(sample("11"), with_routes=True).routes
    now = [x for x in routes if any(s.id == "ACT-TITLE-CONFIRM" for s in x.steps)]
    assert now and all(s.id != "ACT-KEEP-PAYING" for x in now for s in x.steps)
    assert all(any(s.id == "ACT-KEEP-PAYING" for s in x.steps) for x in routes if x.eligible_on > "2026-11-18")


def test_education_claim_step_where_the_route_counts_education_instead_of_the_at_risk_title() -> None:
    """Issue 10 'choose the claim: education or title, show both': sample 11 reaches 136 today if the
    title is confirmed, or 120+ without that risk by claiming its education once the base months fill."""
    routes = judge(sample("11"), with_routes=True).routes
    claims = [x for x in routes if any(s.id == "ACT-CLAIM-EDU" for s in x.steps)]
    titles = [x for x in routes if any(s.id == "ACT-TITLE-CONFIRM" for s in x.steps)]
    assert claims and titles and not any(s.id == "ACT-CLAIM-EDU" for x in titles for s in x.steps)
    claim = next(s for s in claims[0].steps if s.id == "ACT-CLAIM-EDU")
    assert "按学历计分（50 分）" in claim.action and claim.confidence == "practice"
    assert claims[0].verified.verdict == "eligible" and claims[0].eligible_on > titles[0].eligible_on
    line = next(x for x in claims[0]._judged.score.lines if x.rule == "PTS-EDU")
    assert line.status == "counted"
    assert_verified(sample("11"))
    # No title: nothing to choose.
    assert not proposed(judge(short_history(8000), with_routes=True), "ACT-CLAIM-EDU")


def test_pdf_page_one_has_the_route_box_under_the_verdict(tmp_path: Path) -> None:
    from pypdf import PdfReader

    out = tmp_path / "r.pdf"
    p = run_cli("check", str(SAMPLES / "10-backpay-and-mismatch.yaml"), "--pdf", str(out))
    assert p.returncode == 4
    page1 = PdfReader(out).pages[0].extract_text()
    assert "达标途径" in page1 and "2026-12-18" in page1 and "更正申报" in page1
    assert page1.index("暂不符合") < page1.index("达标途径") < page1.index("申请材料清单")


def test_pdf_page_one_warns_an_eligible_applicant_before_the_window(tmp_path: Path) -> None:
    from pypdf import PdfReader

    src = tmp_path / "a.yaml"
    src.write_text(yaml.safe_dump(tweak(base_applicant(), residence_permit__valid_until="2026-12-11"),
                                  allow_unicode=True), encoding="utf-8")
    out = tmp_path / "a.pdf"
    assert run_cli("check", str(src), "--pdf", str(out)).returncode == 0
    page1 = PdfReader(out).pages[0].extract_text()
    assert "申请前须办" in page1 and "2026-12-11" in page1


def _longer(doc: dict[str, Any]) -> tuple[list[str], list[Any]]:
    """The longer steps proposed for `doc`, and the routes they give (searched as when nothing shorter works)."""
    j = judge_full(doc)
    book = plan.rulebook.load()
    ctx = plan.Context(book, plan.plan_data(), j.applicant, TODAY, j.result, book.id, route_verifier())
    ids = [s.action.id for s in plan.candidate_steps(ctx, longer=True)]
    return ids, plan.all_routes(book, j.applicant, TODAY, j.result, longer=True, verify=route_verifier())


def test_higher_degree_steps_build_on_the_highest_degree() -> None:
    """Issue 10's longer routes: 专升本 for a 大专 holder (verified by the judge after its 32 months),
    a part-time master's for a bachelor with a degree, neither for an eligible applicant."""
    months = "2024-07..2026-11"
    college = base_applicant(social_insurance=[si_row(months, 9000)], education=[degree("junior_college")],
                             income_tax=[tax_row("2024-07..2026-10", 9900)])
    ids, routes = _longer(college)
    assert "ACT-DEGREE-BACHELOR" in ids and "ACT-DEGREE-MASTER" not in ids
    route = next(r for r in routes if any(s.id == "ACT-DEGREE-BACHELOR" for s in r.steps))
    assert route.verified.verdict == "eligible" and route.eligible_on >= "2029-07-18"
    line = next(x for x in route._judged.score.lines if x.rule == "PTS-EDU")
    assert line.points == 90 and line.status == "counted"
    bachelor = tweak(base_applicant(), records__administrative_detentions=["2025-06-01", "2025-08-01"])
    ids, _ = _longer(bachelor)
    assert "ACT-DEGREE-MASTER" in ids and "ACT-DEGREE-BACHELOR" not in ids
    assert _longer(base_applicant())[0] == []


def test_an_earliest_date_after_the_rules_expire_says_so(tmp_path: Path) -> None:
    """沪府规〔2022〕21号 expires 2027-12-31: an earliest date after it carries a note in JSON, the text
    report and the PDF; an earlier one carries none."""
    from pypdf import PdfReader

    def doc(start: str, base: int) -> dict[str, Any]:
        return base_applicant(social_insurance=[si_row(f"{start}..2026-11", base)], education=[degree("junior_college")],
                              income_tax=[tax_row(f"{start}..2026-10", base * 1.05)])

    late, early = judge(doc("2025-01", 13000)), judge(doc("2024-10", 26000))
    assert late.earliest_eligible == "2028-01-01" and "2027-12-31" in late.earliest_eligible_note
    assert "此后的规则未知" in late.earliest_eligible_note
    assert early.earliest_eligible == "2027-10-01" and early.earliest_eligible_note is None
    path = tmp_path / "late.yaml"
    path.write_text(yaml.safe_dump(doc("2025-01", 13000), allow_unicode=True), encoding="utf-8")
    text = run_cli("check", str(path)).stdout.decode()
    assert "最早可申请日期：2028-01-01" in text and "该日期晚于 2027-12-31" in text
    assert "after 2027-12-31" in run_cli("check", str(path), "--lang", "en").stdout.decode()
    assert run_cli("checklist", str(path), "-o", str(tmp_path / "late.pdf")).returncode == 4
    pdf = "".join(p.extract_text() for p in PdfReader(tmp_path / "late.pdf").pages).replace("\n", "")
    assert "2028-01-01（晚于 2027-12-31" in pdf and "此后规则未知" in pdf
    early_path = tmp_path / "early.yaml"
    early_path.write_text(yaml.safe_dump(doc("2024-10", 26000), allow_unicode=True), encoding="utf-8")
    assert "晚于" not in run_cli("check", str(early_path)).stdout.decode()


def _raise_search(monkeypatch: Any, doc: dict[str, Any], prune: bool) -> tuple[list[Any], list[tuple[float, dt.date]]]:
    """The routes found (date, points, steps), and each (raised base, day) the judge ran on for a raise alone."""
    runs: list[tuple[float, dt.date]] = []
    real, judge_route = plan.first_eligible, route_verifier()

    def searched(ctx: Any, app: Any, d0: dt.date, raise_to: Any, *rest: Any) -> Any:
        def counted(a: Any, day: dt.date) -> Any:
            if raise_to and app is ctx.app:
                runs.append((raise_to[1], day))
            return judge_route(a, day)
        return real(dc_replace(ctx, verify=counted), app, d0, raise_to, *rest)

    monkeypatch.setattr(plan, "first_eligible", searched)
    j = judge_full(doc)
    routes = plan.plan_routes(plan.rulebook.load(), j.applicant, TODAY, j.result, prune=prune,
                              verify=judge_route)
    monkeypatch.setattr(plan, "first_eligible", real)
    return [(r.eligible_on, r.points_then, [s.action for s in r.steps]) for r in routes], runs


def test_raises_are_not_judged_where_their_first_day_is_known(monkeypatch: Any) -> None:
    """A raise from 2027-07-01 (8,000 now): on its first day the bound from today's result shows it
    short, so it is searched on from the next date without judging that day (plan._after_d0); the
    routes are those of the search that judges every raise on its first day."""
    pruned, runs = _raise_search(monkeypatch, short_history(8000), True)
    full, runs_all = _raise_search(monkeypatch, short_history(8000), False)
    assert pruned == full and any("提高到" in step for _, _, steps in pruned for step in steps)
    first = dt.date(2027, 7, 1)
    assert len({base for base, day in runs_all if day == first}) > 1  # unpruned: every raise judged on d0
    assert not any(day == first for _, day in runs) and len(runs) < len(runs_all)


def test_a_longer_route_is_shown_where_it_beats_every_shorter_one() -> None:
    """QA round 2: 本科 without a degree (60), base 9000. A raise alone reaches 120 only in 2029-07 (3×);
    a raise to 1× from 2027-07 plus the intermediate title exam (which needs 6 of 12 months at 1×) reaches
    it on 2028-01-01, so that route comes first. The dearer raises with the exam reach the same day and
    are not shown beside it; a raise alone stays, as the way without an exam."""
    doc = base_applicant(social_insurance=[si_row("2023-11..2026-11", 9000)],
                         income_tax=[tax_row("2023-11..2026-10", 9500)],
                         education=[degree("bachelor", degree=False)])
    r = judge(doc, with_routes=True)
    assert r.verdict == "not_eligible"
    first = r.routes[0]
    assert first.eligible_on == "2028-01-01" and {"ACT-BASE-RAISE", "ACT-TITLE-EXAM"} <= route_ids(r)[0]
    assert "12577 元（1 倍社平工资）" in next(s.action for s in first.steps if s.id == "ACT-BASE-RAISE")
    assert sum(1 for ids in route_ids(r) if "ACT-TITLE-EXAM" in ids) == 1  # not the 2× and 3× variants too
    assert any(ids == {"ACT-BASE-RAISE", "ACT-KEEP-PAYING"} for ids in route_ids(r))
    assert_verified(doc)


def test_no_longer_route_where_a_shorter_one_is_as_soon() -> None:
    """Sample 10: correcting two tax months reaches 120 on 2026-12-18, before any new certificate could
    count, so no long step is shown (the long steps' search stops at the best short route's day)."""
    r = judge(sample("10"), with_routes=True)
    assert r.routes and r.routes[0].eligible_on == "2026-12-18"
    assert not any(proposed(r, a) for a in ("ACT-TITLE-EXAM", "ACT-SKILL-CERT", "ACT-DEGREE-BACHELOR",
                                             "ACT-DEGREE-MASTER"))


def test_a_route_counting_working_days_in_2027_says_the_year_has_no_holiday_calendar() -> None:
    """holidays.md: 2027 is counted Monday to Friday until its notice is in the data, "say so in the result".
    From 2026-11-18 the renewal's 15 working days and the 3-day wait end in 2026: nothing to say; from
    2026-12-21 they run into 2027 (New Year's Day counted as a working day)."""
    doc = tweak(base_applicant(), residence_permit__status="expired", residence_permit__valid_until="2026-10-31")
    now = judge(doc, with_routes=True)
    assert now.routes and now.routes[0].eligible_on < "2027-01-01"
    assert not any("节假日安排尚未收录" in a for r in now.routes for a in r.assumptions)
    later = judge(dict(doc, as_of="2026-12-21"), with_routes=True)
    route = next(r for r in later.routes if proposed_in(r, "ACT-PERMIT-RENEW"))
    assert route.eligible_on > "2027-01-01"
    assert "2027 年的节假日安排尚未收录，其中的工作日按周一至周五计算，实际日期可能稍晚" in route.assumptions


def proposed_in(route: Any, action: str) -> bool:
    return any(s.id == action for s in route.steps)
