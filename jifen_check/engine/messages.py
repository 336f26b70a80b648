"""Message templates of the rule data, through jinja2, and English texts filled only when asked.

The YAML keeps its one-brace syntax: `{field}` quotes a fact or detail, `{@param.path}` a parameter in
force (`{@age_points.0.1}` indexes a list). `ENV` reads it that way: `{`/`}` delimit a placeholder,
`{@` is mapped to the parameters namespace (`PARAMS`) in `_source` only, `finalize` prints 3.0 as 3,
and blocks and comments are switched off (their delimiters can never occur in a message). Autoescape
is off: these are plain-text messages (the HTML templates of render/ and web/ keep autoescape on).

A template is only placeholders and text: `check` (used by the rulebook at load) rejects anything
else and lists the fact names (`jinja2.meta.find_undeclared_variables`) and parameter paths it uses.
Each distinct template is compiled once (`_compiled`); rendering costs a dictionary lookup and the
compiled function.
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

_compiled: dict[str, tuple[jinja2.Template, bool]] = {}


def _template(text: str) -> tuple[jinja2.Template, bool]:
    """The compiled template and whether it quotes parameters; compiled once per distinct text."""
    hit = _compiled.get(text)
    if hit is None:
        source = _source(text)
        hit = _compiled[text] = (ENV.from_string(source), source != text)
    return hit


def render(template: str, ctx: dict[str, Any], params: dict[str, Any]) -> str:
    """`{field}` from the facts and details, `{@param.path}` from the parameters in force. A name
    missing from them raises KeyError."""
    if "{" not in template:
        return template
    compiled, quotes_params = _template(template)
    # A context over `ctx` itself, not a copy (Template.render copies the variables twice, and
    # routes render thousands of messages): the parameters go in the context's own variables.
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
