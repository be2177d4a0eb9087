"""The Cost & value page's inputs as widget state: every input's widgets (value, Range switch,
low, high), the training choice, the GPU and region pickers, the link of the value model to the
cost estimate, the seed and the people table — filled from a set of inputs (a saved scenario, or
the starter inputs), remembered while hidden, and read back as the inputs a save sends.

Keys are per project (``est<pid>:…``), so two projects' pages never share an input.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from contextlib import suppress
from typing import Any

import pandas as pd
import streamlit as st

from workbench.errors import InvalidInput
from workbench.models.estimates import ScenarioPublic
from workbench.reference.estimates import load_grid_regions, load_hardware
from workbench.services import estimates as svc
from workbench.ui.common import engine
from workbench.ui.text import markdown_text

CUSTOM = "Custom"
ROLE_FIELDS = ("people", "weeks", "weekly_rate_usd")
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


def literal(text: str) -> str:
    """People's words (a scenario's or a role's name) as they typed them, not as Markdown."""
    return markdown_text(text)


@st.cache_data(show_spinner=False)
def reference_tables():
    """The GPU and grid-region tables under data/ (edited by the team, read once)."""
    return load_hardware(), load_grid_regions()


def _likely(item: Any) -> float:
    return float(item["likely"] if isinstance(item, Mapping) else item)


def _cell(value: Any) -> float | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return float(value)


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


def roles_from_frame(
    frame: pd.DataFrame, ranged: bool, widened: list[str] | None = None
) -> list[dict]:
    """The people table as the cost model's roles; blank low/high mean a fixed value. A likely
    value outside its low–high range widens the range (each widening is said in `widened`)."""
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
            if ranged and likely is not None and not low <= likely <= high:
                low, high = min(low, likely), max(high, likely)
                if widened is not None:
                    widened.append(
                        f"{name or 'A role'}: {field.replace('_', ' ')} range widened to "
                        f"{low:g} – {high:g} to include the likely value {likely:g}."
                    )
            if ranged and likely is not None and (low, high) != (likely, likely):
                role[field] = {"low": low, "likely": likely, "high": high}
            else:
                role[field] = likely
        roles.append(role)
    return roles


def _edited(frame: pd.DataFrame, edits: Mapping[str, Any]) -> pd.DataFrame:
    """`frame` with a data editor's edits (cells, added rows, deleted rows) applied."""
    rows = frame.to_dict("records")
    for index, change in (edits.get("edited_rows") or {}).items():
        if int(index) < len(rows):
            rows[int(index)].update(change)
    deleted = {int(index) for index in edits.get("deleted_rows") or []}
    rows = [row for index, row in enumerate(rows) if index not in deleted]
    rows += [dict(row) for row in edits.get("added_rows") or []]
    return pd.DataFrame(rows, columns=frame.columns)


