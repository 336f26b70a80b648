"""The 「达标途径」 section of the text report (and of `plan`): routes, best first, and urgent steps.

In Chinese or English (--lang en): a step's English text comes from actions.yaml's `text_en`, filled
by plan.py beside the Chinese; its actor is labelled from labels.yaml (`actors`).
"""

from __future__ import annotations

from jifen_check.plan import CONF_EN, CONF_ZH
from jifen_check.render.plain import Lang, Phrases, Words, pick, side
from jifen_check.result import Result, Route, RouteStep

# The section's own words: key → (中文, English).
ROUTE_PHRASES: Phrases = {
    "cost": ("费用：单位每月多缴约 {employer} 元{upper}，个人每月多缴约 {employee} 元",
             "Cost: the employer pays about {employer} yuan more a month{upper}, the employee about {employee} yuan"),
    "cost_upper": ("（按行业工伤费率最高约 {max} 元）", " (up to about {max} yuan at the highest work-injury rate)"),
    "due_by": ("须在 {date} 前办妥", "to be done by {date}"),
    "effective": ("生效 {date}", "takes effect {date}"),
    "decide": ("；需{who}决定", "; {who} must agree"),
    "sep": ("；", "; "),
    "list_sep": ("、", ", "),
    "route": ("  途径 {k}：{date} 起可申请，届时已计 {points} 分（可信度：{conf}{who}）",
              "  Route {k}: can apply from {date}, with {points} points counted then (confidence: {conf}{who})"),
    "assumptions": ("    前提：", "    Assumes: "),
    "verified": ("    已核验：按 {date} 的推算情况重新预审，结论「{verdict}」，{total} 分",
                 "    Checked: judged again on the situation projected to {date}: “{verdict}”, {total} points"),
    "as_is": ("  现状：什么都不改、按当前缴费持续，最早 {date} 可申请{late}",
              "  As things are: changing nothing and contributing as now, the earliest date is {date}{late}"),
    "as_is_late": ("（晚于 {end} 沪府规〔2022〕21号 到期日，此后规则未知）",
                   " (after {end}, when the points rules (沪府规〔2022〕21号) expire; the rules after that are unknown)"),
    "as_is_never": ("  现状：什么都不改、按当前缴费持续，{months} 个月内不会自行达到申请条件",
                    "  As things are: changing nothing and contributing as now, eligibility is not reached "
                    "within {months} months"),
    "head": ("达标途径（按达标日期、费用、工作量排序；每条都已按该日期重新预审为「符合」）",
             "Routes to eligibility (by date, cost and effort; each was judged again on its date as eligible)"),
    "none": ("  未找到 4 年内可达标的途径（已考虑：补办证件、续订合同、更正个税、确认职称、提高基数等）",
             "  No route reaches eligibility within 4 years (tried: renewing papers, renewing the contract, "
             "correcting income tax, confirming the title, raising the base, and more)"),
    # When waiting alone gets there (the "as things are" line below names the date), "no route" would read
    # as "hopeless": say that nothing is quicker than waiting instead.
    "none_but_wait": ("  除按现状等待外，未找到更早达标的途径（已考虑：补办证件、续订合同、更正个税、确认职称、提高基数等）",
                      "  Nothing reaches eligibility sooner than waiting (tried: renewing papers, renewing the contract, "
                      "correcting income tax, confirming the title, raising the base, and more)"),
    "urgent_head": ("申请前须办（否则到受理时可能不再符合）",
                    "Before applying (otherwise you may no longer qualify at the window)"),
    # The checklist PDF's route box.
    "pdf_title": ("达标途径：按以下步骤，{date} 起可申请，届时已计 {points} 分",
                  "Route to eligibility: follow these steps to apply from {date}, with {points} points counted then"),
    "pdf_due": ("须在 {date} 前", "by {date}"),
    "pdf_when": ("（{when}）", " ({when})"),
    "pdf_assume": ("前提（可信度：{conf}）：", "Assumes (confidence: {conf}): "),
    "pdf_other": ("另一途径：{date} 起，{points} 分 —— {steps}",
                  "Another route: from {date}, {points} points — {steps}"),
    "pdf_verified": ("每条途径都已按达标日期推算后重新预审为「符合」。",
                     "Each route was projected to its date and judged again as eligible."),
    "pdf_urgent_title": ("申请前须办", "Before applying"),
}


