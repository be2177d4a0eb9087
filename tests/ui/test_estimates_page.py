"""AppTest: the Cost & value page estimates as inputs change, saves, loads, compares and deletes
scenarios, refuses a range out of order, and plans an A/B test.

Hand-worked figures (page defaults: 350 M parameters, 5 B tokens, 3 epochs, MFU 0.35, A100-80GB
SXM at 312 TFLOP/s and $5.12 per GPU-hour from data/hardware.toml, 4 retrains a year, 12 months):
GPU-hours = 6 × 350e6 × 5e9 × 3 / (0.35 × 312e12 × 3600) = 80.128; the training line is
GPU-hours × price, and retraining adds 4 more runs, so the total moves by 5 × GPU-hours × Δprice.
"""

import json

import pytest

from tests.dates import TODAY
from tests.ui.helpers import click, confirm
from workbench.db import make_engine
from workbench.domain.estimates import Range
from workbench.services import estimates as svc
from workbench.services import projects as project_service

GPU_HOURS = 6 * 350e6 * 5e9 * 3 / (0.35 * 312e12 * 3600)


def seed_project(url, name="Churn model"):
    engine = make_engine(url)
    project = project_service.create_project(
        engine, data={"name": name}, actor="Seeder", today=TODAY
    )
    engine.dispose()
    return project


def by_label(widgets, label):
    matches = [w for w in widgets if w.label == label]
    assert matches, f"no widget labelled {label!r}"
    return matches[0]


def metric(at, label):
    return by_label(at.metric, label).value


def dollars(text):
    return float(text.replace("$", "").replace(",", ""))


def chart(at, title_start):
    for element in at.get("plotly_chart"):
        figure = json.loads(element.proto.spec)
        if figure["layout"]["title"]["text"].startswith(title_start):
            return figure
    raise AssertionError(f"no chart titled {title_start!r}")


def button(at, label):
    return next(b for b in at.button if b.label == label)


def messages(at):
    """Every message on the page: marks beside inputs, and the save form's errors."""
    return " ".join(m.value for m in [*at.markdown, *at.error])


def stored(url, project_id):
    engine = make_engine(url)
    scenarios = svc.list_scenarios(engine, project_id)
    log = project_service.list_activity(engine, project_id)
    engine.dispose()
    return scenarios, log


@pytest.fixture
def page(open_app, app_db):
    project = seed_project(app_db)
    at = open_app("pages/team/estimates.py", project=project.id)
    return at, project


def test_smoke_shows_inputs_results_and_charts(page):
    at, _ = page
    assert at.title[0].value == "Cost & value"
    assert "Churn model" in at.caption[0].value
    assert dollars(metric(at, "Total cost, likely")) > 0
    assert metric(at, "GPU-hours") == f"{GPU_HOURS:,.0f}"
    assert by_label(at.selectbox, "GPU").value == "A100-80GB SXM"
    assert by_label(at.number_input, "Price per GPU-hour (USD)").value == 5.12
    assert chart(at, "Cost by line over 12 months")
    assert chart(at, "What moves total cost most")
    assert chart(at, "Total cost over 10,000 simulated draws")
    assert any("AWS on-demand p4de.24xlarge" in c.value for c in at.caption)
    assert any("PUE 1.0" in c.value for c in at.caption)


def test_changing_the_gpu_price_moves_the_total_and_the_breakdown(page):
    at, _ = page
    before = dollars(metric(at, "Total cost, likely"))
    training_before = chart(at, "Cost by line")["data"][0]["x"][0]
    assert training_before == pytest.approx(GPU_HOURS * 5.12)

    by_label(at.number_input, "Price per GPU-hour (USD)").set_value(10.0).run()

    assert not at.exception
    after = dollars(metric(at, "Total cost, likely"))
    assert after - before == pytest.approx(5 * GPU_HOURS * (10.0 - 5.12), abs=1.0)
    assert chart(at, "Cost by line")["data"][0]["x"][0] == pytest.approx(GPU_HOURS * 10.0)


def test_more_gpus_shorten_the_wall_clock_but_not_the_cost(page):
    at, _ = page
    before = metric(at, "Total cost, likely")
    by_label(at.number_input, "GPUs").set_value(16.0).run()
    assert metric(at, "Wall-clock days") == f"{GPU_HOURS / 16 / 24:.1f}"
    assert metric(at, "Total cost, likely") == before


