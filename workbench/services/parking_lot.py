"""The parking lot: ideas that are interesting but not essential now (Wilson ch. 3.2), kept with
where they came from and when to revisit them, so they come back instead of being lost.

An item is *due for review* while it is parked and its revisit date has come
(``revisit_on <= today``) or its project has reached the phase named to revisit it in.
Status moves parked → revived or dropped (a dropped idea may be parked again); promoting an
item to an experiment revives it in the same step and keeps the link both ways.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import func, or_
from sqlalchemy.engine import Engine
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, col, select

from workbench import crud
from workbench.domain.lifecycle import Phase
from workbench.errors import InvalidInput, NotFound, StaleEditError, field_errors
from workbench.models import (
    SHORT_TEXT_MAX,
    Experiment,
    ParkingLotItem,
    ParkingLotStatus,
    Project,
    SourceKind,
    utc_now,
)
from workbench.services.experiments import (
    ExperimentPublic,
    add_experiment,
    parse_phase,
    validate_experiment_input,
)
from workbench.services.projects import check_actor
from workbench.services.registers import (
    LEVELS,
    ParkingLotCreate,
    ParkingLotPublic,
    create_parking_lot_item,
)

__all__ = [
    "LEVELS",
    "SOURCE_KINDS",
    "STATUS_MOVES",
    "DueParkingLotItem",
    "ParkingLotRow",
    "ParkingLotStatus",
    "SourceKind",
    "add_item",
    "due_parking_lot_items",
    "list_items",
    "promote_to_experiment",
    "update_items",
]

SOURCE_KINDS: tuple[SourceKind, ...] = (
    SourceKind.MEETING,
    SourceKind.EXPERIMENT,
    SourceKind.DEMO,
    SourceKind.INTERVIEW,
    SourceKind.ASSESSMENT,
    SourceKind.OTHER,
)
"""Where an idea can come from, in the order a form offers them."""

STATUS_MOVES: Mapping[ParkingLotStatus, frozenset[ParkingLotStatus]] = {
    ParkingLotStatus.PARKED: frozenset({ParkingLotStatus.REVIVED, ParkingLotStatus.DROPPED}),
    ParkingLotStatus.DROPPED: frozenset({ParkingLotStatus.PARKED}),
    ParkingLotStatus.REVIVED: frozenset(),
}

EDITABLE = (
    "idea",
    "raised_by",
    "source_kind",
    "why_deferred",
    "value",
    "effort",
    "revisit_on",
    "revisit_phase",
    "status",
)


@dataclass(frozen=True)
class ParkingLotRow:
    """A parked idea with whether it is due for review today, why, and its experiment if any."""

    item: ParkingLotPublic
    due: bool
    due_reason: str
    experiment_id: int | None


@dataclass(frozen=True)
class DueParkingLotItem:
    """A parked idea due for review (for the portfolio)."""

    project_id: int
    project_name: str
    item_id: int
    idea: str
    due_reason: str

    @property
    def title(self) -> str:
        """What a warning names: the idea."""
        return self.idea


def _due_reason(
    status: str, revisit_on: date | None, revisit_phase: str | None, phase: Phase, today: date
) -> str:
    """Why a parked item is due for review on `today` ('' when it is not)."""
    if ParkingLotStatus(status) is not ParkingLotStatus.PARKED:
        return ""
    if revisit_on is not None and revisit_on <= today:
        return f"revisit date {revisit_on.isoformat()} reached"
    if revisit_phase and revisit_phase == phase.value:
        return f"project is in {phase.label}"
    return ""


def _blank(value: Any) -> bool:
    """None, NaN/NaT (an empty table cell) or an empty string."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    try:
        return bool(value != value)  # NaN / NaT from an empty table cell
    except (TypeError, ValueError):
        return False


def _project(session: Session, project_id: int) -> Project:
    """The project row, or NotFound."""
    project = session.get(Project, project_id)
    if project is None:
        raise NotFound(f"There is no project with id {project_id}.")
    return project


def _phase_value(value: Any, field: str, errors: dict[str, str]) -> str | None:
    """A phase's stored value from a value or label (None when blank); messages in `errors`."""
    try:
        phase = parse_phase(value)
    except ValueError as error:
        errors[field] = str(error)
        return None
    return phase.value if phase else None


