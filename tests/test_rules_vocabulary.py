"""The declared fact vocabulary: every name a rule uses is checked when the ruleset loads.

Each test copies the real ruleset, plants one typo of one kind of reference, and expects the load to
fail naming the file, the rule and the key (issue 8: renaming `si_6of12` to `si_6of2` used to load
silently and turn PRE-SI-6OF12 off).
"""

from __future__ import annotations

import datetime as dt
import glob
import shutil
from pathlib import Path

import pytest
import yaml

from jifen_check import rulebook, vocabulary
from jifen_check.checklist import CatalogueError, load_catalogue
from jifen_check.facts import measure
from jifen_check.validate import to_applicant

SOURCE = rulebook.RULESETS_DIR / rulebook.DEFAULT_RULESET

TYPOS = [
    # (kind of reference, file, rule, text, typo, key named in the error)
    ("test key", "gates.yaml", "PRE-SI-6OF12", "test: {si_6of12: {lt:", "test: {si_6of2: {lt:", "si_6of2"),
    ("any key", "pitfalls.yaml", "PIT-TITLE-MATCH", 'any: [{matches: "no"}', 'any: [{matchs: "no"}', "matchs"),
    ("operator", "gates.yaml", "PRE-SI-6OF12", '{si_6of12: {lt: "@six', '{si_6of12: {less: "@six', "less"),
    ("$field value", "pitfalls.yaml", "PIT-DOUBLE-CITY", '{lt: "$si_valid_years"}', '{lt: "$si_valid_yeras"}',
     "$si_valid_yeras"),
    ("@parameter", "gates.yaml", "PRE-SI-6OF12", 'test: {si_6of12: {lt: "@six_of_twelve.min_months"}',
     'test: {si_6of12: {lt: "@six_of_twelve.min_month"}', "@six_of_twelve.min_month"),
    ("facts entry", "pitfalls.yaml", "PIT-THREE-PLACES", "facts: [edu_label, study_city,",
     "facts: [edu_lable, study_city,", "edu_lable"),
    ("line facts entry", "points.yaml", "PTS-AGE", "facts: [age, birth_date]", "facts: [age, birthday]", "birthday"),
    ("message placeholder", "gates.yaml", "PRE-SI-6OF12", "申请前 12 个月（{si_6of12_window}）",
     "申请前 12 个月（{si_6of12_windw}）", "si_6of12_windw"),
    ("remedy placeholder", "gates.yaml", "PRE-SI-6OF12", "再连续缴纳 {si_6of12_wait} 个月", "再连续缴纳 {si_6of12_wai} 个月",
     "si_6of12_wai"),
    ("message parameter", "gates.yaml", "PRE-SI-6OF12", "不足 {@six_of_twelve.min_months} 个月",
     "不足 {@six_of_12.min_months} 个月", "six_of_12"),
    ("detail placeholder", "points.yaml", "PTS-AGE", 'detail: "{age} 周岁"', 'detail: "{ages} 周岁"', "ages"),
    ("line points", "points.yaml", "PTS-AGE", "points: $age_points,", "points: $age_pts,", "$age_pts"),
    ("evidence list", "pitfalls.yaml", "PIT-BACKPAY", '"*ev_backpay"', '"*ev_backpays"', "*ev_backpays"),
    ("block keep", "pitfalls.yaml", "PIT-DOUBLE-CITY", "keep: [$si_valid_years_safe,", "keep: [$si_years_safe,",
     "$si_years_safe"),
    ("block keep parameter", "pitfalls.yaml", "PIT-DOUBLE-CITY", 'keep: "@si_base_bands.1.points"',
     'keep: "@si_base_bands.1.point"', "@si_base_bands.1.point"),
    ("line points product", "points.yaml", "PTS-SI-YEARS", 'points: [$si_valid_years, "@si_years.points_per_block"]',
     'points: [$si_valid_years, "@si_years.points_per_blok"]', "@si_years.points_per_blok"),
    ("block target", "pitfalls.yaml", "PIT-THREE-PLACES", "block: {targets: [PTS-EDU], status: not_counted}}\n      message: \"{edu_label} 不符合",
     "block: {targets: [PTS-EDUC], status: not_counted}}\n      message: \"{edu_label} 不符合", "PTS-EDUC"),
    ("choose_best", "points.yaml", "PTS-EDU-OR-TITLE", "choose_best: [PTS-EDU, PTS-TITLE]",
     "choose_best: [PTS-EDU, PTS-TITEL]", "PTS-TITEL"),
    ("ordering on text", "pitfalls.yaml", "PIT-TITLE-WHERE", 'obtained_in_sh: "no",', 'obtained_in_sh: {gt: 0},',
     "obtained_in_sh"),
]


