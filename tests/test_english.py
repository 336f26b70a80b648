"""--lang en: every rule, document and label has English beside the Chinese in the ruleset data, and the
English outputs carry no untranslated Chinese except original names in brackets (legal names such as
Residence Permit (《上海市居住证》), school and company names, citations)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from jifen_check import rulebook
from jifen_check.checklist import load_catalogue
from jifen_check.plan import plan_data
from jifen_check.render.handover import submission
from jifen_check.render.i18n import PDF_PHRASES, PHRASES, SUMMARY_PHRASES
from jifen_check.render.plain import labels
from jifen_check.render.routes_text import ROUTE_PHRASES
from tests.conftest import ROOT, run_cli

SAMPLES = sorted((ROOT / "samples").glob("*.yaml"))
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
BRACKETS = re.compile(r"\([^()]*\)|（[^（）]*）|《[^《》]*》|「[^「」]*」|〔[^〔〕]*〕")


def outside_brackets(text: str) -> str:
    """The text with every bracketed part removed, innermost first."""
    while True:
        stripped = BRACKETS.sub("", text)
        if stripped == text:
            return text
        text = stripped


def untranslated(text: str, names: tuple[str, ...] = ()) -> list[str]:
    for name in names:
        text = text.replace(name, "")
    return [line for line in outside_brackets(text).splitlines() if CJK.search(line)]


def test_the_check_itself() -> None:
    assert untranslated("Residence Permit (《上海市居住证》) (全日制本科（示例大学）)") == []
    assert untranslated("The degree 本科 counts") == ["The degree 本科 counts"]


def test_every_rule_text_has_english() -> None:
    for rule in rulebook.load().rules.values():
        assert rule.title_en and not CJK.search(outside_brackets(rule.title_en)), rule.id
        for i, case in enumerate(rule.cases):
            where = f"{rule.id} cases[{i}]"
            assert bool(case.message_en) == bool(case.message), where
            assert bool(case.remedy_en) == bool(case.remedy), where
            line = case.then.line
            if line is not None:
                assert bool(line.detail_en) == bool(line.detail), where
            for text in (case.message_en, case.remedy_en, line.detail_en if line else ""):
                assert not CJK.search(outside_brackets(re.sub(r"\{[^}]*\}", "", text))), (where, text)


def test_english_placeholders_are_the_chinese_ones() -> None:
    """The English template may only use what the Chinese one uses (else it cannot be filled)."""
    ph = re.compile(r"\{@?[A-Za-z_][\w.]*\}")
    for rule in rulebook.load().rules.values():
        for case in rule.cases:
            pairs = [(case.message, case.message_en), (case.remedy, case.remedy_en)]
            if case.then.line:
                pairs.append((case.then.line.detail, case.then.line.detail_en))
            for zh, en in pairs:
                assert set(ph.findall(en)) <= set(ph.findall(zh)) | {"{as_of}"}, (rule.id, en)


def test_every_document_has_english() -> None:
    for doc in load_catalogue().documents:
        assert doc.title_en, doc.id
        assert bool(doc.note_en) == bool(doc.note), doc.id
        assert bool(doc.reason_en) == bool(doc.reason), doc.id
        for text in (doc.title_en, doc.note_en, doc.reason_en):
            assert not CJK.search(outside_brackets(text)), (doc.id, text)


def test_every_label_and_phrase_has_english() -> None:
    data = labels()
    for table, entries in data.items():
        if table in ("lists",):
            for key, entry in entries.items():
                for pair in entry.values():
                    assert len(pair) == 2 and not CJK.search(outside_brackets(pair[1])), (table, key)
        elif isinstance(entries, dict):
            for key, pair in entries.items():
                assert len(pair) == 2 and pair[1] and not CJK.search(outside_brackets(pair[1])), (table, key)
    for table in (PHRASES, PDF_PHRASES, ROUTE_PHRASES, SUMMARY_PHRASES):
        for key, (_, en) in table.items():
            assert en and not CJK.search(outside_brackets(en)), key
    sub = submission()
    for item in (sub.where, sub.how, sub.order, sub.review, *sub.copies, *sub.next_steps):
        assert item.en and not CJK.search(outside_brackets(item.en)), item.zh


def test_every_route_step_has_english() -> None:
    """Issue 10's route steps (routes/actions.yaml): label, text and assumptions in English beside the
    Chinese, with the same placeholders, and every actor labelled."""
    ph = re.compile(r"\{[A-Za-z_]\w*\}")
    actors = labels()["actors"]
    for a in plan_data().actions:
        assert a.label_en and a.text_en, a.id
        assert len(a.assumptions_en) == len(a.assumptions), a.id
        for text in (a.label_en, a.text_en, *a.assumptions_en):
            assert not CJK.search(outside_brackets(text)), (a.id, text)
        assert set(ph.findall(a.text_en)) == set(ph.findall(a.text)), a.id
        for who in (a.actor, a.decision_by):
            assert who is None or who in actors, (a.id, who)


def test_a_missing_route_english_text_fails_the_check() -> None:
    """The route data test above is not vacuous: an action without English is loadable, and seen."""
    from jifen_check.plan import Action

    raw = yaml.safe_load((rulebook.RULESETS_DIR / "shanghai-2023" / "routes" / "actions.yaml").read_text(encoding="utf-8"))
    first = raw["actions"][0]
    first.pop("text_en")
    assert not Action.model_validate(first).text_en
    tax = next(a for a in raw["actions"] if a["id"] == "ACT-TAX-CORRECT")
    tax["assumptions_en"] = tax["assumptions_en"][:1]
    with pytest.raises(ValueError, match="assumptions_en"):
        Action.model_validate(tax)


def test_a_missing_english_text_fails_the_check(tmp_path: Path) -> None:
    """The data test above is not vacuous: drop one English title and it fails."""
    src = rulebook.RULESETS_DIR / "shanghai-2023" / "rules" / "veto.yaml"
    rules = yaml.safe_load(src.read_text(encoding="utf-8"))
    rules[0].pop("title_en")
    assert not rulebook.Rule.model_validate(rules[0]).title_en


def _names(sample: Path) -> tuple[str, ...]:
    doc = yaml.safe_load(sample.read_text(encoding="utf-8"))
    return tuple(x for x in (doc.get("person", {}).get("name"), doc.get("employer", {}).get("name")) if x)


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_english_text_report(sample: Path) -> None:
    p = run_cli("check", str(sample), "--lang", "en")
    text = p.stdout.decode()
    assert text.startswith("Verdict: ") and "Basis: " in text
    assert untranslated(text, _names(sample)) == []


def test_english_routes_in_text_and_pdf(tmp_path: Path) -> None:
    """Sample 10's routes (issue 10) read in English in the text report and on the PDF's page 1."""
    from pypdf import PdfReader

    sample = ROOT / "samples" / "10-backpay-and-mismatch.yaml"
    text = run_cli("check", str(sample), "--lang", "en").stdout.decode()
    assert "Routes to eligibility" in text and "Route 1: can apply from 2026-12-18" in text
    assert "[Employer finance] The employer files corrected income tax returns for 2025-01–2025-02" in text
    out = tmp_path / "en.pdf"
    assert run_cli("check", str(sample), "--lang", "en", "--pdf", str(out)).returncode == 4
    page1 = PdfReader(out).pages[0].extract_text()
    assert "Route to eligibility" in page1 and "corrected income tax returns" in page1
    assert "达标途径" not in page1


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_english_checklist_pdf(sample: Path, tmp_path: Path) -> None:
    from pypdf import PdfReader

    from jifen_check.cli import judge_file
    from jifen_check.render.pdf import render_checklist_pdf

    result = judge_file(str(sample), None, False).result
    render_checklist_pdf(result, tmp_path / "en.pdf", "en")
    text = "\n".join(page.extract_text() for page in PdfReader(tmp_path / "en.pdf").pages)
    assert "Documents to bring" in text and "Residence Permit (《上海市居住证》)" in text
    assert untranslated(text, _names(sample)) == [], untranslated(text, _names(sample))


def test_english_batch_outputs(tmp_path: Path) -> None:
    import sys

    from openpyxl import load_workbook
    from pypdf import PdfReader

    sys.path.insert(0, str(ROOT / "tests"))
    from test_batch_helpers import AS_OF, staff, write_workbook

    from jifen_check.batch.pipeline import prepare_out_dir, run_batch
    from jifen_check.batch.readers import read_input
    from jifen_check.batch.runner import Options

    sheets = staff(3)
    sheets["社保"][1]["月份"] = "2026-06..2026-11"  # E002: not yet eligible
    inp = write_workbook(tmp_path / "in.xlsx", sheets)
    out = tmp_path / "out"
    prepare_out_dir(out, overwrite=False)
    run_batch(read_input(inp), Options(out, AS_OF, pdf=True, lang="en"), label=inp.name, jobs=1)
    names = tuple(row["姓名"] for row in sheets["人员"]) + ("上海示例科技有限公司",)
    cell_refs = re.compile(r"\S+![A-Z]*\d+")
    wb = load_workbook(out / "summary.xlsx")
    assert wb.sheetnames == ["Summary", "Problems", "Counts", "Unmatched rows", "Actions"]
    assert wb["Actions"].max_row > 1  # E002's route steps, in English
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            for value in row:
                if isinstance(value, str):
                    assert untranslated(cell_refs.sub("", value), names) == [], (ws.title, value)
    summary = "\n".join(page.extract_text() for page in PdfReader(out / "summary.pdf").pages)
    assert "When people can apply" in summary
    assert untranslated(cell_refs.sub("", summary), names) == [], untranslated(summary, names)
    pdfs = sorted((out / "checklists").glob("*.pdf"))
    for path in pdfs:
        text = "\n".join(page.extract_text() for page in PdfReader(path).pages)
        assert untranslated(cell_refs.sub("", text), names) == [], (path.name, untranslated(text, names))
