"""Cold start: `jifen-check check FILE --format json` as a new process, 10 runs.

check_cold_s is the minimum wall time of the runs (what a quiet machine gives: slower runs measure
other people's work); check_cold_cpu_s the minimum CPU time (user + system) of the process. Both with
the disk cache (jifen_check/diskcache.py) as a user has it from the second run on, in a private
folder the warm-up run fills; check_cold_nocache_s / check_cold_nocache_cpu_s are the same runs with
the cache switched off (a first run, or JIFEN_CHECK_NO_CACHE=1).
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
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


def one(env: dict[str, str]) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([str(CLI), "check", str(SAMPLE), "--format", "json"], capture_output=True, env=env)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 3, 4):
        sys.exit(f"check failed: {done.stderr.decode()}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def report(key: str, runs: list[tuple[float, float]], population: str) -> None:
    walls, cpus = [w for w, _ in runs], [c for _, c in runs]
    print(f"{key}_s={min(walls):.3f}")
    print(f"{key}_s.median={statistics.median(walls):.3f}")
    print(f"{key}_s.max={max(walls):.3f}")
    print(f"{key}_s.population={population}")
    print(f"{key}_cpu_s={min(cpus):.3f}")
    print(f"{key}_cpu_s.median={statistics.median(cpus):.3f}")
    print(f"{key}_cpu_s.population={population}", flush=True)


def main() -> None:
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "jifen_check")], check=True,
                   stdout=subprocess.DEVNULL)
    with tempfile.TemporaryDirectory() as cache:
        cached = {**ENV, "JIFEN_CHECK_CACHE_DIR": cache}
        cached.pop("JIFEN_CHECK_NO_CACHE", None)
        uncached = {**ENV, "JIFEN_CHECK_NO_CACHE": "1"}
        one(cached)  # warm the page cache; fills the disk cache
        runs: dict[str, list[tuple[float, float]]] = {"cached": [], "uncached": []}
        for _ in range(RUNS):  # alternating, so that both meet the same load
            runs["cached"].append(one(cached))
            runs["uncached"].append(one(uncached))
    population = f"samples/{SAMPLE.name}, {RUNS} runs, min"
    report("check_cold", runs["cached"], population)
    report("check_cold_nocache", runs["uncached"], population + ", disk cache off")


if __name__ == "__main__":
    main()
