"""Roles enforced by the service layer on SQLite and PostgreSQL: a viewer's save is refused with
NotAllowed and nothing is written, an editor's goes through, only owners and admins manage
members, every role change is logged, the last owner stays, and lists show only what a person
may see."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from tests.dates import TODAY
from workbench.errors import InvalidInput, NotAllowed, StaleEditError
from workbench.models import ActivityEntry, ProjectMember
from workbench.services import members, registers, transfer
from workbench.services import projects as svc
from workbench.services.permissions import acting_as
from workbench.services.project_life import delete_project, duplicate_project

OLGA, ED, VI, MALLORY = "olga@example.com", "ed@example.com", "vi@example.com", "mal@example.com"


def activity_count(engine) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(ActivityEntry)).one()[0]


def member_rows(engine) -> set[tuple[int, str, str]]:
    with Session(engine) as session:
        rows = session.exec(select(ProjectMember)).scalars()
        return {(row.project_id, row.identity, str(row.role)) for row in rows}


@pytest.fixture
def team(engine):
    """Olga (signed in) creates a project and gives Ed the editor's role and Vi the viewer's;
    another project nobody has joined stays open."""
    with acting_as(OLGA):
        project = svc.create_project(
            engine, data={"name": "Churn", "problem": "Customers leave"}, actor="Olga", today=TODAY
        )
        members.add_member(engine, project_id=project.id, identity=ED, role="editor", actor="Olga")
        members.add_member(engine, project_id=project.id, identity=VI, role="viewer", actor="Olga")
    open_project = svc.create_project(
        engine, data={"name": "Open one"}, actor="Someone at the terminal", today=TODAY
    )
    return project, open_project


def save_problem(engine, project, text: str, actor: str):
    current = svc.get_project(engine, project.id).project
    return svc.update_project(
        engine,
        project_id=project.id,
        expected_version=current.version,
        data={"problem": text},
        actor=actor,
        today=TODAY,
    )


def test_the_creator_becomes_owner_and_members_are_listed_owner_first(engine, team):
    project, open_project = team
    listed = [(m.identity, m.role) for m in members.list_members(engine, project.id)]
    assert listed == [(OLGA, "owner"), (ED, "editor"), (VI, "viewer")]
    assert members.list_members(engine, open_project.id) == []  # made without anyone signed in


def test_a_viewer_who_saves_is_refused_and_nothing_is_written(engine, team):
    project, _ = team
    before = activity_count(engine)
    with acting_as(VI), pytest.raises(NotAllowed) as refused:
        save_problem(engine, project, "Vi was here", "Vi")
    assert str(refused.value) == (
        "Not saved: you can view this project but not change it; ask its owner "
        f"({OLGA}) for editor access."
    )
    with acting_as(VI), pytest.raises(NotAllowed):
        registers.create_risk(engine, project_id=project.id, data={"title": "Vi's"}, actor="Vi")
    assert svc.get_project(engine, project.id).project.problem == "Customers leave"
    assert activity_count(engine) == before
    assert registers.list_risks(engine, project.id) == []


def test_an_editor_saves_and_an_owner_and_admin_too(engine, team):
    project, _ = team
    with acting_as(ED):
        assert save_problem(engine, project, "Ed's words", "Ed").problem == "Ed's words"
    with acting_as(OLGA):
        assert save_problem(engine, project, "Olga's words", "Olga").problem == "Olga's words"
    with acting_as(MALLORY, admin=True):
        assert save_problem(engine, project, "Admin's words", "Ada").problem == "Admin's words"


def test_a_non_member_is_refused_and_an_open_project_takes_anyone(engine, team):
    project, open_project = team
    with acting_as(MALLORY), pytest.raises(NotAllowed, match="you have no access"):
        save_problem(engine, project, "Mallory", "Mallory")
    with acting_as(MALLORY):
        assert save_problem(engine, open_project, "Anyone", "Mallory").problem == "Anyone"


def test_only_owners_and_admins_manage_members(engine, team):
    project, _ = team
    ed = next(m for m in members.list_members(engine, project.id) if m.identity == ED)
    for who in (ED, VI):
        with acting_as(who), pytest.raises(NotAllowed, match=r"only the project's owners|view"):
            members.add_member(
                engine, project_id=project.id, identity=MALLORY, role="owner", actor=who
            )
        with acting_as(who), pytest.raises(NotAllowed):
            members.change_role(
                engine, member_id=ed.id, role="owner", expected_version=ed.version, actor=who
            )
    with acting_as(ED), pytest.raises(NotAllowed, match="only the project's owners"):
        delete_project(engine, project_id=project.id, typed_name="Churn", actor="Ed")
    assert (project.id, MALLORY, "owner") not in member_rows(engine)
    assert svc.get_project(engine, project.id).project.name == "Churn"
    with acting_as("root@example.com", admin=True):
        members.add_member(
            engine, project_id=project.id, identity=MALLORY, role="viewer", actor="Ada"
        )
    assert (project.id, MALLORY, "viewer") in member_rows(engine)


def test_role_changes_are_logged(engine, team):
    project, _ = team
    vi = next(m for m in members.list_members(engine, project.id) if m.identity == VI)
    with acting_as(OLGA):
        members.change_role(
            engine, member_id=vi.id, role="editor", expected_version=vi.version, actor="Olga"
        )
        changed = next(m for m in members.list_members(engine, project.id) if m.identity == VI)
        assert (changed.role, changed.version) == ("editor", vi.version + 1)
        with pytest.raises(StaleEditError):  # a second tab still showing Vi as a viewer
            members.remove_member(
                engine, member_id=vi.id, expected_version=vi.version, actor="Olga"
            )
        members.remove_member(
            engine, member_id=changed.id, expected_version=changed.version, actor="Olga"
        )
    log = [(e.action, e.actor, e.changes) for e in svc.list_activity(engine, project.id)]
    assert ("role changed", "Olga", {"identity": VI, "role": ["viewer", "editor"]}) in log
    assert ("member removed", "Olga", {"identity": VI, "role": "editor"}) in log
    assert ("member added", "Olga", {"identity": ED, "role": "editor"}) in log
    with acting_as(VI), pytest.raises(NotAllowed, match="no access"):  # Vi is out now
        save_problem(engine, project, "Vi", "Vi")


def test_the_last_owner_can_be_neither_demoted_nor_removed(engine, team):
    project, _ = team
    olga = next(m for m in members.list_members(engine, project.id) if m.identity == OLGA)
    with acting_as(OLGA):
        with pytest.raises(InvalidInput, match="needs an owner"):
            members.change_role(
                engine, member_id=olga.id, role="editor", expected_version=olga.version, actor="O"
            )
        with pytest.raises(InvalidInput, match="needs an owner"):
            members.remove_member(
                engine, member_id=olga.id, expected_version=olga.version, actor="O"
            )
        members.add_member(engine, project_id=project.id, identity=MALLORY, role="owner", actor="O")
        members.remove_member(engine, member_id=olga.id, expected_version=olga.version, actor="O")
    assert {m.identity for m in members.list_members(engine, project.id)} == {ED, VI, MALLORY}


def test_the_first_member_of_an_open_project(engine, team):
    _, open_project = team
    with pytest.raises(InvalidInput, match="must be its owner"):  # nobody signed in
        members.add_member(
            engine, project_id=open_project.id, identity=VI, role="viewer", actor="Ann"
        )
    with acting_as(ED):  # signed in: who opens the door keeps a key
        members.add_member(
            engine, project_id=open_project.id, identity=VI, role="viewer", actor="Ed"
        )
    roles = {(m.identity, m.role) for m in members.list_members(engine, open_project.id)}
    assert roles == {(ED, "owner"), (VI, "viewer")}


BAD_IDENTITIES = [
    "",
    "  ",
    "two words@example.com",
    "x" * 201,
    "![x](http://h/x.png)",
    "<b>@x",
    "a\x00b",
]


def test_a_bad_identity_is_refused(engine, team):
    project, _ = team
    for bad in BAD_IDENTITIES:
        with acting_as(OLGA), pytest.raises(InvalidInput) as refused:
            members.add_member(
                engine, project_id=project.id, identity=bad, role="viewer", actor="O"
            )
        assert "identity" in refused.value.errors, bad
    assert len(members.list_members(engine, project.id)) == 3


def test_lists_show_only_what_a_person_may_see(engine, team):
    project, open_project = team
    everything = {project.id: "Churn", open_project.id: "Open one"}
    assert svc.project_names(engine) == everything  # roles not enforced: the command line
    assert svc.project_names(engine, identity=VI) == everything
    assert svc.project_names(engine, identity=MALLORY) == {open_project.id: "Open one"}
    assert svc.project_names(engine, identity=MALLORY, admin=True) == everything
    assert [p.name for p in svc.list_projects(engine, identity=MALLORY)] == ["Open one"]


def test_duplicate_makes_the_duplicator_owner_and_copies_no_members(engine, team):
    project, _ = team
    with acting_as(VI):  # a viewer may take the project as a template for their own
        copy = duplicate_project(
            engine, project_id=project.id, name="Churn 2", actor="Vi", today=TODAY
        )
    assert [(m.identity, m.role) for m in members.list_members(engine, copy.id)] == [(VI, "owner")]


def test_export_carries_no_members_and_import_makes_the_importer_owner(engine, team):
    project, _ = team
    raw = transfer.export_json(engine, project.id)
    document = transfer.export_project(engine, project.id)
    rows = [row for key, part in document.items() if isinstance(part, list) for row in part]
    assert not [row for row in rows if isinstance(row, dict) and "identity" in row]
    assert "members" not in document and "project_member" not in document
    with acting_as(ED):
        imported = transfer.import_project(engine, raw, actor="Ed", name="Churn copy")
    assert [(m.identity, m.role) for m in members.list_members(engine, imported.project.id)] == [
        (ED, "owner")
    ]


def test_delete_by_the_owner_takes_the_members_with_it(engine, team):
    project, open_project = team
    with acting_as(OLGA):
        delete_project(engine, project_id=project.id, typed_name="Churn", actor="Olga")
    assert {row[0] for row in member_rows(engine)} <= {open_project.id}
    assert member_rows(engine) == set()
