"""Plain words for people: labels instead of codes and field paths, rule titles instead of rule IDs.

The JSON result keeps codes (`at_risk`), field paths (`social_insurance[3].base`) and rule IDs, which
programs need. Everything a person reads (text report, PDF, xlsx) goes through `Words`, which takes its
labels from the ruleset's `labels.yaml` in Chinese or English.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from jifen_check import diskcache, rulebook
from jifen_check.result import Finding, Result

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")
Phrases = dict[str, tuple[str, str]]  # a renderer's own sentences: key → (中文, English)


def side(lang: Lang | str) -> int:
    """Which half of a (中文, English) pair the language reads."""
    return 1 if lang == "en" else 0


def pick(table: Phrases, lang: Lang | str, key: str, **kw: object) -> str:
    """One phrase of a (中文, English) table in the language, with its {placeholders} filled."""
    return table[key][side(lang)].format(**kw)


def column(table: Phrases, lang: Lang | str) -> dict[str, str]:
    """A whole table in one language (templates read it as a mapping)."""
    i = side(lang)
    return {key: pair[i] for key, pair in table.items()}


# A field path inside a sentence: it has an index or a dot, or is one of the long list names (a bare
# `contract` or `records` is an English word, not a path).
_SECTIONS = ("person|residence_permit|employer|contract|social_insurance|income_tax|other_social_insurance|"
             "education|qualifications|bonuses|family|records")
_TAIL = r"(?:\.[a-z_]+(?:\[\d+\])?)"
PATH_RE = re.compile(rf"(?<![\w.\[/-])(?:(?:{_SECTIONS})\[\d+\]{_TAIL}*|(?:{_SECTIONS}){_TAIL}+"
                     rf"|social_insurance|income_tax|other_social_insurance|residence_permit)(?![\w\[])")
RULE_ID_RE = re.compile(r"(?<![\w-])[A-Z]{2,}(?:-[A-Z0-9]+)+(?![\w-])")
MONTH_SPAN_RE = re.compile(r"^(\d{4})-(\d{2})–(\d{4})-(\d{2})$")
_LEADING_PATH = re.compile(r"^([a-z_]+(?:\[\d+\])?(?:\.[a-z_]+(?:\[\d+\])?)*): ")
_SEGMENT_RE = re.compile(r"([^.\[\]]+)(?:\[(\d+)\])?")


@cache
def labels(ruleset_id: str = rulebook.DEFAULT_RULESET) -> dict[str, Any]:
    """The ruleset's labels.yaml (codes and field paths → [中文, English])."""
    path = rulebook.ruleset_file(ruleset_id, "labels.yaml")
    data = diskcache.load_yaml_file(path)
    return data if isinstance(data, dict) else {}


def short_span(text: str) -> str:
    """`2025-01–2025-02` → `2025-01–02` (same year), as a person writes it."""
    m = MONTH_SPAN_RE.match(text)
    if m and m.group(1) == m.group(3):
        return f"{m.group(1)}-{m.group(2)}–{m.group(4)}"
    return text


