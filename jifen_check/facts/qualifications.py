"""Measurements of each title or skill (rules/points.yaml PTS-TITLE, pitfalls.yaml PIT-TITLE-*): its kind
and level (`grade`; the rules decide the tier), how and where it was obtained, Shanghai social insurance
around that date."""

from __future__ import annotations

import datetime as dt
from typing import Any

from jifen_check import labels, reference
from jifen_check import months as mo
from jifen_check.applicant import Qualification
from jifen_check.facts.base import EDU_RANK, MeasurerBase, _tri


class QualificationMeasures(MeasurerBase):
    """One `qual` fact per qualification."""

    def qualifications(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        top_edu = max((EDU_RANK[e.level] for e in self.app.education), default=0)
        facts, details = [], []
        for j, q in enumerate(self.app.qualifications):
            fact, detail = self._qual(j, q, top_edu)
            facts.append(fact)
            details.append(detail)
        return facts, details

    def _qual(self, j: int, q: Qualification, top_edu: int) -> tuple[dict[str, Any], dict[str, Any]]:
        fact = {"t": "qual", "idx": j, "kind": q.kind, "level": str(q.level), "grade": _grade(q),
                "matches": _tri(q.matches_position), "appointed": _tri(q.appointed), **self._where(q),
                "registration": _registration(q), "catalogue": _catalogue(q),
                "title_base_months": self.profile["title_base_months"],
                "only_high_school": 0 < top_edu <= 1}
        detail = {"qual_label": f"{q.name or _qual_zh(q)}（{_qual_zh(q)}）", "obtained_city": q.obtained_city or "未填",
                  "obtained_on": str(q.obtained_on or "未填"), **self._where_detail(q)}
        si_en = detail["obtained_window_si"]
        if q.obtained_on is not None:
            si_en = "; ".join(f"{reference.place_en(p.split(' ', 1)[0])} {p.split(' ', 1)[1].replace('、', ', ')}"
                              .replace(" 无", " none") for p in si_en.split("；"))
        self.qual_en.append({"qual_label": f"{q.name or _qual_en(q)} ({_qual_en(q)})" if q.name else _qual_en(q),
                             "obtained_city": q.obtained_city or "not given", "obtained_window_si": si_en})
        return fact, detail

    def _where(self, q: Qualification) -> dict[str, Any]:
        """PIT-TITLE-WHERE measurements: how it was obtained (by review), the skill level (0 for a
        title), whether the city where it was obtained is in Shanghai, whether it was re-verified in
        Shanghai, and how many months of Shanghai social insurance surround the date it was obtained
        (-1: date unknown). The rule decides which items are restricted and which are verified."""
        around = -1 if q.obtained_on is None else len(self._sh_months_around(q.obtained_on))
        return {"by_review": q.obtained_by == "review",
                "skill_level": q.level if q.kind == "skill_level" and isinstance(q.level, int) else 0,
                "obtained_in_sh": _obtained_in_sh(q), "shanghai_verified": q.shanghai_verified,
                "sh_si_around_obtained": around}

    def _sh_months_around(self, day: dt.date) -> list[int]:
        """Months of paid (not back-paid) Shanghai social insurance around the date obtained."""
        first, last = self._around(day)
        return [m for m in range(first, last + 1) if (r := self.si.get(m)) is not None and not r.back_payment]

    def _around(self, day: dt.date) -> tuple[int, int]:
        n = self.p["title_where"]["around_months"]
        mid = mo.of_date(day)
        return mid - n, min(mid + n, self.app_month)

    def _where_detail(self, q: Qualification) -> dict[str, Any]:
        if q.obtained_on is None:
            return {"obtained_window": "—", "obtained_window_si": "—"}
        first, last = self._around(q.obtained_on)
        parts = [f"上海 {mo.spans(self._sh_months_around(q.obtained_on))}"]
        for city in self._si_cities(first, last):
            if city != "上海":
                months = [m for m in range(first, last + 1) if city in self.others.get(m, [])]
                parts.append(f"{city} {mo.spans(months)}")
        return {"obtained_window": f"{mo.fmt(first)}–{mo.fmt(last)}", "obtained_window_si": "；".join(parts)}


def _obtained_in_sh(q: Qualification) -> str:
    """obtained_in_sh: the city where it was obtained is in Shanghai (yes/no; unknown when not given)."""
    if not q.obtained_city:
        return "unknown"
    return "yes" if reference.province_of(q.obtained_city) == "上海" else "no"


def _grade(q: Qualification) -> str:
    """grade: `kind/level` (skill_level/3, professional_title/senior); PTS-TITLE decides the tier from it."""
    return f"{q.kind}/{q.level}"


def _registration(q: Qualification) -> str:
    """registration: `unregistered` for a 职业资格 that must be registered and is not, else `ok`."""
    unregistered = q.kind == "vocational_qualification" and q.registration_required and not q.registered
    return "unregistered" if unregistered else "ok"


def _catalogue(q: Qualification) -> str:
    """catalogue: whether a 职业资格 is on the Shanghai catalogue (yes/no/unknown); `na` for the others."""
    return "na" if q.kind != "vocational_qualification" else _tri(q.on_shanghai_catalogue)


def _qual_en(q: Qualification) -> str:
    if q.kind == "skill_level":
        return f"vocational skill level {q.level}"
    names = {"junior": "junior", "intermediate": "intermediate", "senior": "senior"}
    kind = "professional title" if q.kind == "professional_title" else "professional qualification"
    return f"{names.get(str(q.level), q.level)} {kind}"


def _qual_zh(q: Qualification) -> str:
    if q.kind == "skill_level":
        return f"职业技能等级{q.level}级"
    names = {"junior": "初级", "intermediate": "中级", "senior": "高级"}
    kind = labels.QUAL_KIND_ZH[q.kind]
    return f"{names.get(str(q.level), q.level)}{kind}"
