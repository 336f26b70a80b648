"""Personal and organisation identifiers: the resident ID number and the 统一社会信用代码.

Check functions return a list of problems in plain Chinese, each saying what was expected and
what was found (an empty list means valid), so DATA-ID-NUMBER / DATA-USCC findings can quote
them directly. They never raise on bad input: a user's typo is data, not a crash.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Any

from jifen_check.reference import province_code_valid

# --- 居民身份证号码 (GB 11643-1999): 6-digit area, 8-digit birth date, 3-digit sequence, check char.

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)  # 2^(18-i) mod 11
_ID_CHECK_CHARS = "10X98765432"  # ISO 7064 MOD 11-2, indexed by the weighted sum mod 11
_ID_LENGTH = 18
_MIN_BIRTH_YEAR = 1900


def normalize_id(s: str) -> str:
    """Strip spaces and upper-case a trailing x: people type 11010519491231002x."""
    return "".join(str(s).split()).upper()


def id_check_char(first17: str) -> str:
    """The check character for the first 17 digits of an ID number."""
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise ValueError(f"应为 17 位数字，实际为 {first17!r}")
    total = sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK_CHARS[total % 11]


def _birth_text(s: str) -> str:
    return s[6:14]


def _parse_birth(text: str) -> dt.date | None:
    if len(text) != 8 or not text.isascii() or not text.isdigit():
        return None
    try:
        return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        return None


@lru_cache(maxsize=4096)  # bounded; asked ~6 times a person (validation, age, the earliest and route bounds)
def id_birth_date(s: str) -> dt.date | None:
    """The birth date encoded in an 18-character ID number, or None when there is none."""
    s = normalize_id(s)
    return _parse_birth(_birth_text(s)) if len(s) == _ID_LENGTH else None


def check_id_number(s: str, today: dt.date | None = None, day_name: str = "今天") -> list[str]:
    """Problems with a resident ID number (empty list = valid). `today` bounds the birth date; the
    message calls it `day_name` (the judgement's as-of date is the 申请日期, not always today)."""
    return list(_id_number_problems(s, today or dt.date.today(), day_name))


@lru_cache(maxsize=4096)  # bounded; a route's projected applicants have their ID checked again
def _id_number_problems(s: str, today: dt.date, day_name: str) -> tuple[str, ...]:
    return tuple(_check_id_number(s, today, day_name))


def _check_id_number(s: str, today: dt.date, day_name: str = "今天") -> list[str]:
    s = normalize_id(s)
    if len(s) != _ID_LENGTH:
        return [f"身份证号码应为 18 位，实际为 {len(s)} 位"]
    if not (s[:17].isascii() and s[:17].isdigit()):
        # Never quote the digits: a message must not show more of an ID than its mask.
        bad = next(i for i, c in enumerate(s[:17]) if not (c.isascii() and c.isdigit()))
        return [f"身份证号码前 17 位应全为数字，第 {bad + 1} 位不是数字"]
    problems = _id_area_problems(s) + _id_birth_problems(s, today, day_name)
    problems += _id_check_problems(s)
    return problems


def _id_area_problems(s: str) -> list[str]:
    if province_code_valid(s[:2]):
        return []
    return [f"身份证号码前两位应为省级行政区划代码（如 31 上海、32 江苏），实际为 {s[:2]}"]


def _id_birth_problems(s: str, today: dt.date, day_name: str) -> list[str]:
    text = _birth_text(s)
    birth = _parse_birth(text)
    # The birth date is the part the mask hides: say what is wrong without quoting it.
    if birth is None:
        return ["身份证号码第 7–14 位应为出生日期 YYYYMMDD，现在不是有效日期"]
    if birth.year < _MIN_BIRTH_YEAR:
        return [f"身份证号码中的出生年份应不早于 {_MIN_BIRTH_YEAR}"]
    if birth > today:
        return [f"身份证号码中的出生日期晚于{day_name} {today.isoformat()}"]
    return []


def _id_check_problems(s: str) -> list[str]:
    expected, actual = id_check_char(s[:17]), s[17]
    if actual == expected:
        return []
    return [f"身份证号码校验位应为 {expected}，实际为 {actual}"]


def make_id_number(area6: str, birth: dt.date, seq3: str) -> str:
    """A valid ID number from its parts (for samples and tests). seq3's last digit is the sex."""
    if len(area6) != 6 or not area6.isdigit():
        raise ValueError(f"area6 应为 6 位数字，实际为 {area6!r}")
    if len(seq3) != 3 or not seq3.isdigit():
        raise ValueError(f"seq3 应为 3 位数字，实际为 {seq3!r}")
    first17 = f"{area6}{birth:%Y%m%d}{seq3}"
    return first17 + id_check_char(first17)


def mask_id(s: str) -> str:
    """First 6 and last 4 characters shown, the rest `*`: 320102********123X.

    For a short or odd string, less is shown (at most a third at the front and a quarter at the
    back) so a masked value never gives away most of what was typed. Never more than 10 shown.
    """
    s = normalize_id(s)
    head, tail = min(6, len(s) // 3), min(4, len(s) // 4)
    return s[:head] + "*" * (len(s) - head - tail) + s[len(s) - tail :]


# --- Keeping IDs masked in every output (issue 9).

_DIGIT_RUN = re.compile(r"[0-9Xx]{10,}")
_ID_SHAPE = re.compile(r"\d{17}[\dX]|\d{15}")
_ID_KEYS = ("id", "身份证", "证件")
PIECE = 10  # no run of this many characters of an input ID may appear unmasked


def id_candidates(doc: Any) -> set[str]:
    """The ID numbers an input holds: values under a key that names an ID (also misspelt ones,
    `idnumber:`), and any value shaped like one. Normalised; at least PIECE characters."""
    found: set[str] = set()
    if isinstance(doc, dict | list):
        _scan(doc, found)
    else:
        _consider("", doc, found)
    return found


def _scan(root: dict[Any, Any] | list[Any], found: set[str]) -> None:
    """Every value under `root` (a list's under its own key), with a stack, not recursion: a hostile
    file may nest deeply. Most values of an applicant are floats and short text (months, codes):
    they are passed over inline, without a call per value."""
    stack: list[tuple[dict[Any, Any] | list[Any], str]] = [(root, "")]
    seen: set[tuple[Any, Any]] = set()  # monthly rows repeat the same codes under the same keys
    while stack:
        node, key = stack.pop()
        pairs = node.items() if isinstance(node, dict) else ((key, v) for v in node)
        for k, value in pairs:
            kind = type(value)
            if kind is float or value is None or kind is bool:
                continue
            if kind is str:
                if len(value) < PIECE and value.isascii():
                    continue  # normalising cannot lengthen short ASCII text: too short to be an ID
            elif kind is int:
                if -99_999_999 <= value <= 999_999_999:
                    continue  # fewer than PIECE characters
            elif isinstance(value, dict | list):
                stack.append((value, str(k)))
                continue
            if (k, value) not in seen:
                seen.add((k, value))
                _consider(str(k), value, found)


def _consider(key: str, value: Any, found: set[str]) -> None:
    if isinstance(value, str | int) and not isinstance(value, bool):
        raw = str(value)
        if len(raw) < PIECE and raw.isascii():
            return
        text = normalize_id(raw)
        if len(text) >= PIECE and (_ID_SHAPE.fullmatch(text) or _named(key) and _DIGIT_RUN.search(text)):
            found.add(text)


def _named(key: str) -> bool:
    """Whether a key names an ID (also misspelt: `idnumber`, `身份证号`)."""
    folded = key.casefold()
    return any(k in folded for k in _ID_KEYS)


def may_hold_id(text: str) -> bool:
    """Whether `scrub_text` could change `text` for some set of `id_candidates`: every candidate
    holds a run of PIECE or more of [0-9Xx] (an ID shape, or a named key's value with such a run),
    and scrub_text changes only a candidate found verbatim or such a run. Without one, the text
    needs no scrubbing whatever the input holds, and the candidates need not be looked for."""
    return _DIGIT_RUN.search(text) is not None


def scrub_text(text: str, ids: set[str]) -> str:
    """`text` with every ID of `ids`, and every run of digits sharing PIECE characters with one,
    replaced by its mask."""
    if not ids or not text:
        return text
    for idn in ids:
        if idn in text:
            text = text.replace(idn, mask_id(idn))
    pieces = _pieces(frozenset(ids))
    return _DIGIT_RUN.sub(lambda m: mask_id(m[0]) if _shares(m[0].upper(), pieces) else m[0], text)


def _pieces(ids: frozenset[str]) -> set[str]:
    return {idn[i : i + PIECE] for idn in ids for i in range(len(idn) - PIECE + 1)}


def _shares(run: str, pieces: set[str]) -> bool:
    return any(run[i : i + PIECE] in pieces for i in range(len(run) - PIECE + 1))


def scrub_ids(data: Any, ids: set[str]) -> Any:
    """A JSON-like structure with IDs masked in every string and no `birth_date` facts: a masked
    result gives the age instead (the birth date is the 8 digits the mask hides)."""
    if isinstance(data, dict):
        return {k: scrub_ids(v, ids) for k, v in data.items() if k != "birth_date"}
    if isinstance(data, list):
        return [scrub_ids(v, ids) for v in data]
    if isinstance(data, str):
        return scrub_text(data, ids)
    return data


# --- 统一社会信用代码 (GB 32100-2015): 1 registration department, 1 organisation type,
# 6-digit registration-authority division code, 9-character organisation code, 1 check char.

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, Z, S, V
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)  # 3^i mod 31
_USCC_LENGTH = 18
_NATIONAL_REGION = "10"  # 100000: bodies registered by a central authority


def normalize_uscc(s: str) -> str:
    return "".join(str(s).split()).upper()


def uscc_check_char(first17: str) -> str:
    """The GB 32100 check character for the first 17 characters."""
    first17 = normalize_uscc(first17)
    if len(first17) != 17 or any(c not in USCC_CHARSET for c in first17):
        raise ValueError(f"应为 17 位代码字符（0-9、A-Z，不含 I O Z S V），实际为 {first17!r}")
    total = sum(USCC_CHARSET.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return USCC_CHARSET[(31 - total % 31) % 31]


def check_uscc(s: str) -> list[str]:
    """Problems with a 统一社会信用代码 (empty list = valid)."""
    return list(_uscc_problems(s))


@lru_cache(maxsize=4096)  # bounded; most people of a batch share their employer's code
def _uscc_problems(s: str) -> tuple[str, ...]:
    return tuple(_check_uscc(s))


def _check_uscc(s: str) -> list[str]:
    s = normalize_uscc(s)
    if len(s) != _USCC_LENGTH:
        return [f"统一社会信用代码应为 18 位，实际为 {len(s)} 位"]
    bad = [f"第 {i + 1} 位「{c}」" for i, c in enumerate(s) if c not in USCC_CHARSET]
    if bad:
        return [f"统一社会信用代码只能含数字和大写字母（不含 I O Z S V），{'、'.join(bad)}不合规"]
    problems = _uscc_region_problems(s)
    expected = uscc_check_char(s[:17])
    if s[17] != expected:
        problems.append(f"统一社会信用代码校验位应为 {expected}，实际为 {s[17]}")
    return problems


def _uscc_region_problems(s: str) -> list[str]:
    region = s[2:8]
    if region.isdigit() and (province_code_valid(region[:2]) or region[:2] == _NATIONAL_REGION):
        return []
    return [f"统一社会信用代码第 3–8 位应为登记管理机关行政区划代码（6 位数字，如 310115），实际为 {region}"]


def uscc_region(s: str) -> str:
    """Characters 3–8: the registration authority's administrative division code."""
    return normalize_uscc(s)[2:8]


def uscc_is_shanghai(s: str) -> bool:
    """Registered by a Shanghai authority (division code 31xxxx): PRE-EMPLOYER-SH."""
    return uscc_region(s).startswith("31")


def make_uscc(prefix17_without_check: str) -> str:
    """A valid 统一社会信用代码 from its first 17 characters (for samples and tests)."""
    prefix = normalize_uscc(prefix17_without_check)
    return prefix + uscc_check_char(prefix)
