"""The parking-lot service against SQLite and PostgreSQL: table saves send only changed rows with
the version each user saw, status moves follow the domain's rule, promotion is version-checked."""

from datetime import date

import pytest

from workbench.errors import InvalidInput, StaleEditError
from workbench.services import experiments
from workbench.services import parking_lot as lot
from workbench.services import projects as project_service

MON = date(2026, 11, 23)


def make_project(engine):
    return project_service.create_project(
        engine,
        data={"name": "Ride-time anomalies", "baseline": "Rides longer than 3x the median"},
        actor="Ann",
        today=MON,
    )


def park(engine, project, idea, **extra):
    return lot.add_item(engine, project_id=project.id, data={"idea": idea, **extra}, actor="Ann")


def items(engine, project):
    return {row.item.id: row.item for row in lot.list_items(engine, project.id, MON)}


def experiment_data(**extra):
    return {
        "approach": "",
        "hypothesis": "Storms make rides long",
        "owner": "Tomás",
        "success_criterion": "Recall on storm days beats the 3x-median rule",
        "start_date": MON,
        "research_days": 2,
        "prototype_days": 2,
        **extra,
    }


def test_a_save_writes_only_the_fields_sent_and_keeps_anothers_change(engine):
    project = make_project(engine)
    weather = park(engine, project, "Weather features")
    lot.update_items(
        engine,
        project_id=project.id,
        edits=[{"id": weather.id, "version": weather.version, "value": "high"}],
        actor="Bo",
    )
    fresh = items(engine, project)[weather.id]
    changed = lot.update_items(
        engine,
        project_id=project.id,
        edits=[{"id": weather.id, "version": fresh.version, "why_deferred": "No feed yet"}],
        actor="Ann",
    )
    stored = items(engine, project)[weather.id]
    assert changed == 1
    assert (stored.value, stored.why_deferred) == ("high", "No feed yet")
    assert stored.version == weather.version + 2


def test_a_stale_row_refuses_the_whole_save_and_shows_both_values(engine):
    project = make_project(engine)
    weather = park(engine, project, "Weather features")
    driver = park(engine, project, "Driver embeddings")
    lot.update_items(
        engine,
        project_id=project.id,
        edits=[{"id": driver.id, "version": driver.version, "effort": "low"}],
        actor="Bo",
    )
    with pytest.raises(StaleEditError) as refused:
        lot.update_items(
            engine,
            project_id=project.id,
            edits=[
                {"id": weather.id, "version": weather.version, "value": "high"},
                {"id": driver.id, "version": driver.version, "effort": "high"},
            ],
            actor="Ann",
        )
    assert refused.value.conflicts == {"effort": ("high", "low")}
    assert refused.value.current.id == driver.id
    assert refused.value.saved_by == "Bo"
    stored = items(engine, project)
    assert (stored[weather.id].value, stored[driver.id].effort) == ("medium", "low")


def test_a_change_equal_to_the_stored_value_is_no_change(engine):
    project = make_project(engine)
    weather = park(engine, project, "Weather features")
    lot.update_items(
        engine,
        project_id=project.id,
        edits=[{"id": weather.id, "version": weather.version, "effort": "high"}],
        actor="Bo",
    )
    assert (
        lot.update_items(
            engine,
            project_id=project.id,
            edits=[{"id": weather.id, "version": weather.version, "effort": "high"}],
            actor="Ann",
        )
        == 0
    )


def test_row_messages_name_the_row_the_user_sees_and_nothing_is_written(engine):
    project = make_project(engine)
    weather = park(engine, project, "Weather features")
    driver = park(engine, project, "Driver embeddings", status="parked")
    lot.update_items(
        engine,
        project_id=project.id,
        edits=[{"id": driver.id, "version": driver.version, "status": "dropped"}],
        actor="Ann",
    )
    dropped = items(engine, project)[driver.id]
    with pytest.raises(InvalidInput) as error:
        lot.update_items(
            engine,
            project_id=project.id,
            edits=[
                {"id": weather.id, "version": weather.version, "row": 4, "value": "huge"},
                {"id": driver.id, "version": dropped.version, "row": 7, "status": "revived"},
                {"id": weather.id, "version": weather.version, "row": 4, "revisit_phase": "Later"},
            ],
            actor="Ann",
        )
    assert set(error.value.errors) == {
        "items[4].value",
        "items[7].status",
        "items[4].revisit_phase",
    }
    assert "Promote to experiment" in error.value.errors["items[7].status"]
    stored = items(engine, project)
    assert (stored[weather.id].version, stored[driver.id].status) == (weather.version, "dropped")


