"""In Chromium: open a project's Cost & value page, change an input and see the estimate move,
save two scenarios and compare them."""

from playwright.sync_api import expect

from tests.browser.conftest import screenshot, wait_idle
from tests.dates import TODAY
from workbench.db import make_engine
from workbench.services import estimates as svc
from workbench.services import projects as project_service

# page defaults: 80.128 GPU-hours at $5.12 (A100-80GB SXM), 4 retrains a year: the total moves
# by 5 × 80.128 × Δprice when the GPU price changes; $5.12 → $10.00 adds $1,955.
GPU_HOURS = 6 * 350e6 * 5e9 * 3 / (0.35 * 312e12 * 3600)


def metric_value(page, label):
    metric = page.get_by_test_id("stMetric").filter(has_text=label).first
    return metric.get_by_test_id("stMetricValue")


def tall_screenshot(page, name):
    """The whole page: Streamlit scrolls inside its own container, so grow the window to fit."""
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": 1400, "height": max(1000, height + 40)})
    wait_idle(page)
    screenshot(page, name)
    page.set_viewport_size({"width": 1400, "height": 1000})


def dollars(text):
    return float(text.replace("$", "").replace(",", ""))


def test_change_an_input_and_compare_scenarios(streamlit_server, page):
    engine = make_engine(streamlit_server["database_url"])
    project = project_service.create_project(
        engine, data={"name": "Churn early warning"}, actor="Seeder", today=TODAY
    )
    url = streamlit_server["url"]
    # The entrypoint first: a server whose first visit is a page URL would run that page without
    # app.py's navigation for the rest of its life (Streamlit's pages/ folder mode).
    page.goto(url)
    expect(page.get_by_role("heading", name="Portfolio")).to_be_visible()
    page.goto(f"{url}/estimates?project={project.id}")
    expect(page.get_by_role("heading", name="Cost & value")).to_be_visible()
    wait_idle(page)
    total = metric_value(page, "Total cost, likely")
    before = dollars(total.inner_text())

    price = page.get_by_role("spinbutton", name="Price per GPU-hour (USD)", exact=True)
    price.fill("10")
    price.press("Enter")
    expect(total).not_to_have_text(f"${before:,.0f}")
    wait_idle(page)
    after = dollars(total.inner_text())
    assert abs(after - before - 5 * GPU_HOURS * (10 - 5.12)) <= 1
    expect(page.get_by_text("Cost by line over 12 months")).to_be_visible()
    tall_screenshot(page, "estimates")

    page.get_by_role("textbox", name="Your name", exact=True).fill("Priya")
    page.get_by_role("textbox", name="Your name", exact=True).press("Enter")
    expect(page.get_by_text("Enter your name to make changes.")).to_have_count(0)
    wait_idle(page)
    for name, gpu_price in (("Premium GPUs", None), ("Spot GPUs", "2")):
        if gpu_price:
            shown = total.inner_text()
            price.fill(gpu_price)
            price.press("Enter")
            expect(total).not_to_have_text(shown)  # the new price is in before saving
            wait_idle(page)
        page.get_by_role("textbox", name="Scenario name", exact=True).fill(name)
        page.get_by_role("button", name="Save as new scenario").click()
        wait_idle(page)
        expect(page.get_by_text(f"Editing {name}")).to_be_visible()

    page.get_by_role("tab", name="Compare scenarios").click()
    wait_idle(page)
    grid = page.get_by_test_id("stDataFrame").filter(has_text="Total cost P50")
    expect(grid.locator("th", has_text="Premium GPUs")).to_have_count(1)
    expect(grid.locator("th", has_text="Spot GPUs")).to_have_count(1)
    expect(page.get_by_text("Scenarios side by side")).to_be_visible()
    tall_screenshot(page, "estimates_compare")

    scenarios = svc.list_scenarios(engine, project.id)
    log = project_service.list_activity(engine, project.id)
    engine.dispose()
    assert [(s.name, s.cost_inputs["price_per_gpu_hour_usd"]) for s in scenarios] == [
        ("Premium GPUs", 10),
        ("Spot GPUs", 2),
    ]
    assert [entry.actor for entry in log[:2]] == ["Priya", "Priya"]
