"""`python -m workbench estimate KIND …`: the cost and impact estimators from the command line.

Kinds: ``training``, ``co2``, ``abtest``, ``shutdown``, ``value``. With ``--json`` the result is
one JSON object on stdout; without it, one ``key: value`` line per result. Bad flags or values
(a negative count, a probability above 1, an MFU of 0, an unknown GPU) exit with status 2 and one
``error: …`` line on stderr, and print nothing on stdout.

``register(subparsers)`` adds the ``estimate`` subcommand to the workbench's parser.
"""

import argparse
import json
import math
import sys
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

from workbench.domain import estimates
from workbench.domain.estimates import InvalidEstimateInput
from workbench.reference.estimates import (
    InvalidReferenceData,
    UnknownReferenceName,
    load_grid_regions,
    load_hardware,
)

__all__ = ["OneLineErrorParser", "register", "run"]

EXIT_BAD_INPUT = 2
EXIT_BAD_REFERENCE_DATA = 1

# Estimator input name → the flag that sets it, so errors name what the user typed.
_FLAGS = {
    "model_params": "--params",
    "dataset_tokens": "--tokens",
    "epochs": "--epochs",
    "peak_tflops": "--peak-tflops",
    "mfu": "--mfu",
    "gpus": "--gpus",
    "price_per_gpu_hour_usd": "--price-per-gpu-hour",
    "power_w": "--power-w",
    "pue": "--pue",
    "carbon_kg_per_kwh": "--carbon-kg-per-kwh",
    "gpu_hours": "--gpu-hours",
    "baseline_rate": "--baseline",
    "target_rate": "--target",
    "alpha": "--alpha",
    "power": "--power",
    "method": "--method",
    "daily_traffic": "--daily-traffic",
    "variants": "--variants",
    "share_in_test": "--share",
    "hours_on_per_week": "--hours-per-week",
    "monthly_compute_usd": "--monthly-compute-usd",
    "monthly_non_compute_usd": "--monthly-non-compute-usd",
    "population_per_month": "--population",
    "prevalence": "--prevalence",
    "precision": "--precision",
    "recall": "--recall",
    "benefit_tp_usd": "--benefit-tp",
    "cost_fp_usd": "--cost-fp",
    "cost_fn_usd": "--cost-fn",
    "monthly_run_cost_usd": "--monthly-run-cost",
    "upfront_cost_usd": "--upfront-cost",
    "horizon_months": "--horizon-months",
}

_REFERENCE_FLAGS = {"GPU": "--gpu", "grid region": "--region"}


class OneLineErrorParser(argparse.ArgumentParser):
    """An argument parser whose errors are one ``error: …`` line on stderr and exit status 2."""

    def error(self, message: str) -> NoReturn:
        sys.stderr.write(f"error: {message}\n")
        raise SystemExit(EXIT_BAD_INPUT)

    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        # A subcommand's parser sees only its own arguments: anything left over is a bad flag,
        # reported here in one line rather than as usage text by the top-level parser.
        parsed, extras = super().parse_known_args(args, namespace)
        if extras:
            self.error(f"unrecognized arguments: {' '.join(extras)}")
        return parsed, extras


def register(subparsers: Any) -> None:
    """Add the ``estimate`` subcommand (and its kinds) to an ``add_subparsers()`` object.

    Sets ``func=run`` on the parsed namespace.
    """
    estimate = subparsers.add_parser(
        "estimate",
        help="cost and impact estimates (training, co2, abtest, shutdown, value)",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    kinds = estimate.add_subparsers(
        dest="kind", required=True, metavar="KIND", parser_class=OneLineErrorParser
    )
    for name, help_text, add_arguments, compute in _KINDS:
        kind = kinds.add_parser(name, help=help_text, description=help_text)
        add_arguments(kind)
        kind.add_argument("--json", action="store_true", help="print one JSON object")
        kind.set_defaults(func=run, compute=compute)


def run(args: argparse.Namespace) -> int:
    """Compute the estimate the parsed arguments ask for and print it; returns the exit status."""
    try:
        result = args.compute(args)
    except InvalidEstimateInput as error:
        return _fail(_flag_message(error), EXIT_BAD_INPUT)
    except UnknownReferenceName as error:
        return _fail(f"{_REFERENCE_FLAGS[error.kind]}: {error}", EXIT_BAD_INPUT)
    except InvalidReferenceData as error:
        return _fail(str(error), EXIT_BAD_REFERENCE_DATA)
    except (OverflowError, ZeroDivisionError):
        # Extreme but valid-looking inputs (a rate of 1e-300, a traffic of 1e-300 per day):
        # the arithmetic leaves the range of floating point numbers.
        return _fail(_BEYOND_RANGE.format(what="the estimate"), EXIT_BAD_INPUT)
    beyond = [key for key, value in result.items() if _not_finite(value)]
    if beyond:
        return _fail(_BEYOND_RANGE.format(what=", ".join(beyond)), EXIT_BAD_INPUT)
    if args.json:
        sys.stdout.write(json.dumps(result, allow_nan=False) + "\n")
    else:
        sys.stdout.write("".join(f"{key}: {_readable(value)}\n" for key, value in result.items()))
    return 0


_BEYOND_RANGE = (
    "these values make {what} too large or too small to compute; use less extreme values"
)


def _not_finite(value: Any) -> bool:
    return isinstance(value, float) and not math.isfinite(value)


def _fail(message: str, status: int) -> int:
    sys.stderr.write(f"error: {message}\n")
    return status


def _flag_message(error: InvalidEstimateInput) -> str:
    flag = _FLAGS.get(error.parameter or "")
    return f"{flag} {error.detail}" if flag else str(error)


def _readable(value: Any) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, bool | str):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if value != 0 and (abs(value) >= 1e12 or abs(value) < 1e-3):
        return f"{value:.4g}"
    return f"{value:,.2f}" if abs(value) >= 100 else f"{value:.4g}"


