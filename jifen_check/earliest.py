"""`earliest_eligible`: the first date on which a not-eligible applicant would pass, if time cures it.

Only when every blocker comes from a rule marked `time_cures` in the ruleset (6-of-12, the
3-working-day wait, the score: SI years and base months accumulate, remote-area years grow).
The applicant is projected forward, assuming contributions continue at the latest base with the
same payer and tax withholder, and the whole rule set is run again on each candidate date: the 1st
of each coming month, plus the permit-sync date. The first date whose result has no blocker and
reaches the pass mark (counted + at risk) is the answer; `None` if none within the horizon.
"""

from __future__ import annotations

import datetime as dt

from jifen_check import months as mo
from jifen_check.applicant import Applicant, IncomeTaxRow, SocialInsuranceRow
from jifen_check.facts import measure
from jifen_check.rulebook import Rulebook
from jifen_check.result import Result

HORIZON_MONTHS = 36


def curable(book: Rulebook, result: Result) -> bool:
    blockers = result.blockers()
    return bool(blockers) and all(book.rules[f.rule].time_cures for f in blockers if f.rule in book.rules)


def candidates(result: Result, as_of: dt.date) -> list[dt.date]:
    days = {mo.first_day(mo.of_date(as_of) + k) for k in range(1, HORIZON_MONTHS + 1)}
    for f in result.findings:
        if f.rule == "PRE-PERMIT-SYNC" and f.deadline:
            days.add(dt.date.fromisoformat(f.deadline))
    return sorted(d for d in days if d > as_of)


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
    return app.model_copy(update={"social_insurance": si, "income_tax": tax, "as_of": day})


def earliest_eligible(book: Rulebook, app: Applicant, as_of: dt.date, result: Result, ruleset_id: str) -> str | None:
    if not curable(book, result):
        return None
    from jifen_check.judge import engine_for_process

    engine = engine_for_process(ruleset_id)
    for day in candidates(result, as_of):
        ledger = engine.run(measure(book, project(app, as_of, day), day))
        if ledger.verdicts[0] != "not_eligible":
            return day.isoformat()
    return None
