"""Cost & value: what the project costs and what it is worth, as ranges from documented formulas;
named scenarios saved per project and compared side by side; an A/B test planner."""

import math
from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd
import streamlit as st

from workbench.charts import estimates as charts
from workbench.domain.estimates import (
    AB_TEST_METHODS,
    DEFAULT_DRAWS,
    InvalidEstimateInput,
    ab_test_plan,
)
from workbench.domain.money import format_usd
from workbench.errors import InvalidInput, NotFound, StaleEditError
from workbench.reference.estimates import load_grid_regions, load_hardware
from workbench.services import estimates as svc
from workbench.ui.common import (
    actor,
    data_changed,
    engine,
    field_error,
    require_project,
    show_stale,
)
from workbench.ui.forms import form_errors, set_form_errors

detail = require_project()
pid = detail.project.id
P = f"est{pid}"  # every key of this page is per project
STORE, LOADED, STALE = f"{P}:store", f"{P}:loaded", f"{P}:stale"
ROLES_BASE, ROLES_NOW, ROLES_GEN = f"{P}:roles:base", f"{P}:roles:now", f"{P}:roles:gen"
SAVE_FORM = f"{P}:save"
CUSTOM = "Custom"
ROLE_FIELDS = ("people", "weeks", "weekly_rate_usd")
ROLE_HEADERS = {"people": "People", "weeks": "Weeks", "weekly_rate_usd": "Weekly rate (USD)"}
APPROACHES = {
    "neural": "Neural network (GPUs)",
    "classical": "Classical ML",
    "both": "Both",
}
STEPS = {
    "model_params": 1e8,
    "dataset_tokens": 1e9,
    "peak_tflops": 1.0,
    "gpu_power_w": 10.0,
    "price_per_gpu_hour_usd": 0.1,
    "mfu": 0.05,
    "pue": 0.05,
    "carbon_kg_per_kwh": 0.01,
    "examples_to_label": 1000.0,
    "price_per_label_usd": 0.01,
    "labeling_qa_overhead_fraction": 0.05,
    "cost_per_experiment_run_usd": 10.0,
    "target_utilisation": 0.05,
    "price_per_serving_instance_hour_usd": 0.05,
    "storage_gb": 100.0,
    "price_per_gb_month_usd": 0.001,
    "population_per_month": 1000.0,
    "prevalence": 0.01,
    "precision": 0.05,
    "recall": 0.05,
    "monthly_run_cost_usd": 100.0,
    "upfront_cost_usd": 1000.0,
}
GROUPS = {
    "Experimentation": ("experiments", "runs_per_experiment", "cost_per_experiment_run_usd"),
    "Labeling": (
        "examples_to_label",
        "labels_per_example",
        "price_per_label_usd",
        "labeling_qa_overhead_fraction",
    ),
    "Retraining": ("retrains_per_year",),
    "Serving": (
        "peak_requests_per_second",
        "requests_per_second_per_instance",
        "target_utilisation",
        "min_replicas",
        "price_per_serving_instance_hour_usd",
    ),
    "Storage": ("storage_gb", "price_per_gb_month_usd"),
}
NEURAL_FIELDS = (
    "model_params",
    "dataset_tokens",
    "epochs",
    "mfu",
    "peak_tflops",
    "gpu_power_w",
    "gpus",
    "price_per_gpu_hour_usd",
)
CLASSICAL_FIELDS = ("minutes_per_run", "trials", "folds", "price_per_instance_hour_usd")
VALUE_FIELDS = tuple(name for name in svc.VALUE_INPUTS if name != "horizon_months")
RANGE_HELP = (
    "Switch on Range to give low / likely / high: the simulation draws the input from a "
    "triangular distribution on [low, high] peaked at likely."
)


@st.cache_data(show_spinner=False)
def reference_tables():
    """The GPU and grid-region tables under data/ (edited by the team, read once)."""
    return load_hardware(), load_grid_regions()


hardware, regions = reference_tables()


def row_format(row: str) -> Callable[[float], str]:
    """How one row of the comparison table is written."""
    if "USD" in row:
        return format_usd
    patterns = {
        "Break-even precision": "{:.3f}",
        "ROI": "{:.0%}",
        "Payback": "{:,.1f}",
        "Horizon": "{:g}",
    }
    pattern = next((p for start, p in patterns.items() if row.startswith(start)), None)
    if pattern is None:
        pattern = "{:,.1f}" if "CO2" in row else "{:,.0f}" if "GPU" in row else "{:.0f}"
    return lambda figure: "never" if math.isnan(figure) else pattern.format(figure)


# --- widget state <-> inputs --------------------------------------------------------------------


def key(spec_key: str, part: str = "") -> str:
    """The session-state key of an input's widget (part: "", "ranged", "low" or "high")."""
    return f"{P}:{spec_key}" + (f":{part}" if part else "")


