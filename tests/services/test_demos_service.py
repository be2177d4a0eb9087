"""Demo plan service against a real database (SQLite and PostgreSQL): features, the generated
schedule against its baseline, demos held with feedback and actions, undemoed features, exports.
"""

import io
from datetime import UTC, date, datetime

import pytest
from icalendar import Calendar
from pptx import Presentation

from workbench.domain.demo_schedule import DemoType, ItemKind
from workbench.errors import InvalidInput, NotFound, StaleEditError
from workbench.models import FeatureStatus, SourceKind
from workbench.services import demos as svc
from workbench.services import projects as project_service
from workbench.services import registers

# Monday 2 November 2026 starts model testing in most tests below.
START = date(2026, 11, 2)


@pytest.fixture
def project(engine):
    return project_service.create_project(
        engine, data={"name": "Ride-time anomalies"}, actor="Ann", today=date(2026, 11, 1)
    )


def add(engine, project, name, days, **extra):
    return svc.create_feature(
        engine,
        project_id=project.id,
        data={"name": name, "estimate_days": days, **extra},
        actor="Ann",
    )


def settings(engine, project, expected_version=None, **extra):
    data = {"start_date": START, "model_testing_days": 5, "max_undemoed_days": 10, **extra}
    return svc.save_plan_settings(
        engine, project_id=project.id, expected_version=expected_version, data=data, actor="Ann"
    )


def view(engine, project, today=START):
    return svc.demo_plan(engine, project.id, today=today)


def features(engine, project):
    return list(view(engine, project).features)


def demos(engine, project):
    return list(view(engine, project).demos)


def edit(engine, project, feature, actor="Ann", **cells):
    """Save one changed row of the features table, at the version `feature` was seen."""
    return svc.save_features(
        engine,
        project_id=project.id,
        updated=[{"id": feature.id, "version": feature.version, **cells}],
        actor=actor,
    )


def log(engine, project):
    return project_service.list_activity(engine, project.id)


# --- Features ---------------------------------------------------------------------------------


def test_features_are_added_in_build_order_and_logged(engine, project):
    add(engine, project, "Alerts", 3, owner="Priya", smes="Dana;  Lee, Dana")
    add(engine, project, "Dashboard", "2")
    stored = features(engine, project)
    assert [(f.name, f.estimate_days, f.position) for f in stored] == [
        ("Alerts", 3, 0),
        ("Dashboard", 2, 1),
    ]
    assert stored[0].sme_names == ("Dana", "Lee")
    assert stored[0].status is FeatureStatus.PLANNED
    entry = log(engine, project)[0]
    assert (entry.action, entry.actor) == ("feature added", "Ann")
    assert "Dashboard" in entry.summary


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        pytest.param({"name": "", "estimate_days": 3}, "name", "needs a name", id="no-name"),
        pytest.param({"name": "   ", "estimate_days": 3}, "name", "needs a name", id="blank"),
        pytest.param({"name": "A", "estimate_days": 0}, "estimate_days", "At least 1", id="0"),
        pytest.param({"name": "A", "estimate_days": -2}, "estimate_days", "At least 1", id="neg"),
        pytest.param({"name": "A", "estimate_days": 2.5}, "estimate_days", "Whole", id="2.5"),
        pytest.param({"name": "A", "estimate_days": 251}, "estimate_days", "At most 250", id="251"),
        pytest.param(
            {"name": "A", "estimate_days": "soon"}, "estimate_days", "Not a number", id="text"
        ),
        pytest.param({"name": "A"}, "estimate_days", "Required", id="no-estimate"),
        pytest.param(
            {"name": "A", "estimate_days": 3, "status": "shipped"}, "status", "Choose", id="status"
        ),
        pytest.param({"name": "x" * 201, "estimate_days": 3}, "name", "Too long", id="long"),
    ],
)
def test_bad_feature_is_refused_and_nothing_stored(engine, project, data, field, message):
    with pytest.raises(InvalidInput) as error:
        svc.create_feature(engine, project_id=project.id, data=data, actor="Ann")
    assert message in error.value.errors[field]
    assert features(engine, project) == []


