"""Projects and their charter: create, list, read, edit (version-checked), move phase."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Any

from pydantic import TypeAdapter, ValidationError
from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, col, select

from workbench import crud, versioning
from workbench.domain.lifecycle import (
    InvalidPhaseMove,
    Phase,
    PhaseGate,
    is_delivery_date_acceptable,
    plan_phase_move,
)
from workbench.errors import InvalidInput, NotFound, StaleEditError, field_errors
from workbench.models import (
    SHORT_TEXT_MAX,
    ActivityEntry,
    ActivityPublic,
    GateCheck,
    PhaseTransition,
    PhaseTransitionPublic,
    Project,
    ProjectCreate,
    ProjectPublic,
    ProjectUpdate,
    StakeholderIn,
    StakeholderPublic,
    SuccessCriterionIn,
    SuccessCriterionPublic,
    utc_now,
)
from workbench.reference.gates import default_gates
from workbench.services import permissions

ACTIVITY_PAGE = 200


@dataclass(frozen=True)
class ProjectDetail:
    """Everything the Charter page shows about one project."""

    project: ProjectPublic
    criteria: tuple[SuccessCriterionPublic, ...]
    stakeholders: tuple[StakeholderPublic, ...]
    done_gate_items: Mapping[Phase, frozenset[str]]
    transitions: tuple[PhaseTransitionPublic, ...]


def check_actor(actor: str) -> str:
    """The acting person's name, stripped; raises InvalidInput when it is missing."""
    actor = (actor or "").strip()
    if not actor:
        raise InvalidInput({"actor": "Say who you are (your name in the sidebar) before saving."})
    if len(actor) > SHORT_TEXT_MAX:
        raise InvalidInput(
            {"actor": f"Your name is too long: at most {SHORT_TEXT_MAX} characters."}
        )
    return actor


DATE_OR_NONE = TypeAdapter(date | None)
_INVALID = object()


def _parsed(adapter: TypeAdapter, value: Any) -> Any:
    try:
        return adapter.validate_python(value)
    except ValidationError:
        return _INVALID


def _validate_rows(model, rows: Iterable[Mapping[str, Any]], field: str) -> list:
    valid, errors = [], {}
    for index, row in enumerate(rows):
        cleaned = {key: ("" if value is None else value) for key, value in dict(row).items()}
        if not any(str(value).strip() for value in cleaned.values()):
            continue  # a fully blank row in an editable table is not an entry
        try:
            valid.append(model.model_validate(cleaned))
        except ValidationError as error:
            errors.update(field_errors(error, prefix=f"{field}[{index + 1}]."))
    if errors:
        raise InvalidInput(errors)
    return valid


def _validate_charter(
    session: Session,
    *,
    data: Mapping[str, Any],
    model,
    today: date,
    criteria: Iterable[Mapping[str, Any]] | None,
    stakeholders: Iterable[Mapping[str, Any]] | None,
    project_id: int | None,
    previous_delivery_date: date | None = None,
):
    errors: dict[str, str] = {}
    charter = None
    try:
        charter = model.model_validate(dict(data))
    except ValidationError as error:
        errors.update(field_errors(error))
    valid_criteria = valid_stakeholders = None
    for rows, row_model, field in (
        (criteria, SuccessCriterionIn, "criteria"),
        (stakeholders, StakeholderIn, "stakeholders"),
    ):
        if rows is None:
            continue
        try:
            parsed = _validate_rows(row_model, rows, field)
        except InvalidInput as error:
            errors.update(error.errors)
            continue
        if field == "criteria":
            valid_criteria = parsed
        else:
            valid_stakeholders = parsed
    # Check what parsed even when another field failed, so every message shows at once.
    delivery = _parsed(DATE_OR_NONE, data.get("target_delivery_date"))
    date_is_new = delivery is not _INVALID and delivery != previous_delivery_date
    if date_is_new and not is_delivery_date_acceptable(delivery, today):
        errors["target_delivery_date"] = (
            f"The target delivery date {delivery.isoformat()} is in the past; "
            f"choose {today.isoformat()} or later."
        )
    name = str(data.get("name") or "").strip()
    if name and "name" not in errors:
        existing = crud.find_project_by_name(session, name=name)
        if existing is not None and existing.id != project_id:
            errors["name"] = f"A project called {existing.name!r} already exists."
    if errors:
        raise InvalidInput(errors)
    return charter, valid_criteria, valid_stakeholders


