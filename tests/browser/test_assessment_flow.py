"""In Chromium: answer the whole Should we use ML? questionnaire for one project, save the
assessment, then prefill and look at the risk register; open a project from the portfolio's
impact × feasibility chart."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot, wait_idle
from tests.dates import TODAY
from workbench.db import make_engine
from workbench.domain.assessment import Scale, Verdict
from workbench.reference.questions import load_question_bank
from workbench.services import assessment as assessment_service
from workbench.services import projects as project_service
from workbench.services import registers

QUESTIONS = load_question_bank()

# A taxi ride-time anomaly project: a strong case for ML, two readiness gaps, no hard stop.
ANSWERS = {
    "too_complex_to_code": "Strongly agree",
    "constantly_changing": "Agree",
    "perceptive_problem": "Disagree",
    "unstudied_phenomenon": "Agree",
    "simple_objective": "Strongly agree",
    "cost_effective": "Agree",
    "every_decision_explained": "Disagree",
    "errors_intolerable": "Disagree",
    "traditional_software_cheaper": "Strongly disagree",
    "inputs_outputs_enumerable": "Strongly disagree",
    "data_hard_to_get": "Neutral",
    "replaces_complex_part": "Agree",
    "cheap_predictions_valuable": "Strongly agree",
    "tied_to_business_metric": "Agree",
    "many_decisions_informed": "Strongly agree",
    "problem_difficulty": "Neutral",
    "data_cost": "Disagree",
    "accuracy_needed": "Disagree",
    "experienced_talent": "Disagree",
    "leadership_support": "Agree",
    "data_infrastructure": "Agree",
    "labels_available": "Strongly disagree",
    "siloed_teams": "Disagree",
    "technically_feasible": "Agree",
    "business_technical_alignment": "Agree",
    "data_obtainable": "Yes",
    "output_users": "Dispatchers see flagged rides on their console and call the driver.",
    "how_done_today": "A weekly report of the slowest rides is reviewed by hand.",
    "wrong_prediction_cost": "A false alarm costs a call (2 minutes); a miss costs a refund.",
    "success_measure": "Precision of at least 0.6 on the top 200 alerts per day.",
    "data_sources": "Trip records (ops team, hourly), GPS traces (platform team).",
    "simplest_heuristic": "Flag rides 3x longer than the median for the same route.",
    "heuristic_good_enough": "No",
    "data_loop": "Yes",
    "human_fallback": "Yes",
}


@pytest.fixture(scope="module")
def projects(streamlit_server):
    """Both projects, stored before any page opens (the app caches the project list)."""
    engine = make_engine(streamlit_server["database_url"])
    taxi = project_service.create_project(
        engine,
        data={"name": "Taxi ride-time anomalies", "owner": "Priya"},
        actor="Seeder",
        today=TODAY,
    )
    energy = project_service.create_project(
        engine, data={"name": "Energy price anomalies"}, actor="Seeder", today=TODAY
    )
    assessment_service.save_answers(
        engine,
        project_id=energy.id,
        rater="Omar",
        role="ML engineer",
        answers={"too_complex_to_code": 5, "replaces_complex_part": 2, "experienced_talent": 4},
        expected_version=None,
        questions=QUESTIONS,
        actor="Seeder",
    )
    assessment_service.save_snapshot(
        engine, project_id=energy.id, questions=QUESTIONS, weights=None, actor="Omar"
    )
    yield {"taxi": taxi, "energy": energy}
    engine.dispose()


def test_answer_the_whole_questionnaire_save_and_prefill_risks(streamlit_server, projects, page):
    assert set(ANSWERS) == {q.id for q in QUESTIONS}, "the test answers every question"
    engine = make_engine(streamlit_server["database_url"])
    project = projects["taxi"]
    url = streamlit_server["url"]
    # Open the app's entrypoint first: a server whose first visit is a page URL runs that page
    # without app.py's navigation (Streamlit's pages/ folder mode) for the rest of its life.
    page.goto(url)
    expect(page.get_by_role("heading", name="Portfolio")).to_be_visible()
    page.goto(f"{url}/assessment?project={project.id}")
    expect(page.get_by_role("heading", name="Should we use ML?")).to_be_visible()
    page.get_by_role("textbox", name="Your name", exact=True).fill("Priya")
    page.get_by_role("textbox", name="Your name", exact=True).press("Enter")
    wait_idle(page)
    expect(page.get_by_role("textbox", name="Rater's name", exact=True)).to_have_value("Priya")

    save_answers = page.get_by_role("button", name="Save my answers")
    form = page.get_by_test_id("stForm").filter(has=save_answers)
    form.get_by_test_id("stSelectbox").filter(has_text="Role").click()
    page.get_by_role("option", name="Project manager", exact=True).click()
    for question in QUESTIONS:
        answer = ANSWERS[question.id]
        if question.scale is Scale.TEXT:
            form.get_by_role("textbox", name=question.text, exact=True).fill(answer)
            continue
        group = form.get_by_test_id("stRadio").filter(has_text=question.text)
        expect(group).to_have_count(1)
        group.get_by_text(answer, exact=True).click()
    form.get_by_role("button", name="Save my answers").click()
    expect(page.get_by_text("Answers saved.")).to_be_visible()
    wait_idle(page)

    expect(page.get_by_role("heading", name="ML fits with conditions")).to_be_visible()
    expect(form.get_by_test_id("stRadio").filter(has_text="tangled")).to_contain_text(
        "Strongly agree"
    )
    screenshot(page, "assessment_questionnaire")
    page.get_by_role("button", name="Save assessment").click()
    expect(page.get_by_text("Assessment saved to the history.")).to_be_visible()
    wait_idle(page)
    page.get_by_role("tab", name="History").click()
    expect(page.get_by_test_id("stPlotlyChart").filter(has_text="Saved assessment")).to_be_visible()
    history = page.get_by_test_id("stDataFrame").filter(has=page.locator("td", has_text="Priya"))
    expect(history.locator("td", has_text="ML fits with conditions")).to_have_count(1)
    page.get_by_role("tab", name="Reasons and weights").click()
    wait_idle(page)
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "assessment")

    [rating] = assessment_service.list_ratings(engine, project.id)
    assert (rating.rater, rating.role) == ("Priya", "Project manager")
    assert rating.answers["too_complex_to_code"] == 5
    assert rating.answers["heuristic_good_enough"] is False
    assert rating.answers["how_done_today"].startswith("A weekly report")
    [snapshot] = assessment_service.list_snapshots(engine, project.id)
    assert snapshot.verdict is Verdict.ML_FITS_WITH_CONDITIONS
    assert snapshot.saved_by == "Priya"

    page.get_by_role("link", name="Risks").click()
    wait_idle(page)
    expect(page.get_by_role("heading", name="Risks", exact=True)).to_be_visible()
    page.get_by_role("button", name="Prefill risks from readiness answers").click()
    expect(page.get_by_text("Added 2 risk(s) from readiness gaps.")).to_be_visible()
    wait_idle(page)
    grid = page.get_by_test_id("stDataFrame")
    expect(grid.locator("td", has_text="Readiness gap")).to_have_count(2)
    expect(page.get_by_test_id("stPlotlyChart")).to_be_visible()
    screenshot(page, "risk_register")

    risks = registers.list_risks(engine, project.id)
    engine.dispose()
    assert sorted((r.likelihood, r.impact) for r in risks) == [(4, 4), (5, 4)]


def test_selecting_a_project_on_the_portfolio_chart_opens_its_assessment(
    streamlit_server, projects, page
):
    project = projects["energy"]
    page.goto(streamlit_server["url"])
    expect(page.get_by_role("heading", name="Impact × feasibility")).to_be_visible()
    wait_idle(page)
    chart = page.get_by_test_id("stPlotlyChart")
    expect(chart.get_by_text("Quick wins")).to_be_visible()
    label = chart.locator(".scatterlayer .trace .textpoint", has_text="Energy price anomalies")
    expect(label).to_have_count(1)
    screenshot(page, "portfolio_impact_feasibility")

    # Plotly listens on the plot area, not on the marker: click where the marker is drawn.
    name = page.locator(".textpoint", has_text="Energy price anomalies")
    point = chart.locator(".scatterlayer .trace").filter(has=name).locator(".points path")
    expect(point).to_have_count(1)
    point.scroll_into_view_if_needed()
    box = point.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(chart.get_by_text("Verdict: Try a simpler non-ML solution first")).to_be_visible()
    page.mouse.down()
    page.mouse.up()
    expect(page.get_by_role("heading", name="Should we use ML?")).to_be_visible()
    assert f"project={project.id}" in page.url
