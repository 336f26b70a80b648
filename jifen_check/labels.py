"""Chinese words for the result's codes (verdicts, severities, confidences, rule kinds).

The JSON keeps the codes (programs need them); every text a person reads shows these words.
"""

from __future__ import annotations

CONFIDENCE_ZH: dict[str, str] = {"official": "官方", "practice": "受理实践", "unverified": "未核实"}
KIND_ZH: dict[str, str] = {
    "gate": "申请条件", "veto": "一票否决", "points": "基础分", "bonus": "加分", "deduction": "减分",
    "pitfall": "常见退件", "data": "数据检查", "aggregate": "合计", "verdict": "结论",
}
CONFIDENCE_LEGEND = [
    "官方 = 办法、细则或办事指南明文规定",
    "受理实践 = 受理点的通行做法，公开文件未写明",
    "未核实 = 公开资料不明确，按保守口径判断，请向受理点确认",
]
KIND_LEGEND = [
    "申请条件 = 不满足就不能申请（阻断）",
    "一票否决 = 有此情形不能申请",
    "基础分/加分/减分 = 计分项",
    "常见退件 = 受理点常见的剔除或退件原因，可能使某项分数不计",
    "数据检查 = 输入数据本身的问题",
]


# The remedy of a data problem found by the readers and validate.py (no rule case writes it): (中文, English).
DATA_REMEDY: dict[str, tuple[str, str]] = {
    "error": ("更正该字段后重新检查", "Correct this field, then check again"),
    "warning": ("核对该字段", "Check this field"),
}


def confidence_zh(code: str | None) -> str:
    return CONFIDENCE_ZH.get(code or "", "—")
