"""Measurements of Shanghai social insurance (rules/gates.yaml, points.yaml, bonuses.yaml, pitfalls.yaml):
the 6-of-12 months, valid months and SI-years points, double contributions, and the contribution-base
bands counted month by month (see `base_bands`: the one decision kept in Python for speed)."""

from __future__ import annotations

from typing import Any

from jifen_check import months as mo
from jifen_check import reference
from jifen_check.facts.base import MeasurerBase, SiMonth
from jifen_check.money import at_least, dec


class SocialInsuranceMeasures(MeasurerBase):
    """Shanghai social insurance month by month."""

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
