"""Scoping Workbench — the entrypoint: who may see what, the page router and the frame every
page shares."""

from pathlib import Path

import streamlit as st

from workbench.ui.access import everywhere, interview_session, require_sign_in
from workbench.ui.common import check_clock, render_sidebar, require_database, run_page

# The favicon is served with the app: a ":material/…:" page icon is fetched from a font service.
ICON = str(Path(__file__).resolve().parent / "static" / "icon.png")
st.set_page_config(page_title="Scoping Workbench", page_icon=ICON, layout="wide")

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

if interview_session() is not None:
    # A session that came through an expert's private link, now or on any earlier run: only
    # their form — no sidebar, no navigation, no project picker, whatever this run asks for.
    require_database(show_url=False)
    run_page(
        st.navigation(everywhere("pages/expert/interview_form.py", "Interview"), position="hidden")
    )
else:
    require_sign_in()  # when sign-in is configured: nothing but a "Log in" page until then
    require_database(show_url=True)
    run_page(st.navigation(PAGES), before=render_sidebar)
