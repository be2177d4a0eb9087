"""AppTest: who may see what. With sign-in configured, an anonymous visitor gets a "Log in" page
and nothing else; the signed-in identity is the actor. A session that came through an
interview link gets its own form, whatever it asks for later; a malformed link is refused.

`at.secrets["auth"]` stands for the `[auth]` section of `.streamlit/secrets.toml`: AppTest
swaps `st.secrets` for the run, which is what the app reads. `st.user` then comes from
`at.user` (AppTest's default user has an e-mail but no `is_logged_in`: not signed in).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from tests.dates import TODAY
from tests.ui.conftest import APP, TIMEOUT
from tests.ui.helpers import by_label, click
from workbench import clock
from workbench.db import make_engine
from workbench.services import interviews as interview_service
from workbench.services import projects as project_service

AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "not-a-real-secret-only-for-tests",
    "client_id": "workbench",
    "client_secret": "not-a-real-secret",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}
TEAM_PAGES = [
    "pages/team/portfolio.py",
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
TEXT = ("title", "header", "subheader", "markdown", "caption", "text", "code", "json")
MESSAGES = ("info", "warning", "error", "success", "exception", "toast")
WIDGETS = (
    "text_input",
    "text_area",
    "selectbox",
    "multiselect",
    "button",
    "checkbox",
    "radio",
    "date_input",
    "number_input",
    "toggle",
)


@pytest.fixture
def workspace(app_db):
    """Two projects; an interview of Dana on the first one; the plain token."""
    engine = make_engine(app_db)
    project = project_service.create_project(
        engine,
        data={"name": "Dispatch delays", "problem": "Trucks leave late"},
        actor="Ann",
        today=TODAY,
    )
    other = project_service.create_project(
        engine,
        data={"name": "Secret pricing", "problem": "Margins by client"},
        actor="Bo",
        today=TODAY,
    )
    link = interview_service.create_interview(
        engine,
        project_id=project.id,
        expert_name="Dana",
        template_id="sme_default",
        actor="Ann",
        now=clock.now(),
    )
    yield {"engine": engine, "project": project, "other": other, "token": link.token}
    engine.dispose()


def shown(at: AppTest) -> str:
    """Everything the page shows (main area and sidebar): texts, messages, widget labels and
    their options, page links."""
    parts = []
    for kind in TEXT + MESSAGES:
        parts += [str(element.value) for element in at.get(kind)]
    for kind in WIDGETS:
        for widget in at.get(kind):
            parts.append(str(widget.label))
            parts += [str(option) for option in getattr(widget, "options", [])]
    parts += [str(getattr(link, "label", "")) for link in at.get("page_link")]
    return "\n".join(parts).replace("\\", "")


def ask_for(at: AppTest, page: str) -> AppTest:
    """Ask for `page` as a browser does when its address names it (`/charter`): by the page's
    hash, whether or not this session's navigation offers it (AppTest's `switch_page` only takes
    pages the last run registered)."""
    at._page_hash = calc_hash(Path(page).stem)
    return at


def run_ok(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def anonymous(**query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.secrets["auth"] = dict(AUTH)
    at.user = {"is_logged_in": False}
    for name, value in query.items():
        at.query_params[name] = value
    return run_ok(at)


def assert_only_log_in(at: AppTest) -> None:
    assert [b.label for b in at.button] == ["Log in"]
    assert len(at.sidebar.children) == 0
    assert not at.text_input and not at.text_area and not at.selectbox and not at.dataframe
    text = shown(at)
    for secret in ("Dispatch delays", "Secret pricing", "Trucks leave late", "Margins", "Dana"):
        assert secret not in text, secret


# --- sign-in ---------------------------------------------------------------------------------


def test_an_anonymous_visitor_gets_only_a_log_in_page(workspace):
    at = anonymous()
    assert_only_log_in(at)
    assert at.title[0].value == "Scoping Workbench"
    for page in TEAM_PAGES:  # every page, with a project in the URL
        ask_for(at, page)
        at.query_params["project"] = str(workspace["other"].id)
        run_ok(at)
        assert_only_log_in(at)
    assert_only_log_in(anonymous(project=str(workspace["project"].id)))


def test_an_anonymous_visitor_cannot_create_a_project(workspace):
    at = anonymous()
    # What a crafted client could send: the portfolio's "New project" form, filled and submitted.
    at.session_state["actor_name"] = "Mallory"
    ask_for(at, "pages/team/portfolio.py")
    run_ok(at)
    assert_only_log_in(at)
    assert not [b for b in at.button if b.label == "Create project"]
    assert set(project_service.project_names(workspace["engine"]).values()) == {
        "Dispatch delays",
        "Secret pricing",
    }


def test_a_visitor_without_is_logged_in_is_not_signed_in(workspace):
    """AppTest's default user (an e-mail, no `is_logged_in`) must not pass for a signed-in one."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.secrets["auth"] = dict(AUTH)
    run_ok(at)
    assert_only_log_in(at)


