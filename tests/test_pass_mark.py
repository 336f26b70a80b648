"""The pass mark is the ruleset's parameter everywhere (issue 8): summary.pdf's histogram marks the
mark the results carry, not a constant."""

from __future__ import annotations

from jifen_check.batch.summary import RowSummary, Tally, summarise
from jifen_check.batch.summary_pdf import BIN_WIDTH, CHART_W, summary_context
from jifen_check.cli import judge_file
from tests.conftest import ROOT

TINY = ROOT / "tests" / "rulesets" / "tiny"


def _row(i: int, total: int, pass_mark: int | None, verdict: str = "eligible") -> RowSummary:
    return RowSummary(index=i, source=f"人员!{i + 2}", employee_no=f"E{i}", name="某人", id_number="", as_of="2026-11-18",
                      verdict=verdict, total=total, at_risk=0, problems=(), earliest_eligible=None, pdf=None,
                      pass_mark=pass_mark)


def _tally(*rows: RowSummary) -> Tally:
    tally = Tally()
    for row in rows:
        tally.add(row)
    return tally


def test_the_histogram_marks_the_results_pass_mark() -> None:
    ctx = summary_context(_tally(_row(0, 30, 25), _row(1, 10, 25, "not_eligible")), {})
    assert ctx["pass_mark"] == 25
    slots = len(ctx["hist_bars"])  # 0..30 in bins of 10
    assert slots == 4 and ctx["pass_x"] == 25 / BIN_WIDTH * CHART_W / slots
    assert [b.colour == "#3a8f4b" for b in ctx["hist_bars"]] == [False, False, False, True]


def test_the_axis_reaches_the_mark() -> None:
    ctx = summary_context(_tally(_row(0, 50, 120, "not_eligible")), {})
    assert ctx["pass_mark"] == 120 and len(ctx["hist_bars"]) == 13


def test_a_row_carries_its_rulesets_pass_mark() -> None:
    sample = str(ROOT / "samples" / "01-bachelor-degree.yaml")
    assert summarise(0, judge_file(sample, None, False).result, None).pass_mark == 120
    assert summarise(0, judge_file(sample, None, False, str(TINY)).result, None).pass_mark == 25


def test_invalid_rows_do_not_decide_the_mark_and_no_scores_draw_no_histogram() -> None:
    tally = _tally(_row(0, 0, 25, "invalid_input"))
    assert tally.pass_mark is None
    ctx = summary_context(tally, {})
    assert ctx["hist_bars"] == [] and ctx["pass_x"] is None
