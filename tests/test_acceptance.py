"""The acceptance cases of ../shared/spec/cases (copied into tests/cases) through the real CLI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import check_json

CASES = sorted((Path(__file__).parent / "cases").glob("*.yaml"))


def problems(expect: dict[str, Any], r: dict[str, Any]) -> list[str]:
    bad = []
    if "verdict" in expect and r["verdict"] != expect["verdict"]:
        bad.append(f"verdict {r['verdict']} != {expect['verdict']}")
    if "total" in expect and r["score"]["total"] != expect["total"]:
        bad.append(f"total {r['score']['total']} != {expect['total']}")
    lines = {x["rule"]: x for x in r["score"]["lines"]}
    for rule, pts in expect.get("lines", {}).items():
        x = lines.get(rule)
        if not x or x["points"] != pts or x["status"] not in ("counted", "at_risk"):
            bad.append(f"line {rule}: {x} != {pts}")
    for rule in expect.get("not_counted", []):
        x = lines.get(rule)
        if x and x["status"] in ("counted", "at_risk") and x["points"]:
            bad.append(f"line {rule} counted")
    for rule in expect.get("lines_absent_or_zero", []):
        x = lines.get(rule)
        if x and x["points"] and x["status"] in ("counted", "at_risk"):
            bad.append(f"line {rule} = {x['points']} should be absent or 0")
    if "message_contains" in expect:
        text = json.dumps(r["findings"], ensure_ascii=False)
        if expect["message_contains"] not in text:
            bad.append(f"no finding mentions {expect['message_contains']!r}")
    found = {f["rule"] for f in r["findings"]}
    bad += [f"finding {x} missing" for x in expect.get("findings_include", []) if x not in found]
    bad += [f"finding {x} present" for x in expect.get("findings_exclude", []) if x in found]
    docs = {d["id"] for d in r["checklist"]}
    bad += [f"doc {x} missing" for x in expect.get("checklist_include", []) if x not in docs]
    bad += [f"doc {x} present" for x in expect.get("checklist_exclude", []) if x in docs]
    if "earliest_eligible_prefix" in expect and not str(r["earliest_eligible"] or "").startswith(
            expect["earliest_eligible_prefix"]):
        bad.append(f"earliest_eligible {r['earliest_eligible']}")
    return bad


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_acceptance_case(case: Path, tmp_path: Path) -> None:
    doc = yaml.safe_load(case.read_text(encoding="utf-8"))
    f = tmp_path / f"{case.stem}.yaml"
    f.write_text(yaml.safe_dump(doc["applicant"], allow_unicode=True, sort_keys=False), encoding="utf-8")
    code, result = check_json(f)
    assert result["format"] == "jifen-check/result@1"
    assert problems(doc["expect"], result) == []
    assert code == {"eligible": 0, "needs_review": 3, "not_eligible": 4, "invalid_input": 5}[result["verdict"]]


def test_there_are_cases() -> None:
    assert len(CASES) >= 5
