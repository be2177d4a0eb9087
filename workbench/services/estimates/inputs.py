"""The estimate's inputs: what each one means (labels, help, formulas, units and bounds), and
their validation into the domain's ``CostModelInputs`` / ``ValueModelInputs`` (messages keyed
``cost.<field>`` / ``value.<field>``, ``cost.roles[n]`` for row n of the people table)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any, Literal

from workbench.domain.estimates import CostModelInputs, InvalidEstimateInput, ValueModelInputs
from workbench.errors import InvalidInput
from workbench.models import LONG_TEXT_MAX, NAME_MAX

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
