"""Portfolio: every project with its phase, owner and delivery date; search, filter, create."""

from textwrap import shorten

import pandas as pd
import streamlit as st

from workbench.domain.lifecycle import Phase
from workbench.errors import InvalidInput
from workbench.services import experiments as experiment_service
from workbench.services import parking_lot as parking_lot_service
from workbench.services import projects as project_service
from workbench.ui.common import actor, data_changed, engine, field_error, open_project, today
from workbench.ui.forms import forget, form_errors, set_form_errors
from workbench.ui.portfolio_chart import render_portfolio_chart

st.title("Portfolio")
st.caption(
    "Every project the team is planning, where it stands in the lifecycle, and who owns it. "
    "Select a row to open its charter."
)

filters = st.columns([3, 3, 2])
search = filters[0].text_input(
    "Search", placeholder="name, problem, sponsor or owner", key="portfolio_search"
)
phases = filters[1].multiselect(
    "Phase", options=list(Phase), format_func=lambda phase: phase.label, key="portfolio_phases"
)
owner = filters[2].text_input("Owned by", placeholder="exact owner name", key="portfolio_owner")

projects = project_service.list_projects(engine(), search=search, phases=phases, owner=owner)

if projects:
    counts = pd.Series([Phase(p.phase).label for p in projects]).value_counts()
    metric_columns = st.columns(len(Phase))
    for column, phase in zip(metric_columns, Phase, strict=True):
        column.metric(phase.label, int(counts.get(phase.label, 0)))
    # Time boxes overdue for a decision and parked ideas due for review, for the shown projects.
    shown = {p.id for p in projects}
    for kind, flagged, target, what, icon, action in (
        (
            "boxes",
            experiment_service.overdue_experiments(engine(), today()),
            "pages/team/experiments.py",
            "experiment(s) overdue for a decision",
            ":material/alarm:",
            "Decide",
        ),
        (
            "ideas",
            parking_lot_service.due_parking_lot_items(engine(), today()),
            "pages/team/parking_lot.py",
            "parked idea(s) due for review",
            ":material/local_parking:",
            "Review",
        ),
    ):
        by_project: dict[int, list] = {}
        for flag in flagged:
            if flag.project_id in shown:
                by_project.setdefault(flag.project_id, []).append(flag)
        for project_id, group in by_project.items():
            left, right = st.columns([6, 1], vertical_alignment="center")
            left.warning(
                f"**{group[0].project_name}**: {len(group)} {what} — "
                + "; ".join(shorten(flag.title, 70, placeholder=" …") for flag in group),
                icon=icon,
            )
            if right.button(action, key=f"portfolio_{kind}_{project_id}", width="stretch"):
                open_project(project_id, target)
    table = pd.DataFrame(
        [
            {
                "Project": p.name,
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
    st.info(
        "No project matches these filters." if (search or phases or owner) else "No project yet."
    )

if projects:
    render_portfolio_chart([p.id for p in projects])

st.divider()
FORM = "new_project"
errors = form_errors(FORM)
with st.expander("New project", expanded=bool(errors) or not projects):
    st.caption(
        "Start with **what** and **why** — the how comes later (Wilson, ch. 1). "
        "Everything here can be refined on the Charter page."
    )
    with st.form(FORM):
        st.text_input("Name *", key="new_name", max_chars=None)
        field_error(errors, "name")
        st.text_area("What is the business problem?", key="new_problem")
        field_error(errors, "problem")
        st.text_area("Why does it matter now?", key="new_why_now")
        field_error(errors, "why_now")
        columns = st.columns(3)
        with columns[0]:
            st.text_input("Owner", key="new_owner")
            field_error(errors, "owner")
        with columns[1]:
            st.text_input("Sponsor", key="new_sponsor")
            field_error(errors, "sponsor")
        with columns[2]:
            st.date_input("Target delivery date", value=None, key="new_target_delivery_date")
            field_error(errors, "target_delivery_date")
        field_error(errors, "actor")
        submitted = st.form_submit_button("Create project", type="primary")

if submitted:
    fields = ["name", "problem", "why_now", "owner", "sponsor", "target_delivery_date"]
    data = {field: st.session_state.get(f"new_{field}") for field in fields}
    try:
        created = project_service.create_project(engine(), data=data, actor=actor(), today=today())
    except InvalidInput as error:
        set_form_errors(FORM, error.errors)
        st.rerun()
    else:
        set_form_errors(FORM, None)
        forget(f"new_{field}" for field in fields)
        data_changed()
        st.toast(f"Created {created.name!r}.")
        open_project(created.id, "pages/team/charter.py")
