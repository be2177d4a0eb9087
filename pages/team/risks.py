"""Risks: the project's risk register — edit likelihood, impact, owner, mitigation and status,
add risks, prefill them from the readiness answers, and see them on a likelihood × impact grid."""

import streamlit as st

from workbench.charts.assessment import exposure_zone, risk_matrix_figure
from workbench.services import assessment as assessment_service
from workbench.services import registers
from workbench.ui.assessment_forms import reset_if_untouched
from workbench.ui.common import actor, engine, require_project
from workbench.ui.forms import FORM_ERROR, Form, TableEditor
from workbench.ui.reference import question_bank
from workbench.ui.risks_register import (
    ADD_LABELS,
    COLUMN_LABELS,
    COLUMNS,
    EDITABLE,
    column_config,
    prefill_message,
)
from workbench.ui.text import markdown_text

detail = require_project()
pid = detail.project.id
risks = registers.list_risks(engine(), pid)

st.title("Risks")
st.caption(
    f"**{markdown_text(detail.project.name)}** — "
    "what could go wrong, how likely (1–5), how bad (1–5), who "
    "watches it and what the team does about it. Exposure = likelihood × impact."
)

# The register's rows (ids, versions, order) are pinned when first shown; a save sends only
# the cells this user changed, each row with the version they saw.
register = Form(
    f"risks_{pid}_register",
    labels={
        "risks": "Risk register",
        **{
            f"#{r.id} {column}": f"Risk #{r.id} · {COLUMN_LABELS[column]}"
            for r in risks
            for column in EDITABLE
        },
    },
)
table = TableEditor(
    register,
    "risks",
    [
        {
            "id": r.id,
            "version": r.version,
            **{column: getattr(r, column) for column in EDITABLE},
            "status": r.status.value,
            "exposure": r.likelihood * r.impact,
            "zone": exposure_zone(r.likelihood, r.impact),
            "source": r.source_label or r.source_kind.value,
        }
        for r in risks
    ],
    COLUMNS,
)

# --- Prefill from the readiness answers ---------------------------------------------------------

prefill = Form(f"risks_{pid}_prefill")


def run_prefill(form: Form):
    outcome = assessment_service.prefill_risks_from_readiness(
        engine(), project_id=pid, questions=question_bank(), actor=actor()
    )
    reset_if_untouched(register, table)
    return outcome


left, right = st.columns([3, 2], vertical_alignment="center")
left.caption(
    "Readiness answers of the *Should we use ML?* assessment that show a gap (for example no "
    "experienced talent, no labels) can each become a risk, with the mitigation from the "
    "question bank. A question already in the register is not added twice."
)
with right:
    prefill.button(
        "Prefill risks from readiness answers",
        run_prefill,
        success=prefill_message,
        icon=":material/playlist_add:",
        width="stretch",
    )
prefill.messages()

# --- The register -------------------------------------------------------------------------------


def save_register(form: Form):
    changed = table.changes().updated
    if not changed:
        form.refuse({FORM_ERROR: "Nothing to save: change a cell of the register first."})
    position = {row["id"]: index for index, row in enumerate(table.snapshot, start=1)}
    return registers.update_risks(
        engine(),
        project_id=pid,
        rows=[
            {
                "id": row["id"],
                "version": row["version"],
                "row": position[row["id"]],
                **{k: v for k, v in row.items() if k in EDITABLE},
            }
            for row in changed
        ],
        actor=actor(),
    )


if risks or table.snapshot:
    st.subheader("Register")
    register.messages()
    table.editor(
        hide_index=True,
        width="stretch",
        disabled=["id", "exposure", "zone", "source"],
        column_config=column_config(assessment_service.RISK_STATUSES),
    )
    table.row_errors()
    register.button(
        "Save risk register",
        save_register,
        success=lambda changed: f"Saved {changed} changed risk(s).",
        type="primary",
        icon=":material/save:",
    )

    st.subheader("Likelihood × impact")
    st.plotly_chart(risk_matrix_figure(risks), key=f"risks_{pid}_matrix")
    closed = sum(1 for r in risks if r.status.value == "closed")
    if closed:
        st.caption(f"{closed} closed risk(s) are not shown on the grid.")
else:
    st.info("No risk recorded yet: add one below, or prefill them from the readiness answers.")

# --- Add a risk ---------------------------------------------------------------------------------

adder = Form(
    f"risks_{pid}_add",
    initial={
        "title": "",
        "description": "",
        "likelihood": 3,
        "impact": 3,
        "owner": "",
        "mitigation": "",
    },
    labels=ADD_LABELS,
)


def add_risk(form: Form):
    risk = registers.create_risk(engine(), project_id=pid, data=form.values(), actor=actor())
    reset_if_untouched(register, table)
    return risk


st.subheader("Add a risk")
with adder.render():
    st.text_input(ADD_LABELS["title"], key=adder.key("title"), placeholder="What could go wrong")
    adder.error("title")
    st.text_area(ADD_LABELS["description"], key=adder.key("description"), height=80)
    adder.error("description")
    levels = st.columns(2)
    with levels[0]:
        st.select_slider("Likelihood", options=[1, 2, 3, 4, 5], key=adder.key("likelihood"))
        adder.error("likelihood")
    with levels[1]:
        st.select_slider("Impact", options=[1, 2, 3, 4, 5], key=adder.key("impact"))
        adder.error("impact")
    st.text_input(ADD_LABELS["owner"], key=adder.key("owner"))
    adder.error("owner")
    st.text_area(ADD_LABELS["mitigation"], key=adder.key("mitigation"), height=80)
    adder.error("mitigation")
    adder.submit_button(
        "Add risk", add_risk, success=lambda risk: f"Added risk #{risk.id} to the register."
    )
