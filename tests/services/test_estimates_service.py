"""Cost and value scenarios against a real database (SQLite and PostgreSQL): save, load, refuse
bad or stale input, compare — and the numbers match the domain's estimators run here."""

from dataclasses import replace
from datetime import date

import numpy as np
import pytest

from workbench.domain.estimates import (
    CostModelInputs,
    Range,
    RoleEffort,
    ValueModelInputs,
    estimate_project_cost,
    estimate_value,
    simulate_project_cost,
    simulate_value,
)
from workbench.errors import InvalidInput, NotFound, StaleEditError
from workbench.services import estimates as svc
from workbench.services import projects as project_service

COST = CostModelInputs(
    model_params=Range(125e6, 350e6, 1.3e9),
    mfu=Range(0.2, 0.35, 0.45),
    gpus=4,
    price_per_gpu_hour_usd=3.5,
    experiments=Range(5, 10, 20),
    roles=(
        RoleEffort("Data scientist", people=1, weeks=Range(8, 12, 20), weekly_rate_usd=3000),
        RoleEffort("ML engineer", people=0.5, weeks=8, weekly_rate_usd=Range(3000, 3200, 3600)),
    ),
    hours_on_per_week=Range(50, 100, 168),
)
VALUE = ValueModelInputs(
    precision=Range(0.5, 0.6, 0.7),
    recall=0.7,
    cost_fn_usd=5.0,
    monthly_run_cost_usd=2_000.0,
    upfront_cost_usd=80_000.0,
)


@pytest.fixture
def project(engine):
    return project_service.create_project(
        engine, data={"name": "Churn model"}, actor="Ann", today=date(2026, 11, 22)
    )


def save(engine, project, name="Base case", cost=COST, value=VALUE, **extra):
    return svc.save_scenario(
        engine,
        project_id=project.id,
        name=name,
        cost_inputs=cost.to_dict(),
        value_inputs=value.to_dict(),
        actor=extra.pop("actor", "Ann"),
        **extra,
    )


def test_saved_scenario_loads_back_with_equal_inputs_and_is_logged(engine, project):
    saved = save(engine, project, notes="  A100s, quarterly retraining  ", seed=11)
    loaded = svc.get_scenario(engine, saved.id)
    cost, value = loaded.inputs()
    assert cost == COST
    assert value == VALUE
    assert (loaded.name, loaded.notes, loaded.seed, loaded.version) == (
        "Base case",
        "A100s, quarterly retraining",
        11,
        1,
    )
    assert [s.id for s in svc.list_scenarios(engine, project.id)] == [saved.id]
    entry = project_service.list_activity(engine, project.id)[0]
    assert (entry.actor, entry.action) == ("Ann", "scenario saved")
    assert "Base case" in entry.summary
    assert entry.changes["cost_inputs"]["mfu"] == {"low": 0.2, "likely": 0.35, "high": 0.45}


def test_results_are_stored_with_the_scenarios_seed(engine, project):
    saved = save(engine, project, seed=7)
    expected = simulate_project_cost(COST, seed=7)
    results = svc.get_scenario(engine, saved.id).results
    assert (results.total.p10, results.total.p50, results.total.p90) == pytest.approx(
        (expected.total.p10, expected.total.p50, expected.total.p90)
    )
    assert results.lines["people"].likely == pytest.approx(1 * 12 * 3000 + 0.5 * 8 * 3200)
    assert results.seed == 7
    assert results.draws == 10_000


def test_same_seed_gives_same_results_and_another_seed_does_not(engine, project):
    first = save(engine, project, name="Run 1", seed=5)
    second = save(engine, project, name="Run 2", seed=5)
    third = save(engine, project, name="Run 3", seed=6)
    assert first.results == second.results
    assert third.results.total.p50 != first.results.total.p50
    assert third.results.total.likely == first.results.total.likely  # no draws in "likely"


