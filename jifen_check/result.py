"""The result (`jifen-check/result@1`): a public contract (../shared/spec/formats.md).

Fields may be added, never renamed or repurposed. Renderers (text, JSON, PDF, batch) read only this.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

RESULT_FORMAT = "jifen-check/result@1"

Verdict = Literal["eligible", "needs_review", "not_eligible", "invalid_input"]
Severity = Literal["blocker", "review", "warning", "info", "error"]
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


class RulesetRef(BaseModel):
    id: str
    parameters_as_of: str


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


class ChecklistItem(BaseModel):
    id: str
    title: str
    group: str = ""
    original: bool = True
    copies: int = 1
    because: list[str] = []
    reason: str = ""
    note: str = ""


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

    def blockers(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "blocker"]

    def to_json_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json")
