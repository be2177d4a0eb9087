"""The expert's interview form (reached only through a private link): drafts saved as the expert
goes, one submit, and nothing the expert typed is lost when a save or a submit is refused.

Nothing here names the project's team or shows any navigation."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from workbench import db
from workbench.errors import InvalidInput, StaleEditError
from workbench.services import interviews as interview_service
from workbench.services.interviews import ExpertForm, FormIsReadOnly, LinkNotValid
from workbench.ui.common import engine, now
from workbench.ui.forms import FORM_ERROR, Form, unexpected_error_message
from workbench.ui.text import alert_text, markdown_block

HIDE_SIDEBAR = (
    "<style>[data-testid='stSidebar'], [data-testid='stSidebarCollapsedControl'],"
    " [data-testid='stSidebarNav'] {display: none !important;}</style>"
)
CROSSED = (
    "Not saved: this form changed at the same moment (another window, or the team). "
    "Your answers are still here; please try again."
)
REFUSED = (LinkNotValid, FormIsReadOnly)


def plain(text: str) -> str:
    """Show people's words as they typed them, not as Markdown."""
    return markdown_block(text)


def form_name(token: str) -> str:
    return f"sme_{interview_service.token_hash(token)[:12]}"


def expert_form(name: str, interview: ExpertForm | None = None) -> Form:
    """The expert's form: one text box per question (pinned from the saved draft) and 'ready'."""
    if interview is None:
        return Form(name)
    return Form(
        name,
        initial={
            **{q.id: interview.answers.get(q.id, "") for q in interview.questions},
            "ready": False,
        },
        labels={
            q.id: f"{number}. {q.text}" for number, q in enumerate(interview.questions, start=1)
        },
    )


def open_form(token: str) -> ExpertForm:
    """The expert's form for `token` (LinkNotValid for a wrong, expired or revoked link)."""
    return interview_service.open_interview_by_token(engine(), token, now())


def _keep_unsent(form: Form, question_ids: Sequence[str]) -> None:
    """Keep what the expert typed where a refusal cannot clear it (shown by `show_unsent`)."""
    st.session_state[f"{form.name}__unsent"] = [
        (form.labels.get(qid, qid), form.value(qid) or "") for qid in question_ids
    ]


def show_unsent(form: Form) -> None:
    """The expert's own words that were not stored, to copy (plain text)."""
    unsent = [(label, text) for label, text in st.session_state.get(f"{form.name}__unsent", [])]
    if not any(text.strip() for _, text in unsent):
        return
    with st.container(border=True):
        st.markdown("**What you typed here and was not sent** — copy it if you need it:")
        for label, text in unsent:
            if text.strip():
                st.text(label)
                st.text(text)


def save_draft(form: Form, token: str, question_ids: Sequence[str]) -> None:
    """Save these answers as a draft (when a box loses focus, or by the button); the widgets
    stay as they are, so the expert keeps typing where they were. A locked database is waited
    for and tried again; any fault becomes a sentence under the form (a callback's error would
    otherwise reach the expert as a traceback)."""
    errors_key, saved_key = f"{form.name}__draft_errors", f"{form.name}__saved"
    values = form.values(question_ids)
    try:
        db.retry_when_locked(lambda: interview_service.save_draft(engine(), token, values, now()))
    except InvalidInput as error:
        st.session_state[errors_key] = dict(error.errors)
    except REFUSED as error:
        _keep_unsent(form, list(form.labels))
        st.session_state[errors_key] = {FORM_ERROR: f"Not saved. {error}"}
    except StaleEditError:
        st.session_state[errors_key] = {FORM_ERROR: CROSSED}
    except Exception as error:
        st.session_state[errors_key] = {FORM_ERROR: unexpected_error_message(error)}
    else:
        st.session_state[errors_key] = {}
        st.session_state[saved_key] = now()


def draft_error(form: Form, field: str) -> None:
    message = st.session_state.get(f"{form.name}__draft_errors", {}).get(field)
    if message:
        st.error(alert_text(message), icon=":material/error:")


def draft_status(form: Form, interview: ExpertForm) -> str:
    saved_at = st.session_state.get(f"{form.name}__saved")
    if saved_at is not None:
        return f"Draft saved at {saved_at:%H:%M} UTC."
    return "Your earlier answers are loaded from your saved draft." if interview.answers else ""


def submitter(token: str, question_ids: Sequence[str]):
    """The submit action: every answer at once; a refusal keeps every word typed."""

    def send(form: Form) -> ExpertForm:
        values = form.values(question_ids)
        try:
            return db.retry_when_locked(
                lambda: interview_service.submit(engine(), token, values, now())
            )
        except REFUSED as error:
            _keep_unsent(form, question_ids)
            raise InvalidInput({FORM_ERROR: f"Not sent. {error}"}) from None
        except StaleEditError:
            raise InvalidInput({FORM_ERROR: CROSSED}) from None

    return send


def read_only(form: Form, interview: ExpertForm) -> None:
    """A submitted form: thanks, and the answers as sent."""
    first_name = (interview.expert_name.split() or [interview.expert_name])[0]
    when = f" on {interview.submitted_at:%Y-%m-%d}" if interview.submitted_at else ""
    st.success(
        f"Thank you, {plain(first_name)}! Your answers were sent to the team{when}. "
        "They are shown below; to change something, ask the team to reopen the form.",
        icon=":material/check_circle:",
    )
    form.messages()
    draft_error(form, FORM_ERROR)
    show_unsent(form)
    for number, question in enumerate(interview.questions, start=1):
        with st.container(border=True):
            st.markdown(f"**{number}. {plain(question.text)}**")
            answer = interview.answers.get(question.id, "")
            st.markdown(plain(answer) if answer else ":gray[(no answer)]")
