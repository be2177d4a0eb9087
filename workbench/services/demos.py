"""Demo per feature: MVP features in build order, the generated demo schedule, demos held.

Wilson (*Machine Learning Engineering in Action*, ch. 3.1.3): demo each feature as soon as it is
available, light demos for single features and big ones when features come together. The
schedule itself is computed by the pure domain (`workbench.domain.demo_schedule`) from the plan
settings and the ordered features; this module stores those inputs, the schedule as last accepted
(the baseline, to show what moved), the demos held with feedback per attendee and the actions
that came out of them (a task on a feature, or a parked idea linked back to the demo). Every
change goes to the activity log.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum, StrEnum
from typing import Any, Literal

import pandas as pd
from pydantic import ValidationError, field_validator
from sqlalchemy.engine import Engine
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Field, Session, SQLModel, col, select

from workbench import crud
from workbench.domain.demo_schedule import (
    DemoSchedule,
    DemoType,
    FeatureDemoHistory,
    ItemKind,
    MovedItem,
    ScheduleItem,
    UndemoedFeature,
    compare_schedules,
    plan_demo_schedule,
    replan,
    undemoed_features,
    upcoming_demos,
)
from workbench.domain.demo_schedule import Feature as PlannedFeature
from workbench.errors import InvalidInput, NotFound, StaleEditError, field_errors
from workbench.models import (
    LONG_TEXT_MAX,
    SHORT_TEXT_MAX,
    Demo,
    DemoFeedback,
    DemoPlanSettings,
    FeatureStatus,
    FeatureTask,
    ParkingLotItem,
    Project,
    SourceKind,
    utc_now,
)
from workbench.models import Feature as FeatureRow
from workbench.reporting.calendar_export import demo_schedule_to_csv, demo_schedule_to_ics
from workbench.reporting.demo_slides import demo_outline_pptx
from workbench.services.projects import check_actor
from workbench.services.registers import ParkingLotCreate, ParkingLotPublic

__all__ = [
    "DEFAULT_MAX_UNDEMOED_DAYS",
    "DEFAULT_MODEL_TESTING_DAYS",
    "ESTIMATE_MAX_WORKING_DAYS",
    "FEATURE_STATUSES",
    "ActionOutcome",
    "DemoActionResult",
    "DemoPlanView",
    "DemoRecord",
    "FeaturePublic",
    "FeatureTablesSaved",
    "FeatureTaskPublic",
    "FeedbackPublic",
    "PlanSettingsPublic",
    "SlipResult",
    "accept_plan",
    "add_demo_action",
    "add_feature_task",
    "create_feature",
    "current_schedule",
    "delete_feature",
    "demo_plan",
    "list_demos",
    "list_feature_tasks",
    "list_features",
    "move_feature",
    "parse_holidays",
    "record_demo",
    "record_slip",
    "save_feature_order",
    "save_features",
    "save_plan_settings",
    "schedule_csv",
    "schedule_ics",
    "schedule_slides",
    "set_feature_task_done",
    "split_names",
    "update_feature",
]

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
class FeaturePublic:
    """An MVP feature as pages see it (`position` 0 is built first)."""

    id: int
    project_id: int
    name: str
    description: str
    estimate_days: int
    owner: str
    position: int
    status: FeatureStatus
    smes: str
    milestone: bool
    version: int
    updated_at: datetime

    @property
    def sme_names(self) -> tuple[str, ...]:
        """The SMEs who should see this feature, one name each."""
        return split_names(self.smes)


@dataclass(frozen=True)
class PlanSettingsPublic:
    """A project's demo plan settings; `has_baseline` tells whether a schedule was accepted."""

    project_id: int
    start_date: date
    model_testing_days: int
    holidays: tuple[date, ...]
    max_undemoed_days: int
    light_audience: str
    big_audience: str
    has_baseline: bool
    version: int


@dataclass(frozen=True)
class FeedbackPublic:
    """What one attendee said at a demo."""

    attendee: str
    feedback: str


@dataclass(frozen=True)
class FeatureTaskPublic:
    """A task on a feature; `source_demo_id` links it to the demo it came from."""

    id: int
    feature_id: int
    feature_name: str
    text: str
    done: bool
    source_demo_id: int | None
    created_by: str
    created_at: datetime


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
    removed: int
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


_NAME_SEPARATORS = re.compile(r"[,;\n]+")
_DATE_SEPARATORS = re.compile(r"[\s,;]+")


def split_names(text: str | None) -> tuple[str, ...]:
    """Split a list of people typed as text (comma, semicolon or one per line) into names."""
    seen: dict[str, None] = {}
    for part in _NAME_SEPARATORS.split(text or ""):
        name = part.strip()
        if name:
            seen.setdefault(name, None)
    return tuple(seen)


def _names_text(text: str | None) -> str:
    return ", ".join(split_names(text))


def _missing(value: Any) -> bool:
    """True for what an empty form field or table cell holds: None, NaN, NA or blank text."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _scalar(value: Any) -> Any:
    """A numpy scalar (as pandas hands out table cells) as the plain Python value."""
    return value.item() if hasattr(value, "item") else value


def _text(value: Any) -> str:
    return "" if _missing(value) else str(value).strip()


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


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value


def _project(session: Session, project_id: int) -> Project:
    project = session.get(Project, project_id)
    if project is None:
        raise NotFound(f"There is no project with id {project_id}.")
    return project


# --- Features ---------------------------------------------------------------------------------


class _FeatureText(SQLModel):
    """The text and choice fields of a feature, validated (the estimate is checked apart)."""

    name: str = Field(min_length=1, max_length=SHORT_TEXT_MAX)
    description: str = Field(default="", max_length=LONG_TEXT_MAX)
    owner: str = Field(default="", max_length=SHORT_TEXT_MAX)
    status: FeatureStatus = FeatureStatus.PLANNED
    smes: str = Field(default="", max_length=LONG_TEXT_MAX)
    milestone: bool = False


def _validate_feature(data: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Validate one feature's fields; raises InvalidInput with `prefix`ed field names."""
    errors: dict[str, str] = {}
    raw = {
        "name": _text(data.get("name")),
        "description": _text(data.get("description")),
        "owner": _text(data.get("owner")),
        "smes": _names_text(_text(data.get("smes"))),
        "status": FeatureStatus.PLANNED
        if _missing(data.get("status"))
        else _text(data.get("status")),
        "milestone": False if _missing(data.get("milestone")) else _scalar(data["milestone"]),
    }
    values: dict[str, Any] = {}
    try:
        values = _FeatureText.model_validate(raw).model_dump()
    except ValidationError as error:
        errors.update(field_errors(error, prefix=prefix))
    if not raw["name"]:
        errors[f"{prefix}name"] = "Required: every feature needs a name."
    estimate = _whole_days(
        data.get("estimate_days"),
        field=f"{prefix}estimate_days",
        errors=errors,
        minimum=1,
        maximum=ESTIMATE_MAX_WORKING_DAYS,
        what="the estimate",
    )
    if errors:
        raise InvalidInput(errors)
    values["estimate_days"] = estimate
    return values


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


