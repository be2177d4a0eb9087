"""Project services against a real database: SQLite file and PostgreSQL server."""

from datetime import date

import pytest
from sqlmodel import Session, func, select

from workbench.demo_data import seed_demo_data
from workbench.domain.lifecycle import Phase
from workbench.errors import InvalidInput, StaleEditError
from workbench.models import ActivityEntry, Project, Stakeholder, SuccessCriterion
from workbench.services import projects as svc

TODAY = date(2026, 11, 22)


def make(engine, name="Churn model", **extra):
    return svc.create_project(
        engine,
        data={"name": name, "problem": "Customers leave", **extra},
        actor="Ann",
        today=TODAY,
        criteria=[{"criterion": "Fewer churners", "business_metric": "Monthly churn rate"}],
        stakeholders=[{"name": "Bo", "role": "ML engineer"}],
    )


def count(engine, model) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(model)).one()


def test_create_stores_charter_children_and_log(engine):
    project = make(engine, owner="Priya", target_delivery_date=date(2027, 3, 1))
    detail = svc.get_project(engine, project.id)
    assert detail.project.name == "Churn model"
    assert detail.project.phase == Phase.PLANNING
    assert detail.project.version == 1
    assert detail.project.target_delivery_date == date(2027, 3, 1)
    assert detail.project.created_at.tzinfo is not None
    assert [c.business_metric for c in detail.criteria] == ["Monthly churn rate"]
    assert [(s.name, s.role.value) for s in detail.stakeholders] == [("Bo", "ML engineer")]
    log = svc.list_activity(engine, project.id)
    assert [(e.actor, e.action) for e in log] == [("Ann", "project created")]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        pytest.param({"name": "   "}, "name", "cannot be empty", id="empty-name"),
        pytest.param({"name": "x" * 10_000}, "name", "at most 120", id="huge-name"),
        pytest.param(
            {"name": "ok", "target_delivery_date": date(2026, 11, 21)},
            "target_delivery_date",
            "in the past",
            id="past-date",
        ),
        pytest.param(
            {"name": "ok", "target_delivery_date": "next week"},
            "target_delivery_date",
            "Not a valid date",
            id="not-a-date",
        ),
        pytest.param({"name": "ok", "problem": "y" * 5001}, "problem", "at most 5000", id="long"),
    ],
)
def test_bad_input_names_the_field_and_stores_nothing(engine, data, field, message):
    with pytest.raises(InvalidInput) as error:
        svc.create_project(engine, data=data, actor="Ann", today=TODAY)
    assert message in error.value.errors[field]
    assert count(engine, Project) == 0
    assert count(engine, ActivityEntry) == 0


def test_bad_child_row_stores_nothing_at_all(engine):
    with pytest.raises(InvalidInput) as error:
        svc.create_project(
            engine,
            data={"name": "Valid name"},
            actor="Ann",
            today=TODAY,
            stakeholders=[{"name": "Bo", "role": "ML engineer"}, {"name": "Cy", "role": "Boss"}],
        )
    assert "stakeholders[2].role" in error.value.errors
    assert count(engine, Project) == 0
    assert count(engine, Stakeholder) == 0


def test_names_are_unique_ignoring_case(engine):
    make(engine, name="Churn model")
    with pytest.raises(InvalidInput) as error:
        make(engine, name="  CHURN MODEL ")
    assert "already exists" in error.value.errors["name"]
    assert count(engine, Project) == 1


def test_missing_actor_is_refused(engine):
    with pytest.raises(InvalidInput) as error:
        svc.create_project(engine, data={"name": "x"}, actor="  ", today=TODAY)
    assert "actor" in error.value.errors


def test_edit_logs_each_changed_field_and_bumps_version(engine):
    project = make(engine)
    updated = svc.update_project(
        engine,
        project_id=project.id,
        expected_version=1,
        data={"name": "Churn model", "problem": "Customers leave after 3 months", "owner": "Lee"},
        actor="Cy",
        today=TODAY,
        stakeholders=[
            {"name": "Bo", "role": "ML engineer"},
            {"name": "Di", "role": "Data engineer"},
        ],
    )
    assert updated.version == 2
    assert updated.problem == "Customers leave after 3 months"
    entry = svc.list_activity(engine, project.id)[0]
    assert entry.actor == "Cy"
    assert entry.changes["problem"] == ["Customers leave", "Customers leave after 3 months"]
    assert entry.changes["owner"] == ["", "Lee"]
    assert "name" not in entry.changes
    assert len(entry.changes["stakeholders"][1]) == 2
    assert count(engine, SuccessCriterion) == 1  # criteria not passed: left alone


def test_unchanged_save_writes_nothing(engine):
    project = make(engine)
    again = svc.update_project(
        engine,
        project_id=project.id,
        expected_version=1,
        data={"name": "Churn model", "problem": "Customers leave"},
        actor="Cy",
        today=TODAY,
    )
    assert again.version == 1
    assert len(svc.list_activity(engine, project.id)) == 1


