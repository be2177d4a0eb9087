"""Charter: view and edit one project — what, why, success, stakeholders — and its phase."""

import pandas as pd
import streamlit as st

from workbench.domain.lifecycle import Phase, move_targets, next_phase, open_gate_items
from workbench.domain.people import StakeholderRole
from workbench.reference.gates import default_gates
from workbench.services import gate_evidence as evidence_service
from workbench.services import projects as project_service
from workbench.ui.common import (
    actor,
    engine,
    require_project,
    today,
)
from workbench.ui.forms import FORM_ERROR, Form, TableEditor, checklist_changes
from workbench.ui.gate_evidence import checklist_with_evidence, offer_to_tick
from workbench.ui.members import render_members
from workbench.ui.project_life import render_project_life
from workbench.ui.text import markdown_text

detail = require_project()
project = detail.project
pid = project.id
phase = Phase(project.phase)
gates = default_gates()
UNDO_KEY = f"move_{pid}__undo"

st.title(markdown_text(project.name))
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
LABELS = {
    **{field: label for field, (label, _) in {**LINE_FIELDS, **TEXT_FIELDS}.items()},
    "target_delivery_date": "Target delivery date",
    "success criteria": "Success criteria",
    "stakeholders": "Stakeholders",
}
FIELDS = [*LINE_FIELDS, *TEXT_FIELDS, "target_delivery_date"]
CRITERIA = ["criterion", "business_metric", "target"]
PEOPLE = ["name", "role", "contact"]

charter = Form(
    f"charter_{pid}",
    version=project.version,
    initial={field: getattr(project, field) for field in FIELDS},
    labels=LABELS,
)
criteria = TableEditor(
    charter, "criteria", [c.model_dump(include=set(CRITERIA)) for c in detail.criteria], CRITERIA
)
people = TableEditor(
    charter,
    "stakeholders",
    [
        {**s.model_dump(include=set(PEOPLE)), "role": StakeholderRole(s.role).value}
        for s in detail.stakeholders
    ],
    PEOPLE,
)


def save_charter(form: Form):
    return project_service.update_project(
        engine(),
        project_id=pid,
        expected_version=form.version,
        data=form.changes(),
        actor=actor(),
        today=today(),
        criteria=criteria.rows_now() if criteria.changed() else None,
        stakeholders=people.rows_now() if people.changed() else None,
    )


charter_tab, phase_tab, log_tab = st.tabs(
    ["Charter", "Phase & gate", "Activity log"], key=f"charter_{pid}_tab"
)

with charter_tab, charter.render():
    top = st.columns([2, 1])
    with top[0]:
        st.text_input(LINE_FIELDS["name"][0], key=charter.key("name"))
        charter.error("name")
    with top[1]:
        st.date_input("Target delivery date", key=charter.key("target_delivery_date"))
        charter.error("target_delivery_date")
    for field, (label, help_text) in TEXT_FIELDS.items():
        st.text_area(label, key=charter.key(field), help=help_text, height=90)
        charter.error(field)
    row = st.columns(3)
    for column, field in zip(row, ["minimum_useful_performance", "sponsor", "owner"], strict=True):
        with column:
            st.text_input(LINE_FIELDS[field][0], key=charter.key(field), help=LINE_FIELDS[field][1])
            charter.error(field)

    st.subheader(
        "Success criteria",
        help="Agree at planning time how success is measured "
        "and tie each criterion to a business metric (Wilson ch. 1, Evaluation).",
    )
    criteria.editor(
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        column_config={
            "criterion": st.column_config.TextColumn("Criterion", required=True),
            "business_metric": st.column_config.TextColumn("Business metric (KPI)", required=True),
            "target": st.column_config.TextColumn("Target"),
        },
    )
    criteria.row_errors()

    st.subheader("Stakeholders and roles")
    people.editor(
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
    people.row_errors()
    charter.submit_button("Save charter", save_charter, success="Charter saved.", type="primary")

with phase_tab:
    gate = gates[phase]
    st.markdown(f"**{phase.label}** — {gate.goal}")
    st.caption(f"Source: {gate.source}")
    done = detail.done_gate_items[phase]
    checklist_form = Form(
        f"gate_{pid}_{phase.value}", initial={item.key: item.key in done for item in gate.items}
    )

    def save_checklist(form: Form):
        ticked, unticked = checklist_changes(form)
        if not ticked and not unticked:
            form.refuse({FORM_ERROR: "Nothing to save: tick or untick an item first."})
        return project_service.set_gate_items(
            engine(), project_id=pid, phase=phase, check=ticked, uncheck=unticked, actor=actor()
        )

    evidence = evidence_service.gate_evidence(engine(), pid, phase, gates)
    offer_to_tick(checklist_form, gate, evidence)
    with checklist_form.render():
        checklist_with_evidence(checklist_form, gate, evidence)
        checklist_form.submit_button(
            "Save checklist",
            save_checklist,
            success=lambda ticked: f"Checklist saved: {len(ticked)} of {len(gate.items)} done.",
        )

    st.subheader("Move the project")
    targets = move_targets(phase)
    still_open = open_gate_items(gate, done)
    mover = Form(
        f"move_{pid}",
        version=project.version,
        initial={"target": next_phase(phase) or targets[-1], "note": ""},
        labels={"target": "To phase", "note": "Note", "phase": "To phase"},
    )

    def move(form: Form):
        moved = project_service.move_phase(
            engine(),
            project_id=pid,
            expected_version=form.version,
            target=form.value("target"),
            actor=actor(),
            note=form.value("note") or "",
        )
        st.session_state[UNDO_KEY] = moved.from_phase
        return moved

    def question(form: Form) -> str:
        target = Phase(form.value("target"))
        text = f"Move the project from {phase.label} to {target.label}?"
        if still_open and target.index > phase.index:
            text += f" {len(still_open)} gate item(s) of {phase.label} are recorded as open."
        return text + " You can move it back afterwards; the move is logged."

    with mover.render():
        st.selectbox(
            "To phase",
            options=targets,
            format_func=lambda p: ("→ " if p.index > phase.index else "← back to ") + p.label,
            key=mover.key("target"),
        )
        if still_open:
            st.warning(
                "Still open in this phase's gate: "
                + "; ".join(item.text for item in still_open)
                + ". Moving forward records these as open; add a note saying why."
            )
        st.text_input(
            "Note (why now; required when items are open or moving back)", key=mover.key("note")
        )
        mover.error("phase")
        mover.submit_button(
            "Move phase",
            move,
            confirm=question,
            success=lambda moved: f"Moved to {Phase(moved.to_phase).label}.",
        )
    undo_to = st.session_state.get(UNDO_KEY)
    if undo_to is not None and Phase(undo_to) != phase:
        undo = Form(f"undo_move_{pid}", version=project.version)

        def move_back(form: Form):
            st.session_state.pop(UNDO_KEY, None)
            return project_service.move_phase(
                engine(),
                project_id=pid,
                expected_version=form.version,
                target=Phase(undo_to),
                actor=actor(),
                note=f"Undo of the move to {phase.label}",
            )

        undo.messages()
        undo.button(
            f"Undo the move: back to {Phase(undo_to).label}",
            move_back,
            success=lambda moved: f"Moved back to {Phase(moved.to_phase).label}.",
            icon=":material/undo:",
        )

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

with st.expander("People and roles", icon=":material/group:"):
    render_members(pid)

render_project_life(detail)