def test_choosing_a_gpu_fills_in_its_figures(page):
    at, _ = page
    by_label(at.selectbox, "GPU").set_value("H100 SXM").run()
    assert by_label(at.number_input, "Peak TFLOP/s per GPU").value == 989
    assert by_label(at.number_input, "Power per GPU (W)").value == 700
    assert by_label(at.number_input, "Price per GPU-hour (USD)").value == 6.88
    h100_hours = 6 * 350e6 * 5e9 * 3 / (0.35 * 989e12 * 3600)
    assert metric(at, "GPU-hours") == f"{h100_hours:,.0f}"


def test_classical_ml_replaces_the_gpu_estimate(page):
    at, _ = page
    by_label(at.radio, "What is trained").set_value("classical").run()
    assert not at.exception
    # no network is trained: the GPU figures do not apply, so they are not shown as zeros
    assert not [m for m in at.metric if m.label == "GPU-hours"]
    assert any("No neural network is trained" in c.value for c in at.caption)
    # 10-minute fits × 20 trials × 5 folds = 1000 minutes on a $0.384/h instance = $6.40
    assert chart(at, "Cost by line")["data"][0]["x"][0] == pytest.approx(6.4)
    assert not [w for w in at.number_input if w.label == "GPUs"]


def test_save_two_scenarios_and_compare_them(page, app_db):
    at, project = page
    by_label(at.text_input, "Scenario name").input("Base case")
    button(at, "Save as new scenario").click().run()
    assert not at.exception
    by_label(at.number_input, "Price per GPU-hour (USD)").set_value(2.0).run()
    by_label(at.text_input, "Scenario name").input("Cheap GPUs")
    button(at, "Save as new scenario").click().run()
    assert not at.exception

    scenarios, log = stored(app_db, project.id)
    assert [s.name for s in scenarios] == ["Base case", "Cheap GPUs"]
    base, cheap = scenarios
    assert base.cost_inputs["price_per_gpu_hour_usd"] == 5.12
    assert cheap.cost_inputs["price_per_gpu_hour_usd"] == 2.0
    # the people table: the data scientist's weeks are a range, the head count a plain number
    assert base.cost_inputs["roles"][0] == {
        "role": "Data scientist",
        "people": 1.0,
        "weeks": {"low": 8.0, "likely": 12.0, "high": 20.0},
        "weekly_rate_usd": 3000.0,
    }
    assert [entry.action for entry in log[:2]] == ["scenario saved", "scenario saved"]
    assert log[0].actor == "Ann"

    [table] = [d.value for d in at.dataframe if "Base case" in list(d.value.columns)]
    assert list(table.columns) == ["Base case", "Cheap GPUs"]
    training = table.loc["Training (likely, USD)"]
    assert training["Base case"] == pytest.approx(GPU_HOURS * 5.12)
    assert training["Cheap GPUs"] == pytest.approx(GPU_HOURS * 2.0)
    comparison = chart(at, "Scenarios side by side")
    assert comparison["data"][0]["x"] == ["Base case", "Cheap GPUs"]


def test_a_low_end_above_the_likely_value_is_refused_beside_it_and_results_stay(page, app_db):
    """A low end above the likely value is not taken: the input says why, the low end keeps
    its value, and the results stay on the page (they used to vanish)."""
    at, project = page
    at.toggle(key=f"est{project.id}:cost.gpus:ranged").set_value(True).run()
    by_label(at.number_input, "GPUs: low").set_value(12.0)
    by_label(at.number_input, "GPUs: high").set_value(16.0).run()

    assert "Low 12 is above the likely value 8: not taken, the low end stays 8." in " ".join(
        c.value.replace("\\", "") for c in at.caption
    )
    assert by_label(at.number_input, "GPUs: low").value == 8
    assert by_label(at.number_input, "GPUs: high").value == 16
    assert not any("Some inputs need fixing" in w.value for w in at.warning)
    assert dollars(metric(at, "Total cost, likely")) > 0

    by_label(at.text_input, "Scenario name").input("Kept range")
    button(at, "Save as new scenario").click().run()
    [scenario], _ = stored(app_db, project.id)
    assert scenario.cost_inputs["gpus"] == {"low": 8.0, "likely": 8.0, "high": 16.0}


def test_a_valid_range_feeds_the_simulation_and_the_tornado(page):
    at, project = page
    at.toggle(key=f"est{project.id}:cost.gpus:ranged").set_value(True).run()
    by_label(at.number_input, "GPUs: low").set_value(4.0)
    by_label(at.number_input, "GPUs: high").set_value(16.0).run()
    assert not at.exception
    # GPUs change only the wall-clock time: no tornado bar moves the total for them
    tornado = chart(at, "What moves total cost most")
    assert "GPUs" in tornado["data"][0]["y"]
    low, high = tornado["data"]
    gpus = low["y"].index("GPUs")
    assert low["x"][gpus] == 0 and high["x"][gpus] == 0


