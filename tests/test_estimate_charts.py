"""The estimate charts: their traces carry the domain's numbers (breakdown, tornado, spread,
scenarios side by side)."""

from dataclasses import replace

import numpy as np
import pytest

from workbench.charts import estimates as charts
from workbench.domain.estimates import (
    COST_LINES,
    CostModelInputs,
    Range,
    SimulationResult,
    TornadoBar,
    cost_sensitivity,
    estimate_project_cost,
    simulate_project_cost,
)
from workbench.services.estimates import LINE_LABELS

RANGED = replace(
    CostModelInputs(),
    mfu=Range(0.2, 0.35, 0.45),
    peak_requests_per_second=Range(10, 20, 60),
    hours_on_per_week=Range(50, 120, 168),
)


def bar(label, at_low, at_high, likely=100.0):
    return TornadoBar(
        input_name=label.lower(),
        label=label,
        input_low=1.0,
        input_likely=2.0,
        input_high=3.0,
        output_at_low=at_low,
        output_at_high=at_high,
        output_at_likely=likely,
        swing=abs(at_high - at_low),
    )


def result(p10, p50, p90):
    return SimulationResult(p10=p10, p50=p50, p90=p90, mean=p50, low=p10, likely=p50, high=p90)


def test_breakdown_has_one_bar_per_line_and_the_bars_sum_to_the_total():
    cost = estimate_project_cost(RANGED)
    figure = charts.cost_breakdown(cost, labels=LINE_LABELS, horizon_months=12)
    [trace] = figure.data
    assert trace.orientation == "h"
    assert list(trace.y) == [LINE_LABELS[line] for line in COST_LINES]
    assert sum(trace.x) == pytest.approx(cost.total_usd)
    assert trace.y[-1] == "Out-of-hours saving"
    assert trace.x[-1] < 0  # the saving lowers the total
    assert trace.marker.color[-1] != trace.marker.color[0]
    assert figure.layout.title.text == "Cost by line over 12 months"
    people = list(COST_LINES).index("people")
    assert figure.layout.yaxis.ticktext[people] == (
        f"People  <b>${cost.lines_usd['people']:,.0f}</b>"
    )
    assert f"${cost.total_usd:,.0f} in total" in figure.layout.title.subtitle.text


def test_breakdown_whiskers_reach_each_lines_p10_and_p90():
    cost = estimate_project_cost(RANGED)
    simulation = simulate_project_cost(RANGED, seed=4)
    [trace] = charts.cost_breakdown(cost, simulation).data
    serving = list(COST_LINES).index("serving")
    likely = cost.lines_usd["serving"]
    assert likely + trace.error_x.array[serving] == pytest.approx(simulation.lines["serving"].p90)
    assert likely - trace.error_x.arrayminus[serving] == pytest.approx(
        simulation.lines["serving"].p10
    )
    labeling = list(COST_LINES).index("labeling")  # a fixed line has no whisker
    assert trace.error_x.array[labeling] == 0
    assert trace.error_x.arrayminus[labeling] == 0


def test_tornado_puts_the_largest_swing_on_top_with_low_and_high_sides():
    bars = [bar("Weeks", 90, 130), bar("MFU", 120, 95), bar("Price", 99, 101)]
    figure = charts.tornado(bars, output_label="Total cost")
    low, high = figure.data
    assert (low.name, high.name) == (charts.LOW_TRACE, charts.HIGH_TRACE)
    assert list(low.y) == ["Weeks", "MFU", "Price"]  # swings 40, 25, 2
    assert list(figure.layout.yaxis.categoryarray)[-1] == "Weeks"  # last category is drawn on top
    assert all(orientation == "h" for orientation in (low.orientation, high.orientation))
    # bars start at the likely output and end at the output with the input at its low / high
    assert [b + x for b, x in zip(low.base, low.x, strict=True)] == [90, 120, 99]
    assert [b + x for b, x in zip(high.base, high.x, strict=True)] == [130, 95, 101]
    assert figure.layout.shapes[0].x0 == 100


def test_tornado_of_the_domains_sensitivity_follows_its_order():
    bars = cost_sensitivity(RANGED)
    figure = charts.tornado(bars)
    swings = {b.label: b.swing for b in bars}
    shown = list(figure.data[0].y)
    assert [swings[label] for label in shown] == sorted(swings.values(), reverse=True)


def test_distribution_draws_the_histogram_and_the_three_percentile_lines():
    draws = np.array([100.0, 110.0, 120.0, 130.0, 140.0, 150.0, 160.0, 170.0, 180.0, 190.0])
    total = result(p10=109.0, p50=145.0, p90=181.0)
    figure = charts.total_distribution(draws, total)
    [histogram] = figure.data
    assert histogram.type == "histogram"
    assert list(histogram.x) == list(draws)
    assert [shape.x0 for shape in figure.layout.shapes] == [109.0, 145.0, 181.0]
    texts = [annotation.text for annotation in figure.layout.annotations]
    assert texts == ["P10 $109", "P50 $145", "P90 $181"]
    assert "10 simulated draws" in figure.layout.title.text


def test_scenario_comparison_groups_total_and_value_per_scenario():
    totals = {"Base": result(80, 100, 130), "Stretch": result(150, 180, 260)}
    values = {"Base": result(10, 50, 90), "Stretch": result(-20, 40, 120)}
    figure = charts.scenario_comparison(totals, values)
    cost_trace, value_trace = figure.data
    assert figure.layout.barmode == "group"
    assert list(cost_trace.x) == ["Base", "Stretch"]
    assert list(cost_trace.y) == [100, 180]
    assert list(cost_trace.error_y.array) == [30, 80]
    assert list(cost_trace.error_y.arrayminus) == [20, 30]
    assert list(value_trace.y) == [50, 40]
    assert list(value_trace.error_y.arrayminus) == [40, 60]


def test_scenario_comparison_without_values_has_only_the_cost():
    figure = charts.scenario_comparison({"Base": result(80, 100, 130)})
    assert [trace.name for trace in figure.data] == ["Total cost (P50)"]
