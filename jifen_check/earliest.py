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

import bisect
import datetime as dt
from collections.abc import Callable, Iterable
from functools import lru_cache
from itertools import accumulate
from typing import Any

from jifen_check import months as mo
from jifen_check.applicant import Applicant, Contract, IncomeTaxRow, ResidencePermit, SocialInsuranceRow
from jifen_check.dates import parse_iso_or_month
from jifen_check.engine.backend import engine_for_process
from jifen_check.facts import SiMonth, age_on, expand_si, expand_tax, expiry, measure, table_points, wages_for
from jifen_check.identifiers import id_birth_date
from jifen_check.result import Result
from jifen_check.rulebook import Rulebook

# How far ahead the earliest date is looked for. 60 months cover every deduction's window (DED-CRIME and
# DED-DETENTION: 5 years), so a record that stops counting is always found as the day time cures it
# (formats.md: earliest_eligible is null only where time does not cure); with 36 a detention 3-5 years
# old gave null (QA D2). Dates after 2027-12-31 carry earliest_eligible_note (the rules after are unknown).
HORIZON_MONTHS = 60


def curable(book: Rulebook, result: Result) -> bool:
    blockers = result.blockers()
    return bool(blockers) and all(book.rules[f.rule].time_cures for f in blockers if f.rule in book.rules)


def lower_bound(result: Result, as_of: dt.date) -> dt.date:
    """No date before this can work: the dates the time-bound blockers themselves name."""
    return max(as_of + dt.timedelta(days=1), blocked_until(result) or as_of)


def blocked_until(result: Result) -> dt.date | None:
    """The latest date a time-bound blocker names: no date before it can be eligible.

    PRE-PERMIT-SYNC names the permit's first usable day; PRE-SI-6OF12 the first month whose 12
    months before hold 6 paid ones had every month from the application month on been paid
    (facts' _six_cure), no later than where the projection (which pays from the next month on,
    at most those months) reaches 6. Contributions continuing and the permit unchanged, either
    blocker stands on every date before the day it names."""
    days = [parse_iso_or_month(f.deadline) for f in result.blockers()
            if f.rule in ("PRE-PERMIT-SYNC", "PRE-SI-6OF12") and f.deadline and f.deadline[:1].isdigit()]
    return max(days, default=None)


def candidates(book: Rulebook, app: Applicant, result: Result, as_of: dt.date) -> list[dt.date]:
    """The 1st of each coming month, the permit-sync date, and each day a record leaves its window."""
    days = set(_month_starts(mo.of_date(as_of)))
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
    ordered = sorted(d for d in days if start <= d <= end)
    # Past the age limit is for good (age only grows with the date): the dates before the first
    # such date are kept, found by bisection instead of an age for every date.
    return ordered[:bisect.bisect_left(ordered, True, key=_too_old(book, app, as_of))]


@lru_cache(maxsize=64)  # a batch shares a few as-of months
def _month_starts(month: int) -> tuple[dt.date, ...]:
    """The 1st of each of the HORIZON_MONTHS months after `month`."""
    return tuple(mo.first_day(month + k) for k in range(1, HORIZON_MONTHS + 1))


def _too_old(book: Rulebook, app: Applicant, as_of: dt.date) -> Callable[[dt.date], bool]:
    """Dates past the age limit: PRE-AGE blocks them all, and age only grows (a 17-year-old's wait
    for 18 is left to the judge)."""
    birth = app.person.birth_date or id_birth_date(app.person.id_number)
    oldest = book.snapshot(as_of)["age_limits"]["max"]
    return lambda day: birth is not None and age_on(birth, day) > oldest


def max_gain(book: Rulebook, app: Applicant, as_of: dt.date, result: Result, band_months: list[int],
             ahead: int = HORIZON_MONTHS) -> int:
    """An upper bound on the points time can add within `ahead` months (to skip hopeless dates)."""
    return gain_bound(book, app, as_of, result, band_months)(ahead)


# Reasons that keep a line not counted whatever the date: they look only at records that the
# projection does not change (degrees and their papers, titles and their papers, the person).
_STATIC_BLOCKS = frozenset({"PIT-PRIOR-DEGREE", "PIT-DEGREE-UNVERIFIABLE", "PIT-TITLE-MATCH",
                            "PIT-TITLE-WHERE", "PIT-TITLE-REGISTERED"})
