"""Charter: view and edit one project — what, why, success, stakeholders — and its phase."""

import pandas as pd
import streamlit as st

from workbench.domain.lifecycle import Phase, next_phase, open_gate_items
from workbench.domain.people import StakeholderRole
from workbench.errors import InvalidInput, StaleEditError
from workbench.reference.gates import default_gates
from workbench.services import projects as project_service
from workbench.ui.common import (
    actor,
    data_changed,
    engine,
    field_error,
    require_project,
    row_errors,
    show_stale,
    today,
)
from workbench.ui.forms import forget, form_errors, preload, set_form_errors

detail = require_project()
project = detail.project
pid = project.id
phase = Phase(project.phase)
gates = default_gates()

st.title(project.name)
st.caption(
    f"Phase: **{phase.label}** · version {project.version} · "
    f"last updated {project.updated_at:%Y-%m-%d %H:%M} UTC"
)
st.progress(
    (phase.index + 1) / len(Phase),
    text=" → ".join(f"**{p.label}**" if p == phase else p.label for p in Phase),
)

TEXT_FIELDS = {
    "problem": ("What is the business problem?", "What will be built — in the business's words."),
    "why_now": ("Why does it matter now?", "Why it needs to be built, and why now."),
    "current_process": (
        "How is it done today?",
        "'Teach me how you do it now, please' (Wilson ch. 3.1.1). Empty if it is not done at all.",
    ),
    "affected": ("Who is affected?", "Users of the output, teams whose work changes, customers."),
    "baseline": (
        "Non-ML baseline to beat",
        "The simplest heuristic or rule that would do (Burkov ch. 5: establish a baseline first).",
    ),
}
LINE_FIELDS = {
    "name": ("Name *", ""),
    "minimum_useful_performance": (
        "Minimum useful performance",
        "Below this the model is not worth deploying, e.g. 'precision ≥ 0.6 on the top 200'.",
    ),
    "sponsor": ("Sponsor", "Business sponsor who owns the problem and the budget."),
    "owner": ("Owner", "Who leads the project (usually the PM)."),
}
FORM = f"charter_{pid}"
VERSION_KEY = f"{FORM}__loaded_version"
STALE_KEY = f"{FORM}__stale"
fields = [*LINE_FIELDS, *TEXT_FIELDS, "target_delivery_date"]
keys = {field: f"{FORM}_{field}" for field in fields}
CRITERIA_KEY, STAKEHOLDERS_KEY = f"{FORM}_criteria", f"{FORM}_stakeholders"


def reload_form() -> None:
    forget([*keys.values(), CRITERIA_KEY, STAKEHOLDERS_KEY, VERSION_KEY, STALE_KEY])
    set_form_errors(FORM, None)


preload({keys[field]: getattr(project, field) for field in fields})
preload({VERSION_KEY: project.version})
loaded_version = st.session_state[VERSION_KEY]
errors = form_errors(FORM)

charter_tab, phase_tab, log_tab = st.tabs(["Charter", "Phase & gate", "Activity log"])

with charter_tab:
    stale = st.session_state.get(STALE_KEY)
    if stale is not None:
        show_stale(stale)
        left, right = st.columns(2)
        if left.button("Discard my edits and load the newer version", key=f"{FORM}_reload"):
            reload_form()
            st.rerun()
        if right.button(
            "Keep my edits (I have reviewed the newer values)", key=f"{FORM}_keep_mine"
        ):
            st.session_state[VERSION_KEY] = stale.current.version
            st.session_state.pop(STALE_KEY, None)
            st.rerun()
    elif loaded_version != project.version:
        st.warning(
            f"This project was changed elsewhere (now version {project.version}; you opened "
            f"version {loaded_version}). Saving will be refused until you reload or review."
        )
    with st.form(FORM):
        top = st.columns([2, 1])
        with top[0]:
            st.text_input(LINE_FIELDS["name"][0], key=keys["name"])
            field_error(errors, "name")
        with top[1]:
            st.date_input("Target delivery date", key=keys["target_delivery_date"])
            field_error(errors, "target_delivery_date")
        for field, (label, help_text) in TEXT_FIELDS.items():
            st.text_area(label, key=keys[field], help=help_text, height=90)
            field_error(errors, field)
        row = st.columns(3)
        for column, field in zip(
            row, ["minimum_useful_performance", "sponsor", "owner"], strict=True
        ):
            with column:
                st.text_input(LINE_FIELDS[field][0], key=keys[field], help=LINE_FIELDS[field][1])
                field_error(errors, field)

        st.subheader(
            "Success criteria",
            help="Agree at planning time how success is measured "
            "and tie each criterion to a business metric (Wilson ch. 1, Evaluation).",
        )
        criteria = st.data_editor(
            pd.DataFrame(
                [
                    c.model_dump(include={"criterion", "business_metric", "target"})
                    for c in detail.criteria
                ],
                columns=["criterion", "business_metric", "target"],
            ),
            key=CRITERIA_KEY,
            num_rows="dynamic",
            hide_index=True,
            width="stretch",
            column_config={
                "criterion": st.column_config.TextColumn("Criterion", required=True),
                "business_metric": st.column_config.TextColumn(
                    "Business metric (KPI)", required=True
                ),
                "target": st.column_config.TextColumn("Target"),
            },
        )
        row_errors(errors, "criteria")

        st.subheader("Stakeholders and roles")
        stakeholders = st.data_editor(
            pd.DataFrame(
                [s.model_dump(include={"name", "role", "contact"}) for s in detail.stakeholders],
                columns=["name", "role", "contact"],
            ).assign(role=lambda frame: frame["role"].map(lambda r: StakeholderRole(r).value)),
            key=STAKEHOLDERS_KEY,
            num_rows="dynamic",
            hide_index=True,
            width="stretch",
            column_config={
                "name": st.column_config.TextColumn("Name", required=True),
                "role": st.column_config.SelectboxColumn(
                    "Role", options=[role.value for role in StakeholderRole], required=True
                ),
                "contact": st.column_config.TextColumn("Contact"),
            },
        )
        row_errors(errors, "stakeholders")
        field_error(errors, "actor")
        save = st.form_submit_button("Save charter", type="primary")

    if save:
        data = {field: st.session_state.get(key) for field, key in keys.items()}
        try:
            project_service.update_project(
                engine(),
                project_id=pid,
                expected_version=loaded_version,
                data=data,
                actor=actor(),
                today=today(),
                criteria=criteria.to_dict("records"),
                stakeholders=stakeholders.to_dict("records"),
            )
        except InvalidInput as error:
            set_form_errors(FORM, error.errors)
            st.rerun()
        except StaleEditError as error:
            set_form_errors(FORM, None)
            st.session_state[STALE_KEY] = error
            st.rerun()
        else:
            reload_form()
            data_changed()
            st.toast("Charter saved.")
            st.rerun()

