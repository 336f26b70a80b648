"""Judge throughput: parse (JSON text → validated model) + judge, no PDF, one process.

Each synthetic applicant has 48 individual monthly social-insurance rows and 48 tax rows, and the
mix of situations varies (eligible, short 6-of-12, title, non-full-time degree, back-payments).
Runs 3 rounds and prints the best as `judge_per_s=<n>` on its own line.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import datetime as dt  # noqa: E402

from jifen_check.identifiers import make_id_number, make_uscc  # noqa: E402
from jifen_check.judge import judge  # noqa: E402
from jifen_check.validate import parse_text  # noqa: E402

EMPLOYER = make_uscc("91310115MA1K3P7Q0")
ROUNDS = 3


def month(i: int) -> str:
    y, m = divmod(2022 * 12 + 10 + i, 12)
    return f"{y:04d}-{m + 1:02d}"


def applicant(n: int) -> dict:
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


def main(count: int = 2000) -> None:
    texts = [json.dumps(applicant(n), ensure_ascii=False).encode() for n in range(200)]
    for raw in texts[:20]:  # warm-up: compile the ruleset, fill caches
        judge(parse_text(raw, "a.json")[0])
    rates = []
    for _ in range(ROUNDS):
        verdicts: dict[str, int] = {}
        t0 = time.perf_counter()
        for i in range(count):
            doc, _ = parse_text(texts[i % len(texts)], "a.json")
            r = judge(doc)
            verdicts[r.verdict] = verdicts.get(r.verdict, 0) + 1
        elapsed = time.perf_counter() - t0
        rates.append(count / elapsed)
        print(f"judged {count} applicants (48 SI + 48 tax months each) in {elapsed:.2f} s; verdicts {verdicts}")
    # Best of the rounds, as timeit does: slower rounds measure the machine's other work, not ours.
    print(f"rounds: {', '.join(f'{r:.0f}/s' for r in rates)}")
    print(f"judge_per_s={max(rates):.0f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
