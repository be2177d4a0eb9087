"""Cost and impact estimators: documented formulas, uncertainty ranges and a project cost model.

Every estimator is a pure function: plain numbers in, a frozen dataclass out. The formulas and
the published figures they reproduce are in ``shared/reference/estimates.md``; each docstring
names its source and gives a worked example.

Most estimators also accept NumPy arrays (one value per simulated draw) and then return arrays of
the same shape. That is how the seeded Monte-Carlo simulation (``simulate``,
``simulate_project_cost``, ``simulate_value``) evaluates 10,000 draws without a Python loop. The
A/B-test functions are scalar only.

Uncertain inputs are given as ``Range(low, likely, high)``; a plain number is a fixed value. The
simulation draws each ranged input from a triangular distribution on [low, high] with its mode at
``likely``, independently of the others, from ``numpy.random.default_rng(seed)``: the same seed
gives the same numbers.

Invalid input (a negative count, a probability outside [0, 1], an MFU of 0, zero GPUs, …) raises
``InvalidEstimateInput``, a ``ValueError`` whose message starts with the name of the input.
"""

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from statistics import NormalDist
from typing import Any, Literal, TypeAlias

import numpy as np
import numpy.typing as npt

__all__ = [
    "AB_TEST_METHODS",
    "CLASSICAL_INPUTS",
    "COST_LINES",
    "DEFAULT_DRAWS",
    "DEFAULT_MFU",
    "DEFAULT_PUE",
    "HOURS_PER_MONTH",
    "HOURS_PER_WEEK",
    "NEURAL_INPUTS",
    "VALUE_OUTPUTS",
    "AbTestMethod",
    "AbTestPlan",
    "ClassicalTrainingEstimate",
    "Co2Estimate",
    "CostModelInputs",
    "ExperimentationEstimate",
    "InvalidEstimateInput",
    "LabelingEstimate",
    "PeopleEstimate",
    "ProjectCostEstimate",
    "ProjectCostSimulation",
    "Quantity",
    "Range",
    "Real",
    "RetrainingEstimate",
    "RoleEffort",
    "ServingEstimate",
    "ShutdownSaving",
    "SimulationResult",
    "StorageEstimate",
    "TornadoBar",
    "TrainingComputeEstimate",
    "ValueEstimate",
    "ValueModelInputs",
    "ValueSimulation",
    "ab_test_duration_days",
    "ab_test_plan",
    "ab_test_power",
    "ab_test_sample_size",
    "classical_training_cost",
    "co2_emissions",
    "cohens_h",
    "cost_sensitivity",
    "estimate_project_cost",
    "estimate_value",
    "experimentation_cost",
    "inapplicable_inputs",
    "labeling_cost",
    "people_cost",
    "retraining_cost",
    "serving_capacity",
    "shutdown_saving",
    "simulate",
    "simulate_project_cost",
    "simulate_value",
    "storage_cost",
    "training_compute",
    "trains_classical",
    "trains_neural",
    "value_of_predictions",
    "value_sensitivity",
]

Real: TypeAlias = float | npt.NDArray[np.float64]
"""A number, or an array of numbers (one per simulated draw)."""

HOURS_PER_MONTH = 730.0
"""Hours in a billing month, as in the AWS Pricing Calculator (365 × 24 / 12)."""

HOURS_PER_WEEK = 168.0
"""Hours in a week (7 × 24)."""

DEFAULT_MFU = 0.35
"""Model FLOPs utilisation assumed when none is given: the low end of the 0.35–0.45 seen in large
dense-transformer runs on A100/H100 (Bekman, *Machine Learning Engineering*; Transformer Math
101). Small models, few GPUs and V100-era hardware reach less (about 0.2)."""

DEFAULT_PUE = 1.0
"""Power usage effectiveness assumed when none is given: 1.0, the convention of CodeCarbon and of
ML CO2 Impact (Lacoste et al. 2019), i.e. no data-centre overhead on top of the board power.
Meta's Llama 2 figures fold the overhead into the power column instead; the LLaMA paper used 1.1."""

DEFAULT_DRAWS = 10_000
"""Monte-Carlo draws per simulation unless told otherwise."""

AbTestMethod: TypeAlias = Literal["pooled", "cohen-h", "baseline-variance"]
AB_TEST_METHODS: tuple[str, ...] = ("pooled", "cohen-h", "baseline-variance")
"""Sample-size formulas ``ab_test_sample_size`` knows; ``pooled`` is the default."""

_NORMAL = NormalDist()


class InvalidEstimateInput(ValueError):
    """An estimator input is out of its valid range; the message starts with the input's name.

    Attributes:
        parameter: the input's name (e.g. ``"mfu"``), or None when the problem involves several.
        detail: the message without the name, e.g. ``"must be > 0 and <= 1 (got 0)"``.
    """

    def __init__(self, parameter: str | None, detail: str):
        self.parameter = parameter
        self.detail = detail
        super().__init__(f"{parameter} {detail}" if parameter else detail)


# --- validation -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Rule:
    """The valid interval of one input; ``None`` means unbounded on that side."""

    minimum: float | None = 0.0
    maximum: float | None = None
    min_open: bool = False
    max_open: bool = False
    why: str = ""
    """Why the bounds are where they are (a plausible bound, not a mathematical one)."""

    def requirement(self) -> str:
        parts = []
        if self.minimum is not None:
            parts.append(f"{'>' if self.min_open else '>='} {_bound_text(self.minimum)}")
        if self.maximum is not None:
            parts.append(f"{'<' if self.max_open else '<='} {_bound_text(self.maximum)}")
        return "must be " + " and ".join(parts) if parts else "must be a number"


def _bound_text(value: float) -> str:
    """A bound for people: 1,000,000 rather than 1e+06."""
    if abs(value) >= 1e4 and float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:g}"


_NON_NEGATIVE = _Rule()
_POSITIVE = _Rule(min_open=True)
_PROBABILITY = _Rule(maximum=1.0)
_OPEN_UNIT = _Rule(maximum=1.0, min_open=True, max_open=True)
_UTILISATION = _Rule(maximum=1.0, min_open=True)  # MFU, target utilisation, share, precision
_PUE_RULE = _Rule(minimum=1.0)
_HOURS_IN_WEEK = _Rule(maximum=HOURS_PER_WEEK)
_POWER_RULE = _Rule(minimum=0.5, maximum=1.0, max_open=True)  # below 0.5, z₁₋β turns negative

# Plausible bounds of the cost and value models' inputs. The formulas accept any finite number;
# a figure past these bounds is a typo (a missing decimal point, a unit mix-up), and letting it
# through puts 300-digit dollar figures in front of a sponsor. Each bound says why it is there.
_WHY: dict[str, str] = {
    "model_params": "10 trillion parameters is beyond the largest models trained so far",
    "dataset_tokens": "a quadrillion tokens is beyond any training set built so far",
    "epochs": "more than 1,000 passes over the data is not a training plan",
    "mfu": "MFU is a share of the GPU's peak: 0.35 means 35 %; below 1 % no real run is that "
    "slow (check the units)",
    "peak_tflops": "no single GPU reaches 10,000 dense TFLOP/s, and none is slower than 0.1",
    "gpus": "a million GPUs is beyond the largest clusters",
    "price_per_gpu_hour_usd": "no GPU rents for more than $1,000 an hour",
    "gpu_power_w": "no single GPU draws more than 10 kW",
    "pue": "PUE is at least 1 (no overhead); data centres above 3 are not built any more",
    "carbon_kg_per_kwh": "the dirtiest grids emit about 1 kg CO2e per kWh",
    "minutes_per_run": "a million minutes is almost two years for one fit",
    "trials": "a million hyper-parameter candidates is not a plan",
    "folds": "more than 100 folds is not a cross-validation plan",
    "price_per_hour": "no instance rents for more than $1,000 an hour",
    "experiments": "100,000 distinct ideas is beyond any project",
    "runs": "10,000 runs of one idea is beyond any project",
    "cost_per_run": "a single experiment run above $10 million is a training run, not a trial",
    "examples": "ten billion labelled examples is beyond any labeling budget",
    "labels": "more than 100 judgements per example is not a labeling plan",
    "label_price": "no single judgement costs more than $10,000",
    "qa_overhead": "QA overhead is a share of the base cost: 0.1 means 10 %",
    "retrains": "8,760 is one retrain an hour",
    "peak_rps": "100 million requests a second is beyond the largest services",
    "rps_per_instance": "an instance serves between 0.001 and 10 million requests a second",
    "replicas": "100,000 replicas is beyond any single service",
    "storage_gb": "a billion GB is an exabyte",
    "price_per_gb": "no storage costs more than $100 per GB-month",
    "horizon": "estimates beyond ten years (120 months) are not estimates",
    "population": "ten billion cases a month is more than one per person on Earth",
    "per_case": "a single case worth more than $1 billion is not a per-case figure",
    "run_cost": "a run cost above $1 billion a month is beyond any model",
    "upfront": "an upfront cost above $100 billion is beyond any project",
    "precision": "precision is a share: 0.6 means 60 %; below 0.001 nothing flagged is right",
    "utilisation": "utilisation is a share: 0.6 means 60 %; below 5 % is not a capacity plan",
    "people": "10,000 people of one role is beyond any project",
    "weeks": "520 weeks is ten years",
    "weekly_rate_usd": "no person-week costs more than $1 million",
}
"""Why each input's plausible bound is where it is, by the input (or its kind)."""


def _upto(maximum: float, why: str, *, minimum: float = 0.0, open_zero: bool = False) -> _Rule:
    """An input's plausible interval: from ``minimum`` (0 excluded with ``open_zero``) up to
    ``maximum``, with the reason."""
    return _Rule(minimum=minimum, maximum=maximum, min_open=open_zero, why=why)


_MFU_RULE = _Rule(minimum=0.01, maximum=1.0, why=_WHY["mfu"])
_PUE_INPUT_RULE = _Rule(minimum=1.0, maximum=3.0, why=_WHY["pue"])
_TARGET_UTILISATION_RULE = _Rule(minimum=0.05, maximum=1.0, why=_WHY["utilisation"])
_PRECISION_RULE = _Rule(minimum=0.001, maximum=1.0, why=_WHY["precision"])
_ROLE_RULES = {
    name: _upto(limit, _WHY[name])
    for name, limit in (("people", 1e4), ("weeks", 520.0), ("weekly_rate_usd", 1e6))
}


def _format_value(value: float) -> str:
    return f"{value:g}"


def _check(name: str, value: Any, rule: _Rule) -> None:
    """Raise ``InvalidEstimateInput`` unless every element of ``value`` lies in ``rule``."""
    if value is None:
        raise InvalidEstimateInput(name, "is required (got None)")
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise InvalidEstimateInput(name, f"must be a number (got {value!r})") from None
    if not np.all(np.isfinite(array)):
        bad = array[~np.isfinite(array)] if array.ndim else array
        raise InvalidEstimateInput(name, f"must be a finite number (got {_first(bad)})")
    ok = np.ones(array.shape, dtype=bool)
    if rule.minimum is not None:
        ok &= array > rule.minimum if rule.min_open else array >= rule.minimum
    if rule.maximum is not None:
        ok &= array < rule.maximum if rule.max_open else array <= rule.maximum
    if not np.all(ok):
        bad = array[~ok] if array.ndim else array
        suffix = "" if array.ndim == 0 else " in some simulated draws"
        detail = f"{rule.requirement()} (got {_first(bad)}{suffix})"
        if rule.why and not (rule.minimum == 0.0 and np.all(bad < 0)):  # a sign is no typo
            detail += f": {rule.why}"
        raise InvalidEstimateInput(name, detail)


def _first(array: npt.NDArray[np.float64]) -> str:
    return _format_value(float(array.flat[0]))


def _out(value: Any) -> Real:
    """A plain float for a scalar result, the array itself for a vectorised one."""
    return float(value) if np.ndim(value) == 0 else value


