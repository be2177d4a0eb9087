"""In Chromium: the Demo plan page of a project with seeded features — timeline, what moved,
the .ics download, and adding a feature.
"""

from icalendar import Calendar
from playwright.sync_api import expect
from pptx import Presentation

from tests.browser.conftest import screenshot, wait_for_animations, wait_idle
from tests.dates import TODAY, monday_weeks_ago
from workbench.db import make_engine
from workbench.services import demos as demo_service
from workbench.services import projects as project_service

FEATURES = [
    ("Late-ride alerts", 4, {"status": "done", "owner": "Priya", "smes": "Dana (dispatch)"}),
    ("Depot dashboard", 5, {"status": "building", "owner": "Lee", "milestone": True}),
    ("Explain an alert", 6, {"owner": "Priya", "smes": "Dana (dispatch), Omar"}),
    ("Weekly export", 4, {"owner": "Lee"}),
]


def seed(database_url):
    """A project whose model testing began four weeks ago: accepted, one demo held, one slip."""
    engine = make_engine(database_url)
    today = TODAY
    project = project_service.create_project(
        engine, data={"name": "Taxi ride-time anomalies"}, actor="Seeder", today=today
    )
    features = [
        demo_service.create_feature(
            engine,
            project_id=project.id,
            data={"name": name, "estimate_days": days, **extra},
            actor="Seeder",
        )
        for name, days, extra in FEATURES
    ]
    settings = demo_service.save_plan_settings(
        engine,
        project_id=project.id,
        expected_version=None,
        data={
            "start_date": monday_weeks_ago(4, today),
            "model_testing_days": 5,
            "max_undemoed_days": 5,
            "light_audience": "Priya",
            "big_audience": "Sam (sponsor), Priya",
        },
        actor="Seeder",
    )
    demo_service.accept_plan(
        engine, project_id=project.id, expected_version=settings.version, actor="Seeder"
    )
    schedule = demo_service.demo_plan(engine, project.id, today=today).schedule
    held = next(item for item in schedule.demos if item.feature == "Late-ride alerts")
    demo_service.record_demo(
        engine,
        project_id=project.id,
        data={
            "title": held.title,
            "held_on": held.start,
            "feature": "Late-ride alerts",
            "format": "slides",
            "audience": "Priya, Dana (dispatch)",
        },
        feedback=[{"attendee": "Dana (dispatch)", "feedback": "Night shifts need fewer alerts"}],
        actions=[
            {"action": "Group alerts per driver", "becomes": "feature task"},
            {"action": "Text alerts to the night shift", "becomes": "parking lot"},
        ],
        actor="Seeder",
        today=today,
    )
    demo_service.record_slip(
        engine,
        project_id=project.id,
        feature_id=features[1].id,
        expected_version=features[1].version,
        working_days=2,
        reason="Depot data arrived late",
        actor="Seeder",
    )
    engine.dispose()
    return project


def test_demo_plan_page(streamlit_server, page, tmp_path):
    project = seed(streamlit_server["database_url"])
    url = streamlit_server["url"]
    # The entrypoint first: a server whose first visit is a page URL runs that page without
    # app.py's navigation (Streamlit's pages/ folder mode).
    page.goto(url)
    expect(page.get_by_role("heading", name="Portfolio")).to_be_visible()
    page.goto(f"{url}/demos?project={project.id}")
    expect(page.get_by_role("heading", name="Demo plan")).to_be_visible()
    page.get_by_role("textbox", name="Your name", exact=True).fill("Priya")
    page.get_by_role("textbox", name="Your name", exact=True).press("Enter")
    wait_idle(page)

    expect(page.get_by_test_id("stPlotlyChart")).to_be_visible()
    expect(page.get_by_text("moved since the accepted baseline")).to_be_visible()
    expect(page.get_by_text("Upcoming demos")).to_be_visible()
    grids = page.get_by_test_id("stDataFrame")
    expect(grids.locator("td", has_text="Full MVP demo")).not_to_have_count(0)
    expect(page.get_by_text("Depot dashboard** has gone")).to_have_count(0)
    expect(page.get_by_text("has gone")).to_contain_text("Depot dashboard")
    page.set_viewport_size({"width": 1400, "height": 2900})  # the whole Schedule tab
    wait_idle(page)
    screenshot(page, "demos")
    page.set_viewport_size({"width": 1400, "height": 1000})

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Calendar (.ics)").click()
    download = download_info.value
    assert download.suggested_filename == "taxi-ride-time-anomalies-demos.ics"
    path = tmp_path / "demos.ics"
    download.save_as(path)
    events = Calendar.from_ical(path.read_bytes()).walk("VEVENT")
    # The review, Alerts (light), the milestone after the dashboard, Explain (light), full MVP.
    assert [str(e["SUMMARY"]).split(": ", 1)[1] for e in events] == [
        "Model testing review",
        "Demo: Late-ride alerts",
        "Milestone demo: Depot dashboard",
        "Demo: Explain an alert",
        "Full MVP demo",
    ]

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Slide outline (.pptx)").click()
    slides_path = tmp_path / "demos.pptx"
    download_info.value.save_as(slides_path)
    deck = Presentation(str(slides_path))
    assert len(deck.slides) == 1 + len(events)

    page.get_by_role("tab", name="Features").click()
    wait_idle(page)
    page.get_by_text("Add a feature").click()
    form = page.get_by_test_id("stForm").filter(has_text="Add feature")
    form.get_by_role("textbox", name="Feature name *", exact=True).fill("Driver feedback")
    form.get_by_role("button", name="Add feature").click()
    expect(page.get_by_text("Feature 'Driver feedback' added.")).to_be_visible()
    wait_idle(page)
    # the add form is empty again: a second click would add nothing
    expect(form.get_by_role("textbox", name="Feature name *", exact=True)).to_have_value("")
    screenshot(page, "demos-features")

    page.get_by_role("tab", name="Record a demo").click()
    wait_idle(page)
    expect(page.get_by_role("textbox", name="Demo title *", exact=True)).not_to_have_value("")
    screenshot(page, "demos-record")
    page.get_by_role("tab", name="Demos held").click()
    wait_idle(page)
    page.get_by_text("Demo: Late-ride alerts (light demo)").click()
    expect(page.get_by_text("Parked: Text alerts to the night shift")).to_be_visible()
    wait_for_animations(page)  # the expander slides open
    screenshot(page, "demos-held")

    engine = make_engine(streamlit_server["database_url"])
    names = [f.name for f in demo_service.demo_plan(engine, project.id, today=TODAY).features]
    log = project_service.list_activity(engine, project.id)
    engine.dispose()
    assert names[-1] == "Driver feedback" and len(names) == 5
    assert (log[0].action, log[0].actor) == ("feature added", "Priya")
