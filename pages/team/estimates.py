"""Cost & value: what the project costs and what it is worth, as ranges from documented formulas;
named scenarios saved per project and compared side by side; an A/B test planner."""

import streamlit as st

from workbench.domain.estimates import DEFAULT_DRAWS
from workbench.domain.money import format_usd
from workbench.errors import InvalidInput
from workbench.services import estimates as svc
from workbench.ui.common import actor, engine, require_project
from workbench.ui.estimates_inputs import InputColumn
from workbench.ui.estimates_results import ab_planner, comparison, results
from workbench.ui.estimates_scenarios import report_choice, save_form, saved_scenarios
from workbench.ui.estimates_state import EstimateState
from workbench.ui.text import markdown_text

detail = require_project()
pid = detail.project.id
report = svc.report_scenario(engine(), pid)
state = EstimateState(pid, opening=report.scenario)  # a new session opens on the report's

st.title("Cost & value")
st.caption(
    f"**{markdown_text(detail.project.name)}** — "
    "what it will cost, and what it is worth. Every number below "
    "can be a range: switch on **Range** to give low / likely / high. Results show the likely "
    f"value and P10–P90 from {DEFAULT_DRAWS:,} seeded draws; the formula behind each input is "
    "in its help (?)."
)

scenarios = svc.list_scenarios(engine(), pid)
report_box = st.container()
with st.container(border=True):
    open_column, save_column = st.columns(2, gap="large")
    with open_column:
        loaded = saved_scenarios(
            state, pid, scenarios, actor(), report.scenario_id if report.chosen else None
        )
    with save_column:
        save_form(state, pid, loaded, actor())
with report_box:
    report_choice(state, pid, report, loaded, actor())

estimate_tab, compare_tab, ab_tab = st.tabs(
    ["Estimate", "Compare scenarios", "A/B test planner"], key=f"estimates_{pid}_tab"
)

with estimate_tab:
    inputs_column, results_column = st.columns([5, 7], gap="large")
    with inputs_column:
        column = InputColumn(state)
        column.render()

    # Validate everything (the domain decides), then show each message next to its input.
    cost, value = state.inputs()
    result = None
    input_errors: dict[str, str] = {}
    try:
        cost_inputs, value_inputs = svc.parse_inputs(cost, value)
        if state.linked:
            value = svc.link_value_costs(cost_inputs, value)
            value_inputs = svc.parse_inputs(cost, value)[1]
        result = svc.estimate(cost_inputs, value_inputs, seed=state.seed)
    except InvalidInput as error:
        input_errors = error.errors
    column.show_errors(input_errors)

    with results_column:
        if result is None:
            st.warning(
                "Some inputs need fixing (marked in red); the results come back when they are "
                "valid.",
                icon=":material/error:",
            )
            for message in input_errors.values():
                st.markdown(f"- {markdown_text(message)}")
        else:
            split = svc.value_costs(result.cost, horizon_months=result.summary.horizon_months)
            st.session_state[state.named("value_costs")] = split
            if state.linked:
                column.linked_caption.caption(
                    f"From the cost estimate: upfront {format_usd(split.upfront_usd)}, run cost "
                    f"{format_usd(split.monthly_run_usd)} a month."
                )
            results(result, state.p)

with compare_tab:
    comparison(engine(), pid, scenarios, state.p)

with ab_tab:
    ab_planner(state.p)
