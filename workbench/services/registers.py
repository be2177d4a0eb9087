"""Records that many capabilities create: risks, assumptions and open questions, parked ideas.

Each record may carry where it came from (`source_kind`, `source_id`, `source_label`), so a risk
raised from an SME's answer or a parked idea from a demo links back to its origin.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import ValidationError
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from workbench import crud, versioning
from workbench.errors import InvalidInput, NotFound, StaleEditError, field_errors
from workbench.models import (
    NoteKind,
    ParkingLotItem,
    Project,
    ProjectNote,
    Risk,
    RiskCreate,
    RiskPublic,
    SourceKind,
    utc_now,
)
from workbench.models.assessment import NoteCreate, NotePublic
from workbench.models.experiments import ParkingLotCreate, ParkingLotPublic
from workbench.services.inputs import log_value
from workbench.services.projects import check_actor

LEVELS = ("low", "medium", "high")


def _project_exists(session: Session, project_id: int) -> None:
    if session.get(Project, project_id) is None:
        raise NotFound(f"There is no project with id {project_id}.")


# --- Risks ----------------------------------------------------------------------------------


def create_risk(
    engine: Engine, *, project_id: int, data: Mapping[str, Any], actor: str
) -> RiskPublic:
    """Validate and add one risk to a project's register, logging it."""
    actor = check_actor(actor)
    try:
        risk_in = RiskCreate.model_validate(dict(data))
    except ValidationError as error:
        raise InvalidInput(field_errors(error)) from error
    with Session(engine) as session:
        _project_exists(session, project_id)
        risk = Risk(project_id=project_id, **risk_in.model_dump())
        session.add(risk)
        session.flush()
        crud.record_activity(
            session,
            project_id=project_id,
            actor=actor,
            action="risk added",
            summary=f"Risk {risk.title!r} (likelihood {risk.likelihood}, impact {risk.impact})"
            + (f" from {risk.source_label}" if risk.source_label else "")
            + ".",
            changes={"risk_id": risk.id, "source": risk_in.source_kind.value},
        )
        session.commit()
        session.refresh(risk)
        return RiskPublic.model_validate(risk)


def list_risks(engine: Engine, project_id: int) -> list[RiskPublic]:
    """A project's risks, highest exposure (likelihood × impact) first."""
    with Session(engine) as session:
        rows = session.exec(
            select(Risk).where(Risk.project_id == project_id).order_by(col(Risk.id))
        ).all()
        risks = [RiskPublic.model_validate(row) for row in rows]
    return sorted(risks, key=lambda r: (-(r.likelihood * r.impact), r.id))


RISK_EDITABLE = (
    "title",
    "description",
    "category",
    "likelihood",
    "impact",
    "owner",
    "mitigation",
    "status",
)
LEVEL_FIELDS = ("likelihood", "impact")


def update_risks(
    engine: Engine,
    *,
    project_id: int,
    rows: Sequence[Mapping[str, Any]],
    actor: str,
) -> int:
    """Save the risk rows one user changed in the register, all or none.

    Each row holds the risk's `id`, the `version` the user started from, only the fields the
    user changed, and optionally `row`: where the user sees it in the table (for messages).

    Raises:
        StaleEditError: a row changed since the user's version (the conflicts of every such
            row are named "#<id> <field>"); nothing is written.
        InvalidInput: a value does not fit, keyed "risks[<row>].<field>"; nothing is written.
        NotFound: a risk is not on this project (any more).

    Returns how many risks changed.
    """
    actor = check_actor(actor)
    with Session(engine) as session:
        loaded: list[tuple[int, Risk, dict[str, Any]]] = []
        stale: list[StaleEditError] = []
        for index, row in enumerate(rows):
            mine = {k: _cell(k, v) for k, v in row.items() if k in RISK_EDITABLE}
            try:
                risk = versioning.load_for_edit(
                    session,
                    Risk,
                    int(row["id"]),
                    row.get("version"),
                    mine,
                    what="risk",
                    project_id=project_id,
                    public=RiskPublic.model_validate,
                )
            except StaleEditError as error:
                error.conflicts = {
                    f"#{row['id']} {name}": values for name, values in error.conflicts.items()
                }
                stale.append(error)
                continue
            loaded.append((int(row.get("row") or index + 1), risk, mine))
        if stale:
            first = stale[0]
            for error in stale[1:]:
                first.conflicts.update(error.conflicts)
            raise first
        errors: dict[str, str] = {}
        for position, risk, mine in loaded:
            stored = {k: getattr(risk, k) for k in RISK_EDITABLE}
            try:
                RiskCreate.model_validate({**stored, **mine})
            except ValidationError as error:
                errors.update(field_errors(error, prefix=f"risks[{position}]."))
        if errors:
            raise InvalidInput(errors)
        changed = 0
        for _, risk, mine in loaded:
            new = RiskCreate.model_validate(
                {**{k: getattr(risk, k) for k in RISK_EDITABLE}, **mine}
            ).model_dump(include=set(mine))
            diff = {
                k: [log_value(getattr(risk, k)), log_value(v)]
                for k, v in new.items()
                if log_value(getattr(risk, k)) != log_value(v)
            }
            if not diff:
                continue
            risk.sqlmodel_update(new)
            risk.updated_at = utc_now()
            session.add(risk)
            crud.record_activity(
                session,
                project_id=project_id,
                actor=actor,
                action="risk edited",
                summary=f"Risk {risk.title!r}: changed {', '.join(diff)}.",
                changes=diff,
            )
            changed += 1
        first_row = loaded[0][1] if loaded else None
        versioning.commit(session, first_row, public=RiskPublic.model_validate)
    return changed


