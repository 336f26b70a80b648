"""Data checks (DATA-*): the input is wrong, not the applicant.

An `error` makes the verdict `invalid_input` and names the field path in the evidence; a base
outside that year's floor and ceiling is only a `warning` and the applicant is still judged.
A data error never crashes a run.
"""

from __future__ import annotations

import datetime as dt

import pytest
from builders import (
    BIRTH,
    EMPLOYER_USCC,
    ID_NUMBER,
    base_applicant,
    data_problems,
    degree,
    findings,
    has_chinese,
    run,
    si_row,
    tax_row,
    with_path,
)

from jifen_check.identifiers import check_id_number, check_uscc, id_check_char


def assert_invalid(r, rule_id: str, path: str):
    """The verdict is invalid_input and an `error` finding of `rule_id` names `path`."""
    assert r.verdict == "invalid_input"
    got = data_problems(r, rule_id)
    assert path in got, f"{rule_id} evidence {list(got)} lacks {path}"
    f = got[path]
    assert f.severity == "error"
    assert path in f.message
    assert f.remedy and has_chinese(f.remedy)
    assert r.score.lines == []
    return f


def test_builders_make_valid_identifiers():
    """DATA-ID-NUMBER, DATA-USCC: the base applicant's identifiers pass both checks."""
    assert check_id_number(ID_NUMBER, today=dt.date(2026, 11, 18)) == []
    assert check_uscc(EMPLOYER_USCC) == []
    assert ID_NUMBER[6:14] == BIRTH.strftime("%Y%m%d")


# ---------------------------------------------------------------- DATA-ID-NUMBER

def test_DATA_ID_NUMBER_bad_check_character():
    """DATA-ID-NUMBER: the 18th character is not the MOD 11-2 check character."""
    good = id_check_char(ID_NUMBER[:17])
    bad = ID_NUMBER[:17] + ("0" if good != "0" else "1")
    r = run(with_path(base_applicant(), "person.id_number", bad))
    f = assert_invalid(r, "DATA-ID-NUMBER", "person.id_number")
    assert f"校验位应为 {good}" in f.message


def test_DATA_ID_NUMBER_birth_date_disagrees():
    """DATA-ID-NUMBER: birth_date 1996-03-08 disagrees with the 19960307 in the ID number."""
    r = run(with_path(base_applicant(), "person.birth_date", "1996-03-08"))
    f = assert_invalid(r, "DATA-ID-NUMBER", "person.birth_date")
    # Issue 9 #9: the birth date in the ID is what its mask hides, so neither date is quoted.
    assert "出生日期与身份证号码中的出生日期不一致" in f.message and "1996-03-07" not in f.message


def test_DATA_ID_NUMBER_invalid_birth_date_in_id():
    """DATA-ID-NUMBER: an ID whose characters 7–14 are not a date (19960230)."""
    first17 = "32010219960230123"
    r = run(with_path(base_applicant(), "person.id_number", first17 + id_check_char(first17)))
    assert_invalid(r, "DATA-ID-NUMBER", "person.id_number")


def test_DATA_ID_NUMBER_implausible_area_code():
    """DATA-ID-NUMBER: area code starting 99 is no province."""
    first17 = "99010219960307123"
    r = run(with_path(base_applicant(), "person.id_number", first17 + id_check_char(first17)))
    assert_invalid(r, "DATA-ID-NUMBER", "person.id_number")


def test_DATA_ID_NUMBER_lowercase_x_accepted():
    """DATA-ID-NUMBER: a valid ID ending in a lower-case x is not an error."""
    # Find a sequence number whose check character is X.
    from jifen_check.identifiers import make_id_number

    idn = next(i for i in (make_id_number("320102", BIRTH, f"{s:03d}") for s in range(1000)) if i.endswith("X"))
    r = run(with_path(base_applicant(), "person.id_number", idn[:17] + "x"))
    assert findings(r, "DATA-ID-NUMBER") == []
    assert r.verdict == "eligible"


