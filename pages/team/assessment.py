"""Should we use ML? — each stakeholder answers the questionnaire; the page shows the combined
verdict with its reasons, lets the team weigh the questions, saves assessments and their history."""

import pandas as pd
import streamlit as st

from workbench.charts.assessment import drivers_figure, history_figure
from workbench.domain.assessment import Verdict, answer_label
from workbench.errors import InvalidInput
from workbench.services import assessment as assessment_service
from workbench.ui.assessment_answers import answers_form
from workbench.ui.assessment_notes import open_questions_tab
from workbench.ui.assessment_weights import Weights
from workbench.ui.common import engine, require_project
from workbench.ui.reference import question_bank
from workbench.ui.text import markdown_text

VERDICT_ALERTS = {
    Verdict.ML_FITS: (st.success, ":material/check_circle:"),
    Verdict.ML_FITS_WITH_CONDITIONS: (st.info, ":material/rule:"),
    Verdict.TRY_SIMPLER_FIRST: (st.warning, ":material/lightbulb:"),
    Verdict.NOT_A_FIT: (st.error, ":material/block:"),
}


NO_ANSWERS_YET = (
    "### No verdict yet: nobody has answered\n\n"
    "What to do first: each stakeholder (sponsor, SME, data scientist, …) answers the questions "
    "on the **Answer the questions** tab below, on their own, and saves. The verdict, its "
    "scores and the reasons behind it appear here once the first answers are saved."
)


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
    f"**{markdown_text(project.name)}** — "
    "every stakeholder answers on their own; the verdict combines all "
    "raters and shows the answers that drove it. Questions from Burkov (ch. 1–2), Wilson "
    "(ch. 1), Géron, DSSG, Dorard's ML Canvas, Full Stack Deep Learning and Google PAIR."
)
banner = st.container()
answer_tab, reasons_tab, history_tab, open_tab = st.tabs(
    ["Answer the questions", "Reasons and weights", "History", "Open questions"],
    key=f"assessment_{pid}_tab",
)

with answer_tab:
    answers_form(pid, detail, overview, questions)

# --- The weights this user sees (the latest saved ones with their edits) ----------------------

weights = Weights(pid, questions, overview.saved_weights)
try:
    result = assessment_service.combined_result(overview.ratings, questions, weights.now())
except InvalidInput as error:
    with reasons_tab:
        st.error(f"These weights cannot be used: {error.errors['weights']}")
    result = assessment_service.combined_result(overview.ratings, questions, weights.base)
weights_changed = weights.edited()

# --- The verdict, prominently -----------------------------------------------------------------

with banner:
    if not overview.ratings:  # no verdict before anyone answered: say what to do first
        st.info(NO_ANSWERS_YET, icon=":material/edit_note:")
    else:
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
                f"{'s' if len(result.disagreements) != 1 else ''}** — settle these before "
                "deciding.",
                icon=":material/forum:",
            )
            st.table(  # renders Markdown: the raters' names (user text) are escaped
                pd.DataFrame(
                    [
                        {
                            "Question": by_id[d.question_id].text,
                            **{
                                f"{markdown_text(a.rater)} ({a.role})": answer_label(
                                    by_id[d.question_id], a.answer
                                )
                                for a in d.answers
                            },
                        }
                        for d in result.disagreements
                    ]
                ).set_index("Question")
            )
        if weights_changed:
            st.caption(
                f":orange[{len(weights_changed)} weight(s) edited below — the verdict above uses "
                "them; they are kept when you save the assessment.]"
            )
        weights.save_form()

# --- Reasons: conditions and drivers ----------------------------------------------------------

with reasons_tab:
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

    weights.editor()

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
    open_questions_tab(pid, questions)
