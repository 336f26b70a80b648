"""The checklist builder: the catalogue's triggers, per situation, with presence AND absence."""

from __future__ import annotations

import copy
import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest

from jifen_check.applicant import Applicant
from jifen_check.checklist import (
    DEFAULT_CATALOGUE,
    GROUPS,
    CatalogueError,
    build_checklist,
    load_catalogue,
)
from jifen_check.result import ChecklistItem, Finding, ScoreLine

AS_OF = dt.date(2026, 11, 22)
SPEC = Path(__file__).resolve().parents[2] / "shared" / "spec" / "materials.md"

ALWAYS = {
    "DOC-HR-LETTER", "DOC-BUSINESS-LICENCE", "DOC-APPLICATION-FORM", "DOC-RESIDENCE-PERMIT",
    "DOC-ID-CARD", "DOC-HUKOU", "DOC-CONTRACT", "DOC-TAX-6M",
}

BASE: dict[str, Any] = {
    "person": {"name": "王小明", "id_number": "32010219900307123X", "hukou_province": "江苏"},
    "residence_permit": {"status": "valid", "valid_until": "2027-05-31"},
    "employer": {"name": "上海示例科技有限公司", "uscc": "91310115MA1K3XXXXX", "kind": "enterprise"},
    "contract": {"start": "2023-03-01"},
    "social_insurance": [{"month": "2024-01..2026-11", "base": 15000}],
    "education": [{
        "level": "bachelor", "mode": "full_time", "diploma": True, "degree": True,
        "school": "同济大学", "study_city": "上海", "end": "2012-07",
    }],
}


def applicant(**patch: Any) -> Applicant:
    """BASE with top-level sections replaced by `patch`."""
    data = copy.deepcopy(BASE)
    data.update(patch)
    return Applicant.model_validate(data)


def line(rule: str, points: int, status: str = "counted", **facts: Any) -> ScoreLine:
    return ScoreLine(rule=rule, points=points, status=status, facts=facts)  # type: ignore[arg-type]


def finding(rule: str, severity: str = "warning") -> Finding:
    return Finding(rule=rule, severity=severity, message="…")  # type: ignore[arg-type]


EDU_90 = line("PTS-EDU", 90, education_index=0)


def ids(items: list[ChecklistItem]) -> list[str]:
    return [i.id for i in items]


def build(app: Applicant, lines: list[ScoreLine] | None = None, findings: list[Finding] | None = None,
          as_of: dt.date = AS_OF) -> list[str]:
    return ids(build_checklist(app, lines if lines is not None else [EDU_90], findings or [], as_of))


def assert_docs(got: list[str], present: set[str] = frozenset(), absent: set[str] = frozenset()) -> None:
    assert present <= set(got), f"missing {sorted(present - set(got))}"
    assert not (absent & set(got)), f"unexpected {sorted(absent & set(got))}"


# ── the catalogue itself ────────────────────────────────────────────────────────────────────


def test_catalogue_has_every_document_of_the_spec() -> None:
    docs = {d.id: d for d in load_catalogue().documents}
    mine = set(docs)
    # Spec update (issue 7): the pledge is part of the 积分申请表, a note on its row, not a row.
    pledge = "DOC-NO-CRIME-PLEDGE"
    if SPEC.exists():
        spec_ids = set(re.findall(r"`(DOC-[A-Z0-9-]+)`", SPEC.read_text(encoding="utf-8")))
        assert spec_ids - {pledge} == mine
    assert pledge not in mine
    assert "承诺无违法犯罪记录" in docs["DOC-APPLICATION-FORM"].note
    assert "DOC-EMPLOYER-REGISTRATION" in mine
    assert len(mine) == 38


def test_catalogue_groups() -> None:
    groups = {d.id: d.group for d in load_catalogue().documents}
    for doc in ("DOC-HR-LETTER", "DOC-BUSINESS-LICENCE", "DOC-DISPATCH", "DOC-EMPLOYER-REGISTRATION"):
        assert groups[doc] == "单位材料"
    for doc in ("DOC-ID-CARD", "DOC-HUKOU", "DOC-CONTRACT", "DOC-TAX-6M"):
        assert groups[doc] == "基本材料"
    for doc in ("DOC-DIPLOMA", "DOC-TITLE-CERT", "DOC-TAX-48M", "DOC-TALENT"):
        assert groups[doc] == "积分指标材料"
    for doc in ("DOC-MARRIAGE", "DOC-SPOUSE-ID", "DOC-CHILD-BIRTH", "DOC-DIVORCE"):
        assert groups[doc] == "同住人材料"


