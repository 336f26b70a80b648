"""Stage ordering, derived from what each rule reads and writes (no `stage:` a policy author must set).

Why there are stages at all: durable-rules decides a negated join when a fact arrives and does not
revisit it when the negating fact arrives later in the same batch. So a rule that negates a kind of
fact must run in a later stage than every rule that writes that kind; the engine asserts one stage
fact after another (backend.Engine.run), and an assert returns only when every firing it caused is
done.

What a rule writes: `block`, `record`, `line`, `finding` (per item), `chosen` (choose_best) and
`total` (once per applicant), `verdict`. What it reads, and how:
- negated: a `none:` pattern's fact; every score line (points, bonus, deduction) negates the `block`
  aimed at it (compile.Compiler adds that join);
- from the ledger, when its action runs: a score line reads the values `record` wrote; choose_best
  reads the lines; the total reads the lines, the chosen line and the findings made before it;
- joined: a pattern on a `block` or `total` fact.

The order, as the smallest stage and then priority that satisfy:
- a negated read, or a ledger read of what per-item rules write (block, record, line, finding),
  waits for the next stage: only the end of a stage says that every item's firing is done;
- a joined read, or a ledger read of what a once-per-applicant rule writes (chosen, total), may run
  in the writer's stage with a higher priority (durable `pri`, lower fires first): no negation is
  involved, and the writer fires once, on the stage fact itself;
- the total counts the findings made before it: rules that read the total (directly or through
  another) are not among the writers it waits for.

`stage:` and `priority:` in a rule are optional overrides; an override is checked against the same
constraints and fails at load naming the file, the rule and the dependency it breaks.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

LINE_KINDS = ("points", "bonus", "deduction")
PER_ITEM = frozenset({"block", "record", "line", "finding"})  # written per fact: wait for the next stage


class StageError(ValueError):
    """The rules read what they write in a cycle: no order satisfies them (names one rule of it)."""

    def __init__(self, rule_id: str, message: str) -> None:
        super().__init__(message)
        self.rule_id = rule_id


@dataclass(frozen=True)
class Read:
    kind: str
    how: str  # "negated", "ledger" or "joined"


def writes(rule: Any) -> set[str]:
    out: set[str] = set()
    for case in rule.cases:
        then = case.then
        for kind, present in (("block", then.block is not None), ("record", bool(then.record)),
                              ("line", then.line is not None), ("finding", then.finding),
                              ("chosen", bool(then.choose_best)), ("total", then.total),
                              ("verdict", then.verdict is not None)):
            if present:
                out.add(kind)
    return out


def reads(rule: Any) -> set[Read]:
    out: set[Read] = set()
    for case in rule.cases:
        out |= {Read(p.fact, "joined") for p in case.when.all if p.fact in ("block", "total")}
        out |= {Read(p.fact, "negated") for p in case.when.none}
        then = case.then
        if then.line is not None and rule.kind in LINE_KINDS:
            out |= {Read("block", "negated"), Read("record", "ledger")}
        if then.choose_best:
            out.add(Read("line", "ledger"))
        if then.total:
            out |= {Read("line", "ledger"), Read("chosen", "ledger"), Read("finding", "ledger")}
    return out


@dataclass(frozen=True)
class Edge:
    """`reader` runs after `writer`: in a later stage (`strict`), or later in the same stage."""

    writer: str
    reader: str
    kind: str
    how: str
    strict: bool

    def why(self) -> str:
        verb = "negates" if self.how == "negated" else "reads"
        return f"{self.reader} {verb} the {self.kind} {self.writer} writes"


def edges(rules: Mapping[str, Any]) -> list[Edge]:
    wrote = {rid: writes(r) for rid, r in rules.items()}
    read = {rid: reads(r) for rid, r in rules.items()}
    after_total = _downstream(rules, wrote, read, "total")
    out = []
    for reader, rs in read.items():
        for r in rs:
            for writer, ws in wrote.items():
                if writer == reader or r.kind not in ws:
                    continue
                if r.kind == "finding" and writer in after_total.get(reader, set()):
                    continue  # the total counts the findings made before it
                out.append(Edge(writer, reader, r.kind, r.how, r.how == "negated" or r.kind in PER_ITEM))
    return out


def _downstream(rules: Mapping[str, Any], wrote: dict[str, set[str]], read: dict[str, set[Read]],
                kind: str) -> dict[str, set[str]]:
    """For each writer of `kind`, the rules that read it, directly or through what those write."""
    out: dict[str, set[str]] = {}
    for writer in (w for w, ws in wrote.items() if kind in ws):
        seen: set[str] = set()
        frontier = {kind}
        while frontier:
            k = frontier.pop()
            for rid, rs in read.items():
                if rid not in seen and rid != writer and any(r.kind == k and k != "finding" for r in rs):
                    seen.add(rid)
                    frontier |= wrote[rid]
        out[writer] = seen
    return out


Pins = Mapping[str, tuple[int | None, int | None]]  # overrides: (stage index, priority), None where derived


def derive(rules: Mapping[str, Any], pins: Pins | None = None) -> dict[str, tuple[int, int]]:
    """The smallest (stage index, priority) of each rule that satisfies every edge; a pinned stage or
    priority stays as given (`violation` then says whether the pins keep the order)."""
    pins = pins or {}
    es = edges(rules)
    order = {rid: (pins.get(rid, (None, None))[0] or 0, pins.get(rid, (None, None))[1] or 0) for rid in rules}
    for _ in range(len(rules) + 2):
        changed = False
        for e in es:
            ws, wp = order[e.writer]
            need = (ws + 1, 0) if e.strict else (ws, wp + 1)
            have = order[e.reader]
            if need <= have:
                continue
            stage_pin, priority_pin = pins.get(e.reader, (None, None))
            stage = have[0] if stage_pin is not None else max(have[0], need[0])
            priority = have[1] if priority_pin is not None else (need[1] if stage == need[0] else have[1])
            if (stage, priority) != have:
                order[e.reader] = (stage, priority)
                changed = True
        if not changed:
            return order
    cycle = sorted({e.reader for e in es if order[e.reader] > (len(rules), 0)} or {e.reader for e in es})
    raise StageError(cycle[0], f"the rules read what they write in a cycle: {', '.join(cycle)}")


def cause(rules: Mapping[str, Any], order: Mapping[str, tuple[int, int]], rule_id: str,
          pins: Pins) -> tuple[str, Edge | None]:
    """The pinned rule that put `rule_id` where it is, following the edges that decided each place
    back to a pin (with the last edge followed), or `rule_id` itself if nothing pinned pushed it."""
    es = edges(rules)
    current, via = rule_id, None
    for _ in range(len(rules)):
        if current in pins and current != rule_id:
            return current, via
        deciding = next((e for e in es if e.reader == current and
                         ((order[e.writer][0] + 1, 0) if e.strict else (order[e.writer][0], order[e.writer][1] + 1))
                         == order[current]), None)
        if deciding is None:
            break
        current, via = deciding.writer, deciding
    return rule_id, None


def violation(rules: Mapping[str, Any], order: Mapping[str, tuple[int, int]]) -> Edge | None:
    """The first edge the (stage, priority) order breaks, or None."""
    for e in edges(rules):
        writer, reader = order[e.writer], order[e.reader]
        if (reader[0] <= writer[0]) if e.strict else (reader <= writer):
            return e
    return None