def test_loading_a_scenario_fills_the_inputs(page, app_db):
    at, project = page
    engine = make_engine(app_db)
    cost = svc.starter_inputs()[0].to_dict() | {
        "price_per_gpu_hour_usd": 2.5,
        "gpus": Range(4, 8, 32).to_dict(),
        "peak_tflops": 989.0,
        "gpu_power_w": 700.0,
    }
    saved = svc.save_scenario(
        engine,
        project_id=project.id,
        name="Spot H100s",
        notes="spot prices",
        cost_inputs=cost,
        value_inputs=svc.starter_inputs()[1].to_dict() | {"prevalence": 0.08},
        actor="Bo",
        seed=77,
    )
    engine.dispose()
    at.run()
    by_label(at.selectbox, "Saved scenario").set_value(saved.id).run()
    button(at, "Load").click().run()

    assert not at.exception
    assert by_label(at.number_input, "Price per GPU-hour (USD)").value == 2.5
    assert by_label(at.number_input, "GPUs: low").value == 4
    assert by_label(at.number_input, "GPUs: high").value == 32
    assert by_label(at.number_input, "Prevalence").value == 0.08
    assert by_label(at.number_input, "Seed").value == 77
    assert by_label(at.selectbox, "GPU").value == "H100 SXM"
    assert by_label(at.text_input, "Scenario name").value == "Spot H100s"
    assert any("Editing **Spot H100s**" in i.value for i in at.info)
    # the page's numbers are the saved ones
    assert dollars(metric(at, "Total cost, likely")) == pytest.approx(
        saved.results.total.likely, abs=1.0
    )


def test_updating_a_loaded_scenario_and_a_stale_update(page, app_db):
    at, project = page
    by_label(at.text_input, "Scenario name").input("Base case")
    button(at, "Save as new scenario").click().run()
    by_label(at.number_input, "Price per GPU-hour (USD)").set_value(3.0).run()
    button(at, "Update “Base case”").click().run()
    assert not at.exception
    [scenario], _ = stored(app_db, project.id)
    assert (scenario.version, scenario.cost_inputs["price_per_gpu_hour_usd"]) == (2, 3.0)

    engine = make_engine(app_db)  # someone else saves a change meanwhile
    svc.update_scenario(
        engine, scenario_id=scenario.id, expected_version=2, actor="Bo", notes="Bo's notes"
    )
    engine.dispose()
    by_label(at.number_input, "Price per GPU-hour (USD)").set_value(4.0).run()
    button(at, "Update “Base case”").click().run()

    assert any(
        "Not saved: this record was changed after you opened it" in e.value
        and "latest change was by Bo" in e.value
        for e in at.error
    )
    [scenario], _ = stored(app_db, project.id)
    assert (scenario.version, scenario.cost_inputs["price_per_gpu_hour_usd"]) == (3, 3.0)
    assert by_label(at.number_input, "Price per GPU-hour (USD)").value == 4.0  # not lost


def test_deleting_a_scenario_asks_first_and_can_be_undone(page, app_db):
    """Fault 2: one click on Delete only asks; "Undo" right after brings the scenario back with
    its inputs, and both are logged."""
    at, project = page
    by_label(at.number_input, "Price per GPU-hour (USD)").set_value(2.0).run()
    by_label(at.text_input, "Scenario name").input("Base case")
    button(at, "Save as new scenario").click().run()
    [scenario], _ = stored(app_db, project.id)
    by_label(at.selectbox, "Saved scenario").set_value(scenario.id).run()
    click(at, "Delete")
    assert [s.id for s in stored(app_db, project.id)[0]] == [scenario.id]  # nothing yet
    assert any("Delete the scenario “Base case”?" in t.value for t in at.text)

    confirm(at)
    scenarios, log = stored(app_db, project.id)
    assert scenarios == []
    assert (log[0].action, log[0].actor) == ("scenario deleted", "Ann")
    assert not any("Editing" in i.value for i in at.info)  # it was the loaded one

    click(at, "Undo")
    [restored], log = stored(app_db, project.id)
    assert (restored.id, restored.name) == (scenario.id, "Base case")
    assert restored.cost_inputs == scenario.cost_inputs
    assert restored.cost_inputs["price_per_gpu_hour_usd"] == 2.0
    assert (log[0].action, log[0].actor) == ("scenario restored", "Ann")
    assert any(s.value == "Scenario restored with its inputs." for s in at.success)
    assert not [b for b in at.button if b.label == "Undo"]


