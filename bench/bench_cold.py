"""Cold start: `jifen-check check FILE --format json` as a new process, 10 runs.

check_cold_s is the minimum wall time of the runs (what a quiet machine gives: slower runs measure
other people's work); check_cold_cpu_s the minimum CPU time (user + system) of the process.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLI = Path(sys.executable).with_name("jifen-check")
SAMPLE = ROOT / "samples" / "01-bachelor-degree.yaml"
RUNS = 10
# Any value of PYTHONDONTWRITEBYTECODE (even "0") stops Python writing .pyc files: with it set, as
# it is on the development machines, every run compiled the package from source. A user's install
# (pip compiles a wheel's modules) starts from .pyc files, so the benchmark does too.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def one() -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([str(CLI), "check", str(SAMPLE), "--format", "json"], capture_output=True, env=ENV)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 3, 4):
        sys.exit(f"check failed: {done.stderr.decode()}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "jifen_check")], check=True,
                   stdout=subprocess.DEVNULL)
    one()  # warm the page cache
    runs = [one() for _ in range(RUNS)]
    walls, cpus = [w for w, _ in runs], [c for _, c in runs]
    population = f"samples/{SAMPLE.name}, {RUNS} runs, min"
    print(f"check_cold_s={min(walls):.3f}")
    print(f"check_cold_s.median={statistics.median(walls):.3f}")
    print(f"check_cold_s.max={max(walls):.3f}")
    print(f"check_cold_s.population={population}")
    print(f"check_cold_cpu_s={min(cpus):.3f}")
    print(f"check_cold_cpu_s.median={statistics.median(cpus):.3f}")
    print(f"check_cold_cpu_s.population={population}")


if __name__ == "__main__":
    main()
