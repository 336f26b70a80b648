"""`jifen-check template`: an empty batch workbook, laid out from columns.SHEETS.

Each sheet gets the Chinese headers (required ones in red, the field guide as a cell comment),
column formats (text for IDs and 工号 so Excel keeps leading zeros and all 18 digits, dates as
dates), drop-downs for enum columns, and the example applicant. A 填写说明 sheet documents
every column.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from jifen_check.atomic import atomic_path
from jifen_check.batch.columns import GUIDE_SHEET, OPTIONS_SHEET, SHEETS, Column, Sheet, option_label

# Sheets that carry the example applicant; the others' examples appear only in 填写说明,
# so the example applicant stays a plain, eligible case.
EXAMPLE_SHEETS = ("persons", "social_insurance", "income_tax", "education")
LAST_ROW = 1_048_576
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
NUMBER_FORMATS = {"date": "yyyy-mm-dd", "month": "yyyy-mm", "id": "@", "text": "@", "number": "0.##"}
KIND_ZH = {
    "text": "文本", "id": "文本（代码）", "number": "数字", "int": "整数", "bool": "是 / 否",
    "tristate": "是 / 否 / 不清楚", "enum": "下拉选择", "date": "日期", "month": "月份或月份区间",
    "date_list": "日期列表（; 分隔）",
}
GUIDE_INTRO = (
    "jifen-check 批量输入工作簿：每位申请人在「人员」表占一行，其余各表每行用 工号（或 身份证号）关联到人员。",
    "表头为中文，也可用英文字段名；列的顺序不限。留空表示“未申报”，不会当作错误。",
    "月份可写 YYYY-MM、Excel 日期，或区间 YYYY-MM..YYYY-MM（含两端，每月数值相同）。日期写 YYYY-MM-DD。",
    "社保应包含申请当月；个税到申请月的上一个月。外地社保表填在其他城市缴纳社保的时段。",
    "第 2 行是示例申请人（工号 示例001，姓名 示例 张三）：运行时会被识别并跳过，不计入人数；也可直接删除。",
    "数据从哪里来：",
    "· 社保（每月缴费基数、缴费单位）：申请人在「随申办」App 搜索「社保缴费记录」（或一网通办 → 个人社保查询），"
    "导出或截图「城镇职工基本养老保险缴费明细」，按月抄录缴费基数；单位 HR 也可从社保经办系统导出。补缴月份在明细中标为补缴。",
    "· 个税（每月收入额、扣缴单位）：申请人在「个人所得税」App → 查询 → 收入纳税明细查询 → 工资薪金，"
    "选择年份后按月抄录「收入额」和扣缴义务人；也可导出 PDF。",
    "· 外地社保：在当地社保 App 或国家社会保险公共服务平台查询缴费时段。",
    "· 学历：学信网（chsi.com.cn）学历查询；国（境）外学历看教育部留学服务中心认证书。",
    "· 居住证有效期、签注日期：看《上海市居住证》或随申办「居住证」页面。",
    "可以这样写：月份区间 2021-01至2026-11、2020.03-2026.11、2023/05~2026/10、202305..202611 都可以；"
    "无固定期限合同的结束日期写「无固定期限」或「长期」；下拉项也可写常用说法（如 硕士、大学本科、统招、中级、正常、对）；全角数字也能识别。",
    "明细行的工号在「人员」表中找不到时，该行不会使用，并在结果 summary.xlsx 的「未匹配行」表中列出。",
    "也可以用 CSV 文件夹代替工作簿：每表一个文件，文件名为表名（人员.csv、社保.csv…）或英文名"
    "（persons.csv、social_insurance.csv、income_tax.csv、other_social_insurance.csv、education.csv、"
    "qualifications.csv、family.csv），UTF-8 或 GBK 编码，首行为表头。",
)


def write_template(path: Path) -> None:
    """Writes the empty batch workbook atomically."""
    wb = Workbook()
    wb.remove(wb.active)
    options = wb.create_sheet(OPTIONS_SHEET)
    option_ranges = _write_options(options)
    for sheet in SHEETS:
        _write_sheet(wb.create_sheet(sheet.title), sheet, option_ranges)
    _write_guide(wb.create_sheet(GUIDE_SHEET))
    options.sheet_state = "hidden"
    wb.move_sheet(options, offset=len(wb.sheetnames))
    wb.active = 0
    with atomic_path(path) as tmp:
        wb.save(tmp)


def _write_options(ws: Worksheet) -> dict[tuple[str, str], str]:
    """One column of labels per enum column; returns (sheet key, field) → range formula."""
    ranges: dict[tuple[str, str], str] = {}
    col = 0
    for sheet in SHEETS:
        for column in sheet.columns:
            if not column.options:
                continue
            col += 1
            letter = get_column_letter(col)
            ws.cell(1, col, f"{sheet.title}.{column.header}")
            for row, (_, label) in enumerate(column.options, start=2):
                ws.cell(row, col, label)
            last = len(column.options) + 1
            ranges[(sheet.key, column.field)] = f"'{OPTIONS_SHEET}'!${letter}$2:${letter}${last}"
    return ranges


def _write_sheet(ws: Worksheet, sheet: Sheet, option_ranges: dict[tuple[str, str], str]) -> None:
    for col, column in enumerate(sheet.columns, start=1):
        letter = get_column_letter(col)
        _header_cell(ws, col, column)
        ws.column_dimensions[letter].width = max(column.width, len(column.header) * 2 + 2)
        if fmt := NUMBER_FORMATS.get(column.kind):
            ws.column_dimensions[letter].number_format = fmt
        if formula := option_ranges.get((sheet.key, column.field)):
            _add_dropdown(ws, letter, formula, column)
        if sheet.key in EXAMPLE_SHEETS and column.example is not None:
            cell = ws.cell(2, col, _example_value(column))
            cell.number_format = NUMBER_FORMATS.get(column.kind, "General")
    # The 人员 sheet is wide: 工号 and 姓名 stay in view while the clerk scrolls right.
    ws.freeze_panes = "C2" if sheet.key == "persons" else "A2"


def _header_cell(ws: Worksheet, col: int, column: Column) -> None:
    cell = ws.cell(1, col, column.header)
    cell.font = Font(bold=True, color="C00000" if column.required else "000000")
    cell.fill = HEADER_FILL
    cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    note = f"{column.help}\n字段：{column.field}" + ("\n必填" if column.required else "")
    cell.comment = Comment(note, "jifen-check", width=260, height=110)


def _add_dropdown(ws: Worksheet, letter: str, formula: str, column: Column) -> None:
    # A "warning" error style: the English codes the reader also accepts can still be typed.
    dv = DataValidation(type="list", formula1=formula, allow_blank=True, errorStyle="warning",
                        showErrorMessage=True, errorTitle=column.header,
                        error="请从下拉列表中选择；确认输入无误可点“是”继续。")
    dv.add(f"{letter}2:{letter}{LAST_ROW}")
    ws.add_data_validation(dv)


def _example_value(column: Column) -> object:
    value = column.example
    if column.kind in ("enum", "bool", "tristate"):
        return option_label(column, str(value))
    if column.kind == "date" and isinstance(value, str) and len(value) == 10:
        return dt.date.fromisoformat(value)
    return value


def _write_guide(ws: Worksheet) -> None:
    for row, line in enumerate(GUIDE_INTRO, start=1):
        ws.cell(row, 1, line)
    head = ("表", "列名", "英文字段名", "必填", "类型", "可选值", "说明", "示例")
    top = len(GUIDE_INTRO) + 2
    for col, text in enumerate(head, start=1):
        cell = ws.cell(top, col, text)
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
    row = top
    for sheet in SHEETS:
        for column in sheet.columns:
            row += 1
            values = (sheet.title, column.header, column.field, "是" if column.required else "",
                      KIND_ZH[column.kind], "、".join(label for _, label in column.options),
                      column.help, _guide_example(column))
            for col, value in enumerate(values, start=1):
                ws.cell(row, col, value).alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip("ABCDEFGH", (10, 22, 36, 6, 16, 36, 60, 22), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = ws.cell(top + 1, 1)


def _guide_example(column: Column) -> str:
    if column.example is None:
        return ""
    value = _example_value(column)
    return value.isoformat() if isinstance(value, dt.date) else str(value)