def widget_values(cost: Mapping[str, Any], value: Mapping[str, Any], seed: int) -> dict:
    """Every widget's state for a set of inputs (``to_dict()`` forms) and a seed."""
    starter_cost, starter_value = (inputs.to_dict() for inputs in svc.starter_inputs())
    linked = svc.is_linked(cost, value)
    cost = {**starter_cost, **cost}
    value = {**starter_value, **value}
    approach = "neural"
    if _likely(cost["minutes_per_run"]) > 0:
        approach = "both" if _likely(cost["model_params"]) > 0 else "classical"
    if approach == "classical":  # keep a sensible neural setup behind the switch
        cost["model_params"] = starter_cost["model_params"]
    if approach == "neural" and _likely(cost["minutes_per_run"]) == 0:
        cost["minutes_per_run"] = 10.0
    values: dict[str, Any] = {}
    for specs, data in ((svc.COST_INPUTS, cost), (svc.VALUE_INPUTS, value)):
        for name, spec in specs.items():
            item = data[name]
            ranged = isinstance(item, Mapping)
            likely = float(item["likely"] if ranged else item)
            values[key(spec.key)] = likely
            values[key(spec.key, "ranged")] = ranged
            values[key(spec.key, "low")] = float(item["low"]) if ranged else likely
            values[key(spec.key, "high")] = float(item["high"]) if ranged else likely
    gpu = svc.matching_gpu(
        hardware,
        peak_tflops=_likely(cost["peak_tflops"]),
        power_w=_likely(cost["gpu_power_w"]),
    )
    region = svc.matching_region(regions, carbon_kg_per_kwh=_likely(cost["carbon_kg_per_kwh"]))
    values[f"{P}:approach"] = approach
    values[f"{P}:link"] = linked
    values[f"{P}:gpu"] = gpu.name if gpu else CUSTOM
    values[f"{P}:region"] = region.name if region else CUSTOM
    values[f"{P}:seed"] = int(seed)
    values[f"{P}:roles:ranged"] = any(
        isinstance(role.get(field), Mapping) for role in cost["roles"] for field in ROLE_FIELDS
    )
    return values


def _likely(item: Any) -> float:
    return float(item["likely"] if isinstance(item, Mapping) else item)


def apply_values(values: Mapping[str, Any], roles: list) -> None:
    """Put a whole set of inputs into the widgets (used by load and start-over)."""
    st.session_state[STORE] = dict(values)
    for name, item in values.items():
        st.session_state[name] = item
    st.session_state[ROLES_BASE] = list(roles)
    st.session_state[ROLES_NOW] = list(roles)
    st.session_state[ROLES_GEN] = st.session_state.get(ROLES_GEN, 0) + 1


def start_over() -> None:
    """Back to the starter inputs (on the GPU chosen now), with nothing loaded."""
    gpu_name = st.session_state[STORE].get(f"{P}:gpu", CUSTOM)
    gpu = hardware.get(gpu_name) if gpu_name != CUSTOM else hardware.entries[0]
    cost, value = svc.starter_inputs(gpu)
    apply_values(
        widget_values(cost.to_dict(), value.to_dict(), svc.DEFAULT_SEED), cost.to_dict()["roles"]
    )
    st.session_state[LOADED] = None
    st.session_state.pop(STALE, None)


def load_scenario(scenario_id: int | None) -> None:
    """Fill the inputs with a saved scenario and remember which one is being edited."""
    if scenario_id is None:
        return
    try:
        scenario = svc.get_scenario(engine(), scenario_id)
    except NotFound as error:
        st.session_state[f"{P}:load_error"] = str(error)
        return
    apply_values(
        widget_values(scenario.cost_inputs, scenario.value_inputs, scenario.seed),
        scenario.cost_inputs["roles"],
    )
    st.session_state[LOADED] = {
        "id": scenario.id,
        "name": scenario.name,
        "version": scenario.version,
    }
    st.session_state[f"{SAVE_FORM}:name"] = scenario.name
    st.session_state[f"{SAVE_FORM}:notes"] = scenario.notes
    st.session_state.pop(STALE, None)
    set_form_errors(SAVE_FORM, None)


if STORE not in st.session_state:
    first_cost, first_value = svc.starter_inputs(hardware.entries[0])
    apply_values(
        widget_values(first_cost.to_dict(), first_value.to_dict(), svc.DEFAULT_SEED),
        first_cost.to_dict()["roles"],
    )
    st.session_state[LOADED] = None
store: dict[str, Any] = st.session_state[STORE]


def remember(*names: str) -> None:
    """Give widgets their remembered value when Streamlit forgot it (hidden, or another page)."""
    for name in names:
        if name not in st.session_state:
            st.session_state[name] = store[name]


