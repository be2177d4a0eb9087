"""An estimate from one set of inputs (ranges, sensitivities, the summary a scenario keeps),
scenarios compared side by side, and the small helpers the estimate page uses."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from workbench.domain.estimates import (
    COST_LINES,
    DEFAULT_DRAWS,
    CostModelInputs,
    InvalidEstimateInput,
    ProjectCostEstimate,
    ProjectCostSimulation,
    Range,
    RoleEffort,
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
from workbench.errors import InvalidInput
from workbench.models.estimates import EstimateSummary
from workbench.reference.estimates import GpuSpec, GridRegion, NamedTable
from workbench.services.estimates.inputs import (
    DEFAULT_SEED,
    LINE_LABELS,
    ONE_OFF_LINES,
    _error_key,
    _message,
)

# --- results ------------------------------------------------------------------------------


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
