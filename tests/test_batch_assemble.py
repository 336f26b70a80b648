"""assemble's per-layout plan (readers._plan) and cells.converter against the plain rules they replaced.

Each cell: `cells.convert`, a blank cell giving no field and a bad one its text plus the message.
Each list: a row per sheet row, adjacent clean month rows with equal values merged into a range
(formats.md). The oracles below are those rules written out plainly, cell by cell; the plan must
give exactly what they give, for odd cells too (1 == 1.0 == True in Python, but not in a cell).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl.utils import get_column_letter

from jifen_check.applicant import FORMAT_ID
from jifen_check.batch import readers
from jifen_check.batch.cells import SKIP, UNCACHED, CellError, as_text, convert, converter, is_blank
from jifen_check.batch.columns import INCOME_TAX, PERSONS, SHEETS, SOCIAL_INSURANCE, Column, Sheet
from jifen_check.batch.readers import Assembled, CellMap, Layout, Problem, SheetPerson, assemble, set_path
from jifen_check.dates import month_number

ODD_TEXT = ["", " ", "\u3000", "9000", " 9,000 ", "９０００", "¥8000", "8000元", "1e999", "nan", "-inf", "2023.1",
            "2024-01", "2024-1", "2024/02", "202403", "2024-01..2024-03", "2024-03..2024-01", "2024-01..", "x..y..z",
            "2024-01 至 2024-02", "2024-13", "是", "否", "不清楚", "Y", "无固定期限", "企业", "enterprise", "外企",
            "示例", "32010219960510123x", "91310115MA1K3P7Q01", "一万二", "2021-03-01; 2022/4/5", "2021-02-30"]
CELLS = st.one_of(
    st.none(),
    st.sampled_from(ODD_TEXT),
    st.text(max_size=12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0.0, -0.0, 1.0, 2023.1, 2023.12, 9000.0, 9000.5, 1e9, -1e9, 999_999_999.0, 1e15, 3.2e17]),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.booleans(),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)),
    st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2100, 12, 31)),
    st.just(UNCACHED),
)
COLUMNS = [c for sheet in SHEETS for c in sheet.columns]


def plainly(value: object, column: Column) -> tuple[object, str | None] | None:
    """The conversion rule: None for a blank cell, else (value, None) or (its text, the message)."""
    if is_blank(value):
        return None
    try:
        return convert(value, column), None
    except CellError as exc:
        return as_text(value), str(exc)


def shown(got: object) -> str:
    return repr(None if got is SKIP else got)  # repr: 1, 1.0 and True differ


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(COLUMNS), st.lists(CELLS, min_size=1, max_size=4))
def test_a_cell_converts_as_convert_says_also_when_remembered(column: Column, values: list[object]) -> None:
    convert_cell = converter(column)
    for value in values + values:  # the second time from the memo
        assert shown(convert_cell(value)) == repr(plainly(value, column)), (column.field, value)


def test_true_and_one_are_remembered_apart() -> None:
    base = next(c for c in SOCIAL_INSURANCE.columns if c.field == "base")
    convert_cell = converter(base)
    assert [shown(convert_cell(v)) for v in (1.0, True, 1, True, 1.0)] == [
        "(1, None)", repr(("True", "缴费基数必须是数字")), "(1, None)", repr(("True", "缴费基数必须是数字")), "(1, None)"]


# ---------------------------------------------------------------- lists


def oracle_list(sheet: Sheet, name: str, columns: list[tuple[int, Column]],
                rows: list[tuple[int, tuple[object, ...]]]) -> tuple[list[dict[str, Any]], list[list[int]], list[Problem]]:
    """Rows → list items, their sheet-row spans and the problems, cell by cell (formats.md)."""
    list_path = sheet.list_path or sheet.key
    items: list[dict[str, Any]] = []
    spans: list[list[int]] = []
    problems: list[Problem] = []
    clean_end: int | None = None  # the sheet row the last item ends at, when it has no problem
    for n, values in rows:
        item: dict[str, Any] = {}
        clean = True
        for i, column in columns:
            if column.field in ("employee_no", "id_number"):
                continue
            got = plainly(values[i] if i < len(values) else None, column)
            if got is None:
                continue
            item[column.field] = got[0]
            if got[1] is not None:
                problems.append(Problem(f"{list_path}[{len(items)}].{column.field}",
                                        f"{name}!{get_column_letter(i + 1)}{n}", got[1]))
                clean = False
        if clean and clean_end == n - 1 and list_path in ("social_insurance", "income_tax"):
            prev = items[-1]
            month, prev_month = item.get("month"), prev.get("month")
            if isinstance(month, str) and isinstance(prev_month, str) and \
                    {k: v for k, v in item.items() if k != "month"} == {k: v for k, v in prev.items() if k != "month"} \
                    and prev.keys() == item.keys():
                first, _, last = prev_month.partition("..")
                start, _, end = month.partition("..")
                before = month_number(last or first)
                if before is not None and month_number(start) == before + 1:
                    prev["month"] = f"{first}..{end or start}"
                    spans[-1][1] = clean_end = n
                    continue
        items.append(item)
        spans.append([n, n])
        clean_end = n if clean else None
    return items, spans, problems


MONTHS = st.one_of(st.sampled_from(["2024-01", "2024-02", "2024-03", "2024-04", "2024-02..2024-03", "2024-13",
                                    "2024/05", "", None, "2024-01..", "x"]),
                   st.dates(min_value=dt.date(2023, 12, 1), max_value=dt.date(2024, 5, 1)))
AMOUNTS = st.sampled_from([9000.0, 9000, "9000", 9000.5, True, 1, 1.0, "一万二", "", None, float("nan"), 1e9])
PAYERS = st.sampled_from(["91310115MA1K3P7Q01", " 91310115ma1k3p7q01 ", 1.0, "", None, True])
FLAGS = st.sampled_from(["是", "否", True, 1.0, "", None, "也许"])


@st.composite
def month_rows(draw: st.DrawFn) -> tuple[Sheet, list[tuple[int, Column]], list[tuple[int, tuple[object, ...]]]]:
    """A 社保 or 个税 sheet in any column order, and rows mostly in runs of adjacent equal rows of
    consecutive months: the rows that merge."""
    sheet = draw(st.sampled_from([SOCIAL_INSURANCE, INCOME_TAX]))
    order = draw(st.permutations(sheet.columns))
    columns = list(enumerate(order))
    n = draw(st.integers(min_value=2, max_value=5))
    rows: list[tuple[int, tuple[object, ...]]] = []
    last: dict[str, object] = {}
    month = draw(st.integers(min_value=-2, max_value=3))  # months since 2024-01, mostly counting up
    for _ in range(draw(st.integers(min_value=0, max_value=14))):
        n += draw(st.sampled_from([1, 1, 1, 2]))
        if not last or draw(st.integers(0, 3)) == 0:  # a new run: new values
            last = {"base": draw(AMOUNTS), "income": draw(AMOUNTS), "payer_uscc": draw(PAYERS),
                    "withholder_uscc": draw(PAYERS), "back_payment": draw(FLAGS)}
        month += 1
        if draw(st.integers(0, 3)) == 0:  # now and then an odd month cell: a range, a blank, a bad one, a gap
            shown = draw(MONTHS)
        elif draw(st.booleans()):
            shown = f"{2024 + month // 12}-{month % 12 + 1:02d}"
        else:
            shown = dt.date(2024 + month // 12, month % 12 + 1, 1)
        values = {"employee_no": "E001", "id_number": None, "month": shown, **last}
        row = tuple(values[c.field] for c in order)
        rows.append((n, row[:draw(st.integers(min_value=0, max_value=len(row)))] if draw(st.integers(0, 9)) == 0
                     else row))  # now and then a short row (a CSV line with fewer cells)
    return sheet, columns, rows


@settings(max_examples=300, deadline=None)
@given(month_rows())
def test_month_rows_are_read_and_merged_as_the_rules_say(case: tuple[Sheet, list[tuple[int, Column]], list[Any]]) -> None:
    sheet, columns, rows = case
    layout = Layout(sheet, sheet.title, tuple(columns))
    out = Assembled("", {}, CellMap(), [])
    readers._fill_list(out, layout, rows)
    items, spans, problems = oracle_list(sheet, sheet.title, columns, rows)
    list_path = sheet.list_path or sheet.key
    assert repr(out.doc[list_path]) == repr(items)
    assert out.cells.lists[list_path].rows == spans
    assert out.problems == problems
    for i in range(len(items)):  # each row's cells are named as before
        first, last = spans[i]
        assert out.cells[f"{list_path}[{i}]"] == (f"{sheet.title}!{first}" if first == last
                                                  else f"{sheet.title}!{first}:{last}")


# ---------------------------------------------------------------- the 人员 row


@settings(max_examples=150, deadline=None)
@given(st.permutations(PERSONS.columns), st.data())
def test_the_person_row_is_read_as_the_rules_say(order: list[Column], data: st.DataObject) -> None:
    values = tuple(data.draw(CELLS) for _ in order)
    layout = Layout(PERSONS, "人员", tuple(enumerate(order)))
    got = assemble(SheetPerson(0, "人员!7", (7, values)), {PERSONS.key: layout})
    doc: dict[str, Any] = {"format": FORMAT_ID}
    cells = {"": "人员!7"}
    problems: list[Problem] = []
    for i, column in enumerate(order):
        parts = column.field.split(".")
        for k in range(1, len(parts)):
            cells.setdefault(".".join(parts[:k]), "人员!7")
        cell = cells[column.field] = f"人员!{get_column_letter(i + 1)}7"
        if (conv := plainly(values[i], column)) is not None:
            if conv[1] is not None:
                problems.append(Problem(column.field, cell, conv[1]))
            set_path(doc, column.field, conv[0])
    doc.setdefault("social_insurance", [])
    assert repr(got.doc) == repr(doc)
    assert list(got.cells.scalars.items()) == list(cells.items())
    assert got.problems == problems
