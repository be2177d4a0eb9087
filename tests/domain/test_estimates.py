"""Cost and impact estimators against published figures and hand-worked examples.

Expected values come from shared/reference/estimates.md (Meta's Llama 2 model card, R's
power.prop.test documentation, statsmodels, AWS Instance Scheduler) or are worked out by hand in
the comment next to them. Standard-normal quantiles are the tabled z₀.₉₇₅ = 1.959964,
z₀.₉ = 1.281552.
"""

import json
import math
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.domain.estimates import (
    CostModelInputs,
    InvalidEstimateInput,
    Range,
    RoleEffort,
    ValueModelInputs,
    ab_test_duration_days,
    ab_test_plan,
    ab_test_power,
    ab_test_sample_size,
    classical_training_cost,
    co2_emissions,
    cohens_h,
    cost_sensitivity,
    estimate_project_cost,
    estimate_value,
    experimentation_cost,
    labeling_cost,
    people_cost,
    retraining_cost,
    serving_capacity,
    shutdown_saving,
    simulate,
    simulate_project_cost,
    simulate_value,
    storage_cost,
    training_compute,
    value_of_predictions,
    value_sensitivity,
)

Z_975 = 1.959964
Z_90 = 1.281552

# --- published figures: Llama 2 (Meta MODEL_CARD.md, paper Table 2) -----------------------------

LLAMA2 = [
    # params, published GPU-hours, published tCO2eq
    pytest.param(7e9, 184_320, 31.22, id="llama2-7B"),
    pytest.param(13e9, 368_640, 62.44, id="llama2-13B"),
    pytest.param(70e9, 1_720_320, 291.42, id="llama2-70B"),
]


@pytest.mark.parametrize(("params", "gpu_hours", "tco2"), LLAMA2)
def test_llama2_gpu_hours_within_30_percent(params, gpu_hours, tco2):
    estimate = training_compute(
        model_params=params, dataset_tokens=2.0e12, peak_tflops=312, mfu=0.38
    )
    assert estimate.gpu_hours == pytest.approx(gpu_hours, rel=0.30)


@pytest.mark.parametrize(("params", "gpu_hours", "tco2"), LLAMA2)
def test_llama2_tco2_within_half_a_percent(params, gpu_hours, tco2):
    # Meta's 400 W already includes overhead: PUE 1.0 and the implied 0.42345 kg/kWh.
    co2 = co2_emissions(gpu_hours=gpu_hours, power_w=400, carbon_kg_per_kwh=0.42345)
    assert co2.co2_kg / 1000 == pytest.approx(tco2, rel=0.005)


def test_llama2_7b_flops_are_six_n_d():
    # 6 × 7e9 × 2e12 = 8.4e22; 8.4e22 / (0.38 × 312e12 × 3600 = 4.26816e17) = 196,806.1 h.
    estimate = training_compute(
        model_params=7e9, dataset_tokens=2e12, peak_tflops=312, mfu=0.38, gpus=2048
    )
    assert estimate.train_flops == pytest.approx(8.4e22)
    assert estimate.gpu_hours == pytest.approx(196_806.1, rel=1e-6)
    assert estimate.wall_clock_days == pytest.approx(196_806.1 / 2048 / 24, rel=1e-6)


@pytest.mark.parametrize(
    ("kwargs", "flops", "gpu_hours", "days", "cost"),
    [
        # 6 × 1e9 × 1e10 × 2 = 1.2e20; / (0.5 × 1e14 × 3600 = 1.8e17) = 666.67 h; / 4 / 24 = 6.944 d
        pytest.param(
            dict(model_params=1e9, dataset_tokens=1e10, epochs=2, peak_tflops=100, mfu=0.5,
                 gpus=4, price_per_gpu_hour_usd=2.0),
            1.2e20, 2000 / 3, 2000 / 3 / 4 / 24, 4000 / 3, id="two-epochs",
        ),
        # zero parameters: nothing to train
        pytest.param(
            dict(model_params=0, dataset_tokens=1e10, peak_tflops=100, price_per_gpu_hour_usd=2.0),
            0.0, 0.0, 0.0, 0.0, id="no-model",
        ),
        # MFU 1 on a 1-PFLOP/s GPU: 6 × 1e9 × 6e11 = 3.6e21 FLOPs = 3.6e21 / 3.6e18 = 1000 h
        pytest.param(
            dict(model_params=1e9, dataset_tokens=6e11, peak_tflops=1000, mfu=1.0, gpus=10,
                 price_per_gpu_hour_usd=1.5),
            3.6e21, 1000.0, 1000 / 10 / 24, 1500.0, id="mfu-1",
        ),
    ],
)  # fmt: skip
def test_training_compute_table(kwargs, flops, gpu_hours, days, cost):
    estimate = training_compute(**kwargs)
    assert estimate.train_flops == pytest.approx(flops)
    assert estimate.gpu_hours == pytest.approx(gpu_hours)
    assert estimate.wall_clock_days == pytest.approx(days)
    assert estimate.cost_usd == pytest.approx(cost)


