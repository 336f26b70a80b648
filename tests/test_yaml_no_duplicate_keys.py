"""No YAML file of the rulesets repeats a key in one mapping: PyYAML keeps the last silently, so a
repeated `title_en:` (as a rebase once left 31 of them) would hide whichever text was meant."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT

FILES = sorted([*(ROOT / "rulesets").rglob("*.yaml"), *(ROOT / "tests" / "rulesets").rglob("*.yaml")])


class _Strict(yaml.SafeLoader):
    pass


def _mapping(loader: _Strict, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: set = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise AssertionError(f"line {key_node.start_mark.line + 1}: key {key!r} repeated")
        seen.add(key)
    return loader.construct_mapping(node, deep)


_Strict.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_repeated_key(path: Path) -> None:
    yaml.load(path.read_text(encoding="utf-8"), _Strict)  # noqa: S506 (a SafeLoader subclass)


def test_the_check_sees_a_repeated_key() -> None:
    with pytest.raises(AssertionError, match="title_en"):
        yaml.load("a: {title_en: x, title_en: x}", _Strict)  # noqa: S506
