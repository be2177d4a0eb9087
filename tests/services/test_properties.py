"""Property tests (hypothesis) over the create and update services and the importer, on SQLite
and PostgreSQL: whatever a user types or a file holds — any Unicode, NUL and other control
characters, 100 kB strings, NaN, ±infinity, negatives, 1e308, 2**63, dates in years 1 and 9999 —
is either stored and read back equal (and every later read of the project still works), or
refused with InvalidInput and a sentence per field. Any other exception fails the test.

Examples are few and derandomised (CI runs the same ones every time); `max_examples` bounds the
runtime (about a minute for the whole file on both backends)."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any, TypeVar

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.dates import TODAY
from workbench import storable
from workbench.errors import InvalidInput
from workbench.models import NoteKind
from workbench.services import demos as demo_service
from workbench.services import estimates as estimate_service
from workbench.services import experiments as experiment_service
from workbench.services import interviews as interview_service
from workbench.services import parking_lot as parking_lot_service
from workbench.services import projects as project_service
from workbench.services import registers, transfer
from workbench.services.report import build_report

T = TypeVar("T")
NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)

PROPERTIES = settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,  # one database per test, shared by its examples
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)

HOSTILE_TEXTS = [
    "",
    "   ",
    "\x00",
    "a\x00b",
    "\x1b[2J\x07",
    "\x7f\x85\x9f",
    "half \ud800 pair",
    "tab\there, line\r\nbreak",
    "ünïcødé 漢字 🙂 ‮reversed",
    "x" * 100_000,
]
TEXT = st.one_of(
    st.text(max_size=30),
    st.text(st.characters(max_codepoint=0xA0), max_size=8),  # control characters often
    st.sampled_from(HOSTILE_TEXTS),
)
NUMBER = st.one_of(
    st.floats(),  # NaN and ±infinity included
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from(
        [math.nan, math.inf, -math.inf, 1e308, -1e308, 5e-324, -1, 0, 3, 2**31, 2**63, -(2**63) - 1]
    ),
)
DATE = st.one_of(
    st.dates(),
    st.sampled_from(
        [date(1, 1, 1), date(9999, 12, 31), storable.STORED_DATE_MIN, storable.STORED_DATE_MAX]
    ),
)
ANYTHING = st.one_of(TEXT, NUMBER, DATE, st.none())


def stored_or_refused(action: Callable[[], T]) -> T | None:
    """The action's result, or None when it was refused with InvalidInput and a sentence per
    field; any other exception propagates and fails the test."""
    try:
        return action()
    except InvalidInput as error:
        assert error.errors, "a refusal names at least one field"
        for message in error.errors.values():
            assert isinstance(message, str) and message.strip()
            assert "Traceback" not in message and "[SQL:" not in message
        return None


def typed(value: Any) -> Any:
    """What a field holds after the service stripped it (text only)."""
    return value.strip() if isinstance(value, str) else value


def reads_still_work(engine, project_id: int) -> None:
    """Every read of the project still works after whatever was stored."""
    project_service.get_project(engine, project_id)
    demo_service.demo_plan(engine, project_id, today=TODAY)
    experiment_service.list_experiments(engine, project_id, TODAY)
    parking_lot_service.list_items(engine, project_id, TODAY)
    build_report(engine, project_id, today=TODAY)


@pytest.fixture
def project(engine):
    return project_service.create_project(
        engine, data={"name": "Property project"}, actor="Ann", today=TODAY
    )


CHARTER_TEXT = ["problem", "why_now", "baseline", "sponsor", "owner", "minimum_useful_performance"]


@PROPERTIES
@given(
    name=TEXT,
    texts=st.fixed_dictionaries({field: TEXT for field in CHARTER_TEXT}),
    delivery=st.one_of(DATE, ANYTHING),
    update=st.fixed_dictionaries({}, optional={"problem": ANYTHING, "owner": TEXT}),
)
def test_charter_create_and_update(engine, name, texts, delivery, update):
    data = {"name": name, **texts, "target_delivery_date": delivery}
    created = stored_or_refused(
        lambda: project_service.create_project(engine, data=data, actor="Ann", today=TODAY)
    )
    if created is None:
        return
    stored = project_service.get_project(engine, created.id).project
    for field in CHARTER_TEXT:
        assert getattr(stored, field) == typed(texts[field])
    assert stored.target_delivery_date == created.target_delivery_date
    updated = stored_or_refused(
        lambda: project_service.update_project(
            engine,
            project_id=created.id,
            expected_version=stored.version,
            data=update,
            actor="Ann",
            today=TODAY,
        )
    )
    after = project_service.get_project(engine, created.id).project
    if updated is not None:
        for field in update:
            assert getattr(after, field) == getattr(updated, field)
    reads_still_work(engine, created.id)


@PROPERTIES
@given(
    texts=st.fixed_dictionaries(
        {field: TEXT for field in ["title", "description", "category", "owner", "mitigation"]}
    ),
    likelihood=st.one_of(NUMBER, ANYTHING),
    impact=NUMBER,
)
def test_risk_create(engine, project, texts, likelihood, impact):
    data = {**texts, "likelihood": likelihood, "impact": impact}
    risk = stored_or_refused(
        lambda: registers.create_risk(engine, project_id=project.id, data=data, actor="Ann")
    )
    if risk is not None:
        stored = next(r for r in registers.list_risks(engine, project.id) if r.id == risk.id)
        assert stored.description == typed(texts["description"])
        assert (stored.likelihood, stored.impact) == (risk.likelihood, risk.impact)
    reads_still_work(engine, project.id)


@PROPERTIES
@given(kind=st.sampled_from([k.value for k in NoteKind]), text=TEXT, label=TEXT)
def test_note_create(engine, project, kind, text, label):
    data = {"kind": kind, "text": text, "source_label": label}
    note = stored_or_refused(
        lambda: registers.create_note(engine, project_id=project.id, data=data, actor="Ann")
    )
    if note is not None:
        stored = next(n for n in registers.list_notes(engine, project.id) if n.id == note.id)
        assert stored.text == typed(text)
    reads_still_work(engine, project.id)


@PROPERTIES
@given(
    texts=st.fixed_dictionaries({field: TEXT for field in ["idea", "raised_by", "why_deferred"]}),
    revisit_on=st.one_of(DATE, ANYTHING),
    value=st.one_of(st.sampled_from(["low", "medium", "high"]), TEXT),
)
def test_parking_lot_add(engine, project, texts, revisit_on, value):
    data = {**texts, "revisit_on": revisit_on, "value": value}
    item = stored_or_refused(
        lambda: parking_lot_service.add_item(engine, project_id=project.id, data=data, actor="Ann")
    )
    if item is not None:
        stored = next(i for i in registers.list_parking_lot(engine, project.id) if i.id == item.id)
        assert stored.idea == typed(texts["idea"])
        assert stored.revisit_on == item.revisit_on
    reads_still_work(engine, project.id)


@PROPERTIES
@given(
    texts=st.fixed_dictionaries(
        {field: TEXT for field in ["approach", "hypothesis", "owner", "success_criterion"]}
    ),
    start=DATE,
    research_days=NUMBER,
    prototype_days=st.one_of(NUMBER, ANYTHING),
    hours=NUMBER,
    day=DATE,
    note=TEXT,
)
def test_experiment_create_and_log_time(
    engine, project, texts, start, research_days, prototype_days, hours, day, note
):
    data = {
        **texts,
        "start_date": start,
        "research_days": research_days,
        "prototype_days": prototype_days,
    }
    experiment = stored_or_refused(
        lambda: experiment_service.create_experiment(
            engine, project_id=project.id, data=data, actor="Ann"
        )
    )
    if experiment is not None:
        assert experiment.hypothesis == typed(texts["hypothesis"])
        stored_or_refused(
            lambda: experiment_service.log_time(
                engine,
                experiment_id=experiment.id,
                day=day,
                hours=hours,
                actor="Ann",
                today=TODAY,
                note=note,
            )
        )
    reads_still_work(engine, project.id)


@PROPERTIES
@given(
    name=TEXT,
    description=TEXT,
    estimate_days=st.one_of(NUMBER, ANYTHING),
    plan=st.fixed_dictionaries(
        {
            "start_date": DATE,
            "model_testing_days": NUMBER,
            "max_undemoed_days": NUMBER,
            "holidays": st.one_of(TEXT, st.lists(DATE, max_size=3)),
            "light_audience": TEXT,
        }
    ),
)
def test_features_and_demo_plan_settings(engine, project, name, description, estimate_days, plan):
    feature = stored_or_refused(
        lambda: demo_service.create_feature(
            engine,
            project_id=project.id,
            data={"name": name, "description": description, "estimate_days": estimate_days},
            actor="Ann",
        )
    )
    if feature is not None:
        assert feature.description == typed(description)
    current = demo_service.demo_plan(engine, project.id, today=TODAY).settings
    saved = stored_or_refused(
        lambda: demo_service.save_plan_settings(
            engine,
            project_id=project.id,
            expected_version=None if current is None else current.version,
            data=plan,
            actor="Ann",
        )
    )
    if saved is not None:
        stored = demo_service.demo_plan(engine, project.id, today=TODAY).settings
        assert stored.start_date == saved.start_date
        assert stored.light_audience == typed(plan["light_audience"])
    reads_still_work(engine, project.id)


@PROPERTIES
@given(
    texts=st.fixed_dictionaries({field: TEXT for field in ["title", "shown", "decisions"]}),
    held_on=DATE,
    feedback=TEXT,
)
def test_demo_record(engine, project, texts, held_on, feedback):
    data = {**texts, "held_on": held_on, "demo_type": "light"}
    stored_or_refused(
        lambda: demo_service.record_demo(
            engine,
            project_id=project.id,
            data=data,
            feedback=[{"attendee": "Sam", "feedback": feedback}],
            actor="Ann",
            today=TODAY,
        )
    )
    reads_still_work(engine, project.id)


COST, VALUE = (inputs.to_dict() for inputs in estimate_service.starter_inputs())


@PROPERTIES
@given(
    name=TEXT,
    notes=TEXT,
    cost_field=st.sampled_from(sorted(k for k, v in COST.items() if not isinstance(v, list))),
    value_field=st.sampled_from(sorted(VALUE)),
    number=NUMBER,
    other=ANYTHING,
)
def test_scenario_save(engine, project, name, notes, cost_field, value_field, number, other):
    scenario = stored_or_refused(
        lambda: estimate_service.save_scenario(
            engine,
            project_id=project.id,
            name=name,
            notes=notes,
            cost_inputs={**COST, cost_field: number},
            value_inputs={**VALUE, value_field: other},
            actor="Ann",
            draws=200,
        )
    )
    if scenario is not None:
        assert estimate_service.get_scenario(engine, scenario.id).notes == typed(notes)
    reads_still_work(engine, project.id)


@PROPERTIES
@given(
    expert=st.fixed_dictionaries({"expert_name": TEXT, "expert_role": TEXT, "expert_team": TEXT}),
    extra=st.lists(TEXT, max_size=2),
    answer=ANYTHING,
)
def test_interview_and_answers(engine, project, expert, extra, answer):
    link = stored_or_refused(
        lambda: interview_service.create_interview(
            engine,
            project_id=project.id,
            template_id="sme_default",
            actor="Ann",
            now=NOW,
            extra_questions=extra,
            **expert,
        )
    )
    if link is None:
        return
    form = stored_or_refused(
        lambda: interview_service.save_draft(engine, link.token, {"decisions": answer}, NOW)
    )
    if form is not None:
        reopened = interview_service.open_interview_by_token(engine, link.token, NOW)
        assert reopened.answers.get("decisions", "") == typed(answer or "")
    reads_still_work(engine, project.id)


def test_a_custom_question_with_half_a_surrogate_pair_is_refused(engine, project):
    stored_or_refused(
        lambda: interview_service.create_interview(
            engine,
            project_id=project.id,
            expert_name="Dana",
            template_id="sme_default",
            actor="Ann",
            now=NOW,
            extra_questions=["half \ud800 pair"],
        )
    )


@pytest.fixture
def exported(engine, project):
    project_service.update_project(
        engine,
        project_id=project.id,
        expected_version=project.version,
        data={"problem": "Late trucks", "target_delivery_date": date(2027, 3, 1)},
        actor="Ann",
        today=TODAY,
    )
    registers.create_risk(engine, project_id=project.id, data={"title": "No labels"}, actor="Ann")
    experiment_service.create_experiment(
        engine,
        project_id=project.id,
        data={
            "approach": "Rules",
            "success_criterion": "Beats the baseline",
            "start_date": TODAY,
            "research_days": 2,
            "prototype_days": 2,
        },
        actor="Ann",
    )
    return json.loads(transfer.export_json(engine, project.id))


def _places(document: Any, path: tuple = ()) -> list[tuple]:
    """The path of every scalar in the exported document."""
    if isinstance(document, dict):
        return [p for key, value in document.items() for p in _places(value, (*path, key))]
    if isinstance(document, list):
        return [p for index, value in enumerate(document) for p in _places(value, (*path, index))]
    return [path]


def _replace(document: Any, path: tuple, value: Any) -> Any:
    if not path:
        return value
    head, *rest = path
    copy = list(document) if isinstance(document, list) else dict(document)
    copy[head] = _replace(document[head], tuple(rest), value)
    return copy


@PROPERTIES
@given(data=st.data())
def test_import_of_a_changed_export(engine, exported, data):
    path = data.draw(st.sampled_from(_places(exported)), label="path")
    value = data.draw(ANYTHING, label="value")
    changed = _replace(exported, path, value.isoformat() if isinstance(value, date) else value)
    # json.dumps writes NaN and Infinity, which json.loads reads back: a hostile file may hold them
    raw = json.dumps(changed)
    done = stored_or_refused(
        lambda: transfer.import_project(engine, raw, actor="Ann", name=f"Imported {path}"[:100])
    )
    if done is not None:
        reads_still_work(engine, done.project.id)