def test_estimate_of_250_working_days_is_the_largest_accepted(engine, project):
    assert add(engine, project, "Big one", 250).estimate_days == 250


def test_feature_names_are_unique_ignoring_case(engine, project):
    add(engine, project, "Alerts", 3)
    with pytest.raises(InvalidInput) as error:
        add(engine, project, "alerts", 2)
    assert "already" in error.value.errors["name"]
    assert len(features(engine, project)) == 1


def test_a_table_row_edit_is_version_checked(engine, project):
    feature = add(engine, project, "Alerts", 3)
    saved = edit(engine, project, feature, actor="Bo", estimate_days=4, status="building")
    assert (saved.added, saved.changed, saved.reordered) == (0, 1, False)
    edited = features(engine, project)[0]
    assert (edited.estimate_days, edited.status, edited.version) == (
        4,
        FeatureStatus.BUILDING,
        feature.version + 1,
    )
    with pytest.raises(StaleEditError) as error:
        edit(engine, project, feature, estimate_days=9)  # seen before Bo's edit
    assert error.value.conflicts["Alerts: estimate_days"] == (9, 4)
    assert error.value.saved_by == "Bo"
    assert error.value.current.version == edited.version
    assert features(engine, project)[0].estimate_days == 4
    entry = log(engine, project)[0]
    assert entry.action == "feature edited"
    assert entry.changes["estimate_days"] == [3, 4]


def test_delete_feature_closes_up_the_order(engine, project):
    first = add(engine, project, "Alerts", 3)
    add(engine, project, "Dashboard", 2)
    add(engine, project, "Export", 1)
    svc.delete_feature(
        engine,
        project_id=project.id,
        feature_id=first.id,
        expected_version=first.version,
        actor="Ann",
    )
    assert [(f.name, f.position) for f in features(engine, project)] == [
        ("Dashboard", 0),
        ("Export", 1),
    ]
    assert log(engine, project)[0].action == "feature removed"
    with pytest.raises(NotFound):
        svc.delete_feature(
            engine, project_id=project.id, feature_id=first.id, expected_version=1, actor="Ann"
        )


def test_delete_of_a_feature_changed_since_is_refused(engine, project):
    feature = add(engine, project, "Alerts", 3)
    edit(engine, project, feature, actor="Bo", owner="Bo")
    with pytest.raises(StaleEditError):
        svc.delete_feature(
            engine,
            project_id=project.id,
            feature_id=feature.id,
            expected_version=feature.version,
            actor="Ann",
        )
    assert [f.name for f in features(engine, project)] == ["Alerts"]


def test_move_up_and_down_and_refuse_past_the_ends(engine, project):
    def move(feature, direction):
        current = next(f for f in features(engine, project) if f.id == feature.id)
        return svc.move_feature(
            engine,
            project_id=project.id,
            feature_id=feature.id,
            expected_version=current.version,
            direction=direction,
            actor="Ann",
        )

    a, b, c = (add(engine, project, name, 1) for name in ("A", "B", "C"))
    move(c, "up")
    move(a, "down")
    assert [f.name for f in features(engine, project)] == ["C", "A", "B"]
    with pytest.raises(InvalidInput) as error:
        move(c, "up")
    assert "already first" in error.value.errors["order"]
    with pytest.raises(NotFound):
        svc.move_feature(
            engine,
            project_id=project.id,
            feature_id=999,
            expected_version=1,
            direction="up",
            actor="A",
        )
    assert log(engine, project)[0].action == "features reordered"
    assert b.id in {f.id for f in features(engine, project)}


def test_a_move_on_a_stale_view_is_refused(engine, project):
    a, _ = (add(engine, project, name, 1) for name in ("A", "B"))
    svc.move_feature(
        engine,
        project_id=project.id,
        feature_id=a.id,
        expected_version=a.version,
        direction="down",
        actor="Bo",
    )
    with pytest.raises(StaleEditError):
        svc.move_feature(
            engine,
            project_id=project.id,
            feature_id=a.id,
            expected_version=a.version,
            direction="down",
            actor="Ann",
        )
    assert [f.name for f in features(engine, project)] == ["B", "A"]


