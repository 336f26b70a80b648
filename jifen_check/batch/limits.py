"""The size limits of a batch workbook, apart from the code that enforces them (xlsx_guard.py).

Kept in a module with no imports of its own: the `batch` command's option defaults come from here,
and the CLI builds its options at start-up, so `check` would otherwise load the workbook guard.
"""

from __future__ import annotations

from dataclasses import dataclass

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """What a batch workbook may hold. The defaults fit 100,000 staff × 60 months of rows."""

    max_unzipped_mb: int = 2048  # all parts together, uncompressed
    max_columns: int = 128  # column DX: the 人员 sheet has about 40, plus HR's own
    max_cells: int = 30_000_000  # rows × columns of each sheet's used area
    max_shared_strings_mb: int = 256
    max_persons: int = 200_000
    max_row_bytes: int = 16 * MB  # one <row> element
