"""The renderers' own sentences in Chinese and English, and the rule texts in the asked language.

Rule texts (title, message, remedy) live in the ruleset beside the Chinese (`title_en`, `message_en`,
`remedy_en`); a finding's English message is its case's English template filled with the finding's
facts. The Chinese result text is the default and the fallback.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from jifen_check import rulebook
from jifen_check.labels import DATA_REMEDY
from jifen_check.render.plain import Lang, Phrases, column, pick, rule_text
from jifen_check.result import ChecklistItem, Finding, ScoreLine

PHRASES: Phrases = {
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
    "earliest_late": ("。注意：该日期晚于 {end}，沪府规〔2022〕21号 届时到期，此后的规则未知，按现行规则推算",
                      ". Note: this date is after {end}, when the points rules (沪府规〔2022〕21号) expire; the rules "
                      "after that are unknown, and the date is reckoned on the current rules"),
    "earliest_none": ("最早可申请日期：按当前缴费推算，未来 {months} 个月内仅靠时间积累达不到申请条件；"
                      "请按上面的办法提高积分或解决阻断项",
                      "Earliest application date: at the current contributions, time alone does not reach "
                      "eligibility within the next {months} months; follow the steps above to raise the points or "
                      "clear the blockers"),
}


# The CLI's own console lines (check, checklist, batch), beside the reports' phrases above.
CONSOLE_PHRASES: Phrases = {
    "pdf_written": ("材料清单已写入 {path}", "Checklist written to {path}"),
    "pdf_and_html_written": ("材料清单已写入 {path} 和 {html}", "Checklist written to {path} and {html}"),
    "reading": ("正在读取输入…", "Reading the input…"),
    "judging": ("判断中", "Judging"),
    "remaining": ("剩余", "left"),
    "per_second": ("{n} 人/秒", "{n} people/s"),
    "interrupted": ("[red]已中断[/red]：未完成的结果文件已删除，没有留下写了一半的文件。",
                    "[red]Interrupted[/red]: the unfinished result files were deleted; no half-written file is left."),
    "warning": ("[yellow]警告[/yellow] {where}: {message}", "[yellow]Warning[/yellow] {where}: {message}"),
    "more_warnings": ("…… 共 {n} 条警告，见 summary.xlsx 的「未匹配行」表",
                      "… {n} warnings in all: see the Unmatched rows sheet of summary.xlsx"),
    "counts": ("共 {total} 人：{counts}。", "{total} people: {counts}."),
    "count": ("{verdict} {n}", "{verdict}: {n}"),
    "count_sep": ("，", "; "),
    "invalid_people": ("输入有误，须更正后重新运行", "Input errors: correct them and run again"),
    "urgent_people": ("符合条件，但递交前须先处理", "Eligible, but act before submitting"),
    "people_heading": ("{title}（{n} 人）：", "{title} ({n} people):"),
    "more_people": ("  …… 其余 {n} 人见 summary.xlsx 的「问题清单」表",
                    "  … {n} more people: see the Problems sheet of summary.xlsx"),
    "place": ("{where}：", "{where}: "),
    "written": ("结果已写入 {out}：{files}", "Results written to {out}: {files}"),
    "file_sep": ("、", ", "),
    "logged": ("有 {n} 人判断时出现内部错误，详情见 batch.log",
               "{n} people hit an internal error while being judged; see batch.log"),
    "pdfs_failed": ("有 {n} 人的材料清单 PDF 未能写出：{who}（原因见 summary.xlsx 与 batch.log）",
                    "The checklist PDFs of {n} people could not be written: {who} (see summary.xlsx and batch.log "
                    "for why)"),
    "and_more": (" 等 {n} 人", " and others, {n} in all"),
}


def console(key: str, lang: Lang = "zh", **kw: object) -> str:
    """One of the CLI's console lines in the language."""
    return pick(CONSOLE_PHRASES, lang, key, **kw)


def phrase(key: str, lang: Lang = "zh", **kw: object) -> str:
    return pick(PHRASES, lang, key, **kw)


def document_texts(item: ChecklistItem, lang: Lang, ruleset_id: str) -> tuple[str, str, str]:
    """(title, note, reason) of a checklist item in the language (English beside the Chinese in the
    documents.yaml of the result's ruleset)."""
    if lang != "en":
        return item.title, item.note, item.reason
    from jifen_check.checklist import load_catalogue

    doc = next((d for d in load_catalogue(rulebook.folder(ruleset_id) / "documents.yaml").documents
                if d.id == item.id), None)
    if doc is None:
        return f"({item.title})", f"({item.note})" if item.note else "", f"({item.reason})" if item.reason else ""
    note = doc.note_en
    if item.note.startswith("子女："):  # a per-child entry names the child
        child = item.note.removeprefix("子女：").split("；", 1)[0]
        note = f"Child: ({child})" + (f"; {doc.note_en}" if doc.note_en else "")
    return doc.title_en or f"({item.title})", note, doc.reason_en


