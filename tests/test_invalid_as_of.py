"""An applicant file that does not parse (a wrong type, an impossible date elsewhere) keeps its own
application date in the result (QA D8): HR fixing the field see the date they gave, not today. And
the message for such a field quotes the wrong value once (QA D11: a reversed range was quoted twice)."""

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


def test_a_reversed_month_range_is_quoted_once() -> None:
    doc = base_applicant()
    doc["social_insurance"][0]["month"] = "2026-11..2024-01"
    r = judge(doc)
    (msg,) = [f.message for f in r.findings if "结束早于开始" in f.message]
    assert msg.count("'2026-11..2024-01'") == 1, msg


def test_a_wrong_type_still_quotes_the_value() -> None:
    doc = base_applicant()
    doc["social_insurance"][0]["base"] = "九千"
    (msg,) = [f.message for f in judge(doc).findings if f.severity == "error"]
    assert "（实际为 '九千'）" in msg