def test_DATA_ID_NUMBER_does_not_fire_for_base():
    """DATA-ID-NUMBER: valid ID, agreeing birth date."""
    assert findings(run(base_applicant()), "DATA-ID-NUMBER") == []


# ---------------------------------------------------------------- DATA-USCC

def test_DATA_USCC_bad_check_character_on_employer():
    """DATA-USCC: the employer's code with a wrong 18th character."""
    bad = EMPLOYER_USCC[:17] + ("0" if EMPLOYER_USCC[17] != "0" else "1")
    r = run(with_path(base_applicant(), "employer.uscc", bad))
    f = assert_invalid(r, "DATA-USCC", "employer.uscc")
    assert f"校验位应为 {EMPLOYER_USCC[17]}" in f.message


def test_DATA_USCC_bad_payer_code_names_row():
    """DATA-USCC: a bad payer code on social_insurance[1] names that row's field."""
    doc = base_applicant(social_insurance=[si_row("2023-01..2026-10"), si_row("2026-11", payer="91310115MA1K3P7Q0Z")])
    r = run(doc)
    assert_invalid(r, "DATA-USCC", "social_insurance[1].payer_uscc")


def test_DATA_USCC_bad_withholder_named_by_its_first_row():
    """DATA-USCC: a bad withholder code on several monthly tax rows is reported once, at its first row."""
    bad = "91310115MA1K3P7Q0Z"
    tax = [tax_row("2026-01"), tax_row("2026-02", withholder=bad), tax_row("2026-03", withholder=bad)]
    r = run(base_applicant(income_tax=tax))
    assert_invalid(r, "DATA-USCC", "income_tax[1].withholder_uscc")
    assert list(data_problems(r, "DATA-USCC")) == ["income_tax[1].withholder_uscc"]


def test_DATA_SI_MONTH_duplicate_tax_months_single_and_in_ranges():
    """DATA-SI-MONTH: a tax month given twice, as two single rows or a single row inside a range."""
    tax = [tax_row("2026-01"), tax_row("2026-02"), tax_row("2026-01", income=9000), tax_row("2025-06..2025-12"),
           tax_row("2025-09"), tax_row("2025-05"), tax_row("2025-04..2025-05")]
    r = run(base_applicant(income_tax=tax))
    got = data_problems(r, "DATA-SI-MONTH")
    assert "2026-01 与 income_tax[0] 重复" in assert_invalid(r, "DATA-SI-MONTH", "income_tax[2].month").message
    assert "2025-09 与 income_tax[3] 重复" in got["income_tax[4].month"].message
    assert "2025-05 与 income_tax[5] 重复" in got["income_tax[6].month"].message
    assert len(got) == 3
    assert findings(run(base_applicant(income_tax=[tax_row("2026-01"), tax_row("2026-02")])), "DATA-SI-MONTH") == []


def test_DATA_USCC_wrong_length():
    """DATA-USCC: a 17-character code."""
    r = run(with_path(base_applicant(), "contract.employer_uscc", EMPLOYER_USCC[:17]))
    f = assert_invalid(r, "DATA-USCC", "contract.employer_uscc")
    assert "18 位" in f.message


def test_DATA_USCC_does_not_fire_for_base():
    """DATA-USCC: all codes valid."""
    assert findings(run(base_applicant()), "DATA-USCC") == []


# ---------------------------------------------------------------- DATA-SI-MONTH

def test_DATA_SI_MONTH_duplicate_month():
    """DATA-SI-MONTH: 2025-02 listed twice for Shanghai (in the range row and again): error, invalid_input."""
    doc = base_applicant(social_insurance=[si_row("2023-01..2026-11"), si_row("2025-02")])
    r = run(doc)
    f = assert_invalid(r, "DATA-SI-MONTH", "social_insurance[1].month")
    assert "2025-02" in f.message and "social_insurance[0]" in f.message


