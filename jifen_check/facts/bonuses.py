"""Measurements for the bonuses (rules/bonuses.yaml), apart from the contribution base (social_insurance.py)."""

from __future__ import annotations

from typing import Any

from jifen_check import months as mo
from jifen_check.facts.base import TALENT, MeasurerBase


class BonusMeasures(MeasurerBase):
    """Investment, public service, key areas, shortage majors, fresh graduates, awards, spouse, talent."""

    def bonuses(self) -> None:
        b = self.app.bonuses
        bp = self.p["bonuses"]
        self._shortage(b.shortage_major)
        if b.investment is not None:
            inv = b.investment
            by_tax = int((inv.avg_annual_tax_personal_share or 0) // bp["invest_tax_step"])
            by_hires = int((inv.avg_annual_hukou_hires or 0) // bp["invest_hires_step"])
            pts = min(bp["invest_max"], bp["invest_step_points"] * max(by_tax, by_hires))
            years = inv.consecutive_years if inv.consecutive_years is not None else bp["invest_min_years"]
            self.set(invest_claimed=True, invest_points=pts, invest_years=years)
            self.note(invest_route="纳税" if by_tax >= by_hires else "聘用本市户籍人数", invest_points=pts)
            self.note_en(invest_route="the tax paid" if by_tax >= by_hires else "the Shanghai-hukou staff hired")
        ps = b.public_service_years
        self.set(public_service_years=ps, public_service_points=bp["public_service_per_year"] * ps)
        if b.remote_area is not None:
            ra = b.remote_area
            pts = min(bp["remote_area_max"], bp["remote_area_per_year"] * ra.full_years)
            group = _remote_group(self.p["remote_areas"], ra.area)
            rule = self.p["remote_areas"].get(group)
            self.set(remote_claimed=True, remote_group=group,
                     remote_status=rule["status"] if rule else "review",
                     remote_min_years=rule["min_years"] if rule else bp["remote_area_min_years"],
                     remote_works_lives=ra.works_and_lives, remote_years=ra.full_years, remote_points=pts)
            self.note(remote_area=ra.area, remote_years=ra.full_years,
                      remote_rule_source=rule["source"] if rule else "未在已知重点区域名单内",
                      remote_rule_confidence=rule["confidence"] if rule else "unverified")
            self.note_en(remote_rule_source=rule["source_en"] if rule else "not on the known list of priority areas")
        self._fresh_graduate(b.fresh_graduate)
        self._awards()
        self._spouse()
        if b.talent:
            self.set(talent_claimed=True)
            self.note(talent=TALENT[b.talent][0])
            self.note_en(talent=TALENT[b.talent][1])

    def _shortage(self, sm: Any) -> None:
        if sm is None:
            return
        ft_jc = any(e.level == "junior_college" and e.mode == "full_time" for e in self.app.education)
        self.set(shortage_claimed=True, shortage_on_catalogue=sm.on_catalogue, shortage_job_matches=sm.job_matches,
                 shortage_fulltime_jc=ft_jc)
        self.note(shortage_major=f"{sm.major or ''}（{sm.major_code or '无代码'}）")
        self.note_en(shortage_major=f"{sm.major or ''} ({sm.major_code or 'no code'})")

    def _fresh_graduate(self, claimed: bool) -> None:
        if not claimed:
            return
        years = [e.end.year for e in self.app.education if e.mode == "full_time" and e.end and e.level != "high_school"]
        latest = max(years) if years else None
        ok = latest is not None and self.as_of.year - latest in (0, 1)
        self.set(fresh_claimed=True, fresh_ok=ok)
        self.note(graduation_year=latest or "未填")

    def _awards(self) -> None:
        awards = self.app.bonuses.awards
        if not awards:
            return
        table = self.p["bonuses"]["award"]
        good = [table[a.level] for a in awards if a.on_official_list and a.while_in_shanghai]
        self.set(award_claimed=True, award_points=max(good, default=0), award_unlisted=len(good) < len(awards))

    def _spouse(self) -> None:
        fam = self.app.family
        if not (fam.spouse and fam.spouse.shanghai_hukou):
            return
        bp = self.p["bonuses"]
        married = fam.marital_status == "married" and fam.marriage_date is not None
        years = mo.full_years_between(fam.marriage_date, self.as_of) if married and fam.marriage_date else 0
        self.set(spouse_claimed=True, spouse_married=fam.marital_status == "married",
                 marriage_date_known=fam.marriage_date is not None, spouse_years=years,
                 spouse_points=min(bp["spouse_max"], bp["spouse_per_year"] * years))
        self.note(marriage_date=str(fam.marriage_date or "未填"), spouse_years=years)


def _remote_group(groups: dict[str, Any], area: str) -> str:
    """The designated-area group whose names include `area` (exact, spaces ignored), or 'other'."""
    key = "".join(area.split())
    for name, group in groups.items():
        if key in ("".join(n.split()) for n in group["names"]):
            return name
    return "other"