def test_save_features_table_adds_edits_and_reorders_sending_changed_rows_only(engine, project):
    a, b, c = (add(engine, project, name, 2) for name in ("A", "B", "C"))
    saved = svc.save_features(
        engine,
        project_id=project.id,
        updated=[{"id": a.id, "version": a.version, "estimate_days": 7.0, "order": 3}],
        added=[
            {"order": None, "name": "D", "estimate_days": 1, "milestone": None},
            {"name": None, "estimate_days": None},  # an empty new row
        ],
        actor="Ann",
    )
    assert (saved.added, saved.changed, saved.reordered) == (1, 1, True)
    after = features(engine, project)
    assert [(f.name, f.estimate_days, f.position) for f in after] == [
        ("B", 2, 0),
        ("C", 2, 1),
        ("A", 7, 2),
        ("D", 1, 3),
    ]
    actions = {entry.action for entry in log(engine, project)}
    assert {"feature added", "feature edited", "features reordered"} <= actions
    assert [f.id for f in after[:3]] == [b.id, c.id, a.id]


def test_a_row_moved_up_goes_before_the_row_at_that_place(engine, project):
    add(engine, project, "A", 1)
    add(engine, project, "B", 1)
    c = add(engine, project, "C", 1)
    svc.save_features(
        engine,
        project_id=project.id,
        updated=[{"id": c.id, "version": c.version, "order": 1}],
        added=[{"name": "Z", "estimate_days": 1, "order": 2}],
        actor="Ann",
    )
    assert [f.name for f in features(engine, project)] == ["C", "A", "Z", "B"]


def test_a_table_save_leaves_rows_it_did_not_send_alone(engine, project):
    a, b = add(engine, project, "A", 2), add(engine, project, "B", 2)
    edit(engine, project, a, actor="Bo", estimate_days=8)  # after Ann opened the table
    add(engine, project, "C", 1)  # added meanwhile: not in Ann's table
    edit(engine, project, b, owner="Ann")  # Ann's table still holds A at version 1
    assert [(f.name, f.estimate_days, f.owner) for f in features(engine, project)] == [
        ("A", 8, ""),
        ("B", 2, "Ann"),
        ("C", 1, ""),
    ]


def test_save_features_table_refuses_bad_rows_naming_them(engine, project):
    a = add(engine, project, "A", 2)
    with pytest.raises(InvalidInput) as error:
        svc.save_features(
            engine,
            project_id=project.id,
            updated=[{"id": a.id, "version": a.version, "estimate_days": 1.5, "row": 1}],
            added=[{"name": "", "estimate_days": 3, "row": 2}, {"name": "a", "row": 3}],
            actor="Ann",
        )
    assert set(error.value.errors) == {
        "features[1].estimate_days",
        "features[2].name",
        "features[3].estimate_days",
    }
    with pytest.raises(InvalidInput) as error:
        svc.save_features(
            engine, project_id=project.id, added=[{"name": "a", "estimate_days": 1}], actor="A"
        )
    assert "already in the list" in error.value.errors["features[2].name"]
    assert [(f.name, f.estimate_days) for f in features(engine, project)] == [("A", 2)]


def test_save_features_table_refuses_overwriting_a_newer_edit(engine, project):
    a, b = add(engine, project, "A", 2), add(engine, project, "B", 2)
    edit(engine, project, a, actor="Bo", estimate_days=8)
    with pytest.raises(StaleEditError) as error:
        svc.save_features(
            engine,
            project_id=project.id,
            updated=[
                {"id": a.id, "version": a.version, "owner": "Ann"},
                {"id": b.id, "version": b.version, "owner": "Ann"},
            ],
            actor="Ann",
        )
    assert error.value.conflicts == {"A: owner": ("Ann", "")}
    assert [f.owner for f in features(engine, project)] == ["", ""]  # nothing written


