"""Experiments: time-boxed candidate approaches, the decisions their boxes force, the culling
matrix and the Go/No-Go (Wilson, *Machine Learning Engineering in Action*, ch. 3.1.4 and 3.2).

Every change is logged. Edits are version-checked: a stale edit is refused with the newer values.
Time-box rules (burn, warning, due) come from ``workbench.domain.timebox``; today is a parameter.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from urllib.parse import urlparse

from pydantic import ValidationError, field_validator
from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Field, Session, SQLModel, col, select

from workbench import crud
from workbench.charts.experiments import TimelineEntry
from workbench.domain import timebox
from workbench.domain.decision_matrix import (
    DEFAULT_WEIGHTS,
    LOWER_IS_BETTER,
    MAX_SCORE,
    MIN_SCORE,
    Candidate,
    Criterion,
    InvalidWeights,
    MatrixResult,
    rank_candidates,
)
from workbench.domain.lifecycle import Phase
from workbench.domain.timebox import (
    RESEARCH_REVIEW_QUESTIONS,
    Decision,
    Extension,
    InvalidExtension,
    TimeBox,
    TimeBoxState,
    TimeBoxStatus,
)
from workbench.errors import InvalidInput, NotFound, StaleEditError, field_errors
from workbench.models import (
    LONG_TEXT_MAX,
    SHORT_TEXT_MAX,
    Experiment,
    ExperimentStatus,
    GoNoGoDecision,
    ParkingLotItem,
    Project,
    ProjectPublic,
    SourceKind,
    TimeBoxExtension,
    TimeLog,
    utc_now,
)
from workbench.services.projects import apply_phase_move, check_actor, tick_gate_items

__all__ = [
    "CRITERION_HELP",
    "CRITERION_LABELS",
    "MAX_BOX_DAYS",
    "RESEARCH_REVIEW_QUESTIONS",
    "STATUS_MOVES",
    "Criterion",
    "Decision",
    "DecisionOutcome",
    "ExperimentPublic",
    "ExperimentStatus",
    "ExperimentView",
    "ExtensionPublic",
    "GoNoGoOutcome",
    "GoNoGoPublic",
    "MatrixRanking",
    "OverdueExperiment",
    "TimeBoxStatus",
    "TimeLogPublic",
    "add_experiment",
    "create_experiment",
    "decide",
    "list_experiments",
    "list_go_no_go",
    "list_time_logs",
    "log_time",
    "overdue_experiments",
    "parse_phase",
    "rank_matrix",
    "record_go_no_go",
    "record_research_review",
    "record_result",
    "save_matrix_scores",
    "set_status",
    "update_experiment",
    "validate_experiment_input",
]

MAX_BOX_DAYS = 130
"""Longest part of a box, in working days (about half a year): longer work is not one experiment."""

MAX_HOURS_PER_ENTRY = 24

CRITERION_LABELS: Mapping[Criterion, str] = {
    Criterion.PREDICTION_QUALITY: "Prediction quality",
    Criterion.MAINTAINABILITY: "Maintainability",
    Criterion.IMPLEMENTATION_COMPLEXITY: "Implementation complexity",
    Criterion.COST_TO_RUN: "Cost to run",
}
CRITERION_HELP: Mapping[Criterion, str] = {
    criterion: f"Score {MIN_SCORE}–{MAX_SCORE}; "
    + (
        "lower is better (1 = simple / cheap)."
        if criterion in LOWER_IS_BETTER
        else "higher is better."
    )
    for criterion in Criterion
}

# status → the statuses a team may move it to by hand; "decided" only comes from a decision.
STATUS_MOVES: Mapping[ExperimentStatus, frozenset[ExperimentStatus]] = {
    ExperimentStatus.PROPOSED: frozenset(
        {ExperimentStatus.RESEARCHING, ExperimentStatus.PROTOTYPING}
    ),
    ExperimentStatus.RESEARCHING: frozenset({ExperimentStatus.PROTOTYPING}),
    ExperimentStatus.PROTOTYPING: frozenset(),
    ExperimentStatus.DECIDED: frozenset(),
}

FINAL_DECISIONS = (Decision.CULL, Decision.PARK, Decision.SELECT)
DECISION_ACTIONS: Mapping[Decision, str] = {
    Decision.EXTEND: "time box extended",
    Decision.CULL: "experiment culled",
    Decision.PARK: "experiment parked",
    Decision.SELECT: "experiment selected",
}


# --- What pages see -----------------------------------------------------------------------


class ExperimentPublic(SQLModel):
    """An experiment as pages see it."""

    id: int
    project_id: int
    approach: str
    hypothesis: str
    owner: str
    success_criterion: str
    start_date: date
    research_days: int
    prototype_days: int
    status: ExperimentStatus
    decision: Decision | None
    decision_reason: str
    decided_by: str
    decided_at: datetime | None
    metric_name: str
    result_value: float | None
    baseline_value: float | None
    evidence_links: list[str]
    matrix_scores: dict[str, float]
    review_answers: dict[str, str]
    parking_lot_item_id: int | None
    created_at: datetime
    updated_at: datetime
    version: int


class ExtensionPublic(SQLModel):
    """A logged extension of a time box."""

    id: int
    experiment_id: int
    reason: str
    previous_end: date
    new_end: date
    extended_by: str
    extended_at: datetime


class TimeLogPublic(SQLModel):
    """Time spent on an experiment."""

    id: int
    experiment_id: int
    day: date
    hours: float
    who: str
    note: str
    logged_at: datetime


class GoNoGoPublic(SQLModel):
    """A recorded Go/No-Go."""

    id: int
    project_id: int
    go: bool
    selected_experiment_id: int | None
    reasons: str
    weights: dict[str, float]
    matrix: list[dict[str, Any]]
    decided_by: str
    decided_at: datetime


@dataclass(frozen=True)
class ExperimentView:
    """An experiment with its extensions, hours spent and its time box on one day.

    The flags (due a decision, warning, review due) are only raised while it is undecided; a
    decided box is evaluated on the day of its decision (it stops burning).
    """

    experiment: ExperimentPublic
    extensions: tuple[ExtensionPublic, ...]
    time_box: TimeBoxState
    hours_spent: float
    due_decision: bool
    warning: bool
    review_due: bool


@dataclass(frozen=True)
class DecisionOutcome:
    """What a decision changed: the experiment, and the extension or parked item it created."""

    experiment: ExperimentPublic
    extension: ExtensionPublic | None
    parking_lot_item_id: int | None


@dataclass(frozen=True)
class MatrixRanking:
    """The culling matrix's ranking, and which candidates could not be ranked yet (and why)."""

    result: MatrixResult | None
    unscored: tuple[str, ...]
    errors: Mapping[str, str]


