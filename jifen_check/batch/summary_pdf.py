"""summary.pdf: counts, a verdict bar chart, a score histogram (inline SVG drawn by WeasyPrint),
the staff who need attention with their main problem, and those who become eligible soon.

This module computes the chart geometry; templates/summary.html.j2 only places it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jifen_check.batch.summary import REACH_MONTHS, SOON_MONTHS, VERDICTS, Tally
from jifen_check.render.i18n import summary_phrases
from jifen_check.render.plain import Lang, Words, side

TEMPLATE = "summary.html.j2"
BIN_WIDTH = 10
CHART_W, CHART_H = 460.0, 150.0
VERDICT_SHORT = {"eligible": ("符合", "Eligible"), "needs_review": ("需复核", "Review"),
                 "not_eligible": ("暂不符合", "Not yet"), "invalid_input": ("输入有误", "Input errors")}
VERDICT_COLOUR = {"eligible": "#3a8f4b", "needs_review": "#d9a400", "not_eligible": "#c0392b",
                  "invalid_input": "#7f7f7f"}


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    x: float
    y: float
    w: float
    h: float
    colour: str


def verdict_bars(tally: Tally, lang: Lang = "zh") -> list[Bar]:
    peak = max(tally.counts.values(), default=0) or 1
    slot = CHART_W / len(VERDICTS)
    bars = []
    for i, verdict in enumerate(VERDICTS):
        n = tally.counts.get(verdict, 0)
        h = CHART_H * n / peak
        bars.append(Bar(VERDICT_SHORT[verdict][side(lang)], n, i * slot + slot * 0.2, CHART_H - h, slot * 0.6, h,
                        VERDICT_COLOUR[verdict]))
    return bars


def histogram(totals: list[int], pass_mark: int | None) -> tuple[list[Bar], float | None]:
    """Bars of BIN_WIDTH points from 0 to the top score, and the x of the pass mark (the ruleset's,
    carried by the results)."""
    if not totals or pass_mark is None:
        return [], None
    top = max(max(totals), pass_mark)
    bins = [0] * (top // BIN_WIDTH + 1)
    for t in totals:
        bins[max(t, 0) // BIN_WIDTH] += 1
    peak, slot = max(bins) or 1, CHART_W / len(bins)
    bars = [
        Bar(f"{i * BIN_WIDTH}", n, i * slot, CHART_H - CHART_H * n / peak, slot * 0.9, CHART_H * n / peak,
            VERDICT_COLOUR["eligible"] if i * BIN_WIDTH >= pass_mark else "#4a6fa5")
        for i, n in enumerate(bins)
    ]
    return bars, pass_mark / BIN_WIDTH * slot


def reach_label(months: int, lang: Lang = "zh") -> str:
    t = summary_phrases(lang)
    if months == 0:
        return t["reach_now"]
    before = max((m for m in REACH_MONTHS if m < months), default=0)
    return t["reach_between"].format(a=before, b=months) if before else t["reach_within"].format(b=months)


def summary_context(tally: Tally, facts: dict[str, str], lang: Lang = "zh") -> dict[str, Any]:
    bars, pass_x = histogram(tally.totals, tally.pass_mark)
    words = Words(lang)
    verdicts = {v: words.code("verdict", v) for v in VERDICTS}
    return {
        "lang": lang, "t": summary_phrases(lang),
        "facts": facts,
        "counts": [(verdicts[v], v, tally.counts.get(v, 0)) for v in VERDICTS],
        "total": tally.total,
        "verdict_bars": verdict_bars(tally, lang),
        "hist_bars": bars,
        "hist_label_every": max(1, len(bars) // 12),
        "pass_x": pass_x,
        "pass_mark": tally.pass_mark,
        "chart_w": CHART_W,
        "chart_h": CHART_H,
        "attention": sorted(tally.attention, key=lambda r: (r.verdict != "not_eligible", r.index)),
        "invalid": tally.invalid,
        "soon": sorted(tally.soon, key=lambda r: (r.earliest_eligible or "", r.index)),
        "soon_months": SOON_MONTHS,
        "urgent": tally.urgent,
        "reach": [(m, reach_label(m, lang), sorted(tally.reach[m], key=lambda r: (r.reach_on or "", r.index)))
                  for m in (0, *REACH_MONTHS)],
        "verdict_zh": verdicts,
    }


def write_summary_pdf(path: Path, tally: Tally, facts: dict[str, str], *, created: dt.date,
                      lang: Lang = "zh") -> None:
    from jifen_check.render.pdf import (  # WeasyPrint only when PDFs are asked for
        default_stylesheets,
        render_pdf,
    )

    sheets = default_stylesheets(TEMPLATE) + (["summary-en.css"] if lang == "en" else [])
    render_pdf(TEMPLATE, summary_context(tally, facts, lang), path, created=created, stylesheets=sheets)
