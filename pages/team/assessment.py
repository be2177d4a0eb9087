"""Should we use ML? — each stakeholder answers the questionnaire; the page shows the combined
verdict with its reasons, lets the team weigh the questions, saves assessments and their history."""

import pandas as pd
import streamlit as st

from workbench.charts.assessment import drivers_figure, history_figure
from workbench.domain.assessment import AGREEMENT_LABELS, Group, Scale, Verdict, answer_label
from workbench.domain.people import StakeholderRole
from workbench.errors import InvalidInput, StaleEditError
from workbench.services import assessment as assessment_service
from workbench.services import registers
from workbench.ui.common import (
    actor,
    data_changed,
    engine,
    field_error,
    require_project,
    show_stale,
)
from workbench.ui.forms import forget, form_errors, preload, set_form_errors
from workbench.ui.reference import question_bank

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
VERDICT_ALERTS = {
    Verdict.ML_FITS: (st.success, ":material/check_circle:"),
    Verdict.ML_FITS_WITH_CONDITIONS: (st.info, ":material/rule:"),
    Verdict.TRY_SIMPLER_FIRST: (st.warning, ":material/lightbulb:"),
    Verdict.NOT_A_FIT: (st.error, ":material/block:"),
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


def stored_choice(question, answer):
    """A stored answer as the widget's value; one that no longer fits the scale is unknown."""
    if question.scale is Scale.TEXT:
        return answer if isinstance(answer, str) else ""
    if question.scale is Scale.YES_NO:
        return answer if isinstance(answer, bool) else UNKNOWN_CHOICE
    fits = isinstance(answer, int) and not isinstance(answer, bool) and answer in AGREEMENT_LABELS
    return answer if fits else UNKNOWN_CHOICE


def score_text(value: float | None) -> str:
    """A 0–100 score for a metric, or a dash when it cannot be judged."""
    return "—" if value is None else f"{value:.0f}"


detail = require_project()
project = detail.project
pid = project.id
questions = question_bank()
by_id = {q.id: q for q in questions}
overview = assessment_service.assessment_overview(engine(), pid)

st.title("Should we use ML?")
st.caption(
    f"**{project.name}** — every stakeholder answers on their own; the verdict combines all "
    "raters and shows the answers that drove it. Questions from Burkov (ch. 1–2), Wilson "
    "(ch. 1), Géron, DSSG, Dorard's ML Canvas, Full Stack Deep Learning and Google PAIR."
)
banner = st.container()
answer_tab, reasons_tab, history_tab, open_tab = st.tabs(
    ["Answer the questions", "Reasons and weights", "History", "Open questions"]
)

# --- Answer the questions (one rater at a time) ---------------------------------------------

with answer_tab:
    RATER_KEY = f"assessment_{pid}_rater"
    if not st.session_state.get(RATER_KEY):
        st.session_state[RATER_KEY] = actor()
    raters = [r.rater for r in overview.ratings]
    top = st.columns([2, 3])
    top[0].text_input(
        "Rater's name",
        key=RATER_KEY,
        max_chars=200,
        help="Whose answers these are: you, or a stakeholder you are interviewing.",
    )
    if raters:

        def pick_rater() -> None:
            """Load the rater picked among those who already answered."""
            picked = st.session_state.get(f"assessment_{pid}_pick")
            if picked:
                st.session_state[RATER_KEY] = picked

        top[1].pills(
            "Raters so far (pick one to see or change their answers)",
            raters,
            key=f"assessment_{pid}_pick",
            on_change=pick_rater,
        )
    rater = st.session_state[RATER_KEY].strip()
    if not rater:
        st.info("Type the rater's name to answer (or enter your name in the sidebar).")
    else:
        stored = next((r for r in overview.ratings if r.rater.lower() == rater.lower()), None)
        FORM = f"assessment_{pid}_{rater.lower()}"
        VERSION_KEY, STALE_KEY, ROLE_KEY = f"{FORM}__version", f"{FORM}__stale", f"{FORM}_role"
        keys = {q.id: f"{FORM}_{q.id}" for q in questions}
        known_role = next(
            (s.role for s in detail.stakeholders if s.name.strip().lower() == rater.lower()),
            StakeholderRole.OTHER,
        )
        preload({ROLE_KEY: stored.role if stored else StakeholderRole(known_role).value})
        preload({VERSION_KEY: stored.version if stored else None})
        saved = stored.answers if stored else {}
        preload({keys[q.id]: stored_choice(q, saved.get(q.id)) for q in questions})
        errors = form_errors(FORM)

        def reload_answers() -> None:
            """Drop this rater's unsaved answers so the stored ones show again."""
            forget([*keys.values(), ROLE_KEY, VERSION_KEY, STALE_KEY])
            set_form_errors(FORM, None)

        stale = st.session_state.get(STALE_KEY)
        if stale is not None:
            show_stale(stale)
            left, right = st.columns(2)
            if left.button("Discard my answers and load the saved ones", key=f"{FORM}_reload"):
                reload_answers()
                st.rerun()
            if right.button("Keep my answers (I have reviewed the saved ones)", key=f"{FORM}_keep"):
                st.session_state[VERSION_KEY] = stale.current.version
                st.session_state.pop(STALE_KEY, None)
                st.rerun()
        st.caption(
            f"Answering as **{rater}**"
            + (
                f" · last saved {stored.updated_at:%Y-%m-%d %H:%M} UTC"
                if stored
                else " · new rater"
            )
            + " · any answer may be *Unknown*: unknowns become open questions."
        )
        with st.form(FORM):
            st.selectbox("Role", [role.value for role in StakeholderRole], key=ROLE_KEY)
            field_error(errors, "role")
            field_error(errors, "rater")
            for group, (title, intro) in GROUPS.items():
                st.subheader(title)
                st.caption(intro)
                for question in (q for q in questions if q.group is group):
                    critical = " · :red[critical]" if question.critical else ""
                    with st.container(border=True):
                        if question.scale is Scale.TEXT:
                            st.text_area(question.text, key=keys[question.id], height=80)
                        else:
                            st.radio(
                                question.text,
                                CHOICES[question.scale],
                                key=keys[question.id],
                                format_func=choice_label,
                                horizontal=True,
                            )
                        st.caption(f"{question.help} — *Source: {question.source}*{critical}")
                        field_error(errors, question.id)
            field_error(errors, "actor")
            save_answers = st.form_submit_button("Save my answers", type="primary")
        if save_answers:
            try:
                assessment_service.save_answers(
                    engine(),
                    project_id=pid,
                    rater=rater,
                    role=st.session_state[ROLE_KEY],
                    answers={
                        q.id: None
                        if st.session_state[keys[q.id]] == UNKNOWN_CHOICE
                        else st.session_state[keys[q.id]]
                        for q in questions
                    },
                    expected_version=st.session_state[VERSION_KEY],
                    questions=questions,
                    actor=actor(),
                )
            except InvalidInput as error:
                set_form_errors(FORM, error.errors)
            except StaleEditError as error:
                set_form_errors(FORM, None)
                st.session_state[STALE_KEY] = error
            else:
                reload_answers()
                data_changed()
                st.toast(f"Saved {rater}'s answers.")
            st.rerun()

# --- Reasons and weights: read the weights first, so the verdict above uses them -------------

with reasons_tab:
    reasons_area = st.container()
    WEIGHTS_KEY = f"assessment_{pid}_weights"
    base = {q.id: q.weight for q in questions} | {
        k: v for k, v in overview.saved_weights.items() if k in by_id
    }
    scored = [q for q in questions if q.scored]
    st.subheader("Weights")
    st.caption(
        "How much each answer counts in its score. Edit a weight and the verdict above moves at"
        " once; nothing is stored until you press **Save assessment**."
    )
    edited = st.data_editor(
        pd.DataFrame(
            {
                "Question": [q.text for q in scored],
                "Group": [GROUPS[q.group][0] for q in scored],
                "Bank weight": [q.weight for q in scored],
                "Weight": [base[q.id] for q in scored],
            },
            index=[q.id for q in scored],
        ),
        key=WEIGHTS_KEY,
        hide_index=True,
        width="stretch",
        height=420,
        disabled=["Question", "Group", "Bank weight"],
        column_config={
            "Question": st.column_config.TextColumn(width="large"),
            "Bank weight": st.column_config.NumberColumn(format="%.2f"),
            "Weight": st.column_config.NumberColumn(min_value=0.0, step=0.25, format="%.2f"),
        },
    )
    weights = {qid: w for qid, w in edited["Weight"].items() if pd.notna(w)}
    for qid in edited.index[edited["Weight"].isna()]:
        st.markdown(
            f":red[⚠ The weight of “{by_id[qid].text}” is empty: the bank's weight is used.]"
        )
    if st.button("Discard weight edits", key=f"{WEIGHTS_KEY}_reset"):
        forget([WEIGHTS_KEY])
        st.rerun()

try:
    result = assessment_service.combined_result(overview.ratings, questions, weights)
except InvalidInput as error:
    with reasons_tab:
        st.error(f"These weights cannot be used: {error.errors['weights']}")
    weights = base
    result = assessment_service.combined_result(overview.ratings, questions, weights)
weights_changed = [qid for qid, weight in weights.items() if weight != base[qid]]

# --- The verdict, prominently -----------------------------------------------------------------

with banner:
    alert, icon = VERDICT_ALERTS[result.verdict]
    because = result.explanation.removeprefix(f"{result.verdict.label}: ")
    alert(f"### {result.verdict.label}\n\n{because[:1].upper()}{because[1:]}", icon=icon)
    metrics = st.columns(5)
    metrics[0].metric(
        "Fit", score_text(result.fit_score), help="Reasons for minus reasons against ML, 0–100."
    )
    metrics[1].metric("Impact", score_text(result.impact_score))
    metrics[2].metric("Feasibility", score_text(result.feasibility_score))
    metrics[3].metric("Raters", len(overview.ratings))
    metrics[4].metric("Reasons answered", f"{result.answered_share:.0%}")
    for stop in result.hard_stops:
        st.error(
            f"**Hard stop: {stop.name}.** {stop.explanation[:1].upper()}{stop.explanation[1:]}",
            icon=":material/front_hand:",
        )
    if result.disagreements:
        st.warning(
            f"**Raters disagree strongly on {len(result.disagreements)} question"
            f"{'s' if len(result.disagreements) != 1 else ''}** — settle these before deciding.",
            icon=":material/forum:",
        )
        st.table(
            pd.DataFrame(
                [
                    {
                        "Question": by_id[d.question_id].text,
                        **{
                            f"{a.rater} ({a.role})": answer_label(by_id[d.question_id], a.answer)
                            for a in d.answers
                        },
                    }
                    for d in result.disagreements
                ]
            ).set_index("Question")
        )
    if weights_changed:
        st.caption(
            f":orange[{len(weights_changed)} weight(s) edited below — the verdict above uses them;"
            " they are kept when you save the assessment.]"
        )
    SAVE_FORM = f"assessment_{pid}_save"
    save_errors = form_errors(SAVE_FORM)
    with st.form(SAVE_FORM, border=False):
        columns = st.columns([4, 1], vertical_alignment="bottom")
        columns[0].text_input(
            "Note for the history (optional)",
            key=f"{SAVE_FORM}_note",
            placeholder="e.g. after the planning meeting with the sponsor",
        )
        save_assessment = columns[1].form_submit_button(
            "Save assessment", type="primary", icon=":material/save:", width="stretch"
        )
        for field in ("assessment", "weights", "note", "actor"):
            field_error(save_errors, field)
    if save_assessment:
        try:
            assessment_service.save_snapshot(
                engine(),
                project_id=pid,
                questions=questions,
                weights=weights,
                actor=actor(),
                note=st.session_state.get(f"{SAVE_FORM}_note", ""),
            )
        except InvalidInput as error:
            set_form_errors(SAVE_FORM, error.errors)
        else:
            set_form_errors(SAVE_FORM, None)
            forget([f"{SAVE_FORM}_note"])
            data_changed()
            st.toast("Assessment saved to the history.")
        st.rerun()

# --- Reasons: conditions and drivers ----------------------------------------------------------

with reasons_area:
    st.subheader("Conditions")
    if result.conditions:
        st.markdown("\n".join(f"- {condition.text}" for condition in result.conditions))
    else:
        st.caption("Nothing left to settle.")
    st.subheader(
        "What drove it",
        help="Each answer's contribution in score points: the score is 50 plus the contributions.",
    )
    for tab, name, drivers in zip(
        st.tabs(["Fit", "Impact", "Feasibility"]),
        ["fit", "impact", "feasibility"],
        [result.drivers, result.impact_drivers, result.feasibility_drivers],
        strict=True,
    ):
        with tab:
            if not drivers:
                st.caption(f"No answer moves the {name} score yet.")
                continue
            st.dataframe(
                pd.DataFrame(
                    [
                        {
                            "Rank": rank,
                            "Question": d.text,
                            "Answer": d.answer,
                            "Weight": d.weight,
                            "Points": round(d.contribution, 1),
                            "Direction": d.direction.value,
                        }
                        for rank, d in enumerate(drivers, start=1)
                    ]
                ),
                hide_index=True,
                width="stretch",
            )
            st.plotly_chart(drivers_figure(drivers), key=f"drivers_{name}")

# --- History -----------------------------------------------------------------------------------

with history_tab:
    if not overview.snapshots:
        st.info("No assessment saved yet: press **Save assessment** to start the history.")
    else:
        st.plotly_chart(history_figure(overview.snapshots), key="assessment_history")
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "Saved (UTC)": s.saved_at,
                        "By": s.saved_by,
                        "Verdict": s.verdict.label,
                        "Fit": s.fit_score,
                        "Impact": s.impact_score,
                        "Feasibility": s.feasibility_score,
                        "Raters": ", ".join(s.raters),
                        "Note": s.note,
                    }
                    for s in reversed(overview.snapshots)
                ]
            ),
            hide_index=True,
            width="stretch",
            column_config={
                "Saved (UTC)": st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm"),
                "Fit": st.column_config.NumberColumn(format="%.0f"),
                "Impact": st.column_config.NumberColumn(format="%.0f"),
                "Feasibility": st.column_config.NumberColumn(format="%.0f"),
            },
        )

# --- Open questions ---------------------------------------------------------------------------

with open_tab:
    items = assessment_service.open_questions(engine(), project_id=pid, questions=questions)
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
    NOTE_FORM = f"assessment_{pid}_open_question"
    note_errors = form_errors(NOTE_FORM)
    with st.form(NOTE_FORM):
        st.text_input("New open question", key=f"{NOTE_FORM}_text")
        field_error(note_errors, "text")
        field_error(note_errors, "actor")
        add_note = st.form_submit_button("Record open question")
    if add_note:
        try:
            registers.create_note(
                engine(),
                project_id=pid,
                data={
                    "kind": "open question",
                    "text": st.session_state.get(f"{NOTE_FORM}_text", ""),
                    "source_kind": "assessment",
                    "source_label": "Should we use ML? page",
                },
                actor=actor(),
            )
        except InvalidInput as error:
            set_form_errors(NOTE_FORM, error.errors)
        else:
            set_form_errors(NOTE_FORM, None)
            forget([f"{NOTE_FORM}_text"])
            data_changed()
        st.rerun()
