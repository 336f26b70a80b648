"""Gates (PRE-*) and vetoes (VETO-*): each fires on its failing case and stays silent otherwise.

Every test names the rule ID exactly in its docstring. The base applicant (tests/builders.py)
applies on 2026-11-18, so the application month is 2026-11 and the 6-of-12 window 2025-11..2026-10.
"""

from __future__ import annotations

import datetime as dt

import pytest
from builders import (
    EMPLOYER_USCC,
    NONLOCAL_USCC,
    applicant_on,
    assert_blocker,
    assert_line,
    base_applicant,
    finding,
    findings,
    id_for_birth,
    line,
    run,
    si_row,
    tweak,
    with_employer,
    with_path,
)

from jifen_check import workdays

# ---------------------------------------------------------------- PRE-PERMIT-VALID


@pytest.mark.parametrize("status", ["expired", "temporary", "none"])
def test_PRE_PERMIT_VALID_fires_for_status_other_than_valid(status):
    """PRE-PERMIT-VALID: a 临时居住证, an expired permit or none fails (blocker)."""
    doc = with_path(base_applicant(), "residence_permit.status", status)
    r = run(doc)
    f = assert_blocker(r, "PRE-PERMIT-VALID")
    # The message speaks Chinese to HR, not the input's enum code.
    assert {"expired": "已过期", "temporary": "临时居住证", "none": "未办理"}[status] in f.message
    assert f"「{status}」" not in f.message
    assert "residence_permit" in f.evidence
    assert f.confidence == "official"


def test_PRE_PERMIT_VALID_fires_when_valid_until_before_application_date():
    """PRE-PERMIT-VALID: status says valid but the permit ran out the day before the application."""
    doc = with_path(base_applicant(), "residence_permit.valid_until", "2026-11-17")
    r = run(doc)
    f = assert_blocker(r, "PRE-PERMIT-VALID")
    assert "2026-11-17" in f.message
    # An invalid permit is not "expiring": that warning is only for a valid one.
    assert findings(r, "PIT-PERMIT-EXPIRING") == []


def test_PRE_PERMIT_VALID_does_not_fire_when_valid_through_application_date():
    """PRE-PERMIT-VALID: a permit valid until the application date itself is valid on that date."""
    doc = with_path(base_applicant(), "residence_permit.valid_until", "2026-11-18")
    r = run(doc)
    assert findings(r, "PRE-PERMIT-VALID") == []
    assert finding(r, "PIT-PERMIT-EXPIRING").severity == "warning"


def test_PRE_PERMIT_VALID_does_not_fire_for_base():
    """PRE-PERMIT-VALID: the base applicant's permit is valid until 2027-09-30."""
    r = run(base_applicant())
    assert findings(r, "PRE-PERMIT-VALID") == []
    assert r.verdict == "eligible"


# ---------------------------------------------------------------- PRE-PERMIT-SYNC

def test_sync_date_counted_by_hand_matches_workdays():
    """PRE-PERMIT-SYNC: renewed Wed 2026-09-30. 10-01..10-07 are holidays; Thu 10-08, Fri 10-09 and
    Sat 10-10 (调休上班) are the 3 working days, so the first usable date is Sat 2026-10-10."""
    renewed = dt.date(2026, 9, 30)
    for d in (dt.date(2026, 10, i) for i in range(1, 8)):
        assert not workdays.is_working_day(d)
    assert workdays.is_working_day(dt.date(2026, 10, 8))
    assert workdays.is_working_day(dt.date(2026, 10, 9))
    assert workdays.is_working_day(dt.date(2026, 10, 10))
    assert workdays.working_days_between(renewed, dt.date(2026, 10, 9)) == 2
    assert workdays.first_usable_date(renewed, 3) == dt.date(2026, 10, 10)


def test_PRE_PERMIT_SYNC_fires_two_working_days_after_renewal():
    """PRE-PERMIT-SYNC: as of 2026-10-09 only 2 working days have passed since the 2026-09-30
    renewal: blocker for today, with the first usable date 2026-10-10 as deadline."""
    doc = applicant_on("2026-10-09", renewed_on="2026-09-30")
    r = run(doc)
    f = assert_blocker(r, "PRE-PERMIT-SYNC")
    assert f.deadline == "2026-10-10"
    assert "2026-10-10" in f.message and "2026-09-30" in f.message
    assert "2026-10-10" in f.remedy
    assert f.evidence == ["residence_permit.issued_or_renewed_on"]
    assert {x.rule for x in r.blockers()} == {"PRE-PERMIT-SYNC"}
    assert r.earliest_eligible == "2026-10-10"