# --- training -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrainingComputeEstimate:
    """Compute, time and cost of one neural-network training run.

    Attributes:
        train_flops: floating-point operations of the run (FLOPs).
        gpu_hours: GPU-hours the run takes at the given MFU.
        wall_clock_days: calendar days with all GPUs busy.
        cost_usd: GPU-hours × price per GPU-hour (USD).
    """

    train_flops: Real
    gpu_hours: Real
    wall_clock_days: Real
    cost_usd: Real


def training_compute(
    *,
    model_params: Real,
    dataset_tokens: Real,
    peak_tflops: Real,
    mfu: Real = DEFAULT_MFU,
    epochs: Real = 1.0,
    gpus: Real = 1.0,
    price_per_gpu_hour_usd: Real = 0.0,
) -> TrainingComputeEstimate:
    """Estimate FLOPs, GPU-hours, wall-clock days and cost of training a neural network.

    Formula:
        train_flops = 6 · N · D, with D = dataset_tokens × epochs (tokens seen);
        gpu_hours = train_flops / (mfu × peak_tflops × 10¹² × 3600);
        wall_clock_days = gpu_hours / gpus / 24;
        cost_usd = gpu_hours × price_per_gpu_hour_usd.

    Source:
        Kaplan et al. 2020, *Scaling Laws for Neural Language Models* §2.1 (C ≈ 6·N·D: two FLOPs
        per parameter per token forward, four backward); EleutherAI, *Transformer Math 101*
        (2023). For a mixture-of-experts model use the active parameters. With MFU 0.38 and
        312 TFLOP/s this lands within ±30 % of Meta's published Llama 2 GPU-hours.

    Args:
        model_params: parameters N (count, ≥ 0).
        dataset_tokens: tokens (or examples × tokens per example) in one epoch (count, ≥ 0).
        peak_tflops: the GPU's peak dense 16-bit throughput, no sparsity (TFLOP/s, > 0).
        mfu: model FLOPs utilisation, the fraction of peak achieved (0 < mfu ≤ 1).
        epochs: passes over the dataset (≥ 0).
        gpus: GPUs training in parallel (> 0); only the wall-clock time depends on it.
        price_per_gpu_hour_usd: price of one GPU for one hour (USD, ≥ 0).

    Returns:
        A ``TrainingComputeEstimate``.

    Raises:
        InvalidEstimateInput: on a negative count or price, MFU ≤ 0 or > 1, zero GPUs or peak.

    Example:
        Llama 2 7B: 6 × 7e9 × 2.0e12 = 8.4e22 FLOPs; on A100 (312 TFLOP/s) at MFU 0.38 that is
        8.4e22 / (0.38 × 312e12 × 3600) ≈ 196,806 GPU-hours (Meta reports 184,320); on 2,048
        GPUs about 4.0 days; at $4.10 per GPU-hour about $806,905.

        >>> e = training_compute(model_params=7e9, dataset_tokens=2e12, peak_tflops=312,
        ...                      mfu=0.38, gpus=2048, price_per_gpu_hour_usd=4.10)
        >>> round(e.gpu_hours), round(e.wall_clock_days, 2), round(e.cost_usd)
        (196806, 4.0, 806905)
    """
    _check("model_params", model_params, _NON_NEGATIVE)
    _check("dataset_tokens", dataset_tokens, _NON_NEGATIVE)
    _check("epochs", epochs, _NON_NEGATIVE)
    _check("peak_tflops", peak_tflops, _POSITIVE)
    _check("mfu", mfu, _UTILISATION)
    _check("gpus", gpus, _POSITIVE)
    _check("price_per_gpu_hour_usd", price_per_gpu_hour_usd, _NON_NEGATIVE)
    train_flops = 6.0 * model_params * dataset_tokens * epochs
    gpu_hours = train_flops / (mfu * peak_tflops * 1e12 * 3600.0)
    return TrainingComputeEstimate(
        train_flops=_out(train_flops),
        gpu_hours=_out(gpu_hours),
        wall_clock_days=_out(gpu_hours / gpus / 24.0),
        cost_usd=_out(gpu_hours * price_per_gpu_hour_usd),
    )


@dataclass(frozen=True)
class ClassicalTrainingEstimate:
    """Instance time and cost of a classical-ML search (trials × folds fits).

    Attributes:
        runs: fits in total (trials × folds).
        instance_hours: hours of the instance the fits take.
        cost_usd: instance-hours × price per instance-hour (USD).
    """

    runs: Real
    instance_hours: Real
    cost_usd: Real


def classical_training_cost(
    *,
    minutes_per_run: Real,
    price_per_instance_hour_usd: Real,
    trials: Real = 1.0,
    folds: Real = 1.0,
) -> ClassicalTrainingEstimate:
    """Estimate the cost of a classical-ML training search from the measured time of one fit.

    Formula:
        runs = trials × folds;
        instance_hours = minutes_per_run × runs / 60;
        cost_usd = instance_hours × price_per_instance_hour_usd.

    Source:
        scikit-learn's ``GridSearchCV``/``RandomizedSearchCV`` fit every candidate once per
        cross-validation fold ("Fitting 5 folds for each of 20 candidates, totalling 100 fits");
        the time of one fit is measured on a sample, not modelled.

    Args:
        minutes_per_run: measured wall-clock minutes of one fit on the instance (≥ 0).
        price_per_instance_hour_usd: on-demand price of the instance (USD per hour, ≥ 0).
        trials: hyper-parameter candidates tried (count, ≥ 0).
        folds: cross-validation folds per candidate (count, ≥ 0; 1 for a single split).

    Returns:
        A ``ClassicalTrainingEstimate``.

    Raises:
        InvalidEstimateInput: on any negative input.

    Example:
        12-minute fits, 50 candidates, 5 folds on a $0.384/h instance: 250 fits, 50 hours, $19.20.

        >>> e = classical_training_cost(minutes_per_run=12, trials=50, folds=5,
        ...                             price_per_instance_hour_usd=0.384)
        >>> e.runs, e.instance_hours, round(e.cost_usd, 2)
        (250.0, 50.0, 19.2)
    """
    _check("minutes_per_run", minutes_per_run, _NON_NEGATIVE)
    _check("price_per_instance_hour_usd", price_per_instance_hour_usd, _NON_NEGATIVE)
    _check("trials", trials, _NON_NEGATIVE)
    _check("folds", folds, _NON_NEGATIVE)
    runs = trials * folds
    instance_hours = minutes_per_run * runs / 60.0
    return ClassicalTrainingEstimate(
        runs=_out(runs),
        instance_hours=_out(instance_hours),
        cost_usd=_out(instance_hours * price_per_instance_hour_usd),
    )


# --- CO2 ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Co2Estimate:
    """Energy and emissions of some GPU time.

    Attributes:
        energy_kwh: electricity drawn, including data-centre overhead via PUE (kWh).
        co2_kg: emissions (kg CO2-equivalent).
    """

    energy_kwh: Real
    co2_kg: Real


def co2_emissions(
    *,
    gpu_hours: Real,
    power_w: Real,
    carbon_kg_per_kwh: Real,
    pue: Real = DEFAULT_PUE,
) -> Co2Estimate:
    """Estimate the energy and CO2 of GPU time.

    Formula:
        energy_kwh = gpu_hours × power_w / 1000 × pue;
        co2_kg = energy_kwh × carbon_kg_per_kwh.

    Source:
        Lacoste et al. 2019, *Quantifying the Carbon Emissions of Machine Learning* (the ML CO2
        Impact calculator: no PUE); CodeCarbon (PUE default 1.0). **Defaults follow that
        convention: PUE 1.0.** Meta's Llama 2 model card folds the overhead into its power column
        (400 W per A100) and implies 0.42345 kg/kWh; the LLaMA paper used PUE 1.1 and
        0.385 kg/kWh. Do not apply a PUE on top of a power figure that already includes it.

    Args:
        gpu_hours: GPU-hours of compute (≥ 0).
        power_w: average power per GPU (W, ≥ 0), e.g. the board power.
        carbon_kg_per_kwh: grid carbon intensity (kg CO2e per kWh, ≥ 0).
        pue: data-centre power usage effectiveness (≥ 1).

    Returns:
        A ``Co2Estimate``.

    Raises:
        InvalidEstimateInput: on negative hours, power or intensity, or PUE below 1.

    Example:
        Llama 2 7B: 184,320 GPU-hours × 0.4 kW = 73,728 kWh; × 0.42345 kg/kWh = 31,220 kg
        (Meta: 31.22 tCO2eq).

        >>> e = co2_emissions(gpu_hours=184_320, power_w=400, carbon_kg_per_kwh=0.42345)
        >>> round(e.energy_kwh), round(e.co2_kg / 1000, 2)
        (73728, 31.22)
    """
    _check("gpu_hours", gpu_hours, _NON_NEGATIVE)
    _check("power_w", power_w, _NON_NEGATIVE)
    _check("carbon_kg_per_kwh", carbon_kg_per_kwh, _NON_NEGATIVE)
    _check("pue", pue, _PUE_RULE)
    energy_kwh = gpu_hours * power_w / 1000.0 * pue
    return Co2Estimate(energy_kwh=_out(energy_kwh), co2_kg=_out(energy_kwh * carbon_kg_per_kwh))


# --- labeling, experimentation, retraining, people ---------------------------------------------


@dataclass(frozen=True)
class LabelingEstimate:
    """Cost of labeling a dataset.

    Attributes:
        labels: labels bought (examples × labels per example).
        base_cost_usd: labels × price per label (USD).
        qa_cost_usd: quality-assurance overhead (USD).
        cost_usd: base + QA (USD).
    """

    labels: Real
    base_cost_usd: Real
    qa_cost_usd: Real
    cost_usd: Real


def labeling_cost(
    *,
    examples: Real,
    price_per_label_usd: Real,
    labels_per_example: Real = 1.0,
    qa_overhead_fraction: Real = 0.0,
) -> LabelingEstimate:
    """Estimate the cost of labeling.

    Formula:
        labels = examples × labels_per_example;
        cost_usd = labels × price_per_label_usd × (1 + qa_overhead_fraction).

    Source:
        Vendor pricing is per labeled object or per worker judgement (e.g. Amazon SageMaker
        Ground Truth: a price per object plus a price per worker per task); several judgements
        per example buy consensus, and review adds a share on top.

    Args:
        examples: examples to label (count, ≥ 0).
        price_per_label_usd: price of one judgement (USD, ≥ 0).
        labels_per_example: judgements per example, e.g. 3 for majority vote (≥ 0).
        qa_overhead_fraction: review and rework on top, as a fraction of the base cost (≥ 0;
            0.1 = 10 %).

    Returns:
        A ``LabelingEstimate``.

    Raises:
        InvalidEstimateInput: on any negative input.

    Example:
        10,000 examples × 3 judgements × $0.05, plus 10 % QA: $1,500 + $150 = $1,650.

        >>> e = labeling_cost(examples=10_000, labels_per_example=3, price_per_label_usd=0.05,
        ...                   qa_overhead_fraction=0.1)
        >>> e.labels, round(e.base_cost_usd, 2), round(e.cost_usd, 2)
        (30000.0, 1500.0, 1650.0)
    """
    _check("examples", examples, _NON_NEGATIVE)
    _check("price_per_label_usd", price_per_label_usd, _NON_NEGATIVE)
    _check("labels_per_example", labels_per_example, _NON_NEGATIVE)
    _check("qa_overhead_fraction", qa_overhead_fraction, _NON_NEGATIVE)
    labels = examples * labels_per_example
    base = labels * price_per_label_usd
    qa = base * qa_overhead_fraction
    return LabelingEstimate(
        labels=_out(labels),
        base_cost_usd=_out(base),
        qa_cost_usd=_out(qa),
        cost_usd=_out(base + qa),
    )


@dataclass(frozen=True)
class ExperimentationEstimate:
    """Cost of the experiments before the final model.

    Attributes:
        runs: training runs in total.
        cost_usd: runs × cost per run (USD).
    """

    runs: Real
    cost_usd: Real