def source_text(f: Finding, lang: Lang, book: rulebook.Rulebook | None) -> str:
    """The finding's policy source in the language: the rule's `source_en` beside the Chinese (legal
    names keep their original in brackets); a source with no English stays Chinese, in brackets."""
    if lang != "en" or not f.source:
        return f.source
    rule = book.rules.get(f.rule) if book is not None else None
    return rule.source_en if rule is not None and rule.source_en and rule.source == f.source else f"({f.source})"


def _case_for(rule: rulebook.Rule, f: Finding, params: dict[str, Any]) -> rulebook.Case | None:
    """The case that produced the finding: the one whose Chinese template renders to its message."""
    from jifen_check.engine.messages import render

    cases = [c for c in rule.cases if c.message]
    for case in cases:
        try:
            if render(case.message, f.facts, params) == f.message:
                return case
        except (KeyError, IndexError, TypeError, ValueError):
            continue
    return cases[0] if len(cases) == 1 else None


_LEADING_PATH = re.compile(r"^(\((?:file|root)\)|[a-z_]+(?:\[\d+\])?(?:\.[a-z_]+(?:\[\d+\])?)*): (.+)$", re.S)


_LEADING_CELL = re.compile(r"^([^\s:：]+![A-Z]*\d+): (.+)$", re.S)


def _original(message: str) -> str:
    """A data-error message in English (render/messages_en.py), its leading field path or cell kept so
    the renderer labels it; a message with no English form stays Chinese, in brackets."""
    from jifen_check.render.messages_en import english

    m = _LEADING_PATH.match(message) or _LEADING_CELL.match(message)
    where, rest = (m.group(1), m.group(2)) if m else (None, message)
    inner = _LEADING_CELL.match(rest)  # a batch cell's message quotes the cell again: 社保!D368: …
    if inner and where:
        rest = inner.group(2)
    text = english(rest) or f"({rest})"
    return f"{where}: {text}" if where else text


def _remedy_only(rule: rulebook.Rule, f: Finding, params: dict[str, Any]) -> str:
    """The English remedy of the case whose Chinese remedy is the finding's (the message may be a
    reader's own sentence, the remedy still the rule's)."""
    from jifen_check.engine.messages import render

    for case in rule.cases:
        try:
            if case.remedy and case.remedy_en and render(case.remedy, f.facts, params) == f.remedy:
                return render(case.remedy_en, f.facts, params)
        except (KeyError, IndexError, TypeError, ValueError):
            continue
    english = {zh: en for zh, en in DATA_REMEDY.values()}.get(f.remedy)
    return english or (f"({f.remedy})" if f.remedy else "")


def finding_texts(f: Finding, lang: Lang, book: rulebook.Rulebook | None) -> tuple[str, str]:
    """(message, remedy) in the language. In English, a message no template explains (a data error
    naming the cell, an internal error) stays Chinese in brackets."""
    if lang != "en":
        return f.message, f.remedy
    if f._message_en is not None:  # judged here: the case's English filled with English facts
        return str(f._message_en), (str(f._remedy_en) if f._remedy_en is not None
                                    else _remedy_only(book.rules[f.rule], f, book.snapshot(_day_of(book)))
                                    if book is not None and f.rule in book.rules else "")
    if book is None or f.rule not in book.rules:
        english = {zh: en for zh, en in DATA_REMEDY.values()}.get(f.remedy)
        return _original(f.message), english or (f"({f.remedy})" if f.remedy else "")
    from jifen_check.engine.messages import render

    rule = book.rules[f.rule]
    params = book.snapshot(_day_of(book))
    case = _case_for(rule, f, params)
    if case is None or not case.message_en:
        return _original(f.message), _remedy_only(rule, f, params)
    try:
        message = render(case.message_en, _bracketed(f.facts), params)
        remedy = render(case.remedy_en, _bracketed(f.facts), params) if case.remedy_en else ""
    except (KeyError, IndexError, TypeError, ValueError):
        return f"({f.message})", f"({f.remedy})" if f.remedy else ""
    return message, remedy


