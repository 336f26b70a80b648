"""`plan --assumptions` as text: every route parameter and lead time in force on a date, its value in
plain words (not a Python dict), its confidence and source, in Chinese or English.

The JSON listing (plan.assumptions_listing) stays as it is, for programs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from jifen_check.plan import CONF_EN, CONF_ZH, plan_data
from jifen_check.render.plain import Lang, Phrases, pick, side

# Words for the parts of a value: key → (中文, English).
PARTS: Phrases = {
    "employer": ("单位", "employer"), "employee": ("个人", "employee"),
    "pension": ("养老 {v}%", "pension {v}%"), "medical": ("医疗 {v}%", "medical {v}%"),
    "unemployment": ("失业 {v}%", "unemployment {v}%"),
    "injury": ("工伤 {lo}–{hi}%（按行业）", "work injury {lo}–{hi}% (by industry)"),
    "month": ("每年 {v} 月", "every year in {month_name}"),
    "months": ("{v} 个月", "{v} {months_word}"),
    "horizon_months": ("最长推算 {v} 个月", "looks ahead at most {v} months"),
    "max_steps": ("每条途径最多 {v} 步", "at most {v} steps per route"),
    "show": ("展示 {v} 条", "shows {v} routes"),
    "date": ("{v}", "{v}"),
    "milestone": ("{name}：{date} 起登记，最后机会 {last}（{note}；{conf}）",
                  "{name} (the senior-high-school entrance exam): registration from {date}, last chance {last} "
                  "({note}; {conf})"),
    "sep": ("；", "; "), "list_sep": ("、", ", "), "colon": ("：", ": "),
    "value": ("取值：{value}", "Value: {value}"),
    "source": ("出处：{source}", "Source: {source}"),
}


# A step's placeholders, in a listing that concerns no one applicant: words in their place.
GENERIC_FILL: dict[str, tuple[str, str]] = {
    "months": ("相关月份", "the months concerned"), "base": ("目标基数", "the target base"),
    "income": ("相应收入", "the matching income"), "multiple": ("相应", "the matching"),
    "date": ("调整月", "the adjustment month"), "until": ("达标日", "the date eligibility is reached"),
    "title": ("该职称", "the title"), "points": ("学历分", "education points"),
}


def _generic_step(text: str, lang: Lang) -> str:
    i = side(lang)

    class Fill(dict[str, str]):
        def __missing__(self, key: str) -> str:
            pair = GENERIC_FILL.get(key)
            return pair[i] if pair else "…"

    return text.format_map(Fill())


class _Say:
    def __init__(self, lang: Lang) -> None:
        self.lang, self.i = lang, side(lang)

    def __call__(self, key: str, **kw: Any) -> str:
        if "v" in kw and isinstance(kw["v"], int):  # English words a number needs
            kw.setdefault("month_name", dt.date(2000, kw["v"], 1).strftime("%B") if 1 <= kw["v"] <= 12 else kw["v"])
            kw.setdefault("months_word", "month" if kw["v"] == 1 else "months")
        return pick(PARTS, self.lang, key, **kw)

    def conf(self, code: str) -> str:
        return (CONF_EN if self.lang == "en" else CONF_ZH).get(code, code)


def _rates(v: dict[str, Any], say: _Say) -> str:
    sides = [say(side) + say("colon") + say("list_sep").join(say(k, v=n) for k, n in v[side].items())
             for side in ("employer", "employee") if side in v]
    if "injury_min" in v:
        sides.append(say("injury", lo=v["injury_min"], hi=v["injury_max"]))
    return say("sep").join(sides)


def _milestones(v: dict[str, Any], say: _Say) -> str:
    en = say.lang == "en"
    return say("sep").join(
        say("milestone", name=name, date=m["date"], last=m.get("last_chance") or "—",
            note=(m.get("note_en") if en else m.get("note")) or "—", conf=say.conf(m.get("confidence", "")))
        for name, m in v.items())


def _generic(v: Any, say: _Say) -> str:
    """A flat mapping whose keys have words in PARTS (month, months, date, …); anything else as written."""
    if isinstance(v, dict):
        return say("sep").join(say(k, v=x if isinstance(x, int) else _plain(x)) if k in PARTS else f"{k}={_plain(x)}"
                               for k, x in v.items())
    return _plain(v)


def _plain(v: Any) -> str:
    return v.isoformat() if isinstance(v, dt.date) else str(v)


VALUE_TEXT: dict[str, Callable[[Any, _Say], str]] = {"contribution_rates": _rates, "milestones": _milestones}


def value_text(name: str, value: Any, lang: Lang = "zh") -> str:
    """A route parameter's value in plain words."""
    return VALUE_TEXT.get(name, _generic)(value, _Say(lang))


def render_assumptions(as_of: dt.date, lang: Lang = "zh") -> str:
    """The listing, one block per parameter and per action's lead time."""
    say, en = _Say(lang), lang == "en"
    data = plan_data()
    rows: list[tuple[str, str, str, str, str]] = []
    for name, p in data.params.items():
        v = p.at(as_of)
        rows.append((name, say.conf(v.confidence), (p.description_en or f"({p.description})") if en else p.description,
                     value_text(name, v.value, lang), (v.source_en or f"({v.source})") if en else v.source))
    for a in data.actions:
        rows.append((a.id, say.conf(a.lead.confidence), _generic_step(a.english("text", a.text) if en else a.text, lang),
                     a.lead.en() if en else a.lead.zh(),
                     (a.lead.source_en or f"({a.lead.source})") if en else a.lead.source))
    out = []
    for name, conf, description, value, source in rows:
        conf = f"{conf:<16}" if en else conf + "　" * (5 - len(conf))  # a Chinese label is two columns a character
        out += [f"{name:<24} {conf} {description}", f"{'':<24} {say('value', value=value)}",
                f"{'':<24} {say('source', source=source)}"]
    return "\n".join(out) + "\n"
