"""Compiles the rule data (rulebook.Rule) into a durable-rules ruleset definition.

Each case becomes one durable rule: its stage fact, its `all` patterns and its `none` patterns as
negated joins. A case that makes a score line compiles twice, once without and once with a `block`
fact aimed at its rule and item, so a pitfall's threat reaches the line (`blk`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from jifen_check import conditions
from jifen_check.engine.messages import lookup
from jifen_check.engine.stages import LINE_KINDS
from jifen_check.rulebook import Pattern, Rule, Rulebook

# Makes the durable action of (rule, case index, the `as` name of the case's item fact).
ActionFactory = Callable[[Rule, int, str], Any]


class Compiler:
    """Translates the rule data into a durable-rules ruleset definition for one parameter set."""

    def __init__(self, book: Rulebook, params: dict[str, Any], action: ActionFactory) -> None:
        self.book = book
        self.params = params
        self.action = action

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
                out[f"{rule.id}#{i}"] = {"all": base + negs + [{"blk$not": blk}], "run": self.action(rule, i, item)}
                out[f"{rule.id}#{i}!"] = {"all": base + negs + [{"blk": blk}], "run": self.action(rule, i, item)}
            else:
                out[f"{rule.id}#{i}"] = {"all": base + negs, "run": self.action(rule, i, case.when.all[0].as_)}
        return out

    def ruleset(self) -> dict[str, dict[str, Any]]:
        definition: dict[str, dict[str, Any]] = {}
        for rule in self.book.rules.values():
            for name, d in self.rule_definitions(rule).items():
                definition[name] = dict(d, pri=rule.priority) if rule.priority else d
        return definition