@dataclass(frozen=True)
class GoNoGoOutcome:
    """The recorded Go/No-Go and what happened to the project's phase."""

    decision: GoNoGoPublic
    phase_before: Phase
    phase_after: Phase
    moved: bool
    message: str


@dataclass(frozen=True)
class OverdueExperiment:
    """An undecided experiment whose time box is due a decision (for the portfolio)."""

    project_id: int
    project_name: str
    experiment_id: int
    approach: str
    owner: str
    overall_end: date
    burn_percent: float
    overrun_working_days: int

    @property
    def title(self) -> str:
        """What a warning names: the approach."""
        return self.approach


# --- Input --------------------------------------------------------------------------------


def _strip(value: Any) -> Any:
    """Strip surrounding spaces from text; leave other values alone."""
    return value.strip() if isinstance(value, str) else value


class ExperimentCreate(SQLModel):
    """Input for a new or edited experiment."""

    approach: str = Field(min_length=1, max_length=SHORT_TEXT_MAX)
    hypothesis: str = Field(default="", max_length=LONG_TEXT_MAX)
    owner: str = Field(default="", max_length=SHORT_TEXT_MAX)
    success_criterion: str = Field(min_length=1, max_length=LONG_TEXT_MAX)
    start_date: date
    research_days: int
    prototype_days: int
    metric_name: str = Field(default="", max_length=SHORT_TEXT_MAX)
    baseline_value: float | None = None

    _strip_text = field_validator(
        "approach", "hypothesis", "owner", "success_criterion", "metric_name", mode="before"
    )(_strip)


EXPERIMENT_FIELDS = tuple(ExperimentCreate.model_fields)
TEXT_FIELDS = frozenset({"approach", "hypothesis", "owner", "success_criterion", "metric_name"})


