"""Independent acceptance cases written from policy.md alone (tests/cases_qa), judged in-process.

The same expectation keys as ../shared/spec/cases; the shared cases themselves go through the real
CLI in test_acceptance.py. Cases where the spec reads two ways are not here (see README).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from jifen_check.judge import judge
from tests.test_acceptance import problems

CASES = sorted((Path(__file__).parent / "cases_qa").glob("*.yaml"))


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_qa_case(case: Path) -> None:
    doc = yaml.safe_load(case.read_text(encoding="utf-8"))
    result = judge(doc["applicant"]).to_json_dict()
    assert problems(doc["expect"], result) == []


def test_there_are_qa_cases() -> None:
    assert len(CASES) >= 100