def test_only_the_always_documents_are_unconditional() -> None:
    # Nothing the spec marks conditional may be on every list: an empty applicant gets only these.
    bare = applicant(education=[])
    assert set(build(bare, lines=[])) == ALWAYS


def _write_bad(tmp_path: Path, old: str, new: str) -> Path:
    text = DEFAULT_CATALOGUE.read_text(encoding="utf-8")
    assert old in text
    bad = tmp_path / "documents.yaml"
    bad.write_text(text.replace(old, new, 1), encoding="utf-8")
    return bad


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("- {line: {rule: PTS-EDU, min_points: 1}}", "- {lin: {rule: PTS-EDU, min_points: 1}}",
     r"documents\[\d+\]\.when\.any_of\[0\]\.all_of\[0\]\.lin \(DOC-CHSI-REPORT\).*Extra inputs"),
    ("    copies: 1\n    note: \"\"\n    reason: 须持有效期内的居住证",
     "    copies: 1\n    notes: \"\"\n    reason: 须持有效期内的居住证",
     r"documents\[\d+\]\.notes \(DOC-RESIDENCE-PERMIT\)"),
    ("when: {applicant: {employer.kind: labor_dispatch}}", "when: {applicant: {employer.knd: labor_dispatch}}",
     r"when \(DOC-DISPATCH\).*unknown field 'employer\.knd'"),
    ("group: 同住人材料\n    order: 70", "group: 家属材料\n    order: 70", r"documents\[\d+\]\.group \(DOC-DIVORCE\): Input should be '单位材料'"),
    ("id: DOC-TALENT", "id: DOC-AWARD", r"duplicate document id DOC-AWARD"),
    ("order: 210", "order: 200", r"order 200 is already used in 积分指标材料"),
    ("when: {line: {rule: BON-AWARD, min_points: 1}}",
     "when: {line: {rule: BON-AWARD}, finding: {rule: PIT-X}}", r"exactly one"),
])
def test_malformed_catalogue_names_file_and_key(tmp_path: Path, old: str, new: str, expected: str) -> None:
    bad = _write_bad(tmp_path, old, new)
    with pytest.raises(CatalogueError) as err:
        load_catalogue(bad)
    assert str(bad) in str(err.value)
    assert re.search(expected, str(err.value), re.S), str(err.value)


def test_unreadable_catalogue(tmp_path: Path) -> None:
    with pytest.raises(CatalogueError, match="cannot read"):
        load_catalogue(tmp_path / "missing.yaml")


def test_catalogue_is_loaded_once() -> None:
    assert load_catalogue() is load_catalogue()


# ── ordering and item contents ───────────────────────────────────────────────────────────────


def test_items_are_grouped_then_ordered() -> None:
    app = applicant(employer={**BASE["employer"], "kind": "labor_dispatch"},
                    family={"marital_status": "married", "spouse": {"shares_benefits": True},
                            "children": [{"name": "王一一", "birth_date": "2019-06-01", "shares_benefits": True}]})
    items = build_checklist(app, [EDU_90], [], AS_OF)
    groups = [GROUPS.index(i.group) for i in items]
    assert groups == sorted(groups)
    assert ids(items)[:3] == ["DOC-HR-LETTER", "DOC-BUSINESS-LICENCE", "DOC-DISPATCH"]
    assert ids(items)[3] == "DOC-APPLICATION-FORM"


def test_item_fields_come_from_the_catalogue() -> None:
    items = {i.id: i for i in build_checklist(applicant(), [EDU_90], [], AS_OF)}
    permit = items["DOC-RESIDENCE-PERMIT"]
    assert permit.title == "有效期内的《上海市居住证》"
    assert permit.original is True and permit.copies == 1
    assert permit.because == ["PRE-PERMIT-VALID"]
    assert permit.reason
    assert items["DOC-BUSINESS-LICENCE"].original is False
    assert "免交" in items["DOC-ID-CARD"].note
    assert items["DOC-DIPLOMA"].because == ["PTS-EDU"]


# ── the spec's acceptance case and education ─────────────────────────────────────────────────


