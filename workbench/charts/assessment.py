"""Figures of the "Should we use ML?" assessment: the portfolio's impact × feasibility, how a
project's verdict and scores moved over saved assessments, the risk register's likelihood ×
impact grid, and the drivers of a score.

Inputs are plain values (the services' dataclasses, read by attribute), outputs plotly figures.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

import plotly.graph_objects as go

from workbench.charts.common import FONT, plain
from workbench.domain.assessment import (
    FIT_ML_FROM,
    FIT_SIMPLER_FROM,
    SCORE_OK_FROM,
    Direction,
    Driver,
    Verdict,
)

VERDICT_COLOURS = {
    Verdict.ML_FITS: "#2e7d32",
    Verdict.ML_FITS_WITH_CONDITIONS: "#1565c0",
    Verdict.TRY_SIMPLER_FIRST: "#ef6c00",
    Verdict.NOT_A_FIT: "#c62828",
}
SCORE_COLOURS = {"Fit": "#6a1b9a", "Impact": "#1565c0", "Feasibility": "#2e7d32"}
DIRECTION_COLOURS = {Direction.FOR: "#2e7d32", Direction.AGAINST: "#c62828"}

QUADRANTS = (
    # (label, feasibility high?, impact high?)
    ("Quick wins", True, True),
    ("Strategic bets", False, True),
    ("Low-hanging but small", True, False),
    ("Park", False, False),
)
"""The four quadrants of impact × feasibility, split at SCORE_OK_FROM (50) on both axes."""

EXPOSURE_ZONES = (
    # (name, lowest likelihood × impact in the zone, colour)
    ("low", 1, "#a5d6a7"),
    ("medium", 5, "#fff59d"),
    ("high", 10, "#ffcc80"),
    ("critical", 16, "#ef9a9a"),
)
"""Exposure (likelihood × impact, 1–25) zones of the risk grid, lowest first."""
ZONE_MARKER_COLOURS = {
    "low": "#2e7d32",
    "medium": "#9e9d24",
    "high": "#ef6c00",
    "critical": "#c62828",
}


class ScoredProject(Protocol):
    """A project's latest verdict and scores (None when never assessed)."""

    project_id: int
    name: str
    verdict: Verdict | None
    fit_score: float | None
    impact_score: float | None
    feasibility_score: float | None


class SavedAssessment(Protocol):
    """One saved assessment of a project."""

    saved_at: datetime
    verdict: Verdict
    fit_score: float | None
    impact_score: float | None
    feasibility_score: float | None


class RegisteredRisk(Protocol):
    """One risk of the register."""

    id: int
    title: str
    likelihood: int
    impact: int
    owner: str
    status: str


def is_scored(project: ScoredProject) -> bool:
    """Whether a project can be placed on the impact × feasibility chart."""
    return project.impact_score is not None and project.feasibility_score is not None


def unscored_projects(projects: Sequence[ScoredProject]) -> list[str]:
    """Names of the projects the portfolio chart leaves out (no saved impact or feasibility)."""
    return [project.name for project in projects if not is_scored(project)]


NOT_ML_VERDICTS = (Verdict.TRY_SIMPLER_FIRST, Verdict.NOT_A_FIT)
"""Verdicts that say "not ML (yet)" whatever the impact and feasibility scores."""

DISAGREEMENT_NOTE = (
    "Hollow marker: the scores place the project among the quick wins, but its verdict says "
    "not ML (yet) — the verdict comes first."
)
DISAGREEMENT_LABEL = "Hollow marker: its verdict says not ML (yet) — the verdict comes first."
"""The chart's own short line about it (the caption under the chart says it in full)."""


def in_quick_wins(project: ScoredProject) -> bool:
    """Whether the scores place a project in the Quick wins quadrant."""
    return (
        is_scored(project)
        and project.impact_score >= SCORE_OK_FROM
        and project.feasibility_score >= SCORE_OK_FROM
    )


def verdict_disagrees(project: ScoredProject) -> bool:
    """Whether the chart's quadrant and the verdict disagree: a quick win by its scores whose
    verdict is "try a simpler non-ML solution first" or "not a fit"."""
    return in_quick_wins(project) and project.verdict in NOT_ML_VERDICTS


