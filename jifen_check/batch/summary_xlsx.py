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
from collections.abc import Iterable, Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from jifen_check.atomic import atomic_file
from jifen_check.batch.readers import Notice
from jifen_check.batch.summary import VERDICTS, RowSummary, Tally
from jifen_check.render.plain import Lang, Words

_SURROGATE = re.compile("[\ud800-\udfff]")
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

# (header zh, header en, width); the extra 人员 columns go right after 姓名.
LEAD_COLUMNS = (("序号", "No.", 6), ("来源行", "Row", 11), ("工号", "Employee no.", 11), ("姓名", "Name", 10))
MAIN_COLUMNS = (
    ("身份证号", "ID number", 21), ("申请日期", "Application date", 11), ("结论", "Verdict", 15),
    ("总分", "Points", 7), ("有风险分", "At risk", 8), ("最需处理", "Most urgent", 44),
    ("全部问题", "All problems", 60), ("最早可申请日期", "Earliest date", 13), ("材料清单", "Checklist", 10),
    ("下一步", "Next step", 50),
)
# 行动清单 (issue 10): one row per person per step of the best route; 日期 and 达标日期 are real dates
# (issue 11), so they sort and filter.
ACTION_COLUMNS = (("工号", "Employee no.", 11), ("姓名", "Name", 10), ("序号", "Step", 6), ("步骤", "Action", 70),
                  ("办理人", "Who", 10), ("日期", "Date", 12), ("日期含义", "Date means", 10),
                  ("达标日期", "Eligible on", 12))
PROBLEM_COLUMNS = (("位置", "Cell", 14), ("工号", "Employee no.", 11), ("姓名", "Name", 10),
                   ("级别", "Level", 9), ("问题", "Problem", 60), ("办法", "What to do", 50),
                   ("期限", "Due", 11))
SHEET_NAMES = {"main": ("汇总", "Summary"), "problems": ("问题清单", "Problems"), "counts": ("统计", "Counts"),
               "unmatched": ("未匹配行", "Unmatched rows"), "actions": ("行动清单", "Actions")}


def xlsx_safe(text: str) -> str:
    """Text an xlsx cell can hold: control characters (a \\x0b in a name, `_x0000_` read back
    from a workbook) and lone surrogates become U+FFFD. Only the summary's copy changes:
    results.jsonl keeps the original text."""
    text = ILLEGAL_CHARACTERS_RE.sub("\ufffd", text)
    return _SURROGATE.sub("\ufffd", text)


def text_cell(ws: WriteOnlyWorksheet, value: object, *, wrap: bool = False) -> WriteOnlyCell:
    """A cell for any value; text that Excel would run as a formula stays literal text."""
    if isinstance(value, str):
        value = xlsx_safe(value)
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str) and value.startswith(FORMULA_START):
        cell.data_type = "s"
        cell.quotePrefix = True
    cell.alignment = WRAP if wrap else TOP
    return cell


