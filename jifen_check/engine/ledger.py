"""What the rule firings produce for one applicant: score-line candidates, firings, the ledger.

Plain data, below `effects` (which fills it) and `scoring` (which settles it), so that both import
it one way.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

from jifen_check.engine.messages import EnText
from jifen_check.facts import Observation

STATUS_RANK = {"counted": 2, "at_risk": 1, "not_counted": 0}


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
    rule_rank: dict[str, int] | None = None  # each rule's place in rule_order (made from it if not given)
    # Ledger.context's last context per fact type and index: (the fact, the total, the context).
    _contexts: dict[tuple[Any, Any], tuple[dict[str, Any], Any, dict[str, Any]]] = field(
        default_factory=dict, init=False, repr=False)

    def context(self, fact: dict[str, Any]) -> dict[str, Any]:
        """What messages quote for a firing of `fact`: the details, the entry's own details, the fact,
        then the total once there is one. Most firings of a run quote the same profile fact (each its
        own copy, backend._firing): a context is made once per fact and total and handed out again to
        firings of an equal fact, as no one changes a context (effects.py reads it; an English text
        keeps it to fill later). Facts of one type and index are one text in a run (a profile, an
        entry, the total), or differ in their sequence number `n` (the blocks)."""
        key = (fact.get("t"), fact.get("idx"))
        hit = self._contexts.get(key)
        if hit is not None and hit[1] is self.total and hit[0] == fact:
            return hit[2]
        ctx = self._context(fact)
        self._contexts[key] = (fact, self.total, ctx)
        return ctx

    def _context(self, fact: dict[str, Any]) -> dict[str, Any]:
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