def keep(*names: str) -> None:
    """Remember what the widgets hold now."""
    for name in names:
        store[name] = st.session_state[name]


slots: dict[str, Any] = {}


def number(spec: svc.InputSpec, step: float | None = None) -> Any:
    """One numeric input, with a Range switch that adds low and high; returns its JSON value."""
    main, ranged_key, low_key, high_key = (key(spec.key, p) for p in ("", "ranged", "low", "high"))
    remember(main, ranged_key, low_key, high_key)
    bounds = {"min_value": spec.minimum, "max_value": spec.maximum, "step": step, "format": "%g"}
    left, right = st.columns([5, 2], vertical_alignment="bottom")
    ranged = right.toggle("Range", key=ranged_key)
    likely = left.number_input(
        spec.label,
        key=main,
        help=f"{spec.help}\n\nValid: {spec.requirement}.\n\n{RANGE_HELP}"
        + (" With Range on, this is the likely value." if ranged else ""),
        **bounds,
    )
    result: Any = likely
    if ranged:
        low_column, high_column = st.columns(2)
        low = low_column.number_input(f"{spec.label}: low", key=low_key, **bounds)
        high = high_column.number_input(f"{spec.label}: high", key=high_key, **bounds)
        result = {"low": low, "likely": likely, "high": high}
        keep(low_key, high_key)
    keep(main, ranged_key)
    figures = [result["low"], likely, result["high"]] if ranged else [likely]
    if max(abs(figure) for figure in figures) >= 1e6:
        st.caption("= " + " / ".join(in_words(figure) for figure in figures))
    slots[spec.key] = st.empty()
    return result


def in_words(figure: float) -> str:
    """A large count for people: 350 million, 1.3 billion."""
    for size, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if abs(figure) >= size:
            return f"{figure / size:,.4g} {word}"
    return f"{figure:,.4g}"


def cost_number(name: str) -> Any:
    """A cost-model input (see ``number``)."""
    return number(svc.COST_INPUTS[name], STEPS.get(name, 1.0))


def choose_gpu() -> None:
    """Fill peak, power and default price from the chosen GPU (fixed values)."""
    name = st.session_state[f"{P}:gpu"]
    if name == CUSTOM:
        return
    gpu = hardware.get(name)
    for field, figure in (
        ("peak_tflops", gpu.peak_dense_16bit_tflops),
        ("gpu_power_w", gpu.board_power_w),
        ("price_per_gpu_hour_usd", gpu.price_per_gpu_hour_usd),
    ):
        for part in ("", "low", "high"):
            st.session_state[key(f"cost.{field}", part)] = float(figure)
        st.session_state[key(f"cost.{field}", "ranged")] = False


def choose_region() -> None:
    """Fill the grid intensity from the chosen region (a fixed value)."""
    name = st.session_state[f"{P}:region"]
    if name == CUSTOM:
        return
    figure = float(regions.get(name).carbon_kg_per_kwh)
    for part in ("", "low", "high"):
        st.session_state[key("cost.carbon_kg_per_kwh", part)] = figure
    st.session_state[key("cost.carbon_kg_per_kwh", "ranged")] = False


def unlink_value_costs() -> None:
    """When the link to the cost estimate is switched off, start from the linked figures."""
    split = st.session_state.get(f"{P}:value_costs")
    if st.session_state[f"{P}:link"] or split is None:
        return
    for field, figure in (
        ("upfront_cost_usd", split.upfront_usd),
        ("monthly_run_cost_usd", split.monthly_run_usd),
    ):
        for part in ("", "low", "high"):
            st.session_state[key(f"value.{field}", part)] = float(round(figure))
        st.session_state[key(f"value.{field}", "ranged")] = False


def toggle_role_ranges() -> None:
    """Rebuild the people table with (or without) low/high columns, keeping its rows."""
    st.session_state[ROLES_BASE] = list(st.session_state.get(ROLES_NOW, []))
    st.session_state[ROLES_GEN] = st.session_state.get(ROLES_GEN, 0) + 1


def roles_frame(roles: list, ranged: bool) -> pd.DataFrame:
    """The people table's rows: likely values, plus low and high columns when ranged."""
    rows = []
    for role in roles:
        row: dict[str, Any] = {"role": role.get("role", "")}
        for field in ROLE_FIELDS:
            item = role.get(field, 0.0)
            likely = _likely(item)
            if ranged:
                row[f"{field}_low"] = float(item["low"]) if isinstance(item, Mapping) else likely
            row[field] = likely
            if ranged:
                row[f"{field}_high"] = float(item["high"]) if isinstance(item, Mapping) else likely
        rows.append(row)
    columns = ["role"] + [
        column
        for field in ROLE_FIELDS
        for column in ((f"{field}_low", field, f"{field}_high") if ranged else (field,))
    ]
    return pd.DataFrame(rows, columns=columns)