# --- Settings, schedule, baseline -------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        pytest.param({"holidays": "2026-12-24\nChristmas"}, "holidays", "'Christmas'", id="word"),
        pytest.param({"holidays": "2026-13-01"}, "holidays", "Not a date", id="month-13"),
        pytest.param({"start_date": "next week"}, "start_date", "Not a valid date", id="start"),
        pytest.param({"start_date": None}, "start_date", "Required", id="no-start"),
        pytest.param({"model_testing_days": 0}, "model_testing_days", "At least 1", id="mt-0"),
        pytest.param({"max_undemoed_days": -1}, "max_undemoed_days", "At least 0", id="gap"),
    ],
)
def test_bad_settings_are_refused(engine, project, data, field, message):
    with pytest.raises(InvalidInput) as error:
        settings(engine, project, **data)
    assert message in error.value.errors[field]
    assert view(engine, project).schedule is None


def test_no_settings_no_schedule(engine, project):
    add(engine, project, "Alerts", 3)
    assert view(engine, project).schedule is None
    assert svc.demo_plan(engine, project.id, today=START).schedule is None


def test_schedule_is_generated_from_settings_and_ordered_features(engine, project):
    add(engine, project, "Alerts", 3, smes="Dana")
    add(engine, project, "Dashboard", 2)
    settings(
        engine,
        project,
        holidays="2026-11-11",  # a Wednesday
        light_audience="Priya",
        big_audience="Sam (sponsor), Priya",
    )
    schedule = view(engine, project).schedule
    rows = [(i.kind.value, i.title, i.start, i.end, i.demo_type) for i in schedule.items]
    assert rows == [
        ("build", "Model testing", date(2026, 11, 2), date(2026, 11, 6), None),
        ("demo", "Model testing review", date(2026, 11, 9), date(2026, 11, 9), DemoType.BIG),
        # Tue 10, (Wed 11 is a holiday), Thu 12, Fri 13
        ("build", "Alerts", date(2026, 11, 10), date(2026, 11, 13), None),
        ("demo", "Demo: Alerts", date(2026, 11, 16), date(2026, 11, 16), DemoType.LIGHT),
        ("build", "Dashboard", date(2026, 11, 17), date(2026, 11, 18), None),
        ("demo", "Full MVP demo", date(2026, 11, 19), date(2026, 11, 19), DemoType.BIG),
    ]
    assert schedule.items[3].audience == ("Priya", "Dana")
    assert schedule.items[5].audience == ("Sam (sponsor)", "Priya", "Dana")


def test_settings_are_version_checked_and_logged(engine, project):
    first = settings(engine, project)
    second = settings(engine, project, expected_version=first.version, model_testing_days=8)
    assert second.model_testing_days == 8
    with pytest.raises(StaleEditError) as error:
        settings(engine, project, expected_version=first.version, model_testing_days=3)
    assert error.value.conflicts["model_testing_days"] == (3, 8)
    entry = log(engine, project)[0]
    assert (entry.action, entry.changes["model_testing_days"]) == (
        "demo plan settings saved",
        [5, 8],
    )


def test_a_slip_shows_what_moved_against_the_baseline(engine, project):
    alerts = add(engine, project, "Alerts", 3)
    add(engine, project, "Dashboard", 2)
    saved = settings(engine, project)
    view = svc.demo_plan(engine, project.id, today=START)
    assert view.baseline == () and view.moved == ()
    svc.accept_plan(engine, project_id=project.id, expected_version=saved.version, actor="Ann")
    assert svc.demo_plan(engine, project.id, today=START).moved == ()

    result = svc.record_slip(
        engine,
        project_id=project.id,
        feature_id=alerts.id,
        expected_version=alerts.version,
        working_days=2,
        reason="Labels arrived late",
        actor="Bo",
    )
    assert result.feature.estimate_days == 5
    view = svc.demo_plan(engine, project.id, today=START)
    moved = [
        (m.item.title, m.start_shift_working_days, m.end_shift_working_days) for m in view.moved
    ]
    assert moved == [
        ("Alerts", 0, 2),
        ("Demo: Alerts", 2, 2),
        ("Dashboard", 2, 2),
        ("Full MVP demo", 2, 2),
    ]
    assert [(m.item.title, m.end_shift_working_days) for m in result.moved] == [
        (title, end) for title, _, end in moved
    ]
    # The full MVP demo was on Wednesday 18; two working days later is Friday 20.
    mvp = next(m for m in view.moved if m.item.title == "Full MVP demo")
    assert (mvp.old_start, mvp.new_start) == (date(2026, 11, 18), date(2026, 11, 20))
    entry = log(engine, project)[0]
    assert entry.action == "feature slipped"
    assert "Labels arrived late" in entry.summary
    assert entry.changes["estimate_days"] == [3, 5]


