"""Behaviour is unchanged by refactoring: results.jsonl for samples/staff.xlsx (as of 2026-11-18) is
identical to the golden file, through the real `batch` command.

A deliberate change of verdicts, scores, findings or wording regenerates it:
    jifen-check batch samples/staff.xlsx --out /tmp/g --as-of 2026-11-18 --no-pdf
    cp /tmp/g/results.jsonl tests/golden/staff_results.jsonl
and the commit says which change it records.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import ROOT, run_cli

GOLDEN = Path(__file__).parent / "golden" / "staff_results.jsonl"


def test_staff_results_match_the_golden_file(tmp_path: Path) -> None:
    out = tmp_path / "out"
    p = run_cli("batch", str(ROOT / "samples" / "staff.xlsx"), "--out", str(out), "--as-of", "2026-11-18",
                "--no-pdf")
    assert p.returncode in (0, 5), p.stderr.decode()
    got = [json.loads(x) for x in (out / "results.jsonl").read_text(encoding="utf-8").splitlines()]
    want = [json.loads(x) for x in GOLDEN.read_text(encoding="utf-8").splitlines()]
    assert len(got) == len(want) == 30
    for g, w in zip(got, want, strict=True):
        assert g == w, f"{w['applicant'].get('row')}: result differs from tests/golden (see this file's docstring)"
