"""Batch input → applicants, each with a map from field path to the cell it came from.

Two stages, so the expensive one runs in the worker processes:
- `read_input` (parent, one pass over the file): finds the sheets and headers, groups the detail
  rows under their person by 工号 or 身份证号, and reports rows that match nobody.
- `assemble` (worker): converts one person's raw rows into an applicant@1 dict, the cell map
  (`social_insurance[3].base` → `社保!C14`) and the cells that could not be converted.

A cell that cannot be converted is passed on as its text, so the judge reports the field as
invalid too and never sees a half-converted value; the reader's message (which names the
column and what it expected) is the one shown.
"""

from __future__ import annotations

import functools
import marshal
import os
import pickle
import re
import struct
import tempfile
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import chain, groupby, islice
from operator import itemgetter
from pathlib import Path
from typing import Any, NamedTuple

from openpyxl.utils import get_column_letter

from jifen_check.applicant import FORMAT_ID
from jifen_check.batch.cells import SKIP, CellError, Convert, Converted, as_text, convert, converter, is_blank
from jifen_check.batch.columns import (
    DETAIL_SHEETS,
    FAMILY,
    FAMILY_FIELD,
    GUIDE_SHEET,
    OPTIONS_SHEET,
    PERSONS,
    Column,
    Sheet,
    normalise_header,
    sheet_by_name,
)
from jifen_check.batch.tables import (
    InputError,
    Row,
    Table,
    XlsxBook,
    has_csv_sheets,
    open_csv_folder,
    open_xlsx,
)
from jifen_check.batch.xlsx_guard import Limits, SheetScan, inspect_xlsx
from jifen_check.dates import month_number
from jifen_check.identifiers import mask_id

APPLICANT_SUFFIXES = (".yaml", ".yml", ".json")
EXAMPLE_MARK = "示例"  # the template's example applicant is marked in 工号 and 姓名


@dataclass(frozen=True)
class Problem:
    """A value that could not be used: its field path, its cell (or file) and why."""

    path: str
    cell: str
    message: str


@dataclass(frozen=True)
class Notice:
    """A batch-level warning: a row that matches no person, an unknown column or sheet."""

    where: str
    kind: str
    message: str
    employee_no: str = ""


@dataclass(frozen=True)
class Layout:
    """Where one sheet's known columns are: (0-based index, column)."""

    sheet: Sheet
    name: str
    columns: tuple[tuple[int, Column], ...]
    extras: tuple[tuple[int, str], ...] = ()  # 人员 columns of the company's own (部门, 成本中心): carried through

    def index_of(self, field_name: str) -> int | None:
        return next((i for i, c in self.columns if c.field == field_name), None)


@dataclass
class SheetPerson:
    """One applicant's raw rows: the 人员 row and their rows in each detail sheet."""

    index: int
    source: str
    row: tuple[int, Row]
    # sheet key → its rows; as loaded from the DetailStore, packed bytes (`unpack`)
    details: dict[str, list[tuple[int, Row]] | bytes] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    employee_no: str = ""
    name: str = ""


@dataclass(frozen=True)
class FilePerson:
    """One applicant file of a folder batch."""

    index: int
    source: str
    path: str
    employee_no: str = ""
    name: str = ""


Item = SheetPerson | FilePerson


class DetailStore:
    """Detail rows spilled to a temporary file, so the parent's memory stays flat.

    A person's rows can be anywhere in a detail sheet (a payroll export is not sorted by 工号),
    so nobody can be judged before every sheet is read; holding a million month rows as Python
    objects until then took ~700 MB for 10,000 staff. Here they wait on disk, and each person's
    rows are loaded when that person is sent to a worker.

    A block of adjacent sheet rows of one person (a sorted export's 48 months) is one `pack`ed
    (first row number, rows), appended to one scratch file; the parent keeps only where each block
    is (four numbers, in arrays) and each person's chain of blocks, in sheet order. A block is cut
    at RUN_ROWS rows. A sheet sorted by month, not by person, costs one small block per row and
    18 bytes of index per block (the 94,560 month-sorted 社保 rows of mixed-2000: attach 0.73 →
    0.61 CPU-s, loading everyone 0.26 → 0.13, against the SQLite store this replaced; measured).
    The parent never unpacks them: `load` hands the bytes to the worker (`unpack`).
    """

    RUN_ROWS = 1_000  # rows per block at most

    def __init__(self) -> None:
        self._dir = tempfile.TemporaryDirectory(prefix="jifen-batch-")
        self._file = open(Path(self._dir.name) / "rows.bin", "w+b", buffering=1 << 20)  # noqa: SIM115 (closed by close())
        self._size = 0
        self._sheets: list[str] = []
        self._offset = array("q")  # block → where it starts in the file
        self._length = array("I")  # block → its size
        self._sheet = array("H")  # block → its sheet (index into _sheets)
        self._next = array("i")  # block → the person's next block, or -1
        self._first: dict[int, int] = {}  # person → their first block
        self._last: dict[int, int] = {}  # person → their last block
        self._dirty = False

    def add_rows(self, person: int, sheet: str, first: int, rows: list[Row]) -> None:
        """Rows of one person that are sheet rows first, first + 1, …"""
        for i in range(0, len(rows), self.RUN_ROWS):
            self._add_block(person, sheet, pack((first + i, rows[i : i + self.RUN_ROWS])))

    def _add_block(self, person: int, sheet: str, data: bytes) -> None:
        if not self._sheets or self._sheets[-1] != sheet:
            self._sheets.append(sheet)
        block = len(self._offset)
        self._offset.append(self._size)
        self._length.append(len(data))
        self._sheet.append(len(self._sheets) - 1)
        self._next.append(-1)
        if person in self._last:
            self._next[self._last[person]] = block
        else:
            self._first[person] = block
        self._last[person] = block
        self._file.write(data)
        self._size += len(data)
        self._dirty = True

    def packed_rows_of(self, person: int) -> dict[str, bytes]:
        """Sheet key → the person's rows of that sheet as concatenated blocks (see `unpack`)."""
        if self._dirty:
            self._file.flush()
            self._dirty = False
        out: dict[str, list[bytes]] = {}
        block = self._first.get(person, -1)
        fd = self._file.fileno()
        while block >= 0:
            data = os.pread(fd, self._length[block], self._offset[block])
            out.setdefault(self._sheets[self._sheet[block]], []).append(data)
            block = self._next[block]
        return {sheet: blobs[0] if len(blobs) == 1 else b"".join(blobs) for sheet, blobs in out.items()}

    def rows_of(self, person: int) -> dict[str, list[tuple[int, Row]]]:
        return {sheet: unpack(data) for sheet, data in self.packed_rows_of(person).items()}

    def close(self) -> None:
        self._file.close()
        self._dir.cleanup()


