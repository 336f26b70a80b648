"""Writes samples/staff.xlsx: 30 fictional employees for `jifen-check batch`, deterministic.

    .venv/bin/python scripts/make_staff_workbook.py [OUT.xlsx]

The workbook is the `jifen-check template` layout (so drop-downs and the 填写说明 sheet come along)
with the example rows replaced. Everyone applies on 2026-11-18: social insurance runs to the
application month 2026-11, income tax to 2026-10. ID numbers and 统一社会信用代码 carry valid
check characters. A few rows are broken on purpose, to show how a batch reports them:
a non-numeric base (E028), a bad ID number (E029) and a 社保 row for 工号 E999, who is not on staff.
Months are written in all accepted forms: range rows, `YYYY-MM` text and Excel dates.
"""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import load_workbook

from jifen_check.batch.columns import FAMILY, PERSONS, SHEETS, Sheet, option_label
from jifen_check.batch.template import write_template
from jifen_check.identifiers import make_id_number, make_uscc

AS_OF = dt.date(2026, 11, 18)
ACME = make_uscc("91310115MA1K3P7Q0")  # 上海 浦东新区
ACME_NAME = "上海星河示例科技有限公司"
SUZHOU = make_uscc("91320506MA1X4B2C0")  # 苏州 吴中区: not a Shanghai registration
AVG = {(2022, 7): 11396, (2023, 7): 12183, (2024, 7): 12307, (2025, 7): 12434}  # average wage in force from
AREAS = {"江苏": "320102", "安徽": "340104", "河南": "410105", "湖南": "430102", "四川": "510104",
         "河北": "130102", "山东": "370102", "湖北": "420102", "浙江": "330106", "江西": "360102"}


def avg_wage(year: int, month: int) -> int:
    return next(v for k, v in sorted(AVG.items(), reverse=True) if (year, month) >= k)


def months(first: str, last: str) -> list[tuple[int, int]]:
    (y, m), (y2, m2) = (tuple(map(int, first.split("-"))), tuple(map(int, last.split("-"))))
    out = []
    while (y, m) <= (y2, m2):
        out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


@dataclass
class Staff:
    """One employee: the 人员 row (by field path) and detail rows (by field name)."""

    no: str
    person: dict[str, object]
    si: list[dict[str, object]] = field(default_factory=list)
    tax: list[dict[str, object]] = field(default_factory=list)
    edu: list[dict[str, object]] = field(default_factory=list)
    quals: list[dict[str, object]] = field(default_factory=list)
    family: list[dict[str, object]] = field(default_factory=list)
    other_si: list[dict[str, object]] = field(default_factory=list)


def person(no: int, name: str, province: str, birth: dt.date, **extra: object) -> Staff:
    sex = "1" if no % 2 else "2"
    fields: dict[str, object] = {
        "person.employee_no": f"E{no:03d}", "person.name": name,
        "person.id_number": make_id_number(AREAS[province], birth, f"{no % 100:02d}{sex}"),
        "person.hukou_province": province, "person.personnel_archive": "ok",
        "residence_permit.status": "valid", "residence_permit.valid_until": dt.date(2027, 9, 30),
        "residence_permit.issued_or_renewed_on": dt.date(2026, 9, 21),
        "employer.name": ACME_NAME, "employer.uscc": ACME, "employer.kind": "enterprise",
        "employer.points_system_registered": True,
        "contract.start": dt.date(2021, 3, 1), "contract.position": "软件工程师",
        "records.serious_crime": False,
    }
    fields.update({k.replace("__", "."): v for k, v in extra.items()})
    return Staff(f"E{no:03d}", fields)


def pay(s: Staff, first: str, last: str, base: object, *, form: str = "range", payer: str = ACME,
        tax_ratio: float = 1.05, **row: object) -> Staff:
    """Social insurance from first to last, and income tax to the month before the application."""
    tax_last = min(last, "2026-10")
    if form == "range":
        s.si.append({"month": f"{first}..{last}", "base": base, "payer_uscc": payer, **row})
    else:  # one row per month, as a 社保 export has them: text or real Excel dates
        for y, m in months(first, last):
            month = dt.date(y, m, 1) if form == "date" else f"{y:04d}-{m:02d}"
            s.si.append({"month": month, "base": base, "payer_uscc": payer, **row})
    if isinstance(base, int | float) and first <= tax_last and not row.get("back_payment"):
        s.tax.append({"month": f"{first}..{tax_last}", "income": round(base * tax_ratio), "withholder_uscc": payer})
    return s