@pytest.mark.parametrize(
    ("kwargs", "energy_kwh", "co2_kg"),
    [
        # ML CO2 Impact / CodeCarbon convention: PUE 1.0 by default
        pytest.param(dict(gpu_hours=1000, power_w=300, carbon_kg_per_kwh=0.5), 300.0, 150.0,
                     id="default-pue-1"),
        # LLaMA paper convention: PUE 1.1 and 0.385 kg/kWh: 1000 × 0.4 × 1.1 = 440 kWh → 169.4 kg
        pytest.param(dict(gpu_hours=1000, power_w=400, pue=1.1, carbon_kg_per_kwh=0.385), 440.0,
                     169.4, id="llama-paper-pue-1.1"),
        pytest.param(dict(gpu_hours=0, power_w=700, carbon_kg_per_kwh=0.4), 0.0, 0.0, id="none"),
    ],
)  # fmt: skip
def test_co2_table(kwargs, energy_kwh, co2_kg):
    co2 = co2_emissions(**kwargs)
    assert co2.energy_kwh == pytest.approx(energy_kwh)
    assert co2.co2_kg == pytest.approx(co2_kg)


# --- the other cost lines, by hand ---------------------------------------------------------------


def test_classical_training_is_minutes_times_trials_times_folds():
    # 12 min × 50 trials × 5 folds = 3000 min = 50 h; × $0.384 = $19.20
    estimate = classical_training_cost(
        minutes_per_run=12, trials=50, folds=5, price_per_instance_hour_usd=0.384
    )
    assert (estimate.runs, estimate.instance_hours) == (250, pytest.approx(50.0))
    assert estimate.cost_usd == pytest.approx(19.20)


@pytest.mark.parametrize(
    ("kwargs", "labels", "cost"),
    [
        pytest.param(dict(examples=10_000, price_per_label_usd=0.05), 10_000, 500.0, id="single"),
        # 10,000 × 3 × $0.05 = $1,500; + 10 % QA = $1,650
        pytest.param(dict(examples=10_000, labels_per_example=3, price_per_label_usd=0.05,
                          qa_overhead_fraction=0.1), 30_000, 1650.0, id="consensus-and-qa"),
        pytest.param(dict(examples=0, price_per_label_usd=1.0), 0, 0.0, id="nothing"),
    ],
)  # fmt: skip
def test_labeling_table(kwargs, labels, cost):
    estimate = labeling_cost(**kwargs)
    assert estimate.labels == labels
    assert estimate.cost_usd == pytest.approx(cost)


def test_experimentation_retraining_and_storage_by_hand():
    assert experimentation_cost(
        experiments=10, runs_per_experiment=3, cost_per_run_usd=50
    ).cost_usd == pytest.approx(1500.0)
    assert retraining_cost(runs_per_year=12, cost_per_run_usd=250).annual_cost_usd == 3000.0
    storage = storage_cost(storage_gb=500, price_per_gb_month_usd=0.023, months=12)
    assert storage.monthly_cost_usd == pytest.approx(11.5)
    assert storage.cost_usd == pytest.approx(138.0)


def test_people_cost_sums_roles():
    # 1 × 12 × 3000 = 36,000; 0.5 × 8 × 3200 = 12,800
    estimate = people_cost(
        [
            ("Data scientist", 1, 12, 3000),
            RoleEffort("ML engineer", people=0.5, weeks=8, weekly_rate_usd=3200),
        ]
    )
    assert estimate.cost_by_role_usd == (("Data scientist", 36_000), ("ML engineer", 12_800))
    assert estimate.person_weeks == 16
    assert estimate.cost_usd == 48_800
    assert people_cost([]).cost_usd == 0


@pytest.mark.parametrize(
    ("kwargs", "instances"),
    [
        # ⌈50 / (10 × 0.6)⌉ = ⌈8.33⌉ = 9
        pytest.param(dict(peak_requests_per_second=50, requests_per_second_per_instance=10,
                          target_utilisation=0.6, min_replicas=2), 9, id="load-bound"),
        # ⌈5 / 6⌉ = 1 < 3 replicas
        pytest.param(dict(peak_requests_per_second=5, requests_per_second_per_instance=10,
                          target_utilisation=0.6, min_replicas=3), 3, id="replica-bound"),
        # exactly 6 instances' worth: no rounding up past 6
        pytest.param(dict(peak_requests_per_second=60, requests_per_second_per_instance=10,
                          target_utilisation=1.0, min_replicas=1), 6, id="exact-fit"),
        pytest.param(dict(peak_requests_per_second=0, requests_per_second_per_instance=10,
                          min_replicas=0), 0, id="idle-scale-to-zero"),
    ],
)  # fmt: skip
def test_serving_capacity_table(kwargs, instances):
    estimate = serving_capacity(price_per_instance_hour_usd=0.526, **kwargs)
    assert estimate.instances == instances
    # 730 hours a month (AWS Pricing Calculator)
    assert estimate.monthly_cost_usd == pytest.approx(instances * 0.526 * 730)