@dataclass(frozen=True)
class Words:
    lang: Lang = "zh"
    ruleset_id: str = rulebook.DEFAULT_RULESET

    @property
    def i(self) -> int:
        return LANGS.index(self.lang)

    def code(self, table: str, code: str | None) -> str:
        """A code's label (`verdict`, `severity`, `status`, `confidence`, `kind`)."""
        entry = labels(self.ruleset_id).get(table, {}).get(code or "")
        return entry[self.i] if entry else (code or "—")

    def field(self, path: str) -> str:
        """`social_insurance[3].base` → 社保第 4 行 · 缴费基数 (Social insurance row 4 · Contribution base)."""
        data = labels(self.ruleset_id)
        fields, lists = data.get("fields", {}), data.get("lists", {})
        if path in fields:
            return str(fields[path][self.i])
        parts: list[str] = []
        key = ""
        for name, idx in _SEGMENT_RE.findall(path):
            key = f"{key}.{name}" if key else name
            if key in lists and idx:
                row = lists[key]["row"][self.i]
                parts = [f"{row}第 {int(idx) + 1} 行" if self.lang == "zh" else f"{row} row {int(idx) + 1}"]
            elif key in lists:
                parts = [lists[key]["list"][self.i]]
            elif key in fields:
                if not idx and parts and key.rsplit(".", 1)[0] in lists:
                    parts.append(fields[key][self.i])
                else:
                    parts = [fields[key][self.i]]
            else:
                parts.append(f"「{name}」" if self.lang == "zh" else f"'{name}'")
        return " · ".join(parts) if parts else path

    def prose(self, text: str, book: rulebook.Rulebook | None = None) -> str:
        """A sentence with field paths as labels and rule IDs as the rule's title."""
        colon = "：" if self.lang == "zh" else ": "
        text = re.sub(r"^\((?:file|root)\): ", lambda m: self.field(m.group(0)[:-2]) + colon, text)  # the whole file
        text = _LEADING_PATH.sub(lambda m: self._leading(m.group(1), colon), text)  # as_of: …, contract: …
        text = re.sub(rf"({PATH_RE.pattern}): ", lambda m: self.field(m.group(1)) + colon, text)
        text = PATH_RE.sub(lambda m: self.field(m.group(0)), text)
        if book is not None:
            spaced = re.compile(rf" ?({RULE_ID_RE.pattern}) ?") if self.lang == "zh" else RULE_ID_RE
            text = spaced.sub(lambda m: self._rule_title(book, m.group(m.lastindex or 0)) or m.group(0), text)
        return text

    def _leading(self, path: str, colon: str) -> str:
        """A message's leading field path (`as_of: ` from a schema error) as its label, when the
        path starts at a section the labels know; any other leading word stays as written."""
        top = path.split(".", 1)[0].split("[", 1)[0]
        data = labels(self.ruleset_id)
        known = top in data.get("fields", {}) or top in data.get("lists", {})
        return (self.field(path) if known else path) + colon

    def _rule_title(self, book: rulebook.Rulebook, rule_id: str) -> str:
        rule = book.rules.get(rule_id)
        if rule is None:
            return ""
        title = rule_text(rule, "title", self.lang)
        return f"「{title}」" if self.lang == "zh" else f"“{title}”"

    def evidence(self, f: Finding) -> str:
        """Where the finding came from: the documents (and rows) and the months, as a person says it."""
        seen: list[str] = []
        for path in f.evidence:
            cell = path.split(" (", 1)[0]
            # In a batch the evidence names the sheet cell or sheet first: 社保!D14 (social_insurance[3].base).
            if " (" in path:  # the user's own sheet name: kept as written (in English after the label)
                inner = path.split(" (", 1)[1].rstrip(")")
                label = cell if self.lang != "en" or "!" in cell else f"{self.field(inner)} ({cell})"
            else:
                label = self.field(path)
            if label not in seen:
                seen.append(label)
        months = [short_span(str(v)) for k, v in f.facts.items()
                  if k.endswith("_months") and isinstance(v, str) and v[:4].isdigit()]
        sep = "、" if self.lang == "zh" else ", "
        text = sep.join(seen)
        if months:
            text += ("（" + "、".join(months) + "）") if self.lang == "zh" else f" ({', '.join(months)})"
        return text


def rule_text(rule: rulebook.Rule, attr: str, lang: Lang) -> str:
    """A rule's title in the language (English kept beside the Chinese as `<attr>_en`)."""
    if lang == "en":
        return str(getattr(rule, f"{attr}_en", "") or getattr(rule, attr))
    return str(getattr(rule, attr))


def book_for(result: Result) -> rulebook.Rulebook | None:
    try:
        return rulebook.load(result.ruleset.id)
    except rulebook.RulesetError:
        return None


def ruleset_phrase(result: Result, lang: Lang = "zh") -> str:
    """「按 2025 年 7 月起执行的社平工资及现行积分办法（沪府规〔2022〕21号）」 for the parameters used."""
    y, m = result.ruleset.parameters_as_of[:4], int(result.ruleset.parameters_as_of[5:7])
    basis = labels(result.ruleset.id).get("basis", ["现行积分办法（沪府规〔2022〕21号）", "the current points rules"])
    if lang == "en":
        month = ("January February March April May June July August September October November December"
                 .split()[m - 1])
        return f"Average wage in force from {month} {y} and {basis[1]}"
    return f"按 {y} 年 {m} 月起执行的社平工资及{basis[0]}"
