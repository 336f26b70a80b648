"""Warm PDF render time for one realistic two-page checklist.

Prints `pdf_s_per_checklist=<seconds>` (mean of N warm renders). Target: <= 0.6 s.
usage: .venv/bin/python bench/bench_pdf.py [N]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from jifen_check.render.pdf import render_checklist_pdf
from jifen_check.result import Result

DOCS = [
    ("单位材料", "DOC-HR-LETTER", "单位人事专员介绍信 + 人事专员身份证", True, []),
    ("单位材料", "DOC-BUSINESS-LICENCE", "单位营业执照（或事业单位法人证书），含统一社会信用代码", False, ["PRE-EMPLOYER-SH"]),
    ("单位材料", "DOC-DISPATCH", "派遣协议 + 派遣岗位协议 + 劳务派遣经营许可证", True, ["PRE-EMPLOYER-DISPATCH"]),
    ("基本材料", "DOC-APPLICATION-FORM", "《<上海市居住证>积分申请表》", True, []),
    ("基本材料", "DOC-RESIDENCE-PERMIT", "有效期内的《上海市居住证》", True, ["PRE-PERMIT-VALID"]),
    ("基本材料", "DOC-ID-CARD", "本人居民身份证", True, []),
    ("基本材料", "DOC-HUKOU", "户籍证明", True, []),
    ("基本材料", "DOC-CONTRACT", "劳动合同（事业单位：聘用合同），期限 1 年及以上", True, ["PRE-CONTRACT"]),
    ("基本材料", "DOC-TAX-6M", "最近 6 个月个人所得税纳税记录", False, ["PIT-EMPLOYER-CONSISTENT"]),
    ("基本材料", "DOC-NO-CRIME-PLEDGE", "承诺无违法犯罪记录的书面材料", True, []),
    ("积分指标材料", "DOC-DIPLOMA", "学历证书", True, ["PTS-EDU"]),
    ("积分指标材料", "DOC-DEGREE", "学位证书", True, ["PTS-EDU"]),
    ("积分指标材料", "DOC-CHSI-REPORT", "《教育部学历证书电子注册备案表》/学籍在线验证报告（学信网）", False, ["PTS-EDU"]),
    ("积分指标材料", "DOC-STUDY-RECORDS", "毕业生登记表、成绩单或其他学籍材料", True, ["PIT-THREE-PLACES"]),
    ("积分指标材料", "DOC-PRIOR-DIPLOMA", "前置学历证书（如专升本的大专毕业证书）", True, ["PIT-PRIOR-DEGREE"]),
    ("积分指标材料", "DOC-TAX-48M", "最近 48 个月个人所得税纳税记录", False, ["BON-SI-BASE", "PIT-SI-TAX-MISMATCH"]),
    ("同住人材料", "DOC-MARRIAGE", "结婚证", True, ["BON-SPOUSE-HUKOU"]),
    ("同住人材料", "DOC-SPOUSE-ID", "配偶居民身份证", True, ["BON-SPOUSE-HUKOU"]),
    ("同住人材料", "DOC-SPOUSE-HUKOU", "配偶户口簿 / 户籍证明", True, ["BON-SPOUSE-HUKOU"]),
    ("同住人材料", "DOC-CHILD-BIRTH", "子女《出生医学证明》", True, []),
]

LINES = [
    ("PTS-AGE", 30, "counted", "年龄", "34 周岁", None),
    ("PTS-EDU", 90, "counted", "学历", "本科 + 学士学位（自学考试，上海就读）", None),
    ("PTS-TITLE", 60, "not_counted", "职称/技能", "技能三级", "PTS-EDU-OR-TITLE"),
    ("PTS-SI-YEARS", 15, "counted", "社保年限", "63 个月", None),
    ("BON-SI-BASE", 25, "at_risk", "社保基数", "36 个月 ≥0.8 倍", "PIT-SI-TAX-MISMATCH"),
    ("BON-SPOUSE-HUKOU", 24, "counted", "配偶上海户籍", "结婚满 6 年", None),
    ("BON-AWARD", 30, "not_counted", "表彰奖励", "市级单项奖", "BON-AWARD"),
    ("DED-DETENTION", 0, "counted", "行政拘留", "无", None),
]

FINDINGS = [
    ("PIT-SI-TAX-MISMATCH", "warning", "practice", "2024-03、2024-07 个税收入低于社保基数的 90%", "补正个税申报后再申报基数加分", None),
    ("PIT-NEAR-THRESHOLD", "warning", None, "已计总分 139 分，距 120 分线不足 20 分", "逐项核对材料", None),
    ("PIT-CONTRACT-ENDING", "warning", "practice", "劳动合同将于 2027-04-30 到期", "续签劳动合同", "2027-03-31"),
    ("PIT-PRIOR-DEGREE", "warning", "practice", "本科为自学考试，须提供可查验的大专学历", "携带大专毕业证书及学信网报告", None),
    ("PIT-PERMIT-EXPIRING", "warning", "practice", "居住证将于 60 天内到期", "先办理签注", "2026-12-20"),
    ("PIT-BACKPAY", "info", "official", "2025-02 为补缴月份，不计入任何年限与基数统计", "", None),
]


def sample_result() -> Result:
    data: dict[str, Any] = {
        "as_of": "2026-11-22",
        "ruleset": {"id": "shanghai-2023", "parameters_as_of": "2025-07-01"},
        "applicant": {"name": "王小明", "id_number": "320102********123X"},
        "employer": {"name": "上海示例人力资源有限公司", "uscc": "91310115MA1K3XXXXX"},
        "verdict": "eligible",
        "score": {"total": 159, "pass_mark": 120, "at_risk": 25, "lines": [
            {"rule": r, "points": p, "status": s, "title": t, "detail": d, "reason": why}
            for r, p, s, t, d, why in LINES]},
        "findings": [
            {"rule": r, "severity": sev, "confidence": c, "message": m, "remedy": fix, "deadline": due}
            for r, sev, c, m, fix, due in FINDINGS],
        "checklist": [
            {"id": i, "group": g, "title": t, "original": o, "copies": 1, "because": b,
             "reason": "申报所需", "note": "复印件加盖单位公章。" if g == "单位材料" else ""}
            for g, i, t, o, b in DOCS],
    }
    return Result.model_validate(data)


def main(n: int = 10) -> None:
    result = sample_result()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "checklist.pdf"
        render_checklist_pdf(result, out)  # warm-up: fonts, CSS, template compiled once
        times = []
        for _ in range(n):
            start = time.perf_counter()
            render_checklist_pdf(result, out)
            times.append(time.perf_counter() - start)
    print(f"renders={n} min={min(times):.3f}s max={max(times):.3f}s", file=sys.stderr)
    print(f"pdf_s_per_checklist={statistics.mean(times):.3f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10)