def portfolio_figure(projects: Sequence[ScoredProject]) -> go.Figure:
    """Impact (y) × feasibility (x) of every scored project, one point each, quadrants labelled.

    Points are grouped in one trace per verdict (the legend); each point's customdata is
    [project_id, verdict label, note], so a selected point names its project. A project whose
    scores make it a quick win while its verdict says not ML (yet) gets a hollow marker in a
    trace of its own, and the chart says why (``DISAGREEMENT_NOTE``).
    """
    figure = go.Figure()
    for label, feasible, impactful in QUADRANTS:
        x0, x1 = (SCORE_OK_FROM, 100) if feasible else (0, SCORE_OK_FROM)
        y0, y1 = (SCORE_OK_FROM, 100) if impactful else (0, SCORE_OK_FROM)
        figure.add_shape(
            type="rect",
            x0=x0,
            x1=x1,
            y0=y0,
            y1=y1,
            line_width=0,
            fillcolor="#e8f5e9" if label == "Quick wins" else "#f5f5f5",
            layer="below",
        )
        figure.add_annotation(
            x=x1 - 2 if feasible else x0 + 2,
            y=y1 - 3 if impactful else y0 + 3,
            text=f"<b>{label}</b>",
            showarrow=False,
            xanchor="right" if feasible else "left",
            yanchor="top" if impactful else "bottom",
            font={"color": "#616161", "size": 13},
        )
    scored = [p for p in projects if is_scored(p)]
    for verdict in Verdict:
        points = [p for p in scored if p.verdict is verdict and not verdict_disagrees(p)]
        if points:
            figure.add_trace(_portfolio_trace(verdict.label, VERDICT_COLOURS[verdict], points))
        hollow = [p for p in scored if p.verdict is verdict and verdict_disagrees(p)]
        if hollow:
            figure.add_trace(
                _portfolio_trace(
                    f"{verdict.label} (scores say quick win)",
                    VERDICT_COLOURS[verdict],
                    hollow,
                    verdict=verdict.label,
                    note="The scores place it among the quick wins; the verdict comes first.",
                )
            )
    without_verdict = [p for p in scored if p.verdict is None]
    if without_verdict:
        figure.add_trace(_portfolio_trace("No verdict", "#757575", without_verdict))
    if any(verdict_disagrees(p) for p in scored):
        figure.add_annotation(
            text=DISAGREEMENT_LABEL,
            xref="paper",
            yref="paper",
            x=0,
            y=1.0,
            yanchor="bottom",
            xanchor="left",
            showarrow=False,
            font={"color": "#ef6c00", "size": 12},
        )
    figure.update_layout(
        font=FONT,
        height=460,
        margin={"l": 60, "r": 20, "t": 40, "b": 50},
        plot_bgcolor="white",
        showlegend=True,
        legend={"title": {"text": "Verdict"}, "orientation": "h", "y": -0.15},
    )
    # A little room around 0–100, so a project scored 100 is not cut by the frame.
    figure.update_xaxes(
        title="Feasibility (0–100)", range=[-4, 104], showgrid=False, zeroline=False, dtick=25
    )
    figure.update_yaxes(
        title="Impact (0–100)", range=[-4, 108], showgrid=False, zeroline=False, dtick=25
    )
    return figure


def _portfolio_trace(
    name: str,
    colour: str,
    points: Sequence[ScoredProject],
    *,
    verdict: str | None = None,
    note: str = "",
) -> go.Scatter:
    marker = {"size": 16, "color": colour, "line": {"width": 1, "color": "white"}}
    if note:  # hollow: the verdict and the quadrant disagree
        marker = {"size": 16, "color": colour, "symbol": "circle-open", "line": {"width": 3}}
    return go.Scatter(
        name=name,
        x=[p.feasibility_score for p in points],
        y=[p.impact_score for p in points],
        mode="markers+text",
        text=[plain(p.name) for p in points],
        textposition="top center",
        cliponaxis=False,
        marker=marker,
        customdata=[[p.project_id, verdict or name, note] for p in points],
        hovertemplate=(
            "<b>%{text}</b><br>Verdict: %{customdata[1]}<br>"
            "Impact %{y:.0f} · Feasibility %{x:.0f}<br>%{customdata[2]}<extra></extra>"
        ),
    )


