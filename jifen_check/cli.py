"""The command line: thin wrappers over input → judge → renderers. No traceback ever reaches a user."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import click

from jifen_check import __version__, cli_batch, cli_plan, rulebook
from jifen_check.cli_common import (  # noqa: F401 - judge_file, read_input: used by tests and cli_plan
    EXIT_CODES,
    F,
    as_of_option,
    guarded,
    judge_file,
    lang_option,
    read_input,
    rule_ids_option,
    ruleset_option,
    show_id_option,
)
from jifen_check.cli_zh import ZhGroup
from jifen_check.render.i18n import console
from jifen_check.result import Result


def consultant_option(f: F) -> F:
    return click.option("--consultant", metavar="'姓名, 电话'", default=None,
                        help="经办顾问的姓名和联系方式，印在材料清单上，例如 --consultant '王敏, 138 0000 0000'。")(f)


def write_pdf(result: Result, out: Path, html: Path | None = None, *, lang: str = "zh", rule_ids: bool = False,
              consultant: str | None = None) -> None:
    from jifen_check.render import pdf  # WeasyPrint is imported only when a PDF is asked for

    pdf.render_checklist_pdf(result, out, lang, rule_ids, consultant)  # type: ignore[arg-type]
    if html is not None:
        page = pdf.render_checklist_html(result, lang, rule_ids, consultant)  # type: ignore[arg-type]
        html.write_text(page, encoding="utf-8")


def version_text(today: dt.date) -> str:
    """The tool's version, then each shipped ruleset with its period in force and parameter date."""
    lines = [f"jifen-check {__version__}"]
    for ruleset_id in rulebook.available():
        ref = rulebook.ruleset_ref(rulebook.load(ruleset_id), today)
        period = ref.in_force or {}
        lines.append(f"规则集 {ref.id}：{ref.title}；施行期 {period.get('from')} 至 {period.get('to')}；"
                     f"参数截至 {ref.parameters_as_of}（按今天 {today.isoformat()} 计）")
    if len(lines) == 1:
        lines.append("未找到任何规则集：安装不完整，请重新安装 jifen-check")
    return "\n".join(lines)


def _print_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    guarded(lambda: click.echo(version_text(dt.date.today())))()
    ctx.exit()


@click.group(cls=ZhGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_print_version,
              help="显示版本号、各规则集的施行期与参数日期，然后退出。")
def main() -> None:
    """jifen-check：上海市居住证积分 申请预审。

    读取申请人文件（jifen-check/applicant@1，YAML 或 JSON），给出结论、积分明细、
    阻断项与风险提示、最早可申请日期，以及要带去受理点的材料清单（PDF）。
    """


