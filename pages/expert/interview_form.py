"""The expert's interview form, reached only through a private link (`?interview=TOKEN`).

It shows that interview and nothing else: the expert's name, the project's name, the questions
and the expert's own answers. Answers are saved as a draft as the expert goes, so a refresh or
a later visit with the same link shows them again; after submitting, the form is read-only.
"""

import re

import streamlit as st

from workbench.errors import InvalidInput
from workbench.services import interviews as interview_service
from workbench.ui.common import engine, now

TOKEN = str(st.query_params.get(interview_service.INTERVIEW_PARAM, ""))
PREFIX = f"sme_{interview_service.token_hash(TOKEN)[:12]}"
ERRORS_KEY, NOTICE_KEY, SAVED_KEY = f"{PREFIX}__errors", f"{PREFIX}__notice", f"{PREFIX}__saved"
HIDE_SIDEBAR = (
    "<style>[data-testid='stSidebar'], [data-testid='stSidebarCollapsedControl'],"
    " [data-testid='stSidebarNav'] {display: none !important;}</style>"
)

st.set_page_config(page_title="Interview", layout="centered")
st.markdown(HIDE_SIDEBAR, unsafe_allow_html=True)


def plain(text: str) -> str:
    """Show people's words as they typed them, not as Markdown."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|<>~$])", r"\\\1", text).replace("\n", "  \n")


try:
    form = interview_service.open_interview_by_token(engine(), TOKEN, now())
except interview_service.LinkNotValid as error:
    st.title(str(error))
    st.caption("Ask the person who sent it to you for a new link.")
    st.stop()


def key(question_id: str) -> str:
    """The widget key of one answer box."""
    return f"{PREFIX}_{question_id}"


def keep(result: Exception | None, saved: bool) -> None:
    """Remember what happened for the rerun: errors by question, a notice, when it was saved."""
    st.session_state[ERRORS_KEY] = result.errors if isinstance(result, InvalidInput) else {}
    if result is not None and not isinstance(result, InvalidInput):
        st.session_state[NOTICE_KEY] = str(result)
    if saved:
        st.session_state[SAVED_KEY] = now()


def save(question_ids: list[str]) -> None:
    """Save these answers as a draft (called when a box loses focus, or by the button)."""
    answers = {qid: st.session_state.get(key(qid), "") for qid in question_ids}
    try:
        interview_service.save_draft(engine(), TOKEN, answers, now())
    except (InvalidInput, interview_service.LinkNotValid, interview_service.FormIsReadOnly) as e:
        keep(e, saved=False)
    else:
        keep(None, saved=True)


def send() -> None:
    """Submit every answer; the form becomes read-only."""
    answers = {q.id: st.session_state.get(key(q.id), "") for q in form.questions}
    try:
        interview_service.submit(engine(), TOKEN, answers, now())
    except (InvalidInput, interview_service.LinkNotValid, interview_service.FormIsReadOnly) as e:
        keep(e, saved=False)
    else:
        keep(None, saved=False)


first_name = form.expert_name.split()[0] if form.expert_name.split() else form.expert_name
st.title("Teach us how you do it now")
st.caption(f"SME interview for the project **{plain(form.project_name)}**")
notice = st.session_state.pop(NOTICE_KEY, None)
if notice:
    st.error(notice)

if form.read_only:
    when = f" on {form.submitted_at:%Y-%m-%d}" if form.submitted_at else ""
    st.success(
        f"Thank you, {plain(first_name)}! Your answers were sent to the team{when}. "
        "They are shown below; to change something, ask the team to reopen the form.",
        icon=":material/check_circle:",
    )
    for number, question in enumerate(form.questions, start=1):
        with st.container(border=True):
            st.markdown(f"**{number}. {plain(question.text)}**")
            answer = form.answers.get(question.id, "")
            st.markdown(plain(answer) if answer else ":gray[(no answer)]")
    st.stop()

st.markdown(
    f"Hello {plain(form.expert_name)}. The team planning **{plain(form.project_name)}** would "
    "like to learn how this work is done today, from you. Please teach us how you do it now, as "
    "you would teach a new colleague: a real, recent example helps most, and rough numbers are "
    "fine. There are no wrong answers, and you can skip a question you cannot answer."
)
expiry = f" This link works until {form.expires_at:%Y-%m-%d}." if form.expires_at else ""
st.caption(
    "Each answer is saved as a draft when you click outside its box, so you can close this page "
    "and come back with the same link. The team reads your answers once you submit." + expiry
)

for question_id, text in form.answers.items():
    st.session_state.setdefault(key(question_id), text)
errors = st.session_state.get(ERRORS_KEY, {})
for number, question in enumerate(form.questions, start=1):
    st.text_area(
        f"{number}. {question.text}",
        key=key(question.id),
        help=question.help or None,
        height=130,
        max_chars=interview_service.ANSWER_MAX,
        on_change=save,
        args=([question.id],),
    )
    if question.id in errors:
        st.markdown(f":red[{plain(errors[question.id])}]")
if "form" in errors:
    st.markdown(f":red[{plain(errors['form'])}]")

saved_at = st.session_state.get(SAVED_KEY)
left, right = st.columns([1, 3], vertical_alignment="center")
left.button(
    "Save draft",
    icon=":material/save:",
    on_click=save,
    args=([q.id for q in form.questions],),
)
if saved_at is not None:
    right.caption(f"Draft saved at {saved_at:%H:%M} UTC.")
elif form.answers:
    right.caption("Your earlier answers are loaded from your saved draft.")

st.divider()
st.subheader("Done?")
ready = st.checkbox(
    "I have finished: send my answers to the team. I cannot change them afterwards "
    "unless the team reopens the form."
)
st.button(
    "Submit answers", type="primary", disabled=not ready, icon=":material/send:", on_click=send
)