def test_serving_monthly_cost_by_hand():
    estimate = serving_capacity(
        peak_requests_per_second=50,
        requests_per_second_per_instance=10,
        target_utilisation=0.6,
        min_replicas=2,
        price_per_instance_hour_usd=0.526,
    )
    assert estimate.monthly_cost_usd == pytest.approx(3455.82)  # 9 × 0.526 × 730


@pytest.mark.parametrize(
    ("hours", "fraction"),
    [
        pytest.param(50, 0.70, id="aws-instance-scheduler-168-to-50"),
        pytest.param(168, 0.0, id="always-on"),
        pytest.param(0, 1.0, id="always-off"),
        pytest.param(84, 0.5, id="half-the-week"),
    ],
)
def test_shutdown_saving_fraction(hours, fraction):
    # AWS: "up to 70% cost savings … reduced from 168 hours to 50 hours" (1 − 50/168 = 0.702)
    saving = shutdown_saving(hours_on_per_week=hours)
    assert saving.saving_fraction == pytest.approx(fraction, abs=0.005)


def test_shutdown_only_shrinks_compute():
    # $1,000 compute at 50/168 of the week = $297.62; storage $200 keeps billing
    saving = shutdown_saving(
        hours_on_per_week=50, monthly_compute_usd=1000, monthly_non_compute_usd=200
    )
    assert saving.monthly_saving_usd == pytest.approx(1000 * 118 / 168)
    assert saving.monthly_cost_before_usd == pytest.approx(1200)
    assert saving.monthly_cost_after_usd == pytest.approx(200 + 1000 * 50 / 168)


# --- A/B tests -----------------------------------------------------------------------------------


def test_power_prop_test_sample_size():
    # R: power.prop.test(p1 = .50, p2 = .75, power = .90) → n = 76.7 per group
    plan = ab_test_plan(baseline_rate=0.5, target_rate=0.75, power=0.9)
    assert plan.n_per_variant_exact == pytest.approx(76.7, abs=0.05)
    assert plan.n_per_variant == 77
    assert plan.n_total == 154
    assert plan.days is None


def test_power_prop_test_power():
    # R: power.prop.test(n = 50, p1 = .50, p2 = .75) → power = 0.740
    power = ab_test_power(n_per_variant=50, baseline_rate=0.5, target_rate=0.75)
    assert power == pytest.approx(0.740, abs=0.0005)


def test_cohens_h_matches_statsmodels():
    # statsmodels proportion_effectsize(0.5, 0.4) = 0.2013579 = 2·asin√0.5 − 2·asin√0.4
    assert cohens_h(0.4, 0.5) == pytest.approx(0.2013579, abs=1e-7)
    assert cohens_h(0.5, 0.4) == pytest.approx(-0.2013579, abs=1e-7)


@pytest.mark.parametrize(
    ("method", "exact", "n"),
    [
        pytest.param("pooled", 76.7, 77, id="pooled"),
        # h = 2·asin√.75 − 2·asin√.5 = 2π/3 − π/2 = π/6; n = 2·((z₀.₉₇₅ + z₀.₉)/h)² = 76.65
        pytest.param("cohen-h", 2 * ((Z_975 + Z_90) / (math.pi / 6)) ** 2, 77, id="cohen-h"),
        # (z₀.₉₇₅ + z₀.₉)² · 2 · 0.25 / 0.0625 = 84.06
        pytest.param("baseline-variance", (Z_975 + Z_90) ** 2 * 0.5 / 0.0625, 85,
                     id="baseline-variance"),
    ],
)  # fmt: skip
def test_sample_size_methods(method, exact, n):
    plan = ab_test_plan(baseline_rate=0.5, target_rate=0.75, power=0.9, method=method)
    assert plan.n_per_variant_exact == pytest.approx(exact, abs=0.05)
    assert plan.n_per_variant == n
    assert ab_test_sample_size(baseline_rate=0.5, target_rate=0.75, power=0.9, method=method) == n


def test_sample_size_is_symmetric_in_direction_for_pooled():
    # the pooled formula depends on p₁ and p₂ symmetrically
    up = ab_test_sample_size(baseline_rate=0.5, target_rate=0.75)
    down = ab_test_sample_size(baseline_rate=0.75, target_rate=0.5)
    assert up == down


@pytest.mark.parametrize(
    ("n", "variants", "traffic", "share", "days"),
    [
        pytest.param(77, 2, 40, 0.5, 8, id="154-over-20-is-7.7"),
        pytest.param(100, 2, 50, 1.0, 4, id="exact-4-days-not-5"),
        pytest.param(77, 2, 50, 1.0, 4, id="3.08-rounds-up-to-4"),
        pytest.param(1000, 3, 700, 0.1, 43, id="three-variants-10-percent"),  # 3000/70 = 42.9
    ],
)
def test_duration_days(n, variants, traffic, share, days):
    assert (
        ab_test_duration_days(
            n_per_variant=n, variants=variants, daily_traffic=traffic, share_in_test=share
        )
        == days
    )


