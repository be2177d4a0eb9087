"""The parking lot: ideas that are interesting but not essential now (Wilson ch. 3.2), kept with
where they came from and when to revisit them, so they come back instead of being lost.

An item is *due for review* while it is parked and its revisit date has come
(``revisit_on <= today``) or its project has reached the phase named to revisit it in.
Status moves follow `workbench.domain.parking_lot.STATUS_MOVES` (parked → revived or dropped; a
dropped idea may be parked again); promoting an item to an experiment revives it in the same step
and keeps the link both ways. Every edit carries the version the user saw and goes through
`workbench.versioning`: a stale edit is refused with `StaleEditError`, nothing written.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import func, or_
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from workbench import crud
from workbench.domain import parking_lot as rules
from workbench.domain.lifecycle import Phase
from workbench.errors import InvalidInput, NotFound, field_errors
from workbench.models import (
    SHORT_TEXT_MAX,
    Experiment,
    ParkingLotItem,
    ParkingLotStatus,
    Project,
    SourceKind,
    utc_now,
)
from workbench.models.experiments import ExperimentPublic, ParkingLotCreate, ParkingLotPublic
from workbench.services.experiments import add_experiment, validate_experiment_input
from workbench.services.inputs import is_blank, log_value
from workbench.services.projects import check_actor
from workbench.services.registers import LEVELS, create_parking_lot_item
from workbench.versioning import commit, load_for_edit

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

STATUS_MOVES = rules.STATUS_MOVES
"""Where a status may move (the domain's rule, re-exported for pages)."""

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


def _project(session: Session, project_id: int) -> Project:
    """The project row, or NotFound."""
    project = session.get(Project, project_id)
    if project is None:
        raise NotFound(f"There is no project with id {project_id}.")
    return project


def _phase_value(value: Any, field: str, errors: dict[str, str]) -> str | None:
    """A phase's stored value from a value or label (None when blank); messages in `errors`."""
    try:
        phase = rules.phase_from_text(value)
    except ValueError as error:
        errors[field] = str(error)
        return None
    return phase.value if phase else None


def add_item(
    engine: Engine, *, project_id: int, data: Mapping[str, Any], actor: str
) -> ParkingLotPublic:
    """Park an idea (the revisit phase may be given as a value or a label), logging it."""
    errors: dict[str, str] = {}
    values = {k: (None if is_blank(v) and not isinstance(v, str) else v) for k, v in data.items()}
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
            reason = rules.due_reason(
                item.status, item.revisit_on, item.revisit_phase, phase, today
            )
            rows.append(
                ParkingLotRow(
                    item=ParkingLotPublic.model_validate(item),
                    due=bool(reason),
                    due_reason=reason,
                    experiment_id=promoted.get(item.id),
                )
            )
    return sorted(rows, key=lambda row: (not row.due, row.item.id))


def _cell(key: str, value: Any) -> Any:
    """One table cell as the record stores it (an empty cell is None or '')."""
    if is_blank(value) and not isinstance(value, str):
        return None if key in {"revisit_on", "revisit_phase", "status"} else ""
    if isinstance(value, datetime):
        return value.date()
    return value.strip() if isinstance(value, str) else value


def _check_row(
    item: ParkingLotItem, changed: Mapping[str, Any], prefix: str, errors: dict[str, str]
) -> dict[str, Any]:
    """The changed fields of one row, checked against the stored item and normalised; messages
    (keyed ``items[N].field``) go to `errors`."""
    values = {key: _cell(key, changed[key]) for key in EDITABLE if key in changed}
    if "revisit_phase" in values:
        values["revisit_phase"] = _phase_value(
            values["revisit_phase"], prefix + "revisit_phase", errors
        )
    if "status" in values:
        message = rules.status_move_error(item.status, values["status"] or "")
        if message:
            errors[prefix + "status"] = message
        else:
            values["status"] = ParkingLotStatus(values["status"])
    merged = {key: getattr(item, key) for key in EDITABLE if key != "status"}
    merged.update({k: v for k, v in values.items() if k != "status"})
    try:
        parsed = ParkingLotCreate.model_validate(merged)
    except ValidationError as error:
        errors.update(
            {k: m for k, m in field_errors(error, prefix=prefix).items() if k not in errors}
        )
    else:
        values.update(parsed.model_dump(include=set(values) - {"status"}))
    for field in ("value", "effort"):
        if field in values and values[field] not in LEVELS:
            errors[prefix + field] = f"Choose one of: {', '.join(LEVELS)}."
    return values


def update_items(
    engine: Engine,
    *,
    project_id: int,
    edits: Sequence[Mapping[str, Any]],
    actor: str,
) -> int:
    """Save the parking-lot rows one user changed, all or none.

    Each edit is ``{"id", "version", **changed}``: the item's id, the version the user saw, and
    only the fields they changed (a whole row works too: fields equal to the stored ones are
    left alone). An optional ``row`` is the row number the user sees, for messages (default: the
    edit's place in `edits`). Status moves follow ``STATUS_MOVES``.

    Raises:
        StaleEditError: a row changed since the version its edit carries; nothing is written.
        InvalidInput: a bad value or a status move the rules forbid, keyed ``items[N].field``.
        NotFound: an item that is not on this project.

    Returns how many items changed.
    """
    actor = check_actor(actor)
    errors: dict[str, str] = {}
    writes: list[tuple[ParkingLotItem, dict[str, Any], dict[str, list[Any]]]] = []
    with Session(engine) as session:
        for index, edit in enumerate(edits):  # check every row before writing any
            prefix = f"items[{edit.get('row', index + 1)}]."
            item = session.get(ParkingLotItem, int(edit["id"]))
            if item is None or item.project_id != project_id:
                raise NotFound(
                    f"There is no parked idea #{edit['id']} here any more (it may have been "
                    "deleted)."
                )
            new = _check_row(item, edit, prefix, errors)
            diff = {
                k: [log_value(getattr(item, k)), log_value(v)]
                for k, v in new.items()
                if log_value(getattr(item, k)) != log_value(v)
            }
            if not diff:
                continue
            mine = {k: new[k] for k in diff}
            load_for_edit(
                session,
                ParkingLotItem,
                item.id,
                edit.get("version"),
                mine,
                what="parked idea",
                project_id=project_id,
                public=ParkingLotPublic.model_validate,
            )
            writes.append((item, mine, diff))
        if errors:
            raise InvalidInput(errors)
        for item, mine, diff in writes:
            item.sqlmodel_update(mine)
            item.updated_at = utc_now()
            session.add(item)
            action = f"idea {mine['status'].value}" if "status" in diff else "parking lot edited"
            crud.record_activity(
                session,
                project_id=project_id,
                actor=actor,
                action=action,
                summary=f"Parking lot: {item.idea[:120]!r}: changed "
                + ", ".join(k.replace("_", " ") for k in diff)
                + ".",
                changes={"parking_lot_item_id": item.id, **diff},
            )
        last = writes[-1] if writes else None
        commit(
            session,
            last[0] if last else None,
            last[1] if last else None,
            public=ParkingLotPublic.model_validate,
        )
    return len(writes)


def promote_to_experiment(
    engine: Engine,
    *,
    project_id: int,
    item_id: int,
    expected_version: int | None,
    data: Mapping[str, Any],
    actor: str,
    seen: Mapping[str, Any] | None = None,
) -> ExperimentPublic:
    """Turn a parked idea into an experiment in one step: the experiment links back to the item
    (`parking_lot_item_id`), the item becomes revived, and both are logged, in one transaction.

    `expected_version` is the item's version when the user opened the form; `seen` the item's
    values they saw (shown beside the newer ones when the item changed meanwhile). A blank
    approach name takes the idea's text.

    Raises:
        StaleEditError: the item changed since `expected_version`; nothing is written.
        InvalidInput: bad experiment input, or an item that is not parked (key ``item``).
    """
    actor = check_actor(actor)
    with Session(engine) as session:
        item = load_for_edit(
            session,
            ParkingLotItem,
            item_id,
            expected_version,
            seen,
            what="parked idea",
            project_id=project_id,
            public=ParkingLotPublic.model_validate,
        )
        approach = str(data.get("approach") or "").strip() or item.idea[:SHORT_TEXT_MAX]
        experiment_in = validate_experiment_input({**data, "approach": approach})
        if not rules.can_promote(item.status):
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
        commit(session, item, seen, public=ParkingLotPublic.model_validate)
        session.refresh(experiment)
        return ExperimentPublic.model_validate(experiment)


def due_parking_lot_items(engine: Engine, today: date) -> list[DueParkingLotItem]:
    """Every parked idea, in all projects, due for review on `today`.

    One query that keeps only the due ideas and reads only the columns the portfolio shows.
    """
    statement = (
        select(
            ParkingLotItem.id,
            ParkingLotItem.project_id,
            ParkingLotItem.idea,
            ParkingLotItem.revisit_on,
            ParkingLotItem.revisit_phase,
            Project.name,
            Project.phase,
        )
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
        rows = session.exec(statement).all()
    return [
        DueParkingLotItem(
            project_id=project_id,
            project_name=name,
            item_id=item_id,
            idea=idea,
            due_reason=rules.due_reason(
                ParkingLotStatus.PARKED, revisit_on, revisit_phase, Phase(phase), today
            ),
        )
        for item_id, project_id, idea, revisit_on, revisit_phase, name, phase in rows
    ]
