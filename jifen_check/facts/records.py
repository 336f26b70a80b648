"""Measurements for the vetoes and deductions (rules/veto.yaml, deductions.yaml): records within their windows."""

from __future__ import annotations

import datetime as dt

from jifen_check.facts.base import MeasurerBase, expiry, years_before


class RecordMeasures(MeasurerBase):
    """Criminal, detention and false-material records."""

    def records(self) -> None:
        r = self.app.records
        d = self.p["deductions"]

        def recent(dates: list[dt.date], years: int) -> list[dt.date]:
            start = years_before(self.as_of, years)
            return [x for x in dates if start <= x <= self.as_of]

        false_recent = recent(r.false_materials, d["false_material"]["years"])
        detentions = recent(r.administrative_detentions, d["detention"]["years"])
        crimes = recent(r.general_crimes, d["crime"]["years"])
        self.set(serious_crime=r.serious_crime, family_planning=r.family_planning_violation,
                 false_recent=len(false_recent), false_serious=r.false_materials_serious and bool(false_recent),
                 false_points=-d["false_material"]["points"] * len(false_recent),
                 detention_recent=len(detentions), detention_points=-d["detention"]["points"] * len(detentions),
                 crime_recent=len(crimes), crime_points=-d["crime"]["points"] * len(crimes))
        bar = d["false_material"]["years"]
        self.note(false_dates="、".join(map(str, false_recent)), detention_dates="、".join(map(str, detentions)),
                  crime_dates="、".join(map(str, crimes)),
                  false_bar_until=(expiry(max(false_recent), bar).isoformat() if false_recent else "—"))
