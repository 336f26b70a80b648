"""Batch benchmark on the realistic mixed population (bench/population.py), through the real command.

    .venv/bin/python bench/bench_batch.py [--employees 10000] [--rounds 3] [--pdf-employees 200]
                                          [--memory-employees 50000 | --no-memory]

Workbooks go to bench/data/ (gitignored) and are reused. Figures (median of the rounds, with
.min/.max/.population lines):
- batch_10k_mixed_s: `batch --no-pdf` over the 10k mixed workbook, wall seconds;
- batch_10k_mixed_cpu_s: CPU seconds of the batch process and all its workers;
- batch_10k_mixed_parent_cpu_s: CPU seconds of the batch process alone (reading the workbook,
  handing people to the workers, writing results.jsonl and summary.xlsx);
- batch_10k_mixed_cores_busy: CPU seconds / wall seconds, how many cores worked on average;
- batch_pdfs_per_s: checklists per second, 200 mixed staff, `--jobs 2`, PDFs on;
- batch_50k_parent_peak_mib: peak resident memory of the parent process on a 50k workbook.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.population import AS_OF, mixed, write_workbook  # noqa: E402

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
CLI = Path(sys.executable).with_name("jifen-check")
# Runs the CLI in this child process and reports its own peak RSS (workers are other processes).
PEAK = ("import resource, sys, atexit\n"
        "atexit.register(lambda: print(f'# parent_peak_kib={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}',"
        " file=sys.stderr))\n"
        "from jifen_check.cli import main\n"
        "sys.argv = ['jifen-check'] + sys.argv[1:]\n"
        "main()\n")


def ensure_workbook(n: int) -> Path:
    DATA.mkdir(parents=True, exist_ok=True)
    path = DATA / f"mixed-{n}.xlsx"
    if not path.exists():
        started = time.perf_counter()
        tmp = path.with_suffix(".tmp.xlsx")
        write_workbook(tmp, mixed(n))
        tmp.replace(path)
        print(f"# wrote {path.name} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return path


TICK = os.sysconf("SC_CLK_TCK")


def session_cpu(sid: int) -> dict[int, float]:
    """CPU seconds so far of every process in session `sid` (the batch and its workers)."""
    out = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == sid:  # field 6 of stat: the session id
            out[int(entry)] = (int(fields[11]) + int(fields[12])) / TICK  # utime + stime
    return out


def run_batch(inp: Path, out: Path, *extra: str, peak: bool = False) -> tuple[float, float, int, list[float], float]:
    """(wall s, CPU s of all its processes, parent peak KiB or 0, cores busy per tenth of the run,
    CPU s of the batch process itself: reading, assembling and writing the summaries).

    Workers are not children the benchmark can wait for, so their CPU is sampled from /proc every
    0.2 s (the last sample of each process counts: at most 0.2 s of a worker's end is missed).
    """
    shutil.rmtree(out, ignore_errors=True)
    cmd = ([sys.executable, "-c", PEAK] if peak else [str(CLI)]) + ["batch", str(inp), "--out", str(out),
                                                                     "--as-of", AS_OF, *extra]
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    seen: dict[int, float] = {}
    samples: list[tuple[float, float]] = []
    while proc.poll() is None:
        seen.update(session_cpu(proc.pid))
        samples.append((time.perf_counter() - started, sum(seen.values())))
        time.sleep(0.2)
    stdout, stderr = proc.communicate()
    wall = time.perf_counter() - started
    if proc.returncode not in (0, 5):
        sys.exit(f"batch failed ({proc.returncode}):\n{stderr}")
    kib = next((int(line.split("=")[1]) for line in stderr.splitlines() if "parent_peak_kib=" in line), 0)
    return wall, max(sum(seen.values()), 0.0), kib, _tenths(samples, wall), seen.get(proc.pid, 0.0)


def _tenths(samples: list[tuple[float, float]], wall: float) -> list[float]:
    """Average cores busy in each tenth of the run, from the cumulative CPU samples."""
    out = []
    for k in range(10):
        lo, hi = wall * k / 10, wall * (k + 1) / 10
        inside = [(t, c) for t, c in samples if lo <= t <= hi]
        if len(inside) >= 2:
            out.append((inside[-1][1] - inside[0][1]) / max(inside[-1][0] - inside[0][0], 1e-9))
    return out


def emit(key: str, values: list[float], population: str, fmt: str = "{:.2f}") -> None:
    print(f"{key}={fmt.format(statistics.median(values))}")
    print(f"{key}.min={fmt.format(min(values))}")
    print(f"{key}.max={fmt.format(max(values))}")
    print(f"{key}.population={population}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--pdf-employees", type=int, default=200)
    parser.add_argument("--memory-employees", type=int, default=50_000)
    parser.add_argument("--no-memory", action="store_true", help="skip the 50k memory figure")
    args = parser.parse_args()

    big = ensure_workbook(args.employees)
    runs = [run_batch(big, DATA / "out-big", "--no-pdf") for _ in range(args.rounds)]
    pop = f"mixed {args.employees} staff xlsx (bench/population.py), --no-pdf, all cores"
    emit("batch_10k_mixed_s", [r[0] for r in runs], pop)
    emit("batch_10k_mixed_cpu_s", [r[1] for r in runs], pop)
    emit("batch_10k_mixed_parent_cpu_s", [r[4] for r in runs], pop)
    emit("batch_10k_mixed_cores_busy", [r[1] / r[0] for r in runs], pop)
    print("batch_10k_mixed_cores_busy.by_tenth=" + " ".join(f"{c:.1f}" for c in runs[-1][3]))

    small = ensure_workbook(args.pdf_employees)
    rates = [args.pdf_employees / run_batch(small, DATA / "out-pdf", "--pdf", "--jobs", "2")[0]
             for _ in range(args.rounds)]
    emit("batch_pdfs_per_s", rates, f"mixed {args.pdf_employees} staff xlsx, --pdf --jobs 2")

    if not args.no_memory:
        huge = ensure_workbook(args.memory_employees)
        # 50,000 people are 2.4 million month rows: more than one xlsx sheet holds in Excel (1,048,576
        # rows) and more than the batch's default limits accept, which protect users from a stray far
        # cell. The figure measures memory on this size anyway, so the limits are raised for it.
        kib = run_batch(huge, DATA / "out-huge", "--no-pdf", "--max-cells", "100000000", "--max-unzipped-mb", "4000",
                        peak=True)[2]
        print(f"batch_50k_parent_peak_mib={kib / 1024:.0f}")
        print(f"batch_50k_parent_peak_mib.population=mixed {args.memory_employees} staff xlsx, --no-pdf, one run")


if __name__ == "__main__":
    main()
