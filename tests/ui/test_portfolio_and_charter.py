"""AppTest: the portfolio and charter pages render, create, edit and refuse stale saves."""

from datetime import timedelta

import pytest

from tests.dates import TODAY
from tests.ui.helpers import by_label, click, messages
from workbench.db import make_engine
from workbench.services import projects as svc


def seed(url, name="Churn model", **extra):
    engine = make_engine(url)
    project = svc.create_project(engine, data={"name": name, **extra}, actor="Seeder", today=TODAY)
    engine.dispose()
    return project


def test_portfolio_smoke_lists_projects_and_phase_counts(open_app, app_db):
    seed(app_db, "Fraud alerts", owner="Lee")
    at = open_app()
    assert at.title[0].value == "Portfolio"
    frame = at.dataframe[0].value
    assert list(frame["Project"]) == ["Fraud alerts"]
    assert list(frame["Owner"]) == ["Lee"]
    planning = next(m for m in at.metric if m.label == "Planning")
    assert planning.value == "1"


def test_portfolio_search_filters_rows(open_app, app_db):
    seed(app_db, "Fraud alerts")
    seed(app_db, "Demand forecast")
    at = open_app()
    by_label(at.text_input, "Search").input("forecast").run()
    assert list(at.dataframe[0].value["Project"]) == ["Demand forecast"]


def test_new_project_form_creates_and_opens_the_charter(open_app, app_db):
    at = open_app()
    by_label(at.text_input, "Name *").input("Ride-time anomalies")
    by_label(at.text_area, "What is the business problem?").input("Rides take too long")
    by_label(at.text_input, "Owner").input("Priya")
    click(at, "Create project")
    assert at.title[0].value == "Ride-time anomalies"
    engine = make_engine(app_db)
    [project] = svc.list_projects(engine)
    assert (project.name, project.problem, project.owner) == (
        "Ride-time anomalies",
        "Rides take too long",
        "Priya",
    )
    assert svc.list_activity(engine, project.id)[0].actor == "Ann"
    engine.dispose()
    assert at.session_state["selected_project_id"] == project.id


def test_new_project_with_bad_input_shows_messages_and_stores_nothing(open_app, app_db):
    at = open_app()
    by_label(at.text_input, "Name *").input("x" * 10_000)
    by_label(at.date_input, "Target delivery date").set_value(TODAY - timedelta(days=3))
    click(at, "Create project")
    shown = " ".join(messages(at))
    assert "Too long: at most 120 characters (this has 10000)" in shown
    assert "is in the past" in shown
    assert by_label(at.text_input, "Name *").value == "x" * 10_000  # nothing typed is lost
    engine = make_engine(app_db)
    assert svc.list_projects(engine) == []
    engine.dispose()


def test_saving_without_a_name_asks_who_you_are(open_app, app_db):
    at = open_app(actor="")
    by_label(at.text_input, "Name *").input("Anything")
    click(at, "Create project")
    assert "Say who you are" in " ".join(messages(at))


def test_charter_smoke_shows_the_selected_project(open_app, app_db):
    project = seed(app_db, "Fraud alerts", problem="Card fraud")
    at = open_app("pages/team/charter.py", project=project.id)
    assert at.title[0].value == "Fraud alerts"
    assert by_label(at.text_area, "What is the business problem?").value == "Card fraud"


def test_charter_without_project_points_to_the_portfolio(open_app):
    at = open_app("pages/team/charter.py")
    assert "Choose a project" in at.info[0].value


def test_charter_edit_is_stored_and_logged(open_app, app_db):
    project = seed(app_db, "Fraud alerts")
    at = open_app("pages/team/charter.py", project=project.id)
    by_label(at.text_area, "How is it done today?").input("Analysts review a daily report")
    by_label(at.text_input, "Sponsor").input("CFO")
    [save] = [b for b in at.button if b.label == "Save charter"]
    save.click()
    at.run()
    assert not at.exception
    engine = make_engine(app_db)
    stored = svc.get_project(engine, project.id).project
    assert stored.current_process == "Analysts review a daily report"
    assert stored.sponsor == "CFO"
    assert stored.version == 2
    log = svc.list_activity(engine, project.id)
    assert log[0].action == "charter edited"
    assert log[0].changes["sponsor"] == ["", "CFO"]
    engine.dispose()
    # the Activity log tab shows the entry
    activity = at.dataframe[-1].value
    assert "charter edited" in list(activity["What"])


def test_stale_save_in_the_page_is_refused_and_shows_newer_values(open_app, app_db):
    project = seed(app_db, "Fraud alerts")
    ann = open_app("pages/team/charter.py", actor="Ann", project=project.id)
    bo = open_app("pages/team/charter.py", actor="Bo", project=project.id)
    by_label(ann.text_input, "Sponsor").input("CFO")
    next(b for b in ann.button if b.label == "Save charter").click()
    ann.run()
    by_label(bo.text_input, "Sponsor").input("COO")
    next(b for b in bo.button if b.label == "Save charter").click()
    bo.run()
    assert any("Not saved" in e.value for e in bo.error)
    conflicts = bo.dataframe[0].value
    row = conflicts[conflicts["What"] == "Sponsor"].iloc[0]
    assert (row["Yours"], row["Saved meanwhile"]) == ("COO", "CFO")
    assert by_label(bo.text_input, "Sponsor").value == "COO"  # Bo's edit is not lost
    engine = make_engine(app_db)
    assert svc.get_project(engine, project.id).project.sponsor == "CFO"
    engine.dispose()


