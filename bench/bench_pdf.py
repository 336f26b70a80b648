"""Warm PDF render time per checklist, on the people a batch renders.

Prints `pdf_s_per_checklist=<seconds>` (wall) and `pdf_cpu_s_per_checklist=<seconds>` (CPU of this
process, comparable on a busy machine): the median of 3 rounds over the first N people of the mixed
population (bench/population.py, judged with routes), with .min/.max/.population lines.
Target (issue 13): pdf_s_per_checklist <= 0.2 s.
usage: .venv/bin/python bench/bench_pdf.py [N]
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.population import AS_OF, mixed  # noqa: E402
from jifen_check.judge import judge  # noqa: E402
from jifen_check.render.pdf import render_checklist_pdf  # noqa: E402
from jifen_check.result import Result  # noqa: E402


def mixed_results(n: int) -> list[Result]:
    """What a batch renders: people of the realistic mix, judged with their routes."""
    day = dt.date.fromisoformat(AS_OF)
    return [judge(doc, as_of=day, with_routes=True) for doc in mixed(n)]


def main(people: int = 12, rounds: int = 3) -> None:
    results = mixed_results(people)
    walls, cpus = [], []
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "checklist.pdf"
        render_checklist_pdf(results[0], out)  # warm-up: fonts, CSS, template compiled once
        for _ in range(rounds):
            wall, cpu = time.perf_counter(), time.process_time()
            for result in results:
                render_checklist_pdf(result, out)
            walls.append((time.perf_counter() - wall) / people)
            cpus.append((time.process_time() - cpu) / people)
    population = f"checklists of the first {people} people of the mixed population (bench/population.py), warm"
    for key, values in (("pdf_s_per_checklist", walls), ("pdf_cpu_s_per_checklist", cpus)):
        print(f"{key}={statistics.median(values):.3f}")
        print(f"{key}.min={min(values):.3f}")
        print(f"{key}.max={max(values):.3f}")
        print(f"{key}.population={population}", flush=True)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 12)