@main.command()
@click.argument("file")
@as_of_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text：中文报告；json：一个 jifen-check/result@1 对象。")
@show_id_option
@click.option("--pdf", "pdf_out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="同时把材料清单写成 PDF。")
@lang_option
@rule_ids_option
@consultant_option
@ruleset_option
@guarded
def check(file: str, as_of: dt.datetime | None, fmt: str, show_id: bool, pdf_out: Path | None, lang: str,
          rule_ids: bool, consultant: str | None, ruleset: str) -> None:
    """预审一个申请人。FILE 为 YAML/JSON 文件，- 表示标准输入。

    \b
    退出码：
      0 符合申请条件
      3 需人工复核
      4 暂不符合申请条件
      5 输入有误（输出中写明哪一项要更正）
      1 内部错误；2 用法错误
    """
    result = judge_file(file, as_of, show_id, ruleset).result
    if fmt == "json":
        click.echo(json.dumps(result.to_json_dict(), ensure_ascii=False, indent=2))
    else:
        from jifen_check.render.text import render_text

        click.echo(render_text(result, lang, rule_ids), nl=False)  # type: ignore[arg-type]
    if pdf_out is not None:
        write_pdf(result, pdf_out, lang=lang, rule_ids=rule_ids, consultant=consultant)
        click.echo(console("pdf_written", lang, path=pdf_out), err=True)  # type: ignore[arg-type]
    sys.exit(EXIT_CODES[result.verdict])


@main.command()
@click.argument("file")
@click.option("-o", "--output", "out", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="PDF 输出路径。")
@click.option("--html", "html", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="同时输出同一份清单的 HTML（用于邮件或浏览器）。")
@as_of_option
@show_id_option
@lang_option
@rule_ids_option
@consultant_option
@ruleset_option
@guarded
def checklist(file: str, out: Path, html: Path | None, as_of: dt.datetime | None, show_id: bool, lang: str,
              rule_ids: bool, consultant: str | None, ruleset: str) -> None:
    """只生成材料清单 PDF（以及可选的 HTML），可直接交给申请人。退出码同 check。

    第 1 页依次是：结论、递交前须处理的事项、应备材料；随后是递交地点与方式、复印要求、
    积分明细，最后是递交后的步骤、备注栏和签名栏。
    """
    result = judge_file(file, as_of, show_id, ruleset).result
    write_pdf(result, out, html, lang=lang, rule_ids=rule_ids, consultant=consultant)
    key = "pdf_and_html_written" if html else "pdf_written"
    click.echo(console(key, lang, path=out, html=html))  # type: ignore[arg-type]
    sys.exit(EXIT_CODES[result.verdict])


@main.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@ruleset_option
@lang_option
@guarded
def rules(fmt: str, ruleset: str, lang: str) -> None:
    """列出全部规则：编号、名称、可信度、出处。"""
    book = rulebook.load(ruleset)
    if fmt == "json":
        data = [{"id": r.id, "title": r.title, "kind": r.kind, "confidence": r.confidence, "severity": r.severity,
                 "source": r.source, "note": r.note} for r in book.rules.values()]
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    if lang == "en":
        _rules_en(book)
        return
    from jifen_check.labels import CONFIDENCE_LEGEND, KIND_LEGEND, KIND_ZH, confidence_zh

    for r in book.rules.values():
        click.echo(f"{r.id:<26} {confidence_zh(r.confidence):<6} {KIND_ZH.get(r.kind, r.kind):<6} {r.title}")
        click.echo(f"{'':<26} 出处：{r.source or '—'}")
    click.echo("")
    click.echo("可信度：" + "；".join(CONFIDENCE_LEGEND))
    click.echo("类别：" + "；".join(KIND_LEGEND))


def _rules_en(book: rulebook.Rulebook) -> None:
    """`rules --lang en`: the same listing from the English beside the Chinese in the ruleset."""
    from jifen_check.labels import CONFIDENCE_EN, CONFIDENCE_LEGEND_EN, KIND_EN, KIND_LEGEND_EN

    for r in book.rules.values():
        conf = CONFIDENCE_EN.get(r.confidence or "", "—")
        click.echo(f"{r.id:<26} {conf:<10} {KIND_EN.get(r.kind, r.kind):<12} {r.title_en or f'({r.title})'}")
        click.echo(f"{'':<26} Source: {r.source_en or (f'({r.source})' if r.source else '—')}")
    click.echo("")
    click.echo("Confidence: " + "; ".join(CONFIDENCE_LEGEND_EN))
    click.echo("Kinds: " + "; ".join(KIND_LEGEND_EN))


@main.command()
@click.argument("file")
@click.argument("rule_id", metavar="RULE-ID")
@as_of_option
@lang_option
@ruleset_option
@guarded
def explain(file: str, rule_id: str, as_of: dt.datetime | None, lang: str, ruleset: str) -> None:
    """说明一条规则对该申请人如何触发或为何未触发：所用事实与参数。

    例：jifen-check explain samples/03-base-2x.yaml BON-SI-BASE
    （逐月列出计入与剔除的月份及每月适用的社平工资）。
    """
    from jifen_check.explain import explain as explain_rule

    book = rulebook.load(ruleset)
    rule_id = rule_id.strip().upper()  # users type pre-score as often as PRE-SCORE
    if rule_id not in book.rules:
        raise click.UsageError(f"没有规则 {rule_id}；用 jifen-check rules 查看全部编号")
    judgement = judge_file(file, as_of, False, ruleset)
    click.echo(explain_rule(book, judgement, rule_id, lang), nl=False)  # type: ignore[arg-type]


@main.command()
@click.option("--result", "of_result", is_flag=True, help="改为输出结果格式（jifen-check/result@1，含 routes）的 JSON Schema。")
def schema(of_result: bool) -> None:
    """输出申请人文件格式（jifen-check/applicant@1）的 JSON Schema，由数据模型生成。"""
    from jifen_check.applicant import Applicant
    from jifen_check.result import RESULT_FORMAT, Result

    doc = Result.model_json_schema() if of_result else Applicant.model_json_schema(by_alias=True)
    doc["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    doc["$id"] = RESULT_FORMAT if of_result else "jifen-check/applicant@1"
    click.echo(json.dumps(doc, ensure_ascii=False, indent=2))


cli_batch.register(main)
cli_plan.register(main)


def _register_serve() -> None:
    from jifen_check.web.cli_serve import serve_command  # click only: the web stack loads on `serve`

    main.add_command(serve_command)


_register_serve()
