"""The small per-applicant record the summaries need, and the batch tallies.

Workers turn each Result into a RowSummary (a few strings and numbers); the parent keeps only
these, never the results themselves, so memory stays small as the staff list grows.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from jifen_check.render.i18n import finding_texts
from jifen_check.render.plain import Lang, Words, book_for, side
from jifen_check.result import SEVERITY_ORDER, SEVERITY_RANK, Finding, Result

VERDICTS = ("eligible", "needs_review", "not_eligible", "invalid_input")
# The problem lists: every severity but `info`, most urgent first (soonest deadline first within one).
URGENCY = tuple(s for s in SEVERITY_ORDER if s != "info")
SOON_MONTHS = 6
REACH_MONTHS = (3, 6, 12)  # summary.pdf: who can apply now, and within 3, 6 and 12 months


@dataclass(frozen=True)
class ProblemRow:
    """One problem or warning of one person, in plain words (the 问题清单 sheet)."""

    rule: str
    severity: str
    where: str  # sheet!cell, or the person's row
    text: str
    fix: str
    deadline: str | None = None


@dataclass(frozen=True)
class RowSummary:
    index: int
    source: str
    employee_no: str
    name: str
    id_number: str  # masked unless --show-id
    as_of: str
    verdict: str
    total: int
    at_risk: int
    problems: tuple[ProblemRow, ...]  # most urgent first, each once
    earliest_eligible: str | None
    pdf: str | None  # path relative to the output folder
    extra: tuple[tuple[str, str], ...] = ()  # the 人员 sheet's own columns (部门, 成本中心, …), carried through
    # Routes (issue 10): the best route's steps (or, for the eligible, the steps due before the
    # window) as (action, actor, ISO date, what the date means), and the first date anything
    # reaches eligibility.
    steps: tuple[tuple[str, str, str, str], ...] = ()
    reach_on: str | None = None
    lang: str = "zh"  # of the texts above (steps, problems)

    @property
    def next_step(self) -> str:
        if not self.steps:
            return ""
        action, actor, day, meaning = self.steps[0]
        if self.lang == "en":
            return f"[{actor}] {action} ({meaning} {day})"
        return f"【{actor}】{action}（{meaning} {day}）"

    pdf_error: str | None = None  # why the checklist PDF is missing (it was asked for)
    pass_mark: int | None = None  # the ruleset's pass mark on the person's date (from the result)

    @property
    def main_problem(self) -> str:
        """The most urgent problem or warning, in words (for eligible rows too)."""
        return self.problems[0].text if self.problems else ""

    def problems_text(self) -> str:
        text = "\n".join(f"{i}. {p.text}" for i, p in enumerate(self.problems, 1)) if len(self.problems) > 1 \
            else self.main_problem
        return "\n".join(t for t in (self.pdf_error, text) if t)


def urgent_findings(result: Result) -> list[Finding]:
    """Problems and warnings, most urgent first; a rule that fired twice for the same thing once."""
    found = [f for f in result.findings if f.severity in URGENCY]
    found.sort(key=lambda f: (SEVERITY_RANK[f.severity], f.deadline is None, f.deadline or ""))
    return found


def problem_rows(result: Result, lang: Lang = "zh") -> tuple[ProblemRow, ...]:
    words, book = Words(lang, result.ruleset.id), book_for(result)
    rows: list[ProblemRow] = []
    seen: set[str] = set()
    for f in urgent_findings(result):
        message, remedy = finding_texts(f, lang, book)
        text = words.prose(message, book)
        if text in seen:
            continue
        seen.add(text)
        where = _where(f, result)
        text = text.removeprefix(f"{where}: ").removeprefix(f"{where}：") if "!" in where else text
        rows.append(ProblemRow(f.rule, f.severity, where, text, words.prose(remedy, book), f.deadline))
    return tuple(rows)


def _where(f: Finding, result: Result) -> str:
    """The cell the finding points at (社保!D14), else the person's row (人员!5)."""
    for e in f.evidence:
        cell = e.split(" (", 1)[0]
        if "!" in cell:
            return cell
    return result.applicant.row or ""


def summarise(index: int, result: Result, pdf: str | None, lang: Lang = "zh",
              pdf_error: str | None = None) -> RowSummary:
    who = result.applicant
    return RowSummary(
        index=index, source=who.row or "", employee_no=who.employee_no or "", name=who.name or "",
        id_number=who.id_number or "", as_of=result.as_of, verdict=result.verdict,
        total=result.score.total, at_risk=result.score.at_risk, problems=problem_rows(result, lang),
        earliest_eligible=result.earliest_eligible, pdf=pdf, extra=tuple(who.extra.items()),
        steps=_steps(result, lang), reach_on=_reach_on(result), pdf_error=pdf_error, lang=lang,
        pass_mark=result.score.pass_mark,
    )


