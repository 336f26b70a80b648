"""Message templates of the rule data: `{field}` from the facts and details, `{@param.path}` from the
parameters in force; and English texts filled only when asked (`EnText`)."""

from __future__ import annotations

import re
from typing import Any

_PLACEHOLDER = re.compile(r"\{(@?)([A-Za-z_][\w.]*)\}")


def lookup(path: str, data: dict[str, Any]) -> Any:
    value: Any = data
    for part in path.split("."):
        value = value[int(part)] if isinstance(value, list) else value[part]
    return value


def render(template: str, ctx: dict[str, Any], params: dict[str, Any]) -> str:
    """`{field}` from the facts and details, `{@param.path}` from the parameters in force."""

    def sub(m: re.Match[str]) -> str:
        value = lookup(m[2], params if m[1] else ctx)
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return str(value)

    return _PLACEHOLDER.sub(sub, template)


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
    parameters); an overlay value replaces the context's where the context holds the detail's Chinese."""

    __slots__ = ("pieces",)

    def __init__(self, *pieces: Piece) -> None:
        self.pieces = list(pieces)

    def add(self, text: str) -> EnText:
        self.pieces.append((text, {}, (), {}))
        return self

    def __str__(self) -> str:
        out = []
        for template, ctx, overlays, params in self.pieces:
            en = {k: auto_en(v) for k, v in ctx.items()}
            for overlay, chinese in zip(overlays[::2], overlays[1::2], strict=True):
                # Only where the context holds the detail itself (a fact of the same name wins there).
                en.update({k: v for k, v in overlay.items() if k in ctx and ctx[k] == chinese.get(k)})
            out.append(render(template, en, params))
        return "".join(out)