def line_texts(line: ScoreLine, lang: Lang, book: rulebook.Rulebook | None) -> tuple[str, str]:
    """(title, detail) of a score line in the language.

    The English detail is the case's `detail_en` filled with the line's facts; what the engine added
    to the Chinese detail afterwards (a passed-over claim, the chooser's note) follows in brackets, and
    a detail whose facts are not in the result stays Chinese in brackets.
    """
    if lang != "en" or book is None or line.rule not in book.rules:
        return line.title, line.detail
    from jifen_check.engine.messages import render

    rule = book.rules[line.rule]
    if line._detail_en is not None:
        return rule_text(rule, "title", lang), str(line._detail_en)
    params = book.snapshot(_day_of(book))
    for case in rule.cases:
        eff = case.then.line
        if eff is None or not eff.detail_en:
            continue
        try:
            zh = render(eff.detail, line.facts, params)
            if not line.detail.startswith(zh):
                continue
            english = render(eff.detail_en, _bracketed(line.facts), params)
        except (KeyError, IndexError, TypeError, ValueError):
            continue
        rest = line.detail[len(zh):].lstrip("；; ")
        return rule_text(rule, "title", lang), english + (f" ({rest})" if rest else "")
    return rule_text(rule, "title", lang), f"({line.detail})" if line.detail else ""


_CJK = re.compile(r"[\u3400-\u9fff]")


def _bracketed(facts: dict[str, Any]) -> dict[str, Any]:
    """Facts read back from JSON (no English beside them): a Chinese text value in brackets."""
    return {k: f"({v})" if isinstance(v, str) and _CJK.search(v) else v for k, v in facts.items()}


def _day_of(book: rulebook.Rulebook) -> dt.date:
    return max(book.parameters[name].dates[-1] for name in book.parameters)


# The checklist's own words (templates/checklist.html.j2 reads them as `t`).
PDF_PHRASES: Phrases = {
    "doc_title": ("上海市居住证积分 · 申请材料清单", "Shanghai Residence Permit points (上海市居住证积分) · document checklist"),
    "go": ("符合申请条件：可按本清单准备材料", "Eligible: prepare the documents on this checklist"),
    "go_with_actions": ("符合申请条件：先处理下面 {n} 项，再按本清单准备材料",
                        "Eligible: first handle the {n} item(s) below, then prepare the documents"),
    "not_eligible": ("暂不符合申请条件，请勿递交申请", "Not yet eligible: do not submit"),
    "needs_review": ("需人工复核，复核通过前请勿递交", "Needs review: do not submit before it is cleared"),
    "invalid_input": ("输入数据有误，无法判断，本清单不能作为递交依据",
                      "The input has errors: no judgement, do not use this list to submit"),
    "not_scored": ("输入有误，未计分", "Input has errors; not scored"),
    "score_line": ("{mark} 分线：已计 {total} 分，风险 {at_risk} 分",
                   "Pass mark {mark}: {total} points counted, {at_risk} at risk"),
    "risk_points": ("{title} {points} 分有风险", "{title}: {points} points at risk"),
    "at_risk_head": ("有风险的项目", "What is at risk"),
    "who_head": ("由谁决定", "Who decides"),
    "bring_head": ("请带", "What to bring"),
    "earliest": ("最早可申请日期：{date}", "Earliest application date: {date}"),
    "earliest_late": ("（晚于 {end} 沪府规〔2022〕21号 到期日，此后规则未知，按现行规则推算）",
                      " (after {end}, when the points rules (沪府规〔2022〕21号) expire; the rules after that "
                      "are unknown, and the date is reckoned on the current rules)"),
    "applicant": ("申请人", "Applicant"),
    "id_number": ("身份证号", "ID number"),
    "employer": ("申请单位", "Employer"),
    "as_of": ("申请日期", "Application date"),
    "preparer": ("经办", "Prepared by"),
    "rules": ("规则", "Rules"),
    "fix_head": ("请更正以下输入后重新预审", "Correct these inputs, then check again"),
    "where_head": ("位置", "Where"),
    "what_head": ("要更正的内容", "What to correct"),
    "after_fix": ("更正后重新运行预审，才会给出结论、积分和材料清单。",
                  "Run the check again after correcting: only then are the verdict, points and checklist given."),
    "actions_head": ("递交前须处理", "Before going to the window"),
    "deadline": ("期限：", "Due: "),
    "count": ("（{n}）", " ({n})"),
    "list_sep": ("、", ", "),
    "remedy": ("办法：", "What to do: "),
    "docs_head": ("应备材料", "Documents to bring"),
    "no_docs": ("无：未生成材料清单。", "None: no checklist was made."),
    "other_docs": ("其他材料", "Other documents"),
    "tick": ("勾选", "Done"),
    "no": ("序号", "No."),
    "doc": ("材料", "Document"),
    "original": ("原件核验", "Original"),
    "check_original": ("核验原件", "show original"),
    "copies": ("复印件份数", "Copies"),
    "why": ("为什么需要", "Why"),
    "submit_head": ("在哪里、怎样递交", "Where and how to submit"),
    "where": ("递交地点", "Where"),
    "how": ("递交方式", "How"),
    "copy_rules": ("复印要求", "Copies"),
    "order": ("材料顺序", "Order"),
    "score_head": ("积分明细", "Points"),
    "item": ("项目", "Item"),
    "points": ("分值", "Points"),
    "status": ("状态", "Status"),
    "detail": ("说明", "Detail"),
    "because": ("；因{rule}", "; because of {rule}"),
    "total": ("合计", "Total"),
    "total_note": ("标准分 {mark} 分", "pass mark {mark}"),
    "total_at_risk": ("；另有 {at_risk} 分有风险", "; {at_risk} more at risk"),
    "notes_head": ("详细说明", "Details"),
    "level": ("级别", "Level"),
    "problem": ("问题", "Finding"),
    "remedy_head": ("处理办法", "What to do"),
    "basis_head": ("依据", "Basis"),
    "evidence": ("材料：", "From: "),
    "next_head": ("递交后", "After submitting"),
    "notes_box": ("备注", "Notes"),
    "sign_applicant": ("申请人签名", "Applicant's signature"),
    "sign_preparer": ("经办人签名", "Preparer's signature"),
    "date": ("日期", "Date"),
    "footer_date": ("生成日期：", "Date: "),
    "disclaimer": ("本清单为积分申请预审辅助材料，最终以受理窗口审核为准。",
                   "A pre-check aid only; the acceptance window's review decides."),
}


