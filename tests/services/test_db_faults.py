"""Faults of the database itself reach people as sentences, never as tracebacks: a write lock
held by someone else (waited for, tried again, then a sentence), a read-only database, a
database that cannot be reached when the app starts (a plain page with its URL, password
hidden), and any other fault on the expert's page (a sentence with an id that is in the log).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from sqlalchemy import exc, text
from streamlit.testing.v1 import AppTest

from tests.conftest import free_port
from tests.dates import TODAY
from workbench import clock, db
from workbench.config import DATABASE_URL_VARIABLE, SQLITE_BUSY_TIMEOUT_VARIABLE
from workbench.services import interviews as interview_service
from workbench.services import projects as project_service

APP = str(Path(__file__).resolve().parents[2] / "app.py")
TIMEOUT = 30
HOW = "How is this done today?"


@pytest.fixture
def serve(monkeypatch) -> Iterator:
    """Point the app at a database URL, with fresh Streamlit caches (the engine is one)."""

    def use(url: str) -> None:
        monkeypatch.setenv(DATABASE_URL_VARIABLE, url)
        st.cache_resource.clear()
        st.cache_data.clear()

    yield use
    st.cache_resource.clear()
    st.cache_data.clear()


def sqlite_path(url: str) -> str:
    return url.removeprefix("sqlite:///")


def seed_interview(url: str) -> str:
    """A project with an interview; returns the interview's token."""
    engine = db.make_engine(url)
    project = project_service.create_project(
        engine, data={"name": "Dispatch delays"}, actor="Ann", today=TODAY
    )
    link = interview_service.create_interview(
        engine,
        project_id=project.id,
        expert_name="Dana",
        template_id="sme_default",
        actor="Ann",
        now=clock.now(),
    )
    engine.dispose()
    return link.token


