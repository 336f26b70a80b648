"""The server's settings (`jifen-check serve` options), in a module light enough for the CLI to import
without loading the web stack."""

from __future__ import annotations

from dataclasses import dataclass

from jifen_check.rulebook import DEFAULT_RULESET


@dataclass
class Settings:
    token: str
    host: str = "127.0.0.1"
    port: int = 8000
    max_upload_mb: int = 50
    workers: int | None = None
    ruleset: str = DEFAULT_RULESET  # a name under rulesets/ or a folder (serve --ruleset)
