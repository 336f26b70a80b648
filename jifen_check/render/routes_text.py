"""The 「达标途径」 section of the text report (and of `plan`): routes, best first, and urgent steps."""

from __future__ import annotations

from jifen_check.plan import CONF_ZH
from jifen_check.result import VERDICT_ZH, Result, Route, RouteStep

POLICY_END = "2027-12-31"  # only for wording "as things are"; routes carry their own assumption


def cost_zh(step: RouteStep) -> str:
    c = step.cost
    if not (c.employer_monthly or c.employee_monthly):
        return ""
    upper = f"（按行业工伤费率最高约 {c.employer_monthly_max} 元）" if c.employer_monthly_max > c.employer_monthly else ""
    return f"费用：单位每月多缴约 {c.employer_monthly} 元{upper}，个人每月多缴约 {c.employee_monthly} 元"


def step_lines(i: int, s: RouteStep) -> list[str]:
    when = f"须在 {s.by} 前办妥" if s.by else f"生效 {s.effective_on}"
    decide = f"；需{s.decision_by}决定" if s.decision_by else ""
    out = [f"    {i}. 【{s.actor}】{s.action}（{when}{decide}；{CONF_ZH[s.confidence]}）"]
    if cost := cost_zh(s):
        out.append(f"       {cost}")
    return out


def route_lines(k: int, r: Route) -> list[str]:
    who = f"；需{'、'.join(r.decision_by)}决定" if r.decision_by else ""
    out = [f"  途径 {k}：{r.eligible_on} 起可申请，届时已计 {r.points_then} 分（可信度：{CONF_ZH[r.confidence]}{who}）"]
    for i, s in enumerate(r.steps, 1):
        out += step_lines(i, s)
    if r.assumptions:
        out.append("    前提：" + "；".join(r.assumptions))
    out.append(f"    已核验：按 {r.verified.as_of} 的推算情况重新预审，结论「{VERDICT_ZH[r.verified.verdict]}」，{r.verified.total} 分")
    return out


def as_things_are(r: Result) -> str:
    if r.earliest_eligible:
        late = "（晚于 2027-12-31 沪府规〔2022〕21号 到期日，此后规则未知）" if r.earliest_eligible > POLICY_END else ""
        return f"  现状：什么都不改、按当前缴费持续，最早 {r.earliest_eligible} 可申请{late}"
    return "  现状：什么都不改，不会自行达到申请条件"


def routes_section(r: Result) -> list[str]:
    out: list[str] = []
    if r.verdict in ("not_eligible", "needs_review"):
        out += ["", "达标途径（按达标日期、费用、工作量排序；每条都已按该日期重新预审为「符合」）"]
        out += [line for k, route in enumerate(r.routes, 1) for line in route_lines(k, route)]
        if not r.routes:
            out.append("  未找到 4 年内可达标的途径（已考虑：补办证件、续订合同、更正个税、确认职称、提高基数等）")
        out.append(as_things_are(r))
    if r.urgent:
        out += ["", "申请前须办（否则到受理时可能不再符合）"]
        for i, s in enumerate(r.urgent, 1):
            out += step_lines(i, s)
    return out
