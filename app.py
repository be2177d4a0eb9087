"""Scoping Workbench — the entrypoint: page router and the frame every page shares."""

import streamlit as st

from workbench.ui.common import check_clock, render_sidebar, run_page

st.set_page_config(page_title="Scoping Workbench", page_icon=":material/explore:", layout="wide")

PAGES = {
    "Portfolio": [
        st.Page(
            "pages/team/portfolio.py", title="Portfolio", icon=":material/dashboard:", default=True
        ),
    ],
    "Project": [
        st.Page("pages/team/charter.py", title="Charter", icon=":material/description:"),
        st.Page("pages/team/assessment.py", title="Should we use ML?", icon=":material/rule:"),
        st.Page("pages/team/estimates.py", title="Cost & value", icon=":material/calculate:"),
        st.Page("pages/team/risks.py", title="Risks", icon=":material/warning:"),
        st.Page("pages/team/experiments.py", title="Experiments", icon=":material/science:"),
        st.Page("pages/team/parking_lot.py", title="Parking lot", icon=":material/local_parking:"),
        st.Page(
            "pages/team/interviews.py", title="SME interviews", icon=":material/record_voice_over:"
        ),
        st.Page("pages/team/demos.py", title="Demo plan", icon=":material/co_present:"),
    ],
    "Share": [
        st.Page("pages/team/report.py", title="Scoping report", icon=":material/summarize:"),
    ],
}

check_clock()

if st.query_params.get("interview"):
    # An expert's private link: only their form — no sidebar, no navigation, no project picker.
    run_page(
        st.navigation(
            [st.Page("pages/expert/interview_form.py", title="Interview", default=True)],
            position="hidden",
        )
    )
else:
    navigation = st.navigation(PAGES)
    render_sidebar()
    run_page(navigation)
