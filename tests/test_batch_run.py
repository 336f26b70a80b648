"""Batch runs end to end: N in = N out in order, cells on errors, crash isolation, outputs."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from test_batch_helpers import AS_OF, si_row, staff, write_workbook

from jifen_check.batch import runner
from jifen_check.batch.pipeline import OutDirError, OutputExists, prepare_out_dir, run_batch
from jifen_check.batch.readers import read_input
from jifen_check.batch.runner import Options, pdf_names, safe_file_name


def run(inp: Path, out: Path, *, jobs: int = 1, pdf: bool = False, start_method: str | None = None, **kw):
    prepare_out_dir(out, overwrite=False)
    batch = read_input(inp)
    report = run_batch(batch, Options(out, AS_OF, pdf=pdf, **kw), label=inp.name, jobs=jobs,
                       start_method=start_method)
    results = [json.loads(line) for line in (out / "results.jsonl").read_text(encoding="utf-8").splitlines()]
    return report, results


def broken_staff() -> dict:
    sheets = staff(6)
    sheets["社保"][2]["缴费基数"] = "一万二"  # E003: non-numeric base
    sheets["人员"][3]["身份证号"] = sheets["人员"][3]["身份证号"][:17] + "0"  # E004: bad check char
    sheets["社保"].append(si_row("E999"))  # matches nobody
    sheets["人员"][4]["姓名"] = "=HYPERLINK(\"http://x\",\"点我\")"  # E005: formula injection
    return sheets


@pytest.fixture(scope="module")
def broken_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_workbook(tmp_path_factory.mktemp("in") / "staff.xlsx", broken_staff())


def test_n_in_n_out_in_order_with_cells_named(broken_book: Path, tmp_path: Path) -> None:
    report, results = run(broken_book, tmp_path / "out")
    assert [r["applicant"]["row"] for r in results] == [f"人员!{i}" for i in range(2, 8)]
    assert [r["applicant"]["employee_no"] for r in results] == [f"E{i:03d}" for i in range(1, 7)]
    verdicts = [r["verdict"] for r in results]
    assert verdicts[2] == verdicts[3] == "invalid_input"
    assert verdicts[0] == "eligible"
    base_error = next(f for f in results[2]["findings"] if f["severity"] == "error")
    assert base_error["message"].startswith("社保!D4: ") and "缴费基数必须是数字" in base_error["message"]
    assert base_error["evidence"] == ["社保!D4 (social_insurance[0].base)"]
    id_error = next(f for f in results[3]["findings"] if f["rule"] == "DATA-ID-NUMBER")
    assert id_error["message"].startswith("人员!C5: ")
    assert results[0]["applicant"]["id_number"].count("*") == 8  # masked
    assert report.tally.total == 6 and any("E999" in n.message for n in report.notices)
    assert not list((tmp_path / "out").glob("*.part"))


@pytest.mark.parametrize("start_method", [None, "spawn"])  # None: the default, forkserver on Linux
def test_parallel_run_matches_serial(broken_book: Path, tmp_path: Path, start_method: str | None) -> None:
    _, serial = run(broken_book, tmp_path / "a")
    _, parallel = run(broken_book, tmp_path / "b", jobs=2, start_method=start_method)
    assert parallel == serial


def test_crash_in_judge_is_isolated(broken_book: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = runner.judge

    def flaky(doc, **kw):
        if doc["person"].get("employee_no") == "E002":
            raise ZeroDivisionError("boom")
        return real(doc, **kw)

    monkeypatch.setattr(runner, "judge", flaky)
    report, results = run(broken_book, tmp_path / "out")
    assert len(results) == 6
    crashed = results[1]
    assert crashed["verdict"] == "invalid_input" and crashed["applicant"]["row"] == "人员!3"
    [finding] = crashed["findings"]
    assert finding["rule"] == "ERR-INTERNAL" and finding["message"].startswith("内部错误：")
    assert "Traceback" not in json.dumps(crashed, ensure_ascii=False)
    assert results[0]["verdict"] == "eligible"
    assert "ZeroDivisionError" in (tmp_path / "out" / "batch.log").read_text(encoding="utf-8")


def test_crash_in_a_forked_worker_is_isolated(broken_book: Path, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    real = runner.judge

    def flaky(doc, **kw):
        if doc["person"].get("employee_no") == "E006":
            raise RuntimeError("boom")
        return real(doc, **kw)

    monkeypatch.setattr(runner, "judge", flaky)  # 'fork' carries the patch into the workers
    _, results = run(broken_book, tmp_path / "out", jobs=2, start_method="fork")
    assert [r["applicant"]["row"] for r in results] == [f"人员!{i}" for i in range(2, 8)]
    assert results[5]["findings"][0]["rule"] == "ERR-INTERNAL"


def test_dead_worker_is_replaced(broken_book: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    real = runner.judge

    def fatal(doc, **kw):
        if doc["person"].get("employee_no") == "E002":
            os._exit(3)  # not an exception: the worker process dies
        return real(doc, **kw)

    monkeypatch.setattr(runner, "judge", fatal)
    _, results = run(broken_book, tmp_path / "out", jobs=2, start_method="fork")
    assert len(results) == 6
    assert results[1]["findings"][0]["rule"] == "ERR-INTERNAL"
    assert results[0]["verdict"] == "eligible" and results[5]["verdict"] == "eligible"


def test_summary_xlsx_content_and_formula_escaping(broken_book: Path, tmp_path: Path) -> None:
    run(broken_book, tmp_path / "out")
    wb = load_workbook(tmp_path / "out" / "summary.xlsx")
    assert wb.sheetnames == ["汇总", "问题清单", "统计", "未匹配行", "行动清单"]  # 行动清单: routes (issue 10)
    ws = wb["汇总"]
    # Names stay in view (issue 11); no enum codes in the sheet (results.jsonl keeps them).
    assert ws.freeze_panes == "E2" and ws.auto_filter.ref == "A1:N7"  # N: 下一步 (issue 10)
    header = [c.value for c in ws[1]]
    assert header[:7] == ["序号", "来源行", "工号", "姓名", "身份证号", "申请日期", "结论"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert [r[2] for r in rows] == [f"E{i:03d}" for i in range(1, 7)]
    assert rows[0][6] == "符合申请条件" and rows[2][6] == "输入数据有误，无法判断"
    assert "*" in rows[0][4]
    injected = ws.cell(6, 4)
    assert injected.value == '=HYPERLINK("http://x","点我")'
    assert injected.data_type == "s" and injected.quotePrefix  # literal text, never a formula
    assert ws.cell(2, 7).fill.fgColor.rgb.endswith("C6EFCE")
    counts = {r[0]: r[1] for r in wb["统计"].iter_rows(min_row=2, max_row=5, values_only=True)}
    assert counts["输入数据有误，无法判断"] == 2 and sum(counts.values()) == 6
    unmatched = list(wb["未匹配行"].iter_rows(min_row=2, values_only=True))
    assert unmatched[0][:3] == ("社保!8", "未匹配的行", "E999")


def test_summary_keeps_a_text_that_reads_like_an_error_code_as_text(tmp_path: Path) -> None:
    # A name "#N/A" (from a CSV or JSON input): openpyxl on its own would store an error value.
    from openpyxl import Workbook

    from jifen_check.batch.summary_xlsx import _sheet, text_cell

    wb = Workbook(write_only=True)
    ws = _sheet(wb, "s", {})
    ws.append([text_cell(ws, "#N/A"), text_cell(ws, "#REF!"), text_cell(ws, "张三")])
    wb.save(tmp_path / "t.xlsx")
    row = load_workbook(tmp_path / "t.xlsx")["s"][1]
    assert [(c.value, c.data_type) for c in row] == [("#N/A", "s"), ("#REF!", "s"), ("张三", "s")]


def test_pdfs_and_summary_pdf(tmp_path: Path) -> None:
    sheets = staff(3)
    sheets["社保"][1]["月份"] = "2026-06..2026-11"  # E002: 6-of-12 fails today, cured by time
    sheets["人员"][2]["姓名"] = "王/小:明"
    inp = write_workbook(tmp_path / "p.xlsx", sheets)
    out = tmp_path / "out"
    _, results = run(inp, out, jobs=2, pdf=True)
    pdfs = sorted(p.name for p in (out / "checklists").glob("*.pdf"))
    assert pdfs == ["E001-员工1.pdf", "E002-员工2.pdf", "E003-王_小_明.pdf"]
    ws = load_workbook(out / "summary.xlsx")["汇总"]
    assert ws.cell(2, 13).hyperlink.target == "checklists/E001-员工1.pdf"
    text = "".join(page.extract_text() for page in PdfReader(out / "summary.pdf").pages)
    assert "结论统计" in text and "分数分布" in text and "员工2" in text
    assert results[1]["verdict"] == "not_eligible" and results[1]["earliest_eligible"]
    assert "6 个月内可达到申请条件的人员（1 人）" in text
    assert b"<rect" not in (out / "summary.pdf").read_bytes()  # drawn as vector graphics, not left as markup
    if shutil.which("pdffonts"):  # chart labels too: no fallback font (SVG text ignores the page CSS)
        fonts = subprocess.run(["pdffonts", str(out / "summary.pdf")], capture_output=True, text=True).stdout
        names = {line.split()[0].split("+")[-1] for line in fonts.splitlines()[2:]}
        assert names and all(n.startswith("Noto-Sans-CJK-SC") for n in names), names


def test_interrupt_leaves_no_partial_files(broken_book: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    prepare_out_dir(out, overwrite=False)
    seen = []

    def interrupt(outcome) -> None:
        seen.append(outcome)
        if len(seen) == 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_batch(read_input(broken_book), Options(out, AS_OF, pdf=False), label="x", jobs=2, on_result=interrupt)
    assert sorted(p.name for p in out.iterdir()) == []


def test_refuses_non_empty_output_unless_overwrite(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "checklists").mkdir(parents=True)
    (out / "results.jsonl").write_text("old")
    (out / "checklists" / "old.pdf").write_text("old")
    (out / "keep.txt").write_text("mine")
    with pytest.raises(OutputExists, match="--overwrite"):
        prepare_out_dir(out, overwrite=False)
    # Issue 9 #3: files the tool did not make (no manifest lists them) are no longer deleted.
    with pytest.raises(OutDirError, match="不是本工具生成的"):
        prepare_out_dir(out, overwrite=True)
    assert (out / "results.jsonl").read_text() == "old" and (out / "checklists" / "old.pdf").exists()
    (out / ".jifen-check-manifest").write_text('{"file": "results.jsonl"}\n{"file": "checklists/old.pdf"}\n')
    prepare_out_dir(out, overwrite=True).release()
    assert not (out / "results.jsonl").exists() and not (out / "checklists" / "old.pdf").exists()
    assert (out / "keep.txt").read_text() == "mine"  # only our own files are removed


def test_yaml_folder_batch(tmp_path: Path) -> None:
    samples = Path(__file__).resolve().parents[1] / "samples"
    _, results = run(samples, tmp_path / "out")
    names = sorted(p.name for p in samples.iterdir() if p.suffix in (".yaml", ".yml", ".json"))
    assert [r["applicant"]["row"] for r in results] == names


def test_file_names_are_sanitised_and_unique() -> None:
    assert safe_file_name('a/b\\c:d*e?"f<g>h|') == "a_b_c_d_e_f_g_h_"
    assert safe_file_name("..") == "applicant"
    from jifen_check.batch.readers import SheetPerson

    items = [SheetPerson(i, f"人员!{i}", (i, ()), employee_no="E1", name="张三") for i in range(3)]
    assert pdf_names(items) == ["E1-张三", "E1-张三-2", "E1-张三-3"]


def test_non_error_evidence_gets_cells_too(tmp_path: Path) -> None:
    sheets = staff(1)
    sheets["社保"] = [si_row("E001", "2021-03..2025-01"), si_row("E001", "2025-02") | {"补缴": "是"},
                     si_row("E001", "2025-03..2026-11")]
    _, [result] = run(write_workbook(tmp_path / "bp.xlsx", sheets), tmp_path / "out")
    backpay = next(f for f in result["findings"] if f["rule"] == "PIT-BACKPAY")
    assert backpay["evidence"] == ["社保!3 (social_insurance[1])"]
    assert not backpay["message"].startswith("社保!")
