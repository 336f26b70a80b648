"""`months.spans` remembers its texts (by the months as given): the same text as the plain
definition, for lists with repeats and in any order, asked once or again."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from jifen_check import months as mo


def reference_spans(months: list[int]) -> str:
    if not months:
        return "无"
    parts: list[str] = []
    ordered = sorted(set(months))
    start = prev = ordered[0]
    for m in [*ordered[1:], None]:
        if m is not None and m == prev + 1:
            prev = m
            continue
        parts.append(mo.fmt(start) if start == prev else f"{mo.fmt(start)}–{mo.fmt(prev)}")
        if m is not None:
            start = prev = m
    return "、".join(parts)


@given(st.lists(st.integers(24000, 24400), max_size=60))
def test_spans_are_the_reference(months: list[int]) -> None:
    assert mo.spans(months) == reference_spans(months)
    assert mo.spans(list(months)) == reference_spans(months)  # remembered
    assert mo.spans(sorted(months)) == reference_spans(months)
