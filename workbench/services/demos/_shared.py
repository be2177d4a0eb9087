"""What the demo plan's use cases share: limits, the plain values handed to pages, parsing of
typed input, and reading features."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlmodel import Session, col, select

from workbench.domain.demo_schedule import (
    DemoSchedule,
    DemoType,
    MovedItem,
    ScheduleItem,
    UndemoedFeature,
)
from workbench.errors import NotFound
from workbench.models import Feature as FeatureRow
from workbench.models import FeatureStatus, FeatureTask, Project
from workbench.models.demos import (
    FeaturePublic,
    FeatureTaskPublic,
    FeedbackPublic,
    PlanSettingsPublic,
)
from workbench.models.experiments import ParkingLotPublic
from workbench.models.inputs import split_names
from workbench.services.inputs import is_blank as _missing

ESTIMATE_MAX_WORKING_DAYS = 250
"""About a working year: a feature estimated longer than that should be split."""
MODEL_TESTING_MAX_WORKING_DAYS = 250
UNDEMOED_LIMIT_MAX_WORKING_DAYS = 250
DEFAULT_MODEL_TESTING_DAYS = 5
DEFAULT_MAX_UNDEMOED_DAYS = 10
FEATURE_STATUSES: tuple[str, ...] = tuple(status.value for status in FeatureStatus)
# Features being built or already shown are the ones that can go too long without a demo.
WATCHED_STATUSES = frozenset({FeatureStatus.BUILDING, FeatureStatus.DEMOED})
FEATURE_FIELDS = ("name", "description", "estimate_days", "owner", "status", "smes", "milestone")


class ActionOutcome(StrEnum):
    """What an action from a demo becomes."""

    FEATURE_TASK = "feature task"
    PARKING_LOT = "parking lot"


# --- Plain values handed to pages -----------------------------------------------------------


@dataclass(frozen=True)
class DemoRecord:
    """A demo that took place, with its feedback and what came of it."""

    id: int
    title: str
    held_on: date
    demo_type: DemoType
    format: str
    audience: str
    shown: str
    decisions: str
    feature_id: int | None
    feature_name: str
    recorded_by: str
    recorded_at: datetime
    feedback: tuple[FeedbackPublic, ...]
    tasks: tuple[FeatureTaskPublic, ...]
    parked: tuple[ParkingLotPublic, ...]


@dataclass(frozen=True)
class DemoActionResult:
    """An action from a demo, turned into a feature task or a parked idea (one of the two)."""

    task: FeatureTaskPublic | None = None
    parked: ParkingLotPublic | None = None


@dataclass(frozen=True)
class SlipResult:
    """A recorded slip: the feature with its new estimate and what it moved in the schedule."""

    feature: FeaturePublic
    moved: tuple[MovedItem, ...]


@dataclass(frozen=True)
class FeatureTablesSaved:
    """What a save of the features table changed."""

    added: int
    changed: int
    reordered: bool


@dataclass(frozen=True)
class DemoPlanView:
    """Everything the Demo plan page shows about one project, read in one go.

    `schedule` is None until plan settings are saved. `moved`, `added` and `dropped` compare the
    schedule with the accepted baseline (empty without a baseline).
    """

    project_id: int
    project_name: str
    features: tuple[FeaturePublic, ...]
    settings: PlanSettingsPublic | None
    schedule: DemoSchedule | None
    baseline: tuple[ScheduleItem, ...]
    moved: tuple[MovedItem, ...]
    added: tuple[ScheduleItem, ...]
    dropped: tuple[ScheduleItem, ...]
    upcoming: tuple[ScheduleItem, ...]
    undemoed: tuple[UndemoedFeature, ...]
    demos: tuple[DemoRecord, ...]
    tasks: tuple[FeatureTaskPublic, ...]

    @property
    def moved_keys(self) -> frozenset[str]:
        """Keys of the items whose dates differ from the baseline."""
        return frozenset(m.item.key for m in self.moved)


# --- Small helpers ----------------------------------------------------------------------------


_DATE_SEPARATORS = re.compile(r"[\s,;]+")


def _names_text(text: str | None) -> str:
    return ", ".join(split_names(text))


def _scalar(value: Any) -> Any:
    """A numpy scalar (as pandas hands out table cells) as the plain Python value."""
    return value.item() if hasattr(value, "item") else value


def _whole_days(
    value: Any, *, field: str, errors: dict[str, str], minimum: int, maximum: int, what: str
) -> int | None:
    """Parse a whole number of working days within bounds, or note a message for `field`."""
    if _missing(value):
        errors[field] = f"Required: {what} in working days."
        return None
    if isinstance(value, bool):
        errors[field] = f"Not a number: {value!r}."
        return None
    try:
        number = float(value.strip()) if isinstance(value, str) else float(value)
    except (TypeError, ValueError):
        errors[field] = f"Not a number: {value!r}."
        return None
    if not math.isfinite(number) or not number.is_integer():
        errors[field] = f"Whole working days only: {value} is not a whole number."
        return None
    days = int(number)
    if days < minimum:
        errors[field] = f"At least {minimum} working day{'s' if minimum != 1 else ''}."
    elif days > maximum:
        errors[field] = f"At most {maximum} working days (about a working year)."
    else:
        return days
    return None


def _date(value: Any, *, field: str, errors: dict[str, str]) -> date | None:
    if _missing(value):
        errors[field] = "Required: choose a date."
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        errors[field] = f"Not a valid date: {value!r}. Use YYYY-MM-DD."
        return None


def parse_holidays(value: Any) -> tuple[tuple[date, ...], tuple[str, ...]]:
    """Read holidays typed as text (any of space, comma, semicolon, new line) or given as a list.

    Returns the dates (sorted, each once) and the entries that are not dates.
    """
    if _missing(value):
        return (), ()
    parts = _DATE_SEPARATORS.split(value) if isinstance(value, str) else list(value)
    dates: set[date] = set()
    bad: list[str] = []
    for part in parts:
        if isinstance(part, datetime):
            dates.add(part.date())
        elif isinstance(part, date):
            dates.add(part)
        elif not _missing(part):
            try:
                dates.add(date.fromisoformat(str(part).strip()))
            except ValueError:
                bad.append(str(part).strip())
    return tuple(sorted(dates)), tuple(bad)


def _project(session: Session, project_id: int) -> Project:
    project = session.get(Project, project_id)
    if project is None:
        raise NotFound(f"There is no project with id {project_id}.")
    return project


def _feature_public(row: FeatureRow) -> FeaturePublic:
    return FeaturePublic(
        id=row.id,
        project_id=row.project_id,
        name=row.name,
        description=row.description,
        estimate_days=row.estimate_days,
        owner=row.owner,
        position=row.position,
        status=FeatureStatus(row.status),
        smes=row.smes,
        milestone=row.milestone,
        version=row.version,
        updated_at=row.updated_at,
    )


def _feature_rows(session: Session, project_id: int) -> list[FeatureRow]:
    statement = (
        select(FeatureRow)
        .where(FeatureRow.project_id == project_id)
        .order_by(col(FeatureRow.position), col(FeatureRow.id))
    )
    return list(session.exec(statement).all())


def _feature_row(session: Session, project_id: int, feature_id: int) -> FeatureRow:
    row = session.get(FeatureRow, feature_id)
    if row is None or row.project_id != project_id:
        raise NotFound(f"Feature {feature_id} is not on this project (it may have been removed).")
    return row


def _task_public(task: FeatureTask, feature_name: str) -> FeatureTaskPublic:
    return FeatureTaskPublic(
        id=task.id,
        feature_id=task.feature_id,
        feature_name=feature_name,
        text=task.text,
        done=task.done,
        source_demo_id=task.source_demo_id,
        created_by=task.created_by,
        created_at=task.created_at,
    )
