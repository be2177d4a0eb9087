"""Export and import of one project on both backends: round trips for every demo project, a
replace that keeps the project's id, a file applied once, and malformed or hostile files refused
with the list of their problems and nothing written."""

from __future__ import annotations

import copy
import json
import shutil

import pytest
from sqlmodel import Session, select

from tests.dates import TODAY
from tests.services.test_project_life import RIDE, fill_every_table, table_counts
from workbench.db import make_engine
from workbench.demo_data import seed_demo_data
from workbench.errors import InvalidInput, StaleEditError
from workbench.models import Interview
from workbench.services import projects as svc
from workbench.services import transfer
from workbench.services.project_life import PARTS, count_rows
from workbench.services.transfer import (
    FORMAT,
    SCHEMA_VERSION,
    FileRefused,
    export_json,
    export_project,
    import_project,
    read_document,
)


@pytest.fixture
def other_engine(database_url, request, sqlite_template, tmp_path):
    """A second fresh database on the same backend as `engine`."""
    if database_url.startswith("sqlite"):
        path = tmp_path / "other.db"
        shutil.copy(sqlite_template, path)
        url = f"sqlite:///{path}"
    else:
        server = request.getfixturevalue("postgres_server")
        name = f"workbench_other_{next(server.counter)}"
        server.execute(f"CREATE DATABASE {name} TEMPLATE workbench_template")
        url = server.url(name)
    engine = make_engine(url)
    yield engine
    engine.dispose()


def without_import_entry(document: dict) -> dict:
    """The document less what an import adds or changes: the export's time and the log entry
    of the import itself (the last one)."""
    document = copy.deepcopy(document)
    document.pop("exported_at")
    assert document["activity"][-1]["action"] == transfer.IMPORT_ACTION
    document["activity"] = document["activity"][:-1]
    return document


def small_document(engine) -> dict:
    project = svc.create_project(
        engine,
        data={"name": "Fraud alerts", "problem": "Card fraud"},
        actor="Ann",
        today=TODAY,
        criteria=[{"criterion": "Fewer losses", "business_metric": "Losses", "target": "-10 %"}],
        stakeholders=[{"name": "Lee", "role": "Business sponsor"}],
    )
    return export_project(engine, project.id)


def test_export_import_round_trip_for_every_demo_project(engine, other_engine):
    seed_demo_data(engine, today=TODAY)
    fill_every_table(engine, svc.find_project(engine, RIDE).id)
    projects = svc.list_projects(engine)
    assert len(projects) == 3
    for project in projects:
        document = export_project(engine, project.id)
        assert (document["format"], document["schema_version"]) == (FORMAT, SCHEMA_VERSION)

        done = import_project(other_engine, export_json(engine, project.id), actor="Bo")

        assert not done.replaced and done.project.name == project.name
        again = export_project(other_engine, done.project.id)
        document.pop("exported_at")
        assert without_import_entry(again) == document
        with Session(engine) as a, Session(other_engine) as b:
            source, copied = count_rows(a, project.id), count_rows(b, done.project.id)
        assert copied == {**source, "activity": source["activity"] + 1}
        entry = svc.list_activity(other_engine, done.project.id)[0]
        assert (entry.action, entry.actor) == (transfer.IMPORT_ACTION, "Bo")
        assert len(entry.changes["content_sha256"]) == 64


def test_references_between_rows_survive_the_round_trip(engine, other_engine):
    seed_demo_data(engine, today=TODAY)
    pid = svc.find_project(engine, RIDE).id
    fill_every_table(engine, pid)
    document = export_project(engine, pid)
    # positions, not database ids
    assert document["time_logs"][0]["experiment"] == 0
    assert document["go_no_go"][0]["selected_experiment"] == 0
    assert document["experiments"][0]["parking_lot_item"] == len(document["parking_lot"]) - 1
    assert document["feature_tasks"][0]["source_demo"] == 0
    assert document["risks"][-1]["source_ref"] == 0  # the demo it came from
    assert document["project"]["report_scenario"] == 0
    assert all("id" not in row for part in PARTS for row in document[part.key])

    done = import_project(other_engine, json.dumps(document), actor="Bo")

    copied = export_project(other_engine, done.project.id)
    assert copied["project"]["report_scenario"] == 0
    assert copied["parking_lot"][-1]["source_ref"] == 0
    assert copied["experiments"][0]["parking_lot_item"] == len(copied["parking_lot"]) - 1


