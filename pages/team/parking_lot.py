"""Parking lot: tempting ideas that are not essential now, written down instead of chased
(Wilson ch. 3.2) — edited as a table, brought back when due, promoted to an experiment in one step.
"""

import streamlit as st

from workbench.domain.lifecycle import Phase
from workbench.services import parking_lot as lot
from workbench.ui.common import actor, engine, require_project, today
from workbench.ui.forms import FORM_ERROR, Form, TableEditor
from workbench.ui.parking_lot_view import (
    COLUMNS,
    TABLE,
    TABLE_LABELS,
    due_list,
    ideas_table,
    labels,
    park_form,
    pending,
    promote_form,
    table_row,
)
from workbench.ui.text import markdown_text

detail = require_project()
project = detail.project
pid = project.id
day = today()
rows = lot.list_items(engine(), pid, day)
by_id = {row.item.id: row.item for row in rows}
STATUSES = [status.value for status in lot.ParkingLotStatus]
SOURCES = [kind.value for kind in lot.SOURCE_KINDS]
LEVELS = list(lot.LEVELS)
EXPERIMENT_FIELDS = {
    "approach": "",
    "owner": "",
    "hypothesis": "",
    "success_criterion": "",
    "start_date": day,
    "research_days": 5,
    "prototype_days": 5,
}
SEEN = ("idea", "why_deferred", "status")  # the picked idea as the user saw it

st.title("Parking lot")
st.caption(
    f"**{markdown_text(project.name)}** · "
    f'{Phase(project.phase).label}. The time box "forces teams to '
    'postpone evaluation of things that are interesting but not essential" (Wilson ch. 3.2): '
    "write them down here with where they came from and when to look again. An idea is due "
    "for review on its revisit date or when the project reaches its revisit phase."
)

# --- The table's form first: the other forms start it afresh after their saves -------------------

table_form = Form(f"parking_table_{pid}", labels=TABLE_LABELS)
table = TableEditor(table_form, TABLE, [table_row(row) for row in rows], COLUMNS)


def refresh_table() -> None:
    """After this user's own add or promotion: show the table afresh, unless it holds edits."""
    if not table.changed():
        table_form.reset()


def save_table(form: Form) -> int:
    changes = table.changes()
    if not changes:
        form.refuse({FORM_ERROR: "Nothing to save: change a cell first."})
    numbers = {row["id"]: number for number, row in enumerate(table.snapshot, start=1)}
    return lot.update_items(
        engine(),
        project_id=pid,
        edits=[{**row, "row": numbers[row["id"]]} for row in changes.updated],
        actor=actor(),
    )


# --- Due for review ---------------------------------------------------------------------------

due_list(rows)

# --- Promote to experiment --------------------------------------------------------------------

parked = [row.item.id for row in rows if row.item.status is lot.ParkingLotStatus.PARKED]


def promote_form_for(item_id: int) -> Form:
    """The promotion form, for one idea at a time: that idea's version and the values the user
    saw are pinned at first render; picking another idea starts the form afresh."""
    item = by_id[item_id]

    def build() -> Form:
        return Form(
            f"promote_{pid}",
            version=item.version,
            initial={
                **EXPERIMENT_FIELDS,
                "item_id": item_id,
                **{field: str(getattr(item, field)) for field in SEEN},
            },
            labels=labels({"item": "Parked idea", "success_criterion": "Success criterion"}),
        )

    form = build()
    if form.initial.get("item_id") != item_id:
        form.reset()
        form = build()
    return form


picker = Form(f"promote_pick_{pid}", initial={"item": parked[0] if parked else None})
picked = picker.value("item")
gone = picked not in by_id or (picked not in parked and not pending(promote_form_for(picked)))
if gone and (picked is not None or parked):
    # the picked idea was promoted or dropped meanwhile and nothing of this user's waits on it,
    # or the first idea was parked since this form was first shown
    picker.reset()
    picker = Form(f"promote_pick_{pid}", initial={"item": parked[0] if parked else None})
    picked = picker.value("item")

if picked in by_id:
    options = parked if picked in parked else [picked, *parked]
    promoting = promote_form_for(picked)

    def promote(form: Form):
        experiment = lot.promote_to_experiment(
            engine(),
            project_id=pid,
            item_id=picked,
            expected_version=form.version,
            data=form.values(EXPERIMENT_FIELDS),
            actor=actor(),
            seen=form.values(SEEN),
        )
        picker.reset()
        refresh_table()
        return experiment

    def question(form: Form) -> str:
        return (
            f"Promote the parked idea “{form.initial.get('idea', '')[:200]}” to an experiment? "
            "It becomes revived (no longer parked) and the experiment links back to it."
        )

    with st.expander(
        "Promote an idea to an experiment",
        expanded=any(row.due for row in rows) or pending(promoting),
    ):
        st.selectbox(
            "Parked idea",
            options=options,
            format_func=lambda item_id: (
                by_id[item_id].idea[:120]
                + ("" if item_id in parked else f" (now {by_id[item_id].status})")
            ),
            key=picker.key("item"),
        )
        promote_form(promoting, baseline=project.baseline, promote=promote, question=question)

# --- The table --------------------------------------------------------------------------------

st.subheader("All ideas")
if not table.snapshot and not rows:
    st.info("Nothing parked yet. Add the first idea below.")
else:
    ideas_table(
        table_form, table, statuses=STATUSES, sources=SOURCES, levels=LEVELS, save=save_table
    )

# --- Add --------------------------------------------------------------------------------------

ADD_FIELDS = ["idea", "raised_by", "source_kind", "why_deferred", "value", "effort"]
adder = Form(
    f"park_{pid}",
    initial={
        "idea": "",
        "raised_by": "",
        "source_kind": SOURCES[0],
        "why_deferred": "",
        "value": "medium",
        "effort": "medium",
    },
    labels={**TABLE_LABELS, "idea": "Idea", "source_kind": "Where it came from"},
)


def park(form: Form):
    item = lot.add_item(
        engine(),
        project_id=pid,
        data=form.values([*ADD_FIELDS, "revisit_on", "revisit_phase"]),
        actor=actor(),
    )
    refresh_table()
    return item


with st.expander("Park a new idea", expanded=not rows or pending(adder)):
    park_form(adder, sources=SOURCES, levels=LEVELS, park=park)
