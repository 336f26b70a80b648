"""Route benchmarks (issue 10).

    .venv/bin/python bench/bench_plan.py [--applicants 300] [--employees 10000]

- plan_ms_p50 / plan_ms_p95: `plan` for one applicant in-process (parse + judge + earliest date +
  routes, each route verified by the judge), over not-eligible and needs-review applicants with 48 SI
  and 48 tax months. Target p95 ≤ 50 ms.
- batch_10k_mixed_s: the real `jifen-check batch --no-pdf` (routes included) over 10,000 people of a
  mixed HR population. Target ≤ 40 s on 2 cores.

The population is bench/population.py (issue 13), the one mixed HR population of all benchmarks.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
DATA = HERE / "data"
CLI = Path(sys.executable).with_name("jifen-check")


def population(n: int) -> tuple[list[dict], str]:
    from population import mixed

    return mixed(n), "population.py"


def plan_times(docs: list[dict]) -> tuple[list[float], Counter[str]]:
    from jifen_check.judge import judge_full

    for d in docs[:5]:
        judge_full(d, with_routes=True)  # warm the engine and caches
    times, verdicts = [], Counter()
    for d in docs:
        started = time.perf_counter()
        r = judge_full(d, with_routes=True).result
        elapsed = (time.perf_counter() - started) * 1000
        verdicts[r.verdict] += 1
        if r.verdict in ("not_eligible", "needs_review"):
            times.append(elapsed)
    return times, verdicts


def batch_seconds(docs: list[dict]) -> float:
    folder, out = DATA / f"mixed-{len(docs)}", DATA / "out-mixed"
    if not folder.exists():
        tmp = folder.with_suffix(".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        for i, d in enumerate(docs):
            (tmp / f"{i:05d}.json").write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")
        tmp.replace(folder)
    shutil.rmtree(out, ignore_errors=True)
    started = time.perf_counter()
    done = subprocess.run([str(CLI), "batch", str(folder), "--out", str(out), "--as-of", "2026-11-18", "--no-pdf"],
                          capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode not in (0, 5):
        sys.exit(f"batch failed ({done.returncode}):\n{done.stderr}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applicants", type=int, default=400)
    parser.add_argument("--employees", type=int, default=10_000)
    args = parser.parse_args()
    docs, source = population(args.applicants)
    times, verdicts = plan_times(docs)
    q = statistics.quantiles(times, n=100)
    print(f"plan_ms_p50={statistics.median(times):.1f}")
    print(f"plan_ms_p95={q[94]:.1f}")
    print(f"# plan over {len(times)} not-eligible/needs-review of {len(docs)} ({source}): "
          + ", ".join(f"{k} {v}" for k, v in sorted(verdicts.items())))
    if args.employees:
        big, _ = population(args.employees)
        seconds = batch_seconds(big)
        print(f"batch_10k_mixed_s={seconds:.2f}")
        print(f"# mix ({source}, {len(big)}): see results verdicts in bench/data/out-mixed/summary.xlsx 统计")


if __name__ == "__main__":
    main()
