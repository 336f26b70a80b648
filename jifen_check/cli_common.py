"""What several commands share, defined once so their text and default cannot drift: the options,
the verdict exit codes, reading and judging an applicant file, and the guard that turns any error
into one clear line. cli.py and cli_plan.py both import it (neither imports the other's module)."""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from jifen_check import rulebook
from jifen_check.render.fonts import SystemPartMissingError
from jifen_check.resources import DataMissingError

F = TypeVar("F", bound=Callable[..., Any])


def ruleset_option(f: F) -> F:
    """--ruleset: the only place a command's ruleset defaults to the shipped one; below the command
    line the ruleset is passed as a value."""
    return click.option("--ruleset", default=rulebook.DEFAULT_RULESET, show_default=True,
                        help="规则集：rulesets/ 下的名称，或一个规则集文件夹的路径。")(f)


EXIT_CODES = {"eligible": 0, "needs_review": 3, "not_eligible": 4, "invalid_input": 5}


def as_of_option(f: F) -> F:
    return click.option("--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
                        metavar="YYYY-MM-DD", help="申请日期 YYYY-MM-DD（默认：文件中的 as_of，否则今天）。")(f)


def lang_option(f: F) -> F:
    return click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
                        help="报告语言：zh 中文；en 英文（供外资企业 HR 使用，法规名称保留中文原文）。")(f)


def rule_ids_option(f: F) -> F:
    return click.option("--rule-ids", is_flag=True,
                        help="在每条结论后以〔编号〕列出规则编号（供核对；与 --show-id 无关）。")(f)


def show_id_option(f: F) -> F:
    return click.option("--show-id", is_flag=True, help="输出完整身份证号码（默认脱敏：前 6 位与后 4 位）。")(f)


def read_input(path: str) -> tuple[bytes, str]:
    if path == "-":
        return sys.stdin.buffer.read(), "-"
    p = Path(path)
    if not p.is_file():
        raise click.UsageError(f"找不到文件 {path}（应为 YAML 或 JSON 格式的申请人文件）")
    return p.read_bytes(), p.name


def judge_file(path: str, as_of: dt.datetime | None, show_id: bool,
               ruleset: str = rulebook.DEFAULT_RULESET) -> Any:
    from jifen_check.judge import judge_full
    from jifen_check.validate import parse_text

    raw, name = read_input(path)
    doc, problems = parse_text(raw, name)
    day = as_of.date() if as_of else None
    return judge_full(doc, as_of=day, source=name, show_id=show_id, problems=problems or None, with_routes=True,
                      ruleset_id=ruleset)


def guarded(fn: F) -> F:
    """Any unexpected error becomes one clear line and exit code 1, never a traceback."""

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except BrokenPipeError:
            # The reader went away (`jifen-check rules | head`): not an error of ours.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(0)
        except rulebook.RulesetError as e:
            click.echo(f"规则文件有误：{e}", err=True)
            sys.exit(1)
        except (DataMissingError, SystemPartMissingError) as e:
            click.echo(str(e), err=True)
            sys.exit(1)
        except Exception as e:  # noqa: BLE001 - the last line of defence for a CLI user
            click.echo(f"内部错误 internal error: {type(e).__name__}: {e}", err=True)
            sys.exit(1)

    wrapper.__name__ = fn.__name__
    wrapper.__doc__ = fn.__doc__
    return wrapper  # type: ignore[return-value]