@pytest.mark.parametrize("base", [0, -100])
def test_DATA_SI_MONTH_base_not_positive(base):
    """DATA-SI-MONTH: a base of 0 or below is an error naming social_insurance[1].base."""
    doc = base_applicant(social_insurance=[si_row("2023-01..2026-10"), si_row("2026-11", base=base)])
    r = run(doc)
    assert_invalid(r, "DATA-SI-MONTH", "social_insurance[1].base")


# Spec update (issue 7): 2026-07 on, the wage is 12577 (unverified): floor 7546, ceiling 37731.
def test_DATA_SI_MONTH_base_above_ceiling_is_warning_only():
    """DATA-SI-MONTH: 40000 in 2026-11 is above the ceiling 3 × 12577 = 37731: a warning, still judged."""
    doc = base_applicant(social_insurance=[si_row("2023-01..2026-10"), si_row("2026-11", base=40000)])
    r = run(doc)
    got = data_problems(r, "DATA-SI-MONTH")
    assert list(got) == ["social_insurance[1].base"]
    f = got["social_insurance[1].base"]
    assert f.severity == "warning"
    assert "37731" in f.message
    assert r.verdict == "eligible"
    assert r.score.total == 179


def test_DATA_SI_MONTH_base_below_floor_is_warning_only():
    """DATA-SI-MONTH: 5000 in 2026-11 is below the floor 7546: a warning, still judged."""
    doc = base_applicant(social_insurance=[si_row("2023-01..2026-10"), si_row("2026-11", base=5000)])
    r = run(doc)
    f = data_problems(r, "DATA-SI-MONTH")["social_insurance[1].base"]
    assert f.severity == "warning"
    assert "7546" in f.message
    assert r.verdict == "eligible"


def test_DATA_SI_MONTH_base_at_ceiling_is_fine():
    """DATA-SI-MONTH: exactly the ceiling (37302 in 2026-11) is inside the range."""
    doc = base_applicant(social_insurance=[si_row("2023-01..2026-10"), si_row("2026-11", base=37302)])
    assert findings(run(doc), "DATA-SI-MONTH") == []


def test_DATA_SI_MONTH_does_not_fire_for_base():
    """DATA-SI-MONTH: one range row, base 15000 within every year's floor and ceiling."""
    assert findings(run(base_applicant()), "DATA-SI-MONTH") == []


def test_DATA_SI_MONTH_month_before_first_parameter_never_crashes():
    """DATA-SI-MONTH: a contribution month before the first wage parameter (2015-01) must not crash the
    run ("A data error never crashes a run"); the applicant is still judged."""
    doc = base_applicant(social_insurance=[si_row("2015-01..2015-12", payer=None), si_row("2023-01..2026-11")])
    r = run(doc)
    assert r.verdict == "eligible"
    assert r.score.total == 179 + 3  # 12 more valid months


# ---------------------------------------------------------------- DATA-DATES

def test_DATA_DATES_future_si_month():
    """DATA-DATES: a social-insurance month 2026-12 after the application month 2026-11."""
    doc = base_applicant(social_insurance=[si_row("2023-01..2026-11"), si_row("2026-12")])
    f = assert_invalid(run(doc), "DATA-DATES", "social_insurance[1].month")
    assert "2026-12" in f.message and "2026-11" in f.message


def test_DATA_DATES_contract_end_before_start():
    """DATA-DATES: contract end 2021-12-31 before start 2022-01-01."""
    f = assert_invalid(run(with_path(base_applicant(), "contract.end", "2021-12-31")), "DATA-DATES", "contract.end")
    assert "2021-12-31" in f.message and "2022-01-01" in f.message


def test_DATA_DATES_graduation_before_enrolment():
    """DATA-DATES: graduation 2014-07 before enrolment 2014-09."""
    doc = with_path(base_applicant(), "education[0].end", "2014-07")
    assert_invalid(run(doc), "DATA-DATES", "education[0].end")


