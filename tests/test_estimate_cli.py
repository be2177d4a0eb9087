"""`estimate KIND … --json` run as a real process: keys, values from the published figures, and
one-line errors with exit status 2 and nothing on stdout for bad input."""

import argparse
import json
import subprocess
import sys
from pathlib import Path

import pytest

from workbench.cli import estimate as estimate_cli

ROOT = Path(__file__).resolve().parent.parent


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "workbench", "estimate", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def run_json(*args: str) -> dict:
    result = run_cli(*args, "--json")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return json.loads(result.stdout)


def test_training_llama2_7b_on_the_a100_from_the_table():
    out = run_json(
        "training",
        "--params", "7e9",
        "--tokens", "2e12",
        "--gpu", "a100-80gb sxm",
        "--mfu", "0.38",
        "--gpus", "2048",
        "--carbon-kg-per-kwh", "0.42345",
    )  # fmt: skip
    assert set(out) == {
        "train_flops",
        "gpu_hours",
        "wall_clock_days",
        "cost_usd",
        "energy_kwh",
        "co2_kg",
    }
    assert out["train_flops"] == pytest.approx(6 * 7e9 * 2e12)
    assert out["gpu_hours"] == pytest.approx(184_320, rel=0.30)  # Meta's published GPU-hours
    assert out["wall_clock_days"] == pytest.approx(out["gpu_hours"] / 2048 / 24)
    assert out["energy_kwh"] == pytest.approx(out["gpu_hours"] * 0.4)  # A100 SXM board: 400 W
    assert out["co2_kg"] == pytest.approx(out["energy_kwh"] * 0.42345)
    assert out["cost_usd"] > 0  # the table's default price


def test_training_with_a_peak_and_no_price_or_power_reports_what_it_can():
    # 6 × 1e9 × 1e10 = 6e19 FLOPs / (0.5 × 100e12 × 3600) = 333.33 GPU-hours
    out = run_json(
        "training", "--params", "1e9", "--tokens", "1e10", "--peak-tflops", "100", "--mfu", "0.5"
    )
    assert out["gpu_hours"] == pytest.approx(1000 / 3)
    assert out["cost_usd"] is None
    assert out["energy_kwh"] is None
    assert out["co2_kg"] is None


def test_training_explicit_price_power_and_region():
    out = run_json(
        "training",
        "--params", "1e9",
        "--tokens", "1e10",
        "--epochs", "3",
        "--peak-tflops", "100",
        "--mfu", "0.5",
        "--price-per-gpu-hour", "2",
        "--power-w", "300",
        "--pue", "1.1",
        "--region", "LLaMA paper (US average)",
    )  # fmt: skip
    # 3 epochs: 1000 GPU-hours; $2,000; 1000 × 0.3 × 1.1 = 330 kWh; × 0.385 = 127.05 kg
    assert out["gpu_hours"] == pytest.approx(1000)
    assert out["cost_usd"] == pytest.approx(2000)
    assert out["energy_kwh"] == pytest.approx(330)
    assert out["co2_kg"] == pytest.approx(127.05)


def test_co2_llama2_70b():
    out = run_json(
        "co2", "--gpu-hours", "1720320", "--power-w", "400", "--carbon-kg-per-kwh", "0.42345"
    )
    assert set(out) == {"energy_kwh", "co2_kg"}
    assert out["co2_kg"] / 1000 == pytest.approx(291.42, rel=0.005)  # Meta: 291.42 tCO2eq


@pytest.mark.parametrize(
    ("method", "n"),
    [
        pytest.param("pooled", 77, id="pooled"),  # power.prop.test: 76.7
        pytest.param("cohen-h", 77, id="cohen-h"),  # 2·(3.241516 / (π/6))² = 76.65
        pytest.param("baseline-variance", 85, id="baseline-variance"),  # 84.06
    ],
)
def test_abtest_methods(method, n):
    out = run_json(
        "abtest", "--baseline", "0.5", "--target", "0.75", "--power", "0.9", "--method", method
    )
    assert out["n_per_variant"] == n
    assert out["n_total"] == 2 * n
    assert out["days"] is None


def test_abtest_duration():
    out = run_json(
        "abtest",
        "--baseline", "0.5",
        "--target", "0.75",
        "--power", "0.9",
        "--daily-traffic", "40",
        "--share", "0.5",
        "--variants", "3",
    )  # fmt: skip
    assert out["n_total"] == 231  # 77 × 3
    assert out["days"] == 12  # ⌈231 / 20⌉ = ⌈11.55⌉


def test_shutdown_aws_instance_scheduler():
    out = run_json("shutdown", "--hours-per-week", "50", "--monthly-compute-usd", "1000")
    assert out["saving_fraction"] == pytest.approx(0.70, abs=0.005)  # "up to 70%"
    assert out["monthly_saving_usd"] == pytest.approx(1000 * 118 / 168)


