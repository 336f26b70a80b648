"""The readable Chinese report: verdict first, then score, blockers, warnings, earliest date."""

from __future__ import annotations

import unicodedata

from jifen_check.result import SEVERITY_ZH, STATUS_ZH, VERDICT_ZH, Finding, Result

SECTIONS = [
    ("error", "数据错误（须先更正输入）"),
    ("blocker", "阻断项（须先解决，否则不能申请）"),
    ("review", "需人工复核"),
    ("warning", "风险提示"),
    ("info", "说明"),
]


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, cols: int) -> str:
    return text + " " * max(0, cols - width(text))


def header(r: Result) -> list[str]:
    s = r.score
    verdict = f"结论：{VERDICT_ZH[r.verdict]}（{r.verdict}）"
    if r.verdict != "invalid_input":
        verdict += f"    已计 {s.total} 分 / 标准分 {s.pass_mark} 分，另有风险分 {s.at_risk} 分"
    who = r.applicant
    return [
        verdict,
        f"申请人：{who.name or '（未填）'}  {who.id_number or ''}"
        + (f"  来源：{who.row}" if who.row else ""),
        f"单位：{r.employer.name or '（未填）'}    申请日：{r.as_of}    规则：{r.ruleset.id}（参数 {r.ruleset.parameters_as_of}）",
    ]


def score_lines(r: Result) -> list[str]:
    if not r.score.lines:
        return []
    out = ["", "积分明细"]
    for line in r.score.lines:
        status = STATUS_ZH[line.status]
        reason = f"（{line.reason}）" if line.reason else ""
        out.append(f"  {pad(status, 6)} {pad(line.rule, 20)} {pad(line.title, 30)} {line.points:>5}  {line.detail}{reason}")
    out.append(f"  {pad('合计', 58)} {r.score.total:>5}  （有风险 {r.score.at_risk} 分，标准分 {r.score.pass_mark}）")
    return out


def finding_lines(f: Finding) -> list[str]:
    conf = f" · {f.confidence}" if f.confidence else ""
    out = [f"  [{f.rule}{conf}] {f.message}"]
    if f.evidence:
        out.append(f"      依据：{'、'.join(f.evidence[:8])}" + ("…" if len(f.evidence) > 8 else ""))
    if f.remedy:
        out.append(f"      办法：{f.remedy}")
    if f.deadline:
        out.append(f"      日期：{f.deadline}")
    return out


def findings(r: Result) -> list[str]:
    out: list[str] = []
    for severity, title in SECTIONS:
        group = [f for f in r.findings if f.severity == severity]
        if group:
            out += ["", f"{title}（{SEVERITY_ZH[severity]} {len(group)} 项）"]
            for f in group:
                out += finding_lines(f)
    return out


def earliest(r: Result) -> list[str]:
    if r.verdict != "not_eligible":
        return []
    if r.earliest_eligible:
        return ["", f"最早可申请日期：{r.earliest_eligible}（假设按当前基数和单位继续缴纳社保与个税，居住证和劳动合同按时续签）"]
    return ["", "最早可申请日期：无（阻断原因不会随时间自行消除，须先解决上述问题）"]


def render_text(r: Result) -> str:
    return "\n".join(header(r) + score_lines(r) + findings(r) + earliest(r)) + "\n"