def test_a_dropped_idea_can_be_parked_again_and_dates_and_phases_are_read(engine):
    project = make_project(engine)
    weather = park(engine, project, "Weather features")
    lot.update_items(
        engine,
        project_id=project.id,
        edits=[{"id": weather.id, "version": weather.version, "status": "dropped"}],
        actor="Ann",
    )
    dropped = items(engine, project)[weather.id]
    lot.update_items(
        engine,
        project_id=project.id,
        edits=[
            {
                "id": weather.id,
                "version": dropped.version,
                "status": "parked",
                "revisit_on": "2026-11-23",
                "revisit_phase": "Development",
            }
        ],
        actor="Ann",
    )
    [row] = lot.list_items(engine, project.id, MON)
    assert (row.item.status, row.item.revisit_on, row.item.revisit_phase) == (
        "parked",
        MON,
        "development",
    )
    assert row.due and row.due_reason == "revisit date 2026-11-23 reached"
    log = project_service.list_activity(engine, project.id)
    assert [entry.action for entry in log[:2]] == ["idea parked", "idea dropped"]


def test_promoting_an_idea_changed_since_it_was_seen_is_refused(engine):
    project = make_project(engine)
    weather = park(engine, project, "Weather features")
    lot.update_items(
        engine,
        project_id=project.id,
        edits=[{"id": weather.id, "version": weather.version, "why_deferred": "Costs money"}],
        actor="Bo",
    )
    with pytest.raises(StaleEditError) as refused:
        lot.promote_to_experiment(
            engine,
            project_id=project.id,
            item_id=weather.id,
            expected_version=weather.version,
            data=experiment_data(),
            actor="Ann",
            seen={"idea": "Weather features", "why_deferred": "", "status": "parked"},
        )
    assert refused.value.conflicts == {"why_deferred": ("", "Costs money")}
    assert experiments.list_experiments(engine, project.id, MON) == []
    assert items(engine, project)[weather.id].status == "parked"

    fresh = items(engine, project)[weather.id]
    experiment = lot.promote_to_experiment(
        engine,
        project_id=project.id,
        item_id=weather.id,
        expected_version=fresh.version,
        data=experiment_data(),
        actor="Ann",
    )
    assert (experiment.approach, experiment.parking_lot_item_id) == ("Weather features", weather.id)
    assert items(engine, project)[weather.id].status == "revived"


def test_a_second_promotion_of_the_same_idea_is_refused(engine):
    project = make_project(engine)
    weather = park(engine, project, "Weather features")
    lot.promote_to_experiment(
        engine,
        project_id=project.id,
        item_id=weather.id,
        expected_version=weather.version,
        data=experiment_data(),
        actor="Bo",
    )
    with pytest.raises(StaleEditError):
        lot.promote_to_experiment(
            engine,
            project_id=project.id,
            item_id=weather.id,
            expected_version=weather.version,
            data=experiment_data(),
            actor="Ann",
            seen={"status": "parked"},
        )
    revived = items(engine, project)[weather.id]
    with pytest.raises(InvalidInput) as error:  # even on the newer version: it is not parked
        lot.promote_to_experiment(
            engine,
            project_id=project.id,
            item_id=weather.id,
            expected_version=revived.version,
            data=experiment_data(),
            actor="Ann",
        )
    assert error.value.errors == {
        "item": "Only a parked idea can be promoted; this one is revived."
    }
    assert len(experiments.list_experiments(engine, project.id, MON)) == 1
