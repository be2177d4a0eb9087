"""Two people on the Demo plan page at once (two AppTest sessions on one database, the second
opened before the first saves): every form sends the version its user saw, so a save made on a
stale view is refused with the conflict view and the user's edits kept; nothing is stored twice.
"""

import pytest

from tests.dates import TODAY, monday_weeks_ago
from tests.ui.helpers import by_label, click, confirm, edit_table, editor
from workbench.db import make_engine
from workbench.services import demos as svc
from workbench.services import projects as project_service

PAGE = "pages/team/demos.py"
STALE = "changed after you opened it"
KEEP = "Keep my edits (I have read the newer values)"


@pytest.fixture
def engine(app_db):
    engine = make_engine(app_db)
    yield engine
    engine.dispose()


def seed(engine, names=("Alerts", "Dashboard"), *, start=None, settings=True):
    project = project_service.create_project(
        engine, data={"name": "Ride-time anomalies"}, actor="Seeder", today=TODAY
    )
    for name in names:
        svc.create_feature(
            engine,
            project_id=project.id,
            data={"name": name, "estimate_days": 3, "smes": "Dana"},
            actor="Seeder",
        )
    if settings:
        svc.save_plan_settings(
            engine,
            project_id=project.id,
            expected_version=None,
            data={
                "start_date": start or monday_weeks_ago(0),
                "model_testing_days": 5,
                "max_undemoed_days": 10,
            },
            actor="Seeder",
        )
    return project


def plan(engine, project):
    return svc.demo_plan(engine, project.id, today=TODAY)


def stored(engine, project, name):
    return next(f for f in plan(engine, project).features if f.name == name)


def refused(at) -> bool:
    return any(STALE in e.value for e in at.error)


def test_stale_plan_settings_are_refused_and_keep_mine_sends_only_my_change(open_app, engine):
    """Old page: no "keep my edits" for settings, and a save sent every field (so taking the
    newer version would have overwritten Bo's model testing with Ann's stale value)."""
    project = seed(engine)
    ann = open_app(PAGE, actor="Ann", project=project.id)
    bo = open_app(PAGE, actor="Bo", project=project.id)
    by_label(bo.number_input, "Model testing (working days) *").set_value(8)
    click(bo, "Save settings and generate the schedule")
    confirm(bo)
    assert plan(engine, project).settings.model_testing_days == 8

    by_label(ann.text_input, "Audience of light demos").input("Priya")
    click(ann, "Save settings and generate the schedule")
    confirm(ann)
    assert refused(ann)
    assert plan(engine, project).settings.light_audience == ""
    assert by_label(ann.text_input, "Audience of light demos").value == "Priya"  # kept

    click(ann, KEEP)
    click(ann, "Save settings and generate the schedule")
    confirm(ann)
    settings = plan(engine, project).settings
    assert (settings.light_audience, settings.model_testing_days) == ("Priya", 8)


def test_first_settings_saved_meanwhile_make_the_other_first_save_stale(open_app, engine):
    project = seed(engine, settings=False)
    ann = open_app(PAGE, actor="Ann", project=project.id)
    bo = open_app(PAGE, actor="Bo", project=project.id)
    by_label(bo.date_input, "Start of model testing *").set_value(monday_weeks_ago(1))
    click(bo, "Save settings and generate the schedule")  # no schedule yet: nothing to confirm
    by_label(ann.date_input, "Start of model testing *").set_value(monday_weeks_ago(2))
    ann.run()  # Ann's page now shows a schedule, but her form still holds the "none yet" view
    click(ann, "Save settings and generate the schedule")
    confirm(ann)
    assert refused(ann)
    assert plan(engine, project).settings.start_date == monday_weeks_ago(1)


def test_accepting_a_schedule_someone_changed_meanwhile_is_refused(open_app, engine):
    """Old page: accept_plan got the version read in the click's own run, so Ann accepted a
    schedule (Bo's new start) she had never seen."""
    project = seed(engine)
    ann = open_app(PAGE, actor="Ann", project=project.id)
    bo = open_app(PAGE, actor="Bo", project=project.id)
    by_label(bo.date_input, "Start of model testing *").set_value(monday_weeks_ago(2))
    click(bo, "Save settings and generate the schedule")
    confirm(bo)

    click(ann, "Accept this schedule as the baseline")
    assert refused(ann)
    assert plan(engine, project).baseline == ()
    click(ann, "Load the newer version (drop my edits)")
    click(ann, "Accept this schedule as the baseline")
    assert plan(engine, project).baseline != ()


