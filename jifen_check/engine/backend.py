"""The durable-rules backend: one engine per process, one compiled ruleset per parameter set, and
every quirk of durable-rules 2.0.28 handled in this one module.

How an applicant is judged:
1. `facts.measure` asserts one `profile` fact plus a `degree`/`qual` fact per entry (no rule can
   fire yet: every rule also needs its stage fact).
2. The stage facts `checks`, `points`, `settle` are asserted in turn. Within a stage the engine
   chains freely: a pitfall asserts a `block` fact, a points rule in the next stage consumes it
   (`none`/`all` joins on the item index) and yields its line as `at_risk` or `not_counted`; in
   `settle`, PTS-EDU-OR-TITLE picks the lines, then AGG-TOTAL (a later priority) asserts a
   `total` fact, and the verdict rules consume it.
   Stages exist because durable-rules decides a negated join when a fact arrives and does not
   revisit it when the negating fact arrives later in the same batch; where no negation is
   involved, rule priorities order the firings instead. Which rule runs in which stage, and at
   which priority, is derived from what each reads and writes (`stages.py`), at load.

Traps handled here (measured on durable-rules 2.0.28):
- durable.engine's Host is a Python loop around durable-rules' C engine (`durable_rules_engine`):
  per firing it builds a Closure and Content wrappers, reads the clock through `datetime`, and
  re-asserts the unchanged state (`update_state`); its two background timer threads race the
  synchronous chain and lose results. `Engine` makes the same C calls itself (`Engine._fire`:
  create_ruleset, assert_facts/assert_fact, start_action_for_state, complete_and_start_action,
  delete_state), so no Host and no thread; a run costs about half the CPU. For code that does use a
  Host (tests/test_conditions.py), `_QuietHost` disables the threads and durable.engine's `json`
  and clock are swapped for orjson and `time.time` (module patch below, same results, faster);
- a ruleset holds at most 1024 live states: applicants share one state, emptied after each run;
  a run that fails or leaves a fact behind gives its state up in `finally` (`Engine._give_up`);
- a fact no pattern tests is rejected (and spoils its whole batch); deleting a state in which no
  rule ever fired segfaults (every run here fires at least its verdict): see `retention_patterns`;
- an exception inside an action is stored, not raised, by durable.engine: here the action records
  it in the ledger, the chain completes as durable.engine would complete it, and `_fire` raises it;
- a field named `id` is the fact's identity (facts/ never uses one);
- the engine is not thread-safe: one Engine per process (`engine_for_process`).

The rest of the package: `compile` (rule data → durable JSON), `stages` (the order), `effects` (what a firing does),
`ledger` (what firings produce), `scoring` (choose_best, the total), `messages` (templates).
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import time
import traceback
from typing import Any

import durable.engine
import durable_rules_engine
import orjson
from durable.engine import Host, MessageNotHandledException, MessageObservedException

from jifen_check.engine.compile import Compiler
from jifen_check.engine.effects import Effects
from jifen_check.engine.ledger import Firing, Ledger
from jifen_check.facts import Observation
from jifen_check.rulebook import DEFAULT_RULESET, Rule, Rulebook
from jifen_check.rulebook import load as load_rulebook


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


def _never_runs(*_: Any) -> None:
    raise EngineError("a retention pattern fired: the stage '__never__' must never be asserted")


class _Compiled:
    """One ruleset in the durable-rules engine: its handle, its parameters, the action of each durable
    rule, and the state (`sid`) each applicant is judged in, emptied after each (see `Engine.run`)."""

    __slots__ = ("name", "handle", "params", "actions", "sid")

    def __init__(self, name: str, definition: dict[str, Any], params: dict[str, Any], sid: str) -> None:
        self.name, self.params, self.sid = name, params, sid
        self.actions = {rule_name: rule.pop("run") for rule_name, rule in definition.items()}
        self.handle = durable_rules_engine.create_ruleset(name, orjson.dumps(definition).decode())


def _state_offset(result: tuple[int, int], payload: Any) -> int:
    """durable.engine.Ruleset._handle_result: a fact no rule takes, or one seen before, is an error."""
    code, offset = result
    if code == 1:
        raise MessageNotHandledException(payload)
    if code == 2:
        raise MessageObservedException(payload)
    return 0 if code == 3 else offset


class _Session:
    """One applicant in the engine while it is judged: its ledger, and every fact asserted for it (as
    the JSON the engine read, so that the same text retracts it)."""

    __slots__ = ("handle", "sid", "ledger", "stages", "asserted", "created", "parsed")

    def __init__(self, handle: int, sid: str, ledger: Ledger) -> None:
        self.handle, self.sid, self.ledger = handle, sid, ledger
        self.stages: list[str] = []
        self.asserted: list[str] = []
        self.created = False  # the state holds facts of this run
        self.parsed: dict[str, dict[str, Any] | None] = {}  # each asserted text, read when a firing quotes it

    def assert_all(self, facts: list[dict[str, Any]], stage: dict[str, Any]) -> int:
        """The observations and the first stage, in one call: the state's offset."""
        texts = [_dumps(f) for f in facts]
        self.stages.append(_dumps(stage))
        offset = _state_offset(durable_rules_engine.assert_facts(
            self.handle, "[" + ",".join(texts + self.stages) + "]"), [*facts, stage])
        self.created = True
        self.asserted += texts
        self.parsed.update(dict.fromkeys(texts + self.stages))
        return offset

    def assert_stage(self, stage: dict[str, Any]) -> int:
        text = _dumps(stage)
        self.stages.append(text)
        self.parsed[text] = None
        return _state_offset(durable_rules_engine.assert_fact(self.handle, text), stage)

    def assert_fact(self, fact: dict[str, Any]) -> None:
        """A fact asserted by an action (a `block`, the `total`): its firings queue behind the current one."""
        if "sid" not in fact:
            fact["sid"] = self.sid
        text = _dumps(fact)
        self.asserted.append(text)
        self.parsed[text] = None
        _state_offset(durable_rules_engine.assert_fact(self.handle, text), fact)

    def clear(self, offset: int) -> bool:
        """Retracts every fact of this run, the stages first (every rule joins a stage fact, so none can
        fire while the rest go): whether the state is then empty, with no action pending."""
        durable_rules_engine.retract_facts(self.handle, "[" + ",".join(self.stages + self.asserted) + "]")
        return (durable_rules_engine.get_facts(self.handle, self.sid) == "[]"
                and not durable_rules_engine.start_action_for_state(self.handle, offset))


