"""The scoping report of the full demo project, in every format, against a real database."""

import io
import itertools
import re
from datetime import date
from html.parser import HTMLParser

import pytest
from docx import Document

from workbench.db import make_engine
from workbench.demo_data import seed_demo_data
from workbench.domain.estimates import (
    CostModelInputs,
    estimate_project_cost,
    simulate_project_cost,
)
from workbench.reporting.formats import render
from workbench.services import estimates as estimate_service
from workbench.services import projects as project_service
from workbench.services.report import build_report

TODAY = date(2026, 11, 25)
SECTIONS = [
    "Summary",
    "Charter",
    "Should we use ML?",
    "Estimates",
    "Risks",
    "Experiments and time boxes",
    "Parking lot",
    "Demo schedule",
    "Interview findings",
    "Phase gates",
    "Decision log",
]


@pytest.fixture
def demo(engine):
    seed_demo_data(engine, today=TODAY)
    return project_service.find_project(engine, "Ride-time anomaly detection")


def _usd(value: float) -> str:
    return f"${value:,.0f}"


def test_sections_come_in_the_order_sponsors_read_them(engine, demo):
    document = build_report(engine, demo.id, today=TODAY)
    assert [s.title for s in document.sections] == SECTIONS
    assert document.generated_on == "2026-11-25"
    assert re.fullmatch(r"v\d+-r\d+", document.data_version)


def test_markdown_numbers_match_the_estimator(engine, demo):
    md = render(build_report(engine, demo.id, today=TODAY), "md").decode()
    [scenario] = estimate_service.list_scenarios(engine, demo.id)
    inputs = CostModelInputs.from_dict(scenario.cost_inputs)
    likely = estimate_project_cost(inputs).total_usd
    spread = simulate_project_cost(inputs, seed=scenario.seed)
    assert f"| Total cost over 12 months, likely | {_usd(likely)} |" in md
    assert f"{_usd(spread.total.p10)} – {_usd(spread.total.p90)}" in md
    summary = md.split("## Summary", 1)[1].split("## Charter", 1)[0]
    assert f"Estimated cost {_usd(likely)} likely, {_usd(spread.total.p10)} – " in summary
    assert f"(scenario “{scenario.name}”, the latest saved; none chosen)" in summary
    assert "ML fits" in summary
    assert "Next milestone:" in summary
    for title in SECTIONS:
        assert f"## {title}" in md.replace("\\&", "&")


def test_empty_sections_say_so_in_one_line(engine):
    project = project_service.create_project(
        engine, data={"name": "Bare project"}, actor="Ann", today=TODAY
    )
    md = render(build_report(engine, project.id, today=TODAY), "md").decode()
    for line in [
        "*No assessment answers recorded yet.*",
        "*No cost or value estimates recorded yet.*",
        "*No risks recorded yet.*",
        "*No experiments recorded yet.*",
        "*No parked ideas recorded yet.*",
        "*No MVP features or demo plan recorded yet.*",
        "*No SME interviews recorded yet.*",
    ]:
        assert line in md
    # every heading is followed by content, never directly by another heading of its level
    lines = [line for line in md.splitlines() if line.strip()]
    for current, following in itertools.pairwise(lines):
        if current.startswith("## "):
            assert not following.startswith("## "), current


