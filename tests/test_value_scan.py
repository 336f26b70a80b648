"""The quick scan of an input's values (`_plainly_clean`) never hides a problem the full scan finds.

`value_problems` skips its full, path-building pass when the quick one finds nothing doubtful
(issue 13: the full pass ran three times per applicant and was the largest cost in judging). On
random documents holding every kind of bad value, both give the same problems.
"""

from __future__ import annotations

import math
from typing import Any

import pytest
from builders import base_applicant, tax_row, with_path
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from jifen_check.applicant import Applicant
from jifen_check.validate import (
    MAX_DEPTH,
    MAX_MAGNITUDE,
    MAX_VALUES,
    _all_value_problems,
    _model_plainly_clean,
    _plainly_clean,
    to_applicant,
    value_problems,
)

KEYS = st.sampled_from(["month", "base", "id_number", "uscc", "employee_no", "name", "备注", "k\ud800", "x", 7])
SCALARS = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["2024-01", "上海", "bad \udc80 text", "\ud83d", "110105194912310021"]),
    st.integers(min_value=-2 * MAX_MAGNITUDE, max_value=2 * MAX_MAGNITUDE),
    st.sampled_from([MAX_MAGNITUDE, -MAX_MAGNITUDE, MAX_MAGNITUDE - 1, 110105194912310021]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
)
DOCS = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                     st.dictionaries(KEYS, inner, max_size=4)), max_leaves=40)


@settings(max_examples=400, deadline=None)
@given(DOCS)
def test_quick_scan_agrees_with_the_full_scan(doc: Any) -> None:
    full = _all_value_problems(doc)
    if _plainly_clean(doc):
        assert full == []
    assert value_problems(doc) == full


def test_each_kind_of_bad_value_is_caught() -> None:
    bad = [{"base": math.nan}, {"base": -math.inf}, {"base": 10**12}, {"name": "a\udc80"}, {"k\ud800": 1},
           {"rows": [{"base": 1.5e9}]}]
    for doc in bad:
        assert not _plainly_clean(doc) and value_problems(doc), doc
    assert _plainly_clean({"id_number": "110105194912310021", "rows": [{"base": 12000, "month": "2024-01"}]})
    assert value_problems({"id_number": 110105194912310021}) == []  # an ID typed as a number is text


def test_too_deep_is_left_to_the_full_scan() -> None:
    doc: Any = "leaf"
    for _ in range(MAX_DEPTH + 2):
        doc = [doc]
    assert not _plainly_clean(doc)
    assert value_problems(doc) == _all_value_problems(doc) != []


# Text the schema turns into a number (YAML reads 1e999 without a dot as text): only the model holds it.
NUMBERS = st.one_of(st.floats(allow_nan=True, allow_infinity=True),
                    st.integers(min_value=-2 * MAX_MAGNITUDE, max_value=2 * MAX_MAGNITUDE),
                    st.sampled_from(["1e999", "-inf", "nan", "1e10", "15000", str(MAX_MAGNITUDE), "999999999.5"]))


def _model_and_dump(doc: Any) -> tuple[Applicant, dict[str, Any]] | None:
    """The model of doc (None where the schema refuses it) and its dump, as to_applicant scans it."""
    try:
        app = Applicant.model_validate(doc)
    except ValidationError:
        return None
    return app, app.model_dump(mode="python", by_alias=True, exclude_none=True)


def _twelve_months() -> dict[str, Any]:
    """An applicant with twelve rows each of contributions and tax (2025-01 … 2025-12)."""
    months = [f"2025-{m:02d}" for m in range(1, 13)]
    return base_applicant(social_insurance=[{"month": m, "base": 12000.0} for m in months],
                          income_tax=[tax_row(m, income=13000.0) for m in months])


@settings(max_examples=200, deadline=None)
@given(base=NUMBERS, income=NUMBERS, years=st.one_of(st.integers(min_value=0, max_value=2 * MAX_MAGNITUDE),
                                                   st.sampled_from(["12", str(10 * MAX_MAGNITUDE)])))
def test_the_model_scan_agrees_with_the_scan_of_its_dump(base: Any, income: Any, years: Any) -> None:
    """`to_applicant` checks the model's values without dumping it: never passing what the dump fails."""
    doc = base_applicant(income_tax=[tax_row("2026-01", income=income)])
    doc = with_path(with_path(doc, "social_insurance[0].base", base), "bonuses.public_service_years", years)
    if (parsed := _model_and_dump(doc)) is None:
        return
    app, dump = parsed
    assert _model_plainly_clean(app) == _plainly_clean(dump)
    assert to_applicant(doc)[1] == (value_problems(dump) if value_problems(doc) == [] else value_problems(doc))


def test_the_model_scan_leaves_a_huge_model_to_the_full_scan() -> None:
    """Defaults count: rows given with one key each dump to more values than the file held."""
    doc = base_applicant(education=[{"level": "bachelor"}] * (MAX_VALUES // 7))
    parsed = _model_and_dump(doc)
    assert parsed is not None
    app, dump = parsed
    assert _plainly_clean(doc) and not _plainly_clean(dump)
    assert not _model_plainly_clean(app)
    assert to_applicant(doc)[1] == value_problems(dump) != []


@settings(max_examples=200, deadline=None)
@given(values=st.lists(st.tuples(st.integers(min_value=0, max_value=11), NUMBERS, NUMBERS), max_size=3),
       payer=st.sampled_from([None, "91310115MA1K3P7Q0X", "上海\udc80", "９１"]))
def test_the_bulk_scan_of_monthly_rows_agrees_with_the_scan_of_the_dump(values: list[Any], payer: Any) -> None:
    """Twelve rows each of contributions and tax are checked in bulk (validate._rows_clean): a bad
    base, income or payer in any row is found as the dump's scan finds it."""
    doc = _twelve_months()
    for row, base, income in values:
        doc = with_path(with_path(doc, f"social_insurance[{row}].base", base), f"income_tax[{row}].income", income)
    doc = with_path(doc, "social_insurance[5].payer_uscc", payer)
    if (parsed := _model_and_dump(doc)) is None:
        return
    app, dump = parsed
    assert _model_plainly_clean(app) == _plainly_clean(dump)


@pytest.mark.parametrize(("path", "value"), [("social_insurance[5].base", math.nan), ("income_tax[7].income", math.inf),
                                             ("income_tax[0].income", -math.inf), ("social_insurance[11].base", 1e9),
                                             ("social_insurance[3].base", "1e999"),
                                             ("social_insurance[4].payer_uscc", "9131\ud800")])
def test_one_bad_value_among_monthly_rows_is_found(path: str, value: Any) -> None:
    """Anywhere in the rows, also after the first (max() passes over a NaN that is not first)."""
    doc = _twelve_months()
    app = Applicant.model_validate(with_path(doc, path, value))
    assert not _model_plainly_clean(app)
    assert _model_plainly_clean(Applicant.model_validate(doc))
