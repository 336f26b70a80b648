"""Batch readers: workbook / CSV folder / YAML folder → applicant dicts with cell maps."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook
from test_batch_helpers import (
    USCC,
    edu_row,
    id_number,
    person_row,
    si_row,
    staff,
    tax_row,
    write_csv_folder,
    write_workbook,
)

from jifen_check.applicant import Applicant
from jifen_check.batch.cells import CellError, convert
from jifen_check.batch.columns import PERSONS, SHEETS, SOCIAL_INSURANCE
from jifen_check.batch.readers import DetailStore, iter_applicants, pack, read_input, set_path, unpack
from jifen_check.batch.tables import InputError
from jifen_check.batch.template import write_template


def column(sheet, field):
    return next(c for c in sheet.columns if c.field == field)


def test_template_example_is_a_valid_applicant(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    write_template(path)
    # Left in by a clerk, the example is recognised and skipped with a note (issue 11) ...
    assert list(iter_applicants(path)) == []
    assert any(n.kind == "示例行" and "示例 张三" in n.message for n in read_input(path).notices)
    # ... and it is a valid applicant once it is made a real person.
    wb = load_workbook(path)
    for ws in (wb[name] for name in ("人员", "社保", "个税", "学历")):
        for row in ws.iter_rows(min_row=2, max_row=2):
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("示例"):
                    cell.value = cell.value.replace("示例", "样本")
    wb.save(path)
    [one] = list(iter_applicants(path))
    assert one.problems == []
    app = Applicant.model_validate(one.doc)
    assert app.employer.kind == "enterprise" and app.social_insurance[0].month == "2025-10..2026-11"
    assert one.cells["person.id_number"] == "人员!C2"


def test_template_round_trip_fill_and_read(tmp_path: Path) -> None:
    sheets = staff(3)
    sheets["职称技能"] = [{"工号": "E002", "类别": "专业技术职称", "等级": "中级职称", "取得方式": "考试",
                          "与岗位相符": "不清楚", "取得日期": dt.date(2021, 12, 15)}]
    sheets["家庭"] = [
        {"工号": "E003", "关系": "配偶", "姓名": "李红", "成员身份证号": id_number(900), "上海户籍": "是"},
        {"工号": "E003", "关系": "子女", "姓名": "王一", "出生日期": dt.date(2019, 6, 1), "随迁享受待遇": "是"},
    ]
    sheets["外地社保"] = [{"工号": "E001", "起始月份": "2015-07", "结束月份": dt.date(2017, 2, 1), "城市": "苏州"}]
    sheets["人员"][2].update({"婚姻状况": "已婚", "结婚日期": dt.date(2018, 10, 1)})
    path = write_workbook(tmp_path / "in.xlsx", sheets)
    got = list(iter_applicants(path))
    assert [a.source for a in got] == ["人员!2", "人员!3", "人员!4"]
    for a in got:
        assert a.problems == []
        Applicant.model_validate(a.doc)
    assert got[0].doc["other_social_insurance"] == [{"from": "2015-07", "to": "2017-02", "city": "苏州"}]
    assert got[1].doc["qualifications"][0]["level"] == "intermediate"
    assert got[1].doc["qualifications"][0]["matches_position"] == "unknown"
    family = got[2].doc["family"]
    assert family["marital_status"] == "married" and family["spouse"]["shanghai_hukou"] is True
    assert family["children"][0]["birth_date"] == "2019-06-01"
    assert got[2].cells["family.children[0].name"].startswith("家庭!")


def test_month_cells_accept_text_dates_and_ranges(tmp_path: Path) -> None:
    sheets = staff(1)
    sheets["社保"] = [si_row("E001", "2021-03..2026-09"), si_row("E001", dt.date(2026, 10, 1), 9100),
                     si_row("E001", dt.datetime(2026, 11, 1), 9200)]
    [a] = list(iter_applicants(write_workbook(tmp_path / "m.xlsx", sheets)))
    assert [r["month"] for r in a.doc["social_insurance"]] == ["2021-03..2026-09", "2026-10", "2026-11"]
    assert a.cells["social_insurance[1].base"] == "社保!D3"
    assert a.cells["social_insurance[2]"] == "社保!4"


def test_adjacent_equal_month_rows_become_one_range_row(tmp_path: Path) -> None:
    sheets = staff(1)
    sheets["社保"] = [si_row("E001", f"2026-0{m}") for m in range(1, 5)]  # rows 2-5: one range
    sheets["社保"] += [si_row("E001", "2026-05", 9900), si_row("E001", "2026-07", 9900)]  # new base; a gap
    sheets["社保"] += [si_row("E001", "2026-08", 9900) | {"补缴": "是"}]  # a back payment stays apart
    [a] = list(iter_applicants(write_workbook(tmp_path / "r.xlsx", sheets)))
    assert [r["month"] for r in a.doc["social_insurance"]] == ["2026-01..2026-04", "2026-05", "2026-07", "2026-08"]
    assert a.cells["social_insurance[0].base"] == "社保!D2:D5"
    assert a.cells["social_insurance[0]"] == "社保!2:5"
    assert a.cells["social_insurance[3]"] == "社保!8"
    assert a.doc["social_insurance"][3]["back_payment"] is True


def test_broken_cells_are_named_by_cell(tmp_path: Path) -> None:
    sheets = staff(2)
    sheets["社保"][1]["缴费基数"] = "一万二"
    sheets["人员"][0]["单位类型"] = "外企"
    sheets["人员"][0]["合同开始日期"] = "2021-13-45"
    path = write_workbook(tmp_path / "b.xlsx", sheets)
    first, second = iter_applicants(path)
    cells = {p.cell: p.message for p in first.problems}
    assert "人员!M2" in cells and "单位类型" in cells["人员!M2"]
    assert any(c.startswith("人员!") and "日期" in m for c, m in cells.items())
    [p] = second.problems
    assert p.cell == "社保!D3" and p.path == "social_insurance[0].base" and "必须是数字" in p.message
    assert second.doc["social_insurance"][0]["base"] == "一万二"  # passed on raw: the judge rejects it too


def test_repeated_cells_convert_alike_and_each_bad_one_is_named(tmp_path: Path) -> None:
    """Conversions are remembered per column (cells.converter): a repeated bad value is still reported
    at every cell, and TRUE is not taken for the 1 it equals in Python."""
    sheets = staff(2)
    sheets["社保"] = [si_row("E001", "2026-01", "一万二"), si_row("E001", "2026-02", "一万二"),
                     si_row("E001", "2026-03", 1), si_row("E001", "2026-04", True),
                     si_row("E002", "2026-01", "一万二"), si_row("E002", "2026-02", 1)]
    first, second = iter_applicants(write_workbook(tmp_path / "r.xlsx", sheets))
    assert [(p.cell, p.path) for p in first.problems] == [
        ("社保!D2", "social_insurance[0].base"), ("社保!D3", "social_insurance[1].base"),
        ("社保!D5", "social_insurance[3].base")]
    assert "必须是数字" in first.problems[2].message
    assert [r["base"] for r in first.doc["social_insurance"]] == ["一万二", "一万二", 1, "True"]
    assert [(p.cell, p.path) for p in second.problems] == [("社保!D6", "social_insurance[0].base")]
    assert [r["base"] for r in second.doc["social_insurance"]] == ["一万二", 1]


def test_unmatched_detail_rows_are_reported_not_dropped(tmp_path: Path) -> None:
    sheets = staff(2)
    sheets["社保"].append(si_row("E999"))
    sheets["个税"].append({"工号": None, "月份": "2026-01", "收入额": 1})
    batch = read_input(write_workbook(tmp_path / "u.xlsx", sheets))
    unmatched = [n for n in batch.notices if n.kind == "未匹配的行"]
    assert [n.where for n in unmatched] == ["社保!4", "个税!4"]
    assert "E999" in unmatched[0].message and unmatched[0].employee_no == "E999"


def test_detail_rows_wait_on_disk_until_their_person_is_judged(tmp_path: Path) -> None:
    """Memory stays flat as the list grows: the parent holds no month rows after reading."""
    batch = read_input(write_workbook(tmp_path / "m.xlsx", staff(3)))
    try:
        assert batch.store is not None
        assert all(not p.details for p in batch.items)  # spilled, not held
        loaded = batch.load(batch.items[1])
        packed = loaded.details["social_insurance"]
        assert isinstance(packed, bytes)  # passed on to the worker still pickled: the parent never unpickles
        rows = unpack(packed)
        assert [n for n, _ in rows] == [3] and {"E002", "2021-03..2026-11"} <= set(rows[0][1])
        scratch = Path(batch.store._dir.name)
        assert scratch.exists()
    finally:
        batch.close()
    assert not scratch.exists(), "the scratch database is removed"


def test_unsorted_detail_rows_keep_their_sheet_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A payroll export need not be sorted by 工号: each person gets their rows in sheet order, also
    when the store cuts one person's adjacent rows into several runs."""
    monkeypatch.setattr(DetailStore, "RUN_ROWS", 2)
    sheets = staff(2)
    months = [f"2026-{m:02d}" for m in range(1, 8)]
    owners = ["E001", "E002", "E002", "E001", "E001", "E001", "E002"]
    sheets["社保"] = [si_row(no, month, 9000 + i) for i, (no, month) in enumerate(zip(owners, months, strict=True))]
    batch = read_input(write_workbook(tmp_path / "u.xlsx", sheets))
    try:
        got = {p.employee_no: [(n, next(c for c in v if str(c).startswith("2026-"))) for n, v in unpack(batch.load(p).details["social_insurance"])]
               for p in batch.items}
    finally:
        batch.close()
    rows = list(enumerate(zip(owners, months, strict=True), start=2))
    for no in ("E001", "E002"):
        assert got[no] == [(n, month) for n, (owner, month) in rows if owner == no]


