"""Reading dates and months, in one place (input layer: imports nothing of jifen_check).

Two kinds of reader:
- **strict**, for the applicant format (`applicant.py`): `YYYY-MM-DD`, `YYYY-MM`, and month specs
  `YYYY-MM` or `YYYY-MM..YYYY-MM`. They raise ValueError with the Chinese message the user sees.
- **lenient**, for what clerks type into a spreadsheet cell or the web form (`batch/cells.py`,
  `web/form.py`): `2023/5/1`, `2023年5月1日`, `20230501`, `202305`, full-width digits, and month
  ranges written with 至, 到, ~ or a dash. They return ISO text, or None when the text cannot be
  read (the caller says what was expected, naming its column or field).

Calendar arithmetic on months (indices, spans, whole months between dates) is `months.py`.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from functools import lru_cache
from typing import Any

# ---------------------------------------------------------------- strict: the applicant format

_MONTH_RE = re.compile(r"^(\d{4})-(\d{1,2})$")
_ISO_DATE_RE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def parse_day(value: Any, *, month_end: bool = False) -> dt.date:
    """A full date, or `YYYY-MM` where only a month is meaningful (its first day, or its last day
    with `month_end`: a permit valid until 2027-06 is valid through 2027-06-30)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        raise ValueError("应为日期 YYYY-MM-DD 或月份 YYYY-MM")
    text = value.strip()
    if m := _ISO_DATE_RE.match(text):
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    if m := _MONTH_RE.match(text):
        year, month = int(m[1]), int(m[2])
        day = calendar.monthrange(year, month)[1] if month_end else 1
        return dt.date(year, month, day)
    raise ValueError(f"无法识别的日期 {text!r}，应为 YYYY-MM-DD 或 YYYY-MM")


def parse_month(text: str) -> tuple[int, int]:
    """`YYYY-MM` → (year, month)."""
    m = _MONTH_RE.match(text.strip())
    if not m or not 1 <= int(m[2]) <= 12:
        raise ValueError(f"无法识别的月份 {text!r}，应为 YYYY-MM")
    return int(m[1]), int(m[2])


@lru_cache(maxsize=1 << 16)  # the same month strings recur in every applicant of a batch
def normal_month_spec(value: str) -> str:
    """`YYYY-MM` or an inclusive range `YYYY-MM..YYYY-MM`, zero-padded."""
    parts = value.split("..")
    if len(parts) > 2:
        raise ValueError(f"无法识别的月份区间 {value!r}")
    months = [parse_month(p) for p in parts]
    if len(months) == 2 and months[1] < months[0]:
        raise ValueError(f"月份区间 {value!r} 的结束早于开始")
    return "..".join(f"{y:04d}-{m:02d}" for y, m in months)


def month_range(spec: str) -> tuple[tuple[int, int], tuple[int, int]]:
    """A month spec's first and last (year, month); a single month is both."""
    parts = spec.split("..")
    return parse_month(parts[0]), parse_month(parts[-1])


def parse_iso_or_month(text: str) -> dt.date:
    """`YYYY-MM-DD`, or `YYYY-MM` as its first day (dates written in the ruleset's own data)."""
    return dt.date.fromisoformat(text if len(text) == 10 else text + "-01")


# ---------------------------------------------------------------- lenient: what clerks type

_DATE_RE = re.compile(r"^(\d{4})[-/.年](\d{1,2})(?:[-/.月](\d{1,2})日?)?月?$")
_COMPACT_DATE_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_COMPACT_MONTH_RE = re.compile(r"^(\d{4})(\d{2})$")
# A month range as clerks write it: 2021-01至2026-11, 2020.03-2026.11, 2023/05~2026/10, 202305..202611.
_MONTH = r"\d{4}(?:[-/.年]\d{1,2}月?|\d{2})"
_RANGE_RE = re.compile(rf"^({_MONTH})\s*(?:\.\.|至|到|~|—|–|－|-)\s*({_MONTH})$")


def read_date(text: str) -> str | None:
    """`YYYY-MM-DD`, `YYYY/M/D`, `YYYY年M月D日`, `YYYYMMDD` or a month `YYYY-MM` → ISO text."""
    text = unicodedata.normalize("NFKC", text).strip()
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


def read_month(text: str) -> str | None:
    """One month in any of the clerk spellings (also compact `YYYYMM`) → `YYYY-MM`."""
    if m := _COMPACT_MONTH_RE.match(text.strip()):
        text = f"{m[1]}-{m[2]}"
    parsed = read_date(text)
    return parsed[:7] if parsed else None


def range_parts(text: str) -> list[str]:
    """The one or two months of a cell: `..`, 至, 到, ~ or a dash between two months."""
    if m := _RANGE_RE.match(text):
        return [m[1], m[2]]
    return text.split("..")


@lru_cache(maxsize=1 << 14)  # a million month cells hold a few hundred distinct texts
def read_month_spec(text: str) -> str | None:
    """A month or a range in clerk spellings → `YYYY-MM` or `YYYY-MM..YYYY-MM` (not yet checked
    for order: the applicant format does that); None when it cannot be read."""
    parts = range_parts(text)
    if len(parts) > 2:
        return None
    months = [read_month(p) for p in parts]
    if any(m is None for m in months):
        return None
    return "..".join(m for m in months if m is not None)


def month_number(text: str) -> int | None:
    """A normalised `YYYY-MM` → year*12 + month - 1 (as `months.month_index`); None otherwise."""
    if len(text) != 7 or not _MONTH_RE.match(text):
        return None
    return int(text[:4]) * 12 + int(text[5:7]) - 1


_DATE_TOKEN = re.compile(r"(?<![\w-])(\d{4})-(\d{1,2})-(\d{1,2})(?![\w-])")


def first_impossible_date(text: str) -> tuple[int, str] | None:
    """The first date-like value in a file's text that is no date, with its line number (YAML reads
    2026-13-01 as a date and fails with Python's English "month must be in 1..12")."""
    for n, line in enumerate(text.splitlines(), start=1):
        for m in _DATE_TOKEN.finditer(line):
            try:
                dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                return n, m.group(0)
    return None
