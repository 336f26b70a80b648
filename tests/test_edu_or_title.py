"""PTS-EDU-OR-TITLE: only one of education and title counts, and it is the one a consultant would file."""

from __future__ import annotations

from builders import base_applicant, degree, line, qualification, run


def test_counted_degree_kept_when_it_already_passes() -> None:
    """本科 90 counted passes on its own: an at-risk title 100 is not preferred (PTS-EDU-OR-TITLE)."""
    doc = base_applicant(qualifications=[qualification(matches_position="unknown")])
    r = run(doc)
    assert r.verdict == "eligible"
    assert (line(r, "PTS-EDU").status, line(r, "PTS-EDU").points) == ("counted", 90)
    assert (line(r, "PTS-TITLE").status, line(r, "PTS-TITLE").reason) == ("not_counted", "PTS-EDU-OR-TITLE")


def test_at_risk_title_claimed_when_only_it_reaches_the_pass_mark() -> None:
    """大专 50 counted cannot pass; the at-risk title 100 can: claim it, verdict needs_review (PTS-EDU-OR-TITLE)."""
    doc = base_applicant(education=[degree("junior_college", degree=False)],
                         qualifications=[qualification(matches_position="unknown")])
    # ≥ 1× the average (the title's base condition holds) but under 36 months: no base bonus.
    doc["social_insurance"][0].update(month="2024-06..2026-11", base=13000)
    doc["income_tax"][0].update(month="2024-06..2026-10", income=14000)
    r = run(doc)
    assert r.verdict == "needs_review"
    assert (line(r, "PTS-TITLE").status, line(r, "PTS-TITLE").points) == ("at_risk", 100)
    assert (line(r, "PTS-EDU").status, line(r, "PTS-EDU").reason) == ("not_counted", "PTS-EDU-OR-TITLE")
    assert r.score.at_risk == 100


def test_lines_listed_in_ruleset_order() -> None:
    r = run(base_applicant(qualifications=[qualification(matches_position=True, appointed=True)]))
    order = [x.rule for x in r.score.lines]
    assert order.index("PTS-AGE") < order.index("PTS-EDU") < order.index("PTS-TITLE") < order.index("PTS-SI-YEARS")
