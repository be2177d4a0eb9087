"""Experiments: candidate approaches in time boxes (research, then prototype) that force a
decision — extend with a reason, cull, park or select — then the culling matrix and the Go/No-Go
that moves the project's phase gate (Wilson ch. 3.1.4 and 3.2)."""

import pandas as pd
import streamlit as st

from workbench.charts.experiments import burn_bars, burn_gauge, experiment_timeline
from workbench.domain.lifecycle import Phase
from workbench.services import experiments as svc
from workbench.ui.common import engine, require_project, today
from workbench.ui.experiments_forms import (
    decision_form,
    more_chooser,
    pending_message,
    render_decision,
    render_edit,
    render_new,
    render_result,
    render_review,
    render_status,
    render_time_log,
    review_form,
)
from workbench.ui.experiments_matrix import render_go_no_go, render_matrix

detail = require_project()
project = detail.project
pid = project.id
phase = Phase(project.phase)
day = today()
views = svc.list_experiments(engine(), pid, day)
by_id = {view.experiment.id: view for view in views}

BOX_LABELS = {
    svc.TimeBoxStatus.ON_TRACK: "on track",
    svc.TimeBoxStatus.WARNING: "75 % warning",
    svc.TimeBoxStatus.DUE_DECISION: "decision due",
}

st.title("Experiments")
st.caption(
    f'{phase.label}. Experimentation "must be time-boxed" (Wilson ch. 3): each candidate gets '
    "research days, then prototype days. A warning shows at 75 % of the box; at 100 % the team "
    "decides — extend with a reason, cull, park or select. Nothing extends silently."
)
st.text(project.name)
with st.container(border=True):
    st.markdown("**Baseline to beat** (from the charter):")
    if project.baseline:
        st.text(project.baseline)
    else:
        st.markdown(":orange[not set yet — name it on the Charter page]")
    if project.minimum_useful_performance:
        st.markdown("**Minimum useful performance:**")
        st.text(project.minimum_useful_performance)


# --- What needs the team now ----------------------------------------------------------------
# A form holding a refused save stays here even when its record no longer asks for it.

prompted: set[int] = set()
# A long project can have dozens of boxes due at once: the oldest few open as forms, the rest
# wait in a chooser, so the page stays readable and its rerun does not grow with the project.
OPEN_AT_ONCE = 3


due = sorted(
    (view for view in views if view.due_decision), key=lambda view: view.time_box.overall_end
)
if due:
    st.error(
        f"**{len(due)} time box(es) spent — a decision is required.** Nothing extends silently: "
        "extend with a reason, cull, park or select. Oldest first.",
        icon=":material/alarm:",
    )
decisions = {view.experiment.id: decision_form(view) for view in views}
shown = [view for view in views if decisions[view.experiment.id].stale is not None]
shown += [view for view in due if view not in shown][: max(0, OPEN_AT_ONCE - len(shown))]
picked = more_chooser("decisions due", [view for view in due if view not in shown], pid)
for view in [*shown, *([picked] if picked else [])]:
    prompted.add(view.experiment.id)
    render_decision(decisions[view.experiment.id], view, prompt=True, day=day)
for view in views:
    if view.experiment.id not in prompted and pending_message(decisions[view.experiment.id]):
        decisions[view.experiment.id].messages()

warned = [view for view in views if view.warning]
if warned:
    st.warning(
        f"**{len(warned)} time box(es) past 75 %** — prepare the decision:",
        icon=":material/hourglass_bottom:",
    )
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "Approach": view.experiment.approach,
                    "Burn": view.time_box.burn_percent,
                    "Ends": view.time_box.overall_end,
                }
                for view in sorted(warned, key=lambda view: view.time_box.overall_end)
            ]
        ),
        hide_index=True,
        width="stretch",
        **({} if len(warned) <= 8 else {"height": 300}),
        column_config={
            "Burn": st.column_config.ProgressColumn(
                "Burn", format="%.0f%%", min_value=0, max_value=100
            ),
            "Ends": st.column_config.DateColumn(format="ddd DD MMM"),
        },
    )

reviews = {view.experiment.id: review_form(view) for view in views}
review_due = [view for view in views if view.review_due and not view.due_decision]
open_reviews = [view for view in views if reviews[view.experiment.id].stale is not None]
open_reviews += [view for view in review_due if view not in open_reviews][
    : max(0, OPEN_AT_ONCE - len(open_reviews))
]
picked = more_chooser("reviews due", [view for view in review_due if view not in open_reviews], pid)
for view in [*open_reviews, *([picked] if picked else [])]:
    render_review(reviews[view.experiment.id], view)
