"""Risks: the project's risk register — edit likelihood, impact, owner, mitigation and status,
add risks, prefill them from the readiness answers, and see them on a likelihood × impact grid."""

import pandas as pd
import streamlit as st

from workbench.charts.assessment import exposure_zone, risk_matrix_figure
from workbench.errors import InvalidInput, StaleEditError
from workbench.services import assessment as assessment_service
from workbench.services import registers
from workbench.ui.common import (
    actor,
    data_changed,
    engine,
    field_error,
    require_project,
    row_errors,
    show_stale,
)
from workbench.ui.forms import forget, form_errors, set_form_errors
from workbench.ui.reference import question_bank

COLUMNS = ["title", "likelihood", "impact", "owner", "mitigation", "status", "description"]

detail = require_project()
pid = detail.project.id
risks = registers.list_risks(engine(), pid)

st.title("Risks")
st.caption(
    f"**{detail.project.name}** — what could go wrong, how likely (1–5), how bad (1–5), who "
    "watches it and what the team does about it. Exposure = likelihood × impact."
)

PREFILL_KEY = f"risks_{pid}_prefill"
prefill_message = st.session_state.pop(PREFILL_KEY, None)
left, right = st.columns([3, 2], vertical_alignment="center")
left.caption(
    "Readiness answers of the *Should we use ML?* assessment that show a gap (for example no "
    "experienced talent, no labels) can each become a risk, with the mitigation from the "
    "question bank. A question already in the register is not added twice."
)
if right.button(
    "Prefill risks from readiness answers", icon=":material/playlist_add:", width="stretch"
):
    try:
        outcome = assessment_service.prefill_risks_from_readiness(
            engine(), project_id=pid, questions=question_bank(), actor=actor()
        )
    except InvalidInput as error:
        st.session_state[PREFILL_KEY] = ("error", " ".join(error.errors.values()))
    else:
        skipped = (
            f" {len(outcome.already_there)} already in the register."
            if outcome.already_there
            else ""
        )
        st.session_state[PREFILL_KEY] = (
            "success" if outcome.created else "info",
            f"Added {len(outcome.created)} risk(s) from readiness gaps.{skipped}"
            if outcome.created or outcome.already_there
            else "No readiness answer shows a gap: nothing to add.",
        )
        data_changed()
    st.rerun()
if prefill_message:
    kind, text = prefill_message
    {"error": st.error, "success": st.success, "info": st.info}[kind](text)

TABLE = f"risks_{pid}_table"
STALE_KEY, LOADED_KEY = f"{TABLE}__stale", f"{TABLE}__loaded"
errors = form_errors(TABLE)
# The table's edits are kept by row position, so pin the row order and the versions the user
# started editing from: a change saved elsewhere meanwhile is refused, never overwritten.
loaded = st.session_state.setdefault(LOADED_KEY, {})
for r in risks:
    loaded.setdefault(r.id, r.version)
position = {risk_id: index for index, risk_id in enumerate(loaded)}
risks = sorted((r for r in risks if r.id in position), key=lambda r: position[r.id])
stale = st.session_state.get(STALE_KEY)
changed_elsewhere = [r.id for r in risks if r.version != loaded[r.id]]
if stale is not None or changed_elsewhere:
    if stale is not None:
        show_stale(stale)
    else:
        st.warning(
            "Changed by someone else since you started editing: risk "
            + ", ".join(f"#{risk_id}" for risk_id in changed_elsewhere)
            + ". Saving your edits to these rows will be refused; load the newer risks first."
        )
    if st.button("Discard my edits and load the newer risks", key=f"{TABLE}_reload"):
        forget([TABLE, STALE_KEY, LOADED_KEY])
        st.rerun()

