"""A project's whole life on both backends: archive and restore, delete every row of it (counted
per table, no orphans), duplicate as a template (charter, weights, experiments' structure)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select, text
from sqlmodel import Session, SQLModel

from tests.dates import TODAY
from workbench.demo_data import seed_demo_data
from workbench.errors import InvalidInput, StaleEditError
from workbench.models import (
    ActivityEntry,
    AssessmentSnapshot,
    Demo,
    DemoFeedback,
    Experiment,
    Feature,
    FeatureTask,
    GoNoGoDecision,
    ParkingLotItem,
    Project,
    ProjectMember,
    ProjectNote,
    Risk,
    Scenario,
    SourceKind,
    TimeBoxExtension,
    TimeLog,
)
from workbench.reference.questions import load_question_bank
from workbench.services import assessment
from workbench.services import projects as svc
from workbench.services.project_life import (
    ACCESS_TABLES,
    PARTS,
    archive_project,
    count_rows,
    delete_project,
    duplicate_project,
    restore_project,
)

RIDE = "Ride-time anomaly detection"


def project_id(engine, name: str) -> int:
    return svc.find_project(engine, name).id


def fill_every_table(engine, pid: int) -> None:
    """Give the project at least one row in every table that belongs to a project, with every
    kind of reference between them (the demo data leaves some tables empty)."""
    with Session(engine) as session:
        experiment = session.scalars(
            select(Experiment).where(Experiment.project_id == pid).order_by(Experiment.id)
        ).first()
        feature = session.scalars(
            select(Feature).where(Feature.project_id == pid).order_by(Feature.id)
        ).first()
        scenario = session.scalars(
            select(Scenario).where(Scenario.project_id == pid).order_by(Scenario.id)
        ).first()
        item = ParkingLotItem(
            project_id=pid,
            idea="Try a graph model",
            source_kind=SourceKind.EXPERIMENT,
            source_id=experiment.id,
        )
        session.add(item)
        session.flush()
        session.exec(
            text("UPDATE experiment SET parking_lot_item_id = :item WHERE id = :id").bindparams(
                item=item.id, id=experiment.id
            )
        )
        session.add(
            TimeBoxExtension(
                experiment_id=experiment.id,
                reason="Data arrived late",
                previous_end=TODAY,
                new_end=TODAY + timedelta(days=3),
                extended_by="Ann",
            )
        )
        session.add(TimeLog(experiment_id=experiment.id, day=TODAY, hours=2.5, who="Ann"))
        session.add(
            GoNoGoDecision(
                project_id=pid,
                go=True,
                selected_experiment_id=experiment.id,
                reasons="Best precision",
                weights={"accuracy": 2.0},
                matrix=[{"approach": experiment.approach, "score": 4}],
                decided_by="Ann",
            )
        )
        demo = Demo(
            project_id=pid,
            feature_id=feature.id,
            title="First demo",
            held_on=TODAY,
            demo_type="feature",
            recorded_by="Ann",
        )
        session.add(demo)
        session.flush()
        session.add(DemoFeedback(demo_id=demo.id, attendee="Lee", feedback="Clear"))
        session.add(
            FeatureTask(
                feature_id=feature.id, text="Add a legend", source_demo_id=demo.id, created_by="Ann"
            )
        )
        session.add(
            Risk(
                project_id=pid,
                title="Demo audience too small",
                source_kind=SourceKind.DEMO,
                source_id=demo.id,
            )
        )
        session.add(
            ProjectNote(
                project_id=pid,
                kind="assumption",
                text="Labels exist",
                created_by="Ann",
                source_kind=SourceKind.DEMO,
                source_id=demo.id,
            )
        )
        session.add(ProjectMember(project_id=pid, identity="ann@example.com", role="owner"))
        session.exec(
            text("UPDATE project SET report_scenario_id = :s WHERE id = :id").bindparams(
                s=scenario.id, id=pid
            )
        )
        session.commit()
    with Session(engine) as session:
        empty = [table for table, n in count_rows(session, pid).items() if n == 0]
    assert empty == [], f"the fixture leaves {empty} empty"


def table_counts(engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            table.name: connection.execute(select(func.count()).select_from(table)).scalar_one()
            for table in SQLModel.metadata.sorted_tables
        }


def rows_owned(engine, pid: int) -> dict[str, int]:
    """Rows of each table that belong to the project, found from the schema's foreign keys (not
    from the code under test): a `project_id`, or a parent row that has it."""
    owned = {}
    with engine.connect() as connection:
        for table in SQLModel.metadata.sorted_tables:
            if table.name == "project":
                owned["project"] = 1
            elif "project_id" in table.c:
                owned[table.name] = connection.execute(
                    select(func.count()).select_from(table).where(table.c.project_id == pid)
                ).scalar_one()
            else:
                parent_key = next(
                    fk
                    for fk in table.foreign_keys
                    if not fk.parent.nullable and "project_id" in fk.column.table.c
                )
                parent = parent_key.column.table
                mine = select(parent.c.id).where(parent.c.project_id == pid)
                owned[table.name] = connection.execute(
                    select(func.count()).select_from(table).where(parent_key.parent.in_(mine))
                ).scalar_one()
    return owned


def orphans(engine) -> list[str]:
    """Every foreign key value that points at no row."""
    found = []
    with engine.connect() as connection:
        for table in SQLModel.metadata.sorted_tables:
            for fk in table.foreign_keys:
                target = fk.column
                missing = connection.execute(
                    select(func.count())
                    .select_from(table)
                    .where(fk.parent.is_not(None))
                    .where(~fk.parent.in_(select(target)))
                ).scalar_one()
                if missing:
                    found.append(f"{table.name}.{fk.parent.name}: {missing}")
    return found


def test_parts_name_every_table_of_a_project():
    # A table added later and forgotten here would survive a deletion and miss the export.
    named = {part.table for part in PARTS} | {"project", *ACCESS_TABLES}
    assert named == set(SQLModel.metadata.tables)


def test_delete_removes_every_row_of_the_project_and_nothing_else(engine):
    seed_demo_data(engine, today=TODAY)
    pid = project_id(engine, RIDE)
    fill_every_table(engine, pid)
    before = table_counts(engine)
    owned = rows_owned(engine, pid)
    assert all(owned[table] > 0 for table in before)  # every table takes part

    done = delete_project(engine, project_id=pid, typed_name=RIDE, actor="Ann")

    after = table_counts(engine)
    expected = {table: before[table] - owned[table] for table in before}
    expected["activity"] += 1  # the deletion itself, logged without a project
    assert after == expected
    assert rows_owned(engine, pid) == {"project": 1, **dict.fromkeys(list(after)[1:], 0)}
    assert orphans(engine) == []
    assert done.name == RIDE and done.total == sum(owned.values())
    with Session(engine) as session:
        assert session.get(Project, pid) is None
        entry = session.scalars(
            select(ActivityEntry).where(ActivityEntry.action == "project deleted")
        ).one()
        assert (entry.project_id, entry.actor, entry.changes["name"]) == (None, "Ann", RIDE)
    # the other projects are whole
    assert sorted(p.name for p in svc.list_projects(engine)) == [
        "Energy price anomaly detection",
        "Website purchase recommendations",
    ]


@pytest.mark.parametrize("typed", ["ride-time anomaly detection", "Ride-time", "", "  "])
def test_delete_is_refused_unless_the_exact_name_is_typed(engine, typed):
    seed_demo_data(engine, today=TODAY)
    pid = project_id(engine, RIDE)
    before = table_counts(engine)
    with pytest.raises(InvalidInput) as refused:
        delete_project(engine, project_id=pid, typed_name=typed, actor="Ann")
    assert "type the project's name exactly" in refused.value.errors["confirm_name"]
    assert table_counts(engine) == before


def test_archive_hides_from_the_default_view_keeps_everything_and_restores(engine):
    seed_demo_data(engine, today=TODAY)
    pid = project_id(engine, RIDE)
    before = table_counts(engine)
    version = svc.get_project(engine, pid).project.version

    archived = archive_project(engine, project_id=pid, expected_version=version, actor="Ann")

    assert archived.archived_at is not None and archived.version == version + 1
    assert RIDE not in [p.name for p in svc.list_projects(engine)]
    assert RIDE not in svc.project_names(engine).values()
    assert RIDE in [p.name for p in svc.list_projects(engine, include_archived=True)]
    assert RIDE in svc.project_names(engine, include_archived=True).values()
    assert RIDE not in [p.name for p in svc.list_projects(engine, search="ride")]
    after = table_counts(engine)
    assert after == {**before, "activity": before["activity"] + 1}  # only the log entry added
    assert svc.list_activity(engine, pid)[0].action == "project archived"
    with pytest.raises(InvalidInput):
        archive_project(engine, project_id=pid, expected_version=None, actor="Ann")

    restored = restore_project(engine, project_id=pid, expected_version=None, actor="Bo")
    assert restored.archived_at is None
    assert RIDE in [p.name for p in svc.list_projects(engine)]
    assert svc.list_activity(engine, pid)[0].action == "project restored"
    with pytest.raises(InvalidInput):
        restore_project(engine, project_id=pid, expected_version=None, actor="Bo")


def test_archive_on_a_stale_version_is_refused(engine):
    project = svc.create_project(engine, data={"name": "Churn"}, actor="Ann", today=TODAY)
    svc.update_project(
        engine,
        project_id=project.id,
        expected_version=project.version,
        data={"sponsor": "CFO"},
        actor="Bo",
        today=TODAY,
    )
    with pytest.raises(StaleEditError):
        archive_project(
            engine, project_id=project.id, expected_version=project.version, actor="Ann"
        )
    assert svc.get_project(engine, project.id).project.archived_at is None


def test_duplicate_copies_the_charter_weights_and_experiment_structure_not_the_answers(engine):
    seed_demo_data(engine, today=TODAY)
    pid = project_id(engine, RIDE)
    fill_every_table(engine, pid)
    questions = load_question_bank()
    changed = {questions[0].id: questions[0].weight + 2}
    assessment.save_snapshot(
        engine, project_id=pid, questions=questions, weights=changed, actor="Ann", note="w"
    )
    source = svc.get_project(engine, pid)
    later = TODAY + timedelta(days=7)

    copy = duplicate_project(engine, project_id=pid, name="Ride-time 2027", actor="Bo", today=later)

    detail = svc.get_project(engine, copy.id)
    assert copy.phase == "planning" and copy.target_delivery_date is None
    for field in ("problem", "why_now", "current_process", "affected", "baseline", "owner"):
        assert getattr(copy, field) == getattr(source.project, field)
    assert [c.criterion for c in detail.criteria] == [c.criterion for c in source.criteria]
    assert [s.name for s in detail.stakeholders] == [s.name for s in source.stakeholders]
    assert detail.done_gate_items == {phase: frozenset() for phase in detail.done_gate_items}
    with Session(engine) as session:
        counts = count_rows(session, copy.id)
        old = session.scalars(
            select(Experiment).where(Experiment.project_id == pid).order_by(Experiment.id)
        ).all()
        new = session.scalars(
            select(Experiment).where(Experiment.project_id == copy.id).order_by(Experiment.id)
        ).all()
        [snapshot] = session.scalars(
            select(AssessmentSnapshot).where(AssessmentSnapshot.project_id == copy.id)
        ).all()
    assert [(e.approach, e.hypothesis, e.research_days, e.prototype_days) for e in new] == [
        (e.approach, e.hypothesis, e.research_days, e.prototype_days) for e in old
    ]
    assert {e.status for e in new} == {"proposed"}
    assert {e.start_date for e in new} == {later}
    assert all(e.result_value is None and e.decision is None for e in new)
    assert all(e.matrix_scores == {} and e.review_answers == {} for e in new)
    assert snapshot.weights[questions[0].id] == questions[0].weight + 2
    assert snapshot.ratings == []  # the weights, none of the answers
    for table in (
        "assessment_rating",
        "risk",
        "project_note",
        "scenario",
        "parking_lot_item",
        "time_log",
        "time_box_extension",
        "go_no_go_decision",
        "feature",
        "demo",
        "interview",
        "interview_answer",
        "gate_check",
        "phase_transition",
    ):
        assert counts[table] == 0, table
    assert counts["activity"] == 1
    assert svc.list_activity(engine, copy.id)[0].changes["template"] == RIDE


def test_duplicate_refuses_a_taken_or_empty_name(engine):
    project = svc.create_project(engine, data={"name": "Churn"}, actor="Ann", today=TODAY)
    for name, message in (("CHURN", "already exists"), ("  ", "Required"), ("x" * 121, "long")):
        with pytest.raises(InvalidInput) as refused:
            duplicate_project(engine, project_id=project.id, name=name, actor="Ann", today=TODAY)
        assert message in refused.value.errors["name"]
    assert len(svc.list_projects(engine)) == 1