@pytest.mark.parametrize("other", ["Base case", "  base CASE "], ids=["same", "other-case"])
def test_scenario_names_are_unique_per_project(engine, project, other):
    save(engine, project)
    with pytest.raises(InvalidInput) as error:
        save(engine, project, name=other)
    assert "already has a scenario called 'Base case'" in error.value.errors["name"]
    assert len(svc.list_scenarios(engine, project.id)) == 1
    elsewhere = project_service.create_project(
        engine, data={"name": "Fraud alerts"}, actor="Ann", today=date(2026, 11, 22)
    )
    assert save(engine, elsewhere, name=other).name == other.strip()


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        pytest.param({"name": ""}, "name", "Give the scenario a name", id="empty-name"),
        pytest.param({"name": "x" * 121}, "name", "at most 120 characters", id="long-name"),
        pytest.param({"actor": " "}, "actor", "Say who you are", id="no-actor"),
        pytest.param({"seed": -1}, "seed", "from 0 to", id="negative-seed"),
        pytest.param(
            {"cost": {"mfu": 0}}, "cost.mfu", "MFU must be >= 0.01 and <= 1 (got 0)", id="mfu-0"
        ),
        pytest.param(
            {"cost": {"gpus": {"low": 16, "likely": 8, "high": 32}}},
            "cost.gpus",
            "low <= likely <= high",
            id="range-out-of-order",
        ),
        pytest.param(
            {"cost": {"roles": [{"role": "PM", "people": 1, "weeks": -2}]}},
            "cost.roles[1]",
            "Row 1 (PM): weeks must be >= 0",
            id="negative-weeks",
        ),
        pytest.param(
            {"cost": {"hours_on_per_week": 200}},
            "cost.hours_on_per_week",
            "<= 168",
            id="more-hours-than-a-week",
        ),
        pytest.param({"value": {"recall": 1.5}}, "value.recall", "<= 1", id="recall-1.5"),
        pytest.param(
            {"value": {"prevalence": 0.5, "recall": 1.0, "precision": 0.1}},
            "value.precision",
            "too low for this prevalence",
            id="precision-below-prevalence",
        ),
        pytest.param({"value": {"colour": 3}}, "value.colour", "unknown", id="unknown-field"),
    ],
)
def test_invalid_scenario_is_refused_naming_the_field_and_nothing_is_stored(
    engine, project, changes, field, words
):
    cost = COST.to_dict() | changes.get("cost", {})
    value = VALUE.to_dict() | changes.get("value", {})
    with pytest.raises(InvalidInput) as error:
        svc.save_scenario(
            engine,
            project_id=project.id,
            name=changes.get("name", "Bad"),
            cost_inputs=cost,
            value_inputs=value,
            actor=changes.get("actor", "Ann"),
            seed=changes.get("seed", 1),
        )
    assert field in error.value.errors, error.value.errors
    assert words in error.value.errors[field]
    assert svc.list_scenarios(engine, project.id) == []
    assert [e.action for e in project_service.list_activity(engine, project.id)] == [
        "project created"
    ]


def test_every_bad_input_is_reported_at_once(engine, project):
    with pytest.raises(InvalidInput) as error:
        svc.save_scenario(
            engine,
            project_id=project.id,
            name="",
            cost_inputs=COST.to_dict() | {"mfu": 2, "gpus": 0},
            value_inputs=VALUE.to_dict() | {"prevalence": -0.1},
            actor="Ann",
        )
    assert set(error.value.errors) == {"name", "cost.mfu", "cost.gpus", "value.prevalence"}