def _blank(value: Any) -> bool:
    """None, NaN/NaT (what an empty table cell or number input gives) or an empty string."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    try:
        return bool(value != value)  # NaN and NaT are not equal to themselves
    except (TypeError, ValueError):
        return False


def _cleaned(data: Mapping[str, Any], fields: Iterable[str]) -> dict[str, Any]:
    """The given fields of `data`, with blank cells as '' (text) or None (others)."""
    result: dict[str, Any] = {}
    for field in fields:
        if field not in data:
            continue
        value = data[field]
        if isinstance(value, datetime):
            value = value.date()
        if _blank(value) and not isinstance(value, str):
            value = "" if field in TEXT_FIELDS else None
        result[field] = value
    return result


def _box_days_errors(values: Mapping[str, Any]) -> dict[str, str]:
    """Messages for box parts of fewer than one or more than MAX_BOX_DAYS days."""
    errors: dict[str, str] = {}
    for field, part in (("research_days", "research"), ("prototype_days", "prototype")):
        value = values.get(field)
        if isinstance(value, bool) or not isinstance(value, int | float) or _blank(value):
            continue  # pydantic reports missing or non-numeric values
        if value < 1:
            errors[field] = (
                f"The {part} part needs at least one working day (a box of zero days is not "
                "a time box)."
            )
        elif value > MAX_BOX_DAYS:
            errors[field] = (
                f"At most {MAX_BOX_DAYS} working days for the {part}: split longer work into "
                "several experiments."
            )
    return errors


def validate_experiment_input(data: Mapping[str, Any]) -> ExperimentCreate:
    """Check a new or edited experiment; raise InvalidInput naming every bad field."""
    values = _cleaned(data, EXPERIMENT_FIELDS)
    errors = _box_days_errors(values)
    parsed = None
    try:
        parsed = ExperimentCreate.model_validate(values)
    except ValidationError as error:
        for field, message in field_errors(error).items():
            errors.setdefault(field, message)
    if "success_criterion" in errors and errors["success_criterion"].startswith("Required"):
        errors["success_criterion"] = (
            "Required: say what result would count as success, against the baseline."
        )
    if errors or parsed is None:
        raise InvalidInput(errors)
    return parsed


def _check_evidence_links(links: Iterable[str]) -> list[str]:
    """The non-blank, distinct links; InvalidInput naming any that is not http(s)."""
    cleaned: list[str] = []
    bad: list[str] = []
    for link in links:
        link = (link or "").strip()
        if not link:
            continue
        parsed = urlparse(link)
        if parsed.scheme not in {"http", "https"} or not parsed.netloc or " " in link:
            bad.append(link)
        elif link not in cleaned:
            cleaned.append(link)
    if bad:
        raise InvalidInput(
            {
                "evidence_links": "Not a web link (it must start with http:// or https://): "
                + ", ".join(repr(link) for link in bad[:5])
            }
        )
    if any(len(link) > SHORT_TEXT_MAX * 5 for link in cleaned):
        raise InvalidInput({"evidence_links": "A link is too long (at most 1000 characters)."})
    return cleaned


def parse_phase(value: Any) -> Phase | None:
    """A lifecycle phase from its value or its label ('Development'), None when blank."""
    if _blank(value):
        return None
    text = str(value).strip()
    for phase in Phase:
        if text in (phase.value, phase.label):
            return phase
    raise ValueError(f"Unknown phase {text!r}: choose one of {', '.join(p.label for p in Phase)}.")


# --- Helpers on an open session -----------------------------------------------------------


def _experiment(session: Session, experiment_id: int) -> Experiment:
    """The experiment row, or NotFound."""
    experiment = session.get(Experiment, experiment_id)
    if experiment is None:
        raise NotFound(f"There is no experiment with id {experiment_id}.")
    return experiment


def _extensions(session: Session, experiment_ids: Sequence[int]) -> list[TimeBoxExtension]:
    """The extensions of these experiments, in the order they were agreed."""
    if not experiment_ids:
        return []
    statement = (
        select(TimeBoxExtension)
        .where(col(TimeBoxExtension.experiment_id).in_(list(experiment_ids)))
        .order_by(col(TimeBoxExtension.new_end), col(TimeBoxExtension.id))
    )
    return list(session.exec(statement).all())


def _box(
    start_date: date,
    research_days: int,
    prototype_days: int,
    extensions: Iterable[TimeBoxExtension | ExtensionPublic],
) -> TimeBox:
    """The domain time box of an experiment with its extensions."""
    return TimeBox(
        start=start_date,
        research_days=research_days,
        prototype_days=prototype_days,
        extensions=tuple(
            Extension(
                reason=e.reason,
                new_end=e.new_end,
                extended_by=e.extended_by,
                extended_at=e.extended_at,
            )
            for e in extensions
        ),
    )


def _view(
    experiment: Experiment,
    extensions: Sequence[TimeBoxExtension],
    hours: float,
    today: date,
) -> ExperimentView:
    """An experiment as pages see it, with its time box evaluated on `today`."""
    public = ExperimentPublic.model_validate(experiment)
    box = _box(
        experiment.start_date, experiment.research_days, experiment.prototype_days, extensions
    )
    open_ = experiment.status != ExperimentStatus.DECIDED
    if not open_ and experiment.decided_at is not None:
        today = min(today, experiment.decided_at.date())  # a decided box stops burning
    state = timebox.time_box_state(box, today, review_done=bool(experiment.review_answers))
    return ExperimentView(
        experiment=public,
        extensions=tuple(ExtensionPublic.model_validate(e) for e in extensions),
        time_box=state,
        hours_spent=hours,
        due_decision=open_ and state.status is TimeBoxStatus.DUE_DECISION,
        warning=open_ and state.status is TimeBoxStatus.WARNING,
        review_due=open_ and state.research_review_due,
    )


def _refuse_stale(session: Session, experiment: Experiment, mine: Mapping[str, Any]) -> None:
    """Raise StaleEditError with the newer record and the fields that differ."""
    current = ExperimentPublic.model_validate(experiment)
    conflicts = {
        field: (value, getattr(current, field, None))
        for field, value in mine.items()
        if getattr(current, field, None) != value
    }
    raise StaleEditError(
        current=current,
        conflicts=conflicts or {"version": (None, current.version)},
        saved_by=crud.last_actor(session, project_id=experiment.project_id),
    )


def _check_version(
    session: Session, experiment: Experiment, expected_version: int, mine: Mapping[str, Any]
) -> None:
    """Refuse as stale when the experiment moved on since `expected_version`."""
    if experiment.version != expected_version:
        _refuse_stale(session, experiment, mine)


def _commit(session: Session, experiment_id: int, mine: Mapping[str, Any]) -> None:
    """Commit; if another writer got in between our read and this write, refuse as stale."""
    try:
        session.commit()
    except StaleDataError:
        session.rollback()
        _refuse_stale(session, _experiment(session, experiment_id), mine)


def _plain(value: Any) -> Any:
    """A value as it goes into the activity log's JSON."""
    if isinstance(value, date | datetime):
        return value.isoformat()
    return getattr(value, "value", value)


def _label(experiment: Experiment) -> str:
    """How the activity log names an experiment."""
    return f"experiment {experiment.approach!r}"


# --- Experiments --------------------------------------------------------------------------


def create_experiment(
    engine: Engine,
    *,
    project_id: int,
    data: Mapping[str, Any],
    actor: str,
) -> ExperimentPublic:
    """Validate and add a candidate approach with its time box (status proposed), logging it."""
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
                **{k: _plain(v) for k, v in experiment_in.model_dump().items() if v not in ("",)},
            },
        )
        session.commit()
        session.refresh(experiment)
        return ExperimentPublic.model_validate(experiment)


