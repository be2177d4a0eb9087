"""User text in every export is data (issue 13): the report (HTML, Markdown, its charts) and
the demo schedule's CSV, built from the demo workspace with every free-text field hostile
(tests/hostile_text.py)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from types import SimpleNamespace

import plotly.graph_objects as go
import pytest

from tests.dates import TODAY
from tests.hostile_text import HOSTILE, TRAP_HOST, make_workspace_hostile
from workbench.charts.assessment import portfolio_figure, risk_matrix_figure
from workbench.charts.demos import demo_timeline
from workbench.charts.estimates import scenario_comparison, tornado
from workbench.charts.experiments import burn_bars, experiment_timeline
from workbench.db import make_engine
from workbench.domain.estimates import SimulationResult, TornadoBar
from workbench.reporting.calendar_export import spreadsheet_safe
from workbench.reporting.document import Chart, Section
from workbench.reporting.formats import render
from workbench.services import demos as demo_service
from workbench.services import experiments as experiment_service
from workbench.services import projects as project_service
from workbench.services.report import build_report

# The hostile text's tag: plotly draws <a href=…> in any text as a live link; escaped
# (&lt;a …) it is text. The charts' own markup (<b>, <br>) never includes a link.
USER_LINK = re.compile(r"<\s*/?\s*a\b", re.IGNORECASE)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory, sqlite_template):
    """The demo workspace with every free text hostile; the project that has all of it."""
    path = tmp_path_factory.mktemp("hostile") / "workbench.db"
    path.write_bytes(sqlite_template.read_bytes())
    engine = make_engine(f"sqlite:///{path}")
    make_workspace_hostile(engine, today=TODAY)
    project_id = min(project.id for project in project_service.list_projects(engine))
    yield engine, project_id
    engine.dispose()


@pytest.fixture(scope="module")
def report(hostile):
    engine, project_id = hostile
    return build_report(engine, project_id, today=TODAY)


def charts(section: Section) -> Iterator[Chart]:
    yield from (block for block in section.blocks if isinstance(block, Chart))
    for sub in section.subsections:
        yield from charts(sub)


def strings(value) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from strings(item)


def user_markup(figure: go.Figure) -> list[str]:
    """Texts of the figure that carry the link a user typed, unescaped."""
    return [text for text in strings(figure.to_plotly_json()) if USER_LINK.search(text)]


class Links(HTMLParser):
    """Every element with an address in an HTML page: (tag, address)."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in {"href", "src", "xlink:href"} and value:
                self.found.append((tag, value))


# --- the report ------------------------------------------------------------------------------


def test_the_report_has_charts_with_user_text_and_none_carries_its_markup(report):
    figures = [chart.figure for section in report.sections for chart in charts(section)]
    assert figures, "the demo project's report has charts"
    with_user_text = [
        f for f in figures if any(TRAP_HOST in t for t in strings(f.to_plotly_json()))
    ]
    assert with_user_text, "some chart shows user text (else this proves nothing)"
    assert not [text for figure in figures for text in user_markup(figure)]


def test_the_html_report_has_no_live_link_or_image_from_user_text(report):
    page = render(report, "html").decode()
    assert TRAP_HOST in page  # the text is there, as text
    parser = Links()
    parser.feed(page)
    assert not [(tag, url) for tag, url in parser.found if TRAP_HOST in url or "javascript:" in url]
    assert "<img" not in page.lower()
    assert f'<a href="http://{TRAP_HOST}' not in page


def test_the_markdown_report_has_no_image_link_or_html_from_user_text(report):
    text = render(report, "md").decode()
    assert TRAP_HOST in text
    assert not re.search(r"(?<!\\)!(?<!\\)\[", text), "an image"
    assert not re.search(r"(?<!\\)\]\(", text), "a link"
    assert not re.search(r"(?<!\\)<[a-zA-Z/]", text), "raw HTML"
    assert f"http://{TRAP_HOST}" not in text, "a bare address a viewer would link"


# --- every chart builder ---------------------------------------------------------------------


def test_every_chart_shows_hostile_names_as_text(hostile):
    engine, project_id = hostile
    schedule = demo_service.demo_plan(engine, project_id, today=TODAY).schedule
    entries = experiment_service.timeline_entries(
        experiment_service.list_experiments(engine, project_id, TODAY)
    )
    spread = SimulationResult(p10=1, p50=2, p90=3, mean=2, low=1, likely=2, high=3)
    project = SimpleNamespace(
        project_id=1,
        name=HOSTILE,
        verdict=None,
        fit_score=50.0,
        impact_score=50.0,
        feasibility_score=50.0,
    )
    risk = SimpleNamespace(
        id=1, title=HOSTILE, likelihood=3, impact=3, owner=HOSTILE, status="open"
    )
    bar = TornadoBar(
        input_name="roles[0].weeks",
        label=HOSTILE,
        input_low=1,
        input_likely=2,
        input_high=3,
        output_at_low=1,
        output_at_high=3,
        output_at_likely=2,
        swing=2,
    )
    figures = {
        "demo timeline": demo_timeline(schedule.items, today=TODAY),
        "experiment timeline": experiment_timeline(entries, today=TODAY),
        "burn bars": burn_bars(entries),
        "scenario comparison": scenario_comparison({HOSTILE: spread}, {HOSTILE: spread}),
        "tornado": tornado([bar], output_label=HOSTILE),
        "portfolio": portfolio_figure([project]),
        "risk matrix": risk_matrix_figure([risk]),
    }
    for name, figure in figures.items():
        assert any(TRAP_HOST in t for t in strings(figure.to_plotly_json())), name
        assert not user_markup(figure), name


# --- CSV -------------------------------------------------------------------------------------


def test_the_demo_schedule_csv_has_no_cell_a_spreadsheet_would_run(hostile):
    engine, project_id = hostile
    view = demo_service.demo_plan(engine, project_id, today=TODAY)
    rows = list(csv.reader(io.StringIO(demo_service.schedule_csv(view))))
    cells = [cell for row in rows[1:] for cell in row]
    assert any(HOSTILE.split()[0] in cell for cell in cells), "the hostile text is exported"
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    # Dates keep their form; the hostile cells read back as typed after the quote.
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", row[2]) for row in rows[1:])
    assert any(cell.startswith("'=HYPERLINK(") for cell in cells)


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("-5", "-5"),
        ("+1.5", "+1.5"),
        ("-0.25e3", "-0.25e3"),
        ("2026-12-01", "2026-12-01"),
        ("Model testing", "Model testing"),
        ("", ""),
    ],
    ids=lambda value: repr(value),
)
def test_spreadsheet_safe(cell, written):
    assert spreadsheet_safe(cell) == written