def test_classic_bachelor() -> None:
    got = build(applicant(), [line("PTS-AGE", 30), EDU_90, line("PTS-SI-YEARS", 3)])
    assert_docs(got, present=ALWAYS | {"DOC-DIPLOMA", "DOC-DEGREE", "DOC-CHSI-REPORT"},
                absent={"DOC-MARRIAGE", "DOC-TITLE-CERT", "DOC-DISPATCH", "DOC-CSCSE", "DOC-STUDY-RECORDS",
                        "DOC-PRIOR-DIPLOMA", "DOC-TAX-48M", "DOC-EMPLOYER-REGISTRATION",
                        "DOC-STUDY-PLACE-SI"})


def test_bachelor_without_degree_needs_no_degree_certificate() -> None:
    app = applicant(education=[{**BASE["education"][0], "degree": False}])
    got = build(app, [line("PTS-EDU", 60, education_index=0)])
    assert_docs(got, present={"DOC-DIPLOMA", "DOC-CHSI-REPORT"}, absent={"DOC-DEGREE"})


def test_junior_college_needs_no_degree_certificate() -> None:
    app = applicant(education=[{"level": "junior_college", "degree": False}])
    assert_docs(build(app, [line("PTS-EDU", 50, education_index=0)]),
                present={"DOC-DIPLOMA"}, absent={"DOC-DEGREE", "DOC-PRIOR-DIPLOMA"})


def test_master_with_degree() -> None:
    app = applicant(education=[BASE["education"][0], {"level": "master", "degree": True}])
    assert_docs(build(app, [line("PTS-EDU", 100, education_index=1)]), present={"DOC-DEGREE"})


def test_education_not_counted_calls_for_nothing() -> None:
    # Title won under PTS-EDU-OR-TITLE: the education line is not_counted.
    lines = [line("PTS-EDU", 90, "not_counted", education_index=0)]
    assert_docs(build(applicant(), lines),
                absent={"DOC-DIPLOMA", "DOC-DEGREE", "DOC-CHSI-REPORT", "DOC-STUDY-RECORDS"})


def test_at_risk_education_still_needs_its_papers() -> None:
    assert_docs(build(applicant(), [line("PTS-EDU", 90, "at_risk", education_index=0)]),
                present={"DOC-DIPLOMA", "DOC-DEGREE", "DOC-CHSI-REPORT"})


NON_FULL_TIME = {"level": "bachelor", "mode": "self_study", "degree": True, "study_city": "上海"}


def test_non_full_time_bachelor() -> None:
    app = applicant(education=[{"level": "junior_college"}, NON_FULL_TIME])
    got = build(app, [line("PTS-EDU", 90, education_index=1, three_places_case="a")])
    assert_docs(got, present={"DOC-STUDY-RECORDS", "DOC-PRIOR-DIPLOMA", "DOC-DEGREE"},
                absent={"DOC-STUDY-PLACE-SI"})


def test_three_places_case_c_needs_the_study_city_social_insurance() -> None:
    app = applicant(education=[{"level": "junior_college"}, {**NON_FULL_TIME, "study_city": "苏州"}])
    got = build(app, [line("PTS-EDU", 90, education_index=1, three_places_case="c")])
    assert_docs(got, present={"DOC-STUDY-PLACE-SI", "DOC-STUDY-RECORDS"})


def test_non_full_time_entry_that_does_not_count_adds_nothing() -> None:
    # The full-time master counts; the self-study bachelor below it is not what is proved.
    app = applicant(education=[NON_FULL_TIME, {"level": "master", "degree": True}])
    got = build(app, [line("PTS-EDU", 100, education_index=1)])
    assert_docs(got, present={"DOC-DEGREE"}, absent={"DOC-STUDY-RECORDS", "DOC-PRIOR-DIPLOMA"})


def test_prior_degree_finding_asks_for_the_prior_diploma() -> None:
    got = build(applicant(), [EDU_90], [finding("PIT-PRIOR-DEGREE")])
    assert_docs(got, present={"DOC-PRIOR-DIPLOMA"})


def test_foreign_degree() -> None:
    foreign = {"level": "master", "degree": True, "foreign": True, "cscse_certified": True}
    got = build(applicant(education=[foreign]), [line("PTS-EDU", 100, education_index=0)])
    assert_docs(got, present={"DOC-CSCSE", "DOC-DIPLOMA", "DOC-DEGREE"}, absent={"DOC-CHSI-REPORT"})