def test_update_recomputes_results_and_logs_what_changed(engine, project):
    saved = save(engine, project, seed=3)
    cheaper = replace(COST, price_per_gpu_hour_usd=1.75)
    updated = svc.update_scenario(
        engine,
        scenario_id=saved.id,
        expected_version=saved.version,
        actor="Bo",
        cost_inputs=cheaper.to_dict(),
        notes="spot prices",
    )
    assert updated.version == 2
    assert updated.inputs()[0] == cheaper
    assert updated.results.lines["training"].likely == pytest.approx(
        estimate_project_cost(cheaper).lines_usd["training"]
    )
    assert updated.results.lines["training"].likely == pytest.approx(
        saved.results.lines["training"].likely / 2
    )
    entry = project_service.list_activity(engine, project.id)[0]
    assert (entry.actor, entry.action) == ("Bo", "scenario updated")
    assert entry.changes["cost.price_per_gpu_hour_usd"] == [3.5, 1.75]
    assert entry.changes["notes"] == ["", "spot prices"]


def test_stale_update_is_refused_and_keeps_the_newer_save(engine, project):
    saved = save(engine, project)
    svc.update_scenario(
        engine,
        scenario_id=saved.id,
        expected_version=1,
        actor="Ann",
        cost_inputs=replace(COST, gpus=8).to_dict(),
    )
    with pytest.raises(StaleEditError) as error:
        svc.update_scenario(
            engine,
            scenario_id=saved.id,
            expected_version=1,
            actor="Bo",
            cost_inputs=replace(COST, gpus=16).to_dict(),
        )
    assert error.value.conflicts["cost.gpus"] == (16, 8)
    assert error.value.current.version == 2
    assert error.value.saved_by == "Ann"
    stored = svc.get_scenario(engine, saved.id)
    assert (stored.version, stored.cost_inputs["gpus"]) == (2, 8)


def test_update_cannot_take_another_scenarios_name(engine, project):
    save(engine, project, name="Base case")
    other = save(engine, project, name="Stretch")
    with pytest.raises(InvalidInput) as error:
        svc.update_scenario(
            engine, scenario_id=other.id, expected_version=1, actor="Ann", name="base case"
        )
    assert "already has a scenario" in error.value.errors["name"]
    assert svc.get_scenario(engine, other.id).name == "Stretch"


def test_delete_removes_the_scenario_and_the_log_keeps_its_inputs(engine, project):
    saved = save(engine, project)
    deleted = svc.delete_scenario(
        engine, project_id=project.id, scenario_id=saved.id, expected_version=1, actor="Bo"
    )
    assert deleted == saved
    assert svc.list_scenarios(engine, project.id) == []
    entry = project_service.list_activity(engine, project.id)[0]
    assert (entry.actor, entry.action) == ("Bo", "scenario deleted")
    assert CostModelInputs.from_dict(entry.changes["cost_inputs"]) == COST
    with pytest.raises(NotFound):
        svc.delete_scenario(
            engine, project_id=project.id, scenario_id=saved.id, expected_version=1, actor="Bo"
        )


def test_a_delete_on_a_stale_view_is_refused_and_deletes_nothing(engine, project):
    saved = save(engine, project)
    svc.update_scenario(
        engine, scenario_id=saved.id, expected_version=1, actor="Ann", notes="just edited"
    )
    with pytest.raises(StaleEditError) as error:
        svc.delete_scenario(
            engine, project_id=project.id, scenario_id=saved.id, expected_version=1, actor="Bo"
        )
    assert error.value.current.version == 2
    [kept] = svc.list_scenarios(engine, project.id)
    assert (kept.notes, kept.version) == ("just edited", 2)
    assert project_service.list_activity(engine, project.id)[0].action == "scenario updated"


def test_a_delete_of_another_projects_scenario_is_refused(engine, project):
    other = project_service.create_project(
        engine, data={"name": "Fraud alerts"}, actor="Ann", today=date(2026, 11, 22)
    )
    theirs = save(engine, other)
    with pytest.raises(NotFound):
        svc.delete_scenario(
            engine, project_id=project.id, scenario_id=theirs.id, expected_version=1, actor="Bo"
        )
    assert svc.list_scenarios(engine, other.id) == [theirs]


