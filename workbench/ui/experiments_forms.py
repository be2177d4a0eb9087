"""The Experiments page's forms on one experiment: the decision its box forces, the end-of-research
review, status, time spent, the result against the baseline, the edit, and the new experiment.

Every form is a `workbench.ui.forms.Form`: the version is pinned at first render and sent with
the save, a stale save shows the conflict view with the user's typing kept, and a form that
saved starts afresh. A form holding a refused save stays on the page even when the record no
longer asks for it (say, someone else decided the box meanwhile), so the refusal is seen.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import streamlit as st

from workbench.domain.experiments import STATUS_MOVES
from workbench.domain.lifecycle import Phase
from workbench.models.experiments import ExperimentPublic, TimeLogPublic
from workbench.services import experiments as svc
from workbench.ui.common import actor, engine
from workbench.ui.forms import FORM_ERROR, Form
from workbench.ui.text import markdown_text

DECISION_LABELS = {
    svc.Decision.EXTEND: "Extend — with a reason and a new end",
    svc.Decision.CULL: "Cull — stop this approach",
    svc.Decision.PARK: "Park — to the parking lot",
    svc.Decision.SELECT: "Select — take it forward",
}
FIELDS = {
    "approach": "Approach *",
    "hypothesis": "Hypothesis",
    "owner": "Owner",
    "success_criterion": "Success criterion, against the baseline *",
    "start_date": "Start date",
    "research_days": "Research (working days) *",
    "prototype_days": "Prototype (working days) *",
    "metric_name": "Metric",
    "baseline_value": "Baseline value of the metric",
}
QUESTIONS = svc.RESEARCH_REVIEW_QUESTIONS
REVIEW_FIELDS = [f"review_{index + 1}" for index in range(len(QUESTIONS))]
REVIEW_LABELS = {
    "review_answers": "End-of-research review",
    **dict(zip(REVIEW_FIELDS, QUESTIONS, strict=True)),
}


def current(make: Callable[[], Form]) -> Form:
    """The form `make` builds, started afresh when its record moved on (a save in another
    form, by this user or another) while this user has changed nothing in it: there is
    nothing to lose, and a save on the old version would only be refused."""
    form = make()
    moved_on = form.current_version is not None and form.version != form.current_version
    if moved_on and form.stale is None and not form.errors and not form.changes():
        form.reset()
        form = make()
    return form


def pending_message(form: Form) -> bool:
    """Whether `form` saved and its message waits to be shown (the form itself may be gone
    from the page: a box decided is no longer prompted for). Reads the flash slot of `Form`."""
    return f"{form.name}__flash" in st.session_state


def _review_widgets(form: Form) -> None:
    """The four end-of-research questions, two a row, each with its message."""
    form.error("review_answers")
    columns = st.columns(2)
    for index, (field, question) in enumerate(zip(REVIEW_FIELDS, QUESTIONS, strict=True)):
        with columns[index % 2]:
            st.text_input(question, key=form.key(field))
            form.error(f"review_answers[{index + 1}]")


def _answers(form: Form) -> list[str]:
    return [form.value(field) or "" for field in REVIEW_FIELDS]


def more_chooser(
    kind: str, waiting: list[svc.ExperimentView], project_id: int
) -> svc.ExperimentView | None:
    """A chooser for the items beyond the first few the page opens; the one picked opens too."""
    if not waiting:
        return None
    by_id = {view.experiment.id: view for view in waiting}
    key = f"experiments_{project_id}_more_{kind.split()[0]}"
    if st.session_state.get(key) not in by_id:  # decided since it was picked
        st.session_state.pop(key, None)
    chosen = st.selectbox(
        f"{len(waiting)} more {kind} — open one",
        options=list(by_id),
        index=None,
        placeholder="Choose an experiment",
        format_func=lambda experiment_id: by_id[experiment_id].experiment.approach,
        key=key,
    )
    return by_id.get(chosen)


# --- The decision a box forces ----------------------------------------------------------------


def decision_form(view: svc.ExperimentView) -> Form:
    experiment = view.experiment
    return current(lambda: _decision_form(experiment))


def _decision_form(experiment: ExperimentPublic) -> Form:
    return Form(
        f"decide_{experiment.id}",
        version=experiment.version,
        initial={
            "decision": None,
            "reason": "",
            "new_end": None,
            "revisit_on": None,
            "revisit_phase": None,
            **dict.fromkeys(REVIEW_FIELDS, ""),
        },
        labels={
            "decision": "Decision",
            "reason": "Why?",
            "decision_reason": "Why?",
            "new_end": "New end",
            "revisit_on": "Revisit on",
            "revisit_phase": "Revisit in phase",
            **REVIEW_LABELS,
        },
    )


def render_decision(form: Form, view: svc.ExperimentView, *, prompt: bool, day: date) -> None:
    """The decision form: extend (reason, new end), cull, park (when to revisit) or select."""
    experiment, state = view.experiment, view.time_box
    with_review = view.review_due

    def record(form: Form) -> svc.DecisionOutcome:
        values = form.values()
        return svc.decide(
            engine(),
            experiment_id=experiment.id,
            expected_version=form.version,
            decision=values["decision"],
            reason=values["reason"],
            new_end=values["new_end"],
            revisit_on=values["revisit_on"],
            revisit_phase=values["revisit_phase"],
            review_answers=_answers(form) if with_review else None,
            actor=actor(),
            today=day,
        )

    def done(outcome: svc.DecisionOutcome) -> str:
        name = markdown_text(outcome.experiment.approach)
        if outcome.extension is not None:
            return f"{name}: time box extended to {outcome.extension.new_end:%a %d %b}."
        if outcome.parking_lot_item_id is not None:
            return f"{name} parked; it waits in the Parking lot."
        return f"{name}: {outcome.experiment.decision} recorded."

    with form.render(border=True):
        if prompt:
            st.subheader(":red[:material/alarm:] Decide now", anchor=False)
            st.text(experiment.approach)
            overdue = (
                f", {state.overrun_working_days} working day(s) overdue"
                if state.overrun_working_days
                else ""
            )
            st.markdown(
                f"The time box is spent ({state.burn_percent:.0f} % of "
                f"{state.total_working_days} working days; it ended "
                f"{state.overall_end:%a %d %b}{overdue}). Choose one:"
            )
        st.radio(
            "Decision",
            options=list(svc.Decision),
            format_func=DECISION_LABELS.get,
            horizontal=True,
            key=form.key("decision"),
        )
        form.error("decision")
        st.text_area("Why? *", key=form.key("reason"), height=70, help="Goes to the decision log.")
        form.error("reason")
        columns = st.columns(3)
        with columns[0]:
            st.date_input(
                "New end (extend only)",
                min_value=state.overall_end,
                key=form.key("new_end"),
                help="A working day after the current end.",
            )
            form.error("new_end")
        with columns[1]:
            st.date_input("Revisit on (park only)", key=form.key("revisit_on"))
            form.error("revisit_on")
        with columns[2]:
            st.selectbox(
                "Revisit in phase (park only)",
                options=list(Phase),
                format_func=lambda phase: phase.label,
                key=form.key("revisit_phase"),
            )
            form.error("revisit_phase")
        if with_review:
            st.markdown(
                "**End-of-research review** — research ended "
                f"{state.research_end:%a %d %b}; the answers are stored with this decision."
            )
            _review_widgets(form)
        form.submit_button("Record decision", record, success=done, type="primary")


# --- End-of-research review -----------------------------------------------------------------


def review_form(view: svc.ExperimentView) -> Form:
    experiment = view.experiment
    return current(
        lambda: Form(
            f"review_{experiment.id}",
            version=experiment.version,
            initial=dict.fromkeys(REVIEW_FIELDS, ""),
            labels=REVIEW_LABELS,
        )
    )


def render_review(form: Form, view: svc.ExperimentView) -> None:
    experiment = view.experiment

    def save(form: Form) -> ExperimentPublic:
        return svc.record_research_review(
            engine(),
            experiment_id=experiment.id,
            expected_version=form.version,
            answers=_answers(form),
            actor=actor(),
        )

    with form.render(border=True):
        st.subheader(":blue[:material/fact_check:] End of research", anchor=False)
        st.text(experiment.approach)
        st.markdown(
            f"Research ended {view.time_box.research_end:%a %d %b}. Before prototyping, answer "
            "Wilson's questions (ch. 3):"
        )
        _review_widgets(form)
        form.submit_button(
            "Save review",
            save,
            success=lambda saved: f"Review of {markdown_text(saved.approach)} saved.",
        )


# --- Status, time, result, edit ---------------------------------------------------------------


def render_status(view: svc.ExperimentView) -> None:
    """Move the experiment forward by hand (shown while a move is possible or a save waits)."""
    experiment = view.experiment
    moves = sorted(STATUS_MOVES[experiment.status], key=list(svc.ExperimentStatus).index)
    form = current(
        lambda: Form(
            f"status_{experiment.id}",
            version=experiment.version,
            initial={"status": moves[0] if moves else experiment.status},
            labels={"status": "Move to status"},
        )
    )
    if not moves and form.stale is None:
        form.messages()  # the message of the move just made, if any
        return
    chosen = form.value("status")
    options = moves if chosen in moves or chosen is None else [*moves, chosen]

    def move(form: Form) -> ExperimentPublic:
        return svc.set_status(
            engine(),
            experiment_id=experiment.id,
            expected_version=form.version,
            status=form.value("status"),
            actor=actor(),
        )

    with form.render():
        st.selectbox(
            "Move to status", options=options, format_func=lambda s: s.value, key=form.key("status")
        )
        form.error("status")
        form.submit_button(
            "Change status",
            move,
            success=lambda saved: f"{markdown_text(saved.approach)} is now {saved.status.value}.",
        )


def render_time_log(experiment: ExperimentPublic, day: date) -> None:
    form = Form(
        f"timelog_{experiment.id}",
        initial={"day": day, "hours": 1.0, "who": "", "note": ""},
        labels={"day": "Day", "hours": "Hours", "who": "Who", "note": "Note"},
    )

    def log(form: Form) -> TimeLogPublic:
        values = form.values()
        return svc.log_time(
            engine(),
            experiment_id=experiment.id,
            day=values["day"],
            hours=values["hours"],
            who=values["who"],
            note=values["note"],
            actor=actor(),
            today=day,
        )

    with form.render():
        columns = st.columns([1, 1, 1, 2])
        with columns[0]:
            st.date_input("Day", max_value=day, key=form.key("day"))
            form.error("day")
        with columns[1]:
            st.number_input("Hours", min_value=0.0, max_value=24.0, step=0.5, key=form.key("hours"))
            form.error("hours")
        with columns[2]:
            st.text_input("Who", placeholder="you", key=form.key("who"))
            form.error("who")
        with columns[3]:
            st.text_input("Note", key=form.key("note"))
            form.error("note")
        form.submit_button(
            "Log time", log, success=f"Time logged on {markdown_text(experiment.approach)}."
        )


def render_result(experiment: ExperimentPublic) -> None:
    form = current(lambda: _result_form(experiment))

    def save(form: Form) -> ExperimentPublic:
        values = form.values()
        return svc.record_result(
            engine(),
            experiment_id=experiment.id,
            expected_version=form.version,
            metric_name=values["metric_name"],
            result_value=values["result_value"],
            baseline_value=values["baseline_value"],
            evidence_links=values["evidence_links"],
            actor=actor(),
        )

    with form.render():
        columns = st.columns(3)
        with columns[0]:
            st.text_input("Metric", key=form.key("metric_name"))
            form.error("metric_name")
        with columns[1]:
            st.number_input("Result", format="%.4f", key=form.key("result_value"))
            form.error("result_value")
        with columns[2]:
            st.number_input("Baseline", format="%.4f", key=form.key("baseline_value"))
            form.error("baseline_value")
        st.text_area(
            "Evidence links (one per line)",
            key=form.key("evidence_links"),
            height=80,
            placeholder="https://…",
        )
        form.error("evidence_links")
        form.submit_button(
            "Save result",
            save,
            success=lambda saved: f"Result of {markdown_text(saved.approach)} saved.",
        )
    for link in experiment.evidence_links:
        st.link_button(link, link, icon=":material/link:")


def _result_form(experiment: ExperimentPublic) -> Form:
    return Form(
        f"result_{experiment.id}",
        version=experiment.version,
        initial={
            "metric_name": experiment.metric_name,
            "result_value": experiment.result_value,
            "baseline_value": experiment.baseline_value,
            "evidence_links": "\n".join(experiment.evidence_links),
        },
        labels={
            "metric_name": "Metric",
            "result_value": "Result",
            "baseline_value": "Baseline",
            "evidence_links": "Evidence links",
        },
    )


def _experiment_widgets(form: Form) -> None:
    """The fields of an experiment, each with its message (the new and the edit form)."""
    top = st.columns([2, 1])
    with top[0]:
        st.text_input(FIELDS["approach"], key=form.key("approach"))
        form.error("approach")
    with top[1]:
        st.text_input(FIELDS["owner"], key=form.key("owner"))
        form.error("owner")
    st.text_area(FIELDS["hypothesis"], key=form.key("hypothesis"), height=70)
    form.error("hypothesis")
    st.text_area(
        FIELDS["success_criterion"],
        key=form.key("success_criterion"),
        height=70,
        placeholder="e.g. precision on the top 200 beats the baseline rule by 10 points",
    )
    form.error("success_criterion")
    box = st.columns(3)
    with box[0]:
        st.date_input(FIELDS["start_date"], key=form.key("start_date"))
        form.error("start_date")
    for column, field in zip(box[1:], ["research_days", "prototype_days"], strict=True):
        with column:
            st.number_input(
                FIELDS[field], min_value=1, max_value=svc.MAX_BOX_DAYS, key=form.key(field)
            )
            form.error(field)
    metric = st.columns(2)
    with metric[0]:
        st.text_input(FIELDS["metric_name"], key=form.key("metric_name"))
        form.error("metric_name")
    with metric[1]:
        st.number_input(FIELDS["baseline_value"], format="%.4f", key=form.key("baseline_value"))
        form.error("baseline_value")


def render_edit(experiment: ExperimentPublic) -> None:
    form = current(
        lambda: Form(
            f"edit_{experiment.id}",
            version=experiment.version,
            initial={field: getattr(experiment, field) for field in FIELDS},
            labels=FIELDS,
        )
    )

    def save(form: Form) -> ExperimentPublic:
        changes = form.changes()
        if not changes:
            form.refuse({FORM_ERROR: "Nothing to save: change a field first."})
        return svc.update_experiment(
            engine(),
            experiment_id=experiment.id,
            expected_version=form.version,
            data=changes,
            actor=actor(),
        )

    open_ = bool(form.errors) or form.stale is not None
    with st.expander("Edit this experiment", expanded=open_), form.render():
        _experiment_widgets(form)
        form.submit_button(
            "Save changes", save, success=lambda saved: f"{markdown_text(saved.approach)} saved."
        )


def render_new(project_id: int, day: date) -> None:
    form = Form(
        f"new_experiment_{project_id}",
        initial={
            "approach": "",
            "hypothesis": "",
            "owner": "",
            "success_criterion": "",
            "start_date": day,
            "research_days": 10,
            "prototype_days": 10,
            "metric_name": "",
            "baseline_value": None,
        },
        labels=FIELDS,
    )

    def add(form: Form) -> ExperimentPublic:
        return svc.create_experiment(
            engine(), project_id=project_id, data=form.values(), actor=actor()
        )

    with form.render():
        _experiment_widgets(form)
        form.submit_button(
            "Add experiment",
            add,
            success=lambda added: f"Added {markdown_text(added.approach)}.",
            type="primary",
        )