def date_cell(ws: WriteOnlyWorksheet, text: str | None) -> WriteOnlyCell:
    """An ISO date as a real Excel date (sortable, filterable); anything else as text."""
    try:
        value: object = dt.date.fromisoformat((text or "")[:10]) if text else None
    except ValueError:
        return text_cell(ws, text)
    cell = WriteOnlyCell(ws, value=value)
    cell.number_format, cell.alignment = DATE_FORMAT, TOP
    return cell


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
        self.i = 1 if lang == "en" else 0
        self.extra_headers = tuple(extra_headers)
        self.wb = Workbook(write_only=True)
        self.main = self.wb.create_sheet(SHEET_NAMES["main"][self.i])
        self.problems = self.wb.create_sheet(SHEET_NAMES["problems"][self.i])
        self.counts = self.wb.create_sheet(SHEET_NAMES["counts"][self.i])
        self.unmatched = self.wb.create_sheet(SHEET_NAMES["unmatched"][self.i])
        self.actions = self.wb.create_sheet(SHEET_NAMES["actions"][self.i])
        self.action_rows = 0
        self.rows = self.problem_rows = 0
        self._fills = {v: PatternFill("solid", fgColor=c) for v, c in VERDICT_FILL.items()}
        self._urgent = PatternFill("solid", fgColor=URGENT_FILL)
        extra = tuple((h, h, 12) for h in self.extra_headers)
        self.main_columns = (*LEAD_COLUMNS, *extra, *MAIN_COLUMNS)
        self._header(self.main, self.main_columns, frozen=f"{get_column_letter(FROZEN_NAME_COLUMNS + 1)}2")
        self._header(self.problems, PROBLEM_COLUMNS, frozen="D2")
        self._header(self.actions, ACTION_COLUMNS, frozen="C2")

    def _header(self, ws: WriteOnlyWorksheet, columns: Iterable[tuple[str, str, int]], frozen: str = "A2") -> None:
        # Widths, panes and print setup go in the sheet's head: set before the first row.
        cells = []
        for n, column in enumerate(columns, start=1):
            ws.column_dimensions[get_column_letter(n)].width = column[2]
            cell = text_cell(ws, column[self.i], wrap=True)
            cell.font, cell.fill = Font(bold=True), HEAD_FILL
            cells.append(cell)
        _print_setup(ws, frozen)
        ws.append(cells)

    def add(self, row: RowSummary) -> None:
        ws = self.main
        extras = dict(row.extra)
        cells = [text_cell(ws, row.index + 1), text_cell(ws, row.source), text_cell(ws, row.employee_no),
                 text_cell(ws, row.name)]
        cells += [text_cell(ws, extras.get(h, ""), wrap=True) for h in self.extra_headers]
        verdict = text_cell(ws, self.words.code("verdict", row.verdict), wrap=True)
        verdict.fill = self._fills[row.verdict]
        urgent = text_cell(ws, row.main_problem, wrap=True)
        if row.verdict == "eligible" and row.problems and row.problems[0].deadline:
            urgent.fill = self._urgent
        cells += [text_cell(ws, row.id_number), date_cell(ws, row.as_of), verdict,
                  text_cell(ws, row.total if row.verdict != "invalid_input" else None),
                  text_cell(ws, row.at_risk if row.verdict != "invalid_input" else None),
                  urgent, text_cell(ws, row.problems_text(), wrap=True),
                  date_cell(ws, row.earliest_eligible), self._link(row.pdf),
                  text_cell(ws, row.next_step, wrap=True)]
        ws.append(cells)
        self.rows += 1
        self._add_problems(row)
        self._add_actions(row)

    def _add_actions(self, row: RowSummary) -> None:
        ws = self.actions
        for k, (action, actor, day, meaning) in enumerate(row.steps, start=1):
            ws.append([text_cell(ws, row.employee_no), text_cell(ws, row.name), text_cell(ws, k),
                       text_cell(ws, action, wrap=True), text_cell(ws, actor), date_cell(ws, day),
                       text_cell(ws, meaning), date_cell(ws, row.reach_on)])
            self.action_rows += 1

    def _add_problems(self, row: RowSummary) -> None:
        ws = self.problems
        for p in row.problems:
            ws.append([text_cell(ws, p.where), text_cell(ws, row.employee_no), text_cell(ws, row.name),
                       text_cell(ws, self.words.code("severity_short", p.severity)),
                       text_cell(ws, p.text, wrap=True), text_cell(ws, p.fix, wrap=True), date_cell(ws, p.deadline)])
            self.problem_rows += 1

    def _link(self, pdf: str | None) -> WriteOnlyCell:
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
            label = text_cell(ws, self.words.code("verdict", verdict))
            label.fill = self._fills[verdict]
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
        # The readers' notices are Chinese; in English they stay the original, in brackets.
        shown = (lambda text: f"({text})") if self.lang == "en" else (lambda text: text)
        for n in notices:
            ws.append([text_cell(ws, n.where), text_cell(ws, shown(n.kind)), text_cell(ws, n.employee_no),
                       text_cell(ws, shown(n.message), wrap=True)])
