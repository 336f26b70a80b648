"""The document checklist: which papers to bring to the window, and why.

The catalogue and the triggers are data (rulesets/<id>/documents.yaml, its header documents the
condition language); this module validates that file and evaluates the triggers against an
applicant plus the engine's score lines and findings.
"""

from __future__ import annotations

import datetime as dt
import functools
import types
import typing
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator

from jifen_check import conditions, rulebook, vocabulary, yamlio
from jifen_check.applicant import Applicant, Child, Education, Qualification, Spouse
from jifen_check.resources import rulesets_dir
from jifen_check.result import TRUSTED_ITEM, ChecklistItem, Finding, LineStatus, ScoreLine, Severity

RULESETS_DIR = rulesets_dir()
DEFAULT_CATALOGUE = RULESETS_DIR / rulebook.DEFAULT_RULESET / "documents.yaml"

GROUPS: tuple[str, ...] = ("单位材料", "基本材料", "积分指标材料", "同住人材料")
Group = Literal["单位材料", "基本材料", "积分指标材料", "同住人材料"]

# Highest first; used only when the engine did not say which education counts.
_EDU_RANK = ["doctor", "master", "bachelor", "junior_college", "secondary_vocational", "high_school"]


class CatalogueError(ValueError):
    """The document catalogue is malformed; the message names the file and the key path."""


# ── the catalogue schema ─────────────────────────────────────────────────────────────────────


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)


def _exactly_one(model: BaseModel, what: str) -> None:
    given = [name for name in type(model).model_fields if name in model.model_fields_set]
    if len(given) != 1:
        keys = ", ".join(f.alias or n for n, f in type(model).model_fields.items())
        raise ValueError(f"{what} needs exactly one of: {keys} (got {len(given)})")


def _as_test(value: Any) -> Any:
    # A bare value means equality, a list means membership: keeps the YAML short.
    if isinstance(value, dict):
        return value
    if isinstance(value, list):
        return {"in": value}
    return {"eq": value}


class _Test(_Strict):
    eq: Any = None
    ne: Any = None
    in_: list[Any] | None = Field(None, alias="in")
    not_in: list[Any] | None = None
    lte: float | None = None
    gte: float | None = None

    @model_validator(mode="after")
    def _one(self) -> _Test:
        _exactly_one(self, "a test")
        return self


Test = typing.Annotated[_Test, BeforeValidator(_as_test)]
Where = dict[str, Test]


class _LineCond(_Strict):
    rule: str = Field(pattern=r"^[A-Z]+(-[A-Z0-9]+)+$")
    status: list[LineStatus] = ["counted", "at_risk"]
    min_points: int | None = None
    facts: Where = {}


class _FindingCond(_Strict):
    rule: str = Field(pattern=r"^[A-Z]+(-[A-Z0-9]+)+$")
    severity: list[Severity] | None = None


class _EntryCond(_Strict):
    which: Literal["counted", "any"]
    where: Where = {}


class _ChildCond(_Strict):
    where: Where = {}
    min_age: int | None = None
    max_age: int | None = None


def _always_word(value: Any) -> Any:
    return {"always": True} if value == "always" else value


class Cond(_Strict):
    """One trigger node: exactly one key (see the header of documents.yaml)."""

    always: Literal[True] | None = None
    line: _LineCond | None = None
    finding: _FindingCond | None = None
    applicant: Where | None = None
    education: _EntryCond | None = None
    qualification: _EntryCond | None = None
    spouse: Where | None = None
    child: _ChildCond | None = None
    any_of: list[CondIn] | None = None
    all_of: list[CondIn] | None = None
    not_: CondIn | None = Field(None, alias="not")

    @model_validator(mode="after")
    def _one(self) -> Cond:
        _exactly_one(self, "a condition")
        _check_paths(self)
        return self


CondIn = typing.Annotated[Cond, BeforeValidator(_always_word)]