def history_figure(snapshots: Sequence[SavedAssessment]) -> go.Figure:
    """Fit, impact and feasibility over the saved assessments (oldest first), one line each.

    The x axis counts the saves (1, 2, ...) labelled with their date; a score that could not
    be judged leaves a gap. The verdict is written above the first save and every save where it
    changed; dotted lines mark the fit thresholds of the verdict.
    """
    figure = go.Figure()
    positions = list(range(1, len(snapshots) + 1))
    for name, attribute in (
        ("Fit", "fit_score"),
        ("Impact", "impact_score"),
        ("Feasibility", "feasibility_score"),
    ):
        figure.add_trace(
            go.Scatter(
                name=name,
                x=positions,
                y=[getattr(s, attribute) for s in snapshots],
                mode="lines+markers",
                line={"color": SCORE_COLOURS[name], "width": 2},
                marker={"size": 8},
                connectgaps=False,
                hovertemplate=f"{name} %{{y:.0f}}<extra>save #%{{x}}</extra>",
            )
        )
    previous: Verdict | None = None
    for position, snapshot in zip(positions, snapshots, strict=True):
        if snapshot.verdict is not previous:
            figure.add_annotation(
                x=position,
                y=100,
                yanchor="bottom",
                text=snapshot.verdict.label,
                showarrow=False,
                font={"color": VERDICT_COLOURS[snapshot.verdict], "size": 12},
                bgcolor="white",
            )
        previous = snapshot.verdict
    for threshold, label in ((FIT_ML_FROM, "ML from"), (FIT_SIMPLER_FROM, "simpler from")):
        figure.add_hline(
            y=threshold,
            line={"dash": "dot", "color": "#9e9e9e", "width": 1},
            annotation_text=f"fit: {label} {threshold:.0f}",
            annotation_position="bottom right",
            annotation_font={"color": "#757575", "size": 11},
        )
    figure.update_layout(
        font=FONT,
        height=380,
        margin={"l": 60, "r": 20, "t": 40, "b": 50},
        plot_bgcolor="white",
        legend={"orientation": "h", "y": -0.2},
        hovermode="x unified",
    )
    figure.update_xaxes(
        title="Saved assessment",
        tickmode="array",
        tickvals=positions,
        ticktext=[f"#{p}<br>{s.saved_at:%Y-%m-%d}" for p, s in enumerate(snapshots, start=1)],
        range=[0.5, max(len(snapshots), 1) + 0.5],
        showgrid=False,
    )
    figure.update_yaxes(title="Score (0–100)", range=[0, 112], gridcolor="#eeeeee", dtick=25)
    return figure


def exposure_zone(likelihood: int, impact: int) -> str:
    """The zone of a risk: low (exposure 1–4), medium (5–9), high (10–15), critical (16–25)."""
    exposure = likelihood * impact
    return next(name for name, lowest, _ in reversed(EXPOSURE_ZONES) if exposure >= lowest)


