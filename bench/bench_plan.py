"""Route benchmarks (issue 10).

    .venv/bin/python bench/bench_plan.py [--applicants 400] [--rounds 3]

- plan_ms_p50 / plan_ms_p95: what `plan` computes for one applicant, in-process and warm (judge,
  earliest date, routes, each route verified by the judge), over the not-eligible applicants of the
  mixed HR population (48 SI and 48 tax months). Target p95 ≤ 50 ms.
- plan_review_ms_p50 / plan_review_ms_p95: the same over not-eligible and needs-review applicants
  together (a needs-review applicant's "as things are" search is the other long one).
- plan_cpu_ms_p95: the first figure in CPU time, steadier on a shared machine.
Each is the median of the rounds' percentiles, with .min/.max/.population lines.

`batch_10k_mixed_s` (routes included, no PDFs) is measured by bench_batch.py on the same population.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_batch import emit  # noqa: E402
from bench.population import mixed  # noqa: E402


def one_round(docs: list[dict]) -> tuple[dict[str, list[float]], Counter[str]]:
    from jifen_check.judge import judge_full

    times: dict[str, list[float]] = {"wall": [], "cpu": [], "review": []}
    verdicts: Counter[str] = Counter()
    for d in docs:
        wall, cpu = time.perf_counter(), time.process_time()
        r = judge_full(d, with_routes=True).result
        wall, cpu = (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000
        verdicts[r.verdict] += 1
        if r.verdict == "not_eligible":
            times["wall"].append(wall)
            times["cpu"].append(cpu)
        if r.verdict in ("not_eligible", "needs_review"):
            times["review"].append(wall)
    return times, verdicts


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[94]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applicants", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    docs = mixed(args.applicants)
    from jifen_check.judge import judge_full

    for d in docs[:5]:
        judge_full(d, with_routes=True)  # warm the engine and caches
    rounds = [one_round(docs) for _ in range(args.rounds)]
    verdicts = rounds[0][1]
    mix = ", ".join(f"{k} {v}" for k, v in sorted(verdicts.items()))
    pop = f"{verdicts['not_eligible']} not-eligible of {len(docs)} mixed (bench/population.py: {mix}), warm, one process"
    emit("plan_ms_p50", [statistics.median(t["wall"]) for t, _ in rounds], pop, "{:.1f}")
    emit("plan_ms_p95", [p95(t["wall"]) for t, _ in rounds], pop, "{:.1f}")
    emit("plan_cpu_ms_p95", [p95(t["cpu"]) for t, _ in rounds], pop, "{:.1f}")
    both = verdicts["not_eligible"] + verdicts["needs_review"]
    pop_review = f"{both} not-eligible or needs-review of {len(docs)} mixed (bench/population.py), warm, one process"
    emit("plan_review_ms_p50", [statistics.median(t["review"]) for t, _ in rounds], pop_review, "{:.1f}")
    emit("plan_review_ms_p95", [p95(t["review"]) for t, _ in rounds], pop_review, "{:.1f}")


if __name__ == "__main__":
    main()
