"""The durable-rules engine, driven by the rules in `rulesets/` (data, compiled here).

How an applicant is judged:
1. `facts.measure` asserts one `profile` fact plus a `degree`/`qual` fact per entry (no rule can
   fire yet: every rule also needs its stage fact).
2. The stage facts `checks`, `points`, `settle` are asserted in turn. Within a stage the engine
   chains freely: a pitfall asserts a `block` fact, a points rule in the next stage consumes it
   (`none`/`all` joins on the item index) and yields its line as `at_risk` or `not_counted`; in
   `settle`, PTS-EDU-OR-TITLE (priority 1) picks the lines, AGG-TOTAL (priority 2) asserts a
   `total` fact, and the verdict rules consume it.
   Stages exist because durable-rules decides a negated join when a fact arrives and does not
   revisit it when the negating fact arrives later in the same batch; where no negation is
   involved, rule priorities order the firings instead.

Traps handled here (measured on durable-rules 2.0.28):
- the Host's two background timer threads race the synchronous chain and lose results: `_run` is
  disabled;
- a ruleset holds at most 1024 live states: each applicant's state is deleted in `finally`;
- a fact no pattern tests is rejected (and spoils its whole batch); deleting a state that no
  accepted fact created segfaults: see `retention_patterns`;
- an exception inside an action is stored in the state, not raised: it is re-raised here;
- the engine is not thread-safe: one Engine per process (`engine_for_process`).
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import re
import time
import traceback
from dataclasses import dataclass, field
from typing import Any

import durable.engine
import orjson
from durable.engine import Host

from jifen_check import conditions
from jifen_check.facts import Observation
from jifen_check.rulebook import DEFAULT_RULESET, Case, Pattern, Rule, Rulebook
from jifen_check.rulebook import load as load_rulebook

STATUS_RANK = {"counted": 2, "at_risk": 1, "not_counted": 0}
LINE_KINDS = ("points", "bonus", "deduction")


class EngineError(RuntimeError):
    """The rule engine failed on one applicant (an action raised, or a result went missing)."""


class _OrjsonCodec:
    """durable.engine passes every fact, state update and action message through `json`
    (dumps with ensure_ascii=False, loads of str); orjson does the same ~5x faster."""

    @staticmethod
    def dumps(obj: Any, ensure_ascii: bool = False, **_: Any) -> str:
        return orjson.dumps(obj).decode()

    loads = staticmethod(orjson.loads)


# durable.engine reads the clock through datetime on every action (only to time out actions
# after 10 s); time.time gives the same seconds far cheaper.
durable.engine.json = _OrjsonCodec  # type: ignore[assignment]
durable.engine._unix_now = time.time


class _QuietHost(Host):
    def _run(self) -> None:
        """Disabled: the background dispatch/timer threads race the synchronous rule chain."""


# ---------------------------------------------------------------- what the rules produce

@dataclass
class LineCandidate:
    rule: str
    idx: int
    points: int
    status: str
    reasons: list[str]
    detail: str
    facts: dict[str, Any]
    at_risk_points: int = 0  # of a counted line, the part a pitfall threatens
    detail_en: EnText | None = None  # the detail in English (--lang en), rendered when asked


@dataclass
class Firing:
    rule: str
    case: int
    fact: dict[str, Any]


@dataclass
class Ledger:
    """Everything the rule firings produced for one applicant."""

    obs: Observation
    params: dict[str, Any]
    candidates: dict[tuple[str, int], LineCandidate] = field(default_factory=dict)
    lines: dict[str, LineCandidate] = field(default_factory=dict)
    findings: list[dict[str, Any]] = field(default_factory=list)
    fired: list[Firing] = field(default_factory=list)
    total: dict[str, Any] | None = None
    verdicts: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    block_seq: itertools.count = field(default_factory=itertools.count)
    # Values rules decided about an item, by (fact type, index): its score lines carry them.
    recorded: dict[tuple[str, int], dict[str, Any]] = field(default_factory=dict)
    rule_order: list[str] = field(default_factory=list)  # lines are listed in ruleset order

    def context(self, fact: dict[str, Any]) -> dict[str, Any]:
        ctx = dict(self.obs.details)
        kind = fact.get("t")
        if kind == "degree":
            ctx.update(self.obs.degree_details[fact["idx"]])
        elif kind == "qual":
            ctx.update(self.obs.qual_details[fact["idx"]])
        ctx.update(fact)
        if self.total:
            ctx.update(self.total)
        return ctx

    def add_candidate(self, cand: LineCandidate) -> None:
        key = (cand.rule, cand.idx)
        old = self.candidates.get(key)
        if old is None:
            self.candidates[key] = cand
        elif STATUS_RANK[cand.status] < STATUS_RANK[old.status]:
            cand.reasons = old.reasons + cand.reasons
            self.candidates[key] = cand
        else:
            old.reasons += [r for r in cand.reasons if r not in old.reasons]


# ---------------------------------------------------------------- templates

_PLACEHOLDER = re.compile(r"\{(@?)([A-Za-z_][\w.]*)\}")


def lookup(path: str, data: dict[str, Any]) -> Any:
    value: Any = data
    for part in path.split("."):
        value = value[int(part)] if isinstance(value, list) else value[part]
    return value


def render(template: str, ctx: dict[str, Any], params: dict[str, Any]) -> str:
    """`{field}` from the facts and details, `{@param.path}` from the parameters in force."""

    def sub(m: re.Match[str]) -> str:
        value = lookup(m[2], params if m[1] else ctx)
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return str(value)

    return _PLACEHOLDER.sub(sub, template)


# Generic English for detail values that are Chinese only in these few words (month lists, blanks);
# the others have their English in facts/ (Observation.details_en).
_EXACT_EN = {"无": "none", "未填": "not given", "未知": "unknown", "无固定期限": "open-ended"}
_MONTHS = re.compile(r"^(\d+) 个月$")


def auto_en(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    if value in _EXACT_EN:
        return _EXACT_EN[value]
    if m := _MONTHS.match(value):
        return f"{m[1]} months"
    return value.replace("、", ", ")


Piece = tuple[str, dict[str, Any], tuple[dict[str, Any], ...], dict[str, Any]]


class EnText:
    """A text in English, rendered only when asked (--lang en): most results are never read in English,
    and routes judge each applicant many times. Pieces: (template, Chinese context, English overlays,
    parameters); an overlay value replaces the context's where the context holds the detail's Chinese."""

    __slots__ = ("pieces",)

    def __init__(self, *pieces: Piece) -> None:
        self.pieces = list(pieces)

    def add(self, text: str) -> EnText:
        self.pieces.append((text, {}, (), {}))
        return self

    def __str__(self) -> str:
        out = []
        for template, ctx, overlays, params in self.pieces:
            en = {k: auto_en(v) for k, v in ctx.items()}
            for overlay, chinese in zip(overlays[::2], overlays[1::2], strict=True):
                # Only where the context holds the detail itself (a fact of the same name wins there).
                en.update({k: v for k, v in overlay.items() if k in ctx and ctx[k] == chinese.get(k)})
            out.append(render(template, en, params))
        return "".join(out)


# ---------------------------------------------------------------- compiling rules to durable JSON

class Compiler:
    """Translates the rule data into a durable-rules ruleset definition for one parameter set."""

    def __init__(self, book: Rulebook, params: dict[str, Any], engine: Engine) -> None:
        self.book = book
        self.params = params
        self.engine = engine

    def value(self, v: Any) -> Any:
        if isinstance(v, str) and v.startswith("@"):
            return lookup(v[1:], self.params)
        if isinstance(v, str) and v.startswith("$"):
            ref = v[1:]
            if "." in ref:
                name, fld = ref.split(".", 1)
                return {name: fld}
            return {"$m": ref}
        return v

    def field_test(self, name: str, spec: Any) -> list[dict[str, Any]]:
        return conditions.compile_test(name, spec, self.value)

    def tests(self, mapping: dict[str, Any]) -> list[dict[str, Any]]:
        return [c for name, spec in mapping.items() for c in self.field_test(name, spec)]

    def pattern(self, p: Pattern, extra: list[dict[str, Any]] | None = None) -> dict[str, Any]:
        clauses: list[dict[str, Any]] = [{"t": p.fact}, *self.tests(p.test), *(extra or [])]
        if p.any:
            clauses.append({"$or": [{"$and": self.tests(alt) or [{"t": p.fact}]} for alt in p.any]})
        return {"$and": clauses}

    def rule_definitions(self, rule: Rule) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        stage = {"stage": {"$and": [{"t": "stage"}, {"name": rule.stage}]}}
        for i, case in enumerate(rule.cases):
            base = [stage] + [{p.as_: self.pattern(p)} for p in case.when.all]
            negs = [{f"{p.as_}$not": self.pattern(p)} for p in case.when.none]
            if case.then.line is not None and rule.kind in LINE_KINDS:
                item = case.when.all[0].as_
                blk = {"$and": [{"t": "block"}, {"target": rule.id}, {"idx": {item: "idx"}}]}
                out[f"{rule.id}#{i}"] = {"all": base + negs + [{"blk$not": blk}],
                                         "run": self.engine.action(rule, i, item)}
                out[f"{rule.id}#{i}!"] = {"all": base + negs + [{"blk": blk}],
                                          "run": self.engine.action(rule, i, item)}
            else:
                out[f"{rule.id}#{i}"] = {"all": base + negs, "run": self.engine.action(rule, i, case.when.all[0].as_)}
        return out

    def ruleset(self) -> dict[str, dict[str, Any]]:
        definition: dict[str, dict[str, Any]] = {}
        for rule in self.book.rules.values():
            for name, d in self.rule_definitions(rule).items():
                definition[name] = dict(d, pri=rule.priority) if rule.priority else d
        definition.update(retention_patterns())
        return definition


_engines: dict[tuple[int, str], Engine] = {}


def engine_for_process(ruleset_id: str = DEFAULT_RULESET) -> Engine:
    """The engine of this process (a forked worker gets its own: keyed by pid). Not thread-safe."""
    key = (os.getpid(), ruleset_id)
    eng = _engines.get(key)
    if eng is None:
        eng = _engines[key] = Engine(load_rulebook(ruleset_id))
    return eng


def retention_patterns() -> dict[str, dict[str, Any]]:
    """One never-firing pattern per fact type, so durable-rules keeps every fact it is given.

    durable-rules rejects a fact that no pattern tests (say a high-school record no points rule
    looks at), and one such fact makes it reject a whole batch. These patterns wait for a stage
    that is never asserted: they only make every observation acceptable, so all of them go to the
    engine in one call.
    """
    never = {"stage": {"$and": [{"t": "stage"}, {"name": "__never__"}]}}
    return {f"__retain_{kind}": {"all": [never, {"m": {"t": kind}}], "run": _never_runs}
            for kind in ("profile", "degree", "qual")}


def _never_runs(c: Any) -> None:
    raise EngineError("a retention pattern fired: the stage '__never__' must never be asserted")


# ---------------------------------------------------------------- the engine

class Engine:
    """One durable-rules host with one compiled ruleset per parameter set. Not thread-safe."""

    def __init__(self, book: Rulebook) -> None:
        self.book = book
        self.host = _QuietHost()
        self._rulesets: dict[dt.date, str] = {}
        self._ledgers: dict[str, Ledger] = {}
        self._sids = itertools.count(1)
        self._order = list(book.rules)

    def ruleset_for(self, as_of: dt.date) -> tuple[str, dict[str, Any]]:
        version = self.book.parameters_as_of(as_of)
        params = self.book.snapshot(as_of)
        name = self._rulesets.get(version)
        if name is None:
            name = f"{self.book.id}@{version.isoformat()}"
            self.host.register_rulesets({name: Compiler(self.book, params, self).ruleset()})
            self._rulesets[version] = name
        return name, params

    def run(self, obs: Observation) -> Ledger:
        name, params = self.ruleset_for(obs.as_of)
        sid = str(next(self._sids))
        ledger = Ledger(obs, params, rule_order=self._order)
        self._ledgers[sid] = ledger
        created = False
        stages = [{"sid": sid, "t": "stage", "name": stage} for stage in self.book.header.stages]
        try:
            facts = [dict(fact, sid=sid, idx=fact.get("idx", 0)) for fact in obs.engine_facts()]
            # The observations and the first stage in one call; then each later stage.
            self._call(ledger, self.host.assert_facts, name, facts + stages[:1])
            created = True
            for stage in stages[1:]:
                self._call(ledger, self.host.assert_fact, name, stage)
        finally:
            del self._ledgers[sid]
            # Deleting a state that no handled fact created crashes the process (segfault).
            if created:
                self.host.delete_state(name, sid)
        if len(ledger.verdicts) != 1:
            raise EngineError(f"expected exactly one verdict, rules gave {ledger.verdicts}")
        return ledger

    @staticmethod
    def _call(ledger: Ledger, fn: Any, name: str, payload: Any) -> None:
        state = fn(name, payload)
        if ledger.errors:
            raise EngineError(ledger.errors[0])
        if isinstance(state, dict) and "exception" in state:
            raise EngineError(str(state["exception"]))

    def action(self, rule: Rule, case_index: int, item: str) -> Any:
        case = rule.cases[case_index]

        def run(c: Any) -> None:
            ledger = self._ledgers[c.s.sid]
            try:
                fact = getattr(c, item)._d
                blk = c.blk._d if c.blk is not None else None
                ledger.fired.append(Firing(rule.id, case_index, fact))
                Effects(ledger, rule, case, fact, blk, c).apply()
            except Exception:  # recorded and re-raised by Engine._call: the engine would swallow it
                ledger.errors.append(f"{rule.id}: {traceback.format_exc(limit=3)}")
                raise

        return run


class Effects:
    """Applies a case's `then` for one firing."""

    def __init__(self, ledger: Ledger, rule: Rule, case: Case, fact: dict[str, Any],
                 blk: dict[str, Any] | None, closure: Any) -> None:
        self.ledger, self.rule, self.case, self.fact, self.blk, self.c = ledger, rule, case, fact, blk, closure
        self.ctx = ledger.context(fact)

    def en(self, template: str) -> EnText | None:
        """The case's English template, to be filled when asked."""
        if not template:
            return None
        obs, kind, idx = self.ledger.obs, self.fact.get("t"), self.fact.get("idx", 0)
        overlays: tuple[dict[str, Any], ...] = (obs.details_en, obs.details)
        if kind == "degree" and idx < len(obs.degree_details_en):
            overlays += (obs.degree_details_en[idx], obs.degree_details[idx])
        elif kind == "qual" and idx < len(obs.qual_details_en):
            overlays += (obs.qual_details_en[idx], obs.qual_details[idx])
        return EnText((template, self.ctx, overlays, self.ledger.params))

    def apply(self) -> None:
        then = self.case.then
        if then.record:
            key = (str(self.fact.get("t")), self.fact.get("idx", 0))
            self.ledger.recorded.setdefault(key, {}).update(then.record)
        if then.block is not None:
            self.block()
        if then.line is not None:
            self.line()
        if then.finding:
            self.finding()
        if then.choose_best:
            choose_best(self.ledger, then.choose_best, self.rule.id)
        if then.total:
            self.total()
        if then.verdict:
            self.ledger.verdicts.append(then.verdict)

    def text(self, template: str) -> str:
        return render(template, self.ctx, self.ledger.params)

    def block(self) -> None:
        eff = self.case.then.block
        assert eff is not None
        for target in eff.targets:
            block = {"t": "block", "target": target, "idx": self.fact.get("idx", 0),
                     "status": eff.status, "reason": self.rule.id, "n": next(self.ledger.block_seq)}
            if eff.keep:
                block["keep"] = self.fact[eff.keep[1:]]
            self.c.assert_fact(block)

    def line(self) -> None:
        eff = self.case.then.line
        assert eff is not None
        points = eff.points
        if isinstance(points, str):
            points = lookup(points[1:], self.ctx if points.startswith("$") else self.ledger.params)
        status, reasons = eff.status, ([] if eff.status == "counted" else [self.rule.id])
        at_risk_points = 0
        detail = self.text(eff.detail)
        detail_en = self.en(eff.detail_en)
        blk = self.blk
        if blk is not None and STATUS_RANK[blk["status"]] < STATUS_RANK[status]:
            keep = blk.get("keep")
            if status == "counted" and blk["status"] == "at_risk" and keep is not None and 0 < keep < points:
                # Only the points that depend on the threatened months are at risk.
                at_risk_points, points, reasons = points - keep, keep, [blk["reason"]]
                detail += f"；另有 {at_risk_points} 分因 {blk['reason']} 有风险"
                if detail_en is not None:
                    detail_en.add(f"; {at_risk_points} more points at risk because of {blk['reason']}")
            elif keep is None or keep < points:
                status, reasons = blk["status"], [blk["reason"]]
        facts = {k: self.ctx[k] for k in eff.facts if k in self.ctx}
        kind, idx = self.fact.get("t"), self.fact.get("idx", 0)
        if kind == "degree":
            facts["education_index"] = idx
        elif kind == "qual":
            facts["qualification_index"] = idx
        facts.update(self.ledger.recorded.get((str(kind), idx), ()))
        self.ledger.add_candidate(LineCandidate(self.rule.id, self.fact.get("idx", 0), int(points), status,
                                                reasons, detail, facts, at_risk_points, detail_en))

    def finding(self) -> None:
        rule, case = self.rule, self.case
        evidence: list[str] = []
        for e in rule.evidence:
            if e.startswith("*"):
                evidence.extend(self.ctx.get(e[1:], []))
            else:
                evidence.append(self.text(e))
        self.ledger.findings.append({
            "rule": rule.id, "severity": case.severity or rule.severity, "confidence": rule.confidence,
            "title": rule.title, "message": self.text(case.message), "evidence": list(dict.fromkeys(evidence)),
            "remedy": self.text(case.remedy), "source": rule.source,
            "facts": {k: self.ctx[k] for k in rule.facts if k in self.ctx},
            "deadline": self.text(case.deadline) if case.deadline else None,
            "_en": (self.en(case.message_en), self.en(case.remedy_en)),
        })

    def total(self) -> None:
        ledger = self.ledger
        if not ledger.lines and ledger.candidates:  # a ruleset without PTS-EDU-OR-TITLE: settle here
            choose_best(ledger, [], self.rule.id)
        lines = list(ledger.lines.values())
        counted = sum(x.points for x in lines if x.status == "counted")
        at_risk = sum(x.points for x in lines if x.status == "at_risk") + sum(x.at_risk_points for x in lines)
        counted = max(0, counted)
        sev = [f["severity"] for f in ledger.findings]
        ledger.total = {"t": "total", "counted": counted, "at_risk": at_risk, "reach": counted + at_risk,
                        "above": counted - ledger.params["pass_mark"],
                        "blockers": sev.count("blocker"), "reviews": sev.count("review")}
        self.c.assert_fact(dict(ledger.total))


