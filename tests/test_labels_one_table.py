"""One labels table for the applicant's enum values (issue 8): labels.py. The workbook and the web
form offer exactly its words, and a finding quotes the same word the clerk picked. Where two tables
disagreed (人事档案 未建立/从未建立, 下落不明/去向不明; 居住证 无/未办理), the clearer word is kept and
the old one is still read."""

from __future__ import annotations

import ast

import pytest
from builders import base_applicant
from test_rules_pitfalls import run

from jifen_check import labels
from jifen_check.batch.cells import convert
from jifen_check.batch.columns import SHEETS
from tests.conftest import ROOT

TABLES = {"person.personnel_archive": labels.ARCHIVE_ZH, "residence_permit.status": labels.PERMIT_ZH,
          "level": labels.EDU_LEVEL_ZH, "mode": labels.EDU_MODE_ZH, "kind": labels.QUAL_KIND_ZH}


def _column(field: str):
    return next(c for s in SHEETS for c in s.columns if c.field == field)


@pytest.mark.parametrize("field", sorted(TABLES))
def test_the_workbook_offers_the_labels_table(field: str) -> None:
    assert dict(_column(field).options) == TABLES[field]


@pytest.mark.parametrize(("field", "word", "code"), [
    ("person.personnel_archive", "从未建立", "none"), ("person.personnel_archive", "未建立", "none"),
    ("person.personnel_archive", "去向不明", "unknown"), ("person.personnel_archive", "下落不明", "unknown"),
    ("residence_permit.status", "未办理", "none"), ("residence_permit.status", "无", "none"),
])
def test_new_and_old_words_read_as_the_same_code(field: str, word: str, code: str) -> None:
    assert convert(word, _column(field)) == code


@pytest.mark.parametrize("state", ["lost", "none", "unknown"])
def test_a_finding_quotes_the_word_the_clerk_picked(state: str) -> None:
    doc = base_applicant()
    doc["person"]["personnel_archive"] = state
    [f] = [f for f in run(doc).findings if f.rule == "PIT-ARCHIVE"]
    assert f"人事档案{labels.ARCHIVE_ZH[state]}" in f.message


def test_no_other_module_spells_out_these_tables() -> None:
    """No dict or tuple of pairs outside labels.py maps three or more of one table's codes to Chinese
    words (a str value; explain.py's VALUE_WORDS maps codes of every fact to (中文, English) pairs)."""
    tables = [*TABLES.values(), labels.CONFIDENCE_ZH]
    found = []
    for path in sorted((ROOT / "jifen_check").rglob("*.py")):
        if path.name == "labels.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            keys: list[object] = []
            if isinstance(node, ast.Dict):
                keys = [k.value for k, v in zip(node.keys, node.values, strict=True)
                        if isinstance(k, ast.Constant) and isinstance(v, ast.Constant) and isinstance(v.value, str)]
            elif isinstance(node, ast.Tuple):
                keys = [e.elts[0].value for e in node.elts
                        if isinstance(e, ast.Tuple) and len(e.elts) == 2 and isinstance(e.elts[0], ast.Constant)
                        and isinstance(e.elts[1], ast.Constant) and isinstance(e.elts[1].value, str)]
            if any(len(set(keys) & set(t)) >= 3 for t in tables):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert found == []


def test_the_web_app_shows_the_confidence_words_of_the_rules_listing() -> None:
    """The web app had its own table (实务, 未证实) beside labels.py's (受理实践, 未核实)."""
    from jifen_check.web import app

    assert app.CONFIDENCE_ZH is labels.CONFIDENCE_ZH
    assert labels.CONFIDENCE_ZH == {"official": "官方规定", "practice": "受理实践", "unverified": "未核实"}


def test_the_rules_listing_and_the_reports_say_the_same_confidence_words() -> None:
    """`rules` and the web app (labels.py) said 官方 where the text report, the PDF and explain
    (labels.yaml) said 官方规定: one word per confidence, in both tables."""
    from jifen_check.render.plain import labels as yaml_labels

    assert labels.CONFIDENCE_ZH == {code: pair[0] for code, pair in yaml_labels()["confidence"].items()}
    assert labels.KIND_ZH == {code: pair[0] for code, pair in yaml_labels()["kind"].items()}


def test_route_texts_and_english_use_the_same_confidence_words() -> None:
    """Route texts (plan.py) said 实务做法/未经核实 and "common practice" where every other output
    said 受理实践/未核实 and "window practice": one word per confidence, Chinese and English."""
    from jifen_check import plan
    from jifen_check.render.plain import labels as yaml_labels

    assert plan.CONF_ZH == labels.CONFIDENCE_ZH
    assert plan.CONF_EN == labels.CONFIDENCE_EN == {code: pair[1] for code, pair in yaml_labels()["confidence"].items()}
