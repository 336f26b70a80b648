"""One severity order (issue 8): `result.SEVERITY_ORDER`, used by the judge, the text report, the
checklist PDF and the batch's problem lists. No other module spells out an order of its own."""

from __future__ import annotations

import ast
from pathlib import Path

from jifen_check.batch.summary import problem_rows
from jifen_check.cli import judge_file
from jifen_check.render.handover import Handover
from jifen_check.render.text import render_text
from jifen_check.result import SEVERITY_ORDER, Result
from tests.conftest import ROOT

PACKAGE = ROOT / "jifen_check"
SEVERITIES = set(SEVERITY_ORDER)


def _severity_sequences(path: Path) -> list[int]:
    """Lines of list/tuple literals or dicts naming three or more severities: an order of their own."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        items = node.elts if isinstance(node, (ast.List, ast.Tuple)) else node.keys if isinstance(node, ast.Dict) else []
        words = {n.value for n in items if isinstance(n, ast.Constant) and isinstance(n.value, str)}
        if len(words & SEVERITIES) >= 3:
            found.append(node.lineno)
    return found


def test_only_result_py_spells_out_a_severity_order() -> None:
    spelled = {str(p.relative_to(ROOT)): lines for p in sorted(PACKAGE.rglob("*.py"))
               if (lines := _severity_sequences(p))}
    assert spelled == {"jifen_check/result.py": spelled.get("jifen_check/result.py")}
    assert spelled["jifen_check/result.py"]


def test_the_finder_sees_an_order_of_its_own(tmp_path: Path) -> None:
    f = tmp_path / "m.py"
    f.write_text('ORDER = ("blocker", "error", "review", "warning")\n', encoding="utf-8")
    assert _severity_sequences(f) == [1]


MESSAGE = {"error": "甲项数据有误", "blocker": "乙项不满足", "review": "丙项待复核"}


def _shuffled() -> Result:
    """Sample 01's result with a review, a blocker and an error finding, least urgent first."""
    result = judge_file(str(ROOT / "samples" / "01-bachelor-degree.yaml"), None, False).result
    base = result.findings[0]
    made = [base.model_copy(update={"rule": rule, "severity": sev, "message": MESSAGE[sev], "evidence": [],
                                    "deadline": None})
            for rule, sev in (("PIT-TITLE-MATCH", "review"), ("GATE-SI-6OF12", "blocker"), ("DATA-FORMAT", "error"))]
    return result.model_copy(update={"verdict": "invalid_input", "findings": made})


def test_every_renderer_lists_severities_in_the_one_order() -> None:
    result = _shuffled()
    assert [c["message"] for c in Handover(result).corrections()] == [MESSAGE["error"], MESSAGE["blocker"]]
    assert [p.severity for p in problem_rows(result)] == ["error", "blocker", "review"]
    text = render_text(result)
    positions = [text.index(MESSAGE[s]) for s in ("error", "blocker", "review")]
    assert positions == sorted(positions)