def test_import_into_the_same_database_under_another_name_relinks_interviews(engine):
    seed_demo_data(engine, today=TODAY)
    pid = svc.find_project(engine, RIDE).id
    raw = export_json(engine, pid)
    with pytest.raises(InvalidInput) as refused:
        import_project(engine, raw, actor="Bo")
    assert "Another project already has this name" in refused.value.errors["name"]

    done = import_project(engine, raw, actor="Bo", name="Ride-time copy")

    assert done.project.name == "Ride-time copy" and done.relinked_interviews == 1
    with Session(engine) as session:
        hashes = session.scalars(select(Interview.token_hash)).all()
    assert len(hashes) == len(set(hashes)) == 2  # the expert's link opens only the original


def test_replace_keeps_the_id_replaces_every_row_and_moves_the_version(engine):
    seed_demo_data(engine, today=TODAY)
    ride = svc.find_project(engine, RIDE)
    energy = svc.find_project(engine, "Energy price anomaly detection")
    document = export_project(engine, energy.id)
    document["project"]["name"] = "Energy v2"
    others_before = {
        p.id: count_rows(Session(engine), p.id)
        for p in svc.list_projects(engine)
        if p.id != ride.id
    }
    with pytest.raises(StaleEditError):
        import_project(
            engine,
            json.dumps(document),
            actor="Bo",
            replace_project_id=ride.id,
            expected_version=ride.version - 1,
        )

    done = import_project(
        engine,
        json.dumps(document),
        actor="Bo",
        replace_project_id=ride.id,
        expected_version=ride.version,
    )

    assert done.replaced and done.project.id == ride.id and done.project.name == "Energy v2"
    assert done.project.version == ride.version + 1  # forms opened before are refused as stale
    again = export_project(engine, ride.id)
    again["project"]["name"] = document["project"]["name"]
    document.pop("exported_at")
    assert without_import_entry(again) == document
    with Session(engine) as session:
        assert count_rows(session, ride.id)["interview"] == 0  # nothing of the old content
        for other, counts in others_before.items():
            assert count_rows(session, other) == counts


def test_the_same_file_is_never_applied_twice(engine, other_engine):
    document = small_document(engine)
    raw = json.dumps(document)
    first = import_project(other_engine, raw, actor="Bo")
    before = table_counts(other_engine)
    # the same content again: as bytes, re-indented, as a replacement of the imported project
    for again, replace in (
        (raw.encode(), None),
        (json.dumps(document, indent=4), None),
        (raw, first.project.id),
    ):
        with pytest.raises(FileRefused) as refused:
            import_project(
                other_engine, again, actor="Bo", name="Another name", replace_project_id=replace
            )
        assert refused.value.summary.startswith("This file was imported before")
        assert "It became the project 'Fraud alerts'" in refused.value.problems[0]
        assert table_counts(other_engine) == before
    # a new export is another file: it imports
    document["exported_at"] = "2030-01-01T00:00:00+00:00"
    assert import_project(other_engine, json.dumps(document), actor="Bo", name="Again").rows


def mutate(document: dict, change) -> str:
    document = copy.deepcopy(document)
    change(document)
    return json.dumps(document)


