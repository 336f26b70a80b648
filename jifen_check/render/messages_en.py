"""Data-error messages in English (--lang en), beside the Chinese the readers and validate.py write.

The readers (batch/cells.py, batch/readers.py), validate.py and identifiers.py write one Chinese
sentence per problem, with the column header, the value typed and numbers filled in. Here each
sentence form has its English, as a pattern on the Chinese: the numbers and the typed value are
carried over, a column header is given its English label (labels.yaml `fields`). A sentence with no
English form here stays Chinese, in brackets (tests/test_english.py lists the forms the samples use).
"""

from __future__ import annotations

import re
from functools import cache

V = r"(?P<v>'.*'|\S.*?)"  # a typed value as quoted by the reader (repr) or a number
N = r"(?P<n>[\d,.\-X]+)"


# (Chinese sentence with {H} for a column header and named groups, English with the same names).
FORMS: tuple[tuple[str, str], ...] = (
    (r"{H}被 Excel 存成了数字，末几位已丢失；请把该列设为文本后重新填写",
     "{H} was stored by Excel as a number and its last digits are lost; format the column as text and type it again"),
    (rf"{{H}}必须是数字，实际为 {V}", "{H} must be a number, got {v}"),
    (r"{H}必须是数字", "{H} must be a number"),
    (rf"{{H}}必须是有限的数字，实际为 {V}", "{H} must be a finite number, got {v}"),
    (rf"{{H}}数值过大（{V}），应小于 {N}", "{H} is too large ({v}); it must be below {n}"),
    (rf"{{H}}必须是整数，实际为 {V}", "{H} must be a whole number, got {v}"),
    (rf"{{H}}应填 是 或 否，实际为 {V}", "{H} must be yes (是) or no (否), got {v}"),
    (rf"{{H}}应填 是、否 或 不清楚，实际为 {V}", "{H} must be yes (是), no (否) or unknown (不清楚), got {v}"),
    (rf"{{H}}无法识别为日期：{V}，应为 YYYY-MM-DD 或 YYYY-MM", "{H} is not a date: {v}; write YYYY-MM-DD or YYYY-MM"),
    (rf"{{H}}无法识别为月份：{V}，应为 YYYY-MM 或区间 YYYY-MM..YYYY-MM",
     "{H} is not a month: {v}; write YYYY-MM or a range YYYY-MM..YYYY-MM"),
    (rf"{{H}}是数字 {V}，含义不明（(?P<a>\d+)-01 还是 (?P<b>\d+)-10？）：请把该列设为文本，写成 YYYY-MM",
     "{H} is the number {v}, which is unclear ({a}-01 or {b}-10?): format the column as text and write YYYY-MM"),
    (rf"{{H}}无法识别：{V}，区间应写成 YYYY-MM..YYYY-MM", "{H} cannot be read: {v}; write a range as YYYY-MM..YYYY-MM"),
    (r"{H}是公式，但文件中没有保存计算结果：请在 Excel 中打开并保存后再导入",
     "{H} is a formula whose result was not saved in the file: open and save it in Excel, then import again"),
    # identifiers.py
    (rf"身份证号码应为 18 位，实际为 {N} 位", "The ID number must have 18 characters, not {n}"),
    (rf"身份证号码前 17 位应全为数字，第 {N} 位不是数字",
     "The first 17 characters of the ID number must be digits; character {n} is not"),
    (rf"身份证号码前两位应为省级行政区划代码（如 31 上海、32 江苏），实际为 {N}",
     "The first two digits of the ID number must be a province code (such as 31 Shanghai, 32 Jiangsu), not {n}"),
    (r"身份证号码第 7–14 位应为出生日期 YYYYMMDD，现在不是有效日期",
     "Digits 7–14 of the ID number must be the date of birth YYYYMMDD; they are not a valid date"),
    (rf"身份证号码中的出生年份应不早于 {N}", "The year of birth in the ID number must not be before {n}"),
    (rf"身份证号码中的出生日期晚于今天 {N}", "The date of birth in the ID number is after today, {n}"),
    (rf"身份证号码校验位应为 {N}，实际为 {V}", "The check character of the ID number should be {n}, not {v}"),
    (rf"统一社会信用代码应为 18 位，实际为 {N} 位", "The unified social credit code must have 18 characters, not {n}"),
    (rf"统一社会信用代码校验位应为 {N}，实际为 {V}",
     "The check character of the unified social credit code should be {n}, not {v}"),
    (rf"统一社会信用代码第 3–8 位应为登记管理机关行政区划代码（6 位数字，如 310115），实际为 {V}",
     "Characters 3–8 of the unified social credit code must be the region code of the registering authority "
     "(6 digits, such as 310115), not {v}"),
    # validate.py
    (rf"缴费基数应大于 0（实际为 {V}）", "The contribution base must be above 0 (it is {v})"),
    (rf"{N} 晚于申请月 {N}（不能填写未来月份）".replace("(?P<n>", "(?P<m>", 1),
     "{m} is after the application month {n} (no future months)"),
    (rf"{N} 晚于申请日 {N}（不能是未来日期）".replace("(?P<n>", "(?P<m>", 1),
     "{m} is after the application date {n} (no future dates)"),
    (rf"个税收入不能为负数（实际为 {V}）", "Taxed income cannot be negative (it is {v})"),
    (rf"合同结束 {N} 早于开始 {N}".replace("(?P<n>", "(?P<m>", 1), "The contract ends on {m}, before it starts on {n}"),
    (rf"毕业 {N} 早于入学 {N}".replace("(?P<n>", "(?P<m>", 1), "Graduation on {m} is before the start on {n}"),
    (rf"结束 {N} 早于开始 {N}".replace("(?P<n>", "(?P<m>", 1), "The end {m} is before the start {n}"),
    (rf"{N} 与 (?P<p>social_insurance\[\d+\]) 重复（同一城市每月只能有一条记录）",
     "{n} repeats {p} (one record per month and city)"),
    (rf"{N} 与 (?P<p>income_tax\[\d+\]) 重复", "{n} repeats {p}"),
    (r"(?P<m>\d{4}-\d{2}) 基数 (?P<b>[\d.]+) 不在当年上下限 (?P<lo>[\d.]+)–(?P<hi>[\d.]+) 之间（如属特殊情况可忽略）",
     "{m}: the base {b} is outside that year's range {lo}–{hi} (ignore this if it is a special case)"),
    (r"不能为空", "must not be empty"),
    (r"缺少必填项", "is required but missing"),
    # batch/readers.py notices (summary.xlsx, Unmatched rows)
    (r"工号 (?P<no>\S+) 在「人员」表中找不到，该行未使用",
     "Employee no. {no} is not in the persons sheet (人员); the row is not used"),
    (r"身份证号 (?P<id>\S+) 在「人员」表中找不到，该行未使用",
     "ID number {id} is not in the persons sheet (人员); the row is not used"),
    (r"工号和身份证号都为空，无法关联，该行未使用",
     "Both the employee no. and the ID number are empty, so the row cannot be matched and is not used"),
    (r"第 (?P<n>\d+) 行是模板自带的示例（(?P<name>.*)），已跳过，不计入人数",
     "Row {n} is the template's example ({name}); skipped and not counted"),
)

