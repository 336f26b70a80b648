"""Measurements for the vetoes and deductions (rules/veto.yaml, deductions.yaml): records within their windows."""

from __future__ import annotations

import datetime as dt

from jifen_check.facts.base import MeasurerBase, expiry, years_before


class RecordMeasures(MeasurerBase):
    """Criminal, detention and false-material records."""

    def recent(self, dates: list[dt.date], kind: str) -> list[dt.date]:
        """The records of `kind` (a key of deductions) dated within its window of years before the
        application date: false_recent, detention_recent, crime_recent count them."""
        start = years_before(self.as_of, self.p["deductions"][kind]["years"])
        return [x for x in dates if start <= x <= self.as_of]

    def deduction(self, records: list[dt.date], kind: str) -> int:
        """false_points, detention_points, crime_points: the points deducted for the recent records."""
        return -self.p["deductions"][kind]["points"] * len(records)

    def records(self) -> None:
        r = self.app.records
        false_recent = self.recent(r.false_materials, "false_material")
        detentions = self.recent(r.administrative_detentions, "detention")
        crimes = self.recent(r.general_crimes, "crime")
        self.set(serious_crime=r.serious_crime, family_planning=r.family_planning_violation,
                 false_recent=len(false_recent), false_serious=r.false_materials_serious and bool(false_recent),
                 false_points=self.deduction(false_recent, "false_material"),
                 detention_recent=len(detentions), detention_points=self.deduction(detentions, "detention"),
                 crime_recent=len(crimes), crime_points=self.deduction(crimes, "crime"))
        # A serious case bars applying for the same years the record counts: one date for both facts.
        false_lapse = self.lapse(false_recent, "false_material")
        self.note(false_dates="、".join(map(str, false_recent)), detention_dates="、".join(map(str, detentions)),
                  crime_dates="、".join(map(str, crimes)), false_bar_until=false_lapse, false_lapse=false_lapse,
                  detention_lapse=self.lapse(detentions, "detention"), crime_lapse=self.lapse(crimes, "crime"))

    def lapse(self, records: list[dt.date], kind: str) -> str:
        """false_lapse, detention_lapse, crime_lapse: the first date on which none of the recent records of
        `kind` is within its window any more, so the deduction is gone ("—" without one)."""
        return expiry(max(records), self.p["deductions"][kind]["years"]).isoformat() if records else "—"
