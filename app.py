"""Scoping Workbench — the entrypoint: page router and the frame every page shares."""

import streamlit as st

from workbench.ui.common import render_sidebar

st.set_page_config(page_title="Scoping Workbench", page_icon=":material/explore:", layout="wide")

PAGES = {
    "Portfolio": [
        st.Page("pages/portfolio.py", title="Portfolio", icon=":material/dashboard:", default=True),
    ],
    "Project": [
        st.Page("pages/charter.py", title="Charter", icon=":material/description:"),
        st.Page("pages/assessment.py", title="Should we use ML?", icon=":material/rule:"),
        st.Page("pages/estimates.py", title="Cost & value", icon=":material/calculate:"),
        st.Page("pages/risks.py", title="Risks", icon=":material/warning:"),
        st.Page("pages/experiments.py", title="Experiments", icon=":material/science:"),
        st.Page("pages/parking_lot.py", title="Parking lot", icon=":material/local_parking:"),
        st.Page("pages/interviews.py", title="SME interviews", icon=":material/record_voice_over:"),
        st.Page("pages/demos.py", title="Demo plan", icon=":material/co_present:"),
    ],
    "Share": [
        st.Page("pages/report.py", title="Scoping report", icon=":material/summarize:"),
    ],
}

if st.query_params.get("interview"):
    # An expert's private link: only their form — no sidebar, no navigation, no project picker.
    st.navigation(
        [st.Page("pages/interview_form.py", title="Interview", default=True)], position="hidden"
    ).run()
else:
    navigation = st.navigation(PAGES)
    render_sidebar()
    navigation.run()
