"""In Chromium: an expert's private link never opens anything but their own form.

What a browser session can do without a full page load — the back and forward buttons, or any
script changing the address — reruns the same Streamlit session with the new address; such a
session that came through an interview link keeps getting its own form (the address is put
back to its link). A full page load is a new session: without `?interview=` it is a team
session, which in an open workspace is the team's app (that is what "open" means, and the
interviews page warns the PM), and with sign-in configured is the "Log in" page. Both are
checked here: the first on the shared open server, the second on a server of this module
with an `[auth]` section in a temporary secrets file (`--secrets.files`).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ROOT, screenshot, wait_idle
from tests.conftest import free_port
from tests.dates import TODAY
from workbench import clock
from workbench.config import DATABASE_URL_VARIABLE
from workbench.db import make_engine
from workbench.services import interviews as svc
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
FORM = "Teach us how you do it now"


# --- a streamlit server of this module (its own secrets) -------------------------------------


@contextmanager
def serve_app(tmp: Path, database_url: str, *, secrets: str, port: int | None = None) -> Iterator:
    """`streamlit run app.py` on 127.0.0.1 with `secrets` as its only secrets file (written
    under `tmp`, never in the repository); yields the base URL."""
    secrets_file = tmp / "secrets.toml"
    secrets_file.write_text(secrets, encoding="utf-8")
    env = {**os.environ, DATABASE_URL_VARIABLE: database_url}
    subprocess.run(
        [sys.executable, "-m", "workbench", "migrate"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    port = port or free_port()
    log = open(tmp / "streamlit.log", "w+")  # noqa: SIM115
    process = subprocess.Popen(
        [
            sys.executable, "-m", "streamlit", "run", "app.py",
            "--server.headless", "true",
            "--server.address", "127.0.0.1",
            "--server.port", str(port),
            "--browser.gatherUsageStats", "false",
            "--server.fileWatcherType", "none",
            "--secrets.files", str(secrets_file),
        ],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    try:
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
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def auth_section(base: str, metadata_url: str) -> str:
    return (
        "[auth]\n"
        f'redirect_uri = "{base}/oauth2callback"\n'
        'cookie_secret = "a-cookie-secret-only-for-this-test-run"\n'
        'client_id = "workbench"\n'
        'client_secret = "workbench-secret"\n'
        f'server_metadata_url = "{metadata_url}"\n'
    )


@pytest.fixture(scope="module")
def auth_server(tmp_path_factory):
    """A server with sign-in configured (its provider is never asked here: nobody logs in)."""
    tmp = tmp_path_factory.mktemp("auth-server")
    database_url = f"sqlite:///{tmp / 'workbench.db'}"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    nowhere = f"http://127.0.0.1:{free_port()}/.well-known/openid-configuration"
    with serve_app(tmp, database_url, secrets=auth_section(base, nowhere), port=port) as url:
        yield {"url": url, "database_url": database_url}


# --- data ------------------------------------------------------------------------------------


def seed(database_url: str, tag: str) -> dict:
    """Dana's interview on one project, and another project whose name must never show."""
    engine = make_engine(database_url)
    own = project_service.create_project(
        engine, data={"name": f"Dispatch delays {tag}"}, actor="Ann", today=TODAY
    )
    other = project_service.create_project(
        engine, data={"name": f"Secret pricing {tag}", "problem": "Margins by client"},
        actor="Bo", today=TODAY,
    )  # fmt: skip

    def interview(expert: str, **options):
        return svc.create_interview(
            engine, project_id=own.id, expert_name=expert, template_id="sme_default",
            actor="Ann", **options,
        )  # fmt: skip

    live = interview("Dana Whitfield", now=clock.now())
    revoked = interview("Rita Revoked", now=clock.now())
    svc.revoke_interview(
        engine, project_id=own.id, interview_id=revoked.interview.id,
        expected_version=revoked.interview.version, actor="Ann", now=clock.now(),
    )  # fmt: skip
    expired = interview("Eli Expired", now=clock.now() - timedelta(days=10), expires_in_days=1)
    submitted = interview("Sam Submitted", now=clock.now())
    svc.submit(engine, submitted.token, {"how_done_today": "By hand, every morning"}, clock.now())
    engine.dispose()
    return {
        "own": own.name,
        "other": other.name,
        "other_id": other.id,
        "live": live.token,
        "revoked": revoked.token,
        "expired": expired.token,
        "submitted": submitted.token,
    }


# --- what the expert may see -----------------------------------------------------------------


