"""Chinese words for the result's codes (verdicts, severities, confidences, rule kinds).

The JSON keeps the codes (programs need them); every text a person reads shows these words.
"""

from __future__ import annotations

# The same words as labels.yaml `confidence` (the reports and explain use that table; tests keep them equal).
CONFIDENCE_ZH: dict[str, str] = {"official": "官方规定", "practice": "受理实践", "unverified": "未核实"}
KIND_ZH: dict[str, str] = {
    "gate": "申请条件", "veto": "一票否决", "points": "基础分", "bonus": "加分", "deduction": "减分",
    "pitfall": "常见退件", "data": "数据检查", "aggregate": "合计", "verdict": "结论",
}
CONFIDENCE_LEGEND = [
    "官方规定 = 办法、细则或办事指南明文规定",
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

# The same in English (rules --lang en, route texts); the confidence words equal labels.yaml's English.
CONFIDENCE_EN: dict[str, str] = {"official": "official rule", "practice": "window practice", "unverified": "unverified"}
KIND_EN: dict[str, str] = {
    "gate": "precondition", "veto": "veto", "points": "points", "bonus": "bonus", "deduction": "deduction",
    "pitfall": "rejection", "data": "data check", "aggregate": "total", "verdict": "verdict",
}
CONFIDENCE_LEGEND_EN = [
    "official rule = stated in the points rules, their implementing rules or the official service guide",
    "window practice = how the acceptance points work, not written in public documents",
    "unverified = public information is unclear; judged cautiously, please confirm with the acceptance point",
]
KIND_LEGEND_EN = [
    "precondition = without it you cannot apply (a blocker)",
    "veto = with it you cannot apply",
    "points/bonus/deduction = items that score",
    "rejection = a common reason why the acceptance point leaves out points or returns an application",
    "data check = a problem of the input itself",
]


# The applicant's enum values in Chinese, one table per field: messages quote them (facts/,
# validate.py) and the workbook, the CSV guide and the web form offer them as the choices
# (batch/columns.py), so what a person picks is what a finding later says. A reader also accepts the
# other spellings in rulesets/reference/synonyms.yaml (未建立, 下落不明, 无 …).
EDU_LEVEL_ZH: dict[str, str] = {"high_school": "高中", "secondary_vocational": "中专", "junior_college": "大专",
                                "bachelor": "本科", "master": "硕士研究生", "doctor": "博士研究生"}
EDU_MODE_ZH: dict[str, str] = {"full_time": "全日制", "self_study": "自学考试", "adult": "成人高考",
                               "online": "网络教育", "open_university": "开放大学",
                               "part_time_postgraduate": "非全日制研究生"}
ARCHIVE_ZH: dict[str, str] = {"ok": "正常", "lost": "遗失", "none": "从未建立", "unknown": "去向不明"}
PERMIT_ZH: dict[str, str] = {"valid": "有效", "expired": "已过期", "temporary": "临时居住证", "none": "未办理"}
QUAL_KIND_ZH: dict[str, str] = {"professional_title": "专业技术职称", "vocational_qualification": "专业技术类职业资格",
                                "skill_level": "职业技能等级"}
UNSTATED_ZH = "未填"  # a field left empty (facts quote it; it is not a choice)


# The remedy of a data problem found by the readers and validate.py (no rule case writes it): (中文, English).
DATA_REMEDY: dict[str, tuple[str, str]] = {
    "error": ("更正该字段后重新检查", "Correct this field, then check again"),
    "warning": ("核对该字段", "Check this field"),
    "cell": ("按「填写说明」修改该单元格后重新运行", "Correct the cell as the guide sheet (填写说明) says, then run again"),
}


def confidence_zh(code: str | None) -> str:
    return CONFIDENCE_ZH.get(code or "", "—")


# The enum words in English (--lang en): what messages quote, beside the Chinese tables above.
EDU_LEVEL_EN = {"high_school": "high school", "secondary_vocational": "secondary vocational school",
          "junior_college": "junior college", "bachelor": "bachelor's", "master": "master's",
          "doctor": "doctorate"}
ARCHIVE_EN = {"ok": "in order", "lost": "lost", "none": "never set up", "unknown": "whereabouts unknown",
              "unstated": "not given"}
PERMIT_EN = {"valid": "valid", "expired": "expired", "temporary": "a temporary permit", "none": "none"}
EDU_MODE_EN = {"full_time": "full-time", "self_study": "self-study exam", "adult": "adult higher education",
           "online": "online", "open_university": "open university", "part_time_postgraduate": "part-time postgraduate"}
# The talent bonus kinds: (中文, English).
TALENT = {"startup": ("创业人才", "start-up talent"), "intermediary": ("创新创业中介服务人才", "innovation service talent")}