def test_a_sheet_is_parsed_when_read_or_prefetched_in_the_parser_thread() -> None:
    """calamine holds a parsed sheet whole: none is parsed before it is asked for (填写说明 never),
    the next one is parsed in the parser thread while one is read, and a sheet calamine cannot
    parse fails where its rows are read."""
    import threading

    from jifen_check.batch.tables import _SheetParser

    parsed: list[tuple[str, str]] = []

    class Sheet:
        start, end = (0, 0), (1, 1)

        def iter_rows(self):
            return iter([["工号"], ["E001"]])

    class Book:
        def get_sheet_by_name(self, name: str) -> Sheet:
            parsed.append((name, threading.current_thread().name))
            if name == "坏表":
                raise ValueError("XmlError")
            return Sheet()

    parser = _SheetParser(Book())
    try:
        rows = {name: parser.rows(name) for name in ("人员", "社保", "填写说明", "坏表")}
        assert parsed == []
        parser.prefetch("社保")
        assert list(rows["人员"]) == [(1, ["工号"]), (2, ["E001"])]
        assert list(rows["社保"]) == [(1, ["工号"]), (2, ["E001"])]
        assert [name for name, _ in parsed] == ["社保", "人员"]
        assert all(thread.startswith("jifen-sheet-parser") for _, thread in parsed)
        with pytest.raises(ValueError, match="XmlError"):
            next(rows["坏表"])
    finally:
        parser.close()
    assert "填写说明" not in [name for name, _ in parsed]