def test_a_table_save_changing_another_row_keeps_the_other_users_row(open_app, engine):
    """Old page: the table sent every row, so Ann's stale copy of Alerts made her save of
    Dashboard fail (or, after "keep mine", overwrite Bo's estimate)."""
    project = seed(engine)
    ann = open_app(PAGE, actor="Ann", project=project.id)
    bo = open_app(PAGE, actor="Bo", project=project.id)
    edit_table(bo, "_features", edited={0: {"estimate_days": 8}})
    click(bo, "Save features")
    edit_table(ann, "_features", edited={1: {"owner": "Lee"}})
    click(ann, "Save features")
    assert not refused(ann)
    assert stored(engine, project, "Alerts").estimate_days == 8
    assert stored(engine, project, "Dashboard").owner == "Lee"


def test_a_stale_row_is_refused_and_keep_mine_sends_only_my_cell(open_app, engine):
    project = seed(engine)
    ann = open_app(PAGE, actor="Ann", project=project.id)
    bo = open_app(PAGE, actor="Bo", project=project.id)
    edit_table(bo, "_features", edited={0: {"estimate_days": 8}})
    click(bo, "Save features")
    edit_table(ann, "_features", edited={0: {"owner": "Priya"}})
    click(ann, "Save features")
    assert refused(ann)
    assert stored(engine, project, "Alerts").owner == ""
    assert ann.session_state[editor(ann, "_features").key]["edited_rows"]  # her edit is kept

    click(ann, KEEP)
    click(ann, "Save features")
    alerts = stored(engine, project, "Alerts")
    assert (alerts.owner, alerts.estimate_days) == ("Priya", 8)


def test_a_slip_on_a_stale_feature_is_refused(open_app, engine):
    """Old page: record_slip acted on the current row, so both slips were added (3+2+1)."""
    project = seed(engine)
    ann = open_app(PAGE, actor="Ann", project=project.id)
    bo = open_app(PAGE, actor="Bo", project=project.id)
    for at, days in ((bo, 2), (ann, 1)):
        by_label(at.number_input, "Working days (negative if it finished early)").set_value(days)
        by_label(at.text_input, "Why").input(f"{at.session_state['actor_name']} saw it late")
        click(at, "Record slip")
        confirm(at)
    assert refused(ann)
    assert stored(engine, project, "Alerts").estimate_days == 5
    assert by_label(ann.text_input, "Why").value == "Ann saw it late"


def test_a_move_on_a_stale_order_is_refused(open_app, engine):
    """Old page: no version, so Ann's "later" moved Alerts a second place, to the end."""
    project = seed(engine, ("Alerts", "Dashboard", "Export"))
    ann = open_app(PAGE, actor="Ann", project=project.id)
    bo = open_app(PAGE, actor="Bo", project=project.id)
    click(bo, "Move")  # Alerts, one place later
    click(ann, "Move")
    assert refused(ann)
    assert [f.name for f in plan(engine, project).features] == ["Dashboard", "Alerts", "Export"]


def test_removing_a_feature_someone_changed_is_refused(open_app, engine):
    project = seed(engine)
    ann = open_app(PAGE, actor="Ann", project=project.id)
    bo = open_app(PAGE, actor="Bo", project=project.id)
    edit_table(bo, "_features", edited={0: {"owner": "Bo"}})
    click(bo, "Save features")
    by_label(ann.selectbox, "Feature to remove").set_value(stored(engine, project, "Alerts").id)
    click(ann, "Remove feature")
    confirm(ann)
    assert refused(ann)
    assert [f.name for f in plan(engine, project).features] == ["Alerts", "Dashboard"]


def test_the_same_demo_is_not_recorded_twice(open_app, engine):
    """Old page: both recorded the planned review, so it was stored twice."""
    project = seed(engine, start=monday_weeks_ago(5))
    ann = open_app(PAGE, actor="Ann", project=project.id)
    bo = open_app(PAGE, actor="Bo", project=project.id)
    for at in (bo, ann):
        by_label(at.selectbox, "Which planned demo was held?").set_value(0)  # the review
        at.run()
        by_label(at.text_area, "Decisions").input(f"{at.session_state['actor_name']}'s notes")
        click(at, "Record demo")
    assert len(plan(engine, project).demos) == 1
    assert any("already recorded (by Bo)" in e.value for e in ann.error)
    assert by_label(ann.text_area, "Decisions").value == "Ann's notes"  # kept