def test_unverifiable_degree_finding_asks_for_report_or_certificate() -> None:
    domestic = applicant(education=[{**BASE["education"][0], "chsi_verifiable": False}])
    got = build(domestic, [line("PTS-EDU", 90, "not_counted", education_index=0)],
                [finding("PIT-DEGREE-UNVERIFIABLE")])
    assert_docs(got, present={"DOC-CHSI-REPORT"}, absent={"DOC-CSCSE", "DOC-DIPLOMA"})
    foreign = applicant(education=[{"level": "master", "degree": True, "foreign": True}])
    got = build(foreign, [line("PTS-EDU", 100, "not_counted", education_index=0)],
                [finding("PIT-DEGREE-UNVERIFIABLE")])
    assert_docs(got, present={"DOC-CSCSE"}, absent={"DOC-CHSI-REPORT"})


def test_missing_education_index_falls_back_to_the_highest_level() -> None:
    app = applicant(education=[{"level": "junior_college"}, {"level": "master", "degree": True}])
    assert_docs(build(app, [line("PTS-EDU", 100)]), present={"DOC-DEGREE"})


def test_out_of_range_education_index_means_no_counted_entry() -> None:
    # No entry is found, but 90 points is a degree tier: the 学位证书 is still called for.
    got = build(applicant(), [line("PTS-EDU", 90, education_index=7)])
    assert_docs(got, present={"DOC-DIPLOMA", "DOC-DEGREE"}, absent={"DOC-CSCSE"})


def test_degree_called_for_at_every_degree_tier_only() -> None:
    """A 硕士 with only its 学历证书 counts 90 (本科+学位 tier): the 学位证书 is needed; 60 and 50 need none."""
    for points, needed in ((110, True), (100, True), (90, True), (60, False), (50, False)):
        got = build(applicant(), [line("PTS-EDU", points, education_index=0)])
        assert ("DOC-DEGREE" in got) is needed, points


# ── titles and qualifications ────────────────────────────────────────────────────────────────

TITLE = {"kind": "professional_title", "level": "intermediate", "obtained_by": "exam",
         "obtained_city": "上海", "matches_position": True, "appointed": True}


def title_lines(status: str = "counted", **facts: Any) -> list[ScoreLine]:
    facts.setdefault("qualification_index", 0)
    return [line("PTS-EDU", 90, "not_counted", education_index=0), line("PTS-TITLE", 100, status, **facts)]


def test_title_by_exam() -> None:
    got = build(applicant(qualifications=[TITLE]), title_lines())
    assert_docs(got, present={"DOC-TITLE-CERT", "DOC-TITLE-EXAM-RECORD", "DOC-APPOINTMENT"},
                absent={"DOC-TITLE-REVIEW-FORM", "DOC-REGISTRATION", "DOC-SKILL-VERIFY", "DOC-DIPLOMA"})


def test_title_by_review() -> None:
    got = build(applicant(qualifications=[{**TITLE, "obtained_by": "review"}]), title_lines())
    assert_docs(got, present={"DOC-TITLE-CERT", "DOC-TITLE-REVIEW-FORM"}, absent={"DOC-TITLE-EXAM-RECORD"})


def test_title_that_lost_to_education_is_not_needed() -> None:
    lines = [EDU_90, line("PTS-TITLE", 60, "not_counted", qualification_index=0)]
    got = build(applicant(qualifications=[TITLE]), lines)
    assert_docs(got, present={"DOC-DIPLOMA"},
                absent={"DOC-TITLE-CERT", "DOC-TITLE-EXAM-RECORD", "DOC-APPOINTMENT"})


def test_junior_title_with_zero_points_is_not_needed() -> None:
    junior = {**TITLE, "level": "junior"}
    got = build(applicant(qualifications=[junior]), [EDU_90, line("PTS-TITLE", 0, qualification_index=0)])
    assert_docs(got, absent={"DOC-TITLE-CERT"})


def test_title_match_finding_is_cited_on_the_appointment() -> None:
    app = applicant(qualifications=[{**TITLE, "matches_position": "unknown"}])
    items = build_checklist(app, title_lines("at_risk"), [finding("PIT-TITLE-MATCH")], AS_OF)
    appointment = next(i for i in items if i.id == "DOC-APPOINTMENT")
    assert appointment.because == ["PTS-TITLE", "PIT-TITLE-MATCH"]


