"""The one-applicant form: its fields as data, and what the server does with what the form sends.

FORM lists every field of `jifen-check/applicant@1` (a test walks the model to make sure), grouped
as the applicant format is. The template draws the form from it; the page's script turns the form
into an applicant document (paths like `person.name`, rows of `social_insurance`) and back.
Enum labels come from the batch workbook's table (jifen_check/batch/columns.py): one set of
Chinese labels for the workbook and the web page.

`normalise` accepts the date forms the batch reader accepts (2023/7/1, 2023年7月, 20230701) and
writes them as the applicant format does, so a saved file reads the same with the CLI.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from jifen_check.batch import columns as c
from jifen_check.dates import month_number, read_date, read_month

Options = tuple[tuple[str, str], ...]
OPTIONAL_BOOL: Options = (("true", "是"), ("false", "否"))


@dataclass(frozen=True)
class Field:
    key: str  # key inside its object (or the full dotted path for a top-level field)
    label: str
    kind: str  # text | id | number | int | bool | optbool | tristate | enum | date | month | monthspec | dates
    options: Options = ()
    default: Any = None  # bool fields: the model's default (only a differing value is written)
    hint: str = ""
    width: str = ""  # "s" | "m" | "l": input width class
    required: bool = False  # required by the applicant format (a missing section is shown here)

    @property
    def choices(self) -> Options:
        if self.kind == "optbool":
            return OPTIONAL_BOOL
        if self.kind == "tristate":
            return c.TRISTATE
        return self.options


@dataclass(frozen=True)
class Rows:
    """A repeating group: one row per list element."""

    path: str
    label: str
    fields: tuple[Field, ...]
    paste: str | None = None  # "base" or "income": rows may be pasted from a spreadsheet
    hint: str = ""


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    items: tuple[Field | Rows, ...]
    hint: str = ""


F = Field

FORM: tuple[Section, ...] = (
    Section("person", "个人", (
        F("as_of", "申请日期", "date", hint="默认今天"),
        F("person.name", "姓名", "text", required=True, width="m"),
        F("person.id_number", "身份证号", "id", required=True, width="l"),
        F("person.birth_date", "出生日期", "date", hint="可不填；须与身份证号一致"),
        F("person.hukou_province", "户籍省份", "text", hint="三地一致用"),
        F("person.personnel_archive", "人事档案", "enum", c.ARCHIVE),
        F("person.employee_no", "工号", "text"),
    )),
    Section("permit", "居住证", (
        F("residence_permit.status", "居住证状态", "enum", c.PERMIT, required=True),
        F("residence_permit.valid_until", "有效期至", "date"),
        F("residence_permit.issued_or_renewed_on", "最近领取或签注日", "date"),
    )),
    Section("employer", "单位与合同", (
        F("employer.name", "单位名称", "text", required=True, width="l"),
        F("employer.uscc", "统一社会信用代码", "id", required=True, width="l"),
        F("employer.kind", "单位类型", "enum", c.EMPLOYER_KIND),
        F("employer.dispatch_license", "有劳务派遣许可证", "bool", default=False),
        F("employer.dispatch_agreements", "有派遣协议和派遣岗位协议", "bool", default=False),
        F("employer.points_system_registered", "单位已在积分系统登记", "optbool"),
        F("contract.employer_uscc", "合同单位代码", "id", width="l", hint="默认同上"),
        F("contract.start", "合同开始", "date", required=True),
        F("contract.end", "合同结束", "date", hint="无固定期限留空"),
        F("contract.position", "岗位", "text", width="m"),
    )),
    Section("si", "社保", (
        Rows("social_insurance", "上海职工社保（每月一行，或区间 2023-07..2026-10）", (
            F("month", "月份或区间", "monthspec", required=True, width="m"),
            F("base", "缴费基数（元）", "number", required=True),
            F("payer_uscc", "缴费单位代码", "id", width="l"),
            F("back_payment", "补缴", "bool", default=False),
            F("transferred_in", "外地转入", "bool", default=False),
        ), paste="base"),
        Rows("other_social_insurance", "外地社保", (
            F("from", "起（月份）", "month", required=True),
            F("to", "止（月份）", "month", required=True),
            F("city", "城市", "text", required=True),
        )),
    )),
    Section("tax", "个税", (
        Rows("income_tax", "个税（每月一行，或区间）", (
            F("month", "月份或区间", "monthspec", required=True, width="m"),
            F("income", "收入额（元）", "number", required=True),
            F("withholder_uscc", "扣缴单位代码", "id", width="l"),
        ), paste="income"),
    )),
    Section("edu", "学历", (
        Rows("education", "学历学位", (
            F("level", "层次", "enum", c.EDU_LEVEL, required=True),
            F("mode", "学习形式", "enum", c.EDU_MODE),
            F("diploma", "学历证书", "bool", default=True),
            F("degree", "学位证书", "bool", default=False),
            F("school", "学校", "text"),
            F("major", "专业", "text"),
            F("major_code", "专业代码", "text", width="s"),
            F("start", "入学", "date"),
            F("end", "毕业", "date"),
            F("study_city", "就读城市", "text", width="s"),
            F("chsi_verifiable", "学信网可查", "bool", default=True),
            F("foreign", "境外学历", "bool", default=False),
            F("cscse_certified", "留服认证", "bool", default=False),
        )),
    )),
    Section("qual", "职称/技能", (
        Rows("qualifications", "职称、职业资格、技能等级", (
            F("kind", "类别", "enum", c.QUAL_KIND, required=True),
            F("level", "等级", "enum", c.QUAL_LEVEL, required=True),
            F("name", "名称", "text"),
            F("obtained_on", "取得日期", "date"),
            F("obtained_by", "取得方式", "enum", c.OBTAINED_BY),
            F("obtained_city", "取得城市", "text", width="s"),
            F("shanghai_verified", "已通过上海复评/核验", "bool", default=False),
            F("on_shanghai_catalogue", "在上海目录内", "optbool"),
            F("registration_required", "需注册", "bool", default=False),
            F("registered", "已注册", "bool", default=False),
            F("matches_position", "与岗位相符", "tristate"),
            F("appointed", "已聘任", "optbool"),
        )),
    )),
    Section("family", "家庭", (
        F("family.marital_status", "婚姻状况", "enum", c.MARITAL),
        F("family.marriage_date", "结婚日期", "date"),
        F("family.spouse.name", "配偶姓名", "text"),
        F("family.spouse.id_number", "配偶身份证号", "id", width="l"),
        F("family.spouse.shanghai_hukou", "配偶为上海户籍", "bool", default=False),
        F("family.spouse.shares_benefits", "配偶随迁享受待遇", "bool", default=False),
        Rows("family.children", "子女", (
            F("name", "姓名", "text"),
            F("birth_date", "出生日期", "date"),
            F("shares_benefits", "随迁享受待遇", "bool", default=False),
            F("in_high_school", "在读高中", "bool", default=False),
        )),
    )),
    Section("records", "记录", (
        F("records.serious_crime", "有严重刑事犯罪记录", "bool", default=False),
        F("records.general_crimes", "一般刑事犯罪（判决日期，逗号分隔）", "dates", width="l"),
        F("records.administrative_detentions", "行政拘留（日期，逗号分隔）", "dates", width="l"),
        F("records.false_materials", "提供虚假材料（日期，逗号分隔）", "dates", width="l"),
        F("records.false_materials_serious", "虚假材料情节严重", "bool", default=False),
        F("records.family_planning_violation", "违反计划生育政策", "bool", default=False),
    )),
    Section("bonus", "加分项", (
        F("bonuses.shortage_major.major", "紧缺专业名称", "text"),
        F("bonuses.shortage_major.major_code", "紧缺专业代码", "text", width="s"),
        F("bonuses.shortage_major.on_catalogue", "在紧缺专业目录内", "bool", default=False),
        F("bonuses.shortage_major.job_matches", "从事对应工作", "bool", default=False),
        F("bonuses.investment.avg_annual_tax_personal_share", "投资：年均纳税个人份额（元）", "number"),
        F("bonuses.investment.avg_annual_hukou_hires", "投资：年均聘用本市户籍人数", "number"),
        F("bonuses.investment.consecutive_years", "投资：连续年数", "int"),
        F("bonuses.public_service_years", "公益服务年数", "int"),
        F("bonuses.remote_area.area", "远郊地区", "text"),
        F("bonuses.remote_area.full_years", "远郊工作满年数", "int"),
        F("bonuses.remote_area.works_and_lives", "在该地区工作并居住", "bool", default=False),
        F("bonuses.fresh_graduate", "应届毕业生", "bool", default=False),
        F("bonuses.talent", "人才类别", "enum", c.TALENT),
        Rows("bonuses.awards", "表彰奖励", (
            F("level", "级别", "enum", c.AWARD_LEVEL, required=True),
            F("awarded_on", "获奖日期", "date"),
            F("while_in_shanghai", "在沪工作期间获得", "bool", default=True),
            F("on_official_list", "在官方名单内", "bool", default=True),
        )),
    )),
)

DATE_KINDS = {"date", "month"}


def all_fields() -> list[tuple[str, Field]]:
    """(full path, field) for every field; list fields as `list[].key`."""
    out: list[tuple[str, Field]] = []
    for section in FORM:
        for item in section.items:
            if isinstance(item, Rows):
                out += [(f"{item.path}[].{f.key}", f) for f in item.fields]
            else:
                out.append((item.key, item))
    return out


def all_rows() -> list[Rows]:
    return [item for s in FORM for item in s.items if isinstance(item, Rows)]


# ---------------------------------------------------------------- what the form sends


def normalise(doc: Any) -> Any:
    """The batch reader's date forms → YYYY-MM-DD / YYYY-MM; skill levels "3" → 3. Others untouched."""
    if not isinstance(doc, dict):
        return doc
    for path, fld in all_fields():
        if fld.kind in DATE_KINDS | {"dates", "monthspec"} or path.endswith("qualifications[].level"):
            _apply(doc, path.split("."), fld)
    return doc


