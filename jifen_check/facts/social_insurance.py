"""Measurements of Shanghai social insurance (rules/gates.yaml, points.yaml, bonuses.yaml, pitfalls.yaml):
the 6-of-12 months, valid months and full years, double contributions, and the months at each
contribution-base band.

Kept in Python for speed: whether a month's base reaches a band (against the wage in force that month,
thresholds from si_base_bands) and the count per band window. Asserting each month as an engine fact
would cost ~100 µs per month (48 per applicant). What the counts mean (which band, its points) is
decided by BON-SI-BASE; the SI-years points by PTS-SI-YEARS."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

from jifen_check import months as mo
from jifen_check import reference
from jifen_check.facts.base import MeasurerBase, SiMonth, once
from jifen_check.money import dec


@dataclass
class BandScan:
    """The months of the base window: `excluded` by reason, `usable` (month → how many bands, highest
    first, its base does NOT reach), and the usable months compared with a provisional, an unverified
    or a practice wage."""

    excluded: dict[str, list[int]]
    usable: dict[int, int]
    provisional: list[int]
    unverified: list[int]
    practice: list[int]


def band_field(band: dict[str, Any], safe: bool = False) -> str:
    """The profile field of a band's months: `si_base_months_3x`, `si_base_months_0_8x` (`_safe`: without
    the months also insured elsewhere). vocabulary.py declares one per band of si_base_bands."""
    return _band_field(band["multiple"], safe)


@lru_cache(maxsize=256)  # a few bands; 8 fields a judgement
def _band_field(multiple: float, safe: bool) -> str:
    return f"si_base_months_{multiple:g}x".replace(".", "_") + ("_safe" if safe else "")


_MEMO_LIMIT = 200_000  # months remembered per (wages, parameters); a long batch starts afresh
_Verdict = tuple[str | None, int, str | None, bool]
_memos: dict[tuple[int, int], tuple[Any, Any, dict[tuple[Any, ...], _Verdict], dict[int, tuple[Any, ...]]]] = {}


def _month_memo(wages: Any, params: dict[str, Any]) -> tuple[dict[tuple[Any, ...], _Verdict], dict[int, tuple[Any, ...]]]:
    """The months already judged against these wages and parameters (both cached for the process, so
    their identity names them; the entry keeps them alive so an id is never reused), and each
    month's wage class (`_wage_class`)."""
    entry = _memos.get((id(wages), id(params)))
    if entry is None or entry[0] is not wages or entry[1] is not params:
        entry = _memos[(id(wages), id(params))] = (wages, params, {}, {})
    if len(entry[2]) > _MEMO_LIMIT:
        entry[2].clear()
    return entry[2], entry[3]


_classes: dict[tuple[Any, ...], tuple[Any, ...]] = {}  # each wage class once (a few per wage year)


def _wage_class(wages: Any, classes: dict[int, tuple[Any, ...]], m: int) -> tuple[Any, ...]:
    """All that `_judge_month` reads of month `m` from the wages: the wage compared with (thresholds,
    bands), the declared wage (practice reference), provisional and unverified. Months of one class
    with the same record are judged alike, so a year of identical rows is judged once. Equal classes
    are one object (band_scan compares them by identity)."""
    c = classes.get(m)
    if c is None:
        c = (wages.at(m), wages.declared(m), wages.provisional(m), wages.unverified(m))
        c = classes[m] = _classes.setdefault(c, c)
    return c


@lru_cache(maxsize=1 << 14)  # a few bases a person, the same again for each projected applicant
def _ceiling(ratio: float, base: float) -> int:
    """⌈ratio × base⌉, exactly: the decimal product (money.at_least's) rounded up to a whole number."""
    return math.ceil(dec(ratio) * dec(base))


