"""Who may see, change and share a project: roles per project and workspace admins.

The rule, in one place:

- a project **without members is open** (as every project was before roles existed, and as an
  open workspace without sign-in stays): anyone may see it, change it and add its first members;
- once it has members, only its **members and admins** see it; **owners and editors** change it;
  only **owners and admins** manage its members;
- a project that has members **always keeps an owner**: the last owner can be neither removed
  nor demoted.

Identities are compared case-insensitively (an e-mail address, else the provider's subject).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    """A person's role on one project."""

    OWNER = "owner"
    EDITOR = "editor"
    VIEWER = "viewer"

    @property
    def label(self) -> str:
        return {
            Role.OWNER: "Owner (changes it and decides who has access)",
            Role.EDITOR: "Editor (changes it)",
            Role.VIEWER: "Viewer (reads it only)",
        }[self]


class LastOwner(ValueError):
    """A change of members that would leave a project with members but no owner."""


@dataclass(frozen=True)
class Access:
    """What one person may do with one project."""

    see: bool
    edit: bool
    manage: bool


NONE = Access(see=False, edit=False, manage=False)
FULL = Access(see=True, edit=True, manage=True)
READ_ONLY = Access(see=True, edit=False, manage=False)
EDIT = Access(see=True, edit=True, manage=False)


def normal_identity(identity: str) -> str:
    """An identity as it is stored and compared: trimmed, lower-cased."""
    return (identity or "").strip().lower()


def access(members: Mapping[str, Role | str], identity: str, *, admin: bool) -> Access:
    """What `identity` may do with a project whose members are `members` (identity → role).

    >>> access({}, "ann@example.com", admin=False) == FULL
    True
    >>> access({"ann@example.com": "viewer"}, "ANN@example.com", admin=False) == READ_ONLY
    True
    """
    if admin or not members:
        return FULL
    roles = {normal_identity(name): Role(role) for name, role in members.items()}
    role = roles.get(normal_identity(identity)) if normal_identity(identity) else None
    if role is None:
        return NONE
    return {Role.OWNER: FULL, Role.EDITOR: EDIT, Role.VIEWER: READ_ONLY}[role]


def check_owner_remains(members_after: Mapping[str, Role | str]) -> None:
    """Raise LastOwner when `members_after` has members but no owner."""
    if members_after and Role.OWNER not in {Role(role) for role in members_after.values()}:
        raise LastOwner(
            "A project with members needs an owner: make someone else owner before removing "
            "or changing the last one."
        )
