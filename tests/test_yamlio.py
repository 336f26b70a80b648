"""The project's YAML data loader: libyaml's C parser, strict about repeated keys, errors with lines."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from jifen_check import rulebook, yamlio


def test_uses_the_c_parser_when_libyaml_is_there() -> None:
    if not hasattr(yaml, "CSafeLoader"):
        pytest.skip("PyYAML built without libyaml")
    assert issubclass(yamlio.StrictLoader, yaml.CSafeLoader)


def test_loads_plain_data_like_safe_load() -> None:
    text = "a: 1\nb: [x, 2024-07-01, {c: 2}]\nd: &x {e: 1}\nf: *x\n"
    assert yamlio.load(text) == yaml.safe_load(text)


def test_a_repeated_key_is_an_error_naming_both_lines() -> None:
    with pytest.raises(yaml.YAMLError) as err:
        yamlio.load("id: A\ntitle: t\nid: B\n")
    assert "键 'id' 重复（第 1 行已出现）" in str(err.value)
    assert yamlio.where(err.value) == "第 3 行第 1 列"


def test_a_repeated_key_deep_inside_is_found() -> None:
    with pytest.raises(yaml.YAMLError, match="键 'value' 重复"):
        yamlio.load("values:\n  2023-01-01:\n    value: 1\n    value: 2\n")


def test_python_objects_are_refused() -> None:
    with pytest.raises(yaml.YAMLError):
        yamlio.load("!!python/object/apply:os.system ['true']\n")


def test_a_ruleset_with_a_repeated_key_fails_loudly(tmp_path: Path) -> None:
    root = tmp_path / "rs"
    shutil.copytree(rulebook.RULESETS_DIR / "shanghai-2023", root)
    f = root / "parameters" / "pass_mark.yaml"
    f.write_text(f.read_text(encoding="utf-8") + "description: again\n", encoding="utf-8")
    with pytest.raises(rulebook.RulesetError, match=r"pass_mark\.yaml.*description.*重复"):
        rulebook.Rulebook(root)


def test_every_shipped_data_file_loads_strictly() -> None:
    for f in sorted(rulebook.RULESETS_DIR.rglob("*.yaml")):
        assert yamlio.load(f.read_text(encoding="utf-8")) is not None, f