def test_PRE_PERMIT_SYNC_does_not_fire_on_the_make_up_working_day():
    """PRE-PERMIT-SYNC: Sat 2026-10-10 (a 调休 working day) is the 3rd working day: the wait is over."""
    r = run(applicant_on("2026-10-10", renewed_on="2026-09-30"))
    assert findings(r, "PRE-PERMIT-SYNC") == []


def test_PRE_PERMIT_SYNC_does_not_fire_on_first_usable_date():
    """PRE-PERMIT-SYNC: on 2026-10-11 the three working days have passed."""
    r = run(applicant_on("2026-10-11", renewed_on="2026-09-30"))
    assert findings(r, "PRE-PERMIT-SYNC") == []
    assert r.verdict == "eligible"


def test_PRE_PERMIT_SYNC_uncovered_year_counts_plain_weekdays_and_says_so():
    """PRE-PERMIT-SYNC: renewed Thu 2026-12-31; 2027 is not in the holiday calendar, so Fri 01-01,
    Mon 01-04 and Tue 01-05 are the working days (plain Monday–Friday), first usable 2027-01-05;
    the message says the calendar was not available."""
    assert workdays.first_usable_date(dt.date(2026, 12, 31), 3) == dt.date(2027, 1, 5)
    r = run(applicant_on("2027-01-04", renewed_on="2026-12-31"))
    f = assert_blocker(r, "PRE-PERMIT-SYNC")
    assert f.deadline == "2027-01-05"
    assert "按周一至周五计算" in f.message
    assert r.earliest_eligible == "2027-01-05"


def test_PRE_PERMIT_SYNC_does_not_fire_for_base():
    """PRE-PERMIT-SYNC: renewed 2026-09-20, applying 2026-11-18: long past the wait."""
    assert findings(run(base_applicant()), "PRE-PERMIT-SYNC") == []


# ---------------------------------------------------------------- PRE-EMPLOYED-NOW

def test_PRE_EMPLOYED_NOW_fires_without_record_for_application_month():
    """PRE-EMPLOYED-NOW: social insurance paid through 2026-10, none for the application month 2026-11."""
    doc = base_applicant(social_insurance=[si_row("2023-01..2026-10")])
    r = run(doc)
    f = assert_blocker(r, "PRE-EMPLOYED-NOW")
    assert "2026-11" in f.message
    assert "没有" in f.message


def test_PRE_EMPLOYED_NOW_fires_when_application_month_is_back_payment_only():
    """PRE-EMPLOYED-NOW: the 2026-11 record is a back-payment (补缴): not normal employment."""
    doc = base_applicant(social_insurance=[si_row("2023-01..2026-10"), si_row("2026-11", back_payment=True)])
    r = run(doc)
    f = assert_blocker(r, "PRE-EMPLOYED-NOW")
    assert "补缴" in f.message and "2026-11" in f.message
    assert "social_insurance[1]" in f.evidence
    assert finding(r, "PIT-BACKPAY").severity == "info"


def test_PRE_EMPLOYED_NOW_fires_when_contract_does_not_cover_application_date():
    """PRE-EMPLOYED-NOW: the labour contract ended 2026-10-31, before the application date."""
    doc = with_path(base_applicant(), "contract.end", "2026-10-31")
    r = run(doc)
    f = assert_blocker(r, "PRE-EMPLOYED-NOW")
    assert "2026-10-31" in f.message and "2026-11-18" in f.message


def test_PRE_EMPLOYED_NOW_does_not_fire_for_base():
    """PRE-EMPLOYED-NOW: 2026-11 paid normally by the contract employer."""
    assert findings(run(base_applicant()), "PRE-EMPLOYED-NOW") == []


# ---------------------------------------------------------------- PRE-SI-6OF12

def five_of_twelve() -> dict:
    # Window 2025-11..2026-10: only 2026-06..2026-10 paid (5 months); 2026-11 is paid too.
    return base_applicant(social_insurance=[si_row("2023-01..2025-05"), si_row("2026-06..2026-11")])


def test_PRE_SI_6OF12_fires_with_5_of_12():
    """PRE-SI-6OF12: 5 paid months in the 12 months before the application month: blocker."""
    r = run(five_of_twelve())
    f = assert_blocker(r, "PRE-SI-6OF12")
    assert "2025-11–2026-10" in f.message
    assert "5 个月" in f.message and "2026-06–2026-10" in f.message
    assert "2026-12" in f.remedy
    assert f.deadline == "2026-12"