def add_experiment(
    session: Session,
    *,
    project_id: int,
    experiment_in: ExperimentCreate,
    parking_lot_item_id: int | None = None,
) -> Experiment:
    """Add a validated experiment in the caller's transaction (flushed, so it has an id)."""
    experiment = Experiment(
        project_id=project_id,
        parking_lot_item_id=parking_lot_item_id,
        **experiment_in.model_dump(),
    )
    session.add(experiment)
    session.flush()
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
    expected_version: int,
    data: Mapping[str, Any],
    actor: str,
) -> ExperimentPublic:
    """Save an edit made on version `expected_version` (refused as stale otherwise), logging it.

    Changing the box may not make it end after an extension already agreed.
    """
    actor = check_actor(actor)
    experiment_in = validate_experiment_input(data)
    new = experiment_in.model_dump()
    with Session(engine) as session:
        experiment = _experiment(session, experiment_id)
        _check_version(session, experiment, expected_version, new)
        diff = {
            key: [_plain(getattr(experiment, key)), _plain(value)]
            for key, value in new.items()
            if getattr(experiment, key) != value
        }
        if not diff:
            return ExperimentPublic.model_validate(experiment)
        extensions = _extensions(session, [experiment_id])
        try:
            _box(new["start_date"], new["research_days"], new["prototype_days"], extensions)
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
        _commit(session, experiment_id, new)
        session.refresh(experiment)
        return ExperimentPublic.model_validate(experiment)


