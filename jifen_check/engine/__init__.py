"""The rule engine: durable-rules driven by the rule data in `rulesets/`.

Modules, imported one way (messages → ledger → scoring → effects → compile → backend; `stages` and
`messages` import nothing of the package, so the rulebook can use them):
- `backend`: the durable-rules Host and every quirk of it, `Engine`, `engine_for_process`;
- `compile`: rule data → durable-rules JSON (`Compiler`);
- `stages`: each rule's stage and priority, derived from what it reads and writes (used by the rulebook);
- `effects`: what a firing does to the applicant's ledger (block, line, finding, total, record…);
- `ledger`: what the firings produce (`Ledger`, `LineCandidate`, `Firing`);
- `scoring`: `choose_best` and the total, plain arithmetic on a ledger;
- `messages`: the message templates (`render`, `lookup`, `EnText`).

The names below are loaded on first use: a renderer that only fills message templates
(`jifen_check.engine.messages`) does not load durable-rules.
"""

from __future__ import annotations

import importlib
from typing import Any

_HOMES = {
    "Engine": "backend", "EngineError": "backend", "engine_for_process": "backend",
    "Effects": "effects", "Firing": "ledger", "Ledger": "ledger", "LineCandidate": "ledger",
    "EnText": "messages", "lookup": "messages", "render": "messages", "choose_best": "scoring",
}
__all__ = sorted(_HOMES)


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{home}"), name)
