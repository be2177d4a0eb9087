"""Portfolio: every project with its phase, owner and delivery date; search, filter, create —
and, in an empty workspace, what the workbench is for and the first step."""

import pandas as pd
import streamlit as st

from workbench.domain.lifecycle import Phase
from workbench.services import projects as project_service
from workbench.ui.common import actor, engine, open_project, project_names, today, visibility
from workbench.ui.forms import Form
from workbench.ui.onboarding import render_welcome
from workbench.ui.portfolio_chart import render_portfolio_chart
from workbench.ui.portfolio_flags import render_portfolio_flags
from workbench.ui.project_life import (
    render_deleted_notice,
    render_portfolio_blocks,
    show_archived_toggle,
)

st.title("Portfolio")
st.caption(
    "Every project the team is planning, where it stands in the lifecycle, and who owns it. "
    "Select a row to open its charter."
)
render_deleted_notice()

NEW_FIELDS = {
    "name": "Name *",
    "problem": "What is the business problem?",
    "why_now": "Why does it matter now?",
    "owner": "Owner",
    "sponsor": "Sponsor",
    "target_delivery_date": "Target delivery date",
}
OPEN_KEY = "portfolio__open_created"
workspace_empty = not project_names()

render_welcome(empty=workspace_empty)

creator = Form(
    "new_project",
    initial={field: None if field == "target_delivery_date" else "" for field in NEW_FIELDS},
    labels=NEW_FIELDS,
)


def create(form: Form):
    created = project_service.create_project(
        engine(), data=form.values(), actor=actor(), today=today()
    )
    st.session_state[OPEN_KEY] = created.id
    return created


with st.expander(
    "New project",
    expanded=workspace_empty or bool(creator.errors),
    icon=":material/add_circle:",
):
    st.caption(
        "Start with **what** and **why** — the how comes later (Wilson, ch. 1). "
        "Everything here can be refined on the Charter page."
    )
    with creator.render():
        st.text_input(NEW_FIELDS["name"], key=creator.key("name"))
        creator.error("name")
        st.text_area(NEW_FIELDS["problem"], key=creator.key("problem"))
        creator.error("problem")
        st.text_area(NEW_FIELDS["why_now"], key=creator.key("why_now"))
        creator.error("why_now")
        columns = st.columns(3)
        for column, field in zip(columns, ["owner", "sponsor"], strict=False):
            with column:
                st.text_input(NEW_FIELDS[field], key=creator.key(field))
                creator.error(field)
        with columns[2]:
            st.date_input(
                NEW_FIELDS["target_delivery_date"], key=creator.key("target_delivery_date")
            )
            creator.error("target_delivery_date")
        creator.submit_button(
            "Create project",
            create,
            success="",  # the Charter of the new project opens at once
            type="primary",
        )
created_id = st.session_state.pop(OPEN_KEY, None)
if created_id is not None:
    open_project(created_id, "pages/team/charter.py")

filters = st.columns([3, 3, 2])
search = filters[0].text_input(
    "Search", placeholder="name, problem, sponsor or owner", key="portfolio_search"
)
phases = filters[1].multiselect(
    "Phase", options=list(Phase), format_func=lambda phase: phase.label, key="portfolio_phases"
)
owner = filters[2].text_input("Owned by", placeholder="exact owner name", key="portfolio_owner")

projects = project_service.list_projects(
    engine(),
    search=search,
    phases=phases,
    owner=owner,
    include_archived=show_archived_toggle(),
    **visibility(),
)

if projects:
    counts = pd.Series([Phase(p.phase).label for p in projects]).value_counts()
    metric_columns = st.columns(len(Phase))
    for column, phase in zip(metric_columns, Phase, strict=True):
        column.metric(phase.label, int(counts.get(phase.label, 0)))
    render_portfolio_flags([p.id for p in projects])
    table = pd.DataFrame(
        [
            {
                "Project": p.name + (" (archived)" if p.archived_at else ""),
                "Phase": Phase(p.phase).label,
                "Owner": p.owner,
                "Sponsor": p.sponsor,
                "Target delivery": p.target_delivery_date,
                "Days left": (p.target_delivery_date - today()).days
                if p.target_delivery_date
                else None,
                "Updated": p.updated_at,
            }
            for p in projects
        ]
    )
    selection = st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        on_select="rerun",
        selection_mode="single-row",
        key="portfolio_table",
        column_config={
            "Target delivery": st.column_config.DateColumn(format="YYYY-MM-DD"),
            "Updated": st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm"),
            "Days left": st.column_config.NumberColumn(help="Days until the target delivery date"),
        },
    )
    rows = selection.selection.rows if selection else []
    if rows:
        open_project(projects[rows[0]].id, "pages/team/charter.py")
else:
    if search or phases or owner:
        st.info("No project matches these filters.")

if projects:
    render_portfolio_chart([p.id for p in projects])

render_portfolio_blocks()