def set_status(
    engine: Engine,
    *,
    experiment_id: int,
    expected_version: int,
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
    with Session(engine) as session:
        experiment = _experiment(session, experiment_id)
        _check_version(session, experiment, expected_version, {"status": target})
        current = ExperimentStatus(experiment.status)
        if target == current:
            return ExperimentPublic.model_validate(experiment)
        if target is ExperimentStatus.DECIDED:
            raise InvalidInput(
                {"status": "An experiment is decided by a decision (extend, cull, park, select)."}
            )
        if target not in STATUS_MOVES[current]:
            raise InvalidInput(
                {"status": f"A {current.value} experiment cannot move to {target.value}."}
            )
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
        _commit(session, experiment_id, {"status": target})
        session.refresh(experiment)
        return ExperimentPublic.model_validate(experiment)


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
    who = (who or "").strip() or actor
    note = (note or "").strip()
    errors: dict[str, str] = {}
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
        experiment = _experiment(session, experiment_id)
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


def _optional_number(field: str, value: Any, errors: dict[str, str]) -> float | None:
    """A finite float from a form value, None when blank; a message in `errors` if not."""
    if _blank(value):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        errors[field] = f"Not a number: {value!r}."
        return None
    if not math.isfinite(number):
        errors[field] = "Must be a finite number."
        return None
    return number


def record_result(
    engine: Engine,
    *,
    experiment_id: int,
    expected_version: int,
    metric_name: str,
    result_value: Any,
    baseline_value: Any,
    evidence_links: Iterable[str],
    actor: str,
) -> ExperimentPublic:
    """Store the measured result against the baseline and links to the evidence, logging it."""
    actor = check_actor(actor)
    errors: dict[str, str] = {}
    metric_name = (metric_name or "").strip()
    if len(metric_name) > SHORT_TEXT_MAX:
        errors["metric_name"] = f"Too long: at most {SHORT_TEXT_MAX} characters."
    result = _optional_number("result_value", result_value, errors)
    baseline = _optional_number("baseline_value", baseline_value, errors)
    if result is not None and not metric_name:
        errors["metric_name"] = "Name the metric the result is measured in."
    try:
        links = _check_evidence_links(evidence_links)
    except InvalidInput as error:
        errors.update(error.errors)
        links = []
    if errors:
        raise InvalidInput(errors)
    new = {
        "metric_name": metric_name,
        "result_value": result,
        "baseline_value": baseline,
        "evidence_links": links,
    }
    with Session(engine) as session:
        experiment = _experiment(session, experiment_id)
        _check_version(session, experiment, expected_version, new)
        diff = {
            key: [getattr(experiment, key), value]
            for key, value in new.items()
            if getattr(experiment, key) != value
        }
        if not diff:
            return ExperimentPublic.model_validate(experiment)
        experiment.sqlmodel_update(new)
        experiment.updated_at = utc_now()
        session.add(experiment)
        versus = f" vs baseline {baseline:g}" if baseline is not None and result is not None else ""
        crud.record_activity(
            session,
            project_id=experiment.project_id,
            actor=actor,
            action="experiment result",
            summary=f"{_label(experiment).capitalize()}: "
            + (f"{metric_name} = {result:g}{versus}" if result is not None else "result cleared")
            + (f"; {len(links)} evidence link(s)." if links else "."),
            changes={"experiment_id": experiment_id, **diff},
        )
        _commit(session, experiment_id, new)
        session.refresh(experiment)
        return ExperimentPublic.model_validate(experiment)


def _review_answers(answers: Mapping[str, str] | Sequence[str]) -> dict[str, str]:
    """The four research-review answers keyed by question; InvalidInput naming the gaps."""
    if isinstance(answers, Mapping):
        values = [
            str(answers.get(question) or "").strip() for question in RESEARCH_REVIEW_QUESTIONS
        ]
    else:
        values = [str(answer or "").strip() for answer in answers]
    values = (values + [""] * len(RESEARCH_REVIEW_QUESTIONS))[: len(RESEARCH_REVIEW_QUESTIONS)]
    errors = {
        f"review_answers[{index + 1}]": "Required: answer this question."
        for index, answer in enumerate(values)
        if not answer
    }
    errors.update(
        {
            f"review_answers[{index + 1}]": f"Too long: at most {LONG_TEXT_MAX} characters."
            for index, answer in enumerate(values)
            if len(answer) > LONG_TEXT_MAX
        }
    )
    if errors:
        raise InvalidInput(errors)
    return dict(zip(RESEARCH_REVIEW_QUESTIONS, values, strict=True))


def record_research_review(
    engine: Engine,
    *,
    experiment_id: int,
    expected_version: int,
    answers: Mapping[str, str] | Sequence[str],
    actor: str,
) -> ExperimentPublic:
    """Store the answers to Wilson's end-of-research questions (all four required), logging them."""
    actor = check_actor(actor)
    review = _review_answers(answers)
    with Session(engine) as session:
        experiment = _experiment(session, experiment_id)
        _check_version(session, experiment, expected_version, {"review_answers": review})
        experiment.review_answers = review
        experiment.updated_at = utc_now()
        session.add(experiment)
        crud.record_activity(
            session,
            project_id=experiment.project_id,
            actor=actor,
            action="research review",
            summary=f"{_label(experiment).capitalize()}: end-of-research review answered.",
            changes={"experiment_id": experiment_id, "review_answers": review},
        )
        _commit(session, experiment_id, {"review_answers": review})
        session.refresh(experiment)
        return ExperimentPublic.model_validate(experiment)


def decide(
    engine: Engine,
    *,
    experiment_id: int,
    expected_version: int,
    decision: Decision | str,
    reason: str,
    actor: str,
    today: date,
    new_end: date | None = None,
    review_answers: Mapping[str, str] | Sequence[str] | None = None,
    revisit_on: date | None = None,
    revisit_phase: Phase | str | None = None,
) -> DecisionOutcome:
    """Decide on an experiment's time box: extend, cull, park or select — with a reason.

    Extend needs a new end (a working day after the current end) and is logged as a
    TimeBoxExtension; the experiment stays open. Cull, park and select close the experiment;
    park also puts the approach in the parking lot (source: this experiment), to come back on
    `revisit_on` or when the project reaches `revisit_phase`. When the end-of-research review
    is due and not answered yet, its four answers are required and stored with the decision.
    """
    actor = check_actor(actor)
    errors: dict[str, str] = {}
    try:
        choice = Decision(decision)
    except ValueError:
        raise InvalidInput({"decision": "Choose one of: extend, cull, park, select."}) from None
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = (
            "Required: say why — nothing extends silently."
            if choice is Decision.EXTEND
            else f"Required: say why you {choice.value} this approach."
        )
    elif len(reason) > LONG_TEXT_MAX:
        errors["reason"] = f"Too long: at most {LONG_TEXT_MAX} characters."
    if choice is Decision.EXTEND and new_end is None:
        errors["new_end"] = "Required: the new last working day of the box."
    if choice is not Decision.EXTEND:
        new_end = None
    phase = None
    if choice is Decision.PARK:
        try:
            phase = parse_phase(revisit_phase)
        except ValueError as error:
            errors["revisit_phase"] = str(error)
    review: dict[str, str] | None = None
    if review_answers is not None and any(
        str(v or "").strip()
        for v in (
            review_answers.values() if isinstance(review_answers, Mapping) else review_answers
        )
    ):
        try:
            review = _review_answers(review_answers)
        except InvalidInput as error:
            errors.update(error.errors)
    with Session(engine) as session:
        experiment = _experiment(session, experiment_id)
        mine = {"decision": choice, "decision_reason": reason}
        _check_version(session, experiment, expected_version, mine)
        if experiment.status == ExperimentStatus.DECIDED:
            when = experiment.decided_at.date().isoformat() if experiment.decided_at else "earlier"
            raise InvalidInput(
                {
                    "decision": f"Already decided: {experiment.decision} by "
                    f"{experiment.decided_by or 'someone'} on {when}."
                }
            )
        extensions = _extensions(session, [experiment_id])
        box = _box(
            experiment.start_date, experiment.research_days, experiment.prototype_days, extensions
        )
        state = timebox.time_box_state(box, today, review_done=bool(experiment.review_answers))
        if (
            state.research_review_due
            and review is None
            and not any(key.startswith("review_answers") for key in errors)
        ):
            errors["review_answers"] = (
                "Research has ended: answer the four review questions with this decision."
            )
        now = utc_now()
        if choice is Decision.EXTEND and new_end is not None and "reason" not in errors:
            try:
                timebox.extend(
                    box, reason=reason, new_end=new_end, extended_by=actor, extended_at=now
                )
            except InvalidExtension as error:
                errors["new_end"] = str(error).capitalize() + "."
        if errors:
            raise InvalidInput(errors)

        extension = None
        parked_id = None
        if review is not None:
            experiment.review_answers = review
        changes: dict[str, Any] = {"experiment_id": experiment_id, "decision": choice.value}
        if choice is Decision.EXTEND:
            extension = TimeBoxExtension(
                experiment_id=experiment_id,
                reason=reason,
                previous_end=state.overall_end,
                new_end=new_end,
                extended_by=actor,
                extended_at=now,
            )
            session.add(extension)
            changes["end"] = [state.overall_end.isoformat(), new_end.isoformat()]
            summary = (
                f"{_label(experiment).capitalize()}: time box extended from "
                f"{state.overall_end.isoformat()} to {new_end.isoformat()}. Reason: {reason}"
            )
        else:
            experiment.status = ExperimentStatus.DECIDED
            experiment.decision = choice.value
            experiment.decision_reason = reason
            experiment.decided_by = actor
            experiment.decided_at = now
            summary = (
                f"{_label(experiment).capitalize()}: {choice.value} at "
                f"{state.burn_percent:.0f} % of its time box. Reason: {reason}"
            )
            if choice is Decision.PARK:
                item = ParkingLotItem(
                    project_id=experiment.project_id,
                    idea=(
                        experiment.approach
                        + (f": {experiment.hypothesis}" if experiment.hypothesis else "")
                    )[:LONG_TEXT_MAX],
                    raised_by=experiment.owner or actor,
                    why_deferred=reason,
                    revisit_on=revisit_on,
                    revisit_phase=phase.value if phase else None,
                    source_kind=SourceKind.EXPERIMENT,
                    source_id=experiment_id,
                    source_label=f"Experiment: {experiment.approach}"[:SHORT_TEXT_MAX],
                )
                session.add(item)
                session.flush()
                parked_id = item.id
                changes["parking_lot_item_id"] = parked_id
                summary += (
                    " Parked in the parking lot"
                    + (f", to revisit on {revisit_on.isoformat()}" if revisit_on else "")
                    + (f", to revisit in {phase.label}" if phase else "")
                    + "."
                )
        if review is not None:
            changes["review_answers"] = review
        experiment.updated_at = now
        session.add(experiment)
        crud.record_activity(
            session,
            project_id=experiment.project_id,
            actor=actor,
            action=DECISION_ACTIONS[choice],
            summary=summary,
            changes=changes,
        )
        _commit(session, experiment_id, mine)
        session.refresh(experiment)
        if extension is not None:
            session.refresh(extension)
        return DecisionOutcome(
            experiment=ExperimentPublic.model_validate(experiment),
            extension=ExtensionPublic.model_validate(extension) if extension else None,
            parking_lot_item_id=parked_id,
        )


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


def overdue_experiments(engine: Engine, today: date) -> list[OverdueExperiment]:
    """Every undecided experiment, in all projects, whose box is due a decision on `today`.

    One query: the undecided experiments joined to their project and their extensions.
    """
    statement = (
        select(Experiment, Project.name, TimeBoxExtension)
        .join(Project, col(Project.id) == col(Experiment.project_id))
        .outerjoin(TimeBoxExtension, col(TimeBoxExtension.experiment_id) == col(Experiment.id))
        .where(Experiment.status != ExperimentStatus.DECIDED.value)
        .order_by(
            func.lower(Project.name),
            col(Experiment.id),
            col(TimeBoxExtension.new_end),
            col(TimeBoxExtension.id),
        )
    )
    grouped: dict[int, tuple[Experiment, str, list[TimeBoxExtension]]] = {}
    with Session(engine) as session:
        for experiment, project_name, extension in session.exec(statement).all():
            entry = grouped.setdefault(experiment.id, (experiment, project_name, []))
            if extension is not None:
                entry[2].append(extension)
        overdue: list[OverdueExperiment] = []
        for experiment, project_name, extensions in grouped.values():
            box = _box(
                experiment.start_date,
                experiment.research_days,
                experiment.prototype_days,
                extensions,
            )
            if timebox.status(box, today) is not TimeBoxStatus.DUE_DECISION:
                continue
            overdue.append(
                OverdueExperiment(
                    project_id=experiment.project_id,
                    project_name=project_name,
                    experiment_id=experiment.id,
                    approach=experiment.approach,
                    owner=experiment.owner,
                    overall_end=timebox.overall_end(box),
                    burn_percent=timebox.burn_percent(box, today),
                    overrun_working_days=timebox.overrun_working_days(box, today),
                )
            )
        return overdue


# --- Culling matrix and Go/No-Go ----------------------------------------------------------


def _score(value: Any) -> int | None:
    """A 1–5 score from a table cell; None when blank; ValueError otherwise."""
    if _blank(value):
        return None
    if isinstance(value, bool):
        raise ValueError(f"not a score: {value!r}")
    number = float(value)
    if not number.is_integer() or not MIN_SCORE <= number <= MAX_SCORE:
        raise ValueError(f"a score is a whole number {MIN_SCORE}–{MAX_SCORE}, got {value!r}")
    return int(number)


def _row_scores(row: Mapping[str, Any], index: int, errors: dict[str, str]) -> dict[str, int]:
    """The 1–5 scores of one matrix row (blank cells left out); messages in `errors`."""
    scores: dict[str, int] = {}
    for criterion in Criterion:
        try:
            score = _score(row.get(criterion.value))
        except (TypeError, ValueError) as error:
            errors[f"matrix[{index + 1}].{criterion.value}"] = str(error).capitalize() + "."
            continue
        if score is not None:
            scores[criterion.value] = score
    return scores


def _weights(weights: Mapping[Criterion | str, Any] | None) -> dict[Criterion, float]:
    """Criterion weights as floats (equal weights when None); InvalidInput if not numbers."""
    if weights is None:
        return dict(DEFAULT_WEIGHTS)
    result: dict[Criterion, float] = {}
    for key, value in weights.items():
        try:
            result[Criterion(key)] = float(value)
        except (TypeError, ValueError) as error:
            raise InvalidInput(
                {"weights": f"Weight for {key}: not a number ({value!r})."}
            ) from error
    return result


def rank_matrix(
    rows: Sequence[Mapping[str, Any]], weights: Mapping[Criterion | str, Any] | None = None
) -> MatrixRanking:
    """Rank the culling matrix's rows (each: `approach` and one 1–5 cell per criterion).

    Rows with a blank cell are listed in `unscored` and left out of the ranking; bad cells and
    bad weights are reported in `errors` (then there is no ranking). Pure: no database.
    """
    errors: dict[str, str] = {}
    candidates: list[Candidate] = []
    unscored: list[str] = []
    for index, row in enumerate(rows):
        scores = _row_scores(row, index, errors)
        name = str(row.get("approach") or "").strip() or f"row {index + 1}"
        if len(scores) == len(Criterion):
            candidates.append(
                Candidate(name=name, scores={Criterion(k): v for k, v in scores.items()})
            )
        else:
            unscored.append(name)
    try:
        weight_of = _weights(weights)
    except InvalidInput as error:
        errors.update(error.errors)
        weight_of = {}
    if errors:
        return MatrixRanking(result=None, unscored=tuple(unscored), errors=errors)
    try:
        result = rank_candidates(candidates, weight_of)
    except InvalidWeights as error:
        return MatrixRanking(result=None, unscored=tuple(unscored), errors={"weights": str(error)})
    except ValueError as error:
        return MatrixRanking(result=None, unscored=tuple(unscored), errors={"matrix": str(error)})
    return MatrixRanking(result=result, unscored=tuple(unscored), errors={})


def save_matrix_scores(
    engine: Engine,
    *,
    project_id: int,
    rows: Sequence[Mapping[str, Any]],
    actor: str,
) -> int:
    """Store the culling matrix's scores (rows: `id`, the loaded `version`, one cell per
    criterion), all or none. Refuses a stale row; returns how many experiments changed.
    """
    actor = check_actor(actor)
    errors: dict[str, str] = {}
    parsed = [
        (int(row["id"]), int(row["version"]), _row_scores(row, i, errors))
        for i, row in enumerate(rows)
    ]
    if errors:
        raise InvalidInput(errors)
    changed = 0
    with Session(engine) as session:
        for experiment_id, version, scores in parsed:
            experiment = _experiment(session, experiment_id)
            if experiment.project_id != project_id:
                raise NotFound(f"Experiment {experiment_id} is not on this project.")
            old = {k: int(v) for k, v in (experiment.matrix_scores or {}).items()}
            if old == scores:
                continue
            _check_version(session, experiment, version, {"matrix_scores": scores})
            experiment.matrix_scores = dict(scores)
            experiment.updated_at = utc_now()
            session.add(experiment)
            crud.record_activity(
                session,
                project_id=project_id,
                actor=actor,
                action="matrix scored",
                summary=f"{_label(experiment).capitalize()}: culling-matrix scores "
                + ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in scores.items())
                + ".",
                changes={"experiment_id": experiment_id, "matrix_scores": [old, scores]},
            )
            changed += 1
        try:
            session.commit()
        except StaleDataError as error:
            session.rollback()
            raise InvalidInput(
                {"matrix": "Someone saved these scores at the same moment; reload and retry."}
            ) from error
    return changed


