"""The base-band month memo (facts/social_insurance.py) is keyed by all a month's verdict depends on.

It is shared by every applicant a process judges, and months of one contribution row within one wage
year share an entry: a month whose tax income no longer matches its base, or that is no longer in the
contract, must never reuse the verdict of a month that did.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pytest
from builders import AS_OF, EMPLOYER_USCC, OTHER_SH_USCC, base_applicant, si_row, tax_row
from hypothesis import given, settings
from hypothesis import strategies as st

from jifen_check import rulebook
from jifen_check.applicant import Applicant
from jifen_check.facts import Measurer, measure
from jifen_check.facts import social_insurance as si
from jifen_check.facts.social_insurance import _band_months
from jifen_check.money import at_least

DAY = dt.date.fromisoformat(AS_OF)


def _counts(**overrides: Any) -> tuple[int, int, list[int]]:
    app = Applicant.model_validate(base_applicant(**overrides))
    obs = measure(rulebook.load(rulebook.DEFAULT_RULESET), app, DAY)
    return obs.profile["tax_mismatch_count"], obs.profile["inconsistent_count"], obs.details["band_months"]


def _taxes(income_of_2026_03: float) -> list[dict[str, Any]]:
    return [tax_row("2023-01..2026-02", 12000), tax_row("2026-03", income_of_2026_03), tax_row("2026-04..2026-10", 12000)]


def test_a_month_whose_income_stops_matching_is_judged_again() -> None:
    si = [si_row("2023-01..2026-11", 12502)]
    assert _counts(social_insurance=si, income_tax=_taxes(12000))[0] == 0
    assert _counts(social_insurance=si, income_tax=_taxes(11251.79))[0] == 1  # below 0.9 × 12502
    assert _counts(social_insurance=si, income_tax=_taxes(11251.8))[0] == 0  # exactly 0.9 × 12502
    assert _counts(social_insurance=si, income_tax=_taxes(12000))[0] == 0


def test_the_same_months_differ_by_contract_and_withholder() -> None:
    si = [si_row("2023-01..2026-11", 12502)]
    taxes = [tax_row("2023-01..2026-10", 12000)]
    same = _counts(social_insurance=si, income_tax=taxes)
    assert same[:2] == (0, 0)
    other = [tax_row("2023-01..2025-12", 12000), tax_row("2026-01..2026-10", 12000, withholder=OTHER_SH_USCC)]
    assert _counts(social_insurance=si, income_tax=other)[1] == 10
    # Months paid and taxed by another unit: consistent before the contract starts, not within it.
    moved = [si_row("2023-01..2026-05", 12502, payer=OTHER_SH_USCC), si_row("2026-06..2026-11", 12502)]
    moved_tax = [tax_row("2023-01..2026-05", 12000, OTHER_SH_USCC), tax_row("2026-06..2026-10", 12000)]
    late = {"employer_uscc": EMPLOYER_USCC, "start": "2026-06-01", "end": None, "position": "工程师"}
    assert _counts(social_insurance=moved, income_tax=moved_tax, contract=late)[1] == 0
    early = {**late, "start": "2022-01-01"}
    assert _counts(social_insurance=moved, income_tax=moved_tax, contract=early)[1] > 0
    assert _counts(social_insurance=si, income_tax=taxes) == same


def _variants() -> list[dict[str, Any]]:
    """Applicants sharing contribution rows that straddle wage years (12434 reaches 1× the 2025 wage,
    not 12577 from 2026-07), differing in one thing a month's verdict depends on."""
    late = {"employer_uscc": EMPLOYER_USCC, "start": "2026-03-01", "end": None, "position": "工程师"}
    out = []
    for base in (12434, 12577, 24868, 25154, 9947.2):
        for income in (12434, base * 0.9, base * 0.9 - 0.01):
            for payer, contract in ((EMPLOYER_USCC, None), (OTHER_SH_USCC, None), (OTHER_SH_USCC, late)):
                for extra in ({}, {"back_payment": True}, {"transferred_in": True}):
                    doc = base_applicant(social_insurance=[si_row("2023-01..2025-06", 12000),
                                                           si_row("2025-07..2026-11", base, payer, **extra)],
                                         income_tax=[tax_row("2023-01..2025-06", 12000),
                                                     tax_row("2025-07..2026-10", round(income, 2), payer)])
                    if contract:
                        doc["contract"] = contract
                    out.append(doc)
    return out


class _Forgetful(dict):  # type: ignore[type-arg]
    """A memo that never finds anything: every month judged on its own."""

    def get(self, key: Any, default: Any = None) -> Any:
        return default


