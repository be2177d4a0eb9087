"""The Features tab of the Demo plan page: add a feature, the features table (changed rows only,
each at the version its user saw), move one, remove one, and the tasks on features."""

from __future__ import annotations

import streamlit as st

from workbench.services import demos as demo_service
from workbench.services.demos import FEATURE_STATUSES, DemoPlanView
from workbench.ui.common import actor, engine
from workbench.ui.demos_forms import TypedTableEditor, VersionsForm
from workbench.ui.forms import FORM_ERROR, Form
from workbench.ui.text import markdown_text

ADD_LABELS = {
    "name": "Feature name *",
    "estimate_days": "Estimate (working days) *",
    "owner": "Owner",
    "smes": "SMEs who should see it",
    "description": "What it does (its goal)",
    "milestone": "Milestone: a big demo after this feature",
}
COLUMNS = ["order", "name", "estimate_days", "owner", "status", "smes", "milestone", "description"]
TABLE_LABELS = {
    "order": "Order",
    "name": "Feature *",
    "estimate_days": "Working days *",
    "owner": "Owner",
    "status": "Status",
    "smes": "SMEs who should see it",
    "milestone": "Big demo after it",
    "description": "What it does (its goal)",
}


def add_form(view: DemoPlanView) -> None:
    """Add a feature at the end of the build order; the form is empty again after an add."""
    pid = view.project_id
    form = Form(
        f"demo_add_feature_{pid}",
        initial={
            "name": "",
            "estimate_days": 5,
            "owner": "",
            "smes": "",
            "description": "",
            "milestone": False,
        },
        labels=ADD_LABELS,
    )

    def add(form: Form):
        return demo_service.create_feature(
            engine(), project_id=pid, data=form.values(), actor=actor()
        )

    busy = not view.features or bool(form.errors)
    with st.expander("Add a feature", expanded=busy, icon=":material/add:"), form.render():
        top = st.columns([3, 1, 2])
        with top[0]:
            st.text_input(ADD_LABELS["name"], key=form.key("name"))
            form.error("name")
        with top[1]:
            st.number_input(
                ADD_LABELS["estimate_days"],
                min_value=1,
                max_value=250,
                step=1,
                key=form.key("estimate_days"),
            )
            form.error("estimate_days")
        with top[2]:
            st.text_input(ADD_LABELS["owner"], key=form.key("owner"))
            form.error("owner")
        st.text_input(
            ADD_LABELS["smes"],
            key=form.key("smes"),
            help="Names separated by commas; they are invited to its demo.",
        )
        form.error("smes")
        st.text_area(ADD_LABELS["description"], key=form.key("description"), height=68)
        form.error("description")
        st.checkbox(
            ADD_LABELS["milestone"],
            key=form.key("milestone"),
            help="Features coming together deserve a bigger demo to a wider audience.",
        )
        form.submit_button(
            "Add feature",
            add,
            success=lambda created: f"Feature '{markdown_text(created.name)}' added.",
            type="primary",
        )


def features_table(view: DemoPlanView) -> None:
    """The features as a table: a save sends the rows this user changed or added, each changed
    row with the version they saw; rows nobody sent keep their values and their place."""
    pid = view.project_id
    form = VersionsForm(
        f"demo_features_{pid}",
        versions={f.id: f.version for f in view.features},
        labels=TABLE_LABELS,
    )
    rows = [
        {
            "id": f.id,
            "version": f.version,
            "order": f.position + 1,
            "name": f.name,
            "estimate_days": f.estimate_days,
            "owner": f.owner,
            "status": f.status.value,
            "smes": f.smes,
            "milestone": f.milestone,
            "description": f.description,
        }
        for f in view.features
    ]
    table = TypedTableEditor(
        form,
        "features",
        rows,
        COLUMNS,
        dtypes={"order": "Int64", "estimate_days": "Int64", "milestone": "boolean"},
    )

    def save(form: VersionsForm):
        changes = table.changes()
        if not changes:
            form.refuse({FORM_ERROR: "Nothing to save: change a cell or add a row first."})
        number = {row.get("id"): index for index, row in enumerate(table.snapshot, 1)}
        return demo_service.save_features(
            engine(),
            project_id=pid,
            updated=[{**row, "row": number[row["id"]]} for row in changes.updated],
            added=[
                {**row, "row": len(table.snapshot) + index}
                for index, row in enumerate(changes.added, 1)
            ],
            actor=actor(),
        )

    table.notice()
    with form.render():
        st.caption(
            "Edit cells, change **Order** to re-order, add rows at the bottom. Nothing is saved "
            "until you press *Save features*; only the rows you changed are sent."
        )
        table.editor(
            num_rows="add",
            hide_index=True,
            width="stretch",
            column_config={
                "order": st.column_config.NumberColumn(
                    TABLE_LABELS["order"], min_value=1, step=1, width="small"
                ),
                "name": st.column_config.TextColumn(TABLE_LABELS["name"], required=True),
                "estimate_days": st.column_config.NumberColumn(
                    TABLE_LABELS["estimate_days"],
                    help="The build estimate in whole working days (1 to 250).",
                    min_value=1,
                    max_value=250,
                    step=1,
                    default=5,
                    required=True,
                ),
                "owner": st.column_config.TextColumn(TABLE_LABELS["owner"]),
                "status": st.column_config.SelectboxColumn(
                    TABLE_LABELS["status"],
                    options=list(FEATURE_STATUSES),
                    default="planned",
                    required=True,
                ),
                "smes": st.column_config.TextColumn(
                    TABLE_LABELS["smes"], help="Names separated by commas."
                ),
                "milestone": st.column_config.CheckboxColumn(
                    TABLE_LABELS["milestone"], default=False
                ),
                "description": st.column_config.TextColumn(TABLE_LABELS["description"]),
            },
        )
        table.row_errors()
        form.submit_button(
            "Save features",
            save,
            success=lambda saved: (
                f"Features saved: {saved.added} added, {saved.changed} changed"
                + (", new order." if saved.reordered else ".")
            ),
            type="primary",
        )


