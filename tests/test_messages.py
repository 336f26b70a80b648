"""Message templates through jinja2 (engine/messages.py): the YAML's one-brace syntax, rendering, the
compile-once cache, and the placeholder check the rulebook runs at load."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from jifen_check import rulebook
from jifen_check.engine import messages
from jifen_check.engine.messages import EnText, render

SOURCE = rulebook.RULESETS_DIR / rulebook.DEFAULT_RULESET
PARAMS = {"pass_mark": 120, "bonuses": {"values": 7, "talent": 120}, "age_points": [[18, 45, 30]]}


def test_fields_and_parameters_are_filled_as_the_yaml_writes_them() -> None:
    ctx = {"age": 36.0, "ratio": 0.5, "name": "<张三>", "none_given": None}
    assert render("{age} 周岁，{ratio}，{name}，{none_given}", ctx, PARAMS) == "36 周岁，0.5，<张三>，None"
    assert render("标准分值 {@pass_mark} 分，{@bonuses.talent}，{@age_points.0.2}", {}, PARAMS) == "标准分值 120 分，120，30"
    assert render("{@bonuses.values}", {}, PARAMS) == "7"  # the key, not the dict method
    assert render("没有占位符，也有 }", {}, {}) == "没有占位符，也有 }"
    assert render("两行\n", {"x": 1}, {}) == "两行\n"  # the trailing newline of a YAML block stays


def test_a_missing_name_raises_key_error() -> None:
    with pytest.raises(KeyError):
        render("{age} 周岁", {}, PARAMS)
    with pytest.raises(KeyError):
        render("{@bonuses.nothing}", {}, PARAMS)


def test_each_distinct_template_is_compiled_once() -> None:
    text = "测试缓存 {age}"
    render(text, {"age": 1}, {})
    first = messages._compiled[text]
    assert render(text, {"age": 2}, {}) == "测试缓存 2"
    assert messages._compiled[text] is first


def test_english_pieces_added_later_are_literal_text() -> None:
    en = EnText(("{age} years", {"age": 36}, (), PARAMS)).add("; claim {x} not counted")
    assert str(en) == "36 years; claim {x} not counted"


def test_check_lists_fields_and_parameter_paths_and_rejects_anything_else() -> None:
    assert messages.check("{age} 岁，不足 {@six_of_twelve.min_months} 个月") == ({"age"}, ["six_of_twelve.min_months"])
    for bad in ("{age", "{age|upper}", "{age.x}", "{ }", "{age + 1}"):
        with pytest.raises(messages.TemplateError):
            messages.check(bad)


@pytest.mark.parametrize(("file", "rule", "text", "typo", "key"), [
    ("gates.yaml", "PRE-SI-6OF12", "申请前 12 个月（{si_6of12_window}）", "申请前 12 个月（{si_6of12_window）",
     "cases[0].message"),
    ("points.yaml", "PTS-AGE", 'detail: "{age} 周岁"', 'detail: "{age|upper} 周岁"', "then.line.detail"),
])
def test_a_broken_template_fails_at_load_naming_file_rule_and_key(tmp_path: Path, file: str, rule: str, text: str,
                                                                  typo: str, key: str) -> None:
    root = tmp_path / "ruleset"
    shutil.copytree(SOURCE, root)
    path = root / "rules" / file
    body = path.read_text(encoding="utf-8")
    assert body.count(text) == 1
    path.write_text(body.replace(text, typo), encoding="utf-8")
    with pytest.raises(rulebook.RulesetError) as err:
        rulebook.Rulebook(root)
    message = str(err.value)
    assert file in message and rule in message and key in message, message


def test_an_english_template_is_checked_at_load_too(tmp_path: Path) -> None:
    root = tmp_path / "ruleset"
    shutil.copytree(SOURCE, root)
    path = root / "rules" / "points.yaml"
    body = path.read_text(encoding="utf-8")
    assert body.count('detail_en: "aged {age}"') == 1
    path.write_text(body.replace('detail_en: "aged {age}"', 'detail_en: "aged {ages}"'), encoding="utf-8")
    with pytest.raises(rulebook.RulesetError, match=r"points\.yaml: PTS-AGE: .*detail_en: unknown placeholder \{ages\}"):
        rulebook.Rulebook(root)


ODD_VALUES = [0, 3.0, 2.5, -1, True, None, "", "上海、杭州", ["a", "b"], {"k": 1}, (1, 2), 10**20, float("nan")]


def test_the_python_fill_prints_what_jinja_prints_for_every_template_of_the_ruleset() -> None:
    """render fills a template's pieces itself; jinja (render_jinja) must print the same for every
    template the rules hold, whatever the values (numbers, floats that are whole, lists, None)."""
    book = rulebook.load()
    params = book.snapshot(book.header.in_force["from"])
    templates = set()
    for rule in book.rules.values():
        templates |= {e for e in rule.evidence if not e.startswith("*")}
        for case in rule.cases:
            line = case.then.line
            templates |= {case.message, case.remedy, case.deadline or "", case.message_en, case.remedy_en,
                          line.detail if line else "", line.detail_en if line else ""}
    templates = {t for t in templates if "{" in t}
    assert len(templates) > 100
    for i, text in enumerate(sorted(templates)):
        names, _ = messages.check(text)
        for j in range(3):
            ctx = {n: ODD_VALUES[(i + j + k) % len(ODD_VALUES)] for k, n in enumerate(sorted(names))}
            assert messages._template(text)[2] is not None, text
            assert render(text, ctx, params) == messages.render_jinja(text, ctx, params), text


def test_the_python_fill_leaves_to_jinja_what_it_cannot_look_up() -> None:
    params = {"d": {0: "int key", "values": "the key"}, "l": [[1, 2]], "m": {"x": 1}}
    for text, ctx in (("{@d.0}", {}), ("{@d.values}", {}), ("{@l.0.1}", {}), ("{s.0}", {"s": "abc"}),
                      ("{@m.values}", {}), ("{s.upper}", {"s": "abc"}), ("{x}", {"x": 3.0})):
        assert render(text, ctx, params) == messages.render_jinja(text, ctx, params), text
    assert render("{@m.values}", {}, params).startswith("<built-in method values")  # jinja's attribute fallback
    for text, ctx in (("{@l.5}", {}), ("{x}", {}), ("{x.y}", {"x": {}})):
        with pytest.raises(KeyError):
            render(text, ctx, params)