_BLOCK_HEAD = struct.Struct("<cI")  # b"M" (marshal) or b"P" (pickle), the payload's length


def pack(block: tuple[int, list[Row]]) -> bytes:
    """One block of rows as bytes for `unpack`. marshal (4× faster both ways than pickle on a run
    of month rows, measured) takes the plain values a sheet holds: str, int, float, bool, None;
    a block with anything else (a date cell, the UNCACHED marker) is pickled."""
    try:
        data, kind = marshal.dumps(block), b"M"
    except ValueError:  # an object marshal does not know
        data, kind = pickle.dumps(block, protocol=pickle.HIGHEST_PROTOCOL), b"P"
    return _BLOCK_HEAD.pack(kind, len(data)) + data


def unpack(rows: list[tuple[int, Row]] | bytes) -> list[tuple[int, Row]]:
    """A sheet's rows of one person: as given, or out of the store's concatenated blocks (`pack`)."""
    if not isinstance(rows, bytes):
        return rows
    out: list[tuple[int, Row]] = []
    view, at = memoryview(rows), 0
    while at < len(rows):
        kind, size = _BLOCK_HEAD.unpack_from(rows, at)
        at += _BLOCK_HEAD.size
        payload = view[at : at + size]
        first, block = marshal.loads(payload) if kind == b"M" else pickle.loads(payload)
        out.extend(enumerate(block, first))
        at += size
    return out


@dataclass
class BatchInput:
    items: list[Item]
    layouts: dict[str, Layout]
    notices: list[Notice]
    store: DetailStore | None = None

    @property
    def extra_headers(self) -> tuple[str, ...]:
        """The 人员 sheet's own columns (部门, 成本中心, …), carried through to the summary."""
        persons = self.layouts.get(PERSONS.key)
        return tuple(h for _, h in persons.extras) if persons else ()

    def load(self, item: Item) -> Item:
        """The item with its detail rows (from the store), ready to send to a worker."""
        if self.store is not None and isinstance(item, SheetPerson) and not item.details:
            # Still packed: the worker unpacks them (assemble), the parent only passes bytes on.
            item.details = dict(self.store.packed_rows_of(item.index))
        return item

    def close(self) -> None:
        if self.store is not None:
            self.store.close()
            self.store = None


@dataclass
class ListCells:
    """Where one applicant list's rows came from: cell refs are built only when asked for.

    An entry may stand for several adjacent sheet rows merged into one range row: its cells are
    then a range (`社保!D5:D52`).
    """

    sheet: str
    rows: list[list[int]] = field(default_factory=list)  # [first, last] sheet row of each entry
    letters: dict[str, str] = field(default_factory=dict)  # row field → column letter

    def row_ref(self, i: int) -> str:
        first, last = self.rows[i]
        return f"{self.sheet}!{first}" if first == last else f"{self.sheet}!{first}:{last}"

    def cell_ref(self, i: int, letter: str) -> str:
        first, last = self.rows[i]
        return f"{self.sheet}!{letter}{first}" + ("" if first == last else f":{letter}{last}")


_LIST_PATH = re.compile(r"^([a-z_]+)(?:\[(\d+)\](?:\.([a-z_]+))?)?$")


