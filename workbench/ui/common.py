"""The frame every page shares: the database engine, who is acting, the selected project."""

from __future__ import annotations

import json
import logging
import secrets
from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from urllib.parse import quote, unquote

import streamlit as st
from sqlalchemy import exc as sqlalchemy_exc
from sqlalchemy.engine import Engine

from workbench import clock, db
from workbench.config import DATABASE_URL_VARIABLE, TODAY_VARIABLE
from workbench.errors import (
    CONCURRENT_WRITE_ERRORS,
    CONCURRENT_WRITE_MESSAGE,
    NotAllowed,
    NotFound,
)
from workbench.services import members as member_service
from workbench.services import permissions
from workbench.services import projects as project_service
from workbench.services.projects import ProjectDetail
from workbench.ui.access import (
    OPEN_WORKSPACE,
    auth_configured,
    log_out,
    markdown_text,
    show_only,
    signed_in_name,
)
from workbench.ui.forms import set_read_only, unexpected_error_message

log = logging.getLogger(__name__)
PROJECT_PARAM = "project"
PROJECT_KEY = "selected_project_id"
ACTOR_KEY = "actor_name"
ACTOR_COOKIE = "workbench_actor"
ACTOR_COOKIE_SECONDS = 365 * 24 * 3600


@st.cache_resource(on_release=lambda released: released.dispose())
def engine() -> Engine:
    """The process-wide engine; the schema is brought up to date once, on first use."""
    db.migrate()
    return db.make_engine()


def today() -> date:
    """Today's date, the one parameter every date rule takes (the app's one clock)."""
    return clock.today()


def now() -> datetime:
    """The current moment, timezone-aware UTC (the app's one clock)."""
    return clock.now()


def actor() -> str:
    """Who is acting: the signed-in user when sign-in is configured, else the name typed in the
    sidebar."""
    if auth_configured():
        return signed_in_name()
    return str(st.session_state.get(ACTOR_KEY, "")).strip()


def visibility() -> dict[str, Any]:
    """`identity` and `admin` for the services' project lists: who is looking (identity None
    when roles are not enforced: an open workspace lists every project)."""
    acting = permissions.current()
    if acting is None:
        return {"identity": None, "admin": False}
    return {"identity": acting.identity, "admin": acting.admin}


def change_stamp() -> tuple[int, int, int]:
    """What keys the cached reads of the whole workspace: it moves with every save, through
    this server or another one on the same database, so no cache outlives a change."""
    return project_service.change_stamp(engine())


@st.cache_data(ttl=600, max_entries=64, show_spinner=False)
def _visible_names(
    include_archived: bool, identity: str | None, admin: bool, stamp: tuple[int, int, int]
) -> dict[int, str]:
    return project_service.project_names(
        engine(), include_archived=include_archived, identity=identity, admin=admin
    )


def project_names(include_archived: bool = False) -> dict[int, str]:
    """Ids and names of the projects this user may see, for the project picker (cached per
    person, cleared after every write); archived projects only with `include_archived`."""
    return _visible_names(include_archived, stamp=change_stamp(), **visibility())


def data_changed() -> None:
    """Call after a write: cached reads are stale now."""
    st.cache_data.clear()


def selected_project_id() -> int | None:
    """The project carried across pages: the URL's ?project=, else this session's choice."""
    raw = st.query_params.get(PROJECT_PARAM)
    candidate: int | None = None
    if raw is not None:
        try:
            candidate = int(raw)
        except ValueError:
            candidate = None
    if candidate is None:
        candidate = st.session_state.get(PROJECT_KEY)
    if candidate is not None and candidate not in project_names(include_archived=True):
        # Created elsewhere (another session, the command line) since the names were cached?
        _visible_names.clear()
        if candidate not in project_names(include_archived=True):
            candidate = None
    return candidate


def select_project(project_id: int | None) -> None:
    """Make `project_id` the selected project, in the session and in the URL."""
    if project_id is None:
        st.session_state.pop(PROJECT_KEY, None)
        st.query_params.pop(PROJECT_PARAM, None)
        return
    st.session_state[PROJECT_KEY] = int(project_id)
    st.query_params[PROJECT_PARAM] = str(project_id)


def open_project(project_id: int, page: str) -> None:
    """Select `project_id` and go to `page`, keeping the project in the URL."""
    select_project(project_id)
    st.switch_page(page, query_params={PROJECT_PARAM: str(project_id)})


def run_page(page, *, before: Callable[[], None] | None = None) -> None:
    """Run `before` (the sidebar) and the chosen page; a save that crossed another at the moment
    of writing (rolled back, nothing stored) gets a plain message, a fault of the database itself
    its sentence, any other fault one sentence and an id that is also in the server log — never a
    traceback."""
    try:
        if before is not None:
            before()
        page.run()
    except CONCURRENT_WRITE_ERRORS:
        log.warning(
            "concurrent write refused on page %s", getattr(page, "title", "?"), exc_info=True
        )
        st.error(CONCURRENT_WRITE_MESSAGE, icon=":material/sync_problem:")
    except NotAllowed as error:
        st.error(str(error), icon=":material/lock:")
    except Exception as error:
        st.error(unexpected_error_message(error), icon=":material/error:")