def _cell(value: Any) -> float | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return float(value)


def roles_from_frame(frame: pd.DataFrame, ranged: bool) -> list[dict]:
    """The people table as the cost model's roles; blank low/high mean a fixed value."""
    roles = []
    for row in frame.to_dict("records"):
        name = row.get("role")
        name = "" if name is None or (isinstance(name, float) and math.isnan(name)) else str(name)
        cells = {column: _cell(row.get(column)) for column in row if column != "role"}
        if not name.strip() and all(cell is None for cell in cells.values()):
            continue  # a blank row of the editable table is not an entry
        role: dict[str, Any] = {"role": name}
        for field in ROLE_FIELDS:
            likely = cells.get(field)
            low, high = cells.get(f"{field}_low"), cells.get(f"{field}_high")
            low = likely if low is None else low
            high = likely if high is None else high
            if ranged and likely is not None and (low, high) != (likely, likely):
                role[field] = {"low": low, "likely": likely, "high": high}
            else:
                role[field] = likely
        roles.append(role)
    return roles


def hidden_value(name: str) -> Any:
    """A cost input whose widget is hidden by the training choice, as last entered."""
    main = key(f"cost.{name}")
    if not store[key(f"cost.{name}", "ranged")]:
        return store[main]
    return {"low": store[f"{main}:low"], "likely": store[main], "high": store[f"{main}:high"]}


# --- page -----------------------------------------------------------------------------------------

st.title("Cost & value")
st.caption(
    f"**{detail.project.name}** — what it will cost, and what it is worth. Every number below "
    "can be a range: switch on **Range** to give low / likely / high. Results show the likely "
    f"value and P10–P90 from {DEFAULT_DRAWS:,} seeded draws; the formula behind each input is "
    "in its help (?)."
)

scenarios = svc.list_scenarios(engine(), pid)
names = {scenario.id: scenario.name for scenario in scenarios}
loaded = st.session_state.get(LOADED)
if loaded and loaded["id"] not in names:
    loaded = st.session_state[LOADED] = None
save_errors = form_errors(SAVE_FORM)

with st.container(border=True):
    open_column, save_column = st.columns(2, gap="large")
    with open_column:
        st.markdown("**Saved scenarios**")
        if scenarios:
            picked = st.selectbox(
                "Saved scenario",
                options=list(names),
                format_func=names.get,
                index=None,
                placeholder=f"{len(scenarios)} saved: choose one",
                key=f"{P}:pick",
            )
            buttons = st.columns(2)
            buttons[0].button(
                "Load",
                on_click=load_scenario,
                args=(picked,),
                disabled=picked is None,
                icon=":material/file_open:",
                help="Put the scenario's inputs into the fields below.",
            )
            delete = buttons[1].button(
                "Delete", disabled=picked is None, icon=":material/delete:", key=f"{P}:delete"
            )
            if delete and picked is not None:
                try:
                    svc.delete_scenario(engine(), project_id=pid, scenario_id=picked, actor=actor())
                except (InvalidInput, NotFound) as error:
                    st.error(str(error))
                else:
                    data_changed()
                    st.toast(f"Deleted scenario {names[picked]!r} (the activity log keeps it).")
                    st.rerun()
        else:
            st.caption("None yet: set the inputs below, then save them under a name.")
        st.button(
            "Start over from the defaults",
            on_click=start_over,
            icon=":material/restart_alt:",
            key=f"{P}:reset",
        )
        if load_error := st.session_state.pop(f"{P}:load_error", None):
            st.error(load_error)
        if loaded:
            st.info(
                f"Editing **{loaded['name']}** (version {loaded['version']}). Changes stay here "
                "until you update it or save them as a new scenario.",
                icon=":material/edit_note:",
            )
    with save_column, st.form(SAVE_FORM, border=False):
        st.markdown("**Save these inputs**")
        st.text_input("Scenario name", key=f"{SAVE_FORM}:name", max_chars=svc.NAME_MAX)
        field_error(save_errors, "name")
        st.text_input("Notes", key=f"{SAVE_FORM}:notes", placeholder="what this scenario assumes")
        field_error(save_errors, "notes")
        field_error(save_errors, "actor")
        field_error(save_errors, "seed")
        field_error(save_errors, "inputs")
        submit = st.columns(2)
        save_new = submit[0].form_submit_button("Save as new scenario", type="primary")
        save_update = (
            submit[1].form_submit_button(f"Update “{loaded['name']}”") if loaded else False
        )