@dataclass
class CellMap:
    """Field path → cell (`social_insurance[3].base` → `社保!D14`), exact paths only.

    Scalar fields are stored; list rows (a million month rows in a big batch) are computed from
    their row numbers and column letters on lookup, which happens only for error findings.
    """

    scalars: dict[str, str] = field(default_factory=dict)
    lists: dict[str, ListCells] = field(default_factory=dict)

    def get(self, path: str) -> str | None:
        if path in self.scalars:
            return self.scalars[path]
        m = _LIST_PATH.match(path)
        if not m or m[1] not in self.lists:
            return None
        cells = self.lists[m[1]]
        if m[2] is None:
            return cells.sheet
        i = int(m[2])
        if i >= len(cells.rows):
            return None
        if m[3] is None:
            return cells.row_ref(i)
        letter = cells.letters.get(m[3])
        return cells.cell_ref(i, letter) if letter else None

    def __contains__(self, path: object) -> bool:
        return isinstance(path, str) and self.get(path) is not None

    def __getitem__(self, path: str) -> str:
        cell = self.get(path)
        if cell is None:
            raise KeyError(path)
        return cell

    def __setitem__(self, path: str, cell: str) -> None:
        self.scalars[path] = cell

    def setdefault(self, path: str, cell: str) -> str:
        return self.scalars.setdefault(path, cell)

    def __bool__(self) -> bool:
        return bool(self.scalars or self.lists)


@dataclass
class Assembled:
    source: str
    doc: Any
    cells: CellMap
    problems: list[Problem]
    extra: dict[str, str] = field(default_factory=dict)  # the 人员 row's own columns (部门, …)
    # An applicant file that could not be parsed: validate.parse_text's problems, judged as `check`
    # judges them, so the batch says exactly what `check` says about the same file.
    file_problems: list[Any] = field(default_factory=list)


# ---------------------------------------------------------------- stage 1: read and group


def read_input(path: Path, limits: Limits | None = None,
               on_persons: Callable[[int], None] | None = None) -> BatchInput:
    """A workbook, a folder of CSV files or a folder of applicant files; raises InputError.

    `on_persons(n)` is called once the number of applicants is known, before the detail sheets are
    read (the batch starts its worker processes then: runner.Workers)."""
    limits = limits or Limits()
    if path.is_dir():
        if has_csv_sheets(path):
            with open_csv_folder(path) as tables:
                return _group_tables(tables, path.name, limits, on_persons)
        return _file_items(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        early = _EarlyParse(path, limits)
        try:
            scans = inspect_xlsx(str(path), limits, early.passed)  # before parsing: sizes, stray cells, formulas
            for name, scan in scans.items():
                if _too_many_persons(name, scan, limits):
                    raise InputError(_too_many(path.name, scan.max_row - 1, limits))
            with open_xlsx(path, {name: scan.uncached for name, scan in scans.items()}, early.book) as tables:
                return _group_tables(tables, path.name, limits, on_persons)
        finally:
            early.close()
    raise InputError(f"不支持的输入 {path.name}：应为 .xlsx 工作簿、CSV 文件夹或申请人 YAML/JSON 文件夹")


def _too_many_persons(name: str, scan: SheetScan, limits: Limits) -> bool:
    sheet = sheet_by_name(name)
    return sheet is not None and sheet.key == PERSONS.key and scan.max_row - 1 > limits.max_persons


class _EarlyParse:
    """Starts parsing the first sheets to be read while the guard still checks the others.

    The guard reads every sheet's XML before the workbook is parsed (~2.4 CPU-s for 10,000 staff),
    and the parse of the 人员 sheet and of the first detail sheet (~2 CPU-s, in calamine, which lets
    go of the GIL) can run beside it on the other core. Safety holds sheet by sheet: a sheet is
    parsed only once the guard has passed it (its sizes, cells and zip checksum), and the 人员
    sheet only within the person limit; the refusals and their order are the guard's as before
    (a refused workbook waits for a parse already under way, then is refused with the same message).
    Only the two sheets `_group_tables` starts with are started here: no more is held than before.
    """

    def __init__(self, path: Path, limits: Limits) -> None:
        self.path, self.limits = path, limits
        self.book: XlsxBook | None = None
        self.wanted: set[str] | None = None

    def passed(self, name: str, scan: SheetScan) -> None:
        if self.wanted is None:  # the guard has read the workbook's sheet list: open it
            self.book = XlsxBook(self.path)
            self.wanted = self._first_read(self.book.names)
        if self.book is not None and name in self.wanted and not _too_many_persons(name, scan, self.limits):
            self.book.start(name)

    @staticmethod
    def _first_read(names: list[str]) -> set[str]:
        """The 人员 sheet and the first detail sheet, as `_known_tables` and `_group_tables` pick them."""
        found: dict[str, str] = {}
        for name in names:
            sheet = sheet_by_name(name)
            if sheet is not None:
                found.setdefault(sheet.key, name)
        details = [found[s.key] for s in DETAIL_SHEETS if s.key in found]
        return {found[PERSONS.key], *details[:1]} if PERSONS.key in found else set()

    def close(self) -> None:
        if self.book is not None:
            self.book.close()


def _file_items(folder: Path) -> BatchInput:
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() in APPLICANT_SUFFIXES and p.is_file())
    if not files:
        raise InputError(f"文件夹 {folder} 中既没有 人员.csv（或 persons.csv），也没有申请人 YAML/JSON 文件")
    items: list[Item] = [FilePerson(i, p.name, str(p), name=p.stem) for i, p in enumerate(files)]
    return BatchInput(items, {}, [])


