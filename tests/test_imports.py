"""Imports run one way: input → facts → rules → result → renderers. No module imports itself back
through another (a cycle), counting imports inside functions too."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "jifen_check"


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts).removesuffix(".__init__")


def imports_of(path: Path, known: set[str]) -> set[str]:
    """The package modules `path` imports anywhere in its body (top level or inside functions)."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("jifen_check"):
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                out.add(sub if sub in known else node.module)
        elif isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name.startswith("jifen_check")}
    return out - {module_name(path)}


def import_graph() -> dict[str, set[str]]:
    files = sorted(PACKAGE.rglob("*.py"))
    known = {module_name(f) for f in files}
    return {module_name(f): imports_of(f, known) & known for f in files}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_the_package_has_no_import_cycle():
    assert cycles(import_graph()) == []


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_layers_import_one_way():
    """The named cross-layer imports of issue 8 stay gone."""
    graph = import_graph()
    assert "jifen_check.judge" not in graph["jifen_check.earliest"]
    assert "jifen_check.facts" not in graph["jifen_check.validate"]
    for core in ("jifen_check.rulebook", "jifen_check.facts", "jifen_check.conditions", "jifen_check.vocabulary"):
        assert not {m for m in graph[core] if m.startswith(("jifen_check.render", "jifen_check.batch"))}, core


def test_the_shared_vocabularies_are_leaves():
    """The one severity order and result format (result.py), the labels table (labels.py) and the YAML
    loader (yamlio.py) sit below every layer that uses them: they import nothing from the package."""
    graph = import_graph()
    for leaf in ("jifen_check.result", "jifen_check.labels", "jifen_check.yamlio"):
        assert graph[leaf] == set(), (leaf, graph[leaf])