stale = st.session_state.get(STALE)
if stale is not None:
    show_stale(stale)
    stale_buttons = st.columns(2)
    stale_buttons[0].button(
        "Discard my inputs and load the newer version",
        on_click=load_scenario,
        args=(stale.current.id,),
    )
    if stale_buttons[1].button("Keep my inputs (I have reviewed the newer values)"):
        st.session_state[LOADED] = {
            "id": stale.current.id,
            "name": stale.current.name,
            "version": stale.current.version,
        }
        st.session_state.pop(STALE, None)
        st.rerun()

estimate_tab, compare_tab, ab_tab = st.tabs(["Estimate", "Compare scenarios", "A/B test planner"])

with estimate_tab:
    inputs_column, results_column = st.columns([5, 7], gap="large")

with inputs_column:
    cost: dict[str, Any] = {}
    value: dict[str, Any] = {}
    with st.expander("Horizon and simulation", expanded=True, icon=":material/tune:"):
        cost["horizon_months"] = cost_number("horizon_months")
        remember(f"{P}:seed")
        seed = st.number_input(
            "Seed",
            key=f"{P}:seed",
            min_value=0,
            max_value=svc.SEED_MAX,
            step=1,
            help=f"The simulation draws {DEFAULT_DRAWS:,} times from numpy's generator with this "
            "seed: the same inputs and seed always give the same P10/P50/P90.",
        )
        keep(f"{P}:seed")
        slots["seed"] = st.empty()

    with st.expander("Training", expanded=True, icon=":material/model_training:"):
        remember(f"{P}:approach", f"{P}:gpu")
        approach = st.radio(
            "What is trained",
            options=list(APPROACHES),
            format_func=APPROACHES.get,
            horizontal=True,
            key=f"{P}:approach",
            help="Neural: 6·N·D FLOPs on GPUs. Classical ML: the measured time of one fit × "
            "trials × folds on an instance. Both: the sum.",
        )
        keep(f"{P}:approach")
        if approach in ("neural", "both"):
            gpu_name = st.selectbox(
                "GPU",
                options=[*hardware.names, CUSTOM],
                key=f"{P}:gpu",
                on_change=choose_gpu,
                help="From data/hardware.toml (the team may edit it): sets peak dense 16-bit "
                "TFLOP/s, board power and the default price per GPU-hour.",
            )
            keep(f"{P}:gpu")
            if gpu_name != CUSTOM:
                gpu = hardware.get(gpu_name)
                st.caption(
                    f"{gpu.name}: {gpu.peak_dense_16bit_tflops:g} TFLOP/s dense 16-bit, "
                    f"{gpu.board_power_w:g} W; default price ${gpu.price_per_gpu_hour_usd:g} per "
                    f"GPU-hour ({gpu.price_source}, {gpu.price_date}). "
                    + (gpu.notes + " " if gpu.notes else "")
                    + "Edit any of them below."
                )
            for name in NEURAL_FIELDS:
                cost[name] = cost_number(name)
        if approach in ("classical", "both"):
            for name in CLASSICAL_FIELDS:
                cost[name] = cost_number(name)

    for group, group_fields in GROUPS.items():
        with st.expander(group, icon=":material/calculate:"):
            for name in group_fields:
                cost[name] = cost_number(name)

    with st.expander("People", icon=":material/groups:"):
        remember(f"{P}:roles:ranged")
        roles_ranged = st.toggle(
            "Give people, weeks and rates as ranges",
            key=f"{P}:roles:ranged",
            on_change=toggle_role_ranges,
            help=RANGE_HELP + " Leave low or high blank for a fixed value.",
        )
        keep(f"{P}:roles:ranged")
        generation = st.session_state.get(ROLES_GEN, 0)
        editor_key = f"{P}:roles:editor:{generation}"
        if editor_key not in st.session_state:  # a fresh editor starts from the last rows seen
            st.session_state[ROLES_BASE] = list(st.session_state.get(ROLES_NOW, []))
        column_config: dict[str, Any] = {"role": st.column_config.TextColumn("Role", required=True)}
        for field, header in ROLE_HEADERS.items():
            for column, title in (
                (field, header + (" (likely)" if roles_ranged else "")),
                (f"{field}_low", f"{header}: low"),
                (f"{field}_high", f"{header}: high"),
            ):
                column_config[column] = st.column_config.NumberColumn(
                    title, min_value=0.0, format="%g", width="small"
                )
        edited = st.data_editor(
            roles_frame(st.session_state[ROLES_BASE], roles_ranged),
            key=editor_key,
            num_rows="dynamic",
            hide_index=True,
            width="stretch",
            column_config=column_config,
        )
        cost["roles"] = roles_from_frame(edited, roles_ranged)
        st.session_state[ROLES_NOW] = cost["roles"]
        st.caption(
            "People = Σ people × weeks × weekly rate, per role. Use a fully loaded weekly rate "
            "(salary and overhead), as agreed with finance."
        )
        slots["cost.roles"] = st.empty()

    with st.expander("CO2 of training", icon=":material/eco:"):
        remember(f"{P}:region")
        region_name = st.selectbox(
            "Grid region",
            options=[*regions.names, CUSTOM],
            key=f"{P}:region",
            on_change=choose_region,
            help="From data/grid_regions.toml (the team may edit it): sets the grid intensity.",
        )
        keep(f"{P}:region")
        if region_name != CUSTOM:
            region = regions.get(region_name)
            st.caption(
                f"{region.name}: {region.carbon_kg_per_kwh:g} kg CO2e/kWh — {region.source}."
                + (f" {region.notes}" if region.notes else "")
            )
        cost["carbon_kg_per_kwh"] = cost_number("carbon_kg_per_kwh")
        cost["pue"] = cost_number("pue")
        st.caption(
            "Energy = GPU-hours × power × PUE; CO2 = energy × intensity. The defaults follow "
            "CodeCarbon and ML CO2 Impact: PUE 1.0, no overhead on the board power. The LLaMA "
            "paper used PUE 1.1; Meta's Llama 2 figures fold the overhead into the power."
        )

    with st.expander("Out-of-hours shutdown", icon=":material/schedule:"):
        cost["hours_on_per_week"] = cost_number("hours_on_per_week")
        st.caption(
            "Saving = serving compute × (1 − hours on per week / 168); storage keeps billing. "
            "168 = always on; weekdays 08:00–18:00 = 50 (about 70 % saved)."
        )

    with st.expander("Value", expanded=True, icon=":material/savings:"):
        remember(f"{P}:link")
        linked = st.toggle(
            "Upfront and run cost from the cost estimate",
            key=f"{P}:link",
            on_change=unlink_value_costs,
            help="Upfront = training + experimentation + labeling + people; run cost a month = "
            "(retraining + serving + storage − out-of-hours saving) / horizon; likely values. "
            "Switch off to type your own.",
        )
        keep(f"{P}:link")
        linked_caption = st.empty()
        for name in VALUE_FIELDS:
            if not (linked and name in svc.LINKED_VALUE_FIELDS):
                value[name] = number(svc.VALUE_INPUTS[name], STEPS.get(name, 1.0))
        value["horizon_months"] = cost["horizon_months"]