def _names(view: DemoPlanView) -> dict[int, str]:
    return {f.id: f.name for f in view.features}


def move_form(view: DemoPlanView) -> None:
    """Move one feature a place earlier or later, at the version of it the user saw."""
    pid = view.project_id
    names = _names(view)
    form = VersionsForm(
        f"demo_move_{pid}",
        versions={f.id: f.version for f in view.features},
        initial={"feature": view.features[0].id, "direction": "down"},
        labels={"feature": "Move in the build order", "direction": "Where", "order": "Order"},
    )

    def move(form: VersionsForm):
        feature_id = form.value("feature")
        return demo_service.move_feature(
            engine(),
            project_id=pid,
            feature_id=feature_id,
            expected_version=form.version_of(feature_id),
            direction=form.value("direction"),
            actor=actor(),
        )

    with form.render():
        left, right = st.columns([3, 2])
        left.selectbox(
            "Move in the build order",
            options=list(names),
            format_func=lambda fid: names.get(fid, f"feature #{fid}"),
            key=form.key("feature"),
        )
        right.radio(
            "Where",
            options=["up", "down"],
            format_func=lambda d: "One place earlier" if d == "up" else "One place later",
            horizontal=True,
            key=form.key("direction"),
        )
        form.error("order")
        form.submit_button("Move", move, success="Build order changed.", icon=":material/sort:")


def remove_form(view: DemoPlanView) -> None:
    """Remove a feature (it asks first), at the version of it the user saw."""
    pid = view.project_id
    names = _names(view)
    form = VersionsForm(
        f"demo_remove_{pid}",
        versions={f.id: f.version for f in view.features},
        initial={"feature": None},
        labels={"feature": "Feature to remove"},
    )

    def remove(form: VersionsForm):
        feature_id = form.value("feature")
        if feature_id is None:
            form.refuse({"feature": "Choose the feature to remove."})
        demo_service.delete_feature(
            engine(),
            project_id=pid,
            feature_id=feature_id,
            expected_version=form.version_of(feature_id),
            actor=actor(),
        )
        return names.get(feature_id, "The feature")

    def question(form: VersionsForm) -> str:
        name = names.get(form.value("feature"), "this feature")
        return (
            f"Remove {name} from the MVP? Its tasks are removed with it and later builds and "
            "demos move earlier; demos that showed it keep their record. This cannot be undone."
        )

    with form.render():
        st.selectbox(
            "Feature to remove",
            options=list(names),
            format_func=lambda fid: names.get(fid, f"feature #{fid}"),
            placeholder="Choose a feature",
            key=form.key("feature"),
        )
        form.error("feature")
        form.submit_button(
            "Remove feature",
            remove,
            confirm=question,
            success=lambda name: f"{markdown_text(name)} removed from the MVP.",
            icon=":material/delete:",
        )


def tasks_table(view: DemoPlanView) -> None:
    """Tasks on features: ticking sends only the boxes this user changed."""
    pid = view.project_id
    demo_titles = {d.id: f"{d.title} ({d.held_on:%d %b})" for d in view.demos}
    form = Form(f"demo_tasks_{pid}")
    table = TypedTableEditor(
        form,
        "tasks",
        [
            {
                "id": t.id,
                "done": t.done,
                "feature": t.feature_name,
                "task": t.text,
                "from_demo": demo_titles.get(t.source_demo_id, ""),
                "added_by": t.created_by,
            }
            for t in view.tasks
        ],
        ["done", "feature", "task", "from_demo", "added_by"],
    )

    def save(form: Form):
        changed = [
            {"id": row["id"], "done": bool(row["done"])}
            for row in table.changes().updated
            if "done" in row
        ]
        if not changed:
            form.refuse({FORM_ERROR: "Nothing to save: tick or untick a task first."})
        return demo_service.save_task_status(
            engine(), project_id=pid, changes=changed, actor=actor()
        )

    st.subheader("Tasks on features")
    table.notice()
    with form.render():
        table.editor(
            hide_index=True,
            width="stretch",
            disabled=["feature", "task", "from_demo", "added_by"],
            column_config={
                "done": st.column_config.CheckboxColumn("Done"),
                "feature": "Feature",
                "task": "Task",
                "from_demo": "From demo",
                "added_by": "Added by",
            },
        )
        form.submit_button(
            "Save task status", save, success=lambda count: f"{count} task(s) updated."
        )
