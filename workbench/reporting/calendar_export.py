"""Export a demo schedule as an iCalendar file (``.ics``) and as CSV.

The ``.ics`` holds one all-day VEVENT per demo (build blocks are not events): DTSTART and DTEND
are DATE values with DTEND exclusive (the day after the demo's last day, RFC 5545 §3.6.1).
Attendees are written as text in the DESCRIPTION, not as ATTENDEE mailto addresses, because the
workbench knows people's names, not their e-mail addresses; importing the file therefore never
sends invitations.

UIDs are stable: they are derived from the project (its id if given, else its name) and the
item's key (``ScheduleItem.key``: kind and feature), so exporting again — also after a re-plan
that moved the dates — gives the same UIDs and calendar programs update the events instead of
duplicating them.

The files are produced with the ``icalendar`` library and the standard ``csv`` module, which
escape commas, semicolons and newlines in user text; a CSV cell that a spreadsheet would run
as a formula is written as text (`spreadsheet_safe`).
"""

import csv
import hashlib
import io
import re
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta

from icalendar import Calendar, Event, vText

from workbench import clock
from workbench.domain.demo_schedule import ItemKind, ScheduleItem

__all__ = [
    "CSV_COLUMNS",
    "PRODID",
    "demo_schedule_to_csv",
    "demo_schedule_to_ics",
    "spreadsheet_safe",
]

PRODID = "-//Scoping Workbench//Demo schedule//EN"
"""The iCalendar product identifier of files this module writes."""

CSV_COLUMNS: tuple[str, ...] = (
    "kind",
    "title",
    "start",
    "end",
    "demo_type",
    "feature",
    "audience",
    "shows",
)
"""Header row of the CSV export; dates are ISO 8601 (YYYY-MM-DD), audience joined by "; "."""

_DEMO_TYPE_TEXT = {
    "light": "light (a few slides on one feature)",
    "big": "big (a fuller demo as work comes together)",
}


# Spreadsheets (Excel, LibreOffice, Google Sheets) run a cell starting with one of these as a
# formula (OWASP, "CSV Injection"); a tab or carriage return can hide one after it.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[-+]?(\d+([.,]\d*)?|[.,]\d+)([eE][-+]?\d+)?")


def spreadsheet_safe(text: str) -> str:
    """`text` as a CSV cell that a spreadsheet shows as text, never runs as a formula.

    A cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading
    single quote (``'=1+1``), which spreadsheets show as text; a plain number such as ``-5`` or
    ``+1.5`` is left as it is: ``spreadsheet_safe("=SUM(A1)")`` is ``"'=SUM(A1)"``.
    """
    if text.startswith(_FORMULA_START) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def _uid(
    project_ref: str, key: str, occurrence: int, uid_domain: str, *, prefix: str = "demo"
) -> str:
    seed = f"{project_ref}\x1f{key}\x1f{occurrence}".encode()
    return f"{prefix}-{hashlib.sha256(seed).hexdigest()[:24]}@{uid_domain}"


def _description(item: ScheduleItem) -> str:
    lines = []
    if item.demo_type is not None:
        lines.append(f"Demo type: {_DEMO_TYPE_TEXT[item.demo_type.value]}")
    if item.shows:
        lines.append(f"Shows: {item.shows}")
    if item.feature is not None:
        lines.append(f"Feature: {item.feature}")
    lines.append(f"Audience: {', '.join(item.audience) if item.audience else '(not set)'}")
    return "\n".join(lines)


def demo_schedule_to_ics(
    project_name: str,
    items: Sequence[ScheduleItem],
    *,
    uid_domain: str = "scoping-workbench",
    now: datetime | None = None,
    project_id: int | str | None = None,
) -> bytes:
    """Write the demos of a schedule as an iCalendar file.

    Args:
        project_name: shown in the calendar name and in each event's SUMMARY.
        items: the schedule items (build blocks are skipped).
        uid_domain: right-hand side of every UID (``…@uid_domain``).
        now: the DTSTAMP (timezone-aware; converted to UTC); the current time if None.
        project_id: a stable project id; if given, UIDs derive from it instead of the name, so
            renaming the project keeps them.

    Returns:
        The ``.ics`` file's bytes (UTF-8, CRLF line endings, lines folded by ``icalendar``).

    Raises:
        ValueError: if ``now`` is naive or a demo ends before it starts.

    Example:
        A one-day demo on Monday 2026-11-09 becomes ``DTSTART;VALUE=DATE:20261109`` and
        ``DTEND;VALUE=DATE:20261110``.
    """
    if now is None:
        now = clock.now()
    elif now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    stamp = now.astimezone(UTC)
    project_ref = f"id:{project_id}" if project_id is not None else f"name:{project_name}"

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    # A calendar's name is one line. It is wrapped in vText explicitly because icalendar escapes
    # commas and newlines only for values it knows to be TEXT, and NAME is not among them.
    calendar_name = vText(" ".join(f"{project_name}: demos".split()))
    calendar.add("name", calendar_name)
    calendar.add("x-wr-calname", calendar_name)
    calendar.add("uid", _uid(project_ref, "calendar", 0, uid_domain, prefix="calendar"))

    occurrences: dict[str, int] = {}
    for item in items:
        if item.kind is not ItemKind.DEMO:
            continue
        if item.end < item.start:
            raise ValueError(f"demo {item.title!r} ends before it starts")
        occurrence = occurrences.get(item.key, 0)
        occurrences[item.key] = occurrence + 1
        event = Event()
        event.add("uid", _uid(project_ref, item.key, occurrence, uid_domain))
        event.add("dtstamp", stamp)
        event.add("dtstart", item.start)
        event.add("dtend", item.end + timedelta(days=1))
        event.add("summary", vText(f"{project_name}: {item.title}"))
        event.add("description", vText(_description(item)))
        categories = ["Demo"]
        if item.demo_type is not None:
            categories.append(f"{item.demo_type.value.capitalize()} demo")
        event.add("categories", categories)
        calendar.add_component(event)
    return calendar.to_ical()


def demo_schedule_to_csv(items: Iterable[ScheduleItem]) -> str:
    """Write every schedule item (builds and demos) as CSV with a header row (``CSV_COLUMNS``).

    Fields with commas, quotes or newlines are quoted by the ``csv`` module, so they read back
    with ``csv.reader`` (open files with ``newline=""``). Rows end with CRLF (RFC 4180). A
    text cell a spreadsheet would run as a formula (see `spreadsheet_safe`) gets a leading
    single quote, so it shows as text.

    Returns:
        The CSV text.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for item in items:
        writer.writerow(
            (
                item.kind.value,
                spreadsheet_safe(item.title),
                item.start.isoformat(),
                item.end.isoformat(),
                item.demo_type.value if item.demo_type else "",
                spreadsheet_safe(item.feature or ""),
                spreadsheet_safe("; ".join(item.audience)),
                spreadsheet_safe(item.shows),
            )
        )
    return buffer.getvalue()