def test_the_memo_gives_what_judging_every_month_gives(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each variant measured after all the others filled the memo, and with no memo at all."""
    book = rulebook.load(rulebook.DEFAULT_RULESET)
    apps = [Applicant.model_validate(doc) for doc in _variants()]
    for app in apps:
        measure(book, app, DAY)
    warm = [measure(book, app, DAY) for app in apps]
    monkeypatch.setattr(si, "_month_memo", lambda wages, params: (_Forgetful(), {}))
    for app, seen in zip(apps, warm, strict=True):
        alone = measure(book, app, DAY)
        assert (alone.profile, alone.details) == (seen.profile, seen.details)
    assert len({str(sorted(o.profile.items())) for o in warm}) > 20  # the variants do differ


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.integers(min_value=-60, max_value=-1), st.integers(min_value=0, max_value=4), max_size=48),
       st.lists(st.sampled_from([12, 24, 36, 48]), min_size=4, max_size=4))
def test_band_counts_are_the_months_in_each_window_reaching_it(offsets: dict[int, int], windows: list[int]) -> None:
    """Per band (highest first), the months of its window missing at most its rank of bands."""
    am = 2026 * 12 + 10
    bands = [{"window_months": w} for w in windows]
    missed = {am + d: r for d, r in offsets.items()}
    expected = [sum(1 for m, r in missed.items() if m >= am - b["window_months"] and r <= k) for k, b in enumerate(bands)]
    assert _band_months(bands, missed, am) == expected


@settings(max_examples=300, deadline=None)
@given(base=st.sampled_from([12502.0, 11396.0, 37302.0, 7384.0, 36549.0, 0.1, 33333.33]),
       delta=st.one_of(st.integers(min_value=-6, max_value=6), st.floats(min_value=-50, max_value=50)))
def test_the_tax_match_is_money_at_least(base: float, delta: float) -> None:
    """`tax_matches` (its share of each base remembered) decides as money.at_least does, also for
    incomes a few floats either side of min_ratio × base."""
    app = Applicant.model_validate(base_applicant())
    m = Measurer(rulebook.load(rulebook.DEFAULT_RULESET), app, DAY)
    ratio = m.p["tax_match"]["min_ratio"]
    income = float(si.dec(ratio) * si.dec(base))
    if isinstance(delta, int):
        for _ in range(abs(delta)):
            income = math.nextafter(income, math.inf if delta > 0 else -math.inf)
    else:
        income = round(income + delta, 2)
    month = next(iter(m.tax))
    m.tax[month] = (income, None, 0)
    assert m.tax_matches(month, base) == at_least(income, ratio, base)


def _scan_month_by_month(m: Measurer) -> si.BandScan:
    """band_scan's result with every month judged on its own (no memo, no reuse of the month before)."""
    bands = m.p["si_base_bands"]
    lowest = min(b["multiple"] for b in bands)
    scan = si.BandScan({"backpay": [], "transferred": [], "inconsistent": [], "tax": []}, {}, [], [], [])
    for month in range(m.app_month - max(b["window_months"] for b in bands), m.app_month):
        rec = m.si.get(month)
        if rec is None:
            continue
        reason, missed, kind, practice = m._judge_month(month, rec, bands, lowest)
        if reason:
            scan.excluded[reason].append(month)
            continue
        scan.usable[month] = missed
        if kind == "provisional":
            scan.provisional.append(month)
        elif kind == "unverified":
            scan.unverified.append(month)
        if practice:
            scan.practice.append(month)
    return scan


def test_the_scan_gives_what_judging_every_month_on_its_own_gives() -> None:
    """band_scan reuses the verdict of the month before (same row, wage class, withholder, match and
    contract) and the memo: neither may change a single month's verdict."""
    book = rulebook.load(rulebook.DEFAULT_RULESET)
    for doc in _variants():
        app = Applicant.model_validate(doc)
        for day in (DAY, DAY + dt.timedelta(days=200)):  # later: the window holds provisional months
            assert Measurer(book, app, day).band_scan == _scan_month_by_month(Measurer(book, app, day))


@settings(max_examples=300, deadline=None)
@given(base=st.sampled_from([12502.0, 11396.0, 37302.0, 7384.0, 36549.0, 0.1, 33333.33, 10.0, 11251.0]),
       delta=st.one_of(st.integers(min_value=-3, max_value=3), st.floats(min_value=-50, max_value=50)))
def test_whole_incomes_compared_with_the_ceiling_match_money_at_least(base: float, delta: float) -> None:
    """`_income_reaches` compares a whole-number income with ⌈min_ratio × base⌉: the same decision as
    money.at_least, for whole incomes either side of the product and for any other income."""
    app = Applicant.model_validate(base_applicant())
    m = Measurer(rulebook.load(rulebook.DEFAULT_RULESET), app, DAY)
    ratio = m.p["tax_match"]["min_ratio"]
    product = si.dec(ratio) * si.dec(base)
    income = float(math.floor(product) + delta) if isinstance(delta, int) else round(float(product) + delta, 2)
    assert m._income_reaches(income, base) == at_least(income, ratio, base)
    assert m._income_reaches(income, base) == m._income_reaches(income, base)  # the ceiling remembered