def test_restoring_a_deleted_scenario_brings_back_its_inputs_and_is_logged(engine, project):
    saved = save(engine, project, seed=7, notes="spot prices")
    svc.update_scenario(engine, scenario_id=saved.id, expected_version=1, actor="Ann", seed=8)
    deleted = svc.delete_scenario(
        engine, project_id=project.id, scenario_id=saved.id, expected_version=2, actor="Bo"
    )
    restored = svc.restore_scenario(engine, deleted=deleted, actor="Bo")
    assert (restored.id, restored.name, restored.notes, restored.seed) == (
        saved.id,
        "Base case",
        "spot prices",
        8,
    )
    assert restored.inputs() == (COST, VALUE)
    assert restored.results == deleted.results
    assert restored.version == 3  # a view from before the delete stays stale
    entry = project_service.list_activity(engine, project.id)[0]
    assert (entry.actor, entry.action) == ("Bo", "scenario restored")
    with pytest.raises(StaleEditError):
        svc.update_scenario(engine, scenario_id=saved.id, expected_version=2, actor="Ann", seed=9)


def test_restoring_is_refused_when_the_name_was_taken_meanwhile(engine, project):
    saved = save(engine, project)
    deleted = svc.delete_scenario(
        engine, project_id=project.id, scenario_id=saved.id, expected_version=1, actor="Bo"
    )
    save(engine, project, name="base case", actor="Cy")
    with pytest.raises(InvalidInput) as error:
        svc.restore_scenario(engine, deleted=deleted, actor="Bo")
    assert "already has a scenario" in error.value.errors["name"]
    assert [s.created_by for s in svc.list_scenarios(engine, project.id)] == ["Cy"]


def test_comparison_matches_the_domain_estimates_of_each_scenario(engine, project):
    stretch_cost = replace(COST, gpus=16, price_per_gpu_hour_usd=Range(2.0, 3.5, 6.0))
    stretch_value = replace(VALUE, recall=Range(0.6, 0.8, 0.9), upfront_cost_usd=120_000.0)
    base = save(engine, project, name="Base case", seed=1)
    stretch = save(engine, project, "Stretch", stretch_cost, stretch_value, seed=2)

    table = svc.compare_scenarios(engine, project_id=project.id, scenario_ids=[stretch.id, base.id])

    assert list(table.columns) == ["Stretch", "Base case"]
    for name, cost, value, seed in (
        ("Base case", COST, VALUE, 1),
        ("Stretch", stretch_cost, stretch_value, 2),
    ):
        column = table[name]
        likely = estimate_project_cost(cost)
        simulated = simulate_project_cost(cost, seed=seed).total
        worth = estimate_value(value)
        worth_range = simulate_value(value, seed=seed).outputs["net_value_usd"]
        assert column["Training (likely, USD)"] == pytest.approx(likely.lines_usd["training"])
        assert column["People (likely, USD)"] == pytest.approx(likely.lines_usd["people"])
        assert column["Out-of-hours saving (likely, USD)"] == pytest.approx(
            likely.lines_usd["shutdown_saving"]
        )
        assert column["Total cost, likely (USD)"] == pytest.approx(likely.total_usd)
        assert column["Total cost P10 (USD)"] == pytest.approx(simulated.p10)
        assert column["Total cost P50 (USD)"] == pytest.approx(simulated.p50)
        assert column["Total cost P90 (USD)"] == pytest.approx(simulated.p90)
        assert column["Net value a month, likely (USD)"] == pytest.approx(worth.net_value_usd)
        assert column["Net value a month P90 (USD)"] == pytest.approx(worth_range.p90)
        assert column["Net value a year, likely (USD)"] == pytest.approx(12 * worth.net_value_usd)
        assert column["Break-even precision"] == pytest.approx(worth.break_even_precision)
        assert column["Payback (months)"] == pytest.approx(worth.payback_months)
        assert column["ROI over the horizon"] == pytest.approx(worth.roi)
        assert column["Seed"] == seed
    # by hand: break-even = cost FP / (benefit + cost FN + cost FP) = 20 / (50 + 5 + 20)
    assert table.loc["Break-even precision", "Base case"] == pytest.approx(20 / 75)


