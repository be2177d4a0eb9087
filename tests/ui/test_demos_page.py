"""AppTest: the Demo plan page — features, the generated schedule, demos with feedback."""

import pytest

from tests.dates import TODAY, monday_weeks_ago
from tests.ui.helpers import confirm, edit_table
from workbench.db import make_engine
from workbench.models import SourceKind
from workbench.services import demos as demo_service
from workbench.services import projects as project_service
from workbench.services import registers

PAGE = "pages/team/demos.py"


@pytest.fixture
def engine(app_db):
    engine = make_engine(app_db)
    yield engine
    engine.dispose()


@pytest.fixture
def project(engine):
    return project_service.create_project(
        engine, data={"name": "Ride-time anomalies"}, actor="Seeder", today=TODAY
    )


def seed_plan(engine, project, features, *, start, **settings):
    for name, days, extra in features:
        demo_service.create_feature(
            engine,
            project_id=project.id,
            data={"name": name, "estimate_days": days, **extra},
            actor="Seeder",
        )
    return demo_service.save_plan_settings(
        engine,
        project_id=project.id,
        expected_version=None,
        data={"start_date": start, "model_testing_days": 5, "max_undemoed_days": 10, **settings},
        actor="Seeder",
    )


def plan(engine, project):
    return demo_service.demo_plan(engine, project.id, today=TODAY)


def features(engine, project):
    return list(plan(engine, project).features)


def by_label(widgets, label):
    matches = [w for w in widgets if w.label == label]
    assert matches, f"no widget labelled {label!r}"
    return matches[0]


def click(at, label):
    by_label(at.button, label).click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]


def messages(at):
    return " ".join(m.value for m in at.markdown)


def frame_with(at, column):
    return next(d.value for d in at.dataframe if column in d.value.columns)


def editor(at, part):
    return next(d for d in at.data_editor if part in d.key)


def test_smoke_without_features_explains_what_to_do(open_app, project):
    at = open_app(PAGE, project=project.id)
    assert at.title[0].value == "Demo plan"
    infos = " ".join(i.value for i in at.info)
    assert "No schedule yet" in infos
    assert "No feature yet" in infos


def test_without_a_project_points_to_the_portfolio(open_app):
    at = open_app(PAGE)
    assert "Choose a project" in at.info[0].value