def test_stale_save_from_a_second_session_is_refused_with_newer_values(engine):
    project = make(engine)
    # Two people opened version 1. Ann saves first.
    svc.update_project(
        engine,
        project_id=project.id,
        expected_version=1,
        data={"name": "Churn model", "problem": "Ann's wording"},
        actor="Ann",
        today=TODAY,
    )
    with pytest.raises(StaleEditError) as error:
        svc.update_project(
            engine,
            project_id=project.id,
            expected_version=1,
            data={"name": "Churn model", "problem": "Bo's wording"},
            actor="Bo",
            today=TODAY,
        )
    assert error.value.current.problem == "Ann's wording"
    assert error.value.conflicts["problem"] == ("Bo's wording", "Ann's wording")
    assert error.value.saved_by == "Ann"
    stored = svc.get_project(engine, project.id).project
    assert stored.problem == "Ann's wording"
    assert stored.version == 2


def test_past_delivery_date_is_kept_when_not_edited(engine):
    project = make(engine, target_delivery_date=date(2026, 12, 1))
    later = date(2027, 1, 10)  # the date is now in the past, but nobody is changing it
    updated = svc.update_project(
        engine,
        project_id=project.id,
        expected_version=1,
        data={"name": "Churn model", "problem": "new", "target_delivery_date": date(2026, 12, 1)},
        actor="Ann",
        today=later,
    )
    assert updated.problem == "new"


def test_gate_ticks_only_touch_named_items(engine):
    project = make(engine)
    svc.set_gate_items(
        engine, project_id=project.id, phase=Phase.PLANNING, check=["problem_stated"], actor="Ann"
    )
    done = svc.set_gate_items(
        engine, project_id=project.id, phase=Phase.PLANNING, check=["why_agreed"], actor="Bo"
    )
    assert done == {"problem_stated", "why_agreed"}
    with pytest.raises(InvalidInput):
        svc.set_gate_items(
            engine, project_id=project.id, phase=Phase.PLANNING, check=["nope"], actor="Bo"
        )


def test_phase_move_records_who_and_what_was_open(engine):
    project = make(engine)
    svc.set_gate_items(
        engine, project_id=project.id, phase=Phase.PLANNING, check=["problem_stated"], actor="Ann"
    )
    with pytest.raises(InvalidInput) as error:
        svc.move_phase(
            engine, project_id=project.id, expected_version=1, target=Phase.SCOPING, actor="Ann"
        )
    assert "still open" in error.value.errors["phase"]
    transition = svc.move_phase(
        engine,
        project_id=project.id,
        expected_version=1,
        target=Phase.SCOPING,
        actor="Ann",
        note="Sponsor wants to start scoping",
    )
    assert transition.actor == "Ann"
    assert "Why it matters now is agreed with the sponsor" in transition.open_items
    assert "The business problem (what) is written in the business's words" not in (
        transition.open_items
    )
    detail = svc.get_project(engine, project.id)
    assert detail.project.phase == Phase.SCOPING
    assert detail.transitions[0].to_phase == Phase.SCOPING
    with pytest.raises(StaleEditError):
        svc.move_phase(
            engine,
            project_id=project.id,
            expected_version=1,
            target=Phase.PLANNING,
            actor="Bo",
            note="back",
        )


def test_list_filters_by_search_phase_and_owner(engine):
    make(engine, name="Churn model", owner="Priya")
    make(engine, name="Fraud alerts", owner="Lee")
    third = make(engine, name="Demand forecast", owner="Priya")
    svc.move_phase(
        engine, project_id=third.id, expected_version=1, target=Phase.SCOPING, actor="A", note="go"
    )
    assert [p.name for p in svc.list_projects(engine, search="fraud")] == ["Fraud alerts"]
    assert [p.name for p in svc.list_projects(engine, owner="priya")] == [
        "Churn model",
        "Demand forecast",
    ]
    assert [p.name for p in svc.list_projects(engine, phases=[Phase.SCOPING])] == [
        "Demand forecast"
    ]


def test_seed_fills_an_empty_database_once(engine):
    assert seed_demo_data(engine, today=TODAY) == 3
    names = [p.name for p in svc.list_projects(engine)]
    assert len(names) == 3
    assert any("anomaly" in name.lower() for name in names)
    assert seed_demo_data(engine, today=TODAY) == 0
    assert len(svc.list_projects(engine)) == 3


def test_seed_never_touches_a_database_with_projects(engine):
    make(engine)
    assert seed_demo_data(engine, today=TODAY) == 0
    assert [p.name for p in svc.list_projects(engine)] == ["Churn model"]


@pytest.mark.parametrize("field", ["name", "problem", "owner"])
def test_update_with_none_for_a_text_field_is_refused_cleanly(engine, field):
    project = make(engine)
    with pytest.raises(InvalidInput) as error:
        svc.update_project(
            engine,
            project_id=project.id,
            expected_version=1,
            data={"name": "Churn model", field: None},
            actor="Ann",
            today=TODAY,
        )
    assert field in error.value.errors
    assert svc.get_project(engine, project.id).project.version == 1