def test_cancelling_a_delete_deletes_nothing(page, app_db):
    at, project = page
    by_label(at.text_input, "Scenario name").input("Base case")
    button(at, "Save as new scenario").click().run()
    [scenario], _ = stored(app_db, project.id)
    by_label(at.selectbox, "Saved scenario").set_value(scenario.id).run()
    click(at, "Delete")
    next(b for b in at.button if (b.key or "").endswith("__cancelled")).click()
    at.run()
    assert [s.id for s in stored(app_db, project.id)[0]] == [scenario.id]
    assert not [b for b in at.button if b.label == "Undo"]


def test_saving_needs_a_name(page, app_db):
    at, project = page
    button(at, "Save as new scenario").click().run()
    assert "Give the scenario a name." in messages(at)
    assert stored(app_db, project.id)[0] == []


def test_ab_test_planner_reproduces_r_power_prop_test(page):
    at, _ = page
    by_label(at.number_input, "Baseline rate").set_value(0.5)
    by_label(at.number_input, "Target rate").set_value(0.75)
    by_label(at.number_input, "Power 1 − β").set_value(0.9)
    by_label(at.number_input, "Eligible daily traffic").set_value(40.0)
    by_label(at.number_input, "Share of traffic in the test").set_value(0.5).run()
    # power.prop.test(p1 = .50, p2 = .75, power = .90): n = 76.7 per group → 77
    assert metric(at, "Per variant") == "77"
    assert metric(at, "In total") == "154"
    assert metric(at, "Days") == "8"  # ⌈154 / (40 × 0.5)⌉


def test_value_takes_upfront_and_run_cost_from_the_cost_estimate(page, app_db):
    at, project = page
    by_label(at.number_input, "Price per GPU-hour (USD)").set_value(10.0).run()
    training = GPU_HOURS * 10.0
    # upfront = training + experimentation 10 × 3 × $50 + labeling 5,000 × $0.10 × 1.1
    #           + people 12 × $3,000 + 8 × $3,200
    upfront = training + 1500 + 550 + 36_000 + 25_600
    # run cost a month = (retraining 4 × training + serving 4 × $0.526 × 730 × 12
    #                     + storage 500 × $0.023 × 12) / 12
    monthly = (4 * training + 4 * 0.526 * 730 * 12 + 500 * 0.023 * 12) / 12
    assert not [w for w in at.number_input if w.label == "Upfront cost (USD)"]
    assert any(
        f"upfront ${upfront:,.0f}, run cost ${monthly:,.0f} a month" in c.value for c in at.caption
    )
    by_label(at.text_input, "Scenario name").input("Linked")
    button(at, "Save as new scenario").click().run()
    [scenario], _ = stored(app_db, project.id)
    assert scenario.value_inputs["upfront_cost_usd"] == round(upfront)
    assert scenario.value_inputs["monthly_run_cost_usd"] == round(monthly)
    # payback = upfront / (net value − run cost); net value 350 × $50 − 233.33 × $20 a month
    net_value = 350 * 50 - (350 / 0.6 - 350) * 20
    assert metric(at, "Payback (months)") == f"{round(upfront) / (net_value - round(monthly)):.1f}"

    by_label(at.toggle, "Upfront and run cost from the cost estimate").set_value(False).run()
    assert by_label(at.number_input, "Upfront cost (USD)").value == round(upfront)
    assert by_label(at.number_input, "Run cost per month (USD)").value == round(monthly)
    by_label(at.number_input, "Upfront cost (USD)").set_value(1000.0).run()
    assert metric(at, "Payback (months)") == f"{1000 / (net_value - round(monthly)):.1f}"


def test_start_over_restores_the_defaults_and_forgets_the_loaded_scenario(page):
    at, _ = page
    by_label(at.text_input, "Scenario name").input("Base case")
    button(at, "Save as new scenario").click().run()
    by_label(at.number_input, "Price per GPU-hour (USD)").set_value(1.0).run()
    assert any("Editing **Base case**" in i.value for i in at.info)
    button(at, "Start over from the defaults").click().run()
    assert by_label(at.number_input, "Price per GPU-hour (USD)").value == 5.12
    assert not any("Editing" in i.value for i in at.info)
    assert not [b for b in at.button if b.label.startswith("Update")]
