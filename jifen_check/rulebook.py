"""Loads a ruleset directory (rules and dated parameters as data) and validates it strictly.

Layout of `rulesets/<id>/`:
- `ruleset.yaml`: id, title, the names of the stages, cited sources.
- `parameters/<name>.yaml`: one concept per file, `values: {YYYY-MM-DD: {value, source}}`; a composite
  one (bonuses, title_points, si_base_bands, deductions, education_points, contract) gives each part its own
  history, `keys: {part: {YYYY-MM-DD: …}}`.
- `rules/*.yaml`: lists of rules (ID, title, confidence, source, cases with condition and effect). Each rule's
  stage and priority are derived from what it reads and writes (engine/stages.py); `stage:`/`priority:`
  only override them, checked against the same constraints.

Anything misplaced fails at load time with the file and the key path, so a typo never silently
turns a rule off.
"""

from __future__ import annotations

import bisect
import datetime as dt
import difflib
from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, model_validator

from jifen_check import __version__, conditions, diskcache, vocabulary, yamlio
from jifen_check.engine import messages, stages
from jifen_check.resources import rulesets_dir
from jifen_check.result import Confidence, LineStatus, RulesetRef, Severity, Verdict

RULESETS_DIR = rulesets_dir()
# The ruleset a command uses when none is named (`--ruleset`, cli_common.py). Below the command line
# the ruleset is passed as a value; function defaults naming it serve direct callers and tests.
DEFAULT_RULESET = "shanghai-2023"
# Ruleset folders loaded by path (`--ruleset PATH`), by the id in their ruleset.yaml: a result names
# its ruleset by id, and a renderer finds the folder again (its labels, submission and documents).
_FOLDERS: dict[str, Path] = {}


class RulesetError(Exception):
    """A ruleset file is malformed. The message names the file and the key."""


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True, defer_build=True)


# ---------------------------------------------------------------- parameters

class Band(Strict):
    multiple: float
    min_months: int
    window_months: int
    points: int


class AgeLimits(Strict):
    min: int
    max: int


class SiYears(Strict):
    points_per_block: int
    months_per_block: int


class SixOfTwelve(Strict):
    window_months: int
    min_months: int


class PermitParams(Strict):
    expiring_warning_days: int
    sync_working_days: int


class ContractParams(Strict):
    min_term_months: int
    min_remaining_months: int
    warn_remaining_months: int


class TaxMatch(Strict):
    min_ratio: float


class TitleSiBase(Strict):
    window_months: int
    min_months: int
    multiple: float


class TitleWhere(Strict):
    around_months: int


class PriorDegree(Strict):
    min_gap_months: int


class EducationPoints(Strict):
    junior_college: int
    bachelor: int
    bachelor_degree: int
    master: int
    doctor: int


class TitlePoints(Strict):
    skill: dict[int, int]
    title: dict[Literal["junior", "intermediate", "senior"], int]


class AwardPoints(Strict):
    municipal_special: int
    municipal_comprehensive: int
    provincial_or_higher: int


class BonusParams(Strict):
    shortage_major: int
    invest_step_points: int
    invest_tax_step: int
    invest_hires_step: int
    invest_max: int
    invest_min_years: int
    public_service_per_year: int
    public_service_min_years: int
    remote_area_per_year: int
    remote_area_min_years: int
    remote_area_max: int
    fresh_graduate: int
    award: AwardPoints
    spouse_per_year: int
    spouse_max: int
    talent: int


class RemoteAreaGroup(Strict):
    """Designated remote key areas that share a rule: the names that mean them, the full years
    needed before anything counts, whether the bonus is confirmed (`counted`) or `review`, and how
    sure we are of that (per group: the 临港 timing is practice, the other areas unverified)."""

    names: list[str] = Field(min_length=1)
    min_years: int
    status: Literal["counted", "review"]
    confidence: Confidence
    source: str
    source_en: str = ""  # English beside the Chinese (--lang en); a test requires one


class Deduction(Strict):
    points: int
    years: int


class DeductionParams(Strict):
    false_material: Deduction
    detention: Deduction
    crime: Deduction


# The type of every parameter the code knows. A file not listed here, or a value of the wrong
# shape, is an error: parameters are looked up by these names.
PARAMETER_TYPES: dict[str, Any] = {
    "pass_mark": int,
    "average_wage": int,
    "average_wage_points_reference": int | None,
    "contribution_floor": int,
    "contribution_ceiling_multiple": float,
    "age_points": list[tuple[int, int, int]],
    "age_limits": AgeLimits,
    "education_points": EducationPoints,
    "title_points": TitlePoints,
    "si_years": SiYears,
    "si_base_bands": list[Band],
    "six_of_twelve": SixOfTwelve,
    "permit": PermitParams,
    "contract": ContractParams,
    "tax_match": TaxMatch,
    "title_si_base": TitleSiBase,
    "prior_degree": PriorDegree,
    "title_where": TitleWhere,
    "bonuses": BonusParams,
    "deductions": DeductionParams,
    "remote_areas": dict[str, RemoteAreaGroup],
    "near_threshold": int,
}