def test_the_signed_in_user_is_the_actor_whatever_name_is_typed(workspace):
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.secrets["auth"] = dict(AUTH)
    at.user = {"is_logged_in": True, "name": "Grace Hopper", "email": "grace@example.com"}
    at.session_state["actor_name"] = "Mallory"  # a name typed before: not used when signed in
    run_ok(at)
    assert not [w for w in at.text_input if w.label == "Your name"]
    assert any("Grace Hopper" in c.value for c in at.sidebar.caption)
    assert [b.label for b in at.sidebar.button] == ["Log out"]
    assert "Secret pricing" in shown(at)  # the workspace is theirs
    by_label(at.text_input, "Name *").input("Signed-in project")
    click(at, "Create project")
    engine = workspace["engine"]
    created = project_service.find_project(engine, "Signed-in project")
    [entry] = project_service.list_activity(engine, created.id)
    assert entry.actor == "Grace Hopper"


def test_a_signed_in_user_without_a_name_acts_under_their_e_mail(workspace):
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.secrets["auth"] = dict(AUTH)
    at.user = {"is_logged_in": True, "email": "grace@example.com"}
    run_ok(at)
    by_label(at.text_input, "Name *").input("Mail project")
    click(at, "Create project")
    engine = workspace["engine"]
    created = project_service.find_project(engine, "Mail project")
    assert project_service.list_activity(engine, created.id)[0].actor == "grace@example.com"