def test_phase_move_from_the_page_records_open_items(open_app, app_db):
    project = seed(app_db, "Fraud alerts")
    at = open_app("pages/team/charter.py", project=project.id)
    by_label(at.text_input, "Note (why now; required when items are open or moving back)").input(
        "Sponsor asked to start scoping"
    )
    next(b for b in at.button if b.label == "Move phase").click()
    at.run()
    assert "Move the project from Planning to Scoping & research?" in at.text[0].value
    next(b for b in at.button if b.key.endswith("__confirmed")).click()
    at.run()
    engine = make_engine(app_db)
    detail = svc.get_project(engine, project.id)
    engine.dispose()
    assert detail.project.phase.value == "scoping"
    assert detail.transitions[0].actor == "Ann"
    assert len(detail.transitions[0].open_items) == 6


def test_signed_in_user_is_the_actor_and_no_name_is_asked(app_db):
    from streamlit.testing.v1 import AppTest

    from tests.ui.conftest import APP, TIMEOUT

    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.user = {"is_logged_in": True, "name": "Dana Signed", "email": "dana@example.com"}
    at.secrets["auth"] = {"redirect_uri": "http://localhost:8501/oauth2callback"}
    at.run()
    assert not [w for w in at.sidebar.text_input if w.label == "Your name"]
    assert any("Dana Signed" in c.value for c in at.sidebar.caption)
    by_label(at.text_input, "Name *").input("Signed-in project")
    click(at, "Create project")
    engine = make_engine(app_db)
    [project] = svc.list_projects(engine)
    assert svc.list_activity(engine, project.id)[0].actor == "Dana Signed"
    engine.dispose()


def test_project_created_elsewhere_opens_at_once(open_app, app_db):
    first = seed(app_db, "Fraud alerts")
    open_app("pages/team/charter.py", project=first.id)  # caches the project names
    second = seed(app_db, "Created from the command line")
    at = open_app("pages/team/charter.py", project=second.id)  # a shared link, new session
    assert at.title[0].value == "Created from the command line"


@pytest.mark.postgres
def test_the_app_runs_the_same_on_postgresql(postgres_url, monkeypatch):
    """Team mode: WORKBENCH_DATABASE_URL=postgresql+psycopg://… — create and edit through pages."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from tests.ui.conftest import APP, TIMEOUT
    from workbench.config import DATABASE_URL_VARIABLE

    monkeypatch.setenv(DATABASE_URL_VARIABLE, postgres_url)
    st.cache_resource.clear()
    st.cache_data.clear()
    try:
        at = AppTest.from_file(APP, default_timeout=TIMEOUT)
        at.session_state["actor_name"] = "Ann"
        at.run()
        by_label(at.text_input, "Name *").input("Team project")
        click(at, "Create project")
        assert at.title[0].value == "Team project"
        by_label(at.text_input, "Sponsor").input("CFO")
        next(b for b in at.button if b.label == "Save charter").click()
        at.run()
        assert not at.exception
    finally:
        st.cache_resource.clear()
        st.cache_data.clear()
    engine = make_engine(postgres_url)
    [project] = svc.list_projects(engine)
    assert (project.name, project.sponsor, project.version) == ("Team project", "CFO", 2)
    engine.dispose()


def test_an_empty_workspace_says_what_the_workbench_is_for(open_app, app_db):
    at = open_app()
    assert at.subheader[0].value == "Welcome to the Scoping Workbench"
    assert at.expander[0].label == "New project"  # the first step, before any table
    click(at, "Add three demo projects")
    engine = make_engine(app_db)
    assert len(svc.list_projects(engine)) == 3
    engine.dispose()
    assert not [h for h in at.subheader if h.value == "Welcome to the Scoping Workbench"]
    assert [m.value for m in at.success] == [
        "Added 3 demo projects: open one from the table below."
    ]


def test_a_second_click_on_create_creates_nothing_more(open_app, app_db):
    seed(app_db, "Fraud alerts")
    at = open_app()
    assert not [h for h in at.subheader if h.value == "Welcome to the Scoping Workbench"]
    by_label(at.text_input, "Name *").input("Churn")
    form_key = next(b.key for b in at.button if b.label == "Create project")
    click(at, "Create project")
    at.switch_page("pages/team/portfolio.py").run()
    assert by_label(at.text_input, "Name *").value == ""  # the form is empty again
    assert form_key not in [b.key for b in at.button]  # the old rendered form is gone
    engine = make_engine(app_db)
    assert sorted(p.name for p in svc.list_projects(engine)) == ["Churn", "Fraud alerts"]
    engine.dispose()