def _band_months(bands: list[dict[str, Any]], missed: dict[int, int], am: int) -> list[int]:
    """Per band (highest first), the usable months in its window whose base reaches it. `missed`: per
    usable month, how many bands (highest first) it does not reach; a month at a higher multiple also
    counts toward the lower bands. Which band is reached, and its points, BON-SI-BASE decides."""
    if not missed:
        return [0] * len(bands)
    # list.count per band rather than a Counter: a few bands, and a Counter's set-up cost more than
    # counting the ~48 months again for each.
    earliest, missing = min(missed), list(missed.values())
    out, reached = [], 0
    for k, b in enumerate(bands):
        reached += missing.count(k)  # months reaching band k: those missing at most k bands
        first = am - b["window_months"]
        # A window holding every month (the widest, usually) needs no month-by-month count.
        out.append(reached if first <= earliest else sum(1 for m, r in missed.items() if m >= first and r <= k))
    return out


@lru_cache(maxsize=4096)  # bands × month counts (0-48): formatting 8 texts a judgement was a fiftieth of it
def _band_count(window: int, multiple: float, needed: int, n: int) -> tuple[str, str]:
    """One band's count as BON-SI-BASE quotes it, in Chinese and in English."""
    return (f"近{window}个月≥{multiple:g}倍 {n} 个月（需 {needed}）",
            f"≥{multiple:g}× the average wage in the last {window} months: {n} months ({needed} needed)")


@lru_cache(maxsize=1024)  # a few windows over the application months of a batch
def _window(am: int, months: int) -> str:
    """The `months` months before application month `am`, as messages quote them: 2022-11–2026-10."""
    return f"{mo.fmt(am - months)}–{mo.fmt(am - 1)}"


