"""AppTest: user text is shown as text on every page, never as Markdown (issue 13).

Every free-text field of the demo workspace holds a Markdown image, an HTML anchor, a
`javascript:` link and a formula (tests/hostile_text.py). Each team page, and the expert's form,
runs with it; no element that Streamlit renders as Markdown (markdown, captions, alerts,
headings, widget labels and help, radio options, tab and expander labels, metrics, toasts) may
contain any of those pieces unescaped. Plain elements (st.text, st.code, tables' cells) are not
inspected: they show text as it is.
"""

from __future__ import annotations

import pytest
from google.protobuf.message import Message
from streamlit.testing.v1 import AppTest

from tests.dates import TODAY
from tests.hostile_text import HOSTILE, HOSTILE_SHORT, make_workspace_hostile, unescaped
from tests.ui.conftest import APP, TIMEOUT
from workbench import clock
from workbench.db import make_engine
from workbench.services import interviews as interview_service
from workbench.services import projects as project_service

TEAM_PAGES = [
    "portfolio",
    "charter",
    "assessment",
    "estimates",
    "risks",
    "experiments",
    "parking_lot",
    "demos",
    "interviews",
    "report",
]
# Tables the demo workspace leaves empty (members: an open workspace has none).
NO_ROWS = {"project_member"}
# Elements that show their text as it is: what they hold is not Markdown.
PLAIN_ELEMENTS = {"text", "code", "arrow_data_frame", "arrow_table", "json", "plotly_chart"}
# Proto fields Streamlit renders as Markdown (bodies, labels, help tooltips, radio options,
# pills' and segmented controls' options).
MARKDOWN_FIELDS = {"body", "label", "help", "title", "options", "content"}


def markdown_strings(message: Message, into: list[str]) -> list[str]:
    """Every string of `message` (recursively) in a field Streamlit renders as Markdown."""
    for field, value in message.ListFields():
        repeated = not isinstance(value, (str, bytes, Message)) and hasattr(value, "__iter__")
        values = value if repeated else [value]
        for item in values:
            if isinstance(item, Message):
                markdown_strings(item, into)
            elif isinstance(item, str) and field.name in MARKDOWN_FIELDS:
                into.append(item)
    return into


def rendered_markdown(node) -> list[tuple[str, str]]:
    """(element type, text) of everything on the page that Streamlit renders as Markdown."""
    found = []
    proto = getattr(node, "proto", None)
    node_type = getattr(node, "type", "")
    if proto is not None and node_type not in PLAIN_ELEMENTS and isinstance(proto, Message):
        found += [(node_type, text) for text in markdown_strings(proto, [])]
    for child in getattr(node, "children", {}).values():
        found += rendered_markdown(child)
    return found


def offending(at) -> list[tuple[str, str]]:
    return [
        (kind, text)
        for root in (at.main, at.sidebar)
        for kind, text in rendered_markdown(root)
        if unescaped(text)
    ]


@pytest.fixture
def hostile_db(app_db) -> int:
    """The id of the demo project with the whole workspace, every free text made hostile."""
    engine = make_engine(app_db)
    replaced = make_workspace_hostile(engine, today=TODAY)
    project_id = min(project.id for project in project_service.list_projects(engine))
    engine.dispose()
    empty = [c for c, rows in replaced.items() if not rows and c.split(".")[0] not in NO_ROWS]
    assert not empty, f"no row to make hostile in {empty}"
    return project_id


@pytest.mark.parametrize("page", TEAM_PAGES)
def test_no_team_page_renders_user_text_as_markdown(open_app, hostile_db, page):
    at = open_app(f"pages/team/{page}.py", project=hostile_db)
    found = offending(at)
    assert not found, "\n".join(f"{kind}: {text!r}" for kind, text in found)


def test_the_experts_form_renders_user_text_as_text(open_app, app_db, hostile_db):
    engine = make_engine(app_db)
    link = interview_service.create_interview(
        engine,
        project_id=hostile_db,
        expert_name=HOSTILE_SHORT,
        expert_role=HOSTILE_SHORT,
        expert_team=HOSTILE_SHORT,
        template_id="sme_default",
        extra_questions=[HOSTILE, {"text": HOSTILE_SHORT, "help": HOSTILE}],
        actor="Ann",
        now=clock.now(),
    )
    engine.dispose()
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["interview"] = link.token
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not offending(at)
