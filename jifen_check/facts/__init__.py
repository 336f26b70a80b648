"""Measurements: turns an applicant profile into the facts the rules reason over.

The package only *measures* (counts months, computes ages, finds the province of a city, looks up
the wage in force for each month); the rules in `rulesets/` decide what the measurements mean:
whether 5 months fail the 6-of-12 gate, which 三地一致 case holds, whether a title was obtained
outside Shanghai, the education and title tiers, the SI-years points, the base band reached, which
line wins, and the verdict. Kept here for speed, as a declared measurement: whether each month's base
reaches each band, counted per band window (social_insurance.py says why).

One module per topic, mirroring `rules/*.yaml`: `gates` (person, permit, employer, contract),
`social_insurance`, `education`, `qualifications`, `bonuses`, `records`; `base` holds what they
share. Each topic is a mixin of `Measurer` whose step (`person`, `social_insurance`, …) fills the
facts from small functions, one per quantity, each named after it with a one-line docstring; every
quantity is declared in `vocabulary.py` (a test checks that the two agree).

Per-month arithmetic lives here on purpose: asserting every month as an engine fact would cost
~100 µs per month. The engine gets one `profile` fact, one `degree` fact per education entry and
one `qual` fact per qualification, with scalar fields only. Details for messages and `explain`
(month lists, wage used per month, evidence paths) stay on the Python side in `details`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from jifen_check.applicant import Applicant
from jifen_check.facts.base import (  # noqa: F401  (re-exported for callers)
    OPEN_ENDED,
    SiMonth,
    age_on,
    expand_si,
    expand_tax,
    expiry,
    other_city_months,
    table_points,
    years_before,
)
from jifen_check.facts.bonuses import BonusMeasures
from jifen_check.facts.education import EducationMeasures
from jifen_check.facts.gates import GateMeasures
from jifen_check.facts.qualifications import QualificationMeasures
from jifen_check.facts.records import RecordMeasures
from jifen_check.facts.social_insurance import SocialInsuranceMeasures
from jifen_check.rulebook import Rulebook
from jifen_check.wages import Wages, wages_for  # noqa: F401  (re-exported for callers)


@dataclass
class Observation:
    """What the rules see (`profile`, `degrees`, `quals`) and what messages may quote (`details`)."""

    as_of: dt.date
    profile: dict[str, Any]
    degrees: list[dict[str, Any]]
    quals: list[dict[str, Any]]
    details: dict[str, Any] = field(default_factory=dict)
    degree_details: list[dict[str, Any]] = field(default_factory=list)
    qual_details: list[dict[str, Any]] = field(default_factory=list)
    # English for the details whose text is Chinese (--lang en); the rest read the same in English.
    details_en: dict[str, Any] = field(default_factory=dict)
    degree_details_en: list[dict[str, Any]] = field(default_factory=list)
    qual_details_en: list[dict[str, Any]] = field(default_factory=list)

    def engine_facts(self) -> list[dict[str, Any]]:
        return [self.profile, *self.degrees, *self.quals]


class Measurer(GateMeasures, SocialInsuranceMeasures, BonusMeasures, RecordMeasures, EducationMeasures,
               QualificationMeasures):
    """Measures one applicant against the parameters in force on the as-of date."""

    def run(self) -> Observation:
        for step in (self.person, self.permit, self.employer, self.contract, self.social_insurance,
                     self.base_bands, self.bonuses, self.records):
            step()
        degrees, degree_details = self.education()
        quals, qual_details = self.qualifications()
        profile = {k: v for k, v in self.profile.items() if v is not None}
        return Observation(self.as_of, profile, degrees, quals, self.details, degree_details, qual_details,
                           self.en, self.degree_en, self.qual_en)


def measure(book: Rulebook, app: Applicant, as_of: dt.date) -> Observation:
    return Measurer(book, app, as_of).run()
