"""Benchmark (not a test): time one full project cost estimate with 10,000 simulation draws.

"One full estimate" is what the estimate page computes on every rerun: the likely breakdown
(``estimate_project_cost``), the seeded simulation with P10/P50/P90 of the total and of every
line (``simulate_project_cost``, 10,000 draws) and the tornado (``cost_sensitivity``), for a
scenario with fourteen ranged inputs. Target: median under 50 ms.

Run from the repository root:

    .venv/bin/python -m scripts.bench_estimate [--repetitions 60] [--draws 10000]
"""

import argparse
import statistics
import time

from workbench.domain.estimates import (
    CostModelInputs,
    Range,
    RoleEffort,
    cost_sensitivity,
    estimate_project_cost,
    simulate_project_cost,
)

TARGET_MS = 50.0

SCENARIO = CostModelInputs(
    model_params=Range(125e6, 350e6, 1.3e9),
    dataset_tokens=Range(2e9, 5e9, 10e9),
    mfu=Range(0.2, 0.35, 0.45),
    price_per_gpu_hour_usd=Range(2.0, 4.1, 5.5),
    experiments=Range(5, 10, 25),
    cost_per_experiment_run_usd=Range(20, 50, 150),
    examples_to_label=Range(2_000, 5_000, 20_000),
    price_per_label_usd=Range(0.05, 0.10, 0.40),
    retrains_per_year=Range(2, 4, 12),
    roles=(
        RoleEffort("Data scientist", people=1, weeks=Range(8, 12, 20), weekly_rate_usd=3_000),
        RoleEffort("ML engineer", people=Range(0.5, 1, 2), weeks=8, weekly_rate_usd=3_200),
    ),
    peak_requests_per_second=Range(10, 20, 80),
    storage_gb=Range(200, 500, 2_000),
    hours_on_per_week=Range(50, 100, 168),
)


def full_estimate(draws: int, seed: int) -> float:
    """Run one full estimate; returns the simulated P50 total so the work cannot be skipped."""
    estimate_project_cost(SCENARIO)
    simulation = simulate_project_cost(SCENARIO, draws=draws, seed=seed)
    cost_sensitivity(SCENARIO)
    return simulation.total.p50


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repetitions", type=int, default=60)
    parser.add_argument("--draws", type=int, default=10_000)
    args = parser.parse_args()

    full_estimate(args.draws, seed=0)  # warm-up: imports, first-call allocations
    timings_ms = []
    for repetition in range(args.repetitions):
        start = time.perf_counter()
        full_estimate(args.draws, seed=repetition)
        timings_ms.append((time.perf_counter() - start) * 1000.0)

    median = statistics.median(timings_ms)
    p90 = statistics.quantiles(timings_ms, n=10)[-1]
    print(
        f"full estimate, {args.draws:,} draws, {args.repetitions} repetitions: "
        f"median {median:.2f} ms, p90 {p90:.2f} ms, min {min(timings_ms):.2f} ms "
        f"(target < {TARGET_MS:.0f} ms: {'met' if median < TARGET_MS else 'NOT met'})"
    )


if __name__ == "__main__":
    main()
