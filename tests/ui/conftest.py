"""AppTest fixtures: each test gets its own migrated SQLite file and fresh Streamlit caches."""

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from workbench.config import DATABASE_URL_VARIABLE

APP = str(Path(__file__).resolve().parents[2] / "app.py")
TIMEOUT = 30


@pytest.fixture
def app_db(sqlite_url, monkeypatch) -> str:
    monkeypatch.setenv(DATABASE_URL_VARIABLE, sqlite_url)
    st.cache_resource.clear()
    st.cache_data.clear()
    yield sqlite_url
    st.cache_resource.clear()
    st.cache_data.clear()


@pytest.fixture
def open_app(app_db):
    """Start the app as `actor` on `page` (optionally with ?project=ID) and run it."""

    def start(page: str | None = None, *, actor: str = "Ann", project: int | None = None):
        at = AppTest.from_file(APP, default_timeout=TIMEOUT)
        if project is not None:
            at.query_params["project"] = str(project)
        at.session_state["actor_name"] = actor
        at.run()
        if page:
            at.switch_page(page)
            at.run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    return start
