"""Working-day arithmetic: weekends (Saturday, Sunday) and an optional set of holidays are skipped.

Every time box and schedule in the workbench is counted in working days, so these few functions
fix the counting rules once:

- a *box* of ``n`` working days starting on ``start`` covers the first ``n`` working days on or
  after ``start``; its end date is the last of them (``add_working_days``);
- a *distance* between two dates counts the working days in the half-open interval ``[a, b)``
  (``working_days_between``), so moving a working day by ``k`` working days gives a distance of
  ``k``.

Holidays are plain dates; a holiday that falls on a weekend changes nothing.
"""

from collections.abc import Iterable
from datetime import date, timedelta

__all__ = [
    "InvalidTimeBox",
    "add_working_days",
    "is_working_day",
    "next_working_day",
    "working_day_on_or_after",
    "working_days_between",
]

_ONE_DAY = timedelta(days=1)
_SATURDAY = 5


class InvalidTimeBox(ValueError):
    """A time box (or schedule block) was asked for with no working days in it."""


def _holiday_set(holidays: Iterable[date]) -> frozenset[date]:
    return holidays if isinstance(holidays, frozenset) else frozenset(holidays)


def is_working_day(day: date, holidays: Iterable[date] = ()) -> bool:
    """Tell whether ``day`` is a working day.

    Args:
        day: the calendar date to test.
        holidays: dates that are not worked even though they fall Monday to Friday.

    Returns:
        True for Monday to Friday unless ``day`` is in ``holidays``.

    Example:
        >>> is_working_day(date(2026, 11, 20))  # a Friday
        True
        >>> is_working_day(date(2026, 11, 21))  # a Saturday
        False
    """
    return day.weekday() < _SATURDAY and day not in _holiday_set(holidays)


def working_day_on_or_after(day: date, holidays: Iterable[date] = ()) -> date:
    """Return ``day`` itself if it is a working day, else the first working day after it.

    Example:
        >>> working_day_on_or_after(date(2026, 11, 21))  # Saturday -> Monday
        datetime.date(2026, 11, 23)
    """
    off = _holiday_set(holidays)
    while not is_working_day(day, off):
        day += _ONE_DAY
    return day


def next_working_day(day: date, holidays: Iterable[date] = ()) -> date:
    """Return the first working day strictly after ``day`` (``day`` itself never counts).

    Example:
        >>> next_working_day(date(2026, 11, 20))  # Friday -> Monday
        datetime.date(2026, 11, 23)
    """
    return working_day_on_or_after(day + _ONE_DAY, holidays)


def add_working_days(start: date, n: int, holidays: Iterable[date] = ()) -> date:
    """Return the end date of a box of ``n`` working days that starts on ``start``.

    The box covers the first ``n`` working days on or after ``start``: if ``start`` is a weekend
    day or a holiday the box starts on the next working day. The returned end date is the last
    working day *inside* the box (inclusive), so a one-day box ends on the day it starts.

    Args:
        start: the requested first day of the box.
        n: length of the box in working days; must be at least 1.
        holidays: dates that are not worked.

    Returns:
        The last working day of the box.

    Raises:
        InvalidTimeBox: if ``n`` is not a positive integer.

    Example:
        >>> add_working_days(date(2026, 11, 20), 1)  # Friday, one day: ends that Friday
        datetime.date(2026, 11, 20)
        >>> add_working_days(date(2026, 11, 20), 2)  # Friday + Monday
        datetime.date(2026, 11, 23)
        >>> add_working_days(date(2026, 11, 21), 5)  # starts Saturday -> Monday to Friday
        datetime.date(2026, 11, 27)
    """
    if isinstance(n, bool) or not isinstance(n, int):
        raise InvalidTimeBox(f"a time box needs a whole number of working days, got {n!r}")
    if n <= 0:
        raise InvalidTimeBox(f"a time box needs at least one working day, got {n}")
    off = _holiday_set(holidays)
    day = working_day_on_or_after(start, off)
    for _ in range(n - 1):
        day = next_working_day(day, off)
    return day


def _weekdays_before(day: date) -> int:
    """Count Monday-to-Friday dates from an arbitrary fixed Monday up to ``day`` (exclusive)."""
    ordinal = day.toordinal() - 1  # date.fromordinal(1) is a Monday, so ordinal 0 is a Monday
    full_weeks, rest = divmod(ordinal, 7)
    return full_weeks * 5 + min(rest, 5)


def working_days_between(a: date, b: date, holidays: Iterable[date] = ()) -> int:
    """Count the working days in the half-open interval ``[a, b)``: ``a`` counts, ``b`` does not.

    The count is signed: if ``b`` is before ``a`` the result is minus the count for ``[b, a)``.
    For two working days this is how many working days one is moved from the other, e.g. from a
    Friday to the next Monday is 1.

    Args:
        a: first date (included).
        b: second date (excluded).
        holidays: dates that are not worked.

    Returns:
        The number of working days, negative when ``b < a``.

    Example:
        >>> working_days_between(date(2026, 11, 20), date(2026, 11, 23))  # Fri -> Mon
        1
        >>> working_days_between(date(2026, 11, 23), date(2026, 11, 30))  # one full week
        5
    """
    if b < a:
        return -working_days_between(b, a, holidays)
    weekdays = _weekdays_before(b) - _weekdays_before(a)
    off_days = sum(1 for h in _holiday_set(holidays) if a <= h < b and h.weekday() < _SATURDAY)
    return weekdays - off_days
