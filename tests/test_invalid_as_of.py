"""An applicant file that does not parse (a wrong type, an impossible date elsewhere) keeps its own
application date in the result (QA D8): HR fixing the field see the date they gave, not today."""

from __future__ import annotations

import datetime as dt

from builders import base_applicant

from jifen_check.judge import judge


def test_a_bad_field_keeps_the_files_as_of() -> None:
    doc = base_applicant()
    doc["social_insurance"][0]["base"] = "九千"
    r = judge(doc)
    assert r.verdict == "invalid_input"
    assert r.as_of == doc["as_of"] != dt.date.today().isoformat()


def test_an_impossible_as_of_falls_back_to_today() -> None:
    doc = base_applicant(as_of="2026-02-30")
    r = judge(doc)
    assert r.verdict == "invalid_input"
    assert r.as_of == dt.date.today().isoformat()
