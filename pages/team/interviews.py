"""SME interviews: send an expert a private form link, read the answers, turn them into work."""

import streamlit as st

from workbench.reference.interviews import InvalidInterviewTemplate, default_templates
from workbench.services import interviews as interview_service
from workbench.ui.common import engine, now, require_project
from workbench.ui.interviews_answers import answers_and_coverage, choose_answer, convert_form
from workbench.ui.interviews_links import interviews_table, link_actions, new_interview, show_link

detail = require_project()
project = detail.project
pid = project.id
try:
    templates = default_templates()
except InvalidInterviewTemplate as error:
    st.error("An interview template cannot be used; fix the file and restart the app.")
    st.text(str(error))
    st.stop()

st.title("SME interviews")
st.caption(
    "Ask the people who do the work today to teach you how they do it (Wilson ch. 3.1.1). "
    "Each expert gets a private link that opens only their form."
)
st.text(project.name)
show_link(pid, "create")

interviews = interview_service.list_interviews(engine(), pid, now=now())
new_interview(pid, templates, interviews)

st.subheader("Interviews")
if not interviews:
    st.info("No interviews yet. Create one above and send the expert their link.")
else:
    interviews_table(interviews)
    by_id = {i.id: i for i in interviews}
    chosen_id = st.selectbox(
        "Interview",
        options=list(by_id),
        format_func=lambda iid: f"{by_id[iid].label} · {by_id[iid].status.value}",
        key=f"interviews_{pid}_manage_choice",
    )
    link_actions(pid, by_id[chosen_id])

st.subheader("Answers side by side")
include_drafts = st.toggle(
    "Include drafts (answers not submitted yet)",
    key=f"interviews_{pid}_drafts",
    help="By default only submitted answers count.",
)
answers_and_coverage(pid, include_drafts)

st.subheader("Turn an answer into…")
answers = interview_service.list_answers(engine(), pid, include_drafts=include_drafts)
if not answers:
    st.caption("Answers appear here once an expert submits the form.")
    st.stop()
answer = choose_answer(pid, answers)
convert_form(pid, project.version, answer)
