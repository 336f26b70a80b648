"""Policy tests written as data beside the rules (rulesets/<id>/tests/*.yaml), as OpenFisca keeps
them: a base applicant, cases that change a few fields, and what the result must show. Python tests
stay for code; these are for policy, readable and editable by a policy expert.

One test file per rule file: the cases for a rule of rules/gates.yaml are in tests/gates.yaml.
Every rule must have a case where it fires and one where it does not
(`test_every_rule_fires_and_does_not_fire`). A result lists findings and score lines, not the rules
that ran, so "fires" is read from what a case expects the result to show:

| expectation                             | fires                      | does not fire          |
|-----------------------------------------|----------------------------|------------------------|
| `findings_include` / `findings_exclude` | each rule listed           | each rule listed       |
| `severity: {RULE: s}`                   | RULE (its finding is `s`)  |                        |
| `confidence: {RULE: c}`                 | RULE (a finding of it is `c`) |                     |
| `lines: {RULE: points}`                 | RULE (line counted/at risk)|                        |
| `line_status: {RULE: status}`           | RULE if counted / at_risk  | RULE if not_counted    |
| `not_counted`, `lines_absent_or_zero`   |                            | each rule listed       |
| `line_reasons: {LINE: RULE}`            | RULE (the reason the line is at_risk / not_counted) |  |
| `reasons_exclude: [RULE]`               |                            | RULE (no line names it)|
| `verdict: v`                            | VERDICT-<v>                | the other VERDICT-*    |
| `total: n` (a judged applicant)         | AGG-TOTAL                  |                        |
| `verdict: invalid_input`                |                            | AGG-TOTAL (no rule runs on data errors) |

So a points rule (PTS-*, BON-*, DED-*) fires when it adds a line that counts, and does not fire
when its line is absent, zero or not counted; PTS-EDU-OR-TITLE fires when it sets one of PTS-EDU
and PTS-TITLE aside (the reason of the line not counted), and does not fire where there is nothing to
choose between. Other keys, as in ../shared/spec/cases (checked by tests/test_acceptance.problems):
`total`, `at_risk`, `message_contains` (a string, or a list of strings each in some finding),
`checklist_include`, `checklist_exclude`, `earliest_eligible_prefix`. An unknown key fails the case.

A case the code gets wrong against ../shared/spec/policy.md keeps its policy expectation and says
so in `xfail_reason:`; it then runs as an expected failure (reported, not hidden).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from builders import with_path

from jifen_check import rulebook
from jifen_check.judge import judge
from tests.test_acceptance import problems

FOLDER = rulebook.RULESETS_DIR / rulebook.DEFAULT_RULESET
FILES = sorted((FOLDER / "tests").glob("*.yaml"))
VERDICT_RULES = {"eligible": "VERDICT-ELIGIBLE", "needs_review": "VERDICT-NEEDS-REVIEW",
                 "not_eligible": "VERDICT-NOT-ELIGIBLE"}
# Keys tests/test_acceptance.problems checks, and the ones added here.
SHARED_KEYS = {"verdict", "total", "lines", "not_counted", "lines_absent_or_zero", "message_contains",
               "findings_include", "findings_exclude", "checklist_include", "checklist_exclude",
               "earliest_eligible_prefix"}
OWN_KEYS = {"severity", "confidence", "line_status", "line_reasons", "reasons_exclude", "at_risk"}
CASE_KEYS = {"name", "change", "expect", "xfail_reason"}


def load_cases() -> list[dict[str, Any]]:
    """Every case of every test file, with its applicant built: {file, name, applicant, expect, xfail}."""
    out = []
    for path in FILES:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in doc["cases"]:
            applicant = copy.deepcopy(doc["base"])
            for field, value in (case.get("change") or {}).items():
                applicant = with_path(applicant, field, value)
            out.append({"file": path.stem, "name": f"{path.stem}: {case['name']}", "raw": case,
                        "applicant": applicant, "expect": case["expect"], "xfail": case.get("xfail_reason")})
    return out


CASES = load_cases()


def own_problems(expect: dict[str, Any], r: dict[str, Any]) -> list[str]:
    """The expectations this runner adds to those of tests/test_acceptance.problems."""
    bad = []
    by_rule = {}
    for f in r["findings"]:
        by_rule.setdefault(f["rule"], set()).add(f["severity"])
    for rule, severity in expect.get("severity", {}).items():
        if severity not in by_rule.get(rule, set()):
            bad.append(f"finding {rule} severities {sorted(by_rule.get(rule, set()))} lack {severity}")
    confidences: dict[str, set[str]] = {}
    for f in r["findings"]:
        confidences.setdefault(f["rule"], set()).add(f["confidence"])
    for rule, confidence in expect.get("confidence", {}).items():
        if confidence not in confidences.get(rule, set()):
            bad.append(f"finding {rule} confidences {sorted(confidences.get(rule, set()))} lack {confidence}")
    lines = {x["rule"]: x for x in r["score"]["lines"]}
    for rule, status in expect.get("line_status", {}).items():
        got = lines.get(rule, {}).get("status")
        if got != status:
            bad.append(f"line {rule} status {got} != {status}")
    for rule, reason in expect.get("line_reasons", {}).items():
        got = lines.get(rule, {}).get("reason")
        if got != reason:
            bad.append(f"line {rule} reason {got} != {reason}")
    reasons = {x.get("reason") for x in r["score"]["lines"]}
    bad += [f"a line has reason {x}" for x in expect.get("reasons_exclude", []) if x in reasons]
    if "at_risk" in expect and r["score"]["at_risk"] != expect["at_risk"]:
        bad.append(f"at_risk {r['score']['at_risk']} != {expect['at_risk']}")
    return bad


def all_problems(expect: dict[str, Any], r: dict[str, Any]) -> list[str]:
    shared = {k: v for k, v in expect.items() if k in SHARED_KEYS and k != "message_contains"}
    bad = problems(shared, r) + own_problems(expect, r)
    wanted = expect.get("message_contains", [])
    text = json.dumps(r["findings"], ensure_ascii=False)
    # str(): an unquoted 2026-11-19 in YAML is a date; the finding says it in ISO form.
    bad += [f"no finding mentions {w!r}" for w in map(str, wanted if isinstance(wanted, list) else [wanted])
            if w not in text]
    return bad


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_policy_case(case: dict[str, Any]) -> None:
    unknown = (set(case["expect"]) - SHARED_KEYS - OWN_KEYS) | (set(case["raw"]) - CASE_KEYS)
    assert not unknown, f"{case['name']}: unknown keys {sorted(unknown)}"
    bad = all_problems(case["expect"], judge(case["applicant"]).to_json_dict())
    if case["xfail"] and bad:
        pytest.xfail(f"{case['xfail']}: {bad}")
    assert bad == []


def fires(expect: dict[str, Any]) -> tuple[set[str], set[str]]:
    """The rules a case shows firing, and those it shows not firing (see the module docstring)."""
    yes = set(expect.get("findings_include", [])) | set(expect.get("severity", {})) | set(expect.get("confidence", {}))
    yes |= set(expect.get("lines", {})) | set(expect.get("line_reasons", {}).values())
    no = set(expect.get("findings_exclude", [])) | set(expect.get("not_counted", []))
    no |= set(expect.get("lines_absent_or_zero", [])) | set(expect.get("reasons_exclude", []))
    for rule, status in expect.get("line_status", {}).items():
        (no if status == "not_counted" else yes).add(rule)
    verdict = expect.get("verdict")
    if verdict in VERDICT_RULES:
        yes.add(VERDICT_RULES[verdict])
        no |= set(VERDICT_RULES.values()) - {VERDICT_RULES[verdict]}
        if "total" in expect:
            yes.add("AGG-TOTAL")
    elif verdict == "invalid_input":
        no |= set(VERDICT_RULES.values()) | {"AGG-TOTAL"}
    return yes, no


def rule_files() -> dict[str, str]:
    """Rule ID → the stem of the rules/*.yaml file that defines it."""
    out = {}
    for path in sorted((FOLDER / "rules").glob("*.yaml")):
        for rule in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            out[rule["id"]] = path.stem
    return out


def test_every_rule_fires_and_does_not_fire() -> None:
    """Each rule has a firing case and a non-firing case in the test file named like its rule file."""
    owners = rule_files()
    assert set(owners) == set(rulebook.load().rules), "rules/*.yaml and the loaded rulebook disagree"
    seen: dict[tuple[str, str], set[str]] = {}
    for case in CASES:
        yes, no = fires(case["expect"])
        unknown = (yes | no) - set(owners)
        assert not unknown, f"{case['name']}: no such rule {sorted(unknown)}"
        for rule in yes:
            seen.setdefault((case["file"], rule), set()).add("fires")
        for rule in no:
            seen.setdefault((case["file"], rule), set()).add("does not fire")
    missing = [f"{rule} ({file}.yaml): no case where it {what}"
               for rule, file in sorted(owners.items())
               for what in ("fires", "does not fire") if what not in seen.get((file, rule), set())]
    assert missing == [], "\n".join(missing)


def test_one_test_file_per_rule_file() -> None:
    assert {p.stem for p in FILES} == {p.stem for p in (FOLDER / "rules").glob("*.yaml")}


def test_there_are_policy_files_beside_the_rules() -> None:
    assert FILES and len(CASES) >= 9
    assert all(Path(p).parent.parent.name == rulebook.DEFAULT_RULESET for p in FILES)
