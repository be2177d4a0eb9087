"""A shared link is the first thing a freshly started server sees: it must open inside the app.

Streamlit runs scripts found directly in a top-level `pages/` folder on their own when the
first request names one, bypassing `app.py` (no sidebar, no sign-in, no expert-link guard).
The page scripts therefore live in `pages/team/` and `pages/expert/`.
"""

from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.dates import TODAY
from workbench.db import make_engine
from workbench.services import projects as project_service


def test_first_request_to_a_page_link_opens_inside_the_app(streamlit_server, page):
    engine = make_engine(streamlit_server["database_url"])
    project = project_service.create_project(
        engine, data={"name": "Deep-linked project"}, actor="Ann", today=TODAY
    )
    engine.dispose()
    page.goto(f"{streamlit_server['url']}/charter?project={project.id}")
    expect(page.get_by_role("heading", name="Deep-linked project")).to_be_visible()
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_role("textbox", name="Your name", exact=True)).to_be_visible()
    expect(sidebar.get_by_role("link", name="Scoping report")).to_be_visible()
    screenshot(page, "deep_link")