def _project_stale(session: Session, project: Project, mine: Mapping[str, Any]) -> None:
    """Raise StaleEditError with the newer project."""
    raise StaleEditError(
        current=ProjectPublic.model_validate(project),
        conflicts=dict(mine),
        saved_by=crud.last_actor(session, project_id=project.id),
    )


GO_GATE_ITEMS = ("boxes_decided", "culled", "go_no_go")


def record_go_no_go(
    engine: Engine,
    *,
    project_id: int,
    expected_project_version: int,
    go: bool,
    selected_experiment_id: int | None,
    reasons: str,
    actor: str,
    weights: Mapping[Criterion | str, Any] | None = None,
) -> GoNoGoOutcome:
    """Record the end of experimentation and move the project's phase gate.

    Go selects one MVP approach: the other candidates must be culled or parked first (one
    approach goes forward), and the selected experiment is decided "select" if it was still
    open. The Experimentation gate items "every box decided", "culled" and "Go/No-Go recorded"
    are ticked; a project in Experimentation moves to Development with the reasons as the
    note. A project in an earlier phase is not moved (phases move one at a time, each with its
    own gate, on the Charter page); the outcome says so.

    No-Go records the reasons, ticks "Go/No-Go recorded", and sends a project in
    Experimentation or later back to Scoping & research (the reasons become the note), where
    the team rethinks the approaches; the experiments stay as they are.

    The decision, the matrix (scores, weights, ranking), the gate ticks and the phase move are
    written in one transaction: all of them or none. Raises InvalidInput (nothing stored) or
    StaleEditError when the project changed since `expected_project_version`.
    """
    actor = check_actor(actor)
    reasons = (reasons or "").strip()
    errors: dict[str, str] = {}
    if not reasons:
        errors["reasons"] = "Required: say why — the reasons go to the decision log."
    elif len(reasons) > LONG_TEXT_MAX:
        errors["reasons"] = f"Too long: at most {LONG_TEXT_MAX} characters."
    if go and selected_experiment_id is None:
        errors["selected_experiment_id"] = "Choose the MVP approach that goes forward."
    if not go:
        selected_experiment_id = None
    weight_of = _weights(weights)
    with Session(engine) as session:
        project = session.get(Project, project_id)
        if project is None:
            raise NotFound(f"There is no project with id {project_id}.")
        if project.version != expected_project_version:
            _project_stale(session, project, {"go/no-go": ("Go" if go else "No-Go", project.phase)})
        experiments = list(
            session.exec(
                select(Experiment)
                .where(Experiment.project_id == project_id)
                .order_by(col(Experiment.id))
            ).all()
        )
        by_id = {e.id: e for e in experiments}
        selected = by_id.get(selected_experiment_id) if selected_experiment_id else None
        if go and selected_experiment_id is not None:
            if selected is None:
                errors["selected_experiment_id"] = "This experiment is not on this project."
            elif selected.decision in (Decision.CULL.value, Decision.PARK.value):
                errors["selected_experiment_id"] = (
                    f"{selected.approach!r} was {selected.decision}ed; choose an open candidate."
                )
            else:
                still_open = [
                    e.approach
                    for e in experiments
                    if e.id != selected.id
                    and e.decision not in (Decision.CULL.value, Decision.PARK.value)
                ]
                if still_open:
                    errors["selected_experiment_id"] = (
                        "One approach goes forward: cull or park the other candidates first ("
                        + ", ".join(repr(name) for name in still_open)
                        + ")."
                    )
        if errors:
            raise InvalidInput(errors)

        matrix_rows = [
            {"approach": e.approach, **{k: v for k, v in (e.matrix_scores or {}).items()}}
            for e in experiments
        ]
        ranking = rank_matrix(matrix_rows, weight_of)
        rank_of = {r.name: r for r in ranking.result.ranking} if ranking.result else {}
        matrix = [
            {
                "experiment_id": e.id,
                "approach": e.approach,
                "decision": e.decision,
                "scores": dict(e.matrix_scores or {}),
                "total": rank_of[e.approach].total if e.approach in rank_of else None,
                "rank": rank_of[e.approach].rank if e.approach in rank_of else None,
            }
            for e in experiments
        ]
        now = utc_now()
        if selected is not None and selected.status != ExperimentStatus.DECIDED:
            selected.status = ExperimentStatus.DECIDED
            selected.decision = Decision.SELECT.value
            selected.decision_reason = reasons
            selected.decided_by = actor
            selected.decided_at = now
            selected.updated_at = now
            session.add(selected)
            crud.record_activity(
                session,
                project_id=project_id,
                actor=actor,
                action=DECISION_ACTIONS[Decision.SELECT],
                summary=f"{_label(selected).capitalize()}: selected as the MVP approach at "
                f"the Go/No-Go. Reason: {reasons}",
                changes={"experiment_id": selected.id, "decision": Decision.SELECT.value},
            )
        record = GoNoGoDecision(
            project_id=project_id,
            go=go,
            selected_experiment_id=selected.id if selected else None,
            reasons=reasons,
            weights={c.value: float(w) for c, w in weight_of.items()},
            matrix=matrix,
            decided_by=actor,
            decided_at=now,
        )
        session.add(record)
        crud.record_activity(
            session,
            project_id=project_id,
            actor=actor,
            action="go/no-go",
            summary=(
                f"Go: {selected.approach!r} is the MVP approach. Reasons: {reasons}"
                if go and selected
                else f"No-Go. Reasons: {reasons}"
            ),
            changes={
                "go": go,
                "selected_experiment_id": selected.id if selected else None,
                "weights": record.weights,
            },
        )
        phase_before = Phase(project.phase)
        tick_gate_items(
            session,
            project_id=project_id,
            phase=Phase.EXPERIMENTATION,
            check=GO_GATE_ITEMS if go else ("go_no_go",),
            actor=actor,
        )
        target, note, unmoved = _phase_after_go_no_go(
            go=go,
            phase_before=phase_before,
            approach=selected.approach if selected else "",
            reasons=reasons,
        )
        if target is not None:
            # The same transaction: the decision, its gate ticks and the phase move land together.
            apply_phase_move(session, project, target=target, actor=actor, note=note)
        try:
            session.commit()
        except StaleDataError as error:
            session.rollback()
            raise InvalidInput(
                {
                    "selected_experiment_id": "The project or an experiment changed at the same "
                    "moment; nothing was recorded. Reload and decide again."
                }
            ) from error
        session.refresh(record)
        decision = GoNoGoPublic.model_validate(record)
    verb = "Go" if go else "No-Go"
    if target is None:
        return GoNoGoOutcome(
            decision=decision,
            phase_before=phase_before,
            phase_after=phase_before,
            moved=False,
            message=unmoved,
        )
    return GoNoGoOutcome(
        decision=decision,
        phase_before=phase_before,
        phase_after=target,
        moved=True,
        message=f"{verb} recorded; the project moved from {phase_before.label} to {target.label}.",
    )


