"""Decisions the rules make from Python's measurements (issue 8: measurements in Python, decisions
in rules). Each decision is tested where it holds and where it does not; the load-time checks of
the `record` effect are tested on a planted copy of the ruleset."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from builders import assert_line, base_applicant, degree, findings, qualification, run

from jifen_check import rulebook
from jifen_check.judge import judge_full

SOURCE = rulebook.RULESETS_DIR / rulebook.DEFAULT_RULESET


def part_time(city: str | None, hukou: str = "江苏", other_si: list | None = None, **fields) -> dict:
    dates = {"start": "2015-03", "end": "2017-12", **fields}
    college = degree("junior_college", start="2011-09", end="2014-07", study_city="南京")
    doc = base_applicant(education=[college, degree("bachelor", mode="self_study", study_city=city, **dates)])
    doc["person"]["hukou_province"] = hukou
    doc["other_social_insurance"] = other_si or []
    return doc


HZ_ALL = [{"from": "2015-03", "to": "2017-12", "city": "杭州"}]
HZ_PART = [{"from": "2016-01", "to": "2017-12", "city": "杭州"}]

# ---------------------------------------------------------------- PIT-THREE-PLACES: which case holds

THREE_PLACES = [
    ("a: studied in Shanghai", part_time("上海"), "a"),
    ("a: Shanghai without a study period", part_time("上海", start=None, end=None), "a"),
    ("b: hukou province, no insurance elsewhere", part_time("南京"), "b"),
    ("b, not c: hukou province and insured in the study city", part_time("杭州", hukou="浙江", other_si=HZ_ALL), "b"),
    ("c: city of work insured the whole period", part_time("杭州", other_si=HZ_ALL), "c"),
    ("c: province unknown, insured there the whole period",
     part_time("杭州", hukou="", other_si=HZ_ALL), "c"),
    ("none: insured in the study city for part of the period", part_time("杭州", other_si=HZ_PART), None),
    ("none: hukou province but insured in another", part_time("南京", other_si=HZ_ALL), None),
    ("none: place of study not given", part_time(None), None),
    ("none: full-time study is not subject to it", base_applicant(education=[degree("bachelor", study_city="杭州")]),
     None),
]


@pytest.mark.parametrize(("name", "doc", "case"), THREE_PLACES, ids=[t[0] for t in THREE_PLACES])
def test_three_places_case_is_decided_by_the_rule(name: str, doc: dict, case: str | None) -> None:
    ledger = judge_full(doc).ledger
    assert ledger is not None
    decided = ledger.recorded.get(("degree", len(doc["education"]) - 1), {})
    assert decided.get("three_places_case") == case, name
    r = run(doc)
    if case is not None:  # the score line of the degree carries the case
        assert assert_line(r, "PTS-EDU", 90).facts["three_places_case"] == case
        assert_line(r, "PTS-EDU", 90)
        assert findings(r, "PIT-THREE-PLACES") == []


def test_three_places_fails_and_cannot_be_checked_by_the_rule() -> None:
    failed = run(part_time("杭州", other_si=HZ_PART))
    assert "该地社保未覆盖整个学习期间" in findings(failed, "PIT-THREE-PLACES")[0].message
    assert findings(run(part_time("杭州", start=None)), "PIT-THREE-PLACES")[0].message.endswith(
        "未填写入学或毕业时间，无法核对学习期间社保")
    assert findings(run(part_time(None)), "PIT-THREE-PLACES")[0].message.endswith("未填写学习地（study_city）")


# ---------------------------------------------------------------- the `record` effect, checked at load

def planted(tmp_path: Path, old: str, new: str, file: str = "pitfalls.yaml") -> Path:
    root = tmp_path / "ruleset"
    shutil.copytree(SOURCE, root)
    path = root / "rules" / file
    body = path.read_text(encoding="utf-8")
    assert body.count(old) == 1, old
    path.write_text(body.replace(old, new), encoding="utf-8")
    return root


def test_a_recorded_name_must_be_declared(tmp_path: Path) -> None:
    root = planted(tmp_path, "record: {three_places_case: b}", "record: {three_place_case: b}")
    with pytest.raises(rulebook.RulesetError, match="PIT-THREE-PLACES.*three_place_case"):
        rulebook.Rulebook(root)


def test_a_rule_that_records_must_run_before_the_points_rules(tmp_path: Path) -> None:
    """Its stage is derived (engine/stages.py); an override that moves it into the points stage fails."""
    body = (SOURCE / "rules" / "pitfalls.yaml").read_text(encoding="utf-8")
    start = body.index("- id: PIT-THREE-PLACES\n")
    end = body.find("\n- id:", start + 1)
    rule = re.sub(r"\n  stage: \w+", "", body[start:end]).replace(
        "- id: PIT-THREE-PLACES\n", "- id: PIT-THREE-PLACES\n  stage: points\n", 1)
    root = tmp_path / "ruleset"
    shutil.copytree(SOURCE, root)
    (root / "rules" / "pitfalls.yaml").write_text(body[:start] + rule + body[end:], encoding="utf-8")
    with pytest.raises(rulebook.RulesetError, match=r"PIT-THREE-PLACES\.stage: 'points' is too late: "
                                                    r"(PTS|BON|DED)-[A-Z-]+ (reads|negates) the (record|block) "
                                                    r"PIT-THREE-PLACES writes"):
        rulebook.Rulebook(root)
    assert rulebook.Rulebook(SOURCE).rules["PIT-THREE-PLACES"].stage == "checks"


# ---------------------------------------------------------------- PIT-TITLE-WHERE: restricted, verified

WHERE = [
    # (name, qualification, finding expected)
    ("a title reviewed outside Shanghai is refused", qualification("professional_title", "senior",
                                                                    obtained_by="review", obtained_city="杭州"), True),
    ("a title by exam outside Shanghai is not restricted", qualification("professional_title", "senior",
                                                                          obtained_by="exam", obtained_city="杭州"), False),
    ("a qualification by review is not restricted", qualification("vocational_qualification", "senior",
                                                                    obtained_by="review", obtained_city="杭州"), False),
    ("a level-3 skill verified in Shanghai counts", qualification("skill_level", 3, obtained_city="杭州",
                                                                   shanghai_verified=True), False),
    ("a level-3 skill not verified is refused", qualification("skill_level", 3, obtained_city="杭州"), True),
    ("a level-4 skill cannot be verified", qualification("skill_level", 4, obtained_city="杭州",
                                                          shanghai_verified=True), True),
    ("a skill obtained in Shanghai is not refused", qualification("skill_level", 4, obtained_city="上海"), False),
]


@pytest.mark.parametrize(("name", "qual", "refused"), WHERE, ids=[t[0] for t in WHERE])
def test_title_where_restriction_and_verification_are_decided_by_the_rule(name: str, qual: dict,
                                                                        refused: bool) -> None:
    r = run(base_applicant(qualifications=[qual]))
    got = [f for f in findings(r, "PIT-TITLE-WHERE") if "不是在沪工作期间取得" in f.message]
    assert bool(got) == refused, name


# ---------------------------------------------------------------- PIT-PRIOR-DEGREE: who needs a prior 大专

def with_college(bachelor_mode: str, college_end: str, college_mode: str = "full_time", hs: bool = True,
                 bachelor_end: str = "2016-01") -> dict:
    college = degree("junior_college", mode=college_mode, start="2010-09", end=college_end, study_city="上海")
    bachelor = degree("bachelor", mode=bachelor_mode, start="2014-09", end=bachelor_end, study_city="上海")
    school = [degree("high_school", start="2007-09", end="2010-07", diploma=True)] if hs else []
    return base_applicant(education=[*school, college, bachelor])


PRIOR = [
    # (name, applicant, what PIT-PRIOR-DEGREE must say, or None); the 大专 ends 2014-07
    ("part-time 本科 17 months after the 大专", with_college("self_study", "2014-07", bachelor_end="2015-12"),
     "专本套读"),
    ("part-time 本科 18 months after the 大专", with_college("self_study", "2014-07", bachelor_end="2016-01"), None),
    ("part-time 本科 begun before the 大专 ended", with_college("self_study", "2014-10"), "专本套读"),
    ("full-time 本科 needs no prior 大专", with_college("full_time", "2014-07", bachelor_end="2015-12"), None),
    ("adult 大专 without a high-school record", with_college("full_time", "2013-07", "adult", hs=False), "高中"),
    ("self-study 大专 needs no high-school record", with_college("full_time", "2013-07", "self_study", hs=False),
     None),
    ("adult 大专 with a high-school record", with_college("full_time", "2013-07", "adult"), None),
]


@pytest.mark.parametrize(("name", "doc", "says"), PRIOR, ids=[t[0] for t in PRIOR])
def test_prior_degree_decisions_are_the_rule_s(name: str, doc: dict, says: str | None) -> None:
    messages = [f.message for f in findings(run(doc), "PIT-PRIOR-DEGREE")]
    if says is None:
        assert messages == [], name
    else:
        assert any(says in m for m in messages), (name, messages)


def test_a_case_that_records_must_say_what_it_means(tmp_path: Path) -> None:
    """explain shows a recording case's `label` when it holds (it writes no message): a missing one fails at load."""
    root = planted(tmp_path, "      label: 三地一致成立：在上海学习（情形 a）\n", "")
    with pytest.raises(rulebook.RulesetError, match=r"pitfalls.yaml: PIT-THREE-PLACES\.cases\.2: .*needs a `label`"):
        rulebook.Rulebook(root)
