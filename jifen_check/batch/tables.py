"""Raw tables out of a workbook or a folder of CSV files: name → rows of cell values.

Row 1 is the header. Rows are numbered as the spreadsheet numbers them, so cell references in
messages (`社保!C14`) point where the user looks.

xlsx is read with python-calamine (a dependency): it reads the values roughly ten times faster than
openpyxl, which is what makes a 10,000-person workbook with a million month rows practical.
"""

from __future__ import annotations

import csv
import functools
import io
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jifen_check.batch.columns import sheet_by_name

Row = Sequence[object]  # a tuple (CSV) or a list (calamine)


def _nothing() -> None:
    return None


@dataclass(frozen=True)
class Table:
    name: str  # tab or CSV file stem, as used in cell references
    rows: Iterator[tuple[int, Row]]  # (spreadsheet row number, values), numbered consecutively
    # Start preparing the rows now (a workbook sheet is parsed in a thread): called for the table
    # that will be read next, while the current one is being read.
    prefetch: Callable[[], None] = _nothing
    # Every row is as wide as the header row (a workbook's sheet is a rectangle; CSV rows vary).
    uniform: bool = False


class InputError(Exception):
    """The batch input as a whole cannot be read (fatal, reported without a traceback)."""


@contextmanager
def open_xlsx(path: Path, uncached: dict[str, set[tuple[int, int]]] | None = None,
              book: XlsxBook | None = None) -> Iterator[dict[str, Table]]:
    """The workbook's tabs by name. Tables must be consumed inside the `with`.

    `uncached`: sheet → (row number, 0-based column) of formula cells saved without a value;
    those cells read as the UNCACHED marker instead of blank (xlsx_guard.py).
    `book`: the workbook as opened already (its first sheets may be parsing); closed on leaving."""
    with _calamine_tables(path, book) as tables:
        for name, cells in (uncached or {}).items():
            if cells and name in tables:
                tables[name] = Table(name, _marked(tables[name].rows, cells), tables[name].prefetch,
                                     tables[name].uniform)
        yield tables


def _marked(rows: Iterator[tuple[int, Row]], cells: set[tuple[int, int]]) -> Iterator[tuple[int, Row]]:
    from jifen_check.batch.cells import UNCACHED

    by_row: dict[int, list[int]] = {}
    for n, col in cells:
        by_row.setdefault(n, []).append(col)
    for n, values in rows:
        if n in by_row:
            values = list(values)
            for col in by_row[n]:
                values.extend([""] * (col + 1 - len(values)))
                values[col] = UNCACHED
        yield n, values


def _unreadable(path: Path, exc: Exception) -> str:
    """Why a workbook cannot be opened, in words a clerk can act on (the library's text is English)."""
    if isinstance(exc, PermissionError):
        return f"{path.name} 没有读取权限，无法打开"
    if isinstance(exc, FileNotFoundError):
        return f"找不到 {path.name}"
    return f"{path.name} 无法作为 .xlsx 工作簿打开：文件已损坏，或不是 Excel 工作簿（请在 Excel 中另存为 .xlsx 后再试）"


class XlsxBook:
    """A workbook opened with calamine, with the parser thread of its sheets (_SheetParser).

    The batch reader opens it while the guard is still checking the workbook's sheets (xlsx_guard),
    so that a sheet the guard has passed is parsed on the other core while the guard reads the next
    one. A workbook calamine cannot open is not refused here: the error is kept and raised where
    the tables are asked for (open_xlsx), after the guard, as before.
    """

    def __init__(self, path: Path) -> None:
        from python_calamine import CalamineWorkbook

        self.path = path
        self.error: Exception | None = None
        self.parser: _SheetParser | None = None
        self.names: list[str] = []  # read now: the workbook cannot be asked while a sheet is parsing
        try:
            wb = CalamineWorkbook.from_path(str(path))
        except Exception as exc:  # calamine raises its own error types for a bad file
            self.error = exc
            return
        self.names = list(wb.sheet_names)
        self.parser = _SheetParser(wb)

    def start(self, name: str) -> None:
        """Starts parsing a sheet (one the guard has passed) in the parser thread."""
        if self.parser is not None:
            self.parser.prefetch(name)

    def close(self) -> None:
        if self.parser is not None:
            self.parser.close()


@contextmanager
def _calamine_tables(path: Path, book: XlsxBook | None = None) -> Iterator[dict[str, Table]]:
    book = book or XlsxBook(path)
    try:
        if book.parser is None:
            raise InputError(_unreadable(path, book.error or RuntimeError())) from book.error
        parser = book.parser
        yield {name: Table(name, parser.rows(name), functools.partial(parser.prefetch, name), uniform=True)
               for name in book.names}
    finally:
        book.close()


class _SheetParser:
    """Parses a workbook's sheets with calamine when they are read, the next one while the current one is.

    calamine holds a parsed sheet whole: parsing every sheet up front kept all of them in memory at
    once (and parsed sheets never read, such as 填写说明); here a sheet is parsed when it is read
    (or prefetched) and dropped once read through, so at most two are held. calamine lets go of
    the GIL while it parses: the 个税 sheet is parsed on the other core while the 社保 rows are
    grouped. Every call into the workbook goes through the one parser thread (one at a time).
    """

    def __init__(self, wb: Any) -> None:
        self.wb = wb
        self.pending: dict[str, Future[Any]] = {}
        self.thread: ThreadPoolExecutor | None = None

    def prefetch(self, name: str) -> None:
        if name not in self.pending:
            if self.thread is None:
                self.thread = ThreadPoolExecutor(1, thread_name_prefix="jifen-sheet-parser")
            self.pending[name] = self.thread.submit(self.wb.get_sheet_by_name, name)

    def rows(self, name: str) -> Iterator[tuple[int, Row]]:
        """The sheet's rows, parsed when first asked for."""
        self.prefetch(name)
        sheet = self.pending.pop(name).result()
        start = sheet.start
        if start is None:
            return
        first_row, first_col = start
        rows = sheet.iter_rows()
        del sheet
        if first_col:  # calamine starts at the used area; cell letters must start at A
            pad = [""] * first_col
            rows = (pad + r for r in rows)
        yield from enumerate(rows, start=first_row + 1)

    def close(self) -> None:
        """Waits for a parse under way (it cannot be stopped) and drops what was never read."""
        if self.thread is not None:
            self.thread.shutdown(wait=True, cancel_futures=True)
        self.pending.clear()


def _numbered(rows: Iterator[Row], first: int) -> Iterator[tuple[int, Row]]:
    return enumerate(rows, start=first)


@contextmanager
def open_csv_folder(folder: Path) -> Iterator[dict[str, Table]]:
    """Every `<sheet>.csv` in the folder whose stem names a known sheet (Chinese or English)."""
    files = [p for p in sorted(folder.glob("*.csv")) if sheet_by_name(p.stem)]
    yield {p.stem: Table(p.stem, _numbered(_csv_rows(p), 1)) for p in files}


def _csv_rows(path: Path) -> Iterator[Row]:
    text = _decode(path)
    for record in csv.reader(io.StringIO(text, newline="")):
        yield tuple(record)


def _decode(path: Path) -> str:
    data = path.read_bytes()
    # Excel on a Chinese Windows saves "CSV" as GB18030 (GBK); everything else writes UTF-8.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError(f"{path.name} 既不是 UTF-8 也不是 GBK 编码")


def has_csv_sheets(folder: Path) -> bool:
    return any(sheet_by_name(p.stem) for p in folder.glob("*.csv"))
