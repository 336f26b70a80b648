"""Shared helpers: run the real CLI as a user would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
CLI = ROOT / ".venv" / "bin" / "jifen-check"


def cli_command() -> list[str]:
    return [str(CLI)] if CLI.exists() else [sys.executable, "-m", "jifen_check"]


def run_cli(*args: str, stdin: bytes | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    return subprocess.run(cli_command() + list(args), input=stdin, capture_output=True, cwd=cwd or ROOT,
                          timeout=300, env=env)


def case_file(tmp_path: Path, name: str) -> Path:
    """The applicant of acceptance case `name` (tests/cases) written out as a plain applicant file."""
    import yaml

    doc = yaml.safe_load((ROOT / "tests" / "cases" / f"{name}.yaml").read_text(encoding="utf-8"))["applicant"]
    f = tmp_path / f"{name}.yaml"
    f.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return f


def check_json(path: Path | str, *extra: str) -> tuple[int, dict[str, Any]]:
    p = run_cli("check", str(path), "--format", "json", *extra)
    assert b"Traceback" not in p.stderr, p.stderr.decode()
    return p.returncode, json.loads(p.stdout)


@pytest.fixture
def cli() -> Any:
    return run_cli
