"""The one YAML loader: the project's data (rulesets, reference data, the document catalogue, labels)
and applicant files (`check`, `batch`, the web app, through validate.parse_text).

libyaml's C loader parses the rulebook about 10× faster than PyYAML's Python one (the rulebook is
most of `check`'s cold start). Both PyYAML loaders let a repeated key silently replace the first;
for the project's own data that would turn a rule or a parameter off without a word, so this loader
refuses a duplicate key and names its line, as a YAML error (with `problem_mark`) like any other.

An applicant file is untrusted: `load(text, limits)` checks the node graph before building it
(nesting depth, values with aliases expanded, repeated keys) and refuses with `Refused`, whose
message is written for the person who typed the file.
"""

from __future__ import annotations

from dataclasses import dataclass
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


class Refused(ValueError):
    """An untrusted file over a limit, or with a repeated key; the message names the line."""


@dataclass(frozen=True)
class Limits:
    max_depth: int
    max_values: int  # after expanding aliases (each use counts again)


def load(text: str, limits: Limits | None = None) -> Any:
    """Parse YAML text strictly. Raises yaml.YAMLError (with the line) on any problem, and with
    `limits` (an untrusted file) Refused before building anything too deep, too big or repeated."""
    if limits is None:
        return yaml.load(text, Loader=StrictLoader)  # noqa: S506 - StrictLoader is a SafeLoader
    loader = _Base(text)  # the node check below refuses repeated keys before anything is built
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_nodes(node, limits)
        return loader.construct_document(node)
    finally:
        loader.dispose()


def _check_nodes(root: yaml.Node, limits: Limits) -> None:
    """Depth, and size with aliases expanded (an alias is a reference; expanded by serialisation,
    ten nested aliases are a billion values), checked on the node graph before it is built."""
    sizes: dict[int, int] = {}
    stack: list[tuple[yaml.Node, int, bool]] = [(root, 1, False)]
    while stack:  # iterative post-order: children's expanded sizes first
        node, depth, done = stack.pop()
        if depth > limits.max_depth:
            mark = node.start_mark
            raise Refused(f"嵌套层数超过 {limits.max_depth} 层（第 {mark.line + 1} 行）")
        key = id(node)
        if key in sizes and not done:
            continue
        kids = _kids(node)
        if not done and isinstance(node, yaml.MappingNode):
            _unique_keys(node)
        if not done:
            stack.append((node, depth, True))
            stack.extend((k, depth + 1, False) for k in kids if id(k) not in sizes)
            continue
        sizes[key] = 1 + sum(sizes.get(id(k), 1) for k in kids)
        if sizes[key] > limits.max_values:
            mark = node.start_mark
            raise Refused(f"展开锚点/别名（& 与 *）后共超过 {limits.max_values:,} 个值（第 {mark.line + 1} 行起），拒绝读取")


def _unique_keys(node: yaml.MappingNode) -> None:
    seen: set[str] = set()
    for key, _ in node.value:
        if not isinstance(key, yaml.ScalarNode) or key.tag == "tag:yaml.org,2002:merge":
            continue
        if key.value in seen:
            raise Refused(f"第 {key.start_mark.line + 1} 行：键「{key.value[:40]}」在同一层重复出现（后一个会悄悄覆盖前一个），请删除其中一个")
        seen.add(key.value)


def _kids(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def describe(e: yaml.YAMLError) -> str:
    """One line: where, then what (「第 5 行第 1 列：键 'id' 重复（第 1 行已出现）」)."""
    problem = getattr(e, "problem", None) or str(e).replace("\n", " ")
    return f"{where(e)}：{problem}" if where(e) else str(problem)


def where(e: yaml.YAMLError) -> str:
    """「第 N 行第 M 列」 for an error with a position, else ""."""
    mark = getattr(e, "problem_mark", None)
    return f"第 {mark.line + 1} 行第 {mark.column + 1} 列" if mark is not None else ""