def add_item(
    engine: Engine, *, project_id: int, data: Mapping[str, Any], actor: str
) -> ParkingLotPublic:
    """Park an idea (the revisit phase may be given as a value or a label), logging it."""
    errors: dict[str, str] = {}
    values = {k: (None if _blank(v) and not isinstance(v, str) else v) for k, v in data.items()}
    values["revisit_phase"] = _phase_value(values.get("revisit_phase"), "revisit_phase", errors)
    if isinstance(values.get("revisit_on"), datetime):
        values["revisit_on"] = values["revisit_on"].date()
    if errors:  # report the other fields' problems too, all at once
        try:
            ParkingLotCreate.model_validate({k: v for k, v in values.items() if k in EDITABLE})
        except ValidationError as error:
            errors = {**field_errors(error), **errors}
        raise InvalidInput(errors)
    return create_parking_lot_item(engine, project_id=project_id, data=values, actor=actor)


def list_items(engine: Engine, project_id: int, today: date) -> list[ParkingLotRow]:
    """A project's parking lot: items due for review first, then the rest, oldest first."""
    with Session(engine) as session:
        phase = Phase(_project(session, project_id).phase)
        items = session.exec(
            select(ParkingLotItem)
            .where(ParkingLotItem.project_id == project_id)
            .order_by(col(ParkingLotItem.id))
        ).all()
        promoted = dict(
            session.exec(
                select(Experiment.parking_lot_item_id, Experiment.id).where(
                    Experiment.project_id == project_id,
                    col(Experiment.parking_lot_item_id).is_not(None),
                )
            ).all()
        )
        rows = []
        for item in items:
            reason = _due_reason(item.status, item.revisit_on, item.revisit_phase, phase, today)
            rows.append(
                ParkingLotRow(
                    item=ParkingLotPublic.model_validate(item),
                    due=bool(reason),
                    due_reason=reason,
                    experiment_id=promoted.get(item.id),
                )
            )
    return sorted(rows, key=lambda row: (not row.due, row.item.id))


def _plain(value: Any) -> Any:
    """A value as it goes into the activity log's JSON."""
    if isinstance(value, date | datetime):
        return value.isoformat()
    return getattr(value, "value", value)


def _parse_row(index: int, row: Mapping[str, Any], errors: dict[str, str]) -> dict[str, Any]:
    """One edited table row checked and normalised; messages (by row) in `errors`."""
    prefix = f"items[{index + 1}]."
    values: dict[str, Any] = {}
    for key in EDITABLE:
        value = row.get(key)
        if _blank(value) and not isinstance(value, str):
            value = None if key in {"revisit_on", "revisit_phase", "status"} else ""
        if isinstance(value, datetime):
            value = value.date()
        values[key] = value.strip() if isinstance(value, str) else value
    values["revisit_phase"] = _phase_value(
        values["revisit_phase"], prefix + "revisit_phase", errors
    )
    status = values.pop("status")
    try:
        values["status"] = ParkingLotStatus(status)
    except ValueError:
        errors[prefix + "status"] = "Choose one of: parked, revived, dropped."
    try:
        parsed = ParkingLotCreate.model_validate({k: v for k, v in values.items() if k != "status"})
    except ValidationError as error:
        errors.update(field_errors(error, prefix=prefix))
    else:
        values.update(parsed.model_dump(include=set(EDITABLE)))
    for field in ("value", "effort"):
        if values.get(field) not in LEVELS:
            errors[prefix + field] = f"Choose one of: {', '.join(LEVELS)}."
    return values


def update_items(
    engine: Engine,
    *,
    project_id: int,
    edits: Sequence[Mapping[str, Any]],
    actor: str,
) -> int:
    """Save edited parking-lot rows (each with `id` and its loaded `version`), all or none.

    Raises InvalidInput naming the row, or StaleEditError when a row changed meanwhile.
    Status moves follow ``STATUS_MOVES``. Returns how many items changed.
    """
    actor = check_actor(actor)
    errors: dict[str, str] = {}
    parsed = [
        (int(row["id"]), int(row["version"]), _parse_row(index, row, errors))
        for index, row in enumerate(edits)
    ]
    if errors:
        raise InvalidInput(errors)
    changed = 0
    with Session(engine) as session:
        for index, (item_id, version, new) in enumerate(parsed):
            item = session.get(ParkingLotItem, item_id)
            if item is None or item.project_id != project_id:
                raise NotFound(f"Parking-lot item {item_id} is not on this project.")
            diff = {
                k: [_plain(getattr(item, k)), _plain(v)]
                for k, v in new.items()
                if _plain(getattr(item, k)) != _plain(v)
            }
            if not diff:
                continue
            if item.version != version:
                raise StaleEditError(
                    current=ParkingLotPublic.model_validate(item),
                    conflicts={k: (d[1], d[0]) for k, d in diff.items()},
                    saved_by=crud.last_actor(session, project_id=project_id),
                )
            old_status = ParkingLotStatus(item.status)
            if new["status"] != old_status and new["status"] not in STATUS_MOVES[old_status]:
                raise InvalidInput(
                    {
                        f"items[{index + 1}].status": f"A {old_status.value} idea cannot become "
                        f"{new['status'].value}"
                        + (
                            " (use “Promote to experiment” to revive it)."
                            if new["status"] is ParkingLotStatus.REVIVED
                            else "."
                        )
                    }
                )
            item.sqlmodel_update(new)
            item.updated_at = utc_now()
            session.add(item)
            action = f"idea {new['status'].value}" if "status" in diff else "parking lot edited"
            crud.record_activity(
                session,
                project_id=project_id,
                actor=actor,
                action=action,
                summary=f"Parking lot: {item.idea[:120]!r}: changed "
                + ", ".join(k.replace("_", " ") for k in diff)
                + ".",
                changes={"parking_lot_item_id": item_id, **diff},
            )
            changed += 1
        try:
            session.commit()
        except StaleDataError as error:
            session.rollback()
            raise InvalidInput(
                {"items": "Someone saved the parking lot at the same moment; reload and retry."}
            ) from error
    return changed


