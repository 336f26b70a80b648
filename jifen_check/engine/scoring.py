"""Domain scoring over a ledger: which of the competing claims counts (`choose_best`) and the total.

Pure arithmetic on `Ledger` data, no engine: tests build a ledger by hand (tests/test_scoring.py).
"""

from __future__ import annotations

from typing import Any

from jifen_check.engine.ledger import STATUS_RANK, Ledger, LineCandidate


def choose_best(ledger: Ledger, rules: list[str], chooser: str) -> None:
    """Settles the lines: of all candidates for `rules` (each degree, each title), one counts.

    The choice is what a consultant would file: the option that gives the best verdict (passing on
    counted points, else passing with at-risk points, else neither), then a counted line over an
    at-risk one, then more points. So a counted 本科 90 is preferred to an at-risk title 100 when
    90 already passes, but the title is claimed when only it can reach the pass mark.
    Every other rule keeps its best candidate (counted, then at risk, then not counted; then points).
    """
    others = [c for c in ledger.candidates.values() if c.rule not in rules]
    counted = sum(c.points for c in others if c.status == "counted")
    risk = sum(c.points for c in others if c.status == "at_risk")
    mark = ledger.params["pass_mark"]

    def outcome(c: LineCandidate) -> tuple[int, int, int]:
        total = counted + (c.points if c.status == "counted" else 0)
        reach = counted + risk + c.points
        return (2 if total >= mark else 1 if reach >= mark else 0), STATUS_RANK[c.status], c.points

    pool = [c for c in ledger.candidates.values() if c.rule in rules and c.points > 0 and c.status != "not_counted"]
    winner = max(pool, key=outcome) if pool else None
    best: dict[str, LineCandidate] = {}
    of_rule: dict[str, list[LineCandidate]] = {}  # each rule's candidates, in the ledger's order
    for cand in ledger.candidates.values():
        of_rule.setdefault(cand.rule, []).append(cand)
        cur = best.get(cand.rule)
        if cur is None or cand is winner or (cur is not winner and _rank(cand) > _rank(cur)):
            best[cand.rule] = cand
    for rule, line in best.items():
        _note_passed_over(of_rule[rule], line)
        if winner is not None and rule in rules and line is not winner and line.status != "not_counted" and line.points:
            _pass_over(line, winner, chooser, counted, mark)
    rank = ledger.rule_rank if ledger.rule_rank is not None else {r: i for i, r in enumerate(ledger.rule_order)}
    ledger.lines = {r: best[r] for r in sorted(best, key=rank.__getitem__)}


def total(ledger: Ledger, chooser: str) -> dict[str, Any]:
    """The `total` fact: counted points (never below 0), points at risk, reach, the margin over the
    pass mark, and the count of blocking and review findings. Settles the lines first if no rule did
    (a ruleset without PTS-EDU-OR-TITLE)."""
    if not ledger.lines and ledger.candidates:
        choose_best(ledger, [], chooser)
    lines = list(ledger.lines.values())
    counted = sum(x.points for x in lines if x.status == "counted")
    at_risk = sum(x.points for x in lines if x.status == "at_risk") + sum(x.at_risk_points for x in lines)
    counted = max(0, counted)
    sev = [f["severity"] for f in ledger.findings]
    return {"t": "total", "counted": counted, "at_risk": at_risk, "reach": counted + at_risk,
            "above": counted - ledger.params["pass_mark"],
            "blockers": sev.count("blocker"), "reviews": sev.count("review")}


def _pass_over(line: LineCandidate, winner: LineCandidate, chooser: str, others_counted: int, mark: int) -> None:
    """Marks the option not claimed, saying what claiming it instead would give."""
    risky = line.status == "at_risk"
    total = others_counted + (0 if risky else line.points)
    verdict = "达到" if total >= mark else "未达到"
    line.detail = ((line.detail + "；" if line.detail else "") + f"学历与职称不叠加，按 {winner.rule} 计；"
                   f"如改报本项可计 {line.points} 分{'（有风险）' if risky else ''}，"
                   f"已计总分将为 {total} 分（{verdict}标准分值 {mark} 分）")
    if line.detail_en is not None:
        line.detail_en.add(f"; education and title points are not added together, {winner.rule} counts instead; "
                           f"claiming this one would give {line.points} points{' (at risk)' if risky else ''}, "
                           f"{total} counted in all ({'reaching' if total >= mark else 'below'} the pass mark "
                           f"of {mark})")
    line.facts = dict(line.facts, alternative_points=line.points, alternative_status=line.status,
                      alternative_total=total)
    line.status, line.reasons = "not_counted", [chooser]


def _note_passed_over(candidates: list[LineCandidate], line: LineCandidate) -> None:
    """Names the higher claims of the same indicator (`candidates`: the ledger's candidates for the
    line's rule, in its order) that were not counted, and why."""
    for cand in candidates:
        if cand is not line and cand.points > line.points and cand.reasons:
            if cand.reasons == [cand.rule]:  # failed its own condition: its detail says why
                line.detail += f"；另有 {cand.points} 分的认定未计（{cand.detail}）"
                if line.detail_en is not None:
                    line.detail_en.add(f"; a claim for {cand.points} points does not count (")
                    line.detail_en.pieces += cand.detail_en.pieces if cand.detail_en else [(cand.detail, {}, (), {})]
                    line.detail_en.add(")")
            else:
                line.detail += f"；另有 {cand.points} 分的认定因 {'、'.join(cand.reasons)} 未计"
                if line.detail_en is not None:
                    line.detail_en.add(f"; a claim for {cand.points} points does not count because of "
                                       f"{', '.join(cand.reasons)}")


def _rank(c: LineCandidate) -> tuple[int, int]:
    return STATUS_RANK[c.status], c.points
