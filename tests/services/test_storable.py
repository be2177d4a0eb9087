"""Values that cannot be stored or read back are refused before they are written, on SQLite and
PostgreSQL alike, with InvalidInput and a sentence (workbench/storable.py): NUL and other control
characters, NaN and ±infinity, whole numbers a column cannot hold, dates the domain cannot
compute with. Each test below failed before the guard: a raw DataError or OverflowError on
PostgreSQL, a silently different value (or a later OverflowError on every read) on SQLite."""

import json
import math
from datetime import UTC, date, datetime

import pytest
from pydantic import ValidationError, create_model
from sqlmodel import Session, select

from tests.dates import TODAY
from workbench import crud, storable
from workbench.errors import InvalidInput, field_errors
from workbench.models import ActivityEntry, Feature, Project
from workbench.services import demos as demo_service
from workbench.services import interviews as interview_service
from workbench.services import projects as project_service
from workbench.services import registers, transfer

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


@pytest.fixture
def project(engine):
    return project_service.create_project(
        engine, data={"name": "Dispatch delays"}, actor="Ann", today=TODAY
    )


def project_names(engine):
    with Session(engine) as session:
        return sorted(session.exec(select(Project.name)).all())


# --- the checks themselves --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("plain text, tabs\tand\r\nnew lines", None, id="allowed-whitespace"),
        pytest.param("ünïcødé ✓ 漢字 🙂", None, id="unicode"),
        pytest.param("a\x00b", "control character (NUL)", id="nul"),
        pytest.param("esc\x1b[31m", "control character (U+001B", id="escape"),
        pytest.param("del\x7f", "control character (U+007F", id="delete"),
        pytest.param("c1\x85", "control character (U+0085", id="c1-control"),
        pytest.param("half\ud800pair", "not valid Unicode (U+D800", id="lone-surrogate"),
        pytest.param(1e308, None, id="huge-but-finite"),
        pytest.param(-0.0, None, id="negative-zero"),
        pytest.param(math.nan, "Not a number (NaN)", id="nan"),
        pytest.param(math.inf, "Infinity cannot be stored", id="inf"),
        pytest.param(-math.inf, "Infinity cannot be stored", id="minus-inf"),
        pytest.param(2**63 - 1, None, id="int64-max"),
        pytest.param(-(2**63), None, id="int64-min"),
        pytest.param(2**63, "out of range", id="int64-max-plus-1"),
        pytest.param(storable.STORED_DATE_MIN, None, id="first-date"),
        pytest.param(storable.STORED_DATE_MAX, None, id="last-date"),
        pytest.param(date(9999, 12, 31), "Dates must lie between 1900-01-01", id="year-9999"),
        pytest.param(date(1, 1, 1), "(this is 0001-01-01)", id="year-1"),
        pytest.param({"hours": [1, {"deep": math.inf}]}, "Infinity", id="json-deep"),
        pytest.param({"bad\x00key": 1}, "(NUL)", id="json-key"),
        pytest.param(True, None, id="bool"),
    ],
)
def test_what_can_be_stored(value, expected):
    found = storable.problem(value)
    if expected is None:
        assert found is None
    else:
        assert found is not None and expected in found


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        (storable.StorableText, "a\x00b"),
        (storable.StorableNumber, math.inf),
        (storable.StorableInt, 2**63),
        (storable.StorableDate, date(9999, 12, 31)),
    ],
    ids=["text", "number", "int", "date"],
)
def test_the_pydantic_types_refuse_with_the_same_sentence(kind, value):
    model = create_model("Input", field=(kind, ...))
    with pytest.raises(ValidationError) as refused:
        model(field=value)
    assert field_errors(refused.value) == {"field": storable.problem(value)}


def test_check_names_each_field_that_cannot_be_stored():
    assert storable.check({"name": "ok", "note": "x\x00", "hours": math.nan}) == {
        "note": storable.text_problem("x\x00"),
        "hours": "Not a number (NaN) cannot be stored: enter a finite number.",
    }


