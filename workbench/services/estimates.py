"""Cost and value estimates of a project: validate inputs through the domain, estimate, and keep
named scenarios (save, update version-checked, delete, list, compare side by side).

Inputs travel as the JSON form of the domain's ``CostModelInputs.to_dict()`` and
``ValueModelInputs.to_dict()``: a number is a fixed value, ``{"low", "likely", "high"}`` a range.
Validation errors name the input as ``cost.<field>`` / ``value.<field>`` (``cost.roles[n]`` for
row n of the people table), so a page can show each message next to its widget.

A saved scenario stores its inputs, its seed and a summary of its results (``EstimateSummary``:
P10/P50/P90 of the total and of every line, the value outputs, break-even precision, payback and
ROI), computed with that seed: the same inputs and seed always give the same numbers.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, fields, replace
from datetime import datetime
from types import SimpleNamespace
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd
from sqlalchemy import func, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from workbench import crud
from workbench.domain.estimates import (
    COST_LINES,
    DEFAULT_DRAWS,
    VALUE_OUTPUTS,
    CostModelInputs,
    InvalidEstimateInput,
    ProjectCostEstimate,
    ProjectCostSimulation,
    Range,
    RoleEffort,
    SimulationResult,
    TornadoBar,
    ValueEstimate,
    ValueModelInputs,
    ValueSimulation,
    cost_sensitivity,
    estimate_project_cost,
    estimate_value,
    simulate_project_cost,
    simulate_value,
    value_sensitivity,
)
from workbench.errors import InvalidInput, NotFound
from workbench.models import LONG_TEXT_MAX, NAME_MAX, Project, Scenario, utc_now
from workbench.reference.estimates import GpuSpec, GridRegion, NamedTable
from workbench.services.projects import check_actor
from workbench.versioning import commit, load_for_edit

DEFAULT_SEED = 2026
"""Seed of a new scenario (the ``Scenario.seed`` column's default)."""

SEED_MAX = 2**31 - 1
"""Largest seed the database column holds."""

LINE_LABELS: dict[str, str] = {
    "training": "Training",
    "experimentation": "Experimentation",
    "labeling": "Labeling",
    "retraining": "Retraining",
    "people": "People",
    "serving": "Serving",
    "storage": "Storage",
    "shutdown_saving": "Out-of-hours saving",
}
"""Readable names of the cost lines, in ``COST_LINES`` order."""

ONE_OFF_LINES = ("training", "experimentation", "labeling", "people")
"""Lines spent once, before the model runs; the other lines recur over the horizon."""

InputModel = Literal["cost", "value"]


# --- input descriptions ---------------------------------------------------------------------

_TRAINING_FLOPS = (
    "training FLOPs = 6 · N · D, D = dataset tokens × epochs (Kaplan et al. 2020 §2.1)"
)
GPU_HOURS_FORMULA = "GPU-hours = FLOPs / (MFU × peak TFLOP/s × 10¹² × 3600)"
"""How a neural training run's GPU-hours are estimated (Transformer Math 101)."""
_CLASSICAL = (
    "Classical ML: instance-hours = minutes per fit × trials × folds / 60; "
    "cost = instance-hours × price per hour"
)
_EXPERIMENTS = "Experimentation = experiments × runs per experiment × cost per run."
_LABELING = "Labeling = examples × labels per example × price per label × (1 + QA overhead)."
_SERVING = (
    "Serving: instances = max(minimum replicas, ⌈peak requests/s ÷ (requests/s per instance × "
    "target utilisation)⌉); cost = instances × price per hour × 730 h a month (AWS Pricing "
    "Calculator) × horizon."
)
CO2_FORMULA = "Energy (kWh) = GPU-hours × power (kW) × PUE; CO2 (kg) = energy × grid intensity."
"""How the training run's CO2 is estimated (Lacoste et al. 2019)."""
VALUE_FORMULA = (
    "Net value per month = TP × (benefit + cost of a FN) − FP × cost of a FP, with "
    "TP = cases × prevalence × recall and FP = TP / precision − TP, against acting on no one "
    "(Elkan 2001)."
)
"""How the value of acting on the model's predictions is estimated."""
PAYBACK_FORMULA = (
    "Payback months = upfront / (net value per month − run cost); ROI = (horizon × net value − "
    "horizon × run cost − upfront) / (horizon × run cost + upfront)."
)
"""How payback and ROI follow from the value, the run cost and the upfront cost."""

INPUT_HELP: dict[str, str] = {
    "cost.model_params": f"N in {_TRAINING_FLOPS}. For a mixture-of-experts model, the active "
    "parameters. 0 switches neural training off.",
    "cost.dataset_tokens": f"Tokens in one epoch: {_TRAINING_FLOPS}.",
    "cost.epochs": f"Passes over the data: {_TRAINING_FLOPS}.",
    "cost.mfu": "Model FLOPs utilisation, the share of peak achieved: "
    f"{GPU_HOURS_FORMULA}. Large dense runs on A100/H100 reach 0.35–0.45, V100-era runs about "
    "0.2, small models and few GPUs less "
    "(Bekman, Machine Learning Engineering; Transformer Math 101).",
    "cost.peak_tflops": f"Peak dense 16-bit TFLOP/s of one GPU, no sparsity: {GPU_HOURS_FORMULA}. "
    "Set by the GPU choice.",
    "cost.gpus": "GPUs training in parallel: wall-clock days = GPU-hours / GPUs / 24. "
    "The cost does not depend on it.",
    "cost.price_per_gpu_hour_usd": "Training cost = GPU-hours × price per GPU-hour. The GPU "
    "choice fills in the hardware table's on-demand default; put what you actually pay.",
    "cost.gpu_power_w": f"Average power of one GPU (board power): {CO2_FORMULA} "
    "Set by the GPU choice.",
    "cost.minutes_per_run": f"Measured minutes of one fit on a sample. {_CLASSICAL}.",
    "cost.trials": f"Hyper-parameter candidates tried. {_CLASSICAL}.",
    "cost.folds": f"Cross-validation folds per candidate (1 for a single split). {_CLASSICAL}.",
    "cost.price_per_instance_hour_usd": f"On-demand price of the training instance. {_CLASSICAL}.",
    "cost.experiments": f"Distinct ideas tried before the final model. {_EXPERIMENTS}",
    "cost.runs_per_experiment": f"Seeds, sweeps and reruns per idea. {_EXPERIMENTS}",
    "cost.cost_per_experiment_run_usd": "Compute cost of one (usually smaller) experiment run. "
    + _EXPERIMENTS,
    "cost.examples_to_label": _LABELING,
    "cost.labels_per_example": f"Judgements per example, e.g. 3 for a majority vote. {_LABELING}",
    "cost.price_per_label_usd": f"Price of one judgement. {_LABELING}",
    "cost.labeling_qa_overhead_fraction": f"Review and rework, as a share of the base cost "
    f"(0.1 = 10 %). {_LABELING}",
    "cost.retrains_per_year": "Retraining = retrains per year × horizon / 12 × the training "
    "line (one full run each). Monthly = 12, quarterly = 4.",
    "cost.peak_requests_per_second": _SERVING,
    "cost.requests_per_second_per_instance": f"Measure it with a load test. {_SERVING}",
    "cost.target_utilisation": f"Head-room kept on each instance (0.6 = plan for 60 %). {_SERVING}",
    "cost.min_replicas": f"Instances kept up whatever the load (2 for availability). {_SERVING}",
    "cost.price_per_serving_instance_hour_usd": _SERVING,
    "cost.storage_gb": "Storage = GB × price per GB-month × horizon.",
    "cost.price_per_gb_month_usd": "Storage = GB × price per GB-month × horizon (Amazon S3 "
    "Standard, us-east-1: $0.023 per GB-month).",
    "cost.hours_on_per_week": "Out-of-hours saving = serving compute × (1 − hours on per week / "
    "168); storage keeps billing. AWS Instance Scheduler: 168 → 50 hours a week saves about 70 %.",
    "cost.pue": f"Data-centre power usage effectiveness (≥ 1). {CO2_FORMULA} "
    "Default 1.0, the convention of CodeCarbon and ML CO2 Impact (Lacoste et al. 2019): no "
    "overhead on the board power. The "
    "LLaMA paper used 1.1; Meta's Llama 2 figures fold the overhead into the power instead.",
    "cost.carbon_kg_per_kwh": f"kg CO2e per kWh of the grid. {CO2_FORMULA} "
    "Set by the region choice.",
    "cost.horizon_months": "Months counted: serving, storage and retraining accrue over them; "
    "payback and ROI use the same horizon.",
    "value.population_per_month": f"Cases the model scores per month. {VALUE_FORMULA}",
    "value.prevalence": f"Share of cases that are positive (0–1). {VALUE_FORMULA}",
    "value.precision": f"Share of flagged cases that are positive. {VALUE_FORMULA} Break-even "
    "precision = cost of a FP / (benefit + cost of a FN + cost of a FP).",
    "value.recall": f"Share of positives the model flags (0–1). {VALUE_FORMULA}",
    "value.benefit_tp_usd": f"Value of acting on a true positive. {VALUE_FORMULA}",
    "value.cost_fp_usd": f"Cost of acting on a false positive. {VALUE_FORMULA}",
    "value.cost_fn_usd": f"Cost of a positive not acted on (0 if missing one costs nothing "
    f"beyond the lost benefit). {VALUE_FORMULA}",
    "value.monthly_run_cost_usd": f"Cost of running the model per month. {PAYBACK_FORMULA}",
    "value.upfront_cost_usd": f"Cost of building it. {PAYBACK_FORMULA}",
    "value.horizon_months": f"Months over which ROI is computed. {PAYBACK_FORMULA}",
}
"""For every input (``cost.<field>`` / ``value.<field>``): the formula it feeds and its source."""


@dataclass(frozen=True)
class InputSpec:
    """What a page needs to show one numeric input: label, help, valid interval.

    Attributes:
        key: ``cost.<field>`` or ``value.<field>``.
        label: the domain's readable name.
        help: the formula the input feeds (``INPUT_HELP``).
        minimum, maximum: the valid interval's ends (None = unbounded); an end may be open.
        requirement: the interval in words, e.g. "must be > 0 and <= 1".
        why: why the bounds are where they are (plausible bounds), or "".
    """

    key: str
    label: str
    help: str
    minimum: float | None
    maximum: float | None
    requirement: str
    why: str = ""


def _specs(model: InputModel, cls: type) -> dict[str, InputSpec]:
    specs = {}
    for f in fields(cls):
        if "rule" not in f.metadata:
            continue
        rule = f.metadata["rule"]
        key = f"{model}.{f.name}"
        specs[f.name] = InputSpec(
            key=key,
            label=f.metadata["label"],
            help=INPUT_HELP[key],
            minimum=rule.minimum,
            maximum=rule.maximum,
            requirement=rule.requirement(),
            why=rule.why,
        )
    return specs


COST_INPUTS: dict[str, InputSpec] = _specs("cost", CostModelInputs)
"""Every numeric input of ``CostModelInputs`` (roles excepted), by field name."""
VALUE_INPUTS: dict[str, InputSpec] = _specs("value", ValueModelInputs)
"""Every input of ``ValueModelInputs``, by field name."""


# --- results ------------------------------------------------------------------------------


def _scaled(result: SimulationResult, factor: float) -> SimulationResult:
    return SimulationResult(**{name: value * factor for name, value in asdict(result).items()})


@dataclass(frozen=True)
class EstimateSummary:
    """The results kept with a scenario: ranges of the cost and value, and the value's ratios.

    Attributes:
        seed, draws: the simulation that produced the ranges.
        total: total cost over the horizon (USD).
        lines: each cost line over the horizon (USD), in ``COST_LINES`` order.
        training_gpu_hours, training_wall_clock_days, training_co2_kg: one neural training run.
        value: each of ``VALUE_OUTPUTS`` (USD; per month except ``horizon_net_benefit_usd``).
        break_even_precision: precision above which acting on a flagged case pays (likely).
        payback_months: upfront / monthly net benefit (likely); None if it never pays back.
        roi: return on investment over the horizon (likely); None if nothing is spent.
        horizon_months: the horizon (likely).
    """

    seed: int
    draws: int
    total: SimulationResult
    lines: dict[str, SimulationResult]
    training_gpu_hours: SimulationResult
    training_wall_clock_days: SimulationResult
    training_co2_kg: SimulationResult
    value: dict[str, SimulationResult]
    break_even_precision: float
    payback_months: float | None
    roi: float | None
    horizon_months: float

    @property
    def net_value_per_year(self) -> SimulationResult:
        """Net value per month × 12 (USD per year)."""
        return _scaled(self.value["net_value_usd"], 12.0)

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (no NaN or infinity: PostgreSQL's JSON refuses them)."""
        return _finite(asdict(self))

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> EstimateSummary:
        """Rebuild from ``to_json()`` output."""

        def result(item: Mapping[str, Any]) -> SimulationResult:
            return SimulationResult(**{k: _number(v) for k, v in item.items()})

        return cls(
            seed=int(data["seed"]),
            draws=int(data["draws"]),
            total=result(data["total"]),
            lines={line: result(data["lines"][line]) for line in COST_LINES},
            training_gpu_hours=result(data["training_gpu_hours"]),
            training_wall_clock_days=result(data["training_wall_clock_days"]),
            training_co2_kg=result(data["training_co2_kg"]),
            value={name: result(data["value"][name]) for name in VALUE_OUTPUTS},
            break_even_precision=float(data["break_even_precision"]),
            payback_months=data["payback_months"],
            roi=data["roi"],
            horizon_months=float(data["horizon_months"]),
        )


def _finite(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _number(value: Any) -> float:
    return math.nan if value is None else float(value)


@dataclass(frozen=True, eq=False)
class Estimate:
    """Everything the estimate page shows for one set of inputs.

    Attributes:
        cost: the cost model at the likely values (lines sum to the total).
        cost_simulation: P10/P50/P90 of the total and lines.
        cost_tornado: how far each ranged input moves the total, largest swing first.
        total_draws: the simulated totals behind ``cost_simulation.total`` (for a histogram).
        value: the value model at the likely values.
        value_simulation: P10/P50/P90 of the value outputs.
        value_tornado: how far each ranged input moves the net value per month.
        summary: what a saved scenario keeps.
    """

    cost: ProjectCostEstimate
    cost_simulation: ProjectCostSimulation
    cost_tornado: tuple[TornadoBar, ...]
    total_draws: npt.NDArray[np.float64]
    value: ValueEstimate
    value_simulation: ValueSimulation
    value_tornado: tuple[TornadoBar, ...]
    summary: EstimateSummary


def estimate(
    cost_inputs: CostModelInputs,
    value_inputs: ValueModelInputs,
    *,
    seed: int = DEFAULT_SEED,
    draws: int = DEFAULT_DRAWS,
) -> Estimate:
    """Run the cost and value models: likely values, seeded ranges and sensitivities.

    Raises InvalidInput naming the input when the value model refuses a combination (e.g. a
    precision too low for the prevalence, at the likely values or in some draws).
    """
    try:
        cost = estimate_project_cost(cost_inputs)
        cost_simulation = simulate_project_cost(cost_inputs, draws=draws, seed=seed)
        value = estimate_value(value_inputs)
        value_simulation = simulate_value(value_inputs, draws=draws, seed=seed)
        cost_tornado = cost_sensitivity(cost_inputs)
        value_tornado = value_sensitivity(value_inputs)
    except InvalidEstimateInput as error:
        raise InvalidInput({_error_key(error): _message(error)}) from error
    summary = EstimateSummary(
        seed=seed,
        draws=draws,
        total=cost_simulation.total,
        lines=dict(cost_simulation.lines),
        training_gpu_hours=cost_simulation.outputs["training_gpu_hours"],
        training_wall_clock_days=cost_simulation.outputs["training_wall_clock_days"],
        training_co2_kg=cost_simulation.outputs["training_co2_kg"],
        value=dict(value_simulation.outputs),
        break_even_precision=float(value.break_even_precision),
        payback_months=value.payback_months,
        roi=value.roi,
        horizon_months=_likely(value_inputs.horizon_months),
    )
    return Estimate(
        cost=cost,
        cost_simulation=cost_simulation,
        cost_tornado=cost_tornado,
        total_draws=np.asarray(cost_simulation.total_draws_usd, dtype=np.float64),
        value=value,
        value_simulation=value_simulation,
        value_tornado=value_tornado,
        summary=summary,
    )


def _likely(value: float | Range) -> float:
    return float(value.likely if isinstance(value, Range) else value)


# --- input validation -------------------------------------------------------------------------


def _label(key: str) -> str:
    model, _, name = key.partition(".")
    specs = COST_INPUTS if model == "cost" else VALUE_INPUTS
    return specs[name].label if name in specs else name.replace("_", " ")


def _error_key(error: InvalidEstimateInput) -> str:
    if error.parameter in COST_INPUTS:
        return f"cost.{error.parameter}"
    if error.parameter in VALUE_INPUTS:
        return f"value.{error.parameter}"
    return "inputs"


def _message(error: InvalidEstimateInput, key: str | None = None) -> str:
    """The domain's message with the input's readable name in front."""
    key = key or _error_key(error)
    if key == "inputs":
        return f"{error}."
    if error.parameter is None:
        return f"{_label(key)}: {error.detail}."
    return f"{_label(key)} {error.detail}."


def parse_inputs(
    cost: Mapping[str, Any], value: Mapping[str, Any]
) -> tuple[CostModelInputs, ValueModelInputs]:
    """Validate both input dicts (``to_dict()`` form) through the domain, every field at once.

    Raises InvalidInput with one message per bad input, keyed ``cost.<field>``,
    ``value.<field>`` or ``cost.roles[n]`` (row n of the people table, from 1).
    """
    errors: dict[str, str] = {}
    for name, item in cost.items():
        if name == "roles":
            errors.update(_role_errors(item))
            continue
        try:
            CostModelInputs.from_dict({name: item})
        except InvalidEstimateInput as error:
            errors[f"cost.{name}"] = _message(error, f"cost.{name}")
    for name, item in value.items():
        try:
            ValueModelInputs.from_dict({name: item})
        except InvalidEstimateInput as error:
            errors[f"value.{name}"] = _message(error, f"value.{name}")
    if errors:
        raise InvalidInput(errors)
    try:
        return CostModelInputs.from_dict(cost), ValueModelInputs.from_dict(value)
    except InvalidEstimateInput as error:  # fields are independent: only a malformed whole
        raise InvalidInput({"inputs": f"{error}."}) from error


def _role_errors(rows: Any) -> dict[str, str]:
    if not isinstance(rows, list | tuple):
        return {"cost.roles": f"The people table must be a list of roles (got {rows!r})."}
    errors = {}
    for number, row in enumerate(rows, start=1):
        try:
            CostModelInputs.from_dict({"roles": [row]})
        except InvalidEstimateInput as error:
            role = row.get("role") if isinstance(row, Mapping) else None
            name = f" ({role})" if isinstance(role, str) and role.strip() else ""
            field = (error.parameter or "").rpartition(": ")[2]
            detail = f"{field} {error.detail}" if field else error.detail
            errors[f"cost.roles[{number}]"] = f"Row {number}{name}: {detail}."
    return errors


def _check_scenario_fields(name: Any, notes: Any, seed: Any) -> tuple[dict[str, str], str, str]:
    errors: dict[str, str] = {}
    name = (name or "").strip() if isinstance(name, str) else ""
    notes = (notes or "").strip() if isinstance(notes, str) else ""
    if not name:
        errors["name"] = "Give the scenario a name."
    elif len(name) > NAME_MAX:
        errors["name"] = f"Too long: at most {NAME_MAX} characters (this has {len(name)})."
    if len(notes) > LONG_TEXT_MAX:
        errors["notes"] = f"Too long: at most {LONG_TEXT_MAX} characters (this has {len(notes)})."
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= SEED_MAX:
        errors["seed"] = f"The seed must be a whole number from 0 to {SEED_MAX} (got {seed!r})."
    return errors, name, notes


def _validated(
    name: Any, notes: Any, seed: Any, cost: Mapping[str, Any], value: Mapping[str, Any], draws: int
) -> tuple[str, str, CostModelInputs, ValueModelInputs, Estimate]:
    """Check everything a scenario holds, reporting every problem at once."""
    errors, name, notes = _check_scenario_fields(name, notes, seed)
    parsed = None
    try:
        parsed = parse_inputs(cost, value)
    except InvalidInput as error:
        errors.update(error.errors)
    if errors or parsed is None:
        raise InvalidInput(errors)
    cost_inputs, value_inputs = parsed
    result = estimate(cost_inputs, value_inputs, seed=seed, draws=draws)
    return name, notes, cost_inputs, value_inputs, result


# --- scenarios --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScenarioPublic:
    """A saved scenario as pages and reports see it.

    ``cost_inputs`` / ``value_inputs`` are the ``to_dict()`` forms; ``results`` the summary
    computed with ``seed`` when the scenario was last saved.
    """

    id: int
    project_id: int
    name: str
    notes: str
    seed: int
    cost_inputs: dict[str, Any]
    value_inputs: dict[str, Any]
    results: EstimateSummary
    created_by: str
    created_at: datetime
    updated_at: datetime
    version: int
    was_report_scenario: bool = False
    """Set on a deleted scenario that was the one the report used (its undo chooses it again)."""

    def inputs(self) -> tuple[CostModelInputs, ValueModelInputs]:
        """The stored inputs as domain objects."""
        return (
            CostModelInputs.from_dict(self.cost_inputs),
            ValueModelInputs.from_dict(self.value_inputs),
        )


def _public(row: Scenario) -> ScenarioPublic:
    return ScenarioPublic(
        id=row.id,
        project_id=row.project_id,
        name=row.name,
        notes=row.notes,
        seed=row.seed,
        cost_inputs=dict(row.cost_inputs),
        value_inputs=dict(row.value_inputs),
        results=EstimateSummary.from_json(row.results),
        created_by=row.created_by,
        created_at=row.created_at,
        updated_at=row.updated_at,
        version=row.version,
    )


def _money(value: float) -> str:
    return f"${value:,.0f}"


def _results_sentence(summary: EstimateSummary) -> str:
    total = summary.total
    return (
        f"total cost likely {_money(total.likely)} (P10 {_money(total.p10)} – "
        f"P90 {_money(total.p90)}), net value {_money(summary.value['net_value_usd'].likely)} "
        "a month"
    )


def _name_taken(session: Session, project_id: int, name: str, scenario_id: int | None) -> str:
    statement = select(Scenario).where(
        Scenario.project_id == project_id, func.lower(Scenario.name) == name.lower()
    )
    existing = session.exec(statement).first()
    if existing is not None and existing.id != scenario_id:
        return (
            f"This project already has a scenario called {existing.name!r}: "
            "choose another name, or load it and update it."
        )
    return ""


def save_scenario(
    engine: Engine,
    *,
    project_id: int,
    name: str,
    cost_inputs: Mapping[str, Any],
    value_inputs: Mapping[str, Any],
    actor: str,
    notes: str = "",
    seed: int = DEFAULT_SEED,
    draws: int = DEFAULT_DRAWS,
) -> ScenarioPublic:
    """Validate and store a named scenario with its results, logging it.

    Raises InvalidInput (nothing stored) naming each bad field: ``name`` (1–120 characters,
    unique per project ignoring case), ``notes``, ``seed``, ``cost.<field>``, ``value.<field>``,
    ``cost.roles[n]``, ``actor``.
    """
    actor = check_actor(actor)
    name, notes, cost, value, result = _validated(
        name, notes, seed, cost_inputs, value_inputs, draws
    )
    with Session(engine) as session:
        if session.get(Project, project_id) is None:
            raise NotFound(f"There is no project with id {project_id}.")
        taken = _name_taken(session, project_id, name, None)
        if taken:
            raise InvalidInput({"name": taken})
        scenario = Scenario(
            project_id=project_id,
            name=name,
            notes=notes,
            cost_inputs=cost.to_dict(),
            value_inputs=value.to_dict(),
            seed=seed,
            results=result.summary.to_json(),
            created_by=actor,
        )
        session.add(scenario)
        try:
            session.flush()
        except IntegrityError as error:  # saved by someone else a moment ago
            session.rollback()
            raise InvalidInput({"name": f"A scenario called {name!r} was just saved."}) from error
        crud.record_activity(
            session,
            project_id=project_id,
            actor=actor,
            action="scenario saved",
            summary=f"Saved scenario {name!r}: {_results_sentence(result.summary)}.",
            changes={
                "scenario_id": scenario.id,
                "name": name,
                "seed": seed,
                "cost_inputs": scenario.cost_inputs,
                "value_inputs": scenario.value_inputs,
            },
        )
        session.commit()
        session.refresh(scenario)
        return _public(scenario)


def _shown(value: Any) -> Any:
    """An input value for a person: a range as "low / likely / high", roles one per line."""
    if isinstance(value, Mapping) and set(value) == {"low", "likely", "high"}:
        return f"{value['low']:g} / {value['likely']:g} / {value['high']:g}"
    if isinstance(value, list):
        return "; ".join(
            f"{row.get('role')}: "
            + ", ".join(f"{k} {_shown(v)}" for k, v in row.items() if k != "role")
            for row in value
        )
    return value


def _differences(
    old: Mapping[str, Any], new: Mapping[str, Any], prefix: str
) -> dict[str, list[Any]]:
    return {
        f"{prefix}.{key}": [old.get(key), new.get(key)]
        for key in sorted(set(old) | set(new))
        if old.get(key) != new.get(key)
    }


def _scenario_changes(
    row: Scenario, name: str, notes: str, seed: int, cost: dict, value: dict
) -> dict[str, list[Any]]:
    changes: dict[str, list[Any]] = {}
    for field, new in (("name", name), ("notes", notes), ("seed", seed)):
        if getattr(row, field) != new:
            changes[field] = [getattr(row, field), new]
    changes.update(_differences(row.cost_inputs, cost, "cost"))
    changes.update(_differences(row.value_inputs, value, "value"))
    return changes


class ScenarioFields(SimpleNamespace):
    """A stored scenario as flat fields for the conflict view of a refused save: ``name``,
    ``notes``, ``seed`` and every input as ``cost.<field>`` / ``value.<field>`` (a range as
    "low / likely / high", the people table one role after another), with ``id`` and
    ``version``."""


def _fields(name: str, notes: str, seed: int, cost: Mapping[str, Any], value: Mapping[str, Any]):
    return {
        "name": name,
        "notes": notes,
        "seed": seed,
        **{f"cost.{key}": _shown(item) for key, item in cost.items()},
        **{f"value.{key}": _shown(item) for key, item in value.items()},
    }


def _as_fields(row: Scenario) -> ScenarioFields:
    return ScenarioFields(
        id=row.id,
        version=row.version,
        **_fields(row.name, row.notes, row.seed, row.cost_inputs, row.value_inputs),
    )


def update_scenario(
    engine: Engine,
    *,
    scenario_id: int,
    expected_version: int | None,
    actor: str,
    name: str | None = None,
    notes: str | None = None,
    cost_inputs: Mapping[str, Any] | None = None,
    value_inputs: Mapping[str, Any] | None = None,
    seed: int | None = None,
    draws: int = DEFAULT_DRAWS,
) -> ScenarioPublic:
    """Save an edit of a scenario loaded at ``expected_version`` (None = keep that part).

    Recomputes the results with the scenario's seed. Raises InvalidInput (nothing written) as
    ``save_scenario`` does, NotFound when the scenario was deleted, and StaleEditError (nothing
    written) when the scenario was saved by someone else since that version; ``conflicts`` then
    maps each input that differs from the newer save to (yours, theirs), keyed as
    ``ScenarioFields``. Logs every changed field.
    """
    actor = check_actor(actor)
    with Session(engine) as session:
        row = session.get(Scenario, scenario_id)
        if row is None:
            raise NotFound(f"There is no scenario #{scenario_id} here any more (deleted?).")
        name, notes, cost, value, result = _validated(
            row.name if name is None else name,
            row.notes if notes is None else notes,
            row.seed if seed is None else seed,
            row.cost_inputs if cost_inputs is None else cost_inputs,
            row.value_inputs if value_inputs is None else value_inputs,
            draws,
        )
        new_seed = row.seed if seed is None else seed
        mine = _fields(name, notes, new_seed, cost.to_dict(), value.to_dict())
        row = load_for_edit(
            session,
            Scenario,
            scenario_id,
            expected_version,
            mine,
            what="scenario",
            public=_as_fields,
        )
        changes = _scenario_changes(row, name, notes, new_seed, cost.to_dict(), value.to_dict())
        if not changes:
            return _public(row)
        taken = _name_taken(session, row.project_id, name, row.id)
        if taken:
            raise InvalidInput({"name": taken})
        row.name, row.notes, row.seed = name, notes, new_seed
        row.cost_inputs, row.value_inputs = cost.to_dict(), value.to_dict()
        row.results = result.summary.to_json()
        row.updated_at = utc_now()
        session.add(row)
        crud.record_activity(
            session,
            project_id=row.project_id,
            actor=actor,
            action="scenario updated",
            summary=f"Scenario {name!r}: changed {', '.join(changes)}; "
            f"{_results_sentence(result.summary)}.",
            changes=changes,
        )
        commit(session, row, mine, public=_as_fields)
        session.refresh(row)
        return _public(row)


def delete_scenario(
    engine: Engine, *, project_id: int, scenario_id: int, expected_version: int | None, actor: str
) -> ScenarioPublic:
    """Delete a scenario of a project as the user saw it (``expected_version``); the log keeps
    its name, notes, seed and inputs, and the deleted scenario is returned (for an undo, see
    ``restore_scenario``).

    Raises NotFound when it is gone already, and StaleEditError (nothing deleted) when someone
    saved it after that version.
    """
    actor = check_actor(actor)
    with Session(engine) as session:
        row = load_for_edit(
            session,
            Scenario,
            scenario_id,
            expected_version,
            what="scenario",
            project_id=project_id,
            public=_as_fields,
        )
        project = session.get(Project, project_id)
        chosen = project is not None and project.report_scenario_id == scenario_id
        deleted = replace(_public(row), was_report_scenario=chosen)
        if chosen:  # the report no longer has a chosen scenario: say so, never a dangling id
            _set_report_scenario(session, project_id, None)
        crud.record_activity(
            session,
            project_id=project_id,
            actor=actor,
            action="scenario deleted",
            summary=f"Deleted scenario {row.name!r}."
            + (" The report has no chosen scenario now." if chosen else ""),
            changes={
                "scenario_id": scenario_id,
                "name": row.name,
                "notes": row.notes,
                "seed": row.seed,
                "cost_inputs": row.cost_inputs,
                "value_inputs": row.value_inputs,
            },
        )
        session.delete(row)
        commit(session, row, public=_as_fields)
        return deleted


def restore_scenario(engine: Engine, *, deleted: ScenarioPublic, actor: str) -> ScenarioPublic:
    """Undo a delete: store the scenario ``delete_scenario`` returned again, with its name,
    notes, seed, inputs and results (under its old id when that is free), logging it.

    Raises InvalidInput when its name was taken meanwhile, NotFound when its project is gone.
    """
    actor = check_actor(actor)
    with Session(engine) as session:
        if session.get(Project, deleted.project_id) is None:
            raise NotFound(f"There is no project with id {deleted.project_id}.")
        taken = _name_taken(session, deleted.project_id, deleted.name, None)
        if taken:
            raise InvalidInput({"name": f"Not restored: {taken}"})
        scenario = Scenario(
            id=None if session.get(Scenario, deleted.id) is not None else deleted.id,
            project_id=deleted.project_id,
            name=deleted.name,
            notes=deleted.notes,
            cost_inputs=dict(deleted.cost_inputs),
            value_inputs=dict(deleted.value_inputs),
            seed=deleted.seed,
            results=deleted.results.to_json(),
            created_by=deleted.created_by,
            created_at=deleted.created_at,
        )
        session.add(scenario)
        try:
            session.flush()
        except IntegrityError as error:  # the name was taken a moment ago
            session.rollback()
            raise InvalidInput(
                {"name": f"A scenario called {deleted.name!r} was just saved."}
            ) from error
        # A view of the scenario from before the delete stays stale: the version goes on.
        session.execute(
            update(Scenario)
            .where(col(Scenario.id) == scenario.id)
            .values(version=deleted.version + 1)
            .execution_options(synchronize_session=False)
        )
        project = session.get(Project, deleted.project_id)
        chosen_again = (
            deleted.was_report_scenario
            and project is not None
            and project.report_scenario_id is None  # nobody chose another one meanwhile
        )
        if chosen_again:
            _set_report_scenario(session, deleted.project_id, scenario.id)
        crud.record_activity(
            session,
            project_id=deleted.project_id,
            actor=actor,
            action="scenario restored",
            summary=f"Restored the deleted scenario {deleted.name!r} (undo of the delete)."
            + (" The report uses it again." if chosen_again else ""),
            changes={"scenario_id": scenario.id, "name": deleted.name, "seed": deleted.seed},
        )
        session.commit()
        session.refresh(scenario)
        return _public(scenario)


def get_scenario(engine: Engine, scenario_id: int) -> ScenarioPublic:
    """One scenario; raises NotFound if it does not exist."""
    with Session(engine) as session:
        row = session.get(Scenario, scenario_id)
        if row is None:
            raise NotFound(f"There is no scenario with id {scenario_id} (deleted?).")
        return _public(row)


def list_scenarios(engine: Engine, project_id: int) -> list[ScenarioPublic]:
    """A project's scenarios, by name."""
    with Session(engine) as session:
        rows = session.exec(
            select(Scenario)
            .where(Scenario.project_id == project_id)
            .order_by(func.lower(Scenario.name), col(Scenario.id))
        ).all()
        return [_public(row) for row in rows]


def _set_report_scenario(session: Session, project_id: int, scenario_id: int | None) -> None:
    """Point the project's report at a scenario (or at none). Not a charter edit: the project's
    version stays, so nobody's open charter form turns stale because of it."""
    session.execute(
        update(Project)
        .where(col(Project.id) == project_id)
        .values(report_scenario_id=scenario_id)
        .execution_options(synchronize_session=False)
    )


@dataclass(frozen=True)
class ReportScenario:
    """The scenario a project's report shows, and how it was picked.

    Attributes:
        scenario: the scenario, or None when the project has none saved.
        chosen: True when someone chose it for the report on Cost & value; False when none is
            chosen and the report falls back to the most recently saved one (it says so).
    """

    scenario: ScenarioPublic | None
    chosen: bool

    @property
    def scenario_id(self) -> int | None:
        return None if self.scenario is None else self.scenario.id

    def sentence(self) -> str:
        """How the report (and the page) name the scenario, in one sentence."""
        if self.scenario is None:
            return "No scenario is saved yet."
        if self.chosen:
            return f"Scenario “{self.scenario.name}”, chosen for the report."
        return (
            f"Scenario “{self.scenario.name}”, the most recently saved one: no scenario is "
            "chosen for the report yet (choose one on Cost & value)."
        )


def report_scenario(engine: Engine, project_id: int) -> ReportScenario:
    """The scenario the report shows: the chosen one, else the most recently saved one."""
    with Session(engine) as session:
        project = session.get(Project, project_id)
        if project is None:
            raise NotFound(f"There is no project with id {project_id}.")
        chosen_id = project.report_scenario_id
        row = session.get(Scenario, chosen_id) if chosen_id is not None else None
        if row is not None and row.project_id == project_id:
            return ReportScenario(_public(row), chosen=True)
    return ReportScenario(latest_estimate_summary(engine, project_id), chosen=False)


def choose_report_scenario(
    engine: Engine,
    *,
    project_id: int,
    scenario_id: int | None,
    expected_current: int | None,
    actor: str,
) -> ReportScenario:
    """Choose the scenario the report uses (None: no choice, the report falls back to the most
    recently saved one), as the user saw the current choice (``expected_current``).

    Raises NotFound when the scenario is not on the project (deleted?), and InvalidInput when
    someone else changed the choice since (nothing changed).
    """
    actor = check_actor(actor)
    with Session(engine) as session:
        project = session.get(Project, project_id)
        if project is None:
            raise NotFound(f"There is no project with id {project_id}.")
        row = None
        if scenario_id is not None:
            row = session.get(Scenario, scenario_id)
            if row is None or row.project_id != project_id:
                raise NotFound("That scenario is not on this project any more (deleted?).")
        current = project.report_scenario_id
        if current != expected_current:
            now = session.get(Scenario, current) if current is not None else None
            named = f"“{now.name}”" if now is not None else "no scenario"
            raise InvalidInput(
                {
                    "report_scenario": f"Not changed: someone chose {named} for the report "
                    "meanwhile. Look at the choice again and choose once more if you still "
                    "want to."
                }
            )
        if current == scenario_id:
            return report_scenario(engine, project_id)
        _set_report_scenario(session, project_id, scenario_id)
        crud.record_activity(
            session,
            project_id=project_id,
            actor=actor,
            action="report scenario chosen",
            summary=(
                f"The report uses scenario {row.name!r}."
                if row is not None
                else "No scenario is chosen for the report any more."
            ),
            changes={"report_scenario_id": [current, scenario_id]},
        )
        session.commit()
    return report_scenario(engine, project_id)


def latest_estimate_summary(engine: Engine, project_id: int) -> ScenarioPublic | None:
    """The project's most recently updated scenario (its ``results`` hold the ranges), if any."""
    with Session(engine) as session:
        row = session.exec(
            select(Scenario)
            .where(Scenario.project_id == project_id)
            .order_by(col(Scenario.updated_at).desc(), col(Scenario.id).desc())
            .limit(1)
        ).first()
        return None if row is None else _public(row)


# --- comparison ----------------------------------------------------------------------------

TOTAL_ROWS = {
    "Total cost, likely (USD)": lambda s: s.total.likely,
    "Total cost P10 (USD)": lambda s: s.total.p10,
    "Total cost P50 (USD)": lambda s: s.total.p50,
    "Total cost P90 (USD)": lambda s: s.total.p90,
}
VALUE_ROWS = {
    "Net value a month, likely (USD)": lambda s: s.value["net_value_usd"].likely,
    "Net value a month P10 (USD)": lambda s: s.value["net_value_usd"].p10,
    "Net value a month P50 (USD)": lambda s: s.value["net_value_usd"].p50,
    "Net value a month P90 (USD)": lambda s: s.value["net_value_usd"].p90,
    "Net value a year, likely (USD)": lambda s: s.net_value_per_year.likely,
    "Net of run cost, a month, likely (USD)": (lambda s: s.value["monthly_net_benefit_usd"].likely),
    "Net benefit over the horizon P50 (USD)": lambda s: s.value["horizon_net_benefit_usd"].p50,
    "Break-even precision": lambda s: s.break_even_precision,
    "Payback (months)": lambda s: s.payback_months,
    "ROI over the horizon": lambda s: s.roi,
}
OTHER_ROWS = {
    "Training GPU-hours, likely": lambda s: s.training_gpu_hours.likely,
    "Training CO2, likely (kg)": lambda s: s.training_co2_kg.likely,
    "Horizon (months)": lambda s: s.horizon_months,
    "Seed": lambda s: s.seed,
}


def comparison_table(summaries: Mapping[str, EstimateSummary]) -> pd.DataFrame:
    """One column per scenario name; rows: each cost line (likely), the total's likely and
    P10/P50/P90, value outputs, break-even precision, payback, ROI, GPU-hours, CO2, seed.

    A missing ratio (payback never reached, ROI with nothing spent) is NaN.
    """
    rows = {f"{LINE_LABELS[line]} (likely, USD)": line for line in COST_LINES}
    data: dict[str, list[float]] = {}
    for name, summary in summaries.items():
        column = [summary.lines[line].likely for line in rows.values()]
        for getter in (*TOTAL_ROWS.values(), *VALUE_ROWS.values(), *OTHER_ROWS.values()):
            value = getter(summary)
            column.append(math.nan if value is None else float(value))
        data[name] = column
    index = [*rows, *TOTAL_ROWS, *VALUE_ROWS, *OTHER_ROWS]
    return pd.DataFrame(data, index=pd.Index(index, name="Result"), dtype="float64")


def compare_scenarios(
    engine: Engine, *, project_id: int, scenario_ids: Sequence[int]
) -> pd.DataFrame:
    """Scenarios of a project side by side (see ``comparison_table``), columns in the order
    asked; raises NotFound if one is not on the project."""
    with Session(engine) as session:
        rows = session.exec(
            select(Scenario).where(
                Scenario.project_id == project_id, col(Scenario.id).in_(list(scenario_ids))
            )
        ).all()
        by_id = {row.id: _public(row) for row in rows}
    missing = [i for i in scenario_ids if i not in by_id]
    if missing:
        raise NotFound(f"Scenario(s) {missing} are not on this project (deleted?).")
    return comparison_table({by_id[i].name: by_id[i].results for i in scenario_ids})


# --- helpers for the page -----------------------------------------------------------------


def matching_gpu(
    hardware: NamedTable[GpuSpec], *, peak_tflops: float, power_w: float
) -> GpuSpec | None:
    """The first GPU of the table with this peak and power, or None (a custom GPU)."""
    for gpu in hardware:
        if gpu.peak_dense_16bit_tflops == peak_tflops and gpu.board_power_w == power_w:
            return gpu
    return None


def matching_region(
    regions: NamedTable[GridRegion], *, carbon_kg_per_kwh: float
) -> GridRegion | None:
    """The first region of the table with this intensity, or None (a custom figure)."""
    for region in regions:
        if region.carbon_kg_per_kwh == carbon_kg_per_kwh:
            return region
    return None


@dataclass(frozen=True)
class ValueCosts:
    """The cost estimate split the way the value model needs it.

    Attributes:
        upfront_usd: one-off lines (training, experimentation, labeling, people), likely.
        monthly_run_usd: recurring lines (retraining, serving, storage, out-of-hours saving)
            per month of the horizon, likely.
    """

    upfront_usd: float
    monthly_run_usd: float


def value_costs(cost: ProjectCostEstimate, *, horizon_months: float) -> ValueCosts:
    """Upfront and monthly run cost for the value model, from the cost estimate's likely lines."""
    upfront = sum(cost.lines_usd[line] for line in ONE_OFF_LINES)
    recurring = sum(v for line, v in cost.lines_usd.items() if line not in ONE_OFF_LINES)
    return ValueCosts(
        upfront_usd=upfront,
        monthly_run_usd=max(0.0, recurring / horizon_months) if horizon_months > 0 else 0.0,
    )


LINKED_VALUE_FIELDS = ("upfront_cost_usd", "monthly_run_cost_usd")
"""Value inputs that ``link_value_costs`` takes from the cost estimate."""


def link_value_costs(cost_inputs: CostModelInputs, value: Mapping[str, Any]) -> dict[str, Any]:
    """The value inputs (``to_dict()`` form) with the upfront and monthly run cost taken from
    the cost estimate's likely lines (``value_costs``), rounded to whole dollars."""
    split = value_costs(
        estimate_project_cost(cost_inputs), horizon_months=_likely(cost_inputs.horizon_months)
    )
    return {
        **value,
        "upfront_cost_usd": float(round(split.upfront_usd)),
        "monthly_run_cost_usd": float(round(split.monthly_run_usd)),
    }


def is_linked(cost: Mapping[str, Any], value: Mapping[str, Any]) -> bool:
    """Whether a scenario's upfront and run cost are the ones its cost estimate gives."""
    try:
        cost_inputs = CostModelInputs.from_dict(cost)
    except InvalidEstimateInput:
        return False
    linked = link_value_costs(cost_inputs, value)
    return all(value.get(field) == linked[field] for field in LINKED_VALUE_FIELDS)


def starter_inputs(gpu: GpuSpec | None = None) -> tuple[CostModelInputs, ValueModelInputs]:
    """Where a new estimate starts: the domain's defaults with the GPU's specification and
    default price, the usual suspects given as ranges (MFU as published, experiments, weeks of
    work, peak load, label price, precision, recall, benefit), and the value model's upfront and
    run cost taken from this cost estimate."""
    cost = CostModelInputs()
    if gpu is not None:
        cost = replace(
            cost,
            peak_tflops=gpu.peak_dense_16bit_tflops,
            gpu_power_w=gpu.board_power_w,
            price_per_gpu_hour_usd=gpu.price_per_gpu_hour_usd,
        )
    cost = replace(
        cost,
        mfu=Range(0.2, 0.35, 0.45),
        experiments=Range(5.0, 10.0, 20.0),
        price_per_label_usd=Range(0.05, 0.10, 0.20),
        peak_requests_per_second=Range(10.0, 20.0, 40.0),
        roles=(
            RoleEffort("Data scientist", people=1.0, weeks=Range(8, 12, 20), weekly_rate_usd=3000),
            RoleEffort("ML engineer", people=1.0, weeks=Range(6, 8, 12), weekly_rate_usd=3200),
        ),
    )
    value = replace(
        ValueModelInputs(),
        precision=Range(0.5, 0.6, 0.7),
        recall=Range(0.6, 0.7, 0.8),
        benefit_tp_usd=Range(30.0, 50.0, 80.0),
        horizon_months=cost.horizon_months,
    )
    return cost, ValueModelInputs.from_dict(link_value_costs(cost, value.to_dict()))
