"""summary.xlsx, written as results arrive (openpyxl write-only: rows stream to disk).

Sheets: 汇总 (one row per applicant, frozen header, autofilter, verdict colours, a link to each
checklist PDF), 统计 (counts by verdict) and 未匹配行 (detail rows that matched no person, ignored
columns and sheets).

Text that starts with = + - @ (or a tab / carriage return) would be a formula in Excel: such cells
are written as strings with Excel's quote prefix, so Excel shows the literal text, and keeps it
literal even when the cell is edited.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from jifen_check.atomic import atomic_path
from jifen_check.batch.readers import Notice
from jifen_check.batch.summary import VERDICTS, RowSummary, Tally
from jifen_check.result import VERDICT_ZH

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
VERDICT_FILL = {
    "eligible": "C6EFCE", "needs_review": "FFEB9C", "not_eligible": "FFC7CE", "invalid_input": "D9D9D9",
}
HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
MAIN_COLUMNS = (
    ("序号", 6), ("来源行", 12), ("工号", 12), ("姓名", 12), ("身份证号", 21), ("申请日期", 11),
    ("结论", 16), ("结论代码", 13), ("总分", 7), ("有风险分", 9), ("阻断项/问题", 60),
    ("最早可申请日期", 14), ("材料清单", 12),
)


def text_cell(ws: WriteOnlyWorksheet, value: object) -> WriteOnlyCell:
    """A cell for any value; text that Excel would run as a formula stays literal text."""
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str) and value.startswith(FORMULA_START):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


class SummaryWorkbook:
    """Streams 汇总 rows; `close` adds the other sheets and renames the file into place."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.wb = Workbook(write_only=True)
        self.main = self.wb.create_sheet("汇总")
        self.counts = self.wb.create_sheet("统计")
        self.unmatched = self.wb.create_sheet("未匹配行")
        self.rows = 0
        self._fills = {v: PatternFill("solid", fgColor=c) for v, c in VERDICT_FILL.items()}
        self._header(self.main, MAIN_COLUMNS)

    def _header(self, ws: WriteOnlyWorksheet, columns: Iterable[tuple[str, int]]) -> None:
        # Widths and the frozen pane go in the sheet's head: set before the first row.
        cells = []
        for i, (title, width) in enumerate(columns, start=1):
            ws.column_dimensions[get_column_letter(i)].width = width
            cell = text_cell(ws, title)
            cell.font, cell.fill = Font(bold=True), HEAD_FILL
            cells.append(cell)
        ws.freeze_panes = "A2"
        ws.append(cells)

    def add(self, row: RowSummary) -> None:
        ws = self.main
        values = (row.index + 1, row.source, row.employee_no, row.name, row.id_number, row.as_of,
                  VERDICT_ZH.get(row.verdict, row.verdict), row.verdict, row.total, row.at_risk,
                  row.problems_text(), row.earliest_eligible or "")
        cells = [text_cell(ws, v) for v in values]
        for cell in cells[6:8]:
            cell.fill = self._fills[row.verdict]
        cells.append(self._link(row.pdf))
        ws.append(cells)
        self.rows += 1

    def _link(self, pdf: str | None) -> WriteOnlyCell:
        if not pdf:
            return WriteOnlyCell(self.main, value="")
        cell = WriteOnlyCell(self.main, value="打开 PDF")
        cell.hyperlink = pdf  # relative: the link survives moving the whole output folder
        cell.style = "Hyperlink"
        return cell

    def close(self, tally: Tally, notices: list[Notice], facts: dict[str, str]) -> None:
        self.main.auto_filter.ref = f"A1:{get_column_letter(len(MAIN_COLUMNS))}{self.rows + 1}"
        self._write_counts(tally, facts)
        self._write_unmatched(notices)
        with atomic_path(self.path) as tmp:
            self.wb.save(tmp)

    def discard(self) -> None:
        """An interrupted run: finish the sheets' temp streams, write nothing (openpyxl removes
        its temp files at exit)."""
        for ws in self.wb.worksheets:
            if not ws.closed:
                ws.close()

    def _write_counts(self, tally: Tally, facts: dict[str, str]) -> None:
        ws = self.counts
        self._header(ws, (("结论", 18), ("结论代码", 14), ("人数", 8), ("占比", 8)))
        for verdict in VERDICTS:
            n = tally.counts.get(verdict, 0)
            share = f"{n / tally.total:.0%}" if tally.total else ""
            cells = [text_cell(ws, v) for v in (VERDICT_ZH[verdict], verdict, n, share)]
            cells[0].fill = self._fills[verdict]
            ws.append(cells)
        ws.append([text_cell(ws, "合计"), None, tally.total])
        ws.append([])
        for key, value in facts.items():
            ws.append([text_cell(ws, key), text_cell(ws, value)])

    def _write_unmatched(self, notices: list[Notice]) -> None:
        ws = self.unmatched
        self._header(ws, (("位置", 14), ("类型", 14), ("工号", 12), ("说明", 70)))
        for n in notices:
            ws.append([text_cell(ws, v) for v in (n.where, n.kind, n.employee_no, n.message)])
