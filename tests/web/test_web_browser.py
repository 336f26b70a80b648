"""The web app in a real browser (Debian's chromium driven by Playwright), used as a person would.

`make preview` sets JIFEN_SCREENSHOTS=out/web: each page is then kept there as a PNG.
The live-update delay (last keystroke → new verdict on screen) is measured in the page and
written to out/web-latency.txt; it is reported, not asserted (no timing assertions in tests).
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
import yaml
from playwright.sync_api import Browser, Page, expect, sync_playwright
from pypdf import PdfReader

from tests.conftest import ROOT, check_json
from tests.web.serverproc import SAMPLES, TOKEN, Server

CHROMIUM = "/usr/bin/chromium"
SHOTS = os.environ.get("JIFEN_SCREENSHOTS")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert Path(CHROMIUM).exists(), "chromium is missing: run `make setup` (scripts/install-system-deps.sh)"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield b
        b.close()


@pytest.fixture
def page(browser: Browser, server: Server) -> Iterator[Page]:
    context = browser.new_context(accept_downloads=True, viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    pg = context.new_page()
    dialogs: list[str] = []
    pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    pg.goto(f"{server.url}/?token={TOKEN}")
    yield pg
    assert not dialogs, f"a script ran: {dialogs}"
    context.close()


def shot(page: Page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def field(page: Page, path: str):  # noqa: ANN201 - a Locator
    return page.locator(f'[data-path="{path}"]')


def rows(page: Page, list_path: str):  # noqa: ANN201
    return page.locator(f'.rows-block[data-list="{list_path}"]')


def add_row(page: Page, list_path: str, values: dict[str, str]) -> None:
    block = rows(page, list_path)
    block.locator("button.add-row").click()
    row = block.locator("tbody tr.row").last
    for key, value in values.items():
        target = row.locator(f'[data-field="{key}"]')
        if target.evaluate("e => e.tagName") == "SELECT":
            target.select_option(label=value)
        elif value is True:
            target.check()
        else:
            target.press_sequentially(value)


def verdict(page: Page) -> str:
    return page.locator("#verdict").get_attribute("data-verdict") or ""


def test_consultant_fills_the_form_sees_the_verdict_change_and_gets_the_pdf(page: Page, tmp_path: Path) -> None:
    field(page, "as_of").press_sequentially("2026/11/18")  # a batch-reader date form
    field(page, "person.name").press_sequentially("郑浩然")
    field(page, "person.id_number").press_sequentially("430104199512050370")
    field(page, "residence_permit.status").select_option(label="有效")
    field(page, "residence_permit.valid_until").press_sequentially("2027-03-31")
    field(page, "residence_permit.issued_or_renewed_on").press_sequentially("2026年4月7日")
    field(page, "employer.name").press_sequentially("上海远澜半导体有限公司")
    field(page, "employer.uscc").press_sequentially("91310115MA1K9D3P62")
    field(page, "employer.kind").select_option(label="企业")
    field(page, "contract.start").press_sequentially("2026-06-01")
    add_row(page, "social_insurance", {"month": "2021-02..2025-06", "base": "9500"})
    add_row(page, "social_insurance", {"month": "2026-06..2026-11", "base": "12500"})
    add_row(page, "education", {"level": "本科", "mode": "全日制", "degree": True})
    expect(page.locator("#verdict")).to_have_attribute("data-verdict", "not_eligible", timeout=15000)
    expect(page.locator("#result")).to_contain_text("PRE-SI-6OF12")
    expect(page.locator("#result")).to_contain_text("430104********0370")  # masked by default
    shot(page, "form-not-eligible")

    # One more month inside the last 12: 6 of 12, and the verdict changes as the user types.
    page.evaluate("""() => {
        window.__lastKey = 0; window.__updated = 0;
        document.addEventListener('keyup', () => { window.__lastKey = performance.now(); }, true);
        new MutationObserver(() => { window.__updated = performance.now(); })
            .observe(document.getElementById('result'), {childList: true});
    }""")
    add_row(page, "social_insurance", {"month": "2025-11", "base": "9500"})
    expect(page.locator("#verdict")).to_have_attribute("data-verdict", "eligible", timeout=15000)
    page.wait_for_timeout(500)
    delay = page.evaluate("() => window.__updated - window.__lastKey")
    out = ROOT / "out"
    out.mkdir(exist_ok=True)
    (out / "web-latency.txt").write_text(f"live_update_ms={delay:.0f}\n", encoding="utf-8")
    print(f"live_update_ms={delay:.0f}")
    assert delay > 0  # the result was redrawn after the last keystroke, without reloading the page
    shot(page, "form-eligible")
    if SHOTS:  # the first screen as a person sees it (README's picture is made from this one)
        page.evaluate("() => window.scrollTo(0, 0)")
        page.screenshot(path=str(Path(SHOTS) / "form-first-screen.png"))

    page.locator("#show-id").check()
    expect(page.locator("#result")).to_contain_text("430104199512050370")

    with page.expect_download() as info:
        page.locator("#download-pdf").click()
    pdf = tmp_path / "checklist.pdf"
    info.value.save_as(pdf)
    text = "".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert "郑浩然" in text and "符合申请条件" in text


def test_paste_social_insurance_rows(page: Page) -> None:
    block = rows(page, "social_insurance")
    block.locator("details.paste summary").click()
    pasted = "\n".join([f"2025-{m:02d}\t9,500.00" for m in range(1, 7)] + [f"2025{m:02d} 12000" for m in range(7, 10)]
                       + ["缴费年月\t基数"])
    block.locator("textarea.paste-text").fill(pasted)
    block.locator("button.paste-apply").click()
    expect(block.locator("tbody tr.row")).to_have_count(2)
    months = [block.locator("tbody tr.row").nth(i).locator('[data-field="month"]').input_value() for i in range(2)]
    bases = [block.locator("tbody tr.row").nth(i).locator('[data-field="base"]').input_value() for i in range(2)]
    assert months == ["2025-01..2025-06", "2025-07..2025-09"]
    assert bases == ["9500", "12000"]
    expect(block.locator(".paste-status")).to_contain_text("未识别 1 行")
    shot(page, "form-paste")


def test_save_yaml_and_reopen(page: Page, tmp_path: Path) -> None:
    _, original = check_json(SAMPLES / "10-backpay-and-mismatch.yaml")
    first_verdict = original["verdict"]
    page.locator("#open-file").set_input_files(str(SAMPLES / "10-backpay-and-mismatch.yaml"))
    expect(page.locator("#open-status")).to_contain_text("已打开")
    expect(page.locator("#verdict")).to_have_attribute("data-verdict", first_verdict, timeout=15000)
    expect(page.locator("#score-total")).to_have_text(str(original["score"]["total"]))
    with page.expect_download() as info:
        page.locator("#save-yaml").click()
    saved = tmp_path / "saved.yaml"
    info.value.save_as(saved)
    # The CLI reads the saved file and judges it exactly as the original.
    _, again = check_json(saved)
    assert again["verdict"] == first_verdict
    assert again["score"] == original["score"] and again["findings"] == original["findings"]

    page.locator("#clear-form").click()
    expect(field(page, "person.name")).to_have_value("")
    page.locator("#open-file").set_input_files(str(saved))
    expect(field(page, "person.name")).to_have_value(yaml.safe_load(saved.read_text(encoding="utf-8"))["person"]["name"])
    expect(page.locator("#verdict")).to_have_attribute("data-verdict", first_verdict, timeout=15000)
    with page.expect_download() as info:
        page.locator("#save-yaml").click()
    resaved = tmp_path / "resaved.yaml"
    info.value.save_as(resaved)
    assert resaved.read_bytes() == saved.read_bytes()  # open → save changes nothing


def test_field_error_appears_beside_the_field(page: Page) -> None:
    field(page, "person.name").press_sequentially("<script>alert('x')</script>")
    field(page, "person.id_number").press_sequentially("430104199512050371")  # wrong check character
    slot = page.locator('label.field:has([data-path="person.id_number"]) .field-error')
    expect(slot).to_be_visible(timeout=15000)
    expect(slot).to_contain_text("校验位")
    expect(page.locator("#verdict")).to_have_attribute("data-verdict", "invalid_input")
    # A required field left empty is named beside it too.
    expect(page.locator('label.field:has([data-path="residence_permit.status"]) .field-error')).to_be_visible()
    # A missing section is shown at its first required field (合同开始), not at an optional one.
    expect(page.locator('label.field:has([data-path="contract.start"]) .field-error')).to_contain_text("缺少必填字段")
    expect(page.locator('label.field:has([data-path="contract.employer_uscc"]) .field-error')).to_be_hidden()
    expect(page.locator("#result")).to_contain_text("<script>alert('x')</script>")  # shown as text, never run
    shot(page, "form-field-error")


def test_batch_upload_staff_workbook_and_download_the_summary(page: Page, server: Server, tmp_path: Path) -> None:
    page.goto(f"{server.url}/batch")
    page.locator("#batch-file").set_input_files(str(SAMPLES / "staff.xlsx"))
    page.locator("#batch-pdf").uncheck()
    page.locator("#batch-start").click()
    expect(page.locator("#batch-done")).to_be_visible(timeout=120000)
    people = page.locator("tr.person")
    expect(people).to_have_count(30)
    counts = json.loads(page.evaluate("""() => JSON.stringify(Object.fromEntries(
        [...document.querySelectorAll('.count')].map(e => [e.dataset.verdict, Number(e.querySelector('b').textContent)])))"""))
    assert sum(counts.values()) == 30
    page.locator("#verdict-filter").select_option("not_eligible")
    visible = page.locator("tr.person:visible")
    expect(visible).to_have_count(counts["not_eligible"])
    shot(page, "batch")
    with page.expect_download() as info:
        page.locator("#dl-xlsx").click()
    target = tmp_path / "summary.xlsx"
    info.value.save_as(target)
    wb = openpyxl.load_workbook(io.BytesIO(target.read_bytes()), read_only=True)
    assert len(wb.sheetnames) >= 2
    first = wb[wb.sheetnames[0]]
    assert sum(1 for _ in first.iter_rows(min_row=2)) >= 30
