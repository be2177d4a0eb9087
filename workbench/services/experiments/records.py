"""Experiments: add, edit and move a candidate approach, log time on it, and list them with
their time boxes on a given day."""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from workbench import crud
from workbench.domain import timebox
from workbench.domain.experiments import (
    ExperimentStatus,
    duplicate_approach_problems,
    status_move_problems,
)
from workbench.domain.timebox import InvalidExtension
from workbench.errors import InvalidInput, NotFound
from workbench.models import (
    LONG_TEXT_MAX,
    SHORT_TEXT_MAX,
    Experiment,
    Project,
    TimeBoxExtension,
    TimeLog,
    utc_now,
)
from workbench.models.experiments import (
    EXPERIMENT_FIELDS,
    ExperimentCreate,
    ExperimentPublic,
    TimeLogPublic,
)
from workbench.models.inputs import blank_to_none, widget_text
from workbench.services.experiments.common import (
    ExperimentView,
    _box,
    _check_name,
    _commit,
    _extensions,
    _for_edit,
    _label,
    _public,
    _view,
    validate_experiment_input,
)
from workbench.services.inputs import log_value
from workbench.services.projects import check_actor

MAX_HOURS_PER_ENTRY = 24


# --- Experiments --------------------------------------------------------------------------


def create_experiment(
    engine: Engine,
    *,
    project_id: int,
    data: Mapping[str, Any],
    actor: str,
) -> ExperimentPublic:
    """Validate and add a candidate approach with its time box (status proposed), logging it.

    Its name must differ from the project's other experiments' (ignoring case and spaces).
    """
    actor = check_actor(actor)
    experiment_in = validate_experiment_input(data)
    with Session(engine) as session:
        if session.get(Project, project_id) is None:
            raise NotFound(f"There is no project with id {project_id}.")
        experiment = add_experiment(session, project_id=project_id, experiment_in=experiment_in)
        crud.record_activity(
            session,
            project_id=project_id,
            actor=actor,
            action="experiment added",
            summary=_created_summary(experiment),
            changes={
                "experiment_id": experiment.id,
                **{
                    k: log_value(v) for k, v in experiment_in.model_dump().items() if v not in ("",)
                },
            },
        )
        _commit(session, experiment, {})
        return _public(experiment)


def add_experiment(
    session: Session,
    *,
    project_id: int,
    experiment_in: ExperimentCreate,
    parking_lot_item_id: int | None = None,
) -> Experiment:
    """Add a validated experiment in the caller's transaction (flushed, so it has an id).

    Raises InvalidInput when the project already has an experiment of that name.
    """
    _check_name(session, project_id, experiment_in.approach)
    experiment = Experiment(
        project_id=project_id,
        parking_lot_item_id=parking_lot_item_id,
        **experiment_in.model_dump(),
    )
    session.add(experiment)
    try:
        session.flush()
    except IntegrityError:  # the same name added at the same moment
        session.rollback()
        raise InvalidInput(
            duplicate_approach_problems(experiment_in.approach, [experiment_in.approach])
        ) from None
    return experiment


def _created_summary(experiment: Experiment) -> str:
    """The activity-log line for a new experiment: its box and dates."""
    box = _box(experiment.start_date, experiment.research_days, experiment.prototype_days, ())
    return (
        f"Experiment {experiment.approach!r}: {experiment.research_days} research + "
        f"{experiment.prototype_days} prototype working days, "
        f"{timebox.first_day(box).isoformat()} to {timebox.prototype_end(box).isoformat()}."
    )


def update_experiment(
    engine: Engine,
    *,
    experiment_id: int,
    expected_version: int | None,
    data: Mapping[str, Any],
    actor: str,
) -> ExperimentPublic:
    """Save the fields in `data` (those the user changed; the others stay as stored), made on
    version `expected_version` (refused as stale otherwise), logging it.

    Changing the box may not make it end after an extension already agreed.
    """
    actor = check_actor(actor)
    changed = {k: v for k, v in data.items() if k in EXPERIMENT_FIELDS}
    with Session(engine) as session:
        experiment = _for_edit(session, experiment_id, expected_version, changed)
        stored = {field: getattr(experiment, field) for field in EXPERIMENT_FIELDS}
        new = validate_experiment_input({**stored, **changed}).model_dump()
        diff = {
            key: [log_value(stored[key]), log_value(value)]
            for key, value in new.items()
            if stored[key] != value
        }
        if not diff:
            return _public(experiment)
        if "approach" in diff:
            _check_name(session, experiment.project_id, new["approach"], experiment_id)
        try:
            _box(
                new["start_date"],
                new["research_days"],
                new["prototype_days"],
                _extensions(session, [experiment_id]),
            )
        except InvalidExtension as error:
            raise InvalidInput(
                {
                    "prototype_days": "This box would end after its agreed extension "
                    f"({error}); shorten it or keep the current dates."
                }
            ) from error
        experiment.sqlmodel_update(new)
        experiment.updated_at = utc_now()
        session.add(experiment)
        crud.record_activity(
            session,
            project_id=experiment.project_id,
            actor=actor,
            action="experiment edited",
            summary=f"{_label(experiment).capitalize()}: changed "
            + ", ".join(field.replace("_", " ") for field in diff)
            + ".",
            changes={"experiment_id": experiment_id, **diff},
        )
        _commit(session, experiment, {k: new[k] for k in changed if k in new})
        return _public(experiment)