def choose_best(ledger: Ledger, rules: list[str], chooser: str) -> None:
    """Settles the lines: of all candidates for `rules` (each degree, each title), one counts.

    The choice is what a consultant would file: the option that gives the best verdict (passing on
    counted points, else passing with at-risk points, else neither), then a counted line over an
    at-risk one, then more points. So a counted 本科 90 is preferred to an at-risk title 100 when
    90 already passes, but the title is claimed when only it can reach the pass mark.
    Every other rule keeps its best candidate (counted, then at risk, then not counted; then points).
    """
    others = [c for c in ledger.candidates.values() if c.rule not in rules]
    counted = sum(c.points for c in others if c.status == "counted")
    risk = sum(c.points for c in others if c.status == "at_risk")
    mark = ledger.params["pass_mark"]

    def outcome(c: LineCandidate) -> tuple[int, int, int]:
        total = counted + (c.points if c.status == "counted" else 0)
        reach = counted + risk + c.points
        return (2 if total >= mark else 1 if reach >= mark else 0), STATUS_RANK[c.status], c.points

    pool = [c for c in ledger.candidates.values() if c.rule in rules and c.points > 0 and c.status != "not_counted"]
    winner = max(pool, key=outcome) if pool else None
    best: dict[str, LineCandidate] = {}
    for cand in ledger.candidates.values():
        cur = best.get(cand.rule)
        if cur is None or cand is winner or (cur is not winner and _rank(cand) > _rank(cur)):
            best[cand.rule] = cand
    for rule, line in best.items():
        _note_passed_over(ledger, line)
        if winner is not None and rule in rules and line is not winner and line.status != "not_counted" and line.points:
            _pass_over(line, winner, chooser, counted, mark)
    ledger.lines = {r: best[r] for r in sorted(best, key=ledger.rule_order.index)}


