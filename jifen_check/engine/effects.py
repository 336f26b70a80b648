"""What an action does when a rule case fires: record, block, line, finding, choose_best, total,
verdict. `Effects` writes into the applicant's `Ledger`; the facts it asserts (a `block`, the
`total`) go back into the engine through the applicant's engine session."""

from __future__ import annotations

import math
from typing import Any

from jifen_check.engine.ledger import STATUS_RANK, Firing, Ledger, LineCandidate
from jifen_check.engine.messages import EnText, lookup, render
from jifen_check.engine.scoring import choose_best, total
from jifen_check.rulebook import Case, Rule

__all__ = ["Effects", "Firing", "Ledger", "LineCandidate"]


def amount(spec: Any, fields: dict[str, Any], params: dict[str, Any]) -> Any:
    """Line points or block keep (rulebook.Amount): a number, `$field`, `@param.path`, or the product of a list."""
    if isinstance(spec, list):
        return math.prod(amount(x, fields, params) for x in spec)
    if isinstance(spec, str):
        return lookup(spec[1:], fields if spec.startswith("$") else params)
    return spec


class Effects:
    """Applies a case's `then` for one firing."""

    def __init__(self, ledger: Ledger, rule: Rule, case: Case, fact: dict[str, Any],
                 blk: dict[str, Any] | None, session: Any) -> None:
        # `session` (backend._Session) takes the facts a firing asserts (a block, the total).
        self.ledger, self.rule, self.case, self.fact, self.blk, self.session = ledger, rule, case, fact, blk, session
        self._ctx: dict[str, Any] | None = None

    @property
    def ctx(self) -> dict[str, Any]:
        """What messages quote: made on first use, as most firings (a block, a record, the total, the
        verdict) quote nothing; the effects that read it run before `total` changes the ledger."""
        if self._ctx is None:
            self._ctx = self.ledger.context(self.fact)
        return self._ctx

    def en(self, template: str) -> EnText | None:
        """The case's English template, to be filled when asked."""
        if not template:
            return None
        obs, kind, idx = self.ledger.obs, self.fact.get("t"), self.fact.get("idx", 0)
        overlays: tuple[dict[str, Any], ...] = (obs.details_en, obs.details)
        if kind == "degree" and idx < len(obs.degree_details_en):
            overlays += (obs.degree_details_en[idx], obs.degree_details[idx])
        elif kind == "qual" and idx < len(obs.qual_details_en):
            overlays += (obs.qual_details_en[idx], obs.qual_details[idx])
        return EnText((template, self.ctx, overlays, self.ledger.params))

    def apply(self) -> None:
        then = self.case.then
        if then.record:
            key = (str(self.fact.get("t")), self.fact.get("idx", 0))
            self.ledger.recorded.setdefault(key, {}).update(then.record)
        if then.block is not None:
            self.block()
        if then.line is not None:
            self.line()
        if then.finding:
            self.finding()
        if then.choose_best:
            choose_best(self.ledger, then.choose_best, self.rule.id)
        if then.total:
            self.total()
        if then.verdict:
            self.ledger.verdicts.append(then.verdict)

    def text(self, template: str) -> str:
        return render(template, self.ctx, self.ledger.params)

    def block(self) -> None:
        eff = self.case.then.block
        assert eff is not None
        for target in eff.targets:
            block = {"t": "block", "target": target, "idx": self.fact.get("idx", 0),
                     "status": eff.status, "reason": self.rule.id, "n": next(self.ledger.block_seq)}
            if eff.keep is not None:
                block["keep"] = amount(eff.keep, self.fact, self.ledger.params)
            self.session.assert_fact(block)

    def line(self) -> None:
        eff = self.case.then.line
        assert eff is not None
        points = amount(eff.points, self.ctx, self.ledger.params)
        status, reasons = eff.status, ([] if eff.status == "counted" else [self.rule.id])
        at_risk_points = 0
        detail = self.text(eff.detail)
        detail_en = self.en(eff.detail_en)
        blk = self.blk
        if blk is not None and STATUS_RANK[blk["status"]] < STATUS_RANK[status]:
            keep = blk.get("keep")
            if status == "counted" and blk["status"] == "at_risk" and keep is not None and 0 < keep < points:
                # Only the points that depend on the threatened months are at risk.
                at_risk_points, points, reasons = points - keep, keep, [blk["reason"]]
                detail += f"；另有 {at_risk_points} 分因 {blk['reason']} 有风险"
                if detail_en is not None:
                    detail_en.add(f"; {at_risk_points} more points at risk because of {blk['reason']}")
            elif keep is None or keep < points:
                status, reasons = blk["status"], [blk["reason"]]
        ctx = self.ctx
        facts = {k: ctx[k] for k in eff.facts if k in ctx}
        kind, idx = self.fact.get("t"), self.fact.get("idx", 0)
        if kind == "degree":
            facts["education_index"] = idx
        elif kind == "qual":
            facts["qualification_index"] = idx
        facts.update(self.ledger.recorded.get((str(kind), idx), ()))
        self.ledger.add_candidate(LineCandidate(self.rule.id, self.fact.get("idx", 0), int(points), status,
                                                reasons, detail, facts, at_risk_points, detail_en))

    def finding(self) -> None:
        rule, case, ctx = self.rule, self.case, self.ctx
        evidence: list[str] = []
        for e in rule.evidence:
            if e.startswith("*"):
                evidence.extend(ctx.get(e[1:], []))
            else:
                evidence.append(self.text(e))
        self.ledger.findings.append({
            "rule": rule.id, "severity": case.severity or rule.severity, "confidence": case.confidence or rule.confidence,
            "title": rule.title, "message": self.text(case.message), "evidence": list(dict.fromkeys(evidence)),
            "remedy": self.text(case.remedy), "source": rule.source,
            "facts": {k: ctx[k] for k in rule.facts if k in ctx},
            "deadline": self.text(case.deadline) if case.deadline else None,
            "_en": (self.en(case.message_en), self.en(case.remedy_en)),
        })

    def total(self) -> None:
        self.ledger.total = total(self.ledger, self.rule.id)
        self.session.assert_fact(dict(self.ledger.total))
