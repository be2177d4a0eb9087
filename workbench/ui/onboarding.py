"""What a newcomer sees in an empty workspace: what the workbench is for, and the next step."""

from __future__ import annotations

import streamlit as st

from workbench.demo_data import seed_demo_data
from workbench.ui.common import engine, today
from workbench.ui.forms import Form

STEPS = [
    ("Charter", "what the business needs and why now, how it is done today, the baseline to beat"),
    ("Should we use ML?", "a questionnaire several people answer; a verdict that explains itself"),
    ("Cost & value", "documented estimates with ranges; the value of better predictions"),
    ("Experiments", "time-boxed candidate approaches that force a decision, then a Go/No-Go"),
    ("SME interviews", "a private link an expert answers from; answers feed the charter and risks"),
    ("Demo plan", "a demo for every feature; feedback captured"),
    ("Scoping report", "one click: Markdown, HTML or Word for the sponsor"),
]


def render_welcome(*, empty: bool) -> None:
    """In an empty workspace: the method in seven steps, and two ways to start."""
    starter = Form("onboarding")
    if not empty:
        starter.messages()  # "Added 3 demo projects", once, after the click
        return
    with st.container(border=True):
        st.subheader("Welcome to the Scoping Workbench", anchor=False)
        st.markdown(
            "Plan a machine-learning project with your whole team — PM, ML engineers, sponsor, "
            "subject-matter experts — and keep every decision. Agree on **what** and **why** "
            "before **how**; try the simplest thing that could work; time-box experiments; "
            "demo every feature. The workbench remembers, computes and enforces it:"
        )
        steps = (f"{n}. **{page}** — {what}" for n, (page, what) in enumerate(STEPS, 1))
        st.markdown("\n".join(steps))
        st.markdown(
            "**Start here:** create your first project just below (a name is enough), or look "
            "around a worked example first."
        )
        starter.messages()
        starter.button(
            "Add three demo projects",
            lambda _: seed_demo_data(engine(), today=today()),
            success=lambda added: f"Added {added} demo projects: open one from the table below.",
            icon=":material/auto_awesome:",
            help="Taxi ride-time anomalies, purchase recommendations and energy price anomalies, "
            "with a full workspace on the first.",
        )