for view in views:
    opened = view in open_reviews or view is picked
    if not opened and pending_message(reviews[view.experiment.id]):
        reviews[view.experiment.id].messages()

overview, timeline, work, matrix_tab, new_tab = st.tabs(
    ["Experiments", "Timeline and burn", "Work on one", "Culling matrix & Go/No-Go", "New"],
    key=f"experiments_{pid}_tab",
)

# --- Overview -------------------------------------------------------------------------------


def result_text(experiment: svc.ExperimentPublic) -> str:
    if experiment.result_value is None:
        return ""
    versus = f" vs {experiment.baseline_value:g}" if experiment.baseline_value is not None else ""
    return f"{experiment.metric_name} {experiment.result_value:g}{versus}"


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
                        "Result": result_text(v.experiment),
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
        chosen_key = f"experiments_{pid}_chosen"
        if st.session_state.get(chosen_key) not in by_id:
            st.session_state[chosen_key] = first.experiment.id
        chosen = st.selectbox(
            "Experiment",
            options=list(by_id),
            format_func=lambda experiment_id: by_id[experiment_id].experiment.approach,
            key=chosen_key,
        )
        view = by_id[chosen]
        experiment = view.experiment
        state = view.time_box
        left, right = st.columns([1, 2])
        with left:
            st.plotly_chart(burn_gauge(entries[views.index(view)]), width="stretch", key="gauge")
        with right:
            st.markdown("**Hypothesis**")
            st.text(experiment.hypothesis or "—")
            st.markdown("**Success criterion**")
            st.text(experiment.success_criterion)
            st.markdown(
                f"**Time box:** {state.first_day:%d %b} → research to {state.research_end:%d %b} "
                f"→ prototype to {state.overall_end:%d %b %Y} · **status** "
                f"{experiment.status.value} · **{view.hours_spent:g} h** logged"
            )
            if experiment.decision:
                st.markdown(f"**Decision:** {experiment.decision.value}")
                st.text(f"by {experiment.decided_by}: {experiment.decision_reason}")
            if experiment.parking_lot_item_id:
                st.caption(f"Promoted from parking-lot item #{experiment.parking_lot_item_id}.")
            for extension in view.extensions:
                st.text(
                    f"Extended by {extension.extended_by} from {extension.previous_end:%d %b} "
                    f"to {extension.new_end:%d %b}: {extension.reason}"
                )
            for question, answer in experiment.review_answers.items():
                st.text(f"{question} {answer}")

        render_status(view)
        undecided = experiment.status != svc.ExperimentStatus.DECIDED
        if undecided and experiment.id not in prompted:
            form = decision_form(view)
            with st.expander("Decide before the box ends", expanded=bool(form.errors)):
                render_decision(form, view, prompt=False, day=day)

        st.subheader("Time spent")
        render_time_log(experiment, day)
        logged = svc.list_time_logs(engine(), experiment.id)
        if logged:
            st.dataframe(
                pd.DataFrame(
                    [{"Day": e.day, "Hours": e.hours, "Who": e.who, "Note": e.note} for e in logged]
                ),
                hide_index=True,
                width="stretch",
            )

        st.subheader("Result against the baseline")
        render_result(experiment)
        st.subheader("Edit")
        render_edit(experiment)

# --- Culling matrix and Go/No-Go --------------------------------------------------------------

with matrix_tab:
    st.caption(
        "Experimentation culling (Wilson ch. 3.1.4): score each candidate 1–5 — higher is "
        "better for quality and maintainability, lower is better for complexity and cost — "
        "weigh the criteria, then select one MVP approach or record a No-Go."
    )
    weight_columns = st.columns(len(svc.Criterion))
    weights = {
        criterion.value: column.number_input(
            f"{svc.CRITERION_LABELS[criterion]} weight",
            min_value=0.0,
            max_value=10.0,
            value=1.0,
            step=0.5,
            key=f"matrix_{pid}_weight_{criterion.value}",
        )
        for column, criterion in zip(weight_columns, svc.Criterion, strict=True)
    }
    leaders = render_matrix(pid, views, weights)

    st.subheader("Go/No-Go")
    if phase is Phase.EXPERIMENTATION:
        st.caption(
            "Go moves the project to Development; No-Go moves it back to Scoping & research. "
            "Either ticks the Experimentation gate. You are asked to confirm first."
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
    render_go_no_go(project, views, weights, leaders)
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
    st.caption(
        "For a complex problem Wilson suggests about two weeks of research, then two weeks of "
        "prototyping. State the success criterion against the baseline"
        + (":" if project.baseline else " (name the baseline on the Charter).")
    )
    if project.baseline:
        st.text(project.baseline)
    render_new(pid, day)
