"""Judge one applicant: input → facts → rules → result. The one entry point every renderer uses.

`judge()` never raises for bad input: it returns a result with verdict `invalid_input` and the
`DATA-*` findings that name each field. One engine per process (durable-rules is not thread-safe).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

from jifen_check import rulebook
from jifen_check.applicant import Applicant
from jifen_check.checklist import build_checklist
from jifen_check.dates import parse_day
from jifen_check.earliest import earliest_eligible
from jifen_check.engine.backend import engine_for_process
from jifen_check.engine.ledger import Ledger
from jifen_check.facts import measure
from jifen_check.identifiers import id_candidates, mask_id, may_hold_id, scrub_ids, scrub_text
from jifen_check.labels import DATA_REMEDY
from jifen_check.result import (
    SEVERITY_RANK,
    TRUSTED_FINDING,
    TRUSTED_LINE,
    ApplicantRef,
    EmployerRef,
    Finding,
    Result,
    RulesetRef,
    Score,
    ScoreLine,
)
from jifen_check.validate import Problem, check, to_applicant


@dataclass
class Judgement:
    """A result plus what produced it (for `explain` and `earliest`)."""

    result: Result
    applicant: Applicant | None
    ledger: Ledger | None


def judge(doc: Any, *, as_of: dt.date | None = None, source: str | None = None, show_id: bool = False,
          ruleset_id: str = rulebook.DEFAULT_RULESET, with_routes: bool = False,
          problems: list[Problem] | None = None) -> Result:
    """`problems`: the file could not be parsed (validate.parse_text); the result reports them."""
    return judge_full(doc, as_of=as_of, source=source, show_id=show_id, ruleset_id=ruleset_id,
                      problems=problems, with_routes=with_routes).result


def judge_full(doc: Any, *, as_of: dt.date | None = None, source: str | None = None, show_id: bool = False,
               ruleset_id: str = rulebook.DEFAULT_RULESET, problems: list[Problem] | None = None,
               with_earliest: bool = True, with_routes: bool = False, with_checklist: bool = True) -> Judgement:
    judgement = _judge_full(doc, as_of=as_of, source=source, show_id=show_id, ruleset_id=ruleset_id,
                            problems=problems, with_earliest=with_earliest, with_routes=with_routes,
                            with_checklist=with_checklist)
    if not show_id:
        judgement.result = mask_result(judgement.result, partial(id_candidates, doc))
    return judgement


def mask_result(result: Result, ids: set[str] | Callable[[], set[str]]) -> Result:
    """No message echoes more than the mask of an input ID (a bad or misspelt ID is quoted by
    schema errors), and no birth date is given (facts keep the age).

    `ids`: the input's ID candidates, or a function giving them: it is called only when the
    result's text could hold one (identifiers.may_hold_id), which most results cannot."""
    for line in result.score.lines:  # in place: cheap, and every result has an age line
        if "birth_date" in line.facts:
            line.facts = {k: v for k, v in line.facts.items() if k != "birth_date"}
    for finding in result.findings:
        if "birth_date" in finding.facts:
            finding.facts = {k: v for k, v in finding.facts.items() if k != "birth_date"}
    data = _to_json(result)
    if not _may_hold_id_utf8(data):
        return result
    text = data.decode()
    if callable(ids):
        ids = ids()
    if not ids or scrub_text(text, ids) == text:
        return result
    masked = Result.model_validate(scrub_ids(result.model_dump(mode="json"), ids))
    _carry_english(result, masked, ids)
    return masked


