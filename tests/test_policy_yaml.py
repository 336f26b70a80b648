"""Policy tests written as data beside the rules (rulesets/<id>/tests/*.yaml), as OpenFisca keeps
them: a base applicant, cases that change a few fields, and what the result must show. Python tests
stay for code; these are for policy, readable and editable by a policy expert."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from builders import with_path

from jifen_check import rulebook
from jifen_check.judge import judge
from tests.test_acceptance import problems

FILES = sorted((rulebook.RULESETS_DIR / rulebook.DEFAULT_RULESET / "tests").glob("*.yaml"))


def cases() -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    out = []
    for path in FILES:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in doc["cases"]:
            applicant = copy.deepcopy(doc["base"])
            for field, value in (case.get("change") or {}).items():
                applicant = with_path(applicant, field, value)
            out.append((f"{path.stem}: {case['name']}", applicant, case["expect"]))
    return out


CASES = cases()


@pytest.mark.parametrize(("name", "applicant", "expect"), CASES, ids=[c[0] for c in CASES])
def test_policy_case(name: str, applicant: dict[str, Any], expect: dict[str, Any]) -> None:
    assert problems(expect, judge(applicant).to_json_dict()) == []


def test_there_are_policy_files_beside_the_rules() -> None:
    assert FILES and len(CASES) >= 9
    assert all(Path(p).parent.parent.name == rulebook.DEFAULT_RULESET for p in FILES)
