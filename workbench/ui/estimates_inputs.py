"""The Cost & value page's input column: every input with its Range switch, grouped in
expanders, the GPU and region pickers, the people table and the value model's link to the cost
estimate. The widgets only hold the inputs; `EstimateState.inputs` reads them back."""

from __future__ import annotations

from typing import Any

import streamlit as st

from workbench.domain.estimates import DEFAULT_DRAWS
from workbench.services import estimates as svc
from workbench.ui.estimates_state import (
    CLASSICAL_FIELDS,
    CUSTOM,
    NEURAL_FIELDS,
    EstimateState,
    literal,
)

ROLE_HEADERS = {"people": "People", "weeks": "Weeks", "weekly_rate_usd": "Weekly rate (USD)"}
APPROACHES = {"neural": "Neural network (GPUs)", "classical": "Classical ML", "both": "Both"}
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
VALUE_FIELDS = tuple(name for name in svc.VALUE_INPUTS if name != "horizon_months")
RANGE_HELP = (
    "Switch on Range to give low / likely / high: the simulation draws the input from a "
    "triangular distribution on [low, high] peaked at likely."
)


def valid_text(spec: svc.InputSpec) -> str:
    """The input's valid interval for its help, with the reason of a plausible bound."""
    return f"Valid: {spec.requirement}" + (f" ({spec.why})." if spec.why else ".")


def in_words(figure: float) -> str:
    """A large count for people: 350 million, 1.3 billion."""
    for size, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if abs(figure) >= size:
            return f"{figure / size:,.4g} {word}"
    return f"{figure:,.4g}"


