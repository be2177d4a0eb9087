"""Demo plan: MVP features in order, the generated demo schedule, and the demos held."""

import pandas as pd
import streamlit as st

from workbench.charts.demos import demo_timeline
from workbench.domain.demo_schedule import DemoType, ItemKind
from workbench.errors import InvalidInput, NotFound, StaleEditError
from workbench.reporting.formats import file_stem
from workbench.services import demos as demo_service
from workbench.services.demos import FEATURE_STATUSES, ActionOutcome
from workbench.ui.common import (
    actor,
    data_changed,
    engine,
    field_error,
    require_project,
    row_errors,
    show_stale,
    today,
)
from workbench.ui.forms import forget, form_errors, preload, set_form_errors

detail = require_project()
pid = detail.project.id
view = demo_service.demo_plan(engine(), pid, today=today())
feature_names = [f.name for f in view.features]
DONE_KEY = f"demos_{pid}__done"

st.title("Demo plan")
st.caption(
    f"**{view.project_name}** · Demo each feature as soon as it is available: a light demo "
    "(a few slides) per feature, big demos when features come together — model-testing review, "
    "milestones, the full MVP (Wilson, ch. 3.1.3)."
)
if DONE_KEY in st.session_state:
    st.success(st.session_state.pop(DONE_KEY))
limit = view.settings.max_undemoed_days if view.settings else demo_service.DEFAULT_MAX_UNDEMOED_DAYS
for flag in view.undemoed:
    since = (
        f"last demo {flag.last_demo_on:%a %d %b %Y}"
        if flag.last_demo_on
        else "never demoed since work started"
    )
    st.warning(
        f"**{flag.feature}** has gone {flag.working_days_since} working days without a demo "
        f"({since}; the limit is {limit}). "
        "Show it to its SMEs soon.",
        icon=":material/visibility_off:",
    )


def finish(message: str, *keys: str) -> None:
    """After a successful write: drop the form's widget values, show `message`, rerun."""
    forget(keys)
    data_changed()
    st.session_state[DONE_KEY] = message
    st.rerun()


def weekday(day) -> str:
    """A date as people read it in a plan: Mon 09 Nov 2026."""
    return f"{day:%a %d %b %Y}"


# Keyed and tracked, so the tab someone works in stays open across the rerun after a save.
schedule_tab, features_tab, settings_tab, record_tab, held_tab = st.tabs(
    ["Schedule", "Features", "Plan settings", "Record a demo", "Demos held"],
    key=f"demos_tab_{pid}",
    on_change="rerun",
)

# --- Schedule -----------------------------------------------------------------------------

