"""What the checklist PDF/HTML shows, in plain words: the context for templates/checklist.html.j2.

Page 1 is the hand-over frame a consultant would add: the verdict (green go, amber review, red stop),
what needs action before the window, then the documents. Where and how to submit, the copy rules,
the order and the next steps come from the ruleset's `submission.yaml` (each with source and
confidence). No WeasyPrint here: the HTML is also served on its own.
"""

from __future__ import annotations

from functools import cache
from typing import Any, Literal

from markupsafe import Markup
from pydantic import BaseModel, ConfigDict, Field

from jifen_check import diskcache, rulebook
from jifen_check.render.i18n import document_texts, finding_texts, line_texts, pdf_phrases, source_text
from jifen_check.render.plain import Lang, Words, book_for, ruleset_phrase
from jifen_check.render.routes_text import pdf_routes_box
from jifen_check.result import SEVERITY_RANK, Finding, Result


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Sourced(_Strict):
    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)
    source: str = Field(min_length=1)
    source_en: str = Field(min_length=1)  # legal names keep their original in brackets
    confidence: Literal["official", "practice", "unverified"]

    def text(self, lang: Lang) -> str:
        return self.en if lang == "en" else self.zh

    def cited(self, lang: Lang, confidence: str) -> str:
        """（source · confidence） after the text, in the language's brackets."""
        if lang == "en":
            return f" ({self.source_en} · {confidence})"
        return f"（{self.source} · {confidence}）"


class Submission(_Strict):
    where: Sourced
    how: Sourced
    copies: list[Sourced] = Field(min_length=1)
    order: Sourced
    next_steps: list[Sourced] = Field(min_length=1)
    review: Sourced


@cache
def submission(ruleset_id: str = rulebook.DEFAULT_RULESET) -> Submission:
    path = rulebook.ruleset_file(ruleset_id, "submission.yaml")
    return Submission.model_validate(diskcache.load_yaml_file(path))