def assert_nothing_else(page, data: dict) -> None:
    """No sidebar, no navigation, no other project; and no team page's heading."""
    expect(page.get_by_test_id("stSidebar")).to_have_count(0)
    expect(page.get_by_test_id("stSidebarNav")).to_have_count(0)
    expect(page.get_by_text(data["other"])).to_have_count(0)
    expect(page.get_by_text("Margins by client")).to_have_count(0)
    for heading in ("Portfolio", "SME interviews", "Scoping report", "Risks"):
        expect(page.get_by_role("heading", name=heading)).to_have_count(0)


def same_session_go(page, address: str) -> None:
    """Change the address without loading the page (what back/forward do): Streamlit reruns
    the same session with the new path and query."""
    page.evaluate(
        "(address) => { history.pushState({}, '', address);"
        " window.dispatchEvent(new PopStateEvent('popstate')); }",
        address,
    )


def test_an_expert_session_gets_only_its_form_wherever_it_goes(streamlit_server, page):
    data = seed(streamlit_server["database_url"], "A")
    url = streamlit_server["url"]
    page.goto(f"{url}/?interview={data['live']}")
    expect(page.get_by_role("heading", name=FORM)).to_be_visible()
    expect(page.get_by_text(data["own"]).first).to_be_visible()
    wait_idle(page)
    assert_nothing_else(page, data)
    page.evaluate("() => { window.__same_document = true; }")  # gone after any full load

    own_link = re.compile(rf"\?interview={re.escape(data['live'])}$")
    for path in PAGE_PATHS:
        for query in ("", f"?project={data['other_id']}", f"?Interview={data['live']}"):
            same_session_go(page, f"{path}{query}")
            # the session reran and put its own link back in the address
            expect(page).to_have_url(own_link)
            wait_idle(page)
            expect(page.get_by_role("heading", name=FORM)).to_be_visible()
            assert_nothing_else(page, data)
    assert page.evaluate("() => window.__same_document === true")  # never a full load
    screenshot(page, "expert_confined_after_navigation")


@pytest.mark.parametrize(
    ("kind", "shows"),
    [
        ("revoked", "This link is not valid."),
        ("expired", "This link is not valid."),
        ("submitted", "Thank you, Sam!"),
    ],
)
def test_revoked_expired_and_submitted_links_show_a_refusal_or_the_read_only_form(
    streamlit_server, page, kind, shows
):
    data = seed(streamlit_server["database_url"], f"B-{kind}")
    page.goto(f"{streamlit_server['url']}/charter?interview={data[kind]}")
    expect(page.get_by_text(shows)).to_be_visible()
    wait_idle(page)
    assert_nothing_else(page, data)
    expect(page.get_by_role("textbox")).to_have_count(0)
    if kind != "submitted":
        expect(page.get_by_text(data["own"])).to_have_count(0)
    same_session_go(page, f"/?project={data['other_id']}")
    expect(page.get_by_text(shows)).to_be_visible()
    wait_idle(page)
    assert_nothing_else(page, data)
    screenshot(page, f"expert_link_{kind}")


@pytest.mark.parametrize(
    "query",
    ["?interview=", "?Interview={t}", "?interview[]={t}", "?interview={t}&interview={t}"],
    ids=["empty", "capitalised", "array", "twice"],
)
def test_a_malformed_link_is_refused_plainly(streamlit_server, page, query):
    data = seed(streamlit_server["database_url"], f"C-{query}")
    page.goto(f"{streamlit_server['url']}/{query.format(t=data['live'])}")
    expect(page.get_by_role("heading", name="This link is not valid.")).to_be_visible()
    wait_idle(page)
    assert_nothing_else(page, data)
    expect(page.get_by_text(data["own"])).to_have_count(0)
    expect(page.get_by_role("button")).to_have_count(0)
    if query == "?interview[]={t}":
        screenshot(page, "expert_link_malformed")


def test_with_sign_in_configured_a_full_page_load_without_the_link_gets_log_in_only(
    auth_server, page
):
    data = seed(auth_server["database_url"], "D")
    url = auth_server["url"]
    page.goto(f"{url}/?interview={data['live']}")  # the link needs no sign-in
    expect(page.get_by_role("heading", name=FORM)).to_be_visible()
    wait_idle(page)
    assert_nothing_else(page, data)

    for path in PAGE_PATHS:
        for query in ("", f"?project={data['other_id']}"):
            page.goto(f"{url}{path}{query}")  # a full load: a new session, not the expert's
            expect(page.get_by_role("button", name="Log in")).to_be_visible()
            wait_idle(page)
            expect(page.get_by_role("button")).to_have_count(1)
            assert_nothing_else(page, data)
            expect(page.get_by_text(data["own"])).to_have_count(0)
            if path == "/charter" and query:
                screenshot(page, "sign_in_required")
