"""SME interviews page, the answers: side by side, coverage of critical questions, and the form
that turns one answer into charter text, a risk, an assumption, an open question or a parked
idea — once (the form pins what was already made from the answer, or the charter's version)."""

from __future__ import annotations

from textwrap import shorten

import pandas as pd
import streamlit as st

from workbench.models.interviews import ConversionTarget, InterviewAnswerPublic
from workbench.services import interviews as interview_service
from workbench.services.interviews import CHARTER_FIELDS
from workbench.ui.common import actor, engine, today
from workbench.ui.forms import Form
from workbench.ui.text import markdown_text

TARGET_LABELS = {
    ConversionTarget.CHARTER: "Charter text",
    ConversionTarget.RISK: "Risk",
    ConversionTarget.ASSUMPTION: "Assumption",
    ConversionTarget.OPEN_QUESTION: "Open question",
    ConversionTarget.PARKING_LOT: "Parking-lot item",
}
CONVERT_LABELS = {
    "text": "Text",
    "title": "Risk title",
    "charter_field": "Charter field",
    "made": "Already made from this answer",
    **CHARTER_FIELDS,
}


def answers_and_coverage(pid: int, include_drafts: bool) -> None:
    grid = interview_service.answers_side_by_side(engine(), pid, include_drafts=include_drafts)
    if grid:
        st.dataframe(pd.DataFrame(grid), hide_index=True, width="stretch")
    else:
        st.caption("No answers yet.")
    coverage = interview_service.coverage(engine(), pid, include_drafts=include_drafts)
    if not coverage:
        return
    missing = [row for row in coverage if not row.covered]
    if missing:
        st.warning(
            "Critical questions no expert has answered yet: "
            + "; ".join(f"*{markdown_text(row.text)}*" for row in missing),
            icon=":material/help:",
        )
    else:
        st.success("Every critical question has at least one answer.", icon=":material/done_all:")
    with st.expander("Coverage of critical questions"):
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "Critical question": row.text,
                        "Asked in": row.asked_in,
                        "Answered by": ", ".join(row.answered_by) or "nobody yet",
                    }
                    for row in coverage
                ]
            ),
            hide_index=True,
            width="stretch",
        )


def choose_answer(pid: int, answers: list[InterviewAnswerPublic]) -> InterviewAnswerPublic:
    """The answer picker, the answer as the expert wrote it, and what was made of it."""
    by_answer = {a.id: a for a in answers}
    answer_id = st.selectbox(
        "Answer",
        options=list(by_answer),
        format_func=lambda aid: (
            f"{by_answer[aid].expert} · "
            + shorten(by_answer[aid].question_text, 70, placeholder="…")
            + (f" · {len(by_answer[aid].derived)} made" if by_answer[aid].derived else "")
        ),
        key=f"interviews_{pid}_answer",
    )
    answer = by_answer[answer_id]
    with st.container(border=True):
        st.text(f"{answer.expert} — {answer.question_text}")
        st.text(answer.answer)
    if answer.derived:
        st.caption("Already made from this answer:")
        for record in answer.derived:
            st.text(f"{TARGET_LABELS[record.kind]} #{record.record_id}: {record.text[:80]}")
    else:
        st.caption("Nothing made from this answer yet.")
    return answer


def convert_form(pid: int, project_version: int, answer: InterviewAnswerPublic) -> None:
    """'Turn into …': one form per answer and kind, pinning the version it was first shown at."""
    target = st.radio(
        "Turn into",
        options=list(TARGET_LABELS),
        format_func=TARGET_LABELS.get,
        horizontal=True,
        key=f"interviews_{pid}_convert_{answer.id}_to",
    )
    kind = TARGET_LABELS[target].lower()
    made = answer.made(target)
    form = Form(
        f"convert_{pid}_{answer.id}_{target.name.lower()}",
        version=project_version if target == ConversionTarget.CHARTER else len(made),
        initial={
            "charter_field": "current_process",
            "title": answer.answer.splitlines()[0][:120],
            "text": answer.answer,
        },
        labels=CONVERT_LABELS,
    )

    def convert(form: Form) -> interview_service.DerivedRecord:
        return interview_service.convert_answer(
            engine(),
            answer.id,
            project_id=pid,
            to=target,
            expected_version=form.version,
            actor=actor(),
            today=today(),
            text=form.value("text"),
            title=form.value("title"),
            charter_field=form.value("charter_field"),
        )

    def again(_: Form) -> str:
        return (
            f"This answer was already turned into {kind} {len(made)} time(s). "
            f"Make another {kind} from it?"
        )

    with form.render():
        if target == ConversionTarget.CHARTER:
            st.selectbox(
                "Charter field",
                options=list(CHARTER_FIELDS),
                format_func=CHARTER_FIELDS.get,
                key=form.key("charter_field"),
                help="The text is added at the end of this field, with the expert's name.",
            )
            form.error("charter_field")
        if target == ConversionTarget.RISK:
            st.text_input("Risk title", key=form.key("title"), max_chars=200)
            form.error("title")
        st.text_area("Text", key=form.key("text"), height=100)
        form.error("text")
        form.submit_button(
            f"Turn into {kind}",
            convert,
            confirm=again if made else None,
            success=lambda record: (
                f"Made {TARGET_LABELS[record.kind].lower()} #{record.record_id} from the "
                "answer; it links back to the answer."
            ),
            type="primary",
        )
