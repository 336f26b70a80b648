"""The durable-rules backend: one Host per process, one compiled ruleset per parameter set, and
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
- durable.engine passes every fact through `json` and reads the clock through `datetime` on every
  action: both are swapped for orjson and `time.time` (module patch below, same results, faster);
- the Host's two background timer threads race the synchronous chain and lose results: `_run` is
  disabled (`_QuietHost`);
- a ruleset holds at most 1024 live states: each applicant's state is deleted in `finally`;
- a fact no pattern tests is rejected (and spoils its whole batch); deleting a state that no
  accepted fact created segfaults: see `retention_patterns`;
- an exception inside an action is stored in the state, not raised: it is re-raised here;
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
import orjson
from durable.engine import Host

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


def _never_runs(c: Any) -> None:
    raise EngineError("a retention pattern fired: the stage '__never__' must never be asserted")


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
            definition = Compiler(self.book, params, self.action).ruleset()
            definition.update(retention_patterns())
            self.host.register_rulesets({name: definition})
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
