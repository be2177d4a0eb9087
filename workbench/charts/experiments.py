"""Experiment time boxes as charts: a Gantt of research, prototype, extensions and overruns,
and burn views (all experiments as bars, one experiment as a gauge) with the 75 % and 100 % lines.

Colour says the experiment's status (proposed, researching, prototyping, decided); the fill
pattern says the part of the box (research solid, prototype hatched, extension cross-hatched).
An overrun — an undecided box past its end — is a red segment up to today, labelled with the
working days overdue. Built from plain values: no Streamlit, no database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import plotly.graph_objects as go

from workbench.charts.common import FONT, add_empty_note, add_today_line, plain
from workbench.domain.timebox import (
    DUE_BURN_PERCENT,
    WARNING_BURN_PERCENT,
    TimeBoxState,
    TimeBoxStatus,
)

__all__ = [
    "EXTENSION_TRACE",
    "OVERRUN_TRACE",
    "PROTOTYPE_TRACE",
    "RESEARCH_TRACE",
    "STATUS_COLOURS",
    "TimelineEntry",
    "burn_bars",
    "burn_gauge",
    "experiment_timeline",
]

RESEARCH_TRACE = "Research"
PROTOTYPE_TRACE = "Prototype"
EXTENSION_TRACE = "Extension"
OVERRUN_TRACE = "Overrun (decision overdue)"

STATUS_COLOURS = {
    "proposed": "#90a4ae",
    "researching": "#1e88e5",
    "prototyping": "#7e57c2",
    "decided": "#43a047",
}
BURN_COLOURS = {
    TimeBoxStatus.ON_TRACK: "#43a047",
    TimeBoxStatus.WARNING: "#fb8c00",
    TimeBoxStatus.DUE_DECISION: "#c62828",
}
DECIDED_BURN_COLOUR = "#b0bec5"
OVERRUN_COLOUR = "#c62828"
PATTERNS = {RESEARCH_TRACE: "", PROTOTYPE_TRACE: "/", EXTENSION_TRACE: "x"}
LEGEND_PARTS = {
    RESEARCH_TRACE: "Research (solid)",
    PROTOTYPE_TRACE: "Prototype (hatched)",
    EXTENSION_TRACE: "Extension (cross-hatched)",
}
LEGEND_COLOUR = "#78909c"
_DAY_MS = 24 * 60 * 60 * 1000


@dataclass(frozen=True)
class TimelineEntry:
    """One experiment as the charts need it.

    Attributes:
        label: the approach's name (one lane per entry; names should be unique).
        status: proposed, researching, prototyping or decided.
        state: the time box on the chart's day (``workbench.domain.timebox.time_box_state``).
        extensions: (previous end, new end) of each extension, oldest first.
        decision: cull, park or select once decided.
    """

    label: str
    status: str
    state: TimeBoxState
    extensions: tuple[tuple[date, date], ...] = ()
    decision: str | None = None

    @property
    def decided(self) -> bool:
        """True once the experiment has a final decision (its box no longer runs)."""
        return self.status == "decided"


def _length_ms(start: date, end: date) -> int:
    """Bar length covering whole calendar days from `start` to `end` inclusive."""
    return ((end - start).days + 1) * _DAY_MS


def _colour(entry: TimelineEntry) -> str:
    """The colour of an experiment's status."""
    return STATUS_COLOURS.get(entry.status, STATUS_COLOURS["proposed"])


def _segments(entry: TimelineEntry, today: date) -> dict[str, list[tuple[date, date, str]]]:
    """The bars of one experiment per part: (first day, last day, what) each."""
    state = entry.state
    parts: dict[str, list[tuple[date, date, str]]] = {
        RESEARCH_TRACE: [(state.first_day, state.research_end, "research")],
        PROTOTYPE_TRACE: [(state.prototype_start, state.prototype_end, "prototype")],
        EXTENSION_TRACE: [
            (previous + timedelta(days=1), new, f"extension {index + 1}")
            for index, (previous, new) in enumerate(entry.extensions)
        ],
        OVERRUN_TRACE: [],
    }
    if not entry.decided and today > state.overall_end and state.overrun_working_days > 0:
        parts[OVERRUN_TRACE].append(
            (
                state.overall_end + timedelta(days=1),
                today,
                f"overrun: {state.overrun_working_days} working day(s) past the end",
            )
        )
    return parts