def test_PRE_SI_6OF12_earliest_is_first_of_next_month():
    """PRE-SI-6OF12: paying on, the window 2025-12..2026-11 holds 6 months: eligible from 2026-12-01."""
    r = run(five_of_twelve())
    assert {f.rule for f in r.blockers()} == {"PRE-SI-6OF12"}
    assert r.earliest_eligible == "2026-12-01"


def test_PRE_SI_6OF12_back_payments_do_not_count():
    """PRE-SI-6OF12: 5 normal months plus a back-paid 2025-12 still make only 5."""
    doc = base_applicant(social_insurance=[si_row("2023-01..2025-05"), si_row("2025-12", back_payment=True),
                                           si_row("2026-06..2026-11")])
    r = run(doc)
    f = assert_blocker(r, "PRE-SI-6OF12")
    assert "5 个月" in f.message


def test_PRE_SI_6OF12_application_month_not_in_window():
    """PRE-SI-6OF12: 2026-06..2026-11 is 6 months, but 2026-11 is the application month itself."""
    doc = base_applicant(social_insurance=[si_row("2026-06..2026-11")])
    r = run(doc)
    assert "5 个月" in assert_blocker(r, "PRE-SI-6OF12").message


def test_PRE_SI_6OF12_transferred_in_months_are_not_shanghai_contributions():
    """PRE-SI-6OF12: 2025-11..2026-04 transferred in from another city plus 2026-10 paid in Shanghai:
    only 1 month of Shanghai social insurance in the window 2025-11..2026-10 → blocker."""
    doc = base_applicant(social_insurance=[si_row("2025-11..2026-04", payer=None, transferred_in=True),
                                           si_row("2026-10..2026-11")])
    r = run(doc)
    f = assert_blocker(r, "PRE-SI-6OF12")
    assert "1 个月" in f.message


def test_PRE_SI_6OF12_does_not_fire_with_exactly_6_of_12():
    """PRE-SI-6OF12: 2026-05..2026-10 is 6 months of the window: passes."""
    doc = base_applicant(social_insurance=[si_row("2023-01..2025-05"), si_row("2026-05..2026-11")])
    r = run(doc)
    assert findings(r, "PRE-SI-6OF12") == []
    assert r.verdict == "eligible"


# ---------------------------------------------------------------- PRE-EMPLOYER-SH

def test_PRE_EMPLOYER_SH_fires_for_non_shanghai_uscc_region():
    """PRE-EMPLOYER-SH: a USCC whose characters 3–8 are 320505 (苏州) is not a Shanghai unit."""
    r = run(with_employer(base_applicant(), NONLOCAL_USCC))
    f = assert_blocker(r, "PRE-EMPLOYER-SH")
    assert "320505" in f.message
    assert "employer.uscc" in f.evidence
    assert {x.rule for x in r.blockers()} == {"PRE-EMPLOYER-SH"}


def test_PRE_EMPLOYER_SH_non_shanghai_employer_has_no_earliest_date():
    """PRE-EMPLOYER-SH: time does not cure a non-Shanghai employer: earliest_eligible is None."""
    r = run(with_employer(base_applicant(), NONLOCAL_USCC))
    assert r.verdict == "not_eligible"
    assert r.earliest_eligible is None


@pytest.mark.parametrize("kind, words", [("branch_of_nonlocal", "外省市的分支机构"),
                                         ("nonlocal_representative_office", "驻沪机构")])
def test_PRE_EMPLOYER_SH_fires_for_nonlocal_kinds(kind, words):
    """PRE-EMPLOYER-SH: branch_of_nonlocal and nonlocal_representative_office fail even with a 31 code."""
    r = run(with_path(base_applicant(), "employer.kind", kind))
    f = assert_blocker(r, "PRE-EMPLOYER-SH")
    assert words in f.message
    assert r.earliest_eligible is None


@pytest.mark.parametrize("kind", ["enterprise", "public_institution", "social_organization", "private_non_enterprise"])
def test_PRE_EMPLOYER_SH_does_not_fire_for_shanghai_units(kind):
    """PRE-EMPLOYER-SH: a Shanghai code (310115) and an ordinary kind of unit."""
    r = run(with_path(base_applicant(), "employer.kind", kind))
    assert findings(r, "PRE-EMPLOYER-SH") == []
    assert r.verdict == "eligible"


# ---------------------------------------------------------------- PRE-EMPLOYER-DISPATCH

def dispatch(license_: bool, agreements: bool) -> dict:
    return tweak(base_applicant(), employer__kind="labor_dispatch", employer__dispatch_license=license_,
                 employer__dispatch_agreements=agreements)


