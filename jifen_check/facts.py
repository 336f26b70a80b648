"""Measurements: turns an applicant profile into the facts the rules reason over.

This module only *measures* (counts months, computes ages, looks up tiers and the wage in force
for each month). It decides nothing: whether 5 months fail the 6-of-12 gate, whether a degree
counts, which line wins, and the verdict are all decided by rules in the engine.

Per-month arithmetic lives here on purpose: asserting every month as an engine fact would cost
~100 µs per month. The engine gets one `profile` fact, one `degree` fact per education entry and
one `qual` fact per qualification, with scalar fields only. Details for messages and `explain`
(month lists, wage used per month, evidence paths) stay on the Python side in `details`.
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from jifen_check import labels, reference, workdays
from jifen_check import months as mo
from jifen_check.applicant import Applicant, Education, Qualification
from jifen_check.identifiers import id_birth_date, uscc_is_shanghai
from jifen_check.money import at_least, dec
from jifen_check.rulebook import Rulebook
from jifen_check.wages import Wages, wages_for  # noqa: F401  (Wages: re-exported for callers)

OPEN_ENDED = 9999  # months: an open-ended contract never runs out
EDU_RANK = {"high_school": 1, "secondary_vocational": 1, "junior_college": 2, "bachelor": 3, "master": 4, "doctor": 5}
EDU_ZH = labels.EDU_LEVEL_ZH
ARCHIVE_ZH = {**labels.ARCHIVE_ZH, "unstated": labels.UNSTATED_ZH}
PERMIT_ZH = labels.PERMIT_ZH
MODE_ZH = labels.EDU_MODE_ZH
# The same in English (--lang en): what messages quote, beside the Chinese (labels.py).
EDU_EN, ARCHIVE_EN, PERMIT_EN, MODE_EN = labels.EDU_LEVEL_EN, labels.ARCHIVE_EN, labels.PERMIT_EN, labels.EDU_MODE_EN
TALENT = labels.TALENT


@dataclass
class SiMonth:
    base: float
    payer: str | None
    back_payment: bool
    transferred: bool
    row: int


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


def expand_si(app: Applicant) -> dict[int, SiMonth]:
    """Shanghai social insurance by month. Duplicates are reported by validation; first row wins."""
    out: dict[int, SiMonth] = {}
    for i, row in enumerate(app.social_insurance):
        first, last = mo.spec_bounds(row.month)
        rec = SiMonth(row.base, row.payer_uscc, row.back_payment, row.transferred_in, i)
        for m in range(first, last + 1):
            out.setdefault(m, rec)
    return out


def expand_tax(app: Applicant) -> dict[int, tuple[float, str | None, int]]:
    out: dict[int, tuple[float, str | None, int]] = {}
    for i, row in enumerate(app.income_tax):
        first, last = mo.spec_bounds(row.month)
        for m in range(first, last + 1):
            out.setdefault(m, (row.income, row.withholder_uscc, i))
    return out


def other_city_months(app: Applicant) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for row in app.other_social_insurance:
        first, _ = mo.spec_bounds(row.from_)
        _, last = mo.spec_bounds(row.to)
        for m in range(first, last + 1):
            out.setdefault(m, []).append(row.city)
    return out


def years_before(day: dt.date, years: int) -> dt.date:
    """The same calendar date `years` earlier (29 Feb → 28 Feb)."""
    return day.replace(year=day.year - years, day=28 if (day.month, day.day) == (2, 29) else day.day)


def expiry(record: dt.date, years: int) -> dt.date:
    """The first date on which a record dated `record` is older than a `years`-year window."""
    return years_before(record, -years) + dt.timedelta(days=1)


def age_on(birth: dt.date, day: dt.date) -> int:
    return mo.full_years_between(birth, day)


def table_points(table: list[list[int]], value: int) -> int:
    for lo, hi, pts in table:
        if lo <= value <= hi:
            return pts
    return 0


# ---------------------------------------------------------------- the profile

class Measurer:
    """Measures one applicant against the parameters in force on the as-of date."""

    def __init__(self, book: Rulebook, app: Applicant, as_of: dt.date) -> None:
        self.book = book
        self.app = app
        self.as_of = as_of
        self.p = book.snapshot(as_of)
        self.wages = wages_for(book, as_of)
        self.app_month = mo.of_date(as_of)
        self.si = expand_si(app)
        self.si_months = sorted(self.si)  # for counting the Shanghai months of a period quickly
        self.tax = expand_tax(app)
        self.others = other_city_months(app)
        self.contract_uscc = app.contract.employer_uscc or app.employer.uscc
        c = app.contract
        self.contract_months = (mo.of_date(c.start), mo.of_date(c.end) if c.end else 1 << 30)
        self.details: dict[str, Any] = {"as_of": as_of.isoformat(), "app_month": mo.fmt(self.app_month)}
        self.en: dict[str, Any] = {}
        self.degree_en: list[dict[str, Any]] = []
        self.qual_en: list[dict[str, Any]] = []
        self.profile: dict[str, Any] = {"t": "profile"}

    def run(self) -> Observation:
        for step in (self.person, self.permit, self.employer, self.contract, self.social_insurance,
                     self.base_bands, self.bonuses, self.records):
            step()
        degrees, degree_details = self.education()
        quals, qual_details = self.qualifications()
        profile = {k: v for k, v in self.profile.items() if v is not None}
        return Observation(self.as_of, profile, degrees, quals, self.details, degree_details, qual_details,
                           self.en, self.degree_en, self.qual_en)

    def set(self, **values: Any) -> None:
        self.profile.update(values)

    def note(self, **values: Any) -> None:
        self.details.update(values)

    def note_en(self, **values: Any) -> None:
        """English for details whose Chinese text is more than dates, numbers and user data."""
        self.en.update(values)

    # -- person
    def person(self) -> None:
        person = self.app.person
        birth = person.birth_date or id_birth_date(person.id_number)
        age = age_on(birth, self.as_of) if birth else -1
        archive = person.personnel_archive or "unstated"
        self.set(age=age, age_points=table_points(self.p["age_points"], age), archive=archive)
        self.note(birth_date=birth.isoformat() if birth else "未知", age=age, archive_zh=ARCHIVE_ZH[archive],
                  hukou_province=reference.normalize_province(person.hukou_province or "") or "未填")
        self.note_en(archive_zh=ARCHIVE_EN[archive],
                     hukou_province=reference.province_en(reference.normalize_province(person.hukou_province or ""))
                     or person.hukou_province or "not given")

    # -- permit
    def permit(self) -> None:
        rp = self.app.residence_permit
        valid = rp.status == "valid" and (rp.valid_until is None or rp.valid_until >= self.as_of)
        self.set(permit_status=rp.status, permit_valid=valid)
        self.note(permit_status_zh=PERMIT_ZH[rp.status], permit_valid_until=str(rp.valid_until or "未填"))
        self.note_en(permit_status_zh=PERMIT_EN[rp.status])
        if rp.valid_until is not None:
            self.set(permit_days_left=(rp.valid_until - self.as_of).days)
        if rp.issued_or_renewed_on is not None:
            n = self.p["permit"]["sync_working_days"]
            ready = workdays.first_usable_date(rp.issued_or_renewed_on, n)
            self.set(sync_known=True, sync_ok=self.as_of >= ready)
            covered = workdays.calendar_covers(ready)
            self.note(permit_issued=rp.issued_or_renewed_on.isoformat(), sync_date=ready.isoformat(),
                      sync_calendar=("按法定节假日及调休安排计算" if covered
                                     else "该年节假日安排未收录，按周一至周五计算"))
            self.note_en(sync_calendar=("counted with the public holidays and make-up working days" if covered
                                        else "that year's holidays are not in the table yet; counted Monday to Friday"))
        else:
            self.set(sync_known=False)

    # -- employer
    def employer(self) -> None:
        emp = self.app.employer
        self.set(employer_kind=emp.kind, employer_sh=uscc_is_shanghai(emp.uscc),
                 employer_registered={True: "yes", False: "no", None: "unknown"}[emp.points_system_registered],
                 dispatch_license=emp.dispatch_license, dispatch_agreements=emp.dispatch_agreements)
        self.note(employer_name=emp.name, employer_uscc=emp.uscc, employer_region=emp.uscc[2:8])

    # -- contract
    def contract(self) -> None:
        c = self.app.contract
        covers = c.start <= self.as_of and (c.end is None or c.end >= self.as_of)
        if c.end is None:
            term = remaining = OPEN_ENDED
        else:
            term = mo.full_months_between(c.start, c.end + dt.timedelta(days=1))
            remaining = mo.full_months_between(self.as_of, c.end + dt.timedelta(days=1)) if covers else 0
        self.set(contract_employer_ok=self.contract_uscc == self.app.employer.uscc, contract_covers=covers,
                 contract_term_months=term, contract_remaining_months=remaining)
        self.note(contract_start=c.start.isoformat(), contract_end=c.end.isoformat() if c.end else "无固定期限",
                  contract_term=("无固定期限" if term == OPEN_ENDED else f"{term} 个月"),
                  contract_remaining=("无固定期限" if remaining == OPEN_ENDED else f"{remaining} 个月"),
                  contract_uscc=self.contract_uscc)

    def in_contract(self, mi: int) -> bool:
        return self.contract_months[0] <= mi <= self.contract_months[1]

    def consistent(self, mi: int) -> bool:
        """Contract employer, SI payer and tax withholder are the same unit in month `mi`."""
        rec = self.si.get(mi)
        payer = rec.payer if rec else None
        tax = self.tax.get(mi)
        withholder = tax[1] if tax else None
        if payer and withholder and payer != withholder:
            return False
        if self.in_contract(mi):
            unit = self.contract_uscc
            return (payer is None or payer == unit) and (withholder is None or withholder == unit)
        return True

    def tax_matches(self, mi: int, base: float) -> bool:
        tax = self.tax.get(mi)
        return tax is not None and at_least(tax[0], self.p["tax_match"]["min_ratio"], base)

    # -- social insurance: gates, years, double contributions
    def social_insurance(self) -> None:
        am = self.app_month
        valid = {m for m, r in self.si.items() if not r.back_payment and m <= am}
        counted = {m for m in valid if not self.si[m].transferred}
        backpay = sorted(m for m, r in self.si.items() if r.back_payment)
        # A month transferred in from another city is that city's contribution moved here, not a
        # second payer: it is not a double contribution (and never counts for anything anyway).
        double = sorted(m for m in counted if m in self.others)
        app_rec = self.si.get(am)
        app_status = "none" if app_rec is None else ("backpay" if app_rec.back_payment else "paid")
        win = self.p["six_of_twelve"]["window_months"]
        # Months transferred in from another city are not Shanghai contributions: not for 6-of-12.
        six = sorted(m for m in counted if am - win <= m <= am - 1)
        years = self.p["si_years"]
        block = years["months_per_block"]
        yp = years["points_per_block"] * (len(counted) // block)
        yp_safe = years["points_per_block"] * (len(counted - set(double)) // block)
        title_win = self.p["title_si_base"]
        title_months = sorted(m for m in valid if am - title_win["window_months"] <= m <= am - 1
                              and at_least(self.si[m].base, title_win["multiple"], self.wages.at(m)))
        self.set(app_month_status=app_status,
                 app_payer_ok=app_rec is None or app_rec.payer is None or app_rec.payer == self.contract_uscc,
                 si_6of12=len(six), si_valid_months=len(counted), si_years_points=yp,
                 si_years_points_safe=yp_safe, backpay_count=len(backpay), double_city_count=len(double),
                 title_base_months=len(title_months))
        self.note(si_6of12_window=f"{mo.fmt(am - win)}–{mo.fmt(am - 1)}", si_6of12_months=mo.spans(six),
                  si_6of12_missing=max(0, self.p["six_of_twelve"]["min_months"] - len(six)),
                  backpay_months=mo.spans(backpay), double_city_months=mo.spans(double),
                  double_city_cities="、".join(cities := sorted({c for m in double for c in self.others[m]})),
                  si_valid_months=len(counted), title_base_months=mo.spans(title_months),
                  title_base_window=f"{mo.fmt(am - title_win['window_months'])}–{mo.fmt(am - 1)}",
                  ev_backpay=[f"social_insurance[{self.si[m].row}]" for m in backpay],
                  ev_app_month=[f"social_insurance[{app_rec.row}]"] if app_rec else ["social_insurance"],
                  ev_double=sorted({f"social_insurance[{self.si[m].row}]" for m in double}) + ["other_social_insurance"])
        self.note(**self._six_cure(counted))
        self.note_en(double_city_cities=", ".join(reference.place_en(c) for c in cities))

    def _six_cure(self, valid: set[int]) -> dict[str, Any]:
        """First month whose preceding 12 months hold 6 paid months, if contributions continue."""
        need = self.p["six_of_twelve"]["min_months"]
        win = self.p["six_of_twelve"]["window_months"]
        paid = set(valid) | {self.app_month}
        for ahead in range(0, win + 2):
            target = self.app_month + ahead
            months = paid | set(range(self.app_month, target))
            if sum(1 for m in months if target - win <= m <= target - 1) >= need:
                return {"si_6of12_cure_month": mo.fmt(target), "si_6of12_wait": ahead}
        return {"si_6of12_cure_month": "—", "si_6of12_wait": "—"}

    # -- contribution-base bonus
    def base_bands(self) -> None:
        am = self.app_month
        bands = self.p["si_base_bands"]
        widest = max(b["window_months"] for b in bands)
        lowest = min(b["multiple"] for b in bands)
        window = range(am - widest, am)
        excluded: dict[str, list[int]] = {"backpay": [], "transferred": [], "inconsistent": [], "tax": []}
        usable: dict[int, int] = {}  # month → how many bands (highest first) its base does NOT reach
        provisional: list[int] = []
        unverified: list[int] = []
        practice: list[int] = []
        for m in window:
            rec = self.si.get(m)
            if rec is None:
                continue
            reason = self._exclusion(m, rec, lowest)
            if reason:
                excluded[reason].append(m)
                continue
            usable[m] = self._bands_missed(bands, rec.base, m)
            # The wage used only matters where the month could reach a band.
            if usable[m] < len(bands):
                if self.wages.provisional(m):
                    provisional.append(m)
                elif self.wages.unverified(m):
                    unverified.append(m)
                if self.wages.practice_reference(m):
                    practice.append(m)
        double = {m for m in usable if m in self.others}
        points, counts, band_months = self._band_points(bands, usable, am)
        counts_en = [f"≥{b['multiple']:g}× the average wage in the last {b['window_months']} months: {n} months "
                     f"({b['min_months']} needed)" for b, n in zip(bands, band_months, strict=True)]
        safe = self._band_points(bands, {m: r for m, r in usable.items() if m not in double}, am)[0] if double else points
        inconsistent_app = not self.consistent(am) and am in self.si
        self.set(si_base_points=points, si_base_points_safe=safe, si_base_best_months=max(band_months),
                 tax_mismatch_count=len(excluded["tax"]),
                 inconsistent_count=len(excluded["inconsistent"]), inconsistent_app_month=inconsistent_app,
                 provisional_count=len(provisional), unverified_wage_count=len(unverified))
        self.note(band_counts=counts, band_summary="；".join(counts), band_months=band_months,
                  tax_mismatch_months=mo.spans(excluded["tax"]), inconsistent_months=mo.spans(excluded["inconsistent"]),
                  provisional_months=mo.spans(provisional), unverified_wage_months=mo.spans(unverified),
                  unverified_wage=(self.wages.at(unverified[0]) if unverified else "—"),
                  unverified_wage_source=(self.wages.source(unverified[0]) if unverified else "—"),
                  practice_wage_months=mo.spans(practice),
                  provisional_wage=self.wages.at(am), base_window=f"{mo.fmt(am - widest)}–{mo.fmt(am - 1)}",
                  ev_tax=sorted({f"social_insurance[{self.si[m].row}]" for m in excluded["tax"]}) + ["income_tax"],
                  ev_inconsistent=sorted({f"social_insurance[{self.si[m].row}]" for m in excluded["inconsistent"]})
                  + ["contract.employer_uscc", "income_tax"])
        self.note_en(band_counts=counts_en, band_summary="; ".join(counts_en),
                     unverified_wage_source=(self.wages.source_en(unverified[0]) if unverified else "—"))

    def _exclusion(self, m: int, rec: SiMonth, lowest: float) -> str | None:
        if rec.back_payment:
            return "backpay"
        if rec.transferred:
            return "transferred"
        if not self.consistent(m):
            return "inconsistent"
        # Only months that could count for a band are checked against the tax records.
        if dec(rec.base) >= self.wages.thresholds(m, (lowest,))[0] and not self.tax_matches(m, rec.base):
            return "tax"
        return None

    def _bands_missed(self, bands: list[dict[str, Any]], base: float, m: int) -> int:
        """How many bands, highest multiple first, month `m`'s base does not reach (exactly)."""
        amount = dec(base)
        for k, threshold in enumerate(self.wages.thresholds(m, tuple(b["multiple"] for b in bands))):
            if amount >= threshold:
                return k
        return len(bands)

    @staticmethod
    def _band_points(bands: list[dict[str, Any]], missed: dict[int, int],
                     am: int) -> tuple[int, list[str], list[int]]:
        """Points of the best band reached, the months per band as text, and as numbers.

        `missed`: per usable month, how many bands (highest first) it does not reach; a month at a
        higher multiple also counts toward the lower bands."""
        points, counts, numbers = 0, [], []
        pairs = list(missed.items())
        for k, b in enumerate(bands):
            since = am - b["window_months"]
            n = sum(1 for m, r in pairs if m >= since and r <= k)
            numbers.append(n)
            counts.append(f"近{b['window_months']}个月≥{b['multiple']:g}倍 {n} 个月（需 {b['min_months']}）")
            if not points and n >= b["min_months"]:
                points = b["points"]
        return points, counts, numbers

    def month_table(self) -> list[dict[str, Any]]:
        """Per month of the base window: base, wage in force, tax, exclusion (for `explain`)."""
        widest = max(b["window_months"] for b in self.p["si_base_bands"])
        window = range(self.app_month - widest, self.app_month)
        rows = []
        lowest = min(b["multiple"] for b in self.p["si_base_bands"])
        for m in window:
            rec = self.si.get(m)
            tax = self.tax.get(m)
            rows.append({
                "month": mo.fmt(m), "base": rec.base if rec else None, "wage": self.wages.at(m),
                "provisional": self.wages.provisional(m), "unverified": self.wages.unverified(m),
                "practice": self.wages.practice_reference(m), "tax_income": tax[0] if tax else None,
                "excluded": (self._exclusion(m, rec, lowest) if rec else "no_record"),
            })
        return rows

    # -- bonuses
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

    # -- records
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

    # -- education
    def education(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        facts, details = [], []
        for i, e in enumerate(self.app.education):
            fact, detail = self._degree(i, e)
            facts.append(fact)
            details.append(detail)
        return facts, details

    def _tier(self, e: Education, diploma: bool | None = None) -> int:
        """The PTS-EDU tier the certificates support (`diploma` overrides e.diploma: 'with it')."""
        pts = self.p["education_points"]
        if diploma is not None:
            e = e.model_copy(update={"diploma": diploma})
        both = e.diploma and e.degree
        if e.level == "junior_college":
            return pts["junior_college"] if e.diploma else 0
        if e.level == "bachelor":
            return pts["bachelor_degree"] if both else (pts["bachelor"] if e.diploma else 0)
        if e.level == "master":
            # With only one of the two certificates: the next tier the papers support.
            return pts["master"] if both else (pts["bachelor_degree"] if e.diploma or e.degree else 0)
        if e.level == "doctor":
            return pts["doctor"] if both else (pts["master"] if e.diploma or e.degree else 0)
        return 0

    def _degree(self, i: int, e: Education) -> tuple[dict[str, Any], dict[str, Any]]:
        # A foreign degree is verified by the 留服 certificate; 学信网 holds only domestic ones.
        verifiable = e.cscse_certified if e.foreign else e.chsi_verifiable
        places = self._study_places(e)
        why, why_en = self._three_places_why(e, places)
        fact = {"t": "degree", "idx": i, "level": e.level, "mode": e.mode, "full_time": e.mode == "full_time",
                "tier_points": self._tier(e), "tier_with_diploma": self._tier(e, diploma=True),
                "diploma": e.diploma, "verifiable": verifiable, "foreign": e.foreign,
                **places, "high_school_on_record": self._high_school_on_record(), **self._prior(e)}
        papers = "＋".join(x for x, ok in (("学历证书", e.diploma), ("学位证书", e.degree)) if ok) or "无证书"
        detail = {"edu_label": f"{MODE_ZH[e.mode]}{EDU_ZH[e.level]}（{e.school or '学校未填'}，{papers}）",
                  "study_city": e.study_city or "未填", "three_places_why": why,
                  "study_period": f"{_ym(e.start)}–{_ym(e.end)}"}
        papers_en = " + ".join(x for x, ok in (("diploma", e.diploma), ("degree certificate", e.degree)) if ok)
        self.degree_en.append({"edu_label": f"{MODE_EN[e.mode]} {EDU_EN[e.level]} ({e.school or 'school not given'}, "
                                            f"{papers_en or 'no certificate'})",
                               "study_city": e.study_city or "not given", "three_places_why": why_en})
        return fact, detail

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

    def _si_cities(self, first: int, last: int) -> list[str]:
        """Where social insurance was paid during a study period: Shanghai and other cities."""
        cities = ["上海"] if self._sh_months_in(first, last) else []
        for m in sorted(m for m in self.others if first <= m <= last):
            cities += [c for c in self.others[m] if c not in cities]
        return cities

    def _sh_months_in(self, first: int, last: int) -> int:
        """How many months from `first` to `last` have a Shanghai social insurance record."""
        return max(0, bisect.bisect_right(self.si_months, last) - bisect.bisect_left(self.si_months, first))

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

    # -- qualifications
    def qualifications(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        top_edu = max((EDU_RANK[e.level] for e in self.app.education), default=0)
        facts, details = [], []
        for j, q in enumerate(self.app.qualifications):
            fact, detail = self._qual(j, q, top_edu)
            facts.append(fact)
            details.append(detail)
        return facts, details

    def _qual(self, j: int, q: Qualification, top_edu: int) -> tuple[dict[str, Any], dict[str, Any]]:
        tp = self.p["title_points"]
        if q.kind == "skill_level":
            level = q.level if isinstance(q.level, int) else 0
            points = tp["skill"].get(level, 0)
            high = level in (1, 2)
        else:
            level = q.level if isinstance(q.level, str) else ""
            points = tp["title"].get(level, 0)
            high = level in ("intermediate", "senior")
        fact = {"t": "qual", "idx": j, "kind": q.kind, "level": str(level), "tier_points": points, "high_tier": high,
                "matches": _tri(q.matches_position), "appointed": _tri(q.appointed), **self._where(q),
                "registration": ("unregistered" if q.kind == "vocational_qualification" and q.registration_required
                                 and not q.registered else "ok"),
                "catalogue": ("na" if q.kind != "vocational_qualification" else _tri(q.on_shanghai_catalogue)),
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
        city = q.obtained_city
        in_sh = "unknown" if not city else ("yes" if reference.province_of(city) == "上海" else "no")
        around = -1 if q.obtained_on is None else len(self._sh_months_around(q.obtained_on))
        return {"by_review": q.obtained_by == "review",
                "skill_level": q.level if q.kind == "skill_level" and isinstance(q.level, int) else 0,
                "obtained_in_sh": in_sh, "shanghai_verified": q.shanghai_verified, "sh_si_around_obtained": around}

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


def _tri(v: bool | str | None) -> str:
    if v is True:
        return "yes"
    if v is False:
        return "no"
    return "unknown"


def _ym(day: dt.date | None) -> str:
    return f"{day.year:04d}-{day.month:02d}" if day else "?"


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


def _remote_group(groups: dict[str, Any], area: str) -> str:
    """The designated-area group whose names include `area` (exact, spaces ignored), or 'other'."""
    key = "".join(area.split())
    for name, group in groups.items():
        if key in ("".join(n.split()) for n in group["names"]):
            return name
    return "other"


def _city_key(city: str) -> str:
    return city.strip().removesuffix("市")


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


def measure(book: Rulebook, app: Applicant, as_of: dt.date) -> Observation:
    return Measurer(book, app, as_of).run()