# Reasons that keep a line at risk whatever the date, for the same reason (match, appointment,
# registration, catalogue, the prior degree, a title over a high-school education: all inputs):
# such a line is never counted later, which bounds the counted points (plan's eligible dates).
_STATIC_RISKS = frozenset({"PIT-TITLE-MATCH", "PIT-TITLE-REGISTERED", "PIT-TITLE-EDU", "PIT-PRIOR-DEGREE"})
# Lines whose growth is bounded one by one below; every other line not counted today is assumed
# to count in full from the first projected date (sound whatever blocks it).
_BOUNDED = frozenset({"PTS-AGE", "PTS-SI-YEARS", "BON-SI-BASE", "PTS-EDU", "PTS-TITLE", "BON-SPOUSE-HUKOU",
                      "BON-REMOTE-AREA"})


def gain_bound(book: Rulebook, app: Applicant, as_of: dt.date, result: Result,
               band_months: list[int], *, counted: bool = False,
               horizon: int = HORIZON_MONTHS, new_title: int = 0,
               new_title_waiting: int = 0) -> Callable[[int], int]:
    """`ahead -> an upper bound on the points time adds by a date `ahead` months on` (0 ≤ ahead ≤
    `horizon`: the months projected; the argument below holds for any horizon).

    reach(day) is a sum over score lines, so the bound is a sum of per-line bounds, each
    ≥ (value on the projected date − value in reach today). The age part is negative where the
    age points surely fall (after 43): still an upper bound on the change, and it keeps a falling
    score from looking curable. (The other parts stay ≥ 0.)

    `new_title`: the most a PTS-TITLE candidate not among `result`'s lines may score (a
    qualification a route adds): the education-or-title pair may then be worth that much.
    `new_title_waiting`: the same for one that PIT-TITLE-SI-BASE keeps out until its base months
    fill: it counts like a title waiting for them (below).

    `counted=True` bounds the counted points instead (an eligible date needs counted ≥ the pass
    mark): values are counted points, a line at risk today may become counted later unless its
    reason is one of `_STATIC_RISKS`, and a counted line's part at risk may become counted.

    Why each part is sound:

    - SI years (PTS-SI-YEARS): counted months are distinct months ≤ the application month; by a date
      `ahead` months on, at most `ahead` new months exist (projected or rows dated after today),
      so points ≤ per_block × ⌊(months_today + ahead) / block⌋: a point step only when a 12-month
      block completes.
    - Base bands (BON-SI-BASE): the projected applicant is built once for the whole horizon (the
      projection of a nearer date is a prefix of it, month for month); a band's month count on a
      date is at most the months of its window whose base reaches the multiple of that month's wage,
      whose tax row (real or projected) matches, and which are not back-paid or transferred. The
      payer/withholder consistency check is left out: leaving out an exclusion only raises counts.
      So a base bonus counts only if the latest tax row lets projected months count, and tax rows
      that only lag are still credited.
    - Age (PTS-AGE): the best table value of the ages the applicant can have on a date in that month
      (the table falls after 43 and a 17-year-old gains), minus today's value.
    - Education or title (PTS-EDU, PTS-TITLE, only the better counts): at most the best line that
      could count then, minus both lines' value today. A title kept out by PIT-TITLE-SI-BASE can
      count only once 6 of the 12 months before the date reach 1× the wage (projected bases known).
    - Spouse years (BON-SPOUSE-HUKOU): per-year points for the full years married by the date.
    - Remote-area years: per year (an upper bound; the years are an input and do not grow).
    - Deductions (DED-*): any may have expired.
    - Any other line not counted today, except for reasons that look only at unchanging records:
      its full points (fresh graduate, and whatever a new rule adds).
    Waits (3 working days after a permit renewal, 6-of-12) add no points: they bound the first
    candidate date instead (`lower_bound`). The engine still decides every date not skipped.
    """
    p = book.snapshot(as_of)
    start = mo.of_date(as_of)
    lines = result.score.lines
    in_reach = {ln.rule: 0 for ln in lines}
    for ln in lines:
        if ln.status == "counted" or (ln.status == "at_risk" and not counted):
            in_reach[ln.rule] += ln.points + (0 if counted else ln.at_risk_points)
    si, tax = _ahead_months(app, as_of, mo.first_day(start + horizon + 1))
    wages = wages_for(book)

    si_years = _si_years_gain(p, app, start, in_reach.get("PTS-SI-YEARS", 0), si)
    bands = _band_gain(p, si, tax, wages, start, in_reach.get("BON-SI-BASE", 0), horizon)
    age = _age_gain(p, app, as_of, in_reach.get("PTS-AGE", 0))
    edu_title = _edu_title_gain(p, app, lines, si, wages, start,
                                in_reach.get("PTS-EDU", 0) + in_reach.get("PTS-TITLE", 0), counted, horizon,
                                new_title, new_title_waiting)
    spouse = _spouse_gain(p, app, as_of)
    years_bonus = p["bonuses"]["remote_area_per_year"] if app.bonuses.remote_area is not None else 0
    fixed = sum(-ln.points for ln in lines if ln.rule.startswith("DED-") and ln.points < 0)
    fixed += sum(ln.points for ln in lines if ln.status == "not_counted" and ln.points > 0
                 and ln.rule not in _BOUNDED and not ln.rule.startswith("DED-") and ln.reason not in _STATIC_BLOCKS)
    if counted:  # at-risk points of other lines may be confirmed (a talent's document, a shortage major)
        # (the remote-area bonus is bounded per year above only as points in reach)
        fixed += sum(ln.points if ln.status == "at_risk" else ln.at_risk_points for ln in lines
                     if (ln.rule not in _BOUNDED or ln.rule == "BON-REMOTE-AREA") and ln.status != "not_counted")

    memo: dict[int, int] = {}  # a search asks for most months more than once (all of them, then its dates)

    def bound(ahead: int) -> int:
        value = memo.get(ahead)
        if value is None:
            value = memo[ahead] = (si_years(ahead) + bands(ahead) + age(ahead) + edu_title(ahead) + spouse(ahead)
                                   + years_bonus * (ahead // 12 + 1) + fixed)
        return value

    return bound


def _si_years_gain(p: dict[str, Any], app: Applicant, start: int, now: int,
                   si: dict[int, SiMonth] | None = None) -> Callable[[int], int]:
    """`si`: the applicant's months projected on from `start` (`_ahead_months`), whose months up to
    `start` are the applicant's own (the projection adds months after `start` only)."""
    months = sum(1 for m, r in (expand_si(app) if si is None else si).items()
                 if m <= start and not r.back_payment and not r.transferred)
    per, block = p["si_years"]["points_per_block"], p["si_years"]["months_per_block"]
    return lambda ahead: max(0, per * ((months + ahead) // block) - now)


def _band_gain(p: dict[str, Any], si: dict[int, Any], tax: dict[int, Any], wages: Any, start: int,
               now: int, horizon: int = HORIZON_MONTHS) -> Callable[[int], int]:
    bands = p["si_base_bands"]
    widest = max(b["window_months"] for b in bands)
    min_ratio = p["tax_match"]["min_ratio"]
    first = start - widest
    ratios = []  # per month from `first`: its base as a multiple of its wage, 0 if it cannot count
    si_get, tax_get, append = si.get, tax.get, ratios.append
    months = range(first, start + horizon + 1)
    for m, wage in zip(months, _wages_from(wages, first, start + horizon), strict=True):
        rec = si_get(m)
        if rec is None or rec.back_payment or rec.transferred:
            append(0.0)
            continue
        t = tax_get(m)
        append(rec.base / wage if t is not None and t[0] >= min_ratio * rec.base else 0.0)
    # Per band, running counts of months reaching its multiple: a window's count is one subtraction.
    running = [(b["window_months"], b["min_months"], b["points"], _running([r >= b["multiple"] - 1e-9 for r in ratios]))
               for b in bands]

    def gain(ahead: int) -> int:
        end = start + ahead - first  # months before the application month of the projected date
        best = 0
        for window, need, points, counts in running:  # the most points of a band whose window holds enough
            if points > best and counts[end] - counts[max(end - window, 0)] >= need:
                best = points
        return max(0, best - now)

    return gain


_WAGE_SPANS: dict[tuple[int, int, int], tuple[Any, tuple[int, ...]]] = {}


def _wages_from(wages: Any, first: int, last: int) -> tuple[int, ...]:
    """`wages.at(m)` for the months `first`..`last`, made once per span (a batch shares its as-of
    dates, so gain_bound asks for a few spans again and again). The entry keeps `wages` alive, so
    its id names it."""
    key = (id(wages), first, last)
    hit = _WAGE_SPANS.get(key)
    if hit is None or hit[0] is not wages:
        if len(_WAGE_SPANS) >= 256:
            _WAGE_SPANS.clear()
        hit = _WAGE_SPANS[key] = (wages, tuple(wages.at(m) for m in range(first, last + 1)))
    return hit[1]


def _running(flags: list[bool]) -> list[int]:
    """counts[i] = how many of flags[:i] are true."""
    return list(accumulate(flags, initial=0))


def _age_gain(p: dict[str, Any], app: Applicant, as_of: dt.date, now: int) -> Callable[[int], int]:
    birth = app.person.birth_date or id_birth_date(app.person.id_number)
    if birth is None:
        return lambda ahead: 0
    start = mo.of_date(as_of)
    table = p["age_points"]
    born, birthday = birth.year, (birth.month, birth.day)
    points: dict[int, int] = {}  # by age: a few ages over the horizon

    def age_on_first(month: int) -> int:
        """age_on(birth, mo.first_day(month)), without making the date."""
        year, m = divmod(month, 12)
        return year - born - ((m + 1, 1) < birthday)

    def points_at(age: int) -> int:
        value = points.get(age)
        if value is None:
            value = points[age] = table_points(table, age)
        return value

    def gain(ahead: int) -> int:
        # A date `ahead` months on lies in month start + ahead (today, for ahead 0): the ages it can
        # have run from the age on the month's first day (or today) to the age on the next month's.
        young = age_on(birth, as_of) if ahead == 0 else age_on_first(start + ahead)
        old = age_on_first(start + ahead + 1)
        if young == old:  # most months: one age
            return points_at(young) - now
        return max(points_at(a) for a in range(young, old + 1)) - now

    return gain


def _edu_title_gain(p: dict[str, Any], app: Applicant, lines: list[Any], si: dict[int, Any], wages: Any,
                    start: int, now: int, counted: bool = False,
                    horizon: int = HORIZON_MONTHS, new_title: int = 0,
                    new_title_waiting: int = 0) -> Callable[[int], int]:
    """Education and title are alternatives: the pair is worth at most its best line that can count.

    For counted points, a line kept at risk by a reason of `_STATIC_RISKS` cannot count."""
    steady = max((ln.points + ln.at_risk_points for ln in lines if ln.rule in ("PTS-EDU", "PTS-TITLE")
                  and (ln.status == "counted"
                       or (ln.status == "at_risk" and not (counted and ln.reason in _STATIC_RISKS))
                       or (ln.status == "not_counted" and ln.reason not in _STATIC_BLOCKS | {"PIT-TITLE-SI-BASE"}))),
                 default=0)
    steady = max(steady, new_title)
    waiting = max((ln.points for ln in lines if ln.rule == "PTS-TITLE" and ln.status == "not_counted"
                   and ln.reason == "PIT-TITLE-SI-BASE"), default=0)
    waiting = max(waiting, new_title_waiting)
    tb = p["title_si_base"]
    # Months (from `first`) whose base, real or projected, reaches the title's multiple of the wage.
    first = start - tb["window_months"]
    multiple, si_get = tb["multiple"], si.get
    wage_of = zip(range(first, start + horizon + 1), _wages_from(wages, first, start + horizon), strict=True)
    counts = _running([rec is not None and not rec.back_payment and rec.base >= multiple * wage - 1e-6
                       for m, wage in wage_of for rec in (si_get(m),)])

    def gain(ahead: int) -> int:
        end = start + ahead - first
        best = steady
        if waiting > steady and counts[end] - counts[end - tb["window_months"]] >= tb["min_months"]:
            best = waiting
        return max(0, best - now)

    return gain


def _spouse_gain(p: dict[str, Any], app: Applicant, as_of: dt.date) -> Callable[[int], int]:
    fam = app.family
    if not (fam.spouse and fam.spouse.shanghai_hukou and fam.marriage_date):
        return lambda ahead: 0
    bp = p["bonuses"]
    now = min(bp["spouse_max"], bp["spouse_per_year"] * mo.full_years_between(fam.marriage_date, as_of))

    def gain(ahead: int) -> int:
        years = mo.full_years_between(fam.marriage_date, mo.first_day(mo.of_date(as_of) + ahead + 1))
        return max(0, min(bp["spouse_max"], bp["spouse_per_year"] * years) - now)

    return gain


def _ahead_months(app: Applicant, as_of: dt.date, day: dt.date) -> tuple[dict[int, SiMonth], dict[int, Any]]:
    """`expand_si(project(app, as_of, day))` and `expand_tax(...)` of the same, month for month (row
    numbers included), without building the projected applicant: gain_bound needs only the months,
    and building the rows and the applicant was a quarter of its time. The rows continued are
    `project`'s own (`_continued`); they come after the applicant's, so they fill only months no row
    of the applicant holds (first row wins). tests/test_earliest_bound.py compares the two."""
    si, tax = expand_si(app), expand_tax(app)
    si_more, tax_more = _continued(app, as_of, day)
    if si_more:
        first, last, row = si_more
        rec = SiMonth(row.base, row.payer_uscc, False, False, len(app.social_insurance))
        for m in range(first, last + 1):
            si.setdefault(m, rec)
    if tax_more:
        first, last, trow = tax_more
        value = (trow.income, trow.withholder_uscc, len(app.income_tax))
        for m in range(first, last + 1):
            tax.setdefault(m, value)
    return si, tax


def project(app: Applicant, as_of: dt.date, day: dt.date) -> Applicant:
    """The applicant on `day`, had the latest contribution and tax rows continued monthly."""
    si_more, tax_more = _continued(app, as_of, day)
    si, tax = list(app.social_insurance), list(app.income_tax)
    if si_more:
        first, last, row = si_more
        si.append(SocialInsuranceRow(month=f"{mo.fmt(first)}..{mo.fmt(last)}", base=row.base,
                                     payer_uscc=row.payer_uscc))
    if tax_more:
        first, last, trow = tax_more
        tax.append(IncomeTaxRow(month=f"{mo.fmt(first)}..{mo.fmt(last)}", income=trow.income,
                                withholder_uscc=trow.withholder_uscc))
    return app.model_copy(update={"social_insurance": si, "income_tax": tax, "as_of": day,
                                  "residence_permit": _kept_valid_permit(app, day),
                                  "contract": _kept_contract(app, as_of, day)})


def _continued(app: Applicant, as_of: dt.date, day: dt.date) -> tuple[
        tuple[int, int, SocialInsuranceRow] | None, tuple[int, int, IncomeTaxRow] | None]:
    """The rows `project` continues, each with the first and last month it adds: the latest paid
    contribution row, from the month after it (and after `as_of`'s) to `day`'s month; the latest
    tax row, from the month after it to the month before `day`'s (a month's tax is declared the
    month after). None where nothing is added."""
    start, end = mo.of_date(as_of), mo.of_date(day)
    si_more = tax_more = None
    if end > start and (last := _latest_of(app.social_insurance, True)) is not None:
        first = max(mo.spec_bounds(last.month)[1] + 1, start + 1)
        if first <= end:
            si_more = (first, end, last)
    if (last_t := _latest_of(app.income_tax, False)) is not None:
        first_t = mo.spec_bounds(last_t.month)[1] + 1
        if first_t <= end - 1:
            tax_more = (first_t, end - 1, last_t)
    return si_more, tax_more


def latest(rows: Iterable[Any]) -> Any:
    """The first of the rows whose months end latest (max by the last month), None if none: a loop,
    as this runs for every projection and the rows are many."""
    best, best_end, bounds = None, 0, mo.spec_bounds
    for r in rows:
        end = bounds(r.month)[1]
        if best is None or end > best_end:
            best, best_end = r, end
    return best


_LATEST: dict[tuple[int, bool], tuple[list[Any], int, Any]] = {}


def _latest_of(rows: list[Any], paid: bool) -> Any:
    """`latest(rows)` (`paid`: of the rows not paid in arrears), remembered per list: the earliest
    date and route searches project one applicant's rows again for every date and step set, and a
    projected or changed applicant shares the rows list it did not change (model_copy). Rows lists
    are never changed in place; the entry keeps the list alive (its id names it) and its length."""
    key = (id(rows), paid)
    hit = _LATEST.get(key)
    if hit is not None and hit[0] is rows and hit[1] == len(rows):
        return hit[2]
    value = latest(r for r in rows if not r.back_payment) if paid else latest(rows)
    if len(_LATEST) >= 256:
        _LATEST.clear()
    _LATEST[key] = (rows, len(rows), value)
    return value


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
    bound = gain_bound(book, app, as_of, result, band_months) if short > 0 else None
    # Not monotone (a window slides past old months): every horizon falling short decides.
    if bound is not None and all(bound(a) < short for a in range(HORIZON_MONTHS + 1)):
        return None
    engine = engine_for_process(ruleset_id)
    for day in candidates(book, app, result, as_of):
        ahead = mo.of_date(day) - mo.of_date(as_of)
        if bound is not None and bound(ahead) < short:
            continue
        ledger = engine.run(measure(book, project(app, as_of, day), day))
        if ledger.verdicts[0] != "not_eligible":
            return day.isoformat()
    return None