def test_plan_includes_duration():
    plan = ab_test_plan(
        baseline_rate=0.5, target_rate=0.75, power=0.9, daily_traffic=40, share_in_test=0.5
    )
    assert plan.days == 8


# --- value of predictions ------------------------------------------------------------------------


def test_value_of_predictions_by_hand():
    # 10,000 × 5 % = 500 positives; TP = 350; predicted = 350 / 0.6 = 583.33; FP = 233.33;
    # FN = 150; net vs no model = 350 × 50 − 233.33 × 20 = 12,833.33 a month;
    # act on everyone = 500 × 50 − 9,500 × 20 = −165,000; break-even = 20 / 70;
    # monthly net benefit = 12,833.33 − 1,500 = 11,333.33; payback = 60,000 / 11,333.33 = 5.294;
    # ROI over 12 months = (154,000 − 78,000) / 78,000 = 0.9744.
    v = value_of_predictions(
        population_per_month=10_000,
        prevalence=0.05,
        precision=0.6,
        recall=0.7,
        benefit_tp_usd=50,
        cost_fp_usd=20,
        monthly_run_cost_usd=1500,
        upfront_cost_usd=60_000,
    )
    assert v.true_positives == pytest.approx(350)
    assert v.false_positives == pytest.approx(233.333, abs=0.001)
    assert v.false_negatives == pytest.approx(150)
    assert v.net_value_usd == pytest.approx(12_833.33, abs=0.01)
    assert v.no_model_value_usd == 0
    assert v.act_on_everyone_net_value_usd == pytest.approx(-165_000)
    assert v.break_even_precision == pytest.approx(2 / 7)
    assert v.monthly_net_benefit_usd == pytest.approx(11_333.33, abs=0.01)
    assert v.payback_months == pytest.approx(5.294, abs=0.001)
    assert v.roi == pytest.approx(76_000 / 78_000)


def test_value_counts_avoided_false_negatives_against_doing_nothing():
    # with $10 per missed positive, doing nothing costs 500 × 10 = $5,000; the model misses 150
    # ($1,500): net = 350 × (50 + 10) − 233.33 × 20 = 16,333.33
    v = value_of_predictions(
        population_per_month=10_000,
        prevalence=0.05,
        precision=0.6,
        recall=0.7,
        benefit_tp_usd=50,
        cost_fp_usd=20,
        cost_fn_usd=10,
    )
    assert v.no_model_value_usd == pytest.approx(-5000)
    assert v.model_value_usd == pytest.approx(17_500 - 4666.667 - 1500, abs=0.01)
    assert v.net_value_usd == pytest.approx(16_333.33, abs=0.01)


@pytest.mark.parametrize(
    ("benefit", "cost_fp", "cost_fn", "expected"),
    [
        pytest.param(70, 30, 0, 0.3, id="elkan-30-over-100"),
        pytest.param(50, 20, 0, 2 / 7, id="20-over-70"),
        pytest.param(100, 0, 0, 0.0, id="free-false-positives"),
        pytest.param(50, 20, 30, 0.2, id="with-cost-of-a-miss"),  # 20 / (50 + 30 + 20)
    ],
)
def test_break_even_precision(benefit, cost_fp, cost_fn, expected):
    v = value_of_predictions(
        population_per_month=1000,
        prevalence=0.1,
        precision=0.5,
        recall=0.5,
        benefit_tp_usd=benefit,
        cost_fp_usd=cost_fp,
        cost_fn_usd=cost_fn,
    )
    assert v.break_even_precision == pytest.approx(expected)


def test_net_value_is_zero_at_break_even_precision():
    # at precision 0.3 with benefit 70 and FP cost 30: FP = TP·(1/0.3 − 1) = TP·7/3, 70 = 30·7/3
    v = value_of_predictions(
        population_per_month=1000,
        prevalence=0.2,
        precision=0.3,
        recall=0.5,
        benefit_tp_usd=70,
        cost_fp_usd=30,
    )
    assert v.net_value_usd == pytest.approx(0, abs=1e-9)


def test_never_pays_back():
    v = value_of_predictions(
        population_per_month=100,
        prevalence=0.1,
        precision=0.5,
        recall=0.5,
        benefit_tp_usd=10,
        cost_fp_usd=1,
        monthly_run_cost_usd=1000,
        upfront_cost_usd=5000,
    )
    assert v.monthly_net_benefit_usd < 0
    assert v.payback_months is None


# --- invalid input -------------------------------------------------------------------------------

_TRAIN = dict(model_params=1e9, dataset_tokens=1e10, peak_tflops=312)
_VALUE = dict(
    population_per_month=1000, prevalence=0.1, precision=0.5, recall=0.5, benefit_tp_usd=1,
    cost_fp_usd=1,
)  # fmt: skip