class EstimateState:
    """The inputs of one project's Cost & value page in this browser session."""

    def __init__(self, project_id: int, opening: ScenarioPublic | None = None) -> None:
        """`opening`: the scenario the page opens on in a new session (the report's), if any;
        without one it opens on the starter inputs."""
        self.p = f"est{project_id}"
        self.hardware, self.regions = reference_tables()
        self.store_key = f"{self.p}:store"
        self.loaded_key = f"{self.p}:loaded"
        self.roles_base = f"{self.p}:roles:base"
        self.roles_now_key = f"{self.p}:roles:now"
        self.roles_gen = f"{self.p}:roles:gen"
        self.notes_key = f"{self.p}:notes"
        if self.store_key not in st.session_state:
            if opening is not None:
                self.load(opening)
            else:
                cost, value = svc.starter_inputs(self.hardware.entries[0])
                self.apply(cost.to_dict(), value.to_dict(), svc.DEFAULT_SEED)
                st.session_state[self.loaded_key] = None

    @property
    def engine(self):
        return engine()

    # --- keys and the remembered values -------------------------------------------------------

    def key(self, spec_key: str, part: str = "") -> str:
        """The session-state key of an input's widget (part: "", "ranged", "low" or "high")."""
        return f"{self.p}:{spec_key}" + (f":{part}" if part else "")

    def named(self, name: str) -> str:
        """The key of one of the page's other widgets (approach, gpu, region, link, seed, …)."""
        return f"{self.p}:{name}"

    @property
    def store(self) -> dict[str, Any]:
        return st.session_state[self.store_key]

    @property
    def loaded_id(self) -> int | None:
        """The saved scenario whose inputs were loaded (or saved) last, if any."""
        return st.session_state.get(self.loaded_key)

    def set_loaded(self, scenario_id: int | None) -> None:
        st.session_state[self.loaded_key] = scenario_id

    def remember(self, *names: str) -> None:
        """Give widgets their remembered value when Streamlit forgot it (hidden, other page)."""
        for name in names:
            if name not in st.session_state:
                st.session_state[name] = self.store[name]

    def keep(self, *names: str) -> None:
        """Remember what the widgets hold now."""
        for name in names:
            self.store[name] = st.session_state[name]

    def current(self, name: str) -> Any:
        """What a widget holds now, or what it held when it was last shown."""
        return st.session_state[name] if name in st.session_state else self.store[name]

    # --- filling the widgets -----------------------------------------------------------------

    def widget_values(self, cost: Mapping[str, Any], value: Mapping[str, Any], seed: int) -> dict:
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
                values[self.key(spec.key)] = likely
                values[self.key(spec.key, "ranged")] = ranged
                values[self.key(spec.key, "low")] = float(item["low"]) if ranged else likely
                values[self.key(spec.key, "high")] = float(item["high"]) if ranged else likely
        gpu = svc.matching_gpu(
            self.hardware,
            peak_tflops=_likely(cost["peak_tflops"]),
            power_w=_likely(cost["gpu_power_w"]),
        )
        region = svc.matching_region(
            self.regions, carbon_kg_per_kwh=_likely(cost["carbon_kg_per_kwh"])
        )
        values[self.named("approach")] = approach
        values[self.named("link")] = linked
        values[self.named("gpu")] = gpu.name if gpu else CUSTOM
        values[self.named("region")] = region.name if region else CUSTOM
        values[self.named("seed")] = int(seed)
        values[self.named("roles:ranged")] = any(
            isinstance(role.get(field), Mapping) for role in cost["roles"] for field in ROLE_FIELDS
        )
        return values

    def apply(self, cost: Mapping[str, Any], value: Mapping[str, Any], seed: int) -> None:
        """Put a whole set of inputs into the widgets (load, start over, first visit)."""
        values = self.widget_values(cost, value, seed)
        st.session_state[self.store_key] = dict(values)
        for name, item in values.items():
            st.session_state[name] = item
        roles = list(cost.get("roles", svc.starter_inputs()[0].to_dict()["roles"]))
        st.session_state[self.roles_base] = roles
        st.session_state[self.roles_now_key] = roles
        st.session_state[self.roles_gen] = st.session_state.get(self.roles_gen, 0) + 1

    def start_over(self) -> None:
        """Back to the starter inputs (on the GPU chosen now), with nothing loaded."""
        gpu_name = self.store.get(self.named("gpu"), CUSTOM)
        gpu = self.hardware.get(gpu_name) if gpu_name != CUSTOM else self.hardware.entries[0]
        cost, value = svc.starter_inputs(gpu)
        self.apply(cost.to_dict(), value.to_dict(), svc.DEFAULT_SEED)
        self.set_loaded(None)

    def load(self, scenario: ScenarioPublic) -> None:
        """Fill the inputs with a saved scenario and remember it as the one being edited."""
        self.apply(scenario.cost_inputs, scenario.value_inputs, scenario.seed)
        self.set_loaded(scenario.id)

    # --- a range kept in order: low <= likely <= high ----------------------------------------

    def note(self, spec_key: str, message: str) -> None:
        """A message shown once under an input (a range widened, a value not taken)."""
        st.session_state.setdefault(self.notes_key, {})[spec_key] = message

    def take_note(self, spec_key: str) -> str | None:
        return st.session_state.get(self.notes_key, {}).pop(spec_key, None)

    def _set(self, name: str, value: Any) -> None:
        st.session_state[name] = value
        self.store[name] = value

    def likely_changed(self, spec_key: str) -> None:
        """A likely value moved outside its range widens the range, and says so; without a
        range, low and high follow it (switching Range on starts from it)."""
        likely = st.session_state[self.key(spec_key)]
        if not self.current(self.key(spec_key, "ranged")):
            self._set(self.key(spec_key, "low"), likely)
            self._set(self.key(spec_key, "high"), likely)
            return
        low, high = (
            self.current(self.key(spec_key, "low")),
            self.current(self.key(spec_key, "high")),
        )
        if low <= likely <= high:
            return
        low, high = min(low, likely), max(high, likely)
        self._set(self.key(spec_key, "low"), low)
        self._set(self.key(spec_key, "high"), high)
        self.note(
            spec_key,
            f"Range widened to {low:g} – {high:g} to include the likely value {likely:g}.",
        )

    def end_changed(self, spec_key: str, part: str) -> None:
        """A low above the likely value (or a high below it) is not taken: the end keeps its
        value and the input says why, so the results stay."""
        value = st.session_state[self.key(spec_key, part)]
        likely = self.current(self.key(spec_key))
        if (part == "low" and value <= likely) or (part == "high" and value >= likely):
            return
        kept = self.store.get(self.key(spec_key, part), likely)
        kept = min(kept, likely) if part == "low" else max(kept, likely)
        self._set(self.key(spec_key, part), kept)
        side = "above" if part == "low" else "below"
        self.note(
            spec_key,
            f"{part.capitalize()} {value:g} is {side} the likely value {likely:g}: not taken, the "
            f"{part} end stays {kept:g}. Move the likely value first to go further.",
        )

    def range_toggled(self, spec_key: str) -> None:
        """Switching Range on starts from the likely value when the old ends do not hold it."""
        if not st.session_state[self.key(spec_key, "ranged")]:
            return
        likely = self.current(self.key(spec_key))
        low, high = (
            self.current(self.key(spec_key, "low")),
            self.current(self.key(spec_key, "high")),
        )
        if not low <= likely <= high:
            self._set(self.key(spec_key, "low"), likely)
            self._set(self.key(spec_key, "high"), likely)

    # --- the pickers' and switches' callbacks ------------------------------------------------

    def _fix(self, spec_key: str, figure: float) -> None:
        for part in ("", "low", "high"):
            st.session_state[self.key(spec_key, part)] = float(figure)
        st.session_state[self.key(spec_key, "ranged")] = False

    def choose_gpu(self) -> None:
        """Fill peak, power and default price from the chosen GPU (fixed values)."""
        name = st.session_state[self.named("gpu")]
        if name == CUSTOM:
            return
        gpu = self.hardware.get(name)
        self._fix("cost.peak_tflops", gpu.peak_dense_16bit_tflops)
        self._fix("cost.gpu_power_w", gpu.board_power_w)
        self._fix("cost.price_per_gpu_hour_usd", gpu.price_per_gpu_hour_usd)

    def choose_region(self) -> None:
        """Fill the grid intensity from the chosen region (a fixed value)."""
        name = st.session_state[self.named("region")]
        if name != CUSTOM:
            self._fix("cost.carbon_kg_per_kwh", self.regions.get(name).carbon_kg_per_kwh)

    def unlink_value_costs(self) -> None:
        """When the link to the cost estimate is switched off, start from the linked figures."""
        split = st.session_state.get(self.named("value_costs"))
        if st.session_state[self.named("link")] or split is None:
            return
        self._fix("value.upfront_cost_usd", round(split.upfront_usd))
        self._fix("value.monthly_run_cost_usd", round(split.monthly_run_usd))

    def toggle_role_ranges(self) -> None:
        """Rebuild the people table with (or without) low/high columns, keeping its rows."""
        # the rows as the last run read them: the toggle has its new value already
        st.session_state[self.roles_base] = list(st.session_state.get(self.roles_now_key, []))
        st.session_state[self.roles_gen] = st.session_state.get(self.roles_gen, 0) + 1

    # --- the people table --------------------------------------------------------------------

    @property
    def editor_key(self) -> str:
        return self.named(f"roles:editor:{st.session_state.get(self.roles_gen, 0)}")

    def roles_shown(self) -> pd.DataFrame:
        """The rows a (fresh) people editor starts from."""
        if self.editor_key not in st.session_state:  # a fresh editor starts from the last rows
            st.session_state[self.roles_base] = list(st.session_state.get(self.roles_now_key, []))
        return roles_frame(st.session_state[self.roles_base], self.current(self.roles_ranged))

    @property
    def roles_ranged(self) -> str:
        return self.named("roles:ranged")

    def roles(self) -> list[dict]:
        """The people table as the user sees it now (its rows with the editor's edits)."""
        if self.editor_key not in st.session_state:
            return list(st.session_state.get(self.roles_now_key, []))
        ranged = bool(self.current(self.roles_ranged))
        frame = roles_frame(st.session_state[self.roles_base], ranged)
        widened: list[str] = []
        roles = roles_from_frame(_edited(frame, st.session_state[self.editor_key]), ranged, widened)
        if widened:
            self.note("cost.roles", " ".join(widened))
        st.session_state[self.roles_now_key] = roles
        return roles

    # --- reading the inputs back ----------------------------------------------------------

    def _input(self, spec_key: str) -> Any:
        likely = self.current(self.key(spec_key))
        if not self.current(self.key(spec_key, "ranged")):
            return likely
        return {
            "low": self.current(self.key(spec_key, "low")),
            "likely": likely,
            "high": self.current(self.key(spec_key, "high")),
        }

    @property
    def linked(self) -> bool:
        return bool(self.current(self.named("link")))

    @property
    def seed(self) -> int:
        return int(self.current(self.named("seed")))

    def inputs(self) -> tuple[dict[str, Any], dict[str, Any]]:
        """The cost and value inputs (``to_dict()`` forms) the widgets hold now; with the link
        on, the value model's upfront and run cost are left out (see ``linked_inputs``)."""
        cost = {name: self._input(spec.key) for name, spec in svc.COST_INPUTS.items()}
        cost["roles"] = self.roles()
        approach = self.current(self.named("approach"))
        if approach == "neural":  # the classical part is switched off (its inputs are kept)
            cost["minutes_per_run"] = 0.0
        elif approach == "classical":
            cost["model_params"] = 0.0
        value = {
            name: self._input(spec.key)
            for name, spec in svc.VALUE_INPUTS.items()
            if name != "horizon_months" and not (self.linked and name in svc.LINKED_VALUE_FIELDS)
        }
        value["horizon_months"] = cost["horizon_months"]
        return cost, value

    def linked_inputs(self) -> tuple[dict[str, Any], dict[str, Any]]:
        """The inputs as a scenario stores them: with the link on, the upfront and run cost
        come from the cost estimate (left out when the cost inputs are not valid yet)."""
        cost, value = self.inputs()
        if self.linked:
            with suppress(InvalidInput):  # a save reports the bad inputs
                value = svc.link_value_costs(svc.parse_inputs(cost, value)[0], value)
        return cost, value