# The kinds of reader notices (batch/readers.py Notice.kind).
NOTICE_KINDS: dict[str, str] = {
    "未识别的表": "Unknown sheet", "重复的表": "Duplicate sheet", "未识别的列": "Unknown column",
    "重复的列": "Duplicate column", "缺少必填列": "Missing column", "示例行": "Example row",
    "工号重复": "Duplicate employee no.", "无法关联": "Cannot be matched", "未匹配的行": "Unmatched row",
}


@cache
def _headers() -> dict[str, str]:
    """Each batch column header → its English label (labels.yaml `fields`, by the column's field path)."""
    from jifen_check.batch.columns import SHEETS
    from jifen_check.render.plain import labels

    fields = labels().get("fields", {})
    out: dict[str, str] = {}
    for sheet in SHEETS:
        for col in sheet.columns:
            path = col.field if sheet.list_path is None or "." in col.field else f"{sheet.list_path}.{col.field}"
            pair = fields.get(path) or fields.get(col.field)
            if pair:
                out[col.header] = str(pair[1])
    return out


@cache
def _compiled() -> tuple[tuple[re.Pattern[str], str], ...]:
    heads = "|".join(re.escape(h) for h in sorted(_headers(), key=len, reverse=True))
    return tuple((re.compile("^" + zh.replace("{H}", f"(?P<H>{heads})") + "$", re.S), en) for zh, en in FORMS)


def english(message: str) -> str | None:
    """The message in English, or None when its form has no English here."""
    for pattern, en in _compiled():
        m = pattern.match(message)
        if m:
            groups = m.groupdict()
            if "H" in groups:
                groups["H"] = _headers()[groups["H"]]
            return en.format(**groups)
    return None
