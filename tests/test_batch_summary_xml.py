"""summary.xlsx's rows are written as XML text by the summary (summary_xlsx.CellSheet._write_row)
instead of through openpyxl cell by cell: the sheets must hold exactly the bytes openpyxl writes."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from jifen_check.batch import summary_xlsx
from jifen_check.batch.readers import Notice
from jifen_check.batch.summary import ProblemRow, RowSummary, Tally
from jifen_check.batch.summary_xlsx import SummaryWorkbook

TEXTS = (
    "张三", "", " ", "  前后有空格 ", "\t制表", "=1+1", "+86 138", "-5", "@x", "#N/A", "#REF!",
    "a & b < c > d \"q\" 'a'", "两行\n文字", "回车\r\n文字", "控制\x0b字符\x00", "孤\ud800代理", "\ufffe\uffff",
    "_x0000_", "长" * 40_000, "]]>", "🀄 𠮷",
)


def _rows() -> list[RowSummary]:
    rows = []
    for i, text in enumerate(TEXTS):
        problem = ProblemRow("DATA-X", "error" if i % 2 else "warning", f"社保!C{i + 2}", text, text,
                             "2027-01-31" if i % 3 else None)
        rows.append(RowSummary(
            index=i, source=f"人员!{i + 2}", employee_no=text, name=text, id_number=text,
            as_of="2026-11-18" if i % 2 else text, verdict=("eligible", "needs_review", "not_eligible",
                                                            "invalid_input")[i % 4],
            total=10 ** (i % 19) * (1 if i % 2 else -1), at_risk=i, problems=(problem,) * (i % 3),
            earliest_eligible=("2030-11-01", None, "not a date", "2026-13-40")[i % 4],
            pdf=f"checklists/{i}.pdf" if i % 5 == 0 else None, extra=(("部门", text),),
            steps=((text, "HR", "2027-02-01" if i % 2 else text, "截止"),) * (i % 2), reach_on="2028-01-01",
        ))
    return rows


def _sheets(path: Path, monkeypatch: pytest.MonkeyPatch | None = None) -> dict[str, bytes]:
    if monkeypatch is not None:  # every cell through openpyxl, as before the summary wrote rows itself
        monkeypatch.setattr(summary_xlsx, "_cell_xml", lambda *_: None)
    book = SummaryWorkbook(path, ("部门",), "zh")
    tally = Tally()
    for row in _rows():
        book.add(row)
        tally.add(row)
    book.close(tally, [Notice("社保!5", "未匹配的行", "=工号 X & <y>", "X1")], {"输入": "a.xlsx", "人数": "21"})
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist() if n.startswith("xl/")}


def test_rows_are_the_bytes_openpyxl_writes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ours = _sheets(tmp_path / "ours.xlsx")
    theirs = _sheets(tmp_path / "openpyxl.xlsx", monkeypatch)
    assert ours.keys() == theirs.keys()
    for name in ours:
        assert ours[name] == theirs[name], name
    assert b'xml:space="preserve"' in ours["xl/worksheets/sheet1.xml"]  # padded text went through openpyxl
    assert b"<hyperlink" in ours["xl/worksheets/sheet1.xml"]  # and the links
