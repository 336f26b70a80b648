"""CLI commands for batch runs (`template`, `batch`). Registered on the main group by cli.py.

Thin: option parsing, progress display and messages. The work is in jifen_check.batch.
Exit codes (../shared/spec/formats.md): 0 every row judged, none invalid; 5 every row has a result
and at least one is invalid_input; 7 input refused as a whole; 8 results complete but some PDFs
missing; 9 output folder in use; 2 usage error (including an output folder that cannot be used);
1 internal error or outputs that could not be written (a full disk); 130 Ctrl-C, 143 SIGTERM.
"""

from __future__ import annotations

import datetime as dt
import signal
from pathlib import Path
from typing import TYPE_CHECKING

import click

from jifen_check import rulebook
from jifen_check.batch.limits import Limits
from jifen_check.cli_common import ruleset_option
from jifen_check.cli_zh import ZhCommand
from jifen_check.render.i18n import console as say
from jifen_check.render.plain import Words

if TYPE_CHECKING:  # rich is imported when a batch runs: `check` starts faster without it
    from rich.console import Console

MAX_NOTICES_SHOWN = 10
EXIT_SOME_INVALID = 5
EXIT_INPUT_REFUSED = 7
EXIT_PDFS_MISSING = 8


class InputRefused(click.ClickException):
    """The input cannot be read as a whole: nothing was judged, no results written."""

    exit_code = EXIT_INPUT_REFUSED


class OutDirRefused(click.ClickException):
    """The output folder cannot be used (exit 2) or is in use by another run (exit 9)."""

    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.exit_code = code


def register(group: click.Group) -> None:
    """Adds the batch commands to the main CLI group."""
    group.add_command(template_command)
    group.add_command(batch_command)


@click.command("template", cls=ZhCommand)
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--overwrite", is_flag=True, help="PATH 已存在时覆盖它。")
def template_command(path: Path, overwrite: bool) -> None:
    """写出空白的批量输入工作簿 PATH（.xlsx）。

    工作簿含 人员、社保、个税、外地社保、学历、职称技能、家庭 各表的中文表头、
    一位示例申请人、下拉选项和日期格式，以及逐列说明的「填写说明」表。
    填好后用 `jifen-check batch PATH --out 输出文件夹` 运行。
    """
    from jifen_check.batch.template import write_template

    if path.suffix.lower() != ".xlsx":
        raise click.BadParameter("文件名应以 .xlsx 结尾", param_hint="PATH")
    if path.exists() and not overwrite:
        raise click.UsageError(f"{path} 已存在；如要覆盖，请加 --overwrite")
    try:
        write_template(path)
    except OSError as exc:
        raise click.ClickException(f"无法写入 {path}：{exc}") from None
    click.echo(f"已写出批量输入模板：{path}")


@click.command("batch", cls=ZhCommand)
@click.argument("input_path", metavar="INPUT", type=click.Path(exists=True, path_type=Path))
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="输出文件夹（不存在则创建；非空时需加 --overwrite）。")
@click.option("--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              metavar="YYYY-MM-DD", help="申请日期 YYYY-MM-DD，对所有人生效（覆盖各行的「申请日期」）。不填时按各行「申请日期」，再不填按今天。")
@click.option("--jobs", type=click.IntRange(min=1), default=None,
              help="并行的工作进程数，默认为 CPU 核数。")
@click.option("--pdf/--no-pdf", default=True, show_default=True,
              help="是否生成每人的材料清单 PDF（checklists/）和 summary.pdf。")
@click.option("--overwrite", is_flag=True, help="输出文件夹非空时，覆盖上次批量运行的结果文件。")
@click.option("--show-id", is_flag=True, help="在结果中显示完整身份证号（默认只显示前 6 位和后 4 位）。")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              help="材料清单 PDF、summary.xlsx 和 summary.pdf 的语言：zh 中文；en 英文（results.jsonl 不变）。")
@click.option("--max-cells", type=click.IntRange(min=1), default=Limits.max_cells, show_default=True,
              help="工作簿每张表用到的范围（行 × 列）的上限，超过则拒绝读取（退出码 7）。")
@click.option("--max-unzipped-mb", type=click.IntRange(min=1), default=Limits.max_unzipped_mb, show_default=True,
              help="工作簿解压后大小的上限（MB），超过则拒绝读取（退出码 7）。")
