"""summary.xlsx's columns are a table (issue 8): each column is one OutColumn entry (header, width,
how a row fills it), so a new column is one entry and nothing positional has to follow it."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from jifen_check.batch import summary_xlsx as sx
from jifen_check.batch.summary import ProblemRow, RowSummary, Tally

ROW = RowSummary(index=0, source="人员!2", employee_no="E001", name="张三", id_number="320102********1232",
                 as_of="2026-11-18", verdict="not_eligible", total=100, at_risk=0,
                 problems=(ProblemRow("PRE-SI-6OF12", "blocker", "社保!C3", "近 12 个月缴费不足 6 个月", "继续缴纳"),),
                 earliest_eligible="2027-03-01", pdf=None, extra=(("部门", "研发部"),),
                 steps=(("继续缴纳社保", "本人", "2027-03-01", "生效"),), pass_mark=120)


def _write(path: Path) -> None:
    book = sx.SummaryWorkbook(path, extra_headers=("部门",))
    book.add(ROW)
    tally = Tally()
    tally.add(ROW)
    book.close(tally, [], {})


def _sheet(path: Path, name: str) -> list[tuple]:
    return list(load_workbook(path)[name].iter_rows(values_only=True))


def test_headers_come_from_the_tables(tmp_path: Path) -> None:
    _write(tmp_path / "s.xlsx")
    main = _sheet(tmp_path / "s.xlsx", "汇总")
    assert main[0] == (*[c.zh for c in sx.LEAD_COLUMNS], "部门", *[c.zh for c in sx.MAIN_COLUMNS])
    assert main[1][:5] == (1, "人员!2", "E001", "张三", "研发部")
    assert _sheet(tmp_path / "s.xlsx", "问题清单")[0] == tuple(c.zh for c in sx.PROBLEM_COLUMNS)
    actions = _sheet(tmp_path / "s.xlsx", "行动清单")
    assert actions[0] == tuple(c.zh for c in sx.ACTION_COLUMNS) and actions[1][3] == "继续缴纳社保"


def test_a_new_column_is_one_entry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    added = sx.OutColumn("合格线", "Pass mark", 8, sx._text(lambda r: r.pass_mark))
    monkeypatch.setattr(sx, "MAIN_COLUMNS", (*sx.MAIN_COLUMNS[:3], added, *sx.MAIN_COLUMNS[3:]))
    _write(tmp_path / "s.xlsx")
    header, row = _sheet(tmp_path / "s.xlsx", "汇总")[:2]
    at = header.index("合格线")
    assert header[at - 1] == "结论" and header[at + 1] == "总分"
    assert row[at] == 120 and row[at - 1] == "暂不符合申请条件" and row[at + 1] == 100
    ws = load_workbook(tmp_path / "s.xlsx")["汇总"]
    assert ws.auto_filter.ref.endswith(f"{ws.cell(1, len(header)).column_letter}2")


def test_text_that_is_no_xml_character_becomes_a_replacement_mark(tmp_path: Path) -> None:
    """U+FFFE/U+FFFF (a JSON file's \\uffff, a workbook's _xFFFF_) are no XML characters: written as
    they are, the sheet would not parse and Excel would call the whole summary damaged."""
    row = RowSummary(**{**ROW.__dict__, "name": "张\uffff三", "employee_no": "E\ufffe01", "steps": ()})
    book = sx.SummaryWorkbook(tmp_path / "s.xlsx")
    book.add(row)
    book.close(Tally(), [], {})
    main = _sheet(tmp_path / "s.xlsx", "汇总")
    assert main[1][2:4] == ("E\ufffd01", "张\ufffd三")
    assert _sheet(tmp_path / "s.xlsx", "问题清单")[1][1:3] == ("E\ufffd01", "张\ufffd三")
