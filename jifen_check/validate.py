"""Input → a validated Applicant, or `DATA-*` problems that name the field path and what was expected.

Nothing here raises on bad input: every problem becomes a `Problem` with its rule ID, its path
(`social_insurance[3].base`), what was wrong and what was expected. `error` problems prevent judging;
`warning` problems (a base outside that year's floor and ceiling) are reported with the result.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from jifen_check import months as mo
from jifen_check import yamlio
from jifen_check.applicant import Applicant
from jifen_check.dates import first_impossible_date
from jifen_check.identifiers import check_id_number, check_uscc, id_birth_date
from jifen_check.labels import QUAL_KIND_ZH
from jifen_check.money import dec
from jifen_check.rulebook import Rulebook
from jifen_check.wages import wages_for

MAX_MONTH_ROWS = 2400  # 200 years of monthly rows: anything longer is not a real record
MAX_PROBLEMS = 60


@dataclass
class Problem:
    rule: str
    path: str
    message: str
    severity: str = "error"


# ---------------------------------------------------------------- reading files

# Limits on an applicant file (issue 9: a 1.6 KB alias bomb took 17 s and 4.3 GB; JSON nested
# 100,000 deep or a 5,001-digit number crashed). A real applicant is a few KB: 2,400 month rows
# of social insurance and as many of income tax are about 300 KB and 15,000 values.
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_VALUES = 100_000  # values after expanding YAML aliases (each use counts again)
MAX_DEPTH = 20  # the deepest real path is family.children[i].<field>: 4 levels
MAX_INT_DIGITS = 20  # an 18-digit ID number typed without quotes is still a number here
MAX_MAGNITUDE = 10**9  # no base, income or count is a billion; IDs are text by then (see below)
_DIGIT_KEYS = ("id_number", "uscc", "employee_no", "phone", "code")  # numbers that are really text


# A value over a limit while parsing (raised from the JSON hooks and by the YAML loader).
_TooBig = yamlio.Refused
_YAML_LIMITS = yamlio.Limits(max_depth=MAX_DEPTH, max_values=MAX_VALUES)


def parse_text(raw: bytes, name: str = "-") -> tuple[Any, list[Problem]]:
    """Bytes of a YAML or JSON applicant file → the document, or a DATA-FORMAT problem."""
    if len(raw) > MAX_FILE_BYTES:
        return None, [_file_problem(name, f"文件大小 {len(raw) / 1048576:.1f} MB 超过上限 "
                                          f"{MAX_FILE_BYTES // 1048576} MB，不像一位申请人的文件")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        return None, [Problem("DATA-FORMAT", "(file)",
                              f"{name}: 第 {e.start} 字节不是有效的 UTF-8 编码（应为 UTF-8 文本，可用记事本“另存为 UTF-8”）")]
    if not text.strip():
        return None, [Problem("DATA-FORMAT", "(file)", f"{name}: 文件为空，应为 jifen-check/applicant@1 格式的 YAML 或 JSON")]
    try:
        doc = _load_json(text) if name.endswith(".json") or text.lstrip().startswith("{") else yamlio.load(text, _YAML_LIMITS)
        # Text that is not valid Unicode (a lone surrogate) cannot be echoed in any output.
        if broken := [p for p in value_problems(doc) if p.message == _SURROGATE_MESSAGE]:
            return None, broken
        return doc, []
    except json.JSONDecodeError as e:
        return None, [Problem("DATA-FORMAT", "(file)", f"{name}: JSON 语法错误，第 {e.lineno} 行第 {e.colno} 列：{e.msg}")]
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"第 {mark.line + 1} 行第 {mark.column + 1} 列" if mark else "位置未知"
        return None, [Problem("DATA-FORMAT", "(file)",
                              f"{name}: YAML 语法错误，{where}：{getattr(e, 'problem', None) or e}")]
    except RecursionError:
        return None, [_file_problem(name, f"嵌套层数过深（上限 {MAX_DEPTH} 层）")]
    except (_TooBig, ValueError) as e:  # the JSON hooks; int() of a 5,000-digit number; a YAML date 2026-13-01
        if isinstance(e, _TooBig):
            return None, [_file_problem(name, str(e))]
        bad = first_impossible_date(text)
        if bad:
            return None, [_file_problem(name, f"第 {bad[0]} 行的日期 {bad[1]} 不存在，请按 YYYY-MM-DD 填写真实的日期")]
        return None, [_file_problem(name, f"数值无法读取：{_first_line(e)}")]


def _file_problem(name: str, message: str) -> Problem:
    return Problem("DATA-FORMAT", "(file)", f"{name}: {message}")


def _first_line(e: Exception) -> str:
    return (str(e).strip().splitlines() or [type(e).__name__])[0][:120]


def _json_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise _TooBig(f"数字 {text[:12]}… 共 {len(text)} 位，超过 {MAX_INT_DIGITS} 位上限")
    return int(text)


def _json_constant(text: str) -> float:
    raise _TooBig(f"JSON 中不允许 {text}：金额、月数等必须是有限的数字")


def _load_json(text: str) -> Any:
    def unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in pairs:
            if key in out:
                raise _TooBig(f"第 {_line_of_second(text, key)} 行：键「{key[:40]}」在同一层重复出现"
                              "（后一个会悄悄覆盖前一个），请删除其中一个")
            out[key] = value
        return out

    return json.loads(text, parse_int=_json_int, parse_constant=_json_constant, object_pairs_hook=unique)


def _line_of_second(text: str, key: str) -> str:
    """The line of the second `"key":` (the JSON hook does not know positions)."""
    found = [m.start() for m in re.finditer(re.escape(json.dumps(key, ensure_ascii=False)) + r"\s*:", text)]
    return str(text.count("\n", 0, found[1]) + 1) if len(found) > 1 else "?"




def value_problems(doc: Any) -> list[Problem]:
    """Values no applicant field can hold, anywhere in the document (a file or a batch row):
    NaN and ±Inf, absurd magnitudes, text that is not valid Unicode, and too deep or too many."""
    if _plainly_clean(doc):  # the usual case, decided without building a path for every value
        return []
    return _all_value_problems(doc)


def _all_value_problems(doc: Any) -> list[Problem]:
    problems: list[Problem] = []
    count = 0
    stack: list[tuple[Any, str, int]] = [(doc, "", 0)]
    while stack and len(problems) < MAX_PROBLEMS:
        value, path, depth = stack.pop()
        count += 1
        if count > MAX_VALUES or depth > MAX_DEPTH:
            what = f"值超过 {MAX_VALUES:,} 个" if count > MAX_VALUES else f"嵌套超过 {MAX_DEPTH} 层"
            return [Problem("DATA-FORMAT", path or "(root)", f"{what}，拒绝读取")]
        if isinstance(value, dict):
            for k, v in value.items():
                if isinstance(k, str) and _SURROGATE.search(k):
                    problems.append(Problem("DATA-FORMAT", path or "(root)", "键名含有无效的 Unicode 字符"))
                    continue
                stack.append((v, f"{path}.{k}" if path else str(k), depth + 1))
        elif isinstance(value, list):
            stack.extend((v, f"{path}[{i}]", depth + 1) for i, v in enumerate(value))
        elif message := _bad_value(value, path):
            problems.append(Problem(rule_for_path(path), path or "(root)", message))
    return sorted(problems, key=lambda p: p.path)


def _plainly_clean(doc: Any) -> bool:
    """True only if `value_problems` would find nothing: a cheap pass that builds no paths and flags
    anything doubtful (a big integer, a deep container) for the full pass to decide. It runs for
    every applicant; building every value's path made it the largest cost in a profile of judging.
    Level by level (the depth is the level's), the common types first: no per-value tuple or call."""
    if not isinstance(doc, dict | list):
        return _scalar_clean(doc)
    count, depth, level = 1, 0, [doc]
    while level:
        if depth >= MAX_DEPTH:
            return False
        below: list[Any] = []
        for node in level:
            if isinstance(node, dict):
                try:  # the usual case: text keys, all ASCII
                    keys_ascii = "".join(node).isascii()
                except TypeError:
                    keys_ascii = False
                if not keys_ascii and not _keys_clean(node):
                    return False
                children = node.values()
            else:
                children = node
            count += len(children)
            if count > MAX_VALUES:
                return False
            for value in children:
                kind = type(value)
                if kind is str:  # most values: ASCII text has no surrogates
                    if not value.isascii() and _SURROGATE.search(value):
                        return False
                elif kind is int:
                    if abs(value) >= MAX_MAGNITUDE:
                        return False
                elif kind is float:
                    if not abs(value) < MAX_MAGNITUDE:  # also NaN and ±Inf
                        return False
                elif kind is bool or value is None:
                    continue
                elif isinstance(value, dict | list):
                    below.append(value)
                elif not _scalar_clean(value):
                    return False
        level, depth = below, depth + 1
    return True


def _model_plainly_clean(app: BaseModel) -> bool:
    """True only if `_plainly_clean` would pass the model's dump (model_dump by alias, without None):
    the same checks on the model's own values, with no dump built. Its nesting is the schema's (4
    levels); the count is bounded from above by every field of every model, None or not; the keys
    are field names. Anything doubtful is left to the dump's full check."""
    bound, stack = 1, [app]
    while stack:
        node = stack.pop()
        if type(node) is list and len(node) > 2 and (rows := _rows_clean(node)) is not None:
            if not rows[0]:
                return False
            bound += rows[1]
            continue
        children = node if type(node) is list else node.__dict__.values()
        bound += len(children)
        for value in children:
            kind = type(value)
            if kind is str:
                if not value.isascii() and _SURROGATE.search(value):
                    return False
            elif kind is float:
                if not abs(value) < MAX_MAGNITUDE:  # also NaN and ±Inf
                    return False
            elif kind is int:
                if abs(value) >= MAX_MAGNITUDE:
                    return False
            elif kind is list or isinstance(value, BaseModel):
                stack.append(value)
            elif isinstance(value, dict | tuple | set) or not _scalar_clean(value):
                return False  # no field holds these today: the dump's scan decides, should one appear
    return bound <= MAX_VALUES


_ROW_SCALARS = frozenset({str, float, int, bool, type(None), dt.date})


def _rows_clean(rows: list[Any]) -> tuple[bool, int] | None:
    """A list of models of one class holding only scalars (the monthly rows), checked column-free in
    bulk: (clean, values counted as `_model_plainly_clean` counts them), or None where the list is
    anything else (the value-by-value scan decides). The same checks: no text with a surrogate, no
    float that is NaN, ±Inf or of MAX_MAGNITUDE, no int of MAX_MAGNITUDE."""
    cls = type(rows[0])
    if not issubclass(cls, BaseModel) or any(type(r) is not cls for r in rows):
        return None
    values = [v for r in rows for v in r.__dict__.values()]
    kinds = set(map(type, values))
    if not kinds <= _ROW_SCALARS:
        return None
    count = len(rows) + len(values)
    if str in kinds:
        text = "".join([v for v in values if type(v) is str])
        if not text.isascii() and _SURROGATE.search(text):
            return False, count
    for kind in (float, int):
        if kind in kinds:
            numbers = [v for v in values if type(v) is kind]
            # max() passes over a NaN after the first value; the sum of values under the limit is
            # NaN only if one is.
            if not max(map(abs, numbers)) < MAX_MAGNITUDE or math.isnan(sum(numbers)):
                return False, count
    return True, count


def _keys_clean(node: dict[Any, Any]) -> bool:
    """No key is text with a lone surrogate (checked on the keys joined: one scan, not one per key)."""
    try:
        joined = "".join(node)
    except TypeError:  # a non-text key (YAML allows numbers): only text keys can hold surrogates
        joined = "".join(k for k in node if isinstance(k, str))
    return joined.isascii() or not _SURROGATE.search(joined)


def _scalar_clean(value: Any) -> bool:
    if isinstance(value, str):
        return value.isascii() or not _SURROGATE.search(value)
    if isinstance(value, bool):
        return True
    if isinstance(value, float):
        return math.isfinite(value) and abs(value) < MAX_MAGNITUDE
    if isinstance(value, int):
        return abs(value) < MAX_MAGNITUDE
    return True


_SURROGATE = re.compile("[\ud800-\udfff]")
_SURROGATE_MESSAGE = "含有无效的 Unicode 字符（孤立的代理项），请重新输入该字段"


def _bad_value(value: Any, path: str) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return "必须是有限的数字（不能是 NaN 或无穷大）"
    if isinstance(value, int | float) and abs(value) >= MAX_MAGNITUDE:
        if isinstance(value, int) and any(k in path.rsplit(".", 1)[-1] for k in _DIGIT_KEYS):
            return None
        return f"数值过大（绝对值应小于 {MAX_MAGNITUDE:,}）"
    if isinstance(value, str) and _SURROGATE.search(value):
        return _SURROGATE_MESSAGE
    return None


# ---------------------------------------------------------------- schema validation

def rule_for_path(path: str) -> str:
    if "id_number" in path or "birth_date" in path and path.startswith("person"):
        return "DATA-ID-NUMBER"
    if "uscc" in path:
        return "DATA-USCC"
    last = path.rsplit(".", 1)[-1]
    if path.startswith("social_insurance") and last != "month":
        return "DATA-SI-MONTH"
    if last in {"as_of", "start", "end", "month", "from", "to", "valid_until", "issued_or_renewed_on",
                "obtained_on", "awarded_on", "marriage_date", "birth_date"} or "[" in last and path.startswith("records"):
        return "DATA-DATES"
    return "DATA-FORMAT"


def path_of(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(root)"


_MESSAGES = {
    "missing": "缺少必填字段",
    "extra_forbidden": "未知字段（拼写错误或放错了位置？）",
    "float_parsing": "应为数字", "float_type": "应为数字", "int_parsing": "应为整数", "int_type": "应为整数",
    "int_from_float": "应为整数", "bool_parsing": "应为 true 或 false", "bool_type": "应为 true 或 false",
    "string_type": "应为文本", "list_type": "应为列表", "dict_type": "应为映射（键: 值）",
    "model_type": "应为映射（键: 值）", "model_attributes_type": "应为映射（键: 值）",
    "string_too_short": "不能为空", "greater_than_equal": "不能为负数", "too_short": "不能为空列表",
}


# Python's own date errors (from dt.date) reach the value_error branch in English.
_PYTHON_ERRORS = {
    "month must be in 1..12": "月份应为 1–12，日期应写成 YYYY-MM-DD",
    "day is out of range for month": "该月没有这一天，日期应写成 YYYY-MM-DD",
    "year 0 is out of range": "年份无效，日期应写成 YYYY-MM-DD",
}


def describe(err: dict[str, Any]) -> str:
    kind = err["type"]
    got = err.get("input")
    shown = repr(got)[:60] if kind != "missing" and not isinstance(got, dict | list) else ""
    if kind == "literal_error":
        text = f"取值无效，应为以下之一：{_choices(str(err.get('ctx', {}).get('expected', '')))}"
    elif kind == "value_error":
        text = str(err.get("ctx", {}).get("error", err["msg"]))
        text = _PYTHON_ERRORS.get(text, text)
    else:
        text = _MESSAGES.get(kind, err["msg"])
    # A message that already quotes the value (a reversed month range) does not quote it twice.
    return f"{text}（实际为 {shown}）" if shown and shown not in text else text


def _choices(expected: str) -> str:
    """pydantic's "'a', 'b' or 'c'" as a Chinese list: 'a'、'b'、'c'."""
    return "、".join(re.findall(r"'[^']*'|\S+(?=,| or |$)", expected)) or expected


def schema_problems(e: ValidationError) -> list[Problem]:
    problems = []
    seen: set[str] = set()
    for err in e.errors():
        loc = tuple(x for x in err["loc"] if not (isinstance(x, str) and ("[" in x or x.startswith("function-"))))
        path = path_of(loc)
        if path in seen:  # a union reports once per branch: one problem per field is enough
            continue
        seen.add(path)
        problems.append(Problem(rule_for_path(path), path, describe(err)))
    return problems


def to_applicant(doc: Any) -> tuple[Applicant | None, list[Problem]]:
    if not isinstance(doc, dict):
        return None, [Problem("DATA-FORMAT", "(root)", "文件内容应为一个申请人（映射），实际为 "
                              + type(doc).__name__)]
    if bad := value_problems(doc):
        return None, bad
    for key in ("social_insurance", "income_tax"):
        rows = doc.get(key)
        if isinstance(rows, list) and len(rows) > MAX_MONTH_ROWS:
            return None, [Problem("DATA-SI-MONTH", key, f"共 {len(rows)} 行，超过 {MAX_MONTH_ROWS} 行上限；"
                                  "每月一行，连续相同的月份可写成区间 YYYY-MM..YYYY-MM")]
    try:
        app = Applicant.model_validate(doc)
    except ValidationError as e:
        return None, schema_problems(e)
    # Text such as "1e999" or "inf" (YAML reads 1e999 without a dot as text) becomes a float only
    # in the model: check the numbers again as the judge will see them.
    if _model_plainly_clean(app):
        return app, []
    if bad := value_problems(app.model_dump(mode="python", by_alias=True, exclude_none=True)):
        return None, bad
    return app, []


# ---------------------------------------------------------------- semantic checks


class Checker:
    def __init__(self, app: Applicant, as_of: dt.date, book: Rulebook) -> None:
        self.app, self.as_of, self.book = app, as_of, book
        self.problems: list[Problem] = []

    def add(self, rule: str, path: str, message: str, severity: str = "error") -> None:
        self.problems.append(Problem(rule, path, message, severity))

    def run(self) -> list[Problem]:
        self.ids()
        self.usccs()
        self.month_rows()
        self.dates()
        self.qualification_levels()
        return self.problems

    def qualification_levels(self) -> None:
        """Titles and vocational qualifications take junior/intermediate/senior; skills take 1–5.

        The schema accepts either kind of level for any qualification; a mismatch would otherwise
        score 0 with no line and no message."""
        for i, q in enumerate(self.app.qualifications):
            skill = q.kind == "skill_level"
            if skill != isinstance(q.level, int):
                expected = "1–5（职业技能等级）" if skill else "junior、intermediate 或 senior（初级、中级、高级）"
                self.add("DATA-FORMAT", f"qualifications[{i}].level",
                         f"{QUAL_KIND_ZH[q.kind]}的等级应为 {expected}，实际为 {q.level!r}")

    def ids(self) -> None:
        person = self.app.person
        for msg in check_id_number(person.id_number, today=self.as_of, day_name="申请日期"):
            self.add("DATA-ID-NUMBER", "person.id_number", msg)
        born = id_birth_date(person.id_number)
        if person.birth_date and born and person.birth_date != born:
            # Neither date is quoted: the one in the ID is what its mask hides.
            self.add("DATA-ID-NUMBER", "person.birth_date", "出生日期与身份证号码中的出生日期不一致")
        spouse = self.app.family.spouse
        if spouse and spouse.id_number:
            for msg in check_id_number(spouse.id_number, today=self.as_of, day_name="申请日期"):
                self.add("DATA-ID-NUMBER", "family.spouse.id_number", msg)

    def usccs(self) -> None:
        """Each distinct code once, named by the first field that holds it (a row's path is built only
        for a code not seen yet: most rows repeat the employer's code)."""
        checked: set[str] = set()
        app = self.app
        self._uscc(checked, app.employer.uscc, "employer.uscc")
        self._uscc(checked, app.contract.employer_uscc, "contract.employer_uscc")
        for i, r in enumerate(app.social_insurance):
            if r.payer_uscc and r.payer_uscc not in checked:
                self._uscc(checked, r.payer_uscc, f"social_insurance[{i}].payer_uscc")
        for i, t in enumerate(app.income_tax):
            if t.withholder_uscc and t.withholder_uscc not in checked:
                self._uscc(checked, t.withholder_uscc, f"income_tax[{i}].withholder_uscc")

    def _uscc(self, checked: set[str], code: str | None, path: str) -> None:
        if not code or code in checked:
            return
        checked.add(code)
        for msg in check_uscc(code):
            self.add("DATA-USCC", path, f"{code}: {msg}")

    def month_rows(self) -> None:
        app_month = mo.of_date(self.as_of)
        wages = wages_for(self.book, self.as_of)
        seen: dict[int, int] = {}
        bounds = mo.spec_bounds
        for i, row in enumerate(self.app.social_insurance):
            first, last = bounds(row.month)
            base = row.base
            if base <= 0:
                self.add("DATA-SI-MONTH", f"social_insurance[{i}].base", f"缴费基数应大于 0（实际为 {base:g}）")
            if last > app_month:
                self.add("DATA-DATES", f"social_insurance[{i}].month",
                         f"{row.month} 晚于申请月 {mo.fmt(app_month)}（不能填写未来月份）")
            self._note_months(seen, "social_insurance", i, first, last, "（同一城市每月只能有一条记录）")
            # A row's path is built only for a problem: every judgement checks every row.
            if base > 0 and (outside := _outside_bounds(wages, base, first, last)):
                self.add("DATA-SI-MONTH", f"social_insurance[{i}].base", outside, "warning")
        self.tax_rows(app_month)

    def _note_months(self, seen: dict[int, int], rows: str, i: int, first: int, last: int, why: str = "") -> None:
        """Row `i` of `rows` holds months first…last: the first one an earlier row holds too is
        reported once (DATA-SI-MONTH), the others are noted in `seen` (month → row)."""
        if first == last and first not in seen:  # the usual row: one month, not seen before
            seen[first] = i
            return
        for m in range(first, last + 1):
            if m in seen:
                self.add("DATA-SI-MONTH", f"{rows}[{i}].month", f"{mo.fmt(m)} 与 {rows}[{seen[m]}] 重复{why}")
                break
            seen[m] = i

    def tax_rows(self, app_month: int) -> None:
        seen: dict[int, int] = {}
        bounds = mo.spec_bounds
        for i, row in enumerate(self.app.income_tax):
            first, last = bounds(row.month)
            if row.income < 0:
                self.add("DATA-FORMAT", f"income_tax[{i}].income", f"个税收入不能为负数（实际为 {row.income:g}）")
            if last > app_month:
                self.add("DATA-DATES", f"income_tax[{i}].month", f"{row.month} 晚于申请月 {mo.fmt(app_month)}")
            self._note_months(seen, "income_tax", i, first, last)

    def dates(self) -> None:
        app = self.app
        past = [("residence_permit.issued_or_renewed_on", app.residence_permit.issued_or_renewed_on),
                ("contract.start", app.contract.start), ("family.marriage_date", app.family.marriage_date)]
        past += [(f"education[{i}].end", e.end) for i, e in enumerate(app.education)]
        past += [(f"education[{i}].start", e.start) for i, e in enumerate(app.education)]
        past += [(f"qualifications[{i}].obtained_on", q.obtained_on) for i, q in enumerate(app.qualifications)]
        past += [(f"bonuses.awards[{i}].awarded_on", a.awarded_on) for i, a in enumerate(app.bonuses.awards)]
        past += [(f"family.children[{i}].birth_date", c.birth_date) for i, c in enumerate(app.family.children)]
        for key in ("general_crimes", "administrative_detentions", "false_materials"):
            past += [(f"records.{key}[{i}]", d) for i, d in enumerate(getattr(app.records, key))]
        for path, day in past:
            if day and day > self.as_of:
                self.add("DATA-DATES", path, f"{day} 晚于申请日 {self.as_of}（不能是未来日期）")
        if app.contract.end and app.contract.end < app.contract.start:
            self.add("DATA-DATES", "contract.end", f"合同结束 {app.contract.end} 早于开始 {app.contract.start}")
        for i, e in enumerate(app.education):
            if e.start and e.end and e.end < e.start:
                self.add("DATA-DATES", f"education[{i}].end", f"毕业 {e.end} 早于入学 {e.start}")
        app_month = mo.of_date(self.as_of)
        for i, row in enumerate(app.other_social_insurance):
            if mo.spec_bounds(row.to)[1] < mo.spec_bounds(row.from_)[0]:
                self.add("DATA-DATES", f"other_social_insurance[{i}].to", f"结束 {row.to} 早于开始 {row.from_}")
            if mo.spec_bounds(row.to)[1] > app_month:
                self.add("DATA-DATES", f"other_social_insurance[{i}].to", f"{row.to} 晚于申请月 {mo.fmt(app_month)}")


@lru_cache(maxsize=1 << 14)  # the same (base, months) pairs recur across a batch
def _outside_bounds(wages: Any, base: float, first: int, last: int) -> str | None:
    """The message for a base outside that year's floor and ceiling (checked at both ends), or None."""
    for m in (first, last):
        if not wages.covers(m):
            continue
        floor, ceiling = wages.bounds(m)
        if not (floor <= dec(base) <= ceiling):  # exact: 3 × the wage is a whole number of yuan
            return f"{mo.fmt(m)} 基数 {base:g} 不在当年上下限 {floor}–{ceiling:.0f} 之间（如属特殊情况可忽略）"
    return None


def in_force(as_of: dt.date, book: Rulebook) -> list[Problem]:
    """The application date must fall in the ruleset's period (沪府规〔2022〕21号: 2023–2027)."""
    period = book.header.in_force
    if as_of < period["from"]:
        return [Problem("DATA-DATES", "as_of", f"申请日期 {as_of} 早于规则集 {book.id} 的施行日 {period['from']}，无法按现行规定判断")]
    if as_of > period["to"]:
        return [Problem("DATA-DATES", "as_of", f"申请日期 {as_of} 晚于规则集 {book.id} 的有效期 {period['to']}，"
                        "请确认是否有新规定", "warning")]
    return []


def check(app: Applicant, as_of: dt.date, book: Rulebook) -> list[Problem]:
    problems = in_force(as_of, book)
    if any(p.severity == "error" for p in problems):
        return problems
    problems += Checker(app, as_of, book).run()
    return problems[:MAX_PROBLEMS]