def test_DATA_DATES_future_record_date():
    """DATA-DATES: a detention dated after the application date."""
    doc = with_path(base_applicant(), "records.administrative_detentions", ["2027-01-01"])
    assert_invalid(run(doc), "DATA-DATES", "records.administrative_detentions[0]")


def test_DATA_DATES_unparseable_date():
    """DATA-DATES: contract.start "2022-13-01" is not a date."""
    assert_invalid(run(with_path(base_applicant(), "contract.start", "2022-13-01")), "DATA-DATES", "contract.start")


def test_DATA_DATES_future_permit_renewal():
    """DATA-DATES: the permit renewed after the application date."""
    doc = with_path(base_applicant(), "residence_permit.issued_or_renewed_on", "2026-11-20")
    assert_invalid(run(doc), "DATA-DATES", "residence_permit.issued_or_renewed_on")


def test_DATA_DATES_future_other_city_insurance_month():
    """DATA-DATES: other-city social insurance recorded up to 2027-05, after the application month."""
    doc = base_applicant(other_social_insurance=[{"from": "2019-01", "to": "2027-05", "city": "苏州"}])
    assert_invalid(run(doc), "DATA-DATES", "other_social_insurance[0].to")


def test_DATA_DATES_future_enrolment():
    """DATA-DATES: enrolment 2027-09 is after the application date 2026-11-18."""
    doc = base_applicant(education=[degree("bachelor", start="2027-09", end=None)])
    assert_invalid(run(doc), "DATA-DATES", "education[0].start")


def test_DATA_DATES_does_not_fire_for_base():
    """DATA-DATES: all dates consistent and in the past."""
    assert findings(run(base_applicant()), "DATA-DATES") == []


# ---------------------------------------------------------------- DATA-FORMAT

def test_DATA_FORMAT_unknown_key():
    """DATA-FORMAT: an unknown key person.nickname (misspelt or misplaced)."""
    f = assert_invalid(run(with_path(base_applicant(), "person.nickname", "小明")), "DATA-FORMAT", "person.nickname")
    assert "未知字段" in f.message


def test_DATA_FORMAT_wrong_type():
    """DATA-FORMAT: bonuses.public_service_years "many" is not an integer."""
    doc = with_path(base_applicant(), "bonuses", {"public_service_years": "many"})
    assert_invalid(run(doc), "DATA-FORMAT", "bonuses.public_service_years")


@pytest.mark.parametrize("path, value", [("employer.kind", "startup"), ("residence_permit.status", "pending"),
                                         ("education[0].level", "phd")])
def test_DATA_FORMAT_unknown_enum(path, value):
    """DATA-FORMAT: an unknown enum value names the field and the expected values."""
    f = assert_invalid(run(with_path(base_applicant(), path, value)), "DATA-FORMAT", path)
    assert value in f.message


def test_DATA_FORMAT_missing_required_section():
    """DATA-FORMAT: no employer section at all."""
    doc = base_applicant()
    del doc["employer"]
    assert_invalid(run(doc), "DATA-FORMAT", "employer")


def test_DATA_FORMAT_not_a_mapping():
    """DATA-FORMAT: the document is a list, not one applicant: invalid_input, no crash."""
    r = run([base_applicant()])
    assert r.verdict == "invalid_input"
    assert [f.rule for f in r.findings] == ["DATA-FORMAT"]


def test_DATA_FORMAT_several_errors_all_reported():
    """DATA-FORMAT: two bad fields are both reported, each with its own path."""
    doc = with_path(base_applicant(), "employer.kind", "startup")
    doc = with_path(doc, "person.nickname", "小明")
    got = data_problems(run(doc), "DATA-FORMAT")
    assert {"employer.kind", "person.nickname"} <= set(got)


def test_DATA_FORMAT_does_not_fire_for_base():
    """DATA-FORMAT: the base applicant is well formed."""
    r = run(base_applicant())
    assert findings(r, "DATA-FORMAT") == []
    assert r.verdict != "invalid_input"
