"""AppTest: the Report page builds the report, previews it and offers every format."""

from tests.dates import TODAY
from workbench.db import make_engine
from workbench.services import projects as svc
from workbench.services import registers


def test_report_page_previews_sections_and_offers_three_downloads(open_app, app_db):
    engine = make_engine(app_db)
    project = svc.create_project(
        engine,
        data={"name": "Fraud alerts", "problem": "Card fraud"},
        actor="Ann",
        today=TODAY,
    )
    registers.create_risk(
        engine, project_id=project.id, data={"title": "Labels arrive late"}, actor="Ann"
    )
    engine.dispose()
    at = open_app("pages/team/report.py", project=project.id)
    headers = [h.value for h in at.header]
    assert headers[:3] == ["Summary", "Charter", "Should we use ML?"]
    assert "Risks" in headers and "Decision log" in headers
    risk_tables = [t.value for t in at.table if "Risk" in t.value.columns]
    assert list(risk_tables[0]["Risk"]) == ["Labels arrive late"]
    labels = sorted(b.label for b in at.get("download_button"))
    assert labels == ["Download HTML", "Download Markdown", "Download Word"]


def test_report_page_without_project_points_to_portfolio(open_app):
    at = open_app("pages/team/report.py")
    assert "Choose a project" in at.info[0].value
