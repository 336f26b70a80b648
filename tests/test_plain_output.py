"""Every output a person reads speaks plain Chinese: no enum codes, field paths or rule IDs in sentences."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from jifen_check.batch.columns import SHEETS
from jifen_check.render.plain import PATH_RE, Words, labels
from tests.conftest import ROOT, run_cli

SAMPLES = sorted((ROOT / "samples").glob("*.yaml"))


def enum_codes() -> set[str]:
    codes = {code for table in ("verdict", "severity", "status", "confidence", "kind")
             for code in labels()[table]}
    codes |= {code for sheet in SHEETS for col in sheet.columns for code, _ in col.options
              if not code.isdigit() and code not in ("true", "false")}
    return codes


CODE_RE = re.compile(r"(?<![\w-])(" + "|".join(sorted(enum_codes(), key=len, reverse=True)) + r")(?![\w-])")
SNAKE_RE = re.compile(r"(?<![\w.])[a-z]+_[a-z_]+(?![\w])")


def leaks(text: str) -> list[str]:
    """English codes, snake_case names and field paths found in a text meant for people."""
    found = [m.group(0) for m in CODE_RE.finditer(text)]
    found += [m.group(0) for m in PATH_RE.finditer(text)]
    found += [m.group(0) for m in SNAKE_RE.finditer(text)]
    return found


def test_the_leak_check_catches_what_it_should() -> None:
    assert leaks("结论：符合（eligible）") == ["eligible"]
    assert "social_insurance[3].base" in leaks("依据：social_insurance[3].base")
    assert "si_base_points" in leaks("事实 si_base_points")
    assert leaks("依据：沪府规〔2022〕21号 第七条；社保第 4 行 · 缴费基数") == []


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_text_report_of_every_sample_is_plain(sample: Path) -> None:
    p = run_cli("check", str(sample))
    text = p.stdout.decode()
    assert text.startswith("结论：") and not leaks(text), leaks(text)
    assert not re.search(r"[A-Z]{2,}-[A-Z0-9]+(-[A-Z0-9]+)*", text), "rule IDs only with --rule-ids"
    assert "依据：" in text


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_json_messages_of_every_sample_are_plain(sample: Path) -> None:
    p = run_cli("check", str(sample), "--format", "json")
    result = json.loads(p.stdout)
    for f in result["findings"]:
        assert not leaks(f["message"]) and not leaks(f["remedy"]), f
    for line in result["score"]["lines"]:
        assert not leaks(line["detail"]), line


def test_field_paths_read_as_labels() -> None:
    w = Words()
    assert w.field("social_insurance[3].base") == "社保第 4 行 · 缴费基数"
    assert w.field("income_tax") == "个税纳税记录"
    assert w.field("education[2]") == "学历第 3 行"
    assert w.field("person.hukou_province") == "户籍省份"
    assert w.prose("social_insurance[0].base: 应为数字；与 income_tax[2] 重复") == \
        "社保第 1 行 · 缴费基数：应为数字；与 个税第 3 行 重复"


def test_every_applicant_field_has_a_label_in_both_languages() -> None:
    from jifen_check.applicant import Applicant

    def paths(model: type, prefix: str) -> list[str]:
        import typing

        from pydantic import BaseModel
        out = []
        for name, field in model.model_fields.items():
            path = f"{prefix}.{field.alias or name}" if prefix else (field.alias or name)
            out.append(path)
            for arg in typing.get_args(field.annotation) or (field.annotation,):
                for inner in typing.get_args(arg) or (arg,):
                    if isinstance(inner, type) and issubclass(inner, BaseModel):
                        out += paths(inner, path)
        return out

    data = labels()
    for path in paths(Applicant, ""):
        assert path in data["fields"] or path in data["lists"], f"no label for {path}"
        entry = data["fields"].get(path) or data["lists"][path]["list"]
        assert len(entry) == 2 and all(entry), path


def test_labels_agree_with_the_template_headers() -> None:
    """The template's column headers and the report's labels are the same words."""
    fields = labels()["fields"]
    for sheet in SHEETS:
        for col in sheet.columns:
            key = col.field if sheet.list_path is None else f"{sheet.list_path}.{col.field}"
            if key in fields and sheet.key != "family":
                assert fields[key][0] == col.header or col.header in fields[key][0], (key, col.header)


def test_evidence_is_documents_and_months() -> None:
    p = run_cli("check", str(ROOT / "samples" / "10-backpay-and-mismatch.yaml"))
    text = p.stdout.decode()
    assert "材料：社保第 3 行、个税纳税记录（2025-01–02）" in text
    assert "依据：沪府规〔2022〕21号 第七条" in text


def test_no_repeated_heading_and_no_code_after_verdict() -> None:
    text = run_cli("check", str(ROOT / "samples" / "01-bachelor-degree.yaml")).stdout.decode()
    assert text.splitlines()[0] == "结论：符合申请条件"
    assert "风险提示（1 项）" in text and "风险提示（风险提示" not in text


def test_no_earliest_date_says_why_without_contradicting_the_remedy() -> None:
    text = run_cli("check", str(ROOT / "samples" / "09-fails-three-places.yaml")).stdout.decode()
    assert "不会随时间自行消除" not in text and "未来 60 个月内" in text


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_checklist_pdf_of_every_sample_is_plain(sample: Path, tmp_path: Path) -> None:
    from pypdf import PdfReader

    from jifen_check.cli import judge_file
    from jifen_check.render.pdf import render_checklist_pdf

    result = judge_file(str(sample), None, False).result
    render_checklist_pdf(result, tmp_path / "c.pdf")
    text = "\n".join(page.extract_text() for page in PdfReader(tmp_path / "c.pdf").pages)
    assert not leaks(text), leaks(text)
    assert not re.search(r"[A-Z]{2,}-[A-Z0-9]+(-[A-Z0-9]+)*", text.replace("YYYY-MM-DD", ""))
    assert re.search(r"按\d{4}年\d{1,2}月起执行的社平工资及现行积分办法（沪府规〔2022〕21号）", re.sub(r"\s", "", text))


def test_summary_xlsx_of_the_sample_workbook_is_plain(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "out"
    p = run_cli("batch", str(ROOT / "samples" / "staff.xlsx"), "--out", str(out), "--no-pdf",
                "--as-of", "2026-11-18")
    assert p.returncode == 5, p.stderr.decode()
    wb = load_workbook(out / "summary.xlsx")
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            for value in row:
                if isinstance(value, str):
                    assert not leaks(value), (ws.title, value)
                    assert not re.search(r"\b(PRE|PTS|PIT|BON|DATA|DED|VETO)-[A-Z0-9-]+", value), (ws.title, value)
