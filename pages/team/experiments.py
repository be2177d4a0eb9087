"""Experiments: candidate approaches in time boxes (research, then prototype) that force a
decision — extend with a reason, cull, park or select — then the culling matrix and the Go/No-Go
that moves the project's phase gate (Wilson ch. 3.1.4 and 3.2)."""

import pandas as pd
import streamlit as st

from workbench.charts.experiments import (
    burn_bars,
    burn_gauge,
    experiment_timeline,
)
from workbench.domain.lifecycle import Phase
from workbench.errors import InvalidInput, StaleEditError
from workbench.services import experiments as svc
from workbench.ui.common import (
    actor,
    data_changed,
    engine,
    field_error,
    require_project,
    row_errors,
    show_stale,
    today,
)
from workbench.ui.forms import forget, form_errors, preload, set_form_errors

detail = require_project()
project = detail.project
pid = project.id
day = today()
views = svc.list_experiments(engine(), pid, day)
by_id = {view.experiment.id: view for view in views}
FLASH = f"experiments_{pid}_flash"

DECISION_LABELS = {
    svc.Decision.EXTEND: "Extend — with a reason and a new end",
    svc.Decision.CULL: "Cull — stop this approach",
    svc.Decision.PARK: "Park — to the parking lot",
    svc.Decision.SELECT: "Select — take it forward",
}
BOX_LABELS = {
    svc.TimeBoxStatus.ON_TRACK: "on track",
    svc.TimeBoxStatus.WARNING: "75 % warning",
    svc.TimeBoxStatus.DUE_DECISION: "decision due",
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

st.title("Experiments")
st.caption(
    f'**{project.name}** · {Phase(project.phase).label}. Experimentation "must be time-boxed" '
    "(Wilson ch. 3): each candidate gets research days, then prototype days. A warning shows at "
    "75 % of the box; at 100 % the team decides — extend with a reason, cull, park or select. "
    "Nothing extends silently."
)
with st.container(border=True):
    st.markdown(
        "**Baseline to beat** (from the charter): "
        + (project.baseline or ":orange[not set yet — name it on the Charter page]")
    )
    if project.minimum_useful_performance:
        st.markdown(f"**Minimum useful performance:** {project.minimum_useful_performance}")

flash = st.session_state.pop(FLASH, None)
if flash:
    st.success(flash, icon=":material/check_circle:")


def loaded_version(form: str, version: int) -> int:
    """The record's version when this form was first shown (kept until it is saved)."""
    preload({f"{form}__version": version})
    return st.session_state[f"{form}__version"]


def saved(form: str, keys, message: str) -> None:
    """After a successful save: fresh values next run, a message, caches cleared."""
    forget([*keys, f"{form}__version", f"{form}__stale"])
    set_form_errors(form, None)
    data_changed()
    st.session_state[FLASH] = message
    st.rerun()


def box_text(view) -> str:
    """The box's dates in one line: start, end of research, end."""
    state = view.time_box
    return (
        f"{state.first_day:%d %b} → research to {state.research_end:%d %b} → prototype to "
        f"{state.overall_end:%d %b %Y}"
    )


def decision_form(view, *, prompt: bool) -> None:
    """The decision a box forces (or an early one): extend, cull, park or select."""
    experiment, state = view.experiment, view.time_box
    form = f"decide_{experiment.id}"
    errors = form_errors(form)
    version = loaded_version(form, experiment.version)
    keys = [f"{form}_{name}" for name in ("choice", "reason", "new_end", "revisit_on", "phase")]
    review_keys = [f"{form}_review_{i}" for i in range(len(svc.RESEARCH_REVIEW_QUESTIONS))]
    with st.form(form, border=True):
        if prompt:
            st.subheader(f":red[:material/alarm:] Decide now: {experiment.approach}", anchor=False)
            st.markdown(
                f"The time box is spent ({state.burn_percent:.0f} % of "
                f"{state.total_working_days} working days; it ended {state.overall_end:%a %d %b}"
                + (
                    f", **{state.overrun_working_days} working day(s) overdue**"
                    if state.overrun_working_days
                    else ""
                )
                + "). Choose one:"
            )
        choice = st.radio(
            "Decision",
            options=list(svc.Decision),
            format_func=DECISION_LABELS.get,
            index=None,
            horizontal=True,
            key=keys[0],
        )
        field_error(errors, "decision")
        st.text_area("Why? *", key=keys[1], height=70, help="Goes to the decision log.")
        field_error(errors, "reason")
        columns = st.columns(3)
        with columns[0]:
            st.date_input(
                "New end (extend only)",
                value=None,
                min_value=state.overall_end,
                key=keys[2],
                help="A working day after the current end.",
            )
            field_error(errors, "new_end")
        with columns[1]:
            st.date_input("Revisit on (park only)", value=None, key=keys[3])
        with columns[2]:
            st.selectbox(
                "Revisit in phase (park only)",
                options=list(Phase),
                format_func=lambda phase: phase.label,
                index=None,
                key=keys[4],
            )
            field_error(errors, "revisit_phase")
        if view.review_due:
            st.markdown(
                "**End-of-research review** — research ended "
                f"{state.research_end:%a %d %b}; the answers are stored with this decision."
            )
            field_error(errors, "review_answers")
            review_columns = st.columns(2)
            for index, question in enumerate(svc.RESEARCH_REVIEW_QUESTIONS):
                with review_columns[index % 2]:
                    st.text_input(question, key=review_keys[index])
                    field_error(errors, f"review_answers[{index + 1}]")
        field_error(errors, "actor")
        submitted = st.form_submit_button("Record decision", type="primary")
    if not submitted:
        return
    if choice is None:
        set_form_errors(form, {"decision": "Choose a decision: extend, cull, park or select."})
        st.rerun()
    try:
        outcome = svc.decide(
            engine(),
            experiment_id=experiment.id,
            expected_version=version,
            decision=choice,
            reason=st.session_state.get(keys[1], ""),
            new_end=st.session_state.get(keys[2]),
            revisit_on=st.session_state.get(keys[3]),
            revisit_phase=st.session_state.get(keys[4]),
            review_answers=[st.session_state.get(key, "") for key in review_keys]
            if view.review_due
            else None,
            actor=actor(),
            today=day,
        )
    except InvalidInput as error:
        set_form_errors(form, error.errors)
        st.rerun()
    except StaleEditError as error:
        forget([f"{form}__version"])
        set_form_errors(form, {"decision": str(error)})
        st.rerun()
    if outcome.extension is not None:
        message = (
            f"{experiment.approach}: time box extended to {outcome.extension.new_end:%a %d %b}."
        )
    elif outcome.parking_lot_item_id is not None:
        message = f"{experiment.approach} parked; it waits in the Parking lot."
    else:
        message = f"{experiment.approach}: {choice.value} recorded."
    saved(form, [*keys, *review_keys], message)


# --- What needs the team now ----------------------------------------------------------------

due = [view for view in views if view.due_decision]
if due:
    st.error(
        f"**{len(due)} time box(es) spent — a decision is required:** "
        + ", ".join(view.experiment.approach for view in due)
        + ". Nothing extends silently: extend with a reason, cull, park or select.",
        icon=":material/alarm:",
    )
for view in due:
    decision_form(view, prompt=True)
for view in views:
    if view.warning:
        st.warning(
            f"**{view.experiment.approach}**: {view.time_box.burn_percent:.0f} % of its time box "
            f"spent; it ends {view.time_box.overall_end:%a %d %b}. Prepare the decision.",
            icon=":material/hourglass_bottom:",
        )
for view in views:
    if not view.review_due or view.due_decision:
        continue
    form = f"review_{view.experiment.id}"
    errors = form_errors(form)
    version = loaded_version(form, view.experiment.version)
    keys = [f"{form}_{i}" for i in range(len(svc.RESEARCH_REVIEW_QUESTIONS))]
    with st.form(form, border=True):
        st.subheader(
            f":blue[:material/fact_check:] End of research: {view.experiment.approach}",
            anchor=False,
        )
        st.markdown(
            f"Research ended {view.time_box.research_end:%a %d %b}. Before prototyping, answer "
            "Wilson's questions (ch. 3):"
        )
        review_columns = st.columns(2)
        for index, question in enumerate(svc.RESEARCH_REVIEW_QUESTIONS):
            with review_columns[index % 2]:
                st.text_input(question, key=keys[index])
                field_error(errors, f"review_answers[{index + 1}]")
        field_error(errors, "actor")
        submitted = st.form_submit_button("Save review")
    if submitted:
        try:
            svc.record_research_review(
                engine(),
                experiment_id=view.experiment.id,
                expected_version=version,
                answers=[st.session_state.get(key, "") for key in keys],
                actor=actor(),
            )
        except InvalidInput as error:
            set_form_errors(form, error.errors)
            st.rerun()
        except StaleEditError as error:
            forget([f"{form}__version"])
            set_form_errors(form, {"actor": str(error)})
            st.rerun()
        saved(form, keys, f"Review of {view.experiment.approach} saved.")

overview, timeline, work, matrix_tab, new_tab = st.tabs(
    ["Experiments", "Timeline and burn", "Work on one", "Culling matrix & Go/No-Go", "New"]
)

# --- Overview -------------------------------------------------------------------------------

with overview:
    if not views:
        st.info("No experiment yet: add the candidate approaches on the **New** tab.")
    else:
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "Approach": v.experiment.approach,
                        "Owner": v.experiment.owner,
                        "Status": v.experiment.status.value,
                        "Ends": v.time_box.overall_end,
                        "Burn": v.time_box.burn_percent,
                        "Box": "decided"
                        if v.experiment.status == svc.ExperimentStatus.DECIDED
                        else BOX_LABELS[v.time_box.status],
                        "Hours": v.hours_spent,
                        "Result": (
                            f"{v.experiment.metric_name} {v.experiment.result_value:g}"
                            + (
                                f" vs {v.experiment.baseline_value:g}"
                                if v.experiment.baseline_value is not None
                                else ""
                            )
                            if v.experiment.result_value is not None
                            else ""
                        ),
                        "Decision": v.experiment.decision.value if v.experiment.decision else "",
                    }
                    for v in views
                ]
            ),
            hide_index=True,
            width="stretch",
            column_config={
                "Burn": st.column_config.ProgressColumn(
                    "Burn", format="%.0f%%", min_value=0, max_value=100
                ),
                "Hours": st.column_config.NumberColumn("Hours", format="%.1f"),
                "Ends": st.column_config.DateColumn(
                    format="DD MMM YYYY", help="The end of the box, extensions included"
                ),
            },
        )