def _cell(name: str, value: Any) -> Any:
    """A table cell as the risk's field: an emptied text cell is empty text, not nothing."""
    if value is None and name not in LEVEL_FIELDS:
        return ""
    return value


# --- Assumptions and open questions ---------------------------------------------------------


def _note_public(row: ProjectNote) -> NotePublic:
    return NotePublic(
        id=row.id,
        kind=NoteKind(row.kind),
        text=row.text,
        resolved=row.resolved,
        source_kind=SourceKind(row.source_kind),
        source_id=row.source_id,
        source_label=row.source_label,
        created_by=row.created_by,
        created_at=row.created_at,
    )


def create_note(
    engine: Engine, *, project_id: int, data: Mapping[str, Any], actor: str
) -> NotePublic:
    """Record an assumption or open question on a project, logging it."""
    actor = check_actor(actor)
    try:
        note_in = NoteCreate.model_validate({**data, "text": str(data.get("text", "")).strip()})
    except ValidationError as error:
        raise InvalidInput(field_errors(error)) from error
    with Session(engine) as session:
        _project_exists(session, project_id)
        note = ProjectNote(project_id=project_id, created_by=actor, **note_in.model_dump())
        session.add(note)
        session.flush()
        crud.record_activity(
            session,
            project_id=project_id,
            actor=actor,
            action=f"{note_in.kind.value} added",
            summary=note_in.text[:300]
            + (f" (from {note_in.source_label})" if note_in.source_label else ""),
            changes={"note_id": note.id, "source": note_in.source_kind.value},
        )
        session.commit()
        session.refresh(note)
        return _note_public(note)


def list_notes(engine: Engine, project_id: int, kind: NoteKind | None = None) -> list[NotePublic]:
    """A project's assumptions and open questions, oldest first."""
    with Session(engine) as session:
        statement = select(ProjectNote).where(ProjectNote.project_id == project_id)
        if kind is not None:
            statement = statement.where(ProjectNote.kind == NoteKind(kind).value)
        rows = session.exec(statement.order_by(col(ProjectNote.id))).all()
        return [_note_public(row) for row in rows]


def set_notes_resolved(
    engine: Engine,
    *,
    project_id: int,
    resolve: Sequence[int] = (),
    reopen: Sequence[int] = (),
    actor: str,
) -> int:
    """Mark notes resolved (an open question answered, an assumption checked) or open again.

    Only the notes named are touched (the ones this user ticked or unticked), so two people
    resolving different notes keep each other's work. A note already so is left as it is.
    Raises NotFound (nothing written) for a note that is not on this project. Returns how many
    notes changed.
    """
    actor = check_actor(actor)
    wanted = {int(i): True for i in resolve} | {int(i): False for i in reopen}
    changed = 0
    with Session(engine) as session:
        for note_id, resolved in wanted.items():
            note = session.get(ProjectNote, note_id)
            if note is None or note.project_id != project_id:
                raise NotFound(f"There is no note #{note_id} here any more.")
            if note.resolved == resolved:
                continue
            note.resolved = resolved
            session.add(note)
            crud.record_activity(
                session,
                project_id=project_id,
                actor=actor,
                action=f"{note.kind} {'resolved' if resolved else 'reopened'}",
                summary=note.text[:300],
                changes={"note_id": note_id, "resolved": [not resolved, resolved]},
            )
            changed += 1
        session.commit()
    return changed


# --- Parking lot -----------------------------------------------------------------------------


def create_parking_lot_item(
    engine: Engine, *, project_id: int, data: Mapping[str, Any], actor: str
) -> ParkingLotPublic:
    """Park an idea on a project (validated; `value`/`effort` are low, medium or high)."""
    actor = check_actor(actor)
    cleaned = {k: (v.strip() if isinstance(v, str) else v) for k, v in dict(data).items()}
    errors: dict[str, str] = {}
    try:
        item_in = ParkingLotCreate.model_validate(cleaned)
    except ValidationError as error:
        errors.update(field_errors(error))
        item_in = None
    for field in ("value", "effort"):
        if field in cleaned and cleaned[field] not in LEVELS:
            errors[field] = f"Choose one of: {', '.join(LEVELS)}."
    if errors or item_in is None:
        raise InvalidInput(errors)
    with Session(engine) as session:
        _project_exists(session, project_id)
        item = ParkingLotItem(
            project_id=project_id,
            **{**item_in.model_dump(), "raised_by": item_in.raised_by or actor},
        )
        session.add(item)
        session.flush()
        crud.record_activity(
            session,
            project_id=project_id,
            actor=actor,
            action="idea parked",
            summary=f"Parked: {item.idea[:200]}"
            + (f" (from {item.source_label})" if item.source_label else ""),
            changes={"parking_lot_item_id": item.id, "source": item_in.source_kind.value},
        )
        session.commit()
        session.refresh(item)
        return ParkingLotPublic.model_validate(item)


def list_parking_lot(engine: Engine, project_id: int) -> list[ParkingLotPublic]:
    """A project's parked ideas, oldest first."""
    with Session(engine) as session:
        rows = session.exec(
            select(ParkingLotItem)
            .where(ParkingLotItem.project_id == project_id)
            .order_by(col(ParkingLotItem.id))
        ).all()
        return [ParkingLotPublic.model_validate(row) for row in rows]