if risks:
    st.subheader("Register")
    frame = pd.DataFrame(
        [
            {
                "id": r.id,
                "version": loaded[r.id],
                **{column: getattr(r, column) for column in COLUMNS},
                "status": r.status.value,
                "exposure": r.likelihood * r.impact,
                "zone": exposure_zone(r.likelihood, r.impact),
                "source": r.source_label or r.source_kind.value,
            }
            for r in risks
        ]
    )
    level = {"min_value": 1, "max_value": 5, "step": 1, "required": True}
    edited = st.data_editor(
        frame,
        key=TABLE,
        hide_index=True,
        width="stretch",
        disabled=["id", "exposure", "zone", "source"],
        column_order=["id", *COLUMNS[:6], "exposure", "zone", "description", "source"],
        column_config={
            "id": st.column_config.NumberColumn("#", width="small"),
            "title": st.column_config.TextColumn("Risk", width="large", required=True),
            "likelihood": st.column_config.NumberColumn("Likelihood", **level),
            "impact": st.column_config.NumberColumn("Impact", **level),
            "owner": st.column_config.TextColumn("Owner"),
            "mitigation": st.column_config.TextColumn("Mitigation", width="medium"),
            "status": st.column_config.SelectboxColumn(
                "Status", options=list(assessment_service.RISK_STATUSES), required=True
            ),
            "exposure": st.column_config.NumberColumn("Exposure", help="Likelihood × impact"),
            "zone": st.column_config.TextColumn("Zone"),
            "description": st.column_config.TextColumn("Description", width="medium"),
            "source": st.column_config.TextColumn("From"),
        },
    )
    row_errors(errors, "risks")
    field_error(errors, "risks")
    field_error(errors, "actor")
    if st.button("Save risk register", type="primary", icon=":material/save:"):
        try:
            changed = registers.update_risks(
                engine(),
                project_id=pid,
                edits=edited[["id", "version", *COLUMNS]].to_dict("records"),
                actor=actor(),
            )
        except InvalidInput as error:
            set_form_errors(TABLE, error.errors)
        except StaleEditError as error:
            set_form_errors(TABLE, None)
            st.session_state[STALE_KEY] = error
        else:
            set_form_errors(TABLE, None)
            forget([TABLE, STALE_KEY, LOADED_KEY])
            data_changed()
            st.toast(f"Saved {changed} changed risk(s)." if changed else "Nothing changed.")
        st.rerun()

    st.subheader("Likelihood × impact")
    st.plotly_chart(risk_matrix_figure(risks), key=f"risks_{pid}_matrix")
    closed = sum(1 for r in risks if r.status.value == "closed")
    if closed:
        st.caption(f"{closed} closed risk(s) are not shown on the grid.")
else:
    st.info("No risk recorded yet: add one below, or prefill them from the readiness answers.")

ADD_FORM = f"risks_{pid}_add"
add_errors = form_errors(ADD_FORM)
add_fields = ["title", "description", "likelihood", "impact", "owner", "mitigation"]
with (
    st.expander("Add a risk", expanded=bool(add_errors) or not risks, icon=":material/add:"),
    st.form(ADD_FORM),
):
    st.text_input("Risk *", key=f"{ADD_FORM}_title", placeholder="What could go wrong")
    field_error(add_errors, "title")
    st.text_area("Description", key=f"{ADD_FORM}_description", height=80)
    field_error(add_errors, "description")
    levels = st.columns(2)
    levels[0].select_slider(
        "Likelihood", options=[1, 2, 3, 4, 5], value=3, key=f"{ADD_FORM}_likelihood"
    )
    levels[1].select_slider("Impact", options=[1, 2, 3, 4, 5], value=3, key=f"{ADD_FORM}_impact")
    st.text_input("Owner", key=f"{ADD_FORM}_owner")
    field_error(add_errors, "owner")
    st.text_area("Mitigation", key=f"{ADD_FORM}_mitigation", height=80)
    field_error(add_errors, "mitigation")
    field_error(add_errors, "actor")
    add = st.form_submit_button("Add risk")
if add:
    try:
        registers.create_risk(
            engine(),
            project_id=pid,
            data={field: st.session_state.get(f"{ADD_FORM}_{field}") for field in add_fields},
            actor=actor(),
        )
    except InvalidInput as error:
        set_form_errors(ADD_FORM, error.errors)
    else:
        set_form_errors(ADD_FORM, None)
        forget(f"{ADD_FORM}_{field}" for field in add_fields)
        data_changed()
    st.rerun()
