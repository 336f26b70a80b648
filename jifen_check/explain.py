"""`jifen-check explain FILE RULE-ID`: how a rule fired, or why it did not, with facts and parameters."""

from __future__ import annotations

import re
from typing import Any

from jifen_check import conditions as condition_language
from jifen_check.engine import lookup
from jifen_check.facts import Measurer
from jifen_check.judge import Judgement
from jifen_check.labels import KIND_ZH, confidence_zh
from jifen_check.rulebook import Pattern, Rule, Rulebook

FACT_ZH = {"profile": "申请人概况", "degree": "学历", "qual": "职称技能", "block": "剔除标记", "total": "合计"}
OPS = condition_language.OPERATORS


def resolve(value: Any, fact: dict[str, Any], params: dict[str, Any]) -> Any:
    if isinstance(value, str) and value.startswith("@"):
        return lookup(value[1:], params)
    if isinstance(value, str) and value.startswith("$") and "." not in value:
        return fact.get(value[1:])
    return value


def holds(op: str, actual: Any, want: Any) -> bool:
    """For display only: the engine decided; this shows the reader which test held."""
    return condition_language.holds(op, actual, want)


def describe_tests(tests: dict[str, Any], fact: dict[str, Any], params: dict[str, Any]) -> list[str]:
    out = []
    for name, spec in tests.items():
        for op, raw in condition_language.normalize(spec).items():
            want = [resolve(x, fact, params) for x in raw] if isinstance(raw, list) else resolve(raw, fact, params)
            actual = fact.get(name)
            mark = "✓" if holds(op, actual, want) else "✗"
            shown = f"{raw}={want}" if isinstance(raw, str) and raw[:1] in "@$" else f"{want}"
            out.append(f"      {mark} {name} {OPS[op]} {shown}   （实际 {name} = {actual}）")
    return out


def describe_pattern(p: Pattern, facts: list[dict[str, Any]], params: dict[str, Any]) -> list[str]:
    out = []
    for fact in facts or [{}]:
        label = f"{p.fact}" + (f"[{fact.get('idx')}]" if p.fact in ("degree", "qual") else "")
        out.append(f"    {FACT_ZH.get(p.fact, p.fact)}{label[len(p.fact):]}：")
        out += describe_tests(p.test, fact, params)
        if p.any:
            out.append("      以下任一成立：")
            for alt in p.any:
                out += ["  " + x for x in describe_tests(alt, fact, params)]
    return out


def facts_of(judgement: Judgement, kind: str) -> list[dict[str, Any]]:
    ledger = judgement.ledger
    if ledger is None:
        return []
    obs = ledger.obs
    if kind == "profile":
        return [obs.profile]
    if kind == "degree":
        return obs.degrees
    if kind == "qual":
        return obs.quals
    if kind == "total" and ledger.total:
        return [ledger.total]
    return []


def header(rule: Rule) -> list[str]:
    out = [f"{rule.id}  {rule.title}",
           f"  类别：{KIND_ZH.get(rule.kind, rule.kind)}    可信度：{confidence_zh(rule.confidence)}",
           f"  出处：{rule.source or '—'}"]
    if rule.note:
        out.append(f"  说明：{rule.note}")
    if rule.time_cures:
        out.append("  随时间可消除：是（计入最早可申请日期）")
    return out


def outcome(rule: Rule, judgement: Judgement) -> list[str]:
    r = judgement.result
    found = [f for f in r.findings if f.rule == rule.id]
    lines = [x for x in r.score.lines if x.rule == rule.id]
    fired = [f for f in judgement.ledger.fired if f.rule == rule.id] if judgement.ledger else []
    out = ["", "结果："]
    if not found and not lines and not fired:
        out.append("  未触发。" if judgement.ledger else "  输入数据有误，未进入规则判断。")
    for f in fired:
        out.append(f"  第 {f.case + 1} 种情形成立（事实 {f.fact.get('t')}" +
                   (f"[{f.fact.get('idx')}]" if f.fact.get("t") in ("degree", "qual") else "") + "）")
    for x in lines:
        out.append(f"  积分：{x.points} 分，{x.status}" + (f"（{x.reason}）" if x.reason else "") + f"；{x.detail}")
    for f in found:
        out.append(f"  [{f.severity}] {f.message}")
        if f.remedy:
            out.append(f"      办法：{f.remedy}")
    return out


def conditions(rule: Rule, judgement: Judgement) -> list[str]:
    if not rule.cases or judgement.ledger is None:
        return []
    params = judgement.ledger.params
    out = ["", "条件与事实（✓ 成立，✗ 不成立）："]
    for i, case in enumerate(rule.cases):
        out.append(f"  情形 {i + 1}：")
        for p in case.when.all:
            out += describe_pattern(p, facts_of(judgement, p.fact), params)
    return out


def si_base_months(book: Rulebook, judgement: Judgement) -> list[str]:
    """Which months counted toward BON-SI-BASE and which were excluded, with the wage used."""
    if judgement.applicant is None or judgement.ledger is None:
        return []
    rows = Measurer(book, judgement.applicant, judgement.ledger.obs.as_of).month_table()
    why = {None: "计入", "backpay": "补缴，剔除", "transferred": "外地转入，剔除", "no_record": "无缴费记录",
           "inconsistent": "单位不一致，剔除", "tax": "个税不对应，剔除"}
    out = ["", "逐月明细（缴费基数 / 当月适用社平工资 = 倍数）："]
    for row in rows:
        if row["base"] is None:
            out.append(f"  {row['month']}  —  {why['no_record']}")
            continue
        ratio = row["base"] / row["wage"]
        prov = ("（暂定）" if row["provisional"] else "（未经核实）" if row["unverified"]
                else "（受理实践口径）" if row["practice"] else "")
        tax = "无个税" if row["tax_income"] is None else f"个税收入 {row['tax_income']:g}"
        out.append(f"  {row['month']}  {row['base']:>9g} / {row['wage']}{prov} = {ratio:4.2f}×  {tax}  {why[row['excluded']]}")
    return out


_PARAM_REF = re.compile(r"@([a-z_][\w.]*[\w])")


def parameters_used(book: Rulebook, rule: Rule, judgement: Judgement) -> list[str]:
    """Each parameter value the rule refers to, as in force on the as-of date, with its source."""
    if judgement.ledger is None:
        return []
    day = judgement.ledger.obs.as_of
    refs = sorted(set(_PARAM_REF.findall(rule.model_dump_json())))
    out = ["", "所用参数（申请日适用的数值与出处）："] if refs else []
    for ref in refs:
        param = book.parameters.get(ref.split(".", 1)[0])
        if param is None:
            continue
        i = param.index_at(day)
        value = lookup(ref, judgement.ledger.params)
        conf = param.confidences[i]
        out.append(f"  {ref} = {value}（{param.dates[i]} 起；{param.sources[i]}"
                   + (f"；可信度 {conf}" if conf != "official" else "") + "）")
    return out


def explain(book: Rulebook, judgement: Judgement, rule_id: str) -> str:
    rule = book.rules[rule_id]
    out = header(rule) + outcome(rule, judgement) + conditions(rule, judgement)
    out += parameters_used(book, rule, judgement)
    if rule_id in ("BON-SI-BASE", "PIT-SI-TAX-MISMATCH", "PIT-EMPLOYER-CONSISTENT", "PIT-PARAM-PROVISIONAL"):
        out += si_base_months(book, judgement)
    return "\n".join(out) + "\n"