# What a step's date means (the 行动清单 sheet's 日期含义 column).
STEP_DATE_MEANS = {"effective": ("生效", "takes effect"), "due": ("须办妥于", "due by")}


def _steps(result: Result, lang: Lang = "zh") -> tuple[tuple[str, str, str, str], ...]:
    """(action, actor, ISO date, what the date means) in the language, for the best route's steps,
    else the steps due before the window, else keeping on contributing until the earliest date."""
    from jifen_check.render.routes_text import RouteWords

    w, i = RouteWords(lang, result.ruleset.id), side(lang)
    effective, due = STEP_DATE_MEANS["effective"][i], STEP_DATE_MEANS["due"][i]
    if result.routes:
        return tuple((w.action(s), w.actor(s.actor), s.effective_on, effective) for s in result.routes[0].steps)
    if result.urgent:
        return tuple((w.action(s), w.actor(s.actor), s.by, due) if s.by
                     else (w.action(s), w.actor(s.actor), s.effective_on, effective) for s in result.urgent)
    if result.earliest_eligible:  # as things are: keep contributing until the earliest date
        from jifen_check.plan import keep_paying_text

        action, actor = keep_paying_text(result.earliest_eligible, result.ruleset.id, lang)
        return ((action, w.actor(actor), result.earliest_eligible, effective),)
    return ()


def _reach_on(result: Result) -> str | None:
    if result.verdict == "eligible":
        return result.as_of
    dates = [r.eligible_on for r in result.routes] + ([result.earliest_eligible] if result.earliest_eligible else [])
    return min(dates, default=None)


def add_months(day: dt.date, months: int) -> dt.date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


@dataclass
class Tally:
    """Counts and the short lists summary.pdf shows."""

    counts: Counter[str] = field(default_factory=Counter)
    totals: list[int] = field(default_factory=list)  # scores of judged applicants (histogram)
    pass_marks: Counter[int] = field(default_factory=Counter)  # of the judged applicants (histogram)
    attention: list[RowSummary] = field(default_factory=list)  # not eligible / needs review
    invalid: list[RowSummary] = field(default_factory=list)
    soon: list[RowSummary] = field(default_factory=list)  # eligible within SOON_MONTHS
    urgent: list[RowSummary] = field(default_factory=list)  # eligible, with a warning that has a deadline
    # By the best route (or as things are): 0 = can apply now, else within 3, 6, 12 months.
    reach: dict[int, list[RowSummary]] = field(default_factory=lambda: {m: [] for m in (0, *REACH_MONTHS)})

    def add(self, row: RowSummary) -> None:
        bucket = reach_bucket(row)
        if bucket is not None:
            self.reach[bucket].append(row)
        self.counts[row.verdict] += 1
        if row.verdict != "invalid_input":
            self.totals.append(row.total)
            if row.pass_mark is not None:
                self.pass_marks[row.pass_mark] += 1
        if row.verdict in ("not_eligible", "needs_review"):
            self.attention.append(row)
        elif row.verdict == "invalid_input":
            self.invalid.append(row)
        if row.verdict != "eligible" and _within(row, SOON_MONTHS):
            self.soon.append(row)
        if row.verdict == "eligible" and row.problems and row.problems[0].deadline:
            self.urgent.append(row)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def pass_mark(self) -> int | None:
        """The pass mark the histogram marks: the ruleset's, as the results carry it (the most common
        one, should the batch's dates straddle a change)."""
        return self.pass_marks.most_common(1)[0][0] if self.pass_marks else None


def _within(row: RowSummary, months: int) -> bool:
    if not row.earliest_eligible:
        return False
    try:
        earliest = dt.date.fromisoformat(row.earliest_eligible[:10])
        as_of = dt.date.fromisoformat(row.as_of[:10])
    except ValueError:
        return False
    return earliest <= add_months(as_of, months)


def reach_bucket(row: RowSummary) -> int | None:
    """0 when the applicant can apply now; else the first of 3, 6, 12 months by which a route gets there."""
    if row.verdict == "eligible":
        return 0
    if not row.reach_on:
        return None
    try:
        reach, as_of = dt.date.fromisoformat(row.reach_on[:10]), dt.date.fromisoformat(row.as_of[:10])
    except ValueError:
        return None
    return next((m for m in REACH_MONTHS if reach <= add_months(as_of, m)), None)
