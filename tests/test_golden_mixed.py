"""Results stay identical through speed work (issue 13): `batch --no-pdf` over a workbook of the
realistic mixed population (bench/population.py) must write results.jsonl byte for byte as the
golden file does. The golden file was written by the code before the issue-13 changes (the 10k
workbook was compared the same way, see README「性能」).

A deliberate change of results (a rule fixed) regenerates it:
    JIFEN_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden_mixed.py
and the commit says why the results changed.
"""

from __future__ import annotations

import gzip
import os
from pathlib import Path

from bench.population import AS_OF, mixed, write_workbook
from tests.conftest import ROOT, run_cli

GOLDEN = ROOT / "tests" / "golden" / "mixed-200.results.jsonl.gz"
PEOPLE = 200


def test_batch_results_match_the_golden_file(tmp_path: Path) -> None:
    workbook = tmp_path / "mixed.xlsx"
    write_workbook(workbook, mixed(PEOPLE))
    done = run_cli("batch", str(workbook), "--out", str(tmp_path / "out"), "--no-pdf", "--as-of", AS_OF)
    assert done.returncode in (0, 5), done.stderr.decode()
    got = (tmp_path / "out" / "results.jsonl").read_bytes()
    if os.environ.get("JIFEN_UPDATE_GOLDEN"):
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_bytes(gzip.compress(got, mtime=0))
    want = gzip.decompress(GOLDEN.read_bytes())
    if got != want:
        got_lines, want_lines = got.decode().splitlines(), want.decode().splitlines()
        assert len(got_lines) == len(want_lines) == PEOPLE
        first = next(i for i, (a, b) in enumerate(zip(got_lines, want_lines, strict=True)) if a != b)
        assert got_lines[first] == want_lines[first], f"results.jsonl line {first + 1} differs"
    assert got.count(b"\n") == PEOPLE
