"""jifen_check/dates.py: the one module that reads dates and months (issue 8: "one of each")."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pytest

from jifen_check import dates

PACKAGE = Path(__file__).resolve().parent.parent / "jifen_check"


@pytest.mark.parametrize(("text", "month_end", "expected"), [
    ("2026-03-05", False, dt.date(2026, 3, 5)),
    (" 2026-3-5 ", False, dt.date(2026, 3, 5)),
    ("2027-06", False, dt.date(2027, 6, 1)),
    ("2027-06", True, dt.date(2027, 6, 30)),
    ("2028-02", True, dt.date(2028, 2, 29)),
])
def test_strict_day(text: str, month_end: bool, expected: dt.date) -> None:
    assert dates.parse_day(text, month_end=month_end) == expected


@pytest.mark.parametrize(("value", "message"), [
    ("2026/03/05", "无法识别的日期 '2026/03/05'，应为 YYYY-MM-DD 或 YYYY-MM"),
    (20260305, "应为日期 YYYY-MM-DD 或月份 YYYY-MM"),
])
def test_strict_day_refuses_other_spellings(value: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        dates.parse_day(value)


def test_strict_month_specs() -> None:
    assert dates.normal_month_spec("2024-1..2024-12") == "2024-01..2024-12"
    assert dates.month_range("2024-01..2024-12") == ((2024, 1), (2024, 12))
    assert dates.month_range("2024-07") == ((2024, 7), (2024, 7))
    with pytest.raises(ValueError, match="结束早于开始"):
        dates.normal_month_spec("2024-12..2024-01")
    with pytest.raises(ValueError, match="应为 YYYY-MM"):
        dates.parse_month("2024-13")


@pytest.mark.parametrize(("text", "expected"), [
    ("2023-05-01", "2023-05-01"), ("2023/5/1", "2023-05-01"), ("2023年5月1日", "2023-05-01"),
    ("20230501", "2023-05-01"), ("２０２３－０５－０１", "2023-05-01"), ("2023.05", "2023-05"),
    ("2023-02-30", None), ("next week", None),
])
def test_clerk_dates(text: str, expected: str | None) -> None:
    assert dates.read_date(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("2023-05", "2023-05"), ("202305", "2023-05"), ("2023年5月", "2023-05"),
    ("2021-01至2026-11", "2021-01..2026-11"), ("2020.03-2026.11", "2020-03..2026-11"),
    ("2023/05~2026/10", "2023-05..2026-10"), ("202305..202611", "2023-05..2026-11"),
    ("2023-13", None), ("2023-01..2023-02..2023-03", None),
])
def test_clerk_month_specs(text: str, expected: str | None) -> None:
    assert dates.read_month_spec(text) == expected


def test_month_number_matches_the_month_index() -> None:
    from jifen_check import months

    assert dates.month_number("2024-07") == months.month_index(2024, 7)
    assert dates.month_number("2024-07..2024-08") is None
    assert dates.month_number("abc") is None


def _date_regexes(path: Path) -> list[str]:
    """Regex literals in a module that look like a year-month reader (\\d{4} followed by a month)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and r"(\d{4})" in node.value:
            found.append(node.value)
    return found


# render/plain.py shortens a month span this program printed itself (2025-01–2025-02 → 2025-01–02):
# output, not input.
ALLOWED = {"render/plain.py": [r"^(\d{4})-(\d{2})–(\d{4})-(\d{2})$"]}


def test_no_other_module_reads_dates_by_itself() -> None:
    offenders = {str(p.relative_to(PACKAGE)): rx for p in PACKAGE.rglob("*.py")
                 if p.name != "dates.py" and (rx := _date_regexes(p))}
    assert offenders == ALLOWED


def test_an_impossible_date_is_found_with_its_line() -> None:
    assert dates.first_impossible_date("as_of: 2026-01-05\ncontract:\n  start: 2026-13-01\n") == (3, "2026-13-01")
    assert dates.first_impossible_date("as_of: 2026-01-05\nid: 310101-2026-99-99x\n") is None
