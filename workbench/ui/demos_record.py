"""The Record a demo and Demos held tabs of the Demo plan page: record a demo held with its
feedback and actions, read the demos held, and add an action from one of them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

from workbench.domain.demo_schedule import DemoType, ScheduleItem
from workbench.services import demos as demo_service
from workbench.services.demos import ActionOutcome, DemoPlanView
from workbench.ui.common import actor, engine, today
from workbench.ui.demos_schedule import weekday
from workbench.ui.forms import Form, TableEditor
from workbench.ui.text import markdown_block, markdown_text

RECORD_LABELS = {
    "planned": "Which planned demo was held?",
    "title": "Demo title *",
    "held_on": "Held on *",
    "demo_type": "Demo type",
    "feature": "Feature shown",
    "format": "Format",
    "audience": "Audience",
    "shown": "What was shown",
    "decisions": "Decisions",
}
FILLED = ("title", "held_on", "demo_type", "feature", "audience", "shown")
ACTIONS = ["action", "becomes", "feature", "why_deferred"]


def _planned_values(
    planned: list[ScheduleItem], index: int | None, feature_names: list[str]
) -> dict[str, Any]:
    """The record form's values for planned demo `index` (None: a demo not in the plan)."""
    item = planned[index] if index is not None and index < len(planned) else None
    return {
        "title": item.title if item else "",
        "held_on": min(item.start, today()) if item else today(),
        "demo_type": (item.demo_type if item else DemoType.LIGHT).value,
        "feature": item.feature if item and item.feature in feature_names else "",
        "audience": ", ".join(item.audience) if item else "",
        "shown": item.shows if item else "",
    }


def _feedback_base(form: Form, choice: int | None, audience=()) -> list[dict[str, Any]]:
    """The feedback table's first rows for planned demo `choice`: one per attendee in the plan,
    pinned when first shown (so they stay put while the user types)."""
    return st.session_state.setdefault(
        form.key(f"feedback_rows_{choice}"),
        [{"attendee": name, "feedback": ""} for name in audience],
    )


def _feedback_rows(form: Form, choice: int | None) -> list[dict[str, Any]]:
    """The feedback table's rows as the user sees them now (the first rows with their edits)."""
    base = _feedback_base(form, choice)
    edits: Mapping[str, Any] = st.session_state.get(form.key(f"feedback_{choice}")) or {}
    deleted = {int(i) for i in edits.get("deleted_rows", [])}
    edited = {int(i): change for i, change in edits.get("edited_rows", {}).items()}
    rows = [{**row, **edited.get(i, {})} for i, row in enumerate(base) if i not in deleted]
    return rows + [dict(row) for row in edits.get("added_rows", [])]


def _row_errors(form: Form, table: str) -> None:
    prefix = f"{table}["
    for key, message in form.errors.items():
        if key.startswith(prefix):
            row, _, column = key[len(prefix) :].partition("].")
            st.error(f"Row {row}, {column.replace('_', ' ')}: {message}", icon=":material/error:")


def record_form(view: DemoPlanView) -> None:
    """Record a demo held; a planned demo fills in its title, date, type, feature and audience.
    The form is empty again after a save, and the same demo is never stored twice."""
    pid = view.project_id
    planned = list(view.schedule.demos) if view.schedule is not None else []
    feature_names = [f.name for f in view.features]
    recorded = {d.title for d in view.demos}
    held = [
        i for i, item in enumerate(planned) if item.start <= today() and item.title not in recorded
    ]
    default = held[-1] if held else None
    form = Form(
        f"demo_record_{pid}",
        initial={
            "planned": default,
            **_planned_values(planned, default, feature_names),
            "format": "",
            "decisions": "",
        },
        labels=RECORD_LABELS,
    )
    actions = TableEditor(form, "actions", [], ACTIONS)

    def fill(form: Form) -> None:
        """A newly chosen planned demo fills in its title, date, type, feature and audience."""
        values = _planned_values(planned, form.value("planned"), feature_names)
        for field in FILLED:
            st.session_state[form.key(field)] = values[field]

    def record(form: Form):
        return demo_service.record_demo(
            engine(),
            project_id=pid,
            data=form.values([*FILLED, "format", "decisions"]),
            feedback=_feedback_rows(form, form.value("planned")),
            actions=actions.rows_now(),
            actor=actor(),
            today=today(),
        )

    if planned:
        st.selectbox(
            RECORD_LABELS["planned"],
            options=list(range(len(planned))),
            format_func=lambda i: f"{planned[i].start:%a %d %b} · {planned[i].title}",
            placeholder="Another demo (not in the plan)",
            key=form.key("planned"),
            on_change=fill,
            args=(form,),
        )
    choice = form.value("planned")
    with form.render():
        first = st.columns([3, 1, 1])
        with first[0]:
            st.text_input(RECORD_LABELS["title"], key=form.key("title"))
            form.error("title")
        with first[1]:
            st.date_input(RECORD_LABELS["held_on"], key=form.key("held_on"), max_value=today())
            form.error("held_on")
        with first[2]:
            st.selectbox(
                RECORD_LABELS["demo_type"],
                options=[t.value for t in DemoType],
                format_func=lambda t: "light (a few slides)" if t == "light" else "big",
                key=form.key("demo_type"),
            )
            form.error("demo_type")
        second = st.columns([2, 2, 3])
        with second[0]:
            st.selectbox(
                RECORD_LABELS["feature"],
                options=["", *feature_names],
                format_func=lambda name: name or "(no single feature)",
                key=form.key("feature"),
            )
            form.error("feature")
        with second[1]:
            st.text_input(
                RECORD_LABELS["format"], key=form.key("format"), placeholder="slides, live…"
            )
            form.error("format")
        with second[2]:
            st.text_input(RECORD_LABELS["audience"], key=form.key("audience"), help="Who attended.")
            form.error("audience")
        st.text_area(RECORD_LABELS["shown"], key=form.key("shown"), height=68)
        form.error("shown")
        st.markdown("**Feedback per attendee**")
        st.caption("One row per attendee; rows left without feedback are not stored.")
        audience = planned[choice].audience if choice is not None and choice < len(planned) else ()
        st.data_editor(
            pd.DataFrame(
                _feedback_base(form, choice, audience),
                columns=["attendee", "feedback"],
                dtype=object,
            ),
            key=form.key(f"feedback_{choice}"),
            num_rows="dynamic",
            hide_index=True,
            width="stretch",
            column_config={
                "attendee": st.column_config.TextColumn("Attendee", width="small"),
                "feedback": st.column_config.TextColumn("Feedback", width="large"),
            },
        )
        _row_errors(form, "feedback")
        st.text_area(RECORD_LABELS["decisions"], key=form.key("decisions"), height=68)
        form.error("decisions")
        st.markdown("**Actions**")
        st.caption(
            "Each action becomes a task on a feature, or a parking-lot item linked to this "
            "demo — interesting, but not for now."
        )
        actions.editor(
            num_rows="dynamic",
            hide_index=True,
            width="stretch",
            column_config={
                "action": st.column_config.TextColumn("Action", width="large"),
                "becomes": st.column_config.SelectboxColumn(
                    "Becomes",
                    options=[o.value for o in ActionOutcome],
                    default=ActionOutcome.FEATURE_TASK.value,
                    required=True,
                ),
                "feature": st.column_config.SelectboxColumn("Feature", options=feature_names),
                "why_deferred": st.column_config.TextColumn("Why deferred (parking lot)"),
            },
        )
        actions.row_errors()
        form.submit_button(
            "Record demo",
            record,
            success=lambda demo: (
                f"Demo '{markdown_text(demo.title)}' recorded: {len(demo.feedback)} feedback, "
                f"{len(demo.tasks)} task(s), {len(demo.parked)} parking-lot item(s)."
            ),
            type="primary",
        )


