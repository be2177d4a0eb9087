"""Roles enforced in one place: every flush is checked against the acting person's role.

Services do not check roles one by one. A SQLAlchemy `before_flush` listener, registered once
on import, looks at what a flush would write for a project — a new activity-log entry (every
change logs one) or any other row with a `project_id`, the project row itself — and refuses
the whole flush with `NotAllowed` when the acting person may not change that project; changing
who has access (`ProjectMember` rows) or deleting a project needs the owner's right. The
service's `with Session(...)` then rolls the transaction back, so nothing is stored.

Who is acting comes from `acting_as(...)` (tests, the command line when it wants to), else from
the provider the UI registers (`use_identity_from`), which reads the signed-in user of the
current Streamlit session. No one acting (None) means roles are not enforced: the command
line (whoever runs it can reach the database anyway), an expert writing through their
interview link (the link is their permission), and an open workspace without sign-in (anyone
could type anyone's name there).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from sqlalchemy import event, select
from sqlalchemy.orm import Session as OrmSession

from workbench.domain.roles import Access, Role, access, normal_identity
from workbench.errors import NotAllowed
from workbench.models import Project, ProjectMember


@dataclass(frozen=True)
class Acting:
    """The person a unit of work is done for: their identity (lower-cased e-mail, else subject)
    and whether they are a workspace admin."""

    identity: str
    admin: bool = False


_acting: ContextVar[Acting | None] = ContextVar("workbench_acting", default=None)
_provider: list[Callable[[], Acting | None]] = []


def use_identity_from(provider: Callable[[], Acting | None]) -> None:
    """Register where the acting person comes from when `acting_as` is not in force (the UI
    registers a reader of the signed-in Streamlit user). A later registration replaces it."""
    _provider[:] = [provider]


@contextmanager
def acting_as(identity: str, *, admin: bool = False) -> Iterator[Acting]:
    """Do the enclosed work as `identity` (roles enforced)."""
    acting = Acting(identity=normal_identity(identity), admin=admin)
    token = _acting.set(acting)
    try:
        yield acting
    finally:
        _acting.reset(token)


def current() -> Acting | None:
    """Who is acting now; None when roles are not enforced."""
    acting = _acting.get()
    if acting is not None:
        return acting
    return _provider[0]() if _provider else None


def members_of(session: OrmSession, project_id: int) -> dict[str, Role]:
    """The project's stored members (identity → role)."""
    rows = session.execute(
        select(ProjectMember.identity, ProjectMember.role).where(
            ProjectMember.project_id == project_id
        )
    ).all()
    return {identity: Role(role) for identity, role in rows}


def access_to(session: OrmSession, project_id: int, acting: Acting | None = None) -> Access:
    """What the acting person may do with the project (everything when roles are not
    enforced)."""
    acting = current() if acting is None else acting
    if acting is None:
        return Access(see=True, edit=True, manage=True)
    return access(members_of(session, project_id), acting.identity, admin=acting.admin)


def hidden_project_ids(session: OrmSession, identity: str | None, *, admin: bool) -> set[int]:
    """The projects `identity` may not see: those with members among whom they are not.
    Nothing is hidden when `identity` is None (roles not enforced) or for an admin."""
    if identity is None or admin:
        return set()
    with_members = set(session.execute(select(ProjectMember.project_id).distinct()).scalars())
    if not with_members:
        return set()
    mine = session.execute(
        select(ProjectMember.project_id).where(ProjectMember.identity == normal_identity(identity))
    ).scalars()
    return with_members - set(mine)


def _owners(members: dict[str, Role]) -> str:
    return ", ".join(sorted(name for name, role in members.items() if role == Role.OWNER))


def refusal(members: dict[str, Role], granted: Access, *, manage: bool) -> str:
    """The sentence a refused save shows."""
    owners = _owners(members)
    if not granted.see:
        return (
            f"Not saved: you have no access to this project; ask its owner ({owners}) to add you."
        )
    if manage and granted.edit:
        return (
            "Not saved: only the project's owners "
            f"({owners}) and workspace admins can change who has access or delete it."
        )
    return (
        "Not saved: you can view this project but not change it; ask its owner "
        f"({owners}) for editor access."
    )


def _needs(session: OrmSession) -> dict[int, bool]:
    """project id → whether the flush needs the owner's right there (else the editor's)."""
    needs: dict[int, bool] = {}

    def need(project_id: int | None, manage: bool = False) -> None:
        if project_id is not None:
            needs[project_id] = needs.get(project_id, False) or manage

    for row in session.new:
        if isinstance(row, ProjectMember):
            need(row.project_id, manage=True)
        elif not isinstance(row, Project):
            need(getattr(row, "project_id", None))
    for row in session.dirty:
        if isinstance(row, ProjectMember):
            need(row.project_id, manage=True)
        elif isinstance(row, Project):
            need(row.id)
        elif session.is_modified(row):
            need(getattr(row, "project_id", None))
    for row in session.deleted:
        if isinstance(row, (ProjectMember, Project)):
            need(row.id if isinstance(row, Project) else row.project_id, manage=True)
        else:
            need(getattr(row, "project_id", None))
    return needs


def _check_flush(session: OrmSession, flush_context, instances) -> None:
    acting = current()
    if acting is None or acting.admin:
        return
    needs = _needs(session)
    if not needs:
        return
    with session.no_autoflush:
        for project_id, manage in sorted(needs.items()):
            members = members_of(session, project_id)
            granted = access(members, acting.identity, admin=False)
            if not (granted.manage if manage else granted.edit):
                raise NotAllowed(refusal(members, granted, manage=manage))


def claim_new_project(session: OrmSession, project_id: int, added_by: str) -> None:
    """A project just created by a signed-in person gets them as its owner (in the caller's
    transaction); nothing when roles are not enforced."""
    acting = current()
    if acting is None or not acting.identity:
        return
    session.add(
        ProjectMember(
            project_id=project_id, identity=acting.identity, role=Role.OWNER, added_by=added_by
        )
    )


event.listen(OrmSession, "before_flush", _check_flush)
