"""The applicant file (`jifen-check/applicant@1`) as pydantic models.

This is a public contract (../shared/spec/formats.md): fields may be added, never renamed.
Unknown keys are rejected (`extra="forbid"`) so a misspelt key is reported, not ignored.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

from jifen_check.dates import normal_month_spec, parse_day

FORMAT_ID = "jifen-check/applicant@1"


def _day(value: Any) -> dt.date:
    return parse_day(value, month_end=False)


def _day_end(value: Any) -> dt.date:
    # A month-only end date (permit validity, contract end) means the end of that month.
    return parse_day(value, month_end=True)


Day = Annotated[dt.date, BeforeValidator(_day)]
DayEnd = Annotated[dt.date, BeforeValidator(_day_end)]


def _digits_as_text(value: Any) -> Any:
    # Spreadsheets and YAML hand an all-digit ID or code over as a number: keep it text.
    return str(value) if isinstance(value, int) else value


DigitText = Annotated[str, BeforeValidator(_digits_as_text)]


def _month_spec(value: Any) -> str:
    """`YYYY-MM` or a range row `YYYY-MM..YYYY-MM` (inclusive), normalised to zero-padded text."""
    if isinstance(value, dt.date):
        return f"{value.year:04d}-{value.month:02d}"
    if not isinstance(value, str):
        raise ValueError("应为月份 YYYY-MM 或区间 YYYY-MM..YYYY-MM")
    return normal_month_spec(value)


MonthSpec = Annotated[str, BeforeValidator(_month_spec)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Person(Strict):
    name: str = Field(min_length=1)
    id_number: DigitText = Field(description="18 位居民身份证号码")
    birth_date: Day | None = None
    hukou_province: str | None = Field(None, description="户籍所在省份（三地一致）")
    personnel_archive: Literal["ok", "lost", "none", "unknown"] | None = Field(
        None, description="人事档案：ok | lost | none | unknown；不填视为未声明问题"
    )
    employee_no: str | None = Field(None, description="工号（批量输入用于关联各表）")


class ResidencePermit(Strict):
    status: Literal["valid", "expired", "temporary", "none"]
    valid_until: DayEnd | None = None
    issued_or_renewed_on: Day | None = None


EmployerKind = Literal[
    "enterprise", "public_institution", "social_organization", "private_non_enterprise",
    "individual_business", "branch_of_nonlocal", "nonlocal_representative_office", "labor_dispatch",
]


class Employer(Strict):
    name: str = Field(min_length=1)
    uscc: str = Field(description="18 位统一社会信用代码")
    kind: EmployerKind = "enterprise"
    dispatch_license: bool = False
    dispatch_agreements: bool = False
    points_system_registered: bool | None = Field(
        None, description="单位是否已在积分系统登记；false 时清单加入单位登记材料"
    )


class Contract(Strict):
    employer_uscc: str | None = None
    start: Day
    end: DayEnd | None = None
    position: str | None = None


class SocialInsuranceRow(Strict):
    month: MonthSpec
    base: float
    payer_uscc: str | None = None
    back_payment: bool = False
    transferred_in: bool = Field(False, description="由外地转入的月份（不计入社保年限与基数加分）")


class OtherSocialInsurance(Strict):
    from_: MonthSpec = Field(alias="from")
    to: MonthSpec
    city: str


class IncomeTaxRow(Strict):
    month: MonthSpec
    income: float
    withholder_uscc: str | None = None


EduLevel = Literal["high_school", "secondary_vocational", "junior_college", "bachelor", "master", "doctor"]
EduMode = Literal["full_time", "self_study", "adult", "online", "open_university", "part_time_postgraduate"]


class Education(Strict):
    level: EduLevel
    mode: EduMode = "full_time"
    diploma: bool = True
    degree: bool = False
    school: str | None = None
    major: str | None = None
    major_code: DigitText | None = None
    start: Day | None = None
    end: Day | None = None
    study_city: str | None = None
    chsi_verifiable: bool = True
    foreign: bool = False
    cscse_certified: bool = False


TitleLevel = Literal["junior", "intermediate", "senior"]


class Qualification(Strict):
    kind: Literal["professional_title", "vocational_qualification", "skill_level"]
    level: TitleLevel | Literal[1, 2, 3, 4, 5]
    name: str | None = None
    obtained_on: Day | None = None
    obtained_by: Literal["exam", "review"] | None = None
    obtained_city: str | None = None
    shanghai_verified: bool = False
    on_shanghai_catalogue: bool | None = None
    registration_required: bool = False
    registered: bool = False
    matches_position: bool | Literal["unknown"] = "unknown"
    appointed: bool | None = None

    @field_validator("level", mode="before")
    @classmethod
    def _level(cls, v: Any) -> Any:
        # Skill levels arrive as 3 or "3": both mean 三级.
        if isinstance(v, str) and v.strip().isdigit():
            return int(v)
        return v


class ShortageMajor(Strict):
    major: str | None = None
    major_code: str | None = None
    on_catalogue: bool = False
    job_matches: bool = False


class Investment(Strict):
    avg_annual_tax_personal_share: float | None = Field(None, ge=0)
    avg_annual_hukou_hires: float | None = Field(None, ge=0)
    consecutive_years: int | None = Field(None, ge=0, description="在沪连续投资年数；不填视为已满 3 年")


class RemoteArea(Strict):
    area: str
    full_years: int = Field(ge=0)
    works_and_lives: bool = False


class Award(Strict):
    level: Literal["municipal_special", "municipal_comprehensive", "provincial_or_higher"]
    awarded_on: Day | None = None
    while_in_shanghai: bool = True
    on_official_list: bool = True


class Bonuses(Strict):
    shortage_major: ShortageMajor | None = None
    investment: Investment | None = None
    public_service_years: int = Field(0, ge=0)
    remote_area: RemoteArea | None = None
    fresh_graduate: bool = False
    awards: list[Award] = Field(default_factory=list)
    talent: Literal["startup", "intermediary"] | None = None


class Spouse(Strict):
    name: str | None = None
    id_number: DigitText | None = None
    shanghai_hukou: bool = False
    shares_benefits: bool = False


class Child(Strict):
    name: str | None = None
    birth_date: Day | None = None
    shares_benefits: bool = False
    in_high_school: bool = False


class Family(Strict):
    marital_status: Literal["single", "married", "divorced", "widowed"] = "single"
    marriage_date: Day | None = None
    spouse: Spouse | None = None
    children: list[Child] = Field(default_factory=list)


class Records(Strict):
    serious_crime: bool = False
    general_crimes: list[Day] = Field(default_factory=list)
    administrative_detentions: list[Day] = Field(default_factory=list)
    false_materials: list[Day] = Field(default_factory=list)
    false_materials_serious: bool = False
    family_planning_violation: bool = False


class Applicant(Strict):
    """One applicant. Only person, permit, employer, contract and social insurance are required."""

    format: Literal["jifen-check/applicant@1"] = FORMAT_ID
    as_of: Day | None = Field(None, description="申请日期；默认今天")
    person: Person
    residence_permit: ResidencePermit
    employer: Employer
    contract: Contract
    social_insurance: list[SocialInsuranceRow]
    other_social_insurance: list[OtherSocialInsurance] = Field(default_factory=list)
    income_tax: list[IncomeTaxRow] = Field(default_factory=list)
    education: list[Education] = Field(default_factory=list)
    qualifications: list[Qualification] = Field(default_factory=list)
    # default_factory: a model instance as default is deep-copied on every validation (slow).
    bonuses: Bonuses = Field(default_factory=Bonuses)
    family: Family = Field(default_factory=Family)
    records: Records = Field(default_factory=Records)
