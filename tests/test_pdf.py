"""The PDF/HTML checklist: content, the stop line, determinism, fonts, and untrusted text."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from jifen_check.applicant import Applicant
from jifen_check.checklist import build_checklist
from jifen_check.render import fonts, pdf
from jifen_check.result import Result, ScoreLine
from tests.conftest import ROOT, cli_command

AS_OF = dt.date(2026, 11, 22)
MASKED = "320102********123X"
FULL_ID = "32010219900307123X"
DISCLAIMER = "本清单为积分申请预审辅助材料，最终以受理窗口审核为准。"

APPLICANT: dict[str, Any] = {
    "person": {"name": "周佳怡", "id_number": FULL_ID},
    "residence_permit": {"status": "valid", "valid_until": "2027-09-30"},
    "employer": {"name": "上海示例科技有限公司", "uscc": "91310115MA1K3P7Q01"},
    "contract": {"start": "2022-01-01"},
    "social_insurance": [{"month": "2025-10..2026-11", "base": 9000}],
    "education": [{"level": "bachelor", "degree": True, "school": "示例大学", "study_city": "上海"}],
}

ELIGIBLE_LINES = [
    {"rule": "PTS-AGE", "points": 30, "title": "年龄", "detail": "30 周岁", "status": "counted"},
    {"rule": "PTS-EDU", "points": 90, "title": "学历", "detail": "本科 + 学士学位", "status": "counted",
     "facts": {"education_index": 0}},
    {"rule": "PTS-SI-YEARS", "points": 3, "title": "社保年限", "detail": "14 个月", "status": "counted"},
]


def _checklist(applicant: dict[str, Any], lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    # The checklist as the engine will make it: from the catalogue.
    items = build_checklist(Applicant.model_validate(applicant),
                            [ScoreLine.model_validate(ln) for ln in lines], [], AS_OF)
    return [i.model_dump() for i in items]


def _result(**fields: Any) -> Result:
    base: dict[str, Any] = {
        "as_of": AS_OF.isoformat(),
        "ruleset": {"id": "shanghai-2023", "parameters_as_of": "2025-07-01"},
        "applicant": {"name": "周佳怡", "id_number": MASKED},
        "employer": {"name": "上海示例科技有限公司", "uscc": "91310115MA1K3P7Q01"},
        "verdict": "eligible",
        "score": {"total": 123, "pass_mark": 120, "at_risk": 0, "lines": ELIGIBLE_LINES},
        "findings": [
            {"rule": "PIT-NEAR-THRESHOLD", "severity": "warning", "confidence": "practice",
             "message": "已计总分 123 分，距 120 分线不足 10 分", "remedy": "任何一项被拒即不达标，请核对全部材料"},
            {"rule": "PIT-BACKPAY", "severity": "info", "confidence": "official",
             "message": "2025-02 为补缴月份，不计入任何年限与基数统计"},
        ],
        "checklist": _checklist(APPLICANT, ELIGIBLE_LINES),
    }
    base.update(fields)
    return Result.model_validate(base)


def eligible_result() -> Result:
    return _result()


def not_eligible_result() -> Result:
    # Enough points, but a gate that only time cures: hence earliest_eligible.
    return _result(
        verdict="not_eligible",
        findings=[{
            "rule": "PRE-SI-6OF12", "severity": "blocker", "confidence": "official",
            "message": "申请月前 12 个月内本市职工社保仅缴纳 5 个月，不足 6 个月",
            "remedy": "再连续缴纳 1 个月社保后（2026-12 起）可申请", "evidence": ["social_insurance[0]"],
        }, {
            "rule": "PIT-CONTRACT-ENDING", "severity": "warning", "confidence": "practice",
            "message": "劳动合同将于 2027-03-31 到期，不足 6 个月", "remedy": "续签劳动合同后再递交",
        }],
        earliest_eligible="2026-12-01",
    )


def needs_review_result() -> Result:
    lines = [*ELIGIBLE_LINES, {"rule": "BON-TALENT", "points": 120, "status": "at_risk", "title": "创业人才",
                               "reason": "BON-TALENT", "detail": "须附市科委认定材料"}]
    return _result(
        verdict="needs_review",
        score={"total": 123, "pass_mark": 120, "at_risk": 120, "lines": lines},
        findings=[{
            "rule": "PRE-EMPLOYER-INDIVIDUAL", "severity": "review", "confidence": "unverified",
            "message": "申请单位为个体工商户，政策未明确是否可申请", "remedy": "向受理点咨询后再递交",
            "deadline": "2026-12-31",
        }],
        checklist=_checklist(APPLICANT, lines),
    )


def _render(result: Result, path: Path) -> list[str]:
    pdf.render_checklist_pdf(result, path)
    return [page.extract_text() for page in PdfReader(path).pages]


def _first_line(page_text: str) -> str:
    return next(line for line in page_text.splitlines() if line.strip())


# ── content ──────────────────────────────────────────────────────────────────────────────────


def test_eligible_checklist_content(tmp_path: Path) -> None:
    pages = _render(eligible_result(), tmp_path / "c.pdf")
    text = "\n".join(pages)
    for title in ("有效期内的《上海市居住证》", "本人居民身份证", "学历证书", "学位证书", "单位人事专员介绍信"):
        assert title in text
    for group in ("单位材料", "基本材料", "积分指标材料"):
        assert group in text
    assert "同住人材料" not in text  # no family papers for this applicant
    for absent in ("结婚证", "派遣协议", "专业技术职务任职资格证书", "最近 48 个月"):
        assert absent not in text
    assert "120 分线：已计 123 分，风险 0 分" in text
    assert "符合申请条件" in _first_line(pages[0])
    assert MASKED in text and FULL_ID not in text
    assert "上海示例科技有限公司" in text and "2026-11-22" in text
    # The rule set as a client reads it (issue 11), not its ID and parameter date.
    assert "按2025年7月起执行的社平工资及现行积分办法（沪府规〔2022〕21号）" in re.sub(r"\s+", "", text)
    assert "shanghai-2023" not in text
    # Score breakdown and open findings in words; info findings are not "open"; no rule IDs by default.
    assert "社保年限" in text and "计入" in text
    assert "距 120 分线不足 10 分" in text and "补缴月份" not in text
    assert "PTS-SI-YEARS" not in text and "PIT-NEAR-THRESHOLD" not in text
    pdf.render_checklist_pdf(eligible_result(), tmp_path / "ids.pdf", rule_ids=True)
    with_ids = "".join(p.extract_text() for p in PdfReader(tmp_path / "ids.pdf").pages)
    assert "PTS-SI-YEARS" in with_ids and "PIT-NEAR-THRESHOLD" in with_ids


def test_footer_on_every_page(tmp_path: Path) -> None:
    result = eligible_result()
    many = [*result.checklist] * 4  # force several pages
    pages = _render(result.model_copy(update={"checklist": many}), tmp_path / "long.pdf")
    assert len(pages) >= 2
    for n, text in enumerate(pages, start=1):
        squashed = re.sub(r"\s+", "", text)
        assert DISCLAIMER in squashed
        assert f"第{n}/{len(pages)}页" in squashed
        assert "生成日期：2026-11-22" in squashed


def test_not_eligible_says_so_first(tmp_path: Path) -> None:
    pages = _render(not_eligible_result(), tmp_path / "ne.pdf")
    first = _first_line(pages[0])
    assert "暂不符合申请条件" in first
    head = pages[0].split("申请材料清单")[0]  # everything above the document title
    assert "仅缴纳 5 个月" in head and "劳动合同将于" not in head  # blockers only up there
    assert "2026-12-01" in head
    assert "120 分线：已计 123 分，风险 0 分" in head
    assert "劳动合同将于" in pages[0]  # the warning is on page 1, under 递交前须处理
    assert "可按本清单准备材料" not in "".join(pages)


def test_stop_line_is_large_and_red_in_the_html() -> None:
    html = pdf.render_checklist_html(not_eligible_result())
    body = html.split("<body>", 1)[1].lstrip()
    assert body.startswith('<section class="verdict stop">')
    css = (pdf.TEMPLATES_DIR / "checklist.css").read_text(encoding="utf-8")
    stop = re.search(r"\.verdict\.stop\s*\{([^}]*)\}", css)
    assert stop and "#c00000" in stop.group(1)
    assert re.search(r"\.verdict \.headline\s*\{[^}]*font-size:\s*2\dpt", css)


def test_needs_review_and_invalid_input_are_not_a_go_ahead(tmp_path: Path) -> None:
    pages = _render(needs_review_result(), tmp_path / "nr.pdf")
    assert "需人工复核" in _first_line(pages[0])
    head = pages[0].split("申请材料清单")[0]
    assert "个体工商户" in head and "创业人才 120 分有风险" in head and "由谁决定" in head
    assert "2026-12-31" in "".join(pages)  # the finding's deadline
    invalid = _result(verdict="invalid_input", checklist=[], score={"total": 0, "lines": []},
                      findings=[{"rule": "DATA-ID-NUMBER", "severity": "error", "message": "身份证号校验位错误"}])
    pages = _render(invalid, tmp_path / "inv.pdf")
    assert "输入数据有误" in _first_line(pages[0])
    assert len(pages) == 1 and "身份证号校验位错误" in pages[0] and "请更正以下输入" in pages[0]
    assert "积分明细" not in pages[0] and "应备材料" not in pages[0]  # no empty points table


def test_child_names_show_in_the_notes(tmp_path: Path) -> None:
    family = {**APPLICANT, "family": {"marital_status": "married", "children": [
        {"name": "王一一", "birth_date": "2008-06-01", "shares_benefits": True}]}}
    result = _result(checklist=_checklist(family, ELIGIBLE_LINES))
    text = "".join(_render(result, tmp_path / "kids.pdf"))
    assert "同住人材料" in text and "子女：王一一" in text and "全日制普通高中就读证明" in text


# ── determinism, fonts, files ────────────────────────────────────────────────────────────────


def test_byte_identical_renders(tmp_path: Path) -> None:
    pdf.render_checklist_pdf(not_eligible_result(), tmp_path / "a.pdf")
    pdf.render_checklist_pdf(not_eligible_result(), tmp_path / "b.pdf")
    a, b = (tmp_path / "a.pdf").read_bytes(), (tmp_path / "b.pdf").read_bytes()
    assert a == b
    info = PdfReader(tmp_path / "a.pdf").metadata
    assert info is not None and info["/CreationDate"].startswith("D:20261122")


def test_byte_identical_across_processes(tmp_path: Path) -> None:
    # Another interpreter has another hash seed: set/dict order must not leak into the bytes.
    here = tmp_path / "here.pdf"
    pdf.render_checklist_pdf(eligible_result(), here)
    there = tmp_path / "there.pdf"
    code = ("import sys; from pathlib import Path; sys.path.insert(0, sys.argv[2]); "
            "from tests.test_pdf import eligible_result; from jifen_check.render.pdf import render_checklist_pdf; "
            "render_checklist_pdf(eligible_result(), Path(sys.argv[1]))")
    root = Path(__file__).resolve().parents[1]
    subprocess.run([sys.executable, "-c", code, str(there), str(root)], check=True, cwd=root,
                   env={**os.environ, "PYTHONHASHSEED": "12345"})
    assert here.read_bytes() == there.read_bytes()


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="pdffonts (poppler-utils) not installed")
def test_only_noto_sans_cjk_is_embedded(tmp_path: Path) -> None:
    pdf.render_checklist_pdf(needs_review_result(), tmp_path / "f.pdf")
    out = subprocess.run(["pdffonts", str(tmp_path / "f.pdf")], capture_output=True, text=True, check=True)
    names = [line.split()[0] for line in out.stdout.splitlines()[2:] if line.strip()]
    assert names, out.stdout
    for name in names:
        assert re.fullmatch(r"([A-Z]{6}\+)?Noto-?Sans-?CJK-?(SC|JP|KR|TC|HK)?[-\w]*", name), out.stdout


def test_write_is_atomic_and_overwrites(tmp_path: Path) -> None:
    out = tmp_path / "sub" / "c.pdf"
    out.parent.mkdir()
    out.write_bytes(b"old")
    pdf.render_checklist_pdf(eligible_result(), out)
    assert out.read_bytes().startswith(b"%PDF-")
    assert [p.name for p in out.parent.iterdir()] == ["c.pdf"]  # no temp file left behind


def test_failed_render_leaves_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*_: Any, **__: Any) -> bytes:
        raise RuntimeError("layout failed")

    monkeypatch.setattr(pdf, "html_to_pdf", boom)
    with pytest.raises(RuntimeError):
        pdf.render_checklist_pdf(eligible_result(), tmp_path / "c.pdf")
    assert list(tmp_path.iterdir()) == []


def test_missing_font_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fonts, "_fc_list_families", lambda: "DejaVu Sans\n")
    fonts.ensure_cjk_font.cache_clear()
    try:
        with pytest.raises(fonts.FontMissingError, match="fonts-noto-cjk") as err:
            fonts.ensure_cjk_font()
        assert "未找到中文字体" in str(err.value) and "Noto Sans CJK SC" in str(err.value)
    finally:
        fonts.ensure_cjk_font.cache_clear()


def test_render_pdf_is_generic(tmp_path: Path) -> None:
    # Another template can use render_pdf with its own context and stylesheets.
    assert pdf.default_stylesheets("checklist.html.j2") == ["base.css", "checklist.css"]
    assert pdf.default_stylesheets("summary.html.j2") == ["base.css"] + (
        ["summary.css"] if (pdf.TEMPLATES_DIR / "summary.css").exists() else [])
    context = pdf.checklist_context(eligible_result())
    pdf.render_pdf("checklist.html.j2", context, tmp_path / "g.pdf", created=AS_OF, stylesheets=["base.css"])
    assert "学位证书" in "".join(page.extract_text() for page in PdfReader(tmp_path / "g.pdf").pages)


# ── untrusted text ───────────────────────────────────────────────────────────────────────────

INJECTION = '<img src="file:///etc/passwd">'


class RecordingFetcher(pdf.TemplateURLFetcher):
    """Records every URL asked for and every file actually read."""

    def __init__(self) -> None:
        super().__init__()
        self.asked: list[str] = []
        self.read_paths: list[Path] = []

    def fetch(self, url: str, headers: Any = None) -> Any:
        self.asked.append(url)
        return super().fetch(url, headers)

    def read(self, path: Path) -> bytes:
        self.read_paths.append(path)
        return super().read(path)


def test_html_escapes_applicant_text() -> None:
    result = _result(applicant={"name": INJECTION, "id_number": MASKED})
    html = pdf.render_checklist_html(result)
    assert INJECTION not in html
    assert "&lt;img src=&#34;file:///etc/passwd&#34;&gt;" in html


def test_injected_markup_is_literal_text_and_nothing_is_fetched(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    recorder = RecordingFetcher()
    monkeypatch.setattr(pdf, "URL_FETCHER", recorder)
    result = _result(applicant={"name": INJECTION, "id_number": MASKED},
                     employer={"name": '<link rel="stylesheet" href="http://example.invalid/x.css">'})
    text = "".join(_render(result, tmp_path / "inj.pdf"))
    assert INJECTION in re.sub(r"\n", "", text)
    assert all(p.is_relative_to(pdf.TEMPLATES_DIR) for p in recorder.read_paths)
    assert not any("passwd" in u or "example.invalid" in u for u in recorder.asked)


def test_fetcher_refuses_everything_outside_templates(monkeypatch: pytest.MonkeyPatch) -> None:
    recorder = RecordingFetcher()
    # Raw markup straight into WeasyPrint: the fetcher is asked, refuses, and reads nothing.
    from weasyprint import HTML
    html = ('<img src="file:///etc/passwd"><img src="http://example.invalid/a.png">'
            '<img src="data:image/png;base64,iVBORw0KGgo="><img src="../../../../etc/passwd">')
    HTML(string=html, base_url=pdf.TEMPLATES_DIR.as_uri() + "/", url_fetcher=recorder).write_pdf()
    assert any("passwd" in u for u in recorder.asked)
    assert recorder.read_paths == []


@pytest.mark.parametrize("url", [
    "file:///etc/passwd",
    "http://example.invalid/x.css",
    "https://example.invalid/x.css",
    "data:text/css,body{}",
    "ftp://example.invalid/x",
    (pdf.TEMPLATES_DIR.as_uri() + "/../pyproject.toml"),
    (pdf.TEMPLATES_DIR.as_uri() + "/%2e%2e/pyproject.toml"),
    "file://remotehost" + str(pdf.TEMPLATES_DIR / "base.css"),
    (pdf.TEMPLATES_DIR.as_uri() + "/no-such-file.css"),
])
def test_fetcher_refusals(url: str) -> None:
    recorder = RecordingFetcher()
    with pytest.raises(pdf.FetchRefused):
        recorder.fetch(url)
    assert recorder.read_paths == []


def test_fetcher_serves_template_files() -> None:
    recorder = RecordingFetcher()
    response = recorder.fetch((pdf.TEMPLATES_DIR / "base.css").as_uri())
    assert b"Noto Sans CJK SC" in response.read()
    assert recorder.read_paths == [pdf.TEMPLATES_DIR / "base.css"]


def test_missing_pango_is_a_clear_error_with_the_install_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fonts, "_loads", lambda names: "pango" not in names[0])
    fonts.ensure_pango.cache_clear()
    try:
        with pytest.raises(fonts.SystemPartMissingError) as err:
            fonts.ensure_pango()
    finally:
        fonts.ensure_pango.cache_clear()
    message = str(err.value)
    assert "缺少系统组件" in message and "Pango" in message
    assert "sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0" in message


def test_pango_found_on_this_machine() -> None:
    fonts.ensure_pango.cache_clear()
    fonts.ensure_pango()  # make setup installs it: no error


def test_missing_harfbuzz_subset_is_a_warning_with_the_install_command(monkeypatch: pytest.MonkeyPatch) -> None:
    assert fonts.harfbuzz_subset_missing_message() is None  # installed by make setup
    monkeypatch.setattr(fonts, "_loads", lambda names: False)
    message = fonts.harfbuzz_subset_missing_message()
    assert message is not None and "libharfbuzz-subset" in message and "20 秒" in message
    assert "sudo apt-get install libharfbuzz-subset0" in message


def test_cli_without_the_cjk_font_says_what_to_install(tmp_path: Path) -> None:
    # A fontconfig with no font directories: the real fc-list then knows no CJK font.
    conf = tmp_path / "fonts.conf"
    conf.write_text('<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
                    f"<cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>", encoding="utf-8")
    sample = ROOT / "samples" / "01-bachelor-degree.yaml"
    env = dict(os.environ, FONTCONFIG_FILE=str(conf), PYTHONIOENCODING="utf-8")
    p = subprocess.run(cli_command() + ["checklist", str(sample), "-o", str(tmp_path / "c.pdf")],
                       capture_output=True, env=env, timeout=300)
    stderr = p.stderr.decode()
    assert p.returncode == 1 and "Traceback" not in stderr
    assert "未找到中文字体 Noto Sans CJK SC" in stderr and "sudo apt-get install fonts-noto-cjk" in stderr
    assert not (tmp_path / "c.pdf").exists()


def test_font_shortcuts_give_weasyprints_own_bytes(tmp_path: Path) -> None:
    # render/weasy_fonts.py: one copy of each font file and one subsetting pass, the same PDF.
    from jifen_check.render import weasy_fonts

    if not weasy_fonts.applicable():
        pytest.skip("another WeasyPrint: its own font code runs")
    cases = [(eligible_result(), "zh"), (needs_review_result(), "zh"), (not_eligible_result(), "en")]
    try:
        for i, (result, lang) in enumerate(cases):
            assert weasy_fonts.install()
            pdf.render_checklist_pdf(result, tmp_path / f"ours{i}.pdf", lang)  # type: ignore[arg-type]
            weasy_fonts.uninstall()
            pdf.render_checklist_pdf(result, tmp_path / f"stock{i}.pdf", lang)  # type: ignore[arg-type]
            assert (tmp_path / f"ours{i}.pdf").read_bytes() == (tmp_path / f"stock{i}.pdf").read_bytes()
    finally:
        weasy_fonts.install()


def _decoded_objects(path: Path) -> list[tuple[int, str, bytes | None]]:
    """Every object but the cross-reference stream (byte offsets), streams decompressed."""
    reader = PdfReader(path)
    out = []
    for num in range(1, len(reader.xref_objStm) + 1000):
        try:
            obj = reader.get_object(num)
        except Exception:  # noqa: BLE001 - pypdf raises for a number with no object
            continue
        if obj is None or (hasattr(obj, "get") and obj.get("/Type") == "/XRef"):
            continue
        data = obj.get_data() if hasattr(obj, "get_data") else None
        described = {k: v for k, v in obj.items() if k != "/Length"} if hasattr(obj, "items") else obj
        out.append((num, re.sub(r", \d+\)", ")", repr(described)), data))  # IndirectObject's reader id
    return out


def test_deflate_level_changes_only_the_compressed_bytes(tmp_path: Path) -> None:
    # render/pdf_deflate.py: level 6 instead of pydyf's 9; every object decompresses to the same data.
    from jifen_check.render import pdf_deflate

    if not pdf_deflate.applicable():
        pytest.skip("another pydyf: its own compression runs")
    try:
        pdf_deflate.uninstall()
        pdf.render_checklist_pdf(needs_review_result(), tmp_path / "level9.pdf")
        assert pdf_deflate.install()
        pdf.render_checklist_pdf(needs_review_result(), tmp_path / "level6.pdf")
    finally:
        pdf_deflate.install()
    level9, level6 = _decoded_objects(tmp_path / "level9.pdf"), _decoded_objects(tmp_path / "level6.pdf")
    assert len(level9) > 10 and level9 == level6
    assert (tmp_path / "level9.pdf").read_bytes() != (tmp_path / "level6.pdf").read_bytes()