class RouteWords:
    """Route texts in one language (the text report, the checklist PDF and the batch outputs)."""

    def __init__(self, lang: Lang = "zh", ruleset_id: str | None = None) -> None:
        self.lang = lang
        self.words = Words(lang, ruleset_id) if ruleset_id else Words(lang)
        self.i = side(lang)

    def t(self, key: str, **kw: object) -> str:
        return pick(ROUTE_PHRASES, self.lang, key, **kw)

    def action(self, s: RouteStep) -> str:
        """The step in the language; a step read back from JSON has no English: Chinese in brackets."""
        if self.lang != "en":
            return s.action
        return s._action_en or f"({s.action})"

    def actor(self, who: str) -> str:
        return self.words.code("actors", who)

    def conf(self, code: str) -> str:
        return (CONF_EN if self.lang == "en" else CONF_ZH).get(code, code)

    def assumptions(self, r: Route) -> list[str]:
        if self.lang != "en":
            return list(r.assumptions)
        if len(r._assumptions_en) == len(r.assumptions):
            return list(r._assumptions_en)
        return [f"({x})" for x in r.assumptions]

    def cost(self, step: RouteStep) -> str:
        c = step.cost
        if not (c.employer_monthly or c.employee_monthly):
            return ""
        upper = self.t("cost_upper", max=c.employer_monthly_max) if c.employer_monthly_max > c.employer_monthly else ""
        return self.t("cost", employer=c.employer_monthly, upper=upper, employee=c.employee_monthly)

    def when(self, s: RouteStep) -> str:
        """(须在 … 前办妥 | 生效 …)(；需…决定)."""
        when = self.t("due_by", date=s.by) if s.by else self.t("effective", date=s.effective_on)
        return when + (self.t("decide", who=self.actor(s.decision_by)) if s.decision_by else "")


def cost_zh(step: RouteStep) -> str:
    return RouteWords("zh").cost(step)


def step_lines(i: int, s: RouteStep, w: RouteWords | None = None) -> list[str]:
    w = w or RouteWords()
    if w.lang == "en":
        out = [f"    {i}. [{w.actor(s.actor)}] {w.action(s)} ({w.when(s)}; {w.conf(s.confidence)})"]
    else:
        out = [f"    {i}. 【{s.actor}】{s.action}（{w.when(s)}；{w.conf(s.confidence)}）"]
    if cost := w.cost(s):
        out.append(f"       {cost}")
    return out


def route_lines(k: int, r: Route, w: RouteWords | None = None) -> list[str]:
    w = w or RouteWords()
    who = w.t("decide", who=w.t("list_sep").join(w.actor(x) for x in r.decision_by)) if r.decision_by else ""
    out = [w.t("route", k=k, date=r.eligible_on, points=r.points_then, conf=w.conf(r.confidence), who=who)]
    for i, s in enumerate(r.steps, 1):
        out += step_lines(i, s, w)
    if r.assumptions:
        out.append(w.t("assumptions") + w.t("sep").join(w.assumptions(r)))
    verdict = w.words.code("verdict", r.verified.verdict)
    out.append(w.t("verified", date=r.verified.as_of, verdict=verdict, total=r.verified.total))
    return out


def as_things_are(r: Result, w: RouteWords | None = None) -> str:
    w = w or RouteWords()
    if r.earliest_eligible:
        late = w.t("as_is_late", end=(r.ruleset.in_force or {}).get("to", "")) if r.earliest_eligible_note else ""
        return w.t("as_is", date=r.earliest_eligible, late=late)
    from jifen_check.earliest import HORIZON_MONTHS  # how far "as things are" was projected

    return w.t("as_is_never", months=HORIZON_MONTHS)


def routes_section(r: Result, lang: Lang = "zh") -> list[str]:
    w = RouteWords(lang, r.ruleset.id)
    out: list[str] = []
    if r.verdict in ("not_eligible", "needs_review"):
        out += ["", w.t("head")]
        out += [line for k, route in enumerate(r.routes, 1) for line in route_lines(k, route, w)]
        if not r.routes:
            out.append(w.t("none_but_wait" if r.earliest_eligible else "none"))
        out.append(as_things_are(r, w))
    if r.urgent:
        out += ["", w.t("urgent_head")]
        for i, s in enumerate(r.urgent, 1):
            out += step_lines(i, s, w)
    return out


def _short(text: str, n: int = 40) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def pdf_routes_box(r: Result, lang: Lang = "zh") -> dict[str, object] | None:
    """What the checklist's route box shows (templates/checklist.html.j2), in the language: the best
    route's steps, its assumptions, the other routes in a line each; or, for an eligible applicant,
    the steps due before the window."""
    w = RouteWords(lang, r.ruleset.id)

    def step(s: RouteStep, due_only: bool = False) -> dict[str, str]:
        if due_only:
            when = w.t("pdf_when", when=w.t("pdf_due", date=s.by)) if s.by else ""
        else:
            core = w.t("pdf_due", date=s.by) if s.by else w.t("effective", date=s.effective_on)
            decide = w.t("decide", who=w.actor(s.decision_by)) if s.decision_by else ""
            when = w.t("pdf_when", when=core + decide)
        return {"actor": w.actor(s.actor), "action": w.action(s), "when": when, "cost": w.cost(s)}

    if r.routes:
        best = r.routes[0]
        sep = w.t("sep")
        others = [w.t("pdf_other", date=o.eligible_on, points=o.points_then,
                      steps=sep.join(_short(w.action(s)) for s in o.steps)) for o in r.routes[1:]]
        assume = (w.t("pdf_assume", conf=w.conf(best.confidence)) + sep.join(w.assumptions(best))
                  if best.assumptions else "")
        return {"kind": "routes", "title": w.t("pdf_title", date=best.eligible_on, points=best.points_then),
                "steps": [step(s) for s in best.steps], "assume": assume, "others": others,
                "verified": w.t("pdf_verified")}
    if r.urgent:
        return {"kind": "urgent", "title": w.t("pdf_urgent_title"), "steps": [step(s, True) for s in r.urgent],
                "assume": "", "others": [], "verified": ""}
    return None
