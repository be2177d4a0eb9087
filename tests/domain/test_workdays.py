"""Working-day arithmetic, as tables checked against a printed calendar.

November 2026: Mon 2, 9, 16, 23, 30; Fri 6, 13, 20, 27. December 2026: Fri 4, 11, 18, 25;
Thu 31. January 2027: Fri 1, Mon 4.
"""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbench.domain.workdays import (
    InvalidTimeBox,
    add_working_days,
    is_working_day,
    next_working_day,
    working_day_on_or_after,
    working_days_between,
)

D = date
THANKSGIVING = D(2026, 11, 26)
CHRISTMAS = D(2026, 12, 25)
NEW_YEAR = D(2027, 1, 1)


@pytest.mark.parametrize(
    ("day", "holidays", "expected"),
    [
        pytest.param(D(2026, 11, 20), (), True, id="friday"),
        pytest.param(D(2026, 11, 21), (), False, id="saturday"),
        pytest.param(D(2026, 11, 22), (), False, id="sunday"),
        pytest.param(D(2026, 11, 23), (), True, id="monday"),
        pytest.param(THANKSGIVING, (), True, id="thursday-no-holidays"),
        pytest.param(THANKSGIVING, (THANKSGIVING,), False, id="thursday-holiday"),
        pytest.param(D(2026, 11, 28), (D(2026, 11, 28),), False, id="holiday-on-saturday"),
    ],
)
def test_is_working_day(day, holidays, expected):
    assert is_working_day(day, holidays) is expected


@pytest.mark.parametrize(
    ("day", "holidays", "on_or_after", "strictly_after"),
    [
        pytest.param(D(2026, 11, 20), (), D(2026, 11, 20), D(2026, 11, 23), id="friday"),
        pytest.param(D(2026, 11, 19), (), D(2026, 11, 19), D(2026, 11, 20), id="thursday"),
        pytest.param(D(2026, 11, 21), (), D(2026, 11, 23), D(2026, 11, 23), id="saturday"),
        pytest.param(D(2026, 11, 22), (), D(2026, 11, 23), D(2026, 11, 23), id="sunday"),
        pytest.param(
            D(2026, 11, 25), (THANKSGIVING,), D(2026, 11, 25), D(2026, 11, 27), id="before-holiday"
        ),
        pytest.param(
            THANKSGIVING,
            (THANKSGIVING, D(2026, 11, 27)),
            D(2026, 11, 30),
            D(2026, 11, 30),
            id="holiday-then-bridge-day",
        ),
        pytest.param(
            D(2026, 12, 31), (NEW_YEAR,), D(2026, 12, 31), D(2027, 1, 4), id="over-new-year"
        ),
    ],
)
def test_working_day_on_or_after_and_next(day, holidays, on_or_after, strictly_after):
    assert working_day_on_or_after(day, holidays) == on_or_after
    assert next_working_day(day, holidays) == strictly_after


@pytest.mark.parametrize(
    ("start", "n", "holidays", "end"),
    [
        pytest.param(D(2026, 11, 20), 1, (), D(2026, 11, 20), id="one-day-ends-same-day"),
        pytest.param(D(2026, 11, 20), 2, (), D(2026, 11, 23), id="friday-plus-monday"),
        pytest.param(D(2026, 11, 21), 1, (), D(2026, 11, 23), id="saturday-start-rolls-to-monday"),
        pytest.param(D(2026, 11, 21), 5, (), D(2026, 11, 27), id="saturday-start-five-days"),
        pytest.param(D(2026, 11, 22), 6, (), D(2026, 11, 30), id="sunday-start-six-days"),
        pytest.param(D(2026, 11, 23), 10, (), D(2026, 12, 4), id="two-weeks"),
        pytest.param(D(2026, 11, 23), 5, (THANKSGIVING,), D(2026, 11, 30), id="holiday-pushes-end"),
        pytest.param(
            D(2026, 12, 21),
            5,
            (CHRISTMAS, NEW_YEAR),
            D(2026, 12, 28),
            id="christmas-week",
        ),
        pytest.param(
            THANKSGIVING, 1, (THANKSGIVING,), D(2026, 11, 27), id="holiday-start-rolls-forward"
        ),
    ],
)
def test_add_working_days(start, n, holidays, end):
    assert add_working_days(start, n, holidays) == end


@pytest.mark.parametrize("n", [0, -1, -10, 1.5, True, "3"], ids=repr)
def test_add_working_days_rejects_an_empty_or_odd_box(n):
    with pytest.raises(InvalidTimeBox):
        add_working_days(D(2026, 11, 23), n)


def test_invalid_time_box_is_a_value_error():
    assert issubclass(InvalidTimeBox, ValueError)


@pytest.mark.parametrize(
    ("a", "b", "holidays", "expected"),
    [
        pytest.param(D(2026, 11, 20), D(2026, 11, 20), (), 0, id="same-day"),
        pytest.param(D(2026, 11, 20), D(2026, 11, 23), (), 1, id="friday-to-monday"),
        pytest.param(D(2026, 11, 20), D(2026, 11, 21), (), 1, id="friday-to-saturday"),
        pytest.param(D(2026, 11, 21), D(2026, 11, 23), (), 0, id="weekend-only"),
        pytest.param(D(2026, 11, 23), D(2026, 11, 30), (), 5, id="one-week"),
        pytest.param(D(2026, 11, 23), D(2026, 11, 30), (THANKSGIVING,), 4, id="week-with-holiday"),
        pytest.param(
            D(2026, 11, 23), D(2026, 11, 30), (D(2026, 11, 28),), 5, id="saturday-holiday-ignored"
        ),
        pytest.param(D(2026, 11, 23), THANKSGIVING, (THANKSGIVING,), 3, id="end-excluded"),
        pytest.param(D(2026, 11, 23), THANKSGIVING, (D(2026, 11, 23),), 2, id="start-included"),
        pytest.param(D(2026, 11, 30), D(2026, 11, 23), (), -5, id="backwards-is-negative"),
        pytest.param(D(2026, 11, 2), D(2026, 12, 1), (), 21, id="november"),
        pytest.param(D(2026, 12, 21), D(2027, 1, 4), (CHRISTMAS, NEW_YEAR), 8, id="year-end"),
    ],
)
def test_working_days_between(a, b, holidays, expected):
    assert working_days_between(a, b, holidays) == expected


days = st.dates(min_value=D(2024, 1, 1), max_value=D(2030, 12, 31))
holiday_sets = st.frozensets(days, max_size=20)


@given(a=days, span=st.integers(min_value=0, max_value=120), holidays=holiday_sets)
def test_working_days_between_matches_counting_day_by_day(a, span, holidays):
    b = a + timedelta(days=span)
    by_hand = sum(
        1
        for offset in range(span)
        if (a + timedelta(days=offset)).weekday() < 5 and a + timedelta(days=offset) not in holidays
    )
    assert working_days_between(a, b, holidays) == by_hand
    assert working_days_between(b, a, holidays) == -by_hand


@given(start=days, n=st.integers(min_value=1, max_value=60), holidays=holiday_sets)
def test_a_box_of_n_days_holds_n_working_days(start, n, holidays):
    end = add_working_days(start, n, holidays)
    first = working_day_on_or_after(start, holidays)
    assert is_working_day(end, holidays)
    assert working_days_between(first, end, holidays) + 1 == n