def experiment_timeline(
    entries: Sequence[TimelineEntry], *, today: date, height_per_lane_px: int = 46
) -> go.Figure:
    """Draw the project's experiments as a Gantt chart with a today line.

    Args:
        entries: one per experiment, in the order the lanes should appear.
        today: where the "Today" line is drawn, and up to where overruns extend.
        height_per_lane_px: vertical room per experiment.

    Returns:
        A figure with one bar trace per part of the box that occurs (``RESEARCH_TRACE``,
        ``PROTOTYPE_TRACE``, ``EXTENSION_TRACE``, ``OVERRUN_TRACE``), each bar coloured by its
        experiment's status; legend-only entries name the status colours; the today line is the
        shape named "today"; each overrun carries a "+N wd overdue" label.
    """
    figure = go.Figure()
    lanes = [plain(entry.label) for entry in entries]
    for name in (RESEARCH_TRACE, PROTOTYPE_TRACE, EXTENSION_TRACE, OVERRUN_TRACE):
        bars = [
            (entry, start, end, what)
            for entry in entries
            for start, end, what in _segments(entry, today)[name]
        ]
        if not bars:
            continue
        overrun = name == OVERRUN_TRACE
        figure.add_trace(
            go.Bar(
                name=name,
                orientation="h",
                y=[plain(entry.label) for entry, *_ in bars],
                base=[start.isoformat() for _, start, _, _ in bars],
                x=[_length_ms(start, end) for _, start, end, _ in bars],
                marker={
                    "color": [OVERRUN_COLOUR if overrun else _colour(e) for e, *_ in bars],
                    "line": {"width": 1, "color": "white"},
                    "pattern": {
                        "shape": "" if overrun else PATTERNS[name],
                        "fgcolor": "white",
                        "size": 7,
                    },
                },
                text=[
                    f"+{e.state.overrun_working_days} wd overdue" if overrun else ""
                    for e, *_ in bars
                ],
                textposition="inside" if overrun else "none",
                insidetextanchor="start",
                textfont={"color": "white", **FONT},
                hovertext=[
                    f"<b>{plain(e.label)}</b> ({e.status})<br>"
                    f"{what}: {start:%d %b} – {end:%d %b %Y}"
                    for e, start, end, what in bars
                ],
                hoverinfo="text",
                width=0.55,
                showlegend=overrun,
            )
        )
    for name, label in LEGEND_PARTS.items():
        figure.add_trace(
            go.Bar(
                name=label,
                x=[None],
                y=[None],
                orientation="h",
                marker={
                    "color": LEGEND_COLOUR,
                    "pattern": {"shape": PATTERNS[name], "fgcolor": "white", "size": 7},
                },
                showlegend=True,
                hoverinfo="skip",
            )
        )
    for status in dict.fromkeys(entry.status for entry in entries):
        figure.add_trace(
            go.Bar(
                name=f"Status: {status}",
                x=[None],
                y=[None],
                orientation="h",
                marker={"color": STATUS_COLOURS.get(status, STATUS_COLOURS["proposed"])},
                showlegend=True,
                hoverinfo="skip",
            )
        )
    add_today_line(figure, today)
    if not entries:
        add_empty_note(figure, "No experiments yet")
    figure.update_layout(
        barmode="overlay",
        height=190 + height_per_lane_px * max(len(lanes), 1),
        margin={"l": 10, "r": 10, "t": 40, "b": 100},
        legend={
            "orientation": "h",
            "yref": "container",
            "yanchor": "bottom",
            "y": 0,
            "x": 0,
        },
        font=FONT,
        plot_bgcolor="white",
        hoverlabel={"align": "left"},
    )
    figure.update_xaxes(type="date", showgrid=True, gridcolor="#eceff1", tickformat="%d %b")
    figure.update_yaxes(
        type="category", categoryorder="array", categoryarray=lanes, autorange="reversed"
    )
    return figure