def pdf_phrases(lang: Lang = "zh") -> dict[str, str]:
    return column(PDF_PHRASES, lang)


# summary.pdf's words (templates/summary.html.j2 reads them as `t`).
SUMMARY_PHRASES: Phrases = {
    "title": ("居住证积分批量预审汇总", "Residence permit points: batch pre-check summary"),
    "counts_head": ("结论统计（共 {n} 人）", "Verdicts ({n} people)"),
    "verdict": ("结论", "Verdict"), "people": ("人数", "People"),
    "fig1": ("图 1　各结论人数", "Figure 1. People by verdict"),
    "dist_head": ("分数分布", "Points"),
    "fig2": ("图 2　已判断人员的总分分布（每 10 分一档；输入有误者不计）",
             "Figure 2. Points of the judged people (10-point bins; invalid input not included)"),
    "pass_mark": ("{mark} 分线", "pass mark {mark}"),
    "no_scores": ("没有可统计分数的人员。", "Nobody with points to show."),
    "attention_head": ("暂不符合与需复核人员（{n} 人）", "Not yet eligible or needs review ({n})"),
    "urgent_head": ("符合条件、但递交前须先处理的人员（{n} 人）", "Eligible, but must act before submitting ({n})"),
    "soon_head": ("{months} 个月内可达到申请条件的人员（{n} 人）", "Eligible within {months} months ({n})"),
    "invalid_head": ("输入数据有误的人员（{n} 人）", "Input errors ({n})"),
    "none": ("无。", "None."),
    "no": ("序号", "No."), "employee_no": ("工号", "Employee no."), "name": ("姓名", "Name"),
    "total": ("总分", "Points"), "main_problem": ("最需处理的问题", "Most urgent problem"), "due": ("期限", "Due"),
    "first": ("须先处理", "Act first"), "earliest": ("最早可申请日期", "Earliest date"),
    "current": ("当前结论", "Verdict now"), "row": ("来源行", "Row"), "fix": ("要更正的内容", "What to correct"),
    "colon": ("：", ": "),
    "input": ("输入", "Input"), "as_of": ("申请日期", "Application date"),
    "as_of_rows": ("按各行「申请日期」，未填的按运行当天", "each row's application date, else the day of the run"),
    "count": ("人数", "People"), "unmatched": ("未匹配的明细行", "Unmatched detail rows"),
    "version": ("版本", "Version"),
    # When people can apply (issue 10's routes).
    "reach_head": ("何时可以申请（按最佳达标途径）", "When people can apply (by the best route)"),
    "reach_when": ("时间", "When"), "reach_on": ("达标日期", "Eligible on"), "next_step": ("下一步", "Next step"),
    "reach_now": ("现在即可申请", "Can apply now"),
    "reach_between": ("{a}–{b} 个月内可申请", "Can apply in {a}–{b} months"),
    "reach_within": ("{b} 个月内可申请", "Can apply within {b} months"),
    "reach_group": ("{label}（{n} 人）", "{label} ({n})"),
    "before_applying": ("（申请前：{step}）", " (before applying: {step})"),
    "name_sep": ("；", "; "),
}


def summary_phrases(lang: Lang = "zh") -> dict[str, str]:
    return column(SUMMARY_PHRASES, lang)