def experimentation_cost(
    *, experiments: Real, runs_per_experiment: Real, cost_per_run_usd: Real
) -> ExperimentationEstimate:
    """Estimate the compute cost of experimentation.

    Formula:
        runs = experiments × runs_per_experiment; cost_usd = runs × cost_per_run_usd.

    Source:
        Counting rule; the cost of a run comes from ``training_compute`` or
        ``classical_training_cost`` on the experiment's (usually smaller) setting.

    Args:
        experiments: distinct ideas tried (count, ≥ 0).
        runs_per_experiment: runs per idea: seeds, sweeps, reruns (count, ≥ 0).
        cost_per_run_usd: compute cost of one run (USD, ≥ 0).

    Returns:
        An ``ExperimentationEstimate``.

    Raises:
        InvalidEstimateInput: on any negative input.

    Example:
        >>> experimentation_cost(experiments=10, runs_per_experiment=3, cost_per_run_usd=50)
        ExperimentationEstimate(runs=30.0, cost_usd=1500.0)
    """
    _check("experiments", experiments, _NON_NEGATIVE)
    _check("runs_per_experiment", runs_per_experiment, _NON_NEGATIVE)
    _check("cost_per_run_usd", cost_per_run_usd, _NON_NEGATIVE)
    runs = experiments * runs_per_experiment
    return ExperimentationEstimate(runs=_out(runs), cost_usd=_out(runs * cost_per_run_usd))


@dataclass(frozen=True)
class RetrainingEstimate:
    """Cost of keeping the model fresh.

    Attributes:
        annual_cost_usd: runs per year × cost per run (USD per year).
    """

    annual_cost_usd: Real


def retraining_cost(*, runs_per_year: Real, cost_per_run_usd: Real) -> RetrainingEstimate:
    """Estimate the yearly cost of retraining on a cadence.

    Formula:
        annual_cost_usd = runs_per_year × cost_per_run_usd.

    Source:
        Counting rule (a monthly cadence is 12 runs a year; a quarterly one, 4).

    Args:
        runs_per_year: retraining runs per year (≥ 0).
        cost_per_run_usd: cost of one retraining run (USD, ≥ 0).

    Returns:
        A ``RetrainingEstimate``.

    Raises:
        InvalidEstimateInput: on any negative input.

    Example:
        >>> retraining_cost(runs_per_year=12, cost_per_run_usd=250)
        RetrainingEstimate(annual_cost_usd=3000.0)
    """
    _check("runs_per_year", runs_per_year, _NON_NEGATIVE)
    _check("cost_per_run_usd", cost_per_run_usd, _NON_NEGATIVE)
    return RetrainingEstimate(annual_cost_usd=_out(runs_per_year * cost_per_run_usd))


@dataclass(frozen=True)
class RoleEffort:
    """People of one role on the project.

    In ``people_cost`` the numeric fields are numbers; in ``CostModelInputs`` each may be a
    ``Range``.

    Attributes:
        role: what the people do, e.g. "Data scientist".
        people: head count, fractional for part-time (≥ 0).
        weeks: weeks each person spends (≥ 0).
        weekly_rate_usd: fully loaded cost of one person-week (USD, ≥ 0).
    """

    role: str
    people: "Quantity" = 1.0
    weeks: "Quantity" = 1.0
    weekly_rate_usd: "Quantity" = 0.0

    def __post_init__(self) -> None:
        if not isinstance(self.role, str) or not self.role.strip():
            raise InvalidEstimateInput("role", f"must be a non-empty name (got {self.role!r})")
        for name in _ROLE_FIELDS:
            _check_quantity(f"{self.role}: {name}", getattr(self, name), _ROLE_RULES[name])


_ROLE_FIELDS = ("people", "weeks", "weekly_rate_usd")


@dataclass(frozen=True)
class PeopleEstimate:
    """Cost of people's time.

    Attributes:
        cost_by_role_usd: (role, cost in USD) per role, in the order given.
        person_weeks: people × weeks, summed over roles.
        cost_usd: total (USD).
    """

    cost_by_role_usd: tuple[tuple[str, Real], ...]
    person_weeks: Real
    cost_usd: Real


def people_cost(
    roles: Iterable[RoleEffort | tuple[str, Real, Real, Real]],
) -> PeopleEstimate:
    """Estimate the cost of people's time, role by role.

    Formula:
        cost per role = people × weeks × weekly_rate_usd; cost_usd = Σ over roles.

    Source:
        Counting rule; the weekly rate should be fully loaded (salary, overhead), as agreed with
        finance.

    Args:
        roles: ``RoleEffort`` items or ``(role, people, weeks, weekly_rate_usd)`` tuples with
            numeric values (head count, weeks, USD per person-week; all ≥ 0).

    Returns:
        A ``PeopleEstimate``.

    Raises:
        InvalidEstimateInput: on a negative value, a blank role or a ``Range`` (simulate those
            through ``CostModelInputs``).

    Example:
        One data scientist for 12 weeks at $3,000 and half an ML engineer for 8 weeks at $3,200:
        $36,000 + $12,800 = $48,800.

        >>> e = people_cost([("Data scientist", 1, 12, 3000), ("ML engineer", 0.5, 8, 3200)])
        >>> e.cost_by_role_usd, e.person_weeks, e.cost_usd
        ((('Data scientist', 36000.0), ('ML engineer', 12800.0)), 16.0, 48800.0)
    """
    by_role: list[tuple[str, Real]] = []
    person_weeks: Real = 0.0
    total: Real = 0.0
    for item in roles:
        role, people, weeks, rate = _role_numbers(item)
        cost = people * weeks * rate
        by_role.append((role, _out(cost)))
        person_weeks = person_weeks + people * weeks
        total = total + cost
    return PeopleEstimate(
        cost_by_role_usd=tuple(by_role), person_weeks=_out(person_weeks), cost_usd=_out(total)
    )


def _role_numbers(item: "RoleEffort | tuple[str, Real, Real, Real]") -> tuple[str, Any, Any, Any]:
    """(role, people, weeks, weekly rate) of one item, validated; numbers or arrays only."""
    if isinstance(item, RoleEffort):
        values = tuple(getattr(item, name) for name in _ROLE_FIELDS)
        if any(isinstance(value, Range) for value in values):
            raise InvalidEstimateInput(
                item.role, "has a Range: people_cost takes numbers; use simulate_project_cost"
            )
        return (item.role, *values)
    try:
        role, people, weeks, rate = item
    except (TypeError, ValueError):
        raise InvalidEstimateInput(
            "roles", f"items must be (role, people, weeks, weekly_rate_usd) (got {item!r})"
        ) from None
    for name, value in zip(_ROLE_FIELDS, (people, weeks, rate), strict=True):
        _check(f"{role}: {name}", value, _NON_NEGATIVE)
    return role, people, weeks, rate


# --- serving, storage, shutdown -----------------------------------------------------------------


@dataclass(frozen=True)
class ServingEstimate:
    """Capacity and cost of serving.

    Attributes:
        instances: instances (replicas) needed at peak.
        monthly_cost_usd: instances × price per hour × 730 (USD per month).
    """

    instances: Real
    monthly_cost_usd: Real


def serving_capacity(
    *,
    peak_requests_per_second: Real,
    requests_per_second_per_instance: Real,
    price_per_instance_hour_usd: Real,
    target_utilisation: Real = 0.6,
    min_replicas: Real = 1.0,
) -> ServingEstimate:
    """Estimate the instances and monthly cost of serving a model.

    Formula:
        instances = max(min_replicas,
                        ⌈peak_requests_per_second /
                         (requests_per_second_per_instance × target_utilisation)⌉);
        monthly_cost_usd = instances × price_per_instance_hour_usd × 730.

    Source:
        Capacity planning with head-room (target-tracking autoscaling keeps each instance near a
        target utilisation); 730 hours per month as in the AWS Pricing Calculator.

    Args:
        peak_requests_per_second: peak load (requests/s, ≥ 0).
        requests_per_second_per_instance: throughput one instance sustains, measured by a load
            test (requests/s, > 0).
        price_per_instance_hour_usd: on-demand price of one instance (USD per hour, ≥ 0).
        target_utilisation: fraction of that throughput to plan for (0 < u ≤ 1).
        min_replicas: instances kept up whatever the load, e.g. 2 for availability (≥ 0).

    Returns:
        A ``ServingEstimate``.

    Raises:
        InvalidEstimateInput: on a negative load, price or replica count, zero throughput, or a
            utilisation outside (0, 1].

    Example:
        50 requests/s at peak, 10 requests/s per instance, planned at 60 %: ⌈50 / 6⌉ = 9
        instances; at $0.526/h that is 9 × 0.526 × 730 = $3,455.82 a month.

        >>> e = serving_capacity(peak_requests_per_second=50, requests_per_second_per_instance=10,
        ...                      target_utilisation=0.6, min_replicas=2,
        ...                      price_per_instance_hour_usd=0.526)
        >>> e.instances, round(e.monthly_cost_usd, 2)
        (9.0, 3455.82)
    """
    _check("peak_requests_per_second", peak_requests_per_second, _NON_NEGATIVE)
    _check("requests_per_second_per_instance", requests_per_second_per_instance, _POSITIVE)
    _check("price_per_instance_hour_usd", price_per_instance_hour_usd, _NON_NEGATIVE)
    _check("target_utilisation", target_utilisation, _UTILISATION)
    _check("min_replicas", min_replicas, _NON_NEGATIVE)
    needed = np.ceil(
        peak_requests_per_second / (requests_per_second_per_instance * target_utilisation)
    )
    instances = np.maximum(np.ceil(min_replicas), needed)
    return ServingEstimate(
        instances=_out(instances),
        monthly_cost_usd=_out(instances * price_per_instance_hour_usd * HOURS_PER_MONTH),
    )


@dataclass(frozen=True)
class StorageEstimate:
    """Cost of keeping data.

    Attributes:
        monthly_cost_usd: GB × price per GB-month (USD per month).
        cost_usd: monthly cost × months (USD).
    """

    monthly_cost_usd: Real
    cost_usd: Real


def storage_cost(
    *, storage_gb: Real, price_per_gb_month_usd: Real, months: Real = 1.0
) -> StorageEstimate:
    """Estimate the cost of storage.

    Formula:
        monthly_cost_usd = storage_gb × price_per_gb_month_usd; cost_usd = monthly × months.

    Source:
        Object storage is billed per GB-month (e.g. Amazon S3 Standard, us-east-1: $0.023 per
        GB-month for the first 50 TB).

    Args:
        storage_gb: data kept (GB, ≥ 0).
        price_per_gb_month_usd: price of one GB for one month (USD, ≥ 0).
        months: months kept (≥ 0).

    Returns:
        A ``StorageEstimate``.

    Raises:
        InvalidEstimateInput: on any negative input.

    Example:
        >>> e = storage_cost(storage_gb=500, price_per_gb_month_usd=0.023, months=12)
        >>> round(e.monthly_cost_usd, 2), round(e.cost_usd, 2)
        (11.5, 138.0)
    """
    _check("storage_gb", storage_gb, _NON_NEGATIVE)
    _check("price_per_gb_month_usd", price_per_gb_month_usd, _NON_NEGATIVE)
    _check("months", months, _NON_NEGATIVE)
    monthly = storage_gb * price_per_gb_month_usd
    return StorageEstimate(monthly_cost_usd=_out(monthly), cost_usd=_out(monthly * months))


@dataclass(frozen=True)
class ShutdownSaving:
    """Effect of switching compute off out of hours.

    Attributes:
        saving_fraction: share of the compute bill saved (0–1).
        monthly_saving_usd: compute × saving fraction (USD per month).
        monthly_cost_before_usd: compute + non-compute, always on (USD per month).
        monthly_cost_after_usd: the same with the saving taken off (USD per month).
    """

    saving_fraction: Real
    monthly_saving_usd: Real
    monthly_cost_before_usd: Real
    monthly_cost_after_usd: Real