class DocumentSpec(_Strict):
    id: str = Field(pattern=r"^DOC-[A-Z0-9]+(-[A-Z0-9]+)*$")
    group: Group
    order: int
    title: str = Field(min_length=1)
    title_en: str = ""  # English beside the Chinese (--lang en); a test requires it
    original: bool
    copies: int = Field(ge=0)
    note: str = ""
    note_en: str = ""
    reason: str = ""
    reason_en: str = ""
    because: list[str] = []
    cite_findings: list[str] = []
    per: Literal["child"] | None = None
    when: CondIn


class Catalogue(_Strict):
    documents: list[DocumentSpec]

    @model_validator(mode="after")
    def _unique(self) -> Catalogue:
        seen: set[str] = set()
        slots: set[tuple[str, int]] = set()
        for doc in self.documents:
            if doc.id in seen:
                raise ValueError(f"duplicate document id {doc.id}")
            if (doc.group, doc.order) in slots:
                raise ValueError(f"{doc.id}: order {doc.order} is already used in {doc.group}")
            seen.add(doc.id)
            slots.add((doc.group, doc.order))
        return self


Cond.model_rebuild()


# ── load-time check of field paths against the applicant models ─────────────────────────────


def _model_of(annotation: Any) -> type[BaseModel] | None:
    """The pydantic model inside `X | None` / `list[X]`, if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) in (typing.Union, list):
        for arg in typing.get_args(annotation):
            if found := _model_of(arg):
                return found
    return None


def _check_path(model: type[BaseModel], path: str) -> None:
    current: type[BaseModel] | None = model
    for part in path.split("."):
        if current is None or part not in current.model_fields:
            raise ValueError(f"unknown field {path!r} (on {model.__name__})")
        current = _model_of(current.model_fields[part].annotation)


def _check_paths(cond: Cond) -> None:
    pairs: list[tuple[type[BaseModel], Iterable[str]]] = []
    if cond.applicant is not None:
        pairs.append((Applicant, cond.applicant))
    if cond.education is not None:
        pairs.append((Education, cond.education.where))
    if cond.qualification is not None:
        pairs.append((Qualification, cond.qualification.where))
    if cond.spouse is not None:
        pairs.append((Spouse, cond.spouse))
    if cond.child is not None:
        pairs.append((Child, cond.child.where))
    for model, paths in pairs:
        for path in paths:
            _check_path(model, path)


# ── loading ──────────────────────────────────────────────────────────────────────────────────


def _loc(parts: tuple[int | str, ...], data: Any) -> str:
    """`documents[12].when.all_of[1].lin (DOC-DEGREE)` from a pydantic error location."""
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    if len(parts) >= 2 and parts[0] == "documents" and isinstance(parts[1], int):
        try:
            text += f" ({data['documents'][parts[1]]['id']})"
        except (KeyError, IndexError, TypeError):
            pass
    return text


def _error_text(path: Path, err: ValidationError, data: Any) -> str:
    lines = [f"{path}: invalid document catalogue"]
    for e in err.errors():
        # Drop pydantic's internal union/validator labels so the path reads as the YAML keys.
        loc = tuple(p for p in e["loc"] if not (isinstance(p, str) and "[" in p))
        lines.append(f"  {_loc(loc, data)}: {e['msg']}")
    return "\n".join(lines)


def load_catalogue(path: Path = DEFAULT_CATALOGUE) -> Catalogue:
    """Parse and validate a documents.yaml; raises CatalogueError naming the file and key path."""
    return _load_cached(Path(path).resolve())


@functools.lru_cache(maxsize=8)  # per applicant this ran resolve() (5 lstat calls) and a sort
def _printed_order(path: Path) -> tuple[DocumentSpec, ...]:
    """The catalogue's documents in printed order: group, then `order`."""
    docs = load_catalogue(path).documents
    return tuple(sorted(docs, key=lambda d: (GROUPS.index(d.group), d.order)))


@functools.lru_cache(maxsize=8)
def _load_cached(path: Path) -> Catalogue:
    try:
        data = yamlio.load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise CatalogueError(f"{path}: cannot read document catalogue: {exc}") from exc
    try:
        catalogue = Catalogue.model_validate(data)
    except ValidationError as exc:
        raise CatalogueError(_error_text(path, exc, data)) from None
    _check_references(path, catalogue)
    return catalogue


