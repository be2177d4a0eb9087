"""The Should we use ML? page's questionnaire: one rater's answers at a time, as one `Form`.

The rater's version is pinned when their form is first shown (0: they had no answers yet), and
a save sends only the answers this user changed, so a stale save is refused and a save after
"Keep my edits" never writes back answers the user did not touch.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import streamlit as st

from workbench.domain.assessment import AGREEMENT_LABELS, Group, Question, Scale
from workbench.domain.people import StakeholderRole
from workbench.services import assessment as assessment_service
from workbench.services.assessment import AssessmentOverview
from workbench.services.projects import ProjectDetail
from workbench.ui.common import actor, engine
from workbench.ui.forms import Form
from workbench.ui.text import markdown_text

GROUPS = {
    Group.REASONS_FOR: ("Reasons to use ML", "Agreeing makes the case for machine learning."),
    Group.REASONS_AGAINST: ("Reasons not to use ML", "Agreeing makes the case against it."),
    Group.IMPACT: ("Impact", "How much a working model would be worth."),
    Group.COST: ("Cost", "What makes the model expensive to build and run."),
    Group.READINESS: (
        "Readiness — why ML projects fail",
        "Gaps here become conditions and can prefill the risk register.",
    ),
    Group.FRAMING: (
        "Framing the problem",
        "Free-text answers are kept for the discussion and the report; they are not scored.",
    ),
}
UNKNOWN_CHOICE = "unknown"
CHOICES = {
    Scale.AGREEMENT: [UNKNOWN_CHOICE, *AGREEMENT_LABELS],
    Scale.YES_NO: [UNKNOWN_CHOICE, True, False],
}


def choice_label(value) -> str:
    """A radio option in words."""
    if value == UNKNOWN_CHOICE:
        return "Unknown"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return AGREEMENT_LABELS[value].capitalize()


def stored_choice(question: Question, answer: Any):
    """A stored answer as the widget's value; one that no longer fits the scale is unknown."""
    if question.scale is Scale.TEXT:
        return answer if isinstance(answer, str) else ""
    if question.scale is Scale.YES_NO:
        return answer if isinstance(answer, bool) else UNKNOWN_CHOICE
    fits = isinstance(answer, int) and not isinstance(answer, bool) and answer in AGREEMENT_LABELS
    return answer if fits else UNKNOWN_CHOICE


def pick_rater(pid: int, overview: AssessmentOverview) -> str:
    """The rater's name field and the raters so far; returns whose answers to show."""
    rater_key = f"assessment_{pid}_rater"
    if not st.session_state.get(rater_key):
        st.session_state[rater_key] = actor()
    raters = [r.rater for r in overview.ratings]
    top = st.columns([2, 3])
    top[0].text_input(
        "Rater's name",
        key=rater_key,
        max_chars=200,
        help="Whose answers these are: you, or a stakeholder you are interviewing.",
    )
    if raters:

        def picked() -> None:
            """Load the rater picked among those who already answered."""
            name = st.session_state.get(f"assessment_{pid}_pick")
            if name:
                st.session_state[rater_key] = name

        top[1].pills(
            "Raters so far (pick one to see or change their answers)",
            raters,
            format_func=markdown_text,
            key=f"assessment_{pid}_pick",
            on_change=picked,
        )
    return st.session_state[rater_key].strip()


def answers_form(
    pid: int, detail: ProjectDetail, overview: AssessmentOverview, questions: Sequence[Question]
) -> None:
    """The questionnaire of the rater named above it."""
    rater = pick_rater(pid, overview)
    if not rater:
        st.info("Type the rater's name to answer (or enter your name in the sidebar).")
        return
    stored = next((r for r in overview.ratings if r.rater.lower() == rater.lower()), None)
    known_role = next(
        (s.role for s in detail.stakeholders if s.name.strip().lower() == rater.lower()),
        StakeholderRole.OTHER,
    )
    saved = stored.answers if stored else {}
    form = Form(
        f"assessment_{pid}_{rater.lower()}",
        version=stored.version if stored else 0,
        initial={
            "role": stored.role if stored else StakeholderRole(known_role).value,
            **{q.id: stored_choice(q, saved.get(q.id)) for q in questions},
        },
        labels={
            "role": "Role",
            "rater": "Rater's name",
            **{q.id: q.text for q in questions},
            **{q.text: q.text for q in questions},
        },
    )

    def save(form: Form):
        changed = form.changes([q.id for q in questions])
        return assessment_service.save_answers(
            engine(),
            project_id=pid,
            rater=rater,
            role=form.value("role"),
            answers={k: None if v == UNKNOWN_CHOICE else v for k, v in changed.items()},
            expected_version=form.version or None,
            questions=questions,
            actor=actor(),
            merge=True,
        )

    st.text(
        f"Answering as {rater}"
        + (f" · last saved {stored.updated_at:%Y-%m-%d %H:%M} UTC" if stored else " · new rater")
    )
    st.caption("Any answer may be *Unknown*: unknowns become open questions.")
    with form.render():
        st.selectbox("Role", [role.value for role in StakeholderRole], key=form.key("role"))
        form.error("role")
        form.error("rater")
        for group, (title, intro) in GROUPS.items():
            st.subheader(title)
            st.caption(intro)
            for question in (q for q in questions if q.group is group):
                critical = " · :red[critical]" if question.critical else ""
                with st.container(border=True):
                    if question.scale is Scale.TEXT:
                        st.text_area(question.text, key=form.key(question.id), height=80)
                    else:
                        st.radio(
                            question.text,
                            CHOICES[question.scale],
                            key=form.key(question.id),
                            format_func=choice_label,
                            horizontal=True,
                        )
                    st.caption(f"{question.help} — *Source: {question.source}*{critical}")
                    form.error(question.id)
        form.submit_button("Save my answers", save, success="Answers saved.", type="primary")
