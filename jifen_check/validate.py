"""Input → a validated Applicant, or `DATA-*` problems that name the field path and what was expected.

Nothing here raises on bad input: every problem becomes a `Problem` with its rule ID, its path
(`social_insurance[3].base`), what was wrong and what was expected. `error` problems prevent judging;
`warning` problems (a base outside that year's floor and ceiling) are reported with the result.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import yaml
from pydantic import ValidationError

from jifen_check import months as mo
from jifen_check.applicant import Applicant
from jifen_check.identifiers import check_id_number, check_uscc, id_birth_date
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

def parse_text(raw: bytes, name: str = "-") -> tuple[Any, list[Problem]]:
    """Bytes of a YAML or JSON applicant file → the document, or a DATA-FORMAT problem."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        return None, [Problem("DATA-FORMAT", "(file)",
                              f"{name}: 第 {e.start} 字节不是有效的 UTF-8 编码（应为 UTF-8 文本，可用记事本“另存为 UTF-8”）")]
    if not text.strip():
        return None, [Problem("DATA-FORMAT", "(file)", f"{name}: 文件为空，应为 jifen-check/applicant@1 格式的 YAML 或 JSON")]
    try:
        if name.endswith(".json") or text.lstrip().startswith("{"):
            return json.loads(text), []
        return yaml.load(text, Loader=_Loader), []
    except json.JSONDecodeError as e:
        return None, [Problem("DATA-FORMAT", "(file)", f"{name}: JSON 语法错误，第 {e.lineno} 行第 {e.colno} 列：{e.msg}")]
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"第 {mark.line + 1} 行第 {mark.column + 1} 列" if mark else "位置未知"
        return None, [Problem("DATA-FORMAT", "(file)",
                              f"{name}: YAML 语法错误，{where}：{getattr(e, 'problem', None) or e}")]


_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


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
        text = f"取值无效，应为 {err.get('ctx', {}).get('expected', '')}"
    elif kind == "value_error":
        text = str(err.get("ctx", {}).get("error", err["msg"]))
        text = _PYTHON_ERRORS.get(text, text)
    else:
        text = _MESSAGES.get(kind, err["msg"])
    return f"{text}（实际为 {shown}）" if shown else text


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
    for key in ("social_insurance", "income_tax"):
        rows = doc.get(key)
        if isinstance(rows, list) and len(rows) > MAX_MONTH_ROWS:
            return None, [Problem("DATA-SI-MONTH", key, f"共 {len(rows)} 行，超过 {MAX_MONTH_ROWS} 行上限；"
                                  "每月一行，连续相同的月份可写成区间 YYYY-MM..YYYY-MM")]
    try:
        return Applicant.model_validate(doc), []
    except ValidationError as e:
        return None, schema_problems(e)


# ---------------------------------------------------------------- semantic checks

QUAL_KIND_ZH = {"professional_title": "专业技术职称", "vocational_qualification": "专业技术类职业资格",
                "skill_level": "职业技能等级"}

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
        for msg in check_id_number(person.id_number, today=self.as_of):
            self.add("DATA-ID-NUMBER", "person.id_number", msg)
        born = id_birth_date(person.id_number)
        if person.birth_date and born and person.birth_date != born:
            self.add("DATA-ID-NUMBER", "person.birth_date",
                     f"出生日期 {person.birth_date} 与身份证号码中的 {born} 不一致")
        spouse = self.app.family.spouse
        if spouse and spouse.id_number:
            for msg in check_id_number(spouse.id_number, today=self.as_of):
                self.add("DATA-ID-NUMBER", "family.spouse.id_number", msg)

    def usccs(self) -> None:
        checked: set[str] = set()
        candidates = [("employer.uscc", self.app.employer.uscc), ("contract.employer_uscc", self.app.contract.employer_uscc)]
        candidates += [(f"social_insurance[{i}].payer_uscc", r.payer_uscc) for i, r in enumerate(self.app.social_insurance)]
        candidates += [(f"income_tax[{i}].withholder_uscc", r.withholder_uscc) for i, r in enumerate(self.app.income_tax)]
        for path, code in candidates:
            if not code or code in checked:
                continue
            checked.add(code)
            for msg in check_uscc(code):
                self.add("DATA-USCC", path, f"{code}: {msg}")

    def month_rows(self) -> None:
        app_month = mo.of_date(self.as_of)
        wages = wages_for(self.book, self.as_of)
        seen: dict[int, int] = {}
        for i, row in enumerate(self.app.social_insurance):
            first, last = mo.spec_bounds(row.month)
            path = f"social_insurance[{i}]"
            if row.base <= 0:
                self.add("DATA-SI-MONTH", f"{path}.base", f"缴费基数应大于 0（实际为 {row.base:g}）")
            if last > app_month:
                self.add("DATA-DATES", f"{path}.month", f"{row.month} 晚于申请月 {mo.fmt(app_month)}（不能填写未来月份）")
            for m in range(first, last + 1):
                if m in seen:
                    self.add("DATA-SI-MONTH", f"{path}.month",
                             f"{mo.fmt(m)} 与 social_insurance[{seen[m]}] 重复（同一城市每月只能有一条记录）")
                    break
                seen[m] = i
            if row.base > 0:
                self.base_range(path, row.base, first, last, wages)
        self.tax_rows(app_month)

    def base_range(self, path: str, base: float, first: int, last: int, wages: Any) -> None:
        outside = _outside_bounds(wages, base, first, last)
        if outside:
            self.add("DATA-SI-MONTH", f"{path}.base", outside, "warning")

    def tax_rows(self, app_month: int) -> None:
        seen: dict[int, int] = {}
        for i, row in enumerate(self.app.income_tax):
            first, last = mo.spec_bounds(row.month)
            path = f"income_tax[{i}]"
            if row.income < 0:
                self.add("DATA-FORMAT", f"{path}.income", f"个税收入不能为负数（实际为 {row.income:g}）")
            if last > app_month:
                self.add("DATA-DATES", f"{path}.month", f"{row.month} 晚于申请月 {mo.fmt(app_month)}")
            for m in range(first, last + 1):
                if m in seen:
                    self.add("DATA-SI-MONTH", f"{path}.month", f"{mo.fmt(m)} 与 income_tax[{seen[m]}] 重复")
                    break
                seen[m] = i

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