def multiple(s: Staff, first: str, last: str, factor: float) -> Staff:
    """Monthly rows at `factor` × the average wage in force each month (the 2×/3× bands)."""
    for y, m in months(first, last):
        base = round(avg_wage(y, m) * factor)
        s.si.append({"month": f"{y:04d}-{m:02d}", "base": base, "payer_uscc": ACME})
        if (y, m) <= (2026, 10):
            s.tax.append({"month": f"{y:04d}-{m:02d}", "income": base + 500, "withholder_uscc": ACME})
    return s


def degree(s: Staff, level: str, start: str, end: str, *, mode: str = "full_time", degree_: bool = True,
           school: str = "示例大学", major: str = "计算机科学与技术", city: str = "上海") -> Staff:
    s.edu.append({"level": level, "mode": mode, "diploma": True, "degree": degree_, "school": school,
                  "major": major, "start": start, "end": end, "study_city": city, "chsi_verifiable": True,
                  "foreign": False})
    return s


def staff() -> list[Staff]:
    d = dt.date
    out = [
        degree(pay(person(1, "周佳怡", "江苏", d(1996, 5, 10)), "2021-03", "2026-11", 9000), "bachelor", "2014-09", "2018-07"),
        degree(pay(person(2, "陈浩然", "安徽", d(1991, 8, 2)), "2021-03", "2026-11", 15000, form="month"),
               "master", "2013-09", "2016-07"),
        degree(multiple(person(3, "林思远", "浙江", d(1988, 1, 15), contract__position="架构师"), "2022-11", "2026-11", 3.0),
               "master", "2010-09", "2013-07", school="浙江示例大学", city="杭州"),
        degree(multiple(person(4, "王雨桐", "河南", d(1990, 11, 3)), "2022-11", "2026-11", 2.0),
               "bachelor", "2008-09", "2012-07", city="郑州"),
        _title(degree(pay(person(5, "赵一鸣", "湖南", d(1989, 4, 21), contract__position="电气工程师"),
                          "2020-01", "2026-11", 14000), "junior_college", "2007-09", "2010-07", degree_=False,
                      city="长沙", major="电气自动化技术"), "intermediate", "exam", True),
        degree(pay(person(6, "孙晓雯", "四川", d(1997, 2, 14)), "2024-01", "2026-11", 7600),
               "junior_college", "2015-09", "2018-07", degree_=False, city="成都"),
        degree(pay(pay(person(7, "钱立新", "河北", d(1993, 9, 9)), "2021-03", "2025-06", 11000),
                   "2026-06", "2026-11", 11000), "bachelor", "2011-09", "2015-07", city="石家庄"),
        degree(pay(person(8, "吴佩琪", "山东", d(1992, 7, 7), employer__uscc=SUZHOU,
                          employer__name="星河示例科技（苏州）有限公司", contract__employer_uscc=SUZHOU),
                   "2021-03", "2026-11", 12000, payer=SUZHOU), "bachelor", "2010-09", "2014-07", city="济南"),
        _spouse(degree(pay(person(9, "黄文博", "河北", d(1985, 11, 30), family__marital_status="married",
                                  family__marriage_date=d(2016, 5, 20)), "2020-01", "2026-11", 10500),
                       "junior_college", "2004-09", "2007-07", degree_=False, city="石家庄")),
        degree(pay(person(10, "郑可欣", "安徽", d(1994, 3, 3)), "2021-03", "2026-11", 9800),
               "bachelor", "2016-03", "2018-07", mode="self_study", city="合肥"),
        degree(_backpaid(person(11, "冯子涵", "湖北", d(1995, 12, 12))), "bachelor", "2013-09", "2017-07", city="武汉"),
        degree(pay(person(12, "褚明轩", "江西", d(1991, 6, 6), residence_permit__valid_until=d(2026, 12, 20)),
                   "2021-03", "2026-11", 13000), "bachelor", "2009-09", "2013-07", city="南昌"),
        degree(pay(person(13, "卫思琪", "江苏", d(1998, 1, 8), residence_permit__status="temporary"),
                   "2022-07", "2026-11", 9000), "bachelor", "2016-09", "2020-07", city="南京"),
        degree(pay(person(14, "蒋博文", "浙江", d(1990, 10, 1), contract__end=d(2027, 2, 28)),
                   "2021-03", "2026-11", 12500), "bachelor", "2008-09", "2012-07", city="杭州"),
        degree(pay(person(15, "沈雨萱", "湖南", d(1992, 2, 29), person__personnel_archive="lost"),
                   "2021-03", "2026-11", 12000), "bachelor", "2010-09", "2014-07", city="长沙"),
        degree(pay(person(16, "韩建国", "山东", d(1968, 5, 5), contract__position="行政主管"),
                   "2016-01", "2026-11", 12000), "bachelor", "1986-09", "1990-07", city="济南"),
        degree(pay(person(17, "杨晨曦", "四川", d(1996, 8, 18), employer__kind="labor_dispatch",
                          employer__dispatch_license=False), "2022-03", "2026-11", 9000),
               "bachelor", "2014-09", "2018-07", city="成都"),
        _title(degree(pay(person(18, "朱嘉怡", "河南", d(1990, 9, 19), contract__position="会计"),
                          "2020-01", "2026-11", 13000), "junior_college", "2008-09", "2011-07", degree_=False,
                      city="郑州", major="会计"), "intermediate", "review", "unknown"),
        degree(pay(person(19, "秦天宇", "湖北", d(1993, 4, 4), residence_permit__issued_or_renewed_on=d(2026, 11, 17)),
                   "2021-03", "2026-11", 11000), "bachelor", "2011-09", "2015-07", city="武汉"),
        degree(pay(person(20, "尤静怡", "江西", d(2002, 6, 1), bonuses__fresh_graduate=True,
                          contract__start=d(2026, 7, 1)), "2026-07", "2026-11", 8000),
               "bachelor", "2022-09", "2026-06", city="上海"),
        degree(pay(person(21, "许海峰", "江苏", d(1989, 12, 25), bonuses__remote_area__area="临港",
                          bonuses__remote_area__full_years=6, bonuses__remote_area__works_and_lives=True),
                   "2019-01", "2026-11", 10000), "junior_college", "2007-09", "2010-07", degree_=False, city="南京"),
        degree(pay(person(22, "何振宇", "安徽", d(1991, 1, 31), records__administrative_detentions=f"{d(2023, 8, 1)}"),
                   "2020-01", "2026-11", 12000), "bachelor", "2009-09", "2013-07", city="合肥"),
        degree(pay(person(23, "吕志强", "河北", d(1987, 7, 17), records__serious_crime=True),
                   "2020-01", "2026-11", 12000), "bachelor", "2005-09", "2009-07", city="石家庄"),
        degree(pay(person(24, "施雅琴", "浙江", d(1986, 3, 8), contract__position="研究员"), "2019-01", "2026-11", 22000),
               "doctor", "2009-09", "2014-07", school="复旦示例大学"),
        degree(pay(person(25, "张子轩", "山东", d(1982, 10, 10)), "2018-01", "2026-11", 12000, form="month"),
               "bachelor", "2000-09", "2004-07", city="济南"),
        degree(pay(person(26, "孔令仪", "湖南", d(1995, 5, 25), records__family_planning_violation=True),
                   "2021-03", "2026-11", 9900, tax_ratio=0.7),
               "bachelor", "2013-09", "2017-07", city="长沙"),
        _other_city(degree(pay(person(27, "曹梦瑶", "四川", d(1994, 11, 11)), "2023-01", "2026-11", 10000),
                           "bachelor", "2012-09", "2016-07", city="成都")),
        # Broken on purpose: a base typed as words, a mistyped ID number.
        degree(pay(person(28, "严浩宇", "江西", d(1992, 8, 8)), "2021-03", "2026-11", "一万二"),
               "bachelor", "2010-09", "2014-07", city="南昌"),
        degree(pay(person(29, "华晓东", "河南", d(1990, 1, 1)), "2021-03", "2026-11", 11000),
               "bachelor", "2008-09", "2012-07", city="郑州"),
        degree(pay(person(30, "金美玲", "江苏", d(1997, 9, 27)), "2021-03", "2026-11", 8800),
               "bachelor", "2015-09", "2019-07", city="南京"),
    ]
    broken_id = str(out[28].person["person.id_number"])
    out[28].person["person.id_number"] = broken_id[:17] + ("0" if broken_id[17] != "0" else "1")
    return out


