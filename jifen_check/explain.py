"""`jifen-check explain FILE RULE-ID`: how a rule fired, or why it did not, with facts and parameters.

Everything is said in words (issue 11): facts by their labels in the declared vocabulary
(`vocabulary.py`, Chinese and English), values as words, the points status and severity by their
labels. Rule IDs and parameter keys appear only as references. `--lang en` gives English; the
parameters' descriptions, sources and the rule's note exist in Chinese only and stay in brackets.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from jifen_check import conditions as condition_language
from jifen_check import reference, vocabulary, yamlio
from jifen_check.engine.messages import lookup
from jifen_check.facts import Measurer
from jifen_check.judge import Judgement
from jifen_check.render.i18n import finding_texts, line_texts
from jifen_check.render.plain import RULE_ID_RE, Lang, Phrases, Words, book_for, pick, rule_text, side
from jifen_check.rulebook import Pattern, Rule, Rulebook

OPS = condition_language.OPERATORS
# Which fact a condition looks at: (中文, English).
FACT_WORDS = {"profile": ("申请人概况", "Applicant"), "degree": ("学历", "Education"),
              "qual": ("职称技能", "Title/skill"), "block": ("剔除标记", "Exclusion mark"), "total": ("合计", "Total")}
# Code values of the facts a condition tests, in words; a code not listed takes synonyms.yaml's first
# Chinese word (in English: the code with spaces).
VALUE_WORDS: dict[str, tuple[str, str]] = {
    "yes": ("是", "yes"), "no": ("否", "no"), "unknown": ("不清楚", "unknown"), "paid": ("正常缴纳", "paid"),
    "backpay": ("补缴", "paid in arrears"), "none": ("无", "none"), "fail": ("不一致", "not met"),
    "na": ("不适用", "not applicable"), "unstated": ("未填", "not given"), "unregistered": ("未注册", "not registered"),
    "ok": ("正常", "in order"), "other": ("其他区域", "another area"), "lingang": ("临港新片区", "Lingang"),
    "new_towns": ("五个新城", "the five new towns"), "review": ("需复核", "needs review"),
    "a": ("情形 a（上海）", "case a (Shanghai)"), "b": ("情形 b（户籍地）", "case b (hukou province)"),
    "c": ("情形 c（工作地）", "case c (place of work)"),
    "branch_of_nonlocal": ("外地企业在沪分支机构", "Shanghai branch of a company from elsewhere"),
    "nonlocal_representative_office": ("外地驻沪代表机构", "Shanghai representative office from elsewhere"),
}
# The certificates in a degree's `papers` (bachelor/diploma+degree).
PAPER_WORDS = {"diploma": ("学历证书", "diploma"), "degree": ("学位证书", "degree certificate"),
               "none": ("无证书", "no certificate")}
# Why a month did or did not count (BON-SI-BASE's month table).
MONTH_WHY = {None: ("计入", "counted"), "backpay": ("补缴，剔除", "paid in arrears, excluded"),
             "transferred": ("外地转入，剔除", "transferred in, excluded"),
             "no_record": ("无缴费记录", "no contribution record"),
             "inconsistent": ("单位不一致，剔除", "employers differ, excluded"),
             "tax": ("个税不对应，剔除", "income tax does not match, excluded")}
# The command's own words: key → (中文, English).
PHRASES: Phrases = {
    "kind_conf": ("  类别：{kind}    可信度：{conf}", "  Kind: {kind}    Confidence: {conf}"),
    "source": ("  出处：{source}", "  Source: {source}"),
    "note": ("  说明：{note}", "  Note: {note}"),
    "time_cures": ("  随时间可消除：是（计入最早可申请日期）",
                   "  Cured by time: yes (counted in the earliest application date)"),
    "result": ("结果：", "Result:"),
    "not_fired": ("  未触发。", "  Did not fire."),
    "invalid": ("  输入数据有误，未进入规则判断。", "  The input has errors; the rules were not run."),
    "case_fired": ("  第 {n} 种情形成立（{where}）", "  Case {n} holds ({where})"),
    "points": ("  积分：{points} 分，{status}{because}；{detail}", "  Points: {points}, {status}{because}; {detail}"),
    "because": ("（因{title} {rule}）", " (because of {title} {rule})"),
    "finding": ("  【{severity}】{message}", "  [{severity}] {message}"),
    "remedy": ("      办法：{remedy}", "      What to do: {remedy}"),
    "conditions": ("条件与事实（✓ 成立，✗ 不成立）：", "Conditions and facts (✓ holds, ✗ does not):"),
    "case": ("  情形 {n}：", "  Case {n}:"),
    "any": ("      以下任一成立：", "      Any of these:"),
    "where": ("    {where}：", "    {where}:"),
    "entry": ("{name}第 {n} 条", "{name} entry {n}"),
    "test": ("      {mark} {label} {op} {want}   （实际 {actual}）", "      {mark} {label} {op} {want}   (actual: {actual})"),
    "exists": ("      {mark} {label}{have}   （实际 {actual}）", "      {mark} {label}: {have}   (actual: {actual})"),
    "have": ("已有", "given"), "have_not": ("没有", "not given"),
    "other_fact": ("{label}（{value}）", "{label} ({value})"),
    "empty": ("（空）", "(empty)"), "null": ("无（未填或不适用）", "none (not given or not applicable)"),
    "true": ("是", "yes"), "false": ("否", "no"), "list_sep": ("、", ", "),
    "months_head": ("逐月明细（缴费基数 / 当月适用社平工资 = 倍数）：",
                    "Month by month (contribution base / average wage in force that month = multiple):"),
    "provisional": ("（暂定）", " (provisional)"), "unverified": ("（未核实）", " (unverified)"),
    "practice": ("（受理实践口径）", " (window practice)"),
    "no_tax": ("无个税", "no income tax"), "tax": ("个税收入 {income}", "taxed income {income}"),
    "params_head": ("所用参数（申请日适用的数值与出处）：",
                    "Parameters used (the value in force on the application date, with its source):"),
    "param": ("  {description}：{value}（{since} 起；{source}{conf}；参数 {ref}）",
              "  {description}: {value} (from {since}; {source}{conf}; parameter {ref})"),
    "param_conf": ("；可信度 {conf}", "; confidence {conf}"),
}
MONTH_TABLE_RULES = ("BON-SI-BASE", "PIT-SI-TAX-MISMATCH", "PIT-EMPLOYER-CONSISTENT", "PIT-PARAM-PROVISIONAL")
_PARAM_REF = re.compile(r"@([a-z_][\w.]*[\w])")


def fact_label(kind: str, name: str, lang: Lang = "zh") -> str:
    """A fact's label from the declared vocabulary (never the internal name)."""
    q = vocabulary.TESTABLE.get(kind, {}).get(name) or vocabulary.QUOTABLE.get(kind, {}).get(name)
    if q is None:
        return f"「{name}」"
    return (q.label_en or f"({q.label})") if lang == "en" else q.label


