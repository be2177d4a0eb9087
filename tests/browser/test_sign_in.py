"""In Chromium: the real sign-in flow. Streamlit's `st.login` against an OpenID Connect provider
(`oidc-provider-mock`, started here on 127.0.0.1), a streamlit server whose only secrets file
is a temporary one with that provider in `[auth]`: a visitor sees a "Log in" page and nothing
else, logs in at the provider, works under the signed-in name, and logs out.
"""

from __future__ import annotations

import threading

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot, wait_idle
from tests.browser.test_expert_isolation import auth_section, serve_app
from tests.conftest import free_port
from tests.dates import TODAY
from workbench.db import make_engine
from workbench.services import projects as project_service

oidc_provider_mock = pytest.importorskip("oidc_provider_mock")
serving = pytest.importorskip("werkzeug.serving")

NAME = "Alice Example"
# The mock provider is written against an older Authlib API; its deprecation warnings (raised in
# the provider's thread while it issues a token) are not this project's to fix.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def provider():
    """The OpenID provider on 127.0.0.1 (a free port), with one user the test logs in as."""
    app = oidc_provider_mock.app(
        user_claims=[
            oidc_provider_mock.User(
                sub="alice", claims={"name": NAME, "email": "alice@example.com"}
            )
        ]
    )
    # The mock wraps itself in werkzeug's interactive debugger, which answers 500 to requests
    # for 127.0.0.1 (it trusts only "localhost"); a test server needs no debugger console.
    debugger = app.wsgi_app
    app.wsgi_app = getattr(debugger, "app", debugger)
    server = serving.make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def signed_server(provider, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("sign-in")
    database_url = f"sqlite:///{tmp / 'workbench.db'}"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    secrets = auth_section(base, f"{provider}/.well-known/openid-configuration")
    with serve_app(tmp, database_url, secrets=secrets, port=port) as url:
        yield {"url": url, "database_url": database_url}


def test_a_visitor_logs_in_works_under_their_name_and_logs_out(signed_server, page):
    engine = make_engine(signed_server["database_url"])
    project_service.create_project(engine, data={"name": "Secret pricing"}, actor="Bo", today=TODAY)
    url = signed_server["url"]

    # (The first request after a server start goes to "/": a page address as the very first
    # request shows Streamlit's "Page not found" notice over the page, see the README.)
    page.goto(f"{url}/")
    expect(page.get_by_role("button", name="Log in")).to_be_visible()
    wait_idle(page)
    page.goto(f"{url}/charter?project=1")
    log_in = page.get_by_role("button", name="Log in")
    expect(log_in).to_be_visible()
    wait_idle(page)
    expect(page.get_by_text("Secret pricing")).to_have_count(0)
    expect(page.get_by_test_id("stSidebar")).to_have_count(0)
    screenshot(page, "sign_in_page")

    log_in.click()  # to the provider's form
    page.get_by_placeholder("sub").fill("alice")
    page.get_by_role("button", name="Authorize").click()  # back to the app, signed in

    expect(page.get_by_role("heading", name="Portfolio")).to_be_visible()
    wait_idle(page)
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_text(f"Signed in as {NAME}")).to_be_visible()
    expect(sidebar.get_by_role("textbox", name="Your name")).to_have_count(0)
    grid = page.get_by_test_id("stDataFrame").first
    expect(grid.locator("td", has_text="Secret pricing")).to_have_count(1)  # the workspace

    page.get_by_text("New project", exact=True).click()  # the expander (the workspace is not empty)
    form = page.get_by_test_id("stForm")
    form.get_by_role("textbox", name="Name *", exact=True).fill("Signed-in launch")
    form.get_by_role("button", name="Create project").click()
    expect(page.get_by_role("heading", name="Signed-in launch")).to_be_visible()
    wait_idle(page)
    screenshot(page, "signed_in_charter")
    created = project_service.find_project(engine, "Signed-in launch")
    assert [a.actor for a in project_service.list_activity(engine, created.id)] == [NAME]
    engine.dispose()

    sidebar.get_by_role("button", name="Log out").click()
    # Streamlit ends the session at the provider too (its end-session page), then comes back
    page.get_by_role("button", name="End session").click()
    expect(page.get_by_role("button", name="Log in")).to_be_visible()
    wait_idle(page)
    expect(page.get_by_text("Secret pricing")).to_have_count(0)
    expect(page.get_by_text("Signed-in launch")).to_have_count(0)
    page.goto(f"{url}/charter?project={created.id}")  # the session cookie is gone too
    expect(page.get_by_role("button", name="Log in")).to_be_visible()
    wait_idle(page)
    expect(page.get_by_text("Signed-in launch")).to_have_count(0)
