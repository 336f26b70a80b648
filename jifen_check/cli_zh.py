"""Click in Chinese, through click's own extension points (no fork, no patched private names).

- `ZhGroup.main` runs click in non-standalone mode and shows every `ClickException` itself, in
  Chinese: usage errors (missing argument, unknown option or command), bad values from click's
  parameter types (dates, paths, choices, ranges), file errors.
- `ZhCommand`/`ZhGroup` write the help with Chinese headings, metavars, help-option text and
  option extras (默认值, 必填).

Messages our own code raises are already Chinese and pass through unchanged. Click's messages are
matched by exception type first, and only the value messages of click's parameter types by pattern
(`_VALUE_PATTERNS`), because those are formatted inside the type before we see them.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from typing import Any

import click
from click.formatting import HelpFormatter

HELP_TEXT = "显示此帮助并退出。"

# Click's parameter-type messages (click/types.py) → Chinese. Order matters: first match wins.
_VALUE_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^(?P<v>'.*') does not match the formats? .*\.$", re.S),
     r"\g<v> 不是有效日期，请写成 YYYY-MM-DD（例如 2026-11-18）"),
    (re.compile(r"^(?:File|Directory|Path) (?P<v>'.*') does not exist\.$", re.S), r"\g<v> 不存在（找不到这个文件或文件夹）"),
    (re.compile(r"^(?:File|Directory|Path) (?P<v>'.*') is a directory\.$", re.S), r"\g<v> 是文件夹，这里需要一个文件"),
    (re.compile(r"^(?:File|Directory|Path) (?P<v>'.*') is a file\.$", re.S), r"\g<v> 是文件，这里需要一个文件夹"),
    (re.compile(r"^(?:File|Directory|Path) (?P<v>'.*') is not readable\.$", re.S), r"\g<v> 没有读取权限"),
    (re.compile(r"^(?:File|Directory|Path) (?P<v>'.*') is not writable\.$", re.S), r"\g<v> 没有写入权限"),
    (re.compile(r"^(?P<v>'.*') is not one of (?P<c>.*)\.$", re.S), r"\g<v> 不是可选值之一（可选：\g<c>）"),
    (re.compile(r"^(?P<v>'.*') is not (?P<c>'.*')\.$", re.S), r"\g<v> 不是可选值（只能是 \g<c>）"),
    (re.compile(r"^(?P<v>'.*') is not a valid integer(?: range)?\.$", re.S), r"\g<v> 不是整数"),
    (re.compile(r"^(?P<v>'.*') is not a valid float(?: range)?\.$", re.S), r"\g<v> 不是数字"),
    (re.compile(r"^(?P<v>'.*') is not a valid boolean\.$", re.S), r"\g<v> 不是 是/否 值"),
    (re.compile(r"^(?P<v>.*) is not in the range (?P<r>.*)\.$", re.S), r"\g<v> 超出允许范围 \g<r>"),
]
_USAGE_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^Got unexpected extra arguments? \((?P<a>.*)\)$", re.S), r"多余的参数：\g<a>"),
    (re.compile(r"^Option (?P<o>'.*') requires an argument\.$", re.S), r"选项 \g<o> 后面需要一个值"),
    (re.compile(r"^Option (?P<o>'.*') requires (?P<n>\d+) arguments\.$", re.S), r"选项 \g<o> 后面需要 \g<n> 个值"),
    (re.compile(r"^Option (?P<o>'.*') does not take a value\.$", re.S), r"选项 \g<o> 不接受值"),
    (re.compile(r"^Missing command\.$"), "缺少命令"),
    (re.compile(r"^No such command (?P<c>'.*')\.$", re.S), r"没有命令 \g<c>"),
]


def translate(message: str, patterns: Sequence[tuple[re.Pattern[str], str]] = _VALUE_PATTERNS) -> str:
    """Click's English message in Chinese; anything else (already ours) unchanged."""
    for pattern, repl in patterns:
        if pattern.match(message):
            return pattern.sub(repl, message, count=1)
    return message


def _hint(exc: click.BadParameter) -> str:
    if exc.param_hint is not None:
        hint = exc.param_hint
        return " / ".join(f"'{h}'" for h in hint) if isinstance(hint, (list, tuple)) else f"'{hint.strip(chr(39))}'"
    if exc.param is not None:
        return exc.param.get_error_hint(exc.ctx) if exc.ctx else f"'{exc.param.name}'"
    return ""


def _kind(param: click.Parameter | None) -> str:
    if param is None:
        return ""
    return "参数" if isinstance(param, click.Argument) else "选项"


def zh_message(exc: click.ClickException) -> str:
    """The Chinese sentence for one click exception."""
    if isinstance(exc, click.MissingParameter):
        hint = _hint(exc)
        kind = "参数" if exc.param_type == "argument" or isinstance(exc.param, click.Argument) else "选项"
        return f"缺少{kind} {hint}".rstrip()
    if isinstance(exc, click.NoSuchOption):
        text = f"没有选项 '{exc.option_name}'"
        if exc.possibilities:
            text += f"（是不是要用 {'、'.join(sorted(exc.possibilities))}？）"
        return text
    if isinstance(exc, click.BadParameter):
        hint = _hint(exc)
        value = translate(exc.message)
        return f"{_kind(exc.param)} {hint} 的值无效：{value}".lstrip() if hint else f"值无效：{value}"
    if isinstance(exc, click.FileError):
        reason = translate(exc.message)
        return f"无法打开文件 '{exc.ui_filename}'：{_os_reason(reason)}"
    if isinstance(exc, click.UsageError):
        return translate(exc.message, _USAGE_PATTERNS)
    return exc.format_message()


