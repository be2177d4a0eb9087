"""The Cost & value page's results: the metrics and charts of the estimate, the side-by-side
comparison of saved scenarios, and the A/B test planner."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import pandas as pd
import streamlit as st

from workbench.charts import estimates as charts
from workbench.domain.estimates import AB_TEST_METHODS, InvalidEstimateInput, ab_test_plan
from workbench.domain.money import format_usd
from workbench.models.estimates import ScenarioPublic
from workbench.services import estimates as svc


def row_format(row: str) -> Callable[[float], str]:
    """How one row of the comparison table is written."""
    if "USD" in row:
        return format_usd
    patterns = {
        "Break-even precision": "{:.3f}",
        "ROI": "{:.0%}",
        "Payback": "{:,.1f}",
        "Horizon": "{:g}",
    }
    pattern = next((p for start, p in patterns.items() if row.startswith(start)), None)
    if pattern is None:
        pattern = "{:,.1f}" if "CO2" in row else "{:,.0f}" if "GPU" in row else "{:.0f}"
    return lambda figure: "never" if math.isnan(figure) else pattern.format(figure)


def results(result: svc.Estimate, p: str) -> None:
    """The estimate's metrics (cost, value, one training run) and its three charts."""
    summary = result.summary
    total = summary.total
    net = summary.value["net_value_usd"]
    months = f"{summary.horizon_months:g} months"
    st.markdown(f"**Cost over {months}**")
    row = st.columns(3)
    row[0].metric(
        "Total cost, likely",
        format_usd(result.cost.total_usd),
        help="Every input at its likely value; the sum of the lines below.",
    )
    spread_help = (
        f"8 in 10 of the {summary.draws:,} simulated totals fall between P10 and P90 "
        f"(seed {summary.seed})."
    )
    row[1].metric("P10 (low end)", format_usd(total.p10), help=spread_help)
    row[2].metric("P90 (high end)", format_usd(total.p90), help=spread_help)
    st.caption(
        f"Median (P50) {format_usd(total.p50)} over {summary.draws:,} draws with seed "
        f"{summary.seed}; P50 sits above the likely value when the ranges lean upwards."
    )

    st.markdown("**Value**")
    row = st.columns(3)
    row[0].metric(
        "Net value a month",
        format_usd(result.value.net_value_usd),
        help=f"Likely. {svc.VALUE_FORMULA}",
    )
    row[1].metric("Net value a year", format_usd(summary.net_value_per_year.likely), help="× 12.")
    row[2].metric(
        "Payback (months)",
        "never" if summary.payback_months is None else f"{summary.payback_months:.1f}",
        help=svc.PAYBACK_FORMULA,
    )
    row = st.columns(3)
    row[0].metric(
        "Break-even precision",
        f"{summary.break_even_precision:.3f}",
        help="Acting on a flagged case pays when precision is above cost of a FP / "
        "(benefit + cost of a FN + cost of a FP) (Elkan 2001).",
    )
    row[1].metric(
        f"ROI over {months}",
        "—" if summary.roi is None else f"{summary.roi:.0%}",
        help=svc.PAYBACK_FORMULA,
    )
    row[2].metric(
        f"Net benefit, {months}",
        format_usd(summary.value["horizon_net_benefit_usd"].likely),
        help="(Net value − run cost) a month × horizon − upfront cost; likely.",
    )
    st.caption(
        f"Net value a month: P10 {format_usd(net.p10)} – P90 {format_usd(net.p90)}. "
        "Against acting on no one; acting on everyone would be worth "
        f"{format_usd(result.value.act_on_everyone_net_value_usd)} a month."
    )

    st.markdown("**One training run**")
    if summary.training_gpu_hours.high > 0:  # a neural network is trained
        row = st.columns(3)
        row[0].metric(
            "GPU-hours",
            f"{result.cost.training_gpu_hours:,.0f}",
            help=f"Training FLOPs = 6 · N · D; {svc.GPU_HOURS_FORMULA}.",
        )
        row[1].metric(
            "Wall-clock days",
            f"{result.cost.training_wall_clock_days:,.1f}",
            help="GPU-hours / GPUs / 24.",
        )
        row[2].metric("CO2 (kg)", f"{result.cost.training_co2_kg:,.1f}", help=svc.CO2_FORMULA)
    else:
        st.caption(
            "No neural network is trained in this estimate: GPU-hours, wall-clock days and "
            "CO2 do not apply (and no chart lists the GPU inputs)."
        )

    breakdown_tab, tornado_tab, spread_tab = st.tabs(
        ["Cost breakdown", "What moves the result", "Spread of the total"], key=f"{p}_chart_tab"
    )
    with breakdown_tab:
        st.plotly_chart(
            charts.cost_breakdown(
                result.cost,
                result.cost_simulation,
                labels=svc.LINE_LABELS,
                horizon_months=summary.horizon_months,
            ),
            key=f"{p}:chart:breakdown",
        )
    with tornado_tab:
        target = st.radio(
            "Sensitivity of",
            options=["Total cost", "Net value per month"],
            horizontal=True,
            key=f"{p}:tornado_target",
        )
        bars = result.cost_tornado if target == "Total cost" else result.value_tornado
        if bars:
            st.plotly_chart(charts.tornado(bars, output_label=target), key=f"{p}:chart:tornado")
            st.caption(
                "Each bar moves one ranged input to its low and to its high, the others at "
                "their likely values; the longest bar matters most."
            )
        else:
            st.info("Give some inputs as ranges to see which one moves this result most.")
    with spread_tab:
        st.plotly_chart(
            charts.total_distribution(result.total_draws, total), key=f"{p}:chart:spread"
        )