with phase_tab:
    gate = gates[phase]
    st.markdown(f"**{phase.label}** — {gate.goal}")
    st.caption(f"Source: {gate.source}")
    done = detail.done_gate_items[phase]
    gate_form = f"gate_{pid}_{phase.value}"
    gate_errors = form_errors(gate_form)
    with st.form(gate_form):
        ticks = {
            item.key: st.checkbox(item.text, value=item.key in done, key=f"{gate_form}_{item.key}")
            for item in gate.items
        }
        field_error(gate_errors, "actor")
        save_gate = st.form_submit_button("Save checklist")
    if save_gate:
        try:
            project_service.set_gate_items(
                engine(),
                project_id=pid,
                phase=phase,
                check=[key for key, ticked in ticks.items() if ticked],
                uncheck=[key for key, ticked in ticks.items() if not ticked],
                actor=actor(),
            )
        except InvalidInput as error:
            set_form_errors(gate_form, error.errors)
        else:
            set_form_errors(gate_form, None)
            data_changed()
        st.rerun()

    st.subheader("Move the project")
    targets = [p for p in Phase if p.index < phase.index]
    if next_phase(phase) is not None:
        targets.append(next_phase(phase))
    still_open = open_gate_items(gate, done)
    move_form = f"move_{pid}"
    move_errors = form_errors(move_form)
    with st.form(move_form):
        target = st.selectbox(
            "To phase",
            options=targets,
            index=len(targets) - 1,
            format_func=lambda p: ("→ " if p.index > phase.index else "← back to ") + p.label,
        )
        if still_open:
            st.warning(
                "Still open in this phase's gate: "
                + "; ".join(item.text for item in still_open)
                + ". Moving forward records these as open; add a note saying why."
            )
        note = st.text_input("Note (why now; required when items are open or moving back)")
        field_error(move_errors, "phase")
        field_error(move_errors, "actor")
        move = st.form_submit_button("Move phase")
    if move:
        try:
            project_service.move_phase(
                engine(),
                project_id=pid,
                expected_version=project.version,
                target=target,
                actor=actor(),
                note=note,
            )
        except InvalidInput as error:
            set_form_errors(move_form, error.errors)
        except StaleEditError as error:
            set_form_errors(move_form, {"phase": str(error)})
        else:
            set_form_errors(move_form, None)
            reload_form()
            data_changed()
        st.rerun()

    if detail.transitions:
        st.subheader("Phase history")
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "When (UTC)": t.at,
                        "Who": t.actor,
                        "From": Phase(t.from_phase).label,
                        "To": Phase(t.to_phase).label,
                        "Still open": "; ".join(t.open_items),
                        "Note": t.note,
                    }
                    for t in detail.transitions
                ]
            ),
            hide_index=True,
            width="stretch",
            column_config={
                "When (UTC)": st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm")
            },
        )

with log_tab:
    entries = project_service.list_activity(engine(), pid)
    st.caption("Every change and decision on this project: who, when, what changed.")
    st.dataframe(
        pd.DataFrame(
            [
                {"When (UTC)": e.at, "Who": e.actor, "What": e.action, "Details": e.summary}
                for e in entries
            ],
            columns=["When (UTC)", "Who", "What", "Details"],
        ),
        hide_index=True,
        width="stretch",
        column_config={"When (UTC)": st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm")},
    )
