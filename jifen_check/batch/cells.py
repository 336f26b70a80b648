"""Spreadsheet cell values → applicant values, one converter per column kind.

Cells arrive from openpyxl (None/int/float/str/bool/datetime), python-calamine ('' for blank,
floats for numbers, date objects) or CSV (always text). Every converter accepts all of them and
either returns the applicant value or raises CellError with a message naming what was expected.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
import unicodedata
from collections.abc import Callable
from typing import Any

from jifen_check import yamlio
from jifen_check.batch.columns import Column
from jifen_check.dates import range_parts, read_date, read_month, read_month_spec
from jifen_check.rulebook import RULESETS_DIR

SYNONYMS_FILE = RULESETS_DIR / "reference" / "synonyms.yaml"
_BLANK = (None, "")
_LIST_SPLIT = re.compile(r"[;；,，、\n]+")


class CellError(ValueError):
    """A cell that cannot be converted; the message says what was expected."""


@functools.cache
def synonyms() -> dict[str, Any]:
    """rulesets/reference/synonyms.yaml: codes' synonyms, yes/no words, open-ended contract words."""
    data = yamlio.load(SYNONYMS_FILE.read_text(encoding="utf-8"))
    return {
        "codes": {str(code): {normal(w) for w in words} for code, words in data["codes"].items()},
        "true": {normal(str(w)) for w in data["true"]},
        "false": {normal(str(w)) for w in data["false"]},
        "unknown": {normal(str(w)) for w in data["unknown_answer"]},
        "open_ended": {normal(str(w)) for w in data["open_ended"]},
    }


def normal(text: str) -> str:
    """Half-width (full-width digits, letters and ．／～ made ASCII), trimmed, case-folded."""
    return unicodedata.normalize("NFKC", text).strip().casefold()


class UncachedFormula:
    """A formula cell saved without its value (a program wrote it, Excel never calculated it):
    every reader sees a blank, so it is marked and refused instead (xlsx_guard.py)."""

    def __str__(self) -> str:
        return ""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, UncachedFormula)

    def __hash__(self) -> int:
        return 1


UNCACHED = UncachedFormula()
UNCACHED_MESSAGE = "是公式，但文件中没有保存计算结果：请在 Excel 中打开并保存后再导入"
MAX_MAGNITUDE = 1e9  # no base, income or count reaches a billion


def is_blank(value: object) -> bool:
    return value in _BLANK or (isinstance(value, str) and not value.strip())