# --- NUL and other control characters ---------------------------------------------------------


def test_nul_in_a_charter_field_is_refused_and_nothing_is_stored(engine):
    with pytest.raises(InvalidInput) as refused:
        project_service.create_project(
            engine, data={"name": "Fraud", "problem": "cards\x00"}, actor="Ann", today=TODAY
        )
    assert refused.value.errors == {
        "problem": "This text contains a control character (NUL) that cannot be stored; remove it."
    }
    assert project_names(engine) == []


def test_nul_in_a_name_is_refused_even_when_a_lookup_comes_first(engine):
    # create_project looks the name up before it inserts: PostgreSQL refused the lookup itself.
    with pytest.raises(InvalidInput) as refused:
        project_service.create_project(engine, data={"name": "Fr\x00aud"}, actor="Ann", today=TODAY)
    assert "(NUL)" in refused.value.errors["name"]
    assert project_names(engine) == []


def test_nul_in_an_update_is_refused_and_the_record_keeps_its_values(engine, project):
    with pytest.raises(InvalidInput) as refused:
        project_service.update_project(
            engine,
            project_id=project.id,
            expected_version=project.version,
            data={"sponsor": "Rita\x00"},
            actor="Ann",
            today=TODAY,
        )
    assert list(refused.value.errors) == ["sponsor"]
    assert project_service.get_project(engine, project.id).project.sponsor == ""


@pytest.mark.parametrize("character", ["\x01", "\x1b", "\x7f", "\x9f"])
def test_other_control_characters_in_a_risk_are_refused(engine, project, character):
    with pytest.raises(InvalidInput) as refused:
        registers.create_risk(
            engine, project_id=project.id, data={"title": f"Late{character}data"}, actor="Ann"
        )
    assert list(refused.value.errors) == ["title"]
    assert "cannot be stored" in refused.value.errors["title"]
    assert registers.list_risks(engine, project.id) == []


def test_tabs_and_new_lines_are_kept(engine, project):
    description = "first line\r\nsecond\tcolumn\nthird"
    risk = registers.create_risk(
        engine,
        project_id=project.id,
        data={"title": "Late data", "description": description},
        actor="Ann",
    )
    assert (
        registers.list_risks(engine, project.id)[0].description == description == (risk.description)
    )


def test_an_experts_answer_with_nul_is_refused_under_its_question(engine, project):
    link = interview_service.create_interview(
        engine,
        project_id=project.id,
        expert_name="Dana",
        template_id="sme_default",
        actor="Ann",
        now=NOW,
    )
    with pytest.raises(InvalidInput) as refused:
        interview_service.save_draft(
            engine, link.token, {"decisions": "Which truck\x00 goes first"}, NOW
        )
    # keyed by the question, so the expert's form shows the sentence under that question
    assert refused.value.errors == {
        "decisions": "This text contains a control character (NUL) that cannot be stored; "
        "remove it."
    }
    form = interview_service.open_interview_by_token(engine, link.token, NOW)
    assert form.answers == {}
    saved = interview_service.save_draft(engine, link.token, {"decisions": "Which truck"}, NOW)
    assert saved.answers == {"decisions": "Which truck"}


# --- NaN and infinities -----------------------------------------------------------------------


@pytest.mark.parametrize("number", [math.inf, -math.inf, math.nan], ids=["inf", "-inf", "nan"])
def test_a_non_finite_number_in_the_activity_log_is_refused(engine, project, number):
    with Session(engine) as session:
        crud.record_activity(
            session,
            project_id=project.id,
            actor="Ann",
            action="time logged",
            summary="Ann logged time.",
            changes={"hours": [1.5, number]},
        )
        with pytest.raises(InvalidInput) as refused:
            session.commit()
    assert list(refused.value.errors) == ["hours"]
    assert "finite number" in refused.value.errors["hours"]
    with Session(engine) as session:
        actions = session.exec(select(ActivityEntry.action)).all()
    assert "time logged" not in actions


