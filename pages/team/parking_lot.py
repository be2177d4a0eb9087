"""Parking lot: tempting ideas that are not essential now, written down instead of chased
(Wilson ch. 3.2) — edited as a table, brought back when due, promoted to an experiment in one step.
"""

import pandas as pd
import streamlit as st

from workbench.domain.lifecycle import Phase
from workbench.errors import InvalidInput, StaleEditError
from workbench.services import parking_lot as lot
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
day = today()
rows = lot.list_items(engine(), pid, day)
FLASH = f"parking_{pid}_flash"
PHASE_LABELS = [phase.label for phase in Phase]
STATUSES = [status.value for status in lot.ParkingLotStatus]
SOURCES = [kind.value for kind in lot.SOURCE_KINDS]


def phase_label(value: str | None) -> str | None:
    """A stored phase value as the users read it."""
    return Phase(value).label if value else None


def done(form: str, keys, message: str) -> None:
    """After a successful save: fresh values next run, a message, caches cleared."""
    forget(keys)
    set_form_errors(form, None)
    data_changed()
    st.session_state[FLASH] = message
    st.rerun()


st.title("Parking lot")
st.caption(
    f'**{project.name}** · {Phase(project.phase).label}. The time box "forces teams to '
    'postpone evaluation of things that are interesting but not essential" (Wilson ch. 3.2): '
    "write them down here with where they came from and when to look again. An idea is due "
    "for review on its revisit date or when the project reaches its revisit phase."
)
flash = st.session_state.pop(FLASH, None)
if flash:
    st.success(flash, icon=":material/check_circle:")

# --- Due for review -------------------------------------------------------------------------

due = [row for row in rows if row.due]
if due:
    with st.container(border=True):
        st.markdown(f"#### :orange[:material/notifications_active:] Due for review ({len(due)})")
        for row in due:
            item = row.item
            st.warning(
                f"**{item.idea}** — {row.due_reason}. Raised by {item.raised_by or '—'} "
                f"({item.source_kind.value}); deferred because: {item.why_deferred or '—'}. "
                f"Value {item.value}, effort {item.effort}.",
                icon=":material/local_parking:",
            )
        st.caption(
            "Promote an idea to an experiment below, or set its status to *dropped* (or a new "
            "revisit date) in the table."
        )

# --- Promote to experiment ------------------------------------------------------------------

parked = [row for row in rows if row.item.status is lot.ParkingLotStatus.PARKED]
PROMOTE = f"promote_{pid}"
promote_errors = form_errors(PROMOTE)
promote_keys = {
    name: f"{PROMOTE}_{name}"
    for name in (
        "item",
        "approach",
        "hypothesis",
        "owner",
        "success_criterion",
        "start_date",
        "research_days",
        "prototype_days",
    )
}
if parked:
    by_id = {row.item.id: row.item for row in parked}
    with (
        st.expander("Promote an idea to an experiment", expanded=bool(promote_errors) or bool(due)),
        st.form(PROMOTE),
    ):
        st.selectbox(
            "Parked idea",
            options=list(by_id),
            format_func=lambda item_id: by_id[item_id].idea[:120],
            key=promote_keys["item"],
        )
        field_error(promote_errors, "item")
        top = st.columns([2, 1])
        with top[0]:
            st.text_input("Approach (blank: the idea's text)", key=promote_keys["approach"])
            field_error(promote_errors, "approach")
        with top[1]:
            st.text_input("Owner", key=promote_keys["owner"])
            field_error(promote_errors, "owner")
        st.text_input("Hypothesis", key=promote_keys["hypothesis"])
        field_error(promote_errors, "hypothesis")
        st.text_input(
            "Success criterion, against the baseline *",
            key=promote_keys["success_criterion"],
            help=f"Baseline (charter): {project.baseline or 'not set yet'}",
        )
        field_error(promote_errors, "success_criterion")
        box = st.columns(3)
        with box[0]:
            st.date_input("Start date", value=day, key=promote_keys["start_date"])
            field_error(promote_errors, "start_date")
        with box[1]:
            st.number_input(
                "Research (working days) *",
                value=5,
                min_value=1,
                key=promote_keys["research_days"],
            )
            field_error(promote_errors, "research_days")
        with box[2]:
            st.number_input(
                "Prototype (working days) *",
                value=5,
                min_value=1,
                key=promote_keys["prototype_days"],
            )
            field_error(promote_errors, "prototype_days")
        field_error(promote_errors, "actor")
        promote = st.form_submit_button("Promote to experiment", type="primary")
    if promote:
        item = by_id[st.session_state[promote_keys["item"]]]
        try:
            experiment = lot.promote_to_experiment(
                engine(),
                project_id=pid,
                item_id=item.id,
                expected_version=item.version,
                data={
                    name: st.session_state.get(key)
                    for name, key in promote_keys.items()
                    if name != "item"
                },
                actor=actor(),
            )
        except InvalidInput as error:
            set_form_errors(PROMOTE, error.errors)
            st.rerun()
        except StaleEditError as error:
            set_form_errors(PROMOTE, {"item": str(error)})
            st.rerun()
        done(
            PROMOTE,
            promote_keys.values(),
            f"Promoted to the experiment {experiment.approach!r}; the idea is now revived.",
        )

# --- The table ------------------------------------------------------------------------------

TABLE = f"parking_table_{pid}"
EDITOR = f"{TABLE}_editor"
VERSIONS = f"{TABLE}__versions"
STALE = f"{TABLE}__stale"
table_errors = form_errors(TABLE)
st.subheader("All ideas")
if not rows:
    st.info("Nothing parked yet. Add the first idea below.")