def test_moving_the_start_moves_everything_and_accepting_clears_it(engine, project):
    add(engine, project, "Alerts", 3)
    first = settings(engine, project)
    accepted = svc.accept_plan(
        engine, project_id=project.id, expected_version=first.version, actor="Ann"
    )
    moved_start = settings(
        engine, project, expected_version=accepted.version, start_date=date(2026, 11, 9)
    )
    view = svc.demo_plan(engine, project.id, today=START)
    assert len(view.moved) == len(view.schedule.items) == 4
    assert {m.start_shift_working_days for m in view.moved} == {5}
    with pytest.raises(StaleEditError):
        svc.accept_plan(engine, project_id=project.id, expected_version=first.version, actor="A")
    svc.accept_plan(
        engine, project_id=project.id, expected_version=moved_start.version, actor="Ann"
    )
    assert svc.demo_plan(engine, project.id, today=START).moved == ()
    assert log(engine, project)[0].action == "demo plan accepted"


def test_a_new_feature_shows_as_added_since_the_baseline(engine, project):
    add(engine, project, "Alerts", 3)
    saved = settings(engine, project)
    svc.accept_plan(engine, project_id=project.id, expected_version=saved.version, actor="Ann")
    add(engine, project, "Dashboard", 2)
    view = svc.demo_plan(engine, project.id, today=START)
    assert [i.title for i in view.added] == ["Dashboard", "Full MVP demo"]
    assert view.moved == ()  # the feature before it keeps its dates


def test_accept_without_settings_is_refused(engine, project):
    with pytest.raises(InvalidInput) as error:
        svc.accept_plan(engine, project_id=project.id, expected_version=1, actor="Ann")
    assert "settings" in error.value.errors["baseline"]


def test_slip_that_leaves_no_working_day_is_refused(engine, project):
    alerts = add(engine, project, "Alerts", 3)
    with pytest.raises(InvalidInput) as error:
        svc.record_slip(
            engine,
            project_id=project.id,
            feature_id=alerts.id,
            expected_version=alerts.version,
            working_days=-3,
            reason="",
            actor="Ann",
        )
    assert "between 1 and 250" in error.value.errors["working_days"]
    assert features(engine, project)[0].estimate_days == 3


def test_upcoming_demos_start_today(engine, project):
    add(engine, project, "Alerts", 3)
    add(engine, project, "Dashboard", 2)
    settings(engine, project)
    view = svc.demo_plan(engine, project.id, today=date(2026, 11, 13))  # the Alerts demo day
    assert [d.title for d in view.upcoming] == ["Demo: Alerts", "Full MVP demo"]


# --- Demos held ---------------------------------------------------------------------------------


