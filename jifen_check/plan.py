"""Routes to 120: what a not-eligible or needs-review applicant can do, by when, and what it costs.

The candidate steps are data (`rulesets/<id>/routes/actions.yaml`), their dated parameters too
(`routes/route_parameters.yaml`: contribution rates, the yearly base reset, the policy's end, school
milestones). This module only measures: it applies a set of steps to a copy of the applicant,
projects the copy forward month by month (`earliest.project`) and asks the real judge. A route is
proposed only when the judge, run on the projected applicant on the route's date, says `eligible`;
there is no second scoring formula.

Finding the date of a set of steps: nothing can work before every step has taken effect (`d0`).
From `d0` on, the dates tried are those `earliest_eligible` tries (the 1st of each month, the permit
sync date, record expiries), and a date is skipped only when `earliest.gain_bound` (an upper bound
on the points time can add, with its soundness argument) cannot close the gap between the pass mark
and the points in reach on `d0` (counted and at risk). tests/test_plan_properties.py checks the
search against a brute force, and the pruned search against an unpruned one.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import string
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from jifen_check import months as mo
from jifen_check import rulebook, yamlio
from jifen_check.applicant import Applicant, Education, IncomeTaxRow, Qualification, SocialInsuranceRow
from jifen_check.earliest import HORIZON_MONTHS, blocked_until, candidates, gain_bound, latest, project
from jifen_check.facts import expand_si, expand_tax
from jifen_check.labels import CONFIDENCE_EN, CONFIDENCE_ZH
from jifen_check.result import Result, Route, RouteCost, RouteStep, RouteVerified
from jifen_check.validate import check
from jifen_check.workdays import add_working_days, uncovered_years

Confidence = Literal["official", "practice", "unverified"]
CONFIDENCE_RANK = {"official": 0, "practice": 1, "unverified": 2}
# One word per confidence in every output (labels.py, the same as labels.yaml); codes stay in JSON only.
CONF_ZH = CONFIDENCE_ZH
CONF_EN = CONFIDENCE_EN
APPLY_KINDS = ("renew_permit", "extend_contract", "register_employer", "transfer_archive", "correct_tax",
               "fix_withholder", "confirm_title", "certify_degree", "register_title", "raise_base",
               "add_skill", "add_title", "add_bachelor", "add_master", "keep_paying", "claim_education")
# How a route is verified: the whole rule set judges the projected applicant on a date (the caller,
# judge.py, passes judge.verify; plan does not import the judge, which calls plan).
Verify = Callable[[Applicant, dt.date], Any]
# Steps the route itself adds (waiting; choosing the claim at the window), never triggered by a finding.
ROUTE_ADDED = ("keep_paying", "claim_education")
# The {placeholders} each kind of step fills in its `text`/`text_en` (the code below fills exactly
# these); a kind not listed fills none. Checked at load, so a misspelt placeholder fails there.
FILLS: dict[str, frozenset[str]] = {
    "correct_tax": frozenset({"months"}), "fix_withholder": frozenset({"months"}),
    "confirm_title": frozenset({"title"}), "raise_base": frozenset({"date", "base", "multiple", "income"}),
    "keep_paying": frozenset({"until"}), "claim_education": frozenset({"points"}),
}


RAISE = "ACT-BASE-RAISE"  # its variants (0.8×, 1×, 2×, 3×) are one choice in `_dominated`


class PlanDataError(rulebook.RulesetError):
    """A malformed actions or route-parameter file (the message names the file and key)."""


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Lead(Strict):
    days: int | None = Field(None, ge=0)
    working_days: int | None = Field(None, ge=0)
    months: int | None = Field(None, ge=0)
    source: str = Field(min_length=1)
    source_en: str = ""  # English (--lang en); tests/test_english.py requires it
    confidence: Confidence

    @model_validator(mode="after")
    def _one_unit(self) -> Lead:
        if sum(x is not None for x in (self.days, self.working_days, self.months)) != 1:
            raise ValueError("exactly one of days, working_days, months")
        return self

    def after(self, day: dt.date) -> dt.date:
        if self.working_days is not None:
            return add_working_days(day, self.working_days) if self.working_days else day
        if self.months is not None:
            m = mo.of_date(day) + self.months
            last = (mo.first_day(m + 1) - dt.timedelta(days=1)).day
            return dt.date(m // 12, m % 12 + 1, min(day.day, last))
        return day + dt.timedelta(days=self.days or 0)

    def zh(self) -> str:
        if self.working_days is not None:
            return f"约 {self.working_days} 个工作日"
        if self.months is not None:
            return f"约 {self.months} 个月"
        return "当日" if not self.days else f"约 {self.days} 天"

    def en(self) -> str:
        if self.working_days is not None:
            return f"about {self.working_days} working days"
        if self.months is not None:
            return f"about {self.months} month{'s' if self.months != 1 else ''}"
        return "the same day" if not self.days else f"about {self.days} days"


class Trigger(Strict):
    findings: list[str]
    severity: list[str] | None = None
    # Also when the counted points alone fall short of the pass mark: a needs-review applicant who reaches
    # it only with points at risk has no PRE-SCORE finding, yet a route that needs no risky item exists.
    counted_short: bool = False


class Action(Strict):
    id: str = Field(pattern=r"^ACT-[A-Z0-9-]+$")
    apply: Literal[APPLY_KINDS]  # type: ignore[valid-type]
    when: Trigger
    because: list[str] = Field(min_length=1)
    label: str = Field(min_length=1, description="a short name for listings")
    label_en: str = ""  # English beside the Chinese (--lang en); tests/test_english.py requires it
    text: str = Field(min_length=1)
    text_en: str = ""
    actor: Literal["本人", "单位人事", "单位财务", "窗口"]
    lead: Lead
    decision_by: str | None = None
    confidence: Confidence
    assumptions: list[str] = []
    assumptions_en: list[str] = []
    effort: int = Field(ge=1, le=3)
    always: bool = False
    urgent: bool = False
    longer: bool = False

    @model_validator(mode="after")
    def _english_pairs(self) -> Action:
        if self.assumptions_en and len(self.assumptions_en) != len(self.assumptions):
            raise ValueError("assumptions_en: one English sentence per assumption, in the same order")
        return self

    def english(self, attr: str, zh: str) -> str:
        """The English of `label`/`text`, else the Chinese in brackets (an original name)."""
        return str(getattr(self, f"{attr}_en")) or f"({zh})"


class ActionFile(Strict):
    actions: list[Action] = Field(min_length=1)


class DatedValue(Strict):
    value: Any
    source: str = Field(min_length=1)
    source_en: str = ""  # English (--lang en); tests/test_english.py requires it
    confidence: Confidence
    note: str | None = None


class RouteParameter(Strict):
    description: str
    description_en: str = ""
    values: dict[dt.date, DatedValue] = Field(min_length=1)

    def at(self, day: dt.date) -> DatedValue:
        dates = [d for d in sorted(self.values) if d <= day]
        return self.values[dates[-1] if dates else min(self.values)]


class Rates(Strict):
    employer: dict[str, float]
    employee: dict[str, float]
    injury_min: float
    injury_max: float


class Milestone(Strict):
    date: dt.date
    last_chance: dt.date | None = None
    note: str = ""
    note_en: str = ""
    confidence: Confidence


# Every route parameter the code reads, with the shape of its value (checked at load).
PARAM_TYPES: dict[str, Any] = {
    "contribution_rates": Rates,
    "base_reset": dict[Literal["month"], int],
    "tax_lag": dict[Literal["months"], int],
    "search": dict[Literal["horizon_months", "max_steps", "show"], int],
    "policy_end": dict[Literal["date"], dt.date],
    "milestones": dict[str, Milestone],
}


@dataclass(frozen=True)
class PlanData:
    actions: tuple[Action, ...]
    params: dict[str, RouteParameter]

    def value(self, name: str, day: dt.date) -> Any:
        return _adapter(PARAM_TYPES[name]).validate_python(self.params[name].at(day).value)

    def dated(self, name: str, day: dt.date) -> DatedValue:
        return self.params[name].at(day)


@cache
def _adapter(kind: Any) -> Any:
    """A pydantic TypeAdapter per parameter type: building one costs ~0.3 ms, a route search asks often."""
    from pydantic import TypeAdapter

    return TypeAdapter(kind)


def _describe(e: ValidationError) -> str:
    return "; ".join(f"{'.'.join(str(x) for x in err['loc'])}: {err['msg']}" for err in e.errors())


def _read(path: Path) -> Any:
    try:
        return yamlio.load(path.read_text(encoding="utf-8"))  # a repeated key is refused, not replaced
    except (OSError, yaml.YAMLError, UnicodeDecodeError) as e:
        raise PlanDataError(f"{path}: cannot read: {e}") from e


def load_actions(path: Path, known_rules: set[str]) -> tuple[Action, ...]:
    try:
        actions = ActionFile.model_validate(_read(path)).actions
    except ValidationError as e:
        raise PlanDataError(f"{path}: actions.{_describe(e)}") from e
    seen: set[str] = set()
    for i, a in enumerate(actions):
        if a.id in seen:
            raise PlanDataError(f"{path}: actions[{i}].id: {a.id} defined twice")
        seen.add(a.id)
        for key, ids in (("when.findings", a.when.findings), ("because", a.because)):
            unknown = [r for r in ids if r not in known_rules]
            if unknown:
                raise PlanDataError(f"{path}: actions[{i}].{key}: unknown rule ID {', '.join(unknown)}")
        _check_placeholders(path, i, a)
    return tuple(actions)


def _check_placeholders(path: Path, i: int, a: Action) -> None:
    """Texts use only the placeholders their kind of step fills; labels and assumptions none."""
    texts = {"text": a.text, "text_en": a.text_en, "label": a.label, "label_en": a.label_en,
             **{f"assumptions[{k}]": x for k, x in enumerate(a.assumptions)},
             **{f"assumptions_en[{k}]": x for k, x in enumerate(a.assumptions_en)}}
    for key, text in texts.items():
        try:
            used = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
        except ValueError as e:  # an unbalanced brace
            raise PlanDataError(f"{path}: actions[{i}] ({a.id}).{key}: {e}") from e
        allowed = FILLS.get(a.apply, frozenset()) if key in ("text", "text_en") else frozenset()
        if unknown := sorted(used - allowed):
            known = "、".join(sorted(allowed)) or "无"
            raise PlanDataError(f"{path}: actions[{i}] ({a.id}).{key}: unknown placeholder "
                                f"{', '.join('{' + u + '}' for u in unknown)} (this kind of step fills: {known})")


def load_params(path: Path) -> dict[str, RouteParameter]:
    raw = _read(path)
    if not isinstance(raw, dict):
        raise PlanDataError(f"{path}: expected a mapping of parameter names")
    out: dict[str, RouteParameter] = {}
    from pydantic import TypeAdapter

    for name, spec in raw.items():
        if name not in PARAM_TYPES:
            raise PlanDataError(f"{path}: {name}: unknown route parameter (known: {', '.join(PARAM_TYPES)})")
        try:
            param = out[name] = RouteParameter.model_validate(spec)
            for day, v in param.values.items():
                try:
                    TypeAdapter(PARAM_TYPES[name]).validate_python(v.value)
                except ValidationError as e:
                    raise PlanDataError(f"{path}: {name}.values.{day}.value.{_describe(e)}") from e
        except ValidationError as e:
            raise PlanDataError(f"{path}: {name}.{_describe(e)}") from e
    missing = set(PARAM_TYPES) - set(out)
    if missing:
        raise PlanDataError(f"{path}: missing route parameters: {', '.join(sorted(missing))}")
    return out


@cache
def plan_data(ruleset_id: str = rulebook.DEFAULT_RULESET) -> PlanData:
    book = rulebook.load(ruleset_id)
    folder = book.root / "routes"
    return PlanData(load_actions(folder / "actions.yaml", set(book.rules)),
                    load_params(folder / "route_parameters.yaml"))


# ---------------------------------------------------------------- concrete steps

@dataclass
class Step:
    """An action made concrete for one applicant: its text, date, cost and the change it makes."""

    action: Action
    effective: dt.date
    text: str
    change: dict[str, Any] = field(default_factory=dict)  # top-level applicant fields replaced
    raise_to: tuple[int, float, float] | None = None     # (first month index, base, tax income)
    cost: RouteCost = field(default_factory=RouteCost)
    assumptions: list[str] = field(default_factory=list)
    confidence: str = "official"
    text_en: str = ""  # the same in English (--lang en)
    assumptions_en: list[str] = field(default_factory=list)  # one per Chinese assumption, same order


@dataclass
class Context:
    book: rulebook.Rulebook
    data: PlanData
    app: Applicant
    as_of: dt.date
    result: Result
    ruleset_id: str
    verify: Verify


def _weakest(*levels: str) -> str:
    return max(levels, key=lambda c: CONFIDENCE_RANK.get(c, 2))


def _fill(a: Action, fill: dict[str, Any] | None, fill_en: dict[str, Any] | None) -> tuple[str, str]:
    """The step's text in Chinese and English, its placeholders filled (English values may differ:
    a list joined with commas, a Chinese name in brackets)."""
    fill = fill or {}
    return a.text.format(**fill), a.english("text", a.text).format(**(fill if fill_en is None else fill_en))


def _assumptions_en(a: Action) -> list[str]:
    return list(a.assumptions_en) if a.assumptions_en else [f"({x})" for x in a.assumptions]


def _step(ctx: Context, a: Action, fill: dict[str, Any] | None = None, fill_en: dict[str, Any] | None = None,
          **kw: Any) -> Step:
    eff = kw.pop("effective", None) or a.lead.after(ctx.as_of)
    extra, extra_en = [], []
    if a.lead.days != 0:
        extra = [f"{a.label}{a.lead.zh()}生效（{CONF_ZH[a.lead.confidence]}：{a.lead.source}）"]
        extra_en = [f"{a.english('label', a.label)}: takes effect after {a.lead.en()} "
                    f"({CONF_EN[a.lead.confidence]}: {a.lead.source_en or f'({a.lead.source})'})"]
    text, text_en = _fill(a, fill, fill_en)
    return Step(action=a, effective=eff, text=text, text_en=text_en, assumptions=list(a.assumptions) + extra,
                assumptions_en=_assumptions_en(a) + extra_en, confidence=_weakest(a.confidence, a.lead.confidence),
                **kw)


def _renew_permit(ctx: Context, a: Action) -> list[Step]:
    eff = a.lead.after(ctx.as_of)
    rp = ctx.app.residence_permit.model_copy(update={
        "status": "valid", "issued_or_renewed_on": eff, "valid_until": dt.date(eff.year + 1, eff.month, 1)
        - dt.timedelta(days=1)})
    return [_step(ctx, a, effective=eff, change={"residence_permit": rp})]


def _extend_contract(ctx: Context, a: Action) -> list[Step]:
    c = ctx.app.contract
    start = c.start if c.start <= ctx.as_of else ctx.as_of
    update = {"employer_uscc": ctx.app.employer.uscc, "start": start, "end": None}
    return [_step(ctx, a, change={"contract": c.model_copy(update=update)})]


def _register_employer(ctx: Context, a: Action) -> list[Step]:
    return [_step(ctx, a, change={"employer": ctx.app.employer.model_copy(update={"points_system_registered": True})})]


def _transfer_archive(ctx: Context, a: Action) -> list[Step]:
    return [_step(ctx, a, change={"person": ctx.app.person.model_copy(update={"personnel_archive": "ok"})})]


def _window(ctx: Context) -> range:
    """The months the base bonus looks at (the 48 before the application month)."""
    now = mo.of_date(ctx.as_of)
    return range(now - 48, now)


def _rows(months: dict[int, tuple[float, str | None]]) -> list[IncomeTaxRow]:
    """Month → (income, withholder) back into range rows, runs of equal values merged."""
    runs: list[list[Any]] = []  # [first, last, income, withholder]: a run keeps its latest month's income
    for m in sorted(months):
        inc, who = months[m]
        if runs and runs[-1][1] == m - 1 and (runs[-1][2], runs[-1][3]) == (inc, who):
            runs[-1][1:3] = [m, inc]
        else:
            runs.append([m, m, inc, who])
    return [IncomeTaxRow(month=mo.fmt(a) if a == b else f"{mo.fmt(a)}..{mo.fmt(b)}", income=inc, withholder_uscc=who)
            for a, b, inc, who in runs]


def _spans_en(months: list[int]) -> str:
    """mo.spans with English list commas."""
    return mo.spans(months).replace("、", ", ") if months else "none"


def _tax_ratio(ctx: Context) -> Decimal:
    return Decimal(str(ctx.book.snapshot(ctx.as_of)["tax_match"]["min_ratio"]))


def _correct_tax(ctx: Context, a: Action) -> list[Step]:
    """Months of the window with Shanghai SI on time but tax income under the ratio (or none)."""
    ratio = _tax_ratio(ctx)
    si, tax = expand_si(ctx.app), expand_tax(ctx.app)
    months = {m: (t[0], t[1]) for m, t in tax.items()}
    fixed = []
    short: dict[tuple[float, float], int | None] = {}  # (base, income) -> the income needed, None if enough
    for m in _window(ctx):
        s = si.get(m)
        if s is None or s.back_payment or s.transferred:
            continue
        inc, who = months.get(m, (0.0, None))
        if (s.base, inc) not in short:  # most months repeat a few (base, income) pairs
            enough = Decimal(str(inc)) >= Decimal(str(s.base)) * ratio
            short[s.base, inc] = None if enough else math.ceil(Decimal(str(s.base)) * ratio)
        if (need := short[s.base, inc]) is not None:
            months[m] = (float(need), who or ctx.app.contract.employer_uscc or ctx.app.employer.uscc)
            fixed.append(m)
    if not fixed:
        return []
    return [_step(ctx, a, {"months": mo.spans(fixed)}, {"months": _spans_en(fixed)}, change={"income_tax": _rows(months)})]


def _fix_withholder(ctx: Context, a: Action) -> list[Step]:
    want = ctx.app.contract.employer_uscc or ctx.app.employer.uscc
    tax = expand_tax(ctx.app)
    months = {m: (t[0], t[1]) for m, t in tax.items()}
    fixed = [m for m in _window(ctx) if m in months and months[m][1] not in (None, want)]
    if not fixed:
        return []
    for m in fixed:
        months[m] = (months[m][0], want)
    return [_step(ctx, a, {"months": mo.spans(fixed)}, {"months": _spans_en(fixed)}, change={"income_tax": _rows(months)})]


def _confirm_title(ctx: Context, a: Action) -> list[Step]:
    quals, names, names_en = [], [], []
    for q in ctx.app.qualifications:
        if q.matches_position == "unknown" or q.appointed is None:
            if q.matches_position is not False and q.appointed is not False:
                q = q.model_copy(update={"matches_position": True, "appointed": True})
                names.append(q.name or "该职称（技能）")
                names_en.append(q.name or "the title (skill level)")
        quals.append(q)
    if not names:
        return []
    return [_step(ctx, a, {"title": "、".join(names)}, {"title": ", ".join(names_en)}, change={"qualifications": quals})]


def _certify_degree(ctx: Context, a: Action) -> list[Step]:
    edu = [e.model_copy(update={"cscse_certified": True}) if e.foreign and not e.cscse_certified else e
           for e in ctx.app.education]
    if edu == list(ctx.app.education):
        return []
    return [_step(ctx, a, change={"education": edu})]


def _register_title(ctx: Context, a: Action) -> list[Step]:
    quals = [q.model_copy(update={"registered": True}) if q.registration_required and not q.registered else q
             for q in ctx.app.qualifications]
    if quals == list(ctx.app.qualifications):
        return []
    return [_step(ctx, a, change={"qualifications": quals})]


def _latest_paid(app: Applicant) -> SocialInsuranceRow | None:
    return latest(r for r in app.social_insurance if not r.back_payment)


# _raise_base's steps by (ruleset, as_of, action, latest base): (book, data, steps). A batch shares
# its as_of, and its people share a few bases.
_RAISES: dict[tuple[str, dt.date, str, float], tuple[rulebook.Rulebook, PlanData, tuple[Step, ...]]] = {}


def _raise_base(ctx: Context, a: Action) -> list[Step]:
    """One variant per band the latest base does not reach, from the next yearly base reset.

    The steps depend on nothing of the applicant but the latest paid base, so they are built once
    per base (and per ruleset, day and action) and handed out again: no one changes a Step once made."""
    last = _latest_paid(ctx.app)
    if last is None:
        return []
    key = (ctx.ruleset_id, ctx.as_of, a.id, last.base)
    hit = _RAISES.get(key)
    if hit is None or hit[0] is not ctx.book or hit[1] is not ctx.data:
        if len(_RAISES) >= 256:
            _RAISES.clear()
        hit = _RAISES[key] = (ctx.book, ctx.data, tuple(_raises(ctx, a, last.base)))
    return list(hit[2])


def _raises(ctx: Context, a: Action, last_base: float) -> list[Step]:
    reset = ctx.data.dated("base_reset", ctx.as_of)
    month = ctx.data.value("base_reset", ctx.as_of)["month"]
    now = mo.of_date(ctx.as_of)
    start = next(m for m in range(now + 1, now + 13) if m % 12 + 1 == month)
    wage = ctx.book.param("average_wage", mo.first_day(start))
    ceiling = math.floor(Decimal(str(wage)) * Decimal(str(ctx.book.param("contribution_ceiling_multiple", ctx.as_of))))
    ratio = _tax_ratio(ctx)
    rates_d = ctx.data.dated("contribution_rates", mo.first_day(start))
    rates = ctx.data.value("contribution_rates", mo.first_day(start))
    steps = []
    for band in ctx.book.snapshot(ctx.as_of)["si_base_bands"]:
        mult = Decimal(str(band["multiple"]))
        base = min(math.ceil(Decimal(str(wage)) * mult), ceiling)
        if base <= last_base or base < Decimal(str(wage)) * mult:
            continue
        income = math.ceil(Decimal(base) * ratio)
        delta = Decimal(base) - Decimal(str(last_base))
        emp = Decimal(str(sum(rates.employer.values())))
        cost = RouteCost(employee_monthly=math.ceil(delta * Decimal(str(sum(rates.employee.values()))) / 100),
                         employer_monthly=math.ceil(delta * (emp + Decimal(str(rates.injury_min))) / 100),
                         employer_monthly_max=math.ceil(delta * (emp + Decimal(str(rates.injury_max))) / 100))
        fill = {"date": mo.fmt(start), "base": base, "multiple": f"{band['multiple']:g}", "income": income}
        employee = f"{sum(rates.employee.values()):g}"
        notes = [f"基数每年 {month} 月调整一次，年中调高按次年 {month} 月起算（{CONF_ZH[reset.confidence]}）",
                 f"所需基数按 {wage} 元社平工资计；新年度社平工资公布后所需基数随之提高（{CONF_ZH['unverified']}）",
                 f"缴费比例：单位 {emp:g}% + 工伤 {rates.injury_min:g}–{rates.injury_max:g}%，"
                 f"个人 {employee}%（{CONF_ZH[rates_d.confidence]}，{rates_d.source}）"]
        notes_en = [f"The base is adjusted once a year in month {month}; a raise during the year counts from the next "
                    f"month {month} ({CONF_EN[reset.confidence]})",
                    f"The base needed is reckoned on an average wage of {wage} yuan; it rises when the next year's "
                    f"average wage is published ({CONF_EN['unverified']})",
                    f"Contribution rates: employer {emp:g}% + work injury {rates.injury_min:g}–{rates.injury_max:g}%, "
                    f"employee {employee}% ({CONF_EN[rates_d.confidence]}; {rates_d.source_en or f'({rates_d.source})'})"]
        steps.append(_step(ctx, a, fill, effective=mo.first_day(start), raise_to=(start, float(base), float(income)),
                           cost=cost))
        steps[-1].assumptions[:0] = notes
        steps[-1].assumptions_en[:0] = notes_en
        steps[-1].confidence = _weakest(steps[-1].confidence, reset.confidence, rates_d.confidence)
    return steps


def _add_qualification(ctx: Context, a: Action, kind: str, level: Any, name: str) -> list[Step]:
    """A new certificate in hand once its lead time has passed, matched to the job and appointed."""
    eff = a.lead.after(ctx.as_of)
    if any(q.kind == kind and q.level == level for q in ctx.app.qualifications):
        return []
    q = Qualification(kind=kind, level=level, name=name, obtained_on=eff, obtained_by="exam", obtained_city="上海",
                      shanghai_verified=True, matches_position=True, appointed=True)
    return [_step(ctx, a, effective=eff, change={"qualifications": [*ctx.app.qualifications, q]})]


def _add_degree(ctx: Context, a: Action, level: str, mode: str, needs: set[tuple[str, bool]]) -> list[Step]:
    """A higher degree studied in Shanghai, in hand once its lead time has passed: proposed only where
    the highest degree today is the one it builds on (`needs`: (level, has a degree certificate))."""
    order = ("high_school", "secondary_vocational", "junior_college", "bachelor", "master", "doctor")
    if not ctx.app.education:
        return []
    top = max(ctx.app.education, key=lambda e: (order.index(e.level), e.degree))
    if (top.level, top.degree if top.level != "junior_college" else False) not in needs:
        return []
    eff = a.lead.after(ctx.as_of)
    new = Education(level=level, mode=mode, diploma=True, degree=True, school="本市高校（拟读）", start=ctx.as_of,
                    end=eff, study_city="上海", chsi_verifiable=True)
    return [_step(ctx, a, effective=eff, change={"education": [*ctx.app.education, new]})]


def _add_bachelor(ctx: Context, a: Action) -> list[Step]:
    return _add_degree(ctx, a, "bachelor", "adult", {("junior_college", False)})


def _add_master(ctx: Context, a: Action) -> list[Step]:
    return _add_degree(ctx, a, "master", "part_time_postgraduate", {("bachelor", True)})


def _add_skill(ctx: Context, a: Action) -> list[Step]:
    return _add_qualification(ctx, a, "skill_level", 3, "三级职业技能等级证书（拟考）")


def _add_title(ctx: Context, a: Action) -> list[Step]:
    return _add_qualification(ctx, a, "professional_title", "intermediate", "中级专业技术资格（拟考）")


APPLIERS = {"add_skill": _add_skill, "add_title": _add_title, "add_bachelor": _add_bachelor, "add_master": _add_master, "renew_permit": _renew_permit, "extend_contract": _extend_contract,
            "register_employer": _register_employer, "transfer_archive": _transfer_archive,
            "correct_tax": _correct_tax, "fix_withholder": _fix_withholder, "confirm_title": _confirm_title,
            "certify_degree": _certify_degree, "register_title": _register_title, "raise_base": _raise_base}


def _triggered(a: Action, result: Result) -> bool:
    if a.when.counted_short and result.verdict == "needs_review" and result.score.total < result.score.pass_mark:
        return True
    return any(f.rule in a.when.findings and (a.when.severity is None or f.severity in a.when.severity)
               for f in result.findings)


def candidate_steps(ctx: Context, longer: bool = False, made: dict[str, list[Step]] | None = None) -> list[Step]:
    """The triggered steps; the long ones (new certificates) only when `longer`.

    `made`: each action's steps by its ID, kept and handed out again (plan_routes' second search,
    with the long steps, has the first's other steps: the same applicant, day and result make the
    same steps, and no one changes a Step once made)."""
    steps: list[Step] = []
    for a in ctx.data.actions:
        if a.longer and not longer:
            continue
        if a.apply not in ROUTE_ADDED and not a.urgent or (a.urgent and a.always):
            if _triggered(a, ctx.result):
                if made is None:
                    steps.extend(APPLIERS[a.apply](ctx, a))
                    continue
                if a.id not in made:
                    made[a.id] = APPLIERS[a.apply](ctx, a)
                steps.extend(made[a.id])
    return steps


# ---------------------------------------------------------------- projection and search

def apply_steps(app: Applicant, steps: list[Step]) -> Applicant:
    update: dict[str, Any] = {}
    for s in steps:
        for key, value in s.change.items():
            if key in update and key in ("qualifications", "income_tax", "education"):
                value = _merge_lists(key, app, update[key], value)
            update[key] = value
    return app.model_copy(update=update) if update else app


def _merge_lists(key: str, app: Applicant, first: Any, second: Any) -> Any:
    """Two steps changing the same list (tax income and withholder): combine month by month."""
    if key != "income_tax":
        orig = list(getattr(app, key))
        n = len(orig)  # changed in place (first n), then whatever each step added
        merged = [a if a != o else b for a, b, o in zip(first[:n], second[:n], orig, strict=True)]
        return merged + list(first[n:]) + list(second[n:])
    orig = expand_tax(app)
    one, two = expand_tax(app.model_copy(update={key: first})), expand_tax(app.model_copy(update={key: second}))
    merged = {}
    for m in set(one) | set(two):
        o = orig.get(m)
        a, b = one.get(m, o), two.get(m, o)
        inc = max(x[0] for x in (a, b) if x)
        who = next((x[1] for x in (a, b) if x and o and x[1] != o[1]), (a or b)[1])  # type: ignore[index]
        merged[m] = (inc, who)
    return _rows(merged)


def projected(app: Applicant, as_of: dt.date, day: dt.date, raise_to: tuple[int, float, float] | None) -> Applicant:
    """The applicant on `day`: contributions continue; from the raise month at the raised base and income."""
    p = project(app, as_of, day)
    if raise_to is None or mo.of_date(day) < raise_to[0]:
        return p
    start, base, income = raise_to
    si: list[SocialInsuranceRow] = []
    for r in p.social_insurance:
        a, b = mo.spec_bounds(r.month)
        if b < start or r.back_payment:
            si.append(r)
            continue
        if a < start:
            si.append(r.model_copy(update={"month": _spec(a, start - 1)}))
        si.append(r.model_copy(update={"month": _spec(max(a, start), b), "base": base}))
    tax = []
    for t in p.income_tax:
        a, b = mo.spec_bounds(t.month)
        if a < start:  # rows before the raise stay; one that runs into it is cut short
            tax.append(t if b < start else t.model_copy(update={"month": _spec(a, start - 1)}))
    last_tax = latest(p.income_tax)
    end_tax = mo.of_date(day) - 1
    if end_tax >= start:
        who = last_tax.withholder_uscc if last_tax else None
        tax.append(IncomeTaxRow(month=_spec(start, end_tax), income=max(income, last_tax.income if last_tax else 0),
                                withholder_uscc=who))
    return p.model_copy(update={"social_insurance": si, "income_tax": tax})


def _spec(a: int, b: int) -> str:
    return mo.fmt(a) if a == b else f"{mo.fmt(a)}..{mo.fmt(b)}"


def _bound_basis(app: Applicant, as_of: dt.date, d0: dt.date, raise_to: tuple[int, float, float] | None) -> Applicant:
    """The applicant from which gain_bound projects "as things are" exactly as the route does.

    gain_bound continues the latest SI and tax rows. On d0 a raised route has its raised base but
    not yet a raised tax row (the tax of d0's month is declared later), so continuing the rows
    would pair the raised base with the old income and miss band months the route does earn
    (measured: 7 of 200 mixed people lost their raise routes). One month on, both rows are raised,
    and continuing them is the route's own projection; the extra month only loosens the bound.
    """
    if raise_to is None:
        return projected(app, as_of, d0, None)
    return projected(app, as_of, mo.first_day(mo.of_date(d0) + 1), raise_to)


class _Basis:
    """`_bound_basis(app, as_of, d0, raise_to)`, built once for a step set's search (by `_hopeless`
    or `first_eligible`, whichever needs it first) and only when needed; without a raise it is the
    applicant judged on d0 too."""

    def __init__(self, app: Applicant, as_of: dt.date, d0: dt.date, raise_to: tuple[int, float, float] | None) -> None:
        self.args, self.value = (app, as_of, d0, raise_to), None
        # `_hopeless`'s bound date by date (day -> surely short of the pass mark), once it is built.
        self.falls_short: Callable[[dt.date], bool] | None = None

    def get(self) -> Applicant:
        if self.value is None:
            self.value = _bound_basis(*self.args)
        return self.value


def _held_for_good(ctx: Context, r: Result) -> bool:
    """A blocker or a review finding that time does not cure keeps every later date from `eligible`.

    The review findings (PRE-EMPLOYER-INDIVIDUAL, VETO-FAMILY-PLANNING, BON-REMOTE-AREA) look only at
    inputs the projection does not change (the employer's kind, the records, the remote area), and
    any review finding makes the verdict needs_review (VERDICT-NEEDS-REVIEW: reviews > 0)."""
    return any(f.severity in ("blocker", "review") and f.rule in ctx.book.rules
               and not ctx.book.rules[f.rule].time_cures for f in r.findings)


def first_eligible(ctx: Context, app: Applicant, d0: dt.date, raise_to: tuple[int, float, float] | None,
                   end: dt.date, known: tuple[Result, list[int]] | None = None,
                   before: Before | None = None,
                   judged: list[tuple[dt.date, Result, list[int]]] | None = None) -> tuple[dt.date, Any] | None:
    """The first date from `d0` on which the judge finds the changed applicant eligible (or None).

    `known`: the judge's result and band months on `d0` when they are already at hand (no steps,
    or another raise's `_opening`), never an eligible one.
    `before`: a judge's result from which `_hopeless` may rule the search out before judging.
    `judged`: gets the judge's result and band months on `d0` when this call runs the judge there."""
    basis = _Basis(app, ctx.as_of, d0, raise_to)
    if before is not None and _hopeless(ctx, app, d0, raise_to, end, before, basis):
        return None
    base = basis.get() if raise_to is None else projected(app, ctx.as_of, d0, raise_to)
    if known is None and before is not None and _d0_passed_over(ctx, base, d0, before, basis):
        return _after_d0(ctx, app, d0, raise_to, end, base, before[1], basis)
    if known is None:
        j0 = ctx.verify(base, d0)
        r0, bands = j0.result, (j0.ledger.obs.details.get("band_months", []) if j0.ledger else [])
        if judged is not None:
            judged.append((d0, r0, bands))
        if r0.verdict == "eligible":
            return d0, j0
    else:
        r0, bands = known
    if r0.verdict in ("eligible", "invalid_input") or _held_for_good(ctx, r0):
        return None
    # An eligible date needs counted points ≥ the pass mark; they are at most today's counted points
    # plus what time can add to them (earliest.gain_bound(counted=True), proved there), so a date
    # where even that falls short is skipped.
    short = r0.score.pass_mark - r0.score.total
    bound = gain_bound(ctx.book, basis.get(), d0, r0, bands, counted=True)
    return _search_on(ctx, app, d0, raise_to, end, base, r0,
                      lambda day: bound(mo.of_date(day) - mo.of_date(d0)) < short)


def _search_on(ctx: Context, app: Applicant, d0: dt.date, raise_to: tuple[int, float, float] | None,
               end: dt.date, base: Applicant, result: Result,
               falls_short: Callable[[dt.date], bool]) -> tuple[dt.date, Any] | None:
    """The first of `candidates`' dates after d0 and up to `end` on which the judge finds the
    changed applicant eligible, judging none that `falls_short` shows cannot be."""
    for day in candidates(ctx.book, base, result, d0) if d0 < end else []:
        if day <= d0 or day > end or falls_short(day):
            continue
        j = ctx.verify(projected(app, ctx.as_of, day, raise_to), day)
        if j.result.verdict == "eligible":
            return day, j
    return None


def _hopeless(ctx: Context, app: Applicant, d0: dt.date, raise_to: tuple[int, float, float] | None,
              end: dt.date, before: Before, basis: _Basis | None = None) -> bool:
    """Whether a route surely finds nothing, decided before the judge runs on `d0`.

    `before` = (x, rx, added), x ≤ d0: rx is the judge's result on x for an applicant whose score
    lines are those of this route's applicant on x, apart from BON-SI-BASE, the PTS-TITLE candidates
    of the qualifications `added` (kind, level), and the settled choice between PTS-EDU and
    PTS-TITLE (engine.scoring.choose_best weighs the other lines' counted points; the line passed
    over stays listed, not counted for PTS-EDU-OR-TITLE, with its points). Three cases (`_before`):

    - a raise, rx judged on the changed applicant `app` on a day whose month comes before the
      raise's first month: there `projected` returns the unraised projection, so rx is the judge of
      this route's applicant itself (x = today, rx = today's result, for a raise alone);
    - steps that change nothing but the tax rows (ACT-TAX-CORRECT, ACT-WITHHOLDER-FIX), rx =
      today's result: the facts read `income_tax` only for the base-band months (tax match and
      the payer/withholder check: BON-SI-BASE, and its part at risk through PIT-DOUBLE-CITY) and
      for findings that carry no points (PIT-EMPLOYER-CONSISTENT's blocker and warning,
      PIT-SI-TAX-MISMATCH); tests/test_plan_properties.py checks that other tax rows change no
      other line;
    - steps that add a qualification (ACT-SKILL-CERT, ACT-TITLE-EXAM; with tax-only steps or a
      raise), rx = today's result: a qualification's facts (`qual`) are read only by PTS-TITLE and
      the PIT-TITLE-* blocks that target it, so the route's applicant has rx's line candidates
      plus one PTS-TITLE candidate worth at most `_title_points`, which gain_bound counts into the
      education-or-title pair (`new_title`), or, for a grade PIT-TITLE-SI-BASE holds back, only
      once the basis's base months fill (`new_title_waiting`). tests/test_plan.py checks both
      against the judge.

    From x on, the route's applicant is, month for month, the basis's rows continued
    (`_bound_basis`: for a raise, raised SI from the raise month and raised tax one month on),
    which is what `earliest.gain_bound` projects. By the argument given there, its counted points
    on a date `ahead` months after x are at most rx's counted points + gain_bound(..., x, rx,
    counted=True)(ahead): the base-band part is bounded from the basis's own months whatever rx
    counts for it (rx's count is subtracted, and added back with rx's total), and the education or
    title part by the best line of the pair that could count, whichever is chosen. first_eligible judges
    only d0 and candidate dates up to `end` and up to d0 + HORIZON_MONTHS (`earliest.candidates`),
    and `eligible` needs counted points ≥ the pass mark in force on that date (VERDICT-ELIGIBLE).
    Where every month of that span falls short of the lowest pass mark in force in it, no date
    first_eligible would judge can be eligible, and it returns None without judging. So too where
    the span ends before the day a time-bound blocker of rx names (`earliest.blocked_until`): a
    raise changes SI bases, not which months are paid, and tax rows and a new qualification change
    neither those months nor the permit, so the blocker stands on this route's applicant until that
    day (`eligible` needs no blocker).
    tests/test_plan_properties.py compares the search with a brute force and with an unpruned one.
    """
    x, rx, added = before
    if rx.verdict == "invalid_input" or x > d0 or d0 > end or (raise_to and mo.of_date(x) >= raise_to[0]):
        return False
    last = min(end, mo.first_day(mo.of_date(d0) + HORIZON_MONTHS))
    if (until := blocked_until(rx)) is not None and last < until:
        return True  # a blocker stands on every date judged (no step here changes SI months or the permit)
    lo, hi = mo.of_date(d0) - mo.of_date(x), mo.of_date(last) - mo.of_date(x)
    new = {waits: max((_title_points(ctx.book, kind, level, d0, last) for kind, level in added
                       if held_back(ctx.book, kind, level) == waits), default=0) for waits in (False, True)}
    basis = basis or _Basis(app, ctx.as_of, d0, raise_to)
    # Without a raise, from today, the basis is project(app, today, d0): rows continued to d0, which
    # gain_bound continues on from today in the same months with the same bases and incomes, and
    # the rest it reads (the person, the family, the bonuses) project leaves alone. So `app` gives
    # the same bound without building the basis (tests/test_earliest_bound.py compares the two).
    source = app if raise_to is None and x == ctx.as_of else basis.get()
    bound = gain_bound(ctx.book, source, x, rx, [], counted=True, horizon=hi,
                       new_title=new[False], new_title_waiting=new[True])
    short = min(_in_force(ctx.book, "pass_mark", d0, last)) - rx.score.total
    basis.falls_short = lambda day: bound(mo.of_date(day) - mo.of_date(x)) < short
    return all(bound(ahead) < short for ahead in range(lo, hi + 1))


def _d0_passed_over(ctx: Context, base: Applicant, d0: dt.date, before: Before, basis: _Basis) -> bool:
    """Whether first_eligible may search on from `d0` without judging it (`_after_d0`): `_hopeless`'s
    bound shows d0 short of the pass mark, the permit's 3-working-day rule reads the same parameter
    from `before`'s day to d0, and the judge would not find the applicant on d0 invalid (the judge
    returns invalid_input exactly where validate.check reports an error: judge._judge_full)."""
    x, falls_short = before[0], basis.falls_short
    if falls_short is None or not falls_short(d0) or len(_in_force(ctx.book, "permit", x, d0)) != 1:
        return False
    return not any(p.severity == "error" for p in check(base, d0, ctx.book))


def _after_d0(ctx: Context, app: Applicant, d0: dt.date, raise_to: tuple[int, float, float] | None,
              end: dt.date, base: Applicant, rx: Result, basis: _Basis) -> tuple[dt.date, Any] | None:
    """first_eligible's search after d0 without the judge's result r0 on d0, from `before` = (x, rx)
    instead (`_d0_passed_over`): the same date and judgement.

    first_eligible returns None where r0 is eligible, invalid or `_held_for_good`, else the first
    date of candidates(book, base, r0, d0) after d0 and up to `end` that the judge finds eligible
    (the bound from r0 skips only dates that cannot be). Here:

    - r0 is not eligible: `_hopeless`'s bound, whose argument holds date by date, shows d0 short;
    - r0 is not invalid: validate.check finds no error on d0 (`_d0_passed_over`);
    - where r0 is held for good, no later date is eligible (`_held_for_good`), so searching on
      returns None too, only after judging;
    - the dates: candidates' 1st of each month and record expiries come from `base` and d0, the
      same here; the rest come from the result. Its PRE-PERMIT-SYNC deadline is the permit's first
      usable day after permit.sync_working_days (facts.gates), named while the day judged is
      before it: the route's applicant has rx's permit (`_before`: rx is today's result and no
      step it accepts touches the permit, or rx is the judge of this changed applicant; the
      projection moves only the permit's end), and the parameter is the same from x to d0, so rx
      and r0 name the same deadline wherever it lies after d0 (one on or before d0 is not
      searched). Its time-bound blockers only raise the first date searched
      (`earliest.lower_bound`), to a day before which no date can be eligible, for r0 by
      `earliest.blocked_until`, for rx by `_hopeless`'s argument: dates that one list has and
      the other has not are all such;
    - each date is skipped where `_hopeless`'s bound shows it short, which it does date by date.

    So the first eligible date is the same, judged for the same applicant on the same day.
    tests/test_plan_properties.py compares the search with an unpruned one.
    """
    assert basis.falls_short is not None
    return _search_on(ctx, app, d0, raise_to, end, base, rx, basis.falls_short)


# Kinds of step that change nothing but the applicant's tax rows, and that add a qualification (see
# _hopeless).
TAX_ONLY = frozenset({"correct_tax", "fix_withholder"})
NEW_QUALIFICATION = frozenset({"add_skill", "add_title"})


def held_back(book: rulebook.Rulebook, kind: str, level: Any) -> bool:
    """Whether PIT-TITLE-SI-BASE keeps a qualification of this grade out of PTS-TITLE until its base
    months fill: the grade is in the `grade` list of the rule's `qual` condition (`upper_grades` in
    pitfalls.yaml), read from the rule itself so the bound follows the ruleset (tests/test_plan.py
    checks a new intermediate title against the judge). Where the rule names no such list (another
    ruleset), no grade is held back: the bound then counts a new title from the day it is added,
    which only loosens it."""
    grades = _held_grades(book)
    return grades is not None and f"{kind}/{level}" in grades


@lru_cache(maxsize=16)  # by the rulebook's identity: a rulebook is loaded once and never changed
def _held_grades(book: rulebook.Rulebook) -> frozenset[str] | None:
    rule = book.rules.get("PIT-TITLE-SI-BASE")
    grades = {g for case in (rule.cases if rule else []) for pat in case.when.all if pat.fact == "qual"
              for g in ((pat.test or {}).get("grade") or {}).get("in", [])}
    return frozenset(grades) or None


Before = tuple[dt.date, Result, tuple[tuple[str, Any], ...]]  # (x, rx, (kind, level) of qualifications added)


def _before(ctx: Context, steps: list[Step], raise_to: tuple[int, float, float] | None,
            judged: dict[frozenset[int], tuple[dt.date, Result]]) -> Before | None:
    """A judge's result that bounds this step set's route before its own judge runs (`_hopeless`)."""
    others = [s for s in steps if s.raise_to is None]
    if raise_to and frozenset(id(s) for s in others) in judged:
        return (*judged[frozenset(id(s) for s in others)], ())
    added: list[tuple[str, Any]] = []
    for s in others:
        if s.action.apply in TAX_ONLY and set(s.change) <= {"income_tax"}:
            continue
        if s.action.apply in NEW_QUALIFICATION and set(s.change) == {"qualifications"}:
            old = list(ctx.app.qualifications)
            if s.change["qualifications"][: len(old)] == old:
                added += [(q.kind, q.level) for q in s.change["qualifications"][len(old):]]
                continue
        return None
    return (ctx.as_of, ctx.result, tuple(added)) if raise_to or others else None


def _in_force(book: rulebook.Rulebook, name: str, first: dt.date, last: dt.date) -> list[Any]:
    """The values a parameter takes from `first` to `last` (on `first`, and on each day it changes)."""
    days = [first, *(d for d in book.parameters[name].dates if first < d <= last)]
    return [book.snapshot(d)[name] for d in days]


def _title_points(book: rulebook.Rulebook, kind: str, level: Any, first: dt.date, last: dt.date) -> int:
    """The most points.yaml's PTS-TITLE gives a qualification of this kind and level from `first` to
    `last`: title_points.skill.<level> for a skill level, title_points.title.<level> for a title
    (tests/test_plan.py checks it against the judge)."""
    group = "skill" if kind == "skill_level" else "title"
    return max(int(v[group][str(level)]) for v in _in_force(book, "title_points", first, last))


def _blockers_covered(ctx: Context, steps: list[Step]) -> bool:
    """A blocker time does not cure must be named by a step's trigger, or the set cannot work."""
    named = {r for s in steps for r in s.action.when.findings}
    return all(f.rule in named for f in ctx.result.blockers()
               if f.rule in ctx.book.rules and not ctx.book.rules[f.rule].time_cures)


def combinations(ctx: Context, steps: list[Step], max_steps: int, longer: bool = False) -> list[list[Step]]:
    """The step sets that may work, in the order searched; with `longer`, only those with a long step
    (the rest were searched without the long steps)."""
    must = [s for s in steps if s.action.always]
    optional = [s for s in steps if not s.action.always]
    out: list[list[Step]] = []
    for k in range(0, max(0, max_steps - len(must)) + 1):
        for combo in itertools.combinations(optional, k):
            if sum(s.raise_to is not None for s in combo) > 1 or sum(s.action.longer for s in combo) > 1:
                continue  # one base at a time, one new certificate at a time
            if longer and not any(s.action.longer for s in must) and not any(s.action.longer for s in combo):
                continue
            chosen = must + list(combo)
            if _blockers_covered(ctx, chosen):
                out.append(chosen)
    return out


def keep_paying_text(until: str, ruleset_id: str = rulebook.DEFAULT_RULESET, lang: str = "zh") -> tuple[str, str]:
    """The keep-contributing step's text and actor (for "as things are" in batch rows); the actor
    stays the Chinese code word (renderers label it)."""
    a = next(x for x in plan_data(ruleset_id).actions if x.apply == "keep_paying")
    return _fill(a, {"until": until}, None)[1 if lang == "en" else 0], a.actor


def _keep_paying_step(ctx: Context, until: dt.date) -> Step:
    a = next(x for x in ctx.data.actions if x.apply == "keep_paying")
    text, text_en = _fill(a, {"until": until.isoformat()}, None)
    return Step(action=a, effective=until, text=text, text_en=text_en, confidence=a.confidence)


def _line(result: Result, rule: str) -> Any:
    return next((x for x in result.score.lines if x.rule == rule), None)


def _claim_education_step(ctx: Context, judged: Result, day: dt.date) -> Step | None:
    """The route counts the education where today the title (skill) is claimed: the applicant must
    choose the education claim at the window (PTS-EDU-OR-TITLE's choice under risk), so say so."""
    today, then = _line(ctx.result, "PTS-EDU"), _line(judged, "PTS-EDU")
    if not (today and then and today.status == "not_counted" and today.reason == "PTS-EDU-OR-TITLE"
            and then.status == "counted"):
        return None
    a = next(x for x in ctx.data.actions if x.apply == "claim_education")
    text, text_en = _fill(a, {"points": then.points}, None)
    return Step(action=a, effective=day, text=text, text_en=text_en, confidence=a.confidence,
                assumptions=list(a.assumptions), assumptions_en=_assumptions_en(a))


def _route(ctx: Context, steps: list[Step], day: dt.date, judgement: Any, app: Applicant) -> Route:
    shown = list(steps)
    if day > max((s.effective for s in steps), default=ctx.as_of):
        shown.append(_keep_paying_step(ctx, day))
    if claim := _claim_education_step(ctx, judgement.result, day):
        shown.append(claim)
    assumptions: list[str] = []
    assumptions_en: list[str] = []
    for s in shown:
        for zh, en in zip(s.assumptions, s.assumptions_en, strict=True):
            if zh not in assumptions:
                assumptions.append(zh)
                assumptions_en.append(en)
    if any(s.action.lead.working_days for s in shown) and (years := uncovered_years(ctx.as_of, day)):
        # holidays.md: a year without its holiday notice counts Monday to Friday, and the result says so.
        named = "、".join(str(y) for y in years)
        assumptions.append(f"{named} 年的节假日安排尚未收录，其中的工作日按周一至周五计算，实际日期可能稍晚")
        assumptions_en.append(f"The public holidays of {', '.join(str(y) for y in years)} are not in the table yet: "
                              "working days there are counted Monday to Friday, so the real date may be later")
    end = ctx.data.dated("policy_end", ctx.as_of)
    end_day = ctx.data.value("policy_end", ctx.as_of)["date"]
    if day > end_day:
        assumptions.append(f"沪府规〔2022〕21号 有效期至 {end_day}，此后的规则未知；该日期按现行规则推算（{CONF_ZH[end.confidence]}）")
        assumptions_en.append(f"The points rules (沪府规〔2022〕21号) are valid until {end_day}; the rules after that are "
                              f"unknown, and this date is reckoned on the current rules ({CONF_EN[end.confidence]})")
    conf = _weakest("official", *(s.confidence for s in shown))
    total = judgement.result.score.total
    steps_out = [RouteStep(id=s.action.id, action=s.text, actor=s.action.actor, effective_on=s.effective.isoformat(),
                           cost=s.cost, because=list(s.action.because), confidence=s.confidence,
                           decision_by=s.action.decision_by) for s in shown]
    for out, s in zip(steps_out, shown, strict=True):
        out._action_en = s.text_en
    route = Route(eligible_on=day.isoformat(), points_then=total, steps=steps_out, assumptions=assumptions,
                  confidence=conf, decision_by=sorted({s.action.decision_by for s in shown if s.action.decision_by}),
                  verified=RouteVerified(as_of=day.isoformat(), verdict=judgement.result.verdict, total=total))
    route._assumptions_en = assumptions_en
    # The applicant the judge found eligible on `day` (judge.Judgement keeps it), else projected again.
    route._projected = getattr(judgement, "applicant", None) or projected(
        app, ctx.as_of, day, next((s.raise_to for s in steps if s.raise_to), None))
    route._judged = judgement.result
    return route


def _cost(r: Route) -> float:
    return sum(s.cost.employer_monthly + s.cost.employee_monthly for s in r.steps)


def _rank(r: Route, effort_of: dict[str, int]) -> tuple[Any, ...]:
    """Date reached, then cost, then effort (the action's `effort` in the ruleset's actions.yaml)."""
    effort = sum(effort_of.get(s.id or "", 1) for s in r.steps)
    return (r.eligible_on, _cost(r), effort, len(r.steps))


def _dominated(r: Route, kept: list[Route]) -> bool:
    """A route that adds steps to a kept one (or repeats its steps) without reaching sooner; or that
    differs from one only in a higher raise, reaching no sooner and costing no less (a raise's
    variants differ in text: shown side by side only where the dearer one reaches sooner)."""
    def keys(x: Route, raise_as_one: bool) -> set[str]:
        return {s.id if raise_as_one and s.id == RAISE else s.action for s in x.steps if s.id != "ACT-KEEP-PAYING"}

    return any(keys(k, False) <= keys(r, False) and k.eligible_on <= r.eligible_on
               or keys(k, True) <= keys(r, True) and k.eligible_on <= r.eligible_on and _cost(k) <= _cost(r)
               for k in kept)


def _opening(others: frozenset[int], d0: dt.date,
             raise_to: tuple[int, float, float] | None) -> tuple[frozenset[int], dt.date] | None:
    """The key under which a raise's judge on d0 serves every raise with the same other steps and
    d0 (all_routes passes it on as `known`), or None: only where d0 lies in the raise's first month.

    Sound because on such a d0 the raises' applicants differ only in the base of the application
    month's contribution row. `projected` raises the rows from the raise's first month on; the
    applicant's own rows end by today's month (validation: no future month), before the next base
    reset, so only the row continued into d0's month is raised, and its months before stay apart,
    as for every raise. A raised tax row starts the month after (a month's tax is declared the
    month after), and the tax rows before the raise's month are kept, for every raise the same.
    The judge reads a contribution base only for months before the application month (the base
    bands and their month table, PIT-TITLE-SI-BASE's months: facts/social_insurance.py), and in
    validation's base-range check, a warning (no line, no verdict, neither blocker nor review).
    So the verdict, the score lines, the band months, and the blockers and reviews with their
    deadlines are the same for every such raise: all that first_eligible reads of the result on
    d0 (whether eligible or invalid, `_held_for_good`, `candidates`' dates, `gain_bound`). Only a
    result that is not eligible is passed on: an eligible one is the route itself, which is judged
    for its own applicant. tests/test_plan_properties.py compares the judge's results on d0 for
    two raises, and the search with an unpruned one.
    """
    if raise_to is None or mo.of_date(d0) != raise_to[0]:
        return None
    return others, d0


def _outdone(tried: list[tuple[float, dt.date]], base: float, stop: dt.date) -> bool:
    """A raise to `base` cannot work by `stop` where a raise to at least `base`, with the same other
    steps, found nothing up to a date no earlier.

    Sound because eligibility is monotone in the raised base: the raise lifts every month from its
    start to a fixed base with the tax income at the same ratio to it, and every rule that reads a
    base (the BON-SI-BASE bands, PIT-TITLE-SI-BASE's months at 1x) asks for a base at least some
    multiple of the wage, never at most. The one exception would be a base above a later year's
    ceiling, which needs the average wage to fall; the bases are capped at the ceiling of the raise's
    own year. tests/test_plan_properties.py compares the search with an unpruned one.
    """
    return any(high >= base and until >= stop for high, until in tried)


def all_routes(book: rulebook.Rulebook, app: Applicant, as_of: dt.date, result: Result,
               ruleset_id: str = rulebook.DEFAULT_RULESET, *, band_months: list[int] | None = None,
               exhaustive: bool = False, longer: bool = False, prune: bool = True,
               verify: Verify, made: dict[str, list[Step]] | None = None,
               before: dt.date | None = None) -> list[Route]:
    """The sets of steps that reach eligibility within the horizon, each with its first date, ranked.

    Unless `exhaustive` (the completeness test), the search stops where no route could be shown:
    at "as things are" (a route no sooner than `earliest_eligible` is no route), at the day before
    `before` (the long steps' search: only what beats the best short route), and, once `show` routes
    are found, at the latest of them. `made`: see candidate_steps.
    """
    data = plan_data(ruleset_id)
    ctx = Context(book, data, app, as_of, result, ruleset_id, verify)
    search = data.value("search", as_of)
    end = mo.first_day(mo.of_date(as_of) + search["horizon_months"])
    if result.earliest_eligible and not exhaustive:
        end = min(end, dt.date.fromisoformat(result.earliest_eligible) - dt.timedelta(days=1))
    if before is not None and not exhaustive:
        end = min(end, before - dt.timedelta(days=1))
    found: list[Route] = []
    reached: list[tuple[frozenset[int], dt.date]] = []  # step sets that worked, and from when
    failed: dict[frozenset[int], list[tuple[float, dt.date]]] = {}  # raise routes that found nothing
    judged: dict[frozenset[int], tuple[dt.date, Result]] = {}  # step sets without a raise: judged on d0
    opened: dict[tuple[frozenset[int], dt.date], tuple[Result, list[int]]] = {}  # see _opening
    for steps in combinations(ctx, candidate_steps(ctx, longer, made), search["max_steps"], longer):
        if longer and not any(s.action.longer for s in steps):
            continue  # tried already without the long steps
        if not steps and result.earliest_eligible and not exhaustive:
            continue  # nothing changed: that is earliest_eligible, already known
        mine, stop = frozenset(id(s) for s in steps), end
        if not exhaustive:  # a route adding steps to one that works no later is never shown
            stop = min([stop, *(day - dt.timedelta(days=1) for ids, day in reached if ids <= mine)])
        d0 = max([as_of, *(s.effective for s in steps)])
        if d0 > stop:
            continue
        raise_to = next((s.raise_to for s in steps if s.raise_to), None)
        others = frozenset(id(s) for s in steps if s.raise_to is None)
        if raise_to and prune and not exhaustive and _outdone(failed.get(others, []), raise_to[1], stop):
            continue
        changed = apply_steps(app, steps)  # only for the step sets searched (most are passed over above)
        known = (result, band_months) if not steps and band_months is not None else None
        before = _before(ctx, steps, raise_to, judged) if prune else None
        opening = _opening(others, d0, raise_to) if prune else None
        known = opened.get(opening, known) if opening else known
        seen: list[tuple[dt.date, Result, list[int]]] = []
        hit = first_eligible(ctx, changed, d0, raise_to, stop, known, before, seen)
        if seen and not raise_to:  # the judge of this changed applicant, for the same steps with a raise
            judged[mine] = seen[0][:2]
        if seen and opening and seen[0][1].verdict != "eligible":
            opened[opening] = seen[0][1:]
        if hit is None and raise_to:
            failed.setdefault(others, []).append((raise_to[1], stop))
        if hit is not None:
            found.append(_route(ctx, steps, hit[0], hit[1], changed))
            reached.append((mine, hit[0]))
            if not exhaustive and len(found) >= search["show"]:
                end = min(end, sorted(dt.date.fromisoformat(r.eligible_on) for r in found)[search["show"] - 1])
    effort_of = {a.id: a.effort for a in data.actions}
    return sorted(found, key=lambda r: _rank(r, effort_of))


def plan_routes(book: rulebook.Rulebook, app: Applicant, as_of: dt.date, result: Result,
                ruleset_id: str = rulebook.DEFAULT_RULESET, *, show: int | None = None,
                band_months: list[int] | None = None, prune: bool = True, verify: Verify) -> list[Route]:
    """The best routes to eligibility, best first (empty for eligible or invalid applicants).

    `prune=False` (tests only) searches every base raise, as a check on `_outdone` and `_hopeless`."""
    if result.verdict not in ("not_eligible", "needs_review"):
        return []
    made: dict[str, list[Step]] = {}  # the first search's steps, for the second
    found = all_routes(book, app, as_of, result, ruleset_id, band_months=band_months, prune=prune, verify=verify,
                       made=made)
    # Longer routes (a new certificate or title) only where they reach 120 sooner than every shorter one:
    # a title exam with a raise can beat a raise alone by years (QA round 2, samples/09).
    best = min((dt.date.fromisoformat(r.eligible_on) for r in found), default=None)
    longer = all_routes(book, app, as_of, result, ruleset_id, band_months=band_months, longer=True, prune=prune,
                        verify=verify, made=made, before=best)
    if longer:
        effort_of = {a.id: a.effort for a in plan_data(ruleset_id).actions}
        found = sorted(found + longer, key=lambda r: _rank(r, effort_of))
    kept: list[Route] = []
    for r in found:
        if not _dominated(r, kept):
            kept.append(r)
    return kept[: show if show is not None else plan_data(ruleset_id).value("search", as_of)["show"]]


def urgent_steps(book: rulebook.Rulebook, app: Applicant, as_of: dt.date, result: Result,
                 ruleset_id: str = rulebook.DEFAULT_RULESET) -> list[RouteStep]:
    """Steps an applicant must take before the window (permit or contract running out, unregistered unit)."""
    if result.verdict == "invalid_input":
        return []
    data = plan_data(ruleset_id)
    out = []
    for a in data.actions:
        hits = [f for f in result.findings if a.urgent and f.rule in a.when.findings]
        if hits:
            by = next((f.deadline for f in hits if f.deadline), None)
            step = RouteStep(id=a.id, action=a.text, actor=a.actor, effective_on=a.lead.after(as_of).isoformat(),
                             because=list(a.because), confidence=_weakest(a.confidence, a.lead.confidence),
                             decision_by=a.decision_by, by=by)
            step._action_en = a.english("text", a.text)
            out.append(step)
    return out


def milestone(name: str, as_of: dt.date, ruleset_id: str = rulebook.DEFAULT_RULESET) -> Milestone | None:
    return plan_data(ruleset_id).value("milestones", as_of).get(name)


def assumptions_listing(as_of: dt.date, ruleset_id: str = rulebook.DEFAULT_RULESET) -> list[dict[str, str]]:
    """Every route parameter and lead time in force on `as_of`, with source and confidence."""
    data = plan_data(ruleset_id)
    rows = [{"name": name, "description": p.description, "value": str(p.at(as_of).value),
             "source": p.at(as_of).source, "confidence": p.at(as_of).confidence} for name, p in data.params.items()]
    rows += [{"name": a.id, "description": a.text, "value": a.lead.zh(), "source": a.lead.source,
              "confidence": a.lead.confidence} for a in data.actions]
    return rows