def test_payback_that_never_comes_shows_as_missing(engine, project):
    hopeless = replace(VALUE, benefit_tp_usd=1.0, monthly_run_cost_usd=50_000.0)
    saved = save(engine, project, value=hopeless)
    assert saved.results.payback_months is None
    table = svc.compare_scenarios(engine, project_id=project.id, scenario_ids=[saved.id])
    assert table.loc["Payback (months)", "Base case"] != table.loc["Payback (months)", "Base case"]


def test_comparing_a_scenario_of_another_project_is_refused(engine, project):
    other = project_service.create_project(
        engine, data={"name": "Fraud alerts"}, actor="Ann", today=date(2026, 11, 22)
    )
    theirs = save(engine, other)
    with pytest.raises(NotFound):
        svc.compare_scenarios(engine, project_id=project.id, scenario_ids=[theirs.id])


def test_latest_estimate_summary_is_the_most_recently_updated_scenario(engine, project):
    assert svc.latest_estimate_summary(engine, project.id) is None
    first = save(engine, project, name="Base case")
    save(engine, project, name="Stretch")
    svc.update_scenario(
        engine, scenario_id=first.id, expected_version=1, actor="Ann", notes="revisited"
    )
    latest = svc.latest_estimate_summary(engine, project.id)
    assert latest.name == "Base case"
    assert latest.results.total.p10 <= latest.results.total.p50 <= latest.results.total.p90


def test_the_histograms_draws_are_the_simulations_draws():
    result = svc.estimate(COST, VALUE, seed=9)
    draws = result.total_draws
    assert draws.shape == (10_000,)
    total = result.cost_simulation.total
    assert np.percentile(draws, [10, 50, 90]) == pytest.approx([total.p10, total.p50, total.p90])
    assert total == simulate_project_cost(COST, seed=9).total


def test_linked_value_costs_split_the_cost_estimate_into_upfront_and_monthly():
    linked = svc.link_value_costs(COST, VALUE.to_dict())
    lines = estimate_project_cost(COST).lines_usd
    one_off = lines["training"] + lines["experimentation"] + lines["labeling"] + lines["people"]
    recurring = lines["retraining"] + lines["serving"] + lines["storage"]
    recurring += lines["shutdown_saving"]  # negative: the out-of-hours saving
    assert linked["upfront_cost_usd"] == round(one_off)
    assert linked["monthly_run_cost_usd"] == round(recurring / 12)
    assert svc.is_linked(COST.to_dict(), linked)
    assert not svc.is_linked(COST.to_dict(), VALUE.to_dict())


# --- the report's scenario -------------------------------------------------------------------


def test_the_report_falls_back_to_the_latest_scenario_and_says_none_is_chosen(engine, project):
    assert svc.report_scenario(engine, project.id).scenario is None
    save(engine, project, "Base case")
    latest = save(engine, project, "Cheap GPUs")
    report = svc.report_scenario(engine, project.id)
    assert (report.scenario_id, report.chosen) == (latest.id, False)
    assert "no scenario is chosen for the report yet" in report.sentence()


def test_choosing_the_report_scenario_is_logged_and_leaves_the_charter_version(engine, project):
    """Choosing is not a charter edit: an open charter form must not turn stale because of it."""
    base = save(engine, project, "Base case")
    save(engine, project, "Cheap GPUs")  # the latest: not the one chosen
    before = project_service.get_project(engine, project.id).project.version
    report = svc.choose_report_scenario(
        engine, project_id=project.id, scenario_id=base.id, expected_current=None, actor="Ann"
    )
    assert (report.scenario_id, report.chosen) == (base.id, True)
    assert report.sentence() == "Scenario “Base case”, chosen for the report."
    detail = project_service.get_project(engine, project.id)
    assert (detail.project.report_scenario_id, detail.project.version) == (base.id, before)
    entry = project_service.list_activity(engine, project.id)[0]
    assert (entry.action, entry.actor) == ("report scenario chosen", "Ann")


