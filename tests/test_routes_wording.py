"""The 「达标途径」 section when no route is shown: "no route within 4 years" must not sit above an "as things
are" date that waiting alone reaches (QA D9: a user reads it as hopeless)."""

from __future__ import annotations

from conftest import ROOT, run_cli

SAMPLES = ROOT / "samples"


def routes_section(sample: str, *extra: str) -> list[str]:
    path = next(SAMPLES.glob(f"{sample}-*.yaml"))
    out = run_cli("check", str(path), "--format", "text", *extra)
    assert out.returncode == 4, out.stderr.decode()  # not eligible
    lines = out.stdout.decode().splitlines()
    head = next(i for i, line in enumerate(lines) if line.startswith(("达标途径", "Routes to eligibility")))
    return lines[head + 1: head + 3]


def test_waiting_is_the_way_says_nothing_is_sooner() -> None:
    # Sample 07 pays 5 of the last 12 months: the 6th comes with next month's contribution.
    first, as_is = routes_section("07")
    assert first.strip().startswith("除按现状等待外，未找到更早达标的途径")
    assert "未找到 4 年内" not in first
    assert "最早 2026-12-01 可申请" in as_is


def test_nothing_cures_says_no_route() -> None:
    # Sample 08's employer is registered outside Shanghai: neither waiting nor any step helps.
    first, as_is = routes_section("08")
    assert first.strip().startswith("未找到 4 年内可达标的途径")
    assert "不会自行达到申请条件" in as_is


def test_waiting_is_the_way_in_english() -> None:
    first, _ = routes_section("07", "--lang", "en")
    assert first.strip().startswith("Nothing reaches eligibility sooner than waiting")
