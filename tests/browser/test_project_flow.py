"""In Chromium: open the app, create a project, edit its charter, find it in the portfolio."""

from playwright.sync_api import expect

from tests.browser.conftest import screenshot, wait_idle
from workbench.db import make_engine
from workbench.services import projects as svc


def test_create_edit_and_find_a_project(streamlit_server, page):
    page.goto(streamlit_server["url"])
    expect(page.get_by_role("heading", name="Portfolio")).to_be_visible()
    page.get_by_role("textbox", name="Your name", exact=True).fill("Priya")
    page.get_by_role("textbox", name="Your name", exact=True).press("Enter")
    expect(page.get_by_text("Enter your name to make changes.")).to_have_count(0)
    wait_idle(page)
    expect(page.get_by_text("Welcome to the Scoping Workbench")).to_be_visible()
    screenshot(page, "portfolio-empty")

    form = page.get_by_test_id("stForm")
    form.get_by_role("textbox", name="Name *", exact=True).fill("Churn early warning")
    form.get_by_role("textbox", name="What is the business problem?", exact=True).fill(
        "Subscribers cancel without warning"
    )
    form.get_by_role("textbox", name="Owner", exact=True).fill("Priya")
    form.get_by_role("button", name="Create project").click()

    expect(page.get_by_role("heading", name="Churn early warning")).to_be_visible()
    assert "project=" in page.url
    wait_idle(page)

    current = page.get_by_role("textbox", name="How is it done today?", exact=True)
    current.fill("Account managers call customers whose usage dropped last month")
    page.get_by_role("button", name="Save charter").click()
    expect(page.get_by_text("Charter saved.")).to_be_visible()
    expect(page.get_by_text("version 2")).to_be_visible()
    wait_idle(page)

    page.reload()  # the project survives a refresh: it is in the URL
    expect(page.get_by_role("heading", name="Churn early warning")).to_be_visible()
    expect(page.get_by_role("textbox", name="How is it done today?", exact=True)).to_have_value(
        "Account managers call customers whose usage dropped last month"
    )
    screenshot(page, "charter")

    page.get_by_role("tab", name="Phase & gate").click()
    page.get_by_text("A target delivery date is set", exact=True).click()
    page.get_by_role("button", name="Save checklist").click()
    expect(page.get_by_text("Checklist saved: 1 of 6 done.")).to_be_visible()
    wait_idle(page)
    expect(page.get_by_role("tab", name="Phase & gate")).to_have_attribute("aria-selected", "true")
    page.get_by_role(
        "textbox", name="Note (why now; required when items are open or moving back)"
    ).fill("The sponsor wants the scoping to start")
    page.get_by_role("button", name="Move phase").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("Move the project from Planning to Scoping & research?")
    screenshot(page, "charter-move-confirm")
    dialog.get_by_role("button", name="Move phase").click()
    expect(page.get_by_text("Moved to Scoping & research.")).to_be_visible()
    expect(page.get_by_role("button", name="Undo the move: back to Planning")).to_be_visible()
    wait_idle(page)
    screenshot(page, "charter-moved")

    page.get_by_role("link", name="Portfolio").click()
    wait_idle(page)
    expect(page.get_by_role("heading", name="Portfolio")).to_be_visible()
    grid = page.get_by_test_id("stDataFrame").first  # the projects table, above the chart
    expect(grid.locator("td", has_text="Churn early warning")).to_have_count(1)
    screenshot(page, "portfolio")

    engine = make_engine(streamlit_server["database_url"])
    [project] = svc.list_projects(engine)
    log = svc.list_activity(engine, project.id)
    engine.dispose()
    assert project.current_process.startswith("Account managers call")
    assert project.phase.value == "scoping"
    assert [entry.actor for entry in log] == ["Priya"] * 4