@ruleset_option
def batch_command(input_path: Path, out_dir: Path, as_of: dt.datetime | None, jobs: int | None, pdf: bool,
                  overwrite: bool, show_id: bool, lang: str, max_cells: int, max_unzipped_mb: int,
                  ruleset: str) -> None:
    """批量预审：INPUT 中的每位申请人各得一个结论。

    \b
    INPUT 可以是：
      - 批量输入工作簿 .xlsx（用 `jifen-check template` 生成）；
      - 一个 CSV 文件夹：人员.csv、社保.csv、个税.csv、外地社保.csv、学历.csv、
        职称技能.csv、家庭.csv（也可用英文名 persons.csv、social_insurance.csv、
        income_tax.csv、other_social_insurance.csv、education.csv、qualifications.csv、
        family.csv），UTF-8 或 GBK 编码，列与工作簿相同；
      - 一个申请人 YAML/JSON 文件夹（每个文件一人，按文件名顺序）。

    \b
    输出文件夹中：
      results.jsonl   每人一行 result@1，顺序与输入相同（含输入有误者）
      summary.xlsx    汇总（结论、分数、最需处理的问题、全部问题、最早可申请日期、清单链接，
                      以及「人员」表中自带的列如 部门）、问题清单（每个问题一行：单元格、
                      人员、问题、办法）、统计、未匹配行
      checklists/     每人一份材料清单 PDF（工号-姓名.pdf）
      summary.pdf     统计图表、暂不符合与需复核名单、须先处理的符合者、6 个月内可申请名单
      batch.log       仅在出现内部错误时写出

    \b
    退出码：
      0   每人都已判断，且没有输入有误的人
      5   每人都有结果，但至少一人输入有误（见 summary.xlsx 的「问题清单」）
      7   整个输入无法读取（文件损坏、缺少「人员」表、超出大小限制等），没有写出结果
      8   结果完整，但部分材料清单 PDF 未能写出（逐一列出）
      9   输出文件夹正被另一次批量运行使用
      2   用法错误，或输出文件夹不可用（只读、是文件、含符号链接、含非本工具生成的结果）
      1   内部错误，或结果无法写入（如磁盘已满；此时不留下看似完整的结果）
      130 被中断（Ctrl-C）；143 被终止（SIGTERM）

    \b
    同一输出文件夹同时只能有一次运行（加锁）。--overwrite 只删除运行清单
    .jifen-check-manifest 中记录的、由本工具生成的文件；文件夹中有符号链接时拒绝运行。
    临时文件放在输出文件夹的 .tmp/ 中，运行结束（包括中断）时删除。
    """
    from rich.console import Console

    from jifen_check.batch.outdir import OutDirError, open_out_dir
    from jifen_check.batch.pipeline import scratch_tempdir
    from jifen_check.batch.readers import read_input
    from jifen_check.batch.runner import Options, Workers
    from jifen_check.batch.tables import InputError

    console = Console(stderr=True)
    try:  # a ruleset that cannot be loaded stops the run before any work (or folder)
        rulebook.load(ruleset)
    except rulebook.RulesetError as exc:
        raise click.ClickException(f"规则文件有误：{exc}") from None
    if pdf:  # a missing font or Pango stops the run before any work (or folder), not once per person
        from jifen_check.render.fonts import ensure_pdf_ready

        ensure_pdf_ready()
    try:
        held = open_out_dir(out_dir, overwrite)
    except OutDirError as exc:
        raise OutDirRefused(str(exc), exc.code) from None
    options = Options(out_dir, as_of.date() if as_of else None, show_id, pdf, lang, scratch=held.scratch,
                      ruleset=ruleset)
    previous = _exit_on_sigterm()
    try:
        # The workers start (and warm up) while the workbook is still being read: runner.Workers.
        with scratch_tempdir(held.scratch), Workers(options, jobs) as workers:
            with console.status(say("reading", lang)):
                batch = read_input(input_path, Limits(max_unzipped_mb=max_unzipped_mb, max_cells=max_cells),
                                   on_persons=workers.start)
            report = _run(console, batch, options, input_path.name, jobs, held, lang, workers)
    except InputError as exc:
        held.release(drop_if_new=True)
        raise InputRefused(_in_lang(str(exc), lang)) from None
    except KeyboardInterrupt:
        console.print(say("interrupted", lang))
        raise SystemExit(130) from None
    except OSError as exc:
        from jifen_check.batch.outdir import os_reason

        raise click.ClickException(
            f"无法写出结果（{os_reason(exc)}）：{exc.filename or out_dir}；"
            "未留下看似完整的 results.jsonl，请腾出空间或换一个 --out 后重新运行") from None
    except click.ClickException:
        raise
    except Exception as exc:  # fatal, but the user gets a sentence, not a traceback
        raise click.ClickException(f"批量运行失败：{type(exc).__name__}: {exc}") from None
    finally:
        signal.signal(signal.SIGTERM, previous)  # type: ignore[arg-type]
        held.release()
    code = _report(console, report, lang)
    if code:
        raise SystemExit(code)


