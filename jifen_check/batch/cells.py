"""Spreadsheet cell values → applicant values, one converter per column kind.

Cells arrive from openpyxl (None/int/float/str/bool/datetime), python-calamine ('' for blank,
floats for numbers, date objects) or CSV (always text). Every converter accepts all of them and
either returns the applicant value or raises CellError with a message naming what was expected.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable

from jifen_check.batch.columns import Column

_BLANK = (None, "")
_TRUE = {"是", "y", "yes", "true", "t", "1", "√", "✓", "有"}
_FALSE = {"否", "n", "no", "false", "f", "0", "×", "✗", "无"}
_UNKNOWN = {"不清楚", "未知", "unknown", "?", "？"}
_DATE_RE = re.compile(r"^(\d{4})[-/.年](\d{1,2})(?:[-/.月](\d{1,2})日?)?月?$")
_COMPACT_DATE_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_LIST_SPLIT = re.compile(r"[;；,，、\n]+")


class CellError(ValueError):
    """A cell that cannot be converted; the message says what was expected."""


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
    return "".join(as_text(value).split()).upper()


def _number(value: object, column: Column) -> float | int:
    if isinstance(value, bool):
        raise CellError(f"{column.header}必须是数字")
    if isinstance(value, int | float):
        return int(value) if float(value).is_integer() else float(value)
    text = str(value).strip().replace(",", "").replace("，", "").removeprefix("¥").removesuffix("元")
    try:
        number = float(text)
    except ValueError:
        raise CellError(f"{column.header}必须是数字，实际为 {str(value).strip()!r}") from None
    return int(number) if number.is_integer() else number


def _int(value: object, column: Column) -> int:
    number = _number(value, column)
    if not float(number).is_integer():
        raise CellError(f"{column.header}必须是整数，实际为 {number}")
    return int(number)


def _bool(value: object, column: Column) -> bool:
    if isinstance(value, bool):
        return value
    text = as_text(value).casefold()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise CellError(f"{column.header}应填 是 或 否，实际为 {as_text(value)!r}")


def _tristate(value: object, column: Column) -> bool | str:
    if as_text(value).casefold() in _UNKNOWN:
        return "unknown"
    try:
        return _bool(value, column)
    except CellError:
        raise CellError(f"{column.header}应填 是、否 或 不清楚，实际为 {as_text(value)!r}") from None


def _enum(value: object, column: Column) -> str:
    text = as_text(value)
    for code, label in column.options:
        if text.casefold() in (code.casefold(), label.casefold()):
            return code
    allowed = "、".join(label for _, label in column.options)
    raise CellError(f"{column.header}应为以下之一：{allowed}；实际为 {text!r}")


def parse_date_text(text: str) -> str | None:
    """`YYYY-MM-DD`, `YYYY/M/D`, `YYYY年M月D日`, `YYYYMMDD` or a month `YYYY-MM` → ISO text."""
    text = text.strip()
    if m := _COMPACT_DATE_RE.match(text):
        parts = (m[1], m[2], m[3])
    elif m := _DATE_RE.match(text):
        parts = (m[1], m[2], m[3])
    else:
        return None
    year, month = int(parts[0]), int(parts[1])
    try:
        if parts[2] is None:
            dt.date(year, month, 1)
            return f"{year:04d}-{month:02d}"
        return dt.date(year, month, int(parts[2])).isoformat()
    except ValueError:
        return None


def _date(value: object, column: Column) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    parsed = parse_date_text(as_text(value))
    if parsed is None:
        raise CellError(f"{column.header}无法识别为日期：{as_text(value)!r}，应为 YYYY-MM-DD 或 YYYY-MM")
    return parsed


def _one_month(text: str, column: Column) -> str:
    parsed = parse_date_text(text)
    if parsed is None:
        raise CellError(f"{column.header}无法识别为月份：{text!r}，应为 YYYY-MM 或区间 YYYY-MM..YYYY-MM")
    return parsed[:7]


def _month(value: object, column: Column) -> str:
    if isinstance(value, dt.date):  # datetime is a date too
        return f"{value.year:04d}-{value.month:02d}"
    text = as_text(value)
    month = _month_text(text)
    if month is not None:
        return month
    parts = text.split("..")
    if len(parts) > 2:
        raise CellError(f"{column.header}无法识别：{text!r}，区间应写成 YYYY-MM..YYYY-MM")
    return "..".join(_one_month(p, column) for p in parts)  # raises for the part that is wrong


@functools.lru_cache(maxsize=1 << 14)  # a million month cells hold a few hundred distinct texts
def _month_text(text: str) -> str | None:
    """`YYYY-MM` or a range, normalised; None when it cannot be read (the caller says why)."""
    parts = text.split("..")
    if len(parts) > 2:
        return None
    months = [parse_date_text(p) for p in parts]
    if any(m is None for m in months):
        return None
    return "..".join(m[:7] for m in months if m is not None)


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
    return CONVERTERS[column.kind](value, column)