def shutdown_saving(
    *,
    hours_on_per_week: Real,
    monthly_compute_usd: Real = 0.0,
    monthly_non_compute_usd: Real = 0.0,
) -> ShutdownSaving:
    """Estimate the saving from running compute only part of the week.

    Formula:
        saving_fraction = 1 − hours_on_per_week / 168;
        monthly_saving_usd = monthly_compute_usd × saving_fraction;
        monthly_cost_after_usd = monthly_compute_usd + monthly_non_compute_usd − saving.
        Only compute shrinks: storage and reserved capacity keep billing.

    Source:
        AWS Instance Scheduler documentation: "up to 70% cost savings … weekly utilization
        reduced from 168 hours to 50 hours" (1 − 50/168 = 70.2 %).

    Args:
        hours_on_per_week: hours the compute runs per week (0–168).
        monthly_compute_usd: compute billed by the hour when always on (USD per month, ≥ 0).
        monthly_non_compute_usd: storage, reserved capacity and other fixed charges (USD per
            month, ≥ 0).

    Returns:
        A ``ShutdownSaving``.

    Raises:
        InvalidEstimateInput: on hours outside [0, 168] or negative costs.

    Example:
        Weekdays 08:00–18:00 = 50 hours: saving 70.2 %; on $1,000 of compute and $200 of storage
        a month, $702.38 saved, $497.62 left.

        >>> s = shutdown_saving(hours_on_per_week=50, monthly_compute_usd=1000,
        ...                     monthly_non_compute_usd=200)
        >>> round(s.saving_fraction, 3), round(s.monthly_saving_usd, 2), round(s.monthly_cost_after_usd, 2)
        (0.702, 702.38, 497.62)
    """  # noqa: E501
    _check("hours_on_per_week", hours_on_per_week, _HOURS_IN_WEEK)
    _check("monthly_compute_usd", monthly_compute_usd, _NON_NEGATIVE)
    _check("monthly_non_compute_usd", monthly_non_compute_usd, _NON_NEGATIVE)
    fraction = 1.0 - hours_on_per_week / HOURS_PER_WEEK
    saving = monthly_compute_usd * fraction
    before = monthly_compute_usd + monthly_non_compute_usd
    return ShutdownSaving(
        saving_fraction=_out(fraction),
        monthly_saving_usd=_out(saving),
        monthly_cost_before_usd=_out(before),
        monthly_cost_after_usd=_out(before - saving),
    )


# --- A/B test ---------------------------------------------------------------------------------


def _check_rates(baseline_rate: float, target_rate: float) -> None:
    _check("baseline_rate", baseline_rate, _PROBABILITY)
    _check("target_rate", target_rate, _PROBABILITY)
    if baseline_rate == target_rate:
        raise InvalidEstimateInput(
            "target_rate", f"must differ from the baseline rate (both {_format_value(target_rate)})"
        )


def _scalar(name: str, value: Any, rule: _Rule) -> float:
    if np.ndim(value) != 0:
        raise InvalidEstimateInput(name, "must be a single number, not an array")
    _check(name, value, rule)
    return float(value)


def cohens_h(baseline_rate: float, target_rate: float) -> float:
    """Cohen's effect size h for two proportions.

    Formula:
        h = 2·asin(√target_rate) − 2·asin(√baseline_rate).

    Source:
        Cohen 1988, *Statistical Power Analysis for the Behavioral Sciences* §6.2; statsmodels
        ``proportion_effectsize(prop1, prop2)`` computes the same with the arguments the other way
        round: ``proportion_effectsize(0.5, 0.4)`` = 0.2013579 = ``cohens_h(0.4, 0.5)``.

    Args:
        baseline_rate: conversion rate of the control (0–1).
        target_rate: conversion rate the treatment should reach (0–1).

    Returns:
        h (positive when the target is above the baseline).

    Raises:
        InvalidEstimateInput: on a rate outside [0, 1].

    Example:
        >>> round(cohens_h(0.4, 0.5), 7)
        0.2013579
    """
    p1 = _scalar("baseline_rate", baseline_rate, _PROBABILITY)
    p2 = _scalar("target_rate", target_rate, _PROBABILITY)
    return 2.0 * math.asin(math.sqrt(p2)) - 2.0 * math.asin(math.sqrt(p1))


def _exact_sample_size(p1: float, p2: float, alpha: float, power: float, method: str) -> float:
    z_alpha = _NORMAL.inv_cdf(1.0 - alpha / 2.0)
    z_beta = _NORMAL.inv_cdf(power)
    delta = p2 - p1
    if method == "pooled":
        p_bar = (p1 + p2) / 2.0
        root = z_alpha * math.sqrt(2.0 * p_bar * (1.0 - p_bar)) + z_beta * math.sqrt(
            p1 * (1.0 - p1) + p2 * (1.0 - p2)
        )
        return root**2 / delta**2
    if method == "cohen-h":
        h = cohens_h(p1, p2)
        return 2.0 * ((z_alpha + z_beta) / h) ** 2
    if method == "baseline-variance":
        return (z_alpha + z_beta) ** 2 * 2.0 * p1 * (1.0 - p1) / delta**2
    raise InvalidEstimateInput(
        "method", f"must be one of {', '.join(AB_TEST_METHODS)} (got {method!r})"
    )


def ab_test_sample_size(
    *,
    baseline_rate: float,
    target_rate: float,
    alpha: float = 0.05,
    power: float = 0.8,
    method: AbTestMethod = "pooled",
) -> int:
    """Sample size per variant of a two-sided test of two proportions, rounded up.

    Formula (z_q is the standard normal quantile, p̄ = (p₁ + p₂)/2, δ = p₂ − p₁):
        - ``pooled`` (default): n = (z₁₋α/₂·√(2p̄(1−p̄)) + z₁₋β·√(p₁(1−p₁) + p₂(1−p₂)))² / δ²;
        - ``cohen-h``: n = 2·((z₁₋α/₂ + z₁₋β) / h)², h = ``cohens_h(p₁, p₂)``; the arcsine
          transform has variance 1/n per group, so the difference of two groups has 2/n (this is
          R ``pwr.2p.test`` and statsmodels ``NormalIndPower`` with ratio 1; the factor 2 is what
          makes it per variant of a two-group test);
        - ``baseline-variance``: n = (z₁₋α/₂ + z₁₋β)² · 2·p₁(1−p₁) / δ² (both groups assumed to
          have the baseline's variance).

        n is always rounded up (``math.ceil``).

    Source:
        R ``power.prop.test`` (pooled normal approximation; statsmodels
        ``samplesize_proportions_2indep_onetail``): ``power.prop.test(p1=.50, p2=.75, power=.90)``
        gives n = 76.7 per group. Cohen 1988 §6 for h. Calculators differ (some put p₁ where the
        pooled formula has p̄), so the method is always stated.

    Args:
        baseline_rate: control conversion rate p₁ (0–1).
        target_rate: treatment conversion rate p₂ to detect (0–1, ≠ p₁).
        alpha: two-sided significance level (0 < α < 1).
        power: probability of detecting the difference, 1 − β (0.5 ≤ power < 1).
        method: ``"pooled"``, ``"cohen-h"`` or ``"baseline-variance"``.

    Returns:
        Units (users, sessions, …) per variant.

    Raises:
        InvalidEstimateInput: on a rate outside [0, 1], equal rates, α outside (0, 1), power
            outside [0.5, 1), or an unknown method.

    Example:
        >>> ab_test_sample_size(baseline_rate=0.5, target_rate=0.75, power=0.9)
        77
    """
    return math.ceil(
        ab_test_plan(
            baseline_rate=baseline_rate,
            target_rate=target_rate,
            alpha=alpha,
            power=power,
            method=method,
        ).n_per_variant_exact
    )


def ab_test_power(
    *, n_per_variant: float, baseline_rate: float, target_rate: float, alpha: float = 0.05
) -> float:
    """Power of a two-sided two-proportion test with ``n_per_variant`` units per variant.

    Formula (pooled normal approximation, the inverse of the ``pooled`` sample size):
        power = Φ((√n·|p₂ − p₁| − z₁₋α/₂·√(2p̄(1−p̄))) / √(p₁(1−p₁) + p₂(1−p₂))).

    Source:
        R ``power.prop.test`` (default ``strict = FALSE``: the far tail is ignored):
        ``power.prop.test(n=50, p1=.50, p2=.75)`` gives power = 0.740.

    Args:
        n_per_variant: units per variant (> 0).
        baseline_rate: control conversion rate p₁ (0–1).
        target_rate: treatment conversion rate p₂ (0–1, ≠ p₁).
        alpha: two-sided significance level (0 < α < 1).

    Returns:
        The power (0–1).

    Raises:
        InvalidEstimateInput: on n ≤ 0, a rate outside [0, 1], equal rates or α outside (0, 1).

    Example:
        >>> round(ab_test_power(n_per_variant=50, baseline_rate=0.5, target_rate=0.75), 3)
        0.74
    """
    n = _scalar("n_per_variant", n_per_variant, _POSITIVE)
    p1 = _scalar("baseline_rate", baseline_rate, _PROBABILITY)
    p2 = _scalar("target_rate", target_rate, _PROBABILITY)
    alpha = _scalar("alpha", alpha, _OPEN_UNIT)
    _check_rates(p1, p2)
    p_bar = (p1 + p2) / 2.0
    spread = math.sqrt(p1 * (1.0 - p1) + p2 * (1.0 - p2))
    if spread == 0.0:
        return 1.0
    z_alpha = _NORMAL.inv_cdf(1.0 - alpha / 2.0)
    return _NORMAL.cdf(
        (math.sqrt(n) * abs(p2 - p1) - z_alpha * math.sqrt(2.0 * p_bar * (1.0 - p_bar))) / spread
    )


def ab_test_duration_days(
    *, n_per_variant: int, daily_traffic: float, variants: int = 2, share_in_test: float = 1.0
) -> int:
    """Days an A/B test must run to collect its sample.

    Formula:
        days = ⌈n_per_variant × variants / (daily_traffic × share_in_test)⌉.

    Source:
        ``shared/reference/estimates.md`` (Duration); every variant needs its n, and only the
        share of eligible traffic in the test counts.

    Args:
        n_per_variant: units per variant (≥ 0).
        daily_traffic: eligible units per day (> 0).
        variants: variants including control (≥ 1).
        share_in_test: fraction of eligible traffic in the test (0 < share ≤ 1).

    Returns:
        Whole days, rounded up.

    Raises:
        InvalidEstimateInput: on zero traffic, a share outside (0, 1] or a negative count.

    Example:
        77 per variant, 2 variants, 40 eligible users a day, half of them in the test:
        ⌈154 / 20⌉ = 8 days.

        >>> ab_test_duration_days(n_per_variant=77, daily_traffic=40, share_in_test=0.5)
        8
    """
    n = _scalar("n_per_variant", n_per_variant, _NON_NEGATIVE)
    traffic = _scalar("daily_traffic", daily_traffic, _POSITIVE)
    k = _scalar("variants", variants, _Rule(minimum=1.0))
    share = _scalar("share_in_test", share_in_test, _UTILISATION)
    return math.ceil(n * k / (traffic * share))


@dataclass(frozen=True)
class AbTestPlan:
    """Sample size and duration of an A/B test.

    Attributes:
        method: the sample-size formula used.
        n_per_variant_exact: the formula's n before rounding.
        n_per_variant: n rounded up.
        n_total: n_per_variant × variants.
        days: duration in days, or None when no daily traffic was given.
    """

    method: str
    n_per_variant_exact: float
    n_per_variant: int
    n_total: int
    days: int | None


