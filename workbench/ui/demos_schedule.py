"""The Schedule tab of the Demo plan page: the timeline, what moved since the accepted baseline,
upcoming demos, the whole schedule, its files, and the forms that accept it or record a slip."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from workbench.charts.demos import demo_timeline
from workbench.domain.demo_schedule import DemoType, ItemKind
from workbench.reporting.formats import file_stem
from workbench.services import demos as demo_service
from workbench.services.demos import DemoPlanView
from workbench.ui.common import actor, engine, today
from workbench.ui.demos_forms import VersionsForm
from workbench.ui.forms import Form
from workbench.ui.text import markdown_text


def weekday(day) -> str:
    """A date as people read it in a plan: Mon 09 Nov 2026."""
    return f"{day:%a %d %b %Y}"


def overview(view: DemoPlanView) -> None:
    """Counts and the timeline."""
    schedule = view.schedule
    demos = schedule.demos
    light = sum(1 for d in demos if d.demo_type is DemoType.LIGHT)
    metrics = st.columns(4)
    metrics[0].metric("Features", len(view.features))
    metrics[1].metric("Demos", len(demos), help=f"{light} light, {len(demos) - light} big")
    metrics[2].metric("Last demo", f"{schedule.end:%d %b %Y}")
    metrics[3].metric(
        "Moved since baseline",
        len(view.moved) if view.baseline else "no baseline",
        help="Items whose dates differ from the schedule as last accepted.",
    )
    st.plotly_chart(
        demo_timeline(schedule.items, today=today(), moved=view.moved),
        key="demo_timeline",
        config={"displayModeBar": False},
    )


def what_moved(view: DemoPlanView) -> None:
    """The schedule against its accepted baseline, and the button that accepts it."""
    st.subheader("What moved", help="Compared with the schedule as last accepted.")
    if not view.baseline:
        st.info(
            "No baseline yet. Accept this schedule once the team agrees to it; later slips "
            "and date changes are then shown against it."
        )
    elif view.moved or view.added or view.dropped:
        st.warning(
            f"{len(view.moved)} item(s) moved since the accepted baseline"
            + (f", {len(view.added)} new" if view.added else "")
            + (f", {len(view.dropped)} dropped" if view.dropped else "")
            + ".",
            icon=":material/update:",
        )
        if view.moved:
            st.dataframe(
                pd.DataFrame(
                    [
                        {
                            "Item": m.item.title,
                            "Baseline": f"{m.old_start:%d %b} – {m.old_end:%d %b}",
                            "Now": f"{m.new_start:%d %b} – {m.new_end:%d %b}",
                            "Start moved (working days)": m.start_shift_working_days,
                            "End moved (working days)": m.end_shift_working_days,
                        }
                        for m in view.moved
                    ]
                ),
                hide_index=True,
                width="stretch",
            )
        if view.added:
            st.text("New since the baseline: " + ", ".join(i.title for i in view.added))
        if view.dropped:
            st.text("Dropped since the baseline: " + ", ".join(i.title for i in view.dropped))
    else:
        st.success("On the accepted baseline: nothing moved.", icon=":material/check_circle:")

    pid = view.project_id
    # The version of the settings the user saw: what is accepted is the schedule they looked at.
    baseline = Form(f"demo_baseline_{pid}", version=view.settings.version)

    def accept(form: Form):
        return demo_service.accept_plan(
            engine(), project_id=pid, expected_version=form.version, actor=actor()
        )

    baseline.messages()
    baseline.button(
        "Accept the new dates as the baseline"
        if view.baseline
        else "Accept this schedule as the baseline",
        accept,
        success="Schedule accepted as the baseline.",
        icon=":material/verified:",
    )


def upcoming(view: DemoPlanView) -> None:
    st.subheader("Upcoming demos")
    if not view.upcoming:
        st.caption("No demo left in the plan: every planned demo is in the past.")
    for item in view.upcoming[:6]:
        kind = (
            ":violet-badge[big demo]"
            if item.demo_type is DemoType.BIG
            else ":green-badge[light demo]"
        )
        audience = markdown_text(", ".join(item.audience)) or "audience not set"
        st.markdown(
            f"**{weekday(item.start)}** · {kind} **{markdown_text(item.title)}** — "
            f"{markdown_text(item.shows)}  \n"
            f":gray[Audience: {audience}]"
        )


def whole_schedule(view: DemoPlanView) -> None:
    """Every build and demo, and the schedule as files (built when someone downloads them)."""
    st.subheader("The whole schedule")
    moved_by_key = {m.item.key: m for m in view.moved}
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "What": "Build" if i.kind is ItemKind.BUILD else "Demo",
                    "Title": i.title,
                    "Start": i.start,
                    "End": i.end,
                    "Demo type": i.demo_type.value if i.demo_type else "",
                    "Audience": ", ".join(i.audience),
                    "Shows": i.shows,
                    "Moved (working days)": moved_by_key[i.key].end_shift_working_days
                    if i.key in moved_by_key
                    else None,
                }
                for i in view.schedule.items
            ]
        ),
        hide_index=True,
        width="stretch",
        column_config={
            "Start": st.column_config.DateColumn(format="ddd DD MMM YYYY"),
            "End": st.column_config.DateColumn(format="ddd DD MMM YYYY"),
        },
    )
    stem = file_stem(view.project_name)
    downloads = st.container(horizontal=True)
    downloads.download_button(
        "Calendar (.ics)",
        data=lambda: demo_service.schedule_ics(view),
        file_name=f"{stem}-demos.ics",
        mime="text/calendar",
        icon=":material/calendar_month:",
        on_click="ignore",
        help="One all-day event per demo; import it into Outlook, Google or Apple Calendar.",
    )
    downloads.download_button(
        "Schedule (.csv)",
        data=lambda: demo_service.schedule_csv(view),
        file_name=f"{stem}-demo-schedule.csv",
        mime="text/csv",
        icon=":material/table:",
        on_click="ignore",
    )
    downloads.download_button(
        "Slide outline (.pptx)",
        data=lambda: demo_service.schedule_slides(view),
        file_name=f"{stem}-demo-slides.pptx",
        mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
        icon=":material/slideshow:",
        on_click="ignore",
        help="One slide per demo: the features it shows, their goals, questions to ask.",
    )


SLIP_LABELS = {
    "feature": "Feature",
    "working_days": "Working days (negative if it finished early)",
    "reason": "Why",
    "estimate_days": "Estimate (working days)",
}


def slip_form(view: DemoPlanView) -> None:
    """Record a slip on one feature, at the version of it the user saw; it re-plans, so the
    click asks first."""
    if not view.features:
        return
    pid = view.project_id
    names = {f.id: f.name for f in view.features}
    estimates = {f.id: f.estimate_days for f in view.features}
    slip = VersionsForm(
        f"demo_slip_{pid}",
        versions={f.id: f.version for f in view.features},
        initial={"feature": view.features[0].id, "working_days": 1, "reason": ""},
        labels=SLIP_LABELS,
    )

    def record(form: VersionsForm):
        feature_id = form.value("feature")
        return demo_service.record_slip(
            engine(),
            project_id=pid,
            feature_id=feature_id,
            expected_version=form.version_of(feature_id),
            working_days=form.value("working_days"),
            reason=form.value("reason") or "",
            actor=actor(),
        )

    def question(form: VersionsForm) -> str:
        days = int(form.value("working_days") or 0)
        name = names.get(form.value("feature"), "this feature")
        estimate = estimates.get(form.value("feature"))
        now = f" Its estimate becomes {estimate + days} working days, and" if estimate else ""
        return (
            f"Record that {name} {'slipped' if days >= 0 else 'came in early'} by {abs(days)} "
            f"working day(s)?{now} every later build and demo moves by the same number of "
            "working days. The accepted baseline stays, so you will see what moved."
        )

    busy = bool(slip.errors or slip.stale)
    with st.expander("Record a slip", expanded=busy, icon=":material/schedule:"):
        st.caption(
            "A feature takes longer (or less) than estimated: its estimate changes and every "
            "later build and demo moves by the same number of working days."
        )
        with slip.render():
            st.selectbox(
                SLIP_LABELS["feature"],
                options=list(names),
                format_func=lambda fid: names.get(fid, f"feature #{fid}"),
                key=slip.key("feature"),
            )
            slip.error("feature")
            st.number_input(
                SLIP_LABELS["working_days"],
                min_value=-250,
                max_value=250,
                step=1,
                key=slip.key("working_days"),
            )
            slip.error("working_days")
            st.text_input(SLIP_LABELS["reason"], key=slip.key("reason"))
            slip.error("reason")
            slip.submit_button(
                "Record slip",
                record,
                confirm=question,
                success=lambda result: (
                    f"{markdown_text(result.feature.name)} is now estimated at "
                    f"{result.feature.estimate_days} "
                    f"working days; {len(result.moved)} item(s) moved."
                ),
            )