def as_text(value: object) -> str:
    """Text as the user meant it: 1001.0 from a numeric cell is "1001", dates are ISO."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _text(value: object, column: Column) -> str:
    return as_text(value)


def _id(value: object, column: Column) -> str:
    if isinstance(value, float) and value >= 1e15:
        # 18-digit numbers do not survive a float: the last digits are already lost.
        raise CellError(f"{column.header}被 Excel 存成了数字，末几位已丢失；请把该列设为文本后重新填写")
    return "".join(unicodedata.normalize("NFKC", as_text(value)).split()).upper()


def _number(value: object, column: Column) -> float | int:
    if isinstance(value, bool):
        raise CellError(f"{column.header}必须是数字")
    if isinstance(value, int | float):
        return _finite(float(value), str(value), column)
    text = normal(str(value)).replace(",", "").removeprefix("¥").removesuffix("元")
    try:
        number = float(text)
    except ValueError:
        raise CellError(f"{column.header}必须是数字，实际为 {str(value).strip()[:40]!r}") from None
    return _finite(number, text, column)


def _finite(number: float, shown: str, column: Column) -> float | int:
    # float("nan"), float("inf") and float("1e999") all parse: none is a base or an income.
    if not math.isfinite(number):
        raise CellError(f"{column.header}必须是有限的数字，实际为 {shown[:40]!r}")
    if abs(number) >= MAX_MAGNITUDE:
        raise CellError(f"{column.header}数值过大（{shown[:40]}），应小于 {MAX_MAGNITUDE:,.0f}")
    return int(number) if number.is_integer() else number


def _int(value: object, column: Column) -> int:
    number = _number(value, column)
    if not float(number).is_integer():
        raise CellError(f"{column.header}必须是整数，实际为 {number}")
    return int(number)


def _bool(value: object, column: Column) -> bool:
    if isinstance(value, bool):
        return value
    text = normal(as_text(value))
    if text in synonyms()["true"]:
        return True
    if text in synonyms()["false"]:
        return False
    raise CellError(f"{column.header}应填 是 或 否，实际为 {as_text(value)!r}")


def _tristate(value: object, column: Column) -> bool | str:
    if normal(as_text(value)) in synonyms()["unknown"]:
        return "unknown"
    try:
        return _bool(value, column)
    except CellError:
        raise CellError(f"{column.header}应填 是、否 或 不清楚，实际为 {as_text(value)!r}") from None


def _enum(value: object, column: Column) -> str:
    text = as_text(value)
    wanted = normal(text)
    for code, label in column.options:
        if wanted in (code.casefold(), normal(label)):
            return code
    for code, _ in column.options:
        if wanted in synonyms()["codes"].get(code, ()):
            return code
    allowed = "、".join(label for _, label in column.options)
    raise CellError(f"{column.header}应为以下之一：{allowed}；实际为 {text!r}")


def _date(value: object, column: Column) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if column.field == "contract.end" and normal(as_text(value)) in synonyms()["open_ended"]:
        return None  # type: ignore[return-value]  # 无固定期限: an open-ended contract has no end
    parsed = read_date(as_text(value))
    if parsed is None:
        raise CellError(f"{column.header}无法识别为日期：{as_text(value)!r}，应为 YYYY-MM-DD 或 YYYY-MM")
    return parsed


def _one_month(text: str, column: Column) -> str:
    parsed = read_month(text)
    if parsed is None:
        raise CellError(f"{column.header}无法识别为月份：{text!r}，应为 YYYY-MM 或区间 YYYY-MM..YYYY-MM")
    return parsed


def _month(value: object, column: Column) -> str:
    if isinstance(value, dt.date):  # datetime is a date too
        return f"{value.year:04d}-{value.month:02d}"
    if isinstance(value, float) and _one_decimal(value):
        # 2023.10 typed into a number cell is stored as 2023.1: October or January? Never guess.
        year = int(value)
        raise CellError(f"{column.header}是数字 {value!r}，含义不明（{year}-01 还是 {year}-10？）："
                        "请把该列设为文本，写成 YYYY-MM")
    text = unicodedata.normalize("NFKC", as_text(value)).strip()
    month = read_month_spec(text)
    if month is not None:
        return month
    parts = range_parts(text)
    if len(parts) > 2:
        raise CellError(f"{column.header}无法识别：{text!r}，区间应写成 YYYY-MM..YYYY-MM")
    return "..".join(_one_month(p, column) for p in parts)  # raises for the part that is wrong


def _one_decimal(value: float) -> bool:
    """2023.1 (but not 2023.12 or 2023.0): the only number a typed YYYY.MM loses a digit of."""
    text = repr(value)
    return "." in text and len(text.rsplit(".", 1)[1]) == 1 and text.endswith("1")


def _date_list(value: object, column: Column) -> list[str]:
    if isinstance(value, dt.date):
        return [_date(value, column)]
    return [_date(part, column) for part in _LIST_SPLIT.split(as_text(value)) if part.strip()]


CONVERTERS: dict[str, Callable[[object, Column], object]] = {
    "text": _text,
    "id": _id,
    "number": _number,
    "int": _int,
    "bool": _bool,
    "tristate": _tristate,
    "enum": _enum,
    "date": _date,
    "month": _month,
    "date_list": _date_list,
}


def convert(value: object, column: Column) -> object:
    """The applicant value of a non-blank cell; raises CellError."""
    if isinstance(value, UncachedFormula):
        raise CellError(f"{column.header}{UNCACHED_MESSAGE}")
    return CONVERTERS[column.kind](value, column)


# ---------------------------------------------------------------- a column's cells, many times over

# A cell's conversion: (value, None); (its text, the CellError message) for a cell that cannot be
# converted (the text is passed on, so the judge never sees a half-converted value); or SKIP for
# a blank cell, which gives no field.
Converted = tuple[object, str | None]
Convert = Callable[[object], Converted]
SKIP: Converted = (None, "")

# Conversions are remembered per column: a person's 48 month rows repeat the payer's code, the
# base and the 补缴 flag, and every person of a workbook has the same months; converting each
# distinct (column, cell) once cut the batch reader's conversion time by about two thirds
# (mixed-2000, measured). A memo is emptied when full: memory stays flat.
MEMO_SIZE = 4096
_MEMOS: dict[Column, dict[object, Converted]] = {}
_CONVERTERS: dict[Column, Convert] = {}


def converted(value: object, column: Column) -> Converted:
    """The Converted of one cell, worked out afresh."""
    if value is None or value == "" or is_blank(value):
        return SKIP
    try:
        return convert(value, column), None
    except CellError as exc:
        return as_text(value), str(exc)


def converter(column: Column) -> Convert:
    """The column's cell → Converted function: `converted`, remembered (one per column)."""
    conv = _CONVERTERS.get(column)
    if conv is None:
        conv = _CONVERTERS[column] = _build_converter(column)
    return conv


def _build_converter(column: Column) -> Convert:
    if column.kind == "date_list":  # a list must not be shared between people: never remembered
        return functools.partial(converted, column=column)
    memo = _MEMOS.setdefault(column, {})

    def remembered(value: object) -> Converted:
        # By type too (True == 1 == 1.0 but converts differently); text, the usual cell, is its own key.
        key = value if value.__class__ is str else (value.__class__, value)
        try:
            return memo[key]
        except KeyError:
            if len(memo) >= MEMO_SIZE:
                memo.clear()
            got = memo[key] = converted(value, column)
            return got
        except TypeError:  # an unhashable cell value
            return converted(value, column)

    if column.kind in ("number", "int"):
        return _plain_floats(remembered, whole_only=column.kind == "int")
    if column.kind == "text":
        return _plain_text(remembered)
    return remembered


def _plain_floats(remembered: Convert, *, whole_only: bool) -> Convert:
    """A plain float in range (every numeric cell calamine reads) converted on the spot, as `_number`
    and `_int` convert it: incomes differ month by month, and remembering them only churned the memo."""

    def number(value: object) -> Converted:
        if value.__class__ is float and -MAX_MAGNITUDE < value < MAX_MAGNITUDE:  # type: ignore[operator]
            if value.is_integer():  # type: ignore[attr-defined]
                return int(value), None  # type: ignore[call-overload]
            if not whole_only:
                return value, None
        return remembered(value)

    return number


def _plain_text(remembered: Convert) -> Convert:
    """Text in a text column is just trimmed (`as_text`); names and dates are seldom seen twice."""

    def text(value: object) -> Converted:
        if value.__class__ is str:
            trimmed = value.strip()  # type: ignore[attr-defined]
            return (trimmed, None) if trimmed else SKIP
        return remembered(value)

    return text
