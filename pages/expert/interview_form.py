"""The expert's interview form, reached only through a private link (`?interview=TOKEN`).

It shows that interview and nothing else: the expert's name, the project's name, the questions
and the expert's own answers. Answers are saved as a draft as the expert goes, so a refresh or
a later visit with the same link shows them again; after submitting, the form is read-only.
A refused save or submit keeps every word the expert typed; a double submit sends once.
"""

import streamlit as st

from workbench.services import interviews as interview_service
from workbench.ui.access import session_interview_token
from workbench.ui.forms import FORM_ERROR
from workbench.ui.interviews_expert import (
    HIDE_SIDEBAR,
    draft_error,
    draft_status,
    expert_form,
    form_name,
    open_form,
    plain,
    read_only,
    save_draft,
    show_unsent,
    submitter,
)

# The token this session arrived with (app.py keeps it for the session's whole life).
TOKEN = session_interview_token()
NAME = form_name(TOKEN)

st.set_page_config(page_title="Interview", layout="centered")
st.markdown(HIDE_SIDEBAR, unsafe_allow_html=True)

try:
    interview = open_form(TOKEN)
except interview_service.LinkNotValid as error:
    st.title(str(error))
    st.caption("Ask the person who sent it to you for a new link.")
    show_unsent(expert_form(NAME))
    st.stop()

form = expert_form(NAME, interview)
question_ids = [q.id for q in interview.questions]
st.title("Teach us how you do it now")
st.caption(f"SME interview for the project **{plain(interview.project_name)}**")

if interview.read_only:
    read_only(form, interview)
    st.stop()

st.markdown(
    f"Hello {plain(interview.expert_name)}. The team planning **{plain(interview.project_name)}** "
    "would like to learn how this work is done today, from you. Please teach us how you do it "
    "now, as you would teach a new colleague: a real, recent example helps most, and rough "
    "numbers are fine. There are no wrong answers, and you can skip a question you cannot answer."
)
expiry = f" This link works until {interview.expires_at:%Y-%m-%d}." if interview.expires_at else ""
st.caption(
    "Each answer is saved as a draft when you click outside its box, so you can close this page "
    "and come back with the same link. The team reads your answers once you submit." + expiry
)

form.messages()
show_unsent(form)
for question in interview.questions:
    st.text_area(
        plain(form.labels[question.id]),
        key=form.key(question.id),
        help=plain(question.help) if question.help else None,
        height=130,
        max_chars=interview_service.ANSWER_MAX,
        on_change=save_draft,
        args=(form, TOKEN, [question.id]),
    )
    form.error(question.id)
    draft_error(form, question.id)
draft_error(form, FORM_ERROR)

left, right = st.columns([1, 3], vertical_alignment="center")
left.button(
    "Save draft", icon=":material/save:", on_click=save_draft, args=(form, TOKEN, question_ids)
)
right.caption(draft_status(form, interview))

st.divider()
st.subheader("Done?")
st.checkbox(
    "I have finished: send my answers to the team. I cannot change them afterwards "
    "unless the team reopens the form.",
    key=form.key("ready"),
)
form.button(
    "Submit answers",
    submitter(TOKEN, question_ids),
    success="",
    type="primary",
    disabled=not form.value("ready"),
    icon=":material/send:",
)
