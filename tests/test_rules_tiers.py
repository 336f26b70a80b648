"""The education and title tiers are decided by the rules (issue 8 "Measurements in Python, decisions
in rules"): facts/ measures a degree's level and certificates (`papers`) and a title's kind and level
(`grade`); PTS-EDU and PTS-TITLE pick the tier, with the points from education_points / title_points.

The pitfalls check only a degree or title that earns points (pitfalls.yaml: the papers PTS-EDU counts,
`papers_with_points`, or `diploma: true` in a rule about one level; a title that is not junior;
`upper_grades` for PIT-TITLE-SI-BASE and PIT-TITLE-EDU). These tests evaluate each of those tests on
every level × certificates and every grade against what the points rules count, and the tiers against
policy.md's table.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest

from jifen_check import conditions, rulebook
from jifen_check.engine import lookup

LEVELS = ["high_school", "secondary_vocational", "junior_college", "bachelor", "master", "doctor"]
CERTIFICATES = {"diploma+degree": (True, True), "diploma": (True, False), "degree": (False, True),
                "none": (False, False)}
GRADES = [f"skill_level/{n}" for n in (1, 2, 3, 4, 5)] + [
    f"{kind}/{level}" for kind in ("professional_title", "vocational_qualification")
    for level in ("junior", "intermediate", "senior")]

# policy.md PTS-EDU: 大专 50; 本科 without degree 60; 本科 + 学士学位 90; 硕士 both 100 (one certificate:
# the next tier the papers support); 博士 both 110. (level, diploma, degree) → points; absent: none.
EDU_TABLE = {("junior_college", True, True): 50, ("junior_college", True, False): 50,
             ("bachelor", True, False): 60, ("bachelor", True, True): 90,
             ("master", True, True): 100, ("master", True, False): 90, ("master", False, True): 90,
             ("doctor", True, True): 110, ("doctor", True, False): 100, ("doctor", False, True): 100}
# policy.md PTS-TITLE: skill 5: 15, 4: 30, 3: 60; skill 2 / intermediate (title or 职业资格): 100;
# skill 1 / senior: 140; junior: 0.
TITLE_TABLE = {"skill_level/5": 15, "skill_level/4": 30, "skill_level/3": 60, "skill_level/2": 100,
               "skill_level/1": 140, "professional_title/intermediate": 100,
               "vocational_qualification/intermediate": 100, "professional_title/senior": 140,
               "vocational_qualification/senior": 140}
UPPER = {"skill_level/2", "skill_level/1", "professional_title/intermediate", "professional_title/senior",
         "vocational_qualification/intermediate", "vocational_qualification/senior"}


@pytest.fixture(scope="module")
def book() -> rulebook.Rulebook:
    return rulebook.load()


def lines(book: rulebook.Rulebook, rule_id: str, fact: dict[str, Any]) -> list[tuple[int, str]]:
    """(points, status) of every case of `rule_id` that holds on `fact` (the pure evaluator)."""
    params = book.snapshot(dt.date(2026, 11, 18))

    def resolve(v: Any) -> Any:
        return lookup(v[1:], params) if isinstance(v, str) and v.startswith("@") else v

    out = []
    for case in book.rules[rule_id].cases:
        p = case.when.all[0]
        if case.then.line and conditions.all_hold(p.test, fact, resolve):
            points = case.then.line.points
            out.append((resolve(points) if isinstance(points, str) else points, case.then.line.status))
    return out


def earning_tests(book: rulebook.Rulebook, kind: str) -> list[tuple[str, dict[str, Any]]]:
    """(rule, the part of a pitfall's test that says what earns points) for every pitfall case on `kind`
    that limits itself to what earns points (`papers`, `diploma`, `level` or `grade`)."""
    keys = {"degree": ("papers", "diploma"), "qual": ("level", "grade")}[kind]
    out = []
    for rule in book.rules.values():
        if rule.kind != "pitfall":
            continue
        for case in rule.cases:
            p = case.when.all[0]
            part = {k: v for k, v in p.test.items() if k in keys}
            if p.fact == kind and part and case.then.block is not None:
                out.append((rule.id, {**part, **({"level": p.test["level"]} if "level" in p.test else {})}))
    return out


@pytest.mark.parametrize(("level", "certificates"), list(itertools.product(LEVELS, CERTIFICATES)))
def test_PTS_EDU_decides_the_tier_of_every_level_and_certificates(book, level: str, certificates: str) -> None:
    diploma, degree = CERTIFICATES[certificates]
    got = lines(book, "PTS-EDU", {"t": "degree", "papers": f"{level}/{certificates}"})
    want = EDU_TABLE.get((level, diploma, degree))
    if want is not None:
        assert got == [(want, "counted")]
    elif level in ("high_school", "secondary_vocational"):
        assert got == []
    else:  # no diploma: not counted, with the points the diploma would give
        assert got == [(EDU_TABLE[(level, True, degree)], "not_counted")]


@pytest.mark.parametrize("grade", GRADES)
def test_PTS_TITLE_decides_the_tier_of_every_kind_and_level(book, grade: str) -> None:
    got = lines(book, "PTS-TITLE", {"t": "qual", "grade": grade})
    assert got == ([(TITLE_TABLE[grade], "counted")] if grade in TITLE_TABLE else [(0, "not_counted")])


def counted(book: rulebook.Rulebook, rule_id: str, fact: dict[str, Any]) -> bool:
    got = lines(book, rule_id, fact)
    return bool(got) and got[0][1] == "counted"


def test_the_pitfalls_check_the_degrees_that_PTS_EDU_counts(book) -> None:
    tested = earning_tests(book, "degree")
    assert len(tested) == 7, tested
    for rule_id, part in tested:
        for level, certificates in itertools.product(LEVELS, CERTIFICATES):
            diploma, degree = CERTIFICATES[certificates]
            fact = {"t": "degree", "papers": f"{level}/{certificates}", "level": level, "diploma": diploma}
            if not conditions.all_hold({k: v for k, v in part.items() if k == "level"}, fact):
                continue  # a rule about another level
            checked = conditions.all_hold(part, fact)
            assert checked == counted(book, "PTS-EDU", fact), (rule_id, level, certificates)


def test_the_pitfalls_check_the_titles_that_PTS_TITLE_counts(book) -> None:
    tested = earning_tests(book, "qual")
    upper = [(r, part) for r, part in tested if "grade" in part]
    assert len(tested) == 10 and {r for r, _ in upper} == {"PIT-TITLE-SI-BASE", "PIT-TITLE-EDU"}, tested
    for rule_id, part in tested:
        for grade in GRADES:
            fact = {"t": "qual", "grade": grade, "level": grade.split("/")[1]}
            want = grade in UPPER if "grade" in part else counted(book, "PTS-TITLE", fact)
            assert conditions.all_hold(part, fact) == want, (rule_id, grade)
