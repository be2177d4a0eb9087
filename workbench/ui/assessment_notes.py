"""The Should we use ML? page's open questions: the list, the form recording an open question
or an assumption, and the table marking recorded notes resolved (only the boxes this user
ticked or unticked are sent)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from workbench.domain.assessment import Question
from workbench.models import NoteKind
from workbench.services import assessment as assessment_service
from workbench.services import registers
from workbench.ui.assessment_forms import reset_if_untouched
from workbench.ui.common import actor, engine
from workbench.ui.forms import FORM_ERROR, Form, TableEditor

KINDS = [NoteKind.OPEN_QUESTION.value, NoteKind.ASSUMPTION.value]


def open_questions_tab(pid: int, questions: Sequence[Question]) -> None:
    items = assessment_service.open_questions(engine(), project_id=pid, questions=questions)
    notes = registers.list_notes(engine(), pid)
    st.caption(
        "Unanswered assessment questions (critical first) and the open questions recorded on the"
        " project. Answer them in the questionnaire, or record new ones below."
    )
    if items:
        st.dataframe(
            pd.DataFrame(
                [{"Open question": i.text, "Critical": i.critical, "From": i.source} for i in items]
            ),
            hide_index=True,
            width="stretch",
        )
    else:
        st.success("No open questions.")

    resolver = Form(f"assessment_{pid}_notes")
    table = TableEditor(
        resolver,
        "notes",
        [{"id": n.id, "kind": n.kind.value, "text": n.text, "resolved": n.resolved} for n in notes],
        ["kind", "text", "resolved"],
    )
    adder = Form(
        f"assessment_{pid}_note",
        initial={"kind": NoteKind.OPEN_QUESTION.value, "text": ""},
        labels={"kind": "Kind", "text": "Open question or assumption"},
    )

    def record(form: Form):
        note = registers.create_note(
            engine(),
            project_id=pid,
            data={
                **form.values(),
                "source_kind": "assessment",
                "source_label": "Should we use ML? page",
            },
            actor=actor(),
        )
        reset_if_untouched(resolver, table)
        return note

    st.subheader("Record an open question or an assumption")
    with adder.render():
        st.radio("Kind", KINDS, key=adder.key("kind"), format_func=str.capitalize, horizontal=True)
        st.text_input("Open question or assumption", key=adder.key("text"))
        adder.error("text")
        adder.error("kind")
        adder.submit_button(
            "Record", record, success=lambda note: f"Recorded the {note.kind.value}."
        )

    if not table.snapshot and not notes:
        return

    def resolve(form: Form):
        changed = [row for row in table.changes().updated if "resolved" in row]
        if not changed:
            form.refuse({FORM_ERROR: "Nothing to save: tick or untick a note first."})
        return registers.set_notes_resolved(
            engine(),
            project_id=pid,
            resolve=[row["id"] for row in changed if row["resolved"]],
            reopen=[row["id"] for row in changed if not row["resolved"]],
            actor=actor(),
        )

    st.subheader("Recorded open questions and assumptions")
    resolver.messages()
    table.editor(
        hide_index=True,
        width="stretch",
        disabled=["kind", "text"],
        column_config={
            "kind": st.column_config.TextColumn("Kind"),
            "text": st.column_config.TextColumn("Open question or assumption", width="large"),
            "resolved": st.column_config.CheckboxColumn(
                "Resolved", help="An open question answered, an assumption checked."
            ),
        },
    )
    resolver.button(
        "Save resolved notes",
        resolve,
        success=lambda changed: f"Saved {changed} note(s).",
    )
