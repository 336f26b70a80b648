"""summary.xlsx, written as results arrive (openpyxl write-only: rows stream to disk).

Sheets: 汇总 (one row per applicant: verdict, score, the most urgent problem or warning, every
problem, the 人员 sheet's own extra columns such as 部门), 问题清单 (one row per problem: cell,
person, problem, fix), 统计 (counts by verdict) and 未匹配行 (detail rows that matched no person,
ignored columns and sheets).

HR filters and prints this: numbers and dates are real cells, long text wraps instead of being cut,
and each sheet prints landscape, one page wide, with the header row repeated and the name columns
frozen. No codes: verdicts are words (the codes stay in results.jsonl).

Text that starts with = + - @ (or a tab / carriage return) would be a formula in Excel: such cells
are written as strings with Excel's quote prefix, so Excel shows the literal text, and keeps it
literal even when the cell is edited.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import _escape_cdata  # type: ignore[attr-defined]  # what et_xmlfile escapes text with

from openpyxl import LXML, Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.cell._writer import write_cell
from openpyxl.comments.comment_sheet import CommentRecord
from openpyxl.compat import safe_string
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from jifen_check.atomic import atomic_file
from jifen_check.batch.readers import Notice
from jifen_check.batch.summary import VERDICTS, RowSummary, Tally
from jifen_check.render.plain import Lang, Words, side

# Characters no sheet XML may hold: the C0 controls but tab, LF and CR (openpyxl's ILLEGAL_CHARACTERS_RE),
# lone surrogates (no UTF-8 form) and U+FFFE/U+FFFF (not XML characters: the sheet would not parse).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
VERDICT_FILL = {
    "eligible": "C6EFCE", "needs_review": "FFEB9C", "not_eligible": "FFC7CE", "invalid_input": "D9D9D9",
}
URGENT_FILL = "FCE4D6"  # an eligible row whose most urgent warning has a deadline
HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
DATE_FORMAT = "yyyy-mm-dd"
FROZEN_NAME_COLUMNS = 4  # 序号, 来源行, 工号, 姓名 stay in view when scrolling right
MAX_TEXT = 32767  # characters in one cell (openpyxl cuts a longer text there)



@dataclass(frozen=True)
class OutColumn:
    """One output column: its header in Chinese and English, its width, and how a row fills it.
    A new summary column is one entry in a table below."""

    zh: str
    en: str
    width: int
    cell: Callable[[SummaryWorkbook, CellSheet, Any], WriteOnlyCell]


def _text(get: Callable[[Any], object], wrap: bool = False) -> Callable[[SummaryWorkbook, CellSheet, Any],
                                                                         WriteOnlyCell]:
    return lambda _book, ws, row: text_cell(ws, get(row), wrap=wrap)


def _date(get: Callable[[Any], str | None]) -> Callable[[SummaryWorkbook, CellSheet, Any], WriteOnlyCell]:
    return lambda _book, ws, row: date_cell(ws, get(row))


def _judged(get: Callable[[RowSummary], int]) -> Callable[[RowSummary], int | None]:
    """A score, blank for a person whose input could not be judged."""
    return lambda row: get(row) if row.verdict != "invalid_input" else None


# 汇总: the lead columns, then the 人员 sheet's extra columns (部门, …), then the main columns.
LEAD_COLUMNS = (
    OutColumn("序号", "No.", 6, _text(lambda r: r.index + 1)),
    OutColumn("来源行", "Row", 11, _text(lambda r: r.source)),
    OutColumn("工号", "Employee no.", 11, _text(lambda r: r.employee_no)),
    OutColumn("姓名", "Name", 10, _text(lambda r: r.name)),
)
MAIN_COLUMNS = (
    OutColumn("身份证号", "ID number", 21, _text(lambda r: r.id_number)),
    OutColumn("申请日期", "Application date", 11, _date(lambda r: r.as_of)),
    OutColumn("结论", "Verdict", 15, lambda book, ws, r: book.verdict_cell(ws, r)),
    OutColumn("总分", "Points", 7, _text(_judged(lambda r: r.total))),
    OutColumn("有风险分", "At risk", 8, _text(_judged(lambda r: r.at_risk))),
    OutColumn("最需处理", "Most urgent", 44, lambda book, ws, r: book.urgent_cell(ws, r)),
    OutColumn("全部问题", "All problems", 60, _text(lambda r: r.problems_text(), wrap=True)),
    OutColumn("最早可申请日期", "Earliest date", 13, _date(lambda r: r.earliest_eligible)),
    OutColumn("材料清单", "Checklist", 10, lambda book, _ws, r: book.link(r.pdf)),
    OutColumn("下一步", "Next step", 50, _text(lambda r: r.next_step, wrap=True)),
)
# 行动清单 (issue 10): one row per person per step of the best route; 日期 and 达标日期 are real dates
# (issue 11), so they sort and filter. A row is (person, step number, (action, actor, ISO date, meaning)).
ACTION_COLUMNS = (
    OutColumn("工号", "Employee no.", 11, _text(lambda a: a[0].employee_no)),
    OutColumn("姓名", "Name", 10, _text(lambda a: a[0].name)),
    OutColumn("序号", "Step", 6, _text(lambda a: a[1])),
    OutColumn("步骤", "Action", 70, _text(lambda a: a[2][0], wrap=True)),
    OutColumn("办理人", "Who", 10, _text(lambda a: a[2][1])),
    OutColumn("日期", "Date", 12, _date(lambda a: a[2][2])),
    OutColumn("日期含义", "Date means", 10, _text(lambda a: a[2][3])),
    OutColumn("达标日期", "Eligible on", 12, _date(lambda a: a[0].reach_on)),
)
# 问题清单: one row per problem; a row is (person, ProblemRow).
PROBLEM_COLUMNS = (
    OutColumn("位置", "Cell", 14, _text(lambda p: p[1].where)),
    OutColumn("工号", "Employee no.", 11, _text(lambda p: p[0].employee_no)),
    OutColumn("姓名", "Name", 10, _text(lambda p: p[0].name)),
    OutColumn("级别", "Level", 9, lambda book, ws, p: text_cell(ws, book.words.code("severity_short", p[1].severity))),
    OutColumn("问题", "Problem", 60, _text(lambda p: p[1].text, wrap=True)),
    OutColumn("办法", "What to do", 50, _text(lambda p: p[1].fix, wrap=True)),
    OutColumn("期限", "Due", 11, _date(lambda p: p[1].deadline)),
)
SHEET_NAMES = {"main": ("汇总", "Summary"), "problems": ("问题清单", "Problems"), "counts": ("统计", "Counts"),
               "unmatched": ("未匹配行", "Unmatched rows"), "actions": ("行动清单", "Actions")}


def xlsx_safe(text: str) -> str:
    """Text an xlsx cell can hold: control characters (a \\x0b in a name, `_x0000_` read back
    from a workbook), lone surrogates and U+FFFE/U+FFFF become U+FFFD. Only the summary's copy changes:
    results.jsonl keeps the original text."""
    return _NOT_XML.sub("\ufffd", text)


def text_cell(ws: CellSheet, value: object, *, wrap: bool = False,
              fill: PatternFill | None = None) -> Cell:
    """A cell for any value; text that Excel would run as a formula stays literal text."""
    if isinstance(value, str):
        value = xlsx_safe(value)
        if value.startswith(FORMULA_START):
            return SheetCell(ws, value[:MAX_TEXT], "s", _style(ws, WRAP if wrap else TOP, quote=True, fill=fill))
        # A text that reads like an Excel error code (a name "#N/A" in the 人员 sheet) stays the text HR
        # typed: openpyxl would store it as an error value, which Excel shows as a failed formula.
        return SheetCell(ws, value[:MAX_TEXT], "s", _style(ws, WRAP if wrap else TOP, fill=fill))
    if value is None or type(value) is int:
        return SheetCell(ws, value, "n", _style(ws, WRAP if wrap else TOP, fill=fill))
    return Cell(ws, 1, 1, value, style_array=_style(ws, WRAP if wrap else TOP, fill=fill))


def date_cell(ws: CellSheet, text: str | None) -> Cell:
    """An ISO date as a real Excel date (sortable, filterable); anything else as text."""
    if not text:
        return SheetCell(ws, None, "n", _style(ws, TOP, number_format=DATE_FORMAT))
    try:
        value = dt.date.fromisoformat(text[:10])
    except ValueError:
        return text_cell(ws, text)
    return SheetCell(ws, value, "d", _style(ws, TOP, number_format=DATE_FORMAT))


def header_cell(ws: CellSheet, text: str) -> Cell:
    """A header cell: wrapped, bold, filled (a 人员 sheet's own header is text too). It has its own
    copy of the formats, as its font and fill change after."""
    value = xlsx_safe(text)
    formula = value.startswith(FORMULA_START)
    cell = Cell(ws, 1, 1, value, style_array=_style(ws, WRAP, quote=formula))
    if formula:
        cell.data_type = "s"
    cell.font, cell.fill = Font(bold=True), HEAD_FILL
    return cell


class SheetStyle(StyleArray):
    """A combination of cell formats shared by every cell made with it (none changes it), which
    remembers its index in the workbook's cell formats once the first of them is written."""

    __slots__ = ("xf",)


class SheetCell(Cell):
    """A summary cell, made with its value's Excel type already known and the formats it shares.

    openpyxl's own cell checks the value's type and characters and copies its formats for every
    cell (about 4 µs each; 23 cells per person), and finds each cell's index in the workbook's
    formats by hashing them as it is written. The value here is what openpyxl would store (the
    characters were replaced by `xlsx_safe`; a text is cut to Excel's 32,767 characters), except
    that a text reading like an error code such as #N/A stays text, and the index of
    the formats is looked up once per combination, when it is first written, as openpyxl does:
    the workbook's style tables come out the same."""

    __slots__ = ()
    has_style = True  # every summary cell has an alignment at least (`_style`)

    def __init__(self, ws: CellSheet, value: object, data_type: str, style: SheetStyle) -> None:
        self.parent, self._style = ws, style
        self._value, self.data_type = value, data_type
        self._hyperlink = self._comment = None

    @property
    def style_id(self) -> int:
        style = self._style
        try:
            return style.xf
        except AttributeError:
            style.xf = self.parent.parent._cell_styles.add(style)
            return style.xf


# Each combination of formats a cell gets, set up once per workbook and copied onto each cell after:
# setting a format through openpyxl hashes the whole style object on every cell (measured: a third
# of the batch parent's CPU on 2,000 staff). The first cell registers the formats, as before, so the
# workbook's style tables come out the same. The sheets of one workbook share one dict (`_sheet`).
Templates = dict[tuple[int, bool, str | None, int], tuple[Alignment, PatternFill | None, SheetStyle]]


def _style(ws: CellSheet, alignment: Alignment, *, quote: bool = False,
           number_format: str | None = None, fill: PatternFill | None = None) -> SheetStyle:
    key = (id(alignment), quote, number_format, id(fill))
    styles = ws.templates
    found = styles.get(key)
    if found is None:
        template = WriteOnlyCell(ws)
        if number_format:
            template.number_format = number_format
        if quote:
            template.quotePrefix = True
        template.alignment = alignment
        if fill is not None:
            template.fill = fill
        found = styles[key] = (alignment, fill, SheetStyle(template._style))  # kept alive with their ids
    return found[-1]


class CellSheet(WriteOnlyWorksheet):
    """A write-only sheet whose rows are lists of cells (the summary always passes cells: each has
    its formats). openpyxl's own row conversion first tries every item as a plain value, and a
    cell fails that with an exception whose message formats the cell: a fifth of writing a sheet
    (measured on 2,000 staff). Here a cell is taken as it is; a plain value still becomes a cell."""

    def __init__(self, parent: Workbook, title: str, templates: Templates) -> None:
        super().__init__(parent, title)
        self.templates = templates  # its workbook's cell formats (`_style`)

    def _values_to_row(self, values: Iterable[Any], row_idx: int) -> Iterator[Cell]:
        for col_idx, item in enumerate(values, 1):
            if item is not None:
                yield self._placed(item, col_idx, row_idx)

    def _placed(self, item: Any, col_idx: int, row_idx: int) -> Cell:
        cell = item if isinstance(item, Cell) else WriteOnlyCell(self, value=item)
        cell.column, cell.row = col_idx, row_idx
        if cell.hyperlink is not None:
            cell.hyperlink.ref = cell.coordinate
        return cell

    def _write_rows(self) -> Iterator[None]:
        """openpyxl's row stream (WriteOnlyWorksheet._write_rows), writing each row with `_write_row`."""
        try:
            xf = self._writer.xf.send(True)
        except StopIteration:
            self._already_saved()
        # The XML text of a row goes straight to the sheet's stream (et_xmlfile's writer); with lxml as
        # openpyxl's writer there is no such stream and every row goes through openpyxl.
        raw = None if LXML else getattr(xf, "_file", None)
        with xf.element("sheetData"):
            row_idx = 1
            try:
                while True:
                    row = yield
                    if raw is None or self.row_dimensions.get(row_idx):
                        self._writer.write_row(xf, self._values_to_row(row, row_idx), row_idx)
                    else:
                        self._write_row(xf, raw, row, row_idx)
                    row_idx += 1
            except GeneratorExit:
                pass
        self._writer.xf.send(None)

    def _write_row(self, xf: Any, raw: Callable[[str], object], values: Iterable[Any], row_idx: int) -> None:
        """One row as openpyxl writes it (WorksheetWriter.write_row, etree_write_cell), the same
        characters: a summary cell (`SheetCell`) of text, a whole number, a date or nothing is
        written as text here, any other cell (a link, a plain value) by openpyxl.

        Writing the cells through openpyxl built and serialised an element tree per cell (`<c>`,
        `<is>`, `<t>`): most of the batch process's CPU while the workers judge."""
        number = str(row_idx)
        parts = [f'<row r="{number}">']
        for col_idx, item in enumerate(values, 1):
            if item is None:
                continue
            text = _cell_xml(item, _LETTERS[col_idx] + number, self.parent) if type(item) is SheetCell else None
            if text is not None:
                parts.append(text)
                continue
            raw("".join(parts))
            parts = []
            cell = self._placed(item, col_idx, row_idx)
            if cell._comment is not None:
                self._comments.append(CommentRecord.from_cell(cell))
            if cell._value is not None or cell.has_style or cell._comment:
                write_cell(xf, self, cell, cell.has_style)
        parts.append("</row>")
        raw("".join(parts))


_LETTERS = [""] + [get_column_letter(i) for i in range(1, 16385)]


def _cell_xml(cell: SheetCell, ref: str, wb: Workbook) -> str | None:
    """The XML openpyxl writes for a summary cell (etree_write_cell), or None where it is not one of
    the plain kinds (then openpyxl writes it)."""
    value, kind = cell._value, cell.data_type
    head = f'<c r="{ref}" s="{cell.style_id}" t="'
    if kind == "s":
        if not value:
            return None if value is None else head + 'inlineStr" />'
        if value.strip() != value:  # openpyxl marks the text xml:space="preserve"
            return None
        return f'{head}inlineStr"><is><t>{_escape_cdata(value)}</t></is></c>'
    if kind == "n":
        if value is None:
            return head + 'n" />'
        return f'{head}n"><v>{safe_string(value)}</v></c>' if type(value) is int else None
    if kind == "d" and not wb.iso_dates and type(value) is dt.date:
        return f'{head}n"><v>{safe_string(to_excel(value, wb.epoch))}</v></c>'
    return None


def _sheet(wb: Workbook, title: str, templates: Templates) -> CellSheet:
    ws = CellSheet(parent=wb, title=title, templates=templates)
    wb._add_sheet(ws)  # what Workbook.create_sheet does for a write-only sheet
    return ws


def _print_setup(ws: WriteOnlyWorksheet, frozen: str) -> None:
    """Landscape A4, one page wide, header row on every page, name columns frozen."""
    ws.freeze_panes = frozen
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


class SummaryWorkbook:
    """Streams 汇总 and 问题清单 rows; `close` adds the other sheets and renames the file into place."""

    def __init__(self, path: Path, extra_headers: Sequence[str] = (), lang: Lang = "zh") -> None:
        self.path, self.lang = path, lang
        self.words = Words(lang)
        self.i = side(lang)
        self.extra_headers = tuple(extra_headers)
        self.wb = Workbook(write_only=True)
        templates: Templates = {}
        self.main = _sheet(self.wb, SHEET_NAMES["main"][self.i], templates)
        self.problems = _sheet(self.wb, SHEET_NAMES["problems"][self.i], templates)
        self.counts = _sheet(self.wb, SHEET_NAMES["counts"][self.i], templates)
        self.unmatched = _sheet(self.wb, SHEET_NAMES["unmatched"][self.i], templates)
        self.actions = _sheet(self.wb, SHEET_NAMES["actions"][self.i], templates)
        self.action_rows = 0
        self.rows = self.problem_rows = 0
        self._fills = {v: PatternFill("solid", fgColor=c) for v, c in VERDICT_FILL.items()}
        self._urgent = PatternFill("solid", fgColor=URGENT_FILL)
        extra = tuple(OutColumn(h, h, 12, _text(lambda r, h=h: dict(r.extra).get(h, ""), wrap=True))
                      for h in self.extra_headers)
        self.main_columns = (*LEAD_COLUMNS, *extra, *MAIN_COLUMNS)
        self._header(self.main, self.main_columns, frozen=f"{get_column_letter(FROZEN_NAME_COLUMNS + 1)}2")
        self._header(self.problems, PROBLEM_COLUMNS, frozen="D2")
        self._header(self.actions, ACTION_COLUMNS, frozen="C2")

    def _header(self, ws: CellSheet, columns: Iterable[tuple[str, str, int] | OutColumn],
                frozen: str = "A2") -> None:
        # Widths, panes and print setup go in the sheet's head: set before the first row.
        cells = []
        for n, column in enumerate(columns, start=1):
            zh, en, width = (column.zh, column.en, column.width) if isinstance(column, OutColumn) else column
            ws.column_dimensions[get_column_letter(n)].width = width
            cells.append(header_cell(ws, en if self.i else zh))
        _print_setup(ws, frozen)
        ws.append(cells)

    def add(self, row: RowSummary) -> None:
        self.main.append([c.cell(self, self.main, row) for c in self.main_columns])
        self.rows += 1
        for p in row.problems:
            self.problems.append([c.cell(self, self.problems, (row, p)) for c in PROBLEM_COLUMNS])
            self.problem_rows += 1
        for k, step in enumerate(row.steps, start=1):
            self.actions.append([c.cell(self, self.actions, (row, k, step)) for c in ACTION_COLUMNS])
            self.action_rows += 1

    def verdict_cell(self, ws: CellSheet, row: RowSummary) -> WriteOnlyCell:
        return text_cell(ws, self.words.code("verdict", row.verdict), wrap=True, fill=self._fills[row.verdict])

    def urgent_cell(self, ws: CellSheet, row: RowSummary) -> WriteOnlyCell:
        urgent = row.verdict == "eligible" and row.problems and row.problems[0].deadline
        return text_cell(ws, row.main_problem, wrap=True, fill=self._urgent if urgent else None)

    def link(self, pdf: str | None) -> WriteOnlyCell:
        if not pdf:
            return WriteOnlyCell(self.main, value="")
        cell = WriteOnlyCell(self.main, value="打开 PDF" if self.lang == "zh" else "Open PDF")
        cell.hyperlink = pdf  # relative: the link survives moving the whole output folder
        cell.style = "Hyperlink"
        return cell

    def close(self, tally: Tally, notices: list[Notice], facts: dict[str, str]) -> None:
        self.main.auto_filter.ref = f"A1:{get_column_letter(len(self.main_columns))}{self.rows + 1}"
        self.problems.auto_filter.ref = f"A1:{get_column_letter(len(PROBLEM_COLUMNS))}{self.problem_rows + 1}"
        self.actions.auto_filter.ref = f"A1:{get_column_letter(len(ACTION_COLUMNS))}{self.action_rows + 1}"
        self._write_counts(tally, facts)
        self._write_unmatched(notices)
        with atomic_file(self.path) as fh:
            self.wb.save(fh)

    def discard(self) -> None:
        """An interrupted run: finish the sheets' temp streams, write nothing (openpyxl removes
        its temp files at exit)."""
        for ws in self.wb.worksheets:
            if not ws.closed:
                ws.close()

    def _write_counts(self, tally: Tally, facts: dict[str, str]) -> None:
        ws = self.counts
        self._header(ws, (("结论", "Verdict", 22), ("人数", "People", 8), ("占比", "Share", 8)))
        for verdict in VERDICTS:
            n = tally.counts.get(verdict, 0)
            share = WriteOnlyCell(ws, value=n / tally.total if tally.total else None)
            share.number_format = "0%"
            label = text_cell(ws, self.words.code("verdict", verdict), fill=self._fills[verdict])
            ws.append([label, WriteOnlyCell(ws, value=n), share])
        ws.append([text_cell(ws, "合计" if self.lang == "zh" else "Total"), WriteOnlyCell(ws, value=tally.total)])
        ws.append([])
        for key, value in facts.items():
            number = int(value) if value.isdigit() else None  # counts as numbers, sentences as text
            ws.append([text_cell(ws, key), WriteOnlyCell(ws, value=number) if number is not None
                       else text_cell(ws, value, wrap=True)])

    def _write_unmatched(self, notices: list[Notice]) -> None:
        ws = self.unmatched
        self._header(ws, (("位置", "Cell", 14), ("类型", "Kind", 14), ("工号", "Employee no.", 12),
                          ("说明", "Note", 70)))
        # The readers' notices are Chinese; in English from render/messages_en.py, else the original in brackets.
        from jifen_check.render.messages_en import NOTICE_KINDS, english

        for n in notices:
            kind, message = n.kind, n.message
            if self.lang == "en":
                kind, message = NOTICE_KINDS.get(kind) or f"({kind})", english(message) or f"({message})"
            ws.append([text_cell(ws, n.where), text_cell(ws, kind), text_cell(ws, n.employee_no),
                       text_cell(ws, message, wrap=True)])
