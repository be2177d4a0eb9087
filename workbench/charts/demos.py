"""The demo plan as a timeline: build blocks as bars, demos as markers, today as a line.

One lane per feature (plus one for model testing): its build block, then its demo. Light demos
(a few slides on one feature) and big demos (model-testing review, milestones, full MVP) get
different marker shapes and colours. Items whose dates moved since the accepted baseline are
drawn in orange, with their baseline dates in grey behind them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta

import plotly.graph_objects as go

from workbench.charts.common import FONT, add_empty_note, add_today_line, plain
from workbench.domain.demo_schedule import (
    MODEL_TESTING_TITLE,
    DemoType,
    ItemKind,
    MovedItem,
    ScheduleItem,
)

__all__ = [
    "BASELINE_TRACE",
    "BIG_DEMO_TRACE",
    "BUILD_TRACE",
    "LIGHT_DEMO_TRACE",
    "MOVED_BUILD_TRACE",
    "demo_timeline",
]

BUILD_TRACE = "Build"
MOVED_BUILD_TRACE = "Build (moved since baseline)"
BASELINE_TRACE = "Baseline dates"
LIGHT_DEMO_TRACE = "Light demo (a few slides)"
BIG_DEMO_TRACE = "Big demo"

BUILD_COLOUR = "#90a4ae"
MOVED_COLOUR = "#ef6c00"
BASELINE_COLOUR = "rgba(120, 120, 120, 0.30)"
DEMO_COLOURS = {DemoType.LIGHT: "#00897b", DemoType.BIG: "#6a1b9a"}
DEMO_SYMBOLS = {DemoType.LIGHT: "diamond", DemoType.BIG: "star"}
DEMO_SIZES = {DemoType.LIGHT: 15, DemoType.BIG: 24}
_DAY_MS = 24 * 60 * 60 * 1000


def _lane(item: ScheduleItem) -> str:
    return plain(item.feature) if item.feature is not None else MODEL_TESTING_TITLE


def _length_ms(start: date, end: date) -> int:
    """Bar length covering whole calendar days from `start` to `end` inclusive."""
    return ((end - start).days + 1) * _DAY_MS


def _middle(start: date, end: date) -> datetime:
    """The middle of the days a demo takes, where its marker sits."""
    return datetime.combine(start, time()) + ((end - start) + timedelta(days=1)) / 2


def _dates(start: date, end: date) -> str:
    return start.isoformat() if start == end else f"{start.isoformat()} to {end.isoformat()}"


def _shift_text(move: MovedItem | None) -> str:
    if move is None:
        return ""
    days = move.end_shift_working_days or move.start_shift_working_days
    direction = "later" if days > 0 else "earlier"
    return (
        f"<br><b>Moved {abs(days)} working day(s) {direction}</b> "
        f"(baseline {_dates(move.old_start, move.old_end)})"
    )


def _hover(item: ScheduleItem, move: MovedItem | None) -> str:
    lines = [f"<b>{plain(item.title)}</b>", _dates(item.start, item.end)]
    if item.demo_type is not None:
        lines.append(f"{item.demo_type.value} demo")
    if item.shows:
        lines.append(plain(item.shows))
    if item.audience:
        lines.append("Audience: " + plain(", ".join(item.audience)))
    return "<br>".join(lines) + _shift_text(move)


def _bar(name: str, items: Sequence[ScheduleItem], colour: str, hovers: Sequence[str]) -> go.Bar:
    return go.Bar(
        name=name,
        orientation="h",
        y=[_lane(i) for i in items],
        base=[i.start.isoformat() for i in items],
        x=[_length_ms(i.start, i.end) for i in items],
        marker={"color": colour, "line": {"width": 0}},
        hovertext=list(hovers),
        hoverinfo="text",
        width=0.5,
    )


def demo_timeline(
    items: Sequence[ScheduleItem],
    *,
    today: date,
    moved: Iterable[MovedItem] = (),
    height_per_lane_px: int = 44,
) -> go.Figure:
    """Draw a demo schedule: build bars and demo markers per feature lane, and today's line.

    Args:
        items: the schedule's items (builds and demos), in schedule order.
        today: where the "Today" line is drawn.
        moved: items whose dates differ from the accepted baseline; they are drawn in orange
            (builds) or with an orange ring (demos), their baseline dates in grey.
        height_per_lane_px: vertical room per lane.

    Returns:
        The figure; traces are named by the `*_TRACE` constants (empty traces are left out).
    """
    figure = go.Figure()
    moves = {m.item.key: m for m in moved}
    lanes = list(dict.fromkeys(_lane(i) for i in items))

    builds = [i for i in items if i.kind is ItemKind.BUILD]
    moved_builds = [i for i in builds if i.key in moves]
    steady_builds = [i for i in builds if i.key not in moves]
    moved_with_baseline = [m for m in moves.values() if m.item.kind is ItemKind.BUILD]
    if moved_with_baseline:
        figure.add_trace(
            go.Bar(
                name=BASELINE_TRACE,
                orientation="h",
                y=[_lane(m.item) for m in moved_with_baseline],
                base=[m.old_start.isoformat() for m in moved_with_baseline],
                x=[_length_ms(m.old_start, m.old_end) for m in moved_with_baseline],
                legendgroup=BASELINE_TRACE,
                marker={"color": BASELINE_COLOUR, "line": {"width": 0}},
                hovertext=[
                    f"<b>{plain(m.item.title)}</b> as accepted: {_dates(m.old_start, m.old_end)}"
                    for m in moved_with_baseline
                ],
                hoverinfo="text",
                width=0.8,
            )
        )
    if steady_builds:
        figure.add_trace(
            _bar(BUILD_TRACE, steady_builds, BUILD_COLOUR, [_hover(i, None) for i in steady_builds])
        )
    if moved_builds:
        figure.add_trace(
            _bar(
                MOVED_BUILD_TRACE,
                moved_builds,
                MOVED_COLOUR,
                [_hover(i, moves[i.key]) for i in moved_builds],
            )
        )

    moved_demos = [m for m in moves.values() if m.item.kind is ItemKind.DEMO]
    if moved_demos:
        figure.add_trace(
            go.Scatter(
                name=BASELINE_TRACE,
                legendgroup=BASELINE_TRACE,
                showlegend=not moved_with_baseline,  # one legend entry for baseline dates
                x=[_middle(m.old_start, m.old_end) for m in moved_demos],
                y=[_lane(m.item) for m in moved_demos],
                mode="markers",
                marker={"symbol": "circle-open", "size": 16, "color": "#757575"},
                hovertext=[
                    f"<b>{plain(m.item.title)}</b> as accepted: {_dates(m.old_start, m.old_end)}"
                    for m in moved_demos
                ],
                hoverinfo="text",
            )
        )

    for demo_type, name in ((DemoType.LIGHT, LIGHT_DEMO_TRACE), (DemoType.BIG, BIG_DEMO_TRACE)):
        demos = [i for i in items if i.kind is ItemKind.DEMO and i.demo_type is demo_type]
        if not demos:
            continue
        figure.add_trace(
            go.Scatter(
                name=name,
                x=[_middle(i.start, i.end) for i in demos],
                y=[_lane(i) for i in demos],
                mode="markers",
                marker={
                    "symbol": DEMO_SYMBOLS[demo_type],
                    "size": DEMO_SIZES[demo_type],
                    "color": DEMO_COLOURS[demo_type],
                    "line": {
                        "color": [MOVED_COLOUR if i.key in moves else "white" for i in demos],
                        "width": [3 if i.key in moves else 1 for i in demos],
                    },
                },
                hovertext=[_hover(i, moves.get(i.key)) for i in demos],
                hoverinfo="text",
            )
        )

    add_today_line(figure, today)
    if not items:
        add_empty_note(figure, "No schedule yet")
    figure.update_layout(
        barmode="overlay",
        height=140 + height_per_lane_px * max(len(lanes), 1),
        margin={"l": 10, "r": 10, "t": 50, "b": 30},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.08, "x": 0},
        font=FONT,
        plot_bgcolor="white",
        hoverlabel={"align": "left"},
    )
    figure.update_xaxes(type="date", showgrid=True, gridcolor="#eceff1", tickformat="%d %b")
    figure.update_yaxes(
        type="category",
        categoryorder="array",
        categoryarray=lanes,
        autorange="reversed",
        title=None,
    )
    return figure