class InputColumn:
    """Renders the inputs; `slots` holds a place under each input for its validation message."""

    def __init__(self, state: EstimateState) -> None:
        self.state = state
        self.slots: dict[str, Any] = {}
        self.linked_caption: Any = None

    def number(self, spec: svc.InputSpec, step: float | None = None) -> None:
        """One numeric input, with a Range switch that adds low and high."""
        state = self.state
        main, ranged_key, low_key, high_key = (
            state.key(spec.key, part) for part in ("", "ranged", "low", "high")
        )
        state.remember(main, ranged_key, low_key, high_key)
        # A value stored before today's plausible bounds (an old scenario) still shows, so the
        # refusal beside it can say what to fix; new values stay within the bounds.
        held = [state.current(name) for name in (main, low_key, high_key)]
        held = [float(value) for value in held if isinstance(value, int | float)]
        bounds = {
            "min_value": None if spec.minimum is None else min([spec.minimum, *held]),
            "max_value": None if spec.maximum is None else max([spec.maximum, *held]),
            "step": step,
            "format": "%g",
        }
        left, right = st.columns([5, 2], vertical_alignment="bottom")
        ranged = right.toggle(
            "Range", key=ranged_key, on_change=state.range_toggled, args=(spec.key,)
        )
        likely = left.number_input(
            spec.label,
            key=main,
            help=f"{spec.help}\n\n{valid_text(spec)}\n\n{RANGE_HELP}"
            + (" With Range on, this is the likely value." if ranged else ""),
            on_change=state.likely_changed,
            args=(spec.key,),
            **bounds,
        )
        figures = [likely]
        if ranged:
            low_column, high_column = st.columns(2)
            low = low_column.number_input(
                f"{spec.label}: low",
                key=low_key,
                on_change=state.end_changed,
                args=(spec.key, "low"),
                **bounds,
            )
            high = high_column.number_input(
                f"{spec.label}: high",
                key=high_key,
                on_change=state.end_changed,
                args=(spec.key, "high"),
                **bounds,
            )
            figures = [low, likely, high]
            state.keep(low_key, high_key)
        state.keep(main, ranged_key)
        if max(abs(figure) for figure in figures) >= 1e6:
            st.caption("= " + " / ".join(in_words(figure) for figure in figures))
        if note := state.take_note(spec.key):
            st.caption(f":orange[⚠] {literal(note)}")
        self.slots[spec.key] = st.empty()

    def cost_number(self, name: str) -> None:
        self.number(svc.COST_INPUTS[name], STEPS.get(name, 1.0))

    def picker(self, name: str, label: str, options: list[str], on_change, help: str) -> str:
        key = self.state.named(name)
        self.state.remember(key)
        chosen = st.selectbox(label, options=options, key=key, on_change=on_change, help=help)
        self.state.keep(key)
        return chosen

    def render(self) -> None:
        state = self.state
        with st.expander("Horizon and simulation", expanded=True, icon=":material/tune:"):
            self.cost_number("horizon_months")
            state.remember(state.named("seed"))
            st.number_input(
                "Seed",
                key=state.named("seed"),
                min_value=0,
                max_value=svc.SEED_MAX,
                step=1,
                help=f"The simulation draws {DEFAULT_DRAWS:,} times from numpy's generator with "
                "this seed: the same inputs and seed always give the same P10/P50/P90.",
            )
            state.keep(state.named("seed"))
            self.slots["seed"] = st.empty()
        self.training()
        for group, group_fields in GROUPS.items():
            with st.expander(group, icon=":material/calculate:"):
                for name in group_fields:
                    self.cost_number(name)
        self.people()
        self.co2()
        with st.expander("Out-of-hours shutdown", icon=":material/schedule:"):
            self.cost_number("hours_on_per_week")
            st.caption(
                "Saving = serving compute × (1 − hours on per week / 168); storage keeps billing. "
                "168 = always on; weekdays 08:00–18:00 = 50 (about 70 % saved)."
            )
        self.value()

    def training(self) -> None:
        state = self.state
        with st.expander("Training", expanded=True, icon=":material/model_training:"):
            state.remember(state.named("approach"))
            approach = st.radio(
                "What is trained",
                options=list(APPROACHES),
                format_func=APPROACHES.get,
                horizontal=True,
                key=state.named("approach"),
                help="Neural: 6·N·D FLOPs on GPUs. Classical ML: the measured time of one fit × "
                "trials × folds on an instance. Both: the sum.",
            )
            state.keep(state.named("approach"))
            if approach in ("neural", "both"):
                gpu_name = self.picker(
                    "gpu",
                    "GPU",
                    [*state.hardware.names, CUSTOM],
                    state.choose_gpu,
                    "From data/hardware.toml (the team may edit it): sets peak dense 16-bit "
                    "TFLOP/s, board power and the default price per GPU-hour.",
                )
                if gpu_name != CUSTOM:
                    gpu = state.hardware.get(gpu_name)
                    st.caption(
                        f"{gpu.name}: {gpu.peak_dense_16bit_tflops:g} TFLOP/s dense 16-bit, "
                        f"{gpu.board_power_w:g} W; default price ${gpu.price_per_gpu_hour_usd:g} "
                        f"per GPU-hour ({gpu.price_source}, {gpu.price_date}). "
                        + (gpu.notes + " " if gpu.notes else "")
                        + "Edit any of them below."
                    )
                for name in NEURAL_FIELDS:
                    self.cost_number(name)
            if approach in ("classical", "both"):
                for name in CLASSICAL_FIELDS:
                    self.cost_number(name)

    def people(self) -> None:
        state = self.state
        with st.expander("People", icon=":material/groups:"):
            state.remember(state.roles_ranged)
            ranged = st.toggle(
                "Give people, weeks and rates as ranges",
                key=state.roles_ranged,
                on_change=state.toggle_role_ranges,
                help=RANGE_HELP + " Leave low or high blank for a fixed value.",
            )
            state.keep(state.roles_ranged)
            column_config: dict[str, Any] = {
                "role": st.column_config.TextColumn("Role", required=True)
            }
            for field, header in ROLE_HEADERS.items():
                for column, title in (
                    (field, header + (" (likely)" if ranged else "")),
                    (f"{field}_low", f"{header}: low"),
                    (f"{field}_high", f"{header}: high"),
                ):
                    column_config[column] = st.column_config.NumberColumn(
                        title, min_value=0.0, format="%g", width="small"
                    )
            frame = state.roles_shown()
            st.data_editor(
                frame,
                key=state.editor_key,
                num_rows="dynamic",
                hide_index=True,
                width="stretch",
                column_config=column_config,
            )
            state.roles()  # read the edits now: a widened range is said right here
            if note := state.take_note("cost.roles"):
                st.caption(f":orange[⚠] {literal(note)}")  # role names are the user's text
            st.caption(
                "People = Σ people × weeks × weekly rate, per role. Use a fully loaded weekly "
                "rate (salary and overhead), as agreed with finance. Plausible bounds: up to "
                "10,000 people of a role, 520 weeks (ten years), $1,000,000 a person-week."
            )
            self.slots["cost.roles"] = st.empty()

    def co2(self) -> None:
        state = self.state
        with st.expander("CO2 of training", icon=":material/eco:"):
            region_name = self.picker(
                "region",
                "Grid region",
                [*state.regions.names, CUSTOM],
                state.choose_region,
                "From data/grid_regions.toml (the team may edit it): sets the grid intensity.",
            )
            if region_name != CUSTOM:
                region = state.regions.get(region_name)
                st.caption(
                    f"{region.name}: {region.carbon_kg_per_kwh:g} kg CO2e/kWh — {region.source}."
                    + (f" {region.notes}" if region.notes else "")
                )
            self.cost_number("carbon_kg_per_kwh")
            self.cost_number("pue")
            st.caption(
                "Energy = GPU-hours × power × PUE; CO2 = energy × intensity. The defaults follow "
                "CodeCarbon and ML CO2 Impact: PUE 1.0, no overhead on the board power. The "
                "LLaMA paper used PUE 1.1; Meta's Llama 2 figures fold the overhead into the "
                "power."
            )

    def value(self) -> None:
        state = self.state
        with st.expander("Value", expanded=True, icon=":material/savings:"):
            state.remember(state.named("link"))
            linked = st.toggle(
                "Upfront and run cost from the cost estimate",
                key=state.named("link"),
                on_change=state.unlink_value_costs,
                help="Upfront = training + experimentation + labeling + people; run cost a month "
                "= (retraining + serving + storage − out-of-hours saving) / horizon; likely "
                "values. Switch off to type your own.",
            )
            state.keep(state.named("link"))
            self.linked_caption = st.empty()
            for name in VALUE_FIELDS:
                if not (linked and name in svc.LINKED_VALUE_FIELDS):
                    self.number(svc.VALUE_INPUTS[name], STEPS.get(name, 1.0))

    def show_errors(self, errors: dict[str, str]) -> None:
        """Each validation message in the place under its input."""
        for field, message in errors.items():
            slot_key = "cost.roles" if field.startswith("cost.roles") else field
            if slot_key in self.slots:
                self.slots[slot_key].markdown(f":red[⚠ {message}]")