def _too_many(label: str, rows: int, limits: Limits) -> str:
    return f"{label} 的「人员」表有 {rows:,} 行，超过上限 {limits.max_persons:,} 人；请分批运行"


def _group_tables(tables: dict[str, Table], label: str, limits: Limits,
                  on_persons: Callable[[int], None] | None = None) -> BatchInput:
    notices: list[Notice] = []
    found = _known_tables(tables, notices)
    if PERSONS.key not in found:
        raise InputError(f"{label} 中没有「人员」表（或 persons）")
    layouts: dict[str, Layout] = {}
    persons_table = found.pop(PERSONS.key)
    # Each table is read once, in this order; the next one is prepared while one is read (tables.py).
    details = [sheet for sheet in DETAIL_SHEETS if sheet.key in found]
    persons_table.prefetch()
    if details:
        found[details[0].key].prefetch()
    layouts[PERSONS.key] = _layout(PERSONS, persons_table, notices)
    people = _read_persons(layouts[PERSONS.key], persons_table, notices, limits.max_persons)
    if len(people) > limits.max_persons:
        raise InputError(_too_many(label, len(people), limits))
    if on_persons is not None:
        on_persons(len(people))
    index = _PersonIndex(people, layouts[PERSONS.key].index_of("person.id_number"), layouts[PERSONS.key])
    store = DetailStore()
    try:
        for k, sheet in enumerate(details):
            if k + 1 < len(details):
                found[details[k + 1].key].prefetch()
            layouts[sheet.key] = _layout(sheet, found[sheet.key], notices)
            _attach_details(layouts[sheet.key], found[sheet.key], index, notices, store)
    except BaseException:
        store.close()
        raise
    index.finish(notices)
    return BatchInput(list(people), layouts, notices, store)


def _known_tables(tables: dict[str, Table], notices: list[Notice]) -> dict[str, Table]:
    found: dict[str, Table] = {}
    for name, table in tables.items():
        sheet = sheet_by_name(name)
        if sheet is None:
            if name not in (GUIDE_SHEET, OPTIONS_SHEET):
                notices.append(Notice(name, "未识别的表", f"表「{name}」不是批量输入的表，已忽略"))
        elif sheet.key in found:
            notices.append(Notice(name, "重复的表", f"表「{name}」与「{found[sheet.key].name}」重复，已忽略"))
        else:
            found[sheet.key] = table
    return found


def _layout(sheet: Sheet, table: Table, notices: list[Notice]) -> Layout:
    header = next(table.rows, (1, ()))[1]
    by_name = {normalise_header(n): c for c in sheet.columns for n in c.names()}
    columns: list[tuple[int, Column]] = []
    extras: list[tuple[int, str]] = []
    seen: set[str] = set()
    for i, text in enumerate(header):
        if is_blank(text):
            continue
        column = by_name.get(normalise_header(text))
        where = f"{table.name}!{get_column_letter(i + 1)}1"
        if column is None and sheet.key == PERSONS.key and as_text(text) not in {h for _, h in extras}:
            extras.append((i, as_text(text)))  # HR's own column: kept for filtering the summary
        elif column is None:
            notices.append(Notice(where, "未识别的列", f"列「{as_text(text)}」不是「{sheet.title}」表的列，已忽略"))
        elif column.field in seen:
            notices.append(Notice(where, "重复的列", f"列「{as_text(text)}」重复，只用第一列"))
        else:
            seen.add(column.field)
            columns.append((i, column))
    for column in sheet.columns:
        if column.required and column.field not in seen:
            notices.append(Notice(table.name, "缺少必填列", f"「{table.name}」表缺少必填列「{column.header}」"))
    return Layout(sheet, table.name, tuple(columns), tuple(extras))


def _cell(values: Row, index: int | None) -> object:
    return values[index] if index is not None and index < len(values) else None


def is_example(employee_no: str, name: str) -> bool:
    """The template's example applicant (工号 示例001, 姓名 示例 张三), left in by the clerk."""
    return employee_no.startswith(EXAMPLE_MARK) or name.startswith(EXAMPLE_MARK)


def _read_persons(layout: Layout, table: Table, notices: list[Notice], limit: int) -> list[SheetPerson]:
    no_i, id_i, name_i = (layout.index_of(f) for f in ("person.employee_no", "person.id_number", "person.name"))
    people: list[SheetPerson] = []
    for n, values in table.rows:
        if all(is_blank(v) for v in values):
            continue
        if len(people) > limit:  # stop reading: the caller refuses the input
            break
        if is_example(_key(_cell(values, no_i)), _text(_cell(values, name_i))):
            notices.append(Notice(f"{layout.name}!{n}", "示例行",
                                  f"第 {n} 行是模板自带的示例（{_text(_cell(values, name_i))}），已跳过，不计入人数"))
            continue
        people.append(SheetPerson(
            len(people), f"{layout.name}!{n}", (n, values),
            employee_no=_key(_cell(values, no_i)), name=_text(_cell(values, name_i)),
        ))
    _flag_duplicates(layout, people, id_i, "身份证号")
    return people


