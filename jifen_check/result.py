"""The result (`jifen-check/result@1`): a public contract (../shared/spec/formats.md).

Fields may be added, never renamed or repurposed. Renderers (text, JSON, PDF, batch) read only this.
"""

from __future__ import annotations

from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, Field, PrivateAttr

RESULT_FORMAT = "jifen-check/result@1"

Verdict = Literal["eligible", "needs_review", "not_eligible", "invalid_input"]
Severity = Literal["blocker", "review", "warning", "info", "error"]
# The one order of severities, most urgent first: findings are sorted by it in the result, the text
# report, the checklist PDF and the batch's problem lists. A result never holds both `error` and
# `blocker` findings (data errors stop judging before any rule runs), so where the two stand
# relative to each other is never visible; errors come first because they must be corrected first.
SEVERITY_ORDER: tuple[Severity, ...] = ("error", "blocker", "review", "warning", "info")
SEVERITY_RANK: dict[str, int] = {s: i for i, s in enumerate(SEVERITY_ORDER)}
Confidence = Literal["official", "practice", "unverified"]
LineStatus = Literal["counted", "at_risk", "not_counted"]

VERDICT_ZH: dict[str, str] = {
    "eligible": "符合申请条件",
    "needs_review": "需人工复核",
    "not_eligible": "暂不符合申请条件",
    "invalid_input": "输入数据有误，无法判断",
}
SEVERITY_ZH: dict[str, str] = {
    "blocker": "阻断", "review": "需复核", "warning": "风险提示", "info": "说明", "error": "数据错误",
}
STATUS_ZH: dict[str, str] = {"counted": "计入", "at_risk": "有风险", "not_counted": "不计"}


M = TypeVar("M", bound=BaseModel)
_setattr = object.__setattr__


class Trusted(Generic[M]):
    """`cls.model_construct(**values)` for values that name every field: the same model (equal, same
    `__dict__` order, which the JSON follows, same fields set, private attributes at their defaults),
    a third of the cost. pydantic's model_construct looks up aliases and defaults field by field and
    runs model_post_init for the private attributes; the judge builds ~20 models a person this way.
    tests/test_result_trusted.py compares the two."""

    def __init__(self, cls: type[M]) -> None:
        self.cls, self.fields = cls, tuple(cls.model_fields)
        self.private = {k: v.get_default() for k, v in cls.__private_attributes__.items()}

    def __call__(self, values: dict[str, Any]) -> M:
        m = self.cls.__new__(self.cls)
        _setattr(m, "__dict__", {k: values[k] for k in self.fields})
        _setattr(m, "__pydantic_fields_set__", set(self.fields))
        _setattr(m, "__pydantic_extra__", None)
        _setattr(m, "__pydantic_private__", dict(self.private) if self.private else None)
        return m


class RulesetRef(BaseModel):
    """The rules a result was judged by. Fields after parameters_as_of were added in 0.1 (issue 14):
    the ruleset's title and period in force, and the version of jifen-check that judged."""

    id: str
    parameters_as_of: str
    title: str | None = None
    in_force: dict[Literal["from", "to"], str] | None = Field(None, description="period the ruleset is in force")
    tool_version: str | None = None


class ApplicantRef(BaseModel):
    name: str | None = None
    id_number: str | None = Field(None, description="masked unless --show-id")
    row: str | None = Field(None, description="source row or file (batch)")
    employee_no: str | None = None
    extra: dict[str, str] = Field(default_factory=dict,
                                  description="batch: the 人员 row's own columns (部门, 成本中心, …), as typed")


class EmployerRef(BaseModel):
    name: str | None = None
    uscc: str | None = None


class ScoreLine(BaseModel):
    rule: str
    points: int
    status: LineStatus = "counted"
    title: str = ""
    detail: str = ""
    reason: str | None = Field(None, description="rule ID that made it at_risk / not_counted")
    at_risk_points: int = Field(0, description="of a counted line, further points a pitfall puts at risk")
    facts: dict[str, Any] = Field(default_factory=dict, description="the values the line came from")
    # Not serialised: the detail in English (--lang en), filled from the case's detail_en when read.
    _detail_en: Any = PrivateAttr(None)


class Score(BaseModel):
    total: int = 0
    pass_mark: int = 120
    at_risk: int = 0
    lines: list[ScoreLine] = []


class Finding(BaseModel):
    rule: str
    severity: Severity
    confidence: Confidence | None = None
    title: str = ""
    message: str
    evidence: list[str] = []
    remedy: str = ""
    source: str = ""
    facts: dict[str, Any] = Field(default_factory=dict, description="the values the finding came from")
    deadline: str | None = None
    # Not serialised: message and remedy in English (--lang en), filled from the case's templates when read.
    _message_en: Any = PrivateAttr(None)
    _remedy_en: Any = PrivateAttr(None)


class ChecklistItem(BaseModel):
    id: str
    title: str
    group: str = ""
    original: bool = True
    copies: int = 1
    because: list[str] = []
    reason: str = ""
    note: str = ""


TRUSTED_LINE, TRUSTED_FINDING, TRUSTED_ITEM = Trusted(ScoreLine), Trusted(Finding), Trusted(ChecklistItem)


class RouteCost(BaseModel):
    """Extra monthly contribution in yuan (rounded up); zeros for a step with no cost."""

    employer_monthly: int = 0
    employee_monthly: int = 0
    employer_monthly_max: int = Field(0, description="with the highest work-injury rate (by industry)")


class RouteStep(BaseModel):
    id: str | None = Field(None, description="the action in rulesets/<id>/routes/actions.yaml")
    action: str
    actor: str
    effective_on: str
    cost: RouteCost = RouteCost()
    because: list[str] = []
    confidence: Confidence = "official"
    decision_by: str | None = Field(None, description="who else must decide (e.g. 单位 for a raise)")
    by: str | None = Field(None, description="for an urgent step: the date it must be done by")
    # Not serialised: the step in English (--lang en), made with the Chinese from actions.yaml's text_en.
    _action_en: str = PrivateAttr("")


class RouteVerified(BaseModel):
    as_of: str
    verdict: Verdict
    total: int


class Route(BaseModel):
    """A route to eligibility (formats.md): steps, the date reached and the judge's check on that date."""

    eligible_on: str
    points_then: int
    steps: list[RouteStep]
    assumptions: list[str] = []
    confidence: Confidence = "official"
    decision_by: list[str] = Field([], description="others who must decide for this route")
    verified: RouteVerified
    # Not serialised: the assumptions in English (--lang en), one per Chinese assumption.
    _assumptions_en: list[str] = PrivateAttr(default_factory=list)
    # Not serialised: the projected applicant and its result (plan --write-applicant / --explain).
    _projected: Any = PrivateAttr(None)
    _judged: Any = PrivateAttr(None)


class Result(BaseModel):
    format: str = RESULT_FORMAT
    as_of: str
    ruleset: RulesetRef
    applicant: ApplicantRef
    employer: EmployerRef = EmployerRef()
    verdict: Verdict
    score: Score = Score()
    findings: list[Finding] = []
    checklist: list[ChecklistItem] = []
    earliest_eligible: str | None = None
    # Added in 0.1 (issue 10): where earliest_eligible lies after the ruleset's period (沪府规〔2022〕21号
    # expires 2027-12-31), why that date is only a projection on the current rules.
    earliest_eligible_note: str | None = None
    routes: list[Route] = Field([], description="routes to eligibility, best first (not_eligible, needs_review)")
    urgent: list[RouteStep] = Field([], description="steps to take before the window (e.g. permit expiring)")

    def blockers(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "blocker"]

    def to_json_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json")