def _phase_after_go_no_go(
    *, go: bool, phase_before: Phase, approach: str, reasons: str
) -> tuple[Phase | None, str, str]:
    """Where a Go/No-Go sends the project: (target, note), or (None, '', why it stays)."""
    if go:
        if phase_before is not Phase.EXPERIMENTATION:
            where = (
                "already past" if phase_before.index > Phase.EXPERIMENTATION.index else "not yet in"
            )
            return (
                None,
                "",
                f"Go recorded. The project is {where} Experimentation "
                f"(it is in {phase_before.label}), so its phase was not moved: phases move one "
                "at a time, each with its own gate, on the Charter page.",
            )
        return Phase.DEVELOPMENT, f"Go: {approach!r} is the MVP approach. {reasons}", ""
    if phase_before.index < Phase.EXPERIMENTATION.index:
        return None, "", f"No-Go recorded. The project stays in {phase_before.label}."
    return Phase.SCOPING, f"No-Go: {reasons}", ""


def list_go_no_go(engine: Engine, project_id: int) -> list[GoNoGoPublic]:
    """A project's Go/No-Go decisions, newest first."""
    with Session(engine) as session:
        rows = session.exec(
            select(GoNoGoDecision)
            .where(GoNoGoDecision.project_id == project_id)
            .order_by(col(GoNoGoDecision.decided_at).desc(), col(GoNoGoDecision.id).desc())
        ).all()
        return [GoNoGoPublic.model_validate(row) for row in rows]


def timeline_entries(views: Sequence[ExperimentView]) -> list[TimelineEntry]:
    """The experiments as the Gantt and burn charts draw them, in the given order."""
    return [
        TimelineEntry(
            label=v.experiment.approach,
            status=v.experiment.status.value,
            state=v.time_box,
            extensions=tuple((e.previous_end, e.new_end) for e in v.extensions),
            decision=v.experiment.decision.value if v.experiment.decision else None,
        )
        for v in views
    ]