@pytest.mark.parametrize(
    ("call", "match"),
    [
        pytest.param(lambda: training_compute(**_TRAIN, mfu=0),
                     r"^mfu must be > 0 and <= 1 \(got 0\)", id="mfu-0"),
        pytest.param(lambda: training_compute(**_TRAIN, mfu=1.2), "^mfu", id="mfu-above-1"),
        pytest.param(lambda: training_compute(**_TRAIN, gpus=0), "^gpus must be > 0",
                     id="zero-gpus"),
        pytest.param(lambda: training_compute(**(_TRAIN | {"model_params": -1})),
                     "^model_params must be >= 0", id="negative-params"),
        pytest.param(lambda: training_compute(**(_TRAIN | {"peak_tflops": 0})), "^peak_tflops",
                     id="zero-peak"),
        pytest.param(lambda: training_compute(**_TRAIN, epochs=float("nan")), "^epochs.*finite",
                     id="nan"),
        pytest.param(lambda: training_compute(**_TRAIN, mfu="high"), "^mfu must be a number",
                     id="not-a-number"),
        pytest.param(lambda: co2_emissions(gpu_hours=1, power_w=400, carbon_kg_per_kwh=0.4,
                                           pue=0.9),
                     "^pue must be >= 1", id="pue-below-1"),
        pytest.param(lambda: co2_emissions(gpu_hours=-1, power_w=400, carbon_kg_per_kwh=0.4),
                     "^gpu_hours", id="negative-gpu-hours"),
        pytest.param(lambda: labeling_cost(examples=-5, price_per_label_usd=1), "^examples",
                     id="negative-examples"),
        pytest.param(lambda: serving_capacity(peak_requests_per_second=1,
                                              requests_per_second_per_instance=0,
                                              price_per_instance_hour_usd=1),
                     "^requests_per_second_per_instance must be > 0", id="zero-throughput"),
        pytest.param(lambda: shutdown_saving(hours_on_per_week=169), "^hours_on_per_week",
                     id="more-hours-than-a-week"),
        pytest.param(lambda: ab_test_plan(baseline_rate=1.5, target_rate=0.5), "^baseline_rate",
                     id="probability-above-1"),
        pytest.param(lambda: ab_test_plan(baseline_rate=0.5, target_rate=-0.1), "^target_rate",
                     id="probability-below-0"),
        pytest.param(lambda: ab_test_plan(baseline_rate=0.5, target_rate=0.5), "must differ",
                     id="no-effect"),
        pytest.param(lambda: ab_test_plan(baseline_rate=0.5, target_rate=0.6, alpha=0),
                     "^alpha", id="alpha-0"),
        pytest.param(lambda: ab_test_plan(baseline_rate=0.5, target_rate=0.6, power=1),
                     "^power", id="power-1"),
        pytest.param(lambda: ab_test_plan(baseline_rate=0.5, target_rate=0.6, method="bayes"),
                     "^method", id="unknown-method"),
        pytest.param(lambda: ab_test_plan(baseline_rate=0.5, target_rate=0.6, daily_traffic=0),
                     "^daily_traffic", id="no-traffic"),
        pytest.param(lambda: ab_test_plan(baseline_rate=0.5, target_rate=0.6, variants=0),
                     "^variants", id="zero-variants"),
        pytest.param(lambda: value_of_predictions(**(_VALUE | {"precision": 0})), "^precision",
                     id="precision-0"),
        pytest.param(lambda: value_of_predictions(**(_VALUE | {"recall": 1.01})), "^recall",
                     id="recall-above-1"),
        pytest.param(lambda: value_of_predictions(**(_VALUE | {"prevalence": 0.9, "recall": 1,
                                                               "precision": 0.5})),
                     "^precision is too low", id="more-false-positives-than-negatives"),
        pytest.param(lambda: people_cost([("Analyst", -1, 4, 100)]), "^Analyst: people",
                     id="negative-people"),
        pytest.param(lambda: Range(3, 2, 4), "low <= likely <= high", id="unordered-range"),
        pytest.param(lambda: CostModelInputs(mfu=Range(0, 0.3, 0.4)), "^mfu", id="range-low-mfu-0"),
        pytest.param(lambda: CostModelInputs.from_dict({"mfuu": 0.3}), "unknown.*mfuu",
                     id="unknown-scenario-field"),
    ],
)  # fmt: skip
def test_invalid_input_raises(call, match):
    with pytest.raises(InvalidEstimateInput, match=match):
        call()


def test_invalid_estimate_input_is_a_value_error():
    with pytest.raises(ValueError):
        training_compute(**_TRAIN, gpus=0)


# --- project cost model ------------------------------------------------------------------------