def test_workbook_errors_come_in_order_sheet_scans_then_number_of_people(tmp_path: Path) -> None:
    """Every sheet is scanned before any is parsed (xlsx_guard.py): a far cell in any sheet is the
    error even when there are also too many people."""
    from jifen_check.batch.xlsx_guard import Limits

    book = write_workbook(tmp_path / "in.xlsx", staff(3))
    with pytest.raises(InputError, match="「人员」表有 3 行，超过上限 2 人"):
        read_input(book, Limits(max_persons=2))
    wb = load_workbook(book)
    wb["个税"]["XFD5"] = "x"
    wb.save(book)
    with pytest.raises(InputError, match="「个税」表.*XFD"):
        read_input(book, Limits(max_persons=2))
    with pytest.raises(InputError, match="「个税」表.*XFD"):
        read_input(book)


def test_join_by_id_number_when_no_employee_number(tmp_path: Path) -> None:
    sheets = staff(2)
    sheets["社保"] = [{"身份证号": id_number(2), "月份": "2026-11", "缴费基数": 9000}]
    _, second = iter_applicants(write_workbook(tmp_path / "j.xlsx", sheets))
    assert second.doc["social_insurance"] == [{"month": "2026-11", "base": 9000}]


def test_duplicate_employee_number_is_an_error_on_the_later_row(tmp_path: Path) -> None:
    sheets = staff(2)
    sheets["人员"][1]["工号"] = "E001"
    _, second = iter_applicants(write_workbook(tmp_path / "d.xlsx", sheets))
    assert [p.cell for p in second.problems] == ["人员!A3"]


