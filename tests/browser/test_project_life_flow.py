"""In Chromium: export a project, delete it after typing its name, import the file back through
the Portfolio's upload, and see the same file refused the second time."""

import json

from playwright.sync_api import expect

from tests.browser.conftest import screenshot, wait_for_animations, wait_idle
from tests.dates import TODAY
from workbench.db import make_engine
from workbench.services import projects as svc


def test_export_delete_and_import_back(streamlit_server, page, tmp_path):
    engine = make_engine(streamlit_server["database_url"])
    project = svc.create_project(
        engine,
        data={"name": "Churn <b>early</b> warning", "problem": "Subscribers cancel"},
        actor="Seeder",
        today=TODAY,
        criteria=[{"criterion": "Fewer cancellations", "business_metric": "Churn rate"}],
    )
    url = streamlit_server["url"]
    page.goto(url)
    expect(page.get_by_role("heading", name="Portfolio")).to_be_visible()
    page.goto(f"{url}/charter?project={project.id}")
    expect(page.get_by_role("heading", name="Churn <b>early</b> warning")).to_be_visible()
    page.get_by_role("textbox", name="Your name", exact=True).fill("Priya")
    page.get_by_role("textbox", name="Your name", exact=True).press("Enter")
    expect(page.get_by_text("Enter your name to make changes.")).to_have_count(0)
    wait_idle(page)

    page.get_by_text("Archive, delete, duplicate, export").click()
    wait_for_animations(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the project as JSON").click()
    exported = tmp_path / download.value.suggested_filename
    download.value.save_as(exported)
    assert exported.name == f"churn-b-early-b-warning-{TODAY.isoformat()}.json"
    assert json.loads(exported.read_text())["project"]["name"] == "Churn <b>early</b> warning"
    wait_idle(page)

    page.get_by_role("tab", name="Delete").click()
    page.get_by_role("textbox", name="Type the project's name to confirm").fill(
        "Churn <b>early</b> warning"
    )
    page.get_by_role("button", name="Delete the project").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("Delete the project “Churn <b>early</b> warning”")
    screenshot(page, "project-delete-confirm")
    dialog.get_by_role("button", name="Delete the project").click()
    expect(page.get_by_role("heading", name="Portfolio")).to_be_visible()
    expect(page.get_by_text("Deleted the project Churn <b>early</b> warning")).to_be_visible()
    wait_idle(page)
    assert svc.list_projects(engine, include_archived=True) == []
    screenshot(page, "portfolio-after-delete")

    page.get_by_role("button", name="Dismiss").click()
    expect(page.get_by_text("Deleted the project")).to_have_count(0)
    wait_idle(page)
    page.get_by_text("Import a project").click()
    wait_for_animations(page)
    new_tab = page.get_by_role("tabpanel").filter(has=page.get_by_text("Import as a new project"))
    new_tab.locator("input[type=file]").set_input_files(str(exported))
    expect(new_tab.get_by_role("button", name=f"Remove {exported.name}")).to_be_visible()
    wait_idle(page)
    new_tab.get_by_role("button", name="Import as a new project").click()
    expect(page.get_by_role("heading", name="Churn <b>early</b> warning")).to_be_visible()
    wait_idle(page)
    [back] = svc.list_projects(engine)
    assert [c.criterion for c in svc.get_project(engine, back.id).criteria] == [
        "Fewer cancellations"
    ]
    screenshot(page, "charter-after-import")

    # the same file again: refused with its reason, nothing written
    page.goto(url)
    expect(page.get_by_role("heading", name="Portfolio")).to_be_visible()
    wait_idle(page)
    page.get_by_text("Import a project").click()
    wait_for_animations(page)
    new_tab = page.get_by_role("tabpanel").filter(has=page.get_by_text("Import as a new project"))
    new_tab.locator("input[type=file]").set_input_files(str(exported))
    expect(new_tab.get_by_role("button", name=f"Remove {exported.name}")).to_be_visible()
    wait_idle(page)
    new_tab.get_by_role("textbox", name="Name (empty: the name in the file)").fill("Churn again")
    new_tab.get_by_role("button", name="Import as a new project").click()
    expect(page.get_by_text("This file was imported before")).to_be_visible()
    wait_idle(page)
    screenshot(page, "portfolio-import-refused")
    assert len(svc.list_projects(engine)) == 1
    engine.dispose()
