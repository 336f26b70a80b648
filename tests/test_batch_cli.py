"""The real `jifen-check template` / `jifen-check batch` commands, run as a user runs them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from openpyxl import load_workbook
from test_batch_helpers import si_row, staff, write_csv_folder, write_workbook

from jifen_check.batch.columns import GUIDE_SHEET, SHEETS

CLI = Path(sys.executable).with_name("jifen-check")
SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def cli(*args: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(CLI), *map(str, args)], capture_output=True, text=True, timeout=300)


def test_template_command_writes_a_documented_workbook(tmp_path: Path) -> None:
    path = tmp_path / "staff.xlsx"
    done = cli("template", path)
    assert done.returncode == 0, done.stderr
    wb = load_workbook(path)
    assert wb.sheetnames[:7] == [s.title for s in SHEETS] and GUIDE_SHEET in wb.sheetnames
    persons = wb["人员"]
    assert persons.freeze_panes == "C2"  # 工号 and 姓名 stay in view (issue 11)
    guide = " ".join(str(r[0]) for r in wb[GUIDE_SHEET].iter_rows(values_only=True) if r[0])
    assert "随申办" in guide and "个人所得税" in guide and "无固定期限" in guide
    headers = [c.value for c in persons[1]]
    assert headers[:3] == ["工号", "姓名", "身份证号"]
    kind = headers.index("单位类型") + 1
    assert persons.cell(2, kind).value == "企业"
    letters = {str(dv.sqref).split(":")[0][:-1] for dv in persons.data_validations.dataValidation}
    enum_cols = [i for i, c in enumerate(SHEETS[0].columns, 1) if c.options]
    assert len(letters) == len(enum_cols)
    start = headers.index("合同开始日期") + 1
    assert persons.cell(2, start).is_date and persons.cell(2, start).number_format == "yyyy-mm-dd"
    guide_fields = {r[2] for r in wb[GUIDE_SHEET].iter_rows(values_only=True) if r[2]}
    assert {c.field for s in SHEETS for c in s.columns} <= guide_fields
    again = cli("template", path)
    assert again.returncode == 2 and "--overwrite" in again.stderr


def test_batch_command_on_the_sample_workbook(tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = cli("batch", SAMPLES / "staff.xlsx", "--out", out, "--as-of", "2026-11-18", "--no-pdf")
    assert done.returncode == 5, done.stderr  # formats.md: every row has a result, some are invalid_input
    assert "Traceback" not in done.stderr
    assert "共 30 人" in done.stdout
    assert "E999" in done.stderr  # the 社保 row that matches nobody
    results = [json.loads(x) for x in (out / "results.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(results) == 30
    by_no = {r["applicant"]["employee_no"]: r for r in results}
    assert by_no["E028"]["verdict"] == "invalid_input"
    assert any(f["message"].startswith("社保!") for f in by_no["E028"]["findings"])
    assert by_no["E029"]["verdict"] == "invalid_input"
    assert not (out / "checklists").exists() and not (out / "summary.pdf").exists()
    refused = cli("batch", SAMPLES / "staff.xlsx", "--out", out)
    assert refused.returncode == 2 and "--overwrite" in refused.stderr
    again = cli("batch", SAMPLES / "staff.xlsx", "--out", out, "--no-pdf", "--overwrite", "--jobs", "1")
    assert again.returncode == 5, again.stderr


def test_batch_command_on_a_csv_folder_with_pdfs(tmp_path: Path) -> None:
    sheets = staff(2)
    sheets["社保"].append(si_row("E404"))
    folder = write_csv_folder(tmp_path / "csv", sheets)
    out = tmp_path / "out"
    done = cli("batch", folder, "--out", out, "--as-of", "2026-11-18", "--show-id")
    assert done.returncode == 0, done.stderr
    results = [json.loads(x) for x in (out / "results.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["applicant"]["row"] for r in results] == ["人员!2", "人员!3"]
    assert "*" not in results[0]["applicant"]["id_number"]  # --show-id
    assert sorted(p.name for p in (out / "checklists").iterdir()) == ["E001-员工1.pdf", "E002-员工2.pdf"]
    assert (out / "summary.pdf").stat().st_size > 0
    assert "E404" in done.stderr


def test_fatal_and_usage_errors_have_messages_not_tracebacks(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xlsx"
    bad.write_text("not a workbook")
    fatal = cli("batch", bad, "--out", tmp_path / "o1")
    assert fatal.returncode == 7 and "bad.xlsx" in fatal.stderr and "Traceback" not in fatal.stderr
    assert "EOCD" not in fatal.stderr and "错误：" in fatal.stderr  # the zip library's English stays out
    assert not (tmp_path / "o1").exists()  # a refused input leaves no empty output folder
    missing = cli("batch", tmp_path / "nope.xlsx", "--out", tmp_path / "o2")
    assert missing.returncode == 2
    no_out = cli("batch", bad)
    assert no_out.returncode == 2 and "--out" in no_out.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    nothing = cli("batch", empty, "--out", tmp_path / "o3")
    assert nothing.returncode == 7 and "人员.csv" in nothing.stderr


def test_crash_free_on_a_broken_workbook(tmp_path: Path) -> None:
    sheets = staff(3)
    sheets["人员"][1]["居住证状态"] = "很好"
    sheets["社保"][2]["月份"] = "去年"
    inp = write_workbook(tmp_path / "in.xlsx", sheets)
    done = cli("batch", inp, "--out", tmp_path / "out", "--no-pdf", "--as-of", "2026-11-18")
    assert done.returncode == 5, done.stderr
    results = [json.loads(x) for x in (tmp_path / "out" / "results.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["verdict"] for r in results] == ["eligible", "invalid_input", "invalid_input"]
    assert results[1]["findings"][0]["message"].startswith("人员!")
    assert results[2]["findings"][0]["message"].startswith("社保!C4")