def test_english_headers_and_unknown_columns(tmp_path: Path) -> None:
    folder = tmp_path / "csv"
    rows = staff(1)
    english = {h: c.field for c in PERSONS.columns for h in [c.header]}
    rows["人员"] = [{english.get(k, k): v for k, v in rows["人员"][0].items()} | {"备注": "x"}]
    write_csv_folder(folder, rows, names={"人员": "persons", "社保": "social_insurance"})
    batch = read_input(folder)
    # HR's own column is carried through, not dropped (issue 11).
    assert not any("备注" in n.message for n in batch.notices) and batch.extra_headers == ("备注",)
    [a] = list(iter_applicants(folder))
    assert a.problems == [] and a.source == "persons!2" and a.extra == {"备注": "x"}
    assert a.doc["employer"]["uscc"] == USCC and len(a.doc["social_insurance"]) == 1


def test_csv_folder_in_gbk(tmp_path: Path) -> None:
    folder = write_csv_folder(tmp_path / "gbk", staff(2), encoding="gb18030")
    got = list(iter_applicants(folder))
    assert [a.doc["person"]["name"] for a in got] == ["员工1", "员工2"]
    assert got[1].cells["social_insurance[0].base"] == "社保!C3"


def test_yaml_folder(tmp_path: Path) -> None:
    (tmp_path / "b.yaml").write_text("person: {name: 乙}\n", encoding="utf-8")
    (tmp_path / "a.json").write_text('{"person": {"name": "甲"}}', encoding="utf-8")
    (tmp_path / "c.yaml").write_text("person: [unclosed\n", encoding="utf-8")
    got = list(iter_applicants(tmp_path))
    assert [a.source for a in got] == ["a.json", "b.yaml", "c.yaml"]
    assert got[0].doc["person"]["name"] == "甲"
    assert got[2].problems and got[2].problems[0].cell == "c.yaml"


def test_no_persons_sheet_is_fatal(tmp_path: Path) -> None:
    path = tmp_path / "x.xlsx"
    write_template(path)
    wb = load_workbook(path)
    del wb["人员"]
    wb.save(path)
    with pytest.raises(InputError, match="人员"):
        read_input(path)


def test_not_a_workbook_is_fatal(tmp_path: Path) -> None:
    path = tmp_path / "x.xlsx"
    path.write_text("not a zip")
    with pytest.raises(InputError):
        read_input(path)


@pytest.mark.parametrize(("value", "expected"), [
    (12000, 12000), (12000.0, 12000), ("12,000", 12000), (" 9500.5 ", 9500.5), ("¥8000", 8000),
])
def test_number_cells(value: object, expected: object) -> None:
    assert convert(value, column(SOCIAL_INSURANCE, "base")) == expected


@pytest.mark.parametrize("value", ["abc", True, "1.2.3"])
def test_bad_number_cells(value: object) -> None:
    with pytest.raises(CellError, match="缴费基数"):
        convert(value, column(SOCIAL_INSURANCE, "base"))


@pytest.mark.parametrize(("value", "expected"), [
    ("2024-1", "2024-01"), (dt.date(2024, 3, 9), "2024-03"), ("2024/01..2024/06", "2024-01..2024-06"),
    ("2024年5月", "2024-05"),
])
def test_month_cells(value: object, expected: str) -> None:
    assert convert(value, column(SOCIAL_INSURANCE, "month")) == expected


def test_date_list_and_id_cells() -> None:
    crimes = column(PERSONS, "records.general_crimes")
    assert convert("2021-03-01; 2022/4/5", crimes) == ["2021-03-01", "2022-04-05"]
    ident = column(PERSONS, "person.id_number")
    assert convert("32010219960510123x", ident) == "32010219960510123X"
    with pytest.raises(CellError, match="数字"):
        convert(3.201021996051012e17, ident)  # Excel turned it into a float: digits already lost


