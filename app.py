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
    ],
}

navigation = st.navigation(PAGES)
render_sidebar()
navigation.run()
