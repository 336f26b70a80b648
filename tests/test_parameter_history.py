"""Dated parameters, value by value (issue 8 "Parameters").

Composite parameters (bonuses, title_points, si_base_bands, deductions, education_points, contract) keep a dated history per part, so that
changing one amount is one line and every other part keeps its date and source; `published_on`
(a value announced after it takes effect) is checked at load; the wage and the floor say that they
change together every July. Results do not change: tests/test_golden_*.py prove it byte for byte.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from jifen_check import rulebook

D = dt.date


def copy_ruleset(tmp_path: Path) -> Path:
    dst = tmp_path / "rs"
    shutil.copytree(rulebook.RULESETS_DIR / rulebook.DEFAULT_RULESET, dst)
    return dst


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


COMPOSITE = ["bonuses", "title_points", "si_base_bands", "deductions", "education_points", "contract"]


@pytest.mark.parametrize("name", COMPOSITE)
def test_composite_parameters_have_a_history_per_part(name: str) -> None:
    param = rulebook.load().parameters[name]
    assert len(param.histories) > 1 and "" not in param.histories


def test_the_composite_values_are_what_they_were() -> None:
    snap = rulebook.load().snapshot(D(2026, 11, 18))
    assert snap["bonuses"]["award"] == {"municipal_special": 30, "municipal_comprehensive": 60,
                                        "provincial_or_higher": 110}
    assert len(snap["bonuses"]) == 16 and snap["bonuses"]["talent"] == 120
    # The snapshot's keys are text, so that a rule can name them (`@title_points.skill.3`).
    assert snap["title_points"] == {"skill": {"5": 15, "4": 30, "3": 60, "2": 100, "1": 140},
                                    "title": {"junior": 0, "intermediate": 100, "senior": 140}}
    assert [(b["multiple"], b["min_months"], b["window_months"], b["points"]) for b in snap["si_base_bands"]] == [
        (3, 24, 36, 120), (2, 36, 48, 100), (1, 36, 48, 50), (0.8, 36, 48, 25)]
    assert snap["deductions"] == {"false_material": {"points": 150, "years": 3}, "detention": {"points": 50, "years": 5},
                                  "crime": {"points": 150, "years": 5}}
    assert snap["education_points"] == {"junior_college": 50, "bachelor": 60, "bachelor_degree": 90, "master": 100,
                                        "doctor": 110}
    assert snap["contract"] == {"min_term_months": 12, "min_remaining_months": 2, "warn_remaining_months": 6}


@pytest.mark.parametrize(("name", "key", "old", "new", "field"), [
    ("deductions", "detention.points", 50, 60, ("detention", "points")),
    ("deductions", "crime.years", 5, 3, ("crime", "years")),
    ("education_points", "master", 100, 105, ("master",)),
    ("contract", "min_remaining_months", 2, 3, ("min_remaining_months",)),
])
def test_one_new_amount_is_one_line_and_the_rest_keep_theirs(tmp_path: Path, name: str, key: str, old: int,
                                                             new: int, field: tuple[str, ...]) -> None:
    root = copy_ruleset(tmp_path)
    edit(root / "parameters" / f"{name}.yaml", f"  {key}:\n",
         f"  {key}:\n    2027-01-01: {{value: {new}, source: 测试通知, source_en: test notice}}\n")
    book = rulebook.Rulebook(root)

    def at(day: dt.date) -> object:
        value = book.snapshot(day)[name]
        for part in field:
            value = value[part]
        return value

    before, after = book.snapshot(D(2026, 12, 31))[name], book.snapshot(D(2027, 1, 1))[name]
    assert (at(D(2026, 12, 31)), at(D(2027, 1, 1))) == (old, new)
    changed = [k for k in before if before[k] != after[k]]
    assert changed == [field[0]], changed  # nothing else moved
    param = book.parameters[name]
    assert param.entry(f"{name}.{key}", D(2027, 3, 1))[1].source == "测试通知"
    others = [k for k in param.histories if k != key]
    assert all(param.entry(f"{name}.{k}", D(2027, 3, 1))[0] == D(2023, 1, 1) for k in others)


@pytest.mark.parametrize(("name", "old", "new"), [
    ("deductions", "  crime.points:\n", "  crime.pionts:\n"),
    ("education_points", "  bachelor_degree:\n", "  bachelor_degre:\n"),
    ("contract", "  warn_remaining_months:\n", "  warn_remaining_month:\n"),
])
def test_a_misspelt_amount_fails_at_load_naming_file_and_key(tmp_path: Path, name: str, old: str, new: str) -> None:
    root = copy_ruleset(tmp_path)
    edit(root / "parameters" / f"{name}.yaml", old, new)
    with pytest.raises(rulebook.RulesetError, match=rf"{name}\.yaml: keys.*{re.escape(new.strip().rstrip(':'))}"):
        rulebook.Rulebook(root)


def test_changing_one_amount_is_one_line(tmp_path: Path) -> None:
    """A new talent amount from 2027-01-01: one line under its key; the other amounts keep theirs."""
    root = copy_ruleset(tmp_path)
    f = root / "parameters" / "bonuses.yaml"
    edit(f, "  talent:\n", "  talent:\n    2027-01-01: {value: 100, source: 测试通知, source_en: test notice}\n")
    book = rulebook.Rulebook(root)
    assert book.param("bonuses", D(2026, 12, 31)).talent == 120
    assert book.param("bonuses", D(2027, 1, 1)).talent == 100
    assert book.param("bonuses", D(2027, 1, 1)).shortage_major == 30
    bonuses = book.parameters["bonuses"]
    assert bonuses.entry("bonuses.talent", D(2027, 3, 1))[1].source == "测试通知"
    since, old = bonuses.entry("bonuses.shortage_major", D(2027, 3, 1))
    assert since == D(2023, 1, 1) and old.source == "沪府规〔2022〕21号 第七条 加分指标"
    assert book.parameters_as_of(D(2027, 1, 1)) == D(2027, 1, 1)


def test_changing_one_band_is_one_line(tmp_path: Path) -> None:
    root = copy_ruleset(tmp_path)
    f = root / "parameters" / "si_base_bands.yaml"
    edit(f, "  x0_8:\n", "  x0_8:\n    2027-01-01: {value: {multiple: 0.8, min_months: 36, window_months: 48, points: 30},"
                         " source: 测试通知, source_en: test notice}\n")
    book = rulebook.Rulebook(root)
    assert [b.points for b in book.param("si_base_bands", D(2027, 1, 1))] == [120, 100, 50, 30]
    assert [b.points for b in book.param("si_base_bands", D(2026, 12, 1))] == [120, 100, 50, 25]


def test_a_nested_amount_has_its_own_source(tmp_path: Path) -> None:
    root = copy_ruleset(tmp_path)
    edit(root / "parameters" / "title_points.yaml", "  skill.3:\n",
         "  skill.3:\n    2027-01-01: {value: 70, source: 测试通知, source_en: test notice, confidence: unverified}\n")
    book = rulebook.Rulebook(root)
    titles = book.parameters["title_points"]
    assert book.param("title_points", D(2027, 1, 1)).skill == {5: 15, 4: 30, 3: 70, 2: 100, 1: 140}
    assert titles.entry("title_points.skill.3", D(2027, 1, 1))[1].confidence == "unverified"
    assert titles.entry("title_points.skill.2", D(2027, 1, 1))[1].confidence == "official"
    assert titles.confidences[-1] == "unverified"  # the whole value is as weak as its weakest part


def test_a_misspelt_part_fails_at_load_naming_file_and_key(tmp_path: Path) -> None:
    root = copy_ruleset(tmp_path)
    edit(root / "parameters" / "bonuses.yaml", "  spouse_max:\n", "  spouse_maxx:\n")
    with pytest.raises(rulebook.RulesetError, match=r"bonuses\.yaml: keys.*spouse_maxx"):
        rulebook.Rulebook(root)


def test_a_misspelt_band_field_names_the_band(tmp_path: Path) -> None:
    root = copy_ruleset(tmp_path)
    edit(root / "parameters" / "si_base_bands.yaml", "min_months: 24", "min_month: 24")
    with pytest.raises(rulebook.RulesetError, match=r"si_base_bands\.yaml: keys.*x3\.min_month"):
        rulebook.Rulebook(root)


def test_a_part_starting_later_than_the_others_fails(tmp_path: Path) -> None:
    """Before its first date the composite would be incomplete."""
    root = copy_ruleset(tmp_path)
    edit(root / "parameters" / "bonuses.yaml", "  talent:\n    2023-01-01:", "  talent:\n    2024-01-01:")
    with pytest.raises(rulebook.RulesetError, match=r"bonuses\.yaml.*keys\.talent.*2024-01-01"):
        rulebook.Rulebook(root)


def test_values_and_keys_are_one_or_the_other(tmp_path: Path) -> None:
    root = copy_ruleset(tmp_path)
    edit(root / "parameters" / "bonuses.yaml", "keys:\n", "values: {2023-01-01: {value: 1, source: s}}\nkeys:\n")
    with pytest.raises(rulebook.RulesetError, match=r"bonuses\.yaml.*values.*keys"):
        rulebook.Rulebook(root)


# ---------------------------------------------------------------- published_on

WAGE_2026 = "  2026-07-01: {value: 12577, published_on: 2026-08-18,"


def test_the_late_wage_is_published_after_it_takes_effect() -> None:
    wage = rulebook.load().parameters["average_wage"]
    assert wage.published[wage.dates.index(D(2026, 7, 1))] == D(2026, 8, 18)


@pytest.mark.parametrize(("published", "why"), [
    ("2025-08-18", "早于该数值的生效日"),   # the year mistyped: before the value takes effect
    ("2062-08-18", "晚一年以上"),           # digits swapped: the value would never be known
])
def test_a_mistyped_published_on_fails_at_load(tmp_path: Path, published: str, why: str) -> None:
    root = copy_ruleset(tmp_path)
    f = root / "parameters" / "average_wage.yaml"
    edit(f, WAGE_2026, WAGE_2026.replace("2026-08-18", published))
    with pytest.raises(rulebook.RulesetError, match=rf"average_wage\.yaml.*2026-07-01\.published_on.*{why}"):
        rulebook.Rulebook(root)


def test_a_misspelt_published_on_fails_at_load(tmp_path: Path) -> None:
    root = copy_ruleset(tmp_path)
    edit(root / "parameters" / "average_wage.yaml", WAGE_2026, WAGE_2026.replace("published_on", "publised_on"))
    with pytest.raises(rulebook.RulesetError, match=r"average_wage\.yaml.*publised_on"):
        rulebook.Rulebook(root)


def test_published_on_where_nothing_is_published_late_fails(tmp_path: Path) -> None:
    """Only the wage (and its floor) are announced late; elsewhere the key would silently do nothing."""
    root = copy_ruleset(tmp_path)
    edit(root / "parameters" / "pass_mark.yaml", "source:", "published_on: 2023-02-01, source:")
    with pytest.raises(rulebook.RulesetError, match=r"pass_mark\.yaml: published_on"):
        rulebook.Rulebook(root)


def test_the_wage_and_the_floor_say_they_change_together_every_july() -> None:
    params = rulebook.load().parameters
    for name, other in (("average_wage", "contribution_floor"), ("contribution_floor", "average_wage")):
        p = params[name]
        assert "7 月" in p.note and f"{other}.yaml" in p.note, name
        assert "July" in p.note_en and f"{other}.yaml" in p.note_en, name


def test_explain_shows_the_source_of_each_value_it_used(tmp_path: Path) -> None:
    """After a new talent amount, `explain BON-TALENT` cites that amount's own date and source."""
    import yaml
    from builders import base_applicant

    from tests.conftest import run_cli

    root = copy_ruleset(tmp_path)
    edit(root / "parameters" / "bonuses.yaml", "  talent:\n",
         "  talent:\n    2025-01-01: {value: 110, source: 测试通知（创业人才）, source_en: test notice}\n")
    f = tmp_path / "a.yaml"
    f.write_text(yaml.safe_dump(base_applicant(bonuses={"talent": "startup"}), allow_unicode=True), encoding="utf-8")
    out = run_cli("explain", str(f), "BON-TALENT", "--ruleset", str(root)).stdout.decode()
    assert "110（2025-01-01 起；测试通知（创业人才）；参数 bonuses.talent）" in out, out
