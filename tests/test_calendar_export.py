"""iCalendar and CSV export of a demo schedule, read back with real parsers.

Schedule from Monday 2026-11-02 (model testing 5 days, features of 3, 2, 4, 1 days): demos on
Mon 9, Fri 13, Wed 18, Wed 25 and Fri 27 November 2026.
"""

import csv
import io
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from icalendar import Calendar

from workbench.domain.demo_schedule import Feature, plan_demo_schedule, replan
from workbench.reporting.calendar_export import (
    CSV_COLUMNS,
    demo_schedule_to_csv,
    demo_schedule_to_ics,
)

D = date
NOW = datetime(2026, 10, 30, 9, 30, tzinfo=UTC)
TRICKY = 'Churn, v2; "risk"\nsecond line'
FEATURES = (
    Feature("f1", 3, audience=("Marketing SME",)),
    Feature("f2", 2),
    Feature("f3", 4),
    Feature("f4", 1),
)


def schedule(features=FEATURES):
    return plan_demo_schedule(
        D(2026, 11, 2),
        5,
        features,
        light_demo_audience=("Team lead",),
        big_demo_audience=("Sponsor", "Team lead"),
    )


def events(ics: bytes):
    calendar = Calendar.from_ical(ics)
    return list(calendar.walk("VEVENT"))


def test_one_all_day_event_per_demo_with_exclusive_end():
    found = events(demo_schedule_to_ics("Acme churn", schedule().items, now=NOW))
    starts = [e.decoded("dtstart") for e in found]
    ends = [e.decoded("dtend") for e in found]
    assert starts == [
        D(2026, 11, 9),
        D(2026, 11, 13),
        D(2026, 11, 18),
        D(2026, 11, 25),
        D(2026, 11, 27),
    ]
    assert ends == [
        D(2026, 11, 10),
        D(2026, 11, 14),
        D(2026, 11, 19),
        D(2026, 11, 26),
        D(2026, 11, 28),
    ]
    assert all(type(d) is date for d in starts + ends)  # DATE values, not DATE-TIME
    assert [str(e["summary"]) for e in found] == [
        "Acme churn: Model testing review",
        "Acme churn: Demo: f1",
        "Acme churn: Demo: f2",
        "Acme churn: Demo: f3",
        "Acme churn: Full MVP demo",
    ]


def test_multi_day_demo_spans_its_days():
    plan = plan_demo_schedule(D(2026, 11, 2), 5, (), big_demo_working_days=2)
    (event,) = events(demo_schedule_to_ics("Acme", plan.items, now=NOW))
    assert (event.decoded("dtstart"), event.decoded("dtend")) == (D(2026, 11, 9), D(2026, 11, 11))


def test_uids_are_unique_stable_and_survive_a_replan():
    items = schedule().items
    first = demo_schedule_to_ics("Acme churn", items, now=NOW)
    again = demo_schedule_to_ics("Acme churn", items, now=NOW)
    assert first == again
    uids = [str(e["uid"]) for e in events(first)]
    assert len(set(uids)) == len(uids) == 5
    assert all(uid.endswith("@scoping-workbench") for uid in uids)

    moved = replan(schedule(), {"f1": 2}).schedule.items
    moved_events = events(demo_schedule_to_ics("Acme churn", moved, now=NOW))
    assert [str(e["uid"]) for e in moved_events] == uids
    assert moved_events[1].decoded("dtstart") == D(2026, 11, 17)


def test_uids_depend_on_the_project():
    items = schedule().items
    acme = {str(e["uid"]) for e in events(demo_schedule_to_ics("Acme", items, now=NOW))}
    other = {str(e["uid"]) for e in events(demo_schedule_to_ics("Other", items, now=NOW))}
    assert acme.isdisjoint(other)
    by_id = demo_schedule_to_ics("Acme", items, now=NOW, project_id=7, uid_domain="example.org")
    renamed = demo_schedule_to_ics(
        "Acme Ltd", items, now=NOW, project_id=7, uid_domain="example.org"
    )
    uids = [str(e["uid"]) for e in events(by_id)]
    assert uids == [str(e["uid"]) for e in events(renamed)]
    assert all(uid.endswith("@example.org") for uid in uids)


def test_calendar_header_stamp_and_description():
    ics = demo_schedule_to_ics("Acme churn", schedule().items, now=NOW)
    calendar = Calendar.from_ical(ics)
    assert str(calendar["version"]) == "2.0"
    assert "Scoping Workbench" in str(calendar["prodid"])
    assert b"\r\n" in ics
    found = events(ics)
    assert all(e.decoded("dtstamp") == NOW for e in found)
    assert all("ATTENDEE" not in e for e in found)
    review, f1_demo = str(found[0]["description"]), str(found[1]["description"])
    assert "Demo type: big" in review
    assert "Audience: Sponsor, Team lead" in review
    assert "Demo type: light" in f1_demo
    assert "Shows: Feature: f1 (a few slides)" in f1_demo
    assert "Audience: Team lead, Marketing SME" in f1_demo


def test_stamp_is_converted_to_utc():
    plus_two = datetime(2026, 10, 30, 11, 30, tzinfo=timezone(timedelta(hours=2)))
    (event,) = events(demo_schedule_to_ics("Acme", schedule(()).items, now=plus_two))
    assert event.decoded("dtstamp") == NOW
    assert event.decoded("dtstamp").utcoffset() == timedelta(0)


def test_naive_now_is_refused():
    with pytest.raises(ValueError, match="timezone"):
        demo_schedule_to_ics("Acme", schedule().items, now=datetime(2026, 10, 30, 9, 30))


def test_user_text_with_commas_and_newlines_round_trips_in_ics():
    items = schedule((Feature(TRICKY, 2, audience=("Dr. Lee, PhD",)),)).items
    ics = demo_schedule_to_ics("Acme, Inc.\nEMEA", items, now=NOW)
    # icalendar reads NAME back unparsed, so check the RFC 5545 TEXT escaping on the line itself;
    # a calendar name is one line.
    assert b"\r\nNAME:Acme\\, Inc. EMEA: demos\r\n" in ics
    found = events(ics)
    assert len(found) == 2
    assert all(not e.errors for e in found)
    assert str(found[1]["summary"]) == "Acme, Inc.\nEMEA: Full MVP demo"
    assert f"Feature: {TRICKY}" in str(found[1]["description"])
    assert "Dr. Lee, PhD" in str(found[1]["description"])


def read_csv(text: str):
    return list(csv.reader(io.StringIO(text, newline="")))


def test_csv_has_a_header_and_every_item():
    rows = read_csv(demo_schedule_to_csv(schedule().items))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert len(rows) == 1 + 10
    assert rows[1] == ["build", "Model testing", "2026-11-02", "2026-11-06", "", "", "", ""]
    assert rows[4] == [
        "demo",
        "Demo: f1",
        "2026-11-13",
        "2026-11-13",
        "light",
        "f1",
        "Team lead; Marketing SME",
        "Feature: f1 (a few slides)",
    ]
    assert rows[-1][:6] == ["demo", "Full MVP demo", "2026-11-27", "2026-11-27", "big", "f4"]


def test_csv_round_trips_a_title_with_a_comma_and_a_newline():
    items = schedule((Feature(TRICKY, 2),)).items
    rows = read_csv(demo_schedule_to_csv(items))
    assert len(rows) == 1 + 4
    assert rows[3][:2] == ["build", TRICKY]
    assert rows[3][5] == TRICKY
    assert all(len(row) == len(CSV_COLUMNS) for row in rows)
