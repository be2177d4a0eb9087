"""Browser fixtures: a real `streamlit run` on 127.0.0.1 and Debian's Chromium via Playwright."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import free_port, unavailable
from workbench.config import DATABASE_URL_VARIABLE

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = ROOT / "test-artifacts"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="module")
def streamlit_server(tmp_path_factory):
    """A real `streamlit run app.py` against its own SQLite file; yields its base URL."""
    database = tmp_path_factory.mktemp("browser-db") / "workbench.db"
    env = {**os.environ, DATABASE_URL_VARIABLE: f"sqlite:///{database}"}
    subprocess.run(
        [sys.executable, "-m", "workbench", "migrate"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    port = free_port()
    log = open(tmp_path_factory.mktemp("browser-log") / "streamlit.log", "w+")  # noqa: SIM115
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.headless",
            "true",
            "--server.address",
            "127.0.0.1",
            "--server.port",
            str(port),
            "--browser.gatherUsageStats",
            "false",
            # Code may change under a running test (a developer saving a file): never reload.
            "--server.fileWatcherType",
            "none",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            pass
        try:
            # Between health checks, wait on the server itself: a server that dies ends this at
            # once with its log; one still starting is asked again.
            process.wait(timeout=0.3)
        except subprocess.TimeoutExpired:
            if time.monotonic() < deadline:
                continue
        log.seek(0)
        process.kill()
        pytest.fail(f"streamlit did not start:\n{log.read()[-2000:]}")
    yield {"url": base, "database_url": env[DATABASE_URL_VARIABLE]}
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        unavailable("Debian's chromium is not installed (/usr/bin/chromium)")
    from playwright.sync_api import expect, sync_playwright

    # Two cores run the server, the browser and the tests: give assertions room to breathe.
    expect.set_options(timeout=20_000)
    # Under `faketime` (moving the clock for the whole suite) the preloaded library aborts
    # Playwright's node driver: start the driver, and the browser it launches, without it. The
    # streamlit server keeps the moved clock.
    preload = os.environ.pop("LD_PRELOAD", None)
    try:
        playwright = sync_playwright().start()
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    finally:
        if preload is not None:
            os.environ["LD_PRELOAD"] = preload
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


def screenshot(page, name: str) -> Path:
    """Save a full screenshot of the page under test-artifacts/ and return its path."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


# Streamlit marks its app root with the script's run state and the connection's state.
APP_IDLE = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return !!app
    && app.getAttribute('data-test-script-state') === 'notRunning'
    && app.getAttribute('data-test-connection-state') === 'CONNECTED'
    && !document.querySelector('[data-testid="stStatusWidget"]')
    && !document.querySelector('[data-stale="true"]');
}"""


def wait_idle(page) -> None:
    """Wait until the app is connected and no script run is under way.

    Idle also means no element of an earlier run is still on screen (Streamlit marks those
    stale). This says nothing about whether a click's rerun has started yet: a test follows
    every action with an expectation of what that action shows, which Playwright waits for, and
    then waits for the app to be idle again.
    """
    page.wait_for_function(APP_IDLE, timeout=30_000)


def wait_for_animations(page) -> None:
    """Wait until no CSS animation or transition is running (an expander opening, a tab)."""
    page.wait_for_function("() => document.getAnimations().every(a => a.playState !== 'running')")