with schedule_tab:
    schedule = view.schedule
    if schedule is None:
        st.info(
            "No schedule yet. List the MVP features in build order (Features), then save the "
            "plan settings — start date and days of model testing — to generate it.",
            icon=":material/event_note:",
        )
    else:
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

        st.subheader("What moved", help="Compared with the schedule as last accepted.")
        baseline_form = f"demo_baseline_{pid}"
        baseline_errors = form_errors(baseline_form)
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
                st.caption("New since the baseline: " + ", ".join(i.title for i in view.added))
            if view.dropped:
                st.caption(
                    "Dropped since the baseline: " + ", ".join(i.title for i in view.dropped)
                )
        else:
            st.success("On the accepted baseline: nothing moved.", icon=":material/check_circle:")
        field_error(baseline_errors, "baseline")
        field_error(baseline_errors, "actor")
        label = (
            "Accept the new dates as the baseline"
            if view.baseline
            else "Accept this schedule as the baseline"
        )
        if st.button(label, key=f"{baseline_form}_accept", icon=":material/verified:"):
            try:
                demo_service.accept_plan(
                    engine(), project_id=pid, expected_version=view.settings.version, actor=actor()
                )
            except InvalidInput as error:
                set_form_errors(baseline_form, error.errors)
                st.rerun()
            except StaleEditError:
                set_form_errors(
                    baseline_form,
                    {"baseline": "The settings changed meanwhile; look at the schedule again."},
                )
                st.rerun()
            set_form_errors(baseline_form, None)
            finish("Schedule accepted as the baseline.")

        st.subheader("Upcoming demos")
        if view.upcoming:
            for item in view.upcoming[:6]:
                kind = (
                    ":violet-badge[big demo]"
                    if item.demo_type is DemoType.BIG
                    else ":green-badge[light demo]"
                )
                audience = ", ".join(item.audience) or "audience not set"
                st.markdown(
                    f"**{weekday(item.start)}** · {kind} **{item.title}** — {item.shows}  \n"
                    f":gray[Audience: {audience}]"
                )
        else:
            st.caption("No demo left in the plan: every planned demo is in the past.")

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
                    for i in schedule.items
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
        # Files are built when someone downloads them, not on every rerun.
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

        slip_form = f"demo_slip_{pid}"
        slip_errors = form_errors(slip_form)
        with st.expander("Record a slip", expanded=bool(slip_errors), icon=":material/schedule:"):
            st.caption(
                "A feature takes longer (or less) than estimated: its estimate changes and every "
                "later build and demo moves by the same number of working days."
            )
            with st.form(slip_form):
                slip_feature = st.selectbox(
                    "Feature",
                    options=[f.id for f in view.features],
                    format_func=lambda fid: next(f.name for f in view.features if f.id == fid),
                    key=f"{slip_form}_feature",
                )
                slip_days = st.number_input(
                    "Working days (negative if it finished early)",
                    min_value=-250,
                    max_value=250,
                    value=1,
                    step=1,
                    key=f"{slip_form}_days",
                )
                field_error(slip_errors, "working_days")
                slip_reason = st.text_input("Why", key=f"{slip_form}_reason")
                field_error(slip_errors, "reason")
                field_error(slip_errors, "actor")
                record_slip = st.form_submit_button("Record slip")
            if record_slip and slip_feature is not None:
                try:
                    result = demo_service.record_slip(
                        engine(),
                        project_id=pid,
                        feature_id=slip_feature,
                        working_days=slip_days,
                        reason=slip_reason,
                        actor=actor(),
                    )
                except (InvalidInput, NotFound) as error:
                    messages = getattr(error, "errors", {"working_days": str(error)})
                    set_form_errors(slip_form, messages)
                    st.rerun()
                set_form_errors(slip_form, None)
                finish(
                    f"{result.feature.name} is now estimated at {result.feature.estimate_days} "
                    f"working days; {len(result.moved)} item(s) moved.",
                    f"{slip_form}_days",
                    f"{slip_form}_reason",
                )

# --- Features -------------------------------------------------------------------------------

FEATURES_FORM = f"demo_features_{pid}"
SNAPSHOT_KEY = f"{FEATURES_FORM}__loaded"
EDITOR_KEY = f"{FEATURES_FORM}_table"
STALE_KEY = f"{FEATURES_FORM}__stale"
FEATURE_COLUMNS = [
    "id",
    "order",
    "name",
    "estimate_days",
    "owner",
    "status",
    "smes",
    "milestone",
    "description",
]


def reload_features() -> None:
    """Load the features table afresh from the database on the next run."""
    forget([SNAPSHOT_KEY, EDITOR_KEY, STALE_KEY])
    set_form_errors(FEATURES_FORM, None)


