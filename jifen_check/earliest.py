"""`earliest_eligible`: the first date on which a not-eligible applicant would pass, if time cures it.

Only when every blocker comes from a rule marked `time_cures` in the ruleset (6-of-12, the
3-working-day wait, the score: SI years and base months accumulate, remote-area years grow).
The applicant is projected forward, assuming contributions continue at the latest base with the
same payer and tax withholder, and that a permit and a contract valid today are renewed on time
(the result says so); the whole rule set is run again on each candidate date: the 1st
of each coming month, plus the permit-sync date. The first date whose result has no blocker and
reaches the pass mark (counted + at risk) is the answer; `None` if none within the horizon.
"""

from __future__ import annotations

import datetime as dt

from jifen_check import months as mo
from jifen_check.applicant import Applicant, Contract, IncomeTaxRow, ResidencePermit, SocialInsuranceRow
from jifen_check.engine import engine_for_process
from jifen_check.facts import expiry, measure
from jifen_check.result import Result
from jifen_check.rulebook import Rulebook

HORIZON_MONTHS = 36


def curable(book: Rulebook, result: Result) -> bool:
    blockers = result.blockers()
    return bool(blockers) and all(book.rules[f.rule].time_cures for f in blockers if f.rule in book.rules)


def lower_bound(result: Result, as_of: dt.date) -> dt.date:
    """No date before this can work: the dates the time-bound blockers themselves name."""
    bound = as_of + dt.timedelta(days=1)
    for f in result.blockers():
        if f.rule in ("PRE-PERMIT-SYNC", "PRE-SI-6OF12") and f.deadline and f.deadline[:1].isdigit():
            day = dt.date.fromisoformat(f.deadline if len(f.deadline) == 10 else f.deadline + "-01")
            bound = max(bound, day)
    return bound


def candidates(book: Rulebook, app: Applicant, result: Result, as_of: dt.date) -> list[dt.date]:
    """The 1st of each coming month, the permit-sync date, and each day a record leaves its window."""
    days = {mo.first_day(mo.of_date(as_of) + k) for k in range(1, HORIZON_MONTHS + 1)}
    for f in result.findings:
        if f.rule == "PRE-PERMIT-SYNC" and f.deadline:
            days.add(dt.date.fromisoformat(f.deadline))
    windows = book.snapshot(as_of)["deductions"]
    r = app.records
    for dates, key in ((r.false_materials, "false_material"), (r.administrative_detentions, "detention"),
                       (r.general_crimes, "crime")):
        days.update(expiry(d, windows[key]["years"]) for d in dates)
    start = lower_bound(result, as_of)
    end = mo.first_day(mo.of_date(as_of) + HORIZON_MONTHS)
    return sorted(d for d in days if start <= d <= end)


def max_gain(book: Rulebook, app: Applicant, as_of: dt.date, result: Result, band_months: list[int],
             ahead: int = HORIZON_MONTHS) -> int:
    """An upper bound on the points time can add in `ahead` months (to skip hopeless dates).

    SI years add at most one block per 12 months; a base band needs its month count, which grows
    by at most one a month, and only at the multiple the latest base reaches (projected months
    repeat it); remote-area years add per year; a deduction can expire. Age, contracts and permits
    can only take points away, so they are ignored here. The engine still decides every date that
    is not skipped.
    """
    p = book.snapshot(as_of)
    years = ahead // 12 + 1
    gain = p["si_years"]["points_per_block"] * years
    paid = [r for r in app.social_insurance if not r.back_payment]
    if paid:
        last = max(paid, key=lambda r: mo.spec_bounds(r.month)[1])
        ratio = last.base / book.param("average_wage", as_of)
        reachable = [b["points"] for b, n in zip(p["si_base_bands"], band_months, strict=False)
                     if ratio >= b["multiple"] - 1e-9 and n + ahead >= b["min_months"]]
        now = next((x.points for x in result.score.lines if x.rule == "BON-SI-BASE" and x.status != "not_counted"), 0)
        gain += max(0, max(reachable, default=0) - now)
    if app.bonuses.remote_area is not None:
        gain += p["bonuses"]["remote_area_per_year"] * years
    # A deduction leaves the total once its record is older than its window (3 or 5 years).
    gain += sum(-x.points for x in result.score.lines if x.rule.startswith("DED-") and x.points < 0)
    return gain


def project(app: Applicant, as_of: dt.date, day: dt.date) -> Applicant:
    """The applicant on `day`, had the latest contribution and tax rows continued monthly."""
    start, end = mo.of_date(as_of), mo.of_date(day)
    si = list(app.social_insurance)
    paid = [r for r in si if not r.back_payment]
    if paid and end > start:
        last = max(paid, key=lambda r: mo.spec_bounds(r.month)[1])
        first = max(mo.spec_bounds(last.month)[1] + 1, start + 1)
        if first <= end:
            si.append(SocialInsuranceRow(month=f"{mo.fmt(first)}..{mo.fmt(end)}", base=last.base,
                                         payer_uscc=last.payer_uscc))
    tax = list(app.income_tax)
    if tax:
        last_t = max(tax, key=lambda r: mo.spec_bounds(r.month)[1])
        first_t = mo.spec_bounds(last_t.month)[1] + 1
        if first_t <= end - 1:
            tax.append(IncomeTaxRow(month=f"{mo.fmt(first_t)}..{mo.fmt(end - 1)}", income=last_t.income,
                                    withholder_uscc=last_t.withholder_uscc))
    return app.model_copy(update={"social_insurance": si, "income_tax": tax, "as_of": day,
                                  "residence_permit": _kept_valid_permit(app, day),
                                  "contract": _kept_contract(app, as_of, day)})


def _kept_valid_permit(app: Applicant, day: dt.date) -> ResidencePermit:
    """A permit valid today is assumed renewed on time (签注 is routine), so expiry is no obstacle."""
    rp = app.residence_permit
    if rp.status != "valid" or rp.valid_until is None or rp.valid_until >= day + dt.timedelta(days=366):
        return rp
    return rp.model_copy(update={"valid_until": day + dt.timedelta(days=366)})


def _kept_contract(app: Applicant, as_of: dt.date, day: dt.date) -> Contract:
    """A contract in force today is assumed renewed before it ends, as contributions continue."""
    c = app.contract
    if c.end is None or c.end < as_of or c.end >= day + dt.timedelta(days=366):
        return c
    return c.model_copy(update={"end": day + dt.timedelta(days=366)})


def earliest_eligible(book: Rulebook, app: Applicant, as_of: dt.date, result: Result, ruleset_id: str,
                      band_months: list[int]) -> str | None:
    if not curable(book, result):
        return None
    reach = result.score.total + result.score.at_risk
    short = result.score.pass_mark - reach
    if short > 0 and max_gain(book, app, as_of, result, band_months) < short:
        return None
    engine = engine_for_process(ruleset_id)
    for day in candidates(book, app, result, as_of):
        ahead = mo.of_date(day) - mo.of_date(as_of)
        if short > 0 and max_gain(book, app, as_of, result, band_months, ahead) < short:
            continue
        ledger = engine.run(measure(book, project(app, as_of, day), day))
        if ledger.verdicts[0] != "not_eligible":
            return day.isoformat()
    return None
