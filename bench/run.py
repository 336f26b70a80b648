"""`make bench`: every benchmark, each in its own process, printing its `name=value` lines.

- judge_per_s: parse + judge, 48 SI + 48 tax months per applicant, one process (target ≥ 600).
- pdf_s_per_checklist: warm render of a 2-page checklist (target ≤ 0.6 s).
- batch_10k_s / batch_pdfs_per_s: the whole batch command on a synthetic workbook (target ≤ 30 s).
- api_check_ms_p50 / api_check_ms_p95 / api_check_cpu_ms: `/api/check` of the web server, warm (p95 ≤ 100 ms).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHES = ["bench_judge.py", "bench_pdf.py", "bench_batch.py", "bench_web.py", "bench_plan.py"]


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
