"""One condition language: the pure evaluator (explain, checklist) agrees with the durable-rules
compilation (the engine) on generated conditions and facts."""

from __future__ import annotations

import random
from typing import Any

import pytest

from jifen_check import conditions
from jifen_check.engine.backend import _QuietHost

# The rulebook allows ordering operators on int fields only (checked at load), so `n` holds
# numbers; `s` text; `f` flags; `v` anything.
DOMAIN = {"n": [0, 1, 2, -1, 7], "s": ["x", "y", "z"], "f": [True, False], "v": [0, 1, "x", True, False]}
FIELDS = list(DOMAIN)
VALUES = [0, 1, 2, -1, "x", "y", True, False]
MISSING = object()


def generated_condition(rnd: random.Random) -> list[tuple[str, dict[str, Any]]]:
    """One to three field tests over the fields a, b, c, every operator, mixed value types."""
    out = []
    for _ in range(rnd.randint(1, 3)):
        name = rnd.choice(FIELDS)
        op = rnd.choice(sorted(set(conditions.OPERATORS) - ({"lt", "lte", "gt", "gte"} if name != "n" else set())))
        if op in ("in", "not_in"):
            want: Any = rnd.sample(VALUES, rnd.randint(1, 3))
        elif op in ("lt", "lte", "gt", "gte"):
            want = rnd.choice([0, 1, 2, -1])
        elif op == "exists":
            want = rnd.choice([True, False])
        else:
            want = rnd.choice(VALUES)
        out.append((name, {op: want}))
    return out


def test_pure_evaluator_agrees_with_durable_rules():
    """300 generated conditions, compiled into one durable-rules ruleset, on 80 generated facts: the
    rules that fire are exactly those the pure evaluator says hold. (One ruleset in one host: durable
    -rules 2.0.28 corrupts memory when many rulesets are registered in one process.)"""
    rnd = random.Random(20261127)
    conds = [generated_condition(rnd) for _ in range(300)]
    facts = [{f: rnd.choice([*DOMAIN[f], MISSING]) for f in FIELDS} for _ in range(80)]
    fired: dict[str, set[int]] = {}

    def action(i: int) -> Any:
        def run(c: Any) -> None:
            fired.setdefault(c.s.sid, set()).add(i)
        return run

    rules = {f"r{i}": {"all": [{"m": {"$and": [{"t": "f"}, *[c for n, spec in cond
                                                            for c in conditions.compile_test(n, spec)]]}}],
                       "run": action(i)}
             for i, cond in enumerate(conds)}
    # A never-firing join keeps every fact acceptable to durable-rules (see engine.backend.retention_patterns).
    rules["keep"] = {"all": [{"s": {"$and": [{"t": "stage"}, {"name": "__never__"}]}}, {"m": {"t": "f"}}],
                     "run": action(-1)}
    host = _QuietHost()
    host.register_rulesets({"crosscheck": rules})
    disagreements = []
    for k, values in enumerate(facts, start=1):
        present = {f: v for f, v in values.items() if v is not MISSING}
        host.assert_fact("crosscheck", {"sid": str(k), "t": "f", **present})
        host.delete_state("crosscheck", str(k))
        expected = {i for i, cond in enumerate(conds) if all(conditions.all_hold({n: s}, present) for n, s in cond)}
        got = fired.get(str(k), set())
        disagreements += [(present, conds[i], i in got) for i in expected ^ got]
    assert disagreements[:5] == []
    assert 0 < sum(len(v) for v in fired.values()) < 300 * 80  # the battery is not trivially all or nothing


@pytest.mark.parametrize(("op", "actual", "want", "expected"), [
    ("ne", None, 1, True), ("not_in", None, [1], True), ("eq", None, None, False), ("lt", None, 1, False),
    ("lte", "x", 1, False), ("gte", True, 1, True), ("in", 2, [1, 2], True), ("exists", None, False, True),
])
def test_meaning_of_each_operator(op, actual, want, expected):
    """The documented meaning (conditions.py header), case by case."""
    assert conditions.holds(op, actual, want) is expected


def test_unknown_operator_is_an_error():
    with pytest.raises(ValueError):
        conditions.holds("approx", 1, 1)
    with pytest.raises(ValueError):
        conditions.compile_test("a", {"approx": 1})
