"""`make bench`: every benchmark, each in its own process, printing `key=value` lines.

Each figure is the median of at least 3 rounds, alone on its line; `.min`, `.max` and
`.population` (what it was measured on) follow on their own lines, and `mix.*` lines give the
verdict mix. The populations come from bench/population.py (the realistic HR mix) unless named.

- bench_judge.py: judge_mixed_per_s, judge_mixed_cpu_ms, engine_runs_per_applicant_mixed,
  check_mixed_per_s, judge_per_s (the pre-issue-13 easy set);
- bench_cold.py: check_cold_s (min of 10 runs) and its CPU;
- bench_pdf.py: pdf_s_per_checklist and pdf_cpu_s_per_checklist (mixed population, warm);
- bench_batch.py: batch_10k_mixed_s, batch_10k_mixed_cpu_s, batch_10k_mixed_cores_busy,
  batch_pdfs_per_s, batch_50k_parent_peak_mib;
- bench_web.py: api_check_ms_p50 / api_check_ms_p95 / api_check_cpu_ms: `/api/check` of the web
  server, warm (p95 ≤ 100 ms).
The machine is shared: compare wall-clock figures only within one run, CPU figures across runs.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHES = ["bench_judge.py", "bench_cold.py", "bench_pdf.py", "bench_batch.py", "bench_web.py", "bench_plan.py"]


def main() -> int:
    failed = 0
    for name in BENCHES:
        path = HERE / name
        if not path.exists():
            continue
        print(f"== {name}", flush=True)
        failed |= subprocess.call([sys.executable, str(path)], cwd=HERE.parent) != 0
    return failed


if __name__ == "__main__":
    sys.exit(main())
