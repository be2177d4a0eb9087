"""The one clock of the workbench: every "today" and "now" in the app comes from here.

Without configuration it is the real clock. The setting ``WORKBENCH_TODAY=YYYY-MM-DD`` pins the
date for tests, demos and screenshots: ``today()`` returns that date and ``now()`` returns that
date at the real time of day (UTC), so timestamps still advance within a run. The pages show a
notice while the date is pinned.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime

from workbench.config import TODAY_VARIABLE


class InvalidClockSetting(ValueError):
    """``WORKBENCH_TODAY`` is set to something that is not a calendar date."""


def pinned_today() -> date | None:
    """The date pinned by ``WORKBENCH_TODAY``, or None when the real clock is used.

    Raises:
        InvalidClockSetting: if the setting is not an ISO date such as ``2027-03-06``.
    """
    raw = os.environ.get(TODAY_VARIABLE, "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise InvalidClockSetting(
            f"{TODAY_VARIABLE}={raw!r} is not a date: write it as YYYY-MM-DD, e.g. 2027-03-06,"
            " or unset it to use the real date"
        ) from None


def now() -> datetime:
    """The current moment, timezone-aware UTC; on the pinned date when one is set."""
    real = datetime.now(UTC)
    pinned = pinned_today()
    if pinned is None:
        return real
    return datetime.combine(pinned, real.timetz())


def today() -> date:
    """Today's date: the pinned date when one is set, else the machine's local date."""
    pinned = pinned_today()
    return pinned if pinned is not None else now().astimezone().date()
