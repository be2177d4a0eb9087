"""People and roles on a project: list, add, change a role, remove — each change logged.

Who may do it is decided in one place (`workbench/services/permissions.py`, at flush time):
owners and workspace admins; on a project without members, anyone (the project is open).
The rule that a project with members keeps an owner is checked here, before writing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from workbench import crud, versioning
from workbench.domain.roles import Access, LastOwner, Role, check_owner_remains, normal_identity
from workbench.errors import InvalidInput, NotFound
from workbench.models import SHORT_TEXT_MAX, Project, ProjectMember, ProjectMemberPublic
from workbench.services import permissions
from workbench.services.projects import check_actor

# What sign-in identities are made of: e-mail addresses and providers' subjects
# ("auth0|5f1…", "1048…", UUIDs). Nothing Markdown or HTML could read as markup.
IDENTITY = re.compile(r"[a-z0-9._%+\-@|:=]+")
FIRST_MUST_OWN = (
    "The first person given a role on a project must be its owner: a project with members "
    "needs an owner."
)
LAST_ONE = (
    "The last owner cannot be removed: give someone else the owner's role first (a project "
    "with members always keeps an owner)."
)


def _role(value: object) -> Role:
    try:
        return Role(str(value).strip().lower())
    except ValueError:
        raise InvalidInput(
            {"role": f"Choose one of: {', '.join(role.value for role in Role)}."}
        ) from None


def _identity(value: object) -> str:
    identity = normal_identity(str(value or ""))
    if not identity:
        raise InvalidInput({"identity": "Required: the person's e-mail address (as they sign in)."})
    if len(identity) > SHORT_TEXT_MAX:
        raise InvalidInput({"identity": f"Too long: at most {SHORT_TEXT_MAX} characters."})
    if not IDENTITY.fullmatch(identity):
        raise InvalidInput(
            {
                "identity": "Not an e-mail address: use letters, digits and . _ % + - @ | : = "
                "only (no spaces)."
            }
        )
    return identity


def _public(row: ProjectMember) -> ProjectMemberPublic:
    return ProjectMemberPublic.model_validate(row)


def _project(session: Session, project_id: int) -> Project:
    project = session.get(Project, project_id)
    if project is None:
        raise NotFound(f"There is no project with id {project_id} any more.")
    return project


def list_members(engine: Engine, project_id: int) -> list[ProjectMemberPublic]:
    """The project's members: owners first, then editors, then viewers, each by identity."""
    order = {Role.OWNER: 0, Role.EDITOR: 1, Role.VIEWER: 2}
    with Session(engine) as session:
        rows = session.exec(
            select(ProjectMember).where(col(ProjectMember.project_id) == project_id)
        ).all()
        return sorted(
            (_public(row) for row in rows), key=lambda m: (order[Role(m.role)], m.identity)
        )


def my_access(engine: Engine, project_id: int) -> Access:
    """What the acting person may do with the project (everything when roles are not
    enforced)."""
    with Session(engine) as session:
        return permissions.access_to(session, project_id)


def _members(session: Session, project_id: int) -> dict[str, Role]:
    return permissions.members_of(session, project_id)


def _keeps_owner(after: dict[str, Role], *, first: bool = False) -> None:
    try:
        check_owner_remains(after)
    except LastOwner as error:
        raise InvalidInput({"role": FIRST_MUST_OWN if first else str(error)}) from None


def add_member(
    engine: Engine, *, project_id: int, identity: str, role: str, actor: str
) -> ProjectMemberPublic:
    """Give `identity` a role on the project (logged). On a project without members, the
    signed-in person adding someone else becomes its owner too, so they keep access.

    Raises InvalidInput for a bad identity or role, one who already has a role, or a first
    member who would leave the project without an owner; NotAllowed when the actor may not
    manage the project's members; NotFound when the project is gone.
    """
    actor = check_actor(actor)
    identity, role_value = _identity(identity), _role(role)
    with Session(engine) as session:
        project = _project(session, project_id)
        before = _members(session, project_id)
        if identity in before:
            raise InvalidInput(
                {"identity": f"{identity} already has a role here ({before[identity].value})."}
            )
        after = {**before, identity: role_value}
        acting = permissions.current()
        added_owner = ""
        if not before and acting is not None and acting.identity and acting.identity != identity:
            added_owner = acting.identity
            after[added_owner] = Role.OWNER
        _keeps_owner(after, first=not before)
        rows = [
            ProjectMember(project_id=project_id, identity=name, role=after[name], added_by=actor)
            for name in (identity, added_owner)
            if name
        ]
        session.add_all(rows)
        crud.record_activity(
            session,
            project_id=project_id,
            actor=actor,
            action="member added",
            summary=f"Gave {identity} the role {role_value.value} on {project.name!r}"
            + (f" ({added_owner} became its owner)." if added_owner else "."),
            changes={"identity": identity, "role": role_value.value}
            | ({"owner added": added_owner} if added_owner else {}),
        )
        try:
            session.commit()
        except IntegrityError as error:
            session.rollback()
            raise InvalidInput({"identity": f"{identity} already has a role here."}) from error
        session.refresh(rows[0])
        return _public(rows[0])


