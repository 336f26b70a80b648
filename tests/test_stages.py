"""Stage ordering derived by engine/stages.py from what each rule reads and writes (issue 8).

The shipped rules carried `stage:`/`priority:` until the order was derived; TODAY is what they said,
so the derived order is proved equal to it. A rule added without a stage lands where it must, and an
override that breaks the order fails at load naming the file, the rule and the dependency.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from jifen_check import rulebook
from jifen_check.engine import stages

SOURCE = rulebook.RULESETS_DIR / rulebook.DEFAULT_RULESET
TINY = Path(__file__).parent / "rulesets" / "tiny"

# The YAML's own stage and priority before they were derived (commit 9796c0f); every other rule: checks, 0.
TODAY: dict[str, tuple[str, int]] = {
    **{r: ("points", 0) for r in (
        "PTS-AGE", "PTS-EDU", "PTS-TITLE", "PTS-SI-YEARS", "BON-SI-BASE", "BON-SHORTAGE-MAJOR", "BON-INVEST",
        "BON-PUBLIC-SERVICE", "BON-REMOTE-AREA", "BON-FRESH-GRAD", "BON-AWARD", "BON-SPOUSE-HUKOU", "BON-TALENT",
        "DED-FALSE-MATERIAL", "DED-DETENTION", "DED-CRIME")},
    "PTS-EDU-OR-TITLE": ("settle", 1),
    "AGG-TOTAL": ("settle", 2),
    **{r: ("settle", 3) for r in ("PRE-SCORE", "PIT-NEAR-THRESHOLD", "VERDICT-NOT-ELIGIBLE", "VERDICT-NEEDS-REVIEW",
                                  "VERDICT-ELIGIBLE")},
}


def _rank(book: rulebook.Rulebook, stage: str, priority: int) -> tuple[int, int]:
    return book.header.stages.index(stage), priority


def test_the_derived_order_is_todays_for_the_shipped_ruleset() -> None:
    """Same stage for every rule, and the same firing order within a stage (priorities may be
    numbered differently: only their order matters to durable-rules)."""
    book = rulebook.load()
    today = {rid: TODAY.get(rid, ("checks", 0)) for rid in book.rules}
    derived = {rid: (r.stage, r.priority) for rid, r in book.rules.items()}
    assert {rid: s for rid, (s, _) in derived.items()} == {rid: s for rid, (s, _) in today.items()}
    for a in book.rules:
        for b in book.rules:
            before_today = _rank(book, *today[a]) < _rank(book, *today[b])
            assert (_rank(book, *derived[a]) < _rank(book, *derived[b])) == before_today, (a, b)


def test_no_shipped_rule_sets_its_stage() -> None:
    for path in (SOURCE / "rules").glob("*.yaml"):
        body = path.read_text(encoding="utf-8")
        assert "\n  stage:" not in body and "\n  priority:" not in body, (
            f"{path.name}: a rule's stage and priority are derived at load (engine/stages.py): remove the line")


def _with(tmp_path: Path, file: str, text: str, source: Path = SOURCE) -> Path:
    root = tmp_path / "ruleset"
    shutil.copytree(source, root)
    path = root / "rules" / file
    path.write_text(path.read_text(encoding="utf-8") + "\n" + text, encoding="utf-8")
    return root


NEW_BONUS = """
- id: BON-NEW-LINE
  title: 新加分项
  kind: bonus
  confidence: official
  source: 测试
  cases:
    - when: {all: [{fact: profile, test: {age: {gt: 200}}}]}
      then: {line: {points: 5, detail: "{age} 周岁"}}
"""
NEW_PITFALL = """
- id: PIT-NEW-BLOCK
  title: 新风险
  kind: pitfall
  confidence: practice
  source: 测试
  severity: warning
  cases:
    - when: {all: [{fact: degree, test: {level: doctor}}]}
      then: {finding: true, block: {targets: [PTS-EDU], status: at_risk}}
      message: "{edu_label}"
"""
NEW_ON_TOTAL = """
- id: PIT-NEW-TOTAL
  title: 新总分提示
  kind: pitfall
  confidence: practice
  source: 测试
  severity: info
  cases:
    - when: {all: [{fact: total, test: {counted: {gt: 1000}}}]}
      message: "已计 {counted} 分"
"""


@pytest.mark.parametrize(("file", "text", "rule", "stage"), [
    ("bonuses.yaml", NEW_BONUS, "BON-NEW-LINE", "points"),
    ("pitfalls.yaml", NEW_PITFALL, "PIT-NEW-BLOCK", "checks"),
    ("pitfalls.yaml", NEW_ON_TOTAL, "PIT-NEW-TOTAL", "settle"),
], ids=["a score line", "a pitfall that blocks a line", "a rule on the total"])
def test_a_rule_added_without_a_stage_lands_where_it_must(tmp_path: Path, file: str, text: str, rule: str,
                                                         stage: str) -> None:
    book = rulebook.Rulebook(_with(tmp_path, file, text))
    new = book.rules[rule]
    assert new.stage == stage
    if stage == "settle":  # after the total, which it reads
        assert new.priority > book.rules["AGG-TOTAL"].priority
    # and it really runs there: the new pitfall's block reaches PTS-EDU, the new line is listed
    assert stages.violation(book.rules, {rid: _rank(book, r.stage, r.priority) for rid, r in book.rules.items()}) is None


def test_an_override_that_breaks_the_order_fails_at_load(tmp_path: Path) -> None:
    early = NEW_ON_TOTAL.replace("  severity: info\n", "  severity: info\n  stage: points\n")
    with pytest.raises(rulebook.RulesetError, match=r"pitfalls\.yaml: PIT-NEW-TOTAL\.stage: AGG-TOTAL must run "
                                                    r"before PIT-NEW-TOTAL \(PIT-NEW-TOTAL reads the total"):
        rulebook.Rulebook(_with(tmp_path, "pitfalls.yaml", early))


def test_a_priority_override_is_checked_too(tmp_path: Path) -> None:
    text = NEW_ON_TOTAL.replace("  severity: info\n", "  severity: info\n  stage: settle\n  priority: 0\n")
    with pytest.raises(rulebook.RulesetError, match=r"PIT-NEW-TOTAL\.priority: AGG-TOTAL must run before PIT-NEW-TOTAL"):
        rulebook.Rulebook(_with(tmp_path, "pitfalls.yaml", text))


def test_overrides_that_keep_the_order_are_accepted() -> None:
    """The tiny test ruleset still names its stages and priorities; they agree with the derivation's
    constraints, so it loads as written."""
    book = rulebook.Rulebook(TINY)
    assert book.rules["PTS-AGE"].stage == "points" and book.rules["VERDICT-ELIGIBLE"].priority == 3


def test_a_cycle_of_reads_fails_at_load() -> None:
    class R:  # the least a rule needs for the derivation
        def __init__(self, kind: str, cases: list) -> None:
            self.kind, self.cases = kind, cases

    book = rulebook.load()
    line_case = book.rules["PTS-AGE"].cases[0]
    choose_case = book.rules["PTS-EDU-OR-TITLE"].cases[0]
    both = R("points", [line_case, choose_case])  # reads the lines it writes itself: not a cycle
    assert stages.derive({"A": both})["A"] == (0, 0)
    with pytest.raises(stages.StageError, match="cycle"):
        stages.derive({"A": R("points", [line_case, choose_case]), "B": R("points", [line_case, choose_case])})
