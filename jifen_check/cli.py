"""The command line: thin wrappers over judge → renderers. Being written; see README."""

from __future__ import annotations

import click

from jifen_check import cli_batch


@click.group()
def main() -> None:
    """jifen-check: 上海市居住证积分 预审。"""


cli_batch.register(main)
