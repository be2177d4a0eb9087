"""Two app servers on one PostgreSQL behave as one application (docs/deploy.md).

Two `streamlit run` processes on different ports share one database, as behind a load
balancer. Ann works through the first server, Bo through the second, on the same project's
charter: Bo sees Ann's change on his next rerun, and Bo's save of the version he opened before
Ann saved is refused as stale, exactly as on one server (the conflict view, his edit kept).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ROOT, screenshot, wait_idle
from tests.conftest import free_port
from tests.dates import TODAY
from workbench.config import DATABASE_URL_VARIABLE
from workbench.db import make_engine
from workbench.services import projects as project_service

pytestmark = pytest.mark.postgres


@contextmanager
def app_servers(database_url: str, count: int, log_dir) -> Iterator[list[str]]:
    """`count` `streamlit run app.py` processes on free ports against `database_url`, started
    together; yields their base URLs once every one answers its health check."""
    env = {**os.environ, DATABASE_URL_VARIABLE: database_url}
    servers = []
    try:
        for number in range(count):
            port = free_port()
            log = open(log_dir / f"server{number}.log", "w+")  # noqa: SIM115
            command = [sys.executable, "-m", "streamlit", "run", "app.py"]
            options = {
                "server.headless": "true",
                "server.address": "127.0.0.1",
                "server.port": str(port),
                "browser.gatherUsageStats": "false",
                "server.fileWatcherType": "none",
            }
            for option, value in options.items():
                command += [f"--{option}", value]
            process = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
            )
            servers.append((f"http://127.0.0.1:{port}", process, log))
        deadline = time.monotonic() + 60
        for base, process, log in servers:
            while True:
                try:
                    with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response:
                        if response.status == 200:
                            break
                except OSError:
                    pass
                try:
                    process.wait(timeout=0.3)
                except subprocess.TimeoutExpired:
                    if time.monotonic() < deadline:
                        continue
                log.seek(0)
                pytest.fail(f"streamlit did not start:\n{log.read()[-2000:]}")
        yield [base for base, _, _ in servers]
    finally:
        for _, process, _ in servers:
            process.terminate()
        for _, process, log in servers:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
            log.close()


def open_charter(browser, base: str, project_id: int, actor: str):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(f"{base}/charter?project={project_id}")
    wait_idle(page)
    name = page.get_by_role("textbox", name="Your name", exact=True)
    name.fill(actor)
    name.press("Enter")
    expect(page.get_by_text("Enter your name to make changes.")).to_have_count(0)
    wait_idle(page)
    return page


def test_two_servers_on_one_postgresql_behave_as_one(postgres_url, browser, tmp_path):
    engine = make_engine(postgres_url)
    project = project_service.create_project(
        engine, data={"name": "Fraud alerts", "sponsor": ""}, actor="Ann", today=TODAY
    )
    with app_servers(postgres_url, 2, tmp_path) as (first, second):
        for base in (first, second):
            # A fresh server's very first request for a page path shows Streamlit's "Page not
            # found" notice over the page (see the report of test_deep_links): open the root once.
            warm = browser.new_page()
            warm.goto(base)
            wait_idle(warm)
            warm.close()
        ann = open_charter(browser, first, project.id, "Ann")
        bo = open_charter(browser, second, project.id, "Bo")
        expect(bo.get_by_role("heading", name="Fraud alerts")).to_be_visible()

        # Ann renames the project and names a sponsor through the first server.
        ann.get_by_role("textbox", name="Name *", exact=True).fill("Fraud alerts (cards)")
        ann.get_by_role("textbox", name="Sponsor", exact=True).fill("CFO")
        ann.get_by_role("button", name="Save charter").click()
        expect(ann.get_by_text("Charter saved.")).to_be_visible()
        stored = project_service.get_project(engine, project.id).project
        assert (stored.name, stored.sponsor, stored.version) == ("Fraud alerts (cards)", "CFO", 2)

        # Bo's next rerun on the second server (here: he completes his name) shows it.
        expect(bo.get_by_role("heading", name="Fraud alerts", exact=True)).to_be_visible()
        name = bo.get_by_role("textbox", name="Your name", exact=True)
        name.fill("Bo Lind")
        name.press("Enter")
        expect(bo.get_by_role("heading", name="Fraud alerts (cards)")).to_be_visible()
        wait_idle(bo)

        # Bo saves the version he opened before Ann's save: refused as stale, his edit kept.
        bo.get_by_role("textbox", name="Sponsor", exact=True).fill("COO")
        bo.get_by_role("button", name="Save charter").click()
        expect(bo.get_by_text("Not saved", exact=False).first).to_be_visible()
        conflicts = bo.get_by_test_id("stDataFrame").filter(has_text="Saved meanwhile")
        expect(conflicts).to_have_count(1)  # yours beside the newer values, in the form's labels
        expect(conflicts.locator("th", has_text="Yours")).to_have_count(1)
        keep = bo.get_by_role("button", name="Keep my edits (I have read the newer values)")
        expect(keep).to_be_visible()
        expect(
            bo.get_by_role("button", name="Load the newer version (drop my edits)")
        ).to_be_visible()
        expect(bo.get_by_role("textbox", name="Sponsor", exact=True)).to_have_value("COO")
        wait_idle(bo)
        screenshot(bo, "two_servers_conflict")
        stored = project_service.get_project(engine, project.id).project
        assert (stored.sponsor, stored.version) == ("CFO", 2)
        log = project_service.list_activity(engine, project.id)
        assert [(entry.actor, entry.action) for entry in log[:1]] == [("Ann", "charter edited")]
        for page in (ann, bo):
            page.context.close()
    engine.dispose()
