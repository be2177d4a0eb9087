"""What the experiment use cases share: the views pages get, parsing a new or edited
experiment, and helpers on an open session (loading for edit, committing, time boxes)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel, col, select

from workbench.domain import timebox
from workbench.domain.experiments import ExperimentStatus, approach_key, duplicate_approach_problems
from workbench.domain.timebox import Decision, Extension, TimeBox, TimeBoxState, TimeBoxStatus
from workbench.errors import InvalidInput, field_errors
from workbench.models import Experiment, TimeBoxExtension
from workbench.models.experiments import (
    EXPERIMENT_FIELDS,
    ExperimentCreate,
    ExperimentPublic,
    ExtensionPublic,
)
from workbench.versioning import commit, load_for_edit

DECISION_ACTIONS: Mapping[Decision, str] = {
    Decision.EXTEND: "time box extended",
    Decision.CULL: "experiment culled",
    Decision.PARK: "experiment parked",
    Decision.SELECT: "experiment selected",
}


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


def _label(experiment: Experiment) -> str:
    """How the activity log names an experiment."""
    return f"experiment {experiment.approach!r}"
