"""AppTest: roles on the pages, with sign-in configured (`at.secrets["auth"]`, `at.user`).
An owner adds a viewer on the Charter; a viewer sees every save control disabled, and a save
that gets through anyway is refused by the service layer with nothing written; a non-member
does not see the project in the portfolio, the picker or through ?project=."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.dates import TODAY
from tests.ui.conftest import APP, TIMEOUT
from tests.ui.helpers import by_label, click, confirm, edit_table
from tests.ui.test_access import AUTH, open_link, run_ok
from workbench import clock
from workbench.db import make_engine
from workbench.demo_data import seed_demo_data
from workbench.services import interviews as interview_service
from workbench.services import members
from workbench.services import projects as project_service
from workbench.services.permissions import acting_as

OLGA, VI, MALLORY = "olga@example.com", "vi@example.com", "mal@example.com"


@pytest.fixture
def private(app_db):
    """Olga's project (Vi may view it) and an open one."""
    engine = make_engine(app_db)
    with acting_as(OLGA):
        project = project_service.create_project(
            engine, data={"name": "Churn", "problem": "Customers leave"}, actor="Olga", today=TODAY
        )
        members.add_member(engine, project_id=project.id, identity=VI, role="viewer", actor="Olga")
    shared = project_service.create_project(
        engine, data={"name": "Open one"}, actor="Seeder", today=TODAY
    )
    yield {"engine": engine, "project": project, "shared": shared}
    engine.dispose()


def signed_in(
    email: str,
    name: str,
    *,
    project: int | None = None,
    page: str | None = None,
    admins: list[str] | None = None,
):
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.secrets["auth"] = dict(AUTH)
    if admins is not None:
        at.secrets["workbench"] = {"admins": admins}
    at.user = {"is_logged_in": True, "name": name, "email": email}
    if project is not None:
        at.query_params["project"] = str(project)
    run_ok(at)
    if page:
        at.switch_page(page)
        run_ok(at)
    return at


def test_a_non_member_does_not_see_the_project_anywhere(private):
    at = signed_in(MALLORY, "Mallory")
    assert list(at.dataframe[0].value["Project"]) == ["Open one"]
    picker = by_label(at.sidebar.selectbox, "Project")
    assert picker.options == ["Open one"]
    at = signed_in(MALLORY, "Mallory", project=private["project"].id, page="pages/team/charter.py")
    assert not [t for t in at.title if t.value == "Churn"]
    assert any("Choose a project" in i.value for i in at.info)
    shown = " ".join(str(e.value) for e in [*at.markdown, *at.caption, *at.title, *at.text])
    assert "Customers leave" not in shown


def test_a_member_and_an_admin_see_it(private, monkeypatch):
    at = signed_in(VI, "Vi")
    assert sorted(at.dataframe[0].value["Project"]) == ["Churn", "Open one"]
    at = signed_in(MALLORY, "Mallory", admins=["root@example.com", MALLORY.upper()])
    assert sorted(at.dataframe[0].value["Project"]) == ["Churn", "Open one"]
    monkeypatch.setenv("WORKBENCH_ADMINS", f"root@example.com, {MALLORY.upper()}")
    at = signed_in(MALLORY, "Mallory", project=private["project"].id, page="pages/team/charter.py")
    assert at.title[0].value == "Churn" and not by_label(at.button, "Add person").disabled


def test_a_viewer_sees_disabled_controls_and_cannot_save(private):
    project = private["project"]
    at = signed_in(VI, "Vi", project=project.id, page="pages/team/charter.py")
    assert at.title[0].value == "Churn"
    assert any("read-only access" in c.value for c in at.caption)
    save = by_label(at.button, "Save charter")
    assert save.disabled
    assert all(d.disabled for d in at.data_editor if "charter" in (d.key or ""))
    assert by_label(at.button, "Add person").disabled
    assert "Vi was here" not in str(project_service.list_activity(private["engine"], project.id))


def test_a_save_from_a_page_opened_before_the_demotion_is_refused(private):
    """Vi opened the Charter as an editor; Olga then made Vi a viewer. Vi's save (the button was
    live on Vi's screen) is refused by the service layer, and nothing is written."""
    project, engine = private["project"], private["engine"]
    vi = next(m for m in members.list_members(engine, project.id) if m.identity == VI)
    with acting_as(OLGA):
        members.change_role(
            engine, member_id=vi.id, role="editor", expected_version=vi.version, actor="Olga"
        )
    at = signed_in(VI, "Vi", project=project.id, page="pages/team/charter.py")
    assert not by_label(at.button, "Save charter").disabled
    with acting_as(OLGA):
        members.change_role(
            engine, member_id=vi.id, role="viewer", expected_version=vi.version + 1, actor="Olga"
        )
    before = project_service.list_activity(engine, project.id)
    by_label(at.text_area, "What is the business problem?").input("Vi was here")
    click(at, "Save charter")
    assert any("you can view this project but not change it" in e.value for e in at.error)
    assert project_service.get_project(engine, project.id).project.problem == "Customers leave"
    assert project_service.list_activity(engine, project.id) == before
    assert by_label(at.button, "Save charter").disabled  # and from now on, disabled