class DatedValue(Strict):
    """A value in force from its date. `published_on`: announced later and applied backwards (the
    July wage is published in the autumn): before that date the value is not known. `confidence`:
    as for rules; a value without one is taken from the cited official text."""

    value: Any
    source: str = Field(min_length=1)
    source_en: str = ""  # English beside the Chinese (--lang en); a test requires one
    note: str | None = None
    confidence: Confidence = "official"
    published_on: dt.date | None = None


History = dict[dt.date, DatedValue]
# The parameters whose values are announced after they take effect and apply backwards: `published_on`
# is allowed there only. The average wage's is honoured (wages.py: before it, months are compared
# provisionally with the previous value); the floor's records when its line became known, beside the wage.
PUBLISHED_LATE = frozenset({"average_wage", "contribution_floor"})
# A value announced later than this after it takes effect is taken for a typo in `published_on`.
MAX_PUBLICATION_DELAY = dt.timedelta(days=366)


def _check_publication(where: str, history: History) -> None:
    for day, v in history.items():
        if v.published_on is None:
            continue
        if v.published_on < day:
            raise ValueError(f"{where}.{day}.published_on: {v.published_on} 早于该数值的生效日 {day}"
                             f"（published_on 只用于生效后才公布的数值）")
        if v.published_on - day > MAX_PUBLICATION_DELAY:
            raise ValueError(f"{where}.{day}.published_on: {v.published_on} 比生效日 {day} 晚一年以上，"
                             f"疑为笔误")


class ParameterFile(Strict):
    """One parameter. Either `values:` (one dated history of the whole value) or `keys:` (a dated
    history per part of a composite value, `award.municipal_special` for a nested one, so that
    changing one amount is one line); `note` says what else changes with it."""

    description: str
    description_en: str = ""  # English beside the Chinese (--lang en); a test requires one
    note: str = ""
    note_en: str = ""
    unit: str
    values: History | None = None
    keys: dict[str, History] | None = None

    @model_validator(mode="after")
    def _one_form(self) -> ParameterFile:
        if (self.values is None) == (self.keys is None):
            raise ValueError("应有 values（整体的日期序列）或 keys（每项各自的日期序列）之一，且只有一个")
        if self.values is not None:
            if not self.values:
                raise ValueError("values: 至少需要一个日期")
            _check_publication("values", self.values)
            return self
        assert self.keys is not None
        if not self.keys:
            raise ValueError("keys: 至少需要一项")
        empty = [k for k, h in self.keys.items() if not h]
        if empty:
            raise ValueError(f"keys.{empty[0]}: 至少需要一个日期")
        first = min(min(h) for h in self.keys.values())
        for key, history in self.keys.items():
            if min(history) != first:
                raise ValueError(f"keys.{key}: 最早日期 {min(history)} 应与其他各项相同（{first}），"
                                 f"否则在此之前该参数不完整")
            _check_publication(f"keys.{key}", history)
        return self

    def histories(self) -> dict[str, History]:
        """Per key its dated values; a `values:` file is one history under the key ''."""
        return self.keys if self.keys is not None else {"": self.values or {}}


_WEAKEST = {"official": 0, "practice": 1, "unverified": 2}


def _nest(flat: dict[str, Any], as_list: bool) -> Any:
    """{'award.municipal_special': 30, 'talent': 120} → {'award': {'municipal_special': 30}, 'talent': 120};
    for a list-typed parameter, the values in file order."""
    if as_list:
        return list(flat.values())
    out: dict[str, Any] = {}
    for dotted, value in flat.items():
        node = out
        *parents, last = dotted.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[last] = value
    return out