# `may_hold_id` on a text's UTF-8 bytes, by a table and one substring search instead of the regex:
# on the JSON of a result (mostly Chinese: a wide str) the regex takes ~90 us, this ~10 us, and the
# serializer's bytes need no decoding (model_dump_json is to_json(...).decode()). may_hold_id looks
# for a run of ID characters, all ASCII, and in UTF-8 an ASCII byte stands only for itself (every
# byte of a longer character is >= 0x80), so a run of such characters in the text is the same run of
# bytes. The characters and the run's length are read from may_hold_id itself;
# tests/test_judge_mask.py compares the two on texts with and without such runs.
_ID_BYTE = bytes(1 if may_hold_id(chr(b) * 64) else 0 for b in range(128)) + bytes(128)
_ID_RUN = b"\x01" * next(n for n in range(1, 65) if may_hold_id(chr(_ID_BYTE.index(1)) * n))
_to_json = Result.__pydantic_serializer__.to_json


def _may_hold_id_utf8(data: bytes) -> bool:
    """`may_hold_id(data.decode())`, on the bytes."""
    return _ID_RUN in data.translate(_ID_BYTE)


class _Scrubbed:
    """An English text (engine.EnText or str) masked like the rest when it is read."""

    def __init__(self, text: Any, ids: set[str]) -> None:
        self.text, self.ids = text, ids

    def add(self, extra: str) -> _Scrubbed:
        self.text = f"{self.text}{extra}"
        return self

    def __str__(self) -> str:
        return scrub_text(str(self.text), self.ids)


def _carry_english(old: Result, new: Result, ids: set[str]) -> None:
    """The English beside the Chinese (private: not in the JSON the mask went through), masked too."""
    def keep(value: Any) -> Any:
        return None if value is None else _Scrubbed(value, ids)

    for a, b in zip(old.score.lines, new.score.lines, strict=True):
        b._detail_en = keep(a._detail_en)
    for f, g in zip(old.findings, new.findings, strict=True):
        g._message_en, g._remedy_en = keep(f._message_en), keep(f._remedy_en)
    for r, q in zip(old.routes, new.routes, strict=True):
        q._assumptions_en = [scrub_text(x, ids) for x in r._assumptions_en]
        q._projected, q._judged = r._projected, r._judged
        for s, t in zip(r.steps, q.steps, strict=True):
            t._action_en = scrub_text(s._action_en, ids)
    for s, t in zip(old.urgent, new.urgent, strict=True):
        t._action_en = scrub_text(s._action_en, ids)


def _judge_full(doc: Any, *, as_of: dt.date | None, source: str | None, show_id: bool,
                ruleset_id: str, problems: list[Problem] | None, with_earliest: bool,
                with_routes: bool, with_checklist: bool = True) -> Judgement:
    book = rulebook.load(ruleset_id)
    if isinstance(doc, Applicant):  # already parsed (a projected applicant of a route)
        app, found = doc, []
    else:
        app, found = (None, list(problems)) if problems else to_applicant(doc)
    day = as_of or (app.as_of if app and app.as_of else None) or _doc_as_of(doc, app) or dt.date.today()
    ref = _applicant_ref(doc, app, source, show_id)
    if app is None:
        return Judgement(_invalid(book, day, ref, found, doc), None, None)
    found = check(app, day, book)
    if any(p.severity == "error" for p in found):
        return Judgement(_invalid(book, day, ref, found, doc), app, None)
    ledger = engine_for_process(ruleset_id).run(measure(book, app, day))
    result = _result(book, app, day, ref, ledger, found, with_checklist)
    if with_earliest and result.verdict == "not_eligible":
        result.earliest_eligible = earliest_eligible(book, app, day, result, ruleset_id,
                                                     ledger.obs.details.get("band_months", []))
        _date_time_cured(book, result)
        result.earliest_eligible_note = _after_the_rules(book, result.earliest_eligible)
    if with_routes:
        from jifen_check.plan import plan_routes, urgent_steps  # imported late: `check` starts faster

        # Routes re-judge the applicant several times: asked for by the CLI, batch and web, not by default.
        result.routes = plan_routes(book, app, day, result, ruleset_id,
                                    band_months=ledger.obs.details.get("band_months", []),
                                    verify=route_verifier(ruleset_id))
        result.urgent = urgent_steps(book, app, day, result, ruleset_id)
    return Judgement(result, app, ledger)