with features_tab:
    add_form = f"demo_add_feature_{pid}"
    add_errors = form_errors(add_form)
    add_keys = {
        field: f"{add_form}_{field}"
        for field in ("name", "estimate_days", "owner", "smes", "milestone", "description")
    }
    with st.expander(
        "Add a feature", expanded=not view.features or bool(add_errors), icon=":material/add:"
    ):
        with st.form(add_form):
            top = st.columns([3, 1, 2])
            with top[0]:
                st.text_input("Feature name *", key=add_keys["name"])
                field_error(add_errors, "name")
            with top[1]:
                st.number_input(
                    "Estimate (working days) *",
                    min_value=1,
                    max_value=250,
                    value=5,
                    step=1,
                    key=add_keys["estimate_days"],
                )
                field_error(add_errors, "estimate_days")
            with top[2]:
                st.text_input("Owner", key=add_keys["owner"])
                field_error(add_errors, "owner")
            st.text_input(
                "SMEs who should see it",
                key=add_keys["smes"],
                help="Names separated by commas; they are invited to its demo.",
            )
            field_error(add_errors, "smes")
            st.text_area("What it does (its goal)", key=add_keys["description"], height=68)
            field_error(add_errors, "description")
            st.checkbox(
                "Milestone: a big demo after this feature",
                key=add_keys["milestone"],
                help="Features coming together deserve a bigger demo to a wider audience.",
            )
            field_error(add_errors, "actor")
            add = st.form_submit_button("Add feature", type="primary")
        if add:
            try:
                created = demo_service.create_feature(
                    engine(),
                    project_id=pid,
                    data={field: st.session_state.get(key) for field, key in add_keys.items()},
                    actor=actor(),
                )
            except InvalidInput as error:
                set_form_errors(add_form, error.errors)
                st.rerun()
            set_form_errors(add_form, None)
            reload_features()
            finish(f"Feature {created.name!r} added.", *add_keys.values())

    if not view.features:
        st.info("No feature yet: add the MVP's features in the order they will be built.")
    else:
        preload(
            {
                SNAPSHOT_KEY: {
                    "rows": [
                        {
                            "id": f.id,
                            "order": f.position + 1,
                            "name": f.name,
                            "estimate_days": f.estimate_days,
                            "owner": f.owner,
                            "status": f.status.value,
                            "smes": f.smes,
                            "milestone": f.milestone,
                            "description": f.description,
                        }
                        for f in view.features
                    ],
                    "versions": {f.id: f.version for f in view.features},
                }
            }
        )
        snapshot = st.session_state[SNAPSHOT_KEY]
        current_versions = {f.id: f.version for f in view.features}
        stale = st.session_state.get(STALE_KEY)
        if stale is not None:
            show_stale(stale)
            left, right = st.columns(2)
            if left.button("Discard my edits and load the newer features", key="features_reload"):
                reload_features()
                st.rerun()
            if right.button(
                "Keep my edits (I have reviewed the newer values)", key="features_keep"
            ):
                snapshot["versions"] = {
                    fid: current_versions.get(fid, version)
                    for fid, version in snapshot["versions"].items()
                }
                st.session_state.pop(STALE_KEY, None)
                st.rerun()
        elif current_versions != snapshot["versions"]:
            st.warning(
                "Someone changed the features since you opened this table. Saving will be "
                "refused where you both changed something; reload to see their changes."
            )
            if st.button("Reload the features", key="features_refresh"):
                reload_features()
                st.rerun()

        move = st.columns([3, 1.4, 1.4, 2.6], vertical_alignment="bottom")
        to_move = move[0].selectbox(
            "Move in the build order",
            options=[f.id for f in view.features],
            format_func=lambda fid: next(f.name for f in view.features if f.id == fid),
            key=f"{FEATURES_FORM}_to_move",
        )
        for column, direction, icon in (
            (move[1], "up", ":material/arrow_upward:"),
            (move[2], "down", ":material/arrow_downward:"),
        ):
            if column.button(f"Move {direction}", key=f"{FEATURES_FORM}_{direction}", icon=icon):
                try:
                    demo_service.move_feature(
                        engine(),
                        project_id=pid,
                        feature_id=to_move,
                        direction=direction,
                        actor=actor(),
                    )
                except (InvalidInput, NotFound) as error:
                    st.session_state[f"{FEATURES_FORM}_move_error"] = str(
                        next(iter(getattr(error, "errors", {"": error}).values()))
                    )
                    st.rerun()
                reload_features()
                finish("Build order changed.")
        if f"{FEATURES_FORM}_move_error" in st.session_state:
            st.markdown(f":red[⚠ {st.session_state.pop(f'{FEATURES_FORM}_move_error')}]")
        move[3].caption("Moving saves at once; unsaved edits in the table below are discarded.")

        feature_errors = form_errors(FEATURES_FORM)
        with st.form(FEATURES_FORM):
            st.caption(
                "Edit cells, change **Order** to re-order, add rows at the bottom, delete rows "
                "to drop a feature. Nothing is saved until you press *Save features*."
            )
            edited = st.data_editor(
                # Nullable types, so a row added in the table may leave any cell empty.
                pd.DataFrame(snapshot["rows"], columns=FEATURE_COLUMNS).astype(
                    {
                        "id": "Int64",
                        "order": "Int64",
                        "estimate_days": "Int64",
                        "milestone": "boolean",
                    }
                ),
                key=EDITOR_KEY,
                num_rows="dynamic",
                hide_index=True,
                width="stretch",
                column_order=FEATURE_COLUMNS[1:],
                column_config={
                    "order": st.column_config.NumberColumn(
                        "Order", min_value=1, step=1, width="small"
                    ),
                    "name": st.column_config.TextColumn("Feature *", required=True),
                    "estimate_days": st.column_config.NumberColumn(
                        "Working days *",
                        help="The build estimate in whole working days (1 to 250).",
                        min_value=1,
                        max_value=250,
                        step=1,
                        default=5,
                        required=True,
                    ),
                    "owner": st.column_config.TextColumn("Owner"),
                    "status": st.column_config.SelectboxColumn(
                        "Status", options=list(FEATURE_STATUSES), default="planned", required=True
                    ),
                    "smes": st.column_config.TextColumn(
                        "SMEs who should see it", help="Names separated by commas."
                    ),
                    "milestone": st.column_config.CheckboxColumn(
                        "Big demo after it", default=False
                    ),
                    "description": st.column_config.TextColumn("What it does (its goal)"),
                },
            )
            row_errors(feature_errors, "features")
            field_error(feature_errors, "features")
            field_error(feature_errors, "actor")
            save_features = st.form_submit_button("Save features", type="primary")
        if save_features:
            rows = edited.astype(object).where(edited.notna(), None).to_dict("records")
            try:
                saved = demo_service.save_features(
                    engine(),
                    project_id=pid,
                    rows=rows,
                    loaded_versions=snapshot["versions"],
                    actor=actor(),
                )
            except InvalidInput as error:
                set_form_errors(FEATURES_FORM, error.errors)
                st.rerun()
            except StaleEditError as error:
                set_form_errors(FEATURES_FORM, None)
                st.session_state[STALE_KEY] = error
                st.rerun()
            reload_features()
            finish(
                f"Features saved: {saved.added} added, {saved.changed} changed, "
                f"{saved.removed} removed" + (", new order." if saved.reordered else ".")
            )

    if view.tasks:
        st.subheader("Tasks on features")
        tasks_form = f"demo_tasks_{pid}"
        with st.form(tasks_form):
            demo_titles = {d.id: f"{d.title} ({d.held_on:%d %b})" for d in view.demos}
            ticked = st.data_editor(
                pd.DataFrame(
                    [
                        {
                            "Done": t.done,
                            "Feature": t.feature_name,
                            "Task": t.text,
                            "From demo": demo_titles.get(t.source_demo_id, ""),
                            "Added by": t.created_by,
                        }
                        for t in view.tasks
                    ]
                ),
                key=f"{tasks_form}_table",
                hide_index=True,
                width="stretch",
                disabled=["Feature", "Task", "From demo", "Added by"],
            )
            save_tasks = st.form_submit_button("Save task status")
        if save_tasks:
            changed = [
                (task, bool(done))
                for task, done in zip(view.tasks, ticked["Done"], strict=True)
                if bool(done) != task.done
            ]
            try:
                for task, done in changed:
                    demo_service.set_feature_task_done(
                        engine(), project_id=pid, task_id=task.id, done=done, actor=actor()
                    )
            except (InvalidInput, NotFound) as error:
                st.error(str(error))
            else:
                finish(f"{len(changed)} task(s) updated.", f"{tasks_form}_table")