def comparison(engine, project_id: int, scenarios: Sequence[ScenarioPublic], p: str) -> None:
    """Saved scenarios side by side: a table of their results and a chart."""
    if len(scenarios) < 2:
        st.info("Save at least two scenarios to compare them side by side.")
        return
    names = {scenario.id: scenario.name for scenario in scenarios}
    chosen = st.multiselect(
        "Scenarios to compare",
        options=list(names),
        default=list(names)[:6],
        format_func=names.get,
        key=f"{p}:compare:{'-'.join(map(str, names))}",
    )
    if not chosen:
        return
    table = svc.compare_scenarios(engine, project_id=project_id, scenario_ids=chosen)
    styled = table.style
    for row in table.index:
        styled = styled.format(row_format(row), subset=pd.IndexSlice[[row], :])
    st.dataframe(
        styled,
        width="stretch",
        height=35 * (len(table) + 1) + 3,
        column_config={"_index": st.column_config.Column("Result", width="large")},
    )
    by_id = {scenario.id: scenario for scenario in scenarios}
    st.plotly_chart(
        charts.scenario_comparison(
            {by_id[i].name: by_id[i].results.total for i in chosen},
            {by_id[i].name: by_id[i].results.value["horizon_net_benefit_usd"] for i in chosen},
        ),
        key=f"{p}:chart:compare",
    )
    st.caption(
        "Net benefit over the horizon = (net value − run cost) per month × horizon − "
        "upfront. Each scenario's numbers were computed with its own seed when saved."
    )


def ab_planner(p: str) -> None:
    """Sample size and duration of an A/B test (two proportions, two-sided)."""
    st.caption(
        "Sample size per variant for a two-sided test of two proportions, always rounded up; "
        "duration = ⌈n × variants / (eligible daily traffic × share in the test)⌉."
    )
    ab = f"{p}:ab"
    columns = st.columns(4)
    baseline = columns[0].number_input(
        "Baseline rate",
        min_value=0.0,
        max_value=1.0,
        value=0.10,
        step=0.01,
        format="%g",
        key=f"{ab}.baseline",
        help="Conversion rate of the control, p₁ (0–1).",
    )
    target_rate = columns[1].number_input(
        "Target rate",
        min_value=0.0,
        max_value=1.0,
        value=0.12,
        step=0.01,
        format="%g",
        key=f"{ab}.target",
        help="The treatment's rate you want to detect, p₂ (0–1).",
    )
    alpha = columns[2].number_input(
        "Significance level α",
        min_value=0.001,
        max_value=0.5,
        value=0.05,
        step=0.01,
        format="%g",
        key=f"{ab}.alpha",
        help="Two-sided.",
    )
    power = columns[3].number_input(
        "Power 1 − β",
        min_value=0.5,
        max_value=0.999,
        value=0.8,
        step=0.05,
        format="%g",
        key=f"{ab}.power",
    )
    columns = st.columns(4)
    method = columns[0].selectbox(
        "Method",
        options=list(AB_TEST_METHODS),
        format_func={
            "pooled": "Pooled (R power.prop.test)",
            "cohen-h": "Cohen's h",
            "baseline-variance": "Baseline variance",
        }.get,
        key=f"{ab}.method",
        help="Pooled (default): n = (z₁₋α/₂·√(2p̄(1−p̄)) + z₁₋β·√(p₁(1−p₁)+p₂(1−p₂)))² / (p₂−p₁)², "
        "as R's power.prop.test. Cohen's h: n = 2((z₁₋α/₂+z₁₋β)/h)², "
        "h = 2·asin√p₂ − 2·asin√p₁. Baseline variance: both groups with p₁'s variance.",
    )
    traffic = columns[1].number_input(
        "Eligible daily traffic",
        min_value=0.0,
        value=1000.0,
        step=100.0,
        format="%g",
        key=f"{ab}.traffic",
        help="Units (users, sessions) a day who could enter the test.",
    )
    variants = columns[2].number_input(
        "Variants (with control)", min_value=1, value=2, step=1, key=f"{ab}.variants"
    )
    share = columns[3].number_input(
        "Share of traffic in the test",
        min_value=0.0,
        max_value=1.0,
        value=1.0,
        step=0.1,
        format="%g",
        key=f"{ab}.share",
    )
    try:
        plan = ab_test_plan(
            baseline_rate=baseline,
            target_rate=target_rate,
            alpha=alpha,
            power=power,
            method=method,
            daily_traffic=traffic,
            variants=int(variants),
            share_in_test=share,
        )
    except InvalidEstimateInput as error:
        st.error(f"{error}.")
    else:
        row = st.columns(3)
        row[0].metric(
            "Per variant", f"{plan.n_per_variant:,}", help=f"Exact: {plan.n_per_variant_exact:,.1f}"
        )
        row[1].metric("In total", f"{plan.n_total:,}")
        row[2].metric("Days", f"{plan.days:,}" if plan.days is not None else "—")