def _flag_duplicates(layout: Layout, people: list[SheetPerson], col: int | None, label: str) -> None:
    if col is None:
        return
    first: dict[str, SheetPerson] = {}
    for person in people:
        key = _key(_cell(person.row[1], col), upper=True)
        if not key:
            continue
        if key in first:
            cell = f"{layout.name}!{get_column_letter(col + 1)}{person.row[0]}"
            path = "person.employee_no" if label == "工号" else "person.id_number"
            msg = f"{label}与 {first[key].source} 重复；明细表的行只关联到第一位"
            person.problems.append(Problem(path, cell, msg))
        else:
            first[key] = person


def _text(value: object) -> str:
    return "" if is_blank(value) else as_text(value)


def _key(value: object, *, upper: bool = False) -> str:
    text = "" if is_blank(value) else "".join(as_text(value).split())
    return text.upper() if upper else text


_AMBIGUOUS = SheetPerson(-1, "", (0, ()))  # a detail row whose 工号 two people share


class _PersonIndex:
    """Find a person by 工号 or 身份证号.

    A 工号 that two 人员 rows share is never resolved to either of them by itself: a detail row
    with that 工号 goes to the person whose ID number it also carries, else it belongs to nobody
    for sure and both people are invalid (`finish`). Merging two people's months gave person 1
    eligibility on person 2's contributions.
    """

    def __init__(self, people: list[SheetPerson], id_col: int | None, layout: Layout) -> None:
        self.layout, self.id_col = layout, id_col
        self.by_no: dict[str, SheetPerson] = {}
        self.shared: dict[str, list[SheetPerson]] = {}
        self.by_id: dict[str, SheetPerson] = {}
        for p in people:
            if p.employee_no:
                key = p.employee_no.upper()
                if key in self.shared:
                    self.shared[key].append(p)
                elif key in self.by_no:
                    self.shared[key] = [self.by_no.pop(key), p]
                else:
                    self.by_no[key] = p
            if key := _key(_cell(p.row[1], id_col), upper=True):
                self.by_id.setdefault(key, p)
        self.unresolved: dict[str, list[str]] = {}  # shared 工号 → detail rows without a telling ID
        self.by_id_rows: dict[str, int] = {}

    def find(self, employee_no: str, id_number: str) -> SheetPerson | None:
        no = employee_no.upper()
        if employee_no and (p := self.by_no.get(no)):
            return p
        if employee_no and no in self.shared:
            person = self.by_id.get(id_number) if id_number else None
            if person is not None and any(person is q for q in self.shared[no]):
                self.by_id_rows[no] = self.by_id_rows.get(no, 0) + 1
                return person
            return _AMBIGUOUS
        return self.by_id.get(id_number) if id_number else None

    def ambiguous_row(self, employee_no: str, where: str) -> None:
        self.unresolved.setdefault(employee_no.upper(), []).append(where)

    def finish(self, notices: list[Notice]) -> None:
        """Both people of a shared 工号 get a DATA problem, unless every row was told apart by ID."""
        no_col = self.layout.index_of("person.employee_no")
        for no, group in self.shared.items():
            rows = "、".join(p.source for p in group)
            rows_unresolved = self.unresolved.get(no, [])
            if not rows_unresolved:
                notices.append(Notice(rows, "工号重复", f"工号 {group[0].employee_no} 出现在 {rows}；"
                                      f"明细行已按身份证号分别关联（{self.by_id_rows.get(no, 0)} 行），请核对工号",
                                      group[0].employee_no))
                continue
            shown = "、".join(rows_unresolved[:3]) + (f" 等 {len(rows_unresolved)} 行" if len(rows_unresolved) > 3 else "")
            for p in group:
                cell = _ref(self.layout, no_col, p.row[0]) if no_col is not None else p.source
                others = "、".join(q.source for q in group if q is not p)
                p.problems.append(Problem("person.employee_no", cell,
                                          f"工号 {p.employee_no} 与 {others} 重复，{shown} 没有能区分两人的身份证号，"
                                          "无法确定属于谁；请更正工号，或在明细行填写身份证号"))