def _pass_over(line: LineCandidate, winner: LineCandidate, chooser: str, others_counted: int, mark: int) -> None:
    """Marks the option not claimed, saying what claiming it instead would give."""
    risky = line.status == "at_risk"
    total = others_counted + (0 if risky else line.points)
    verdict = "达到" if total >= mark else "未达到"
    line.detail = ((line.detail + "；" if line.detail else "") + f"学历与职称不叠加，按 {winner.rule} 计；"
                   f"如改报本项可计 {line.points} 分{'（有风险）' if risky else ''}，"
                   f"已计总分将为 {total} 分（{verdict}标准分值 {mark} 分）")
    if line.detail_en is not None:
        line.detail_en.add(f"; education and title points are not added together, {winner.rule} counts instead; "
                           f"claiming this one would give {line.points} points{' (at risk)' if risky else ''}, "
                           f"{total} counted in all ({'reaching' if total >= mark else 'below'} the pass mark "
                           f"of {mark})")
    line.facts = dict(line.facts, alternative_points=line.points, alternative_status=line.status,
                      alternative_total=total)
    line.status, line.reasons = "not_counted", [chooser]


def _note_passed_over(ledger: Ledger, line: LineCandidate) -> None:
    """Names the higher claims of the same indicator that were not counted, and why."""
    for cand in ledger.candidates.values():
        if cand.rule == line.rule and cand is not line and cand.points > line.points and cand.reasons:
            if cand.reasons == [cand.rule]:  # failed its own condition: its detail says why
                line.detail += f"；另有 {cand.points} 分的认定未计（{cand.detail}）"
                if line.detail_en is not None:
                    line.detail_en.add(f"; a claim for {cand.points} points does not count (")
                    line.detail_en.pieces += cand.detail_en.pieces if cand.detail_en else [(cand.detail, {}, (), {})]
                    line.detail_en.add(")")
            else:
                line.detail += f"；另有 {cand.points} 分的认定因 {'、'.join(cand.reasons)} 未计"
                if line.detail_en is not None:
                    line.detail_en.add(f"; a claim for {cand.points} points does not count because of "
                                       f"{', '.join(cand.reasons)}")


def _rank(c: LineCandidate) -> tuple[int, int]:
    return STATUS_RANK[c.status], c.points


