"""Demo plan: MVP features in order, the generated demo schedule, and the demos held.

Every form pins the version of what it edits when first shown (the features table: each row's),
so a save made on a stale view is refused with the conflict view and the user's edits kept;
adds start empty again after a save; re-planning and removing ask first.
"""

import streamlit as st

from workbench.services import demos as demo_service
from workbench.ui import demos_features, demos_record, demos_schedule, demos_settings
from workbench.ui.common import engine, require_project, today
from workbench.ui.text import markdown_text

detail = require_project()
pid = detail.project.id
view = demo_service.demo_plan(engine(), pid, today=today())

st.title("Demo plan")
st.caption(
    f"**{markdown_text(view.project_name)}** · "
    "Demo each feature as soon as it is available: a light demo "
    "(a few slides) per feature, big demos when features come together — model-testing review, "
    "milestones, the full MVP (Wilson, ch. 3.1.3)."
)
limit = view.settings.max_undemoed_days if view.settings else demo_service.DEFAULT_MAX_UNDEMOED_DAYS
for flag in view.undemoed:
    since = (
        f"last demo {flag.last_demo_on:%a %d %b %Y}"
        if flag.last_demo_on
        else "never demoed since work started"
    )
    st.warning(
        f"**{markdown_text(flag.feature)}** "
        f"has gone {flag.working_days_since} working days without a demo "
        f"({since}; the limit is {limit}). "
        "Show it to its SMEs soon.",
        icon=":material/visibility_off:",
    )

# Keyed and tracked, so the tab someone works in stays open across the rerun after a save.
schedule_tab, features_tab, settings_tab, record_tab, held_tab = st.tabs(
    ["Schedule", "Features", "Plan settings", "Record a demo", "Demos held"],
    key=f"demos_{pid}_tab",
    on_change="rerun",
)

with schedule_tab:
    if view.schedule is None:
        st.info(
            "No schedule yet. List the MVP features in build order (Features), then save the "
            "plan settings — start date and days of model testing — to generate it.",
            icon=":material/event_note:",
        )
    else:
        demos_schedule.overview(view)
        demos_schedule.what_moved(view)
        demos_schedule.upcoming(view)
        demos_schedule.whole_schedule(view)
        demos_schedule.slip_form(view)

with features_tab:
    demos_features.add_form(view)
    if not view.features:
        st.info("No feature yet: add the MVP's features in the order they will be built.")
    else:
        demos_features.features_table(view)
        st.subheader("Move or remove a feature")
        demos_features.move_form(view)
        demos_features.remove_form(view)
    if view.tasks:
        demos_features.tasks_table(view)

with settings_tab:
    demos_settings.settings_form(view)

with record_tab:
    demos_record.record_form(view)

with held_tab:
    demos_record.demos_held(view)
    demos_record.action_form(view)
