"""The portfolio's impact × feasibility chart: each assessed project a point; selecting one (or
choosing it in the list beside the chart) opens its "Should we use ML?" page."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from workbench.charts.assessment import is_scored, portfolio_figure, unscored_projects
from workbench.services import assessment as assessment_service
from workbench.ui.common import engine, open_project

ASSESSMENT_PAGE = "pages/team/assessment.py"


def render_portfolio_chart(project_ids: Sequence[int]) -> None:
    """Impact × feasibility of these projects' latest saved assessments, with a way in."""
    scores = assessment_service.portfolio_scores(engine(), project_ids)
    st.subheader(
        "Impact × feasibility",
        help="Scores of each project's latest saved assessment on the Should we use ML? page.",
    )
    chart, side = st.columns([3, 1])
    with chart:
        if any(is_scored(score) for score in scores):
            event = st.plotly_chart(
                portfolio_figure(scores),
                on_select="rerun",
                selection_mode="points",
                key="portfolio_impact_feasibility",
            )
            points = event.selection.points if event else []
            if points:
                open_project(int(points[0]["customdata"][0]), ASSESSMENT_PAGE)
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
            st.caption("Not assessed yet (not on the chart):")
            st.markdown("\n".join(f"- {name}" for name in unscored))
