"""Measurements for the bonuses (rules/bonuses.yaml), apart from the contribution base (social_insurance.py)."""

from __future__ import annotations

from typing import Any

from jifen_check import months as mo
from jifen_check.facts.base import TALENT, MeasurerBase


class BonusMeasures(MeasurerBase):
    """Investment, public service, key areas, shortage majors, fresh graduates, awards, spouse, talent."""

    def bonuses(self) -> None:
        b = self.app.bonuses
        self._shortage(b.shortage_major)
        self._investment(b.investment)
        self._public_service(b.public_service_years)
        self._remote_area(b.remote_area)
        self._fresh_graduate(b.fresh_graduate)
        self._awards()
        self._spouse()
        if b.talent:
            self.set(talent_claimed=True)
            self.note(talent=TALENT[b.talent][0])
            self.note_en(talent=TALENT[b.talent][1])

    def invest_steps(self, inv: Any) -> tuple[int, int]:
        """Full steps of average annual tax (bonuses.invest_tax_step) and of Shanghai-hukou hires
        (bonuses.invest_hires_step)."""
        bp = self.p["bonuses"]
        return (int((inv.avg_annual_tax_personal_share or 0) // bp["invest_tax_step"]),
                int((inv.avg_annual_hukou_hires or 0) // bp["invest_hires_step"]))

    def _investment(self, inv: Any) -> None:
        """invest_claimed, invest_points (the better of the two step counts, capped), invest_years."""
        if inv is None:
            return
        bp = self.p["bonuses"]
        by_tax, by_hires = self.invest_steps(inv)
        pts = min(bp["invest_max"], bp["invest_step_points"] * max(by_tax, by_hires))
        years = inv.consecutive_years if inv.consecutive_years is not None else bp["invest_min_years"]
        self.set(invest_claimed=True, invest_points=pts, invest_years=years)
        self.note(invest_route="纳税" if by_tax >= by_hires else "聘用本市户籍人数", invest_points=pts)
        self.note_en(invest_route="the tax paid" if by_tax >= by_hires else "the Shanghai-hukou staff hired")

    def _public_service(self, years: int) -> None:
        """public_service_years and public_service_points (bonuses.public_service_per_year a year)."""
        self.set(public_service_years=years, public_service_points=self.p["bonuses"]["public_service_per_year"] * years)

    def _remote_area(self, ra: Any) -> None:
        """remote_claimed, remote_group (the designated group the area belongs to), its status and
        years needed (remote_areas; else the general bonuses.remote_area_min_years), remote_points."""
        if ra is None:
            return
        bp = self.p["bonuses"]
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

    def _shortage(self, sm: Any) -> None:
        """shortage_claimed, on the catalogue, the job matching, and whether a full-time 大专 is on record."""
        if sm is None:
            return
        ft_jc = any(e.level == "junior_college" and e.mode == "full_time" for e in self.app.education)
        self.set(shortage_claimed=True, shortage_on_catalogue=sm.on_catalogue, shortage_job_matches=sm.job_matches,
                 shortage_fulltime_jc=ft_jc)
        self.note(shortage_major=f"{sm.major or ''}（{sm.major_code or '无代码'}）")
        self.note_en(shortage_major=f"{sm.major or ''} ({sm.major_code or 'no code'})")

    def _fresh_graduate(self, claimed: bool) -> None:
        """fresh_claimed, fresh_ok: the latest full-time graduation this year or last year."""
        if not claimed:
            return
        years = [e.end.year for e in self.app.education if e.mode == "full_time" and e.end and e.level != "high_school"]
        latest = max(years) if years else None
        ok = latest is not None and self.as_of.year - latest in (0, 1)
        self.set(fresh_claimed=True, fresh_ok=ok)
        self.note(graduation_year=latest or "未填")

    def _awards(self) -> None:
        """award_claimed, award_points (the best listed award won while in Shanghai), award_unlisted."""
        awards = self.app.bonuses.awards
        if not awards:
            return
        table = self.p["bonuses"]["award"]
        good = [table[a.level] for a in awards if a.on_official_list and a.while_in_shanghai]
        self.set(award_claimed=True, award_points=max(good, default=0), award_unlisted=len(good) < len(awards))

    def _spouse(self) -> None:
        """spouse_claimed, married, marriage date known, spouse_years (full years married), spouse_points."""
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
