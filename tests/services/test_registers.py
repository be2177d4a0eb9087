"""Risks, notes and parked ideas against a real database (SQLite and PostgreSQL)."""

from datetime import date

import pytest

from workbench.errors import InvalidInput, NotFound, StaleEditError
from workbench.models import NoteKind, SourceKind
from workbench.services import projects as project_service
from workbench.services import registers as svc


@pytest.fixture
def project(engine):
    return project_service.create_project(
        engine, data={"name": "Churn model"}, actor="Ann", today=date(2026, 11, 22)
    )


def test_risk_keeps_its_source_and_is_logged(engine, project):
    risk = svc.create_risk(
        engine,
        project_id=project.id,
        data={
            "title": "Labels are late",
            "likelihood": 4,
            "impact": 5,
            "source_kind": "interview",
            "source_id": 17,
            "source_label": "Interview with Dana, Q3",
        },
        actor="Ann",
    )
    [stored] = svc.list_risks(engine, project.id)
    assert (stored.source_kind, stored.source_id) == (SourceKind.INTERVIEW, 17)
    assert stored.id == risk.id
    log = project_service.list_activity(engine, project.id)
    assert log[0].action == "risk added"
    assert "Interview with Dana, Q3" in log[0].summary


@pytest.mark.parametrize(
    ("data", "field"),
    [
        pytest.param({"title": ""}, "title", id="empty-title"),
        pytest.param({"title": "x", "likelihood": 6}, "likelihood", id="likelihood-6"),
        pytest.param({"title": "x", "impact": "high"}, "impact", id="impact-not-number"),
    ],
)
def test_bad_risk_is_refused(engine, project, data, field):
    with pytest.raises(InvalidInput) as error:
        svc.create_risk(engine, project_id=project.id, data=data, actor="Ann")
    assert field in error.value.errors
    assert svc.list_risks(engine, project.id) == []


def test_risks_sort_by_exposure(engine, project):
    for title, likelihood, impact in [("low", 1, 2), ("high", 5, 4), ("mid", 3, 3)]:
        svc.create_risk(
            engine,
            project_id=project.id,
            data={"title": title, "likelihood": likelihood, "impact": impact},
            actor="Ann",
        )
    assert [r.title for r in svc.list_risks(engine, project.id)] == ["high", "mid", "low"]


def test_risk_table_edit_is_version_checked(engine, project):
    risk = svc.create_risk(engine, project_id=project.id, data={"title": "Drift"}, actor="Ann")
    row = {"id": risk.id, "version": risk.version}
    assert (
        svc.update_risks(engine, project_id=project.id, rows=[{**row, "owner": "Mei"}], actor="Ann")
        == 1
    )
    with pytest.raises(StaleEditError) as refused:
        svc.update_risks(engine, project_id=project.id, rows=[{**row, "owner": "Bo"}], actor="Bo")
    assert refused.value.conflicts == {f"#{risk.id} owner": ("Bo", "Mei")}
    assert svc.list_risks(engine, project.id)[0].owner == "Mei"


def test_a_stale_row_refuses_the_whole_save_and_writes_nothing(engine, project):
    first, second = (
        svc.create_risk(engine, project_id=project.id, data={"title": t}, actor="Ann")
        for t in ("Drift", "Late labels")
    )
    svc.update_risks(
        engine,
        project_id=project.id,
        rows=[{"id": first.id, "version": first.version, "owner": "Bo"}],
        actor="Bo",
    )
    with pytest.raises(StaleEditError):  # never InvalidInput
        svc.update_risks(
            engine,
            project_id=project.id,
            rows=[
                {"id": first.id, "version": first.version, "owner": "Ann"},
                {"id": second.id, "version": second.version, "impact": 5},
            ],
            actor="Ann",
        )
    stored = {r.id: r for r in svc.list_risks(engine, project.id)}
    assert (stored[first.id].owner, stored[second.id].impact) == ("Bo", 3)
    assert stored[second.id].version == second.version


def test_only_the_changed_cells_are_written(engine, project):
    risk = svc.create_risk(
        engine, project_id=project.id, data={"title": "Drift", "owner": "Mei"}, actor="Ann"
    )
    row = {"id": risk.id, "version": risk.version, "likelihood": 5, "row": 1}
    assert svc.update_risks(engine, project_id=project.id, rows=[row], actor="Ann") == 1
    [stored] = svc.list_risks(engine, project.id)
    assert (stored.title, stored.owner, stored.likelihood) == ("Drift", "Mei", 5)
    entry = project_service.list_activity(engine, project.id)[0]
    assert entry.changes == {"likelihood": [3, 5]}


def test_a_bad_cell_is_named_by_its_row_and_nothing_is_written(engine, project):
    risk = svc.create_risk(engine, project_id=project.id, data={"title": "Drift"}, actor="Ann")
    with pytest.raises(InvalidInput) as refused:
        svc.update_risks(
            engine,
            project_id=project.id,
            rows=[{"id": risk.id, "version": risk.version, "title": "", "row": 3}],
            actor="Ann",
        )
    assert "risks[3].title" in refused.value.errors
    assert svc.list_risks(engine, project.id)[0].title == "Drift"


def test_resolving_notes_touches_only_the_notes_named(engine, project):
    notes = [
        svc.create_note(
            engine, project_id=project.id, data={"kind": "open question", "text": t}, actor="Ann"
        )
        for t in ("Who labels the data?", "Who pays?")
    ]
    assert (
        svc.set_notes_resolved(engine, project_id=project.id, resolve=[notes[0].id], actor="Bo")
        == 1
    )
    # a second user, who saw both open, resolves the other one: the first stays resolved
    svc.set_notes_resolved(engine, project_id=project.id, resolve=[notes[1].id], actor="Cy")
    stored = svc.list_notes(engine, project.id, NoteKind.OPEN_QUESTION)
    assert [n.resolved for n in stored] == [True, True]
    assert svc.list_notes(engine, project.id, NoteKind.ASSUMPTION) == []
    svc.set_notes_resolved(engine, project_id=project.id, reopen=[notes[0].id], actor="Bo")
    assert [n.resolved for n in svc.list_notes(engine, project.id)] == [False, True]
    with pytest.raises(NotFound):
        svc.set_notes_resolved(engine, project_id=project.id, resolve=[999], actor="Bo")


def test_parked_idea_validates_levels_and_defaults_raiser(engine, project):
    with pytest.raises(InvalidInput) as error:
        svc.create_parking_lot_item(
            engine, project_id=project.id, data={"idea": "Try GNNs", "value": "huge"}, actor="Ann"
        )
    assert "value" in error.value.errors
    item = svc.create_parking_lot_item(
        engine,
        project_id=project.id,
        data={"idea": "Try GNNs", "value": "high", "source_kind": "demo", "source_id": 3},
        actor="Ann",
    )
    assert item.raised_by == "Ann"
    assert [i.idea for i in svc.list_parking_lot(engine, project.id)] == ["Try GNNs"]
    assert svc.list_parking_lot(engine, project.id)[0].source_kind == SourceKind.DEMO