# A scenario whose every line is easy to work out by hand (horizon 6 months):
ROUND = CostModelInputs(
    model_params=1e9,  # 6 × 1e9 × 1e10 = 6e19 FLOPs / (0.5 × 1e14 × 3600) = 333.33 h × $3 = $1,000
    dataset_tokens=1e10,
    epochs=1,
    mfu=0.5,
    peak_tflops=100,
    gpus=1,
    price_per_gpu_hour_usd=3,
    gpu_power_w=300,  # 333.33 h × 0.3 kW × 1.0 × 0.5 kg/kWh = 50 kg
    pue=1.0,
    carbon_kg_per_kwh=0.5,
    minutes_per_run=60,  # 60 min × 10 × 1 = 10 h × $2 = $20  → training line $1,020
    trials=10,
    folds=1,
    price_per_instance_hour_usd=2,
    experiments=2,  # 2 × 5 × $10 = $100
    runs_per_experiment=5,
    cost_per_experiment_run_usd=10,
    examples_to_label=1000,  # 1000 × 2 × $0.5 = $1,000
    labels_per_example=2,
    price_per_label_usd=0.5,
    labeling_qa_overhead_fraction=0,
    retrains_per_year=2,  # 2 × 6/12 × $1,020 = $1,020
    roles=(RoleEffort("Data scientist", people=2, weeks=10, weekly_rate_usd=1000),),  # $20,000
    peak_requests_per_second=30,  # ⌈30 / (10 × 0.5)⌉ = 6 instances × $1 × 730 × 6 = $26,280
    requests_per_second_per_instance=10,
    target_utilisation=0.5,
    min_replicas=2,
    price_per_serving_instance_hour_usd=1,
    storage_gb=100,  # 100 × $0.1 × 6 = $60
    price_per_gb_month_usd=0.1,
    hours_on_per_week=84,  # half the week off: −$13,140
    horizon_months=6,
)
ROUND_LINES = {
    "training": 1020.0,
    "experimentation": 100.0,
    "labeling": 1000.0,
    "retraining": 1020.0,
    "people": 20_000.0,
    "serving": 26_280.0,
    "storage": 60.0,
    "shutdown_saving": -13_140.0,
}
ROUND_TOTAL = 36_340.0


def test_project_cost_lines_by_hand():
    estimate = estimate_project_cost(ROUND)
    assert estimate.lines_usd == pytest.approx(ROUND_LINES)
    assert list(estimate.lines_usd) == list(ROUND_LINES)
    assert estimate.total_usd == pytest.approx(ROUND_TOTAL)
    assert estimate.training_gpu_hours == pytest.approx(1000 / 3)
    assert estimate.training_co2_kg == pytest.approx(50.0)
    assert estimate.serving_instances == 6


def test_default_scenario_is_valid_and_positive():
    estimate = estimate_project_cost(CostModelInputs())
    assert estimate.total_usd > 0
    assert estimate.lines_usd["shutdown_saving"] == 0  # on 168 h a week by default


def test_scenario_round_trips_through_json():
    role = RoleEffort("Data scientist", people=2, weeks=Range(8, 10, 16), weekly_rate_usd=1000)
    scenario = replace(ROUND, mfu=Range(0.3, 0.5, 0.6), roles=(role,))
    stored = json.dumps(scenario.to_dict())
    assert json.loads(stored)["mfu"] == {"low": 0.3, "likely": 0.5, "high": 0.6}
    assert CostModelInputs.from_dict(json.loads(stored)) == scenario


def test_scenario_missing_fields_take_defaults():
    assert CostModelInputs.from_dict({"mfu": 0.4}) == CostModelInputs(mfu=0.4)
    assert ValueModelInputs.from_dict({}) == ValueModelInputs()


def test_value_scenario_round_trips_through_json():
    scenario = ValueModelInputs(precision=Range(0.4, 0.6, 0.7), cost_fn_usd=5)
    assert ValueModelInputs.from_dict(json.loads(json.dumps(scenario.to_dict()))) == scenario


def test_fixed_inputs_give_a_point_simulation():
    simulation = simulate_project_cost(ROUND, draws=500, seed=1)
    for value in (simulation.total.p10, simulation.total.p50, simulation.total.p90):
        assert value == pytest.approx(ROUND_TOTAL)
    assert simulation.lines["serving"].likely == pytest.approx(26_280.0)


def test_tornado_by_hand():
    scenario = replace(ROUND, price_per_gpu_hour_usd=Range(2, 3, 4), storage_gb=Range(0, 100, 1000))
    # GPU price 2 → 4 moves the neural run $666.67 → $1,333.33 in training and once more in
    # retraining (2/yr over 6 months): swing 2 × 666.67 = 1,333.33.
    # Storage 0 → 1000 GB: (1000 − 0) × $0.1 × 6 = 600.
    bars = cost_sensitivity(scenario)
    assert [bar.input_name for bar in bars] == ["price_per_gpu_hour_usd", "storage_gb"]
    price, storage = bars
    assert price.swing == pytest.approx(4000 / 3)
    assert price.output_at_low == pytest.approx(ROUND_TOTAL - 2000 / 3)
    assert price.output_at_high == pytest.approx(ROUND_TOTAL + 2000 / 3)
    assert price.output_at_likely == pytest.approx(ROUND_TOTAL)
    assert storage.swing == pytest.approx(600)
    assert storage.output_at_low == pytest.approx(ROUND_TOTAL - 60)
    assert storage.label == "Storage (GB)"