def test_add_features_generate_and_record_feedback_that_becomes_a_parking_lot_item(
    open_app, engine, project
):
    at = open_app(PAGE, project=project.id, actor="Priya")
    for name, days, smes in [("Alerts", 3, "Dana"), ("Dashboard", 2, "")]:
        by_label(at.text_input, "Feature name *").input(name)
        by_label(at.number_input, "Estimate (working days) *").set_value(days)
        by_label(at.text_input, "SMEs who should see it").input(smes)
        click(at, "Add feature")
    assert [(f.name, f.estimate_days) for f in features(engine, project)] == [
        ("Alerts", 3),
        ("Dashboard", 2),
    ]

    # Generate: model testing started five weeks ago, so its demos are behind us.
    by_label(at.date_input, "Start of model testing *").set_value(monday_weeks_ago(5))
    click(at, "Save settings and generate the schedule")
    schedule = frame_with(at, "Shows")
    assert list(schedule["Title"]) == [
        "Model testing",
        "Model testing review",
        "Alerts",
        "Demo: Alerts",
        "Dashboard",
        "Full MVP demo",
    ]
    assert list(schedule["Demo type"]) == ["", "big", "", "light", "", "big"]
    assert at.get("plotly_chart"), "the timeline is drawn"
    assert [b.label for b in at.get("download_button")] == [
        "Calendar (.ics)",
        "Schedule (.csv)",
        "Slide outline (.pptx)",
    ]

    by_label(at.selectbox, "Which planned demo was held?").set_value(1)  # Demo: Alerts
    at.run()
    assert by_label(at.text_input, "Demo title *").value == "Demo: Alerts"
    assert by_label(at.selectbox, "Feature shown").value == "Alerts"
    feedback = editor(at, "_feedback_")
    assert list(feedback.value["attendee"]) == ["Dana"]  # the feature's SME, from the plan
    at.session_state[feedback.key] = {
        "edited_rows": {0: {"feedback": "Could it text the night shift?"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.session_state[editor(at, "_actions").key] = {
        "edited_rows": {},
        "added_rows": [
            {
                "action": "SMS alerts to the night shift",
                "becomes": "parking lot",
                "why_deferred": "Not needed for the MVP",
            }
        ],
        "deleted_rows": [],
    }
    by_label(at.text_area, "Decisions").input("Keep the 15-minute threshold")
    click(at, "Record demo")

    assert any("1 parking-lot item" in s.value for s in at.success)
    [demo] = list(plan(engine, project).demos)
    assert (demo.title, demo.feature_name, demo.recorded_by) == ("Demo: Alerts", "Alerts", "Priya")
    assert demo.decisions == "Keep the 15-minute threshold"
    assert [(f.attendee, f.feedback) for f in demo.feedback] == [
        ("Dana", "Could it text the night shift?")
    ]
    [parked] = registers.list_parking_lot(engine, project.id)
    assert parked.idea == "SMS alerts to the night shift"
    assert (parked.source_kind, parked.source_id) == (SourceKind.DEMO, demo.id)
    assert "Parked: SMS alerts to the night shift" in messages(at)  # under Demos held


def test_feature_without_a_name_shows_a_message_and_stores_nothing(open_app, engine, project):
    at = open_app(PAGE, project=project.id)
    click(at, "Add feature")
    assert any("every feature needs a name" in e.value for e in at.error)
    assert features(engine, project) == []


def test_features_table_saves_edits_and_a_new_order(open_app, engine, project):
    seed_plan(engine, project, [("Alerts", 3, {}), ("Dashboard", 2, {})], start=TODAY)
    at = open_app(PAGE, project=project.id)
    table = editor(at, "_features")
    assert list(table.value["name"]) == ["Alerts", "Dashboard"]
    edit_table(at, "_features", edited={0: {"estimate_days": 6, "order": 3}, 1: {"owner": "Lee"}})
    click(at, "Save features")
    stored = features(engine, project)
    assert [(f.name, f.estimate_days, f.owner) for f in stored] == [
        ("Dashboard", 2, "Lee"),
        ("Alerts", 6, ""),
    ]
    assert list(editor(at, "_features").value["name"]) == ["Dashboard", "Alerts"]


def test_features_table_names_the_bad_row(open_app, engine, project):
    seed_plan(engine, project, [("Alerts", 3, {})], start=TODAY)
    at = open_app(PAGE, project=project.id)
    edit_table(at, "_features", added=[{"name": "Alerts", "estimate_days": 2}])
    click(at, "Save features")
    assert any(
        "Row 2, name: A feature called 'Alerts' is already in the list" in e.value for e in at.error
    )
    assert len(features(engine, project)) == 1


def test_move_down_changes_the_build_order(open_app, engine, project):
    seed_plan(engine, project, [("Alerts", 3, {}), ("Dashboard", 2, {})], start=TODAY)
    at = open_app(PAGE, project=project.id)
    click(at, "Move")  # the first feature is selected, one place later
    assert [f.name for f in features(engine, project)] == [
        "Dashboard",
        "Alerts",
    ]


def test_bad_holiday_is_shown_next_to_the_field(open_app, engine, project):
    at = open_app(PAGE, project=project.id)
    by_label(at.text_area, "Holidays (one date per line, YYYY-MM-DD)").input("2026-12-25\nXmas")
    click(at, "Save settings and generate the schedule")
    assert any("Not a date: 'Xmas'" in e.value for e in at.error)
    assert plan(engine, project).schedule is None


def test_accept_then_slip_shows_what_moved(open_app, engine, project):
    seed_plan(engine, project, [("Alerts", 3, {}), ("Dashboard", 2, {})], start=monday_weeks_ago(0))
    at = open_app(PAGE, project=project.id)
    click(at, "Accept this schedule as the baseline")
    assert any("nothing moved" in s.value for s in at.success)

    by_label(at.number_input, "Working days (negative if it finished early)").set_value(2)
    by_label(at.text_input, "Why").input("Labels arrived late")
    click(at, "Record slip")
    assert features(engine, project)[0].estimate_days == 3  # the dialog asks first
    confirm(at)
    assert features(engine, project)[0].estimate_days == 5
    assert any("4 item(s) moved since the accepted baseline" in w.value for w in at.warning)
    moved = frame_with(at, "End moved (working days)")
    assert list(moved["Item"]) == ["Alerts", "Demo: Alerts", "Dashboard", "Full MVP demo"]
    assert list(moved["End moved (working days)"]) == [2, 2, 2, 2]


def test_a_feature_long_undemoed_is_flagged_on_the_page(open_app, engine, project):
    seed_plan(
        engine,
        project,
        [("Alerts", 3, {"status": "building"})],
        start=monday_weeks_ago(6),
        max_undemoed_days=2,
    )
    at = open_app(PAGE, project=project.id)
    assert any("Alerts** has gone" in w.value for w in at.warning)


def test_task_action_without_a_feature_is_refused(open_app, engine, project):
    seed_plan(engine, project, [("Alerts", 3, {})], start=monday_weeks_ago(5))
    at = open_app(PAGE, project=project.id)
    by_label(at.selectbox, "Which planned demo was held?").set_value(0)  # the big review
    at.run()
    at.session_state[editor(at, "_actions").key] = {
        "edited_rows": {},
        "added_rows": [{"action": "Tune the threshold", "becomes": "feature task"}],
        "deleted_rows": [],
    }
    click(at, "Record demo")
    assert any("Row 1, feature: Choose the feature this task is for." in e.value for e in at.error)
    assert list(plan(engine, project).demos) == []


def test_the_add_form_is_empty_after_an_add_and_a_second_click_adds_nothing(
    open_app, engine, project
):
    """Old page: the form kept the added feature's values, ready to be sent again."""
    at = open_app(PAGE, project=project.id)
    by_label(at.text_input, "Feature name *").input("Alerts")
    by_label(at.text_input, "Owner").input("Priya")
    click(at, "Add feature")
    assert any(s.value == "Feature 'Alerts' added." for s in at.success)
    assert by_label(at.text_input, "Feature name *").value == ""
    assert by_label(at.text_input, "Owner").value == ""
    click(at, "Add feature")
    assert [f.name for f in features(engine, project)] == ["Alerts"]


def test_rows_added_in_this_session_do_not_break_the_table(open_app, engine, project):
    seed_plan(engine, project, [("Alerts", 3, {})], start=TODAY)
    at = open_app(PAGE, project=project.id)
    edit_table(at, "_features", added=[{"name": "Dashboard", "estimate_days": 2}])
    click(at, "Save features")
    click(at, "Save features")  # the saved form: nothing is sent twice
    assert [f.name for f in features(engine, project)] == ["Alerts", "Dashboard"]
    # a feature added with the form meanwhile keeps its place; the new row can be edited
    by_label(at.text_input, "Feature name *").input("Export")
    click(at, "Add feature")
    edit_table(at, "_features", edited={1: {"owner": "Lee"}})
    click(at, "Save features")
    assert [(f.name, f.owner) for f in features(engine, project)] == [
        ("Alerts", ""),
        ("Dashboard", "Lee"),
        ("Export", ""),
    ]


def test_removing_a_feature_asks_first(open_app, engine, project):
    seed_plan(engine, project, [("Alerts", 3, {}), ("Dashboard", 2, {})], start=TODAY)
    at = open_app(PAGE, project=project.id)
    by_label(at.selectbox, "Feature to remove").set_value(features(engine, project)[0].id)
    click(at, "Remove feature")
    assert len(features(engine, project)) == 2  # only the dialog so far
    confirm(at)
    assert [f.name for f in features(engine, project)] == ["Dashboard"]


def test_saving_settings_that_move_dates_asks_first(open_app, engine, project):
    seed_plan(engine, project, [("Alerts", 3, {})], start=TODAY)
    at = open_app(PAGE, project=project.id)
    by_label(at.number_input, "Model testing (working days) *").set_value(9)
    click(at, "Save settings and generate the schedule")
    assert plan(engine, project).settings.model_testing_days == 5
    assert any("re-plan" in t.value for t in at.text)
    confirm(at)
    assert plan(engine, project).settings.model_testing_days == 9
