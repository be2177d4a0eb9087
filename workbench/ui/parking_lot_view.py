"""The Parking lot page's rendering blocks: the due-for-review list, the ideas table, the park
and promote forms (the page builds the forms and their actions; these draw them)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pandas as pd
import streamlit as st

from workbench.domain.lifecycle import Phase
from workbench.ui.forms import Form, TableEditor
from workbench.ui.text import markdown_table, markdown_text

PHASE_LABELS = [phase.label for phase in Phase]
TABLE = "items"  # the table's name in its form; row messages come keyed "items[N].field"
TABLE_LABELS = {
    "status": "Status",
    "idea": "Idea",
    "why_deferred": "Why deferred",
    "value": "Value",
    "effort": "Effort",
    "revisit_on": "Revisit on",
    "revisit_phase": "Revisit in phase",
    "source_kind": "Source",
    "raised_by": "Raised by",
}
COLUMNS = ["due", *TABLE_LABELS, "experiment"]


def phase_label(value: str | None) -> str | None:
    """A stored phase value as the users read it."""
    return Phase(value).label if value else None


def table_row(row: Any) -> dict[str, Any]:
    """One `ParkingLotRow` as a row of the ideas table (with its id and version)."""
    item = row.item
    return {
        "id": item.id,
        "version": item.version,
        "due": row.due,
        "status": str(item.status),
        "idea": item.idea,
        "why_deferred": item.why_deferred,
        "value": item.value,
        "effort": item.effort,
        "revisit_on": item.revisit_on,
        "revisit_phase": phase_label(item.revisit_phase),
        "source_kind": str(item.source_kind),
        "raised_by": item.raised_by,
        "experiment": f"#{row.experiment_id}" if row.experiment_id else "",
    }


def due_list(rows: Sequence[Any]) -> None:
    """The ideas due for review as one compact table (never one alert per idea)."""
    due = [row for row in rows if row.due]
    if not due:
        return
    with st.container(border=True):
        st.markdown(f"#### :orange[:material/notifications_active:] Due for review ({len(due)})")
        st.table(
            markdown_table(
                pd.DataFrame(
                    [
                        {
                            "Idea": row.item.idea,
                            "Why due": row.due_reason,
                            "Why deferred": row.item.why_deferred,
                            "Value": row.item.value,
                            "Effort": row.item.effort,
                            "Raised by": row.item.raised_by,
                            "Source": str(row.item.source_kind),
                        }
                        for row in due
                    ]
                )
            ),
            hide_index=True,
            height="content" if len(due) <= 12 else 460,
        )
        st.caption(
            "Promote an idea to an experiment below, or set its status to *dropped* (or a new "
            "revisit date) in the table."
        )


def ideas_table(
    form: Form,
    table: TableEditor,
    *,
    statuses: Sequence[str],
    sources: Sequence[str],
    levels: Sequence[str],
    save: Callable[[Form], Any],
) -> None:
    """The editable table of every idea, its messages, and its save button."""
    form.messages()
    current = getattr(form.stale, "current", None)
    if current is not None and getattr(current, "idea", None):
        st.text(f"The refused row: {current.idea[:200]}")
    table.editor(
        hide_index=True,
        width="stretch",
        num_rows="fixed",
        disabled=["due", "experiment"],
        column_config={
            "due": st.column_config.CheckboxColumn(
                "Due", width="small", help="Due for review: its revisit date or phase has come"
            ),
            "status": st.column_config.SelectboxColumn(
                "Status",
                options=list(statuses),
                required=True,
                width="small",
                help="parked → revived (promote it) or dropped; a dropped idea may be parked again",
            ),
            "idea": st.column_config.TextColumn("Idea", required=True, width="medium"),
            "why_deferred": st.column_config.TextColumn("Why deferred", width="medium"),
            "value": st.column_config.SelectboxColumn(
                "Value", options=list(levels), required=True, width="small"
            ),
            "effort": st.column_config.SelectboxColumn(
                "Effort", options=list(levels), required=True, width="small"
            ),
            "revisit_on": st.column_config.DateColumn(
                "Revisit on", format="YYYY-MM-DD", width="small"
            ),
            "revisit_phase": st.column_config.SelectboxColumn(
                "Revisit in phase", options=PHASE_LABELS, width="small"
            ),
            "source_kind": st.column_config.SelectboxColumn(
                "Source", options=list(sources), required=True, width="small"
            ),
            "raised_by": st.column_config.TextColumn("Raised by", width="small"),
            "experiment": st.column_config.TextColumn("Experiment", width="small"),
        },
    )
    table.row_errors()
    form.button(
        "Save changes",
        save,
        success=lambda changed: f"Saved {changed} changed idea(s).",
        type="primary",
        icon=":material/save:",
    )


def promote_form(
    form: Form,
    *,
    baseline: str,
    promote: Callable[[Form], Any],
    question: Callable[[Form], str],
) -> None:
    """The fields of an experiment made from the picked idea, and the confirmed submit."""
    with form.render():
        form.error("item")
        top = st.columns([2, 1])
        with top[0]:
            st.text_input("Approach (blank: the idea's text)", key=form.key("approach"))
            form.error("approach")
        with top[1]:
            st.text_input("Owner", key=form.key("owner"))
            form.error("owner")
        st.text_input("Hypothesis", key=form.key("hypothesis"))
        form.error("hypothesis")
        st.text_input(
            "Success criterion, against the baseline *",
            key=form.key("success_criterion"),
            help="Baseline (charter): " + (markdown_text(baseline) or "not set yet"),
        )
        form.error("success_criterion")
        box = st.columns(3)
        with box[0]:
            st.date_input("Start date", key=form.key("start_date"))
            form.error("start_date")
        with box[1]:
            st.number_input("Research (working days) *", min_value=1, key=form.key("research_days"))
            form.error("research_days")
        with box[2]:
            st.number_input(
                "Prototype (working days) *", min_value=1, key=form.key("prototype_days")
            )
            form.error("prototype_days")
        form.submit_button(
            "Promote to experiment",
            promote,
            confirm=question,
            success="Promoted to an experiment; the idea is now revived. "
            "Plan it on the Experiments page.",
            type="primary",
        )


def park_form(
    form: Form,
    *,
    sources: Sequence[str],
    levels: Sequence[str],
    park: Callable[[Form], Any],
) -> None:
    """The form that parks a new idea (empty again after each save)."""
    with form.render():
        st.text_area("Idea *", key=form.key("idea"), height=70)
        form.error("idea")
        columns = st.columns(2)
        with columns[0]:
            st.text_input("Raised by", placeholder="you", key=form.key("raised_by"))
            form.error("raised_by")
        with columns[1]:
            st.selectbox("Where it came from", options=list(sources), key=form.key("source_kind"))
            form.error("source_kind")
        st.text_input("Why deferred", key=form.key("why_deferred"))
        form.error("why_deferred")
        columns = st.columns(4)
        with columns[0]:
            st.selectbox("Value", options=list(levels), key=form.key("value"))
            form.error("value")
        with columns[1]:
            st.selectbox("Effort", options=list(levels), key=form.key("effort"))
            form.error("effort")
        with columns[2]:
            st.date_input("Revisit on", value=None, key=form.key("revisit_on"))
            form.error("revisit_on")
        with columns[3]:
            st.selectbox(
                "Revisit in phase", options=PHASE_LABELS, index=None, key=form.key("revisit_phase")
            )
            form.error("revisit_phase")
        form.submit_button("Park idea", park, success="Idea parked.", type="primary")


def pending(form: Form) -> bool:
    """Whether a form holds something of its user's: typed values, a refusal, a conflict."""
    return bool(form.changes() or form.errors or form.stale)


def labels(mapping: Mapping[str, str]) -> dict[str, str]:
    """Form labels: the given ones plus the table's (for a conflict on the picked idea)."""
    return {**TABLE_LABELS, **mapping}