# --- Plan settings -----------------------------------------------------------------------------

SETTINGS_FORM = f"demo_settings_{pid}"
SETTINGS_VERSION_KEY = f"{SETTINGS_FORM}__loaded_version"
SETTINGS_STALE_KEY = f"{SETTINGS_FORM}__stale"
settings_fields = (
    "start_date",
    "model_testing_days",
    "max_undemoed_days",
    "holidays",
    "light_audience",
    "big_audience",
)
settings_keys = {field: f"{SETTINGS_FORM}_{field}" for field in settings_fields}

with settings_tab:
    settings = view.settings
    preload(
        {
            settings_keys["start_date"]: settings.start_date if settings else today(),
            settings_keys["model_testing_days"]: settings.model_testing_days
            if settings
            else demo_service.DEFAULT_MODEL_TESTING_DAYS,
            settings_keys["max_undemoed_days"]: settings.max_undemoed_days
            if settings
            else demo_service.DEFAULT_MAX_UNDEMOED_DAYS,
            settings_keys["holidays"]: "\n".join(h.isoformat() for h in settings.holidays)
            if settings
            else "",
            settings_keys["light_audience"]: settings.light_audience if settings else "",
            settings_keys["big_audience"]: settings.big_audience if settings else "",
            SETTINGS_VERSION_KEY: settings.version if settings else None,
        }
    )
    settings_errors = form_errors(SETTINGS_FORM)
    settings_stale = st.session_state.get(SETTINGS_STALE_KEY)
    if settings_stale is not None:
        show_stale(settings_stale)
        if st.button("Discard my edits and load the newer settings", key="settings_reload"):
            forget([*settings_keys.values(), SETTINGS_VERSION_KEY, SETTINGS_STALE_KEY])
            st.rerun()
    with st.form(SETTINGS_FORM):
        first = st.columns(3)
        with first[0]:
            st.date_input(
                "Start of model testing *",
                key=settings_keys["start_date"],
                help="A weekend day or holiday moves to the next working day.",
            )
            field_error(settings_errors, "start_date")
        with first[1]:
            st.number_input(
                "Model testing (working days) *",
                min_value=1,
                max_value=250,
                step=1,
                key=settings_keys["model_testing_days"],
                help="Testing the candidate model before the first (big) review demo.",
            )
            field_error(settings_errors, "model_testing_days")
        with first[2]:
            st.number_input(
                "Longest gap without a demo (working days)",
                min_value=0,
                max_value=250,
                step=1,
                key=settings_keys["max_undemoed_days"],
                help="A feature being built or shown goes this long at most without a demo.",
            )
            field_error(settings_errors, "max_undemoed_days")
        st.text_area(
            "Holidays (one date per line, YYYY-MM-DD)",
            key=settings_keys["holidays"],
            height=100,
            help="Days nobody works besides weekends; the schedule skips them.",
        )
        field_error(settings_errors, "holidays")
        second = st.columns(2)
        with second[0]:
            st.text_input(
                "Audience of light demos",
                key=settings_keys["light_audience"],
                help="Names separated by commas; each feature's SMEs are added.",
            )
            field_error(settings_errors, "light_audience")
        with second[1]:
            st.text_input(
                "Audience of big demos",
                key=settings_keys["big_audience"],
                help="Sponsor, stakeholders…; the SMEs of every feature shown are added.",
            )
            field_error(settings_errors, "big_audience")
        field_error(settings_errors, "settings")
        field_error(settings_errors, "actor")
        save_settings = st.form_submit_button(
            "Save settings and generate the schedule", type="primary"
        )
    if save_settings:
        try:
            demo_service.save_plan_settings(
                engine(),
                project_id=pid,
                expected_version=st.session_state[SETTINGS_VERSION_KEY],
                data={field: st.session_state.get(key) for field, key in settings_keys.items()},
                actor=actor(),
            )
        except InvalidInput as error:
            set_form_errors(SETTINGS_FORM, error.errors)
            st.rerun()
        except StaleEditError as error:
            set_form_errors(SETTINGS_FORM, None)
            st.session_state[SETTINGS_STALE_KEY] = error
            st.rerun()
        set_form_errors(SETTINGS_FORM, None)
        finish(
            "Plan settings saved; the schedule is generated from them.",
            *settings_keys.values(),
            SETTINGS_VERSION_KEY,
        )

