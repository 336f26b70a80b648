"""Reading the project's YAML data (rulesets, reference data, the document catalogue, labels).

libyaml's C loader parses the rulebook about 10× faster than PyYAML's Python one (the rulebook is
most of `check`'s cold start). Both PyYAML loaders let a repeated key silently replace the first;
for the project's own data that would turn a rule or a parameter off without a word, so this loader
refuses a duplicate key and names its line, as a YAML error (with `problem_mark`) like any other.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode

# The C parser where libyaml is built in (it is in the PyYAML wheels), else the Python one.
_Base: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class StrictLoader(_Base):  # type: ignore[misc, valid-type]
    """Safe loading (plain data only) that rejects a key repeated in one mapping."""

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, Any] = {}
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node, deep=True)
            try:
                first = seen.setdefault(key, key_node)
            except TypeError:  # an unhashable key: the base class reports it
                continue
            if first is not key_node:
                raise ConstructorError(
                    "读取映射时", node.start_mark,
                    f"键 {key!r} 重复（第 {first.start_mark.line + 1} 行已出现）", key_node.start_mark)
        return super().construct_mapping(node, deep=deep)


def load(text: str) -> Any:
    """Parse YAML text strictly. Raises yaml.YAMLError (with the line) on any problem."""
    return yaml.load(text, Loader=StrictLoader)  # noqa: S506 - StrictLoader is a SafeLoader


def describe(e: yaml.YAMLError) -> str:
    """One line: where, then what (「第 5 行第 1 列：键 'id' 重复（第 1 行已出现）」)."""
    problem = getattr(e, "problem", None) or str(e).replace("\n", " ")
    return f"{where(e)}：{problem}" if where(e) else str(problem)


def where(e: yaml.YAMLError) -> str:
    """「第 N 行第 M 列」 for an error with a position, else ""."""
    mark = getattr(e, "problem_mark", None)
    return f"第 {mark.line + 1} 行第 {mark.column + 1} 列" if mark is not None else ""
