"""A realistic HR population for benchmarks: the mix a real staff list has (issue 13).

    from bench.population import mixed, write_workbook, MIX
    docs = mixed(10_000)                       # applicant@1 documents, deterministic for a seed
    write_workbook(Path("staff.xlsx"), docs)   # the same people as a batch workbook

Target mix (by construction; `bench_judge.py` prints the verdicts it actually got):
- 40 % eligible: 大专 to 硕士, some with titles or skills, bases spread across the 0.8×/1×/2×/3× bands;
- 45 % not eligible, most curable in time (6-of-12 after a job change, a base band still filling,
  one SI-year block short, the 3-working-day wait after a permit renewal, tax declared below the
  base, a lost personnel archive) and some not (employer
  outside Shanghai, temporary permit, far short of 120 with a low base: looks curable but is not);
- 10 % needs review (title not yet matched to the position, dispatch employer papers unknown);
- 5 % invalid input (bad ID check character, a base typed as words, an impossible month).

Everyone applies on 2026-11-18 with 48 months of social insurance (2022-12..2026-11) and 48 of
income tax (2022-11..2026-10), one row per month, as HR exports them.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jifen_check.identifiers import make_id_number, make_uscc

AS_OF = "2026-11-18"
EMPLOYER = make_uscc("91310115MA1K3P7Q0")  # 上海 浦东新区
SUZHOU = make_uscc("91320506MA1X4B2C0")  # 苏州: not a Shanghai registration
AGENCY = make_uscc("91310104MA1FR2K3X")  # 上海 a payroll agency withholding the tax for a while
AVG = ((2022, 7, 11396), (2023, 7, 12183), (2024, 7, 12307), (2025, 7, 12434))
AREAS = ("320102", "340104", "410105", "430102", "510104", "130102", "370102", "420102")
PROVINCES = ("江苏", "安徽", "河南", "湖南", "四川", "河北", "山东", "湖北")

Doc = dict[str, Any]


def _months(last: tuple[int, int], n: int) -> list[tuple[int, int]]:
    out, (y, m) = [], last
    for _ in range(n):
        out.append((y, m))
        y, m = (y - 1, 12) if m == 1 else (y, m - 1)
    return out[::-1]


SI_MONTHS = _months((2026, 11), 48)
TAX_MONTHS = _months((2026, 10), 48)


def avg_wage(y: int, m: int) -> int:
    return next(v for yy, mm, v in reversed(AVG) if (y, m) >= (yy, mm))


def _ym(y: int, m: int) -> str:
    return f"{y:04d}-{m:02d}"


class Person:
    """Builder for one applicant document."""

    def __init__(self, n: int, rng: random.Random, *, age: int | None = None) -> None:
        self.n, self.rng = n, rng
        age = age if age is not None else rng.randint(24, 43)
        birth = dt.date(2026 - age, 1, 1) - dt.timedelta(days=rng.randrange(0, 300))
        seq = f"{n % 100:02d}{rng.choice('0123456789')}"
        self.doc: Doc = {
            "format": "jifen-check/applicant@1", "as_of": AS_OF,
            "person": {"name": f"员工{n}", "id_number": make_id_number(rng.choice(AREAS), birth, seq),
                       "employee_no": f"M{n:06d}", "hukou_province": rng.choice(PROVINCES),
                       "personnel_archive": "ok"},
            "residence_permit": {"status": "valid", "valid_until": "2027-09-30", "issued_or_renewed_on": "2026-09-21"},
            "employer": {"name": "上海示例科技有限公司", "uscc": EMPLOYER, "kind": "enterprise",
                         "points_system_registered": True},
            "contract": {"employer_uscc": EMPLOYER, "start": "2021-01-01", "end": None, "position": "工程师"},
            "social_insurance": [], "income_tax": [], "education": [], "qualifications": [],
            "records": {"serious_crime": False},
        }

    def pay(self, factor: Callable[[int], float] | float, *, skip: Callable[[int], bool] = lambda k: False,
            payer: str = EMPLOYER) -> Person:
        """48 SI months (and 48 tax months) at avg_wage × factor(k), k = 0 for the oldest month."""
        f = factor if callable(factor) else (lambda k, v=factor: v)
        for k, (y, m) in enumerate(SI_MONTHS):
            if not skip(k):
                self.doc["social_insurance"].append(
                    {"month": _ym(y, m), "base": round(avg_wage(y, m) * f(k)), "payer_uscc": payer})
        for k, (y, m) in enumerate(TAX_MONTHS):
            if not skip(k):
                income = round(avg_wage(y, m) * f(k) * self.rng.uniform(0.98, 1.3))
                self.doc["income_tax"].append({"month": _ym(y, m), "income": income, "withholder_uscc": payer})
        return self

    def edu(self, level: str, *, degree: bool = True, mode: str = "full_time") -> Person:
        start = 2026 - 30 + self.rng.randint(0, 6)
        years = {"junior_college": 3, "bachelor": 4, "master": 3}[level]
        self.doc["education"].append({
            "level": level, "mode": mode, "diploma": True, "degree": degree and level != "junior_college",
            "school": "示例大学", "major": "软件工程", "start": f"{start}-09", "end": f"{start + years}-07",
            "study_city": self.rng.choice(("上海", "南京", "郑州", "武汉")), "chsi_verifiable": True})
        return self

    def title(self, level: str = "intermediate", *, matches: object = True, appointed: bool | None = True) -> Person:
        title = {"kind": "professional_title", "level": level, "name": "工程师", "obtained_on": "2022-12-20",
                 "obtained_by": "exam", "obtained_city": "上海", "matches_position": matches}
        if appointed is not None:
            title["appointed"] = appointed
        self.doc["qualifications"].append(title)
        return self

    def skill(self, level: int) -> Person:
        self.doc["qualifications"].append({
            "kind": "skill_level", "level": level, "name": "电工", "obtained_on": "2021-06-30",
            "obtained_by": "exam", "obtained_city": "上海", "matches_position": True, "appointed": True})
        return self


def _spread(rng: random.Random, lo: float, hi: float) -> float:
    return round(rng.uniform(lo, hi), 2)


# Each kind: (verdict it is built for, weight in per mille, builder).
def _eligible_bachelor_degree(p: Person) -> None:  # 90 + 30 + SI years (+ 0.8× band)
    p.edu("bachelor").pay(_spread(p.rng, 0.6, 1.0))


def _eligible_college_1x(p: Person) -> None:  # 50 + 30 + 12 + 50
    p.edu("junior_college").pay(_spread(p.rng, 1.0, 1.6))


def _eligible_master_2x(p: Person) -> None:  # 100 + 30 + 12 + 100
    p.edu("master").pay(_spread(p.rng, 2.0, 2.6))


def _eligible_bachelor_title(p: Person) -> None:  # 60 + 30 + 12 + 50 + 100 (title needs ≥ 1× base)
    p.edu("bachelor", degree=False).pay(_spread(p.rng, 1.05, 1.5)).title()


def _eligible_3x_older(p: Person) -> None:  # 90 + 17..29 + 12 + 120
    p.doc["person"]["id_number"] = _id_with_age(p, p.rng.randint(44, 50))
    p.edu("bachelor").pay(_spread(p.rng, 3.0, 3.0))


def _eligible_college_skill(p: Person) -> None:  # skill 二级 100 (not 大专 50) + 30 + 12 + 50 (base ≥ 1×)
    p.edu("junior_college").pay(_spread(p.rng, 1.0, 1.3)).skill(2)


def _curable_6of12(p: Person) -> None:  # job change: 8 months unpaid, then the last 2..5 months
    recent = p.rng.randint(2, 5)
    p.edu("bachelor").pay(_spread(p.rng, 0.85, 1.2), skip=lambda k: 48 - 8 - recent <= k < 48 - recent)


def _curable_band_filling(p: Person) -> None:  # 大专 at 0.7× until a raise to 1.1×: the 1× band fills up
    raise_at = p.rng.randint(14, 22)  # 26..34 months at ≥ 1× of the 36 the band needs
    p.edu("junior_college").pay(lambda k: 0.7 if k < raise_at else 1.1)


def _curable_si_block(p: Person) -> None:  # 50 + 30 + 12 + 25 = 117: the next 12-month block gives 3
    p.edu("junior_college").pay(_spread(p.rng, 0.8, 0.95))


def _curable_permit_wait(p: Person) -> None:  # permit renewed yesterday: usable on the 3rd working day
    p.doc["residence_permit"]["issued_or_renewed_on"] = "2026-11-17"
    p.edu("bachelor").pay(_spread(p.rng, 0.7, 1.2))


def _curable_tax_mismatch(p: Person) -> None:  # 大专 50 + 30 + 12: the 1× band lacks matching tax months
    # 14 months declared at half the base (an agency withholding for part of the time): 34 matching
    # months of the 36 the band needs, so the band is not counted until new months match.
    p.edu("junior_college").pay(_spread(p.rng, 1.05, 1.3))
    for row in p.doc["income_tax"][24:38]:
        row["income"] = round(row["income"] * 0.5)
    for row in p.doc["income_tax"][10:18]:
        row["withholder_uscc"] = AGENCY


def _curable_archive(p: Person) -> None:  # personnel archive lost: found or rebuilt, then apply
    p.doc["person"]["personnel_archive"] = "lost"
    p.edu("bachelor").pay(_spread(p.rng, 1.0, 1.3))


def _incurable_nonlocal_employer(p: Person) -> None:
    p.doc["employer"].update(uscc=SUZHOU, name="苏州示例科技有限公司")
    p.doc["contract"]["employer_uscc"] = SUZHOU
    p.edu("bachelor").pay(_spread(p.rng, 0.7, 1.2), payer=SUZHOU)


def _incurable_temporary_permit(p: Person) -> None:
    p.doc["residence_permit"]["status"] = "temporary"
    p.edu("bachelor").pay(_spread(p.rng, 0.7, 1.2))


def _incurable_low_base(p: Person) -> None:  # 50 + 5..17 + 12: looks curable (SI years grow), is not
    p.doc["person"]["id_number"] = _id_with_age(p, p.rng.randint(50, 58))
    p.edu("junior_college").pay(_spread(p.rng, 0.6, 0.75))


def _review_title_match(p: Person) -> None:  # 50 + 30 + 12 counted, title 100 at risk
    # ≥ 1× for the last year (the title's base condition) but too few months for the 1× band.
    p.edu("junior_college").pay(lambda k: 0.7 if k < 34 else 1.05)
    p.title(matches="unknown", appointed=None)


def _review_individual_business(p: Person) -> None:  # whether a 个体工商户 may apply is not settled
    p.doc["employer"]["kind"] = "individual_business"
    p.edu("bachelor").pay(_spread(p.rng, 0.7, 1.2))


def _invalid_id(p: Person) -> None:
    idn = p.doc["person"]["id_number"]
    p.doc["person"]["id_number"] = idn[:-1] + ("0" if idn[-1] != "0" else "1")
    p.edu("bachelor").pay(1.0)


def _invalid_base_words(p: Person) -> None:
    p.edu("bachelor").pay(1.0)
    p.doc["social_insurance"][40]["base"] = "一万"


def _invalid_month(p: Person) -> None:
    p.edu("bachelor").pay(1.0)
    p.doc["income_tax"][10]["month"] = "2024-13"


def _id_with_age(p: Person, age: int) -> str:
    birth = dt.date(2026 - age, 1, 1) - dt.timedelta(days=p.rng.randrange(0, 300))
    return make_id_number(p.rng.choice(AREAS), birth, f"{p.n % 100:02d}{p.rng.choice('0123456789')}")


KINDS: list[tuple[str, str, int, Callable[[Person], None]]] = [
    ("eligible", "本科学位", 140, _eligible_bachelor_degree),
    ("eligible", "大专1倍基数", 80, _eligible_college_1x),
    ("eligible", "硕士2倍基数", 60, _eligible_master_2x),
    ("eligible", "本科职称", 60, _eligible_bachelor_title),
    ("eligible", "3倍基数44-50岁", 30, _eligible_3x_older),
    ("eligible", "大专技能二级", 30, _eligible_college_skill),
    ("not_eligible", "可补:6满12", 90, _curable_6of12),
    ("not_eligible", "可补:基数档累计中", 90, _curable_band_filling),
    ("not_eligible", "可补:个税与基数不符", 20, _curable_tax_mismatch),
    ("not_eligible", "可补:档案遗失", 20, _curable_archive),
    ("not_eligible", "可补:差一个社保年", 80, _curable_si_block),
    ("not_eligible", "可补:居住证3个工作日", 40, _curable_permit_wait),
    ("not_eligible", "不可补:外地单位", 40, _incurable_nonlocal_employer),
    ("not_eligible", "不可补:临时居住证", 30, _incurable_temporary_permit),
    ("not_eligible", "不可补:低基数高龄", 40, _incurable_low_base),
    ("needs_review", "职称岗位未确认", 70, _review_title_match),
    ("needs_review", "个体工商户", 30, _review_individual_business),
    ("invalid_input", "身份证校验位错", 20, _invalid_id),
    ("invalid_input", "基数写成文字", 20, _invalid_base_words),
    ("invalid_input", "月份不存在", 10, _invalid_month),
]
MIX = {v: sum(w for kv, _, w, _ in KINDS if kv == v) / 1000 for v in
       ("eligible", "not_eligible", "needs_review", "invalid_input")}


def population(count: int, seed: int = 20261118) -> list[tuple[str, str, Doc]]:
    """`count` applicants in the target mix as (intended verdict, kind label, document), deterministic."""
    rng = random.Random(seed)
    per_mille = [k for k in KINDS for _ in range(k[2])]
    out: list[tuple[str, str, Doc]] = []
    block: list[tuple[str, str, int, Callable[[Person], None]]] = []
    for n in range(1, count + 1):
        if not block:  # every 1000 people hold each kind exactly its weight's number of times
            block = per_mille[:]
            rng.shuffle(block)
        verdict, label, _, build = block.pop()
        p = Person(n, rng)
        build(p)
        out.append((verdict, label, p.doc))
    return out


def mixed(count: int, seed: int = 20261118) -> list[Doc]:
    """`count` applicant documents in the target mix, deterministic for a seed."""
    return [doc for _, _, doc in population(count, seed)]


# ---------------------------------------------------------------- the same people as a workbook


def _path_get(doc: Doc, path: str) -> Any:
    node: Any = doc
    for part in path.replace("[", ".").replace("]", "").split("."):
        if isinstance(node, list):
            idx = int(part)
            node = node[idx] if idx < len(node) else None
        elif isinstance(node, dict):
            node = node.get(part)
        else:
            return None
        if node is None:
            return None
    return node


def _cell(column: Any, value: Any) -> Any:
    from jifen_check.batch.columns import option_label

    if value is None:
        return None
    if column.kind in ("bool", "tristate"):
        return {True: "是", False: "否", "unknown": "不清楚"}.get(value, value)
    if column.kind == "enum":
        try:
            return option_label(column, str(value))
        except (StopIteration, KeyError, ValueError):
            return value
    return value


def write_workbook(path: Path, docs: list[Doc]) -> None:
    """The people as a batch workbook (the template's sheets and Chinese headers), streamed to disk."""
    from openpyxl import Workbook

    from jifen_check.batch.columns import PERSONS, SHEETS

    wb = Workbook(write_only=True)
    detail = [s for s in SHEETS if s.list_path and any(d.get(s.list_path) for d in docs[:200])]
    sheets = {s.key: wb.create_sheet(s.title) for s in (PERSONS, *detail)}
    person_cols = [c for c in PERSONS.columns if any(_path_get(d, c.field) is not None for d in docs[:500])]
    sheets[PERSONS.key].append([c.header for c in person_cols])
    detail_cols = {}
    for s in detail:
        keys = {k for d in docs[:500] for row in d.get(s.list_path) or [] for k in row}
        detail_cols[s.key] = [c for c in s.columns if c.field in keys]
        sheets[s.key].append(["工号", *(c.header for c in detail_cols[s.key])])
    for d in docs:
        sheets[PERSONS.key].append([_cell(c, _path_get(d, c.field)) for c in person_cols])
        no = d["person"]["employee_no"]
        for s in detail:
            for row in d.get(s.list_path) or []:
                sheets[s.key].append([no, *(_cell(c, row.get(c.field)) for c in detail_cols[s.key])])
    wb.save(path)
