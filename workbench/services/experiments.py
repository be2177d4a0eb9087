"""Experiments: time-boxed candidate approaches, the decisions their boxes force, the culling
matrix and the Go/No-Go (Wilson, *Machine Learning Engineering in Action*, ch. 3.1.4 and 3.2).

Every change is logged. Edits are version-checked through ``workbench.versioning``: a stale edit
is refused (``StaleEditError``) with the newer values. Widget values are parsed once, here, by
the input models below; the rules (names, status moves, decisions, Go/No-Go) are the domain's
(``workbench.domain.experiments``, ``workbench.domain.timebox``); today is a parameter.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Annotated, Any
from urllib.parse import urlparse

from pydantic import AfterValidator, BeforeValidator, ValidationError, field_validator
from sqlalchemy import Date, and_, func, or_
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement
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
from workbench.domain.experiments import (
    STATUS_MOVES,
    ExperimentStatus,
    approach_key,
    decision_problems,
    duplicate_approach_problems,
    go_no_go_move,
    go_no_go_problems,
    review_problems,
    status_move_problems,
)
from workbench.domain.experiments import Candidate as GoCandidate
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
from workbench.domain.workdays import (
    is_working_day,
    working_day_on_or_after,
    working_days_between,
)
from workbench.errors import InvalidInput, NotFound, field_errors
from workbench.models import (
    LONG_TEXT_MAX,
    SHORT_TEXT_MAX,
    Experiment,
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
from workbench.versioning import commit, load_for_edit

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
    "timeline_entries",
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

DECISION_ACTIONS: Mapping[Decision, str] = {
    Decision.EXTEND: "time box extended",
    Decision.CULL: "experiment culled",
    Decision.PARK: "experiment parked",
    Decision.SELECT: "experiment selected",
}
GO_GATE_ITEMS = ("boxes_decided", "culled", "go_no_go")


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


# --- Input: widget and table-cell values, parsed once ---------------------------------------


def _blank_to_none(value: Any) -> Any:
    """What an empty widget or table cell gives — None, '', spaces, NaN, NaT — as None; a
    datetime as its date; anything else unchanged."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, datetime):
        return value.date()
    try:
        if value != value:  # NaN and NaT are not equal to themselves
            return None
    except (TypeError, ValueError):
        pass
    return value


def _text(value: Any) -> str:
    """Text from a widget: stripped, '' when empty."""
    value = _blank_to_none(value)
    return "" if value is None else str(value).strip()


def parse_phase(value: Any) -> Phase | None:
    """A lifecycle phase from its value or its label ('Development'), None when blank."""
    value = _blank_to_none(value)
    if value is None:
        return None
    text = str(getattr(value, "value", value)).strip()
    for phase in Phase:
        if text in (phase.value, phase.label):
            return phase
    raise ValueError(f"Unknown phase {text!r}: choose one of {', '.join(p.label for p in Phase)}.")


def _finite(value: float | None) -> float | None:
    if value is not None and not math.isfinite(value):
        raise ValueError("Must be a finite number.")
    return value


Text = Annotated[str, BeforeValidator(_text)]
Optional = BeforeValidator(_blank_to_none)
OptionalDate = Annotated[date | None, Optional]
OptionalNumber = Annotated[float | None, Optional, AfterValidator(_finite)]


class ExperimentCreate(SQLModel):
    """Input for a new or edited experiment."""

    approach: Text = Field(min_length=1, max_length=SHORT_TEXT_MAX)
    hypothesis: Text = Field(default="", max_length=LONG_TEXT_MAX)
    owner: Text = Field(default="", max_length=SHORT_TEXT_MAX)
    success_criterion: Text = Field(min_length=1, max_length=LONG_TEXT_MAX)
    start_date: Annotated[date, Optional]
    research_days: Annotated[int, Optional]
    prototype_days: Annotated[int, Optional]
    metric_name: Text = Field(default="", max_length=SHORT_TEXT_MAX)
    baseline_value: OptionalNumber = None

    @field_validator("research_days", "prototype_days")
    @classmethod
    def _box_part(cls, value: int, info: Any) -> int:
        part = "research" if info.field_name == "research_days" else "prototype"
        if value < 1:
            raise ValueError(
                f"The {part} part needs at least one working day (a box of zero days is not "
                "a time box)."
            )
        if value > MAX_BOX_DAYS:
            raise ValueError(
                f"At most {MAX_BOX_DAYS} working days for the {part}: split longer work into "
                "several experiments."
            )
        return value