def verify(app: Applicant, day: dt.date, ruleset_id: str) -> Judgement:
    """A route's check: the whole rule set judges a projected applicant on `day`. Its documents,
    earliest date and routes are not needed to know the verdict."""
    return judge_full(app, as_of=day, ruleset_id=ruleset_id, with_earliest=False, with_routes=False,
                      with_checklist=False)


def route_verifier(ruleset_id: str = rulebook.DEFAULT_RULESET) -> Callable[[Applicant, dt.date], Judgement]:
    """`verify` for one ruleset, as plan.py takes it (plan does not import the judge)."""
    return partial(verify, ruleset_id=ruleset_id)


def _after_the_rules(book: rulebook.Rulebook, day: str | None) -> str | None:
    """A note where the earliest date lies after the ruleset's period: the rules then are unknown."""
    end = book.header.in_force["to"]
    if day is None or dt.date.fromisoformat(day) <= end:
        return None
    return f"该日期晚于现行积分办法的施行期（至 {end}），此后的规则未知；该日期按现行规则推算"


def _date_time_cured(book: rulebook.Rulebook, result: Result) -> None:
    """Blockers that time cures but that name no date themselves (PRE-SCORE) get the earliest date."""
    if not result.earliest_eligible:
        return
    for f in result.blockers():
        rule = book.rules.get(f.rule)
        if rule and rule.time_cures and not f.deadline:
            f.deadline = result.earliest_eligible
            f.remedy += f"；按当前缴费持续，{result.earliest_eligible} 起可达到申请条件"
            if f._remedy_en is not None:
                f._remedy_en.add(f"; contributing as now, eligibility is reached from {result.earliest_eligible}")


def _applicant_ref(doc: Any, app: Applicant | None, source: str | None, show_id: bool) -> ApplicantRef:
    if app is not None:
        name, idn, no = app.person.name, app.person.id_number, app.person.employee_no
    else:
        person = doc.get("person") if isinstance(doc, dict) else None
        person = person if isinstance(person, dict) else {}
        name, idn, no = person.get("name"), person.get("id_number"), person.get("employee_no")
        name = str(name) if name is not None else None
        idn = str(idn) if idn is not None else None
        no = str(no) if no is not None else None
    shown = idn if show_id or not idn else mask_id(idn)
    return ApplicantRef(name=name, id_number=shown, row=source, employee_no=no)


def _in_period(book: rulebook.Rulebook, day: dt.date) -> dt.date:
    """A day the ruleset has parameter values for: an as-of date before the ruleset's start (a
    DATA-DATES error) is reported against the values in force on its first day, never a crash."""
    return max(day, book.header.in_force["from"])


def _doc_as_of(doc: Any, app: Applicant | None) -> dt.date | None:
    """The file's own application date when the file as a whole did not parse (another field is wrong):
    HR fixing that field must see the date they gave, not today (QA D8)."""
    if app is not None or not isinstance(doc, dict) or doc.get("as_of") is None:
        return None
    try:
        return parse_day(doc["as_of"])  # as the applicant model reads it (applicant.Day)
    except ValueError:
        return None


def _ruleset_ref(book: rulebook.Rulebook, day: dt.date) -> RulesetRef:
    return rulebook.ruleset_ref(book, _in_period(book, day))


def _problem_finding(book: rulebook.Rulebook, p: Problem) -> Finding:
    rule = book.rules.get(p.rule)
    return Finding(rule=p.rule, severity=p.severity, confidence=rule.confidence if rule else None,
                   title=rule.title if rule else "",
                   message=f"{p.path}: {p.message}", evidence=[p.path], source=rule.source if rule else "",
                   remedy=DATA_REMEDY["error" if p.severity == "error" else "warning"][0])