def _attach_details(layout: Layout, table: Table, index: _PersonIndex, notices: list[Notice],
                    store: DetailStore) -> None:
    no_i, id_i = layout.index_of("employee_no"), layout.index_of("id_number")
    if no_i is None and id_i is None:
        notices.append(Notice(layout.name, "无法关联", f"「{layout.name}」表没有 工号 或 身份证号 列，整表未使用"))
        return
    first = next(table.rows, None)
    if first is None:
        return
    n = first[0]
    # The hot loop of a big batch (a million month rows). A person's 48 month rows are adjacent in
    # a sorted export and carry the same raw key cells: groupby (in C) cuts the sheet into runs of
    # equal key cells, and the Python work (the lookup, the store) is done once per run. Rows are
    # numbered consecutively (tables.Table), so a run's row numbers follow from where it starts.
    values = chain((first[1],), map(itemgetter(1), table.rows))
    key = layout.sheet.key
    resolved: dict[tuple[object, object], SheetPerson | None] = {}
    for cells, run in groupby(values, _key_cells(no_i, id_i, table.uniform)):
        raw = cells if no_i is not None and id_i is not None else (cells, None) if id_i is None else (None, cells)
        try:
            person = resolved[raw]
        except KeyError:
            person = resolved[raw] = index.find(_key(raw[0]), _key(raw[1], upper=True))
        except TypeError:  # an unhashable cell value: resolve it directly
            person = index.find(_key(raw[0]), _key(raw[1], upper=True))
        if person is not None and person is not _AMBIGUOUS:
            while rows := list(islice(run, DetailStore.RUN_ROWS)):
                store.add_rows(person.index, key, n, rows)
                n += len(rows)
            continue
        for values_of_row in run:
            _unattached(layout, person, n, values_of_row, no_i, id_i, index, notices)
            n += 1


def _key_cells(no_i: int | None, id_i: int | None, uniform: bool) -> Callable[[Row], Any]:
    """A row's raw 工号 and 身份证号 cells (one of them, when the sheet has only that column)."""
    if uniform:  # every row is as wide as the header: indexing cannot fail, and runs in C
        return itemgetter(*(i for i in (no_i, id_i) if i is not None))
    if no_i is not None and id_i is not None:
        return lambda values: (_cell(values, no_i), _cell(values, id_i))
    only = no_i if no_i is not None else id_i
    return lambda values: _cell(values, only)


def _unattached(layout: Layout, person: SheetPerson | None, n: int, values: Row, no_i: int | None,
                id_i: int | None, index: _PersonIndex, notices: list[Notice]) -> None:
    """A detail row that goes to nobody: of a shared 工号, of the template's example, blank, or unmatched."""
    raw = (_cell(values, no_i), _cell(values, id_i))
    if person is _AMBIGUOUS:
        index.ambiguous_row(_key(raw[0]), f"{layout.name}!{n}")
    elif _key(raw[0]).startswith(EXAMPLE_MARK):
        return  # the template's example rows go with the skipped example person
    elif not all(is_blank(v) for v in values):
        notices.append(_unmatched(layout.name, n, _key(raw[0]), _key(raw[1], upper=True)))


def _unmatched(sheet: str, row: int, employee_no: str, id_number: str) -> Notice:
    if employee_no or id_number:
        who = f"工号 {employee_no}" if employee_no else f"身份证号 {mask_id(id_number)}"
        msg = f"{who} 在「人员」表中找不到，该行未使用"
    else:
        msg = "工号和身份证号都为空，无法关联，该行未使用"
    return Notice(f"{sheet}!{row}", "未匹配的行", msg, employee_no)


# ---------------------------------------------------------------- stage 2: one applicant


_PATH_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


@functools.lru_cache(maxsize=1024)
def _path_parts(path: str) -> tuple[str | int, ...]:
    """`bonuses.awards[0].level` → ("bonuses", "awards", 0, "level"); every person repeats the paths."""
    return tuple(int(i) if i else name for name, i in _PATH_PART.findall(path))


def set_path(doc: dict[str, Any], path: str, value: object) -> None:
    """doc["bonuses"]["awards"][0]["level"] = value for path `bonuses.awards[0].level`."""
    parts = _path_parts(path)
    node: Any = doc
    for part, nxt in zip(parts, parts[1:], strict=False):
        empty: Any = [] if isinstance(nxt, int) else {}
        if isinstance(part, int):
            while len(node) <= part:
                node.append(empty)
            node = node[part]
        else:
            node = node.setdefault(part, empty)
    last = parts[-1]
    if isinstance(last, int):
        while len(node) <= last:
            node.append(None)
    node[last] = value


def assemble(item: Item, layouts: dict[str, Layout]) -> Assembled:
    """One applicant dict with its cell map and conversion problems. Never raises for bad data."""
    if isinstance(item, FilePerson):
        return _assemble_file(item)
    out = Assembled(item.source, {"format": FORMAT_ID}, CellMap(), list(item.problems))
    persons = layouts[PERSONS.key]
    _fill_person(out, persons, item.row)
    out.doc.setdefault("social_insurance", [])  # required by the model; none means none was paid
    for key, packed in item.details.items():
        layout, rows = layouts[key], unpack(packed)
        if layout.sheet.key == FAMILY.key:  # by key: layouts are pickled copies in workers
            _fill_family(out, layout, rows)
        else:
            _fill_list(out, layout, rows)
    return out


def _ref(layout: Layout, col: int, row: int) -> str:
    return f"{layout.name}!{get_column_letter(col + 1)}{row}"