if approach == "neural":  # switch the classical part off (and keep what was entered for it)
    cost |= {name: hidden_value(name) for name in CLASSICAL_FIELDS} | {"minutes_per_run": 0.0}
elif approach == "classical":
    cost |= {name: hidden_value(name) for name in NEURAL_FIELDS} | {"model_params": 0.0}

# Validate everything (the domain decides), then show each message next to its input.
result = None
input_errors: dict[str, str] = {}
try:
    cost_inputs, value_inputs = svc.parse_inputs(cost, value)
    if linked:
        value = svc.link_value_costs(cost_inputs, value)
        value_inputs = svc.parse_inputs(cost, value)[1]
    result = svc.estimate(cost_inputs, value_inputs, seed=int(seed))
except InvalidInput as error:
    input_errors = error.errors
for field, message in input_errors.items():
    slot_key = "cost.roles" if field.startswith("cost.roles") else field
    if slot_key in slots:
        slots[slot_key].markdown(f":red[⚠ {message}]")

with results_column:
    if result is None:
        st.warning(
            "Some inputs need fixing (marked in red); the results come back when they are valid.",
            icon=":material/error:",
        )
        for message in input_errors.values():
            st.markdown(f"- {message}")
    else:
        summary = result.summary
        split = svc.value_costs(result.cost, horizon_months=summary.horizon_months)
        st.session_state[f"{P}:value_costs"] = split
        if linked:
            linked_caption.caption(
                f"From the cost estimate: upfront {format_usd(split.upfront_usd)}, run cost "
                f"{format_usd(split.monthly_run_usd)} a month."
            )
        total = summary.total
        net = summary.value["net_value_usd"]
        months = f"{summary.horizon_months:g} months"
        st.markdown(f"**Cost over {months}**")
        row = st.columns(3)
        row[0].metric(
            "Total cost, likely",
            format_usd(result.cost.total_usd),
            help="Every input at its likely value; the sum of the lines below.",
        )
        spread_help = (
            f"8 in 10 of the {summary.draws:,} simulated totals fall between P10 and P90 "
            f"(seed {summary.seed})."
        )
        row[1].metric("P10 (low end)", format_usd(total.p10), help=spread_help)
        row[2].metric("P90 (high end)", format_usd(total.p90), help=spread_help)
        st.caption(
            f"Median (P50) {format_usd(total.p50)} over {summary.draws:,} draws with seed "
            f"{summary.seed}; P50 sits above the likely value when the ranges lean upwards."
        )

        st.markdown("**Value**")
        row = st.columns(3)
        row[0].metric(
            "Net value a month",
            format_usd(result.value.net_value_usd),
            help=f"Likely. {svc.VALUE_FORMULA}",
        )
        row[1].metric(
            "Net value a year", format_usd(summary.net_value_per_year.likely), help="× 12."
        )
        row[2].metric(
            "Payback (months)",
            "never" if summary.payback_months is None else f"{summary.payback_months:.1f}",
            help=svc.PAYBACK_FORMULA,
        )
        row = st.columns(3)
        row[0].metric(
            "Break-even precision",
            f"{summary.break_even_precision:.3f}",
            help="Acting on a flagged case pays when precision is above cost of a FP / "
            "(benefit + cost of a FN + cost of a FP) (Elkan 2001).",
        )
        row[1].metric(
            f"ROI over {months}",
            "—" if summary.roi is None else f"{summary.roi:.0%}",
            help=svc.PAYBACK_FORMULA,
        )
        row[2].metric(
            f"Net benefit, {months}",
            format_usd(summary.value["horizon_net_benefit_usd"].likely),
            help="(Net value − run cost) a month × horizon − upfront cost; likely.",
        )
        st.caption(
            f"Net value a month: P10 {format_usd(net.p10)} – P90 {format_usd(net.p90)}. "
            "Against acting on no one; acting on everyone would be worth "
            f"{format_usd(result.value.act_on_everyone_net_value_usd)} a month."
        )

        st.markdown("**One training run**")
        row = st.columns(3)
        row[0].metric(
            "GPU-hours",
            f"{result.cost.training_gpu_hours:,.0f}",
            help=f"Training FLOPs = 6 · N · D; {svc.GPU_HOURS_FORMULA}.",
        )
        row[1].metric(
            "Wall-clock days",
            f"{result.cost.training_wall_clock_days:,.1f}",
            help="GPU-hours / GPUs / 24.",
        )
        row[2].metric("CO2 (kg)", f"{result.cost.training_co2_kg:,.1f}", help=svc.CO2_FORMULA)

        breakdown_tab, tornado_tab, spread_tab = st.tabs(
            ["Cost breakdown", "What moves the result", "Spread of the total"]
        )
        with breakdown_tab:
            st.plotly_chart(
                charts.cost_breakdown(
                    result.cost,
                    result.cost_simulation,
                    labels=svc.LINE_LABELS,
                    horizon_months=summary.horizon_months,
                ),
                key=f"{P}:chart:breakdown",
            )
        with tornado_tab:
            target = st.radio(
                "Sensitivity of",
                options=["Total cost", "Net value per month"],
                horizontal=True,
                key=f"{P}:tornado_target",
            )
            bars = result.cost_tornado if target == "Total cost" else result.value_tornado
            if bars:
                st.plotly_chart(charts.tornado(bars, output_label=target), key=f"{P}:chart:tornado")
                st.caption(
                    "Each bar moves one ranged input to its low and to its high, the others at "
                    "their likely values; the longest bar matters most."
                )
            else:
                st.info("Give some inputs as ranges to see which one moves this result most.")
        with spread_tab:
            st.plotly_chart(
                charts.total_distribution(result.total_draws, total), key=f"{P}:chart:spread"
            )