@cache
def _code_words() -> dict[str, list[str]]:
    """The codes' Chinese words from the one synonyms table (its first word is the usual one)."""
    from jifen_check.rulebook import RULESETS_DIR

    data = yamlio.load((RULESETS_DIR / "reference" / "synonyms.yaml").read_text(encoding="utf-8"))
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


class Explainer:
    def __init__(self, book: Rulebook, judgement: Judgement, lang: Lang = "zh") -> None:
        self.book, self.judgement, self.lang = book, judgement, lang
        self.i = side(lang)
        self.words = Words(lang, judgement.result.ruleset.id)
        self.result_book = book_for(judgement.result)

    def t(self, key: str, **kw: object) -> str:
        return pick(PHRASES, self.lang, key, **kw)

    def original(self, text: str, english: str = "") -> str:
        """A source, a note or a parameter's description: its English beside the Chinese in the ruleset
        (legal names keep their original in brackets); a text without English stays Chinese, in brackets."""
        if self.lang != "en" or not text:
            return text
        return english or f"({text})"

    def value(self, value: Any) -> str:
        """A fact's value in words: yes/no for booleans, labels for codes; rule IDs stay (references)."""
        if isinstance(value, bool):
            return self.t("true" if value else "false")
        if value is None:
            return self.t("null")
        if isinstance(value, list | tuple):
            return self.t("list_sep").join(self.value(v) for v in value) or self.t("empty")
        if not isinstance(value, str) or RULE_ID_RE.fullmatch(value):
            return str(value)
        if "/" in value:  # `papers` (bachelor/diploma+degree), `grade` (skill_level/3): each part in words
            slash, plus = (" / ", " + ") if self.lang == "en" else ("／", "＋")
            return slash.join(plus.join(self._part(x) for x in part.split("+")) for part in value.split("/"))
        status = self.words.code("status", value)
        if status != value:
            return status
        if value in VALUE_WORDS:
            return VALUE_WORDS[value][self.i]
        if self.lang == "en":  # a province (学习地省份, 户籍省份) by its English name
            return reference.province_en(value) or value.replace("_", " ")
        words = _code_words().get(value)
        return str(words[0]) if words else value

    def _part(self, code: str) -> str:
        """One part of a `papers` or `grade` value: a certificate, a level, a kind."""
        if code in PAPER_WORDS:
            return PAPER_WORDS[code][self.i]
        return self.value(code)

    def where(self, kind: str, fact: dict[str, Any]) -> str:
        """申请人概况, 学历第 2 条 (Education entry 2): which fact, as a person says it."""
        name = FACT_WORDS.get(kind, (kind, kind))[self.i]
        if kind in ("degree", "qual") and fact.get("idx") is not None:
            return self.t("entry", name=name, n=int(fact["idx"]) + 1)
        return name

    # ── the parts ────────────────────────────────────────────────────────────────────────
    def header(self, rule: Rule) -> list[str]:
        conf = self.words.code("confidence", rule.confidence) if rule.confidence else "—"
        out = [f"{rule.id}  {rule_text(rule, 'title', self.lang)}",
               self.t("kind_conf", kind=self.words.code("kind", rule.kind), conf=conf),
               self.t("source", source=self.original(rule.source, rule.source_en) or "—")]
        if rule.note:
            out.append(self.t("note", note=self.original(rule.note, rule.note_en)))
        if rule.time_cures:
            out.append(self.t("time_cures"))
        return out

    def _case_label(self, rule: Rule, case: int) -> str:
        """「：三地一致成立：在户籍省份学习…」 after a case that holds, when the case says what it means."""
        c = rule.cases[case] if 0 <= case < len(rule.cases) else None
        if c is None or not c.label:
            return ""
        text = (c.label_en or f"({c.label})") if self.lang == "en" else c.label
        return ("：" if self.lang != "en" else ": ") + text

    def outcome(self, rule: Rule) -> list[str]:
        j, book = self.judgement, self.result_book
        r = j.result
        found = [f for f in r.findings if f.rule == rule.id]
        lines = [x for x in r.score.lines if x.rule == rule.id]
        fired = [f for f in j.ledger.fired if f.rule == rule.id] if j.ledger else []
        out = ["", self.t("result")]
        if not found and not lines and not fired:
            out.append(self.t("not_fired") if j.ledger else self.t("invalid"))
        for f in fired:
            out.append(self.t("case_fired", n=f.case + 1, where=self.where(str(f.fact.get("t")), f.fact))
                       + self._case_label(rule, f.case))
        for x in lines:
            because = self.t("because", title=self.words.prose(x.reason, book), rule=x.reason) if x.reason else ""
            _, detail = line_texts(x, self.lang, book)
            out.append(self.t("points", points=x.points, status=self.words.code("status", x.status), because=because,
                              detail=self.words.prose(detail, book)))
        for f in found:
            message, remedy = finding_texts(f, self.lang, book)
            out.append(self.t("finding", severity=self.words.code("severity_short", f.severity),
                              message=self.words.prose(message, book)))
            if remedy:
                out.append(self.t("remedy", remedy=self.words.prose(remedy, book)))
        return out

    def tests(self, tests: dict[str, Any], fact: dict[str, Any], params: dict[str, Any], kind: str) -> list[str]:
        out = []
        for name, spec in tests.items():
            for op, raw in condition_language.normalize(spec).items():
                want = [resolve(x, fact, params) for x in raw] if isinstance(raw, list) else resolve(raw, fact, params)
                actual = fact.get(name)
                mark = "✓" if holds(op, actual, want) else "✗"
                label = fact_label(kind, name, self.lang)
                if op == "exists":
                    have = self.t("have" if want else "have_not")
                    out.append(self.t("exists", mark=mark, label=label, have=have, actual=self.value(actual)))
                    continue
                # a parameter shows as its value (listed with its source below), another fact by its label
                shown = (self.t("other_fact", label=fact_label(kind, raw[1:], self.lang), value=self.value(want))
                         if isinstance(raw, str) and raw.startswith("$") else self.value(want))
                out.append(self.t("test", mark=mark, label=label, op=OPS[op], want=shown, actual=self.value(actual)))
        return out

    def pattern(self, p: Pattern, facts: list[dict[str, Any]], params: dict[str, Any]) -> list[str]:
        out = []
        for fact in facts or [{}]:
            out.append(self.t("where", where=self.where(p.fact, fact)))
            out += self.tests(p.test, fact, params, p.fact)
            if p.any:
                out.append(self.t("any"))
                for alt in p.any:
                    out += ["  " + x for x in self.tests(alt, fact, params, p.fact)]
        return out

    def conditions(self, rule: Rule) -> list[str]:
        if not rule.cases or self.judgement.ledger is None:
            return []
        params = self.judgement.ledger.params
        out = ["", self.t("conditions")]
        for i, case in enumerate(rule.cases):
            out.append(self.t("case", n=i + 1))
            for p in case.when.all:
                out += self.pattern(p, facts_of(self.judgement, p.fact), params)
        return out

    def months(self) -> list[str]:
        """Which months counted toward BON-SI-BASE and which were excluded, with the wage used."""
        j = self.judgement
        if j.applicant is None or j.ledger is None:
            return []
        rows = Measurer(self.book, j.applicant, j.ledger.obs.as_of).month_table()
        out = ["", self.t("months_head")]
        for row in rows:
            if row["base"] is None:
                out.append(f"  {row['month']}  —  {MONTH_WHY['no_record'][self.i]}")
                continue
            ratio = row["base"] / row["wage"]
            prov = (self.t("provisional") if row["provisional"] else self.t("unverified") if row["unverified"]
                    else self.t("practice") if row["practice"] else "")
            tax = self.t("no_tax") if row["tax_income"] is None else self.t("tax", income=f"{row['tax_income']:g}")
            out.append(f"  {row['month']}  {row['base']:>9g} / {row['wage']}{prov} = {ratio:4.2f}×  {tax}  "
                       f"{MONTH_WHY[row['excluded']][self.i]}")
        return out

    def parameters(self, rule: Rule) -> list[str]:
        """Each parameter value the rule refers to, as in force on the as-of date, with its source; the
        parameter's key (six_of_twelve.min_months) is the trailing reference, like a rule ID."""
        j = self.judgement
        if j.ledger is None:
            return []
        day = j.ledger.obs.as_of
        refs = sorted(set(_PARAM_REF.findall(rule.model_dump_json())))
        out = ["", self.t("params_head")] if refs else []
        for ref in refs:
            param = self.book.parameters.get(ref.split(".", 1)[0])
            if param is None:
                continue
            since, entry = param.entry(ref, day)  # a composite's key has its own date and source
            conf = entry.confidence
            out.append(self.t("param", description=self.original(param.description, param.description_en),
                              value=self.value(lookup(ref, j.ledger.params)), since=since,
                              source=self.original(entry.source, entry.source_en), ref=ref,
                              conf=self.t("param_conf", conf=self.words.code("confidence", conf))
                              if conf != "official" else ""))
        return out


def explain(book: Rulebook, judgement: Judgement, rule_id: str, lang: Lang = "zh") -> str:
    rule = book.rules[rule_id]
    x = Explainer(book, judgement, lang)
    out = x.header(rule) + x.outcome(rule) + x.conditions(rule) + x.parameters(rule)
    if rule_id in MONTH_TABLE_RULES:
        out += x.months()
    return "\n".join(out) + "\n"
