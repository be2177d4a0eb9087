"""The portfolio's impact × feasibility chart: each assessed project a point; selecting one (or
choosing it in the list beside the chart) opens its "Should we use ML?" page.

A rerun of the portfolio must not redo work that only grows with the portfolio: the scores are
cached like the project names (every save clears them; a minute at most), and the figure is
built once per session for a given set of scores and reused while they are unchanged. Past
`LABELLED_POINTS` points the names are no longer written beside the markers (they would cover
each other); the hover and the list beside the chart still name every project.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from workbench.charts.assessment import (
    DISAGREEMENT_NOTE,
    is_scored,
    portfolio_figure,
    unscored_projects,
    verdict_disagrees,
)
from workbench.services import assessment as assessment_service
from workbench.services.assessment import PortfolioScore
from workbench.ui.common import change_stamp, engine, open_project

ASSESSMENT_PAGE = "pages/team/assessment.py"
LABELLED_POINTS = 25
"""Up to this many points on the chart, each is labelled with its project's name."""

FIGURE_KEY = "portfolio_chart__figure"
UNSCORED_ROWS_SHOWN = 6


def _fingerprint(scores: Sequence[PortfolioScore]) -> tuple:
    return tuple(
        (s.project_id, s.name, s.verdict, s.impact_score, s.feasibility_score) for s in scores
    )


def chart_figure(scores: Sequence[PortfolioScore]) -> go.Figure:
    """The impact × feasibility figure of `scores`: names as plain text (plotly would read
    markup in them), and written beside the markers only while they are few enough to read."""
    figure = portfolio_figure(scores)
    labelled = sum(1 for score in scores if is_scored(score)) <= LABELLED_POINTS
    for trace in figure.data:
        if trace.text is not None:
            trace.text = [html.escape(str(text), quote=False) for text in trace.text]
        if not labelled:
            trace.mode = "markers"
            trace.marker.size = 10
            trace.marker.opacity = 0.75
    return figure


def _cached_figure(scores: Sequence[PortfolioScore]) -> go.Figure:
    """This session's figure for these scores, built again only when they changed."""
    fingerprint = _fingerprint(scores)
    cached = st.session_state.get(FIGURE_KEY)
    if cached is None or cached[0] != fingerprint:
        cached = (fingerprint, chart_figure(scores))
        st.session_state[FIGURE_KEY] = cached
    return cached[1]


@st.cache_data(ttl=600, max_entries=4, show_spinner=False)
def all_portfolio_scores(stamp: tuple[int, int, int]) -> list[PortfolioScore]:
    """Every project's latest saved scores (cleared by every save). Cached whole and filtered
    on each rerun: hashing a thousand project ids as a cache key costs more than the filter."""
    return assessment_service.portfolio_scores(engine())


def render_portfolio_chart(project_ids: Sequence[int]) -> None:
    """Impact × feasibility of these projects' latest saved assessments, with a way in."""
    shown = set(project_ids)
    scores = [score for score in all_portfolio_scores(change_stamp()) if score.project_id in shown]
    st.subheader(
        "Impact × feasibility",
        help="Scores of each project's latest saved assessment on the Should we use ML? page.",
    )
    chart, side = st.columns([3, 1])
    with chart:
        if any(is_scored(score) for score in scores):
            event = st.plotly_chart(
                _cached_figure(scores),
                on_select="rerun",
                selection_mode="points",
                key="portfolio_impact_feasibility",
            )
            points = event.selection.points if event else []
            if points:
                open_project(int(points[0]["customdata"][0]), ASSESSMENT_PAGE)
            disagreeing = sum(1 for score in scores if verdict_disagrees(score))
            if disagreeing:
                st.caption(f"{DISAGREEMENT_NOTE} ({disagreeing} project(s).)")
        else:
            st.info("No project has a saved assessment yet: the chart fills as teams save theirs.")
    with side:
        names = {score.project_id: score.name for score in scores}
        choice = st.selectbox(
            "Open project…",
            options=list(names),
            index=None,
            format_func=lambda project_id: names[project_id],
            placeholder="Choose a project",
            help="Opens the project's Should we use ML? page.",
            key="portfolio_open_assessment",
        )
        if choice is not None:
            open_project(choice, ASSESSMENT_PAGE)
        unscored = unscored_projects(scores)
        if unscored:
            st.caption(f"Not assessed yet (not on the chart): {len(unscored)} project(s).")
            st.dataframe(
                pd.DataFrame({"Project": unscored}),
                hide_index=True,
                width="stretch",
                height=35 * (min(len(unscored), UNSCORED_ROWS_SHOWN) + 1) + 3,
            )