# --- Timeline -------------------------------------------------------------------------------

entries = svc.timeline_entries(views)
with timeline:
    st.plotly_chart(experiment_timeline(entries, today=day), width="stretch", key="gantt")
    st.caption(
        "Solid: research · hatched: prototype · cross-hatched: extension · red: overrun up to "
        "today (a decision is overdue). Colour: the experiment's status."
    )
    if entries:
        st.plotly_chart(burn_bars(entries), width="stretch", key="burn")

# --- One experiment -------------------------------------------------------------------------

with work:
    if not views:
        st.info("No experiment yet.")
    else:
        first = next((v for v in views if v.due_decision), None) or next(
            (v for v in views if v.experiment.status != svc.ExperimentStatus.DECIDED), views[0]
        )
        chosen = st.selectbox(
            "Experiment",
            options=list(by_id),
            index=list(by_id).index(first.experiment.id),
            format_func=lambda experiment_id: by_id[experiment_id].experiment.approach,
            key=f"experiments_{pid}_chosen",
        )
        view = by_id[chosen]
        experiment = view.experiment
        left, right = st.columns([1, 2])
        with left:
            st.plotly_chart(burn_gauge(entries[views.index(view)]), width="stretch", key="gauge")
        with right:
            st.markdown(
                f"**Hypothesis:** {experiment.hypothesis or '—'}  \n"
                f"**Success criterion:** {experiment.success_criterion}  \n"
                f"**Time box:** {box_text(view)} · **status** {experiment.status.value} · "
                f"**{view.hours_spent:g} h** logged"
            )
            if experiment.decision:
                st.markdown(
                    f"**Decision:** {experiment.decision.value} by {experiment.decided_by} — "
                    f"{experiment.decision_reason}"
                )
            if experiment.parking_lot_item_id:
                st.caption(f"Promoted from parking-lot item #{experiment.parking_lot_item_id}.")
            for extension in view.extensions:
                st.caption(
                    f"Extended by {extension.extended_by} from {extension.previous_end:%d %b} "
                    f"to {extension.new_end:%d %b}: {extension.reason}"
                )
            for question, answer in experiment.review_answers.items():
                st.caption(f"*{question}* {answer}")

        undecided = experiment.status != svc.ExperimentStatus.DECIDED
        moves = sorted(svc.STATUS_MOVES[experiment.status], key=list(svc.ExperimentStatus).index)
        if undecided and moves:
            status_form = f"status_{experiment.id}"
            status_errors = form_errors(status_form)
            version = loaded_version(status_form, experiment.version)
            with st.form(status_form):
                target = st.selectbox(
                    "Move to status", options=moves, format_func=lambda s: s.value
                )
                field_error(status_errors, "status")
                field_error(status_errors, "actor")
                move = st.form_submit_button("Change status")
            if move:
                try:
                    svc.set_status(
                        engine(),
                        experiment_id=experiment.id,
                        expected_version=version,
                        status=target,
                        actor=actor(),
                    )
                except InvalidInput as error:
                    set_form_errors(status_form, error.errors)
                    st.rerun()
                except StaleEditError as error:
                    forget([f"{status_form}__version"])
                    set_form_errors(status_form, {"status": str(error)})
                    st.rerun()
                saved(status_form, [], f"{experiment.approach} is now {target.value}.")
        if undecided and not view.due_decision:
            with st.expander("Decide before the box ends"):
                decision_form(view, prompt=False)

        st.subheader("Time spent")
        log_form = f"timelog_{experiment.id}"
        log_errors = form_errors(log_form)
        log_keys = [f"{log_form}_{name}" for name in ("day", "hours", "who", "note")]
        with st.form(log_form):
            columns = st.columns([1, 1, 1, 2])
            with columns[0]:
                st.date_input("Day", value=day, max_value=day, key=log_keys[0])
                field_error(log_errors, "day")
            with columns[1]:
                st.number_input(
                    "Hours", min_value=0.0, max_value=24.0, value=1.0, step=0.5, key=log_keys[1]
                )
                field_error(log_errors, "hours")
            with columns[2]:
                st.text_input("Who", placeholder="you", key=log_keys[2])
                field_error(log_errors, "who")
            with columns[3]:
                st.text_input("Note", key=log_keys[3])
                field_error(log_errors, "note")
            field_error(log_errors, "actor")
            log = st.form_submit_button("Log time")
        if log:
            try:
                svc.log_time(
                    engine(),
                    experiment_id=experiment.id,
                    day=st.session_state.get(log_keys[0]),
                    hours=st.session_state.get(log_keys[1]),
                    who=st.session_state.get(log_keys[2], ""),
                    note=st.session_state.get(log_keys[3], ""),
                    actor=actor(),
                    today=day,
                )
            except InvalidInput as error:
                set_form_errors(log_form, error.errors)
                st.rerun()
            saved(log_form, log_keys, f"Time logged on {experiment.approach}.")
        entries_logged = svc.list_time_logs(engine(), experiment.id)
        if entries_logged:
            st.dataframe(
                pd.DataFrame(
                    [
                        {"Day": e.day, "Hours": e.hours, "Who": e.who, "Note": e.note}
                        for e in entries_logged
                    ]
                ),
                hide_index=True,
                width="stretch",
            )

        st.subheader("Result against the baseline")
        result_form = f"result_{experiment.id}"
        result_errors = form_errors(result_form)
        version = loaded_version(result_form, experiment.version)
        result_keys = {
            name: f"{result_form}_{name}"
            for name in ("metric_name", "result_value", "baseline_value", "evidence_links")
        }
        stale = st.session_state.get(f"{result_form}__stale")
        if stale is not None:
            show_stale(stale)
        with st.form(result_form):
            columns = st.columns(3)
            with columns[0]:
                st.text_input(
                    "Metric", value=experiment.metric_name, key=result_keys["metric_name"]
                )
                field_error(result_errors, "metric_name")
            with columns[1]:
                st.number_input(
                    "Result",
                    value=experiment.result_value,
                    format="%.4f",
                    key=result_keys["result_value"],
                )
                field_error(result_errors, "result_value")
            with columns[2]:
                st.number_input(
                    "Baseline",
                    value=experiment.baseline_value,
                    format="%.4f",
                    key=result_keys["baseline_value"],
                )
                field_error(result_errors, "baseline_value")
            st.text_area(
                "Evidence links (one per line)",
                value="\n".join(experiment.evidence_links),
                key=result_keys["evidence_links"],
                height=80,
                placeholder="https://…",
            )
            field_error(result_errors, "evidence_links")
            field_error(result_errors, "actor")
            save_result = st.form_submit_button("Save result")
        for link in experiment.evidence_links:
            st.markdown(f"- [{link}]({link})")
        if save_result:
            try:
                svc.record_result(
                    engine(),
                    experiment_id=experiment.id,
                    expected_version=version,
                    metric_name=st.session_state.get(result_keys["metric_name"], ""),
                    result_value=st.session_state.get(result_keys["result_value"]),
                    baseline_value=st.session_state.get(result_keys["baseline_value"]),
                    evidence_links=str(
                        st.session_state.get(result_keys["evidence_links"]) or ""
                    ).splitlines(),
                    actor=actor(),
                )
            except InvalidInput as error:
                set_form_errors(result_form, error.errors)
                st.rerun()
            except StaleEditError as error:
                st.session_state[f"{result_form}__stale"] = error
                st.session_state[f"{result_form}__version"] = error.current.version
                st.rerun()
            saved(result_form, result_keys.values(), f"Result of {experiment.approach} saved.")

        st.subheader("Edit")
        edit_form = f"edit_{experiment.id}"
        edit_errors = form_errors(edit_form)
        version = loaded_version(edit_form, experiment.version)
        edit_keys = {field: f"{edit_form}_{field}" for field in FIELDS}
        stale = st.session_state.get(f"{edit_form}__stale")
        if stale is not None:
            show_stale(stale)
            st.caption("Your edits are still in the form; saving again keeps them.")
        with (
            st.expander("Edit this experiment", expanded=bool(edit_errors) or stale is not None),
            st.form(edit_form),
        ):
            for field, label in FIELDS.items():
                current = getattr(experiment, field)
                if field == "start_date":
                    st.date_input(label, value=current, key=edit_keys[field])
                elif field in {"research_days", "prototype_days"}:
                    st.number_input(
                        label,
                        value=current,
                        min_value=1,
                        max_value=svc.MAX_BOX_DAYS,
                        key=edit_keys[field],
                    )
                elif field == "baseline_value":
                    st.number_input(label, value=current, format="%.4f", key=edit_keys[field])
                elif field in {"hypothesis", "success_criterion"}:
                    st.text_area(label, value=current, key=edit_keys[field], height=70)
                else:
                    st.text_input(label, value=current, key=edit_keys[field])
                field_error(edit_errors, field)
            field_error(edit_errors, "actor")
            save_edit = st.form_submit_button("Save changes")
        if save_edit:
            try:
                svc.update_experiment(
                    engine(),
                    experiment_id=experiment.id,
                    expected_version=version,
                    data={field: st.session_state.get(key) for field, key in edit_keys.items()},
                    actor=actor(),
                )
            except InvalidInput as error:
                set_form_errors(edit_form, error.errors)
                st.rerun()
            except StaleEditError as error:
                st.session_state[f"{edit_form}__stale"] = error
                st.session_state[f"{edit_form}__version"] = error.current.version
                set_form_errors(edit_form, None)
                st.rerun()
            saved(edit_form, edit_keys.values(), f"{experiment.approach} saved.")

