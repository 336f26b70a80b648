"""Shared helpers for the batch tests (no tests here): build input workbooks and CSV folders by header."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from openpyxl import load_workbook

from jifen_check.batch.template import write_template
from jifen_check.identifiers import make_id_number, make_uscc

AS_OF = dt.date(2026, 11, 18)
USCC = make_uscc("91310115MA1K3P7Q0")


def id_number(seq: int, birth: dt.date = dt.date(1994, 5, 10)) -> str:
    return make_id_number("320102", birth, f"{seq % 1000:03d}")


def person_row(no: str, name: str, seq: int, **extra: object) -> dict[str, object]:
    row: dict[str, object] = {
        "工号": no, "姓名": name, "身份证号": id_number(seq), "户籍省份": "江苏", "人事档案": "正常",
        "居住证状态": "有效", "居住证有效期至": dt.date(2027, 9, 30), "居住证领取或签注日期": dt.date(2026, 9, 21),
        "单位名称": "上海示例科技有限公司", "单位信用代码": USCC, "单位类型": "企业",
        "合同开始日期": dt.date(2021, 3, 1), "岗位": "软件工程师",
    }
    row.update(extra)
    return row


def si_row(no: str, month: object = "2021-03..2026-11", base: object = 9000) -> dict[str, object]:
    return {"工号": no, "月份": month, "缴费基数": base, "缴费单位信用代码": USCC}


def tax_row(no: str, month: object = "2021-03..2026-10", income: object = 9500) -> dict[str, object]:
    return {"工号": no, "月份": month, "收入额": income, "扣缴单位信用代码": USCC}


def edu_row(no: str) -> dict[str, object]:
    return {"工号": no, "学历层次": "本科", "学习形式": "全日制", "有学历证书": "是", "有学位证书": "是",
            "学校": "示例大学", "专业": "软件工程", "入学日期": "2012-09", "毕业日期": "2016-07", "就读城市": "上海"}


def staff(n: int, prefix: str = "E") -> dict[str, list[dict[str, object]]]:
    """n plain eligible employees (bachelor + degree, 5+ years of social insurance)."""
    sheets: dict[str, list[dict[str, object]]] = {"人员": [], "社保": [], "个税": [], "学历": []}
    for i in range(1, n + 1):
        no = f"{prefix}{i:03d}"
        sheets["人员"].append(person_row(no, f"员工{i}", i))
        sheets["社保"].append(si_row(no))
        sheets["个税"].append(tax_row(no))
        sheets["学历"].append(edu_row(no))
    return sheets


def write_workbook(path: Path, sheets: dict[str, list[dict[str, object]]], *, keep_example: bool = False) -> Path:
    """The template, with rows appended under matching headers (example rows dropped by default)."""
    write_template(path)
    wb = load_workbook(path)
    for title in ("人员", "社保", "个税", "外地社保", "学历", "职称技能", "家庭"):
        ws = wb[title]
        if not keep_example:
            ws.delete_rows(2, ws.max_row)
        headers = [c.value for c in ws[1]]
        for row in sheets.get(title, []):
            unknown = set(row) - set(headers)
            assert not unknown, f"unknown headers {unknown} in {title}"
            ws.append([row.get(h) for h in headers])
            for cell in ws[ws.max_row]:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"  # text the user typed, as Excel stores '=..., not a formula
    wb.save(path)
    return path


def write_csv_folder(folder: Path, sheets: dict[str, list[dict[str, object]]], *, encoding: str = "utf-8-sig",
                     names: dict[str, str] | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for title, rows in sheets.items():
        headers = list(dict.fromkeys(h for row in rows for h in row))
        name = (names or {}).get(title, title)
        with (folder / f"{name}.csv").open("w", encoding=encoding, newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(headers)
            for row in rows:
                writer.writerow([_csv_text(row.get(h)) for h in headers])
    return folder


def _csv_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
