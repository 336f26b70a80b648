"""`result.Trusted` builds the very model `model_construct` builds, a third of the cost (the judge
makes ~20 score lines, findings and checklist items per person this way)."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel

from jifen_check.result import (
    TRUSTED_FINDING,
    TRUSTED_ITEM,
    TRUSTED_LINE,
    ChecklistItem,
    Finding,
    ScoreLine,
    Trusted,
)

LINE = {"facts": {"age": 30}, "rule": "PTS-AGE", "points": 20, "status": "at_risk", "title": "年龄",
        "detail": "30 岁", "reason": "PIT-X", "at_risk_points": 5}  # not in field order: the model's order wins
FINDING = {"rule": "PRE-SI-6OF12", "severity": "blocker", "confidence": "official", "title": "t", "message": "m",
           "evidence": ["social_insurance[0]"], "remedy": "r", "source": "s", "facts": {"n": 5}, "deadline": None,
           "_en": (None, None)}
ITEM = {"id": "D1", "title": "身份证", "group": "g", "original": True, "copies": 2, "because": ["PTS-AGE"],
        "reason": "", "note": "n"}


def same(a: BaseModel, b: BaseModel) -> None:
    assert a == b
    assert list(a.__dict__) == list(b.__dict__)
    assert a.model_fields_set == b.model_fields_set
    assert a.__pydantic_private__ == b.__pydantic_private__
    assert a.__pydantic_extra__ == b.__pydantic_extra__
    assert a.model_dump_json() == b.model_dump_json()


@pytest.mark.parametrize(("trusted", "cls", "values"), [(TRUSTED_LINE, ScoreLine, LINE),
                                                        (TRUSTED_FINDING, Finding, FINDING),
                                                        (TRUSTED_ITEM, ChecklistItem, ITEM)])
def test_trusted_is_model_construct(trusted: Trusted[Any], cls: type[BaseModel], values: dict[str, Any]) -> None:
    expected = cls.model_construct(**{k: v for k, v in values.items() if not k.startswith("_")})
    got = trusted(values)
    same(got, expected)
    assert got == cls.model_validate(got.model_dump())  # the values were valid: nothing was skipped


def test_a_trusted_model_stays_a_model() -> None:
    """Private attributes and assignment work as on a constructed one, each instance on its own."""
    a, b = TRUSTED_LINE(LINE), TRUSTED_LINE(LINE)
    a._detail_en = "thirty"
    a.facts = {}
    assert b._detail_en is None and b.facts == {"age": 30}
    assert a.__pydantic_private__ == {"_detail_en": "thirty"}


def test_a_missing_field_is_refused() -> None:
    with pytest.raises(KeyError):
        TRUSTED_LINE({k: v for k, v in LINE.items() if k != "facts"})
