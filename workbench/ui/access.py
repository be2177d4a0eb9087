"""Who may see what: sign-in with Streamlit's `st.login` when it is configured, and an expert's
browser session that stays inside their interview form.

- With an `[auth]` section in `.streamlit/secrets.toml`, every page needs a signed-in user; a
  visitor who is not signed in gets a plain page with a "Log in" button and nothing else (no
  project, no sidebar). The signed-in identity is the actor of every change.
- Without it the workspace is open: anyone who can reach the server can use it, and the sidebar
  says so.
- A session that arrives through an interview link (`?interview=TOKEN`) is an expert's session
  for its whole life: the token is kept in its session state, and whatever page, project or
  parameters a later run of that session asks for, it gets its own form or a plain refusal,
  never the team's app. A malformed link (`?interview=`, `?Interview=…`, `?interview[]=…`,
  several values) is refused the same way.

What this cannot do: a full page load is a new Streamlit session. A new session without
`?interview=` is a team session like any other, so in an open workspace it gets the team's app;
only sign-in closes that door (see docs/deploy.md).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from workbench.config import REPO_ROOT, admins
from workbench.domain.roles import normal_identity
from workbench.services import interviews as interview_service
from workbench.services import permissions
from workbench.ui.text import markdown_text  # noqa: F401  (re-exported for its importers)

log = logging.getLogger(__name__)

INTERVIEW_PARAM = interview_service.INTERVIEW_PARAM
# Set on the first run of a session whose address carries an interview link: its token, or ""
# for a malformed link. Never removed: from then on the session is the expert's.
CONFINED_KEY = "access__interview_link"
LOGIN_ERROR_KEY = "access__login_error"
TOKEN_MAX_CHARS = 200
# The addresses of the team's pages (`/charter`, …): a page shown instead of the team's app is
# registered under each of them too, so such an address opens it without a "Page not found".
TEAM_URL_PATHS = tuple(sorted(path.stem for path in (REPO_ROOT / "pages" / "team").glob("*.py")))
NOT_VALID = "This link is not valid."
ASK_FOR_A_NEW_LINK = "Ask the person who sent it to you for a new link."
OPEN_WORKSPACE = (
    "Open workspace: no sign-in is configured, so anyone who can reach this server can open "
    "and change every project."
)


# --- sign-in ---------------------------------------------------------------------------------


def auth_configured() -> bool:
    """Whether an OpenID Connect provider is configured for `st.login` (secrets `[auth]`)."""
    try:
        return "auth" in st.secrets
    except (FileNotFoundError, st.errors.StreamlitSecretNotFoundError):
        return False
    except Exception:  # a secrets file that does not parse: sign-in cannot work, refuse all
        log.exception("the secrets file cannot be read; every page needs sign-in until it can")
        return True


def signed_in_name() -> str:
    """The signed-in user's name (else e-mail, else subject) when signed in, else ''."""
    try:
        user = st.user.to_dict()
    except Exception:  # st.user outside a session, or a provider's odd claims
        return ""
    if user.get("is_logged_in") is not True:
        return ""
    for claim in ("name", "email", "preferred_username", "sub"):
        value = user.get(claim)
        if isinstance(value, str) and value.strip():
            return value.strip()[:200]
    return "signed-in user"


def signed_in_identity() -> str:
    """Who the signed-in user is for roles: their e-mail, lower-cased, else the provider's
    subject; '' when nobody is signed in."""
    try:
        user = st.user.to_dict()
    except Exception:
        return ""
    if user.get("is_logged_in") is not True:
        return ""
    for claim in ("email", "sub"):
        value = user.get(claim)
        if isinstance(value, str) and value.strip():
            return normal_identity(value)[:200]
    return ""


def workspace_admins() -> frozenset[str]:
    """`WORKBENCH_ADMINS` and `[workbench] admins = [...]` in the secrets, lower-cased."""
    found = set(admins())
    try:
        listed = st.secrets.get("workbench", {}).get("admins", [])
    except Exception:  # no secrets file, or one that does not parse (sign-in then refuses all)
        listed = []
    if isinstance(listed, str):
        listed = listed.split(",")
    found.update(normal_identity(str(name)) for name in listed if str(name).strip())
    return frozenset(found)