def _line_conditions(cond: Cond) -> Iterable[tuple[str, Cond]]:
    """Every line/finding atom of a trigger, with the rule it names."""
    if cond.line is not None:
        yield cond.line.rule, cond
    if cond.finding is not None:
        yield cond.finding.rule, cond
    for sub in (cond.any_of or []) + (cond.all_of or []) + ([cond.not_] if cond.not_ is not None else []):
        yield from _line_conditions(sub)


def _ruleset_beside(path: Path) -> str:
    """The ruleset whose folder holds the catalogue (shipped: by id; elsewhere: by path); a loose copy
    of a catalogue (a test's) is checked against the default ruleset."""
    if not (path.parent / "ruleset.yaml").exists():
        return rulebook.DEFAULT_RULESET
    return path.parent.name if path.parent.parent == rulebook.RULESETS_DIR else str(path.parent)


def _check_references(path: Path, catalogue: Catalogue) -> None:
    """Rule IDs must exist in the ruleset beside the catalogue, and `line.facts` keys must be facts a
    score line can carry (the fact vocabulary), so a typo fails at load, naming the document."""
    book = rulebook.load(_ruleset_beside(path))
    rules = set(book.rules)
    line_facts = set(vocabulary.LINE_EXTRA) | {
        name for rule in book.rules.values() for case in rule.cases if case.then.line for name in case.then.line.facts}
    for doc in catalogue.documents:
        for rule_id in [*doc.because, *doc.cite_findings]:
            if rule_id not in rules:
                raise CatalogueError(f"{path}: {doc.id}: unknown rule {rule_id!r}")
        for rule_id, cond in _line_conditions(doc.when):
            if rule_id not in rules:
                raise CatalogueError(f"{path}: {doc.id}: when: unknown rule {rule_id!r}")
            for key in cond.line.facts if cond.line is not None else []:
                if key not in line_facts:
                    raise CatalogueError(f"{path}: {doc.id}: when.line.facts: {key!r} is not a fact a score line "
                                         f"carries (known: {', '.join(sorted(line_facts))})")


# ── evaluation ───────────────────────────────────────────────────────────────────────────────


@dataclass(slots=True)
class _Ctx:
    applicant: Applicant
    lines: dict[str, list[ScoreLine]]  # by rule: a line atom looks only at its rule's lines
    findings: list[Finding]
    as_of: dt.date
    counted_education: Education | None
    counted_qualification: Qualification | None
    child: Child | None = None
    hits: list[str] = field(default_factory=list)
    found: dict[str, list[Finding]] = field(default_factory=dict)  # `findings` by rule

    def scoped(self, child: Child | None = None) -> _Ctx:
        """A copy with an empty hit list (dataclasses.replace is ~10x slower on this hot path)."""
        return _Ctx(self.applicant, self.lines, self.findings, self.as_of, self.counted_education,
                    self.counted_qualification, child if child is not None else self.child, [], self.found)


