"""The Should we use ML? page's weights table and "Save assessment" form.

The weights the user starts from are pinned when the table is first shown (each row's
"version" is the weight they saw); the verdict uses the latest saved weights plus this user's
changes, and a save sends only the changed weights with the ones they started from, so a weight
someone else saved meanwhile is refused, never overwritten.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd
import streamlit as st

from workbench.domain.assessment import Question
from workbench.services import assessment as assessment_service
from workbench.ui.assessment_answers import GROUPS
from workbench.ui.common import actor, engine
from workbench.ui.forms import Form, TableEditor

COLUMNS = ["question", "group", "bank_weight", "weight"]


class Weights:
    """The save form, its weights table, and the weights the verdict uses now."""

    def __init__(self, pid: int, questions: Sequence[Question], saved: Mapping[str, float]):
        self.pid = pid
        self.questions = questions
        self.by_id = {q.id: q for q in questions}
        self.base = {q.id: q.weight for q in questions} | {
            k: v for k, v in saved.items() if k in self.by_id
        }
        scored = [q for q in questions if q.scored]
        self.form = Form(
            f"assessment_{pid}_save",
            initial={"note": ""},
            labels={
                "note": "Note for the history",
                "assessment": "Assessment",
                "weights": "Weights",
                **{q.id: f"Weight of “{q.text}”" for q in questions},
            },
        )
        self.table = TableEditor(
            self.form,
            "weights",
            [
                {
                    "id": q.id,
                    "version": self.base[q.id],
                    "question": q.text,
                    "group": GROUPS[q.group][0],
                    "bank_weight": q.weight,
                    "weight": self.base[q.id],
                }
                for q in scored
            ],
            COLUMNS,
        )

    def changed(self) -> list[dict]:
        """The weight rows this user changed (each with the weight they started from)."""
        return [row for row in self.table.changes().updated if "weight" in row]

    def mine(self) -> dict[str, float]:
        """This user's weights (an emptied weight: the bank's)."""
        return {
            row["id"]: self.by_id[row["id"]].weight if pd.isna(row["weight"]) else row["weight"]
            for row in self.changed()
        }

    def now(self) -> dict[str, float]:
        """The weights the verdict uses: the latest saved ones with this user's changes."""
        return self.base | self.mine()

    def edited(self) -> list[str]:
        """The questions whose weight differs from the latest saved one."""
        return [qid for qid, weight in self.now().items() if weight != self.base[qid]]

    def save(self, form: Form):
        return assessment_service.save_snapshot(
            engine(),
            project_id=self.pid,
            questions=self.questions,
            weights=self.mine(),
            seen_weights={row["id"]: row["version"] for row in self.changed()},
            actor=actor(),
            note=form.value("note") or "",
        )

    def save_form(self) -> None:
        """The note and the "Save assessment" button (under the verdict)."""
        with self.form.render(border=False):
            columns = st.columns([4, 1], vertical_alignment="bottom")
            columns[0].text_input(
                "Note for the history (optional)",
                key=self.form.key("note"),
                placeholder="e.g. after the planning meeting with the sponsor",
            )
            with columns[1]:
                self.form.submit_button(
                    "Save assessment",
                    self.save,
                    success="Assessment saved to the history.",
                    type="primary",
                    icon=":material/save:",
                    width="stretch",
                )
            for field in ("assessment", "weights", "note"):
                self.form.error(field)

    def editor(self) -> None:
        """The weights table (outside the form: the verdict follows each edit at once)."""
        st.subheader("Weights")
        st.caption(
            "How much each answer counts in its score. Edit a weight and the verdict above moves"
            " at once; nothing is stored until you press **Save assessment**."
        )
        self.table.editor(
            hide_index=True,
            width="stretch",
            height=420,
            disabled=["question", "group", "bank_weight"],
            column_config={
                "question": st.column_config.TextColumn("Question", width="large"),
                "group": st.column_config.TextColumn("Group"),
                "bank_weight": st.column_config.NumberColumn("Bank weight", format="%.2f"),
                "weight": st.column_config.NumberColumn(
                    "Weight", min_value=0.0, step=0.25, format="%.2f"
                ),
            },
        )
        if any(pd.isna(row["weight"]) for row in self.changed()):
            st.warning("A weight is empty: the bank's weight is used for it.")
        self.table.row_errors()
        st.button(
            "Discard weight edits",
            key=f"assessment_{self.pid}_weights_reset",
            on_click=self.form.reset,
        )