CRITERION_FIELDS = ("criterion", "business_metric", "target")
STAKEHOLDER_FIELDS = ("name", "role", "contact")


def _json_value(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    return value.isoformat() if isinstance(value, date) else value


def create_project(
    engine: Engine,
    *,
    data: Mapping[str, Any],
    actor: str,
    today: date,
    criteria: Iterable[Mapping[str, Any]] = (),
    stakeholders: Iterable[Mapping[str, Any]] = (),
) -> ProjectPublic:
    """Validate and store a new project with its criteria and stakeholders, in one transaction.

    Raises InvalidInput (nothing stored) when any field, row or the actor is invalid.
    """
    actor = check_actor(actor)
    with Session(engine) as session:
        charter, valid_criteria, valid_stakeholders = _validate_charter(
            session,
            data=data,
            model=ProjectCreate,
            today=today,
            criteria=criteria,
            stakeholders=stakeholders,
            project_id=None,
        )
        project = Project.model_validate(charter)
        session.add(project)
        try:
            session.flush()
        except IntegrityError as error:  # the same name stored by someone else a moment ago
            session.rollback()
            taken = crud.find_project_by_name(session, name=charter.name)
            if taken is None:
                raise
            raise InvalidInput(
                {"name": f"A project called {taken.name!r} already exists."}
            ) from error
        crud.replace_criteria(session, project_id=project.id, criteria=valid_criteria or [])
        crud.replace_stakeholders(
            session, project_id=project.id, stakeholders=valid_stakeholders or []
        )
        permissions.claim_new_project(session, project.id, actor)
        crud.record_activity(
            session,
            project_id=project.id,
            actor=actor,
            action="project created",
            summary=f"Created project {project.name!r} in {Phase(project.phase).label}.",
            changes={
                key: _json_value(value)
                for key, value in charter.model_dump().items()
                if value not in ("", None)
            },
        )
        session.commit()
        session.refresh(project)
        return ProjectPublic.model_validate(project)


def list_projects(
    engine: Engine,
    *,
    search: str = "",
    phases: Iterable[Phase] = (),
    owner: str = "",
    include_archived: bool = False,
    identity: str | None = None,
    admin: bool = False,
) -> list[ProjectPublic]:
    """Projects matching the filters, by name; archived ones only with `include_archived`;
    with `identity`, only those that person may see (roles; `admin` sees all)."""
    with Session(engine) as session:
        rows = crud.search_projects(
            session,
            search=search,
            phases=phases,
            owner=owner,
            include_archived=include_archived,
        )
        hidden = permissions.hidden_project_ids(session, identity, admin=admin)
        return [ProjectPublic.model_validate(row) for row in rows if row.id not in hidden]


def change_stamp(engine: Engine) -> tuple[int, int, int]:
    """A cheap mark that moves whenever anything is saved, through any server: the newest
    activity-log entry, the newest project and the number of projects (every change logs an
    entry). Cached reads keyed on it are fresh on the next rerun everywhere."""
    with Session(engine) as session:
        row = session.exec(
            select(
                select(func.max(ActivityEntry.id)).scalar_subquery(),
                select(func.max(Project.id)).scalar_subquery(),
                select(func.count(Project.id)).scalar_subquery(),
            )
        ).one()
        return tuple(int(value or 0) for value in row)


def project_names(
    engine: Engine,
    *,
    include_archived: bool = False,
    identity: str | None = None,
    admin: bool = False,
) -> dict[int, str]:
    """Every project's id and name, by name: what a project picker needs and no more
    (archived projects only with `include_archived`; with `identity`, only those that person
    may see)."""
    with Session(engine) as session:
        hidden = permissions.hidden_project_ids(session, identity, admin=admin)
        statement = select(Project.id, Project.name).order_by(func.lower(Project.name))
        if not include_archived:
            statement = statement.where(col(Project.archived_at).is_(None))
        return {
            project_id: name
            for project_id, name in session.exec(statement).all()
            if project_id not in hidden
        }


def find_project(engine: Engine, reference: str) -> ProjectPublic:
    """The project whose id is `reference`, else whose name is exactly `reference`."""
    with Session(engine) as session:
        project = None
        if reference.strip().isdecimal():
            project = session.get(Project, int(reference))
        if project is None:
            project = session.exec(select(Project).where(Project.name == reference)).first()
        if project is None:
            raise NotFound(f"no project with id or exact name {reference!r}")
        return ProjectPublic.model_validate(project)


def _detail(session: Session, project: Project) -> ProjectDetail:
    checks = crud.list_gate_checks(session, project_id=project.id)
    done: dict[Phase, set[str]] = {phase: set() for phase in Phase}
    for check in checks:
        done[Phase(check.phase)].add(check.item_key)
    return ProjectDetail(
        project=ProjectPublic.model_validate(project),
        criteria=tuple(
            SuccessCriterionPublic.model_validate(row)
            for row in crud.list_criteria(session, project_id=project.id)
        ),
        stakeholders=tuple(
            StakeholderPublic.model_validate(row)
            for row in crud.list_stakeholders(session, project_id=project.id)
        ),
        done_gate_items={phase: frozenset(keys) for phase, keys in done.items()},
        transitions=tuple(
            PhaseTransitionPublic.model_validate(row)
            for row in crud.list_transitions(session, project_id=project.id)
        ),
    )


def get_project(engine: Engine, project_id: int) -> ProjectDetail:
    """One project with its charter tables, checklist state and phase history."""
    with Session(engine) as session:
        project = session.get(Project, project_id)
        if project is None:
            raise NotFound(f"There is no project with id {project_id}.")
        return _detail(session, project)


def _rows_signature(rows: Iterable[Any], fields: Sequence[str]) -> list[dict[str, Any]]:
    return [{field: _json_value(getattr(row, field)) for field in fields} for row in rows]


def update_project(
    engine: Engine,
    *,
    project_id: int,
    expected_version: int,
    data: Mapping[str, Any],
    actor: str,
    today: date,
    criteria: Sequence[Mapping[str, Any]] | None = None,
    stakeholders: Sequence[Mapping[str, Any]] | None = None,
) -> ProjectPublic:
    """Save a charter edit made on version `expected_version`.

    Refuses (StaleEditError, nothing written) when the project moved on since that version;
    raises InvalidInput (nothing written) on bad input. Logs every changed field.
    """
    project, _ = update_project_noting_source(
        engine,
        project_id=project_id,
        expected_version=expected_version,
        data=data,
        actor=actor,
        today=today,
        criteria=criteria,
        stakeholders=stakeholders,
    )
    return project


def update_project_noting_source(
    engine: Engine,
    *,
    project_id: int,
    expected_version: int,
    data: Mapping[str, Any],
    actor: str,
    today: date,
    criteria: Sequence[Mapping[str, Any]] | None = None,
    stakeholders: Sequence[Mapping[str, Any]] | None = None,
    source: Mapping[str, Any] | None = None,
) -> tuple[ProjectPublic, ActivityPublic | None]:
    """`update_project`, plus (when `source` gives action, summary and changes) one more log
    entry saying where the new text came from — in the same transaction as the edit.

    Returns the project and that source entry (None when nothing changed or no source).
    """
    actor = check_actor(actor)
    with Session(engine) as session:
        project = session.get(Project, project_id)
        if project is None:
            raise NotFound(f"There is no project with id {project_id}.")
        update, valid_criteria, valid_stakeholders = _validate_charter(
            session,
            data=data,
            model=ProjectUpdate,
            today=today,
            criteria=criteria,
            stakeholders=stakeholders,
            project_id=project_id,
            previous_delivery_date=project.target_delivery_date,
        )
        fields = update.model_dump(exclude_unset=True)
        _check_version(
            session, project, expected_version, fields, valid_criteria, valid_stakeholders
        )
        changes: dict[str, Any] = {
            key: [_json_value(getattr(project, key)), _json_value(value)]
            for key, value in fields.items()
            if getattr(project, key) != value
        }
        if valid_criteria is not None:
            old = _rows_signature(
                crud.list_criteria(session, project_id=project_id), CRITERION_FIELDS
            )
            new = _rows_signature(valid_criteria, CRITERION_FIELDS)
            if old != new:
                changes["success criteria"] = [old, new]
                crud.replace_criteria(session, project_id=project_id, criteria=valid_criteria)
        if valid_stakeholders is not None:
            old = _rows_signature(
                crud.list_stakeholders(session, project_id=project_id), STAKEHOLDER_FIELDS
            )
            new = _rows_signature(valid_stakeholders, STAKEHOLDER_FIELDS)
            if old != new:
                changes["stakeholders"] = [old, new]
                crud.replace_stakeholders(
                    session, project_id=project_id, stakeholders=valid_stakeholders
                )
        if not changes:
            return ProjectPublic.model_validate(project), None
        project.sqlmodel_update(fields)
        project.updated_at = utc_now()
        session.add(project)
        crud.record_activity(
            session,
            project_id=project_id,
            actor=actor,
            action="charter edited",
            summary="Changed " + ", ".join(field.replace("_", " ") for field in changes) + ".",
            changes=changes,
        )
        noted = (
            crud.record_activity(session, project_id=project_id, actor=actor, **source)
            if source
            else None
        )
        _commit_versioned(session, project, fields, valid_criteria, valid_stakeholders)
        session.refresh(project)
        if noted is not None:
            session.refresh(noted)
        return (
            ProjectPublic.model_validate(project),
            ActivityPublic.model_validate(noted) if noted is not None else None,
        )


def _stale(session, project, fields, criteria, stakeholders) -> StaleEditError:
    """The refusal of a charter edit or phase move made on an older version of the project,
    with the success criteria and stakeholders compared too."""
    current = _detail(session, project)
    error = versioning.stale_error(session, project, fields, public=lambda _: current.project)
    for label, mine, theirs, row_fields in (
        ("success criteria", criteria, current.criteria, CRITERION_FIELDS),
        ("stakeholders", stakeholders, current.stakeholders, STAKEHOLDER_FIELDS),
    ):
        if mine is None:
            continue
        mine_rows = _rows_signature(mine, row_fields)
        their_rows = _rows_signature(theirs, row_fields)
        if mine_rows != their_rows:
            error.conflicts[label] = (mine_rows, their_rows)
    return error


def _check_version(session, project, expected_version, fields, criteria=None, stakeholders=None):
    if project.version != expected_version:
        raise _stale(session, project, fields, criteria, stakeholders)


def _commit_versioned(session, project, fields, criteria=None, stakeholders=None):
    """Commit; if another writer got in between our read and this write, refuse as stale."""
    project_id, name = project.id, project.name
    try:
        session.commit()
    except StaleDataError:
        session.rollback()
        raise _stale(
            session, session.get(Project, project_id), fields, criteria, stakeholders
        ) from None
    except IntegrityError as error:  # the new name was given to another project a moment ago
        session.rollback()
        taken = crud.find_project_by_name(session, name=name)
        if taken is None or taken.id == project_id:
            raise
        raise InvalidInput({"name": f"A project called {taken.name!r} already exists."}) from error


def tick_gate_items(
    session: Session,
    *,
    project_id: int,
    phase: Phase,
    check: Iterable[str] = (),
    uncheck: Iterable[str] = (),
    actor: str,
    gates: Mapping[Phase, PhaseGate] | None = None,
) -> frozenset[str]:
    """Tick and untick gate items in the caller's transaction (nothing is committed here).

    Only the items named change, so two people ticking different items both keep their ticks.
    Returns the ticked keys of that phase afterwards. Raises InvalidInput for an unknown item.
    """
    gate = (gates or default_gates())[Phase(phase)]
    known = {item.key: item.text for item in gate.items}
    check, uncheck = set(check), set(uncheck)
    unknown = sorted((check | uncheck) - known.keys())
    if unknown:
        raise InvalidInput({"gate": f"Unknown checklist item(s): {', '.join(unknown)}."})
    existing = {
        c.item_key: c
        for c in crud.list_gate_checks(session, project_id=project_id)
        if Phase(c.phase) == Phase(phase)
    }
    ticked = [key for key in check if key not in existing]
    unticked = [key for key in uncheck if key in existing]
    for key in ticked:
        session.add(
            GateCheck(project_id=project_id, phase=Phase(phase), item_key=key, checked_by=actor)
        )
    for key in unticked:
        session.delete(existing[key])
    if ticked or unticked:
        parts = [f"ticked {known[key]!r}" for key in ticked]
        parts += [f"unticked {known[key]!r}" for key in unticked]
        crud.record_activity(
            session,
            project_id=project_id,
            actor=actor,
            action="gate checklist",
            summary=f"{Phase(phase).label}: " + "; ".join(parts) + ".",
            changes={"ticked": sorted(ticked), "unticked": sorted(unticked)},
        )
    return frozenset((existing.keys() - set(unticked)) | set(ticked))


def set_gate_items(
    engine: Engine,
    *,
    project_id: int,
    phase: Phase,
    check: Iterable[str] = (),
    uncheck: Iterable[str] = (),
    actor: str,
    gates: Mapping[Phase, PhaseGate] | None = None,
) -> frozenset[str]:
    """Tick and untick gate items of one phase (only those named: others' ticks stay).

    Returns the ticked keys of that phase afterwards.
    """
    actor = check_actor(actor)
    with Session(engine) as session:
        if session.get(Project, project_id) is None:
            raise NotFound(f"There is no project with id {project_id}.")
        done = tick_gate_items(
            session,
            project_id=project_id,
            phase=phase,
            check=check,
            uncheck=uncheck,
            actor=actor,
            gates=gates,
        )
        try:
            session.commit()
        except IntegrityError:
            # Someone ticked the same item at the same moment: their tick stands, so does ours.
            session.rollback()
            return frozenset(
                c.item_key
                for c in crud.list_gate_checks(session, project_id=project_id)
                if Phase(c.phase) == Phase(phase)
            )
        return done


def apply_phase_move(
    session: Session,
    project: Project,
    *,
    target: Phase,
    actor: str,
    note: str = "",
    gates: Mapping[Phase, PhaseGate] | None = None,
) -> PhaseTransition:
    """Move `project` to `target` in the caller's transaction, recording what was still open.

    Nothing is committed here; the project row's version column refuses a stale write at commit.
    Raises InvalidInput for a move the lifecycle rules refuse.
    """
    gates = gates or default_gates()
    note = (note or "").strip()
    current = Phase(project.phase)
    done = {
        c.item_key
        for c in crud.list_gate_checks(session, project_id=project.id)
        if Phase(c.phase) == current
    }
    try:
        move = plan_phase_move(
            current=current, target=Phase(target), gates=gates, done_keys=done, note=note
        )
    except InvalidPhaseMove as error:
        raise InvalidInput({"phase": str(error)}) from error
    transition = PhaseTransition(
        project_id=project.id,
        from_phase=move.from_phase,
        to_phase=move.to_phase,
        actor=actor,
        open_items=[item.text for item in move.open_items],
        note=note,
    )
    session.add(transition)
    project.phase = move.to_phase
    project.updated_at = utc_now()
    session.add(project)
    still_open = (
        f" Still open: {'; '.join(item.text for item in move.open_items)}."
        if move.open_items
        else ""
    )
    crud.record_activity(
        session,
        project_id=project.id,
        actor=actor,
        action="phase moved",
        summary=(
            f"Moved from {move.from_phase.label} to {move.to_phase.label}."
            f"{still_open}{' Note: ' + note if note else ''}"
        ),
        changes={"phase": [move.from_phase.value, move.to_phase.value]},
    )
    return transition


def move_phase(
    engine: Engine,
    *,
    project_id: int,
    expected_version: int,
    target: Phase,
    actor: str,
    note: str = "",
    gates: Mapping[Phase, PhaseGate] | None = None,
) -> PhaseTransitionPublic:
    """Move a project to `target`, recording who did it and which gate items were open.

    Raises InvalidInput for a move the lifecycle rules refuse, StaleEditError when the project
    changed since `expected_version`.
    """
    actor = check_actor(actor)
    with Session(engine) as session:
        project = session.get(Project, project_id)
        if project is None:
            raise NotFound(f"There is no project with id {project_id}.")
        _check_version(session, project, expected_version, {"phase": Phase(target)})
        transition = apply_phase_move(
            session, project, target=target, actor=actor, note=note, gates=gates
        )
        _commit_versioned(session, project, {"phase": Phase(target)})
        session.refresh(transition)
        return PhaseTransitionPublic.model_validate(transition)


def list_activity(
    engine: Engine, project_id: int, limit: int = ACTIVITY_PAGE
) -> list[ActivityPublic]:
    """A project's activity log, newest first."""
    with Session(engine) as session:
        return [
            ActivityPublic.model_validate(row)
            for row in crud.list_activity(session, project_id=project_id, limit=limit)
        ]