def _threshold_lines(figure: go.Figure, *, axis: str) -> None:
    """Draw the 75 % and 100 % lines with their labels."""
    for value, label, colour, anchor in (
        (
            WARNING_BURN_PERCENT,
            f"warning {WARNING_BURN_PERCENT} %",
            BURN_COLOURS[TimeBoxStatus.WARNING],
            "right",
        ),
        (
            DUE_BURN_PERCENT,
            f"decision due {DUE_BURN_PERCENT} %",
            BURN_COLOURS[TimeBoxStatus.DUE_DECISION],
            "left",
        ),
    ):
        figure.add_shape(
            type="line",
            x0=value,
            x1=value,
            xref=axis,
            y0=0,
            y1=1,
            yref="paper",
            line={"color": colour, "width": 2, "dash": "dot"},
            name=label,
        )
        figure.add_annotation(
            x=value,
            y=1,
            xref=axis,
            yref="paper",
            text=label,
            showarrow=False,
            yanchor="bottom",
            xanchor=anchor,
            font={"color": colour, "size": 12, **FONT},
        )


def burn_bars(entries: Sequence[TimelineEntry]) -> go.Figure:
    """Draw each experiment's burn (percent of its box spent) as a bar, with the 75 % and
    100 % lines (shapes named "warning 75 %" and "decision due 100 %"). Decided experiments
    are grey: their box no longer counts.
    """
    figure = go.Figure(
        go.Bar(
            name="Burn",
            orientation="h",
            y=[plain(entry.label) for entry in entries],
            x=[entry.state.burn_percent for entry in entries],
            marker={
                "color": [
                    DECIDED_BURN_COLOUR if entry.decided else BURN_COLOURS[entry.state.status]
                    for entry in entries
                ]
            },
            text=[
                f"{entry.state.burn_percent:.0f} %" + (" (decided)" if entry.decided else "")
                for entry in entries
            ],
            textposition="outside",
            cliponaxis=False,
            hovertext=[
                f"<b>{plain(entry.label)}</b><br>{entry.state.elapsed_working_days} of "
                f"{entry.state.total_working_days} working days spent"
                for entry in entries
            ],
            hoverinfo="text",
            width=0.55,
        )
    )
    _threshold_lines(figure, axis="x")
    top = max([DUE_BURN_PERCENT, *(entry.state.burn_percent for entry in entries)])
    figure.update_layout(
        height=130 + 40 * max(len(entries), 1),
        margin={"l": 10, "r": 40, "t": 40, "b": 30},
        font=FONT,
        plot_bgcolor="white",
        showlegend=False,
    )
    figure.update_xaxes(range=[0, top * 1.15], ticksuffix=" %", showgrid=True, gridcolor="#eceff1")
    figure.update_yaxes(type="category", autorange="reversed")
    return figure


def burn_gauge(entry: TimelineEntry) -> go.Figure:
    """Draw one experiment's burn as a gauge: green below 75 %, amber to 100 %, red beyond,
    with the needle line at the burn and a threshold mark at 100 %.
    """
    burn = entry.state.burn_percent
    top = max(125.0, burn * 1.1)
    figure = go.Figure(
        go.Indicator(
            mode="gauge+number",
            value=burn,
            number={"suffix": " %", "valueformat": ".0f"},
            title={
                "text": f"{entry.state.elapsed_working_days} working days spent of a "
                f"{entry.state.total_working_days}-day box",
                "font": {"size": 14, **FONT},
            },
            gauge={
                "axis": {"range": [0, top], "ticksuffix": " %"},
                "bar": {"color": "#37474f", "thickness": 0.3},
                "steps": [
                    {"range": [0, WARNING_BURN_PERCENT], "color": "#c8e6c9"},
                    {"range": [WARNING_BURN_PERCENT, DUE_BURN_PERCENT], "color": "#ffe0b2"},
                    {"range": [DUE_BURN_PERCENT, top], "color": "#ffcdd2"},
                ],
                "threshold": {
                    "line": {"color": BURN_COLOURS[TimeBoxStatus.DUE_DECISION], "width": 4},
                    "thickness": 0.9,
                    "value": DUE_BURN_PERCENT,
                },
            },
        )
    )
    figure.update_layout(height=220, margin={"l": 30, "r": 30, "t": 50, "b": 10}, font=FONT)
    return figure