# --- Culling matrix and Go/No-Go --------------------------------------------------------------

with matrix_tab:
    st.caption(
        "Experimentation culling (Wilson ch. 3.1.4): score each candidate 1–5 — higher is "
        "better for quality and maintainability, lower is better for complexity and cost — "
        "weigh the criteria, then select one MVP approach or record a No-Go."
    )
    weight_columns = st.columns(len(svc.Criterion))
    weights = {
        criterion: column.number_input(
            f"{svc.CRITERION_LABELS[criterion]} weight",
            min_value=0.0,
            max_value=10.0,
            value=1.0,
            step=0.5,
            key=f"matrix_{pid}_weight_{criterion.value}",
        )
        for column, criterion in zip(weight_columns, svc.Criterion, strict=True)
    }
    matrix_errors = form_errors(f"matrix_{pid}")
    matrix_rows = []
    candidates = [
        v for v in views if v.experiment.decision not in (svc.Decision.CULL, svc.Decision.PARK)
    ]
    if candidates:
        versions_key = f"matrix_{pid}__versions"
        preload({versions_key: {v.experiment.id: v.experiment.version for v in candidates}})
        frame = pd.DataFrame(
            [
                {
                    "approach": v.experiment.approach,
                    "decision": v.experiment.decision.value if v.experiment.decision else "open",
                    **{c.value: v.experiment.matrix_scores.get(c.value) for c in svc.Criterion},
                }
                for v in candidates
            ],
            columns=["approach", "decision", *(c.value for c in svc.Criterion)],
        )
        edited = st.data_editor(
            frame,
            key=f"matrix_{pid}_editor",
            hide_index=True,
            width="stretch",
            num_rows="fixed",
            disabled=["approach", "decision"],
            column_config={
                "approach": st.column_config.TextColumn("Approach"),
                "decision": st.column_config.TextColumn("Decision"),
                **{
                    c.value: st.column_config.NumberColumn(
                        svc.CRITERION_LABELS[c],
                        help=svc.CRITERION_HELP[c],
                        min_value=1,
                        max_value=5,
                        step=1,
                    )
                    for c in svc.Criterion
                },
            },
        )
        matrix_rows = edited.to_dict("records")
        row_errors(matrix_errors, "matrix")
        field_error(matrix_errors, "matrix")
        field_error(matrix_errors, "actor")
        if st.button("Save scores", icon=":material/save:"):
            versions = st.session_state[versions_key]
            try:
                changed = svc.save_matrix_scores(
                    engine(),
                    project_id=pid,
                    rows=[
                        {**row, "id": v.experiment.id, "version": versions[v.experiment.id]}
                        for row, v in zip(matrix_rows, candidates, strict=True)
                    ],
                    actor=actor(),
                )
            except InvalidInput as error:
                set_form_errors(f"matrix_{pid}", error.errors)
                st.rerun()
            except StaleEditError as error:
                forget([versions_key, f"matrix_{pid}_editor"])
                set_form_errors(f"matrix_{pid}", {"matrix": str(error)})
                st.rerun()
            saved(
                f"matrix_{pid}", [versions_key, f"matrix_{pid}_editor"], f"Saved {changed} row(s)."
            )

    ranking = svc.rank_matrix(matrix_rows, weights)
    for message in ranking.errors.values():
        st.error(message)
    leaders: tuple[str, ...] = ()
    if ranking.result and ranking.result.ranking:
        leaders = ranking.result.leaders
        decisions = {row["approach"]: row["decision"] for row in matrix_rows}
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "Rank": r.rank,
                        "Approach": r.name,
                        "Total (0–100)": round(r.total, 1),
                        "Tied": "tied" if r.tied else "",
                        "Decision": decisions.get(r.name, ""),
                    }
                    for r in ranking.result.ranking
                ]
            ),
            hide_index=True,
            width="stretch",
        )
    if ranking.unscored:
        st.caption("Not ranked until every criterion is scored: " + ", ".join(ranking.unscored))

    st.subheader("Go/No-Go")
    phase = Phase(project.phase)
    if phase is Phase.EXPERIMENTATION:
        st.caption(
            "Go moves the project to Development; No-Go moves it back to Scoping & research. "
            "Either ticks the Experimentation gate."
        )
    else:
        st.caption(
            f"The project is in {phase.label}: the decision is recorded"
            + (
                "; No-Go moves it back to Scoping & research."
                if phase.index > Phase.EXPERIMENTATION.index
                else " but the phase is not moved (move it on the Charter page)."
            )
        )
    go_form = f"gonogo_{pid}"
    go_errors = form_errors(go_form)
    go_keys = [f"{go_form}_{name}" for name in ("go", "selected", "reasons")]
    with st.form(go_form, border=True):
        verdict = st.radio(
            "Decision",
            options=["Go", "No-Go"],
            format_func={"Go": "Go — build one MVP approach", "No-Go": "No-Go"}.get,
            horizontal=True,
            key=go_keys[0],
        )
        options = [v.experiment.id for v in candidates]
        leader_ids = [v.experiment.id for v in candidates if v.experiment.approach in leaders]
        st.selectbox(
            "MVP approach (Go only)",
            options=options,
            index=options.index(leader_ids[0]) if leader_ids else None,
            format_func=lambda experiment_id: by_id[experiment_id].experiment.approach,
            key=go_keys[1],
            help="Candidates not culled or parked; the matrix's leader is preselected.",
        )
        field_error(go_errors, "selected_experiment_id")
        st.text_area("Reasons *", key=go_keys[2], height=80)
        field_error(go_errors, "reasons")
        field_error(go_errors, "actor")
        record = st.form_submit_button("Record Go/No-Go", type="primary")
    if record:
        try:
            outcome = svc.record_go_no_go(
                engine(),
                project_id=pid,
                expected_project_version=project.version,
                go=verdict == "Go",
                selected_experiment_id=st.session_state.get(go_keys[1]),
                reasons=st.session_state.get(go_keys[2], ""),
                weights=weights,
                actor=actor(),
            )
        except InvalidInput as error:
            set_form_errors(go_form, error.errors)
            st.rerun()
        except StaleEditError as error:
            set_form_errors(go_form, {"reasons": str(error)})
            st.rerun()
        saved(go_form, go_keys, outcome.message)
    history = svc.list_go_no_go(engine(), pid)
    if history:
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "When (UTC)": h.decided_at,
                        "Who": h.decided_by,
                        "Decision": "Go" if h.go else "No-Go",
                        "MVP approach": by_id[h.selected_experiment_id].experiment.approach
                        if h.selected_experiment_id in by_id
                        else "",
                        "Reasons": h.reasons,
                    }
                    for h in history
                ]
            ),
            hide_index=True,
            width="stretch",
            column_config={
                "When (UTC)": st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm")
            },
        )