def _put(out: Assembled, path: str, column: Column, value: object, cell: str) -> None:
    """Convert and store one cell; on failure store its text and record the problem."""
    _store(out, path, converter(column)(value), cell)


def _store(out: Assembled, path: str, got: Converted, cell: str) -> None:
    """One converted cell into the doc and the cell map (its text and problem where it failed)."""
    out.cells[path] = cell
    if got is SKIP:  # a blank cell
        return
    converted, error = got
    if error is not None:
        out.problems.append(Problem(path, cell, error))
    set_path(out.doc, path, converted)


# ---------------------------------------------------------------- a sheet's plan

class _Field(NamedTuple):
    """One known column of a layout, ready to use: its position, field, converter and cell prefix."""

    index: int
    field: str
    convert: Convert
    ref: str  # `社保!D`: the row number completes the cell


@dataclass(frozen=True)
class _Plan:
    """What a layout's rows need, worked out once per layout instead of once per cell."""

    fields: tuple[_Field, ...]  # the 人员 sheet: all its columns; a list sheet: all but the join keys
    prefixes: tuple[tuple[str, ...], ...]  # 人员: each field's enclosing paths (they name the row)
    letters: dict[str, str]  # field → column letter (list sheets)
    width: int  # cells a row needs: the last field's index + 1
    list_path: str
    mergeable: bool


_PLANS: dict[int, tuple[Layout, _Plan]] = {}


def _plan(layout: Layout) -> _Plan:
    """The layout's plan; by identity, as a worker's layouts live as long as the worker."""
    entry = _PLANS.get(id(layout))
    if entry is not None and entry[0] is layout:
        return entry[1]
    if len(_PLANS) >= 64:  # layouts of many small batches (tests, the web server): stay small
        _PLANS.clear()
    # The join keys of a detail sheet are no fields of its rows (人员's are `person.…`: all kept).
    fields = tuple(_Field(i, c.field, converter(c), f"{layout.name}!{get_column_letter(i + 1)}")
                   for i, c in layout.columns if not _is_key(c))
    list_path = layout.sheet.list_path or layout.sheet.key
    plan = _Plan(fields, tuple(_prefixes(f.field) for f in fields),
                 {f.field: get_column_letter(f.index + 1) for f in fields},
                 max((f.index + 1 for f in fields), default=0), list_path, list_path in MERGEABLE)
    _PLANS[id(layout)] = (layout, plan)
    return plan


# ---------------------------------------------------------------- the 人员 row


def _fill_person(out: Assembled, layout: Layout, row: tuple[int, Row]) -> None:
    plan = _plan(layout)
    n, values = row
    whole = f"{layout.name}!{n}"
    out.cells[""] = whole
    out.extra = {header: as_text(_cell(values, i)) for i, header in layout.extras if not is_blank(_cell(values, i))}
    for (i, path, convert_cell, ref), prefixes in zip(plan.fields, plan.prefixes, strict=True):
        for prefix in prefixes:
            out.cells.setdefault(prefix, whole)
        _store(out, path, convert_cell(_cell(values, i)), f"{ref}{n}")


@functools.lru_cache(maxsize=256)
def _prefixes(path: str) -> tuple[str, ...]:
    parts = path.split(".")
    return tuple(".".join(parts[:k]) for k in range(1, len(parts)))


def _is_key(column: Column) -> bool:
    return column.field in ("employee_no", "id_number")


# ---------------------------------------------------------------- list sheets


# Month lists whose adjacent rows with equal values become one range row: identical to the
# judge (formats.md: a range row stands for every month in it), and a payroll export's 48 rows
# at one base shrink to a few, which halves the judging time of a big batch.
MERGEABLE = ("social_insurance", "income_tax")


def _fill_list(out: Assembled, layout: Layout, rows: list[tuple[int, Row]]) -> None:
    # The hot loop of a big batch (a million month rows): one pass over the plan's fields per row,
    # no path strings unless a cell is bad.
    plan = _plan(layout)
    list_path, fields, width, mergeable = plan.list_path, plan.fields, plan.width, plan.mergeable
    cells = out.cells.lists.setdefault(list_path, ListCells(layout.name))
    cells.letters = dict(plan.letters)
    spans = cells.rows
    items: list[Any] = out.doc.setdefault(list_path, [])
    problems = out.problems
    last_row: int | None = None  # the sheet row the last item ends at, while the next row may extend it
    for n, values in rows:
        if len(values) < width:  # a short row (CSV): its missing cells are blank
            values = (*values, *(None,) * (width - len(values)))
        item: dict[str, Any] = {}
        clean = True
        for i, name, convert_cell, ref in fields:
            got = convert_cell(values[i])
            if got is SKIP:  # a blank cell
                continue
            item[name] = got[0]
            if got[1] is not None:
                problems.append(Problem(f"{list_path}[{len(items)}].{name}", f"{ref}{n}", got[1]))
                clean = False
        if last_row == n - 1 and clean and mergeable:
            # Same fields, equal values apart from the month (one comparison in C; no value is NaN):
            # a payroll export's tax rows differ in their income, and stop here.
            prev = items[-1]
            month, prev_month = item.get("month"), prev.get("month")
            if isinstance(month, str) and isinstance(prev_month, str):
                item["month"] = prev_month
                same = item == prev
                item["month"] = month
                if same and (joined := _joined(prev_month, month)) is not None:
                    prev["month"] = joined
                    spans[-1][1] = last_row = n
                    continue
        items.append(item)
        spans.append([n, n])
        last_row = n if clean else None  # a row with a problem is never extended