def _check_unique_names(names: Sequence[tuple[str, str]]) -> None:
    """Refuse repeated feature names (ignoring case); `names` pairs each name with its field."""
    seen: dict[str, str] = {}
    errors: dict[str, str] = {}
    for name, field in names:
        key = name.casefold()
        if key in seen:
            errors[field] = f"A feature called {name!r} is already in the list; names must differ."
        seen.setdefault(key, field)
    if errors:
        raise InvalidInput(errors)


def _diff(row: FeatureRow, values: Mapping[str, Any]) -> dict[str, list[Any]]:
    return {
        key: [_plain(getattr(row, key)), _plain(value)]
        for key, value in values.items()
        if _plain(getattr(row, key)) != _plain(value)
    }


def _renumber(rows: Sequence[FeatureRow]) -> bool:
    """Give `rows` positions 0, 1, 2… in their order; True if any position changed."""
    changed = False
    for position, row in enumerate(rows):
        if row.position != position:
            row.position = position
            row.updated_at = utc_now()
            changed = True
    return changed


def list_features(engine: Engine, project_id: int) -> list[FeaturePublic]:
    """A project's MVP features in build order."""
    with Session(engine) as session:
        return [_feature_public(row) for row in _feature_rows(session, project_id)]


def create_feature(
    engine: Engine, *, project_id: int, data: Mapping[str, Any], actor: str
) -> FeaturePublic:
    """Validate and add a feature at the end of the build order, logging it."""
    actor = check_actor(actor)
    values = _validate_feature(data)
    with Session(engine) as session:
        _project(session, project_id)
        rows = _feature_rows(session, project_id)
        _check_unique_names([*((r.name, "existing") for r in rows), (values["name"], "name")])
        row = FeatureRow(project_id=project_id, position=len(rows), **values)
        session.add(row)
        session.flush()
        crud.record_activity(
            session,
            project_id=project_id,
            actor=actor,
            action="feature added",
            summary=f"Feature {row.name!r} ({row.estimate_days} working days) added as "
            f"number {len(rows) + 1} in the build order.",
            changes={"feature_id": row.id, **{k: _plain(v) for k, v in values.items()}},
        )
        session.commit()
        session.refresh(row)
        return _feature_public(row)


def _stale_feature(session: Session, row: FeatureRow, values: Mapping[str, Any]) -> None:
    current = _feature_public(row)
    raise StaleEditError(
        current=current,
        conflicts={
            f"{row.name}: {key}": (mine, theirs)
            for key, (theirs, mine) in _diff(row, values).items()
        },
        saved_by=crud.last_actor(session, project_id=row.project_id),
    )


def _commit(session: Session, what: str) -> None:
    """Commit; a version clash at write time (another save in between) is refused, not lost."""
    try:
        session.commit()
    except StaleDataError as error:
        session.rollback()
        raise InvalidInput(
            {what: "Someone saved these features at the same moment; reload and try again."}
        ) from error


def update_feature(
    engine: Engine,
    *,
    project_id: int,
    feature_id: int,
    expected_version: int,
    data: Mapping[str, Any],
    actor: str,
) -> FeaturePublic:
    """Edit a feature loaded at `expected_version` (fields not in `data` keep their values).

    Raises StaleEditError (nothing written) when it changed since, InvalidInput on bad input.
    """
    actor = check_actor(actor)
    with Session(engine) as session:
        row = _feature_row(session, project_id, feature_id)
        merged = {field: getattr(row, field) for field in FEATURE_FIELDS} | dict(data)
        values = _validate_feature(merged)
        others = [r for r in _feature_rows(session, project_id) if r.id != row.id]
        _check_unique_names([*((r.name, "existing") for r in others), (values["name"], "name")])
        diff = _diff(row, values)
        if not diff:
            return _feature_public(row)
        if row.version != expected_version:
            _stale_feature(session, row, values)
        old_name = row.name
        row.sqlmodel_update(values)
        row.updated_at = utc_now()
        session.add(row)
        crud.record_activity(
            session,
            project_id=project_id,
            actor=actor,
            action="feature edited",
            summary=f"Feature {old_name!r}: changed {', '.join(diff)}.",
            changes={"feature_id": feature_id, **diff},
        )
        _commit(session, "features")
        session.refresh(row)
        return _feature_public(row)


def delete_feature(
    engine: Engine, *, project_id: int, feature_id: int, expected_version: int, actor: str
) -> None:
    """Remove a feature (and its tasks) loaded at `expected_version`; the rest close up."""
    actor = check_actor(actor)
    with Session(engine) as session:
        row = _feature_row(session, project_id, feature_id)
        if row.version != expected_version:
            raise StaleEditError(
                current=_feature_public(row),
                conflicts={f"{row.name}": ("remove", "changed since you loaded it")},
                saved_by=crud.last_actor(session, project_id=project_id),
            )
        name = row.name
        session.delete(row)
        session.flush()
        _renumber(_feature_rows(session, project_id))
        crud.record_activity(
            session,
            project_id=project_id,
            actor=actor,
            action="feature removed",
            summary=f"Feature {name!r} removed from the MVP.",
            changes={"feature_id": feature_id, "name": name},
        )
        _commit(session, "features")


