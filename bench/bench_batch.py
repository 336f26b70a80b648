"""Batch benchmark: 10,000 employees, 48 monthly social-insurance and 48 tax rows each.

    .venv/bin/python bench/bench_batch.py [--employees 10000] [--pdf-employees 20]

Writes the synthetic workbook to bench/data/ (gitignored; reused while its parameters match),
then runs the real command `jifen-check batch --no-pdf` over it and prints `batch_10k_s=<seconds>`,
then a small run with PDFs and prints `batch_pdfs_per_s=<checklists per second>`.
Target: 10k in ≤ 30 s on a 2-core machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

from openpyxl import Workbook

from jifen_check.batch.columns import EDUCATION, INCOME_TAX, PERSONS, SOCIAL_INSURANCE, Sheet, option_label
from jifen_check.identifiers import make_id_number, make_uscc

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
CLI = Path(sys.executable).with_name("jifen-check")
AS_OF = "2026-11-18"
USCC = make_uscc("91310115MA1K3P7Q0")
AVG = ((2022, 7, 11396), (2023, 7, 12183), (2024, 7, 12307), (2025, 7, 12434))
PROVINCES = ("320102", "340104", "410105", "430102", "510104", "130102", "370102", "420102")


def avg_wage(year: int, month: int) -> int:
    return next(v for y, m, v in reversed(AVG) if (year, month) >= (y, m))


def _months() -> list[tuple[int, int]]:
    """The 48 months up to and including the application month 2026-11."""
    out, (y, m) = [], (2026, 11)
    for _ in range(48):
        out.append((y, m))
        y, m = (y - 1, 12) if m == 1 else (y, m - 1)
    return out[::-1]


def _header(sheet: Sheet, fields: tuple[str, ...]) -> list[str]:
    by_field = {c.field: c.header for c in sheet.columns}
    return [by_field[f] for f in fields]


PERSON_FIELDS = ("person.employee_no", "person.name", "person.id_number", "person.hukou_province",
                 "person.personnel_archive", "residence_permit.status", "residence_permit.valid_until",
                 "residence_permit.issued_or_renewed_on", "employer.name", "employer.uscc", "employer.kind",
                 "contract.start", "contract.position")


def _label(sheet: Sheet, field: str, code: str) -> str:
    return option_label(next(c for c in sheet.columns if c.field == field), code)


def write_workbook(path: Path, n: int, seed: int = 20261118) -> None:
    """Writes the synthetic staff workbook (openpyxl write-only: rows stream to disk)."""
    rng = random.Random(seed)
    wb = Workbook(write_only=True)
    persons, si, tax, edu = (wb.create_sheet(s.title) for s in (PERSONS, SOCIAL_INSURANCE, INCOME_TAX, EDUCATION))
    persons.append(_header(PERSONS, PERSON_FIELDS))
    si.append(_header(SOCIAL_INSURANCE, ("employee_no", "month", "base", "payer_uscc")))
    tax.append(_header(INCOME_TAX, ("employee_no", "month", "income", "withholder_uscc")))
    edu.append(_header(EDUCATION, ("employee_no", "level", "mode", "diploma", "degree", "school", "start", "end",
                                   "study_city")))
    months = _months()
    for i in range(1, n + 1):
        no = f"B{i:05d}"
        birth = dt.date(1970, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 33))
        status = "temporary" if rng.random() < 0.03 else "valid"
        persons.append([no, f"员工{i}", make_id_number(rng.choice(PROVINCES), birth, f"{i % 1000:03d}"), "江苏", "正常",
                        _label(PERSONS, "residence_permit.status", status), "2027-09-30", "2026-09-21",
                        "上海示例科技有限公司", USCC, "企业", "2021-01-01", "工程师"])
        _contributions(rng, si, tax, no, months)
        level = rng.choice(("junior_college", "bachelor", "bachelor", "master"))
        edu.append([no, _label(EDUCATION, "level", level), "全日制", "是", "否" if level == "junior_college" else "是",
                    "示例大学", "2008-09", "2012-07", "上海"])
    wb.save(path)


def _contributions(rng: random.Random, si, tax, no: str, months: list[tuple[int, int]]) -> None:
    factor = rng.choice((0.7, 0.9, 1.0, 1.2, 2.0, 3.0))
    gap = rng.random() < 0.05  # a job change: 8 months without contributions before the last 4
    broken = rng.random() < 0.005  # a base typed as words
    for k, (y, m) in enumerate(months):
        if gap and 36 <= k < 44:
            continue
        base: object = round(avg_wage(y, m) * factor)
        month = f"{y:04d}-{m:02d}"
        si.append([no, month, "一万" if broken and k == 40 else base, USCC])
        if (y, m) < (2026, 11):
            tax.append([no, month, round(float(base) * rng.uniform(0.95, 1.3)), USCC])


def ensure_workbook(n: int) -> Path:
    DATA.mkdir(parents=True, exist_ok=True)
    path = DATA / f"staff-{n}.xlsx"
    if not path.exists():
        started = time.perf_counter()
        tmp = path.with_suffix(".tmp.xlsx")
        write_workbook(tmp, n)
        tmp.replace(path)
        print(f"# wrote {path.name} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return path


def run_cli(inp: Path, out: Path, *extra: str) -> float:
    shutil.rmtree(out, ignore_errors=True)
    started = time.perf_counter()
    done = subprocess.run([str(CLI), "batch", str(inp), "--out", str(out), "--as-of", AS_OF, *extra],
                          capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"batch failed ({done.returncode}):\n{done.stderr}")
    print(f"# {done.stdout.strip().splitlines()[0]}", file=sys.stderr)
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=10_000)
    parser.add_argument("--pdf-employees", type=int, default=20)
    args = parser.parse_args()
    big = ensure_workbook(args.employees)
    seconds = run_cli(big, DATA / "out-big", "--no-pdf")
    print(f"batch_10k_s={seconds:.2f}")
    small = ensure_workbook(args.pdf_employees)
    seconds = run_cli(small, DATA / "out-pdf", "--pdf")
    print(f"batch_pdfs_per_s={args.pdf_employees / seconds:.2f}")


if __name__ == "__main__":
    main()
