"""Message templates of the rule data, through jinja2, and English texts filled only when asked.

The YAML keeps its one-brace syntax: `{field}` quotes a fact or detail, `{@param.path}` a parameter in
force (`{@age_points.0.1}` indexes a list). `ENV` reads it that way: `{`/`}` delimit a placeholder,
`{@` is mapped to the parameters namespace (`PARAMS`) in `_source` only, `finalize` prints 3.0 as 3,
and blocks and comments are switched off (their delimiters can never occur in a message). Autoescape
is off: these are plain-text messages (the HTML templates of render/ and web/ keep autoescape on).

A template is only placeholders and text: `check` (used by the rulebook at load) rejects anything
else and lists the fact names (`jinja2.meta.find_undeclared_variables`) and parameter paths it uses.
Each distinct template is compiled once (`_compiled`), and read once into its pieces (text and name
paths) from jinja's own parse: `render` fills those in Python, as jinja's compiled function would
print them, and leaves to jinja only what they cannot fill (a missing name, a key that is a method).
"""

from __future__ import annotations

import re
from typing import Any

import jinja2
import jinja2.meta
from jinja2 import nodes
from jinja2.runtime import Context

PARAMS = "_param"  # the name `{@…}` is read under; no fact or detail starts with an underscore
_AT = re.compile(r"\{@")


def _finalize(value: Any) -> Any:
    return int(value) if isinstance(value, float) and value.is_integer() else value


class _Environment(jinja2.Environment):
    def getattr(self, obj: Any, attribute: str) -> Any:
        """`{@bonuses.values}` means the key `values`, not the dict method: keys first."""
        try:
            return obj[attribute]
        except (TypeError, LookupError):
            return super().getattr(obj, attribute)


ENV = _Environment(
    variable_start_string="{", variable_end_string="}",
    block_start_string="\x00{%", block_end_string="%}\x00",
    comment_start_string="\x00{#", comment_end_string="#}\x00",
    keep_trailing_newline=True, autoescape=False, finalize=_finalize, undefined=jinja2.StrictUndefined,
    cache_size=0)


class TemplateError(ValueError):
    """A message template that is not text and placeholders (the message says what is wrong)."""


def _source(template: str) -> str:
    return _AT.sub("{" + PARAMS + ".", template)


def lookup(path: str, data: dict[str, Any]) -> Any:
    value: Any = data
    for part in path.split("."):
        value = value[int(part)] if isinstance(value, list) else value[part]
    return value


# ---------------------------------------------------------------- checking at load

def _path(node: nodes.Node) -> list[str] | None:
    """`a.b.0` of a placeholder as ['a', 'b', '0'], or None if it is anything but a name path."""
    if isinstance(node, nodes.Name):
        return [node.name]
    if isinstance(node, nodes.Getattr):
        head = _path(node.node)
        return head + [node.attr] if head else None
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, int):
        head = _path(node.node)
        return head + [str(node.arg.value)] if head else None
    return None


def check(template: str) -> tuple[set[str], list[str]]:
    """(the fact names, the parameter paths) a template quotes; TemplateError if it is not only text
    and `{field}`/`{@param.path}` placeholders."""
    try:
        tree = ENV.parse(_source(template))
    except jinja2.TemplateSyntaxError as e:
        raise TemplateError(f"not a valid template ({e.message}): write {{field}} or {{@param.path}}") from e
    params: list[str] = []
    for body in tree.body:
        if not isinstance(body, nodes.Output):
            raise TemplateError("only text and {placeholders} are allowed")
        for node in body.nodes:
            if isinstance(node, nodes.TemplateData):
                continue
            path = _path(node)
            if path is None or (path[0] != PARAMS and len(path) > 1):
                raise TemplateError("a placeholder is {field} or {@param.path}, nothing else")
            if path[0] == PARAMS:
                params.append(".".join(path[1:]))
    names = jinja2.meta.find_undeclared_variables(tree) - {PARAMS}
    return names, params


# ---------------------------------------------------------------- rendering

# A template as its pieces: text, or the path of a placeholder, (True, path) for a parameter and
# (False, path) for a fact; a path part is a key, or an int for `.0`.
Plan = tuple[str | tuple[bool, tuple[str | int, ...]], ...]
_compiled: dict[str, tuple[jinja2.Template, bool, Plan | None]] = {}


def _plan(source: str) -> Plan | None:
    """The pieces of a template that is only text and name paths (as `check` admits), read from jinja's
    own parse (so its text is what jinja would print); None for anything else (jinja renders it)."""
    out: list[str | tuple[bool, tuple[str | int, ...]]] = []
    for body in ENV.parse(source).body:
        if not isinstance(body, nodes.Output):
            return None
        for node in body.nodes:
            if isinstance(node, nodes.TemplateData):
                out.append(node.data)
                continue
            path = _path(node)
            if path is None or not _plain(node):
                return None
            parts = tuple(int(x) if isinstance(n, nodes.Getitem) else x for x, n in zip(path, _chain(node), strict=True))
            out.append((parts[0] == PARAMS, parts[1:] if parts[0] == PARAMS else parts))
    return tuple(out)