def test_every_enum_column_has_options_and_every_column_is_unique() -> None:
    for sheet in SHEETS:
        names = [n.casefold() for c in sheet.columns for n in c.names()]
        assert len(names) == len(set(names)), sheet.title
        for c in sheet.columns:
            assert (c.kind in ("enum", "bool", "tristate")) == bool(c.options), c.header


def test_set_path_builds_nested_lists() -> None:
    doc: dict = {}
    set_path(doc, "bonuses.awards[0].level", "municipal_special")
    set_path(doc, "bonuses.awards[0].while_in_shanghai", True)
    assert doc == {"bonuses": {"awards": [{"level": "municipal_special", "while_in_shanghai": True}]}}


def test_person_row_helper_is_complete() -> None:
    # Guards the helpers the other batch tests rely on.
    assert set(person_row("E1", "x", 1)) <= {c.header for c in PERSONS.columns}
    assert set(tax_row("E1")) | set(edu_row("E1")) >= {"工号", "月份", "学历层次"}


def test_a_sheet_is_parsed_early_only_once_the_guard_has_passed_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The 人员 sheet and the first detail sheet are parsed while the guard checks the others
    (readers._EarlyParse), each only after its own scan passed; a hostile later sheet is refused
    with the guard's message all the same, and a 人员 sheet over the person limit is never parsed."""
    from jifen_check.batch import tables, xlsx_guard
    from jifen_check.batch.xlsx_guard import Limits

    events: list[str] = []
    scan_sheet, prefetch = xlsx_guard._scan_sheet, tables._SheetParser.prefetch

    def scanned(zf, member, sheet, *args):  # type: ignore[no-untyped-def]
        scan = scan_sheet(zf, member, sheet, *args)
        events.append(f"passed {sheet}")
        return scan

    def started(self, name):  # type: ignore[no-untyped-def]
        if name not in self.pending:
            events.append(f"parse {name}")
        prefetch(self, name)

    monkeypatch.setattr(xlsx_guard, "_scan_sheet", scanned)
    monkeypatch.setattr(tables._SheetParser, "prefetch", started)
    book = write_workbook(tmp_path / "in.xlsx", staff(3))
    batch = read_input(book)
    batch.close()
    assert len(batch.items) == 3
    order = events[: events.index("passed 个税") + 1]
    assert order == ["passed 人员", "parse 人员", "passed 社保", "parse 社保", "passed 个税"]

    wb = load_workbook(book)
    wb["人员"]["A200000"] = "x"  # the guard counts rows from 100,000 on
    wb.save(book)
    events.clear()
    with pytest.raises(InputError, match="「人员」表有 199,999 行，超过上限 2 人"):
        read_input(book, Limits(max_persons=2))
    assert "parse 人员" not in events and "parse 社保" in events

    wb["个税"]["XFD5"] = "x"
    wb.save(book)
    events.clear()
    with pytest.raises(InputError, match="「个税」表.*XFD"):
        read_input(book)
    assert "parse 社保" in events and "parse 个税" not in events


def test_packed_rows_come_back_as_they_were() -> None:
    """A block of plain values is marshalled, one with a date or the UNCACHED marker pickled: both
    come back equal, with their types (True is not 1, a date stays a date, the marker a marker)."""
    from jifen_check.batch.cells import UNCACHED

    plain = (2, [["E001", "2026-01", 9000.0, True, 1, None, ""], ["E001", "2026-02", -0.0, False, 2**70, None, "中"]])
    odd = (9, [["E001", dt.date(2026, 3, 1), UNCACHED], ["E001", dt.datetime(2026, 4, 1, 8, 30), dt.timedelta(days=2)]])
    packed = pack(plain) + pack(odd) + pack((11, [["E001"]]))
    assert packed[:1] == b"M" and pack(odd)[:1] == b"P"
    rows = unpack(packed)
    assert rows == [(2, plain[1][0]), (3, plain[1][1]), (9, odd[1][0]), (10, odd[1][1]), (11, ["E001"])]
    assert [type(v) for v in rows[0][1]] == [str, str, float, bool, int, type(None), str]
    assert type(rows[2][1][2]) is type(UNCACHED) and type(rows[2][1][1]) is dt.date
