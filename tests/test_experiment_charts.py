"""The experiment charts: one bar per part of each box, the today line, overruns, burn lines.

Calendar: Monday 2026-11-23 … Thursday 26, Friday 27; Monday 30; Tuesday 2026-12-01.
A 2 + 2 box from Monday 23: research Mon–Tue, prototype Wed–Thu.
"""

from datetime import UTC, date, datetime

import pytest

from workbench.charts.experiments import (
    EXTENSION_TRACE,
    OVERRUN_TRACE,
    PROTOTYPE_TRACE,
    RESEARCH_TRACE,
    STATUS_COLOURS,
    TimelineEntry,
    burn_bars,
    burn_gauge,
    experiment_timeline,
)
from workbench.domain.timebox import TimeBox, extend, time_box_state

MON = date(2026, 11, 23)
DAY_MS = 86_400_000
WHEN = datetime(2026, 11, 26, 9, tzinfo=UTC)


def entry(label, status, today, *, extend_to=None, start=MON):
    box = TimeBox(start=start, research_days=2, prototype_days=2)
    extensions = ()
    if extend_to is not None:
        box = extend(box, reason="more data", new_end=extend_to, extended_by="A", extended_at=WHEN)
        extensions = ((date(2026, 11, 26), extend_to),)
    return TimelineEntry(
        label=label, status=status, state=time_box_state(box, today), extensions=extensions
    )


def trace(figure, name):
    matches = [t for t in figure.data if t.name == name]
    assert len(matches) == 1, f"expected one trace named {name!r}"
    return matches[0]


def test_one_bar_segment_per_part_with_dates_and_status_colours():
    today = date(2026, 11, 25)
    figure = experiment_timeline(
        [
            entry("Forest", "prototyping", today),
            entry("Rule", "researching", today, extend_to=date(2026, 12, 1)),
        ],
        today=today,
    )
    research, prototype = trace(figure, RESEARCH_TRACE), trace(figure, PROTOTYPE_TRACE)
    assert list(research.y) == ["Forest", "Rule"]
    assert list(research.base) == ["2026-11-23", "2026-11-23"]
    assert list(research.x) == [2 * DAY_MS, 2 * DAY_MS]  # Mon and Tue
    assert list(prototype.base) == ["2026-11-25", "2026-11-25"]
    assert list(prototype.x) == [2 * DAY_MS, 2 * DAY_MS]  # Wed and Thu
    assert list(research.marker.color) == [
        STATUS_COLOURS["prototyping"],
        STATUS_COLOURS["researching"],
    ]
    extension = trace(figure, EXTENSION_TRACE)
    assert list(extension.y) == ["Rule"]
    assert list(extension.base) == ["2026-11-27"]
    assert list(extension.x) == [5 * DAY_MS]  # Fri 27 to Tue 1, calendar days
    assert {t.name for t in figure.data} >= {"Status: prototyping", "Status: researching"}
    assert not [t for t in figure.data if t.name == OVERRUN_TRACE]


def test_today_line_is_drawn_on_today():
    today = date(2026, 11, 24)
    figure = experiment_timeline([entry("Forest", "researching", today)], today=today)
    [line] = [s for s in figure.layout.shapes if s.name == "today"]
    assert (line.x0, line.x1) == ("2026-11-24", "2026-11-24")
    assert any("Today" in a.text for a in figure.layout.annotations)


def test_overrun_is_marked_up_to_today_with_the_working_days_overdue():
    today = date(2026, 11, 30)  # Monday after a box that ended Thursday: Fri + Mon = 2 wd
    figure = experiment_timeline(
        [entry("Forest", "prototyping", today), entry("Done", "decided", today)], today=today
    )
    overrun = trace(figure, OVERRUN_TRACE)
    assert list(overrun.y) == ["Forest"]  # a decided box does not overrun
    assert list(overrun.base) == ["2026-11-27"]
    assert list(overrun.x) == [4 * DAY_MS]  # Fri 27 to Mon 30
    assert list(overrun.text) == ["+2 wd overdue"]


def test_empty_timeline_says_so():
    figure = experiment_timeline([], today=MON)
    assert any(a.text == "No experiments yet" for a in figure.layout.annotations)


def test_burn_bars_have_the_75_and_100_percent_lines_and_colour_by_state():
    wednesday, thursday = date(2026, 11, 25), date(2026, 11, 26)
    entries = [
        entry("Warned", "prototyping", wednesday),
        entry("Due", "prototyping", thursday),
        entry("Fresh", "researching", MON),
    ]
    figure = burn_bars(entries)
    [bars] = figure.data
    assert list(bars.x) == pytest.approx([75.0, 100.0, 25.0])
    assert list(bars.marker.color) == ["#fb8c00", "#c62828", "#43a047"]
    lines = {s.name: s.x0 for s in figure.layout.shapes}
    assert lines == {"warning 75 %": 75, "decision due 100 %": 100}


def test_burn_gauge_shows_the_burn_and_the_thresholds():
    gauge = burn_gauge(entry("Warned", "prototyping", date(2026, 11, 25)))
    [indicator] = gauge.data
    assert indicator.value == pytest.approx(75.0)
    assert indicator.gauge.threshold.value == 100
    assert [tuple(step.range) for step in indicator.gauge.steps][:2] == [(0, 75), (75, 100)]
