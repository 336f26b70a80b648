"""`/api/check` of `jifen-check serve`, warm: latency p50/p95 and server CPU per request.

Starts the real server (`jifen-check serve --port 0`), sends the realistic HR population of
bench/population.py (issue 13's mix: 40% eligible, 45% not eligible, 10% review, 5% invalid; 48+48
months; routes are included whenever the result carries them), one request at a time, in 3 rounds,
and prints the median of the rounds (min and max on their own lines):
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

from population import AS_OF, mixed  # noqa: E402

TOKEN = "bench-token"
WARM = 40
COUNT = 200  # requests per round
ROUNDS = 3


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
    rounds: list[tuple[float, float, float]] = []
    verdicts: dict[str, int] = {}
    try:
        url = proc.stdout.readline().decode().split("/?")[0]  # type: ignore[union-attr]
        bodies = [json.dumps(d, ensure_ascii=False).encode() for d in mixed(count)]
        with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=60,
                          params={"as_of": AS_OF}) as c:
            _wait(c)
            for i in range(WARM):
                c.post("/api/check", content=bodies[i % len(bodies)])
            for _ in range(ROUNDS):
                rounds.append(_round(c, proc.pid, bodies, verdicts))
    finally:
        proc.terminate()
        proc.wait(30)
    print(f"population=bench/population.py mixed {count} people x {ROUNDS} rounds, sequential, warm, as of {AS_OF}")
    print("mix=" + ",".join(f"{k}:{v // ROUNDS}" for k, v in sorted(verdicts.items())))
    for k, name in enumerate(("api_check_ms_p50", "api_check_ms_p95", "api_check_cpu_ms")):
        values = [r[k] for r in rounds]
        print(f"{name}={statistics.median(values):.1f}")
        print(f"{name}_min={min(values):.1f}")
        print(f"{name}_max={max(values):.1f}")


def _round(c: httpx.Client, pid: int, bodies: list[bytes], verdicts: dict[str, int]) -> tuple[float, float, float]:
    times = []
    cpu0 = _tree_cpu_s(pid)
    for body in bodies:
        t0 = time.perf_counter()
        r = c.post("/api/check", content=body)
        times.append((time.perf_counter() - t0) * 1000)
        v = r.json()["verdict"] if r.status_code == 200 else "invalid_input"
        verdicts[v] = verdicts.get(v, 0) + 1
    cpu = (_tree_cpu_s(pid) - cpu0) * 1000 / len(bodies)
    q = statistics.quantiles(times, n=100)
    return q[49], q[94], cpu


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