def _os_reason(reason: str) -> str:
    lowered = reason.lower()
    if "no such file" in lowered:
        return "文件不存在"
    if "permission denied" in lowered:
        return "没有权限"
    if "is a directory" in lowered:
        return "这是文件夹，不是文件"
    return reason


def show(exc: click.ClickException) -> None:
    """Prints the error the way click would, in Chinese: 错误：… and, for usage errors, where help is."""
    ctx = getattr(exc, "ctx", None)
    if isinstance(exc, click.UsageError) and ctx is not None:
        click.echo(ctx.get_usage(), err=True)
        names = ctx.help_option_names
        if names:
            click.echo(f"用 '{ctx.command_path} {names[0]}' 查看帮助。", err=True)
        click.echo("", err=True)
    click.echo(f"错误：{zh_message(exc)}", err=True)


def wants_english(args: Sequence[str]) -> bool:
    """`--lang en` anywhere on the command line: errors are then shown in English too."""
    args = list(args)
    return "--lang=en" in args or any(a == "--lang" and b == "en" for a, b in zip(args, args[1:], strict=False))


def show_en(exc: click.ClickException) -> None:
    """The error in English (--lang en): click's own message as click writes it; ours, which are
    Chinese, through render/messages_en.py when a form exists."""
    ctx = getattr(exc, "ctx", None)
    if isinstance(exc, click.UsageError) and ctx is not None and ctx.help_option_names:
        click.echo(f"Try '{ctx.command_path} {ctx.help_option_names[0]}' for help.\n", err=True)
    message = re.sub(r"(?P<v>'[^']*') does not match the formats? .*\.$",
                     r"\g<v> is not a date: write YYYY-MM-DD (for example 2026-11-18).", exc.format_message())
    if re.search(r"[\u3400-\u9fff]", message):
        from jifen_check.render.messages_en import in_lang

        message = in_lang(message, "en")
    click.echo(f"Error: {message}", err=True)


class ZhHelpMixin:
    """Chinese help: headings, usage prefix, help option, option extras (默认值/必填)."""

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = HELP_TEXT
        return option

    def format_usage(self, ctx: click.Context, formatter: HelpFormatter) -> None:
        pieces = self.collect_usage_pieces(ctx)  # type: ignore[attr-defined]
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix="用法：")

    def format_options(self, ctx: click.Context, formatter: HelpFormatter) -> None:
        records = [_help_record(p, ctx) for p in self.get_params(ctx)  # type: ignore[attr-defined]
                   if not isinstance(p, click.Argument)]
        records = [r for r in records if r is not None]
        if records:
            with formatter.section("选项"):
                formatter.write_dl(records)


def _help_record(param: click.Parameter, ctx: click.Context) -> tuple[str, str] | None:
    if not isinstance(param, click.Option):
        return param.get_help_record(ctx)
    if param.hidden:
        return None
    extra = param.get_help_extra(ctx)
    items = []
    if "default" in extra:
        items.append(f"默认：{extra['default']}")
    if "range" in extra:
        items.append(f"范围：{extra['range']}")
    if "required" in extra:
        items.append("必填")
    help_text = param.help or ""
    if items:
        help_text = f"{help_text}  [{'；'.join(items)}]" if help_text else f"[{'；'.join(items)}]"
    return param.get_help_spec(ctx), help_text


class ZhCommand(ZhHelpMixin, click.Command):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[选项]")
        super().__init__(*args, **kwargs)


class ZhGroup(ZhHelpMixin, click.Group):
    command_class = ZhCommand

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[选项]")
        kwargs.setdefault("subcommand_metavar", "命令 [参数]...")
        super().__init__(*args, **kwargs)

    def format_options(self, ctx: click.Context, formatter: HelpFormatter) -> None:
        # click.Group lists its commands from format_options; the mixin's override replaced it.
        super().format_options(ctx, formatter)
        self.format_commands(ctx, formatter)

    def format_commands(self, ctx: click.Context, formatter: HelpFormatter) -> None:
        rows = []
        for name in self.list_commands(ctx):
            cmd = self.get_command(ctx, name)
            if cmd is not None and not cmd.hidden:
                rows.append((name, cmd.get_short_help_str(limit=formatter.width - 6 - len(name))))
        if rows:
            with formatter.section("命令"):
                formatter.write_dl(rows)

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None,  # type: ignore[override]
             complete_var: str | None = None, standalone_mode: bool = True, **extra: Any) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.ClickException as exc:
            english = wants_english(sys.argv[1:] if args is None else args)
            show_en(exc) if english else show(exc)
            sys.exit(exc.exit_code)
        except click.Abort:
            click.echo("Cancelled." if wants_english(sys.argv[1:] if args is None else args) else "已取消。", err=True)
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)