# --- Record a demo -----------------------------------------------------------------------------

RECORD_FORM = f"demo_record_{pid}"
PICK_KEY = f"{RECORD_FORM}_planned"
FILLED_FROM_KEY = f"{RECORD_FORM}__filled_from"
record_fields = ("title", "held_on", "demo_type", "feature", "format", "audience", "shown")
record_keys = {field: f"{RECORD_FORM}_{field}" for field in (*record_fields, "decisions")}
planned = list(view.schedule.demos) if view.schedule is not None else []


def planned_values(index: int | None) -> dict:
    """The record form's values for planned demo `index` (None: a demo not in the plan)."""
    item = planned[index] if index is not None else None
    return {
        record_keys["title"]: item.title if item else "",
        record_keys["held_on"]: min(item.start, today()) if item else today(),
        record_keys["demo_type"]: (item.demo_type if item else DemoType.LIGHT).value,
        record_keys["feature"]: item.feature if item and item.feature in feature_names else "",
        record_keys["audience"]: ", ".join(item.audience) if item else "",
        record_keys["shown"]: item.shows if item else "",
    }


with record_tab:
    choice = None
    if planned:
        recorded = {d.title for d in view.demos}
        held = [
            i
            for i, item in enumerate(planned)
            if item.start <= today() and item.title not in recorded
        ]
        preload({PICK_KEY: held[-1] if held else None})
        choice = st.selectbox(
            "Which planned demo was held?",
            options=list(range(len(planned))),
            format_func=lambda i: f"{planned[i].start:%a %d %b} · {planned[i].title}",
            placeholder="Another demo (not in the plan)",
            key=PICK_KEY,
        )
    if st.session_state.get(FILLED_FROM_KEY, "nothing yet") != choice:
        # A newly chosen planned demo fills in its title, date, type, feature and audience.
        st.session_state.update(planned_values(choice))
        st.session_state[FILLED_FROM_KEY] = choice
    record_errors = form_errors(RECORD_FORM)
    feedback_key = f"{RECORD_FORM}_feedback_{choice}"
    actions_key = f"{RECORD_FORM}_actions_{choice}"
    with st.form(RECORD_FORM):
        first = st.columns([3, 1, 1])
        with first[0]:
            st.text_input("Demo title *", key=record_keys["title"])
            field_error(record_errors, "title")
        with first[1]:
            st.date_input("Held on *", key=record_keys["held_on"], max_value=today())
            field_error(record_errors, "held_on")
        with first[2]:
            st.selectbox(
                "Demo type",
                options=[t.value for t in DemoType],
                format_func=lambda t: "light (a few slides)" if t == "light" else "big",
                key=record_keys["demo_type"],
            )
            field_error(record_errors, "demo_type")
        second = st.columns([2, 2, 3])
        with second[0]:
            st.selectbox(
                "Feature shown",
                options=["", *feature_names],
                format_func=lambda name: name or "(no single feature)",
                key=record_keys["feature"],
            )
            field_error(record_errors, "feature")
        with second[1]:
            st.text_input(
                "Format", key=record_keys["format"], placeholder="slides, live walkthrough…"
            )
            field_error(record_errors, "format")
        with second[2]:
            st.text_input("Audience", key=record_keys["audience"], help="Who attended.")
            field_error(record_errors, "audience")
        st.text_area("What was shown", key=record_keys["shown"], height=68)
        field_error(record_errors, "shown")
        st.markdown("**Feedback per attendee**")
        st.caption("One row per attendee; rows left without feedback are not stored.")
        # The rows come from the plan, not the audience field, so they stay put while typing.
        audience_names = planned[choice].audience if choice is not None else ()
        feedback_rows = st.data_editor(
            pd.DataFrame(
                [{"attendee": name, "feedback": ""} for name in audience_names],
                columns=["attendee", "feedback"],
                dtype=object,
            ),
            key=feedback_key,
            num_rows="dynamic",
            hide_index=True,
            width="stretch",
            column_config={
                "attendee": st.column_config.TextColumn("Attendee", width="small"),
                "feedback": st.column_config.TextColumn("Feedback", width="large"),
            },
        )
        row_errors(record_errors, "feedback")
        st.text_area("Decisions", key=record_keys["decisions"], height=68)
        field_error(record_errors, "decisions")
        st.markdown("**Actions**")
        st.caption(
            "Each action becomes a task on a feature, or a parking-lot item linked to this "
            "demo — interesting, but not for now."
        )
        action_rows = st.data_editor(
            pd.DataFrame(columns=["action", "becomes", "feature", "why_deferred"], dtype=object),
            key=actions_key,
            num_rows="dynamic",
            hide_index=True,
            width="stretch",
            column_config={
                "action": st.column_config.TextColumn("Action", width="large"),
                "becomes": st.column_config.SelectboxColumn(
                    "Becomes",
                    options=[o.value for o in ActionOutcome],
                    default=ActionOutcome.FEATURE_TASK.value,
                    required=True,
                ),
                "feature": st.column_config.SelectboxColumn("Feature", options=feature_names),
                "why_deferred": st.column_config.TextColumn("Why deferred (parking lot)"),
            },
        )
        row_errors(record_errors, "actions")
        field_error(record_errors, "actor")
        record = st.form_submit_button("Record demo", type="primary")
    if record:
        try:
            recorded = demo_service.record_demo(
                engine(),
                project_id=pid,
                data={field: st.session_state.get(key) for field, key in record_keys.items()},
                feedback=feedback_rows.to_dict("records"),
                actions=action_rows.to_dict("records"),
                actor=actor(),
                today=today(),
            )
        except InvalidInput as error:
            set_form_errors(RECORD_FORM, error.errors)
            st.rerun()
        set_form_errors(RECORD_FORM, None)
        finish(
            f"Demo {recorded.title!r} recorded: {len(recorded.feedback)} feedback, "
            f"{len(recorded.tasks)} task(s), {len(recorded.parked)} parking-lot item(s).",
            *record_keys.values(),
            PICK_KEY,
            FILLED_FROM_KEY,
            feedback_key,
            actions_key,
        )