def test_PRE_EMPLOYER_DISPATCH_fires_without_license():
    """PRE-EMPLOYER-DISPATCH: a dispatch employer without a 劳务派遣经营许可证: blocker."""
    r = run(dispatch(False, True))
    f = assert_blocker(r, "PRE-EMPLOYER-DISPATCH")
    assert "许可证" in f.message
    assert "employer.dispatch_license" in f.evidence


def test_PRE_EMPLOYER_DISPATCH_fires_without_agreements():
    """PRE-EMPLOYER-DISPATCH: licensed, but the 派遣协议 / 派遣岗位协议 are missing: blocker."""
    r = run(dispatch(True, False))
    f = assert_blocker(r, "PRE-EMPLOYER-DISPATCH")
    assert "派遣协议" in f.message


def test_PRE_EMPLOYER_DISPATCH_fires_twice_without_either():
    """PRE-EMPLOYER-DISPATCH: neither licence nor agreements: both problems are reported."""
    r = run(dispatch(False, False))
    got = findings(r, "PRE-EMPLOYER-DISPATCH")
    assert len(got) == 2 and all(f.severity == "blocker" for f in got)
    assert r.verdict == "not_eligible"


def test_PRE_EMPLOYER_DISPATCH_does_not_fire_when_licensed_with_agreements():
    """PRE-EMPLOYER-DISPATCH: a licensed dispatch employer with both agreements passes."""
    r = run(dispatch(True, True))
    assert findings(r, "PRE-EMPLOYER-DISPATCH") == []
    assert r.verdict == "eligible"


def test_PRE_EMPLOYER_DISPATCH_ignores_flags_of_other_kinds():
    """PRE-EMPLOYER-DISPATCH: an ordinary enterprise needs no dispatch licence."""
    r = run(tweak(base_applicant(), employer__dispatch_license=False, employer__dispatch_agreements=False))
    assert findings(r, "PRE-EMPLOYER-DISPATCH") == []


# ---------------------------------------------------------------- PRE-EMPLOYER-INDIVIDUAL

def test_PRE_EMPLOYER_INDIVIDUAL_fires_as_review():
    """PRE-EMPLOYER-INDIVIDUAL: an 个体工商户 employer: severity review (not blocker) → needs_review."""
    r = run(with_path(base_applicant(), "employer.kind", "individual_business"))
    f = finding(r, "PRE-EMPLOYER-INDIVIDUAL")
    assert f.severity == "review"
    # Spec update (issue 7): now `practice` (three independent consultancy networks), still review.
    assert f.confidence == "practice"
    assert "咨询机构" in f.message and "未明文规定" in f.message
    assert r.blockers() == []
    assert r.verdict == "needs_review"
    assert r.score.total == 179


def test_PRE_EMPLOYER_INDIVIDUAL_does_not_fire_for_enterprise():
    """PRE-EMPLOYER-INDIVIDUAL: the base applicant's employer is an enterprise."""
    assert findings(run(base_applicant()), "PRE-EMPLOYER-INDIVIDUAL") == []


# ---------------------------------------------------------------- PRE-CONTRACT

def test_PRE_CONTRACT_fires_when_contract_is_with_another_unit():
    """PRE-CONTRACT: the contract was signed with a unit other than the applying employer."""
    from builders import OTHER_SH_USCC

    r = run(with_path(base_applicant(), "contract.employer_uscc", OTHER_SH_USCC))
    f = assert_blocker(r, "PRE-CONTRACT")
    assert OTHER_SH_USCC in f.message and EMPLOYER_USCC in f.message


def test_PRE_CONTRACT_fires_for_term_under_12_months():
    """PRE-CONTRACT: 2026-06-01..2027-03-31 is a 10-month contract: under the 12-month minimum."""
    r = run(tweak(base_applicant(), contract__start="2026-06-01", contract__end="2027-03-31"))
    f = assert_blocker(r, "PRE-CONTRACT")
    assert "10 个月" in f.message


def test_PRE_CONTRACT_fires_when_contract_ended_before_application():
    """PRE-CONTRACT: a contract that ended 2026-10-31 does not cover the application date."""
    r = run(with_path(base_applicant(), "contract.end", "2026-10-31"))
    f = assert_blocker(r, "PRE-CONTRACT")
    assert "2026-10-31" in f.message


def test_PRE_CONTRACT_does_not_fire_for_exactly_12_months():
    """PRE-CONTRACT: 2026-06-01..2027-05-31 is exactly 12 months: enough."""
    r = run(tweak(base_applicant(), contract__start="2026-06-01", contract__end="2027-05-31"))
    assert findings(r, "PRE-CONTRACT") == []