def demos_held(view: DemoPlanView) -> None:
    """Each demo held: what was shown, feedback, and the tasks and parked ideas it gave."""
    if not view.demos:
        st.info("No demo recorded yet.")
    for demo in view.demos:
        kind = "big" if demo.demo_type is DemoType.BIG else "light"
        with st.expander(f"{weekday(demo.held_on)} · {markdown_text(demo.title)} ({kind} demo)"):
            facts = [
                ("Feature", demo.feature_name),
                ("Format", demo.format),
                ("Audience", demo.audience),
                ("Shown", demo.shown),
                ("Decisions", demo.decisions),
            ]
            st.markdown(
                "  \n".join(
                    f"**{label}:** {markdown_block(value)}" for label, value in facts if value
                )
            )
            st.caption(
                f"Recorded by {markdown_text(demo.recorded_by)} "
                f"on {demo.recorded_at:%Y-%m-%d %H:%M} UTC"
            )
            if demo.feedback:
                st.dataframe(
                    pd.DataFrame(
                        [{"Attendee": f.attendee, "Feedback": f.feedback} for f in demo.feedback]
                    ),
                    hide_index=True,
                    width="stretch",
                )
            for task in demo.tasks:
                st.markdown(
                    f":material/task_alt: Task on **{markdown_text(task.feature_name)}**: "
                    f"{markdown_text(task.text)}" + (" (done)" if task.done else "")
                )
            for item in demo.parked:
                st.markdown(f":material/local_parking: Parked: {markdown_text(item.idea)}")


ACTION_LABELS = {
    "demo": "Demo",
    "action": "Action *",
    "becomes": "Becomes",
    "feature": "Feature",
    "why_deferred": "Why deferred (parking lot)",
}


def action_form(view: DemoPlanView) -> None:
    """Turn one more action from a demo held into a task or a parked idea."""
    if not view.demos:
        return
    pid = view.project_id
    titles = {d.id: f"{d.held_on:%d %b} · {d.title}" for d in view.demos}
    feature_names = [f.name for f in view.features]
    form = Form(
        f"demo_action_{pid}",
        initial={
            "demo": view.demos[0].id,
            "action": "",
            "becomes": ActionOutcome.FEATURE_TASK.value,
            "feature": "",
            "why_deferred": "",
        },
        labels=ACTION_LABELS,
    )

    def add(form: Form):
        return demo_service.add_demo_action(
            engine(),
            project_id=pid,
            demo_id=form.value("demo"),
            data=form.values(["action", "becomes", "feature", "why_deferred"]),
            actor=actor(),
        )

    st.subheader("Add an action from a demo")
    with form.render():
        st.selectbox(
            ACTION_LABELS["demo"],
            options=list(titles),
            format_func=lambda did: titles.get(did, f"demo #{did}"),
            key=form.key("demo"),
        )
        st.text_input(ACTION_LABELS["action"], key=form.key("action"))
        form.error("action")
        columns = st.columns(2)
        with columns[0]:
            st.radio(
                ACTION_LABELS["becomes"],
                options=[o.value for o in ActionOutcome],
                horizontal=True,
                key=form.key("becomes"),
            )
            form.error("becomes")
        with columns[1]:
            st.selectbox(
                ACTION_LABELS["feature"],
                options=["", *feature_names],
                format_func=lambda name: name or "(the demo's feature)",
                key=form.key("feature"),
            )
            form.error("feature")
        st.text_input(ACTION_LABELS["why_deferred"], key=form.key("why_deferred"))
        form.error("why_deferred")
        form.submit_button(
            "Add action",
            add,
            success=lambda result: (
                "Task added to the feature." if result.task else "Idea parked in the parking lot."
            ),
        )