def _joined(prev_month: str, month: str) -> str | None:
    """The month range of two adjacent rows (`2024-01..2024-05` and `2024-06` → `2024-01..2024-06`)
    when month starts the month after prev_month ends; else None."""
    first, _, last = prev_month.partition("..")
    start, _, end = month.partition("..")
    before, after = _month_no(last or first), _month_no(start)
    if before is None or after != before + 1:
        return None
    return f"{first}..{end or start}"


@functools.lru_cache(maxsize=4096)
def _month_no(text: str) -> int | None:
    return month_number(text)


def _fill_family(out: Assembled, layout: Layout, rows: list[tuple[int, Row]]) -> None:
    relation_i = layout.index_of("relation")
    for n, values in rows:
        relation = _relation(out, layout, relation_i, n, values)
        if relation == "spouse" and "spouse" in out.doc.get("family", {}):
            out.problems.append(Problem("family.spouse", f"{layout.name}!{n}", "只能填写一位配偶"))
            continue
        if relation == "spouse":
            base = "family.spouse"
        elif relation == "child":
            base = f"family.children[{len(out.doc.get('family', {}).get('children', []))}]"
        else:
            continue
        set_path(out.doc, base, {})
        out.cells[base] = f"{layout.name}!{n}"
        _fill_member(out, layout, n, values, relation, base)


def _relation(out: Assembled, layout: Layout, col: int | None, n: int, values: Row) -> str | None:
    column = next(c for c in FAMILY.columns if c.field == "relation")
    cell = _ref(layout, col, n) if col is not None else f"{layout.name}!{n}"
    value = _cell(values, col)
    if is_blank(value):
        out.problems.append(Problem("family", cell, "关系必须填写：配偶 或 子女"))
        return None
    try:
        return str(convert(value, column))
    except CellError as exc:
        out.problems.append(Problem("family", cell, str(exc)))
        return None


def _fill_member(out: Assembled, layout: Layout, n: int, values: Row, relation: str, base: str) -> None:
    for i, column in layout.columns:
        if _is_key(column) or column.field == "relation":
            continue
        value, cell = _cell(values, i), _ref(layout, i, n)
        if column.applies_to and relation not in column.applies_to:
            if not is_blank(value):
                who = "配偶" if relation == "spouse" else "子女"
                out.problems.append(Problem(base, cell, f"{who}行不应填写「{column.header}」"))
            continue
        _put(out, f"{base}.{FAMILY_FIELD.get(column.field, column.field)}", column, value, cell)


def _assemble_file(item: FilePerson) -> Assembled:
    """One applicant file of a folder batch, read with the same limits as `check` (size, aliases,
    nesting, numbers, duplicate keys: validate.parse_text)."""
    from jifen_check.validate import MAX_FILE_BYTES, parse_text
    from jifen_check.validate import Problem as FileProblem

    out = Assembled(item.source, None, CellMap({"": item.source}), [])
    name = Path(item.path).name
    try:
        size = Path(item.path).stat().st_size
        if size > MAX_FILE_BYTES:  # not even read: an 84 MB YAML took 112 s and 5 GB to refuse
            return _unreadable(out, [FileProblem("DATA-FORMAT", "(file)", f"{name}: 文件大小 {size / 1048576:.1f} MB "
                                                 f"超过上限 {MAX_FILE_BYTES // 1048576} MB，不像一位申请人的文件")])
        raw = Path(item.path).read_bytes()
    except OSError as exc:
        return _unreadable(out, [FileProblem("DATA-FORMAT", "(file)", f"{name}: 文件无法读取：{_first_line(exc)}")])
    doc, problems = parse_text(raw, name)
    if problems:
        return _unreadable(out, problems)
    # Acceptance-case files wrap the applicant as `applicant:`; accept that too. Anything else that is
    # not one applicant is reported by the judge, in the words `check` uses.
    if isinstance(doc, dict) and "person" not in doc and isinstance(doc.get("applicant"), dict):
        doc = doc["applicant"]
    out.doc = doc
    return out


def _unreadable(out: Assembled, problems: list[Any]) -> Assembled:
    """A file that is no applicant: judged as `check` judges it (file_problems); the reader's own
    problem list names the file too."""
    out.file_problems = problems
    out.problems.extend(Problem(p.path if p.path != "(file)" else "", out.source, p.message) for p in problems)
    return out


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def iter_applicants(path: Path) -> Iterator[Assembled]:
    """Every applicant of a batch input in order, assembled in this process (tests, small runs)."""
    batch = read_input(path)
    try:
        for item in batch.items:
            yield assemble(batch.load(item), batch.layouts)
    finally:
        batch.close()
