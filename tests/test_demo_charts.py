"""The demo timeline: build bars, light and big demo markers, today's line, moved items."""

from datetime import date, datetime

import pytest

from workbench.charts.demos import (
    BASELINE_TRACE,
    BIG_DEMO_TRACE,
    BUILD_TRACE,
    LIGHT_DEMO_TRACE,
    MOVED_BUILD_TRACE,
    MOVED_COLOUR,
    demo_timeline,
)
from workbench.domain.demo_schedule import Feature, plan_demo_schedule, replan

DAY_MS = 86_400_000
TODAY = date(2026, 11, 12)


@pytest.fixture
def schedule():
    # Model testing Mon 2 – Fri 6 Nov, review Mon 9, Alerts Tue 10 – Thu 12, its demo Fri 13,
    # Dashboard Mon 16 – Tue 17, full MVP demo Wed 18.
    return plan_demo_schedule(date(2026, 11, 2), 5, [Feature("Alerts", 3), Feature("Dashboard", 2)])


def traces(figure):
    return {trace.name: trace for trace in figure.data}


def test_builds_are_bars_in_one_lane_per_feature(schedule):
    figure = demo_timeline(schedule.items, today=TODAY)
    builds = traces(figure)[BUILD_TRACE]
    assert builds.type == "bar" and builds.orientation == "h"
    assert list(builds.y) == ["Model testing", "Alerts", "Dashboard"]
    assert list(builds.base) == ["2026-11-02", "2026-11-10", "2026-11-16"]
    # Mon 2 – Fri 6 covers five calendar days; Tue 10 – Thu 12 three.
    assert list(builds.x) == [5 * DAY_MS, 3 * DAY_MS, 2 * DAY_MS]
    assert list(figure.layout.yaxis.categoryarray) == ["Model testing", "Alerts", "Dashboard"]


def test_light_and_big_demos_are_told_apart(schedule):
    by_name = traces(demo_timeline(schedule.items, today=TODAY))
    light, big = by_name[LIGHT_DEMO_TRACE], by_name[BIG_DEMO_TRACE]
    assert list(light.y) == ["Alerts"]
    assert list(big.y) == ["Model testing", "Dashboard"]
    assert light.marker.symbol != big.marker.symbol
    assert light.marker.color != big.marker.color
    # A one-day demo's marker sits at noon of its day.
    assert list(light.x) == [datetime(2026, 11, 13, 12)]
    assert "Full MVP demo" in big.hovertext[1]
    assert MOVED_BUILD_TRACE not in by_name and BASELINE_TRACE not in by_name


def test_today_is_a_vertical_line(schedule):
    figure = demo_timeline(schedule.items, today=TODAY)
    [line] = [shape for shape in figure.layout.shapes if shape.name == "today"]
    assert (line.x0, line.x1, line.yref) == ("2026-11-12", "2026-11-12", "paper")
    assert any("Today 12 Nov" in a.text for a in figure.layout.annotations)


def test_items_moved_since_the_baseline_are_marked(schedule):
    slipped = replan(schedule, {"Alerts": 2})
    figure = demo_timeline(slipped.schedule.items, today=TODAY, moved=slipped.moved)
    by_name = traces(figure)
    assert list(by_name[BUILD_TRACE].y) == ["Model testing"]
    moved = by_name[MOVED_BUILD_TRACE]
    assert list(moved.y) == ["Alerts", "Dashboard"]
    assert moved.marker.color == MOVED_COLOUR
    assert "Moved 2 working day(s) later" in moved.hovertext[0]
    baseline = {t.type: t for t in figure.data if t.name == BASELINE_TRACE}
    assert list(baseline["bar"].base) == ["2026-11-10", "2026-11-16"]  # before the slip
    # The baseline demo dates: Alerts' demo was Fri 13, the full MVP demo Wed 18 (at noon).
    assert list(baseline["scatter"].x) == [datetime(2026, 11, 13, 12), datetime(2026, 11, 18, 12)]
    light = by_name[LIGHT_DEMO_TRACE]
    assert list(light.marker.line.color) == [MOVED_COLOUR]
    big = by_name[BIG_DEMO_TRACE]
    assert list(big.marker.line.color) == ["white", MOVED_COLOUR]  # the review did not move


def test_no_items_gives_an_empty_chart_that_says_so():
    figure = demo_timeline((), today=TODAY)
    assert figure.data == ()
    assert any(a.text == "No schedule yet" for a in figure.layout.annotations)