EXPERIMENT_FIELDS = tuple(ExperimentCreate.model_fields)


def _parsed(model: type[SQLModel], values: Mapping[str, Any]) -> Any:
    """`values` parsed by `model`; InvalidInput naming every bad field."""
    try:
        return model.model_validate(dict(values))
    except ValidationError as error:
        raise InvalidInput(field_errors(error)) from None


def validate_experiment_input(data: Mapping[str, Any]) -> ExperimentCreate:
    """Check a new or edited experiment; raise InvalidInput naming every bad field."""
    try:
        return _parsed(ExperimentCreate, {k: data[k] for k in EXPERIMENT_FIELDS if k in data})
    except InvalidInput as error:
        errors = error.errors
        if errors.get("success_criterion", "").startswith("Required"):
            errors["success_criterion"] = (
                "Required: say what result would count as success, against the baseline."
            )
        raise InvalidInput(errors) from None


class ResultInput(SQLModel):
    """A measured result against the baseline, with links to the evidence."""

    metric_name: Text = Field(default="", max_length=SHORT_TEXT_MAX)
    result_value: OptionalNumber = None
    baseline_value: OptionalNumber = None
    evidence_links: list[str] = Field(default_factory=list)

    @field_validator("evidence_links", mode="before")
    @classmethod
    def _links(cls, value: Any) -> list[str]:
        lines = str(value or "").splitlines() if isinstance(value, str | None) else list(value)
        cleaned: list[str] = []
        bad: list[str] = []
        for link in (_text(line) for line in lines):
            parsed = urlparse(link)
            if not link:
                continue
            if parsed.scheme not in {"http", "https"} or not parsed.netloc or " " in link:
                bad.append(link)
            elif len(link) > SHORT_TEXT_MAX * 5:
                raise ValueError("A link is too long (at most 1000 characters).")
            elif link not in cleaned:
                cleaned.append(link)
        if bad:
            raise ValueError(
                "Not a web link (it must start with http:// or https://): "
                + ", ".join(repr(link) for link in bad[:5])
            )
        return cleaned


def _review_list(value: Any) -> list[str] | None:
    """Review answers from a list, or a mapping keyed by question; None when none is given."""
    if value is None:
        return None
    if isinstance(value, Mapping):
        value = [value.get(question) for question in RESEARCH_REVIEW_QUESTIONS]
    answers = [_text(answer) for answer in value]
    return answers if any(answers) else None


ReviewAnswers = Annotated[
    list[Annotated[str, Field(max_length=LONG_TEXT_MAX)]] | None, BeforeValidator(_review_list)
]


class DecisionInput(SQLModel):
    """A decision on a time box as the form gives it."""

    decision: Annotated[Decision | None, Optional] = None
    reason: Text = Field(default="", max_length=LONG_TEXT_MAX)
    new_end: OptionalDate = None
    revisit_on: OptionalDate = None
    revisit_phase: Annotated[Phase | None, BeforeValidator(parse_phase)] = None
    review_answers: ReviewAnswers = None

    @field_validator("decision")
    @classmethod
    def _chosen(cls, value: Decision | None) -> Decision:
        if value is None:
            raise ValueError("Choose a decision: extend, cull, park or select.")
        return value


def _review_errors(errors: Mapping[str, str]) -> dict[str, str]:
    """Pydantic's `review_answers.2` as the form's `review_answers[3]` (numbered from 1)."""
    renamed: dict[str, str] = {}
    for key, message in errors.items():
        head, _, index = key.partition(".")
        if head == "review_answers" and index.isdigit():
            key = f"review_answers[{int(index) + 1}]"
        renamed[key] = message
    return renamed


def _score(value: Any) -> int | None:
    """A 1–5 score from a table cell; None when blank; ValueError otherwise."""
    value = _blank_to_none(value)
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"not a score: {value!r}")
    number = float(value)
    if not number.is_integer() or not MIN_SCORE <= number <= MAX_SCORE:
        raise ValueError(f"a score is a whole number {MIN_SCORE}–{MAX_SCORE}, got {value!r}")
    return int(number)


