"""Demo data: a new user's first start shows a worked example on every page."""

from datetime import date

from workbench.demo_data import seed_demo_data
from workbench.services import demos as demo_service
from workbench.services import estimates as estimate_service
from workbench.services import experiments as experiment_service
from workbench.services import interviews as interview_service
from workbench.services import parking_lot as parking_lot_service
from workbench.services import projects as project_service
from workbench.services import registers

TODAY = date(2026, 11, 25)  # a Wednesday


def test_ride_time_project_has_a_full_workspace(engine):
    assert seed_demo_data(engine, today=TODAY) == 3
    project = project_service.find_project(engine, "Ride-time anomaly detection")
    assert len(registers.list_risks(engine, project.id)) == 2
    [scenario] = estimate_service.list_scenarios(engine, project.id)
    assert scenario.results.total.p10 <= scenario.results.total.p50 <= scenario.results.total.p90
    views = experiment_service.list_experiments(engine, project.id, TODAY)
    assert len(views) == 3
    # the heuristic's box is spent: the workbench asks for a decision on the first day
    assert [v.experiment.approach for v in views if v.due_decision] == [
        "Distance-band heuristic (3× median time)"
    ]
    due = parking_lot_service.due_parking_lot_items(engine, TODAY)
    assert [item.project_id for item in due] == [project.id]
    plan = demo_service.demo_plan(engine, project.id, today=TODAY)
    assert plan.features[0].name == "Outlier flag in the analysis table"
    assert plan.schedule is not None and plan.schedule.items[0].start > TODAY
    [interview] = interview_service.list_interviews(engine, project.id, now=project.created_at)
    assert interview.status.value == "submitted"
    assert interview.answered == 7


def test_other_demo_projects_stay_light(engine):
    seed_demo_data(engine, today=TODAY)
    project = project_service.find_project(engine, "Website purchase recommendations")
    assert registers.list_risks(engine, project.id) == []
    assert experiment_service.list_experiments(engine, project.id, TODAY) == []
