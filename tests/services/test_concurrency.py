"""Many writers at once, through the service layer, on a SQLite file and on PostgreSQL.

20 threads (sharing one engine, as the app's sessions do) and 20 forked processes (each with its
own engine, as several app servers have) edit the same two projects, their experiments and their
parked ideas for a fixed number of rounds. Each edit is a read-modify-write that appends the
writer's token for the round to a text field and saves it with the version it read. Every
accepted change must be in the final text, every refused one refused as stale and absent from
it, no other error; the activity log holds exactly one entry per accepted change. In the first
round every writer reads before anyone writes, so exactly one writer per record wins it.

Then the races that the unique indexes of migration 0005 close: 20 writers create a project of
one name or add a feature of one name (in different cases and spacing), or record the same demo —
one is stored, the others are refused in the same sentence a lone duplicate gets; 20 first saves
of a project's demo plan settings — one is stored, the others are refused as stale. And those
of migration 0007: 20 writers save a scenario of one name (one stored, the others refused in the
sentence of the check), 20 first saves of one rater's answers (one stored, the others stale).

`pytest -s` prints the counts.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import text
from sqlmodel import Session, select

from tests.dates import TODAY
from workbench.db import make_engine
from workbench.domain.estimates import CostModelInputs, ValueModelInputs
from workbench.errors import CONCURRENT_WRITE_ERRORS, InvalidInput, StaleEditError
from workbench.models import (
    ActivityEntry,
    AssessmentRating,
    Demo,
    DemoPlanSettings,
    Feature,
    Scenario,
)
from workbench.reference.questions import load_question_bank
from workbench.services import assessment as assessment_service
from workbench.services import demos as demo_service
from workbench.services import estimates as estimate_service
from workbench.services import experiments as experiment_service
from workbench.services import parking_lot as parking_service
from workbench.services import projects as project_service

THREADS = 20
PROCESSES = 20
ROUNDS = 3
KINDS = ("project", "experiment", "parked idea")
WAIT_SECONDS = 120  # a barrier that waits this long means a writer hung: fail, do not hang

REFUSED_AS_STALE = (StaleEditError, *CONCURRENT_WRITE_ERRORS)

_barrier: Any = None
_engines: dict[str, Any] = {}
_engines_lock = threading.Lock()


def _set_barrier(barrier: Any) -> None:
    global _barrier
    _barrier = barrier


def _engine(url: str) -> Any:
    """One engine per process and URL (the threads share the parent's)."""
    with _engines_lock:
        if url not in _engines:
            _engines[url] = make_engine(url)
        engine = _engines[url]
    with engine.connect() as connection:  # connect before the barrier, not in the race
        connection.execute(text("SELECT 1"))
    return engine


def _outcome(call: Callable[[], Any]) -> tuple[str, str]:
    """("accepted" | "stale" | "refused" | "error", detail) of one service call."""
    try:
        call()
    except REFUSED_AS_STALE as error:
        return "stale", type(error).__name__
    except InvalidInput as error:
        return "refused", repr(error.errors)
    except Exception as error:  # any other error is what the test looks for
        return "error", f"{type(error).__name__}: {error}"
    return "accepted", ""


def run_everywhere(url: str, worker: Callable[..., Any], jobs: Sequence[tuple]) -> list[Any]:
    """Run `worker(url, *job)` for every job, half in threads of this process and half in
    forked processes, all started together behind one barrier; results in job order."""
    half = len(jobs) // 2
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(len(jobs), timeout=WAIT_SECONDS)
    _set_barrier(barrier)
    with (
        ProcessPoolExecutor(
            len(jobs) - half, mp_context=context, initializer=_set_barrier, initargs=(barrier,)
        ) as processes,
        ThreadPoolExecutor(half) as threads,
    ):
        in_processes = [processes.submit(worker, url, *job) for job in jobs[half:]]
        in_threads = [threads.submit(worker, url, *job) for job in jobs[:half]]
        try:
            return [future.result() for future in [*in_threads, *in_processes]]
        finally:
            for engine in _engines.values():
                engine.dispose()
            _engines.clear()


# --- read-modify-write of projects, experiments and parked ideas ------------------------------


Record = tuple[str, int, int, str, int]  # kind, project id, record id, text, version


def _read(engine: Any, project_id: int, kinds: Sequence[str] = KINDS) -> list[Record]:
    """A project's edited records of `kinds`, as the pages read them."""
    records = []
    if "project" in kinds:
        project = project_service.get_project(engine, project_id).project
        records.append(("project", project_id, project_id, project.why_now, project.version))
    if "experiment" in kinds:
        for view in experiment_service.list_experiments(engine, project_id, TODAY):
            experiment = view.experiment
            records.append(
                ("experiment", project_id, experiment.id, experiment.hypothesis, experiment.version)
            )
    if "parked idea" in kinds:
        for row in parking_service.list_items(engine, project_id, TODAY):
            records.append(
                ("parked idea", project_id, row.item.id, row.item.why_deferred, row.item.version)
            )
    return records


def _records(engine: Any, project_ids: Sequence[int]) -> list[Record]:
    return [record for project_id in project_ids for record in _read(engine, project_id)]


def _fresh(engine: Any, record: Record) -> Record:
    """`record` read again just before the write (its text and version as of now)."""
    return next(r for r in _read(engine, record[1], [record[0]]) if r[:3] == record[:3])


def _append(engine: Any, record: Record, token: str) -> Callable[[], Any]:
    """The save of `record` with `token` appended to its text, at the version read."""
    kind, project_id, record_id, seen_text, version = record
    new_text = f"{seen_text} {token}"
    actor = "Writer"
    if kind == "project":
        return lambda: project_service.update_project(
            engine,
            project_id=project_id,
            expected_version=version,
            data={"why_now": new_text},
            actor=actor,
            today=TODAY,
        )
    if kind == "experiment":
        return lambda: experiment_service.update_experiment(
            engine,
            experiment_id=record_id,
            expected_version=version,
            data={"hypothesis": new_text},
            actor=actor,
        )
    return lambda: parking_service.update_items(
        engine,
        project_id=project_id,
        edits=[{"id": record_id, "version": version, "why_deferred": new_text}],
        actor=actor,
    )


def edit_for_rounds(url: str, writer: str, project_ids: Sequence[int]) -> list[tuple]:
    """One writer's rounds: [(round, kind, record id, token, outcome, detail)]."""
    engine = _engine(url)
    results = []
    for number in range(ROUNDS):
        token = f"{writer}r{number}"
        _barrier.wait()
        if number == 0:  # everyone reads, then everyone writes: one winner per record
            seen = _records(engine, project_ids)
            _barrier.wait()
            calls = [(r, _append(engine, r, token)) for r in seen]
        else:  # read-modify-write one record at a time, as fast as each writer goes
            calls = [
                (r, lambda r=r, t=token: _append(engine, _fresh(engine, r), t)()) for r in seen
            ]
        for record, call in calls:
            outcome, detail = _outcome(call)
            results.append((number, record[0], record[2], token, outcome, detail))
    return results


def test_threads_and_processes_editing_the_same_records(database_url, engine):
    project_ids = []
    for name in ("Ride-time anomalies", "Invoice matching"):
        project = project_service.create_project(
            engine, data={"name": name, "why_now": "Start."}, actor="Ann", today=TODAY
        )
        project_ids.append(project.id)
        experiment_service.create_experiment(
            engine,
            project_id=project.id,
            data={
                "approach": "Isolation forest",
                "hypothesis": "Start.",
                "success_criterion": "Beats the rule",
                "start_date": TODAY - timedelta(days=7),
                "research_days": 2,
                "prototype_days": 2,
            },
            actor="Ann",
        )
        parking_service.add_item(
            engine,
            project_id=project.id,
            data={"idea": "Weather data", "why_deferred": "Start."},
            actor="Ann",
        )
    jobs = [(f"t{n:02d}", project_ids) for n in range(THREADS)]
    jobs += [(f"p{n:02d}", project_ids) for n in range(PROCESSES)]
    results = [row for rows in run_everywhere(database_url, edit_for_rounds, jobs) for row in rows]

    counts = Counter((kind, outcome) for _, kind, _, _, outcome, _ in results)
    print(f"\n[{engine.dialect.name}] {len(jobs)} writers x {ROUNDS} rounds:", dict(counts))
    errors = [row for row in results if row[4] not in ("accepted", "stale")]
    assert errors == []
    assert len(results) == len(jobs) * ROUNDS * 6
    final = {(r[0], r[2]): r[3] for r in _records(engine, project_ids)}
    with Session(engine) as session:
        log = session.exec(select(ActivityEntry).where(ActivityEntry.actor == "Writer")).all()
    logged: Counter = Counter()
    for entry in log:
        kind, record_id, field = {
            "charter edited": ("project", entry.project_id, "why_now"),
            "experiment edited": ("experiment", entry.changes.get("experiment_id"), "hypothesis"),
            "parking lot edited": (
                "parked idea",
                entry.changes.get("parking_lot_item_id"),
                "why_deferred",
            ),
        }[entry.action]
        logged[(kind, record_id, entry.changes[field][1].rsplit(" ", 1)[-1])] += 1
    for (kind, record_id), stored_text in final.items():
        accepted = {r[3] for r in results if r[1:3] == (kind, record_id) and r[4] == "accepted"}
        refused = {r[3] for r in results if r[1:3] == (kind, record_id) and r[4] == "stale"}
        tokens = stored_text.split()[1:]
        assert stored_text.split()[0] == "Start."
        assert sorted(tokens) == sorted(accepted), (kind, record_id)  # each accepted, once
        assert not refused & set(tokens)
        assert len(accepted) + len(refused) == len(jobs) * ROUNDS
        first_round = [r for r in results if r[0] == 0 and r[1:3] == (kind, record_id)]
        assert sum(r[4] == "accepted" for r in first_round) == 1
        for token in accepted:
            assert logged.pop((kind, record_id, token)) == 1  # one log entry per change
    assert not logged  # and none for a refused one


# --- the races the unique indexes close ---------------------------------------------------------

FEATURE_NAMES = ("Upload", "upload", "UPLOAD", " Upload ", "up load")  # the last one differs
DEMO_DAY = TODAY - timedelta(days=1)


def add_feature(url: str, project_id: int, name: str) -> tuple[str, str]:
    engine = _engine(url)
    _barrier.wait()
    return _outcome(
        lambda: demo_service.create_feature(
            engine,
            project_id=project_id,
            data={"name": name, "estimate_days": 3},
            actor="Writer",
        )
    )


def record_demo(url: str, project_id: int, title: str) -> tuple[str, str]:
    engine = _engine(url)
    _barrier.wait()
    return _outcome(
        lambda: demo_service.record_demo(
            engine,
            project_id=project_id,
            data={"title": title, "held_on": DEMO_DAY, "demo_type": "light"},
            feedback=[{"attendee": "Dana", "feedback": "Useful"}],
            actor="Writer",
            today=TODAY,
        )
    )


def first_plan_settings(url: str, project_id: int, days: int) -> tuple[str, str]:
    engine = _engine(url)
    _barrier.wait()
    return _outcome(
        lambda: demo_service.save_plan_settings(
            engine,
            project_id=project_id,
            expected_version=demo_service.NO_SETTINGS_VERSION,
            data={"start_date": TODAY, "model_testing_days": days, "max_undemoed_days": 10},
            actor="Writer",
        )
    )


def _logged(engine: Any, project_id: int, action: str) -> int:
    with Session(engine) as session:
        return len(
            session.exec(
                select(ActivityEntry).where(
                    ActivityEntry.project_id == project_id, ActivityEntry.action == action
                )
            ).all()
        )


def test_twenty_writers_adding_one_feature_name_store_it_once(database_url, engine):
    project = project_service.create_project(
        engine, data={"name": "Ride-time anomalies"}, actor="Ann", today=TODAY
    )
    names = [FEATURE_NAMES[n % 4] for n in range(THREADS)]  # 20 ways of writing one name
    results = run_everywhere(database_url, add_feature, [(project.id, name) for name in names])
    print(f"\n[{engine.dialect.name}] 20 adds of one feature name:", Counter(r[0] for r in results))
    accepted = [
        name for name, (outcome, _) in zip(names, results, strict=True) if outcome == "accepted"
    ]
    assert len(accepted) == 1
    for name, (outcome, detail) in zip(names, results, strict=True):
        if outcome != "accepted":
            sentence = (
                f"A feature called {name.strip()!r} is already in the list; names must differ."
            )
            assert (outcome, detail) == ("refused", repr({"name": sentence}))
    with Session(engine) as session:
        stored = session.exec(select(Feature).where(Feature.project_id == project.id)).all()
    assert [(f.name, f.name_key) for f in stored] == [(accepted[0].strip(), "upload")]
    assert _logged(engine, project.id, "feature added") == 1
    # A name that only looks alike is a different feature.
    demo_service.create_feature(
        engine, project_id=project.id, data={"name": "up load", "estimate_days": 2}, actor="Ann"
    )


def test_twenty_writers_recording_one_demo_store_it_once(database_url, engine):
    project = project_service.create_project(
        engine, data={"name": "Ride-time anomalies"}, actor="Ann", today=TODAY
    )
    titles = ["Sprint demo" if n % 2 else "sprint  DEMO" for n in range(THREADS)]
    results = run_everywhere(database_url, record_demo, [(project.id, t) for t in titles])
    print(f"\n[{engine.dialect.name}] 20 records of one demo:", Counter(r[0] for r in results))
    assert sum(outcome == "accepted" for outcome, _ in results) == 1
    refusals = {detail for outcome, detail in results if outcome != "accepted"}
    assert all(outcome in ("accepted", "refused") for outcome, _ in results)
    assert len(refusals) == 1 and "is already recorded (by Writer)" in refusals.pop()
    with Session(engine) as session:
        stored = session.exec(select(Demo).where(Demo.project_id == project.id)).all()
    assert len(stored) == 1
    assert _logged(engine, project.id, "demo recorded") == 1


def test_twenty_first_saves_of_plan_settings_one_stored_the_rest_stale(database_url, engine):
    project = project_service.create_project(
        engine, data={"name": "Ride-time anomalies"}, actor="Ann", today=TODAY
    )
    days = list(range(1, THREADS + 1))
    results = run_everywhere(database_url, first_plan_settings, [(project.id, d) for d in days])
    print(f"\n[{engine.dialect.name}] 20 first saves of plan settings:", Counter(results))
    winners = [d for d, (outcome, _) in zip(days, results, strict=True) if outcome == "accepted"]
    assert len(winners) == 1
    assert Counter(outcome for outcome, _ in results) == {"accepted": 1, "stale": THREADS - 1}
    assert {detail for outcome, detail in results if outcome == "stale"} == {"StaleEditError"}
    with Session(engine) as session:
        stored = session.get(DemoPlanSettings, project.id)
    assert stored is not None and stored.model_testing_days == winners[0]
    assert _logged(engine, project.id, "demo plan settings saved") == 1


def test_features_passing_names_around_in_one_save_are_not_refused(engine):
    """The index is checked row by row; a save that swaps two names (and moves a third onto a
    freed name) is still one valid change, as it was before the index."""
    project = project_service.create_project(
        engine, data={"name": "Ride-time anomalies"}, actor="Ann", today=TODAY
    )
    a, b, c = (
        demo_service.create_feature(
            engine, project_id=project.id, data={"name": name, "estimate_days": 2}, actor="Ann"
        )
        for name in ("Alerts", "Map", "Export")
    )
    demo_service.save_features(
        engine,
        project_id=project.id,
        updated=[
            {"id": a.id, "version": a.version, "name": "map"},
            {"id": b.id, "version": b.version, "name": "Alerts digest"},
            {"id": c.id, "version": c.version, "name": "ALERTS"},
        ],
        actor="Ann",
    )
    with Session(engine) as session:
        stored = session.exec(select(Feature).where(Feature.project_id == project.id)).all()
    assert sorted((f.id, f.name, f.name_key) for f in stored) == [
        (a.id, "map", "map"),
        (b.id, "Alerts digest", "alerts digest"),
        (c.id, "ALERTS", "alerts"),
    ]
    with pytest.raises(InvalidInput) as refused:
        demo_service.create_feature(
            engine, project_id=project.id, data={"name": " Map ", "estimate_days": 2}, actor="Ann"
        )
    assert refused.value.errors == {
        "name": "A feature called 'Map' is already in the list; names must differ."
    }


def create_project(url: str, name: str) -> tuple[str, str]:
    engine = _engine(url)
    _barrier.wait()
    return _outcome(
        lambda: project_service.create_project(
            engine, data={"name": name}, actor="Writer", today=TODAY
        )
    )


def test_twenty_writers_creating_one_project_name_store_it_once(database_url, engine):
    """Project names were unique only as typed: "Alpha" and "alpha" raced past the check."""
    names = [("Alpha", "alpha", "ALPHA", "Alpha ")[n % 4] for n in range(THREADS)]
    results = run_everywhere(database_url, create_project, [(name,) for name in names])
    print(f"\n[{engine.dialect.name}] 20 creates of one project name:", Counter(results))
    assert [outcome for outcome, _ in results].count("accepted") == 1
    stored = project_service.project_names(engine)
    assert [name.casefold() for name in stored.values()] == ["alpha"]
    sentence = repr({"name": f"A project called {next(iter(stored.values()))!r} already exists."})
    assert {detail for outcome, detail in results if outcome != "accepted"} == {sentence}


# --- the races the unique indexes of migration 0007 close ---------------------------------------

SCENARIO_NAMES = ("Base", "base", " BASE ", "Base  ")


def save_scenario(url: str, project_id: int, name: str) -> tuple[str, str]:
    engine = _engine(url)
    cost, value = CostModelInputs().to_dict(), ValueModelInputs().to_dict()
    _barrier.wait()
    return _outcome(
        lambda: estimate_service.save_scenario(
            engine,
            project_id=project_id,
            name=name,
            cost_inputs=cost,
            value_inputs=value,
            actor="Writer",
            draws=500,
        )
    )


def first_answers(url: str, project_id: int, rater: str) -> tuple[str, str]:
    engine = _engine(url)
    questions = load_question_bank()
    _barrier.wait()
    return _outcome(
        lambda: assessment_service.save_answers(
            engine,
            project_id=project_id,
            rater=rater,
            role="Data scientist",
            answers={},
            expected_version=None,
            questions=questions,
            actor="Writer",
        )
    )


def test_twenty_writers_saving_one_scenario_name_store_it_once(database_url, engine):
    """Scenario names were unique only as typed: "Base" and "base" raced past the check."""
    project = project_service.create_project(
        engine, data={"name": "Ride-time anomalies"}, actor="Ann", today=TODAY
    )
    names = [SCENARIO_NAMES[n % 4] for n in range(THREADS)]
    results = run_everywhere(database_url, save_scenario, [(project.id, name) for name in names])
    print(f"\n[{engine.dialect.name}] 20 saves of one scenario name:", Counter(results))
    accepted = [
        name for name, (outcome, _) in zip(names, results, strict=True) if outcome == "accepted"
    ]
    assert len(accepted) == 1
    with Session(engine) as session:
        stored = session.exec(select(Scenario).where(Scenario.project_id == project.id)).all()
    assert [(s.name, s.name_key) for s in stored] == [(accepted[0].strip(), "base")]
    sentence = (
        f"This project already has a scenario called {stored[0].name!r}: "
        "choose another name, or load it and update it."
    )
    assert {detail for outcome, detail in results if outcome != "accepted"} == {
        repr({"name": sentence})
    }
    assert _logged(engine, project.id, "scenario saved") == 1


def test_twenty_first_saves_of_one_raters_answers_one_stored_the_rest_stale(database_url, engine):
    """Raters were told apart ignoring case only in Python: "Ann Lee" and "ann lee" raced past
    the look-up and stored two rows of answers for one person."""
    project = project_service.create_project(
        engine, data={"name": "Ride-time anomalies"}, actor="Ann", today=TODAY
    )
    raters = [("Ann Lee", "ann lee", " ANN LEE ", "Ann  Lee")[n % 4] for n in range(THREADS)]
    results = run_everywhere(database_url, first_answers, [(project.id, r) for r in raters])
    print(f"\n[{engine.dialect.name}] 20 first saves of one rater:", Counter(results))
    assert Counter(outcome for outcome, _ in results) == {"accepted": 1, "stale": THREADS - 1}
    assert {detail for outcome, detail in results if outcome == "stale"} == {"StaleEditError"}
    with Session(engine) as session:
        stored = session.exec(
            select(AssessmentRating).where(AssessmentRating.project_id == project.id)
        ).all()
    assert [row.rater_key for row in stored] == ["ann lee"]
    assert _logged(engine, project.id, "assessment answered") == 1