def _row_scores(
    row: Mapping[str, Any], label: Any, errors: dict[str, str], table: str = "matrix"
) -> dict[str, int | None]:
    """The scores of the criteria `row` has a cell for (None: cleared); messages in `errors`."""
    scores: dict[str, int | None] = {}
    for criterion in Criterion:
        if criterion.value not in row:
            continue
        try:
            scores[criterion.value] = _score(row[criterion.value])
        except (TypeError, ValueError) as error:
            errors[f"{table}[{label}].{criterion.value}"] = str(error).capitalize() + "."
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


# --- Helpers on an open session -----------------------------------------------------------


def _public(experiment: Experiment) -> ExperimentPublic:
    return ExperimentPublic.model_validate(experiment)


def _for_edit(
    session: Session,
    experiment_id: int,
    expected_version: int | None,
    mine: Mapping[str, Any],
    project_id: int | None = None,
) -> Experiment:
    """The experiment at the version the user saw (NotFound / StaleEditError otherwise)."""
    return load_for_edit(
        session,
        Experiment,
        experiment_id,
        expected_version,
        mine,
        what="experiment",
        project_id=project_id,
        public=_public,
    )


def _commit(session: Session, experiment: Experiment, mine: Mapping[str, Any]) -> None:
    """Commit; a name taken at the same moment is a field message, a crossing save stale."""
    try:
        commit(session, experiment, mine, public=_public)
    except IntegrityError:
        session.rollback()
        raise InvalidInput(
            duplicate_approach_problems(experiment.approach, [experiment.approach])
        ) from None
    session.refresh(experiment)


def _check_name(
    session: Session, project_id: int, approach: str, experiment_id: int | None = None
) -> None:
    """Refuse a name another experiment of the project has (ignoring case and spaces)."""
    others = session.exec(
        select(Experiment.approach).where(
            Experiment.project_id == project_id,
            Experiment.approach_key == approach_key(approach),
            Experiment.id != (experiment_id or -1),
        )
    ).all()
    problems = duplicate_approach_problems(approach, others)
    if problems:
        raise InvalidInput(problems)


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


def _experiment_box(session: Session, experiment: Experiment) -> TimeBox:
    return _box(
        experiment.start_date,
        experiment.research_days,
        experiment.prototype_days,
        _extensions(session, [experiment.id]),
    )


def _view(
    experiment: Experiment,
    extensions: Sequence[TimeBoxExtension],
    hours: float,
    today: date,
) -> ExperimentView:
    """An experiment as pages see it, with its time box evaluated on `today`."""
    public = _public(experiment)
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
                **{k: _plain(v) for k, v in experiment_in.model_dump().items() if v not in ("",)},
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
            key: [_plain(stored[key]), _plain(value)]
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
    who = _text(who) or actor
    note = _text(note)
    errors: dict[str, str] = {}
    day = _blank_to_none(day)
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


def record_result(
    engine: Engine,
    *,
    experiment_id: int,
    expected_version: int | None,
    metric_name: Any,
    result_value: Any,
    baseline_value: Any,
    evidence_links: Iterable[str] | str | None,
    actor: str,
) -> ExperimentPublic:
    """Store the measured result against the baseline and links to the evidence (a list, or
    text with one link a line), logging it."""
    actor = check_actor(actor)
    result_in = _parsed(
        ResultInput,
        {
            "metric_name": metric_name,
            "result_value": result_value,
            "baseline_value": baseline_value,
            "evidence_links": evidence_links,
        },
    )
    if result_in.result_value is not None and not result_in.metric_name:
        raise InvalidInput({"metric_name": "Name the metric the result is measured in."})
    new = result_in.model_dump()
    with Session(engine) as session:
        experiment = _for_edit(session, experiment_id, expected_version, new)
        diff = {
            key: [getattr(experiment, key), value]
            for key, value in new.items()
            if getattr(experiment, key) != value
        }
        if not diff:
            return _public(experiment)
        experiment.sqlmodel_update(new)
        experiment.updated_at = utc_now()
        session.add(experiment)
        result, baseline = result_in.result_value, result_in.baseline_value
        versus = f" vs baseline {baseline:g}" if baseline is not None and result is not None else ""
        links = result_in.evidence_links
        crud.record_activity(
            session,
            project_id=experiment.project_id,
            actor=actor,
            action="experiment result",
            summary=f"{_label(experiment).capitalize()}: "
            + (
                f"{result_in.metric_name} = {result:g}{versus}"
                if result is not None
                else "result cleared"
            )
            + (f"; {len(links)} evidence link(s)." if links else "."),
            changes={"experiment_id": experiment_id, **diff},
        )
        _commit(session, experiment, new)
        return _public(experiment)


