"""`explain` in plain words (issue 11): facts by their declared labels, values as words, the points
status and severity as labels; rule IDs and parameter keys only as references. In English with
--lang en, Chinese only in brackets (sources, notes, parameter descriptions, names)."""

from __future__ import annotations

import re

import pytest

from jifen_check import rulebook, vocabulary
from jifen_check.cli import judge_file
from jifen_check.explain import explain
from tests.conftest import ROOT, run_cli
from tests.test_english import CJK, _names, untranslated

SAMPLES = sorted((ROOT / "samples").glob("*.yaml"))
INTERNAL = {name for table in vocabulary.TESTABLE.values() for name in table if "_" in name or len(name) > 4}
CODES = {"counted", "at_risk", "not_counted", "blocker", "warning", "review", "profile", "degree", "qual",
         "unknown", "true", "false", "None", "True", "False"}


def _words(text: str) -> set[str]:
    """ASCII words left once rule IDs and the trailing parameter references are taken out."""
    text = re.sub(r"(参数|parameter) [a-z_][\w.]*", "", text)
    text = re.sub(r"(?<![\w-])[A-Z]{2,}(?:-[A-Z0-9*]+)+", "", text)
    return set(re.findall(r"[A-Za-z_][\w]*", text))


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_explain_names_no_internal_fact_or_code(sample) -> None:
    book = rulebook.load()
    judgement = judge_file(str(sample), None, False)
    for rule_id in book.rules:
        out = explain(book, judgement, rule_id)
        left = _words(out)
        assert not left & INTERNAL, (rule_id, sorted(left & INTERNAL))
        assert not left & CODES, (rule_id, sorted(left & CODES))
        assert "事实 " not in out, rule_id
        english = explain(book, judgement, rule_id, "en")
        snake = {w for w in _words(english) if "_" in w}  # in English, `counted` is a word, `si_6of12` a name
        assert not snake, (rule_id, sorted(snake))
        assert untranslated(english, _names(sample)) == [], (rule_id, untranslated(english, _names(sample)))


def test_every_tested_fact_has_an_english_label() -> None:
    for kind, table in vocabulary.TESTABLE.items():
        for q in table.values():
            assert q.label_en and not CJK.search(q.label_en), (kind, q.name)


def test_the_check_itself_sees_an_internal_name() -> None:
    assert "si_base_points" in _words("✓ si_base_points > 0 参数 pass_mark PRE-SCORE")
    assert _words("参数 six_of_twelve.min_months PRE-SI-6OF12") == set()


def test_explain_shows_which_entry_status_and_severity_in_words() -> None:
    out = run_cli("explain", str(ROOT / "samples" / "11-needs-review-title-appointment.yaml"), "pit-title-match")
    text = out.stdout.decode()
    assert out.returncode == 0 and text.startswith("PIT-TITLE-MATCH")  # a lower-case ID is accepted
    assert "第 2 种情形成立（职称技能第 1 条）" in text and "【风险提示】" in text
    assert "✓ 与岗位相符 ≠ 否   （实际 不清楚）" in text
    edu = run_cli("explain", str(ROOT / "samples" / "11-needs-review-title-appointment.yaml"), "PTS-EDU").stdout.decode()
    assert "积分：50 分，不计（因「学历与职称（技能）取其高者」 PTS-EDU-OR-TITLE）" in edu


def test_explain_in_english() -> None:
    p = run_cli("explain", str(ROOT / "samples" / "11-needs-review-title-appointment.yaml"), "pit-title-match",
                "--lang", "en")
    text = p.stdout.decode()
    assert p.returncode == 0 and text.startswith("PIT-TITLE-MATCH  Title or skill matches the position")
    assert "Case 2 holds (Title/skill entry 1)" in text and "✓ Matches the job ≠ no   (actual: unknown)" in text


def test_as_things_are_says_how_far_it_looked() -> None:
    """Sample 09: 'as things are' names the 60 months projected, as the earliest-date line does,
    instead of claiming eligibility is never reached (its remedy mentions waiting for SI years)."""
    text = run_cli("check", str(ROOT / "samples" / "09-fails-three-places.yaml")).stdout.decode()
    assert "现状：什么都不改、按当前缴费持续，60 个月内不会自行达到申请条件" in text
    assert "不会自行达到申请条件" not in text.replace("60 个月内不会自行达到申请条件", "")



def test_a_case_that_only_records_says_what_it_means() -> None:
    """A part-time degree that passes 三地一致 fires a case that records which of (a)–(c) holds; explain
    says so in words, not only 「第 4 种情形成立」. A failing degree shows its finding instead."""
    passing = run_cli("explain", str(ROOT / "samples" / "06-non-full-time-degree.yaml"), "PIT-THREE-PLACES")
    text = passing.stdout.decode()
    assert "（学历第 3 条）：三地一致成立：在户籍省份学习，学习期间无外地社保（情形 b）" in text, text
    english = run_cli("explain", str(ROOT / "samples" / "06-non-full-time-degree.yaml"), "PIT-THREE-PLACES",
                      "--lang", "en").stdout.decode()
    assert "(Education entry 3): The three places agree: studied in the hukou province" in english
    failing = run_cli("explain", str(ROOT / "samples" / "09-fails-three-places.yaml"), "PIT-THREE-PLACES")
    assert "三地一致成立" not in failing.stdout.decode() and "不符合三地一致" in failing.stdout.decode()
