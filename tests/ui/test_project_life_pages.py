"""AppTest: the Charter's "Archive, delete, duplicate, export" section and the Portfolio's
"Show archived" toggle, archived list, deletion notice with its undo, and import block."""

from __future__ import annotations

import pytest

from tests.dates import TODAY
from tests.ui.helpers import by_label, click, confirm, messages
from workbench.db import make_engine
from workbench.services import project_life
from workbench.services import projects as svc

CHARTER = "pages/team/charter.py"


@pytest.fixture
def engine(app_db):
    engine = make_engine(app_db)
    yield engine
    engine.dispose()


def seed(engine, name="Fraud alerts", **extra):
    return svc.create_project(
        engine,
        data={"name": name, "problem": "Card fraud", **extra},
        actor="Seeder",
        today=TODAY,
        criteria=[{"criterion": "Fewer losses", "business_metric": "Losses", "target": "-10 %"}],
    )


def test_archive_asks_first_then_the_project_leaves_the_portfolio(open_app, engine):
    project = seed(engine)
    seed(engine, "Churn model")
    at = open_app(CHARTER, project=project.id)
    click(at, "Archive the project")
    # nothing happens before the confirmation
    assert svc.get_project(engine, project.id).project.archived_at is None
    assert any("Archive the project “Fraud alerts”?" in t.value for t in at.text)
    confirm(at)
    assert svc.get_project(engine, project.id).project.archived_at is not None
    assert any("This project is archived" in i.value for i in at.info)
    assert "Restore the project" in [b.label for b in at.button]
    # the charter stays open on the archived project (the picker keeps it)
    assert at.title[0].value == "Fraud alerts"

    portfolio = open_app()
    assert list(portfolio.dataframe[0].value["Project"]) == ["Churn model"]
    by_label(portfolio.toggle, "Show archived").set_value(True).run()
    assert list(portfolio.dataframe[0].value["Project"]) == [
        "Churn model",
        "Fraud alerts (archived)",
    ]
    assert any(t.value.startswith("Fraud alerts — archived") for t in portfolio.text)
    click(portfolio, "Restore")
    assert svc.get_project(engine, project.id).project.archived_at is None
    by_label(portfolio.toggle, "Show archived").set_value(False).run()
    assert list(portfolio.dataframe[0].value["Project"]) == ["Churn model", "Fraud alerts"]


def test_restore_from_the_charter(open_app, engine):
    project = seed(engine)
    project_life.archive_project(engine, project_id=project.id, expected_version=None, actor="Bo")
    at = open_app(CHARTER, project=project.id)
    click(at, "Restore the project")
    assert svc.get_project(engine, project.id).project.archived_at is None
    assert "Restored: back in the portfolio." in messages(at)
    assert not any("This project is archived" in i.value for i in at.info)


def test_delete_is_refused_unless_the_name_is_typed_exactly(open_app, engine):
    project = seed(engine)
    at = open_app(CHARTER, project=project.id)
    by_label(at.text_input, "Type the project's name to confirm").input("fraud alerts")
    click(at, "Delete the project")
    confirm(at)
    assert any("the name typed is not the project's name" in m for m in messages(at))
    assert svc.get_project(engine, project.id).project.name == "Fraud alerts"
    # what was typed stays, to correct it
    assert by_label(at.text_input, "Type the project's name to confirm").value == "fraud alerts"


def test_delete_with_the_name_removes_everything_and_can_be_undone(open_app, engine):
    project = seed(engine)
    at = open_app(CHARTER, project=project.id)
    by_label(at.text_input, "Type the project's name to confirm").input("Fraud alerts")
    click(at, "Delete the project")
    assert svc.list_projects(engine, include_archived=True)  # asked first: still there
    confirm(at)
    assert svc.list_projects(engine, include_archived=True) == []
    # the portfolio opens and says what was deleted, with a way back
    assert at.title[0].value == "Portfolio"
    assert any("Deleted the project Fraud alerts and its" in s.value for s in at.success)
    # AppTest's next run starts from the page it was told about: follow the app's switch
    at.switch_page("pages/team/portfolio.py")
    at.run()
    click(at, "Undo: bring it back as it was")
    [back] = svc.list_projects(engine)
    assert back.name == "Fraud alerts"
    assert [c.criterion for c in svc.get_project(engine, back.id).criteria] == ["Fewer losses"]
    assert at.title[0].value == "Fraud alerts"  # its charter opened


def test_duplicate_opens_the_new_project_with_the_charter_but_no_answers(open_app, engine):
    project = seed(engine, owner="Lee")
    at = open_app(CHARTER, project=project.id)
    by_label(at.text_input, "Name of the new project *").input("Fraud alerts 2027")
    click(at, "Duplicate as a template")
    assert at.title[0].value == "Fraud alerts 2027"
    copy = next(p for p in svc.list_projects(engine) if p.name == "Fraud alerts 2027")
    assert (copy.problem, copy.owner) == ("Card fraud", "Lee")
    assert at.session_state["selected_project_id"] == copy.id


def test_duplicate_with_a_taken_name_is_refused_under_the_field(open_app, engine):
    project = seed(engine)
    at = open_app(CHARTER, project=project.id)
    by_label(at.text_input, "Name of the new project *").input("fraud ALERTS")
    click(at, "Duplicate as a template")
    assert any("already exists" in m for m in messages(at))
    assert len(svc.list_projects(engine)) == 1


def test_names_are_data_in_the_section(open_app, engine):
    project = seed(engine, "**Bold** [link](http://x)")
    at = open_app(CHARTER, project=project.id)
    click(at, "Archive the project")
    # the question is plain text (st.text), the name exactly as typed
    assert any("“**Bold** [link](http://x)”" in t.value for t in at.text)
    confirm(at)
    portfolio = open_app()
    by_label(portfolio.toggle, "Show archived").set_value(True).run()
    assert any(t.value.startswith("**Bold** [link](http://x) — archived") for t in portfolio.text)


def test_portfolio_import_block_is_there_and_asks_for_a_file(open_app, engine):
    seed(engine)
    at = open_app()
    click(at, "Import as a new project")
    assert "Choose a project file first." in messages(at)
    assert len(svc.list_projects(engine)) == 1
