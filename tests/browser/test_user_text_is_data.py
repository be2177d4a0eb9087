"""In Chromium: user text never makes a teammate's browser load or link anything (issue 13).

Every free-text field of the demo workspace holds a Markdown image and an HTML anchor pointing
at 127.0.0.1:9 (a closed port), a bare address and a `javascript:` link (tests/hostile_text.py).
Each team page of the demo project with the whole workspace (risks, estimates, experiments,
parked ideas, a demo plan, an interview), and an expert's form, are opened in Chromium: the
page must make no request to 127.0.0.1:9, and hold no image or link (HTML or plotly's SVG)
pointing there or at `javascript:`.
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import screenshot, wait_idle
from tests.dates import TODAY
from tests.hostile_text import HOSTILE, HOSTILE_SHORT, TRAP_HOST, make_workspace_hostile
from workbench import clock
from workbench.db import make_engine
from workbench.services import interviews as interview_service
from workbench.services import projects as project_service

PAGE_PATHS = [
    "/",
    "/charter",
    "/assessment",
    "/estimates",
    "/risks",
    "/experiments",
    "/parking_lot",
    "/interviews",
    "/demos",
    "/report",
]
# Every <img>, <image> and link whose address points at the trap or runs a script, in HTML and
# in SVG (plotly writes its links as <a xlink:href>).
LIVE_TRAPS = """(host) => {
  const xlink = 'http://www.w3.org/1999/xlink';
  const found = [];
  for (const el of document.querySelectorAll('img, image, a, iframe, source, video, audio')) {
    for (const value of [el.getAttribute('src'), el.getAttribute('href'),
                         el.getAttributeNS(xlink, 'href')]) {
      if (value && (value.includes(host) || value.trim().toLowerCase().startsWith('javascript:')))
        found.push(el.tagName + ' ' + value);
    }
  }
  return found;
}"""


@pytest.fixture(scope="module")
def hostile_server(streamlit_server):
    engine = make_engine(streamlit_server["database_url"])
    make_workspace_hostile(engine, today=TODAY)
    # The first demo project has the whole workspace; the others only a charter.
    project_id = min(project.id for project in project_service.list_projects(engine))
    link = interview_service.create_interview(
        engine,
        project_id=project_id,
        expert_name=HOSTILE_SHORT,
        template_id="sme_default",
        extra_questions=[HOSTILE, {"text": HOSTILE_SHORT, "help": HOSTILE}],
        actor="Ann",
        now=clock.now(),
    )
    engine.dispose()
    return {**streamlit_server, "project": project_id, "token": link.token}


def visit(page, url: str) -> tuple[list[str], list[str]]:
    """Open `url`, wait until the app is idle; (requests to the trap, live trap elements)."""
    trapped: list[str] = []
    page.on(
        "request", lambda request: trapped.append(request.url) if TRAP_HOST in request.url else None
    )
    page.goto(url)
    wait_idle(page)
    # Tables, metrics and charts load their code lazily (a skeleton meanwhile); charts then
    # draw their SVG. What users typed is in those too.
    page.wait_for_function(
        """() => !document.querySelector('[data-testid="stSkeleton"]')
          && [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
               .every(chart => chart.querySelector('svg.main-svg'))""",
        timeout=60_000,
    )
    return trapped, page.evaluate(LIVE_TRAPS, TRAP_HOST)


@pytest.mark.parametrize("path", PAGE_PATHS)
def test_no_team_page_loads_or_links_what_users_typed(hostile_server, page, path):
    trapped, live = visit(
        page, f"{hostile_server['url']}{path}?project={hostile_server['project']}"
    )
    found = [f"request {url}" for url in trapped] + [f"element {element}" for element in live]
    screenshot(page, f"user_text_is_data_{path.strip('/') or 'portfolio'}")
    assert not found, "\n".join(found)


def test_the_experts_form_loads_or_links_nothing_they_were_sent(hostile_server, page):
    trapped, live = visit(page, f"{hostile_server['url']}/?interview={hostile_server['token']}")
    screenshot(page, "user_text_is_data_expert_form")
    assert not trapped and not live, trapped + live