def test_a_choice_made_meanwhile_is_not_overwritten(engine, project):
    base = save(engine, project, "Base case")
    cheap = save(engine, project, "Cheap GPUs")
    svc.choose_report_scenario(
        engine, project_id=project.id, scenario_id=base.id, expected_current=None, actor="Bo"
    )
    with pytest.raises(InvalidInput) as error:  # Ann still saw "none chosen"
        svc.choose_report_scenario(
            engine, project_id=project.id, scenario_id=cheap.id, expected_current=None, actor="Ann"
        )
    assert "someone chose “Base case” for the report meanwhile" in str(error.value.errors)
    assert svc.report_scenario(engine, project.id).scenario_id == base.id


def test_deleting_the_chosen_scenario_clears_the_choice_and_its_undo_restores_it(engine, project):
    base = save(engine, project, "Base case")
    other = save(engine, project, "Cheap GPUs")
    svc.choose_report_scenario(
        engine, project_id=project.id, scenario_id=base.id, expected_current=None, actor="Ann"
    )
    deleted = svc.delete_scenario(
        engine, project_id=project.id, scenario_id=base.id, expected_version=1, actor="Ann"
    )
    assert project_service.get_project(engine, project.id).project.report_scenario_id is None
    report = svc.report_scenario(engine, project.id)
    assert (report.scenario_id, report.chosen) == (other.id, False)  # said, not pretended

    restored = svc.restore_scenario(engine, deleted=deleted, actor="Ann")
    report = svc.report_scenario(engine, project.id)
    assert (report.scenario_id, report.chosen) == (restored.id, True)


def test_deleting_another_scenario_keeps_the_choice(engine, project):
    base = save(engine, project, "Base case")
    other = save(engine, project, "Cheap GPUs")
    svc.choose_report_scenario(
        engine, project_id=project.id, scenario_id=base.id, expected_current=None, actor="Ann"
    )
    svc.delete_scenario(
        engine, project_id=project.id, scenario_id=other.id, expected_version=1, actor="Ann"
    )
    assert svc.report_scenario(engine, project.id).scenario_id == base.id


@pytest.mark.parametrize(
    ("cost", "value", "field", "why"),
    [
        ({"price_per_gpu_hour_usd": 1e300}, {}, "cost.price_per_gpu_hour_usd", "$1,000 an hour"),
        ({"mfu": 1e-300}, {}, "cost.mfu", "check the units"),
        ({}, {"benefit_tp_usd": 1e300}, "value.benefit_tp_usd", "not a per-case figure"),
        ({}, {"precision": 1e-300}, "value.precision", "nothing flagged is right"),
        ({"horizon_months": 1e6}, {}, "cost.horizon_months", "ten years"),
    ],
)
def test_absurd_magnitudes_are_refused_with_the_reason_of_the_bound(
    engine, project, cost, value, field, why
):
    """1e300 used to be stored and shown as a 300-digit dollar figure."""
    with pytest.raises(InvalidInput) as error:
        svc.save_scenario(
            engine,
            project_id=project.id,
            name="Absurd",
            cost_inputs=COST.to_dict() | cost,
            value_inputs=VALUE.to_dict() | value,
            actor="Ann",
        )
    assert why in error.value.errors[field]
    assert svc.list_scenarios(engine, project.id) == []


def test_every_numeric_input_has_a_plausible_upper_bound_with_its_reason():
    for spec in [*svc.COST_INPUTS.values(), *svc.VALUE_INPUTS.values()]:
        assert spec.maximum is not None and spec.maximum <= 1e15, spec.key
        if spec.key not in ("cost.hours_on_per_week", "value.prevalence", "value.recall"):
            assert spec.why, spec.key  # shares and the week bound themselves