def risk_matrix_figure(risks: Sequence[RegisteredRisk]) -> go.Figure:
    """The 5 × 5 likelihood × impact grid, cells shaded by exposure zone, one bubble per risk.

    Closed risks are left out. Risks in the same cell are spread inside it; each bubble shows
    the risk's id, and its hover the title, owner and status. One trace per zone.
    """
    figure = go.Figure()
    for likelihood in range(1, 6):
        for impact in range(1, 6):
            zone = exposure_zone(likelihood, impact)
            colour = next(c for name, _, c in EXPOSURE_ZONES if name == zone)
            figure.add_shape(
                type="rect",
                x0=likelihood - 0.5,
                x1=likelihood + 0.5,
                y0=impact - 0.5,
                y1=impact + 0.5,
                fillcolor=colour,
                opacity=0.45,
                line={"color": "white", "width": 2},
                layer="below",
            )
    active = [r for r in risks if _status(r) != "closed"]
    cells: dict[tuple[int, int], list[RegisteredRisk]] = {}
    for risk in active:
        cells.setdefault((risk.likelihood, risk.impact), []).append(risk)
    placed: dict[str, list[tuple[float, float, RegisteredRisk]]] = {}
    for (likelihood, impact), members in cells.items():
        for (dx, dy), risk in zip(_spread(len(members)), members, strict=True):
            placed.setdefault(exposure_zone(likelihood, impact), []).append(
                (likelihood + dx, impact + dy, risk)
            )
    for name, _, _ in EXPOSURE_ZONES:
        points = placed.get(name, [])
        if not points:
            continue
        figure.add_trace(
            go.Scatter(
                name=f"{name.capitalize()} exposure",
                x=[x for x, _, _ in points],
                y=[y for _, y, _ in points],
                mode="markers+text",
                text=[str(risk.id) for _, _, risk in points],
                textfont={"color": "white", "size": 11},
                marker={
                    "size": 26,
                    "color": ZONE_MARKER_COLOURS[name],
                    "line": {"width": 1, "color": "white"},
                },
                customdata=[
                    [
                        plain(risk.title),
                        plain(risk.owner) if risk.owner else "nobody yet",
                        _status(risk),
                        risk.likelihood,
                        risk.impact,
                    ]
                    for _, _, risk in points
                ],
                hovertemplate=(
                    "<b>#%{text} %{customdata[0]}</b><br>Likelihood %{customdata[3]} × impact"
                    " %{customdata[4]}<br>Owner: %{customdata[1]} · %{customdata[2]}<extra></extra>"
                ),
            )
        )
    figure.update_layout(
        font=FONT,
        height=440,
        margin={"l": 60, "r": 20, "t": 20, "b": 50},
        plot_bgcolor="white",
        legend={"orientation": "h", "y": -0.15},
    )
    ticks = {"tickmode": "array", "tickvals": [1, 2, 3, 4, 5], "showgrid": False}
    figure.update_xaxes(
        title="Likelihood (1 rare … 5 almost certain)", range=[0.5, 5.5], zeroline=False, **ticks
    )
    figure.update_yaxes(
        title="Impact (1 minor … 5 severe)", range=[0.5, 5.5], zeroline=False, **ticks
    )
    return figure


def _status(risk: RegisteredRisk) -> str:
    return str(getattr(risk.status, "value", risk.status))


def _spread(count: int) -> list[tuple[float, float]]:
    """Offsets that place `count` bubbles on a small grid inside one cell, centred."""
    if count == 1:
        return [(0.0, 0.0)]
    columns = math.ceil(math.sqrt(count))
    rows = math.ceil(count / columns)
    step = 0.8 / columns
    offsets = []
    for index in range(count):
        row, column = divmod(index, columns)
        offsets.append(((column - (columns - 1) / 2) * step, ((rows - 1) / 2 - row) * step))
    return offsets


def drivers_figure(drivers: Sequence[Driver]) -> go.Figure:
    """Each driver's contribution (score points) as a horizontal bar, largest at the top;
    green when it argues for (raises the score), red against."""
    ordered = list(reversed(drivers))
    labels = [_short(d.text) for d in ordered]
    figure = go.Figure()
    for direction, name in ((Direction.FOR, "for"), (Direction.AGAINST, "against")):
        chosen = [
            (label, d) for label, d in zip(labels, ordered, strict=True) if d.direction is direction
        ]
        if not chosen:
            continue
        figure.add_trace(
            go.Bar(
                name=name,
                orientation="h",
                x=[d.contribution for _, d in chosen],
                y=[label for label, _ in chosen],
                marker_color=DIRECTION_COLOURS[direction],
                customdata=[[d.answer, d.weight] for _, d in chosen],
                hovertemplate=(
                    "%{y}<br>answered %{customdata[0]} · weight %{customdata[1]}<br>"
                    "%{x:+.1f} points<extra></extra>"
                ),
            )
        )
    figure.update_layout(
        font=FONT,
        height=max(220, 34 * len(drivers) + 90),
        margin={"l": 10, "r": 20, "t": 20, "b": 40},
        plot_bgcolor="white",
        barmode="relative",
        legend={"orientation": "h", "y": -0.12},
    )
    figure.update_yaxes(categoryorder="array", categoryarray=labels, automargin=True)
    figure.update_xaxes(title="Points added to (or taken from) the score", zerolinecolor="#616161")
    return figure


def _short(text: str, width: int = 60) -> str:
    lines = textwrap.wrap(text, width)[:2]
    return "<br>".join(plain(line) for line in lines) + ("…" if len(text) > 2 * width else "")
