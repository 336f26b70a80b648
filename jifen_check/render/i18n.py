"""The renderers' own sentences in Chinese and English, and the rule texts in the asked language.

Rule texts (title, message, remedy) live in the ruleset beside the Chinese (`title_en`, `message_en`,
`remedy_en`); a finding's English message is its case's English template filled with the finding's
facts. The Chinese result text is the default and the fallback.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from jifen_check import rulebook
from jifen_check.render.plain import Lang, rule_text
from jifen_check.result import Finding, ScoreLine

PHRASES: dict[str, tuple[str, str]] = {
    "verdict": ("结论：{verdict}", "Verdict: {verdict}"),
    "score": ("已计 {total} 分 / 标准分 {mark} 分", "{total} points counted / pass mark {mark}"),
    "score_at_risk": ("，另有 {at_risk} 分有风险", "; {at_risk} more points at risk"),
    "applicant": ("申请人：{name}  {id}", "Applicant: {name}  {id}"),
    "source": ("    来源：{row}", "    Source: {row}"),
    "blank": ("（未填）", "(not given)"),
    "employer": ("单位：{name}    申请日：{as_of}", "Employer: {name}    Application date: {as_of}"),
    "ruleset": ("规则：{phrase}", "Rules: {phrase}"),
    "score_heading": ("积分明细", "Points"),
    "because": ("；因{rule}", "; because of {rule}"),
    "total": ("合计", "Total"),
    "total_line": ("（标准分 {mark}）", "(pass mark {mark})"),
    "total_at_risk": ("（另有 {at_risk} 分有风险）", " ({at_risk} more at risk)"),
    "remedy": ("办法：", "What to do: "),
    "deadline": ("日期：", "Date: "),
    "evidence": ("材料：", "From: "),
    "basis": ("依据：", "Basis: "),
    "section": ("{title}（{n} 项）", "{title} ({n})"),
    "earliest": ("最早可申请日期：{date}（假设按当前基数和单位继续缴纳社保与个税，居住证和劳动合同按时续签）",
                 "Earliest application date: {date} (assuming social insurance and income tax continue at the "
                 "current base and employer, and the residence permit and contract are renewed on time)"),
    "earliest_none": ("最早可申请日期：按当前缴费推算，未来 36 个月内仅靠时间积累达不到申请条件；"
                      "请按上面的办法提高积分或解决阻断项",
                      "Earliest application date: at the current contributions, time alone does not reach "
                      "eligibility within the next 36 months; follow the steps above to raise the points or "
                      "clear the blockers"),
}


def phrase(key: str, lang: Lang = "zh", **kw: object) -> str:
    zh, en = PHRASES[key]
    return (en if lang == "en" else zh).format(**kw)


def _case_for(rule: rulebook.Rule, f: Finding, params: dict[str, Any]) -> rulebook.Case | None:
    """The case that produced the finding: the one whose Chinese template renders to its message."""
    from jifen_check.engine import render

    cases = [c for c in rule.cases if c.message]
    for case in cases:
        try:
            if render(case.message, f.facts, params) == f.message:
                return case
        except (KeyError, IndexError, TypeError, ValueError):
            continue
    return cases[0] if len(cases) == 1 else None


def finding_texts(f: Finding, lang: Lang, book: rulebook.Rulebook | None) -> tuple[str, str]:
    """(message, remedy) in the language."""
    if lang != "en" or book is None or f.rule not in book.rules:
        return f.message, f.remedy
    from jifen_check.engine import render

    rule = book.rules[f.rule]
    params = book.snapshot(_day(f, book))
    case = _case_for(rule, f, params)
    if case is None or not getattr(case, "message_en", ""):
        return f.message, f.remedy
    try:
        message = render(case.message_en, f.facts, params)
        remedy = render(case.remedy_en, f.facts, params) if case.remedy_en else ""
    except (KeyError, IndexError, TypeError, ValueError):
        return f.message, f.remedy
    return message, remedy


def _day(f: Finding, book: rulebook.Rulebook) -> dt.date:
    return max(book.parameters[name].dates[-1] for name in book.parameters)


def line_texts(line: ScoreLine, lang: Lang, book: rulebook.Rulebook | None) -> tuple[str, str]:
    """(title, detail) of a score line in the language."""
    if lang != "en" or book is None or line.rule not in book.rules:
        return line.title, line.detail
    return rule_text(book.rules[line.rule], "title", lang), line.detail