class Parameter:
    """A parameter's dated values; `at(date)` gives the value in force on that date.

    A composite parameter (`keys:`) keeps one history per key; `dates` are the days any key changes,
    and `entry(ref, day)` gives the date, source and confidence of the one value a reference names."""

    def __init__(self, name: str, spec: ParameterFile, value_type: Any) -> None:
        self.name = name
        self.description = spec.description
        self.description_en = spec.description_en
        self.note, self.note_en = spec.note, spec.note_en
        self.unit = spec.unit
        self.histories = {k: (sorted(h), h) for k, h in spec.histories().items()}
        self.dates = sorted({d for days, _ in self.histories.values() for d in days})
        adapter = TypeAdapter(value_type)
        as_list = getattr(value_type, "__origin__", None) is list
        self.values = [self._validated(adapter, d, as_list) for d in self.dates]
        changed = [[h[d] for _, h in self.histories.values() if d in h] for d in self.dates]
        self.sources = [_joined(v.source for v in vs) for vs in changed]
        self.sources_en = [_joined(v.source_en for v in vs) for vs in changed]
        self.confidences = [max((self._in_force(k, d).confidence for k in self.histories), key=_WEAKEST.__getitem__)
                            for d in self.dates]
        self.published = [max((v.published_on for v in vs if v.published_on), default=None) for vs in changed]

    def _in_force(self, key: str, day: dt.date) -> DatedValue:
        days, history = self.histories[key]
        return history[days[bisect.bisect_right(days, day) - 1]]

    def _validated(self, adapter: TypeAdapter[Any], day: dt.date, as_list: bool) -> Any:
        """The whole value in force on `day`, checked against the parameter's type. A wrong part is
        named by its key (for a list, the key of the item), not by its position."""
        try:
            return adapter.validate_python(self._raw(day, as_list))
        except ValidationError as e:
            keys = [k for k in self.histories if k]
            if not keys:
                raise RulesetError(f"values: {_describe(e)}") from e
            parts = []
            for err in e.errors():
                loc = [keys[x] if as_list and i == 0 and isinstance(x, int) and x < len(keys) else x
                       for i, x in enumerate(err["loc"])]
                parts.append(f"{'.'.join(str(x) for x in loc)}: {err['msg']}")
            raise RulesetError(f"keys（{day} 起的数值）: {'; '.join(parts)}") from e

    def _raw(self, day: dt.date, as_list: bool) -> Any:
        if set(self.histories) == {""}:
            return self._in_force("", day).value
        return _nest({k: self._in_force(k, day).value for k in self.histories}, as_list)

    def index_at(self, day: dt.date) -> int:
        i = bisect.bisect_right(self.dates, day) - 1
        if i < 0:
            raise KeyError(f"parameter {self.name} has no value in force on {day}")
        return i

    def at(self, day: dt.date) -> Any:
        return self.values[self.index_at(day)]

    def since(self, day: dt.date) -> dt.date:
        return self.dates[self.index_at(day)]

    def source_at(self, day: dt.date) -> str:
        return self.sources[self.index_at(day)]

    def source_en_at(self, day: dt.date) -> str:
        return self.sources_en[self.index_at(day)]

    def entry(self, ref: str, day: dt.date) -> tuple[dt.date, DatedValue]:
        """The date from which, and the dated value by which, the value `ref` names (`bonuses.award.
        municipal_special`, or the parameter's name) is in force on `day`: for a composite parameter
        the key's own history, else the whole value's."""
        self.index_at(day)  # the same KeyError before the first date
        tail = ref.split(".", 1)[1] if "." in ref else ""
        key = next((k for k in self.histories if k and (tail == k or tail.startswith(k + "."))), None)
        if key is None:
            key = "" if "" in self.histories else None
        if key is None:  # a reference to a whole composite: the newest change of any key
            i = self.index_at(day)
            return self.dates[i], DatedValue(value=self.values[i], source=self.sources[i],
                                             source_en=self.sources_en[i], confidence=self.confidences[i])
        days, history = self.histories[key]
        since = days[bisect.bisect_right(days, day) - 1]
        return since, history[since]


def _joined(texts: Any) -> str:
    """The distinct sources of values that change on one day, in file order."""
    return "；".join(dict.fromkeys(t for t in texts if t))


# ---------------------------------------------------------------- rules

FactType = Literal["profile", "degree", "qual", "block", "total"]
KIND_ORDER = ["data", "gate", "veto", "points", "bonus", "deduction", "pitfall", "aggregate", "verdict"]


class Pattern(Strict):
    """One fact in a condition. `test` is AND of field tests; `any` is OR of test mappings.

    A field test is a value (equality) or {op: value}, op in eq ne lt lte gt gte in.
    A value `@param.path` is a parameter in force on the as-of date; `$field` is another field of
    the same fact; `$name.field` is a field of another fact of the rule (named with `as`).
    """

    fact: FactType
    as_: str = Field("m", alias="as", pattern=r"^[a-z]\w*$")
    test: dict[str, Any] = {}
    any: list[dict[str, Any]] = []


class When(Strict):
    all: list[Pattern] = Field(min_length=1)
    none: list[Pattern] = []


# An amount of points: a number, `$field` of the fact, `@param.path`, or a list of these: their
# product (`[$si_valid_years, "@si_years.points_per_block"]`), so a rule computes points from a measurement.
Amount = int | str | list[int | str]