# --- New experiment -------------------------------------------------------------------------

with new_tab:
    new_form = f"new_experiment_{pid}"
    new_errors = form_errors(new_form)
    new_keys = {field: f"{new_form}_{field}" for field in FIELDS}
    st.caption(
        "For a complex problem Wilson suggests about two weeks of research, then two weeks of "
        "prototyping. State the success criterion against the baseline: "
        + (f"*{project.baseline}*" if project.baseline else "name the baseline on the Charter.")
    )
    with st.form(new_form):
        top = st.columns([2, 1])
        with top[0]:
            st.text_input(FIELDS["approach"], key=new_keys["approach"])
            field_error(new_errors, "approach")
        with top[1]:
            st.text_input(FIELDS["owner"], key=new_keys["owner"])
            field_error(new_errors, "owner")
        st.text_area(FIELDS["hypothesis"], key=new_keys["hypothesis"], height=70)
        field_error(new_errors, "hypothesis")
        st.text_area(
            FIELDS["success_criterion"],
            key=new_keys["success_criterion"],
            height=70,
            placeholder="e.g. precision on the top 200 beats the baseline rule by 10 points",
        )
        field_error(new_errors, "success_criterion")
        box = st.columns(3)
        with box[0]:
            st.date_input(FIELDS["start_date"], value=day, key=new_keys["start_date"])
            field_error(new_errors, "start_date")
        with box[1]:
            st.number_input(
                FIELDS["research_days"],
                value=10,
                min_value=1,
                max_value=svc.MAX_BOX_DAYS,
                key=new_keys["research_days"],
            )
            field_error(new_errors, "research_days")
        with box[2]:
            st.number_input(
                FIELDS["prototype_days"],
                value=10,
                min_value=1,
                max_value=svc.MAX_BOX_DAYS,
                key=new_keys["prototype_days"],
            )
            field_error(new_errors, "prototype_days")
        metric = st.columns(2)
        with metric[0]:
            st.text_input(FIELDS["metric_name"], key=new_keys["metric_name"])
            field_error(new_errors, "metric_name")
        with metric[1]:
            st.number_input(
                FIELDS["baseline_value"], value=None, format="%.4f", key=new_keys["baseline_value"]
            )
            field_error(new_errors, "baseline_value")
        field_error(new_errors, "actor")
        add = st.form_submit_button("Add experiment", type="primary")
    if add:
        try:
            created = svc.create_experiment(
                engine(),
                project_id=pid,
                data={field: st.session_state.get(key) for field, key in new_keys.items()},
                actor=actor(),
            )
        except InvalidInput as error:
            set_form_errors(new_form, error.errors)
            st.rerun()
        saved(new_form, new_keys.values(), f"Added {created.approach}.")