else:
    preload({VERSIONS: {row.item.id: row.item.version for row in rows}})
    stale = st.session_state.get(STALE)
    if stale is not None:
        show_stale(stale)
        if st.button("Discard my edits and load the newer values"):
            done(TABLE, [EDITOR, VERSIONS, STALE], "Loaded the newer values.")
    frame = pd.DataFrame(
        [
            {
                "due": row.due,
                "idea": row.item.idea,
                "raised_by": row.item.raised_by,
                "source_kind": row.item.source_kind.value,
                "why_deferred": row.item.why_deferred,
                "value": row.item.value,
                "effort": row.item.effort,
                "revisit_on": row.item.revisit_on,
                "revisit_phase": phase_label(row.item.revisit_phase),
                "status": row.item.status.value,
                "experiment": f"#{row.experiment_id}" if row.experiment_id else "",
            }
            for row in rows
        ]
    )
    edited = st.data_editor(
        frame,
        key=EDITOR,
        hide_index=True,
        width="stretch",
        num_rows="fixed",
        disabled=["due", "experiment"],
        column_order=[
            "due",
            "status",
            "idea",
            "why_deferred",
            "value",
            "effort",
            "revisit_on",
            "revisit_phase",
            "source_kind",
            "raised_by",
            "experiment",
        ],
        column_config={
            "due": st.column_config.CheckboxColumn(
                "Due", width="small", help="Due for review: its revisit date or phase has come"
            ),
            "idea": st.column_config.TextColumn("Idea", required=True, width="medium"),
            "raised_by": st.column_config.TextColumn("Raised by", width="small"),
            "source_kind": st.column_config.SelectboxColumn(
                "Source", options=SOURCES, required=True, width="small"
            ),
            "why_deferred": st.column_config.TextColumn("Why deferred", width="medium"),
            "value": st.column_config.SelectboxColumn(
                "Value", options=list(lot.LEVELS), required=True, width="small"
            ),
            "effort": st.column_config.SelectboxColumn(
                "Effort", options=list(lot.LEVELS), required=True, width="small"
            ),
            "revisit_on": st.column_config.DateColumn(
                "Revisit on", format="YYYY-MM-DD", width="small"
            ),
            "revisit_phase": st.column_config.SelectboxColumn(
                "Revisit in phase", options=PHASE_LABELS, width="small"
            ),
            "status": st.column_config.SelectboxColumn(
                "Status",
                options=STATUSES,
                required=True,
                width="small",
                help="parked → revived (promote it) or dropped; a dropped idea may be parked again",
            ),
            "experiment": st.column_config.TextColumn("Experiment", width="small"),
        },
    )
    row_errors(table_errors, "items")
    field_error(table_errors, "items")
    field_error(table_errors, "actor")
    if st.button("Save changes", type="primary", icon=":material/save:"):
        versions = st.session_state[VERSIONS]
        records = edited.to_dict("records")
        try:
            changed = lot.update_items(
                engine(),
                project_id=pid,
                edits=[
                    {**record, "id": row.item.id, "version": versions.get(row.item.id)}
                    for record, row in zip(records, rows, strict=True)
                ],
                actor=actor(),
            )
        except InvalidInput as error:
            set_form_errors(TABLE, error.errors)
            st.rerun()
        except StaleEditError as error:
            set_form_errors(TABLE, None)
            st.session_state[STALE] = error
            st.rerun()
        done(TABLE, [EDITOR, VERSIONS, STALE], f"Saved {changed} changed idea(s).")

# --- Add ------------------------------------------------------------------------------------

ADD = f"park_{pid}"
add_errors = form_errors(ADD)
add_keys = {
    name: f"{ADD}_{name}"
    for name in (
        "idea",
        "raised_by",
        "source_kind",
        "why_deferred",
        "value",
        "effort",
        "revisit_on",
        "revisit_phase",
    )
}
with st.expander("Park a new idea", expanded=bool(add_errors) or not rows), st.form(ADD):
    st.text_area("Idea *", key=add_keys["idea"], height=70)
    field_error(add_errors, "idea")
    columns = st.columns(2)
    with columns[0]:
        st.text_input("Raised by", placeholder="you", key=add_keys["raised_by"])
        field_error(add_errors, "raised_by")
    with columns[1]:
        st.selectbox("Where it came from", options=SOURCES, key=add_keys["source_kind"])
        field_error(add_errors, "source_kind")
    st.text_input("Why deferred", key=add_keys["why_deferred"])
    field_error(add_errors, "why_deferred")
    columns = st.columns(4)
    with columns[0]:
        st.selectbox("Value", options=list(lot.LEVELS), index=1, key=add_keys["value"])
    with columns[1]:
        st.selectbox("Effort", options=list(lot.LEVELS), index=1, key=add_keys["effort"])
    with columns[2]:
        st.date_input("Revisit on", value=None, key=add_keys["revisit_on"])
        field_error(add_errors, "revisit_on")
    with columns[3]:
        st.selectbox(
            "Revisit in phase", options=PHASE_LABELS, index=None, key=add_keys["revisit_phase"]
        )
        field_error(add_errors, "revisit_phase")
    field_error(add_errors, "actor")
    park = st.form_submit_button("Park idea", type="primary")
if park:
    try:
        lot.add_item(
            engine(),
            project_id=pid,
            data={name: st.session_state.get(key) for name, key in add_keys.items()},
            actor=actor(),
        )
    except InvalidInput as error:
        set_form_errors(ADD, error.errors)
        st.rerun()
    done(ADD, add_keys.values(), "Idea parked.")