class BlockEffect(Strict):
    """Threatens the target lines of the same item. `keep` (an amount): the points that stay safe,
    so only the rest is at risk (e.g. the SI years without the doubly-paid months)."""

    targets: list[str] = Field(min_length=1)
    status: Literal["at_risk", "not_counted"]
    keep: Amount | None = None


class LineEffect(Strict):
    """A score line. `points`: an amount (a number, `$field` of the fact, `@param.path`, or a list
    of these: their product).

    `status` is the line's own status (a claim that fails its own conditions is `not_counted`);
    a `block` fact from a pitfall can only make it worse.
    """

    points: Amount
    status: LineStatus = "counted"
    detail: str = ""
    detail_en: str = ""  # the same in English (--lang en), beside the Chinese
    facts: list[str] = []


class Then(Strict):
    """What a case does. `record`: decided values of the item (a case of PIT-THREE-PLACES records
    which of (a)–(c) holds); the score lines of the same item carry them in their facts, so a rule
    that records must run in a stage before the points rules (checked at load)."""

    finding: bool = False
    record: dict[str, str | int | bool] | None = None
    block: BlockEffect | None = None
    line: LineEffect | None = None
    choose_best: list[str] | None = None
    total: bool = False
    verdict: Verdict | None = None


class Case(Strict):
    when: When
    then: Then = Then(finding=True)
    severity: Severity | None = None
    # A case whose finding rests on a weaker footing than the rule as a whole (an unverified value, a
    # practice threshold) says so here; its finding carries this confidence instead of the rule's.
    confidence: Confidence | None = None
    message: str = ""
    remedy: str = ""
    message_en: str = ""  # English beside the Chinese (--lang en); a test requires one for every text
    remedy_en: str = ""
    deadline: str | None = None
    # What the case means, in plain words, for a case that writes no message (one that records a
    # value): `explain` shows it when the case holds. Required for such a case (checked below).
    label: str = ""
    label_en: str = ""

    @model_validator(mode="after")
    def _a_silent_case_says_what_it_means(self) -> Case:
        if self.then.record and not self.label:
            raise ValueError("a case that records a value needs a `label` (what it means, for explain)")
        return self


class Rule(Strict):
    id: str = Field(pattern=r"^[A-Z]+(-[A-Z0-9]+)+$")
    title: str
    title_en: str = ""
    kind: Literal["gate", "veto", "points", "bonus", "deduction", "pitfall", "data", "aggregate", "verdict"]
    confidence: Confidence | None = None
    source: str = ""
    source_en: str = ""  # the source in English (--lang en); legal names keep their original in brackets
    # Derived from what the rule reads and writes (engine/stages.py) and filled in at load; set in the
    # YAML only to override, and an override that breaks the derived order fails at load.
    stage: str | None = None
    priority: int | None = Field(None, ge=0, description="order within a stage: lower fires first (durable `pri`)")
    severity: Severity | None = None
    time_cures: bool = False
    evidence: list[str] = []
    facts: list[str] = []
    note: str = ""
    note_en: str = ""
    cases: list[Case] = []

    @model_validator(mode="after")
    def _findings_have_severity(self) -> Rule:
        for i, case in enumerate(self.cases):
            if case.then.finding and not (case.severity or self.severity):
                raise ValueError(f"cases[{i}] emits a finding but neither the case nor the rule has a severity")
            if case.then.finding and not case.message:
                raise ValueError(f"cases[{i}] emits a finding without a message")
        return self


class RulesetHeader(Strict):
    id: str
    title: str
    title_en: str = ""  # English (--lang en); the document number stays the original
    in_force: dict[Literal["from", "to"], dt.date]
    stages: list[str] = Field(min_length=1)  # the names of the derived stages, in order (engine/stages.py)
    sources: dict[str, str] = {}


