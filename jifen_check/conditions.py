"""The condition language of the rules and the checklist: one set of operators, one meaning.

A test is a value (equality), a list (membership, checklist only), or {op: value} with op in
OPERATORS. The engine compiles tests to durable-rules (`compile_test`); `explain` and the checklist
evaluate them in Python (`holds`). The two agree: tests/test_conditions.py runs generated
conditions through both.

Meaning, the same everywhere:
- `eq`/`in`: equal to the value / one of the values; false when the field is missing.
- `ne`/`not_in`: the opposite of `eq`/`in`, and TRUE when the field is missing.
- `lt`/`lte`/`gt`/`gte`: numeric comparison; false when the field is missing or either side is
  not a number (a bool counts as a number, as in durable-rules).
- `exists`: `exists: true` holds when the field is present (not null), `exists: false` when absent.
"""

from __future__ import annotations

import operator
from typing import Any

OPERATORS: dict[str, str] = {"eq": "=", "ne": "≠", "lt": "<", "lte": "≤", "gt": ">", "gte": "≥", "in": "∈",
                             "not_in": "∉", "exists": "存在"}
_ORDER = {"lt": operator.lt, "lte": operator.le, "gt": operator.gt, "gte": operator.ge}


def normalize(spec: Any) -> dict[str, Any]:
    """A test as {op: value}: a bare value is `eq`, a list is `in`."""
    if isinstance(spec, dict):
        return spec
    if isinstance(spec, list):
        return {"in": spec}
    return {"eq": spec}


def _number(x: Any) -> bool:
    return isinstance(x, int | float)


def holds(op: str, actual: Any, want: Any) -> bool:
    """Whether `actual` (None: the field is missing) passes `op want`."""
    if op == "exists":
        return (actual is not None) == bool(want)
    if op == "ne":
        return actual is None or actual != want
    if op == "not_in":
        return actual is None or actual not in (want or [])
    if actual is None:
        return False
    if op == "eq":
        return actual == want
    if op == "in":
        return actual in (want or [])
    if op in _ORDER:
        return _number(actual) and _number(want) and bool(_ORDER[op](actual, want))
    raise ValueError(f"unknown operator {op!r}")


def all_hold(tests: dict[str, Any], fact: dict[str, Any], resolve: Any = lambda v: v) -> bool:
    """Every field test of a mapping holds on `fact` (values passed through `resolve` first)."""
    for name, spec in tests.items():
        for op, raw in normalize(spec).items():
            want = [resolve(x) for x in raw] if op in ("in", "not_in") else resolve(raw)
            if not holds(op, fact.get(name), want):
                return False
    return True


def compile_test(name: str, spec: Any, value: Any = lambda v: v) -> list[dict[str, Any]]:
    """The durable-rules clauses for one field test (`value` turns `@`/`$` references into values)."""
    out: list[dict[str, Any]] = []
    for op, raw in normalize(spec).items():
        if op == "in":
            out.append({"$or": [{name: value(x)} for x in raw]})
        elif op == "not_in":  # as `ne` for each value (an $and nested in an $or crashes durable-rules)
            out += [{"$or": [{"$nex": {name: 1}}, {"$neq": {name: value(x)}}]} for x in raw]
        elif op == "exists":
            out.append({"$ex" if raw else "$nex": {name: 1}})
        elif op == "eq":
            out.append({name: value(raw)})
        elif op == "ne":
            out.append({"$or": [{"$nex": {name: 1}}, {"$neq": {name: value(raw)}}]})
        elif op in _ORDER:
            out.append({f"${op}": {name: value(raw)}})
        else:
            raise ValueError(f"unknown operator {op!r} in test of {name!r}")
    return out
