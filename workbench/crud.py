"""Plain create/read/update helpers on an open Session; callers own the transaction."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, delete, or_, select

from workbench.domain.lifecycle import Phase
from workbench.models import (
    ActivityEntry,
    GateCheck,
    PhaseTransition,
    Project,
    Stakeholder,
    StakeholderIn,
    SuccessCriterion,
    SuccessCriterionIn,
)
from workbench.models.base import name_key


def record_activity(
    session: Session,
    *,
    project_id: int | None,
    actor: str,
    action: str,
    summary: str,
    changes: Mapping[str, Any] | None = None,
) -> ActivityEntry:
    """Add one entry to the activity log (in the caller's transaction)."""
    entry = ActivityEntry(
        project_id=project_id,
        actor=actor,
        action=action,
        summary=summary,
        changes=dict(changes or {}),
    )
    session.add(entry)
    return entry


def find_project_by_name(session: Session, *, name: str) -> Project | None:
    """The project whose name equals `name`, ignoring case and spaces (as its unique index)."""
    statement = select(Project).where(Project.name_key == name_key(name))
    return session.exec(statement).first()


def search_projects(
    session: Session,
    *,
    search: str = "",
    phases: Iterable[Phase] = (),
    owner: str = "",
    include_archived: bool = True,
) -> list[Project]:
    """Projects matching a free-text search, a set of phases and an owner, by name (archived
    ones too unless `include_archived` is False)."""
    statement = select(Project)
    if not include_archived:
        statement = statement.where(col(Project.archived_at).is_(None))
    if search.strip():
        pattern = f"%{search.strip().lower()}%"
        statement = statement.where(
            or_(
                func.lower(Project.name).like(pattern),
                func.lower(Project.problem).like(pattern),
                func.lower(Project.sponsor).like(pattern),
                func.lower(Project.owner).like(pattern),
            )
        )
    phase_values = [Phase(phase).value for phase in phases]
    if phase_values:
        statement = statement.where(col(Project.phase).in_(phase_values))
    if owner.strip():
        statement = statement.where(func.lower(Project.owner) == owner.strip().lower())
    return list(session.exec(statement.order_by(func.lower(Project.name))).all())


def replace_criteria(
    session: Session, *, project_id: int, criteria: Iterable[SuccessCriterionIn]
) -> None:
    """Replace a project's success criteria with `criteria`, in order."""
    session.exec(delete(SuccessCriterion).where(col(SuccessCriterion.project_id) == project_id))
    for position, criterion in enumerate(criteria):
        session.add(
            SuccessCriterion(project_id=project_id, position=position, **criterion.model_dump())
        )


def replace_stakeholders(
    session: Session, *, project_id: int, stakeholders: Iterable[StakeholderIn]
) -> None:
    """Replace a project's stakeholders with `stakeholders`, in order."""
    session.exec(delete(Stakeholder).where(col(Stakeholder.project_id) == project_id))
    for position, stakeholder in enumerate(stakeholders):
        session.add(
            Stakeholder(project_id=project_id, position=position, **stakeholder.model_dump())
        )


def list_criteria(session: Session, *, project_id: int) -> list[SuccessCriterion]:
    """A project's success criteria, in order."""
    statement = (
        select(SuccessCriterion)
        .where(SuccessCriterion.project_id == project_id)
        .order_by(col(SuccessCriterion.position))
    )
    return list(session.exec(statement).all())


def list_stakeholders(session: Session, *, project_id: int) -> list[Stakeholder]:
    """A project's stakeholders, in order."""
    statement = (
        select(Stakeholder)
        .where(Stakeholder.project_id == project_id)
        .order_by(col(Stakeholder.position))
    )
    return list(session.exec(statement).all())


def list_gate_checks(session: Session, *, project_id: int) -> list[GateCheck]:
    """The gate items ticked for a project, all phases."""
    return list(session.exec(select(GateCheck).where(GateCheck.project_id == project_id)).all())


def list_transitions(session: Session, *, project_id: int) -> list[PhaseTransition]:
    """A project's phase changes, newest first."""
    statement = (
        select(PhaseTransition)
        .where(PhaseTransition.project_id == project_id)
        .order_by(col(PhaseTransition.at).desc(), col(PhaseTransition.id).desc())
    )
    return list(session.exec(statement).all())


def list_activity(session: Session, *, project_id: int, limit: int) -> list[ActivityEntry]:
    """A project's newest activity entries, newest first."""
    statement = (
        select(ActivityEntry)
        .where(ActivityEntry.project_id == project_id)
        .order_by(col(ActivityEntry.at).desc(), col(ActivityEntry.id).desc())
        .limit(limit)
    )
    return list(session.exec(statement).all())


def last_actor(session: Session, *, project_id: int) -> str:
    """Who made the newest logged change to a project ('' if nobody yet)."""
    entries = list_activity(session, project_id=project_id, limit=1)
    return entries[0].actor if entries else ""