def test_an_owner_adds_a_viewer_and_removes_them_after_a_confirmation(private):
    project = private["project"]
    engine = private["engine"]
    at = signed_in(OLGA, "Olga", project=project.id, page="pages/team/charter.py")
    assert not by_label(at.button, "Save charter").disabled
    by_label(at.text_input, "E-mail address *").input("  Sam@Example.com ")
    by_label(at.selectbox, "Role").set_value("viewer")
    click(at, "Add person")
    listed = {(m.identity, m.role) for m in members.list_members(engine, project.id)}
    assert listed == {(OLGA, "owner"), (VI, "viewer"), ("sam@example.com", "viewer")}
    [added] = [e for e in project_service.list_activity(engine, project.id) if "sam" in e.summary]
    assert (added.action, added.actor) == ("member added", "Olga")
    # Remove Vi (the table lists owners first: Olga, then the viewers by e-mail: Sam, Vi).
    edit_table(at, "members", deleted=[2])
    click(at, "Save roles")
    confirm(at)
    listed = {(m.identity, m.role) for m in members.list_members(engine, project.id)}
    assert listed == {(OLGA, "owner"), ("sam@example.com", "viewer")}
    at = signed_in(VI, "Vi")
    assert list(at.dataframe[0].value["Project"]) == ["Open one"]


def test_an_open_workspace_says_roles_are_not_enforced(open_app, private):
    at = open_app("pages/team/charter.py", project=private["project"].id)
    assert at.title[0].value == "Churn"  # no sign-in: everyone sees everything, as before
    assert any("roles are not enforced" in c.value for c in at.caption)
    assert not by_label(at.button, "Save charter").disabled


TEAM_PAGES = [
    "pages/team/charter.py",
    "pages/team/assessment.py",
    "pages/team/estimates.py",
    "pages/team/risks.py",
    "pages/team/experiments.py",
    "pages/team/parking_lot.py",
    "pages/team/interviews.py",
    "pages/team/demos.py",
    "pages/team/report.py",
]


def live_saves(at) -> list[str]:
    """The labels of the form layer's save buttons that can be pressed."""
    return [
        b.label
        for b in at.button
        if not b.disabled and b.key and b.key.split("__")[-1] in {"submit", "button"}
    ]


def test_a_viewer_reads_every_page_of_a_full_project_with_saving_turned_off(app_db):
    engine = make_engine(app_db)
    seed_demo_data(engine, today=TODAY)
    ride = project_service.find_project(engine, "Ride-time anomaly detection")
    with acting_as("admin@example.com", admin=True):
        members.add_member(engine, project_id=ride.id, identity=OLGA, role="owner", actor="Ada")
        members.add_member(engine, project_id=ride.id, identity=VI, role="viewer", actor="Ada")
    before = len(project_service.list_activity(engine, ride.id))
    at = signed_in(VI, "Vi", project=ride.id)
    for page in TEAM_PAGES:
        at.switch_page(page)
        run_ok(at)
        assert any("read-only access" in c.value for c in at.caption), page
        refused = [e.value for e in at.error if "Not saved" in e.value or "went wrong" in e.value]
        assert refused == [], page  # reading never writes
        assert live_saves(at) == [], page
    assert len(project_service.list_activity(engine, ride.id)) == before
    owner = signed_in(OLGA, "Olga", project=ride.id, page="pages/team/charter.py")
    assert {"Save charter", "Add person", "Save roles"} <= set(live_saves(owner))
    engine.dispose()


def test_an_expert_saves_through_their_link_on_a_private_project(private):
    """The expert is no member, and not signed in: their link is their permission."""
    engine, project = private["engine"], private["project"]
    with acting_as(OLGA):
        link = interview_service.create_interview(
            engine,
            project_id=project.id,
            expert_name="Dana",
            template_id="sme_default",
            actor="Olga",
            now=clock.now(),
        )
    at = open_link(link.token, auth=True)
    [first] = [w for w in at.text_area if "How is this done today?" in w.label]
    first.input("I check the board at 6am")
    click(at, "Save draft")
    saved = interview_service.open_interview_by_token(engine, link.token, clock.now())
    assert saved.answers == {"how_done_today": "I check the board at 6am"}