def planted(tmp_path: Path, file: str, text: str, typo: str) -> Path:
    root = tmp_path / "ruleset"
    shutil.copytree(SOURCE, root)
    path = root / "rules" / file
    body = path.read_text(encoding="utf-8")
    assert body.count(text) == 1, f"{text!r} must occur once in {file}"
    path.write_text(body.replace(text, typo), encoding="utf-8")
    return root


@pytest.mark.parametrize(("kind", "file", "rule", "text", "typo", "key"), TYPOS, ids=[t[0] for t in TYPOS])
def test_a_typo_fails_at_load_naming_file_rule_and_key(tmp_path, kind, file, rule, text, typo, key):
    root = planted(tmp_path, file, text, typo)
    with pytest.raises(rulebook.RulesetError) as err:
        rulebook.Rulebook(root)
    message = str(err.value)
    assert file in message and rule in message and key in message, message


def test_the_real_ruleset_loads():
    assert rulebook.Rulebook(SOURCE).rules


def test_a_checklist_typo_fails_at_load(tmp_path):
    """documents.yaml: a `line.facts` key and a rule ID are checked against the vocabulary and the rules."""
    body = (SOURCE / "documents.yaml").read_text(encoding="utf-8")
    text = "facts: {three_places_case: c}"
    assert body.count(text) == 1
    bad = tmp_path / "documents.yaml"
    bad.write_text(body.replace(text, "facts: {three_place_case: c}"), encoding="utf-8")
    with pytest.raises(CatalogueError, match="three_place_case"):
        load_catalogue(bad)
    bad.write_text(body.replace("rule: PTS-EDU, min_points: 1, facts:", "rule: PTS-EDUC, min_points: 1, facts:"),
                   encoding="utf-8")
    with pytest.raises(CatalogueError, match="PTS-EDUC"):
        load_catalogue(bad)


def _corpus() -> list:
    root = Path(__file__).parent.parent
    out = []
    for f in sorted(glob.glob(str(root / "tests/cases_qa/*.yaml")) + glob.glob(str(root / "samples/*.yaml"))):
        doc = yaml.safe_load(Path(f).read_text(encoding="utf-8"))
        app, _ = to_applicant(doc.get("applicant", doc))
        if app is not None:
            out.append(app)
    return out


def test_measure_produces_exactly_the_declared_vocabulary():
    """Every key facts.measure emits is declared; every declared key is emitted for some applicant."""
    book = rulebook.load()
    seen: dict[str, set[str]] = {e: set() for e in ("profile", "degree", "qual", "detail", "degree_detail",
                                                    "qual_detail")}
    start = book.header.in_force["from"]
    for app in _corpus():
        day = app.as_of or dt.date(2026, 11, 18)
        if day < start:  # judged as DATA-DATES before any measuring (tests/cases_qa/r2-asof-before-ruleset-*)
            continue
        obs = measure(book, app, day)
        seen["profile"] |= set(obs.profile)
        seen["detail"] |= set(obs.details)
        for d in obs.degrees:
            seen["degree"] |= set(d)
        for d in obs.degree_details:
            seen["degree_detail"] |= set(d)
        for q in obs.quals:
            seen["qual"] |= set(q)
        for q in obs.qual_details:
            seen["qual_detail"] |= set(q)
    declared = {"profile": vocabulary.PROFILE, "degree": vocabulary.DEGREE, "qual": vocabulary.QUAL,
                "detail": vocabulary.DETAIL, "degree_detail": vocabulary.DEGREE_DETAIL,
                "qual_detail": vocabulary.QUAL_DETAIL}
    for entity, keys in seen.items():
        assert keys - set(declared[entity]) == set(), f"{entity}: measured but not declared"
        assert set(declared[entity]) - keys - {"idx"} == set(), f"{entity}: declared but never measured"


def test_every_declaration_has_a_label_definition_and_reference():
    for table in (vocabulary.PROFILE, vocabulary.DEGREE, vocabulary.QUAL, vocabulary.TOTAL, vocabulary.DETAIL):
        for q in table.values():
            assert q.label and q.definition and q.reference, q


def test_explain_shows_each_parameter_value_used_with_its_source():
    from tests.conftest import ROOT, run_cli

    out = run_cli("explain", str(ROOT / "samples" / "01-bachelor-degree.yaml"), "PRE-SI-6OF12").stdout.decode()
    assert "所用参数" in out and "沪府规〔2022〕21号" in out
    # the parameter by its description and value; its key only as the trailing reference
    assert "申请前 12 个月内累计缴纳职工社保的最少月数：6（2023-01-01 起" in out and "参数 six_of_twelve.min_months）" in out
