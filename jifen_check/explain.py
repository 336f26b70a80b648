"""`jifen-check explain FILE RULE-ID`: how a rule fired, or why it did not, with facts and parameters."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import yaml

from jifen_check import conditions as condition_language
from jifen_check import vocabulary
from jifen_check.engine import lookup
from jifen_check.facts import Measurer
from jifen_check.judge import Judgement
from jifen_check.labels import KIND_ZH, confidence_zh
from jifen_check.render.plain import RULE_ID_RE, Words, book_for
from jifen_check.rulebook import Pattern, Rule, Rulebook

FACT_ZH = {"profile": "申请人概况", "degree": "学历", "qual": "职称技能", "block": "剔除标记", "total": "合计"}
OPS = condition_language.OPERATORS
# Code values of the facts a condition tests, in words (others come from synonyms.yaml's first word).
VALUE_ZH = {"yes": "是", "no": "否", "unknown": "不清楚", "paid": "正常缴纳", "backpay": "补缴", "none": "无",
            "fail": "不一致", "na": "不适用", "unstated": "未填", "unregistered": "未注册", "ok": "正常",
            "other": "其他区域", "lingang": "临港新片区", "new_towns": "五个新城", "review": "需复核",
            "a": "情形 a（上海）", "b": "情形 b（户籍地）", "c": "情形 c（工作地）",
            "branch_of_nonlocal": "外地企业在沪分支机构", "nonlocal_representative_office": "外地驻沪代表机构"}


def fact_label(kind: str, name: str) -> str:
    """A fact's Chinese label from the declared vocabulary (never the internal name)."""
    q = vocabulary.TESTABLE.get(kind, {}).get(name) or vocabulary.QUOTABLE.get(kind, {}).get(name)
    return q.label if q else f"「{name}」"


def fact_where(kind: str, fact: dict[str, Any]) -> str:
    """申请人概况, 学历第 2 条, 职称技能第 1 条: which fact, as a person says it."""
    name = FACT_ZH.get(kind, kind)
    if kind in ("degree", "qual") and fact.get("idx") is not None:
        return f"{name}第 {int(fact['idx']) + 1} 条"
    return name


def value_zh(value: Any) -> str:
    """A fact's value in words: 是/否 for booleans, labels for codes; rule IDs stay (references)."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if value is None:
        return "无（未填或不适用）"
    if isinstance(value, list | tuple):
        return "、".join(value_zh(v) for v in value) or "（空）"
    if isinstance(value, str):
        if RULE_ID_RE.fullmatch(value):
            return value
        status = Words().code("status", value)
        if status != value:
            return status
        if value in VALUE_ZH:
            return VALUE_ZH[value]
        words = _code_words().get(value)
        return str(words[0]) if words else value
    return str(value)


@cache
def _code_words() -> dict[str, list[str]]:
    """The codes' Chinese words from the one synonyms table (its first word is the usual one)."""
    from jifen_check.rulebook import RULESETS_DIR

    data = yaml.safe_load((RULESETS_DIR / "reference" / "synonyms.yaml").read_text(encoding="utf-8"))
    return {str(code): list(words) for code, words in data.get("codes", {}).items()}


def resolve(value: Any, fact: dict[str, Any], params: dict[str, Any]) -> Any:
    if isinstance(value, str) and value.startswith("@"):
        return lookup(value[1:], params)
    if isinstance(value, str) and value.startswith("$") and "." not in value:
        return fact.get(value[1:])
    return value


def holds(op: str, actual: Any, want: Any) -> bool:
    """For display only: the engine decided; this shows the reader which test held."""
    return condition_language.holds(op, actual, want)


def _wanted(raw: Any, want: Any, kind: str) -> str:
    """The compared value; a parameter is named by its value (listed with its source below), another
    fact by its label."""
    if isinstance(raw, str) and raw.startswith("$"):
        return f"{fact_label(kind, raw[1:])}（{value_zh(want)}）"
    return value_zh(want)


def describe_tests(tests: dict[str, Any], fact: dict[str, Any], params: dict[str, Any], kind: str = "profile") -> list[str]:
    out = []
    for name, spec in tests.items():
        for op, raw in condition_language.normalize(spec).items():
            want = [resolve(x, fact, params) for x in raw] if isinstance(raw, list) else resolve(raw, fact, params)
            actual = fact.get(name)
            mark = "✓" if holds(op, actual, want) else "✗"
            label = fact_label(kind, name)
            if op == "exists":
                out.append(f"      {mark} {label}{'已有' if want else '没有'}   （实际 {value_zh(actual)}）")
                continue
            shown = _wanted(raw, want, kind)
            out.append(f"      {mark} {label} {OPS[op]} {shown}   （实际 {value_zh(actual)}）")
    return out


def describe_pattern(p: Pattern, facts: list[dict[str, Any]], params: dict[str, Any]) -> list[str]:
    out = []
    for fact in facts or [{}]:
        out.append(f"    {fact_where(p.fact, fact)}：")
        out += describe_tests(p.test, fact, params, p.fact)
        if p.any:
            out.append("      以下任一成立：")
            for alt in p.any:
                out += ["  " + x for x in describe_tests(alt, fact, params, p.fact)]
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
    words, book = Words("zh", r.ruleset.id), book_for(r)
    for f in fired:
        out.append(f"  第 {f.case + 1} 种情形成立（{fact_where(str(f.fact.get('t')), f.fact)}）")
    for x in lines:
        because = f"（因{words.prose(x.reason, book)} {x.reason}）" if x.reason else ""
        out.append(f"  积分：{x.points} 分，{words.code('status', x.status)}{because}；{words.prose(x.detail, book)}")
    for f in found:
        out.append(f"  【{words.code('severity_short', f.severity)}】{words.prose(f.message, book)}")
        if f.remedy:
            out.append(f"      办法：{words.prose(f.remedy, book)}")
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
        # the parameter's key (six_of_twelve.min_months) is the trailing reference, like a rule ID
        out.append(f"  {param.description}：{value_zh(value)}（{param.dates[i]} 起；{param.sources[i]}"
                   + (f"；可信度 {confidence_zh(conf)}" if conf != "official" else "") + f"；参数 {ref}）")
    return out


def explain(book: Rulebook, judgement: Judgement, rule_id: str) -> str:
    rule = book.rules[rule_id]
    out = header(rule) + outcome(rule, judgement) + conditions(rule, judgement)
    out += parameters_used(book, rule, judgement)
    if rule_id in ("BON-SI-BASE", "PIT-SI-TAX-MISMATCH", "PIT-EMPLOYER-CONSISTENT", "PIT-PARAM-PROVISIONAL"):
        out += si_base_months(book, judgement)
    return "\n".join(out) + "\n"