def test_qualification_needing_registration() -> None:
    vq = {"kind": "vocational_qualification", "level": "intermediate", "registration_required": True,
          "registered": True, "on_shanghai_catalogue": True}
    assert_docs(build(applicant(qualifications=[vq]), title_lines()), present={"DOC-REGISTRATION"})
    unreg = {**vq, "registration_required": False}
    assert_docs(build(applicant(qualifications=[unreg]), title_lines()), absent={"DOC-REGISTRATION"})


@pytest.mark.parametrize(("level", "city", "needed"), [
    (3, "苏州", True), (1, "杭州", True), (2, None, True),
    (4, "苏州", False), (3, "上海", False),
])
def test_out_of_town_skill_verification(level: int, city: str | None, needed: bool) -> None:
    skill = {"kind": "skill_level", "level": level, "obtained_city": city, "shanghai_verified": True}
    got = build(applicant(qualifications=[skill]), title_lines())
    assert ("DOC-SKILL-VERIFY" in got) is needed


def test_counted_qualification_is_the_indexed_one() -> None:
    # Two qualifications: only the counted (index 1) one's properties matter.
    quals = [{**TITLE, "obtained_by": "review"}, {**TITLE, "obtained_by": "exam"}]
    got = build(applicant(qualifications=quals), title_lines(qualification_index=1))
    assert_docs(got, present={"DOC-TITLE-EXAM-RECORD"}, absent={"DOC-TITLE-REVIEW-FORM"})
    # Without an index and with two candidates there is no guess: only the line-level papers.
    got = build(applicant(qualifications=quals),
                [line("PTS-TITLE", 100)])
    assert_docs(got, present={"DOC-TITLE-CERT"}, absent={"DOC-TITLE-EXAM-RECORD", "DOC-TITLE-REVIEW-FORM"})


# ── bonuses ──────────────────────────────────────────────────────────────────────────────────

BONUS_DOCS = {
    "BON-SI-BASE": "DOC-TAX-48M", "BON-SHORTAGE-MAJOR": "DOC-SHORTAGE-MAJOR", "BON-INVEST": "DOC-INVEST",
    "BON-AWARD": "DOC-AWARD", "BON-REMOTE-AREA": "DOC-REMOTE-AREA", "BON-PUBLIC-SERVICE": "DOC-PUBLIC-SERVICE",
    "BON-FRESH-GRAD": "DOC-FRESH-GRAD", "BON-TALENT": "DOC-TALENT",
}


@pytest.mark.parametrize(("rule", "doc"), sorted(BONUS_DOCS.items()))
def test_bonus_documents(rule: str, doc: str) -> None:
    assert doc in build(applicant(), [EDU_90, line(rule, 30)])
    assert doc in build(applicant(), [EDU_90, line(rule, 30, "at_risk")])
    assert doc not in build(applicant(), [EDU_90, line(rule, 30, "not_counted")])
    assert doc not in build(applicant(), [EDU_90, line(rule, 0)])  # e.g. remote area under 5 years
    assert doc not in build(applicant(), [EDU_90])
    others = set(BONUS_DOCS.values()) - {doc}
    assert_docs(build(applicant(), [EDU_90, line(rule, 30)]), absent=others)


# ── employer ─────────────────────────────────────────────────────────────────────────────────


def test_dispatch_employer() -> None:
    app = applicant(employer={**BASE["employer"], "kind": "labor_dispatch", "dispatch_license": True})
    assert_docs(build(app), present={"DOC-DISPATCH"})
    assert_docs(build(applicant()), absent={"DOC-DISPATCH"})


@pytest.mark.parametrize(("registered", "needed"), [(False, True), (True, False), (None, False)])
def test_unregistered_employer(registered: bool | None, needed: bool) -> None:
    app = applicant(employer={**BASE["employer"], "points_system_registered": registered})
    assert ("DOC-EMPLOYER-REGISTRATION" in build(app)) is needed


# ── family ───────────────────────────────────────────────────────────────────────────────────

SPOUSE_DOCS = {"DOC-MARRIAGE", "DOC-SPOUSE-ID", "DOC-SPOUSE-HUKOU"}
CHILD_DOCS = {"DOC-CHILD-BIRTH", "DOC-CHILD-HUKOU", "DOC-CHILD-SCHOOL", "DOC-DIVORCE"}


def test_single_applicant_has_no_family_documents() -> None:
    got = build(applicant(family={"marital_status": "single"}))
    assert_docs(got, absent=SPOUSE_DOCS | CHILD_DOCS)


