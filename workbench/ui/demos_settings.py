"""The Plan settings tab of the Demo plan page: start, model testing, holidays, audiences."""

from __future__ import annotations

import streamlit as st

from workbench.services import demos as demo_service
from workbench.services.demos import DemoPlanView
from workbench.ui.common import actor, engine, today
from workbench.ui.forms import Form

LABELS = {
    "start_date": "Start of model testing *",
    "model_testing_days": "Model testing (working days) *",
    "max_undemoed_days": "Longest gap without a demo (working days)",
    "holidays": "Holidays (one date per line, YYYY-MM-DD)",
    "light_audience": "Audience of light demos",
    "big_audience": "Audience of big demos",
}
# Changing these re-plans: builds and demos move to new dates.
DATE_FIELDS = ("start_date", "model_testing_days", "holidays")


def settings_form(view: DemoPlanView) -> None:
    """The settings form, at the version the user saw (or "none yet"); once a schedule exists,
    saving re-plans it, so the click asks first."""
    pid = view.project_id
    settings = view.settings
    initial = {
        "start_date": settings.start_date if settings else today(),
        "model_testing_days": settings.model_testing_days
        if settings
        else demo_service.DEFAULT_MODEL_TESTING_DAYS,
        "max_undemoed_days": settings.max_undemoed_days
        if settings
        else demo_service.DEFAULT_MAX_UNDEMOED_DAYS,
        "holidays": "\n".join(h.isoformat() for h in settings.holidays) if settings else "",
        "light_audience": settings.light_audience if settings else "",
        "big_audience": settings.big_audience if settings else "",
    }
    form = Form(
        f"demo_settings_{pid}",
        version=settings.version if settings else demo_service.NO_SETTINGS_VERSION,
        initial=initial,
        labels=LABELS,
    )

    def save(form: Form):
        # A first save sends every field; later ones only what this user changed.
        data = form.changes() if form.version else form.values()
        return demo_service.save_plan_settings(
            engine(), project_id=pid, expected_version=form.version, data=data, actor=actor()
        )

    def question(form: Form) -> str:
        moving = [LABELS[f].rstrip(" *") for f in DATE_FIELDS if f in form.changes()]
        if not moving:
            return "Save the plan settings? No build or demo changes its date."
        return (
            f"Save the plan settings and re-plan? You changed: {', '.join(moving)}. Builds and "
            "demos move to new dates; the accepted baseline stays, so you will see what moved."
        )

    with form.render():
        first = st.columns(3)
        with first[0]:
            st.date_input(
                LABELS["start_date"],
                key=form.key("start_date"),
                help="A weekend day or holiday moves to the next working day.",
            )
            form.error("start_date")
        with first[1]:
            st.number_input(
                LABELS["model_testing_days"],
                min_value=1,
                max_value=250,
                step=1,
                key=form.key("model_testing_days"),
                help="Testing the candidate model before the first (big) review demo.",
            )
            form.error("model_testing_days")
        with first[2]:
            st.number_input(
                LABELS["max_undemoed_days"],
                min_value=0,
                max_value=250,
                step=1,
                key=form.key("max_undemoed_days"),
                help="A feature being built or shown goes this long at most without a demo.",
            )
            form.error("max_undemoed_days")
        st.text_area(
            LABELS["holidays"],
            key=form.key("holidays"),
            height=100,
            help="Days nobody works besides weekends; the schedule skips them.",
        )
        form.error("holidays")
        second = st.columns(2)
        with second[0]:
            st.text_input(
                LABELS["light_audience"],
                key=form.key("light_audience"),
                help="Names separated by commas; each feature's SMEs are added.",
            )
            form.error("light_audience")
        with second[1]:
            st.text_input(
                LABELS["big_audience"],
                key=form.key("big_audience"),
                help="Sponsor, stakeholders…; the SMEs of every feature shown are added.",
            )
            form.error("big_audience")
        form.submit_button(
            "Save settings and generate the schedule",
            save,
            # Without a schedule nothing can move: no question then.
            confirm=question if settings is not None else None,
            success="Plan settings saved; the schedule is generated from them.",
            type="primary",
        )