def test_tornado_covers_role_ranges():
    scenario = replace(
        ROUND, roles=(RoleEffort("Data scientist", people=2, weeks=Range(5, 10, 20),
                                 weekly_rate_usd=1000),)
    )  # fmt: skip
    (bar,) = cost_sensitivity(scenario)
    assert bar.input_name == "roles[0].weeks"
    assert bar.label.startswith("Data scientist")
    assert bar.swing == pytest.approx(2 * 15 * 1000)  # 2 people × (20 − 5) weeks × $1,000


def test_no_ranges_no_tornado():
    assert cost_sensitivity(ROUND) == ()


def test_value_model_likely_and_tornado():
    inputs = ValueModelInputs(recall=Range(0.5, 0.7, 0.8), cost_fp_usd=Range(19, 20, 21))
    assert estimate_value(inputs).net_value_usd == pytest.approx(12_833.33, abs=0.01)
    bars = value_sensitivity(inputs)
    # recall 0.5 → 0.8: TP 250 → 400; per TP: 50 − 20 × (1/0.6 − 1) = 36.67; swing 150 × 36.67
    assert bars[0].input_name == "recall"
    assert bars[0].swing == pytest.approx(150 * (50 - 20 * (1 / 0.6 - 1)))
    # FP cost 19 → 21 on 233.33 false positives: 466.67
    assert bars[1].swing == pytest.approx(2 * 350 * (1 / 0.6 - 1))


def test_triangular_median_matches_closed_form():
    # triangular(0, 0, 1000): median = 1000 · (1 − √½) = 292.9; mean = 333.3
    result = simulate(
        storage_cost,
        {"storage_gb": Range(0, 0, 1000), "price_per_gb_month_usd": 1.0},
        output="cost_usd",
        seed=11,
    )
    assert result.p50 == pytest.approx(1000 * (1 - math.sqrt(0.5)), abs=10)
    assert result.mean == pytest.approx(1000 / 3, abs=10)
    assert result.likely == 0
    assert 0 <= result.low <= result.p10 < result.p90 <= result.high <= 1000


def test_value_simulation_brackets_likely():
    inputs = ValueModelInputs(recall=Range(0.5, 0.7, 0.8))
    result = simulate_value(inputs, draws=2000, seed=5).outputs["net_value_usd"]
    # net value is linear in recall: 250 → 400 TPs × $36.67
    per_tp = 50 - 20 * (1 / 0.6 - 1)
    assert 250 * per_tp <= result.low <= result.p10 <= result.p50 <= result.p90
    assert result.p90 <= result.high <= 400 * per_tp


# --- properties ----------------------------------------------------------------------------------

_positive = st.floats(min_value=1e6, max_value=1e12, allow_nan=False)


@given(params=st.lists(_positive, min_size=2, max_size=2), price=st.floats(0, 100))
def test_cost_never_falls_when_gpu_hours_rise(params, price):
    small, large = sorted(params)
    a = training_compute(
        model_params=small, dataset_tokens=1e10, peak_tflops=312, price_per_gpu_hour_usd=price
    )
    b = training_compute(
        model_params=large, dataset_tokens=1e10, peak_tflops=312, price_per_gpu_hour_usd=price
    )
    assert a.gpu_hours <= b.gpu_hours
    assert a.cost_usd <= b.cost_usd
    total_a = estimate_project_cost(
        replace(ROUND, model_params=small, price_per_gpu_hour_usd=price)
    )
    total_b = estimate_project_cost(
        replace(ROUND, model_params=large, price_per_gpu_hour_usd=price)
    )
    assert total_a.total_usd <= total_b.total_usd


@given(hours=st.lists(st.floats(0, 1e7), min_size=2, max_size=2))
def test_co2_never_falls_when_gpu_hours_rise(hours):
    low, high = sorted(hours)
    kwargs = dict(power_w=400, carbon_kg_per_kwh=0.4, pue=1.2)
    assert (
        co2_emissions(gpu_hours=low, **kwargs).co2_kg
        <= co2_emissions(gpu_hours=high, **kwargs).co2_kg
    )


def _range(low_bound: float, high_bound: float) -> st.SearchStrategy[Range]:
    values = st.floats(low_bound, high_bound, allow_nan=False)
    return st.lists(values, min_size=3, max_size=3).map(lambda v: Range(*sorted(v)))


@settings(deadline=None, max_examples=40)
@given(
    price=_range(0, 10),
    experiments=_range(0, 50),
    storage=_range(0, 10_000),
    labels=_range(0, 100_000),
    seed=st.integers(0, 2**32 - 1),
)
def test_ordered_ranges_give_ordered_percentiles(price, experiments, storage, labels, seed):
    # the total rises with every one of these inputs, so all-low ≤ P10 ≤ P50 ≤ P90 ≤ all-high
    scenario = replace(
        ROUND,
        price_per_gpu_hour_usd=price,
        experiments=experiments,
        storage_gb=storage,
        examples_to_label=labels,
    )
    simulation = simulate_project_cost(scenario, draws=1000, seed=seed)
    total = simulation.total
    at_low = estimate_project_cost(
        replace(ROUND, price_per_gpu_hour_usd=price.low, experiments=experiments.low,
                storage_gb=storage.low, examples_to_label=labels.low)
    ).total_usd  # fmt: skip
    at_high = estimate_project_cost(
        replace(ROUND, price_per_gpu_hour_usd=price.high, experiments=experiments.high,
                storage_gb=storage.high, examples_to_label=labels.high)
    ).total_usd  # fmt: skip
    slack = 1e-9 * max(1.0, abs(at_high))
    assert at_low - slack <= total.low <= total.p10 <= total.p50 <= total.p90
    assert total.p90 <= total.high <= at_high + slack
    assert total.low <= total.likely <= total.high