def test_demo_with_feedback_and_actions_makes_a_task_and_a_parked_idea(engine, project):
    add(engine, project, "Alerts", 3)
    dashboard = add(engine, project, "Dashboard", 2)
    demo = svc.record_demo(
        engine,
        project_id=project.id,
        data={
            "title": "Demo: Alerts",
            "held_on": date(2026, 11, 13),
            "demo_type": "light",
            "feature": "alerts",
            "format": "slides",
            "audience": "Dana; Lee",
            "shown": "Alert list for one depot",
            "decisions": "Keep the 15-minute threshold",
        },
        feedback=[
            {"attendee": "Dana", "feedback": "Too many alerts at night"},
            {"attendee": "Lee", "feedback": ""},  # attended, nothing to add
        ],
        actions=[
            {"action": "Group alerts per driver", "becomes": "feature task"},
            {"action": "Show on the map", "becomes": "feature task", "feature": "Dashboard"},
            {
                "action": "SMS alerts to the night shift",
                "becomes": "parking lot",
                "why_deferred": "Not needed for the MVP",
            },
            {"action": None, "becomes": "feature task", "feature": None},  # blank new row
        ],
        actor="Priya",
        today=date(2026, 11, 16),
    )
    [stored] = demos(engine, project)
    assert stored.id == demo.id
    assert (stored.feature_name, stored.demo_type, stored.audience) == (
        "Alerts",
        DemoType.LIGHT,
        "Dana, Lee",
    )
    assert [(f.attendee, f.feedback) for f in stored.feedback] == [
        ("Dana", "Too many alerts at night")
    ]
    assert [(t.feature_name, t.text, t.source_demo_id) for t in stored.tasks] == [
        ("Alerts", "Group alerts per driver", demo.id),
        ("Dashboard", "Show on the map", demo.id),
    ]
    [parked] = registers.list_parking_lot(engine, project.id)
    assert parked.idea == "SMS alerts to the night shift"
    assert parked.why_deferred == "Not needed for the MVP"
    assert (parked.source_kind, parked.source_id) == (SourceKind.DEMO, demo.id)
    assert "Demo: Alerts" in parked.source_label
    assert [p.id for p in stored.parked] == [parked.id]
    tasks = list(view(engine, project).tasks)
    assert [t.feature_id for t in tasks][1] == dashboard.id
    actions = [entry.action for entry in log(engine, project)]
    assert actions[0] == "demo recorded"
    assert actions.count("feature task added") == 2 and "idea parked" in actions


def test_an_action_added_later_becomes_a_parked_idea_linked_to_the_demo(engine, project):
    add(engine, project, "Alerts", 3)
    demo = svc.record_demo(
        engine,
        project_id=project.id,
        data={"title": "Review", "held_on": date(2026, 11, 9), "demo_type": "big"},
        actor="Ann",
        today=date(2026, 11, 9),
    )
    result = svc.add_demo_action(
        engine,
        project_id=project.id,
        demo_id=demo.id,
        data={"action": "Try a graph model", "becomes": "parking lot"},
        actor="Ann",
    )
    assert result.task is None
    assert (result.parked.source_kind, result.parked.source_id) == (SourceKind.DEMO, demo.id)
    with pytest.raises(InvalidInput) as error:  # the demo shows no single feature
        svc.add_demo_action(
            engine,
            project_id=project.id,
            demo_id=demo.id,
            data={"action": "Tune", "becomes": "feature task"},
            actor="Ann",
        )
    assert "Choose the feature" in error.value.errors["feature"]


@pytest.mark.parametrize(
    ("data", "feedback", "actions", "field"),
    [
        pytest.param({"title": ""}, [], [], "title", id="no-title"),
        pytest.param({"held_on": date(2026, 11, 17)}, [], [], "held_on", id="future"),
        pytest.param({"held_on": "13/11/2026"}, [], [], "held_on", id="bad-date"),
        pytest.param({"demo_type": "huge"}, [], [], "demo_type", id="bad-type"),
        pytest.param({"feature": "Nope"}, [], [], "feature", id="unknown-feature"),
        pytest.param({}, [{"attendee": "", "feedback": "Nice"}], [], "feedback[1].attendee"),
        pytest.param({}, [], [{"action": "Tune", "becomes": "feature task"}], "actions[1].feature"),
        pytest.param({}, [], [{"action": "Tune", "becomes": None}], "actions[1].becomes"),
        pytest.param({}, [], [{"action": "", "feature": "Alerts"}], "actions[1].action"),
    ],
)
def test_bad_demo_stores_nothing(engine, project, data, feedback, actions, field):
    add(engine, project, "Alerts", 3)
    before = len(log(engine, project))
    with pytest.raises(InvalidInput) as error:
        svc.record_demo(
            engine,
            project_id=project.id,
            data={"title": "Review", "held_on": date(2026, 11, 16), **data},
            feedback=feedback,
            actions=actions,
            actor="Ann",
            today=date(2026, 11, 16),
        )
    assert field in error.value.errors
    assert demos(engine, project) == []
    assert registers.list_parking_lot(engine, project.id) == []
    assert len(log(engine, project)) == before


