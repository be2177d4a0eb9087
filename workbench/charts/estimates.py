"""Cost and value estimates as charts: the cost breakdown by line, the sensitivity "tornado", the
distribution of the simulated total, and saved scenarios side by side.

Built from the domain's results (``ProjectCostEstimate``, ``ProjectCostSimulation``,
``TornadoBar``, ``SimulationResult``): no Streamlit, no database. Money is in USD.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt
import plotly.graph_objects as go

from workbench.charts.common import FONT, plain
from workbench.domain.estimates import (
    ProjectCostEstimate,
    ProjectCostSimulation,
    SimulationResult,
    TornadoBar,
)
from workbench.domain.money import format_usd

__all__ = [
    "HIGH_TRACE",
    "LOW_TRACE",
    "PERCENTILE_LINES",
    "cost_breakdown",
    "scenario_comparison",
    "tornado",
    "total_distribution",
]

COST_COLOUR = "#1e88e5"
SAVING_COLOUR = "#43a047"
VALUE_COLOUR = "#43a047"
LOW_COLOUR = "#90caf9"
HIGH_COLOUR = "#1565c0"
LIKELY_COLOUR = "#455a64"
LOW_TRACE = "Input at its low"
HIGH_TRACE = "Input at its high"
PERCENTILE_LINES = ("P10", "P50", "P90")
_MARGIN = {"l": 10, "r": 10, "t": 50, "b": 10}


def _layout(figure: go.Figure, title: str, subtitle: str = "", **extra) -> go.Figure:
    figure.update_layout(
        title={
            "text": title,
            "font": {"size": 15},
            "subtitle": {"text": subtitle, "font": {"size": 12, "color": "#607d8b"}},
        },
        font=FONT,
        margin=_MARGIN | {"t": 90 if subtitle else 70},
        plot_bgcolor="white",
        **extra,
    )
    return figure


def _whiskers(centres: Sequence[float], ranges: Sequence[SimulationResult | None]) -> dict:
    """Asymmetric error bars from each centre to P10 and P90 (none where there is no range)."""
    above = [
        0.0 if r is None else max(0.0, r.p90 - c) for c, r in zip(centres, ranges, strict=True)
    ]
    below = [
        0.0 if r is None else max(0.0, c - r.p10) for c, r in zip(centres, ranges, strict=True)
    ]
    return {
        "type": "data",
        "symmetric": False,
        "array": above,
        "arrayminus": below,
        "color": LIKELY_COLOUR,
        "thickness": 1.5,
        "width": 6,
    }


def cost_breakdown(
    cost: ProjectCostEstimate,
    simulation: ProjectCostSimulation | None = None,
    *,
    labels: Mapping[str, str] | None = None,
    horizon_months: float | None = None,
) -> go.Figure:
    """Horizontal bars of every cost line at its likely value (they sum to the total), first line
    on top, each labelled with its amount, with whiskers from the simulation's P10 to P90 of that
    line when a simulation is given. A saving is a negative, green bar."""
    lines = list(cost.lines_usd)
    names = [plain((labels or {}).get(line, line.replace("_", " ").capitalize())) for line in lines]
    likely = [cost.lines_usd[line] for line in lines]
    ranges = [simulation.lines[line] if simulation else None for line in lines]
    hover = [
        f"{name}: {format_usd(value)}"
        + (f"<br>P10 {format_usd(r.p10)} – P90 {format_usd(r.p90)}" if r is not None else "")
        for name, value, r in zip(names, likely, ranges, strict=True)
    ]
    figure = go.Figure(
        go.Bar(
            y=names,
            x=likely,
            orientation="h",
            name="Likely",
            marker_color=[SAVING_COLOUR if value < 0 else COST_COLOUR for value in likely],
            error_x=_whiskers(likely, ranges) if simulation else None,
            hovertext=hover,
            hoverinfo="text",
        )
    )
    figure.update_yaxes(
        autorange="reversed",
        tickvals=names,
        ticktext=[
            f"{name}  <b>{format_usd(value)}</b>" for name, value in zip(names, likely, strict=True)
        ],
    )
    figure.update_xaxes(tickprefix="$", tickformat=",.0f", gridcolor="#eceff1", zeroline=True)
    over = f" over {horizon_months:g} months" if horizon_months else ""
    whiskers = "; whiskers from P10 to P90" if simulation else ""
    return _layout(
        figure,
        f"Cost by line{over}",
        f"Likely values, {format_usd(cost.total_usd)} in total{whiskers}",
        showlegend=False,
        height=60 + 40 * len(lines) + 70,
    )


def tornado(bars: Sequence[TornadoBar], *, output_label: str = "Total cost") -> go.Figure:
    """Horizontal bars per ranged input, largest swing on top: from the output at the likely
    values to the output with that input at its low (light) and at its high (dark), the other
    inputs held at their likely values."""
    bars = sorted(bars, key=lambda bar: bar.swing, reverse=True)
    labels = [plain(bar.label) for bar in bars]
    likely = bars[0].output_at_likely if bars else 0.0
    figure = go.Figure()
    for name, colour, at, value in (
        (LOW_TRACE, LOW_COLOUR, "output_at_low", "input_low"),
        (HIGH_TRACE, HIGH_COLOUR, "output_at_high", "input_high"),
    ):
        figure.add_trace(
            go.Bar(
                name=name,
                orientation="h",
                y=labels,
                x=[getattr(bar, at) - likely for bar in bars],
                base=[likely] * len(bars),
                marker_color=colour,
                text=[f"{getattr(bar, value):g}" for bar in bars],
                textposition="outside",
                textangle=0,
                cliponaxis=False,
                hovertext=[
                    f"{plain(bar.label)} = {getattr(bar, value):g}: {plain(output_label)} "
                    f"{format_usd(getattr(bar, at))} (swing {format_usd(bar.swing)})"
                    for bar in bars
                ],
                hoverinfo="text",
            )
        )
    figure.add_vline(x=likely, line_color=LIKELY_COLOUR, line_dash="dot")
    figure.update_yaxes(categoryorder="array", categoryarray=labels[::-1], title=None)
    figure.update_xaxes(tickprefix="$", tickformat=",.0f", gridcolor="#eceff1")
    return _layout(
        figure,
        f"What moves {plain(output_label.lower())} most",
        f"From the likely {format_usd(likely)}: each ranged input at its low and at its high",
        barmode="overlay",
        height=max(300, 150 + 34 * len(bars)),
        legend={"orientation": "h", "yanchor": "top", "y": -0.12, "x": 0},
    )


def total_distribution(
    draws: npt.NDArray[np.float64], total: SimulationResult, *, bins: int = 50
) -> go.Figure:
    """Histogram of the simulated total cost with dashed lines at P10, P50 and P90."""
    figure = go.Figure(
        go.Histogram(
            x=draws,
            nbinsx=bins,
            marker_color=COST_COLOUR,
            opacity=0.8,
            name="Simulated totals",
            hovertemplate="$%{x}<br>%{y} draws<extra></extra>",
        )
    )
    for label, value in zip(PERCENTILE_LINES, (total.p10, total.p50, total.p90), strict=True):
        figure.add_vline(
            x=value,
            line_dash="dash",
            line_color=LIKELY_COLOUR,
            annotation_text=f"{label} {format_usd(value)}",
            annotation_position="top",
        )
    figure.update_xaxes(title="Total cost (USD)", tickprefix="$", tickformat=",.0f")
    figure.update_yaxes(title="Draws", gridcolor="#eceff1")
    return _layout(
        figure,
        f"Total cost over {len(draws):,} simulated draws",
        showlegend=False,
        bargap=0.05,
    )


def scenario_comparison(
    totals: Mapping[str, SimulationResult],
    values: Mapping[str, SimulationResult] | None = None,
    *,
    value_label: str = "Net benefit over the horizon",
) -> go.Figure:
    """Grouped bars per scenario: total cost at P50 with P10–P90 whiskers and, when given, the
    value at P50 with its P10–P90."""
    names = [plain(name) for name in totals]
    keys = dict(zip(names, totals, strict=True))
    series = [("Total cost", COST_COLOUR, totals)]
    if values is not None:
        series.append((value_label, VALUE_COLOUR, values))
    figure = go.Figure()
    for label, colour, results in series:
        centres = [results[keys[name]].p50 for name in names]
        figure.add_trace(
            go.Bar(
                name=f"{label} (P50)",
                x=names,
                y=centres,
                marker_color=colour,
                error_y=_whiskers(centres, [results[keys[name]] for name in names]),
                hovertext=[
                    f"{name} — {label}: P50 {format_usd(results[keys[name]].p50)}<br>"
                    f"P10 {format_usd(results[keys[name]].p10)} – "
                    f"P90 {format_usd(results[keys[name]].p90)}"
                    for name in names
                ],
                hoverinfo="text",
            )
        )
    figure.update_yaxes(title="USD", tickprefix="$", tickformat=",.0f", gridcolor="#eceff1")
    return _layout(
        figure,
        "Scenarios side by side",
        "P50; whiskers from P10 to P90",
        barmode="group",
        legend={"orientation": "h", "y": -0.15},
    )
