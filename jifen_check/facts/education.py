"""Measurements of each education entry (rules/points.yaml PTS-EDU, pitfalls.yaml PIT-THREE-PLACES,
PIT-PRIOR-DEGREE, PIT-DEGREE-UNVERIFIABLE): its level and the certificates held, the places of study and
of social insurance during study, the prior 大专 of a 本科."""

from __future__ import annotations

import datetime as dt
from typing import Any

from jifen_check import months as mo
from jifen_check import reference
from jifen_check.applicant import Education
from jifen_check.facts.base import EDU_EN, EDU_ZH, MODE_EN, MODE_ZH, OPEN_ENDED, MeasurerBase, _city_key, _ym


class EducationMeasures(MeasurerBase):
    """One `degree` fact per education entry."""

    def education(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        facts, details = [], []
        for i, e in enumerate(self.app.education):
            fact, detail = self._degree(i, e)
            facts.append(fact)
            details.append(detail)
        return facts, details

    def _degree(self, i: int, e: Education) -> tuple[dict[str, Any], dict[str, Any]]:
        places = self._study_places(e)
        fact = {"t": "degree", "idx": i, "level": e.level, "mode": e.mode, "full_time": e.mode == "full_time",
                "papers": _papers(e), "diploma": e.diploma, "verifiable": _verifiable(e), "foreign": e.foreign,
                **places, "high_school_on_record": self._high_school_on_record(), **self._prior(e)}
        why, why_en = self._three_places_why(e, places)
        self.degree_en.append({"edu_label": _label_en(e), "study_city": e.study_city or "not given",
                               "three_places_why": why_en})
        return fact, {"edu_label": _label_zh(e), "study_city": e.study_city or "未填", "three_places_why": why,
                      "study_period": f"{_ym(e.start)}–{_ym(e.end)}"}

    def _study_places(self, e: Education) -> dict[str, Any]:
        """PIT-THREE-PLACES measurements: where the degree was studied, the applicant's hukou province,
        and where social insurance was paid during the study period. The rule decides the case.

        `si_outside_study_province_months`: months of the study period with social insurance paid in
        another province than the one of study (Shanghai's counts as another unless studied there);
        `study_city_si_missing_months`: months of the study period without social insurance in the
        study city. Both -1 when the place or the period of study is not given."""
        hukou = reference.normalize_province(self.app.person.hukou_province or "") or ""
        study_prov = (reference.province_of(e.study_city) or "") if e.study_city else ""
        dates = e.start is not None and e.end is not None
        outside = missing = -1
        if e.study_city and e.start is not None and e.end is not None:
            first, last = mo.of_date(e.start), mo.of_date(e.end)
            outside = self._si_outside_months(study_prov, first, last)
            missing = self._city_si_missing_months(e.study_city, first, last)
        return {"study_city_given": bool(e.study_city), "study_dates_given": dates, "study_province": study_prov,
                "applicant_hukou_province": hukou, "si_outside_study_province_months": outside,
                "study_city_si_missing_months": missing}

    def _three_places_why(self, e: Education, places: dict[str, Any]) -> tuple[str, str]:
        """What PIT-THREE-PLACES quotes, in Chinese and English: the input missing to check the three
        places, else where the degree was studied, the hukou and where social insurance was paid."""
        if not e.study_city:
            return "未填写学习地（study_city）", "the place of study is not given"
        if e.start is None or e.end is None:
            return ("未填写入学或毕业时间，无法核对学习期间社保",
                    "the start or end of study is not given, so social insurance during study cannot be checked")
        first, last = mo.of_date(e.start), mo.of_date(e.end)
        study_prov, hukou = places["study_province"], places["applicant_hukou_province"]
        where = f"学习地{e.study_city}（{study_prov or '省份未知'}），户籍地{hukou or '未填'}"
        where_en = (f"studied in {e.study_city} ({reference.province_en(study_prov) or 'province unknown'}), "
                    f"hukou in {reference.province_en(hukou) or 'not given'}")
        paid = self._si_cities(first, last)
        partial = any(_city_key(c) == _city_key(e.study_city) for c in paid)
        return (f"{where}，学习期间社保缴纳地：{'、'.join(paid) if paid else '无记录'}"
                f"{'（该地社保未覆盖整个学习期间）' if partial else ''}",
                f"{where_en}; social insurance during study paid in: "
                f"{', '.join(reference.place_en(c) for c in paid) if paid else 'no record'}"
                f"{' (not for the whole study period there)' if partial else ''}")

    def _si_outside_months(self, province: str, first: int, last: int) -> int:
        """Months from `first` to `last` with social insurance paid outside `province`."""
        months = {m for m, cities in self.others.items()
                  if first <= m <= last and any(reference.province_of(c) != province for c in cities)}
        if province == "上海":
            return len(months)
        return self._sh_months_in(first, last) + sum(1 for m in months if m not in self.si)

    def _city_si_missing_months(self, city: str, first: int, last: int) -> int:
        """Months from `first` to `last` without social insurance paid in `city`."""
        key = _city_key(city)
        paid = sum(1 for m, cities in self.others.items()
                   if first <= m <= last and any(_city_key(c) == key for c in cities))
        return max(0, last - first + 1) - paid

    def _prior(self, e: Education) -> dict[str, Any]:
        """The 大专 a 本科 builds on, measured (PIT-PRIOR-DEGREE decides which 本科 need one, and
        whether the gap or an overlap disqualifies it).

        The prior 大专 is the latest one completed before the 本科 started; if none was, the
        earliest-ending one (a 套读 candidate). The choice depends only on the degrees, never on the
        order they are listed.
        """
        none = {"prior_found": False, "prior_verifiable": False, "prior_gap_months": OPEN_ENDED,
                "prior_overlaps": False}
        if e.level != "bachelor":
            return none
        jc = _prior_college(e, [x for x in self.app.education if x.level == "junior_college"])
        if jc is None:
            return none
        gap = mo.full_months_between(jc.end, e.end) if jc.end and e.end else OPEN_ENDED
        return {"prior_found": True, "prior_verifiable": jc.chsi_verifiable, "prior_gap_months": gap,
                # Study for the 本科 began before the 大专 was completed (专本套读).
                "prior_overlaps": bool(jc.end and e.start and e.start < jc.end)}

    def _high_school_on_record(self) -> bool:
        """The education list holds a high-school or secondary-vocational record."""
        return any(x.level in ("high_school", "secondary_vocational") for x in self.app.education)


def _verifiable(e: Education) -> bool:
    """verifiable: 学信网 holds the degree; a foreign one is verified by the 留服 certificate instead."""
    return e.cscse_certified if e.foreign else e.chsi_verifiable


def _label_zh(e: Education) -> str:
    """edu_label: mode, level, school and certificates, as messages quote the degree."""
    papers = "＋".join(x for x, ok in (("学历证书", e.diploma), ("学位证书", e.degree)) if ok) or "无证书"
    return f"{MODE_ZH[e.mode]}{EDU_ZH[e.level]}（{e.school or '学校未填'}，{papers}）"


def _label_en(e: Education) -> str:
    """edu_label in English (--lang en)."""
    papers = " + ".join(x for x, ok in (("diploma", e.diploma), ("degree certificate", e.degree)) if ok)
    return f"{MODE_EN[e.mode]} {EDU_EN[e.level]} ({e.school or 'school not given'}, {papers or 'no certificate'})"


def _papers(e: Education) -> str:
    """papers: the level and the certificates held, `level/certificates`: `bachelor/diploma+degree`,
    `master/degree`, `junior_college/none` (PTS-EDU decides the tier from it)."""
    held = "+".join(name for name, ok in (("diploma", e.diploma), ("degree", e.degree)) if ok) or "none"
    return f"{e.level}/{held}"


def _prior_college(e: Education, colleges: list[Education]) -> Education | None:
    """The 大专 that the 本科 `e` builds on (see `Measurer._prior`), independent of list order."""
    if not colleges:
        return None
    never = dt.date.max

    def key(x: Education) -> tuple[Any, ...]:  # a total order over the fields that matter
        return (x.end or never, x.chsi_verifiable, x.start or never, x.mode, x.school or "")

    ref = e.start or e.end
    before = [x for x in colleges if x.end and ref and x.end <= ref]
    if before:
        return max(before, key=key)
    return min(colleges, key=lambda x: (x.end or never, not x.chsi_verifiable, x.start or never, x.mode,
                                        x.school or ""))
