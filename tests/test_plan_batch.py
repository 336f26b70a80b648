"""Routes in batch outputs (issue 10): 下一步 in summary.xlsx, the 行动清单 sheet, and who can apply
now / within 3, 6, 12 months in summary.pdf — through the real `batch` command."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
from pathlib import Path

from openpyxl import load_workbook
from pypdf import PdfReader

CLI = Path(sys.executable).with_name("jifen-check")
SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def test_batch_routes_columns_action_sheet_and_summary_pdf(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("01-bachelor-degree", "07-fails-6-of-12", "10-backpay-and-mismatch",
                 "11-needs-review-title-appointment"):
        shutil.copy(SAMPLES / f"{name}.yaml", folder / f"{name}.yaml")
    out = tmp_path / "out"
    done = subprocess.run([str(CLI), "batch", str(folder), "--out", str(out), "--as-of", "2026-11-18"],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    results = {r["applicant"]["name"]: r for r in map(json.loads, (out / "results.jsonl").read_text("utf-8").splitlines())}
    assert results["林书瑶"]["routes"][0]["eligible_on"] == "2026-12-18"
    assert results["孙雨桐"]["routes"][0]["points_then"] == 136

    wb = load_workbook(out / "summary.xlsx")
    main = list(wb["汇总"].iter_rows(values_only=True))
    col = main[0].index("下一步")
    next_step = {r[3]: r[col] for r in main[1:]}
    assert "个税进行更正申报" in next_step["林书瑶"] and next_step["林书瑶"].startswith("【单位财务】")
    assert "聘书" in next_step["孙雨桐"]
    actions = list(wb["行动清单"].iter_rows(values_only=True))
    assert actions[0][:6] == ("工号", "姓名", "序号", "步骤", "办理人", "日期")
    by_name = {r[1]: r for r in actions[1:]}
    # issue 11: dates are real date cells (they sort and filter), not ISO text
    assert by_name["林书瑶"][4] == "单位财务" and by_name["林书瑶"][5] == dt.datetime(2026, 12, 18)
    assert by_name["孙雨桐"][5] == dt.datetime(2026, 11, 18)
    assert wb["行动清单"].auto_filter.ref and all(isinstance(r[5], dt.datetime) for r in actions[1:])

    text = "".join(p.extract_text() for p in PdfReader(out / "summary.pdf").pages)
    assert "何时可以申请" in text and "3 个月内可申请" in text
    section = text[text.index("3 个月内可申请（"):]
    for name in ("林书瑶", "孙雨桐"):
        assert name in section