def test_PRE_CONTRACT_does_not_fire_for_open_ended_contract():
    """PRE-CONTRACT: an open-ended contract (end null) counts."""
    r = run(base_applicant())
    assert findings(r, "PRE-CONTRACT") == []
    assert r.verdict == "eligible"


# ---------------------------------------------------------------- PRE-CONTRACT-REMAINING

def test_PRE_CONTRACT_REMAINING_fires_under_2_months():
    """PRE-CONTRACT-REMAINING: ending 2027-01-10 leaves 1 full month after 2026-11-18: blocker
    (and the milder PIT-CONTRACT-ENDING warning does not double it)."""
    r = run(with_path(base_applicant(), "contract.end", "2027-01-10"))
    f = assert_blocker(r, "PRE-CONTRACT-REMAINING")
    assert "2027-01-10" in f.message
    assert f.deadline == "2027-01-10"
    assert findings(r, "PIT-CONTRACT-ENDING") == []


def test_PRE_CONTRACT_REMAINING_does_not_fire_at_2_months():
    """PRE-CONTRACT-REMAINING: ending 2027-01-31 leaves 2 months: passes, with a PIT-CONTRACT-ENDING warning."""
    r = run(with_path(base_applicant(), "contract.end", "2027-01-31"))
    assert findings(r, "PRE-CONTRACT-REMAINING") == []
    assert finding(r, "PIT-CONTRACT-ENDING").severity == "warning"
    assert r.verdict == "eligible"


# ---------------------------------------------------------------- PRE-AGE

def aged(birth: dt.date) -> dict:
    doc = with_path(base_applicant(), "person.id_number", id_for_birth(birth))
    return with_path(doc, "person.birth_date", birth.isoformat())


def test_PRE_AGE_fires_over_60():
    """PRE-AGE: born 1965-11-17, 61 on 2026-11-18: blocker; PTS-AGE gives nothing over 60."""
    r = run(aged(dt.date(1965, 11, 17)))
    f = assert_blocker(r, "PRE-AGE")
    assert "61" in f.message
    assert line(r, "PTS-AGE") is None
    assert r.earliest_eligible is None


def test_PRE_AGE_fires_under_18():
    """PRE-AGE: born 2008-11-19, 17 on 2026-11-18: blocker."""
    r = run(aged(dt.date(2008, 11, 19)))
    f = assert_blocker(r, "PRE-AGE")
    assert "17" in f.message


def test_PRE_AGE_does_not_fire_at_60():
    """PRE-AGE: 60th birthday on the application date: still 18–60; PTS-AGE 5."""
    r = run(aged(dt.date(1966, 11, 18)))
    assert findings(r, "PRE-AGE") == []
    assert_line(r, "PTS-AGE", 5)


def test_PRE_AGE_does_not_fire_at_18():
    """PRE-AGE: 18th birthday on the application date."""
    r = run(aged(dt.date(2008, 11, 18)))
    assert findings(r, "PRE-AGE") == []
    assert_line(r, "PTS-AGE", 30)


# ---------------------------------------------------------------- VETO-*

def test_VETO_SERIOUS_CRIME_fires():
    """VETO-SERIOUS-CRIME: a 严重刑事犯罪 record cancels the right to apply (blocker, no earliest date)."""
    r = run(with_path(base_applicant(), "records.serious_crime", True))
    f = assert_blocker(r, "VETO-SERIOUS-CRIME")
    assert "严重刑事犯罪" in f.message
    assert f.evidence == ["records.serious_crime"]
    assert r.earliest_eligible is None
    assert r.score.total == 179  # the veto is not a deduction


def test_VETO_SERIOUS_CRIME_does_not_fire_without_record():
    """VETO-SERIOUS-CRIME: no record."""
    assert findings(run(base_applicant()), "VETO-SERIOUS-CRIME") == []


def test_VETO_FAMILY_PLANNING_fires_as_review():
    """VETO-FAMILY-PLANNING: unknown whether the 2022 text keeps the veto: review, with that explanation."""
    r = run(with_path(base_applicant(), "records.family_planning_violation", True))
    f = finding(r, "VETO-FAMILY-PLANNING")
    assert f.severity == "review"
    assert f.confidence == "unverified"
    assert "2015/2017" in f.message
    assert r.verdict == "needs_review"


def test_VETO_FAMILY_PLANNING_does_not_fire_without_record():
    """VETO-FAMILY-PLANNING: no record."""
    r = run(base_applicant())
    assert findings(r, "VETO-FAMILY-PLANNING") == []
