"""A small mixed HR population for the route benchmarks, used until bench/population.py (issue 13,
the speed engineer's realistic generator) is on main: 40 % eligible, 45 % not eligible (mostly
curable), 10 % needs review, 5 % invalid input. Everyone applies on 2026-11-18 with 48 monthly
social-insurance rows (2022-12..2026-11) and 48 income-tax rows (2022-11..2026-10).

    from mix_fallback import mixed
    docs, kinds = mixed(10_000)
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from jifen_check.identifiers import make_id_number, make_uscc

AS_OF = "2026-11-18"
EMPLOYER = make_uscc("91310115MA1K3P7Q0")
AGENCY = make_uscc("91310104MA1FR2K3X")
SUZHOU = make_uscc("91320505MA1MXXC1Q")
AVG = ((2022, 7, 11396), (2023, 7, 12183), (2024, 7, 12307), (2025, 7, 12434))
MIX = (("eligible", 40), ("not_eligible", 45), ("needs_review", 10), ("invalid_input", 5))
# Not eligible, and why: most can be cured (time, a correction, a document, a raise), a few not.
NOT_ELIGIBLE = ("six_of_twelve", "tax_mismatch", "low_base", "permit_wait", "archive", "nonlocal")


def _avg(y: int, m: int) -> int:
    return next(v for yy, mm, v in reversed(AVG) if (y, m) >= (yy, mm))


def _months(last: tuple[int, int], n: int) -> list[tuple[int, int]]:
    out, (y, m) = [], last
    for _ in range(n):
        out.append((y, m))
        y, m = (y - 1, 12) if m == 1 else (y, m - 1)
    return out[::-1]


def _person(rng: random.Random, i: int) -> dict[str, Any]:
    birth = dt.date(1975, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 25))
    return {"name": f"员工{i}", "id_number": make_id_number("320102", birth, f"{i % 1000:03d}"),
            "hukou_province": "江苏", "personnel_archive": "ok", "employee_no": f"M{i:05d}"}


def _doc(rng: random.Random, i: int, factor: float, level: str = "bachelor") -> dict[str, Any]:
    si = [{"month": f"{y:04d}-{m:02d}", "base": round(_avg(y, m) * factor), "payer_uscc": EMPLOYER}
          for y, m in _months((2026, 11), 48)]
    tax = [{"month": f"{y:04d}-{m:02d}", "income": round(_avg(y, m) * factor * rng.uniform(1.0, 1.3)),
            "withholder_uscc": EMPLOYER} for y, m in _months((2026, 10), 48)]
    return {"format": "jifen-check/applicant@1", "as_of": AS_OF, "person": _person(rng, i),
            "residence_permit": {"status": "valid", "valid_until": "2027-09-30", "issued_or_renewed_on": "2026-09-21"},
            "employer": {"name": "上海示例科技有限公司", "uscc": EMPLOYER, "kind": "enterprise"},
            "contract": {"employer_uscc": EMPLOYER, "start": "2021-01-01", "end": None, "position": "工程师"},
            "social_insurance": si, "income_tax": tax,
            "education": [{"level": level, "mode": "full_time", "diploma": True,
                           "degree": level in ("bachelor", "master"), "school": "示例大学",
                           "start": "2008-09", "end": "2012-07", "study_city": "上海"}]}


def eligible(rng: random.Random, i: int) -> dict[str, Any]:
    return _doc(rng, i, rng.choice((1.1, 1.5, 2.2, 3.0)), rng.choice(("bachelor", "master")))


def not_eligible(rng: random.Random, i: int) -> dict[str, Any]:
    kind = rng.choices(NOT_ELIGIBLE, weights=(25, 20, 25, 10, 10, 10))[0]
    if kind == "six_of_twelve":  # a job change: 8 months without contributions before the last 4
        doc = _doc(rng, i, 1.2, "junior_college")
        doc["social_insurance"] = doc["social_insurance"][:36] + doc["social_insurance"][44:]
    elif kind == "tax_mismatch":  # two months declared far below the base (like sample 10)
        doc = _doc(rng, i, 2.1, "junior_college")
        for row in doc["income_tax"][30:32]:
            row["income"] = round(row["income"] * 0.5)
        for row in doc["income_tax"][10:18]:
            row["withholder_uscc"] = AGENCY
    elif kind == "low_base":  # 大专 at 0.9×: a raise or a title is the way
        doc = _doc(rng, i, 0.9, "junior_college")
    elif kind == "permit_wait":  # renewed yesterday: the 3-working-day wait
        doc = _doc(rng, i, 1.2)
        doc["residence_permit"]["issued_or_renewed_on"] = "2026-11-17"
    elif kind == "archive":
        doc = _doc(rng, i, 1.2)
        doc["person"]["personnel_archive"] = "lost"
    else:  # employer registered outside Shanghai: no route
        doc = _doc(rng, i, 1.2)
        doc["employer"]["uscc"] = doc["contract"]["employer_uscc"] = SUZHOU
    return doc


def needs_review(rng: random.Random, i: int) -> dict[str, Any]:
    doc = _doc(rng, i, 1.1, "junior_college")
    doc["education"] = []  # the title alone reaches 120: at risk until its match with the job is shown
    doc["qualifications"] = [{"kind": "professional_title", "level": "intermediate", "name": "工程师",
                              "obtained_on": "2023-05-01", "obtained_by": "exam", "matches_position": "unknown"}]
    return doc


def invalid(rng: random.Random, i: int) -> dict[str, Any]:
    doc = eligible(rng, i)
    idn = doc["person"]["id_number"]
    doc["person"]["id_number"] = idn[:-1] + ("0" if idn[-1] != "0" else "1")  # wrong check character
    return doc


MAKERS = {"eligible": eligible, "not_eligible": not_eligible, "needs_review": needs_review, "invalid_input": invalid}


def mixed(n: int, seed: int = 20261118) -> tuple[list[dict[str, Any]], list[str]]:
    rng = random.Random(seed)
    kinds = rng.choices([k for k, _ in MIX], weights=[w for _, w in MIX], k=n)
    return [MAKERS[k](rng, i) for i, k in enumerate(kinds, 1)], kinds