def move_feature(
    engine: Engine,
    *,
    project_id: int,
    feature_id: int,
    direction: Literal["up", "down"],
    actor: str,
) -> list[FeaturePublic]:
    """Move a feature one place earlier ("up") or later ("down") in the build order."""
    actor = check_actor(actor)
    if direction not in ("up", "down"):
        raise InvalidInput({"order": f"Move up or down, not {direction!r}."})
    with Session(engine) as session:
        rows = _feature_rows(session, project_id)
        index = next((i for i, r in enumerate(rows) if r.id == feature_id), None)
        if index is None:
            raise NotFound(f"Feature {feature_id} is not on this project.")
        other = index - 1 if direction == "up" else index + 1
        if not 0 <= other < len(rows):
            where = "first" if direction == "up" else "last"
            raise InvalidInput({"order": f"{rows[index].name!r} is already {where}."})
        rows[index], rows[other] = rows[other], rows[index]
        _renumber(rows)
        crud.record_activity(
            session,
            project_id=project_id,
            actor=actor,
            action="features reordered",
            summary=f"Moved {rows[other].name!r} {direction} to number {other + 1}.",
            changes={"order": [r.name for r in rows]},
        )
        _commit(session, "order")
        return [_feature_public(r) for r in _feature_rows(session, project_id)]


def save_feature_order(
    engine: Engine, *, project_id: int, ordered_ids: Sequence[int], actor: str
) -> list[FeaturePublic]:
    """Put a project's features in the order of `ordered_ids` (every feature exactly once)."""
    actor = check_actor(actor)
    with Session(engine) as session:
        rows = _feature_rows(session, project_id)
        by_id = {r.id: r for r in rows}
        if sorted(ordered_ids) != sorted(by_id):
            raise InvalidInput(
                {"order": "The list of features changed since you loaded it; reload and retry."}
            )
        before = [r.name for r in rows]
        ordered = [by_id[i] for i in ordered_ids]
        if _renumber(ordered):
            crud.record_activity(
                session,
                project_id=project_id,
                actor=actor,
                action="features reordered",
                summary="New build order: " + ", ".join(r.name for r in ordered) + ".",
                changes={"order": [before, [r.name for r in ordered]]},
            )
            _commit(session, "order")
        return [_feature_public(r) for r in _feature_rows(session, project_id)]


_TYPED_FIELDS = ("name", "description", "estimate_days", "owner", "smes")


def _row_id(value: Any) -> int | None:
    return None if _missing(value) else int(value)


def save_features(
    engine: Engine,
    *,
    project_id: int,
    rows: Sequence[Mapping[str, Any]],
    loaded_versions: Mapping[int, int],
    actor: str,
) -> FeatureTablesSaved:
    """Save the edited features table, all or nothing.

    Args:
        rows: the table's rows: `id` (None for a new row), an `order` number (rows are sorted by
            it, blanks last, ties in table order) and the feature fields. Fully blank new rows
            are ignored.
        loaded_versions: id → version of every feature the table was loaded with; a loaded
            feature missing from `rows` is removed.

    Raises:
        InvalidInput: bad fields, named `features[row].field` (row counted from 1).
        StaleEditError: a feature this save would change or remove was changed by someone else
            since it was loaded; nothing is written.
    """
    actor = check_actor(actor)
    errors: dict[str, str] = {}
    parsed: list[tuple[int | None, float, int, dict[str, Any]]] = []
    for index, row in enumerate(rows):
        feature_id = _row_id(row.get("id"))
        if feature_id is None and all(_missing(row.get(f)) for f in _TYPED_FIELDS):
            continue  # a row added to the table and left empty is not a feature
        prefix = f"features[{index + 1}]."
        try:
            values = _validate_feature(row, prefix=prefix)
        except InvalidInput as error:
            errors.update(error.errors)
            values = None
        rank = math.inf
        if not _missing(row.get("order")):
            try:
                rank = float(row["order"])
            except (TypeError, ValueError):
                errors[prefix + "order"] = f"Not a number: {row['order']!r}."
        if values is not None:
            parsed.append((feature_id, rank, index, values))
    if errors:
        raise InvalidInput(errors)
    parsed.sort(key=lambda entry: (entry[1], entry[2]))

    with Session(engine) as session:
        _project(session, project_id)
        stored = {r.id: r for r in _feature_rows(session, project_id)}
        kept_ids = {feature_id for feature_id, *_ in parsed if feature_id is not None}
        conflicts: dict[str, tuple[Any, Any]] = {}
        stale_row: FeatureRow | None = None
        for feature_id in kept_ids - stored.keys():
            conflicts[f"feature {feature_id}"] = ("edited", "removed by someone else")
        for feature_id, version in loaded_versions.items():
            row = stored.get(feature_id)
            if row is not None and feature_id not in kept_ids and row.version != version:
                conflicts[row.name] = ("remove", "changed since you loaded it")
                stale_row = row
        for feature_id, _, _, values in parsed:
            row = stored.get(feature_id) if feature_id is not None else None
            if row is None or not _diff(row, values):
                continue
            if row.version != loaded_versions.get(feature_id, row.version):
                conflicts.update(
                    {
                        f"{row.name}: {key}": (mine, theirs)
                        for key, (theirs, mine) in _diff(row, values).items()
                    }
                )
                stale_row = row
        if conflicts:
            current = _feature_public(stale_row) if stale_row is not None else None
            raise StaleEditError(
                current=current,
                conflicts=conflicts,
                saved_by=crud.last_actor(session, project_id=project_id),
            )
        # Names must differ across the table and any feature someone else added meanwhile.
        _check_unique_names(
            [
                *(
                    (r.name, "existing")
                    for i, r in stored.items()
                    if i not in kept_ids and i not in loaded_versions
                ),
                *(
                    (values["name"], f"features[{index + 1}].name")
                    for _, _, index, values in parsed
                ),
            ]
        )

        added = changed = 0
        removed_names = []
        removed_ids = sorted((loaded_versions.keys() - kept_ids) & stored.keys())
        before = [r.id for r in stored.values() if r.id not in removed_ids]
        for feature_id in removed_ids:
            removed_names.append(stored[feature_id].name)
            session.delete(stored[feature_id])
        ordered: list[FeatureRow] = []
        for feature_id, _, _, values in parsed:
            row = stored.get(feature_id) if feature_id is not None else None
            if row is None:
                row = FeatureRow(project_id=project_id, position=len(stored) + added, **values)
                session.add(row)
                added += 1
                crud.record_activity(
                    session,
                    project_id=project_id,
                    actor=actor,
                    action="feature added",
                    summary=f"Feature {row.name!r} ({row.estimate_days} working days) added.",
                    changes={k: _plain(v) for k, v in values.items()},
                )
            else:
                diff = _diff(row, values)
                if diff:
                    crud.record_activity(
                        session,
                        project_id=project_id,
                        actor=actor,
                        action="feature edited",
                        summary=f"Feature {row.name!r}: changed {', '.join(diff)}.",
                        changes={"feature_id": row.id, **diff},
                    )
                    row.sqlmodel_update(values)
                    row.updated_at = utc_now()
                    session.add(row)
                    changed += 1
            ordered.append(row)
        # Features someone else added since this table was loaded keep their place at the end.
        ordered += [r for i, r in stored.items() if i not in kept_ids and i not in loaded_versions]
        reordered = before != [r.id for r in ordered if r.id is not None]
        session.flush()
        _renumber(ordered)
        if removed_names:
            crud.record_activity(
                session,
                project_id=project_id,
                actor=actor,
                action="feature removed",
                summary="Removed from the MVP: " + ", ".join(map(repr, removed_names)) + ".",
                changes={"removed": removed_names},
            )
        if reordered:
            crud.record_activity(
                session,
                project_id=project_id,
                actor=actor,
                action="features reordered",
                summary="New build order: " + ", ".join(r.name for r in ordered) + ".",
                changes={"order": [r.name for r in ordered]},
            )
        _commit(session, "features")
        return FeatureTablesSaved(
            added=added, changed=changed, removed=len(removed_ids), reordered=reordered
        )