class _Resources(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []
        self.headings: list[str] = []
        self._in_heading = False

    def handle_starttag(self, tag, attrs):
        self._in_heading = tag in {"h2", "h3"}
        self.urls += [v for k, v in attrs if k in {"src", "href", "srcset", "data"} and v]

    def handle_data(self, data):
        if self._in_heading:
            self.headings.append(data)
            self._in_heading = False


def test_html_is_self_contained_with_every_section_and_chart(engine, demo):
    html = render(build_report(engine, demo.id, today=TODAY), "html").decode()
    parsed = _Resources()
    parsed.feed(html)
    assert parsed.urls == []
    assert [h for h in parsed.headings if h in SECTIONS] == SECTIONS
    assert html.count('class="plotly-graph-div"') >= 5  # drivers, cost, tornado, Gantt, demos


def test_docx_opens_with_tables_and_chart_images(sqlite_url):
    """One Word build with real chart images (drawn by Chromium through kaleido) is enough."""
    engine = make_engine(sqlite_url)
    seed_demo_data(engine, today=TODAY)
    demo = project_service.find_project(engine, "Ride-time anomaly detection")
    data = render(build_report(engine, demo.id, today=TODAY), "docx")
    engine.dispose()
    word = Document(io.BytesIO(data))
    headings = [p.text for p in word.paragraphs if p.style.name.startswith("Heading")]
    assert [h for h in headings if h in SECTIONS] == SECTIONS
    risk_table = next(t for t in word.tables if t.rows[0].cells[0].text == "Risk")
    assert {row.cells[0].text for row in risk_table.rows[1:]} == {
        "Trip summaries miss GPS gaps",
        "Operations ignores the flag",
    }
    assert len(word.inline_shapes) >= 5


def test_parking_lot_due_follows_the_parking_lots_own_rule(engine):
    """An idea to revisit 'in Planning' is due while the project is in Planning."""
    from workbench.services import parking_lot as parking_lot_service

    project = project_service.create_project(
        engine, data={"name": "Parked ideas project"}, actor="Ann", today=TODAY
    )
    parking_lot_service.add_item(
        engine,
        project_id=project.id,
        data={"idea": "Try graph features", "revisit_phase": "planning"},
        actor="Ann",
    )
    md = render(build_report(engine, project.id, today=TODAY), "md").decode()
    [row] = [line for line in md.splitlines() if line.startswith("| Try graph features")]
    assert "(due)" in row


def test_the_report_names_its_scenario_and_uses_the_chosen_one(engine, demo):
    """The report used the latest saved scenario without saying so; the page opened on the
    defaults. Now it shows the chosen one, by name, and says how it was picked."""
    [latest] = estimate_service.list_scenarios(engine, demo.id)
    md = render(build_report(engine, demo.id, today=TODAY), "md").decode()
    assert "no scenario is chosen for the report yet (choose one on Cost & value)" in md

    older = estimate_service.save_scenario(
        engine,
        project_id=demo.id,
        name="Aaa cheaper labels",
        cost_inputs=latest.cost_inputs | {"price_per_label_usd": 0.2},
        value_inputs=latest.value_inputs,
        actor="Ann",
    )
    estimate_service.update_scenario(  # the demo's scenario is the latest saved again
        engine, scenario_id=latest.id, expected_version=latest.version, actor="Bo", notes="bump"
    )
    estimate_service.choose_report_scenario(
        engine, project_id=demo.id, scenario_id=older.id, expected_current=None, actor="Ann"
    )
    md = render(build_report(engine, demo.id, today=TODAY), "md").decode()
    assert "Scenario “Aaa cheaper labels”, chosen for the report." in md
    likely = estimate_project_cost(CostModelInputs.from_dict(older.cost_inputs)).total_usd
    assert f"| Total cost over 12 months, likely | {_usd(likely)} |" in md
    assert "Clustering MVP (" not in md


def test_a_stored_scenario_past_todays_bounds_is_named_not_shown(engine):
    """A scenario saved before the plausible bounds (1e300 dollars) must not put a 300-digit
    figure in the report, nor break it."""
    from sqlmodel import Session

    from workbench.models import Scenario

    project = project_service.create_project(
        engine, data={"name": "Old absurd"}, actor="Ann", today=TODAY
    )
    saved = estimate_service.save_scenario(
        engine,
        project_id=project.id,
        name="Typo",
        cost_inputs=CostModelInputs().to_dict(),
        value_inputs={},
        actor="Ann",
    )
    with Session(engine) as session:  # as stored by an older version of the workbench
        row = session.get(Scenario, saved.id)
        row.cost_inputs = {**row.cost_inputs, "price_per_gpu_hour_usd": 1e300}
        session.add(row)
        session.commit()
    md = render(build_report(engine, project.id, today=TODAY), "md").decode()
    assert "Its inputs are outside today's plausible bounds" in md
    assert not re.search(r"\d{40}", md)


def test_the_report_lists_gate_items_with_their_evidence(engine, demo):
    md = render(build_report(engine, demo.id, today=TODAY), "md").decode()
    gates = md.split("## Phase gates", 1)[1].split("## Decision log", 1)[0]
    [row] = [line for line in gates.splitlines() if "should-we-use-ML assessment" in line]
    assert row.startswith("| Scoping & research | The should-we-use-ML assessment has a verdict")
    assert "Evidence: Verdict “ML fits with conditions” saved on" in row
    [row] = [line for line in gates.splitlines() if "experts have been interviewed" in line]
    assert "Evidence: SME interview of Ana G. submitted on" in row
    [row] = [line for line in gates.splitlines() if "cost and value estimate exists" in line]
    assert "No evidence yet: 1 scenario(s) saved, none chosen for the report yet." in row
