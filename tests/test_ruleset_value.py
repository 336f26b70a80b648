"""The ruleset is a value passed through every layer: `check --ruleset` runs a second, tiny ruleset
(tests/rulesets/tiny: age points only, pass mark 25, no documents) through the real CLI."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from builders import base_applicant

from tests.conftest import run_cli

TINY = Path(__file__).parent / "rulesets" / "tiny"


def test_check_with_another_ruleset(tmp_path: Path) -> None:
    f = tmp_path / "a.yaml"
    f.write_text(yaml.safe_dump(base_applicant(), allow_unicode=True), encoding="utf-8")
    p = run_cli("check", str(f), "--format", "json", "--ruleset", str(TINY))
    r = json.loads(p.stdout)
    assert p.returncode == 0, p.stderr.decode()
    assert r["ruleset"]["id"] == "tiny-test"
    assert [(x["rule"], x["points"]) for x in r["score"]["lines"]] == [("PTS-AGE", 30)]
    assert r["score"]["pass_mark"] == 25 and r["verdict"] == "eligible" and r["checklist"] == []
    default = json.loads(run_cli("check", str(f), "--format", "json").stdout)
    assert default["ruleset"]["id"] == "shanghai-2023" and default["score"]["total"] == 179


def test_a_blocker_of_the_tiny_ruleset(tmp_path: Path) -> None:
    doc = base_applicant()
    doc["residence_permit"]["status"] = "expired"
    f = tmp_path / "b.yaml"
    f.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    p = run_cli("check", str(f), "--format", "json", "--ruleset", str(TINY))
    r = json.loads(p.stdout)
    assert p.returncode == 4 and [x["rule"] for x in r["findings"]] == ["PRE-PERMIT-VALID"]


def test_unknown_ruleset_is_a_clear_error(tmp_path: Path) -> None:
    f = tmp_path / "c.yaml"
    f.write_text(yaml.safe_dump(base_applicant(), allow_unicode=True), encoding="utf-8")
    p = run_cli("check", str(f), "--ruleset", str(tmp_path / "nowhere"))
    assert p.returncode == 1 and "no such ruleset" in p.stderr.decode() and b"Traceback" not in p.stderr