def acting_person() -> permissions.Acting | None:
    """Who the current Streamlit session acts for, for the roles check at every save: the
    signed-in identity when sign-in is configured; None (roles not enforced) in an open
    workspace, in an expert's interview session (their link is their permission) and outside
    a Streamlit session."""
    if get_script_run_ctx(suppress_warning=True) is None:
        return None
    try:
        if CONFINED_KEY in st.session_state or not auth_configured():
            return None
    except Exception:
        return None
    identity = signed_in_identity()
    return permissions.Acting(
        identity=identity, admin=bool(identity) and identity in workspace_admins()
    )


# Every save in this process asks the signed-in user of its Streamlit session.
permissions.use_identity_from(acting_person)


def signed_in() -> bool:
    """Whether sign-in is configured and this session's user is signed in."""
    return auth_configured() and bool(signed_in_name())


def _log_in() -> None:
    try:
        st.login()
    except Exception:
        log.exception("st.login failed")
        st.session_state[LOGIN_ERROR_KEY] = (
            "Sign-in is not set up correctly on this server, so nobody can log in right now. "
            "Tell the workbench's administrator (the server log says what is wrong)."
        )


def log_out() -> None:
    st.logout()


def _sign_in_page() -> None:
    st.title("Scoping Workbench")
    st.write("Log in to open the workspace.")
    st.button("Log in", on_click=_log_in, type="primary", icon=":material/login:")
    problem = st.session_state.pop(LOGIN_ERROR_KEY, None)
    if problem:
        st.error(problem, icon=":material/error:")


def require_sign_in() -> None:
    """When sign-in is configured and nobody is signed in: the sign-in page, and stop."""
    if auth_configured() and not signed_in_name():
        show_only(_sign_in_page, "Log in")


# --- the expert's session --------------------------------------------------------------------


def link_in_url() -> tuple[bool, str]:
    """(whether this run's URL carries an interview link at all, its token if well-formed else
    ''). Any parameter whose name mentions "interview" counts, so a look-alike never falls
    through to the team's app."""
    names = [name for name in st.query_params if "interview" in name.lower()]
    if not names:
        return False, ""
    if names != [INTERVIEW_PARAM]:
        return True, ""
    values = st.query_params.get_all(INTERVIEW_PARAM)
    if len(values) != 1:
        return True, ""
    token = values[0]
    if not token or token != token.strip() or len(token) > TOKEN_MAX_CHARS:
        return True, ""
    return True, token


def interview_session() -> str | None:
    """None for a team session; else the token this session arrived with (its form is all it
    gets). A malformed link is refused here (the run stops)."""
    state = st.session_state
    if CONFINED_KEY not in state:
        linked, token = link_in_url()
        if not linked:
            return None
        state[CONFINED_KEY] = token
    token = str(state[CONFINED_KEY])
    if not token:
        refuse_link()
    # Keep the expert's own link in the address bar (a refresh opens the form again) and drop
    # anything else a run asked for (?project=, another page's parameters).
    if dict(st.query_params.to_dict()) != {INTERVIEW_PARAM: token}:
        st.query_params.from_dict({INTERVIEW_PARAM: token})
    return token


def session_interview_token() -> str:
    """The token of this expert session's link ('' outside an expert session)."""
    return str(st.session_state.get(CONFINED_KEY, ""))


def _refusal_page() -> None:
    st.title(NOT_VALID)
    st.caption(ASK_FOR_A_NEW_LINK)


def refuse_link() -> None:
    """A plain refusal (the same words as a wrong or expired link), and stop."""
    show_only(_refusal_page, "Interview")


def open_workspace_warning() -> None:
    """On the interviews page: in an open workspace, a link does not make the server private."""
    if auth_configured():
        return
    st.warning(
        "This workspace is open: no sign-in is configured, so anyone who can reach this server "
        "can open every project and change it. The private link keeps the expert's own browser "
        "tab inside their form, but someone who opens the server's address without it gets the "
        "whole workspace. Configure sign-in before sending links outside your network "
        "(docs/deploy.md).",
        icon=":material/lock_open:",
    )


# --- plain pages -----------------------------------------------------------------------------


def everywhere(page: str | Callable[[], None], title: str) -> list:
    """`page` as the only page there is: the default one, and under every team page's address."""
    return [
        st.Page(page, title=title, default=True),
        *(st.Page(page, title=title, url_path=path) for path in TEAM_URL_PATHS),
    ]


def show_only(render: Callable[[], None], title: str) -> None:
    """Make `render` the session's only page (no sidebar, no navigation) for this run, and stop."""
    st.navigation(everywhere(render, title), position="hidden").run()
    st.stop()
