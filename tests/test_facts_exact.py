"""The social-insurance month lists are counted the short way (the window's months looked up, a row
check before a scan, the 6-of-12 cure counted down): each gives what its definition gives, for
any months paid, in arrears, transferred in, or also insured elsewhere."""

from __future__ import annotations

import datetime as dt
from typing import Any

from builders import AS_OF, base_applicant
from hypothesis import given, settings
from hypothesis import strategies as st

from jifen_check import months as mo
from jifen_check import rulebook
from jifen_check.applicant import Applicant
from jifen_check.facts import Measurer
from jifen_check.money import dec

DAY = dt.date.fromisoformat(AS_OF)
AM = mo.of_date(DAY)
BASES = [4000.0, 7384.0, 12434.0, 12577.0, 15000.0, 36549.0, 9947.2]

_row = st.tuples(st.integers(min_value=-60, max_value=3), st.integers(min_value=0, max_value=14),
                 st.sampled_from(BASES), st.booleans(), st.booleans())


def _applicant(rows: list[tuple[int, int, float, bool, bool]], elsewhere: list[tuple[int, int]]) -> Applicant:
    """Rows (first month after AM, length, base, in arrears, transferred in); months insured elsewhere."""
    si = []
    for start, length, base, backpay, moved in rows:
        first, last = AM + start, min(AM + start + length, AM)
        month = mo.fmt(first) if first >= last else f"{mo.fmt(first)}..{mo.fmt(last)}"
        si.append({"month": month, "base": base, "back_payment": backpay, "transferred_in": moved})
    others = [{"from": mo.fmt(AM + a), "to": mo.fmt(AM + a + n), "city": "苏州"} for a, n in elsewhere]
    return Applicant.model_validate(base_applicant(social_insurance=si, other_social_insurance=others))


def _by_definition(m: Measurer) -> dict[str, Any]:
    """The lists as the definitions read (how they were computed before)."""
    am, si = m.app_month, m.si
    valid = {x for x, r in si.items() if not r.back_payment and x <= am}
    counted = {x for x in valid if not si[x].transferred}
    double = sorted(x for x in counted if x in m.others)
    win = m.p["six_of_twelve"]["window_months"]
    title = m.p["title_si_base"]
    cure: dict[str, Any] = {"si_6of12_cure_month": "—", "si_6of12_wait": "—"}
    for ahead in range(0, win + 2):
        target = am + ahead
        if sum(1 for x in range(target - win, target) if x in counted or am <= x < target) >= m.p["six_of_twelve"]["min_months"]:
            cure = {"si_6of12_cure_month": mo.fmt(target), "si_6of12_wait": ahead}
            break
    return {
        "counted": counted, "backpay": sorted(x for x, r in si.items() if r.back_payment), "double": double,
        "six": sorted(x for x in counted if am - win <= x <= am - 1),
        "title": sorted(x for x in valid if am - title["window_months"] <= x <= am - 1
                        and dec(si[x].base) >= m.wages.thresholds(x, (title["multiple"],))[0]),
        "years": len(counted) // m.p["si_years"]["months_per_block"],
        "years_safe": len(counted - set(double)) // m.p["si_years"]["months_per_block"],
        "cure": cure,
    }


@settings(max_examples=300, deadline=None)
@given(st.lists(_row, max_size=6), st.lists(st.tuples(st.integers(min_value=-60, max_value=-1),
                                                       st.integers(min_value=0, max_value=20)), max_size=2))
def test_the_month_lists_are_their_definitions(rows: list[tuple[int, int, float, bool, bool]],
                                              elsewhere: list[tuple[int, int]]) -> None:
    m = Measurer(rulebook.load(rulebook.DEFAULT_RULESET), _applicant(rows, elsewhere), DAY)
    want = _by_definition(m)
    got = {"counted": m.counted_months, "backpay": m.backpay_months, "double": m.double_months,
           "six": m.six_of_twelve_months, "title": m.title_base_month_list, "years": m.si_valid_years(),
           "years_safe": m.si_valid_years(without_double=True), "cure": m._six_cure(m.counted_months)}
    assert got == want


def test_the_lists_are_not_all_empty() -> None:
    """The strategy reaches every list (the equality above is not vacuous)."""
    rows = [(-50, 20, 15000.0, False, False), (-30, 10, 15000.0, True, False), (-12, 5, 36549.0, False, True),
            (-7, 7, 15000.0, False, False)]
    m = Measurer(rulebook.load(rulebook.DEFAULT_RULESET), _applicant(rows, [(-40, 10)]), DAY)
    want = _by_definition(m)
    assert all(want[k] for k in ("counted", "backpay", "double", "six", "title"))
    assert want["cure"]["si_6of12_wait"] != "—"