def _backpaid(s: Staff) -> Staff:
    """Monthly rows as Excel dates, with 2025-02 paid late (补缴)."""
    pay(s, "2021-03", "2025-01", 9500, form="date")
    pay(s, "2025-02", "2025-02", 9500, form="date", back_payment=True)
    s.tax.append({"month": "2025-02", "income": 9975, "withholder_uscc": ACME})
    return pay(s, "2025-03", "2026-11", 9500, form="date")


def _title(s: Staff, level: str, by: str, matches: object) -> Staff:
    s.quals.append({"kind": "professional_title", "level": level, "name": "工程师", "obtained_on": dt.date(2021, 12, 15),
                    "obtained_by": by, "obtained_city": "上海", "matches_position": matches, "appointed": True})
    return s


def _spouse(s: Staff) -> Staff:
    s.family.append({"relation": "spouse", "name": "沈晓雯",
                     "member_id_number": make_id_number("310104", dt.date(1987, 6, 14), "022"),
                     "shanghai_hukou": True, "shares_benefits": True})
    s.family.append({"relation": "child", "name": "黄子墨", "birth_date": dt.date(2018, 3, 12),
                     "shares_benefits": True, "in_high_school": False})
    return s


def _other_city(s: Staff) -> Staff:
    s.other_si.append({"from": "2016-08", "to": "2022-12", "city": "成都"})
    return s


