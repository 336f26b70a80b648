"""CLI commands for batch runs (`template`, `batch`). Registered on the main group by cli.py."""

from __future__ import annotations

import click


def register(group: click.Group) -> None:
    """Adds the batch commands to the main CLI group."""
