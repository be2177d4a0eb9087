"""The date the tests run on, and helpers that state dates in the product's own terms.

`tests/conftest.py` pins the app's clock (`WORKBENCH_TODAY`) for the whole run, to
its `DEFAULT_TEST_TODAY` unless the environment already names a date; `.ci/run` runs the UI and
browser tests a second time on a date that is hard for calendars. Tests derive every date from
`TODAY`, never from the real clock, and count time boxes in working days as the product does.
"""

from __future__ import annotations

from datetime import date, timedelta

from workbench import clock
from workbench.domain.workdays import is_working_day, next_working_day

TODAY: date = clock.today()


def start_for_elapsed(elapsed: int, today: date = TODAY) -> date:
    """The first day of a time box that has spent exactly `elapsed` working days on `today`.

    Elapsed days count `today` when it is a working day (the product's rule), so on a Saturday
    one elapsed day means the box started on the Friday before. Zero means it starts on the next
    working day after `today`.
    """
    if elapsed == 0:
        return next_working_day(today)
    day, counted = today, 0
    while True:
        if is_working_day(day):
            counted += 1
            if counted == elapsed:
                return day
        day -= timedelta(days=1)


def monday_weeks_ago(weeks: int, today: date = TODAY) -> date:
    """The Monday of the week `weeks` weeks before the one holding `today`."""
    return today - timedelta(days=today.weekday() + 7 * weeks)