_methods = st.sampled_from(["pooled", "cohen-h", "baseline-variance"])


@given(
    baseline=st.floats(0.01, 0.9),
    effects=st.lists(st.floats(0.001, 0.5), min_size=2, max_size=2, unique=True),
    method=_methods,
    up=st.booleans(),
)
def test_sample_size_falls_as_the_effect_grows(baseline, effects, method, up):
    small, large = sorted(effects)
    sign = 1 if up else -1
    if not (0 <= baseline + sign * large <= 1):
        sign = -sign
    if not (0 <= baseline + sign * large <= 1):
        return
    n_small = ab_test_sample_size(
        baseline_rate=baseline, target_rate=baseline + sign * small, method=method
    )
    n_large = ab_test_sample_size(
        baseline_rate=baseline, target_rate=baseline + sign * large, method=method
    )
    assert n_large <= n_small


@settings(deadline=None, max_examples=25)
@given(seed=st.integers(0, 2**63), mfu=_range(0.1, 0.9), peak=_range(20, 60))
def test_same_seed_same_numbers(seed, mfu, peak):
    scenario = replace(ROUND, mfu=mfu, peak_requests_per_second=peak)
    first = simulate_project_cost(scenario, draws=500, seed=seed)
    second = simulate_project_cost(scenario, draws=500, seed=seed)
    assert first == second
    assert cost_sensitivity(scenario) == cost_sensitivity(scenario)


def test_different_seeds_differ():
    scenario = replace(ROUND, mfu=Range(0.2, 0.5, 0.6))
    assert (
        simulate_project_cost(scenario, seed=1).total
        != simulate_project_cost(scenario, seed=2).total
    )


@given(values=st.lists(st.floats(-1e9, 1e9), min_size=3, max_size=3))
def test_range_accepts_exactly_ordered_triples(values):
    low, likely, high = values
    if low <= likely <= high:
        assert Range(low, likely, high).likely == likely
    else:
        with pytest.raises(InvalidEstimateInput):
            Range(low, likely, high)


# --- what applies, and plausible bounds ---------------------------------------------------------


def test_a_classical_estimate_lists_no_gpu_input_in_its_tornado():
    """MFU used to get a (zero) bar in a classical-ML estimate, where it cannot apply."""
    from workbench.domain.estimates import cost_sensitivity, inapplicable_inputs

    classical = replace(
        CostModelInputs(),
        model_params=0.0,
        minutes_per_run=Range(8, 12, 20),
        mfu=Range(0.2, 0.35, 0.45),
        gpus=Range(4, 8, 16),
        trials=Range(10, 20, 40),
    )
    names = [bar.input_name for bar in cost_sensitivity(classical)]
    assert "mfu" not in names and "gpus" not in names
    assert {"minutes_per_run", "trials"} <= set(names)
    assert {"mfu", "gpus", "pue", "carbon_kg_per_kwh"} <= inapplicable_inputs(classical)

    neural = replace(CostModelInputs(), trials=Range(10, 20, 40), mfu=Range(0.2, 0.35, 0.45))
    names = [bar.input_name for bar in cost_sensitivity(neural)]
    assert "mfu" in names and "trials" not in names  # no classical fits: minutes per run 0


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("price_per_gpu_hour_usd", 1e300, "must be >= 0 and <= 1000 (got 1e+300): no GPU rents"),
        ("horizon_months", 1e6, "must be >= 0 and <= 120 (got 1e+06): estimates beyond ten"),
        ("storage_gb", 2e9, "<= 1,000,000,000 (got 2e+09): a billion GB is an exabyte"),
        ("mfu", 0.001, "must be >= 0.01 and <= 1 (got 0.001)"),
    ],
)
def test_inputs_past_a_plausible_bound_are_refused_with_the_reason(field, value, words):
    with pytest.raises(InvalidEstimateInput) as error:
        CostModelInputs.from_dict({field: value})
    assert words in str(error.value)


def test_a_negative_value_is_refused_without_the_plausibility_reason():
    with pytest.raises(InvalidEstimateInput) as error:
        CostModelInputs.from_dict({"price_per_gpu_hour_usd": -1})
    assert str(error.value) == "price_per_gpu_hour_usd must be >= 0 and <= 1000 (got -1)"


def test_a_role_past_its_plausible_bound_is_refused():
    with pytest.raises(InvalidEstimateInput, match="520 weeks is ten years"):
        RoleEffort("Data scientist", people=1, weeks=1e6, weekly_rate_usd=3000)
