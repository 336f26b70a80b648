"""The PDF checklist through the real CLI, on acceptance cases and samples: text read back with pypdf."""

from __future__ import annotations

import json
from pathlib import Path

import pypdf
import yaml

from jifen_check.checklist import load_catalogue
from tests.conftest import ROOT, case_file, run_cli

CASES = ROOT / "tests" / "cases"
TITLES = {d.id: d.title for d in load_catalogue().documents}



def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(path).pages)


def squash(text: str) -> str:
    """pypdf breaks long table cells over lines; compare without white space."""
    return "".join(text.split())


def test_eligible_case_checklist_pdf(tmp_path: Path) -> None:
    out = tmp_path / "c.pdf"
    p = run_cli("checklist", str(case_file(tmp_path, "classic-bachelor-120")), "-o", str(out))
    assert p.returncode == 0, p.stderr.decode()
    text = squash(pdf_text(out))
    assert "符合申请条件" in text and "暂不符合" not in text
    assert "320102********1239" in text and "320102199605101239" not in text
    for doc in ("DOC-RESIDENCE-PERMIT", "DOC-ID-CARD", "DOC-HUKOU", "DOC-CONTRACT", "DOC-TAX-6M",
                "DOC-DIPLOMA", "DOC-DEGREE", "DOC-CHSI-REPORT"):
        assert squash(TITLES[doc]) in text, doc
    for doc in ("DOC-MARRIAGE", "DOC-TITLE-CERT", "DOC-DISPATCH", "DOC-SPOUSE-HUKOU"):
        assert squash(TITLES[doc]) not in text, doc
    assert "本清单为积分申请预审辅助材料" in text and "第1/" in text


def test_not_eligible_case_says_so_first_with_the_blocker(tmp_path: Path) -> None:
    out = tmp_path / "n.pdf"
    run_cli("check", str(case_file(tmp_path, "si-5-of-12")), "--pdf", str(out))
    first_page = squash(pypdf.PdfReader(out).pages[0].extract_text())
    assert first_page.startswith("暂不符合申请条件")
    assert "不足6个月" in first_page and "2026-12-01" in first_page and "PRE-SI-6OF12" not in first_page


def test_pdf_json_and_checklist_list_agree(tmp_path: Path) -> None:
    f = case_file(tmp_path, "nonlocal-office")
    out = tmp_path / "o.pdf"
    p = run_cli("check", str(f), "--format", "json", "--pdf", str(out))
    result = json.loads(p.stdout)
    text = squash(pdf_text(out))
    for item in result["checklist"]:
        assert squash(item["title"]) in text, item["id"]


def test_html_alongside_and_escaped(tmp_path: Path) -> None:
    doc = yaml.safe_load((CASES / "classic-bachelor-120.yaml").read_text(encoding="utf-8"))["applicant"]
    doc["person"]["name"] = '<img src="file:///etc/passwd">'
    f = tmp_path / "x.yaml"
    f.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    p = run_cli("checklist", str(f), "-o", str(tmp_path / "x.pdf"), "--html", str(tmp_path / "x.html"))
    assert p.returncode == 0
    html = (tmp_path / "x.html").read_text(encoding="utf-8")
    assert "&lt;img src=" in html and '<img src="file' not in html
    assert 'img src="file:///etc/passwd"' in squash(pdf_text(tmp_path / "x.pdf")).replace("imgsrc", "img src")


def test_same_input_same_bytes(tmp_path: Path) -> None:
    f = case_file(tmp_path, "base-3x")
    run_cli("checklist", str(f), "-o", str(tmp_path / "a.pdf"))
    run_cli("checklist", str(f), "-o", str(tmp_path / "b.pdf"))
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()


def test_married_sample_brings_marriage_papers_single_does_not(tmp_path: Path) -> None:
    married = json.loads(run_cli("check", str(ROOT / "samples/05-spouse-hukou.yaml"), "--format", "json").stdout)
    single = json.loads(run_cli("check", str(ROOT / "samples/01-bachelor-degree.yaml"), "--format", "json").stdout)
    assert {"DOC-MARRIAGE", "DOC-SPOUSE-HUKOU"} <= {d["id"] for d in married["checklist"]}
    assert "DOC-MARRIAGE" not in {d["id"] for d in single["checklist"]}


def test_pdf_is_readable_by_colleagues(tmp_path: Path) -> None:
    """Written with the usual umask permissions, not mkstemp's 0600 (a shared HR drive)."""
    out = tmp_path / "p.pdf"
    run_cli("checklist", str(case_file(tmp_path, "classic-bachelor-120")), "-o", str(out))
    assert out.stat().st_mode & 0o044 == 0o044
    assert not list(tmp_path.glob(".*.tmp*")), "no temporary file left behind"