class Handover:
    def __init__(self, result: Result, lang: Lang = "zh", rule_ids: bool = False,
                 consultant: str | None = None) -> None:
        self.r, self.lang, self.rule_ids, self.consultant = result, lang, rule_ids, consultant
        self.words = Words(lang, result.ruleset.id)
        self.book = book_for(result)
        self.t = pdf_phrases(lang)
        self.sub = submission(result.ruleset.id)

    def ref(self, *rule_ids: str) -> Markup:
        if not self.rule_ids or not rule_ids:
            return Markup("")
        return Markup(' <span class="rule-id">〔{}〕</span>').format("、".join(rule_ids))

    def finding(self, f: Finding) -> dict[str, Any]:
        message, remedy = finding_texts(f, self.lang, self.book)
        return {
            "severity": f.severity, "kind": self.words.code("severity_short", f.severity),
            "message": self.words.prose(message, self.book), "remedy": self.words.prose(remedy, self.book),
            "deadline": f.deadline, "evidence": self.words.evidence(f),
            "source": self.basis(f),
            "confidence": self.words.code("confidence", f.confidence) if f.confidence else "",
            "ref": self.ref(f.rule),
        }

    def basis(self, f: Finding) -> str:
        """The policy source (in English: the rule's source_en; legal names keep their original)."""
        if not f.source:
            return "—"
        return source_text(f, "en", self.book) if self.lang == "en" else self.words.prose(f.source, self.book)

    def of(self, *severities: str) -> list[Finding]:
        return sorted((f for f in self.r.findings if f.severity in severities),
                      key=lambda f: (SEVERITY_RANK[f.severity], f.deadline is None, f.deadline or ""))

    def headline(self, actions: list[dict[str, Any]]) -> str:
        verdict = self.r.verdict
        if verdict == "eligible":
            return self.t["go_with_actions"].format(n=len(actions)) if actions else self.t["go"]
        return self.t[verdict]

    def review_items(self) -> list[dict[str, Any]]:
        if self.r.verdict != "needs_review":
            return []
        who = self.sub.review.text(self.lang)
        items = []
        for line in self.r.score.lines:
            if line.status != "at_risk":
                continue
            title, _ = line_texts(line, self.lang, self.book)
            because = [f for f in self.r.findings if f.rule == line.reason]
            docs = [document_texts(d, self.lang, self.r.ruleset.id)[0] for d in self.r.checklist
                    if line.rule in d.because or (line.reason or "") in d.because]
            bring = self.t["list_sep"].join(docs) if docs else (self.finding(because[0])["remedy"] if because else "—")
            reason = self.finding(because[0])["message"] if because else ""
            sep = ": " if self.lang == "en" else "："
            risk = self.t["risk_points"].format(title=title, points=line.points) + (f"{sep}{reason}" if reason else "")
            items.append({"risk": risk, "who": who, "bring": bring, "ref": self.ref(line.rule)})
        for f in self.of("review"):
            shown = self.finding(f)
            risk = shown["message"] + (f"（{self.t['deadline']}{f.deadline}）" if f.deadline else "")
            items.append({"risk": risk, "who": who, "bring": shown["remedy"] or "—", "ref": shown["ref"]})
        return items

    def lines(self) -> list[dict[str, Any]]:
        out = []
        for line in self.r.score.lines:
            title, detail = line_texts(line, self.lang, self.book)
            detail = self.words.prose(detail, self.book)
            if line.reason and line.status != "counted":
                because = self.words.prose(line.reason, self.book)
                if because not in detail:
                    detail += self.t["because"].format(rule=because)
            out.append({"title": title, "points": line.points, "status": line.status, "detail": detail,
                        "status_label": self.words.code("status", line.status), "ref": self.ref(line.rule)})
        return out

    def groups(self) -> list[tuple[str, list[tuple[int, dict[str, Any]]]]]:
        groups: dict[str, list[tuple[int, dict[str, Any]]]] = {}
        for number, item in enumerate(self.r.checklist, start=1):
            title, note, reason = document_texts(item, self.lang, self.r.ruleset.id)
            shown = {"title": title, "note": note, "reason": self.words.prose(reason, self.book),
                     "original": item.original, "copies": item.copies, "ref": self.ref(*item.because)}
            group = self.words.code("groups", item.group) if item.group else self.t["other_docs"]
            groups.setdefault(group, []).append((number, shown))
        return list(groups.items())

    def submission_rows(self) -> list[dict[str, Any]]:
        def row(label: str, items: list[Sourced]) -> dict[str, Any]:
            return {"label": label, "items": [
                {"text": i.text(self.lang), "source": i.source, "cited": i.cited(self.lang, self.conf(i)),
                 "confidence": self.conf(i)} for i in items]}
        s, t = self.sub, self.t
        return [row(t["where"], [s.where]), row(t["how"], [s.how]), row(t["copy_rules"], list(s.copies)),
                row(t["order"], [s.order])]

    def conf(self, item: Sourced) -> str:
        return self.words.code("confidence", item.confidence)

    def where(self, evidence: str) -> str:
        """A field's label; in a batch the evidence is the cell first, 社保!D368 (social_insurance[3].base):
        the cell is where the clerk corrects it."""
        cell = evidence.split(" (", 1)[0]
        return cell if "!" in cell else self.words.field(evidence)

    def corrections(self) -> list[dict[str, Any]]:
        out = []
        for f in self.of("error", "blocker"):
            shown = self.finding(f)
            where = "、".join(dict.fromkeys(self.where(p) for p in f.evidence)) or "—"
            message = shown["message"]
            for sep in ("：", ": "):
                if message.startswith(where + sep):
                    message = message[len(where) + len(sep):]
            out.append({"where": where, "message": message, "ref": shown["ref"]})
        return out

    def context(self) -> dict[str, Any]:
        r, s, t = self.r, self.r.score, self.t
        blockers = [self.finding(f) for f in self.of("blocker")] if r.verdict == "not_eligible" else []
        in_review_box = {ln.reason for ln in r.score.lines if ln.status == "at_risk"} \
            if r.verdict == "needs_review" else set()
        actions = [self.finding(f) for f in self.of("warning") if f.rule not in in_review_box]
        if r.verdict == "eligible":
            actions = [self.finding(f) for f in self.of("review")] + actions
        verdict_class = {"eligible": "go", "needs_review": "review"}.get(r.verdict, "stop")
        total_note = t["total_note"].format(mark=s.pass_mark)
        if s.at_risk:
            total_note += t["total_at_risk"].format(at_risk=s.at_risk)
        earliest = t["earliest"].format(date=r.earliest_eligible) if r.earliest_eligible else ""
        if earliest and r.earliest_eligible_note:
            earliest += t["earliest_late"].format(end=(r.ruleset.in_force or {}).get("to", ""))
        return {
            "result": r, "lang": self.lang, "t": t, "verdict_class": verdict_class,
            "headline": self.headline(actions),
            "score_line": t["score_line"].format(mark=s.pass_mark, total=s.total, at_risk=s.at_risk),
            "blockers": blockers, "review_items": self.review_items(), "earliest": earliest,
            "actions": actions, "groups": self.groups(), "submission": self.submission_rows(),
            "lines": self.lines(), "total_note": total_note,
            "notes": [self.finding(f) for f in self.of("blocker", "review", "warning")],
            "next_steps": [{"text": i.text(self.lang), "source": i.source, "cited": i.cited(self.lang, self.conf(i)),
                            "confidence": self.conf(i)} for i in self.sub.next_steps],
            "corrections": self.corrections() if r.verdict == "invalid_input" else [],
            "consultant": self.consultant, "ruleset_phrase": ruleset_phrase(r, self.lang),
            "routes_box": pdf_routes_box(r, self.lang),
        }