def require_database(*, show_url: bool) -> None:
    """Open the database (migrating it on first use); when it cannot be opened, a plain page
    that says so — with its URL, password hidden, when `show_url` — and stop."""
    try:
        engine()
        return
    except Exception as error:
        error_id = secrets.token_hex(4)
        log.error(
            "cannot open the database %s (error id %s)", db.shown_url(), error_id, exc_info=error
        )
        reachable = not db.is_unreachable(error) and not isinstance(
            error, (sqlalchemy_exc.ArgumentError, sqlalchemy_exc.NoSuchModuleError)
        )

    def cannot_start() -> None:
        st.title("The workbench cannot open its database")
        if reachable:
            st.write("The workbench could not open its database or bring it up to date.")
        elif show_url:
            st.write(
                "The workbench cannot reach its database. Check that the database server is "
                f"running and that `{DATABASE_URL_VARIABLE}` names it."
            )
        else:
            st.write(
                "The workbench cannot reach its database right now. Please try again in a few "
                "minutes."
            )
        if show_url:
            st.caption("The database's address (password hidden):")
            st.code(db.shown_url(), language=None)  # the setting as it is, not as Markdown
        st.caption(
            "Reload this page to try again. The server log has the details under error id "
            f"{error_id}."
        )

    show_only(cannot_start, "Database unavailable")


def _recall_name() -> None:
    """Fill the name box: on a session's first run from this browser's cookie, and again after a
    page switch, which drops widget state (the last known name is kept outside the widget)."""
    if ACTOR_COOKIE not in st.session_state:
        cookie = st.context.cookies.get(ACTOR_COOKIE, "")
        remembered = unquote(cookie if isinstance(cookie, str) else "").strip()
        st.session_state[ACTOR_COOKIE] = remembered[:200]
    if ACTOR_KEY not in st.session_state:
        st.session_state[ACTOR_KEY] = st.session_state[ACTOR_COOKIE]


def _remember_name() -> None:
    """Keep the typed name in a cookie of this browser, written only when it changed."""
    name = str(st.session_state.get(ACTOR_KEY, "")).strip()
    if name == st.session_state.get(ACTOR_COOKIE):
        return
    st.session_state[ACTOR_COOKIE] = name
    st.html(
        "<script>document.cookie = "
        f"{json.dumps(f'{ACTOR_COOKIE}={quote(name)}; path=/; max-age={ACTOR_COOKIE_SECONDS}')}"
        " + '; SameSite=Lax';</script>",
        unsafe_allow_javascript=True,
        width="content",
    )


def check_clock() -> None:
    """Stop with a plain message when ``WORKBENCH_TODAY`` is not a date (a setting, not a bug)."""
    try:
        clock.pinned_today()
    except clock.InvalidClockSetting as error:
        st.error(f"The workbench cannot start: {error}.", icon=":material/event_busy:")
        st.stop()


def render_sidebar() -> None:
    """Who am I, and which project: shown on every page."""
    set_read_only(False)  # until a page shows a project this user may only view
    with st.sidebar:
        pinned = clock.pinned_today()
        if pinned is not None:
            st.caption(
                f":material/event: The date is pinned to **{pinned:%a %d %b %Y}** "
                f"(`{TODAY_VARIABLE}`); every date rule uses it."
            )
        if auth_configured():
            st.caption(f"Signed in as {markdown_text(signed_in_name())}")
            st.button("Log out", on_click=log_out, icon=":material/logout:")
        else:
            st.caption(f":material/lock_open: {OPEN_WORKSPACE}")
            _recall_name()
            st.text_input(
                "Your name",
                key=ACTOR_KEY,
                max_chars=200,
                placeholder="e.g. Priya N.",
                help="Every change is logged with this name. Sign-in replaces it when configured.",
            )
            if not actor():
                st.caption(":orange[Enter your name to make changes.]")
            _remember_name()
        current = selected_project_id()  # first: it refreshes the names if they are stale
        names = project_names()
        if current is not None and current not in names:  # an archived project, opened
            names = {**names, current: project_names(include_archived=True).get(current, "?")}
        ids = list(names)
        choice = st.selectbox(
            "Project",
            options=ids,
            index=ids.index(current) if current in ids else None,
            format_func=lambda project_id: names.get(project_id, "?"),
            placeholder="Choose a project",
            key=f"project_picker_{current}",
        )
        if choice != current:
            select_project(choice)
            st.rerun()
        select_project(current)


def require_project() -> ProjectDetail:
    """The selected project's detail, or a message with a way back to the portfolio."""
    project_id = selected_project_id()
    if project_id is not None:
        try:
            detail = project_service.get_project(engine(), project_id)
        except NotFound:
            select_project(None)
        else:
            granted = member_service.my_access(engine(), project_id)
            if granted.see:
                if not granted.edit:
                    set_read_only(True)
                    st.caption(
                        ":material/visibility: You have read-only access to this project: you "
                        "can see everything, but saving is turned off. Ask one of its owners "
                        "(Charter → People and roles) for editor access."
                    )
                return detail
            select_project(None)
    st.info("Choose a project in the sidebar, or create one on the Portfolio page.")
    st.page_link(
        "pages/team/portfolio.py", label="Go to the portfolio", icon=":material/dashboard:"
    )
    st.stop()