# --- kinds --------------------------------------------------------------------------------------


def _add_training(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--params", type=float, required=True, help="model parameters N")
    parser.add_argument("--tokens", type=float, required=True, help="dataset tokens per epoch")
    parser.add_argument("--epochs", type=float, default=1.0, help="passes over the data (1)")
    hardware = parser.add_mutually_exclusive_group(required=True)
    hardware.add_argument("--gpu", metavar="NAME", help="a GPU from data/hardware.toml")
    hardware.add_argument("--peak-tflops", type=float, help="peak dense 16-bit TFLOP/s per GPU")
    parser.add_argument(
        "--mfu", type=float, default=estimates.DEFAULT_MFU, help="model FLOPs utilisation (0.35)"
    )
    parser.add_argument("--gpus", type=float, default=1.0, help="GPUs in parallel (1)")
    parser.add_argument(
        "--price-per-gpu-hour", type=float, help="USD per GPU-hour (default: the GPU's price)"
    )
    parser.add_argument("--power-w", type=float, help="W per GPU (default: the GPU's power)")
    parser.add_argument("--pue", type=float, default=estimates.DEFAULT_PUE, help="PUE (1.0)")
    _add_carbon(parser, required=False)


def _add_carbon(parser: argparse.ArgumentParser, *, required: bool) -> None:
    carbon = parser.add_mutually_exclusive_group(required=required)
    carbon.add_argument("--carbon-kg-per-kwh", type=float, help="grid intensity, kg CO2e per kWh")
    carbon.add_argument("--region", metavar="NAME", help="a region from data/grid_regions.toml")


def _carbon(args: argparse.Namespace) -> float | None:
    if args.region is not None:
        return load_grid_regions().get(args.region).carbon_kg_per_kwh
    return args.carbon_kg_per_kwh


def _training(args: argparse.Namespace) -> dict[str, Any]:
    peak, power, price = args.peak_tflops, args.power_w, args.price_per_gpu_hour
    if args.gpu is not None:
        gpu = load_hardware().get(args.gpu)
        peak = gpu.peak_dense_16bit_tflops
        power = gpu.board_power_w if power is None else power
        price = gpu.price_per_gpu_hour_usd if price is None else price
    run_estimate = estimates.training_compute(
        model_params=args.params,
        dataset_tokens=args.tokens,
        epochs=args.epochs,
        peak_tflops=peak,
        mfu=args.mfu,
        gpus=args.gpus,
        price_per_gpu_hour_usd=0.0 if price is None else price,
    )
    carbon = _carbon(args)
    energy_kwh = co2_kg = None
    if power is not None:
        co2 = estimates.co2_emissions(
            gpu_hours=run_estimate.gpu_hours,
            power_w=power,
            pue=args.pue,
            carbon_kg_per_kwh=0.0 if carbon is None else carbon,
        )
        energy_kwh = co2.energy_kwh
        co2_kg = None if carbon is None else co2.co2_kg
    return {
        "train_flops": run_estimate.train_flops,
        "gpu_hours": run_estimate.gpu_hours,
        "wall_clock_days": run_estimate.wall_clock_days,
        "cost_usd": None if price is None else run_estimate.cost_usd,
        "energy_kwh": energy_kwh,
        "co2_kg": co2_kg,
    }


def _add_co2(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--gpu-hours", type=float, required=True, help="GPU-hours")
    parser.add_argument("--power-w", type=float, required=True, help="W per GPU")
    parser.add_argument("--pue", type=float, default=estimates.DEFAULT_PUE, help="PUE (1.0)")
    _add_carbon(parser, required=True)


def _co2(args: argparse.Namespace) -> dict[str, Any]:
    co2 = estimates.co2_emissions(
        gpu_hours=args.gpu_hours,
        power_w=args.power_w,
        pue=args.pue,
        carbon_kg_per_kwh=_carbon(args),
    )
    return {"energy_kwh": co2.energy_kwh, "co2_kg": co2.co2_kg}


def _add_abtest(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--baseline", type=float, required=True, help="control rate p1 (0-1)")
    parser.add_argument("--target", type=float, required=True, help="rate to detect p2 (0-1)")
    parser.add_argument("--alpha", type=float, default=0.05, help="two-sided alpha (0.05)")
    parser.add_argument("--power", type=float, default=0.8, help="power 1 - beta (0.8)")
    parser.add_argument(
        "--method", choices=estimates.AB_TEST_METHODS, default="pooled", help="(pooled)"
    )
    parser.add_argument("--daily-traffic", type=float, help="eligible units per day")
    parser.add_argument("--variants", type=int, default=2, help="variants incl. control (2)")
    parser.add_argument("--share", type=float, default=1.0, help="share of traffic in test (1)")


def _abtest(args: argparse.Namespace) -> dict[str, Any]:
    plan = estimates.ab_test_plan(
        baseline_rate=args.baseline,
        target_rate=args.target,
        alpha=args.alpha,
        power=args.power,
        method=args.method,
        daily_traffic=args.daily_traffic,
        variants=args.variants,
        share_in_test=args.share,
    )
    return {
        "method": plan.method,
        "n_per_variant": plan.n_per_variant,
        "n_total": plan.n_total,
        "days": plan.days,
    }


def _add_shutdown(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--hours-per-week", type=float, required=True, help="hours on (0-168)")
    parser.add_argument("--monthly-compute-usd", type=float, default=0.0, help="compute bill")
    parser.add_argument(
        "--monthly-non-compute-usd", type=float, default=0.0, help="storage, reserved (0)"
    )


def _shutdown(args: argparse.Namespace) -> dict[str, Any]:
    saving = estimates.shutdown_saving(
        hours_on_per_week=args.hours_per_week,
        monthly_compute_usd=args.monthly_compute_usd,
        monthly_non_compute_usd=args.monthly_non_compute_usd,
    )
    return {
        "saving_fraction": saving.saving_fraction,
        "monthly_saving_usd": saving.monthly_saving_usd,
        "monthly_cost_after_usd": saving.monthly_cost_after_usd,
    }


def _add_value(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--population", type=float, required=True, help="cases per month")
    parser.add_argument("--prevalence", type=float, required=True, help="share positive (0-1)")
    parser.add_argument("--precision", type=float, required=True, help="precision (0-1]")
    parser.add_argument("--recall", type=float, required=True, help="recall (0-1)")
    parser.add_argument("--benefit-tp", type=float, required=True, help="USD per true positive")
    parser.add_argument("--cost-fp", type=float, required=True, help="USD per false positive")
    parser.add_argument("--cost-fn", type=float, default=0.0, help="USD per false negative (0)")
    parser.add_argument("--monthly-run-cost", type=float, default=0.0, help="USD per month (0)")
    parser.add_argument("--upfront-cost", type=float, default=0.0, help="USD (0)")
    parser.add_argument("--horizon-months", type=float, default=12.0, help="ROI horizon (12)")


def _value(args: argparse.Namespace) -> dict[str, Any]:
    value = estimates.value_of_predictions(
        population_per_month=args.population,
        prevalence=args.prevalence,
        precision=args.precision,
        recall=args.recall,
        benefit_tp_usd=args.benefit_tp,
        cost_fp_usd=args.cost_fp,
        cost_fn_usd=args.cost_fn,
        monthly_run_cost_usd=args.monthly_run_cost,
        upfront_cost_usd=args.upfront_cost,
        horizon_months=args.horizon_months,
    )
    return {
        "net_value_usd": value.net_value_usd,
        "break_even_precision": value.break_even_precision,
        "true_positives": value.true_positives,
        "false_positives": value.false_positives,
        "false_negatives": value.false_negatives,
        "act_on_everyone_net_value_usd": value.act_on_everyone_net_value_usd,
        "monthly_net_benefit_usd": value.monthly_net_benefit_usd,
        "payback_months": value.payback_months,
        "roi": value.roi,
    }


_KINDS: tuple[
    tuple[
        str,
        str,
        Callable[[argparse.ArgumentParser], None],
        Callable[[argparse.Namespace], dict[str, Any]],
    ],
    ...,
] = (
    ("training", "training compute, time, cost and CO2 (6·N·D)", _add_training, _training),
    ("co2", "energy and CO2 of GPU time", _add_co2, _co2),
    ("abtest", "A/B test sample size per variant and duration", _add_abtest, _abtest),
    ("shutdown", "saving from switching compute off out of hours", _add_shutdown, _shutdown),
    ("value", "monthly value of acting on predictions vs no model", _add_value, _value),
)
