"""The batch summary HR can act on (issue 11): the most urgent problem for every row, HR's own columns
carried through, real number and date cells, wrapped text, print setup, a sheet of one row per problem,
summary.pdf naming the problem once per person, the template's example row skipped."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from test_batch_helpers import AS_OF, staff, write_workbook

from jifen_check.batch.pipeline import prepare_out_dir, run_batch
from jifen_check.batch.readers import read_input
from jifen_check.batch.runner import Options


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    sheets = staff(4)
    sheets["人员"][1]["居住证有效期至"] = AS_OF + dt.timedelta(days=20)  # E002: eligible, permit expiring
    sheets["社保"][2]["缴费基数"] = "一万二"  # E003: invalid input
    # The clerk left the template's example row in, and added the company's own columns.
    inp = write_workbook(tmp_path_factory.mktemp("in") / "staff.xlsx", sheets, keep_example=True)
    wb = load_workbook(inp)
    ws = wb["人员"]
    first = ws.max_column + 1
    ws.cell(1, first, "部门")
    ws.cell(1, first + 1, "成本中心")
    for row in range(3, ws.max_row + 1):  # row 2 is the example
        ws.cell(row, first, f"研发{row - 3}部")
        ws.cell(row, first + 1, f"CC-{row - 3}")
    wb.save(inp)
    folder = tmp_path_factory.mktemp("run") / "out"
    prepare_out_dir(folder, overwrite=False)
    batch = read_input(inp)
    run_batch(batch, Options(folder, AS_OF, pdf=True), label=inp.name, jobs=1)
    return folder


def results(out: Path) -> list[dict]:
    return [json.loads(x) for x in (out / "results.jsonl").read_text(encoding="utf-8").splitlines()]


def test_example_row_is_skipped_with_a_note(out: Path) -> None:
    got = results(out)
    assert [r["applicant"]["employee_no"] for r in got] == ["E001", "E002", "E003", "E004"]
    notes = list(load_workbook(out / "summary.xlsx")["未匹配行"].iter_rows(min_row=2, values_only=True))
    assert any(n[1] == "示例行" and "示例 张三" in n[3] for n in notes)
    assert not any("示例001" in str(n) and n[1] == "未匹配的行" for n in notes)


def test_hr_columns_are_carried_through(out: Path) -> None:
    got = results(out)
    assert got[0]["applicant"]["extra"] == {"部门": "研发0部", "成本中心": "CC-0"}
    ws = load_workbook(out / "summary.xlsx")["汇总"]
    header = [c.value for c in ws[1]]
    assert header[:6] == ["序号", "来源行", "工号", "姓名", "部门", "成本中心"]
    assert ws.cell(3, 5).value == "研发1部"


def test_most_urgent_problem_for_every_row_and_real_cells(out: Path) -> None:
    wb = load_workbook(out / "summary.xlsx")
    ws = wb["汇总"]
    header = [c.value for c in ws[1]]
    col = {name: header.index(name) + 1 for name in header}
    e002 = 3
    assert ws.cell(e002, col["结论"]).value == "符合申请条件"
    assert "居住证将于" in ws.cell(e002, col["最需处理"]).value  # eligible, and still told
    assert ws.cell(e002, col["最需处理"]).alignment.wrap_text
    assert isinstance(ws.cell(e002, col["申请日期"]).value, dt.datetime)
    assert ws.cell(e002, col["申请日期"]).number_format == "yyyy-mm-dd"
    assert isinstance(ws.cell(e002, col["总分"]).value, int)
    assert not any("…" in str(c.value) for row in ws.iter_rows() for c in row)  # wrapped, never cut
    counts = wb["统计"]
    assert isinstance(counts.cell(2, 2).value, int) and isinstance(counts.cell(2, 3).value, float)
    assert counts.cell(2, 3).number_format == "0%"


def test_print_setup(out: Path) -> None:
    ws = load_workbook(out / "summary.xlsx")["汇总"]
    assert ws.page_setup.orientation == "landscape"
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    assert ws.print_title_rows == "$1:$1"
    assert ws.freeze_panes == "E2"  # 序号, 来源行, 工号, 姓名 stay in view


def test_one_row_per_problem_sheet(out: Path) -> None:
    ws = load_workbook(out / "summary.xlsx")["问题清单"]
    assert [c.value for c in ws[1]][:6] == ["位置", "工号", "姓名", "级别", "问题", "办法"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    base = next(r for r in rows if r[1] == "E003")
    assert base[0] == "社保!D5" and "缴费基数必须是数字" in base[4] and not base[4].startswith("社保!")
    assert any(r[1] == "E002" and "居住证" in r[4] for r in rows)


def test_summary_pdf_names_the_problem_once(out: Path) -> None:
    text = "".join(p.extract_text() for p in PdfReader(out / "summary.pdf").pages)
    assert "符合条件、但递交前须先处理的人员（1 人）" in text
    assert "积分达到标准分值" not in text  # the requirement is not the problem
    assert text.count("缴费基数必须是数字") == 1
    assert "PRE-" not in text and "PIT-" not in text and "DATA-" not in text