def test_task_status_saves_only_the_rows_sent_and_is_logged(engine, project):
    add(engine, project, "Alerts", 3)
    svc.record_demo(
        engine,
        project_id=project.id,
        data={"title": "Demo: Alerts", "held_on": date(2026, 11, 13), "feature": "Alerts"},
        actions=[
            {"action": "Write docs", "becomes": "feature task"},
            {"action": "Add a legend", "becomes": "feature task"},
        ],
        actor="Ann",
        today=date(2026, 11, 13),
    )
    first, second = view(engine, project).tasks
    svc.save_task_status(
        engine, project_id=project.id, changes=[{"id": second.id, "done": True}], actor="Bo"
    )
    count = svc.save_task_status(
        engine, project_id=project.id, changes=[{"id": first.id, "done": True}], actor="Ann"
    )
    assert count == 1
    assert all(t.done for t in view(engine, project).tasks)
    assert log(engine, project)[0].action == "feature task done"


# --- Undemoed features ----------------------------------------------------------------------


def test_a_feature_long_undemoed_is_flagged(engine, project):
    alerts = add(engine, project, "Alerts", 3, status="demoed")
    add(engine, project, "Dashboard", 2, status="planned")
    settings(engine, project, max_undemoed_days=3)
    svc.record_demo(
        engine,
        project_id=project.id,
        data={"title": "Demo: Alerts", "held_on": date(2026, 11, 13), "feature": "Alerts"},
        actor="Ann",
        today=date(2026, 11, 13),
    )
    # Friday 13 → Mon 16, Tue 17, Wed 18: three working days, the limit: not flagged yet.
    assert svc.demo_plan(engine, project.id, today=date(2026, 11, 18)).undemoed == ()
    [flag] = svc.demo_plan(engine, project.id, today=date(2026, 11, 19)).undemoed
    assert (flag.feature, flag.last_demo_on, flag.working_days_since) == (
        "Alerts",
        date(2026, 11, 13),
        4,
    )
    edit(engine, project, alerts, status="done")
    assert svc.demo_plan(engine, project.id, today=date(2026, 11, 19)).undemoed == ()


def test_a_feature_building_and_never_demoed_counts_from_its_build_start(engine, project):
    add(engine, project, "Alerts", 3, status="building")
    settings(engine, project, max_undemoed_days=5)
    # Alerts builds from Tue 10 Nov; Wed 11 … Wed 18 is 6 working days.
    [flag] = svc.demo_plan(engine, project.id, today=date(2026, 11, 18)).undemoed
    assert (flag.feature, flag.last_demo_on, flag.working_days_since) == ("Alerts", None, 6)


# --- Exports ------------------------------------------------------------------------------------


def test_ics_export_holds_one_event_per_demo(engine, project):
    add(engine, project, "Alerts", 3)
    add(engine, project, "Dashboard, v1", 2, milestone=True)
    add(engine, project, "Export", 1)
    settings(engine, project, big_audience="Sam")
    view = svc.demo_plan(engine, project.id, today=START)
    ics = svc.schedule_ics(view, now=datetime(2026, 11, 1, 9, tzinfo=UTC))
    calendar = Calendar.from_ical(ics)
    events = calendar.walk("VEVENT")
    assert len(events) == 4  # review, Alerts, milestone after Dashboard, full MVP
    assert [str(e["SUMMARY"]) for e in events] == [
        "Ride-time anomalies: Model testing review",
        "Ride-time anomalies: Demo: Alerts",
        "Ride-time anomalies: Milestone demo: Dashboard, v1",
        "Ride-time anomalies: Full MVP demo",
    ]
    assert events[0].decoded("DTSTART") == date(2026, 11, 9)
    assert len({str(e["UID"]) for e in events}) == 4
    assert "Audience: Sam" in str(events[0]["DESCRIPTION"])


