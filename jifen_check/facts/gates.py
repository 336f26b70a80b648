"""Measurements for the gates (rules/gates.yaml): age, personnel file, residence permit, employer, contract."""

from __future__ import annotations

import datetime as dt

from jifen_check import months as mo
from jifen_check import reference, workdays
from jifen_check.facts.base import (
    ARCHIVE_EN,
    ARCHIVE_ZH,
    OPEN_ENDED,
    PERMIT_EN,
    PERMIT_ZH,
    MeasurerBase,
    age_on,
    table_points,
)
from jifen_check.identifiers import id_birth_date, uscc_is_shanghai


class GateMeasures(MeasurerBase):
    """The person, the permit, the employer and the contract."""

    def birth_date(self) -> dt.date | None:
        """The date of birth given, else the one the ID number carries."""
        person = self.app.person
        return person.birth_date or id_birth_date(person.id_number)

    def age(self, birth: dt.date | None) -> int:
        """age: full years on the application date (-1 when the birth date is unknown)."""
        return age_on(birth, self.as_of) if birth else -1

    def age_points(self, age: int) -> int:
        """age_points: the points the age_points table gives for `age`."""
        return table_points(self.p["age_points"], age)

    def person(self) -> None:
        person = self.app.person
        birth = self.birth_date()
        age = self.age(birth)
        archive = person.personnel_archive or "unstated"
        self.set(age=age, age_points=self.age_points(age), archive=archive)
        self.note(birth_date=birth.isoformat() if birth else "未知", age=age, archive_zh=ARCHIVE_ZH[archive],
                  hukou_province=reference.normalize_province(person.hukou_province or "") or "未填")
        self.note_en(archive_zh=ARCHIVE_EN[archive],
                     hukou_province=reference.province_en(reference.normalize_province(person.hukou_province or ""))
                     or person.hukou_province or "not given")

    def permit_valid(self) -> bool:
        """permit_valid: the permit is valid and does not expire before the application date."""
        rp = self.app.residence_permit
        return rp.status == "valid" and (rp.valid_until is None or rp.valid_until >= self.as_of)

    def sync_date(self, issued: dt.date) -> dt.date:
        """The first date the permit issued or renewed on `issued` can be used: permit.sync_working_days
        working days later."""
        return workdays.first_usable_date(issued, self.p["permit"]["sync_working_days"])

    def permit(self) -> None:
        rp = self.app.residence_permit
        self.set(permit_status=rp.status, permit_valid=self.permit_valid())
        self.note(permit_status_zh=PERMIT_ZH[rp.status], permit_valid_until=str(rp.valid_until or "未填"))
        self.note_en(permit_status_zh=PERMIT_EN[rp.status])
        if rp.valid_until is not None:
            self.set(permit_days_left=(rp.valid_until - self.as_of).days)
        if rp.issued_or_renewed_on is None:
            self.set(sync_known=False)
            return
        ready = self.sync_date(rp.issued_or_renewed_on)
        self.set(sync_known=True, sync_ok=self.as_of >= ready)
        covered = workdays.calendar_covers(ready)
        self.note(permit_issued=rp.issued_or_renewed_on.isoformat(), sync_date=ready.isoformat(),
                  sync_calendar=("按法定节假日及调休安排计算" if covered
                                 else "该年节假日安排未收录，按周一至周五计算"))
        self.note_en(sync_calendar=("counted with the public holidays and make-up working days" if covered
                                    else "that year's holidays are not in the table yet; counted Monday to Friday"))

    def employer(self) -> None:
        emp = self.app.employer
        self.set(employer_kind=emp.kind, employer_sh=uscc_is_shanghai(emp.uscc),
                 employer_registered=_TRI[emp.points_system_registered],
                 dispatch_license=emp.dispatch_license, dispatch_agreements=emp.dispatch_agreements)
        self.note(employer_name=emp.name, employer_uscc=emp.uscc, employer_region=emp.uscc[2:8])

    def contract_covers(self) -> bool:
        """contract_covers: the application date falls within the contract."""
        c = self.app.contract
        return c.start <= self.as_of and (c.end is None or c.end >= self.as_of)

    def contract_term_months(self) -> int:
        """contract_term_months: the contract's full months (OPEN_ENDED without an end)."""
        c = self.app.contract
        return OPEN_ENDED if c.end is None else mo.full_months_between(c.start, c.end + dt.timedelta(days=1))

    def contract_remaining_months(self) -> int:
        """contract_remaining_months: full months left from the application date (0 when the contract
        does not cover it, OPEN_ENDED without an end)."""
        c = self.app.contract
        if c.end is None:
            return OPEN_ENDED
        return mo.full_months_between(self.as_of, c.end + dt.timedelta(days=1)) if self.contract_covers() else 0

    def contract(self) -> None:
        c = self.app.contract
        term, remaining = self.contract_term_months(), self.contract_remaining_months()
        self.set(contract_employer_ok=self.contract_uscc == self.app.employer.uscc, contract_covers=self.contract_covers(),
                 contract_term_months=term, contract_remaining_months=remaining)
        self.note(contract_start=c.start.isoformat(), contract_end=c.end.isoformat() if c.end else "无固定期限",
                  contract_term=("无固定期限" if term == OPEN_ENDED else f"{term} 个月"),
                  contract_remaining=("无固定期限" if remaining == OPEN_ENDED else f"{remaining} 个月"),
                  contract_uscc=self.contract_uscc)


_TRI = {True: "yes", False: "no", None: "unknown"}