def _employer_ref(doc: Any, app: Applicant | None) -> EmployerRef:
    if app is not None:
        return EmployerRef(name=app.employer.name, uscc=app.employer.uscc)
    emp = doc.get("employer") if isinstance(doc, dict) else None
    if isinstance(emp, dict):
        return EmployerRef(name=str(emp.get("name") or "") or None, uscc=str(emp.get("uscc") or "") or None)
    return EmployerRef()


def _invalid(book: rulebook.Rulebook, day: dt.date, ref: ApplicantRef, problems: list[Problem], doc: Any) -> Result:
    findings = sorted((_problem_finding(book, p) for p in problems), key=lambda f: SEVERITY_RANK[f.severity])
    return Result(as_of=day.isoformat(), ruleset=_ruleset_ref(book, day), applicant=ref,
                  employer=_employer_ref(doc, None), verdict="invalid_input",
                  score=Score(pass_mark=book.param("pass_mark", _in_period(book, day))), findings=findings)


def _result(book: rulebook.Rulebook, app: Applicant, day: dt.date, ref: ApplicantRef, ledger: Ledger,
            problems: list[Problem], with_checklist: bool = True) -> Result:
    # Constructed without validation: the engine built these from typed rule data.
    lines = [_line(book, c) for c in ledger.lines.values()]
    findings = [_finding(f) for f in ledger.findings] + [_problem_finding(book, p) for p in problems]
    order = _rule_order(book)
    findings.sort(key=lambda f: (SEVERITY_RANK[f.severity], order.get(f.rule, 999)))
    total = ledger.total or {}
    score = Score(total=total.get("counted", 0), pass_mark=book.param("pass_mark", day),
                  at_risk=total.get("at_risk", 0), lines=lines)
    return Result(as_of=day.isoformat(), ruleset=_ruleset_ref(book, day), applicant=ref,
                  employer=_employer_ref(None, app), verdict=ledger.verdicts[0], score=score,
                  findings=findings,
                  checklist=_checklist(book, app, lines, findings, day) if with_checklist else [])


@lru_cache(maxsize=16)  # by the rulebook's identity (it defines no equality); a few are ever loaded
def _rule_order(book: rulebook.Rulebook) -> dict[str, int]:
    """Each rule's place in the ruleset (findings of one severity are listed in it), made once per
    rulebook rather than per judgement."""
    return {rid: i for i, rid in enumerate(book.rules)}


def _line(book: rulebook.Rulebook, c: Any) -> ScoreLine:
    line = TRUSTED_LINE({"rule": c.rule, "points": c.points, "status": c.status, "title": book.rules[c.rule].title,
                         "detail": c.detail, "reason": c.reasons[0] if c.reasons else None,
                         "at_risk_points": c.at_risk_points, "facts": c.facts})
    line._detail_en = c.detail_en
    return line


def _finding(f: dict[str, Any]) -> Finding:
    message_en, remedy_en = f.get("_en", (None, None))
    out = TRUSTED_FINDING(f)  # the engine's dict names every field (and "_en", left out)
    out._message_en, out._remedy_en = message_en, remedy_en
    return out


def _checklist(book: rulebook.Rulebook, app: Applicant, lines: list[ScoreLine], findings: list[Finding],
               day: dt.date) -> list[Any]:
    """The ruleset's own document catalogue; a ruleset without one lists no documents."""
    catalogue = _catalogue(book)
    return build_checklist(app, lines, findings, day, catalogue=catalogue) if catalogue is not None else []


@lru_cache(maxsize=16)  # by the rulebook's identity, as _rule_order: a path and a stat per judgement before
def _catalogue(book: rulebook.Rulebook) -> Path | None:
    """The ruleset's documents.yaml, None where it has none (looked for once, as the rulebook is read once)."""
    catalogue = book.root / "documents.yaml"
    return catalogue if catalogue.exists() else None