def hold_write_lock(url: str) -> sqlite3.Connection:
    """Another program's write transaction on the file (a backup, a `sqlite3` shell)."""
    holder = sqlite3.connect(sqlite_path(url), isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    return holder


def run_ok(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def open_link(token: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["interview"] = token
    return run_ok(at)


def answer_box(at: AppTest):
    [box] = [w for w in at.text_area if HOW in w.label]
    return box


def save_draft(at: AppTest, answer: str) -> AppTest:
    """Type an answer and leave the box: the draft is saved (one save)."""
    answer_box(at).input(answer)
    return run_ok(at)


def everything(at: AppTest) -> str:
    kinds = ("title", "markdown", "caption", "text", "code", "error", "warning", "info")
    return "\n".join(str(element.value) for kind in kinds for element in at.get(kind))


# --- a lock held by another writer -----------------------------------------------------------


def test_sqlite_waits_ten_seconds_for_another_writers_lock(sqlite_url):
    engine = db.make_engine(sqlite_url)
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 10_000
    engine.dispose()


def test_a_write_locked_for_a_moment_is_tried_again_and_stored(sqlite_url, serve, monkeypatch):
    monkeypatch.setenv(SQLITE_BUSY_TIMEOUT_VARIABLE, "50")  # the first try gives up at once
    token = seed_interview(sqlite_url)
    serve(sqlite_url)
    at = open_link(token)
    holder = hold_write_lock(sqlite_url)
    pauses = []

    def pause(seconds):  # the other writer finishes while we wait before trying again
        pauses.append(seconds)
        holder.rollback()

    monkeypatch.setattr(db, "pause", pause)
    save_draft(at, "I check the board at 6am")
    holder.close()
    assert pauses == [db.LOCKED_PAUSE_SECONDS]
    assert not at.error
    assert any("Draft saved at" in c.value for c in at.caption)
    engine = db.make_engine(sqlite_url)
    form = interview_service.open_interview_by_token(engine, token, clock.now())
    engine.dispose()
    assert form.answers == {"how_done_today": "I check the board at 6am"}


def test_a_write_locked_throughout_gives_a_sentence_and_keeps_the_words(
    sqlite_url, serve, monkeypatch
):
    monkeypatch.setenv(SQLITE_BUSY_TIMEOUT_VARIABLE, "50")
    token = seed_interview(sqlite_url)
    serve(sqlite_url)
    at = open_link(token)
    holder = hold_write_lock(sqlite_url)
    pauses = []
    monkeypatch.setattr(db, "pause", pauses.append)
    try:
        save_draft(at, "I check the board at 6am")
    finally:
        holder.close()
    assert pauses == [db.LOCKED_PAUSE_SECONDS]  # tried twice
    [error] = [e.value for e in at.error]
    assert error.startswith(db.LOCKED_MESSAGE)
    assert "SELECT" not in error and "INSERT" not in error and "sqlite" not in error.lower()
    assert answer_box(at).value == "I check the board at 6am"


def test_a_team_save_under_a_lock_gives_the_sentence(sqlite_url, serve, monkeypatch):
    monkeypatch.setenv(SQLITE_BUSY_TIMEOUT_VARIABLE, "50")
    serve(sqlite_url)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.session_state["actor_name"] = "Ann"
    run_ok(at)
    holder = hold_write_lock(sqlite_url)
    try:
        [name] = [w for w in at.text_input if w.label == "Name *"]
        name.input("Locked out")
        [create] = [b for b in at.button if b.label == "Create project"]
        create.click()
        run_ok(at)
    finally:
        holder.close()
    assert any(e.value.startswith(db.LOCKED_MESSAGE) for e in at.error), [e.value for e in at.error]


# --- a read-only database --------------------------------------------------------------------


def read_only_url(database_url: str, request) -> str:
    """The same database, refusing every write: a read-only SQLite file (opened read-only, as
    for a user who may not write the file), a PostgreSQL database in read-only mode."""
    if database_url.startswith("sqlite"):
        return f"sqlite:///file:{sqlite_path(database_url)}?mode=ro&uri=true"
    server = request.getfixturevalue("postgres_server")
    name = database_url.rsplit("/", 1)[1]
    server.execute(f"ALTER DATABASE {name} SET default_transaction_read_only = on")
    return database_url


def test_a_write_to_a_read_only_database_is_told_as_such(database_url, request):
    engine = db.make_engine(read_only_url(database_url, request))
    assert project_service.project_names(engine) == {}  # reading works
    with pytest.raises(exc.DBAPIError) as raised:
        project_service.create_project(engine, data={"name": "X"}, actor="Ann", today=TODAY)
    engine.dispose()
    assert db.fault_message(raised.value) == db.READ_ONLY_MESSAGE
    assert not db.is_locked(raised.value)


def test_the_expert_saving_to_a_read_only_database_gets_a_sentence(sqlite_url, serve, request):
    token = seed_interview(sqlite_url)
    serve(read_only_url(sqlite_url, request))
    at = open_link(token)
    assert at.title[0].value == "Teach us how you do it now"
    save_draft(at, "I check the board at 6am")
    [error] = [e.value for e in at.error]
    assert error.startswith(db.READ_ONLY_MESSAGE)
    assert answer_box(at).value == "I check the board at 6am"


def test_read_only_sqlite_urls_create_no_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    db.make_engine(f"sqlite:///file:{tmp_path / 'x.db'}?mode=ro&uri=true").dispose()
    assert list(tmp_path.iterdir()) == []  # no "file:" folder made from the URI


# --- a database that cannot be reached -------------------------------------------------------


def unreachable_url() -> str:
    """PostgreSQL on a port where nothing listens, with a password that must never be shown."""
    return f"postgresql+psycopg://planner:s3cret-pw@127.0.0.1:{free_port()}/workbench"


def test_the_team_gets_a_plain_page_when_the_database_is_down_at_start(serve):
    url = unreachable_url()
    serve(url)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.session_state["actor_name"] = "Ann"
    run_ok(at)
    assert [t.value for t in at.title] == ["The workbench cannot open its database"]
    shown = everything(at)
    assert url.replace("s3cret-pw", "***") in shown
    assert "s3cret-pw" not in shown
    assert "WORKBENCH_DATABASE_URL" in shown
    assert len(at.sidebar.children) == 0 and not at.button and not at.text_input


def test_the_expert_gets_a_plain_page_without_the_url_when_the_database_is_down(serve):
    serve(unreachable_url())
    at = open_link("some-token")
    assert [t.value for t in at.title] == ["The workbench cannot open its database"]
    shown = everything(at)
    assert "cannot reach its database right now" in shown
    for private in ("127.0.0.1", "postgresql", "planner", "s3cret-pw"):
        assert private not in shown


def test_a_database_that_comes_back_is_used_on_the_next_run(sqlite_url, serve, tmp_path):
    serve(f"sqlite:///{tmp_path / 'not-a-folder'}/workbench.db")
    (tmp_path / "not-a-folder").write_text("a file where the database's folder should be")
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.session_state["actor_name"] = "Ann"
    run_ok(at)
    assert [t.value for t in at.title] == ["The workbench cannot open its database"]
    serve(sqlite_url)  # the administrator fixes the setting
    run_ok(at)
    assert [t.value for t in at.title] == ["Portfolio"]


def test_shown_url_hides_the_password():
    assert db.shown_url("postgresql+psycopg://u:p%40ss@h:5432/w") == (
        "postgresql+psycopg://u:***@h:5432/w"
    )
    assert db.shown_url("sqlite:////srv/workbench.db") == "sqlite:////srv/workbench.db"


# --- any other fault on the expert's page ----------------------------------------------------


def test_an_unexpected_fault_while_saving_a_draft_is_a_sentence_with_an_id(
    sqlite_url, serve, monkeypatch, caplog
):
    token = seed_interview(sqlite_url)
    serve(sqlite_url)
    at = open_link(token)

    def broken(*_args, **_kwargs):
        raise RuntimeError("disk full in /var/lib/secret-path")

    monkeypatch.setattr(interview_service, "save_draft", broken)
    save_draft(at, "I check the board at 6am")
    [error] = [e.value for e in at.error]
    assert error.startswith("Something went wrong and nothing was saved.")
    assert "secret-path" not in error
    error_id = error.rsplit("error id ", 1)[1].rstrip(".")
    assert any(error_id in r.getMessage() and r.exc_info for r in caplog.records)
    assert answer_box(at).value == "I check the board at 6am"