def _change(session: Session, row: ProjectMember, role: Role, actor: str) -> bool:
    previous = Role(row.role)
    if previous == role:
        return False
    row.role = role
    session.add(row)
    crud.record_activity(
        session,
        project_id=row.project_id,
        actor=actor,
        action="role changed",
        summary=f"Changed {row.identity}'s role from {previous.value} to {role.value}.",
        changes={"identity": row.identity, "role": [previous.value, role.value]},
    )
    return True


def _remove(session: Session, row: ProjectMember, actor: str) -> None:
    session.delete(row)
    crud.record_activity(
        session,
        project_id=row.project_id,
        actor=actor,
        action="member removed",
        summary=f"Removed {row.identity} ({Role(row.role).value}) from the project.",
        changes={"identity": row.identity, "role": Role(row.role).value},
    )


def save_members(
    engine: Engine,
    *,
    project_id: int,
    roles: Mapping[int, tuple[int | None, str]] | None = None,
    removed: Mapping[int, int | None] | None = None,
    actor: str,
) -> int:
    """Change roles (member id → (version seen, new role)) and remove members (member id →
    version seen) in one transaction, each change logged; returns how many changed.

    The project keeps an owner: a change that would leave it without one is refused whole
    (InvalidInput). Raises StaleEditError when a member changed since the version seen,
    NotFound when one is gone or not of this project, NotAllowed (only owners and admins
    manage members).
    """
    actor = check_actor(actor)
    roles = {
        member_id: (version, _role(role)) for member_id, (version, role) in (roles or {}).items()
    }
    removed = dict(removed or {})
    with Session(engine) as session:
        after = _members(session, project_id)
        rows: list[tuple[ProjectMember, Role | None]] = []
        for member_id, version in removed.items():
            row = versioning.load_for_edit(
                session,
                ProjectMember,
                member_id,
                version,
                what="member",
                project_id=project_id,
                public=_public,
            )
            after.pop(row.identity, None)
            rows.append((row, None))
        for member_id, (version, role) in roles.items():
            if member_id in removed:
                continue
            row = versioning.load_for_edit(
                session,
                ProjectMember,
                member_id,
                version,
                {"role": role},
                what="member",
                project_id=project_id,
                public=_public,
            )
            after[row.identity] = role
            rows.append((row, role))
        if removed and not after:
            raise InvalidInput({"role": LAST_ONE})
        _keeps_owner(after)
        changed = 0
        for row, role in rows:
            if role is None:
                _remove(session, row, actor)
                changed += 1
            else:
                changed += _change(session, row, role, actor)
        versioning.commit(session, rows[0][0] if rows else None, public=_public)
        return changed


def change_role(
    engine: Engine, *, member_id: int, role: str, expected_version: int | None, actor: str
) -> None:
    """Change one member's role (logged). The last owner cannot be demoted."""
    with Session(engine) as session:
        row = session.get(ProjectMember, member_id)
        if row is None:
            raise NotFound(f"There is no member #{member_id} here any more.")
        project_id = row.project_id
    save_members(
        engine, project_id=project_id, roles={member_id: (expected_version, role)}, actor=actor
    )


def remove_member(
    engine: Engine, *, member_id: int, expected_version: int | None, actor: str
) -> None:
    """Take one member's role away (logged). The last owner stays."""
    with Session(engine) as session:
        row = session.get(ProjectMember, member_id)
        if row is None:
            raise NotFound(f"There is no member #{member_id} here any more.")
        project_id = row.project_id
    save_members(engine, project_id=project_id, removed={member_id: expected_version}, actor=actor)