def set_status(
    engine: Engine,
    *,
    experiment_id: int,
    expected_version: int | None,
    status: ExperimentStatus | str,
    actor: str,
) -> ExperimentPublic:
    """Move an experiment forward (proposed → researching → prototyping), logging it.

    "Decided" is reached only through a decision (``decide`` or the Go/No-Go).
    """
    actor = check_actor(actor)
    try:
        target = ExperimentStatus(status)
    except ValueError as error:
        raise InvalidInput({"status": f"Unknown status {status!r}."}) from error
    mine = {"status": target}
    with Session(engine) as session:
        experiment = _for_edit(session, experiment_id, expected_version, mine)
        current = ExperimentStatus(experiment.status)
        problems = status_move_problems(current, target)
        if problems:
            raise InvalidInput(problems)
        if target is current:
            return _public(experiment)
        experiment.status = target
        experiment.updated_at = utc_now()
        session.add(experiment)
        crud.record_activity(
            session,
            project_id=experiment.project_id,
            actor=actor,
            action="experiment status",
            summary=f"{_label(experiment).capitalize()}: {current.value} → {target.value}.",
            changes={"experiment_id": experiment_id, "status": [current.value, target.value]},
        )
        _commit(session, experiment, mine)
        return _public(experiment)


def log_time(
    engine: Engine,
    *,
    experiment_id: int,
    day: date | None,
    hours: Any,
    actor: str,
    today: date,
    who: str = "",
    note: str = "",
) -> TimeLogPublic:
    """Log hours spent on an experiment on `day` (not in the future), by `who` (default: actor)."""
    actor = check_actor(actor)
    who = widget_text(who) or actor
    note = widget_text(note)
    errors: dict[str, str] = {}
    day = blank_to_none(day)
    if day is None:
        errors["day"] = "Required: the day the time was spent."
    elif day > today:
        errors["day"] = f"{day.isoformat()} is in the future; log time once it is spent."
    try:
        hours_value = float(hours)
    except (TypeError, ValueError):
        errors["hours"] = f"Not a number: {hours!r}."
    else:
        if not math.isfinite(hours_value) or not 0 < hours_value <= MAX_HOURS_PER_ENTRY:
            errors["hours"] = f"Hours must be above 0 and at most {MAX_HOURS_PER_ENTRY}."
    if len(who) > SHORT_TEXT_MAX:
        errors["who"] = f"Too long: at most {SHORT_TEXT_MAX} characters."
    if len(note) > LONG_TEXT_MAX:
        errors["note"] = f"Too long: at most {LONG_TEXT_MAX} characters."
    if errors:
        raise InvalidInput(errors)
    with Session(engine) as session:
        experiment = session.get(Experiment, experiment_id)
        if experiment is None:
            raise NotFound(f"There is no experiment #{experiment_id} here any more.")
        entry = TimeLog(experiment_id=experiment_id, day=day, hours=hours_value, who=who, note=note)
        session.add(entry)
        session.flush()
        crud.record_activity(
            session,
            project_id=experiment.project_id,
            actor=actor,
            action="time logged",
            summary=f"{hours_value:g} h on {_label(experiment)} by {who} on {day.isoformat()}"
            + (f": {note[:200]}" if note else "."),
            changes={"experiment_id": experiment_id, "time_log_id": entry.id, "hours": hours_value},
        )
        session.commit()
        session.refresh(entry)
        return TimeLogPublic.model_validate(entry)


def list_time_logs(engine: Engine, experiment_id: int) -> list[TimeLogPublic]:
    """An experiment's time entries, newest day first."""
    with Session(engine) as session:
        rows = session.exec(
            select(TimeLog)
            .where(TimeLog.experiment_id == experiment_id)
            .order_by(col(TimeLog.day).desc(), col(TimeLog.id).desc())
        ).all()
        return [TimeLogPublic.model_validate(row) for row in rows]


def list_experiments(engine: Engine, project_id: int, today: date) -> list[ExperimentView]:
    """A project's experiments with their time boxes on `today`, oldest first (three queries)."""
    with Session(engine) as session:
        experiments = list(
            session.exec(
                select(Experiment)
                .where(Experiment.project_id == project_id)
                .order_by(col(Experiment.start_date), col(Experiment.id))
            ).all()
        )
        ids = [e.id for e in experiments]
        by_experiment: dict[int, list[TimeBoxExtension]] = {i: [] for i in ids}
        for extension in _extensions(session, ids):
            by_experiment[extension.experiment_id].append(extension)
        hours: dict[int, float] = {}
        if ids:
            hours = {
                experiment_id: float(total or 0)
                for experiment_id, total in session.exec(
                    select(TimeLog.experiment_id, func.sum(TimeLog.hours))
                    .where(col(TimeLog.experiment_id).in_(ids))
                    .group_by(TimeLog.experiment_id)
                ).all()
            }
        return [_view(e, by_experiment[e.id], hours.get(e.id, 0.0), today) for e in experiments]
