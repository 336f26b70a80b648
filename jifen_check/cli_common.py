"""Options several commands share, defined once so their text and default cannot drift."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from jifen_check import rulebook

F = TypeVar("F", bound=Callable[..., Any])


def ruleset_option(f: F) -> F:
    """--ruleset: the only place a command's ruleset defaults to the shipped one; below the command
    line the ruleset is passed as a value."""
    return click.option("--ruleset", default=rulebook.DEFAULT_RULESET, show_default=True,
                        help="规则集：rulesets/ 下的名称，或一个规则集文件夹的路径。")(f)