# --- Demos held ----------------------------------------------------------------------------

with held_tab:
    if not view.demos:
        st.info("No demo recorded yet.")
    for demo in view.demos:
        kind = "big" if demo.demo_type is DemoType.BIG else "light"
        with st.expander(f"{weekday(demo.held_on)} · {demo.title} ({kind} demo)"):
            facts = [
                ("Feature", demo.feature_name),
                ("Format", demo.format),
                ("Audience", demo.audience),
                ("Shown", demo.shown),
                ("Decisions", demo.decisions),
            ]
            st.markdown("  \n".join(f"**{label}:** {value}" for label, value in facts if value))
            st.caption(f"Recorded by {demo.recorded_by} on {demo.recorded_at:%Y-%m-%d %H:%M} UTC")
            if demo.feedback:
                st.dataframe(
                    pd.DataFrame(
                        [{"Attendee": f.attendee, "Feedback": f.feedback} for f in demo.feedback]
                    ),
                    hide_index=True,
                    width="stretch",
                )
            for task in demo.tasks:
                st.markdown(
                    f":material/task_alt: Task on **{task.feature_name}**: {task.text}"
                    + (" (done)" if task.done else "")
                )
            for item in demo.parked:
                st.markdown(f":material/local_parking: Parked: {item.idea}")

    if view.demos:
        action_form = f"demo_action_{pid}"
        action_errors = form_errors(action_form)
        action_keys = {
            field: f"{action_form}_{field}"
            for field in ("demo", "action", "becomes", "feature", "why_deferred")
        }
        st.subheader("Add an action from a demo")
        with st.form(action_form):
            st.selectbox(
                "Demo",
                options=[d.id for d in view.demos],
                format_func=lambda did: next(
                    f"{d.held_on:%d %b} · {d.title}" for d in view.demos if d.id == did
                ),
                key=action_keys["demo"],
            )
            st.text_input("Action *", key=action_keys["action"])
            field_error(action_errors, "action")
            columns = st.columns(2)
            with columns[0]:
                st.radio(
                    "Becomes",
                    options=[o.value for o in ActionOutcome],
                    horizontal=True,
                    key=action_keys["becomes"],
                )
                field_error(action_errors, "becomes")
            with columns[1]:
                st.selectbox(
                    "Feature",
                    options=["", *feature_names],
                    format_func=lambda name: name or "(the demo's feature)",
                    key=action_keys["feature"],
                )
                field_error(action_errors, "feature")
            st.text_input("Why deferred (parking lot)", key=action_keys["why_deferred"])
            field_error(action_errors, "why_deferred")
            field_error(action_errors, "actor")
            add_action = st.form_submit_button("Add action")
        if add_action:
            values = {field: st.session_state.get(key) for field, key in action_keys.items()}
            try:
                result = demo_service.add_demo_action(
                    engine(),
                    project_id=pid,
                    demo_id=values.pop("demo"),
                    data=values,
                    actor=actor(),
                )
            except (InvalidInput, NotFound) as error:
                set_form_errors(action_form, getattr(error, "errors", {"action": str(error)}))
                st.rerun()
            set_form_errors(action_form, None)
            finish(
                "Task added to the feature." if result.task else "Idea parked in the parking lot.",
                action_keys["action"],
                action_keys["why_deferred"],
            )