def test_married_with_spouse_bonus() -> None:
    app = applicant(family={"marital_status": "married", "marriage_date": "2018-10-01",
                            "spouse": {"name": "李红", "shanghai_hukou": True, "shares_benefits": False}})
    got = build(app, [EDU_90, line("BON-SPOUSE-HUKOU", 32)])
    assert_docs(got, present=SPOUSE_DOCS, absent=CHILD_DOCS)
    items = {i.id: i for i in build_checklist(app, [EDU_90, line("BON-SPOUSE-HUKOU", 32)], [], AS_OF)}
    assert items["DOC-MARRIAGE"].because == ["BON-SPOUSE-HUKOU"]


def test_married_without_bonus_or_sharing_needs_no_spouse_papers() -> None:
    app = applicant(family={"marital_status": "married",
                            "spouse": {"name": "李红", "shanghai_hukou": False, "shares_benefits": False}})
    assert_docs(build(app), absent=SPOUSE_DOCS)


def test_spouse_sharing_benefits() -> None:
    app = applicant(family={"marital_status": "married", "spouse": {"name": "李红", "shares_benefits": True}})
    assert_docs(build(app), present=SPOUSE_DOCS)


def kids(*children: dict[str, Any], status: str = "married") -> Applicant:
    return applicant(family={"marital_status": status, "children": list(children)})


def test_children_get_one_entry_each_with_their_name() -> None:
    app = kids({"name": "王一一", "birth_date": "2019-06-01", "shares_benefits": True},
               {"name": "王二二", "birth_date": "2021-02-01", "shares_benefits": True},
               {"name": "王三三", "birth_date": "2015-02-01", "shares_benefits": False})
    items = build_checklist(app, [EDU_90], [], AS_OF)
    births = [i for i in items if i.id == "DOC-CHILD-BIRTH"]
    assert [i.note for i in births] == ["子女：王一一", "子女：王二二"]
    assert len([i for i in items if i.id == "DOC-CHILD-HUKOU"]) == 2
    assert "DOC-CHILD-SCHOOL" not in ids(items)
    assert "DOC-MARRIAGE" in ids(items)  # married parent of a sharing child
    # Spec update (issue 7): adding a child also needs the other parent's ID card.
    assert "DOC-SPOUSE-ID" in ids(items)


def test_child_without_a_name_is_numbered() -> None:
    items = build_checklist(kids({"shares_benefits": True}), [EDU_90], [], AS_OF)
    assert next(i for i in items if i.id == "DOC-CHILD-BIRTH").note == "子女：第 1 个子女"


@pytest.mark.parametrize(("birth", "needed"), [
    ("2010-11-22", True),    # 16 on the as-of day
    ("2010-11-23", False),   # 16 the day after
    ("2008-01-01", True),
])
def test_child_school_from_sixteen(birth: str, needed: bool) -> None:
    app = kids({"name": "王一一", "birth_date": birth, "shares_benefits": True})
    assert ("DOC-CHILD-SCHOOL" in build(app)) is needed


def test_child_school_only_for_sharing_children_with_a_known_age() -> None:
    older_not_sharing = kids({"name": "甲", "birth_date": "2008-01-01", "shares_benefits": False})
    assert_docs(build(older_not_sharing), absent=CHILD_DOCS | {"DOC-MARRIAGE"})
    unknown_age = kids({"name": "乙", "shares_benefits": True})
    assert_docs(build(unknown_age), present={"DOC-CHILD-BIRTH"}, absent={"DOC-CHILD-SCHOOL"})


def test_child_school_is_listed_for_the_right_child() -> None:
    app = kids({"name": "大宝", "birth_date": "2008-03-01", "shares_benefits": True},
               {"name": "二宝", "birth_date": "2016-03-01", "shares_benefits": True})
    school = [i.note for i in build_checklist(app, [EDU_90], [], AS_OF) if i.id == "DOC-CHILD-SCHOOL"]
    assert school == ["子女：大宝"]


def test_divorced_with_sharing_child() -> None:
    app = kids({"name": "王一一", "birth_date": "2019-06-01", "shares_benefits": True}, status="divorced")
    got = build(app)
    assert_docs(got, present={"DOC-DIVORCE", "DOC-CHILD-BIRTH", "DOC-CHILD-HUKOU"}, absent={"DOC-MARRIAGE"})
    assert got.count("DOC-DIVORCE") == 1


