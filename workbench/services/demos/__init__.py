"""Demo per feature: MVP features in build order, the generated demo schedule, demos held.

Wilson (*Machine Learning Engineering in Action*, ch. 3.1.3): demo each feature as soon as it is
available, light demos for single features and big ones when features come together. The
schedule itself is computed by the pure domain (`workbench.domain.demo_schedule`) from the plan
settings and the ordered features; this package stores those inputs, the schedule as last
accepted (the baseline, to show what moved), the demos held with feedback per attendee and the
actions that came out of them (a task on a feature, or a parked idea linked back to the demo).
Every change goes to the activity log, and every edit is made at the version its user saw
(`workbench.versioning`): a stale one is refused with `StaleEditError`, nothing written.

One module per use case: `features` (the build order), `plan` (settings, schedule, baseline,
slips), `held` (demos held, feedback, actions, feature tasks), `view` (the page in one read),
`exports` (calendar, CSV, slides). Import them from here: `from workbench.services import demos`.
"""

from workbench.services.demos._shared import (
    DEFAULT_MAX_UNDEMOED_DAYS,
    DEFAULT_MODEL_TESTING_DAYS,
    ESTIMATE_MAX_WORKING_DAYS,
    FEATURE_STATUSES,
    ActionOutcome,
    DemoActionResult,
    DemoPlanView,
    DemoRecord,
    FeaturePublic,
    FeatureTablesSaved,
    FeatureTaskPublic,
    FeedbackPublic,
    PlanSettingsPublic,
    SlipResult,
    parse_holidays,
    split_names,
)
from workbench.services.demos.exports import schedule_csv, schedule_ics, schedule_slides
from workbench.services.demos.features import (
    create_feature,
    delete_feature,
    move_feature,
    save_features,
)
from workbench.services.demos.held import add_demo_action, record_demo, save_task_status
from workbench.services.demos.plan import (
    NO_SETTINGS_VERSION,
    SETTINGS_FIELDS,
    accept_plan,
    record_slip,
    save_plan_settings,
)
from workbench.services.demos.view import demo_plan

__all__ = [
    "DEFAULT_MAX_UNDEMOED_DAYS",
    "DEFAULT_MODEL_TESTING_DAYS",
    "ESTIMATE_MAX_WORKING_DAYS",
    "FEATURE_STATUSES",
    "NO_SETTINGS_VERSION",
    "SETTINGS_FIELDS",
    "ActionOutcome",
    "DemoActionResult",
    "DemoPlanView",
    "DemoRecord",
    "FeaturePublic",
    "FeatureTablesSaved",
    "FeatureTaskPublic",
    "FeedbackPublic",
    "PlanSettingsPublic",
    "SlipResult",
    "accept_plan",
    "add_demo_action",
    "create_feature",
    "delete_feature",
    "demo_plan",
    "move_feature",
    "parse_holidays",
    "record_demo",
    "record_slip",
    "save_features",
    "save_plan_settings",
    "save_task_status",
    "schedule_csv",
    "schedule_ics",
    "schedule_slides",
    "split_names",
]