@lru_cache(maxsize=1024)
def _si_path(row: int) -> str:
    return f"social_insurance[{row}]"


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
        """The month's declared income is at least min_ratio × base, exactly (money.at_least's
        comparison, in decimal), with the base's share worked out once per base: band_scan asks
        every month."""
        tax = self.tax.get(mi)
        if tax is None:
            return False
        return dec(tax[0]) >= (self._tax_needs.get(base) or self._tax_need(base))

    def _tax_need(self, base: float) -> Decimal:
        need = self._tax_needs[base] = dec(self.p["tax_match"]["min_ratio"]) * dec(base)
        return need

    @once
    def _tax_needs(self) -> dict[float, Decimal]:
        return {}

    # ------------------------------------------------ the months the quantities are counted from

    @once
    def counted_months(self) -> set[int]:
        """Months of Shanghai social insurance paid on time, up to the application month, that were
        not transferred in from another city (those count for nothing)."""
        am = self.app_month
        return {m for m, r in self.si.items() if not r.back_payment and not r.transferred and m <= am}

    @once
    def backpay_months(self) -> list[int]:
        """Months paid in arrears."""
        # Every month's record is one of the rows: with no row paid in arrears, no month is.
        if not any(r.back_payment for r in self.app.social_insurance):
            return []
        return sorted(m for m, r in self.si.items() if r.back_payment)

    @once
    def double_months(self) -> list[int]:
        """Counted months also insured in another city. A month transferred in is that city's
        contribution moved here, not a second payer: never a double contribution."""
        if not self.others:
            return []
        return sorted(m for m in self.counted_months if m in self.others)

    @once
    def six_of_twelve_months(self) -> list[int]:
        """Counted months in the 6-of-12 window (months transferred in are not Shanghai contributions).
        The window's months in order, each looked up: fewer than all the months paid."""
        win, am, si = self.p["six_of_twelve"]["window_months"], self.app_month, self.si
        return [m for m in range(am - win, am)
                if (r := si.get(m)) is not None and not r.back_payment and not r.transferred]

    @once
    def title_base_month_list(self) -> list[int]:
        """Valid months in the title window whose base reaches the title multiple of the wage in force."""
        win = self.p["title_si_base"]
        am, si, multiple, thresholds = self.app_month, self.si, (win["multiple"],), self.wages.thresholds
        # money.at_least's comparison, with the product multiple × wage the wages keep per month.
        return [m for m in range(am - win["window_months"], am)
                if (r := si.get(m)) is not None and not r.back_payment and dec(r.base) >= thresholds(m, multiple)[0]]

    # ------------------------------------------------ one function per quantity (vocabulary.PROFILE)

    def app_month_status(self) -> str:
        """app_month_status: the application month paid, paid in arrears, or without a record."""
        rec = self.si.get(self.app_month)
        return "none" if rec is None else ("backpay" if rec.back_payment else "paid")

    def app_payer_ok(self) -> bool:
        """app_payer_ok: the application month's payer is the contract employer (or not given)."""
        rec = self.si.get(self.app_month)
        return rec is None or rec.payer is None or rec.payer == self.contract_uscc

    def si_6of12(self) -> int:
        """si_6of12: counted months in the 12 months before the application month."""
        return len(self.six_of_twelve_months)

    def si_valid_months(self) -> int:
        """si_valid_months: counted months in all, up to the application month."""
        return len(self.counted_months)

    def si_valid_years(self, without_double: bool = False) -> int:
        """si_valid_years (`without_double`: si_valid_years_safe): full blocks of si_years.months_per_block
        counted months; PTS-SI-YEARS computes the points from them."""
        double = self.double_months if without_double else []
        months = len(self.counted_months - set(double)) if double else len(self.counted_months)
        return months // self.p["si_years"]["months_per_block"]

    def social_insurance(self) -> None:
        self.set(app_month_status=self.app_month_status(), app_payer_ok=self.app_payer_ok(),
                 si_6of12=self.si_6of12(), si_valid_months=self.si_valid_months(),
                 si_valid_years=self.si_valid_years(), si_valid_years_safe=self.si_valid_years(without_double=True),
                 backpay_count=len(self.backpay_months), double_city_count=len(self.double_months),
                 title_base_months=len(self.title_base_month_list))
        self._social_insurance_details()

    def _social_insurance_details(self) -> None:
        """What the 6-of-12, back-payment, double-city and title-base messages quote."""
        am, six, double, backpay = self.app_month, self.six_of_twelve_months, self.double_months, self.backpay_months
        win, title_win = self.p["six_of_twelve"]["window_months"], self.p["title_si_base"]["window_months"]
        app_rec = self.si.get(am)
        cities = sorted({c for m in double for c in self.others[m]})
        self.note(si_6of12_window=_window(am, win), si_6of12_months=mo.spans(six),
                  si_6of12_missing=max(0, self.p["six_of_twelve"]["min_months"] - len(six)),
                  backpay_months=mo.spans(backpay), double_city_months=mo.spans(double),
                  double_city_cities="、".join(cities),
                  si_valid_months=self.si_valid_months(), title_base_months=mo.spans(self.title_base_month_list),
                  title_base_window=_window(am, title_win),
                  ev_backpay=[f"social_insurance[{self.si[m].row}]" for m in backpay],
                  ev_app_month=[_si_path(app_rec.row)] if app_rec else ["social_insurance"],
                  ev_double=sorted({f"social_insurance[{self.si[m].row}]" for m in double}) + ["other_social_insurance"])
        self.note(**self._six_cure(self.counted_months))
        self.note_en(double_city_cities=", ".join(reference.place_en(c) for c in cities))

    def _six_cure(self, valid: set[int]) -> dict[str, Any]:
        """First month whose preceding 12 months hold 6 paid months, if contributions continue."""
        need = self.p["six_of_twelve"]["min_months"]
        win = self.p["six_of_twelve"]["window_months"]
        am = self.app_month
        # The window before `target` = am + ahead holds the months from am on (paid from now on:
        # min(ahead, win) of them) and the paid months of [target - win, am): those of today's window
        # from its `ahead`-th month on, counted down as the window moves.
        paid = [m in valid for m in range(am - win, am)]
        earlier = sum(paid)
        for ahead in range(0, win + 2):
            if min(ahead, win) + earlier >= need:
                return {"si_6of12_cure_month": mo.fmt(am + ahead), "si_6of12_wait": ahead}
            if ahead < win:
                earlier -= paid[ahead]
        return {"si_6of12_cure_month": "—", "si_6of12_wait": "—"}

    @once
    def band_scan(self) -> BandScan:
        """Each month of the widest band window, once: excluded (and why), or usable with the number
        of bands its base misses; and which wage it was compared with."""
        bands = self.p["si_base_bands"]
        lowest = min(b["multiple"] for b in bands)
        scan = BandScan({"backpay": [], "transferred": [], "inconsistent": [], "tax": []}, {}, [], [], [])
        excluded, usable, provisional, unverified, practice = (scan.excluded, scan.usable, scan.provisional,
                                                               scan.unverified, scan.practice)
        memo, classes = _month_memo(self.wages, self.p)
        wages, si, tax, unit = self.wages, self.si, self.tax, self.contract_uscc
        start, end = self.contract_months
        known: _Verdict = (None, 0, None, False)  # that of the month before (its record, class, … below)
        rec_of_ceiling, ceiling, ratio = None, 0, self.p["tax_match"]["min_ratio"]
        last_rec = last_class = last_withholder = last_matches = last_inside = None
        for m in range(self.app_month - max(b["window_months"] for b in bands), self.app_month):
            rec = si.get(m)
            if rec is None:
                continue
            # A month's verdict depends only on these: of its tax row, only the withholder and whether
            # the income matches the base (incomes differ month by month), so the months of one
            # contribution row within one wage year are judged once; routes and the earliest-date
            # search judge the same months again for each projected applicant. (`tax_matches` and
            # `in_contract` inline: this loop runs for every month of every judgement.)
            t = tax.get(m)
            if t is None:
                withholder, matches = None, False
            else:
                withholder, income = t[1], t[0]
                if type(income) is float and income.is_integer():  # nearly all: see `_income_reaches`
                    if rec is not rec_of_ceiling:
                        rec_of_ceiling, ceiling = rec, _ceiling(ratio, rec.base)
                    matches = income >= ceiling
                else:
                    matches = self._income_reaches(income, rec.base)
            wage_class, inside = classes.get(m) or _wage_class(wages, classes, m), start <= m <= end
            # Mostly the previous month's verdict: the same record (one row of a range), wage class,
            # withholder, match and contract give the same key, so the memo would answer the same.
            if (rec is not last_rec or wage_class is not last_class or matches is not last_matches
                    or inside is not last_inside or withholder != last_withholder):
                last_rec, last_class, last_withholder, last_matches, last_inside = (rec, wage_class, withholder,
                                                                                    matches, inside)
                key = (wage_class, rec.base, rec.payer, rec.back_payment, rec.transferred, withholder, matches,
                       inside, unit)
                known = memo.get(key) or memo.setdefault(key, self._judge_month(m, rec, bands, lowest))
            reason, missed, wage_kind, practised = known
            if reason:
                excluded[reason].append(m)
                continue
            usable[m] = missed
            if wage_kind == "provisional":
                provisional.append(m)
            elif wage_kind == "unverified":
                unverified.append(m)
            if practised:
                practice.append(m)
        return scan

    def _income_reaches(self, income: float, base: float) -> bool:
        """`tax_matches` for a month with a tax row: income ≥ min_ratio × base, exactly. A whole-number
        income (nearly all) is compared with the whole-number ceiling of the product: for an integer n,
        n ≥ x exactly when n ≥ ⌈x⌉ (and Python compares an int with a float exactly). Any other income
        goes through its decimal, as `tax_matches` does: dec() of a new income every month was half
        of band_scan's time, as incomes differ month by month and person by person."""
        if type(income) is float and income.is_integer() or type(income) is int:
            return income >= _ceiling(self.p["tax_match"]["min_ratio"], base)
        return dec(income) >= (self._tax_needs.get(base) or self._tax_need(base))

    def _judge_month(self, m: int, rec: SiMonth, bands: list[dict[str, Any]],
                     lowest: float) -> tuple[str | None, int, str | None, bool]:
        """(exclusion reason, bands missed, which wage kind it was compared with, practice reference)."""
        reason = self._exclusion(m, rec, lowest)
        if reason:
            return reason, 0, None, False
        missed = self._bands_missed(bands, rec.base, m)
        # The wage used only matters where the month could reach a band: with it, or, for an unverified
        # value, with the value before it (then the unverified value alone makes the month miss every band).
        if missed >= len(bands) and not self._unverified_decides(rec.base, m, lowest):
            return None, missed, None, False
        kind = "provisional" if self.wages.provisional(m) else "unverified" if self.wages.unverified(m) else None
        return None, missed, kind, self.wages.practice_reference(m)

    def band_months(self, without_double: bool = False) -> list[int]:
        """si_base_months_3x … si_base_months_0_8x (`without_double`: the `_safe` ones): per band, highest
        first, the usable months in its window whose base reaches it (see `_band_months`)."""
        usable = self.band_scan.usable
        if not without_double:
            return self._band_months_all
        if not any(m in self.others for m in usable):  # nothing double: the same months
            return self._band_months_all
        return _band_months(self.p["si_base_bands"], {m: r for m, r in usable.items() if m not in self.others},
                            self.app_month)

    @once
    def _band_months_all(self) -> list[int]:
        return _band_months(self.p["si_base_bands"], self.band_scan.usable, self.app_month)

    def inconsistent_app_month(self) -> bool:
        """inconsistent_app_month: the application month's contract, SI and tax employers differ."""
        return not self.consistent(self.app_month) and self.app_month in self.si

    def base_bands(self) -> None:
        bands, scan, months = self.p["si_base_bands"], self.band_scan, self.band_months()
        self.set(**{band_field(b): n for b, n in zip(bands, months, strict=True)},
                 **{band_field(b, safe=True): n for b, n in zip(bands, self.band_months(without_double=True),
                                                               strict=True)},
                 si_base_best_months=max(months),
                 tax_mismatch_count=len(scan.excluded["tax"]), inconsistent_count=len(scan.excluded["inconsistent"]),
                 inconsistent_app_month=self.inconsistent_app_month(),
                 provisional_count=len(scan.provisional), unverified_wage_count=len(scan.unverified),
                 practice_wage_count=len(scan.practice))
        self._band_details(months)

    def _band_details(self, months: list[int]) -> None:
        """What BON-SI-BASE and the month-exclusion pitfalls quote: the months per band, the months left
        out and why, the wage compared with."""
        am, bands, scan = self.app_month, self.p["si_base_bands"], self.band_scan
        widest = max(b["window_months"] for b in bands)
        unverified, excluded = scan.unverified, scan.excluded
        texts = [_band_count(b["window_months"], b["multiple"], b["min_months"], n)
                 for b, n in zip(bands, months, strict=True)]
        counts, counts_en = [zh for zh, _ in texts], [en for _, en in texts]
        self.note(band_counts=counts, band_summary="；".join(counts), band_months=months,
                  tax_mismatch_months=mo.spans(excluded["tax"]), inconsistent_months=mo.spans(excluded["inconsistent"]),
                  provisional_months=mo.spans(scan.provisional), unverified_wage_months=mo.spans(unverified),
                  unverified_wage=(self.wages.at(unverified[0]) if unverified else "—"),
                  unverified_wage_source=(self.wages.source(unverified[0]) if unverified else "—"),
                  practice_wage_months=mo.spans(scan.practice),
                  practice_wage=(self.wages.at(scan.practice[0]) if scan.practice else "—"),
                  practice_declared_wage=(self.wages.declared(scan.practice[0]) if scan.practice else "—"),
                  provisional_wage=self.wages.at(am), base_window=_window(am, widest),
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

    def _unverified_decides(self, base: float, m: int, lowest: float) -> bool:
        """Month `m` misses every band against an unverified wage but reaches the lowest against the value
        in force before it (QA round 2: 12577 against 12434 turned 124 points into 99, unannounced)."""
        earlier = self.wages.before_unverified(m)
        return earlier is not None and dec(base) >= dec(lowest) * earlier

    def _bands_missed(self, bands: list[dict[str, Any]], base: float, m: int) -> int:
        """How many bands, highest multiple first, month `m`'s base does not reach (exactly)."""
        amount = dec(base)
        for k, threshold in enumerate(self.wages.thresholds(m, tuple(b["multiple"] for b in bands))):
            if amount >= threshold:
                return k
        return len(bands)

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
