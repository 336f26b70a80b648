"""Judge throughput in one process, on two populations (every figure names its population):

- `mixed`: the realistic HR list of bench/population.py (40 % eligible, 45 % not eligible, mostly
  curable, 10 % review, 5 % invalid), 48 SI + 48 tax months each, all different people;
- `easy`: the set this benchmark used before issue 13 (200 people cycled, 80 % eligible), kept so
  that old and new figures compare.

Figures (median of ROUNDS rounds; `.min`, `.max` and the population on their own lines):
- judge_mixed_per_s: parse + judge (verdict, earliest date, checklist), no routes;
- judge_mixed_cpu_ms: CPU milliseconds per applicant for the same (the machine is shared: wall-clock
  rates drift with other people's work, CPU time much less);
- engine_runs_per_applicant_mixed: durable-rules runs per applicant (1 = no projection needed);
- check_mixed_per_s: the `check --format json` command itself, run in this process through click
  (so it includes whatever the command computes: routes, once they exist);
- judge_per_s: the easy set, parse + judge.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import datetime as dt  # noqa: E402

from bench.population import population  # noqa: E402
from jifen_check import engine as engine_module  # noqa: E402
from jifen_check.identifiers import make_id_number, make_uscc  # noqa: E402
from jifen_check.judge import judge  # noqa: E402
from jifen_check.validate import parse_text  # noqa: E402

EMPLOYER = make_uscc("91310115MA1K3P7Q0")
ROUNDS = 3
MIXED_COUNT = 1000
CHECK_COUNT = 300
EASY_COUNT = 1000


def emit(key: str, values: list[float], population_line: str, fmt: str = "{:.0f}") -> None:
    """The median as `key=value`, then min, max and the population, each alone on its line."""
    print(f"{key}={fmt.format(statistics.median(values))}")
    print(f"{key}.min={fmt.format(min(values))}")
    print(f"{key}.max={fmt.format(max(values))}")
    print(f"{key}.population={population_line}")


# ---------------------------------------------------------------- the easy set (unchanged)


def month(i: int) -> str:
    y, m = divmod(2022 * 12 + 10 + i, 12)
    return f"{y:04d}-{m + 1:02d}"


def easy_applicant(n: int) -> dict:
    base = [9000, 13000, 26000, 37302][n % 4]
    start = 0 if n % 7 else 42  # every 7th has only a few recent months
    si = [{"month": month(i), "base": base, "payer_uscc": EMPLOYER, "back_payment": i == 5 and n % 5 == 0}
          for i in range(start, 49)]
    tax = [{"month": month(i), "income": base * 1.1, "withholder_uscc": EMPLOYER} for i in range(start, 48)]
    edu = [{"level": "bachelor", "mode": "full_time" if n % 3 else "self_study", "diploma": True, "degree": True,
            "school": "示例大学", "major": "软件工程", "start": "2008-09", "end": "2012-07",
            "study_city": "上海" if n % 2 else "郑州", "chsi_verifiable": True}]
    quals = [] if n % 4 else [{"kind": "professional_title", "level": "intermediate", "obtained_by": "exam",
                               "obtained_city": "上海", "matches_position": True, "appointed": True}]
    birth = dt.date(1980 + n % 20, 1 + n % 12, 1 + n % 28)
    return {
        "format": "jifen-check/applicant@1", "as_of": "2026-11-18",
        "person": {"name": f"员工{n}", "id_number": make_id_number("310101", birth, f"{n % 1000:03d}"),
                   "hukou_province": "河南", "personnel_archive": "ok"},
        "residence_permit": {"status": "valid", "valid_until": "2027-09-30", "issued_or_renewed_on": "2026-09-20"},
        "employer": {"name": "上海示例科技有限公司", "uscc": EMPLOYER, "kind": "enterprise"},
        "contract": {"start": "2021-01-01", "end": None, "position": "工程师"},
        "social_insurance": si, "income_tax": tax, "education": edu, "qualifications": quals,
    }


# ---------------------------------------------------------------- measuring


class RunCounter:
    """Counts durable-rules runs (Engine.run calls) while active."""

    def __init__(self) -> None:
        self.runs = 0
        self._original = engine_module.Engine.run

    def __enter__(self) -> RunCounter:
        original = self._original

        def counted(engine: object, obs: object) -> object:
            self.runs += 1
            return original(engine, obs)

        engine_module.Engine.run = counted  # type: ignore[method-assign]
        return self

    def __exit__(self, *_: object) -> None:
        engine_module.Engine.run = self._original  # type: ignore[method-assign]


def timed_rounds(texts: list[bytes], count: int, label: str) -> tuple[list[float], list[float], Counter[str]]:
    """Judges `count` texts per round; returns rates (per s), CPU ms per applicant, verdicts."""
    rates, cpu_ms = [], []
    verdicts: Counter[str] = Counter()
    for r in range(ROUNDS):
        verdicts = Counter()
        wall, cpu = time.perf_counter(), time.process_time()
        for i in range(count):
            doc, problems = parse_text(texts[i % len(texts)], "a.json")
            verdicts[judge(doc).verdict] += 1
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        rates.append(count / wall)
        cpu_ms.append(cpu / count * 1000)
        print(f"# {label} round {r + 1}: {count} in {wall:.2f} s wall, {cpu:.2f} s CPU", flush=True)
    return rates, cpu_ms, verdicts


def check_rounds(folder: Path, count: int) -> list[float]:
    from click.testing import CliRunner

    from jifen_check.cli import main

    runner = CliRunner()
    files = sorted(folder.glob("*.json"))[:count]
    rates = []
    for r in range(ROUNDS):
        wall = time.perf_counter()
        for f in files:
            done = runner.invoke(main, ["check", str(f), "--format", "json"])
            if done.exit_code not in (0, 3, 4, 5):
                sys.exit(f"check failed on {f.name}: {done.output}{done.exception!r}")
        wall = time.perf_counter() - wall
        rates.append(len(files) / wall)
        print(f"# check round {r + 1}: {len(files)} in {wall:.2f} s", flush=True)
    return rates


def mix_line(verdicts: Counter[str]) -> str:
    total = sum(verdicts.values())
    return " ".join(f"{v} {verdicts[v] / total:.1%}" for v in ("eligible", "not_eligible", "needs_review",
                                                              "invalid_input"))


def main() -> None:
    people = population(MIXED_COUNT)
    texts = [json.dumps(doc, ensure_ascii=False).encode() for _, _, doc in people]
    for raw in texts[:30]:  # warm-up: compile the ruleset, fill caches
        judge(parse_text(raw, "a.json")[0])

    with RunCounter() as counter:
        rates, cpu_ms, verdicts = timed_rounds(texts, MIXED_COUNT, "mixed")
    pop = f"mixed {MIXED_COUNT} distinct people (bench/population.py, seed 20261118)"
    print(f"mix.mixed={mix_line(verdicts)}")
    emit("judge_mixed_per_s", rates, pop)
    emit("judge_mixed_cpu_ms", cpu_ms, pop, "{:.2f}")
    print(f"engine_runs_per_applicant_mixed={counter.runs / (ROUNDS * MIXED_COUNT):.2f}")
    print(f"engine_runs_per_applicant_mixed.population={pop}")

    with tempfile.TemporaryDirectory() as tmp:
        for i, raw in enumerate(texts[:CHECK_COUNT]):
            (Path(tmp) / f"{i:05d}.json").write_bytes(raw)
        emit("check_mixed_per_s", check_rounds(Path(tmp), CHECK_COUNT),
             f"mixed, first {CHECK_COUNT} people, `check FILE --format json` in one process")

    easy = [json.dumps(easy_applicant(n), ensure_ascii=False).encode() for n in range(200)]
    rates, cpu_ms, verdicts = timed_rounds(easy, EASY_COUNT, "easy")
    pop = "easy: 200 people cycled, the pre-issue-13 set"
    print(f"mix.easy={mix_line(verdicts)}")
    emit("judge_per_s", rates, pop)
    emit("judge_cpu_ms", cpu_ms, pop, "{:.2f}")


if __name__ == "__main__":
    main()