def test_value():
    out = run_json(
        "value",
        "--population", "10000",
        "--prevalence", "0.05",
        "--precision", "0.6",
        "--recall", "0.7",
        "--benefit-tp", "50",
        "--cost-fp", "20",
    )  # fmt: skip
    # 350 × 50 − 233.33 × 20 = 12,833.33; break-even 20 / 70
    assert out["net_value_usd"] == pytest.approx(12_833.33, abs=0.01)
    assert out["break_even_precision"] == pytest.approx(2 / 7)


def test_readable_output_without_json():
    result = run_cli("abtest", "--baseline", "0.5", "--target", "0.75", "--power", "0.9")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert "n_per_variant: 77" in lines
    assert "n_total: 154" in lines
    assert all(": " in line for line in lines)


TRAIN = ["training", "--params", "7e9", "--tokens", "2e12"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param([*TRAIN, "--peak-tflops", "312", "--mfu", "0"],
                     "error: --mfu must be > 0 and <= 1 (got 0)", id="mfu-0"),
        pytest.param(["training", "--params", "-1", "--tokens", "2e12", "--gpu", "T4"],
                     "error: --params must be >= 0 (got -1)", id="negative-params"),
        # argparse reads "-7e9" as a flag; the "=" form passes it as a value
        pytest.param(["training", "--params=-7e9", "--tokens", "2e12", "--gpu", "T4"],
                     "error: --params must be >= 0 (got -7e+09)", id="negative-params-exponent"),
        pytest.param([*TRAIN, "--gpu", "T4", "--gpus", "0"], "error: --gpus must be > 0",
                     id="zero-gpus"),
        pytest.param([*TRAIN, "--gpu", "B200"], "error: --gpu: unknown GPU 'B200'",
                     id="unknown-gpu"),
        pytest.param([*TRAIN, "--gpu", "T4", "--region", "Atlantis"],
                     "error: --region: unknown grid region 'Atlantis'", id="unknown-region"),
        pytest.param([*TRAIN], "error: one of the arguments --gpu --peak-tflops is required",
                     id="no-hardware"),
        pytest.param([*TRAIN, "--gpu", "T4", "--peak-tflops", "65"], "error: argument",
                     id="both-gpu-and-peak"),
        pytest.param([*TRAIN, "--gpu", "T4", "--frobnicate", "1"],
                     "error: unrecognized arguments: --frobnicate 1", id="unknown-flag"),
        pytest.param(["training", "--params", "seven", "--tokens", "1", "--gpu", "T4"],
                     "error: argument --params: invalid float value: 'seven'", id="not-a-number"),
        pytest.param(["abtest", "--baseline", "1.2", "--target", "0.5"],
                     "error: --baseline must be >= 0 and <= 1 (got 1.2)", id="probability-above-1"),
        pytest.param(["abtest", "--baseline", "0.5", "--target", "0.5"],
                     "error: --target must differ from the baseline rate", id="no-effect"),
        pytest.param(["abtest", "--baseline", "0.5", "--target", "0.6", "--method", "bayes"],
                     "error: argument --method: invalid choice", id="unknown-method"),
        pytest.param(["co2", "--gpu-hours", "10", "--power-w", "400", "--carbon-kg-per-kwh",
                      "0.4", "--pue", "0.5"], "error: --pue must be >= 1", id="pue-below-1"),
        pytest.param(["co2", "--gpu-hours", "10", "--power-w", "400"],
                     "error: one of the arguments --carbon-kg-per-kwh --region is required",
                     id="no-intensity"),
        pytest.param(["shutdown", "--hours-per-week", "200"],
                     "error: --hours-per-week must be >= 0 and <= 168", id="too-many-hours"),
        pytest.param(["value", "--population", "100", "--prevalence", "0.1", "--precision",
                      "1.5", "--recall", "0.5", "--benefit-tp", "1", "--cost-fp", "1"],
                     "error: --precision must be > 0 and <= 1 (got 1.5)", id="precision-above-1"),
        pytest.param(["forecast"], "error: argument KIND: invalid choice: 'forecast'",
                     id="unknown-kind"),
    ],
)  # fmt: skip
def test_bad_input_exits_2_with_one_line(args, message):
    result = run_cli(*args, "--json")
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(message)


def test_register_sets_run_on_another_programs_parser():
    parser = argparse.ArgumentParser(prog="python -m workbench")
    estimate_cli.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["estimate", "shutdown", "--hours-per-week", "84"])
    assert args.func is estimate_cli.run
    assert args.kind == "shutdown"