# --- Plan settings, the schedule and its baseline ---------------------------------------------


def _settings_public(row: DemoPlanSettings) -> PlanSettingsPublic:
    return PlanSettingsPublic(
        project_id=row.project_id,
        start_date=row.start_date,
        model_testing_days=row.model_testing_days,
        holidays=tuple(sorted(date.fromisoformat(h) for h in row.holidays)),
        max_undemoed_days=row.max_undemoed_days,
        light_audience=row.light_audience,
        big_audience=row.big_audience,
        has_baseline=bool(row.baseline),
        version=row.version,
    )


def _validate_settings(data: Mapping[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    start = _date(data.get("start_date"), field="start_date", errors=errors)
    model_testing = _whole_days(
        data.get("model_testing_days"),
        field="model_testing_days",
        errors=errors,
        minimum=1,
        maximum=MODEL_TESTING_MAX_WORKING_DAYS,
        what="model testing",
    )
    max_undemoed = _whole_days(
        data.get("max_undemoed_days"),
        field="max_undemoed_days",
        errors=errors,
        minimum=0,
        maximum=UNDEMOED_LIMIT_MAX_WORKING_DAYS,
        what="the longest gap between demos",
    )
    holidays, bad = parse_holidays(data.get("holidays"))
    if bad:
        errors["holidays"] = (
            f"Not a date: {', '.join(map(repr, bad))}. Write each holiday as YYYY-MM-DD, "
            "one per line."
        )
    audiences = {}
    for field in ("light_audience", "big_audience"):
        text = _names_text(_text(data.get(field)))
        if len(text) > LONG_TEXT_MAX:
            errors[field] = f"Too long: at most {LONG_TEXT_MAX} characters."
        audiences[field] = text
    if errors:
        raise InvalidInput(errors)
    return {
        "start_date": start,
        "model_testing_days": model_testing,
        "max_undemoed_days": max_undemoed,
        "holidays": [h.isoformat() for h in holidays],
        **audiences,
    }


def save_plan_settings(
    engine: Engine,
    *,
    project_id: int,
    expected_version: int | None,
    data: Mapping[str, Any],
    actor: str,
) -> PlanSettingsPublic:
    """Save a project's demo plan settings (`expected_version` None: there were none yet).

    `data` holds `start_date`, `model_testing_days`, `holidays` (text or a list of dates),
    `max_undemoed_days`, `light_audience` and `big_audience` (names as text). Raises
    InvalidInput on bad input and StaleEditError when someone saved settings in between.
    """
    actor = check_actor(actor)
    values = _validate_settings(data)
    with Session(engine) as session:
        _project(session, project_id)
        row = session.get(DemoPlanSettings, project_id)
        if row is not None and row.version != expected_version:
            current = _settings_public(row)
            raise StaleEditError(
                current=current,
                conflicts={
                    key: (_plain(value), _plain(getattr(row, key)))
                    for key, value in values.items()
                    if _plain(getattr(row, key)) != _plain(value)
                },
                saved_by=crud.last_actor(session, project_id=project_id),
            )
        if row is None:
            if expected_version is not None:
                raise InvalidInput(
                    {"settings": "These settings were removed meanwhile; reload the page."}
                )
            row = DemoPlanSettings(project_id=project_id, **values)
            changes = {key: _plain(value) for key, value in values.items()}
        else:
            changes = {
                key: [_plain(getattr(row, key)), _plain(value)]
                for key, value in values.items()
                if _plain(getattr(row, key)) != _plain(value)
            }
            if not changes:
                return _settings_public(row)
            row.sqlmodel_update(values)
        session.add(row)
        crud.record_activity(
            session,
            project_id=project_id,
            actor=actor,
            action="demo plan settings saved",
            summary="Demo plan: " + ", ".join(k.replace("_", " ") for k in changes) + ".",
            changes=changes,
        )
        try:
            session.commit()
        except StaleDataError as error:
            session.rollback()
            raise InvalidInput(
                {"settings": "Someone saved the settings at the same moment; reload and retry."}
            ) from error
        session.refresh(row)
        return _settings_public(row)


def _schedule(settings: DemoPlanSettings, features: Sequence[FeatureRow]) -> DemoSchedule:
    return plan_demo_schedule(
        start=settings.start_date,
        model_testing_working_days=settings.model_testing_days,
        features=[
            PlannedFeature(
                name=f.name,
                estimate_working_days=f.estimate_days,
                milestone=f.milestone,
                audience=split_names(f.smes),
            )
            for f in features
        ],
        holidays=[date.fromisoformat(h) for h in settings.holidays],
        light_demo_audience=split_names(settings.light_audience),
        big_demo_audience=split_names(settings.big_audience),
    )


def current_schedule(engine: Engine, project_id: int) -> DemoSchedule | None:
    """The demo schedule generated from the saved settings and features (None: no settings)."""
    with Session(engine) as session:
        settings = session.get(DemoPlanSettings, project_id)
        if settings is None:
            return None
        return _schedule(settings, _feature_rows(session, project_id))


def _item_json(item: ScheduleItem) -> dict[str, Any]:
    return {
        "kind": item.kind.value,
        "title": item.title,
        "start": item.start.isoformat(),
        "end": item.end.isoformat(),
        "demo_type": item.demo_type.value if item.demo_type else None,
        "audience": list(item.audience),
        "feature": item.feature,
        "shows": item.shows,
    }


def _item_from_json(data: Mapping[str, Any]) -> ScheduleItem:
    return ScheduleItem(
        kind=ItemKind(data["kind"]),
        title=data["title"],
        start=date.fromisoformat(data["start"]),
        end=date.fromisoformat(data["end"]),
        demo_type=DemoType(data["demo_type"]) if data.get("demo_type") else None,
        audience=tuple(data.get("audience") or ()),
        feature=data.get("feature"),
        shows=data.get("shows") or "",
    )


def _against_baseline(
    schedule: DemoSchedule, baseline: Sequence[ScheduleItem]
) -> tuple[tuple[MovedItem, ...], tuple[ScheduleItem, ...], tuple[ScheduleItem, ...]]:
    """What moved, what is new and what was dropped since the baseline."""
    if not baseline:
        return (), (), ()
    # compare_schedules reads only the old schedule's items; the plan is the current one.
    moved = compare_schedules(DemoSchedule(plan=schedule.plan, items=tuple(baseline)), schedule)
    before = {item.key for item in baseline}
    now = {item.key for item in schedule.items}
    added = tuple(item for item in schedule.items if item.key not in before)
    dropped = tuple(item for item in baseline if item.key not in now)
    return moved, added, dropped


def accept_plan(
    engine: Engine, *, project_id: int, expected_version: int, actor: str
) -> PlanSettingsPublic:
    """Store the current schedule as the baseline later changes are compared with, logging it.

    Raises InvalidInput when no settings are saved yet, StaleEditError when the settings changed
    since `expected_version` (so what is accepted is what the person saw).
    """
    actor = check_actor(actor)
    with Session(engine) as session:
        settings = session.get(DemoPlanSettings, project_id)
        if settings is None:
            raise InvalidInput({"baseline": "Save the plan settings first: there is no schedule."})
        if settings.version != expected_version:
            raise StaleEditError(
                current=_settings_public(settings),
                conflicts={},
                saved_by=crud.last_actor(session, project_id=project_id),
            )
        schedule = _schedule(settings, _feature_rows(session, project_id))
        previous = [_item_from_json(item) for item in settings.baseline]
        moved, _, _ = _against_baseline(schedule, previous)
        settings.baseline = [_item_json(item) for item in schedule.items]
        session.add(settings)
        since = f" {len(moved)} item(s) had moved since the previous baseline." if previous else ""
        crud.record_activity(
            session,
            project_id=project_id,
            actor=actor,
            action="demo plan accepted",
            summary=f"Accepted the demo schedule as the baseline: {len(schedule.demos)} demos, "
            f"the last on {schedule.end.isoformat()}.{since}",
            changes={
                "end": schedule.end.isoformat(),
                "demos": len(schedule.demos),
                "moved": [m.item.title for m in moved],
            },
        )
        try:
            session.commit()
        except StaleDataError as error:
            session.rollback()
            raise InvalidInput(
                {"baseline": "Someone changed the settings at the same moment; reload and retry."}
            ) from error
        session.refresh(settings)
        return _settings_public(settings)


def record_slip(
    engine: Engine,
    *,
    project_id: int,
    feature_id: int,
    working_days: Any,
    reason: str,
    actor: str,
) -> SlipResult:
    """Record that a feature slipped (or finished early, with negative days): its estimate grows
    by `working_days` and every later item moves; returns what moved in the current schedule.
    """
    actor = check_actor(actor)
    errors: dict[str, str] = {}
    days = _whole_days(
        working_days,
        field="working_days",
        errors=errors,
        minimum=-ESTIMATE_MAX_WORKING_DAYS,
        maximum=ESTIMATE_MAX_WORKING_DAYS,
        what="the slip",
    )
    reason = _text(reason)
    if days == 0:
        errors["working_days"] = "A slip of 0 working days changes nothing."
    if len(reason) > LONG_TEXT_MAX:
        errors["reason"] = f"Too long: at most {LONG_TEXT_MAX} characters."
    if errors:
        raise InvalidInput(errors)
    with Session(engine) as session:
        row = _feature_row(session, project_id, feature_id)
        new_estimate = row.estimate_days + days
        if not 1 <= new_estimate <= ESTIMATE_MAX_WORKING_DAYS:
            raise InvalidInput(
                {
                    "working_days": f"{row.name!r} is estimated at {row.estimate_days} working "
                    f"days; the new estimate ({new_estimate}) must be between 1 and "
                    f"{ESTIMATE_MAX_WORKING_DAYS}."
                }
            )
        settings = session.get(DemoPlanSettings, project_id)
        moved: tuple[MovedItem, ...] = ()
        if settings is not None:
            schedule = _schedule(settings, _feature_rows(session, project_id))
            moved = replan(schedule, {row.name: days}).moved
        old_estimate = row.estimate_days
        row.estimate_days = new_estimate
        row.updated_at = utc_now()
        session.add(row)
        last = moved[-1] if moved else None
        crud.record_activity(
            session,
            project_id=project_id,
            actor=actor,
            action="feature slipped",
            summary=f"Feature {row.name!r} {'slipped' if days > 0 else 'came in early'} by "
            f"{abs(days)} working day(s): estimate {old_estimate} → {new_estimate}."
            + (f" {len(moved)} item(s) moved; the last demo is now {last.new_end}." if last else "")
            + (f" Reason: {reason}" if reason else ""),
            changes={
                "feature_id": row.id,
                "estimate_days": [old_estimate, new_estimate],
                "moved": [m.item.title for m in moved],
                "reason": reason,
            },
        )
        _commit(session, "working_days")
        session.refresh(row)
        return SlipResult(feature=_feature_public(row), moved=moved)


# --- Demos held, feedback and actions -------------------------------------------------------


class _DemoIn(SQLModel):
    """A demo's own fields, validated."""

    title: str = Field(min_length=1, max_length=SHORT_TEXT_MAX)
    held_on: date
    demo_type: DemoType = DemoType.LIGHT
    format: str = Field(default="", max_length=SHORT_TEXT_MAX)
    audience: str = Field(default="", max_length=LONG_TEXT_MAX)
    shown: str = Field(default="", max_length=LONG_TEXT_MAX)
    decisions: str = Field(default="", max_length=LONG_TEXT_MAX)

    @field_validator("title", "format", "audience", "shown", "decisions", mode="before")
    @classmethod
    def _strip(cls, value: Any) -> Any:
        return value.strip() if isinstance(value, str) else value


@dataclass(frozen=True)
class _Action:
    text: str
    outcome: ActionOutcome
    feature: FeatureRow | None
    why_deferred: str


def _feature_by_name(rows: Sequence[FeatureRow], name: str) -> FeatureRow | None:
    key = name.strip().casefold()
    return next((r for r in rows if r.name.casefold() == key), None)


def _validate_feedback(rows: Iterable[Mapping[str, Any]]) -> tuple[list[FeedbackPublic], dict]:
    valid: list[FeedbackPublic] = []
    errors: dict[str, str] = {}
    for index, row in enumerate(rows):
        attendee, said = _text(row.get("attendee")), _text(row.get("feedback"))
        prefix = f"feedback[{index + 1}]."
        if not said:
            continue  # an attendee without feedback attended and had nothing to add
        if not attendee:
            errors[prefix + "attendee"] = "Required: who gave this feedback?"
        elif len(attendee) > SHORT_TEXT_MAX:
            errors[prefix + "attendee"] = f"Too long: at most {SHORT_TEXT_MAX} characters."
        if len(said) > LONG_TEXT_MAX:
            errors[prefix + "feedback"] = f"Too long: at most {LONG_TEXT_MAX} characters."
        if attendee and not any(key.startswith(prefix) for key in errors):
            valid.append(FeedbackPublic(attendee=attendee, feedback=said))
    return valid, errors


def _validate_action(
    row: Mapping[str, Any],
    prefix: str,
    features: Sequence[FeatureRow],
    default_feature: FeatureRow | None,
    errors: dict[str, str],
) -> _Action | None:
    text = _text(row.get("action"))
    becomes = _text(row.get("becomes"))
    feature_name = _text(row.get("feature"))
    why_deferred = _text(row.get("why_deferred"))
    if not text:
        errors[prefix + "action"] = "Required: what is the action?"
    elif len(text) > LONG_TEXT_MAX:
        errors[prefix + "action"] = f"Too long: at most {LONG_TEXT_MAX} characters."
    if len(why_deferred) > LONG_TEXT_MAX:
        errors[prefix + "why_deferred"] = f"Too long: at most {LONG_TEXT_MAX} characters."
    outcome = None
    try:
        outcome = ActionOutcome(becomes)
    except ValueError:
        errors[prefix + "becomes"] = (
            f"Choose what it becomes: {ActionOutcome.FEATURE_TASK.value} or "
            f"{ActionOutcome.PARKING_LOT.value}."
        )
    feature = None
    if feature_name:
        feature = _feature_by_name(features, feature_name)
        if feature is None:
            errors[prefix + "feature"] = f"There is no feature called {feature_name!r}."
    elif outcome is ActionOutcome.FEATURE_TASK:
        feature = default_feature
        if feature is None:
            errors[prefix + "feature"] = "Choose the feature this task is for."
    if any(key.startswith(prefix) for key in errors) or outcome is None:
        return None
    return _Action(text=text, outcome=outcome, feature=feature, why_deferred=why_deferred)


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


def _demo_label(demo: Demo) -> str:
    return f"demo {demo.title!r} on {demo.held_on.isoformat()}"


def _apply_action(
    session: Session, *, project_id: int, demo: Demo, action: _Action, actor: str
) -> DemoActionResult:
    """Turn one validated action into a feature task or a parked idea linked to `demo`."""
    if action.outcome is ActionOutcome.FEATURE_TASK:
        task = FeatureTask(
            feature_id=action.feature.id,
            text=action.text,
            source_demo_id=demo.id,
            created_by=actor,
        )
        session.add(task)
        session.flush()
        crud.record_activity(
            session,
            project_id=project_id,
            actor=actor,
            action="feature task added",
            summary=f"Task on {action.feature.name!r}: {action.text[:200]} "
            f"(from {_demo_label(demo)})",
            changes={"task_id": task.id, "feature_id": action.feature.id, "demo_id": demo.id},
        )
        return DemoActionResult(task=_task_public(task, action.feature.name))
    idea = action.text
    if action.feature is not None:
        idea = f"{idea} (feature: {action.feature.name})"
    item_in = ParkingLotCreate(
        idea=idea[:LONG_TEXT_MAX],
        raised_by=actor,
        why_deferred=action.why_deferred,
        source_kind=SourceKind.DEMO,
        source_id=demo.id,
        source_label=_demo_label(demo)[:SHORT_TEXT_MAX],
    )
    item = ParkingLotItem(project_id=project_id, **item_in.model_dump())
    session.add(item)
    session.flush()
    crud.record_activity(
        session,
        project_id=project_id,
        actor=actor,
        action="idea parked",
        summary=f"Parked: {item.idea[:200]} (from {item.source_label})",
        changes={"parking_lot_item_id": item.id, "source": SourceKind.DEMO.value},
    )
    session.refresh(item)
    return DemoActionResult(parked=ParkingLotPublic.model_validate(item))


def record_demo(
    engine: Engine,
    *,
    project_id: int,
    data: Mapping[str, Any],
    feedback: Iterable[Mapping[str, Any]] = (),
    actions: Iterable[Mapping[str, Any]] = (),
    actor: str,
    today: date,
) -> DemoRecord:
    """Record a demo held, its feedback per attendee and its actions, in one transaction.

    Args:
        data: `title`, `held_on` (not after `today`), `demo_type` (light or big), `format`,
            `audience`, `shown`, `decisions` and optionally `feature` (a feature's name).
        feedback: rows of `attendee` and `feedback`; rows without feedback are skipped.
        actions: rows of `action`, `becomes` ("feature task" or "parking lot"), `feature` (a
            task defaults to the demo's feature) and `why_deferred` (for parked ideas). Blank
            rows are skipped. Each becomes a task or a parked idea linked back to the demo.

    Raises:
        InvalidInput: bad fields (`feedback[i].…`, `actions[i].…` for table rows); nothing stored.
    """
    actor = check_actor(actor)
    errors: dict[str, str] = {}
    demo_in = None
    try:
        demo_in = _DemoIn.model_validate(
            {
                key: data.get(key)
                for key in ("title", "held_on", "demo_type", "format", "audience", "shown")
                if not _missing(data.get(key))
            }
            | {"decisions": _text(data.get("decisions"))}
        )
    except ValidationError as error:
        errors.update(field_errors(error))
    if demo_in is not None and demo_in.held_on > today:
        errors["held_on"] = (
            f"Record a demo once it is held: {demo_in.held_on.isoformat()} is after today "
            f"({today.isoformat()})."
        )
    valid_feedback, feedback_errors = _validate_feedback(feedback)
    errors.update(feedback_errors)
    with Session(engine) as session:
        _project(session, project_id)
        features = _feature_rows(session, project_id)
        feature = None
        feature_name = _text(data.get("feature"))
        if feature_name:
            feature = _feature_by_name(features, feature_name)
            if feature is None:
                errors["feature"] = f"There is no feature called {feature_name!r}."
        valid_actions = []
        for index, row in enumerate(actions):
            if all(_missing(row.get(k)) for k in ("action", "feature", "why_deferred")):
                continue
            action = _validate_action(row, f"actions[{index + 1}].", features, feature, errors)
            if action is not None:
                valid_actions.append(action)
        if errors or demo_in is None:
            raise InvalidInput(errors)
        demo = Demo(
            project_id=project_id,
            feature_id=feature.id if feature else None,
            recorded_by=actor,
            **demo_in.model_dump()
            | {"audience": _names_text(demo_in.audience), "demo_type": demo_in.demo_type.value},
        )
        session.add(demo)
        session.flush()
        for item in valid_feedback:
            session.add(
                DemoFeedback(demo_id=demo.id, attendee=item.attendee, feedback=item.feedback)
            )
        results = [
            _apply_action(session, project_id=project_id, demo=demo, action=a, actor=actor)
            for a in valid_actions
        ]
        tasks = tuple(r.task for r in results if r.task is not None)
        parked = tuple(r.parked for r in results if r.parked is not None)
        crud.record_activity(
            session,
            project_id=project_id,
            actor=actor,
            action="demo recorded",
            summary=f"{DemoType(demo.demo_type).value.capitalize()} demo {demo.title!r} held on "
            f"{demo.held_on.isoformat()}: {len(valid_feedback)} feedback, {len(tasks)} task(s), "
            f"{len(parked)} parked idea(s)."
            + (f" Decisions: {demo.decisions[:300]}" if demo.decisions else ""),
            changes={
                "demo_id": demo.id,
                "feature": feature.name if feature else None,
                "feedback_from": [f.attendee for f in valid_feedback],
                "task_ids": [t.id for t in tasks],
                "parking_lot_item_ids": [p.id for p in parked],
            },
        )
        session.commit()
        session.refresh(demo)
        return _demo_record(demo, feature.name if feature else "", valid_feedback, tasks, parked)


def _demo_record(
    demo: Demo,
    feature_name: str,
    feedback: Sequence[FeedbackPublic],
    tasks: Sequence[FeatureTaskPublic],
    parked: Sequence[ParkingLotPublic],
) -> DemoRecord:
    return DemoRecord(
        id=demo.id,
        title=demo.title,
        held_on=demo.held_on,
        demo_type=DemoType(demo.demo_type),
        format=demo.format,
        audience=demo.audience,
        shown=demo.shown,
        decisions=demo.decisions,
        feature_id=demo.feature_id,
        feature_name=feature_name,
        recorded_by=demo.recorded_by,
        recorded_at=demo.recorded_at,
        feedback=tuple(feedback),
        tasks=tuple(tasks),
        parked=tuple(parked),
    )


def add_demo_action(
    engine: Engine, *, project_id: int, demo_id: int, data: Mapping[str, Any], actor: str
) -> DemoActionResult:
    """Turn one more action from a demo held into a feature task or a parked idea, in one step.

    `data` holds `action`, `becomes`, `feature` and `why_deferred` as in `record_demo`.
    """
    actor = check_actor(actor)
    with Session(engine) as session:
        demo = session.get(Demo, demo_id)
        if demo is None or demo.project_id != project_id:
            raise NotFound(f"Demo {demo_id} is not on this project.")
        features = _feature_rows(session, project_id)
        default = next((f for f in features if f.id == demo.feature_id), None)
        errors: dict[str, str] = {}
        action = _validate_action(data, "", features, default, errors)
        if errors or action is None:
            raise InvalidInput(errors)
        result = _apply_action(
            session, project_id=project_id, demo=demo, action=action, actor=actor
        )
        session.commit()
        return result


def _load_demos(
    session: Session, project_id: int, features: Sequence[FeatureRow]
) -> tuple[DemoRecord, ...]:
    demos = list(
        session.exec(
            select(Demo)
            .where(Demo.project_id == project_id)
            .order_by(col(Demo.held_on).desc(), col(Demo.id).desc())
        ).all()
    )
    if not demos:
        return ()
    ids = [d.id for d in demos]
    names = {f.id: f.name for f in features}
    feedback: dict[int, list[FeedbackPublic]] = {}
    for row in session.exec(
        select(DemoFeedback)
        .where(col(DemoFeedback.demo_id).in_(ids))
        .order_by(col(DemoFeedback.id))
    ):
        feedback.setdefault(row.demo_id, []).append(FeedbackPublic(row.attendee, row.feedback))
    tasks: dict[int, list[FeatureTaskPublic]] = {}
    for row in session.exec(
        select(FeatureTask)
        .where(col(FeatureTask.source_demo_id).in_(ids))
        .order_by(col(FeatureTask.id))
    ):
        tasks.setdefault(row.source_demo_id, []).append(
            _task_public(row, names.get(row.feature_id, ""))
        )
    parked: dict[int, list[ParkingLotPublic]] = {}
    for row in session.exec(
        select(ParkingLotItem)
        .where(
            ParkingLotItem.project_id == project_id,
            ParkingLotItem.source_kind == SourceKind.DEMO.value,
            col(ParkingLotItem.source_id).in_(ids),
        )
        .order_by(col(ParkingLotItem.id))
    ):
        parked.setdefault(row.source_id, []).append(ParkingLotPublic.model_validate(row))
    return tuple(
        _demo_record(
            d,
            names.get(d.feature_id, ""),
            feedback.get(d.id, ()),
            tasks.get(d.id, ()),
            parked.get(d.id, ()),
        )
        for d in demos
    )


def list_demos(engine: Engine, project_id: int) -> list[DemoRecord]:
    """A project's demos held, newest first, with feedback, tasks and parked ideas."""
    with Session(engine) as session:
        return list(_load_demos(session, project_id, _feature_rows(session, project_id)))


def add_feature_task(
    engine: Engine, *, project_id: int, feature_id: int, text: str, actor: str
) -> FeatureTaskPublic:
    """Add a task to a feature (not from a demo), logging it."""
    actor = check_actor(actor)
    text = _text(text)
    if not text:
        raise InvalidInput({"text": "Required: what is the task?"})
    if len(text) > LONG_TEXT_MAX:
        raise InvalidInput({"text": f"Too long: at most {LONG_TEXT_MAX} characters."})
    with Session(engine) as session:
        feature = _feature_row(session, project_id, feature_id)
        task = FeatureTask(feature_id=feature.id, text=text, created_by=actor)
        session.add(task)
        session.flush()
        crud.record_activity(
            session,
            project_id=project_id,
            actor=actor,
            action="feature task added",
            summary=f"Task on {feature.name!r}: {text[:200]}",
            changes={"task_id": task.id, "feature_id": feature.id},
        )
        session.commit()
        session.refresh(task)
        return _task_public(task, feature.name)


def _load_tasks(session: Session, features: Sequence[FeatureRow]) -> list[FeatureTaskPublic]:
    """Every task on `features`: open first, then in build order and age."""
    if not features:
        return []
    order = {f.id: f.position for f in features}
    names = {f.id: f.name for f in features}
    rows = session.exec(
        select(FeatureTask)
        .where(col(FeatureTask.feature_id).in_(list(order)))
        .order_by(col(FeatureTask.id))
    ).all()
    tasks = [_task_public(row, names[row.feature_id]) for row in rows]
    return sorted(tasks, key=lambda t: (t.done, order[t.feature_id], t.id))


def list_feature_tasks(engine: Engine, project_id: int) -> list[FeatureTaskPublic]:
    """Every task on a project's features: open first, then in build order and age."""
    with Session(engine) as session:
        return _load_tasks(session, _feature_rows(session, project_id))


def set_feature_task_done(
    engine: Engine, *, project_id: int, task_id: int, done: bool, actor: str
) -> None:
    """Tick a feature task done (or open it again), logging it."""
    actor = check_actor(actor)
    with Session(engine) as session:
        task = session.get(FeatureTask, task_id)
        feature = session.get(FeatureRow, task.feature_id) if task is not None else None
        if task is None or feature is None or feature.project_id != project_id:
            raise NotFound(f"Task {task_id} is not on this project.")
        if task.done == done:
            return
        task.done = done
        session.add(task)
        crud.record_activity(
            session,
            project_id=project_id,
            actor=actor,
            action="feature task done" if done else "feature task reopened",
            summary=f"Task on {feature.name!r}: {task.text[:200]}",
            changes={"task_id": task_id, "done": [not done, done]},
        )
        session.commit()


# --- The whole page at once, and exports ------------------------------------------------------


def _undemoed(
    features: Sequence[FeatureRow],
    demos: Sequence[DemoRecord],
    schedule: DemoSchedule | None,
    settings: DemoPlanSettings | None,
    today: date,
) -> tuple[UndemoedFeature, ...]:
    """Features being built or shown whose last demo (or build start) is too long ago."""
    last_demo: dict[int, date] = {}
    for demo in demos:
        if demo.feature_id is not None and demo.held_on > last_demo.get(demo.feature_id, date.min):
            last_demo[demo.feature_id] = demo.held_on
    build_start = {}
    if schedule is not None:
        build_start = {
            item.feature: item.start
            for item in schedule.items
            if item.kind is ItemKind.BUILD and item.feature is not None
        }
    histories = [
        FeatureDemoHistory(
            feature=f.name,
            last_demo_on=last_demo.get(f.id),
            work_started_on=build_start.get(f.name),
        )
        for f in features
        if FeatureStatus(f.status) in WATCHED_STATUSES
    ]
    limit = settings.max_undemoed_days if settings is not None else DEFAULT_MAX_UNDEMOED_DAYS
    holidays = [date.fromisoformat(h) for h in settings.holidays] if settings is not None else []
    return undemoed_features(histories, today, limit, holidays)


def demo_plan(engine: Engine, project_id: int, *, today: date) -> DemoPlanView:
    """Everything the Demo plan page shows: features, settings, the schedule against its
    baseline, upcoming demos, undemoed features and demos held.
    """
    with Session(engine) as session:
        project = _project(session, project_id)
        features = _feature_rows(session, project_id)
        settings = session.get(DemoPlanSettings, project_id)
        demos = _load_demos(session, project_id, features)
        schedule = _schedule(settings, features) if settings is not None else None
        baseline = tuple(_item_from_json(i) for i in settings.baseline) if settings else ()
        moved, added, dropped = (
            _against_baseline(schedule, baseline) if schedule is not None else ((), (), ())
        )
        return DemoPlanView(
            project_id=project_id,
            project_name=project.name,
            features=tuple(_feature_public(f) for f in features),
            settings=_settings_public(settings) if settings is not None else None,
            schedule=schedule,
            baseline=baseline,
            moved=moved,
            added=added,
            dropped=dropped,
            upcoming=upcoming_demos(schedule.items, today) if schedule is not None else (),
            undemoed=_undemoed(features, demos, schedule, settings, today),
            demos=demos,
            tasks=tuple(_load_tasks(session, features)),
        )


def schedule_ics(view: DemoPlanView, *, now: datetime | None = None) -> bytes:
    """The schedule's demos as an iCalendar file (empty calendar without a schedule)."""
    items = view.schedule.items if view.schedule is not None else ()
    return demo_schedule_to_ics(view.project_name, items, project_id=view.project_id, now=now)


def schedule_csv(view: DemoPlanView) -> str:
    """Every schedule item (builds and demos) as CSV text."""
    return demo_schedule_to_csv(view.schedule.items if view.schedule is not None else ())


def schedule_slides(view: DemoPlanView) -> bytes:
    """A ``.pptx`` outline with one slide per demo: the features shown, their goals, questions."""
    items = view.schedule.items if view.schedule is not None else ()
    goals = {f.name: f.description for f in view.features}
    return demo_outline_pptx(view.project_name, items, goals)