# --- whole numbers ----------------------------------------------------------------------------


def test_an_id_beyond_64_bits_is_refused_not_a_driver_overflow(engine, project):
    with pytest.raises(InvalidInput) as refused:
        project_service.find_project(engine, str(2**63))
    assert "out of range" in next(iter(refused.value.errors.values()))


@pytest.mark.parametrize("days", [2**31, -(2**31) - 1, 2**63, 2**80])
def test_a_whole_number_an_integer_column_cannot_hold_is_refused(engine, project, days):
    # SQLite stored 2**31 and PostgreSQL refused it (32-bit integer); beyond 2**63 both raised
    with Session(engine) as session:
        session.add(Feature(project_id=project.id, name="Routing", estimate_days=days))
        with pytest.raises(InvalidInput) as refused:
            session.commit()
    assert list(refused.value.errors) == ["estimate_days"]
    assert "2,147,483,647" in refused.value.errors["estimate_days"]


# --- dates --------------------------------------------------------------------------------------


@pytest.mark.parametrize("start", [date(9999, 12, 31), date(1, 1, 1), date(1899, 12, 31)])
def test_a_demo_plan_start_the_domain_cannot_compute_with_is_refused(engine, project, start):
    with pytest.raises(InvalidInput) as refused:
        demo_service.save_plan_settings(
            engine,
            project_id=project.id,
            expected_version=None,
            data={"start_date": start, "model_testing_days": 5, "max_undemoed_days": 10},
            actor="Ann",
        )
    assert "Dates must lie between 1900-01-01 and 2199-12-31" in refused.value.errors["start_date"]
    # every later read still works (it raised OverflowError forever after such a save)
    assert demo_service.demo_plan(engine, project.id, today=TODAY).settings is None


def test_the_last_storable_date_is_accepted_and_the_plan_still_reads(engine, project):
    demo_service.create_feature(
        engine, project_id=project.id, data={"name": "Routing", "estimate_days": 20}, actor="Ann"
    )
    demo_service.save_plan_settings(
        engine,
        project_id=project.id,
        expected_version=None,
        data={
            "start_date": storable.STORED_DATE_MAX,
            "model_testing_days": 5,
            "max_undemoed_days": 10,
        },
        actor="Ann",
    )
    plan = demo_service.demo_plan(engine, project.id, today=TODAY)
    assert plan.settings.start_date == storable.STORED_DATE_MAX


# --- bounds a table model declares ---------------------------------------------------------------


def test_an_imported_risk_outside_its_declared_scale_is_refused(engine, project):
    # The importer accepted impact 69 (its integer range overrode the model's 1–5), and then
    # every read of the project's risks raised a ValidationError. Now the file check lists it
    # with the file's other problems, before anything is written.
    registers.create_risk(engine, project_id=project.id, data={"title": "No labels"}, actor="Ann")
    document = json.loads(transfer.export_json(engine, project.id))
    document["risks"][0]["impact"] = 69
    with pytest.raises(InvalidInput) as refused:
        transfer.import_project(engine, json.dumps(document), actor="Ann", name="Imported")
    assert refused.value.errors == {
        "file": "The file was refused and nothing was written: 1 problem, listed below.",
        "file[1]": "Risk 1, impact: Input should be less than or equal to 5",
    }
    assert project_names(engine) == ["Dispatch delays"]


def test_a_text_longer_than_its_column_is_refused_on_both_backends(engine, project):
    # PostgreSQL refused it with a raw DataError (varchar(120)); SQLite stored it
    with Session(engine) as session:
        session.add(Feature(project_id=project.id, name="n" * 201))
        with pytest.raises(InvalidInput) as refused:
            session.commit()
    assert refused.value.errors == {"name": "Too long: at most 200 characters (this has 201)."}
