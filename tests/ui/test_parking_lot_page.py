"""AppTest: the Parking lot page — the park form, the table, promotion to an experiment and the
due-for-review list — asserting what was stored through the services."""

from tests.dates import TODAY
from tests.ui.helpers import by_label, click, confirm, edit_table, editor, messages
from workbench.db import make_engine
from workbench.services import experiments
from workbench.services import parking_lot as lot
from workbench.services import projects as project_service

PAGE = "pages/team/parking_lot.py"
CRITERION = "Success criterion, against the baseline *"


def seed(url, *ideas, **extra):
    """A project with these ideas parked (with `extra` fields each), oldest first."""
    engine = make_engine(url)
    project = project_service.create_project(
        engine,
        data={"name": "Ride-time anomalies", "baseline": "Flag rides over 3x the median"},
        actor="Seeder",
        today=TODAY,
    )
    items = [
        lot.add_item(engine, project_id=project.id, data={"idea": idea, **extra}, actor="Seeder")
        for idea in ideas
    ]
    engine.dispose()
    return project, items


def stored(url, project_id):
    engine = make_engine(url)
    rows = lot.list_items(engine, project_id, TODAY)
    engine.dispose()
    return [row.item for row in rows]


def experiments_of(url, project_id):
    engine = make_engine(url)
    listed = experiments.list_experiments(engine, project_id, TODAY)
    engine.dispose()
    return [view.experiment for view in listed]


def test_the_park_form_clears_after_a_save_and_a_second_click_adds_nothing(open_app, app_db):
    """Old page: the form kept the idea's values, so a second click parked a duplicate.

    A browser keeps showing (and sends again) what was typed in a widget whose id stays the same
    across reruns; the old page reused its widgets' keys after a save. Now a save starts new
    widgets (new keys), which a browser shows empty."""
    project, _ = seed(app_db)
    at = open_app(PAGE, project=project.id)
    typed_in = by_label(at.text_area, "Idea *").key
    by_label(at.text_area, "Idea *").input("Route graph features")
    by_label(at.selectbox, "Revisit in phase").set_value("Development")
    click(at, "Park idea")
    [item] = stored(app_db, project.id)
    assert (item.idea, item.revisit_phase, item.raised_by) == (
        "Route graph features",
        "development",
        "Ann",
    )
    assert "Idea parked." in messages(at)
    assert by_label(at.text_area, "Idea *").value == ""
    assert by_label(at.text_area, "Idea *").key != typed_in
    assert by_label(at.selectbox, "Revisit in phase").value is None

    click(at, "Park idea")
    assert len(stored(app_db, project.id)) == 1


def test_a_refused_idea_keeps_what_was_typed(open_app, app_db):
    project, _ = seed(app_db)
    at = open_app(PAGE, project=project.id)
    by_label(at.text_input, "Why deferred").input("No feed yet")
    click(at, "Park idea")
    assert any("Required" in e.value for e in at.error)
    assert by_label(at.text_input, "Why deferred").value == "No feed yet"
    assert stored(app_db, project.id) == []


def test_an_idea_parked_in_this_session_shows_in_the_table_and_edits_save(open_app, app_db):
    """Old page: the table's versions were pinned before the add, so the new row had none and
    the next table save crashed."""
    project, _ = seed(app_db, "Weather features")
    at = open_app(PAGE, project=project.id)
    by_label(at.text_area, "Idea *").input("Route graph features")
    click(at, "Park idea")
    assert list(editor(at, "parking_table").value["idea"]) == [
        "Weather features",
        "Route graph features",
    ]
    edit_table(at, "parking_table", edited={1: {"effort": "high"}})
    click(at, "Save changes")
    assert not at.exception
    assert [(i.idea, i.effort) for i in stored(app_db, project.id)] == [
        ("Weather features", "medium"),
        ("Route graph features", "high"),
    ]


def test_the_table_saves_only_changed_rows_and_refuses_a_forbidden_status_move(open_app, app_db):
    project, [weather, driver] = seed(app_db, "Weather features", "Driver embeddings")
    at = open_app(PAGE, project=project.id)
    edit_table(at, "parking_table", edited={1: {"status": "dropped"}})
    click(at, "Save changes")
    assert "Saved 1 changed idea(s)." in messages(at)
    items = {i.id: i for i in stored(app_db, project.id)}
    assert (items[weather.id].version, items[driver.id].status) == (weather.version, "dropped")

    edit_table(at, "parking_table", edited={1: {"status": "revived"}})
    click(at, "Save changes")
    assert any("Row 2, status: A dropped idea cannot become revived" in e.value for e in at.error)
    assert {i.id: i.status for i in stored(app_db, project.id)}[driver.id] == "dropped"


def test_promotion_asks_first_then_clears_the_form(open_app, app_db):
    """Old page: no confirmation, and the promoted idea's form kept its values."""
    project, [weather, _] = seed(app_db, "Weather features", "Driver embeddings")
    at = open_app(PAGE, project=project.id)
    by_label(at.text_input, CRITERION).input("Recall on storm days beats the rule")
    click(at, "Promote to experiment")
    assert experiments_of(app_db, project.id) == []  # the dialog asks first
    next(b for b in at.button if b.key.endswith("__cancelled")).click()
    at.run()
    assert experiments_of(app_db, project.id) == []
    assert by_label(at.text_input, CRITERION).value == "Recall on storm days beats the rule"

    typed_in = by_label(at.text_input, CRITERION).key
    click(at, "Promote to experiment")
    confirm(at)
    [experiment] = experiments_of(app_db, project.id)
    assert (experiment.approach, experiment.parking_lot_item_id) == ("Weather features", weather.id)
    assert any("Promoted to an experiment" in m for m in messages(at))
    assert {i.id: i.status for i in stored(app_db, project.id)}[weather.id] == "revived"
    assert by_label(at.selectbox, "Parked idea").options == ["Driver embeddings"]
    assert by_label(at.text_input, CRITERION).value == ""
    assert (
        by_label(at.text_input, CRITERION).key != typed_in
    )  # new widgets: a browser shows them empty
    click(at, "Promote to experiment")  # the emptied form: the dialog asks, nothing is added
    assert len(experiments_of(app_db, project.id)) == 1


def test_bad_experiment_input_is_shown_under_its_field_and_nothing_is_promoted(open_app, app_db):
    project, _ = seed(app_db, "Weather features")
    at = open_app(PAGE, project=project.id)
    click(at, "Promote to experiment")
    confirm(at)
    assert any("Required: say what result" in e.value for e in at.error)
    assert experiments_of(app_db, project.id) == []
    assert stored(app_db, project.id)[0].status == "parked"


def test_many_due_ideas_are_one_compact_list_not_one_alert_each(open_app, app_db):
    """Old page: one st.warning per due idea (100+ boxes on a large project)."""
    project, _ = seed(
        app_db, *(f"Idea number {n}" for n in range(1, 13)), revisit_on=TODAY.isoformat()
    )
    engine = make_engine(app_db)
    lot.add_item(engine, project_id=project.id, data={"idea": "Not yet"}, actor="Seeder")
    engine.dispose()
    at = open_app(PAGE, project=project.id)
    assert any("Due for review (12)" in m.value for m in at.markdown)
    assert len(at.warning) <= 1
    [due] = at.table
    assert list(due.value["Idea"]) == [f"Idea number {n}" for n in range(1, 13)]
    assert set(due.value["Why due"]) == {f"revisit date {TODAY.isoformat()} reached"}