def ab_test_plan(
    *,
    baseline_rate: float,
    target_rate: float,
    alpha: float = 0.05,
    power: float = 0.8,
    method: AbTestMethod = "pooled",
    daily_traffic: float | None = None,
    variants: int = 2,
    share_in_test: float = 1.0,
) -> AbTestPlan:
    """Plan an A/B test: sample size per variant (see ``ab_test_sample_size``) and duration.

    Formula:
        n_per_variant = ⌈n⌉ by ``method``; n_total = n_per_variant × variants;
        days = ``ab_test_duration_days`` when ``daily_traffic`` is given.

    Source:
        R ``power.prop.test``; Cohen 1988; ``shared/reference/estimates.md``.

    Args:
        baseline_rate: control conversion rate (0–1).
        target_rate: treatment conversion rate to detect (0–1, ≠ baseline).
        alpha: two-sided significance level (0 < α < 1).
        power: 1 − β (0.5 ≤ power < 1).
        method: ``"pooled"`` (default), ``"cohen-h"`` or ``"baseline-variance"``.
        daily_traffic: eligible units per day (> 0), or None to skip the duration.
        variants: variants including control (≥ 1, whole number).
        share_in_test: fraction of eligible traffic in the test (0 < share ≤ 1).

    Returns:
        An ``AbTestPlan``.

    Raises:
        InvalidEstimateInput: as ``ab_test_sample_size`` and ``ab_test_duration_days``.

    Example:
        >>> plan = ab_test_plan(baseline_rate=0.5, target_rate=0.75, power=0.9,
        ...                     daily_traffic=40, share_in_test=0.5)
        >>> round(plan.n_per_variant_exact, 1), plan.n_per_variant, plan.n_total, plan.days
        (76.7, 77, 154, 8)
    """
    p1 = _scalar("baseline_rate", baseline_rate, _PROBABILITY)
    p2 = _scalar("target_rate", target_rate, _PROBABILITY)
    alpha = _scalar("alpha", alpha, _OPEN_UNIT)
    power = _scalar("power", power, _POWER_RULE)
    _check_rates(p1, p2)
    if isinstance(variants, bool) or not isinstance(variants, int) or variants < 1:
        raise InvalidEstimateInput("variants", f"must be a whole number >= 1 (got {variants!r})")
    exact = _exact_sample_size(p1, p2, alpha, power, method)
    n = math.ceil(exact)
    days = (
        None
        if daily_traffic is None
        else ab_test_duration_days(
            n_per_variant=n,
            daily_traffic=daily_traffic,
            variants=variants,
            share_in_test=share_in_test,
        )
    )
    return AbTestPlan(
        method=method, n_per_variant_exact=exact, n_per_variant=n, n_total=n * variants, days=days
    )


# --- value of predictions ---------------------------------------------------------------------


@dataclass(frozen=True)
class ValueEstimate:
    """What acting on a model's predictions is worth, per month.

    The baseline is **acting on no one** (no model): every positive is then a false negative, so
    that policy's value is −positives × cost_fn_usd. ``net_value_usd`` is the model's value
    minus that baseline.

    Attributes:
        positives: population × prevalence (per month).
        true_positives: positives × recall.
        predicted_positives: true positives / precision (cases acted on).
        false_positives: predicted positives − true positives.
        false_negatives: positives − true positives.
        model_value_usd: TP·benefit − FP·cost_fp − FN·cost_fn (USD per month).
        no_model_value_usd: −positives·cost_fn, acting on no one (USD per month).
        act_on_everyone_value_usd: positives·benefit − negatives·cost_fp (USD per month).
        net_value_usd: model value − no-model value (USD per month).
        act_on_everyone_net_value_usd: act-on-everyone value − no-model value (USD per month).
        break_even_precision: precision above which acting on a flagged case pays.
        monthly_net_benefit_usd: net value − monthly run cost (USD per month).
        payback_months: upfront cost / monthly net benefit; None if it never pays back
            (+inf in a vectorised result).
        roi: (horizon benefit − horizon cost) / horizon cost; None if nothing is spent (NaN in
            a vectorised result).
    """

    positives: Real
    true_positives: Real
    predicted_positives: Real
    false_positives: Real
    false_negatives: Real
    model_value_usd: Real
    no_model_value_usd: Real
    act_on_everyone_value_usd: Real
    net_value_usd: Real
    act_on_everyone_net_value_usd: Real
    break_even_precision: Real
    monthly_net_benefit_usd: Real
    payback_months: Real | None
    roi: Real | None


def value_of_predictions(
    *,
    population_per_month: Real,
    prevalence: Real,
    precision: Real,
    recall: Real,
    benefit_tp_usd: Real,
    cost_fp_usd: Real,
    cost_fn_usd: Real = 0.0,
    monthly_run_cost_usd: Real = 0.0,
    upfront_cost_usd: Real = 0.0,
    horizon_months: Real = 12.0,
) -> ValueEstimate:
    """Estimate the monthly value of acting on a model's positive predictions.

    Formula (all per month):
        positives = population × prevalence; TP = positives × recall;
        predicted positives = TP / precision; FP = predicted − TP; FN = positives − TP;
        model value = TP·benefit_tp − FP·cost_fp − FN·cost_fn;
        no-model value (act on no one) = −positives·cost_fn;
        **net_value_usd = model value − no-model value = TP·(benefit_tp + cost_fn) − FP·cost_fp**;
        act-on-everyone value = positives·benefit_tp − (population − positives)·cost_fp;
        break_even_precision = cost_fp / (benefit_tp + cost_fn + cost_fp);
        monthly_net_benefit = net value − monthly_run_cost;
        payback_months = upfront / monthly_net_benefit (None when the benefit is ≤ 0);
        roi = (horizon × monthly net value − horizon × run cost − upfront)
              / (horizon × run cost + upfront).

    Source:
        Elkan 2001, *The Foundations of Cost-Sensitive Learning*: act when
        p > (c₁₀ − c₀₀) / (c₁₀ − c₀₀ + c₀₁ − c₁₁); with c₀₀ = 0, c₁₀ = cost_fp, c₀₁ = cost_fn and
        c₁₁ = −benefit_tp this is cost_fp / (benefit_tp + cost_fn + cost_fp), which is
        cost_fp / (benefit_tp + cost_fp) when a missed case costs nothing (the default).

    Args:
        population_per_month: cases the model scores per month (count, ≥ 0). Every per-period
            figure is per month.
        prevalence: share of cases that are positive (0–1).
        precision: share of flagged cases that are positive (0 < precision ≤ 1).
        recall: share of positives the model flags (0–1).
        benefit_tp_usd: value of acting on a true positive (USD, ≥ 0).
        cost_fp_usd: cost of acting on a false positive (USD, ≥ 0).
        cost_fn_usd: cost of a positive not acted on (USD, ≥ 0; default 0).
        monthly_run_cost_usd: cost of running the model (USD per month, ≥ 0).
        upfront_cost_usd: cost of building it (USD, ≥ 0).
        horizon_months: months over which ROI is computed (> 0).

    Returns:
        A ``ValueEstimate``.

    Raises:
        InvalidEstimateInput: on a probability outside its range, a negative amount, or a
            precision so low that the model would flag more negatives than there are.

    Example:
        10,000 cases a month, 5 % positive, precision 0.6, recall 0.7, $50 per TP, $20 per FP:
        TP = 350, FP = 350/0.6 − 350 = 233.3, net value = 350 × 50 − 233.3 × 20 = $12,833 a month;
        break-even precision 20/70 = 0.286. With $1,500 a month to run and $60,000 upfront, it
        pays back in 60,000 / 11,333 = 5.3 months.

        >>> v = value_of_predictions(population_per_month=10_000, prevalence=0.05, precision=0.6,
        ...                          recall=0.7, benefit_tp_usd=50, cost_fp_usd=20,
        ...                          monthly_run_cost_usd=1500, upfront_cost_usd=60_000)
        >>> round(v.net_value_usd, 2), round(v.break_even_precision, 3), round(v.payback_months, 1)
        (12833.33, 0.286, 5.3)
    """
    _check("population_per_month", population_per_month, _NON_NEGATIVE)
    _check("prevalence", prevalence, _PROBABILITY)
    _check("precision", precision, _UTILISATION)
    _check("recall", recall, _PROBABILITY)
    _check("benefit_tp_usd", benefit_tp_usd, _NON_NEGATIVE)
    _check("cost_fp_usd", cost_fp_usd, _NON_NEGATIVE)
    _check("cost_fn_usd", cost_fn_usd, _NON_NEGATIVE)
    _check("monthly_run_cost_usd", monthly_run_cost_usd, _NON_NEGATIVE)
    _check("upfront_cost_usd", upfront_cost_usd, _NON_NEGATIVE)
    _check("horizon_months", horizon_months, _POSITIVE)
    positives = population_per_month * prevalence
    negatives = population_per_month - positives
    true_positives = positives * recall
    predicted = true_positives / precision
    false_positives = predicted - true_positives
    if np.any(false_positives > negatives * (1.0 + 1e-9) + 1e-9):
        raise InvalidEstimateInput(
            "precision",
            "is too low for this prevalence and recall: the model would flag more negatives "
            "than the population holds (false positives > population × (1 − prevalence))",
        )
    false_negatives = positives - true_positives
    model_value = (
        true_positives * benefit_tp_usd
        - false_positives * cost_fp_usd
        - false_negatives * cost_fn_usd
    )
    no_model_value = 0.0 - positives * cost_fn_usd
    everyone_value = positives * benefit_tp_usd - negatives * cost_fp_usd
    net_value = model_value - no_model_value
    break_even = _divide(cost_fp_usd, benefit_tp_usd + cost_fn_usd + cost_fp_usd, fill=0.0)
    monthly_net = net_value - monthly_run_cost_usd
    payback = _divide(upfront_cost_usd, monthly_net, fill=np.inf)
    spend = horizon_months * monthly_run_cost_usd + upfront_cost_usd
    roi = _divide(horizon_months * net_value - spend, spend, fill=np.nan)
    return ValueEstimate(
        positives=_out(positives),
        true_positives=_out(true_positives),
        predicted_positives=_out(predicted),
        false_positives=_out(false_positives),
        false_negatives=_out(false_negatives),
        model_value_usd=_out(model_value),
        no_model_value_usd=_out(no_model_value),
        act_on_everyone_value_usd=_out(everyone_value),
        net_value_usd=_out(net_value),
        act_on_everyone_net_value_usd=_out(everyone_value - no_model_value),
        break_even_precision=_out(break_even),
        monthly_net_benefit_usd=_out(monthly_net),
        payback_months=_none_if_not_finite(payback),
        roi=_none_if_not_finite(roi),
    )


def _divide(numerator: Real, denominator: Real, *, fill: float) -> npt.NDArray[np.float64]:
    """numerator / denominator where the denominator is > 0, else ``fill``; no warnings."""
    num, den = np.broadcast_arrays(
        np.asarray(numerator, dtype=np.float64), np.asarray(denominator, dtype=np.float64)
    )
    return np.divide(num, den, out=np.full(num.shape, fill), where=den > 0)


def _none_if_not_finite(value: npt.NDArray[np.float64]) -> Real | None:
    if np.ndim(value) == 0:
        return float(value) if np.isfinite(value) else None
    return value


# --- ranges and simulation --------------------------------------------------------------------