def test_divorced_without_sharing_child() -> None:
    app = kids({"name": "王一一", "birth_date": "2019-06-01", "shares_benefits": False}, status="divorced")
    assert_docs(build(app), absent={"DOC-DIVORCE", "DOC-CHILD-BIRTH"})


def test_single_parent_with_sharing_child_has_no_marriage_certificate() -> None:
    app = kids({"name": "王一一", "birth_date": "2019-06-01", "shares_benefits": True}, status="single")
    assert_docs(build(app), present={"DOC-CHILD-BIRTH"}, absent={"DOC-MARRIAGE", "DOC-DIVORCE"})


def test_every_document_appears_somewhere_in_these_tests() -> None:
    """A guard: the union of a few rich situations covers the whole catalogue."""
    rich = applicant(
        employer={**BASE["employer"], "kind": "labor_dispatch", "points_system_registered": False},
        education=[{"level": "junior_college"}, {**NON_FULL_TIME, "foreign": True}],
        qualifications=[{"kind": "skill_level", "level": 3, "obtained_city": "苏州", "obtained_by": "exam",
                         "registration_required": True}],
        family={"marital_status": "divorced", "spouse": {"shares_benefits": True},
                "children": [{"name": "甲", "birth_date": "2008-01-01", "shares_benefits": True}]},
    )
    lines = [line("PTS-EDU", 90, education_index=1, three_places_case="c"),
             line("PTS-TITLE", 60, qualification_index=0), *(line(r, 10) for r in BONUS_DOCS),
             line("BON-SPOUSE-HUKOU", 4)]
    got = set(build(rich, lines))
    # The foreign degree replaces the 学信网 report, and a title is by exam or by review, not both.
    got |= set(build(applicant()))
    got |= set(build(applicant(qualifications=[{**TITLE, "obtained_by": "review"}]), title_lines()))
    assert got == {d.id for d in load_catalogue().documents}


def test_batch_invalid_checklist_names_the_cell_not_the_field_path() -> None:
    """A batch row's data error (evidence 社保!D368 (social_insurance[3].base)): the PDF's 位置 column is
    the cell, and the message does not repeat it; no field path shows."""
    from jifen_check.cli import judge_file
    from jifen_check.render.handover import Handover
    from tests.conftest import ROOT

    result = judge_file(str(ROOT / "samples" / "01-bachelor-degree.yaml"), None, False).result
    bad = result.findings[0].model_copy(update={
        "rule": "DATA-SI-MONTH", "severity": "error", "message": "社保!D368: 缴费基数必须是数字，实际为 '一万二'",
        "evidence": ["社保!D368 (social_insurance[3].base)"]})
    result = result.model_copy(update={"verdict": "invalid_input", "findings": [bad]})
    fixes = Handover(result).corrections()
    assert fixes[0]["where"] == "社保!D368" and fixes[0]["message"] == "缴费基数必须是数字，实际为 '一万二'"


def test_reasons_of_a_failed_conjunction_or_a_negation_are_not_given(tmp_path: Path) -> None:
    """`because` lists the atoms that made the document needed: not those of an all_of that failed as
    a whole, nor those under a not; every branch of an any_of that holds."""
    catalogue = _write_bad(tmp_path, "when: {line: {rule: BON-AWARD, min_points: 1}}",
                           "when: {any_of: [{all_of: [{line: {rule: PTS-EDU, min_points: 1}}, "
                           "{line: {rule: BON-AWARD, min_points: 1}}]}, {not: {line: {rule: PTS-TITLE}}}, "
                           "{finding: {rule: PIT-TITLE-MATCH}}]}")
    title = line("PTS-TITLE", 100)

    def because(lines: list[ScoreLine], findings: list[Finding]) -> list[str] | None:
        items = build_checklist(applicant(), lines, findings, AS_OF, catalogue=catalogue)
        return next((i.because for i in items if i.id == "DOC-AWARD"), None)

    assert because([EDU_90, title], [finding("PIT-TITLE-MATCH")]) == ["PIT-TITLE-MATCH"]
    assert because([EDU_90, title, line("BON-AWARD", 10)], [finding("PIT-TITLE-MATCH")]) == \
        ["PTS-EDU", "BON-AWARD", "PIT-TITLE-MATCH"]
    assert because([EDU_90], []) == []  # only the negation holds: needed, with no atom to cite
    assert because([EDU_90, title], []) is None