def _age(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


# A trigger is compiled once per catalogue into closures (`_compile`): evaluating the tree node by
# node (which key is set, which operator a test holds) was most of the checklist's cost, 38
# documents a person. The closures do what documents.yaml's header says, in the same order.
Pred = Callable[[_Ctx], bool]
ValueTest = Callable[[Any], bool]


def _test(test: _Test) -> ValueTest:
    op = next(iter(test.model_fields_set))
    name, want = op.rstrip("_"), getattr(test, op)
    return lambda value: conditions.holds(name, value, want)


def _where(where: dict[str, _Test]) -> Callable[[Any], bool]:
    """`obj` exists and every (dotted path, test) of `where` holds on it."""
    tests = [(path.split("."), _test(test)) for path, test in where.items()]

    def matches(obj: Any) -> bool:
        return obj is not None and all(test(_resolve(obj, parts)) for parts, test in tests)

    return matches


def _resolve(obj: Any, parts: list[str]) -> Any:
    for part in parts:
        if obj is None:
            return None
        obj = obj.get(part) if isinstance(obj, dict) else getattr(obj, part, None)
    return obj


def _line_atom(cond: _LineCond) -> Pred:
    """A line of the rule with one of the statuses, enough points and facts passing the tests."""
    rule, status, least = cond.rule, cond.status, cond.min_points
    facts = [(key, _test(test)) for key, test in cond.facts.items()]

    def ok(line: ScoreLine) -> bool:
        return (line.rule == rule and line.status in status and (least is None or line.points >= least)
                and all(test(line.facts.get(key)) for key, test in facts))

    return lambda ctx: _hit(any(ok(line) for line in ctx.lines.get(rule, ())), rule, ctx)


def _finding_atom(cond: _FindingCond) -> Pred:
    rule, sev = cond.rule, cond.severity
    return lambda ctx: _hit(any(sev is None or f.severity in sev for f in ctx.found.get(rule, ())), rule, ctx)


def _entry_atom(cond: _EntryCond, counted: str, entries: str) -> Pred:
    """The counted entry (`ctx.<counted>`), or any entry (`applicant.<entries>`), matching `where`."""
    matches = _where(cond.where)
    if cond.which == "counted":
        return lambda ctx: matches(getattr(ctx, counted))
    return lambda ctx: any(matches(e) for e in getattr(ctx.applicant, entries))


def _child_atom(cond: _ChildCond) -> Pred:
    matches, low, high = _where(cond.where), cond.min_age, cond.max_age

    def child_ok(child: Child, as_of: dt.date) -> bool:
        if not matches(child):
            return False
        if low is None and high is None:
            return True
        if child.birth_date is None:
            return False
        age = _age(child.birth_date, as_of)
        return (low is None or age >= low) and (high is None or age <= high)

    def holds(ctx: _Ctx) -> bool:
        kids = [ctx.child] if ctx.child is not None else ctx.applicant.family.children
        return any(child_ok(c, ctx.as_of) for c in kids)

    return holds


def _compile(cond: Cond) -> Pred:
    """One node; line/finding atoms that hold append their rule to ctx.hits."""
    if cond.always:
        return lambda ctx: True
    if cond.line is not None:
        return _line_atom(cond.line)
    if cond.finding is not None:
        return _finding_atom(cond.finding)
    if cond.applicant is not None:
        applicant = _where(cond.applicant)
        return lambda ctx: applicant(ctx.applicant)
    if cond.education is not None:
        return _entry_atom(cond.education, "counted_education", "education")
    if cond.qualification is not None:
        return _entry_atom(cond.qualification, "counted_qualification", "qualifications")
    if cond.spouse is not None:
        spouse = _where(cond.spouse)
        return lambda ctx: spouse(ctx.applicant.family.spouse)
    if cond.child is not None:
        return _child_atom(cond.child)
    return _combined(cond)


def _combined(cond: Cond) -> Pred:
    # The hits a branch adds are kept or dropped in place (no scoped copy of the context per node).
    if cond.not_ is not None:
        inner = _compile(cond.not_)

        def negated(ctx: _Ctx) -> bool:
            # A negated atom is not a reason: its hits are thrown away.
            mark = len(ctx.hits)
            ok = inner(ctx)
            del ctx.hits[mark:]
            return not ok

        return negated
    if cond.any_of is not None:
        branches = [_compile(c) for c in cond.any_of]
        # No short-circuit: every branch that holds contributes its rule to `because`.
        return lambda ctx: any([branch(ctx) for branch in branches])
    assert cond.all_of is not None
    parts = [_compile(c) for c in cond.all_of]

    def every(ctx: _Ctx) -> bool:
        mark = len(ctx.hits)
        ok = all(part(ctx) for part in parts)
        if not ok:  # only a whole conjunction that holds is a reason
            del ctx.hits[mark:]
        return ok

    return every


def _hit(ok: bool, rule: str, ctx: _Ctx) -> bool:
    if ok:
        ctx.hits.append(rule)
    return ok


# ── which education / qualification the score lines point at ───────────────────────────────


def _live_line(lines: list[ScoreLine], rule: str) -> ScoreLine | None:
    return next((ln for ln in lines if ln.rule == rule and ln.status in ("counted", "at_risk")), None)


def _indexed(entries: list[Any], index: Any) -> Any:
    if isinstance(index, int) and not isinstance(index, bool) and 0 <= index < len(entries):
        return entries[index]
    return None


def _counted_education(applicant: Applicant, lines: list[ScoreLine]) -> Education | None:
    line = _live_line(lines, "PTS-EDU")
    if line is None or not applicant.education:
        return None
    found = _indexed(applicant.education, line.facts.get("education_index"))
    if found is not None or "education_index" in line.facts:
        return found
    # The engine contract says the index is there; without it, the highest level is the best guess.
    return min(applicant.education, key=lambda e: _EDU_RANK.index(e.level))


def _counted_qualification(applicant: Applicant, lines: list[ScoreLine]) -> Qualification | None:
    line = _live_line(lines, "PTS-TITLE")
    if line is None or not applicant.qualifications:
        return None
    found = _indexed(applicant.qualifications, line.facts.get("qualification_index"))
    if found is not None or "qualification_index" in line.facts:
        return found
    # Qualifications of different kinds have no common rank: guess only when there is one.
    return applicant.qualifications[0] if len(applicant.qualifications) == 1 else None


# ── building ─────────────────────────────────────────────────────────────────────────────────


def _because(doc: DocumentSpec, hits: list[str], findings: list[Finding]) -> list[str]:
    present = {f.rule for f in findings}
    cited = [r for r in doc.cite_findings if r in present]
    return list(dict.fromkeys([*doc.because, *hits, *cited]))


def _item(doc: DocumentSpec, because: list[str], note: str) -> ChecklistItem:
    # Constructed without validation: every value comes from the validated catalogue.
    return TRUSTED_ITEM({"id": doc.id, "title": doc.title, "group": doc.group, "original": doc.original,
                         "copies": doc.copies, "because": because, "reason": doc.reason, "note": note})


def _child_note(child: Child, index: int, note: str) -> str:
    name = child.name or f"第 {index + 1} 个子女"
    return f"子女：{name}" + (f"；{note}" if note else "")


def _items_for(doc: DocumentSpec, when: Pred, ctx: _Ctx) -> list[ChecklistItem]:
    if doc.per == "child":
        items = []
        for i, child in enumerate(ctx.applicant.family.children):
            scoped = ctx.scoped(child=child)
            if when(scoped):
                because = _because(doc, scoped.hits, ctx.findings)
                items.append(_item(doc, because, _child_note(child, i, doc.note)))
        return items
    ctx.hits = []  # each document's own reasons (the context is otherwise the same for all)
    if not when(ctx):
        return []
    return [_item(doc, _because(doc, ctx.hits, ctx.findings), doc.note)]


def _by_rule(entries: list[Any]) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {}
    for e in entries:
        out.setdefault(e.rule, []).append(e)
    return out


def build_checklist(
    applicant: Applicant,
    lines: list[ScoreLine],
    findings: list[Finding],
    as_of: dt.date,
    *,
    catalogue: Path = DEFAULT_CATALOGUE,
) -> list[ChecklistItem]:
    """The documents this applicant must bring, grouped and ordered as printed."""
    ctx = _Ctx(
        applicant=applicant, lines=_by_rule(lines), findings=findings, as_of=as_of,
        counted_education=_counted_education(applicant, lines),
        counted_qualification=_counted_qualification(applicant, lines), found=_by_rule(findings),
    )
    return [item for doc, when in _triggers(catalogue) for item in _items_for(doc, when, ctx)]


@functools.lru_cache(maxsize=8)
def _triggers(path: Path) -> tuple[tuple[DocumentSpec, Pred], ...]:
    """The documents in printed order, each with its trigger compiled."""
    return tuple((doc, _compile(doc.when)) for doc in _printed_order(path))