@dataclass(frozen=True)
class Range:
    """An uncertain input: lowest plausible, most likely and highest plausible value.

    The simulation draws it from a triangular distribution on [low, high] with mode ``likely``.
    ``Range(x, x, x)`` is the fixed value x.

    Raises:
        InvalidEstimateInput: unless low ≤ likely ≤ high and all three are finite numbers.
    """

    low: float
    likely: float
    high: float

    def __post_init__(self) -> None:
        for name in ("low", "likely", "high"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise InvalidEstimateInput(f"Range.{name}", f"must be a number (got {value!r})")
            if not math.isfinite(value):
                raise InvalidEstimateInput(f"Range.{name}", f"must be finite (got {value!r})")
        if not self.low <= self.likely <= self.high:
            raise InvalidEstimateInput(
                None,
                "a Range needs low <= likely <= high "
                f"(got {self.low:g}, {self.likely:g}, {self.high:g})",
            )

    def to_dict(self) -> dict[str, float]:
        """The three values as a JSON-ready dict."""
        return {"low": self.low, "likely": self.likely, "high": self.high}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Range":
        """Build from ``{"low": …, "likely": …, "high": …}``."""
        missing = [key for key in ("low", "likely", "high") if key not in data]
        extra = sorted(set(data) - {"low", "likely", "high"})
        if missing or extra:
            raise InvalidEstimateInput(
                None,
                f"a Range needs exactly low, likely and high (missing {missing}, unknown {extra})",
            )
        return cls(low=data["low"], likely=data["likely"], high=data["high"])


Quantity: TypeAlias = float | Range
"""A fixed number or an uncertain ``Range``."""


def _low(value: Quantity) -> float:
    return value.low if isinstance(value, Range) else value


def _likely(value: Quantity) -> float:
    return value.likely if isinstance(value, Range) else value


def _high(value: Quantity) -> float:
    return value.high if isinstance(value, Range) else value


def _check_quantity(name: str, value: Any, rule: _Rule) -> None:
    if isinstance(value, Range):
        _check(name, value.low, rule)
        _check(name, value.high, rule)
    elif isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidEstimateInput(name, f"must be a number or a Range (got {value!r})")
    else:
        _check(name, value, rule)


@dataclass(frozen=True)
class SimulationResult:
    """The spread of one output over the simulated draws.

    Attributes:
        p10, p50, p90: 10th, 50th and 90th percentiles of the draws.
        mean: mean of the draws.
        low, high: smallest and largest outcome seen (over the draws and ``likely``).
        likely: the output with every input at its likely value (no simulation).
    """

    p10: float
    p50: float
    p90: float
    mean: float
    low: float
    likely: float
    high: float


def _draw(
    quantities: Mapping[str, Quantity], draws: int, seed: int
) -> dict[str, float | npt.NDArray[np.float64]]:
    """One array of triangular draws per ranged input, in the mapping's order; fixed stay floats."""
    if isinstance(draws, bool) or not isinstance(draws, int) or draws < 1:
        raise InvalidEstimateInput("draws", f"must be a whole number >= 1 (got {draws!r})")
    rng = np.random.default_rng(seed)
    values: dict[str, float | npt.NDArray[np.float64]] = {}
    for name, value in quantities.items():
        if isinstance(value, Range) and value.low < value.high:
            values[name] = rng.triangular(value.low, value.likely, value.high, size=draws)
        else:
            values[name] = float(_likely(value))
    return values


def _summaries(
    outputs: Mapping[str, Real], likely: Mapping[str, Real], draws: int
) -> dict[str, SimulationResult]:
    """Percentiles of every output at once (one stacked array, one percentile call)."""
    names = list(outputs)
    stacked = np.stack(
        [np.broadcast_to(np.asarray(outputs[name], dtype=np.float64), (draws,)) for name in names]
    )
    p10, p50, p90 = np.percentile(stacked, [10.0, 50.0, 90.0], axis=1)
    means = stacked.mean(axis=1)
    lows = stacked.min(axis=1)
    highs = stacked.max(axis=1)
    results = {}
    for i, name in enumerate(names):
        at_likely = float(likely[name])
        results[name] = SimulationResult(
            p10=float(p10[i]),
            p50=float(p50[i]),
            p90=float(p90[i]),
            mean=float(means[i]),
            low=min(float(lows[i]), at_likely),
            likely=at_likely,
            high=max(float(highs[i]), at_likely),
        )
    return results


def simulate(
    estimator: Callable[..., Any],
    inputs: Mapping[str, Quantity],
    *,
    output: str | None = None,
    draws: int = DEFAULT_DRAWS,
    seed: int = 0,
) -> SimulationResult:
    """Run a seeded Monte-Carlo simulation of one estimator whose inputs may be ``Range``.

    Method:
        each ``Range`` input becomes ``draws`` independent triangular draws
        (``numpy.random.default_rng(seed).triangular(low, likely, high)``, inputs drawn in the
        mapping's order); the estimator is called **once** with those arrays (it must be
        vectorised, as every estimator here except the A/B-test ones is); ``output`` picks the
        result's attribute. ``likely`` is one more call with every input at its likely value.

    Args:
        estimator: e.g. ``training_compute``; called with ``**inputs``.
        inputs: keyword arguments, each a number or a ``Range``.
        output: the attribute of the estimator's result to summarise (e.g. ``"cost_usd"``);
            None when the estimator returns a number.
        draws: simulated draws (≥ 1; default 10,000).
        seed: random seed; the same seed gives the same numbers.

    Returns:
        A ``SimulationResult`` (P10/P50/P90, mean, low/likely/high).

    Raises:
        InvalidEstimateInput: whatever the estimator raises for the likely values or the draws.

    Example:
        >>> r = simulate(training_compute, {"model_params": 7e9, "dataset_tokens": 2e12,
        ...              "peak_tflops": 312, "mfu": Range(0.3, 0.38, 0.45)},
        ...              output="gpu_hours", seed=1)
        >>> r.low <= r.p10 <= r.p50 <= r.p90 <= r.high, round(r.likely)
        (True, 196806)
    """

    def evaluate(values: Mapping[str, Any]) -> Real:
        result = estimator(**values)
        return getattr(result, output) if output is not None else result

    likely = evaluate({name: _likely(value) for name, value in inputs.items()})
    simulated = evaluate(_draw(inputs, draws, seed))
    return _summaries({"out": simulated}, {"out": likely}, draws)["out"]


@dataclass(frozen=True)
class TornadoBar:
    """How much one ranged input moves an output, the others held at their likely values.

    Attributes:
        input_name: the input's key, e.g. ``"mfu"`` or ``"roles[0].weeks"``.
        label: a readable name, e.g. ``"Data scientist: weeks"``.
        input_low, input_likely, input_high: the input's range.
        output_at_low, output_at_high: the output with this input at its low / high.
        output_at_likely: the output with every input at its likely value.
        swing: |output_at_high − output_at_low|; bars are sorted by it, largest first.
    """

    input_name: str
    label: str
    input_low: float
    input_likely: float
    input_high: float
    output_at_low: float
    output_at_high: float
    output_at_likely: float
    swing: float


def _tornado(
    quantities: Mapping[str, Quantity],
    labels: Mapping[str, str],
    evaluate: Callable[[Mapping[str, Any]], Mapping[str, Real]],
    output: str,
    skip: frozenset[str] = frozenset(),
) -> tuple[TornadoBar, ...]:
    """Evaluate every one-at-a-time low/high case in a single vectorised call; inputs in
    ``skip`` (those that do not apply) get no bar."""
    ranged = [
        name
        for name, value in quantities.items()
        if isinstance(value, Range) and value.low < value.high and name not in skip
    ]
    likely_values = {name: float(_likely(value)) for name, value in quantities.items()}
    at_likely = float(evaluate(likely_values)[output])
    if not ranged:
        return ()
    cases = 2 * len(ranged)
    values: dict[str, Any] = dict(likely_values)
    for j, name in enumerate(ranged):
        column = np.full(cases, likely_values[name])
        column[2 * j] = _low(quantities[name])
        column[2 * j + 1] = _high(quantities[name])
        values[name] = column
    totals = np.broadcast_to(np.asarray(evaluate(values)[output], dtype=np.float64), (cases,))
    bars = []
    for j, name in enumerate(ranged):
        at_low, at_high = float(totals[2 * j]), float(totals[2 * j + 1])
        bars.append(
            TornadoBar(
                input_name=name,
                label=labels.get(name, name),
                input_low=float(_low(quantities[name])),
                input_likely=likely_values[name],
                input_high=float(_high(quantities[name])),
                output_at_low=at_low,
                output_at_high=at_high,
                output_at_likely=at_likely,
                swing=abs(at_high - at_low),
            )
        )
    bars.sort(key=lambda bar: bar.swing, reverse=True)
    return tuple(bars)


# --- model inputs (scenarios) -------------------------------------------------------------------


def _meta(label: str, rule: _Rule = _NON_NEGATIVE) -> dict[str, Any]:
    """Field metadata of a ``Quantity`` input: its readable label and valid interval."""
    return {"label": label, "rule": rule}


def _validate_fields(inputs: Any) -> None:
    for f in fields(inputs):
        if "rule" in f.metadata:
            _check_quantity(f.name, getattr(inputs, f.name), f.metadata["rule"])


def _quantity_to_json(value: Quantity) -> float | dict[str, float]:
    return value.to_dict() if isinstance(value, Range) else value


def _quantity_from_json(name: str, value: Any) -> Quantity:
    if isinstance(value, Mapping):
        return Range.from_dict(value)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidEstimateInput(name, f"must be a number or a Range (got {value!r})")
    return value


def _check_keys(cls: type, data: Mapping[str, Any]) -> None:
    known = {f.name for f in fields(cls)}
    unknown = sorted(set(data) - known)
    if unknown:
        raise InvalidEstimateInput(None, f"unknown {cls.__name__} field(s): {', '.join(unknown)}")


@dataclass(frozen=True)
class CostModelInputs:
    """Every input of the project cost model; each number may be a ``Range``.

    Lines and the fields that drive them (horizon = ``horizon_months``):

    - training (one full run): neural ``training_compute`` from ``model_params``,
      ``dataset_tokens``, ``epochs``, ``mfu``, ``peak_tflops``, ``gpus``,
      ``price_per_gpu_hour_usd``; plus classical ``classical_training_cost`` from
      ``minutes_per_run``, ``trials``, ``folds``, ``price_per_instance_hour_usd``. Set
      ``model_params`` or ``minutes_per_run`` to 0 to switch either part off;
    - experimentation: ``experiments`` × ``runs_per_experiment`` × ``cost_per_experiment_run_usd``;
    - labeling: ``examples_to_label`` × ``labels_per_example`` × ``price_per_label_usd`` ×
      (1 + ``labeling_qa_overhead_fraction``);
    - retraining: ``retrains_per_year`` × horizon / 12 × the training line;
    - people: ``roles``;
    - serving: ``serving_capacity`` × horizon, from ``peak_requests_per_second``,
      ``requests_per_second_per_instance``, ``target_utilisation``, ``min_replicas``,
      ``price_per_serving_instance_hour_usd``;
    - storage: ``storage_gb`` × ``price_per_gb_month_usd`` × horizon;
    - shutdown saving (negative): the serving compute × (1 − ``hours_on_per_week`` / 168);
      storage is not reduced.

    ``gpu_power_w``, ``pue`` and ``carbon_kg_per_kwh`` give the training run's CO2.
    The defaults describe a small fine-tuning project on A100s with on-demand prices; edit them.
    """

    model_params: Quantity = field(
        default=350e6, metadata=_meta("Model parameters", _upto(1e13, _WHY["model_params"]))
    )
    dataset_tokens: Quantity = field(
        default=5e9, metadata=_meta("Dataset tokens", _upto(1e15, _WHY["dataset_tokens"]))
    )
    epochs: Quantity = field(default=3.0, metadata=_meta("Epochs", _upto(1e3, _WHY["epochs"])))
    mfu: Quantity = field(default=DEFAULT_MFU, metadata=_meta("MFU", _MFU_RULE))
    peak_tflops: Quantity = field(
        default=312.0,
        metadata=_meta("Peak TFLOP/s per GPU", _upto(1e4, _WHY["peak_tflops"], minimum=0.1)),
    )
    gpus: Quantity = field(
        default=8.0, metadata=_meta("GPUs", _upto(1e6, _WHY["gpus"], open_zero=True))
    )
    price_per_gpu_hour_usd: Quantity = field(
        default=4.10,
        metadata=_meta("Price per GPU-hour (USD)", _upto(1e3, _WHY["price_per_gpu_hour_usd"])),
    )
    gpu_power_w: Quantity = field(
        default=400.0, metadata=_meta("Power per GPU (W)", _upto(1e4, _WHY["gpu_power_w"]))
    )
    pue: Quantity = field(default=DEFAULT_PUE, metadata=_meta("PUE", _PUE_INPUT_RULE))
    carbon_kg_per_kwh: Quantity = field(
        default=0.48,
        metadata=_meta("Grid intensity (kg CO2/kWh)", _upto(2.0, _WHY["carbon_kg_per_kwh"])),
    )
    minutes_per_run: Quantity = field(
        default=0.0,
        metadata=_meta("Minutes per classical fit", _upto(1e6, _WHY["minutes_per_run"])),
    )
    trials: Quantity = field(
        default=20.0, metadata=_meta("Classical trials", _upto(1e6, _WHY["trials"]))
    )
    folds: Quantity = field(
        default=5.0, metadata=_meta("Cross-validation folds", _upto(100.0, _WHY["folds"]))
    )
    price_per_instance_hour_usd: Quantity = field(
        default=0.384,
        metadata=_meta(
            "Training instance price per hour (USD)", _upto(1e3, _WHY["price_per_hour"])
        ),
    )
    experiments: Quantity = field(
        default=10.0, metadata=_meta("Experiments", _upto(1e5, _WHY["experiments"]))
    )
    runs_per_experiment: Quantity = field(
        default=3.0, metadata=_meta("Runs per experiment", _upto(1e4, _WHY["runs"]))
    )
    cost_per_experiment_run_usd: Quantity = field(
        default=50.0,
        metadata=_meta("Cost per experiment run (USD)", _upto(1e7, _WHY["cost_per_run"])),
    )
    examples_to_label: Quantity = field(
        default=5_000.0, metadata=_meta("Examples to label", _upto(1e10, _WHY["examples"]))
    )
    labels_per_example: Quantity = field(
        default=1.0, metadata=_meta("Labels per example", _upto(100.0, _WHY["labels"]))
    )
    price_per_label_usd: Quantity = field(
        default=0.10, metadata=_meta("Price per label (USD)", _upto(1e4, _WHY["label_price"]))
    )
    labeling_qa_overhead_fraction: Quantity = field(
        default=0.1, metadata=_meta("Labeling QA overhead", _upto(10.0, _WHY["qa_overhead"]))
    )
    retrains_per_year: Quantity = field(
        default=4.0, metadata=_meta("Retrains per year", _upto(8760.0, _WHY["retrains"]))
    )
    roles: tuple[RoleEffort, ...] = (
        RoleEffort("Data scientist", people=1.0, weeks=12.0, weekly_rate_usd=3_000.0),
        RoleEffort("ML engineer", people=1.0, weeks=8.0, weekly_rate_usd=3_200.0),
    )
    peak_requests_per_second: Quantity = field(
        default=20.0, metadata=_meta("Peak requests/s", _upto(1e8, _WHY["peak_rps"]))
    )
    requests_per_second_per_instance: Quantity = field(
        default=10.0,
        metadata=_meta(
            "Requests/s per instance", _upto(1e7, _WHY["rps_per_instance"], minimum=0.001)
        ),
    )
    target_utilisation: Quantity = field(
        default=0.6, metadata=_meta("Target utilisation", _TARGET_UTILISATION_RULE)
    )
    min_replicas: Quantity = field(
        default=2.0, metadata=_meta("Minimum replicas", _upto(1e5, _WHY["replicas"]))
    )
    price_per_serving_instance_hour_usd: Quantity = field(
        default=0.526,
        metadata=_meta("Serving price per hour (USD)", _upto(1e3, _WHY["price_per_hour"])),
    )
    storage_gb: Quantity = field(
        default=500.0, metadata=_meta("Storage (GB)", _upto(1e9, _WHY["storage_gb"]))
    )
    price_per_gb_month_usd: Quantity = field(
        default=0.023,
        metadata=_meta("Price per GB-month (USD)", _upto(100.0, _WHY["price_per_gb"])),
    )
    hours_on_per_week: Quantity = field(
        default=HOURS_PER_WEEK, metadata=_meta("Serving hours on per week", _HOURS_IN_WEEK)
    )
    horizon_months: Quantity = field(
        default=12.0, metadata=_meta("Horizon (months)", _upto(120.0, _WHY["horizon"]))
    )

    def __post_init__(self) -> None:
        object.__setattr__(self, "roles", tuple(self.roles))
        for role in self.roles:
            if not isinstance(role, RoleEffort):
                raise InvalidEstimateInput("roles", f"must hold RoleEffort items (got {role!r})")
        _validate_fields(self)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: numbers stay numbers, a Range becomes {low, likely, high}."""
        data: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "roles":
                data["roles"] = [
                    {"role": r.role} | {n: _quantity_to_json(getattr(r, n)) for n in _ROLE_FIELDS}
                    for r in value
                ]
            else:
                data[f.name] = _quantity_to_json(value)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "CostModelInputs":
        """Rebuild from ``to_dict()`` output; missing fields take their defaults.

        Raises:
            InvalidEstimateInput: on an unknown field or an invalid value.
        """
        _check_keys(cls, data)
        values: dict[str, Any] = {}
        for name, value in data.items():
            if name == "roles":
                if not isinstance(value, list | tuple):
                    raise InvalidEstimateInput("roles", f"must be a list (got {value!r})")
                values["roles"] = tuple(_role_from_json(item) for item in value)
            else:
                values[name] = _quantity_from_json(name, value)
        return cls(**values)


def _role_from_json(item: Any) -> RoleEffort:
    if not isinstance(item, Mapping) or "role" not in item or set(item) - {"role", *_ROLE_FIELDS}:
        raise InvalidEstimateInput(
            "roles", f"items need a role and may hold {', '.join(_ROLE_FIELDS)} (got {item!r})"
        )
    return RoleEffort(
        role=item["role"],
        **{
            name: _quantity_from_json(f"{item['role']}: {name}", item[name])
            for name in _ROLE_FIELDS
            if name in item
        },
    )


_ROLE_LABELS = {"people": "people", "weeks": "weeks", "weekly_rate_usd": "weekly rate (USD)"}

COST_LINES: tuple[str, ...] = (
    "training",
    "experimentation",
    "labeling",
    "retraining",
    "people",
    "serving",
    "storage",
    "shutdown_saving",
)


def _cost_quantities(inputs: CostModelInputs) -> tuple[dict[str, Quantity], dict[str, str]]:
    """Flatten the inputs to {key: Quantity} (roles as ``roles[i].field``) and {key: label}."""
    quantities: dict[str, Quantity] = {}
    labels: dict[str, str] = {}
    for f in fields(inputs):
        if f.name == "roles":
            for i, role in enumerate(inputs.roles):
                for name in _ROLE_FIELDS:
                    key = f"roles[{i}].{name}"
                    quantities[key] = getattr(role, name)
                    labels[key] = f"{role.role}: {_ROLE_LABELS[name]}"
        else:
            quantities[f.name] = getattr(inputs, f.name)
            labels[f.name] = f.metadata["label"]
    return quantities, labels


def _cost_outputs(values: Mapping[str, Any], role_count: int) -> dict[str, Real]:
    """Every line, the total and a few physical figures, for numbers or arrays of draws."""
    neural = training_compute(
        model_params=values["model_params"],
        dataset_tokens=values["dataset_tokens"],
        epochs=values["epochs"],
        mfu=values["mfu"],
        peak_tflops=values["peak_tflops"],
        gpus=values["gpus"],
        price_per_gpu_hour_usd=values["price_per_gpu_hour_usd"],
    )
    classical = classical_training_cost(
        minutes_per_run=values["minutes_per_run"],
        trials=values["trials"],
        folds=values["folds"],
        price_per_instance_hour_usd=values["price_per_instance_hour_usd"],
    )
    training = neural.cost_usd + classical.cost_usd
    co2 = co2_emissions(
        gpu_hours=neural.gpu_hours,
        power_w=values["gpu_power_w"],
        pue=values["pue"],
        carbon_kg_per_kwh=values["carbon_kg_per_kwh"],
    )
    experimentation = experimentation_cost(
        experiments=values["experiments"],
        runs_per_experiment=values["runs_per_experiment"],
        cost_per_run_usd=values["cost_per_experiment_run_usd"],
    )
    labeling = labeling_cost(
        examples=values["examples_to_label"],
        labels_per_example=values["labels_per_example"],
        price_per_label_usd=values["price_per_label_usd"],
        qa_overhead_fraction=values["labeling_qa_overhead_fraction"],
    )
    horizon = values["horizon_months"]
    retraining = retraining_cost(
        runs_per_year=values["retrains_per_year"], cost_per_run_usd=training
    )
    people = people_cost(
        (f"roles[{i}]", *(values[f"roles[{i}].{name}"] for name in _ROLE_FIELDS))
        for i in range(role_count)
    )
    serving = serving_capacity(
        peak_requests_per_second=values["peak_requests_per_second"],
        requests_per_second_per_instance=values["requests_per_second_per_instance"],
        target_utilisation=values["target_utilisation"],
        min_replicas=values["min_replicas"],
        price_per_instance_hour_usd=values["price_per_serving_instance_hour_usd"],
    )
    storage = storage_cost(
        storage_gb=values["storage_gb"],
        price_per_gb_month_usd=values["price_per_gb_month_usd"],
        months=horizon,
    )
    shutdown = shutdown_saving(
        hours_on_per_week=values["hours_on_per_week"],
        monthly_compute_usd=serving.monthly_cost_usd,
        monthly_non_compute_usd=storage.monthly_cost_usd,
    )
    lines: dict[str, Real] = {
        "training": training,
        "experimentation": experimentation.cost_usd,
        "labeling": labeling.cost_usd,
        "retraining": retraining.annual_cost_usd * horizon / 12.0,
        "people": people.cost_usd,
        "serving": serving.monthly_cost_usd * horizon,
        "storage": storage.cost_usd,
        "shutdown_saving": -shutdown.monthly_saving_usd * horizon,
    }
    total = sum(lines.values())
    return lines | {
        "total_usd": total,
        "training_gpu_hours": neural.gpu_hours,
        "training_wall_clock_days": neural.wall_clock_days,
        "training_co2_kg": co2.co2_kg,
        "serving_instances": serving.instances,
    }


@dataclass(frozen=True)
class ProjectCostEstimate:
    """The project cost model evaluated at the likely values.

    Attributes:
        lines_usd: cost per line in ``COST_LINES`` order (USD over the horizon; the shutdown
            saving is negative).
        total_usd: sum of the lines (USD).
        training_gpu_hours: GPU-hours of one neural training run.
        training_wall_clock_days: days of that run on the given GPUs.
        training_co2_kg: CO2 of that run (kg).
        serving_instances: serving instances at peak.
    """

    lines_usd: dict[str, float]
    total_usd: float
    training_gpu_hours: float
    training_wall_clock_days: float
    training_co2_kg: float
    serving_instances: float


def _likely_values(quantities: Mapping[str, Quantity]) -> dict[str, float]:
    return {name: float(_likely(value)) for name, value in quantities.items()}


def estimate_project_cost(inputs: CostModelInputs) -> ProjectCostEstimate:
    """Evaluate the project cost model (see ``CostModelInputs``) with every input at its likely.

    Formula:
        total_usd = training + experimentation + labeling + retraining + people + serving
        + storage + shutdown_saving, each line as documented on ``CostModelInputs`` and computed
        by this module's estimators.

    Source:
        The estimators' own sources (Kaplan et al. 2020; AWS Pricing Calculator 730 h/month; AWS
        Instance Scheduler documentation; …).

    Args:
        inputs: the scenario's inputs.

    Returns:
        A ``ProjectCostEstimate``.

    Raises:
        InvalidEstimateInput: if the inputs are invalid.

    Example:
        The defaults: about 80 GPU-hours of fine-tuning, 4 serving instances for a year:

        >>> e = estimate_project_cost(CostModelInputs())
        >>> round(e.training_gpu_hours), e.serving_instances, round(e.lines_usd["serving"])
        (80, 4.0, 18431)
    """
    quantities, _ = _cost_quantities(inputs)
    out = _cost_outputs(_likely_values(quantities), len(inputs.roles))
    return ProjectCostEstimate(
        lines_usd={line: float(out[line]) for line in COST_LINES},
        total_usd=float(out["total_usd"]),
        training_gpu_hours=float(out["training_gpu_hours"]),
        training_wall_clock_days=float(out["training_wall_clock_days"]),
        training_co2_kg=float(out["training_co2_kg"]),
        serving_instances=float(out["serving_instances"]),
    )


@dataclass(frozen=True)
class ProjectCostSimulation:
    """Spread of the project cost model over seeded draws.

    Attributes:
        total: the total (USD).
        lines: one ``SimulationResult`` per line in ``COST_LINES`` order (USD).
        outputs: every output, including ``training_gpu_hours``, ``training_co2_kg`` and
            ``serving_instances``.
        draws: draws simulated.
        seed: the seed used.
        total_draws_usd: every simulated total (USD), e.g. for a histogram.
    """

    total: SimulationResult
    lines: dict[str, SimulationResult]
    outputs: dict[str, SimulationResult]
    draws: int
    seed: int
    total_draws_usd: tuple[float, ...] = field(default=(), repr=False, compare=False)


def simulate_project_cost(
    inputs: CostModelInputs, *, draws: int = DEFAULT_DRAWS, seed: int = 0
) -> ProjectCostSimulation:
    """Simulate the project cost model: P10/P50/P90 of the total and of every line.

    Method:
        as ``simulate``: each ``Range`` input drawn ``draws`` times from a triangular
        distribution (inputs in field order, roles after ``retrains_per_year``), the model
        evaluated once on the arrays, percentiles taken.

    Args:
        inputs: the scenario's inputs.
        draws: simulated draws (≥ 1; default 10,000).
        seed: random seed; the same seed gives the same numbers.

    Returns:
        A ``ProjectCostSimulation``.

    Raises:
        InvalidEstimateInput: if the inputs are invalid.

    Example:
        >>> from dataclasses import replace
        >>> inputs = replace(CostModelInputs(), mfu=Range(0.2, 0.35, 0.45))
        >>> s = simulate_project_cost(inputs, seed=7)
        >>> s.total.p10 <= s.total.p50 <= s.total.p90, s == simulate_project_cost(inputs, seed=7)
        (True, True)
    """
    quantities, _ = _cost_quantities(inputs)
    role_count = len(inputs.roles)
    likely = _cost_outputs(_likely_values(quantities), role_count)
    simulated = _cost_outputs(_draw(quantities, draws, seed), role_count)
    outputs = _summaries(simulated, likely, draws)
    totals = np.broadcast_to(np.asarray(simulated["total_usd"], dtype=np.float64), (draws,))
    return ProjectCostSimulation(
        total=outputs["total_usd"],
        lines={line: outputs[line] for line in COST_LINES},
        outputs=outputs,
        draws=draws,
        seed=seed,
        total_draws_usd=tuple(totals.tolist()),
    )


def cost_sensitivity(
    inputs: CostModelInputs, *, output: str = "total_usd"
) -> tuple[TornadoBar, ...]:
    """Tornado data: how far each ranged input moves the total, the others at their likely.

    Method:
        for each input given as a ``Range`` with low < high, the model is evaluated with that
        input at its low and at its high and every other input at its likely value; bars are
        sorted by swing = |output at high − output at low|, largest first. Fixed inputs have no
        bar.

    Args:
        inputs: the scenario's inputs.
        output: ``"total_usd"``, a line name from ``COST_LINES``, ``"training_gpu_hours"``,
            ``"training_co2_kg"`` or ``"serving_instances"``.

    Returns:
        ``TornadoBar`` items, largest swing first (empty when nothing is ranged).

    Raises:
        InvalidEstimateInput: if the inputs are invalid or ``output`` unknown.

    Example:
        >>> from dataclasses import replace
        >>> inputs = replace(CostModelInputs(), mfu=Range(0.2, 0.35, 0.45),
        ...                  price_per_label_usd=Range(0.05, 0.10, 0.50))
        >>> [bar.input_name for bar in cost_sensitivity(inputs)]
        ['price_per_label_usd', 'mfu']
    """
    quantities, labels = _cost_quantities(inputs)
    role_count = len(inputs.roles)
    _check_output(output, (*COST_LINES, "total_usd", *_COST_EXTRA_OUTPUTS))
    return _tornado(
        quantities,
        labels,
        lambda v: _cost_outputs(v, role_count),
        output,
        skip=inapplicable_inputs(inputs),
    )


NEURAL_INPUTS: tuple[str, ...] = (
    "dataset_tokens",
    "epochs",
    "mfu",
    "peak_tflops",
    "gpus",
    "price_per_gpu_hour_usd",
    "gpu_power_w",
    "pue",
    "carbon_kg_per_kwh",
)
"""Inputs of the neural training run (and its CO2): they apply only when a network is trained."""

CLASSICAL_INPUTS: tuple[str, ...] = ("trials", "folds", "price_per_instance_hour_usd")
"""Inputs of the classical fits: they apply only when ``minutes_per_run`` can be above 0."""


def trains_neural(inputs: CostModelInputs) -> bool:
    """Whether a neural network is trained: ``model_params`` can be above 0."""
    return _high(inputs.model_params) > 0


def trains_classical(inputs: CostModelInputs) -> bool:
    """Whether classical models are fitted: ``minutes_per_run`` can be above 0."""
    return _high(inputs.minutes_per_run) > 0


def inapplicable_inputs(inputs: CostModelInputs) -> frozenset[str]:
    """Inputs that cannot move any result of this estimate, so no chart should list them: the
    neural run's (MFU, GPUs, power, …) when no network is trained, the classical fits' when
    none is run.

    Example:
        >>> from dataclasses import replace
        >>> classical = replace(CostModelInputs(), model_params=0, minutes_per_run=10)
        >>> "mfu" in inapplicable_inputs(classical), "trials" in inapplicable_inputs(classical)
        (True, False)
    """
    skip: set[str] = set()
    if not trains_neural(inputs):
        skip.update(("model_params", *NEURAL_INPUTS))
    if not trains_classical(inputs):
        skip.update(("minutes_per_run", *CLASSICAL_INPUTS))
    return frozenset(skip)


_COST_EXTRA_OUTPUTS = (
    "training_gpu_hours",
    "training_wall_clock_days",
    "training_co2_kg",
    "serving_instances",
)


def _check_output(output: str, known: Sequence[str]) -> None:
    if output not in known:
        raise InvalidEstimateInput("output", f"must be one of {', '.join(known)} (got {output!r})")


@dataclass(frozen=True)
class ValueModelInputs:
    """Every input of ``value_of_predictions``; each number may be a ``Range``.

    Per-period figures are per month. The defaults describe a modest targeting model; edit them.
    """

    population_per_month: Quantity = field(
        default=10_000.0,
        metadata=_meta("Cases scored per month", _upto(1e10, _WHY["population"])),
    )
    prevalence: Quantity = field(default=0.05, metadata=_meta("Prevalence", _PROBABILITY))
    precision: Quantity = field(default=0.6, metadata=_meta("Precision", _PRECISION_RULE))
    recall: Quantity = field(default=0.7, metadata=_meta("Recall", _PROBABILITY))
    benefit_tp_usd: Quantity = field(
        default=50.0,
        metadata=_meta("Benefit of a true positive (USD)", _upto(1e9, _WHY["per_case"])),
    )
    cost_fp_usd: Quantity = field(
        default=20.0,
        metadata=_meta("Cost of a false positive (USD)", _upto(1e9, _WHY["per_case"])),
    )
    cost_fn_usd: Quantity = field(
        default=0.0,
        metadata=_meta("Cost of a false negative (USD)", _upto(1e9, _WHY["per_case"])),
    )
    monthly_run_cost_usd: Quantity = field(
        default=1_500.0,
        metadata=_meta("Run cost per month (USD)", _upto(1e9, _WHY["run_cost"])),
    )
    upfront_cost_usd: Quantity = field(
        default=60_000.0, metadata=_meta("Upfront cost (USD)", _upto(1e11, _WHY["upfront"]))
    )
    horizon_months: Quantity = field(
        default=12.0,
        metadata=_meta("Horizon (months)", _upto(120.0, _WHY["horizon"], open_zero=True)),
    )

    def __post_init__(self) -> None:
        _validate_fields(self)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: numbers stay numbers, a Range becomes {low, likely, high}."""
        return {f.name: _quantity_to_json(getattr(self, f.name)) for f in fields(self)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "ValueModelInputs":
        """Rebuild from ``to_dict()`` output; missing fields take their defaults.

        Raises:
            InvalidEstimateInput: on an unknown field or an invalid value.
        """
        _check_keys(cls, data)
        return cls(**{name: _quantity_from_json(name, value) for name, value in data.items()})


VALUE_OUTPUTS: tuple[str, ...] = (
    "net_value_usd",
    "monthly_net_benefit_usd",
    "horizon_net_benefit_usd",
    "act_on_everyone_net_value_usd",
)


def _value_quantities(inputs: ValueModelInputs) -> tuple[dict[str, Quantity], dict[str, str]]:
    quantities = {f.name: getattr(inputs, f.name) for f in fields(inputs)}
    labels = {f.name: f.metadata["label"] for f in fields(inputs)}
    return quantities, labels


def _value_outputs(values: Mapping[str, Any]) -> dict[str, Real]:
    v = value_of_predictions(**values)
    horizon_net = v.monthly_net_benefit_usd * values["horizon_months"] - values["upfront_cost_usd"]
    return {
        "net_value_usd": v.net_value_usd,
        "monthly_net_benefit_usd": v.monthly_net_benefit_usd,
        "horizon_net_benefit_usd": horizon_net,
        "act_on_everyone_net_value_usd": v.act_on_everyone_net_value_usd,
    }


def estimate_value(inputs: ValueModelInputs) -> ValueEstimate:
    """Evaluate ``value_of_predictions`` with every input at its likely value.

    Formula, source and units: see ``value_of_predictions``.

    Args:
        inputs: the scenario's value inputs.

    Returns:
        A ``ValueEstimate``.

    Raises:
        InvalidEstimateInput: if the inputs are invalid.

    Example:
        >>> round(estimate_value(ValueModelInputs()).net_value_usd, 2)
        12833.33
    """
    quantities, _ = _value_quantities(inputs)
    return value_of_predictions(**_likely_values(quantities))


@dataclass(frozen=True)
class ValueSimulation:
    """Spread of the value model over seeded draws.

    Attributes:
        outputs: one ``SimulationResult`` per name in ``VALUE_OUTPUTS``: ``net_value_usd`` and
            ``monthly_net_benefit_usd`` (USD per month), ``horizon_net_benefit_usd`` (USD over
            the horizon, after the upfront cost), ``act_on_everyone_net_value_usd``.
        draws: draws simulated.
        seed: the seed used.
    """

    outputs: dict[str, SimulationResult]
    draws: int
    seed: int


def simulate_value(
    inputs: ValueModelInputs, *, draws: int = DEFAULT_DRAWS, seed: int = 0
) -> ValueSimulation:
    """Simulate the value model: P10/P50/P90 of the net value and the benefit over the horizon.

    Method:
        as ``simulate`` (triangular draws per ``Range`` input, in field order).

    Args:
        inputs: the scenario's value inputs.
        draws: simulated draws (≥ 1; default 10,000).
        seed: random seed; the same seed gives the same numbers.

    Returns:
        A ``ValueSimulation``.

    Raises:
        InvalidEstimateInput: if the inputs, or some drawn combination of them, are invalid
            (e.g. a precision too low for the prevalence).

    Example:
        >>> from dataclasses import replace
        >>> s = simulate_value(replace(ValueModelInputs(), recall=Range(0.5, 0.7, 0.8)), seed=3)
        >>> r = s.outputs["net_value_usd"]
        >>> r.p10 <= r.p50 <= r.p90, round(r.likely, 2)
        (True, 12833.33)
    """
    quantities, _ = _value_quantities(inputs)
    likely = _value_outputs(_likely_values(quantities))
    simulated = _value_outputs(_draw(quantities, draws, seed))
    return ValueSimulation(outputs=_summaries(simulated, likely, draws), draws=draws, seed=seed)


def value_sensitivity(
    inputs: ValueModelInputs, *, output: str = "net_value_usd"
) -> tuple[TornadoBar, ...]:
    """Tornado data for the value model (see ``cost_sensitivity`` for the method).

    Args:
        inputs: the scenario's value inputs.
        output: a name from ``VALUE_OUTPUTS``.

    Returns:
        ``TornadoBar`` items, largest swing first.

    Raises:
        InvalidEstimateInput: if the inputs are invalid or ``output`` unknown.

    Example:
        >>> from dataclasses import replace
        >>> inputs = replace(ValueModelInputs(), recall=Range(0.5, 0.7, 0.8),
        ...                  cost_fp_usd=Range(19, 20, 21))
        >>> [bar.input_name for bar in value_sensitivity(inputs)]
        ['recall', 'cost_fp_usd']
    """
    quantities, labels = _value_quantities(inputs)
    _check_output(output, VALUE_OUTPUTS)
    return _tornado(quantities, labels, _value_outputs, output)