def record_research_review(
    engine: Engine,
    *,
    experiment_id: int,
    expected_version: int | None,
    answers: Mapping[str, str] | Sequence[str],
    actor: str,
) -> ExperimentPublic:
    """Store the answers to Wilson's end-of-research questions (all four required), logging them."""
    actor = check_actor(actor)
    try:
        given = _parsed(DecisionInput, {"decision": "cull", "review_answers": answers})
    except InvalidInput as error:
        raise InvalidInput(_review_errors(error.errors)) from None
    listed = given.review_answers or []
    problems = review_problems(listed)
    if problems:
        raise InvalidInput(problems)
    review = dict(zip(RESEARCH_REVIEW_QUESTIONS, listed, strict=True))
    mine = {"review_answers": review}
    with Session(engine) as session:
        experiment = _for_edit(session, experiment_id, expected_version, mine)
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
        _commit(session, experiment, mine)
        return _public(experiment)


def decide(
    engine: Engine,
    *,
    experiment_id: int,
    expected_version: int | None,
    decision: Decision | str | None,
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
    The rules are ``workbench.domain.experiments.decision_problems``.
    """
    actor = check_actor(actor)
    try:
        given = _parsed(
            DecisionInput,
            {
                "decision": decision,
                "reason": reason,
                "new_end": new_end,
                "revisit_on": revisit_on,
                "revisit_phase": revisit_phase,
                "review_answers": review_answers,
            },
        )
    except InvalidInput as error:
        raise InvalidInput(_review_errors(error.errors)) from None
    choice: Decision = given.decision
    reason = given.reason
    mine = {"decision": choice, "decision_reason": reason}
    with Session(engine) as session:
        experiment = _for_edit(session, experiment_id, expected_version, mine)
        box = _experiment_box(session, experiment)
        decided = None
        if experiment.status == ExperimentStatus.DECIDED:
            when = experiment.decided_at.date().isoformat() if experiment.decided_at else "earlier"
            decided = f"{experiment.decision} by {experiment.decided_by or 'someone'} on {when}"
        problems = decision_problems(
            decision=choice,
            reason=reason,
            new_end=given.new_end,
            box=box,
            today=today,
            review_done=bool(experiment.review_answers),
            review_answers=given.review_answers,
            decided=decided,
        )
        if problems:
            raise InvalidInput(problems)
        state = timebox.time_box_state(box, today, review_done=bool(experiment.review_answers))
        review = (
            dict(zip(RESEARCH_REVIEW_QUESTIONS, given.review_answers, strict=True))
            if given.review_answers
            else None
        )
        now = utc_now()
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
                new_end=given.new_end,
                extended_by=actor,
                extended_at=now,
            )
            session.add(extension)
            changes["end"] = [state.overall_end.isoformat(), given.new_end.isoformat()]
            summary = (
                f"{_label(experiment).capitalize()}: time box extended from "
                f"{state.overall_end.isoformat()} to {given.new_end.isoformat()}. Reason: {reason}"
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
                parked_id = _park(session, experiment, given, actor)
                changes["parking_lot_item_id"] = parked_id
                phase = given.revisit_phase
                summary += (
                    " Parked in the parking lot"
                    + (
                        f", to revisit on {given.revisit_on.isoformat()}"
                        if given.revisit_on
                        else ""
                    )
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
        _commit(session, experiment, mine)
        if extension is not None:
            session.refresh(extension)
        return DecisionOutcome(
            experiment=_public(experiment),
            extension=ExtensionPublic.model_validate(extension) if extension else None,
            parking_lot_item_id=parked_id,
        )


def _park(session: Session, experiment: Experiment, given: DecisionInput, actor: str) -> int:
    """Put a parked approach in the parking lot (in the caller's transaction); its item id."""
    phase = given.revisit_phase
    item = ParkingLotItem(
        project_id=experiment.project_id,
        idea=(
            experiment.approach + (f": {experiment.hypothesis}" if experiment.hypothesis else "")
        )[:LONG_TEXT_MAX],
        raised_by=experiment.owner or actor,
        why_deferred=given.reason,
        revisit_on=given.revisit_on,
        revisit_phase=phase.value if phase else None,
        source_kind=SourceKind.EXPERIMENT,
        source_id=experiment.id,
        source_label=f"Experiment: {experiment.approach}"[:SHORT_TEXT_MAX],
    )
    session.add(item)
    session.flush()
    return item.id


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


def _box_end(start: date, working_days: int) -> date:
    """The last day of a box of `working_days` working days from `start` (no holidays), in
    constant time: ``add_working_days`` without its walk from day to day."""
    first = start + timedelta(days=7 - start.weekday()) if start.weekday() >= 5 else start
    weeks, rest = divmod(working_days - 1, 5)
    end = first + timedelta(weeks=weeks, days=rest)
    return end + timedelta(days=2) if first.weekday() + rest >= 5 else end


class _days_after(FunctionElement):
    """``day + days`` (a date column plus a whole number of days) as a date, in SQL."""

    type = Date()
    name = "days_after"
    inherit_cache = True


@compiles(_days_after)
def _days_after_sqlite(element: _days_after, compiler: Any, **kw: Any) -> str:
    day, days = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"date({day}, '+' || ({days}) || ' days')"


@compiles(_days_after, "postgresql")
def _days_after_postgresql(element: _days_after, compiler: Any, **kw: Any) -> str:
    day, days = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"({day} + ({days}))"


def overdue_experiments(engine: Engine, today: date) -> list[OverdueExperiment]:
    """Every undecided experiment, in all projects, whose box is due a decision on `today`.

    A box is due once `today` reaches its overall end (the latest extension's end, else the
    end of its research and prototype days). One query, which keeps only the boxes that can be
    due: extended ones whose latest end is past, and the others whose start is at least as far
    back as their working days can possibly span (n working days cover at least
    ``n - 1 + 2·⌊(n - 1) / 5⌋`` calendar days). Only those rows are read, and only the columns
    the portfolio needs; their ends, burn and overrun are then counted arithmetically, with the
    domain's rule (``timebox.status``: due when elapsed ≥ total working days).
    """
    last_end = (
        select(
            col(TimeBoxExtension.experiment_id).label("experiment_id"),
            func.max(TimeBoxExtension.new_end).label("new_end"),
        )
        .group_by(col(TimeBoxExtension.experiment_id))
        .subquery()
    )
    span = col(Experiment.research_days) + col(Experiment.prototype_days) - 1
    statement = (
        select(
            Experiment.id,
            Experiment.project_id,
            Experiment.approach,
            Experiment.owner,
            Experiment.start_date,
            Experiment.research_days,
            Experiment.prototype_days,
            Project.name,
            last_end.c.new_end,
        )
        .join(Project, col(Project.id) == col(Experiment.project_id))
        .outerjoin(last_end, last_end.c.experiment_id == col(Experiment.id))
        .where(
            Experiment.status != ExperimentStatus.DECIDED.value,
            or_(
                last_end.c.new_end <= today,
                and_(
                    last_end.c.new_end.is_(None),
                    _days_after(col(Experiment.start_date), span + 2 * (span // 5)) <= today,
                ),
            ),
        )
        .order_by(func.lower(Project.name), col(Experiment.id))
    )
    with Session(engine) as session:
        rows = session.exec(statement).all()
    elapsed_today = 1 if is_working_day(today) else 0
    overdue: list[OverdueExperiment] = []
    for (
        experiment_id,
        project_id,
        approach,
        owner,
        start,
        research_days,
        prototype_days,
        project_name,
        extended_end,
    ) in rows:
        end = extended_end or _box_end(start, research_days + prototype_days)
        first = working_day_on_or_after(start)
        total = working_days_between(first, end) + 1
        elapsed = working_days_between(first, today) + elapsed_today if today >= first else 0
        if elapsed < total:  # timebox.status: due from 100 % burn on
            continue
        overdue.append(
            OverdueExperiment(
                project_id=project_id,
                project_name=project_name,
                experiment_id=experiment_id,
                approach=approach,
                owner=owner,
                overall_end=end,
                burn_percent=elapsed * 100 / total,
                overrun_working_days=max(0, elapsed - total),
            )
        )
    return overdue


# --- Culling matrix and Go/No-Go ----------------------------------------------------------


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
        scores = {k: v for k, v in _row_scores(row, index + 1, errors).items() if v is not None}
        name = _text(row.get("approach")) or f"row {index + 1}"
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
    table: str = "matrix",
) -> int:
    """Store the culling-matrix scores the user changed: each row has the experiment's `id`, the
    `version` the user saw and a cell for each criterion changed (blank: cleared; criteria not
    in the row stay as stored); optionally `row`, its number in the table, for messages.

    All rows or none: a row changed since the user saw it is refused (StaleEditError) and
    nothing is written. Returns how many experiments changed.
    """
    actor = check_actor(actor)
    errors: dict[str, str] = {}
    parsed = [
        (int(row["id"]), row.get("version"), _row_scores(row, row.get("row", i + 1), errors, table))
        for i, row in enumerate(rows)
    ]
    if errors:
        raise InvalidInput(errors)
    changed = 0
    with Session(engine) as session:
        touched: list[tuple[Experiment, dict[str, Any]]] = []
        for experiment_id, version, cells in parsed:
            experiment = _for_edit(
                session, experiment_id, version, {"matrix_scores": cells}, project_id=project_id
            )
            old = {k: int(v) for k, v in (experiment.matrix_scores or {}).items()}
            new = {k: v for k, v in {**old, **cells}.items() if v is not None}
            if new == old:
                continue
            experiment.matrix_scores = new
            experiment.updated_at = utc_now()
            session.add(experiment)
            crud.record_activity(
                session,
                project_id=project_id,
                actor=actor,
                action="matrix scored",
                summary=f"{_label(experiment).capitalize()}: culling-matrix scores "
                + ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in new.items())
                + ".",
                changes={"experiment_id": experiment_id, "matrix_scores": [old, new]},
            )
            touched.append((experiment, {"matrix_scores": new}))
            changed += 1
        if touched:
            commit(session, touched[0][0], touched[0][1], public=_public)
    return changed


def record_go_no_go(
    engine: Engine,
    *,
    project_id: int,
    expected_project_version: int | None,
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
    written in one transaction: all of them or none; the project's version moves on. Raises
    InvalidInput (nothing stored) or StaleEditError when the project changed since
    `expected_project_version`. The rules are ``workbench.domain.experiments``'.
    """
    actor = check_actor(actor)
    reasons = _text(reasons)
    if len(reasons) > LONG_TEXT_MAX:
        raise InvalidInput({"reasons": f"Too long: at most {LONG_TEXT_MAX} characters."})
    selected_experiment_id = _blank_to_none(selected_experiment_id) if go else None
    weight_of = _weights(weights)
    with Session(engine) as session:
        project = load_for_edit(
            session,
            Project,
            project_id,
            expected_project_version,
            {},
            what="project",
            public=ProjectPublic.model_validate,
        )
        experiments = list(
            session.exec(
                select(Experiment)
                .where(Experiment.project_id == project_id)
                .order_by(col(Experiment.id))
            ).all()
        )
        problems = go_no_go_problems(
            go=go,
            reasons=reasons,
            selected_id=selected_experiment_id,
            candidates=[
                GoCandidate(e.id, e.approach, Decision(e.decision) if e.decision else None)
                for e in experiments
            ],
        )
        if problems:
            raise InvalidInput(problems)
        selected = next((e for e in experiments if e.id == selected_experiment_id), None)
        ranking = rank_matrix(
            [{"approach": e.approach, **(e.matrix_scores or {})} for e in experiments], weight_of
        )
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
        move = go_no_go_move(
            go=go,
            phase_before=phase_before,
            approach=selected.approach if selected else "",
            reasons=reasons,
        )
        if move.target is not None:
            # The same transaction: the decision, its gate ticks and the phase move land together.
            apply_phase_move(session, project, target=move.target, actor=actor, note=move.note)
        else:
            project.updated_at = now  # a Go/No-Go changes the project: its version moves on
            session.add(project)
        commit(session, project, {}, public=ProjectPublic.model_validate)
        session.refresh(record)
        decision = GoNoGoPublic.model_validate(record)
    return GoNoGoOutcome(
        decision=decision,
        phase_before=phase_before,
        phase_after=move.target or phase_before,
        moved=move.target is not None,
        message=move.message,
    )


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