class Engine:
    """The durable-rules engine with one compiled ruleset per parameter set. Not thread-safe.

    Facts go in and actions come out through durable-rules' own C calls (`durable_rules_engine`,
    which durable.engine's Host wraps): the Host's Python loop creates a Closure and two Content
    wrappers per firing, reads the clock twice and re-asserts the unchanged state after each action
    (`update_state`), ~40% of a run's Python time for nothing this engine uses. `_fire` is that loop
    without them: start the first action of the state, run it, complete it and start the next.

    Every applicant is judged in the same state of its ruleset, emptied after each run: creating a
    state costs more than a whole run's rules (durable-rules allocates and clears frame pools and
    indexes for each of the ruleset's joins, then frees them on delete_state), retracting a run's
    dozen facts a fraction of it. A run that fails, or leaves anything behind, gives its state up
    (deleted where a rule has fired in it) and the next run starts in a new one.
    """

    def __init__(self, book: Rulebook) -> None:
        self.book = book
        self._rulesets: dict[dt.date, _Compiled] = {}
        self._sids = itertools.count(1)
        self._order = list(book.rules)
        self._rank = {rule: i for i, rule in enumerate(self._order)}

    def ruleset_for(self, as_of: dt.date) -> tuple[str, dict[str, Any]]:
        compiled = self._compiled(as_of)
        return compiled.name, compiled.params

    def _compiled(self, as_of: dt.date) -> _Compiled:
        version = self.book.parameters_as_of(as_of)
        compiled = self._rulesets.get(version)
        if compiled is None:
            params = self.book.snapshot(as_of)
            definition = Compiler(self.book, params, self.action).ruleset()
            definition.update(retention_patterns())
            compiled = self._rulesets[version] = _Compiled(f"{self.book.id}@{version.isoformat()}", definition,
                                                           params, str(next(self._sids)))
        return compiled

    def run(self, obs: Observation) -> Ledger:
        compiled = self._compiled(obs.as_of)
        sid = compiled.sid
        ledger = Ledger(obs, compiled.params, rule_order=self._order, rule_rank=self._rank)
        session = _Session(compiled.handle, sid, ledger)
        stages = [{"sid": sid, "t": "stage", "name": stage} for stage in self.book.header.stages]
        emptied = False
        try:
            facts = [dict(fact, sid=sid, idx=fact.get("idx", 0)) for fact in obs.engine_facts()]
            # The observations and the first stage in one call; then each later stage.
            offset = session.assert_all(facts, stages[0])
            self._fire(compiled, session, offset)
            for stage in stages[1:]:
                self._fire(compiled, session, session.assert_stage(stage))
            emptied = session.clear(offset)
        finally:
            if not emptied:
                self._give_up(compiled, session)
        if len(ledger.verdicts) != 1:
            raise EngineError(f"expected exactly one verdict, rules gave {ledger.verdicts}")
        return ledger

    def _give_up(self, compiled: _Compiled, session: _Session) -> None:
        """The next run starts in a new state. This one is deleted (a ruleset holds at most 1024) where
        this run's facts were taken; deleting a state that no handled fact created crashes the process
        (segfault), so a state whose first facts were refused is left (as before states were reused)."""
        compiled.sid = str(next(self._sids))
        if session.created:
            durable_rules_engine.delete_state(compiled.handle, session.sid)

    @staticmethod
    def _fire(compiled: _Compiled, session: _Session, offset: int) -> None:
        """Runs every action the last assert made ready, and those they make ready, in the engine's order
        (durable.engine.Ruleset.do_actions and _flush_actions). An action's error is re-raised here."""
        handle, actions = compiled.handle, compiled.actions
        started = durable_rules_engine.start_action_for_state(handle, offset)
        pending = _firing(started[1], session) if started else None
        while pending:
            actions[pending[0]](session, pending[1])
            following = durable_rules_engine.complete_and_start_action(handle, offset)
            pending = _firing(following, session) if following else None
        if session.ledger.errors:
            raise EngineError(session.ledger.errors[0])

    def action(self, rule: Rule, case_index: int, item: str) -> Any:
        case = rule.cases[case_index]

        def run(session: _Session, message: dict[str, Any]) -> None:
            ledger = session.ledger
            try:
                fact = message[item]
                ledger.fired.append(Firing(rule.id, case_index, fact))
                Effects(ledger, rule, case, fact, message.get("blk"), session).apply()
            except Exception:  # recorded, the chain completed as durable.engine does, re-raised by _fire
                ledger.errors.append(f"{rule.id}: {traceback.format_exc(limit=3)}")

        return run


def _firing(text: str, session: _Session) -> tuple[str, dict[str, Any]]:
    """The rule and the facts of one firing, `{"RULE":{"as":FACT,...}}`. durable-rules writes each fact
    as the very text it was given, so a fact is looked up by its text and read once per run (the
    profile fact is quoted by most firings); a fresh copy per firing, as parsing gave. Anything else
    is parsed whole."""
    head = text.find('":{"')
    rule, p, facts = text[2:head], head + 3, {}
    while 0 < p < len(text) and text[p] == '"':
        q = text.find('":', p)
        end = text.find("}", q) + 1
        fact_text = text[q + 2:end]
        if fact_text not in session.parsed or q < 0 or end == 0:
            break
        fact = session.parsed[fact_text]
        if fact is None:
            fact = session.parsed[fact_text] = orjson.loads(fact_text)
        facts[text[p + 1:q]] = dict(fact)
        if text[end] == "}":
            if end + 2 == len(text) and text[end + 1] == "}":
                return rule, facts
            break
        p = end + 1 if text[end] == "," else -1
    rule, whole = next(iter(orjson.loads(text).items()))  # one rule per action (durable.engine reads the first)
    return rule, whole


def _dumps(obj: Any) -> str:
    return orjson.dumps(obj).decode()