def _exit_on_sigterm() -> object:
    """SIGTERM unwinds like Ctrl-C (workers stopped, .part and scratch files removed)."""

    def stop(signum: int, _frame: object) -> None:
        raise SystemExit(128 + signum)

    return signal.signal(signal.SIGTERM, stop)


def _in_lang(message: str, lang: str) -> str:
    """A reader's Chinese sentence in English under --lang en (render/messages_en.py), else as it is."""
    from jifen_check.render.messages_en import in_lang

    return in_lang(message, lang)


def _run(console: Console, batch: object, options: object, label: str, jobs: int | None, held: object,
         lang: str, workers: object = None) -> object:
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from jifen_check.batch.pipeline import run_batch

    columns = (TextColumn(say("judging", lang)), BarColumn(), MofNCompleteColumn(), _rate_column(lang),
               TimeElapsedColumn(), TextColumn(say("remaining", lang)), TimeRemainingColumn())
    with Progress(*columns, console=console, disable=not console.is_terminal) as progress:
        task = progress.add_task("batch", total=len(batch.items))  # type: ignore[attr-defined]
        return run_batch(batch, options, label=label, jobs=jobs,  # type: ignore[arg-type]
                         on_result=lambda _: progress.advance(task), outdir=held,  # type: ignore[arg-type]
                         workers=workers)  # type: ignore[arg-type]


def _rate_column(lang: str) -> object:
    """A progress column showing applicants per second."""
    from rich.progress import ProgressColumn, Task
    from rich.text import Text

    class RateColumn(ProgressColumn):
        def render(self, task: Task) -> Text:
            speed = task.finished_speed or task.speed
            return Text(say("per_second", lang, n=f"{speed:,.0f}" if speed else "–"))

    return RateColumn()


def _report(console: Console, report: object, lang: str) -> int:
    """Prints the outcome; returns the exit code."""
    tally, notices = report.tally, report.notices  # type: ignore[attr-defined]
    shown = notices[:MAX_NOTICES_SHOWN]
    for n in shown:
        console.print(say("warning", lang, where=n.where, message=_in_lang(n.message, lang)), highlight=False)
    if len(notices) > len(shown):
        console.print(say("more_warnings", lang, n=len(notices)), highlight=False)
    words = Words(lang)  # type: ignore[arg-type]
    counts = say("count_sep", lang).join(say("count", lang, verdict=words.code("verdict", v), n=tally.counts.get(v, 0))
                                         for v in ("eligible", "needs_review", "not_eligible", "invalid_input"))
    click.echo(say("counts", lang, total=tally.total, counts=counts))
    _list_people(console, say("invalid_people", lang), tally.invalid, lang, where=True)
    _list_people(console, say("urgent_people", lang), tally.urgent, lang, where=False)
    files = say("file_sep", lang).join(report.files)  # type: ignore[attr-defined]
    click.echo(say("written", lang, out=report.out_dir, files=files))  # type: ignore[attr-defined]
    if report.logged:  # type: ignore[attr-defined]
        click.echo(say("logged", lang, n=report.logged))  # type: ignore[attr-defined]
    failed = report.pdf_failed  # type: ignore[attr-defined]
    if failed:
        more = say("and_more", lang, n=len(failed)) if len(failed) > MAX_NOTICES_SHOWN else ""
        who = say("file_sep", lang).join(failed[:MAX_NOTICES_SHOWN]) + more
        click.echo(say("pdfs_failed", lang, n=len(failed), who=who), err=True)
        return EXIT_PDFS_MISSING
    return EXIT_SOME_INVALID if tally.counts.get("invalid_input", 0) else 0


def _list_people(console: Console, title: str, rows: list, lang: str, *, where: bool) -> None:
    """The people HR must act on, each with the most urgent problem (the rest is in 问题清单)."""
    if not rows:
        return
    console.print(say("people_heading", lang, title=title, n=len(rows)), highlight=False)
    for row in rows[:MAX_NOTICES_SHOWN]:
        first = row.problems[0] if row.problems else None
        place = say("place", lang, where=first.where) if where and first and first.where else ""
        who = " ".join(x for x in (row.employee_no, row.name) if x) or row.source
        console.print(f"  {who}  {place}{row.main_problem}", highlight=False)
    if len(rows) > MAX_NOTICES_SHOWN:
        console.print(say("more_people", lang, n=len(rows) - MAX_NOTICES_SHOWN), highlight=False)
