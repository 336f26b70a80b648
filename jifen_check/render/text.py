"""The readable report: verdict first, then score, blockers, warnings, earliest date.

Plain words only: verdicts, statuses and confidences as labels, field paths as 社保第 4 行 · 缴费基数,
rule IDs as the rule's title inside sentences. Rule IDs appear only as a trailing reference when asked
(`--rule-ids`). 依据 is the policy source; 材料 is the documents and months the finding came from.
"""

from __future__ import annotations

import unicodedata

from jifen_check.render.i18n import finding_texts, line_texts, phrase, source_text
from jifen_check.render.plain import Lang, Words, book_for, ruleset_phrase
from jifen_check.result import SEVERITY_ORDER, Finding, Result


def _rules_end(r: Result) -> str:
    return (r.ruleset.in_force or {}).get("to", "")


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, cols: int) -> str:
    return text + " " * max(0, cols - width(text))


class TextReport:
    def __init__(self, r: Result, lang: Lang = "zh", rule_ids: bool = False) -> None:
        self.r, self.lang, self.rule_ids = r, lang, rule_ids
        self.words = Words(lang, r.ruleset.id)
        self.book = book_for(r)

    def t(self, key: str, **kw: object) -> str:
        return phrase(key, self.lang, **kw)

    def ref(self, rule_id: str) -> str:
        """The rule ID as a small trailing reference, only when asked."""
        return f"  〔{rule_id}〕" if self.rule_ids else ""

    def header(self) -> list[str]:
        r, s = self.r, self.r.score
        out = [self.t("verdict", verdict=self.words.code("verdict", r.verdict))]
        if r.verdict != "invalid_input":
            line = self.t("score", total=s.total, mark=s.pass_mark)
            if s.at_risk:
                line += self.t("score_at_risk", at_risk=s.at_risk)
            out.append(line)
        who = r.applicant
        out.append(self.t("applicant", name=who.name or self.t("blank"), id=who.id_number or "")
                   + (self.t("source", row=who.row) if who.row else ""))
        out.append(self.t("employer", name=r.employer.name or self.t("blank"), as_of=r.as_of))
        out.append(self.t("ruleset", phrase=ruleset_phrase(r, self.lang)))
        return out

    def score_lines(self) -> list[str]:
        r = self.r
        if not r.score.lines:
            return []
        out = ["", self.t("score_heading")]
        for line in r.score.lines:
            title, detail = line_texts(line, self.lang, self.book)
            detail = self.words.prose(detail, self.book)
            if line.reason and line.status != "counted":
                because = self.words.prose(line.reason, self.book)
                if because not in detail:  # the chooser's reason is already the detail's last sentence
                    detail += self.t("because", rule=because)
            status = self.words.code("status", line.status)
            out.append(f"  {pad(status, 8)} {pad(title, 32)} {line.points:>5}  {detail}{self.ref(line.rule)}")
        total = self.t("total_line", mark=r.score.pass_mark)
        if r.score.at_risk:
            total += self.t("total_at_risk", at_risk=r.score.at_risk)
        out.append(f"  {pad(self.t('total'), 41)} {r.score.total:>5}  {total}")
        return out

    def finding_lines(self, f: Finding) -> list[str]:
        message, remedy = finding_texts(f, self.lang, self.book)
        out = [f"  · {self.words.prose(message, self.book)}{self.ref(f.rule)}"]
        if remedy:
            out.append(f"    {self.t('remedy')}{self.words.prose(remedy, self.book)}")
        if f.deadline:
            out.append(f"    {self.t('deadline')}{f.deadline}")
        evidence = self.words.evidence(f)
        if evidence and evidence not in out[0]:
            out.append(f"    {self.t('evidence')}{evidence}")
        if f.source or f.confidence:
            conf = self.words.code("confidence", f.confidence) if f.confidence else ""
            basis = (source_text(f, "en", self.book) if self.lang == "en" else self.words.prose(f.source, self.book)) \
                if f.source else ""
            out.append(f"    {self.t('basis')}{basis}" + (f"（{conf}）" if self.lang == "zh" else f" ({conf})")
                       if conf else f"    {self.t('basis')}{basis}")
        return out

    def findings(self) -> list[str]:
        out: list[str] = []
        for severity in SEVERITY_ORDER:
            group = [f for f in self.r.findings if f.severity == severity]
            if group:
                out += ["", self.t("section", title=self.words.code("severity", severity), n=len(group))]
                for f in group:
                    out += self.finding_lines(f)
        return out

    def earliest(self) -> list[str]:
        r = self.r
        if r.verdict != "not_eligible":
            return []
        if r.earliest_eligible:
            late = self.t("earliest_late", end=_rules_end(r)) if r.earliest_eligible_note else ""
            return ["", self.t("earliest", date=r.earliest_eligible) + late]
        from jifen_check.earliest import HORIZON_MONTHS  # how far the earliest-date search looks

        return ["", self.t("earliest_none", months=HORIZON_MONTHS)]

    def render(self) -> str:
        from jifen_check.render.routes_text import routes_section  # 达标途径 (issue 10), after the verdict

        return "\n".join(self.header() + routes_section(self.r, self.lang) + self.score_lines() + self.findings()
                         + self.earliest()) + "\n"


def render_text(r: Result, lang: Lang = "zh", rule_ids: bool = False) -> str:
    return TextReport(r, lang, rule_ids).render()