# Saving needs the inputs read above, so the form's buttons are handled here.
if save_new or save_update:
    try:
        if save_update:
            saved = svc.update_scenario(
                engine(),
                scenario_id=loaded["id"],
                expected_version=loaded["version"],
                actor=actor(),
                name=st.session_state[f"{SAVE_FORM}:name"],
                notes=st.session_state[f"{SAVE_FORM}:notes"],
                cost_inputs=cost,
                value_inputs=value,
                seed=int(seed),
            )
        else:
            saved = svc.save_scenario(
                engine(),
                project_id=pid,
                name=st.session_state[f"{SAVE_FORM}:name"],
                notes=st.session_state[f"{SAVE_FORM}:notes"],
                cost_inputs=cost,
                value_inputs=value,
                seed=int(seed),
                actor=actor(),
            )
    except InvalidInput as error:
        messages = {k: v for k, v in error.errors.items() if not k.startswith(("cost.", "value."))}
        if len(messages) < len(error.errors):
            messages["inputs"] = "Not saved: fix the inputs marked in red first."
        set_form_errors(SAVE_FORM, messages)
        st.rerun()
    except StaleEditError as error:
        set_form_errors(SAVE_FORM, None)
        st.session_state[STALE] = error
        st.rerun()
    except NotFound as error:
        set_form_errors(SAVE_FORM, {"name": f"{error} Save it as a new scenario instead."})
        st.session_state[LOADED] = None
        st.rerun()
    else:
        set_form_errors(SAVE_FORM, None)
        st.session_state[LOADED] = {"id": saved.id, "name": saved.name, "version": saved.version}
        st.session_state.pop(STALE, None)
        data_changed()
        st.toast(f"Saved scenario {saved.name!r}.", icon=":material/check_circle:")
        st.rerun()

