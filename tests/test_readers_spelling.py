"""The batch readers accept what clerks type: range spellings, open-ended contracts, synonyms,
full-width digits. One synonyms table (rulesets/reference/synonyms.yaml) serves every reader."""

from __future__ import annotations

import datetime as dt

import pytest

from jifen_check.batch.cells import CellError, convert, synonyms
from jifen_check.batch.columns import SHEETS, Column


def column(sheet: str, field: str) -> Column:
    wanted = next(s for s in SHEETS if s.title == sheet)
    return next(c for c in wanted.columns if c.field == field)


SI_MONTH = column("社保", "month")


@pytest.mark.parametrize(("typed", "read"), [
    ("2021-01至2026-11", "2021-01..2026-11"),
    ("2020.03-2026.11", "2020-03..2026-11"),
    ("2023/05~2026/10", "2023-05..2026-10"),
    ("2023/05～2026/10", "2023-05..2026-10"),
    ("202305..202611", "2023-05..2026-11"),
    ("2023-05..2026-11", "2023-05..2026-11"),
    ("2021年1月至2026年11月", "2021-01..2026-11"),
    ("2021-01 到 2026-11", "2021-01..2026-11"),
    ("2021-01—2026-11", "2021-01..2026-11"),
    ("202305", "2023-05"),
    (202305, "2023-05"),
    ("２０２５－０３", "2025-03"),
    ("2025.03", "2025-03"),
    (dt.date(2025, 3, 1), "2025-03"),
])
def test_month_spellings(typed: object, read: str) -> None:
    assert convert(typed, SI_MONTH) == read


@pytest.mark.parametrize("typed", ["2025-13", "去年", "2021-01至", "2021-01至2026-11至2027-01", "20231"])
def test_bad_months_still_fail_with_a_chinese_message(typed: str) -> None:
    with pytest.raises(CellError, match="月份"):
        convert(typed, SI_MONTH)


@pytest.mark.parametrize("typed", ["无固定期限", "长期", "无期限", "不定期", " 无固定期限 "])
def test_open_ended_contract(typed: str) -> None:
    assert convert(typed, column("人员", "contract.end")) is None


def test_open_ended_words_are_only_for_the_contract_end() -> None:
    with pytest.raises(CellError):
        convert("长期", column("人员", "contract.start"))


@pytest.mark.parametrize(("sheet", "field", "typed", "code"), [
    ("学历", "level", "硕士", "master"),
    ("学历", "level", "大学本科", "bachelor"),
    ("学历", "level", "专科", "junior_college"),
    ("学历", "level", "博士研究生", "doctor"),
    ("学历", "mode", "统招", "full_time"),
    ("学历", "mode", "自考", "self_study"),
    ("学历", "mode", "电大", "open_university"),
    ("学历", "mode", "full_time", "full_time"),
    ("学历", "mode", "全日制", "full_time"),
    ("职称技能", "level", "中级", "intermediate"),
    ("职称技能", "level", "副高", "senior"),
    ("职称技能", "level", "技师", "2"),
    ("职称技能", "level", "三级", "3"),
    ("职称技能", "kind", "职称", "professional_title"),
    ("人员", "person.personnel_archive", "正常", "ok"),
    ("人员", "residence_permit.status", "正常", "valid"),
    ("人员", "residence_permit.status", "有效", "valid"),
    ("人员", "employer.kind", "公司", "enterprise"),
    ("人员", "family.marital_status", "已婚", "married"),
    ("家庭", "relation", "妻子", "spouse"),
    ("家庭", "relation", "女儿", "child"),
])
def test_enum_synonyms(sheet: str, field: str, typed: str, code: str) -> None:
    assert convert(typed, column(sheet, field)) == code


@pytest.mark.parametrize(("typed", "value"), [("对", True), ("是", True), ("Y", True), ("√", True),
                                                ("否", False), ("不", False), ("没有", False), ("Ｙ", True)])
def test_yes_no_words(typed: str, value: bool) -> None:
    assert convert(typed, column("社保", "back_payment")) is value


def test_unknown_answer_for_tristate() -> None:
    assert convert("不确定", column("职称技能", "matches_position")) == "unknown"
    assert convert("对", column("职称技能", "matches_position")) is True


def test_unknown_words_still_fail() -> None:
    with pytest.raises(CellError, match="应为以下之一"):
        convert("很好", column("人员", "residence_permit.status"))


@pytest.mark.parametrize(("typed", "read"), [
    ("３２０１０２１９９６０５１０１２３９", "320102199605101239"),
    ("３２０１０２１９９６０５１０１２３ｘ", "32010219960510123X"),
])
def test_full_width_id_digits(typed: str, read: str) -> None:
    assert convert(typed, column("人员", "person.id_number")) == read


@pytest.mark.parametrize(("typed", "read"), [("９０００", 9000), ("１２，３４５", 12345), ("９０００元", 9000)])
def test_full_width_numbers(typed: str, read: int) -> None:
    assert convert(typed, column("社保", "base")) == read


def test_full_width_dates() -> None:
    assert convert("２０２２－０１－０１", column("人员", "contract.start")) == "2022-01-01"
    assert convert("２０２２年１月１日", column("人员", "contract.start")) == "2022-01-01"


def test_no_synonym_is_ambiguous_within_a_column() -> None:
    """A word that selects two codes of the same column would be read as the first: forbidden."""
    codes = synonyms()["codes"]
    for sheet in SHEETS:
        for col in sheet.columns:
            seen: dict[str, str] = {}
            for code, label in col.options:
                for word in codes.get(code, set()) | {label.casefold(), code.casefold()}:
                    assert seen.setdefault(word, code) == code, (sheet.title, col.header, word)