def test_log_in_that_cannot_start_says_so_in_a_sentence(workspace):
    """An `[auth]` section Streamlit refuses (here: no client id): the button gives a sentence."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.secrets["auth"] = {"redirect_uri": AUTH["redirect_uri"]}
    at.user = {"is_logged_in": False}
    run_ok(at)
    click(at, "Log in")
    assert [e.value for e in at.error] == [
        "Sign-in is not set up correctly on this server, so nobody can log in right now. "
        "Tell the workbench's administrator (the server log says what is wrong)."
    ]
    assert "Secret pricing" not in shown(at)


def test_an_open_workspace_says_so_in_the_sidebar(workspace):
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.session_state["actor_name"] = "Ann"
    run_ok(at)
    assert any("Open workspace: no sign-in is configured" in c.value for c in at.sidebar.caption)
    assert [w.label for w in at.sidebar.text_input] == ["Your name"]


def test_creating_a_link_in_an_open_workspace_warns_the_pm(workspace):
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.session_state["actor_name"] = "Ann"
    at.query_params["project"] = str(workspace["project"].id)
    run_ok(at)
    at.switch_page("pages/team/interviews.py")
    run_ok(at)
    assert any("This workspace is open" in w.value for w in at.warning)

    signed = AppTest.from_file(APP, default_timeout=TIMEOUT)
    signed.secrets["auth"] = dict(AUTH)
    signed.user = {"is_logged_in": True, "name": "Grace Hopper"}
    signed.query_params["project"] = str(workspace["project"].id)
    run_ok(signed)
    signed.switch_page("pages/team/interviews.py")
    run_ok(signed)
    assert signed.title[0].value == "SME interviews"
    assert not any("This workspace is open" in w.value for w in signed.warning)


# --- an expert's session ---------------------------------------------------------------------


def open_link(token: str, *, auth: bool = False) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    if auth:
        at.secrets["auth"] = dict(AUTH)
        at.user = {"is_logged_in": False}
    at.query_params["interview"] = token
    return run_ok(at)


def assert_only_the_form(at: AppTest) -> None:
    assert at.title[0].value == "Teach us how you do it now"
    assert len(at.sidebar.children) == 0
    assert not at.get("page_link")
    text = shown(at)
    assert "Dispatch delays" in text  # their own project's name, on their form
    for secret in ("Secret pricing", "Margins", "Trucks leave late", "Portfolio", "Your name"):
        assert secret not in text, secret


@pytest.mark.parametrize("auth", [False, True], ids=["open workspace", "sign-in configured"])
def test_an_interview_session_gets_only_its_form_whatever_it_asks_for(workspace, auth):
    at = open_link(workspace["token"], auth=auth)
    assert_only_the_form(at)
    other = str(workspace["other"].id)
    for page in TEAM_PAGES:  # another page, another project, and no ?interview= at all
        ask_for(at, page)
        at.query_params.clear()
        at.query_params["project"] = other
        run_ok(at)
        assert_only_the_form(at)
        assert at.query_params == {"interview": workspace["token"]}  # its own link, restored
    at.query_params.clear()  # the address without the link: still the expert's session
    run_ok(at)
    assert_only_the_form(at)


def test_an_interview_session_keeps_its_own_form_when_another_token_is_sent(workspace):
    engine = workspace["engine"]
    second = interview_service.create_interview(
        engine,
        project_id=workspace["other"].id,
        expert_name="Eve",
        template_id="sme_default",
        actor="Bo",
        now=clock.now(),
    )
    at = open_link(workspace["token"])
    at.query_params["interview"] = second.token
    run_ok(at)
    assert_only_the_form(at)  # Dana's form, not Eve's (and not "Secret pricing")


def test_an_interview_session_saves_its_draft_after_the_url_changed(workspace):
    at = open_link(workspace["token"])
    at.query_params.clear()
    at.query_params["project"] = str(workspace["other"].id)
    run_ok(at)
    [first] = [w for w in at.text_area if "How is this done today?" in w.label]
    first.input("I check the board at 6am")
    run_ok(at)
    form = interview_service.open_interview_by_token(
        workspace["engine"], workspace["token"], clock.now()
    )
    assert form.answers == {"how_done_today": "I check the board at 6am"}


def test_a_session_that_opened_a_bad_link_stays_refused(workspace):
    at = open_link("not-a-token")
    assert [t.value for t in at.title] == ["This link is not valid."]
    at.query_params.clear()
    ask_for(at, "pages/team/portfolio.py")
    run_ok(at)
    assert [t.value for t in at.title] == ["This link is not valid."]
    assert "Secret pricing" not in shown(at) and "Dispatch delays" not in shown(at)
    assert len(at.sidebar.children) == 0


MALFORMED = {
    "empty": {"interview": ""},
    "capitalised": {"Interview": "TOKEN"},
    "array": {"interview[]": "TOKEN"},
    "two values": {"interview": ["TOKEN", "TOKEN"]},
    "with spaces": {"interview": " TOKEN "},
    "look-alike": {"interview_token": "TOKEN"},
}


@pytest.mark.parametrize("params", list(MALFORMED.values()), ids=list(MALFORMED))
@pytest.mark.parametrize("auth", [False, True], ids=["open workspace", "sign-in configured"])
def test_a_malformed_interview_link_is_refused(workspace, params, auth):
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    if auth:
        at.secrets["auth"] = dict(AUTH)
        at.user = {"is_logged_in": True, "name": "Grace Hopper"}  # even a team member's tab
    at.session_state["actor_name"] = "Ann"
    for name, value in params.items():
        value = value if isinstance(value, list) else [value]
        at.query_params[name] = [v.replace("TOKEN", workspace["token"]) for v in value]
    run_ok(at)
    assert [t.value for t in at.title] == ["This link is not valid."]
    assert len(at.sidebar.children) == 0
    assert not at.button and not at.text_input and not at.text_area and not at.selectbox
    text = shown(at)
    for secret in ("Dispatch delays", "Secret pricing", "Dana", "Portfolio"):
        assert secret not in text, secret
    at.query_params.clear()  # and it stays refused
    run_ok(at)
    assert [t.value for t in at.title] == ["This link is not valid."]
