"""In Chromium: an expert opens their private link in a fresh browser, fills it and submits."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot, wait_idle
from tests.dates import TODAY
from workbench import clock
from workbench.db import make_engine
from workbench.services import interviews as svc
from workbench.services import projects as project_service

HOW = "How is this done today?"
DECISIONS = "Which decisions are made along the way?"


def seed(database_url, name="Dispatch delays", other="Secret pricing") -> tuple[int, str]:
    """A project with an interview of Dana, and another project; returns (project id, token)."""
    engine = make_engine(database_url)
    project = project_service.create_project(
        engine, data={"name": name, "problem": "Trucks leave late"}, actor="Ann", today=TODAY
    )
    project_service.create_project(engine, data={"name": other}, actor="Bo", today=TODAY)
    link = svc.create_interview(
        engine,
        project_id=project.id,
        expert_name="Dana Whitfield",
        expert_role="Shift lead",
        expert_team="Dispatch",
        template_id="sme_default",
        actor="Ann",
        now=clock.now(),
    )
    engine.dispose()
    return project.id, link.token


def assert_nothing_else(page):
    """No sidebar, no navigation, no other project on the page."""
    expect(page.get_by_test_id("stSidebar")).to_have_count(0)
    expect(page.get_by_test_id("stSidebarNav")).to_have_count(0)
    for name in ("Portfolio", "Charter", "SME interviews"):
        expect(page.get_by_role("link", name=name)).to_have_count(0)
    expect(page.get_by_text("Secret pricing")).to_have_count(0)
    expect(page.get_by_text("Trucks leave late")).to_have_count(0)


def test_an_expert_fills_and_submits_their_form(streamlit_server, page):
    _, token = seed(streamlit_server["database_url"])
    url = streamlit_server["url"]

    page.goto(f"{url}/?interview={token}")
    expect(page.get_by_role("heading", name="Teach us how you do it now")).to_be_visible()
    expect(page.get_by_text("Dispatch delays").first).to_be_visible()
    assert_nothing_else(page)

    how = page.get_by_role("textbox", name=HOW)
    how.fill("I open the depot board at 6am and call every driver who has not checked in.")
    page.get_by_role("heading", name="Teach us how you do it now").click()  # leave the box: saves
    wait_idle(page)
    expect(page.get_by_text("Draft saved at")).to_be_visible()

    page.reload()  # nothing is lost on a refresh
    expect(page.get_by_role("textbox", name=HOW)).to_have_value(
        "I open the depot board at 6am and call every driver who has not checked in."
    )
    page.get_by_role("textbox", name=DECISIONS).fill(
        "The shift lead decides which late trucks to escalate, about 40 times a day."
    )
    page.get_by_role("button", name="Save draft").click()
    wait_idle(page)
    page.set_viewport_size({"width": 1400, "height": 2000})  # the whole form in one picture
    page.get_by_role("heading", name="Teach us how you do it now").scroll_into_view_if_needed()
    screenshot(page, "interview_form")

    submit = page.get_by_role("button", name="Submit answers")
    expect(submit).to_be_disabled()  # not before the expert confirms
    page.get_by_text("I have finished: send my answers to the team").click()
    expect(submit).to_be_enabled()
    submit.click()
    wait_idle(page)
    expect(page.get_by_text("Thank you, Dana! Your answers were sent to the team")).to_be_visible()
    expect(page.get_by_role("textbox")).to_have_count(0)
    assert_nothing_else(page)
    screenshot(page, "interview_submitted")

    engine = make_engine(streamlit_server["database_url"])
    form = svc.open_interview_by_token(engine, token, clock.now())
    engine.dispose()
    assert form.read_only
    assert form.answers["decisions"].startswith("The shift lead decides")
    assert form.answers["how_done_today"].startswith("I open the depot board")

    # another page's address with the token still opens only the form
    page.goto(f"{url}/portfolio?interview={token}")
    expect(page.get_by_text("Thank you, Dana!")).to_be_visible()
    expect(page.get_by_role("heading", name="Portfolio")).to_have_count(0)
    assert_nothing_else(page)


def test_the_team_reads_the_submitted_answers(streamlit_server, page):
    database_url = streamlit_server["database_url"]
    project_id, token = seed(database_url, name="Depot loading", other="Fleet costs")
    engine = make_engine(database_url)
    svc.submit(
        engine,
        token,
        {"how_done_today": "I open the depot board at 6am", "worries": "Holiday rosters"},
        clock.now(),
    )
    engine.dispose()
    page.goto(f"{streamlit_server['url']}/interviews?project={project_id}")
    expect(page.get_by_role("heading", name="SME interviews")).to_be_visible()
    expect(page.get_by_role("link", name="Portfolio")).to_be_visible()  # the team's frame
    grids = page.get_by_test_id("stDataFrame")
    expect(grids.first.locator("td", has_text="Dana Whitfield (Dispatch)")).to_have_count(1)
    expect(grids.nth(1).locator("td", has_text="I open the depot board")).to_have_count(1)
    expect(page.get_by_text("Critical questions no expert has answered yet")).to_be_visible()
    page.set_viewport_size({"width": 1400, "height": 2400})
    screenshot(page, "interviews_team")


def test_a_bad_link_shows_only_that_it_is_not_valid(streamlit_server, page):
    page.goto(f"{streamlit_server['url']}/?interview=guessed-token-123")
    expect(page.get_by_role("heading", name="This link is not valid.")).to_be_visible()
    assert_nothing_else(page)
    expect(page.get_by_role("textbox")).to_have_count(0)
    expect(page.get_by_text("Dispatch delays")).to_have_count(0)
    screenshot(page, "interview_bad_link")


def test_revoking_a_link_asks_first_and_can_be_undone(streamlit_server, page):
    database_url = streamlit_server["database_url"]
    project_id, token = seed(database_url, name="Yard planning", other="Office moves")
    page.goto(f"{streamlit_server['url']}/interviews?project={project_id}")
    expect(page.get_by_role("heading", name="SME interviews")).to_be_visible()
    wait_idle(page)
    name = page.get_by_role("textbox", name="Your name", exact=True)
    name.fill("Priya")
    name.press("Enter")
    wait_idle(page)

    page.get_by_role("button", name="Revoke link").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_text("Revoke this expert's link?")).to_be_visible()
    dialog.get_by_role("button", name="Revoke link").click()
    expect(page.get_by_text("The link no longer works; the answers stay.")).to_be_visible()
    wait_idle(page)
    engine = make_engine(database_url)
    with pytest.raises(svc.LinkNotValid):
        svc.open_interview_by_token(engine, token, clock.now())

    page.get_by_role("button", name="Reopen link").click()
    expect(page.get_by_text("The revoked link works again.")).to_be_visible()
    wait_idle(page)
    assert svc.open_interview_by_token(engine, token, clock.now()).expert_name == "Dana Whitfield"
    engine.dispose()


def test_a_double_click_on_submit_submits_once(streamlit_server, page):
    database_url = streamlit_server["database_url"]
    project_id, token = seed(database_url, name="Night shifts", other="Canteen")
    page.goto(f"{streamlit_server['url']}/?interview={token}")
    how = page.get_by_role("textbox", name=HOW)
    how.fill("We swap shifts on a paper list.")
    page.get_by_role("heading", name="Teach us how you do it now").click()
    expect(page.get_by_text("Draft saved at")).to_be_visible()
    wait_idle(page)
    page.get_by_text("I have finished: send my answers to the team").click()
    submit = page.get_by_role("button", name="Submit answers")
    expect(submit).to_be_enabled()
    submit.dblclick()
    expect(page.get_by_text("Thank you, Dana! Your answers were sent to the team")).to_be_visible()
    wait_idle(page)
    expect(page.get_by_role("alert").filter(has_text="Not sent")).to_have_count(0)
    engine = make_engine(database_url)
    entries = project_service.list_activity(engine, project_id)
    engine.dispose()
    assert [e.action for e in entries].count("interview submitted") == 1
