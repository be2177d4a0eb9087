"""The roles rule as a table: who may see, change and share a project, and the last owner."""

from __future__ import annotations

import pytest

from workbench.domain.roles import (
    EDIT,
    FULL,
    NONE,
    READ_ONLY,
    LastOwner,
    Role,
    access,
    check_owner_remains,
    normal_identity,
)

MEMBERS = {"olga@example.com": "owner", "ed@example.com": "editor", "vi@example.com": "viewer"}


@pytest.mark.parametrize(
    ("members", "identity", "admin", "expected"),
    [
        pytest.param({}, "anyone@example.com", False, FULL, id="no members: open to anyone"),
        pytest.param({}, "", False, FULL, id="no members: open even to no one in particular"),
        pytest.param(MEMBERS, "olga@example.com", False, FULL, id="owner: everything"),
        pytest.param(MEMBERS, "ed@example.com", False, EDIT, id="editor: sees and changes"),
        pytest.param(MEMBERS, "vi@example.com", False, READ_ONLY, id="viewer: sees only"),
        pytest.param(MEMBERS, "Vi@Example.COM ", False, READ_ONLY, id="identity ignores case"),
        pytest.param(MEMBERS, "mallory@example.com", False, NONE, id="non-member: nothing"),
        pytest.param(MEMBERS, "", False, NONE, id="nobody signed in: nothing"),
        pytest.param(MEMBERS, "mallory@example.com", True, FULL, id="admin: everything"),
        pytest.param(MEMBERS, "vi@example.com", True, FULL, id="admin outranks own role"),
        pytest.param({"A@X.ORG": Role.OWNER}, "a@x.org", False, FULL, id="stored case ignored"),
    ],
)
def test_access(members, identity, admin, expected):
    assert access(members, identity, admin=admin) == expected


@pytest.mark.parametrize(
    "members",
    [
        pytest.param({}, id="no members: open again"),
        pytest.param({"a": Role.OWNER}, id="one owner"),
        pytest.param({"a": Role.OWNER, "b": Role.VIEWER}, id="owner and viewer"),
        pytest.param({"a": "owner", "b": "owner"}, id="two owners"),
    ],
)
def test_members_that_keep_an_owner(members):
    check_owner_remains(members)


@pytest.mark.parametrize(
    "members",
    [
        pytest.param({"a": Role.EDITOR}, id="only an editor"),
        pytest.param({"a": "viewer", "b": "editor"}, id="viewer and editor"),
    ],
)
def test_members_without_an_owner_are_refused(members):
    with pytest.raises(LastOwner, match="needs an owner"):
        check_owner_remains(members)


def test_an_unknown_role_is_refused():
    with pytest.raises(ValueError):
        access({"a": "superuser"}, "a", admin=False)


@pytest.mark.parametrize(
    ("raw", "stored"),
    [(" Ann@Example.com ", "ann@example.com"), ("", ""), ("sub|123", "sub|123")],
)
def test_normal_identity(raw, stored):
    assert normal_identity(raw) == stored
