"""The small per-applicant record the summaries need, and the batch tallies.

Workers turn each Result into a RowSummary (a few strings and numbers); the parent keeps only
these, never the results themselves, so memory stays small as the staff list grows.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from jifen_check.result import Finding, Result

VERDICTS = ("eligible", "needs_review", "not_eligible", "invalid_input")
# Which findings explain a verdict, most telling first.
EXPLAINING = {
    "not_eligible": ("blocker", "review"),
    "needs_review": ("blocker", "review", "warning"),
    "invalid_input": ("error", "blocker"),
    "eligible": (),
}
SHORT_TEXT = 60
SOON_MONTHS = 6


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
    problems: tuple[tuple[str, str], ...]  # (rule ID, short text)
    earliest_eligible: str | None
    pdf: str | None  # path relative to the output folder

    @property
    def main_problem(self) -> str:
        return f"{self.problems[0][0]} {self.problems[0][1]}" if self.problems else ""

    def problems_text(self) -> str:
        return "；".join(f"{rule} {text}" for rule, text in self.problems)


def _short(finding: Finding) -> str:
    # A data error's message names the cell (社保!D14: …): that is what HR needs to see.
    text = finding.message if finding.severity == "error" else (finding.title or finding.message)
    return text if len(text) <= SHORT_TEXT else text[: SHORT_TEXT - 1] + "…"


def explaining_findings(result: Result) -> list[Finding]:
    wanted = EXPLAINING[result.verdict]
    return sorted((f for f in result.findings if f.severity in wanted), key=lambda f: wanted.index(f.severity))


def summarise(index: int, result: Result, pdf: str | None) -> RowSummary:
    who = result.applicant
    return RowSummary(
        index=index, source=who.row or "", employee_no=who.employee_no or "", name=who.name or "",
        id_number=who.id_number or "", as_of=result.as_of, verdict=result.verdict,
        total=result.score.total, at_risk=result.score.at_risk,
        problems=tuple((f.rule, _short(f)) for f in explaining_findings(result)),
        earliest_eligible=result.earliest_eligible, pdf=pdf,
    )


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
    attention: list[RowSummary] = field(default_factory=list)  # not eligible / needs review
    invalid: list[RowSummary] = field(default_factory=list)
    soon: list[RowSummary] = field(default_factory=list)  # eligible within SOON_MONTHS

    def add(self, row: RowSummary) -> None:
        self.counts[row.verdict] += 1
        if row.verdict != "invalid_input":
            self.totals.append(row.total)
        if row.verdict in ("not_eligible", "needs_review"):
            self.attention.append(row)
        elif row.verdict == "invalid_input":
            self.invalid.append(row)
        if row.verdict != "eligible" and _within(row, SOON_MONTHS):
            self.soon.append(row)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _within(row: RowSummary, months: int) -> bool:
    if not row.earliest_eligible:
        return False
    try:
        earliest = dt.date.fromisoformat(row.earliest_eligible[:10])
        as_of = dt.date.fromisoformat(row.as_of[:10])
    except ValueError:
        return False
    return earliest <= add_months(as_of, months)
