"""One strict YAML loader (issue 8): yamlio reads the project's data and applicant files alike, and
`batch` says exactly what `check` says about a broken applicant file (one finding, not two)."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
import yaml

from jifen_check import yamlio
from tests.conftest import ROOT, run_cli

BROKEN = {
    "syntax.yaml": b"person:\n  name: [unclosed\n",
    "dupe.yaml": b"person:\n  name: a\n  name: b\n",
    "deep.yaml": b"a: " + b"[" * 50 + b"]" * 50,
    "bomb.yaml": b'a: &a ["x","x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\n'
                 b"c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
                 b"e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\n",
    "baddate.yaml": b"person:\n  birth_date: 2026-13-01\n",
    "empty.yaml": b"   \n",
}


def _messages(result: dict) -> list[str]:
    return [f["message"] for f in result["findings"]]


def test_batch_rejects_a_broken_yaml_file_with_checks_message(tmp_path: Path) -> None:
    folder = tmp_path / "people"
    folder.mkdir()
    for name, raw in BROKEN.items():
        (folder / name).write_bytes(raw)
    out = tmp_path / "out"
    done = run_cli("batch", str(folder), "--out", str(out), "--no-pdf", "--jobs", "1")
    assert done.returncode == 5 and b"Traceback" not in done.stderr, done.stderr.decode()[-500:]
    by_file = {r["applicant"]["row"]: r for r in map(json.loads, (out / "results.jsonl").read_text("utf-8").splitlines())}
    assert set(by_file) == set(BROKEN)
    for name in BROKEN:
        checked = run_cli("check", str(folder / name), "--format", "json")
        assert checked.returncode == 5
        expected = _messages(json.loads(checked.stdout))
        assert len(expected) == 1, expected
        assert _messages(by_file[name]) == expected, name  # the same words, and nothing more
        assert by_file[name]["verdict"] == "invalid_input"


def test_the_guarded_load_refuses_before_building(tmp_path: Path) -> None:
    limits = yamlio.Limits(max_depth=20, max_values=100_000)
    with pytest.raises(yamlio.Refused, match="第 3 行"):
        yamlio.load(BROKEN["dupe.yaml"].decode(), limits)
    with pytest.raises(yamlio.Refused, match="别名"):
        yamlio.load(BROKEN["bomb.yaml"].decode(), limits)
    with pytest.raises(yamlio.Refused, match="嵌套"):
        yamlio.load(BROKEN["deep.yaml"].decode(), limits)
    text = "a: 1\nb: [x, 2024-07-01, {c: 2}]\nd: &x {e: 1}\nf: *x\n"
    assert yamlio.load(text, limits) == yamlio.load(text) == yaml.safe_load(text)


def _yaml_loads(path: Path) -> list[int]:
    """Lines that parse YAML with PyYAML directly (yaml.load/safe_load/full_load or a Loader class)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "yaml" and \
                node.attr in {"load", "safe_load", "full_load", "unsafe_load", "load_all", "safe_load_all",
                              "SafeLoader", "CSafeLoader", "Loader", "CLoader"}:
            found.append(node.lineno)
    return found


def test_only_yamlio_parses_yaml() -> None:
    direct = {str(p.relative_to(ROOT)): lines for p in sorted((ROOT / "jifen_check").rglob("*.py"))
              if (lines := _yaml_loads(p))}
    assert set(direct) == {"jifen_check/yamlio.py"}, direct