def test_csv_export_lists_every_item(engine, project):
    add(engine, project, "Alerts", 3)
    settings(engine, project)
    lines = svc.schedule_csv(svc.demo_plan(engine, project.id, today=START)).splitlines()
    assert lines[0].startswith("kind,title,start,end")
    assert len(lines) == 1 + 4
    assert lines[3].startswith("build,Alerts,2026-11-10,2026-11-12")


def test_slide_outline_opens_with_one_slide_per_demo(engine, project):
    add(engine, project, "Alerts", 3, description="Warn dispatch of rides running late")
    add(engine, project, "Dashboard", 2)
    settings(engine, project, big_audience="Sam")
    view = svc.demo_plan(engine, project.id, today=START)
    deck = Presentation(io.BytesIO(svc.schedule_slides(view)))
    slides = list(deck.slides)
    assert len(slides) == 1 + 3  # title, review, Alerts demo, full MVP demo
    assert [s.shapes.title.text for s in slides[1:]] == [
        "Model testing review",
        "Demo: Alerts",
        "Full MVP demo",
    ]
    alerts = slides[2].placeholders[1].text_frame.text
    assert "Alerts: Warn dispatch of rides running late" in alerts
    assert "Does Alerts do what you need in your work today?" in alerts
    mvp = slides[3].placeholders[1].text_frame.text
    assert "Audience: Sam" in mvp and "Dashboard" in mvp


def test_view_lists_schedule_items_by_kind(engine, project):
    add(engine, project, "Alerts", 3)
    settings(engine, project)
    view = svc.demo_plan(engine, project.id, today=START)
    assert [i.kind for i in view.schedule.items] == [
        ItemKind.BUILD,
        ItemKind.DEMO,
        ItemKind.BUILD,
        ItemKind.DEMO,
    ]
    assert view.project_name == "Ride-time anomalies"


# --- Versions the user saw ------------------------------------------------------------------


def test_a_slip_on_a_feature_changed_since_is_refused(engine, project):
    alerts = add(engine, project, "Alerts", 3)
    settings(engine, project)

    def slip(days, actor):
        return svc.record_slip(
            engine,
            project_id=project.id,
            feature_id=alerts.id,
            expected_version=alerts.version,
            working_days=days,
            reason="",
            actor=actor,
        )

    slip(2, "Bo")
    with pytest.raises(StaleEditError) as error:
        slip(1, "Ann")
    assert error.value.current.estimate_days == 5
    assert features(engine, project)[0].estimate_days == 5


def test_settings_save_only_the_fields_sent_and_refuse_a_stale_version(engine, project):
    first = settings(engine, project, light_audience="Priya")
    assert svc.NO_SETTINGS_VERSION == 0
    with pytest.raises(StaleEditError):  # someone else's first save made "none yet" stale
        settings(engine, project, expected_version=svc.NO_SETTINGS_VERSION)
    saved = svc.save_plan_settings(
        engine,
        project_id=project.id,
        expected_version=first.version,
        data={"big_audience": "Sam"},
        actor="Bo",
    )
    assert (saved.light_audience, saved.big_audience, saved.start_date) == ("Priya", "Sam", START)
    with pytest.raises(StaleEditError) as error:
        svc.save_plan_settings(
            engine,
            project_id=project.id,
            expected_version=first.version,
            data={"big_audience": "Lee"},
            actor="Ann",
        )
    assert error.value.conflicts == {"big_audience": ("Lee", "Sam")}


def test_the_same_demo_is_not_recorded_twice(engine, project):
    data = {"title": "Model testing review", "held_on": date(2026, 11, 9), "demo_type": "big"}
    svc.record_demo(engine, project_id=project.id, data=data, actor="Bo", today=date(2026, 11, 9))
    with pytest.raises(InvalidInput) as error:
        svc.record_demo(
            engine,
            project_id=project.id,
            data=data | {"title": "model testing review "},
            actor="Ann",
            today=date(2026, 11, 9),
        )
    assert "already recorded (by Bo)" in error.value.errors["title"]
    assert len(demos(engine, project)) == 1