HOSTILE = {
    "not JSON": (lambda d: "{not json", "Not JSON"),
    "a JSON list": (lambda d: "[1, 2]", "no JSON object"),
    "another format": (lambda d: mutate(d, lambda x: x.update(format="other")), "not a Scoping"),
    "a newer schema": (
        lambda d: mutate(d, lambda x: x.update(schema_version=SCHEMA_VERSION + 1)),
        "newer workbench",
    ),
    "an unknown part": (lambda d: mutate(d, lambda x: x.update(secrets=[])), "secrets: not a part"),
    "an unknown field": (
        lambda d: mutate(d, lambda x: x["success_criteria"][0].update(id=7)),
        "Success criterion 1, id: not a field",
    ),
    "text too long": (
        lambda d: mutate(d, lambda x: x["project"].update(name="x" * 121)),
        "Project, name: Too long",
    ),
    "a time without zone": (
        lambda d: mutate(d, lambda x: x["activity"][0].update(at="2026-12-01T10:00:00")),
        "Activity log entry 1, at",
    ),
    "a bad phase": (
        lambda d: mutate(d, lambda x: x["project"].update(phase="done")),
        "Project, phase: Choose one of",
    ),
    "a reference out of range": (
        lambda d: mutate(
            d,
            lambda x: x.update(
                experiments=[],
                time_logs=[{"experiment": 3, "day": "2026-12-01", "hours": 1, "who": "A"}],
            ),
        ),
        "Time log 1, experiment: points at experiment number 4, but the file has 0",
    ),
    "a duplicate unique key": (
        lambda d: mutate(
            d,
            lambda x: x.update(
                gate_checks=[
                    {"phase": "planning", "item_key": "k", "checked_by": "A"},
                    {"phase": "planning", "item_key": "k", "checked_by": "B"},
                ]
            ),
        ),
        "Gate check 2: the same phase, item key as gate check 1",
    ),
    "two experiments of one name": (
        lambda d: mutate(
            d,
            lambda x: x.update(
                experiments=[
                    {
                        "approach": name,
                        "start_date": "2026-12-01",
                        "research_days": 3,
                        "prototype_days": 3,
                    }
                    for name in ("Rules", " rules")
                ]
            ),
        ),
        "Experiment 2: the same approach key as experiment 1",
    ),
    "a NUL character": (
        lambda d: mutate(d, lambda x: x["project"].update(problem="a\x00b")),
        "project.problem: contains a NUL character",
    ),
    "nesting too deep": (
        lambda d: (
            f'{{"format": "{FORMAT}", "schema_version": 1, "x": '
            + "[" * 100_000
            + "]" * 100_000
            + "}"
        ),
        "Not JSON a project export can hold: nested too deeply",
    ),
    "an integer too large": (
        lambda d: mutate(d, lambda x: x["success_criteria"][0].update(position=2**40)),
        "Success criterion 1, position",
    ),
    "a number JSON does not allow": (
        lambda d: mutate(d, lambda x: x["project"].update(problem="p"))[:-1] + ', "x": NaN}',
        "NaN is not a number JSON allows",
    ),
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_a_malformed_or_hostile_file_is_refused_with_its_problems_and_nothing_written(
    engine, other_engine, case
):
    document = small_document(engine)
    make, expected = HOSTILE[case]
    raw = make(document)
    before = table_counts(other_engine)
    with pytest.raises(FileRefused) as refused:
        import_project(other_engine, raw, actor="Bo")
    assert refused.value.summary.startswith("The file was refused and nothing was written")
    assert any(expected in problem for problem in refused.value.problems), refused.value.problems
    assert table_counts(other_engine) == before


def test_every_problem_of_a_file_is_listed_at_once(engine):
    document = small_document(engine)
    document["project"]["name"] = ""
    document["success_criteria"][0]["criterion"] = 5
    document["stakeholders"][0]["role"] = "King"
    document["success_criteria"].append({"criterion": "x", "business_metric": "y", "colour": 1})
    with pytest.raises(FileRefused) as refused:
        read_document(json.dumps(document))
    problems = " | ".join(refused.value.problems)
    for expected in (
        "Project, name: Required",
        "Success criterion 1, criterion",
        "Stakeholder 1, role: Choose one of",
        "Success criterion 2, colour: not a field",
    ):
        assert expected in problems
    errors = refused.value.errors  # as the form layer shows them: summary, then the list
    assert errors["file"].endswith("4 problems, listed below.")
    assert [key for key in errors if key != "file"] == ["file[1]", "file[2]", "file[3]", "file[4]"]


def test_a_file_too_large_is_refused_before_it_is_read(engine, monkeypatch):
    monkeypatch.setattr(transfer, "MAX_FILE_BYTES", 1000)
    document = small_document(engine)
    with pytest.raises(FileRefused) as refused:
        read_document(json.dumps(document) + " " * 1000)
    assert "at most" in refused.value.problems[0]


def test_an_import_that_fails_midway_writes_nothing(engine, other_engine, monkeypatch):
    seed_demo_data(engine, today=TODAY)
    raw = export_json(engine, svc.find_project(engine, RIDE).id)
    before = table_counts(other_engine)

    def broken(session, rows):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(transfer, "_free_token_hashes", broken)
    with pytest.raises(RuntimeError):
        import_project(other_engine, raw, actor="Bo")
    assert table_counts(other_engine) == before