def _chain(node: nodes.Node) -> list[nodes.Node]:
    """The nodes of a name path, outermost last (`a.b.0`: Name a, Getattr b, Getitem 0)."""
    return _chain(node.node) + [node] if isinstance(node, (nodes.Getattr, nodes.Getitem)) else [node]


def _plain(node: nodes.Node) -> bool:
    return all(isinstance(n, (nodes.Name, nodes.Getattr)) or
               (isinstance(n, nodes.Getitem) and isinstance(n.arg, nodes.Const) and type(n.arg.value) is int)
               for n in _chain(node))


def _template(text: str) -> tuple[jinja2.Template, bool, Plan | None]:
    """The compiled template, whether it quotes parameters, and its pieces; made once per distinct text."""
    hit = _compiled.get(text)
    if hit is None:
        source = _source(text)
        hit = _compiled[text] = (ENV.from_string(source), source != text, _plan(source))
    return hit


class _Slow(Exception):
    """A placeholder the pieces cannot fill as jinja would: jinja renders the template (and raises)."""


def _fill(plan: Plan, ctx: dict[str, Any], params: dict[str, Any]) -> str:
    """What jinja prints for these pieces: each value as `str(_finalize(value))`, keys looked up as
    `_Environment.getattr` and `getitem` look them up when they succeed."""
    out = []
    for piece in plan:
        if type(piece) is str:
            out.append(piece)
            continue
        from_params, path = piece  # type: ignore[misc]
        value: Any = params if from_params else ctx
        try:
            for part in path:
                value = value[part]
        except (TypeError, LookupError):
            raise _Slow from None
        out.append(str(_finalize(value)))
    return "".join(out)


def render(template: str, ctx: dict[str, Any], params: dict[str, Any]) -> str:
    """`{field}` from the facts and details, `{@param.path}` from the parameters in force. A name
    missing from them raises KeyError."""
    if "{" not in template:
        return template
    plan = _template(template)[2]
    if plan is not None and type(ctx) is dict:
        # The pieces filled in Python: a jinja render builds a Context and a generator per message, and
        # routes render thousands; anything the pieces cannot fill as jinja would goes through jinja.
        try:
            return _fill(plan, ctx, params)
        except _Slow:
            pass
    return render_jinja(template, ctx, params)


def render_jinja(template: str, ctx: dict[str, Any], params: dict[str, Any]) -> str:
    """`render` through jinja itself (what `_fill` must equal; tests/test_messages.py compares them)."""
    compiled, quotes_params, _ = _template(template)
    # A context over `ctx` itself, not a copy (Template.render copies the variables twice): the
    # parameters go in the context's own variables.
    context = Context(ENV, ctx, None, {})
    if quotes_params:
        context.vars[PARAMS] = params
    try:
        return ENV.concat(compiled.root_render_func(context))  # type: ignore[attr-defined]
    except jinja2.UndefinedError as e:
        raise KeyError(str(e)) from e


# ---------------------------------------------------------------- English, filled when asked

# Generic English for detail values that are Chinese only in these few words (month lists, blanks);
# the others have their English in facts/ (Observation.details_en).
_EXACT_EN = {"无": "none", "未填": "not given", "未知": "unknown", "无固定期限": "open-ended"}
_MONTHS = re.compile(r"^(\d+) 个月$")


def auto_en(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    if value in _EXACT_EN:
        return _EXACT_EN[value]
    if m := _MONTHS.match(value):
        return f"{m[1]} months"
    return value.replace("、", ", ")


Piece = tuple[str, dict[str, Any], tuple[dict[str, Any], ...], dict[str, Any]]


class EnText:
    """A text in English, rendered only when asked (--lang en): most results are never read in English,
    and routes judge each applicant many times. Pieces: (template, Chinese context, English overlays,
    parameters); an overlay value replaces the context's where the context holds the detail's Chinese.
    A piece with neither context nor parameters is literal text (`add`), never read as a template."""

    __slots__ = ("pieces",)

    def __init__(self, *pieces: Piece) -> None:
        self.pieces = list(pieces)

    def add(self, text: str) -> EnText:
        self.pieces.append((text, {}, (), {}))
        return self

    def __str__(self) -> str:
        out = []
        for template, ctx, overlays, params in self.pieces:
            if not ctx and not params:
                out.append(template)
                continue
            en = {k: auto_en(v) for k, v in ctx.items()}
            for overlay, chinese in zip(overlays[::2], overlays[1::2], strict=True):
                # Only where the context holds the detail itself (a fact of the same name wins there).
                en.update({k: v for k, v in overlay.items() if k in ctx and ctx[k] == chinese.get(k)})
            out.append(render(template, en, params))
        return "".join(out)
