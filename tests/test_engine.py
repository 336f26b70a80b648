"""The durable-rules engine wrapper: the known traps, chaining, and the ruleset data loading."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import threading
from pathlib import Path

import durable_rules_engine
import pytest
import yaml

from jifen_check import engine as engine_mod
from jifen_check import rulebook
from jifen_check.applicant import Applicant
from jifen_check.engine import Engine, EngineError
from jifen_check.facts import measure
from jifen_check.judge import engine_for_process, judge
from tests.conftest import ROOT

CASE = yaml.safe_load((ROOT / "tests/cases/classic-bachelor-120.yaml").read_text(encoding="utf-8"))["applicant"]
DAY = dt.date(2026, 11, 18)


def observation(doc: dict | None = None):  # type: ignore[no-untyped-def]
    app = Applicant.model_validate(doc or CASE)
    return measure(rulebook.load(), app, DAY)


def test_no_background_timer_threads() -> None:
    before = {t.name for t in threading.enumerate()}
    eng = Engine(rulebook.load())
    eng.run(observation())
    timers = [t for t in threading.enumerate() if isinstance(t, threading.Timer)]
    assert timers == [], f"durable-rules timer threads running: {timers} (before: {before})"


def test_more_than_1024_applicants_in_one_process() -> None:
    """A ruleset holds at most 1024 live states: each run must delete its own."""
    eng = Engine(rulebook.load())
    obs = observation()
    for _ in range(1100):
        assert eng.run(obs).verdicts == ["eligible"]


def test_action_exception_is_raised_not_swallowed(monkeypatch: pytest.MonkeyPatch) -> None:
    eng = Engine(rulebook.load())

    def boom(self: object) -> None:
        raise ValueError("boom in action")

    monkeypatch.setattr(engine_mod.Effects, "line", boom)
    with pytest.raises(EngineError, match="boom in action"):
        eng.run(observation())
    monkeypatch.undo()
    assert eng.run(observation()).verdicts == ["eligible"]  # the engine survives it


def test_pitfall_block_chains_into_points_and_verdict() -> None:
    """PIT-THREE-PLACES asserts a block fact; PTS-EDU consumes it; the verdict follows the total."""
    doc = yaml.safe_load(yaml.safe_dump(CASE))
    doc["education"][0].update(mode="online", study_city="杭州")
    led = Engine(rulebook.load()).run(observation(doc))
    fired = [f.rule for f in led.fired]
    assert fired.index("PIT-THREE-PLACES") < fired.index("PTS-EDU") < fired.index("AGG-TOTAL")
    # Both pitfalls apply to an online 本科 studied in a third city with no 大专 before it.
    assert led.lines["PTS-EDU"].status == "not_counted"
    assert set(led.lines["PTS-EDU"].reasons) == {"PIT-THREE-PLACES", "PIT-PRIOR-DEGREE"}
    assert led.total["counted"] == 33 and led.verdicts == ["not_eligible"]


def test_a_fact_no_rule_tests_is_skipped_safely() -> None:
    """A high-school record matches no pattern: durable-rules refuses it; the run still completes."""
    doc = yaml.safe_load(yaml.safe_dump(CASE))
    doc["education"].insert(0, {"level": "high_school", "mode": "full_time", "diploma": True})
    assert Engine(rulebook.load()).run(observation(doc)).verdicts == ["eligible"]


def copy_ruleset(tmp_path: Path) -> Path:
    dst = tmp_path / "rs"
    shutil.copytree(rulebook.RULESETS_DIR / "shanghai-2023", dst)
    return dst


def test_misplaced_key_in_rule_fails_loudly(tmp_path: Path) -> None:
    root = copy_ruleset(tmp_path)
    f = root / "rules" / "gates.yaml"
    f.write_text(f.read_text(encoding="utf-8").replace("  severity: blocker\n", "  severty: blocker\n", 1), encoding="utf-8")
    with pytest.raises(rulebook.RulesetError, match=r"gates\.yaml.*severty"):
        rulebook.Rulebook(root)


def test_misplaced_key_in_parameter_fails_loudly(tmp_path: Path) -> None:
    root = copy_ruleset(tmp_path)
    f = root / "parameters" / "si_base_bands.yaml"
    f.write_text(f.read_text(encoding="utf-8").replace("min_months: 24", "min_month: 24"), encoding="utf-8")
    with pytest.raises(rulebook.RulesetError, match=r"si_base_bands\.yaml.*min_month"):
        rulebook.Rulebook(root)


def test_unknown_parameter_file_fails(tmp_path: Path) -> None:
    root = copy_ruleset(tmp_path)
    (root / "parameters" / "pass_mrak.yaml").write_text("description: x\nunit: y\nvalues: {2023-01-01: {value: 1, source: s}}\n")
    with pytest.raises(rulebook.RulesetError, match="pass_mrak"):
        rulebook.Rulebook(root)


def test_next_julys_average_wage_is_a_one_line_change(tmp_path: Path) -> None:
    root = copy_ruleset(tmp_path)
    f = root / "parameters" / "average_wage.yaml"
    # The 2026-07 value is in the ruleset now (issue 7): the next one is 2027-07. (Appending 2026-07-01
    # again only worked while a repeated YAML key silently replaced the first; the loader refuses it.)
    f.write_text(f.read_text(encoding="utf-8") + "  2027-07-01: {value: 13000, source: test}\n", encoding="utf-8")
    book = rulebook.Rulebook(root)
    assert book.param("average_wage", dt.date(2027, 7, 1)) == 13000
    assert book.param("average_wage", dt.date(2027, 6, 30)) == 12577
    assert book.parameters_as_of(dt.date(2027, 7, 1)) == dt.date(2027, 7, 1)


def test_parameters_are_dated() -> None:
    book = rulebook.load()
    assert book.param("average_wage", dt.date(2024, 6, 30)) == 12183
    assert book.param("average_wage", dt.date(2024, 7, 1)) == 12307
    assert book.parameters["average_wage"].source_at(dt.date(2025, 8, 1))


def test_every_rule_has_id_title_and_source() -> None:
    for rule in rulebook.load().rules.values():
        assert rule.title and rule.source, rule.id
        if rule.kind not in ("aggregate", "verdict"):
            assert rule.confidence, rule.id


def test_every_policy_id_is_in_the_ruleset() -> None:
    import re

    policy = (ROOT.parent / "shared" / "spec" / "policy.md")
    if not policy.exists():
        pytest.skip("shared spec not beside the project")
    ids = set(re.findall(r"`((?:PRE|VETO|PTS|BON|DED|PIT|DATA)-[A-Z0-9-]+)`", policy.read_text(encoding="utf-8")))
    assert ids - set(rulebook.load().rules) == set()


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


@pytest.mark.slow
def test_100k_applicants_in_one_process_all_present_and_correct() -> None:
    """The timer-thread race lost ~1 result per 50–90k; every one of 100,000 must come back right,
    and memory must stay flat (each engine state deleted, caches bounded)."""
    variants = []
    for mode, city in (("full_time", "上海"), ("online", "杭州"), ("self_study", "上海")):
        doc = yaml.safe_load(yaml.safe_dump(CASE))
        doc["education"][0].update(mode=mode, study_city=city)
        variants.append(doc)
    want = [(r.verdict, r.score.total, len(r.findings)) for r in (judge(d) for d in variants)]
    assert len(set(want)) == 3
    mem = 0.0
    for i in range(100_000):
        r = judge(variants[i % 3])
        assert (r.verdict, r.score.total, len(r.findings)) == want[i % 3], f"applicant {i}"
        if i == 10_000:
            mem = rss_mb()
    assert rss_mb() - mem < 30, f"memory grew from {mem:.0f} MB to {rss_mb():.0f} MB"
    for compiled in engine_for_process()._rulesets.values():  # every run's facts retracted: the state is empty
        assert durable_rules_engine.get_facts(compiled.handle, compiled.sid) == "[]"


def test_judge_never_raises_on_junk() -> None:
    for junk in (None, 3, "x", [], {"person": 1}, {"person": {"name": "a"}}):
        assert judge(junk, as_of=DAY).verdict == "invalid_input"


def test_a_firing_is_read_from_the_texts_asserted_or_else_parsed_whole() -> None:
    """durable-rules quotes each fact as the text it was given: Engine reads a firing's facts from the
    texts it asserted (once per run); a text it cannot match (a `}` inside a string) is parsed whole."""
    import orjson

    from jifen_check.engine.backend import _firing, _Session

    session = _Session(0, "1", None)  # type: ignore[arg-type]
    stage, fact, odd = ({"sid": "1", "t": "stage", "name": "points"}, {"sid": "1", "t": "profile", "age": 36},
                        {"sid": "1", "t": "qual", "name": "a}b"})
    for f in (stage, fact, odd):
        session.parsed[orjson.dumps(f).decode()] = None
    for msg in ({"PTS-AGE#0": {"stage": stage, "m": fact}}, {"PTS-X#0!": {"stage": stage, "q": odd}},
                {"AGG-TOTAL#0": {"stage": stage}}):
        text = orjson.dumps(msg).decode()
        rule, facts = _firing(text, session)
        assert {rule: facts} == orjson.loads(text)
    first = _firing(orjson.dumps({"R#0": {"stage": stage, "m": fact}}).decode(), session)[1]["m"]
    second = _firing(orjson.dumps({"R#0": {"stage": stage, "m": fact}}).decode(), session)[1]["m"]
    assert first == second and first is not second  # each firing its own copy, as parsing gave