def promote_to_experiment(
    engine: Engine,
    *,
    project_id: int,
    item_id: int,
    expected_version: int,
    data: Mapping[str, Any],
    actor: str,
) -> ExperimentPublic:
    """Turn a parked idea into an experiment in one step: the experiment links back to the item
    (`parking_lot_item_id`), the item becomes revived, and both are logged, in one transaction.

    A blank approach name takes the idea's text. Raises InvalidInput for bad experiment input
    or an item that is not parked, StaleEditError when the item changed since
    `expected_version`.
    """
    actor = check_actor(actor)
    with Session(engine) as session:
        item = session.get(ParkingLotItem, item_id)
        if item is None or item.project_id != project_id:
            raise NotFound(f"Parking-lot item {item_id} is not on this project.")
        approach = str(data.get("approach") or "").strip() or item.idea[:SHORT_TEXT_MAX]
        experiment_in = validate_experiment_input({**data, "approach": approach})
        if item.version != expected_version:
            raise StaleEditError(
                current=ParkingLotPublic.model_validate(item),
                conflicts={"status": (ParkingLotStatus.REVIVED.value, item.status)},
                saved_by=crud.last_actor(session, project_id=project_id),
            )
        if ParkingLotStatus(item.status) is not ParkingLotStatus.PARKED:
            raise InvalidInput(
                {"item": f"Only a parked idea can be promoted; this one is {item.status}."}
            )
        experiment = add_experiment(
            session,
            project_id=project_id,
            experiment_in=experiment_in,
            parking_lot_item_id=item.id,
        )
        item.status = ParkingLotStatus.REVIVED
        item.updated_at = utc_now()
        session.add(item)
        crud.record_activity(
            session,
            project_id=project_id,
            actor=actor,
            action="idea promoted",
            summary=f"Parked idea {item.idea[:120]!r} promoted to experiment "
            f"{experiment.approach!r} ({experiment.research_days} research + "
            f"{experiment.prototype_days} prototype working days from "
            f"{experiment.start_date.isoformat()}).",
            changes={
                "parking_lot_item_id": item.id,
                "experiment_id": experiment.id,
                "status": [ParkingLotStatus.PARKED.value, ParkingLotStatus.REVIVED.value],
            },
        )
        try:
            session.commit()
        except StaleDataError as error:
            session.rollback()
            raise InvalidInput(
                {"item": "Someone changed this idea at the same moment; reload and retry."}
            ) from error
        session.refresh(experiment)
        return ExperimentPublic.model_validate(experiment)


def due_parking_lot_items(engine: Engine, today: date) -> list[DueParkingLotItem]:
    """Every parked idea, in all projects, due for review on `today` (one query)."""
    statement = (
        select(ParkingLotItem, Project.name, Project.phase)
        .join(Project, col(Project.id) == col(ParkingLotItem.project_id))
        .where(
            ParkingLotItem.status == ParkingLotStatus.PARKED.value,
            or_(
                col(ParkingLotItem.revisit_on) <= today,
                col(ParkingLotItem.revisit_phase) == col(Project.phase),
            ),
        )
        .order_by(func.lower(Project.name), col(ParkingLotItem.id))
    )
    with Session(engine) as session:
        return [
            DueParkingLotItem(
                project_id=item.project_id,
                project_name=name,
                item_id=item.id,
                idea=item.idea,
                due_reason=_due_reason(
                    item.status, item.revisit_on, item.revisit_phase, Phase(phase), today
                ),
            )
            for item, name, phase in session.exec(statement).all()
        ]
