"""`jifen-check plan`: the routes to eligibility for one applicant (registered on the main group)."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

import click
import yaml

from jifen_check.render.plain import Phrases, pick

EXIT_BY_UNMET = 6

# The command's own words: key → (中文, English). Steps, actors and assumptions come from the ruleset
# data (routes/actions.yaml, route_parameters.yaml), English beside the Chinese.
WORDS: Phrases = {
    "target": ("目标日期：{date}", "Target date: {date}"),
    "target_note": ("（{note}）", " ({note})"),
    "reached": ("  可以在该日期前达到申请条件（见上方途径）", "  Eligibility can be reached by then (see the routes above)"),
    "unreached": ("  没有途径能在该日期前达到申请条件", "  No route reaches eligibility by then"),
    "closest_route": ("途径 {k}", "route {k}"),
    "closest_as_is": ("按现状", "as things are"),
    "closest": ("  最接近：{which}，{date} 达标，比目标晚 {days} 天",
                "  Closest: {which}, eligible on {date}, {days} days after the target"),
    "as_is_then": ("  按现状到 {date}：已计 {total} 分，还差 {short} 分",
                   "  As things are on {date}: {total} points counted, {short} short"),
    "check_head": ("途径 {k} 的核验：把各步骤用于申请人副本，推算到 {date} 后重新预审",
                   "How route {k} was checked: its steps applied to a copy of the applicant, projected to {date} "
                   "and judged again"),
    "si_row": ("  社保 {month} 基数 {base}", "  Social insurance {month}: base {base}"),
    "backpay": ("（补缴）", " (back payment)"),
    "tax_row": ("  个税 {month} 收入 {income}", "  Income tax {month}: income {income}"),
    "judged": ("  预审结论：{verdict}，已计 {total} 分，风险分 {at_risk} 分",
               "  Verdict: {verdict}, {total} points counted, {at_risk} at risk"),
    "line": ("    {title} {points} 分（{status}）", "    {title}: {points} points ({status})"),
}


def _w(lang: str, key: str, **kw: object) -> str:
    return pick(WORDS, lang, key, **kw)


def _resolve_by(text: str | None, as_of: dt.date, lang: str = "zh") -> tuple[dt.date | None, str]:
    """A date or a named milestone (中考2027); returns the date and a note for the output."""
    from jifen_check.plan import milestone

    if not text:
        return None, ""
    try:
        return dt.date.fromisoformat(text), ""
    except ValueError:
        pass
    ms = milestone(text, as_of)
    if ms is None:
        raise click.UsageError(f"--by {text}：应为日期 YYYY-MM-DD 或已知的时间点（如 中考2027）")
    from jifen_check.plan import CONF_EN, CONF_ZH

    if lang == "en":
        last = f", last chance {ms.last_chance}" if ms.last_chance else ""
        note = ms.note_en or f"({ms.note})"
        return ms.date, f"{text}: registration from {ms.date}{last} ({note}; {CONF_EN[ms.confidence]})"
    last = f"，最后机会 {ms.last_chance}" if ms.last_chance else ""
    return ms.date, f"{text}：{ms.date} 报名{last}（{ms.note}；{CONF_ZH[ms.confidence]}）"


def _by_target(judgement: Any, by: dt.date, note: str) -> dict[str, Any]:
    """Whether anything reaches eligibility by `by`; if not, what comes closest and by how much."""
    from jifen_check.earliest import project
    from jifen_check.judge import judge_full

    r = judgement.result
    day0 = dt.date.fromisoformat(r.as_of)
    dates = [x.eligible_on for x in r.routes] + ([r.earliest_eligible] if r.earliest_eligible else [])
    reached = r.verdict == "eligible" and day0 <= by or any(dt.date.fromisoformat(d) <= by for d in dates)
    out: dict[str, Any] = {"date": by.isoformat(), "note": note, "reached": reached}
    if reached or r.verdict == "invalid_input":
        return out
    if dates:
        first = min(dates)
        out["closest"] = {"eligible_on": first, "days_late": (dt.date.fromisoformat(first) - by).days,
                          "route": next((k for k, x in enumerate(r.routes, 1) if x.eligible_on == first), None)}
    if judgement.applicant is not None and by > day0:
        then = judge_full(project(judgement.applicant, day0, by), as_of=by, with_earliest=False,
                          with_routes=False).result
        out["as_is_then"] = {"verdict": then.verdict, "total": then.score.total,
                             "short": max(0, then.score.pass_mark - then.score.total)}
    return out


def _by_lines(t: dict[str, Any], lang: str = "zh") -> list[str]:
    head = _w(lang, "target", date=t["date"]) + (_w(lang, "target_note", note=t["note"]) if t["note"] else "")
    if t["reached"]:
        return ["", head, _w(lang, "reached")]
    out = ["", head, _w(lang, "unreached")]
    if c := t.get("closest"):
        which = _w(lang, "closest_route", k=c["route"]) if c["route"] else _w(lang, "closest_as_is")
        out.append(_w(lang, "closest", which=which, date=c["eligible_on"], days=c["days_late"]))
    if a := t.get("as_is_then"):
        out.append(_w(lang, "as_is_then", date=t["date"], total=a["total"], short=a["short"]))
    return out


def _explain_lines(judgement: Any, lang: str = "zh") -> list[str]:
    from jifen_check.render.i18n import line_texts
    from jifen_check.render.plain import Words, book_for

    out: list[str] = []
    for k, route in enumerate(judgement.result.routes, 1):
        app, res = route._projected, route._judged
        words, book = Words(lang, res.ruleset.id), book_for(res)  # type: ignore[arg-type]
        out += ["", _w(lang, "check_head", k=k, date=route.eligible_on)]
        out += [_w(lang, "si_row", month=r.month, base=f"{r.base:g}") + (_w(lang, "backpay") if r.back_payment else "")
                for r in app.social_insurance]
        out += [_w(lang, "tax_row", month=r.month, income=f"{r.income:g}") for r in app.income_tax]
        out.append(_w(lang, "judged", verdict=words.code("verdict", res.verdict), total=res.score.total,
                      at_risk=res.score.at_risk))
        out += [_w(lang, "line", title=line_texts(x, lang, book)[0], points=x.points,  # type: ignore[arg-type]
                   status=words.code("status", x.status)) for x in res.score.lines]
    return out


def _write_applicant(judgement: Any, k: int, out: Path) -> None:
    from jifen_check.atomic import write_text_atomic

    routes = judgement.result.routes
    if not 1 <= k <= len(routes):
        raise click.UsageError(f"--write-applicant {k}：只有 {len(routes)} 条途径")
    route = routes[k - 1]
    app = route._projected.model_copy(update={"as_of": dt.date.fromisoformat(route.eligible_on)})
    doc = app.model_dump(mode="json", by_alias=True, exclude_none=True)
    text = (f"# 途径 {k} 推算后的申请人（{route.eligible_on}）：jifen-check check 可重新预审\n"
            + yaml.safe_dump(doc, allow_unicode=True, sort_keys=False))
    write_text_atomic(out, text)


def _assumptions(as_of: dt.date, fmt: str, lang: str = "zh") -> None:
    from jifen_check.plan import assumptions_listing
    from jifen_check.render.assumptions import render_assumptions

    if fmt == "json":
        click.echo(json.dumps(assumptions_listing(as_of), ensure_ascii=False, indent=2))
        return
    click.echo(render_assumptions(as_of, lang), nl=False)  # type: ignore[arg-type]


def register(main: click.Group) -> None:
    from jifen_check.cli_common import (
        EXIT_CODES,
        as_of_option,
        guarded,
        judge_file,
        lang_option,
        show_id_option,
    )

    @main.command()
    @click.argument("file", required=False)
    @as_of_option
    @click.option("--by", "by", default=None, metavar="DATE|中考2027",
                  help="目标日期 YYYY-MM-DD 或时间点（如 中考2027）：是否有途径在此之前达标；没有则退出码 6。")
    @click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
    @click.option("--write-applicant", "write", nargs=2, type=(int, click.Path(dir_okay=False, path_type=Path)),
                  default=None, metavar="K OUT.yaml",
                  help="把第 K 条途径推算后的申请人写成 applicant@1 文件（含输入中的身份证号），可用 check 重新预审。")
    @click.option("--assumptions", "assumptions", is_flag=True,
                  help="列出途径所用的全部假设（缴费比例、基数调整月、办理时限等）及出处与可信度。")
    @click.option("--explain", "explain", is_flag=True, help="说明每条途径如何核验：推算的月份与预审结果。")
    @show_id_option
    @lang_option
    @guarded
    def plan(file: str | None, as_of: dt.datetime | None, by: str | None, fmt: str,
             write: tuple[int, Path] | None, assumptions: bool, explain: bool, show_id: bool, lang: str) -> None:
        """达标途径：还差多少、怎样最快或最省地达到标准分值、能否赶上某个日期。

        \b
        每条途径都把步骤用于申请人副本、推算到达标日期后由同一套规则重新预审为「符合」。
        退出码：0 / 3 / 4 / 5 同 check；6 有 --by 且没有途径能在该日期前达标；1 内部错误；2 用法错误。
        """
        if assumptions:
            _assumptions(as_of.date() if as_of else dt.date.today(), fmt, lang)
            return
        if not file:
            raise click.UsageError("缺少申请人文件 FILE（或用 --assumptions 只列假设）")
        judgement = judge_file(file, as_of, show_id)
        result = judgement.result
        target_day, note = _resolve_by(by, dt.date.fromisoformat(result.as_of), lang)
        target = _by_target(judgement, target_day, note) if target_day else None
        if fmt == "json":
            doc = result.to_json_dict()
            if target is not None:
                doc["target"] = target
            click.echo(json.dumps(doc, ensure_ascii=False, indent=2))
        else:
            from jifen_check.render.routes_text import routes_section
            from jifen_check.render.text import TextReport

            lines = (TextReport(result, lang).header() + routes_section(result, lang)  # type: ignore[arg-type]
                     + (_by_lines(target, lang) if target else []))
            lines += _explain_lines(judgement, lang) if explain else []
            click.echo("\n".join(lines))
        if write is not None:
            _write_applicant(judgement, *write)
            click.echo(f"途径 {write[0]} 的推算申请人已写入 {write[1]}", err=True)
        if target is not None and not target["reached"] and result.verdict != "invalid_input":
            sys.exit(EXIT_BY_UNMET)
        sys.exit(EXIT_CODES[result.verdict])