with compare_tab:
    if len(scenarios) < 2:
        st.info("Save at least two scenarios to compare them side by side.")
    else:
        chosen = st.multiselect(
            "Scenarios to compare",
            options=list(names),
            default=list(names)[:6],
            format_func=names.get,
            key=f"{P}:compare:{'-'.join(map(str, names))}",
        )
        if chosen:
            table = svc.compare_scenarios(engine(), project_id=pid, scenario_ids=chosen)
            styled = table.style
            for row in table.index:
                styled = styled.format(row_format(row), subset=pd.IndexSlice[[row], :])
            st.dataframe(
                styled,
                width="stretch",
                height=35 * (len(table) + 1) + 3,
                column_config={"_index": st.column_config.Column("Result", width="large")},
            )
            by_id = {scenario.id: scenario for scenario in scenarios}
            st.plotly_chart(
                charts.scenario_comparison(
                    {by_id[i].name: by_id[i].results.total for i in chosen},
                    {
                        by_id[i].name: by_id[i].results.value["horizon_net_benefit_usd"]
                        for i in chosen
                    },
                ),
                key=f"{P}:chart:compare",
            )
            st.caption(
                "Net benefit over the horizon = (net value − run cost) per month × horizon − "
                "upfront. Each scenario's numbers were computed with its own seed when saved."
            )

with ab_tab:
    st.caption(
        "Sample size per variant for a two-sided test of two proportions, always rounded up; "
        "duration = ⌈n × variants / (eligible daily traffic × share in the test)⌉."
    )
    ab = f"{P}:ab"
    columns = st.columns(4)
    baseline = columns[0].number_input(
        "Baseline rate",
        min_value=0.0,
        max_value=1.0,
        value=0.10,
        step=0.01,
        format="%g",
        key=f"{ab}.baseline",
        help="Conversion rate of the control, p₁ (0–1).",
    )
    target_rate = columns[1].number_input(
        "Target rate",
        min_value=0.0,
        max_value=1.0,
        value=0.12,
        step=0.01,
        format="%g",
        key=f"{ab}.target",
        help="The treatment's rate you want to detect, p₂ (0–1).",
    )
    alpha = columns[2].number_input(
        "Significance level α",
        min_value=0.001,
        max_value=0.5,
        value=0.05,
        step=0.01,
        format="%g",
        key=f"{ab}.alpha",
        help="Two-sided.",
    )
    power = columns[3].number_input(
        "Power 1 − β",
        min_value=0.5,
        max_value=0.999,
        value=0.8,
        step=0.05,
        format="%g",
        key=f"{ab}.power",
    )
    columns = st.columns(4)
    method = columns[0].selectbox(
        "Method",
        options=list(AB_TEST_METHODS),
        format_func={
            "pooled": "Pooled (R power.prop.test)",
            "cohen-h": "Cohen's h",
            "baseline-variance": "Baseline variance",
        }.get,
        key=f"{ab}.method",
        help="Pooled (default): n = (z₁₋α/₂·√(2p̄(1−p̄)) + z₁₋β·√(p₁(1−p₁)+p₂(1−p₂)))² / (p₂−p₁)², "
        "as R's power.prop.test. Cohen's h: n = 2((z₁₋α/₂+z₁₋β)/h)², "
        "h = 2·asin√p₂ − 2·asin√p₁. Baseline variance: both groups with p₁'s variance.",
    )
    traffic = columns[1].number_input(
        "Eligible daily traffic",
        min_value=0.0,
        value=1000.0,
        step=100.0,
        format="%g",
        key=f"{ab}.traffic",
        help="Units (users, sessions) a day who could enter the test.",
    )
    variants = columns[2].number_input(
        "Variants (with control)", min_value=1, value=2, step=1, key=f"{ab}.variants"
    )
    share = columns[3].number_input(
        "Share of traffic in the test",
        min_value=0.0,
        max_value=1.0,
        value=1.0,
        step=0.1,
        format="%g",
        key=f"{ab}.share",
    )
    try:
        plan = ab_test_plan(
            baseline_rate=baseline,
            target_rate=target_rate,
            alpha=alpha,
            power=power,
            method=method,
            daily_traffic=traffic,
            variants=int(variants),
            share_in_test=share,
        )
    except InvalidEstimateInput as error:
        st.error(f"{error}.")
    else:
        row = st.columns(3)
        row[0].metric(
            "Per variant", f"{plan.n_per_variant:,}", help=f"Exact: {plan.n_per_variant_exact:,.1f}"
        )
        row[1].metric("In total", f"{plan.n_total:,}")
        row[2].metric("Days", f"{plan.days:,}" if plan.days is not None else "—")