def _cell_value(sheet: Sheet, field_name: str, value: object) -> object:
    column = next(c for c in sheet.columns if c.field == field_name)
    if column.options and not isinstance(value, str | bool):
        return value
    if column.options:
        return option_label(column, str(value).lower() if isinstance(value, bool) else value)
    return value


def _row(sheet: Sheet, values: dict[str, object], no: str) -> list[object]:
    row: list[object] = []
    for column in sheet.columns:
        if column.field == "employee_no":
            row.append(no)
        elif column.field in values:
            value = values[column.field]
            if isinstance(value, bool) and column.options:
                value = "true" if value else "false"
            row.append(_cell_value(sheet, column.field, value))
        else:
            row.append(None)
    return row


def write(path: Path) -> None:
    write_template(path)
    wb = load_workbook(path)
    by_key = {s.key: s for s in SHEETS}
    for sheet in SHEETS:
        ws = wb[sheet.title]
        ws.delete_rows(2, ws.max_row)  # drop the template's example applicant
    everyone = staff()
    for s in everyone:
        wb[PERSONS.title].append(_row(PERSONS, s.person, s.no))
        for key, rows in (("social_insurance", s.si), ("income_tax", s.tax), ("education", s.edu),
                          ("qualifications", s.quals), ("family", s.family),
                          ("other_social_insurance", s.other_si)):
            for r in rows:
                wb[by_key[key].title].append(_row(by_key[key], r, s.no))
    # A 社保 row for someone not on the staff list: the batch reports it as unmatched.
    wb[by_key["social_insurance"].title].append(_row(by_key["social_insurance"],
                                                     {"month": "2026-11", "base": 9000, "payer_uscc": ACME}, "E999"))
    _date_formats(wb)
    wb.properties.created = wb.properties.modified = dt.datetime(2026, 11, 18)
    wb.save(path)


def _date_formats(wb: object) -> None:
    for sheet in (*SHEETS, FAMILY):
        ws = wb[sheet.title]  # type: ignore[index]
        for i, column in enumerate(sheet.columns, start=1):
            fmt = {"date": "yyyy-mm-dd", "month": "yyyy-mm"}.get(column.kind)
            if fmt:
                for (cell,) in ws.iter_rows(min_row=2, min_col=i, max_col=i):
                    cell.number_format = fmt


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[1] / "samples" / "staff.xlsx"
    write(target)
    print(f"wrote {target}")
