"""`/api/check` of `jifen-check serve`, warm: latency p50/p95 and server CPU per request.

Starts the real server (`jifen-check serve --port 0`), sends the realistic mix of bench_judge.py
(48 SI + 48 tax months each, eligible / short 6-of-12 / title / non-full-time degree / back-payments;
routes are included whenever the result carries them), one request at a time, and measures:
- api_check_ms_p50 / api_check_ms_p95: wall time per request as the client sees it;
- api_check_cpu_ms: CPU time of the server and its worker processes per request (from /proc),
  comparable on a busy machine where wall time is not.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_judge import applicant  # noqa: E402

TOKEN = "bench-token"
WARM = 40
COUNT = 400


def _tree_cpu_s(pid: int) -> float:
    """utime+stime of pid and all its descendants (live ones), in seconds."""
    tick = os.sysconf("SC_CLK_TCK")
    children: dict[int, list[int]] = {}
    stats: dict[int, list[str]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            text = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = text[text.rindex(")") + 2 :].split()
        stats[int(entry)] = fields
        children.setdefault(int(fields[1]), []).append(int(entry))
    total, todo = 0.0, [pid]
    while todo:
        p = todo.pop()
        if p in stats:
            total += (int(stats[p][11]) + int(stats[p][12])) / tick
        todo += children.get(p, [])
    return total


def main(count: int = COUNT) -> None:
    cli = ROOT / ".venv" / "bin" / "jifen-check"
    proc = subprocess.Popen([str(cli), "serve", "--port", "0", "--token", TOKEN], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, cwd=ROOT)
    try:
        url = proc.stdout.readline().decode().split("/?")[0]  # type: ignore[union-attr]
        bodies = [json.dumps(applicant(n), ensure_ascii=False).encode() for n in range(200)]
        with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=60) as c:
            _wait(c)
            for i in range(WARM):
                c.post("/api/check", content=bodies[i % len(bodies)]).raise_for_status()
            times, verdicts = [], {}
            cpu0 = _tree_cpu_s(proc.pid)
            for i in range(count):
                t0 = time.perf_counter()
                r = c.post("/api/check", content=bodies[i % len(bodies)])
                times.append((time.perf_counter() - t0) * 1000)
                r.raise_for_status()
                v = r.json()["verdict"]
                verdicts[v] = verdicts.get(v, 0) + 1
            cpu = (_tree_cpu_s(proc.pid) - cpu0) * 1000 / count
    finally:
        proc.terminate()
        proc.wait(30)
    q = statistics.quantiles(times, n=100)
    print(f"{count} sequential /api/check requests, warm; verdicts {verdicts}")
    print(f"api_check_ms_p50={q[49]:.1f}")
    print(f"api_check_ms_p95={q[94]:.1f}")
    print(f"api_check_cpu_ms={cpu:.1f}")


def _wait(c: httpx.Client) -> None:
    for _ in range(600):
        try:
            if c.get("/openapi.json").status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise SystemExit("server did not start")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else COUNT)