class Rulebook:
    """A loaded, validated ruleset: header, rules by ID, parameters by name."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.header = _load_model(root / "ruleset.yaml", RulesetHeader)
        self.id = self.header.id
        self.parameters = _load_parameters(root / "parameters")
        self.rules = _load_rules(root / "rules", self.header.stages, self.parameters)
        self._snapshots: dict[dt.date, dict[str, Any]] = {}
        self._versions: dict[dt.date, dt.date] = {}  # bounded by the distinct as-of dates seen

    def param(self, name: str, day: dt.date) -> Any:
        return self.parameters[name].at(day)

    def parameters_as_of(self, day: dt.date) -> dt.date:
        """The date of the newest parameter value in force on `day` (shown in results)."""
        version = self._versions.get(day)
        if version is None:
            version = self._versions[day] = max(p.since(day) for p in self.parameters.values())
        return version

    def snapshot(self, day: dt.date) -> dict[str, Any]:
        """Every parameter's value in force on `day`, as plain data (for conditions and messages).

        Cached per parameter version: the newest in-force date identifies the whole set. Callers
        must not mutate it.
        """
        version = self.parameters_as_of(day)
        snap = self._snapshots.get(version)
        if snap is None:
            snap = self._snapshots[version] = {
                name: _plain(p.at(day)) for name, p in self.parameters.items()}
        return snap


def _plain(v: Any) -> Any:
    if isinstance(v, list):
        return [_plain(x) for x in v]
    if isinstance(v, tuple):
        return [_plain(x) for x in v]
    if isinstance(v, dict):
        # Keys as text, so that a parameter path can name them (`@title_points.skill.3`).
        return {str(k): _plain(x) for k, x in v.items()}
    if isinstance(v, BaseModel):
        return _plain(v.model_dump())
    return v


def _read_yaml(path: Path) -> Any:
    try:
        return diskcache.load_yaml_file(path)
    except yaml.YAMLError as e:
        raise RulesetError(f"{path}: YAML 格式错误，{yamlio.describe(e)}") from e
    except (OSError, UnicodeDecodeError) as e:
        raise RulesetError(f"{path}: 无法读取：{e}") from e


def _describe(e: ValidationError, raw: Any = None) -> str:
    """One line per error: where (a rule file's list index shown as the rule's ID), then what."""
    parts = []
    for err in e.errors():
        loc = list(err["loc"])
        if loc and isinstance(loc[0], int) and isinstance(raw, list) and loc[0] < len(raw):
            item = raw[loc[0]]
            loc[0] = item.get("id", loc[0]) if isinstance(item, dict) else loc[0]
        parts.append(f"{'.'.join(str(x) for x in loc)}: {err['msg']}")
    return "; ".join(parts)


def _load_model(path: Path, model: type[Strict]) -> Any:
    try:
        return model.model_validate(_read_yaml(path))
    except ValidationError as e:
        raise RulesetError(f"{path}: {_describe(e)}") from e


def _load_parameters(folder: Path) -> dict[str, Parameter]:
    params: dict[str, Parameter] = {}
    for path in sorted(folder.glob("*.yaml")):
        name = path.stem
        if name not in PARAMETER_TYPES:
            raise RulesetError(f"{path}: unknown parameter {name!r} (known: {', '.join(PARAMETER_TYPES)})")
        spec = _load_model(path, ParameterFile)
        if name not in PUBLISHED_LATE and any(v.published_on for h in spec.histories().values() for v in h.values()):
            raise RulesetError(f"{path}: published_on: 只有 {', '.join(sorted(PUBLISHED_LATE))} 的数值会晚于生效日公布"
                               f"（在公布前不使用）；其他参数的 published_on 不起作用，请删除")
        try:
            params[name] = Parameter(name, spec, PARAMETER_TYPES[name])
        except RulesetError as e:
            raise RulesetError(f"{path}: {e}") from e
    missing = set(PARAMETER_TYPES) - set(params)
    if missing:
        raise RulesetError(f"{folder}: missing parameter files: {', '.join(sorted(missing))}")
    return params


def _load_rules(folder: Path, stage_names: list[str], params: dict[str, Parameter]) -> dict[str, Rule]:
    rules: dict[str, Rule] = {}
    files: dict[str, Path] = {}
    adapter = TypeAdapter(list[Rule])
    for path in sorted(folder.glob("*.yaml")):
        raw = _read_yaml(path)
        try:
            batch = adapter.validate_python(raw)
        except ValidationError as e:
            raise RulesetError(f"{path}: {_describe(e, raw)}") from e
        for rule in batch:
            if rule.id in rules:
                raise RulesetError(f"{path}: rule {rule.id} defined twice")
            if rule.stage is not None and rule.stage not in stage_names:
                raise RulesetError(f"{path}: {rule.id}.stage: unknown stage {rule.stage!r} (stages: {stage_names})")
            rules[rule.id] = rule
            files[rule.id] = path
    if not rules:
        raise RulesetError(f"{folder}: no rules")
    rules, order = _ordered(rules, files, stage_names)
    # Every name a rule uses must exist: a typo fails here, naming the file, the rule and the key.
    for rule_id, rule in rules.items():
        _RefChecker(files[rule_id], params, rules, order).rule(rule, set(rules))
    # One canonical order, whatever the file names: results list lines and findings in it.
    return dict(sorted(rules.items(), key=lambda kv: KIND_ORDER.index(kv[1].kind)))


def _ordered(rules: dict[str, Rule], files: dict[str, Path],
             stage_names: list[str]) -> tuple[dict[str, Rule], dict[str, tuple[int, int]]]:
    """Each rule with its stage and priority: derived (engine/stages.py) unless the YAML overrides
    them; an override that breaks the derived order fails here, naming the rule and why."""
    names = {n: i for i, n in enumerate(stage_names)}
    pins = {rid: (None if r.stage is None else names[r.stage], r.priority) for rid, r in rules.items()
            if r.stage is not None or r.priority is not None}
    try:
        free = stages.derive(rules)
        order = stages.derive(rules, pins)
    except stages.StageError as e:
        raise RulesetError(f"{files[e.rule_id]}: {e.rule_id}: {e}") from e
    broken = stages.violation(rules, order)
    if broken is not None:  # blame the override that moved a rule from where it would be derived
        moved = [rid for rid in (broken.writer, broken.reader) if rid in pins and order[rid] != free[rid]]
        who = moved[0] if len(moved) == 1 else broken.reader
        where = "stage" if broken.strict or order[who][0] != free[who][0] else "priority"
        need = "in a stage before" if broken.strict else "before"
        raise RulesetError(f"{files[who]}: {who}.{where}: {broken.writer} must run {need} {broken.reader} "
                           f"({broken.why()})")
    beyond = [rid for rid, (stage, _) in order.items() if stage >= len(stage_names)]
    if beyond:
        who, via = stages.cause(rules, order, beyond[0], pins)
        if via is not None:
            raise RulesetError(f"{files[who]}: {who}.stage: {stage_names[order[who][0]]!r} is too late: "
                               f"{via.why()}, so it must run in a later stage, and {beyond[0]} is left with no "
                               f"stage after it (stages: {stage_names})")
        raise RulesetError(f"{files[beyond[0]].parent.parent / 'ruleset.yaml'}: stages: the rules need "
                           f"{max(s for s, _ in order.values()) + 1} stages, {len(stage_names)} are named "
                           f"({stage_names})")
    return {rid: rule.model_copy(update={"stage": stage_names[order[rid][0]], "priority": order[rid][1]})
            for rid, rule in rules.items()}, order


# ---------------------------------------------------------------- references checked at load

class _RefChecker:
    """Checks every name a rule uses against the fact vocabulary and the parameters.

    Kinds of reference: `test:`/`any:` keys and operators, `$field` and `$name.field` values,
    `@param.path` values, line `points`, block `keep` and `targets`, `choose_best`, `facts:` lists,
    `{placeholder}`/`{@param}` in message, remedy, deadline, detail and evidence, `*key` evidence.
    """

    def __init__(self, path: Path, params: dict[str, Parameter], rules: dict[str, Rule],
                 order: dict[str, tuple[int, int]]) -> None:
        self.path = path
        self.params = params
        self.rules = rules
        self.order = order

    def fail(self, rule: Rule, where: str, what: str, known: Any = ()) -> None:
        hint = difflib.get_close_matches(what.rsplit(" ", 1)[-1].strip("'{}$@*"), list(known), n=1)
        raise RulesetError(f"{self.path}: {rule.id}: {where}: {what}" + (f" (did you mean {hint[0]!r}?)" if hint else ""))

    def param_path(self, rule: Rule, where: str, dotted: str) -> None:
        name, _, rest = dotted.partition(".")
        param = self.params.get(name)
        if param is None:
            self.fail(rule, where, f"unknown parameter {'@' + dotted!r}", self.params)
            return
        for value in param.values:
            try:
                node = _plain(value)
                for part in rest.split(".") if rest else []:
                    node = node[int(part)] if isinstance(node, list) else node[part]
            except (KeyError, IndexError, ValueError, TypeError):
                self.fail(rule, where, f"parameter path {'@' + dotted!r} does not exist")

    def value(self, rule: Rule, where: str, v: Any, fact: str, names: dict[str, str]) -> None:
        if not isinstance(v, str):
            return
        if v.startswith("@"):
            self.param_path(rule, where, v[1:])
        elif v.startswith("$"):
            ref = v[1:]
            other, _, fld = ref.rpartition(".")
            kind = fact
            if other:
                if other not in names:
                    self.fail(rule, where, f"{v!r} names no fact of this case (as: {', '.join(names)})", names)
                kind = names[other]
            if fld not in vocabulary.TESTABLE[kind]:
                self.fail(rule, where, f"unknown {kind} field {v!r}", vocabulary.TESTABLE[kind])

    def tests(self, rule: Rule, where: str, tests: dict[str, Any], fact: str, names: dict[str, str]) -> None:
        known = vocabulary.TESTABLE[fact]
        for key, spec in tests.items():
            if key not in known:
                self.fail(rule, where, f"unknown {fact} field {key!r}", known)
            ops = spec if isinstance(spec, dict) else {"eq": spec}
            for op, raw in ops.items():
                if op not in conditions.OPERATORS:
                    self.fail(rule, f"{where}.{key}", f"unknown operator {op!r}", conditions.OPERATORS)
                if op in ("lt", "lte", "gt", "gte") and known[key].type != "int":
                    # durable-rules would compare text with numbers; the pure evaluator would not.
                    self.fail(rule, f"{where}.{key}", f"ordering operator {op!r} on non-number field {key!r}")
                for item in raw if isinstance(raw, list) else [raw]:
                    self.value(rule, f"{where}.{key}.{op}", item, fact, names)

    def text(self, rule: Rule, where: str, template: str, quotable: dict[str, Any]) -> None:
        """A message template (engine/messages.py, jinja2): its syntax, then every `{field}` against
        what the rule may quote and every `{@param.path}` against the parameters."""
        try:
            names, param_paths = messages.check(template)
        except messages.TemplateError as e:
            self.fail(rule, where, str(e))
            return
        for path in param_paths:
            self.param_path(rule, where, path)
        for name in sorted(names):
            if name not in quotable:
                self.fail(rule, where, f"unknown placeholder {'{' + name + '}'}", quotable)

    def amount(self, rule: Rule, where: str, amount: Any, fields: dict[str, Any]) -> None:
        """Line points or block keep: each `@param.path` exists, each `$field` is one of `fields`."""
        for k, item in enumerate(amount) if isinstance(amount, list) else [(None, amount)]:
            at = where if k is None else f"{where}[{k}]"
            if not isinstance(item, str):
                continue
            if item.startswith("@"):
                self.param_path(rule, at, item[1:])
            elif not item.startswith("$") or item[1:] not in fields:
                self.fail(rule, at, f"unknown field {item!r}", fields)

    def rule(self, rule: Rule, rule_ids: set[str]) -> None:
        for i, case in enumerate(rule.cases):
            names = {p.as_: p.fact for p in case.when.all + case.when.none}
            for group in ("all", "none"):
                for j, p in enumerate(getattr(case.when, group)):
                    where = f"cases[{i}].when.{group}[{j}]"
                    self.tests(rule, f"{where}.test", p.test, p.fact, names)
                    for k, alt in enumerate(p.any):
                        self.tests(rule, f"{where}.any[{k}]", alt, p.fact, names)
            self.effects(rule, i, case, names, rule_ids)
        quotable = self.quotable(rule)
        for k, name in enumerate(rule.facts):
            if name not in quotable:
                self.fail(rule, f"facts[{k}]", f"unknown fact {name!r}", quotable)
        for k, ev in enumerate(rule.evidence):
            if ev.startswith("*"):
                if ev[1:] not in quotable:
                    self.fail(rule, f"evidence[{k}]", f"unknown evidence list {ev!r}", quotable)
            else:
                self.text(rule, f"evidence[{k}]", ev, quotable)

    def quotable(self, rule: Rule) -> dict[str, Any]:
        first = rule.cases[0].when.all[0].fact if rule.cases else "profile"
        out = dict(vocabulary.QUOTABLE[first])
        if self.after_total(rule):  # the total is known by then (AGG-TOTAL) and messages may quote it
            out.update(vocabulary.TOTAL)
        return out

    def after_total(self, rule: Rule) -> bool:
        """Whether the rule fires after the total is made (Ledger.context then holds it)."""
        return any(self.order[rule.id] > self.order[w] for w, r in self.rules.items() if any(c.then.total for c in r.cases))

    def effects(self, rule: Rule, i: int, case: Case, names: dict[str, str], rule_ids: set[str]) -> None:
        fact = case.when.all[0].fact
        quotable = self.quotable(rule)
        quotable.update(vocabulary.QUOTABLE[fact])
        for attr in ("message", "remedy", "deadline", "message_en", "remedy_en"):
            self.text(rule, f"cases[{i}].{attr}", getattr(case, attr) or "", quotable)
        then = case.then
        if then.line is not None:
            self.text(rule, f"cases[{i}].then.line.detail", then.line.detail, quotable)
            self.text(rule, f"cases[{i}].then.line.detail_en", then.line.detail_en, quotable)
            self.amount(rule, f"cases[{i}].then.line.points", then.line.points, quotable)
            for k, name in enumerate(then.line.facts):
                if name not in quotable:
                    self.fail(rule, f"cases[{i}].then.line.facts[{k}]", f"unknown fact {name!r}", quotable)
        if then.block is not None and then.block.keep is not None:
            self.amount(rule, f"cases[{i}].then.block.keep", then.block.keep, vocabulary.TESTABLE[fact])
        if then.block is not None:
            for k, target in enumerate(then.block.targets):
                if target not in rule_ids:
                    self.fail(rule, f"cases[{i}].then.block.targets[{k}]", f"unknown rule {target!r}", rule_ids)
        for name in then.record or {}:
            if name not in vocabulary.LINE_EXTRA:
                self.fail(rule, f"cases[{i}].then.record.{name}", f"unknown line fact {name!r}", vocabulary.LINE_EXTRA)
        for k, target in enumerate(then.choose_best or []):
            if target not in rule_ids:
                self.fail(rule, f"cases[{i}].then.choose_best[{k}]", f"unknown rule {target!r}", rule_ids)


@cache
def load(ruleset_id: str = DEFAULT_RULESET) -> Rulebook:
    """A ruleset by its id (a folder of rulesets/, or the id of a folder loaded by path before) or
    by the path of a ruleset folder."""
    root = folder(ruleset_id)
    if not (root / "ruleset.yaml").exists() and (Path(ruleset_id) / "ruleset.yaml").exists():
        root = Path(ruleset_id).resolve()
    if not (root / "ruleset.yaml").exists() and ("/" in ruleset_id or "\\" in ruleset_id):
        # A folder given by path: the message keeps the English tag users of --ruleset PATH know.
        raise RulesetError(f"{ruleset_id}: no such ruleset（这个文件夹里没有 ruleset.yaml，不是规则集）")
    if not (root / "ruleset.yaml").exists():
        known = "、".join(available()) or "无"
        raise RulesetError(f"找不到规则集 {ruleset_id}（应在 {root}；已安装的规则集：{known}）。"
                           "若是刚安装的 jifen-check，说明安装不完整，请重新安装")
    book = _shipped(root) if root == RULESETS_DIR / ruleset_id else Rulebook(root)
    if book.id != ruleset_id:  # loaded by path: the latest folder loaded under an id is the one it names
        _FOLDERS[book.id] = root.resolve()
    return book


def _shipped(root: Path) -> Rulebook:
    """A shipped ruleset, from the disk cache when its files and the code are what it was built from
    (reading and checking it was ~0.19 CPU-s of `check`'s cold start; reading the cache ~0.01)."""
    return diskcache.cached(f"rulebook-{root.name}", root, lambda: Rulebook(root))


def folder(ruleset_id: str) -> Path:
    """The folder of a ruleset named by id: shipped in rulesets/, or loaded by path earlier."""
    shipped = RULESETS_DIR / ruleset_id
    return shipped if (shipped / "ruleset.yaml").exists() else _FOLDERS.get(ruleset_id, shipped)


def ruleset_file(ruleset_id: str, name: str) -> Path:
    """A presentation file of the ruleset (labels.yaml, submission.yaml); a ruleset without its own
    uses the shipped default's, so a small ruleset need only hold rules and parameters."""
    own = folder(ruleset_id) / name
    return own if own.exists() else RULESETS_DIR / DEFAULT_RULESET / name


def available() -> list[str]:
    """The IDs of the rulesets shipped with the package (folders with a ruleset.yaml), sorted."""
    if not RULESETS_DIR.is_dir():
        return []
    return sorted(p.name for p in RULESETS_DIR.iterdir() if (p / "ruleset.yaml").is_file())


def version_line(ref: RulesetRef, lang: str = "zh") -> str:
    """One line for a PDF footer or a summary: tool version, ruleset, period in force, parameter date.

    The ruleset by its title (a code is a reference, not prose: PDFs name no rule or ruleset IDs); in
    English (--lang en) the Chinese title stays the original, in brackets."""
    title, in_force = ref.title, ref.in_force
    if title is None and ref.id in available():  # a result from before these fields existed
        header = load(ref.id).header
        title, in_force = header.title, {k: v.isoformat() for k, v in header.in_force.items()}
    version = ref.tool_version or __version__
    if lang == "en":
        period = f", in force {in_force['from']} to {in_force['to']}" if in_force else ""
        header = load(ref.id).header if ref.id in available() else None
        if header is not None and header.title_en and header.title == title:
            return f"jifen-check {version} · Rules: {header.title_en} (parameters as of {ref.parameters_as_of}{period})"
        return (f"jifen-check {version} · Rules: ({title or 'unknown'}) "
                f"(parameters as of {ref.parameters_as_of}{period})")
    period = f"，施行期 {in_force['from']} 至 {in_force['to']}" if in_force else ""
    return f"jifen-check {version} · 规则集：{title or '（未知）'}（参数截至 {ref.parameters_as_of}{period}）"


def ruleset_ref(book: Rulebook, day: dt.date) -> RulesetRef:
    """What every result says about the rules it was judged by, and by which version of the tool.
    An as-of date before the ruleset's start is reported against its first day's values."""
    day = max(day, book.header.in_force["from"])
    return RulesetRef(id=book.id, parameters_as_of=book.parameters_as_of(day).isoformat(),
                      title=book.header.title,
                      in_force={k: v.isoformat() for k, v in book.header.in_force.items()},
                      tool_version=__version__)