def _apply(node: Any, parts: list[str], fld: Field) -> None:
    if not isinstance(node, dict) or not parts:
        return
    head, rest = parts[0], parts[1:]
    if head.endswith("[]"):
        rows = node.get(head[:-2])
        for row in rows if isinstance(rows, list) else []:
            _apply(row, rest, fld)
        return
    if rest:
        _apply(node.get(head), rest, fld)
        return
    if head in node:
        node[head] = _convert(node[head], fld)


def _convert(value: Any, fld: Field) -> Any:
    if fld.kind == "dates" and isinstance(value, list):
        return [_date(v) for v in value]
    if fld.kind == "date":
        return _date(value)
    if fld.kind == "month":
        return _month(value)
    if fld.kind == "monthspec" and isinstance(value, str):
        parts = re.split(r"\s*(?:\.\.|~|～|至|—|–)\s*", value.strip())
        if len(parts) in (1, 2):
            months = [_month(p) for p in parts]
            return "..".join(months) if all(isinstance(m, str) for m in months) else value
    if fld.kind == "enum" and isinstance(value, str) and value.isdigit():
        return int(value)  # skill levels are numbers in the applicant format
    return value


def _date(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    return read_date(value.strip()) or value


def _month(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    return read_month(value.strip()) or value


# ---------------------------------------------------------------- pasted social-insurance / tax rows

_AMOUNT = re.compile(r"^-?[\d,，]+(?:\.\d+)?$")


@dataclass
class PasteResult:
    rows: list[dict[str, Any]]
    skipped: list[str]


def parse_paste(text: str, amount_key: str) -> PasteResult:
    """Lines of `month amount` (tab- or space-separated, as copied from Excel or the 社保/个税 app)
    → range rows: consecutive months with the same amount become one `YYYY-MM..YYYY-MM` row."""
    months: dict[int, Decimal] = {}  # money compared exactly: 15000 and 15,000.00 are one amount
    skipped: list[str] = []
    for n, line in enumerate(text.splitlines(), start=1):
        cells = _cells(line)
        found = _month_and_amount(cells)
        if found is None:
            if line.strip():
                skipped.append(f"第 {n} 行：{line.strip()[:40]}")
            continue
        months[found[0]] = Decimal(found[1])
    return PasteResult(_ranges(months, amount_key), skipped)


def _cells(line: str) -> list[str]:
    # Excel copies cells with tabs; app exports use spaces; "15,000.00" keeps its thousands comma
    # unless the line has no other separator (a CSV line).
    text = line.strip()
    cells = text.split("\t") if "\t" in text else text.split()
    if len(cells) == 1 and re.search(r"[,，;；]", text):
        cells = re.split(r"[,，;；]", text)
    return [x.strip() for x in cells if x.strip()]


def _month_and_amount(cells: list[str]) -> tuple[int, str] | None:
    month = amount = None
    for cell in cells:
        read = read_month("".join(cell.split())) if month is None else None  # 「2023 年 9 月」
        if read is not None:
            month = month_number(read)
        elif month is not None and amount is None and _AMOUNT.match(cell):
            amount = cell.replace(",", "").replace("，", "")
    return (month, amount) if month is not None and amount is not None else None


def _fmt(m: int) -> str:
    return f"{m // 12:04d}-{m % 12 + 1:02d}"


def _ranges(months: dict[int, Decimal], key: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    start = prev = None
    for m in sorted(months):
        if start is not None and m == prev + 1 and months[m] == months[start]:
            prev = m
            continue
        if start is not None:
            rows.append(_row(start, prev, months[start], key))
        start = prev = m
    if start is not None:
        rows.append(_row(start, prev, months[start], key))
    return rows


def _row(first: int, last: int, amount: Decimal, key: str) -> dict[str, Any]:
    value: float | int = int(amount) if amount == amount.to_integral_value() else float(amount)
    return {"month": _fmt(first) if first == last else f"{_fmt(first)}..{_fmt(last)}", key: value}
