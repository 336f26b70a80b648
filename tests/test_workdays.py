"""Working days for PRE-PERMIT-SYNC."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jifen_check.workdays import (
    add_working_days,
    calendar_covers,
    first_usable_date,
    is_working_day,
    uncovered_years,
    working_days_between,
)

D = dt.date


@pytest.mark.parametrize("day", range(1, 8))
def test_national_day_2026_is_holiday(day: int) -> None:
    assert not is_working_day(D(2026, 10, day))


@pytest.mark.parametrize(
    ("d", "working"),
    [
        (D(2026, 10, 10), True),   # Saturday make-up day (调休上班)
        (D(2026, 10, 11), False),  # plain Sunday
        (D(2026, 10, 8), True),    # Thursday after the holiday
        (D(2026, 9, 20), True),    # Sunday make-up day before 中秋
        (D(2026, 9, 25), False),   # Friday, 中秋节
        (D(2026, 1, 2), False),    # Friday, 元旦 holiday
        (D(2026, 1, 4), True),     # Sunday make-up day
        (D(2025, 10, 8), False),   # 2025's 8-day National Day holiday
        (D(2025, 10, 11), True),
        (D(2024, 2, 18), True),    # Sunday make-up day after 春节
        (D(2024, 6, 10), False),   # Monday, 端午节
        (D(2026, 11, 18), True),   # an ordinary Wednesday
        (D(2026, 11, 21), False),  # an ordinary Saturday
    ],
)
def test_is_working_day(d: dt.date, working: bool) -> None:
    assert is_working_day(d) is working


def test_calendar_covers_only_years_in_data() -> None:
    assert calendar_covers(D(2024, 1, 1)) and calendar_covers(D(2026, 12, 31))
    assert not calendar_covers(D(2027, 1, 1))
    assert not calendar_covers(D(2023, 12, 31))


@pytest.mark.parametrize(
    ("d", "working"),
    [
        (D(2027, 1, 1), True),    # a Friday: 元旦 2027 is not in the data yet, so plain Mon–Fri
        (D(2027, 10, 1), True),   # Friday
        (D(2027, 10, 2), False),  # Saturday
        (D(2027, 10, 4), True),   # Monday
    ],
)
def test_2027_is_plain_monday_to_friday(d: dt.date, working: bool) -> None:
    assert is_working_day(d) is working


def test_uncovered_years() -> None:
    assert uncovered_years(D(2026, 12, 30), D(2027, 1, 6)) == [2027]
    assert uncovered_years(D(2025, 1, 1), D(2026, 12, 31)) == []


# --- add_working_days / first_usable_date ----------------------------------------------------


def test_brief_example_friday_2026_09_18() -> None:
    # The Sunday 2026-09-20 is a make-up working day, so it is the first of the three.
    assert add_working_days(D(2026, 9, 18), 1) == D(2026, 9, 20)
    assert add_working_days(D(2026, 9, 18), 3) == D(2026, 9, 22)
    assert first_usable_date(D(2026, 9, 18)) == D(2026, 9, 22)


def test_plain_week_friday_issue() -> None:
    # Fri 2026-11-13: Mon 16, Tue 17, Wed 18 -> usable on the third, Wed 18.
    assert add_working_days(D(2026, 11, 13), 3) == D(2026, 11, 18)
    assert first_usable_date(D(2026, 11, 13)) == D(2026, 11, 18)


def test_across_national_day_2026() -> None:
    # Tue 2026-09-29: Wed 30, then 10-01..07 off, Thu 10-08, Fri 10-09 -> third is 10-09.
    assert add_working_days(D(2026, 9, 29), 3) == D(2026, 10, 9)
    # Issued on the last holiday: Thu 8, Fri 9, Sat 10 (make-up) -> usable on Sat 10-10, a working day.
    assert add_working_days(D(2026, 10, 7), 3) == D(2026, 10, 10)
    assert first_usable_date(D(2026, 10, 7)) == D(2026, 10, 10)
    # Issued during the holiday: the holiday days do not count.
    assert add_working_days(D(2026, 10, 2), 1) == D(2026, 10, 8)


def test_across_spring_festival_2026() -> None:
    # Fri 2026-02-13: Sat 14 (make-up), then 15..23 off, Tue 24, Wed 25.
    assert add_working_days(D(2026, 2, 13), 3) == D(2026, 2, 25)


def test_into_uncovered_2027() -> None:
    # Wed 2026-12-30: Thu 31, Fri 2027-01-01 (plain weekday: no 2027 data), Mon 01-04.
    assert add_working_days(D(2026, 12, 30), 3) == D(2027, 1, 4)


def test_issued_on_a_make_up_day_counts_from_the_next_day() -> None:
    # The acceptance cases use Sun 2026-09-20 (a make-up day): the day itself is not counted.
    assert add_working_days(D(2026, 9, 20), 3) == D(2026, 9, 23)
    assert first_usable_date(D(2026, 9, 20)) == D(2026, 9, 23)


def test_zero_and_negative() -> None:
    assert add_working_days(D(2026, 10, 3), 0) == D(2026, 10, 3)
    with pytest.raises(ValueError):
        add_working_days(D(2026, 10, 3), -1)


# --- working_days_between --------------------------------------------------------------------


def test_working_days_between() -> None:
    assert working_days_between(D(2026, 9, 18), D(2026, 9, 22)) == 3
    assert working_days_between(D(2026, 9, 30), D(2026, 10, 7)) == 0
    assert working_days_between(D(2026, 9, 30), D(2026, 10, 10)) == 3
    assert working_days_between(D(2026, 11, 18), D(2026, 11, 18)) == 0
    assert working_days_between(D(2026, 11, 18), D(2026, 11, 1)) == 0


@pytest.mark.parametrize(("year", "count"), [(2024, 251), (2025, 248), (2026, 248)])
def test_working_days_per_year(year: int, count: int) -> None:
    # Counted by hand from the notices: weekdays - weekday holidays + make-up weekends,
    # e.g. 2026: 261 - 19 + 6 = 248; 2024 (leap year): 262 - 19 + 8 = 251.
    assert working_days_between(D(year - 1, 12, 31), D(year, 12, 31)) == count


dates = st.dates(min_value=D(2023, 6, 1), max_value=D(2028, 6, 1))


@given(dates, st.integers(min_value=0, max_value=40))
def test_add_and_between_agree(start: dt.date, n: int) -> None:
    end = add_working_days(start, n)
    assert working_days_between(start, end) == n
    if n:
        assert is_working_day(end)
        assert working_days_between(start, end - dt.timedelta(days=1)) == n - 1


@given(dates, dates)
def test_between_is_additive(a: dt.date, b: dt.date) -> None:
    a, b = min(a, b), max(a, b)
    mid = a + (b - a) / 2
    assert working_days_between(a, b) == working_days_between(a, mid) + working_days_between(mid, b)
